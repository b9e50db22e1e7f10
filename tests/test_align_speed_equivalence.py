"""The fast paths of align and slots give what the plain versions they replaced gave.

Each test keeps the plain version (as it stood before the speed-up) and
compares it with the module's on generated inputs: texts over a small
alphabet with digits and Latin letters (so runs, gaps and multi-character
tokens are common), and arbitrary ranges.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq

from dupdetect.model.config import AlignConfig
from dupdetect.stages import align, slots
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment

TEXT = st.text(alphabet="甲乙丙丁戊己庚辛12,.ab ", max_size=80)
RANGE = st.tuples(st.integers(0, 40), st.integers(0, 40))


def _old_align_keys(key_a: str, key_b: str, config: AlignConfig) -> list[tuple[int, int, int, int, int]]:
    every = [blk for blk in LCSseq.opcodes(key_a, key_b).as_matching_blocks() if blk.size]
    regions: list[list[int]] = []
    for blk in (b for b in every if b.size >= config.anchor_chars):
        if regions and blk.a - regions[-1][1] <= config.max_gap and blk.b - regions[-1][3] <= config.max_gap:
            last = regions[-1]
            regions[-1] = [last[0], blk.a + blk.size, last[2], blk.b + blk.size, max(last[4], blk.size)]
        else:
            regions.append([blk.a, blk.a + blk.size, blk.b, blk.b + blk.size, blk.size])
    out = []
    for a0, a1, b0, b1, longest in regions:
        before = [blk for blk in every if blk.a + blk.size <= a0 and blk.b + blk.size <= b0][::-1][:3]
        for blk in before:
            if a0 - (blk.a + blk.size) > config.edge_gap or b0 - (blk.b + blk.size) > config.edge_gap:
                break
            a0, b0 = blk.a, blk.b
        after = [blk for blk in every if blk.a >= a1 and blk.b >= b1][:3]
        for blk in after:
            if blk.a - a1 > config.edge_gap or blk.b - b1 > config.edge_gap:
                break
            a1, b1 = blk.a + blk.size, blk.b + blk.size
        out.append((a0, a1, b0, b1, longest))
    return out


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.integers(1, 5), st.integers(0, 8), st.integers(0, 4))
def test_align_keys_as_before(a: str, b: str, anchor: int, gap: int, edge: int) -> None:
    config = AlignConfig(anchor_chars=anchor, max_gap=gap, edge_gap=edge)
    for x, y in ((a, b), (a, a), (a + b, b + a)):
        got = [(r.a_start, r.a_end, r.b_start, r.b_end, r.longest) for r in align.align_keys(x, y, config=config)]
        assert got == _old_align_keys(x, y, config)


def _old_matching_runs(a: str, b: str) -> list[tuple[int, int, int, int]]:
    codes: dict[str, str] = {}

    def tokens(text: str) -> tuple[str, list[int], list[int]]:
        pieces: list[str] = []
        starts: list[int] = []
        pos = 0
        for m in re.finditer(r"\d+(?:[.,]\d+)*|[a-z]{2,}", text):
            pieces.append(text[pos : m.start()])
            starts.extend(range(pos, m.start()))
            token = m.group()
            pieces.append(token if len(token) == 1 else codes.setdefault(token, chr(0xF0000 + len(codes))))
            starts.append(m.start())
            pos = m.end()
        pieces.append(text[pos:])
        starts.extend(range(pos, len(text)))
        return "".join(pieces), starts, [*starts[1:], len(text)]

    sa, starts_a, ends_a = tokens(a)
    sb, starts_b, ends_b = tokens(b)
    blocks = LCSseq.opcodes(sa, sb).as_matching_blocks()
    return [
        (starts_a[m.a], ends_a[m.a + m.size - 1], starts_b[m.b], ends_b[m.b + m.size - 1]) for m in blocks if m.size
    ]


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_matching_runs_as_before(a: str, b: str) -> None:
    """The tokenising fast path gives the plain scan's LCS runs (then joined where a short one can slide)."""
    assert align.matching_runs(a, b) == align._joined(_old_matching_runs(a, b), a, b)
    assert align.matching_runs(a, a) == _old_matching_runs(a, a)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_joined_runs_keep_every_matched_character_in_order(a: str, b: str) -> None:
    runs = _old_matching_runs(a, b)
    joined = align._joined(runs, a, b)
    assert sum(r[1] - r[0] for r in joined) == sum(r[1] - r[0] for r in runs)
    assert all(a[a0:a1] == b[b0:b1] for a0, a1, b0, b1 in joined)
    assert all(p[1] <= q[0] and p[3] <= q[2] for p, q in itertools.pairwise(joined))
    assert len(joined) <= len(runs)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="x1٣,.ab-", max_size=40))
def test_run_pattern_matches_as_before(text: str) -> None:
    old = re.compile(r"\d+(?:[.,]\d+)*|[a-z]{2,}")
    assert [m.span() for m in align._RUN_RE.finditer(text)] == [m.span() for m in old.finditer(text)]


SENTENCE = st.text(alphabet="甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥12,", min_size=5, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=5), st.lists(SENTENCE, min_size=1, max_size=5), st.integers(5, 40))
def test_align_documents_as_to_passage(first: list[str], second: list[str], min_chars: int) -> None:
    """The passages kept are those :func:`align.to_passage` gives that are long and similar enough."""
    a, b = "\n".join(first), "\n".join(first[:2] + second + first[2:])
    config = AlignConfig(min_chars=min_chars, min_similarity=0.6)
    na, nb = normalize(a), normalize(b)
    units = [(x, y) for x in segment(0, a, na) for y in segment(1, b, nb)]
    pair = align.align_documents(("a", "b"), (na, nb), units, config=config)
    regions = align.merge_regions(align.unit_regions(na, nb, units, config=config), max_gap=config.max_gap)
    passages = [align.to_passage(na, nb, r) for r in regions]
    kept = sorted(
        (
            p
            for p in passages
            if min(len(p.key_a), len(p.key_b)) >= config.min_chars and p.similarity >= config.min_similarity
        ),
        key=lambda p: (p.a, p.b),
    )
    assert (list(pair.passages) if pair else []) == kept


@given(st.integers(1, 3000), st.integers(1, 3000), st.sampled_from([0.0, 0.3, 0.5, 0.66667, 0.99995, 1.0, 1.5]))
def test_least_matched(len_a: int, len_b: int, min_similarity: float) -> None:
    least = align._least_matched(len_a, len_b, min_similarity)
    ok = [m for m in range(min(len_a, len_b) + 1) if round(2 * m / (len_a + len_b), 4) >= min_similarity]
    assert least == (ok[0] if ok else min(len_a, len_b) + 1)


def _old_map(al: slots._Alignment, pos: int, *, start: bool) -> int:
    t_end, m_end = al.template_range[0], al.member_range[0]
    for a0, a1, b0, b1 in al.runs:
        if pos < a0 or (pos == a0 and not start):
            return m_end if start else b0
        if pos == a0:
            return m_end if t_end == a0 else b0
        if pos <= a1:
            return b0 + (pos - a0)
        t_end, m_end = a1, b1
    return m_end if start else al.member_range[1]


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT)
def test_map_as_before(a: str, b: str) -> None:
    runs = tuple((a0 + 3, a1 + 3, b0 + 5, b1 + 5) for a0, a1, b0, b1 in align.matching_runs(a, b))
    al = slots._Alignment("m", (3, 3 + len(a)), (5, 5 + len(b)), runs, tuple(r[1] for r in runs))
    for pos in range(3, 4 + len(a)):
        for start in (True, False):
            assert al._map(pos, start=start) == _old_map(al, pos, start=start)


@given(st.lists(RANGE, max_size=6), st.lists(RANGE, max_size=10))
def test_cover_as_any(ranges: list[tuple[int, int]], gaps: list[tuple[int, int]]) -> None:
    cover = slots._Cover(ranges)
    for t in gaps:
        want = any((t[0] < r[1] and r[0] < t[1]) or (t[0] == t[1] and r[0] <= t[0] <= r[1]) for r in ranges)
        assert cover(t) == want
