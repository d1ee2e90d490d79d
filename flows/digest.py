"""The digest flow: retry failed deliveries, write the digest of the window, send it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor import digest
from monitor.config import Config, ConfigError, load_config


@task(name="resend-failed-digests", cache_policy=NO_CACHE)
def resend_failed(config: Config) -> list[digest.Delivery]:
    """Retry the deliveries of earlier digests that failed (their files still exist)."""
    return digest.resend_failed(config)


@task(name="make-digest", cache_policy=NO_CACHE)
def make_digest(
    config: Config, since: str | None, until: str | None, out_dir: str | None
) -> digest.DigestResult:
    """Build the digest of the window, write its Markdown and HTML files, record it."""
    return digest.make_digest(
        config,
        since=digest.parse_time(since, config.timezone) if since else None,
        until=digest.parse_time(until, config.timezone) if until else None,
        out_dir=Path(out_dir) if out_dir else None,
    )


@task(name="send-digest", cache_policy=NO_CACHE)
def send_digest(config: Config, digest_id: int) -> digest.Delivery:
    """E-mail one digest, once; a failure is recorded for the next run to retry."""
    return digest.deliver(config, digest_id)


@flow(name="digest")
def digest_flow(
    config_path: str | None = None,
    since: str | None = None,
    until: str | None = None,
    out_dir: str | None = None,
    send: bool = False,
) -> dict[str, Any]:
    """Write the digest of what changed since the previous one; with send, e-mail it."""
    logger = get_run_logger()
    config = load_config(config_path)
    if send and config.email is None:
        raise ConfigError("--send needs an [email] section in the config")
    retried = resend_failed(config) if send else []
    for item in retried:
        logger.info(
            "retried digest %d: %s",
            item.digest_id,
            "sent" if item.sent else item.error or item.skipped,
        )
    result = make_digest(config, since, until, out_dir)
    logger.info("digest %d written: %s", result.digest_id, result.md_path)
    delivery = send_digest(config, result.digest_id) if send else None
    if delivery is not None and delivery.error:
        logger.warning("sending digest %d failed: %s", delivery.digest_id, delivery.error)
    summary = digest.summarise(result, retried, delivery)
    digest.record_run(config, summary)
    return summary
