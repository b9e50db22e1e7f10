"""The saved index's band keys: a query finds the units datasketch's MinHashLSH would bucket with it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dupdetect.index.bands import BandKeys
from dupdetect.stages.candidates import SignatureMatrix, bands_and_rows, lsh_candidates
from dupdetect.stages.fingerprint import EMPTY

BANDS, ROWS = bands_and_rows(0.3, 128)


def _signatures(seed: int, originals: int, copies: int) -> np.ndarray:
    """Random signatures, then copies of some of them with most values changed (a few bands kept)."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 2**32 - 1, size=(originals, 128), dtype=np.uint32)
    picked = rng.integers(0, originals, size=copies)
    copied = base[picked].copy()
    changed = rng.random(copied.shape) < 0.6  # about 0.4**3: 6 % of bands kept whole, 2 of 37 a copy
    copied[changed] = rng.integers(0, 2**32 - 1, size=int(changed.sum()), dtype=np.uint32)
    matrix = np.concatenate([base, copied])
    matrix[rng.integers(0, len(matrix), size=5)] = EMPTY  # units without shingles
    return matrix


def test_a_query_finds_the_units_lsh_buckets_it_with() -> None:
    matrix = _signatures(7, 300, 300)
    indexed, query = matrix[:400], matrix[400:]
    keys = BandKeys.build(SignatureMatrix(indexed), BANDS, ROWS)
    found = {(int(r), int(u)) for r, u in keys.lookup(query)}
    # datasketch over everything, each unit its own document: the pairs across the two sides
    reference = lsh_candidates(matrix, np.arange(len(matrix)))
    expected = {(p.b - 400, p.a) for p in reference if p.a < 400 <= p.b}
    assert len(expected) > 50 and found == expected


def test_segments_merged_are_the_keys_of_the_whole_and_read_back_from_files(tmp_path: Path) -> None:
    matrix = _signatures(11, 200, 200)
    whole = BandKeys.build(SignatureMatrix(matrix), BANDS, ROWS)
    first = BandKeys.build(SignatureMatrix(matrix[:150]), BANDS, ROWS)
    second = BandKeys.build(SignatureMatrix(matrix[150:]), BANDS, ROWS, first_unit=150)
    merged = BandKeys.merge([first, second])
    assert np.array_equal(merged.keys, whole.keys) and np.array_equal(merged.units, whole.units)
    whole.save(tmp_path)
    back = BandKeys.open(tmp_path, ROWS)
    signed = int((~SignatureMatrix(matrix).empty()).sum())
    assert isinstance(back.keys, np.memmap) and len(back) == len(whole) == signed < len(matrix)
    query = matrix[::7]
    assert np.array_equal(back.lookup(query), whole.lookup(query))
    # every unit finds itself (its every band), and a query of only empty signatures finds nothing
    live = ~SignatureMatrix(query).empty()
    own = {(r, u) for r, u in whole.lookup(query).tolist()}
    assert all((r, 7 * r) in own for r in np.flatnonzero(live).tolist())
    assert len(whole.lookup(np.full((3, 128), EMPTY, dtype=np.uint32))) == 0


def test_the_keys_of_a_kept_scan_pair_the_units_the_scan_paired(speeches_dir: Path, tmp_path: Path) -> None:
    from dupdetect import Config, scan
    from dupdetect.engine.pipeline import kept_signatures

    work = tmp_path / "work"
    scan([str(speeches_dir)], jobs=1, work=work)
    sigs = kept_signatures(work, Config(), tmp_path, jobs=1)
    keys = BandKeys.build(sigs, sigs.bands, sigs.rows)
    matrix = np.concatenate([sigs.band(b, sigs.rows) for b in range(sigs.bands)], axis=1)
    first = np.load(work / "unit_offsets.npy")
    unit_doc = np.repeat(np.arange(len(first) - 1), np.diff(first))
    looked = {(min(r, u), max(r, u)) for r, u in keys.lookup(matrix).tolist() if unit_doc[r] != unit_doc[u]}
    # the scan's candidate unit pairs (its LSH buckets, all under the star size here, and its sentence anchors)
    docs, offsets, local = (np.load(work / f"candidates_{part}.npy") for part in ("docs", "offsets", "units"))
    per_pair = np.repeat(docs.reshape(-1, 2), np.diff(offsets), axis=0)
    paired = local.reshape(-1, 2) + first[per_pair]
    scanned = {(min(a, b), max(a, b)) for a, b in paired.tolist()}
    assert len(looked) > 20 and looked <= scanned


def test_the_signatures_a_scan_keeps_are_those_signed_again(speeches_dir: Path, tmp_path: Path) -> None:
    from dupdetect import Config, detect, read_corpus
    from dupdetect.engine.pipeline import kept_signatures

    docs, _ = read_corpus([str(speeches_dir)])
    work = tmp_path / "work"
    detect(docs, jobs=1, work=work, keep_signatures=True)
    kept = kept_signatures(work, Config(), tmp_path, jobs=1)
    assert kept.path == work / "signatures.bands"
    (work / "signatures.bands").rename(tmp_path / "moved.bands")
    again = kept_signatures(work, Config(), tmp_path, jobs=1)
    assert again.path != kept.path and len(kept) == len(again) > 100
    kept.path = tmp_path / "moved.bands"
    assert np.array_equal(np.asarray(kept.empty()), np.asarray(again.empty()))
    for band in range(kept.bands):
        assert np.array_equal(kept.band(band, kept.rows), again.band(band, again.rows))
    first = BandKeys.build(kept, kept.bands, kept.rows)
    second = BandKeys.build(again, again.bands, again.rows)
    assert np.array_equal(first.keys, second.keys) and np.array_equal(first.units, second.units)


def test_a_lookup_reads_the_blocks_a_bucket_spans(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dupdetect.index import bands

    monkeypatch.setattr(bands, "BLOCK", 3)  # a bucket of many units spans many blocks
    matrix = _signatures(3, 100, 300)
    matrix[150:230] = matrix[0]  # 81 units in every one of unit 0's buckets
    whole = BandKeys.build(SignatureMatrix(matrix), BANDS, ROWS)
    whole.save(tmp_path)
    opened = BandKeys.open(tmp_path, ROWS)
    assert opened.fences is not None and opened.fences.shape[1] == -(-len(whole) // 3)
    reference = lsh_candidates(matrix, np.arange(len(matrix)))
    expected = {(p.a, p.b) for p in reference} | {(p.b, p.a) for p in reference}
    expected |= {(u, u) for u in np.flatnonzero(~SignatureMatrix(matrix).empty()).tolist()}
    for keys in (whole, opened):
        assert {(r, u) for r, u in keys.lookup(matrix).tolist()} == expected
