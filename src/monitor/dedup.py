"""Deduplication: exact duplicates by normalised-text hash, near-duplicates by MinHash + LSH."""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
import unicodedata
import zlib

import numpy as np

logger = logging.getLogger(__name__)

WHITESPACE = re.compile(r"\s+")
WORD = re.compile(r"[^\W_]+")

SHINGLE_SIZE = 5  # words per shingle; see NEAR_DUPLICATE_THRESHOLD for the measurements
NUM_PERM = 128  # 128 x uint32 = 512 bytes per signature; std of the estimate <= 0.045
NEAR_DUPLICATE_THRESHOLD = 0.5  # estimated Jaccard of the 5-word shingle sets
LSH_MARGIN = 0.15  # the LSH bands are tuned this far below the threshold, then verified
LSH_MIN_THRESHOLD = 0.1  # lowest similarity the bands are tuned for
LSH_WEIGHTS = (0.5, 0.5)  # false-positive and false-negative weights (datasketch's defaults)
SIMPSON_STEPS = 1000  # intervals per integral: within 4e-9 of scipy's quad for all (b, r) at 128
PERMUTATION_SEED = 1
SIGNATURE_DTYPE = np.dtype("<u4")  # uint32 little-endian, as in article_signatures.minhash
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
MERGE_TAIL = 1024  # room for additions scanned before they are merged into the sorted keys
INITIAL_ROWS = 256
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
SCHEME = "affine32"

_SHINGLE_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)

_Rule = tuple[np.ndarray, np.ndarray]  # quadrature nodes and weights


def normalise_text(text: str) -> str:
    """Unicode NFKC, case-folded, whitespace collapsed."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str:
    """sha256 hex digest of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Affine permutations a*h+b mod 2^32 (a odd), drawn as datasketch's affine32 scheme does."""
    gen = np.random.RandomState(PERMUTATION_SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_PERMS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _cached_permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations for num_perm, computed once per process."""
    if num_perm not in _PERMS:
        _PERMS[num_perm] = _permutations(num_perm)
    return _PERMS[num_perm]


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, element-wise (wrapping uint64 arithmetic)."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def shingle_hashes(text: str, k: int = SHINGLE_SIZE) -> np.ndarray:
    """Distinct 32-bit hashes of the k-word shingles of the NFKC case-folded words (or all)."""
    words = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if not words:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter(
        (zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words)
    )
    k = min(k, len(words), len(_SHINGLE_MULTIPLIERS))
    n = len(words) - k + 1
    combined = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        combined += (word_hashes[j : j + n] + np.uint64(j + 1)) * _SHINGLE_MULTIPLIERS[j]
    return np.unique((_fmix64(combined) >> np.uint64(32)).astype(np.uint32))


def signature_array(text: str, num_perm: int = NUM_PERM, k: int = SHINGLE_SIZE) -> np.ndarray:
    """The MinHash of the text's shingle set as a uint32 array (all 0xFFFFFFFF when empty)."""
    hashes = shingle_hashes(text, k)
    if hashes.size == 0:
        return np.full(num_perm, EMPTY_VALUE, dtype=np.uint32)
    a, b = _cached_permutations(num_perm)
    return (hashes[:, None] * a[None, :] + b[None, :]).min(axis=0).astype(np.uint32)


def minhash_signature(text: str) -> bytes:
    """The MinHash signature of the text, serialised as uint32 little-endian bytes."""
    return signature_to_bytes(signature_array(text))


def signature_to_bytes(signature: np.ndarray) -> bytes:
    """Serialise a signature array (uint32 little-endian)."""
    return np.asarray(signature, dtype=SIGNATURE_DTYPE).tobytes()


def signature_from_bytes(blob: bytes) -> np.ndarray:
    """The signature array stored in bytes by signature_to_bytes."""
    if len(blob) % SIGNATURE_DTYPE.itemsize:
        raise ValueError(f"signature of {len(blob)} bytes is not a whole number of uint32")
    return np.frombuffer(blob, dtype=SIGNATURE_DTYPE).astype(np.uint32)


def similarities(signatures: np.ndarray, signature: np.ndarray) -> np.ndarray:
    """estimated_jaccard of each row of a 2-D array of signatures with one signature."""
    return np.count_nonzero(signatures == signature, axis=-1) / float(signature.shape[-1])


def estimated_jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Fraction of equal MinHash values: the estimated Jaccard similarity of the shingle sets."""
    return float(similarities(first, second))


def is_empty_signature(signature: np.ndarray) -> bool:
    """True for the signature of a text without words."""
    return bool(np.all(signature == EMPTY_VALUE))


def _simpson(low: float, high: float) -> _Rule:
    """Nodes and weights of the composite Simpson rule on [low, high]."""
    nodes = np.linspace(low, high, SIMPSON_STEPS + 1)
    weights = np.where(np.arange(SIMPSON_STEPS + 1) % 2, 4.0, 2.0)
    weights[0] = weights[-1] = 1.0
    return nodes, weights * (high - low) / (3 * SIMPSON_STEPS)


def _miss_probability(similarity: np.ndarray, bands: int, rows: np.ndarray) -> np.ndarray:
    """P(no band equal) = (1 - s^r)^b, one row per r in rows, one column per similarity s."""
    return (1.0 - similarity[None, :] ** rows[:, None]) ** bands


def _weighted_errors(below: _Rule, above: _Rule, bands: int, num_perm: int) -> np.ndarray:
    """Weighted false-positive + false-negative probability for r = 1 .. num_perm // bands."""
    rows = np.arange(1, num_perm // bands + 1, dtype=np.float64)
    false_positive = (1.0 - _miss_probability(below[0], bands, rows)) @ below[1]
    false_negative = _miss_probability(above[0], bands, rows) @ above[1]
    return LSH_WEIGHTS[0] * false_positive + LSH_WEIGHTS[1] * false_negative


@functools.lru_cache(maxsize=16)
def _lsh_parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with b*r <= num_perm minimising the weighted error, as datasketch picks."""
    below, above = _simpson(0.0, threshold), _simpson(threshold, 1.0)
    best, best_error = (0, 0), math.inf
    for bands in range(1, num_perm + 1):
        errors = _weighted_errors(below, above, bands, num_perm)
        row = int(np.argmin(errors))  # the first of equal errors, as datasketch's strict <
        if errors[row] < best_error:
            best, best_error = (bands, row + 1), float(errors[row])
    return best


class NearDuplicateIndex:
    """Earlier articles' signatures in a banded MinHash LSH index, queried for near-duplicates.

    Compact for a long history: each band's slice of a signature is hashed with its band number
    to 64 bits (a collision only adds a candidate, and every candidate is verified), all bands'
    keys are kept in one sorted array searched with numpy, and the additions since the last
    merge (at most MERGE_TAIL) are scanned. About 1 KB per article, its signature included.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD, num_perm: int = NUM_PERM):
        """An empty index; matches need an estimated Jaccard >= threshold."""
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if num_perm < 2:
            raise ValueError("num_perm must be at least 2")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands, self.rows = _lsh_parameters(
            max(LSH_MIN_THRESHOLD, threshold - LSH_MARGIN), num_perm
        )
        self._band_salt = _fmix64(np.arange(1, self.bands + 1, dtype=np.uint64))
        self._multipliers = _fmix64(np.arange(1, self.rows + 1, dtype=np.uint64) * _GOLDEN) | 1
        self._last: tuple[bytes, np.ndarray] | None = None  # the keys a query computed, for add
        self._row_of: dict[int, int] = {}  # article id -> row
        self._ids = np.empty(INITIAL_ROWS, dtype=np.int64)  # row -> article id
        self._signatures = np.empty((INITIAL_ROWS, num_perm), dtype=np.uint32)
        self._sorted_keys = np.empty(0, dtype=np.uint64)  # every band's keys, sorted
        self._sorted_rows = np.empty(0, dtype=np.int32)  # the row of each sorted key
        # additions since the last merge: their band keys and rows (merged when a query finds
        # more than MERGE_TAIL, so loading a long history never merges more than once)
        self._tail_keys = np.empty((MERGE_TAIL, self.bands), dtype=np.uint64)
        self._tail_rows = np.empty(MERGE_TAIL, dtype=np.int32)
        self._n_tail = 0

    def _parse(self, signature: bytes) -> np.ndarray:
        """The signature array, checked against num_perm."""
        values = signature_from_bytes(signature)
        if len(values) != self.num_perm:
            raise ValueError(f"signature has {len(values)} values, index expects {self.num_perm}")
        return values

    def _band_keys(self, values: np.ndarray) -> np.ndarray:
        """One 64-bit key per band: a multiply-add hash of the band's slice and its number."""
        rows = values[: self.bands * self.rows].reshape(self.bands, self.rows).astype(np.uint64)
        return (rows * self._multipliers).sum(axis=1, dtype=np.uint64) ^ self._band_salt

    def _merge(self) -> None:
        """Sort the tail's keys in with the sorted keys (stable: equal keys keep row order)."""
        n = self._n_tail
        keys = np.concatenate([self._sorted_keys, self._tail_keys[:n].ravel()])
        rows = np.concatenate([self._sorted_rows, np.repeat(self._tail_rows[:n], self.bands)])
        order = np.argsort(keys, kind="stable")
        self._sorted_keys, self._sorted_rows = keys[order], rows[order]
        self._n_tail = 0
        if len(self._tail_rows) > MERGE_TAIL:  # grown by a bulk load: back to its usual size
            self._tail_keys = np.empty((MERGE_TAIL, self.bands), dtype=np.uint64)
            self._tail_rows = np.empty(MERGE_TAIL, dtype=np.int32)

    def _keys_of(self, signature: bytes, values: np.ndarray) -> np.ndarray:
        """The band keys of a signature (computed once for a query followed by its add)."""
        if self._last is not None and self._last[0] == signature:
            return self._last[1]
        keys = self._band_keys(values)
        self._last = (signature, keys)
        return keys

    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        """Rows of the indexed articles sharing at least one band key."""
        if self._n_tail > MERGE_TAIL // 2:
            self._merge()
        found = []
        if len(self._sorted_keys):
            left = np.searchsorted(self._sorted_keys, keys, side="left")
            right = np.searchsorted(self._sorted_keys, keys, side="right")
            hit = right > left
            for a, b in zip(left[hit].tolist(), right[hit].tolist(), strict=True):
                found.append(self._sorted_rows[a:b])
        if self._n_tail:
            n = self._n_tail
            found.append(self._tail_rows[:n][(self._tail_keys[:n] == keys).any(axis=1)])
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int32)

    def add(self, article_id: int, signature: bytes) -> None:
        """Index an article's signature; adding an id again is ignored."""
        if article_id in self._row_of:
            logger.debug("article %s already in the near-duplicate index", article_id)
            return
        values = self._parse(signature)
        row = len(self._row_of)
        if row == len(self._ids):  # grow by half again
            size = row + row // 2 + 1
            self._ids = np.resize(self._ids, size)
            self._signatures = np.resize(self._signatures, (size, self.num_perm))
        self._ids[row] = article_id
        self._signatures[row] = values
        self._row_of[article_id] = row
        if not is_empty_signature(values):
            if self._n_tail == len(self._tail_rows):  # a bulk load without queries: grow
                size = 2 * self._n_tail
                self._tail_keys = np.resize(self._tail_keys, (size, self.bands))
                self._tail_rows = np.resize(self._tail_rows, size)
            self._tail_keys[self._n_tail] = self._keys_of(signature, values)
            self._tail_rows[self._n_tail] = row
            self._n_tail += 1

    def query(self, signature: bytes) -> tuple[int, float] | None:
        """The first (smallest id) indexed article with similarity >= threshold, and the value."""
        values = self._parse(signature)
        if is_empty_signature(values):
            return None
        rows = self._candidates(self._keys_of(signature, values))
        if not len(rows):
            return None
        similarity = similarities(self._signatures[rows], values)
        passing = similarity >= self.threshold
        if not passing.any():
            return None
        ids, values_passing = self._ids[rows[passing]], similarity[passing]
        best = int(np.argmin(ids))
        return int(ids[best]), float(values_passing[best])

    def __contains__(self, article_id: object) -> bool:
        """True when the article's signature was added."""
        return article_id in self._row_of

    def __len__(self) -> int:
        """Number of articles added."""
        return len(self._row_of)
