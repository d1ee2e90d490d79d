"""Full-text search (`monitor search`, the two fts indexes) and the analyst views of 003."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import store as store_mod
from monitor.cli import main
from monitor.models import Article, Mention, Stance
from monitor.store import Store, refresh_fulltext

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TEXTS = {
    1: (
        "EU weighs a sanction on Russian oil",
        "The European Union said it would impose a new "
        "sanction on Russian oil exports. Ursula von der Leyen said the sanction was overdue, "
        "and a further sanction package on Russian banks could follow. Another sanction, on "
        "shipping, is under discussion.",
    ),
    2: (
        "Harvest season begins",
        "Farmers in Spain began the grape harvest early this year after "
        "a hot summer. A brief mention of sanctions appeared in one speech about trade.",
    ),
    3: (
        "Rail strike in France",
        "Train drivers in France walked out over pay, halting most "
        "trains between Paris and Lyon on Tuesday.",
    ),
}


def _article(
    article_id: int, duplicate_of: int | None = None, story_id: int = 1, text_of: int | None = None
) -> Article:
    """A stored article with text TEXTS[text_of or article_id]; text 1 (not its duplicates)
    names the EU, Ursula von der Leyen and Russia and carries a stance."""
    source = 1 if duplicate_of else text_of or article_id
    title, text = TEXTS[source]
    tagged = source == 1 and duplicate_of is None
    return Article(
        article_id=article_id,
        feed_id="wire",
        url=f"https://news.example/{article_id}",
        canonical_url=f"https://news.example/{article_id}",
        first_seen_at=T0,
        published_at=T0 + timedelta(hours=article_id),
        text=text,
        title=title,
        content_hash=f"hash-{source}",
        extraction_method="trafilatura",
        site_name="Example News",
        duplicate_of=duplicate_of,
        story_id=story_id if source == 1 else 10 + article_id,
        mentions=[
            Mention("EU", "European Union", 0, 4, 18),
            Mention("ursula-von-der-leyen", "Ursula von der Leyen", 1, 90, 110, "EU"),
            Mention("RUS", "Russian", 0, 40, 47),
        ]
        if tagged
        else [],
        stances=[
            Stance("EU", "pressure-on-russia", "support", 0.9, "the sanction was overdue", 90, 150)
        ]
        if tagged
        else [],
    )


def _fill(path: Path, ids: list[int], duplicates: dict[int, int] | None = None) -> Store:
    """A migrated database holding the given articles."""
    store = Store(path)
    store.migrate()
    articles = [_article(i) for i in ids] + [_article(i, d) for i, d in (duplicates or {}).items()]
    with store.writer() as con:
        Store.save_articles(con, articles, None)
        Store.refresh_story_facts(con, {a.story_id for a in articles})  # as the ingest does
    return store


@pytest.fixture
def config(write_config, seed_site) -> Path:
    """A config whose database is data/monitor.duckdb next to it."""
    return write_config(f'[[feeds]]\nname = "S"\nurl = "{seed_site}"\n')


def _search(config: Path, capsys, query: str, *extra: str) -> list[dict]:
    """`monitor search QUERY --format json` as parsed rows."""
    assert main(["--config", str(config), "search", query, "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_search_stems_ranks_and_skips_duplicates(config, capsys) -> None:
    store = _fill(config.parent / "data" / "monitor.duckdb", [1, 2, 3], {4: 1})
    assert refresh_fulltext(store).mode == "full"
    rows = _search(config, capsys, "sanctions")
    assert [r["article_id"] for r in rows] == [1, 2]  # 1 says it four times; 4 is a duplicate
    assert set(rows[0]) == {"article_id", "title", "published_at", "site_name", "score"}
    assert rows[0]["score"] > rows[1]["score"] > 0
    assert [r["article_id"] for r in _search(config, capsys, "strikes")] == [3]
    assert _search(config, capsys, "the and of") == []  # stop words only
    assert len(_search(config, capsys, "sanction", "--limit", "1")) == 1


def test_new_articles_go_to_the_small_index_until_a_rebuild(config, capsys) -> None:
    path = config.parent / "data" / "monitor.duckdb"
    store = _fill(path, [3])
    assert refresh_fulltext(store).mode == "full"
    assert _search(config, capsys, "sanction") == []
    with store.writer() as con:
        Store.save_articles(con, [_article(5, text_of=1), _article(6, text_of=2)], None)
    refreshed = refresh_fulltext(store)
    assert (refreshed.mode, refreshed.indexed, refreshed.recent) == ("recent", 1, 2)
    assert refresh_fulltext(store).mode == "none"  # the small index is current
    assert [r["article_id"] for r in _search(config, capsys, "sanctions")] == [5, 6]
    assert refresh_fulltext(store, rebuild=True).indexed == 3
    assert [r["article_id"] for r in _search(config, capsys, "sanctions")] == [5, 6]
    assert refresh_fulltext(store).mode == "none"


def test_a_build_out_of_memory_is_retried_without_the_limit(config, capsys, caplog) -> None:
    store = _fill(config.parent / "data" / "monitor.duckdb", [1, 2, 3])
    with caplog.at_level("WARNING", logger="monitor.store"):
        assert refresh_fulltext(store, memory_limit="16KB").mode == "full"
    assert "full-text build out of memory at 16KB" in caplog.text
    assert [r["article_id"] for r in _search(config, capsys, "sanctions")] == [1, 2]


def test_search_before_any_index_explains(config, capsys) -> None:
    _fill(config.parent / "data" / "monitor.duckdb", [1])
    assert main(["--config", str(config), "search", "sanction"]) == 1
    assert "no full-text index" in capsys.readouterr().err


def test_rebuild_threshold_is_a_share_of_the_index(config, monkeypatch) -> None:
    store = _fill(config.parent / "data" / "monitor.duckdb", [1, 2])
    refresh_fulltext(store)
    monkeypatch.setattr(store_mod, "FTS_REBUILD_MIN", 1)
    with store.writer() as con:
        Store.save_articles(con, [_article(3)], None)
    assert refresh_fulltext(store).mode == "full"  # 1 new >= max(1, 10% of 2)


def test_views_exist_and_summarise(config) -> None:
    store = _fill(config.parent / "data" / "monitor.duckdb", [1, 2, 3], {4: 1})
    columns, rows = store.query(
        "SELECT actor_id, topic_id, polarity, article_id, title, url, "
        "source, published_at, story_id FROM stance_timeline"
    )
    assert rows == [
        (
            "EU",
            "pressure-on-russia",
            "support",
            1,
            TEXTS[1][0],
            "https://news.example/1",
            "Example News",
            T0 + timedelta(hours=1),
            1,
        )
    ]
    _, rows = store.query(
        "SELECT actor_id, mentions, articles, mentions_with_people, "
        "articles_with_people FROM actor_daily_mentions WHERE day = DATE "
        "'2026-03-02' ORDER BY actor_id"
    )
    assert rows == [("EU", 1, 1, 2, 1), ("RUS", 1, 1, 1, 1), ("ursula-von-der-leyen", 1, 1, 1, 1)]
    _, rows = store.query(
        "SELECT story_id, n_articles, n_sources, sources, top_actors, "
        "n_stances, n_support FROM story_overview WHERE story_id = 1"
    )
    assert rows == [(1, 1, 1, ["Example News"], ["RUS", "EU"], 1, 1)]  # a tie: later id first
    _, rows = store.query("SELECT count(*) FROM story_overview")
    assert rows == [(3,)]  # the duplicate adds no article to its story
