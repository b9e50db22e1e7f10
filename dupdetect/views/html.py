"""A report as ONE self-contained HTML file: works offline, runs nothing it did not bring.

The page has an overview (counts, warnings, a histogram of pair similarity,
the families), one section per family (members and roles, a drawing of the
family graph, the template rebuilt with its slots and each member's fills)
and one section per pair: both texts side by side, each reused passage
highlighted in both panes under the same number and colour; a click on a
passage scrolls the other pane to its match.

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
from collections.abc import Mapping, Sequence
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
_LABEL_CHARS = 22
_TABLE_ROWS = 2000


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
        _families(report, texts, index),
        _pairs(report, texts, marks, shown, index.anchors, options),
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
        '<nav><a href="#overview">Overview</a><a href="#families">Families</a><a href="#pairs">Pairs</a></nav>'
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
        f"{histogram_svg([p.similarity for p in report.pairs])}"
        "<h3>Families</h3>"
        f"{_family_table(report)}</section>"
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


def _family_table(report: Report) -> str:
    if not report.families:
        return '<p class="muted">No families: no two documents share a substantial passage.</p>'
    slots = slots_per_family(report)
    rows = "".join(
        f'<tr><td><a href="#family-{i}">{esc(f.id)}</a></td><td class="num">{len(f.members)}</td>'
        f"<td>{esc(f.template or '—')}</td><td>{esc(_role_summary(f))}</td>"
        f'<td class="num">{slots.get(f.id, 0)}</td></tr>'
        for i, f in enumerate(report.families, start=1)
    )
    return (
        '<div class="scroll"><table><thead><tr><th>family</th><th class="num">size</th><th>template</th>'
        f'<th>roles</th><th class="num">slots</th></tr></thead><tbody>{rows}</tbody></table></div>'
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
    parts = ['<section id="families"><h2>Families</h2>']
    if not report.families:
        parts.append('<p class="muted">No families.</p>')
    for i, family in enumerate(report.families, start=1):
        parts.append(_family(family, i, index, texts))
    parts.append("</section>")
    return "\n".join(parts)


def _family(family: Family, number: int, index: _Index, texts: Mapping[str, str]) -> str:
    template = f" · template {esc(family.template)}" if family.template else ""
    return (
        f'<section class="family" id="family-{number}"><h3>{esc(family.id)}: {len(family.members)} documents'
        f"{template}</h3>"
        f'<div class="family-top">{_members_table(family, index)}'
        f"{family_svg(family, index.docs, index.pairs, number=number)}</div>"
        f"{_template_block(index.templates.get(family.id), texts)}"
        f"{_slots_table(family, index.slots.get(family.id, ()))}"
        f"{_edits_table(index.edits.get(family.id, ()))}</section>"
    )


def _members_table(family: Family, index: _Index) -> str:
    rows = []
    for m in family.members:
        d = index.docs.get(m)
        link = ""
        if family.template and m != family.template:
            anchor = index.anchors.get((min(m, family.template), max(m, family.template)))
            link = f'<a href="#{anchor}">side by side with the template</a>' if anchor else ""
        rows.append(
            f"<tr><td>{esc(m)}</td><td>{esc(d.title if d else '')}</td><td>{esc(family.roles.get(m, ''))}</td>"
            f'<td class="num">{index.reused.get(m, 0.0):.0%}</td><td>{link}</td></tr>'
        )
    return (
        '<div class="scroll"><table><thead><tr><th>member</th><th>title</th><th>role</th>'
        f'<th class="num">reused</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
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
    Line width grows with similarity; hovering shows ids, titles and scores.
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
    nodes = [_node(doc_id, pos[doc_id], family, docs.get(doc_id)) for doc_id in ([centre] if centre else []) + members]
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


def _node(doc_id: str, at: tuple[float, float], family: Family, info: DocumentInfo | None) -> str:
    role = family.roles.get(doc_id, "")
    colour = ROLE_COLOURS.get(role, _NO_ROLE)
    label = doc_id if len(doc_id) <= _LABEL_CHARS else doc_id[: _LABEL_CHARS - 1] + "…"
    tip = f"{doc_id} ({role or 'member'})" + (f"\n{info.title}" if info and info.title else "")
    label_y = at[1] - _NODE_R - 6 if at[1] < 0 else at[1] + _NODE_R + 14  # outside, away from the centre
    return (
        f'<g><title>{esc(tip)}</title><circle cx="{at[0]}" cy="{at[1]}" r="{_NODE_R}" fill="{colour}" '
        f'stroke="#333"/><text class="lbl" x="{at[0]}" y="{label_y}" text-anchor="middle">'
        f"{esc(label)}</text></g>"
    )


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


def _template_block(template: TemplateText | None, texts: Mapping[str, str]) -> str:
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
        f"<h4>Template rebuilt from {esc(template.doc)}, slots numbered</h4>"
        f'<div class="template" lang="{lang}">{"".join(pieces)}</div>'
    )


_EDIT_ROWS = 200  # edits listed per family; the rest are counted


def _edits_table(edits: Sequence[Edit]) -> str:
    """What members changed that is not a slot: reworded, added or dropped text, and where."""
    if not edits:
        return ""
    rows = "".join(
        f"<tr><td>{esc(e.doc)}</td><td>{_edit_text(e.template_text, 'dropped')}</td>"
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


def _slots_table(family: Family, slots: Sequence[Slot]) -> str:
    if not slots:
        return ""
    members = [m for m in family.members if m != family.template and any(m in s.fills for s in slots)]
    shown = members[:_SLOT_MEMBERS]
    head = "".join(f"<th>{esc(m)}</th>" for m in shown)
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
    anchors: Mapping[tuple[str, str], str],
    options: HtmlOptions,
) -> str:
    parts = [
        '<section id="pairs"><h2>Pairs</h2>',
        '<div class="controls"><label for="minlen">Hide matches shorter than</label> '
        f'<input type="number" id="minlen" min="0" step="10" value="{max(0, options.min_chars)}"> characters '
        '<span id="hidden" class="muted"></span></div>',
        _pair_table(report, anchors),
    ]
    if len(report.pairs) > len(shown):
        parts.append(f'<p class="muted">{len(shown)} of {len(report.pairs)} pairs are shown side by side.</p>')
    templates = {f.template: f for f in report.families if f.template is not None}
    for pair in shown:
        a, b = _order(pair, templates)
        view = pair_view(report, texts, a, b, marks, pair=pair)
        parts.append(pair_section(view, anchors[(pair.a, pair.b)]))
    parts.append("</section></main>")
    return "\n".join(parts)


def _order(pair: DocPair, templates: Mapping[str, Family]) -> tuple[str, str]:
    """The template on the left when the pair is a template and one of its members."""
    family = templates.get(pair.b)
    if family is not None and pair.a in family.members:
        return pair.b, pair.a
    return pair.a, pair.b


def _pair_table(report: Report, anchors: Mapping[tuple[str, str], str]) -> str:
    if not report.pairs:
        return '<p class="muted">No pairs: no two documents share a passage.</p>'
    rows = []
    ranked = sorted(report.pairs, key=lambda p: (-p.similarity, p.a, p.b))
    for p in ranked[:_TABLE_ROWS]:
        anchor = anchors.get((p.a, p.b))
        link = f'<a href="#{anchor}">view</a>' if anchor else ""
        dup = " (exact duplicate)" if p.duplicate else ""
        rows.append(
            f"<tr><td>{link}</td><td>{esc(p.a)}</td><td>{esc(p.b)}{dup}</td>"
            f'<td class="num">{p.similarity:.2f}</td><td class="num">{p.coverage_a:.0%}</td>'
            f'<td class="num">{p.coverage_b:.0%}</td><td class="num">{p.shared_chars}</td>'
            f'<td class="num">{len(p.passages)}</td></tr>'
        )
    return (
        '<div class="scroll"><table><thead><tr><th></th><th>document A</th><th>document B</th>'
        '<th class="num">similarity</th><th class="num">A reused</th><th class="num">B reused</th>'
        f'<th class="num">shared chars</th><th class="num">passages</th></tr></thead><tbody>{"".join(rows)}'
        f"</tbody></table></div>{_more(len(ranked) - _TABLE_ROWS, 'pairs', 'dupdetect pairs')}"
    )


def _more(left_out: int, what: str, command: str) -> str:
    if left_out <= 0:
        return ""
    return f'<p class="muted">and {left_out} more {esc(what)}: <code>{esc(command)}</code> lists them all.</p>'


def pair_section(view: PairView, anchor: str) -> str:
    """One pair: its scores, a legend and the two panes with numbered, coloured passages."""
    pair = view.pair
    scores = (
        f"similarity {pair.similarity:.2f} · {len(view.passages)} passages · {pair.shared_chars} shared characters"
        if pair
        else "no reused passages"
    )
    moved = moved_passages(view)
    return (
        f'<section class="pair" id="{anchor}"><h3>{esc(view.a.info.id)} ↔ {esc(view.b.info.id)}</h3>'
        f'<p class="meta">{esc(scores)}; passages numbered in the order of the left document. '
        "Click a passage to bring its match into view.</p>"
        '<p class="legend"><span><a class="num c0">1</a><mark class="p c0">reused passage</mark></span>'
        '<span><span class="slot">××</span> placeholder / slot</span><span><span class="fill">fill</span></span>'
        '<span class="u">only in this document</span><span class="u chrome">page chrome</span></p>'
        f'<div class="panes">{_pane(view.a, anchor, "a", "b", {})}{_pane(view.b, anchor, "b", "a", moved)}</div>'
        "</section>"
    )


def _pane(side: Side, anchor: str, me: str, other: str, moved: Mapping[int, int]) -> str:
    info = side.info
    role = f" · {info.role} in {info.family}" if info.role else ""
    head = (
        f"<h4>{esc(info.id)}{esc(role)} · {side.coverage:.0%} reused"
        f'<br><span class="meta">{esc(info.title)}</span></h4>'
    )
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
