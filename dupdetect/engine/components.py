"""The parts of a scan that a scan of less reproduces: its candidate components.

Every stage after the candidates one works within a connected component of the graph whose edges are the
candidate pairs (LSH buckets and sentence anchors), the exact duplicates, and the speeches of one page
(read, cleaned and split together): the alignment plan's rounds, the families, their templates and slots
look at nothing outside it. A bucket or an anchor group lies inside one component, since every member is
paired with its hub or with all the others (with the default settings: a bucket over the opt-in
``max_bucket`` joins nothing, and the opt-in giant split's limit is a share of the whole corpus; a scan
given decisions refuses both). So a scan of a union of components, given the decisions the
whole corpus's scan took (:class:`~dupdetect.model.types.Decided`: each site's chrome, the stock shingles),
finds what the whole's scan found for them (tests/test_components.py), but for the families' numbers.
A saved index's add scans again only the components new documents reach.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import numpy as np

from dupdetect.model.stage import Mapper, Part, PartStore, in_process
from dupdetect.model.types import IntArray


def components(n: int, edges: Sequence[IntArray]) -> IntArray:
    """Per node of ``0 .. n - 1``, its connected component's smallest node, the ``edges`` being ``int64
    [k, 2]`` arrays of nodes. Array work: each round every edge's ends, and the nodes their labels name,
    take the smaller of the two labels (hooking roots, not only ends: a chain of 20,000 nodes joins in a
    few rounds, not one round a link), then labels follow their labels (pointer jumping), until nothing
    changes."""
    label = np.arange(n, dtype=np.int64)
    pairs = np.concatenate([np.zeros((0, 2), dtype=np.int64), *(np.asarray(e, dtype=np.int64) for e in edges)])
    if len(pairs) and (pairs.min() < 0 or pairs.max() >= n):
        raise ValueError(f"edges name nodes outside 0..{n - 1}")
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        la, lb = label[a], label[b]
        low = np.minimum(la, lb)
        before = label.copy()
        for nodes in (la, lb, a, b):
            np.minimum.at(label, nodes, low)
        label = _rooted(label)  # (a label's own label is smaller or the same: follow it to its root)
        if np.array_equal(label, before):
            return label


def _as_is(array: IntArray) -> IntArray:
    return array


def components_in_parts(
    n: int,
    parts: Sequence[Part],
    *,
    store: PartStore,
    run: Mapper = in_process,
    share: Callable[[IntArray], IntArray] = _as_is,
) -> IntArray:
    """:func:`components` of edges kept in ``store`` (each part ``int64`` node pairs laid flat), the edges
    read a part a task (``run``): no process holds them all. Each round, every task takes the labels
    (``share``: what the label array is made before it goes to the workers, a file for Dask's) and proposes,
    for the nodes its edges touch, the smallest label it sees there (distinct nodes, each with its least);
    this process keeps the least proposal of each node, then follows labels to their roots, until nothing
    changes. The same rounds as :func:`components`, so the same labels (each component's smallest node)."""
    label = np.arange(n, dtype=np.int64)
    while True:
        before = label
        proposed = run(_hook_task, list(parts), shared=(share(label), store), min_items=2)
        label = label.copy()
        for nodes, low in proposed:
            np.minimum.at(label, nodes, low)
        label = _rooted(label)
        if np.array_equal(label, before):
            return label


def _hook_task(shared: tuple[IntArray, PartStore], part: Part) -> tuple[IntArray, IntArray]:
    """Worker: for one part of the edges, each node they hook (their ends and the nodes their labels name),
    the smallest label proposed to it."""
    label, store = shared
    pairs = np.asarray(store.get(part), dtype=np.int64).reshape(-1, 2)
    a, b = pairs[:, 0], pairs[:, 1]
    la, lb = label[a], label[b]
    low = np.minimum(la, lb)
    nodes = np.concatenate([la, lb, a, b])
    values = np.tile(low, 4)
    order = np.lexsort((values, nodes))  # (by node, its least proposal first)
    nodes, values = nodes[order], values[order]
    first = np.flatnonzero(np.r_[True, nodes[1:] != nodes[:-1]]) if len(nodes) else np.zeros(0, dtype=np.int64)
    return nodes[first], values[first]


def _rooted(label: IntArray) -> IntArray:
    """Labels followed to their roots (a label's own label is smaller or the same)."""
    while True:
        jumped = label[label]
        if np.array_equal(jumped, label):
            return label
        label = jumped


def page_edges(ids: Sequence[str], metas: Sequence[str]) -> IntArray:
    """The speeches of one page (a compilation split into parts: each part's meta names the page,
    ``part_of``), joined: ``int64 [k, 2]`` document indices, each part to the page's first part."""
    first: dict[str, int] = {}
    out: list[tuple[int, int]] = []
    for i, (doc, meta) in enumerate(zip(ids, metas, strict=True)):
        page = json.loads(meta).get("part_of", doc) if '"part_of"' in meta else doc
        if page in first:
            out.append((first[page], i))
        else:
            first[page] = i
    return np.array(out, dtype=np.int64).reshape(-1, 2)
