"""Fill a database with synthetic articles, mentions, stances and stories, in bulk through Arrow.

    .venv/bin/python -m bench.generate DB [N]      (default N = 100000)

Distributions: ~200 actors of the shipped registry (120 countries, 60 people with their
affiliation as via_actor_id, 20 organisations) named with Zipf-like frequencies, 3-15 mentions
per article; the 4 shipped topics; stories start over the year before now, their articles
within 60 h; 30% of articles carry 1-3 stances (support 40%, oppose 35%, neutral 25%); 3% of
articles are exact duplicates of an earlier one (no mentions, no stances); about four articles
per story; 40 sources. Text is drawn from a pool of sentences of bench.textgen, 150-1000 words
per article.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import sys
import time
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from bench import textgen
from monitor.models import Mention, Stance
from monitor.store import Store

logger = logging.getLogger(__name__)

CHUNK = 10_000
SENTENCE_POOL = 20_000
N_COUNTRIES, N_PEOPLE, N_ORGS = 120, 60, 20
TOPICS = ("russia-dialogue", "pressure-on-russia", "troops-to-ukraine", "military-aid-ukraine")
POLARITIES = ("support", "oppose", "neutral")
POLARITY_WEIGHTS = (0.40, 0.35, 0.25)
STANCE_SHARE = 0.3
DUPLICATE_SHARE = 0.03
ARTICLES_PER_STORY = 4
SOURCES = 40
DAYS = 365


def _actors() -> list[tuple[str, str | None]]:
    """(actor_id, via_actor_id) of the ~200 actors, most mentioned first."""
    data = json.loads(textgen.ACTORS_FILE.read_text(encoding="utf-8"))["actors"]
    cast = textgen.cast()
    countries = [(c[0], None) for c in cast.countries[:N_COUNTRIES]]
    people = [(a["id"], a.get("affiliation")) for a in data if a["type"] == "person"][:N_PEOPLE]
    orgs = [(o[0], None) for o in cast.organisations[:N_ORGS]]
    mixed = countries[:20] + people[:10] + orgs[:5] + countries[20:] + people[10:] + orgs[5:]
    return mixed


def _columns(part: type) -> list[str]:
    """The columns of a per-article table: article_id, then the dataclass's fields."""
    return ["article_id", *(f.name for f in fields(part))]


class Generator:
    """Draws articles chunk by chunk and writes them with their mentions, stances, stories."""

    def __init__(self, store: Store, seed: int = 0, now: datetime | None = None) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.now = now or datetime.now(UTC)
        self.actors = _actors()
        self.weights = [1.0 / (i + 1) ** 0.9 for i in range(len(self.actors))]
        self.sentences = [textgen.sentence(self.rng, 0.05) for _ in range(SENTENCE_POOL)]
        self.sources = [f"{textgen.cast().countries[i][1]} Daily" for i in range(SOURCES)]
        self._story_start: dict[int, datetime] = {}

    def _ids(self) -> tuple[int, int]:
        """The highest article_id and story_id stored."""
        _, rows = self.store.query(
            "SELECT coalesce(max(article_id), 0), coalesce(max(story_id), 0) FROM articles"
        )
        return int(rows[0][0]), int(rows[0][1])

    def fill(self, n: int) -> float:
        """Add n articles (after those stored); returns the seconds it took."""
        started = time.monotonic()
        self.store.migrate()
        last_article, last_story = self._ids()
        done = 0
        while done < n:
            size = min(CHUNK, n - done)
            self._write_chunk(
                last_article + done + 1, size, last_story + (done // ARTICLES_PER_STORY)
            )
            done += size
        with self.store.writer() as con:
            Store.next_ids(con, "article_id_seq", n)
            Store.next_ids(con, "story_id_seq", n // ARTICLES_PER_STORY + 1)
        return time.monotonic() - started

    def _write_chunk(self, first_id: int, size: int, first_story: int) -> None:
        """Draw and insert `size` articles starting at first_id."""
        rng = self.rng
        cols: dict[str, list] = {
            k: []
            for k in (
                "article_id",
                "feed_id",
                "url",
                "canonical_url",
                "title",
                "published_at",
                "first_seen_at",
                "language",
                "site_name",
                "text",
                "word_count",
                "content_hash",
                "duplicate_of",
                "story_id",
                "extraction_method",
            )
        }
        mentions: dict[str, list] = {k: [] for k in _columns(Mention)}
        stances: dict[str, list] = {k: [] for k in _columns(Stance)}
        stories: dict[int, list] = {}
        texts: dict[int, tuple[str, str, int]] = {}
        for i in range(size):
            article_id = first_id + i
            story_id = first_story + i // ARTICLES_PER_STORY + 1
            if story_id not in self._story_start:
                self._story_start[story_id] = self.now - timedelta(days=rng.uniform(0, DAYS))
            published = self._story_start[story_id] + timedelta(hours=rng.uniform(0, 60))
            source = rng.choice(self.sources)
            duplicate_of = None
            if texts and rng.random() < DUPLICATE_SHARE:
                duplicate_of = rng.choice(list(texts)[-50:])
                title, text, _ = texts[duplicate_of]
                story_id = texts[duplicate_of][2]
            else:
                title = textgen.headline(rng)
                words, parts = rng.randint(150, 1000), []
                while words > 0:
                    sentence = rng.choice(self.sentences)
                    parts.append(sentence)
                    words -= sentence.count(" ") + 1
                text = " ".join(parts)
                texts[article_id] = (title, text, story_id)
                self._tag(article_id, text, mentions, stances)
            url = f"https://news{rng.randint(1, SOURCES)}.example/a/{article_id}"
            for key, value in (
                ("article_id", article_id),
                ("feed_id", source.lower().replace(" ", "-")),
                ("url", url),
                ("canonical_url", url),
                ("title", title),
                ("published_at", published),
                ("first_seen_at", published + timedelta(minutes=rng.uniform(1, 90))),
                ("language", "en"),
                ("site_name", source),
                ("text", text),
                ("word_count", text.count(" ") + 1),
                ("content_hash", hashlib.sha256(text.encode()).hexdigest()),
                ("duplicate_of", duplicate_of),
                ("story_id", story_id),
                ("extraction_method", "trafilatura"),
            ):
                cols[key].append(value)
            if duplicate_of is None:
                stories.setdefault(story_id, []).append((article_id, title, published, source))
        story_rows = self._stories(stories)
        with self.store.writer() as con:
            for table, data in (
                ("articles", cols),
                ("actor_mentions", mentions),
                ("stances", stances),
                ("stories", story_rows),
            ):
                con.register("_gen", pa.table(data))
                try:
                    if table == "stories":
                        con.execute(
                            "DELETE FROM stories WHERE story_id IN (SELECT story_id FROM _gen)"
                        )
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _gen")
                finally:
                    con.unregister("_gen")
            Store.refresh_story_facts(con, set(cols["story_id"]))  # what story_overview reads

    def _tag(
        self, article_id: int, text: str, mentions: dict[str, list], stances: dict[str, list]
    ) -> None:
        """Draw the mentions and stances of one article."""
        rng = self.rng
        named = rng.choices(range(len(self.actors)), self.weights, k=rng.randint(3, 15))
        length = len(text)
        for j, index in enumerate(sorted(named)):
            actor_id, via = self.actors[index]
            start = rng.randint(0, max(0, length - 20))
            for key, value in (
                ("article_id", article_id),
                ("actor_id", actor_id),
                ("surface", actor_id),
                ("sentence_index", j),
                ("char_start", start),
                ("char_end", start + 8),
                ("via_actor_id", via),
            ):
                mentions[key].append(value)
        if rng.random() >= STANCE_SHARE:
            return
        for _ in range(rng.randint(1, 3)):
            actor_id, via = self.actors[rng.choice(named)]
            start = rng.randint(0, max(0, length - 200))
            for key, value in (
                ("article_id", article_id),
                ("actor_id", via or actor_id),
                ("topic_id", rng.choice(TOPICS)),
                ("polarity", rng.choices(POLARITIES, POLARITY_WEIGHTS)[0]),
                ("confidence", round(rng.uniform(0.5, 0.95), 2)),
                ("evidence", text[start : start + 200]),
                ("char_start", start),
                ("char_end", start + 200),
                ("method", "rules"),
            ):
                stances[key].append(value)

    def _stories(self, stories: dict[int, list]) -> dict[str, list]:
        """Rows of the stories table from their articles."""
        rows: dict[str, list] = {
            k: []
            for k in (
                "story_id",
                "title",
                "first_seen_at",
                "last_seen_at",
                "n_articles",
                "n_sources",
                "central_article_id",
            )
        }
        for story_id, members in stories.items():
            times = [m[2] for m in members]
            for key, value in (
                ("story_id", story_id),
                ("title", members[0][1]),
                ("first_seen_at", min(times)),
                ("last_seen_at", max(times)),
                ("n_articles", len(members)),
                ("n_sources", len({m[3] for m in members})),
                ("central_article_id", members[0][0]),
            ):
                rows[key].append(value)
        return rows


def main(argv: list[str]) -> int:
    """Fill the database named on the command line."""
    logging.basicConfig(level=logging.INFO)
    path, n = Path(argv[0]), int(argv[1]) if len(argv) > 1 else 100_000
    seconds = Generator(Store(path)).fill(n)
    print(f"{n} articles written to {path} in {seconds:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
