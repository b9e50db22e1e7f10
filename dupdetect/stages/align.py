"""Candidate units -> aligned passages with spans in both original texts.

Each candidate pair of units is aligned on the match key with rapidfuzz's
LCS opcodes. Exact runs of at least ``anchor_chars`` anchor the alignment;
anchors separated by at most ``max_gap`` unmatched characters on both sides
(a filled slot, a reworded phrase) form one region. Regions of neighbouring
units are then merged into passages, so a paragraph cut differently in two
copies still gives one passage. Passages shorter than ``min_chars`` or less
similar than ``min_similarity`` are dropped.

This is the only module that imports rapidfuzz.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

from dupdetect.model.config import AlignConfig
from dupdetect.model.types import DocPair, Normalized, Paragraph, Passage, Span

_EDGE_CHARS = frozenset(',.:;!?"()-·… ')


@dataclass(frozen=True, slots=True)
class Region:
    """An aligned stretch in key coordinates of two documents."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    longest: int = 0  # longest exact run inside it


def align_keys(key_a: str, key_b: str, *, config: AlignConfig = AlignConfig()) -> list[Region]:
    """Aligned regions of two key strings (coordinates local to them).

    >>> align_keys("abcdefghij-xx-klmnopqrst", "abcdefghij-yyy-klmnopqrst", config=AlignConfig(max_gap=5))
    [Region(a_start=0, a_end=24, b_start=0, b_end=25, longest=11)]
    """
    return [Region(*r) for r in _key_regions(key_a, key_b, config)]


_RegionTuple = tuple[int, int, int, int, int]  # a Region's fields, in order


def _key_regions(key_a: str, key_b: str, config: AlignConfig) -> Sequence[_RegionTuple]:
    """:func:`align_keys` as plain tuples (cheaper to hash, sort and merge)."""
    if key_a == key_b:  # one block over everything: no gap to join, nothing outside to extend over
        n = len(key_a)
        return [(0, n, 0, n, n)] if n and n >= config.anchor_chars else []
    return _aligned_regions(key_a, key_b, config.anchor_chars, config.max_gap, config.edge_gap)


@functools.lru_cache(maxsize=1024)  # neighbouring document pairs often repeat a unit pair (a copy of a copy)
def _aligned_regions(
    key_a: str, key_b: str, anchor_chars: int, max_gap: int, edge_gap: int
) -> tuple[_RegionTuple, ...]:
    """:func:`_key_regions` of two different keys."""
    every = [(blk.a, blk.b, blk.size) for blk in LCSseq.opcodes(key_a, key_b).as_matching_blocks() if blk.size]
    # Runs of anchors joined into regions, each with the indices of its first and last block in ``every``.
    spans: list[list[int]] = []
    for i, (a, b, size) in enumerate(every):
        if size < anchor_chars:
            continue
        last = spans[-1] if spans else None
        if last and a - last[1] <= max_gap and b - last[3] <= max_gap:
            last[1], last[3], last[4], last[6] = a + size, b + size, max(last[4], size), i
        else:
            spans.append([a, a + size, b, b + size, size, i, i])
    return tuple(_extend(span, every, edge_gap) for span in spans)


def _extend(span: Sequence[int], blocks: Sequence[tuple[int, int, int]], gap: int, steps: int = 3) -> _RegionTuple:
    """Grow a region over short exact runs just outside it (a filled slot at a passage's edge).

    ``span`` is ``(a_start, a_end, b_start, b_end, longest, first, last)`` with
    ``first`` and ``last`` the indices in ``blocks`` (LCS blocks, increasing in
    both texts) of the region's first and last block: the blocks before it in
    both texts are exactly ``blocks[:first]``, those after it ``blocks[last + 1 :]``.
    """
    a0, a1, b0, b1, longest, first, last = span
    for a, b, size in reversed(blocks[max(0, first - steps) : first]):
        if a0 - (a + size) > gap or b0 - (b + size) > gap:
            break
        a0, b0 = a, b
    for a, b, size in blocks[last + 1 : last + 1 + steps]:
        if a - a1 > gap or b - b1 > gap:
            break
        a1, b1 = a + size, b + size
    return a0, a1, b0, b1, longest


def unit_regions(
    norm_a: Normalized,
    norm_b: Normalized,
    unit_pairs: Iterable[tuple[Paragraph, Paragraph]],
    *,
    config: AlignConfig = AlignConfig(),
) -> list[Region]:
    """Regions of every candidate unit pair, in document key coordinates, sorted."""
    return [Region(*r) for r in _unit_regions(norm_a.key, norm_b.key, unit_pairs, config)]


def _unit_regions(
    key_a: str, key_b: str, unit_pairs: Iterable[tuple[Paragraph, Paragraph]], config: AlignConfig
) -> list[_RegionTuple]:
    """:func:`unit_regions` as plain tuples.

    A tuple hashes like the :class:`Region` with the same fields, so the set
    below iterates in the same order a set of regions would, and regions with
    the same coordinates but different ``longest`` keep their order.
    """
    regions: set[_RegionTuple] = set()
    for ua, ub in unit_pairs:
        sa, sb = ua.key_start, ub.key_start
        local = _key_regions(key_a[sa : ua.key_end], key_b[sb : ub.key_end], config)
        regions.update([(a0 + sa, a1 + sa, b0 + sb, b1 + sb, longest) for a0, a1, b0, b1, longest in local])
    return sorted(regions, key=lambda r: (r[0], r[2], r[1], r[3]))


_GROW_STEPS = 3  # windows of 2 * max_gap a region may grow by, at each end


def _grown(regions: Sequence[_RegionTuple], key_a: str, key_b: str, config: AlignConfig) -> list[_RegionTuple]:
    """Each region grown over the aligned text just before and after it that no candidate unit pair held.

    A unit made mostly of fills (a title and a speaker line, ``在青禾县2023年…`` against
    ``在xx县20xx年…``) shares too few shingles for a candidate, yet continues the
    passage next to it: the ``2 * max_gap`` key characters before (after) the region
    are aligned, and a region of them reaching to within ``max_gap`` of its edge joins.
    Only regions long enough to be passages grow, and never into one another.
    """
    out = [list(r) for r in regions]
    window = 2 * config.max_gap
    for i, r in enumerate(out):
        if r[1] - r[0] < config.min_chars:
            continue  # only a passage grows (pieces of stock phrases stay pieces)
        floor_a = max((q[1] for q in out[:i] if q[1] <= r[0]), default=0)
        floor_b = max((q[3] for q in out if q[3] <= r[2] and q is not r), default=0)
        for _ in range(_GROW_STEPS):
            a_lo, b_lo = max(floor_a, r[0] - window), max(floor_b, r[2] - window)
            found = _key_regions(key_a[a_lo : r[0]], key_b[b_lo : r[2]], config)
            if (
                not found
                or r[0] - (a_lo + found[-1][1]) > config.max_gap
                or r[2] - (b_lo + found[-1][3]) > config.max_gap
            ):
                break
            r[0], r[2], r[4] = a_lo + found[-1][0], b_lo + found[-1][2], max(r[4], found[-1][4])
        ceil_a = min((q[0] for q in out[i + 1 :] if q[0] >= r[1]), default=len(key_a))
        ceil_b = min((q[2] for q in out if q[2] >= r[3] and q is not r), default=len(key_b))
        for _ in range(_GROW_STEPS):
            a_hi, b_hi = min(ceil_a, r[1] + window), min(ceil_b, r[3] + window)
            found = _key_regions(key_a[r[1] : a_hi], key_b[r[3] : b_hi], config)
            if not found or found[0][0] > config.max_gap or found[0][2] > config.max_gap:
                break
            r[1], r[3], r[4] = r[1] + found[0][1], r[3] + found[0][3], max(r[4], found[0][4])
    return [(a0, a1, b0, b1, longest) for a0, a1, b0, b1, longest in out]


def merge_regions(regions: Sequence[Region], *, max_gap: int) -> list[Region]:
    """Join regions that continue each other in both documents (sorted input)."""
    tuples = [(r.a_start, r.a_end, r.b_start, r.b_end, r.longest) for r in regions]
    return [Region(*r) for r in _merge_regions(tuples, max_gap)]


def _merge_regions(regions: Sequence[_RegionTuple], gap: int) -> list[_RegionTuple]:
    """:func:`merge_regions` as plain tuples.

    A region joins the last merged one it goes on from (or lies inside) in both
    documents: it must start within ``gap`` after that one ends (or inside it)
    on both sides, and keep to the diagonal that one ended on, so that a
    paragraph that moved elsewhere stays a passage of its own.
    """
    merged: list[_RegionTuple] = []
    for r in regions:
        ra0, ra1, rb0, rb1, r_longest = r
        shift = rb0 - ra0
        for i in range(len(merged) - 1, -1, -1):
            ma0, ma1, mb0, mb1, m_longest = merged[i]
            if ma0 <= ra0 <= ma1 + gap and mb0 <= rb0 <= mb1 + gap and abs(shift - (mb1 - ma1)) <= gap:
                merged[i] = (ma0, max(ma1, ra1), min(mb0, rb0), max(mb1, rb1), max(m_longest, r_longest))
                break
        else:
            merged.append(r)
    return merged


def to_passage(norm_a: Normalized, norm_b: Normalized, region: Region) -> Passage:
    """A region with its LCS length, similarity and spans in the original texts.

    Punctuation and spaces at either end are trimmed, so a passage starts and
    ends on words.
    """
    key_a = _trim(norm_a.key, region.a_start, region.a_end)
    key_b = _trim(norm_b.key, region.b_start, region.b_end)
    a = norm_a.key[key_a.start : key_a.end]
    b = norm_b.key[key_b.start : key_b.end]
    return _passage(norm_a, norm_b, key_a, key_b, LCSseq.similarity(a, b), region.longest)


def _passage(norm_a: Normalized, norm_b: Normalized, key_a: Span, key_b: Span, matched: int, longest: int) -> Passage:
    """The passage of two trimmed key ranges with ``matched`` characters in common."""
    size = (key_a.end - key_a.start) + (key_b.end - key_b.start)
    return Passage(
        a=norm_a.to_span(key_a.start, key_a.end),
        b=norm_b.to_span(key_b.start, key_b.end),
        key_a=key_a,
        key_b=key_b,
        matched=matched,
        similarity=round(2 * matched / size, 4) if size else 0.0,
        longest=longest,
    )


_FIRST_GUESS = 0.95  # share of the shorter side first assumed matched (copies are mostly verbatim)


def _kept_passage(norm_a: Normalized, norm_b: Normalized, region: _RegionTuple, config: AlignConfig) -> Passage | None:
    """:func:`to_passage` of a region, or None when it is too short or not similar enough to keep.

    The LCS length is exact for every passage kept. It is first computed with
    a score cutoff (rapidfuzz then only looks at a band around the diagonal,
    and returns the exact length when it reaches the cutoff, else 0): a guess
    that most of the shorter side matches, then the least length the passage
    needs to be kept; below that it is dropped.
    """
    key_a = _trim(norm_a.key, region[0], region[1])
    key_b = _trim(norm_b.key, region[2], region[3])
    len_a, len_b = key_a.end - key_a.start, key_b.end - key_b.start
    if min(len_a, len_b) < config.min_chars:
        return None
    a = norm_a.key[key_a.start : key_a.end]
    b = norm_b.key[key_b.start : key_b.end]
    needed = _least_matched(len_a, len_b, config.min_similarity)
    guess = max(needed, math.ceil(_FIRST_GUESS * min(len_a, len_b)))
    matched = LCSseq.similarity(a, b, score_cutoff=guess)
    if matched < guess and needed < guess:
        matched = LCSseq.similarity(a, b, score_cutoff=needed) if needed else LCSseq.similarity(a, b)
    if matched < needed:
        return None
    return _passage(norm_a, norm_b, key_a, key_b, matched, region[4])


def _least_matched(len_a: int, len_b: int, min_similarity: float) -> int:
    """The fewest matched characters that give two texts at least ``min_similarity`` (as rounded in a passage).

    ``min(len_a, len_b) + 1`` when none does.
    """
    total, shorter = len_a + len_b, min(len_a, len_b)
    if min_similarity <= 0:
        return 0
    if not total:  # two empty texts: similarity 0, under any positive minimum
        return 1
    if not min_similarity <= 1:  # (or NaN)
        return shorter + 1
    least = min(math.ceil(min_similarity * total / 2), shorter + 1)  # right but for rounding
    while least > 0 and round(2 * (least - 1) / total, 4) >= min_similarity:
        least -= 1
    while least <= shorter and round(2 * least / total, 4) < min_similarity:
        least += 1
    return least


def _trim(key: str, start: int, end: int) -> Span:
    """``[start, end)`` without the punctuation and spaces at its ends."""
    while start < end and key[start] in _EDGE_CHARS:
        start += 1
    while end > start and key[end - 1] in _EDGE_CHARS:
        end -= 1
    return Span(start, end)


def align_documents(
    ids: tuple[str, str],
    norms: tuple[Normalized, Normalized],
    unit_pairs: Iterable[tuple[Paragraph, Paragraph]],
    *,
    config: AlignConfig = AlignConfig(),
) -> DocPair | None:
    """Every passage two documents share, or None when no passage survives.

    Args:
        ids: the two document ids, ``ids[0] < ids[1]``.
        norms: their match keys, in the same order.
        unit_pairs: candidate units ``(unit of a, unit of b)``.
        config: alignment thresholds.
    """
    norm_a, norm_b = norms
    regions = _merge_regions(_unit_regions(norm_a.key, norm_b.key, unit_pairs, config), config.max_gap)
    regions = _grown(regions, norm_a.key, norm_b.key, config)
    kept = tuple(p for p in (_kept_passage(norm_a, norm_b, r, config) for r in regions) if p is not None)
    if not kept:
        return None
    shared = sum(p.matched for p in kept)
    total = len(norm_a.key) + len(norm_b.key)
    return DocPair(
        a=ids[0],
        b=ids[1],
        similarity=round(min(1.0, 2 * shared / total), 4),
        coverage_a=coverage([p.key_a for p in kept], len(norm_a.key)),
        coverage_b=coverage([p.key_b for p in kept], len(norm_b.key)),
        shared_chars=shared,
        passages=tuple(sorted(kept, key=lambda p: (p.a, p.b))),
        longest_run=max(p.longest for p in kept),
    )


def coverage(spans: Iterable[Span], length: int) -> float:
    """Share of ``length`` covered by the union of ``spans`` (rounded to 4 places)."""
    covered = 0
    end = 0
    for s in sorted(spans):
        if s.end > end:
            covered += s.end - max(s.start, end)
            end = s.end
    return round(covered / length, 4) if length else 0.0


def matching_runs(a: str, b: str, *, words: bool = False) -> list[tuple[int, int, int, int]]:
    """Runs two texts share, in order: ``(a_start, a_end, b_start, b_end)`` (LCS of tokens).

    Tokens are single characters, except that numbers and Latin words are
    whole tokens (and with ``words``, every word is), so a fill such as
    ``18760`` is never split at a digit the two texts happen to share.

    >>> matching_runs("在\ue000召开第12次会议", "在哈尔滨市召开第15次会议")
    [(0, 1, 0, 1), (2, 5, 5, 8), (7, 10, 10, 13)]
    """
    codes: dict[str, str] = {}
    if words:
        sa, starts_a, ends_a = _word_tokens(a, codes)
        sb, starts_b, ends_b = _word_tokens(b, codes)
        return [
            (starts_a[m.a], ends_a[m.a + m.size - 1], starts_b[m.b], ends_b[m.b + m.size - 1])
            for m in LCSseq.opcodes(sa, sb).as_matching_blocks()
            if m.size
        ]
    sa, at_a = _char_tokens(a, codes)
    sb, at_b = _char_tokens(b, codes)
    if sa == sb:  # the one block LCSseq would give
        return [(0, len(a), 0, len(b))] if sa else []
    return _joined(
        [
            (at_a(m.a), at_a(m.a + m.size), at_b(m.b), at_b(m.b + m.size))
            for m in LCSseq.opcodes(sa, sb).as_matching_blocks()
            if m.size
        ],
        a,
        b,
    )


_SHORT_RUN = 3  # a run this short may be one the LCS took from the wrong place


def _joined(runs: list[tuple[int, int, int, int]], a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The same matched characters, with each short run moved next to its neighbour when the same text is there.

    The LCS has many equally long answers; its backtrace may take a ``县`` from
    the wrong place (``丰乐县2023年…县委书记`` against ``县委书记``) and split
    one run in two. Moving a short run to touch the next (or previous) run on
    the side where a gap separates them keeps the count and the order.
    """
    out: list[tuple[int, int, int, int]] = []
    for run in runs:
        if out:
            p = out[-1]
            merged = _touching(p, run, a, b)
            if merged is not None:
                out[-1] = merged
                continue
        out.append(run)
    return out


def _touching(
    p: tuple[int, int, int, int], r: tuple[int, int, int, int], a: str, b: str
) -> tuple[int, int, int, int] | None:
    """``p`` and ``r`` as one run, if one of them is short and can slide to touch the other; else None."""
    a0, a1, b0, b1 = p
    c0, c1, d0, d1 = r
    if a1 == c0 and b1 == d0:
        return a0, c1, b0, d1
    if a1 - a0 <= _SHORT_RUN:  # slide p right, to end where r starts
        n = a1 - a0
        if a1 == c0 and d0 - n >= b0 and b[d0 - n : d0] == a[a0:a1]:
            return a0, c1, d0 - n, d1
        if b1 == d0 and c0 - n >= a0 and a[c0 - n : c0] == b[b0:b1]:
            return c0 - n, c1, b0, d1
    if c1 - c0 <= _SHORT_RUN:  # slide r left, to start where p ends
        n = c1 - c0
        if a1 == c0 and b1 + n <= d1 and b[b1 : b1 + n] == a[c0:c1]:
            return a0, c1, b0, b1 + n
        if b1 == d0 and a1 + n <= c1 and a[a1 : a1 + n] == b[d0:d1]:
            return a0, a1 + n, b0, d1
    return None


_WORD_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# A number (``18,760.5``) or a Latin word; written so that the regex engine scans for its first character
# class (``\d+(?:[.,]\d+)*|[a-z]{2,}`` matches the same and is twice as slow).
_RUN_RE = re.compile(r"[\d](?:\d|[.,]\d)*|[a-z][a-z]+")
_TOKEN_BASE = 0xF0000  # supplementary private use area: one character per distinct multi-character token


def _code(token: str, codes: dict[str, str]) -> str:
    return token if len(token) == 1 else codes.setdefault(token, chr(_TOKEN_BASE + len(codes)))


def _char_tokens(text: str, codes: dict[str, str]) -> tuple[str, Callable[[int], int]]:
    """One character per token (numbers and Latin words are one token each), and the token start map.

    The map takes a token index to the start of that token in ``text`` (the
    end of the last token for the count of tokens), so token ``i`` ends
    where token ``i + 1`` starts.
    """
    pieces: list[str] = []
    after: list[int] = []  # token index right after each multi-character token ...
    extra: list[int] = []  # ... and the characters those tokens hold beyond one each, so far
    pos = 0
    longer = 0
    for m in _RUN_RE.finditer(text):
        start, end = m.span()
        pieces.append(text[pos:start])
        pieces.append(_code(m.group(), codes))
        if end - start > 1:
            longer += end - start - 1
            after.append(end - longer)
            extra.append(longer)
        pos = end
    if not after:
        return text, _identity
    pieces.append(text[pos:])

    def at(i: int) -> int:
        k = bisect.bisect_right(after, i)
        return i + extra[k - 1] if k else i

    return "".join(pieces), at


def _identity(i: int) -> int:
    return i


def _word_tokens(text: str, codes: dict[str, str]) -> tuple[str, list[int], list[int]]:
    """One character per word or punctuation mark (spaces are no tokens), token starts and ends."""
    matches = list(_WORD_TOKEN_RE.finditer(text))
    token_string = "".join(_code(m.group(), codes) for m in matches)
    return token_string, [m.start() for m in matches], [m.end() for m in matches]
