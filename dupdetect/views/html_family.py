"""One family of the HTML report: a ``<details>`` section, closed until opened or followed to.

Its summary names the family's lead title, size, roles, template, sites and dates; inside: the members
with site, date and role; a drawing of the family graph as inline SVG (:func:`family_svg`), its nodes
labelled by title (:func:`graph_labels`) and coloured by role (:data:`ROLE_COLOURS`); the template
rebuilt with its slots numbered; each member's fills of the slots; and the edits members made that are
not slots.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from dupdetect.model.types import DocPair, DocumentInfo, Edit, Family, Report, Slot, TemplateText
from dupdetect.text import middle_ellipsis, text_lang
from dupdetect.views.html_parts import (
    TABLE_ROWS,
    ReportIndex,
    date_cell,
    doc_cell,
    esc,
    role_summary,
    share_cell,
    site_cell,
    sort_head,
)

ROLE_COLOURS = {"template": "#4477AA", "copy": "#66CCEE", "partial": "#CCBB44", "mosaic": "#AA3377"}
"""Paul Tol's bright scheme for the family graph's nodes, by role."""
_NO_ROLE = "#BBBBBB"
_SLOT_RE = re.compile(r"\{(\d+)\}")
_GRAPH_MEMBERS = 40
_SLOT_MEMBERS = 12
_LABEL_UNITS = 26  # a graph label's width in half-width columns (a CJK character takes two)


def families_section(report: Report, texts: Mapping[str, str], index: ReportIndex) -> str:
    parts = [
        '<section id="families"><h2>Families one by one</h2>',
        '<p class="meta">Each family opens on its own: click its heading, or its name in the lists above.</p>'
        if report.families
        else '<p class="muted">No families.</p>',
    ]
    for i, family in enumerate(report.families[: index.drawn], start=1):
        parts.append(_family(family, i, index, texts))
    left = len(report.families) - index.drawn
    if left > 0:
        parts.append(
            f'<p class="muted" id="families-left">The {left} smaller families have no section here, to keep the '
            "page small: the lists above name them, <code>dupdetect template F… REPORT.json</code> shows one, "
            "<code>dupdetect report REPORT.json --max-families N</code> draws more.</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _family(family: Family, number: int, index: ReportIndex, texts: Mapping[str, str]) -> str:
    lead = family.template or family.members[0]
    infos = [index.docs[m] for m in family.members if m in index.docs]
    sites = sorted({d.site for d in infos if d.site})
    dates = sorted(d.date for d in infos if d.date)
    about = [family.id, f"{len(family.members)} documents", role_summary(family)]
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


def _members_table(family: Family, index: ReportIndex) -> str:
    rows = []
    for m in family.members[:TABLE_ROWS]:
        d = index.docs.get(m)
        link = ""
        if family.template and m != family.template:
            anchor = index.anchor(m, family.template)
            link = f'<a href="#{anchor}">side by side with the template</a>' if anchor else ""
        rows.append(
            f"<tr><td>{doc_cell(m, d)}</td>{site_cell(d.site if d else '')}{date_cell(d.date if d else '')}"
            f"<td>{esc(family.roles.get(m, ''))}</td>{share_cell(index.reused.get(m, 0.0))}<td>{link}</td></tr>"
        )
    columns = [("member", "text"), ("site", "text"), ("date", "text"), ("role", "text"), ("reused", "num"), ("", "")]
    more = ""
    if len(family.members) > TABLE_ROWS:
        more = f'<p class="muted">and {len(family.members) - TABLE_ROWS} more members: report.json lists them all.</p>'
    return (
        f'<div class="scroll members"><table class="sortable">{sort_head(columns)}'
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


def short_label(text: str, units: int = _LABEL_UNITS) -> str:
    """A graph label: ``text`` cut in its middle to ``units`` columns (a CJK character takes two), two
    thirds of the room for its start.

    >>> short_label("mine/pingjiang-2024-gongzuo-template.txt", 26)
    'mine/pingjiang-2…plate.txt'
    """
    return middle_ellipsis(text, units, head=2 / 3)


def graph_labels(ids: Sequence[str], docs: Mapping[str, DocumentInfo]) -> dict[str, str]:
    """Each drawn node's label: its title cut to fit, else (no title, or a label two nodes would share) its id
    cut in the middle; labels still shared are numbered, so no two nodes of a drawing read the same."""

    def title(doc_id: str) -> str:
        info = docs.get(doc_id)
        return info.title.strip() if info is not None and info.title.strip() else doc_id

    labels = {d: short_label(title(d)) for d in ids}
    shared = Counter(labels.values())
    labels = {d: label if shared[label] == 1 else short_label(d) for d, label in labels.items()}
    shared = Counter(labels.values())
    seen: Counter[str] = Counter()
    for d in ids:
        label = labels[d]
        if shared[label] > 1:
            seen[label] += 1
            labels[d] = f"{short_label(label, _LABEL_UNITS - 4)} ({seen[label]})"
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


def _template_block(template: TemplateText | None, texts: Mapping[str, str], index: ReportIndex) -> str:
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


def _edits_table(edits: Sequence[Edit], index: ReportIndex) -> str:
    """What members changed that is not a slot: reworded, added or dropped text, and where."""
    if not edits:
        return ""
    rows = "".join(
        f"<tr><td>{doc_cell(e.doc, index.docs.get(e.doc))}</td><td>{_edit_text(e.template_text, 'dropped')}</td>"
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


def _slots_table(family: Family, slots: Sequence[Slot], index: ReportIndex) -> str:
    if not slots:
        return ""
    members = [m for m in family.members if m != family.template and any(m in s.fills for s in slots)]
    shown = members[:_SLOT_MEMBERS]
    head = "".join(
        f'<th><span class="t" title="{esc(index.title(m))}">{esc(short_label(index.title(m), 20))}</span>'
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
