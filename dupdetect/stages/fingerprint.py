"""Match keys -> shingle hashes -> MinHash signatures, as arrays.

Shingles are character n-grams of the match key (word n-grams for
space-delimited text). They are hashed with numpy, never as one Python
string per shingle, to 32-bit values. Signatures are computed for all units
of a document at once and are exactly what datasketch's
``MinHash(num_perm, seed, hashfunc=<identity>).update_batch(hashes)`` gives
(scheme ``affine32``), so a row converts to a datasketch ``LeanMinHash``
with :func:`to_lean_minhash`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from dupdetect.model.config import FingerprintConfig
from dupdetect.model.types import IntArray, Normalized, Paragraph, U32Array, U64Array, pickled_as_call

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SCHEME = "affine32"
EMPTY = np.uint32(0xFFFFFFFF)
"""Signature value of a unit with no shingles (datasketch's empty MinHash)."""

_BASE = np.uint64(0x100000001B3)  # FNV-64 prime: an odd multiplier for the rolling hash
_WORD_RE = re.compile(r"\w+")
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_HIGH = np.uint64(32)
_BLOCK = 16384  # windows hashed at once (two work arrays of 128 KB)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_INVERSE_BASE = np.uint64(pow(int(_BASE), -1, 1 << 64))
_SENTENCE_ENDS = np.array([ord(c) for c in ".!?;"], dtype=np.uint32)  # the key's spelling of 。！？；


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Shingles:
    """Shingle hashes of one document's units, concatenated.

    Unit ``i`` owns ``hashes[bounds[i]:bounds[i + 1]]``.
    """

    hashes: U32Array
    bounds: IntArray

    def of(self, unit: int) -> U32Array:
        """The hashes of unit ``unit``."""
        return self.hashes[self.bounds[unit] : self.bounds[unit + 1]]


def shingle(
    norm: Normalized, units: Sequence[Paragraph], *, config: FingerprintConfig = FingerprintConfig()
) -> Shingles:
    """Hash the shingles of every unit of one document.

    Shingles never cross unit boundaries; a unit shorter than one shingle has
    none. Hashes are in text order within each unit (MinHash needs no
    de-duplication: a repeated shingle cannot change a minimum).
    """
    ranges = np.array([(u.key_start, u.key_end) for u in units], dtype=np.int64).reshape(-1, 2)
    return shingle_ranges(norm, ranges, config=config)


def shingle_ranges(
    norm: Normalized, ranges: npt.NDArray[np.integer], *, config: FingerprintConfig = FingerprintConfig()
) -> Shingles:
    """:func:`shingle` for units given as key ranges, an array of ``(key start, key end)`` rows in key order."""
    ranges = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
    if _by_words(norm, config):
        per_unit = [_word_hashes(norm.key[a:b], config.word_k) for a, b in ranges.tolist()]
        sizes = np.array([len(h) for h in per_unit], dtype=np.int64)
        hashes = np.concatenate(per_unit) if per_unit else np.zeros(0, dtype=np.uint32)
    else:
        hashes, sizes = _char_hashes(norm.key, ranges, config.char_k)
    bounds = np.zeros(len(ranges) + 1, dtype=np.int64)
    bounds[1:] = np.cumsum(sizes)
    return Shingles(hashes=hashes.astype(np.uint32, copy=False), bounds=bounds)


def shingle_many(
    norms: Sequence[Normalized],
    ranges: Sequence[npt.NDArray[np.integer]],
    *,
    config: FingerprintConfig = FingerprintConfig(),
) -> list[Shingles]:
    """:func:`shingle_ranges` of several documents, the same hashes, with one pass of numpy over them all.

    A document's own numpy calls cost more than its characters: hashing a few
    hundred documents at once takes a fraction of the time. Word-shingled
    documents (and units outside their key) are still hashed one by one.
    """
    out: list[Shingles | None] = [None] * len(norms)
    rows = [np.asarray(r, dtype=np.int64).reshape(-1, 2) for r in ranges]
    chars = [
        i
        for i, (n, r) in enumerate(zip(norms, rows, strict=True))
        if not _by_words(n, config) and (not len(r) or (r.min() >= 0 and r.max() <= len(n.key)))
    ]  # (a window inside a unit never reaches another document's key)
    if chars:
        k = config.char_k
        starts = np.cumsum([0, *(len(norms[i].key) for i in chars)])  # each key's place in the joined keys
        units = np.concatenate([rows[i] + start for i, start in zip(chars, starts.tolist(), strict=False)])
        hashes, sizes = _char_hashes("".join(norms[i].key for i in chars), units, k)
        per_doc = np.cumsum([0, *(len(rows[i]) for i in chars)])  # each document's first unit
        first_hash = np.zeros(len(units) + 1, dtype=np.int64)
        np.cumsum(sizes, out=first_hash[1:])
        for i, lo, hi in zip(chars, per_doc[:-1].tolist(), per_doc[1:].tolist(), strict=True):
            bounds = first_hash[lo : hi + 1] - first_hash[lo]
            out[i] = Shingles(hashes=hashes[first_hash[lo] : first_hash[hi]], bounds=bounds)
    return [
        done if done is not None else shingle_ranges(norm, r, config=config)
        for done, norm, r in zip(out, norms, rows, strict=True)
    ]


def _by_words(norm: Normalized, config: FingerprintConfig) -> bool:
    """Whether this document is shingled by words (space-delimited text), not by characters."""
    return config.shingle == "word" or (config.shingle == "auto" and not norm.cjk)


def _char_hashes(key: str, bounds: IntArray, k: int) -> tuple[U32Array, IntArray]:
    """Hashes of every k-gram that lies inside one unit, in unit order, and the count per unit."""
    sizes = np.maximum(0, bounds[:, 1] - bounds[:, 0] - k + 1)
    if not len(bounds) or not sizes.sum():
        return np.zeros(0, dtype=np.uint32), sizes
    windows = _rolling(np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64), k)
    if (bounds[1:, 0] < bounds[:-1, 1]).any():  # overlapping or unordered units: each one's windows, gathered
        offsets = np.repeat(bounds[:, 0] - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        return windows[np.arange(int(sizes.sum())) + offsets], sizes
    # units are disjoint and in key order (as segment makes them): mark the windows inside one
    edges = np.zeros(len(windows) + 1, dtype=np.int8)
    filled = bounds[sizes > 0]
    edges[filled[:, 0]] = 1
    edges[filled[:, 1] - k + 1] -= 1
    return windows[np.cumsum(edges[:-1], dtype=np.int8).view(bool)], sizes


def _word_hashes(text: str, k: int) -> U32Array:
    tokens = np.array([zlib.crc32(w.encode("utf-8")) for w in _WORD_RE.findall(text)], dtype=np.uint64)
    return _rolling(tokens, k)


def _rolling(values: U64Array, k: int) -> U32Array:
    """32-bit hash of every window of ``k`` consecutive values.

    The high half of MurmurHash3's 64-bit finalizer of the polynomial
    ``sum(values[i + j] * BASE ** (k - 1 - j))`` (mod 2**64). Computed a block
    of windows at a time, in place: the work arrays stay in the processor's cache.
    """
    n = len(values) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint32)
    out = np.empty(n, dtype=np.uint32)
    size = min(n, _BLOCK)
    acc, tmp = np.empty(size, dtype=np.uint64), np.empty(size, dtype=np.uint64)
    shift, m1, m2 = _FMIX64
    for lo in range(0, n, _BLOCK):
        m = min(_BLOCK, n - lo)
        h, t = acc[:m], tmp[:m]
        np.copyto(h, values[lo : lo + m])
        for j in range(1, k):
            h *= _BASE
            h += values[lo + j : lo + j + m]
        np.right_shift(h, shift, out=t)
        h ^= t
        h *= m1
        np.right_shift(h, shift, out=t)
        h ^= t
        h *= m2
        # the finalizer's last step, h ^= h >> 33, leaves the high half unchanged: skipped
        np.right_shift(h, _HIGH, out=t)
        out[lo : lo + m] = t
    return out


def _fmix32(h: U32Array) -> U32Array:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    s1, m1, s2, m2 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s1)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[U32Array, U32Array]:
    """datasketch's affine permutation parameters ``(a, b)`` for this seed.

    The draws ``MinHash(num_perm, seed, scheme="affine32")`` makes (an odd ``a``,
    any ``b``, from ``numpy.random.RandomState(seed)``), without importing
    datasketch, which imports scipy (tests/test_fingerprint.py compares them).
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def signatures(shingles: Shingles, *, config: FingerprintConfig = FingerprintConfig()) -> U32Array:
    """MinHash signature of every unit: an array of shape ``(units, num_perm)``.

    Units without shingles get the empty signature (all :data:`EMPTY`).
    """
    a, b = permutations(config.num_perm, config.seed)
    units = len(shingles.bounds) - 1
    out = np.full((units, config.num_perm), EMPTY, dtype=np.uint32)
    sizes = np.diff(shingles.bounds)
    filled = np.flatnonzero(sizes > 0)
    mixed = _fmix32(shingles.hashes)
    for chunk in _chunks(filled, shingles.bounds):
        lo, hi = int(shingles.bounds[chunk[0]]), int(shingles.bounds[chunk[-1] + 1])
        # permutation-major: each permutation is one contiguous row, reduced along it (4x faster)
        permuted = a[:, None] * mixed[None, lo:hi]
        permuted += b[:, None]
        out[chunk] = np.minimum.reduceat(permuted, shingles.bounds[chunk] - lo, axis=1).T
    return out


_CHUNK_SHINGLES = 1 << 12  # a (num_perm x shingles) block of 2 MB: it stays in the cache


def _chunks(filled: IntArray, bounds: IntArray) -> list[IntArray]:
    """Runs of consecutive non-empty units holding about ``_CHUNK_SHINGLES`` shingles each."""
    if not len(filled):
        return []
    starts = bounds[filled]
    cuts = np.flatnonzero(np.diff(starts // _CHUNK_SHINGLES)) + 1
    return [c for c in np.split(filled, cuts) if len(c)]


def concat(parts: Sequence[Shingles]) -> Shingles:
    """The units of several documents as one :class:`Shingles` (in order)."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return Shingles(hashes=np.zeros(0, dtype=np.uint32), bounds=np.zeros(1, dtype=np.int64))
    hashes = np.concatenate([p.hashes for p in parts])
    offsets = np.cumsum([0, *(len(p.hashes) for p in parts[:-1])])
    bounds = np.concatenate([[0], *(p.bounds[1:] + o for p, o in zip(parts, offsets, strict=True))])
    return Shingles(hashes=hashes, bounds=bounds.astype(np.int64))


def drop_hashes(shingles: Shingles, stop: U32Array) -> Shingles:
    """The same units without the hashes in ``stop`` (sorted)."""
    if len(stop) == 0 or len(shingles.hashes) == 0:
        return shingles
    hashes = shingles.hashes
    hit = _found_in(hashes, stop)
    if not len(hit):
        return shingles
    keep = np.ones(len(hashes), dtype=bool)
    keep[hit] = False
    kept_before = np.zeros(len(hashes) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    return Shingles(hashes=hashes[keep], bounds=kept_before[shingles.bounds])


def _found_in(hashes: U32Array, stop: U32Array) -> IntArray:
    """The positions of ``hashes`` that ``stop`` (sorted, not empty) holds."""
    maybe = np.flatnonzero(_buckets(stop)[hashes >> _BUCKET_SHIFT])  # a cheap first test, then the exact one
    at = np.searchsorted(stop, hashes[maybe]).clip(max=len(stop) - 1)
    found: IntArray = maybe[stop[at] == hashes[maybe]]
    return found


_BUCKET_SHIFT = np.uint32(12)  # 2**20 buckets of hashes


@lru_cache(maxsize=4)
def _buckets_of(stop: bytes) -> npt.NDArray[np.bool_]:
    table = np.zeros(1 << 20, dtype=bool)
    table[np.frombuffer(stop, dtype=np.uint32) >> _BUCKET_SHIFT] = True
    return table


def _buckets(stop: U32Array) -> npt.NDArray[np.bool_]:
    """Which hash buckets hold a hash of ``stop`` (made once per stop list)."""
    return _buckets_of(stop.tobytes())


def to_lean_minhash(signature: U32Array, *, seed: int) -> LeanMinHash:
    """A signature row as a datasketch ``LeanMinHash`` (for its LSH and serialisation)."""
    from datasketch import LeanMinHash  # imported here: datasketch imports scipy

    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


def sentence_anchors(
    norms: Sequence[Normalized],
    ranges: Sequence[npt.NDArray[np.integer]],
    *,
    length: int = 60,
    stock: U32Array | None = None,
    k: int = 5,
) -> tuple[U64Array, IntArray]:
    """A 64-bit hash of the ``length`` key characters after each sentence end, for some documents at once.

    Where a text's sentences start does not depend on where a site cut its
    paragraphs, so two documents sharing a passage of a few sentences share
    these hashes whatever paragraphs hold it (a Traditional mirror cut
    differently, a quote inside a longer paragraph, a preview's excerpt), when
    the MinHash of the paragraphs around it agree too little.

    Args:
        norms: the documents' match keys.
        ranges: per document, its units as rows of ``(key start, key end)``.
        length: key characters hashed after each sentence start (and each key's start).
        stock: sorted hashes of the stock phrases' character ``k``-grams: an anchor
            whose text is at least half stock phrases is left out (genre formulas
            strung together, not a shared passage).
        k: the character shingle size of ``stock``.

    Returns:
        The hashes, and per hash the unit its text starts in, numbered over all
        the documents' units in order. A text running past its key's end is left out.
    """
    keys = [n.key for n in norms]
    rows = [np.asarray(r, dtype=np.int64).reshape(-1, 2) for r in ranges]
    key_start = np.cumsum([0, *(len(k) for k in keys)])
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32)
    starts = np.union1d(np.flatnonzero(np.isin(codes, _SENTENCE_ENDS)) + 1, key_start[:-1])
    doc = np.searchsorted(key_start, starts, side="right") - 1
    starts = starts[starts + length <= key_start[np.minimum(doc + 1, len(keys))]]
    units = np.concatenate([r + k for r, k in zip(rows, key_start.tolist(), strict=False)] or [np.zeros((0, 2))])
    unit = np.searchsorted(units[:, 0], starts, side="right") - 1 if len(units) else np.zeros(0, dtype=np.int64)
    inside = (unit >= 0) & (starts < units[np.maximum(unit, 0), 1]) if len(units) else unit >= 0
    starts, unit = starts[inside], unit[inside].astype(np.int64)
    if stock is not None and len(stock) and len(starts) and length >= k:
        offsets = np.arange(0, length - k + 1, _STOCK_STEP)  # every 4th k-gram of an anchor is looked up
        grams = _window_hashes(codes, (starts[:, None] + offsets).ravel(), k)
        is_stock = np.zeros(len(grams), dtype=bool)
        is_stock[_found_in(grams, stock)] = True
        fresh = 2 * is_stock.reshape(len(starts), len(offsets)).sum(axis=1) < len(offsets)
        starts, unit = starts[fresh], unit[fresh]
    if not len(starts):
        return np.zeros(0, dtype=np.uint64), unit
    # sum(codes[s + j] * BASE ** -j): differences of one prefix sum of codes[t] * BASE ** -t, times BASE ** s
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * _powers(_INVERSE_BASE, len(codes)), out=prefix[1:])
    hashes = (prefix[starts + length] - prefix[starts]) * _powers(_BASE, len(codes))[starts]
    return _fmix64(hashes), unit


_STOCK_STEP = 4


def _window_hashes(codes: U32Array, positions: IntArray, k: int) -> U32Array:
    """:func:`_rolling`'s hash of the ``k`` values at each of ``positions`` (each window inside ``codes``)."""
    h = codes[positions].astype(np.uint64)
    for j in range(1, k):
        h *= _BASE
        h += codes[positions + j]
    return (_fmix64(h) >> _HIGH).astype(np.uint32)


def _powers(base: np.uint64, n: int) -> U64Array:
    """``base ** t`` (mod 2**64) for t in range(n)."""
    out = np.full(n, base, dtype=np.uint64)
    if n:
        out[0] = 1
        np.cumprod(out, out=out)  # (integer arrays wrap around: mod 2**64)
    return out


def _fmix64(h: U64Array) -> U64Array:
    """MurmurHash3's 64-bit finalizer."""
    shift, m1, m2 = _FMIX64
    h = h ^ (h >> shift)
    h = h * m1
    h = h ^ (h >> shift)
    h = h * m2
    return h ^ (h >> shift)
