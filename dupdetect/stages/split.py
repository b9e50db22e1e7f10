"""What sites merge: compilation pages and concatenated speeches -> parts.

A compilation page ("…范文(17篇)篇一 … 篇二 …") becomes one document per part,
numbered by the page's own numbering (``path#1`` …); the text before the first
part is the page's chrome, not a part. A second speech run on after the end of
the first (its title, then a date, a salutation or a line break) becomes ``#2``.

Parts are documents like any other: their ``span`` is their place in the
decoded source, their text is that slice, and their removals are shifted
into their own coordinates.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from dupdetect.model.types import Document, Removal, Span
from dupdetect.text import to_simplified

_NUM = r"[一二三四五六七八九十百零〇两]+|\d{1,3}"
_HEADING_RE = re.compile(
    rf"^[ \t\u3000]*(?P<title>[^\n]{{0,60}}?)[ \t]*[【\[(（]?[ \t]*"
    rf"(?:篇[ \t]*(?P<a>{_NUM})|范文[ \t]*(?P<b>{_NUM})|第[ \t]*(?P<c>{_NUM})[ \t]*篇)"
    r"[ \t]*[】\])）]?[ \t]*$",
    re.M,
)
_SPEECH_TITLE_RE = re.compile(
    r"(?:(?<=[。！？!?\n])|^)[ \t\u3000]*"
    r"(?P<title>[^\s。,，;；:：!！?？、]{2,40}?(?:在|于)[^\s。,，;；!！?？]{2,50}?"
    r"(?:会议|大会|座谈会|专题会|推进会|动员会|调度会|仪式|典礼|培训班|会)上?的?"
    r"(?:讲话|发言|致辞|报告|讲话稿|主持词|讲话提纲))"
    r"(?=[ \t]*(?:\n|同志们|各位|[（(]?\d{4}年|\d{1,2}月\d{1,2}日|[（(]\d))",
    re.M,
)
_SPEECH_WORD_RE = re.compile(r"讲话|发言|致辞|报告|主持词")  # every speech title ends with one of these
_SENTENCE_BREAK_RE = re.compile("[。！？!?\n]")  # what a speech title follows (its look-behind), and never holds
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TITLE_EDGE = frozenset(" \t\u3000(（【[:：—-")
MIN_PART_CHARS = 300  # text on each side of a run-on title before it counts as a second speech


@dataclass(frozen=True, slots=True)
class Part:
    """One speech of a page: its document, its removals, and a title the page gave it."""

    doc: Document
    removals: tuple[Removal, ...]
    title_hint: str = ""


def split_document(doc: Document, removals: Sequence[Removal] = ()) -> tuple[Part, ...]:
    """The speeches of one document: its compilation parts, or its run-on speeches.

    A document holding one speech comes back whole.
    """
    simple = to_simplified(doc.text)
    cuts = _compilation_cuts(simple, removals) or _run_on_cuts(simple, removals)
    if not cuts:
        return (Part(doc, tuple(removals)),)
    return tuple(_part(doc, removals, number, span, title) for number, span, title in cuts)


def chinese_number(text: str) -> int:
    """The value of a small Chinese or Arabic numeral ("十七" -> 17, "12" -> 12)."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        return _DIGITS.get(hundreds, 1) * 100 + (chinese_number(rest.lstrip("零〇")) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _DIGITS.get(tens, 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    return _DIGITS.get(text, 0)


def _compilation_cuts(text: str, removals: Sequence[Removal]) -> list[tuple[int, Span, Span | None]]:
    """Parts of a compilation page: (number, span, heading title); [] if it is none."""
    if "篇" not in text and "范文" not in text:
        return []
    headings = [m for m in _HEADING_RE.finditer(text) if not _inside(removals, m.start())]
    numbers = [chinese_number(m.group("a") or m.group("b") or m.group("c")) for m in headings]
    if len(headings) < 2 or any(b <= a for a, b in itertools.pairwise(numbers)):
        return []
    ends = [m.start() for m in headings[1:]] + [len(text)]
    return [
        (number, Span(_next_line(text, m.end()), end), _title_span(m, "title"))
        for number, m, end in zip(numbers, headings, ends, strict=True)
    ]


def _run_on_cuts(text: str, removals: Sequence[Removal]) -> list[tuple[int, Span, Span | None]]:
    """Speeches run on after one another, each starting with its title."""
    if not _SPEECH_WORD_RE.search(text):
        return []
    kept = _kept_prefix(len(text), removals)
    starts = [
        m
        for m in speech_titles(text)
        if kept(m.start()) >= MIN_PART_CHARS and kept(len(text)) - kept(m.start()) >= MIN_PART_CHARS
    ]
    if not starts:
        return []
    bounds = [0, *(m.start("title") for m in starts), len(text)]
    titles = [None, *(_title_span(m, "title") for m in starts)]
    return [(i + 1, Span(bounds[i], bounds[i + 1]), titles[i]) for i in range(len(bounds) - 1)]


def speech_titles(text: str) -> list[re.Match[str]]:
    """``list(_SPEECH_TITLE_RE.finditer(text))``, tried only where a match can be.

    A match starts a sentence (or a line) and holds no sentence end or line
    break up to its closing speech word, so it is tried once at the start of
    each sentence that holds a speech word, and nowhere else.
    """
    found = []
    tried = -1
    breaks: list[int] | None = None  # where sentences end, found once (only for texts with a speech word)
    for word in _SPEECH_WORD_RE.finditer(text):
        if breaks is None:
            breaks = [m.start() for m in _SENTENCE_BREAK_RE.finditer(text)]
        before = bisect.bisect_left(breaks, word.start())
        start = breaks[before - 1] + 1 if before else 0
        if start > tried:
            tried = start
            m = _SPEECH_TITLE_RE.match(text, start)
            if m:
                found.append(m)
    return found


def _title_span(match: re.Match[str], group: str) -> Span | None:
    """The span of a match group without surrounding brackets and spaces."""
    start, end = match.span(group)
    text = match.string
    while start < end and text[start] in _TITLE_EDGE:
        start += 1
    while end > start and text[end - 1] in _TITLE_EDGE:
        end -= 1
    return Span(start, end) if end > start else None


def _kept_prefix(length: int, removals: Sequence[Removal]) -> _KeptCounter:
    return _KeptCounter(length, removals)


class _KeptCounter:
    """How many characters before a position are not removed."""

    def __init__(self, length: int, removals: Sequence[Removal]) -> None:
        self._spans = sorted(r.span for r in removals)
        self._length = length

    def __call__(self, pos: int) -> int:
        removed = sum(max(0, min(s.end, pos) - s.start) for s in self._spans if s.start < pos)
        return pos - removed


def _inside(removals: Sequence[Removal], pos: int) -> bool:
    return any(r.span.start <= pos < r.span.end for r in removals)


def _next_line(text: str, pos: int) -> int:
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline + 1


def _part(doc: Document, removals: Sequence[Removal], number: int, span: Span, title: Span | None) -> Part:
    text = doc.text[span.start : span.end]
    part_doc = replace(
        doc,
        id=f"{doc.id}#{number}",
        text=text,
        span=Span(doc.span.start + span.start, doc.span.start + span.end),
        title="",
        meta={**doc.meta, "part_of": doc.id, "part": str(number)},
    )
    hint = doc.text[title.start : title.end] if title else ""
    return Part(part_doc, tuple(_shift(removals, span)), hint)


def _shift(removals: Sequence[Removal], span: Span) -> Iterator[Removal]:
    """Removals clipped to ``span`` and moved into its coordinates."""
    for r in removals:
        start, end = max(r.span.start, span.start), min(r.span.end, span.end)
        if start < end:
            yield Removal(Span(start - span.start, end - span.start), r.rule)
