"""Text utilities every layer needs: script, Traditional to Simplified, the placeholder key character.

Stages (cleaning, splitting, normalising, slots), the views (a text's
language tag) and scoring all ask the same questions of a text; the answers
live here, so none of them imports another layer to ask.

>>> script_of("在全市安全生產工作會議上的講話"), script_of("安全生产"), script_of("safety first")
('zh-Hant', 'zh-Hans', '')
>>> to_simplified("會議")
'会议'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import opencc

PLACEHOLDER = "\ue000"
"""The one key character every placeholder spelling becomes."""


def script_of(text: str) -> str:
    """``zh-Hant`` when many Han characters are Traditional forms, ``zh-Hans`` otherwise, "" if not Chinese."""
    if not is_cjk(text):
        return ""
    codes = np.frombuffer(text[:20000].encode("utf-32-le"), dtype=np.uint32)
    han = int(((codes >= 0x3400) & (codes <= 0x9FFF)).sum())
    traditional = int(_TRADITIONAL.of(codes).sum())
    return "zh-Hant" if traditional >= 0.08 * max(1, han) else "zh-Hans"


def is_cjk(text: str) -> bool:
    """Whether most letters of ``text`` are Han characters (so spaces carry no meaning)."""
    return is_cjk_codes(np.frombuffer(text[:20000].encode("utf-32-le"), dtype=np.uint32))


def is_cjk_codes(codes: npt.NDArray[np.uint32]) -> bool:
    """:func:`is_cjk` of a text's code points (``utf-32-le`` as ``uint32``)."""
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
    return not bool(_TRADITIONAL.of(codes).any())


class _Traditional:
    """Per code point: does OpenCC ``t2s`` change this character on its own? Learnt for the characters met
    so far, those not seen before converted together (one call per text, most texts none: a process
    meets a few thousand characters, not the 100,000 CJK code points)."""

    def __init__(self) -> None:
        self.changed = np.zeros(0x110000, dtype=bool)
        self.known = np.ones(0x110000, dtype=bool)  # (only the CJK blocks are asked of OpenCC)
        for lo, hi in ((0x2E80, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0)):
            self.known[lo:hi] = False

    def of(self, codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
        """Per code of ``codes``: does ``t2s`` change it?"""
        unknown = codes[~self.known[codes]]
        if len(unknown):
            new = sorted(set(unknown.tolist()))
            chars = [chr(c) for c in new]
            converted = str(_t2s().convert("\n".join(chars))).split("\n")  # one per line: no phrase spans two
            if len(converted) == len(chars):
                self.changed[new] = [before != after for before, after in zip(chars, converted, strict=True)]
            else:  # never seen; be safe: treat every such character as possibly Traditional
                self.changed[new] = True
            self.known[new] = True
        return self.changed[codes]


_TRADITIONAL = _Traditional()


def _line_to_simplified(line: str) -> str:
    converted = str(_t2s().convert(line))
    if len(converted) == len(line):
        return converted
    out = (str(_t2s().convert(ch)) for ch in line)
    return "".join(c if len(c) == 1 else ch for c, ch in zip(out, line, strict=True))


_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_TRADITIONAL_SHARE = 0.05  # Han characters t2s changes, above which a text is Traditional


def text_lang(text: str) -> str:
    """The language tag of a text: Chinese in Simplified or Traditional script, English, or unknown.

    >>> text_lang("在全市安全生产工作会议上的讲话"), text_lang("在全市安全生產工作會議上的講話")
    ('zh-Hans', 'zh-Hant')
    """
    sample = text[:20000]
    if is_cjk(sample):
        han = _HAN_RE.findall(sample)
        changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
        return "zh-Hant" if han and changed / len(han) > _TRADITIONAL_SHARE else "zh-Hans"
    letters = [c for c in sample if c.isalpha()]
    return "en" if letters and sum(c.isascii() for c in letters) / len(letters) > 0.9 else "und"


TITLE_CELLS = 160
"""A title's longest width, in terminal cells: a CJK character is two (80 Chinese characters), a Latin
letter one (160 letters: English titles are longer in characters than Chinese ones)."""


def cells(text: str) -> int:
    """``text``'s width in terminal cells: wide and full-width characters count two.

    >>> cells("讲话 speech")
    11
    """
    return sum(map(_cell_width, text))


def _cell_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def cut_title(title: str) -> str:
    """``title`` cut to :data:`TITLE_CELLS`: at a space where one is near the end, with ``…`` for what is cut.

    >>> short = cut_title("Remarks by the county head " * 8)
    >>> short[-12:], cells(short) <= TITLE_CELLS
    (' the county…', True)
    """
    if cells(title) <= TITLE_CELLS:
        return title
    cut = _fit_start(title, TITLE_CELLS - 1)
    space = cut.rfind(" ")
    if space > len(cut) - 20:
        cut = cut[:space]
    return cut.rstrip() + "…"


def middle_ellipsis(text: str, width: int, *, head: float = 0.5, file_name: bool = False) -> str:
    """``text`` in at most ``width`` terminal cells (:func:`cells`): whole if it fits, else its start and its
    end around ``…``. ``head`` is the start's share of the room; with ``file_name``, a path keeps its whole
    file name where that fits (``sources/…/g31.txt``).

    >>> middle_ellipsis("sources/families/group-2024/g31.txt", 20)
    'sources/f…24/g31.txt'
    >>> middle_ellipsis("sources/families/group-2024/g31.txt", 20, file_name=True)
    'sources/fam…/g31.txt'
    >>> middle_ellipsis("在梅岭县2022年经济工作会议上的讲话", 12)
    '在梅…的讲话'
    """
    if cells(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    room = width - 1
    cut = max(text.rfind("/"), text.rfind("\\")) if file_name else -1
    if cut > 0 and cells(text[cut:]) <= room:
        tail = text[cut:]
        return _fit_start(text, room - cells(tail)) + "…" + tail
    start = _fit_start(text, int(room * head))
    return start + "…" + _fit_start(text[len(start) :][::-1], room - cells(start))[::-1]


def _fit_start(text: str, width: int) -> str:
    """The longest start of ``text`` in at most ``width`` cells."""
    used = 0
    for end, ch in enumerate(text):
        used += _cell_width(ch)
        if used > width:
            return text[:end]
    return text
