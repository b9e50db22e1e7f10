"""Raw bytes -> text: the encoding cascade.

In order: the user's codec (``--encoding``); a byte-order mark (UTF-8/16/32);
strict UTF-8; GB18030 *and* Big5, keeping the reading with the larger share of
common characters (charset-normalizer alone misreads GBK text containing
``×××``, and GB18030 "succeeds" on Big5 bytes, producing garbage); and
charset-normalizer last.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Callable, Sequence

from charset_normalizer import from_bytes

from dupdetect.errors import ConfigError, DecodeError

__all__ = ["decode_bytes"]

Decoded = tuple[str, str]

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


def decode_bytes(data: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode the raw bytes of one input file.

    With ``encoding`` the bytes are decoded strictly with that codec. Without
    it the cascade is: byte-order mark (UTF-32, UTF-8, UTF-16), strict UTF-8,
    then GB18030 and Big5 (if both decode, the one whose text has the larger
    share of common, level-1 hanzi wins), then charset-normalizer. A leading
    U+FEFF is removed; nothing else in the text is changed.

    Args:
        data: The file's bytes.
        encoding: A Python codec name to use instead of detection.

    Returns:
        ``(text, encoding_name)``; the name is ``"utf-8"``, ``"utf-8-sig"``,
        ``"utf-16"``, ``"utf-32"``, ``"gb18030"``, ``"big5"`` (``"cp950"``
        for Big5 text using the Microsoft extensions), charset-normalizer's
        guess, or the canonical name of ``encoding``.

    Raises:
        DecodeError: The bytes are binary or in no recognisable encoding
            (or not valid in ``encoding``); the message says what to do.
        ConfigError: ``encoding`` is not the name of a text codec.
    """
    if encoding is not None:
        text, name = _decode_forced(data, codec_name(encoding))
    else:
        text, name = _detect(data)
    return text.removeprefix("\ufeff"), name


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


def _decode_forced(data: bytes, name: str) -> Decoded:
    if name not in WIDE_CODECS:
        _reject_binary(data)
    try:
        return data.decode(name), name
    except UnicodeDecodeError as exc:
        raise DecodeError(_forced_failure(data, name, exc)) from None


def _forced_failure(data: bytes, name: str, exc: UnicodeDecodeError) -> str:
    """The message for bytes that are not valid in the user's codec."""
    problem = f"not valid {name}: byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        guess = _detect(data)[1]
    except DecodeError:
        guess = name
    if guess != name:
        return f"{problem}; it looks like {guess}: try --encoding {guess}, or {_DETECT_HINT}"
    others = " or ".join(c for c in ("utf-8", "gb18030", "big5") if c != name)
    return f"{problem}; try --encoding {others}, or {_DETECT_HINT}"


def _detect(data: bytes) -> Decoded:
    """The detection cascade (everything but the user's codec)."""
    found = _decode_bom(data)
    if found is None or found[1] not in WIDE_CODECS:
        _reject_binary(data)
    return found or _decode_utf8(data) or _decode_chinese(data) or _decode_guess(data)


def _reject_binary(data: bytes) -> None:
    if b"\x00" in data:
        raise DecodeError(
            "binary file (contains NUL bytes); if it is utf-16 or utf-32 text "
            "without a byte-order mark, pass its codec, e.g. --encoding utf-16-le"
        )


def _decode_bom(data: bytes) -> Decoded | None:
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


def _decode_utf8(data: bytes) -> Decoded | None:
    return _try_decode(data, ("utf-8",))


def _try_decode(data: bytes, names: Sequence[str]) -> Decoded | None:
    """The first of ``names`` that decodes ``data`` strictly, or None."""
    for name in names:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return None


def _decode_chinese(data: bytes) -> Decoded | None:
    """GB18030 or Big5, by which reading has more common hanzi."""
    gb = _try_decode(data, ("gb18030",))
    big5 = _try_decode(data, _BIG5_CODECS)
    if gb is None or big5 is None:
        return gb or big5
    if _common_share(big5[0], _is_big5_level1) > _common_share(gb[0], _is_gb_level1):
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


def _decode_guess(data: bytes) -> Decoded:
    """Last resort: charset-normalizer's best guess, decoded strictly."""
    # Without a BOM or NUL bytes, a UTF-16/32 reading is never the right one.
    best = from_bytes(data, cp_exclusion=sorted(n.replace("-", "_") for n in WIDE_CODECS)).best()
    found = None
    if best is not None:
        try:
            found = _try_decode(data, (codecs.lookup(best.encoding).name,))
        except LookupError:
            found = None
    if found is None:
        raise DecodeError(
            "cannot detect the text encoding; convert the file to utf-8 or pass its codec with --encoding"
        )
    return found
