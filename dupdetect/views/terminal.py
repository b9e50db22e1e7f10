"""Report -> rich renderables for the terminal. Returns renderables, never prints."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from dupdetect.model.evaluate import Evaluation
from dupdetect.model.report import reused_share, slots_per_family
from dupdetect.model.types import Passage, Report, ScanWarning, Slot
from dupdetect.model.words import counted
from dupdetect.text import middle_ellipsis

EXCERPT_CELLS = 40
_PLACEHOLDER_STYLE = "bold magenta"
_FILL_STYLE = "green"
_SLOT_MARK_RE = re.compile(r"(\{\d+\})")
_ROLE_STYLE = {"template": "bold green", "copy": "cyan", "partial": "yellow", "mosaic": "magenta"}


ROLES_LEGEND = (
    "role: template = the member the others were made from (most placeholders in shared text, else the earliest "
    "dated); copy = at least half of it is the template's text; partial = it shares passages with the family, "
    "less than half of it the template's; mosaic = it draws on two or more families. reused = the largest share "
    "of a member's text that one other document also holds."
)
PASSAGES_LEGEND = (
    "sim = how alike the shared passages are (1.00: the same characters); chars = the passage's length in "
    "characters; offsets = where it stands in each text."
)
SHOWN_FAMILIES = 30  # the terminal summary shows the largest families; report.json holds them all
SHOWN_MEMBERS = 12


def render_scan(
    report: Report, texts: Mapping[str, str], *, passages: int = 10, families: int = SHOWN_FAMILIES
) -> RenderableType:
    """The scan summary: counts, the largest families and the longest reused passages."""
    parts: list[RenderableType] = [render_counts(report), render_families(report, limit=families)]
    if report.pairs:
        parts.append(render_passages(report, texts, limit=passages))
    return Group(*parts)


def render_counts(report: Report) -> Text:
    """One line of the corpus and result counts."""
    c = report.counts
    fields = [
        counted(c.get("documents", 0), "document"),
        f"{c.get('inputs_skipped', 0)} skipped",
        counted(c.get("exact_duplicates", 0), "exact duplicate"),
        counted(c.get("pairs", 0), "pair"),
        counted(c.get("passages", 0), "passage"),
        counted(c.get("families", 0), "family", "families"),
        counted(c.get("mosaics", 0), "mosaic"),
    ]
    stock = c.get("stock_shingles", 0)
    if stock:  # (what it means, said where it is shown)
        fields.append(f"{counted(stock, 'stock-phrase shingle')} (the genre's set phrases, not counted as reuse)")
    line = Text("dupdetect ", style="bold")
    line.append(f"{report.tool_version}: ")
    line.append(", ".join(fields))
    chrome = {k.removeprefix("chrome_"): v for k, v in c.items() if k.startswith("chrome_")}
    if c.get("parts") or chrome:
        line.append(f"\n{counted(c.get('parts', 0), 'document')} cut from compilation pages; page chrome removed: ")
        line.append(", ".join(f"{rule} {n}" for rule, n in chrome.items()) or "none")
    return line


def render_families(report: Report, *, limit: int | None = None, members: int | None = SHOWN_MEMBERS) -> RenderableType:
    """A table of the families: each member's title, id, role and reused share.

    With ``limit``, only the first (largest) families are shown, and with
    ``members`` only a family's first members; a note says what was left out.
    """
    if not report.families:
        return Text("No families: no two documents share a substantial passage.")
    table = legend_table("Template families", ROLES_LEGEND)
    table.add_column("family", no_wrap=True)
    table.add_column("member: title / id")
    table.add_column("role")
    table.add_column("reused", justify="right")
    titles = {d.id: d.title for d in report.documents}
    coverage = reused_share(report.pairs)
    slots = slots_per_family(report)
    shown = report.families[:limit] if limit is not None else report.families
    for fam in shown:
        listed = fam.members[:members] if members is not None else fam.members
        for i, member in enumerate(listed):
            role = fam.roles.get(member, "")
            table.add_row(
                _family_cell(fam.id, len(fam.members), slots.get(fam.id, 0), i),
                member_cell(member, titles.get(member, "")),
                Text(role, style=_ROLE_STYLE.get(role, "")),
                f"{coverage.get(member, 0.0):.0%}",
                end_section=i == len(listed) - 1 and len(listed) == len(fam.members),
            )
        if len(listed) < len(fam.members):
            more = Text(f"… {len(fam.members) - len(listed)} more members", style="dim")
            table.add_row("", more, "", "", end_section=True)
    if len(shown) == len(report.families):
        return table
    rest = report.families[len(shown) :]
    note = Text(
        f"… {len(rest)} more families ({sum(len(f.members) for f in rest)} members) not shown here: "
        "`--out DIR` writes them all to report.json, `dupdetect families REPORT.json` lists them",
        style="dim",
    )
    return Group(table, note)


def legend_table(title: str, legend: str) -> Table:
    """A table with its title above and, dimmed below it, what its figures mean."""
    return Table(title=title, title_justify="left", caption=legend, caption_justify="left", caption_style="dim")


def _family_cell(family: str, size: int, slots: int, row: int) -> str:
    """The family column: its id and size on the first row, its slot count on the second."""
    if row == 0:
        return f"{family} ({size})"
    return f"{slots} slots" if row == 1 else ""


def member_cell(doc_id: str, title: str) -> RenderableType:
    """A document as its title (when it has one) over its id, dimmed; the id shortened in the middle to fit."""
    if not title or title == doc_id:
        return Squeezed(safe(doc_id))
    return Group(Text(safe(title), overflow="fold"), Squeezed(safe(doc_id), style="dim"))


class Squeezed:
    """One line of text that a table never wraps: where its column is narrower, it loses characters from
    its middle (``sources/…/g31.txt``, :func:`dupdetect.text.middle_ellipsis`), keeping its start and its
    file name readable.

    A table may narrow it to ``minimum`` cells; it asks for its whole width.
    """

    def __init__(self, text: str, *, style: str = "", minimum: int = 12) -> None:
        self.text = text
        self.style = style
        self.minimum = minimum

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.text)
        return Measurement(min(width, self.minimum), width).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(middle_ellipsis(self.text, options.max_width, file_name=True), style=self.style, no_wrap=True)


_INERT = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
_INERT.update({c: f"\\u{c:04x}" for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def safe(text: str) -> str:
    """``text`` made inert for a terminal: control characters, escape sequences and bidi
    overrides shown as ``\\xNN`` / ``\\uNNNN``. Pass the result as ``Text``, never as markup."""
    return text.translate(_INERT)


def render_passages(report: Report, texts: Mapping[str, str], *, limit: int = 10) -> RenderableType:
    """The longest reused passages, each with a short excerpt from both sides."""
    ranked = sorted(
        ((p, pair) for pair in report.pairs if not pair.duplicate for p in pair.passages),
        key=lambda pp: (-pp[0].matched, pp[1].a, pp[1].b, pp[0].a),
    )[:limit]
    table = legend_table("Longest reused passages", PASSAGES_LEGEND)
    table.add_column(Text("document A [offsets]"))
    table.add_column(Text("document B [offsets]"))
    table.add_column("chars", justify="right")
    table.add_column("sim", justify="right")
    table.add_column("excerpt (A)", overflow="ellipsis", min_width=16)
    for passage, pair in ranked:
        table.add_row(
            Group(Squeezed(safe(pair.a)), Text(f"[{passage.a.start}:{passage.a.end}]")),
            Group(Squeezed(safe(pair.b)), Text(f"[{passage.b.start}:{passage.b.end}]")),
            str(passage.matched),
            f"{passage.similarity:.2f}",
            Text(excerpt(texts.get(pair.a, ""), passage), no_wrap=True, overflow="ellipsis"),
        )
    return table


def excerpt(text: str, passage: Passage, *, cells: int = EXCERPT_CELLS) -> str:
    """The start of a passage's side A as one line of at most ``cells`` terminal cells."""
    piece = safe(" ".join(text[passage.a.start : passage.a.end].split()))
    if cell_len(piece) <= cells:
        return piece
    width = 0
    for end, ch in enumerate(piece):
        width += cell_len(ch)
        if width > cells - 1:
            return piece[:end] + "…"
    return piece


def render_warnings(warnings: tuple[ScanWarning, ...]) -> RenderableType:
    """Every warning on one line: the input it concerns, then the problem."""
    lines = Text()
    for i, w in enumerate(warnings):
        if i:
            lines.append("\n")
        lines.append("warning: ", style="bold yellow")
        lines.append(f"{safe(w.source)}: {safe(w.message)}")
    return lines


def render_slots(report: Report, family: str | None = None) -> RenderableType:
    """Per family: each slot, its template text and what each member put there."""
    families = [f for f in report.families if family in (None, f.id)]
    by_family: dict[str, list[Slot]] = {}
    for s in report.slots:  # (one pass: a report's slots may be made from columns as they are read)
        if family in (None, s.family):
            by_family.setdefault(s.family, []).append(s)
    tables: list[RenderableType] = []
    for fam in families:
        slots = by_family.get(fam.id, [])
        if not slots:
            continue
        members = [m for m in fam.members if m != fam.template and any(m in s.fills for s in slots)]
        table = Table(
            title=Text(f"{fam.id}: slots of {safe(fam.template or '')}"), title_justify="left", show_lines=True
        )
        table.add_column("slot", justify="right")
        table.add_column("template text")
        for m in members:
            table.add_column(Squeezed(safe(m)))
        for s in slots:
            label = Text(str(s.slot)) if s.kind == "explicit" else Text(f"{s.slot}*", style="italic")
            cells = [
                Text(safe(s.fills[m]), style=_FILL_STYLE) if m in s.fills else Text("—", style="dim") for m in members
            ]
            table.add_row(label, Text(safe(s.template_text), style=_PLACEHOLDER_STYLE), *cells)
        tables.append(table)
    if not tables:
        return Text("No slots: no family has a template with placeholders or varying fills.")
    tables.append(Text("* an implicit slot: members differ there though the template has no placeholder", style="dim"))
    return Group(*tables)


def render_template(report: Report, family: str) -> RenderableType:
    """One family's template text with its slots numbered, then the slot table."""
    template = next((t for t in report.templates if t.family == family), None)
    if template is None:
        return Text(f"Family {family} has no template.")
    text = Text(f"{family} template ({safe(template.doc)}):\n", style="bold")
    for piece in _SLOT_MARK_RE.split(safe(template.text)):
        text.append(piece, style=_PLACEHOLDER_STYLE if _SLOT_MARK_RE.fullmatch(piece) else "")
    return Group(text, Text(""), render_slots(report, family), render_edits(report, family))


_EDIT_ROWS = 50  # edits a terminal lists per family; the rest are counted


def render_edits(report: Report, family: str) -> RenderableType:
    """What each member of a family changed that is not a slot: reworded, added or dropped text."""
    edits = [e for e in report.edits if e.family == family]
    if not edits:
        return Text("")
    table = Table(title=Text(f"{family}: edits (changes that are not slots)"), title_justify="left", show_lines=True)
    table.add_column("member", overflow="fold")
    table.add_column("template", overflow="fold")
    table.add_column("member's text", overflow="fold")
    for e in edits[:_EDIT_ROWS]:
        table.add_row(
            Text(safe(e.doc)),
            Text(safe(e.template_text)) if e.template_text else Text("(nothing)", style="dim"),
            Text(safe(e.text), style=_FILL_STYLE) if e.text else Text("(dropped)", style="dim"),
        )
    if len(edits) > _EDIT_ROWS:
        return Group(table, Text(f"and {len(edits) - _EDIT_ROWS} more edits", style="dim"))
    return table


def render_evaluation(evaluation: Evaluation, *, errors: bool = False) -> RenderableType:
    """Precision, recall and F1 of each kind of finding; with ``errors``, the pairs it got wrong."""
    table = Table(title="Scores against the labels", title_justify="left")
    for name, justify in [("what", "left"), ("precision", "right"), ("recall", "right"), ("F1", "right")]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("found / expected / right", justify="right")
    rows = [
        ("family pairs", evaluation.families),
        ("reported pairs", evaluation.pairs),
        ("slot fills", evaluation.fills),
        ("pairs with a Traditional member", evaluation.traditional),
    ]
    for name, score in rows:
        table.add_row(
            name,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            f"{score.found} / {score.expected} / {score.matched}",
        )
    for kind, score in evaluation.by_kind.items():  # a kind's pairs can only be counted as found or missed
        table.add_row(
            f"family pairs of kind {kind}", "—", f"{score.recall:.3f}", "—", f"— / {score.expected} / {score.matched}"
        )
    if not errors:
        return table
    lines = Text()
    for label, pairs in (("false pair", evaluation.false_pairs), ("missed pair", evaluation.missed_pairs)):
        for a, b in pairs:
            lines.append(f"{label}: ", style="yellow")
            lines.append(f"{safe(a)}  {safe(b)}\n")
    return Group(table, lines or Text("No wrong family pairs."))
