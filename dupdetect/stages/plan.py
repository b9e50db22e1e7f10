"""Which candidate document pairs are aligned: linear work per family, however big it grows.

Candidates join documents that *may* share text; an alignment says whether
they do. Aligning every candidate pair of a template copied by 5,000
documents costs millions of alignments that say the same thing again. So
pairs are aligned in rounds, Kruskal-like: each round takes the strongest
candidate pair (most candidate unit pairs) between every two groups of
documents not yet joined, aligns them all at once, and joins the groups a
substantial pair links. A pair whose documents are already joined is
deferred: once the families are known (``pipeline._families``), it is still
aligned unless both documents are in one family of more than 16 members
(a pair family or a family of ten gets all its pairs, and so does a pair
across two families a mosaic joins), and each member of a big family is
aligned against its template instead. Pairs between groups that never join
(stock phrases, wire formulas) are all aligned, as before; the last of
``max_rounds`` rounds takes every pending pair between groups at once.

A million documents bring about 13 million candidate pairs, so the plan is
numpy arrays, not a Python loop per pair: a round's forest is Kruskal's
(pairs taken strongest first, one kept unless its groups are already
linked), found by Borůvka's rounds over whole arrays (:func:`_spanning_forest`).
It is numpy alone: scipy's graph routines would do, but importing scipy costs
a default scan about a second (``tests/test_pipeline.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from dupdetect.model.types import IntArray

MAX_ROUNDS = 6


class AlignmentPlan:
    """Rounds of candidate pairs to align, told after each which pairs joined their documents.

    ``pairs`` are document indices, an ``(n, 2)`` array or pairs of ints.

    >>> plan = AlignmentPlan([(0, 1), (1, 2), (0, 2)], strength=[3, 2, 1])
    >>> plan.next_round()
    [0, 1]
    >>> plan.joined([0, 1])
    >>> plan.next_round()
    []
    >>> plan.deferred()  # (0, 2): its documents were joined by the first round
    array([2])
    """

    def __init__(
        self,
        pairs: npt.ArrayLike,
        *,
        strength: npt.ArrayLike,
        max_rounds: int = MAX_ROUNDS,
    ) -> None:
        self._pairs: IntArray = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if len(self._pairs) and int(self._pairs.min()) < 0:
            raise ValueError("document indices must not be negative")
        self._rounds_left = max_rounds
        # Each document's group: a document of it (the pairs a round joins relabel theirs).
        self._group: IntArray = np.arange(int(self._pairs.max()) + 1 if len(self._pairs) else 0, dtype=np.int64)
        # The pending pairs in the order they are walked, and their documents (read in that order).
        self._pending = _strongest_first(self._pairs, np.asarray(strength, dtype=np.int64), len(self._group))
        self._a, self._b = self._pairs[self._pending, 0], self._pairs[self._pending, 1]
        self._deferred: list[IntArray] = []

    def next_round(self) -> list[int]:
        """Indices of the pairs to align now: a spanning forest of the pending pairs between groups
        (the last round: every pending pair between groups). Empty when nothing is left to align."""
        group = self._group
        apart = group[self._a] != group[self._b]
        if not apart.all():
            self._deferred.append(self._pending[~apart])
            self._pending = self._pending[apart]
            self._a, self._b = self._a[apart], self._b[apart]
        if self._rounds_left <= 1:
            picked, self._pending = self._pending, self._pending[:0]
            self._a, self._b = self._a[:0], self._b[:0]
        else:
            forest, _ = _spanning_forest(group, self._a, self._b)
            picked, rest = self._pending[forest], ~forest
            self._pending = self._pending[rest]
            self._a, self._b = self._a[rest], self._b[rest]
        self._rounds_left -= 1
        out: list[int] = picked.tolist()
        return out

    def joined(self, indices: Sequence[int] | IntArray) -> None:
        """The pairs (aligned in this round) whose alignment joins their documents."""
        index = np.asarray(indices, dtype=np.int64)
        if len(index):
            _, component = _spanning_forest(self._group, self._pairs[index, 0], self._pairs[index, 1])
            self._group = component[self._group]

    def deferred(self) -> IntArray:
        """The pairs left out because their documents were already joined (sorted)."""
        return np.sort(np.concatenate([np.zeros(0, dtype=np.int64), *self._deferred]))


def _strongest_first(pairs: IntArray, strength: IntArray, documents: int) -> IntArray:
    """The pair indices by strength (strongest first), then by pair, then by index, as sorting tuples did.

    One stable sort of a key packing all three when it fits in 63 bits (a third of
    the time of ``np.lexsort`` over 13 million pairs), else ``np.lexsort``.
    """
    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    low, high = int(strength.min()), int(strength.max())
    if (high - low + 1) * documents * documents < 2**63:
        key = ((high - strength) * documents + pairs[:, 0]) * documents + pairs[:, 1]
        return np.argsort(key, kind="stable").astype(np.int64, copy=False)
    return np.lexsort((pairs[:, 1], pairs[:, 0], -strength)).astype(np.int64, copy=False)


def _spanning_forest(group: IntArray, docs_a: IntArray, docs_b: IntArray) -> tuple[npt.NDArray[np.bool_], IntArray]:
    """Which of the edges between the groups of ``docs_a[i]`` and ``docs_b[i]`` Kruskal's algorithm takes
    walking them in order (a spanning forest of the groups), and each group's component (a group of it).

    With every edge weighing its position the minimum spanning forest is unique, so Borůvka's
    rounds find Kruskal's: each component takes its lightest edge out, the components those edges
    link become one (pointer jumping), and edges inside a component are dropped; the components at
    least halve each round, and each round is a few passes over arrays. The edges' groups are
    looked up here, not passed in: the first round then holds one copy of them, not two.
    """
    size, total = len(group), len(docs_a)
    forest = np.zeros(total, dtype=np.bool_)
    component = np.arange(size, dtype=np.int64)
    a, b = group[docs_a], group[docs_b]
    edge: IntArray | None = None  # the edges still between components, lightest first (None: all of them)
    while True:
        apart = a != b
        if not apart.all():
            edge = np.flatnonzero(apart) if edge is None else edge[apart]
            a, b = a[apart], b[apart]
        del apart
        if not len(a):
            return forest, component
        ids = np.arange(total, dtype=np.int64) if edge is None else edge
        lightest = np.full(size, total, dtype=np.int64)  # each component's lightest edge
        np.minimum.at(lightest, a, ids)
        np.minimum.at(lightest, b, ids)
        del ids
        node = np.flatnonzero(lightest < total)
        chosen = lightest[node]
        forest[chosen] = True
        if edge is not None:
            chosen = np.searchsorted(edge, chosen)  # where the edge is in a and b
        parent = np.arange(size, dtype=np.int64)
        parent[node] = np.where(a[chosen] == node, b[chosen], a[chosen])
        # Two components whose lightest edge is the same point at each other: the smaller one is the root.
        mutual = (parent[parent[node]] == node) & (node < parent[node])
        parent[node[mutual]] = node[mutual]
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
        component = parent[component]
        a = parent[a]
        b = parent[b]
