"""Tests of the fetch layer against a loopback fault-injecting server (tests/hostile_server.py)."""

from __future__ import annotations

import re
import socket
import ssl
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from monitor import fetch as fetch_mod
from monitor.fetch import (
    ACCEPT_ENCODING,
    CHUNK_SIZE,
    FEED_ACCEPT,
    OUTCOMES,
    PAGE_ACCEPT,
    Fetcher,
    address_block_reason,
    check_address,
    discover_feeds,
    looks_like_html,
    parse_content_type,
    parse_retry_after,
)
from monitor.models import FetchSettings

from .hostile_server import (
    ARTICLE_HTML,
    FEED_ETAG,
    FEED_LAST_MODIFIED,
    HostileServer,
    http_date,
    start_hostile_server,
)

CAP = 1_000_000


def make_settings(**overrides: object) -> FetchSettings:
    """Fast, permissive-to-loopback settings for tests."""
    values: dict[str, object] = {
        "timeout_s": 1.0,
        "connect_timeout_s": 1.0,
        "max_bytes": CAP,
        "allow_private_networks": True,
        "per_host_delay_s": 0.0,
        "per_host_concurrency": 2,
        "respect_robots": True,
        "max_workers": 8,
    }
    values.update(overrides)
    return FetchSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[HostileServer]:
    """The hostile server on 127.0.0.1."""
    srv = start_hostile_server("127.0.0.1")
    yield srv
    srv.stop()


@pytest.fixture
def server2() -> Iterator[HostileServer]:
    """A second hostile server on 127.0.0.2 (another host for the politeness gates)."""
    srv = start_hostile_server("127.0.0.2")
    yield srv
    srv.stop()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """A Fetcher with the test settings."""
    with Fetcher(make_settings()) as f:
        yield f


# --- feeds -------------------------------------------------------------------------------


def test_feed_ok_with_validators_and_headers(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_feed(server.url("/feed.xml"))
    assert result.outcome == "ok", result.error
    assert result.status_code == 200
    assert result.body is not None and result.body.startswith(b"<?xml")
    assert (result.content_type, result.charset) == ("application/rss+xml", "utf-8")
    assert (result.etag, result.last_modified) == (FEED_ETAG, FEED_LAST_MODIFIED)
    assert result.bytes == len(result.body)
    assert result.final_url == server.url("/feed.xml")
    assert len(result.attempts) == 1 and result.attempts[0].status_code == 200
    headers = server.log[-1].headers
    assert headers["accept"] == FEED_ACCEPT
    assert headers["accept-encoding"] == ACCEPT_ENCODING
    assert headers["user-agent"] == make_settings().user_agent
    assert "robots.txt" not in " ".join(server.paths())


def test_feed_conditional_get_304(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_feed(server.url("/feed.xml"), etag=FEED_ETAG)
    assert result.outcome == "not_modified"
    assert result.status_code == 304 and result.body is None
    assert result.etag == FEED_ETAG
    assert server.log[-1].headers["if-none-match"] == FEED_ETAG
    by_date = fetcher.fetch_feed(server.url("/feed.xml"), last_modified=FEED_LAST_MODIFIED)
    assert by_date.outcome == "not_modified"
    assert server.log[-1].headers["if-modified-since"] == FEED_LAST_MODIFIED
    changed = fetcher.fetch_feed(server.url("/feed.xml"), etag='"old"')
    assert changed.outcome == "ok" and changed.etag == FEED_ETAG


def test_feed_validator_with_control_chars_is_not_sent(
    server: HostileServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch_feed(server.url("/feed.xml"), etag='"a"\r\nX-Evil: 1')
    assert result.outcome == "ok"
    assert "if-none-match" not in server.log[-1].headers


def test_html_served_as_feed_is_ok(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_feed(server.url("/html-instead-of-feed"))
    assert result.outcome == "ok" and result.content_type == "text/html"
    assert discover_feeds(result.body or b"", result.final_url or "") == [
        server.url("/feed.xml"),
        "http://example.org/atom.xml",
    ]


def test_truncated_and_miscoded_feeds_are_served_as_is(
    server: HostileServer, fetcher: Fetcher
) -> None:
    truncated = fetcher.fetch_feed(server.url("/feed-truncated.xml"))
    assert truncated.outcome == "ok" and truncated.body is not None
    assert not truncated.body.rstrip().endswith(b"</rss>")
    miscoded = fetcher.fetch_feed(server.url("/feed-bad-charset.xml"))
    assert miscoded.outcome == "ok" and miscoded.charset == "utf-8"
    assert b"Caf\xe9" in (miscoded.body or b"")


def test_feeds_ignore_robots(server: HostileServer, fetcher: Fetcher) -> None:
    server.robots_txt = "User-agent: *\nDisallow: /\n"
    assert fetcher.fetch_feed(server.url("/feed.xml")).outcome == "ok"
    assert "/robots.txt" not in server.paths()


def test_pdf_is_not_a_feed_either(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_feed(server.url("/page.pdf"))
    assert result.outcome == "unsupported_type" and result.body is None


# --- file:// -----------------------------------------------------------------------------


def test_file_feed_read_validated_and_capped(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(b"<rss><channel/></rss>")
    with Fetcher(make_settings(max_bytes=100)) as f:
        first = f.fetch_feed(feed.as_uri())
        assert first.outcome == "ok" and first.body == b"<rss><channel/></rss>"
        assert first.etag and first.last_modified
        again = f.fetch_feed(feed.as_uri(), etag=first.etag)
        assert again.outcome == "not_modified" and again.body is None
        missing = f.fetch_feed((tmp_path / "nope.xml").as_uri())
        assert (missing.outcome, missing.status_code) == ("http_error", 404)
        assert "nope.xml" in (missing.error or "")
        feed.write_bytes(b"x" * 101)
        assert f.fetch_feed(feed.as_uri()).outcome == "too_large"


def test_file_pages_need_explicit_permission(tmp_path: Path, fetcher: Fetcher) -> None:
    page = tmp_path / "a.html"
    page.write_bytes(ARTICLE_HTML)
    refused = fetcher.fetch_page(page.as_uri())
    assert refused.outcome == "invalid_url" and refused.body is None
    allowed = fetcher.fetch_page(page.as_uri(), allow_file=True)
    assert allowed.outcome == "ok" and allowed.body == ARTICLE_HTML


# --- limits ------------------------------------------------------------------------------


def test_slow_headers_time_out(server: HostileServer) -> None:
    with Fetcher(make_settings(timeout_s=0.5)) as f:
        begin = time.monotonic()
        result = f.fetch_page(server.url("/slow?s=3"), respect_robots=False)
    assert result.outcome == "timeout"
    assert time.monotonic() - begin < 2.0
    assert server.url("/slow?s=3") in (result.error or "")


def test_slow_drip_hits_total_deadline(server: HostileServer) -> None:
    with Fetcher(make_settings(timeout_s=0.4)) as f:
        begin = time.monotonic()
        result = f.fetch_page(server.url("/drip?s=0.1"), respect_robots=False)
    assert result.outcome == "timeout", result.error
    assert 1.0 < time.monotonic() - begin < 3.0


def test_huge_streamed_body_stops_at_cap(server: HostileServer, fetcher: Fetcher) -> None:
    begin = time.monotonic()
    result = fetcher.fetch_page(server.url("/huge"), respect_robots=False)
    assert result.outcome == "too_large" and result.body is None
    assert CAP < result.bytes <= CAP + CHUNK_SIZE
    assert time.monotonic() - begin < 5


def test_declared_content_length_refused_before_reading(
    server: HostileServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch_page(server.url("/huge-declared"), respect_robots=False)
    assert result.outcome == "too_large" and result.bytes == 0
    assert "Content-Length" in (result.error or "")


@pytest.mark.parametrize("path", ["/gzip-bomb", "/brotli-bomb"])
def test_decompression_bomb_stops_at_cap_without_inflating(
    server: HostileServer, fetcher: Fetcher, path: str
) -> None:
    tracemalloc.start()
    try:
        result = fetcher.fetch_page(server.url(path), respect_robots=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == "too_large" and result.body is None
    assert CAP < result.bytes <= CAP + 2 * CHUNK_SIZE
    assert peak < 6 * CAP  # the bomb inflates to 10 MB; pieces are bounded


@pytest.mark.parametrize("path", ["/page-br", "/page-gzip", "/page-deflate"])
def test_compressed_pages_are_decoded(server: HostileServer, fetcher: Fetcher, path: str) -> None:
    result = fetcher.fetch_page(server.url(path), respect_robots=False)
    assert result.outcome == "ok", result.error
    assert result.body == ARTICLE_HTML and result.bytes == len(ARTICLE_HTML)


def test_corrupt_compressed_body_is_a_connection_error(
    server: HostileServer, fetcher: Fetcher
) -> None:
    result = fetcher.fetch_page(server.url("/corrupt-gzip"), respect_robots=False)
    assert result.outcome == "connection_error" and "corrupt" in (result.error or "")
    assert result.body is None


# --- status codes ------------------------------------------------------------------------


def test_server_error_is_http_error(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_page(server.url("/status/500"), respect_robots=False)
    assert (result.outcome, result.status_code, result.body) == ("http_error", 500, None)
    assert "500" in (result.error or "") and server.url("/status/500") in (result.error or "")


def test_429_with_retry_after_seconds(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_feed(server.url("/retry-after?code=429&value=120"))
    assert (result.outcome, result.status_code) == ("rate_limited", 429)
    assert result.retry_after_s == 120


def test_503_with_retry_after_date(server: HostileServer, fetcher: Fetcher) -> None:
    when = http_date(time.time() + 60).replace(" ", "%20").replace(",", "%2C")
    result = fetcher.fetch_feed(server.url(f"/retry-after?code=503&value={when}"))
    assert result.outcome == "rate_limited" and result.retry_after_s is not None
    assert 50 < result.retry_after_s <= 61
    plain = fetcher.fetch_feed(server.url("/status/503"))
    assert (plain.outcome, plain.retry_after_s) == ("http_error", None)


# --- redirects ---------------------------------------------------------------------------


def test_redirect_loop_detected(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_page(server.url("/loop/a"), respect_robots=False)
    assert result.outcome == "too_many_redirects" and "loop" in (result.error or "")
    assert server.paths() == ["/loop/a", "/loop/b"]


def test_relative_redirect_chain_followed(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_page(server.url("/chain/3"), respect_robots=False)
    assert result.outcome == "ok", result.error
    assert result.redirects == 3 and result.final_url == server.url("/page.html")
    assert [a.status_code for a in result.attempts] == [302, 302, 302, 200]
    assert result.attempts[0].location == "2"


def test_too_many_redirects(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_page(server.url("/chain/6"), respect_robots=False)
    assert result.outcome == "too_many_redirects"
    assert len(server.paths()) == 6  # the original request and 5 hops


def test_redirect_without_location(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_page(server.url("/redirect-no-location"), respect_robots=False)
    assert (result.outcome, result.status_code) == ("http_error", 302)


def test_redirect_to_file_scheme_refused(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_feed(server.url("/redirect?to=file:///etc/passwd"))
    assert result.outcome == "invalid_url" and result.body is None


# --- addresses ---------------------------------------------------------------------------


def test_loopback_blocked_without_allow_private(server: HostileServer) -> None:
    with Fetcher(make_settings(allow_private_networks=False)) as f:
        result = f.fetch_page(server.url("/page.html"))
        feed = f.fetch_feed(server.url("/feed.xml"))
    assert result.outcome == "blocked_address" and "loopback" in (result.error or "")
    assert feed.outcome == "blocked_address"
    assert server.log == []


def test_metadata_blocked_before_any_traffic() -> None:
    calls: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    transport = httpx.MockTransport(record)

    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError(f"resolved {host}")

    with Fetcher(make_settings(), transport=transport, resolver=no_dns) as f:
        for url in (
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://100.100.100.200/",
            "http://metadata.google.internal/x",
        ):
            result = f.fetch_feed(url)
            assert result.outcome == "blocked_address", (url, result.error)
            assert result.attempts == []
    assert calls == []


def test_metadata_blocked_with_real_transport() -> None:
    with Fetcher(make_settings(timeout_s=5, connect_timeout_s=5)) as f:
        begin = time.monotonic()
        result = f.fetch_page("http://169.254.169.254/latest/meta-data/")
    assert result.outcome == "blocked_address"
    assert time.monotonic() - begin < 0.5


def test_redirect_to_metadata_blocked_at_hop(server: HostileServer, fetcher: Fetcher) -> None:
    target = "http://169.254.169.254/latest/meta-data/"
    result = fetcher.fetch_feed(server.url(f"/redirect?to={target}"))
    assert result.outcome == "blocked_address" and "metadata" in (result.error or "")
    assert result.final_url == target and result.redirects == 1
    assert result.status_code is None
    assert [a.status_code for a in result.attempts] == [302]


def test_dns_rebinding_is_caught_at_connect(server: HostileServer) -> None:
    answers = [["93.184.216.34"], ["127.0.0.1"]]

    def rebinding(host: str, port: int) -> list[str]:
        return answers.pop(0) if answers else ["127.0.0.1"]

    with Fetcher(make_settings(allow_private_networks=False), resolver=rebinding) as f:
        result = f.fetch_page(f"http://rebind.test:{server.port}/page.html", respect_robots=False)
    assert result.outcome == "blocked_address" and "loopback" in (result.error or "")
    assert server.log == []


def test_connection_goes_to_the_checked_address(server: HostileServer) -> None:
    def resolver(host: str, port: int) -> list[str]:
        assert host == "news.test"
        return ["127.0.0.1"]

    with Fetcher(make_settings(), resolver=resolver) as f:
        result = f.fetch_page(f"http://news.test:{server.port}/page.html", respect_robots=False)
    assert result.outcome == "ok", result.error
    assert server.log[-1].host_header == f"news.test:{server.port}"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "javascript:alert(1)",
        "http://",
        "file:///etc/passwd",
        "http://[::1",
        "data:text/html,<p>x</p>",
        "",
    ],
)
def test_invalid_urls(fetcher: Fetcher, url: str) -> None:
    result = fetcher.fetch_page(url)
    assert result.outcome == "invalid_url", result.error
    assert result.error


def test_connection_failures(server: HostileServer, fetcher: Fetcher) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    refused = fetcher.fetch_page(f"http://127.0.0.1:{port}/", respect_robots=False)
    assert refused.outcome == "connection_error" and str(port) in (refused.error or "")
    for path in ("/reset", "/garbage"):
        result = fetcher.fetch_page(server.url(path), respect_robots=False)
        assert result.outcome == "connection_error", (path, result.error)
    unknown = fetcher.fetch_page("http://no-such-host.invalid/", respect_robots=False)
    assert unknown.outcome == "connection_error" and "DNS" in (unknown.error or "")


# --- content types -----------------------------------------------------------------------


def test_pdf_page_is_unsupported_type(server: HostileServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch_page(server.url("/page.pdf"), respect_robots=False)
    assert result.outcome == "unsupported_type" and result.body is None
    assert result.content_type == "application/pdf" and result.bytes == 0
    assert server.log[-1].headers["accept"] == PAGE_ACCEPT


def test_missing_content_type_is_sniffed(server: HostileServer, fetcher: Fetcher) -> None:
    html = fetcher.fetch_page(server.url("/page-no-type"), respect_robots=False)
    assert html.outcome == "ok" and html.content_type is None and html.body == ARTICLE_HTML
    binary = fetcher.fetch_page(server.url("/binary-no-type"), respect_robots=False)
    assert binary.outcome == "unsupported_type" and binary.body is None


# --- robots.txt --------------------------------------------------------------------------


def test_robots_disallow_and_cache(server: HostileServer, fetcher: Fetcher) -> None:
    blocked = fetcher.fetch_page(server.url("/private/page.html"))
    assert blocked.outcome == "robots_disallowed" and blocked.attempts == []
    assert fetcher.fetch_page(server.url("/page.html")).outcome == "ok"
    assert fetcher.fetch_page(server.url("/page.html?again=1")).outcome == "ok"
    assert server.paths().count("/robots.txt") == 1
    assert "/private/page.html" not in server.paths()
    ignored = fetcher.fetch_page(server.url("/private/page.html"), respect_robots=False)
    assert ignored.outcome == "ok"


def test_robots_token_is_monitor(server: HostileServer, fetcher: Fetcher) -> None:
    server.robots_txt = "User-agent: monitor\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    assert fetcher.fetch_page(server.url("/page.html")).outcome == "robots_disallowed"


def test_robots_setting_is_the_default(server: HostileServer) -> None:
    with Fetcher(make_settings(respect_robots=False)) as f:
        assert f.fetch_page(server.url("/private/page.html")).outcome == "ok"
    assert "/robots.txt" not in server.paths()


@pytest.mark.parametrize(
    ("status", "delay_s", "allowed"),
    [
        (404, 0.0, True),
        (403, 0.0, False),
        (401, 0.0, False),
        (500, 0.0, False),
        (200, 2.0, True),  # robots.txt times out: allow
    ],
)
def test_robots_failure_verdicts(
    server: HostileServer, status: int, delay_s: float, allowed: bool
) -> None:
    server.robots_status, server.robots_delay_s = status, delay_s
    server.robots_txt = "User-agent: *\nDisallow: /\n"  # only used for the timeout case
    with Fetcher(make_settings(timeout_s=1.0)) as f:
        result = f.fetch_page(server.url("/page.html"))
    assert result.outcome == ("ok" if allowed else "robots_disallowed"), result.error


def test_robots_cache_export_import(server: HostileServer, fetcher: Fetcher) -> None:
    fetcher.fetch_page(server.url("/page.html"))
    saved = fetcher.robots_cache_export()
    assert list(saved) == [server.base_url]
    with Fetcher(make_settings()) as other:
        assert other.robots_cache_import(saved) == 1
        assert other.fetch_page(server.url("/private/page.html")).outcome == "robots_disallowed"
        stale = {k: {**v, "fetched_at": 0.0} for k, v in saved.items()}
        assert other.robots_cache_import(stale) == 0
    assert server.paths().count("/robots.txt") == 1


# --- politeness --------------------------------------------------------------------------


def test_per_host_concurrency_is_bounded(server: HostileServer) -> None:
    urls = [server.url(f"/sleep?s=0.3&i={i}") for i in range(6)]
    with Fetcher(make_settings(per_host_concurrency=2)) as f:
        results = f.fetch_pages(urls, respect_robots=False)
    assert [r.outcome for r in results] == ["ok"] * 6
    assert server.max_in_flight == 2


def test_per_host_delay_between_starts(server: HostileServer) -> None:
    urls = [server.url(f"/page.html?i={i}") for i in range(4)]
    with Fetcher(make_settings(per_host_delay_s=0.25, per_host_concurrency=4)) as f:
        results = f.fetch_pages(urls, respect_robots=False)
    assert all(r.outcome == "ok" for r in results)
    starts = sorted(record.started for record in server.log)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) > 0.2, gaps
    assert sum(r.waited_ms for r in results) > 0


@pytest.mark.parametrize(
    ("open_pools", "connections"),
    [
        (fetch_mod.MAX_OPEN_POOLS, 1),  # each site's connection is kept alive and reused
        (1, 3),  # one site's kept open: each switch of site closes the other's idle connection
    ],
)
def test_connections_are_pooled_per_site(
    server: HostileServer,
    server2: HostileServer,
    monkeypatch: pytest.MonkeyPatch,
    open_pools: int,
    connections: int,
) -> None:
    monkeypatch.setattr(fetch_mod, "MAX_OPEN_POOLS", open_pools)
    with Fetcher(make_settings(per_host_concurrency=1)) as f:
        results = [
            f.fetch_page(s.url(f"/page.html?i={i}"), respect_robots=False)
            for i in range(3)
            for s in (server, server2)
        ]
    assert [r.outcome for r in results] == ["ok"] * 6
    assert [len({r.client_port for r in s.log}) for s in (server, server2)] == [connections] * 2


def test_different_hosts_in_parallel(server: HostileServer, server2: HostileServer) -> None:
    urls = [s.url(f"/sleep?s=0.4&i={i}") for i in range(2) for s in (server, server2)]
    with Fetcher(make_settings(per_host_concurrency=1)) as f:
        begin = time.monotonic()
        results = f.fetch_pages(urls, respect_robots=False)
        elapsed = time.monotonic() - begin
    assert [r.outcome for r in results] == ["ok"] * 4
    assert server.max_in_flight == 1 and server2.max_in_flight == 1
    assert elapsed < 1.4  # serial would take 1.6 s; per host 0.8 s
    first1, first2 = server.log[0], server2.log[0]
    assert abs(first1.started - first2.started) < 0.3


def test_fetch_pages_keeps_input_order(
    server: HostileServer, server2: HostileServer, fetcher: Fetcher
) -> None:
    urls = [
        server.url("/page.html"),
        server2.url("/status/404"),
        "ftp://x/",
        "http://[::1",
        server.url("/page.pdf"),
        server2.url("/page-br"),
    ]
    results = fetcher.fetch_pages(urls, respect_robots=False)
    assert [r.url for r in results] == urls
    assert [r.outcome for r in results] == [
        "ok",
        "http_error",
        "invalid_url",
        "invalid_url",
        "unsupported_type",
        "ok",
    ]
    assert fetcher.fetch_pages([]) == []


def test_hostile_feed_links_never_raise(server: HostileServer) -> None:
    with Fetcher(make_settings(timeout_s=2)) as f:
        feed = f.fetch_feed(server.url("/hostile-feed.xml"))
        assert feed.outcome == "ok"
        links = [
            link.replace("&amp;", "&")
            for link in re.findall(r"<link>([^<]+)</link>", (feed.body or b"").decode())
        ]
        results = f.fetch_pages(links[1:], respect_robots=False)
    outcomes = {r.url.split(server.base_url)[-1]: r.outcome for r in results}
    assert outcomes == {
        "/page.html": "ok",
        "/slow?s=10": "timeout",
        "/status/500": "http_error",
        "/retry-after?code=429&value=120": "rate_limited",
        "/loop/a": "too_many_redirects",
        "/huge": "too_large",
        "/gzip-bomb": "too_large",
        "/page.pdf": "unsupported_type",
        "/page-br": "ok",
        "/redirect?to=http://169.254.169.254/latest/meta-data/": "blocked_address",
        "http://169.254.169.254/latest/meta-data/": "blocked_address",
        "file:///etc/passwd": "invalid_url",
        "javascript:alert(1)": "invalid_url",
    }
    assert all(r.error for r in results if r.outcome != "ok")


def test_shared_gate_across_threads(server: HostileServer) -> None:
    with Fetcher(make_settings(per_host_concurrency=1)) as f:
        threads = [
            threading.Thread(target=f.fetch_feed, args=(server.url(f"/sleep?s=0.2&i={i}"),))
            for i in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert server.max_in_flight == 1 and len(server.log) == 3


# --- helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "allow_private", "reason"),
    [
        ("8.8.8.8", False, None),
        ("2606:4700::1111", False, None),
        ("127.0.0.1", False, "loopback"),
        ("127.0.0.1", True, None),
        ("10.1.2.3", False, "private"),
        ("10.1.2.3", True, None),
        ("100.64.0.1", False, "shared"),
        ("::1", False, "loopback"),
        ("::ffff:127.0.0.1", False, "loopback"),
        ("::ffff:169.254.169.254", True, "metadata"),
        ("169.254.169.254", True, "metadata"),
        ("fd00:ec2::254", True, "metadata"),
        ("100.100.100.200", True, "metadata"),
        ("169.254.1.1", True, "link-local"),
        ("fe80::1", True, "link-local"),
        ("0.0.0.0", True, "unspecified"),
        ("0.1.2.3", True, "this-network"),
        ("224.0.0.1", True, "multicast"),
        ("240.0.0.1", True, "reserved"),
        ("64:ff9b::7f00:1", False, "loopback"),
        ("2002:7f00:1::", False, "loopback"),
        ("fc00::1", False, "private"),
    ],
)
def test_address_block_reason(address: str, allow_private: bool, reason: str | None) -> None:
    assert address_block_reason(address, allow_private) == reason


def test_check_address() -> None:
    assert "loopback" in (check_address("http://127.0.0.1:8080/", False) or "")
    assert check_address("http://127.0.0.1:8080/", True) is None
    assert "metadata" in (check_address("http://169.254.169.254/", True) or "")
    assert "metadata" in (check_address("http://METADATA.google.internal./", True) or "")
    assert check_address("http://93.184.216.34/", False) is None


def test_parse_retry_after() -> None:
    now = 1_800_000_000.0
    assert parse_retry_after("120") == 120
    assert parse_retry_after(http_date(now + 30), now=now) == 30
    assert parse_retry_after(http_date(now - 30), now=now) == 0
    assert parse_retry_after("99999999999") == 7 * 86_400
    assert parse_retry_after("-5") == 0
    for junk in (None, "", "soon", "nan", "Mon, 99 Foo 2026"):
        assert parse_retry_after(junk) is None


def test_parse_content_type() -> None:
    assert parse_content_type('Text/HTML; Charset="UTF-8"') == ("text/html", "utf-8")
    assert parse_content_type("application/rss+xml") == ("application/rss+xml", None)
    assert parse_content_type(None) == (None, None)
    assert parse_content_type(";charset=") == (None, None)


def test_looks_like_html() -> None:
    assert looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE html><html>")
    assert looks_like_html(b"<html lang='en'>")
    assert looks_like_html(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">')
    assert not looks_like_html(b"%PDF-1.4")
    assert not looks_like_html(b'<?xml version="1.0"?><rss>')
    assert not looks_like_html(b"<abbr>")


def test_discover_feeds() -> None:
    page = (
        '<html><head><base href="https://news.example/sub/">'
        '<link rel="Alternate" type="application/RSS+XML" href="feed.xml?a=1&amp;b=2">'
        '<link rel="alternate stylesheet" type="application/atom+xml" href="/atom">'
        '<link rel="alternate" type="text/html" href="/en">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        '<link rel="alternate" type="application/rss+xml" href="feed.xml?a=1&b=2#x">'
        '<link rel="alternate" type="application/rss+xml" href="http://[bad/feed">'
        "</head></html>"
    )
    assert discover_feeds(page.encode(), "https://news.example/a/b.html") == [
        "https://news.example/sub/feed.xml?a=1&b=2",
        "https://news.example/atom",
    ]
    assert discover_feeds("<not html", "https://x.example/") == []


def test_outcome_vocabulary_is_complete() -> None:
    assert set(OUTCOMES) == {
        "ok",
        "not_modified",
        "http_error",
        "timeout",
        "too_large",
        "blocked_address",
        "robots_disallowed",
        "not_a_feed",
        "parse_error",
        "unsupported_type",
        "too_many_redirects",
        "connection_error",
        "invalid_url",
        "rate_limited",
    }


def test_robots_origin_keeps_ipv6_brackets_and_drops_default_port() -> None:
    from monitor.fetch import _origin

    assert _origin(httpx.URL("http://[::1]:8080/a?b")) == "http://[::1]:8080"
    assert _origin(httpx.URL("HTTPS://News.Example:443/x")) == "https://news.example"


# --- TLS ---------------------------------------------------------------------------------


def _self_signed(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for name and its key, as PEM files."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_https_pinned_connection_verifies_the_hostname(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _self_signed(tmp_path, "news.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls_server = start_hostile_server("127.0.0.1", tls=context)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # httpx trusts it when building the context
    try:
        with Fetcher(make_settings(), resolver=lambda host, port: ["127.0.0.1"]) as f:
            good = f.fetch_page(f"https://news.test:{tls_server.port}/page.html")
            wrong_name = f.fetch_page(f"https://127.0.0.1:{tls_server.port}/page.html")
    finally:
        tls_server.stop()
    assert good.outcome == "ok" and good.body == ARTICLE_HTML, good.error
    assert tls_server.log[0].path == "/robots.txt"
    assert wrong_name.outcome == "connection_error"
    assert "certificate" in (wrong_name.error or "").lower()
