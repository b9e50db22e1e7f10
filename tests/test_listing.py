"""Families and pairs as rows, and CSV that Excel reads safely."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from dupdetect import Report
from dupdetect.views.tables import FAMILY_COLUMNS, PAIR_COLUMNS, family_rows, pair_rows, safe_cell, to_csv
from tests.conftest import ROOT, SPEECHES

# The placeholders famA's template was written with (fixtures/README.md lists the spellings): 20xx, x月x日,
# xx, XX, ×××, __, ***, 某某 and the X of X书记, each a slot of its own.
PLACEHOLDER = re.compile(r"20xx|x月x日|xx|XX|×××|__|\*\*\*|某某|X(?=书记)")


def test_family_rows_list_every_member_with_its_role(fixture_report: Report, expected: dict[str, Any]) -> None:
    rows = list(family_rows(fixture_report))
    assert len(rows) == sum(len(f.members) for f in fixture_report.families)
    template = next(r for r in rows if r["member"] == "famA-template-placeholders.txt" and r["family"] == "F1")
    # the figures, from how the fixtures were written: famA's members in expected.json, and as slots the
    # template's placeholders (13) and the places where the mosaic turned the template's 市 into 区 (4, the
    # gold fills of expected_slots.json), implicit slots
    (members,) = [f for f in expected["families"] if "famA-template-placeholders.txt" in f]
    placeholders = PLACEHOLDER.findall((SPEECHES / "famA-template-placeholders.txt").read_text(encoding="utf-8"))
    gold = json.loads((ROOT / "fixtures" / "expected_slots.json").read_text(encoding="utf-8"))["slots"]
    to_district = [
        g
        for g in gold
        if (g["placeholder_in"], g["filler_in"]) == ("famA-template-placeholders.txt", "mosaic-famA-famB.txt")
        and (g["placeholder"], g["filler"]) == ("市", "区")
    ]
    assert template["role"] == "template" and template["size"] == len(members)
    assert template["slots"] == len(placeholders) + len(to_district)
    assert all(set(r) == set(FAMILY_COLUMNS) for r in rows)


def test_pair_rows_name_the_shared_family(fixture_report: Report) -> None:
    rows = list(pair_rows(fixture_report))
    assert len(rows) == len(fixture_report.pairs) and all(set(r) == set(PAIR_COLUMNS) for r in rows)
    row = next(r for r in rows if (r["a"], r["b"]) == ("famA-copy-filled.txt", "famA-template-placeholders.txt"))
    assert row["family"] == "F1" and row["passages"] == 1 and row["longest_passage"] > 1000
    mosaic = next(r for r in rows if r["b"] == "mosaic-famA-famB.txt" and r["a"] == "famB-template.txt")
    assert mosaic["family"] == "F2"


def test_csv_starts_with_a_bom_and_reads_back(fixture_report: Report) -> None:
    text = to_csv(pair_rows(fixture_report), PAIR_COLUMNS)
    assert text.startswith("\ufeffa,title_a,site_a,date_a,b,title_b,site_b,date_b,family,similarity")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(fixture_report.pairs) and rows[0]["duplicate"] == "false"


def test_cells_that_would_run_as_formulas_are_neutralised() -> None:
    for value in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("\r=x") == "\\x0d=x"  # control characters are shown as escapes, so inert
    assert safe_cell("\x1b]0;pwned\x07id") == "\\x1b]0;pwned\\x07id"
    assert safe_cell("famA.txt") == "famA.txt" and safe_cell(-0.5) == -0.5 and safe_cell(True) == "true"
    assert to_csv([{"a": '=HYPERLINK("http://x","y")'}], ["a"]) == '\ufeffa\r\n"\'=HYPERLINK(""http://x"",""y"")"\r\n'
