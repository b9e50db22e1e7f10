"""Signatures -> candidate pairs of units.

Candidates are units whose signatures agree on a whole band (the bands and
rows datasketch's ``MinHashLSH`` picks for the threshold). :func:`band_candidates`
finds them with arrays: each band's rows are viewed as one opaque value and
grouped by sorting, so there is no Python object per unit. A bucket of at
most ``star_above`` units gives exactly the pairs :func:`lsh_candidates`
(datasketch's ``MinHashLSH`` itself, kept for small and incremental work)
gives; a bigger bucket (a template's paragraph copied by hundreds, a stock
formula in every fifth speech) pairs each unit with one hub, so candidates
grow linearly with the corpus however common a text is.

Stock phrases of the genre ("坚持人民至上、生命至上") are not dropped by a
count here: they recur in documents that otherwise share nothing, so the
passages they make are short and no family grows from them (``families``
asks for long verbatim runs); a template's text recurs as long runs in the
same documents. The passim-style cap (a shingle in more than
``max(max_df, max_df_ratio * corpus size)`` documents left out of MinHash)
and the bucket cap (a bucket over ``max_bucket`` units skipped) remain as
opt-in settings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from dupdetect.model.config import CandidateConfig, FingerprintConfig
from dupdetect.model.stage import Mapper, Part, PartStore, in_memory, in_process, part_length
from dupdetect.model.types import CandidatePair, IntArray, U32Array, U64Array
from dupdetect.stages.fingerprint import EMPTY, Shingles, to_lean_minhash


def df_cap(n_docs: int, config: CandidateConfig = CandidateConfig()) -> int | None:
    """Most documents a shingle may occur in before the opt-in cap leaves it out (None: no cap)."""
    if config.max_df is None:
        return None
    return max(config.max_df, math.ceil(config.max_df_ratio * n_docs))


_BUCKET_BITS = 18  # occurrences counted per 2**18 hash buckets (cache-sized): a first, linear filter
_CHUNK_DOCS = 2048
_MIN_CHUNKS = 8  # fewer chunks (a corpus under about 16,000 documents) are counted in this process: quicker


def stock_shingles(
    docs: Sequence[Shingles], *, config: CandidateConfig = CandidateConfig(), run: Mapper = in_process
) -> U32Array:
    """Sorted hashes of the shingles that occur in more documents than :func:`df_cap`.

    Linear in the corpus: occurrences are first counted per hash bucket, and
    only the hashes of buckets that could hold a stock shingle (more
    occurrences than the cap) are counted exactly, once per document. Both
    passes go over chunks of documents, run by ``run``.
    """
    cap = df_cap(len(docs), config)
    if cap is None or len(docs) <= cap:
        return np.zeros(0, dtype=np.uint32)
    chunks = [(lo, min(lo + _CHUNK_DOCS, len(docs))) for lo in range(0, len(docs), _CHUNK_DOCS)]
    counts = np.zeros(1 << _BUCKET_BITS, dtype=np.int64)
    for part in run(_bucket_counts, chunks, shared=(docs, None), min_items=_MIN_CHUNKS):
        counts += part
    heavy = counts > cap
    if not heavy.any():
        return np.zeros(0, dtype=np.uint32)
    # one (document, hash) code per candidate shingle; sorting them drops the repeats inside a document
    every = np.concatenate(run(_heavy_codes, chunks, shared=(docs, heavy), min_items=_MIN_CHUNKS))
    every.sort()
    distinct = every[np.r_[True, every[1:] != every[:-1]]]
    hashes: U32Array = np.sort((distinct & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    per_hash = np.diff(np.r_[starts, len(hashes)])
    stock: U32Array = hashes[starts[per_hash > cap]]
    return stock


_SHIFT = np.uint32(32 - _BUCKET_BITS)


_COUNT_RANGES = 4  # ranges of documents the stock-phrase bucket counts are made over


def _bucket_counts(shared: tuple[Sequence[Shingles], int | None], chunk: tuple[int, int]) -> npt.NDArray[np.int32]:
    """Worker: how many shingle occurrences of documents ``lo`` to ``hi`` fall in each of ``2**bits`` hash buckets
    (read :data:`_CHUNK_DOCS` documents at a time: making the shingles of 8,192 documents at once took
    about 1 GB in each worker at 100k)."""
    docs, bits = shared
    bits = bits or _BUCKET_BITS
    lo, hi = chunk
    counts = np.zeros(1 << bits, dtype=np.int64)
    step = _CHUNK_DOCS
    for start in range(lo, hi, step):
        hashes = np.concatenate(
            [np.zeros(0, dtype=np.uint32), *(d.hashes for d in docs[start : min(hi, start + step)])]
        )
        counts += np.bincount((hashes >> np.uint32(32 - bits)).astype(np.intp), minlength=1 << bits)
    return counts.astype(np.int32)  # half the bytes to send back: a range holds far fewer than 2**31 shingles


def _heavy_codes(shared: tuple[Sequence[Shingles], npt.NDArray[np.bool_]], chunk: tuple[int, int]) -> U64Array:
    """Worker: ``document << 32 | hash`` for each shingle of documents ``lo`` to ``hi`` in a heavy bucket."""
    docs, heavy = shared
    lo, hi = chunk
    part = docs[lo:hi]  # (read once: a slice may be made on demand)
    hashes = np.concatenate([np.zeros(0, dtype=np.uint32), *(d.hashes for d in part)])
    doc = np.repeat(np.arange(lo, hi, dtype=np.uint64), [len(d.hashes) for d in part])
    wanted = heavy[hashes >> _SHIFT]
    codes: U64Array = (doc[wanted] << np.uint64(32)) | hashes[wanted].astype(np.uint64)
    return codes


# The (bands, rows) datasketch's MinHashLSH picks for 128 permutations at these thresholds, kept here
# because importing datasketch imports scipy, about a second of every run (tests/test_candidates.py
# checks each against datasketch); other settings ask datasketch.
_BANDS_128 = {
    0.05: (32, 1), 0.1: (64, 2), 0.15: (51, 2), 0.2: (28, 2), 0.25: (42, 3), 0.3: (37, 3), 0.35: (32, 4),
    0.4: (32, 4), 0.45: (25, 5), 0.5: (25, 5), 0.55: (21, 6), 0.6: (18, 7), 0.65: (16, 8), 0.7: (14, 9),
    0.75: (11, 11), 0.8: (9, 13), 0.85: (8, 16), 0.9: (5, 25), 0.95: (3, 42),
}  # fmt: skip


@lru_cache(maxsize=16)
def bands_and_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows) datasketch's ``MinHashLSH`` chooses for a threshold."""
    if num_perm == 128 and threshold in _BANDS_128:
        return _BANDS_128[threshold]
    from datasketch import MinHashLSH  # imported here: datasketch imports scipy

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


class SignatureBands(Protocol):
    """The corpus's MinHash signatures as LSH reads them: band by band, not a row at a time.

    A matrix in memory is one (:class:`SignatureMatrix`); the engine keeps a large corpus's on
    disk, band-major, so no process ever holds every signature (at a million documents they are
    twelve gigabytes).
    """

    def __len__(self) -> int:
        """How many units (rows) there are."""
        ...

    def band(self, band: int, rows: int) -> U32Array:
        """Every unit's values in band ``band`` of ``rows`` rows: shape ``(units, rows)``."""
        ...

    def identity(self) -> U32Array:
        """An array with a row per unit, rows equal exactly when the units' signatures are (or a digest of them)."""
        ...

    def empty(self) -> npt.NDArray[np.bool_]:
        """Per unit, whether its signature is the empty one (no shingles)."""
        ...


class SignatureMatrix:
    """:class:`SignatureBands` of a signature matrix ``(units, num_perm)`` in memory."""

    def __init__(self, matrix: U32Array) -> None:
        self.matrix = matrix

    def __len__(self) -> int:
        return len(self.matrix)

    def band(self, band: int, rows: int) -> U32Array:
        block: U32Array = self.matrix[:, band * rows : (band + 1) * rows]
        return block

    def identity(self) -> U32Array:
        return self.matrix

    def empty(self) -> npt.NDArray[np.bool_]:
        maybe = np.flatnonzero(self.matrix[:, 0] == EMPTY)  # an empty signature is EMPTY throughout
        out = np.zeros(len(self.matrix), dtype=bool)
        out[maybe[(self.matrix[maybe] == EMPTY).all(axis=1)]] = True
        return out


def signature_digests(matrix: U32Array) -> U32Array:
    """A 128-bit digest of each signature (two 64-bit hashes of its values, with different seeds), as
    ``uint32[units, 4]``: what groups equal signatures when the signatures themselves are on disk.

    Two different signatures share one with a chance of about 2**-128.
    """
    digest = np.stack([_band_hash(matrix), _band_hash(matrix, seed=_SECOND_SEED)], axis=1)
    return np.ascontiguousarray(digest).view(np.uint32).reshape(len(matrix), 4)


_SECOND_SEED = 0x243F6A8885A308D3


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate unit pairs (rows ``a < b``) and the buckets skipped as too full."""

    pairs: IntArray
    skipped_buckets: int


def _as_is(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The default ``share``: the array itself."""
    return array


def band_candidates(
    signatures: U32Array | SignatureBands,
    unit_doc: IntArray,
    *,
    config: CandidateConfig = CandidateConfig(),
    fingerprint: FingerprintConfig = FingerprintConfig(),
    rank: IntArray | None = None,
    run: Mapper = in_process,
    store: PartStore = in_memory,
    share: Callable[[npt.NDArray[Any]], npt.NDArray[Any]] = _as_is,
) -> Candidates:
    """Pairs of units of different documents whose signatures agree on a band.

    A bucket of at most ``config.star_above`` units pairs all of them, as
    datasketch's ``MinHashLSH`` does; a bigger one (a paragraph copied by a
    whole family, or a stock formula found everywhere) pairs each of its units
    with one hub, the unit of lowest ``rank``: as many pairs as units, so a
    template copied 5,000 times costs 5,000 pairs per band, not 12 million.
    The documents stay joined (every unit of the bucket is one pair from the
    hub) and which pairs are aligned is decided later, per family.

    Args:
        signatures: one MinHash signature per unit, shape ``(units, num_perm)``, or
            the same read band by band (:class:`SignatureBands`).
        unit_doc: the document index of each unit; units of one document are
            never paired, and units with ``unit_doc < 0`` take no part.
        config: the LSH threshold, the star size and the (optional) bucket cap.
        fingerprint: the signatures' permutation count.
        rank: per unit, which is the hub of a big bucket (lowest first, ties to
            the lower index); None: the lowest index.
        run: how the bands' shares (one task each), then the ranges of their pairs, are run; the result
            does not depend on it.
        store: where each band's pairs are left, to be merged a range at a time.
        share: what the tasks' context arrays (a value per unit) are made before they go to ``run``'s workers
            (the engine's Dask workers read them from files); the values are unchanged.

    Each band's units are cut into shares by their key's hash range when there are more than
    ``config.band_partition`` distinct signatures (a bucket's units share a key, so each bucket lies in one
    share): a task groups one share of one band, so its memory is the partition's, not the corpus's.
    The pairs found do not depend on the partition.

    Returns:
        Unique pairs as an ``(n, 2)`` array of unit indices, sorted, ``a < b``.
    """
    bands, rows = bands_and_rows(config.threshold, fingerprint.num_perm)
    source = SignatureMatrix(signatures) if isinstance(signatures, np.ndarray) else signatures
    alive = (unit_doc >= 0) & ~source.empty()
    live = np.flatnonzero(alive)
    if len(live) < 2:
        return Candidates(pairs=np.zeros((0, 2), dtype=np.int64), skipped_buckets=0)
    # the order in which units become hubs: a dense rank, lowest first, ties to the lower index
    order = np.lexsort((live, rank[live])) if rank is not None else np.arange(len(live))
    hub_rank = np.empty(len(live), dtype=np.int64)
    hub_rank[order] = np.arange(len(live))
    # Units with equal signatures (a paragraph repeated verbatim by a family) share every bucket:
    # band one representative per signature, each weighing as many units as it stands for.
    groups = _Groups.of(source.identity(), live).hub_first(hub_rank)
    reps = live[groups.members[groups.starts]]
    # representatives in row order, so each band's columns are read in one pass down the matrix
    # rather than a row at random (a cache miss per row); position i stands for group by_row[i]
    by_row = np.argsort(reps)
    reps, weights = reps[by_row], groups.sizes[by_row]
    rep_rank = hub_rank[groups.members[groups.starts]][by_row]
    del order, hub_rank
    parts: list[_Sorted] = []
    over = np.zeros(len(reps), dtype=np.int32)  # in how many bands the group's bucket was over the cap
    skipped = 0
    max_bucket = config.max_bucket if config.max_bucket is not None else np.iinfo(np.int64).max
    n = len(reps)
    partition = max(config.band_partition, -(-n // 65535))  # (a share's number is a uint16)
    shares = -(-n // partition)
    blocks = [(lo, min(lo + partition, n)) for lo in range(0, n, partition)]
    routes: list[list[Part]] = []
    reps_shared = share(reps)
    if shares > 1:  # each block's share of every band, by key hash range: a shuffle on the band keys
        routed = _RouteWork(source, reps_shared, bands, rows, shares, store)
        routes = run(_route_task, blocks, shared=routed, min_items=2)
    shared = _BandWork(
        source, reps_shared, share(weights), share(rep_rank), rows, max_bucket, config.star_above, store, blocks, routes
    )
    tasks = [(band, at) for band in range(bands) for at in range(shares)]
    for part, too_full_rows, too_full in run(_band_task, tasks, shared=shared, min_items=2):
        parts.append(part)
        over[too_full_rows] += 1
        skipped += too_full
    group_ok = np.zeros(len(reps), dtype=bool)
    group_ok[by_row] = over < bands  # the group's own bucket was under the cap in some band
    del over
    # the bands' pairs of representatives merged a range of them at a time, the ranges spread over `run`
    kept = _Groups(share(groups.members), share(groups.starts), share(groups.sizes))
    merge = _MergeWork(parts, store, kept, share(by_row), config.star_above)
    found = [
        groups.within(group_ok, config.star_above),
        *run(_merge_task, _shares(merge.parts), shared=merge, min_items=2),
    ]
    del merge, groups
    joined = np.concatenate(found)
    del found  # (each piece goes as soon as it is not needed: at a million documents, 35 M pairs are 0.55 GB)
    unit_pairs = live[joined]
    del joined
    unit_pairs.sort(axis=1)
    unit_pairs = unit_pairs[unit_doc[unit_pairs[:, 0]] != unit_doc[unit_pairs[:, 1]]]
    return Candidates(pairs=unique_pairs([unit_pairs]), skipped_buckets=skipped)


def anchor_candidates(
    anchors: U64Array,
    anchor_unit: IntArray,
    unit_doc: IntArray,
    *,
    rank: IntArray | None = None,
    star_above: int = 16,
) -> IntArray:
    """Pairs of units of different documents that hold the same sentence anchor (see
    :func:`~dupdetect.stages.fingerprint.sentence_anchors`): a shared passage, however its paragraphs were cut.

    Like a band's bucket, an anchor held by at most ``star_above`` units pairs
    them all, and one held by more (a template's sentence copied by a whole
    family, a formula) pairs each with its hub, the unit of lowest ``rank``.

    Returns:
        Unique pairs as an ``(n, 2)`` array of unit indices, sorted, ``a < b``.
    """
    alive = unit_doc[anchor_unit] >= 0
    anchors, anchor_unit = anchors[alive], anchor_unit[alive]
    if len(anchors) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    # grouped a share of the hashes at a time (equal hashes fall in one share): a million documents'
    # 60 M anchors grouped at once took several gigabytes of sort keys and orders
    shares = max(1, -(-len(anchors) // _ANCHORS_AT_ONCE))
    found = []
    for share in range(shares):
        which = np.flatnonzero(anchors % np.uint64(shares) == share) if shares > 1 else np.arange(len(anchors))
        units = anchor_unit[which]
        groups = _Groups.of(np.ascontiguousarray(anchors[which]).view(np.uint32).reshape(-1, 2))
        if rank is not None:
            groups = groups.hub_first(rank[units])
        pairs = units[groups.within(groups.sizes >= 2, star_above)]
        pairs.sort(axis=1)
        found.append(pairs[unit_doc[pairs[:, 0]] != unit_doc[pairs[:, 1]]])
    return unique_pairs(found)


_ANCHORS_AT_ONCE = 1 << 23  # sentence anchors grouped at a time


def unique_pairs(parts: Sequence[IntArray]) -> IntArray:
    """The distinct rows of ``(n, 2)`` non-negative integer arrays, sorted."""
    every = parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
    if not len(every):
        return np.zeros((0, 2), dtype=np.int64)
    n = int(every.max()) + 1
    codes = _pair_codes(every, n)
    del every
    codes.sort()
    return _code_pairs(codes[np.r_[True, codes[1:] != codes[:-1]]], n)


def _pair_codes(pairs: IntArray, n: int) -> IntArray:
    """Each row ``(i, j)`` of values under ``n`` as one ``int64``, ``i * n + j``: sorting the codes sorts the rows."""
    if n > 3_037_000_499:  # (n * n would pass 2**63)
        raise OverflowError(f"{n} values are too many to code pairs of them in 64 bits")
    return pairs[:, 0].astype(np.int64) * n + pairs[:, 1]


def _code_pairs(codes: npt.NDArray[np.integer], n: int) -> IntArray:
    """:func:`_pair_codes` undone."""
    return np.stack([codes // n, codes % n], axis=1)


_NO_STAR = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class _Groups:
    """Rows of an array grouped by equality: group ``g`` is ``members[starts[g]:starts[g] + sizes[g]]``."""

    members: IntArray
    starts: IntArray
    sizes: IntArray

    @classmethod
    def of(cls, matrix: U32Array, index: IntArray | None = None) -> _Groups:
        """Groups of the rows ``matrix[index]`` (all rows without ``index``); members are positions in ``index``.

        Each row's 64-bit hash, cut to leave room for the row's position in its
        low bits, is sorted as one integer (a plain sort, several times faster
        than an argsort); rows are compared a slice at a time, so the selected
        rows are never copied whole. Rows that share a cut hash but differ are
        regrouped by their values.
        """
        n = len(matrix) if index is None else len(index)

        def rows(which: IntArray | slice) -> U32Array:
            return matrix[which] if index is None else matrix[index[which]]

        step = max(1, _SLICE_BYTES // max(1, matrix.shape[1] * matrix.itemsize))
        bits = np.uint64(max(1, n.bit_length()))
        keys = np.empty(n, dtype=np.uint64)
        for lo in range(0, n, step):
            h = _band_hash(rows(slice(lo, lo + step)))
            keys[lo : lo + step] = (h >> bits << bits) | np.arange(lo, lo + len(h), dtype=np.uint64)
        keys.sort()
        order = (keys & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.int64)
        keys >>= bits  # (in place: the hashes ranked)
        ranked = keys
        same = np.flatnonzero(ranked[1:] == ranked[:-1])  # i and i + 1 (in order) share a hash
        differ = np.zeros(len(same), dtype=bool)
        for lo in range(0, len(same), step):
            at = same[lo : lo + step]
            differ[lo : lo + step] = _opaque(rows(order[at])) != _opaque(rows(order[at + 1]))
        new = np.ones(n, dtype=bool)
        new[same + 1] = False
        if differ.any():  # different rows under one hash: sort each such run by its rows' values
            run_starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
            run_ends = np.r_[run_starts[1:], n]
            for run in np.unique(np.searchsorted(run_starts, same[differ], side="right") - 1).tolist():
                lo, hi = int(run_starts[run]), int(run_ends[run])
                block = rows(order[lo:hi])
                by_value = np.lexsort(block.T[::-1])
                order[lo:hi] = order[lo:hi][by_value]
                block = block[by_value]
                new[lo:hi] = np.r_[True, (block[1:] != block[:-1]).any(axis=1)]
        starts = np.flatnonzero(new)
        return cls(members=order, starts=starts, sizes=np.diff(np.r_[starts, n]))

    def hub_first(self, rank: IntArray) -> _Groups:
        """The same groups, each with its member of lowest ``rank`` first (the group's hub; of equals, the
        first), swapped with the member that was first. Linear: what is paired with the hub is each
        other member, in any order, so the groups are not sorted (at a million documents, sorting
        20 M members by group and rank was most of each band's time)."""
        if not len(self.starts):
            return self
        n = len(self.members)
        ranks = rank[self.members]
        low, high = int(ranks.min()), int(ranks.max())
        if (high - low + 1) * n < 2**63:  # each group's least (rank, position), one pass
            packed = (ranks.astype(np.int64) - low) * n + np.arange(n)
            hub = np.minimum.reduceat(packed, self.starts) % n
        else:
            at = np.flatnonzero(ranks == np.repeat(np.minimum.reduceat(ranks, self.starts), self.sizes))
            group = np.searchsorted(self.starts, at, side="right") - 1
            hub = at[np.r_[True, group[1:] != group[:-1]]]  # the first member of its group's lowest rank
        members = self.members.copy()
        members[self.starts], members[hub] = self.members[hub], self.members[self.starts]
        return _Groups(members=members, starts=self.starts, sizes=self.sizes)

    def only(self, chosen: npt.NDArray[np.bool_]) -> _Groups:
        """The chosen groups alone (a band's few big buckets among millions of single rows)."""
        sizes = self.sizes[chosen]
        starts = np.cumsum(sizes) - sizes
        at = np.repeat(self.starts[chosen] - starts, sizes) + np.arange(int(sizes.sum()))
        return _Groups(members=self.members[at], starts=starts, sizes=sizes)

    def across(self, pairs: IntArray, star_above: int) -> IntArray:
        """Pairs of rows joining groups ``a`` and ``b`` of each pair of groups.

        Every row of ``a`` with every row of ``b`` when the two groups hold at
        most ``star_above`` rows together, else only their two hubs (the rows
        of each group are joined to its hub by :meth:`within`).
        """
        a, b = pairs[:, 0], pairs[:, 1]
        counts = self.sizes[a] * self.sizes[b]
        counts[self.sizes[a] + self.sizes[b] > star_above] = 1
        which = np.repeat(np.arange(len(pairs)), counts)
        k = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        width = self.sizes[b][which]
        u = self.members[self.starts[a][which] + k // width]
        v = self.members[self.starts[b][which] + k % width]
        return np.stack([u, v], axis=1)

    def within(self, chosen: npt.NDArray[np.bool_] | None = None, star_above: int = _NO_STAR) -> IntArray:
        """Pairs of rows inside each chosen group (None: every group): all of them in a group of at most
        ``star_above`` rows, else each row with the group's first row (its hub)."""
        out = [np.zeros((0, 2), dtype=np.int64)]
        if chosen is None:
            chosen = np.ones(len(self.starts), dtype=bool)
        small = self.sizes <= star_above
        for size in np.unique(self.sizes[chosen & small & (self.sizes >= 2)]).tolist():
            rows = self.members[self.starts[chosen & (self.sizes == size)][:, None] + np.arange(size)]
            i, j = np.triu_indices(size, 1)
            out.append(np.stack([rows[:, i].ravel(), rows[:, j].ravel()], axis=1))
        big = np.flatnonzero(chosen & ~small)
        if len(big):
            hubs = np.repeat(self.members[self.starts[big]], self.sizes[big] - 1)
            at = np.repeat(self.starts[big] + 1, self.sizes[big] - 1)
            at += np.arange(len(at)) - np.repeat(
                np.cumsum(self.sizes[big] - 1) - (self.sizes[big] - 1), self.sizes[big] - 1
            )
            out.append(np.stack([hubs, self.members[at]], axis=1))
        return np.concatenate(out)


_SLICE_BYTES = 1 << 22  # rows hashed and compared at a time: 4 MB (8192 signatures; a band in one go)


def _opaque(rows: U32Array) -> npt.NDArray[np.void]:
    """Each row of a C-contiguous array as one opaque value (compared whole, as bytes)."""
    rows = np.ascontiguousarray(rows)
    return rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()


def band_keys(block: U32Array) -> U64Array:
    """Each unit's key in one band (``block``: its rows of the band, ``(units, rows)``): a 64-bit hash of
    the values, equal for units in one LSH bucket. The saved index keeps these, sorted, band by band."""
    return _band_hash(block)


def _band_hash(block: U32Array, seed: int = 0) -> U64Array:
    """A 64-bit hash of each row."""
    h = np.full(len(block), seed, dtype=np.uint64)
    for column in block.T:
        h = (h ^ column.astype(np.uint64)) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    return h


@dataclass(frozen=True, slots=True)
class _RouteWork:
    """What the routing tasks share: the signatures, the representatives, the bands and rows a band, how many
    shares each band is cut into, and where each block's routes go."""

    source: SignatureBands
    reps: IntArray
    bands: int
    rows: int
    shares: int
    store: PartStore


def _route_task(shared: _RouteWork, block: tuple[int, int]) -> list[Part]:
    """Worker: for a block of representatives (where it begins and ends), in each band, the share each
    one's key falls in (``uint16``, kept in the store), a band at a time."""
    lo, hi = block
    reps = np.asarray(shared.reps[lo:hi])
    out = []
    for band in range(shared.bands):
        keys = _band_hash(shared.source.band(band, shared.rows)[reps])
        out.append(shared.store.put(_share_of(keys, shared.shares)))
    return out


def _share_of(keys: U64Array, shares: int) -> npt.NDArray[np.uint16]:
    """The share (of ``shares`` about equal hash ranges) each key falls in."""
    share: npt.NDArray[np.uint16] = ((keys >> np.uint64(32)) * np.uint64(shares) >> np.uint64(32)).astype(np.uint16)
    return share


@dataclass(frozen=True, slots=True)
class _BandWork:
    """What the band tasks share: the signatures, the representatives banded (rows of the signatures), each
    one's weight (units it stands for) and hub rank, the rows a band, the bucket cap, the star size, where
    the pairs go; and, when the bands are cut into shares, the blocks of representatives and each block's
    routes (a part per band: the share of each representative)."""

    source: SignatureBands
    reps: IntArray
    weights: IntArray
    rank: IntArray
    rows: int
    max_bucket: int
    star_above: int
    store: PartStore
    blocks: list[tuple[int, int]]
    routes: list[list[Part]]


@dataclass(frozen=True, slots=True)
class _MergeWork:
    """What the merging tasks share: every band's pairs (sorted codes in a store), the groups of equal
    signatures, which group each representative stands for, and the star size."""

    parts: Sequence[_Sorted]
    store: PartStore
    groups: _Groups
    by_row: IntArray
    star_above: int


def _merge_task(shared: _MergeWork, share: tuple[int, int]) -> IntArray:
    """Worker: the distinct pairs of representatives of one range of codes (every band's), as pairs of rows of
    the signature groups (:meth:`_Groups.across`)."""
    pieces = [shared.store.get(p.values, *p.bounds(*share)) for p in shared.parts]
    codes = _distinct(np.concatenate([np.zeros(0, dtype=np.int64), *pieces]))[0]  # (np.unique: 20-30 times slower)
    del pieces
    n = len(shared.by_row)
    return shared.groups.across(shared.by_row[_code_pairs(codes, n)], shared.star_above)


def _band_task(shared: _BandWork, task: tuple[int, int]) -> tuple[_Sorted, IntArray, int]:
    """Worker: one share of one band (``task``: band, share): its pairs of representatives (``i * n + j`` over
    ``n`` representatives, sorted, kept in the store), those of its representatives in a bucket over the cap,
    and how many buckets were over it.

    Kept in the store, not sent back: the bands of a million documents pair hundreds of millions of
    representatives, most of them again and again (a copy shares nearly every band with its template).
    """
    band, share = task
    n = len(shared.reps)
    if shared.routes:  # (the share's representatives, in order: a bucket's hub is chosen among them as in one)
        at = np.concatenate(
            [np.zeros(0, dtype=np.int64)]
            + [
                lo + np.flatnonzero(shared.store.get(routes[band]) == share)
                for (lo, _), routes in zip(shared.blocks, shared.routes, strict=True)
            ]
        )
        reps, weights, rank = shared.reps[at], shared.weights[at], shared.rank[at]
    else:
        at, reps, weights, rank = np.arange(n), shared.reps, shared.weights, shared.rank
    block = shared.source.band(band, shared.rows)[reps]
    pairs, ok, too_full = _bucket_pairs(block, weights, rank, shared.max_bucket, shared.star_above)
    del block
    codes = np.sort(_pair_codes(at[pairs], n))
    return _Sorted.of(codes, shared.store, max(8, (n * n).bit_length())), at[~ok], too_full


def _bucket_pairs(
    block: U32Array, weight: IntArray, rank: IntArray, max_bucket: int, star_above: int = _NO_STAR
) -> tuple[IntArray, npt.NDArray[np.bool_], int]:
    """Pairs ``(i, j)``, ``i < j``, of equal rows of ``block``, where row ``i`` stands for ``weight[i]`` units.

    A bucket of at most ``star_above`` units pairs all its rows; a bigger one
    pairs each row with its hub, the row of lowest ``rank``. A bucket of more
    than ``max_bucket`` units is skipped. Also returns which rows were in a
    bucket under the cap, and how many buckets were skipped.
    """
    groups = _Groups.of(block)
    units = np.add.reduceat(weight[groups.members], groups.starts)
    ok = units <= max_bucket
    in_ok = np.zeros(len(block), dtype=bool)
    in_ok[groups.members] = np.repeat(ok, groups.sizes)
    small = units <= star_above
    pairs = groups.within(ok & small)
    if (ok & ~small).any():
        star = groups.only(ok & ~small).hub_first(rank).within(star_above=0)  # (the hubs of those groups only)
        pairs = np.concatenate([pairs, star])
    pairs.sort(axis=1)
    return pairs, in_ok, int((~ok).sum())


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
    from datasketch import MinHashLSH  # imported here: datasketch imports scipy

    bands, rows = bands_and_rows(config.threshold, fingerprint.num_perm)
    lsh = MinHashLSH(num_perm=fingerprint.num_perm, params=(bands, rows))
    live = [i for i in range(len(signatures)) if unit_doc[i] >= 0 and not (signatures[i] == EMPTY).all()]
    sketches = {i: to_lean_minhash(signatures[i], seed=fingerprint.seed) for i in live}
    with lsh.insertion_session() as session:
        for i in live:
            session.insert(i, sketches[i], check_duplication=False)
    pairs = {(min(i, j), max(i, j)) for i in live for j in lsh.query(sketches[i]) if unit_doc[i] != unit_doc[j]}
    return tuple(CandidatePair(a, b) for a, b in sorted(pairs))


def shared_unit_pairs(a: Shingles, b: Shingles, *, min_shared: int = 16, min_share: float = 0.5) -> IntArray:
    """Units of two documents that share at least ``min_shared`` distinct shingles, or ``min_share`` of the
    smaller unit's (a short paragraph, a paragraph of word shingles): ``(unit of a, unit of b)`` rows.

    Containment, not Jaccard: a passage inside a longer paragraph is found
    whatever the paragraphs around it. Used to align two given documents (a
    family member against its template, a pair asked for on demand) without
    the corpus's LSH; linear in the two documents' shingles.
    """
    codes = []
    for s in (a, b):
        unit = np.repeat(np.arange(len(s.bounds) - 1, dtype=np.uint64), np.diff(s.bounds))
        codes.append(_distinct((s.hashes.astype(np.uint64) << np.uint64(32)) | unit)[0])
    ha, hb = (c >> np.uint64(32) for c in codes)
    ua, ub = ((c & np.uint64(0xFFFFFFFF)).astype(np.int64) for c in codes)
    lo, hi = np.searchsorted(hb, ha, side="left"), np.searchsorted(hb, ha, side="right")
    hits = hi - lo
    if not hits.sum():
        return np.zeros((0, 2), dtype=np.int64)
    left = np.repeat(ua, hits)
    right = ub[np.repeat(lo, hits) + np.arange(int(hits.sum())) - np.repeat(np.cumsum(hits) - hits, hits)]
    width = int(ub.max()) + 1
    pair_codes, counts = _distinct(left * width + right)
    sizes_a, sizes_b = np.bincount(ua, minlength=len(a.bounds) - 1), np.bincount(ub, minlength=len(b.bounds) - 1)
    smaller = np.minimum(sizes_a[pair_codes // width], sizes_b[pair_codes % width])
    least = np.minimum(min_shared, np.maximum(2, np.ceil(min_share * smaller)))
    kept = pair_codes[counts >= least]
    return np.stack([kept // width, kept % width], axis=1)


def _distinct(values: npt.NDArray[np.integer]) -> tuple[npt.NDArray[np.integer], IntArray]:
    """The sorted distinct values and how often each occurs (a plain sort: ``np.unique`` hashes, slower here)."""
    ordered = np.sort(values)
    firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, dtype=np.int64)
    return ordered[firsts], np.diff(np.r_[firsts, len(ordered)])


def stock_phrases(
    docs: Sequence[Shingles],
    *,
    config: CandidateConfig = CandidateConfig(),
    run: Mapper = in_process,
    size: int | None = None,
    store: PartStore = in_memory,
) -> U32Array:
    """Sorted hashes of the genre's stock phrases: shingles that recur in many places but not *with* the
    same text around them.

    A template's shingles recur together: wherever a copy holds one, the text
    ``stock_context`` characters before or after it is the template's text
    too. A stock formula ("坚持人民至上、生命至上") recurs in speeches that
    otherwise share nothing: the text around it differs from one occurrence
    to the next. A shingle seen at least ``max(stock_min_docs, stock_min_share
    * documents)`` times whose most common neighbour at that distance (before
    or after, whichever agrees more) comes with it in less than
    ``stock_agreement`` of its occurrences is a stock phrase: left out of
    MinHash, so it makes no candidate. A template copied 5,000 times is
    not one, however often its shingles recur.

    Linear in the corpus: occurrences are counted per hash bucket first, and
    only those in buckets that could hold a stock phrase are looked at with
    their context, over chunks of documents run by ``run`` (``docs``
    is read a slice at a time; ``size``, about how many shingles it holds,
    saves counting them first). Each chunk's codes go to ``store`` and are
    tallied a range of hashes at a time.
    """
    least = max(config.stock_min_docs, math.ceil(config.stock_min_share * len(docs)))
    total = size if size is not None else sum(len(d.hashes) for d in docs)
    if len(docs) < config.stock_min_docs or total < least:
        return np.zeros(0, dtype=np.uint32)
    bits = int(np.clip(np.log2(max(1, total // 16)), _BUCKET_BITS, 24))  # about 16 occurrences a bucket or fewer
    chunks = [(lo, min(lo + _CHUNK_DOCS, len(docs))) for lo in range(0, len(docs), _CHUNK_DOCS)]
    # counted over a few large ranges: each answer is a whole table (64 MB at 2**24 buckets)
    step = max(_CHUNK_DOCS, -(-len(docs) // _COUNT_RANGES))
    ranges = [(lo, min(lo + step, len(docs))) for lo in range(0, len(docs), step)]
    counts = np.zeros(1 << bits, dtype=np.int64)
    for part in run(_bucket_counts, ranges, shared=(docs, bits), min_items=2):
        counts += part
    heavy = counts >= least
    if not heavy.any():
        return np.zeros(0, dtype=np.uint32)
    shared = (docs, heavy, bits, config.stock_context, store)
    parts = run(_context_codes, chunks, shared=shared, min_items=_MIN_CHUNKS)
    hashes, times = _joined(_tally([p[2] for p in parts], store))  # each occurrence once
    best = np.zeros(len(hashes), dtype=np.float64)
    for side in (0, 1):  # the neighbours after, then before: a range of hashes at a time, every code of one hash in it
        for found, n, top in itertools.starmap(_agreement, _tally([p[side] for p in parts], store)):
            at = np.searchsorted(hashes, found)
            best[at] = np.maximum(best[at], top / np.maximum(n, 1))
    stock: U32Array = hashes[(times >= least) & (best < config.stock_agreement)].astype(np.uint32)
    return stock


@dataclass(frozen=True, slots=True)
class _Sorted:
    """Sorted values kept in a :class:`PartStore`, and where they cross each of the 255 cuts of their range
    by its top 8 bits: the values of a range are read alone (:meth:`bounds`)."""

    values: Part
    cuts: IntArray

    @classmethod
    def of(cls, values: npt.NDArray[np.integer], store: PartStore, bits: int) -> _Sorted:
        """Sorted ``values`` (``bits`` wide: under ``2**bits``) kept in ``store``."""
        return cls(store.put(values), np.searchsorted(values, _cuts(bits, values.dtype)).astype(np.int64))

    def bounds(self, first: int, last: int) -> tuple[int, int]:
        """Where the values of the 256ths ``first`` to ``last - 1`` of the range lie."""
        return int(self.cuts[first - 1]) if first else 0, int(self.cuts[last - 1]) if last < 256 else len(self)

    def __len__(self) -> int:
        return part_length(self.values)


def _cuts(bits: int, dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """The 255 values that cut a ``bits``-wide range into 256 by their top 8 bits."""
    cuts: npt.NDArray[Any] = np.arange(1, 256, dtype=np.uint64).astype(dtype) << np.array(max(0, bits - 8), dtype=dtype)
    return cuts


def _shares(parts: Sequence[_Sorted]) -> list[tuple[int, int]]:
    """The ranges (in 256ths) to read ``parts`` in: consecutive 256ths holding about :data:`_AT_ONCE` values
    together (a 256th holding more is a range alone). Values are seldom even over their range (a band's
    pair codes crowd where the copies' representatives are), so the ranges follow the counts."""
    per = np.zeros(256, dtype=np.int64)
    for p in parts:
        per += np.diff(np.r_[0, p.cuts, len(p)])
    out: list[tuple[int, int]] = []
    lo = held = 0
    for k, n in enumerate(per.tolist()):
        if k > lo and held + n > _AT_ONCE:
            out.append((lo, k))
            lo, held = k, 0
        held += n
    out.append((lo, 256))
    return out


_AT_ONCE = 1 << 24  # values sorted at once (about 400 MB of a sort's own arrays)


@dataclass(frozen=True, slots=True)
class _Tallied:
    """Distinct values (sorted) with how often each occurred, kept in a :class:`PartStore`."""

    values: _Sorted
    counts: Part

    @classmethod
    def of(cls, values: npt.NDArray[np.integer], store: PartStore, bits: int) -> _Tallied:
        """``values`` counted (:func:`_distinct`, the counts as ``int32``: a chunk's are small) and kept."""
        distinct, counts = _distinct(values)
        return cls(_Sorted.of(distinct, store, bits), store.put(counts.astype(np.int32)))


def _tally(parts: Sequence[_Tallied], store: PartStore) -> Iterator[tuple[Any, IntArray]]:
    """Distinct values with their counts, from parts that each hold some with theirs: a range of values at
    a time (cut by their top bits), each range's values in order with their totals. Only one range's
    slices of the parts are read at a time: the sort's arrays stay a fraction of the whole, and parts
    kept on disk are never all in memory.
    """
    for first, last in _shares([p.values for p in parts]):
        where = [p.values.bounds(first, last) for p in parts]
        if not any(hi > lo for lo, hi in where):
            continue
        values = np.concatenate([store.get(p.values.values, lo, hi) for p, (lo, hi) in zip(parts, where, strict=True)])
        counts = np.concatenate([store.get(p.counts, lo, hi) for p, (lo, hi) in zip(parts, where, strict=True)])
        order = np.argsort(values, kind="stable")
        values, counts = values[order], counts[order]
        del order
        firsts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        yield values[firsts], np.add.reduceat(counts, firsts, dtype=np.int64)


def _joined(ranges: Iterable[tuple[Any, IntArray]]) -> tuple[Any, IntArray]:
    """Every range of :func:`_tally` in one pair of arrays."""
    every = list(ranges)
    if not every:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate([v for v, _ in every]), np.concatenate([c for _, c in every])


def _agreement(distinct: U64Array, per_code: IntArray) -> tuple[U32Array, IntArray, IntArray]:
    """From distinct ``hash << 32 | neighbour`` codes and how often each occurs: each hash, its occurrences,
    and those of its commonest neighbour."""
    if not len(distinct):
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    hashes = (distinct >> np.uint64(32)).astype(np.uint32)
    firsts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    return hashes[firsts], np.add.reduceat(per_code, firsts), np.maximum.reduceat(per_code, firsts)


def _context_codes(
    shared: tuple[Sequence[Shingles], npt.NDArray[np.bool_], int, int, PartStore], chunk: tuple[int, int]
) -> tuple[_Tallied, _Tallied, _Tallied]:
    """Worker: ``hash << 32 | neighbour`` for each shingle of documents ``lo`` to ``hi`` in a heavy bucket, with the
    shingle ``context`` places after it, and with the one as far before it (inside its unit).

    A shingle with neither inside its unit takes the farthest one of its unit, as its neighbour after.
    Also the hash of every such occurrence. Each is kept distinct, with how often it occurred (a
    template's copies in one chunk keep its codes once), in the store: at a million documents they
    are gigabytes, summed over the chunks.
    """
    docs, heavy, bits, context, store = shared
    lo, hi = chunk
    part = docs[lo:hi]
    hashes = np.concatenate([np.zeros(0, dtype=np.uint32), *(d.hashes for d in part)])
    offsets = np.cumsum([0, *(len(d.hashes) for d in part)])
    starts = np.concatenate(
        [np.zeros(0, dtype=np.int64), *(d.bounds[:-1] + o for d, o in zip(part, offsets[:-1], strict=True))]
    )
    sizes = np.concatenate([np.zeros(0, dtype=np.int64), *(np.diff(d.bounds) for d in part)])
    index = np.flatnonzero(heavy[hashes >> np.uint32(32 - bits)])
    # the unit holding each occurrence: the last one starting at or before it (an empty unit starts where
    # the next one does, so it is never the last)
    unit = np.searchsorted(starts, index, side="right") - 1
    pos, n = index - starts[unit], sizes[unit]
    ahead = np.where(pos + context < n, index + context, -1)
    back = np.where(pos >= context, index - context, -1)
    far = np.where(pos < n / 2, index + (n - 1 - pos), index - pos)
    ahead = np.where((ahead < 0) & (back < 0), far, ahead)
    own = hashes[index].astype(np.uint64) << np.uint64(32)
    return (
        _Tallied.of(own[ahead >= 0] | hashes[ahead[ahead >= 0]].astype(np.uint64), store, 64),
        _Tallied.of(own[back >= 0] | hashes[back[back >= 0]].astype(np.uint64), store, 64),
        _Tallied.of(hashes[index], store, 32),
    )
