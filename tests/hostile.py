"""Hostile-fixture generator: a folder holding everything issue 8 says a scan must survive.

``build(base)`` writes, under ``base/corpus``, at test time (bombs are made on
the fly, never committed): decompression bombs (a DOCX zip bomb, a DOCX whose
sizes lie, a billion-laughs DOCX, XXE and external-DTD DOCX, a zip-slip DOCX, a
PDF with a 20-filter Flate chain and a PDF whose stream inflates past 64 MiB),
a 20 MiB line without a newline, 200,000 one-character lines, a CSV field of
200,000 characters, binaries (an executable, images renamed ``.txt``, noise),
empty, whitespace-only and BOM-only files, UTF-16 without a BOM, invalid byte
sequences, FIFOs, a socket, dangling, looping and escaping symbolic links,
50 nested folders, look-alike names, names with control characters, escape
sequences, newlines, bidi overrides, undecodable bytes and rich markup,
speeches carrying ``<script>`` and escape sequences, malformed JSONL and CSV,
1,000 files holding only ``同志们``, ``copies`` byte-identical speeches and a
near copy of them, and a small corpus where one paragraph is in half the files.

:class:`Hostile` says what was built, so a test can check that every input
was processed or named in a warning. Run as a script to build one folder:
``python tests/hostile.py /tmp/hostile``.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import random
import shutil
import socket
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MiB = 2**20
MARKER = "OUTSIDE-MARKER-7f3a"  # the text of the file outside the corpus: it must never be read
SCRIPT = "<script>alert(1)</script>"

_PHRASES = (
    "同志们，今天我们召开这次会议，主要任务是总结工作、分析形势、部署任务",
    "过去一年，在上级党委的坚强领导下，全体干部职工团结一心、攻坚克难",
    "各项工作取得了新的进展，经济社会发展保持了稳中有进的良好态势",
    "我们也要清醒地看到，当前工作中还存在一些不容忽视的问题和短板",
    "一些单位责任落实不到位，工作作风不够扎实，基层基础仍然薄弱",
    "要坚持以人民为中心的发展思想，着力解决群众急难愁盼的问题",
    "要深入推进改革创新，破除体制机制障碍，激发各类市场主体活力",
    "要压紧压实各级责任，层层传导压力，确保各项任务落到实处",
    "要加强队伍建设，提升干部队伍的专业素养和履职能力",
    "要强化督查考核，对工作不力、敷衍塞责的严肃追责问责",
    "安全生产责任重于泰山，必须时刻绷紧安全这根弦",
    "防汛抗旱工作事关人民群众生命财产安全，各地要提前做好准备",
    "乡村振兴是新时代三农工作的总抓手，要统筹推进产业、人才、文化、生态、组织振兴",
    "营商环境是发展的生命线，要持续深化放管服改革",
    "生态环境保护是功在当代、利在千秋的事业",
    "要坚持问题导向，聚焦重点领域和关键环节，集中力量攻坚突破",
    "让我们更加紧密地团结起来，以更加昂扬的斗志、更加务实的作风",
    "为全面完成今年各项目标任务而努力奋斗",
)


@dataclass
class Hostile:
    """What :func:`build` made.

    ``unsupported`` holds the paths of files that are not a corpus type (they
    are skipped and counted, not warned about); every other entry under
    ``root`` that is not hidden must be processed or warned about.
    """

    root: Path
    outside: Path
    cases: dict[str, list[str]] = field(default_factory=dict)
    unsupported: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # cases this platform cannot build

    def add(self, case: str, *paths: Path | str) -> None:
        self.cases.setdefault(case, []).extend(os.fsdecode(os.path.relpath(p, self.root)) for p in paths)

    def size(self) -> int:
        """Bytes in the corpus's regular files (not following links)."""
        total = 0
        for folder, _, files in os.walk(self.root):
            for name in files:
                info = os.lstat(os.path.join(folder, name))
                total += info.st_size if not os.path.islink(os.path.join(folder, name)) else 0
        return total


# --------------------------------------------------------------------------
# texts


def speech(seed: int, paragraphs: int = 8, *, place: str = "") -> str:
    """A Chinese speech of about 150 characters a paragraph, the same for the same seed."""
    rng = random.Random(seed)
    title = f"在{place or rng.choice('东西南北中')}{rng.choice(['市', '县', '区'])}{seed}号工作会议上的讲话"
    lines = [title, "同志们："]
    for _ in range(paragraphs):
        lines.append("，".join(rng.sample(_PHRASES, 4)) + f"，第{rng.randrange(1000)}项任务。")
    return "\n".join(lines) + "\n"


def write(path: Path | bytes, data: bytes | str) -> None:
    """Write bytes (or UTF-8 text); ``path`` may be a bytes path (names that are not UTF-8)."""
    raw = os.fsencode(path)
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    with open(raw, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


# --------------------------------------------------------------------------
# DOCX

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(paragraphs: Iterable[str], doctype: str = "") -> str:
    """A WordprocessingML main part; paragraphs are inserted as given (entity references stay)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    return f'{head}{doctype}<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'


def docx(paragraphs: Iterable[str] = (), *, doctype: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX that python-docx opens."""
    return _zip({"word/document.xml": document_xml(paragraphs, doctype).encode(), **(extra or {})})


def _zip(members: dict[str, bytes]) -> bytes:
    """A deflated archive with the package parts python-docx needs, then ``members``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx(path: Path, unpacked: int = 256 * MiB) -> None:
    """A DOCX with a member of ``unpacked`` zero bytes (about 1000:1), streamed to disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document_xml(["炸弹"]))
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = bytes(MiB)
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(unpacked // MiB):
                member.write(chunk)


def lying_docx(unpacked: int = 64 * MiB, declared: int = 1000) -> bytes:
    """A DOCX whose main part inflates to ``unpacked`` bytes but declares ``declared`` in both its headers."""
    xml = document_xml(["谎报大小"]).encode()
    data = bytearray(_zip({"word/document.xml": xml + b" " * (unpacked - len(xml))}))
    name = b"word/document.xml"
    # (signature, offset of the name length, offset of the name, offset of the uncompressed size)
    for signature, length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if bytes(data[at + name_at : at + name_at + length]) == name:
                struct.pack_into("<I", data, at + size_at, declared)
            at = data.find(signature, at + 4)
    return bytes(data)


def billion_laughs_docx() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    return docx(["开头", "&a9;", "结尾"], doctype=f"<!DOCTYPE w:document [{entities}]>")


def xxe_docx(secret: Path) -> bytes:
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    return docx(["外部实体：&xxe;"], doctype=doctype)


def external_dtd_docx() -> bytes:
    # A closed local port: a parser that fetched it would fail or hang, not read it.
    return docx(["外部文档类型定义"], doctype='<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/evil.dtd">')


def zip_slip_docx() -> bytes:
    return docx(["路径穿越"], extra={"../../evil.txt": b"escaped", "/tmp/evil.txt": b"escaped"})


# --------------------------------------------------------------------------
# PDF


def pdf(content: bytes, *, filters: int = 0) -> bytes:
    """A one-page PDF whose content stream is ``content`` deflated ``filters`` times (a Flate chain)."""
    stream = content
    for _ in range(filters):
        stream = zlib.compress(stream, 9)
    return pdf_stream(stream, filters)


def pdf_stream(stream: bytes, filters: int) -> bytes:
    """A one-page PDF whose content stream is ``stream``, decoded by ``filters`` Flate filters in a row."""
    chain = f" /Filter [{' '.join(['/FlateDecode'] * filters)}]" if filters else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)}{chain} >>\nstream\n".encode() + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_text(text: str) -> bytes:
    """Page content showing one line of (ASCII) ``text``."""
    return f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET\n".encode()


def pdf_flate_bomb(unpacked: int = 64 * MiB) -> bytes:
    """A PDF whose content stream inflates to ``unpacked`` bytes: a run of spaces deflated twice."""
    deflate = zlib.compressobj(9)
    chunk = b" " * MiB
    once = deflate.compress(pdf_text("bomb")) + b"".join(deflate.compress(chunk) for _ in range(unpacked // MiB))
    return pdf_stream(zlib.compress(once + deflate.flush(), 9), 2)


# --------------------------------------------------------------------------
# small binaries


def png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
        + chunk(b"IEND", b"")
    )


def jpeg_header() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8


def executable() -> bytes:
    """The first 256 KiB of this Python's executable (an ELF or Mach-O binary)."""
    with open(os.path.realpath(sys.executable), "rb") as handle:
        return handle.read(256 * 1024)


# --------------------------------------------------------------------------
# the folder


def permission_checked() -> list[str] | None:
    """The command prefix under which the operating system's file permission checks apply, or None.

    Root reads a file or folder of mode 000 all the same (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), and
    CI runs as root: there the command runs as root without those two capabilities (``setpriv``), which
    the kernel then refuses as it refuses any other user. Not as ``nobody``: the interpreter, the
    virtual environment and the clone may lie in folders only root can read. ``[]`` for any other user
    (and where there are no such permissions); None for root without ``setpriv`` (util-linux).
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"]


def build(base: Path, *, copies: int = 10_000) -> Hostile:
    """Write the hostile corpus under ``base/corpus`` (and one file outside it, ``base/outside``)."""
    root = base / "corpus"
    root.mkdir(parents=True)
    outside = base / "outside" / "secret.txt"
    write(outside, f"{MARKER}\n{speech(999)}")
    made = Hostile(root, outside)
    _bombs(made)
    _sizes(made)
    _content(made)
    _records(made)
    _specials(made)
    _links(made)
    _names(made)
    _scale(made, copies)
    return made


def _bombs(made: Hostile) -> None:
    root = made.root / "bombs"
    root.mkdir()
    zip_bomb_docx(root / "zip-bomb.docx", 128 * MiB)
    files = {
        "lying-sizes.docx": lying_docx(),
        "billion-laughs.docx": billion_laughs_docx(),
        "xxe.docx": xxe_docx(made.outside),
        "external-dtd.docx": external_dtd_docx(),
        "zip-slip.docx": zip_slip_docx(),
        "good.docx": docx(speech(1).splitlines()),
        "flate-chain.pdf": pdf(pdf_text("twenty filters"), filters=20),
        "flate-bomb.pdf": pdf_flate_bomb(),
        "good.pdf": pdf(pdf_text("A plain PDF speech about safety work"), filters=1),
        "truncated.pdf": pdf(pdf_text("cut short"))[:200],
        "broken.docx": docx(["断"])[:300],
    }
    for name, data in files.items():
        write(root / name, data)
    made.add("bombs", root / "zip-bomb.docx", *(root / name for name in files))


def _sizes(made: Hostile) -> None:
    root = made.root / "sizes"
    root.mkdir()
    line = ("各位代表，现在我代表县人民政府报告工作" + "abcdefghij" * 3).encode()
    with open(root / "one-line-20mib.txt", "wb") as handle:
        for _ in range(20 * MiB // len(line)):
            handle.write(line)
    write(root / "200000-lines.txt", "\n".join("讲" for _ in range(200_000)))
    write(root / "wide-field.csv", f"id,text\nwide,{'长' * 200_000}\nnarrow,{speech(2)!r}\n")
    made.add("sizes", *(root / n for n in ("one-line-20mib.txt", "200000-lines.txt", "wide-field.csv")))


def _content(made: Hostile) -> None:
    root = made.root / "content"
    gb = speech(3).encode("gb18030")
    text = speech(4)
    files: dict[str, bytes] = {
        "program": executable(),
        "program.txt": executable(),
        "photo.txt": png(),
        "scan.txt": jpeg_header(),
        "noise.txt": random.Random(5).randbytes(64 * 1024),
        "empty.txt": b"",
        "whitespace.txt": " \t\r\n\u3000\n".encode(),
        "bom-only.txt": codecs.BOM_UTF8,
        "bom-only-utf16.txt": codecs.BOM_UTF16_LE,
        "utf16le-no-bom.txt": speech(6).encode("utf-16-le"),
        "utf16be-no-bom.txt": speech(7).encode("utf-16-be"),
        "utf16-no-ascii.txt": "".join(c for c in speech(8) if not c.isascii() and c != "\u3000").encode("utf-16-le"),
        "gb18030-3-bad-bytes.txt": gb[:300] + b"\xff" + gb[300:600] + b"\x80\xff" + gb[600:],
        "utf8-bad-bytes.txt": text.encode()[:301] + text.encode()[302:],  # a cut multi-byte character
        "noncharacters.txt": f"\ufffe\uffff开头\n{speech(9)}\ufdd0".encode(),
        "controls.txt": f"控制字符\x01\x02\x7f\x1b[2J\x1b]0;title\x07\n{speech(10)}".encode(),
        "payload.html": f"<html><body><p>{speech(11)}</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        f"<script>alert(2)</script></body></html>".encode(),
        "payload.txt": f"{SCRIPT}\n\x1b[31m[bold red]红色[/bold red]\x1b[0m \u202eevil\u202c\n{speech(12)}".encode(),
        "README": speech(13).encode(),
        "page": f"<!DOCTYPE html><html><body><p>{speech(14)}</p></body></html>".encode(),
        "report": pdf(pdf_text("A PDF without an extension")),
        "letter": docx(speech(15).splitlines()),
        "--help.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "wps.doc": b"{\\rtf1\\ansi\\ansicpg936 " + speech(16).encode("gbk").replace(b"\n", b"\\par ") + b"}",
        "mime.doc": b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nno html part",
    }
    for name, data in files.items():
        write(root / name, data)
    for name in ("sheet.xlsx", "photo.jpg", "archive.tar.gz", "movie.mp4"):
        write(root / name, b"PK\x03\x04" + bytes(100))
        made.unsupported.add(f"content/{name}")
    write(root / ".hidden.txt", speech(17))
    write(root / ".git" / "config", "[core]")
    made.hidden.update({"content/.hidden.txt", "content/.git"})
    made.add("content", *(root / name for name in files))


def _records(made: Hostile) -> None:
    root = made.root / "records"
    lines = [
        json.dumps({"id": "ok-1", "text": speech(20)}, ensure_ascii=False),
        "{not json",
        "[1, 2, 3]",
        json.dumps({"id": "no-text", "body": "x"}),
        json.dumps({"id": 42, "text": speech(21)}, ensure_ascii=False),
        json.dumps({"id": None, "text": speech(22)}, ensure_ascii=False),
        json.dumps({"id": {"nested": 1}, "text": speech(23)}, ensure_ascii=False),
        json.dumps({"id": "number-text", "text": 12345}),
        json.dumps({"id": "null-text", "text": None}),
        json.dumps({"id": "ok-1", "text": speech(24)}, ensure_ascii=False),  # a duplicated id
        '{"id": "surrogates", "text": "lone \\ud800 and \\udfff escapes ' + speech(25).replace("\n", "\\n") + '"}',
        json.dumps({"id": "nan", "text": speech(26), "score": float("nan")}, ensure_ascii=False),
        "[" * 50_000,
        json.dumps({"id": "control\u001b]0;x\u0007id", "text": speech(27)}, ensure_ascii=False),
        json.dumps({"id": "control\u001b]0;x\u0007id", "text": speech(19)}, ensure_ascii=False),  # warned: renamed
        json.dumps({"id": "ok-2", "text": "short"}),
    ]
    write(root / "corpus.jsonl", "\n".join(lines) + "\n")
    rows = 'id,text,speaker\r\nq1,"第一行\r\n第二行, 逗号",张\r\nshort,短行\r\n'
    rows += f"long,{speech(28).replace(chr(10), ' ')},李,多余,更多\r\nempty,,王\r\n"
    write(root / "bom.csv", codecs.BOM_UTF8 + rows.encode())
    write(root / "tabs.tsv", f"id\ttext\nt1\t{speech(29).replace(chr(10), ' ')}\n")
    write(root / "no-text-column.csv", "编号,正文\n1,甲\n")
    made.add("records", *(root / n for n in ("corpus.jsonl", "bom.csv", "tabs.tsv", "no-text-column.csv")))


def _specials(made: Hostile) -> None:
    root = made.root / "specials"
    root.mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        os.mkfifo(root / "pipe")
        made.add("specials", root / "pipe.txt", root / "pipe")
    else:
        made.notes.append("no FIFOs on this platform")
    sock = root / "socket.txt"
    if hasattr(socket, "AF_UNIX") and len(os.fsencode(sock)) < 100:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(sock))
        made.add("specials", sock)
    else:
        made.notes.append("no unix socket (unsupported, or the temporary path is too long)")
    locked = root / "locked"
    write(locked / "inside.txt", speech(30))
    write(root / "unreadable.txt", speech(31))
    os.chmod(root / "unreadable.txt", 0)
    os.chmod(locked, 0)
    made.add("specials", root / "unreadable.txt", locked)


def _links(made: Hostile) -> None:
    root = made.root / "links"
    root.mkdir()
    write(root / "real.txt", speech(32))
    links = {
        "to-real.txt": root / "real.txt",
        "dangling.txt": root / "missing.txt",
        "self.txt": root / "self.txt",
        "ping.txt": root / "pong.txt",
        "pong.txt": root / "ping.txt",
        "up": made.root,
        "leak.txt": made.outside,
        "leak-dir": made.outside.parent,
        "null.txt": Path(os.devnull),
        "zero.txt": Path("/dev/zero"),
        "etc": Path("/etc"),
    }
    for name, target in links.items():
        os.symlink(target, root / name)
    made.add("links", root / "real.txt", *(root / name for name in links))


def _names(made: Hostile) -> None:
    root = made.root / "names"
    deep = root.joinpath(*[f"d{n:02}" for n in range(1, 51)])
    write(deep / "deep.txt", speech(40))
    write(root / "a" / "speech.txt", speech(41))
    write(root / "b" / "speech.txt", speech(42))
    write(root / "x.txt" / "inside-a-folder-named-like-a-file.txt", speech(43))
    names = [
        "Case.txt",
        "case.txt",
        "CASE.TXT",
        "esc-\x1b]0;pwned\x07.txt",
        "color-\x1b[31mred\x1b[0m.txt",
        "new\nline.txt",
        "carriage\rreturn.txt",
        "tab\tname.txt",
        "bidi-\u202etxt.exe.txt",
        "[bold red]markup[/bold red].txt",
        "del-\x7f.txt",
        "c1-\u009b31m.txt",
        "<script>alert(1)<\u2215script>.txt",
        "-rf.txt",
        "空 格 与 全角　空格.txt",
    ]
    for i, name in enumerate(names):
        write(root / name, speech(50 + i))
    # the same kinds of names on inputs that are skipped, so that they are printed in warnings
    warned = {
        "empty-\x1b[2J\x1b[H.txt": b"",
        "binary-\x1b]0;pwned\x07.txt": b"\x7fELF\x02\x01\x01\x00" + bytes(64),
        "[red]warn[/red]-\u202eexe.txt": b"",
        "new\nline-empty.txt": b"",
        "c1-\u009b2J-empty.txt": b"",
    }
    for name, data in warned.items():
        write(root / name, data)
    names += list(warned)
    raw = os.fsencode(root)
    byte_names = [b"gbk-" + "关于讲话".encode("gbk") + b".txt", b"bad-\xff\xfe\xfd.txt"]
    for i, name in enumerate(byte_names):
        write(os.path.join(raw, name), speech(70 + i))
    byte_names.append(b"empty-\xff\xfe.txt")
    write(os.path.join(raw, byte_names[-1]), b"")
    made.add("names", deep / "deep.txt", root / "a/speech.txt", root / "b/speech.txt")
    made.add("names", root / "x.txt/inside-a-folder-named-like-a-file.txt", *(root / n for n in names))
    made.cases["names"].extend(os.fsdecode(os.path.join(b"names", n)) for n in byte_names)


def _scale(made: Hostile, copies: int) -> None:
    tiny = made.root / "tiny"
    for i in range(1000):
        write(tiny / f"{i:04}.txt", "同志们")
    same = made.root / "copies"
    template = f"{speech(80, 12)}\n{SCRIPT}\n".encode()
    for i in range(copies):
        write(same / f"{i:05}.txt", template)
    near = template.decode().replace("第", "第 ", 3).replace("同志们", "各位同志", 1)
    write(made.root / "near-copy.txt", near)
    half = made.root / "half"
    shared = "这一段话出现在一半的文件里，" + "，".join(_PHRASES[:6]) + "。"
    for i in range(40):
        text = speech(100 + i)
        write(half / f"{i:02}.txt", f"{text}{shared}\n" if i % 2 else text)
    made.add("tiny", tiny)
    made.add("copies", same)
    made.add("near-copy", made.root / "near-copy.txt")
    made.add("half", half)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    built = build(target, copies=int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    print(f"{built.root}: {built.size() / MiB:.1f} MiB", *built.notes, sep="\n")
