"""The ingest flow: poll feeds, fetch and extract new articles, deduplicate, tag, store."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.runtime import task_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from monitor.config import load_config
from monitor.models import Entry, FeedSpec
from monitor.pipeline import FeedPoll, Ingest, PendingAnalysis, RunSummary

# feeds polled at once, as many as fetch.max_workers allows by default (Prefect's own default
# is a thread per feed: 50 feeds, 50 threads, each keeping its stack once idle)
POLL_THREADS = 16
T = TypeVar("T")


def as_is(value: T) -> T:
    """The value, marked so that Prefect passes it to a task as it is, without walking through
    every page of a batch for futures (about 25 ms per 200-page task otherwise)."""
    return cast(T, quote(value))


@task(name="poll-feed", task_run_name="poll {feed.name}", cache_policy=NO_CACHE)
def poll_feed(job: Ingest, feed: FeedSpec) -> FeedPoll:
    """Fetch and parse one feed; timeouts and connection errors are retried with backoff."""
    last_try = task_run.run_count > job.config.fetch.retries
    return job.poll(feed, raise_transient=not last_try)


@task(name="fetch-pages", cache_policy=NO_CACHE)
def fetch_pages(job: Ingest, batch: list[Entry]) -> list[Any]:
    """Fetch the article pages of one batch."""
    return job.fetch(batch)


@task(name="analyse-pages", cache_policy=NO_CACHE)
def analyse_pages(job: Ingest, pages: list[Any]) -> PendingAnalysis:
    """Start extracting, hashing and tagging the pages of one batch (process pool)."""
    return job.analyse(pages)


@task(name="store-batch", cache_policy=NO_CACHE)
def store_batch(job: Ingest, analysed: PendingAnalysis) -> RunSummary:
    """Deduplicate, cluster and write one batch in a single transaction."""
    return job.store_batch(analysed)


# (the ignore: Prefect types TaskRunner's future parameter as invariant)
@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=POLL_THREADS))  # type: ignore[arg-type]
def ingest_flow(config_path: str | None = None, all_feeds: bool = False) -> dict[str, Any]:
    """Poll the feeds that are due and store their new articles."""
    logger = get_run_logger()
    config = load_config(config_path)
    retries = config.fetch.retries
    delays = [config.fetch.retry_delay_s * 2**i for i in range(retries)] or [0.0]
    poll = poll_feed.with_options(retries=retries, retry_delay_seconds=delays)
    with Ingest(config, all_feeds=all_feeds) as job:
        feeds = job.begin()
        if job.skipped:
            logger.warning(job.summary.line())
            return {"line": job.summary.line(), **vars(job.summary)}
        polls: list[FeedPoll] = []
        try:
            # poll_feed returns a result on its last try (retries only re-raise transient
            # network errors), and Ingest.poll turns any other failure into a recorded poll
            polls = [future.result() for future in poll.map(unmapped(job), feeds)]
            entries = job.select(polls)
            logger.info("%d feeds polled, %d new entries", len(polls), len(entries))
            batches = job.batches(entries)
            # a pipeline three batches deep: fetch i+1, analyse i (pool), store i-1 (here)
            fetch = fetch_pages.submit
            fetching = fetch(job, as_is(batches[0])) if batches else None
            job.start_workers(batches)  # the workers' start-up overlaps the first fetch
            analysing: PendingAnalysis | None = None
            for i in range(len(batches)):
                assert fetching is not None
                pages = fetching.result()
                fetching = fetch(job, as_is(batches[i + 1])) if i + 1 < len(batches) else None
                started = analyse_pages(job, as_is(pages))
                if analysing is not None:
                    store_batch(job, as_is(analysing))
                analysing = started
            if analysing is not None:
                store_batch(job, as_is(analysing))
        except BaseException as exc:
            try:
                job.finish(polls, error=f"{type(exc).__name__}: {exc}")
            except Exception as finish_exc:  # the database may be the problem; startup repairs
                logger.error("could not record the failed run: %s", finish_exc)
            raise
        summary = job.finish(polls)
        logger.info(summary.line())
        return {"line": summary.line(), **vars(summary)}
