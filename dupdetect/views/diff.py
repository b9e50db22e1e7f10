"""Two documents side by side in the terminal: a rich renderable, never printed here.

Rows follow the first document (A). A passage A shares with B is one row:
A's text on the left, B's matching text on the right, both under the same
number and colour, wherever the passage stands in B (a moved passage says
where it is in B). Text only one side has gets a row of its own, dimmed:
A's where it stands in A, B's right after the passage it follows in B.
Placeholders and slots of a template, and each member's fills, are marked
inside the passages.

What is drawn depends on the console it is printed to (:class:`DiffView`
asks it when it renders). With 256 colours or truecolor, passages are on
Paul Tol's pale scheme (text backgrounds) with his dark scheme for the
numbers, so they stay apart for colour-blind readers; placeholders, slots
and fills are white on dark boxes. With 16 colours, whose shades each
terminal theme picks, passages are black on white and numbers,
placeholders, slots and fills reversed, which every theme keeps legible.
Without colour (``NO_COLOR``) passages are underlined, numbers,
placeholders and fills reversed or bold, and unmatched text dimmed. When
nothing would be styled (the output is not a terminal, ``TERM=dumb``) the
marks are plain text: ``[n] … [/n]`` around passage n, ``{{…}}`` a
placeholder or slot, ``{…}`` a fill, ``|…|`` an edit, ``~…~`` page
chrome; the legend names these markers.

The view's display only: a passage's row never starts with closing
punctuation ("，", "。": it is shown at the end of the text before it), a
list numeral ("二、", "（三）") cut from the passage it heads is shown with
that passage, and text is broken into lines by Chinese rules (no line
starts with closing punctuation, not even one of the source's, or ends with
opening punctuation, a list numeral stays with its clause); the passages'
offsets are the report's.
Long document names in the header lose their middle, never their file
name.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from dupdetect.model.types import Span
from dupdetect.text import middle_ellipsis
from dupdetect.views.marks import Mark, PairView, Side, moved_passages, ordinal

PALE = ("#BBCCEE", "#CCEEFF", "#CCDDAA", "#EEEEBB", "#FFCCCC", "#DDDDDD")
"""Paul Tol's pale scheme: backgrounds behind text."""
DARK = ("#222255", "#225555", "#225522", "#666633", "#663333", "#555555")
"""Paul Tol's dark scheme: the passage numbers, white on these."""
HOLE = "#993366"
"""Behind a placeholder or slot (white on it: contrast 6.9, 5.5 in 256 colours)."""
FILLED = "#004488"
"""Behind a fill (white on it: contrast 9.6, 7.0 in 256 colours)."""


@dataclass(frozen=True, slots=True)
class DiffStyles:
    """The rich styles of a diff: one per passage colour, and one per kind of mark.

    ``plain``: nothing is styled; marks are drawn as the text markers of :data:`MARKERS`.
    """

    passages: tuple[str, ...]
    labels: tuple[str, ...]
    unmatched: str
    placeholder: str
    slot: str
    fill: str
    chrome: str
    note: str
    edit: str = "italic underline"
    plain: bool = False


def diff_styles(*, color: bool = True, system: str | None = "truecolor") -> DiffStyles:
    """The styles for a console's colour ``system`` (rich's names: ``standard``, ``256``, ``truecolor``, ``windows``).

    ``system`` None (nothing is styled): plain-text markers. ``color=False``
    (``NO_COLOR``): reverse, underline, bold and dim only.
    """
    if system is None:
        return DiffStyles(("",), ("",), "", "", "", "", "", "", "", plain=True)
    if not color:
        return DiffStyles(
            ("underline",), ("bold reverse",), "dim", "reverse", "reverse", "bold", "dim strike", "italic"
        )
    if system in ("standard", "windows"):  # the 16 colours are the theme's: only black on white and reverse hold
        return DiffStyles(
            passages=("black on white",),
            labels=("bold reverse",),
            unmatched="dim",
            placeholder="bold not dim reverse",
            slot="bold not dim reverse",
            fill="bold not dim underline reverse",
            chrome="dim strike",
            note="italic dim",
        )
    return DiffStyles(
        passages=tuple(f"#000000 on {c}" for c in PALE),
        labels=tuple(f"bold #FFFFFF on {c}" for c in DARK),
        unmatched="dim",
        placeholder=f"bold not dim #FFFFFF on {HOLE}",
        slot=f"bold not dim #FFFFFF on {HOLE}",
        fill=f"bold not dim #FFFFFF on {FILLED}",
        chrome="dim strike",
        note="italic dim",
    )


MARKERS = {
    "placeholder": ("{{", "}}"),
    "slot": ("{{", "}}"),
    "fill": ("{", "}"),
    "edit": ("|", "|"),
    "chrome": ("~", "~"),
}
"""The plain-text markers around each kind of mark (passage n: ``[n]`` … ``[/n]``)."""
_PRIORITY = {"fill": 4, "placeholder": 3, "slot": 3, "edit": 2, "chrome": 1}
"""Where marks overlap, plain text shows the one of highest priority."""


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A stretch ``[start, tail)`` of one side's text: passage ``number`` up to ``end`` (0: unmatched).

    The tail is a few characters of unmatched text (punctuation, a heading
    number) after the passage, shown with it rather than in a row of its own.
    ``shown`` is the stretch the view draws, when not ``[start, stop)``: its
    ends moved off punctuation and list numerals (:func:`_display_bounds`).
    """

    start: int
    end: int
    number: int = 0
    tail: int = -1
    shown: tuple[int, int] | None = None

    @property
    def stop(self) -> int:
        """Where the chunk's text ends, tail included."""
        return max(self.end, self.tail)

    @property
    def drawn(self) -> tuple[int, int]:
        """The stretch the view draws."""
        return self.shown if self.shown is not None else (self.start, self.stop)


_Row = tuple[_Chunk | None, _Chunk | None]
SHORT_GAP = 4
"""Unmatched text of at most this many visible characters joins the passage before it."""


@dataclass(frozen=True)
class DiffView:
    """The diff of a pair: a renderable that picks its styles from the console it is printed to."""

    view: PairView
    color: bool = True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield render_with(
            self.view, diff_styles(color=self.color and not console.no_color, system=console.color_system)
        )


def render_diff(view: PairView, *, color: bool = True) -> DiffView:
    """The pair as a header, a legend and a two-column table of aligned rows, styled for the console."""
    return DiffView(view, color)


def render_with(view: PairView, styles: DiffStyles) -> RenderableType:
    """The pair as a header, a legend and a two-column table of aligned rows, in ``styles``."""
    view = drawable(view)
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=True, pad_edge=False)
    table.add_column(_Name("A  ", view.a.info.id, "bold"), ratio=1, overflow="fold")
    table.add_column(_Name("B  ", view.b.info.id, "bold"), ratio=1, overflow="fold")
    ranks = moved_passages(view)
    marks_a, marks_b = _MarkIndex.of(view.a.marks), _MarkIndex.of(view.b.marks)
    for left, right in diff_rows(view):
        table.add_row(
            _cell(view.a, left, styles, marks_a),
            _cell(view.b, right, styles, marks_b, _moved(right, ranks)),
        )
    return Group(_header(view), legend(styles), table)


_UNDRAWABLE = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\t\r\x0b\x0c"), " "),
        **dict.fromkeys([c for c in range(0x20) if chr(c) not in "\n\t\r\x0b\x0c"], "\ufffd"),
        **dict.fromkeys([0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F)], "\ufffd"),
        **dict.fromkeys(range(0x2066, 0x206A), "\ufffd"),
    }
)


def drawable(view: PairView) -> PairView:
    """The pair with each text made safe to draw, character for character (every offset still holds): a
    tab, carriage return, vertical tab or form feed becomes a space (a terminal would move the cursor, and
    rich drops them, which shifted every mark after them), an escape or other control character and a
    bidirectional override become "\ufffd" (none reaches the terminal).

    >>> drawable_text("a\\tb\\r\\n\\x1b[31m\\u202e") == "a b \\n\\ufffd[31m\\ufffd"
    True
    """
    return dataclasses.replace(
        view,
        a=dataclasses.replace(view.a, text=drawable_text(view.a.text)),
        b=dataclasses.replace(view.b, text=drawable_text(view.b.text)),
    )


def drawable_text(text: str | None) -> str | None:
    """``text`` with the characters :func:`drawable` replaces replaced, one for one."""
    return None if text is None else text.translate(_UNDRAWABLE)


@dataclass(frozen=True, slots=True)
class _MarkIndex:
    """A side's marks by where they start, so a cell finds the few it overlaps without reading them all."""

    order: tuple[int, ...]  # the marks' positions in the side's list, by start
    starts: tuple[int, ...]
    marks: tuple[Mark, ...]
    longest: int

    @classmethod
    def of(cls, marks: Sequence[Mark]) -> _MarkIndex:
        order = tuple(sorted(range(len(marks)), key=lambda i: (marks[i].span.start, i)))
        longest = max((m.span.end - m.span.start for m in marks), default=0)
        return cls(order, tuple(marks[i].span.start for i in order), tuple(marks), longest)

    def overlapping(self, start: int, stop: int) -> list[Mark]:
        """The marks that overlap ``[start, stop)``, in the side's order (where two overlap, the order
        decides which is drawn)."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, stop)
        found = sorted(i for i in self.order[first:last] if self.marks[i].span.end > start)
        return [self.marks[i] for i in found]


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
    left = _display_bounds(view.a.text, [r[0] for r in rows if r[0] is not None])
    right = _display_bounds(view.b.text, [r[1] for r in rows if r[1] is not None])
    rows = [(_get(left, a), _get(right, b)) for a, b in rows]
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


def _display_bounds(text: str, chunks: Sequence[_Chunk]) -> dict[int, _Chunk]:
    """The chunks (by ``id``) whose drawn ends move where two of them meet in the text.

    Where one chunk ends and the next begins, a list numeral the boundary
    cuts or ends ("（|二）", "二、|") goes to the next chunk, with the clause
    it opens (even when the passage before took part of it: "二|、"); else
    closing punctuation that would start the next chunk ("|，", "|。") stays
    with the text before it, and opening punctuation that would end the
    chunk before ("【|", "“|") goes with the text after it. Offsets are not
    changed.
    """
    shown = {id(c): c.drawn for c in chunks}
    ending = {c.stop: c for c in sorted(chunks, key=lambda c: (c.stop, c.start)) if c.stop > c.start}
    for nxt in sorted(chunks, key=lambda c: (c.start, c.stop)):
        before = ending.get(nxt.start)
        if before is None or before is nxt:
            continue
        cut = nxt.start
        numeral = numeral_at(text, cut)
        if numeral is not None and numeral[0] > max(shown[id(before)][0], before.start):
            cut = numeral[0]
        else:
            limit = min(shown[id(nxt)][1], nxt.end if nxt.number else nxt.stop) - 1
            while cut < limit and text[cut] in CLOSING:
                cut += 1
            if cut == nxt.start:  # "【|松涛范文网】": opening punctuation goes with what it opens
                low = max(shown[id(before)][0], before.start) + 1
                while cut > low and text[cut - 1] in OPENING:
                    cut -= 1
        if cut != nxt.start:
            shown[id(before)] = (shown[id(before)][0], cut)
            shown[id(nxt)] = (cut, shown[id(nxt)][1])
    return {id(c): dataclasses.replace(c, shown=shown[id(c)]) for c in chunks if shown[id(c)] != (c.start, c.stop)}


def _get(moved: dict[int, _Chunk], chunk: _Chunk | None) -> _Chunk | None:
    return None if chunk is None else moved.get(id(chunk), chunk)


def _shown(view: PairView, row: _Row) -> bool:
    """Whether a row has any visible text (newlines between passages are not worth a row)."""
    sides = ((view.a, row[0]), (view.b, row[1]))
    return any(c is not None and s.text is not None and s.text[slice(*c.drawn)].strip() for s, c in sides)


def _moved(chunk: _Chunk | None, moved: dict[int, int]) -> str:
    """A note for a passage that stands elsewhere in B than in A."""
    if chunk is None or chunk.number not in moved:
        return ""
    return f"moved: {ordinal(moved[chunk.number])} in B"


def _cell(side: Side, chunk: _Chunk | None, styles: DiffStyles, marks: _MarkIndex, note: str = "") -> RenderableType:
    """One side's chunk, trimmed of blank lines, with its marks and its passage number."""
    if chunk is None:
        return Text("")
    if side.text is None:
        return Text("text not available (see the warnings)", style=styles.note)
    text = side.text
    start, stop = _trim(text, *chunk.drawn)
    colour = (chunk.number - 1) % len(styles.passages)
    out = Text()
    if chunk.number:
        out.append(f"[{chunk.number}]", style=styles.labels[colour % len(styles.labels)])
        out.append(" ")
    if note:
        out.append(f"({note}) ", style=styles.note)
    inside = (max(chunk.start, start), min(chunk.end, stop)) if chunk.number else (start, start)
    if styles.plain:
        body, glue = _plain_body(text, start, stop, inside, chunk.number, marks.overlapping(start, stop))
        offset = len(out)
        out.append(body)
        return Wrapped(out, frozenset(g + offset for g in glue))
    offset = len(out)
    for piece_start, piece_end, style in (
        (start, inside[0], styles.unmatched),
        (*inside, styles.passages[colour]),
        (inside[1], stop, styles.unmatched),
    ):
        if piece_end > piece_start:
            out.append(text[piece_start:piece_end], style=style)
    for mark in marks.overlapping(start, stop):
        if mark.kind != "passage":
            out.stylize(
                mark_style(mark, styles),
                offset + max(mark.span.start, start) - start,
                offset + min(mark.span.end, stop) - start,
            )
    return Wrapped(out)


def _plain_body(
    text: str, start: int, stop: int, inside: tuple[int, int], number: int, marks: Sequence[Mark]
) -> tuple[str, set[int]]:
    """``text[start:stop]`` with plain-text markers, and the positions a line may not break at (around them)."""
    held: list[Mark | None] = [None] * (stop - start)  # the mark shown at each character
    for mark in marks:
        if mark.kind in _PRIORITY:
            first, end = max(mark.span.start, start), min(mark.span.end, stop)
            while first < end and text[first].isspace():  # (a marker never stands apart from what it marks)
                first += 1
            while end > first and text[end - 1].isspace():
                end -= 1
            for i in range(first, end):
                top = held[i - start]
                if top is None or _PRIORITY[mark.kind] > _PRIORITY[top.kind]:
                    held[i - start] = mark
    out: list[str] = []
    glue: set[int] = set()
    size = 0

    def put(marker: str, opening: bool) -> None:
        nonlocal size
        glue.update(range(size + 1, size + len(marker) + 1) if opening else range(size, size + len(marker)))
        out.append(marker)
        size += len(marker)

    current: Mark | None = None
    for i in range(start, stop + 1):
        here = held[i - start] if i < stop else None
        closes = number and i == inside[1]
        if current is not None and (here is not current or closes):
            put(MARKERS[current.kind][1], opening=False)
            current = None
        if closes:
            put(f"[/{number}]", opening=False)
        if i == stop:
            break
        if here is not None and here is not current:
            put(MARKERS[here.kind][0], opening=True)
            current = here
        out.append(_LITERAL.get(text[i], text[i]))
        size += 1
    return "".join(out), glue


_LITERAL = {"[": "［", "]": "］", "{": "｛", "}": "｝", "|": "｜", "~": "～"}
"""In plain text, the text's own marker characters are drawn full-width, so no marker is ambiguous."""


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
    grid.add_column(style="bold", max_width=40)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")
    for name, side, other in (("A", view.a, "B"), ("B", view.b, "A")):
        info = side.info
        role = f"{info.role} in {info.family}, " if info.role else ""
        title = Text(drawable_text(info.title) or "" if info.title != info.id else "")
        coverage = Text(f"{role}{side.coverage:.0%} reused in {other}", style="italic")
        grid.add_row(name, _Name("", drawable_text(info.id) or "", "bold"), title, coverage)
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


def legend(styles: DiffStyles) -> RenderableType:
    """One line naming each kind of mark in its own style (its markers in plain text)."""
    items: Sequence[tuple[str, str]]
    if styles.plain:
        items = (
            ("[n] … [/n]", " passage n, in both documents"),
            ("{{…}}", " placeholder/slot"),
            ("{…}", " fill"),
            ("|…|", " edit"),
            ("~…~", " page chrome"),
            ("", "other text: only in one document (its own [ ] { } | ~ drawn full-width)"),
        )
        line = Text("legend: ")
        glue: set[int] = set()
        for k, (marker, meaning) in enumerate(items):
            if k:
                line.append("  ")
            glue.update(range(len(line) + 1, len(line) + len(marker) + len(meaning)))
            line.append(marker + meaning)
        return Wrapped(line, frozenset(glue))
    line = Text.assemble(("legend: ", styles.note))
    items = (
        ("[n]", styles.labels[0]),
        (" passage ", styles.passages[0]),
        ("  ", ""),
        ("××", styles.placeholder),
        (" placeholder/slot", ""),
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


# --------------------------------------------------------------------------
# names in the header


@dataclass(frozen=True)
class _Name:
    """A document name (a path, often) after ``prefix``, its middle left out when it does not fit."""

    prefix: str
    name: str
    style: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width - cell_len(self.prefix)
        text = Text(
            self.prefix + middle_ellipsis(self.name, room, file_name=True),
            style=self.style,
            no_wrap=True,
            overflow="crop",
        )
        yield text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        whole = cell_len(self.prefix + self.name)
        return Measurement(min(whole, cell_len(self.prefix) + 12), whole)


# --------------------------------------------------------------------------
# line breaking

CLOSING = frozenset("，。、；：？！）］｝〕〉》」』】〗〙〛”’…—·～％‰,.;:?!)]}%")
"""Characters no line may start with."""
OPENING = frozenset("（［｛〔〈《「『【〖〘〚“‘([{")
"""Characters no line may end with."""
_JOINS = CLOSING - frozenset("…—·～％‰%")
"""A source line starting with one of these was broken mid-sentence: it is drawn on the end of the line
before (a line may well start with "——" or "……": a subtitle, a quotation's source)."""
_NUM = "一二三四五六七八九十百零〇两"
NUMERAL_RE = re.compile(
    r"(?<![^\s。！？；：，])"  # at the start of a line or a clause
    rf"(?:[（(][{_NUM}\d]{{1,3}}[）)]"  # （二） (3)
    rf"|[{_NUM}]{{1,3}}[、．.]"  # 四、
    r"|\d{1,3}[、．.](?!\d)"  # 1、 2.
    r"|[①-⑳]"
    rf"|第[{_NUM}\d]{{1,3}}[，、：]"  # 第一，
    r"|[一二三四五六七八九十][是要])"  # 一是 二要
)
"""A list numeral opening a clause: kept with the text that follows it."""


def numeral_at(text: str, pos: int) -> tuple[int, int] | None:
    """The list numeral ``pos`` falls inside or right after (``start < pos <= end``), if any."""
    line = text.rfind("\n", 0, pos) + 1
    for m in NUMERAL_RE.finditer(text, line, min(len(text), pos + 6)):
        if m.start() < pos <= m.end():
            return m.start(), m.end()
    return None


def break_points(line: str, glue: Collection[int] = ()) -> list[bool]:
    """For each ``i`` in ``0..len(line)``: whether a line may break before character ``i``.

    Not before closing punctuation or a space, not after opening
    punctuation, not inside or right after a list numeral, not inside a run
    of narrow characters (a Latin word, a number), not at ``glue``;
    anywhere else (between Chinese characters, after a space).
    """
    n = len(line)
    allowed = [False] * (n + 1)
    kept = set(glue)
    for m in NUMERAL_RE.finditer(line):
        kept.update(range(m.start() + 1, m.end() + 1))
    for i in range(1, n):
        before, here = line[i - 1], line[i]
        if i in kept or here.isspace():
            continue
        if before.isspace():
            allowed[i] = True
        elif here not in CLOSING and before not in OPENING:
            allowed[i] = cell_len(before) > 1 or cell_len(here) > 1
    return allowed


def break_offsets(line: str, width: int, glue: Collection[int] = ()) -> list[int]:
    """Where to cut ``line`` (no newlines) so that each piece, less trailing spaces, fits ``width`` cells.

    Each line ends at the last allowed break that fits (:func:`break_points`);
    at a space instead when the word after it fits a line of its own (as rich
    wraps words); with no allowed break that fits, at the last cell that fits.
    """
    n = len(line)
    allowed = break_points(line, glue)
    prefix = [0, *itertools.accumulate(cell_len(c) for c in line)]
    inked = [0] * (n + 1)  # inked[i]: where line[:i] ends without its trailing spaces
    for i in range(1, n + 1):
        inked[i] = inked[i - 1] if line[i - 1].isspace() else i
    spaced = [i for i in range(1, n) if allowed[i] and line[i - 1].isspace()]
    cuts: list[int] = []
    start = 0
    while True:
        best = space = hard = None
        i = start + 1
        while i <= n and prefix[max(start, inked[i])] - prefix[start] <= width:
            if prefix[i] - prefix[start] <= width:
                hard = i
            if i < n and allowed[i]:
                best = i
                if line[i - 1].isspace():
                    space = i
            i += 1
        if i > n:
            return cuts
        cut = best
        if space is not None and space != best:
            word_end = next((s for s in spaced if s > space), n)
            if prefix[inked[word_end]] - prefix[space] <= width:
                cut = space
        if cut is None:  # nothing to break at: fold (a long number, a URL)
            cut = max(hard or 0, start + 1)
            while cut < n and line[cut].isspace():
                cut += 1
        cuts.append(cut)
        start = cut


def wrap(text: Text, width: int, glue: Collection[int] = ()) -> list[Text]:
    """``text`` as lines of at most ``width`` cells, each of its lines broken by :func:`break_offsets`.

    A line of ``text`` that starts with closing punctuation (a page broken
    mid-sentence before a "，") is drawn on the end of the line before.
    """
    joined = [
        m.start() for m in re.finditer(r"(?<=[^\n])\n(?=[^\n])", text.plain) if text.plain[m.start() + 1] in _JOINS
    ]
    if joined:
        parts = text.divide(p for j in joined for p in (j, j + 1))
        text = Text("").join(part for k, part in enumerate(parts) if k % 2 == 0)
        glue = [g - bisect.bisect_left(joined, g) for g in glue]
    out: list[Text] = []
    offset = 0
    for line in text.split("\n", allow_blank=True):
        plain = line.plain
        local = [g - offset for g in glue if offset <= g <= offset + len(plain)]
        cuts = break_offsets(plain, max(width, 1), local)
        pieces = list(line.divide(cuts)) if cuts else [line]
        for piece in pieces[:-1]:
            piece.rstrip()
        out.extend(pieces)
        offset += len(plain) + 1
    return out


@dataclass(frozen=True)
class Wrapped:
    """A text that renders in lines broken by :func:`wrap` at whatever width it is given."""

    text: Text
    glue: frozenset[int] = field(default_factory=frozenset)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        joined = Text("\n").join(wrap(self.text, options.max_width, self.glue))
        joined.no_wrap = True
        joined.overflow = "fold"
        yield joined

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)
