"""One cold ingest in this process, without Prefect: the main process's own CPU time and memory.

Run from the repository root: .venv/bin/python -m bench.inprocess [FEEDS] [ITEMS]

The simulator runs in a forked child, so the CPU time printed is the pipeline's alone (fetching,
feed parsing, deduplication, clustering, writing, the full-text refresh); the extraction workers
are separate processes, as in `monitor ingest`. Resident memory is sampled every 50 ms and its
peak reported per stage. `make bench` measures the real `monitor ingest` subprocess instead.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from bench.run import write_config
from bench.simulator import NewsWeb
from monitor.config import load_config
from monitor.pipeline import Ingest, tune_heap

POLL_THREADS = 16  # as flows/ingest.py
SAMPLE_S = 0.05


def _serve(feeds: int, items: int, conn: Connection) -> None:
    """Serve the simulated news web until told to stop."""
    with NewsWeb(feeds, items) as web:
        conn.send(web.feed_urls)
        conn.recv()


def _rss_mb() -> int:
    """This process's resident memory in MB."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


class _Peaks:
    """The peak resident memory of each named stage, sampled in a thread."""

    def __init__(self) -> None:
        self.stage = "start"
        self.peaks: dict[str, int] = {}
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        """Record the current stage's peak until the process ends."""
        while True:
            stage, rss = self.stage, _rss_mb()
            self.peaks[stage] = max(self.peaks.get(stage, 0), rss)
            time.sleep(SAMPLE_S)


def ingest(config_path: Path, peaks: _Peaks) -> str:
    """The ingest flow's steps as plain calls: poll, then batches three deep, then finish."""
    config = load_config(str(config_path))
    with Ingest(config, all_feeds=True) as job, ThreadPoolExecutor(POLL_THREADS) as threads:
        peaks.stage = "poll"
        feeds = job.begin()
        polls = list(threads.map(job.poll, feeds))
        batches = job.batches(job.select(polls))
        job.start_workers(batches)
        peaks.stage = "batches"
        fetching = threads.submit(job.fetch, batches[0]) if batches else None
        analysing = None
        for i in range(len(batches)):
            assert fetching is not None
            pages = fetching.result()
            fetching = threads.submit(job.fetch, batches[i + 1]) if i + 1 < len(batches) else None
            started = job.analyse(pages)
            if analysing is not None:
                job.store_batch(analysing)
            analysing = started
        if analysing is not None:
            job.store_batch(analysing)
        peaks.stage = "finish (full-text refresh)"
        return job.finish(polls).line()


def main(argv: list[str]) -> None:
    """Serve, ingest, print wall time, CPU time and memory peaks."""
    feeds, items = (int(argv[0]), int(argv[1])) if len(argv) >= 2 else (50, 40)
    tune_heap()  # as `monitor ingest` does
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    server = context.Process(target=_serve, args=(feeds, items, there), daemon=True)
    server.start()
    urls = here.recv()
    with tempfile.TemporaryDirectory(prefix="monitor-inprocess-") as work:
        config_path = write_config(Path(work), urls)
        os.chdir(work)
        peaks = _Peaks()
        began, cpu = time.perf_counter(), time.process_time()
        line = ingest(config_path, peaks)
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        os.chdir(Path(__file__).resolve().parent.parent)
    here.send("stop")
    server.join()
    print(line)
    print(f"wall {wall:.1f} s, main process CPU {cpu:.1f} s")
    print("peak RSS by stage (MB):", ", ".join(f"{k} {v}" for k, v in peaks.peaks.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
