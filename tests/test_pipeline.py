"""End to end on the bundled fixtures: families equal fixtures/expected.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dupdetect import Config, Report, Span, detect, normalize, read_corpus, scan
from dupdetect.model.serialize import report_json
from tests.conftest import make_doc


def _family_sets(report: Report) -> list[list[str]]:
    return sorted(sorted(f.members) for f in report.families)


def test_fixture_families_match_expected(fixture_report: Report, expected: dict[str, Any]) -> None:
    assert _family_sets(fixture_report) == sorted(sorted(f) for f in expected["families"])


def test_fixture_templates_and_mosaics_match_expected(fixture_report: Report, expected: dict[str, Any]) -> None:
    assert sorted(f.template for f in fixture_report.families if f.template) == sorted(expected["templates"].values())
    mosaics = sorted(d.id for d in fixture_report.documents if d.role == "mosaic")
    assert mosaics == sorted(expected["mosaics"])


def test_singletons_are_in_no_family(fixture_report: Report, expected: dict[str, Any]) -> None:
    families = {d.id: d.family for d in fixture_report.documents}
    assert all(families[s] is None for s in expected["singletons"])


def test_every_fixture_is_read_with_its_encoding(fixture_report: Report) -> None:
    encodings = {d.id: d.encoding for d in fixture_report.documents}
    assert encodings["famB-copy-gb18030.txt"] == "gb18030"
    assert encodings["famB-copy-big5.txt"] == "big5"
    assert fixture_report.warnings == ()


def test_passage_offsets_slice_the_original_texts(fixture_report: Report, speeches_dir) -> None:  # type: ignore[no-untyped-def]
    docs, _ = read_corpus([speeches_dir])
    texts = {d.id: d.text for d in docs}
    assert fixture_report.pairs
    for pair in fixture_report.pairs:
        assert pair.a < pair.b
        for p in pair.passages:
            assert 0 <= p.a.start < p.a.end <= len(texts[pair.a])
            assert 0 <= p.b.start < p.b.end <= len(texts[pair.b])
            # a passage starts and ends on text, not on whitespace
            assert not texts[pair.a][p.a.start].isspace() and not texts[pair.b][p.b.end - 1].isspace()


def test_passage_spans_slice_the_original_to_what_was_aligned(fixture_report: Report, speeches_dir) -> None:  # type: ignore[no-untyped-def]
    docs, _ = read_corpus([speeches_dir])
    chrome = {d.id: [r.span for r in d.chrome] for d in fixture_report.documents}
    texts = {d.id: d.text for d in docs}
    keys = {d.id: normalize(d.text, drop=chrome[d.id]).key for d in docs}

    def key_of(doc: str, span: Span) -> str:
        clipped = [(max(s.start, span.start) - span.start, min(s.end, span.end) - span.start) for s in chrome[doc]]
        drop = [Span(a, b) for a, b in clipped if a < b]
        return normalize(texts[doc][span.start : span.end], drop=drop).key

    for pair in fixture_report.pairs:
        for p in pair.passages:
            assert key_of(pair.a, p.a) == keys[pair.a][p.key_a.start : p.key_a.end]
            assert key_of(pair.b, p.b) == keys[pair.b][p.key_b.start : p.key_b.end]


def test_two_runs_give_byte_identical_json(speeches_dir) -> None:  # type: ignore[no-untyped-def]
    docs, warnings = read_corpus([speeches_dir])
    first = report_json(detect(docs, warnings=warnings))
    second = report_json(detect(list(reversed(docs)), warnings=warnings))
    assert first == second


def test_exact_duplicates_are_collapsed_and_reported() -> None:
    text = "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务。" * 4
    docs = [make_doc(f"copy{i}.txt", text) for i in range(5)]
    report = detect(docs)
    assert report.counts["exact_duplicates"] == 4
    assert [d.duplicate_of for d in report.documents] == [None, *["copy0.txt"] * 4]
    assert len(report.pairs) == 4 and all(p.duplicate for p in report.pairs)
    (family,) = report.families
    assert family.template == "copy0.txt" and set(family.roles.values()) == {"template", "copy"}


def test_empty_corpus_gives_an_empty_report() -> None:
    report = detect([])
    assert report.documents == () and report.families == () and report.pairs == ()


def _boilerplate_corpus(n: int) -> list:  # type: ignore[type-arg]
    """``n`` unrelated random texts that all carry one 200-character paragraph."""
    import random

    rng = random.Random(5)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    shared = "".join(rng.choice(pool) for _ in range(200))
    docs = []
    for i in range(n):
        own = "\n".join("".join(rng.choice(pool) for _ in range(100)) + "。" for _ in range(4))
        docs.append(make_doc(f"d{i:03d}.txt", f"{own}\n{shared}\n"))
    return docs


def test_a_long_paragraph_in_every_document_is_reuse_and_the_opt_in_cap_drops_it() -> None:
    docs = _boilerplate_corpus(55)
    shared = detect(docs)  # 200 characters recurring together: not a stock phrase
    assert shared.counts["stock_shingles"] == 0
    assert [len(f.members) for f in shared.families] == [55]
    capped = detect(docs, config=Config().with_overrides(candidates={"max_df": 50}))
    assert capped.counts["stock_shingles"] > 150
    assert capped.families == () and capped.pairs == ()


def test_identical_short_texts_are_exact_duplicates_but_no_family() -> None:
    docs = [make_doc(f"n{i}.txt", "同志们:谢谢大家!") for i in range(5)] + [make_doc("x.txt", "另一段短文字。")]
    report = detect(docs)
    assert report.counts["exact_duplicates"] == 4
    assert {d.id: d.duplicate_of for d in report.documents if d.duplicate_of} == {
        f"n{i}.txt": "n0.txt" for i in (1, 2, 3, 4)
    }
    assert report.families == () and report.pairs == ()


def test_worker_processes_give_the_same_report(speeches_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dupdetect.engine.local

    docs, warnings = read_corpus([speeches_dir])
    serial = report_json(detect(docs, warnings=warnings, jobs=1))
    monkeypatch.setattr(dupdetect.engine.local, "MIN_ITEMS", 1)  # use processes even for this small corpus
    assert report_json(detect(docs, warnings=warnings, jobs=2)) == serial


def test_a_scan_at_the_default_settings_does_not_import_scipy(speeches_dir) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    code = (
        "import sys, dupdetect; dupdetect.scan([sys.argv[1]]); "
        "sys.exit(1 if {'scipy', 'datasketch'} & set(sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code, str(speeches_dir)], check=False).returncode == 0


def test_the_library_scan_counts_what_it_left_out_as_the_cli_does(speeches_dir: Path, tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from dupdetect.cli import app

    corpus = tmp_path / "corpus"
    shutil.copytree(speeches_dir, corpus)
    (corpus / ".hidden.txt").write_text("隐藏的文件。", encoding="utf-8")
    (corpus / "table.xlsx").write_bytes(b"PK\x03\x04")
    report = scan([str(corpus)], jobs=1)
    assert report.counts["skipped_hidden"] == 1 and report.counts["skipped_unsupported"] == 1
    assert (
        CliRunner().invoke(app, ["scan", str(corpus), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"]).exit_code == 0
    )
    saved = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert saved["counts"] == dict(report.counts)


def test_every_stage_reports_its_progress_to_the_end(speeches_dir) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, tuple[int, int]] = {}
    scan([str(speeches_dir)], jobs=1, on_progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)))
    order = ["clean", "normalize", "stock phrases", "anchors", "minhash", "bands", "align", "families", "slots"]
    assert list(seen) == [*order, "report"]
    assert all(done == total for done, total in seen.values())


def test_candidate_pairs_grouped_by_document_pair_keep_their_unit_pairs_in_order() -> None:
    import numpy as np

    from dupdetect.engine.pipeline import _by_document_pair
    from dupdetect.stages.candidates import unique_pairs

    rng = np.random.default_rng(3)
    sizes = rng.integers(1, 30, 500)
    unit_doc = np.repeat(np.arange(500), sizes)
    unit_index = np.arange(len(unit_doc)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    rows = np.sort(rng.integers(0, len(unit_doc), (40_000, 2)), axis=1)
    pairs = unique_pairs([rows[unit_doc[rows[:, 0]] != unit_doc[rows[:, 1]]]])
    work = _by_document_pair(pairs, unit_doc, unit_index)
    da, db = unit_doc[pairs[:, 0]], unit_doc[pairs[:, 1]]
    order = np.lexsort((pairs[:, 1], pairs[:, 0], db, da))  # by document pair, then by unit pair
    expected = np.stack([unit_index[pairs[order, 0]], unit_index[pairs[order, 1]]], axis=1)
    assert np.array_equal(np.concatenate([local for _, _, local in work]), expected)
    assert [(a, b) for a, b, _ in work] == sorted({(a, b) for a, b in zip(da.tolist(), db.tolist(), strict=True)})
