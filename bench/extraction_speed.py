"""Extraction speed on simulator pages: monitor's extract_page against bare trafilatura.extract.

`.venv/bin/python -m bench.extraction_speed` (one process, 120 pages of ~122 KB).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

import trafilatura

from bench.simulator import make_template, render_article
from monitor.extract import extract_page

PAGES = 120
TEMPLATES = 60


def pages() -> list[str]:
    """Simulator article pages over all templates."""
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return [
        render_article(make_template(i % TEMPLATES), f"s{i}", f"https://site{i}.example/a", when)[1]
        for i in range(PAGES)
    ]


def per_page_ms(func: Callable[[str], object], docs: list[str]) -> float:
    """Mean milliseconds per page."""
    start = time.perf_counter()
    for doc in docs:
        func(doc)
    return (time.perf_counter() - start) / len(docs) * 1000


def main() -> None:
    """Print ms per page for both extractors."""
    docs = pages()
    kb = sum(len(d) for d in docs) / len(docs) / 1024
    print(f"{len(docs)} pages, {kb:.0f} KB on average")
    print(f"trafilatura.extract: {per_page_ms(trafilatura.extract, docs):.1f} ms/page")
    print(f"monitor extract_page: {per_page_ms(extract_page, docs):.1f} ms/page")


if __name__ == "__main__":
    main()
