"""Signatures -> candidate pairs of units, and the stock-phrase cap.

Stock phrases of the genre ("坚持人民至上、生命至上") recur in unrelated
speeches. As passim's ``--maxDF`` does, a shingle found in more documents
than ``max(max_df, max_df_ratio * corpus size)`` is left out of matching.

Candidates are units whose signatures agree on a whole band (the bands and
rows datasketch's ``MinHashLSH`` picks for the threshold). :func:`band_candidates`
finds them with arrays: each band's rows are viewed as one opaque value and
grouped by sorting, so there is no Python object per unit; it gives exactly
the pairs :func:`lsh_candidates` (datasketch's ``MinHashLSH`` itself, kept
for small and incremental work) gives. A bucket holding more than
``max_bucket`` units (a paragraph found everywhere) is skipped and counted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from datasketch import MinHashLSH

from dupdetect.config import CandidateConfig, FingerprintConfig
from dupdetect.fingerprint import EMPTY, Shingles, to_lean_minhash
from dupdetect.types import CandidatePair, IntArray, U32Array


def df_cap(n_docs: int, config: CandidateConfig = CandidateConfig()) -> int:
    """Most documents a shingle may occur in before it counts as a stock phrase."""
    return max(config.max_df, math.ceil(config.max_df_ratio * n_docs))


def stock_shingles(docs: Sequence[Shingles], *, config: CandidateConfig = CandidateConfig()) -> U32Array:
    """Sorted hashes of the shingles that occur in more documents than :func:`df_cap`."""
    cap = df_cap(len(docs), config)
    if len(docs) <= cap:
        return np.zeros(0, dtype=np.uint32)
    # one (document, hash) code per shingle; sorting them once drops the repeats inside a document
    doc_of = np.repeat(np.arange(len(docs), dtype=np.uint64), [len(d.hashes) for d in docs])
    codes = (doc_of << np.uint64(32)) | np.concatenate([d.hashes for d in docs]).astype(np.uint64)
    codes.sort()
    distinct = codes[np.r_[True, codes[1:] != codes[:-1]]]
    hashes: U32Array = np.sort((distinct & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    counts = np.diff(np.r_[starts, len(hashes)])
    stock: U32Array = hashes[starts[counts > cap]]
    return stock


@lru_cache(maxsize=16)
def bands_and_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows) datasketch's ``MinHashLSH`` chooses for a threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate unit pairs (rows ``a < b``) and the buckets skipped as too full."""

    pairs: IntArray
    skipped_buckets: int


def band_candidates(
    signatures: U32Array,
    unit_doc: IntArray,
    *,
    config: CandidateConfig = CandidateConfig(),
    fingerprint: FingerprintConfig = FingerprintConfig(),
) -> Candidates:
    """Pairs of units of different documents whose signatures agree on a band.

    Args:
        signatures: one MinHash signature per unit, shape ``(units, num_perm)``.
        unit_doc: the document index of each unit; units of one document are
            never paired, and units with ``unit_doc < 0`` take no part.
        config: the LSH threshold and the bucket cap.
        fingerprint: the signatures' permutation count.

    Returns:
        Unique pairs as an ``(n, 2)`` array of unit indices, sorted, ``a < b``.
    """
    bands, rows = bands_and_rows(config.threshold, fingerprint.num_perm)
    live = np.flatnonzero((unit_doc >= 0) & ~(signatures == EMPTY).all(axis=1))
    if len(live) < 2:
        return Candidates(pairs=np.zeros((0, 2), dtype=np.int64), skipped_buckets=0)
    found: list[IntArray] = []
    skipped = 0
    for band in range(bands):
        block = np.ascontiguousarray(signatures[live, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        pairs, too_full = _bucket_pairs(keys, config.max_bucket)
        found.append(live[pairs])
        skipped += too_full
    every = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    every = every[unit_doc[every[:, 0]] != unit_doc[every[:, 1]]]
    n = max(1, len(unit_doc))
    codes = np.unique(every[:, 0].astype(np.int64) * n + every[:, 1])
    return Candidates(pairs=np.stack([codes // n, codes % n], axis=1), skipped_buckets=skipped)


def _bucket_pairs(keys: npt.NDArray[np.void], max_bucket: int) -> tuple[IntArray, int]:
    """All pairs ``(i, j)``, ``i < j``, of positions with equal keys; buckets over the cap skipped."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    out: list[IntArray] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_bucket)]):
        groups = order[starts[sizes == size][:, None] + np.arange(size)]  # (n_groups, size)
        groups.sort(axis=1)
        i, j = np.triu_indices(int(size), 1)
        out.append(np.stack([groups[:, i].ravel(), groups[:, j].ravel()], axis=1))
    pairs = np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)
    return pairs.astype(np.int64), int((sizes > max_bucket).sum())


def lsh_candidates(
    signatures: U32Array,
    unit_doc: IntArray,
    *,
    config: CandidateConfig = CandidateConfig(),
    fingerprint: FingerprintConfig = FingerprintConfig(),
) -> tuple[CandidatePair, ...]:
    """Pairs of units of different documents that share a datasketch ``MinHashLSH`` bucket.

    The reference for :func:`band_candidates` (no bucket cap), and the way to
    go for small or incremental work.

    Args:
        signatures: one MinHash signature per unit, shape ``(units, num_perm)``.
        unit_doc: the document index of each unit; units of one document are
            never paired, and units with ``unit_doc < 0`` take no part.
        config: the LSH threshold.
        fingerprint: the signatures' permutation count and seed.

    Returns:
        Sorted, unique pairs with ``a < b``.
    """
    bands, rows = bands_and_rows(config.threshold, fingerprint.num_perm)
    lsh = MinHashLSH(num_perm=fingerprint.num_perm, params=(bands, rows))
    live = [i for i in range(len(signatures)) if unit_doc[i] >= 0 and not (signatures[i] == EMPTY).all()]
    sketches = {i: to_lean_minhash(signatures[i], seed=fingerprint.seed) for i in live}
    with lsh.insertion_session() as session:
        for i in live:
            session.insert(i, sketches[i], check_duplication=False)
    pairs = {(min(i, j), max(i, j)) for i in live for j in lsh.query(sketches[i]) if unit_doc[i] != unit_doc[j]}
    return tuple(CandidatePair(a, b) for a, b in sorted(pairs))
