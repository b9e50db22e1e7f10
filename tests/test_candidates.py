from __future__ import annotations

import itertools

import numpy as np

from dupdetect.engine.local import mapper
from dupdetect.model.config import CandidateConfig, FingerprintConfig
from dupdetect.read.ingest import read_corpus
from dupdetect.stages.candidates import band_candidates, df_cap, lsh_candidates, stock_shingles
from dupdetect.stages.fingerprint import EMPTY, Shingles, shingle, signatures
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment


def test_df_cap_is_opt_in_and_the_larger_of_count_and_share() -> None:
    assert df_cap(10) is None
    config = CandidateConfig(max_df=50)
    assert df_cap(10, config) == 50
    assert df_cap(10_000, config) == 500


def test_stock_shingles_are_those_in_more_documents_than_the_cap() -> None:
    common = np.array([1, 2], dtype=np.uint32)
    docs = [Shingles(np.unique(np.r_[common, [100 + i]]).astype(np.uint32), np.array([0, 3])) for i in range(6)]
    stock = stock_shingles(docs, config=CandidateConfig(max_df=4, max_df_ratio=0.0))
    assert stock.tolist() == [1, 2]


def test_lsh_finds_the_similar_unit_pairs_brute_force_finds(speeches_dir) -> None:  # type: ignore[no-untyped-def]
    docs, _ = read_corpus([speeches_dir])
    config = FingerprintConfig()
    sigs, unit_doc, hashes = [], [], []
    for i, doc in enumerate(docs):
        norm = normalize(doc.text)
        sh = shingle(norm, segment(i, doc.text, norm), config=config)
        sigs.append(signatures(sh, config=config))
        unit_doc.extend([i] * (len(sh.bounds) - 1))
        hashes.extend(set(sh.of(u).tolist()) for u in range(len(sh.bounds) - 1))
    threshold = 0.3
    found = {
        (c.a, c.b)
        for c in lsh_candidates(np.concatenate(sigs), np.array(unit_doc), config=CandidateConfig(threshold=threshold))
    }
    truth = {
        (a, b)
        for a, b in itertools.combinations(range(len(hashes)), 2)
        if unit_doc[a] != unit_doc[b]
        and hashes[a]
        and hashes[b]
        and len(hashes[a] & hashes[b]) / len(hashes[a] | hashes[b]) >= threshold + 0.1
    }
    assert truth, "the fixtures must contain similar paragraphs"
    recall = len(truth & found) / len(truth)
    assert recall >= 0.95
    assert all(unit_doc[a] != unit_doc[b] and a < b for a, b in found)


def _fixture_signatures(speeches_dir):  # type: ignore[no-untyped-def]
    docs, _ = read_corpus([speeches_dir])
    sigs, unit_doc = [], []
    for i, doc in enumerate(docs):
        norm = normalize(doc.text)
        sh = shingle(norm, segment(i, doc.text, norm))
        sigs.append(signatures(sh))
        unit_doc.extend([i] * (len(sh.bounds) - 1))
    return np.concatenate(sigs), np.array(unit_doc)


def test_array_banding_gives_exactly_datasketchs_candidates(speeches_dir) -> None:  # type: ignore[no-untyped-def]
    sigs, unit_doc = _fixture_signatures(speeches_dir)
    for threshold in (0.2, 0.3, 0.5, 0.8):
        config = CandidateConfig(threshold=threshold)
        arrays = {tuple(p) for p in band_candidates(sigs, unit_doc, config=config).pairs.tolist()}
        reference = {(c.a, c.b) for c in lsh_candidates(sigs, unit_doc, config=config)}
        assert arrays == reference and reference


def test_a_bucket_over_the_cap_is_skipped_and_counted() -> None:
    sigs = np.tile(np.arange(128, dtype=np.uint32), (6, 1))  # six identical units
    unit_doc = np.arange(6)
    full = band_candidates(sigs, unit_doc, config=CandidateConfig(max_bucket=10))
    assert len(full.pairs) == 15 and full.skipped_buckets == 0
    capped = band_candidates(sigs, unit_doc, config=CandidateConfig(max_bucket=5))
    assert len(capped.pairs) == 0 and capped.skipped_buckets > 0


def test_banding_stays_exact_when_band_hashes_collide(speeches_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sigs, unit_doc = _fixture_signatures(speeches_dir)
    expected = band_candidates(sigs, unit_doc).pairs.tolist()
    monkeypatch.setattr(
        "dupdetect.stages.candidates._band_hash", lambda block: (block[:, 0] % 3).astype(np.uint64)
    )  # different bands now share hashes all the time
    assert band_candidates(sigs, unit_doc).pairs.tolist() == expected


def test_stock_shingles_equal_a_brute_force_document_frequency() -> None:
    rng = np.random.default_rng(7)
    common = rng.integers(0, 2**32, 40, dtype=np.uint64).astype(np.uint32)
    docs = []
    for _ in range(300):
        own = rng.integers(0, 2**32, 200, dtype=np.uint64).astype(np.uint32)
        shared = rng.choice(common, int(rng.integers(0, 40)))  # repeats inside a document count once
        hashes = np.r_[own, shared, shared].astype(np.uint32)
        docs.append(Shingles(hashes, np.array([0, len(hashes)])))
    config = CandidateConfig(max_df=20, max_df_ratio=0.0)
    df: dict[int, int] = {}
    for d in docs:
        for h in set(d.hashes.tolist()):
            df[h] = df.get(h, 0) + 1
    expected = sorted(h for h, n in df.items() if n > df_cap(len(docs), config))
    assert expected and stock_shingles(docs, config=config).tolist() == expected


def test_banding_with_repeated_units_and_a_bucket_cap_equals_a_dictionary_of_buckets() -> None:
    rng = np.random.default_rng(3)
    distinct = rng.integers(0, 3, size=(40, 128), dtype=np.uint64).astype(np.uint32)  # few values: many collisions
    sigs = distinct[rng.integers(0, 40, 400)]  # every signature repeated about ten times
    sigs[[5, 17, 30]] = EMPTY  # units without shingles pair with nothing
    sigs[31, 0] = EMPTY  # ... but one EMPTY value is a value like any other
    unit_doc = rng.integers(-1, 120, 400)
    config = CandidateConfig(max_bucket=12)
    bands, rows = 37, 3  # what datasketch picks for threshold 0.3 and 128 permutations
    expected, skipped = set(), 0
    for band in range(bands):
        buckets: dict[bytes, list[int]] = {}
        for i in range(len(sigs)):
            if unit_doc[i] >= 0 and not (sigs[i] == EMPTY).all():
                buckets.setdefault(sigs[i, band * rows : (band + 1) * rows].tobytes(), []).append(i)
        for units in buckets.values():
            if len(units) > config.max_bucket:
                skipped += 1
                continue
            expected |= {(a, b) for a, b in itertools.combinations(units, 2) if unit_doc[a] != unit_doc[b]}
    found = band_candidates(sigs, unit_doc, config=config)
    assert {tuple(p) for p in found.pairs.tolist()} == expected and expected
    assert found.skipped_buckets == skipped > 0


def test_the_kept_bands_and_rows_are_datasketchs() -> None:
    from datasketch import MinHashLSH

    from dupdetect.stages.candidates import _BANDS_128

    assert len(_BANDS_128) >= 19
    for threshold, params in _BANDS_128.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        assert params == (lsh.b, lsh.r), threshold


def test_row_groups_are_exact_when_some_hashes_collide(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dupdetect.stages.candidates import _band_hash as real
    from dupdetect.stages.candidates import _Groups

    rng = np.random.default_rng(11)
    rows = rng.integers(0, 4, size=(300, 3), dtype=np.uint64).astype(np.uint32)  # 64 distinct rows, repeated
    # rows whose first value is 0 share one hash, the others keep their own
    monkeypatch.setattr(
        "dupdetect.stages.candidates._band_hash", lambda block: np.where(block[:, 0] == 0, np.uint64(0), real(block))
    )
    groups = _Groups.of(rows)
    found = {
        frozenset(groups.members[s : s + n].tolist())
        for s, n in zip(groups.starts.tolist(), groups.sizes.tolist(), strict=True)
    }
    expected: dict[bytes, set[int]] = {}
    for i, row in enumerate(rows):
        expected.setdefault(row.tobytes(), set()).add(i)
    assert found == {frozenset(v) for v in expected.values()}
    assert sorted(groups.members.tolist()) == list(range(len(rows)))


def test_bands_spread_over_processes_give_the_same_candidates(speeches_dir, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dupdetect.engine.appendfile import ArrayFile
    from dupdetect.stages import candidates

    sigs, unit_doc = _fixture_signatures(speeches_dir)
    one = band_candidates(sigs, unit_doc, config=CandidateConfig(max_bucket=3), run=mapper(1))
    two = band_candidates(sigs, unit_doc, config=CandidateConfig(max_bucket=3), run=mapper(2))
    assert len(one.pairs) and one.skipped_buckets
    assert np.array_equal(one.pairs, two.pairs) and one.skipped_buckets == two.skipped_buckets
    # each band's pairs left in a file by the workers and merged a range at a time (as a scan does)
    monkeypatch.setattr(candidates, "_AT_ONCE", 16)
    store = ArrayFile(tmp_path / "band-pairs")
    kept = band_candidates(sigs, unit_doc, config=CandidateConfig(max_bucket=3), run=mapper(2), store=store)
    assert store.path.stat().st_size and np.array_equal(one.pairs, kept.pairs)


def test_stock_shingles_counted_in_chunks_over_processes_are_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(5)
    common = rng.integers(0, 2**32, 30, dtype=np.uint64).astype(np.uint32)
    docs = []
    for _ in range(400):
        hashes = np.r_[rng.integers(0, 2**32, 100, dtype=np.uint64), rng.choice(common, 20)].astype(np.uint32)
        docs.append(Shingles(hashes, np.array([0, len(hashes)])))
    config = CandidateConfig(max_df=20, max_df_ratio=0.0)
    whole = stock_shingles(docs, config=config)
    monkeypatch.setattr(
        "dupdetect.stages.candidates._CHUNK_DOCS", 37
    )  # many chunks (over _MIN_CHUNKS), one cut mid-way
    assert len(whole) and stock_shingles(docs, config=config, run=mapper(2)).tolist() == whole.tolist()
    assert stock_shingles(docs, config=config, run=mapper(1)).tolist() == whole.tolist()


def test_a_bucket_over_star_above_pairs_each_unit_with_one_hub_of_lowest_rank() -> None:
    sigs = np.tile(np.arange(128, dtype=np.uint32), (6, 1))  # six identical units
    unit_doc = np.arange(6)
    star = band_candidates(sigs, unit_doc, config=CandidateConfig(star_above=3))
    assert star.pairs.tolist() == [[0, 1], [0, 2], [0, 3], [0, 4], [0, 5]]
    rank = np.array([5, 4, 0, 3, 2, 1])
    ranked = band_candidates(sigs, unit_doc, config=CandidateConfig(star_above=3), rank=rank)
    assert sorted(sorted(p) for p in ranked.pairs.tolist()) == [[0, 2], [1, 2], [2, 3], [2, 4], [2, 5]]
    assert len(band_candidates(sigs, unit_doc, config=CandidateConfig(star_above=6)).pairs) == 15


def test_star_buckets_join_the_same_documents_as_all_pairs_with_linearly_many_pairs() -> None:
    import networkx as nx

    rng = np.random.default_rng(11)
    distinct = rng.integers(0, 4, size=(30, 128), dtype=np.uint64).astype(np.uint32)  # few values: big buckets
    sigs = distinct[rng.integers(0, 30, 600)]
    unit_doc = rng.integers(0, 200, 600)
    every = band_candidates(sigs, unit_doc, config=CandidateConfig(star_above=10**9)).pairs
    star = band_candidates(sigs, unit_doc, config=CandidateConfig(star_above=8)).pairs

    def components(pairs: np.ndarray) -> set[frozenset[int]]:
        graph: nx.Graph[int] = nx.Graph()
        graph.add_nodes_from(range(200))
        graph.add_edges_from((int(unit_doc[a]), int(unit_doc[b])) for a, b in pairs.tolist())
        return {frozenset(c) for c in nx.connected_components(graph)}

    assert components(star) == components(every)
    assert len(star) * 10 < len(every)  # 30 signatures repeated 20 times: big buckets, and big groups of equals
    assert len(star) <= 37 * 600 * 8  # at most bands x units x star size


def test_shared_unit_pairs_are_the_units_with_enough_shingles_in_common() -> None:
    from dupdetect.stages.candidates import shared_unit_pairs

    a = Shingles(np.arange(0, 60, dtype=np.uint32), np.array([0, 20, 40, 60]))  # units 0..19, 20..39, 40..59
    b = Shingles(np.r_[np.arange(25, 45), np.arange(100, 130)].astype(np.uint32), np.array([0, 20, 50]))
    assert shared_unit_pairs(a, b, min_shared=5).tolist() == [[1, 0], [2, 0]]
    # 16 shingles, or half of the smaller unit's 20: the unit sharing 15 stays, the one sharing 5 goes
    assert shared_unit_pairs(a, b, min_shared=16).tolist() == [[1, 0]]
    assert shared_unit_pairs(a, b, min_shared=16, min_share=1.0).tolist() == []


def test_stock_phrases_are_shingles_whose_surroundings_differ_not_the_frequent_ones() -> None:
    from dupdetect.stages.candidates import stock_phrases

    rng = np.random.default_rng(5)
    formula = np.arange(1, 9, dtype=np.uint32)  # 8 shingles recurring in every document, in new surroundings
    template = np.arange(1000, 1300, dtype=np.uint32)  # 300 shingles recurring together in 40 documents
    docs = []
    for i in range(120):
        own = rng.integers(10**6, 2**32, 200, dtype=np.uint64).astype(np.uint32)
        body = template if i < 40 else own
        hashes = np.r_[own[:100], formula, body].astype(np.uint32)
        docs.append(Shingles(hashes, np.array([0, len(hashes)])))
    stock = set(stock_phrases(docs, config=CandidateConfig()).tolist())
    assert set(formula.tolist()) <= stock
    assert not stock & set(template.tolist())


def test_anchor_candidates_pair_small_groups_whole_and_big_ones_around_a_hub() -> None:
    from dupdetect.stages.candidates import anchor_candidates

    anchors = np.array([7] * 20 + [9, 9, 9] + [5, 5], dtype=np.uint64)
    anchor_unit = np.arange(25, dtype=np.int64)
    unit_doc = np.r_[np.arange(20), 30, 31, 32, 40, 40]  # the two units with anchor 5 are one document's
    rank = np.zeros(25, dtype=np.int64)
    rank[12] = -1  # unit 12 is the hub of the big group
    pairs = anchor_candidates(anchors, anchor_unit, unit_doc, rank=rank, star_above=16)
    star = {tuple(sorted((12, u))) for u in range(20) if u != 12}
    assert {tuple(p) for p in pairs.tolist()} == star | {(20, 21), (20, 22), (21, 22)}
    unit_doc[21] = -1  # a unit left out (an exact duplicate) takes no part
    without = {tuple(p) for p in anchor_candidates(anchors, anchor_unit, unit_doc, rank=rank).tolist()}
    assert without == star | {(20, 22)}


def test_anchors_grouped_a_share_at_a_time_give_the_pairs_of_one_pass(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dupdetect.stages import candidates

    rng = np.random.default_rng(11)
    anchors = rng.integers(0, 40, 3000).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # 40 values, many repeated
    anchor_unit = rng.integers(0, 900, 3000)
    unit_doc = anchor_unit // 4
    unit_doc[unit_doc == 7] = -1  # an exact duplicate's units
    rank = rng.permutation(900)
    whole = candidates.anchor_candidates(anchors, anchor_unit, unit_doc, rank=rank, star_above=16)
    monkeypatch.setattr(candidates, "_ANCHORS_AT_ONCE", 100)
    shared = candidates.anchor_candidates(anchors, anchor_unit, unit_doc, rank=rank, star_above=16)
    assert len(whole) > 1000 and shared.tolist() == whole.tolist()


def test_a_tally_a_range_at_a_time_counts_as_one_pass(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """In memory or a file of parts (as a large corpus keeps them), read a range at a time."""
    from collections import Counter

    from dupdetect.engine.appendfile import ArrayFile
    from dupdetect.model.stage import in_memory
    from dupdetect.stages import candidates

    rng = np.random.default_rng(5)
    for dtype, bits in ((np.uint64, 64), (np.uint32, 32)):
        raw = [rng.integers(0, 2**bits - 1, 300, dtype=np.uint64).astype(dtype) for _ in range(6)]
        raw += [np.repeat(raw[0][:50], 3)]  # values in several parts, and several times in one
        want = Counter(v for r in raw for v in r.tolist())
        monkeypatch.setattr(candidates, "_AT_ONCE", 64)  # 2,000 values: about 32 ranges
        for store in (in_memory, ArrayFile(tmp_path / f"parts-{bits}")):
            parts = [candidates._Tallied.of(r, store, bits) for r in raw]
            shares = candidates._shares([p.values for p in parts])
            assert [lo for lo, _ in shares] == [0] + [hi for _, hi in shares[:-1]] and shares[-1][1] == 256
            held = [sum(np.subtract(*p.values.bounds(lo, hi)[::-1]) for p in parts) for lo, hi in shares]
            assert all(n <= 64 or hi == lo + 1 for n, (lo, hi) in zip(held, shares, strict=True))
            ranges = list(candidates._tally(parts, store))
            assert 30 <= len(ranges) <= len(shares)
            values, counts = candidates._joined(ranges)
            assert list(candidates._tally([], store)) == []
            assert values.tolist() == sorted(want) and counts.tolist() == [want[v] for v in sorted(want)]
            assert values.dtype == dtype


def test_a_groups_hub_is_its_member_of_lowest_rank_the_first_of_equals() -> None:
    from dupdetect.stages.candidates import _Groups

    rng = np.random.default_rng(11)
    rows = rng.integers(0, 40, (3000, 2)).astype(np.uint32)
    groups = _Groups.of(rows)
    wide = rng.integers(-(2**62), 2**62, 3000)  # ranks too wide to pack with a position
    for rank in (rng.integers(-20, 30, 3000), wide):  # many equal ranks
        hubbed = groups.hub_first(rank)
        assert np.array_equal(hubbed.starts, groups.starts) and np.array_equal(hubbed.sizes, groups.sizes)
        for start, size in zip(groups.starts.tolist(), groups.sizes.tolist(), strict=True):
            before, after = groups.members[start : start + size], hubbed.members[start : start + size]
            assert sorted(before.tolist()) == sorted(after.tolist())
            # what sorting the group by rank (stable) puts first
            assert after[0] == before[np.argsort(rank[before], kind="stable")[0]]


def test_chosen_groups_alone_pair_as_they_do_among_the_others() -> None:
    from dupdetect.stages.candidates import _Groups

    rng = np.random.default_rng(12)
    groups = _Groups.of(rng.integers(0, 60, (4000, 2)).astype(np.uint32))
    rank = rng.integers(-5, 5, 4000)
    chosen = (groups.sizes > 1) & (rng.random(len(groups.sizes)) < 0.4)
    alone = groups.only(chosen)
    assert np.array_equal(alone.sizes, groups.sizes[chosen])
    for k, g in enumerate(np.flatnonzero(chosen).tolist()):
        start, size = int(groups.starts[g]), int(groups.sizes[g])
        assert np.array_equal(
            alone.members[alone.starts[k] : alone.starts[k] + size], groups.members[start : start + size]
        )
    star = alone.hub_first(rank).within(star_above=0)
    assert star.tolist() == groups.hub_first(rank).within(chosen, star_above=0).tolist()
    assert len(groups.only(np.zeros(len(groups.sizes), dtype=bool)).within()) == 0


def test_bands_cut_into_shares_by_key_range_give_the_same_candidates(tmp_path, speeches_dir) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from dupdetect.engine.appendfile import ArrayFile

    rng = np.random.default_rng(9)
    distinct = rng.integers(0, 3, size=(60, 128), dtype=np.uint64).astype(np.uint32)  # many shared buckets
    repeated = distinct[rng.integers(0, 60, 900)]  # big buckets (stars, hubs) and repeated signatures
    fixtures, fixture_docs = _fixture_signatures(speeches_dir)
    sigs = np.concatenate([repeated, fixtures])
    unit_doc = np.r_[rng.integers(-1, 300, 900), fixture_docs + 300]
    rank = rng.permutation(len(sigs))
    for base in (CandidateConfig(), CandidateConfig(max_bucket=40), CandidateConfig(star_above=4)):
        whole = band_candidates(sigs, unit_doc, config=base, rank=rank)
        assert len(whole.pairs)
        for partition, run, store in (
            (7, mapper(1), None),
            (100, mapper(2), ArrayFile(tmp_path / f"parts-{base.max_bucket}-{base.star_above}")),
            (1, mapper(1), None),
        ):
            config = replace(base, band_partition=partition)
            found = (
                band_candidates(sigs, unit_doc, config=config, rank=rank, run=run, store=store)
                if store is not None
                else band_candidates(sigs, unit_doc, config=config, rank=rank, run=run)
            )
            assert np.array_equal(found.pairs, whole.pairs), (base, partition)
            assert found.skipped_buckets == whole.skipped_buckets
