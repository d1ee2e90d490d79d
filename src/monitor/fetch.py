"""HTTP fetch layer: polite, incremental, size- and address-safe downloads of feeds and pages.

Every public call returns a `FetchResult`; network problems never raise. Its `outcome` is one
of `OUTCOMES`. Design choices:

- Addresses: only http/https URLs are fetched. Before each request (and again at every redirect
  hop) the host is resolved and refused if ANY address is loopback, private, link-local,
  multicast, reserved, unspecified or a cloud-metadata endpoint. `allow_private_networks=True`
  only relaxes loopback, private (RFC 1918, ULA) and shared (100.64/10) addresses: link-local
  (169.254/16, fe80::/10), metadata names and addresses, multicast, reserved and unspecified
  addresses stay blocked always. With the default transport the connection is pinned: the
  socket connects to the very addresses that passed the check (no DNS-rebinding window).
  With an injected transport only the pre-request check runs (the transport connects itself).
  Environment proxies and .netrc are ignored (trust_env=False); no cookies are kept.
- Limits: connect and read timeouts from the settings, and one request (headers and body)
  must finish within TOTAL_TIMEOUT_FACTOR x timeout_s (a slow drip is a timeout). The body is
  decoded here (gzip, deflate, br) in bounded pieces and counted AFTER decoding, so a
  decompression bomb stops at max_bytes; a Content-Length above max_bytes stops before reading.
  Redirects are followed by hand, at most max_redirects hops, with loop detection.
- robots.txt (pages only, product token "monitor"): fetched once per origin and cached for
  ROBOTS_TTL_S. 2xx -> rules (first ROBOTS_MAX_BYTES); 401/403 -> disallow all (the polite
  robotstxt.org / urllib.robotparser convention; RFC 9309 would allow); other 4xx -> allow all;
  429 and 5xx -> disallow all (RFC 9309 "unreachable"); timeout, connection error or a blocked
  redirect -> allow all. Error verdicts are cached for ROBOTS_ERROR_TTL_S only. Rules use
  urllib.robotparser (first matching rule wins, not RFC 9309 longest match).
- Politeness: per host, at most per_host_concurrency requests in flight and per_host_delay_s
  between request starts, shared by all calls (and threads) of one Fetcher, robots included.
- Residual risks: DNS lookups use the system resolver (its own timeouts, not connect_timeout_s);
  Crawl-delay is not honoured; HTTP/1.1 only; no cookies, so cookie-wall redirect loops end as
  too_many_redirects. An injected transport (tests, recorded clients) is not pinned; pass
  resolver= to avoid real DNS for fake host names.
- file:// URLs: fetch_feed reads them (feed URLs come from the operator's config); fetch_page
  only with allow_file=True, because page links come from third parties. Missing file ->
  http_error 404, unreadable -> http_error 403. ETag and Last-Modified come from size and mtime.
"""

from __future__ import annotations

import email.utils
import html.parser
import http.cookiejar
import ipaddress
import logging
import math
import mimetypes
import socket
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname
from urllib.robotparser import RobotFileParser

import brotli
import httpcore
import httpx

from monitor.models import FetchSettings
from monitor.urls import host_of

logger = logging.getLogger(__name__)

OUTCOMES: dict[str, str] = {
    "ok": "2xx response with an accepted content type; body holds the decoded bytes",
    "not_modified": "304 to a conditional GET (or unchanged file); no body",
    "http_error": "other 3xx/4xx/5xx (status_code set); also a missing or unreadable file",
    "timeout": "connect or read timeout, or the request exceeded its total time budget",
    "too_large": "Content-Length or decoded body above max_bytes; body dropped",
    "blocked_address": "host resolves to a forbidden address (checked at every hop)",
    "robots_disallowed": "robots.txt forbids the page for the 'monitor' token",
    "not_a_feed": "set by the feed parser (not here): the body is not a feed",
    "parse_error": "set by the feed parser (not here): the feed could not be parsed",
    "unsupported_type": "content type not accepted (or unknown content encoding); body dropped",
    "too_many_redirects": "more than max_redirects hops, or a redirect loop",
    "connection_error": "DNS failure, refused or reset connection, TLS or protocol error, "
    "corrupt compressed body",
    "invalid_url": "not http(s) (or file:// where allowed), no host, or malformed",
    "rate_limited": "429, or 503 with Retry-After; retry_after_s set when the header parses",
}
OK = "ok"
NOT_MODIFIED = "not_modified"
HTTP_ERROR = "http_error"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
BLOCKED_ADDRESS = "blocked_address"
ROBOTS_DISALLOWED = "robots_disallowed"
NOT_A_FEED = "not_a_feed"
PARSE_ERROR = "parse_error"
UNSUPPORTED_TYPE = "unsupported_type"
TOO_MANY_REDIRECTS = "too_many_redirects"
CONNECTION_ERROR = "connection_error"
INVALID_URL = "invalid_url"
RATE_LIMITED = "rate_limited"

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.8"
)
PAGE_ACCEPT = "text/html,application/xhtml+xml"
ROBOTS_ACCEPT = "text/plain, */*;q=0.5"
ACCEPT_ENCODING = "gzip, deflate, br"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNIFF_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})
FEED_TYPE_MARKERS = ("xml", "rss", "atom", "json", "html")
HTML_SNIFF_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
)
TAG_TERMINATORS = b" >\t\n\r\x0c"
FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)

ROBOTS_TOKEN = "monitor"
ROBOTS_TTL_S = 86_400.0
ROBOTS_ERROR_TTL_S = 3_600.0
ROBOTS_MAX_BYTES = 512_000

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 65_536
TOTAL_TIMEOUT_FACTOR = 3.0
MAX_RETRY_AFTER_S = 7 * 86_400.0
MAX_HEADER_CHARS = 1_024
# connection pools kept open at once, one per origin; beyond this the least recently used idle
# pool is closed (bounds open sockets when a run polls hundreds of sites)
MAX_OPEN_POOLS = 64

METADATA_HOSTS = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "169.254.169.253",
        "fd00:ec2::254",
        "fd00:ec2::23",
        "100.100.100.200",
    )
)
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
SHARED_NETWORK = ipaddress.ip_network("100.64.0.0/10")
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass
class FetchAttempt:
    """One HTTP request sent for a fetch (one per redirect hop); the last is the final one."""

    url: str
    started_at: float  # epoch seconds
    status_code: int | None = None
    location: str | None = None  # the Location header of a redirect
    elapsed_ms: float = 0.0
    error: str | None = None


@dataclass
class FetchResult:
    """What a fetch produced; `outcome` is one of OUTCOMES, `error` names the URL and cause."""

    url: str
    final_url: str | None  # URL of the last hop tried (the blocked one for blocked_address)
    outcome: str
    status_code: int | None = None
    body: bytes | None = None  # only for ok: decoded (gzip/deflate/br removed)
    content_type: str | None = None  # bare media type, lower case, from Content-Type
    charset: str | None = None  # charset parameter of Content-Type, lower case
    etag: str | None = None  # for not_modified: the one sent when the 304 had none
    last_modified: str | None = None  # likewise
    retry_after_s: float | None = None  # rate_limited: seconds to wait (clamped to 7 days)
    bytes: int = 0  # decoded body bytes read (also for too_large: read before stopping)
    elapsed_ms: float = 0.0  # wall time of the whole call, including waited_ms
    error: str | None = None
    redirects: int = 0
    attempts: list[FetchAttempt] = field(default_factory=list)  # one per hop requested
    waited_ms: float = 0.0  # time spent waiting for per-host politeness slots


class FetchError(Exception):
    """A fetch ended with a known outcome (internal control flow, never escapes)."""

    def __init__(self, outcome: str, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.status_code = status_code


class BlockedAddressError(FetchError):
    """The host resolved to an address this fetcher must not connect to."""

    def __init__(self, message: str) -> None:
        super().__init__(BLOCKED_ADDRESS, message)


def system_resolver(host: str, port: int) -> list[str]:
    """The distinct IP addresses of a host, in resolver order (raises socket.gaierror)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _resolve(resolver: Resolver, host: str, port: int) -> list[str]:
    """Addresses of host: itself for an IP literal, none for a metadata name, else resolver's."""
    if host.lower().rstrip(".") in METADATA_HOSTS:
        return []
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        return resolver(host, port)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried by a mapped, 6to4 or NAT64 IPv6 address."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64_NETWORK:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_block_reason(address: str, allow_private: bool) -> str | None:
    """Why an IP address is forbidden ('metadata', 'loopback', ...), or None when allowed."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparsable address"
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        return address_block_reason(str(inner), allow_private)
    always = (
        ("metadata", ip in METADATA_ADDRESSES),
        ("unspecified", ip.is_unspecified),
        ("this-network", ip.version == 4 and ip in THIS_NETWORK),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved and not ip.is_loopback),
    )
    relaxed = (
        ("loopback", ip.is_loopback),
        ("private", ip.is_private),
        ("shared", ip.version == 4 and ip in SHARED_NETWORK),
        ("non-global", not ip.is_global),
    )
    for reason, hit in always:
        if hit:
            return reason
    if allow_private:
        return None
    return next((reason for reason, hit in relaxed if hit), None)


def _host_block_reason(host: str, addresses: Iterable[str], allow_private: bool) -> str | None:
    """Why a host with these resolved addresses is forbidden, or None."""
    if host.lower().rstrip(".") in METADATA_HOSTS:
        return f"{host} is a cloud metadata host"
    for address in addresses:
        reason = address_block_reason(address, allow_private)
        if reason:
            return f"{host} resolves to {reason} address {address}"
    return None


def check_address(
    url: str, allow_private: bool, resolver: Resolver = system_resolver
) -> str | None:
    """Reason string if the URL's host is forbidden, else None (also None if DNS fails)."""
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        return f"invalid URL {url!r}: {exc}"
    if not host:
        return f"no host in {url!r}"
    try:
        addresses = _resolve(resolver, host, port)
    except (OSError, UnicodeError):
        return None
    return _host_block_reason(host, addresses, allow_private)


class _PinnedBackend(httpcore.SyncBackend):
    """Resolves, checks the addresses, and connects to an address that passed the check."""

    def __init__(self, allow_private: bool, resolver: Resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first reachable checked address of host."""
        try:
            addresses = _resolve(self.resolver, host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"DNS lookup failed for {host}: {exc}") from exc
        reason = _host_block_reason(host, addresses, self.allow_private)
        if reason:
            raise BlockedAddressError(f"refused to connect: {reason}")
        if not addresses:
            raise httpcore.ConnectError(f"no address for {host}")
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"could not connect to {host}")


class _ReleasingStream:
    """A response body that reports when it is closed (its request is then over)."""

    def __init__(self, stream: Iterable[bytes], release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        """Close the underlying stream, then release its pool once."""
        try:
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


class _OriginPools:
    """One httpcore connection pool per origin.

    httpcore's single pool scans all its connections (and polls each idle socket) for every
    request, quadratically; with one pool per origin that scan covers a host's few connections.
    Pools with nothing in flight are closed least recently used first beyond MAX_OPEN_POOLS.
    """

    def __init__(self, make_pool: Callable[[], httpcore.ConnectionPool], max_open: int) -> None:
        self._make_pool = make_pool
        self._max_open = max(1, max_open)
        self._lock = threading.Lock()
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], httpcore.ConnectionPool] = (
            OrderedDict()
        )
        self._in_flight: dict[tuple[bytes, bytes, int | None], int] = {}

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        """Send a request through its origin's pool."""
        key = (request.url.scheme, request.url.host, request.url.port)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = self._make_pool()
            self._pools.move_to_end(key)
            self._in_flight[key] = self._in_flight.get(key, 0) + 1
            idle = self._surplus()
        self._close(idle)
        try:
            response = pool.handle_request(request)
        except BaseException:
            self._release(key)
            raise
        stream = response.stream
        assert isinstance(stream, Iterable)  # a sync pool gives a sync stream
        response.stream = _ReleasingStream(stream, lambda: self._release(key))
        return response

    def _release(self, key: tuple[bytes, bytes, int | None]) -> None:
        """One request of an origin is over."""
        with self._lock:
            left = self._in_flight.get(key, 1) - 1
            if left > 0:
                self._in_flight[key] = left
            else:
                self._in_flight.pop(key, None)
            idle = self._surplus()
        self._close(idle)

    def _surplus(self) -> list[httpcore.ConnectionPool]:
        """Remove and return the idle pools beyond the cap, least recently used first."""
        surplus: list[httpcore.ConnectionPool] = []
        excess = len(self._pools) - self._max_open
        for key in list(self._pools):
            if excess <= 0:
                break
            if key not in self._in_flight:
                surplus.append(self._pools.pop(key))
                excess -= 1
        return surplus

    @staticmethod
    def _close(pools: list[httpcore.ConnectionPool]) -> None:
        """Close pools taken out of service."""
        for pool in pools:
            pool.close()

    def close(self) -> None:
        """Close every pool."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), OrderedDict()
        self._close(pools)

    def __enter__(self) -> _OriginPools:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _pinned_transport(
    allow_private: bool, resolver: Resolver, per_host: int
) -> httpx.HTTPTransport:
    """An httpx transport whose connections go only to checked addresses, pooled per origin."""
    ssl_context = httpx.create_ssl_context()
    transport = httpx.HTTPTransport(verify=ssl_context, retries=0)
    if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
        logger.warning("httpx internals changed: connections are not pinned to checked addresses")
        return transport
    backend = _PinnedBackend(allow_private, resolver)
    keep = max(1, per_host)

    def make_pool() -> httpcore.ConnectionPool:
        """A pool for one origin (the host gate bounds its requests; robots.txt may add one)."""
        return httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=keep + 1,
            max_keepalive_connections=keep,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )

    transport._pool.close()
    transport._pool = _OriginPools(make_pool, MAX_OPEN_POOLS)  # type: ignore[assignment]
    return transport


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """The bare media type and the charset parameter of a Content-Type header, lower case."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower()[:40] or None
    return media.strip().lower()[:100] or None, charset


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or HTTP-date), clamped."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def looks_like_html(data: bytes) -> bool:
    """WHATWG-style sniff: does the start of a body look like HTML?"""
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c").lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head
    return any(
        head.startswith(tag) and len(head) > len(tag) and head[len(tag)] in TAG_TERMINATORS
        for tag in HTML_SNIFF_TAGS
    )


def _feed_type_ok(media_type: str | None) -> bool:
    """Whether a feed response may carry this media type (the parser decides the rest)."""
    if not media_type or media_type in SNIFF_TYPES or media_type.startswith("text/"):
        return True
    return any(marker in media_type for marker in FEED_TYPE_MARKERS)


def _clean_header(value: str | None) -> str | None:
    """A header value worth storing and echoing back: printable ASCII, bounded length."""
    if not value or len(value) > MAX_HEADER_CHARS:
        return None
    if any(not (32 <= ord(char) < 127) for char in value):
        return None
    return value


class _Decoder:
    """Bounded streaming decoder for one Content-Encoding: pieces of about CHUNK_SIZE at most.

    zlib pieces are <= CHUNK_SIZE; brotli's output limit is soft (pieces up to ~2x CHUNK_SIZE).
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib: zlib._Decompress | None = None
        self._brotli: brotli.Decompressor | None = None
        self._deflate_first = True
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding == "br":
            self._brotli = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decode one raw chunk."""
        if self._brotli is not None:
            yield self._brotli.process(data, output_buffer_limit=CHUNK_SIZE)
            while not self._brotli.can_accept_more_data():
                yield self._brotli.process(b"", output_buffer_limit=CHUNK_SIZE)
        elif self._zlib is not None:
            yield from self._feed_zlib(data)
        else:
            yield data

    def _feed_zlib(self, data: bytes) -> Iterator[bytes]:
        """Decode with zlib, trying raw deflate when a 'deflate' body has no zlib header."""
        assert self._zlib is not None
        if self._deflate_first and self.encoding == "deflate" and data:
            self._deflate_first = False
            try:
                first = self._zlib.decompress(data, CHUNK_SIZE)
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                first = self._zlib.decompress(data, CHUNK_SIZE)
            yield first
            data = self._zlib.unconsumed_tail
            if not data and len(first) < CHUNK_SIZE:
                return
        while not self._zlib.eof:
            out = self._zlib.decompress(data, CHUNK_SIZE)
            data = self._zlib.unconsumed_tail
            yield out
            if not data and len(out) < CHUNK_SIZE:
                return

    def finish(self) -> Iterator[bytes]:
        """Drain what the decoder still holds at the end of the stream."""
        if self._brotli is not None:
            while not self._brotli.is_finished():
                out = self._brotli.process(b"", output_buffer_limit=CHUNK_SIZE)
                if not out:
                    return
                yield out
        elif self._zlib is not None and not self._zlib.eof:
            yield self._zlib.flush()


def _decoder_for(content_encoding: str | None) -> _Decoder | None:
    """The decoder for a Content-Encoding header, None when it is unsupported."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Decoder("identity")
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate", "br"):
        return _Decoder(codings[0])
    return None


class _HostGate:
    """Per-host politeness: bounded concurrency and a minimum gap between request starts."""

    def __init__(self, concurrency: int, delay_s: float) -> None:
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._lock = threading.Lock()
        self._next_start = 0.0
        self._delay_s = max(0.0, delay_s)

    @contextmanager
    def slot(self) -> Iterator[float]:
        """Hold one request slot; yields the seconds waited for it."""
        begin = time.monotonic()
        self._slots.acquire()
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self._delay_s
            if start > now:
                time.sleep(start - now)
            yield time.monotonic() - begin
        finally:
            self._slots.release()


@dataclass
class _Robots:
    """A robots.txt verdict for one origin: rules, allow all or disallow all."""

    fetched_at: float  # epoch seconds
    ttl_s: float
    mode: str  # rules | allow_all | disallow_all
    text: str = ""
    parser: RobotFileParser | None = None

    def expired(self, now: float) -> bool:
        """Whether this entry is too old to use."""
        return now - self.fetched_at > self.ttl_s

    def allows(self, url: str) -> bool:
        """Whether the 'monitor' token may fetch url."""
        if self.mode != "rules":
            return self.mode == "allow_all"
        if self.parser is None:
            self.parser = RobotFileParser()
            self.parser.parse(self.text.splitlines())
        return self.parser.can_fetch(ROBOTS_TOKEN, url)


def _origin(url: httpx.URL) -> str:
    """scheme://host[:port] of a URL, the scope of a robots.txt."""
    default = {"http": 80, "https": 443}.get(url.scheme)
    port = "" if url.port in (None, default) else f":{url.port}"
    host = url.raw_host.decode("ascii").lower()
    return f"{url.scheme}://{f'[{host}]' if ':' in host else host}{port}"


def _robots_from_result(result: FetchResult) -> _Robots:
    """The robots verdict for a robots.txt fetch result (see module docstring)."""
    now = time.time()
    if result.outcome == OK:
        text = (result.body or b"").decode("utf-8", errors="replace").removeprefix("\ufeff")
        return _Robots(now, ROBOTS_TTL_S, "rules", text)
    status = result.status_code or 0
    if result.outcome == HTTP_ERROR and status in (401, 403):
        return _Robots(now, ROBOTS_TTL_S, "disallow_all")
    if result.outcome == HTTP_ERROR and 400 <= status < 500 and status != 429:
        return _Robots(now, ROBOTS_TTL_S, "allow_all")
    if status == 429 or status >= 500:
        return _Robots(now, ROBOTS_ERROR_TTL_S, "disallow_all")
    return _Robots(now, ROBOTS_ERROR_TTL_S, "allow_all")


class _FeedLinkParser(html.parser.HTMLParser):
    """Collects <base href> and <link rel=alternate type=rss/atom> hrefs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record feed links and the document base."""
        values = {key.lower(): (value or "").strip() for key, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if tag == "link" and "alternate" in rels and kind in FEED_LINK_TYPES and values.get("href"):
            self.hrefs.append(values["href"])


def discover_feeds(html_doc: str | bytes, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the RSS/Atom feeds a page advertises, in document order."""
    if isinstance(html_doc, bytes):
        html_doc = html_doc.decode("utf-8", errors="replace")
    parser = _FeedLinkParser()
    try:
        parser.feed(html_doc)
        parser.close()
    except (AssertionError, ValueError) as exc:
        logger.debug("feed discovery stopped early on %s: %s", base_url, exc)
    base = urljoin(base_url, parser.base) if parser.base else base_url
    found: list[str] = []
    for href in parser.hrefs:
        try:
            url = urljoin(base, href).split("#", 1)[0]
            scheme = urlsplit(url).scheme
        except ValueError:
            continue
        if scheme in ("http", "https") and url not in found:
            found.append(url)
    return found


class Fetcher:
    """Fetches feeds and pages; thread-safe; per-host state is shared by all its calls."""

    def __init__(
        self,
        settings: FetchSettings,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self.resolver: Resolver = resolver or system_resolver
        self._client = httpx.Client(
            transport=transport
            or _pinned_transport(
                settings.allow_private_networks, self.resolver, settings.per_host_concurrency
            ),
            timeout=httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s),
            follow_redirects=False,
            trust_env=False,
            cookies=http.cookiejar.CookieJar(
                http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
            ),
            headers={"User-Agent": settings.user_agent},
        )
        self._lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def fetch_feed(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Conditional GET of a feed (or read of a file:// feed); 304 -> not_modified."""
        headers = {"Accept": FEED_ACCEPT}
        if etag := _clean_header(etag):
            headers["If-None-Match"] = etag
        if last_modified := _clean_header(last_modified):
            headers["If-Modified-Since"] = last_modified
        return self._fetch(
            url,
            "feed",
            headers,
            respect_robots=False,
            allow_file=True,
            etag=etag,
            last_modified=last_modified,
        )

    def fetch_page(
        self, url: str, respect_robots: bool | None = None, allow_file: bool = False
    ) -> FetchResult:
        """GET an article page: HTML only, robots.txt honoured unless respect_robots=False."""
        robots = self.settings.respect_robots if respect_robots is None else respect_robots
        return self._fetch(
            url, "page", {"Accept": PAGE_ACCEPT}, respect_robots=robots, allow_file=allow_file
        )

    def fetch_pages(
        self, urls: Sequence[str], respect_robots: bool | None = None
    ) -> list[FetchResult]:
        """Fetch pages concurrently across hosts, politely per host; results in input order."""
        if not urls:
            return []
        results: list[FetchResult | None] = [None] * len(urls)
        workers = max(1, min(self.settings.max_workers, len(urls)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            futures = {
                pool.submit(self.fetch_page, urls[i], respect_robots): i
                for i in _interleave_by_host(urls)
            }
            for future, index in futures.items():
                results[index] = future.result()
        return [r for r in results if r is not None]

    def robots_cache_export(self) -> dict[str, dict[str, object]]:
        """The robots.txt cache as JSON-able data (origin -> entry), for persistence."""
        with self._lock:
            return {
                origin: {
                    "fetched_at": r.fetched_at,
                    "ttl_s": r.ttl_s,
                    "mode": r.mode,
                    "text": r.text,
                }
                for origin, r in self._robots.items()
            }

    def robots_cache_import(self, data: dict[str, dict[str, Any]]) -> int:
        """Load entries saved by robots_cache_export; expired or malformed ones are skipped."""
        now, count = time.time(), 0
        for origin, raw in data.items():
            try:
                entry = _Robots(
                    float(raw["fetched_at"]),
                    float(raw["ttl_s"]),
                    str(raw["mode"]),
                    str(raw.get("text", "")),
                )
            except (KeyError, TypeError, ValueError):
                continue
            if entry.mode in ("rules", "allow_all", "disallow_all") and not entry.expired(now):
                with self._lock:
                    self._robots[origin] = entry
                count += 1
        return count

    def _gate(self, host: str) -> _HostGate:
        """The politeness gate of a host."""
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = _HostGate(self.settings.per_host_concurrency, self.settings.per_host_delay_s)
                self._gates[host] = gate
            return gate

    def _fetch(
        self,
        url: str,
        kind: str,
        headers: dict[str, str],
        respect_robots: bool,
        allow_file: bool,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Run one fetch and turn every failure into a FetchResult."""
        begin = time.monotonic()
        url = url.strip()
        result = FetchResult(url=url, final_url=None, outcome=OK)
        try:
            if _scheme(url) == "file":
                if not allow_file:
                    raise FetchError(INVALID_URL, f"{url}: file:// links are not followed here")
                result.final_url = url
                self._read_file(url, kind, result, etag, last_modified)
            else:
                self._follow(url, kind, headers, respect_robots, result, etag, last_modified)
        except FetchError as exc:
            result.outcome, result.error = exc.outcome, str(exc)
            result.status_code = exc.status_code or result.status_code
            result.body = None
        except Exception as exc:  # a bug must not stop a batch: record it
            logger.exception("unexpected error fetching %s", url)
            result.outcome, result.body = CONNECTION_ERROR, None
            result.error = f"{url}: unexpected {type(exc).__name__}: {exc}"
        result.elapsed_ms = (time.monotonic() - begin) * 1000
        if result.outcome == BLOCKED_ADDRESS:
            logger.info("%s", result.error)
        logger.debug(
            "%s %s -> %s %s (%d bytes, %.0f ms)",
            kind,
            url,
            result.outcome,
            result.status_code,
            result.bytes,
            result.elapsed_ms,
        )
        return result

    def _follow(
        self,
        url: str,
        kind: str,
        headers: dict[str, str],
        respect_robots: bool,
        result: FetchResult,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        """Request url and follow redirects by hand, checking every hop."""
        current, seen = url, set()
        for hop in range(self.settings.max_redirects + 1):
            result.final_url = current
            result.status_code = result.content_type = result.charset = None
            result.etag = result.last_modified = None
            target = self._checked_url(current)
            seen.add(str(target.copy_with(fragment=None)))
            if respect_robots and not self._robots_allow(target):
                raise FetchError(ROBOTS_DISALLOWED, f"{current}: disallowed by robots.txt")
            location = self._request(target, kind, headers, result, etag, last_modified)
            if location is None:
                return
            try:
                following = target.join(location).copy_with(fragment=None)
            except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
                raise FetchError(
                    INVALID_URL, f"{current}: bad redirect {location!r}: {exc}"
                ) from exc
            if str(following) in seen:
                raise FetchError(TOO_MANY_REDIRECTS, f"{current}: redirect loop to {following}")
            if hop == self.settings.max_redirects:
                raise FetchError(
                    TOO_MANY_REDIRECTS, f"{url}: more than {self.settings.max_redirects} redirects"
                )
            result.redirects += 1
            current = str(following)

    def _checked_url(self, url: str) -> httpx.URL:
        """Parse url and apply the scheme and address checks (raises FetchError)."""
        try:
            target = httpx.URL(url)
            host = target.raw_host.decode("ascii")
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            raise FetchError(INVALID_URL, f"{url}: invalid URL: {exc}") from exc
        if target.scheme not in ("http", "https"):
            raise FetchError(INVALID_URL, f"{url}: unsupported scheme {target.scheme!r}")
        if not host:
            raise FetchError(INVALID_URL, f"{url}: no host")
        port = target.port or (443 if target.scheme == "https" else 80)
        try:
            addresses = _resolve(self.resolver, host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(
                CONNECTION_ERROR, f"{url}: DNS lookup failed for {host}: {exc}"
            ) from exc
        reason = _host_block_reason(host, addresses, self.settings.allow_private_networks)
        if reason:
            raise FetchError(BLOCKED_ADDRESS, f"{url}: blocked: {reason}")
        return target

    def _request(
        self,
        target: httpx.URL,
        kind: str,
        headers: dict[str, str],
        result: FetchResult,
        etag: str | None,
        last_modified: str | None,
    ) -> str | None:
        """Send one GET under the host's politeness gate; returns a redirect Location or None."""
        url = str(target)
        with self._gate(host_of(url)).slot() as waited:
            result.waited_ms += waited * 1000
            attempt = FetchAttempt(url=url, started_at=time.time())
            result.attempts.append(attempt)
            begin = time.monotonic()
            try:
                request = self._client.build_request(
                    "GET", target, headers={**headers, "Accept-Encoding": ACCEPT_ENCODING}
                )
                response = self._client.send(request, stream=True)
                try:
                    attempt.status_code = response.status_code
                    location = self._handle(response, url, kind, result, etag, last_modified, begin)
                    attempt.location = location
                    return location
                finally:
                    response.close()
            except FetchError as exc:
                attempt.error = str(exc)
                raise
            except (
                httpx.HTTPError,
                httpx.InvalidURL,
                OSError,
                zlib.error,
                brotli.error,
                UnicodeError,
            ) as exc:
                outcome, message = _classify(exc, url, self.settings)
                attempt.error = message
                raise FetchError(outcome, message) from exc
            finally:
                attempt.elapsed_ms = (time.monotonic() - begin) * 1000

    def _handle(
        self,
        response: httpx.Response,
        url: str,
        kind: str,
        result: FetchResult,
        etag: str | None,
        last_modified: str | None,
        begin: float,
    ) -> str | None:
        """Classify a response, read its body if wanted; returns a redirect Location or None."""
        status = response.status_code
        result.status_code = status
        if status in REDIRECT_CODES:
            location = response.headers.get("location")
            if not location:
                raise FetchError(HTTP_ERROR, f"{url}: redirect {status} without Location")
            return location
        result.content_type, result.charset = parse_content_type(
            response.headers.get("content-type")
        )
        result.etag = _clean_header(response.headers.get("etag"))
        result.last_modified = _clean_header(response.headers.get("last-modified"))
        if status == 304:
            result.outcome = NOT_MODIFIED
            result.etag, result.last_modified = (
                result.etag or etag,
                result.last_modified or last_modified,
            )
            return None
        retry_after = response.headers.get("retry-after")
        if status == 429 or (status == 503 and retry_after):
            result.retry_after_s = parse_retry_after(retry_after)
            raise FetchError(
                RATE_LIMITED, f"{url}: rate limited ({status}, Retry-After {retry_after!r})", status
            )
        if not 200 <= status < 300:
            raise FetchError(HTTP_ERROR, f"{url}: HTTP {status} {response.reason_phrase}", status)
        self._check_type(url, kind, result.content_type)
        decoder = _decoder_for(response.headers.get("content-encoding"))
        if decoder is None:
            raise FetchError(
                UNSUPPORTED_TYPE,
                f"{url}: unsupported Content-Encoding {response.headers.get('content-encoding')!r}",
            )
        cap = ROBOTS_MAX_BYTES if kind == "robots" else self.settings.max_bytes
        declared = _content_length(response.headers.get("content-length"))
        if kind != "robots" and declared is not None and declared > cap:
            raise FetchError(TOO_LARGE, f"{url}: Content-Length {declared} exceeds {cap} bytes")
        deadline = begin + TOTAL_TIMEOUT_FACTOR * self.settings.timeout_s
        result.body = self._read_body(
            response, decoder, url, cap, deadline, result, truncate=kind == "robots"
        )
        self._sniff(url, kind, result)
        result.outcome = OK
        return None

    def _check_type(self, url: str, kind: str, media_type: str | None) -> None:
        """Refuse declared content types this kind of fetch does not accept."""
        if kind == "page" and media_type and media_type not in HTML_TYPES | SNIFF_TYPES:
            raise FetchError(UNSUPPORTED_TYPE, f"{url}: content type {media_type} is not HTML")
        if kind == "feed" and not _feed_type_ok(media_type):
            raise FetchError(UNSUPPORTED_TYPE, f"{url}: content type {media_type} is not a feed")

    def _sniff(self, url: str, kind: str, result: FetchResult) -> None:
        """For pages with no (or a generic) content type, require HTML-looking bytes."""
        if kind != "page" or result.content_type in HTML_TYPES:
            return
        if not looks_like_html(result.body or b""):
            declared = result.content_type or "none"
            raise FetchError(
                UNSUPPORTED_TYPE,
                f"{url}: content type {declared} and the body does not look like HTML",
            )

    def _read_body(
        self,
        response: httpx.Response,
        decoder: _Decoder,
        url: str,
        cap: int,
        deadline: float,
        result: FetchResult,
        truncate: bool,
    ) -> bytes:
        """Stream and decode the body, stopping at cap decoded bytes or at the deadline."""
        pieces: list[bytes] = []
        size = 0

        def chunks() -> Iterator[bytes]:
            for raw in response.iter_raw():
                if time.monotonic() > deadline:
                    raise FetchError(
                        TIMEOUT,
                        f"{url}: body not complete after "
                        f"{TOTAL_TIMEOUT_FACTOR * self.settings.timeout_s:g}s",
                    )
                yield from decoder.feed(raw)
            yield from decoder.finish()

        for piece in chunks():
            size += len(piece)
            result.bytes = min(size, cap) if truncate else size
            if size > cap:
                if truncate:
                    pieces.append(piece[: len(piece) - (size - cap)])
                    break
                raise FetchError(TOO_LARGE, f"{url}: body exceeds {cap} bytes (decoded)")
            pieces.append(piece)
        return b"".join(pieces)

    def _read_file(
        self, url: str, kind: str, result: FetchResult, etag: str | None, last_modified: str | None
    ) -> None:
        """Read a file:// URL from disk, capped at max_bytes, with file-based validators."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchError(INVALID_URL, f"{url}: remote file host {parts.netloc!r}")
        path = Path(url2pathname(unquote(parts.path)))
        try:
            stat = path.stat()
            if not path.is_file():
                raise FetchError(HTTP_ERROR, f"{url}: not a regular file", 403)
            result.etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
            result.last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            result.content_type = mimetypes.guess_type(path.name)[0]
            if (etag and etag == result.etag) or (
                not etag and last_modified and last_modified == result.last_modified
            ):
                result.outcome = NOT_MODIFIED
                return
            cap = self.settings.max_bytes
            if stat.st_size > cap:
                raise FetchError(TOO_LARGE, f"{url}: file of {stat.st_size} bytes exceeds {cap}")
            with path.open("rb") as handle:
                body = handle.read(cap + 1)
        except FileNotFoundError as exc:
            raise FetchError(HTTP_ERROR, f"{url}: file not found", 404) from exc
        except (PermissionError, IsADirectoryError) as exc:
            raise FetchError(HTTP_ERROR, f"{url}: file not readable: {exc}", 403) from exc
        except OSError as exc:
            raise FetchError(CONNECTION_ERROR, f"{url}: cannot read file: {exc}") from exc
        result.bytes = len(body)
        if len(body) > cap:
            raise FetchError(TOO_LARGE, f"{url}: file exceeds {cap} bytes")
        self._check_type(url, kind, result.content_type)
        result.body = body
        self._sniff(url, kind, result)
        result.outcome = OK

    def _robots_allow(self, target: httpx.URL) -> bool:
        """Whether robots.txt of the target's origin allows the 'monitor' token to fetch it."""
        origin = _origin(target)
        with self._lock:
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            with self._lock:
                entry = self._robots.get(origin)
            if entry is None or entry.expired(time.time()):
                fetched = self._fetch(
                    f"{origin}/robots.txt",
                    "robots",
                    {"Accept": ROBOTS_ACCEPT},
                    respect_robots=False,
                    allow_file=False,
                )
                entry = _robots_from_result(fetched)
                logger.debug("robots.txt of %s: %s (%s)", origin, entry.mode, fetched.outcome)
                with self._lock:
                    self._prune_robots()
                    self._robots[origin] = entry
        return entry.allows(str(target))

    def _prune_robots(self) -> None:
        """Drop expired robots entries (caller holds the lock)."""
        now = time.time()
        for origin in [o for o, r in self._robots.items() if r.expired(now)]:
            del self._robots[origin]


def _scheme(url: str) -> str:
    """The lower-case scheme of url ('' when it has none or does not parse)."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def _content_length(value: str | None) -> int | None:
    """A Content-Length header as an int, None when absent or malformed."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _classify(exc: BaseException, url: str, settings: FetchSettings) -> tuple[str, str]:
    """Outcome and message for an exception raised while requesting url."""
    if isinstance(exc, httpx.ConnectTimeout):
        return TIMEOUT, f"{url}: connect timeout after {settings.connect_timeout_s:g}s"
    if isinstance(exc, httpx.TimeoutException):
        return TIMEOUT, f"{url}: timeout after {settings.timeout_s:g}s ({type(exc).__name__})"
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError)):
        return INVALID_URL, f"{url}: invalid URL: {exc}"
    if isinstance(exc, (zlib.error, brotli.error)):
        return CONNECTION_ERROR, f"{url}: corrupt compressed body: {exc}"
    detail = str(exc) or type(exc).__name__
    return CONNECTION_ERROR, f"{url}: {type(exc).__name__}: {detail}"


def _interleave_by_host(urls: Sequence[str]) -> list[int]:
    """Indices of urls in round-robin order across hosts, so one busy host does not hog workers."""
    queues: dict[str, list[int]] = {}
    for index, url in enumerate(urls):
        try:
            host = host_of(url)
        except ValueError:
            host = ""
        queues.setdefault(host, []).append(index)
    order: list[int] = []
    while queues:
        for host in list(queues):
            order.append(queues[host].pop(0))
            if not queues[host]:
                del queues[host]
    return order


__all__ = [
    "OUTCOMES",
    "FetchAttempt",
    "FetchResult",
    "Fetcher",
    "address_block_reason",
    "check_address",
    "discover_feeds",
    "looks_like_html",
    "parse_content_type",
    "parse_retry_after",
    "system_resolver",
]
