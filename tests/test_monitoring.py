"""Continuous monitoring: crash safety, a held database, overlapping runs, and `monitor serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.store import Store

from .newsroom import serve_newsroom

pytestmark = pytest.mark.usefixtures("prefect_server")

N_ARTICLES = 12
BATCH = 3


def monitor_env(**extra: str) -> dict[str, str]:
    """The environment of a `monitor` subprocess, using the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.update(extra)
    return env


def start(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `monitor --config CONFIG ARGS` in a subprocess."""
    return subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "--config", str(config), *args],
        env=env or monitor_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def newsroom_config(write_config, feed_url: str, extra: str = "") -> Path:
    """A config over the simulated newsroom, in small batches."""
    return write_config(
        f"batch_size = {BATCH}\ndatabase_lock_timeout_s = 3\n{extra}\n"
        "[fetch]\nallow_private_networks = true\nper_host_delay_s = 0\nretries = 0\n"
        f'[[feeds]]\nname = "Newsroom"\nurl = "{feed_url}"\n'
    )


def rows(config: Path, query: str) -> list[tuple]:
    """Rows of a read-only query on the config's database."""
    return Store(config.parent / "data" / "monitor.duckdb").query(query)[1]


def assert_invariants(config: Path) -> int:
    """No partial article, no duplicate row; returns the number of articles."""
    assert rows(
        config,
        "SELECT count(*) FROM articles WHERE text IS NULL OR text = '' OR content_hash IS NULL",
    ) == [(0,)]
    assert rows(config, "SELECT count(*) - count(DISTINCT canonical_url) FROM articles") == [(0,)]
    # every article names France and Macron: its mentions were committed with it
    assert rows(
        config,
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
        "actor_mentions m WHERE m.article_id = a.article_id)",
    ) == [(0,)]
    assert rows(
        config,
        "SELECT count(*) FROM articles WHERE story_id IS NULL OR story_id NOT "
        "IN (SELECT story_id FROM stories)",
    ) == [(0,)]
    return rows(config, "SELECT count(*) FROM articles")[0][0]


def kill_at(config: Path, point: str) -> None:
    """Run ingest, SIGKILL it when it reports the pause point, and wait for it."""
    proc = start(
        config,
        "ingest",
        env=monitor_env(
            MONITOR_PAUSE_AT=f"{point}:60" if ":" not in point else point.replace(":", ":60:", 1)
        ),
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    seen = []
    for line in proc.stderr:
        if "monitor: paused at" in line:
            break
        seen.append(line)
        assert time.monotonic() < deadline, "the run never reached its pause point"
    else:
        pytest.fail(f"ingest ended before pausing at {point}: {proc.wait()}: {''.join(seen)}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_sigkill_at_any_point_loses_nothing_and_leaves_nothing_partial(
    httpserver: HTTPServer, write_config
) -> None:
    config = newsroom_config(write_config, serve_newsroom(httpserver, N_ARTICLES))
    kill_at(config, "fetch:2")  # during the second batch's fetch (overlaps batch 1's write)
    stored = assert_invariants(config)
    assert stored in (0, BATCH)  # batch 1 committed whole, or not at all
    kill_at(config, "write")  # inside the next batch's transaction, before commit
    assert assert_invariants(config) == stored
    kill_at(config, "batch")  # right after the next batch committed
    assert assert_invariants(config) == stored + BATCH
    proc = start(config, "ingest")
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert f"{N_ARTICLES - stored - BATCH} new articles" in out
    assert assert_invariants(config) == N_ARTICLES
    statuses = [r[0] for r in rows(config, "SELECT status FROM runs ORDER BY run_id")]
    assert statuses == ["crashed", "crashed", "crashed", "ok"]


def test_a_held_database_makes_ingest_wait_then_fail_with_exit_3(
    httpserver: HTTPServer, write_config
) -> None:
    config = newsroom_config(write_config, serve_newsroom(httpserver, 3))
    database = config.parent / "data" / "monitor.duckdb"
    Store(database).migrate()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import duckdb, sys
        con = duckdb.connect({str(database)!r})
        print("held", flush=True)
        sys.stdin.readline()
    """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        proc = start(config, "ingest")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 3, (out, err)
        assert time.monotonic() - started >= 3  # it waited database_lock_timeout_s
        assert f"the database file {database} is locked by another process" in err
        assert f"process {holder.pid}" in err and "Close the other DuckDB session" in err
        assert "Traceback" not in err
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    proc = start(config, "ingest")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "3 new articles" in out


@pytest.mark.parametrize("overlap", ["wait", "skip"])
def test_two_ingests_at_once_never_double_anything(
    httpserver: HTTPServer, write_config, overlap: str
) -> None:
    feed = serve_newsroom(httpserver, 6, delay_s=0.3)
    config = newsroom_config(write_config, feed, extra=f'[schedule]\noverlap = "{overlap}"')
    first = start(config, "ingest", env=monitor_env(MONITOR_PAUSE_AT="fetch:12"))
    assert first.stderr is not None and "paused at fetch" in first.stderr.readline()
    second = start(config, "ingest")
    out2, err2 = second.communicate(timeout=180)
    out1, err1 = first.communicate(timeout=180)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert "6 new articles" in out1
    assert rows(config, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(6, 6)]
    statuses = rows(config, "SELECT status, new_articles FROM runs ORDER BY started_at")
    if overlap == "skip":
        assert "skipped" in out2
        assert sorted(statuses) == [("ok", 6), ("skipped", 0)]
    else:
        assert "0 new articles" in out2  # it waited for the first, then found nothing new
        assert sorted(statuses) == [("ok", 0), ("ok", 6)]
    assert assert_invariants(config) == 6


@pytest.mark.slow
def test_serve_runs_ingest_on_its_interval_and_stops_cleanly(
    httpserver: HTTPServer, write_config
) -> None:
    feed = serve_newsroom(httpserver, 3)
    config = newsroom_config(write_config, feed, extra="[schedule]\ningest_every_minutes = 1")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "--config", str(config), "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        done: list[tuple] = []
        while time.monotonic() < deadline and len(done) < 2:
            time.sleep(5)
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            database = config.parent / "data" / "monitor.duckdb"
            if database.exists():
                done = rows(
                    config,
                    "SELECT run_id FROM runs WHERE flow = 'ingest' AND status IN ('ok', 'partial')",
                )
        assert len(done) >= 2, "serve did not complete two ingest runs"
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=90)[0]
    assert proc.returncode == 0, output
    assert "Prefect UI: http://127.0.0.1:" in output
    assert "monitor serve stopped" in output
    assert "Traceback" not in output
    assert rows(config, "SELECT count(*) FROM articles") == [(3,)]
