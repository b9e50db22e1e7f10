"""Report -> files: ``report.json`` (a stable contract) and GraphML.

``report.json`` is written with sorted content and no timestamp, so two runs
on the same input give byte-identical files.

GraphML must open in Gephi and Cytoscape, and round-trip through
``networkx.read_graphml``: every string is stripped of characters XML 1.0
forbids (one control character would abort or corrupt the whole file), no
value is None or a list, each attribute name has one type, and key ids are
the attribute names (networkx's default ``d3``/``d7`` ids are read by Gephi
as labels).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from dupdetect.clean import removal_counts
from dupdetect.types import DocPair, Passage, Report

SCHEMA_VERSION = 1
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LABEL_CHARS = 30


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON-ready dict of ``report.json`` (schema version 1)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "dupdetect", "version": report.tool_version},
        "config": report.config,
        "counts": dict(report.counts),
        "documents": [
            {
                "id": d.id,
                "source": d.source,
                "span": d.span.as_list(),
                "title": d.title,
                "chars": d.chars,
                "encoding": d.encoding,
                "family": d.family,
                "role": d.role,
                "placeholders": d.placeholders,
                "duplicate_of": d.duplicate_of,
                "date": d.date or None,
                "site": d.site or None,
                "removed": removal_counts(d.chrome),
                "chrome": [{"rule": r.rule, "span": r.span.as_list()} for r in d.chrome],
                "meta": dict(d.meta),
            }
            for d in report.documents
        ],
        "families": [
            {"id": f.id, "members": list(f.members), "template": f.template, "roles": dict(f.roles)}
            for f in report.families
        ],
        "pairs": [_pair_to_dict(p) for p in report.pairs],
        "slots": [
            {
                "family": s.family,
                "slot": s.slot,
                "kind": s.kind,
                "template_text": s.template_text,
                "span": s.span.as_list(),
                "fills": dict(s.fills),
            }
            for s in report.slots
        ],
        "templates": [{"family": t.family, "doc": t.doc, "text": t.text} for t in report.templates],
        "edits": [
            {
                "family": e.family,
                "doc": e.doc,
                "template_span": e.template_span.as_list(),
                "template_text": e.template_text,
                "span": e.span.as_list(),
                "text": e.text,
            }
            for e in report.edits
        ],
        "warnings": [{"source": w.source, "message": w.message} for w in report.warnings],
    }


def _pair_to_dict(pair: DocPair) -> dict[str, Any]:
    return {
        "a": pair.a,
        "b": pair.b,
        "similarity": pair.similarity,
        "coverage_a": pair.coverage_a,
        "coverage_b": pair.coverage_b,
        "shared_chars": pair.shared_chars,
        "duplicate": pair.duplicate,
        "passages": [_passage_to_dict(p) for p in pair.passages],
    }


def _passage_to_dict(p: Passage) -> dict[str, Any]:
    return {"a": p.a.as_list(), "b": p.b.as_list(), "similarity": p.similarity, "matched": p.matched}


def report_json(report: Report) -> str:
    """``report.json``'s text: indented, UTF-8 characters kept, newline at the end."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=1) + "\n"


def family_graph(report: Report) -> nx.Graph[str]:
    """The reuse graph of a report, with GraphML-safe scalar attributes.

    Nodes are every document in a family or in a pair; edges are the pairs.
    """
    docs = {d.id: d for d in report.documents}
    coverage: dict[str, float] = {}
    for p in report.pairs:
        coverage[p.a] = max(coverage.get(p.a, 0.0), p.coverage_a)
        coverage[p.b] = max(coverage.get(p.b, 0.0), p.coverage_b)
    graph: nx.Graph[str] = nx.Graph()
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
    for p in report.pairs:
        graph.add_edge(
            clean_xml(p.a),
            clean_xml(p.b),
            weight=float(p.similarity),
            coverage_a=float(p.coverage_a),
            coverage_b=float(p.coverage_b),
            shared_chars=p.shared_chars,
            passages=len(p.passages),
        )
    graph.graph["generator"] = f"dupdetect {report.tool_version}"
    return graph


def write_graphml(report: Report, path: Path) -> None:
    """Write the family graph as GraphML that Gephi, Cytoscape and networkx read."""
    nx.write_graphml(family_graph(report), path, encoding="utf-8", named_key_ids=True)


def write_outputs(report: Report, out_dir: Path) -> Mapping[str, Path]:
    """Write ``report.json`` and ``families.graphml`` into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"report": out_dir / "report.json", "graph": out_dir / "families.graphml"}
    paths["report"].write_text(report_json(report), encoding="utf-8")
    write_graphml(report, paths["graph"])
    return paths


def clean_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control chars, lone surrogates)."""
    return _XML_INVALID.sub("", text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"
