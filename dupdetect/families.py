"""Document pairs -> families, templates and roles (networkx).

A family is a group of documents joined by *substantial* reuse: a pair whose
passages share at least ``min_shared`` normalised characters, cover at
least ``min_coverage`` of one side, and hold one exact run of at least
``min_run`` characters. Short stock phrases never make a pair substantial,
and neither do news reports that share a wire-service formula in many
short pieces (copying from a template leaves long verbatim runs).

A *mosaic* borrows from several families: it is a cut vertex of the reuse
graph whose neighbours fall into two or more groups once it is removed, each
group covering a different part of it (at least ``mosaic_min_share`` of its
text). Mosaics are taken out before families are formed and are then listed
in every family they borrow from. A family larger than the giant guard is
reported and split by Louvain community detection (fixed seed).

Within a family, the template is the member with the most placeholders in
the text it shares with the family (a copy has fills there, a partial copy
shares only some of them) or, failing that, the earliest dated member, or
failing that, the member the others cover most; members that reuse at least
half of the template are ``copy``, the others ``partial``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from dupdetect.align import coverage
from dupdetect.config import FamilyConfig
from dupdetect.types import DocPair, Family, Role, ScanWarning, Span

COPY_SHARE = 0.5  # a member that reuses at least this share of the template is a copy


@dataclass(frozen=True, slots=True)
class Families:
    """The families of a corpus and where each document stands."""

    families: tuple[Family, ...]
    family_of: Mapping[str, str]
    role_of: Mapping[str, Role]
    warnings: tuple[ScanWarning, ...]


def is_substantial(pair: DocPair, config: FamilyConfig = FamilyConfig()) -> bool:
    """Whether a pair shares enough to put its documents in one family.

    Exact duplicates always do (the pipeline only collapses texts long enough to hold a passage).
    """
    if pair.duplicate:
        return True
    return (
        pair.shared_chars >= config.min_shared
        and max(pair.coverage_a, pair.coverage_b) >= config.min_coverage
        and pair.longest_run >= config.min_run
    )


def reuse_graph(
    doc_ids: Iterable[str], pairs: Iterable[DocPair], *, config: FamilyConfig = FamilyConfig()
) -> nx.Graph[str]:
    """Undirected graph of all documents, with an edge per substantial pair."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(doc_ids))
    for p in pairs:
        if is_substantial(p, config):
            graph.add_edge(p.a, p.b, pair=p, weight=p.similarity)
    return graph


def find_families(
    graph: nx.Graph[str],
    *,
    placeholders: Mapping[str, Sequence[Span]],
    key_lengths: Mapping[str, int],
    duplicate_of: Mapping[str, str],
    dates: Mapping[str, str] | None = None,
    seed: int = 1,
    config: FamilyConfig = FamilyConfig(),
) -> Families:
    """Families, templates and roles of the documents in ``graph``.

    Args:
        graph: from :func:`reuse_graph`.
        placeholders: placeholder spans (original text) per document.
        key_lengths: match-key length per document (for coverage shares).
        duplicate_of: exact duplicates, mapped to the document they repeat.
        dates: ISO date per document where its page states one.
        seed: seed of the community detection that splits a giant family.
        config: family thresholds.
    """
    # exact duplicates hang off the document they repeat: they can never be mosaics, and leaving them
    # out keeps mosaic search linear when one text is copied 10,000 times
    mosaics = find_mosaics(_without(graph, duplicate_of), key_lengths, config)
    rest = graph.subgraph(n for n in graph if n not in mosaics)
    groups, warnings = _split_giants([set(c) for c in nx.connected_components(rest)], rest, seed, config)
    members = _attach_mosaics(groups, mosaics, graph)
    ordered = sorted((sorted(m) for m in members if len(m) > 1), key=lambda m: (-len(m), m[0]))
    families: list[Family] = []
    family_of: dict[str, str] = {}
    role_of: dict[str, Role] = {}
    for number, group in enumerate(ordered, start=1):
        fid = f"F{number}"
        roles = assign_roles(graph, group, set(mosaics), placeholders, duplicate_of, dates)
        template = next((m for m, r in roles.items() if r == "template"), None)
        families.append(Family(id=fid, members=tuple(group), template=template, roles=roles))
        for m in group:
            main_source = mosaics.get(m)
            if m not in family_of or (main_source is not None and not main_source.isdisjoint(group)):
                family_of[m] = fid
            role_of[m] = roles[m]
    return Families(tuple(families), family_of, role_of, tuple(warnings))


def _without(graph: nx.Graph[str], drop: Container[str]) -> nx.Graph[str]:
    """A copy of ``graph`` without the nodes in ``drop``.

    Not a subgraph view: a view counts its nodes by filtering the whole graph,
    and connected-component walks count them on every call.
    """
    out: nx.Graph[str] = nx.Graph()
    out.add_nodes_from(n for n in graph if n not in drop)
    out.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u not in drop and v not in drop)
    return out


def find_mosaics(
    graph: nx.Graph[str], key_lengths: Mapping[str, int], config: FamilyConfig
) -> dict[str, frozenset[str]]:
    """Documents that borrow distinct parts of themselves from 2+ separate groups.

    Returns each mosaic with the group it borrows most from.
    """
    found: dict[str, frozenset[str]] = {}
    for node in sorted(nx.articulation_points(graph)):
        shares = _group_shares(graph, node, key_lengths.get(node, 0))
        strong = [(share, group) for share, group in shares if share >= config.mosaic_min_share]
        if len(strong) >= 2:
            found[node] = max(strong, key=lambda sg: (sg[0], sorted(sg[1])))[1]
    return found


def _group_shares(graph: nx.Graph[str], node: str, length: int) -> list[tuple[float, frozenset[str]]]:
    """The neighbour groups of ``node`` once it is removed, and the share of it each covers alone."""
    component = nx.node_connected_component(graph, node) - {node}
    groups = [frozenset(c) for c in nx.connected_components(graph.subgraph(component))]
    spans_of = {
        g: [s for n in graph[node] if n in g for s in _spans_on(graph.edges[node, n]["pair"], node)] for g in groups
    }
    shares = []
    for group, spans in spans_of.items():
        others = [s for g, ss in spans_of.items() if g != group for s in ss]
        own = coverage(spans, length) - _overlap(spans, others, length)
        shares.append((own, group))
    return shares


def _spans_on(pair: DocPair, node: str) -> list[Span]:
    return [p.key_a if pair.a == node else p.key_b for p in pair.passages]


def _overlap(spans: Sequence[Span], others: Sequence[Span], length: int) -> float:
    """Share of ``length`` covered by both span sets."""
    both = coverage(spans, length) + coverage(others, length) - coverage([*spans, *others], length)
    return max(0.0, both)


def _split_giants(
    groups: list[set[str]], graph: nx.Graph[str], seed: int, config: FamilyConfig
) -> tuple[list[set[str]], list[ScanWarning]]:
    limit = max(config.giant_min, int(config.giant_fraction * graph.number_of_nodes()))
    out: list[set[str]] = []
    warnings: list[ScanWarning] = []
    for group in groups:
        if len(group) <= limit:
            out.append(group)
            continue
        parts = nx.community.louvain_communities(graph.subgraph(group), weight="weight", seed=seed)
        warnings.append(
            ScanWarning(
                source=min(group),
                message=f"one family held {len(group)} documents (limit {limit}); split into {len(parts)} "
                "by community detection. Raise --min-chars or the threshold if these are not one template.",
            )
        )
        out.extend(set(p) for p in parts)
    return out, warnings


def _attach_mosaics(
    groups: list[set[str]], mosaics: Mapping[str, frozenset[str]], graph: nx.Graph[str]
) -> list[set[str]]:
    """Add each mosaic to every group it is joined to."""
    group_of: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        for node in group:
            group_of.setdefault(node, []).append(i)
    for mosaic in mosaics:  # in order: a mosaic joins the groups an earlier mosaic next to it joined
        joined = sorted({i for n in graph[mosaic] for i in group_of.get(n, ())})
        for i in joined:
            groups[i].add(mosaic)
        group_of.setdefault(mosaic, []).extend(joined)
    return groups


def assign_roles(
    graph: nx.Graph[str],
    group: Sequence[str],
    mosaics: set[str],
    placeholders: Mapping[str, Sequence[Span]],
    duplicate_of: Mapping[str, str],
    dates: Mapping[str, str] | None = None,
) -> dict[str, Role]:
    """Role of every member of one family."""
    candidates = sorted(m for m in group if m not in mosaics and m not in duplicate_of) or sorted(group)
    template = choose_template(graph, candidates, group, placeholders, dates or {})
    roles: dict[str, Role] = {}
    for m in group:
        if m == template:
            roles[m] = "template"
        elif m in mosaics:
            roles[m] = "mosaic"
        elif duplicate_of.get(m) == template or _template_share(graph, template, m) >= COPY_SHARE:
            roles[m] = "copy"
        else:
            roles[m] = "partial"
    for m, original in duplicate_of.items():
        if m in roles and original in roles and original != template:
            roles[m] = roles[original]
    return roles


def choose_template(
    graph: nx.Graph[str],
    candidates: Sequence[str],
    group: Sequence[str],
    placeholders: Mapping[str, Sequence[Span]],
    dates: Mapping[str, str],
) -> str:
    """The member with the most placeholders in shared text; failing that the earliest
    dated; failing that the one the others cover most. Ties go to the smallest id."""
    shared = {m: _shared_placeholders(graph, m, group, placeholders.get(m, ())) for m in candidates}
    best = max(shared.values())
    pool = [m for m in candidates if shared[m] == best]
    dated = [m for m in pool if dates.get(m)]
    if best == 0 and dated:
        earliest = min(dates[m] for m in dated)
        pool = [m for m in dated if dates[m] == earliest]
    # max() keeps the first of equals and the pool is sorted, so ties go to the smallest id
    return max(sorted(pool), key=lambda m: _covered_by_others(graph, m, group))


def _shared_placeholders(graph: nx.Graph[str], member: str, group: Sequence[str], spans: Sequence[Span]) -> int:
    """How many of ``member``'s placeholders lie in text it shares with the family."""
    shared = [
        p.a if pair.a == member else p.b
        for n in graph[member]
        if n in group
        for pair in [graph.edges[member, n]["pair"]]
        for p in pair.passages
    ]
    return sum(1 for ph in spans if any(s.start <= ph.start and ph.end <= s.end for s in shared))


def _covered_by_others(graph: nx.Graph[str], member: str, group: Sequence[str]) -> float:
    """Mean share of ``member`` covered by each family member it shares passages with."""
    shares = [_side_coverage(graph.edges[member, n]["pair"], member) for n in graph[member] if n in group]
    return sum(shares) / len(shares) if shares else 0.0


def _template_share(graph: nx.Graph[str], template: str, member: str) -> float:
    if not graph.has_edge(template, member):
        return 0.0
    return _side_coverage(graph.edges[template, member]["pair"], template)


def _side_coverage(pair: DocPair, node: str) -> float:
    return pair.coverage_a if pair.a == node else pair.coverage_b
