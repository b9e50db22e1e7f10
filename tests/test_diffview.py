"""The terminal two-pane diff: pairing, widths, colour, NO_COLOR and plain output."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.color import Color, ColorSystem
from rich.console import Console
from rich.style import Style
from rich.terminal_theme import (
    DEFAULT_TERMINAL_THEME,
    DIMMED_MONOKAI,
    MONOKAI,
    NIGHT_OWLISH,
    SVG_EXPORT_THEME,
    TerminalTheme,
)
from typer.testing import CliRunner

from dupdetect import Report
from dupdetect.cli import app
from dupdetect.model.types import Span
from dupdetect.read.ingest import iter_documents
from dupdetect.views.diff import PALE, diff_rows, render_diff
from dupdetect.views.marks import PairView, document_texts, pair_view

TEMPLATE, REORDERED = "famA-template-placeholders.txt", "famA-copy-edited-reordered.txt"
SGR_RE = re.compile(r"\x1b\[([0-9;]*)m")


@pytest.fixture(scope="module")
def texts(fixture_report: Report, speeches_dir: Path) -> dict[str, str]:
    return document_texts(fixture_report, iter_documents([str(speeches_dir)], on_warning=lambda w: None))


@pytest.fixture(scope="module")
def view(fixture_report: Report, texts: dict[str, str]) -> PairView:
    return pair_view(fixture_report, texts, TEMPLATE, REORDERED)


def _render(view: PairView, *, width: int, terminal: bool = False, no_color: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=terminal,
        no_color=no_color,
        color_system="truecolor" if terminal else None,
    )
    console.print(render_diff(view, color=not no_color), highlight=False)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("system", [None, "truecolor"])
def test_every_line_fits_the_terminal_with_cjk_counted_double(view: PairView, width: int, system: str | None) -> None:
    lines = _capture(view, width=width, system=system)
    # (no line is wider than the terminal: rich crops it; test_every_character_of_both_texts_is_drawn checks
    # that nothing was cropped away). The template's title line, 36 cells (44 with plain markers), fits its
    # pane whole: found on one line of it
    title = "在xx市20xx年安全生产工作会议上的讲话" if system else "在{{xx}}市{{20xx}}年安全生产工作会议上的讲话"
    if system or width > 80:
        assert any(title in left for left, _ in _panes(lines))


def test_each_passage_number_stands_in_both_panes(view: PairView) -> None:
    text = _render(view, width=120)
    for n in range(1, 7):
        assert len(re.findall(rf"\[{n}\]", text)) == 2, n


def test_a_moved_passage_is_paired_and_says_where_it_is(view: PairView) -> None:
    rows = diff_rows(view)
    left, right = next(row for row in rows if row[0] is not None and row[0].number == 5)
    assert right is not None and right.number == 5
    assert (left.start, left.end) == (view.passages[4].a.start, view.passages[4].a.end)
    assert (right.start, right.end) == (view.passages[4].b.start, view.passages[4].b.end)
    assert "moved: 2nd in B" in _render(view, width=160)


@pytest.mark.parametrize("side", ["a", "b"])
def test_rows_show_all_of_each_text(view: PairView, side: str) -> None:
    index = 0 if side == "a" else 1
    text = getattr(view, side).text
    covered = [False] * len(text)
    for row in diff_rows(view):
        chunk = row[index]
        if chunk is not None:
            for i in range(chunk.start, chunk.stop):
                covered[i] = True
    assert all(c or text[i].isspace() for i, c in enumerate(covered))


def test_colour_uses_the_pale_palette_behind_passages(view: PairView) -> None:
    text = _render(view, width=120, terminal=True)
    r, g, b = (int(PALE[0][i : i + 2], 16) for i in (1, 3, 5))
    assert f"48;2;{r};{g};{b}" in text


def test_no_color_keeps_reverse_and_underline_but_no_colour(view: PairView) -> None:
    text = _render(view, width=120, terminal=True, no_color=True)
    codes = {c for seq in SGR_RE.findall(text) for c in seq.split(";")}
    assert {"4", "7"} <= codes  # underline (passages) and reverse (numbers, placeholders)
    assert not re.search(r"\x1b\[[0-9;]*(?:3|4)8;", text)


def test_output_that_is_not_a_terminal_is_plain(view: PairView) -> None:
    text = _render(view, width=100)
    assert "\x1b" not in text and "[1]" in text


def test_documents_that_share_nothing_are_shown_dimmed_side_by_side(
    fixture_report: Report, texts: dict[str, str]
) -> None:
    view = pair_view(fixture_report, texts, "en-unrelated.txt", "unrelated-1-stock-phrases.txt")
    text = _render(view, width=120)
    assert "No reused passages" in text and "[1]" not in text
    assert "Eastside Branch Library" in text


# --------------------------------------------------------------------------
# issue 20, point 3: line breaking, colours, plain markers, header paths

PAIRS = [
    (TEMPLATE, REORDERED),
    ("famA-copy-edited-reordered.txt", "famA-copy-filled.txt"),
    ("mosaic-famA-famB.txt", "famB-template.txt"),
]
SYSTEMS = [None, "standard", "256", "truecolor"]
CLOSING_PUNCT = "，。、；：？！）》」』】〕”’"
OPENING_PUNCT = "（《「『【〔“‘"
NUMERAL_RE = re.compile(
    r"(?:^|[。；：！？，\s])(?:[一二三四五六七八九十]{1,3}[、是要]|[（(][一二三四五六七八九十\d]{1,3}[）)])$"
)
"""A line ending in a list numeral, cut from the clause it opens."""
BARE_RE = re.compile(r"(?:^|[。；：！？，\s])(?:[一二三四五六七八九十]{1,3}|[（(][一二三四五六七八九十\d]{1,3})$")
"""A line ending in a numeral whose "、", "是" or "）" starts the next line."""


def _capture(view: PairView, *, width: int, system: str | None) -> list[str]:
    """The diff as a terminal of ``width`` columns and colour ``system`` shows it (None: not a terminal)."""
    console = Console(
        file=io.StringIO(), width=width, force_terminal=system is not None, color_system=system, record=True
    )
    console.print(render_diff(view), highlight=False)
    return console.export_text().splitlines()


def _panes(lines: list[str]) -> list[tuple[str, str]]:
    """The table's lines cut into the left and the right pane, at the column of the "B  " heading."""
    head = next(i for i, line in enumerate(lines) if line.startswith(" A  "))
    column = cell_len(lines[head][: lines[head].index(" B  ")])
    out = []
    for line in lines[head + 2 :]:
        cells, cut = 0, 0
        while cut < len(line) and cells < column:
            cells += cell_len(line[cut])
            cut += 1
        out.append((line[:cut].strip(), line[cut:].strip()))
    return out


@pytest.fixture(scope="module")
def views(fixture_report: Report, texts: dict[str, str]) -> dict[tuple[str, str], PairView]:
    return {(a, b): pair_view(fixture_report, texts, a, b) for a, b in PAIRS}


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("system", SYSTEMS)
def test_no_line_starts_with_closing_punctuation_or_ends_on_a_list_numeral(
    views: dict[tuple[str, str], PairView], width: int, system: str | None
) -> None:
    for pair, view in views.items():
        panes = _panes(_capture(view, width=width, system=system))
        for lines in ([left for left, _ in panes], [right for _, right in panes]):
            for line, after in zip(lines, [*lines[1:], ""], strict=True):
                body = re.sub(r"^\[\d+\] (\(moved: [^)]*\) )?", "", line)  # a passage's row: its text after the number
                assert not body or body[0] not in CLOSING_PUNCT, (pair, line)
                assert not line or line[-1] not in OPENING_PUNCT, (pair, line)
                plain = re.sub(r"[{}|~]|\[/?\d+\]", "", line)  # less the markers of plain output
                assert not NUMERAL_RE.search(plain), (pair, line)
                assert not (BARE_RE.search(plain) and after[:1] in ("、", "是", "要", "）", ")")), (pair, line, after)


@pytest.mark.parametrize("system", [None, "truecolor"])
def test_a_list_numeral_cut_off_a_passage_is_shown_with_it(
    views: dict[tuple[str, str], PairView], system: str | None
) -> None:
    view = views["famA-copy-edited-reordered.txt", "famA-copy-filled.txt"]
    panes = _panes(_capture(view, width=200, system=system))
    rows = [list(rows) for blank, rows in itertools.groupby(panes, key=lambda p: p == ("", "")) if not blank]
    left, right = (
        "".join(lines).replace(" ", "")
        for lines in zip(*next(r for r in rows if r[0][0].startswith("[4]")), strict=True)
    )
    assert left.startswith("[4]三是抓好消防") and right.startswith("[4]四是抓好消防")  # (one copy renumbered it)
    alone = re.compile(r"[一二三四五六七八九十]{1,3}[、是]?|[（(]")
    assert not any(alone.fullmatch(line) for pair in panes for line in pair)
    passage = view.passages[3]  # the view moves what it shows, not the report's offsets
    chunk = next(a for a, _ in diff_rows(view) if a is not None and a.number == 4)
    assert (chunk.start, chunk.end) == (passage.a.start, passage.a.end)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(style: Style, system: ColorSystem, theme: TerminalTheme) -> float:
    """WCAG contrast of ``style``'s text on its background in ``system`` colours on a terminal of ``theme``."""

    def rgb(color: Color | None, foreground: bool) -> tuple[int, int, int]:
        if color is None:
            color = Color.default()
        return tuple(color.downgrade(system).get_truecolor(theme, foreground=foreground))  # type: ignore[return-value]

    fg, bg = rgb(style.color, True), rgb(style.bgcolor, False)
    if style.reverse:
        fg, bg = bg, fg
    dark, light = sorted((_luminance(fg), _luminance(bg)))
    return (light + 0.05) / (dark + 0.05)


THEMES = {
    "light": DEFAULT_TERMINAL_THEME,
    "light night owlish": NIGHT_OWLISH,
    "dark monokai": MONOKAI,
    "dark dimmed monokai": DIMMED_MONOKAI,
    "dark svg": SVG_EXPORT_THEME,
}


@pytest.mark.parametrize("system", ["standard", "256", "truecolor"])
def test_fills_and_every_other_bright_text_are_legible_on_light_and_dark_terminals(
    fixture_report: Report, texts: dict[str, str], system: str
) -> None:
    view = pair_view(fixture_report, texts, TEMPLATE, "famA-copy-filled.txt")
    console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system=system)
    segments = [s for s in console.render(render_diff(view)) if s.text.strip() and s.style is not None]
    bright = [s for s in segments if not s.style or not s.style.dim]
    kinds = {m.kind for side in (view.a, view.b) for m in side.marks}
    assert {"fill", "slot", "placeholder"} <= kinds
    drawn = "".join(s.text for s in segments)
    dimmed = "".join(("d" if s.style and s.style.dim else " ") * len(s.text) for s in segments)
    for side in (view.a, view.b):  # fills, placeholders and slots are not dimmed (which would excuse them below)
        for mark in (m for m in side.marks if m.kind in ("fill", "slot", "placeholder")):
            text = side.text[mark.span.start : mark.span.end]
            places = [m.start() for m in re.finditer(re.escape(text), drawn)]
            assert any("d" not in dimmed[p : p + len(text)] for p in places), (mark, text)
    colours = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}
    for name, theme in THEMES.items():
        for segment in bright:
            assert segment.style is not None
            ratio = _contrast(segment.style, colours[system], theme)
            assert ratio >= 4.5, (name, segment.text, str(segment.style), round(ratio, 2))


def test_output_that_is_not_a_terminal_marks_passages_and_fills_in_plain_text(
    fixture_report: Report, texts: dict[str, str]
) -> None:
    view = pair_view(fixture_report, texts, TEMPLATE, "famA-copy-filled.txt")
    text = "\n".join(_capture(view, width=200, system=None))
    assert text.count("[1]") == 2 and text.count("[/1]") == 2
    fills = [view.b.text[m.span.start : m.span.end] for m in view.b.marks if m.kind == "fill"]
    slots = [view.a.text[m.span.start : m.span.end] for m in view.a.marks if m.kind == "slot"]
    assert fills and all(f"{{{fill}}}" in text for fill in fills if "\n" not in fill)
    assert slots and all(f"{{{{{slot}}}}}" in text for slot in slots if "\n" not in slot)
    legend = next(line for line in text.splitlines() if line.startswith("legend:"))
    assert "[n] … [/n] passage" in legend and "{…} fill" in legend and "{{…}} placeholder/slot" in legend


def test_diff_piped_from_the_command_line_uses_plain_markers(speeches_dir: Path) -> None:
    args = ["diff", "--in", str(speeches_dir), TEMPLATE, "famA-copy-filled.txt"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "{周立群}" in result.stdout and "{{×××}}" in result.stdout and "[/1]" in result.stdout
    assert "{…} fill" in result.stdout


LONG = "benchmarks/realpages/sources/a-rather-long-folder-name/famA-template-placeholders.txt"


@pytest.mark.parametrize("width", [80, 120, 200])
def test_header_paths_lose_their_middle_not_their_file_name(view: PairView, width: int) -> None:
    long_a = dataclasses.replace(view.a, info=dataclasses.replace(view.a.info, id=LONG))
    lines = _capture(dataclasses.replace(view, a=long_a), width=width, system="truecolor")
    header, table = lines[0], next(line for line in lines if line.startswith(" A  "))
    for line in (header, table):
        name = re.search(r"(\S*famA-template-placeholders\.txt)", line)
        assert name is not None, line
        shown = name.group(1)
        assert shown == LONG or (
            "…/" in shown and LONG.startswith(shown.split("…")[0]) and shown.endswith("/famA-template-placeholders.txt")
        ), shown
    assert lines[1].startswith("B ") and lines[2].startswith("similarity")  # one line per document


def test_a_source_line_that_starts_with_punctuation_is_drawn_on_the_line_before(view: PairView) -> None:
    text = view.a.text
    assert text is not None
    at = text.index("，对今年的重点任务")
    broken = text[: at - 1] + "\n" + text[at:]  # a page broken mid-sentence, as web pages are: "挑\n，对今年"
    lines = _capture(dataclasses.replace(view, a=dataclasses.replace(view.a, text=broken)), width=200, system=None)
    assert any("风险挑，对今年的重点任务" in left for left, _ in _panes(lines))
    assert not any(left.startswith("，") for left, _ in _panes(lines))


def test_a_numeral_the_passage_before_took_part_of_is_shown_whole_with_its_heading(
    views: dict[tuple[str, str], PairView],
) -> None:
    view = views["famA-copy-edited-reordered.txt", "famA-copy-filled.txt"]
    first = view.passages[0]
    text = view.a.text
    assert text is not None and text[first.a.end : first.a.end + 5] == "。\n\n二、"
    took = dataclasses.replace(first, a=Span(first.a.start, first.a.end + 4))  # the passage ends "。\n\n二|、"
    panes = _panes(_capture(dataclasses.replace(view, passages=(took, *view.passages[1:])), width=120, system=None))
    lefts = [left for left, _ in panes]
    assert not any(re.fullmatch(r"二(\[/1\])?、?", left) for left in lefts), lefts
    assert any(left.startswith("[2] 二、压紧压实安全责任") for left in lefts)


# --------------------------------------------------------------------------
# texts as they come from the web and from Windows: control characters, CRLF, tabs, the markers' own
# characters (found in review)


def _windows_view(texts: dict[str, str], fixture_report: Report, transform) -> PairView:  # type: ignore[no-untyped-def]
    """The famA template beside its filled copy, both texts passed through ``transform`` in a report of their own
    (so every offset is the transformed text's)."""
    from dupdetect import detect
    from tests.conftest import make_doc

    docs = [make_doc(name, transform(texts[name])) for name in (TEMPLATE, "famA-copy-filled.txt")]
    report = detect(docs, jobs=1)
    return pair_view(report, {d.id: d.text for d in docs}, TEMPLATE, "famA-copy-filled.txt")


def _styled(view: PairView, width: int = 120) -> list[tuple[str, str]]:
    """Each styled run of the truecolor render: (text, style), for the runs with a background."""
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor", record=True)
    console.print(render_diff(view), highlight=False)
    return [(seg.text, str(seg.style)) for seg in console._record_buffer if seg.style and seg.style.bgcolor]


def test_windows_line_ends_keep_each_mark_on_its_own_characters(texts: dict[str, str], fixture_report: Report) -> None:
    plain = _windows_view(texts, fixture_report, lambda t: t)
    crlf = _windows_view(texts, fixture_report, lambda t: t.replace("\n", "\r\n"))
    fills = {crlf.b.text[m.span.start : m.span.end] for m in crlf.b.marks if m.kind == "fill"}
    assert fills and fills == {plain.b.text[m.span.start : m.span.end] for m in plain.b.marks if m.kind == "fill"}

    # the runs drawn with the fill's style are the fills, as without the carriage returns
    def fill_runs(view: PairView) -> set[str]:
        styles = {s for t, s in _styled(view) if t.strip() in fills}
        return {t.strip() for t, s in _styled(view) if s in styles and t.strip()}

    assert fill_runs(crlf) == fill_runs(plain) and len(fill_runs(plain)) > 5


def test_control_characters_and_tabs_never_reach_the_terminal_and_lose_no_text(
    texts: dict[str, str], fixture_report: Report
) -> None:
    view = _windows_view(
        texts,
        fixture_report,
        lambda t: t.replace("同志们：", "\x1b[31m同志们\x1b]0;pwned\x07：\t\t").replace("一、", "\t一、"),
    )
    for system in (None, "standard", "truecolor"):
        shown = "\n".join(_capture(view, width=80, system=system))
        assert "\x1b]0" not in shown and "\x07" not in shown and "\x1b[31m同" not in shown
    panes = _panes(_capture(view, width=80, system=None))
    left = "".join(a.strip() for a, _ in panes)
    for sentence in ("今天，市委、市政府召开全市安全生产工作会议", "清醒认识当前形势"):
        assert sentence in left  # (tabs drawn 8 wide, uncounted, cropped text away)


def test_in_plain_text_the_documents_own_brackets_are_not_read_as_markers(
    texts: dict[str, str], fixture_report: Report
) -> None:
    view = _windows_view(texts, fixture_report, lambda t: t.replace("同志们：", "同志们[1] {x} |y| ~z~："))
    shown = "\n".join(_capture(view, width=120, system=None))
    assert "［1］ ｛x｝ ｜y｜ ～z～" in shown and "[1] {x}" not in shown
    assert "drawn full-width" in shown  # (the legend says so)


def test_a_plain_marker_never_stands_apart_from_what_it_marks(fixture_report: Report, texts: dict[str, str]) -> None:
    view = pair_view(fixture_report, texts, "en-copy-filled.txt", "en-template-placeholders.txt")
    for width in (80, 120):
        lines = [line.rstrip() for pane in _panes(_capture(view, width=width, system=None)) for line in pane]
        assert not [line for line in lines if line.endswith(("{{", "{")) or line.lstrip().startswith(("}}", "}"))]
        assert "{{ " not in "\n".join(lines) and " }}" not in "\n".join(lines)


def test_opening_punctuation_where_a_passage_begins_goes_with_it() -> None:
    from dupdetect.views.diff import _Chunk, _display_bounds

    text = "前文一句话。【松涛范文网】正文开始"
    before, passage = _Chunk(0, 7), _Chunk(7, 17, number=1)  # the passage starts after "【"
    moved = _display_bounds(text, [before, passage])
    assert moved[id(before)].drawn == (0, 6) and moved[id(passage)].drawn == (6, 17)


def test_a_line_that_starts_with_a_dash_or_an_ellipsis_is_not_joined_to_the_line_before() -> None:
    from rich.text import Text

    from dupdetect.views.diff import wrap

    lines = [line.plain for line in wrap(Text("在全市会议上的讲话\n——在全市安全生产工作会议上\n……\n，接上一行"), 80)]
    assert lines == ["在全市会议上的讲话", "——在全市安全生产工作会议上", "……，接上一行"]


def test_a_title_is_shown_as_written_never_read_as_markup(view: PairView) -> None:
    titled = dataclasses.replace(
        view, b=dataclasses.replace(view.b, info=dataclasses.replace(view.b.info, title="[/x] [bold]标题"))
    )
    assert "[/x] [bold]标题" in "\n".join(_capture(titled, width=120, system="truecolor"))


@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_character_of_both_texts_is_drawn_none_cropped_or_doubled(view: PairView, width: int) -> None:
    """Rich crops a line wider than its column without a word: the panes' text, drawn, is compared with the
    documents' (A in order; B in A's order, so as a multiset)."""
    from collections import Counter

    panes = _panes(_capture(view, width=width, system="truecolor"))

    def drawn(column: int) -> str:
        text = "".join(pane[column] for pane in panes)
        text = re.sub(r"\[\d+\]|\(moved: [^)]*\)", "", text)
        return "".join(text.split())

    def written(text: str | None) -> str:
        return "".join((text or "").split())

    assert drawn(0) == written(view.a.text)
    assert Counter(drawn(1)) == Counter(written(view.b.text))
