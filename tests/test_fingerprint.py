from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from dupdetect.model.config import FingerprintConfig
from dupdetect.stages.fingerprint import EMPTY, Shingles, concat, drop_hashes, shingle, signatures, to_lean_minhash
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment

TEXT = (
    "同志们:今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务。\n\n"
    "一、充分肯定成绩,清醒认识当前安全生产面临的严峻形势。过去一年,全市上下认真贯彻落实各项决策部署。\n\n"
    "短句。\n\n"
    "二、突出重点,扎实抓好安全生产各项工作。要坚持人民至上、生命至上,统筹发展和安全,守牢底线。"
)


def _shingles(text: str, config: FingerprintConfig = FingerprintConfig()):  # type: ignore[no-untyped-def]
    norm = normalize(text)
    return shingle(norm, segment(0, text, norm), config=config)


def _datasketch(hashes: np.ndarray, config: FingerprintConfig) -> np.ndarray:
    m = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=lambda v: v)
    m.update_batch([int(h) for h in hashes])
    return np.asarray(m.hashvalues)


def test_signatures_equal_datasketch_update_batch() -> None:
    config = FingerprintConfig()
    sh = _shingles(TEXT, config)
    sigs = signatures(sh, config=config)
    for unit in range(len(sh.bounds) - 1):
        assert np.array_equal(sigs[unit], _datasketch(sh.of(unit), config))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=300), st.integers(0, 2**16))
def test_signatures_equal_datasketch_for_any_hashes(values: list[int], seed: int) -> None:
    from dupdetect.stages.fingerprint import Shingles

    config = FingerprintConfig(num_perm=64, seed=seed)
    hashes = np.unique(np.array(values, dtype=np.uint32))
    sh = Shingles(hashes=hashes, bounds=np.array([0, len(hashes)]))
    assert np.array_equal(signatures(sh, config=config)[0], _datasketch(hashes, config))


def test_lean_minhash_round_trip() -> None:
    sig = signatures(_shingles(TEXT))[0]
    lean = to_lean_minhash(sig, seed=1)
    buf = bytearray(lean.bytesize())
    lean.serialize(buf)
    assert np.array_equal(type(lean).deserialize(buf).hashvalues, sig)


def test_unit_without_shingles_has_the_empty_signature() -> None:
    from dupdetect.stages.fingerprint import Shingles

    sh = Shingles(hashes=np.array([5, 9], dtype=np.uint32), bounds=np.array([0, 0, 2, 2]))
    sigs = signatures(sh)
    assert (sigs[0] == EMPTY).all() and (sigs[2] == EMPTY).all() and not (sigs[1] == EMPTY).all()


def _exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    sa, sb = set(a.tolist()), set(b.tolist())
    return len(sa & sb) / len(sa | sb)


def test_minhash_estimate_is_close_to_exact_jaccard() -> None:
    rng = np.random.default_rng(7)
    config = FingerprintConfig(num_perm=256)
    from dupdetect.stages.fingerprint import Shingles

    for _ in range(20):
        base = rng.choice(2**32 - 1, size=400, replace=False).astype(np.uint32)
        keep = int(rng.integers(50, 400))
        other = np.concatenate([base[:keep], rng.choice(2**32 - 1, size=400 - keep).astype(np.uint32)])
        a, b = np.unique(base), np.unique(other)
        sh = Shingles(hashes=np.concatenate([a, b]), bounds=np.array([0, len(a), len(a) + len(b)]))
        sig = signatures(sh, config=config)
        estimate = float((sig[0] == sig[1]).mean())
        assert abs(estimate - _exact_jaccard(a, b)) < 0.12


def test_word_shingles_for_space_delimited_text() -> None:
    text = "We gather here today to celebrate the opening of the new community library in our town."
    sh = _shingles(text, FingerprintConfig(word_k=3))
    assert len(sh.hashes) == len(text.split()) - 2


def test_drop_hashes_removes_stock_shingles_from_every_unit() -> None:
    sh = _shingles(TEXT)
    stock = np.sort(sh.of(0)[:3])
    dropped = drop_hashes(sh, stock)
    assert len(dropped.hashes) == len(sh.hashes) - 3
    assert not np.isin(dropped.hashes, stock).any()
    assert np.array_equal(dropped.of(1), sh.of(1))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 40), max_size=12), min_size=1, max_size=6),
    st.lists(st.integers(0, 40), max_size=10),
)
def test_drop_hashes_equals_filtering_each_unit(units: list[list[int]], stop: list[int]) -> None:
    # small values share hash buckets, so the exact test after the bucket test is exercised
    sh = Shingles(
        np.array([h for u in units for h in u], dtype=np.uint32), np.r_[0, np.cumsum([len(u) for u in units])]
    )
    dropped = drop_hashes(sh, np.unique(np.array(stop, dtype=np.uint32)))
    assert [dropped.of(i).tolist() for i in range(len(units))] == [[h for h in u if h not in stop] for u in units]


def test_documents_signed_together_get_the_signatures_they_get_alone() -> None:
    docs = [_shingles(TEXT), _shingles(TEXT[5:]), Shingles(np.zeros(0, np.uint32), np.zeros(1, np.int64))]
    together = signatures(concat(docs))
    assert np.array_equal(together, np.concatenate([signatures(d) for d in docs]))
    assert concat(docs).of(len(docs[0].bounds) - 1).tolist() == docs[1].of(0).tolist()


def test_overlapping_or_unordered_units_get_their_own_windows() -> None:
    from dupdetect.stages.fingerprint import shingle_ranges

    norm = normalize(TEXT)
    n = len(norm.key)
    ranges = np.array([(0, n // 2), (n // 4, n), (0, 10)])
    together = shingle_ranges(norm, ranges)
    alone = [shingle_ranges(norm, ranges[i : i + 1]).hashes.tolist() for i in range(len(ranges))]
    assert [together.of(i).tolist() for i in range(len(ranges))] == alone
    assert len(concat([]).hashes) == 0 and concat([]).bounds.tolist() == [0]


def test_permutations_are_datasketchs_draws() -> None:
    from dupdetect.stages.fingerprint import SCHEME, permutations

    for num_perm, seed in [(16, 1), (128, 1), (128, 7), (256, 42)]:
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
        ours = permutations(num_perm, seed)
        assert np.array_equal(ours[0], a) and np.array_equal(ours[1], b)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([TEXT, TEXT[40:90], "短", "", "The meeting of the council. It went well."]), st.data()
        ),
        max_size=6,
    )
)
def test_shingling_documents_together_gives_the_hashes_each_gets_alone(docs: list[tuple[str, st.DataObject]]) -> None:
    from dupdetect.stages.fingerprint import shingle_many, shingle_ranges

    norms, ranges = [], []
    for text, data in docs:
        norm = normalize(text)
        n = len(norm.key)
        cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=8)))
        if data.draw(st.booleans()):  # disjoint units in key order, as segment makes them (some empty)
            rows = list(zip(cuts[::2], cuts[1::2], strict=False))
        else:  # any units: overlapping, unordered
            rows = [(a, b) if a <= b else (b, a) for a, b in zip(cuts, reversed(cuts), strict=True)]
        norms.append(norm)
        ranges.append(np.array(rows, dtype=np.int64).reshape(-1, 2))
    for config in (FingerprintConfig(), FingerprintConfig(shingle="char", char_k=3)):
        together = shingle_many(norms, ranges, config=config)
        alone = [shingle_ranges(n, r, config=config) for n, r in zip(norms, ranges, strict=True)]
        assert [s.hashes.tolist() for s in together] == [s.hashes.tolist() for s in alone]
        assert [s.bounds.tolist() for s in together] == [s.bounds.tolist() for s in alone]


def _reference_hash(window: list[int]) -> int:
    """The documented shingle hash, in plain Python: a polynomial mod 2**64, MurmurHash3's fmix64, the high half."""
    mask = (1 << 64) - 1
    h = 0
    for v in window:
        h = (h * 0x100000001B3 + v) & mask
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & mask
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & mask
    h ^= h >> 33
    return h >> 32


def test_window_hashes_are_the_documented_hash_across_blocks() -> None:
    from dupdetect.stages.fingerprint import _BLOCK, _rolling

    rng = np.random.default_rng(5)
    for k, n in [(1, 10), (3, 50), (5, _BLOCK + 37), (5, 4), (6, 2 * _BLOCK)]:
        values = rng.integers(0, 0x110000, n).astype(np.uint64)
        want = [_reference_hash(values[i : i + k].tolist()) for i in range(max(0, n - k + 1))]
        assert _rolling(values, k).tolist() == want


def test_sentence_anchors_do_not_depend_on_paragraph_cuts_or_positions() -> None:
    import numpy as np

    from dupdetect.stages.fingerprint import sentence_anchors
    from dupdetect.stages.normalize import normalize

    shared = "今天召开全县春季动物防疫工作会议。主要任务是动员全县上下进一步提高认识。认真研究部署今年春季的防疫工作。"
    a = normalize("开头的一句话。" + shared)
    b = normalize("另一篇文章完全不同的开头，然后接着说；" + shared + "结尾")
    ha, ua = sentence_anchors([a], [np.array([[0, len(a.key)]])], length=20)
    whole = np.array([[0, len(b.key)]])
    halves = np.array([[0, 30], [30, len(b.key)]])
    hb, _ = sentence_anchors([b], [whole], length=20)
    hb2, ub2 = sentence_anchors([b], [halves], length=20)
    assert len(set(ha.tolist()) & set(hb.tolist())) == 2  # the shared sentences with 20 shared characters after
    assert hb.tolist() == hb2.tolist() and ub2.tolist() == [0, 0, 1]  # the units only say where each starts
    both, units = sentence_anchors([a, b], [np.array([[0, len(a.key)]]), halves], length=20)
    assert both.tolist() == ha.tolist() + hb.tolist() and units.tolist() == [0] * len(ha) + [1, 1, 2]
    assert ua.tolist() == [0] * len(ha)


def test_sentence_anchors_over_stock_phrases_are_left_out() -> None:
    import numpy as np

    from dupdetect.stages.fingerprint import sentence_anchors, shingle_ranges
    from dupdetect.stages.normalize import normalize

    formula = "坚持人民至上、生命至上，统筹发展和安全"
    own = "全县新建应急避难场所十二处，配备救生衣和冲锋舟等物资"
    norm = normalize(f"开头。{formula}，{formula}。{own}，{own}。")
    phrase = normalize(formula)
    stock = np.unique(shingle_ranges(phrase, np.array([[0, len(phrase.key)]])).hashes)
    rows = [np.array([[0, len(norm.key)]])]
    every, _ = sentence_anchors([norm], rows, length=20)
    kept, _ = sentence_anchors([norm], rows, length=20, stock=stock, k=5)
    assert len(every) == 3  # the key's start, after "开头。" and after the formulas
    assert kept.tolist() == every[2:].tolist()  # the two mostly over the formula go, the text's own stays


def test_window_hashes_are_the_rolling_hashes_at_those_places() -> None:
    import numpy as np

    from dupdetect.stages.fingerprint import _rolling, _window_hashes

    codes = np.random.default_rng(1).integers(0, 70000, 500).astype(np.uint32)
    places = np.arange(0, 495, 7)
    assert (_window_hashes(codes, places, 5) == _rolling(codes.astype(np.uint64), 5)[places]).all()
