"""Rows -> an Excel workbook (.xlsx), written with xlsxwriter.

The rows are :mod:`dupdetect.views.tables`'s (families, pairs, slot fills),
each kind on a sheet of its own with a bold, frozen header row, a filter on
every column and widths fitted to the text (a CJK character counts twice).

- Text is written as text (``write_string``): a scraped title that starts
  with ``=`` stays a title, it never becomes a formula.
- Shares (``reused``, ``coverage_*``) are numbers shown as percentages,
  similarities as numbers with two decimals.
- Excel holds at most 1,048,576 rows a sheet and 32,767 characters a cell:
  longer cells are cut with ``…`` and a sheet's last row says how many rows
  did not fit (``report.json`` holds them all).
- The same rows give the same bytes: the workbook's creation time is fixed
  (no timestamp, as ``report.json`` has none).
- A family's fills also come as one sheet per family (:func:`fill_sheets`):
  a row per member, a column per slot, what the member wrote in each; the
  template's own row first.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from dupdetect.model.types import Report
from dupdetect.views.tables import (
    DOCUMENT_COLUMNS,
    FAMILY_COLUMNS,
    FILL_COLUMNS,
    PAIR_COLUMNS,
    Row,
    document_rows,
    family_rows,
    fill_rows,
    pair_rows,
)

MAX_ROWS = 1_048_576  # Excel's rows per sheet (header included)
MAX_CELL = 32_767  # Excel's characters per cell
MAX_COLUMNS = 16_384  # Excel's columns per sheet
FAMILY_SHEETS = 100  # the largest families get a sheet of their own; all are on the "fills" sheet
_WIDEST = 60  # a column's width in characters, at most
_PERCENT = frozenset({"reused", "coverage_a", "coverage_b"})
_DECIMAL = frozenset({"similarity"})
_CREATED = _dt.datetime(2000, 1, 1)  # (fixed: the same report gives the same file)
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its name (at most 31 characters), its column names and its rows.

    ``rows`` may be an iterator, read once as the sheet is written (a report's pairs are made one at a
    time); ``total``, where known, is how many there are, so rows past Excel's limit need not be read
    only to be counted.
    """

    name: str
    columns: Sequence[str]
    rows: Iterable[Mapping[str, object]]
    headers: Mapping[str, str] | None = None  # a column's header where it is not the column's name
    total: int | None = None


def write_workbook(path: Path, sheets: Iterable[Sheet]) -> None:
    """Write ``sheets`` as one .xlsx file at ``path`` (an ``OSError`` where it cannot be written)."""
    import xlsxwriter
    from xlsxwriter.exceptions import XlsxFileError

    options = {"constant_memory": True, "strings_to_formulas": False, "use_zip64": True}
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"created": _CREATED, "title": "dupdetect"})
    formats = {
        "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "percent": workbook.add_format({"num_format": "0%"}),
        "decimal": workbook.add_format({"num_format": "0.00"}),
    }
    used: set[str] = set()
    for sheet in sheets:
        _write_sheet(workbook.add_worksheet(_sheet_name(sheet.name, used)), sheet, formats)
    try:
        workbook.close()
    except XlsxFileError as exc:  # (xlsxwriter wraps the OSError of a file it cannot write)
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        raise cause or OSError(str(exc)) from None


def _write_sheet(worksheet: Any, sheet: Sheet, formats: Mapping[str, Any]) -> None:
    """One sheet: widths from its first rows, a frozen bold header, the rows in order (constant memory mode
    writes a row once), and a last row saying how many did not fit."""
    columns = list(sheet.columns)[:MAX_COLUMNS]
    headers = [(sheet.headers or {}).get(c, c) for c in columns]
    if len(columns) < len(sheet.columns):
        headers[-1] = f"… {len(sheet.columns) - len(columns) + 1} more columns do not fit in a sheet"
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, 200))
    for col, (name, header) in enumerate(zip(columns, headers, strict=True)):
        shown = [_cell_text(row.get(name, "")) for row in sample]
        width = max([cell_len(header) if col else 8, *(cell_len(s) for s in shown)], default=8)
        worksheet.set_column(col, col, min(_WIDEST, width + 2))
    worksheet.freeze_panes(1, 0)
    for col, header in enumerate(headers):
        worksheet.write_string(0, col, _fit(header), formats["header"])
    room = MAX_ROWS - 2  # the header, and a row to say what did not fit
    written = 0
    every = itertools.chain(sample, rows)
    for row in itertools.islice(every, room):
        written += 1
        for col, name in enumerate(columns):
            fmt = formats["percent"] if name in _PERCENT else formats["decimal"] if name in _DECIMAL else None
            _write(worksheet, written, col, row.get(name, ""), fmt)
    if written == room:
        left = sheet.total - written if sheet.total is not None else sum(1 for _ in every)
        if left:
            message = f"… {left} more rows do not fit in a sheet; report.json holds them all"
            worksheet.write_string(written + 1, 0, message)
    worksheet.autofilter(0, 0, max(written, 1), max(len(columns) - 1, 0))


def report_sheets(report: Report) -> list[Sheet]:
    """A whole report as sheets: its documents, families, pairs and fills (with a sheet for each of the
    largest families' fills)."""
    return [
        Sheet("documents", DOCUMENT_COLUMNS, document_rows(report), total=len(report.documents)),
        Sheet("families", FAMILY_COLUMNS, family_rows(report)),
        Sheet("pairs", PAIR_COLUMNS, pair_rows(report), total=len(report.pairs)),
        *fill_sheets(report),
    ]


def fill_sheets(report: Report, family: str | None = None, *, limit: int = FAMILY_SHEETS) -> list[Sheet]:
    """The slot fills as sheets: every fill on a ``fills`` sheet, one row each (read as it is written),
    then a sheet for each of the first ``limit`` families (the largest) with a row per member and a column
    per slot (only those families' fills are held)."""
    chosen = [f.id for f in report.families if family in (None, f.id)][:limit]
    by_family: dict[str, list[Row]] = {fid: [] for fid in chosen}
    for row in fill_rows(report, only=by_family):
        by_family[str(row["family"])].append(row)
    sheets = [Sheet("fills", FILL_COLUMNS, fill_rows(report, family))]
    sheets += [_family_sheet(fid, rows) for fid, rows in by_family.items() if rows]
    return sheets


def _family_sheet(family: str, rows: Sequence[Row]) -> Sheet:
    """One family's fills, wide: a row per member (the template first), a column per slot headed by the
    slot's number and what the template says there."""
    slots: dict[int, str] = {}
    members: dict[str, dict[str, object]] = {}
    for row in rows:
        slot = int(row["slot"])
        slots.setdefault(slot, str(row["template_text"]))
        member = members.setdefault(
            str(row["member"]),
            {k: row[k] for k in ("member", "title", "site", "date", "role")},
        )
        member[f"slot {slot}"] = row["fill"]
    columns = ["member", "title", "site", "date", "role", *(f"slot {n}" for n in slots)]
    headers = {f"slot {n}": f"{{{n}}} {text}" for n, text in slots.items()}
    return Sheet(family, columns, list(members.values()), headers)


def _write(worksheet: Any, row: int, col: int, value: object, fmt: Any) -> None:
    if isinstance(value, bool):
        worksheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        worksheet.write_number(row, col, value, fmt)
    else:
        worksheet.write_string(row, col, _fit(_cell_text(value)))


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _sheet_name(name: str, used: set[str]) -> str:
    """A name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, no ``'`` at either end, not
    ``History`` (Excel's own), unique in the workbook."""
    base = name.translate(_SHEET_FORBIDDEN)[:31].strip("'") or "sheet"
    if base.casefold() == "history":
        base += "_"
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    used.add(candidate.casefold())
    return candidate
