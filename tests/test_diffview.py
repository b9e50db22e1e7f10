"""The terminal two-pane diff: pairing, widths, colour, NO_COLOR and plain output."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from dupdetect import Report
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
def test_every_line_fits_the_terminal_with_cjk_counted_double(view: PairView, width: int) -> None:
    text = _render(view, width=width)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    # (the template's title line, 36 cells, fits its pane whole at every width here: found on one line)
    assert any("在xx市20xx年安全生产工作会议上的讲话" in line for line in text.splitlines())


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
