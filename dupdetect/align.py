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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq, MatchingBlock

from dupdetect.config import AlignConfig
from dupdetect.types import DocPair, Normalized, Paragraph, Passage, Span

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
    every = [blk for blk in LCSseq.opcodes(key_a, key_b).as_matching_blocks() if blk.size]
    regions: list[Region] = []
    for blk in (b for b in every if b.size >= config.anchor_chars):
        last = regions[-1] if regions else None
        if last and blk.a - last.a_end <= config.max_gap and blk.b - last.b_end <= config.max_gap:
            end_a, end_b = blk.a + blk.size, blk.b + blk.size
            regions[-1] = Region(last.a_start, end_a, last.b_start, end_b, max(last.longest, blk.size))
        else:
            regions.append(Region(blk.a, blk.a + blk.size, blk.b, blk.b + blk.size, blk.size))
    return [_extend(r, every, config.edge_gap) for r in regions]


def _extend(region: Region, blocks: Sequence[MatchingBlock], gap: int, steps: int = 3) -> Region:
    """Grow a region over short exact runs just outside it (a filled slot at a passage's edge)."""
    a0, a1, b0, b1 = region.a_start, region.a_end, region.b_start, region.b_end
    before = [blk for blk in blocks if blk.a + blk.size <= a0 and blk.b + blk.size <= b0][::-1][:steps]
    for blk in before:
        if a0 - (blk.a + blk.size) > gap or b0 - (blk.b + blk.size) > gap:
            break
        a0, b0 = blk.a, blk.b
    after = [blk for blk in blocks if blk.a >= a1 and blk.b >= b1][:steps]
    for blk in after:
        if blk.a - a1 > gap or blk.b - b1 > gap:
            break
        a1, b1 = blk.a + blk.size, blk.b + blk.size
    return Region(a0, a1, b0, b1, region.longest)


def unit_regions(
    norm_a: Normalized,
    norm_b: Normalized,
    unit_pairs: Iterable[tuple[Paragraph, Paragraph]],
    *,
    config: AlignConfig = AlignConfig(),
) -> list[Region]:
    """Regions of every candidate unit pair, in document key coordinates, sorted."""
    regions: set[Region] = set()
    for ua, ub in unit_pairs:
        local = align_keys(norm_a.key[ua.key_start : ua.key_end], norm_b.key[ub.key_start : ub.key_end], config=config)
        regions.update(
            Region(
                r.a_start + ua.key_start,
                r.a_end + ua.key_start,
                r.b_start + ub.key_start,
                r.b_end + ub.key_start,
                r.longest,
            )
            for r in local
        )
    return sorted(regions, key=lambda r: (r.a_start, r.b_start, r.a_end, r.b_end))


def merge_regions(regions: Sequence[Region], *, max_gap: int) -> list[Region]:
    """Join regions that continue each other in both documents (sorted input)."""
    merged: list[Region] = []
    for r in regions:
        for i in range(len(merged) - 1, -1, -1):
            m = merged[i]
            if _continues(m, r, max_gap):
                merged[i] = Region(
                    m.a_start,
                    max(m.a_end, r.a_end),
                    min(m.b_start, r.b_start),
                    max(m.b_end, r.b_end),
                    max(m.longest, r.longest),
                )
                break
        else:
            merged.append(r)
    return merged


def _continues(m: Region, r: Region, gap: int) -> bool:
    """Whether ``r`` goes on from ``m`` (or lies inside it) in both documents.

    It must start within ``gap`` after ``m`` ends (or inside ``m``) on both
    sides, and keep to the diagonal ``m`` ended on, so that a paragraph that
    moved elsewhere stays a passage of its own.
    """
    a_ok = m.a_start <= r.a_start <= m.a_end + gap
    b_ok = m.b_start <= r.b_start <= m.b_end + gap
    drift = (r.b_start - r.a_start) - (m.b_end - m.a_end)
    return a_ok and b_ok and abs(drift) <= gap


def to_passage(norm_a: Normalized, norm_b: Normalized, region: Region) -> Passage:
    """A region with its LCS length, similarity and spans in the original texts.

    Punctuation and spaces at either end are trimmed, so a passage starts and
    ends on words.
    """
    key_a = _trim(norm_a.key, region.a_start, region.a_end)
    key_b = _trim(norm_b.key, region.b_start, region.b_end)
    a = norm_a.key[key_a.start : key_a.end]
    b = norm_b.key[key_b.start : key_b.end]
    matched = LCSseq.similarity(a, b)
    return Passage(
        a=norm_a.to_span(key_a.start, key_a.end),
        b=norm_b.to_span(key_b.start, key_b.end),
        key_a=key_a,
        key_b=key_b,
        matched=matched,
        similarity=round(2 * matched / (len(a) + len(b)), 4) if a or b else 0.0,
        longest=region.longest,
    )


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
    regions = merge_regions(unit_regions(norm_a, norm_b, unit_pairs, config=config), max_gap=config.max_gap)
    passages = [to_passage(norm_a, norm_b, r) for r in regions]
    kept = tuple(p for p in passages if _long_enough(p, config))
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


def _long_enough(p: Passage, config: AlignConfig) -> bool:
    return min(len(p.key_a), len(p.key_b)) >= config.min_chars and p.similarity >= config.min_similarity


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
    tokenize = _word_tokens if words else _char_tokens
    sa, starts_a, ends_a = tokenize(a, codes)
    sb, starts_b, ends_b = tokenize(b, codes)
    blocks = LCSseq.opcodes(sa, sb).as_matching_blocks()
    return [
        (starts_a[m.a], ends_a[m.a + m.size - 1], starts_b[m.b], ends_b[m.b + m.size - 1]) for m in blocks if m.size
    ]


_WORD_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_RUN_RE = re.compile(r"\d+(?:[.,]\d+)*|[a-z]{2,}")
_TOKEN_BASE = 0xF0000  # supplementary private use area: one character per distinct multi-character token


def _code(token: str, codes: dict[str, str]) -> str:
    return token if len(token) == 1 else codes.setdefault(token, chr(_TOKEN_BASE + len(codes)))


def _char_tokens(text: str, codes: dict[str, str]) -> tuple[str, list[int], list[int]]:
    """One character per token (numbers and Latin words are one token each), token starts and ends."""
    pieces: list[str] = []
    starts: list[int] = []
    pos = 0
    for m in _RUN_RE.finditer(text):
        pieces.append(text[pos : m.start()])
        starts.extend(range(pos, m.start()))
        pieces.append(_code(m.group(), codes))
        starts.append(m.start())
        pos = m.end()
    pieces.append(text[pos:])
    starts.extend(range(pos, len(text)))
    return "".join(pieces), starts, [*starts[1:], len(text)]


def _word_tokens(text: str, codes: dict[str, str]) -> tuple[str, list[int], list[int]]:
    """One character per word or punctuation mark (spaces are no tokens), token starts and ends."""
    matches = list(_WORD_TOKEN_RE.finditer(text))
    token_string = "".join(_code(m.group(), codes) for m in matches)
    return token_string, [m.start() for m in matches], [m.end() for m in matches]
