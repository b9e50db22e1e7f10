"""What the views show: document texts, and the marks drawn on them.

The terminal diff (:mod:`dupdetect.views.diff`) and the HTML report
(:mod:`dupdetect.views.html`) draw the same things: the passages two
documents share, numbered in the order of the first document; the
template's placeholders and slots; and each member's fills. This module
computes them as :class:`Mark` spans into each document's own text.

A saved ``report.json`` holds no texts, so :func:`reread_texts` reads each
document again from its ``source`` with the scan's ingest settings and
slices its ``span`` (a part of a compilation page, ``page.txt#3``, is a
slice of its page's text). Everything else a view draws is in the report:
placeholder spans, slot and fill spans, edits, chrome; no view runs a stage.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow.compute as pc

from dupdetect.model.columns import Rows
from dupdetect.model.config import IngestConfig
from dupdetect.model.errors import InputError
from dupdetect.model.types import DocPair, Document, DocumentInfo, Passage, Report, ScanWarning, Slot, Span
from dupdetect.read.ingest import iter_documents
from dupdetect.text import text_lang

MarkKind = Literal["passage", "placeholder", "slot", "fill", "chrome", "edit"]
_LINE_SUFFIX_RE = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of a document's text that a view highlights.

    ``number`` is the passage number (1, 2, ... in the order of the pair's
    first document) or the slot number; 0 for a placeholder outside any slot.
    ``note`` is a short explanation (the template's text of a slot).
    """

    kind: MarkKind
    span: Span
    number: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Side:
    """One document of a pair as a view shows it."""

    info: DocumentInfo
    text: str | None  # None: the text could not be read again
    coverage: float
    marks: tuple[Mark, ...]

    @property
    def lang(self) -> str:
        """BCP 47 language tag of the text: ``zh-Hans``, ``zh-Hant``, ``en`` or ``und``."""
        return text_lang(self.text or "")


@dataclass(frozen=True, slots=True)
class PairView:
    """Two documents side by side: their passages numbered 1, 2, ... in the order of ``a``."""

    pair: DocPair | None
    a: Side
    b: Side
    passages: tuple[Passage, ...]


# --------------------------------------------------------------------------
# texts


def document_texts(report: Report, documents: Iterable[Document]) -> dict[str, str]:
    """Each report document's text, cut from the ingested documents it came from.

    ``documents`` are what ingest yielded (whole files, JSONL records); a part
    of a page is the slice ``span`` of its page's text.
    """
    by_source = {d.source: d.text for d in documents}
    out: dict[str, str] = {}
    for info in report.documents:
        text = by_source.get(info.source)
        if text is not None and info.span.end <= len(text):
            out[info.id] = text[info.span.start : info.span.end]
    return out


def reread_texts(
    report: Report, *, root: Path | None = None, report_dir: Path | None = None
) -> tuple[dict[str, str], tuple[ScanWarning, ...]]:
    """Read the texts of a saved report's documents again from their sources.

    A relative ``source`` starts at ``root`` when given; else at the folder
    the scan ran in (``Report.root``), then the working folder, then
    ``report_dir`` (the report's folder). A text whose length is not what the
    report recorded has changed since the scan and is left out, with a
    warning, as is a source that cannot be read.

    Raises:
        InputError: no text at all could be found: one line naming where they were looked for.
    """
    config = report.config.ingest
    bases = [root] if root is not None else [Path(report.root) if report.root else None, None, report_dir]
    texts: dict[str, str] = {}
    warnings: list[ScanWarning] = []
    files = _by_file(report.documents)
    for source, infos in files.items():
        path = _locate(source, bases)
        if path is None:
            warnings.append(ScanWarning(source, "cannot read it again: not found"))
            continue
        found = _read_file(path, config, warnings)
        for info in infos:
            text = found.get(info.source[len(source) :])
            if text is None or info.span.end > len(text) or len(info.span) != info.chars:
                warnings.append(ScanWarning(info.source, f"{info.id}: text changed since the scan; not shown"))
                continue
            texts[info.id] = text[info.span.start : info.span.end]
    if files and not texts and all(w.message.endswith("not found") for w in warnings):
        where = ", ".join(dict.fromkeys(str((b or Path.cwd()).resolve()) for b in bases))
        first = next(iter(files))
        place = "" if Path(first).is_absolute() else f" under {where}"
        raise InputError(f"cannot find the texts the report was made from ({first} is not{place}); pass --root FOLDER")
    return texts, tuple(warnings)


def _by_file(infos: Iterable[DocumentInfo]) -> dict[str, list[DocumentInfo]]:
    """Report documents grouped by the file they came from (``corpus.jsonl:3`` -> ``corpus.jsonl``)."""
    out: dict[str, list[DocumentInfo]] = {}
    for info in infos:
        match = _LINE_SUFFIX_RE.match(info.source)
        source = match["path"] if match and not Path(info.source).exists() else info.source
        out.setdefault(source, []).append(info)
    return out


def _locate(source: str, bases: Sequence[Path | None]) -> Path | None:
    """Where ``source`` is: itself when absolute, else under the first of ``bases`` holding it (None: here)."""
    if Path(source).is_absolute():
        return Path(source) if Path(source).is_file() else None
    candidates = (Path(source) if base is None else base / source for base in bases)
    return next((c for c in candidates if c.is_file()), None)


def _read_file(path: Path, config: IngestConfig, warnings: list[ScanWarning]) -> dict[str, str]:
    """The texts ingest reads from one file, by their source's suffix (``""``, or ``":3"`` for a record)."""
    given = str(path)
    problems: list[ScanWarning] = []
    found = {d.source[len(given) :]: d.text for d in iter_documents([given], config=config, on_warning=problems.append)}
    warnings.extend(p for p in problems if not p.message.startswith("duplicate id"))
    return found


# --------------------------------------------------------------------------
# marks


def document_marks(
    report: Report, texts: Mapping[str, str], *, only: Iterable[str] | None = None
) -> dict[str, tuple[Mark, ...]]:
    """The marks every view draws on a document, whatever it is paired with.

    Placeholders and page chrome of every document; the slots of each
    family's template; where each member put its fill of each slot, and its
    edits (changes that are not slots). With ``only``, just those
    documents (and their templates, which finding fills needs) are marked.
    """
    wanted = set(texts) if only is None else _with_templates(report, only)
    marks: dict[str, list[Mark]] = {
        d.id: [Mark("placeholder", s) for s in d.placeholder_spans]
        + [Mark("chrome", r.span, note=f"page chrome ({r.rule}), left out of matching") for r in d.chrome]
        for d in report.documents
        if d.id in texts and d.id in wanted
    }
    slots: dict[str, list[Slot]] = {}
    for slot in report.slots:
        slots.setdefault(slot.family, []).append(slot)
    by_doc: dict[str, list[DocPair]] = {}
    for pair in report.pairs:
        by_doc.setdefault(pair.a, []).append(pair)
        by_doc.setdefault(pair.b, []).append(pair)
    for edit in report.edits:  # a member's own change, not a slot; (the template's side only when it lost text)
        if edit.doc in marks and edit.span:
            note = f"edit: the template has “{edit.template_text}”" if edit.template_text else "edit: added"
            marks[edit.doc].append(Mark("edit", edit.span, note=note))
    for family in report.families:
        template = family.template
        if template is None or template not in marks:
            continue
        found = slots.get(family.id, [])
        marks[template].extend(Mark("slot", s.span, s.slot, slot_note(s)) for s in found)
        for pair in by_doc.get(template, []):
            member = pair.b if pair.a == template else pair.a
            if member in family.members and member in marks:
                marks[member].extend(_fills(member, found))
    return {doc_id: tuple(sorted(found, key=_mark_order)) for doc_id, found in marks.items()}


def _with_templates(report: Report, ids: Iterable[str]) -> set[str]:
    """``ids`` and the templates of the families they belong to."""
    wanted = set(ids)
    return wanted | {f.template for f in report.families if f.template and wanted.intersection(f.members)}


def _mark_order(mark: Mark) -> tuple[int, int, str, int]:
    return mark.span.start, -mark.span.end, mark.kind, mark.number


def _fills(member: str, slots: Sequence[Slot]) -> list[Mark]:
    """Where ``member`` put its fill of each slot, as the report says (``Slot.fill_spans``; a report
    without ``fill_spans`` says nothing of it: its fills are listed but not marked)."""
    return [
        Mark("fill", slot.fill_spans[member], slot.slot, slot_note(slot))
        for slot in slots
        if member in slot.fill_spans and slot.fills.get(member)
    ]


def slot_note(slot: Slot) -> str:
    """How a view names a slot: its family, number and the template's text there."""
    return f"{slot.family} slot {slot.slot}: {slot.template_text}"


# --------------------------------------------------------------------------
# pairs


def find_pair(report: Report, a: str, b: str) -> DocPair | None:
    """The pair of documents ``a`` and ``b`` (in either order), or None when they share nothing."""
    low, high = sorted((a, b))
    pairs = report.pairs
    if isinstance(pairs, Rows):  # found in the id columns: no pair made on the way
        table = pairs.table
        hit = pc.and_(pc.equal(table.column("a"), low), pc.equal(table.column("b"), high))
        rows = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
        return pairs[int(rows[0])] if len(rows) else None
    return next((p for p in pairs if p.a == low and p.b == high), None)


def pair_view(
    report: Report,
    texts: Mapping[str, str],
    a: str,
    b: str,
    marks: Mapping[str, Sequence[Mark]] | None = None,
    *,
    pair: DocPair | None = None,
) -> PairView:
    """Documents ``a`` (left) and ``b`` (right) with their passages numbered in the order of ``a``.

    ``marks`` are :func:`document_marks` (computed here when not given); ``pair`` is
    the report's pair of ``a`` and ``b`` unless given (two members of a big family
    aligned on demand: :func:`dupdetect.engine.pipeline.align_pair`).
    """
    docs = {d.id: d for d in report.documents}
    pair = pair or find_pair(report, a, b)
    if marks is None:
        marks = document_marks(report, texts, only=(a, b))
    return side_by_side(pair, (docs[a], texts.get(a), marks.get(a, ())), (docs[b], texts.get(b), marks.get(b, ())))


def side_by_side(
    pair: DocPair | None,
    a: tuple[DocumentInfo, str | None, Sequence[Mark]],
    b: tuple[DocumentInfo, str | None, Sequence[Mark]],
) -> PairView:
    """Two documents (each: what is said of it, its text, its marks other than passages), ``a`` left, with the
    passages of their ``pair`` numbered in the order of ``a``."""
    passages: tuple[Passage, ...] = ()
    coverage = (0.0, 0.0)
    if pair is not None:
        flipped = pair.a != a[0].id
        passages = tuple(_flip(p) for p in pair.passages) if flipped else pair.passages
        passages = tuple(sorted(passages, key=lambda p: (p.a.start, p.b.start, p.a.end)))
        coverage = (pair.coverage_b, pair.coverage_a) if flipped else (pair.coverage_a, pair.coverage_b)
    sides = []
    for (info, text, extra), cov, side in ((a, coverage[0], "a"), (b, coverage[1], "b")):
        numbered = [Mark("passage", p.a if side == "a" else p.b, n) for n, p in enumerate(passages, start=1)]
        found = sorted((*numbered, *extra), key=_mark_order)
        sides.append(Side(info, text, cov, tuple(found)))
    return PairView(pair, sides[0], sides[1], passages)


def _flip(p: Passage) -> Passage:
    return Passage(a=p.b, b=p.a, key_a=p.key_b, key_b=p.key_a, matched=p.matched, similarity=p.similarity)


def resolve_document(report: Report, name: str) -> str | None:
    """The id of the document ``name`` names: its id, its source path, or the one id ending in ``name``."""
    ids = [d.id for d in report.documents]
    if name in ids:
        return name
    target = _resolved(name)
    by_source = [d.id for d in report.documents if target is not None and _resolved(d.source) == target]
    if len(by_source) == 1:
        return by_source[0]
    ending = [i for i in ids if i.endswith(name)]
    return ending[0] if len(ending) == 1 else None


def _resolved(path: str) -> Path | None:
    try:
        return Path(path).resolve()
    except (OSError, ValueError):
        return None


def moved_passages(view: PairView) -> dict[int, int]:
    """The passages that stand elsewhere in the second document, with their rank (1, 2, ...) there.

    Passages in the longest run that keeps its order in both documents
    stay; the others moved (one moved section does not make all moved).
    """
    order = sorted(range(len(view.passages)), key=lambda i: (view.passages[i].b.start, view.passages[i].b.end))
    rank = {i: r for r, i in enumerate(order, start=1)}
    ranks = [rank[i] for i in range(len(view.passages))]
    kept = _longest_increasing(ranks)
    return {i + 1: r for i, r in enumerate(ranks) if i not in kept}


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th`` ... ``11th``, ``21st``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices of a longest strictly increasing subsequence (the earliest one, deterministically)."""
    best: list[int] = [1] * len(values)
    prev: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        for j in range(i):
            if values[j] < v and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    end = max(range(len(values)), key=lambda i: (best[i], -i), default=-1)
    kept: set[int] = set()
    while end >= 0:
        kept.add(end)
        end = prev[end]
    return kept


def segments(length: int, marks: Sequence[Mark]) -> list[tuple[int, int, tuple[Mark, ...]]]:
    """``[0, length)`` cut at every mark's ends: each piece with the marks that cover it.

    >>> [(s, e, [m.number for m in ms]) for s, e, ms in segments(6, [Mark("passage", Span(1, 4), 1)])]
    [(0, 1, []), (1, 4, [1]), (4, 6, [])]
    """
    inside = [m for m in marks if m.span.end > m.span.start and m.span.start < length]
    cuts = sorted({0, length, *(m.span.start for m in inside), *(min(m.span.end, length) for m in inside)})
    by_start = sorted(inside, key=_mark_order)
    active: list[Mark] = []
    out: list[tuple[int, int, tuple[Mark, ...]]] = []
    nxt = 0
    for start, end in itertools.pairwise(cuts):
        while nxt < len(by_start) and by_start[nxt].span.start <= start:
            active.append(by_start[nxt])
            nxt += 1
        active = [m for m in active if m.span.end > start]
        out.append((start, end, tuple(active)))
    return out
