"""The benchmark's stage-by-stage run stays in step with the pipeline it times."""

from __future__ import annotations

from pathlib import Path

from dupdetect import Config, scan
from tests.conftest import bench_module


def test_the_benchmarks_stages_find_what_the_scan_finds(speeches_dir: Path) -> None:
    bench = bench_module()
    seconds, report = bench.dupdetect_stages(speeches_dir, Config())
    assert {"ingest", "clean", "minhash", "align", "families", "slots"} <= set(seconds)
    scanned = scan([str(speeches_dir)], jobs=1)
    assert report.families == scanned.families and report.pairs == scanned.pairs and report.slots == scanned.slots


def test_the_benchmarks_index_figures_hold_speeches_out_and_find_their_families(tmp_path: Path) -> None:
    bench = bench_module()
    folder = bench.corpus(400, tmp_path, "heavy")
    figures = bench.index_figures(folder, held=10)
    assert figures["held_out"] == 10 and figures["index_mb"] > 0 and figures["build"]["wall"] > 0
    warm = figures["warm"]
    assert warm["members_matched"] + warm["members_missed"] == 7 and warm["members_matched"] >= 6
    assert 0 < warm["p50"] <= warm["p99"] and warm["max_rss_mb"] > 0
    assert figures["add"]["speeches"] > 100 and figures["add"]["wall"] > 0
    assert "query, warm page cache" in bench.index_table([figures]) and "add of" in bench.index_table([figures])
