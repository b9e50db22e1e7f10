"""The real CLI on a hostile folder (see ``tests/hostile.py``).

One scan, run once for this module as ``python -m dupdetect scan CORPUS --out OUT --format json``
with its working folder, ``HOME`` and ``TMPDIR`` in empty temporary folders, and, where the tests
run as root, without root's right to read what permissions forbid (``hostile.permission_checked``);
each test checks one promise of issue 8 on it: it finishes without a traceback, well within a time
and memory budget; every input is a document or named in a warning, unreadable ones included; the
outputs are valid; nothing escapes to the terminal raw; nothing is written outside ``--out``;
nothing outside the scanned folder is read; duplicates collapse and output stays bounded. The
scan's wall time and peak memory are printed (``pytest -s`` or ``-rP`` shows them).

The harness also runs the scan under a hard memory cap (RLIMIT_AS) and kills it at a time limit,
so that a runaway scan cannot take the machine or the test run down with it; a scan stopped there
fails the test by its exit status or by ``pytest.fail``. The budgets the test asserts (``TIME_BUDGET``,
``PEAK_BUDGET``) lie well under those caps, so that a scan that grows slower or bigger fails
before the harness has to stop it.

The corpus holds the issue's 10,000 byte-identical files (``COPIES``): 65 MiB in all; the scan
takes about 15 s and peaks at about 380 MiB resident on two cores.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hostile import MARKER, Hostile, build, permission_checked

from dupdetect.cli import EXIT_SKIPPED
from dupdetect.read.ingest import display_path

COPIES = 10_000  # the 10,000 byte-identical files
MEMORY_CAP = 4 * 2**30  # RLIMIT_AS of the scan: the harness's guard, not what is tested
TIME_LIMIT = 600.0  # seconds, after which the harness kills the scan: likewise
PEAK_BUDGET = 1 * 2**30  # the peak resident memory the scan must stay under (about 380 MiB measured)
TIME_BUDGET = 90.0  # seconds the scan must finish in (about 15 s measured, on a machine others share)
OUTPUTS = {"report.json", "families.graphml", "families-directed.graphml"}
C0 = re.compile(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f]")

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4") or sys.platform == "win32", reason="needs POSIX wait4")


@dataclass
class Run:
    """One scan of the hostile folder and everything observed around it."""

    made: Hostile
    base: Path
    out: Path
    home: Path
    cwd: Path
    tmp: Path
    code: int
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_bytes: int
    permissions_checked: bool  # False: run as root with no setpriv, unreadable inputs were read
    before: dict[str, tuple[int, int, int]]
    after: dict[str, tuple[int, int, int]]

    def report(self) -> dict[str, Any]:
        return strict_json(self.stdout.decode("utf-8"))

    def named(self) -> set[str]:
        """Every source the report names: documents' files and warnings' inputs (``:line`` dropped)."""
        data = self.report()
        sources = [d["source"] for d in data["documents"]] + [w["source"] for w in data["warnings"]]
        return {re.sub(r":\d+$", "", source) for source in sources}


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def snapshot(base: Path, *skip: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under ``base`` (not following links, not ``skip`` nor under it): mode, size, mtime."""
    found: dict[str, tuple[int, int, int]] = {}
    for folder, folders, files in os.walk(base):
        folders[:] = [name for name in folders if Path(folder, name) not in skip]
        for name in folders + [name for name in files if Path(folder, name) not in skip]:
            info = os.lstat(os.path.join(folder, name))
            found[os.path.join(folder, name)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run_capped(command: list[str], cwd: Path, env: dict[str, str], out: Path) -> tuple[int, float, int]:
    """Run ``command`` (stdout, stderr to files in ``out``) and wait: exit code, seconds, peak RSS in bytes."""
    started = time.monotonic()
    with open(out / "stdout", "wb") as stdout, open(out / "stderr", "wb") as stderr:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            preexec_fn=_limit_memory,
            start_new_session=True,
        )
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > TIME_LIMIT:
            os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            pytest.fail(f"the scan did not finish in {TIME_LIMIT:.0f} s")
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return process.returncode, time.monotonic() - started, usage.ru_maxrss * scale


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    base = tmp_path_factory.mktemp("hostile")
    made = build(base / "data", copies=COPIES)
    out, cwd, home, tmp, streams = (base / name for name in ("out", "cwd", "home", "tmp", "streams"))
    for folder in (cwd, home, tmp, streams):
        folder.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "COLUMNS": "120",
    }
    before = snapshot(base, out, streams)
    prefix = permission_checked()
    command = [*(prefix or []), sys.executable, "-m", "dupdetect", "scan", str(made.root), "--out", str(out)]
    code, seconds, peak = _run_capped([*command, "--format", "json"], cwd, env, streams)
    after = snapshot(base, out, streams)
    stdout, stderr = (streams / "stdout").read_bytes(), (streams / "stderr").read_bytes()
    print(
        f"\nhostile scan: {made.size() / 2**20:.1f} MiB corpus, {COPIES} copies, exit {code}, "
        f"{seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB"
    )
    yield Run(made, base, out, home, cwd, tmp, code, stdout, stderr, seconds, peak, prefix is not None, before, after)
    for folder in (made.root / "specials", made.root / "specials" / "locked"):
        os.chmod(folder, 0o755)  # so that the temporary folder can be removed


def test_the_scan_finishes_within_its_budget_and_says_inputs_were_skipped(run: Run) -> None:
    assert run.code == EXIT_SKIPPED, run.stderr.decode("utf-8", "replace")[-2000:]  # the bombs, the binaries ...
    assert b"Traceback" not in run.stderr
    assert b"internal error" not in run.stderr
    assert run.seconds < TIME_BUDGET
    assert run.peak_bytes < PEAK_BUDGET


def test_unreadable_inputs_are_warned_about_not_read(run: Run) -> None:
    if not run.permissions_checked:
        pytest.skip("running as root, and no setpriv (util-linux) to drop the capabilities that ignore permissions")
    warned = {os.path.relpath(w["source"], run.made.root): w["message"] for w in run.report()["warnings"]}
    assert warned["specials/unreadable.txt"] == "cannot read file: permission denied; check its permissions"
    assert warned["specials/locked"] == "cannot read folder: permission denied; check its permissions"
    ids = {d["id"] for d in run.report()["documents"]}
    assert not ids & {"specials/unreadable.txt", "specials/locked/inside.txt"}


def scan_can_list(run: Run, folder: str) -> bool:
    """Whether the scan could list ``folder`` (root without the capabilities that ignore permissions:
    by the owner's bits, root owning everything the test made)."""
    if run.permissions_checked and os.geteuid() == 0:
        return os.stat(folder).st_mode & 0o500 == 0o500
    return os.access(folder, os.R_OK | os.X_OK)


def test_every_input_is_a_document_or_named_in_a_warning(run: Run) -> None:
    named = run.named()
    missing = []
    for folder, folders, files in os.walk(run.made.root):
        folders[:] = [f for f in folders if not f.startswith(".")]
        for name in list(folders):
            path = os.path.join(folder, name)
            if not os.path.islink(path) and not scan_can_list(run, path):
                folders.remove(name)  # what it holds is not seen: the folder itself must be named
                if display_path(path) not in named:
                    missing.append(path)
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, run.made.root)
            if name.startswith(".") or relative in run.made.unsupported:
                continue
            if display_path(path) not in named:
                missing.append(path)
    for folder, folders, _ in os.walk(run.made.root):  # links to folders: os.walk lists them as folders
        for name in folders:
            path = os.path.join(folder, name)
            if os.path.islink(path) and display_path(path) not in named:
                missing.append(path)
    assert missing == []


def test_outputs_are_valid_and_only_the_outputs_are_in_out(run: Run) -> None:
    assert {p.name for p in run.out.iterdir()} == OUTPUTS  # no temporary files left
    saved = strict_json((run.out / "report.json").read_text(encoding="utf-8"))
    assert saved == run.report()
    ids = [d["id"] for d in saved["documents"]]
    assert len(ids) == len(set(ids))
    for name in ("families.graphml", "families-directed.graphml"):
        graph = nx.read_graphml(run.out / name)
        assert set(graph.nodes) <= {re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", i) for i in ids}


def test_no_control_characters_reach_the_terminal(run: Run) -> None:
    for stream in (run.stdout, run.stderr):
        stream.decode("utf-8")  # strictly: no undecodable file name bytes, no lone surrogates
        assert b"\x1b" not in stream
        assert C0.search(stream) is None


def test_the_table_report_shows_hostile_names_inert(run: Run) -> None:
    folders = [str(run.made.root / name) for name in ("names", "records", "content")]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(run.home), "COLUMNS": "200"}
    env |= {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(run.tmp)}
    done = subprocess.run(
        [sys.executable, "-m", "dupdetect", "scan", *folders],
        cwd=run.cwd,
        env=env,
        capture_output=True,
        timeout=TIME_LIMIT,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 3, done.stderr.decode("utf-8", "replace")[-2000:]
    assert b"Traceback" not in done.stderr
    assert b"renamed to 'control" in done.stderr  # an id holding an escape sequence, printed
    assert b"binary-" in done.stderr and b"empty-" in done.stderr
    for stream in (done.stdout, done.stderr):
        stream.decode("utf-8")
        assert b"\x1b" not in stream
        assert C0.search(stream) is None


def test_nothing_is_written_outside_out(run: Run) -> None:
    changed = {path for path in run.before.keys() | run.after.keys() if run.before.get(path) != run.after.get(path)}
    # the scan's scratch folder was made in TMPDIR and removed (the folder's own times change; it stays empty)
    assert changed <= {str(run.tmp)}
    for folder in (run.cwd, run.home, run.tmp):
        assert list(folder.iterdir()) == []


def test_nothing_outside_the_scanned_folder_is_read(run: Run) -> None:
    assert MARKER.encode() not in run.stdout
    assert MARKER.encode() not in (run.out / "report.json").read_bytes()
    warned = {w["source"]: w["message"] for w in run.report()["warnings"]}
    for name in ("leak.txt", "leak-dir", "etc", "zero.txt", "null.txt", "dangling.txt", "self.txt", "up"):
        assert warned[str(run.made.root / "links" / name)].startswith("symbolic link; not followed")


def test_bombs_and_binaries_are_warned_about_and_good_files_read(run: Run) -> None:
    report = run.report()
    warned = {os.path.relpath(w["source"], run.made.root): w["message"] for w in report["warnings"]}
    encodings = {d["id"]: d["encoding"] for d in report["documents"]}
    expected = {
        "bombs/zip-bomb.docx": "over the limit of 50.0 MiB (zip bomb?)",
        "bombs/lying-sizes.docx": "bad CRC-32",
        "bombs/flate-chain.pdf": "safety limit",
        "bombs/flate-bomb.pdf": "safety limit",
        "bombs/zip-slip.docx": "unsafe path",
        "content/program": "binary file",
        "content/program.txt": "binary file",
        "content/photo.txt": "binary file (a PNG image)",
        "content/scan.txt": "binary file (a JPEG image)",
        "content/noise.txt": "binary file",
        "content/empty.txt": "empty file",
        "content/whitespace.txt": "only whitespace",
        "content/bom-only.txt": "only a byte-order mark",
        "sizes/one-line-20mib.txt": "--max-text-chars",
        "content/gb18030-3-bad-bytes.txt": "invalid byte sequences replaced with U+FFFD (decoded as gb18030)",
        "content/utf8-bad-bytes.txt": "1 invalid byte sequence replaced with U+FFFD (decoded as utf-8)",
    }
    for source, phrase in expected.items():
        assert phrase in warned[source], (source, warned.get(source))
    assert "lol" not in json.dumps(report, ensure_ascii=False)
    assert {
        "bombs/good.docx": "docx",
        "bombs/good.pdf": "pdf",
        "bombs/xxe.docx": "docx",
        "bombs/external-dtd.docx": "docx",
        "content/README": "utf-8",
        "content/page": "html:utf-8",
        "content/report": "pdf",
        "content/letter": "docx",
        "content/utf16le-no-bom.txt": "utf-16-le",
        "content/utf16be-no-bom.txt": "utf-16-be",
        "content/utf16-no-ascii.txt": "utf-16-le",
        "content/gb18030-3-bad-bytes.txt": "gb18030",
        "sizes/200000-lines.txt": "utf-8",
        "wide": "csv:utf-8",
    }.items() <= encodings.items()


def test_exact_duplicates_collapse_and_the_output_stays_bounded(run: Run) -> None:
    report = run.report()
    originals = {d["duplicate_of"] for d in report["documents"] if d["id"].startswith("copies/") and d["duplicate_of"]}
    assert originals == {"copies/00000.txt"}
    duplicates = [d for d in report["documents"] if d["duplicate_of"] == "copies/00000.txt"]
    assert len(duplicates) >= COPIES - 1
    near = [p for p in report["pairs"] if "near-copy.txt" in (p["a"], p["b"])]
    assert [p["a"] for p in near if p["a"].startswith("copies/")] == ["copies/00000.txt"]
    assert len(near) < 50  # the others share stock phrases only
    assert len(report["pairs"]) < COPIES + 500
    assert len(run.stdout) < 40 * 2**20


def test_texts_too_short_to_shingle_are_one_warning_or_one_group(run: Run) -> None:
    report = run.report()
    tiny = [d for d in report["documents"] if d["id"].startswith("tiny/")]
    assert len(tiny) == 1000
    counted = [w for w in report["warnings"] if "can share no passage" in w["message"]]
    assert len(counted) == 1
    assert int(counted[0]["message"].split()[0]) == report["counts"]["too_short"] >= 1000


def test_folders_are_walked_whatever_their_names(run: Run) -> None:
    ids = {d["id"] for d in run.report()["documents"]}
    deep = "names/" + "/".join(f"d{n:02}" for n in range(1, 51)) + "/deep.txt"
    expected = {deep, "names/a/speech.txt", "names/b/speech.txt", "names/x.txt/inside-a-folder-named-like-a-file.txt"}
    expected |= {"names/Case.txt", "names/case.txt", "names/CASE.TXT", "names/gbk-关于讲话.txt"}
    assert expected <= ids
    assert "names/bad-\ufffd\ufffd\ufffd.txt" in ids
    assert stat.S_ISFIFO(os.lstat(run.made.root / "specials" / "pipe").st_mode) or not hasattr(os, "mkfifo")
