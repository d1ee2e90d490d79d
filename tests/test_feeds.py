"""Feed parsing and folder feeds: entries, canonical links, broken bodies."""

from __future__ import annotations

from datetime import datetime, timezone

from monitor.feeds import looks_like_html, parse_feed, read_folder
from monitor.models import FeedSpec
from monitor.urls import canonical_url

from .conftest import SEEDS

FEED = FeedSpec(name="Test", url="http://news.example/rss.xml", feed_id="test")

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>One &amp; two</title><link href="https://news.example/a?utm_source=x#top"/>
<id>tag:news.example,2026:1</id><updated>2026-01-16T10:00:00Z</updated>
<summary type="html">&lt;p&gt;First &lt;b&gt;para&lt;/b&gt;&lt;/p&gt;</summary></entry></feed>"""


def test_seed_rss_links_resolve_against_the_feed_address() -> None:
    body = (SEEDS / "site" / "feed.xml").read_bytes()
    parsed = parse_feed(body, FEED, base_url="http://127.0.0.1:8080/site/feed.xml")
    assert parsed.outcome == "ok"
    assert [e.url for e in parsed.entries] == [
        "http://127.0.0.1:8080/site/000_3089e8b34c872a70.html",
        "http://127.0.0.1:8080/site/003_a5c97dfcc15387b1.html",
    ]
    assert parsed.entries[0].published_at == datetime(2026, 1, 16, 12, 21, tzinfo=timezone.utc)
    assert parsed.entries[0].author == "Ahmad El-Assasy"


def test_atom_entry_fields_and_canonical_link() -> None:
    entry = parse_feed(ATOM, FEED).entries[0]
    assert entry.title == "One & two"
    assert entry.summary == "First para"
    assert entry.canonical_url == "https://news.example/a"
    assert entry.guid == "tag:news.example,2026:1"


def test_malformed_feed_with_entries_is_still_ingested() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"<item><title>Good & bad</title><link>https://n.example/1</link></item>"
        b"<item><title>Two</title><link>https://n.example/2</link></item>"
    )
    parsed = parse_feed(body, FEED)
    assert parsed.outcome == "ok" and parsed.malformed
    assert len(parsed.entries) == 2


def test_truncated_feed_without_entries_is_a_parse_error() -> None:
    parsed = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><chann', FEED)
    assert parsed.outcome == "parse_error" and parsed.error


def test_html_page_instead_of_feed() -> None:
    body = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>hi</p></body></html>"
    assert looks_like_html(body)
    parsed = parse_feed(body, FEED)
    assert parsed.outcome == "not_a_feed" and "add-feed" in (parsed.error or "")


def test_tracking_parameters_and_fragments_do_not_change_identity() -> None:
    base = canonical_url("https://News.Example:443/story?id=7")
    for variant in (
        "https://news.example/story?id=7&utm_source=tw&utm_medium=social",
        "https://news.example/story?fbclid=abc&id=7#comments",
        "https://NEWS.example/story?id=7&gclid=zz",
    ):
        assert canonical_url(variant) == base
    assert canonical_url("https://news.example/story?id=8") != base


def test_folder_feed_reads_documents_with_metadata(seed_site) -> None:
    feed = FeedSpec(name="Seeds", url=str(seed_site), feed_id="seeds")
    entries = read_folder(feed, max_bytes=1_000_000)
    assert [e.url.rsplit("/", 1)[-1] for e in entries] == [
        "uk-rejects-france-and-italy-push-for-diplomatic-re-engagement-with-putin",
        "uk-france-italy-diverge-on-strategy-for-engaging-with-putin",
    ]
    first = entries[0]
    assert first.source == "Sada El Balad" and first.body_type == "html" and first.body
    assert first.published_at == datetime(2026, 1, 16, 12, 21, tzinfo=timezone.utc)


def test_folder_feed_text_documents_and_sidecars(tmp_path) -> None:
    (tmp_path / "note.txt").write_text("Headline\n\nBody text.", encoding="utf-8")
    (tmp_path / "note.json").write_text('{"title": "Given", "url": "https://x.example/n"}')
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    entries = read_folder(FeedSpec(name="F", url=str(tmp_path), feed_id="f"), 1000)
    assert len(entries) == 1
    assert entries[0].title == "Given" and entries[0].body_type == "text"
    assert entries[0].canonical_url == "https://x.example/n"


def test_add_feed_discovers_the_feed_of_a_site_and_appends_it(
    httpserver, write_config, seed_site, capsys
) -> None:
    from monitor.cli import main
    from monitor.config import load_config

    feed = (SEEDS / "site" / "feed.xml").read_bytes()
    httpserver.expect_request("/rss.xml").respond_with_data(
        feed, content_type="application/rss+xml"
    )
    httpserver.expect_request("/").respond_with_data(
        '<!DOCTYPE html><html><head><title>Home</title><link rel="alternate" '
        'type="application/rss+xml" title="All news" href="/rss.xml"></head><body><p>News</p>'
        "</body></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/nofeed").respond_with_data(
        "<!DOCTYPE html><html><body>nothing</body></html>", content_type="text/html"
    )
    path = write_config(
        f'[fetch]\nallow_private_networks = true\n[[feeds]]\nname = "Local"\nurl = "{seed_site}"\n'
    )
    assert main(["--config", str(path), "add-feed", httpserver.url_for("/")]) == 0
    assert "Seed news" in capsys.readouterr().out
    config = load_config(path)
    assert [(f.name, f.url) for f in config.feeds][-1] == (
        "Seed news",
        httpserver.url_for("/rss.xml"),
    )
    before = path.read_text()
    assert main(["--config", str(path), "add-feed", httpserver.url_for("/nofeed")]) == 1
    assert "links to no working RSS/Atom feed" in capsys.readouterr().err
    assert path.read_text() == before
