"""Analysis: the per-article work of an ingest (extract, hash, tag), run in worker processes.

It imports only what that work needs (no database, no Prefect, no HTTP client), so the process
pool's workers stay small; pipeline.py sends them pages and stores what comes back. The
extractor (trafilatura, lxml) is imported on first use: the workers preload it, and the main
process, which only analyses batches too small for the pool, does without it on large runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor import actors as actors_mod
from monitor import stance as stance_mod
from monitor.dedup import content_hash, minhash_signature
from monitor.models import Candidate, Entry, Extracted, Mention, Stance
from monitor.stories import TermVector, vectorise
from monitor.text import split_sentences, strip_html

if TYPE_CHECKING:
    from monitor.store import FetchLogRow

logger = logging.getLogger(__name__)

SUMMARY_CHARS = 400
_WORKER: dict[str, Any] = {}


@dataclass
class Page:
    """What the analysis needs of a fetched page (None for a folder document)."""

    outcome: str
    url: str
    body: bytes | None = None
    charset: str | None = None


@dataclass
class Analysed:
    """One entry after fetch, extraction and tagging: everything but database decisions."""

    entry: Entry
    page_outcome: str
    page_log: FetchLogRow | None = None  # set by the pipeline (the worker never sees it)
    text: str | None = None
    extracted: Extracted | None = None
    method: str | None = None
    content_hash: str | None = None
    minhash: bytes | None = None
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    extract_error: str | None = None
    lead: str | None = None  # the first sentences, when the feed gave no summary
    terms: TermVector | None = None  # the text's story-clustering vector


def init_worker(topics_path: str | None, extra_actors: list[dict[str, Any]]) -> None:
    """Load the actor registry, topics and tagger once per process (kept when the forkserver
    already loaded them for the same arguments: see monitor.preload)."""
    if _WORKER.get("args") == (topics_path, extra_actors):
        return
    _WORKER["args"] = (topics_path, extra_actors)
    _WORKER["registry"] = actors_mod.load_registry(extra_actors=extra_actors or None)
    _WORKER["topics"] = stance_mod.load_topics(topics_path)
    _WORKER["tagger"] = stance_mod.RuleStanceTagger()


def worker_ready() -> bool:
    """True once init_worker has run in this process."""
    return bool(_WORKER)


def _fallback_text(entry: Entry) -> str | None:
    """The feed's title and summary as article text, when the page gave none."""
    parts = [p for p in (entry.title, entry.summary) if p]
    if len(parts) == 2 and parts[1].startswith(parts[0]):
        parts = parts[1:]
    return "\n\n".join(parts) or None


def _extract(entry: Entry, page: Page | None) -> tuple[Extracted | None, str | None]:
    """Extract the page body of a fetched page or a folder document."""
    if entry.body is not None and entry.body_type == "text":
        text = entry.body.decode("utf-8", errors="replace").strip()
        return (Extracted(text=text, method="text") if text else None), None
    body = entry.body if entry.body is not None else (page.body if page else None)
    if not body:
        return None, None
    url = page.url if page else entry.url
    from monitor.extract import extract_page  # here: the main process rarely extracts itself

    try:
        extracted = extract_page(body, url=url, charset=page.charset if page else None)
    except Exception as exc:  # a hostile page must not stop the batch
        logger.warning("extraction failed for %s: %s", url, exc)
        return None, f"extraction failed: {exc}"
    return extracted, None if extracted else "no article text found"


def analyse_page(entry: Entry, page: Page | None) -> Analysed:
    """Extract, hash and tag one entry; falls back to the feed summary."""
    if not _WORKER:
        raise RuntimeError("init_worker() must run before analyse_page()")
    outcome = page.outcome if page else "ok"
    extracted, error = _extract(entry, page) if outcome == "ok" else (None, None)
    text: str | None
    if extracted is not None:
        text, method = extracted.text, extracted.method
    else:
        text, method = _fallback_text(entry), "feed_summary"
    item = Analysed(entry=entry, page_outcome=outcome, extracted=extracted, extract_error=error)
    if not text:
        return item
    item.text, item.method = text, method
    item.content_hash = content_hash(text)
    item.minhash = minhash_signature(text)
    item.terms = vectorise(text)
    item.lead = None if entry.summary else lead(text)
    published = published_at(entry, extracted)
    registry = _WORKER["registry"]
    item.mentions, item.candidates = actors_mod.tag_actors(text, registry, published)
    item.stances = _WORKER["tagger"].tag(
        text, item.mentions, registry, _WORKER["topics"], published
    )
    return item


def analyse_chunk(jobs: list[tuple[Entry, Page | None]]) -> list[Analysed]:
    """Process-pool entry point: a few pages per round trip."""
    return [analyse_page(entry, page) for entry, page in jobs]


def published_at(entry: Entry, meta: Extracted | None) -> datetime | None:
    """The article's date: a folder document's metadata first (the user's word), else the
    date the page declares, else the feed entry's, else a date found in the page's text."""
    page = meta.published_at if meta else None
    if entry.body is not None or (meta is not None and meta.date_guessed):
        return entry.published_at or page
    return page or entry.published_at


def first_line(text: str) -> str | None:
    """The first line of a text, as a title of last resort."""
    return next((line.strip()[:200] for line in text.splitlines() if line.strip()), None)


def lead(text: str) -> str | None:
    """The first sentences of a text, up to SUMMARY_CHARS, as a summary."""
    out = ""
    for start, end in split_sentences(text):
        if out and len(out) + (end - start) > SUMMARY_CHARS:
            break
        out = (out + " " + text[start:end].strip()).strip()
    return strip_html(out) or None
