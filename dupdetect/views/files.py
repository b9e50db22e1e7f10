"""Report -> files: ``report.json`` (see :mod:`dupdetect.model.serialize`) and GraphML.

GraphML must open in Gephi and Cytoscape, and round-trip through
``networkx.read_graphml``: every string is stripped of characters XML 1.0
forbids (one control character would abort or corrupt the whole file), no
value is None or a list, each attribute name has one type, and key ids are
the attribute names (networkx's default ``d3``/``d7`` ids are read by Gephi
as labels).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import networkx as nx
import pyarrow.compute as pc

from dupdetect.model.columns import Rows
from dupdetect.model.report import reused_share
from dupdetect.model.serialize import write_report_json
from dupdetect.model.types import (
    DocPair,
    Report,
)

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LABEL_CHARS = 30


def family_graph(report: Report, *, directed: bool = False) -> nx.Graph[str]:
    """The reuse graph of a report, with GraphML-safe scalar attributes.

    Nodes are every document in a family or in a pair; edges are the pairs.
    With ``directed``, each edge goes from source to borrower: from a family's
    template to its members, otherwise from the side more of which is reused.
    """
    docs = {d.id: d for d in report.documents}
    coverage = reused_share(report.pairs)
    graph: nx.Graph[str] = nx.DiGraph() if directed else nx.Graph()
    templates = {m: f.template for f in report.families for m in f.members}
    in_graph = sorted({m for f in report.families for m in f.members} | set(coverage))
    for doc_id in in_graph:
        d = docs[doc_id]
        graph.add_node(
            clean_xml(doc_id),
            label=clean_xml(_short(d.title or doc_id)),
            family=d.family or "",
            role=d.role or "",
            chars=d.chars,
            coverage=float(coverage.get(doc_id, 0.0)),
            placeholders=d.placeholders,
            source=clean_xml(d.source),
        )
    for a, b, similarity, coverage_a, coverage_b, shared_chars, passages in _edges(report.pairs):
        source, target = _direction(a, b, coverage_a, coverage_b, templates) if directed else (a, b)
        graph.add_edge(
            clean_xml(source),
            clean_xml(target),
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


def _direction(
    a: str, b: str, coverage_a: float, coverage_b: float, templates: Mapping[str, str | None]
) -> tuple[str, str]:
    """Source and borrower of a pair: the template first, else the side reused more."""
    if templates.get(b) == b and templates.get(a) == b:
        return b, a
    if templates.get(a) == a and templates.get(b) == a:
        return a, b
    return (a, b) if coverage_a >= coverage_b else (b, a)


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
        _atomic(path, lambda tmp: _write_json_file(report, tmp))
    else:
        _atomic(path, lambda tmp: write_graphml(report, tmp, directed=name == "directed"))


def _write_json_file(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        write_report_json(report, handle)


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` through a temporary name beside it, so a killed run leaves no half file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def clean_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control chars, lone surrogates)."""
    return _XML_INVALID.sub("", text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"
