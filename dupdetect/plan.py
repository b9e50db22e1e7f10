"""Which candidate document pairs are aligned: linear work per family, however big it grows.

Candidates join documents that *may* share text; an alignment says whether
they do. Aligning every candidate pair of a template copied by 5,000
documents costs millions of alignments that say the same thing again. So
pairs are aligned in rounds, Kruskal-like: each round takes the strongest
candidate pair (most candidate unit pairs) between every two groups of
documents not yet joined, aligns them all at once, and joins the groups a
substantial pair links. A pair whose documents are already joined is left
for later: inside a group of at most ``small`` documents it is still aligned
(a pair family or a family of ten gets all its pairs, as before), inside a
bigger group it is not, and each member is aligned against its family's
template instead (``pipeline``). Pairs between groups that never join (stock
phrases, wire formulas) are all aligned, as before; after ``max_rounds``
rounds the rest of them are aligned at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from networkx.utils import UnionFind

MAX_ROUNDS = 6


class AlignmentPlan:
    """Rounds of candidate pairs to align, told after each which pairs joined their documents.

    >>> plan = AlignmentPlan([(0, 1), (1, 2), (0, 2)], strength=[3, 2, 1], small=2)
    >>> plan.next_round()
    [0, 1]
    >>> plan.joined([0, 1])
    >>> plan.next_round()
    []
    >>> plan.within_small_groups()  # (0, 2): its group of 3 is over small=2
    []
    """

    def __init__(
        self, pairs: Sequence[tuple[int, int]], *, strength: Sequence[int], small: int, max_rounds: int = MAX_ROUNDS
    ) -> None:
        self._pairs = pairs
        self._small = small
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

    def within_small_groups(self) -> list[int]:
        """The pairs left out because their documents were joined, inside groups of at most ``small``."""
        groups = self._groups  # its weights are the sizes of the groups, by root
        return sorted(i for i in self._deferred if groups.weights[groups[self._pairs[i][0]]] <= self._small)
