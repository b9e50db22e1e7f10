from __future__ import annotations

from dupdetect.model.config import FamilyConfig
from dupdetect.model.types import DocPair, Passage, Span
from dupdetect.stages.families import find_families, reuse_graph


def _pair(a: str, b: str, span_a: tuple[int, int], span_b: tuple[int, int] = (0, 0), cov: float = 0.5) -> DocPair:
    sa = Span(*span_a)
    sb = Span(*span_b) if span_b != (0, 0) else Span(*span_a)
    passage = Passage(a=sa, b=sb, key_a=sa, key_b=sb, matched=len(sa), similarity=0.9)
    return DocPair(
        a=a,
        b=b,
        similarity=0.9,
        coverage_a=cov,
        coverage_b=cov,
        shared_chars=len(sa),
        passages=(passage,),
        longest_run=len(sa),
    )


def _families(pairs: list[DocPair], ids: list[str], placeholders: dict[str, list[Span]] | None = None):  # type: ignore[no-untyped-def]
    graph = reuse_graph(ids, pairs)
    return find_families(graph, placeholders=placeholders or {}, key_lengths=dict.fromkeys(ids, 1000), duplicate_of={})


def test_documents_joined_by_substantial_reuse_form_one_family() -> None:
    result = _families([_pair("a", "b", (0, 800)), _pair("b", "c", (0, 800))], ["a", "b", "c", "d"])
    assert [f.members for f in result.families] == [("a", "b", "c")]
    assert "d" not in result.family_of


def test_a_short_shared_passage_makes_no_family() -> None:
    result = _families([_pair("a", "b", (0, 60), cov=0.06)], ["a", "b"])
    assert result.families == ()


def test_reuse_in_many_short_pieces_makes_no_family() -> None:
    # a wire-service formula: 300 shared characters, but no verbatim run of 60
    from dataclasses import replace

    pair = replace(_pair("a", "b", (0, 300), cov=0.4), longest_run=45)
    assert _families([pair], ["a", "b"]).families == ()


def test_the_member_with_placeholders_is_the_template() -> None:
    result = _families([_pair("a", "b", (0, 800)), _pair("a", "c", (0, 800))], ["a", "b", "c"], {"c": [Span(5, 7)]})
    (family,) = result.families
    assert family.template == "c"
    assert family.roles == {"a": "copy", "b": "partial", "c": "template"}


def test_without_placeholders_the_earliest_dated_member_is_the_template() -> None:
    pairs = [_pair("a", "b", (0, 800)), _pair("b", "c", (0, 800)), _pair("a", "c", (0, 800))]
    graph = reuse_graph(["a", "b", "c"], pairs)
    result = find_families(
        graph,
        placeholders={},
        key_lengths=dict.fromkeys("abc", 1000),
        duplicate_of={},
        dates={"b": "2021-05-01", "c": "2023-01-09"},
    )
    assert result.families[0].template == "b"


def test_placeholders_outside_the_shared_text_do_not_make_a_template() -> None:
    # c shares only its first half with a and b; its placeholders lie in the other half
    pairs = [_pair("a", "b", (0, 800)), _pair("a", "c", (0, 400)), _pair("b", "c", (0, 400))]
    result = _families(pairs, ["a", "b", "c"], {"a": [Span(10, 12)], "c": [Span(600, 602), Span(700, 702)]})
    (family,) = result.families
    assert family.template == "a"


def test_a_document_borrowing_from_two_families_is_a_mosaic_in_both() -> None:
    pairs = [
        _pair("a1", "a2", (0, 900)),
        _pair("b1", "b2", (0, 900)),
        _pair("a1", "m", (0, 400), (0, 400)),
        _pair("a2", "m", (0, 400), (0, 400)),
        _pair("b1", "m", (0, 400), (500, 900)),
        _pair("b2", "m", (0, 400), (500, 900)),
    ]
    result = _families(pairs, ["a1", "a2", "b1", "b2", "m"])
    assert [f.members for f in result.families] == [("a1", "a2", "m"), ("b1", "b2", "m")]
    assert result.role_of["m"] == "mosaic"
    assert result.family_of["m"] in ("F1", "F2")


def test_a_template_between_its_copies_is_not_a_mosaic() -> None:
    # b and c each reuse the same part of a, and are not linked to each other
    pairs = [_pair("a", "b", (0, 500)), _pair("a", "c", (0, 500))]
    result = _families(pairs, ["a", "b", "c"])
    assert [f.members for f in result.families] == [("a", "b", "c")]
    assert "mosaic" not in result.role_of.values()


def test_a_giant_family_is_split_with_a_warning() -> None:
    ids = [f"d{i:02d}" for i in range(40)]
    pairs = [_pair(ids[i], ids[j], (0, 800)) for i in range(20) for j in range(i + 1, 20)]
    pairs += [_pair(ids[i], ids[j], (0, 800)) for i in range(20, 40) for j in range(i + 1, 40)]
    pairs.append(_pair("d00", "d20", (0, 300), cov=0.3))
    graph = reuse_graph(ids, pairs)
    result = find_families(
        graph,
        placeholders={},
        key_lengths=dict.fromkeys(ids, 1000),
        duplicate_of={},
        config=FamilyConfig(giant_min=10, giant_fraction=0.5),
    )
    assert len(result.families) == 2
    assert result.warnings and "split" in result.warnings[0].message


def test_the_graph_of_paired_documents_finds_the_same_families() -> None:
    """Documents without a substantial pair are in no family: a graph without them (what a scan builds)
    finds the same families, and the giant guard counts the whole corpus the graph is told of."""
    ids = [f"d{i:02d}" for i in range(60)]  # d40-d59 share nothing
    pairs = [_pair(ids[i], ids[j], (0, 800)) for i in range(20) for j in range(i + 1, 20)]
    pairs += [_pair(ids[i], ids[j], (0, 800)) for i in range(20, 40) for j in range(i + 1, 40)]
    pairs += [_pair("d00", "d20", (0, 300), cov=0.3), _pair("d41", "d42", (0, 20), cov=0.02)]  # the last: too little
    graph = reuse_graph(None, pairs, documents=60)
    assert sorted(graph.nodes) == ids[:40]
    lengths = dict.fromkeys(ids, 1000)
    for config in (FamilyConfig(), FamilyConfig(giant_min=10, giant_fraction=0.5), FamilyConfig(giant_min=10)):
        small = find_families(graph, placeholders={}, key_lengths=lengths, duplicate_of={}, config=config)
        whole = find_families(
            reuse_graph(ids, pairs), placeholders={}, key_lengths=lengths, duplicate_of={}, config=config
        )
        assert small == whole
    # a family of 40: over 70 % of the graph's 40 nodes, under 70 % of the corpus's 60 documents
    guard = FamilyConfig(giant_min=10, giant_fraction=0.7)
    kept = find_families(graph, placeholders={}, key_lengths=lengths, duplicate_of={}, config=guard)
    untold = reuse_graph(None, pairs)  # not told the corpus's size: its own 40 nodes
    split = find_families(untold, placeholders={}, key_lengths=lengths, duplicate_of={}, config=guard)
    assert not kept.warnings and len(kept.families) == 1
    assert split.warnings and len(split.families) == 2


def test_family_ids_are_numbered_by_size_then_smallest_member() -> None:
    pairs = [_pair("x", "y", (0, 800)), _pair("a", "b", (0, 800)), _pair("p", "q", (0, 800)), _pair("q", "r", (0, 800))]
    result = _families(pairs, ["a", "b", "p", "q", "r", "x", "y"])
    assert [(f.id, f.members[0]) for f in result.families] == [("F1", "p"), ("F2", "a"), ("F3", "x")]


def test_the_graph_without_duplicates_is_the_induced_subgraph() -> None:
    from dupdetect.stages.families import _without

    pairs = [_pair("a", "b", (0, 800)), _pair("b", "c", (0, 800)), _pair("c", "d", (0, 800))]
    graph = reuse_graph(["a", "b", "c", "d", "e"], pairs)
    out = _without(graph, {"c"})
    view = graph.subgraph(["a", "b", "d", "e"])
    assert list(out.nodes) == list(view.nodes)
    assert sorted(map(sorted, out.edges)) == sorted(map(sorted, view.edges))
    assert out.edges["a", "b"] == graph.edges["a", "b"]
    assert graph.has_node("c") and graph.has_edge("b", "c")  # the graph itself is left as it was


def test_own_shares_count_what_one_group_covers_alone() -> None:
    from dupdetect.stages.families import _own_shares

    groups = [[Span(0, 50)], [Span(40, 100)], [Span(0, 100)]]
    assert _own_shares(groups, 100) == [0.0, 0.0, 0.0]
    assert _own_shares(groups[:2], 100) == [0.4, 0.5]
    assert _own_shares([[Span(0, 10), Span(5, 30)], []], 100) == [0.3, 0.0]


def test_a_document_joining_two_groups_by_distinct_halves_is_a_mosaic_found_by_blocks() -> None:
    pairs = [
        _pair("a1", "a2", (0, 800)),
        _pair("a1", "a3", (0, 800)),
        _pair("a2", "a3", (0, 800)),
        _pair("b1", "b2", (0, 800)),
        _pair("m", "a1", (0, 400)),
        _pair("m", "a2", (0, 400)),
        _pair("m", "b1", (500, 900)),
    ]
    result = _families(pairs, ["a1", "a2", "a3", "b1", "b2", "m"])
    assert result.role_of["m"] == "mosaic"
    assert sorted(f.members for f in result.families) == [("a1", "a2", "a3", "m"), ("b1", "b2", "m")]


def test_a_template_chosen_before_stays_on_a_tie_and_yields_to_more_placeholders() -> None:
    pairs = [_pair("a", "b", (0, 800)), _pair("a", "c", (0, 800)), _pair("b", "c", (0, 800))]
    graph = reuse_graph(["a", "b", "c"], pairs)

    def template(placeholders: dict[str, list[Span]]) -> str | None:
        found = find_families(
            graph, placeholders=placeholders, key_lengths=dict.fromkeys("abc", 1000), duplicate_of={}, preferred={"b"}
        )
        return found.families[0].template

    assert template({"b": [Span(5, 7)], "c": [Span(9, 11)]}) == "b"  # as many placeholders: the one kept
    assert template({"b": [Span(5, 7)], "c": [Span(9, 11), Span(20, 22)]}) == "c"  # more of them: the other


def test_a_giant_is_split_the_same_in_the_whole_graph_and_in_its_component_alone() -> None:
    """Louvain's result depends on the order it meets the nodes in: the split runs on a graph of its own, nodes
    and edges sorted, not on a view whose order follows the graph around it (and the hash seed)."""
    import random

    import networkx as nx

    from dupdetect.stages.families import _split_giants

    rng = random.Random(4)
    whole: nx.Graph[str] = nx.Graph()
    nodes = [f"d{i:04d}" for i in range(1000)]
    whole.add_nodes_from(nodes)
    group = nodes[:300]
    for _ in range(1500):  # (a loose group of 300: Louvain finds a dozen communities in it)
        u, v = rng.sample(group, 2)
        whole.add_edge(u, v, weight=rng.random())
    for _ in range(2000):
        u, v = rng.sample(nodes[300:], 2)
        whole.add_edge(u, v, weight=rng.random())
    config = FamilyConfig(giant_min=10, giant_fraction=0.0)
    alone = nx.Graph(whole.subgraph(group))
    split_whole, _ = _split_giants([set(group)], whole, 1000, 7, config)
    split_alone, _ = _split_giants([set(group)], alone, 1000, 7, config)
    assert len(split_whole) > 2
    assert sorted(map(sorted, split_whole)) == sorted(map(sorted, split_alone))
