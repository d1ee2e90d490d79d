"""Feed parsing and folder feeds: entries, canonical links, broken bodies."""

from __future__ import annotations

from datetime import UTC, datetime, timezone

import pytest

from monitor.feeds import looks_like_html, parse_feed, read_folder
from monitor.models import Entry, FeedSpec
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


def test_an_atom_feeds_author_signs_the_entries_that_name_none() -> None:
    body = ATOM.replace(
        b"<title>A</title>", b"<title>A</title><author><name>Jane Roe</name></author>"
    )
    own = b"<entry><title>Two</title><author><name>Ann Lee</name></author>"
    body = body.replace(b"</feed>", own + b'<link href="https://news.example/b"/></entry></feed>')
    assert [e.author for e in parse_feed(body, FEED).entries] == ["Jane Roe", "Ann Lee"]
    outlet = body.replace(b"Jane Roe", b"News Example Online")  # the site, not a byline
    assert [e.author for e in parse_feed(outlet, FEED).entries] == [None, "Ann Lee"]
    rss = b'<rss version="2.0"><channel><title>x</title><managingEditor>ed@news.example'
    rss += b"</managingEditor><item><link>https://news.example/c</link></item></channel></rss>"
    assert parse_feed(rss, FEED).entries[0].author is None


JSON_FEED = b"""\xef\xbb\xbf {"version": "https://jsonfeed.org/version/1.1",
 "title": "Example Wire",
 "feed_url": "https://news.example/feed.json", "authors": [{"name": "Desk Editor"}],
 "items": [
  {"id": "1", "url": "/2026/01/16/talks", "title": "UK &amp; France talk",
   "content_html": "<p>London <b>rejects</b> talks.</p>",
   "date_published": "2026-01-16T12:21:00+01:00",
   "authors": [{"name": "Ann Lee"}, {"name": "Bo Chan"}]},
  {"id": "https://news.example/2026/01/17/recap?utm_source=json", "content_text": "A recap.",
   "date_modified": "2026-01-17T08:00:00Z"},
  {"id": "3", "title": "No address at all"}
 ]}"""


def test_a_json_feed_is_read_like_rss_and_atom() -> None:
    parsed = parse_feed(JSON_FEED, FEED)
    assert parsed.outcome == "ok" and parsed.title == "Example Wire"
    first, second = parsed.entries  # the item without any web address is left out
    assert (first.url, first.title, first.summary) == (
        "https://news.example/2026/01/16/talks",
        "UK & France talk",
        "London rejects talks.",
    )
    assert first.author == "Ann Lee, Bo Chan" and second.author == "Desk Editor"
    assert first.published_at == datetime(2026, 1, 16, 11, 21, tzinfo=UTC)
    assert second.published_at == datetime(2026, 1, 17, 8, 0, tzinfo=UTC)
    assert second.canonical_url == "https://news.example/2026/01/17/recap"
    assert second.summary == "A recap."


def test_json_that_is_not_a_json_feed_is_named_as_such() -> None:
    other = parse_feed(b'{"posts": []}', FEED)
    assert other.outcome == "not_a_feed" and "not a JSON Feed" in (other.error or "")
    broken = parse_feed(b'{"version": "https://jsonfeed.org/version/1", "items": [', FEED)
    assert broken.outcome == "parse_error" and "not valid JSON" in (broken.error or "")


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
    assert "links to no working RSS, Atom or JSON feed" in capsys.readouterr().err
    assert path.read_text() == before


CYRILLIC_RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Новости Оренбурга</title>
<item><title>Губернатор о бюджете</title><link>https://oren.example/news/1</link>
<description>Сегодня губернатор представил бюджет.</description></item>
</channel></rss>"""


def test_the_servers_charset_decodes_a_feed_that_declares_none() -> None:
    body = CYRILLIC_RSS.encode("cp1251")
    parsed = parse_feed(body, FEED, charset="windows-1251")
    assert parsed.outcome == "ok" and not parsed.malformed
    assert parsed.title == "Новости Оренбурга"
    assert parsed.entries[0].title == "Губернатор о бюджете"
    assert parsed.entries[0].summary == "Сегодня губернатор представил бюджет."


def test_whitespace_before_the_xml_declaration_keeps_the_declared_encoding() -> None:
    declared = CYRILLIC_RSS.replace('version="1.0"?>', 'version="1.0" encoding="windows-1251"?>')
    utf8 = declared.replace("windows-1251", "utf-8").encode("utf-8")
    for body in (b"\n  " + declared.encode("cp1251"), b"\xef\xbb\xbf\r\n" + utf8):
        assert parse_feed(body, FEED).entries[0].title == "Губернатор о бюджете"


def test_a_utf8_feed_served_without_charset_is_not_malformed() -> None:
    body = CYRILLIC_RSS.encode("utf-8")
    parsed = parse_feed(body, FEED)
    assert parsed.outcome == "ok" and not parsed.malformed, parsed.error
    assert parsed.entries[0].title == "Губернатор о бюджете"
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    quiet = parse_feed(empty, FEED)
    assert quiet.outcome == "ok" and quiet.entries == []


def _first_entry(inner: str) -> Entry:
    """The entry parse_feed makes of one RSS <item> holding `inner`."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>x</title>'
        f"<item>{inner}</item></channel></rss>"
    ).encode()
    return parse_feed(body, FEED).entries[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Seg, 24 Set 2018 19:42:40 -0300", datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),
        ("mar., 5 mars 2024 08:15:00 +0100", datetime(2024, 3, 5, 7, 15, tzinfo=UTC)),
        ("Di, 03 Dez 2024 10:00:00 GMT", datetime(2024, 12, 3, 10, 0, tzinfo=UTC)),
        ("3 de marzo de 2025 10h15", datetime(2025, 3, 3, 10, 15, tzinfo=UTC)),
        ("Gio, 14 Ago 2025 18:30:00 +02:00", datetime(2025, 8, 14, 16, 30, tzinfo=UTC)),
    ],
)
def test_dates_with_months_named_in_other_languages(raw: str, expected: datetime) -> None:
    item = f"<title>t</title><link>https://n.example/1</link><pubDate>{raw}</pubDate>"
    assert _first_entry(item).published_at == expected


def test_an_unreadable_date_is_left_empty() -> None:
    for raw in ("someday soon", "31 Feb 2025 10:00", "12 Frob 2025"):
        item = f"<title>t</title><link>https://n.example/1</link><pubDate>{raw}</pubDate>"
        assert _first_entry(item).published_at is None


def test_feedburner_original_link_is_the_article_not_the_proxy() -> None:
    entry = _first_entry(
        "<title>t</title><link>http://feeds.example/~r/world/~3/abc/</link>"
        "<feedburner:origLink>https://www.news.example/world/story-1?utm_source=rss"
        "</feedburner:origLink>"
    )
    assert entry.url == "https://www.news.example/world/story-1?utm_source=rss"
    assert entry.canonical_url == "https://www.news.example/world/story-1"


def test_plain_text_fields_keep_angle_brackets_and_ampersands() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title type="text">Why 2 &lt; 3 and 5 &gt; 4</title>
<link href="https://news.example/b"/><id>b</id><updated>2026-01-16T10:00:00Z</updated>
<summary type="text">See https://news.example/q?lang=en&amp;region=eu&amp;copy=1</summary>
</entry></feed>"""
    entry = parse_feed(atom, FEED).entries[0]
    assert entry.title == "Why 2 < 3 and 5 > 4"
    assert entry.summary == "See https://news.example/q?lang=en&region=eu&copy=1"


def test_a_link_wrapped_over_lines_and_several_authors() -> None:
    entry = _first_entry(
        "<title>t</title><link>https://news.example/world/a-long-\n      headline.html</link>"
        "<dc:creator>Ana Silva</dc:creator><dc:creator>John Doe</dc:creator>"
    )
    assert entry.url == "https://news.example/world/a-long-headline.html"
    assert entry.author == "Ana Silva, John Doe"


def test_an_aggregators_item_names_its_outlet_as_the_source() -> None:
    """Google News and Yahoo items carry the outlet in <source>: it is the entry's source, and
    Google's ' - Outlet' title suffix is dropped."""
    entry = _first_entry(
        "<title>Bitcoin falls below $90,000 - CoinDesk</title>"
        "<link>https://news.google.com/rss/articles/CBMi0wFBVV95</link>"
        '<source url="https://www.coindesk.com">CoinDesk</source>'
    )
    assert (entry.title, entry.source) == ("Bitcoin falls below $90,000", "CoinDesk")
    assert _first_entry("<title>A</title><link>https://news.example/a</link>").source is None


def test_newsroom_tracking_parameters_are_not_part_of_identity() -> None:
    for tracked, bare in (
        (
            "https://www.heise.de/news/x.html?wt_mc=rss.ho.beitrag.atom",
            "https://www.heise.de/news/x.html",
        ),
        ("https://www.aljazeera.com/news/a?traffic_source=rss", "https://www.aljazeera.com/news/a"),
        (
            "https://www.theguardian.com/world/a?CMP=share_btn_link",
            "https://www.theguardian.com/world/a",
        ),
        ("https://www.lemonde.fr/a.html?xtor=RSS-3208", "https://www.lemonde.fr/a.html"),
        (
            "https://www.bbc.co.uk/news/a?ns_mchannel=social&ns_source=tw",
            "https://www.bbc.co.uk/news/a",
        ),
    ):
        assert canonical_url(tracked) == bare
    assert canonical_url("https://news.example/a?page=2") == "https://news.example/a?page=2"
