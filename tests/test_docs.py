"""The README's promises: its set-up commands and its terminal excerpt are true."""

from __future__ import annotations

import re
from pathlib import Path

from dupdetect import Report
from dupdetect.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_set_up_commands() -> None:
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make demo", "make test"]


def test_makefile_has_the_targets_the_readme_names() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "dupdetect scan fixtures/speeches" in makefile


def test_readme_excerpt_shows_the_families_a_scan_finds(fixture_report: Report) -> None:
    excerpt = README[README.index("Template families") : README.index("Longest reused passages")]
    roles = re.findall(r"│ (template|copy|partial|mosaic) ", excerpt)
    ids = re.findall(r"│ +│ (\S+\.txt) ", excerpt)
    expected = [(m, f.roles[m]) for f in fixture_report.families for m in f.members]
    assert list(zip(ids, roles, strict=True)) == expected


def test_every_option_the_readme_lists_exists() -> None:
    from typer.main import get_command

    scan = get_command(app).commands["scan"]  # type: ignore[attr-defined]
    options = {opt for param in scan.params for opt in param.opts}
    listed = set(re.findall(r"^\s+(--[a-z-]+)", README, re.M))
    assert listed and listed <= options
