"""A report as ONE self-contained HTML file: works offline, runs nothing it did not bring.

The page reads by titles (a document's id is its secondary text and tooltip)
and says each document's site and date. It has an overview (counts, warnings,
a histogram of pair similarity); "sites copying from sites" and the documents
and families listed for finding (:mod:`dupdetect.views.html_lists`); one
section per family, a ``<details>`` closed until opened or followed to (its
anchor or the URL's hash opens it; :mod:`dupdetect.views.html_family`); and
one collapsible section per pair shown (here): both texts side by side, each
reused passage highlighted in both panes under the same number and colour; a
click on a passage scrolls the other pane to its match. Long lists are cut at
a row cap, and the page says where. The parts share their escaping and table
cells (:mod:`dupdetect.views.html_parts`); the style and script are
:mod:`dupdetect.views.html_assets`. Every public name of the parts can be
imported from this module.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dupdetect.model.types import DocPair, Family, Report
from dupdetect.views.html_assets import CSS, JS
from dupdetect.views.html_family import ROLE_COLOURS, families_section, family_svg, graph_labels, short_label
from dupdetect.views.html_lists import SiteFlow, browse_section, site_flows, sites_section
from dupdetect.views.html_parts import (
    TABLE_ROWS,
    ReportIndex,
    doc_cell,
    esc,
    more_rows,
    share_cell,
    sort_head,
)
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

__all__ = [
    "CSS",
    "JS",
    "PALETTE",
    "ROLE_COLOURS",
    "HtmlOptions",
    "SiteFlow",
    "content_security_policy",
    "csp_hash",
    "esc",
    "family_svg",
    "graph_labels",
    "histogram_svg",
    "page",
    "pair_section",
    "render_html",
    "short_label",
    "site_flows",
    "write_html",
]

PALETTE = 6
"""Passage colours: Paul Tol's pale scheme behind text, his dark scheme for the numbers (CSS classes c0-c5)."""


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """What the HTML report includes."""

    max_pairs: int = 100  # pairs shown side by side (the most similar first); all are listed
    max_families: int = 100  # families drawn as sections (the largest first); all are listed
    min_chars: int = 0  # the "hide matches shorter than" control's starting value
    title: str = "dupdetect report"


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


def render_html(report: Report, texts: Mapping[str, str], *, options: HtmlOptions = HtmlOptions()) -> str:
    """The whole report page; ``texts`` are the documents' texts by id (missing ones are said to be)."""
    report = replace(report, pairs=tuple(report.pairs))  # (the page reads them several times: made once)
    shown = _shown_pairs(report, options.max_pairs)
    marks = document_marks(report, texts, only={d for p in shown for d in (p.a, p.b)})
    index = ReportIndex.of(report, shown, families=options.max_families)
    body = [
        _header(report, options),
        _overview(report),
        sites_section(report, index),
        browse_section(report, index),
        families_section(report, texts, index),
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
    index: ReportIndex,
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


def _pair_table(report: Report, index: ReportIndex) -> str:
    if not report.pairs:
        return '<p class="muted">No pairs: no two documents share a passage.</p>'
    rows = []
    ranked = sorted(report.pairs, key=lambda p: (-p.similarity, p.a, p.b))
    for p in ranked[:TABLE_ROWS]:
        anchor = index.anchors.get((p.a, p.b))
        link = f'<a href="#{anchor}">view</a>' if anchor else ""
        dup = ' <span class="muted">(exact duplicate)</span>' if p.duplicate else ""
        rows.append(
            f"<tr><td>{link}</td><td>{doc_cell(p.a, index.docs.get(p.a))}</td>"
            f"<td>{doc_cell(p.b, index.docs.get(p.b))}{dup}</td>"
            f'<td class="num">{p.similarity:.2f}</td>{share_cell(p.coverage_a)}{share_cell(p.coverage_b)}'
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
        f'<div class="scroll tall"><table class="sortable" id="pair-table">{sort_head(columns)}<tbody>{"".join(rows)}'
        f"</tbody></table></div>{more_rows(len(ranked) - TABLE_ROWS, 'pairs', 'dupdetect pairs')}"
    )


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
