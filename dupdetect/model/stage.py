"""The stage contract: what a stage is given to run its work, and what it gives back.

A stage is a typed function over a partition of items (documents, units,
candidate pairs, families). It returns its results with its counts and
warnings (:class:`StageResult`) and knows nothing of processes: work it can
split it hands to a :class:`Mapper`, which the engine chooses: this process
(:func:`in_process`), the local process pool (``dupdetect.engine.local``),
or, later, a Dask cluster. The results never depend on the mapper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

import numpy.typing as npt

from dupdetect.model.types import ScanWarning

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class Mapper(Protocol):
    """``[fn(shared, item) for item in items]``, run wherever the engine chooses, results in order.

    ``min_items``: below this many items, splitting the work is not worth it (a hint).
    """

    def __call__(
        self, fn: Callable[[S, T], R], items: Sequence[T], *, shared: S, min_items: int | None = None
    ) -> list[R]: ...


def in_process(fn: Callable[[S, T], R], items: Sequence[T], *, shared: S, min_items: int | None = None) -> list[R]:
    """The :class:`Mapper` that runs every item here, one after another.

    >>> in_process(lambda k, x: k * x, [1, 2, 3], shared=10)
    [10, 20, 30]
    """
    return [fn(shared, item) for item in items]


@dataclass(frozen=True, slots=True)
class StoredArray:
    """Where a :class:`PartStore` on disk keeps an array: its first byte, its length, its dtype."""

    offset: int
    length: int
    dtype: str


Part: TypeAlias = "npt.NDArray[Any] | StoredArray"
"""An array a worker left in a :class:`PartStore`: the array itself (in memory) or where it is stored."""


class PartStore(Protocol):
    """Where a stage's workers leave large partial results, for the stage to read back a slice at a time.

    Results that are gigabytes summed over a corpus (a million documents' context codes) need
    not sit in the caller's memory until the last worker is done: on disk, only the slice being
    merged does. :data:`in_memory` keeps them as they are (what the workers send back).
    """

    def put(self, values: npt.NDArray[Any]) -> Part:
        """Keep ``values`` (a 1-d array): how to find them again."""
        ...

    def get(self, part: Part, lo: int = 0, hi: int | None = None) -> npt.NDArray[Any]:
        """``values[lo:hi]`` of a part kept by :meth:`put`."""
        ...


class _InMemory:
    """The :class:`PartStore` that keeps each array as it is (workers send it back whole)."""

    def put(self, values: npt.NDArray[Any]) -> Part:
        return values

    def get(self, part: Part, lo: int = 0, hi: int | None = None) -> npt.NDArray[Any]:
        if isinstance(part, StoredArray):
            raise TypeError("an in-memory part store holds no stored arrays")
        return part[lo:hi]


in_memory: PartStore = _InMemory()
"""The :class:`PartStore` that keeps partial results in memory (the default of a stage run here)."""


def part_length(part: Part) -> int:
    """How many values a part holds, without reading them."""
    return part.length if isinstance(part, StoredArray) else len(part)


@dataclass(frozen=True, slots=True)
class StageResult(Generic[R]):
    """What a stage returns for a partition: its results, what it counted, what it warns of."""

    results: R
    counts: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[ScanWarning, ...] = ()
