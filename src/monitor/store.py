"""Storage: the only module that talks to DuckDB: migrations, batched writes, read-only SQL."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb

from monitor.config import SCHEMA_DIR
from monitor.errors import DatabaseLocked, DatabaseMissing, StoreError
from monitor.models import Article

logger = logging.getLogger(__name__)

MIGRATION_FILE = re.compile(r"^(\d{3})_[\w-]+\.sql$")
LOCK_MESSAGE = re.compile(r"lock", re.IGNORECASE)
FIRST_BACKOFF_S = 0.2
READ_WAIT_S = 10.0
MAX_BACKOFF_S = 5.0
# DuckDB's buffers while a committed write is checkpointed into the file: without a limit they
# grow with the table it rewrites (a 200-article write checkpointed 240 MB on 16,000 articles)
CHECKPOINT_MEMORY_LIMIT = "64MB"
ARTICLE_COLUMNS = (
    "article_id",
    "feed_id",
    "url",
    "canonical_url",
    "guid",
    "title",
    "author",
    "published_at",
    "first_seen_at",
    "language",
    "site_name",
    "text",
    "summary",
    "word_count",
    "content_hash",
    "duplicate_of",
    "near_duplicate_of",
    "near_duplicate_similarity",
    "story_id",
    "extraction_method",
)
PARTS = (
    ("actor_mentions", "mentions"),
    ("actor_candidates", "candidates"),
    ("stances", "stances"),
)


@dataclass
class FeedState:
    """What the database remembers of a feed between polls."""

    feed_id: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    consecutive_failures: int = 0
    next_poll_at: datetime | None = None
    last_polled_at: datetime | None = None
    disabled: bool = False
    poll_minutes: float | None = None


@dataclass
class FeedUpdate:
    """The outcome of one poll, written back to `feeds`."""

    feed_id: str
    last_polled_at: datetime
    last_status: str
    last_error: str | None
    last_success_at: datetime | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    consecutive_failures: int
    next_poll_at: datetime
    disabled: bool
    items_last_poll: int
    new_items_last_poll: int


@dataclass
class FetchLogRow:
    """One attempt to fetch a feed, a page or a robots.txt."""

    run_id: int | None
    at: datetime
    kind: str
    feed_id: str | None
    url: str | None
    status_code: int | None
    outcome: str
    bytes: int | None
    elapsed_ms: float | None
    error: str | None


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write a committed transaction into the database file under CHECKPOINT_MEMORY_LIMIT.

    Nothing is lost when that is too little: the write-ahead log keeps the transaction until a
    checkpoint succeeds. Closing the connection then checkpoints without the limit, or, when
    DuckDB gave up on this database instance (a fatal error), the next open replays the log."""
    try:
        con.execute("SET memory_limit = ?", [CHECKPOINT_MEMORY_LIMIT])
        con.execute("CHECKPOINT")
    except duckdb.FatalException as exc:
        logger.warning(
            "checkpoint left to the next open of the database: %s", str(exc).split("\n", 1)[0]
        )
    except duckdb.Error as exc:
        logger.debug(
            "checkpoint within %s failed: %s", CHECKPOINT_MEMORY_LIMIT, str(exc).split("\n", 1)[0]
        )
        con.execute("RESET memory_limit")


def _is_lock_error(exc: Exception) -> bool:
    """True when DuckDB refused the file because another process holds it."""
    return isinstance(exc, duckdb.IOException) and bool(LOCK_MESSAGE.search(str(exc)))


def _holder(exc: Exception) -> str:
    """The PID that holds the lock, as DuckDB reports it, for the message."""
    found = re.search(r"PID (\d+)", str(exc))
    return f" (held by process {found.group(1)})" if found else ""


def record(row: Any) -> dict[str, Any]:
    """A flat dataclass as a column -> value dict (dataclasses.asdict deep-copies every value)."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def _json_value(value: Any) -> Any:
    """A value json.dumps does not know, as JSON: times in ISO 8601, bytes in hex."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    raise TypeError(f"cannot store a {type(value).__name__} value in DuckDB: {value!r}")


def _sql_type(values: Sequence[Any]) -> str:
    """The DuckDB type of a column's Python values (VARCHAR when all are None)."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return "VARCHAR"
    if kinds <= {bool}:
        return "BOOLEAN"
    if all(issubclass(k, str) for k in kinds):
        return "VARCHAR"
    if all(issubclass(k, datetime) for k in kinds):
        aware = any(v is not None and v.tzinfo is not None for v in values)
        return "TIMESTAMPTZ" if aware else "TIMESTAMP"
    if all(issubclass(k, date) for k in kinds):
        return "DATE"
    if all(issubclass(k, bytes | bytearray | memoryview) for k in kinds):
        return "BLOB"
    if all(issubclass(k, list | tuple) for k in kinds):
        return _sql_type([item for v in values if v is not None for item in v]) + "[]"
    if all(hasattr(k, "__index__") and k is not bool for k in kinds):
        return "BIGINT"
    if all(hasattr(k, "__float__") for k in kinds):
        return "DOUBLE"
    raise TypeError(f"cannot store values of types {sorted(k.__name__ for k in kinds)} together")


def _quote(name: str) -> str:
    """An SQL identifier, double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def _table_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The column types of a table, by column name."""
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE {table}").fetchall()}


def _from_json(
    columns: Mapping[str, Sequence[Any]], known: Mapping[str, str] | None = None
) -> tuple[str, list[str]]:
    """A SELECT of equal-length column lists sent as one JSON document, and its parameter;
    columns take their type from `known` (a table's), else from their values.

    One statement for any number of rows, without Arrow: scanning a Python object makes DuckDB
    import pyarrow's dataset and compute libraries, about 60 MB in the ingest process.
    """
    known = known or {}
    types = {c: known.get(c) or _sql_type(v) for c, v in columns.items()}
    shape = json.dumps({c: ("VARCHAR" if t == "BLOB" else t) + "[]" for c, t in types.items()})
    picks = ", ".join(f"unnest(j.{_quote(c)}) AS {_quote(c)}" for c in columns)
    outer = ", ".join(
        f"unhex({_quote(c)}) AS {_quote(c)}" if t == "BLOB" else _quote(c) for c, t in types.items()
    )
    payload = json.dumps(columns, default=_json_value, ensure_ascii=False)
    shape_literal = shape.replace("'", "''")
    select = (
        f"SELECT {outer} FROM (SELECT {picks} FROM (SELECT from_json(?, '{shape_literal}') AS j))"
    )
    return select, [payload]


def _columns(rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """Row dicts (all with the same keys) as column lists."""
    return {c: [r[c] for r in rows] for c in rows[0]} if rows else {}


@contextlib.contextmanager
def staged(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Mapping[str, Sequence[Any]],
    like: str | None = None,
) -> Iterator[str]:
    """Equal-length column lists as a temporary table `name` for the statements inside, their
    types those of the same columns of table `like` (else inferred from the values)."""
    select, params = _from_json(columns, _table_types(con, like) if like else None)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_quote(name)} AS {select}", params)
    try:
        yield name
    finally:
        con.execute(f"DROP TABLE IF EXISTS temp.{_quote(name)}")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk insert row dicts by column name: one statement per table."""
    return insert_columns(con, table, _columns(rows))


def insert_columns(
    con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Sequence[Any]]
) -> int:
    """Bulk insert equal-length column lists by column name: one statement per table."""
    rows = len(next(iter(columns.values()), []))
    if not rows:
        return 0
    select, params = _from_json(columns, _table_types(con, table))
    con.execute(f"INSERT INTO {table} BY NAME {select}", params)
    return rows


def _part_columns(owners: Sequence[tuple[int, Any]]) -> dict[str, list[Any]]:
    """Columns of (article_id, dataclass) pairs: article_id, then the dataclass fields."""
    if not owners:
        return {}
    names = [f.name for f in fields(owners[0][1])]
    columns = {"article_id": [article_id for article_id, _ in owners]}
    columns.update({n: [getattr(part, n) for _, part in owners] for n in names})
    return columns


def migrations() -> list[tuple[int, str, Path]]:
    """The ordered SQL migrations in schemas/."""
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), path.stem, path))
    return found


# The story_facts rows (schemas/004_story_overview.sql) of the stories listed in _facts_ids:
# 003's story_overview aggregation (which filled the table in 004), restricted to those stories
# in its first step, so the cost follows their articles, not the database. The tests compare it
# with 003's definition.
STORY_FACTS_INSERT = """
INSERT INTO story_facts
WITH members AS (
    SELECT
        article_id,
        story_id,
        coalesce(published_at, first_seen_at) AS article_time,
        coalesce(site_name, feed_id) AS source
    FROM articles
    WHERE duplicate_of IS NULL AND story_id IN (SELECT story_id FROM _facts_ids)
),
spans AS (
    SELECT
        story_id,
        min(article_time) AS first_seen_at,
        max(article_time) AS last_seen_at,
        count(*) AS n_articles,
        count(DISTINCT source) AS n_sources,
        list(DISTINCT source ORDER BY source) AS sources
    FROM members
    GROUP BY story_id
),
story_actors AS (
    SELECT
        r.story_id,
        coalesce(m.via_actor_id, m.actor_id) AS actor_id,
        count(DISTINCT m.article_id) AS n
    FROM actor_mentions m
    JOIN members r USING (article_id)
    GROUP BY ALL
),
top_actors AS (
    SELECT story_id, arg_max(actor_id, (n, actor_id), 5) AS top_actors
    FROM story_actors
    GROUP BY story_id
),
story_stances AS (
    SELECT
        r.story_id,
        count(*) AS n_stances,
        count(*) FILTER (WHERE s.polarity = 'support') AS n_support,
        count(*) FILTER (WHERE s.polarity = 'oppose') AS n_oppose,
        max(r.article_time) AS latest_stance_at
    FROM stances s
    JOIN members r USING (article_id)
    GROUP BY r.story_id
)
SELECT
    p.story_id,
    p.first_seen_at,
    p.last_seen_at,
    p.n_articles,
    p.n_sources,
    p.sources,
    coalesce(t.top_actors, []) AS top_actors,
    coalesce(ss.n_stances, 0) AS n_stances,
    coalesce(ss.n_support, 0) AS n_support,
    coalesce(ss.n_oppose, 0) AS n_oppose,
    ss.latest_stance_at
FROM spans p
LEFT JOIN top_actors t USING (story_id)
LEFT JOIN story_stances ss USING (story_id)
"""


class IdBlock:
    """Ids handed out from one sequence inside one write transaction: the first is read from the
    sequence, the others counted on from it, and the sequence is advanced past them in one
    statement at the end, so n ids cost two statements, not n (the run lock keeps the sequence
    to this writer)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, sequence: str) -> None:
        self.con, self.sequence = con, sequence
        self._first: int | None = None
        self._used = 0

    def next(self) -> int:
        """The next id."""
        if self._first is None:
            self._first = Store.next_ids(self.con, self.sequence, 1)[0]
        self._used += 1
        return self._first + self._used - 1

    def close(self) -> None:
        """Advance the sequence past the ids handed out."""
        Store.next_ids(self.con, self.sequence, self._used - 1)


class Store:
    """A DuckDB file, opened briefly for each read or write batch."""

    def __init__(self, path: str | os.PathLike[str], lock_timeout_s: float = 120.0) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s

    # -- connections ---------------------------------------------------------------------
    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        """Open the file, retrying with backoff while another process holds it."""
        wait_s = min(self.lock_timeout_s, READ_WAIT_S) if read_only else self.lock_timeout_s
        deadline = time.monotonic() + wait_s
        delay = FIRST_BACKOFF_S
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise StoreError(f"cannot open the database {self.path}: {exc}") from None
                if time.monotonic() >= deadline:
                    raise DatabaseLocked(self._locked_message(exc, read_only)) from None
                logger.info("database %s is locked; retrying in %.1fs", self.path, delay)
                time.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_S)

    def _locked_message(self, exc: Exception, read_only: bool) -> str:
        """The message for a file another process holds."""
        wait_s = min(self.lock_timeout_s, READ_WAIT_S) if read_only else self.lock_timeout_s
        waited = f" after waiting {wait_s:g}s"
        return (
            f"the database file {self.path} is locked by another process{_holder(exc)}"
            f"{waited}. Close the other DuckDB session (a duckdb shell or notebook) or wait "
            "for the running ingest to finish, then try again; to read while flows run use "
            "`monitor sql` or `monitor export`."
        )

    @contextlib.contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection for the length of one query."""
        if not self.path.exists():
            raise DatabaseMissing(
                f"there is no database at {self.path} yet: run `monitor ingest` "
                "first (or check `database` in the config)"
            )
        con = self._open(read_only=True)
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection inside one transaction: committed whole or not at all."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only=False)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
            _checkpoint(con)
        finally:
            con.close()

    @contextlib.contextmanager
    def run_lock(self, wait: bool = True, timeout_s: float | None = None) -> Iterator[bool]:
        """The project's lock for writers: yields False when busy and wait is False."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+") as handle:
            acquired = self._acquire(handle, wait, timeout_s)
            try:
                yield acquired
            finally:
                if acquired:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def _acquire(handle: Any, wait: bool, timeout_s: float | None) -> bool:
        """Take an exclusive flock, waiting up to timeout_s (forever when None)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if not wait or (deadline is not None and time.monotonic() >= deadline):
                    return False
                time.sleep(0.2)

    # -- schema --------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded in schema_migrations; returns their names."""
        applied: list[str] = []
        with self.writer() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, "
                "name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
            )
            done = {
                row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()
            }
            for version, name, path in migrations():
                if version in done:
                    continue
                con.execute(path.read_text(encoding="utf-8"))
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, utcnow()]
                )
                applied.append(name)
        if applied:
            logger.info("applied migrations %s to %s", ", ".join(applied), self.path)
        return applied

    # -- reads ---------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple]]:
        """Run read-only SQL; returns column names and rows."""
        with self.reader() as con:
            try:
                cursor = con.execute(sql, params or [])
            except duckdb.Error as exc:
                raise StoreError(f"query failed: {exc}") from None
            columns = [d[0] for d in cursor.description] if cursor.description else []
            return columns, cursor.fetchall()

    def export_parquet(self, out_dir: Path) -> list[tuple[str, Path, int]]:
        """Copy every table to out_dir/TABLE.parquet; returns (table, path, rows)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        with self.reader() as con:
            tables = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_type = "
                    "'BASE TABLE' AND table_schema = 'main' ORDER BY 1"
                ).fetchall()
            ]
            for table in tables:
                path = out_dir / f"{table}.parquet"
                con.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT parquet)")
                rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()
                written.append((table, path, int(rows[0]) if rows else 0))
        return written

    # -- runs ----------------------------------------------------------------------------
    def repair(self) -> int:
        """Mark runs left `running` by a crashed process as `crashed`; call under the run lock."""
        with self.writer() as con:
            rows = con.execute(
                "UPDATE runs SET status = 'crashed', finished_at = ?, "
                "message = coalesce(message, 'process ended without finishing') "
                "WHERE status = 'running' RETURNING run_id",
                [utcnow()],
            ).fetchall()
        if rows:
            logger.warning("marked %d interrupted run(s) as crashed", len(rows))
        return len(rows)

    def start_run(self, flow: str, status: str = "running", message: str | None = None) -> int:
        """Insert a `runs` row and return its id."""
        with self.writer() as con:
            run_id = con.execute("SELECT nextval('run_id_seq')").fetchone()[0]  # type: ignore[index]
            now = utcnow()
            con.execute(
                "INSERT INTO runs (run_id, flow, started_at, status, pid, message, "
                "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    flow,
                    now,
                    status,
                    os.getpid(),
                    message,
                    None if status == "running" else now,
                ],
            )
        return int(run_id)

    def finish_run(
        self,
        con: duckdb.DuckDBPyConnection,
        run_id: int,
        status: str,
        counts: dict[str, int],
        message: str | None = None,
    ) -> None:
        """Close a run with its status and counts, inside the caller's transaction."""
        con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, feeds_polled = ?, "
            "entries_seen = ?, new_articles = ?, duplicates = ?, errors = ?, message = ? "
            "WHERE run_id = ?",
            [
                utcnow(),
                status,
                counts.get("feeds_polled", 0),
                counts.get("entries_seen", 0),
                counts.get("new_articles", 0),
                counts.get("duplicates", 0),
                counts.get("errors", 0),
                message,
                run_id,
            ],
        )

    # -- feeds ---------------------------------------------------------------------------
    def sync_feeds(self, feeds: Iterable[Any]) -> None:
        """Insert configured feeds that are new; keep names and URLs current."""
        rows = [
            {"feed_id": f.feed_id, "name": f.name, "url": f.url, "poll_minutes": f.poll_minutes}
            for f in feeds
        ]
        if not rows:
            return
        with self.writer() as con, staged(con, "_cfg", _columns(rows), like="feeds"):
            con.execute(
                "UPDATE feeds SET name = c.name, url = c.url, "
                "poll_minutes = c.poll_minutes FROM _cfg c "
                "WHERE feeds.feed_id = c.feed_id AND (feeds.name <> c.name OR "
                "feeds.url <> c.url OR feeds.poll_minutes IS DISTINCT FROM "
                "c.poll_minutes)"
            )
            con.execute(
                "INSERT INTO feeds (feed_id, name, url, poll_minutes, added_at, "
                "consecutive_failures, disabled) SELECT c.feed_id, c.name, c.url, "
                "c.poll_minutes, ?, 0, FALSE FROM _cfg c WHERE c.feed_id NOT IN "
                "(SELECT feed_id FROM feeds)",
                [utcnow()],
            )

    def feed_states(self) -> dict[str, FeedState]:
        """The polling state of every stored feed."""
        with self.writer() as con:
            rows = con.execute(
                "SELECT feed_id, etag, last_modified, body_hash, "
                "coalesce(consecutive_failures, 0), next_poll_at, last_polled_at, "
                "coalesce(disabled, FALSE), poll_minutes FROM feeds"
            ).fetchall()
        return {r[0]: FeedState(*r) for r in rows}

    def enable_feed(self, feed_id: str) -> bool:
        """Re-enable a disabled feed and reset its failure count."""
        with self.writer() as con:
            rows = con.execute(
                "UPDATE feeds SET disabled = FALSE, consecutive_failures = 0, "
                "next_poll_at = NULL WHERE feed_id = ? RETURNING feed_id",
                [feed_id],
            ).fetchall()
        return bool(rows)

    @staticmethod
    def update_feeds(con: duckdb.DuckDBPyConnection, updates: Sequence[FeedUpdate]) -> None:
        """Write poll outcomes back to `feeds`, in the caller's transaction."""
        if not updates:
            return
        with staged(con, "_upd", _columns([record(u) for u in updates]), like="feeds"):
            con.execute(
                "UPDATE feeds SET last_polled_at = u.last_polled_at, "
                "last_status = u.last_status, last_error = u.last_error, "
                "last_success_at = coalesce(u.last_success_at, feeds.last_success_at), "
                "etag = u.etag, last_modified = u.last_modified, body_hash = u.body_hash, "
                "consecutive_failures = u.consecutive_failures, "
                "next_poll_at = u.next_poll_at, disabled = u.disabled, "
                "items_last_poll = u.items_last_poll, "
                "new_items_last_poll = u.new_items_last_poll "
                "FROM _upd u WHERE feeds.feed_id = u.feed_id"
            )

    # -- articles ------------------------------------------------------------------------
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of urls already stored as an article's canonical URL, URL or GUID."""
        wanted = sorted(set(u for u in urls if u))
        if not wanted:
            return set()
        with self.writer() as con:
            return Store.known_in(con, wanted)

    @staticmethod
    def known_in(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> set[str]:
        """known_urls inside the caller's transaction: one query for all urls."""
        wanted = sorted(set(u for u in urls if u))
        if not wanted:
            return set()
        with staged(con, "_urls", {"u": wanted}):
            rows = con.execute(
                "SELECT u FROM _urls WHERE u IN (SELECT canonical_url FROM "
                "articles) OR u IN (SELECT url FROM articles) OR u IN "
                "(SELECT guid FROM articles WHERE guid IS NOT NULL)"
            ).fetchall()
        return {r[0] for r in rows}

    @staticmethod
    def hash_owners(
        con: duckdb.DuckDBPyConnection, hashes: Iterable[str]
    ) -> dict[str, tuple[int, int | None]]:
        """For each content hash already stored, the first article carrying it and its story."""
        wanted = sorted(set(hashes))
        if not wanted:
            return {}
        with staged(con, "_h", {"h": wanted}):
            rows = con.execute(
                "SELECT content_hash, min(article_id), arg_min(story_id, article_id) "
                "FROM articles WHERE content_hash IN (SELECT h FROM _h) GROUP BY 1"
            ).fetchall()
        return {h: (int(i), None if story is None else int(story)) for h, i, story in rows}

    @staticmethod
    def next_ids(con: duckdb.DuckDBPyConnection, sequence: str, n: int) -> list[int]:
        """n fresh ids from a sequence."""
        if n <= 0:
            return []
        rows = con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()
        return [int(r[0]) for r in rows]

    def recent_signatures(self, days: float) -> list[tuple[int, bytes]]:
        """MinHash signatures of articles first seen in the last `days` (near-duplicate index)."""
        since = utcnow() - timedelta(days=days)
        with self.writer() as con:
            rows = con.execute(
                "SELECT s.article_id, s.minhash FROM article_signatures s JOIN "
                "articles a USING (article_id) WHERE a.first_seen_at >= ? "
                "ORDER BY s.article_id",
                [since],
            ).fetchall()
        return [(int(i), bytes(b)) for i, b in rows]

    def open_story_articles(self, window_days: float) -> list[dict[str, Any]]:
        """Articles of stories still open: their last article is within the window of the newest."""
        with self.writer() as con:
            cursor = con.execute(
                "WITH latest AS (SELECT max(last_seen_at) AS t FROM stories) "
                "SELECT a.article_id, a.story_id, coalesce(a.title, '') AS title, a.text, "
                "coalesce(a.published_at, a.first_seen_at) AS published_at, "
                "coalesce(a.site_name, a.feed_id, '') AS source, "
                "list(DISTINCT coalesce(m.via_actor_id, m.actor_id)) "
                "FILTER (WHERE m.actor_id IS NOT NULL) AS actors "
                "FROM articles a JOIN stories s USING (story_id) "
                "LEFT JOIN actor_mentions m ON m.article_id = a.article_id "
                "WHERE s.last_seen_at >= "
                "(SELECT t FROM latest) - to_days(CAST(ceil(?) AS INTEGER)) "
                "AND a.duplicate_of IS NULL "
                "GROUP BY ALL ORDER BY published_at, a.article_id",
                [window_days],
            )
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def save_articles(
        con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: int | None
    ) -> None:
        """Insert articles with their signatures, mentions, candidates and stances."""
        if not articles:
            return
        columns = {c: [getattr(a, c) for a in articles] for c in ARTICLE_COLUMNS}
        insert_columns(con, "articles", columns | {"run_id": [run_id] * len(articles)})
        signed = [a for a in articles if a.minhash]
        insert_columns(
            con,
            "article_signatures",
            {"article_id": [a.article_id for a in signed], "minhash": [a.minhash for a in signed]},
        )
        for table, attribute in PARTS:
            owners = [(a.article_id, part) for a in articles for part in getattr(a, attribute)]
            insert_columns(con, table, _part_columns(owners))

    @staticmethod
    def save_stories(con: duckdb.DuckDBPyConnection, summaries: Sequence[Any]) -> None:
        """Replace the rows of the given stories with their new summaries."""
        if not summaries:
            return
        with staged(con, "_s", _columns([record(s) for s in summaries]), like="stories"):
            con.execute("DELETE FROM stories WHERE story_id IN (SELECT story_id FROM _s)")
            con.execute("INSERT INTO stories BY NAME SELECT * FROM _s")

    @staticmethod
    def refresh_story_facts(con: duckdb.DuckDBPyConnection, story_ids: Iterable[int | None]) -> int:
        """Recompute the story_facts rows (behind story_overview) of the given stories from
        their articles, mentions and stances, in the caller's transaction: call it after
        writing articles, with the stories they belong to. Returns the rows written."""
        wanted = sorted({int(i) for i in story_ids if i is not None})
        if not wanted:
            return 0
        with staged(con, "_facts_ids", {"story_id": wanted}):
            con.execute(
                "DELETE FROM story_facts WHERE story_id IN (SELECT story_id FROM _facts_ids)"
            )
            row = con.execute(STORY_FACTS_INSERT).fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def log_fetches(con: duckdb.DuckDBPyConnection, rows: Sequence[FetchLogRow]) -> None:
        """Append fetch attempts to fetch_log."""
        insert_rows(con, "fetch_log", [record(r) for r in rows])


# -- digest ----------------------------------------------------------------------------------
# Reads and writes of the daily digest (monitor.digest). Every function takes the connection of
# the caller's transaction; times are aware datetimes; a window is [start, end), start None = all.
DIGEST_ROW_COLUMNS = (
    "digest_id",
    "window_start",
    "window_end",
    "created_at",
    "md_path",
    "html_path",
    "n_stories",
    "n_stance_changes",
    "sent_to",
    "sent_at",
    "send_error",
)
_IN_WINDOW = "(? IS NULL OR a.first_seen_at >= ?) AND a.first_seen_at < ?"
_ARTICLE_TIME = "coalesce(a.published_at, a.first_seen_at)"


def _dict_rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed query as dicts."""
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def digest_last_end(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The end of the latest digest's window (None before the first digest)."""
    row = con.execute("SELECT max(window_end) FROM digests").fetchone()
    return row[0] if row else None


def digest_article_count(
    con: duckdb.DuckDBPyConnection, start: datetime | None, end: datetime
) -> int:
    """Distinct articles (not duplicates) first seen in the window."""
    row = con.execute(
        f"SELECT count(*) FROM articles a WHERE a.duplicate_of IS NULL AND {_IN_WINDOW}",
        [start, start, end],
    ).fetchone()
    return int(row[0]) if row else 0


def digest_stances(
    con: duckdb.DuckDBPyConnection, start: datetime | None, end: datetime
) -> list[dict[str, Any]]:
    """Stances of the distinct articles first seen in the window, oldest first."""
    return _dict_rows(
        con.execute(
            f"SELECT s.actor_id, s.topic_id, s.polarity, s.confidence, s.evidence, s.char_start, "
            "a.article_id, a.title, a.url, a.site_name, a.feed_id, "
            f"{_ARTICLE_TIME} AS article_time "
            f"FROM stances s JOIN articles a USING (article_id) "
            f"WHERE a.duplicate_of IS NULL AND {_IN_WINDOW} "
            f"ORDER BY article_time, a.article_id, s.char_start",
            [start, start, end],
        )
    )


def digest_latest_stances(
    con: duckdb.DuckDBPyConnection, before: datetime | None
) -> list[dict[str, Any]]:
    """Per (actor, topic): the latest support/oppose stance first seen before `before`, or the
    latest neutral one when there is none (by article time, article id, confidence, offset)."""
    if before is None:
        return []
    return _dict_rows(
        con.execute(
            f"SELECT s.actor_id, s.topic_id, s.polarity, {_ARTICLE_TIME} AS article_time, "
            f"a.article_id FROM stances s JOIN articles a USING (article_id) "
            f"WHERE a.duplicate_of IS NULL AND a.first_seen_at < ? "
            f"QUALIFY row_number() OVER (PARTITION BY s.actor_id, s.topic_id ORDER BY "
            f"(s.polarity <> 'neutral') DESC, {_ARTICLE_TIME} DESC, a.article_id DESC, "
            f"s.confidence DESC NULLS LAST, s.char_start) = 1 ORDER BY s.actor_id, s.topic_id",
            [before],
        )
    )


def digest_stories(
    con: duckdb.DuckDBPyConnection, start: datetime | None, end: datetime
) -> list[dict[str, Any]]:
    """Stories with an article first seen in the window, with what was known by its end."""
    return _dict_rows(
        con.execute(
            f"WITH touched AS (SELECT DISTINCT a.story_id FROM articles a WHERE "
            f"a.story_id IS NOT NULL AND {_IN_WINDOW}) "
            f"SELECT a.story_id, any_value(s.title) AS title, "
            f"any_value(s.central_article_id) AS central_article_id, "
            f"min(a.first_seen_at) AS first_seen_at, max({_ARTICLE_TIME}) AS latest_at, "
            f"count(*) FILTER (WHERE {_IN_WINDOW}) AS n_new, count(*) AS n_articles, "
            f"count(DISTINCT coalesce(a.site_name, a.feed_id)) AS n_sources "
            f"FROM articles a JOIN touched USING (story_id) LEFT JOIN stories s USING (story_id) "
            f"WHERE a.first_seen_at < ? GROUP BY a.story_id ORDER BY a.story_id",
            [start, start, end, start, start, end, end],
        )
    )


def digest_story_articles(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[int], end: datetime
) -> list[dict[str, Any]]:
    """The articles of some stories first seen before `end`, oldest first, with their text."""
    if not story_ids:
        return []
    return _dict_rows(
        con.execute(
            f"SELECT a.article_id, a.story_id, a.title, a.url, a.site_name, a.feed_id, a.text, "
            f"a.duplicate_of, a.first_seen_at, {_ARTICLE_TIME} AS article_time FROM articles a "
            f"WHERE a.story_id IN (SELECT unnest(?)) AND a.first_seen_at < ? "
            f"ORDER BY article_time, a.article_id",
            [list(story_ids), end],
        )
    )


def digest_story_actors(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[int], end: datetime
) -> list[dict[str, Any]]:
    """Per story and actor: distinct articles first seen before `end` naming the actor (most
    named first, then in order of first mention)."""
    if not story_ids:
        return []
    return _dict_rows(
        con.execute(
            "SELECT a.story_id, m.actor_id, count(DISTINCT a.article_id) AS n "
            "FROM actor_mentions m "
            "JOIN articles a USING (article_id) WHERE a.story_id IN (SELECT unnest(?)) "
            "AND a.duplicate_of IS NULL AND a.first_seen_at < ? GROUP BY ALL ORDER BY a.story_id, "
            "n DESC, min(a.article_id), min(m.char_start), m.actor_id",
            [list(story_ids), end],
        )
    )


def digest_actor_counts(
    con: duckdb.DuckDBPyConnection, start: datetime | None, end: datetime
) -> dict[str, int]:
    """Distinct articles naming each actor among the articles first seen in the window."""
    rows = con.execute(
        f"SELECT m.actor_id, count(DISTINCT a.article_id) FROM actor_mentions m "
        f"JOIN articles a USING (article_id) WHERE a.duplicate_of IS NULL AND {_IN_WINDOW} "
        f"GROUP BY 1",
        [start, start, end],
    ).fetchall()
    return {actor_id: int(n) for actor_id, n in rows}


def digest_feed_problems(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Feeds that are failing (consecutive failures) or disabled, with their last error."""
    return _dict_rows(
        con.execute(
            "SELECT feed_id, name, url, coalesce(consecutive_failures, 0) AS failures, "
            "coalesce(disabled, FALSE) AS disabled, last_status, last_error, last_success_at "
            "FROM feeds WHERE coalesce(consecutive_failures, 0) > 0 OR coalesce(disabled, FALSE) "
            "ORDER BY disabled DESC, failures DESC, name"
        )
    )


def digest_page_failures(
    con: duckdb.DuckDBPyConnection, start: datetime | None, end: datetime
) -> list[dict[str, Any]]:
    """Pages fetched in the window that failed or gave no text (fetch_log page/extract rows)."""
    return _dict_rows(
        con.execute(
            'SELECT l."at", l.kind, l.feed_id, f.name AS feed_name, l.url, l.status_code, '
            "l.outcome, l.error FROM fetch_log l LEFT JOIN feeds f USING (feed_id) "
            "WHERE (l.kind = 'extract' OR (l.kind = 'page' AND l.outcome NOT IN ('ok', "
            '\'not_modified\'))) AND (? IS NULL OR l."at" >= ?) AND l."at" < ? '
            'ORDER BY l."at", l.url',
            [start, start, end],
        )
    )


def digest_insert(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> int:
    """Insert a digests row (digest_id drawn from digest_id_seq); returns its id."""
    row_id = con.execute("SELECT nextval('digest_id_seq')").fetchone()
    digest_id = int(row_id[0]) if row_id else 0
    values = {c: row.get(c) for c in DIGEST_ROW_COLUMNS} | {"digest_id": digest_id}
    con.execute(
        f"INSERT INTO digests ({', '.join(DIGEST_ROW_COLUMNS)}) VALUES "
        f"({', '.join('?' for _ in DIGEST_ROW_COLUMNS)})",
        list(values.values()),
    )
    return digest_id


def digest_update_files(
    con: duckdb.DuckDBPyConnection, digest_id: int, row: dict[str, Any]
) -> None:
    """Rewrite a digest's files and counts (a digest of the identical window made again)."""
    con.execute(
        "UPDATE digests SET created_at = ?, md_path = ?, html_path = ?, n_stories = ?, "
        "n_stance_changes = ? WHERE digest_id = ?",
        [
            row["created_at"],
            row["md_path"],
            row["html_path"],
            row["n_stories"],
            row["n_stance_changes"],
            digest_id,
        ],
    )


def digest_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every digests row, oldest first."""
    return _dict_rows(
        con.execute(f"SELECT {', '.join(DIGEST_ROW_COLUMNS)} FROM digests ORDER BY digest_id")
    )


def digest_mark_sent(
    con: duckdb.DuckDBPyConnection, digest_id: int, sent_to: str, sent_at: datetime
) -> None:
    """Record a delivered digest: it is never sent again."""
    con.execute(
        "UPDATE digests SET sent_to = ?, sent_at = ?, send_error = NULL WHERE digest_id = ?",
        [sent_to, sent_at, digest_id],
    )


def digest_mark_failed(con: duckdb.DuckDBPyConnection, digest_id: int, error: str) -> None:
    """Record a failed delivery: the next digest run retries it."""
    con.execute(
        "UPDATE digests SET send_error = ? WHERE digest_id = ? AND sent_at IS NULL",
        [error, digest_id],
    )


# -- full-text search and views ----------------------------------------------------------------
# Search over articles' title and text with DuckDB's fts extension (BM25, English stemmer and
# stop words), loaded from the duckdb-extension-fts package: nothing is downloaded. An fts index
# is a snapshot, so there are two: the main index over `articles` (schema fts_main_articles),
# rebuilt in full only when the articles it lacks reach FTS_REBUILD_SHARE of those it holds (and
# at least FTS_REBUILD_MIN), and a small index over the articles added since, copied into
# fulltext.recent (schema fts_fulltext_recent) and rebuilt at every refresh, in time proportional
# to the new articles only. A search asks both and merges by score (the small index's document
# frequencies come from fewer articles, so its scores are approximate until the next full
# rebuild folds them in). Duplicate articles are indexed but never returned. Scores are the
# extension's BM25 (k 1.2, b 0.75), computed once for the query's postings (match_bm25 runs per
# row: 2-4x slower); each index's postings are sorted by term so a query reads only its terms'
# row groups. The views
# stance_timeline, actor_daily_mentions and story_overview are in schemas/003_views.sql;
# story_overview reads story_facts since 004 (kept by Store.refresh_story_facts).
FTS_MAIN = "fts_main_articles"
FTS_RECENT_TABLE = "fulltext.recent"
FTS_RECENT = "fts_fulltext_recent"
FTS_REBUILD_SHARE = 0.1
FTS_REBUILD_MIN = 5_000
FTS_THREADS = 1  # DuckDB threads for an index build: fewer use less memory, in the same time
FTS_MEMORY_LIMIT = "128MB"  # DuckDB's buffers for it, spilled to disk beyond: 100k articles
# peak at 355 MB instead of 3.1 GB, in the same 80 s
FTS_OPTIONS = (
    "stemmer = 'english', stopwords = 'english', ignore = '(\\.|[^a-z0-9])+', "
    "strip_accents = 1, lower = 1, overwrite = 1"
)
SEARCH_COLUMNS = ("article_id", "title", "published_at", "site_name", "score")
BM25_K, BM25_B = 1.2, 0.75


@dataclass
class FulltextRefresh:
    """What a refresh of the full-text indexes did."""

    mode: str  # full | recent | none
    indexed: int  # articles in the main index
    recent: int  # articles in the small index of newer articles
    seconds: float


def fts_extension_path() -> Path:
    """The fts extension file shipped in the duckdb-extension-fts package."""
    import duckdb_extension_fts

    folder = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(folder.glob(f"v{duckdb.__version__}/fts.duckdb_extension")) or sorted(
        folder.glob("*/fts.duckdb_extension")
    )
    if not found:
        raise StoreError(
            f"the DuckDB fts extension is missing from {folder}: reinstall "
            "duckdb-extension-fts at the version of duckdb"
        )
    return found[-1]


def load_fulltext(con: duckdb.DuckDBPyConnection) -> None:
    """Load the fts extension on a connection (read-only connections too)."""
    con.execute(f"LOAD '{fts_extension_path()}'")


def _fts_indexes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The fts index schemas that exist in the database."""
    rows = con.execute(
        "SELECT DISTINCT table_schema FROM information_schema.tables WHERE "
        "table_schema IN (?, ?) AND table_name = 'docs'",
        [FTS_MAIN, FTS_RECENT],
    ).fetchall()
    return {r[0] for r in rows}


def _fts_unindexed(main: bool) -> str:
    """SQL of the articles the main index lacks (all of them when there is none)."""
    if not main:
        return "SELECT article_id, title, text FROM articles"
    return (
        f"SELECT article_id, title, text FROM articles WHERE article_id NOT IN "
        f"(SELECT name FROM {FTS_MAIN}.docs)"
    )


def _fts_build(con: duckdb.DuckDBPyConnection, table: str, schema: str) -> None:
    """Create the fts index of a table, its postings sorted by term."""
    con.execute(f"PRAGMA create_fts_index('{table}', 'article_id', 'title', 'text', {FTS_OPTIONS})")
    con.execute(
        f"CREATE OR REPLACE TABLE {schema}.terms AS SELECT * FROM {schema}.terms "
        "ORDER BY termid, docid"
    )


def _fts_recent(con: duckdb.DuckDBPyConnection, main: bool) -> int:
    """Copy the articles the main index lacks into fulltext.recent and index them; how many."""
    con.execute("CREATE SCHEMA IF NOT EXISTS fulltext")
    con.execute(f"CREATE OR REPLACE TABLE {FTS_RECENT_TABLE} AS {_fts_unindexed(main)}")
    row = con.execute(f"SELECT count(*) FROM {FTS_RECENT_TABLE}").fetchone()
    count = int(row[0]) if row else 0
    if count:
        _fts_build(con, FTS_RECENT_TABLE, FTS_RECENT)
    elif FTS_RECENT in _fts_indexes(con):
        con.execute(f"PRAGMA drop_fts_index('{FTS_RECENT_TABLE}')")
    return count


def _recent_is_current(con: duckdb.DuckDBPyConnection, pending: int) -> bool:
    """True when the recent index holds exactly the articles the main index lacks."""
    if FTS_RECENT not in _fts_indexes(con):
        return pending == 0
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE article_id NOT IN (SELECT "
        f"article_id FROM {FTS_RECENT_TABLE})) FROM ({_fts_unindexed(True)})"
    ).fetchone()
    indexed = con.execute(f"SELECT count(*) FROM {FTS_RECENT}.docs").fetchone()
    return bool(row and indexed and row[0] == pending == indexed[0] and row[1] == 0)


def refresh_fulltext(
    store: Store,
    rebuild: bool = False,
    threads: int | None = FTS_THREADS,
    memory_limit: str | None = FTS_MEMORY_LIMIT,
) -> FulltextRefresh:
    """Bring the full-text indexes up to date: the small index always, the main one when due.

    threads and memory_limit bound DuckDB for the build (it spills to disk beyond the limit);
    a build that still runs out of memory is retried once without the limit."""
    try:
        return _refresh_fulltext(store, rebuild, threads, memory_limit)
    except duckdb.OutOfMemoryException as exc:
        if memory_limit is None:
            raise
        logger.warning("full-text build out of memory at %s (%s); retrying", memory_limit, exc)
        return _refresh_fulltext(store, rebuild, threads, None)


def _refresh_fulltext(
    store: Store, rebuild: bool, threads: int | None, memory_limit: str | None
) -> FulltextRefresh:
    """refresh_fulltext with the given DuckDB limits."""
    started = time.monotonic()
    with store.writer() as con:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        load_fulltext(con)
        main = FTS_MAIN in _fts_indexes(con)
        row = con.execute(f"SELECT count(*) FROM {FTS_MAIN}.docs").fetchone() if main else None
        indexed = int(row[0]) if row else 0
        row = con.execute(f"SELECT count(*) FROM ({_fts_unindexed(main)})").fetchone()
        pending = int(row[0]) if row else 0
        due = not main or pending >= max(FTS_REBUILD_MIN, FTS_REBUILD_SHARE * indexed)
        if rebuild or due:
            _fts_build(con, "articles", FTS_MAIN)
            mode, indexed, recent = "full", indexed + pending, _fts_recent(con, True)
        elif _recent_is_current(con, pending):
            mode, recent = "none", pending
        elif pending or FTS_RECENT in _fts_indexes(con):
            mode, recent = "recent", _fts_recent(con, True)
        else:
            mode, recent = "none", 0
    result = FulltextRefresh(mode, indexed, recent, time.monotonic() - started)
    logger.info(
        "full-text refresh (%s): %d articles indexed, %d in the recent index, %.2fs",
        result.mode,
        result.indexed,
        result.recent,
        result.seconds,
    )
    return result


def _bm25_sql(con: duckdb.DuckDBPyConnection, schema: str, query: str) -> str | None:
    """SQL of (article_id, score) for one index; None when no query term is in it."""
    rows = con.execute(
        f"SELECT termid FROM {schema}.dict WHERE term IN (SELECT stem(unnest("
        f"{schema}.tokenize($q)), 'english'))",
        {"q": query},
    ).fetchall()
    if not rows:
        return None
    ids = ", ".join(str(int(r[0])) for r in rows)
    return (
        f"SELECT docs.name AS article_id, sum(log((st.num_docs - d.df + 0.5) / (d.df + 0.5) "
        f"+ 1) * tf.tf * ({BM25_K} + 1) / (tf.tf + {BM25_K} * (1 - {BM25_B} + {BM25_B} * "
        f"docs.len / st.avgdl))) AS score FROM (SELECT docid, termid, count(*) AS tf FROM "
        f"{schema}.terms WHERE termid IN ({ids}) GROUP BY ALL) tf JOIN {schema}.dict d "
        f"USING (termid) JOIN {schema}.docs docs USING (docid) CROSS JOIN {schema}.stats st "
        "GROUP BY docs.name"
    )


def search(store: Store, query: str, limit: int = 20) -> tuple[list[str], list[tuple]]:
    """Distinct articles matching query, best BM25 score first: (columns, rows)."""
    with store.reader() as con:
        load_fulltext(con)
        indexes = _fts_indexes(con)
        if FTS_MAIN not in indexes:
            raise StoreError(
                f"{store.path} has no full-text index yet: it is built at the end "
                "of each `monitor ingest` run"
            )
        try:
            parts = [
                sql
                for sql in (
                    _bm25_sql(con, schema, query)
                    for schema in (FTS_MAIN, FTS_RECENT)
                    if schema in indexes
                )
                if sql
            ]
            if not parts:
                return list(SEARCH_COLUMNS), []
            cursor = con.execute(
                f"SELECT a.article_id, a.title, a.published_at, a.site_name, "
                f"round(h.score, 4) AS score FROM ({' UNION ALL '.join(parts)}) h "
                "JOIN articles a USING (article_id) WHERE a.duplicate_of IS NULL "
                "ORDER BY h.score DESC, a.article_id DESC LIMIT ?",
                [limit],
            )
        except duckdb.Error as exc:
            raise StoreError(f"search failed: {exc}") from None
        return list(SEARCH_COLUMNS), cursor.fetchall()
