"""The temporary Prefect server of a one-off run: started, quiet, and migrated only once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import prefect

from monitor.server import is_migrated, mark_migrated


def _prefect_database(path: Path, revision: str) -> Path:
    """A SQLite file with the alembic_version table Prefect's migrations keep."""
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num TEXT)")
        con.execute("DELETE FROM alembic_version")
        con.execute("INSERT INTO alembic_version VALUES (?)", [revision])
    return path


def _ingest(
    config: Path, *options: str, timeout: float, **env: str | None
) -> subprocess.CompletedProcess[str]:
    """`monitor [options] --config config ingest --all` on its own temporary server; env
    updates the environment (None removes a variable)."""
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    for name, value in env.items():
        environment.pop(name, None)
        if value is not None:
            environment[name] = value
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", *options, "--config", str(config), "ingest", "--all"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_migrations_are_skipped_only_at_the_revision_this_prefect_left(tmp_path: Path) -> None:
    database = _prefect_database(tmp_path / "prefect.db", "a1")
    assert not is_migrated(database)  # never marked
    mark_migrated(database)
    assert is_migrated(database)
    _prefect_database(database, "b2")  # replaced by a database at another revision
    assert not is_migrated(database)
    mark_migrated(database)
    mark = database.with_name("prefect.db.monitor-migrated.json")
    mark.write_text(json.dumps({"prefect": "0.0.1", "revision": "b2"}), encoding="utf-8")
    assert not is_migrated(database)  # another Prefect version may bring new migrations
    database.unlink()
    assert not is_migrated(database)
    assert not is_migrated(None)  # PostgreSQL: always Prefect's own check


def test_one_off_runs_start_their_own_server_quietly_and_migrate_once(
    tmp_path: Path, write_config, seed_site
) -> None:
    config = write_config(f'[[feeds]]\nname = "Seeds"\nurl = "{seed_site}"\n')
    home = tmp_path / "new" / "prefect-home"  # two levels to create (Prefect makes only one)
    mark = home / "prefect.db.monitor-migrated.json"
    lines = []
    for _ in range(2):
        done = _ingest(config, timeout=240, PREFECT_HOME=str(home))
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "ERROR" not in done.stderr, done.stderr
        assert json.loads(mark.read_text(encoding="utf-8"))["prefect"] == prefect.__version__
        # the mark matches the revision Prefect's own migrations left: the next start skips them
        assert is_migrated(home / "prefect.db")
        lines.append(done.stdout.strip().splitlines()[-1])
    assert lines[0].startswith("ingest ok: 1 feeds polled, 2 new articles")
    assert lines[1].startswith("ingest ok: 1 feeds polled, 0 new articles")


def test_an_unusable_prefect_home_is_named_at_once(tmp_path: Path, write_config) -> None:
    config = write_config('[[feeds]]\nname = "Off"\nurl = "http://127.0.0.1:9/feed.xml"\n')
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    done = _ingest(config, timeout=60, PREFECT_HOME=str(tmp_path / "a-file" / "prefect"))
    assert done.returncode == 1
    assert done.stderr.startswith("monitor: cannot create PREFECT_HOME "), done.stderr
    assert "Not a directory" in done.stderr and "Traceback" not in done.stderr


def test_a_server_that_cannot_start_is_reported_with_its_cause(
    tmp_path: Path, write_config
) -> None:
    config = write_config('[[feeds]]\nname = "Off"\nurl = "http://127.0.0.1:9/feed.xml"\n')
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    unopenable = tmp_path / "a-file" / "prefect.db"  # its folder is a file
    log = tmp_path / "data" / "prefect-server.log"  # beside the database
    log.parent.mkdir()
    log.write_text("sqlite3.OperationalError: a stale error of an earlier run\n", encoding="utf-8")
    env = {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_LOGGING_LEVEL": None,  # as a user has it: monitor chooses
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{unopenable}",
    }
    quiet = _ingest(config, timeout=90, **env)  # the server logs nothing unless verbose
    assert quiet.returncode == 1
    message = quiet.stderr.strip().splitlines()[-1]
    assert message.startswith("monitor: the temporary Prefect server exited"), quiet.stderr
    assert "it logged nothing: run again with --verbose" in message
    assert "stale" not in message  # only what this start logged is quoted
    verbose = _ingest(config, "--verbose", timeout=90, **env)
    assert verbose.returncode == 1
    message = verbose.stderr.strip().splitlines()[-1]
    assert "unable to open database file" in message and "prefect-server.log" in message
