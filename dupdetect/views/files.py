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
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from dupdetect.engine.local import pmap
from dupdetect.model.errors import InputError
from dupdetect.model.report import reused_share
from dupdetect.model.types import (
    DocPair,
    DocumentInfo,
    Edit,
    Family,
    Passage,
    Removal,
    Report,
    ScanWarning,
    Slot,
    Span,
    TemplateText,
)
from dupdetect.stages.clean import removal_counts

SCHEMA_VERSION = 1
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LABEL_CHARS = 30


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON-ready dict of ``report.json`` (schema version 1)."""
    return {key: list(value) if isinstance(value, Iterator) else value for key, value in _sections(report).items()}


def _sections(report: Report) -> dict[str, Any]:
    """:func:`report_to_dict`, its long lists left as generators (written an item at a time)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "dupdetect", "version": report.tool_version},
        "config": report.config,
        "counts": dict(report.counts),
        "documents": (
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
                "placeholder_density": d.placeholder_density,
                "script": d.script or None,
                "duplicate_of": d.duplicate_of,
                "date": d.date or None,
                "site": d.site or None,
                "removed": removal_counts(d.chrome),
                "chrome": [{"rule": r.rule, "span": r.span.as_list()} for r in d.chrome],
                "meta": dict(d.meta),
            }
            for d in report.documents
        ),
        "families": (
            {
                "id": f.id,
                "members": list(f.members),
                "template": f.template,
                "roles": dict(f.roles),
                "aligned_with": dict(f.aligned_with),
            }
            for f in report.families
        ),
        "pairs": (_pair_to_dict(p) for p in report.pairs),
        "slots": (
            {
                "family": s.family,
                "slot": s.slot,
                "kind": s.kind,
                "template_text": s.template_text,
                "span": s.span.as_list(),
                "fills": dict(s.fills),
                "fill_spans": {m: span.as_list() for m, span in s.fill_spans.items()},
            }
            for s in report.slots
        ),
        "templates": ({"family": t.family, "doc": t.doc, "text": t.text} for t in report.templates),
        "edits": (
            {
                "family": e.family,
                "doc": e.doc,
                "template_span": e.template_span.as_list(),
                "template_text": e.template_text,
                "span": e.span.as_list(),
                "text": e.text,
            }
            for e in report.edits
        ),
        "warnings": ({"source": w.source, "message": w.message} for w in report.warnings),
    }


def _pair_to_dict(pair: DocPair) -> dict[str, Any]:
    return {
        "a": pair.a,
        "b": pair.b,
        "similarity": pair.similarity,
        "coverage_a": pair.coverage_a,
        "coverage_b": pair.coverage_b,
        "shared_chars": pair.shared_chars,
        "longest_run": pair.longest_run,
        "duplicate": pair.duplicate,
        "passages": [_passage_to_dict(p) for p in pair.passages],
    }


def _passage_to_dict(p: Passage) -> dict[str, Any]:
    return {"a": p.a.as_list(), "b": p.b.as_list(), "similarity": p.similarity, "matched": p.matched}


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """A :class:`Report` read back from ``report.json`` (schema version 1).

    Passages keep their original-text spans; their match-key spans, which the
    file does not carry, are empty.
    """
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InputError(f"not a dupdetect report.json (schema_version {data.get('schema_version')!r})")
    return Report(
        tool_version=str(data["tool"]["version"]),
        config=data.get("config", {}),
        documents=tuple(_document_from_dict(d) for d in data["documents"]),
        families=tuple(
            Family(
                id=f["id"],
                members=tuple(f["members"]),
                template=f.get("template"),
                roles=f.get("roles", {}),
                aligned_with=f.get("aligned_with", {}),
            )
            for f in data["families"]
        ),
        pairs=tuple(_pair_from_dict(p) for p in data["pairs"]),
        slots=tuple(
            Slot(
                family=s["family"],
                slot=s["slot"],
                template_text=s["template_text"],
                fills=s["fills"],
                span=_span(s.get("span", [0, 0])),
                kind=s.get("kind", "explicit"),
                fill_spans={m: _span(v) for m, v in s.get("fill_spans", {}).items()},
            )
            for s in data["slots"]
        ),
        counts=data.get("counts", {}),
        warnings=tuple(ScanWarning(w["source"], w["message"]) for w in data["warnings"]),
        edits=tuple(
            Edit(e["family"], e["doc"], _span(e["template_span"]), e["template_text"], _span(e["span"]), e["text"])
            for e in data.get("edits", [])
        ),
        templates=tuple(TemplateText(t["family"], t["doc"], t["text"]) for t in data.get("templates", [])),
    )


def load_report(path: Path) -> Report:
    """Read a ``report.json`` written by :func:`write_outputs` or ``scan --format json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return report_from_dict(data)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a readable dupdetect report ({type(exc).__name__}: {exc})") from None


def _span(pair: list[int]) -> Span:
    return Span(int(pair[0]), int(pair[1]))


def _document_from_dict(d: Mapping[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        id=d["id"],
        source=d["source"],
        span=_span(d["span"]),
        title=d.get("title") or "",
        chars=d["chars"],
        encoding=d["encoding"],
        family=d.get("family"),
        role=d.get("role"),
        placeholders=d.get("placeholders", 0),
        duplicate_of=d.get("duplicate_of"),
        placeholder_density=d.get("placeholder_density", 0.0),
        script=d.get("script") or "",
        date=d.get("date") or "",
        site=d.get("site") or "",
        chrome=tuple(Removal(_span(r["span"]), r["rule"]) for r in d.get("chrome", [])),
        meta=d.get("meta", {}),
    )


def _pair_from_dict(p: Mapping[str, Any]) -> DocPair:
    empty = Span(0, 0)
    passages = tuple(
        Passage(
            a=_span(x["a"]),
            b=_span(x["b"]),
            key_a=empty,
            key_b=empty,
            matched=x.get("matched", 0),
            similarity=x["similarity"],
        )
        for x in p["passages"]
    )
    return DocPair(
        a=p["a"],
        b=p["b"],
        similarity=p["similarity"],
        coverage_a=p["coverage_a"],
        coverage_b=p["coverage_b"],
        shared_chars=p.get("shared_chars", 0),
        passages=passages,
        duplicate=p.get("duplicate", False),
        longest_run=p.get("longest_run", 0),
    )


def report_json(report: Report) -> str:
    """``report.json``'s text: one member (and one list item) per line, UTF-8 characters kept, newline at the end."""
    return dumps(report_to_dict(report))


def write_report_json(report: Report, handle: TextIO) -> None:
    """Write :func:`report_json`'s text to ``handle`` an item at a time: the same characters, without
    holding the whole text (or every item's dict) at once (a 100k corpus's report is 175 MB)."""
    handle.write("{\n")
    for n, (key, value) in enumerate(_sections(report).items()):
        handle.write(_inert((",\n" if n else "") + f" {_compact(_json_key(key))}: "))
        if not isinstance(value, Iterator | list):
            handle.write(_inert(_compact(value)))
            continue
        items = iter(value)
        first = next(items, _NOTHING)
        if first is _NOTHING:
            handle.write(_compact([]))
            continue
        handle.write(_inert("[\n  " + _compact(first)))
        for item in items:
            handle.write(_inert(",\n  " + _compact(item)))
        handle.write("\n ]")
    handle.write("\n}\n")


_NOTHING = object()


def _inert(text: str) -> str:
    """``text`` with the characters :func:`dumps` escapes escaped."""
    return _JSON_INERT_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# json.dumps escapes C0 controls; these are escaped too, so no terminal that shows the JSON acts on them
_JSON_INERT_RE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def dumps(data: object) -> str:
    """JSON text with Chinese kept readable, no NaN, and no raw control or bidi character.

    An object's members go one per line, and so do the items of its lists: a
    report keeps one document, pair or slot per line (readable, grep- and
    diff-friendly) while every line is written by the C encoder.
    """
    if isinstance(data, dict) and data:
        members = [f" {_compact(_json_key(k))}: {_members_block(v)}" for k, v in data.items()]
        text = "{\n" + ",\n".join(members) + "\n}"
    elif isinstance(data, list) and data:
        text = "[\n" + ",\n".join(f" {_compact(v)}" for v in data) + "\n]"
    else:
        text = _compact(data)
    return _JSON_INERT_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _json_key(key: object) -> str:
    """An object key as ``json`` writes it (``True`` -> ``"true"``, ``None`` -> ``"null"``, ``1`` -> ``"1"``)."""
    return key if isinstance(key, str) else next(iter(json.loads(_ENCODER.encode({key: 0}))))


def _members_block(value: object) -> str:
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(f"  {_compact(v)}" for v in value) + "\n ]"
    return _compact(value)


def _compact(value: object) -> str:
    return _ENCODER.encode(value)


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
    for p in report.pairs:
        source, target = _direction(p, templates) if directed else (p.a, p.b)
        graph.add_edge(
            clean_xml(source),
            clean_xml(target),
            weight=float(p.similarity),
            coverage_a=float(p.coverage_a),
            coverage_b=float(p.coverage_b),
            shared_chars=p.shared_chars,
            passages=len(p.passages),
        )
    graph.graph["generator"] = f"dupdetect {report.tool_version}"
    return graph


def _direction(pair: DocPair, templates: Mapping[str, str | None]) -> tuple[str, str]:
    """Source and borrower of a pair: the template first, else the side reused more."""
    if templates.get(pair.b) == pair.b and templates.get(pair.a) == pair.b:
        return pair.b, pair.a
    if templates.get(pair.a) == pair.a and templates.get(pair.b) == pair.a:
        return pair.a, pair.b
    return (pair.a, pair.b) if pair.coverage_a >= pair.coverage_b else (pair.b, pair.a)


def write_graphml(report: Report, path: Path, *, directed: bool = False) -> None:
    """Write the family graph as GraphML that Gephi, Cytoscape and networkx read."""
    nx.write_graphml(family_graph(report, directed=directed), path, encoding="utf-8", named_key_ids=True)


def write_outputs(
    report: Report, out_dir: Path, *, jobs: int | None = 1, meanwhile: Callable[[], object] | None = None
) -> Mapping[str, Path]:
    """Write ``report.json``, ``families.graphml`` and ``families-directed.graphml`` into ``out_dir``.

    With ``jobs`` above 1 (None: every core) the three files are written by worker processes at once,
    while this process calls ``meanwhile()`` (laying out a terminal report, say); with one, it is called after.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "report": out_dir / "report.json",
        "graph": out_dir / "families.graphml",
        "directed": out_dir / "families-directed.graphml",
    }
    try:
        pmap(_write_output, list(paths.items()), shared=report, jobs=jobs, min_items=2, meanwhile=meanwhile)
    except BaseException:  # a worker that was killed leaves its temporary file behind
        for path in paths.values():
            for tmp in out_dir.glob(f".{path.name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        raise
    return paths


def _write_output(report: Report, item: tuple[str, Path]) -> None:
    """Worker: write one of the outputs, through a temporary name."""
    name, path = item
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
