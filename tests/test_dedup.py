"""Exact and near-duplicate detection."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from monitor.dedup import (
    LSH_MARGIN,
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    NearDuplicateIndex,
    _lsh_parameters,
    content_hash,
    estimated_jaccard,
    minhash_signature,
    normalise_text,
    signature_from_bytes,
    signature_to_bytes,
)

GOLD = Path(__file__).parent / "data" / "stories_gold.jsonl"

# datasketch 2.0.0's MinHashLSH._optimal_param(threshold, num_perm, 0.5, 0.5), which the index
# reproduces without scipy: {(threshold, num_perm): (bands, rows)}
DATASKETCH_PARAMS = {
    (0.1, 128): (64, 2),
    (0.2, 128): (28, 2),
    (0.25, 128): (42, 3),
    (0.3, 128): (37, 3),
    (0.35, 128): (32, 4),
    (0.4, 128): (32, 4),
    (0.45, 128): (25, 5),
    (0.5, 128): (25, 5),
    (0.55, 128): (21, 6),
    (0.6, 128): (18, 7),
    (0.7, 128): (14, 9),
    (0.85, 128): (8, 16),
    (0.35, 64): (21, 3),
    (0.5, 64): (14, 4),
    (0.35, 256): (61, 4),
    (0.5, 256): (42, 6),
}

BASE = """\
The city council approved a plan on Monday to close the old harbour bridge to cars from next
spring, after engineers found corrosion in the steel cables that hold up the central span.

Buses, cyclists and pedestrians will still be allowed to cross, but private vehicles will be sent
along the ring road, adding up to fifteen minutes to some journeys. The council said repairs would
cost about 48 million euros and take at least three years.

Shopkeepers on the harbour front said they feared losing customers and asked for free parking in
the new garage by the station. The mayor promised a review of parking charges in the autumn.

Opposition councillors voted against the plan, arguing that the bridge should have been repaired
years ago when the first signs of damage were reported by the port authority."""


def _variants() -> dict[str, str]:
    """Near-duplicate edits of BASE."""
    paragraphs = BASE.split("\n\n")
    return {
        "edited sentence": BASE.replace(
            "about 48 million euros and take at least three years",
            "nearly 52 million euros and could take four years",
        ),
        "added paragraph": BASE
        + "\n\nA public consultation on the traffic plan will open next month, and residents can"
        " submit comments online or at the town hall until the end of June.",
        "dropped paragraph": "\n\n".join(paragraphs[:2] + paragraphs[3:]),
        "boilerplate": "Home | Local | Transport\nListen to this article\n\n"
        + BASE
        + "\n\nSign up for our daily newsletter.\nShare this article on social media.\n"
        "Copyright 2026 Harbour Gazette. All rights reserved.",
        "different headline": "Harbour bridge to close to cars over corroded cables\n\n" + BASE,
    }


REWRITE = """\
Cars will be banned from the harbour bridge from next spring. Councillors voted on Monday to
restrict the crossing to public transport, bikes and people on foot because inspectors discovered
that the cables supporting the middle of the bridge are rusting.

Drivers face detours via the ring road of up to a quarter of an hour. The repair bill is put at 48
million euros and the work is expected to last three years or longer.

Traders along the waterfront warned the closure could hit their business and called for free
parking at the station garage; the mayor said charges would be reviewed. Opposition members said
the damage, first flagged by the port authority, had been ignored for years."""


def _gold() -> list[dict]:
    """The labelled fixture rows."""
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def test_exact_hash_unchanged() -> None:
    assert normalise_text("  Caf\u00e9\u00a0CR\u00c8ME \n\t x ") == "café crème x"
    assert content_hash("A  b") == content_hash("a b")
    assert content_hash("a b") != content_hash("a c")


def test_signature_bytes_round_trip() -> None:
    blob = minhash_signature(BASE)
    assert isinstance(blob, bytes) and len(blob) == 4 * NUM_PERM
    values = signature_from_bytes(blob)
    assert values.dtype == np.uint32
    assert signature_to_bytes(values) == blob
    assert blob == np.asarray(values, dtype="<u4").tobytes()
    assert minhash_signature(BASE) == blob  # deterministic across calls
    with pytest.raises(ValueError):
        signature_from_bytes(blob[:-1])


def test_variants_match_the_first_article() -> None:
    index = NearDuplicateIndex()
    index.add(1, minhash_signature(BASE))
    base = signature_from_bytes(minhash_signature(BASE))
    for article_id, (kind, text) in enumerate(_variants().items(), start=2):
        signature = minhash_signature(text)
        match = index.query(signature)
        assert match is not None, kind
        assert match[0] == 1, kind
        assert match[1] >= NEAR_DUPLICATE_THRESHOLD, kind
        assert match[1] == estimated_jaccard(base, signature_from_bytes(signature))
        index.add(article_id, signature)
    assert len(index) == 1 + len(_variants())


def test_rewrite_of_same_story_is_not_near_duplicate() -> None:
    index = NearDuplicateIndex()
    index.add(1, minhash_signature(BASE))
    assert index.query(minhash_signature(REWRITE)) is None


def test_gold_variants_match_and_rewrites_do_not() -> None:
    rows = _gold()
    index = NearDuplicateIndex()
    signatures = {r["id"]: minhash_signature(r["text"]) for r in rows}
    for row in sorted(rows, key=lambda r: r["id"]):
        match = index.query(signatures[row["id"]])
        expected = row.get("near_duplicate_of")
        assert (match[0] if match else None) == expected, row["id"]
        index.add(row["id"], signatures[row["id"]])
    assert sum(1 for r in rows if r.get("near_duplicate_of")) >= 8


def test_gold_same_story_rewrites_are_far_below_threshold() -> None:
    rows = _gold()
    originals = [r for r in rows if not r.get("near_duplicate_of")]
    sigs = {r["id"]: signature_from_bytes(minhash_signature(r["text"])) for r in originals}
    same_story = [
        estimated_jaccard(sigs[a["id"]], sigs[b["id"]])
        for a, b in itertools.combinations(originals, 2)
        if a["story"] == b["story"]
    ]
    assert len(same_story) > 40
    assert max(same_story) < NEAR_DUPLICATE_THRESHOLD / 2


def test_first_article_wins_among_several_matches() -> None:
    index = NearDuplicateIndex()
    variants = list(_variants().values())
    index.add(7, minhash_signature(variants[0]))
    index.add(3, minhash_signature(variants[1]))
    index.add(5, minhash_signature(BASE))
    match = index.query(minhash_signature(BASE))
    assert match is not None and match[0] == 3


def test_empty_and_repeated_ids() -> None:
    index = NearDuplicateIndex()
    empty = minhash_signature("  ...  ")
    index.add(1, empty)
    assert index.query(empty) is None
    index.add(2, minhash_signature(BASE))
    index.add(2, minhash_signature(REWRITE))  # ignored: the id is already indexed
    assert len(index) == 2 and 2 in index
    assert index.query(minhash_signature(BASE)) == (2, 1.0)
    with pytest.raises(ValueError):
        index.add(3, minhash_signature(BASE)[:64])


def test_short_text_signature() -> None:
    index = NearDuplicateIndex()
    index.add(1, minhash_signature("Breaking: flood"))
    assert index.query(minhash_signature("breaking flood")) == (1, 1.0)
    assert index.query(minhash_signature("breaking news")) is None


def test_signature_speed() -> None:
    texts = [r["text"] for r in _gold()]
    started = time.perf_counter()
    for text in texts * 3:
        minhash_signature(text)
    rate = 3 * len(texts) / (time.perf_counter() - started)
    assert rate > 300, f"{rate:.0f} signatures/s"


def test_lsh_parameters_match_datasketch() -> None:
    for (threshold, num_perm), expected in DATASKETCH_PARAMS.items():
        assert _lsh_parameters(threshold, num_perm) == expected, (threshold, num_perm)


def test_import_loads_neither_scipy_nor_datasketch() -> None:
    code = (
        "import sys, monitor.dedup; "
        "print(sorted(m for m in ('scipy', 'datasketch') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def _words(rng: random.Random) -> list[str]:
    """A vocabulary of pronounceable made-up words."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    return ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(3000)]


def _paragraph(rng: random.Random, words: list[str]) -> str:
    """Two to four sentences of eight to sixteen words."""
    sentences = [
        " ".join(rng.choices(words, k=rng.randint(8, 16))) for _ in range(rng.randint(2, 4))
    ]
    return ". ".join(sentences) + "."


def _edit(rng: random.Random, words: list[str], text: str) -> str:
    """A near-duplicate, or a heavier rewrite, of text."""
    paragraphs = text.split("\n\n")
    at = rng.randrange(len(paragraphs))
    kind = rng.choice(["sentence", "drop", "add", "boilerplate", "swap", "rewrite", "half"])
    if kind == "sentence":
        sentences = paragraphs[at].split(". ")
        sentences[rng.randrange(len(sentences))] = " ".join(rng.choices(words, k=12))
        paragraphs[at] = ". ".join(sentences)
    elif kind == "drop" and len(paragraphs) > 1:
        del paragraphs[at]
    elif kind == "add":
        paragraphs.insert(at, _paragraph(rng, words))
    elif kind == "boilerplate":
        paragraphs = ["Home | World | Listen to this article", *paragraphs, "Share. Subscribe."]
    elif kind == "swap":
        paragraphs[at], paragraphs[0] = paragraphs[0], paragraphs[at]
    elif kind == "rewrite":
        for i in rng.sample(range(len(paragraphs)), k=max(1, len(paragraphs) // 2)):
            paragraphs[i] = _paragraph(rng, words)
    else:
        paragraphs = paragraphs[: max(1, len(paragraphs) // 2 + 1)]
    return "\n\n".join(paragraphs)


def _corpus(n_originals: int = 150, n_edits: int = 200) -> list[str]:
    """Generated articles, then edits of earlier ones (edits of edits too)."""
    rng = random.Random(11)
    words = _words(rng)
    texts = [
        "\n\n".join(_paragraph(rng, words) for _ in range(rng.randint(3, 6)))
        for _ in range(n_originals)
    ]
    for _ in range(n_edits):
        texts.append(_edit(rng, words, texts[rng.randrange(len(texts))]))
    return [*texts, "", "...", *rng.sample(texts, 5)]


def _earlier_similarities(signatures: np.ndarray, ids: list[int], j: int) -> dict[int, float]:
    """Brute force: the estimated Jaccard of article j with each earlier article, by id."""
    equal = (signatures[:j] == signatures[j]).sum(axis=1)
    return {ids[i]: float(equal[i]) / NUM_PERM for i in range(j)}


def test_index_agrees_with_brute_force_scan() -> None:
    texts = _corpus()
    ids = random.Random(5).sample(range(10_000), len(texts))  # insertion order is not id order
    signatures = np.vstack([signature_from_bytes(minhash_signature(t)) for t in texts])
    index = NearDuplicateIndex()
    sure_found = exact = 0
    for j, text in enumerate(texts):
        earlier = {} if not text.strip(" .") else _earlier_similarities(signatures, ids, j)
        above = {i: s for i, s in earlier.items() if s >= NEAR_DUPLICATE_THRESHOLD}
        sure = [i for i, s in above.items() if s >= NEAR_DUPLICATE_THRESHOLD + LSH_MARGIN]
        match = index.query(signature_to_bytes(signatures[j]))
        if match is not None:  # nothing below the threshold; the value is the estimate
            assert above.get(match[0]) == match[1], j
        if sure:  # no miss above threshold + margin, and the smallest id wins
            assert match is not None and match[0] <= min(sure), j
            sure_found += 1
        exact += (match[0] if match else None) == min(above, default=None)
        index.add(ids[j], signature_to_bytes(signatures[j]))
    assert sure_found >= 150
    assert exact >= len(texts) - 5, (exact, len(texts))
