"""Document pairs -> families, templates and roles (networkx).

A family is a group of documents joined by *substantial* reuse: a pair whose
passages share at least ``min_shared`` normalised characters (``excerpt_min_shared``
when they cover ``excerpt_coverage`` of the shorter: a preview's excerpt), cover at
least ``min_coverage`` of one side, and hold one exact run of at least
``min_run`` characters, or, reworded throughout (a synonym spinner leaves no
long run), passages at least ``reworded_similarity`` similar over at least
``reworded_coverage`` of both sides. Short stock phrases never make a pair
substantial, and neither do news reports that share a wire-service formula
in many short pieces among their own names and numbers.

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
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

from dupdetect.model.config import FamilyConfig
from dupdetect.model.types import DocPair, Families, Family, Role, ScanWarning, Span

COPY_SHARE = 0.5  # a member that reuses at least this share of the template is a copy


def is_substantial(pair: DocPair, config: FamilyConfig = FamilyConfig()) -> bool:
    """Whether a pair shares enough to put its documents in one family.

    Exact duplicates always do (the pipeline only collapses texts long enough to hold a passage).
    """
    if pair.duplicate:
        return True
    most = max(pair.coverage_a, pair.coverage_b)
    if most < config.min_coverage or pair.shared_chars < (
        config.excerpt_min_shared if most >= config.excerpt_coverage else config.min_shared
    ):
        return False
    return pair.longest_run >= config.min_run or _reworded_throughout(pair, config)


def _reworded_throughout(pair: DocPair, config: FamilyConfig) -> bool:
    """A copy reworded all the way through: no long verbatim run, but dense passages over most of both texts.

    A synonym spinner changes a word every few dozen characters (passage similarity ~0.9) and leaves
    the copy covering the template; a wire formula's pieces sit among each report's own names and
    numbers (passages ~0.6-0.7) in one part of each report.
    """
    if min(pair.coverage_a, pair.coverage_b) < config.reworded_coverage:
        return False
    matched = sum(p.matched for p in pair.passages)
    spanned = sum(p.key_a.end - p.key_a.start + p.key_b.end - p.key_b.start for p in pair.passages)
    return spanned > 0 and 2 * matched / spanned >= config.reworded_similarity


def reuse_graph(
    doc_ids: Iterable[str] | None,
    pairs: Iterable[DocPair],
    *,
    config: FamilyConfig = FamilyConfig(),
    documents: int | None = None,
) -> nx.Graph[str]:
    """Undirected graph of the documents, with an edge per substantial pair.

    ``doc_ids`` None: only the documents that have a substantial pair (the others are in no family;
    at a million documents, most of the graph's size and of each pass over it); ``documents`` then says
    how many the corpus holds (the giant guard of :func:`find_families` counts them all), kept as the
    graph's ``documents`` attribute.
    """
    edges = [p for p in pairs if is_substantial(p, config)]
    graph: nx.Graph[str] = _nx().Graph()
    graph.add_nodes_from(sorted({d for p in edges for d in (p.a, p.b)} if doc_ids is None else doc_ids))
    graph.graph["documents"] = graph.number_of_nodes() if doc_ids is not None or documents is None else documents
    graph.add_edges_from((p.a, p.b, {"pair": p, "weight": p.similarity}) for p in edges)
    return graph


def find_families(
    graph: nx.Graph[str],
    *,
    placeholders: Mapping[str, Sequence[Span]],
    key_lengths: Mapping[str, int],
    duplicate_of: Mapping[str, str],
    dates: Mapping[str, str] | None = None,
    seed: int = 1,
    preferred: Container[str] = frozenset(),
    config: FamilyConfig = FamilyConfig(),
) -> Families:
    """Families, templates and roles of the documents in ``graph``.

    Args:
        graph: from :func:`reuse_graph` (its ``documents``, the corpus's size, sets the giant guard's scale).
        placeholders: placeholder spans (original text) per document.
        key_lengths: match-key length per document (for coverage shares).
        duplicate_of: exact duplicates, mapped to the document they repeat.
        dates: ISO date per document where its page states one.
        seed: seed of the community detection that splits a giant family.
        preferred: documents to keep as templates when they can be (the templates of an earlier pass,
            which every member has been aligned against).
        config: family thresholds.
    """
    # exact duplicates hang off the document they repeat: they can never be mosaics, and leaving them
    # out keeps mosaic search linear when one text is copied 10,000 times
    mosaics = find_mosaics(_without(graph, duplicate_of), key_lengths, config)
    rest = graph.subgraph(n for n in graph if n not in mosaics)
    size = int(graph.graph.get("documents", graph.number_of_nodes()))
    groups, warnings = _split_giants([set(c) for c in _nx().connected_components(rest)], rest, size, seed, config)
    members = _attach_mosaics(groups, mosaics, graph)
    ordered = sorted((sorted(m) for m in members if len(m) > 1), key=lambda m: (-len(m), m[0]))
    families: list[Family] = []
    family_of: dict[str, str] = {}
    role_of: dict[str, Role] = {}
    for number, group in enumerate(ordered, start=1):
        fid = f"F{number}"
        roles = assign_roles(graph, group, set(mosaics), placeholders, duplicate_of, dates, preferred)
        template = next((m for m, r in roles.items() if r == "template"), None)
        against = aligned_against(graph, group, template)
        families.append(Family(id=fid, members=tuple(group), template=template, roles=roles, aligned_with=against))
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
    out: nx.Graph[str] = _nx().Graph()
    out.add_nodes_from(n for n in graph if n not in drop)
    out.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u not in drop and v not in drop)
    return out


def find_mosaics(
    graph: nx.Graph[str], key_lengths: Mapping[str, int], config: FamilyConfig
) -> dict[str, frozenset[str]]:
    """Documents that borrow distinct parts of themselves from 2+ separate groups.

    The groups a cut vertex leaves are its biconnected blocks: neighbours in
    one block stay joined without it, neighbours in two never do. Linear in
    the graph (one pass for the blocks, one over each cut vertex's edges).
    Returns each mosaic with its neighbours in the group it borrows most from.
    """
    block: dict[tuple[str, str], int] = {}
    cuts = set(_nx().articulation_points(graph))
    if not cuts:
        return {}
    for k, edges in enumerate(_nx().biconnected_component_edges(graph)):
        for u, v in edges:
            if u in cuts or v in cuts:
                block[u, v] = block[v, u] = k
    found: dict[str, frozenset[str]] = {}
    for node in sorted(cuts):
        sides: dict[int, list[str]] = {}
        for n in graph[node]:
            sides.setdefault(block[node, n], []).append(n)
        groups = [frozenset(ns) for ns in sides.values()]
        spans = [[s for n in g for s in _spans_on(graph.edges[node, n]["pair"], node)] for g in groups]
        own = _own_shares(spans, key_lengths.get(node, 0))
        strong = [(share, group) for share, group in zip(own, groups, strict=True) if share >= config.mosaic_min_share]
        if len(strong) >= 2:
            found[node] = max(strong, key=lambda sg: (sg[0], sorted(sg[1])))[1]
    return found


def _spans_on(pair: DocPair, node: str) -> list[Span]:
    return [p.key_a if pair.a == node else p.key_b for p in pair.passages]


def _own_shares(groups: Sequence[Sequence[Span]], length: int) -> list[float]:
    """For each group of spans, the share of ``length`` it covers and no other group does.

    One sweep over every group's spans (a template with 5,000 copies around it
    costs 5,000 groups once, not 5,000 times 5,000).
    """
    if not length:
        return [0.0] * len(groups)
    events: list[tuple[int, int, int]] = []  # (position, +1 opens / -1 closes, group)
    for g, spans in enumerate(groups):
        for start, end in _merged(spans):
            events += [(start, 1, g), (end, -1, g)]
    events.sort()
    own = [0] * len(groups)
    active: dict[int, None] = {}
    last = 0
    for pos, step, g in events:
        if len(active) == 1 and pos > last:
            own[next(iter(active))] += pos - last
        last = pos
        if step > 0:
            active[g] = None
        else:
            del active[g]
    return [round(n / length, 4) for n in own]


def _merged(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """The union of ``spans`` as sorted, disjoint ``(start, end)`` ranges."""
    out: list[tuple[int, int]] = []
    for s in sorted(spans):
        if out and s.start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], s.end))
        elif s.end > s.start:
            out.append((s.start, s.end))
    return out


def _split_giants(
    groups: list[set[str]], graph: nx.Graph[str], documents: int, seed: int, config: FamilyConfig
) -> tuple[list[set[str]], list[ScanWarning]]:
    if config.giant_min is None:
        return groups, []
    limit = max(config.giant_min, int(config.giant_fraction * documents))
    out: list[set[str]] = []
    warnings: list[ScanWarning] = []
    for group in groups:
        if len(group) <= limit:
            out.append(group)
            continue
        # (on a graph of its own, nodes and edges sorted: a subgraph view's order depends on the whole graph
        # and on the hash seed, and Louvain's result on the order it meets the nodes in)
        alone = _nx().Graph()
        alone.add_nodes_from(sorted(group))
        alone.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in graph.subgraph(group).edges(data=True)))
        parts = _nx().community.louvain_communities(alone, weight="weight", seed=seed)
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
    preferred: Container[str] = frozenset(),
) -> dict[str, Role]:
    """Role of every member of one family (a ``preferred`` member is the template if it can be)."""
    candidates = sorted(m for m in group if m not in mosaics and m not in duplicate_of) or sorted(group)
    template = choose_template(graph, candidates, group, placeholders, dates or {}, preferred)
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
    for m in group:
        original = duplicate_of.get(m)
        if original is not None and original in roles and original != template:
            roles[m] = roles[original]
    return roles


def choose_template(
    graph: nx.Graph[str],
    candidates: Sequence[str],
    group: Sequence[str],
    placeholders: Mapping[str, Sequence[Span]],
    dates: Mapping[str, str],
    preferred: Container[str] = frozenset(),
) -> str:
    """The member with the most placeholders in shared text; failing that the earliest
    dated; failing that the one the others cover most. Ties go to a ``preferred`` member
    (the template chosen on a smaller graph), then to the smallest id."""
    members = frozenset(group)
    shared = {m: _shared_placeholders(graph, m, members, placeholders.get(m, ())) for m in candidates}
    best = max(shared.values())
    pool = [m for m in candidates if shared[m] == best]
    pool = [m for m in pool if m in preferred] or pool
    dated = [m for m in pool if dates.get(m)]
    if best == 0 and dated:
        earliest = min(dates[m] for m in dated)
        pool = [m for m in dated if dates[m] == earliest]
    # max() keeps the first of equals and the pool is sorted, so ties go to the smallest id
    return max(sorted(pool), key=lambda m: _covered_by_others(graph, m, members))


def _shared_placeholders(graph: nx.Graph[str], member: str, group: Container[str], spans: Sequence[Span]) -> int:
    """How many of ``member``'s placeholders lie in text it shares with the family."""
    shared = [
        p.a if pair.a == member else p.b
        for n in graph[member]
        if n in group
        for pair in [graph.edges[member, n]["pair"]]
        for p in pair.passages
    ]
    return sum(1 for ph in spans if any(s.start <= ph.start and ph.end <= s.end for s in shared))


def _covered_by_others(graph: nx.Graph[str], member: str, group: Container[str]) -> float:
    """Mean share of ``member`` covered by each family member it shares passages with."""
    shares = [_side_coverage(graph.edges[member, n]["pair"], member) for n in graph[member] if n in group]
    return sum(shares) / len(shares) if shares else 0.0


def aligned_against(graph: nx.Graph[str], group: Sequence[str], template: str | None) -> dict[str, str]:
    """Which member each other member's evidence is read against: the template where the two share a
    substantial pair, else the family member it shares the most characters with (ties: smallest id)."""
    if template is None:
        return {}
    members = frozenset(group)
    out: dict[str, str] = {}
    for m in group:
        if m == template:
            continue
        if graph.has_edge(m, template):
            out[m] = template
            continue
        near = [(-graph.edges[m, n]["pair"].shared_chars, n) for n in graph[m] if n in members]
        if near:
            out[m] = min(near)[1]
    return out


def _template_share(graph: nx.Graph[str], template: str, member: str) -> float:
    if not graph.has_edge(template, member):
        return 0.0
    return _side_coverage(graph.edges[template, member]["pair"], template)


def _side_coverage(pair: DocPair, node: str) -> float:
    return pair.coverage_a if pair.a == node else pair.coverage_b


def _nx() -> ModuleType:
    """networkx, imported when families are found (a query of a saved index needs only :func:`is_substantial`:
    importing networkx takes it 0.1-0.3 s)."""
    import networkx

    return networkx
