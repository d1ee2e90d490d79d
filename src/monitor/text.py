"""Sentence splitting: character spans of the sentences of an article text.

Rule-based and fast. Lines are blocks: a line break ends a sentence unless the next line starts
in lower case (hard-wrapped prose). Bullet markers ("- ", "• ", "* ", "1. ") are left out of the
span. Inside a line a sentence ends at ".", "!", "?" or "…" (with any closing quotes or brackets)
followed by white space and an upper-case letter, a digit or an opening quote, unless the word
before the full stop is a known abbreviation ("Mr.", "Dr.", "Gen.", "Jan."), an initial ("J."),
or a dotted acronym ("U.S.", "E.U.") not followed by a typical sentence opener.
"""

from __future__ import annotations

import bisect
import functools
import html
import logging
import math
import re

logger = logging.getLogger(__name__)

# Titles and short forms after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        """
        mr mrs ms messrs mme mlle dr prof sr jr st gen lt col maj capt cmdr adm sgt cpl pvt brig
        gov sen rep rev hon pres supt insp det fr sec amb cllr jan feb mar apr jun jul aug sep
        sept oct nov dec mon tue tues wed thu thur thurs fri sat sun no nos vol vols fig figs
        art arts para ch pp ed eds est approx dept univ assn corp inc ltd co bros vs v etc al cf
        ca ie eg viz ft mt ave blvd rd
        """,
    )
)
# Words that typically open a sentence: after a dotted acronym ("U.S.") they mark a boundary.
SENTENCE_OPENERS = frozenset(
    re.findall(
        r"\S+",
        """
        The A An This That These Those It Its He She They We I You His Her Their Our But And Yet
        So However Meanwhile In On At For As After Before When While Although Though If There
        Here Some Many Most Other Others Such No Not One Two Three Both All Each Officials
        Critics
        """,
    )
)
# A candidate end of sentence: terminal punctuation, closing quotes/brackets, then white space.
# ("[.!?…][.!?…]*" rather than "[.!?…]+": a regex starting with a character set is scanned fast.)
BOUNDARY = re.compile(r"""([.!?…][.!?…]*)(["'”’»)\]]*)(\s+)(?=["'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])""")
# The word before a full stop: tried only where a word starts, and never backtracking.
WORD_BEFORE = re.compile(r"(?<![\w.'’-])([\w.'’-]++)$")
BULLET = re.compile(r"^\s*(?:[-–—•*·▪●]|\d{1,3}[.)])\s+")
LINE = re.compile(r"[^\n]*(?:\n|$)")
DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
INITIAL = re.compile(r"^[A-Z]\.$")
FOLLOWING_WORD = re.compile(r"[\"'“‘«(\[]?([\w’']+)")
# How far back the word before a full stop is first looked for (longer words are rare).
WORD_WINDOW = 20


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences in ``text``, in order.

    The spans of the last text are kept: actor tagging, stance tagging and the pipeline's lead
    all split the same article, so it is split once.
    """
    return list(_cached_spans(text))


@functools.lru_cache(maxsize=1)
def _cached_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The sentence spans of a text (memoised for the last text)."""
    return tuple(_split(text))


def _split(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences in ``text``, computed afresh."""
    spans: list[tuple[int, int]] = []
    for start, end in _blocks(text):
        spans.extend(_split_block(text, start, end))
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans of line blocks: lines joined when the next one continues in lower case."""
    blocks: list[tuple[int, int]] = []
    current: list[int] | None = None
    for match in LINE.finditer(text):
        line = match.group().rstrip("\n")
        if not line.strip():
            if current:
                blocks.append((current[0], current[1]))
            current = None
            if match.end() >= len(text):
                break
            continue
        bullet = BULLET.match(line)
        first = line.lstrip()[:1]
        continues = current is not None and not bullet and first.islower()
        if continues and current is not None:
            current[1] = match.start() + len(line)
        else:
            if current:
                blocks.append((current[0], current[1]))
            offset = bullet.end() if bullet else len(line) - len(line.lstrip())
            current = [match.start() + offset, match.start() + len(line)]
        if match.end() >= len(text):
            break
    if current:
        blocks.append((current[0], current[1]))
    return blocks


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one block at sentence boundaries, trimming white space."""
    block = text[start:end]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in BOUNDARY.finditer(block):
        if not _is_boundary(block, match):
            continue
        _append(spans, block, start, cursor, match.start(3))
        cursor = match.end(3)
    _append(spans, block, start, cursor, len(block))
    return spans


def _append(spans: list[tuple[int, int]], block: str, base: int, lo: int, hi: int) -> None:
    """Add the trimmed span block[lo:hi] (shifted by base) when it is not empty."""
    piece = block[lo:hi]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((base + lo + lead, base + lo + lead + len(stripped)))


def _is_boundary(block: str, match: re.Match[str]) -> bool:
    """Whether a candidate boundary really ends a sentence."""
    if match.group(1) != "." or match.group(2):
        return True
    before = _word_before(block, match.start(1) + 1)
    if not before:
        return True
    word = before.group(1)
    bare = word.rstrip(".").lower()
    if bare in ABBREVIATIONS and "." not in word.rstrip("."):
        return False
    if INITIAL.match(word):
        return False
    if DOTTED_ACRONYM.match(word):
        following = FOLLOWING_WORD.match(block, match.end(3))
        return bool(following and following.group(1) in SENTENCE_OPENERS)
    return True


def _word_before(block: str, end: int) -> re.Match[str] | None:
    """The word (with dots, apostrophes, hyphens) ending at ``end``: looked for just before
    ``end`` first, in the whole block only when it starts further back."""
    low = max(0, end - WORD_WINDOW)
    before = WORD_BEFORE.search(block, low, end)
    if before is None and low > 0:
        before = WORD_BEFORE.search(block, 0, end)
    return before


def sentence_index(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence containing (or nearest before) a character offset."""
    # Spans are sorted; (offset, inf) sorts after every span starting at or before offset.
    return max(bisect.bisect_right(spans, (offset, math.inf)) - 1, 0)


# a tag, comment or declaration: "<" then a letter, "/", "!" or "?" ("2 < 3 and 5 > 4" is text)
HTML_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
# an entity with its semicolon: HTML5 also reads "&reg" without one, turning the already
# decoded "?a=1&region=eu" of a plain-text feed field into "?a=1®ion=eu"
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
SPACES = re.compile(r"\s+")
MAX_SUMMARY = 1000


def unescape_entities(text: str) -> str:
    """The text with its character references (those ending in ";") decoded."""
    return ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


def strip_html(fragment: str | None) -> str | None:
    """Plain text of an HTML fragment (feed summaries), whitespace collapsed."""
    if not fragment:
        return None
    text = SPACES.sub(" ", unescape_entities(HTML_TAG.sub(" ", fragment))).strip()
    return text[:MAX_SUMMARY] or None
