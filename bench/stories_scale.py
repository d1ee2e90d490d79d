"""Scaling of story clustering: time to cluster N synthetic articles at two sizes.

Run from the repository root: .venv/bin/python bench/stories_scale.py [small] [large]

The generator draws N articles in about N/4 stories spread over 60 days: each story has its own
topic words and a couple of shared "actor" words, each article mixes topic words with
Zipf-distributed background vocabulary. Articles arrive in time order, as in ingest. The
clusterer must not compare every pair, so the time per article should stay roughly flat as the
density of stories grows: the larger run should take at most 5x the smaller for 4x the articles.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from monitor.stories import StoryArticle, bcubed, cluster

DAYS = 60.0
ARTICLES_PER_STORY = 4
VOCABULARY = 30_000
ACTORS = 300
TOPIC_WORDS = 14
WORDS_PER_ARTICLE = 160
TOPIC_SHARE = 0.3
SPREAD_HOURS = 30.0
START = datetime(2026, 1, 1, tzinfo=UTC)
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]


def _words(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct pronounceable pseudo-words of two to four syllables."""
    seen: dict[str, None] = {}
    while len(seen) < n:
        size = int(rng.integers(2, 5))
        seen.setdefault("".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), size)))
    return list(seen)


def generate(n: int, seed: int = 0) -> tuple[list[StoryArticle], list[str]]:
    """n synthetic articles in about n/4 stories over DAYS days, with their story labels."""
    rng = np.random.default_rng(seed)
    vocabulary = _words(rng, VOCABULARY + ACTORS)
    background, actors = vocabulary[:VOCABULARY], vocabulary[VOCABULARY:]
    zipf = 1.0 / np.arange(1, VOCABULARY + 1)
    zipf /= zipf.sum()
    n_stories = max(1, n // ARTICLES_PER_STORY)
    rows = []
    for story in range(n_stories):
        topic = [background[i] for i in rng.choice(VOCABULARY, TOPIC_WORDS, replace=False)]
        cast = [actors[i] for i in rng.choice(ACTORS, 2, replace=False)]
        start = START + timedelta(days=float(rng.uniform(0, DAYS)))
        for _ in range(ARTICLES_PER_STORY):
            n_topic = int(WORDS_PER_ARTICLE * TOPIC_SHARE)
            words = [topic[i] for i in rng.integers(0, TOPIC_WORDS, n_topic)]
            words += cast * 3
            words += [
                background[i]
                for i in rng.choice(VOCABULARY, WORDS_PER_ARTICLE - len(words), p=zipf)
            ]
            rng.shuffle(words)
            title = " ".join([*(topic[i] for i in rng.integers(0, TOPIC_WORDS, 3)), cast[0]])
            when = start + timedelta(hours=float(rng.uniform(0, SPREAD_HOURS)))
            rows.append((when, title, " ".join(words), f"source{int(rng.integers(0, 40))}", story))
    rows.sort(key=lambda r: r[0])
    articles = [
        StoryArticle(article_id=i, title=t, text=x, published_at=w, source=s)
        for i, (w, t, x, s, _) in enumerate(rows[:n], start=1)
    ]
    return articles, [str(r[4]) for r in rows[:n]]


def measure(n: int, seed: int = 0) -> tuple[float, dict[str, float]]:
    """Seconds to cluster n generated articles, and the B-cubed scores of the result."""
    articles, labels = generate(n, seed)
    started = time.perf_counter()
    predicted = cluster(articles)
    elapsed = time.perf_counter() - started
    return elapsed, bcubed(predicted, labels)


def main(argv: list[str]) -> None:
    """Print the times at two sizes and their ratio."""
    small = int(argv[0]) if argv else 2_500
    large = int(argv[1]) if len(argv) > 1 else 10_000
    small_s, small_q = measure(small)
    large_s, large_q = measure(large)
    for n, seconds, quality in ((small, small_s, small_q), (large, large_s, large_q)):
        print(
            f"{n:>6} articles: {seconds:7.2f} s ({n / seconds:6.0f} articles/s), "
            f"B-cubed F1 {quality['f1']:.3f}"
        )
    print(f"ratio {large_s / small_s:.2f} for {large / small:.1f}x the articles")


if __name__ == "__main__":
    main(sys.argv[1:])
