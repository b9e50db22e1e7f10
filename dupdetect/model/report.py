"""Assemble the :class:`~dupdetect.model.types.Report`: pure data, no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version

from dupdetect.model.columns import Rows, SlotColumns
from dupdetect.model.config import Config
from dupdetect.model.types import Cleaned, DocPair, DocumentInfo, Families, Normalized, Report, ScanWarning


def reused_share(pairs: Iterable[DocPair]) -> dict[str, float]:
    """Per document, the largest share of it that one other document reuses (its ``coverage``)."""
    out: dict[str, float] = {}
    for p in pairs:
        out[p.a] = max(out.get(p.a, 0.0), p.coverage_a)
        out[p.b] = max(out.get(p.b, 0.0), p.coverage_b)
    return out


def slots_per_family(report: Report) -> dict[str, int]:
    """How many slots each family's template has, by family id (read from the slots' family column when
    the report holds them as columns: no slot is made)."""
    slots = report.slots
    families = slots.table.column("family").to_pylist() if isinstance(slots, Rows) else [s.family for s in slots]
    return dict(Counter(families))


def tool_version() -> str:
    """The installed version of dupdetect."""
    try:
        return version("dupdetect")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def build_report(
    cleaned: Sequence[Cleaned],
    norms: Sequence[Normalized],
    *,
    pairs: Sequence[DocPair],
    families: Families,
    slots: SlotColumns | None = None,
    duplicate_of: Mapping[str, str],
    chars: Sequence[int] | None = None,
    config: Config,
    root: str = "",
    counts: Mapping[str, int],
    warnings: Sequence[ScanWarning],
) -> Report:
    """Put every stage's results in canonical order with their provenance.

    ``norms`` is read one document at a time (a table that makes each on demand never makes them all at once).
    ``chars``: each document's length in characters, when its ``doc.text`` is not there to measure.
    ``slots``: the families' slots, edits and templates, which the report reads from their columns.
    """
    lengths = [len(c.doc.text) for c in cleaned] if chars is None else chars
    infos = tuple(
        sorted(
            (_info(c, norms[i], lengths[i], families, duplicate_of) for i, c in enumerate(cleaned)),
            key=lambda d: d.id,
        )
    )
    return Report(
        tool_version=tool_version(),
        config=config,
        documents=infos,
        families=families.families,
        pairs=tuple(sorted(pairs, key=lambda p: (p.a, p.b))),
        slots=slots.slot_rows() if slots is not None else (),
        edits=slots.edit_rows() if slots is not None else (),
        templates=slots.template_rows() if slots is not None else (),
        counts=dict(sorted(counts.items())),
        warnings=tuple(sorted(warnings, key=lambda w: (w.source, w.message))),
        root=root,
    )


def _info(c: Cleaned, n: Normalized, chars: int, families: Families, duplicate_of: Mapping[str, str]) -> DocumentInfo:
    return DocumentInfo(
        id=c.doc.id,
        source=c.doc.source,
        span=c.doc.span,
        title=c.doc.title,
        chars=chars,
        encoding=c.doc.encoding,
        family=families.family_of.get(c.doc.id),
        role=families.role_of.get(c.doc.id),
        placeholders=len(n.placeholders),
        duplicate_of=duplicate_of.get(c.doc.id),
        placeholder_density=round(1000 * len(n.placeholders) / max(1, len(n.key)), 2),
        script=c.info.script,
        date=c.info.date,
        site=c.info.site,
        chrome=c.removals,
        meta=c.doc.meta,
        placeholder_spans=n.placeholders,
    )
