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
"""

from __future__ import annotations

from collections.abc import Sequence

from networkx.utils import UnionFind

MAX_ROUNDS = 6


class AlignmentPlan:
    """Rounds of candidate pairs to align, told after each which pairs joined their documents.

    >>> plan = AlignmentPlan([(0, 1), (1, 2), (0, 2)], strength=[3, 2, 1])
    >>> plan.next_round()
    [0, 1]
    >>> plan.joined([0, 1])
    >>> plan.next_round()
    []
    >>> plan.deferred()  # (0, 2): its documents were joined by the first round
    [2]
    """

    def __init__(
        self, pairs: Sequence[tuple[int, int]], *, strength: Sequence[int], max_rounds: int = MAX_ROUNDS
    ) -> None:
        self._pairs = pairs
        self._rounds_left = max_rounds
        self._groups: UnionFind[int] = UnionFind()
        self._pending = sorted(range(len(pairs)), key=lambda i: (-strength[i], pairs[i]))
        self._deferred: list[int] = []

    def next_round(self) -> list[int]:
        """Indices of the pairs to align now: a spanning forest of the pending pairs between groups
        (the last round: every pending pair between groups). Empty when nothing is left to align."""
        groups, picked, rest = self._groups, [], []
        forest: UnionFind[int] = UnionFind()
        last = self._rounds_left <= 1
        for i in self._pending:
            a, b = (groups[d] for d in self._pairs[i])
            if a == b:
                self._deferred.append(i)
            elif last or forest[a] != forest[b]:
                forest.union(a, b)
                picked.append(i)
            else:
                rest.append(i)
        self._pending = rest
        self._rounds_left -= 1
        return picked

    def joined(self, indices: Sequence[int]) -> None:
        """The pairs (aligned in this round) whose alignment joins their documents."""
        for i in indices:
            self._groups.union(*self._pairs[i])

    def deferred(self) -> list[int]:
        """The pairs left out because their documents were already joined (sorted)."""
        return sorted(self._deferred)
