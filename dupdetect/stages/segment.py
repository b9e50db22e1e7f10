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

import numpy as np

from dupdetect.model.config import SegmentConfig
from dupdetect.model.types import I32Array, Normalized, Paragraph, Span

_LINE_RE = re.compile(r"[^\n\r\u2028\u2029]+")
_SENTENCE_END_RE = re.compile(r"[.!?;]+")
_SENTENCE_END = frozenset('.!?;:"')  # key forms of 。！？；：” (see normalize)


def segment(doc: int, text: str, norm: Normalized, *, config: SegmentConfig = SegmentConfig()) -> tuple[Paragraph, ...]:
    """Cut one document into matching units.

    Args:
        doc: the document's index in the corpus (carried on every unit).
        text: the document's original text.
        norm: its match key (from :func:`dupdetect.stages.normalize.normalize`).
        config: unit sizes.

    Returns:
        Units in text order, each with its original span and key range.
    """
    return tuple(
        Paragraph(doc=doc, index=i, span=Span(a, b), key_start=c, key_end=d)
        for i, (a, b, c, d) in enumerate(segment_rows(text, norm, config=config).tolist())
    )


def segment_rows(text: str, norm: Normalized, *, config: SegmentConfig = SegmentConfig()) -> I32Array:
    """The units of :func:`segment` as one array: a row ``(span start, span end, key start, key end)`` each."""
    ranges = _key_ranges(text, norm, config)
    if not ranges:
        return np.zeros((0, 4), dtype=np.int32)
    keys = np.array(ranges, dtype=np.int64)
    rows = np.empty((len(keys), 4), dtype=np.int32)
    rows[:, :2] = norm.spans_of(keys)
    rows[:, 2:] = keys
    return rows


def _key_ranges(text: str, norm: Normalized, config: SegmentConfig) -> list[tuple[int, int]]:
    """Key ranges of the units: lines, cut or short ones joined, long ones windowed.

    A line that stops mid-sentence is joined to the next; then a range shorter
    than ``min_chars`` is joined to the ranges that follow it.
    """
    spans = [m.span() for m in _LINE_RE.finditer(text)]
    if not spans:
        return []
    key = norm.key
    lines = [
        (start, end)
        for start, end in norm.key_index(np.array(spans, dtype=np.int64)).tolist()
        if end > start and key[start:end].strip()
    ]
    joined: list[tuple[int, int]] = []
    pending = -1
    for start, end in lines:  # join lines cut mid-sentence (page breaks, hard wraps, cut chrome)
        first = start if pending < 0 else pending
        if key[start:end].rstrip()[-1:] not in _SENTENCE_END:
            pending = first
        else:
            pending = -1
            joined.append((first, end))
    if pending >= 0:
        joined.append((pending, lines[-1][1]))
    units: list[tuple[int, int]] = []
    pending = -1
    for start, end in joined:  # join ranges too short to shingle (headings) to what follows
        first = start if pending < 0 else pending
        if end - first < config.min_chars:
            pending = first
            continue
        pending = -1
        units.extend(_windows(key, first, end, config))
    if pending >= 0:
        units.extend(_windows(key, pending, joined[-1][1], config))
    return units


def _windows(key: str, start: int, end: int, config: SegmentConfig) -> list[tuple[int, int]]:
    """``key[start:end]`` as one unit, or cut at sentence ends into pieces of about ``window_chars``.

    Only ranges longer than ``max_chars`` are cut.
    """
    if end - start <= config.max_chars:
        return [(start, end)]
    size = config.window_chars
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
