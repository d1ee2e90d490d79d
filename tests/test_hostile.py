"""One run over hostile feeds and five good ones: good articles stored, every failure recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from monitor.cli import main

from .hostile_server import HostileServer, start_hostile_server
from .newsroom import serve_newsroom

pytestmark = pytest.mark.usefixtures("prefect_server")

GOOD_FEEDS = 5
PER_FEED = 2
# feed name -> (path on the hostile server, the outcome its poll must record)
HOSTILE_FEEDS = {
    "slow": ("/slow?s=10", "timeout"),
    "server-error": ("/status/500", "http_error"),
    "rate-limited": ("/retry-after?code=429&value=120", "rate_limited"),
    "redirect-loop": ("/loop/a", "too_many_redirects"),
    "huge": ("/huge?mb=50", "too_large"),
    "gzip-bomb": ("/gzip-bomb", "too_large"),
    "truncated": ("/feed-truncated.xml", None),  # ok when it yields entries, else parse_error
    "bad-charset": ("/feed-bad-charset.xml", "ok"),
    "html-page": ("/html-instead-of-feed", "not_a_feed"),
    "hostile-links": ("/hostile-feed.xml", "ok"),
}


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = start_hostile_server()
    yield server
    server.stop()


def sql(config, query: str, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["--config", str(config), "sql", query, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_hostile_feeds_never_stop_the_good_ones(
    hostile: HostileServer, httpserver: HTTPServer, write_config, capsys
) -> None:
    tables = []
    for n in range(GOOD_FEEDS):
        url = serve_newsroom(httpserver, PER_FEED, path=f"/good{n}.xml", first=n * PER_FEED)
        tables.append(
            f'[[feeds]]\nname = "good-{n}"\nurl = "{url}"\nallow_private_networks = true\n'
        )
    for name, (path, _) in HOSTILE_FEEDS.items():
        tables.append(
            f'[[feeds]]\nname = "{name}"\nurl = "{hostile.url(path)}"\n'
            "allow_private_networks = true\n"
        )
    private = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>p</title><item>'
        f"<title>Local</title><link>{hostile.url('/page.html')}?local=1</link></item>"
        "</channel></rss>"
    )
    httpserver.expect_request("/private.xml").respond_with_data(
        private, content_type="application/rss+xml"
    )
    private_url = httpserver.url_for("/private.xml")
    tables.append(f'[[feeds]]\nname = "private-link"\nurl = "{private_url}"\n')
    config = write_config(
        # timeouts well above a loaded 2-core machine's stalls, well below the slow routes' 10 s
        "[fetch]\nallow_private_networks = false\ntimeout_s = 3\n"
        "connect_timeout_s = 3\nmax_bytes = 1000000\nretries = 0\n"
        "per_host_delay_s = 0\n" + "".join(tables)
    )

    assert main(["--config", str(config), "ingest"]) == 1  # some failed, the rest stored
    assert "partial" in capsys.readouterr().out

    good = sql(
        config,
        "SELECT a.feed_id, count(*) AS n FROM articles a WHERE feed_id LIKE "
        "'good-%' AND extraction_method = 'trafilatura' GROUP BY 1 ORDER BY 1",
        capsys,
    )
    assert good == [{"feed_id": f"good-{n}", "n": PER_FEED} for n in range(GOOD_FEEDS)]

    polls = {
        r["feed_id"]: r["outcome"]
        for r in sql(config, "SELECT feed_id, outcome FROM fetch_log WHERE kind = 'feed'", capsys)
    }
    for name, (_, outcome) in HOSTILE_FEEDS.items():
        if outcome:
            assert polls[name] == outcome, name
    assert polls["truncated"] in ("ok", "parse_error")

    pages = sql(
        config, "SELECT feed_id, url, outcome, error FROM fetch_log WHERE kind = 'page'", capsys
    )

    def outcome(feed: str, fragment: str) -> str:
        return next(r["outcome"] for r in pages if r["feed_id"] == feed and fragment in r["url"])

    assert outcome("private-link", "/page.html?local=1") == "blocked_address"
    assert outcome("hostile-links", "/page.pdf") == "unsupported_type"
    assert outcome("hostile-links", "/gzip-bomb") == "too_large"
    assert outcome("hostile-links", "/huge") == "too_large"
    assert outcome("hostile-links", "/loop/") == "too_many_redirects"
    assert outcome("hostile-links", "/slow") == "timeout"
    assert outcome("hostile-links", "/status/500") == "http_error"
    assert outcome("hostile-links", "/page-br") == "ok"
    metadata = [r for r in pages if "169.254.169.254" in r["url"]]
    assert metadata and all(r["outcome"] == "blocked_address" for r in metadata)
    assert all(r["error"] for r in pages if r["outcome"] != "ok")

    # unfetchable entries are kept from the feed's title and summary
    kept = sql(
        config,
        "SELECT extraction_method, count(*) AS n FROM articles WHERE "
        "feed_id = 'private-link' GROUP BY 1",
        capsys,
    )
    assert kept == [{"extraction_method": "feed_summary", "n": 1}]
    # every stored text is valid, readable UTF-8 (the latin-1 feed was decoded, not mangled)
    texts = sql(config, "SELECT title FROM articles WHERE feed_id = 'bad-charset'", capsys)
    assert texts and not any("Ã" in (r["title"] or "") for r in texts)

    health = {
        r["feed_id"]: r
        for r in sql(
            config,
            "SELECT feed_id, consecutive_failures, epoch(next_poll_at - last_polled_at) "
            "AS wait_s FROM feeds",
            capsys,
        )
    }
    assert health["server-error"]["consecutive_failures"] == 1
    assert health["rate-limited"]["wait_s"] >= 120  # Retry-After honoured
    assert health["good-0"]["consecutive_failures"] == 0

    # a second run right away: conditional requests, 304s, no article page fetched
    assert main(["--config", str(config), "ingest", "--all"]) in (0, 1)
    second = sql(
        config,
        "SELECT kind, feed_id, outcome, status_code FROM fetch_log WHERE "
        "run_id = (SELECT max(run_id) FROM runs)",
        capsys,
    )
    good_polls = [r for r in second if r["feed_id"].startswith("good-")]
    assert len(good_polls) == GOOD_FEEDS
    assert all(r["outcome"] == "not_modified" and r["status_code"] == 304 for r in good_polls)
    assert not [r for r in second if r["kind"] == "page"]


def test_feeds_of_one_site_polled_at_once_share_its_politeness_limit(
    hostile: HostileServer, write_config, capsys
) -> None:
    feeds = "".join(
        f'[[feeds]]\nname = "site-{n}"\nurl = "{hostile.url(f"/feed.xml?delay=0.3&n={n}")}"\n'
        "allow_private_networks = true\n"
        for n in range(6)
    )
    config = write_config(
        "[fetch]\nper_host_concurrency = 1\nper_host_delay_s = 0\nrespect_robots = false\n" + feeds
    )
    assert main(["--config", str(config), "ingest"]) == 0, capsys.readouterr()
    assert [r.path for r in hostile.log].count("/feed.xml") == 6
    assert hostile.max_in_flight == 1  # six feeds on one site, one request at a time
