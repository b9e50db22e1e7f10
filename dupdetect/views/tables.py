"""A report's families and pairs as flat rows: for a table, JSON or a spreadsheet.

CSV is written for Excel on Chinese Windows: UTF-8 with a byte-order mark
(without one Excel reads it as GBK), and a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so a
spreadsheet shows it as text instead of running it as a formula (document
titles and file names come from scraped pages).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text

from dupdetect.model.report import reused_share, slots_per_family
from dupdetect.model.types import Report
from dupdetect.views.terminal import safe

Row = dict[str, str | int | float | bool]
FAMILY_COLUMNS = ("family", "size", "slots", "template", "member", "title", "role", "reused")
PAIR_COLUMNS = (
    "a",
    "b",
    "family",
    "similarity",
    "coverage_a",
    "coverage_b",
    "shared_chars",
    "passages",
    "longest_passage",
    "duplicate",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def family_rows(report: Report) -> list[Row]:
    """One row per family member: the family, its size and slots, the member's title, role and reused share."""
    titles = {d.id: d.title for d in report.documents}
    reused = reused_share(report.pairs)
    slots = slots_per_family(report)
    return [
        {
            "family": f.id,
            "size": len(f.members),
            "slots": slots.get(f.id, 0),
            "template": f.template or "",
            "member": m,
            "title": titles.get(m, ""),
            "role": f.roles.get(m, ""),
            "reused": reused.get(m, 0.0),
        }
        for f in report.families
        for m in f.members
    ]


def pair_rows(report: Report) -> list[Row]:
    """One row per pair (``a < b``): scores, the family both are in, and the evidence size."""
    family_of: dict[str, set[str]] = {}
    for f in report.families:
        for m in f.members:
            family_of.setdefault(m, set()).add(f.id)
    return [
        {
            "a": p.a,
            "b": p.b,
            "family": ";".join(sorted(family_of.get(p.a, set()) & family_of.get(p.b, set()))),
            "similarity": p.similarity,
            "coverage_a": p.coverage_a,
            "coverage_b": p.coverage_b,
            "shared_chars": p.shared_chars,
            "passages": len(p.passages),
            "longest_passage": max((max(len(x.a), len(x.b)) for x in p.passages), default=0),
            "duplicate": p.duplicate,
        }
        for p in report.pairs
    ]


def to_csv(rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> str:
    """Rows as CSV text starting with a byte-order mark, formulas neutralised.

    >>> to_csv([{"a": "=1+1", "b": 2}], ["a", "b"])
    "\\ufeffa,b\\r\\n'=1+1,2\\r\\n"
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
    return out.getvalue()


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as written: text that would start a formula gets a leading ``'``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        value = safe(value)  # no escape sequence reaches a terminal that shows the CSV
        if value.startswith(_FORMULA_STARTS):
            return "'" + value
    return value


def render_pairs(report: Report) -> Table | Text:
    """The pairs as a rich table, the most similar first."""
    rows = sorted(pair_rows(report), key=lambda r: (-float(r["similarity"]), str(r["a"]), str(r["b"])))
    if not rows:
        return Text("No pairs: no two documents share a passage.")
    table = Table(title="Pairs that share passages", title_justify="left")
    table.add_column("document A", overflow="fold")
    table.add_column("document B", overflow="fold")
    table.add_column("family", no_wrap=True)
    for name in ("sim", "A %", "B %", "shared", "passages"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in rows:
        table.add_row(
            str(r["a"]),
            str(r["b"]) + (" (duplicate)" if r["duplicate"] else ""),
            str(r["family"]),
            f"{r['similarity']:.2f}",
            f"{r['coverage_a']:.0%}",
            f"{r['coverage_b']:.0%}",
            str(r["shared_chars"]),
            str(r["passages"]),
        )
    return table
