"""End to end: the Prefect ingest flow over the seeds, checked through `monitor sql`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.cli import main

from .conftest import ROOT, SEED_000, SEED_003, SEEDS
from .newsroom import article_html

pytestmark = pytest.mark.usefixtures("prefect_server")

FURNITURE = ["Editor in Chief", "Supervisor", "صدى البلد البلد سبورت", "\nads\n"]


def sql(config: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """Rows of a query run through the CLI, as dicts."""
    capsys.readouterr()
    assert main(["--config", str(config), "sql", query, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def serve_seeds(server: HTTPServer) -> str:
    """Serve the seed feed and pages; returns the feed URL."""
    site = SEEDS / "site"
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/news/feed.xml").respond_with_data(
        (site / "feed.xml").read_bytes(), content_type="application/rss+xml"
    )
    for name in (SEED_000, SEED_003):
        body = (site / f"{name}.html").read_bytes()
        server.expect_request(f"/news/{name}.html").respond_with_data(
            body, content_type="text/html; charset=utf-8"
        )
    return server.url_for("/news/feed.xml")


def loopback_config(write_config, feeds: list[tuple[str, str]]) -> Path:
    """A config for loopback feeds, fast and allowed to reach 127.0.0.1."""
    tables = "".join(f'[[feeds]]\nname = "{n}"\nurl = "{u}"\n' for n, u in feeds)
    return write_config(
        "[fetch]\nallow_private_networks = true\nper_host_delay_s = 0\n"
        "timeout_s = 5\nretries = 0\n" + tables
    )


def test_default_config_stores_the_two_seeds_once(write_config, capsys) -> None:
    body = (ROOT / "monitor.toml").read_text(encoding="utf-8")
    config = write_config(body.replace('url = "seeds/site"', f'url = "{SEEDS / "site"}"'))
    assert main(["--config", str(config), "ingest", "--all"]) == 0
    line = capsys.readouterr().out
    assert "1 feeds polled, 2 new articles, 0 duplicates" in line
    rows = sql(
        config,
        "select title, published_at, word_count, text, site_name, "
        "extraction_method from articles order by published_at",
        capsys,
    )
    assert [r["title"] for r in rows] == [
        "UK Rejects France and Italy’s Push for Diplomatic Re-engagement with Putin",
        "UK France and Italy Diverge on Strategy for Engaging with Putin",
    ]
    assert rows[0]["published_at"].startswith("2026-01-16T12:21:00")
    text = "\n" + rows[0]["text"] + "\n"
    assert "I think we need evidence that Putin actually wants peace" in text
    for furniture in FURNITURE:
        assert furniture not in text
    assert all(r["word_count"] > 200 for r in rows)
    assert main(["--config", str(config), "ingest", "--all"]) == 0
    assert "0 new articles" in capsys.readouterr().out
    assert sql(config, "select count(*) as n from articles", capsys) == [{"n": 2}]


def test_http_feed_end_to_end_with_duplicates_and_tracking_links(
    httpserver: HTTPServer, write_config, capsys
) -> None:
    feed_url = serve_seeds(httpserver)
    same = (SEEDS / "site" / f"{SEED_000}.html").read_bytes()
    httpserver.expect_request("/mirror/copy.html").respond_with_data(same, content_type="text/html")
    mirror = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Mirror</title>
      <item><title>Copy</title><link>{httpserver.url_for("/mirror/copy.html")}</link></item>
      <item><title>Tracked</title>
        <link>{httpserver.url_for(f"/news/{SEED_003}.html")}?utm_source=x&amp;fbclid=1#top</link>
      </item></channel></rss>"""
    httpserver.expect_request("/mirror/feed.xml").respond_with_data(
        mirror, content_type="application/rss+xml"
    )
    config = loopback_config(write_config, [("Seeds", feed_url)])
    assert main(["--config", str(config), "ingest"]) == 0
    assert "2 new articles" in capsys.readouterr().out

    config = loopback_config(
        write_config, [("Seeds", feed_url), ("Mirror", httpserver.url_for("/mirror/feed.xml"))]
    )
    assert main(["--config", str(config), "ingest", "--all"]) == 0
    assert "0 new articles, 1 duplicates" in capsys.readouterr().out
    rows = sql(
        config,
        "select article_id, url, duplicate_of, feed_id from articles order by article_id",
        capsys,
    )
    assert len(rows) == 3
    copy = rows[2]
    assert copy["url"].endswith("/mirror/copy.html") and copy["feed_id"] == "mirror"
    original = next(r for r in rows if r["url"].endswith(f"{SEED_000}.html"))
    assert copy["duplicate_of"] == original["article_id"]
    fetched = sql(config, "select url from fetch_log where kind = 'page'", capsys)
    assert sum(SEED_003 in r["url"] for r in fetched) == 1  # the tracked link was not fetched

    capsys.readouterr()
    assert main(["--config", str(config), "status"]) == 0
    status = capsys.readouterr().out
    assert "Seeds" in status and "Mirror" in status and "Last runs" in status


def test_same_site_rel_canonical_is_the_identity(
    httpserver: HTTPServer, write_config, capsys
) -> None:
    page = (SEEDS / "site" / f"{SEED_003}.html").read_text(encoding="utf-8")
    canonical = httpserver.url_for("/news/the-story")
    page = page.replace("<head>", f'<head><link rel="canonical" href="{canonical}">', 1)
    for path in ("/amp/the-story", "/print/the-story"):
        httpserver.expect_request(path).respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    items = "".join(
        f"<item><title>T</title><link>{httpserver.url_for(p)}</link></item>"
        for p in ("/amp/the-story", "/print/the-story")
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    config = loopback_config(write_config, [("Site", httpserver.url_for("/feed.xml"))])
    assert main(["--config", str(config), "ingest"]) == 0
    assert "1 new articles" in capsys.readouterr().out
    rows = sql(config, "select canonical_url, duplicate_of from articles", capsys)
    assert rows == [{"canonical_url": canonical, "duplicate_of": None}]


def test_the_feed_date_wins_over_a_date_guessed_from_the_page_text(
    httpserver: HTTPServer, write_config, capsys
) -> None:
    """A page with no date metadata shows only a related teaser's date: the feed's pubDate is
    stored. A page that declares its date keeps it over the feed's."""
    teaser = '<aside class="related"><a href="/old">Older</a><span class="date">01.08.2019</span>'
    declared = '<meta property="og:published_time" content="2026-01-19T08:00:00Z"></head>'
    pages = {
        "/news/undated-1.html": article_html(1).replace("</article>", f"</article>{teaser}"),
        "/news/declared-2.html": article_html(2).replace("</head>", declared),
    }
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    for path, body in pages.items():
        httpserver.expect_request(path).respond_with_data(body, content_type="text/html")
    items = "".join(
        f"<item><title>Item {path}</title><link>{httpserver.url_for(path)}</link>"
        "<pubDate>Tue, 20 Jan 2026 10:00:00 GMT</pubDate></item>"
        for path in pages
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Dates</title>{items}'
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    config = loopback_config(write_config, [("Dates", httpserver.url_for("/feed.xml"))])
    assert main(["--config", str(config), "ingest"]) == 0
    rows = sql(config, "select url, published_at from articles order by url", capsys)
    dates = {row["url"].rsplit("/", 1)[1]: row["published_at"][:19] for row in rows}
    assert dates == {
        "declared-2.html": "2026-01-19T08:00:00",
        "undated-1.html": "2026-01-20T10:00:00",
    }


def test_a_json_feed_is_found_from_the_home_page_and_ingested(
    httpserver: HTTPServer, write_config, capsys
) -> None:
    """add-feed follows <link rel=alternate type=application/feed+json>; ingest stores its
    items' pages with the item's author and date."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/news/item-3.html").respond_with_data(
        article_html(3), content_type="text/html"
    )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Wire",
        "items": [
            {
                "id": "item-3",
                "url": httpserver.url_for("/news/item-3.html"),
                "title": "Housing bill in Warsaw",
                "authors": [{"name": "Ann Lee"}],
                "date_published": "2026-01-20T10:00:00Z",
            }
        ],
    }
    httpserver.expect_request("/feed.json").respond_with_json(
        feed, content_type="application/feed+json"
    )
    httpserver.expect_request("/").respond_with_data(
        '<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">'
        "</head><body>Home</body></html>",
        content_type="text/html",
    )
    config = loopback_config(write_config, [])
    assert main(["--config", str(config), "add-feed", httpserver.url_for("/")]) == 0
    assert "JSON Wire" in capsys.readouterr().out
    assert main(["--config", str(config), "ingest"]) == 0
    rows = sql(config, "select title, author, published_at from articles", capsys)
    assert [(r["author"], r["published_at"][:19]) for r in rows] == [
        ("Ann Lee", "2026-01-20T10:00:00")
    ]


def test_a_feed_in_the_charset_its_server_names_is_stored_readable(
    httpserver: HTTPServer, write_config, capsys
) -> None:
    """A windows-1251 feed that says so only in Content-Type, behind a FeedBurner proxy link:
    the summary is stored in Cyrillic, the original link is fetched, no warning is logged."""
    page = (SEEDS / "site" / f"{SEED_003}.html").read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/world/uk-rejects-talks").respond_with_data(
        page, content_type="text/html; charset=utf-8"
    )
    original = httpserver.url_for("/world/uk-rejects-talks")
    feed = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel><title>Новости</title><item><title>Лондон отверг переговоры</title>
<link>{httpserver.url_for("/~r/world/~3/abc/")}</link>
<feedburner:origLink>{original}</feedburner:origLink>
<description>Великобритания отвергла призыв Франции и Италии.</description></item>
</channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed.encode("cp1251"), content_type="application/rss+xml; charset=windows-1251"
    )
    config = loopback_config(write_config, [("Cyrillic", httpserver.url_for("/feed.xml"))])
    assert main(["--config", str(config), "ingest"]) == 0
    out = capsys.readouterr()
    assert "1 new articles" in out.out and "malformed" not in out.err
    rows = sql(config, "select url, summary from articles", capsys)
    assert rows == [
        {"url": original, "summary": "Великобритания отвергла призыв Франции и Италии."}
    ]
