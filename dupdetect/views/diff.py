"""Two documents side by side in the terminal: a rich renderable, never printed here.

Rows follow the first document (A). A passage A shares with B is one row:
A's text on the left, B's matching text on the right, both under the same
number and colour, wherever the passage stands in B (a moved passage says
where it is in B). Text only one side has gets a row of its own, dimmed:
A's where it stands in A, B's right after the passage it follows in B.
Placeholders and slots of a template, and each member's fills, are marked
inside the passages.

Colours are Paul Tol's pale scheme (text backgrounds) with its dark scheme
for the numbers, so they stay apart for colour-blind readers; without
colour (``NO_COLOR``) passages are underlined, numbers, placeholders and
fills reversed or bold, and unmatched text dimmed. When the output is not a
terminal rich drops every style and the numbers carry the pairing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dupdetect.model.types import Span
from dupdetect.views.marks import Mark, PairView, Side, moved_passages, ordinal

PALE = ("#BBCCEE", "#CCEEFF", "#CCDDAA", "#EEEEBB", "#FFCCCC", "#DDDDDD")
"""Paul Tol's pale scheme: backgrounds behind text."""
DARK = ("#222255", "#225555", "#225522", "#666633", "#663333", "#555555")
"""Paul Tol's dark scheme: the passage numbers, white on these."""


@dataclass(frozen=True, slots=True)
class DiffStyles:
    """The rich styles of a diff: one per passage colour, and one per kind of mark."""

    passages: tuple[str, ...]
    labels: tuple[str, ...]
    unmatched: str
    placeholder: str
    slot: str
    fill: str
    chrome: str
    note: str
    edit: str = "italic underline"


def diff_styles(*, color: bool = True) -> DiffStyles:
    """Styles with colour, or (``color=False``) with reverse, underline, bold and dim only."""
    if not color:
        return DiffStyles(
            ("underline",), ("bold reverse",), "dim", "reverse", "reverse", "bold", "dim strike", "italic"
        )
    return DiffStyles(
        passages=tuple(f"#000000 on {c}" for c in PALE),
        labels=tuple(f"bold #FFFFFF on {c}" for c in DARK),
        unmatched="dim",
        placeholder="bold #FFFFFF on #AA3377",
        slot="bold #FFFFFF on #AA3377",
        fill="bold underline #882255",
        chrome="dim strike",
        note="italic dim",
        edit="underline #CC6677",
    )


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A stretch ``[start, tail)`` of one side's text: passage ``number`` up to ``end`` (0: unmatched).

    The tail is a few characters of unmatched text (punctuation, a heading
    number) after the passage, shown with it rather than in a row of its own.
    """

    start: int
    end: int
    number: int = 0
    tail: int = -1

    @property
    def stop(self) -> int:
        """Where the chunk's text ends, tail included."""
        return max(self.end, self.tail)


_Row = tuple[_Chunk | None, _Chunk | None]
SHORT_GAP = 4
"""Unmatched text of at most this many visible characters joins the passage before it."""


def render_diff(view: PairView, *, color: bool = True) -> RenderableType:
    """The pair as a header, a legend and a two-column table of aligned rows."""
    styles = diff_styles(color=color)
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=True, pad_edge=False)
    table.add_column(Text(f"A  {view.a.info.id}", style="bold"), ratio=1, overflow="fold")
    table.add_column(Text(f"B  {view.b.info.id}", style="bold"), ratio=1, overflow="fold")
    ranks = moved_passages(view)
    for left, right in diff_rows(view):
        table.add_row(
            _cell(view.a, left, styles),
            _cell(view.b, right, styles, _moved(right, ranks)),
        )
    return Group(_header(view), legend(styles), table)


def diff_rows(view: PairView) -> list[_Row]:
    """The rows of the view: A's text in order, each passage next to its match in B.

    After passage ``k``'s row comes a row of what follows it in A and what
    follows it in B (unmatched text on either side), so a moved passage takes
    B's text around it along.
    """
    if view.a.text is None or view.b.text is None:
        return [(_whole(view.a), _whole(view.b))]
    a_gaps, a_tails = _gaps(view.a.text, [p.a for p in view.passages])
    b_gaps, b_tails = _gaps(view.b.text, [p.b for p in view.passages])
    rows: list[_Row] = [(a_gaps.get(0), b_gaps.get(0))]
    for number, p in enumerate(view.passages, start=1):
        rows.append(
            (
                _Chunk(p.a.start, p.a.end, number, a_tails.get(number, -1)),
                _Chunk(p.b.start, p.b.end, number, b_tails.get(number, -1)),
            )
        )
        rows.append((a_gaps.get(number), b_gaps.get(number)))
    return [row for row in rows if _shown(view, row)]


def _whole(side: Side) -> _Chunk | None:
    return _Chunk(0, len(side.text)) if side.text is not None else None


def _gaps(text: str, spans: Sequence[Span]) -> tuple[dict[int, _Chunk], dict[int, int]]:
    """A side's unmatched stretches, keyed by the passage number they follow (0: before all).

    Short stretches are returned apart, as the tail end of the passage they follow.
    """
    gaps: dict[int, _Chunk] = {}
    tails: dict[int, int] = {}
    pos, after = 0, 0
    for i in sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end)):
        if spans[i].start > pos:
            _add_gap(text, pos, spans[i].start, after, gaps, tails)
        if spans[i].end >= pos:
            pos, after = spans[i].end, i + 1
    if pos < len(text):
        _add_gap(text, pos, len(text), after, gaps, tails)
    return gaps, tails


def _add_gap(text: str, start: int, end: int, after: int, gaps: dict[int, _Chunk], tails: dict[int, int]) -> None:
    """File one unmatched stretch: its first line joins the passage before it when that line is short."""
    if after:
        newline = text.find("\n", start, end)
        head = end if newline < 0 or _visible(text[start:end]) <= SHORT_GAP else newline
        if _visible(text[start:head]) <= SHORT_GAP:
            tails[after] = head
            start = head
    if _visible(text[start:end]):
        gaps[after] = _Chunk(start, end)


def _visible(text: str) -> int:
    return len("".join(text.split()))


def _shown(view: PairView, row: _Row) -> bool:
    """Whether a row has any visible text (newlines between passages are not worth a row)."""
    sides = ((view.a, row[0]), (view.b, row[1]))
    return any(c is not None and s.text is not None and s.text[c.start : c.end].strip() for s, c in sides)


def _moved(chunk: _Chunk | None, moved: dict[int, int]) -> str:
    """A note for a passage that stands elsewhere in B than in A."""
    if chunk is None or chunk.number not in moved:
        return ""
    return f"moved: {ordinal(moved[chunk.number])} in B"


def _cell(side: Side, chunk: _Chunk | None, styles: DiffStyles, note: str = "") -> Text:
    """One side's chunk, trimmed of blank lines, with its marks and its passage number."""
    if chunk is None:
        return Text("")
    if side.text is None:
        return Text("text not available (see the warnings)", style=styles.note)
    start, end = _trim(side.text, chunk.start, chunk.end)
    colour = (chunk.number - 1) % len(styles.passages)
    body = Text(side.text[start:end], style=styles.passages[colour] if chunk.number else styles.unmatched)
    for mark in side.marks:
        if mark.kind != "passage" and mark.span.start < end and mark.span.end > start:
            body.stylize(mark_style(mark, styles), max(mark.span.start, start) - start, min(mark.span.end, end) - start)
    if chunk.tail > end:
        body.append(side.text[end : chunk.tail].rstrip(), style=styles.unmatched)
    if not chunk.number:
        return body
    head = Text.assemble((f"[{chunk.number}]", styles.labels[colour % len(styles.labels)]), " ")
    if note:
        head.append(f"({note}) ", style=styles.note)
    return head + body


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in "\r\n":
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _header(view: PairView) -> RenderableType:
    """Who A and B are, how much of each the other reuses, and the pair's similarity."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(style="bold", overflow="fold", max_width=40)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")
    for name, side, other in (("A", view.a, "B"), ("B", view.b, "A")):
        info = side.info
        role = f"{info.role} in {info.family}, " if info.role else ""
        title = info.title if info.title != info.id else ""
        grid.add_row(name, info.id, title, Text(f"{role}{side.coverage:.0%} reused in {other}", style="italic"))
    if view.pair is None:
        summary = Text("No reused passages: the two documents share nothing the scan reports.", style="bold")
    else:
        summary = Text(
            f"similarity {view.pair.similarity:.2f} · {_count(len(view.passages), 'passage')} · "
            f"{view.pair.shared_chars:,} shared characters · numbered in A's order"
        )
    return Group(grid, summary)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def legend(styles: DiffStyles) -> Text:
    """One line naming each kind of mark in its own style."""
    line = Text("legend: ", style=styles.note)
    items: Sequence[tuple[str, str]] = (
        ("[n]", styles.labels[0]),
        (" passage ", styles.passages[0]),
        ("  ", ""),
        ("×× placeholder/slot", styles.placeholder),
        ("  ", ""),
        ("fill", styles.fill),
        ("  ", ""),
        ("only in one document", styles.unmatched),
        ("  ", ""),
        ("page chrome", styles.chrome),
        ("  ", ""),
        ("edit", styles.edit),
    )
    for text, style in items:
        line.append(text, style=style)
    return line


def mark_style(mark: Mark, styles: DiffStyles) -> str:
    """The style a view draws ``mark`` in."""
    if mark.kind == "passage":
        return styles.passages[(mark.number - 1) % len(styles.passages)]
    kinds = {"placeholder": styles.placeholder, "slot": styles.slot, "fill": styles.fill, "chrome": styles.chrome}
    return kinds.get(mark.kind, styles.edit)
