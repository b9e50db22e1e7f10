"""The work folder: each stage's results on disk, read back equal, and a killed scan resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dupdetect import Config, read_corpus, scan
from dupdetect.engine.pipeline import STAGES, detect
from dupdetect.engine.work import MANIFEST, WorkDir
from dupdetect.model import columns
from dupdetect.model.errors import InputError
from dupdetect.model.serialize import report_json
from tests.conftest import ROOT

REALPAGES = ROOT / "benchmarks" / "realpages" / "corpus.jsonl"


def test_every_stage_result_reads_back_as_it_was_written(speeches_dir: Path, tmp_path: Path) -> None:
    report = scan([str(speeches_dir)], jobs=1, work=tmp_path)
    store = WorkDir(tmp_path, json.loads((tmp_path / MANIFEST).read_text())["key"])
    assert store.finished() == list(STAGES)
    families = columns.families_from(
        store.read_table("families"),
        store.read_table("family_places"),
        columns.warnings_from(store.read_table("family_warnings")),
    )
    assert families.families == report.families
    pairs = columns.pairs_from(store.read_table("families_pairs"))
    assert [(p.a, p.b, p.coverage_a, p.passages[0].a) for p in pairs] == [
        (p.a, p.b, p.coverage_a, p.passages[0].a) for p in report.pairs
    ]
    again = columns.pairs_table(pairs)
    assert again.equals(store.read_table("families_pairs"))
    found = columns.SlotColumns(store.read_table("slots"), store.read_table("edits"), store.read_table("templates"))
    assert found.slot_rows() == report.slots and len(report.slots) > 0
    assert found.edit_rows() == report.edits and found.template_rows() == report.templates
    assert [list(s.fill_spans) for s in found.slot_rows()] == [list(s.fill_spans) for s in report.slots]
    cleaned = tuple(columns.cleaned_rows(store.read_table("documents")))
    assert len(cleaned) == len(report.documents)
    assert columns.cleaned_table(cleaned).equals(store.read_table("documents"))
    # the texts and keys are kept as the files the scan wrote, with their ranges beside them
    from dupdetect.engine.columnar import KeySlots, NormTable
    from dupdetect.engine.texts import TextFile, TextTable
    from dupdetect.stages.normalize import normalize

    ranges = store.read_array("text_ranges")
    texts = TextTable(TextFile(tmp_path / "texts.utf16"), ranges[:, 0], ranges[:, 1], ranges[:, 2])
    docs, _ = read_corpus([str(speeches_dir)])
    by_id = {d.id: d.text for d in docs}
    assert [texts[i] for i in range(len(cleaned))] == [by_id[c.doc.id] for c in cleaned]
    slots = KeySlots.open(tmp_path / "keys.utf16", store.read_array("key_slots"))
    arrays = {name: store.read_array(f"norm_{name}") for name in NormTable.ARRAYS}
    norms = NormTable.from_arrays(slots, arrays, {})
    # a kept corpus is read from its files, not copied into memory
    from dupdetect.engine.pipeline import _load_corpus

    kept = _load_corpus(store, None)  # type: ignore[arg-type]
    assert not any(a.flags.writeable for a in (*kept.norms.arrays().values(), kept.units.arrays()[1]))
    for i, c in enumerate(cleaned):
        want = normalize(by_id[c.doc.id], drop=[r.span for r in c.removals])
        assert (norms[i].key, norms[i].runs.tolist(), norms[i].placeholders) == (
            want.key,
            want.runs.tolist(),
            want.placeholders,
        )


def test_empty_tables_keep_their_schema(tmp_path: Path) -> None:
    store = WorkDir(tmp_path, "k")
    store.write_table("pairs", columns.pairs_table([]))
    assert (
        store.read_table("pairs").schema.equals(columns.PAIRS) and columns.pairs_from(store.read_table("pairs")) == []
    )


@pytest.mark.parametrize("corpus", ["speeches", "realpages"])
def test_a_run_resumed_after_any_stage_gives_the_same_report(corpus: str, speeches_dir: Path, tmp_path: Path) -> None:
    path = str(speeches_dir if corpus == "speeches" else REALPAGES)
    plain = report_json(scan([path], jobs=1))
    assert report_json(scan([path], jobs=1, work=tmp_path)) == plain
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    for k in range(len(STAGES)):
        kept = dict(manifest, stages={s: manifest["stages"][s] for s in STAGES[:k]})
        (tmp_path / MANIFEST).write_text(json.dumps(kept), encoding="utf-8")
        assert report_json(scan([path], jobs=2, work=tmp_path)) == plain, STAGES[:k]


def test_other_inputs_or_settings_start_afresh(speeches_dir: Path, tmp_path: Path) -> None:
    docs, _ = read_corpus([str(speeches_dir)])
    detect(docs, jobs=1, work=tmp_path)
    stricter = Config().with_overrides(align={"min_chars": 80})
    assert report_json(detect(docs, jobs=1, config=stricter, work=tmp_path)) == report_json(
        detect(docs, jobs=1, config=stricter)
    )
    fewer = docs[:-3]
    assert report_json(detect(fewer, jobs=1, work=tmp_path)) == report_json(detect(fewer, jobs=1))


def test_a_folder_holding_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not a dupdetect work folder"):
        WorkDir(tmp_path, "k")
    assert (tmp_path / "notes.txt").exists()


def test_a_half_written_file_is_never_trusted(speeches_dir: Path, tmp_path: Path) -> None:
    scan([str(speeches_dir)], jobs=1, work=tmp_path)
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    (tmp_path / MANIFEST).write_text(json.dumps(manifest)[:-20], encoding="utf-8")  # cut short: not a manifest
    store = WorkDir(tmp_path, manifest["key"])
    assert store.finished() == [] and not list(tmp_path.glob("*.parquet"))


_KILLED_IN_ALIGNMENT = """
import os, signal, sys
from dupdetect.engine import pipeline
calls = 0
original = pipeline._align_task
def dying(shared, item, first=None):
    global calls
    calls += 1
    if calls == 40:  # some pairs aligned, the stage not finished: killed, as by kill -9
        os.kill(os.getpid(), signal.SIGKILL)
    return original(shared, item, first)
pipeline._align_task = dying
from dupdetect.cli import run
sys.argv = ["dupdetect", *sys.argv[1:]]
run()
"""


def test_a_scan_killed_during_alignment_resumes_with_the_same_report(tmp_path: Path) -> None:
    work, out = tmp_path / "work", tmp_path / "out"
    args = ["scan", str(REALPAGES), "--jobs", "1", "--work", str(work), "-o", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_IN_ALIGNMENT, *args], env=env, capture_output=True, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    stages = json.loads((work / MANIFEST).read_text(encoding="utf-8"))["stages"]
    assert list(stages) == ["prepare", "candidates"] and not (out / "report.json").exists()
    resumed = subprocess.run(
        [sys.executable, "-m", "dupdetect", *args], env=env, capture_output=True, check=False, cwd=ROOT
    )
    assert resumed.returncode == 0, resumed.stderr
    fresh = subprocess.run(
        [sys.executable, "-m", "dupdetect", *args[:2], "--jobs", "1", "-o", str(tmp_path / "fresh"), "-q"],
        env=env,
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    assert fresh.returncode == 0, fresh.stderr
    assert (out / "report.json").read_bytes() == (tmp_path / "fresh" / "report.json").read_bytes()
    assert not list(work.glob(".*.tmp"))


def test_tables_are_written_and_read_a_batch_at_a_time(speeches_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "BATCH_ROWS", 5)  # 18 documents: batches of 5, one cut short
    docs, _ = read_corpus([str(speeches_dir)])
    report = detect(docs, jobs=1)

    table = columns.pairs_table(report.pairs)
    assert table.num_rows == len(report.pairs) and len(table.to_batches()) == -(-len(report.pairs) // 5)
    assert columns.pairs_from(table.slice(3)) == list(report.pairs[3:])  # a slice: its lists start mid-way
    assert columns.pairs_from(table) == list(report.pairs)


def test_the_scratch_folder_is_removed_and_a_killed_runs_is_cleared(speeches_dir: Path, tmp_path: Path) -> None:
    from dupdetect.engine.work import SCRATCH, scratch

    stale = tmp_path / f"{SCRATCH}killed"
    stale.mkdir()
    (stale / "signatures.bands").write_bytes(b"\0" * 64)
    with scratch(tmp_path) as folder:
        assert folder.parent == tmp_path and folder.name.startswith(SCRATCH) and not stale.exists()
    assert not folder.exists()
    stale.mkdir()  # a work folder holding only a killed run's scratch is still ours
    scan([str(speeches_dir)], jobs=1, work=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_temporary_scratch_folder_is_held_by_its_run_and_one_no_run_holds_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl
    import socket
    import tempfile

    from dupdetect.engine.work import OWNER, TEMP_SCRATCH, scratch

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for name in ("killed", "running"):
        (tmp_path / f"{TEMP_SCRATCH}{name}").mkdir()
        (tmp_path / f"{TEMP_SCRATCH}{name}" / OWNER).write_text(f"{socket.gethostname()} 1\n")
    (tmp_path / f"{TEMP_SCRATCH}unnamed").mkdir()  # no owner file: not known to be ours, kept

    def locked(path: Path) -> bool:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    holder = os.open(tmp_path / f"{TEMP_SCRATCH}running" / OWNER, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a running scan holds it
    try:
        with scratch(None) as folder:
            assert (folder / OWNER).read_text().split() == [socket.gethostname(), str(os.getpid())]
            assert locked(folder / OWNER)
            left = sorted(p.name for p in tmp_path.iterdir() if p != folder)
            assert left == [f"{TEMP_SCRATCH}{n}" for n in ("running", "unnamed")]
    finally:
        os.close(holder)
    assert not folder.exists()
    with scratch(None) as again:  # the run that held it is gone: its folder goes
        assert [p.name for p in tmp_path.iterdir() if p != again] == [f"{TEMP_SCRATCH}unnamed"]


def test_a_kept_work_folder_is_opened_as_it_is_or_refused_in_one_line(speeches_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    scan([str(speeches_dir)], jobs=1, work=work)
    kept = sorted(p.name for p in work.iterdir())
    store = WorkDir.open(work, through="slots")
    assert store.finished() == list(STAGES) and sorted(p.name for p in work.iterdir()) == kept  # (nothing emptied)
    manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    (work / MANIFEST).write_text(json.dumps({**manifest, "stages": {}}), encoding="utf-8")
    with pytest.raises(InputError, match="did not finish its prepare stage"):
        WorkDir.open(work, through="prepare")
    (work / MANIFEST).write_text(json.dumps({**manifest, "format": 1}), encoding="utf-8")
    with pytest.raises(InputError, match="format 1"):
        WorkDir.open(work, through="prepare")
    with pytest.raises(InputError, match="not a dupdetect work folder"):
        WorkDir.open(tmp_path, through="prepare")


def test_a_tables_rows_of_one_key_are_read_alone_whatever_its_row_groups(tmp_path: Path) -> None:
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    rng = random.Random(11)
    store = WorkDir(tmp_path / "w", "key")
    for n, group in ((0, None), (1, None), (40, 3), (200, 7), (200, 64), (57, 1)):
        keys = sorted(rng.choice(["F1", "F2", "F10", "F33", None]) or "F7" for _ in range(n))
        if n % 2:
            rng.shuffle(keys)  # (a key's rows in several groups, apart)
        table = pa.table({"family": pa.array(keys, pa.string()), "n": list(range(n))})
        store.write_table("t", table, group_rows=group)
        for key in ("F1", "F10", "F7", "F99"):
            assert store.read_rows("t", "family", key).equals(table.filter(pc.equal(table["family"], key))), (n, key)
    with pytest.raises(OSError, match="no column nope"):
        store.read_rows("t", "nope", "F1")
    with pytest.raises(OSError, match="no column nope"):
        store.read_table("t", columns=["n", "nope"])
