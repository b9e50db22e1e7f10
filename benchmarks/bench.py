"""The benchmark: dupdetect's stages, the scan as users run it, and a naive baseline, in one run.

    python benchmarks/bench.py                  # 1k and 10k documents, both shapes, the copies series
    python benchmarks/bench.py --sizes 1000 10000 100000 --runs 3
    python benchmarks/bench.py --sizes 1000 --runs 1 --copies 100      # a quick look

For each size of ``--sizes`` it generates (or reuses, under ``--data``) two seeded corpora with
``benchmarks/generate.py``, one per shape of ``--shapes``: ``uniform`` (families of 2 to 9
documents, in ``data/1k``, ``data/10k``, ...) and ``heavy`` (Zipf-like family sizes up to
n/100, copies of copies, stock formulas each in 1-20 % of the documents; ``data/10k-heavy``);
and for each N of ``--copies`` one template with N copies among max(1,000, 2N) documents
(``data/copies-5k-in-10k``). Then it measures, run after run:

- dupdetect stage by stage on one core in this process (ingest, clean, normalize, segment,
  shingle+hash, MinHash, candidates, align, families, slots, report, writing the JSON), on the
  uniform corpora up to ``--stages-upto`` documents;
- ``dupdetect scan`` as a user runs it, in a new process, on all cores (and on one core too for
  the uniform corpora up to ``--one-core-upto``): wall and CPU seconds and the peak memory of the
  process tree; a scan is stopped after ``--scan-timeout`` seconds;
- the baseline a user writes with datasketch in about 40 lines: a MinHash (num_perm=128,
  ``update_batch``) of each whole document's set of character 5-grams, ``MinHashLSH`` at the
  thresholds 0.3, 0.4, ..., 0.9 (the MinHashes made once, the index built anew per threshold),
  connected components (networkx) as families. The threshold with the best family F1 against
  the truth is kept (tuned on the truth: the baseline's best case) and its time is the MinHash
  time plus that threshold's LSH and components time, on one core. It stops after
  ``BASELINE_BUDGET`` (900) seconds in all, and a threshold whose queries return more than
  ``BASELINE_MAX_PAIRS`` (30 M) candidates is given up (its graph would take over 2 GB); when
  no threshold finishes, the speed-up is a lower bound;

and scores both against the generated truth (pairwise precision/recall/F1 of families), so that
speed is never bought with recall; then dupdetect and the baseline on the labelled corpora
(benchmarks/realpages, the seed excerpts). It prints tables and writes
``benchmarks/results.json``. Timings are medians over ``--runs``; the baseline runs once.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from datasketch import LeanMinHash, MinHash, MinHashLSH

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from dupdetect import Config, read_corpus  # noqa: E402
from dupdetect.engine import pipeline as dp  # noqa: E402
from dupdetect.engine.local import MAX_CHUNK  # noqa: E402
from dupdetect.model import columns  # noqa: E402
from dupdetect.model.evaluate import evaluate, evaluation_to_dict  # noqa: E402
from dupdetect.model.serialize import report_json  # noqa: E402
from dupdetect.stages.fingerprint import shingle_many  # noqa: E402
from dupdetect.stages.normalize import normalize  # noqa: E402
from dupdetect.stages.segment import segment_rows  # noqa: E402

SHAPES = ("uniform", "heavy")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
BASELINE_BUDGET = 900.0  # seconds for the whole baseline on one corpus (MinHash and every threshold)
BASELINE_MAX_PAIRS = 30_000_000  # candidates a threshold's queries may return (<= 15 M graph edges, ~2 GB)
SCAN_TIMEOUT = 1800.0  # seconds; a scan still running then is stopped


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def label(n: int) -> str:
    """1000 -> 1k, 10000 -> 10k, 1500 -> 1500."""
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of a process and its descendants (shared pages counted once), in MB.

    A sample during which a process forked or ended is taken again: a parent read before a fork
    and its new child after would count the pages they share one and a half times.
    """
    least = None
    for _ in range(5):
        pids = _tree(root)
        total = sum(_pss_kb(pid) for pid in pids)
        if _tree(root) == pids:
            return total / 1024
        least = total if least is None else min(least, total)  # (an over-count is the likelier error)
    return (least or 0) / 1024


def _tree(root: int) -> list[int]:
    """A process and its descendants."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
        found.append(pid)
    return sorted(found)


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class ScanTimeout(Exception):
    """The scan ran past ``--scan-timeout``."""


def cli_scan(
    path: Path, jobs: int | None, timeout: float | None = None, engine: str = "local"
) -> tuple[dict[str, float], list[list[str]]]:
    """``dupdetect scan`` as a user runs it (a new process, report written to a folder; ``engine`` dask: on a
    local Dask cluster of ``jobs`` workers, its start included).

    Wall seconds, CPU seconds of the process and its workers, and the peak memory of the
    whole process tree (PSS, sampled a few times a second: shared pages counted once).
    Raises ScanTimeout (after stopping the scan and its workers) past ``timeout`` seconds.
    """
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "dupdetect", "scan", str(path), "--out", out, "-q"]
        cmd += ["--jobs", str(jobs)] if jobs else []
        cmd += ["--engine", engine]
        measured = _measured(cmd, timeout, ok=(0, 3))
        report = json.loads((Path(out) / "report.json").read_text(encoding="utf-8"))
    families = [f["members"] for f in report["families"]]
    return measured, families


def _measured(cmd: list[str], timeout: float | None = None, ok: tuple[int, ...] = (0,)) -> dict[str, float]:
    """A command's wall and CPU seconds (its own and its workers') and its process tree's peak memory (PSS,
    sampled a few times a second). Raises ScanTimeout (after stopping it and its workers) past ``timeout``
    seconds, RuntimeError when it exits with a status not in ``ok``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    peak = 0.0
    errors = io.StringIO()
    drain = threading.Thread(target=lambda: errors.write(proc.stderr.read() if proc.stderr else ""))
    drain.start()
    while proc.poll() is None:
        if timeout and time.perf_counter() - start > timeout:
            os.killpg(proc.pid, signal.SIGKILL)  # the command's own process group: it and its workers
            proc.wait()
            drain.join()
            raise ScanTimeout
        took = time.perf_counter()
        peak = max(peak, _tree_pss_mb(proc.pid))
        time.sleep(max(0.2, 20 * (time.perf_counter() - took)))  # sampling stays under 5 % of a core
    wall = time.perf_counter() - start
    drain.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}: {errors.getvalue()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": round(wall, 2), "cpu": round(cpu, 2), "peak_mb": round(peak)}


def corpus(size: int, data: Path, shape: str = "uniform") -> Path:
    """The generated corpus of ``size`` documents of one shape (made once, then reused)."""
    folder = data / (label(size) if shape == "uniform" else f"{label(size)}-{shape}")
    if not (folder / "corpus.jsonl").exists() or not (folder / "truth.json").exists():
        progress(f"generating {folder}")
        generate.write(generate.generate(size, shape=shape, docs=generate.JsonlDocs(folder / "corpus.jsonl")), folder)
    return folder


def copies_corpus(n_copies: int, data: Path) -> Path:
    """One template and ``n_copies`` copies among max(1,000, 2N) documents (made once, then reused)."""
    docs = max(1000, 2 * n_copies)
    folder = data / f"copies-{label(n_copies)}-in-{label(docs)}"
    if not (folder / "corpus.jsonl").exists() or not (folder / "truth.json").exists():
        progress(f"generating {folder}")
        generate.write(generate.copies(n_copies, docs, docs=generate.JsonlDocs(folder / "corpus.jsonl")), folder)
    return folder


def pair_scores(found: Iterable[Iterable[str]], truth: dict[str, list[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of families (a pair is positive when both are in one family).

    Counted without listing the pairs (a family of 5,000 has 12.5 M): a document's partners are
    the other members of its family, or of the union of its families when it is in several.
    """
    got = [g for g in ({*g} for g in found) if len(g) > 1]
    want = [g for g in ({*g} for g in truth.values()) if len(g) > 1]

    def memberships(groups: list[set[str]]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, g in enumerate(groups):
            for doc in g:
                out.setdefault(doc, []).append(i)
        return out

    def partners(groups: list[set[str]], ids: list[int]) -> set[str]:
        return set().union(*(groups[i] for i in ids))

    def n_pairs(groups: list[set[str]], member: dict[str, list[int]]) -> int:
        return sum(len(groups[i[0]]) - 1 if len(i) == 1 else len(partners(groups, i)) - 1 for i in member.values()) // 2

    in_got, in_want = memberships(got), memberships(want)
    both = in_got.keys() & in_want.keys()
    overlap = Counter((i, j) for doc in both for i in in_got[doc] for j in in_want[doc])
    hit = 0
    for doc in both:
        gi, wi = in_got[doc], in_want[doc]
        if len(gi) == 1 and len(wi) == 1:
            hit += overlap[gi[0], wi[0]] - 1
        else:
            hit += len(partners(got, gi) & partners(want, wi)) - 1
    hit //= 2
    n_got, n_want = n_pairs(got, in_got), n_pairs(want, in_want)
    p = hit / n_got if n_got else 1.0
    r = hit / n_want if n_want else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def group_sizes(families: Iterable[Iterable[str]]) -> dict[str, int]:
    """How many families (of two or more) and the size of the largest."""
    sizes = [len(set(f)) for f in families]
    sizes = [s for s in sizes if s > 1]
    return {"families": len(sizes), "largest": max(sizes, default=0)}


def dupdetect_stages(path: Path, config: Config) -> tuple[dict[str, float], Any]:
    """Run the stages one by one, on one core, as the scan runs them; seconds per stage and the report."""
    t: dict[str, float] = {}
    (docs, warnings), t["ingest"] = timed(lambda: read_corpus([path]))
    cleaned, t["clean"] = timed(lambda: dp.clean_corpus(docs, config=config.clean, jobs=1))
    norms, t["normalize"] = timed(
        lambda: [normalize(c.doc.text, drop=[r.span for r in c.removals], config=config.normalize) for c in cleaned]
    )
    units, t["segment"] = timed(
        lambda: [segment_rows(c.doc.text, n, config=config.segment) for c, n in zip(cleaned, norms, strict=True)]
    )
    shingles, t["shingle+hash"] = timed(  # in batches of documents, as the scan's workers shingle them
        lambda: [
            s
            for lo in range(0, len(norms), MAX_CHUNK)
            for s in shingle_many(
                norms[lo : lo + MAX_CHUNK], [u[:, 2:] for u in units[lo : lo + MAX_CHUNK]], config=config.fingerprint
            )
        ]
    )
    with tempfile.TemporaryDirectory(prefix="dupdetect-bench-") as folder:  # the texts', keys' and bands' files
        corpus = dp._assemble(cleaned, norms, units, config, Path(folder))
        counts: dict[str, int] = {}
        cpu = time.process_time()
        del shingles  # (timed above for the hashing rate; the signature pass makes them again, as the scan does)
        table = dp._unit_table(corpus)
        (sigs, anchored, _stock), t["minhash"] = timed(
            lambda: dp._minhash(corpus, table, config, counts, 1, dp._silent, Path(folder))
        )
        t["minhash (cpu)"] = time.process_time() - cpu
        work, t["candidates"] = timed(lambda: dp._candidate_work(table, sigs, anchored, config, counts, []))
        (pairs, deferred), t["align"] = timed(lambda: dp._align_pairs(corpus, work, config, counts, 1))
        (families, found), t["families"] = timed(lambda: dp._families(corpus, pairs, config, counts, 1, deferred))
        pairs = columns.pairs_table(found).combine_chunks()  # (as the families stage gives them on)
        slots, t["slots"] = timed(lambda: dp._find_slots(corpus, families.families, pairs, config, 1))
        report, t["report"] = timed(lambda: dp._report(corpus, pairs, families, slots, config, counts, warnings))
        _, t["write json"] = timed(lambda: report_json(report))
        corpus.texts.file.close()
    return t, report


class OutOfBudget(Exception):
    """The baseline ran past its time budget, or a threshold past its budget of candidate pairs."""


def baseline_minhashes(path: Path, deadline: float) -> tuple[list[str], list[LeanMinHash]]:
    """The baseline's first half: one MinHash per document over its set of character 5-grams."""
    ids, sketches = [], []
    for n, doc in enumerate(read_corpus([path])[0]):
        if n % 64 == 0 and time.perf_counter() > deadline:
            raise OutOfBudget("MinHash unfinished at the time budget")
        text = doc.text
        shingles = {text[i : i + 5] for i in range(len(text) - 4)}
        if shingles:
            m = MinHash(num_perm=128)
            m.update_batch([s.encode("utf-8") for s in shingles])
            ids.append(doc.id)
            sketches.append(LeanMinHash(m))
    return ids, sketches


def baseline_families(
    ids: list[str], sketches: list[LeanMinHash], threshold: float, deadline: float, max_pairs: int
) -> list[list[str]]:
    """The baseline's second half at one threshold: an LSH index, a query per document, components."""
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for n, (key, m) in enumerate(zip(ids, sketches, strict=True)):
        if n % 256 == 0 and time.perf_counter() > deadline:
            raise OutOfBudget("out of time")
        lsh.insert(key, m)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(ids)
    pairs = 0
    for n, (key, m) in enumerate(zip(ids, sketches, strict=True)):
        if n % 64 == 0 and time.perf_counter() > deadline:
            raise OutOfBudget("out of time")
        found = lsh.query(m)
        pairs += len(found)
        if pairs > max_pairs:
            raise OutOfBudget(f"over {max_pairs:,} candidate pairs")
        graph.add_edges_from((key, other) for other in found if other != key)
    return [sorted(c) for c in nx.connected_components(graph) if len(c) > 1]


def baseline(
    path: Path, truth: dict[str, list[str]], budget: float = BASELINE_BUDGET, max_pairs: int = BASELINE_MAX_PAIRS
) -> dict[str, Any]:
    """The naive datasketch pipeline at every threshold of THRESHOLDS, the best one against ``truth`` kept.

    ``seconds`` is the MinHash time plus the best threshold's LSH and components time, or None when
    no threshold finished (``at_least`` is then a lower bound of it).
    """
    start = time.perf_counter()
    deadline = start + budget
    try:
        (ids, sketches), minhash = timed(lambda: baseline_minhashes(path, deadline))
    except OutOfBudget as stop:
        return {"seconds": None, "at_least": round(time.perf_counter() - start, 2), "stopped": str(stop)}
    per: dict[str, dict[str, Any]] = {}
    for threshold in THRESHOLDS:
        begin = time.perf_counter()
        try:
            found = baseline_families(ids, sketches, threshold, deadline, max_pairs)
        except OutOfBudget as stop:
            per[f"{threshold:.1f}"] = {
                "seconds": None,
                "stopped": str(stop),
                "after": round(time.perf_counter() - begin, 2),
            }
            continue
        seconds = time.perf_counter() - begin
        per[f"{threshold:.1f}"] = {
            "seconds": round(seconds, 2),
            **group_sizes(found),
            "quality": pair_scores(found, truth),
        }
    out: dict[str, Any] = {"minhash_seconds": round(minhash, 2), "thresholds": per}
    finished = [t for t, v in per.items() if v["seconds"] is not None]
    if not finished:
        return {"seconds": None, "at_least": round(minhash + min(v["after"] for v in per.values()), 2), **out}
    best = max(finished, key=lambda t: per[t]["quality"]["f1"])
    b = per[best]
    return {
        "seconds": round(minhash + b["seconds"], 2),
        "threshold": float(best),
        "quality": b["quality"],
        "families": b["families"],
        "largest": b["largest"],
        **out,
    }


def speedup(base: dict[str, Any], wall: float | None) -> float | str | None:
    """The baseline's time over dupdetect's (all cores); a string "> x" when the baseline did not finish."""
    if not wall:
        return None
    if base["seconds"] is not None:
        return round(base["seconds"] / wall, 1)
    return f"> {base['at_least'] / wall:.1f}"


def measure(
    name: str,
    folder: Path,
    runs: int,
    *,
    with_baseline: bool,
    stages: bool = False,
    one_core: bool = False,
    timeout: float | None = SCAN_TIMEOUT,
    dask: bool = False,
) -> dict[str, Any]:
    """One corpus: stages (optional), the scan on one core (optional), on all cores, and on a local Dask
    cluster of as many workers (optional: with the families it finds compared), the baseline."""
    path = folder / "corpus.jsonl"
    truth_file = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    truth = truth_file["families"]
    truth = truth if isinstance(truth, dict) else {f"G{i}": m for i, m in enumerate(truth)}
    chars, documents = 0, 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            chars += len(json.loads(line)["text"])
            documents += 1
    result: dict[str, Any] = {
        "corpus": name,
        "documents": documents,
        "chars": chars,
        "bytes": path.stat().st_size,
        "truth": {**group_sizes(truth.values()), "singletons": len(truth_file.get("singletons", []))},
    }
    if stages:
        progress(f"{name}: stages, {runs} run(s)")
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            t, _report = dupdetect_stages(path, Config())
            for stage, seconds in t.items():
                samples.setdefault(stage, []).append(seconds)
        result["stages"] = {k: round(statistics.median(v), 3) for k, v in samples.items()}
        result["stages_peak_mb"] = round(peak_mb())
    settings = [("1 core", 1, "local")] if one_core else []
    settings.append(("all cores", None, "local"))
    settings += [("dask", None, "dask")] if dask else []
    result["scan"] = {}
    families: list[list[str]] | None = None
    for setting, jobs, engine in settings:
        progress(f"{name}: dupdetect scan, {setting}, {runs} run(s)")
        measured: list[dict[str, float]] = []
        try:
            for _ in range(runs):
                m, found = cli_scan(path, jobs, timeout, engine)
                measured.append(m)
        except ScanTimeout:
            result["scan"][setting] = {"wall": None, "timed_out_after": timeout}
            families = None if setting == "all cores" else families
            continue
        if engine == "dask":
            result["dask_same_families"] = found == families
        else:
            families = found
        result["scan"][setting] = {k: statistics.median(m[k] for m in measured) for k in measured[0]}
    if families is not None:
        result["found"] = group_sizes(families)
        result["quality"] = pair_scores(families, truth)
    if with_baseline:
        progress(f"{name}: baseline")
        result["baseline"] = baseline(path, truth)
        result["speedup"] = speedup(result["baseline"], result["scan"]["all cores"]["wall"])
    return result


def index_figures(
    folder: Path, *, held: int = 100, seed: int = 5, cold: bool = False, added: int = 1000
) -> dict[str, Any]:
    """The saved index of a generated corpus less ``held`` speeches (seven in ten family members, the rest
    singletons, drawn with ``seed``) and ``added`` more (drawn alike from the rest): ``dupdetect index`` as a
    user runs it (time, peak memory, size on disk against the JSONL), then ``dupdetect query`` of each
    held-out speech in a new process, timed from process start to the answer (p50, p90, p99 and the largest
    peak RSS), warm, and with ``cold`` also after dropping the page cache (root only), and whether each
    family member found a mate; the queries ask the index once ``dupdetect add`` has added the ``added``
    speeches (its time and peak memory measured too)."""
    truth_file = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    truth = truth_file["families"]
    truth = truth if isinstance(truth, dict) else {f"G{i}": m for i, m in enumerate(truth)}
    group_of = {m: g for g, members in truth.items() for m in members}
    rng = random.Random(seed)
    members = sorted(m for m in group_of if len(truth[group_of[m]]) > 1)
    singles = sorted(truth_file.get("singletons", []))
    n_members = min(len(members), held * 7 // 10)
    chosen = set(rng.sample(members, n_members)) | set(rng.sample(singles, min(len(singles), held - n_members)))
    rest = sorted((set(group_of) | set(singles)) - chosen)
    adding = set(rng.sample(rest, min(added, len(rest) // 2)))
    # the package's bytecode written first, as an installed package has it (PYTHONDONTWRITEBYTECODE=1 would
    # otherwise make every query process compile dupdetect's sources again: 0.1-0.2 s of its start)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "dupdetect")], check=False)
    with tempfile.TemporaryDirectory(prefix="dupdetect-bench-index-") as tmp:
        work = Path(tmp)
        (work / "q").mkdir()
        queries = []
        with (
            (work / "base.jsonl").open("w", encoding="utf-8") as base,
            (work / "add.jsonl").open("w", encoding="utf-8") as more,
        ):
            for line in (folder / "corpus.jsonl").open(encoding="utf-8"):
                doc_id = json.loads(line)["id"]
                if doc_id in chosen:
                    queries.append((doc_id, work / "q" / f"{len(queries):04d}.jsonl"))
                    queries[-1][1].write_text(line, encoding="utf-8")
                else:
                    (more if doc_id in adding else base).write(line)
        progress(f"{folder.name}: dupdetect index ({len(queries)} speeches held out)")
        build = [sys.executable, "-m", "dupdetect", "index", str(work / "base.jsonl"), "--index", str(work / "ix")]
        built = _measured([*build, "-q"])
        size = sum(f.stat().st_size for f in (work / "ix").rglob("*") if f.is_file())
        result: dict[str, Any] = {
            "corpus": folder.name,
            "held_out": len(queries),
            "build": built,
            "index_mb": round(size / 2**20),
            "jsonl_mb": round((work / "base.jsonl").stat().st_size / 2**20),
        }
        progress(f"{folder.name}: dupdetect add, {len(adding)} speeches")
        result["add"] = {
            "speeches": len(adding),
            **_measured(
                [sys.executable, "-m", "dupdetect", "add", str(work / "add.jsonl"), "--index", str(work / "ix"), "-q"]
            ),
        }
        for cache in ("warm", "cold") if cold else ("warm",):
            progress(f"{folder.name}: dupdetect query, {len(queries)} speeches, {cache} page cache")
            times, peaks, joined, missed = [], [], 0, 0
            for doc_id, path in queries:
                if cache == "cold":
                    subprocess.run(["sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches"], check=True)
                cmd = [sys.executable, "-m", "dupdetect", "query", str(path), "--index", str(work / "ix"), "-f", "json"]
                start = time.perf_counter()
                proc = subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                out = proc.stdout.read() if proc.stdout else b""
                _, status, usage = os.wait4(proc.pid, 0)  # (this process's own peak, not the children's so far)
                times.append(time.perf_counter() - start)
                peaks.append(usage.ru_maxrss / 1024)
                code = os.waitstatus_to_exitcode(status)
                if code not in (0, 1):
                    raise RuntimeError(f"{' '.join(cmd)} exited with {code}")
                answers = json.loads(out) if out else []
                group = group_of.get(doc_id)
                if group is not None and len(truth[group]) > 1:
                    mates = set(truth[group]) - {doc_id}
                    found = any(m["doc"] in mates for a in answers for m in a["matches"])
                    joined, missed = joined + found, missed + (not found)
            times.sort()
            result[cache] = {
                "p50": round(statistics.median(times), 2),
                "p90": round(times[int(0.9 * (len(times) - 1))], 2),
                "p99": round(times[int(0.99 * (len(times) - 1))], 2),
                "max_rss_mb": round(max(peaks)),
                "members_matched": joined,
                "members_missed": missed,
            }
    return result


def dask_table(results: list[dict[str, Any]]) -> str:
    """The Dask engine beside the local one, a line per corpus it ran on."""
    lines = ["Dask engine: a local cluster of as many workers as cores (its start included), beside the local engine"]
    for r in results:
        dask, local = r["scan"].get("dask"), r["scan"].get("all cores")
        if not dask or not local or dask.get("wall") is None or local.get("wall") is None:
            continue
        same = "the same families" if r.get("dask_same_families") else "OTHER FAMILIES"
        ratio = dask["wall"] / local["wall"]
        lines.append(f"  {r['corpus']}: local {local['wall']:.1f} s, dask {dask['wall']:.1f} s ({ratio:.2f}x), {same}")
    return "\n".join(lines)


def index_table(figures: list[dict[str, Any]]) -> str:
    """The saved index's figures, a line per corpus."""
    lines = [
        "Saved index: built from the corpus less the held-out and the added speeches, then the add; each held-out "
        "speech queried alone"
    ]
    for f in figures:
        lines.append(
            f"  {f['corpus']}: build {f['build']['wall']:.1f} s (peak {f['build']['peak_mb']} MB), "
            f"{f['index_mb']} MB on disk for {f['jsonl_mb']} MB of JSONL ({f['index_mb'] / max(1, f['jsonl_mb']):.1f}x)"
        )
        if "add" in f:
            a = f["add"]
            lines.append(f"    add of {a['speeches']} speeches: {a['wall']:.1f} s (peak {a['peak_mb']} MB)")
        for cache in ("warm", "cold"):
            if cache in f:
                q = f[cache]
                lines.append(
                    f"    query, {cache} page cache: p50 {q['p50']:.2f} s, p90 {q['p90']:.2f} s, p99 {q['p99']:.2f} s, "
                    f"largest max RSS {q['max_rss_mb']} MB; family members matched {q['members_matched']}, "
                    f"missed {q['members_missed']}"
                )
    return "\n".join(lines)


LABELLED = {
    "realpages (development corpus)": (HERE / "realpages" / "corpus.jsonl", HERE / "realpages" / "labels.json"),
    "seed excerpts": (HERE.parent / "fixtures" / "seeds", HERE.parent / "fixtures" / "seeds_labels.json"),
}


def accuracy(with_baseline: bool) -> dict[str, Any]:
    """dupdetect (default settings) and the baseline (at its best threshold) on the labelled corpora."""
    out: dict[str, Any] = {}
    for name, (path, labels_path) in LABELLED.items():
        progress(f"accuracy: {name}")
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        report = dp.scan([str(path)])
        scores = evaluation_to_dict(evaluate(report, labels))
        entry: dict[str, Any] = {"dupdetect": {k: scores[k] for k in ("families", "pairs", "fills")}}
        if with_baseline:
            truth = labels["families"]
            truth = truth if isinstance(truth, dict) else {f"G{i}": m for i, m in enumerate(truth)}
            base = baseline(path, truth)
            entry["baseline"] = {"families": base.get("quality"), "threshold": base.get("threshold")}
            entry["baseline"]["seconds"] = base["seconds"]
            entry["baseline"]["thresholds"] = base.get("thresholds", {})
        out[name] = entry
    return out


def accuracy_table(acc: dict[str, Any]) -> str:
    lines = [
        "\nAccuracy at the default settings (pairwise over families; fills: slot-fill precision/recall;"
        "\nthe baseline at the threshold that scores best on these labels)"
    ]
    for name, entry in acc.items():
        f = entry["dupdetect"]["families"]
        fills = entry["dupdetect"]["fills"]
        lines.append(
            f"  {name:<32} families P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}"
            f"   fills P {fills['precision']:.3f} R {fills['recall']:.3f}"
        )
        if "baseline" in entry and entry["baseline"]["families"]:
            b, t = entry["baseline"]["families"], entry["baseline"]["threshold"]
            who = f"  baseline (threshold {t})"
            lines.append(f"  {who:<32} families P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}")
        elif "baseline" in entry:
            lines.append(f"  {'  baseline':<32} unfinished")
    return "\n".join(lines)


def _scan_cell(m: dict[str, Any]) -> str:
    return f"> {m['timed_out_after']:g}" if m.get("wall") is None else f"{m['wall']:.1f}"


def _baseline_lines(b: dict[str, Any], speed: Any) -> list[str]:
    if b["seconds"] is None:
        lines = [f"  baseline: unfinished, at least {b['at_least']:.1f} s; speed-up of dupdetect (all cores): {speed}x"]
    else:
        q = b["quality"]
        lines = [
            f"  baseline, threshold {b['threshold']}: {b['seconds']:.1f} s (MinHash {b['minhash_seconds']:.1f} s"
            f" + LSH and components {b['seconds'] - b['minhash_seconds']:.1f} s, one core), {b['families']} families"
            f" (largest {b['largest']}); precision {q['precision']}, recall {q['recall']}, F1 {q['f1']}"
            + (f"; speed-up of dupdetect (all cores): {speed}x" if speed is not None else "")
        ]
    if b.get("thresholds"):
        cells = [
            f"{t} {v['quality']['f1']:.3f}" if v["seconds"] is not None else f"{t} stopped ({v['stopped']})"
            for t, v in b["thresholds"].items()
        ]
        lines.append("  baseline family F1 by threshold: " + ", ".join(cells))
    return lines


def table(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        n, chars, t = r["documents"], r["chars"], r["truth"]
        lines.append(
            f"\n{r['corpus']}: {n} documents, {chars / 1e6:.1f} M characters, {r['bytes'] / 1e6:.0f} MB of JSONL;"
            f" truth {t['families']} families (largest {t['largest']}), {t['singletons']} singletons"
        )
        if "stages" in r:
            lines.append(f"  {'stage (one core)':<22}{'seconds':>9}{'docs/s':>10}{'M chars/s':>11}")
            for stage, seconds in r["stages"].items():
                rate = n / seconds if seconds else float("inf")
                per_char = chars / 1e6 / seconds if seconds else 0
                lines.append(f"  {stage:<22}{seconds:>9.2f}{rate:>10.0f}{per_char:>11.2f}")
            lines.append(f"  (stages process peak {r['stages_peak_mb']} MB)")
        for name, m in r["scan"].items():
            if m.get("wall") is None:
                lines.append(f"  dupdetect scan, {name:<10} stopped after {m['timed_out_after']:g} s")
                continue
            lines.append(
                f"  dupdetect scan, {name:<10}{m['wall']:>8.1f} s wall {m['cpu']:>8.1f} s CPU"
                f"   peak {m['peak_mb']:.0f} MB (process tree, PSS)   {n / m['wall']:.0f} docs/s"
            )
        if "quality" in r:
            q, f = r["quality"], r["found"]
            lines.append(
                f"  dupdetect: {f['families']} families (largest {f['largest']}); "
                f"precision {q['precision']}, recall {q['recall']}, F1 {q['f1']}"
            )
        if "baseline" in r:
            lines.extend(_baseline_lines(r["baseline"], r["speedup"]))
    return "\n".join(lines)


def summary(results: list[dict[str, Any]]) -> str:
    """One line per corpus: dupdetect (all cores) beside the baseline at its best threshold."""
    head = (
        f"  {'corpus':<22}{'docs':>7}{'largest':>8} | {'dupdetect s':>11}{'peak MB':>8}{'fams':>6}{'largest':>8}"
        f"{'P':>7}{'R':>7}{'F1':>7} | {'baseline s':>10}{'thr':>5}{'P':>7}{'R':>7}{'F1':>7} | {'speed-up':>8}"
    )
    lines = [
        "\nSummary: dupdetect scan on all cores; the baseline on one core at its best threshold"
        " (pairwise family precision, recall, F1; largest = largest family, truth then found)",
        head,
        "  " + "-" * (len(head) - 2),
    ]
    for r in results:
        m = r["scan"]["all cores"]
        row = f"  {r['corpus']:<22}{r['documents']:>7}{r['truth']['largest']:>8} | {_scan_cell(m):>11}"
        row += f"{m.get('peak_mb', 0):>8.0f}" if m.get("wall") is not None else f"{'':>8}"
        if "quality" in r:
            q, f = r["quality"], r["found"]
            row += f"{f['families']:>6}{f['largest']:>8}{q['precision']:>7.3f}{q['recall']:>7.3f}{q['f1']:>7.3f}"
        else:
            row += f"{'':>6}{'':>8}{'':>7}{'':>7}{'':>7}"
        b = r.get("baseline")
        if b is None:
            row += f" | {'':>10}{'':>5}{'':>7}{'':>7}{'':>7} | {'':>8}"
        elif b["seconds"] is None:
            speed = f"{r['speedup']}x" if r["speedup"] is not None else ""
            row += f" | {'> ' + format(b['at_least'], '.1f'):>10}{'':>5}{'':>7}{'':>7}{'':>7} | {speed:>8}"
        else:
            q = b["quality"]
            speed = f"{r['speedup']}x" if r["speedup"] is not None else ""
            row += (
                f" | {b['seconds']:>10.1f}{b['threshold']:>5}{q['precision']:>7.3f}{q['recall']:>7.3f}{q['f1']:>7.3f}"
            )
            row += f" | {speed:>8}"
        lines.append(row)
    return "\n".join(lines)


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """The module docstring as it is written, and each option's default."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=_HelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="corpus sizes, in documents")
    parser.add_argument("--shapes", nargs="*", choices=SHAPES, default=list(SHAPES), help="corpus shapes per size")
    parser.add_argument(
        "--copies",
        type=int,
        nargs="*",
        default=[100, 1000, 5000],
        metavar="N",
        help="the one-template series: N copies among max(1000, 2N) documents each (none: skip it)",
    )
    parser.add_argument("--runs", type=int, default=3, help="scans (and stage timings) per corpus; medians")
    parser.add_argument(
        "--stages-upto", type=int, default=10000, help="time stage by stage up to this size (uniform corpora)"
    )
    parser.add_argument(
        "--one-core-upto", type=int, default=10000, help="scan on one core too up to this size (uniform corpora)"
    )
    parser.add_argument(
        "--scan-timeout", type=float, default=SCAN_TIMEOUT, help="stop a scan after this many seconds (0: never)"
    )
    parser.add_argument(
        "--index-sizes",
        type=int,
        nargs="*",
        default=[10000],
        help="heavy corpora to build a saved index of and query (100 held-out speeches each; none: skip)",
    )
    parser.add_argument(
        "--index-cold", action="store_true", help="also time queries after dropping the page cache (needs root)"
    )
    parser.add_argument(
        "--dask-upto",
        type=int,
        default=100_000,
        help="also scan the heavy corpora up to this size on a local Dask cluster (0: never; needs dupdetect[dask])",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the datasketch baseline")
    parser.add_argument("--no-accuracy", action="store_true", help="skip the labelled corpora")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where generated corpora are kept")
    parser.add_argument("--out", type=Path, default=HERE / "results.json", help="the results file")
    args = parser.parse_args()
    with_baseline, timeout = not args.no_baseline, args.scan_timeout or None
    results = []
    for n in args.sizes:
        for shape in args.shapes:
            uniform = shape == "uniform"
            results.append(
                measure(
                    f"{shape} {label(n)}",
                    corpus(n, args.data, shape),
                    args.runs,
                    with_baseline=with_baseline,
                    stages=uniform and n <= args.stages_upto,
                    one_core=uniform and n <= args.one_core_upto,
                    timeout=timeout,
                    dask=shape == "heavy" and n <= args.dask_upto,
                )
            )
            results[-1]["shape"] = shape
    series = []
    for n_copies in args.copies:
        folder = copies_corpus(n_copies, args.data)
        docs = max(1000, 2 * n_copies)
        entry = measure(
            f"{label(n_copies)} copies in {label(docs)}",
            folder,
            args.runs,
            with_baseline=with_baseline,
            timeout=timeout,
        )
        series.append({"copies": n_copies, **entry})
    indexes = [index_figures(corpus(n, args.data, "heavy"), cold=args.index_cold) for n in args.index_sizes]
    acc = accuracy(with_baseline) if not args.no_accuracy else {}
    machine = f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}"
    print(f"machine: {machine}, {len(os.sched_getaffinity(0))} cores")
    print(table(results + series))
    print(summary(results + series))
    if any("dask" in r["scan"] for r in results):
        print(dask_table(results))
    if indexes:
        print(index_table(indexes))
    if acc:
        print(accuracy_table(acc))
    data = {"machine": machine, "results": results, "copies": series, "index": indexes, "accuracy": acc}
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
