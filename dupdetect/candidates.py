"""Signatures -> candidate pairs of units, and the stock-phrase cap.

Stock phrases of the genre ("坚持人民至上、生命至上") recur in unrelated
speeches. As passim's ``--maxDF`` does, a shingle found in more documents
than ``max(max_df, max_df_ratio * corpus size)`` is left out of matching.
Candidates come from datasketch's ``MinHashLSH`` banding of the signatures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
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
    per_doc = [np.unique(d.hashes) for d in docs]
    values, counts = np.unique(np.concatenate(per_doc), return_counts=True)
    return values[counts > cap].astype(np.uint32)


def candidate_pairs(
    signatures: U32Array,
    unit_doc: IntArray,
    *,
    config: CandidateConfig = CandidateConfig(),
    fingerprint: FingerprintConfig = FingerprintConfig(),
) -> tuple[CandidatePair, ...]:
    """Pairs of units of different documents that share an LSH bucket.

    Args:
        signatures: one MinHash signature per unit, shape ``(units, num_perm)``.
        unit_doc: the document index of each unit; units of one document are
            never paired, and units with ``unit_doc < 0`` take no part.
        config: the LSH threshold.
        fingerprint: the signatures' permutation count and seed.

    Returns:
        Sorted, unique pairs with ``a < b``.
    """
    lsh = MinHashLSH(threshold=config.threshold, num_perm=fingerprint.num_perm)
    live = [i for i in range(len(signatures)) if unit_doc[i] >= 0 and not (signatures[i] == EMPTY).all()]
    sketches = {i: to_lean_minhash(signatures[i], seed=fingerprint.seed) for i in live}
    with lsh.insertion_session() as session:
        for i in live:
            session.insert(i, sketches[i], check_duplication=False)
    pairs = {(min(i, j), max(i, j)) for i in live for j in lsh.query(sketches[i]) if unit_doc[i] != unit_doc[j]}
    return tuple(CandidatePair(a, b) for a, b in sorted(pairs))
