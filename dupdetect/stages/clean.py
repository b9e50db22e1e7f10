"""Web-page chrome and debris: what sites add to a speech, found as spans.

Cleaning never edits the text. It returns :class:`~dupdetect.model.types.Removal`
spans, each named by the rule that found it, and normalisation leaves those
characters out of the match key, so every offset still points into the
original text and a sentence cut by a page break or injected text joins
again in the key.

Built-in rules (each a kind in the report):

- ``navigation``: breadcrumbs ("当前位置:首页 > 范文大全 > …", "某某网 › 讲话稿 › 会议讲话").
- ``metadata``: bylines and upload records ("发布时间:…", "来源:…", "上传人:… 文档编号:…", "责任编辑:…").
- ``blurb``: uploader/editor blurbs ("下面是小编为大家整理的…,供大家参考").
- ``pagination``: preview pagination ("第1页 / 共20页", "….docx_第3页").
- ``call_to_action``: "展开阅读全文", "推荐访问:…", "猜你喜欢:…", "点击查看更多…", "亲,该文档总共20页…".
- ``footer``: copyright and licence lines ("版权所有…", "备案号…", "Powered by…").
- ``injected``: text a site injects mid-sentence ("当前隐藏内容免费查看").
- ``page_marker``: the "N、" a preview site puts where its page breaks fall, recognised as a run
  of consecutive numbers most of which stand where a sentence was cut; real list numbering
  ("一、", "(一)", "1.", "一是", or "1、" items that follow finished sentences) is left alone.
- ``pinyin``: romanised annotations left by machine conversion ("網(wǎng)"), or by spam mirrors
  in plain ASCII, one syllable of two letters or more between two characters ("水(shui)利");
  "(GDP)", "(PM2.5)", "(app)" and "(a)" are kept.

:func:`repeated_lines` adds ``repeated_line``: short lines found in many documents of one site.
The patterns run on the OpenCC-simplified text, which has the same length as the original.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from dupdetect.model.types import Removal, Span
from dupdetect.text import to_simplified

SENTENCE_END = frozenset('。！？!?；;…”"」』:：')
MAX_CHROME_LINE = 120  # a line longer than this is text, whatever it contains ...
MAX_FOOTER_LINE = 400  # ... except a site's terms, which run long

_SEP = r"[:：]"
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "navigation",
        re.compile(
            r"^\s*(当前位置|您的位置|你的位置|您现在的位置|位置)" + _SEP + r"|首页\s*[>＞»›/]"
            r"|^[^>＞»›，。,;；！？!?]{1,24}(?:[>＞»›][^>＞»›，。,;；！？!?]{1,24}){2,}$"  # a breadcrumb: 3+ steps
        ),
    ),
    (
        "metadata",
        re.compile(
            r"(发布时间|上传时间|更新时间|发布日期|上传人|文档编号|责任编辑|浏览次数|阅读次数|点击次数|来源)"
            + _SEP
            + r"|^\s*(格式|页数|大小)[:：]|^\s*\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$"
        ),
    ),
    ("blurb", re.compile(r"由会员分享|请在.{1,12}上搜索|^\s*资源描述\s*$|本文共计?\d+字|文章共\d+字|仅供参考】")),
    ("pagination", re.compile(r"第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页|_第\d+页\s*$|^\s*(上一页|下一页|共\d+页)")),
    (
        "call_to_action",
        re.compile(
            r"^\s*(展开阅读全文|阅读全文|猜你喜欢|相关资源|相关搜索|相关推荐|相关阅读|相关文章|热门推荐|下载文档|"
            r"一键复制全文|下载\s*相关\s*举报|客服|举报|收藏|点击下载|免费下载|查看更多|精选\d+篇)\s*$"
            r"|^\s*(推荐访问|相关热词搜索|本文关键词|热门标签|标签|猜你喜欢|相关推荐|相关阅读|延伸阅读)"
            + _SEP
            + r"|^\s*点击(查看|阅读|下载)(更多|全文)|该文档总共\d+页|超出免费预览范围"
            r"|如果喜欢就下载吧|预览结束|免费获取全文"
        ),
    ),
    (
        "footer",
        re.compile(
            r"版权所有|版权声明|备案号|ICP备|Powered by|All Rights Reserved|未经授权禁止|copyright|©|"
            r"经营许可证|侵犯了您的版权|本站(只是|仅提供|所有|为文档)",
            re.IGNORECASE,
        ),
    ),
)
_BLURB_RE = re.compile(
    r"(?=[下以])(下面|以下)是.{0,20}?小编.{0,120}?(供大家参考|希望.{0,20}?(有所帮助|喜欢)|欢迎阅读|仅供参考)[,，。.!！]?"
    r"(?:[^,，。.!！\n]{0,6}?(欢迎(大家)?(阅读|参考|借鉴|收藏|下载)|希望.{0,20}?(有所帮助|喜欢))[,，。.!！]?)?"
)  # (and the courtesy after it: "仅供参考，欢迎大家阅读。")
_INJECTED_RE = re.compile(
    r"(?=[当本温])(?:当前隐藏内容免费查看|本文由.{1,20}?整理发布[,，。]?|温馨提示[:：]?.{0,30}?(下载|复制)[^。\n]{0,20})"
)
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# one toneless syllable: an initial, then a final (spam mirrors annotate a character's reading in plain ASCII)
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|er|[aoeiuvü])"
)
_PINYIN_RE = re.compile(
    r"(?=[(（])(?<=[\u4e00-\u9fff])[(（](?:[a-zü]*[" + _TONES + "][a-zü" + _TONES + "]*"
    r"|(?=[a-zü]{2})" + _SYLLABLE + r"(?=[)）][\u4e00-\u9fff，。、；：！？]))[)）]"
)  # toned: after a Han character; toneless: one syllable between two Han characters (or before punctuation)
_PINYIN_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzü" + _TONES)  # what can follow the "(" of a pinyin match
# The blurb and injected-text patterns cannot match a text without one of these words.
_SPAN_RULES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("blurb", _BLURB_RE, ("小编",)),
    ("injected", _INJECTED_RE, ("当前隐藏内容免费查看", "本文由", "温馨提示")),
)
_MARKER_RE = re.compile(r"^[ \t\u3000]*(\d{1,3})、", re.M)
_LATER_MARKER_RE = re.compile(r"\n[ \t\u3000]*\d{1,3}、")  # a marker after the first line (starts with a literal)
_LINE_BREAK_RE = re.compile(r"[\n\r\u2028\u2029]")
# Every line rule needs one of these words, so only lines holding one are checked.
_KEYWORDS = (
    "›|»|＞|>|位置|首页|时间|日期|上传|编号|编辑|次数|来源|格式|大小|会员|搜索|资源|本文|文章|参考|页|延伸|"
    "全文|喜欢|相关|推荐|热门|下载|复制|举报|客服|收藏|更多|精选|关键词|标签|预览|免费|版权|备案|ICP|"
    "Powered|powered|POWERED|Rights|RIGHTS|授权|Copyright|copyright|COPYRIGHT|©|许可|侵犯|本站|小编"
)
# Each alternative starts with a literal, so the regex engine skips ahead on their first characters;
# a date at the very start of the text is checked on its own.
_KEYWORD_RE = re.compile(_KEYWORDS + r"|\n[ \t\u3000]*\d{4}-")
_FIRST_LINE_DATE_RE = re.compile(r"[ \t\u3000]*\d{4}-")
_WORDS_RE = re.compile(r"[\w\n]+")  # what a line's key keeps, but for "_" (and here line breaks)


@dataclass(frozen=True, slots=True)
class _Line:
    span: Span
    text: str  # simplified


REPEATED = "repeated_line"
"""The rule of a line a site repeats around its speeches, learnt from its pages (:func:`repeated_lines`)."""


def find_chrome(text: str) -> tuple[Removal, ...]:
    """Spans of ``text`` that are page chrome or debris, each with its rule, in order."""
    simple = to_simplified(text)
    found: list[Removal] = []
    chrome_lines: list[Span] = []
    for line in _candidate_lines(simple):
        rule = _line_rule(line.text)
        if rule:
            found.append(Removal(line.span, rule))
            chrome_lines.append(line.span)
    span_rules = [(rule, pattern) for rule, pattern, words in _SPAN_RULES if any(w in simple for w in words)]
    if _may_hold_pinyin(simple):
        span_rules.append(("pinyin", _PINYIN_RE))
    for rule, pattern in span_rules:
        for m in pattern.finditer(simple):
            if "\n" not in m.group() and not any(s.start <= m.start() < s.end for s in chrome_lines):
                found.append(Removal(Span(m.start(), m.end()), rule))
    found.extend(page_markers(simple))
    return tuple(sorted(found, key=lambda r: (r.span.start, r.span.end, r.rule)))


def _candidate_lines(text: str) -> Iterator[_Line]:
    """The lines that hold a chrome keyword: only they can be chrome lines.

    After a hit the search goes on from the end of its line: one hit is enough.
    """
    hit = _FIRST_LINE_DATE_RE.match(text) or _KEYWORD_RE.search(text)
    while hit:
        start = text.rfind("\n", 0, hit.end() - 1) + 1
        end = text.find("\n", hit.end())
        end = len(text) if end < 0 else end
        raw = text[start:end]
        stripped = raw.strip()
        if stripped:
            offset = start + raw.index(stripped[0])
            yield _Line(Span(offset, offset + len(stripped)), stripped)
        hit = _KEYWORD_RE.search(text, end)


def _may_hold_pinyin(text: str) -> bool:
    """Whether a "(" or "（" of ``text`` is followed by a letter a pinyin annotation starts with."""
    for paren in "(（":
        at = text.find(paren)
        while at >= 0:
            if text[at + 1 : at + 2] in _PINYIN_FIRST:
                return True
            at = text.find(paren, at + 1)
    return False


def _line_rule(line: str) -> str | None:
    if "(" in line or "（" in line:
        line = _PINYIN_RE.sub("", line)  # "版權(quán)聲明" is still a footer
    for rule, pattern in _LINE_RULES:
        limit = MAX_FOOTER_LINE if rule == "footer" else MAX_CHROME_LINE
        if len(line) <= limit and pattern.search(line):
            return rule
    if _BLURB_RE.fullmatch(line):
        return "blurb"
    return None


def page_markers(text: str) -> list[Removal]:
    """The "N、" page-break markers of a preview site.

    A run of line-initial "N、" with consecutive numbers is a run of page
    markers when most of the line breaks before them cut a sentence.
    """
    if not (_MARKER_RE.match(text) or _LATER_MARKER_RE.search(text)):
        return []
    markers = [(int(m.group(1)), Span(m.start(1), m.end())) for m in _MARKER_RE.finditer(text)]
    removals: list[Removal] = []
    for run in _consecutive_runs(markers):
        cuts = sum(1 for _, span in run[1:] if _cuts_sentence(text, span.start))
        if len(run) >= 3 and cuts * 2 >= len(run) - 1:
            removals.extend(Removal(span, "page_marker") for _, span in run)
    return removals


def _consecutive_runs(markers: list[tuple[int, Span]]) -> list[list[tuple[int, Span]]]:
    """Split markers (in text order) into runs whose numbers go up by one."""
    runs: list[list[tuple[int, Span]]] = []
    for number, span in markers:
        if runs and number == runs[-1][-1][0] + 1:
            runs[-1].append((number, span))
        else:
            runs.append([(number, span)])
    return runs


def _cuts_sentence(text: str, pos: int) -> bool:
    """Whether the text before ``pos`` (ignoring white space) ends mid-sentence."""
    before = text[max(0, pos - 200) : pos].rstrip()
    return bool(before) and before[-1] not in SENTENCE_END


INNER = 1  # a kept line's place: between the page's paragraphs ...
EDGE = 2  # ... or right before the first or after the last one
SPEECH = 4  # a kept line that reads as a speech's own line: a salutation, a numbered heading, the thanks
# The lines a speech is built of, as template sites copy them on lines of their own.
_SPEECH_LINE_RE = re.compile(
    r"^(?:尊敬的|亲爱的)?[^\s：:]{0,30}(?:同志们|同事们|代表们|委员们|同学们|老师们|朋友们|女士们|先生们|家长们|战友们"
    r"|各位[^\s：:]{1,12})[^：:]{0,24}[：:]$"
    r"|^(?:谢谢|感谢)(?:大家|各位|您|你们)?(?:的(?:聆听|倾听|收听))?[！!。.]?$"
    r"|^(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是要]|第[一二三四五六七八九十]{1,3}[，,、是])\S"
)


def repeated_lines(
    lines_by_doc: Sequence[Sequence[tuple[int, int, str, int]]],
    site_of: Sequence[str | None],
    *,
    max_chars: int = 40,
    min_docs: int = 3,
    min_share: float = 0.3,
) -> list[list[Removal]]:
    """Short lines that recur in many documents of the same site, around the speech: that site's chrome.

    The same line on *different* sites is kept: that is template reuse. So is a
    line a site repeats that is part of the speeches themselves: one that
    documents of two or more sites hold between their paragraphs in at least
    half of the places it is found, or one that reads as a speech's own line
    (``同志们：``, ``一、…``, ``谢谢大家！``) and stands between or right next to the
    paragraphs in at least 80 % of them. What a site puts in its frame
    (navigation, a footer, "打印本页" after the text, a notice between the
    paragraphs that no other site has) goes.

    Args:
        lines_by_doc: per document, its kept lines as ``(start, end, match key, place)`` (see :func:`kept_lines`).
        site_of: per document, its site (or None: the document is left alone).
        max_chars: longer lines are never chrome.
        min_docs: a line must be in at least this many documents of a site ...
        min_share: ... and in at least this share of them.

    Returns:
        Per document, the removals of its repeated lines.
    """
    chrome = site_chrome(lines_by_doc, site_of, max_chars=max_chars, min_docs=min_docs, min_share=min_share)
    return chrome_removals(lines_by_doc, site_of, chrome)


def site_chrome(
    lines_by_doc: Sequence[Sequence[tuple[int, int, str, int]]],
    site_of: Sequence[str | None],
    *,
    max_chars: int = 40,
    min_docs: int = 3,
    min_share: float = 0.3,
) -> dict[str, frozenset[str]]:
    """Each site's chrome as :func:`repeated_lines` learns it: site -> the keys of its repeated lines (sites
    with none left out). Learnt over the whole corpus; :func:`chrome_removals` applies it to each document."""
    docs_of_site: dict[str, list[int]] = defaultdict(list)
    for i, site in enumerate(site_of):
        if site is not None:
            docs_of_site[site].append(i)
    frequent: dict[str, set[str]] = {}
    for site, docs in docs_of_site.items():
        counts = Counter(key for i in docs for key in {k for _, _, k, _ in lines_by_doc[i] if 0 < len(k) <= max_chars})
        needed = max(min_docs, min_share * len(docs))
        frequent[site] = {key for key, n in counts.items() if n >= needed}
    speech = _speech_keys(lines_by_doc, site_of, set().union(*frequent.values()))
    chrome = {site: frozenset(keys - speech) for site, keys in sorted(frequent.items())}
    return {site: keys for site, keys in chrome.items() if keys}


def chrome_removals(
    lines_by_doc: Sequence[Sequence[tuple[int, int, str, int]]],
    site_of: Sequence[str | None],
    chrome: Mapping[str, AbstractSet[str]],
) -> list[list[Removal]]:
    """Per document, the removals of its lines whose key is one of its site's ``chrome`` (:func:`site_chrome`)."""
    out: list[list[Removal]] = [[] for _ in lines_by_doc]
    for i, site in enumerate(site_of):
        keys = chrome.get(site) if site is not None else None
        if keys:
            out[i] = [Removal(Span(a, b), REPEATED) for a, b, key, _ in lines_by_doc[i] if key in keys]
    return out


def _speech_keys(
    lines_by_doc: Sequence[Sequence[tuple[int, int, str, int]]], site_of: Sequence[str | None], keys: set[str]
) -> set[str]:
    """Which of ``keys`` are the speeches' own lines, by where all documents hold them (see :func:`repeated_lines`)."""
    found: Counter[str] = Counter()
    inner: Counter[str] = Counter()
    in_body: Counter[str] = Counter()
    inner_sites: dict[str, set[str | None]] = defaultdict(set)
    reads_as_speech: set[str] = set()
    for lines, site in zip(lines_by_doc, site_of, strict=True):
        for _, _, key, place in lines:
            if key in keys:
                found[key] += 1
                if place & INNER:
                    inner[key] += 1
                    inner_sites[key].add(site)
                if place & (INNER | EDGE):
                    in_body[key] += 1
                if place & SPEECH:
                    reads_as_speech.add(key)
    return {
        key
        for key, n in found.items()
        if (len(inner_sites[key]) >= 2 and 2 * inner[key] >= n)
        or (key in reads_as_speech and 5 * in_body[key] >= 4 * n)
    }


def kept_lines(text: str, removals: Sequence[Removal], *, max_chars: int = 40) -> list[tuple[int, int, str, int]]:
    """The short lines of ``text`` not wholly removed: ``(start, end, key, place)``, the key its letters and digits.

    Only lines whose key can be at most ``max_chars`` long are returned: longer
    lines are never learnt as chrome. ``place`` holds :data:`INNER` when the line
    stands between the page's paragraphs (lines left after removals whose key is
    longer than ``max_chars``), :data:`EDGE` when right before the first or after
    the last, and :data:`SPEECH` when it reads as a speech's own line. Plain tuples, not
    spans: every page's lines go from a worker process to the one that learns a
    site's repeated lines.
    """
    removed = sorted(r.span for r in removals)
    starts = [s.start for s in removed]
    reach = list(itertools.accumulate((s.end for s in removed), max))  # furthest end of the first i + 1
    simple = to_simplified(text)
    longest = 2 * max_chars
    spans: list[tuple[int, int]] = []
    kept: list[str] = []
    paragraphs: list[int] = []  # the places (among the lines left after removals) of the lines too long for chrome
    begin = 0  # where the line starts
    for raw in _lines(simple):
        length = len(raw)
        stripped = raw.strip()
        if stripped:
            start = begin + raw.index(stripped[0])
            stop = start + len(stripped)
            before = bisect_left(starts, stop) if starts else 0  # the removals that start before the line ends
            if before and reach[before - 1] > start:
                first = bisect_right(reach, start)  # the removals before it all end before the line
                stripped = _uncovered(simple, removed[first:before], start, stop)
            if len(raw) > longest:  # never chrome; a paragraph unless removals took it
                if len(stripped.strip()) > max_chars:
                    paragraphs.append(len(spans))
                    spans.append((start, stop))
                    kept.append("")
            else:
                spans.append((start, stop))
                kept.append(stripped)
        begin += length + 1
    if not kept:
        return []
    # The letters and digits of all the lines at once, still one line each.
    # lowered before the length test ("İ" lowers to 2 chars); no character lowers to a line break
    keys = "".join(_WORDS_RE.findall("\n".join(kept))).replace("_", "").lower().split("\n")
    paragraphs.extend(at for at, key in enumerate(keys) if len(key) > max_chars)
    first, last = (min(paragraphs), max(paragraphs)) if paragraphs else (-9, -9)
    return [
        (a, b, key, _place(at, first, last, kept[at].strip()))
        for at, ((a, b), key) in enumerate(zip(spans, keys, strict=True))
        if 0 < len(key) <= max_chars
    ]


def _place(at: int, first: int, last: int, line: str) -> int:
    """A kept line's :data:`INNER`, :data:`EDGE` and :data:`SPEECH` bits (``first``/``last``: the paragraphs)."""
    place = INNER if first < at < last else EDGE if at in (first - 1, last + 1) else 0
    return place | SPEECH if _SPEECH_LINE_RE.match(line) else place


def _lines(text: str) -> list[str]:
    """The lines of ``text``, split at each line break (\\n, \\r, U+2028, U+2029) and without it."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        return _LINE_BREAK_RE.split(text)
    return text.split("\n")


def _uncovered(text: str, spans: Sequence[Span], start: int, stop: int) -> str:
    """The characters of ``text[start:stop]`` outside ``spans`` (sorted, each starting before ``stop``)."""
    pieces = []
    at = start
    for s in spans:
        if s.start > at:
            pieces.append(text[at : s.start])
        at = max(at, s.end)
        if at >= stop:
            return "".join(pieces)
    pieces.append(text[at:stop])
    return "".join(pieces)
