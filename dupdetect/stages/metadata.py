"""What a page says about its speech: a title, and where stated, a date and a site.

The patterns run on the OpenCC-simplified text (same length as the
original); what they find is returned in the page's own script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dupdetect.model.types import PageInfo, Removal
from dupdetect.text import TITLE_CELLS, cells, cut_title, script_of, to_simplified

_SPEECH_WORDS = re.compile(r"讲话|发言|致辞|报告|讲稿|演讲|主持词|会议|会上|动员|汇报")
_SALUTATION = re.compile(r"^(同志们|各位|尊敬的|亲爱的|女士们|大家好)")
_TITLE_DECORATION = re.compile(
    r"[(（](完整文档|全文|精选\d*篇?|精选范文|范文|\d+篇|word版|可编辑)[)）]|\.(docx?|pdf|txt)$|_第\d+页$|范文\s*$|范文\s*(?=[(（])",
    re.IGNORECASE,
)
# Each pattern with the words one of which every match holds, so a text without them is not
# searched (under IGNORECASE only "b" and "B" match "b": tests/test_metadata.py), and for a date
# whether every match starts with one of them (then it is tried there only, see _search).
_DATE_RES: tuple[tuple[re.Pattern[str], tuple[str, ...], bool], ...] = (
    (
        re.compile(
            r"(?:发布时间|上传时间|发布日期|更新时间|时间|日期)[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
        ),
        ("时间", "日期"),
        False,
    ),
    (re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})", re.M), ("-",), False),
    (re.compile(r"[（(]\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*[）)]"), ("（", "("), True),
)
_SITE_RES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"(?:版权所有|主办单位|主办)[:：]?\s*(?P<site>[^\s\d©,，。:：\[\]【】()（）]{2,20}"
            r"(?:网|站|文库|政府|委员会|办公室|办公厅|局|厅|院|中心|报社))"
        ),
        ("版权所有", "主办"),
    ),
    (re.compile(r"Powered by\s+(?P<site>[^\s©,，。]{2,30})", re.IGNORECASE), (" b", " B")),
    (re.compile(r"来源[:：]\s*(?P<site>[^\s(（,，。]{2,20}?(?:网|报|台))"), ("来源",)),
    (re.compile(r"请在(?P<site>[^\s,，。]{2,12}?)上搜索"), ("请在",)),
    (re.compile(r"(?P<site>\b[a-z0-9][a-z0-9-]*\.(?:com|cn|net|org)(?:\.cn)?)\b", re.IGNORECASE), (".",)),
)
_TITLE_CHUNK = 1024  # characters of text split into lines at a time while looking for a title


def describe(text: str, removals: Sequence[Removal] = (), *, title_hint: str = "", page_text: str = "") -> PageInfo:
    """Title, date and site of one document.

    Args:
        text: the document's text.
        removals: its chrome (titles are never taken from chrome lines).
        title_hint: a title the page gave this part (a compilation heading), used when the
            part's own lines hold none.
        page_text: the whole page a part was cut from, searched for a date and site the part
            itself does not state.
    """
    simple = to_simplified(text)
    title = _find_title(text, simple, removals, 8) or clean_title(title_hint)
    date = find_date(simple) or (find_date(to_simplified(page_text)) if page_text else "")
    site = find_site(text, simple) or (find_site(page_text, to_simplified(page_text)) if page_text else "")
    return PageInfo(title=title, date=date, site=site, script=script_of(text))


def find_title(text: str, removals: Sequence[Removal] = (), *, lines: int = 8) -> str:
    """The first speech-title-like line among the first kept lines, else the first short one."""
    return _find_title(text, to_simplified(text), removals, lines)


def _find_title(text: str, simple: str, removals: Sequence[Removal], lines: int) -> str:
    removed = [r.span for r in removals]
    candidates: list[tuple[str, str]] = []  # (original, simplified)
    for start, line in _first_lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        first = start + line.index(stripped[0])
        if any(s.start <= first < s.end for s in removed):
            continue
        candidates.append((stripped, simple[first : first + len(stripped)]))
        if len(candidates) >= lines:
            break
    titles = [(c, sc) for c, sc in candidates if _title_like(sc)]
    speech = [c for c, sc in titles if _SPEECH_WORDS.search(sc)]
    return clean_title((speech or [c for c, _ in titles] or [""])[0])


def _first_lines(text: str) -> Iterator[tuple[int, str]]:
    """``text.splitlines(keepends=True)`` with each line's offset, split a chunk at a time."""
    pos = 0
    size = _TITLE_CHUNK
    while pos < len(text):
        chunk = text[pos : pos + size]
        lines = chunk.splitlines(keepends=True)
        if pos + size < len(text):
            lines.pop()  # it may go on (or its "\r" be half of a "\r\n") past the chunk
            if not lines:
                size *= 2
                continue
        for line in lines:
            yield pos, line
            pos += len(line)


def _title_like(line: str) -> bool:
    return cells(line) <= TITLE_CELLS and line[-1] not in "。！？!?；;，,：:" and not _SALUTATION.match(line)


def clean_title(title: str) -> str:
    """A title without the decorations sites add ("(完整文档)", ".docx", "范文(17篇)")."""
    previous = None
    while previous != title:
        previous = title
        title = _TITLE_DECORATION.sub("", title).strip(" \t\u3000_-—")
    return cut_title(title)


def find_date(simple: str) -> str:
    """The first date a page states, as ``YYYY-MM-DD``."""
    for pattern, words, starts in _DATE_RES:
        m = _search(pattern, simple, words, starts=starts)
        if m:
            year, month, day = (int(g) for g in m.groups())
            if 1949 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def find_site(text: str, simple: str) -> str:
    """The site a page names in its footer or byline, in the page's own script."""
    for pattern, words in _SITE_RES:
        m = _search(pattern, simple, words)
        if m:
            return text[m.start("site") : m.end("site")]
    return ""


def _search(
    pattern: re.Pattern[str], text: str, words: tuple[str, ...], *, starts: bool = False
) -> re.Match[str] | None:
    """``pattern.search(text)``, for a pattern each match of which holds one of ``words``.

    With ``starts``, each match starts with one of them (single characters) and the pattern
    looks at nothing before it: then it is tried at their places only.
    """
    if not starts:
        return pattern.search(text) if any(word in text for word in words) else None
    places = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            places.append(at)
            at = text.find(word, at + 1)
    for at in sorted(places):
        m = pattern.match(text, at)
        if m:
            return m
    return None
