"""The README's promises: its set-up commands and its terminal excerpt are true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def test_readme_newsroom_excerpt_is_what_the_commands_print(
    speeches_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from typer.testing import CliRunner

    part = README[README.index("In a newsroom") : README.index("JSONL corpora hold one speech")]
    blocks = [b.strip().splitlines() for b in part.split("```")[1::2]]
    (tmp_path / "collection").mkdir()
    (tmp_path / "today").mkdir()
    for f in speeches_dir.iterdir():
        today = f.name in ("famA-copy-traditional.txt", "famB-copy-big5.txt")
        shutil.copy(f, tmp_path / ("today" if today else "collection") / f.name)
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        command, shown = block[0].removeprefix("$ dupdetect ").split(), [line for line in block[1:] if line != "..."]
        ran = runner.invoke(app, command, env={"COLUMNS": "120"})
        printed = [line.rstrip() for line in ran.stdout.splitlines()]
        assert ran.exit_code == 0 and all(line in printed for line in shown), (command, ran.stdout)


def test_usage_walk_through_prints_what_it_shows(
    speeches_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/USAGE.md: each `$ dupdetect ...` block is run in order on a copy of the speeches, at 100 columns,
    and every line it shows (but `...`) is among the lines the command prints."""
    import shutil

    from typer.testing import CliRunner

    usage = (ROOT / "docs" / "USAGE.md").read_text(encoding="utf-8")
    blocks = [b.strip().splitlines() for b in usage.split("```")[1::2] if b.strip().startswith("$ dupdetect")]
    assert len(blocks) >= 6
    shutil.copytree(speeches_dir, tmp_path / "speeches")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for block in blocks:
        command, shown = block[0].removeprefix("$ dupdetect ").split(), [line for line in block[1:] if line != "..."]
        ran = runner.invoke(app, command, env={"COLUMNS": "100"})
        printed = [line.rstrip() for line in (ran.stdout + ran.stderr).splitlines()]
        assert ran.exit_code == 0, (command, ran.stderr)
        missing = [line for line in shown if line.rstrip() not in printed]
        assert not missing, (command, missing)
    assert (tmp_path / "results" / "report.html").is_file() and (tmp_path / "report.xlsx").is_file()
