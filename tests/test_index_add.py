"""`dupdetect add` grows a saved index: its families, roles and slots are then a full scan's of everything;
a query meanwhile sees the index before or after; a killed add leaves it as it was; --verify and --info."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dupdetect import Config, Report, ScanWarning, iter_documents, read_corpus, scan
from dupdetect.cli import app
from dupdetect.index.query import Searcher
from dupdetect.index.store import MANIFEST, WORK, SavedIndex, add_documents, build_index, info, verify
from dupdetect.model.answer import answer_to_dict
from dupdetect.model.errors import InputError
from tests.conftest import ROOT, bench_module

runner = CliRunner()
KEPT = ("families", "family_places", "slots", "documents")


def _same_as_full_scan(index: Path, report: Report, inputs: list[str], tmp_path: Path) -> None:
    """The index's families, roles and slots (its report, and the tables a query reads) are a full scan's."""
    full_work = tmp_path / "full-work"
    shutil.rmtree(full_work, ignore_errors=True)
    full = scan(inputs, jobs=2, work=full_work)
    assert report.families == full.families and report.slots == full.slots
    assert [d.id for d in report.documents] == [d.id for d in full.documents]
    with SavedIndex.open(index) as opened:
        for name in KEPT:
            held = pq.read_table(opened.work / f"{name}.parquet")
            assert held.equals(pq.read_table(full_work / f"{name}.parquet")), name


def _split(folder: Path, tmp_path: Path, parts: dict[str, list[str]]) -> list[str]:
    """The fixture files of ``folder`` copied into one folder per part (``parts``: a part's file names)."""
    out = []
    for part, names in parts.items():
        (tmp_path / part).mkdir()
        for name in names:
            shutil.copy(folder / name, tmp_path / part / name)
        out.append(str(tmp_path / part))
    return out


def test_adding_the_fixtures_in_batches_gives_the_families_roles_and_slots_of_a_full_scan(
    speeches_dir: Path, tmp_path: Path
) -> None:
    names = sorted(p.name for p in speeches_dir.iterdir())
    b1 = [n for n in names if n.startswith("famB-copy") or n.startswith("en-copy")]
    b2 = [n for n in names if n.startswith("famA-copy-t") or n.startswith("unrelated-1")]
    base = [n for n in names if n not in b1 + b2]
    parts = _split(speeches_dir, tmp_path, {"base": base, "b1": b1, "b2": b2})
    # a file named as an indexed one: renamed as a scan of everything renames it
    shutil.copy(speeches_dir / b1[0], Path(parts[2]) / base[0])
    index = tmp_path / "ix"
    assert runner.invoke(app, ["index", parts[0], "--index", str(index), "--jobs", "1", "-q"]).exit_code == 0
    for batch in parts[1:]:
        added = runner.invoke(app, ["add", batch, "--index", str(index), "--jobs", "1", "-q"])
        assert added.exit_code == 0, added.output
    assert "added 3 documents" in added.stdout and "(g000003)" in added.stdout
    with SavedIndex.open(index) as opened:
        assert f"{base[0]}~2" in opened.ids() and opened.generation == "g000003"
    for part in parts[:2]:  # (read with a warning: the kept one first, then the new)
        (Path(part) / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8 not text")
    report = scan(parts, jobs=1)
    base_warnings: list[ScanWarning] = []
    base_docs = iter_documents(parts[:1], on_warning=base_warnings.append)
    build_index(base_docs, tmp_path / "ix2", warnings=base_warnings, jobs=1)[0].close()
    for batch in parts[1:]:
        said: list[ScanWarning] = []

        def read(config: Config, taken: frozenset[str], batch: str = batch, said: list[ScanWarning] = said):
            return iter_documents([batch], config=config.ingest, on_warning=said.append, taken=taken)

        added_report = add_documents(read, tmp_path / "ix2", warnings=said, jobs=1)[1]
    assert added_report.families == report.families and added_report.slots == report.slots
    assert len(report.warnings) >= 2 and added_report.warnings == report.warnings
    assert added_report.counts == report.counts
    _same_as_full_scan(index, added_report, parts, tmp_path)
    assert [p.name for p in index.glob("g*")] == ["g000003"]  # (no reader held the older generations)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A heavy-tailed generated corpus of 400 speeches, as a base of 250 and three batches of 50 (a family's
    members dealt out among them: an add brings new members of the base's families, and new families)."""
    folder = tmp_path_factory.mktemp("generated")
    corpus = bench_module().corpus(400, folder, "heavy") / "corpus.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = []
    for name, picked in {"base": (0, 1, 2, 3, 4), "b1": (5,), "b2": (6,), "b3": (7,)}.items():
        parts.append(folder / f"{name}.jsonl")
        parts[-1].write_text("".join(line for i, line in enumerate(lines) if i % 8 in picked), encoding="utf-8")
    return parts


def test_adding_a_generated_corpus_in_batches_gives_a_full_scans_families_roles_and_slots(
    generated: list[Path], tmp_path: Path
) -> None:
    index = tmp_path / "ix"
    base, *batches = generated
    docs, _ = read_corpus([str(base)])
    build_index(iter(docs), index, jobs=2)[0].close()
    for batch in batches:
        new, _ = read_corpus([str(batch)])
        opened, report = add_documents(iter(new), index, jobs=2)
        opened.close()
    assert len(report.documents) == 400 and max(len(f.members) for f in report.families) >= 8
    _same_as_full_scan(index, report, [str(p) for p in generated], tmp_path)


def test_a_reader_keeps_the_generation_it_opened_and_the_next_reader_sees_the_add(
    speeches_dir: Path, tmp_path: Path
) -> None:
    docs, _ = read_corpus([str(speeches_dir)])
    held = [d for d in docs if "famB" in d.id]
    index = tmp_path / "ix"
    build_index(iter(d for d in docs if d not in held), index, jobs=1)[0].close()
    asked = [d for d in held if d.id.endswith("famB-copy-big5.txt")]
    reader = SavedIndex.open(index)
    before = [answer_to_dict(a) for a in Searcher(reader).ask(asked)]
    assert not before[0]["families"]  # (its family's other copies are not indexed yet)
    add_documents(iter(d for d in held if d not in asked and "gb18030" not in d.id), index, jobs=1)[0].close()
    add_documents(iter(d for d in held if "gb18030" in d.id), index, jobs=1)[0].close()  # (a second add)
    assert sorted(p.name for p in index.glob("g0*")) == ["g000001", "g000003"]  # the reader's is kept
    assert [answer_to_dict(a) for a in Searcher(reader).ask(asked)] == before  # it reads what it opened
    assert reader.ids() == {d.id for d in docs if d not in held}
    reader.close()
    with SavedIndex.open(index) as after:
        assert after.generation == "g000003"
        (answer,) = Searcher(after).ask(asked)
        assert answer.families and answer.families[0].template == "famB-template.txt"
    with pytest.raises(InputError, match="already holds"):
        add_documents(iter(held[-1:]), index, jobs=1)
    assert sorted(p.name for p in index.glob("g0*")) == ["g000003"]  # (a writer removes what no reader holds)


def test_a_folder_holding_anything_else_is_refused_and_add_makes_no_folder(speeches_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.json").write_text('{"a web page": true}', encoding="utf-8")
    (mine / "g000001").mkdir()
    docs, _ = read_corpus([str(speeches_dir / "famA-template-placeholders.txt")])
    with pytest.raises(InputError, match="not a dupdetect index and not empty"):
        build_index(iter(docs), mine, jobs=1)
    assert (mine / "index.json").read_text(encoding="utf-8") == '{"a web page": true}' and (mine / "g000001").is_dir()
    with pytest.raises(InputError, match="no dupdetect index here"):
        add_documents(iter(docs), tmp_path / "typo", jobs=1)
    assert not (tmp_path / "typo").exists()
    refused = runner.invoke(app, ["query", str(speeches_dir / "famA-template-placeholders.txt"), "--index", str(mine)])
    assert refused.exit_code == 2 and not (mine / ".lock").exists()


def test_one_writer_at_a_time(speeches_dir: Path, tmp_path: Path) -> None:
    import fcntl

    index = tmp_path / "ix"
    assert runner.invoke(app, ["index", str(speeches_dir), "--index", str(index), "--jobs", "1", "-q"]).exit_code == 0
    with (index / ".writer").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        refused = runner.invoke(
            app, ["add", str(speeches_dir / "famA-template-placeholders.txt"), "--index", str(index)]
        )
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1 and "another dupdetect is writing this index" in said and "Traceback" not in said


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "dupdetect", *args]


def test_a_killed_add_leaves_the_index_as_it_was_and_queries_meanwhile_see_before_or_after(
    generated: list[Path], tmp_path: Path
) -> None:
    index = tmp_path / "ix"
    base, b1, b2, _b3 = generated
    docs, _ = read_corpus([str(base)])
    build_index(iter(docs), index, jobs=2)[0].close()
    asked, _ = read_corpus([str(b2)])
    with SavedIndex.open(index) as opened:
        before = [answer_to_dict(a) for a in Searcher(opened).ask(asked[:5])]
    written = (index / MANIFEST).read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # killed once its scan has prepared the documents
    add = subprocess.Popen(_cli("add", str(b1), "--index", str(index), "--jobs", "2", "-q"), env=env)
    pending = index / "g000002" / WORK / "manifest.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and add.poll() is None:
        if pending.exists() and "prepare" in json.loads(pending.read_text(encoding="utf-8") or "{}").get("stages", {}):
            break
        time.sleep(0.01)
    assert add.poll() is None, "the add finished before it could be killed"
    add.send_signal(signal.SIGKILL)
    add.wait()
    assert (index / MANIFEST).read_bytes() == written and not verify(index).problems
    with SavedIndex.open(index) as opened:
        assert opened.generation == "g000001"
        assert [answer_to_dict(a) for a in Searcher(opened).ask(asked[:5])] == before
    # run again while queries read the index: each sees it before the add or after it, never half of it
    add = subprocess.Popen(_cli("add", str(b1), "--index", str(index), "--jobs", "1", "-q"), env=env)
    seen = []
    while add.poll() is None:
        with SavedIndex.open(index) as opened:
            seen.append((opened.generation, [answer_to_dict(a) for a in Searcher(opened).ask(asked[:5])]))
    assert add.wait() == 0
    with SavedIndex.open(index) as opened:
        after = [answer_to_dict(a) for a in Searcher(opened).ask(asked[:5])]
        assert opened.generation == "g000002"
    assert seen and all(answers == (before if gen == "g000001" else after) for gen, answers in seen)
    assert after != before  # (b1 holds copies of the families b2's speeches join)


def test_verify_finds_a_changed_byte_a_query_refuses_a_damaged_file_and_info_describes(
    speeches_dir: Path, tmp_path: Path
) -> None:
    index = tmp_path / "ix"
    assert runner.invoke(app, ["index", str(speeches_dir), "--index", str(index), "--jobs", "1", "-q"]).exit_code == 0
    checked = runner.invoke(app, ["index", "--index", str(index), "--verify"])
    assert checked.exit_code == 0 and "every checksum as written" in checked.stdout
    described = runner.invoke(app, ["index", "--index", str(index), "--info", "-f", "json"])
    facts = json.loads(described.stdout)
    assert facts["documents"] == facts["inputs"] == 18 and facts["families"] == 4 and facts["generation"] == "g000001"
    assert (
        facts["bytes"]["total"]
        == sum(v for k, v in facts["bytes"].items() if k != "total")
        == info(index)["bytes"]["total"]
    )
    described = runner.invoke(app, ["index", "--index", str(index), "--info"]).stdout
    assert facts["bytes"]["catalog"] > 0 and "documents" in described
    query = ["query", str(speeches_dir / "famA-copy-traditional.txt"), "--index", str(index)]
    for name, at in (("band_units.npy", -3), ("slots.parquet", 40)):
        damaged = tmp_path / f"damaged-{name}"
        shutil.copytree(index, damaged)
        file = next(damaged.rglob(name))
        data = bytearray(file.read_bytes())
        data[at] ^= 0xFF
        file.write_bytes(bytes(data))
        checked = runner.invoke(app, ["index", "--index", str(damaged), "--verify"])
        said = " ".join(checked.stderr.split())
        assert checked.exit_code == 1 and f"{name}: changed since it was written" in said and "Traceback" not in said
        if name == "slots.parquet":  # (a query checks the files it reads whole; --verify every byte)
            refused = runner.invoke(app, [*query[:-1], str(damaged)])
            said = " ".join(refused.stderr.split())
            assert refused.exit_code == 2 and "slots.parquet" in said and "--verify" in said
    assert runner.invoke(app, query).exit_code == 0
    # an index written before its tables checked their pages: opening hashes the small tables whole
    older = tmp_path / "older"
    shutil.copytree(index, older)
    manifest = json.loads((older / MANIFEST).read_text(encoding="utf-8"))
    (older / MANIFEST).write_text(json.dumps({**manifest, "page_checksums": None}), encoding="utf-8")
    places = next(older.rglob("family_places.parquet"))
    places.write_bytes(places.read_bytes()[:-9] + bytes([places.read_bytes()[-9] ^ 0xFF]) + places.read_bytes()[-8:])
    refused = runner.invoke(app, [*query[:-1], str(older)])
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 2 and "family_places.parquet changed since it was written" in said
    assert runner.invoke(app, ["index", str(speeches_dir), "--index", str(index), "--info"]).exit_code == 2
    assert runner.invoke(app, ["index", "--index", str(index)]).exit_code == 2
    (index / MANIFEST).write_text(json.dumps({"format": 3}), encoding="utf-8")
    for args in (["index", "--index", str(index), "--verify"], query):
        refused = runner.invoke(app, args)
        said = " ".join(refused.stderr.split())
        assert refused.exit_code in (1, 2) and "of format 3" in said and "build it again with `dupdetect index`" in said
