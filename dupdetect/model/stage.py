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
from typing import Generic, Protocol, TypeVar

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
class StageResult(Generic[R]):
    """What a stage returns for a partition: its results, what it counted, what it warns of."""

    results: R
    counts: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[ScanWarning, ...] = ()
