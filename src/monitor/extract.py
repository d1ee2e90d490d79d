"""Extraction: the article body and metadata of an HTML page, with trafilatura."""

from __future__ import annotations

import codecs
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import trafilatura
from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import Document
from trafilatura.utils import load_html

from monitor.models import Extracted

logger = logging.getLogger(__name__)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: a page labelled Latin-1 or ASCII is decoded as windows-1252.
CHARSET_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
# A UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte read the same way.
MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
SNIFF_BYTES = 4096

# Furniture that trafilatura's own cleaning may keep, matched on class and id and removed from
# the tree before extraction; a box holding a long paragraph is kept, in case a name such as
# "paywall" or "share" wraps the body itself.
FURNITURE_ATTR = re.compile(
    r"newsletter|share|sharing|cookie|consent|related|read-?more|also-read|most-read|most-popular"
    r"|recommended|caption|credit|pull-?quote|advert|ad-slot|ad-container|dfp|ticker|breaking-bar"
    r"|paywall|barrier|(?:^|\s)ads?(?:\s|$)"
)
COMMENT_ATTR = re.compile(r"comment(?!ary)")
# text for screen readers only ("Author", "Post navigation"): never seen, never a byline's part
SCREEN_READER_ATTR = re.compile(r"(?:^|\s)(?:screen-reader-text|sr-only|visually-?hidden)(?:\s|$)")
LONG_PARAGRAPH_CHARS = 250
LONG_BOX_CHARS = 2500
NEVER_PRUNED = frozenset({"html", "body", "main", "article"})

# Lines of site furniture that survive in the extracted text.
BOILERPLATE_LINE = re.compile(
    r"^(?:ads?|advertisements?|sponsored(?: content)?|story continues below(?: advertisement)?"
    r"|continue reading(?: below)?|scroll to continue(?: with content)?|skip (?:advert|ad)s?"
    r"|article continues (?:below|after (?:this )?advertisement)|loading\W*"
    r"|after newsletter promotion|[|:\- ]*-{3,}[|:\- ]*"
    r"|(?:share|tweet|email|print|copy link|facebook|twitter|x|whatsapp|linkedin|telegram"
    r"|reddit|pinterest|share this (?:article|story)|share on \w+)(?:\s*[|·•/,]?\s*"
    r"(?:share|tweet|email|print|copy link|facebook|twitter|x|whatsapp|linkedin|telegram"
    r"|reddit|pinterest))*)\W*$",
    re.I,
)
LEAD_IN_LINE = re.compile(
    r"^\W*(?:read more|read also|also read|related|see also|recommended|more on this story"
    r"|lire aussi|à lire aussi|lesen sie auch|mehr zum thema|lee también|leer más)\b\s*[:\-–—|]",
    re.I,
)
CREDIT_LINE = re.compile(
    r"^\W*(?:(?:photo|image|picture|photograph|video|illustration)s?(?: credit)?|credit)\s*[:©]"
    r"|(?:[/|]\s*(?:getty images|reuters|afp|ap|epa|shutterstock|alamy)|\bvia getty images)\W*$",
    re.I,
)
NOTICE_LINE = re.compile(
    r"^\W*(?:©|\(c\)|copyright\b)|all rights reserved\W*$"
    r"|^\W*(?:download|get) (?:the|our) .{0,40}\bapp\b",
    re.I,
)
NEWSLETTER_LINE = re.compile(r"\b(?:sign up|subscribe|inscrivez|abonnieren|suscríbete)\b", re.I)
SHORT_LINE_WORDS = 25
PULL_QUOTE_MIN_WORDS = 6
KICKER_WORDS = 6
HEADLINE_SEARCH_LINES = 4
BYLINE = re.compile(r"^(?:by|par|von|por|di)\s+\w", re.I)
BYLINE_WORDS = 8
# A table holding headings, nested tables or several paragraphs per cell lays out the page.
LAYOUT_TABLE_XPATH = ".//table|.//h1|.//h2|.//td[count(.//p) >= 2]|.//td[count(.//div) >= 3]"
TABLE_PARTS_XPATH = "./tr|./*/tr|./thead|./tbody|./tfoot|./tr/td|./*/tr/td|./tr/th|./*/tr/th"

# an "author" read from a byline box that also holds the share buttons ("So Artikel Empfehlen")
SHARE_WIDGET = re.compile(
    r"\b(?:share|teilen|empfehlen|recommend|partager|compartir|condividi|follow us|folgen)\b", re.I
)
COPYRIGHT_NOTICE = re.compile(r"^\W*(?:copyright\b|©|\(c\))|all rights reserved", re.I)
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " › ", " ‹ ", " · ")
TITLE_SPLIT = re.compile("|".join(re.escape(sep) for sep in TITLE_SEPARATORS))
HOST_PREFIXES = {"www", "m", "amp", "mobile"}  # host labels that never name the site
SITE_TITLE_WORDS = 8  # a title naming every word of a multi-word host is the site's up to here
HEADINGS_TRIED = 12  # headings looked at for the headline when the title is the site's name
MIN_HEADLINE_CHARS = 8
# meta tags, as (attribute, accepted values) tried in order: the first with content wins
META_DATE = (
    ("property", ("article:published_time", "og:published_time", "og:article:published_time")),
    ("name", ("article:published_time", "parsely-pub-date", "sailthru.date", "publish-date")),
    ("itemprop", ("datePublished",)),
    # then the generic names, which some sites give the date of the last change
    ("name", ("pubdate", "publishdate", "publication_date", "dc.date.issued", "DC.date.issued")),
    ("name", ("dcterms.created", "DCTERMS.created", "date", "dc.date", "DC.date")),
)
# a publication day in the article's address: /2019/08/01/, /2019-08-01-, _20190801
URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[/_.-]?(0[1-9]|1[0-2])[/_.-]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
DATE_ATTRIBUTE_XPATH = '//*[@itemprop="datePublished"]/@datetime'
JSON_LD_XPATH = '//script[@type="application/ld+json"]/text()'
META_LANG = (
    ("http-equiv", ("content-language", "Content-Language")),
    ("name", ("language", "content-language")),
    ("property", ("og:locale",)),
)
META_OG_TITLE = (("property", ("og:title",)),)
STOPWORDS = {
    "en": "the of and to in a is that for it on with as was by at he said from his be are have",
    "fr": "le la les de des et du un une est que dans pour qui sur au par pas il ne se avec aux",
    "de": "der die und das den von zu ist nicht mit sich des auf für ein eine im dem auch es",
    "es": "el la de que y en los del las un por con una para se su al lo como más es",
    "it": "il di che e la per un del non in una sono della le dei gli con si ha al",
    "pt": "de que o a do da em um para com não uma os no se na por mais as dos",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als",
}
STOPWORD_SETS = {lang: frozenset(words.split()) for lang, words in STOPWORDS.items()}
STOPWORD_MIN_RATIO = 0.12
NON_LETTERS = re.compile(r"[\W\d_]+")  # what str.isalpha() rejects, for a C-speed filter
LANG_SAMPLE_CHARS = 5000
SCRIPT_LANGS = (
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
)
SCRIPT_MIN_RATIO = 0.3
NON_LATIN_LANGS = frozenset(lang for _, lang in SCRIPT_LANGS)
MIN_TEXT_CHARS = 100
RETRY_WORDS = 40
WORD = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class ExtractionSettings:
    """Trafilatura options and this module's cleaning, as compared in the benchmark."""

    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = True
    include_formatting: bool = False
    deduplicate: bool = False
    fast: bool = True
    clean: bool = True  # prune furniture from the tree and furniture lines from the text
    retry: bool = True  # a second, recall-oriented pass when the first finds no article

    def trafilatura_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for trafilatura.bare_extraction."""
        kwargs = asdict(self)
        del kwargs["clean"], kwargs["retry"]
        return kwargs


# Chosen by measurement (bench/extraction_eval.py): as accurate as the slower settings on the
# fixtures, and precision mode skips trafilatura's costly rescue passes on long pages.
SETTINGS = ExtractionSettings()
RETRY_SETTINGS = ExtractionSettings(favor_precision=False, favor_recall=True, fast=False)
RAW = ExtractionSettings(favor_precision=False, fast=False, clean=False, retry=False)
CANDIDATE_SETTINGS = {
    "default": RAW,
    "fast": replace(RAW, fast=True),
    "precision": replace(RAW, favor_precision=True),
    "precision+fast": replace(RAW, favor_precision=True, fast=True),
    "recall": replace(RAW, favor_recall=True),
    "recall+fast": replace(RAW, favor_recall=True, fast=True),
    "precision+fast -tables": replace(RAW, favor_precision=True, fast=True, include_tables=False),
    "precision+fast +formatting": replace(
        RAW, favor_precision=True, fast=True, include_formatting=True
    ),
    "precision+fast +dedup": replace(RAW, favor_precision=True, fast=True, deduplicate=True),
    "default +clean": replace(SETTINGS, favor_precision=False, fast=False),
    "fast +clean": replace(SETTINGS, favor_precision=False),
    "recall+fast +clean": replace(SETTINGS, favor_precision=False, favor_recall=True),
    "precision +clean": replace(SETTINGS, fast=False),
    "precision+fast +clean -tables": replace(SETTINGS, include_tables=False),
    "precision+fast +clean +dedup": replace(SETTINGS, deduplicate=True),
    "precision+fast +clean (chosen)": SETTINGS,
}


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return CHARSET_ALIASES.get(name, name)


def _strict(body: bytes, encoding: str) -> str | None:
    """The body decoded strictly, or None when it is not valid in that encoding."""
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_mojibake(body: bytes, text: str, encoding: str) -> bool:
    """True when a single-byte decoding turned what is really UTF-8 into 'Ã©' sequences."""
    if encoding.startswith("utf") or body.isascii() or _strict(body, "utf-8") is None:
        return False
    return MOJIBAKE.search(text) is not None


def decode_html(body: bytes, declared: str | None) -> tuple[str, str]:
    """Decode a page: BOM, then the declared and meta charsets if valid, else sniff."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), encoding
    meta = META_CHARSET.search(body[:SNIFF_BYTES])
    labels = [declared, meta.group(1).decode("ascii", "ignore") if meta else None, "utf-8"]
    for encoding in dict.fromkeys(filter(None, map(_codec, labels))):
        if encoding.startswith(("utf-16", "utf-32")):
            continue  # a BOM-less page labelled UTF-16 is in practice ASCII-compatible
        text = _strict(body, encoding)
        if text is not None and not _is_mojibake(body, text, encoding):
            return text, encoding
        logger.debug("charset %s rejected for this page", encoding)
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        return str(best), _codec(best.encoding) or best.encoding
    return body.decode("cp1252", errors="replace"), "cp1252"


def _first(tree: HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    """The first non-empty string one of the XPath expressions finds."""
    for xpath in xpaths:
        for value in tree.xpath(xpath):
            if str(value).strip():
                return str(value).strip()
    return None


def _meta_content(
    metas: list[HtmlElement], rules: tuple[tuple[str, tuple[str, ...]], ...]
) -> str | None:
    """The first non-empty content of a <meta> matching the rules, tried in order."""
    for attribute, values in rules:
        for meta in metas:
            if meta.get(attribute) in values:
                content = (meta.get("content") or "").strip()
                if content:
                    return content
    return None


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """The JSON-LD objects of the page, flattened out of lists and @graph."""
    found: list[dict[str, Any]] = []
    for raw in tree.xpath(JSON_LD_XPATH):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return found


def _parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date or timestamp as an aware datetime (naive ones are taken as UTC)."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _page_date(
    tree: HtmlElement, metas: list[HtmlElement], ld: list[dict[str, Any]]
) -> datetime | None:
    """The publication timestamp declared in meta tags or JSON-LD."""
    declared = _meta_content(metas, META_DATE) or _first(tree, (DATE_ATTRIBUTE_XPATH,))
    parsed = _parse_date(declared)
    if parsed:
        return parsed
    for item in ld:
        parsed = _parse_date(item.get("datePublished") if isinstance(item, dict) else None)
        if parsed:
            return parsed
    return None


def _url_day(url: str | None, day: datetime) -> bool:
    """True when the address carries this publication day (a CMS's own record of it)."""
    path = urlsplit(url or "").path
    return any(
        (int(y), int(m), int(d)) == (day.year, day.month, day.day)
        for y, m, d in URL_DATE.findall(path)
    )


def _published(page_date: datetime | None, doc_date: str | None) -> datetime | None:
    """The page's precise timestamp if it agrees with htmldate's day, else htmldate's day."""
    found = _parse_date(doc_date)
    if page_date and (found is None or page_date.date() == found.date()):
        return page_date
    if page_date and found and abs((page_date.date() - found.date()).days) <= 1:
        return page_date  # the same moment seen from another time zone
    return found


def _canonical(tree: HtmlElement, url: str | None) -> str | None:
    """The absolute href of <link rel="canonical">, if any."""
    for href in tree.xpath('//link[@rel="canonical" or @rel="Canonical"]/@href'):
        absolute = urljoin(url or "", href.strip())
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            return absolute
    return None


def _normalise_lang(value: str | None) -> str | None:
    """The primary language subtag, lower-case ('en_GB' -> 'en')."""
    if not value:
        return None
    primary = re.split(r"[-_,;\s]", value.strip())[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _script_lang(sample: str) -> str | None:
    """The language of the dominant non-Latin script of a text sample, if any."""
    letters = NON_LETTERS.sub("", sample)
    if not letters or letters.isascii():
        return None
    for pattern, lang in SCRIPT_LANGS:
        if len(pattern.findall(letters)) / len(letters) >= SCRIPT_MIN_RATIO:
            return lang
    return None


def _stopword_lang(sample: str) -> str | None:
    """The language whose stopwords make up the largest share of the words, if enough."""
    words = WORD.findall(sample.lower())
    if not words:
        return None
    counts = Counter(words)
    ratios = {
        lang: sum(counts[w] for w in stops & counts.keys()) / len(words)
        for lang, stops in STOPWORD_SETS.items()
    }
    lang = max(ratios, key=ratios.__getitem__)
    return lang if ratios[lang] >= STOPWORD_MIN_RATIO else None


def _guess_lang(text: str) -> str | None:
    """A cheap guess: the dominant non-Latin script, else the best stopword ratio."""
    sample = text[:LANG_SAMPLE_CHARS]
    return _script_lang(sample) or _stopword_lang(sample)


def _language(tree: HtmlElement, metas: list[HtmlElement], text: str) -> str | None:
    """Language from <html lang>, content-language or og:locale, else guessed from the text."""
    declared = _normalise_lang(tree.get("lang") or tree.get("xml:lang"))
    declared = declared or _normalise_lang(_meta_content(metas, META_LANG))
    if not declared:
        return _guess_lang(text)
    script = _script_lang(text[:LANG_SAMPLE_CHARS])
    # a site-wide template language contradicted by the script of the text
    return script if script and script != declared else declared


def _site_labels(site_name: str | None, url: str | None) -> set[str]:
    """Lower-case names a title suffix may carry: the site name and the host's labels."""
    labels = {site_name.lower()} if site_name else set()
    host = urlsplit(url or "").hostname or ""
    labels.update(part for part in host.lower().split(".") if len(part) > 3)
    labels.add(host.lower().removeprefix("www."))
    return {re.sub(r"\W", "", label) for label in labels if label}


def _clean_title(
    title: str | None, h1: str | None, site_name: str | None, url: str | None
) -> str | None:
    """The headline without a ' | Site' or ' - Site' suffix (or prefix)."""
    if not title:
        return h1
    title = " ".join(title.split())
    labels = _site_labels(site_name, url)
    for sep in TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and re.sub(r"\W", "", tail.lower()) in labels:
            return head.strip()
        tail, found, head = title.partition(sep)
        if found and re.sub(r"\W", "", tail.lower()) in labels:
            return head.strip()
    if h1 and title.startswith(h1) and title[len(h1) :].startswith(TITLE_SEPARATORS):
        return h1
    return title


def _site_like(text: str | None, site_name: str | None, url: str | None) -> bool:
    """True when a title is the site's name, not a headline: the site name or host itself, or
    a few words naming every word of a host such as cdu-fraktion-erfurt.de or love-hina.ch."""
    if not text:
        return False
    if re.sub(r"\W", "", text.lower()) in _site_labels(site_name, url):
        return True
    labels = (urlsplit(url or "").hostname or "").lower().split(".")[:-1]
    labels = [label for label in labels if label not in HOST_PREFIXES and len(label) > 2]
    if not labels:
        return False
    site_words = re.findall(r"[^\W\d_]+", labels[-1])  # the registered name, before the suffix
    words = re.findall(r"[^\W\d_]+", text.lower())
    return (
        len(site_words) > 1
        and len(words) <= SITE_TITLE_WORDS
        and all(any(w.startswith(site) for w in words) for site in site_words)
    )


def _headline(tree: HtmlElement, site_name: str | None, url: str | None) -> str | None:
    """The headline of a page whose title and h1 name the site: the first heading that the
    <title> also holds, else the longest part of the <title> that is not the site's name."""
    raw = " ".join(" ".join(tree.xpath("(//title)[1]//text()")).split())
    for heading in tree.xpath("//h1|//h2|//h3")[:HEADINGS_TRIED]:
        text = " ".join(heading.text_content().split())
        if (
            len(text) >= MIN_HEADLINE_CHARS
            and text.casefold() in raw.casefold()
            and not _site_like(text, site_name, url)
        ):
            return text
    parts = [p.strip() for p in TITLE_SPLIT.split(raw) if p.strip()]
    parts = [p for p in parts if not _site_like(p, site_name, url)]
    return max(parts, key=len) if parts else None


def _is_furniture(line: str) -> bool:
    """True for a line of site furniture: ads, share bars, read-more links, credits, sign-ups."""
    words = len(line.split())
    if BOILERPLATE_LINE.match(line) or LEAD_IN_LINE.match(line):
        return True
    if words <= SHORT_LINE_WORDS and (CREDIT_LINE.search(line) or NOTICE_LINE.search(line)):
        return True
    return (
        words <= SHORT_LINE_WORDS
        and "newsletter" in line.lower()
        and bool(NEWSLETTER_LINE.search(line))
    )


def clean_text(text: str) -> str:
    """Drop furniture lines and short lines repeated inside a longer one (pull quotes)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not _is_furniture(line)]
    kept: list[str] = []
    for i, line in enumerate(lines):
        quote_like = PULL_QUOTE_MIN_WORDS <= len(line.split()) <= SHORT_LINE_WORDS
        core = line.strip("\"“”'‘’ ")
        if quote_like and any(
            j != i and len(o) > len(line) and core in o for j, o in enumerate(lines)
        ):
            continue
        if kept and line == kept[-1]:
            continue
        kept.append(line)
    return "\n".join(kept)


def _same(a: str, b: str) -> bool:
    """True when two strings have the same words, ignoring case and punctuation."""
    return WORD.findall(a.lower()) == WORD.findall(b.lower())


def drop_headline(text: str, titles: list[str], author: str | None = None) -> str:
    """Drop a headline repeated at the top of the text (with kickers) and a leading byline."""
    lines = text.splitlines()
    titles = [t for t in titles if t and WORD.search(t)]
    for i, line in enumerate(lines[:HEADLINE_SEARCH_LINES]):
        if any(_same(line, title) for title in titles):
            if all(len(before.split()) <= KICKER_WORDS for before in lines[:i]):
                lines = lines[i + 1 :]
            break
    while (
        lines
        and len(lines[0].split()) <= BYLINE_WORDS
        and (BYLINE.match(lines[0]) or (author and _same(lines[0], author)))
    ):
        lines = lines[1:]
    return "\n".join(lines)


def _holds_article_text(element: HtmlElement) -> bool:
    """True when the element holds a paragraph or an amount of text only an article has."""
    return any(len(p.text_content()) > LONG_PARAGRAPH_CHARS for p in element.iter("p")) or (
        len(element.text_content()) > LONG_BOX_CHARS
    )


def _prunable(tree: HtmlElement, xpath: str) -> Iterator[tuple[HtmlElement, str]]:
    """The elements an xpath finds that may be pruned, with their class and id, lower-cased:
    not the page's frame, nor an element holding the headline (found once for all)."""
    holds_h1 = {a for h1 in tree.iter("h1") for a in h1.iterancestors()}
    for element in tree.xpath(xpath):
        if element.tag not in NEVER_PRUNED and element not in holds_h1:
            yield element, f"{element.get('class', '')} {element.get('id', '')}".lower()


def drop_unseen_and_comments(tree: HtmlElement) -> None:
    """Remove text for screen readers only, reader comments and comment widgets ('recent
    comments') in place (drop_tree keeps an element's tail text, which is visible)."""
    for element, attrs in _prunable(tree, "//*[@class or @id]"):
        if SCREEN_READER_ATTR.search(attrs) or COMMENT_ATTR.search(attrs):
            element.drop_tree()


def prune_furniture(tree: HtmlElement) -> None:
    """Remove screen-reader text, comment sections, captions and furniture boxes (share bars,
    ads) in place."""
    for element, attrs in _prunable(tree, "//figcaption|//*[@class or @id]"):
        if (
            element.tag == "figcaption"
            or SCREEN_READER_ATTR.search(attrs)
            or COMMENT_ATTR.search(attrs)
            or (FURNITURE_ATTR.search(attrs) and not _holds_article_text(element))
        ):
            element.drop_tree()


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn tables used for page layout into divs so they are not extracted as data tables."""
    for table in tree.xpath("//table"):
        if table.xpath(LAYOUT_TABLE_XPATH):
            for part in table.xpath(TABLE_PARTS_XPATH):
                part.tag = "div"
            table.tag = "div"


def page_metadata(tree: HtmlElement, url: str | None) -> Document:
    """Title, author, date and site name, as trafilatura finds them, without the categories,
    tags and licence it also looks for (a quarter of its extraction time, unused here). When
    no meta tag or JSON-LD names the author, screen-reader text and comment sections are
    removed from the tree before the byline is looked for."""
    meta = trafilatura_metadata
    doc = meta.examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    try:
        doc = meta.extract_meta_json(tree, doc)
    except Exception as exc:  # trafilatura's JSON-LD parser has known failure modes
        logger.debug("JSON-LD metadata not read: %s", exc)
    doc.title = doc.title or meta.extract_title(tree)
    if not doc.author:  # a byline in the markup, not a commenter's name nor a hidden label
        drop_unseen_and_comments(tree)
        doc.author = meta.extract_author(tree)
    doc.url = doc.url or meta.extract_url(tree, url)
    date_config = meta.set_date_params(True)
    date_config["url"] = doc.url
    doc.date = meta.find_date(tree, **date_config)
    if doc.sitename and COPYRIGHT_NOTICE.search(doc.sitename):  # trafilatura reads <meta copyright>
        doc.sitename = None
    doc.sitename = (doc.sitename or meta.extract_sitename(tree) or "").lstrip("@") or None
    if doc.author and (
        # the site itself (<meta name=author content=example.de>, title-cased into "Example De")
        re.sub(r"\W", "", doc.author.lower()) in _site_labels(doc.sitename, url)
        or SHARE_WIDGET.search(doc.author)
    ):
        doc.author = None
    if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
        doc.sitename = doc.sitename.title()
    doc.clean_and_trim()
    return doc


def _run(tree: HtmlElement, url: str | None, settings: ExtractionSettings) -> Any:
    """One trafilatura pass over a parsed page (body only); the Document or None."""
    return trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        with_metadata=False,
        **settings.trafilatura_kwargs(),
    )


def _body(
    tree: HtmlElement, html: str, url: str | None, settings: ExtractionSettings
) -> tuple[Any, str]:
    """The trafilatura Document and its cleaned text, retrying once when nothing is found."""
    doc = _run(tree, url, settings)
    text = (doc.text or "") if doc is not None else ""
    text = clean_text(text) if settings.clean else text.strip()
    fresh = load_html(html) if len(text.split()) < RETRY_WORDS and settings.retry else None
    if fresh is not None:  # unpruned: the first pass may have lost the article to pruning
        unwrap_layout_tables(fresh)
        retry = _run(fresh, url, RETRY_SETTINGS)
        retry_text = clean_text(retry.text or "") if retry is not None else ""
        if len(retry_text) > len(text):
            logger.debug("second pass with recall settings for %s", url)
            return retry, retry_text
    return doc, text


def extract_page(
    html: str | bytes,
    url: str | None = None,
    charset: str | None = None,
    settings: ExtractionSettings = SETTINGS,
) -> Extracted | None:
    """Extract body text and metadata; None (with the reason logged) when there is no article."""
    if isinstance(html, bytes):
        html, _ = decode_html(html, charset)
    if not html.strip():
        logger.info("no article text in %s: empty page", url)
        return None
    tree = load_html(html)
    if tree is None:
        logger.info("no article text in %s: not parseable as HTML", url)
        return None
    ld = _json_ld(tree)
    metas = list(tree.iter("meta"))
    page_date = _page_date(tree, metas, ld)
    meta = page_metadata(tree, url)
    canonical = _canonical(tree, url)
    h1 = " ".join(" ".join(tree.xpath("//h1[1]//text()")).split()) or None
    og_title = _meta_content(metas, META_OG_TITLE)
    page_url = url or canonical
    title = _clean_title(meta.title, h1, meta.sitename, page_url)
    if _site_like(title, meta.sitename, page_url):  # a site's branding, not a headline
        title = _headline(tree, meta.sitename, page_url)
    if settings.clean:
        prune_furniture(tree)
        unwrap_layout_tables(tree)
    doc, text = _body(tree, html, url, settings)
    if doc is not None and settings.clean:
        text = drop_headline(text, [h1 or "", og_title or "", meta.title or ""], meta.author)
    if doc is None or len(text) < MIN_TEXT_CHARS:
        logger.info("no article text in %s: %d characters extracted", url, len(text))
        return None
    published = _published(page_date, meta.date)
    return Extracted(
        text=text,
        title=title,
        author=meta.author,
        published_at=published,
        date_guessed=page_date is None
        and published is not None
        and not any(_url_day(u, published) for u in (url, canonical)),
        language=_language(tree, metas, text),
        site_name=meta.sitename,
        canonical_url=canonical,
    )


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of lower-cased word 4-grams of a text (its words if fewer than four)."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def score(extracted: str, expected: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the extracted text's 4-gram multiset against the expected."""
    got, want = shingles(extracted), shingles(expected)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate_extraction(
    fixture_dir: str | Path, settings: ExtractionSettings = SETTINGS
) -> dict[str, Any]:
    """Macro-averaged 4-gram P/R/F1 and speed over NAME.html / NAME.expected.txt pairs."""
    per_page: list[dict[str, Any]] = []
    elapsed = 0.0
    for page in sorted(Path(fixture_dir).glob("*.html")):
        expected = page.with_suffix(".expected.txt").read_text(encoding="utf-8")
        body = page.read_bytes()
        start = time.perf_counter()
        found = extract_page(body, settings=settings)
        elapsed += time.perf_counter() - start
        precision, recall, f1 = score(found.text if found else "", expected)
        per_page.append({"page": page.stem, "precision": precision, "recall": recall, "f1": f1})
    count = len(per_page)
    mean = {
        k: sum(float(p[k]) for p in per_page) / count if count else 0.0
        for k in ("precision", "recall", "f1")
    }
    return {
        **mean,
        "pages": count,
        "pages_per_second": count / elapsed if elapsed else 0.0,
        "per_page": per_page,
    }
