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


def test_readme_excerpt_shows_the_roles_a_scan_finds(fixture_report: Report) -> None:
    shown = re.findall(r"│ (\S+\.txt) \((template|copy|partial|mosaic)\)", README)
    assert len(shown) == len({m for f in fixture_report.families for m in f.members}) + 1  # the mosaic twice
    roles = {d.id: d.role for d in fixture_report.documents}
    assert all(roles[doc] == role for doc, role in shown)


def test_every_option_the_readme_lists_exists() -> None:
    from typer.main import get_command

    scan = get_command(app).commands["scan"]  # type: ignore[attr-defined]
    options = {opt for param in scan.params for opt in param.opts}
    listed = set(re.findall(r"^\s+(--[a-z-]+)", README, re.M))
    assert listed and listed <= options
