"""Records passed between pipeline stages: plain dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FeedSpec:
    """A feed as configured: where to poll and how."""

    name: str
    url: str
    feed_id: str
    poll_minutes: float | None = None
    respect_robots: bool | None = None
    allow_private_networks: bool | None = None


@dataclass
class Entry:
    """One item of a feed, before its page is fetched."""

    feed_id: str
    url: str
    canonical_url: str
    guid: str | None = None
    title: str | None = None
    author: str | None = None
    summary: str | None = None
    published_at: datetime | None = None
    # Set for documents read from disk (directory feeds): the page body is already here.
    body: bytes | None = None
    body_type: str | None = None  # "html" or "text"
    source: str | None = None


@dataclass
class Extracted:
    """What extraction found in a page."""

    text: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    method: str = "trafilatura"
    # True when the page declares no date (meta tags, JSON-LD, URL) and published_at is a date
    # found in its text, which may be a teaser's or the top bar's: a feed's date is better
    date_guessed: bool = False


@dataclass
class Mention:
    """An actor named in an article; offsets index into the article text."""

    actor_id: str
    surface: str
    sentence_index: int
    char_start: int
    char_end: int
    via_actor_id: str | None = None


@dataclass
class Candidate:
    """A person introduced with a role but absent from the registry."""

    name: str
    role: str
    surface: str
    sentence_index: int
    char_start: int
    char_end: int
    affiliation: str | None = None


@dataclass
class Stance:
    """An actor's polarity on a tracked topic, with the evidence sentence."""

    actor_id: str
    topic_id: str
    polarity: str  # support | oppose | neutral
    confidence: float
    evidence: str
    char_start: int
    char_end: int
    method: str = "rules"


@dataclass
class Article:
    """An article ready to store: extracted, hashed, deduplicated and tagged."""

    article_id: int
    feed_id: str
    url: str
    canonical_url: str
    first_seen_at: datetime
    text: str
    content_hash: str
    extraction_method: str
    guid: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    summary: str | None = None
    word_count: int = 0
    duplicate_of: int | None = None
    near_duplicate_of: int | None = None
    near_duplicate_similarity: float | None = None
    story_id: int | None = None
    minhash: bytes | None = None
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)


@dataclass
class FetchSettings:
    """The `[fetch]` section of the config."""

    timeout_s: float = 20.0
    connect_timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "monitor/0.1 (+https://github.com/monitor-news/monitor)"
    allow_private_networks: bool = False
    per_host_concurrency: int = 2
    per_host_delay_s: float = 1.0
    respect_robots: bool = True
    max_workers: int = 16
    retries: int = 2
    retry_delay_s: float = 2.0
