"""A scan's candidate components, and the property a saved index's add is built on: a scan of a union of
components, given the whole corpus's decisions (each site's chrome, the stock shingles), finds what the
whole's scan found for them (its families, roles, templates, slots, edits and pairs), but for the families'
numbers; without the decisions it need not."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from dupdetect import Report, read_corpus, scan
from dupdetect.engine.components import components, page_edges
from dupdetect.engine.pipeline import detect, kept_components
from dupdetect.engine.work import WorkDir
from dupdetect.model.columns import site_chrome_from
from dupdetect.model.types import Decided, Document
from tests.conftest import ROOT, bench_module


def test_components_are_the_graphs_connected_components() -> None:
    rng = random.Random(3)
    for n, k in ((1, 0), (2, 1), (30, 12), (200, 150), (500, 700)):
        edges = np.array([rng.sample(range(n), 2) for _ in range(k)] if n > 1 else [], dtype=np.int64).reshape(-1, 2)
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges.tolist())
        expected = np.empty(n, dtype=np.int64)
        for part in nx.connected_components(graph):
            expected[list(part)] = min(part)
        halves = [edges[: k // 2], edges[k // 2 :]]
        assert np.array_equal(components(n, halves), expected)
    chain = np.array([[i, i + 1] for i in range(999)][::-1], dtype=np.int64)  # (a long chain, joined from its end)
    assert np.array_equal(components(1000, [chain]), np.zeros(1000, dtype=np.int64))
    order = np.random.default_rng(5).permutation(20_000)  # a path through the nodes in random order
    path = np.stack([order[:-1], order[1:]], axis=1)
    assert np.array_equal(components(20_000, [path]), np.zeros(20_000, dtype=np.int64))


def test_components_found_a_part_of_the_edges_a_task_are_the_same(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dupdetect.engine.appendfile import ArrayFile
    from dupdetect.engine.components import components_in_parts
    from dupdetect.engine.local import mapper
    from dupdetect.model.stage import in_memory

    rng = np.random.default_rng(8)
    order = rng.permutation(3_000)
    path = np.stack([order[:-1], order[1:]], axis=1)[:1_500]  # (a long path, then scattered edges)
    scattered = rng.integers(0, 3_000, size=(900, 2))
    edges = np.concatenate([path, scattered]).astype(np.int64)
    expected = components(3_000, [edges])
    assert 1 < len(np.unique(expected)) < 3_000
    for store, run, size in ((in_memory, mapper(1), 7), (ArrayFile(tmp_path / "edges"), mapper(2), 400)):
        parts = [store.put(edges[lo : lo + size].ravel()) for lo in range(0, len(edges), size)]
        assert np.array_equal(components_in_parts(3_000, parts, store=store, run=run), expected)


def test_the_speeches_of_one_page_are_joined() -> None:
    ids = ["a", "p#1", "p#2", "q", "p#3"]
    metas = ["{}", '{"part_of": "p"}', '{"part_of": "p"}', "{}", '{"part_of": "p"}']
    assert page_edges(ids, metas).tolist() == [[1, 2], [1, 4]]


def _families(report: Report, kept: set[str]) -> dict[tuple[str, ...], Any]:
    """The families holding one of ``kept``, by their members, with all they say but their number."""
    slots: dict[str, list[Any]] = {}
    for s in report.slots:
        slots.setdefault(s.family, []).append(json.dumps(_fields(s), sort_keys=True, default=str))
    edits: dict[str, list[Any]] = {}
    for e in report.edits:
        edits.setdefault(e.family, []).append(json.dumps(_fields(e), sort_keys=True, default=str))
    return {
        f.members: (f.template, dict(f.roles), dict(f.aligned_with), slots.get(f.id), edits.get(f.id))
        for f in report.families
        if kept & set(f.members)
    }


def _fields(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__slots__ if name != "family"}


def _pairs(report: Report, kept: set[str]) -> dict[tuple[str, str], Any]:
    return {(p.a, p.b): p for p in report.pairs if p.a in kept or p.b in kept}


def _page_of(doc: Document) -> str:
    return str(doc.meta.get("part_of", doc.id))


def _check(inputs: list[Path], tmp_path: Path, pick: Callable[[list[list[int]]], list[list[int]]]) -> set[str]:
    """Scan ``inputs`` whole, then again the documents of the components ``pick`` chooses, with and
    without the whole's decisions: returns the ids of the documents chosen."""
    work = tmp_path / "whole"
    whole = scan([str(p) for p in inputs], jobs=2, work=work)
    store = WorkDir.open(work, through="slots")
    label = kept_components(store)
    ids = store.read_table("documents", columns=["id"]).column("id").to_pylist()
    parts: dict[int, list[int]] = {}
    for i, root in enumerate(label.tolist()):
        parts.setdefault(root, []).append(i)
    chosen = pick(sorted(parts.values(), key=lambda p: (-len(p), p[0])))
    kept = {ids[i] for part in chosen for i in part}
    docs, _ = read_corpus([str(p) for p in inputs])
    pages = {d.id for d in docs if any(d.id == k or k.startswith(f"{d.id}#") for k in kept)}
    subset = [d for d in docs if d.id in pages]
    decided = Decided(site_chrome_from(store.read_table("site_chrome")), np.array(store.read_array("stock")))
    part = detect(iter(subset), jobs=2, decided=decided)
    assert {d.id for d in part.documents} == kept  # (the pages chosen hold just the documents chosen)
    assert _families(part, kept) == _families(whole, kept)
    assert _pairs(part, kept) == _pairs(whole, kept)
    roles = {d: r for f in whole.families for d, r in f.roles.items() if d in kept}
    assert {d: r for f in part.families for d, r in f.roles.items()} == roles
    return kept


def test_a_scan_of_some_components_with_the_wholes_decisions_finds_the_wholes_results_for_them(
    tmp_path: Path,
) -> None:
    corpus = bench_module().corpus(600, tmp_path / "corpus", "heavy") / "corpus.jsonl"

    def every_third(parts: list[list[int]]) -> list[list[int]]:
        big = [p for p in parts if len(p) > 1]
        return big[::3] + [p for p in parts if len(p) == 1][::7]

    kept = _check([corpus], tmp_path, every_third)
    assert len(kept) > 100


def test_the_same_holds_for_the_fixtures_and_the_seed_pages(speeches_dir: Path, tmp_path: Path) -> None:
    seeds = ROOT / "fixtures" / "seeds"

    def the_largest_and_some(parts: list[list[int]]) -> list[list[int]]:
        return parts[:1] + parts[2::2]

    kept = _check([speeches_dir, seeds], tmp_path, the_largest_and_some)
    assert any("#" in doc for doc in kept)  # (a compilation page's speeches among them)


def test_without_the_wholes_decisions_a_parts_stock_phrases_differ(tmp_path: Path) -> None:
    """The decisions matter: a part's own stock phrases are not the whole's (so its scan is given them)."""
    corpus = bench_module().corpus(600, tmp_path / "corpus", "heavy") / "corpus.jsonl"
    scan([str(corpus)], jobs=2, work=tmp_path / "whole")
    docs, _ = read_corpus([str(corpus)])
    detect(iter(docs[::5]), jobs=2, work=tmp_path / "part")
    whole, part = (WorkDir.open(tmp_path / w, through="slots").read_array("stock") for w in ("whole", "part"))
    assert not np.array_equal(whole, part)


def test_families_found_a_component_at_a_time_are_the_whole_graphs(tmp_path: Path, monkeypatch: Any) -> None:
    """The families stage finds each connected component's families apart (on the workers) and joins them:
    the same families, numbers, roles, mosaics and giant splits as one graph of every pair gives."""
    from dataclasses import replace

    from dupdetect.engine import pipeline
    from dupdetect.model.config import Config
    from dupdetect.stages.families import find_families, reuse_graph

    corpus_file = bench_module().corpus(600, tmp_path / "corpus", "heavy") / "corpus.jsonl"
    report = scan([str(corpus_file)], jobs=2, work=tmp_path / "work")
    corpus = pipeline._load_corpus(WorkDir.open(tmp_path / "work", through="slots"))
    pairs = list(report.pairs)
    ids = list(corpus.ids)
    duplicates = {ids[d]: ids[o] for d, o in corpus.duplicate_of.items()}
    dates = dict(zip(ids, corpus.cleaned.table.column("info_date").to_pylist(), strict=True))
    lengths = corpus.norms.key_lengths()
    templates = sorted(f.template for f in report.families if f.template)
    giant = replace(Config().families, giant_min=3, giant_fraction=0.001)  # (the opt-in split, made to happen)
    for config, preferred in (
        (Config(), frozenset()),
        (Config(families=giant), frozenset()),
        (Config(), frozenset(f.members[-1] for f in report.families)),  # (templates kept where they can be)
    ):
        whole = find_families(
            reuse_graph(None, pairs, config=config.families, documents=len(ids)),
            placeholders={d: corpus.norms.placeholders(i) for i, d in enumerate(ids)},
            key_lengths={d: int(lengths[i]) for i, d in enumerate(ids)},
            duplicate_of=duplicates,
            dates={d: t for d, t in dates.items() if t},
            seed=config.fingerprint.seed,
            preferred=preferred,
            config=config.families,
        )
        assert len(whole.families) > 20 and "mosaic" in whole.role_of.values()
        assert whole.warnings if config.families.giant_min else not whole.warnings
        found = pipeline._found_families(corpus, pairs, config, duplicates, preferred, 2, None)
        assert found == whole
        monkeypatch.setattr(pipeline, "CLIENT_EDGES", 10)  # (the components found a part of the edges a task)
        monkeypatch.setattr(pipeline, "EDGE_PART", 64)
        assert pipeline._found_families(corpus, pairs, config, duplicates, preferred, 2, tmp_path) == whole
        monkeypatch.undo()
    assert templates  # (the scan's families have templates the preferred set above moves)
