"""The bytes of one input file -> its text: format sniffing and extraction.

The format is decided by the content first and the file name second (many
".doc" files are really DOCX, HTML, MHTML or RTF): ``%PDF-`` is PDF, a ZIP
archive is DOCX, the OLE2 magic is legacy Word, ``{\\rtf`` is RTF, a leading
``<!doctype html``/``<html`` is HTML and ``MIME-Version:`` is MHTML (Word's
single-file web page); otherwise ``.html``/``.htm``/``.pdf``/``.docx`` go by
their extension and everything else is text, decoded by the cascade of
:mod:`dupdetect.read.decode`.

Plain text is returned exactly as decoded. Extracted formats (HTML, DOCX, PDF,
legacy Word, RTF) come back as one paragraph (or PDF line) per line: control
characters other than tab are removed, trailing spaces cut and blank lines
dropped. Each third-party call is wrapped so that its failure becomes one
:class:`~dupdetect.model.errors.InputError` whose message names the format.
"""

from __future__ import annotations

import codecs
import contextlib
import email
import email.policy
import io
import logging
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dupdetect.model.config import IngestConfig
from dupdetect.model.errors import DecodeError, InputError
from dupdetect.read.decode import WIDE_CODECS, decode_text

if TYPE_CHECKING:  # (imported when a page is first parsed: a query of plain text needs no HTML parser)
    from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["Extracted", "Format", "extract_text", "sniff", "text_limit_message"]

Format = Literal["text", "html", "mhtml", "docx", "pdf", "ole2", "rtf"]

# trafilatura, pypdf and python-docx take half a second to import: they are
# imported where first used, so a scan of plain text never pays for them.
# pypdf and trafilatura log recoverable problems; without a handler Python
# prints them on stderr. Each failure already becomes one warning of ours.
for _name in ("pypdf", "trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_STARTS = ("<!doctype html", "<html", "<head")
_LEADING_MARKUP = re.compile(r"\A(?:\s+|<\?xml[^>]*>|<!--.*?-->)*", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of one input file and how it was obtained.

    ``encoding`` is recorded as ``Document.encoding``: the codec for plain
    text (``"utf-8"``), else the format and, where bytes were decoded, the
    codec (``"html:gb18030"``, ``"rtf:gb18030"``, ``"docx"``, ``"pdf"``,
    ``"doc:antiword"``). ``title`` is the HTML ``<title>``, or ``""``.
    ``replaced`` counts the invalid byte sequences decoding replaced by U+FFFD;
    ``notes`` are what was left out of a file that was still read (one warning each). ``page`` is
    the visible text of the whole HTML page (navigation, date line, footer included) when the text
    is its main content only: where a date and a site are looked for when the text states none.
    """

    text: str
    encoding: str
    title: str = ""
    replaced: int = 0
    notes: tuple[str, ...] = ()
    page: str = ""


def sniff(data: bytes, name: str = "") -> Format:
    """The format of a file, from its first bytes and then its name.

    Args:
        data: The file's bytes (only the first kilobyte is looked at).
        name: The file name; its extension decides when the content does not.

    Returns:
        ``"pdf"``, ``"docx"`` (any ZIP archive), ``"ole2"``, ``"rtf"``,
        ``"html"``, ``"mhtml"`` or ``"text"``.

    >>> sniff(b"%PDF-1.7 ...", "speech.doc")
    'pdf'
    >>> sniff("<!DOCTYPE html><p>讲话</p>".encode(), "speech.doc")
    'html'
    >>> sniff(b"plain words", "speech.htm")
    'html'
    """
    found = _sniff_content(data)
    if found is not None:
        return found
    extension = os.path.splitext(name)[1].lower()
    by_extension: dict[str, Format] = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
    return by_extension.get(extension, "text")


def extract_text(data: bytes, *, path: Path, config: IngestConfig) -> Extracted:
    """The text of one input file, whatever its format.

    Args:
        data: The file's bytes.
        path: Where they were read from; its name is the format hint, and a
            legacy Word file is handed to ``antiword``/``catdoc`` by path.
        config: The forced codec (text, HTML, MHTML) and the ZIP and
            converter limits.

    Returns:
        The text, how it was obtained and the page title (HTML only).

    Raises:
        InputError: The file cannot be read as its format; the one-line
            message names the format and says what to do.
        ConfigError: ``config.encoding`` is not a text codec.
    """
    kind = sniff(data, path.name)
    if kind == "text":
        return _text(data, path, config)
    if kind == "html":
        return _html(data, config.encoding, "html")
    if kind == "mhtml":
        return _mhtml(data, config.encoding)
    if kind == "docx":
        text, notes = _docx(data, config)
        return Extracted(_tidy(text), "docx", notes=notes)
    if kind == "pdf":
        return Extracted(_nonblank(_tidy(_pdf(data, config)), _NO_PDF_TEXT), "pdf")
    if kind == "rtf":
        return _rtf(data)
    return _legacy_word(path, config)


# --------------------------------------------------------------------------
# sniffing


def _sniff_content(data: bytes) -> Format | None:
    head = data[:1024]
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_ZIP_MAGICS):
        return "docx"
    if head.startswith(_OLE2_MAGIC):
        return "ole2"
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    text = _LEADING_MARKUP.sub("", _head_text(head)).lower()
    if text.startswith(_HTML_STARTS):
        return "html"
    if text.startswith("mime-version:"):
        return "mhtml"
    return None


def _head_text(head: bytes) -> str:
    """The first bytes as text, enough to recognise markup in any encoding."""
    wide = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, codec in wide:
        if head.startswith(bom):
            return head.decode(codec, "ignore").removeprefix("\ufeff")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


# --------------------------------------------------------------------------
# plain text


def _text(data: bytes, path: Path, config: IngestConfig) -> Extracted:
    limit = config.max_text_chars
    if limit is not None and len(data) > 4 * limit:  # every codec takes at most 4 bytes a character
        size = f"{len(data) / 2**20:.1f} MiB"
        raise InputError(f"file is {size} of text, over the --max-text-chars limit of {limit:,} characters")
    try:
        text, codec, replaced = decode_text(data, encoding=config.encoding)
    except DecodeError as exc:
        if path.suffix.lower() != ".doc":
            raise
        raise InputError(f"unrecognised .doc content (not word, html, rtf or text): {exc}") from None
    return Extracted(text, codec, replaced=replaced)


def text_limit_message(count: int, limit: int) -> str:
    """The warning for a text over ``max_text_chars``."""
    return f"text is {count:,} characters, over the --max-text-chars limit of {limit:,}"


def _tidy(text: str) -> str:
    """One line per paragraph: no control characters, trailing spaces or blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_CONTROL.sub("", line).rstrip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip())


def _nonblank(text: str, message: str) -> str:
    if not text.strip():
        raise InputError(message)
    return text


def _reason(exc: BaseException) -> str:
    """A library exception as a short lowercase phrase for a warning line."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    message = message[:1].lower() + message[1:]
    return message if len(message) <= 160 else message[:157] + "..."


# --------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": ("gb18030",), "gbk": ("gb18030",), "big5": ("big5", "cp950")}
_DROP = "script, style, noscript, template, [hidden], .jammer"
_TITLE_SITE_RE = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s)\s*")  # what separates a <title> from the site's name
_PARAGRAPH_CHARS = 50  # a page line this long is a paragraph of text ...
_MAIN_SHARE = 0.6  # ... and the main text must hold this share of them, or the whole page is read
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CELL_BLOCKS = "p, div, br, table, ul, ol, h1, h2, h3, h4, h5, h6, blockquote"
_BLOCKS = (
    "p, div, br, li, dt, dd, h1, h2, h3, h4, h5, h6, tr, table, section, article, blockquote, pre, td, th, hr, ul, ol"
)


def html_text(markup: str) -> Extracted:
    """The text of an HTML page already decoded (a JSONL record's ``html`` field), as an .html file gives it.

    Raises:
        InputError: The page has no text or cannot be parsed.
    """
    return _from_markup(markup, "html", "html", 0)


def _html(data: bytes, encoding: str | None, label: str, declared: str | None = None) -> Extracted:
    markup, codec, replaced = _decode_html(data, encoding, declared)
    return _from_markup(markup, f"{label}:{codec}", label, replaced)


def _from_markup(markup: str, encoding: str, label: str, replaced: int) -> Extracted:
    tree = _parse_html(markup)
    heading = _page_heading(tree)
    title = heading or _page_title(tree)
    _drop_hidden(tree)
    _flatten_layout_tables(tree)
    main = _tidy(_main_text(tree.html or ""))
    page = _tidy(_body_text(tree))  # (after the main text: it marks the blocks in the tree)
    if _left_out(main, page):
        main = page
    elif heading and main and heading not in main[: 4 * len(heading)]:
        main = f"{heading}\n{main}"  # the page's heading, which the extractor keeps out, heads the speech
    text = _nonblank(main, f"{label} page has no text")
    return Extracted(text, encoding, title, replaced, page=page if page != text else "")


def _decode_html(data: bytes, encoding: str | None, declared: str | None) -> tuple[str, str, int]:
    """HTML bytes as text: forced codec, BOM, UTF-8, the declared charset (if it fits), the cascade."""
    if encoding is not None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, encoding=encoding)
    for codec in ("utf-8", *_declared_codecs(data, declared)):
        try:
            return data.decode(codec), codec, 0
        except UnicodeDecodeError:
            continue
    return decode_text(data)


def _declared_codecs(data: bytes, declared: str | None) -> tuple[str, ...]:
    """The codec a page declares (``<meta charset>``), widened to its superset."""
    if declared is None:
        match = _META_CHARSET.search(data[:8192])
        declared = match.group(1).decode("ascii") if match else None
    if declared is None:
        return ()
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return ()
    return () if name in WIDE_CODECS else _SUPERSETS.get(name, (name,))


def _parse_html(markup: str) -> LexborHTMLParser:
    from selectolax.lexbor import LexborHTMLParser

    try:
        return LexborHTMLParser(markup)
    except Exception as exc:  # the parser is a C extension: any failure is the page's
        raise InputError(f"cannot parse html: {_reason(exc)}") from None


def _page_heading(tree: LexborHTMLParser) -> str:
    """The page's first ``<h1>``, when it reads like a title (the ``<title>`` often adds the site's name)."""
    node = tree.css_first("h1")
    heading = " ".join(node.text().split()) if node is not None else ""
    return heading if 4 <= len(heading) <= 80 else ""


def _page_title(tree: LexborHTMLParser) -> str:
    """The page's ``<title>`` without the site's name sites add after it ("讲话_某某县人民政府", "讲话 | 网")."""
    node = tree.css_first("title")
    title = " ".join(node.text().split()) if node is not None else ""
    first = _TITLE_SITE_RE.split(title, maxsplit=1)[0]
    return first if len(first) >= 4 else title


def _drop_hidden(tree: LexborHTMLParser) -> None:
    """Remove what a reader never sees: scripts, styles, hidden and jammer elements."""
    for node in tree.css(_DROP):
        node.decompose()
    for node in tree.css("[style]"):
        if _HIDDEN_STYLE.search(node.attributes.get("style") or ""):
            node.decompose()


def _flatten_layout_tables(tree: LexborHTMLParser) -> None:
    """Turn tables used for page layout into one ``<div>`` per cell.

    Old government sites hold the whole speech in a table cell; trafilatura
    would print such a table as ``| cell | cell |`` rows, each cell on one line.
    A table is layout if a cell holds block elements or more than 100 characters.
    """
    for table in reversed(tree.css("table")):  # innermost first
        cells = list(_cells(table))
        if any(cell.css_first(_CELL_BLOCKS) is not None or len(cell.text()) > 100 for cell in cells):
            parts = ("".join(child.html or "" for child in cell.iter(include_text=True)) for cell in cells)
            flat = _parse_html("<div>" + "".join(f"<div>{part}</div>" for part in parts) + "</div>")
            if flat.body is not None and flat.body.child is not None:
                table.replace_with(flat.body.child)


def _cells(node: LexborNode) -> Iterator[LexborNode]:
    """The cells of a table, not those of tables nested in them."""
    for child in node.iter():
        if child.tag in ("tbody", "thead", "tfoot", "tr"):
            yield from _cells(child)
        elif child.tag in ("td", "th"):
            yield child


def _main_text(markup: str) -> str:
    """trafilatura's main text (one paragraph per line), or "" if it finds none."""
    import trafilatura

    try:
        found = trafilatura.extract(
            markup, favor_precision=True, include_tables=True, include_comments=False, output_format="txt"
        )
    except Exception:  # any extractor failure falls back to the body text
        return ""
    return found or ""


def _left_out(main: str, page: str) -> bool:
    """Whether the main-content extractor left out most of the page's text (or found none).

    Tag soup (unclosed ``<p>``, ``<font><b>…</font></b>``, cells without a table)
    can end or start its main content in the wrong place, where a browser still
    shows the whole speech: if the page's paragraphs (lines of 50 characters or
    more) are mostly not in the main text, or one before or between those it
    holds is missing, the page's whole visible text is read instead, and
    cleaning takes its chrome off. (Paragraphs after the main text, comments
    or related articles, are the extractor's to leave out.)
    """
    if not main:
        return True
    squeezed = "".join(main.split())
    paragraphs = ["".join(line.split()) for line in page.split("\n") if len(line) >= _PARAGRAPH_CHARS]
    kept = [p in squeezed for p in paragraphs]
    if True in kept and False in kept[: len(kept) - kept[::-1].index(True)]:
        return True  # a paragraph before or between those it kept is missing: it lost its way in the tags
    total = sum(len(p) for p in paragraphs)
    found = sum(len(p) for p, k in zip(paragraphs, kept, strict=True) if k)
    return total > 0 and found < _MAIN_SHARE * total


def _body_text(tree: LexborHTMLParser) -> str:
    """All body text, with a line break after every block element."""
    root: LexborNode | None = tree.body or tree.root
    if root is None:
        return ""
    for node in root.css(_BLOCKS):
        node.insert_after("\n")
    lines = (" ".join(line.split()) for line in root.text().split("\n"))
    return "\n".join(line for line in lines if line)


def _mhtml(data: bytes, encoding: str | None) -> Extracted:
    """Word's "single file web page": the first text/html part of a MIME message."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        payload = part.get_payload(decode=True) if part is not None else None
    except Exception as exc:  # malformed MIME of any kind
        raise InputError(f"cannot read mhtml web archive: {_reason(exc)}") from None
    if part is None or not isinstance(payload, bytes):
        raise InputError("mhtml web archive has no html part")
    return _html(payload, encoding, "mhtml", _part_charset(part))


def _part_charset(part: Message) -> str | None:
    charset = part.get_content_charset()
    return str(charset) if charset else None


# --------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_R, _W_TBL, _W_TR, _W_TC = f"{_W}p", f"{_W}r", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_W_VMERGE, _W_VAL = f"{_W}tcPr/{_W}vMerge", f"{_W}val"
_MAX_MEMBERS = 10_000
_RATIO_FROM_BYTES = 1 << 20  # compression ratio is only checked for members this large


def _docx(data: bytes, config: IngestConfig) -> tuple[str, tuple[str, ...]]:
    """Paragraphs and table rows of the main document, in order, one per line; and what was left out."""
    notes = _check_zip(data, config)
    import docx

    try:
        body = docx.Document(io.BytesIO(data)).element.body
        text = "\n".join(_blocks(body))
    except Exception as exc:  # python-docx/lxml fail in many ways on bad input
        raise InputError(f"cannot read docx: {_reason(exc)}") from None
    return _nonblank(text, "docx has no text"), notes


def _check_zip(data: bytes, config: IngestConfig) -> tuple[str, ...]:
    """Refuse broken archives and zip bombs before python-docx opens them; say which members have an unsafe
    name (``../../x``: nothing is ever extracted to disk, so the document is still read, without them)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, but also OSError/ValueError on crafted input
        raise InputError(f"broken docx: not a readable zip archive ({_reason(exc)})") from None
    names = {info.filename for info in members}
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise InputError("zip archive without word/document.xml; not a word .docx file")
    if len(members) > _MAX_MEMBERS:
        raise InputError(f"docx has {len(members)} members; refusing more than {_MAX_MEMBERS}")
    notes = tuple(note for info in members if (note := _check_member(info, config)))
    total = sum(info.file_size for info in members)
    if total > config.max_unpacked_bytes:
        raise InputError(f"docx unpacks to {_size(total)}, over the limit of {_size(config.max_unpacked_bytes)}")
    return notes


def _check_member(info: zipfile.ZipInfo, config: IngestConfig) -> str | None:
    """Refuse a member too large or too compressed; a note for one with an unsafe name (None: fine)."""
    name = info.filename
    if info.file_size > config.max_member_bytes:
        size, limit = _size(info.file_size), _size(config.max_member_bytes)
        raise InputError(f"docx member {name!r} unpacks to {size}, over the limit of {limit} (zip bomb?)")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= _RATIO_FROM_BYTES and ratio > config.max_zip_ratio:
        raise InputError(f"docx member {name!r} is compressed {ratio:.0f}:1 (zip bomb?)")
    if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or re.match(r"[A-Za-z]:", name):
        return f"docx member {name!r} has an unsafe path; left out, the document is read"
    return None


def _size(count: int) -> str:
    """A byte count for a message: ``512 bytes``, ``3.5 KiB``, ``200.0 MiB``."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1 << 20:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1 << 20):.1f} MiB"


def _blocks(container: Any) -> Iterator[str]:
    """Lines of a body, cell or content control: paragraphs, then table rows, in order."""
    for child in container.iterchildren():
        if child.tag == _W_P:
            yield _paragraph_text(child)
        elif child.tag == _W_TBL:
            yield from _table_lines(child)
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _W_CUSTOM_XML:
            yield from _blocks(child)


def _paragraph_text(paragraph: Any) -> str:
    """Text of the paragraph's own runs: also in links, insertions and content controls, not in text boxes."""
    runs = (run for run in paragraph.iter(_W_R) if _owner(run) is paragraph)
    return "".join(str(run.text) for run in runs)


def _owner(run: Any) -> Any:
    """The nearest enclosing paragraph of a run."""
    node = run.getparent()
    while node is not None and node.tag != _W_P:
        node = node.getparent()
    return node


def _table_lines(table: Any) -> Iterator[str]:
    """A row of one-paragraph cells is one tab-separated line; other rows give their cells' lines."""
    for row in table.iterchildren(_W_TR):
        cells = [[line for line in _blocks(cell) if line.strip()] for cell in row.iterchildren(_W_TC) if _starts(cell)]
        if all(len(lines) <= 1 for lines in cells):
            yield "\t".join(lines[0] for lines in cells if lines)
        else:
            for lines in cells:
                yield from lines


def _starts(cell: Any) -> bool:
    """False for the lower parts of a vertically merged cell (their text is the top part's)."""
    merge = cell.find(_W_VMERGE)
    return merge is None or merge.get(_W_VAL) == "restart"


# --------------------------------------------------------------------------
# PDF

_NO_PDF_TEXT = "pdf has no extractable text (scanned images? run ocr first)"


def _pdf(data: bytes, config: IngestConfig) -> str:
    """The text of every page (pypdf), pages joined by a line break.

    pypdf's own limits stop filter chains, decompression bombs and endless
    content streams (``LimitReachedError``); its stream caps are lowered to
    ``config.max_member_bytes`` and it never runs an external decoder.
    Extraction stops as soon as the text passes ``config.max_text_chars``.
    """
    import pypdf

    limit = config.max_text_chars
    try:
        with _pdf_limits(pypdf, config):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError("encrypted pdf (needs a password); save a copy without the password and scan that")
            pages: list[str] = []
            chars = 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                chars += len(pages[-1]) + 1
                if limit is not None and chars > limit + 1:
                    raise InputError(f"pdf text is over the --max-text-chars limit of {limit:,} characters")
            return "\n".join(pages)
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types on broken files
        if type(exc).__name__ == "LimitReachedError":  # pypdf.errors.LimitReachedError, where pypdf has it
            raise InputError(f"pdf passes a safety limit ({_reason(exc)}); a decompression bomb?") from None
        raise InputError(f"broken pdf: {_reason(exc)}") from None


_PDF_OUTPUT_LIMITS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
)


def _pdf_limits(pypdf: Any, config: IngestConfig) -> contextlib.AbstractContextManager[object]:
    """pypdf's configuration with each stream's output capped at ``max_member_bytes``, where pypdf has one."""
    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return contextlib.nullcontext()  # older pypdf: its fixed limits apply
    current = pypdf.get_configuration()
    caps: dict[str, object] = {
        name: min(getattr(current, name), config.max_member_bytes)
        for name in _PDF_OUTPUT_LIMITS
        if hasattr(current, name)
    }
    if hasattr(current, "jbig2dec_binary"):
        caps["jbig2dec_binary"] = None  # never run an external decoder
    manager: contextlib.AbstractContextManager[object] = apply(**caps)
    return manager


# --------------------------------------------------------------------------
# legacy Word (OLE2)

_CONVERTERS = (("antiword", ("-m", "UTF-8.txt", "-w", "0")), ("catdoc", ("-d", "utf-8", "-w")))


def _legacy_word(path: Path, config: IngestConfig) -> Extracted:
    """A binary Word file, converted by antiword or else catdoc, whichever is installed and succeeds."""
    failure: InputError | None = None
    for tool, options in _CONVERTERS:
        executable = shutil.which(tool)
        if executable is None:
            continue
        try:
            text = _convert(executable, tool, options, path, config.converter_timeout)
        except InputError as exc:
            failure = failure or exc
            continue
        return Extracted(_nonblank(_tidy(text), f".doc has no text ({tool} found none)"), f"doc:{tool}")
    raise failure or InputError("legacy Word .doc; convert it to .docx (or install antiword)")


def _convert(executable: str, tool: str, options: tuple[str, ...], path: Path, timeout: float) -> str:
    """The tool's UTF-8 output for the file, or InputError with its complaint."""
    target = os.path.abspath(path)
    try:
        done = subprocess.run(
            [executable, *options, target], capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise InputError(f"{tool} took more than {timeout:g} s on this .doc; convert it to .docx") from None
    except OSError as exc:
        raise InputError(f"cannot run {tool}: {_reason(exc)}") from None
    if done.returncode != 0:
        complaint = done.stderr.decode("utf-8", "replace").replace(target, path.name).strip()
        detail = _reason(Exception(complaint)) if complaint else f"exit status {done.returncode}"
        raise InputError(f"{tool} cannot read this .doc ({detail}); convert it to .docx")
    return done.stdout.decode("utf-8", "replace")


# --------------------------------------------------------------------------
# RTF (a minimal reader: text, paragraphs, \'hh bytes and \uN characters)

_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)", re.DOTALL)
_RTF_SKIP = frozenset(
    b"fonttbl colortbl stylesheet info pict object header headerl headerr headerf footer footerl footerr "
    b"footerf footnote fldinst themedata colorschememapping latentstyles datastore xmlnstbl listtable "
    b"listoverridetable rsidtbl generator mmathPr filetbl revtbl pgdsctbl bkmkstart bkmkend".split()
)
_RTF_WORDS = {b"par": "\n", b"line": "\n", b"sect": "\n", b"page": "\n", b"row": "\n", b"cell": "\t", b"tab": "\t"}
_RTF_WORDS |= {b"emdash": "—", b"endash": "–", b"lquote": "‘", b"rquote": "’", b"ldblquote": "“", b"rdblquote": "”"}
_RTF_SYMBOLS = {b"~": "\u00a0", b"_": "-", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n"}


def _rtf(data: bytes) -> Extracted:
    codec = _rtf_codec(data[:65536])
    try:
        text = _RtfReader(codec).read(data)
    except Exception as exc:  # a malformed file must not escape as a traceback
        raise InputError(f"cannot read rtf: {_reason(exc)}") from None
    return Extracted(_nonblank(_tidy(text), "rtf has no text"), f"rtf:{codec}")


def _rtf_codec(head: bytes) -> str:
    """The codec of ``\\'hh`` bytes: ``\\ansicpg``, else a Chinese font charset, else cp1252."""
    match = re.search(rb"\\ansicpg(\d+)", head)
    page = int(match.group(1)) if match else 1252
    if page == 1252 and re.search(rb"\\fcharset(134|136)\b", head):
        page = 936 if b"\\fcharset134" in head else 950
    name = {936: "gb18030", 950: "cp950"}.get(page, f"cp{page}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


class _RtfReader:
    """A state machine over RTF tokens; ignorable groups are skipped whole."""

    def __init__(self, codec: str) -> None:
        self._codec = codec
        self._out: list[str] = []
        self._bytes = bytearray()
        self._stack: list[tuple[bool, int]] = []
        self._skipping = False
        self._uc = 1  # fallback characters that follow each \uN
        self._pending = 0  # fallback characters still to drop

    def read(self, data: bytes) -> str:
        for match in _RTF_TOKEN.finditer(data):
            word, arg, hexbyte, symbol, brace, plain = match.groups()
            if hexbyte is not None:
                self._byte(int(hexbyte, 16))
                continue
            self._flush()
            if brace is not None:
                self._brace(brace)
            elif word is not None:
                self._word(word, arg)
            elif symbol is not None:
                self._symbol(symbol)
            elif plain is not None:
                self._plain(plain.decode(self._codec, "replace"))
        self._flush()
        text = "".join(self._out)
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")

    def _brace(self, brace: bytes) -> None:
        if brace == b"{":
            self._stack.append((self._skipping, self._uc))
        elif self._stack:
            self._skipping, self._uc = self._stack.pop()

    def _word(self, word: bytes, arg: bytes | None) -> None:
        if word in _RTF_SKIP:
            self._skipping = True
        elif word == b"uc" and arg is not None:
            self._uc = int(arg)
        elif word == b"u" and arg is not None:
            self._emit(chr(int(arg) % 65536))
            self._pending = self._uc
        elif word in _RTF_WORDS:
            self._emit(_RTF_WORDS[word])

    def _symbol(self, symbol: bytes) -> None:
        if symbol == b"*":
            self._skipping = True
        elif symbol in _RTF_SYMBOLS:
            self._emit(_RTF_SYMBOLS[symbol])

    def _plain(self, text: str) -> None:
        if self._pending:
            dropped = min(self._pending, len(text))
            self._pending -= dropped
            text = text[dropped:]
        self._emit(text)

    def _byte(self, value: int) -> None:
        if self._pending:
            self._pending -= 1
        elif not self._skipping:
            self._bytes.append(value)

    def _flush(self) -> None:
        if self._bytes:
            self._out.append(self._bytes.decode(self._codec, "replace"))
            self._bytes.clear()

    def _emit(self, text: str) -> None:
        if not self._skipping and text:
            self._pending = 0
            self._out.append(text)
