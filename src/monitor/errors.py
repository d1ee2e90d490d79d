"""The errors a user acts on, kept free of heavy imports: the CLI (and so each extraction
worker, which re-imports the command's main module) loads them without DuckDB or feedparser."""

from __future__ import annotations


class StoreError(Exception):
    """A database problem the user must act on."""

    exit_code = 1


class DatabaseLocked(StoreError):
    """Another process holds the DuckDB file."""

    exit_code = 3


class DatabaseMissing(StoreError):
    """A read was asked of a database that does not exist yet."""

    exit_code = 1


class FeedNotFound(Exception):
    """No RSS/Atom feed could be found at or from an address."""


class ServerError(Exception):
    """Prefect's temporary API server could not be started."""

    exit_code = 1
