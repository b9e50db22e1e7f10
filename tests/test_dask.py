"""The Dask engine: the same report as the local engine, on a LocalCluster and on a scheduler and two
workers started as separate processes (as on separate machines), one of them killed mid-scan."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dupdetect import scan
from dupdetect.cli import app
from dupdetect.engine import local
from dupdetect.engine.cluster import dask_engine
from dupdetect.model.serialize import report_json
from tests.conftest import ROOT, bench_module

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated heavy-tailed corpus of 400 speeches: enough that every stage hands chunks to its workers."""
    return Path(bench_module().corpus(400, tmp_path_factory.mktemp("generated"), "heavy")) / "corpus.jsonl"


def _report(folder: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return report


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many chunks each map sent to the cluster (the Dask path was taken, not the local one)."""
    from dupdetect.engine import cluster

    sent: list[int] = []
    send = cluster._Chunks.__call__

    def counting(self: Any, fn: Any, chunks: list[Any], *args: Any) -> list[Any]:
        sent.append(len(chunks))
        return send(self, fn, chunks, *args)

    monkeypatch.setattr(cluster._Chunks, "__call__", counting)
    return sent


def test_scan_on_a_local_dask_cluster_writes_the_local_engines_report(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = _counted(monkeypatch)
    for engine in ("local", "dask"):
        args = ["scan", str(corpus), "--out", str(tmp_path / engine), "--jobs", "2", "-q", "--engine", engine]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
    assert len(sent) >= 5 and sum(sent) > 300  # (the stages' maps went to the cluster)
    assert _report(tmp_path / "dask") == _report(tmp_path / "local")
    assert len(_report(tmp_path / "local")["families"]) > 20
    assert local._EXECUTOR is None  # (the engine is let go of when the scan ends)


def test_the_fixtures_seeds_and_realpages_give_the_local_report_on_two_workers(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from dupdetect.model.config import Config

    sent = _counted(monkeypatch)
    monkeypatch.setattr(local, "MIN_ITEMS", 1)  # (every map goes to the cluster, however few its items)
    folders = [ROOT / "fixtures" / "speeches", ROOT / "fixtures" / "seeds", ROOT / "benchmarks" / "realpages"]
    expected = [report_json(scan([str(f)], jobs=2)) for f in folders]
    # the bands cut into shares by key range (a shuffle on band keys), as a corpus of millions is
    cut = Config(candidates=replace(Config().candidates, band_partition=300))
    whole = json.loads(report_json(scan([str(corpus)], jobs=2)))
    with dask_engine(workers=2):
        found = [report_json(scan([str(f)], jobs=2)) for f in folders]
        shuffled = json.loads(report_json(scan([str(corpus)], jobs=2, config=cut)))
    assert found == expected and len(sent) > 40
    assert shuffled.pop("config") != whole.pop("config") and shuffled == whole
    assert json.loads(expected[1])["families"]  # (the seeds hold families: the comparison says something)


def test_the_generated_10k_gives_the_local_report_on_two_workers(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The benchmark's heavy-tailed 10k corpus: report.json byte for byte, through the CLI as a user runs it."""
    corpus = Path(bench_module().corpus(10_000, tmp_path_factory.mktemp("generated10k"), "heavy")) / "corpus.jsonl"
    out = tmp_path_factory.mktemp("out10k")
    for engine in ("local", "dask"):
        args = ["scan", str(corpus), "--out", str(out / engine), "--jobs", "2", "-q", "--engine", engine]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
    local_json = (out / "local" / "report.json").read_bytes()
    assert (out / "dask" / "report.json").read_bytes() == local_json
    assert len(_report(out / "local")["families"]) > 400  # (479: the comparison says something)


def test_workers_that_cannot_see_the_work_folder_are_one_line(corpus: Path, tmp_path: Path) -> None:
    """A worker started where the work folder is not mounted (an empty file system over it, as on a machine
    without the shared mount): the scan ends with one line naming the worker and the folder."""
    hidden = tmp_path / "shared"
    hidden.mkdir()
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("needs unshare -m (root) to hide a folder from one process")
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    started = [_start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")]
    worker = f"{sys.executable} -m distributed.cli.dask_worker {address} --nworkers 1 --nthreads 1 --no-dashboard"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started.append(
        subprocess.Popen(
            ["unshare", "-m", "sh", "-c", f"mount -t tmpfs none {hidden} && exec {worker}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )
    try:
        args = ["scan", str(corpus), "--engine", "dask", "--scheduler", address, "--work", str(hidden / "work")]
        args += ["--out", str(tmp_path / "out"), "-q"]
        with dask_engine(address) as client:
            client.wait_for_workers(1, timeout=60)
        done = runner.invoke(app, args)
        said = " ".join(done.stderr.split())
        assert done.exit_code == 1 and "Traceback" not in done.output, done.output
        assert "the Dask worker tcp://" in said and f"cannot read this run's folder {hidden / 'work'}" in said, said
        assert "No such file or directory" in said
    finally:
        for proc in started:
            _stop(proc)


def test_a_scheduler_is_only_for_the_dask_engine(corpus: Path) -> None:
    done = runner.invoke(app, ["scan", str(corpus), "--scheduler", "tcp://127.0.0.1:1"])
    assert done.exit_code == 1 and "--scheduler is for --engine dask" in done.stderr


def test_an_unreachable_scheduler_is_one_line(corpus: Path) -> None:
    import dask

    port = _free_port()
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        done = runner.invoke(app, ["scan", str(corpus), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert done.exit_code == 1 and "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # (a worker and its nanny killed together, as a machine that goes away)
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_a_scheduler_and_two_workers_started_apart_survive_a_killed_worker(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = report_json(scan([str(corpus)], jobs=2))
    sent = _counted(monkeypatch)
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    started = [_start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")]
    try:
        for _ in range(2):
            worker = ("distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1")
            started.append(_start(*worker, "--no-dashboard"))
        with dask_engine(address) as client:
            client.wait_for_workers(2, timeout=60)
            killed: list[str] = []
            shown: dict[str, list[tuple[int, int]]] = {}

            def on_progress(stage: str, done: int, total: int) -> None:
                shown.setdefault(stage, []).append((done, total))
                if stage == "minhash" and not killed:  # a worker goes away in the middle of the scan
                    killed.append(stage)
                    _stop(started[2])

            again = report_json(scan([str(corpus)], jobs=2, on_progress=on_progress))
        assert killed and again == expected and sum(sent) > 300
        # the progress bars are told as chunks come back from the cluster, each stage's up to its total
        for stage in ("clean", "normalize", "minhash", "align", "slots"):
            steps = shown[stage]
            assert steps[-1][0] == steps[-1][1] > 0, (stage, steps[-3:])
            assert len(steps) > 2 or stage == "slots", (stage, steps)  # (400 speeches' 37 families: one step)
            assert all(a[0] <= b[0] for a, b in itertools.pairwise(steps)), stage
    finally:
        for proc in started:
            _stop(proc)
    time.sleep(0.1)


def test_the_local_engine_never_imports_dask(speeches_dir: Path) -> None:
    code = (
        "import sys\n"
        "from dupdetect import scan\n"
        "import dupdetect.cli\n"
        f"scan([{str(speeches_dir)!r}], jobs=2)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def _failing_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    from dupdetect.engine import pipeline

    segment = pipeline.segment_rows

    def broken(text: str, *args: Any, **kwargs: Any) -> Any:
        if "定时炸弹" in text:
            raise IndexError("list index out of range")
        return segment(text, *args, **kwargs)

    monkeypatch.setattr(pipeline, "segment_rows", broken)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stage_that_fails_on_a_document_names_it_in_one_line(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _failing_segments(monkeypatch)  # (a worker forked from here fails the same way)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    bomb = {"id": "the-culprit", "text": "尊敬的各位来宾：定时炸弹。" + "各项工作扎实推进。" * 40}
    (tmp_path / "c.jsonl").write_text("\n".join([*lines, json.dumps(bomb, ensure_ascii=False)]), encoding="utf-8")
    done = runner.invoke(app, ["scan", str(tmp_path / "c.jsonl"), "--jobs", str(jobs), "-q"])
    said = " ".join(done.stderr.split())
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "prepare failed on the-culprit: IndexError: list index out of range at test_dask.py:" in said, said
