"""Report -> files: ``report.json`` (see :mod:`dupdetect.model.serialize`) and GraphML.

GraphML must open in Gephi and Cytoscape, and round-trip through
``networkx.read_graphml``: every string is stripped of characters XML 1.0
forbids (one control character would abort or corrupt the whole file), no
value is None or a list, each attribute name has one type, and key ids are
the attribute names (networkx's default ``d3``/``d7`` ids are read by Gephi
as labels).
"""

from __future__ import annotations

import heapq
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import networkx as nx
import pyarrow.compute as pc

from dupdetect.model.columns import Rows
from dupdetect.model.report import families_of, reused_share
from dupdetect.model.serialize import write_report_json
from dupdetect.model.types import (
    DocPair,
    Family,
    Report,
)

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LABEL_CHARS = 30


def family_graph(report: Report, *, directed: bool = False) -> nx.Graph[str]:
    """The reuse graph of a report, with GraphML-safe scalar attributes.

    Nodes are every document in a family or in a pair, with its ``label`` (a
    short title), ``title``, ``site``, ``date``, ``role``, ``family`` (the
    family it borrows most from), ``families`` (every family it is in, ``;``
    between: a mosaic is in each it draws on), ``chars``, ``coverage``,
    ``placeholders`` and ``source``.

    Undirected, the edges are the pairs. With ``directed``, they say who was
    copied from whom (:func:`_derived_edges`): from a family's template to each
    member aligned against it, from a member to a member aligned against that
    one, and for a mosaic one such edge in each family it draws on; two members
    that are only alike because both copied the template get no edge. A pair
    outside any family runs from the side less of which is reused.
    """
    docs = {d.id: d for d in report.documents}
    coverage = reused_share(report.pairs)
    in_families = families_of(report)
    graph: nx.Graph[str] = nx.DiGraph() if directed else nx.Graph()
    for doc_id in sorted(set(in_families) | set(coverage)):
        d = docs[doc_id]
        graph.add_node(
            clean_xml(doc_id),
            label=clean_xml(_short(d.title or doc_id)),
            title=clean_xml(d.title),
            site=clean_xml(d.site),
            date=clean_xml(d.date),
            family=d.family or "",
            families=";".join(in_families.get(doc_id, ())),
            role=d.role or "",
            chars=d.chars,
            coverage=float(coverage.get(doc_id, 0.0)),
            placeholders=d.placeholders,
            source=clean_xml(d.source),
        )
    if directed:
        for source, target, attributes in _derived_edges(report):
            graph.add_edge(clean_xml(source), clean_xml(target), **attributes)
    else:
        for a, b, similarity, coverage_a, coverage_b, shared_chars, passages in _edges(report.pairs):
            graph.add_edge(
                clean_xml(a),
                clean_xml(b),
                weight=float(similarity),
                coverage_a=float(coverage_a),
                coverage_b=float(coverage_b),
                shared_chars=shared_chars,
                passages=passages,
            )
    graph.graph["generator"] = f"dupdetect {report.tool_version}"
    return graph


_Edge = tuple[str, str, float, float, float, int, int]
_EDGE_COLUMNS = ("a", "b", "similarity", "coverage_a", "coverage_b", "shared_chars")


def _edges(pairs: Sequence[DocPair]) -> Iterable[_Edge]:
    """Each pair's ids, similarity, coverages, shared characters and number of passages; read from the
    columns when the pairs are a table's rows (no pair or passage made)."""
    if isinstance(pairs, Rows):
        table = pairs.table
        values = [table.column(name).to_pylist() for name in _EDGE_COLUMNS]
        return zip(*values, pc.list_value_length(table.column("passages")).to_pylist(), strict=True)
    return ((p.a, p.b, p.similarity, p.coverage_a, p.coverage_b, p.shared_chars, len(p.passages)) for p in pairs)


_Attributes = dict[str, str | float | int]


def _derived_edges(report: Report) -> list[tuple[str, str, _Attributes]]:
    """The directed graph's edges, source to borrower, in id order, each with the pair's evidence.

    Each family with a template gives a tree rooted at its template
    (:func:`_derivation`): every other member has one edge into it, from the
    member its evidence was aligned against (``Family.aligned_with``: the
    template where the two share a substantial pair, else the member it shares
    most with). ``relation`` says ``template`` or ``member``, and ``family``
    which families (``;`` between) the edge stands for; where two families
    orient one pair both ways, it runs to the side more of which is reused. A
    pair whose documents share no family with a template is a ``pair`` edge,
    from the side less reused; a pair of members outside their family's tree
    (two copies alike through the template) gets no edge.
    """
    derived = _derivation(report)  # (source, borrower) -> the families it stands for
    template_of: dict[str, set[str]] = {}  # document -> the families it is the template of
    rooted: dict[str, set[str]] = {}  # document -> its families that have a template
    for f in report.families:
        if f.template is not None:
            template_of.setdefault(f.template, set()).add(f.id)
            for m in f.members:
                rooted.setdefault(m, set()).add(f.id)
    out: list[tuple[str, str, _Attributes]] = []
    for a, b, similarity, coverage_a, coverage_b, shared_chars, passages in _edges(report.pairs):
        forward, backward = (a, b) in derived, (b, a) in derived
        if forward and backward:
            forward = coverage_b >= coverage_a
        if forward or backward:
            source, target = (a, b) if forward else (b, a)
            fids = sorted({*derived.get((a, b), ()), *derived.get((b, a), ())})
            relation = "template" if template_of.get(source, set()).intersection(fids) else "member"
        elif rooted.get(a, set()).isdisjoint(rooted.get(b, ())):
            source, target = (a, b) if coverage_b >= coverage_a else (b, a)
            fids, relation = [], "pair"
        else:  # two members of a family, neither the other's source: alike through a third
            continue
        forward = source == a
        out.append(
            (
                source,
                target,
                {
                    "weight": float(similarity),
                    "relation": relation,
                    "family": ";".join(fids),
                    "coverage_source": float(coverage_a if forward else coverage_b),
                    "coverage_target": float(coverage_b if forward else coverage_a),
                    "shared_chars": shared_chars,
                    "passages": passages,
                },
            )
        )
    out.sort(key=lambda edge: (edge[0], edge[1]))
    return out


def _derivation(report: Report) -> dict[tuple[str, str], list[str]]:
    """Each family's derivation tree, as (source, borrower) -> the families the edge stands for.

    A member's source is the member it was aligned against (``aligned_with``)
    where that source is reached from the template itself. Members it leaves
    unreached (two members aligned against each other, or a report written
    before ``aligned_with``) are joined to the tree through the pair sharing
    the most characters with a member already in it (Prim's algorithm on their
    family's pairs, read in one more pass over the pairs only when a family
    needs it). Linear in the members, plus the pairs of the families mended.
    """
    derived: dict[tuple[str, str], list[str]] = {}
    mend: dict[str, tuple[Family, set[str]]] = {}  # family -> (it, its members reached from the template)
    for f in report.families:
        if f.template is None:
            continue
        reached = {f.template}
        sources = {m: s for m, s in f.aligned_with.items() if s != m}
        waiting: dict[str, list[str]] = {}
        for m, s in sources.items():
            waiting.setdefault(s, []).append(m)
        frontier = [f.template]
        while frontier:  # members whose source chain leads back to the template
            source = frontier.pop()
            for m in waiting.get(source, ()):
                if m not in reached:
                    reached.add(m)
                    derived.setdefault((source, m), []).append(f.id)
                    frontier.append(m)
        if len(reached) < len(f.members):
            mend[f.id] = (f, reached)
    if mend:
        _mend(report, mend, derived)
    return derived


def _mend(
    report: Report, mend: Mapping[str, tuple[Family, set[str]]], derived: dict[tuple[str, str], list[str]]
) -> None:
    """Join each family's unreached members to its tree, the pair sharing most characters first."""
    in_mended: dict[str, list[str]] = {}
    for fid, (f, _) in mend.items():
        for m in f.members:
            in_mended.setdefault(m, []).append(fid)
    links: dict[str, dict[str, list[tuple[int, str]]]] = {fid: {} for fid in mend}  # family -> doc -> (shared, doc)
    for a, b, _, _, _, shared_chars, _ in _edges(report.pairs):
        for fid in set(in_mended.get(a, ())).intersection(in_mended.get(b, ())):
            links[fid].setdefault(a, []).append((shared_chars, b))
            links[fid].setdefault(b, []).append((shared_chars, a))
    for fid, (_, reached) in sorted(mend.items()):
        near = links[fid]
        heap = [(-shared, doc, other) for doc in sorted(reached) for shared, other in near.get(doc, ())]
        heapq.heapify(heap)
        while heap:
            _, source, member = heapq.heappop(heap)
            if member in reached:
                continue
            reached.add(member)
            derived.setdefault((source, member), []).append(fid)
            for shared, other in near.get(member, ()):
                if other not in reached:
                    heapq.heappush(heap, (-shared, member, other))


def write_graphml(report: Report, path: Path, *, directed: bool = False) -> None:
    """Write the family graph as GraphML that Gephi, Cytoscape and networkx read."""
    nx.write_graphml(family_graph(report, directed=directed), path, encoding="utf-8", named_key_ids=True)


def write_outputs(report: Report, out_dir: Path) -> Mapping[str, Path]:
    """Write ``report.json``, ``families.graphml`` and ``families-directed.graphml`` into ``out_dir``, each
    through a temporary name (a killed run leaves no half file): where each went, by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = output_paths(out_dir)
    for name, path in paths.items():
        write_output(report, name, path)
    return paths


def output_paths(out_dir: Path) -> dict[str, Path]:
    """The files ``dupdetect.write_outputs`` writes into ``out_dir``, by name."""
    return {
        "report": out_dir / "report.json",
        "graph": out_dir / "families.graphml",
        "directed": out_dir / "families-directed.graphml",
    }


def write_output(report: Report, name: str, path: Path) -> None:
    """Write one of :func:`output_paths` (``report``, ``graph`` or ``directed``), through a temporary name."""
    if name == "report":
        write_atomically(path, lambda tmp: _write_json_file(report, tmp))
    else:
        write_atomically(path, lambda tmp: write_graphml(report, tmp, directed=name == "directed"))


def _write_json_file(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        write_report_json(report, handle)


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary name beside it, so a killed run leaves no half file.

    A symbolic link is followed (the file it names is replaced, not the link);
    what is not a regular file (``/dev/stdout``, a pipe, a device) is written
    in place, never replaced. An error names ``path``, not the temporary name.
    """
    if path.exists() and not path.is_file():
        write(path)
        return
    target = path.resolve() if path.is_symlink() else path
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.filename is not None and Path(exc.filename) == tmp:
            exc.filename = str(path)
        raise
    finally:
        tmp.unlink(missing_ok=True)


def clean_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control chars, lone surrogates)."""
    return _XML_INVALID.sub("", text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"
