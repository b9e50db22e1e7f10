"""A report's families, pairs and slot fills as flat rows: for a table, JSON or a spreadsheet.

Rows name documents by id and by the title, site and date their pages state,
the way a reader finds them again. (:mod:`dupdetect.views.sheets` writes the
same rows as an Excel workbook.)

CSV is written for Excel on Chinese Windows: UTF-8 with a byte-order mark
(without one Excel reads it as GBK), and a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so a
spreadsheet shows it as text instead of running it as a formula (document
titles and file names come from scraped pages).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from typing import TextIO

from rich.table import Table
from rich.text import Text

from dupdetect.model.report import families_of, reused_share, slots_per_family
from dupdetect.model.types import DocumentInfo, Report
from dupdetect.views.terminal import legend_table, member_cell, safe

Row = dict[str, str | int | float | bool]
FAMILY_COLUMNS = ("family", "size", "slots", "template", "member", "title", "site", "date", "role", "reused")
PAIR_COLUMNS = (
    "a",
    "title_a",
    "site_a",
    "date_a",
    "b",
    "title_b",
    "site_b",
    "date_b",
    "family",
    "similarity",
    "coverage_a",
    "coverage_b",
    "shared_chars",
    "passages",
    "longest_passage",
    "duplicate",
)
DOCUMENT_COLUMNS = (
    "id",
    "title",
    "site",
    "date",
    "family",
    "families",
    "role",
    "reused",
    "chars",
    "placeholders",
    "script",
    "encoding",
    "duplicate_of",
    "source",
)
FILL_COLUMNS = ("family", "slot", "kind", "template_text", "member", "title", "site", "date", "role", "fill")
PAIR_TABLE_LEGEND = (
    "sim = how alike the shared passages are (1.00: the same characters); A % / B % = the share of each "
    "document's text that the other also holds; shared = the characters they share."
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def document_rows(report: Report) -> Iterator[Row]:
    """One row per document read, in a family or not: its title, site, date, family (the one it borrows
    most from) and every family it is in, its role, reused share, length and where it was read from."""
    reused = reused_share(report.pairs)
    families = families_of(report)
    return (
        {
            "id": d.id,
            **_described(d),
            "family": d.family or "",
            "families": ";".join(families.get(d.id, ())),
            "role": d.role or "",
            "reused": reused.get(d.id, 0.0),
            "chars": d.chars,
            "placeholders": d.placeholders,
            "script": d.script,
            "encoding": d.encoding,
            "duplicate_of": d.duplicate_of or "",
            "source": d.source,
        }
        for d in report.documents
    )


def family_rows(report: Report) -> Iterator[Row]:
    """One row per family member: the family, its size and slots, the member's title, site, date, role and
    reused share."""
    docs = _documents(report)
    reused = reused_share(report.pairs)
    slots = slots_per_family(report)
    return (
        {
            "family": f.id,
            "size": len(f.members),
            "slots": slots.get(f.id, 0),
            "template": f.template or "",
            "member": m,
            **_described(docs.get(m)),
            "role": f.roles.get(m, ""),
            "reused": reused.get(m, 0.0),
        }
        for f in report.families
        for m in f.members
    )


def pair_rows(report: Report) -> Iterator[Row]:
    """One row per pair (``a < b``), made as it is read: both documents' titles, sites and dates, the family
    both are in, the scores and the evidence size."""
    docs = _documents(report)
    family_of = families_of(report)
    for p in report.pairs:
        a, b = _described(docs.get(p.a)), _described(docs.get(p.b))
        yield (
            {
                "a": p.a,
                **{f"{k}_a": v for k, v in a.items()},
                "b": p.b,
                **{f"{k}_b": v for k, v in b.items()},
                "family": ";".join(sorted(set(family_of.get(p.a, ())).intersection(family_of.get(p.b, ())))),
                "similarity": p.similarity,
                "coverage_a": p.coverage_a,
                "coverage_b": p.coverage_b,
                "shared_chars": p.shared_chars,
                "passages": len(p.passages),
                "longest_passage": max((max(len(x.a), len(x.b)) for x in p.passages), default=0),
                "duplicate": p.duplicate,
            }
        )


def fill_rows(report: Report, family: str | None = None, *, only: Container[str] | None = None) -> Iterator[Row]:
    """One row per slot and member that filled it, made as it is read: what the template says there
    (``template_text``) and what the member put in its place (``fill``), with the member's title, site,
    date and role. The template's own row comes first in each slot (its ``fill`` is the template text).
    ``family`` or ``only`` keep one family's rows, or those of the families ``only`` holds."""
    docs = _documents(report)
    families = {f.id: f for f in report.families}
    for s in report.slots:  # (one pass: a report's slots may be made from columns as they are read)
        f = families.get(s.family)
        if f is None or family not in (None, s.family) or (only is not None and s.family not in only):
            continue
        order = [f.template] if f.template else []
        order += [m for m in f.members if m != f.template and m in s.fills]
        for m in order:
            yield (
                {
                    "family": s.family,
                    "slot": s.slot,
                    "kind": s.kind,
                    "template_text": s.template_text,
                    "member": m,
                    **_described(docs.get(m)),
                    "role": f.roles.get(m, ""),
                    "fill": s.template_text if m == f.template else s.fills[m],
                }
            )


def _documents(report: Report) -> dict[str, DocumentInfo]:
    return {d.id: d for d in report.documents}


def _described(doc: DocumentInfo | None) -> dict[str, str]:
    """A document's title, site and date as its page states them ("" where it does not)."""
    if doc is None:
        return {"title": "", "site": "", "date": ""}
    return {"title": doc.title, "site": doc.site, "date": doc.date}


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """Rows as CSV text starting with a byte-order mark, formulas neutralised.

    >>> to_csv([{"a": "=1+1", "b": 2}], ["a", "b"])
    "\\ufeffa,b\\r\\n'=1+1,2\\r\\n"
    """
    out = io.StringIO()
    write_csv(rows, columns, out)
    return out.getvalue()


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], handle: TextIO) -> None:
    """Write rows as :func:`to_csv` gives them, one at a time (a million pairs are never held at once)."""
    handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])


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
    """The pairs as a rich table, the most similar first: each document by its title over its id."""
    rows = sorted(pair_rows(report), key=lambda r: (-float(r["similarity"]), str(r["a"]), str(r["b"])))
    if not rows:
        return Text("No pairs: no two documents share a passage.")
    table = legend_table("Pairs that share passages", PAIR_TABLE_LEGEND)
    table.add_column("document A: title / id")
    table.add_column("document B: title / id")
    table.add_column("family", no_wrap=True)
    for name in ("sim", "A %", "B %", "shared", "passages"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in rows:
        family = Text(str(r["family"]))
        if r["duplicate"]:
            family.append("\nduplicate", style="dim")
        table.add_row(
            member_cell(str(r["a"]), str(r["title_a"])),
            member_cell(str(r["b"]), str(r["title_b"])),
            family,
            f"{r['similarity']:.2f}",
            f"{r['coverage_a']:.0%}",
            f"{r['coverage_b']:.0%}",
            str(r["shared_chars"]),
            str(r["passages"]),
        )
    return table
