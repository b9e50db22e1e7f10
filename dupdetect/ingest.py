"""Turn files, folders, JSONL and CSV corpora into a stream of :class:`Document`.

Inputs are speeches (plain text, HTML, DOCX, PDF, legacy Word, RTF; see
:mod:`dupdetect.formats`), JSONL files with one speech per line and CSV/TSV
files with one speech per row. Text files, JSONL and CSV are decoded by a
fixed cascade (see :func:`decode_bytes`) and their text is kept exactly as
decoded, so that every offset into ``Document.text`` is an offset into the
file's (or field's) text; other formats are extracted to one paragraph per
line first, and that extracted text is the document's text.

Per-input problems never abort a scan: each skipped file or JSONL line is
reported once through the ``on_warning`` callback and the rest is processed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dupdetect.config import IngestConfig
from dupdetect.decode import Decoded, codec_name, decode_bytes
from dupdetect.errors import DecodeError, InputError
from dupdetect.formats import Extracted, extract_text
from dupdetect.types import Document, ScanWarning, Span

__all__ = ["decode_bytes", "iter_documents", "read_corpus"]

PathArg = str | os.PathLike[str]
WarningSink = Callable[[ScanWarning], None]
InputKind = Literal["document", "jsonl", "csv"]

_TITLE_CHARS = 80
_DEFAULT_CONFIG = IngestConfig()
_NOT_REGULAR = "not a regular file (fifo, socket or device)"
_CSV_FIELD_CHARS = 64 * 2**20  # csv's default limit (128 Ki characters) is less than a long speech


@dataclass(frozen=True, slots=True)
class _Input:
    """One file to read, or (with ``problem``) one input to warn about."""

    file_id: str
    path: Path
    problem: str | None = None


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
    one document, named by its ``config.id_field`` or ``<file id>:<line>``;
    so is each CSV row (``<file id>:<row>``, the header being row 1).
    Repeated ids get ``~2``, ``~3``, ... appended (with a warning). Files
    larger than ``config.max_file_bytes`` are skipped.

    Args:
        paths: Files (``config.extensions``, ``config.jsonl_extensions`` or
            ``config.csv_extensions``) and folders to scan. A single path is
            accepted too.
        config: Extensions, forced codec, JSONL/CSV field names and limits.
        on_warning: Called once for every skipped input (and renamed id),
            with its path (``path:line`` for JSONL records, ``path:row`` for
            CSV rows) and the reason.

    Returns:
        An iterator of documents; inputs are read lazily as it is consumed.

    Raises:
        ConfigError: ``config.encoding`` is not a text codec (raised at call).
    """
    if config.encoding is not None:
        codec_name(config.encoding)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _iterate(paths, config, _Ids(on_warning), on_warning)


def read_corpus(
    paths: Sequence[PathArg], *, config: IngestConfig = _DEFAULT_CONFIG
) -> tuple[tuple[Document, ...], tuple[ScanWarning, ...]]:
    """Read every input at once; see :func:`iter_documents`.

    Args:
        paths: Files and folders to scan.
        config: Extensions, forced codec, JSONL/CSV field names and limits.

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
    wanted = ", ".join(config.extensions + config.jsonl_extensions + config.csv_extensions)
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
    if any(lowered.endswith(ext.lower()) for ext in config.csv_extensions):
        return "csv"
    if any(lowered.endswith(ext.lower()) for ext in config.extensions):
        return "document"
    return None


# --------------------------------------------------------------------------
# reading


def _read_input(item: _Input, config: IngestConfig, ids: _Ids, on_warning: WarningSink) -> Iterator[Document]:
    """The documents of one file (one, or one per JSONL line or CSV row)."""
    source = _display(item.path)
    kind = _kind(item.path.name, config) or "document"
    try:
        data = _read_bytes(item.path, config.max_file_bytes)
        if kind == "document":
            extracted = _load_document(data, item.path, config)
        else:
            text, encoding = _load_text(data, config.encoding)
    except InputError as exc:
        on_warning(ScanWarning(source, str(exc)))
        return
    if kind == "jsonl":
        yield from _jsonl_documents(item, text, encoding, config, ids, on_warning)
    elif kind == "csv":
        yield from _csv_documents(item, text, encoding, config, ids, on_warning)
    else:
        doc_id = ids.claim(_display(item.file_id), source)
        yield _document(doc_id, source, extracted.text, extracted.encoding, {}, extracted.title)


def _load_document(data: bytes, path: Path, config: IngestConfig) -> Extracted:
    """One speech file's text, whatever its format, or InputError saying why not."""
    _check_empty(data)
    extracted = extract_text(data, path=path, config=config)
    _check_blank(extracted.text)
    return extracted


def _load_text(data: bytes, encoding: str | None) -> Decoded:
    """A corpus file's decoded, non-blank text, or InputError saying why not."""
    _check_empty(data)
    text, name = decode_bytes(data, encoding=encoding)
    _check_blank(text)
    return text, name


def _check_empty(data: bytes) -> None:
    if not data:
        raise InputError("empty file: no text to scan")


def _check_blank(text: str) -> None:
    if not text.strip():
        raise InputError("file contains only whitespace: no text to scan")


def _read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes; never opens (or blocks on) FIFOs or devices, nor reads past ``limit``."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(_NOT_REGULAR)
        with open(path, "rb", opener=_open_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(_NOT_REGULAR)
            _check_size(info.st_size, limit)
            data = handle.read() if limit is None else handle.read(limit + 1)
            _check_size(len(data), limit)
            return data
    except FileNotFoundError:
        raise InputError("file not found (deleted, or a broken symbolic link)") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {_reason(exc)}") from None


def _check_size(size: int, limit: int | None) -> None:
    if limit is not None and size > limit:
        message = f"file is {_mib(size)} MiB, over the --max-file-size limit of {_mib(limit)} MiB"
        raise InputError(message)


def _mib(count: int) -> str:
    """Bytes as MiB: one decimal from 1 MiB up (``250.0``), three significant digits below (``0.5``)."""
    mib = count / 2**20
    return f"{mib:.1f}" if mib >= 1 else f"{mib:.3g}"


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


def _document(doc_id: str, source: str, text: str, encoding: str, meta: dict[str, str], title: str = "") -> Document:
    """A Document, titled ``title`` (the HTML page title), the record's ``title`` field, or the first line."""
    return Document(
        id=doc_id,
        source=source,
        text=text,
        span=Span(0, len(text)),
        encoding=encoding,
        title=(title or meta.get("title") or "").strip()[:_TITLE_CHARS] or _title(text),
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


# --------------------------------------------------------------------------
# CSV


def _csv_documents(
    item: _Input,
    text: str,
    encoding: str,
    config: IngestConfig,
    ids: _Ids,
    on_warning: WarningSink,
) -> Iterator[Document]:
    """One document per row of a CSV (or, for ``.tsv``, tab-separated) file with a header row."""
    path = _display(item.path)
    delimiter = "\t" if item.path.name.lower().endswith(".tsv") else ","
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_CHARS))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 1
    try:
        header = [name.strip() for name in next(rows, [])]
        if config.text_field not in header:
            raise InputError(_no_text_column(header, config.text_field))
        for number, row in enumerate(rows, start=2):
            if any(cell.strip() for cell in row):
                record = dict(zip(header, row, strict=False))
                yield from _csv_row(item, number, record, encoding, config, ids, on_warning)
    except csv.Error as exc:
        message = f"invalid csv in row {number + 1} ({_lower(str(exc))}); the rest of the file is skipped"
        on_warning(ScanWarning(path, message))
    except InputError as exc:
        on_warning(ScanWarning(path, str(exc)))


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


def _no_text_column(header: list[str], field: str) -> str:
    columns = ", ".join(repr(name) for name in header[:10]) or "none"
    return f"csv header has no '{field}' column (columns: {columns}); set text_field to the column holding the text"


def _csv_row(
    item: _Input,
    number: int,
    record: dict[str, str],
    encoding: str,
    config: IngestConfig,
    ids: _Ids,
    on_warning: WarningSink,
) -> Iterator[Document]:
    source = f"{_display(item.path)}:{number}"
    body = record.get(config.text_field, "")
    if not body.strip():
        on_warning(ScanWarning(source, f"row has no text in the '{config.text_field}' column"))
        return
    meta = {key: value for key, value in record.items() if key not in (config.id_field, config.text_field)}
    wanted = record.get(config.id_field, "").strip()
    doc_id = ids.claim(wanted or f"{_display(item.file_id)}:{number}", source)
    yield _document(doc_id, source, body, f"csv:{encoding}", meta)
