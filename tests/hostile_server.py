"""A loopback HTTP server with one route per fault, for fetch and end-to-end tests.

    from tests.hostile_server import start_hostile_server  # tests/ is a package

    server = start_hostile_server("127.0.0.1")   # or "127.0.0.2" for a second host
    server.url("/gzip-bomb")                      # base_url + path
    ...
    server.stop()

It is threaded (every request in its own thread), binds only to the given loopback address,
generates large bodies lazily (nothing big is held in memory) and logs every request with its
start and end times so tests can measure concurrency and gaps. `ROUTES` lists the routes.
"""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import ssl
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import brotli

ROUTES: dict[str, str] = {
    "/feed.xml": 'RSS 2.0 feed; ETag "feed-v1" + Last-Modified; 304 on a matching validator',
    "/hostile-feed.xml": "RSS feed whose item links point at the fault routes and at "
    "forbidden targets (metadata address, file://, javascript:)",
    "/feed-truncated.xml": "RSS cut off in the middle of an item",
    "/feed-bad-charset.xml": "says charset=utf-8 (header and XML declaration), body is latin-1",
    "/html-instead-of-feed": "an HTML page (text/html) advertising two feeds via <link>",
    "/page.html": "a small article page (text/html; charset=utf-8)",
    "/private/page.html": "an article page under a path robots.txt disallows",
    "/page-no-type": "HTML without a Content-Type header",
    "/binary-no-type": "binary bytes without a Content-Type header",
    "/page.pdf": "a 'PDF' (application/pdf)",
    "/page-br": "article page, Content-Encoding: br",
    "/page-gzip": "article page, Content-Encoding: gzip",
    "/page-deflate": "article page, Content-Encoding: deflate (raw, no zlib header)",
    "/corrupt-gzip": "Content-Encoding: gzip, but the body is not gzip",
    "/gzip-bomb": "10 MB of zeros gzipped (~10 KB on the wire), text/html",
    "/brotli-bomb": "10 MB of spaces brotli-compressed (a few bytes on the wire), text/html",
    "/huge": "?mb=50 (default): that many MB of HTML, chunked, generated lazily",
    "/huge-declared": "Content-Length: 50 MB, body generated lazily",
    "/slow": "?s=2: sleeps s seconds before sending headers",
    "/drip": "?s=0.2: headers at once, then one byte every s seconds (up to 10 minutes)",
    "/sleep": "?s=0.3: an HTML page after s seconds (for concurrency measurements)",
    "/status/<code>": "an empty response with that status",
    "/retry-after": "?code=429&value=120: that status with Retry-After: value",
    "/loop/a": "302 -> /loop/b -> /loop/a (relative Locations)",
    "/chain/<n>": "n relative redirects, then /page.html",
    "/redirect": "?to=<absolute URL>&code=302: one redirect to any URL",
    "/redirect-no-location": "302 without a Location header",
    "/reset": "closes the connection without answering",
    "/garbage": "answers with bytes that are not HTTP",
    "/robots.txt": "server.robots_txt with server.robots_status; ?s in server.robots_delay_s",
}

ARTICLE_HTML = (
    "<!DOCTYPE html><html><head><title>Minister resigns</title>"
    '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
    "<body><article><h1>Minister resigns</h1><p>The minister resigned on Tuesday "
    "after a long dispute over the budget. Caf\u00e9 owners welcomed the news.</p>"
    "</article></body></html>"
).encode()
FEED_LAST_MODIFIED = "Mon, 23 Nov 2026 08:00:00 GMT"
FEED_ETAG = '"feed-v1"'
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n"
MB = 1_000_000


def _rss(items: list[tuple[str, str]], title: str = "Hostile test feed") -> bytes:
    """A small RSS 2.0 document with (title, link) items."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 23 Nov 2026 07:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link><description>t</description>"
        f"{body}</channel></rss>"
    ).encode()


def _compress_raw_deflate(data: bytes) -> bytes:
    """Raw deflate (no zlib header), as some servers send for Content-Encoding: deflate."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


GZIP_BOMB = gzip.compress(b"\0" * (10 * MB), compresslevel=9)
BROTLI_BOMB = brotli.compress(b" " * (10 * MB))


@dataclass
class RequestRecord:
    """One request the server received."""

    method: str
    path: str
    host_header: str | None
    server_address: str
    headers: dict[str, str]
    started: float  # time.monotonic()
    ended: float | None = None
    client_port: int = 0  # one per connection: tells keep-alive reuse apart from new connections


@dataclass
class HostileServer:
    """A running fault-injecting server; configure robots_* before requests."""

    httpd: ThreadingHTTPServer
    thread: threading.Thread
    host: str
    port: int
    log: list[RequestRecord] = field(default_factory=list)
    robots_txt: str = DEFAULT_ROBOTS
    robots_status: int = 200
    robots_delay_s: float = 0.0
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    max_in_flight: int = 0
    tls: bool = False

    @property
    def base_url(self) -> str:
        """http(s)://host:port with no trailing slash."""
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.base_url + path

    def paths(self) -> list[str]:
        """Paths requested so far, in arrival order."""
        with self.lock:
            return [record.path for record in self.log]

    def stop(self) -> None:
        """Stop serving and release the port; sleeping handlers end early."""
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    """Threaded server that does not print clients hanging up (the fetcher does that a lot)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore dropped connections and refused handshakes; report anything else."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    """Dispatches each route of ROUTES."""

    protocol_version = "HTTP/1.1"
    server_version = "hostile/1.0"
    hostile: HostileServer  # set on the subclass made per server

    def setup(self) -> None:
        """Finish the TLS handshake in the request thread (not in the accept loop)."""
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(5)
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep test output quiet."""

    def do_GET(self) -> None:
        """Record the request, serve its route, record the end."""
        server = self.hostile
        parts = urlsplit(self.path)
        record = RequestRecord(
            "GET",
            parts.path,
            self.headers.get("Host"),
            server.host,
            {k.lower(): v for k, v in self.headers.items()},
            time.monotonic(),
            client_port=self.client_address[1],
        )
        with server.lock:
            server.log.append(record)
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            self._route(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        finally:
            with server.lock:
                server.in_flight -= 1
                record.ended = time.monotonic()

    def _send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """A complete response with Content-Length."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and status != 304:
            self.wfile.write(body)

    def _send_chunked(self, chunks: Iterator[bytes], content_type: str = "text/html") -> None:
        """A chunked response from a lazy iterator; stops when the client goes away."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            if self.hostile.stopping.is_set():
                break
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _sleep(self, seconds: float) -> None:
        """Sleep, ending early when the server stops."""
        self.hostile.stopping.wait(seconds)

    def _route(self, path: str, query: dict[str, str]) -> None:
        """Serve one fault."""
        if path == "/feed.xml":
            self._sleep(float(query.get("delay", "0")))
            return self._feed()
        if path == "/hostile-feed.xml":
            base = self.hostile.base_url
            links = [
                f"{base}{p}"
                for p in (
                    "/page.html",
                    "/slow?s=10",
                    "/status/500",
                    "/retry-after?code=429&value=120",
                    "/loop/a",
                    "/huge",
                    "/gzip-bomb",
                    "/page.pdf",
                    "/page-br",
                    "/redirect?to=http://169.254.169.254/latest/meta-data/",
                )
            ] + [
                "http://169.254.169.254/latest/meta-data/",
                "file:///etc/passwd",
                "javascript:alert(1)",
            ]
            return self._send(
                200,
                _rss([(f"Item {i}", link.replace("&", "&amp;")) for i, link in enumerate(links)]),
                "application/rss+xml",
            )
        if path == "/feed-truncated.xml":
            return self._send(
                200, _rss([("a", "http://example.org/a")])[:-60], "application/rss+xml"
            )
        if path == "/feed-bad-charset.xml":
            body = _rss([("Caf\u00e9 cr\u00e8me", "http://example.org/c")]).decode()
            return self._send(200, body.encode("latin-1"), "application/rss+xml; charset=utf-8")
        if path == "/html-instead-of-feed":
            page = (
                b'<html><head><link rel="alternate" type="application/rss+xml" '
                b'href="/feed.xml"><link rel="alternate" type="application/atom+xml" '
                b'href="http://example.org/atom.xml"></head><body>Not a feed</body></html>'
            )
            return self._send(200, page)
        if path in ("/page.html", "/private/page.html"):
            return self._send(200, ARTICLE_HTML)
        if path == "/page-no-type":
            return self._send(200, ARTICLE_HTML, None)
        if path == "/binary-no-type":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, None)
        if path == "/page.pdf":
            return self._send(200, b"%PDF-1.4\n" + b"0" * 2048, "application/pdf")
        if path == "/page-br":
            return self._send(
                200, brotli.compress(ARTICLE_HTML), headers={"Content-Encoding": "br"}
            )
        if path == "/page-gzip":
            return self._send(
                200, gzip.compress(ARTICLE_HTML), headers={"Content-Encoding": "gzip"}
            )
        if path == "/page-deflate":
            return self._send(
                200, _compress_raw_deflate(ARTICLE_HTML), headers={"Content-Encoding": "deflate"}
            )
        if path == "/corrupt-gzip":
            return self._send(
                200, b"\x1f\x8b" + b"garbage" * 50, headers={"Content-Encoding": "gzip"}
            )
        if path == "/gzip-bomb":
            return self._send(200, GZIP_BOMB, headers={"Content-Encoding": "gzip"})
        if path == "/brotli-bomb":
            return self._send(200, BROTLI_BOMB, headers={"Content-Encoding": "br"})
        if path == "/huge":
            total = int(float(query.get("mb", "50")) * MB)
            return self._send_chunked(_lazy_html(total))
        if path == "/huge-declared":
            return self._huge_declared(50 * MB)
        if path == "/slow":
            self._sleep(float(query.get("s", "2")))
            return self._send(200, ARTICLE_HTML)
        if path == "/drip":
            return self._drip(float(query.get("s", "0.2")))
        if path == "/sleep":
            self._sleep(float(query.get("s", "0.3")))
            return self._send(200, ARTICLE_HTML)
        if path.startswith("/status/"):
            return self._send(int(path.rsplit("/", 1)[1]), b"status page")
        if path == "/retry-after":
            return self._send(
                int(query.get("code", "429")),
                b"slow down",
                headers={"Retry-After": query.get("value", "120")},
            )
        if path in ("/loop/a", "/loop/b"):
            return self._send(302, headers={"Location": "b" if path.endswith("a") else "a"})
        if path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            return self._send(
                302, headers={"Location": f"{left - 1}" if left > 1 else "/page.html"}
            )
        if path == "/redirect":
            return self._send(int(query.get("code", "302")), headers={"Location": query["to"]})
        if path == "/redirect-no-location":
            return self._send(302)
        if path == "/reset":
            self.close_connection = True
            return None
        if path == "/garbage":
            self.wfile.write(b"HELLO THIS IS NOT HTTP\r\n\r\n")
            self.close_connection = True
            return None
        if path == "/robots.txt":
            self._sleep(self.hostile.robots_delay_s)
            return self._send(
                self.hostile.robots_status, self.hostile.robots_txt.encode(), "text/plain"
            )
        return self._send(404, b"not found")

    def _feed(self) -> None:
        """The feed, honouring If-None-Match and If-Modified-Since."""
        validators = {"ETag": FEED_ETAG, "Last-Modified": FEED_LAST_MODIFIED}
        if (
            self.headers.get("If-None-Match") == FEED_ETAG
            or self.headers.get("If-Modified-Since") == FEED_LAST_MODIFIED
        ):
            return self._send(304, content_type=None, headers=validators)
        items = [("Minister resigns", self.hostile.url("/page.html"))]
        return self._send(
            200, _rss(items), "application/rss+xml; charset=utf-8", headers=validators
        )

    def _huge_declared(self, total: int) -> None:
        """Declare a huge Content-Length and stream zeros until the client leaves."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        for chunk in _lazy_html(total):
            if self.hostile.stopping.is_set():
                break
            self.wfile.write(chunk)
        self.close_connection = True

    def _drip(self, every_s: float) -> None:
        """Send headers, then one byte at a time."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html>")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not self.hostile.stopping.is_set():
            self._sleep(every_s)
            self.wfile.write(b" ")
            self.wfile.flush()
        self.close_connection = True


def _lazy_html(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """total bytes of HTML-ish filler in chunks, one reused buffer."""
    block = b"<p>" + b"x" * (chunk - 7) + b"</p>"
    yield b"<html><body>"
    sent = 12
    while sent < total:
        piece = block if total - sent >= chunk else block[: total - sent]
        yield piece
        sent += len(piece)


def http_date(when: float) -> str:
    """An HTTP-date for an epoch time."""
    return email.utils.formatdate(when, usegmt=True)


def start_hostile_server(
    host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
) -> HostileServer:
    """Start the server on a loopback address in a daemon thread; returns it (see base_url).

    With tls (a server-side SSLContext) it speaks HTTPS and base_url starts with https://.
    """
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"refusing to serve hostile routes on non-loopback address {host}")

    class BoundHandler(_Handler):
        """The handler bound to this server."""

    handler = BoundHandler
    httpd = _QuietServer((host, port), handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(
            httpd.socket, server_side=True, do_handshake_on_connect=False
        )
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.05},
        daemon=True,
        name=f"hostile-{host}",
    )
    server = HostileServer(httpd, thread, host, httpd.server_address[1], tls=tls is not None)
    handler.hostile = server
    thread.start()
    return server
