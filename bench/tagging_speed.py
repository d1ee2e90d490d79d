"""Tagging speed: actors and stances per second in one process.

Run on one core: `taskset -c 0 .venv/bin/python bench/tagging_speed.py`.
"""

from __future__ import annotations

import time
from pathlib import Path

from monitor.actors import load_registry, tag_actors
from monitor.extract import extract_page
from monitor.stance import RuleStanceTagger, load_topics

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
LONG_WORDS = 600


def corpus() -> tuple[list[str], list[str]]:
    """The two seed articles, and ~600-word articles joined from the extraction fixtures."""
    seeds = [extract_page(p.read_bytes()) for p in sorted((ROOT / "seeds/site").glob("*.html"))]
    seed_texts = [s.text for s in seeds if s is not None]
    bodies = [
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "tests/data/extraction").glob("*.expected.txt"))
    ]
    joined, buffer = [], ""
    for body in bodies:
        buffer += "\n\n" + body
        if len(buffer.split()) >= LONG_WORDS:
            joined.append(buffer.strip())
            buffer = ""
    return seed_texts, joined


def rate(texts: list[str]) -> float:
    """Best articles per second over ROUNDS passes of actor and stance tagging."""
    registry, topics, tagger = load_registry(), load_topics(), RuleStanceTagger()
    best = 0.0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for text in texts:
            mentions, _ = tag_actors(text, registry)
            tagger.tag(text, mentions, registry, topics)
        best = max(best, len(texts) / (time.perf_counter() - start))
    return best


def main() -> None:
    """Print articles per second for the seeds and for ~600-word articles."""
    seeds, long_articles = corpus()
    for name, texts in (("seeds", seeds * 20), ("~600-word articles", long_articles)):
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(
            f"{name}: {len(texts)} articles, mean {words:.0f} words: "
            f"{rate(texts):.0f} articles/s (best of {ROUNDS}, one process)"
        )


if __name__ == "__main__":
    main()
