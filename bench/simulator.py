"""A simulated news web on loopback: one site per address (127.0.0.2, 127.0.0.3, ...).

Each site serves an RSS feed of K items, robots.txt, and article pages rendered from one of
TEMPLATE_COUNT site templates. A template fixes the page's structure: the wrapper elements and
class names, header and footer layouts, a mega menu of a given size, inline CSS and scripts,
JSON-LD, rails of teaser cards (most read, more from the section), a share bar, and optional
comments, tables, figures, related links and newsletter boxes. Two templates in three lay out
their menus, rails and footer in <div>s, as many real sites do, the third in <nav>, <aside> and
<footer>: trafilatura drops those elements before it looks at the page, but it has to weigh
every <div>, so the first kind costs it what real pages do (about 21 ms for a 145 KB page here,
where the issue measured 26 ms for real pages of 170 KB; the light pages of semantic tags only,
used before, cost 6 ms for 122 KB). Article
text comes from bench.textgen (300-1200 words naming countries and leaders, some with stances);
each article reports one of feeds x items / ARTICLES_PER_EVENT events, whose own names and
sentences it repeats, so the same event is covered by several sites as in a real news burst.
A share of the items repeats another item's page byte for byte under a second URL (an exact
duplicate). Feeds and pages carry ETag and Last-Modified and answer 304 to a matching
If-None-Match or If-Modified-Since. Pages are rendered once, before serving, so that serving
costs the benchmark process little CPU while the measured ingest runs.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import logging
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench import textgen

logger = logging.getLogger(__name__)

TEMPLATE_COUNT = 60
DUPLICATE_SHARE = 0.03
ARTICLES_PER_EVENT = 6  # a burst reports this many articles per event on average
STANCE_ARTICLE_SHARE = 0.3
MIN_WORDS, MAX_WORDS = 300, 1200
CARDS_MIN, CARDS_MAX = 12, 60
FIRST_HOST = 2
START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
SECTIONS = (
    "World",
    "Europe",
    "Politics",
    "Business",
    "Markets",
    "Climate",
    "Science",
    "Tech",
    "Health",
    "Sport",
    "Culture",
    "Opinion",
    "Investigations",
    "Video",
    "Podcasts",
    "Weather",
    "Travel",
    "Education",
    "Defence",
    "Energy",
    "Local",
    "Obituaries",
)
WRAPPERS = ("article", "div", "section", "main", "table", "div-itemprop")


@dataclass(frozen=True)
class Template:
    """The structure of one simulated site's article pages."""

    index: int
    prefix: str
    site_name: str
    wrapper: str
    menu_links: int
    css_rules: int
    script_kb: int
    comments: int
    has_table: bool
    has_figure: bool
    related: int
    footer_columns: int
    header_style: int
    date_style: int
    ads_every: int
    div_layout: bool  # menus, rails and footer in <div>s, as many real sites, not <nav>/<aside>
    cards: int  # teaser cards in the page's rails (related, most read, more from the section)
    share_icons: int

    def tag(self, semantic: str) -> str:
        """The element for a page part: <div> in a div layout, else the semantic `semantic`."""
        return "div" if self.div_layout else semantic


def _word(rng: random.Random, parts: int = 2) -> str:
    """A pronounceable pseudo-word, for class names and site names."""
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def make_template(index: int) -> Template:
    """Template number `index`, drawn from its own seed."""
    rng = random.Random(f"template-{index}")
    return Template(
        index=index,
        prefix=_word(rng),
        site_name=f"The {_word(rng, 3).title()} "
        f"{rng.choice(('Times', 'Post', 'Herald', 'Courier', 'Daily', 'Observer', 'News'))}",
        wrapper=WRAPPERS[index % len(WRAPPERS)],
        menu_links=rng.randint(150, 700),
        css_rules=rng.randint(150, 700),
        script_kb=rng.randint(20, 80),
        comments=rng.choice((0, 0, 5, 20, 40)),
        has_table=rng.random() < 0.3,
        has_figure=rng.random() < 0.6,
        related=rng.randint(4, 24),
        footer_columns=rng.randint(2, 6),
        header_style=index % 4,
        date_style=index % 3,
        ads_every=rng.randint(2, 5),
        div_layout=index % 3 != 0,
        cards=rng.randint(CARDS_MIN, CARDS_MAX),
        share_icons=rng.choice((0, 4, 6, 8)),
    )


def _css(t: Template, rng: random.Random) -> str:
    """An inline style sheet of t.css_rules rules."""
    props = (
        "margin",
        "padding",
        "color",
        "font-size",
        "line-height",
        "border",
        "display",
        "grid-template-columns",
        "background",
        "letter-spacing",
    )
    rules = []
    for i in range(t.css_rules):
        body = ";".join(f"{rng.choice(props)}:{rng.randint(0, 48)}px" for _ in range(4))
        rules.append(f".{t.prefix}-{_word(rng)}-{i}{{{body}}}")
    return "<style>" + "\n".join(rules) + "</style>"


def _script(t: Template, rng: random.Random, kb: int) -> str:
    """An inline script of about kb kilobytes (a bundled configuration and tracking code)."""
    parts = [f"window.__{t.prefix.upper()}_STATE__="]
    state: dict[str, Any] = {}
    size = 0
    while size < kb * 1024:
        key = _word(rng, 3)
        value = {
            "id": rng.randint(1, 10**9),
            "slot": _word(rng),
            "sizes": [[300, 250], [728, 90]],
            "targeting": {"section": rng.choice(SECTIONS), "kw": [_word(rng) for _ in range(4)]},
        }
        state[key] = value
        size += len(key) + 120
    parts.append(json.dumps(state, separators=(",", ":")))
    parts.append(
        ";(function(w,d){var s=d.createElement('script');s.async=true;"
        f"s.src='/static/{t.prefix}.js';d.head.appendChild(s);}})(window,document);"
    )
    return "<script>" + "".join(parts) + "</script>"


def _menu(t: Template, rng: random.Random) -> str:
    """A mega menu: sections with nested lists of links."""
    per_section = max(1, t.menu_links // len(SECTIONS))
    items = []
    for section in SECTIONS:
        links = "".join(
            f'<li><a href="/{section.lower()}/{_word(rng, 3)}">{_word(rng, 2).title()}'
            f" {_word(rng, 3)}</a></li>"
            for _ in range(per_section)
        )
        items.append(
            f'<li class="{t.prefix}-menu-item"><a href="/{section.lower()}">{section}'
            f'</a><ul class="{t.prefix}-submenu">{links}</ul></li>'
        )
    tag = t.tag("nav")
    return f'<{tag} class="{t.prefix}-nav" role="navigation"><ul>{"".join(items)}</ul></{tag}>'


def _header(t: Template, rng: random.Random) -> str:
    """The site header in one of four layouts."""
    logo = f'<a class="{t.prefix}-logo" href="/">{html.escape(t.site_name)}</a>'
    search = f'<form class="{t.prefix}-search" action="/search"><input name="q"></form>'
    ticker = (
        f'<div class="{t.prefix}-ticker"><span>Breaking</span>'
        + "".join(f"<a href='/live/{i}'>{textgen.headline(rng)}</a>" for i in range(6))
        + "</div>"
    )
    cookie = (
        f'<div id="{t.prefix}-consent" class="cookie-banner"><p>We use cookies to improve '
        "your experience and for advertising.</p><button>Accept all</button>"
        "<button>Manage options</button></div>"
    )
    layouts = (
        f"<header>{logo}{_menu(t, rng)}{search}</header>",
        f'<div class="{t.prefix}-top">{cookie}<div class="masthead">{logo}</div>'
        f"{_menu(t, rng)}</div>{ticker}",
        f'<header id="site-header"><div class="row">{logo}{search}</div>{ticker}</header>'
        f"{_menu(t, rng)}",
        f'<table width="100%" class="hdr"><tr><td>{logo}</td><td>{search}</td></tr>'
        f"</table>{_menu(t, rng)}{cookie}",
    )
    return layouts[t.header_style]


def _date(t: Template, published: datetime) -> str:
    """The publication date in the template's style."""
    iso = published.isoformat()
    if t.date_style == 0:
        return f'<time datetime="{iso}">{published:%d %B %Y, %H:%M} UTC</time>'
    if t.date_style == 1:
        return f'<span class="{t.prefix}-date">Published {published:%A %d %B %Y}</span>'
    stamp = int(published.timestamp())
    return f'<div class="dateline" data-ts="{stamp}">{published:%Y-%m-%d}</div>'


def _table(rng: random.Random) -> str:
    """A small data table inside the article."""
    rows = "".join(
        f"<tr><td>{textgen.cast().countries[i][1]}</td><td>{rng.randint(1, 999)}</td>"
        f"<td>{rng.uniform(-5, 5):.1f}%</td></tr>"
        for i in range(rng.randint(4, 12))
    )
    return (
        f"<table class='data'><thead><tr><th>Country</th><th>Value</th><th>Change</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _body(t: Template, rng: random.Random, paras: list[str]) -> str:
    """The article body: paragraphs with ads, a figure, a table, subheadings, a quote."""
    out = []
    for i, para in enumerate(paras):
        out.append(f"<p>{html.escape(para)}</p>")
        if i and i % t.ads_every == 0:
            out.append(
                f'<div class="{t.prefix}-ad ad-slot" data-slot="{_word(rng)}">'
                "<span>Advertisement</span></div>"
            )
        if i == 1 and t.has_figure:
            out.append(
                f'<figure><img src="/img/{_word(rng, 4)}.jpg" alt="photo"><figcaption>'
                f"{html.escape(textgen.sentence(rng))}</figcaption></figure>"
            )
        if i == 3 and t.has_table:
            out.append(_table(rng))
        if i and i % 5 == 0:
            out.append(f"<h2>{html.escape(textgen.headline(rng))}</h2>")
        if i == 2:
            out.append(
                f'<p class="{t.prefix}-readmore"><a href="/world/{_word(rng, 4)}">Read '
                f"more: {html.escape(textgen.headline(rng))}</a></p>"
            )
    return "".join(out)


def _wrap(t: Template, inner: str) -> str:
    """The article wrapper of the template."""
    if t.wrapper == "article":
        return f'<article class="{t.prefix}-article">{inner}</article>'
    if t.wrapper == "div":
        return f'<div id="story-body" class="{t.prefix}-story">{inner}</div>'
    if t.wrapper == "section":
        return f'<section class="{t.prefix}-content"><div class="inner">{inner}</div></section>'
    if t.wrapper == "main":
        return f'<main id="main"><div class="{t.prefix}-col">{inner}</div></main>'
    if t.wrapper == "table":
        return (
            f'<table class="layout" width="100%"><tr><td class="{t.prefix}-left" '
            f'width="70%">{inner}</td><td class="sidebar">Most read</td></tr></table>'
        )
    return f'<div itemprop="articleBody" class="{t.prefix}-body">{inner}</div>'


def _card(t: Template, rng: random.Random) -> str:
    """A teaser card: picture, kicker, headline, teaser and meta line, as in news-site rails."""
    slug = _word(rng, 4)
    return (
        f'<div class="{t.prefix}-card card" data-id="{rng.randint(1, 10**6)}">'
        f'<a class="card-link" href="/news/{slug}"><div class="card-media"><picture>'
        f'<source type="image/webp" srcset="/img/{slug}-320.webp 320w, /img/{slug}-640.webp 640w">'
        f'<img src="/img/{slug}.jpg" alt="" loading="lazy" width="320" height="180"></picture>'
        f'</div><div class="card-body"><span class="kicker">{rng.choice(SECTIONS)}</span>'
        f'<h3 class="card-title">{html.escape(textgen.headline(rng))}</h3>'
        f'<p class="card-teaser">{html.escape(textgen.sentence(rng))}</p>'
        f'<div class="card-meta"><span class="time">{rng.randint(1, 23)} hours ago</span>'
        f'<span class="count">{rng.randint(0, 300)}</span></div></div></a></div>'
    )


def _rails(t: Template, rng: random.Random) -> str:
    """Rails of teaser cards after the article: most read, then more from the section."""
    tag = t.tag("aside")
    first = t.cards // 3
    rails = []
    for title, count in (
        ("Most read", first),
        (f"More from {rng.choice(SECTIONS)}", t.cards - first),
    ):
        cards = "".join(_card(t, rng) for _ in range(count))
        rails.append(
            f'<{tag} class="{t.prefix}-rail rail"><div class="rail-head"><h2>{title}</h2>'
            f'</div><div class="{t.prefix}-grid card-grid">{cards}</div></{tag}>'
        )
    return "".join(rails)


def _share(t: Template) -> str:
    """A share bar of t.share_icons buttons with inline SVG icons."""
    networks = ("Facebook", "X", "LinkedIn", "WhatsApp", "Email", "Reddit", "Telegram", "Print")
    buttons = "".join(
        f'<a class="share-{name.lower()}" href="/share/{name.lower()}" aria-label="Share on '
        f'{name}"><svg viewBox="0 0 24 24" width="20" height="20"><path d="M{i} 2h6l-3 '
        f'{4 + i}z M2 12h20v2H2z"></path></svg></a>'
        for i, name in enumerate(networks[: t.share_icons])
    )
    return f'<div class="{t.prefix}-share share-tools">{buttons}</div>' if buttons else ""


def _comments(t: Template, rng: random.Random) -> str:
    """A comments section with t.comments comments."""
    if not t.comments:
        return ""
    items = "".join(
        f'<li class="comment"><b>{_word(rng, 2).title()}{rng.randint(1, 99)}</b> '
        f"<span>{rng.randint(1, 59)} min ago</span><p>{html.escape(textgen.sentence(rng))}</p>"
        f"<button>Reply</button></li>"
        for _ in range(t.comments)
    )
    return (
        f'<section id="comments" class="{t.prefix}-comments"><h3>Comments ({t.comments})'
        f"</h3><ol>{items}</ol></section>"
    )


def _footer(t: Template, rng: random.Random) -> str:
    """Related links and the site footer."""
    related = "".join(
        f'<li><a href="/news/{_word(rng, 4)}">{html.escape(textgen.headline(rng))}</a></li>'
        for _ in range(t.related)
    )
    columns = "".join(
        f'<div class="col"><h4>{rng.choice(SECTIONS)}</h4><ul>'
        + "".join(
            f'<li><a href="/{_word(rng, 3)}">{_word(rng, 2).title()}</a></li>' for _ in range(12)
        )
        + "</ul></div>"
        for _ in range(t.footer_columns)
    )
    newsletter = (
        f'<aside class="{t.prefix}-newsletter"><h3>Sign up for the morning briefing'
        "</h3><form><input type='email'><button>Subscribe</button></form></aside>"
    )
    aside, footer = t.tag("aside"), t.tag("footer")
    return (
        f'<{aside} class="{t.prefix}-related"><h3>Related</h3><ul>{related}</ul></{aside}>'
        f"{newsletter if t.index % 2 else ''}<{footer} class='{t.prefix}-footer' id='footer'>"
        f"{columns}<p>&copy; 2026 {html.escape(t.site_name)}. All rights reserved.</p>"
        f"</{footer}>"
    )


@dataclass
class Page:
    """A rendered page with its validators."""

    body: bytes
    etag: str
    last_modified: str


def render_article(
    t: Template, seed: str, url: str, published: datetime, event: str | None = None
) -> tuple[str, str]:
    """(headline, page HTML) of one article, deterministic in seed; about `event` if given."""
    rng = random.Random(seed)
    share = 0.15 if rng.random() < STANCE_ARTICLE_SHARE else 0.0
    words = rng.randint(MIN_WORDS, MAX_WORDS)
    if event is None:
        title, paras = textgen.headline(rng), textgen.paragraphs(rng, words, share)
    else:
        ev = textgen.event(event)
        title = textgen.event_headline(rng, ev)
        paras = textgen.event_paragraphs(rng, ev, words, share)
    author = f"{_word(rng, 2).title()} {_word(rng, 3).title()}"
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published.isoformat(),
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": t.site_name},
            "mainEntityOfPage": url,
        }
    )
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)} | {html.escape(t.site_name)}</title>"
        f'<meta property="og:title" content="{html.escape(title)}">'
        f'<meta property="og:site_name" content="{html.escape(t.site_name)}">'
        f'<meta name="author" content="{author}"><link rel="canonical" href="{url}">'
        f'<script type="application/ld+json">{ld}</script>{_css(t, rng)}'
        f"{_script(t, rng, t.script_kb // 2)}</head>"
    )
    article = _wrap(
        t,
        f'<h1 class="{t.prefix}-headline">{html.escape(title)}</h1>'
        f'<div class="byline">By <a rel="author" href="/by/{author.lower()}">'
        f"{author}</a> {_date(t, published)}</div>{_share(t)}{_body(t, rng, paras)}",
    )
    page = (
        f"{head}<body class='{t.prefix}-page'>{_header(t, rng)}{article}{_comments(t, rng)}"
        f"{_rails(t, rng)}{_footer(t, rng)}"
        f"{_script(t, rng, t.script_kb - t.script_kb // 2)}</body></html>"
    )
    return title, page


@dataclass
class Site:
    """One simulated site: its address, feed and pages."""

    address: str
    template: Template
    feed: Page | None = None
    pages: dict[str, Page] = field(default_factory=dict)
    port: int = 0

    @property
    def base(self) -> str:
        """The site's base URL."""
        return f"http://{self.address}:{self.port}"


class Handler(BaseHTTPRequestHandler):
    """GET for robots.txt, the feed and the pages, with conditional requests."""

    protocol_version = "HTTP/1.1"
    server: SiteServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        """No access log."""

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        """Serve one request."""
        site = self.server.site
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            return
        page = site.feed if path == "/feed.xml" else site.pages.get(path)
        if page is None:
            self._send(404, b"not found", "text/plain")
            return
        self.server.count("feed" if path == "/feed.xml" else "page")
        if self._fresh(page):
            self.server.count("not_modified")
            self._send(304, b"", None, page)
            return
        kind = "application/rss+xml" if path == "/feed.xml" else "text/html; charset=utf-8"
        self._send(200, page.body, kind, page)

    def _fresh(self, page: Page) -> bool:
        """True when the request's validators match the page."""
        tag = self.headers.get("If-None-Match")
        if tag is not None:
            return page.etag in [t.strip() for t in tag.split(",")] or tag.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                asked = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            return email.utils.parsedate_to_datetime(page.last_modified) <= asked
        return False

    def _send(self, status: int, body: bytes, kind: str | None, page: Page | None = None) -> None:
        """Write a response with its validators."""
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        if page is not None:
            self.send_header("ETag", page.etag)
            self.send_header("Last-Modified", page.last_modified)
        self.send_header("Content-Length", str(len(body) if status != 304 else 0))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """The HTTP server of one site, counting the requests it answers."""

    daemon_threads = True

    def __init__(self, site: Site, counts: dict[str, int], lock: threading.Lock) -> None:
        super().__init__((site.address, 0), Handler)
        self.site, self._counts, self._lock = site, counts, lock
        site.port = self.server_address[1]

    def count(self, key: str) -> None:
        """Add one to a request counter."""
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1


def _validators(body: bytes, modified: datetime) -> tuple[str, str]:
    """ETag and Last-Modified of a body."""
    return (
        '"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        email.utils.format_datetime(modified, usegmt=True),
    )


class NewsWeb:
    """F sites of K items each, on 127.0.0.2 onwards; a context manager that serves them."""

    def __init__(
        self, feeds: int, items: int, seed: int = 0, duplicate_share: float = DUPLICATE_SHARE
    ) -> None:
        self.n_feeds, self.n_items, self.seed = feeds, items, seed
        self.n_events = max(1, feeds * items // ARTICLES_PER_EVENT)
        self.duplicate_share = duplicate_share
        self.sites: list[Site] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._servers: list[SiteServer] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> NewsWeb:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Bind one server per site, render every page and feed, and serve."""
        for i in range(self.n_feeds):
            site = Site(
                address=f"127.0.0.{FIRST_HOST + i}"
                if i < 250
                else f"127.0.{1 + i // 250}.{i % 250 + 2}",
                template=make_template(i % TEMPLATE_COUNT),
            )
            server = SiteServer(site, self.counts, self._lock)
            self._render(site, i)
            thread = threading.Thread(target=server.serve_forever, name=f"site-{i}", daemon=True)
            thread.start()
            self.sites.append(site)
            self._servers.append(server)
            self._threads.append(thread)
        logger.info("serving %d sites, %d pages", len(self.sites), self.page_count)

    def stop(self) -> None:
        """Stop every server."""
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def _render(self, site: Site, feed_index: int) -> None:
        """Render the pages and the RSS feed of one site."""
        rng = random.Random(f"{self.seed}-site-{feed_index}")
        items = []
        originals: list[str] = []
        for k in range(self.n_items):
            published = START + timedelta(minutes=37 * k + 5 * feed_index)
            if originals and rng.random() < self.duplicate_share:
                source = rng.choice(originals)
                path = f"/syndication/{feed_index}-{k}.html"
                site.pages[path] = site.pages[source]
                title = f"Also published: {source.rsplit('/', 1)[1]}"
            else:
                path = f"/news/{published:%Y/%m/%d}/story-{feed_index}-{k}.html"
                event = f"{self.seed}-{rng.randrange(self.n_events)}"
                title, text = render_article(
                    site.template,
                    f"{self.seed}-{feed_index}-{k}",
                    site.base + path,
                    published,
                    event,
                )
                body = text.encode("utf-8")
                site.pages[path] = Page(body, *_validators(body, published))
                originals.append(path)
            items.append((title, site.base + path, published))
        site.feed = self._feed(site, items)

    @staticmethod
    def _feed(site: Site, items: list[tuple[str, str, datetime]]) -> Page:
        """The RSS feed of a site's items, newest first."""
        entries = "".join(
            f"<item><title>{html.escape(title)}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{email.utils.format_datetime(when, usegmt=True)}</pubDate></item>"
            for title, url, when in reversed(items)
        )
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
            f"{html.escape(site.template.site_name)}</title><link>{site.base}/</link>"
            f"{entries}</channel></rss>"
        ).encode()
        return Page(body, *_validators(body, max(w for _, _, w in items)))

    @property
    def feed_urls(self) -> list[str]:
        """The feed URL of every site."""
        return [f"{s.base}/feed.xml" for s in self.sites]

    @property
    def page_count(self) -> int:
        """Item URLs served (duplicates included)."""
        return sum(len(s.pages) for s in self.sites)

    def pages(self) -> Iterator[tuple[str, bytes]]:
        """(url, body) of every item URL, duplicates included."""
        for site in self.sites:
            for path, page in site.pages.items():
                yield site.base + path, page.body

    def reset_counts(self) -> dict[str, int]:
        """The request counts so far; starts counting afresh."""
        with self._lock:
            counts = dict(self.counts)
            self.counts.clear()
        return counts
