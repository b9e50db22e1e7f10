"""The fast cleaning code against the plain code it replaced: the same results on any page.

Each reference below is the straightforward version (a regex over every
position, every removal checked for every line, the whole text split into
lines); the module's version skips work but must find exactly the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupdetect.model.types import Removal, Span
from dupdetect.stages import clean, metadata
from dupdetect.text import to_simplified

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = [
    "您的位置:首页 > 公文范文 > 讲话稿",
    "发布时间:2024-03-02",
    "2023-1-5 12:30",
    "  2023-01-05  ",
    "下面是小编为大家整理的讲话稿,供大家参考。",
    "第2页 / 共9页",
    "讲话.docx_第3页",
    "展开阅读全文",
    "推荐访问:讲话 会议",
    "版权所有:某某范文网 备案号:京ICP备000000号",
    "版權(quán)聲明",
    "網(wǎng)站",
    "当前隐藏内容免费查看",
    "本文由小王整理发布,",
    "温馨提示:请下载后复制使用",
    "1、",
    "2、",
    "3、",
    "各级各部门要切实提高政治站位",
    "把安全生产工作摆在更加突出的位置,",
    "同志们:",
    "在全县安全生产工作会议上的讲话",
    "（2024年3月2日）",
    "(2019年12月1日)",
    "（讲话）",
    "Powered by DedeCMS",
    "POWERED BY x",
    "www.example.com",
    "來源:人民網",
    "请在百度上搜索",
    "範文(完整文档)",
    "©2020",
    "",
    " ",
    "\u3000",
    "\t",
    "ABC_def-12",
    "ΣΑΣ",
    "发言.pdf",
    "尊敬的各位领导",
    "。",
    "x" * 50,
    "很" * 85,
    "长" * 130,
    "页" * 401,
]
SEPARATORS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85", "", " "]
texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(p + s for p, s in parts)
)


@st.composite
def text_and_removals(draw: st.DrawFn) -> tuple[str, list[Removal]]:
    text = draw(texts)
    removals = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text) + 5))
        removals.append(Removal(Span(start, end), "x"))
    return text, removals


def _kept_lines_reference(text: str, removals: Sequence[Removal], max_chars: int) -> list[tuple[Span, str]]:
    removed = sorted(r.span for r in removals)
    simple = to_simplified(text)
    out = []
    for m in re.finditer(r"[^\n\r\u2028\u2029]*", simple):
        raw = m.group()
        if not raw.strip() or len(raw) > 2 * max_chars:
            continue
        stripped = raw.strip()
        start = m.start() + raw.index(stripped[0])
        span = Span(start, start + len(stripped))
        inside = [s for s in removed if s.start < span.end and s.end > span.start]
        kept = "".join(ch for i, ch in enumerate(stripped, span.start) if not any(s.start <= i < s.end for s in inside))
        key = re.sub(r"[\W_]+", "", kept).lower()
        if 0 < len(key) <= max_chars:
            out.append((span, key))
    return out


def _candidate_lines_reference(text: str) -> Iterator[tuple[Span, str]]:
    last = -1
    for hit in re.finditer(clean._KEYWORDS + r"|(?:^|\n)[ \t\u3000]*\d{4}-", text):
        start = text.rfind("\n", 0, hit.end() - 1) + 1
        if start <= last:
            continue
        end = text.find("\n", hit.end())
        end = len(text) if end < 0 else end
        last = end
        raw = text[start:end]
        stripped = raw.strip()
        if stripped:
            offset = start + raw.index(stripped[0])
            yield Span(offset, offset + len(stripped)), stripped


def _found(m: re.Match[str] | None) -> tuple[tuple[int, int], tuple[str | Any, ...]] | None:
    return None if m is None else (m.span(), m.groups())


def _find_title_reference(text: str, removals: Sequence[Removal], lines: int) -> str:
    removed = [r.span for r in removals]
    simple = to_simplified(text)
    candidates: list[tuple[str, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped:
            continue
        first = start + line.index(stripped[0])
        if any(s.start <= first < s.end for s in removed):
            continue
        candidates.append((stripped, simple[first : first + len(stripped)]))
        if len(candidates) >= lines:
            break
    titles = [(c, sc) for c, sc in candidates if metadata._title_like(sc)]
    speech = [c for c, sc in titles if metadata._SPEECH_WORDS.search(sc)]
    return metadata.clean_title((speech or [c for c, _ in titles] or [""])[0])


@SETTINGS
@given(text_and_removals(), st.sampled_from([1, 5, 40]))
def test_kept_lines_as_the_plain_scan(case: tuple[str, list[Removal]], max_chars: int) -> None:
    text, removals = case
    found = [(Span(a, b), key) for a, b, key, _ in clean.kept_lines(text, removals, max_chars=max_chars)]
    assert found == _kept_lines_reference(text, removals, max_chars)


@SETTINGS
@given(texts)
def test_chrome_as_the_plain_scan(text: str) -> None:
    simple = to_simplified(text)
    assert [(line.span, line.text) for line in clean._candidate_lines(simple)] == list(
        _candidate_lines_reference(simple)
    )
    for _, pattern, words in clean._SPAN_RULES:
        if not any(w in simple for w in words):
            assert pattern.search(simple) is None
    if not clean._may_hold_pinyin(simple):
        assert clean._PINYIN_RE.search(simple) is None
    if not (clean._MARKER_RE.match(simple) or clean._LATER_MARKER_RE.search(simple)):
        assert clean._MARKER_RE.search(simple) is None


@SETTINGS
@given(text_and_removals(), st.sampled_from([1, 3, 8, 20]))
def test_title_date_and_site_as_the_plain_scan(case: tuple[str, list[Removal]], lines: int) -> None:
    text, removals = case
    simple = to_simplified(text)
    assert list(metadata._first_lines(text)) == _line_offsets(text)
    dates = [_found(p.search(simple)) for p, _, _ in metadata._DATE_RES]
    assert [_found(metadata._search(p, simple, w, starts=s)) for p, w, s in metadata._DATE_RES] == dates
    sites = [_found(p.search(simple)) for p, _ in metadata._SITE_RES]
    assert [_found(metadata._search(p, simple, w)) for p, w in metadata._SITE_RES] == sites
    assert metadata.find_title(text, removals, lines=lines) == _find_title_reference(text, removals, lines)


def _line_offsets(text: str) -> list[tuple[int, str]]:
    """``text.splitlines(keepends=True)`` with each line's offset."""
    offsets = []
    pos = 0
    for line in text.splitlines(keepends=True):
        offsets.append((pos, line))
        pos += len(line)
    return offsets


def test_lines_are_split_a_chunk_at_a_time_like_splitlines() -> None:
    chunk = metadata._TITLE_CHUNK
    for text in [
        "a" * (chunk - 1) + "\r\n" + "b\n",
        "a" * (chunk - 1) + "\r" + "b",
        "\n" * chunk + "标题",
        "长" * (3 * chunk) + "\n题目\n",
        "x\x85y\u2028z\x1c" * chunk,
    ]:
        assert list(metadata._first_lines(text)) == _line_offsets(text)


def test_a_date_in_parentheses_after_other_parentheses() -> None:
    assert metadata.find_date("（一）讲话（2019年12月1日）又(2020年1月2日)") == "2019-12-01"
    assert metadata.find_date("(一)讲话(2019年12月1日)又（2020年1月2日）") == "2019-12-01"


def test_the_site_words_hold_under_ignorecase() -> None:
    """Only "b" and "B" match "b" under IGNORECASE, so "Powered by" needs " b" or " B"."""
    everything = "".join(map(chr, range(0x110000)))
    assert sorted(re.findall("b", everything, re.IGNORECASE)) == ["B", "b"]
    assert re.findall(r"\.", everything, re.IGNORECASE) == ["."]
    assert re.findall(" ", everything, re.IGNORECASE) == [" "]
