"""Sentence splitting."""

from __future__ import annotations

import time
from pathlib import Path

from monitor.text import sentence_index, split_sentences

SEEDS = Path(__file__).parents[1] / "seeds"


def sentences(text: str) -> list[str]:
    """The sentence strings of a text."""
    return [text[start:end] for start, end in split_sentences(text)]


def test_abbreviations_initials_and_decimals_do_not_split() -> None:
    text = (
        "Mr. Smith met Dr. J. R. Jones in the U.S. capital on Jan. 5. "
        "Growth was 3.5 per cent, said Gen. Miller. It fell."
    )
    assert sentences(text) == [
        "Mr. Smith met Dr. J. R. Jones in the U.S. capital on Jan. 5.",
        "Growth was 3.5 per cent, said Gen. Miller.",
        "It fell.",
    ]


def test_dotted_acronym_ends_sentence_before_an_opener() -> None:
    assert sentences("Officials flew to the U.S. The talks begin Monday.") == [
        "Officials flew to the U.S.",
        "The talks begin Monday.",
    ]


def test_quotes_question_and_exclamation() -> None:
    text = '“We will not send troops,” Merz said. "Is that final?" he asked. No!  Yes.'
    assert sentences(text) == [
        "“We will not send troops,” Merz said.",
        '"Is that final?" he asked.',
        "No!",
        "Yes.",
    ]


def test_headings_bullets_and_wrapped_lines() -> None:
    text = (
        "Heading Without A Full Stop\n"
        "- first bullet line\n"
        "• second bullet: with a colon\n"
        "Body text that was\nwrapped over two lines. Next one."
    )
    assert sentences(text) == [
        "Heading Without A Full Stop",
        "first bullet line",
        "second bullet: with a colon",
        "Body text that was\nwrapped over two lines.",
        "Next one.",
    ]


def test_spans_index_the_original_text() -> None:
    text = "  First one.\n\n  Second one!  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!"]
    assert sentence_index(spans, text.index("Second")) == 1
    assert sentence_index(spans, 0) == 0


def test_empty_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []


def test_seed_first_two_sentences() -> None:
    text = (SEEDS / "003_a5c97dfcc15387b1.txt").read_text(encoding="utf-8")
    first, second = sentences(text)[:2]
    assert first.startswith("In a striking development") and first.endswith("Vladimir Putin.")
    assert second.startswith("As tensions continue") and second.endswith("Paris and Rome.")


def test_words_longer_than_the_look_back_window() -> None:
    assert sentences("See A.B.C.D.E.F.G.H.I.J.K.L. The next one.") == [
        "See A.B.C.D.E.F.G.H.I.J.K.L.",
        "The next one.",
    ]
    assert sentences("See A.B.C.D.E.F.G.H.I.J.K.L. Smith came.") == [
        "See A.B.C.D.E.F.G.H.I.J.K.L. Smith came."
    ]
    assert sentences("Ask Gen. Supercalifragilisticexpialidocious-Jones. He left.") == [
        "Ask Gen. Supercalifragilisticexpialidocious-Jones.",
        "He left.",
    ]


def test_sentence_index_edges() -> None:
    spans = [(2, 5), (7, 9), (9, 12)]
    assert [sentence_index(spans, offset) for offset in (0, 2, 6, 7, 9, 20)] == [0, 0, 0, 1, 2, 2]
    assert sentence_index([], 3) == 0


def test_the_last_text_is_split_once_and_callers_get_their_own_list() -> None:
    text = "One here. Two there."
    first = split_sentences(text)
    first.append((0, 0))
    assert split_sentences(text) == [(0, 9), (10, 20)]
    assert split_sentences(text) is not split_sentences(text)


def test_speed() -> None:
    text = (SEEDS / "003_a5c97dfcc15387b1.txt").read_text(encoding="utf-8")
    texts = [f"{text}\n\nRun {i}." for i in range(200)]  # distinct texts: no memoised spans
    start = time.perf_counter()
    for variant in texts:
        split_sentences(variant)
    assert 200 / (time.perf_counter() - start) >= 500
