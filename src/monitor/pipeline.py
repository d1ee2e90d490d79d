"""Ingest: the stages of one run as plain functions; flows/ingest.py calls them as tasks.

poll (per feed) -> select new entries -> per batch: fetch pages -> analyse (extract, hash, tag;
CPU-bound, in a process pool) -> store (dedup, near-duplicates, stories; one transaction).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import itertools
import json
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.analyse import (
    Analysed,
    Page,
    analyse_chunk,
    first_line,
    init_worker,
    published_at,
    worker_ready,
)
from monitor.config import Config
from monitor.dedup import NearDuplicateIndex
from monitor.feeds import (
    body_hash,
    folder_fingerprint,
    is_folder_feed,
    parse_feed,
    read_folder,
)
from monitor.fetch import Fetcher, FetchResult
from monitor.models import Article, Entry, FeedSpec
from monitor.store import (
    FeedState,
    FeedUpdate,
    FetchLogRow,
    IdBlock,
    Store,
    StoreError,
    refresh_fulltext,
    utcnow,
)
from monitor.stories import StoryArticle, StoryClusterer, TermVector
from monitor.urls import canonical_url, host_of

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
TRANSIENT_OUTCOMES = {"timeout", "connection_error"}
POOL_MIN_PAGES = 16
POOL_CHUNK = 4
HEAP_ARENAS = 2
M_ARENA_MAX = -8  # mallopt's parameter numbers in glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024  # glibc's initial value, kept fixed
NEAR_DUPLICATE_DAYS = 30.0
PAUSE_ENV = "MONITOR_PAUSE_AT"
ROBOTS_CACHE = "robots-cache.json"
_CHECKPOINTS: dict[str, int] = {}


class TransientFeedError(Exception):
    """A feed poll failed in a way worth retrying now (timeout, connection error)."""


@dataclass
class FeedPoll:
    """The result of polling one feed."""

    feed: FeedSpec
    outcome: str
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None
    status_code: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    retry_after_s: float | None = None
    bytes: int = 0
    elapsed_ms: float = 0.0
    polled_at: datetime = field(default_factory=utcnow)

    @property
    def failed(self) -> bool:
        """True when the poll did not reach a usable feed."""
        return self.outcome not in ("ok", "not_modified")


@dataclass
class RunSummary:
    """Counts of one ingest run, printed as one line and stored in `runs`."""

    run_id: int | None = None
    status: str = "ok"
    feeds_polled: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    new_articles: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    page_errors: int = 0
    stories_touched: int = 0
    message: str | None = None

    @property
    def errors(self) -> int:
        """Feeds and pages that failed."""
        return self.feeds_failed + self.page_errors

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        if self.status == "skipped":
            return f"ingest skipped: {self.message}"
        return (
            f"ingest {self.status}: {self.feeds_polled} feeds polled, {self.new_articles} new "
            f"articles, {self.duplicates} duplicates, {self.near_duplicates} near-duplicates, "
            f"{self.errors} errors (run {self.run_id})"
        )


class PendingAnalysis:
    """A batch being analysed (futures of the process pool) or already analysed."""

    def __init__(
        self,
        futures: list[Future[list[Analysed]]] | None = None,
        done: list[Analysed] | None = None,
        logs: Sequence[FetchLogRow | None] = (),
    ) -> None:
        self._futures = futures or []
        self._done = done
        self._logs = logs

    def result(self) -> list[Analysed]:
        """The analysed entries, in batch order, with their fetch_log rows (waits for the pool)."""
        if self._done is None:
            self._done = [item for future in self._futures for item in future.result()]
        for item, log in zip(self._done, self._logs or [None] * len(self._done), strict=True):
            item.page_log = log
        return self._done


def _page(result: FetchResult | None) -> Page | None:
    """What a worker needs of a fetch result (not its headers, attempts or timings)."""
    if result is None:
        return None
    body = result.body if result.outcome == "ok" else None
    return Page(result.outcome, result.final_url or result.url, body, result.charset)


# -- the run --------------------------------------------------------------------------------
class Ingest:
    """One ingest run: its config, store, fetcher, indices and counts."""

    def __init__(self, config: Config, all_feeds: bool = False, wait: bool | None = None) -> None:
        self.config = config
        self.all_feeds = all_feeds
        self.wait = config.overlap == "wait" if wait is None else wait
        self.store = Store(config.database, config.database_lock_timeout_s)
        self.summary = RunSummary()
        self.skipped = False
        self._stack = contextlib.ExitStack()
        self._states: dict[str, FeedState] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._seen_hashes: dict[str, tuple[int, int | None]] = {}
        self._seen_urls: set[str] = set()
        self._fetchers: dict[bool, Fetcher] = {}
        self._fetchers_lock = threading.Lock()
        self._feeds_by_id = {f.feed_id: f for f in config.feeds}
        self._robots: dict[str, Any] = {}
        self.near_index: NearDuplicateIndex | None = None
        self.clusterer: StoryClusterer | None = None

    # context management
    def __enter__(self) -> Ingest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the pool, the fetcher and the run lock."""
        self._stop_pool()
        self._stack.close()

    def _stop_pool(self) -> None:
        """Stop the worker processes (their memory is freed before the full-text refresh)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # stage 0
    def begin(self) -> list[FeedSpec]:
        """Take the run lock, migrate, repair, start the run; returns the feeds due now."""
        timeout = self.config.overlap_wait_minutes * 60 if self.wait else 0
        acquired = self._stack.enter_context(self.store.run_lock(wait=self.wait, timeout_s=timeout))
        self.store.migrate()
        if not acquired:
            self.skipped = True
            self.summary.status = "skipped"
            self.summary.message = (
                "another ingest run is in progress"
                if not self.wait
                else "another ingest run was still in progress after waiting "
                f"{self.config.overlap_wait_minutes:g} min"
            )
            self.summary.run_id = self.store.start_run(
                "ingest", status="skipped", message=self.summary.message
            )
            logger.info("ingest skipped: another run holds %s.lock", self.store.path)
            return []
        self.store.repair()
        self.summary.run_id = self.store.start_run("ingest")
        self.store.sync_feeds(self.config.feeds)
        self._states = self.store.feed_states()
        self._robots = self._load_robots()
        return [f for f in self.config.feeds if self._due(f)]

    def _fetcher(self, allow_private: bool) -> Fetcher:
        """The run's fetcher for article links with this private-address policy."""
        # under a lock: feeds are polled on several threads, and one fetcher per policy is
        # what makes per-host politeness and the robots.txt cache hold across them
        with self._fetchers_lock:
            if allow_private not in self._fetchers:
                settings = replace(self.config.fetch, allow_private_networks=allow_private)
                fetcher = self._stack.enter_context(Fetcher(settings))
                fetcher.robots_cache_import(self._robots)
                self._fetchers[allow_private] = fetcher
            return self._fetchers[allow_private]

    @property
    def _robots_path(self) -> Path:
        """Where robots.txt verdicts are kept between runs (fetched once per host per day)."""
        return self.config.database.parent / ROBOTS_CACHE

    def _load_robots(self) -> dict[str, Any]:
        """The robots.txt cache of earlier runs."""
        try:
            data = json.loads(self._robots_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            logger.warning("ignoring the robots.txt cache %s: %s", self._robots_path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _save_robots(self) -> None:
        """Keep the robots.txt cache for the next run (written atomically)."""
        merged = dict(self._robots)
        for fetcher in self._fetchers.values():
            merged.update(fetcher.robots_cache_export())
        tmp = self._robots_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(merged), encoding="utf-8")
        tmp.replace(self._robots_path)

    def _due(self, feed: FeedSpec) -> bool:
        """True when a feed is enabled and its next poll time has come (or --all)."""
        state = self._states.get(feed.feed_id)
        if state is None:
            return True
        if state.disabled:
            return False
        return self.all_feeds or state.next_poll_at is None or state.next_poll_at <= utcnow()

    # stage 1
    def poll(self, feed: FeedSpec, raise_transient: bool = False) -> FeedPoll:
        """Fetch and parse one feed; a conditional GET and a body hash skip unchanged feeds."""
        state = self._states.get(feed.feed_id) or FeedState(feed_id=feed.feed_id)
        try:
            if is_folder_feed(feed):
                return self._poll_folder(feed, state)
            return self._poll_http(feed, state, raise_transient)
        except TransientFeedError:
            raise
        except Exception as exc:  # one bad feed never stops the others
            logger.exception("polling feed %s failed", feed.name)
            return FeedPoll(feed=feed, outcome="parse_error", error=f"{type(exc).__name__}: {exc}")

    def _poll_folder(self, feed: FeedSpec, state: FeedState) -> FeedPoll:
        """Read a local folder of documents as a feed."""
        folder = Path(feed.url)
        if not folder.is_dir():
            return FeedPoll(
                feed=feed,
                outcome="http_error",
                error=f"the folder {folder} does not exist any more",
            )
        fingerprint = folder_fingerprint(folder)
        if fingerprint == state.body_hash and not self.all_feeds:
            return FeedPoll(feed=feed, outcome="not_modified", body_hash=fingerprint)
        entries = read_folder(feed, self.config.fetch.max_bytes)
        return FeedPoll(feed=feed, outcome="ok", entries=entries, body_hash=fingerprint)

    def _poll_http(self, feed: FeedSpec, state: FeedState, raise_transient: bool) -> FeedPoll:
        """Poll an http(s):// or file:// feed (the user's own URL: private addresses allowed)."""
        result = self._fetcher(True).fetch_feed(
            feed.url, etag=state.etag, last_modified=state.last_modified
        )
        poll = FeedPoll(
            feed=feed,
            outcome=result.outcome,
            error=result.error,
            status_code=result.status_code,
            etag=result.etag or state.etag,
            last_modified=result.last_modified or state.last_modified,
            body_hash=state.body_hash,
            retry_after_s=result.retry_after_s,
            bytes=result.bytes,
            elapsed_ms=result.elapsed_ms,
        )
        if result.outcome in TRANSIENT_OUTCOMES and raise_transient:
            raise TransientFeedError(f"{feed.name}: {result.error}")
        if result.outcome != "ok" or result.body is None:
            return poll
        poll.body_hash = body_hash(result.body)
        if poll.body_hash == state.body_hash:
            poll.outcome = "not_modified"
            return poll
        parsed = parse_feed(
            result.body,
            feed,
            base_url=result.final_url or feed.url,
            charset=result.charset,
        )
        poll.outcome, poll.entries = parsed.outcome, parsed.entries
        if parsed.outcome != "ok":
            poll.error = parsed.error
        elif parsed.malformed:
            logger.warning(
                "feed %s is malformed (%s) but yielded %d entries",
                feed.name,
                parsed.error,
                len(parsed.entries),
            )
        return poll

    # stage 2
    def select(self, polls: Sequence[FeedPoll]) -> list[Entry]:
        """Entries not stored before and not repeated in this run."""
        candidates = [e for p in polls for e in p.entries]
        self.summary.entries_seen = len(candidates)
        known = self.store.known_urls(
            [e.canonical_url for e in candidates]
            + [e.guid for e in candidates if e.guid and _is_url(e.guid)]
        )
        fresh = []
        for entry in candidates:
            keys = {entry.canonical_url} | ({entry.guid} if _is_url(entry.guid) else set())
            if keys & (known | self._seen_urls):
                continue
            self._seen_urls |= keys  # type: ignore[arg-type]
            fresh.append(entry)
        return fresh

    def batches(self, entries: Sequence[Entry]) -> list[list[Entry]]:
        """Entries in batches of config.batch_size, hosts interleaved so each batch spans them
        (per-host politeness then never starves a batch)."""
        by_host: dict[str, list[Entry]] = {}
        for entry in entries:
            by_host.setdefault(host_of(entry.url), []).append(entry)
        mixed = [e for group in itertools.zip_longest(*by_host.values()) for e in group if e]
        size = self.config.batch_size
        return [mixed[start : start + size] for start in range(0, len(mixed), size)]

    def start_workers(self, batches: Sequence[Sequence[Entry]]) -> None:
        """Start the extraction workers now when a batch will need them, so that their
        start-up (a forkserver importing the extractor) overlaps the first batch's fetch."""
        if not any(map(_uses_pool, batches)):
            return
        pool = self._get_pool()
        for _ in range(self._workers()):
            pool.submit(worker_ready)  # each submission to an idle pool starts a worker

    # stage 3
    def fetch(self, batch: Sequence[Entry]) -> list[tuple[Entry, FetchResult | None]]:
        """Fetch the pages of a batch, concurrently and politely (folder documents need none)."""
        checkpoint("fetch")
        results: dict[int, FetchResult] = {}
        by_policy: dict[tuple[bool | None, bool], list[Entry]] = {}
        for entry in batch:
            if entry.body is None:
                by_policy.setdefault(self._page_policy(entry.feed_id), []).append(entry)
        for (robots, private), entries in by_policy.items():
            fetched = self._fetcher(private).fetch_pages(
                [e.url for e in entries], respect_robots=robots
            )
            results.update({id(e): r for e, r in zip(entries, fetched, strict=True)})
        return [(e, results.get(id(e))) for e in batch]

    def _page_policy(self, feed_id: str) -> tuple[bool | None, bool]:
        """(respect_robots, allow_private_networks) for the article links of a feed."""
        feed = self._feed(feed_id)
        private = feed.allow_private_networks
        return feed.respect_robots, (
            self.config.fetch.allow_private_networks if private is None else private
        )

    def _feed(self, feed_id: str) -> FeedSpec:
        """The configured feed with this id."""
        return self._feeds_by_id[feed_id]

    # stage 4
    def analyse(self, pages: Sequence[tuple[Entry, FetchResult | None]]) -> PendingAnalysis:
        """Start extracting and tagging a batch: in the process pool when the batch is large,
        so the caller can store the previous batch meanwhile; .result() waits for it.

        The page bodies move to the analysis: the fetch results keep none, so each body is freed
        once its page is analysed, not when the caller drops the batch."""
        jobs = [(entry, _page(result)) for entry, result in pages]
        logs = [self._page_log(entry, result) for entry, result in pages]
        for _, result in pages:
            if result is not None:
                result.body = None
        if not _uses_pool(jobs):
            init_worker(*self._worker_args())  # a no-op once loaded for these arguments
            return PendingAnalysis(done=analyse_chunk(jobs), logs=logs)
        pool = self._get_pool()
        chunks = [jobs[i : i + POOL_CHUNK] for i in range(0, len(jobs), POOL_CHUNK)]
        futures = [pool.submit(analyse_chunk, chunk) for chunk in chunks]
        return PendingAnalysis(futures=futures, logs=logs)

    def _worker_args(self) -> tuple[str | None, list[dict[str, Any]]]:
        """Arguments of init_worker from the config."""
        topics = str(self.config.topics_path) if self.config.topics_path else None
        return topics, self.config.actors

    def _workers(self) -> int:
        """The number of extraction processes: the configured one, else one per core."""
        return self.config.extract_workers or os.cpu_count() or 1

    def _get_pool(self) -> ProcessPoolExecutor:
        """The run's process pool, started on first use."""
        if self._pool is None:
            workers = self._workers()
            context = multiprocessing.get_context("forkserver")
            # the workers fork from a server that has imported and warmed what they need, once
            context.set_forkserver_preload(["monitor.preload"])
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=init_worker,
                initargs=self._worker_args(),
            )
        return self._pool

    def _page_log(self, entry: Entry, result: FetchResult | None) -> FetchLogRow | None:
        """The fetch_log row for a page fetch."""
        if result is None:
            return None
        return FetchLogRow(
            run_id=self.summary.run_id,
            at=utcnow(),
            kind="page",
            feed_id=entry.feed_id,
            url=result.final_url or result.url,
            status_code=result.status_code,
            outcome=result.outcome,
            bytes=result.bytes,
            elapsed_ms=result.elapsed_ms,
            error=result.error,
        )

    # stage 5
    def store_batch(self, analysed: PendingAnalysis | Sequence[Analysed]) -> RunSummary:
        """Deduplicate, cluster and write a batch in one transaction."""
        if isinstance(analysed, PendingAnalysis):
            analysed = analysed.result()
        self._load_indices()
        assert self.near_index is not None and self.clusterer is not None
        logs = [a.page_log for a in analysed if a.page_log is not None]
        logs += [self._extract_log(a) for a in analysed if a.extract_error]
        self.summary.page_errors += sum(
            1 for a in analysed if a.page_outcome != "ok" or a.extract_error
        )
        keep = [a for a in analysed if a.text]
        with self.store.writer() as con:
            owners = Store.hash_owners(con, [a.content_hash for a in keep if a.content_hash])
            known = Store.known_in(con, [c for c in map(self._page_canonical, keep) if c])
            ids = Store.next_ids(con, "article_id_seq", len(keep))
            story_ids = IdBlock(con, "story_id_seq")
            articles = []
            touched: set[int] = set()
            for item, article_id in zip(keep, ids, strict=True):
                article = self._article(item, article_id, known)
                if article is None:
                    continue
                self._decide(article, owners, story_ids.next, touched, item.terms)
                articles.append(article)
            story_ids.close()
            Store.save_articles(con, articles, self.summary.run_id)
            Store.save_stories(con, self.clusterer.summaries(sorted(touched)))
            Store.refresh_story_facts(con, touched)
            Store.log_fetches(con, logs)
            checkpoint("write")
        self.summary.stories_touched += len(touched)
        checkpoint("batch")
        return self.summary

    def _extract_log(self, item: Analysed) -> FetchLogRow:
        """A fetch_log row for a page whose text could not be extracted."""
        return FetchLogRow(
            run_id=self.summary.run_id,
            at=utcnow(),
            kind="extract",
            feed_id=item.entry.feed_id,
            url=item.entry.url,
            status_code=None,
            outcome="extraction_empty",
            bytes=None,
            elapsed_ms=None,
            error=item.extract_error,
        )

    def _load_indices(self) -> None:
        """Load the near-duplicate index and open stories once per run."""
        if self.near_index is not None:
            return
        threshold = self.config.near_duplicate_threshold
        self.near_index = (
            NearDuplicateIndex(threshold=threshold) if threshold else NearDuplicateIndex()
        )
        for article_id, signature in self.store.recent_signatures(NEAR_DUPLICATE_DAYS):
            self.near_index.add(article_id, signature)
        params: dict[str, Any] = {"window_days": self.config.story_window_days}
        if self.config.story_threshold:
            params["threshold"] = self.config.story_threshold
        self.clusterer = StoryClusterer(**params)
        self.clusterer.load(
            StoryArticle(
                article_id=r["article_id"],
                title=r["title"],
                text=r["text"],
                published_at=r["published_at"],
                source=r["source"],
                actors=frozenset(r["actors"] or ()),
                story_id=r["story_id"],
            )
            for r in self.store.open_story_articles(self.config.story_window_days)
        )

    @staticmethod
    def _page_canonical(item: Analysed) -> str | None:
        """The page's <link rel=canonical> when it is on the same site and differs from the
        entry's link (it then wins as the article's identity)."""
        entry, meta = item.entry, item.extracted
        if not (meta and meta.canonical_url and entry.body is None):
            return None
        if host_of(meta.canonical_url) != host_of(entry.url):
            return None
        canonical = canonical_url(meta.canonical_url)
        return canonical if canonical != entry.canonical_url else None

    def _article(self, item: Analysed, article_id: int, known: set[str]) -> Article | None:
        """An Article from an analysed entry; None when its canonical URL is already stored."""
        entry, meta = item.entry, item.extracted
        canonical = self._page_canonical(item) or entry.canonical_url
        if canonical != entry.canonical_url:
            if canonical in self._seen_urls or canonical in known:
                logger.info("%s is %s, already stored", entry.url, canonical)
                return None
            self._seen_urls.add(canonical)
        text = item.text or ""
        if entry.body is not None:  # folder documents: the sidecar's metadata is the user's word
            title = entry.title or (meta.title if meta else None)
            author = entry.author or (meta.author if meta else None)
        else:
            title = (meta.title if meta and meta.title else None) or entry.title
            author = (meta.author if meta and meta.author else None) or entry.author
        return Article(
            article_id=article_id,
            feed_id=entry.feed_id,
            url=entry.url,
            canonical_url=canonical,
            guid=entry.guid,
            title=title or first_line(text),
            author=author,
            published_at=published_at(entry, meta),
            first_seen_at=utcnow(),
            language=meta.language if meta else None,
            site_name=(
                entry.source or (meta.site_name if meta else None) or host_of(entry.url) or None
            ),
            text=text,
            summary=entry.summary or item.lead,
            word_count=len(text.split()),
            content_hash=item.content_hash or "",
            extraction_method=item.method or "feed_summary",
            minhash=item.minhash,
            mentions=item.mentions,
            candidates=item.candidates,
            stances=item.stances,
        )

    def _decide(
        self,
        article: Article,
        owners: dict[str, tuple[int, int | None]],
        new_story_id: Callable[[], int],
        touched: set[int],
        terms: TermVector | None = None,
    ) -> None:
        """Set duplicate_of, near_duplicate_of and story_id; update the in-run indices."""
        assert self.near_index is not None and self.clusterer is not None
        owner = owners.get(article.content_hash) or self._seen_hashes.get(article.content_hash)
        if owner is not None:
            article.duplicate_of = owner[0]
            article.story_id = owner[1]
            article.mentions, article.candidates, article.stances = [], [], []
            article.minhash = None
            self.summary.duplicates += 1
            return
        if article.minhash:
            match = self.near_index.query(article.minhash)
            if match is not None:
                article.near_duplicate_of, article.near_duplicate_similarity = match
                self.summary.near_duplicates += 1
            self.near_index.add(article.article_id, article.minhash)
        story_input = StoryArticle(
            article_id=article.article_id,
            title=article.title or "",
            text=article.text,
            published_at=article.published_at or article.first_seen_at,
            source=article.site_name or article.feed_id,
            actors=frozenset(m.via_actor_id or m.actor_id for m in article.mentions),
            near_duplicate_of=article.near_duplicate_of,
            terms=terms,
        )
        article.story_id = self.clusterer.assign(story_input, new_story_id)
        touched.add(article.story_id)
        self._seen_hashes[article.content_hash] = (article.article_id, article.story_id)
        self.summary.new_articles += 1

    # stage 6
    def finish(self, polls: Sequence[FeedPoll], error: str | None = None) -> RunSummary:
        """Write feed states and feed fetch_log rows, and close the run."""
        self._stop_pool()
        summary = self.summary
        summary.feeds_polled = len(polls)
        summary.feeds_failed = sum(1 for p in polls if p.failed)
        if error:
            summary.status, summary.message = "failed", error
        elif summary.errors:
            summary.status = "partial"
        updates = [self._feed_update(p) for p in polls]
        logs = [self._poll_log(p) for p in polls]
        counts = {
            "feeds_polled": summary.feeds_polled,
            "entries_seen": summary.entries_seen,
            "new_articles": summary.new_articles,
            "duplicates": summary.duplicates,
            "errors": summary.errors,
        }
        assert summary.run_id is not None
        self._save_robots()
        with self.store.writer() as con:
            Store.update_feeds(con, updates)
            Store.log_fetches(con, logs)
            self.store.finish_run(con, summary.run_id, summary.status, counts, summary.message)
        if summary.new_articles and not error:
            self._drop_indices()
            try:
                refresh_fulltext(self.store)
            except StoreError as exc:
                logger.warning("full-text index not refreshed: %s", exc)
        return summary

    def _drop_indices(self) -> None:
        """Free the run's near-duplicate and story indices (a later batch reloads them) and hand
        the freed heap back to the system, so the full-text build does not add to it."""
        self.near_index = self.clusterer = None
        self._seen_hashes.clear()
        gc.collect()
        release_free_memory()

    def _poll_log(self, poll: FeedPoll) -> FetchLogRow:
        """The fetch_log row of a feed poll."""
        return FetchLogRow(
            run_id=self.summary.run_id,
            at=poll.polled_at,
            kind="feed",
            feed_id=poll.feed.feed_id,
            url=poll.feed.url,
            status_code=poll.status_code,
            outcome=poll.outcome,
            bytes=poll.bytes,
            elapsed_ms=poll.elapsed_ms,
            error=poll.error,
        )

    def _feed_update(self, poll: FeedPoll) -> FeedUpdate:
        """Next poll time and health after a poll: linear backoff on failure, capped at 24 h."""
        state = self._states.get(poll.feed.feed_id) or FeedState(feed_id=poll.feed.feed_id)
        minutes = poll.feed.poll_minutes or self.config.poll_minutes
        now = poll.polled_at
        if poll.failed:
            failures = state.consecutive_failures + 1
            delay = min(timedelta(minutes=minutes * (1 + failures)), MAX_BACKOFF)
            if poll.retry_after_s:
                delay = max(delay, timedelta(seconds=poll.retry_after_s))
            return FeedUpdate(
                feed_id=poll.feed.feed_id,
                last_polled_at=now,
                last_status=poll.outcome,
                last_error=poll.error,
                last_success_at=None,
                etag=state.etag,
                last_modified=state.last_modified,
                body_hash=state.body_hash,
                consecutive_failures=failures,
                next_poll_at=now + delay,
                disabled=failures >= self.config.max_failures,
                items_last_poll=0,
                new_items_last_poll=0,
            )
        return FeedUpdate(
            feed_id=poll.feed.feed_id,
            last_polled_at=now,
            last_status=poll.outcome,
            last_error=None,
            last_success_at=now,
            etag=poll.etag,
            last_modified=poll.last_modified,
            body_hash=poll.body_hash,
            consecutive_failures=0,
            next_poll_at=now + timedelta(minutes=minutes),
            disabled=False,
            items_last_poll=len(poll.entries),
            new_items_last_poll=sum(1 for e in poll.entries if e.canonical_url in self._seen_urls),
        )


def checkpoint(name: str) -> None:
    """A named point where MONITOR_PAUSE_AT=name:seconds[:nth] pauses (crash-safety tests)."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    parts = wanted.split(":")
    point, seconds, nth = parts[0], (parts[1:2] or ["5"])[0], (parts[2:3] or ["1"])[0]
    if point != name:
        return
    _CHECKPOINTS[name] = _CHECKPOINTS.get(name, 0) + 1
    if _CHECKPOINTS[name] == int(nth):
        print(f"monitor: paused at {name} #{nth}", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _glibc() -> Any:
    """glibc, for its malloc tuning calls; None on other platforms."""
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def tune_heap(arenas: int = HEAP_ARENAS) -> None:
    """Keep glibc's malloc from holding freed memory: cap its arenas (one per busy thread by
    default, up to 8 per core, each keeping its own freed memory) and fix the size above which
    a block gets its own mapping, returned to the system when freed (glibc raises it to the
    largest block freed, up to 32 MB: page bodies and a batch's JSON then come from the heap,
    whose holes it keeps)."""
    with contextlib.suppress(AttributeError):
        if (libc := _glibc()) is not None:
            libc.mallopt(M_ARENA_MAX, arenas)
            libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; a no-op elsewhere)."""
    with contextlib.suppress(AttributeError):
        if (libc := _glibc()) is not None:
            libc.malloc_trim(0)


def _uses_pool(batch: Sequence[object]) -> bool:
    """True for a batch large enough to be analysed in the process pool."""
    return len(batch) >= POOL_MIN_PAGES


def _is_url(value: str | None) -> bool:
    """True for a GUID that is a URL (other GUIDs are only unique within their feed)."""
    return bool(value) and str(value).startswith(("http://", "https://"))
