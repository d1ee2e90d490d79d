"""Tagging speed: actors and stances per second in one process.

Run on one core: `taskset -c 0 .venv/bin/python bench/tagging_speed.py`. Times are the CPU time
of this process (best of ROUNDS), so other load on a shared machine counts less; actor tagging
(`tag_actors`) and stance tagging (`RuleStanceTagger.tag`) are timed separately, as the ingest
workers call them, one after the other on each article.
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


def timings(texts: list[str]) -> tuple[float, float]:
    """Best ms per article over ROUNDS passes: (actor tagging, stance tagging)."""
    registry, topics, tagger = load_registry(), load_topics(), RuleStanceTagger()
    best_actors = best_stances = float("inf")
    for _ in range(ROUNDS):
        actors_time = stances_time = 0.0
        for text in texts:
            start = time.process_time()
            mentions, _ = tag_actors(text, registry)
            middle = time.process_time()
            tagger.tag(text, mentions, registry, topics)
            actors_time += middle - start
            stances_time += time.process_time() - middle
        best_actors = min(best_actors, actors_time)
        best_stances = min(best_stances, stances_time)
    return 1000 * best_actors / len(texts), 1000 * best_stances / len(texts)


def main() -> None:
    """Print articles per second, and ms per article for each step, for both corpora."""
    seeds, long_articles = corpus()
    for name, texts in (("seeds", seeds * 20), ("~600-word articles", long_articles)):
        words = sum(len(t.split()) for t in texts) / len(texts)
        actors_ms, stances_ms = timings(texts)
        print(
            f"{name}: {len(texts)} articles, mean {words:.0f} words: "
            f"{1000 / (actors_ms + stances_ms):.0f} articles/s (actors {actors_ms:.2f} ms + "
            f"stances {stances_ms:.2f} ms per article; best of {ROUNDS}, one process)"
        )


if __name__ == "__main__":
    main()
