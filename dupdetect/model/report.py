"""Assemble the :class:`~dupdetect.model.types.Report`: pure data, no I/O."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pyarrow.compute as pc

from dupdetect.model.columns import Rows, SlotColumns
from dupdetect.model.config import Config
from dupdetect.model.types import Cleaned, DocPair, DocumentInfo, Families, Report, ScanWarning, Span


def reused_share(pairs: Iterable[DocPair]) -> dict[str, float]:
    """Per document, the largest share of it that one other document reuses (its ``coverage``); read from
    the columns when the pairs are a table's rows (no pair made)."""
    out: dict[str, float] = {}
    if isinstance(pairs, Rows):
        for side in ("a", "b"):
            most = pairs.table.group_by(side).aggregate([(f"coverage_{side}", "max")])
            for doc, share in zip(most[side].to_pylist(), most[f"coverage_{side}_max"].to_pylist(), strict=True):
                out[doc] = max(out.get(doc, 0.0), share)
        return out
    for p in pairs:
        out[p.a] = max(out.get(p.a, 0.0), p.coverage_a)
        out[p.b] = max(out.get(p.b, 0.0), p.coverage_b)
    return out


def families_of(report: Report) -> dict[str, tuple[str, ...]]:
    """Per document in a family, every family it is in, in the report's order (a mosaic is in several)."""
    out: dict[str, list[str]] = {}
    for f in report.families:
        for m in f.members:
            out.setdefault(m, []).append(f.id)
    return {doc: tuple(fids) for doc, fids in out.items()}


def slots_per_family(report: Report) -> dict[str, int]:
    """How many slots each family's template has, by family id (read from the slots' family column when
    the report holds them as columns: no slot is made)."""
    slots = report.slots
    families = slots.table.column("family").to_pylist() if isinstance(slots, Rows) else [s.family for s in slots]
    return dict(Counter(families))


@functools.cache
def tool_version() -> str:
    """The installed version of dupdetect."""
    from importlib.metadata import PackageNotFoundError, version  # (imported when asked: 20 ms)

    try:
        return version("dupdetect")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def build_report(
    cleaned: Sequence[Cleaned],
    placeholders: Sequence[tuple[Span, ...]],
    key_lengths: Sequence[int],
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

    ``placeholders`` (each document's placeholder spans in its match key) is read one document at a time (a
    table that makes each on demand never makes them all at once); ``key_lengths``: each match key's length.
    ``chars``: each document's length in characters, when its ``doc.text`` is not there to measure.
    ``slots``: the families' slots, edits and templates, which the report reads from their columns.
    """
    lengths = [len(c.doc.text) for c in cleaned] if chars is None else chars
    infos = tuple(
        sorted(
            (
                _info(c, placeholders[i], key_lengths[i], lengths[i], families, duplicate_of)
                for i, c in enumerate(cleaned)
            ),
            key=lambda d: d.id,
        )
    )
    return Report(
        tool_version=tool_version(),
        config=config,
        documents=infos,
        families=families.families,
        pairs=_by_ids(pairs),
        slots=slots.slot_rows() if slots is not None else (),
        edits=slots.edit_rows() if slots is not None else (),
        templates=slots.template_rows() if slots is not None else (),
        counts=dict(sorted(counts.items())),
        warnings=tuple(sorted(warnings, key=lambda w: (w.source, w.message))),
        root=root,
    )


def _by_ids(pairs: Sequence[DocPair]) -> Sequence[DocPair]:
    """The pairs in the order of their ids; a table's rows are sorted in their columns (Arrow orders
    strings by their UTF-8 bytes, which is Python's order of code points)."""
    if isinstance(pairs, Rows):
        order = pc.sort_indices(pairs.table, [("a", "ascending"), ("b", "ascending")]).to_numpy()
        return pairs if np.array_equal(order, np.arange(len(order))) else pairs.take(order)
    return tuple(sorted(pairs, key=lambda p: (p.a, p.b)))


def _info(
    c: Cleaned,
    places: tuple[Span, ...],
    key_length: int,
    chars: int,
    families: Families,
    duplicate_of: Mapping[str, str],
) -> DocumentInfo:
    return DocumentInfo(
        id=c.doc.id,
        source=c.doc.source,
        span=c.doc.span,
        title=c.doc.title,
        chars=chars,
        encoding=c.doc.encoding,
        family=families.family_of.get(c.doc.id),
        role=families.role_of.get(c.doc.id),
        placeholders=len(places),
        duplicate_of=duplicate_of.get(c.doc.id),
        placeholder_density=round(1000 * len(places) / max(1, key_length), 2),
        script=c.info.script,
        date=c.info.date,
        site=c.info.site,
        chrome=c.removals,
        meta=c.doc.meta,
        placeholder_spans=places,
    )
