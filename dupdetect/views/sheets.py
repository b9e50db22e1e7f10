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
from collections.abc import Mapping, Sequence
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
FAMILY_SHEETS = 100  # the largest families get a sheet of their own; all are on the "fills" sheet
_WIDEST = 60  # a column's width in characters, at most
_PERCENT = frozenset({"reused", "coverage_a", "coverage_b"})
_DECIMAL = frozenset({"similarity"})
_CREATED = _dt.datetime(2000, 1, 1)  # (fixed: the same report gives the same file)
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its name (at most 31 characters), its column names and its rows."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Mapping[str, object]]
    headers: Mapping[str, str] | None = None  # a column's header where it is not the column's name


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` as one .xlsx file at ``path``."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    workbook.set_properties({"created": _CREATED, "title": "dupdetect"})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    percent = workbook.add_format({"num_format": "0%"})
    decimal = workbook.add_format({"num_format": "0.00"})
    used: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.add_worksheet(_sheet_name(sheet.name, used))
        columns = list(sheet.columns)
        headers = [(sheet.headers or {}).get(c, c) for c in columns]
        for col, (name, header) in enumerate(zip(columns, headers, strict=True)):
            shown = [_cell_text(row.get(name, "")) for row in sheet.rows[:200]]  # (widths from a sample)
            width = max([cell_len(header) if col else 8, *(cell_len(s) for s in shown)], default=8)
            worksheet.set_column(col, col, min(_WIDEST, width + 2))
        worksheet.freeze_panes(1, 0)
        for col, header in enumerate(headers):
            worksheet.write_string(0, col, _fit(header), bold)
        fits = min(len(sheet.rows), MAX_ROWS - 2)  # the header, and a row to say what did not fit
        for r, row in enumerate(sheet.rows[:fits], start=1):
            for col, name in enumerate(columns):
                value = row.get(name, "")
                fmt = percent if name in _PERCENT else decimal if name in _DECIMAL else None
                _write(worksheet, r, col, value, fmt)
        if fits < len(sheet.rows):
            worksheet.write_string(
                fits + 1, 0, f"… {len(sheet.rows) - fits} more rows do not fit in a sheet; report.json holds them all"
            )
        worksheet.autofilter(0, 0, max(fits, 1), max(len(columns) - 1, 0))
    workbook.close()


def report_sheets(report: Report) -> list[Sheet]:
    """A whole report as sheets: its documents, families, pairs and fills (with a sheet for each of the
    largest families' fills)."""
    return [
        Sheet("documents", DOCUMENT_COLUMNS, document_rows(report)),
        Sheet("families", FAMILY_COLUMNS, family_rows(report)),
        Sheet("pairs", PAIR_COLUMNS, pair_rows(report)),
        *fill_sheets(report),
    ]


def fill_sheets(report: Report, family: str | None = None, *, limit: int = FAMILY_SHEETS) -> list[Sheet]:
    """The slot fills as sheets: every fill on a ``fills`` sheet, one row each, then a sheet for each of the
    first ``limit`` families (the largest) with a row per member and a column per slot."""
    rows = fill_rows(report, family)
    sheets = [Sheet("fills", FILL_COLUMNS, rows)]
    by_family: dict[str, list[Row]] = {}
    for row in rows:
        by_family.setdefault(str(row["family"]), []).append(row)
    for fid, fills in list(by_family.items())[:limit]:
        sheets.append(_family_sheet(fid, fills))
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
    """A name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, unique in the workbook."""
    base = name.translate(_SHEET_FORBIDDEN)[:31] or "sheet"
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    used.add(candidate.casefold())
    return candidate
