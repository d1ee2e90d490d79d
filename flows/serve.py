"""Serve the ingest flow on an interval and the digest flow on a cron, with Prefect's serving."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron, Interval

from flows.digest import digest_flow
from flows.ingest import ingest_flow
from monitor.config import Config

ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def deployments(config: Config) -> list[Any]:
    """The two deployments: ingest every N minutes, digest on its cron in its time zone."""
    parameters: dict[str, Any] = {"config_path": str(config.path)}
    ingest = ingest_flow.to_deployment(
        name="monitor-ingest",
        parameters=parameters,
        concurrency_limit=ONE_AT_A_TIME,
        schedules=[Interval(timedelta(minutes=config.ingest_every_minutes))],
        description="Poll the feeds that are due and store their new articles.",
    )
    digest = digest_flow.to_deployment(
        name="monitor-digest",
        concurrency_limit=ONE_AT_A_TIME,
        parameters={**parameters, "send": config.email is not None},
        schedules=[Cron(config.digest_cron, timezone=config.timezone)],
        description="Write (and send) the digest of what is new since the last one.",
    )
    return [ingest, digest]


def serve_flows(config: Config) -> None:
    """Run the scheduled flows until interrupted."""
    serve(*deployments(config), print_starting_message=False)
