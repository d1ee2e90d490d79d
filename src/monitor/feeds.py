"""Feeds: parse RSS/Atom bodies into entries, and read local folders of documents as feeds."""

from __future__ import annotations

import calendar
import codecs
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from monitor.errors import FeedNotFound
from monitor.models import Entry, FeedSpec, FetchSettings
from monitor.text import strip_html
from monitor.urls import canonical_url

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text"}
FOLDER_METADATA = "metadata.json"
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)
FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
# feedparser reads the body as XML of this type, plus the server's charset if it gave one: a
# bare text/xml means US-ASCII to it (RFC 3023), so most UTF-8 feeds served that way, the
# common case, came out "malformed"; application/xml lets the XML declaration decide
FEED_MEDIA_TYPE = "application/xml"
WORD = re.compile(r"[^\W_]+")
JSON_FEED_VERSION = "https://jsonfeed.org/version/"  # JSON Feed 1.0 and 1.1 (jsonfeed.org)
URL_LINE_BREAK = re.compile(r"\s*[\r\n]\s*|\t")  # a link wrapped over lines in the feed's source
# month names and abbreviations in the languages whose feeds' dates feedparser does not read
# ("Seg, 24 Set 2018 19:42:40 -0300"): matched only right after the day of the month
MONTH_NAMES = {
    1: "jan janv janvier januar jänner jän enero ene janeiro gennaio gen januari",
    2: "feb fev févr fevr février fevrier februar febrero fevereiro febbraio februari",
    3: "mar mär märz maerz mrz mars marzo março marco maart mrt",
    4: "apr avr avril april abril abr aprile",
    5: "may mai mayo maio maggio mag mei",
    6: "jun juin juni junio junho giugno giu",
    7: "jul juil juillet juli julio julho luglio lug",
    8: "aug ago août aout august agosto augustus",
    9: "sep sept set septembre september septiembre setembro settembre",
    10: "oct okt out octobre oktober octubre outubro ottobre ott",
    11: "nov novembre november noviembre novembro",
    12: "dec déc dez dic décembre decembre dezember diciembre dezembro dicembre december",
}
MONTHS = {name: month for month, names in MONTH_NAMES.items() for name in names.split()}
LOCAL_DATE = re.compile(
    r"(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?,?\s+(?:de\s+)?(?P<year>\d{4})"
    r"(?:\D{0,6}?(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<zone>Z\b|UTC|GMT|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


@dataclass
class FoundFeed:
    """A feed found by discovery: its URL and title."""

    url: str
    title: str | None


@dataclass
class ParsedFeed:
    """Entries of one feed body, and what the parser thought of it."""

    entries: list[Entry] = field(default_factory=list)
    outcome: str = "ok"  # ok | not_a_feed | parse_error
    error: str | None = None
    malformed: bool = False
    title: str | None = None


def _entry_date(item: Any) -> datetime | None:
    """The entry's published (or updated) time as an aware UTC datetime."""
    for key in ("published", "updated", "created"):
        value = dict.get(item, f"{key}_parsed")  # (dict.get: no feedparser fallback warnings)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
        elif (raw := dict.get(item, key)) and (local := local_date(str(raw))) is not None:
            return local
    return None


def local_date(value: str) -> datetime | None:
    """A date with its month named in another language than English ("24 Set 2018 19:42:40
    -0300", "3 de março de 2025 10h15"), as an aware UTC datetime; UTC when it names no offset."""
    match = LOCAL_DATE.search(value)
    if match is None:
        return None
    month = MONTHS.get(match["month"].casefold())
    if month is None:
        return None
    zone = (match["zone"] or "Z").upper()
    offset = 0
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * (-1 if zone[0] == "-" else 1)
    try:
        local = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
            tzinfo=timezone(timedelta(minutes=offset)),
        )
    except ValueError:  # 31 Feb, hour 25, offset beyond a day
        return None
    return local.astimezone(timezone.utc)


def looks_like_html(body: bytes) -> bool:
    """True when a body is an HTML page rather than an XML feed."""
    head = body[:2048]
    return bool(HTML_START.match(head)) and not FEED_ROOT.search(body[:8192])


def parse_feed(
    body: bytes,
    feed: FeedSpec,
    base_url: str | None = None,
    charset: str | None = None,
) -> ParsedFeed:
    """Parse an RSS/Atom body; malformed feeds that still yield entries are kept. charset is
    the one the server named in Content-Type: it wins over the XML declaration, as in a browser
    (the media type itself is left out: servers label feeds text/xml, text/html, ...)."""
    base = base_url or feed.url
    if body.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        return parse_json_feed(body, feed, base)
    media = f"{FEED_MEDIA_TYPE}; charset={charset}" if charset else FEED_MEDIA_TYPE
    headers = {"content-location": base, "content-type": media}
    try:
        parsed = feedparser.parse(_xml_start(body), response_headers=headers, sanitize_html=False)
    except Exception as exc:  # feedparser should not raise, but a hostile body must not stop us
        return ParsedFeed(outcome="parse_error", error=f"feed parser failed: {exc}")
    entries = [e for e in (_entry(item, feed) for item in parsed.entries) if e is not None]
    if str(parsed.get("version", "")).startswith("atom"):
        _inherit_author(entries, _feed_author(parsed.feed, base))
    reason = str(parsed.get("bozo_exception", "")) or None
    if not entries:
        if looks_like_html(body) or (not parsed.get("version") and b"<html" in body[:4096].lower()):
            return ParsedFeed(
                outcome="not_a_feed",
                error=f"{base} is an HTML page, not a feed; "
                "use `monitor add-feed` with the site's address to find its feed",
            )
        if parsed.get("bozo"):
            return ParsedFeed(outcome="parse_error", error=f"no entries: {reason}")
        if not parsed.get("version"):
            return ParsedFeed(outcome="not_a_feed", error=f"{base} is not an RSS or Atom feed")
    return ParsedFeed(
        entries=entries,
        malformed=bool(parsed.get("bozo")),
        error=reason,
        title=parsed.feed.get("title"),
    )


def parse_json_feed(body: bytes, feed: FeedSpec, base: str) -> ParsedFeed:
    """Parse a JSON Feed (1.0 or 1.1): its items, with the feed's authors for those naming none."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return ParsedFeed(outcome="parse_error", error=f"not valid JSON: {exc}")
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        return ParsedFeed(outcome="not_a_feed", error=f"{base} is JSON but not a JSON Feed")
    items = data.get("items")
    if not isinstance(items, list):
        return ParsedFeed(outcome="parse_error", error="JSON Feed without an items list")
    base = str(data.get("feed_url") or base)
    author = _json_author(data)
    entries = [_json_entry(item, feed, base, author) for item in items if isinstance(item, dict)]
    found = [e for e in entries if e is not None]
    title = data.get("title")
    return ParsedFeed(entries=found, title=str(title) if title else None)


def _json_author(obj: dict[str, Any]) -> str | None:
    """The names of a JSON Feed object's authors (1.1 "authors", 1.0 "author"), comma-joined."""
    authors = obj.get("authors")
    given: list[Any] = authors if isinstance(authors, list) else [obj.get("author")]
    names = [str(a["name"]).strip() for a in given if isinstance(a, dict) and a.get("name")]
    return ", ".join(dict.fromkeys(n for n in names if n)) or None


def _json_date(value: Any) -> datetime | None:
    """An RFC 3339 date of a JSON Feed item as an aware UTC datetime."""
    if not isinstance(value, str):
        return None
    parsed = _iso_time(value) or local_date(value)
    return parsed.astimezone(timezone.utc) if parsed else None


def _json_entry(
    item: dict[str, Any], feed: FeedSpec, base: str, feed_author: str | None
) -> Entry | None:
    """An Entry from a JSON Feed item; None when it has no web address."""
    guid = str(item["id"]) if item.get("id") not in (None, "") else None
    link = _address(str(item.get("url") or item.get("external_url") or ""), guid)
    link = urljoin(base, link) if link else ""
    if not re.match(r"^https?://", link, re.IGNORECASE):
        return None
    summary = item.get("summary") or item.get("content_text") or item.get("content_html")
    return Entry(
        feed_id=feed.feed_id,
        url=link,
        canonical_url=canonical_url(link),
        guid=guid,
        title=strip_html(str(item["title"])) if item.get("title") else None,
        author=_json_author(item) or feed_author,
        summary=strip_html(str(summary)) if summary else None,
        published_at=_json_date(item.get("date_published") or item.get("date_modified")),
    )


def _xml_start(body: bytes) -> bytes:
    """The body without whitespace before its XML declaration (after a byte order mark), where
    feedparser would not see the declared encoding."""
    bom = codecs.BOM_UTF8 if body.startswith(codecs.BOM_UTF8) else b""
    rest = body[len(bom) :]
    return bom + rest.lstrip() if rest[:1].isspace() else body


def _address(link: str, guid: str | None) -> str:
    """An item's link, else its GUID when that is a web address; a wrapped link's line breaks
    taken out."""
    if not link and guid and re.match(r"^https?://", guid, re.IGNORECASE):
        link = guid
    return URL_LINE_BREAK.sub("", link).strip()


def _link(item: Any) -> str:
    """The entry's article link: FeedBurner's original link over its redirecting proxy."""
    return _address(item.get("feedburner_origlink") or item.get("link") or "", item.get("id"))


def _author(item: Any) -> str | None:
    """The entry's author, or its authors joined by commas."""
    given = (a.get("name") for a in item.get("authors") or () if isinstance(a, dict))
    names = list(dict.fromkeys(str(n).strip() for n in given if n and str(n).strip()))
    return ", ".join(names) if len(names) > 1 else item.get("author") or None


def _feed_author(channel: Any, base: str) -> str | None:
    """A feed's own author, unless it is the outlet ('heise online' on heise.de, or the feed's
    title) rather than a person."""
    author = _author(channel)
    if not author:
        return None
    links = (channel.get("link"), base)
    hosts = {(urlsplit(link or "").hostname or "").lower() for link in links}
    labels = {label for host in hosts for label in host.split(".") if len(label) > 3}
    words = set(WORD.findall(author.lower()))
    if words & labels or author.lower() in str(channel.get("title") or "").lower():
        return None
    return author


def _inherit_author(entries: list[Entry], author: str | None) -> None:
    """Give an Atom feed's author to its entries that name none (RFC 4287, 4.2.1); RSS has no
    such rule (a channel's managingEditor is an e-mail address, not the byline)."""
    for entry in entries:
        entry.author = entry.author or author


def _entry(item: Any, feed: FeedSpec) -> Entry | None:
    """An Entry from a feedparser item; None when it has no usable link."""
    link = _link(item)
    guid = item.get("id") or None
    allowed = r"^(https?|file)://" if feed.url.startswith("file://") else r"^https?://"
    if not re.match(allowed, link, re.IGNORECASE):  # a remote feed never links to local files
        return None
    summary = item.get("summary")
    if not summary and item.get("content"):
        summary = item["content"][0].get("value")
    source = _source(item)
    title = strip_html(item.get("title"))
    if source and title and title.endswith(f" - {source}"):  # Google News: "Headline - Outlet"
        title = title[: -len(source) - 3].rstrip() or title
    return Entry(
        feed_id=feed.feed_id,
        url=link,
        canonical_url=canonical_url(link),
        guid=guid,
        title=title,
        author=_author(item),
        summary=strip_html(summary),
        published_at=_entry_date(item),
        source=source,
    )


def _source(item: Any) -> str | None:
    """The outlet an aggregator's item comes from (RSS <source>, Atom <source><title>)."""
    source = item.get("source")
    if not isinstance(source, dict) or not source.get("title"):
        return None
    return " ".join(str(source["title"]).split()) or None


def body_hash(body: bytes) -> str:
    """sha256 of a feed body, to spot an unchanged feed whose server ignores conditional GET."""
    return hashlib.sha256(body).hexdigest()


def _iso_time(value: Any) -> datetime | None:
    """An ISO 8601 string as an aware datetime (UTC when naive); None when unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _parse_time(value: Any) -> datetime | None:
    """An ISO 8601 string from a metadata file as an aware datetime (UTC when naive)."""
    parsed = _iso_time(value)
    if value and parsed is None:
        logger.warning("ignoring unreadable date %r in document metadata", value)
    return parsed


def _folder_metadata(folder: Path) -> dict[str, dict[str, Any]]:
    """The folder's metadata.json: file name -> {title, source, url, published_at, author}."""
    path = folder / FOLDER_METADATA
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring %s: %s", path, exc)
        return {}
    docs = data.get("documents", data) if isinstance(data, dict) else {}
    return {k: v for k, v in docs.items() if isinstance(v, dict)}


def _sidecar(doc: Path) -> dict[str, Any]:
    """A per-document sidecar NAME.json next to NAME.html or NAME.txt."""
    path = doc.with_suffix(".json")
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring sidecar %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def folder_documents(folder: Path) -> list[Path]:
    """The .html and .txt documents of a folder, in name order."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    )


def folder_fingerprint(folder: Path) -> str:
    """A hash of the folder's document names, sizes and times: unchanged folder, same hash."""
    parts = []
    for path in folder_documents(folder) + [folder / FOLDER_METADATA]:
        if path.exists():
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_folder(feed: FeedSpec, max_bytes: int) -> list[Entry]:
    """Entries for a local folder of documents, with metadata from metadata.json or sidecars."""
    folder = Path(feed.url)
    shared = _folder_metadata(folder)
    entries = []
    for doc in folder_documents(folder):
        meta = {**shared.get(doc.name, {}), **_sidecar(doc)}
        with open(doc, "rb") as handle:
            body = handle.read(max_bytes + 1)
        if len(body) > max_bytes:
            logger.warning("skipping %s: larger than max_bytes=%d", doc, max_bytes)
            continue
        url = str(meta.get("url") or doc.resolve().as_uri())
        entries.append(
            Entry(
                feed_id=feed.feed_id,
                url=url,
                canonical_url=canonical_url(url),
                guid=meta.get("guid"),
                title=meta.get("title"),
                author=meta.get("author"),
                summary=meta.get("summary"),
                published_at=_parse_time(meta.get("published_at")),
                body=body,
                body_type=DOCUMENT_SUFFIXES[doc.suffix.lower()],
                source=meta.get("source"),
            )
        )
    return entries


def is_folder_feed(feed: FeedSpec) -> bool:
    """True for a feed that is a local folder of documents."""
    return not re.match(r"^(https?|file)://", feed.url, re.IGNORECASE)


def find_feed(url: str, settings: FetchSettings) -> FoundFeed:
    """The feed at url, or the first working feed a home page links to with rel=alternate."""
    from monitor.fetch import Fetcher, discover_feeds

    probe = FeedSpec(name="probe", url=url, feed_id="probe")
    with Fetcher(settings) as fetcher:
        result = fetcher.fetch_feed(url)
        if result.outcome != "ok" or result.body is None:
            raise FeedNotFound(f"cannot fetch {url}: {result.outcome}: {result.error}")
        base = result.final_url or url
        parsed = parse_feed(result.body, probe, base, charset=result.charset)
        if parsed.outcome == "ok":
            return FoundFeed(url=base, title=parsed.title)
        candidates = discover_feeds(result.body, base)
        for candidate in candidates:
            found = fetcher.fetch_feed(candidate)
            if found.outcome == "ok" and found.body is not None:
                checked = parse_feed(found.body, probe, candidate, charset=found.charset)
                if checked.outcome == "ok":
                    return FoundFeed(url=candidate, title=checked.title)
    tried = f" (tried {', '.join(candidates)})" if candidates else ""
    raise FeedNotFound(
        f"{url} is not a feed and links to no working RSS, Atom or JSON feed{tried}; "
        "pass the feed's own URL instead"
    )
