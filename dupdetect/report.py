"""Assemble the :class:`~dupdetect.types.Report`: pure data, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version

from dupdetect.config import Config
from dupdetect.families import Families
from dupdetect.types import DocPair, Document, DocumentInfo, Normalized, Report, ScanWarning


def tool_version() -> str:
    """The installed version of dupdetect."""
    try:
        return version("dupdetect")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def build_report(
    docs: Sequence[Document],
    norms: Sequence[Normalized],
    *,
    pairs: Sequence[DocPair],
    families: Families,
    duplicate_of: Mapping[str, str],
    config: Config,
    counts: Mapping[str, int],
    warnings: Sequence[ScanWarning],
) -> Report:
    """Put every stage's results in canonical order with their provenance."""
    infos = tuple(
        DocumentInfo(
            id=d.id,
            source=d.source,
            span=d.span,
            title=d.title,
            chars=len(d.text),
            encoding=d.encoding,
            family=families.family_of.get(d.id),
            role=families.role_of.get(d.id),
            placeholders=len(n.placeholders),
            duplicate_of=duplicate_of.get(d.id),
            meta=d.meta,
        )
        for d, n in sorted(zip(docs, norms, strict=True), key=lambda dn: dn[0].id)
    )
    return Report(
        tool_version=tool_version(),
        config=config.to_dict(),
        documents=infos,
        families=families.families,
        pairs=tuple(sorted(pairs, key=lambda p: (p.a, p.b))),
        slots=(),
        counts=dict(sorted(counts.items())),
        warnings=tuple(sorted(warnings, key=lambda w: (w.source, w.message))),
    )
