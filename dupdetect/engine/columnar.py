"""The corpus as columns: match keys in a file on disk, the rest in flat arrays, never an object per item.

A forked worker that reads a Python string writes its reference count, and so
copies the memory page that holds it: two workers reading every key of a 100k
corpus copied hundreds of megabytes between them, in every stage that reads
keys. And a million documents' keys are five gigabytes. So the normalising
workers write each key, as UTF-16, straight into one file made before they
fork (a slot per document, as long as its text plus a margin; a key that does
not fit comes back as a string), and send back only its offset-map runs,
placeholders and a digest (for exact duplicates). A :class:`Normalized` is made
from its slot when a stage asks for it (a ``pread`` and a decode, a few
microseconds), used and dropped: in a worker, its memory is the worker's own;
the file's pages are the kernel's cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt

from dupdetect.engine.local import shared_array
from dupdetect.model.columns import ragged
from dupdetect.model.types import I32Array, IntArray, Normalized, Span, U32Array
from dupdetect.stages.candidates import signature_digests
from dupdetect.stages.fingerprint import EMPTY

_CODEC = "utf-16-le"
MARGIN = 64  # code units a key may run past its text's length (NFKC expands a few characters)


T = TypeVar("T")


class Table(Sequence[T]):
    """A sequence whose items are made on demand from columns: subclasses give ``__len__`` and ``_item``."""

    @overload
    def __getitem__(self, at: int) -> T: ...
    @overload
    def __getitem__(self, at: slice) -> list[T]: ...
    def __getitem__(self, at: int | slice) -> T | list[T]:
        if isinstance(at, slice):
            return [self._item(i) for i in range(*at.indices(len(self)))]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        return self._item(at % len(self))

    def __iter__(self) -> Iterator[T]:
        return (self._item(i) for i in range(len(self)))

    @abstractmethod
    def _item(self, i: int) -> T:
        """Item ``i`` (``0 <= i < len(self)``), made from the columns."""


class KeySlots:
    """One file of UTF-16 code units, a slot per document, written once by whichever process.

    The file is ``keys.utf16`` in ``folder`` (the run's scratch folder), or, without a folder, an
    unlinked temporary file (gone when the last process holding it ends). Forked workers share its
    descriptor and address it by offset only (``pread``, ``pwrite``).
    """

    def __init__(self, capacities: Sequence[int] | IntArray, folder: Path | None = None) -> None:
        sizes = np.asarray(capacities, dtype=np.int64) + MARGIN
        self.starts: IntArray = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        if folder is None:
            self.path: Path | None = None
            self._file = tempfile.TemporaryFile(prefix="keys-")  # noqa: SIM115 (lives with the slots)
        else:
            self.path = folder / "keys.utf16"
            self._file = self.path.open("w+b")
        self._file.truncate(2 * int(self.starts[-1]))  # sparse: an unwritten slot takes no room
        self._fd = self._file.fileno()

    @classmethod
    def open(cls, path: Path, starts: IntArray) -> KeySlots:
        """The slots of a file written before (kept in a work folder), with its slots' ``starts``."""
        slots = cls.__new__(cls)
        slots.starts, slots.path = np.asarray(starts, dtype=np.int64), path
        slots._file = path.open("r+b")
        slots._fd = slots._file.fileno()
        return slots

    def __getstate__(self) -> tuple[IntArray, Path]:
        """Pickled as the file's name (a worker that was not forked opens it again), not its descriptor."""
        if self.path is None:
            raise TypeError("keys in a temporary file cannot be sent to another process")
        return self.starts, self.path

    def __setstate__(self, state: tuple[IntArray, Path]) -> None:
        self.starts, self.path = state
        self._file = self.path.open("r+b")
        self._fd = self._file.fileno()

    def move(self, path: Path) -> None:
        """Move the file to ``path`` (a rename: the open descriptor stays good)."""
        if self.path is None:
            raise ValueError("the slots' file is a temporary one")
        os.replace(self.path, path)
        self.path = path

    def write(self, doc: int, key: str) -> int | None:
        """Put ``key`` in document ``doc``'s slot: its length in code units, or None when it does not fit."""
        data = key.encode(_CODEC, "surrogatepass")
        start, end = int(self.starts[doc]), int(self.starts[doc + 1])
        if start + len(data) // 2 > end:
            return None
        if os.pwrite(self._fd, data, 2 * start) != len(data):
            raise OSError(f"could not write the key of document {doc}")
        return len(data) // 2

    def read(self, doc: int, length: int) -> str:
        data = os.pread(self._fd, 2 * length, 2 * int(self.starts[doc]))
        return data.decode(_CODEC, "surrogatepass")


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the normalising workers send back for consecutive documents (their keys are in the slots),
    as a few arrays for them all: not an object a document, which at a million documents would be
    gigabytes of small objects in the parent.

    Document ``first + i``'s runs are ``runs[run_offsets[i]:run_offsets[i + 1]]``, and so on.
    """

    first: int
    code_units: IntArray  # per document: code units written in its slot; -1: did not fit, ``overflow`` holds it
    overflow: Mapping[int, str]  # document (in the corpus) -> its key
    run_offsets: IntArray
    runs: I32Array  # (n, 3)
    place_offsets: IntArray
    places: IntArray  # (n, 2)
    cjk: npt.NDArray[np.bool_]
    lengths: IntArray  # characters
    digests: npt.NDArray[np.uint8]  # (n, 16): of what exact duplicates are found by (the key, or a short text)
    has_digest: npt.NDArray[np.bool_]  # False: an empty text, never a duplicate

    @classmethod
    def of(cls, slots: KeySlots, first: int, norms: Sequence[Normalized], texts: Sequence[str], short: int) -> Prepared:
        """Documents ``first``, ``first + 1``, ...: their keys written into ``slots``, the rest as arrays.

        ``short``: a key shorter than this is compared for exact duplicates by its stripped text instead.
        """
        written = [slots.write(first + i, n.key) for i, n in enumerate(norms)]
        digests = np.zeros((len(norms), 16), dtype=np.uint8)
        has = np.zeros(len(norms), dtype=bool)
        for i, (norm, text) in enumerate(zip(norms, texts, strict=True)):
            same = norm.key if len(norm.key) >= short else "\0" + text.strip()
            if same != "\0":
                digest = hashlib.blake2b(same.encode("utf-8", "surrogatepass"), digest_size=16).digest()
                digests[i], has[i] = np.frombuffer(digest, dtype=np.uint8), True
        run_offsets, runs = ragged([n.runs for n in norms], 3, np.int32)
        place_offsets, places = ragged(
            [np.array([(p.start, p.end) for p in n.placeholders], dtype=np.int64) for n in norms], 2, np.int64
        )
        return cls(
            first=first,
            code_units=np.array([-1 if w is None else w for w in written], dtype=np.int64),
            overflow={first + i: n.key for i, (n, w) in enumerate(zip(norms, written, strict=True)) if w is None},
            run_offsets=run_offsets,
            runs=runs,
            place_offsets=place_offsets,
            places=places,
            cjk=np.array([n.cjk for n in norms], dtype=bool),
            lengths=np.array([len(n.key) for n in norms], dtype=np.int64),
            digests=digests,
            has_digest=has,
        )


def joined_offsets(parts: Sequence[IntArray]) -> IntArray:
    """Per-part offset arrays (each starting at 0) as one over the parts' rows laid end to end."""
    if not parts:
        return np.zeros(1, dtype=np.int64)
    sizes = np.concatenate([np.diff(p) for p in parts])
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


class NormTable(Table[Normalized]):
    """Every document's :class:`Normalized`: ``table[i]`` makes document ``i``'s from flat arrays.

    The keys are in the slots' file; offset-map runs and placeholders are each one flat array with
    per-document offsets: a worker reading them touches two array objects, not three per document.
    """

    def __init__(self, slots: KeySlots, prepared: Sequence[Prepared]) -> None:
        self._slots = slots
        self._units = np.concatenate([np.zeros(0, np.int64), *(p.code_units for p in prepared)])
        self._run_offsets = joined_offsets([p.run_offsets for p in prepared])
        self._runs = np.concatenate([np.zeros((0, 3), np.int32), *(p.runs for p in prepared)])
        self._place_offsets = joined_offsets([p.place_offsets for p in prepared])
        self._places = np.concatenate([np.zeros((0, 2), np.int64), *(p.places for p in prepared)])
        self._cjk = np.concatenate([np.zeros(0, bool), *(p.cjk for p in prepared)])
        self._lengths = np.concatenate([np.zeros(0, np.int64), *(p.lengths for p in prepared)])
        self._overflow: Mapping[int, str] = {i: key for p in prepared for i, key in p.overflow.items()}

    ARRAYS = ("code_units", "run_offsets", "runs", "place_offsets", "places", "cjk", "lengths")

    def arrays(self) -> dict[str, np.ndarray[Any, Any]]:
        """The table's arrays by name (the keys are in its slots' file; overflowing ones in :meth:`overflow`)."""
        values = (
            self._units,
            self._run_offsets,
            self._runs,
            self._place_offsets,
            self._places,
            self._cjk,
            self._lengths,
        )
        return dict(zip(self.ARRAYS, values, strict=True))

    def overflow(self) -> Mapping[int, str]:
        """The keys that did not fit their slots, by document."""
        return self._overflow

    @property
    def slots(self) -> KeySlots:
        """Where the keys are."""
        return self._slots

    @classmethod
    def from_arrays(
        cls, slots: KeySlots, arrays: Mapping[str, np.ndarray[Any, Any]], overflow: Mapping[int, str]
    ) -> NormTable:
        """A table of :meth:`arrays` and :meth:`overflow` kept before (read back from a work folder)."""
        table = cls(slots, [])
        (
            table._units,
            table._run_offsets,
            table._runs,
            table._place_offsets,
            table._places,
            table._cjk,
            table._lengths,
        ) = (np.asarray(arrays[name]) for name in cls.ARRAYS)  # (plain views: a slice of a memmap costs more)
        table._overflow = dict(overflow)
        table._kept = dict(arrays)
        return table

    _kept: Mapping[str, np.ndarray[Any, Any]] | None = None  # the arrays it was read from (files, mapped)

    def __reduce__(self) -> Any:
        """Read back from files, it goes to another process as those files' names (the mapped arrays it was
        made of pickle so: :class:`~dupdetect.engine.local.FileArray`); else as its values."""
        if self._kept is not None:
            return NormTable.from_arrays, (self._slots, self._kept, self._overflow)
        return super().__reduce__()

    @classmethod
    def of(
        cls, norms: Sequence[Normalized], texts: Sequence[str], short: int, folder: Path | None = None
    ) -> tuple[NormTable, Prepared]:
        """A table of given keys (read back from a work folder, say), with what was prepared of them
        (the duplicate digests)."""
        slots = KeySlots([len(t) for t in texts], folder)
        prepared = Prepared.of(slots, 0, norms, texts, short)
        return cls(slots, [prepared]), prepared

    def __len__(self) -> int:
        return len(self._cjk)

    def _item(self, i: int) -> Normalized:
        runs = self._runs[self._run_offsets[i] : self._run_offsets[i + 1]]
        return Normalized(key=self.key(i), runs=runs, placeholders=self.placeholders(i), cjk=bool(self._cjk[i]))

    def key(self, i: int) -> str:
        """Document ``i``'s match key."""
        units = int(self._units[i])
        return self._overflow[i] if units < 0 else self._slots.read(i, units)

    def key_lengths(self) -> IntArray:
        """Every document's key length in characters, without making a key."""
        return self._lengths

    def placeholders(self, i: int) -> tuple[Span, ...]:
        """Document ``i``'s placeholder spans."""
        rows = self._places[self._place_offsets[i] : self._place_offsets[i + 1]].tolist()
        return tuple(Span(a, b) for a, b in rows)

    def placeholder_spans(self) -> Sequence[tuple[Span, ...]]:
        """Every document's placeholder spans, each made when read (no key is read)."""
        return _Placeholders(self)

    def placeholder_counts(self) -> IntArray:
        """Every document's number of placeholders."""
        counts: IntArray = np.diff(self._place_offsets)
        return counts


class _Placeholders(Table[tuple[Span, ...]]):
    """:meth:`NormTable.placeholder_spans`."""

    def __init__(self, norms: NormTable) -> None:
        self._norms = norms

    def __len__(self) -> int:
        return len(self._norms)

    def _item(self, i: int) -> tuple[Span, ...]:
        return self._norms.placeholders(i)


class RowTable(Table[I32Array]):
    """Per-document arrays of rows (each document's units), held as one flat array; ``table[i]`` is a view."""

    def __init__(self, offsets: IntArray, rows: I32Array) -> None:
        self._offsets, self._rows = offsets, rows

    @classmethod
    def of(cls, parts: Sequence[I32Array], width: int = 4) -> RowTable:
        """A table of given per-document arrays (``width`` columns each)."""
        return cls(*ragged(parts, width, np.int32))

    def arrays(self) -> tuple[IntArray, I32Array]:
        """``(offsets, rows)``: the two arrays the table is."""
        return self._offsets, self._rows

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _item(self, i: int) -> I32Array:
        rows: I32Array = self._rows[self._offsets[i] : self._offsets[i + 1]]
        return rows

    def sizes(self) -> IntArray:
        """How many rows each document has."""
        sizes: IntArray = np.diff(self._offsets)
        return sizes


class WorkTable(Table[tuple[int, int, IntArray]]):
    """Candidate document pairs with their candidate unit pairs, as three arrays, not an object a pair.

    ``table[i]`` is ``(doc a, doc b, int64[k, 2] unit pairs)``; at 100k a scan holds 0.8 M of them
    from the candidates to the families.
    """

    def __init__(self, docs: IntArray, offsets: IntArray, units: IntArray) -> None:
        self.docs = docs  # int64[n, 2]
        self._offsets = offsets  # int64[n + 1]
        self._units = units  # int64[total, 2]

    @classmethod
    def of(cls, items: Sequence[tuple[int, int, IntArray]]) -> WorkTable:
        """A table of given items (read back from a work folder, say)."""
        docs = np.array([(a, b) for a, b, _ in items], dtype=np.int64).reshape(-1, 2)
        offsets, units = ragged([local for _, _, local in items], 2, np.int64)
        return cls(docs, offsets, units)

    def __len__(self) -> int:
        return len(self.docs)

    def _item(self, i: int) -> tuple[int, int, IntArray]:
        local: IntArray = self._units[self._offsets[i] : self._offsets[i + 1]]
        return int(self.docs[i, 0]), int(self.docs[i, 1]), local

    def arrays(self) -> tuple[IntArray, IntArray, IntArray]:
        """``(docs, offsets, units)``: the three arrays the table is."""
        return self.docs, self._offsets, self._units

    def sizes(self) -> IntArray:
        """How many candidate unit pairs each document pair has."""
        sizes: IntArray = np.diff(self._offsets)
        return sizes

    def subset(self, which: Sequence[int] | IntArray) -> WorkTable:
        """The items ``which`` (in that order), as a table of their own."""
        index = np.asarray(which, dtype=np.int64)
        sizes = self.sizes()[index]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        starts = self._offsets[index]
        rows = np.repeat(starts - offsets[:-1], sizes) + np.arange(int(offsets[-1]), dtype=np.int64)
        return WorkTable(self.docs[index].reshape(-1, 2), offsets, self._units[rows].reshape(-1, 2))


class BandFile:
    """The corpus's MinHash signatures on disk, band-major (:class:`~dupdetect.stages.candidates.SignatureBands`).

    The file holds, band after band, every unit's ``rows`` values of that band
    (``uint32``, units in corpus order): LSH reads one band at a time, a few
    tens of megabytes, and no process ever holds the whole matrix (1.2 GB at
    100k documents, 12 GB at a million). The signing workers write their
    units' values with ``pwrite`` (nothing is mapped, so nothing is counted in
    their memory); each unit's digest (:func:`~dupdetect.stages.candidates.signature_digests`)
    and whether it is empty go to small arrays shared with them.
    """

    def __init__(self, path: Path, units: int, bands: int, rows: int) -> None:
        self.path, self.units, self.bands, self.rows = path, units, bands, rows
        with path.open("wb") as handle:
            handle.truncate(units * bands * rows * 4)  # sparse until written
        self.digests = shared_array((units, 4), np.uint32, path.with_name(f"{path.name}.digests"))
        self.empties = shared_array((units,), np.bool_, path.with_name(f"{path.name}.empties"))

    @classmethod
    def kept(cls, path: Path, empties: npt.NDArray[np.bool_], bands: int, rows: int) -> BandFile:
        """A file a scan kept (:func:`~dupdetect.engine.pipeline.detect`'s ``keep_signatures``), to read its
        bands: ``empties`` says which units have no shingle (their digests are not kept)."""
        found = path.stat().st_size
        if found != len(empties) * bands * rows * 4:
            raise ValueError(f"{path}: {found} bytes, not the signatures of {len(empties)} units")
        kept = cls.__new__(cls)
        kept.path, kept.units, kept.bands, kept.rows = path, len(empties), bands, rows
        kept.empties = empties
        kept.digests = np.zeros((0, 4), np.uint32)
        return kept

    def write(self, first: int, signatures: U32Array) -> None:
        """The signatures of units ``first``, ``first + 1``, ...: their bands to the file, digests and flags here."""
        n, r = len(signatures), self.rows
        fd = os.open(self.path, os.O_WRONLY)
        try:
            for band in range(self.bands):
                block = np.ascontiguousarray(signatures[:, band * r : (band + 1) * r])
                if os.pwrite(fd, block.data, (band * self.units + first) * r * 4) != block.nbytes:
                    raise OSError(f"{self.path}: could not write the signatures of band {band}")
        finally:
            os.close(fd)
        self.digests[first : first + n] = signature_digests(signatures)
        self.empties[first : first + n] = (signatures == EMPTY).all(axis=1)

    def __len__(self) -> int:
        return self.units

    def band(self, band: int, rows: int) -> U32Array:
        if rows != self.rows:
            raise ValueError(f"the file holds bands of {self.rows} rows, not {rows}")
        count = self.units * rows
        values = np.fromfile(self.path, dtype=np.uint32, count=count, offset=band * count * 4)
        return values.reshape(self.units, rows)

    def identity(self) -> U32Array:
        return self.digests

    def empty(self) -> npt.NDArray[np.bool_]:
        return self.empties
