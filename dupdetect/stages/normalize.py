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

from dupdetect.model.config import NormalizeConfig
from dupdetect.model.types import IntArray, Normalized, Span
from dupdetect.text import PLACEHOLDER, is_cjk_codes, to_simplified

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
    cjk = is_cjk_codes(codes[:20000])
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


def _kept(length: int, drop: Sequence[Span]) -> IntArray:
    """The indices of a text's characters outside the ``drop`` spans."""
    if not drop:
        return np.arange(length, dtype=np.int64)
    keep = np.ones(length, dtype=bool)
    for span in drop:
        keep[span.start : span.end] = False
    return np.flatnonzero(keep)


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
        for code in sorted(set(unknown.tolist())):  # (not np.unique: it imports numpy.ma, 30 ms of a query)
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
