"""Per-band sorted LSH keys: which indexed units share a MinHash bucket with a new speech's units.

For each band, every indexed unit's band key (:func:`~dupdetect.stages.candidates.band_keys`, a 64-bit
hash of its values in the band) is kept sorted, beside the unit it belongs to. A query's unit finds the
units of its bucket with one binary search per band: no server and nothing loaded, since the arrays
are memory-mapped from the index's files and a search touches a few pages of each.

A key is the high 32 bits of the band's 64-bit hash, and a unit a 32-bit number: 8 bytes a unit and
band. Two units share a key when their band values are equal, or, with a chance of ``2**-32`` for two
different values (about one unit of a speech's thousand band lookups in a 100k index), when they hash
alike; a document such a unit points at gets one hit, ranks below the documents the speech shares
buckets with, and is only aligned (and then found to share nothing) among the first candidates.
Units without shingles (an empty signature) are left out, as the scan leaves them out of its buckets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from dupdetect.model.types import IntArray, U32Array, U64Array
from dupdetect.stages.candidates import SignatureBands, SignatureMatrix, band_keys

_KEYS, _UNITS, _FENCES = "band_keys.npy", "band_units.npy", "band_fences.npy"
BLOCK = 512
"""Keys a block: a lookup finds a key's block among each band's first keys of blocks (``band_fences.npy``,
read whole), then reads that block alone."""


@dataclass(frozen=True)
class BandKeys:
    """Each band's keys, sorted (``keys[band]``), and the unit of each key (``units[band]``): ``(bands, n)``
    arrays over the ``n`` indexed units that have shingles, ``rows`` signature values a band."""

    keys: U32Array
    units: U32Array  # (unit numbers over the corpus: at most 2**32)
    rows: int
    fences: U32Array | None = None  # each band's every BLOCK-th key (made when first needed if not read)
    files: tuple[BinaryIO, BinaryIO] | None = None  # the keys' and units' files, read with pread (see open)

    @classmethod
    def build(cls, signatures: SignatureBands, bands: int, rows: int, *, first_unit: int = 0) -> BandKeys:
        """The keys of every unit of ``signatures`` with shingles, numbered from ``first_unit`` (a segment
        added to an index goes on from the units before it). One band is read and sorted at a time."""
        live = np.flatnonzero(~np.asarray(signatures.empty()))
        if len(live) and int(live[-1]) + first_unit >= 2**32:
            raise ValueError("an index holds at most 2**32 units")
        keys = np.empty((bands, len(live)), dtype=np.uint32)
        units = np.empty((bands, len(live)), dtype=np.uint32)
        for band in range(bands):
            found = _keys(np.asarray(signatures.band(band, rows))[live])
            order = np.argsort(found, kind="stable")  # (stable: equal keys keep their units in order)
            keys[band] = found[order]
            units[band] = live[order] + first_unit
        return cls(keys, units, rows)

    @classmethod
    def of_anchors(cls, hashes: U64Array, units: IntArray) -> BandKeys:
        """The sentence anchors of a corpus (:func:`~dupdetect.stages.fingerprint.sentence_anchors`) as one band:
        the high half of each hash, sorted, with the unit it starts in."""
        keys = anchor_keys(hashes)
        order = np.argsort(keys, kind="stable")
        return cls(keys[order][None, :], np.asarray(units, dtype=np.uint32)[order][None, :], 0)

    @property
    def bands(self) -> int:
        return int(self.keys.shape[0])

    def __len__(self) -> int:
        """How many units have keys."""
        return int(self.keys.shape[1])

    def lookup(self, signatures: U32Array) -> IntArray:
        """The pairs ``(row, unit)``, ``int64[k, 2]`` sorted and distinct, of a query's unit (its ``row`` in
        ``signatures``, ``(units, bands * rows)``) and an indexed unit it shares a bucket with in at least
        one band. Query units without shingles (empty signatures) find nothing.

        Per band, the blocks of keys the wanted keys fall in (between two fences) are read once each, all
        bands' asked of the kernel first (``posix_fadvise``: read in parallel from a cold disk), and every
        wanted key is searched in them at once."""
        signatures = np.asarray(signatures)
        live = np.flatnonzero(~SignatureMatrix(signatures).empty())
        wanted = [
            _keys(np.ascontiguousarray(signatures[live, band * self.rows : (band + 1) * self.rows]))
            for band in range(self.bands)
        ]
        return self.lookup_keys(wanted, live)

    def lookup_keys(self, wanted: list[U32Array], rows: IntArray) -> IntArray:
        """:meth:`lookup` of keys already made: per band, the ``wanted`` keys of the query's ``rows``."""
        live = np.asarray(rows, dtype=np.int64)
        fences = self.fences if self.fences is not None else np.asarray(self.keys[:, ::BLOCK])
        runs = [  # (the keys equal to a wanted one lie between the blocks the fences bound it by)
            _runs(_blocks(fences[band], wanted[band], len(self)), len(self)) for band in range(self.bands)
        ]
        self._prefetch(runs)
        found = [np.zeros((0, 2), dtype=np.int64)]
        for band, (starts, stops) in enumerate(runs):
            if not len(starts):
                continue
            keys = np.concatenate(
                [_read(self.keys, self._file(0), band, a, b) for a, b in zip(starts, stops, strict=True)]
            )
            lo = np.searchsorted(keys, wanted[band], "left")
            hi = np.searchsorted(keys, wanted[band], "right")
            hit = hi > lo
            if not hit.any():
                continue
            count = hi[hit] - lo[hit]  # (a bucket's keys are consecutive in the band: one range of units)
            at = np.repeat(lo[hit] - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
            sizes = stops - starts
            first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            units = np.zeros(len(keys), dtype=np.uint32)
            for run in distinct(np.searchsorted(first, at, side="right") - 1).tolist():  # (the runs holding hits)
                units[first[run] : first[run] + sizes[run]] = _read(
                    self.units, self._file(1), band, int(starts[run]), int(stops[run])
                )
            found.append(np.stack([np.repeat(live[hit], count), units[at].astype(np.int64)], axis=1))
        pairs = np.concatenate(found)
        codes = distinct((pairs[:, 0] << 32) | pairs[:, 1])  # (one sort of int64s: unique rows sort slowly)
        return np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)

    def _file(self, which: int) -> BinaryIO | None:
        return self.files[which] if self.files else None

    def _prefetch(self, runs: list[tuple[IntArray, IntArray]]) -> None:
        """Ask the kernel for every run of keys a lookup will read, at once."""
        file, keys = self._file(0), self.keys
        if file is None or not isinstance(keys, np.memmap) or not hasattr(os, "posix_fadvise"):
            return
        width = keys.dtype.itemsize
        for band, (starts, stops) in enumerate(runs):
            for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
                at = keys.offset + (band * keys.shape[1] + a) * width
                os.posix_fadvise(file.fileno(), at, (b - a) * width, os.POSIX_FADV_WILLNEED)

    def save(self, folder: Path) -> None:
        """Write the arrays into ``folder`` (read back with :meth:`open`), and each band's every
        :data:`BLOCK`-th key."""
        np.save(folder / _KEYS, self.keys)
        np.save(folder / _UNITS, self.units)
        np.save(folder / _FENCES, np.ascontiguousarray(self.keys[:, ::BLOCK]))

    @classmethod
    def open(cls, folder: Path, rows: int) -> BandKeys:
        """The keys :meth:`save` wrote, memory-mapped (read-only); a lookup reads the blocks it needs with
        ``pread`` (the page cache holds them, not the process: a memory-mapped binary search touched 400 MB
        of a 100k index's pages a query)."""
        keys, units = (np.load(folder / name, mmap_mode="r") for name in (_KEYS, _UNITS))
        files = (open(folder / _KEYS, "rb", buffering=0), open(folder / _UNITS, "rb", buffering=0))  # noqa: SIM115
        return cls(keys, units, rows, np.load(folder / _FENCES), files)

    @classmethod
    def merge(cls, parts: list[BandKeys]) -> BandKeys:
        """One set of keys for several (an index's segments, compacted): each band's keys sorted again."""
        rows = {p.rows for p in parts}
        if len(rows) != 1:
            raise ValueError("band keys of different rows per band cannot be merged")
        keys = np.concatenate([np.asarray(p.keys) for p in parts], axis=1)
        units = np.concatenate([np.asarray(p.units) for p in parts], axis=1)
        order = np.argsort(keys, axis=1, kind="stable")
        return cls(np.take_along_axis(keys, order, axis=1), np.take_along_axis(units, order, axis=1), rows.pop())


def distinct(values: npt.NDArray[np.integer]) -> npt.NDArray[np.integer]:
    """The sorted distinct ``values``: ``np.unique`` by a sort (which does not import ``numpy.ma``, 30 ms of a
    query process's start)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _blocks(fences: U32Array, wanted: U32Array, size: int) -> IntArray:
    """The blocks of a band (sorted, distinct) that hold the keys equal to the ``wanted`` ones: from the one
    before the first fence not below a key to the one before the first fence above it."""
    first = np.maximum(np.searchsorted(fences, wanted, side="left") - 1, 0)
    last = np.minimum(np.searchsorted(fences, wanted, side="right"), -(-size // BLOCK))
    spans = np.maximum(last - first, 0)
    steps = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
    return distinct(np.repeat(first, spans) + steps).astype(np.int64)


def _runs(blocks: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Sorted distinct blocks as runs of consecutive ones: each run's first and last key position (+1)."""
    if not len(blocks):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    breaks = np.flatnonzero(np.diff(blocks) != 1) + 1
    firsts = blocks[np.concatenate([[0], breaks])]
    lasts = blocks[np.concatenate([breaks - 1, [len(blocks) - 1]])]
    return firsts * BLOCK, np.minimum((lasts + 1) * BLOCK, size)


def anchor_keys(hashes: U64Array) -> U32Array:
    """Sentence anchors' keys: the high half of their hashes."""
    return (np.asarray(hashes, dtype=np.uint64) >> np.uint64(32)).astype(np.uint32)


def _keys(block: U32Array) -> U32Array:
    """The units' keys in one band: the high half of :func:`~dupdetect.stages.candidates.band_keys`."""
    return (band_keys(block) >> np.uint64(32)).astype(np.uint32)


def _read(array: np.ndarray[Any, Any], file: BinaryIO | None, band: int, start: int, stop: int) -> np.ndarray[Any, Any]:
    """``array[band, start:stop]``; from its open ``file`` (memory-mapped from it) with ``pread``, mapping no
    page (the files stay open with the keys: a query reads a thousand blocks)."""
    if file is None or not isinstance(array, np.memmap):
        return np.asarray(array[band, start:stop])
    width = array.dtype.itemsize
    at = array.offset + (band * array.shape[1] + start) * width
    data = os.pread(file.fileno(), (stop - start) * width, at)
    if len(data) != (stop - start) * width:
        raise OSError(f"{array.filename}: the band keys file is shorter than its header says")
    return np.frombuffer(data, dtype=array.dtype)
