"""The HTML report's overview of sites and its lists to find in: sites copying from sites, families, documents.

"Sites copying from sites" (:func:`site_flows`): for each family with a template, how many of its copies,
partials and mosaics stand on each site, counted template site -> copy site, with the earliest date seen
on each side. Then the families and the documents, listed for finding: one search box filters the rows
by title, id or site (each row's ``data-find`` holds them, one a line, so a query never runs from a
title into an id; a family's row also holds its first members' titles); a click on a column's header
sorts by it. Every document is listed, also those in no family: those in families first, by family and
role. Each list is cut at a row cap, and says where.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dupdetect.model.report import slots_per_family
from dupdetect.model.types import DocumentInfo, Family, Report
from dupdetect.views.html_parts import (
    TABLE_ROWS,
    ReportIndex,
    date_cell,
    doc_cell,
    esc,
    more_rows,
    role_summary,
    share_cell,
    site_cell,
    sort_head,
)

_ROLE_ORDER = {"template": 0, "copy": 1, "partial": 2, "mosaic": 3}
_COPYING = frozenset(("copy", "partial", "mosaic"))
_FIND_TITLES = 20  # members' titles a family's row is found by, besides its lead's (the page stays small)


def _family_link(index: ReportIndex, family: str | None) -> str:
    """A family's cell: a link to its section, or (beyond the sections drawn) its name and how to see it."""
    if family is None or family not in index.numbers:
        return '<td data-v=""><span class="muted">none</span></td>'
    n = index.numbers[family]
    if index.section(family) is None:
        hint = f"no section on this page: dupdetect template {family} REPORT.json shows it"
        return f'<td data-v="{n}"><span title="{esc(hint)}">{esc(family)}</span></td>'
    return f'<td data-v="{n}"><a href="#family-{n}">{esc(family)}</a></td>'


def _find(fields: Iterable[str]) -> str:
    """A row's ``data-find``: what the Find box searches, one field a line, so no query runs from one into the next."""
    text = "\n".join(f for f in fields if f)
    return f' data-find="{esc(text)}"'


def _family_find(family: Family, lead: str, site: str, index: ReportIndex) -> str:
    """A family is found by its id, its lead's title, id and site, and the titles of its first members."""
    title = _title(index.docs.get(lead))
    titles = dict.fromkeys(_title(index.docs.get(m)) for m in family.members)  # (each once, in members' order)
    members = [t for t in titles if t and t != title][:_FIND_TITLES]
    return _find([family.id, title, lead, site, *members])


def _title(info: DocumentInfo | None) -> str:
    return info.title.strip() if info is not None else ""


def _earliest(dates: Iterable[str]) -> str:
    """The earliest of ISO dates, ``""`` when none is known (empty dates are not dates)."""
    return min((d for d in dates if d), default="")


@dataclass(slots=True)
class SiteFlow:
    """How often one site's template turns up on another site: copies, partials and mosaics counted."""

    source: str  # the template's site ("" when not found)
    target: str  # the copy's site
    copies: int = 0
    families: int = 0
    source_earliest: str = ""  # the earliest date of a template of these families on the source site
    target_earliest: str = ""  # the earliest date of a copy on the target site


def site_flows(report: Report) -> list[SiteFlow]:
    """For each family with a template, template site -> copy site, counted over its copies, partials and
    mosaics: the most copies first, then the earliest copy, then the sites' names. A copy whose site and
    template's site are both unknown says nothing of sites, and is left out."""
    docs = {d.id: d for d in report.documents}
    flows: dict[tuple[str, str], SiteFlow] = {}
    for family in report.families:
        template = docs.get(family.template) if family.template is not None else None
        if template is None:
            continue
        seen: set[tuple[str, str]] = set()
        for m in family.members:
            info = docs.get(m)
            if m == family.template or info is None or family.roles.get(m) not in _COPYING:
                continue
            key = (template.site, info.site)
            if key == ("", ""):
                continue
            flow = flows.setdefault(key, SiteFlow(*key))
            flow.copies += 1
            flow.target_earliest = _earliest((flow.target_earliest, info.date))
            if key not in seen:
                seen.add(key)
                flow.families += 1
                flow.source_earliest = _earliest((flow.source_earliest, template.date))
    return sorted(
        flows.values(),
        key=lambda f: (-f.copies, f.target_earliest == "", f.target_earliest, f.source, f.target),
    )


def sites_section(report: Report, index: ReportIndex) -> str:
    flows = site_flows(report)
    head = '<section id="sites"><h2>Sites copying from sites</h2>'
    if not flows:
        return (
            f'{head}<p class="muted">No copy whose page or whose template\'s page names its site: no site is seen '
            "copying from another.</p></section>"
        )
    rows = []
    for f in flows[:TABLE_ROWS]:
        target = site_cell(f.target)
        if f.source == f.target and f.source:
            target = f'<td>{esc(f.target)} <span class="muted">(the same site)</span></td>'
        rows.append(
            f"<tr>{site_cell(f.source)}{target}"
            f'<td class="num">{f.copies}</td><td class="num">{f.families}</td>'
            f"{date_cell(f.source_earliest)}{date_cell(f.target_earliest)}</tr>"
        )
    columns = [
        ("template's site", "text"),
        ("copy's site", "text"),
        ("copies", "num"),
        ("families", "num"),
        ("earliest template", "text"),
        ("earliest copy", "text"),
    ]
    return (
        f'{head}<p class="meta">For each family with a template: the site of its template → the site of each '
        "copy, partial copy and mosaic, counted; the earliest date seen on each side (— where no page said "
        "it). The most copies first; click a header to sort by it.</p>"
        f'<div class="scroll tall"><table class="sortable" id="site-table">{sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more_rows(len(flows) - TABLE_ROWS, 'site pairs', '')}"
        "</section>"
    )


def browse_section(report: Report, index: ReportIndex) -> str:
    return (
        '<section id="browse"><h2>Find documents and families</h2>'
        '<div class="controls"><label for="find">Find</label> '
        '<input type="search" id="find" placeholder="a title, id or site" autocomplete="off"> '
        '<span id="found" class="muted" role="status"></span></div>'
        f'<h3 id="family-list">Families ({len(report.families)})</h3>{_family_table(report, index)}'
        f'<h3 id="documents">Documents ({len(report.documents)})</h3>{_document_table(report, index)}'
        "</section>"
    )


def _family_table(report: Report, index: ReportIndex) -> str:
    if not report.families:
        return '<p class="muted">No families: no two documents share a substantial passage.</p>'
    slots = slots_per_family(report)
    rows = []
    for f in report.families[:TABLE_ROWS]:
        lead = f.template or f.members[0]
        infos = [index.docs[m] for m in f.members if m in index.docs]
        sites = {d.site for d in infos if d.site}
        template_site = index.docs[lead].site if f.template and lead in index.docs else ""
        lead_cell = doc_cell(lead, index.docs.get(lead))
        if not f.template:
            lead_cell = f'<span class="muted">no template; first member:</span> {lead_cell}'
        find = _family_find(f, lead, template_site, index)
        rows.append(
            f"<tr{find}>{_family_link(index, f.id)}<td>{lead_cell}</td>{site_cell(template_site)}"
            f'{date_cell(_earliest(d.date for d in infos))}<td class="num">{len(f.members)}</td>'
            f'<td class="num">{len(sites)}</td><td>{esc(role_summary(f))}</td>'
            f'<td class="num">{slots.get(f.id, 0)}</td></tr>'
        )
    columns = [
        ("family", "num"),
        ("template", "text"),
        ("template's site", "text"),
        ("earliest", "text"),
        ("size", "num"),
        ("sites", "num"),
        ("roles", "text"),
        ("slots", "num"),
    ]
    return (
        f'<div class="scroll tall"><table class="sortable find" id="family-table">{sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"{more_rows(len(report.families) - TABLE_ROWS, 'families', 'dupdetect families')}"
    )


def _document_table(report: Report, index: ReportIndex) -> str:
    """Every document (the row cap aside): those in families first, by family and role, then the rest by id."""
    ranked = sorted(
        report.documents,
        key=lambda d: (
            d.family not in index.numbers,
            index.numbers.get(d.family or "", 0),
            _ROLE_ORDER.get(d.role or "", len(_ROLE_ORDER)),
            d.id,
        ),
    )
    templates = {f.id: f.template for f in report.families}
    rows = []
    for d in ranked[:TABLE_ROWS]:
        template = templates.get(d.family or "")
        anchor = index.anchor(d.id, template) if template and template != d.id else None
        link = f'<a href="#{anchor}">side by side</a>' if anchor else ""
        rows.append(
            f"<tr{_find([_title(d), d.id, d.site])}><td>{doc_cell(d.id, d)}</td>{site_cell(d.site)}{date_cell(d.date)}"
            f"{_family_link(index, d.family)}<td>{esc(d.role or '')}</td>"
            f'<td class="num" data-v="{d.chars}">{d.chars:,}</td>{share_cell(index.reused.get(d.id, 0.0))}'
            f"<td>{link}</td></tr>"
        )
    columns = [
        ("title", "text"),
        ("site", "text"),
        ("date", "text"),
        ("family", "num"),
        ("role", "text"),
        ("characters", "num"),
        ("reused", "num"),
        ("", ""),
    ]
    more = ""
    if len(ranked) > TABLE_ROWS:
        more = (
            f'<p class="muted">and {len(ranked) - TABLE_ROWS} more documents (those in no family last; Find '
            "searches the rows listed): report.json lists them all.</p>"
        )
    return (
        f'<div class="scroll tall"><table class="sortable find" id="document-table">{sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more}"
    )
