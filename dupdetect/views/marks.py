"""What the views show: document texts, and the marks drawn on them.

The terminal diff (:mod:`dupdetect.views.diff`) and the HTML report
(:mod:`dupdetect.views.html`) draw the same things: the passages two
documents share, numbered in the order of the first document; the
template's placeholders and slots; and each member's fills. This module
computes them as :class:`Mark` spans into each document's own text.

A saved ``report.json`` holds no texts, so :func:`reread_texts` reads each
document again from its ``source`` with the scan's ingest settings and
slices its ``span`` (a part of a compilation page, ``page.txt#3``, is a
slice of its page's text).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

from dupdetect.model.config import Config, IngestConfig, NormalizeConfig
from dupdetect.model.errors import DupdetectError
from dupdetect.model.types import DocPair, Document, DocumentInfo, Normalized, Passage, Report, ScanWarning, Slot, Span
from dupdetect.read.ingest import iter_documents
from dupdetect.stages.align import matching_runs
from dupdetect.stages.normalize import is_cjk, normalize, to_simplified

MarkKind = Literal["passage", "placeholder", "slot", "fill", "chrome", "edit"]
Run = tuple[int, int, int, int]
_LINE_SUFFIX_RE = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_TRADITIONAL_SHARE = 0.05  # Han characters t2s changes, above which a text is Traditional


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


def text_lang(text: str) -> str:
    """The language tag of a text: Chinese in Simplified or Traditional script, English, or unknown.

    >>> text_lang("在全市安全生产工作会议上的讲话"), text_lang("在全市安全生產工作會議上的講話")
    ('zh-Hans', 'zh-Hant')
    """
    sample = text[:20000]
    if is_cjk(sample):
        han = _HAN_RE.findall(sample)
        changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
        return "zh-Hant" if han and changed / len(han) > _TRADITIONAL_SHARE else "zh-Hans"
    letters = [c for c in sample if c.isalpha()]
    return "en" if letters and sum(c.isascii() for c in letters) / len(letters) > 0.9 else "und"


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


def reread_texts(report: Report, *, base: Path | None = None) -> tuple[dict[str, str], tuple[ScanWarning, ...]]:
    """Read the texts of a saved report's documents again from their sources.

    A relative ``source`` is looked up from the working folder, then from
    ``base`` (the report's folder). A text whose length is not what the
    report recorded has changed since the scan and is left out, with a
    warning, as is a source that cannot be read.
    """
    config = ingest_config(report)
    texts: dict[str, str] = {}
    warnings: list[ScanWarning] = []
    for source, infos in _by_file(report.documents).items():
        path = _locate(source, base)
        if path is None:
            warnings.append(
                ScanWarning(source, "cannot read it again: not found (run from the folder the scan ran in)")
            )
            continue
        found = _read_file(path, config, warnings)
        for info in infos:
            text = found.get(info.source[len(source) :])
            if text is None or info.span.end > len(text) or len(info.span) != info.chars:
                warnings.append(ScanWarning(info.source, f"{info.id}: text changed since the scan; not shown"))
                continue
            texts[info.id] = text[info.span.start : info.span.end]
    return texts, tuple(warnings)


def ingest_config(report: Report) -> IngestConfig:
    """The ingest settings a report was scanned with (defaults where it does not say)."""
    return report_config(report).ingest


def report_config(report: Report) -> Config:
    """The settings a report was made with: each section's keys this version knows, that section's
    defaults where the report says nothing or something this version cannot take."""
    sections: dict[str, Any] = {}
    for f in fields(Config):
        default, saved = getattr(Config(), f.name), report.config.get(f.name)
        if not isinstance(saved, Mapping):
            continue
        known = {k.name for k in fields(default)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k in known}
        try:
            sections[f.name] = replace(default, **values)
        except (TypeError, ValueError, DupdetectError):
            continue
    try:
        return replace(Config(), **sections)
    except DupdetectError:  # sections that each hold but not together
        return Config()


def _by_file(infos: Iterable[DocumentInfo]) -> dict[str, list[DocumentInfo]]:
    """Report documents grouped by the file they came from (``corpus.jsonl:3`` -> ``corpus.jsonl``)."""
    out: dict[str, list[DocumentInfo]] = {}
    for info in infos:
        match = _LINE_SUFFIX_RE.match(info.source)
        source = match["path"] if match and not Path(info.source).exists() else info.source
        out.setdefault(source, []).append(info)
    return out


def _locate(source: str, base: Path | None) -> Path | None:
    candidates = [Path(source)] if base is None else [Path(source), base / source]
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
    config = report_config(report).normalize
    norms = {d.id: _normalize(config, d, texts[d.id]) for d in report.documents if d.id in texts and d.id in wanted}
    infos = {d.id: d for d in report.documents}
    marks: dict[str, list[Mark]] = {
        doc_id: [Mark("placeholder", s) for s in norm.placeholders]
        + [Mark("chrome", r.span, note=f"page chrome ({r.rule}), left out of matching") for r in infos[doc_id].chrome]
        for doc_id, norm in norms.items()
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
        if template is None or template not in norms:
            continue
        found = slots.get(family.id, [])
        marks[template].extend(Mark("slot", s.span, s.slot, slot_note(s)) for s in found)
        for pair in by_doc.get(template, []):
            member = pair.b if pair.a == template else pair.a
            if member in family.members and member in norms:
                marks[member].extend(_fills(pair, template, member, norms, texts[member], found))
    return {doc_id: tuple(sorted(found, key=_mark_order)) for doc_id, found in marks.items()}


def _with_templates(report: Report, ids: Iterable[str]) -> set[str]:
    """``ids`` and the templates of the families they belong to."""
    wanted = set(ids)
    return wanted | {f.template for f in report.families if f.template and wanted.intersection(f.members)}


def _mark_order(mark: Mark) -> tuple[int, int, str, int]:
    return mark.span.start, -mark.span.end, mark.kind, mark.number


def _normalize(config: NormalizeConfig, info: DocumentInfo, text: str) -> Normalized:
    return normalize(text, drop=[r.span for r in info.chrome], config=config)


def _fills(
    pair: DocPair, template: str, member: str, norms: Mapping[str, Normalized], text: str, slots: Sequence[Slot]
) -> list[Mark]:
    """Where ``member`` put its fill of each slot: as the report says (``Slot.fill_spans``), or, for a report
    written before it said so, found by aligning the member to the template passage by passage."""
    found: dict[int, Mark] = {
        slot.slot: Mark("fill", slot.fill_spans[member], slot.slot, slot_note(slot))
        for slot in slots
        if member in slot.fill_spans and slot.fills.get(member)
    }
    if all(member in slot.fill_spans or member not in slot.fills for slot in slots):
        return list(found.values())
    nt, nm = norms[template], norms[member]
    for passage in pair.passages:
        t_span, m_span = (passage.a, passage.b) if pair.a == template else (passage.b, passage.a)
        t_range, m_range = key_range(nt, t_span), key_range(nm, m_span)
        runs = _runs(nt.key, nm.key, t_range, m_range, words=not nt.cjk)
        for slot in slots:
            fill = slot.fills.get(member)
            s_range = key_range(nt, slot.span)
            if slot.slot in found or not fill or not (t_range[0] <= s_range[0] and s_range[1] <= t_range[1]):
                continue
            start = _map(runs, t_range[0], m_range, s_range[0], start=True)
            end = _map(runs, t_range[0], m_range, s_range[1], start=False)
            span = _within(text, nm.to_span(start, end).stripped(text), fill)
            if span is not None:
                found[slot.slot] = Mark("fill", span, slot.slot, slot_note(slot))
    return list(found.values())


def slot_note(slot: Slot) -> str:
    """How a view names a slot: its family, number and the template's text there."""
    return f"{slot.family} slot {slot.slot}: {slot.template_text}"


def _within(text: str, span: Span, fill: str) -> Span | None:
    """Where ``fill`` stands in ``span`` (a slot cut from a longer gap maps to the whole gap)."""
    at = text.find(fill, span.start, span.end)
    return Span(at, at + len(fill)) if at >= 0 else None


def key_range(norm: Normalized, span: Span) -> tuple[int, int]:
    """The match-key range whose characters all come from inside ``span`` of the original text."""
    start = int(norm.key_index([span.start])[0])
    end = int(norm.key_end_index([span.end])[0])  # (the offset map's runs, never the whole map expanded)
    return start, max(start, end)


def _runs(key_t: str, key_m: str, t: tuple[int, int], m: tuple[int, int], *, words: bool) -> list[Run]:
    runs = matching_runs(key_t[t[0] : t[1]], key_m[m[0] : m[1]], words=words)
    return [(a0 + t[0], a1 + t[0], b0 + m[0], b1 + m[0]) for a0, a1, b0, b1 in runs]


def _map(runs: Sequence[Run], t_start: int, m: tuple[int, int], pos: int, *, start: bool) -> int:
    """Member key position of a template slot boundary (as ``slots`` maps it).

    A start maps to where its gap starts, an end to where its gap ends.
    """
    t_end, m_end = t_start, m[0]
    for a0, a1, b0, b1 in runs:
        if pos < a0 or (pos == a0 and not start):
            return m_end if start else b0
        if pos == a0:
            return m_end if t_end == a0 else b0
        if pos <= a1:
            return b0 + (pos - a0)
        t_end, m_end = a1, b1
    return m_end if start else m[1]


# --------------------------------------------------------------------------
# pairs


def find_pair(report: Report, a: str, b: str) -> DocPair | None:
    """The pair of documents ``a`` and ``b`` (in either order), or None when they share nothing."""
    low, high = sorted((a, b))
    return next((p for p in report.pairs if p.a == low and p.b == high), None)


def pair_view(
    report: Report, texts: Mapping[str, str], a: str, b: str, marks: Mapping[str, Sequence[Mark]] | None = None
) -> PairView:
    """Documents ``a`` (left) and ``b`` (right) with their passages numbered in the order of ``a``.

    ``marks`` are :func:`document_marks` (computed here when not given).
    """
    docs = {d.id: d for d in report.documents}
    pair = find_pair(report, a, b) or align_on_demand(report, texts, a, b)
    if marks is None:
        marks = document_marks(report, texts, only=(a, b))
    passages: tuple[Passage, ...] = ()
    coverage = (0.0, 0.0)
    if pair is not None:
        flipped = pair.a != a
        passages = tuple(_flip(p) for p in pair.passages) if flipped else pair.passages
        passages = tuple(sorted(passages, key=lambda p: (p.a.start, p.b.start, p.a.end)))
        coverage = (pair.coverage_b, pair.coverage_a) if flipped else (pair.coverage_a, pair.coverage_b)
    sides = []
    for doc_id, cov, side in ((a, coverage[0], "a"), (b, coverage[1], "b")):
        numbered = [Mark("passage", p.a if side == "a" else p.b, n) for n, p in enumerate(passages, start=1)]
        found = sorted((*numbered, *marks.get(doc_id, ())), key=_mark_order)
        sides.append(Side(docs[doc_id], texts.get(doc_id), cov, tuple(found)))
    return PairView(pair, sides[0], sides[1], passages)


def align_on_demand(report: Report, texts: Mapping[str, str], a: str, b: str) -> DocPair | None:
    """Two members of one family aligned now, with the report's settings: a big family's report holds
    each member's pair with its template, not every two members' (None when they share nothing)."""
    families = {f.id: set(f.members) for f in report.families}
    docs = {d.id: d for d in report.documents}
    if a == b or a not in docs or b not in docs or texts.get(a) is None or texts.get(b) is None:
        return None
    if not any(a in m and b in m for m in families.values()):
        return None
    from dupdetect.engine.pipeline import align_direct  # the stages, only when a pair is asked for
    from dupdetect.stages.segment import segment_rows

    config = report_config(report)
    low, high = sorted((a, b))
    norms = tuple(_normalize(config.normalize, docs[d], texts[d]) for d in (low, high))
    units = tuple(segment_rows(texts[d], n, config=config.segment) for d, n in zip((low, high), norms, strict=True))
    return align_direct((low, high), (norms[0], norms[1]), (units[0], units[1]), config=config)


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
