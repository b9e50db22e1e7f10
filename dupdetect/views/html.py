"""A report as ONE self-contained HTML file: works offline, runs nothing it did not bring.

The page reads by titles (a document's id is its secondary text and tooltip)
and says each document's site and date. It has an overview (counts, warnings,
a histogram of pair similarity); "sites copying from sites" (for each family
with a template: how many of its copies, partials and mosaics stand on each
site, counted template site -> copy site, with the earliest date seen on
each side); the documents and families, listed for finding (one search box
filters the rows by title, id or site; a click on a column's header sorts
by it), every document, also those in no family; one section per family, a
``<details>`` closed until opened or followed to (its anchor or the URL's
hash opens it): members with site, date and role, a drawing of the family
graph with its nodes labelled by title, the template rebuilt with its slots
and each member's fills; and one collapsible section per pair shown: both
texts side by side, each reused passage highlighted in both panes under the
same number and colour; a click on a passage scrolls the other pane to its
match. Long lists are cut at a row cap, and the page says where.

Safety: every piece of text from a document, a file name or the report is
escaped with :func:`html.escape`; element ids are made here, never taken
from the data; the only script and style are the page's own, allowed by
their SHA-256 hashes in a Content-Security-Policy that allows nothing else
(no network, no other script, no ``eval``). Drawings are inline SVG made
here. Output is deterministic: no timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dupdetect.model.report import reused_share, slots_per_family
from dupdetect.model.types import DocPair, DocumentInfo, Edit, Family, Report, Slot, TemplateText
from dupdetect.text import text_lang
from dupdetect.views.html_assets import CSS, JS
from dupdetect.views.marks import (
    Mark,
    PairView,
    Side,
    document_marks,
    moved_passages,
    ordinal,
    pair_view,
    segments,
)

PALETTE = 6
"""Passage colours: Paul Tol's pale scheme behind text, his dark scheme for the numbers (CSS classes c0-c5)."""
ROLE_COLOURS = {"template": "#4477AA", "copy": "#66CCEE", "partial": "#CCBB44", "mosaic": "#AA3377"}
"""Paul Tol's bright scheme for the family graph's nodes, by role."""
_NO_ROLE = "#BBBBBB"
_SLOT_RE = re.compile(r"\{(\d+)\}")
_GRAPH_MEMBERS = 40
_SLOT_MEMBERS = 12
_LABEL_UNITS = 26  # a graph label's width in half-width columns (a CJK character takes two)
_TABLE_ROWS = 2000  # rows of a listing (documents, families, site pairs, pairs, members); the rest are counted
_ROLE_ORDER = {"template": 0, "copy": 1, "partial": 2, "mosaic": 3}
_COPYING = frozenset(("copy", "partial", "mosaic"))


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """What the HTML report includes."""

    max_pairs: int = 100  # pairs shown side by side (the most similar first); all are listed
    min_chars: int = 0  # the "hide matches shorter than" control's starting value
    title: str = "dupdetect report"


def esc(text: object) -> str:
    """Text escaped for HTML content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(*, forms: bool = False, style: str = "") -> str:
    """Nothing from anywhere: only this page's own script and style, and data: images (``forms``: its forms
    may be sent to the host that served it, as ``dupdetect serve``'s are; ``style``: a second style sheet)."""
    sent = "'self'" if forms else "'none'"
    styles = " ".join(csp_hash(css) for css in (CSS, style) if css)
    return (
        f"default-src 'none'; script-src {csp_hash(JS)}; style-src {styles}; img-src data:; "
        f"base-uri 'none'; form-action {sent}"
    )


@dataclass(frozen=True, slots=True)
class _Index:
    """A report's parts by key, looked up once rather than searched for each family."""

    docs: Mapping[str, DocumentInfo]
    pairs: Mapping[tuple[str, str], DocPair]
    reused: Mapping[str, float]
    slots: Mapping[str, Sequence[Slot]]
    edits: Mapping[str, Sequence[Edit]]
    templates: Mapping[str, TemplateText]
    anchors: Mapping[tuple[str, str], str]
    numbers: Mapping[str, int]  # a family's section number (its anchor is family-N)

    def title(self, doc_id: str) -> str:
        """The document's title, or its id when it has none."""
        info = self.docs.get(doc_id)
        return info.title.strip() if info is not None and info.title.strip() else doc_id

    def anchor(self, a: str, b: str) -> str | None:
        """The anchor of the pair ``a``, ``b`` when it is drawn side by side."""
        return self.anchors.get((min(a, b), max(a, b)))

    @classmethod
    def of(cls, report: Report, shown: Sequence[DocPair]) -> _Index:
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
        )


def render_html(report: Report, texts: Mapping[str, str], *, options: HtmlOptions = HtmlOptions()) -> str:
    """The whole report page; ``texts`` are the documents' texts by id (missing ones are said to be)."""
    report = replace(report, pairs=tuple(report.pairs))  # (the page reads them several times: made once)
    shown = _shown_pairs(report, options.max_pairs)
    marks = document_marks(report, texts, only={d for p in shown for d in (p.a, p.b)})
    index = _Index.of(report, shown)
    body = [
        _header(report, options),
        _overview(report),
        _sites(report, index),
        _browse(report, index),
        _families(report, texts, index),
        _pairs(report, texts, marks, shown, index, options),
    ]
    return page(options.title, "\n".join(body))


def write_html(report: Report, texts: Mapping[str, str], path: Path, *, options: HtmlOptions = HtmlOptions()) -> None:
    """Write :func:`render_html` to ``path`` as UTF-8."""
    path.write_bytes(render_html(report, texts, options=options).encode("utf-8", "replace"))


def page(title: str, body: str, *, forms: bool = False, style: str = "") -> str:
    """A whole self-contained page: ``body`` (HTML made here, every piece of data escaped) with the page's own
    style and script, under the :func:`content_security_policy`."""
    policy = content_security_policy(forms=forms, style=style)
    extra = f"<style>{style}</style>\n" if style else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n{extra}</head>\n<body>\n{body}\n"
        f"<script>{JS}</script>\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------
# header and overview


def _header(report: Report, options: HtmlOptions) -> str:
    c = report.counts
    summary = (
        f"dupdetect {report.tool_version} · {c.get('documents', len(report.documents))} documents · "
        f"{len(report.families)} families · {len(report.pairs)} pairs"
    )
    return (
        f'<header><h1>{esc(options.title)}</h1><p class="meta">{esc(summary)}</p>'
        '<nav><a href="#overview">Overview</a><a href="#sites">Sites copying from sites</a>'
        '<a href="#browse">Find documents and families</a><a href="#families">Families one by one</a>'
        '<a href="#pairs">Pairs</a></nav>'
        "</header>\n<main>"
    )


_COUNTS = (
    ("documents", "documents"),
    ("inputs_skipped", "inputs skipped"),
    ("exact_duplicates", "exact duplicates"),
    ("pairs", "pairs"),
    ("passages", "passages"),
    ("families", "families"),
    ("mosaics", "mosaics"),
    ("slots", "slots"),
    ("parts", "parts of compilation pages"),
)


def _overview(report: Report) -> str:
    counts = "".join(
        f"<div><dt>{esc(label)}</dt><dd>{esc(report.counts.get(key, 0))}</dd></div>" for key, label in _COUNTS
    )
    return (
        '<section id="overview"><h2>Overview</h2>'
        f'<dl class="counts">{counts}</dl>'
        f"{_warnings(report)}"
        "<h3>Pair similarity</h3>"
        f"{histogram_svg([p.similarity for p in report.pairs])}</section>"
    )


def _warnings(report: Report) -> str:
    if not report.warnings:
        return '<p class="muted">No warnings: every input was read.</p>'
    items = "".join(f"<li><b>{esc(w.source)}</b>: {esc(w.message)}</li>" for w in report.warnings)
    return f"<h3>Warnings ({len(report.warnings)})</h3><ul>{items}</ul>"


def histogram_svg(values: Sequence[float], *, bins: int = 10) -> str:
    """A bar chart of how many values fall in each of ``bins`` equal steps of [0, 1]."""
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(v * bins)))] += 1
    top = max(counts, default=0) or 1
    width, height, left, base = 40, 120, 34, 140
    bars = []
    for i, n in enumerate(counts):
        h = round(height * n / top, 1)
        x = left + i * width
        lo, hi = i / bins, (i + 1) / bins
        bars.append(
            f'<rect class="bar" x="{x + 4}" y="{base - h}" width="{width - 8}" height="{h}">'
            f"<title>{n} pairs with similarity {lo:.1f}–{hi:.1f}</title></rect>"
            f'<text x="{x + width / 2}" y="{base - h - 4}" text-anchor="middle">{n or ""}</text>'
        )
    ticks = "".join(
        f'<text x="{left + i * width}" y="{base + 16}" text-anchor="middle">{i / bins:.1f}</text>'
        for i in range(0, bins + 1, 2)
    )
    axis = f'<line x1="{left}" y1="{base}" x2="{left + bins * width}" y2="{base}" stroke="currentColor"/>'
    label = f'<text x="{left + bins * width / 2}" y="{base + 34}" text-anchor="middle">similarity</text>'
    return (
        f'<svg class="hist" viewBox="0 0 {left * 2 + bins * width} {base + 42}" role="img" '
        f'aria-label="histogram of pair similarity">{"".join(bars)}{axis}{ticks}{label}</svg>'
    )


# --------------------------------------------------------------------------
# cells shared by the listings


def _doc_cell(doc_id: str, info: DocumentInfo | None) -> str:
    """A document as a reader knows it: its title, with its id below as secondary text and tooltip."""
    title = info.title.strip() if info is not None else ""
    if not title:
        return f'<span class="id only">{esc(doc_id)}</span>'
    return f'<span class="t" title="{esc(doc_id)}">{esc(title)}</span><span class="id">{esc(doc_id)}</span>'


def _site_cell(site: str) -> str:
    return f"<td>{esc(site)}</td>" if site else '<td data-v=""><span class="muted">—</span></td>'


def _date_cell(date: str) -> str:
    return f'<td class="date">{esc(date)}</td>' if date else '<td data-v=""><span class="muted">—</span></td>'


def _sort_head(columns: Sequence[tuple[str, str]]) -> str:
    """A header row whose cells sort the table by their column when clicked (kind ``num`` sorts numbers)."""
    cells = []
    for label, kind in columns:
        if not label:
            cells.append("<th></th>")
            continue
        cls = ' class="num"' if kind == "num" else ""
        cells.append(f'<th{cls} data-sort="{kind}"><button type="button" class="sort">{esc(label)}</button></th>')
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def _share_cell(share: float) -> str:
    return f'<td class="num" data-v="{share:.4f}">{share:.0%}</td>'


def _family_link(index: _Index, family: str | None) -> str:
    if family is None or family not in index.numbers:
        return '<td data-v=""><span class="muted">none</span></td>'
    n = index.numbers[family]
    return f'<td data-v="{n}"><a href="#family-{n}">{esc(family)}</a></td>'


def _earliest(dates: Iterable[str]) -> str:
    """The earliest of ISO dates, ``""`` when none is known (empty dates are not dates)."""
    return min((d for d in dates if d), default="")


# --------------------------------------------------------------------------
# sites copying from sites


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


def _sites(report: Report, index: _Index) -> str:
    flows = site_flows(report)
    head = '<section id="sites"><h2>Sites copying from sites</h2>'
    if not flows:
        return (
            f'{head}<p class="muted">No copy whose page or whose template\'s page names its site: no site is seen '
            "copying from another.</p></section>"
        )
    rows = []
    for f in flows[:_TABLE_ROWS]:
        target = _site_cell(f.target)
        if f.source == f.target and f.source:
            target = f'<td>{esc(f.target)} <span class="muted">(the same site)</span></td>'
        rows.append(
            f"<tr>{_site_cell(f.source)}{target}"
            f'<td class="num">{f.copies}</td><td class="num">{f.families}</td>'
            f"{_date_cell(f.source_earliest)}{_date_cell(f.target_earliest)}</tr>"
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
        f'<div class="scroll tall"><table class="sortable" id="site-table">{_sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></div>{_more(len(flows) - _TABLE_ROWS, 'site pairs', '')}"
        "</section>"
    )


# --------------------------------------------------------------------------
# documents and families, to find and sort


def _browse(report: Report, index: _Index) -> str:
    return (
        '<section id="browse"><h2>Find documents and families</h2>'
        '<div class="controls"><label for="find">Find</label> '
        '<input type="search" id="find" placeholder="a title, id or site" autocomplete="off"> '
        '<span id="found" class="muted" role="status"></span></div>'
        f'<h3 id="family-list">Families ({len(report.families)})</h3>{_family_table(report, index)}'
        f'<h3 id="documents">Documents ({len(report.documents)})</h3>{_document_table(report, index)}'
        "</section>"
    )


def _family_table(report: Report, index: _Index) -> str:
    if not report.families:
        return '<p class="muted">No families: no two documents share a substantial passage.</p>'
    slots = slots_per_family(report)
    rows = []
    for f in report.families[:_TABLE_ROWS]:
        lead = f.template or f.members[0]
        infos = [index.docs[m] for m in f.members if m in index.docs]
        sites = {d.site for d in infos if d.site}
        template_site = index.docs[lead].site if f.template and lead in index.docs else ""
        lead_cell = _doc_cell(lead, index.docs.get(lead))
        if not f.template:
            lead_cell = f'<span class="muted">no template; first member:</span> {lead_cell}'
        rows.append(
            f"<tr>{_family_link(index, f.id)}<td>{lead_cell}</td>{_site_cell(template_site)}"
            f'{_date_cell(_earliest(d.date for d in infos))}<td class="num">{len(f.members)}</td>'
            f'<td class="num">{len(sites)}</td><td>{esc(_role_summary(f))}</td>'
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
        f'<div class="scroll tall"><table class="sortable find" id="family-table">{_sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"{_more(len(report.families) - _TABLE_ROWS, 'families', 'dupdetect families')}"
    )


def _document_table(report: Report, index: _Index) -> str:
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
    for d in ranked[:_TABLE_ROWS]:
        template = templates.get(d.family or "")
        anchor = index.anchor(d.id, template) if template and template != d.id else None
        link = f'<a href="#{anchor}">side by side</a>' if anchor else ""
        rows.append(
            f"<tr><td>{_doc_cell(d.id, d)}</td>{_site_cell(d.site)}{_date_cell(d.date)}"
            f"{_family_link(index, d.family)}<td>{esc(d.role or '')}</td>"
            f'<td class="num" data-v="{d.chars}">{d.chars:,}</td>{_share_cell(index.reused.get(d.id, 0.0))}'
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
    if len(ranked) > _TABLE_ROWS:
        more = (
            f'<p class="muted">and {len(ranked) - _TABLE_ROWS} more documents (those in no family last; Find '
            "searches the rows listed): report.json lists them all.</p>"
        )
    return (
        f'<div class="scroll tall"><table class="sortable find" id="document-table">{_sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more}"
    )


def _role_summary(family: Family) -> str:
    counts: dict[str, int] = {}
    for m in family.members:
        role = family.roles.get(m, "member")
        counts[role] = counts.get(role, 0) + 1
    return ", ".join(f"{n} {role}" for role, n in sorted(counts.items()))


# --------------------------------------------------------------------------
# families


def _families(report: Report, texts: Mapping[str, str], index: _Index) -> str:
    parts = [
        '<section id="families"><h2>Families one by one</h2>',
        '<p class="meta">Each family opens on its own: click its heading, or its name in the lists above.</p>'
        if report.families
        else '<p class="muted">No families.</p>',
    ]
    for i, family in enumerate(report.families, start=1):
        parts.append(_family(family, i, index, texts))
    parts.append("</section>")
    return "\n".join(parts)


def _family(family: Family, number: int, index: _Index, texts: Mapping[str, str]) -> str:
    lead = family.template or family.members[0]
    infos = [index.docs[m] for m in family.members if m in index.docs]
    sites = sorted({d.site for d in infos if d.site})
    dates = sorted(d.date for d in infos if d.date)
    about = [family.id, f"{len(family.members)} documents", _role_summary(family)]
    about.append(f"template {family.template}" if family.template else "no template")
    if sites:
        named = "、".join(sites[:3]) + ("…" if len(sites) > 3 else "")
        about.append(f"{len(sites)} site{'' if len(sites) == 1 else 's'}: {named}")
    if dates:
        about.append(dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}")
    return (
        f'<details class="family" id="family-{number}"><summary><h3>{esc(index.title(lead))}</h3> '
        f'<span class="meta">{esc(" · ".join(about))}</span></summary>'
        f'<div class="family-top">{_members_table(family, index)}'
        f"{family_svg(family, index.docs, index.pairs, number=number)}</div>"
        f"{_template_block(index.templates.get(family.id), texts, index)}"
        f"{_slots_table(family, index.slots.get(family.id, ()), index)}"
        f"{_edits_table(index.edits.get(family.id, ()), index)}</details>"
    )


def _members_table(family: Family, index: _Index) -> str:
    rows = []
    for m in family.members[:_TABLE_ROWS]:
        d = index.docs.get(m)
        link = ""
        if family.template and m != family.template:
            anchor = index.anchor(m, family.template)
            link = f'<a href="#{anchor}">side by side with the template</a>' if anchor else ""
        rows.append(
            f"<tr><td>{_doc_cell(m, d)}</td>{_site_cell(d.site if d else '')}{_date_cell(d.date if d else '')}"
            f"<td>{esc(family.roles.get(m, ''))}</td>{_share_cell(index.reused.get(m, 0.0))}<td>{link}</td></tr>"
        )
    columns = [("member", "text"), ("site", "text"), ("date", "text"), ("role", "text"), ("reused", "num"), ("", "")]
    more = ""
    if len(family.members) > _TABLE_ROWS:
        more = f'<p class="muted">and {len(family.members) - _TABLE_ROWS} more members: report.json lists them all.</p>'
    return (
        f'<div class="scroll members"><table class="sortable">{_sort_head(columns)}'
        f"<tbody>{''.join(rows)}</tbody></table>{more}</div>"
    )


def family_svg(
    family: Family,
    docs: Mapping[str, DocumentInfo],
    pairs: Mapping[tuple[str, str], DocPair],
    *,
    number: int = 1,
) -> str:
    """The family graph drawn as inline SVG: the template in the middle, arrows to each member.

    Without a template, the members stand on a circle joined by their pairs.
    Nodes are labelled by title (:func:`graph_labels`); line width grows with similarity; hovering shows
    titles, ids, sites, dates and scores.
    """
    members = [m for m in family.members if m != family.template][:_GRAPH_MEMBERS]
    centre = family.template
    pos = _circle(members)
    if centre is not None:
        pos[centre] = (0.0, 0.0)
    edges = []
    for m in members:
        ends = [(centre, m)] if centre is not None else [(m, o) for o in members if m < o]
        for a, b in ends:
            pair = pairs.get((min(a, b), max(a, b)))
            if pair is not None:
                edges.append(_edge(pos[a], pos[b], pair, arrow=f"arrow-{number}" if centre is not None else ""))
    drawn = ([centre] if centre else []) + members
    labels = graph_labels(drawn, docs)
    nodes = [_node(doc_id, pos[doc_id], family, docs.get(doc_id), labels[doc_id]) for doc_id in drawn]
    more = len(family.members) - len(members) - (1 if centre else 0)
    note = f'<text x="0" y="170" text-anchor="middle">and {more} more</text>' if more > 0 else ""
    legend = _graph_legend()
    return (
        f'<svg class="graph" viewBox="-310 -175 620 350" role="img" aria-label="family graph of {esc(family.id)}">'
        f'<defs><marker id="arrow-{number}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" '
        'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="#777"/>'
        f"</marker></defs>{''.join(edges)}{''.join(nodes)}{note}{legend}</svg>"
    )


def _circle(ids: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Places on an ellipse, the first at the top (two: left and right, clear of each other's labels)."""
    n = max(1, len(ids))
    turn = math.pi / 2 if n == 2 else 0.0
    return {
        doc_id: (
            round(_RX * math.sin(2 * math.pi * i / n + turn), 1),
            round(-_RY * math.cos(2 * math.pi * i / n + turn), 1),
        )
        for i, doc_id in enumerate(ids)
    }


_NODE_R = 13
_RX, _RY = 210.0, 110.0


def _edge(a: tuple[float, float], b: tuple[float, float], pair: DocPair, *, arrow: str) -> str:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    x1, y1 = a[0] + ux * _NODE_R, a[1] + uy * _NODE_R
    x2, y2 = b[0] - ux * (_NODE_R + 2), b[1] - uy * (_NODE_R + 2)
    width = round(1 + 4 * pair.similarity, 1)
    marker = f' marker-end="url(#{arrow})"' if arrow else ""
    tip = f"{pair.a} – {pair.b}: similarity {pair.similarity:.2f}, reused {pair.coverage_a:.0%} / {pair.coverage_b:.0%}"
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" '
        f'stroke-width="{width}"{marker}><title>{esc(tip)}</title></line>'
    )


def _node(doc_id: str, at: tuple[float, float], family: Family, info: DocumentInfo | None, label: str) -> str:
    role = family.roles.get(doc_id, "")
    colour = ROLE_COLOURS.get(role, _NO_ROLE)
    where = " · ".join(x for x in (info.site, info.date) if x) if info else ""
    tip = (f"{info.title}\n" if info and info.title else "") + f"{doc_id} ({role or 'member'})"
    tip += f"\n{where}" if where else ""
    label_y = at[1] - _NODE_R - 6 if at[1] < 0 else at[1] + _NODE_R + 14  # outside, away from the centre
    return (
        f'<g><title>{esc(tip)}</title><circle cx="{at[0]}" cy="{at[1]}" r="{_NODE_R}" fill="{colour}" '
        f'stroke="#333"/><text class="lbl" x="{at[0]}" y="{label_y}" text-anchor="middle">'
        f"{esc(label)}</text></g>"
    )


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def middle_ellipsis(text: str, units: int = _LABEL_UNITS) -> str:
    """``text`` cut in its middle to fit ``units`` columns (a CJK character takes two): its start and end kept.

    >>> middle_ellipsis("mine/pingjiang-2024-gongzuo-template.txt", 26)
    'mine/pingjiang-2…plate.txt'
    """
    if sum(map(_columns, text)) <= units:
        return text
    room = units - 1
    head, used = 0, 0
    while head < len(text) and used + _columns(text[head]) <= room * 2 // 3:
        used += _columns(text[head])
        head += 1
    tail, used = 0, 0
    while tail < len(text) - head and used + _columns(text[-1 - tail]) <= room - room * 2 // 3:
        used += _columns(text[-1 - tail])
        tail += 1
    return text[:head] + "…" + (text[-tail:] if tail else "")


def graph_labels(ids: Sequence[str], docs: Mapping[str, DocumentInfo]) -> dict[str, str]:
    """Each drawn node's label: its title cut to fit, else (no title, or a label two nodes would share) its id
    cut in the middle; labels still shared are numbered, so no two nodes of a drawing read the same."""

    def title(doc_id: str) -> str:
        info = docs.get(doc_id)
        return info.title.strip() if info is not None and info.title.strip() else doc_id

    labels = {d: middle_ellipsis(title(d)) for d in ids}
    shared = Counter(labels.values())
    labels = {d: label if shared[label] == 1 else middle_ellipsis(d) for d, label in labels.items()}
    shared = Counter(labels.values())
    seen: Counter[str] = Counter()
    for d in ids:
        label = labels[d]
        if shared[label] > 1:
            seen[label] += 1
            labels[d] = f"{middle_ellipsis(label, _LABEL_UNITS - 4)} ({seen[label]})"
    return labels


def _graph_legend() -> str:
    items = []
    x = -300
    for role, colour in ROLE_COLOURS.items():
        items.append(
            f'<circle cx="{x + 6}" cy="-164" r="6" fill="{colour}" stroke="#333"/>'
            f'<text x="{x + 16}" y="-160">{role}</text>'
        )
        x += 34 + 7 * len(role)
    return "".join(items)


def _template_block(template: TemplateText | None, texts: Mapping[str, str], index: _Index) -> str:
    if template is None:
        return ""
    lang = text_lang(texts.get(template.doc, template.text))
    pieces = []
    pos = 0
    for m in _SLOT_RE.finditer(template.text):
        pieces.append(esc(template.text[pos : m.start()]))
        pieces.append(f'<span class="slot" title="slot {m[1]}">{{{esc(m[1])}}}</span>')
        pos = m.end()
    pieces.append(esc(template.text[pos:]))
    return (
        f"<h4>Template rebuilt from {esc(index.title(template.doc))}, slots numbered"
        f'<span class="id">{esc(template.doc)}</span></h4>'
        f'<div class="template" lang="{lang}">{"".join(pieces)}</div>'
    )


_EDIT_ROWS = 200  # edits listed per family; the rest are counted


def _edits_table(edits: Sequence[Edit], index: _Index) -> str:
    """What members changed that is not a slot: reworded, added or dropped text, and where."""
    if not edits:
        return ""
    rows = "".join(
        f"<tr><td>{_doc_cell(e.doc, index.docs.get(e.doc))}</td><td>{_edit_text(e.template_text, 'dropped')}</td>"
        f'<td>{_edit_text(e.text, "nothing")}</td><td class="num">{e.span.start:,}</td></tr>'
        for e in edits[:_EDIT_ROWS]
    )
    more = f'<p class="muted">and {len(edits) - _EDIT_ROWS} more edits</p>' if len(edits) > _EDIT_ROWS else ""
    return (
        "<h4>Edits: what members changed that is not a slot</h4>"
        '<div class="scroll"><table><thead><tr><th>member</th><th>template</th><th>member</th>'
        f'<th class="num">at</th></tr></thead><tbody>{rows}</tbody></table></div>{more}'
    )


def _edit_text(text: str, empty: str) -> str:
    return f'<span class="edit">{esc(text)}</span>' if text else f'<span class="muted">({empty})</span>'


def _slots_table(family: Family, slots: Sequence[Slot], index: _Index) -> str:
    if not slots:
        return ""
    members = [m for m in family.members if m != family.template and any(m in s.fills for s in slots)]
    shown = members[:_SLOT_MEMBERS]
    head = "".join(
        f'<th><span class="t" title="{esc(index.title(m))}">{esc(middle_ellipsis(index.title(m), 20))}</span>'
        f'<span class="id">{esc(m)}</span></th>'
        for m in shown
    )
    rows = []
    for s in slots:
        fills = "".join(f"<td>{esc(s.fills.get(m, '—'))}</td>" for m in shown)
        rows.append(
            f'<tr><td class="num">{s.slot}</td><td>{esc(s.kind)}</td>'
            f'<td><span class="slot">{esc(s.template_text)}</span></td>{fills}</tr>'
        )
    more = f'<p class="muted">and {len(members) - len(shown)} more members</p>' if len(members) > len(shown) else ""
    return (
        "<h4>Slots and what each member filled in</h4>"
        '<div class="scroll"><table><thead><tr><th class="num">slot</th><th>kind</th><th>template</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}"
    )


# --------------------------------------------------------------------------
# pairs


def _shown_pairs(report: Report, limit: int) -> list[DocPair]:
    """The pairs drawn side by side: the most similar first, then by ids."""
    ranked = sorted(report.pairs, key=lambda p: (-p.similarity, p.a, p.b))
    return ranked[: max(0, limit)]


def _pairs(
    report: Report,
    texts: Mapping[str, str],
    marks: Mapping[str, Sequence[Mark]],
    shown: Sequence[DocPair],
    index: _Index,
    options: HtmlOptions,
) -> str:
    parts = [
        '<section id="pairs"><h2>Pairs</h2>',
        '<div class="controls"><label for="minlen">Hide matches shorter than</label> '
        f'<input type="number" id="minlen" min="0" step="10" value="{max(0, options.min_chars)}"> characters '
        '<span id="hidden" class="muted"></span></div>',
        _pair_table(report, index),
    ]
    if len(report.pairs) > len(shown):
        parts.append(f'<p class="muted">{len(shown)} of {len(report.pairs)} pairs are shown side by side.</p>')
    templates = {f.template: f for f in report.families if f.template is not None}
    for pair in shown:
        a, b = _order(pair, templates)
        view = pair_view(report, texts, a, b, marks, pair=pair)
        parts.append(pair_section(view, index.anchors[(pair.a, pair.b)], opened=False))
    parts.append("</section></main>")
    return "\n".join(parts)


def _order(pair: DocPair, templates: Mapping[str, Family]) -> tuple[str, str]:
    """The template on the left when the pair is a template and one of its members."""
    family = templates.get(pair.b)
    if family is not None and pair.a in family.members:
        return pair.b, pair.a
    return pair.a, pair.b


def _pair_table(report: Report, index: _Index) -> str:
    if not report.pairs:
        return '<p class="muted">No pairs: no two documents share a passage.</p>'
    rows = []
    ranked = sorted(report.pairs, key=lambda p: (-p.similarity, p.a, p.b))
    for p in ranked[:_TABLE_ROWS]:
        anchor = index.anchors.get((p.a, p.b))
        link = f'<a href="#{anchor}">view</a>' if anchor else ""
        dup = ' <span class="muted">(exact duplicate)</span>' if p.duplicate else ""
        rows.append(
            f"<tr><td>{link}</td><td>{_doc_cell(p.a, index.docs.get(p.a))}</td>"
            f"<td>{_doc_cell(p.b, index.docs.get(p.b))}{dup}</td>"
            f'<td class="num">{p.similarity:.2f}</td>{_share_cell(p.coverage_a)}{_share_cell(p.coverage_b)}'
            f'<td class="num">{p.shared_chars}</td><td class="num">{len(p.passages)}</td></tr>'
        )
    columns = [
        ("", ""),
        ("document A", "text"),
        ("document B", "text"),
        ("similarity", "num"),
        ("A reused", "num"),
        ("B reused", "num"),
        ("shared chars", "num"),
        ("passages", "num"),
    ]
    return (
        f'<div class="scroll tall"><table class="sortable" id="pair-table">{_sort_head(columns)}<tbody>{"".join(rows)}'
        f"</tbody></table></div>{_more(len(ranked) - _TABLE_ROWS, 'pairs', 'dupdetect pairs')}"
    )


def _more(left_out: int, what: str, command: str) -> str:
    if left_out <= 0:
        return ""
    if not command:
        return f'<p class="muted">and {left_out} more {esc(what)}.</p>'
    return f'<p class="muted">and {left_out} more {esc(what)}: <code>{esc(command)}</code> lists them all.</p>'


def pair_section(view: PairView, anchor: str, *, opened: bool = True) -> str:
    """One pair: its titles and scores, a legend and the two panes with numbered, coloured passages, in a
    ``<details>`` that is open or (``opened=False``) closed until opened or followed to."""
    pair = view.pair
    scores = (
        f"similarity {pair.similarity:.2f} · {len(view.passages)} passages · {pair.shared_chars} shared characters"
        if pair
        else "no reused passages"
    )
    moved = moved_passages(view)
    return (
        f'<section class="pair" id="{anchor}"><details{" open" if opened else ""}><summary>'
        f"<h3>{esc(_title_of(view.a))} ↔ {esc(_title_of(view.b))}</h3> "
        f'<span class="id ids">{esc(view.a.info.id)} ↔ {esc(view.b.info.id)}</span>'
        f'<span class="meta">{esc(scores)}</span></summary>'
        '<p class="meta">Passages are numbered in the order of the left document. '
        "Click a passage to bring its match into view.</p>"
        '<p class="legend"><span><a class="num c0">1</a><mark class="p c0">reused passage</mark></span>'
        '<span><span class="slot">××</span> placeholder / slot</span><span><span class="fill">fill</span></span>'
        '<span class="u">only in this document</span><span class="u chrome">page chrome</span></p>'
        f'<div class="panes">{_pane(view.a, anchor, "a", "b", {})}{_pane(view.b, anchor, "b", "a", moved)}</div>'
        "</details></section>"
    )


def _title_of(side: Side) -> str:
    return side.info.title.strip() or side.info.id


def _pane(side: Side, anchor: str, me: str, other: str, moved: Mapping[int, int]) -> str:
    info = side.info
    about = [info.id]
    about += [f"{info.role} in {info.family}"] if info.role else []
    about += [x for x in (info.site, info.date) if x]
    about.append(f"{side.coverage:.0%} reused")
    head = f'<h4>{esc(_title_of(side))}<br><span class="meta">{esc(" · ".join(about))}</span></h4>'
    if side.text is None:
        body = '<p class="muted">The text is not available: it could not be read again (see the warnings).</p>'
    else:
        body = "".join(
            _segment(side.text, s, e, ms, anchor, me, other, moved) for s, e, ms in segments(len(side.text), side.marks)
        )
    return (
        f'<div class="pane" lang="{side.lang}"><div class="text" id="{anchor}-{me}" tabindex="0">'
        f"{head}{body}</div></div>"
    )


def _segment(
    text: str, start: int, end: int, marks: Sequence[Mark], anchor: str, me: str, other: str, moved: Mapping[int, int]
) -> str:
    """One stretch of text with the classes of the marks covering it; a passage's number where it starts."""
    piece = esc(text[start:end])
    passages = [m for m in marks if m.kind == "passage"]
    inner = [m for m in marks if m.kind != "passage"]
    classes: list[str] = []
    titles: list[str] = []
    if any(m.kind in ("placeholder", "slot") for m in inner):
        classes.append("ph")
    if any(m.kind == "fill" for m in inner):
        classes.append("fill")
    if any(m.kind == "chrome" for m in inner):
        classes.append("chrome")
    if any(m.kind == "edit" for m in inner):
        classes.append("edit")
    titles.extend(m.note for m in inner if m.note)
    title = f' title="{esc("; ".join(titles))}"' if titles else ""
    if not passages:
        return f'<span class="{" ".join(["u", *classes])}"{title}>{piece}</span>'
    p = min(passages, key=lambda m: m.number)
    colour = f"c{(p.number - 1) % PALETTE}"
    length = len(p.span)
    peer = f"{anchor}-{other}-{p.number}"
    label = ""
    if p.span.start == start:
        note = f"passage {p.number}, {length} characters" + (
            f", moved: {ordinal(moved[p.number])} on this side" if p.number in moved else ""
        )
        label = (
            f'<a class="num {colour}" id="{anchor}-{me}-{p.number}" href="#{peer}" data-peer="{peer}" '
            f'data-len="{length}" title="{esc(note)}">{p.number}{" ↕" if p.number in moved else ""}'
            '<span class="sr"> start of match</span></a>'
        )
    cls = " ".join(["p", colour, *classes])
    return f'{label}<mark class="{cls}" data-peer="{peer}" data-len="{length}"{title}>{piece}</mark>'
