"""Raw bytes -> text: the encoding cascade.

In order: the user's codec (``--encoding``); a byte-order mark (UTF-8/16/32);
binary content is refused (magic numbers, NUL bytes that are not UTF-16, more
than 5 % control characters); UTF-16 without a byte-order mark (by where its
NUL bytes fall or, for text with no ASCII at all, by reading as common hanzi);
strict UTF-8; UTF-8 with a few invalid sequences replaced, when its valid
multi-byte characters outnumber them; GB18030 *and* Big5, keeping the reading
with the larger share of common characters (charset-normalizer alone misreads
GBK text containing ``×××``, and GB18030 "succeeds" on Big5 bytes, producing
garbage); charset-normalizer; and last GB18030 or Big5 with a few invalid
sequences replaced. "A few" is at most 1 % of the characters; the number
replaced by U+FFFD is returned, so it can be reported.

Text never holds lone surrogates: every codec here decodes strictly or with
replacement, never with ``surrogateescape``; the few codecs a user may force
that can still make one (``utf-7``, ``unicode_escape``) have each replaced by U+FFFD.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

from dupdetect.model.errors import ConfigError, DecodeError

__all__ = ["DecodedText", "decode_bytes", "decode_name", "decode_text"]

Decoded = tuple[str, str]


class DecodedText(NamedTuple):
    """A decoded file: its text, the codec, and how many invalid byte sequences became U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0


# UTF-32 LE starts with the UTF-16 LE mark, so it must be tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WIDE_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# Unified ideographs, extension A, compatibility ideographs, extensions B-G.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_BIG5_CODECS = ("big5", "cp950")  # cp950 adds e.g. 裏 碁 that strict big5 lacks
_DETECT_HINT = "drop --encoding to detect each file's encoding"

# Magic numbers of files that are never text, with or without NUL bytes; ``strong`` ones are
# binary even without a NUL (their first bytes are not text in any codec).
_MAGICS: tuple[tuple[bytes, str, bool], ...] = (
    (b"\x7fELF", "an ELF executable", True),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", True),
    (b"\xff\xd8\xff", "a JPEG image", True),
    (b"GIF87a", "a GIF image", False),
    (b"GIF89a", "a GIF image", False),
    (b"\x1f\x8b\x08", "a gzip archive", True),
    (b"\xfd7zXZ\x00", "an xz archive", True),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive", True),
    (b"Rar!\x1a\x07", "a RAR archive", True),
    (b"BZh9", "a bzip2 archive", False),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file", True),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable", True),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable", True),
    (b"MZ", "a Windows executable", False),
    (b"SQLite format 3\x00", "an SQLite database", True),
    (b"\x00asm", "a WebAssembly module", True),
    (b"RIFF", "a RIFF media file (WAV, AVI, WebP)", False),
    (b"OggS", "an Ogg media file", False),
    (b"ID3", "an MP3 file", False),
    (b"fLaC", "a FLAC file", False),
    (b"II*\x00", "a TIFF image", True),
    (b"MM\x00*", "a TIFF image", True),
)
# C0 controls that text does not hold (tab, line breaks, form feed and ESC are allowed; NUL is checked apart).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_ASCII_BYTES = bytes(range(0x80))
_SAMPLE_CHARS = 65536
_MAX_CONTROL_SHARE = 0.05  # more than 5 % control characters: binary
# Replacements tolerated before a reading is rejected: at most 1 % of the characters (3 in short files).
_MIN_TOLERATED = 3
_TOLERATED_SHARE = 100  # 1 in 100
_MIN_COMMON_SHARE = 0.5  # a GB/Big5 reading with replacements must be mostly common hanzi
# Blocks plain text is made of: a UTF-16 reading outside them is not text.
_TEXT_RANGES = (
    (0x09, 0x0D),
    (0x20, 0x7E),
    (0xA0, 0x24F),  # Latin-1 and Latin extended
    (0x370, 0x4FF),  # Greek, Cyrillic
    (0x2000, 0x27BF),  # punctuation, symbols, arrows, math, box drawing, dingbats
    (0x3000, 0x312F),  # CJK punctuation, kana, bopomofo
    (0x3200, 0x33FF),  # enclosed CJK, compatibility
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full- and half-width forms
)


def decode_bytes(data: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode the raw bytes of one input file: :func:`decode_text` without the replacement count.

    Returns:
        ``(text, encoding_name)``.
    """
    found = decode_text(data, encoding=encoding)
    return found.text, found.encoding


def decode_text(data: bytes, *, encoding: str | None = None) -> DecodedText:
    """Decode the raw bytes of one input file.

    With ``encoding`` the bytes are decoded with that codec (and, if they are
    not valid in it, with at most 1 % of the characters replaced). Without it,
    the cascade described in this module's docstring. ``replaced`` says how
    many invalid byte sequences became U+FFFD. A leading U+FEFF is removed;
    nothing else in the text is changed, and it never holds lone surrogates.

    Args:
        data: The file's bytes.
        encoding: A Python codec name to use instead of detection.

    Returns:
        ``(text, encoding_name, replaced)``; the name is ``"utf-8"``,
        ``"utf-8-sig"``, ``"utf-16"``, ``"utf-32"``, ``"utf-16-le"``/``"utf-16-be"``
        (no byte-order mark), ``"gb18030"``, ``"big5"`` (``"cp950"`` for Big5 text
        using the Microsoft extensions), charset-normalizer's guess, or the
        canonical name of ``encoding``.

    Raises:
        DecodeError: The bytes are binary or in no recognisable encoding
            (or not valid in ``encoding``); the message says what to do.
        ConfigError: ``encoding`` is not the name of a text codec.
    """
    found = _decode_forced(data, codec_name(encoding)) if encoding is not None else _detect(data)
    return found._replace(text=found.text.removeprefix("\ufeff"))


def decode_name(raw: bytes) -> str:
    """A file name's bytes as text: UTF-8, else GB18030 or Big5 (Windows archives unzipped elsewhere),
    else UTF-8 with each invalid sequence shown as U+FFFD. Names are too short for any other guess.
    """
    found = _decode_utf8(raw) or _decode_chinese(raw)
    return found.text if found is not None else raw.decode("utf-8", "replace")


def codec_name(encoding: str) -> str:
    """Canonical name of a text codec, or ConfigError."""
    try:
        name = codecs.lookup(encoding).name
        b"a".decode(name, "ignore")  # rejects bytes-to-bytes codecs such as "hex"
    except LookupError:
        raise ConfigError(
            f"unknown text encoding {encoding!r}; use a codec name such as utf-8, gb18030 or big5"
        ) from None
    return name


def _decode_forced(data: bytes, name: str) -> DecodedText:
    if name not in WIDE_CODECS:
        _reject_binary(data)
    try:
        found = DecodedText(data.decode(name), name)
    except UnicodeDecodeError as exc:
        lenient = _lenient(data, name)
        if lenient is None:
            raise DecodeError(_forced_failure(data, name, exc)) from None
        found = lenient
    if name in WIDE_CODECS:
        _reject_control_text(found.text)
    text, lone = _LONE_SURROGATE.subn("\ufffd", found.text)  # one for one: offsets stay
    return found._replace(text=text, replaced=found.replaced + lone) if lone else found


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _forced_failure(data: bytes, name: str, exc: UnicodeDecodeError) -> str:
    """The message for bytes that are not valid in the user's codec."""
    problem = f"not valid {name}: byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        guess = _detect(data).encoding
    except DecodeError:
        guess = name
    if guess != name:
        return f"{problem}; it looks like {guess}: try --encoding {guess}, or {_DETECT_HINT}"
    others = " or ".join(c for c in ("utf-8", "gb18030", "big5") if c != name)
    return f"{problem}; try --encoding {others}, or {_DETECT_HINT}"


def _detect(data: bytes) -> DecodedText:
    """The detection cascade (everything but the user's codec)."""
    found = _decode_bom(data)
    if found is not None:
        if found.encoding in WIDE_CODECS:
            _reject_control_text(found.text)
        else:
            _reject_binary(data)
        return found
    _reject_magic(data)
    found = _utf16_by_nuls(data)
    if found is not None:
        return found
    _reject_binary(data, controls=False)
    utf8 = _decode_utf8(data)
    wide = _utf16_cjk(data) if utf8 is None else None
    if wide is not None:
        return wide
    _reject_binary(data)
    found = utf8 or _lenient_utf8(data) or _decode_chinese(data) or _decode_guess(data) or _lenient_chinese(data)
    if found is None:
        raise DecodeError(
            "cannot detect the text encoding; convert the file to utf-8 or pass its codec with --encoding"
        )
    return found


# --------------------------------------------------------------------------
# binary content


def _reject_magic(data: bytes) -> None:
    """DecodeError for content whose first bytes say it is an executable, image or archive."""
    kind = _magic(data, strong_only=True)
    if kind is not None:
        raise DecodeError(f"binary file ({kind}), not text")


def _magic(data: bytes, *, strong_only: bool = False) -> str | None:
    for magic, kind, strong in _MAGICS:
        if data.startswith(magic) and (strong or not strong_only):
            return kind
    return None


def _reject_binary(data: bytes, *, controls: bool = True) -> None:
    """DecodeError for bytes with NULs, a binary magic number or (``controls``) many control characters."""
    if b"\x00" in data:
        kind = _magic(data)
        if kind is not None:
            raise DecodeError(f"binary file ({kind}), not text")
        raise DecodeError(
            "binary file (contains NUL bytes); if it is utf-32 text without a byte-order mark, "
            "pass its codec, e.g. --encoding utf-32-le"
        )
    _reject_magic(data)
    if not controls:
        return
    count = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if count > max(_MIN_TOLERATED, len(data) * _MAX_CONTROL_SHARE):
        raise DecodeError(f"binary file ({_percent(count, len(data))} control characters), not text")


def _reject_control_text(text: str) -> None:
    """The same check on decoded (UTF-16/32) text: NUL or many control characters mean binary."""
    controls = sum(n for char, n in Counter(text).items() if char != "\x1b" and _is_control(char))
    if controls > max(_MIN_TOLERATED, len(text) * _MAX_CONTROL_SHARE):
        raise DecodeError(f"binary file ({_percent(controls, len(text))} control characters), not text")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\t\n\x0b\x0c\r"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / max(whole, 1):.0f}%"


# --------------------------------------------------------------------------
# byte-order marks, UTF-8, UTF-16 without a mark


def _decode_bom(data: bytes) -> DecodedText | None:
    matched = [codec for bom, codec in _BOMS if data.startswith(bom)]
    for codec in matched:
        found = _try_decode(data, (codec,))
        if found is not None:
            return found
    if matched:
        raise DecodeError(
            f"starts with a {matched[0].removesuffix('-sig')} byte-order mark but "
            "is not valid in that encoding; re-save it as utf-8 or pass --encoding"
        )
    return None


def _decode_utf8(data: bytes) -> DecodedText | None:
    return _try_decode(data, ("utf-8",))


def _try_decode(data: bytes, names: Sequence[str]) -> DecodedText | None:
    """The first of ``names`` that decodes ``data`` strictly, or None."""
    for name in names:
        try:
            return DecodedText(data.decode(name), name)
        except UnicodeDecodeError:
            continue
    return None


def _utf16_by_nuls(data: bytes) -> DecodedText | None:
    """UTF-16 without a byte-order mark, told by its NUL bytes.

    The ASCII characters of UTF-16 text (line breaks, digits, Latin letters)
    have a NUL high byte: at odd offsets in UTF-16-LE, even ones in UTF-16-BE
    (a few hanzi and U+3000 have a NUL low byte). The side with more NULs is
    tried first; the reading must be text (see :func:`_is_utf16_text`).
    """
    nuls = data.count(0)
    if not nuls or len(data) % 2:
        return None
    even = data[0::2].count(0)
    order = ("utf-16-le", "utf-16-be") if nuls - even >= even else ("utf-16-be", "utf-16-le")
    for codec in order:
        found = _try_decode(data, (codec,))
        if found is not None and _is_utf16_text(found.text):
            return found
    return None


def _utf16_cjk(data: bytes) -> DecodedText | None:
    """UTF-16 without a mark and without ASCII: taken when its reading is common Chinese.

    Called only when the bytes are not UTF-8. GB18030 or Big5 bytes read as
    UTF-16 fall outside the CJK blocks or on rare characters.
    """
    if len(data) < 4 or len(data) % 2 or len(data.translate(None, _ASCII_BYTES)) < 0.25 * len(data):
        return None  # hanzi in UTF-16 put bytes over 0x7f in nearly half the places; ASCII text does not
    for codec in ("utf-16-le", "utf-16-be"):
        found = _try_decode(data, (codec,))
        if found is not None and _is_utf16_text(found.text, cjk_share=0.5):
            return found
    return None


def _is_utf16_text(text: str, *, cjk_share: float = 0.0) -> bool:
    """Whether a UTF-16 reading is text: no NUL, at least 98 % of its characters in the blocks text is
    written with, at least ``cjk_share`` of its visible characters hanzi, and 80 % of those common ones.

    Other bytes read as UTF-16 (ASCII pairs, GB18030, Big5, binary) give NULs, control characters,
    unassigned or private-use code points, or rare hanzi.
    """
    if len(text) > _SAMPLE_CHARS and not _is_utf16_text(text[:_SAMPLE_CHARS], cjk_share=cjk_share):
        return False  # most readings that are not text show it early: no need to count them all
    counts = Counter(text)
    if not text or "\x00" in counts:
        return False
    outside = sum(n for char, n in counts.items() if not _in_text_blocks(char))
    cjk = sum(n for char, n in counts.items() if _is_cjk(char))
    common = sum(n for char, n in counts.items() if _is_cjk(char) and _is_common_hanzi(char))
    visible = sum(n for char, n in counts.items() if not char.isspace())
    enough_cjk = cjk >= cjk_share * visible and (cjk > 0 or not cjk_share)
    return outside <= 0.02 * len(text) and enough_cjk and common >= 0.8 * cjk


def _in_text_blocks(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _TEXT_RANGES) and unicodedata.category(char) not in ("Cn", "Co")


def _is_common_hanzi(char: str) -> bool:
    """GB2312 (simplified) or Big5 (traditional) has it."""
    for codec in ("gb2312", "big5"):
        try:
            char.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


# --------------------------------------------------------------------------
# GB18030 / Big5


def _decode_chinese(data: bytes) -> DecodedText | None:
    """GB18030 or Big5, by which reading has more common hanzi."""
    gb = _try_decode(data, ("gb18030",))
    big5 = _try_decode(data, _BIG5_CODECS)
    if gb is None or big5 is None:
        return gb or big5
    if _common_share(big5.text, _is_big5_level1) > _common_share(gb.text, _is_gb_level1):
        return big5
    return gb


def _common_share(text: str, is_common: Callable[[str], bool]) -> float:
    """Share of the CJK characters of ``text`` for which ``is_common`` holds."""
    cjk = common = 0
    for char, count in Counter(text).items():
        if _is_cjk(char):
            cjk += count
            common += count if is_common(char) else 0
    return common / cjk if cjk else 0.0


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _is_gb_level1(char: str) -> bool:
    """Whether ``char`` is a GB2312 level-1 hanzi (bytes B0A1-D7FE)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= encoded[0] <= 0xD7


def _is_big5_level1(char: str) -> bool:
    """Whether ``char`` is a Big5 level-1 hanzi (bytes A440-C67E)."""
    try:
        encoded = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA440 <= int.from_bytes(encoded, "big") <= 0xC67E


def _decode_guess(data: bytes) -> DecodedText | None:
    """charset-normalizer's best guess, decoded strictly, or None."""
    # Without a BOM or NUL bytes, a UTF-16/32 reading is never the right one.
    from charset_normalizer import from_bytes  # (only for bytes that are not UTF-8: a query seldom needs it)

    best = from_bytes(data, cp_exclusion=sorted(n.replace("-", "_") for n in WIDE_CODECS)).best()
    if best is None:
        return None
    try:
        return _try_decode(data, (codecs.lookup(best.encoding).name,))
    except LookupError:
        return None


# --------------------------------------------------------------------------
# invalid byte sequences replaced


class _Count(threading.local):
    replaced = 0
    limit = 0


_COUNT = _Count()
_ERRORS = "dupdetect-count-replace"


class _TooManyErrors(Exception):
    """More invalid sequences than a reading may have."""


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    """A ``replace`` error handler that counts, and gives up past the limit."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _COUNT.replaced += 1
    if _COUNT.replaced > _COUNT.limit:
        raise _TooManyErrors
    return "\ufffd", exc.end


codecs.register_error(_ERRORS, _count_replace)


def _lenient(data: bytes, codec: str) -> DecodedText | None:
    """``data`` in ``codec`` with invalid sequences replaced, if they are at most 1 % of it."""
    _COUNT.replaced, _COUNT.limit = 0, max(_MIN_TOLERATED, len(data) // _TOLERATED_SHARE)
    try:
        text = data.decode(codec, _ERRORS)
    except _TooManyErrors:
        return None
    replaced = _COUNT.replaced
    if replaced > max(_MIN_TOLERATED, len(text) // _TOLERATED_SHARE):
        return None
    if codec.startswith(("gb", "big5", "cp950")) and _common_share(text, _is_common_hanzi) < _MIN_COMMON_SHARE:
        return None
    return DecodedText(text, codec, replaced)


def _lenient_utf8(data: bytes) -> DecodedText | None:
    """UTF-8 with a few invalid sequences, if it holds more valid multi-byte characters than invalid ones.

    Other codecs' bytes (GB18030, Big5, cp1252) are invalid UTF-8 almost everywhere they leave ASCII.
    """
    found = _lenient(data, "utf-8")
    if found is None:
        return None
    multibyte = len(found.text) - len(found.text.encode("ascii", "ignore")) - found.text.count("\ufffd")
    return found if multibyte > found.replaced else None


def _lenient_chinese(data: bytes) -> DecodedText | None:
    """GB18030 or Big5 with a few replacements, by which has more common hanzi."""
    gb = _lenient(data, "gb18030")
    big5 = _lenient(data, "big5") or _lenient(data, "cp950")
    if gb is None or big5 is None:
        return gb or big5
    if _common_share(big5.text, _is_big5_level1) > _common_share(gb.text, _is_gb_level1):
        return big5
    return gb
