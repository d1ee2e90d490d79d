"""The daily digest: what changed in a window of time, written as Markdown and HTML, sent by e-mail.

The window is [start, end): an article belongs to it when its ``first_seen_at`` (when the database
first stored it) falls inside, so "new" means new to the database, whatever the article's date.
By default a digest starts where the previous one ended and ends now; the first covers everything.

Rules (also in the README):

* Stance changes. Only ``support`` and ``oppose`` count: a ``neutral`` stance neither changes a
  position nor resets one. For each (actor, topic) the position in the window is the latest
  support/oppose stance of the window (the article with the latest published_at, else
  first_seen_at, then the highest article id; its evidence is that article's most confident
  stance, then the first in the text), and the position before is the latest one, by the same
  rule, of the articles first seen before the window. A change is a position that differs
  from the one before, or a first position (listed after the reversals). A flip and a flip back
  within one window cancel out. Stances of duplicate articles are ignored.
* New stories: stories whose first article was first seen in the window, ranked by distinct
  sources, then by their latest article. Stories that started before and grew are "Developing".
* Actors in the news: distinct articles naming each actor in the window (people, countries and
  organisations each under their own id: a person is not added to their country), against the
  daily average of the 7 days before the window. A spike: at least SPIKE_MIN_ARTICLES articles and
  at least spike_factor times the average scaled to the window's length (at least one day), or an
  actor not named in those 7 days ("new").
* Stance board: the latest support/oppose stance of every actor on every topic as of the window's
  end (neutral only when the actor never took a side).
* Files: ``digest-YYYY-MM-DD.md`` and ``.html``, the date of the window's end in the configured
  time zone. The digest of an identical window is rewritten in place (same files, same row, never
  sent again); any other digest never overwrites a file: it takes the suffix -2, -3...
* Delivery: with ``send``, failed deliveries of earlier digests (send_error set, sent_at empty,
  files present) are retried first, then the new digest is sent; a digest whose sent_at is set
  is never sent again.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import smtplib
import ssl
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, overload
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from monitor import store as db
from monitor.actors import Registry, load_registry
from monitor.config import Config, ConfigError, EmailSettings
from monitor.store import Store, utcnow
from monitor.text import split_sentences

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_TOPICS = Path(__file__).resolve().parent / "data" / "topics.json"
POSITIONS = ("support", "oppose")
POLARITIES = ("support", "oppose", "neutral")
LEAD_SENTENCES = 2
MIN_SENTENCE_WORDS = 4
TRAILING_DAYS = 7
SPIKE_MIN_ARTICLES = 3
MAX_ACTORS_LISTED = 25
MAX_STORY_ACTORS = 10
MAX_BOARD_ACTORS = 40
MAX_ERROR_CHARS = 300
SAFE_SCHEMES = ("http", "https")
ACTOR_KINDS = {"country": "country", "organisation": "organisation", "person": "person"}
# Markdown: characters that could open markup anywhere, and at the start of a line.
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
MD_LINE_START = re.compile(r"^([#+=-])(?=\s|[#=-]*$)|^(\d+)([.)])(?=\s|$)")
MD_ENTITY = re.compile(r"&(?=#?\w+;)")
MD_AUTOLINK = re.compile(r":(?=//)|(?<=\bwww)\.", re.IGNORECASE)
URL_SAFE = ":/?#@!$&'*+,;=%~-._"
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


class DigestError(Exception):
    """A digest request that cannot be met (exit code 2)."""


# -- records ----------------------------------------------------------------------------------
@dataclass
class Window:
    """The digest's time window [start, end); start None means everything stored."""

    start: datetime | None
    end: datetime

    @property
    def days(self) -> float:
        """Length in days (None start: 0)."""
        return (self.end - self.start).total_seconds() / 86400 if self.start else 0.0


@dataclass
class Link:
    """A labelled link to an article."""

    label: str
    url: str | None
    title: str | None = None


@dataclass
class StanceChange:
    """An actor taking a new position on a topic, with its evidence."""

    actor_id: str
    actor: str
    topic_id: str
    topic: str
    before: str | None
    after: str
    evidence: str
    source: Link
    when: str


@dataclass
class StoryItem:
    """A story of the window."""

    story_id: int
    title: str
    sources: list[Link]
    lead: str
    actors: list[str]
    n_articles: int
    n_new: int
    n_sources: int
    latest: str


@dataclass
class ActorActivity:
    """Articles naming an actor in the window against its trailing daily average."""

    actor_id: str
    actor: str
    kind: str
    count: int
    average: float
    spike: bool
    new: bool


@dataclass
class BoardRow:
    """One actor's positions on the tracked topics (None: no stance)."""

    actor_id: str
    actor: str
    cells: list[str | None]
    changed: list[bool]


@dataclass
class Digest:
    """Everything a digest shows, ready for the templates."""

    title: str
    day: str
    window_text: str
    n_articles: int
    stance_changes: list[StanceChange] = field(default_factory=list)
    new_stories: list[StoryItem] = field(default_factory=list)
    developing: list[StoryItem] = field(default_factory=list)
    actors: list[ActorActivity] = field(default_factory=list)
    spike_factor: float = 2.0
    topics: list[str] = field(default_factory=list)
    board: list[BoardRow] = field(default_factory=list)
    failing_feeds: list[dict[str, Any]] = field(default_factory=list)
    failed_pages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reversals(self) -> list[StanceChange]:
        """Changes of an earlier position."""
        return [c for c in self.stance_changes if c.before]

    @property
    def first_positions(self) -> list[StanceChange]:
        """Actors taking a side on a topic for the first time."""
        return [c for c in self.stance_changes if not c.before]

    @property
    def nothing_new(self) -> bool:
        """True when no article was first seen in the window and nothing needs attention."""
        return not self.n_articles and not self.failing_feeds and not self.failed_pages


@dataclass
class DigestResult:
    """What make_digest wrote."""

    digest_id: int
    md_path: str
    html_path: str
    window_start: datetime | None
    window_end: datetime
    n_stories: int
    n_stance_changes: int
    nothing_new: bool
    already_sent: bool


@dataclass
class Delivery:
    """The outcome of sending one digest."""

    digest_id: int
    sent: bool
    error: str | None = None
    skipped: str | None = None


# -- time -------------------------------------------------------------------------------------
def parse_time(value: str, tz_name: str = "UTC") -> datetime:
    """An ISO 8601 date or date-time as an aware UTC datetime; naive values are in tz_name."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        raise DigestError(
            f"{value!r} is not a date or time: expected ISO 8601, e.g. 2026-01-20 "
            "or 2026-01-20T07:00:00+00:00"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz_name))
    return parsed.astimezone(timezone.utc)


@overload
def _utc(value: datetime) -> datetime: ...


@overload
def _utc(value: None) -> None: ...


def _utc(value: datetime | None) -> datetime | None:
    """An aware datetime in UTC (DuckDB returns the session's time zone)."""
    return value.astimezone(timezone.utc) if value is not None else None


def resolve_window(
    last_end: datetime | None, since: datetime | None, until: datetime | None, now: datetime
) -> Window:
    """The window: since (default: the previous digest's end) up to until (default: now)."""
    end = until or now
    start = since if since is not None else last_end
    if start is not None and start >= end:
        why = "" if since is not None else " (the previous digest already ends there)"
        raise DigestError(
            f"empty window: it starts at {start.isoformat()}{why} and ends at "
            f"{end.isoformat()}; pass --since/--until"
        )
    return Window(start=start, end=end)


def _show_time(value: datetime, tz: ZoneInfo) -> str:
    """A time for readers, in the configured zone: 2026-01-20 07:00 UTC."""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _show_day(value: datetime | date, tz: ZoneInfo | None = None) -> str:
    """A date for readers: 20 Jan 2026."""
    day = value.astimezone(tz) if isinstance(value, datetime) and tz else value
    return f"{day.day} {day:%b %Y}"


def window_text(window: Window, tz: ZoneInfo) -> str:
    """The window in words."""
    if window.start is None:
        return f"everything stored up to {_show_time(window.end, tz)}"
    return f"{_show_time(window.start, tz)} to {_show_time(window.end, tz)}"


# -- escaping ---------------------------------------------------------------------------------
def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL, else None (rendered as text, not a link)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (
        parts.scheme.lower() not in SAFE_SCHEMES
        or not parts.netloc
        or any(ord(c) < 33 for c in url)
    ):
        return None
    return url


def md_text(value: Any) -> str:
    """Untrusted text for Markdown: one line, nothing in it can open a link, tag or block."""
    text = " ".join(str(value if value is not None else "").split())
    text = MD_ENTITY.sub("&amp;", text)
    text = MD_SPECIAL.sub(r"\\\1", text)
    text = MD_AUTOLINK.sub(lambda m: "\\" + m.group(), text)
    return MD_LINE_START.sub(
        lambda m: "\\" + m.group() if m.group(1) else m.group(2) + "\\" + m.group(3), text
    )


def md_url(url: str | None) -> Markup:
    """An http(s) URL for a Markdown link destination (brackets and spaces percent-encoded)."""
    safe = safe_url(url)
    return Markup(quote(safe, safe=URL_SAFE) if safe else "")


def _md_finalize(value: Any) -> Any:
    """Escape every value printed by the Markdown template unless it is Markup."""
    if isinstance(value, Markup):
        return str(value)
    return md_text(value) if isinstance(value, str) else value


# -- sections ---------------------------------------------------------------------------------
def actor_name(registry: Registry | None, actor_id: str) -> str:
    """An actor's display name from the registry, else its id."""
    entry = registry.get(actor_id) if registry else None
    return str(entry.get("name") or actor_id) if entry else actor_id


def actor_kind(registry: Registry | None, actor_id: str) -> str:
    """country, organisation, person or other."""
    entry = registry.get(actor_id) if registry else None
    return ACTOR_KINDS.get(str(entry.get("type")), "other") if entry else "other"


@functools.lru_cache(maxsize=4)
def _registry(extra_actors: str) -> Registry:
    """The actor registry with the configured extra actors (JSON text), loaded once."""
    return load_registry(extra_actors=json.loads(extra_actors) or None)


def registry_for(config: Config) -> Registry:
    """The actor registry of a config (display names and kinds of actor ids)."""
    return _registry(json.dumps(config.actors, sort_keys=True))


def topic_labels(path: Path | None) -> dict[str, str]:
    """Topic id -> label from the topics file (the shipped one by default)."""
    source = path or DEFAULT_TOPICS
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("cannot read topic labels from %s: %s", source, exc)
        return {}
    return {
        t["id"]: str(t.get("label") or t["id"])
        for t in document.get("topics", [])
        if isinstance(t, dict) and "id" in t
    }


def positions_before(rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(actor, topic) -> support/oppose from digest_latest_stances rows (neutral dropped)."""
    return {
        (r["actor_id"], r["topic_id"]): r["polarity"] for r in rows if r["polarity"] in POSITIONS
    }


def latest_positions(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(actor, topic) -> the support/oppose stance of its latest article (rows oldest first);
    within that article the most confident stance, then the first in the text."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if row["polarity"] not in POSITIONS:
            continue
        key = (row["actor_id"], row["topic_id"])
        held = latest.get(key)
        if (
            held is None
            or held["article_id"] != row["article_id"]
            or (row["confidence"] or 0) > (held["confidence"] or 0)
        ):
            latest[key] = row
    return latest


def stance_changes(
    before: dict[tuple[str, str], str],
    window_rows: list[dict[str, Any]],
    registry: Registry | None,
    topics: dict[str, str],
    tz: ZoneInfo,
) -> list[StanceChange]:
    """Positions in the window that differ from the one before, or are first positions."""
    changes = []
    for key, row in latest_positions(window_rows).items():
        prior = before.get(key)
        if prior == row["polarity"]:
            continue
        changes.append(
            StanceChange(
                actor_id=key[0],
                actor=actor_name(registry, key[0]),
                topic_id=key[1],
                topic=topics.get(key[1], key[1]),
                before=prior,
                after=row["polarity"],
                evidence=" ".join(str(row["evidence"] or "").split()),
                source=Link(
                    label=row["site_name"] or row["feed_id"] or "source",
                    url=row["url"],
                    title=row["title"],
                ),
                when=_show_day(row["article_time"], tz),
            )
        )
    return sorted(changes, key=lambda c: (c.before is None, c.topic, c.actor))


def lead_sentences(text: str, title: str | None = None, n: int = LEAD_SENTENCES) -> str:
    """The first n sentences of a text (headings, datelines and the title skipped)."""
    spans = split_sentences(text or "")
    pieces = [" ".join(text[s:e].split()) for s, e in spans]
    own_title = " ".join((title or "").split()).casefold()
    prose = [
        p
        for p in pieces
        if p.casefold() != own_title
        and SENTENCE_END.search(p)
        and len(p.split()) >= MIN_SENTENCE_WORDS
    ]
    return " ".join((prose or pieces)[:n])


def _sources(articles: list[dict[str, Any]]) -> list[Link]:
    """One link per distinct source (its first article), in order of appearance."""
    seen: dict[str, Link] = {}
    for art in articles:
        name = art["site_name"] or art["feed_id"] or "source"
        if name not in seen:
            seen[name] = Link(label=name, url=art["url"], title=art["title"])
    return list(seen.values())


def _story_item(
    row: dict[str, Any],
    articles: list[dict[str, Any]],
    actor_ids: list[str],
    registry: Registry | None,
    tz: ZoneInfo,
    window: Window,
) -> StoryItem:
    """A StoryItem from a digest_stories row and the story's articles."""
    distinct = [a for a in articles if a["duplicate_of"] is None] or articles
    central = next(
        (a for a in distinct if a["article_id"] == row["central_article_id"]), distinct[0]
    )
    shown = [
        a for a in articles if window.start is None or _utc(a["first_seen_at"]) >= window.start
    ] or articles
    return StoryItem(
        story_id=int(row["story_id"]),
        title=row["title"] or central["title"] or "(untitled)",
        sources=_sources(shown),
        lead=lead_sentences(central["text"], central["title"]),
        actors=[actor_name(registry, a) for a in actor_ids[:MAX_STORY_ACTORS]],
        n_articles=int(row["n_articles"]),
        n_new=int(row["n_new"]),
        n_sources=int(row["n_sources"]),
        latest=_show_day(row["latest_at"], tz),
    )


def split_stories(
    rows: list[dict[str, Any]], window: Window, limit: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """New stories (first article in the window) and developing ones, ranked and capped."""
    new = [r for r in rows if window.start is None or _utc(r["first_seen_at"]) >= window.start]
    grew = [r for r in rows if r not in new]
    new.sort(key=lambda r: (-r["n_sources"], -_utc(r["latest_at"]).timestamp(), r["story_id"]))
    grew.sort(key=lambda r: (-r["n_new"], -_utc(r["latest_at"]).timestamp(), r["story_id"]))
    return new[:limit], grew[:limit]


def actor_activity(
    counts: dict[str, int],
    trailing: dict[str, int],
    window: Window,
    factor: float,
    registry: Registry | None,
) -> list[ActorActivity]:
    """Actors named in the window with their trailing daily average and spike flag."""
    scale = max(window.days, 1.0)
    out = []
    for actor_id, count in counts.items():
        average = trailing.get(actor_id, 0) / TRAILING_DAYS
        new = average == 0
        spike = count >= SPIKE_MIN_ARTICLES and (new or count >= factor * average * scale)
        out.append(
            ActorActivity(
                actor_id=actor_id,
                actor=actor_name(registry, actor_id),
                kind=actor_kind(registry, actor_id),
                count=count,
                average=round(average, 2),
                spike=spike,
                new=new,
            )
        )
    out.sort(key=lambda a: (not a.spike, -a.count, a.actor.casefold(), a.actor_id))
    return [a for i, a in enumerate(out) if a.spike or i < MAX_ACTORS_LISTED]


def stance_board(
    latest: list[dict[str, Any]],
    changed: set[tuple[str, str]],
    registry: Registry | None,
    topics: dict[str, str],
) -> tuple[list[str], list[BoardRow]]:
    """Topic ids (columns) and one row per actor with its current polarity per topic."""
    topic_ids = sorted({r["topic_id"] for r in latest}, key=lambda t: (topics.get(t, t), t))
    cells: dict[str, dict[str, str]] = {}
    recency: dict[str, datetime] = {}
    for row in latest:
        cells.setdefault(row["actor_id"], {})[row["topic_id"]] = row["polarity"]
        when = _utc(row["article_time"])
        if when and (row["actor_id"] not in recency or when > recency[row["actor_id"]]):
            recency[row["actor_id"]] = when
    keep = sorted(
        cells, key=lambda a: recency.get(a, datetime.min.replace(tzinfo=timezone.utc)), reverse=True
    )[:MAX_BOARD_ACTORS]
    rows = [
        BoardRow(
            actor_id=a,
            actor=actor_name(registry, a),
            cells=[cells[a].get(t) for t in topic_ids],
            changed=[(a, t) in changed for t in topic_ids],
        )
        for a in keep
    ]
    rows.sort(key=lambda r: (r.actor.casefold(), r.actor_id))
    return topic_ids, rows


def _error_text(value: Any) -> str | None:
    """An error message, one line and bounded."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


# -- building ---------------------------------------------------------------------------------
def build_digest(
    con: Any, window: Window, config: Config, registry: Registry | None, topics: dict[str, str]
) -> Digest:
    """Read the window from the database (in the caller's transaction) and assemble a Digest."""
    tz = ZoneInfo(config.timezone)
    end_day = window.end.astimezone(tz)
    digest = Digest(
        title=f"News digest, {_show_day(end_day)}",
        day=end_day.date().isoformat(),
        window_text=window_text(window, tz),
        n_articles=db.digest_article_count(con, window.start, window.end),
        spike_factor=config.spike_factor,
    )
    digest.failing_feeds = [
        {**f, "last_error": _error_text(f["last_error"])} for f in db.digest_feed_problems(con)
    ]
    digest.failed_pages = [
        {**p, "error": _error_text(p["error"])}
        for p in db.digest_page_failures(con, window.start, window.end)
    ]
    if not digest.n_articles:
        return digest
    window_rows = db.digest_stances(con, window.start, window.end)
    before = positions_before(db.digest_latest_stances(con, window.start))
    digest.stance_changes = stance_changes(before, window_rows, registry, topics, tz)
    _add_stories(con, digest, window, config, registry, tz)
    trailing_start = window.start - timedelta(days=TRAILING_DAYS) if window.start else None
    trailing = db.digest_actor_counts(con, trailing_start, window.start) if window.start else {}
    digest.actors = actor_activity(
        db.digest_actor_counts(con, window.start, window.end),
        trailing,
        window,
        config.spike_factor,
        registry,
    )
    changed = {(c.actor_id, c.topic_id) for c in digest.stance_changes}
    topic_ids, digest.board = stance_board(
        db.digest_latest_stances(con, window.end), changed, registry, topics
    )
    digest.topics = [topics.get(t, t) for t in topic_ids]
    return digest


def _add_stories(
    con: Any,
    digest: Digest,
    window: Window,
    config: Config,
    registry: Registry | None,
    tz: ZoneInfo,
) -> None:
    """Fill the new and developing stories of a digest."""
    new, grew = split_stories(
        db.digest_stories(con, window.start, window.end), window, config.max_stories
    )
    ids = [int(r["story_id"]) for r in new + grew]
    articles: dict[int, list[dict[str, Any]]] = {}
    for art in db.digest_story_articles(con, ids, window.end):
        articles.setdefault(int(art["story_id"]), []).append(art)
    actors: dict[int, list[str]] = {}
    for row in db.digest_story_actors(con, ids, window.end):
        actors.setdefault(int(row["story_id"]), []).append(row["actor_id"])

    def item(row: dict[str, Any]) -> StoryItem:
        story_id = int(row["story_id"])
        return _story_item(row, articles[story_id], actors.get(story_id, []), registry, tz, window)

    digest.new_stories = [item(r) for r in new]
    digest.developing = [item(r) for r in grew]


# -- rendering --------------------------------------------------------------------------------
def _environment(markdown: bool) -> jinja2.Environment:
    """The Jinja2 environment: HTML autoescaped, Markdown escaped by md_text."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=not markdown,
        finalize=_md_finalize if markdown else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["href"] = safe_url
    env.filters["mdurl"] = md_url
    return env


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown (also the plain-text part of the e-mail)."""
    text = _environment(markdown=True).get_template("digest.md.j2").render(d=digest)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(digest: Digest) -> str:
    """The digest as one self-contained HTML page (inline CSS, no scripts, no external assets)."""
    return _environment(markdown=False).get_template("digest.html.j2").render(d=digest)


# -- files and rows ---------------------------------------------------------------------------
def _same_window(row: dict[str, Any], window: Window) -> bool:
    """True when a digests row has exactly this window."""
    return _utc(row["window_start"]) == window.start and _utc(row["window_end"]) == window.end


def choose_paths(
    out_dir: Path, day: str, rows: list[dict[str, Any]], previous: dict[str, Any] | None
) -> tuple[Path, Path]:
    """digest-DAY.md/.html; the identical window's files when in out_dir, else -2, -3..."""
    if previous and previous["md_path"] and Path(previous["md_path"]).parent == out_dir:
        return Path(previous["md_path"]), Path(previous["html_path"])
    taken = {Path(p) for r in rows for p in (r["md_path"], r["html_path"]) if p}
    n = 1
    while True:
        stem = f"digest-{day}" + (f"-{n}" if n > 1 else "")
        md, html = out_dir / f"{stem}.md", out_dir / f"{stem}.html"
        if not (md.exists() or html.exists() or md in taken or html in taken):
            return md, html
        n += 1


def _write(path: Path, text: str) -> None:
    """Write a file atomically (a temporary file renamed into place)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def make_digest(
    config: Config,
    since: datetime | None = None,
    until: datetime | None = None,
    out_dir: Path | None = None,
    now: datetime | None = None,
    registry: Registry | None = None,
) -> DigestResult:
    """Build the digest of a window, write its files and record it in `digests`."""
    store = Store(config.database, config.database_lock_timeout_s)
    store.migrate()
    registry = registry or registry_for(config)
    topics = topic_labels(config.topics_path)
    target = (out_dir or config.digest_dir).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with store.writer() as con:
        window = resolve_window(_utc(db.digest_last_end(con)), since, until, now or utcnow())
        digest = build_digest(con, window, config, registry, topics)
        rows = db.digest_rows(con)
        previous = next((r for r in rows if _same_window(r, window)), None)
        md_path, html_path = choose_paths(target, digest.day, rows, previous)
        _write(md_path, render_markdown(digest))
        _write(html_path, render_html(digest))
        record = {
            "window_start": window.start,
            "window_end": window.end,
            "created_at": utcnow(),
            "md_path": str(md_path),
            "html_path": str(html_path),
            "n_stories": len(digest.new_stories),
            "n_stance_changes": len(digest.stance_changes),
        }
        if previous:
            digest_id = int(previous["digest_id"])
            db.digest_update_files(con, digest_id, record)
        else:
            digest_id = db.digest_insert(con, record)
    logger.info("digest %d of %s written to %s", digest_id, digest.window_text, md_path)
    return DigestResult(
        digest_id=digest_id,
        md_path=str(md_path),
        html_path=str(html_path),
        window_start=window.start,
        window_end=window.end,
        n_stories=len(digest.new_stories),
        n_stance_changes=len(digest.stance_changes),
        nothing_new=digest.nothing_new,
        already_sent=bool(previous and previous["sent_at"]),
    )


# -- delivery ---------------------------------------------------------------------------------
def compose_message(settings: EmailSettings, markdown: str, html: str) -> EmailMessage:
    """The e-mail: the Markdown as text/plain with the HTML as its alternative."""
    message = EmailMessage()
    message["Subject"] = subject_of(markdown)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(markdown)
    message.add_alternative(html, subtype="html")
    return message


def subject_of(markdown: str) -> str:
    """The subject line: the digest's first line without Markdown."""
    first = markdown.strip().splitlines()[0] if markdown.strip() else "News digest"
    return re.sub(r"\\(.)", r"\1", first.lstrip("# ").replace("**", ""))[:200]


def smtp_send(settings: EmailSettings, message: EmailMessage) -> None:
    """Send one message through SMTP (SSL or STARTTLS as configured); raises on failure."""
    password = None
    if settings.user:
        name = settings.password_env or ""
        password = os.environ.get(name) if name else None
        if password is None:
            raise smtplib.SMTPException(
                "no SMTP password: set the environment variable named by email.password_env "
                f"({name or 'not configured'})"
            )
    context = ssl.create_default_context()
    client: smtplib.SMTP = (
        smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout_s, context=context)
        if settings.ssl
        else smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
    )
    with client:
        if settings.starttls and not settings.ssl:
            client.starttls(context=context)
        if settings.user and password is not None:
            client.login(settings.user, password)
        client.send_message(message)


def deliver(config: Config, digest_id: int) -> Delivery:
    """Send a recorded digest once: sent_at set means never again; failures are recorded."""
    if config.email is None:
        raise ConfigError("sending a digest needs an [email] section in the config")
    store = Store(config.database, config.database_lock_timeout_s)
    with store.writer() as con:
        row = next((r for r in db.digest_rows(con) if r["digest_id"] == digest_id), None)
    if row is None:
        raise DigestError(f"there is no digest {digest_id}")
    if row["sent_at"] is not None:
        return Delivery(digest_id=digest_id, sent=False, skipped="already sent")
    paths = [Path(row["md_path"] or ""), Path(row["html_path"] or "")]
    if not all(p.is_file() for p in paths):
        return Delivery(digest_id=digest_id, sent=False, skipped="its files are missing")
    markdown, html = (p.read_text(encoding="utf-8") for p in paths)
    try:
        smtp_send(config.email, compose_message(config.email, markdown, html))
    except (smtplib.SMTPException, OSError) as exc:
        error = _error_text(f"{type(exc).__name__}: {exc}") or type(exc).__name__
        logger.warning("sending digest %d failed: %s", digest_id, error)
        with store.writer() as con:
            db.digest_mark_failed(con, digest_id, error)
        return Delivery(digest_id=digest_id, sent=False, error=error)
    with store.writer() as con:
        db.digest_mark_sent(con, digest_id, ", ".join(config.email.to), utcnow())
    logger.info("digest %d sent to %s", digest_id, ", ".join(config.email.to))
    return Delivery(digest_id=digest_id, sent=True)


def failed_deliveries(config: Config) -> list[int]:
    """Digests whose delivery failed and was never retried successfully, oldest first."""
    store = Store(config.database, config.database_lock_timeout_s)
    store.migrate()
    with store.writer() as con:
        return [
            int(r["digest_id"])
            for r in db.digest_rows(con)
            if r["sent_at"] is None and r["send_error"] is not None
        ]


def resend_failed(config: Config) -> list[Delivery]:
    """Retry every failed delivery whose files still exist."""
    return [deliver(config, digest_id) for digest_id in failed_deliveries(config)]


def run_digest(
    config: Config,
    since: datetime | None = None,
    until: datetime | None = None,
    out_dir: Path | None = None,
    send: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One digest run without Prefect: retry failed sends, make the digest, send it."""
    if send and config.email is None:
        raise ConfigError("--send needs an [email] section in the config")
    retried = resend_failed(config) if send else []
    result = make_digest(config, since, until, out_dir, now)
    delivery = deliver(config, result.digest_id) if send else None
    summary = summarise(result, retried, delivery)
    record_run(config, summary)
    return summary


def record_run(config: Config, summary: dict[str, Any]) -> None:
    """A `runs` row for the digest run (flow 'digest'), written when it ends."""
    store = Store(config.database, config.database_lock_timeout_s)
    status = "ok" if summary["status"] == "ok" else "partial"
    store.start_run("digest", status=status, message=f"{summary['md_path']} ({summary['status']})")


def summarise(
    result: DigestResult, retried: list[Delivery], delivery: Delivery | None
) -> dict[str, Any]:
    """The run's outcome as a dict (what the flow returns and the CLI prints)."""
    failed = [d for d in [*retried, delivery] if d is not None and d.error]
    return {
        **asdict(result),
        "delivery": asdict(delivery) if delivery else None,
        "retried": [asdict(d) for d in retried],
        "status": "send_failed" if failed else "ok",
    }
