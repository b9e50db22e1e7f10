"""Report <-> ``report.json``: the stable contract every view and tool reads.

``report.json`` is written with sorted content and no timestamp, so two runs
on the same input give byte-identical files. Its schema is documented in
``docs/FORMATS.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO, TypeVar

from dupdetect.model.columns import Rows
from dupdetect.model.config import Config
from dupdetect.model.errors import InputError
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

SCHEMA_VERSION = 1

T = TypeVar("T")


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON-ready dict of ``report.json`` (schema version 1)."""
    return {key: list(value) if isinstance(value, Iterator) else value for key, value in _sections(report).items()}


def _sections(report: Report) -> dict[str, Any]:
    """:func:`report_to_dict`, its long lists left as generators (written an item at a time)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "dupdetect", "version": report.tool_version},
        "root": report.root,
        "config": report.config.to_dict(),
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
                "removed": d.removed,
                "chrome": [{"rule": r.rule, "span": r.span.as_list()} for r in d.chrome],
                "meta": dict(d.meta),
                "placeholder_spans": [s.as_list() for s in d.placeholder_spans],
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
        "pairs": _each(report.pairs, pair_to_dict, _pair_row_to_dict),
        "slots": _each(report.slots, _slot_to_dict, _slot_row_to_dict),
        "templates": ({"family": t.family, "doc": t.doc, "text": t.text} for t in report.templates),
        "edits": _each(report.edits, _edit_to_dict, _edit_row_to_dict),
        "warnings": ({"source": w.source, "message": w.message} for w in report.warnings),
    }


def _each(
    values: Sequence[T], of_value: Callable[[T], dict[str, Any]], of_row: Callable[[dict[str, Any]], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Each value's JSON object. A scan's pairs, slots and edits are table rows (:class:`Rows`): their objects
    are made from the rows' dicts directly (``of_row``), not through the values (the same objects: a test
    holds the two ways equal)."""
    return map(of_row, values.dicts()) if isinstance(values, Rows) else map(of_value, values)


def pair_to_dict(pair: DocPair) -> dict[str, Any]:
    """A pair as report.json lists it."""
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


def _pair_row_to_dict(r: dict[str, Any]) -> dict[str, Any]:
    """:func:`pair_to_dict` of a row of :data:`~dupdetect.model.columns.PAIRS`."""
    return {
        "a": r["a"],
        "b": r["b"],
        "similarity": r["similarity"],
        "coverage_a": r["coverage_a"],
        "coverage_b": r["coverage_b"],
        "shared_chars": r["shared_chars"],
        "longest_run": r["longest_run"],
        "duplicate": r["duplicate"],
        "passages": [
            {"a": _listed(x["a"]), "b": _listed(x["b"]), "similarity": x["similarity"], "matched": x["matched"]}
            for x in r["passages"]
        ],
    }


def _slot_to_dict(s: Slot) -> dict[str, Any]:
    return {
        "family": s.family,
        "slot": s.slot,
        "kind": s.kind,
        "template_text": s.template_text,
        "span": s.span.as_list(),
        "fills": dict(s.fills),
        "fill_spans": {m: span.as_list() for m, span in s.fill_spans.items()},
    }


def _slot_row_to_dict(r: dict[str, Any]) -> dict[str, Any]:
    """:func:`_slot_to_dict` of a row of :data:`~dupdetect.model.columns.SLOTS`."""
    fills = r["fills"]
    return {
        "family": r["family"],
        "slot": r["slot"],
        "kind": r["kind"],
        "template_text": r["template_text"],
        "span": _listed(r["span"]),
        "fills": {f["member"]: f["text"] for f in fills},
        "fill_spans": {f["member"]: _listed(f["span"]) for f in fills if f["span"] is not None},
    }


def _edit_to_dict(e: Edit) -> dict[str, Any]:
    return {
        "family": e.family,
        "doc": e.doc,
        "template_span": e.template_span.as_list(),
        "template_text": e.template_text,
        "span": e.span.as_list(),
        "text": e.text,
    }


def _edit_row_to_dict(r: dict[str, Any]) -> dict[str, Any]:
    """:func:`_edit_to_dict` of a row of :data:`~dupdetect.model.columns.EDITS`."""
    return {
        "family": r["family"],
        "doc": r["doc"],
        "template_span": _listed(r["template_span"]),
        "template_text": r["template_text"],
        "span": _listed(r["span"]),
        "text": r["text"],
    }


def _listed(span: Mapping[str, int]) -> list[int]:
    """A span column's value as ``report.json`` lists it, ``[start, end]``."""
    return [span["start"], span["end"]]


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """A :class:`Report` read back from ``report.json`` (schema version 1).

    Passages keep their original-text spans; their match-key spans, which the
    file does not carry, are empty.
    """
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InputError(f"not a dupdetect report.json (schema_version {data.get('schema_version')!r})")
    return Report(
        tool_version=str(data["tool"]["version"]),
        config=Config.from_dict(data.get("config") or {}),
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
        root=str(data.get("root") or ""),
    )


def load_report(path: Path) -> Report:
    """Read a ``report.json`` written by ``dupdetect.write_outputs`` (``scan --out``) or ``scan --format json``."""
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
        placeholder_spans=tuple(_span(s) for s in d.get("placeholder_spans", [])),
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


def write_json_list(items: Iterable[object], handle: TextIO) -> None:
    """Write ``dumps(list(items))`` one item at a time (a million rows are never held as one list or text).

    >>> import io
    >>> out = io.StringIO(); write_json_list(iter([{"a": 1}, "乙"]), out)
    >>> out.getvalue() == dumps([{"a": 1}, "乙"])
    True
    """
    first = True
    for item in items:
        handle.write("[\n " if first else ",\n ")
        handle.write(_JSON_INERT_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", _compact(item)))
        first = False
    handle.write("[]\n" if first else "\n]\n")


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
