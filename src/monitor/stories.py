"""Stories: incremental grouping of articles about the same event.

An article joins the most similar open story whose score reaches the threshold, or starts a
new story. The score of an article against a story of n members m_1..m_n is

    decay(gap) * ((1 - TITLE_WEIGHT) * fit(text) + TITLE_WEIGHT * fit(title)
                  + ACTOR_WEIGHT * mean over the article's actors of the share of members naming it)

    fit(v) = sum_j cos(v, m_j) / max(|sum_j u_j|, n / MAX_BOOST),   u_j = m_j / |m_j|

where texts are hashed bags of stemmed content words weighted by sublinear tf and an IDF taken
from the articles of the open stories (so the score is a function of the state alone, and
`load()` rebuilds it exactly), and `gap` is the time between the article and the nearest member
of the story. fit(v) is the group average (the mean cosine of v with the members) times the
story's cohesion boost n / |sum_j u_j|, capped at MAX_BOOST; uncapped it would be the cosine
with the centroid sum_j u_j. The cap is what keeps a story from snowballing: n unrelated
members with baseline pairwise cosine c0 have |sum_j u_j| ~ n sqrt(c0), so their centroid has a
cosine near sqrt(c0) with any article (0.22 for c0 = 0.05, above the threshold) while their
group average is c0. Likewise a mixed story names every actor, but each in few of its members.
For a single-member story, fit(v) is cos(v, member) and the actor term the share of the
article's actors that the member names.

A story closes when the latest article time seen has run `window_days` past its last member.
Candidate stories come from an inverted index (term -> open stories) probed with the article's
most heavily weighted terms, so an article is compared with a bounded number of stories, never
with every earlier article. Scoring a story costs one pass over its members' terms (cached end
to end per story): about a millisecond for 200 members.
"""

from __future__ import annotations

import heapq
import json
import logging
import re
import unicodedata
import zlib
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from monitor.dedup import NearDuplicateIndex, minhash_signature

logger = logging.getLogger(__name__)

WINDOW_DAYS = 3.0
STORY_THRESHOLD = 0.175  # middle of the gold set's plateau of B-cubed F1 >= 0.98 (0.16-0.19)
TITLE_WEIGHT = 0.2  # the title is compared with the members' texts
ACTOR_WEIGHT = 0.05  # burst of 333 events, tagged actors: B-cubed F1 0.936 at 0.1, 0.974 here
MAX_BOOST = 1.25  # cap of a story's cohesion boost: the least that leaves the gold set unchanged
DECAY_GRACE_DAYS = 1.0  # no decay while the article is this close to a member of the story
DECAY_HALF_LIFE_DAYS = 1.0  # beyond the grace period the score halves every this many days
QUERY_TERMS = 24  # the article's top-weighted terms used to probe the inverted index
MAX_CANDIDATES = 4  # stories scored in full per article, the best by the probe's partial dot
# (gold set: the same at 3-16; the burst: fewer is better, and 4 costs a quarter of 16)
MAX_POSTING = 1000  # terms in more open stories than this are skipped when probing
N_FEATURES = 1 << 20  # hashed feature space
WEIGHT_SCALE = float(1 << 24)  # per-article tf weights are stored as integers: exact sums
# 32-bit arrays: a member's vector and its share of its story's stack take half the memory
TERM = np.int32  # term ids (< N_FEATURES)
WEIGHT = np.int32  # scaled tf weights (<= WEIGHT_SCALE)
INDEX = np.int32  # positions within a story's stack
CLOSED_SUMMARIES_KEPT = 10_000
SECONDS_PER_DAY = 86_400.0

WORD = re.compile(r"[^\W_]+")
_STOPWORD_TEXT = """
    a about above after again against ago all almost also although am among an and another any
    are around as at be because been before being below between both but by can could did do
    does doing done down during each either else even ever every few for from further get gets
    got had has have having he her here hers herself him himself his how however i if in into
    is it its itself just last least less like made make makes many may me might more most
    much must my myself near neither new no nor not now of off often on once one only or other
    our ours ourselves out over own per quite rather really s said same say saying says see
    seen she should since so some still such t than that the their theirs them themselves then
    there these they this those though through thus to told too toward towards under until up
    upon us very via was we were what whatever when where whether which while who whom whose
    why will with within without would yet you your yours yourself according across already
    along amid week weeks day days year years time times month months today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday news report reports reported
    reporting statement added adding two three first second including include includes
    """
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
GENERIC_WEIGHT = 0.35  # weight of common news vocabulary relative to other content words
_GENERIC_TEXT = """
    official officials government minister ministry president prime country countries people
    state states national international world city region regional area areas local public
    group groups company companies firm firms million billion percent per cent number part
    told called call calls warned warn warning expected expect plan plans planned move moved
    take taken took give given gave come came going went need needed help helped make way ways
    well back high higher low lower large larger big small long short early late next former
    latest major key recent recently end ended start started began begin set left right around
    several whole total level levels rise rose fall fell leader leaders party parties talk
    talks meeting meet agreed agree deal support supported decision decided announce announced
    announcement show showed shows source sources spokesman spokeswoman spokesperson office
    head chief director member members council committee agency agencies authority authorities
    service services system systems work worked working market markets money cost costs price
    prices pay paid use used using home homes house family families child children man men
    woman women life lives place places case cases issue issues problem problems question
    questions point points hour hours minute minutes night morning evening weekend press media
    """
GENERIC_TERMS = frozenset(_GENERIC_TEXT.split())


@dataclass
class StoryArticle:
    """An article as the clusterer sees it."""

    article_id: int
    title: str
    text: str
    published_at: datetime  # event time (aware UTC): published_at, else first_seen_at
    source: str  # site/outlet name or host, for n_sources
    actors: frozenset[str] = frozenset()
    story_id: int | None = None  # set when loading history
    near_duplicate_of: int | None = None  # an earlier article this one nearly duplicates
    terms: TermVector | None = None  # vectorise(text), when computed beforehand (workers)


@dataclass
class StorySummary:
    """The stored description of a story."""

    story_id: int
    title: str
    first_seen_at: datetime
    last_seen_at: datetime
    n_articles: int
    n_sources: int
    central_article_id: int


@dataclass
class TermVector:
    """A sparse bag of hashed terms: sorted unique ids and integer weights."""

    terms: np.ndarray
    weights: np.ndarray


@dataclass
class _Query:
    """An article's vectors, weighted under the current IDF, for scoring against stories."""

    text: TermVector
    text_weighted: np.ndarray
    terms: np.ndarray  # sorted union of the text and title term ids
    weights: np.ndarray  # (len(terms), 2): the text's and the title's weights at those terms


@dataclass
class _Member:
    """A story member as kept for centrality and expiry."""

    article_id: int
    title: str
    published_at: datetime
    source: str
    text: TermVector | None  # None once the story's stack holds it (no second copy)


@dataclass
class _Story:
    """An open story: members, their stacked vectors, actors and time span."""

    story_id: int
    members: list[_Member] = field(default_factory=list)
    actors: Counter[str] = field(default_factory=Counter)  # actor -> members naming it
    # the members' distinct terms, sorted (the stack's own array once the stack is built)
    terms: np.ndarray = field(default_factory=lambda: np.empty(0, TERM))
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    stack: _Stack | None = None  # the members' vectors end to end, built when first scored

    def vectors(self) -> list[TermVector]:
        """The members' text vectors, in member order (cut from the stack once it exists)."""
        if self.stack is None:
            return [m.text for m in self.members if m.text is not None]
        stack = self.stack
        ends = np.cumsum(np.bincount(stack.owner, minlength=len(self.members))).tolist()
        starts = [0, *ends[:-1]]
        return [
            TermVector(stack.terms[stack.slot[a:b]], stack.weights[a:b])
            for a, b in zip(starts, ends, strict=True)
        ]


@dataclass
class _Stack:
    """Members' text vectors end to end: per entry its term's slot, tf weight and member."""

    terms: np.ndarray  # the distinct term ids of the members, sorted
    slot: np.ndarray  # per entry: the index of its term in `terms`
    weights: np.ndarray  # per entry: the member's scaled tf weight
    owner: np.ndarray  # per entry: the index of its member

    @classmethod
    def of(cls, vectors: Sequence[TermVector]) -> _Stack:
        """The stack of the given vectors, in order."""
        terms, slot = np.unique(np.concatenate([v.terms for v in vectors]), return_inverse=True)
        return cls(
            terms,
            slot.astype(INDEX),
            np.concatenate([v.weights for v in vectors]),
            np.repeat(np.arange(len(vectors), dtype=INDEX), [len(v.terms) for v in vectors]),
        )

    def plus(self, vector: TermVector, member: int, new: np.ndarray) -> _Stack:
        """This stack with the vector of one more member appended (equal to rebuilding it);
        new: the vector's terms missing from the stack."""
        terms = np.insert(self.terms, np.searchsorted(self.terms, new), new)
        shift = np.arange(len(self.terms)) + np.searchsorted(new, self.terms)
        return _Stack(
            terms,
            np.concatenate([shift[self.slot], np.searchsorted(terms, vector.terms)]).astype(INDEX),
            np.concatenate([self.weights, vector.weights]),
            np.concatenate([self.owner, np.full(len(vector.terms), member, dtype=INDEX)]),
        )


def _missing(known: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """The sorted terms that are not in the sorted array known."""
    position = np.searchsorted(known, terms)
    found = np.zeros(len(terms), dtype=bool)
    inside = position < len(known)
    found[inside] = known[position[inside]] == terms[inside]
    return terms[~found]


def _stem(word: str) -> str:
    """A light English suffix stripper (plurals, -ing, -ed)."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a text: case-folded, stopwords and single letters dropped."""
    words = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return [_stem(w) for w in words if len(w) > 1 and w not in STOPWORDS]


def _term_id(term: str) -> int:
    """The hashed feature id of a term."""
    return zlib.crc32(term.encode("utf-8")) & (N_FEATURES - 1)


@lru_cache(maxsize=1 << 18)
def _word_id(word: str) -> int:
    """The feature id of a case-folded word, -1 for stopwords and single letters."""
    if len(word) < 2 or word in STOPWORDS:
        return -1
    return _term_id(_stem(word))


GENERIC_IDS = np.array(sorted({_term_id(_stem(w)) for w in GENERIC_TERMS}), dtype=TERM)


def vectorise(text: str) -> TermVector:
    """Sublinear tf (1 + ln tf) of the hashed terms, L2-normalised, as scaled integers."""
    words = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    counts = Counter(i for i in map(_word_id, words) if i >= 0)
    if not counts:
        return TermVector(np.empty(0, TERM), np.empty(0, WEIGHT))
    terms = np.fromiter(sorted(counts), dtype=TERM, count=len(counts))
    tf = 1.0 + np.log(np.array([counts[t] for t in terms.tolist()], dtype=np.float64))
    tf[np.isin(terms, GENERIC_IDS, assume_unique=True)] *= GENERIC_WEIGHT
    weights = np.rint(tf / np.linalg.norm(tf) * WEIGHT_SCALE).astype(WEIGHT)
    return TermVector(terms, weights)


def _gap_days(when: datetime, story: _Story) -> float:
    """Days between a time and the nearest end of the story's time span (0 inside it)."""
    assert story.first_seen_at is not None and story.last_seen_at is not None
    if when > story.last_seen_at:
        return (when - story.last_seen_at).total_seconds() / SECONDS_PER_DAY
    if when < story.first_seen_at:
        return (story.first_seen_at - when).total_seconds() / SECONDS_PER_DAY
    return 0.0


def time_decay(gap_days: float, grace_days: float, half_life_days: float) -> float:
    """1 within the grace period, then halving every half_life_days."""
    if gap_days <= grace_days:
        return 1.0
    return 0.5 ** ((gap_days - grace_days) / half_life_days)


class StoryClusterer:
    """Incremental story clustering over a time-ordered stream of articles."""

    def __init__(
        self,
        window_days: float = WINDOW_DAYS,
        threshold: float = STORY_THRESHOLD,
        title_weight: float = TITLE_WEIGHT,
        actor_weight: float = ACTOR_WEIGHT,
        decay_grace_days: float = DECAY_GRACE_DAYS,
        decay_half_life_days: float = DECAY_HALF_LIFE_DAYS,
        query_terms: int = QUERY_TERMS,
        max_candidates: int = MAX_CANDIDATES,
        max_boost: float = MAX_BOOST,
    ):
        """An empty clusterer; see the module docstring for the score."""
        self.window_days = window_days
        self.threshold = threshold
        self.title_weight = title_weight
        self.actor_weight = actor_weight
        self.decay_grace_days = decay_grace_days
        self.decay_half_life_days = decay_half_life_days
        self.query_terms = query_terms
        self.max_candidates = max_candidates
        self.max_boost = max_boost
        self._stories: dict[int, _Story] = {}
        self._story_of: dict[int, int] = {}
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        self._n_docs = 0
        self._postings: dict[int, array[int]] = {}  # term -> ids of the open stories using it
        self._expiry: list[tuple[datetime, int]] = []
        self._clock: datetime | None = None
        self._closed: OrderedDict[int, StorySummary] = OrderedDict()

    @property
    def open_story_ids(self) -> list[int]:
        """Ids of the stories currently open."""
        return sorted(self._stories)

    def load(self, history: Iterable[StoryArticle]) -> None:
        """Rebuild state from the members (story_id set) of stories still open.

        Give history in (published_at, article_id) order and include every story whose last
        member is within window_days of the latest published_at in the history; extra older
        stories are harmless (they close on the next assign).
        """
        for article in history:
            if article.story_id is None:
                raise ValueError(f"history article {article.article_id} has no story_id")
            if article.article_id in self._story_of:
                continue
            self._advance_clock(article.published_at)
            self._add(article, self._stories.get(article.story_id) or self._open(article.story_id))

    def assign(self, article: StoryArticle, new_story_id: Callable[[], int]) -> int:
        """The story of a new article: the best open story above threshold, else a new one."""
        if article.article_id in self._story_of:
            return self._story_of[article.article_id]
        self._advance_clock(article.published_at)
        self._expire()
        text = article.terms if article.terms is not None else vectorise(article.text)
        story = self._story_of_original(article)
        if story is None:
            story = self._best_story(article, text)
        if story is None:
            story = self._open(new_story_id())
        self._add(article, story, text)
        return story.story_id

    def summaries(self, story_ids: Iterable[int]) -> list[StorySummary]:
        """Summaries of the given stories (open, or closed recently in this process)."""
        result = []
        for story_id in dict.fromkeys(story_ids):
            if story_id in self._stories:
                result.append(self._summary(self._stories[story_id]))
            elif story_id in self._closed:
                result.append(self._closed[story_id])
            else:
                logger.debug("no summary for unknown story %s", story_id)
        return result

    def _advance_clock(self, when: datetime) -> None:
        """Move the clock (latest article time seen) forward."""
        if when.tzinfo is None:
            raise ValueError("published_at must be timezone-aware")
        if self._clock is None or when > self._clock:
            self._clock = when

    def _open(self, story_id: int) -> _Story:
        """Start an empty story."""
        if story_id in self._stories:
            raise ValueError(f"story {story_id} is already open")
        story = _Story(story_id)
        self._stories[story_id] = story
        return story

    def _add(self, article: StoryArticle, story: _Story, text: TermVector | None = None) -> None:
        """Make the article a member of the story and update every index."""
        text = vectorise(article.text) if text is None else text
        story.members.append(
            _Member(
                article.article_id,
                article.title or "",
                article.published_at,
                (article.source or "").strip().casefold(),
                text,
            )
        )
        new = _missing(story.terms, text.terms)
        if story.stack is not None:
            story.stack = story.stack.plus(text, len(story.members) - 1, new)
            story.terms = story.stack.terms
            story.members[-1].text = None  # kept in the stack
        elif len(new):
            story.terms = np.insert(story.terms, np.searchsorted(story.terms, new), new)
        story.actors.update(article.actors)
        story.first_seen_at = min(filter(None, [story.first_seen_at, article.published_at]))
        story.last_seen_at = max(filter(None, [story.last_seen_at, article.published_at]))
        heapq.heappush(self._expiry, (story.last_seen_at, story.story_id))
        self._story_of[article.article_id] = story.story_id
        self._df[text.terms] += 1
        self._n_docs += 1
        for term in new.tolist():
            posting = self._postings.get(term)
            if posting is None:
                self._postings[term] = array("q", (story.story_id,))
            else:
                posting.append(story.story_id)

    def _expire(self) -> None:
        """Close the stories whose last member is more than window_days before the clock."""
        assert self._clock is not None
        while self._expiry:
            last_seen, story_id = self._expiry[0]
            if (self._clock - last_seen).total_seconds() <= self.window_days * SECONDS_PER_DAY:
                break
            heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen_at == last_seen:
                self._close(story)

    def _close(self, story: _Story) -> None:
        """Drop a story from the open state, keeping its final summary."""
        self._closed[story.story_id] = self._summary(story)
        while len(self._closed) > CLOSED_SUMMARIES_KEPT:
            self._closed.popitem(last=False)
        for vector in story.vectors():
            self._df[vector.terms] -= 1
        for member in story.members:
            self._n_docs -= 1
            self._story_of.pop(member.article_id, None)
        for term in story.terms.tolist():
            posting = self._postings[term]
            posting.remove(story.story_id)
            if not posting:
                del self._postings[term]
        del self._stories[story.story_id]

    def _idf(self, terms: np.ndarray) -> np.ndarray:
        """Smoothed IDF over the articles of the open stories."""
        return np.log((self._n_docs + 1.0) / (self._df[terms] + 1.0)) + 1.0

    def _weighted(self, vector: TermVector) -> np.ndarray:
        """The vector's weights times the current IDF, L2-normalised."""
        weighted = vector.weights * self._idf(vector.terms)
        norm = float(np.linalg.norm(weighted))
        return weighted / norm if norm else weighted

    def _story_of_original(self, article: StoryArticle) -> _Story | None:
        """The open story of the article's near-duplicate original, if any."""
        if article.near_duplicate_of is None:
            return None
        story_id = self._story_of.get(article.near_duplicate_of)
        return None if story_id is None else self._stories[story_id]

    def _query(self, article: StoryArticle, text: TermVector | None = None) -> _Query:
        """The article's text and title vectors under the current IDF."""
        text = vectorise(article.text) if text is None else text
        title = vectorise(article.title or "")
        text_weighted = self._weighted(text)
        terms = np.union1d(text.terms, title.terms)
        weights = np.zeros((len(terms), 2))
        weights[np.searchsorted(terms, text.terms), 0] = text_weighted
        weights[np.searchsorted(terms, title.terms), 1] = self._weighted(title)
        return _Query(text, text_weighted, terms, weights)

    def _candidates(self, query: _Query) -> list[int]:
        """Open stories sharing the article's top-weighted terms, best partial dot first."""
        text, weighted = query.text, query.text_weighted
        present = self._df[text.terms] > 0
        order = np.lexsort((text.terms, -weighted))
        partial: dict[int, float] = {}
        probed = 0
        for index in order.tolist():
            if probed >= self.query_terms:
                break
            if not present[index]:
                continue
            posting = self._postings[int(text.terms[index])]
            probed += 1
            if len(posting) > MAX_POSTING:
                continue
            weight = float(weighted[index])
            for story_id in posting:
                partial[story_id] = partial.get(story_id, 0.0) + weight
        ranked = sorted(partial, key=lambda sid: (-partial[sid], sid))
        return ranked[: self.max_candidates]

    def score(self, article: StoryArticle, story_id: int) -> float:
        """The article's score against an open story (see the module docstring)."""
        return self._score(article, self._query(article), self._stories[story_id])

    def _fits(self, query: _Query, story: _Story) -> tuple[float, float]:
        """fit(text) and fit(title) of the article against the story (see the module docstring)."""
        if story.stack is None:
            story.stack = _Stack.of(story.vectors())
            story.terms = story.stack.terms  # the same terms: one array for both
            for member in story.members:
                member.text = None  # the stack holds the vectors now
        stack, n_members = story.stack, len(story.members)
        if not len(query.terms) or not len(stack.terms):
            return 0.0, 0.0
        weighted = stack.weights * self._idf(stack.terms)[stack.slot]
        norms = np.sqrt(np.bincount(stack.owner, weights=weighted * weighted, minlength=n_members))
        inverse = np.divide(1.0, norms, out=np.zeros(n_members), where=norms > 0)
        total = np.bincount(stack.slot, weights=weighted * inverse[stack.owner])
        denominator = max(float(np.sqrt(np.dot(total, total))), n_members / self.max_boost)
        index = np.minimum(np.searchsorted(stack.terms, query.terms), len(stack.terms) - 1)
        match = stack.terms[index] == query.terms
        dots = total[index[match]] @ query.weights[match]
        return float(dots[0]) / denominator, float(dots[1]) / denominator

    def _score(self, article: StoryArticle, query: _Query, story: _Story) -> float:
        """Score of an article against one story."""
        text_fit, title_fit = self._fits(query, story)
        actors = 0.0
        if article.actors:
            named = sum(story.actors[a] for a in article.actors if a in story.actors)
            actors = named / len(story.members) / len(article.actors)
        similarity = (
            (1.0 - self.title_weight) * text_fit
            + self.title_weight * title_fit
            + self.actor_weight * actors
        )
        gap = _gap_days(article.published_at, story)
        return similarity * time_decay(gap, self.decay_grace_days, self.decay_half_life_days)

    def _best_story(self, article: StoryArticle, text: TermVector) -> _Story | None:
        """The open story with the highest score >= threshold (ties: smaller story id)."""
        query = self._query(article, text)
        best: tuple[float, int] | None = None
        for story_id in self._candidates(query):
            value = self._score(article, query, self._stories[story_id])
            if value >= self.threshold and (
                best is None or (-value, story_id) < (-best[0], best[1])
            ):
                best = (value, story_id)
        return None if best is None else self._stories[best[1]]

    def _central(self, story: _Story) -> _Member:
        """The member with the highest mean similarity to the others (ties: earliest)."""
        members = story.members
        if len(members) == 1:
            return members[0]
        vectors = story.vectors()
        rows = [self._weighted(v) for v in vectors]
        terms = np.concatenate([v.terms for v in vectors])
        weights = np.concatenate(rows)
        owner = np.repeat(np.arange(len(members)), [len(v.terms) for v in vectors])
        unique, inverse = np.unique(terms, return_inverse=True)
        total = np.zeros(len(unique))
        np.add.at(total, inverse, weights)
        dots = np.bincount(owner, weights=weights * total[inverse], minlength=len(members))
        self_dots = np.bincount(owner, weights=weights * weights, minlength=len(members))
        means = np.round((dots - self_dots) / (len(members) - 1), 9)
        order = sorted(
            range(len(members)),
            key=lambda i: (-means[i], members[i].published_at, members[i].article_id),
        )
        return members[order[0]]

    def _summary(self, story: _Story) -> StorySummary:
        """The summary of an open story under the current state."""
        assert story.first_seen_at is not None and story.last_seen_at is not None
        central = self._central(story)
        title = central.title or next((m.title for m in story.members if m.title), "")
        sources = {m.source for m in story.members if m.source}
        return StorySummary(
            story_id=story.story_id,
            title=title,
            first_seen_at=story.first_seen_at,
            last_seen_at=story.last_seen_at,
            n_articles=len(story.members),
            n_sources=len(sources),
            central_article_id=central.article_id,
        )


def _order_key(article: StoryArticle) -> tuple[datetime, int]:
    """Processing order: published_at, then article_id."""
    return (article.published_at, article.article_id)


def cluster(articles: Sequence[StoryArticle], **params: Any) -> list[int]:
    """Cluster in memory in (published_at, article_id) order; story ids aligned with the input."""
    clusterer = StoryClusterer(**params)
    counter = iter(range(1, len(articles) + 1))
    assigned: dict[int, int] = {}
    for article in sorted(articles, key=_order_key):
        assigned[article.article_id] = clusterer.assign(article, lambda: next(counter))
    return [assigned[a.article_id] for a in articles]


def _parse_time(value: str) -> datetime:
    """An ISO timestamp as an aware UTC datetime (naive means UTC)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def load_gold(gold_path: str | Path) -> tuple[list[StoryArticle], list[str]]:
    """Articles and gold story labels from a JSON-lines file (schemas/stories-gold.schema.json)."""
    articles, labels = [], []
    with Path(gold_path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            articles.append(
                StoryArticle(
                    article_id=int(row["id"]),
                    title=row.get("title") or "",
                    text=row["text"],
                    published_at=_parse_time(row["published_at"]),
                    source=row.get("source") or "",
                    actors=frozenset(row.get("actors") or ()),
                )
            )
            labels.append(str(row["story"]))
    return articles, labels


def mark_near_duplicates(articles: Sequence[StoryArticle]) -> dict[int, tuple[int, float]]:
    """Set near_duplicate_of in (published_at, id) order, as ingest does; returns the links."""
    index = NearDuplicateIndex()
    links: dict[int, tuple[int, float]] = {}
    for article in sorted(articles, key=_order_key):
        signature = minhash_signature(article.text)
        match = index.query(signature)
        if match is not None:
            article.near_duplicate_of = match[0]
            links[article.article_id] = match
        index.add(article.article_id, signature)
    return links


def bcubed(predicted: Sequence[int], gold: Sequence[str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a predicted clustering against gold labels."""
    pred_sizes = Counter(predicted)
    gold_sizes = Counter(gold)
    pair_sizes = Counter(zip(predicted, gold, strict=True))
    n = len(predicted)
    if not n:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    precision = (
        sum(pair_sizes[(p, g)] / pred_sizes[p] for p, g in zip(predicted, gold, strict=True)) / n
    )
    recall = (
        sum(pair_sizes[(p, g)] / gold_sizes[g] for p, g in zip(predicted, gold, strict=True)) / n
    )
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate_stories(gold_path: str | Path, **params: Any) -> dict:
    """Cluster a gold file and score it.

    Articles are first linked to near-duplicates (NearDuplicateIndex), then clustered with
    `cluster(**params)`. Returns B-cubed "precision", "recall", "f1" (per-article averages of
    |predicted cluster & gold story| / |predicted cluster| and / |gold story|); "split" = number
    of gold stories whose articles fall in more than one predicted cluster; "merged" = number of
    predicted clusters holding articles of more than one gold story; "n_articles"; "n_stories" =
    number of predicted clusters; "n_gold_stories".
    """
    articles, labels = load_gold(gold_path)
    mark_near_duplicates(articles)
    predicted = cluster(articles, **params)
    gold_to_pred: dict[str, set[int]] = {}
    pred_to_gold: dict[int, set[str]] = {}
    for p, g in zip(predicted, labels, strict=True):
        gold_to_pred.setdefault(g, set()).add(p)
        pred_to_gold.setdefault(p, set()).add(g)
    result: dict = bcubed(predicted, labels)
    result.update(
        split=sum(1 for s in gold_to_pred.values() if len(s) > 1),
        merged=sum(1 for s in pred_to_gold.values() if len(s) > 1),
        n_articles=len(articles),
        n_stories=len(pred_to_gold),
        n_gold_stories=len(gold_to_pred),
    )
    return result
