"""Turn files, folders and JSONL files into a stream of :class:`Document`.

Inputs are plain-text speeches (``.txt``/``.md``) or JSONL files with one
speech per line. Each file is decoded by a fixed cascade (see
:func:`decode_bytes`) and its text is kept exactly as decoded, so that every
offset into ``Document.text`` is an offset into the file's text.

Per-input problems never abort a scan: each skipped file or JSONL line is
reported once through the ``on_warning`` callback and the rest is processed.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from charset_normalizer import from_bytes

from dupdetect.config import IngestConfig
from dupdetect.errors import ConfigError, DecodeError, InputError
from dupdetect.types import Document, ScanWarning, Span

__all__ = ["decode_bytes", "iter_documents", "read_corpus"]

PathArg = str | os.PathLike[str]
WarningSink = Callable[[ScanWarning], None]
Decoded = tuple[str, str]
InputKind = Literal["text", "jsonl"]

# UTF-32 LE starts with the UTF-16 LE mark, so it must be tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# Unified ideographs, extension A, compatibility ideographs, extensions B-G.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_BIG5_CODECS = ("big5", "cp950")  # cp950 adds e.g. 裏 碁 that strict big5 lacks
_TITLE_CHARS = 80
_DEFAULT_CONFIG = IngestConfig()
_NOT_REGULAR = "not a regular file (fifo, socket or device)"
_DETECT_HINT = "drop --encoding to detect each file's encoding"


@dataclass(frozen=True, slots=True)
class _Input:
    """One file to read, or (with ``problem``) one input to warn about."""

    file_id: str
    path: Path
    problem: str | None = None


# --------------------------------------------------------------------------
# decoding


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
        text, name = _decode_forced(data, _codec_name(encoding))
    else:
        text, name = _detect(data)
    return text.removeprefix("\ufeff"), name


def _codec_name(encoding: str) -> str:
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
    if name not in _WIDE_CODECS:
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
    if found is None or found[1] not in _WIDE_CODECS:
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
    best = from_bytes(data, cp_exclusion=sorted(n.replace("-", "_") for n in _WIDE_CODECS)).best()
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


# --------------------------------------------------------------------------
# walking


def iter_documents(
    paths: Sequence[PathArg],
    *,
    config: IngestConfig = _DEFAULT_CONFIG,
    on_warning: WarningSink,
) -> Iterator[Document]:
    """Yield one Document per readable input, in a deterministic order.

    Paths are taken in the order given. A folder is walked recursively
    (hidden entries skipped, symlinked folders not followed) and its files
    are read in order of their POSIX path relative to it, which is also their
    id; a file given directly is named by its file name. Each JSONL line is
    one document, named by its ``config.id_field`` or ``<file id>:<line>``.
    Repeated ids get ``~2``, ``~3``, ... appended (with a warning).

    Args:
        paths: Files (``config.extensions`` or ``config.jsonl_extensions``)
            and folders to scan. A single path is accepted too.
        config: Extensions, forced codec and JSONL field names.
        on_warning: Called once for every skipped input (and renamed id),
            with its path (``path:line`` for JSONL records) and the reason.

    Returns:
        An iterator of documents; inputs are read lazily as it is consumed.

    Raises:
        ConfigError: ``config.encoding`` is not a text codec (raised at call).
    """
    if config.encoding is not None:
        _codec_name(config.encoding)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _iterate(paths, config, _Ids(on_warning), on_warning)


def read_corpus(
    paths: Sequence[PathArg], *, config: IngestConfig = _DEFAULT_CONFIG
) -> tuple[tuple[Document, ...], tuple[ScanWarning, ...]]:
    """Read every input at once; see :func:`iter_documents`.

    Args:
        paths: Files and folders to scan.
        config: Extensions, forced codec and JSONL field names.

    Returns:
        The documents and the warnings, each in the order they arose.
    """
    warnings: list[ScanWarning] = []
    documents = tuple(iter_documents(paths, config=config, on_warning=warnings.append))
    return documents, tuple(warnings)


class _Ids:
    """Hands out unique document ids, renaming (and reporting) repeats."""

    def __init__(self, on_warning: WarningSink) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}
        self._warn = on_warning

    def claim(self, wanted: str, source: str) -> str:
        name = wanted
        while name in self._taken:
            self._next[wanted] = self._next.get(wanted, 1) + 1
            name = f"{wanted}~{self._next[wanted]}"
        if name != wanted:
            message = f"duplicate id '{wanted}'; renamed to '{name}'"
            self._warn(ScanWarning(source, message))
        self._taken.add(name)
        return name


def _iterate(paths: Sequence[PathArg], config: IngestConfig, ids: _Ids, on_warning: WarningSink) -> Iterator[Document]:
    for given in paths:
        for item in _expand(given, config):
            if item.problem is not None:
                on_warning(ScanWarning(_display(item.path), item.problem))
            else:
                yield from _read_input(item, config, ids, on_warning)


def _expand(given: PathArg, config: IngestConfig) -> list[_Input]:
    """The inputs one user-given path stands for."""
    path = Path(given)
    if not os.fspath(given):
        return [_Input("", path, "empty path; give a file or folder")]
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return [_Input(path.name, path, "no such file or folder")]
    except OSError as exc:
        return [_Input(path.name, path, f"cannot access: {_reason(exc)}")]
    if stat.S_ISDIR(mode):
        return _walk(path, config)
    if stat.S_ISREG(mode) and _kind(path.name, config) is None:
        return [_Input(path.name, path, _unsupported(path, config))]
    return [_Input(path.name, path)]


def _unsupported(path: Path, config: IngestConfig) -> str:
    suffix = repr(path.suffix) if path.suffix else "(no extension)"
    wanted = ", ".join(config.extensions + config.jsonl_extensions)
    return f"unsupported file type {suffix}; give {wanted} files or a folder"


def _walk(root: Path, config: IngestConfig) -> list[_Input]:
    """Every corpus file (and problem) under ``root``, sorted by relative path."""
    found: list[_Input] = []
    pending: list[tuple[Path, str]] = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            message = f"cannot read folder: {_reason(exc)}"
            found.append(_Input(prefix.rstrip("/"), folder, message))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), rel + "/"))
                    continue
                item = _classify(entry, rel, config)
            except OSError as exc:
                item = _Input(rel, Path(entry.path), f"cannot inspect: {_reason(exc)}")
            if item is not None:
                found.append(item)
    return sorted(found, key=lambda item: item.file_id)


def _classify(entry: os.DirEntry[str], rel: str, config: IngestConfig) -> _Input | None:
    """What a non-folder entry of a walked folder is: input, problem or noise."""
    path = Path(entry.path)
    if entry.is_symlink() and entry.is_dir():
        message = "symbolic link to a folder; not followed (pass it as a path to scan it)"
        return _Input(rel, path, message)
    if _kind(entry.name, config) is not None:
        return _Input(rel, path)
    if not entry.is_file() and not entry.is_symlink():
        return _Input(rel, path, _NOT_REGULAR)
    return None


def _kind(name: str, config: IngestConfig) -> InputKind | None:
    lowered = name.lower()
    if any(lowered.endswith(ext.lower()) for ext in config.jsonl_extensions):
        return "jsonl"
    if any(lowered.endswith(ext.lower()) for ext in config.extensions):
        return "text"
    return None


# --------------------------------------------------------------------------
# reading


def _read_input(item: _Input, config: IngestConfig, ids: _Ids, on_warning: WarningSink) -> Iterator[Document]:
    """The documents of one file (one, or one per JSONL line)."""
    source = _display(item.path)
    try:
        text, encoding = _load_text(item.path, config.encoding)
    except InputError as exc:
        on_warning(ScanWarning(source, str(exc)))
        return
    if _kind(item.path.name, config) == "jsonl":
        yield from _jsonl_documents(item, text, encoding, config, ids, on_warning)
    else:
        doc_id = ids.claim(_display(item.file_id), source)
        yield _document(doc_id, source, text, encoding, {})


def _load_text(path: Path, encoding: str | None) -> Decoded:
    """A file's decoded, non-blank text, or InputError saying why not."""
    text, name = decode_bytes(_read_bytes(path), encoding=encoding)
    if not text:
        raise InputError("empty file: no text to scan")
    if not text.strip():
        raise InputError("file contains only whitespace: no text to scan")
    return text, name


def _read_bytes(path: Path) -> bytes:
    """A regular file's bytes; never opens (or blocks on) FIFOs or devices."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(_NOT_REGULAR)
        with open(path, "rb", opener=_open_nonblocking) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(_NOT_REGULAR)
            return handle.read()
    except FileNotFoundError:
        raise InputError("file not found (deleted, or a broken symbolic link)") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {_reason(exc)}") from None


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _display(path: str | Path) -> str:
    """``path`` as text, with file names in a legacy codec decoded.

    Unzipping a Windows archive on Linux leaves e.g. GBK bytes in file names,
    which Python holds as lone surrogates that no UTF-8 output accepts.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "/".join(_decode_name(part) for part in text.split("/"))
    return text


def _decode_name(part: str) -> str:
    raw = os.fsencode(part)
    try:
        return decode_bytes(raw)[0]
    except DecodeError:
        return raw.decode("utf-8", "replace")


def _reason(exc: OSError) -> str:
    reason = (exc.strerror or str(exc)).lower()
    if isinstance(exc, PermissionError):
        return f"{reason}; check its permissions"
    return reason


def _document(doc_id: str, source: str, text: str, encoding: str, meta: dict[str, str]) -> Document:
    return Document(
        id=doc_id,
        source=source,
        text=text,
        span=Span(0, len(text)),
        encoding=encoding,
        title=_title(text),
        meta=meta,
    )


def _title(text: str) -> str:
    """The first non-blank line, stripped and cut to 80 characters."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return stripped[:_TITLE_CHARS]
    return ""


# --------------------------------------------------------------------------
# JSONL


def _jsonl_documents(
    item: _Input,
    text: str,
    encoding: str,
    config: IngestConfig,
    ids: _Ids,
    on_warning: WarningSink,
) -> Iterator[Document]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{_display(item.path)}:{number}"
        try:
            wanted, body, meta = _parse_record(line, config)
        except InputError as exc:
            on_warning(ScanWarning(source, str(exc)))
            continue
        doc_id = ids.claim(wanted or f"{_display(item.file_id)}:{number}", source)
        yield _document(doc_id, source, body, encoding, meta)


def _parse_record(line: str, config: IngestConfig) -> tuple[str, str, dict[str, str]]:
    """``(id or "", text, meta)`` of one JSONL line, or InputError."""
    record = _load_json(line)
    if not isinstance(record, dict):
        kind = _json_type(record)
        raise InputError(f"record is a JSON {kind}, not an object; put each record in {{...}}")
    body = _record_text(record, config.text_field)
    meta = {
        str(key): _as_string(value) for key, value in record.items() if key not in (config.id_field, config.text_field)
    }
    return _record_id(record.get(config.id_field)), body, meta


def _load_json(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        reason = exc.msg[:1].lower() + exc.msg[1:]
        message = f"invalid JSON ({reason} at column {exc.colno}); each line must be one JSON object"
        raise InputError(message) from None
    except (ValueError, RecursionError):
        raise InputError("invalid JSON; each line must be one JSON object") from None


def _record_text(record: dict[str, Any], field: str) -> str:
    if field not in record:
        raise InputError(f"record has no '{field}' field; if the text is under another key, set text_field")
    value = record[field]
    if not isinstance(value, str):
        raise InputError(f"'{field}' field is a {_json_type(value)}, not a string")
    if not value.strip():
        raise InputError(f"'{field}' field is empty")
    return value


def _record_id(value: Any) -> str:
    """The record's id as a string; "" when absent, null or empty."""
    if value is None:
        return ""
    return _as_string(value)


def _as_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
