"""Turn files, folders, JSONL and CSV corpora into a stream of :class:`Document`.

Inputs are speeches (plain text, HTML, DOCX, PDF, legacy Word, RTF; see
:mod:`dupdetect.read.formats`), JSONL files with one speech per line and CSV/TSV
files with one speech per row. Text files, JSONL and CSV are decoded by a
fixed cascade (see :func:`decode_bytes`) and their text is kept exactly as
decoded, so that every offset into ``Document.text`` is an offset into the
file's (or field's) text; other formats are extracted to one paragraph per
line first, and that extracted text is the document's text.

Per-input problems never abort a scan: each skipped file or JSONL line is
reported once through the ``on_warning`` callback and the rest is processed.
Entries left out on purpose (hidden, or not a corpus file type) are reported
through ``on_skip``, so they can be counted and listed.

What is never done: following a symbolic link found in a folder (unless
``follow_links``, and then only to a target inside a scanned path), opening
anything but a regular file (FIFOs, sockets and devices would block or
never end), reading past ``max_file_bytes`` (``max_corpus_bytes`` for a JSONL/CSV corpus), writing anything.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import stat
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal

from dupdetect.model.config import IngestConfig
from dupdetect.model.errors import DupdetectError, InputError
from dupdetect.model.types import Document, ScanWarning, Span
from dupdetect.read.decode import codec_name, decode_bytes, decode_name, decode_text
from dupdetect.read.formats import Extracted, extract_text, html_text, text_limit_message
from dupdetect.text import cut_title

__all__ = ["Skipped", "decode_bytes", "display_path", "iter_documents", "read_corpus"]

PathArg = str | os.PathLike[str]
WarningSink = Callable[[ScanWarning], None]
InputKind = Literal["document", "jsonl", "csv"]
SkipReason = Literal["hidden", "unsupported"]

_DEFAULT_CONFIG = IngestConfig()
_LINK_NOT_FOLLOWED = "symbolic link; not followed (--follow-links follows links that stay inside the scanned folders)"
_CSV_FIELD_CHARS = 64 * 2**20  # csv's default limit (128 Ki characters) is less than a long speech
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{0,9}[A-Za-z][A-Za-z0-9]{0,9}")  # ".txt", ".mp3"; not ".2023", ".01讲话"
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")  # what str.splitlines splits at


@dataclass(frozen=True, slots=True)
class Skipped:
    """A folder entry left out on purpose, not a problem: count it, list it with ``--verbose``.

    ``reason`` is ``"hidden"`` (its name starts with a dot; nothing under a
    hidden folder is looked at) or ``"unsupported"`` (a regular file whose
    extension is not a corpus format, e.g. ``.xlsx``, ``.jpg``).
    """

    source: str
    reason: SkipReason


SkipSink = Callable[[Skipped], None]


def _ignore(skipped: Skipped) -> None:
    """The default ``on_skip``: nothing."""


@dataclass(frozen=True, slots=True)
class _Input:
    """One file to read, or (with ``problem``) one input to warn about.

    ``path`` is the path as walked (or given), shown as the source; a followed
    link is opened through ``target``, its resolved path, without following
    links again. ``follow`` is set for paths given by the user, which are
    opened as given.
    """

    file_id: str
    path: Path
    problem: str | None = None
    target: Path | None = None
    follow: bool = False


@dataclass(frozen=True, slots=True)
class _Roots:
    """The resolved paths given to scan: followed links must stay inside one of them."""

    paths: tuple[str, ...] = ()

    @classmethod
    def of(cls, paths: Sequence[PathArg]) -> _Roots:
        return cls(tuple(os.path.realpath(p) for p in paths if os.fspath(p)))

    def holds(self, real: str) -> bool:
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.paths)


# --------------------------------------------------------------------------
# walking


def iter_documents(
    paths: Sequence[PathArg],
    *,
    config: IngestConfig = _DEFAULT_CONFIG,
    on_warning: WarningSink,
    on_skip: SkipSink = _ignore,
    taken: Iterable[str] = (),
) -> Iterator[Document]:
    """Yield one Document per readable input, in a deterministic order.

    Paths are taken in the order given. A folder is walked recursively and
    its files are read in order of their POSIX path relative to it, which is
    also their id; a file given directly is named by its file name. Hidden
    entries and files of other types are left out (``on_skip``); a file
    without an extension is read and its format sniffed. Symbolic links in
    folders are not followed, unless ``config.follow_links``: then a link is
    followed if its target lies inside one of ``paths``, and each folder is
    walked once (a link back to a folder already walked is a loop). Each JSONL
    line is one document, named by its ``config.id_field`` or
    ``<file id>:<line>``; so is each CSV row (``<file id>:<row>``, the header
    being row 1). Repeated ids get ``~2``, ``~3``, ... appended (with a
    warning). Files larger than ``config.max_file_bytes`` (JSONL/CSV corpus
    files: ``config.max_corpus_bytes``) and texts longer than
    ``config.max_text_chars`` are skipped.

    Args:
        paths: Files (``config.extensions``, ``config.jsonl_extensions`` or
            ``config.csv_extensions``) and folders to scan. A single path is
            accepted too.
        config: Extensions, forced codec, JSONL/CSV field names, limits, links.
        on_warning: Called once for every skipped input (and renamed id,
            and text with invalid bytes replaced), with its path (``path:line``
            for JSONL records, ``path:row`` for CSV rows) and the reason.
        on_skip: Called once for every hidden entry and file of another type
            met in a folder.
        taken: Ids already in use (a saved index's documents): a document
            wanting one is renamed as a repeat is, so documents added to an
            index are named as a scan of everything at once names them.

    Returns:
        An iterator of documents; inputs are read lazily as it is consumed.

    Raises:
        ConfigError: ``config.encoding`` is not a text codec (raised at call).
    """
    if config.encoding is not None:
        codec_name(config.encoding)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _iterate(paths, config, _Ids(on_warning, taken), on_warning, on_skip)


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

    def __init__(self, on_warning: WarningSink, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)
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


def _iterate(
    paths: Sequence[PathArg], config: IngestConfig, ids: _Ids, on_warning: WarningSink, on_skip: SkipSink
) -> Iterator[Document]:
    roots = _Roots.of(paths)
    for given in paths:
        for item in _expand(given, config, roots, on_skip):
            if item.problem is not None:
                on_warning(ScanWarning(display_path(item.path), item.problem))
            else:
                yield from _read_input(item, config, ids, on_warning)


def _expand(given: PathArg, config: IngestConfig, roots: _Roots, on_skip: SkipSink) -> list[_Input]:
    """The inputs one user-given path stands for (a path given is followed if it is a link)."""
    path = Path(given)
    if not os.fspath(given):
        return [_Input("", path, "empty path; give a file or folder")]
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        problem = "broken symbolic link (its target does not exist)" if path.is_symlink() else "no such file or folder"
        return [_Input(path.name, path, problem)]
    except OSError as exc:
        return [_Input(path.name, path, f"cannot access: {_reason(exc)}")]
    if stat.S_ISDIR(mode):
        return _Walker(config, roots, on_skip).walk(path)
    if not stat.S_ISREG(mode):
        return [_Input(path.name, path, _not_regular(mode))]
    if _kind(path.name, config) is None:
        return [_Input(path.name, path, _unsupported(path, config))]
    return [_Input(path.name, path, follow=True)]


def _unsupported(path: Path, config: IngestConfig) -> str:
    suffix = repr(path.suffix) if path.suffix else "(no extension)"
    wanted = ", ".join(config.extensions + config.jsonl_extensions + config.csv_extensions)
    return f"unsupported file type {suffix}; give {wanted} files or a folder"


def _not_regular(mode: int) -> str:
    return f"not a regular file ({_special(mode)}); never opened"


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file or folder"


class _Walker:
    """Walks one folder: every corpus file, problem and skipped entry under it.

    Each folder is listed once, known by its device and inode, so neither a
    bind mount nor a followed link can make the walk loop. Links are followed
    (with ``follow_links``) after the folder's own tree is walked, in order of
    their path, so which path reaches a folder first does not depend on the
    order the file system lists entries in.
    """

    def __init__(self, config: IngestConfig, roots: _Roots, on_skip: SkipSink) -> None:
        self._config = config
        self._roots = roots
        self._on_skip = on_skip
        self._found: list[_Input] = []
        self._seen: dict[tuple[int, int], str] = {}  # folder (device, inode) -> the id prefix it was walked as
        self._links: list[tuple[Path, str]] = []
        self._pending: list[tuple[Path, str]] = []

    def walk(self, root: Path) -> list[_Input]:
        """Every input under ``root``, sorted by relative path."""
        try:
            info = os.stat(root)
        except OSError as exc:  # gone or changed since it was given
            return [_Input("", root, f"cannot read folder: {_reason(exc)}")]
        self._seen[(info.st_dev, info.st_ino)] = ""
        self._pending.append((root, ""))
        while self._pending or self._links:
            while self._pending:
                self._list(*self._pending.pop())
            links, self._links = sorted(self._links, key=lambda link: link[1]), []
            for path, rel in links:
                self._follow(path, rel)
        return sorted(self._found, key=lambda item: item.file_id)

    def _list(self, folder: Path, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            self._problem(prefix.rstrip("/"), folder, f"cannot read folder: {_reason(exc)}")
            return
        for entry in entries:
            rel, path = prefix + entry.name, Path(entry.path)
            if entry.name.startswith("."):
                self._on_skip(Skipped(display_path(path), "hidden"))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                self._problem(rel, path, f"cannot inspect: {_reason(exc)}")
                continue
            self._entry(path, rel, info.st_mode, (info.st_dev, info.st_ino))

    def _entry(self, path: Path, rel: str, mode: int, key: tuple[int, int]) -> None:
        if stat.S_ISLNK(mode):
            if self._config.follow_links:
                self._links.append((path, rel))
            else:
                self._problem(rel, path, _LINK_NOT_FOLLOWED)
        elif stat.S_ISDIR(mode):
            if key in self._seen:
                first = self._seen[key] or "."
                self._problem(rel, path, f"the same folder as '{first}' (a bind mount?); not scanned twice")
            else:
                self._seen[key] = rel
                self._pending.append((path, rel + "/"))
        elif not stat.S_ISREG(mode):
            self._problem(rel, path, _not_regular(mode))
        elif _kind(path.name, self._config) is None:
            self._on_skip(Skipped(display_path(path), "unsupported"))
        else:
            self._found.append(_Input(rel, path))

    def _follow(self, path: Path, rel: str) -> None:
        """A link met in the walk, with ``follow_links``: followed if its target is inside a scanned path."""
        try:
            real = os.path.realpath(path, strict=True)
        except FileNotFoundError:
            self._problem(rel, path, f"broken symbolic link (its target '{_link_text(path)}' does not exist)")
            return
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._problem(rel, path, "symbolic link loop (links that point at each other); not followed")
            else:
                self._problem(rel, path, f"cannot follow symbolic link: {_reason(exc)}")
            return
        shown = display_path(real)
        if not self._roots.holds(real):
            self._problem(rel, path, f"symbolic link to '{shown}', outside the scanned folders; not followed")
            return
        try:
            info = os.stat(real)
        except OSError as exc:
            self._problem(rel, path, f"cannot follow symbolic link: {_reason(exc)}")
            return
        key = (info.st_dev, info.st_ino)
        if stat.S_ISDIR(info.st_mode) and key in self._seen:
            first = self._seen[key]
            if not first or rel.startswith(first + "/"):
                self._problem(rel, path, f"symbolic link loop: points to '{shown}', a folder that holds it")
            else:
                self._problem(rel, path, f"symbolic link to the folder '{first}', scanned already; not scanned twice")
        elif stat.S_ISDIR(info.st_mode):
            self._seen[key] = rel
            self._pending.append((path, rel + "/"))
        elif not stat.S_ISREG(info.st_mode):
            self._problem(rel, path, f"symbolic link to {_special(info.st_mode)}; never opened")
        elif _kind(path.name, self._config) is None:
            self._on_skip(Skipped(display_path(path), "unsupported"))
        else:
            self._found.append(_Input(rel, path, target=Path(real)))

    def _problem(self, rel: str, path: Path, message: str) -> None:
        self._found.append(_Input(rel, path, message))


def _link_text(path: Path) -> str:
    try:
        return display_path(os.readlink(path))
    except OSError:
        return "?"


def _kind(name: str, config: IngestConfig) -> InputKind | None:
    """What a file holds, by its name: None for a type that is not corpus.

    A name without a real extension (``README``, ``speech``, ``2023.05.01``)
    is a document whose format is sniffed from its content.
    """
    lowered = name.lower()
    if any(lowered.endswith(ext.lower()) for ext in config.jsonl_extensions):
        return "jsonl"
    if any(lowered.endswith(ext.lower()) for ext in config.csv_extensions):
        return "csv"
    if any(lowered.endswith(ext.lower()) for ext in config.extensions):
        return "document"
    if not _EXTENSION.fullmatch(os.path.splitext(name)[1]):
        return "document"
    return None


# --------------------------------------------------------------------------
# reading


def _read_input(item: _Input, config: IngestConfig, ids: _Ids, on_warning: WarningSink) -> Iterator[Document]:
    """The documents of one file (one, or one per JSONL line or CSV row)."""
    source = display_path(item.path)
    kind = _kind(item.path.name, config) or "document"
    if kind == "jsonl" and config.encoding is None:
        streamed = yield from _streamed_jsonl(item, config, ids, on_warning)
        if streamed:
            return
    try:
        limit = (
            (config.max_file_bytes, "--max-file-size")
            if kind == "document"
            else (config.max_corpus_bytes, "--max-corpus-size")
        )
        data = _read_bytes(item.target or item.path, limit[0], follow=item.follow, option=limit[1])
        extracted = _load_document(data, item.path, config) if kind == "document" else _load_text(data, config.encoding)
    except InputError as exc:
        on_warning(ScanWarning(source, str(exc)))
        return
    if extracted.replaced:
        on_warning(ScanWarning(source, _replaced_message(extracted.replaced, extracted.encoding)))
    for note in extracted.notes:
        on_warning(ScanWarning(source, note))
    if kind == "jsonl":
        yield from _jsonl_documents(item, extracted, config, ids, on_warning)
    elif kind == "csv":
        yield from _csv_documents(item, extracted, config, ids, on_warning)
    else:
        doc_id = ids.claim(display_path(item.file_id), source)
        meta = {"title": extracted.title} if extracted.title and extracted.encoding.startswith(_MARKUP) else {}
        doc = _document(doc_id, source, extracted.text, extracted.encoding, meta, extracted.title)
        yield replace(doc, page=extracted.page) if extracted.page else doc


def _replaced_message(count: int, encoding: str) -> str:
    sequences = "invalid byte sequence" if count == 1 else "invalid byte sequences"
    return f"{count} {sequences} replaced with U+FFFD (decoded as {encoding}); the rest of the text is read"


def _load_document(data: bytes, path: Path, config: IngestConfig) -> Extracted:
    """One speech file's text, whatever its format, or InputError saying why not."""
    _check_empty(data)
    extracted = extract_text(data, path=path, config=config)
    _check_blank(extracted.text)
    _check_chars(len(extracted.text), config.max_text_chars)
    return extracted


def _load_text(data: bytes, encoding: str | None) -> Extracted:
    """A corpus file's decoded, non-blank text, or InputError saying why not (its records are checked apart)."""
    _check_empty(data)
    text, name, replaced = decode_text(data, encoding=encoding)
    _check_blank(text)
    return Extracted(text, name, replaced=replaced)


def _check_empty(data: bytes) -> None:
    if not data:
        raise InputError("empty file: no text to scan")


def _check_blank(text: str) -> None:
    if not text:
        raise InputError("file holds only a byte-order mark: no text to scan")
    if not text.strip() or not text.translate(_INVISIBLE).strip():
        raise InputError("file contains only whitespace: no text to scan")


# characters that show nothing and are not str.isspace(): zero-width spaces and joiners, word joiner, BOM
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u180e"))


def _check_chars(count: int, limit: int | None) -> None:
    if limit is not None and count > limit:
        raise InputError(text_limit_message(count, limit))


def _read_bytes(path: Path, limit: int | None = None, *, follow: bool = True, option: str = "--max-file-size") -> bytes:
    """A regular file's bytes; never opens (or blocks on) FIFOs or devices, nor reads past ``limit``.

    Without ``follow`` a path that is (or became) a symbolic link is not opened.
    """
    with _opened(path, limit, follow=follow, option=option) as (handle, size):
        try:
            data = _read_upto(handle, size, limit)
        except OSError as exc:
            raise InputError(f"cannot read file: {_reason(exc)}") from None
        _check_size(len(data), limit, option)
        return data


@contextmanager
def _opened(path: Path, limit: int | None, *, follow: bool, option: str) -> Iterator[tuple[BinaryIO, int]]:
    """A regular file open for reading, with its size: never a FIFO or a device, nor one over ``limit``."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        info = os.stat(path, follow_symlinks=follow)
        if stat.S_ISLNK(info.st_mode):
            raise InputError(_LINK_NOT_FOLLOWED)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_not_regular(info.st_mode))
        _check_size(info.st_size, limit, option)
        handle = open(os.open(path, flags), "rb", closefd=True)  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise InputError("file not found (deleted, or a broken symbolic link)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise InputError(_LINK_NOT_FOLLOWED) from None
        raise InputError(f"cannot read file: {_reason(exc)}") from None
    with handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_not_regular(info.st_mode))
        _check_size(info.st_size, limit, option)
        yield handle, info.st_size


def _read_upto(handle: BinaryIO, size: int, limit: int | None) -> bytes:
    """The file's bytes, at most ``limit + 1`` of them.

    The buffer asked for is the size the file had when it was opened (Python
    allocates what a read asks for), so a large limit costs no memory; a file
    that grew since is read on in chunks.
    """
    cap = None if limit is None else limit + 1
    data = handle.read(size + 1 if cap is None else min(cap, size + 1))
    if len(data) <= size:
        return data
    parts = [data]
    total = len(data)
    while cap is None or total < cap:
        part = handle.read(_READ_CHUNK if cap is None else min(_READ_CHUNK, cap - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


_READ_CHUNK = 1 << 24


def _check_size(size: int, limit: int | None, option: str = "--max-file-size") -> None:
    if limit is not None and size > limit:
        message = f"file is {_mib(size)} MiB, over the {option} limit of {_mib(limit)} MiB"
        raise InputError(message)


def _mib(count: int) -> str:
    """Bytes as MiB: one decimal from 1 MiB up (``250.0``), three significant digits below (``0.5``)."""
    mib = count / 2**20
    return f"{mib:.1f}" if mib >= 1 else f"{mib:.3g}"


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that any UTF-8 output accepts, with file names in a legacy codec decoded.

    Unzipping a Windows archive on Linux leaves e.g. GBK bytes in file names,
    which Python holds as lone surrogates; those bytes are decoded (GB18030 or
    Big5), or else shown as U+FFFD. The same path always gives the same text.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "/".join(_decode_name(part) for part in text.split("/"))
    return text


def _decode_name(part: str) -> str:
    return decode_name(os.fsencode(part))


def _reason(exc: OSError) -> str:
    reason = (exc.strerror or str(exc)).lower()
    if isinstance(exc, PermissionError):
        return f"{reason}; check its permissions"
    return reason


_MARKUP = ("html:", "mhtml")  # a page's own title (its heading, else <title>) wins over the first lines


def _document(doc_id: str, source: str, text: str, encoding: str, meta: dict[str, str], title: str = "") -> Document:
    """A Document, titled ``title`` (the HTML page title), the record's ``title`` field, or the first line."""
    return Document(
        id=doc_id,
        source=source,
        text=text,
        span=Span(0, len(text)),
        encoding=encoding,
        title=cut_title((title or meta.get("title") or "").strip()) or _title(text),
        meta=meta,
    )


def _title(text: str) -> str:
    """The first non-blank line, stripped and cut to a title's width (:func:`dupdetect.text.cut_title`)."""
    for match in _LINE.finditer(text):
        stripped = match.group().strip()
        if stripped:
            return cut_title(stripped)
    return ""


# --------------------------------------------------------------------------
# JSONL


def _jsonl_documents(
    item: _Input, file: Extracted, config: IngestConfig, ids: _Ids, on_warning: WarningSink
) -> Iterator[Document]:
    for number, line in _lines(file.text):
        yield from _record_document(item, number, line, file.encoding, config, ids, on_warning)


def _record_document(
    item: _Input, number: int, line: str, encoding: str, config: IngestConfig, ids: _Ids, on_warning: WarningSink
) -> Iterator[Document]:
    """The document of one JSONL line (none for a blank line or a record that cannot be read: a warning)."""
    if not line or line.isspace():  # (not line.strip(), without copying the line)
        return
    source = f"{display_path(item.path)}:{number}"
    try:
        wanted, body, is_html, meta, notes = _parse_record(line, config)
        _check_chars(len(body), config.max_text_chars)  # (a page's text is never longer than its markup)
        page = html_text(body) if is_html else None
    except InputError as exc:
        on_warning(ScanWarning(source, str(exc)))
        return
    for note in notes:
        on_warning(ScanWarning(source, note))
    doc_id = ids.claim(wanted or f"{display_path(item.file_id)}:{number}", source)
    if page is None:
        yield _document(doc_id, source, body, encoding, meta)
    else:
        if page.title and "title" not in meta:  # (the record's own title field wins)
            meta["title"] = page.title
        doc = _document(doc_id, source, page.text, page.encoding, meta)
        yield replace(doc, page=page.page) if page.page else doc


STREAM_FROM = 64 * 2**20
"""A UTF-8 JSONL corpus file larger than this is read a line at a time (smaller ones are read whole)."""
_SNIFF = 1 << 20  # bytes whose encoding decides whether a large file is UTF-8


def _streamed_jsonl(
    item: _Input, config: IngestConfig, ids: _Ids, on_warning: WarningSink
) -> Generator[Document, None, bool]:
    """The documents of a large UTF-8 JSONL file, read a line at a time: memory for one record, not the file.

    Returns False (having read nothing) when the file is small or its first MiB is not UTF-8: it is then
    read whole, as any corpus file. Invalid bytes further on are replaced with U+FFFD and counted in
    one warning, as for a file read whole.
    """
    source = display_path(item.path)
    try:
        with _opened(
            item.target or item.path, config.max_corpus_bytes, follow=item.follow, option="--max-corpus-size"
        ) as (handle, size):
            if size <= STREAM_FROM:
                return False
            head = handle.read(_SNIFF)
            cut = head.rfind(b"\n")
            try:
                encoding = decode_text(head[: cut if cut > 0 else len(head)]).encoding
            except DupdetectError:
                return False
            if encoding not in ("utf-8", "utf-8-sig", "ascii"):
                return False
            handle.seek(3 if encoding == "utf-8-sig" else 0)
            replaced = blank = 0
            number = 0
            for number, raw in enumerate(handle, start=1):
                line, bad = _utf8_line(raw.removesuffix(b"\n"))
                replaced += bad
                blank += not line or line.isspace()
                yield from _record_document(item, number, line, encoding, config, ids, on_warning)
            if number and blank == number:
                on_warning(ScanWarning(source, "file contains only whitespace: no text to scan"))
    except InputError as exc:
        on_warning(ScanWarning(source, str(exc)))
        return True
    except OSError as exc:
        on_warning(ScanWarning(source, f"cannot read file: {_reason(exc)}"))
        return True
    if replaced:
        on_warning(ScanWarning(source, _replaced_message(replaced, encoding)))
    return True


def _utf8_line(raw: bytes) -> tuple[str, int]:
    """One line's text, and how many invalid byte sequences in it became U+FFFD."""
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        return text, text.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each ``\\n``-separated line with its number, without holding a list of them all."""
    start, number = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield number, text[start:end]
        start, number = end + 1, number + 1


def _parse_record(line: str, config: IngestConfig) -> tuple[str, str, bool, dict[str, str], list[str]]:
    """``(id or "", text, is_html, meta, notes)`` of one JSONL line, or InputError.

    The text is the record's text field, or the markup of its html field (``is_html``) when it has no text field.

    ``notes`` are warnings about a record that is still read: an id that is
    not a string, lone surrogates (``"\\ud800"`` escapes) replaced by U+FFFD.
    """
    record = _load_json(line)
    if not isinstance(record, dict):
        kind = _json_type(record)
        raise InputError(f"record is a JSON {kind}, not an object; put each record in {{...}}")
    notes: list[str] = []
    field = config.text_field
    if field not in record and isinstance(record.get(config.html_field), str):
        field = config.html_field  # a crawled page: read like an .html file (_record_page)
    body = _record_text(record, field)
    meta = {str(key): _as_string(value) for key, value in record.items() if key not in (config.id_field, field)}
    wanted = _record_id(record, config.id_field, notes)
    if "\\ud" in line or "\\uD" in line:  # only a JSON escape makes a lone surrogate (decoded text holds none)
        body, meta, wanted = _without_surrogates(body, meta, wanted, notes)
    return wanted, body, field != config.text_field, meta, notes


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
        raise InputError(
            f"record has no '{field}' field; if the text is under another key, give it with --text-field "
            "(text_field in a config file)"
        )
    value = record[field]
    if not isinstance(value, str):
        raise InputError(f"'{field}' field is {_a_json_type(value)}, not a string")
    if not value or value.isspace():
        raise InputError(f"'{field}' field is empty")
    return value


def _record_id(record: dict[str, Any], field: str, notes: list[str]) -> str:
    """The record's id; "" (the line names it) when absent or not usable, with a note when not a string."""
    if field not in record:
        return ""
    value = record[field]
    if isinstance(value, str):
        return value.strip() and value
    if isinstance(value, int) and not isinstance(value, bool):
        notes.append(f"'{field}' field is a number, not a string; the record is named '{value}'")
        return str(value)
    notes.append(f"'{field}' field is {_a_json_type(value)}, not a string; the record is named by its line")
    return ""


def _without_surrogates(
    body: str, meta: dict[str, str], wanted: str, notes: list[str]
) -> tuple[str, dict[str, str], str]:
    """JSON's ``"\\udxxx"`` escapes can leave lone surrogates, which no UTF-8 output holds: each becomes U+FFFD.

    One character for one, so offsets into the text stay what they were.
    """
    found = sum(len(_SURROGATES.findall(value)) for value in (body, wanted, *meta, *meta.values()))
    if not found:
        return body, meta, wanted
    notes.append(f"{found} lone surrogate escape{'s' if found > 1 else ''} (\\ud800-\\udfff) replaced with U+FFFD")
    fix = _replace_surrogates
    return fix(body), {fix(key): fix(value) for key, value in meta.items()}, fix(wanted)


def _replace_surrogates(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


def _as_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _a_json_type(value: Any) -> str:
    """``"null"``, ``"a number"``, ``"an object"``, ...: for "the field is ..."."""
    kind = _json_type(value)
    return kind if kind == "null" else f"{'an' if kind[0] in 'ao' else 'a'} {kind}"


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
    item: _Input, file: Extracted, config: IngestConfig, ids: _Ids, on_warning: WarningSink
) -> Iterator[Document]:
    """One document per row of a CSV (or, for ``.tsv``, tab-separated) file with a header row.

    A row with more or fewer fields than the header is read (extra fields
    ignored, missing ones empty) with a warning; a row the csv module cannot
    parse (a field over the text limit) is skipped with a warning, and
    reading goes on.
    """
    path = display_path(item.path)
    delimiter = "\t" if item.path.name.lower().endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(file.text, newline=""), delimiter=delimiter)
    limit = max(_CSV_FIELD_CHARS, config.max_text_chars or 0)
    rows = _csv_rows(reader, limit)
    first = next(rows, None)
    if isinstance(first, csv.Error):
        on_warning(ScanWarning(path, f"invalid csv header ({_lower(str(first))}); the file is skipped"))
        return
    header = [name.strip().lstrip("\ufeff") for name in first or []]
    if config.text_field not in header:
        on_warning(ScanWarning(path, _no_text_column(header, config.text_field)))
        return
    for number, row in enumerate(rows, start=2):
        source = f"{path}:{number}"
        if isinstance(row, csv.Error):
            on_warning(ScanWarning(source, _csv_error(row, limit)))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            on_warning(ScanWarning(source, _row_length(len(row), len(header))))
        record = dict(zip(header, row, strict=False))
        yield from _csv_row(item, source, number, record, file.encoding, config, ids, on_warning)


def _csv_rows(reader: Iterator[list[str]], limit: int) -> Iterator[list[str] | csv.Error]:
    """The reader's rows, or the error that a row raised; the csv field limit is raised only meanwhile."""
    while True:
        line = getattr(reader, "line_num", 0)
        previous = csv.field_size_limit(limit)
        try:
            row: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = exc
        finally:
            csv.field_size_limit(previous)
        yield row
        if isinstance(row, csv.Error) and getattr(reader, "line_num", 0) == line:
            return  # the reader did not move on: stop rather than loop


def _csv_error(exc: csv.Error, limit: int) -> str:
    message = _lower(str(exc))
    if "field larger than field limit" in message:
        return f"csv field over {limit:,} characters; the row is skipped"
    return f"invalid csv ({message}); the row is skipped"


def _row_length(fields: int, columns: int) -> str:
    if fields > columns:
        return f"row has {fields} fields, the header {columns}; the fields after column {columns} are ignored"
    return f"row has {fields} fields, the header {columns}; the missing fields are taken as empty"


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


def _no_text_column(header: list[str], field: str) -> str:
    columns = ", ".join(repr(name) for name in header[:10]) or "none"
    return (
        f"csv header has no '{field}' column (columns: {columns}); give the column holding the text "
        "with --text-field (text_field in a config file)"
    )


def _csv_row(
    item: _Input,
    source: str,
    number: int,
    record: dict[str, str],
    encoding: str,
    config: IngestConfig,
    ids: _Ids,
    on_warning: WarningSink,
) -> Iterator[Document]:
    body = record.get(config.text_field, "")
    if not body.strip():
        on_warning(ScanWarning(source, f"row has no text in the '{config.text_field}' column"))
        return
    try:
        _check_chars(len(body), config.max_text_chars)
    except InputError as exc:
        on_warning(ScanWarning(source, str(exc)))
        return
    meta = {key: value for key, value in record.items() if key not in (config.id_field, config.text_field)}
    wanted = record.get(config.id_field, "").strip()
    doc_id = ids.claim(wanted or f"{display_path(item.file_id)}:{number}", source)
    yield _document(doc_id, source, body, f"csv:{encoding}", meta)
