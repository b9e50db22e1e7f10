"""The corpus held as columns: keys in shared slots, runs/placeholders/units in flat arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dupdetect import Document, Span, detect, normalize
from dupdetect.engine.columnar import MARGIN, KeySlots, NormTable, Prepared, RowTable
from dupdetect.model.serialize import report_json


def _table(texts: list[str]) -> tuple[NormTable, list[bytes]]:
    table, prepared = NormTable.of([normalize(t) for t in texts], texts, short=10)
    return table, [d.tobytes() if has else b"" for d, has in zip(prepared.digests, prepared.has_digest, strict=True)]


def test_every_key_reads_back_as_normalize_made_it() -> None:
    texts = ["在ＸＸ市召開會議。" * 3, "Remarks by [NAME] at the XX County", "", "𠀋𠀋 astral 𠀋 characters", "短"]
    table, _ = _table(texts)
    for i, text in enumerate(texts):
        want = normalize(text)
        got = table[i]
        assert (got.key, got.runs.tolist(), got.placeholders, got.cjk) == (
            want.key,
            want.runs.tolist(),
            want.placeholders,
            want.cjk,
        )
        assert table.placeholders(i) == want.placeholders and table.key_lengths()[i] == len(want.key)
    assert table[-1].key == table[len(texts) - 1].key and [n.key for n in table[1:3]] == [table[1].key, table[2].key]


def test_a_key_longer_than_its_slot_comes_back_as_a_string() -> None:
    text = "㎏" * (MARGIN + 10)  # NFKC: each becomes "kg", so the key is twice as long as the text
    fits = "在XX市召开会议。"
    slots = KeySlots([len(fits), len(text)])
    norm = normalize(text)
    assert len(norm.key) > len(text) + MARGIN
    prepared = Prepared.of(slots, 0, [normalize(fits), norm], [fits, text], short=10)
    assert prepared.code_units[1] == -1 and prepared.overflow == {1: norm.key}
    table = NormTable(slots, [prepared])
    assert table[1].key == norm.key and table[0].key == normalize(fits).key


def test_exact_duplicates_are_found_by_digest_short_texts_by_their_own_text() -> None:
    long = "同志们：今天召开全市安全生产工作会议，主要任务是总结去年工作，部署今年任务。" * 3
    _, digests = _table([long, long + " ", "短文一", "短文一", "  "])
    assert digests[0] == digests[1] and digests[2] == digests[3] and digests[0] != digests[2]
    assert digests[4] == b""  # nothing to compare


def test_row_table_views_each_documents_rows() -> None:
    parts = [
        np.arange(8, dtype=np.int32).reshape(2, 4),
        np.zeros((0, 4), dtype=np.int32),
        np.ones((1, 4), dtype=np.int32),
    ]
    table = RowTable.of(parts)
    assert len(table) == 3 and table.sizes().tolist() == [2, 0, 1]
    assert all(np.array_equal(a, b) for a, b in zip(table, parts, strict=True))
    assert np.array_equal(table[-1], parts[-1])


def test_a_corpus_whose_keys_overflow_their_slots_gives_the_same_report() -> None:
    body = "同志们：今天召开全市安全生产工作会议，主要任务是总结去年工作，部署今年任务。" * 4
    wide = "㎏" * 200 + body  # a key longer than its text
    docs = [
        Document(id=i, source=i, text=t, span=Span(0, len(t)), encoding="utf-8")
        for i, t in (("a", wide), ("b", wide), ("c", body))
    ]
    report = detect(docs, jobs=1)
    assert [f.members for f in report.families] == [("a", "b", "c")]
    assert report_json(detect(docs, jobs=2)) == report_json(report)


def test_work_table_items_and_subsets() -> None:
    from dupdetect.engine.columnar import WorkTable

    items = [(0, 1, np.array([[0, 0], [1, 2]])), (0, 2, np.zeros((0, 2), dtype=np.int64)), (1, 2, np.array([[3, 4]]))]
    table = WorkTable.of(items)
    assert len(table) == 3 and table.sizes().tolist() == [2, 0, 1]
    assert [(a, b, u.tolist()) for a, b, u in table] == [(a, b, u.tolist()) for a, b, u in items]
    part = table.subset([2, 0])
    assert [(a, b, u.tolist()) for a, b, u in part] == [(1, 2, [[3, 4]]), (0, 1, [[0, 0], [1, 2]])]
    assert len(table.subset([])) == 0 and table[-1][2].tolist() == [[3, 4]]


def test_signatures_banded_from_disk_give_the_pairs_of_the_matrix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dupdetect.engine.columnar import BandFile
    from dupdetect.engine.local import mapper
    from dupdetect.model.config import CandidateConfig, FingerprintConfig
    from dupdetect.stages.candidates import band_candidates, bands_and_rows
    from dupdetect.stages.fingerprint import EMPTY

    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**32 - 1, (12, 128), dtype=np.uint64).astype(np.uint32)
    sigs = base[rng.integers(0, 12, 300)]  # many units sharing one of a few signatures
    near = rng.random(sigs.shape) < 0.4
    sigs = np.where(near, rng.integers(0, 2**32 - 1, sigs.shape, dtype=np.uint64).astype(np.uint32), sigs)
    sigs[[5, 17, 200]] = EMPTY  # units without shingles
    unit_doc = np.arange(300) // 3
    unit_doc[[9, 10]] = -1  # an exact duplicate's units
    config = CandidateConfig(threshold=0.3, star_above=4)
    bands, rows = bands_and_rows(config.threshold, 128)
    on_disk = BandFile(tmp_path / "sigs.bands", len(sigs), bands, rows)
    for lo in (200, 0, 77):  # written out of order, in uneven chunks
        hi = {0: 77, 77: 200, 200: 300}[lo]
        on_disk.write(lo, sigs[lo:hi])
    expected = band_candidates(sigs, unit_doc, config=config, fingerprint=FingerprintConfig())
    assert len(expected.pairs) > 300  # the stars and the small buckets both occur
    for jobs in (1, 2):
        got = band_candidates(on_disk, unit_doc, config=config, run=mapper(jobs))
        assert got.pairs.tolist() == expected.pairs.tolist() and got.skipped_buckets == expected.skipped_buckets
    assert on_disk.empty().nonzero()[0].tolist() == [5, 17, 200]


def _add_in_child(file, text):  # type: ignore[no-untyped-def]
    return file.add(text)


def test_texts_read_back_from_the_file_whichever_process_added_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import multiprocessing

    from dupdetect.engine.texts import TextFile, TextTable, TextTableBuilder

    file = TextFile(tmp_path / "texts")
    texts = ["在XX市召开会议。", "", "English, mixed 中文 text", "\ud800 a lone surrogate", "𠀋 astral"]
    table = TextTable.of(file, texts)
    assert list(table) == texts and table.lengths().tolist() == [len(t) for t in texts]
    with multiprocessing.get_context("fork").Pool(2) as pool:  # workers append with their own descriptors
        ranges = pool.starmap(_add_in_child, [(file, f"第{i}篇：{'字' * i}") for i in range(1, 30)])
    builder = TextTableBuilder(file)
    for i, (start, end) in enumerate(ranges, start=1):
        builder.place(start, end, len(f"第{i}篇：{'字' * i}"))
    children = builder.table()
    assert list(children) == [f"第{i}篇：{'字' * i}" for i in range(1, 30)]
    assert list(table.subset([4, 0])) == [texts[4], texts[0]] and list(table) == texts


def test_a_scan_reads_its_documents_once_and_its_texts_from_disk(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    from dupdetect.engine.pipeline import scanning
    from dupdetect.read.ingest import iter_documents
    from dupdetect.views.marks import document_texts
    from tests.conftest import ROOT

    docs = list(iter_documents([str(ROOT / "fixtures" / "seeds")], on_warning=print))
    consumed = []

    def once():  # type: ignore[no-untyped-def]
        for doc in docs:
            consumed.append(doc.id)
            yield doc

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the scan's scratch folder goes
    with scanning(once(), jobs=1) as (report, texts):
        assert consumed == [d.id for d in docs]
        (folder,) = tmp_path.iterdir()
        assert list(folder.rglob("texts.utf16"))  # (taken into the stages' work folder inside it)
        assert len(report.documents) > len(docs)  # speeches cut out of a compilation page too
        assert {i: texts[i] for i in texts} == document_texts(report, docs)
    assert not folder.exists()
    assert report_json(report) == report_json(detect(docs, jobs=1))


def test_an_array_file_gives_back_each_part_and_any_slice_of_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from dupdetect.engine import appendfile
    from dupdetect.engine.appendfile import ArrayFile

    monkeypatch.setattr(appendfile, "_ONE_WRITE", 1000)  # a part of 8,000 bytes takes several writes, locked
    store = ArrayFile(tmp_path / "parts")
    arrays = [
        np.arange(n, dtype=dtype) * 3 for n, dtype in ((10, np.int64), (0, np.uint32), (1000, np.uint64), (5, np.int32))
    ]
    parts = [store.put(a) for a in arrays]
    for a, part in zip(arrays, parts, strict=True):
        assert np.array_equal(store.get(part), a) and store.get(part).dtype == a.dtype
        assert np.array_equal(store.get(part, 2, 7), a[2:7]) and len(store.get(part, 7, 2)) == 0
    store.close()


def _append_many(path_and_who: tuple[str, int]) -> list[tuple[int, int, bytes]]:
    from dupdetect.engine.appendfile import AppendFile

    path, who = path_and_who
    file = AppendFile(Path(path))
    out = []
    for i in range(3000):
        data = f"{who}:{i}:".encode() * (1 + i % 5)  # some appends take one write, some several
        start, end = file.append(data)
        out.append((start, end, data))
    file.close()
    return out


def test_appends_from_several_processes_are_each_read_back_whole(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import multiprocessing

    from dupdetect.engine import appendfile
    from dupdetect.engine.appendfile import AppendFile

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork")
    monkeypatch.setattr(appendfile, "_ONE_WRITE", 16)  # the forked writers inherit it
    path = tmp_path / "appended"
    AppendFile(path)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        written = [w for ws in pool.map(_append_many, [(str(path), 1), (str(path), 2)]) for w in ws]
    reader = AppendFile(path)
    assert [reader.pread(start, end) for start, end, _ in written] == [data for _, _, data in written]
    assert sum(end - start for start, end, _ in written) == path.stat().st_size
