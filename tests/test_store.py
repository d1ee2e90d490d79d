"""The store: migrations, read-only queries, and a database held by another process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from monitor.store import DatabaseLocked, DatabaseMissing, Store, StoreError, migrations


def test_migrations_apply_once_and_are_recorded(tmp_path) -> None:
    store = Store(tmp_path / "m.duckdb")
    names = store.migrate()
    assert names == [m[1] for m in migrations()] and names[0] == "001_initial"
    assert store.migrate() == []
    _, rows = store.query("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [r[1] for r in rows] == names


def test_public_tables_and_columns_exist(tmp_path) -> None:
    store = Store(tmp_path / "m.duckdb")
    store.migrate()
    contract = {
        "feeds": {"feed_id", "name", "url", "last_polled_at", "last_status"},
        "articles": {
            "article_id",
            "feed_id",
            "url",
            "canonical_url",
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
            "story_id",
            "extraction_method",
            "near_duplicate_of",
        },
        "fetch_log": {
            "run_id",
            "at",
            "kind",
            "url",
            "status_code",
            "outcome",
            "bytes",
            "elapsed_ms",
            "error",
        },
        "runs": {"run_id", "flow", "started_at", "finished_at", "status"},
        "stories": {
            "story_id",
            "title",
            "first_seen_at",
            "last_seen_at",
            "n_articles",
            "n_sources",
        },
        "actor_mentions": {
            "article_id",
            "actor_id",
            "surface",
            "sentence_index",
            "char_start",
            "char_end",
            "via_actor_id",
        },
        "stances": {
            "article_id",
            "actor_id",
            "topic_id",
            "polarity",
            "confidence",
            "evidence",
            "char_start",
            "char_end",
            "method",
        },
        "digests": {
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
        },
    }
    for table, columns in contract.items():
        _, rows = store.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        )
        assert columns <= {r[0] for r in rows}, table


def test_query_is_read_only(tmp_path) -> None:
    store = Store(tmp_path / "m.duckdb")
    store.migrate()
    with pytest.raises(StoreError, match="read-only"):
        store.query("DELETE FROM articles")


def test_reading_a_missing_database_says_what_to_do(tmp_path) -> None:
    with pytest.raises(DatabaseMissing, match="monitor ingest"):
        Store(tmp_path / "none.duckdb").query("SELECT 1")


def test_a_held_file_waits_then_fails_with_a_clear_message(tmp_path) -> None:
    path = tmp_path / "held.duckdb"
    Store(path).migrate()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r})
        print("held", flush=True)
        time.sleep(30)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(DatabaseLocked) as info:
            Store(path, lock_timeout_s=1.0).migrate()
        assert time.monotonic() - started >= 1.0
        message = str(info.value)
        assert str(path) in message and "locked by another process" in message
        assert f"process {holder.pid}" in message and info.value.exit_code == 3
    finally:
        holder.kill()
        holder.wait()
    assert Store(path, lock_timeout_s=5).migrate() == []
