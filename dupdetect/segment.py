"""A document -> its matching units, each with a span into the original text.

A unit is a paragraph (a line of the original text). A line that stops
mid-sentence (a preview site's page break, a hard-wrapped PDF line, a line
cut by removed chrome) and a line too short to shingle on its own (a
heading) are joined with the lines after them; paragraphs longer than ``max_chars`` key characters (and
text with no line breaks at all) are cut into sentence windows of about
``window_chars`` so that long run-on pages still align locally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np

from dupdetect.config import SegmentConfig
from dupdetect.types import Normalized, Paragraph

_LINE_RE = re.compile(r"[^\n\r\u2028\u2029]+")
_SENTENCE_END_RE = re.compile(r"[.!?;]+")
_SENTENCE_END = frozenset('.!?;:"')  # key forms of 。！？；：” (see normalize)


def segment(doc: int, text: str, norm: Normalized, *, config: SegmentConfig = SegmentConfig()) -> tuple[Paragraph, ...]:
    """Cut one document into matching units.

    Args:
        doc: the document's index in the corpus (carried on every unit).
        text: the document's original text.
        norm: its match key (from :func:`dupdetect.normalize.normalize`).
        config: unit sizes.

    Returns:
        Units in text order, each with its original span and key range.
    """
    units: list[Paragraph] = []
    for key_start, key_end in _key_ranges(text, norm, config):
        span = norm.to_span(key_start, key_end)
        units.append(Paragraph(doc=doc, index=len(units), span=span, key_start=key_start, key_end=key_end))
    return tuple(units)


def _key_ranges(text: str, norm: Normalized, config: SegmentConfig) -> Iterator[tuple[int, int]]:
    """Key ranges of the units: lines, cut or short ones joined, long ones windowed."""
    lines = _join_cut(_line_key_ranges(text, norm), norm.key)
    for start, end in _join_short(lines, config.min_chars):
        if end - start > config.max_chars:
            yield from _windows(norm.key, start, end, config.window_chars)
        else:
            yield start, end


def _line_key_ranges(text: str, norm: Normalized) -> Iterator[tuple[int, int]]:
    """Non-empty key ranges of the original text's lines."""
    spans = [m.span() for m in _LINE_RE.finditer(text)]
    if not spans:
        return
    bounds = np.searchsorted(norm.starts, np.array(spans, dtype=np.int64), side="left").tolist()
    for start, end in bounds:
        if end > start and norm.key[start:end].strip():
            yield start, end


def _join_cut(ranges: Iterator[tuple[int, int]], key: str) -> Iterator[tuple[int, int]]:
    """Join each line that stops mid-sentence to the next (page breaks, hard wraps, cut chrome)."""
    return _join_while(ranges, lambda start, line, end: key[line:end].rstrip()[-1:] not in _SENTENCE_END)


def _join_short(ranges: Iterator[tuple[int, int]], min_chars: int) -> Iterator[tuple[int, int]]:
    """Join each range shorter than ``min_chars`` to the ranges that follow it."""
    return _join_while(ranges, lambda start, line, end: end - start < min_chars)


def _join_while(
    ranges: Iterator[tuple[int, int]], still_open: Callable[[int, int, int], bool]
) -> Iterator[tuple[int, int]]:
    """Join ranges to the ones after them while ``still_open(joined start, range start, end)``."""
    pending: tuple[int, int] | None = None
    for line_start, end in ranges:
        start = pending[0] if pending is not None else line_start
        if still_open(start, line_start, end):
            pending = (start, end)
            continue
        pending = None
        yield start, end
    if pending is not None:
        yield pending


def _windows(key: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut ``key[start:end]`` at sentence ends into pieces of about ``size`` chars."""
    cuts = [m.end() for m in _SENTENCE_END_RE.finditer(key, start, end)]
    windows: list[tuple[int, int]] = []
    window_start = start
    for cut in [*cuts, end]:
        while cut - window_start > 2 * size:  # a sentence with no end in sight
            windows.append((window_start, window_start + size))
            window_start += size
        if cut - window_start >= size:
            windows.append((window_start, cut))
            window_start = cut
    if window_start < end:
        if windows and end - window_start < size // 3:  # too small to stand alone
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((window_start, end))
    return windows
