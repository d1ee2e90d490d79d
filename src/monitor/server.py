"""The Prefect API a command-line run talks to: the configured one, else a temporary local
server whose own logs go to a file (its shutdown tracebacks never reach the user's terminal)."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SERVER_LOG = "prefect-server.log"
PR_SET_PDEATHSIG = 1
STARTUP_TIMEOUT_S = 120


def configure_environment(verbose: bool = False) -> None:
    """Prefect settings for monitor's processes: no analytics, quiet logs unless verbose."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


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


def _server_class(log_path: Path, ui: bool) -> Any:
    """Prefect's temporary-server class, with its output sent to log_path."""
    from prefect.server.api.server import SubprocessASGIServer

    class LoggedServer(SubprocessASGIServer):
        """SubprocessASGIServer whose stdout and stderr go to a file."""

        def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
            import prefect
            from prefect.settings import get_current_settings

            env = {
                **os.environ,
                **get_current_settings().to_environment_variables(exclude_unset=True),
                "PREFECT_UI_ENABLED": "1" if ui else "0",
                "PREFECT__SERVER_FINAL": "1",
            }
            if not ui:  # a one-off run: no scheduler or other background services needed
                env["PREFECT__SERVER_EPHEMERAL"] = "1"
            log = open(log_path, "ab")  # noqa: SIM115 - handed to the child process
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

    return LoggedServer


@contextlib.contextmanager
def prefect_api(log_dir: Path, ui: bool = False) -> Iterator[str]:
    """Yield the API URL in use, starting a temporary server when none is configured.

    ui=True (for `monitor serve`) runs the server with its UI and background services (the
    scheduler that creates scheduled runs); otherwise it is a lean ephemeral API.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    server = _server_class(log_dir / SERVER_LOG, ui)()
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
