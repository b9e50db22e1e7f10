"""Exports a newsroom opens: families, pairs and slot fills as CSV and Excel workbooks, with titles, sites
and dates; and the terminal tables that list them (ids shortened in the middle, never broken mid-word)."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from dupdetect import Report
from dupdetect.cli import app
from dupdetect.model.serialize import write_report_json
from dupdetect.text import middle_ellipsis
from dupdetect.views import sheets
from dupdetect.views.sheets import Sheet, write_workbook
from dupdetect.views.tables import render_pairs
from dupdetect.views.terminal import render_families

runner = CliRunner()


@pytest.fixture(scope="module")
def saved(fixture_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("saved") / "report.json"
    with path.open("w", encoding="utf-8") as handle:
        write_report_json(fixture_report, handle)
    return path


def _workbook(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_pairs_csv_names_both_documents_by_title_site_and_date(saved: Path, fixture_report: Report) -> None:
    result = runner.invoke(app, ["pairs", str(saved), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    docs = {d.id: d for d in fixture_report.documents}
    assert len(rows) == len(fixture_report.pairs)
    for row in rows:
        for side in "ab":
            doc = docs[row[side]]
            assert (row[f"title_{side}"], row[f"site_{side}"], row[f"date_{side}"]) == (doc.title, doc.site, doc.date)
    assert any(row["title_a"] for row in rows)


def test_families_pairs_and_fills_as_workbooks(saved: Path, fixture_report: Report, tmp_path: Path) -> None:
    for command, extra in (("families", []), ("pairs", []), ("slots", []), ("template", ["F1"])):
        out = tmp_path / f"{command}.xlsx"
        result = runner.invoke(app, [command, *extra, str(saved), "--format", "xlsx", "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        assert f"wrote {out}" in result.stderr
    families = _workbook(tmp_path / "families.xlsx")["families"]
    assert families[0][:8] == ("family", "size", "slots", "template", "member", "title", "site", "date")
    assert len(families) - 1 == sum(len(f.members) for f in fixture_report.families)
    reused = families[0].index("reused")
    assert all(isinstance(row[reused], float) for row in families[1:])  # numbers, shown as percentages
    pairs = _workbook(tmp_path / "pairs.xlsx")["pairs"]
    assert len(pairs) - 1 == len(fixture_report.pairs) and "title_a" in pairs[0]

    # every fill the report holds, on the fills sheet and on its family's sheet (a column per slot)
    book = _workbook(tmp_path / "slots.xlsx")
    fills = {(row[0], row[1], row[4]): row[-1] for row in book["fills"][1:]}
    family = {f.id: f for f in fixture_report.families}
    for slot in fixture_report.slots:
        for member, fill in slot.fills.items():
            if member != family[slot.family].template:
                assert fills[(slot.family, slot.slot, member)] == fill
        sheet = book[slot.family]
        column = sheet[0].index(f"{{{slot.slot}}} {slot.template_text}")
        by_member = {row[0]: row[column] for row in sheet[1:]}
        assert all(by_member[m] == fill for m, fill in slot.fills.items() if m != family[slot.family].template)
        assert sheet[1][0] == family[slot.family].template  # the template's own row first
    template = _workbook(tmp_path / "template.xlsx")
    assert set(template) == {"fills", "F1", "template"}
    assert "{1}" in str(template["template"][1][2])


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    rows = [{"a": '=HYPERLINK("http://x","y")', "b": 0.5, "c": "+1"}]
    write_workbook(tmp_path / "t.xlsx", [Sheet("t", ("a", "b", "c"), rows)])
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == rows[0]["a"]
    assert sheet["B2"].data_type == "n" and sheet["C2"].value == "+1"


def test_a_workbook_is_the_same_bytes_each_time(saved: Path, tmp_path: Path) -> None:
    import time

    for name in ("one", "two"):
        assert (
            runner.invoke(app, ["export", "xlsx", str(saved), "--out", str(tmp_path / f"{name}.xlsx")]).exit_code == 0
        )
        time.sleep(1.1)  # (a creation time in the file would now differ)
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    book = _workbook(tmp_path / "one.xlsx")
    assert list(book)[:4] == ["documents", "families", "pairs", "fills"]


def test_rows_beyond_a_sheet_are_counted_on_its_last_row(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 5)
    write_workbook(tmp_path / "cut.xlsx", [Sheet("cut", ("n",), [{"n": i} for i in range(10)])])
    rows = _workbook(tmp_path / "cut.xlsx")["cut"]
    assert [r[0] for r in rows[1:4]] == [0, 1, 2]
    assert rows[4][0] == "… 7 more rows do not fit in a sheet; report.json holds them all"


def test_sheet_names_are_ones_excel_accepts(tmp_path: Path) -> None:
    names = ["a/b:c", "a/b:c", "x" * 40]
    write_workbook(tmp_path / "n.xlsx", [Sheet(n, ("v",), []) for n in names])
    assert list(_workbook(tmp_path / "n.xlsx")) == ["a_b_c", "a_b_c~2", "x" * 31]


def test_xlsx_wants_a_file_and_out_implies_the_format(saved: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["pairs", str(saved), "--format", "xlsx"])
    assert result.exit_code == 2 and "give the file with --out" in result.stderr
    out = tmp_path / "pairs.csv"
    assert runner.invoke(app, ["pairs", str(saved), "--out", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfa,title_a")
    result = runner.invoke(app, ["pairs", str(saved), "--out", str(tmp_path / "pairs.txt")])
    assert result.exit_code == 2 and "ending .json, .csv or .xlsx" in result.stderr
    result = runner.invoke(app, ["pairs", str(saved), "--format", "json", "--out", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 2 and "the file's name says xlsx" in result.stderr
    result = runner.invoke(app, ["pairs", str(saved), "--format", "table", "--out", str(tmp_path / "t.csv")])
    assert result.exit_code == 2 and not (tmp_path / "m.xlsx").exists() and not (tmp_path / "t.csv").exists()


@pytest.mark.parametrize("command", ["pairs", "slots", "scan", "export graph"])
def test_a_wrong_format_is_named_in_plain_words(command: str, saved: Path) -> None:
    result = runner.invoke(app, [*command.split(), str(saved), "--format", "xml"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "'xml' is not one of" in message and "Value error" not in message


# -- terminal tables --------------------------------------------------------------------------------------------


def _cell_lines(text: str) -> list[str]:
    """Each table cell's text, line by line (the box's rules removed)."""
    return [cell.strip() for line in text.splitlines() for cell in re.split("[│┃]", line) if cell.strip()]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_table_ids_are_shortened_in_the_middle_never_broken(fixture_report: Report, width: int) -> None:
    ids = sorted({p.a for p in fixture_report.pairs} | {p.b for p in fixture_report.pairs})
    for renderable in (render_pairs(fixture_report), render_families(fixture_report, members=None)):
        console = Console(width=width, record=True, color_system=None)
        console.print(renderable)
        lines = _cell_lines(console.export_text())
        for line in lines:  # no line holds a piece of an id cut off without an ellipsis
            if line.isalpha() or not re.search("[A-Za-z]", line):  # a role ("copy" is in ids), a figure
                continue
            pieces = [d for d in ids if line != d and line in d]
            assert not pieces, line
        for doc_id in ids:  # each id is there whole, or as its start and end around "…"
            assert any(
                line == doc_id
                or ("…" in line and doc_id.startswith(line.split("…")[0]) and doc_id.endswith(line.split("…")[1]))
                for line in lines
            ), doc_id


def test_tables_use_a_wide_terminal_for_titles(fixture_report: Report) -> None:
    console = Console(width=200, record=True, color_system=None)
    console.print(render_pairs(fixture_report))
    text = console.export_text()
    widest = max(len(line) for line in text.splitlines())
    assert 150 < widest <= 200
    in_pairs = {p.a for p in fixture_report.pairs} | {p.b for p in fixture_report.pairs}
    titles = [d.title for d in fixture_report.documents if d.id in in_pairs and 0 < len(d.title) < 40]
    assert titles and all(t in text for t in titles)  # each on one line, not folded at 200 columns


def test_middle_ellipsis_keeps_both_ends_within_the_cells() -> None:
    from rich.cells import cell_len

    for text in ("sources/families/group-2024/g31.txt", "在梅岭县2022年经济工作会议上的讲话", "ab"):
        for cells, file_name in itertools.product(range(1, 40), (False, True)):
            short = middle_ellipsis(text, cells, file_name=file_name)
            assert cell_len(short) <= cells
            if short != text:
                head, tail = short.split("…")
                assert text.startswith(head) and text.endswith(tail) and cell_len(short) >= cells - 1


def test_each_figure_is_explained_where_it_is_shown(tmp_path: Path, speeches_dir: Path) -> None:
    result = runner.invoke(app, ["scan", str(speeches_dir)], env={"COLUMNS": "120"})
    summary = " ".join(result.stdout.split())
    assert "stock-phrase shingles (the genre's set phrases, not counted as reuse)" in summary
    assert "reused = the largest share of a member's text that one other document also holds" in summary
    assert "copy = at least half of it is the template's text" in summary
    assert "sim = how alike the shared passages are" in summary
    pairs = " ".join(runner.invoke(app, ["pairs", str(speeches_dir)], env={"COLUMNS": "120"}).stdout.split())
    assert "A % / B % = the share of each document's text that the other also holds" in pairs
    helps = {
        "scan": "reused is the largest share of a member's text",
        "families": "reused: the largest share of the member's text",
        "pairs": "A % / B %: the share of each document's text that the other also holds",
    }
    for command, meaning in helps.items():
        shown = " ".join(runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"}).stdout.split())
        assert meaning in shown, command


@pytest.mark.parametrize("width", [80, 120])
def test_passages_table_gives_each_side_its_offsets(fixture_report: Report, width: int) -> None:
    from dupdetect.views.terminal import render_passages

    console = Console(width=width, record=True, color_system=None)
    console.print(render_passages(fixture_report, {}, limit=5))
    lines = _cell_lines(console.export_text())
    ranked = sorted(
        ((p, pair) for pair in fixture_report.pairs if not pair.duplicate for p in pair.passages),
        key=lambda pp: (-pp[0].matched, pp[1].a, pp[1].b, pp[0].a),
    )[:5]
    for passage, _ in ranked:  # each side's [start:end] on a line of its own, under the id
        assert f"[{passage.a.start}:{passage.a.end}]" in lines and f"[{passage.b.start}:{passage.b.end}]" in lines


def test_rows_beyond_a_sheet_are_not_held_and_a_known_total_is_not_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 5)
    read: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        for i in range(1000):
            read.append(i)
            yield {"n": i}

    write_workbook(tmp_path / "cut.xlsx", [Sheet("cut", ("n",), rows(), total=1000)])
    assert (
        _workbook(tmp_path / "cut.xlsx")["cut"][4][0]
        == "… 997 more rows do not fit in a sheet; report.json holds them all"
    )
    assert len(read) <= 200  # (the first rows, for the column widths; the rest never made)


def test_json_rows_are_written_one_at_a_time_as_the_whole_list_would_be(saved: Path, fixture_report: Report) -> None:
    from dupdetect.model.serialize import dumps
    from dupdetect.views.tables import family_rows, pair_rows

    for command, rows in (("pairs", pair_rows), ("families", family_rows)):
        result = runner.invoke(app, [command, str(saved), "--format", "json"])
        assert result.exit_code == 0 and result.stdout == dumps(list(rows(fixture_report)))
    import io

    from dupdetect.model.serialize import write_json_list

    out = io.StringIO()
    write_json_list(iter([]), out)
    assert out.getvalue() == dumps([])
