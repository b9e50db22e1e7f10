"""Per-band sorted LSH keys: which indexed units share a MinHash bucket with a new speech's units.

For each band, every indexed unit's band key (:func:`~dupdetect.stages.candidates.band_keys`, a 64-bit
hash of its values in the band) is kept sorted, beside the unit it belongs to. A query's unit finds the
units of its bucket with one binary search per band: no server and nothing loaded, since the arrays
are memory-mapped from the index's files and a search touches a few pages of each.

Two units share a key when their band values are equal, or, with a chance of about ``n * 2**-64`` per
query unit over ``n`` indexed units, when two different values hash alike; the alignment that follows
checks every candidate against the texts, so such a pair costs one alignment and finds nothing.
Units without shingles (an empty signature) are left out, as the scan leaves them out of its buckets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dupdetect.model.types import IntArray, U32Array, U64Array
from dupdetect.stages.candidates import SignatureBands, SignatureMatrix, band_keys

_KEYS, _UNITS = "band_keys.npy", "band_units.npy"


@dataclass(frozen=True)
class BandKeys:
    """Each band's keys, sorted (``keys[band]``), and the unit of each key (``units[band]``): ``(bands, n)``
    arrays over the ``n`` indexed units that have shingles, ``rows`` signature values a band."""

    keys: U64Array
    units: IntArray
    rows: int

    @classmethod
    def build(cls, signatures: SignatureBands, bands: int, rows: int, *, first_unit: int = 0) -> BandKeys:
        """The keys of every unit of ``signatures`` with shingles, numbered from ``first_unit`` (a segment
        added to an index goes on from the units before it). One band is read and sorted at a time."""
        live = np.flatnonzero(~np.asarray(signatures.empty()))
        keys = np.empty((bands, len(live)), dtype=np.uint64)
        units = np.empty((bands, len(live)), dtype=np.int64)
        for band in range(bands):
            found = band_keys(np.asarray(signatures.band(band, rows))[live])
            order = np.argsort(found, kind="stable")  # (stable: equal keys keep their units in order)
            keys[band] = found[order]
            units[band] = live[order] + first_unit
        return cls(keys, units, rows)

    @property
    def bands(self) -> int:
        return int(self.keys.shape[0])

    def __len__(self) -> int:
        """How many units have keys."""
        return int(self.keys.shape[1])

    def lookup(self, signatures: U32Array) -> IntArray:
        """The pairs ``(row, unit)``, ``int64[k, 2]`` sorted and distinct, of a query's unit (its ``row`` in
        ``signatures``, ``(units, bands * rows)``) and an indexed unit it shares a bucket with in at least
        one band. Query units without shingles (empty signatures) find nothing."""
        signatures = np.asarray(signatures)
        live = np.flatnonzero(~SignatureMatrix(signatures).empty())
        found = [np.zeros((0, 2), dtype=np.int64)]
        for band in range(self.bands):
            wanted = band_keys(np.ascontiguousarray(signatures[live, band * self.rows : (band + 1) * self.rows]))
            column = self.keys[band]
            start = np.searchsorted(column, wanted, side="left")
            sizes = np.searchsorted(column, wanted, side="right") - start
            if not sizes.any():
                continue
            rows = np.repeat(live, sizes)
            at = np.repeat(start - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
            found.append(np.stack([rows, np.asarray(self.units[band][at], dtype=np.int64)], axis=1))
        return np.unique(np.concatenate(found), axis=0)

    def save(self, folder: Path) -> None:
        """Write the two arrays into ``folder`` (read back with :meth:`open`)."""
        np.save(folder / _KEYS, self.keys)
        np.save(folder / _UNITS, self.units)

    @classmethod
    def open(cls, folder: Path, rows: int) -> BandKeys:
        """The keys :meth:`save` wrote, memory-mapped (read-only): a lookup reads the pages it searches."""
        return cls(np.load(folder / _KEYS, mmap_mode="r"), np.load(folder / _UNITS, mmap_mode="r"), rows)

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
