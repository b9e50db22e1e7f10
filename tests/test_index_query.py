"""A saved index answers a new speech: its matches, the families it joins, its fills (as a full scan finds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dupdetect import read_corpus, scan
from dupdetect.index.query import Searcher
from dupdetect.index.store import MANIFEST, SavedIndex, build_index
from dupdetect.model.answer import Answer
from dupdetect.model.errors import InputError

HELD = ("famA-copy-traditional.txt", "en-copy-filled.txt", "famB-copy-big5.txt", "unrelated-1-stock-phrases.txt")


@pytest.fixture(scope="module")
def answers(speeches_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Answer]:
    docs, _ = read_corpus([str(speeches_dir)])
    base = [d for d in docs if not d.id.endswith(HELD)]
    index, report = build_index(iter(base), tmp_path_factory.mktemp("index") / "ix", jobs=1)
    assert index.documents == len(report.documents) == len(base)
    asked = [d for d in docs if d.id.endswith(HELD)]
    return {a.query.rsplit("/", 1)[-1]: a for a in Searcher(SavedIndex.open(index.path)).ask(asked)}


@pytest.fixture(scope="module")
def full(speeches_dir: Path):  # type: ignore[no-untyped-def]
    return scan([str(speeches_dir)], jobs=1)


def _fills(full, query: str) -> dict[tuple[str, int, int], str | None]:  # type: ignore[no-untyped-def]
    family = next(f for f in full.families if query in f.members)
    return {(s.template_text, *s.span.as_list()): s.fills.get(query) for s in full.slots if s.family == family.id}


def test_a_copy_joins_its_family_and_fills_its_slots_as_a_full_scan_finds(answers, full) -> None:  # type: ignore[no-untyped-def]
    for held, template in (
        ("famA-copy-traditional.txt", "famA-template-placeholders.txt"),
        ("famB-copy-big5.txt", "famB-template.txt"),
    ):
        answer = answers[held]
        assert answer.matched and not answer.matches[0].duplicate
        # one family (famB's copy shares famB's half with the mosaic, and joins famA's family not through it)
        (joined,) = answer.families
        assert joined.template is not None and joined.template.endswith(template)
        got = {(s.template_text, *s.span.as_list()): s.fills.get(answer.query) for s in joined.fills}
        assert len(got) >= 10 and got == _fills(full, answer.query)


def test_a_copy_of_a_document_in_no_family_makes_one_with_it(answers, full) -> None:  # type: ignore[no-untyped-def]
    answer = answers["en-copy-filled.txt"]
    (joined,) = answer.families
    assert joined.family == "" and joined.template is not None
    assert joined.template.endswith("en-template-placeholders.txt")
    got = {(s.template_text, *s.span.as_list()): s.fills.get(answer.query) for s in joined.fills}
    assert got == _fills(full, answer.query) and any(got.values())


def test_stock_phrases_alone_match_nothing(answers) -> None:  # type: ignore[no-untyped-def]
    answer = answers["unrelated-1-stock-phrases.txt"]
    assert not answer.matched and answer.families == ()


def test_a_folder_without_an_index_or_of_another_format_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no dupdetect index here"):
        SavedIndex.open(tmp_path)
    (tmp_path / MANIFEST).write_text(json.dumps({"format": 999}), encoding="utf-8")
    with pytest.raises(InputError, match=r"format 999.*build it again"):
        SavedIndex.open(tmp_path)


def test_the_commands_index_and_query_answer_with_exit_status_0_1_2(speeches_dir: Path, tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from dupdetect.cli import app

    runner = CliRunner()
    base = tmp_path / "base"
    shutil.copytree(speeches_dir, base)
    for held in HELD:
        (base / held).unlink()
    index = tmp_path / "ix"
    built = runner.invoke(app, ["index", str(base), "--index", str(index), "--jobs", "1", "-q"])
    assert built.exit_code == 0, built.output
    assert "indexed 14 documents" in built.stdout
    copy = speeches_dir / "famA-copy-traditional.txt"
    asked = runner.invoke(app, ["query", str(copy), "--index", str(index), "-f", "json"])
    assert asked.exit_code == 0, asked.output
    (answer,) = json.loads(asked.stdout)
    assert answer["matched"] and answer["families"][0]["template"] == "famA-template-placeholders.txt"
    fills = {s["slot"]: s["fill"] for s in answer["families"][0]["slots"]}
    start, end = answer["families"][0]["slots"][0]["fill_span"]
    assert copy.read_text(encoding="utf-8")[start:end] == fills[1] and len(fills) >= 10
    table = runner.invoke(app, ["query", "-", "--index", str(index)], input=copy.read_text(encoding="utf-8"))
    assert table.exit_code == 0 and "famA-template-placeholders.txt" in table.stdout and fills[1] in table.stdout
    alone = runner.invoke(app, ["query", str(speeches_dir / "unrelated-1-stock-phrases.txt"), "--index", str(index)])
    assert alone.exit_code == 1 and "shares no substantial passage" in alone.stdout
    for speech, folder in ((tmp_path / "missing.txt", index), (copy, base)):  # (base: a folder with no index)
        refused = runner.invoke(app, ["query", str(speech), "--index", str(folder)])
        assert refused.exit_code == 2 and "error:" in refused.stderr and "Traceback" not in refused.output
