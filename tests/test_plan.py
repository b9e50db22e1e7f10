"""The array plan against the pure-Python plan it replaced: the same rounds, in the same order, for any input."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest
from networkx.utils import UnionFind

from dupdetect.stages.plan import AlignmentPlan


class _ReferencePlan:
    """The plan as it was: a Python loop over the pairs sorted as tuples, networkx's union-find."""

    def __init__(self, pairs: Sequence[tuple[int, int]], *, strength: Sequence[int], max_rounds: int = 6) -> None:
        self._pairs = pairs
        self._rounds_left = max_rounds
        self._groups: UnionFind[int] = UnionFind()
        self._pending = sorted(range(len(pairs)), key=lambda i: (-strength[i], pairs[i]))
        self._deferred: list[int] = []

    def next_round(self) -> list[int]:
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
        for i in indices:
            self._groups.union(*self._pairs[i])

    def deferred(self) -> list[int]:
        return sorted(self._deferred)


def _clustered_pairs(rng: random.Random, docs: int, count: int) -> list[tuple[int, int]]:
    """Distinct pairs ``a < b``, most inside a few clusters of documents (as candidates come), some across."""
    cut = sorted(rng.sample(range(1, docs), rng.randint(0, min(6, docs - 1))))
    clusters = [list(range(lo, hi)) for lo, hi in zip([0, *cut], [*cut, docs], strict=True) if hi - lo >= 2]
    pairs: set[tuple[int, int]] = set()
    for _ in range(3 * count):
        if len(pairs) >= count:
            break
        if clusters and rng.random() < 0.8:
            a, b = rng.sample(rng.choice(clusters), 2)
        else:
            a, b = rng.sample(range(docs), 2)
        pairs.add((min(a, b), max(a, b)))
    out = sorted(pairs)
    rng.shuffle(out)
    return out


def _compare(rng: random.Random, pairs: list[tuple[int, int]], strength: list[int], max_rounds: int) -> None:
    """Play the same rounds on both plans (joining a random share of each round's picks)."""
    given = np.array(pairs, dtype=np.int64).reshape(-1, 2) if rng.random() < 0.5 else pairs
    plan = AlignmentPlan(given, strength=np.array(strength) if rng.random() < 0.5 else strength, max_rounds=max_rounds)
    reference = _ReferencePlan(pairs, strength=strength, max_rounds=max_rounds)
    for _ in range(max_rounds + 2):
        picked = plan.next_round()
        assert picked == reference.next_round()
        share = rng.choice([0.0, 0.2, 0.7, 1.0])
        joined = [i for i in picked if rng.random() < share]
        if pairs and rng.random() < 0.1:  # any pairs, not only this round's
            joined += rng.sample(range(len(pairs)), rng.randint(1, min(5, len(pairs))))
        plan.joined(np.array(joined, dtype=np.int64) if rng.random() < 0.5 else joined)
        reference.joined(joined)
    assert plan.next_round() == reference.next_round() == []
    assert plan.deferred().tolist() == reference.deferred()


@pytest.mark.parametrize("seed", range(300))
def test_the_rounds_and_the_deferred_pairs_are_those_of_the_python_plan(seed: int) -> None:
    rng = random.Random(seed)
    docs = rng.randint(2, 200 if seed % 3 else 30)
    count = min(rng.randint(0, 2000 if seed % 4 == 0 else 300), docs * (docs - 1) // 2)
    pairs = _clustered_pairs(rng, docs, count)
    strength = [rng.randint(1, rng.choice([1, 2, 3, 20])) for _ in pairs]  # ties are common
    _compare(rng, pairs, strength, max_rounds=rng.randint(1, 6))


@pytest.mark.parametrize("seed", range(50))
def test_any_pairs_give_the_rounds_of_the_python_plan(seed: int) -> None:
    """Pairs the pipeline never makes (repeated, reversed, a document with itself), strengths far apart,
    and no rounds at all."""
    rng = random.Random(seed)
    docs = rng.randint(1, 40)
    pairs = [(rng.randrange(docs), rng.randrange(docs)) for _ in range(rng.randint(0, 300))]
    scale = 2**60 if seed % 2 else 1  # too wide a range to pack with the pairs into one sort key
    strength = [rng.randint(-2, 2) * scale for _ in pairs]
    _compare(rng, pairs, strength, max_rounds=rng.randint(0, 6))


def test_no_pairs_make_no_rounds() -> None:
    none: list[tuple[int, int]] = []
    for pairs in (none, np.zeros((0, 2), dtype=np.int64)):
        plan = AlignmentPlan(pairs, strength=[])
        assert plan.next_round() == []
        plan.joined([])
        assert plan.next_round() == []
        assert plan.deferred().tolist() == []


def test_a_big_family_is_joined_by_one_spanning_tree_and_the_rest_deferred() -> None:
    """Every pair of 60 documents: 59 alignments join them, the other 1,711 pairs wait for the families."""
    pairs = [(a, b) for a in range(60) for b in range(a + 1, 60)]
    plan = AlignmentPlan(pairs, strength=[1] * len(pairs))
    picked = plan.next_round()
    assert picked == list(range(59))  # the pairs of document 0, first in (a, b) order, span them all
    plan.joined(picked)
    assert plan.next_round() == []
    assert plan.deferred().tolist() == list(range(59, len(pairs)))


def test_negative_document_indices_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        AlignmentPlan([(0, -1), (0, 2)], strength=[1, 1])
