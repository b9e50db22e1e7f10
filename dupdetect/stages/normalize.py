"""Original text -> match key, with a map from every key character back.

The match key is what shingling and alignment compare. It folds away what
copies change without changing the speech: Traditional script (OpenCC
``t2s``), full-width forms (NFKC), letter case, the spelling of punctuation,
whitespace between CJK characters, and the spelling of placeholders (``xx``,
``×××``, ``X同志``, ``20xx年``, ``__`` ... all become one token).

Key character ``i`` comes from ``text[starts[i]:ends[i]]``, so any key range
maps back to a span of the original text.

>>> n = normalize("在ＸＸ市召開會議。")
>>> n.key == "在" + PLACEHOLDER + "市召开会议."
True
>>> n.placeholders
(Span(start=1, end=3),)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import opencc

from dupdetect.model.config import NormalizeConfig
from dupdetect.model.types import IntArray, Normalized, Span

PLACEHOLDER = "\ue000"
"""The one key character every placeholder spelling becomes."""

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PUNCT_FAMILIES = {
    ",": ",，、﹐﹑､",
    ".": ".。．｡",
    ":": ":：",
    ";": ";；",
    "!": "!！",
    "?": "?？",
    '"': "\"“”„‟「」『』‘’‚‛'〝〞﹁﹂﹃﹄",
    "(": "(（【〔〖｛{〈《<",
    ")": ")）】〕〗｝}〉》>",
    "-": "-—–－―─━~～",
    "·": "·・•‧",
}
_PUNCT = {ch: rep for rep, members in _PUNCT_FAMILIES.items() for ch in members}

# Placeholder spellings, tried left to right on the lower-cased NFKC key.
_PLACEHOLDER_FIRST = "×○△□■●◯*_某[" + "abcdefghijklmnopqrstuvwxyz0123456789"  # what a spelling can start with
_PLACEHOLDER_RE = re.compile(
    # the lookahead rejects, in one step, the positions (nearly all) where no spelling can start
    "(?=["
    + re.escape(_PLACEHOLDER_FIRST)
    + "])(?:"
    + "|".join(
        [
            r"x+月x+日",  # x月x日
            r"\d*(?:x+|×+)\d*(?=[年月日届次期号])",  # 20xx年, 201x年, 20××年, 第x届
            r"(?<![a-wyz])x{2,}(?![a-wyz])",  # xx, xxx (not inside a Latin word)
            rf"(?<![a-z0-9])x(?=[{_HAN}])(?!光|射线)",  # x书记, x市长 (not X光)
            r"×+",  # ×××
            r"[○△□■●◯]{2,}",  # ○○, △△
            r"\*{2,}",  # **, ***, ***五中***
            rf"(?<![a-z0-9])\d{{1,3}}d(?=[{_HAN}])",  # 20D胜利召开: 20D for 二十大
            r"_{2,}",  # __
            r"某{2,}",  # 某某
            r"(?<![a-z])[a-z](?=同志)",  # A同志
            r"\[[a-z][a-z _]{0,20}\](?!\()",  # [name], not a markdown link
        ]
    )
    + ")"
)
_SPACES_RE = re.compile(r"  +")


def normalize(text: str, *, drop: Sequence[Span] = (), config: NormalizeConfig = NormalizeConfig()) -> Normalized:
    """Build the match key of ``text`` with its offset map.

    Args:
        text: a document's original text.
        drop: spans to leave out of the key (page chrome); the text on either side joins.
        config: which folds to apply.

    Returns:
        The key, per-key-character original offsets, the original spans of
        every placeholder, and whether the text is CJK (whitespace dropped).
    """
    folded = to_simplified(text) if config.t2s else text
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    origin = _kept(len(folded), drop)
    if len(origin) < len(codes):
        codes = codes[origin]
    cjk = _is_cjk_codes(codes[:20000])
    key, starts = _map_codes(codes, cjk=cjk)
    starts = origin[starts]
    ends = starts + 1
    placeholders: tuple[Span, ...] = ()
    if config.mask_placeholders:
        key, starts, ends, placeholders = _mask_placeholders(key, starts, ends)
    if not cjk:
        key, starts, ends = _substitute(
            key, starts, ends, ((m.start() + 1, m.end(), "") for m in _SPACES_RE.finditer(key))
        )
    return Normalized.from_offsets(key, starts, ends, placeholders=placeholders, cjk=cjk)


def script_of(text: str) -> str:
    """``zh-Hant`` when many Han characters are Traditional forms, ``zh-Hans`` otherwise, "" if not Chinese."""
    if not is_cjk(text):
        return ""
    codes = np.frombuffer(text[:20000].encode("utf-32-le"), dtype=np.uint32)
    han = int(((codes >= 0x3400) & (codes <= 0x9FFF)).sum())
    traditional = int(_traditional()[codes].sum())
    return "zh-Hant" if traditional >= 0.08 * max(1, han) else "zh-Hans"


def is_cjk(text: str) -> bool:
    """Whether most letters of ``text`` are Han characters (so spaces carry no meaning)."""
    return _is_cjk_codes(np.frombuffer(text[:20000].encode("utf-32-le"), dtype=np.uint32))


def _is_cjk_codes(codes: npt.NDArray[np.uint32]) -> bool:
    kinds = _kinds()[codes]  # one lookup per character, not a comparison per range
    han = np.count_nonzero(kinds == _HAN_KIND)
    letters = kinds == _LETTER_KIND
    words = np.count_nonzero(letters[1:] > letters[:-1]) + int(letters[:1].any())  # runs of ASCII letters
    return bool(han > words)


_HAN_KIND, _LETTER_KIND = 1, 2


@lru_cache(maxsize=1)
def _kinds() -> npt.NDArray[np.uint8]:
    """Per code point: a Han character of the two main blocks, an ASCII letter, or neither (0)."""
    kinds = np.zeros(0x110000, dtype=np.uint8)
    kinds[0x3400:0x4DC0] = kinds[0x4E00:0xA000] = _HAN_KIND
    kinds[0x41:0x5B] = kinds[0x61:0x7B] = _LETTER_KIND
    return kinds


def _kept(length: int, drop: Sequence[Span]) -> IntArray:
    """The indices of a text's characters outside the ``drop`` spans."""
    if not drop:
        return np.arange(length, dtype=np.int64)
    keep = np.ones(length, dtype=bool)
    for span in drop:
        keep[span.start : span.end] = False
    return np.flatnonzero(keep)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=64)
def to_simplified(text: str) -> str:
    """OpenCC ``t2s`` that never changes the length, so offsets stay 1:1.

    Cached: cleaning, splitting and describing a page all read its simplified text.

    Phrase conversions that change length (rare) fall back to converting that
    line character by character, and a character whose conversion changes
    length is kept as it is.
    """
    converter = _t2s()
    if _all_simplified(text):
        return text
    whole = str(converter.convert(text))
    if len(whole) == len(text):
        return whole
    return "".join(_line_to_simplified(line) for line in text.splitlines(keepends=True))


def _all_simplified(text: str) -> bool:
    """Whether no character of ``text`` is one ``t2s`` changes (then it has nothing to do)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return not bool(_traditional()[codes].any())


@lru_cache(maxsize=1)
def _traditional() -> npt.NDArray[np.bool_]:
    """Per code point: does OpenCC ``t2s`` change this character on its own? (CJK blocks)"""
    table = np.zeros(0x110000, dtype=bool)
    codes = list(range(0x2E80, 0xA000)) + list(range(0xF900, 0xFB00)) + list(range(0x20000, 0x2A6E0))
    chars = [chr(c) for c in codes]
    converted = str(_t2s().convert("\n".join(chars))).split("\n")  # one per line: no phrase spans two
    if len(converted) == len(chars):
        for code, before, after in zip(codes, chars, converted, strict=True):
            table[code] = before != after
    else:  # never seen; be safe: treat every CJK character as possibly Traditional
        table[codes] = True
    return table


def _line_to_simplified(line: str) -> str:
    converted = str(_t2s().convert(line))
    if len(converted) == len(line):
        return converted
    out = (str(_t2s().convert(ch)) for ch in line)
    return "".join(c if len(c) == 1 else ch for c, ch in zip(out, line, strict=True))


@lru_cache(maxsize=65536)
def _fold_char(ch: str, cjk: bool) -> str:
    """Key string of one original character: NFKC, case, punctuation, spaces."""
    category = unicodedata.category(ch)
    if ch.isspace() or category in ("Zs", "Zl", "Zp"):
        return "" if cjk else " "
    if category in ("Cc", "Cf", "Cs", "Co") or ch == "\ufffd":
        return ""
    folded = unicodedata.normalize("NFKC", ch).lower()
    return "".join(_PUNCT.get(c, c) for c in folded if not c.isspace() or not cjk)


class _FoldTable:
    """Every character's fold, learnt once per process.

    ``lengths[c]`` is how many key characters ``c`` becomes (-1: not seen
    yet), ``single[c]`` the one it becomes when that is one, and ``table``
    the full translate table (for the rare folds into several characters).
    """

    def __init__(self, cjk: bool) -> None:
        self.cjk = cjk
        self.lengths = np.full(0x110000, -1, dtype=np.int8)
        self.single = np.arange(0x110000, dtype=np.uint32)
        self.table: dict[int, str] = {}

    def learn(self, codes: npt.NDArray[np.uint32]) -> None:
        """Fold the characters not seen before."""
        unknown = codes[self.lengths[codes] < 0]
        for code in np.unique(unknown).tolist():
            folded = _fold_char(chr(code), self.cjk)
            self.lengths[code] = len(folded)
            if len(folded) == 1:
                self.single[code] = ord(folded)
            if folded != chr(code):
                self.table[code] = folded


_FOLDS = {True: _FoldTable(True), False: _FoldTable(False)}


def _map_codes(codes: npt.NDArray[np.uint32], *, cjk: bool) -> tuple[str, IntArray]:
    """Fold every character (given as code points); return the key and each key char's index."""
    if not len(codes):
        return "", np.zeros(0, dtype=np.int64)
    folds = _FOLDS[cjk]
    lengths = folds.lengths[codes]
    if lengths.min() < 0:  # characters not seen before
        folds.learn(codes)
        lengths = folds.lengths[codes]
    if lengths.max() > 1:  # a fold into several characters ("…" -> "..."): the general way
        key = codes.tobytes().decode("utf-32-le").translate(folds.table)
        return key, np.repeat(np.arange(len(codes), dtype=np.int64), lengths)
    kept = np.flatnonzero(lengths)
    key = folds.single[codes[kept]].tobytes().decode("utf-32-le")
    return key, kept.astype(np.int64, copy=False)


def _mask_placeholders(key: str, starts: IntArray, ends: IntArray) -> tuple[str, IntArray, IntArray, tuple[Span, ...]]:
    matches = [(m.start(), m.end(), PLACEHOLDER) for m in _placeholder_matches(key)]
    spans = tuple(Span(int(starts[s]), int(ends[e - 1])) for s, e, _ in matches)
    new_key, new_starts, new_ends = _substitute(key, starts, ends, matches)
    return new_key, new_starts, new_ends, spans


def _placeholder_matches(key: str) -> Iterator[re.Match[str]]:
    """``_PLACEHOLDER_RE.finditer(key)``, tried only where a spelling can start.

    In Chinese text those are a few digits and Latin letters: trying each is
    cheaper than the regex engine's scan of every position. Where they are
    many (Latin text), the engine scans.
    """
    where = np.flatnonzero(_may_start_placeholder()[np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32)])
    if len(where) * 8 > len(key):
        return _PLACEHOLDER_RE.finditer(key)
    return _placeholders_at(key, where.tolist())


def _placeholders_at(key: str, where: Iterable[int]) -> Iterator[re.Match[str]]:
    """The leftmost non-overlapping placeholder matches, tried at the positions ``where`` (in order) only."""
    end = 0
    for pos in where:
        if pos >= end and (match := _PLACEHOLDER_RE.match(key, pos)):  # (lookbehinds see the text before pos)
            yield match
            end = match.end()


@lru_cache(maxsize=1)
def _may_start_placeholder() -> npt.NDArray[np.bool_]:
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in _PLACEHOLDER_FIRST]] = True
    return table


def _substitute(
    key: str, starts: IntArray, ends: IntArray, edits: Iterable[tuple[int, int, str]]
) -> tuple[str, IntArray, IntArray]:
    """Replace non-overlapping key ranges (in order) by strings of at most one char.

    A replacement character spans the whole original range it replaces.
    """
    pieces: list[str] = []
    keep: npt.NDArray[np.bool_] | None = None
    pos = 0
    for s, e, rep in edits:
        if keep is None:
            keep = np.ones(len(key), dtype=bool)
            ends = ends.copy()
        pieces.append(key[pos:s])
        pieces.append(rep)
        if rep:  # the first character of the range stands for all of it
            keep[s + 1 : e] = False
            ends[s] = ends[e - 1]
        else:
            keep[s:e] = False
        pos = e
    if keep is None:
        return key, starts, ends
    pieces.append(key[pos:])
    return "".join(pieces), starts[keep], ends[keep]
