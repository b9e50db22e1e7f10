"""The benchmark: dupdetect's stages, the scan as users run it, and a naive baseline, in one run.

    python benchmarks/bench.py                  # 1k and 10k documents
    python benchmarks/bench.py --sizes 1000 10000 100000 --runs 3

For each corpus size it generates (or reuses) a seeded corpus with
``benchmarks/generate.py``, then measures, run after run:

- dupdetect stage by stage on one core in this process (ingest, clean,
  normalize, segment, shingle+hash, MinHash, candidates, align, families,
  slots, report, writing the JSON), for sizes up to ``--stages-upto``;
- ``dupdetect scan`` as a user runs it, in a new process on one core and on
  all cores: wall and CPU seconds and the peak memory of the process tree;
- the baseline a user would write with the same packages: a Python set of
  5-gram shingles per paragraph, ``MinHash.update`` per shingle,
  ``MinHashLSH.insert``/``query`` per paragraph, rapidfuzz per candidate pair,
  connected components as families (stopped after ``BASELINE_BUDGET``);

and scores both against the generated truth (pairwise precision/recall of
families), so speed is never bought with recall. It prints a table and
writes ``benchmarks/results.json``. Timings are medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from dupdetect import Config, read_corpus  # noqa: E402
from dupdetect import pipeline as dp  # noqa: E402
from dupdetect.evaluate import evaluate, evaluation_to_dict  # noqa: E402
from dupdetect.export import report_json  # noqa: E402
from dupdetect.fingerprint import shingle_many  # noqa: E402
from dupdetect.normalize import normalize  # noqa: E402
from dupdetect.parallel import MAX_CHUNK  # noqa: E402
from dupdetect.segment import segment_rows  # noqa: E402


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of a process and its descendants (shared pages counted once), in MB."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def cli_scan(path: Path, jobs: int | None) -> tuple[dict[str, float], list[list[str]]]:
    """``dupdetect scan`` as a user runs it (a new process, report written to a folder).

    Wall seconds, CPU seconds of the process and its workers, and the peak memory of the
    whole process tree (PSS, sampled a few times a second: shared pages counted once).
    """
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "dupdetect", "scan", str(path), "--out", out, "-q"]
        cmd += ["--jobs", str(jobs)] if jobs else []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = 0.0
        errors = io.StringIO()
        drain = threading.Thread(target=lambda: errors.write(proc.stderr.read() if proc.stderr else ""))
        drain.start()
        while proc.poll() is None:
            took = time.perf_counter()
            peak = max(peak, _tree_pss_mb(proc.pid))
            time.sleep(max(0.2, 20 * (time.perf_counter() - took)))  # sampling stays under 5 % of a core
        wall = time.perf_counter() - start
        drain.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in (0, 3):
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}: {errors.getvalue()[-2000:]}")
        report = json.loads((Path(out) / "report.json").read_text(encoding="utf-8"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    families = [f["members"] for f in report["families"]]
    return {"wall": round(wall, 2), "cpu": round(cpu, 2), "peak_mb": round(peak)}, families


def corpus(size: int, data: Path) -> Path:
    """The generated corpus of ``size`` documents (made once, then reused)."""
    folder = data / f"{size}"
    if not (folder / "corpus.jsonl").exists():
        generate.write(generate.generate(size), folder)
    return folder


def pair_scores(found: Iterable[Iterable[str]], truth: dict[str, list[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of families (a pair is positive when both are in one family)."""

    def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
        return {(a, b) if a < b else (b, a) for g in groups for a, b in combinations(sorted(set(g)), 2)}

    got, want = pairs(found), pairs(truth.values())
    hit = len(got & want)
    p = hit / len(got) if got else 1.0
    r = hit / len(want) if want else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


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
    corpus = dp._assemble(cleaned, norms, units, config)
    counts: dict[str, int] = {}
    cpu = time.process_time()
    sigs, t["minhash"] = timed(lambda: dp._minhash(corpus, shingles, config, counts, 1))
    t["minhash (cpu)"] = time.process_time() - cpu
    work, t["candidates"] = timed(lambda: dp._candidate_work(corpus, sigs, config, counts, []))
    pairs, t["align"] = timed(lambda: dp._align_pairs(corpus, work, config, counts, 1))
    families, t["families"] = timed(lambda: dp._families(corpus, pairs, config, counts))
    slots, t["slots"] = timed(lambda: dp._find_slots(corpus, families.families, pairs, config, 1))
    report, t["report"] = timed(lambda: dp._report(corpus, pairs, families, slots, config, counts, warnings))
    _, t["write json"] = timed(lambda: report_json(report))
    return t, report


class OutOfTime(Exception):
    """The baseline ran past its time budget."""


def baseline(path: Path, threshold: float = 0.3, budget: float = float("inf")) -> tuple[float, list[list[str]]]:
    """The naive pipeline with the same packages; seconds and its families.

    Raises OutOfTime once it has run for ``budget`` seconds (a common paragraph in every
    document makes its candidate pairs grow with the square of the corpus).
    """
    start = time.perf_counter()

    def check() -> None:
        if time.perf_counter() - start > budget:
            raise OutOfTime

    docs = [{"id": d.id, "text": d.text} for d in read_corpus([path])[0]]
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    paragraphs: dict[str, tuple[str, str]] = {}
    sketches: dict[str, LeanMinHash] = {}
    for doc in docs:
        check()
        for i, para in enumerate(p for p in doc["text"].split("\n") if len(p) >= 5):
            m = MinHash(num_perm=128)
            for sh in {para[j : j + 5] for j in range(len(para) - 4)}:
                m.update(sh.encode("utf-8"))
            key = f"{doc['id']}\t{i}"
            paragraphs[key] = (doc["id"], para)
            sketches[key] = LeanMinHash(m)
            lsh.insert(key, sketches[key])
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(d["id"] for d in docs)
    for n, (key, sketch) in enumerate(sketches.items()):
        if n % 100 == 0:
            check()
        for other in lsh.query(sketch):
            (da, pa), (db, pb) = paragraphs[key], paragraphs[other]
            if da < db and fuzz.ratio(pa, pb) >= 50:
                graph.add_edge(da, db)
    families = [sorted(c) for c in nx.connected_components(graph) if len(c) > 1]
    return time.perf_counter() - start, families


def bench(
    size: int, runs: int, data: Path, with_baseline: bool, stages_upto: int, one_core_upto: int
) -> dict[str, Any]:
    folder = corpus(size, data)
    path = folder / "corpus.jsonl"
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["families"]
    truth = truth if isinstance(truth, dict) else {f"G{i}": m for i, m in enumerate(truth)}
    chars = sum(len(json.loads(line)["text"]) for line in path.open(encoding="utf-8"))
    result: dict[str, Any] = {"documents": size, "chars": chars, "bytes": path.stat().st_size}
    if size <= stages_upto:
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            t, _report = dupdetect_stages(path, Config())
            for stage, seconds in t.items():
                samples.setdefault(stage, []).append(seconds)
        result["stages"] = {k: round(statistics.median(v), 3) for k, v in samples.items()}
        result["stages_peak_mb"] = round(peak_mb())
    settings = [("1 core", 1)] if size <= one_core_upto else []
    settings.append(("all cores", None))
    scans: dict[str, list[dict[str, float]]] = {name: [] for name, _ in settings}
    families: list[list[str]] = []
    for _ in range(runs):
        for name, jobs in settings:
            measured, families = cli_scan(path, jobs)
            scans[name].append(measured)
    result["scan"] = {
        name: {k: statistics.median(m[k] for m in runs_) for k in runs_[0]} for name, runs_ in scans.items()
    }
    result["quality"] = pair_scores(families, truth)
    if with_baseline:
        wall = result["scan"]["all cores"]["wall"]
        try:
            seconds, found = baseline(path, budget=BASELINE_BUDGET)
            result["baseline"] = {"seconds": round(seconds, 2), "quality": pair_scores(found, truth)}
            result["speedup"] = round(seconds / wall, 1)
        except OutOfTime:
            result["baseline"] = {"seconds": None, "unfinished_after": BASELINE_BUDGET}
            result["speedup"] = f"> {BASELINE_BUDGET / wall:.1f}"
    return result


BASELINE_BUDGET = 900.0  # seconds; the baseline is stopped there and the speed-up given as a lower bound


LABELLED = {
    "realpages (development corpus)": (HERE / "realpages" / "corpus.jsonl", HERE / "realpages" / "labels.json"),
    "seed excerpts": (HERE.parent / "fixtures" / "seeds", HERE.parent / "fixtures" / "seeds_labels.json"),
}


def accuracy(with_baseline: bool) -> dict[str, Any]:
    """dupdetect (default settings) and the baseline on the labelled corpora."""
    out: dict[str, Any] = {}
    for name, (path, labels_path) in LABELLED.items():
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        report = dp.scan([str(path)])
        scores = evaluation_to_dict(evaluate(report, labels))
        entry: dict[str, Any] = {"dupdetect": {k: scores[k] for k in ("families", "pairs", "fills")}}
        if with_baseline:
            _, families = baseline(path, budget=BASELINE_BUDGET)
            entry["baseline"] = {"families": pair_scores(families, labels["families"])}
        out[name] = entry
    return out


def accuracy_table(acc: dict[str, Any]) -> str:
    lines = ["\nAccuracy at the default settings (pairwise over families; fills: slot-fill precision/recall)"]
    for name, entry in acc.items():
        f = entry["dupdetect"]["families"]
        fills = entry["dupdetect"]["fills"]
        lines.append(
            f"  {name:<32} families P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}"
            f"   fills P {fills['precision']:.3f} R {fills['recall']:.3f}"
        )
        if "baseline" in entry:
            b = entry["baseline"]["families"]
            lines.append(f"  {'  baseline':<32} families P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}")
    return "\n".join(lines)


def table(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        n, chars = r["documents"], r["chars"]
        lines.append(f"\n{n} documents, {chars / 1e6:.1f} M characters, {r['bytes'] / 1e6:.0f} MB of JSONL")
        if "stages" in r:
            lines.append(f"  {'stage (one core)':<22}{'seconds':>9}{'docs/s':>10}{'M chars/s':>11}")
            for stage, seconds in r["stages"].items():
                rate = n / seconds if seconds else float("inf")
                per_char = chars / 1e6 / seconds if seconds else 0
                lines.append(f"  {stage:<22}{seconds:>9.2f}{rate:>10.0f}{per_char:>11.2f}")
            lines.append(f"  (stages process peak {r['stages_peak_mb']} MB)")
        for name, m in r["scan"].items():
            lines.append(
                f"  dupdetect scan, {name:<10}{m['wall']:>8.1f} s wall {m['cpu']:>8.1f} s CPU"
                f"   peak {m['peak_mb']:.0f} MB (process tree, PSS)   {n / m['wall']:.0f} docs/s"
            )
        q = r["quality"]
        lines.append(f"  dupdetect families: precision {q['precision']}, recall {q['recall']}, F1 {q['f1']}")
        if "baseline" in r and r["baseline"]["seconds"] is None:
            lines.append(
                f"  baseline: unfinished after {r['baseline']['unfinished_after']:.0f} s; "
                f"dupdetect (all cores) is {r['speedup']}x faster"
            )
        elif "baseline" in r:
            b = r["baseline"]
            bq = b["quality"]
            lines.append(
                f"  baseline: {b['seconds']:.1f} s (precision {bq['precision']}, recall {bq['recall']}, "
                f"F1 {bq['f1']}); dupdetect (all cores) is {r['speedup']}x faster"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stages-upto", type=int, default=10000, help="time stage by stage up to this size")
    parser.add_argument("--one-core-upto", type=int, default=10000, help="scan on one core too up to this size")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results = [
        bench(n, args.runs, args.data, not args.no_baseline, args.stages_upto, args.one_core_upto) for n in args.sizes
    ]
    acc = accuracy(not args.no_baseline)
    machine = f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}"
    print(f"machine: {machine}, {len(__import__('os').sched_getaffinity(0))} cores")
    print(table(results))
    print(accuracy_table(acc))
    data = {"machine": machine, "results": results, "accuracy": acc}
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
