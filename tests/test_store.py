"""The store: migrations, read-only queries, and a database held by another process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor import store as store_mod
from monitor.config import SCHEMA_DIR, parse_config
from monitor.models import Article, Mention, Stance
from monitor.pipeline import Ingest
from monitor.store import (
    DatabaseLocked,
    DatabaseMissing,
    IdBlock,
    Store,
    StoreError,
    migrations,
)
from monitor.stories import StorySummary

SCENARIO = Path(__file__).resolve().parent / "fixtures" / "scenario"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PEOPLE = {"giorgia-meloni": "ITA", "donald-tusk": "POL"}


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
        "story_facts": {
            "story_id",
            "first_seen_at",
            "last_seen_at",
            "n_articles",
            "n_sources",
            "sources",
            "top_actors",
            "n_stances",
            "n_support",
            "n_oppose",
            "latest_stance_at",
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


def test_an_id_block_hands_out_what_the_sequence_would_have(tmp_path) -> None:
    store = Store(tmp_path / "m.duckdb")
    store.migrate()
    with store.writer() as con:
        first = Store.next_ids(con, "story_id_seq", 1)[0]
        block = IdBlock(con, "story_id_seq")
        handed = [block.next() for _ in range(3)]
        block.close()
        empty = IdBlock(con, "story_id_seq")
        empty.close()
        after = Store.next_ids(con, "story_id_seq", 1)[0]
    assert handed == [first + 1, first + 2, first + 3]
    assert after == first + 4  # the sequence went past the block; an unused block takes none


def test_bulk_writes_keep_every_value_as_it_was(tmp_path) -> None:
    """Rows travel to DuckDB as one JSON document: times, bytes, NULLs, quotes, non-ASCII,
    line separators, lists and NaN must come back unchanged, and typed by the table."""
    store = Store(tmp_path / "m.duckdb")
    store.migrate()
    when = datetime(2026, 11, 24, 17, 30, 1, 123456, tzinfo=UTC)
    tricky = "quote \" apostrophe ' backslash \\ newline \n é ✓ \u2028 end"
    columns: dict[str, list[Any]] = {
        "run_id": [7, None, 9],
        "at": [when, when + timedelta(days=400), when],
        "kind": ["page", "feed", tricky],
        "feed_id": [None, None, None],  # all NULL: typed by the table, not by the values
        "url": ["https://a.example/x?q=1&r='2'", "", tricky],
        "status_code": [200, None, 404],
        "outcome": ["ok", "timeout", "http_error"],
        "bytes": [2**40, 0, None],
        "elapsed_ms": [1.5, float("nan"), None],
        "error": [None, "read timed out", tricky],
    }
    with store.writer() as con:
        assert store_mod.insert_columns(con, "fetch_log", columns) == 3
        assert store_mod.insert_columns(con, "article_signatures", {"article_id": []}) == 0
        store_mod.insert_columns(
            con, "article_signatures", {"article_id": [1, 2], "minhash": [bytes(range(256)), b""]}
        )
        with store_mod.staged(con, "_names", {"name": ["b", tricky], "tags": [["x"], []]}):
            staged = con.execute("SELECT name, tags FROM _names ORDER BY name").fetchall()
    _, rows = store.query("SELECT * FROM fetch_log ORDER BY kind")
    by_kind = {row[2]: row for row in rows}
    assert by_kind["page"][:4] == (7, when, "page", None)
    assert by_kind["feed"][1] == when + timedelta(days=400) and by_kind["feed"][0] is None
    assert by_kind[tricky][4] == tricky and by_kind[tricky][9] == tricky
    assert by_kind["page"][7] == 2**40 and by_kind["feed"][8] != by_kind["feed"][8]  # NaN
    _, blobs = store.query("SELECT article_id, minhash FROM article_signatures ORDER BY 1")
    assert blobs == [(1, bytes(range(256))), (2, b"")]
    assert staged == [("b", ["x"]), (tricky, [])]


@pytest.mark.parametrize("limit", ["64MB", "300KB", "1KB"])
def test_a_write_is_kept_whatever_memory_its_checkpoint_gets(
    tmp_path, monkeypatch, caplog, limit
) -> None:
    """Each write is checkpointed into the file under a memory limit (64MB: enough); one too
    small for the checkpoint (300KB: DuckDB gives up on the instance) or for the limit itself
    (1KB: refused) leaves the write in the log, and later readers and writers see it."""
    store = Store(tmp_path / "m.duckdb")
    store.migrate()
    monkeypatch.setattr(store_mod, "CHECKPOINT_MEMORY_LIMIT", limit)
    n = 3000
    rows = {
        "run_id": list(range(n)),
        "at": [datetime(2026, 11, 25, tzinfo=UTC)] * n,
        "kind": ["page"] * n,
        "url": [f"https://a.example/{i}" for i in range(n)],
        "outcome": ["ok"] * n,
        "error": ["x" * 500] * n,
    }
    with caplog.at_level("DEBUG", logger="monitor.store"), store.writer() as con:
        store_mod.insert_columns(con, "fetch_log", rows)
    assert ("checkpoint" in caplog.text) == (limit != "64MB")  # the fallback was taken
    assert store.query("SELECT count(*) FROM fetch_log")[1] == [(n,)]
    monkeypatch.undo()  # the next writer checkpoints under the project's own limit
    with store.writer() as con:
        con.execute("DELETE FROM fetch_log WHERE run_id < 1000")
    assert store.query("SELECT count(*), min(run_id) FROM fetch_log")[1] == [(2000, 1000)]
    assert not (tmp_path / "m.duckdb.wal").exists()


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


# -- story_overview and the story_facts behind it ----------------------------------------------
def _overview_and_003(store: Store) -> tuple[list[tuple], list[tuple]]:
    """story_overview's rows, and the rows of 003's story_overview (aggregated from the base
    tables at query time) over the same data, both by story_id."""
    sql = (SCHEMA_DIR / "003_views.sql").read_text(encoding="utf-8")
    view = sql[sql.index("CREATE OR REPLACE VIEW story_overview AS") :]
    with store.writer() as con:
        con.execute(view.replace("VIEW story_overview AS", "TEMP VIEW story_overview_003 AS", 1))
        now = con.execute("SELECT * FROM story_overview ORDER BY story_id").fetchall()
        then = con.execute("SELECT * FROM story_overview_003 ORDER BY story_id").fetchall()
    return now, then


def _article(
    article_id: int,
    story_id: int,
    source: str,
    hour: int,
    mentions: tuple[str, ...] = (),
    stances: tuple[tuple[str, str], ...] = (),
    duplicate_of: int | None = None,
) -> Article:
    """An article published at T0 + hour; people in PEOPLE are mentioned via their country."""
    return Article(
        article_id=article_id,
        feed_id=source.lower(),
        url=f"https://news.example/{article_id}",
        canonical_url=f"https://news.example/{article_id}",
        first_seen_at=T0 + timedelta(hours=hour, minutes=5),
        published_at=T0 + timedelta(hours=hour),
        text=f"Text of {duplicate_of or article_id}.",
        title=f"Title {article_id}",
        content_hash=f"hash-{duplicate_of or article_id}",
        extraction_method="text",
        site_name=source,
        story_id=story_id,
        duplicate_of=duplicate_of,
        mentions=[Mention(a, a, 0, i, i + 1, PEOPLE.get(a)) for i, a in enumerate(mentions)],
        stances=[Stance(a, "russia-dialogue", p, 0.8, "evidence", 0, 8) for a, p in stances],
    )


def _h(hours: int) -> timedelta:
    """A number of hours."""
    return timedelta(hours=hours)


def _write_batch(store: Store, articles: list[Article]) -> int:
    """Store a batch as Ingest.store_batch does: articles, their stories, the stories' facts."""
    touched = sorted({a.story_id for a in articles if a.story_id and a.duplicate_of is None})
    summaries = [
        StorySummary(s, f"Story {s}", T0, T0, 0, 0, min(a.article_id for a in articles))
        for s in touched
    ]
    with store.writer() as con:
        Store.save_articles(con, articles, None)
        Store.save_stories(con, summaries)
        return Store.refresh_story_facts(con, touched)


def test_story_facts_follow_articles_mentions_and_stances_added_to_a_story(tmp_path) -> None:
    store = Store(tmp_path / "m.duckdb")
    store.migrate()
    first = [
        _article(1, 1, "Alpha", 1, ("ITA", "FRA", "RUS"), (("ITA", "support"),)),
        _article(2, 1, "Beta", 2, ("FRA", "DEU")),
        _article(3, 2, "Alpha", 3, ("GBR",), (("GBR", "oppose"),)),
    ]
    assert _write_batch(store, first) == 2
    now, then = _overview_and_003(store)
    assert now == then
    columns = "n_articles, sources, top_actors, n_stances, n_support, n_oppose, last_seen_at"
    _, rows = store.query(f"SELECT {columns} FROM story_overview WHERE story_id = 1")
    assert rows == [(2, ["Alpha", "Beta"], ["FRA", "RUS", "ITA", "DEU"], 1, 1, 0, T0 + _h(2))]

    # Story 1 gains an article from a new source naming two people (rolled up to ITA and POL)
    # with two stances, and a duplicate whose mentions and stances must not count.
    second = [
        _article(
            4,
            1,
            "Gamma",
            5,
            ("giorgia-meloni", "donald-tusk"),
            (("ITA", "oppose"), ("POL", "neutral")),
        ),
        _article(5, 1, "Delta", 6, ("RUS", "RUS", "UKR"), (("RUS", "support"),), duplicate_of=1),
    ]
    assert _write_batch(store, second) == 1
    now, then = _overview_and_003(store)
    assert now == then and len(now) == 2
    _, rows = store.query(
        f"SELECT {columns}, n_sources, first_seen_at, latest_stance_at, title, "
        "central_article_id FROM story_overview WHERE story_id = 1"
    )
    assert rows == [
        (
            3,  # the duplicate is left out
            ["Alpha", "Beta", "Gamma"],
            ["ITA", "FRA", "RUS", "POL", "DEU"],  # ITA 2 (Meloni), FRA 2, then ties by id
            3,
            1,
            1,
            T0 + _h(5),
            3,
            T0 + _h(1),
            T0 + _h(5),
            "Story 1",
            4,
        )
    ]
    _, rows = store.query("SELECT story_id, n_articles, n_stances FROM story_facts ORDER BY 1")
    assert rows == [(1, 3, 3), (2, 1, 1)]
    with store.writer() as con:
        assert Store.refresh_story_facts(con, []) == 0
        assert Store.refresh_story_facts(con, [None, 99]) == 0  # no articles: no row


def test_each_ingest_batch_keeps_story_overview_current(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = (SCENARIO / "2026-01-20-italy-germany-shift.txt").read_text(encoding="utf-8")
    meta: dict[str, Any] = json.loads(
        (SCENARIO / "2026-01-20-italy-germany-shift.json").read_text(encoding="utf-8")
    )
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "a.json").write_text(json.dumps(meta), encoding="utf-8")
    config = parse_config(
        {"database": "m.duckdb", "feeds": [{"name": "Docs", "url": str(folder)}]}, tmp_path, "t"
    )

    def ingest() -> None:
        with Ingest(config, all_feeds=True) as job:
            polls = [job.poll(feed) for feed in job.begin()]
            for batch in job.batches(job.select(polls)):
                job.store_batch(job.analyse(job.fetch(batch)))
            assert job.finish(polls).status == "ok"

    store = Store(config.database)
    ingest()
    before, then = _overview_and_003(store)
    assert before == then and [r[4:6] for r in before] == [(1, 1)]  # n_articles, n_sources
    # A rewrite from another outlet (same story, more mentions and stances) and a copy.
    extra = "\n\nPolish Prime Minister Donald Tusk said Poland supports sending troops to Ukraine."
    (folder / "b.txt").write_text(text + extra, encoding="utf-8")
    rewrite = {"source": "Baltic Wire", "url": "https://baltic.example/b"}
    (folder / "b.json").write_text(json.dumps(meta | rewrite), encoding="utf-8")
    (folder / "c.txt").write_text(text, encoding="utf-8")
    copy = {"source": "Copy Desk", "url": "https://copy.example/c"}
    (folder / "c.json").write_text(json.dumps(meta | copy), encoding="utf-8")
    ingest()
    after, then = _overview_and_003(store)
    assert after == then
    _, rows = store.query("SELECT story_id, count(*) FROM articles GROUP BY 1")
    assert rows == [(before[0][0], 3)]  # both joined the story
    assert [r[4:7] for r in after] == [(2, 2, ["Baltic Wire", "Continental Dispatch"])]
    assert after[0][8] > before[0][8] > 0  # n_stances


def test_migration_004_fills_story_facts_from_existing_data(tmp_path, monkeypatch) -> None:
    store = Store(tmp_path / "m.duckdb")
    every = migrations()
    monkeypatch.setattr(store_mod, "migrations", lambda: [m for m in every if m[0] < 4])
    assert store.migrate() == ["001_initial", "003_views"]
    articles = [
        _article(1, 1, "Alpha", 1, ("ITA", "FRA", "giorgia-meloni"), (("ITA", "support"),)),
        _article(2, 1, "Beta", 2, ("FRA", "donald-tusk"), (("POL", "oppose"),)),
        _article(3, 1, "Gamma", 3, ("RUS",), (("RUS", "neutral"),), duplicate_of=2),
        _article(4, 2, "Alpha", 4, ()),
        _article(5, 3, "Beta", 5, ("GBR", "GBR")),
    ]
    with store.writer() as con:
        Store.save_articles(con, articles, None)
        Store.save_stories(con, [StorySummary(1, "Story 1", T0, T0, 2, 2, 1)])
    _, before = store.query("SELECT * FROM story_overview ORDER BY story_id")  # 003's view
    assert len(before) == 3
    monkeypatch.setattr(store_mod, "migrations", lambda: every)
    assert store.migrate() == ["004_story_overview"]
    _, after = store.query("SELECT * FROM story_overview ORDER BY story_id")
    assert after == before
    _, rows = store.query("SELECT story_id, n_articles, top_actors FROM story_facts ORDER BY 1")
    assert rows == [(1, 2, ["FRA", "POL", "ITA"]), (2, 1, []), (3, 1, ["GBR"])]
