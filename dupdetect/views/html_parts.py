"""What the HTML report's parts share: escaping, the report looked up by key, and the cells of its tables.

:mod:`dupdetect.views.html` (the page and its pairs), :mod:`dupdetect.views.html_lists` (the sites and
the lists to find in) and :mod:`dupdetect.views.html_family` (one section per family) draw their rows
with these, so a document, a site, a date or a share reads the same in every table. Each listing stops
at :data:`TABLE_ROWS` rows and says how many it left out (:func:`more_rows`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dupdetect.model.report import reused_share
from dupdetect.model.types import DocPair, DocumentInfo, Edit, Family, Report, Slot, TemplateText

TABLE_ROWS = 2000  # rows of a listing (documents, families, site pairs, pairs, members); the rest are counted


def esc(text: object) -> str:
    """Text escaped for HTML content and quoted attribute values."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True, slots=True)
class ReportIndex:
    """A report's parts by key, looked up once rather than searched for each family."""

    docs: Mapping[str, DocumentInfo]
    pairs: Mapping[tuple[str, str], DocPair]
    reused: Mapping[str, float]
    slots: Mapping[str, Sequence[Slot]]
    edits: Mapping[str, Sequence[Edit]]
    templates: Mapping[str, TemplateText]
    anchors: Mapping[tuple[str, str], str]
    numbers: Mapping[str, int]  # a family's section number (its anchor is family-N)
    drawn: int = 0  # families 1..drawn have a section on the page (the largest; the rest are listed)

    def title(self, doc_id: str) -> str:
        """The document's title, or its id when it has none."""
        info = self.docs.get(doc_id)
        return info.title.strip() if info is not None and info.title.strip() else doc_id

    def anchor(self, a: str, b: str) -> str | None:
        """The anchor of the pair ``a``, ``b`` when it is drawn side by side."""
        return self.anchors.get((min(a, b), max(a, b)))

    @classmethod
    def of(cls, report: Report, shown: Sequence[DocPair], *, families: int | None = None) -> ReportIndex:
        """``shown``: the pairs drawn side by side; ``families``: how many families get a section (all)."""
        slots: dict[str, list[Slot]] = {}
        for s in report.slots:
            slots.setdefault(s.family, []).append(s)
        edits: dict[str, list[Edit]] = {}
        for e in report.edits:
            edits.setdefault(e.family, []).append(e)
        return cls(
            docs={d.id: d for d in report.documents},
            pairs={(p.a, p.b): p for p in report.pairs},
            reused=reused_share(report.pairs),
            slots=slots,
            edits=edits,
            templates={t.family: t for t in report.templates},
            anchors={(p.a, p.b): f"pair-{i}" for i, p in enumerate(shown, start=1)},
            numbers={f.id: i for i, f in enumerate(report.families, start=1)},
            drawn=len(report.families) if families is None else min(families, len(report.families)),
        )

    def section(self, family: str | None) -> int | None:
        """The number of ``family``'s section on the page, or None when it has none."""
        n = self.numbers.get(family) if family is not None else None
        return n if n is not None and n <= self.drawn else None


def doc_cell(doc_id: str, info: DocumentInfo | None) -> str:
    """A document as a reader knows it: its title, with its id below as secondary text and tooltip."""
    title = info.title.strip() if info is not None else ""
    if not title:
        return f'<span class="id only">{esc(doc_id)}</span>'
    return f'<span class="t" title="{esc(doc_id)}">{esc(title)}</span><span class="id">{esc(doc_id)}</span>'


def site_cell(site: str) -> str:
    return f"<td>{esc(site)}</td>" if site else '<td data-v=""><span class="muted">—</span></td>'


def date_cell(date: str) -> str:
    return f'<td class="date">{esc(date)}</td>' if date else '<td data-v=""><span class="muted">—</span></td>'


def sort_head(columns: Sequence[tuple[str, str]]) -> str:
    """A header row whose cells sort the table by their column when clicked (kind ``num`` sorts numbers)."""
    cells = []
    for label, kind in columns:
        if not label:
            cells.append("<th></th>")
            continue
        cls = ' class="num"' if kind == "num" else ""
        cells.append(f'<th{cls} data-sort="{kind}"><button type="button" class="sort">{esc(label)}</button></th>')
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def share_cell(share: float) -> str:
    return f'<td class="num" data-v="{share:.4f}">{share:.0%}</td>'


def more_rows(left_out: int, what: str, command: str) -> str:
    if left_out <= 0:
        return ""
    if not command:
        return f'<p class="muted">and {left_out} more {esc(what)}.</p>'
    return f'<p class="muted">and {left_out} more {esc(what)}: <code>{esc(command)}</code> lists them all.</p>'


def role_summary(family: Family) -> str:
    counts: dict[str, int] = {}
    for m in family.members:
        role = family.roles.get(m, "member")
        counts[role] = counts.get(role, 0) + 1
    return ", ".join(f"{n} {role}" for role, n in sorted(counts.items()))
