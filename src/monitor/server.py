"""The Prefect API a command-line run talks to: the configured one, else a temporary local
server whose own logs go to a file (its shutdown tracebacks never reach the user's terminal)."""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from monitor.errors import ServerError

logger = logging.getLogger(__name__)

SERVER_LOG = "prefect-server.log"
PR_SET_PDEATHSIG = 1
STARTUP_TIMEOUT_S = 120
STARTUP_POLL_S = 0.1
STOP_TIMEOUT_S = 5
PORT_TAKEN_EXIT = 3  # uvicorn's exit code when it cannot bind
MAX_LAUNCHES = 3  # a server that keeps exiting with that code has another problem
LOG_TAIL_LINES = 3  # lines of the server's log quoted when it does not start
LOG_NOISE = (" ", "(", "Traceback", "The above exception")  # traceback lines not quoted
SQLITE_URL_PREFIX = "sqlite+aiosqlite:///"
MIGRATED_SUFFIX = ".monitor-migrated.json"  # beside Prefect's database: its checked revision
# a one-off run's server skips what only a long-lived server needs: registering block types
# (hashing Prefect's block registry at every start) and the services behind the UI
ONE_OFF_SERVER_ENV = {
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
    "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


def configure_environment(verbose: bool = False) -> None:
    """Prefect settings for monitor's processes: no analytics, quiet logs unless verbose."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    # the server's log file gets its errors only when verbose: a clean stop logs tracebacks
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR" if verbose else "CRITICAL")


def _libc() -> Any:
    """The C library, resolved in the parent (nothing may be looked up after fork)."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def _die_with_parent() -> None:
    """In the server's process: end it when monitor ends, even by SIGKILL (Linux prctl)."""
    prctl = getattr(_LIBC, "prctl", None)
    if prctl is not None:  # elsewhere the server is stopped at exit as usual
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def quiet_run_loggers(verbose: bool) -> None:
    """Keep Prefect's tracebacks of failed runs off the terminal; the CLI prints the cause."""
    if verbose:
        return
    for name in (
        "prefect.flow_runs",
        "prefect.task_runs",
        "prefect.flow_engine",
        "prefect.task_engine",
    ):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def prefect_database() -> Path | None:
    """The file of Prefect's SQLite database, None when it is another database (PostgreSQL)."""
    from prefect.settings import get_current_settings

    url = get_current_settings().server.database.connection_url
    value = url.get_secret_value() if url is not None else ""
    return (
        Path(value.removeprefix(SQLITE_URL_PREFIX)) if value.startswith(SQLITE_URL_PREFIX) else None
    )


def database_revision(database: Path) -> str | None:
    """The schema revision (alembic) of a Prefect SQLite database; None when unreadable."""
    if not database.is_file():
        return None
    try:
        with contextlib.closing(
            sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        ) as con:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _migrated_mark(database: Path) -> Path:
    """The file recording the revision a server of this Prefect version migrated to."""
    return database.with_name(database.name + MIGRATED_SUFFIX)


def _current_mark(database: Path) -> dict[str, str] | None:
    """What a mark must hold for this database now: the Prefect version and its revision."""
    import prefect

    revision = database_revision(database)
    return {"prefect": prefect.__version__, "revision": revision} if revision else None


def is_migrated(database: Path | None) -> bool:
    """True when this Prefect version already brought the database to its schema revision
    (its server may then skip the migration check, a second of CPU at every start)."""
    if database is None:
        return False
    try:
        mark = json.loads(_migrated_mark(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    current = _current_mark(database)
    return current is not None and mark == current


def mark_migrated(database: Path | None) -> None:
    """Record the revision a server that ran its migrations left the database at."""
    if database is None or (current := _current_mark(database)) is None:
        return
    with contextlib.suppress(OSError):
        _migrated_mark(database).write_text(json.dumps(current), encoding="utf-8")


def _log_size(path: Path) -> int:
    """The size of a log file so far (0 when there is none)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _log_tail(path: Path, start: int) -> str:
    """What a server logged from byte `start` on, its last lines quoted for an error message."""
    try:
        with open(path, "rb") as log:
            log.seek(start)
            lines = log.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    tail = [line.strip() for line in lines if line.strip() and not line.startswith(LOG_NOISE)]
    if not tail:
        return " (it logged nothing: run again with --verbose to have it log its errors)"
    return f" (its log ends: {' | '.join(tail[-LOG_TAIL_LINES:])})"


def prepare_home() -> None:
    """Create the folder PREFECT_HOME names, parents included (Prefect creates only the last
    level, and its server then cannot open its database)."""
    home = os.environ.get("PREFECT_HOME")
    if not home:
        return
    path = Path(home).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerError(
            f"cannot create PREFECT_HOME {path}: {exc.strerror or exc}; set PREFECT_HOME to a "
            "folder monitor may write to (or unset it to use ~/.prefect)"
        ) from None


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TemporaryServer:
    """A Prefect API server in a child process (uvicorn), its output sent to a log file.

    Prefect's own SubprocessASGIServer does the same, but importing it loads the whole server
    application (FastAPI, SQLAlchemy, about 80 MB) into the process that only needs a client.
    """

    def __init__(self, log_path: Path, ui: bool) -> None:
        self.log_path, self.ui = log_path, ui
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.database = prefect_database()
        self.migrates = not is_migrated(self.database)

    @property
    def address(self) -> str:
        """The server's base URL (its UI when enabled)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The URL of its API."""
        return f"{self.address}/api"

    def _launch(self) -> subprocess.Popen[bytes]:
        """Start uvicorn on self.port with Prefect's app factory."""
        import prefect
        from prefect.settings import get_current_settings

        env = {
            **os.environ,
            **get_current_settings().to_environment_variables(exclude_unset=True),
            "PREFECT_UI_ENABLED": "1" if self.ui else "0",
            "PREFECT__SERVER_FINAL": "1",
        }
        if not self.ui:  # a one-off run: no scheduler or other background services needed
            env.update(ONE_OFF_SERVER_ENV)
        if not self.migrates:
            env["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] = "false"
        with open(self.log_path, "ab") as log:
            return subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    str(prefect.__module_path__.parent),
                    "--factory",
                    "prefect.server.api.server:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "error",
                    "--lifespan",
                    "on",
                ],
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl-C reaches monitor first, which stops it cleanly
                preexec_fn=_die_with_parent,
            )

    def start(self, timeout: float) -> None:
        """Start the server and wait until its health check answers."""
        import httpx

        log_start = _log_size(self.log_path)  # the log is appended to: quote only this start
        self.process = self._launch()
        launches = 1
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code == PORT_TAKEN_EXIT and launches < MAX_LAUNCHES:  # port taken meanwhile
                    self.port = _free_port()
                    self.process = self._launch()
                    launches += 1
                elif code is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                        if self.migrates:
                            mark_migrated(self.database)
                        return
                time.sleep(STARTUP_POLL_S)
        code = self.process.poll()
        self.stop()
        state = f"exited with code {code}" if code is not None else f"not ready after {timeout:g} s"
        raise ServerError(
            f"the temporary Prefect server {state}{_log_tail(self.log_path, log_start)}; see "
            f"{self.log_path}, or set PREFECT_API_URL to a running server (`prefect server start`)"
        )

    def stop(self) -> None:
        """Stop the server (terminate, then kill after STOP_TIMEOUT_S)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def prefect_api(log_dir: Path, ui: bool = False) -> Iterator[str]:
    """Yield the API URL in use, starting a temporary server when none is configured.

    ui=True (for `monitor serve`) runs the server with its UI and background services (the
    scheduler that creates scheduled runs); otherwise it is a lean ephemeral API.
    """
    prepare_home()  # before Prefect is imported: its settings create the home at import
    from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    server = TemporaryServer(log_dir / SERVER_LOG, ui)
    logger.info("starting a temporary Prefect server (logs in %s)", log_dir / SERVER_LOG)
    server.start(timeout=STARTUP_TIMEOUT_S)
    # a one-off run's server dies with it: its logs would be lost, and sending them late
    # makes the process wait on a stopped server; with the UI (serve) they are kept
    updates = {PREFECT_API_URL: server.api_url, PREFECT_LOGGING_TO_API_ENABLED: ui}
    try:
        with temporary_settings(updates=updates):
            os.environ["PREFECT_API_URL"] = server.api_url  # for flow-run subprocesses
            yield server.address
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()
