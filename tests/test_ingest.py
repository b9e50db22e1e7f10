"""Tests of dupdetect.read.ingest: decoding cascade, folder walking and JSONL."""

from __future__ import annotations

import codecs
import io
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import permission_checked
from hypothesis import assume, given
from hypothesis import strategies as st

from dupdetect.cli import EXIT_SKIPPED
from dupdetect.model.config import IngestConfig
from dupdetect.model.errors import ConfigError, DecodeError
from dupdetect.model.types import Document, ScanWarning, Span
from dupdetect.read.ingest import Skipped, decode_bytes, iter_documents, read_corpus
from tests.conftest import ROOT

# A simplified-script speech with the usual "×××" / "××县" placeholders.
GB_SPEECH = (
    "关于××县安全生产工作的报告\n"
    "\n"
    "各位代表：\n"
    "　　现在，我代表×××县人民政府，向大会报告工作，请予审议。\n"
    "　　过去一年，在××县委的坚强领导下，全县上下团结一心，攻坚克难，"
    "经济社会发展取得了显著成绩。×××同志多次强调，安全生产责任重于泰山。\n"
    "　　今年的主要任务是：坚持以人民为中心的发展思想，着力保障和改善民生，"
    "确保全年目标任务圆满完成。\n"
)
# The same kind of text in Traditional script, as Big5 would hold it.
BIG5_SPEECH = (
    "關於縣政府工作的報告\n"
    "各位代表：\n"
    "現在，我代表縣人民政府，向大會報告工作，請予審議。過去一年，"
    "全縣上下團結一心，經濟社會發展取得了顯著成績。我們堅持以人民為中心的發展思想，"
    "著力保障和改善民生。\n"
)

# Bytes that no detector reads as text (neither GB18030, Big5 nor any guess).
UNDECODABLE = bytes(range(0x80, 0x100)) * 2


def write(path: Path, data: bytes | str) -> Path:
    """Write bytes (or UTF-8 text) to ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def jsonl(*records: object) -> str:
    """JSONL text of ``records`` (strings are written as raw lines)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return "\n".join(lines) + "\n"


def ids(docs: tuple[Document, ...]) -> list[str]:
    return [d.id for d in docs]


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail (instead of hanging) if the test blocks for 10 seconds."""
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("needs SIGALRM")

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("ingest blocked")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------
# decode_bytes


def test_utf8() -> None:
    assert decode_bytes("各位代表：\r\n大家好。".encode()) == ("各位代表：\r\n大家好。", "utf-8")


def test_ascii_is_utf8() -> None:
    assert decode_bytes(b"plain text") == ("plain text", "utf-8")


def test_utf8_with_bom() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "你好".encode()) == ("你好", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_bytes(bom + GB_SPEECH.encode(codec)) == (GB_SPEECH, "utf-16")


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE
    assert decode_bytes(bom + GB_SPEECH.encode(codec)) == (GB_SPEECH, "utf-32")


def test_utf32_le_bom_is_not_taken_for_utf16() -> None:
    # FF FE 00 00 is also a UTF-16 LE BOM followed by U+0000.
    assert decode_bytes("A县".encode("utf-32")) == ("A县", "utf-32")


def test_bom_with_invalid_body_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe ok")


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb_speech_with_placeholders(codec: str) -> None:
    text, name = decode_bytes(GB_SPEECH.encode(codec))
    assert name == "gb18030"
    assert text == GB_SPEECH
    assert "×××" in text
    assert "××县" in text


def test_gb_text_that_is_also_valid_big5_is_read_as_gb() -> None:
    data = "政府工作报告".encode("gbk")
    assert data.decode("big5") != "政府工作报告"  # valid Big5 too: the ambiguity being resolved
    assert decode_bytes(data) == ("政府工作报告", "gb18030")


@pytest.mark.parametrize("title", ["政府工作报告", "关于××县的报告", "×××"])
def test_short_gbk_title(title: str) -> None:
    assert decode_bytes(title.encode("gbk")) == (title, "gb18030")


def test_big5_traditional_text_is_not_gb_garbage() -> None:
    data = BIG5_SPEECH.encode("big5")
    data.decode("gb18030")  # it "decodes" as GB18030 too, into nonsense
    assert decode_bytes(data) == (BIG5_SPEECH, "big5")


def test_big5_with_microsoft_extension_chars() -> None:
    text = BIG5_SPEECH + "這裏有碁局。"  # 裏 and 碁 exist in cp950, not in strict big5
    assert decode_bytes(text.encode("cp950")) == (text, "cp950")


def test_encoding_override_is_used() -> None:
    assert decode_bytes(GB_SPEECH.encode("gbk"), encoding="GBK") == (GB_SPEECH, "gbk")
    assert decode_bytes("abc".encode("utf-16-le"), encoding="utf-16-le") == ("abc", "utf-16-le")


def test_encoding_override_failure_names_codec_and_suggests_another() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(GB_SPEECH.encode("gbk"), encoding="utf-8")
    message = str(info.value)
    assert "not valid utf-8" in message
    assert "--encoding gb18030" in message
    assert "\n" not in message


def test_encoding_override_failure_without_detectable_alternative() -> None:
    with pytest.raises(DecodeError, match=r"not valid big5.*try --encoding utf-8 or gb18030"):
        decode_bytes(UNDECODABLE, encoding="big5")


@pytest.mark.parametrize("name", ["no-such-codec", "hex"])
def test_unknown_encoding_is_a_config_error(name: str) -> None:
    with pytest.raises(ConfigError, match="unknown text encoding"):
        decode_bytes(b"abc", encoding=name)


def test_stray_bom_after_forced_decoding_is_dropped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + b"abc", encoding="utf-8") == ("abc", "utf-8")


def test_binary_bytes_are_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(b"PK\x03\x04\x00\x00\x08\x00")


def test_undecodable_bytes_are_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode_bytes(UNDECODABLE)


@given(
    st.text(
        alphabet=st.one_of(st.characters(exclude_categories=["Cs", "Cc"]), st.sampled_from("\t\n\r\x0c\x1b")),
        max_size=200,
    )
)
def test_utf8_round_trip(text: str) -> None:
    # NUL and other control characters mark a binary file, a leading U+FEFF is a BOM: both by design.
    assume(not text.startswith("\ufeff"))
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


# --------------------------------------------------------------------------
# files and folders


def test_folder_walk_order_ids_and_fields(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "乙\n")
    write(root / "a.md", "\n\n  甲的标题  \n正文")
    write(root / "sub" / "z.txt", "丙")
    write(root / "sub" / "deeper" / "c.TXT", "丁")
    write(root / "sub-x" / "d.txt", "戊")
    write(root / "notes.xlsx", b"ignored")
    docs, warnings = read_corpus([root])
    assert warnings == ()
    assert ids(docs) == ["a.md", "b.txt", "sub-x/d.txt", "sub/deeper/c.TXT", "sub/z.txt"]
    first = docs[0]
    assert first.source == str(root / "a.md")
    assert first.text == "\n\n  甲的标题  \n正文"
    assert first.span == Span(0, len(first.text))
    assert first.title == "甲的标题"
    assert first.encoding == "utf-8"
    assert dict(first.meta) == {}


def test_direct_file_id_is_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / "deep" / "speech.txt", GB_SPEECH.encode("gb18030"))
    docs, warnings = read_corpus([str(path)])
    assert warnings == ()
    (doc,) = docs
    assert (doc.id, doc.source, doc.encoding) == ("speech.txt", str(path), "gb18030")
    assert doc.text == GB_SPEECH
    assert doc.title == "关于××县安全生产工作的报告"


def test_single_path_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "甲")
    assert ids(read_corpus(str(tmp_path))[0]) == ["a.txt"]


def test_paths_keep_their_given_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "甲")
    b = write(tmp_path / "b.txt", "乙")
    assert ids(read_corpus([b, a])[0]) == ["b.txt", "a.txt"]


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    text = "\u3000\u3000标题  \r\n\r\n正文\t末尾  \r\n\n"
    write(tmp_path / "a.txt", text)
    (doc,), _ = read_corpus([tmp_path])
    assert doc.text == text
    assert doc.title == "标题"


def test_title_is_cut_to_160_cells_80_chinese_characters_or_160_letters(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "长" * 200)
    english = "Remarks by Supervisor Maria Delgado at the Brenner County Annual Volunteer Recognition Evening"
    write(tmp_path / "b.txt", english + "\n\nThank you all for coming tonight.")
    write(tmp_path / "c.txt", "Remarks " * 40)
    chinese, whole, long = read_corpus([tmp_path])[0]
    assert chinese.title == "长" * 79 + "…"
    assert whole.title == english  # (88 letters: cut at 80, it read "... Volunteer Recog")
    assert long.title.endswith("Remarks…") and len(long.title) <= 160


def test_encodings_per_file(tmp_path: Path) -> None:
    write(tmp_path / "bom.txt", codecs.BOM_UTF8 + "甲".encode())
    write(tmp_path / "u16.txt", "乙".encode("utf-16"))
    write(tmp_path / "u32.txt", "丙".encode("utf-32"))
    write(tmp_path / "big5.txt", BIG5_SPEECH.encode("big5"))
    docs, warnings = read_corpus([tmp_path])
    assert warnings == ()
    assert [(d.id, d.text[:1], d.encoding) for d in docs] == [
        ("big5.txt", "關", "big5"),
        ("bom.txt", "甲", "utf-8-sig"),
        ("u16.txt", "乙", "utf-16"),
        ("u32.txt", "丙", "utf-32"),
    ]


def test_forced_encoding_applies_to_every_file(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GB_SPEECH.encode("gbk"))
    write(tmp_path / "b.txt", BIG5_SPEECH.encode("big5"))
    docs, warnings = read_corpus([tmp_path], config=IngestConfig(encoding="gbk"))
    assert [(d.id, d.encoding) for d in docs] == [("a.txt", "gbk")]
    assert [w.source for w in warnings] == [str(tmp_path / "b.txt")]
    assert "not valid gbk" in warnings[0].message


def test_unknown_forced_encoding_raises_at_call(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        iter_documents([tmp_path], config=IngestConfig(encoding="nope"), on_warning=print)


def test_bad_files_are_warned_once_and_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "甲")
    write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "garbage.txt", UNDECODABLE)
    write(tmp_path / "z.txt", "乙")
    docs, warnings = read_corpus([tmp_path])
    assert ids(docs) == ["a.txt", "z.txt"]
    assert [w.source for w in warnings] == [str(tmp_path / "binary.txt"), str(tmp_path / "garbage.txt")]
    assert "binary file" in warnings[0].message
    assert "encoding" in warnings[1].message


@pytest.mark.parametrize(("data", "phrase"), [(b"", "empty file"), (" \r\n\t\u3000\n".encode(), "whitespace")])
def test_empty_file_warning(tmp_path: Path, data: bytes, phrase: str) -> None:
    path = write(tmp_path / "empty.txt", data)
    write(tmp_path / "ok.txt", "甲")
    docs, warnings = read_corpus([tmp_path])
    assert ids(docs) == ["ok.txt"]
    assert len(warnings) == 1
    assert warnings[0].source == str(path)
    assert phrase in warnings[0].message


def test_duplicate_ids_are_renamed(tmp_path: Path) -> None:
    write(tmp_path / "one" / "a.txt", "甲")
    write(tmp_path / "two" / "a.txt", "乙")
    third = write(tmp_path / "three" / "a.txt", "丙")
    docs, warnings = read_corpus([tmp_path / "one", tmp_path / "two", third])
    assert ids(docs) == ["a.txt", "a.txt~2", "a.txt~3"]
    assert [d.text for d in docs] == ["甲", "乙", "丙"]
    assert warnings == (
        ScanWarning(str(tmp_path / "two" / "a.txt"), "duplicate id 'a.txt'; renamed to 'a.txt~2'"),
        ScanWarning(str(third), "duplicate id 'a.txt'; renamed to 'a.txt~3'"),
    )


def test_renamed_id_does_not_collide_with_a_real_one(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.jsonl", jsonl({"id": "x", "text": "1"}, {"id": "x", "text": "2"}, {"id": "x~2", "text": "3"})
    )
    docs, warnings = read_corpus([path])
    assert ids(docs) == ["x", "x~2", "x~2~2"]
    assert len(warnings) == 2


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".hidden.txt", "隐")
    write(tmp_path / ".git" / "a.txt", "隐")
    write(tmp_path / "sub" / ".cache" / "b.txt", "隐")
    write(tmp_path / "sub" / "c.txt", "显")
    docs, warnings = read_corpus([tmp_path])
    assert (ids(docs), warnings) == (["sub/c.txt"], ())


def test_hidden_root_folder_given_explicitly_is_scanned(tmp_path: Path) -> None:
    write(tmp_path / ".corpus" / "a.txt", "甲")
    assert ids(read_corpus([tmp_path / ".corpus"])[0]) == ["a.txt"]


def test_missing_path_and_unsupported_extension_warn(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    sheet = write(tmp_path / "speech.xlsx", b"PK\x03\x04")
    ok = write(tmp_path / "ok.txt", "甲")
    docs, warnings = read_corpus([missing, sheet, ok])
    assert ids(docs) == ["ok.txt"]
    assert [w.source for w in warnings] == [str(missing), str(sheet)]
    assert "no such file or folder" in warnings[0].message
    assert "unsupported file type '.xlsx'" in warnings[1].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.usefixtures("alarm")
def test_fifo_in_folder_is_skipped_without_blocking(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "甲")
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe")
    docs, warnings = read_corpus([tmp_path])
    assert ids(docs) == ["a.txt"]
    assert [w.source for w in warnings] == [str(tmp_path / "pipe"), str(tmp_path / "pipe.txt")]
    assert all("not a regular file" in w.message for w in warnings)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.usefixtures("alarm")
def test_fifo_given_directly_is_skipped_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    docs, warnings = read_corpus([fifo])
    assert docs == ()
    assert len(warnings) == 1
    assert "not a regular file" in warnings[0].message


def test_unreadable_file_is_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = write(tmp_path / "secret.txt", "密")
    write(tmp_path / "ok.txt", "甲")
    real_open = os.open

    def deny(path: str, flags: int, *args: int) -> int:
        if os.fspath(path) == str(secret):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    docs, warnings = read_corpus([tmp_path])
    assert ids(docs) == ["ok.txt"]
    assert warnings == (ScanWarning(str(secret), "cannot read file: permission denied; check its permissions"),)


def test_unreadable_subfolder_is_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    write(locked / "a.txt", "甲")
    write(tmp_path / "b.txt", "乙")
    real_scandir = os.scandir

    def deny(path: str) -> Iterator[os.DirEntry[str]]:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    docs, warnings = read_corpus([tmp_path])
    assert ids(docs) == ["b.txt"]
    assert warnings == (ScanWarning(str(locked), "cannot read folder: permission denied; check its permissions"),)


def test_unreadable_folder_is_named_in_one_warning_line_and_the_scan_exits_skipped(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("needs POSIX file permissions")
    prefix = permission_checked()
    if prefix is None:
        pytest.skip("running as root, and no setpriv (util-linux) to drop the capabilities that ignore permissions")
    corpus = tmp_path / "corpus"
    locked = corpus / "locked"
    write(locked / "a.txt", GB_SPEECH)
    write(corpus / "b.txt", GB_SPEECH)
    env = dict(os.environ, COLUMNS="1000", PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    command = [*prefix, sys.executable, "-m", "dupdetect", "scan", str(corpus), "--format", "json"]
    locked.chmod(0)
    try:
        done = subprocess.run(command, capture_output=True, env=env, stdin=subprocess.DEVNULL, timeout=120, check=False)
    finally:
        locked.chmod(0o755)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == EXIT_SKIPPED, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if str(locked) in line] == [
        f"warning: {locked}: cannot read folder: permission denied; check its permissions"
    ]
    report = json.loads(done.stdout)
    assert [d["id"] for d in report["documents"]] == ["b.txt"]
    assert [w["source"] for w in report["warnings"]] == [str(locked)]


@pytest.mark.skipif(sys.platform == "win32", reason="needs symlinks")
@pytest.mark.usefixtures("alarm")
def test_symbolic_links_are_not_followed_by_default(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "sub" / "a.txt", "甲")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "link.txt").symlink_to(root / "sub" / "a.txt")
    (root / "broken.txt").symlink_to(tmp_path / "gone.txt")
    docs, warnings = read_corpus([root])
    assert ids(docs) == ["sub/a.txt"]
    assert [w.source for w in warnings] == [str(root / n) for n in ("broken.txt", "link.txt", "sub/loop")]
    assert all(w.message.startswith("symbolic link; not followed (--follow-links") for w in warnings)


@pytest.mark.skipif(sys.platform != "linux", reason="needs byte file names")
def test_gbk_file_names_are_decoded(tmp_path: Path) -> None:
    # What unzipping a Windows archive on Linux leaves behind.
    folder = os.fsencode(tmp_path / "讲话")
    os.mkdir(folder)
    with open(os.path.join(folder, "关于××县.txt".encode("gbk")), "wb") as handle:
        handle.write("甲".encode())
    (doc,), warnings = read_corpus([tmp_path])
    assert warnings == ()
    assert doc.id == "讲话/关于××县.txt"
    assert doc.source == str(tmp_path / "讲话" / "关于××县.txt")


def test_empty_path_is_warned_not_taken_as_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a.txt", "甲")
    monkeypatch.chdir(tmp_path)
    docs, warnings = read_corpus([""])
    assert docs == ()
    assert warnings == (ScanWarning(".", "empty path; give a file or folder"),)


def test_utf8_bom_file_with_nul_bytes_is_binary() -> None:
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(codecs.BOM_UTF8 + b"abc\x00def")


def test_iteration_is_lazy_and_warnings_come_in_order(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "甲")
    write(tmp_path / "b.txt", b"")
    write(tmp_path / "c.txt", "丙")
    events: list[str] = []
    stream = iter_documents([tmp_path], on_warning=lambda w: events.append("warn " + Path(w.source).name))
    assert events == []
    events.extend("doc " + d.id for d in stream)
    assert events == ["doc a.txt", "warn b.txt", "doc c.txt"]


# --------------------------------------------------------------------------
# JSONL


def test_jsonl_records(tmp_path: Path) -> None:
    records = [
        {"id": "s1", "text": "第一篇讲话\n正文", "speaker": "张三", "year": 2023, "tags": ["a", "乙"]},
        {"text": "没有编号的讲话", "id": None},
        {"id": 7, "text": "数字编号"},
    ]
    path = write(tmp_path / "data" / "speeches.jsonl", jsonl(*records))
    docs, warnings = read_corpus([tmp_path / "data"])
    assert warnings == (
        ScanWarning(f"{path}:2", "'id' field is null, not a string; the record is named by its line"),
        ScanWarning(f"{path}:3", "'id' field is a number, not a string; the record is named '7'"),
    )
    assert ids(docs) == ["s1", "speeches.jsonl:2", "7"]
    first = docs[0]
    assert first.source == f"{path}:1"
    assert first.text == "第一篇讲话\n正文"
    assert first.span == Span(0, len(first.text))
    assert first.title == "第一篇讲话"
    assert first.encoding == "utf-8"
    assert dict(first.meta) == {"speaker": "张三", "year": "2023", "tags": '["a", "乙"]'}
    assert dict(docs[1].meta) == {}


def test_jsonl_bad_lines_warn_with_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.ndjson",
        jsonl(
            {"id": "a", "text": "甲"},
            "{not json",
            "[1, 2]",
            {"id": "b", "body": "乙"},
            "",
            {"id": "c", "text": 5},
            {"id": "d", "text": "  "},
            {"id": "e", "text": "戊"},
        ),
    )
    docs, warnings = read_corpus([path])
    assert ids(docs) == ["a", "e"]
    assert [w.source for w in warnings] == [f"{path}:{n}" for n in (2, 3, 4, 6, 7)]
    messages = [w.message for w in warnings]
    assert messages[0].startswith("invalid JSON")
    assert "not an object" in messages[1]
    assert "no 'text' field" in messages[2]
    assert "not a string" in messages[3]
    assert "empty" in messages[4]
    assert all(m == m.strip() and "\n" not in m for m in messages)


def test_jsonl_custom_fields_and_gb_encoding(tmp_path: Path) -> None:
    data = jsonl({"key": "k1", "body": GB_SPEECH, "id": "kept in meta"}).encode("gb18030")
    path = write(tmp_path / "d.JSONL", data)
    docs, warnings = read_corpus([path], config=IngestConfig(id_field="key", text_field="body"))
    assert warnings == ()
    (doc,) = docs
    assert (doc.id, doc.text, doc.encoding) == ("k1", GB_SPEECH, "gb18030")
    assert dict(doc.meta) == {"id": "kept in meta"}


def test_jsonl_with_crlf_and_bom(tmp_path: Path) -> None:
    text = jsonl({"id": "a", "text": "甲"}, {"id": "b", "text": "乙"}).replace("\n", "\r\n")
    path = write(tmp_path / "d.jsonl", codecs.BOM_UTF8 + text.encode())
    docs, warnings = read_corpus([path])
    assert (ids(docs), warnings) == (["a", "b"], ())
    assert docs[0].encoding == "utf-8-sig"


def test_empty_jsonl_file_warns(tmp_path: Path) -> None:
    path = write(tmp_path / "d.jsonl", "\n\n")
    docs, warnings = read_corpus([path])
    assert docs == ()
    assert [w.source for w in warnings] == [str(path)]


def test_jsonl_title_field_is_the_document_title(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    records = [
        {"id": "a", "text": "第一行\n正文", "title": "  在全市会议上的讲话 "},
        {"id": "b", "text": "第一行\n正文"},
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    docs, _ = read_corpus([corpus])
    assert [d.title for d in docs] == ["在全市会议上的讲话", "第一行"]


def test_jsonl_html_field_is_read_like_an_html_page(tmp_path: Path) -> None:
    page = (
        "<html><head><title>在全县安全生产工作会议上的讲话_某某县人民政府</title></head><body>"
        "<div>首页 | 政务公开 | 办事服务</div><h1>在全县安全生产工作会议上的讲话</h1><p>发布时间：2024-03-18</p>"
        "<p>同志们：今天召开全县安全生产工作会议，主要任务是总结去年工作，部署今年任务。<script>x()</script></p>"
        "</body></html>"
    )
    records = [
        {"id": "a", "html": page, "url": "http://example.org/a"},
        {"id": "b", "html": page, "title": "爬虫给的标题"},
        {"id": "c", "text": "正文在文本里", "html": page},
        {"id": "d", "html": "<html><body><script>x()</script></body></html>"},
    ]
    path = write(tmp_path / "crawl.jsonl", jsonl(*records))
    docs, warnings = read_corpus([path])
    assert ids(docs) == ["a", "b", "c"]
    first = docs[0]
    assert first.encoding == "html"
    assert "同志们：今天召开" in first.text and "x()" not in first.text and "<p>" not in first.text
    assert first.title == "在全县安全生产工作会议上的讲话"
    assert dict(first.meta) == {"url": "http://example.org/a", "title": "在全县安全生产工作会议上的讲话"}
    assert "首页" in first.page
    assert docs[1].title == "爬虫给的标题"
    assert (docs[2].text, docs[2].encoding) == ("正文在文本里", "utf-8")
    assert warnings == (ScanWarning(f"{path}:4", "html page has no text"),)


# --------------------------------------------------------------------------
# CSV

CSV_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "corpus.csv"


def test_csv_rows_are_documents(tmp_path: Path) -> None:
    docs, warnings = read_corpus([CSV_FIXTURE])
    assert ids(docs) == ["c1", "c2"]
    first = docs[0]
    assert first.text.startswith("同志们：\r\n当前已进入主汛期，")  # kept exactly, CRLF inside the quoted field
    assert first.span == Span(0, len(first.text))
    assert (first.source, first.encoding, first.title) == (
        f"{CSV_FIXTURE}:2",
        "csv:utf-8-sig",
        "在全镇防汛工作会议上的讲话",
    )
    assert dict(first.meta) == {"title": "在全镇防汛工作会议上的讲话", "speaker": "张某"}
    assert warnings == (ScanWarning(f"{CSV_FIXTURE}:4", "row has no text in the 'text' column"),)


def test_csv_field_of_200000_characters(tmp_path: Path) -> None:
    body = "各位代表，现在我代表县人民政府报告工作。" * 10_000
    assert len(body) == 200_000
    path = write(tmp_path / "big.csv", f"id,text\nbig,{body}\nsmall,短文\n")
    docs, warnings = read_corpus([path])
    assert warnings == ()
    assert [(d.id, len(d.text)) for d in docs] == [("big", 200_000), ("small", 2)]


def test_tsv_in_gb18030_with_custom_fields_and_blank_rows(tmp_path: Path) -> None:
    rows = ["key\tbody\tid", "k1\t" + GB_SPEECH.replace("\n", " ") + "\t编号一", "", "\t第二篇讲话正文\t"]
    path = write(tmp_path / "d.TSV", "\r\n".join(rows).encode("gb18030"))
    docs, warnings = read_corpus([path], config=IngestConfig(id_field="key", text_field="body"))
    assert warnings == ()
    assert ids(docs) == ["k1", "d.TSV:4"]
    assert docs[0].encoding == "csv:gb18030"
    assert dict(docs[0].meta) == {"id": "编号一"}
    assert docs[1].text == "第二篇讲话正文"


def test_csv_row_numbers_count_records_not_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", 'id,text\na,"第一行\n第二行"\nb,\nc,丙\n')
    docs, warnings = read_corpus([path])
    assert [(d.id, d.source) for d in docs] == [("a", f"{path}:2"), ("c", f"{path}:4")]
    assert [w.source for w in warnings] == [f"{path}:3"]


def test_csv_without_the_text_column_warns_once(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "编号,正文\n1,甲\n2,乙\n")
    docs, warnings = read_corpus([path])
    assert docs == ()
    assert warnings == (
        ScanWarning(
            str(path),
            "csv header has no 'text' column (columns: '编号', '正文'); give the column holding the text "
            "with --text-field (text_field in a config file)",
        ),
    )
    docs, warnings = read_corpus([path], config=IngestConfig(text_field="正文"))
    assert (ids(docs), warnings) == (["d.csv:2", "d.csv:3"], ())


def test_csv_duplicate_ids_are_renamed(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "id,text\nx,甲\nx,乙\n")
    docs, warnings = read_corpus([path])
    assert ids(docs) == ["x", "x~2"]
    assert [w.source for w in warnings] == [f"{path}:3"]


def test_csv_in_a_folder_with_an_unsupported_excel_file(tmp_path: Path) -> None:
    write(tmp_path / "a.csv", "id,text\n1,甲\n")
    write(tmp_path / "b.xlsx", b"PK\x03\x04")
    assert (ids(read_corpus([tmp_path])[0]), read_corpus([tmp_path])[1]) == (["1"], ())


# --------------------------------------------------------------------------
# hostile folders: links, special files, names, content, records (issue 8)

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="needs symlinks")
FOLLOW = IngestConfig(follow_links=True)


def by_source(warnings: tuple[ScanWarning, ...], root: Path) -> dict[str, str]:
    """Each warning's message by its source relative to ``root``."""
    return {os.path.relpath(w.source, root): w.message for w in warnings}


@needs_symlinks
@pytest.mark.usefixtures("alarm")
def test_follow_links_stays_inside_the_scanned_folders(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    outside = write(tmp_path / "outside" / "secret.txt", "外部机密文件")
    write(root / "sub" / "a.txt", "甲")
    write(root / "other" / "b.txt", "乙")
    write(root / ".store" / "blob", "存储区里的讲话")  # a content-addressed store, as git-annex keeps
    (root / "file-link.txt").symlink_to(root / "sub" / "a.txt")
    (root / "annexed.txt").symlink_to(root / ".store" / "blob")
    (root / "linked-dir").symlink_to(root / "other", target_is_directory=True)
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "leak.txt").symlink_to(outside)
    (root / "leak-dir").symlink_to(outside.parent, target_is_directory=True)
    (root / "gone.txt").symlink_to(root / "missing.txt")
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "ping.txt").symlink_to(root / "pong.txt")
    (root / "pong.txt").symlink_to(root / "ping.txt")
    (root / "null.txt").symlink_to(os.devnull)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe")
        (root / "pipe-link.txt").symlink_to(root / "pipe")
    docs, warnings = read_corpus([root], config=FOLLOW)
    assert ids(docs) == ["annexed.txt", "file-link.txt", "other/b.txt", "sub/a.txt"]
    assert docs[0].text == "存储区里的讲话"
    assert docs[0].source == str(root / "annexed.txt")
    assert all("外部" not in d.text for d in docs)
    messages = by_source(warnings, root)
    expected = ["gone.txt", "leak-dir", "leak.txt", "linked-dir", "null.txt", "ping.txt", "pong.txt", "self.txt"]
    expected += ["sub/up", *(["pipe", "pipe-link.txt"] if hasattr(os, "mkfifo") else [])]
    assert sorted(messages) == sorted(expected)
    assert messages["gone.txt"].startswith("broken symbolic link")
    assert "outside the scanned folders" in messages["leak.txt"]
    assert "outside the scanned folders" in messages["leak-dir"]
    assert "scanned already" in messages["linked-dir"]
    assert all("loop" in messages[name] for name in ("self.txt", "ping.txt", "pong.txt", "sub/up"))
    assert messages["null.txt"] == f"symbolic link to '{os.devnull}', outside the scanned folders; not followed"
    if hasattr(os, "mkfifo"):
        assert messages["pipe-link.txt"] == "symbolic link to a fifo; never opened"
        assert messages["pipe"] == "not a regular file (a fifo); never opened"


@needs_symlinks
def test_follow_links_walks_a_linked_folder_once_under_the_links_name(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    store = tmp_path / "store"
    write(store / "a.txt", "甲")
    (root).mkdir()
    (root / "one").symlink_to(store, target_is_directory=True)
    (root / "two").symlink_to(store, target_is_directory=True)
    docs, warnings = read_corpus([root, store], config=FOLLOW)
    assert ids(docs) == ["one/a.txt", "a.txt"]
    assert [(os.path.relpath(w.source, root), "scanned already" in w.message) for w in warnings] == [("two", True)]
    docs, warnings = read_corpus([root], config=FOLLOW)  # the store is not a scanned folder now
    assert docs == ()
    assert all("outside the scanned folders" in w.message for w in warnings)


@needs_symlinks
def test_link_given_as_a_path_is_followed(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "a.txt", "甲")
    (tmp_path / "given.txt").symlink_to(target)
    (tmp_path / "given-dir").symlink_to(target.parent, target_is_directory=True)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nothing.txt")
    docs, warnings = read_corpus([tmp_path / "given.txt", tmp_path / "given-dir", tmp_path / "dangling.txt"])
    assert ids(docs) == ["given.txt", "a.txt"]
    assert warnings == (
        ScanWarning(str(tmp_path / "dangling.txt"), "broken symbolic link (its target does not exist)"),
    )


@needs_symlinks
def test_a_file_that_becomes_a_link_after_the_walk_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "secret.txt", "机密")
    write(tmp_path / "corpus" / "a.txt", "甲")
    swapped = write(tmp_path / "corpus" / "b.txt", "乙")
    warnings: list[ScanWarning] = []
    stream = iter_documents([tmp_path / "corpus"], on_warning=warnings.append)
    assert next(stream).id == "a.txt"  # the folder is walked: b.txt was a regular file
    swapped.unlink()
    swapped.symlink_to(outside)
    assert list(stream) == []
    assert [(w.source, w.message.split(";")[0]) for w in warnings] == [(str(swapped), "symbolic link")]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs unix sockets")
@pytest.mark.usefixtures("alarm")
def test_socket_is_never_opened(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    if len(os.fsencode(path)) > 100:
        pytest.skip("temporary path too long for a unix socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        docs, warnings = read_corpus([tmp_path])
        direct = read_corpus([path])
    assert docs == ()
    assert warnings == (ScanWarning(str(path), "not a regular file (a socket); never opened"),)
    assert direct == ((), warnings)


def test_deep_nesting_and_names_that_look_alike(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*[f"d{n:02}" for n in range(1, 51)])
    write(deep / "speech.txt", "深")
    write(tmp_path / "x.txt" / "inner.txt", "文件夹名像文件")
    write(tmp_path / "a" / "speech.txt", "甲")
    write(tmp_path / "b" / "speech.txt", "乙")
    write(tmp_path / "Case.txt", "大写")
    if not (tmp_path / "case.txt").exists():  # a case-sensitive file system
        write(tmp_path / "case.txt", "小写")
    docs, warnings = read_corpus([tmp_path])
    assert warnings == ()
    found = ids(docs)
    assert len(found) == len(set(found))
    assert "/".join(f"d{n:02}" for n in range(1, 51)) + "/speech.txt" in found
    assert {"x.txt/inner.txt", "a/speech.txt", "b/speech.txt", "Case.txt"} <= set(found)


def test_hidden_and_unsupported_entries_are_reported_as_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".hidden.txt", "隐")
    write(tmp_path / ".git" / "a.txt", "隐")
    write(tmp_path / "sheet.xlsx", b"PK\x03\x04")
    write(tmp_path / "photo.JPG", b"\xff\xd8\xff")
    write(tmp_path / "sub" / "archive.tar.gz", b"\x1f\x8b\x08")
    write(tmp_path / "ok.txt", "甲")
    skipped: list[Skipped] = []
    warnings: list[ScanWarning] = []
    docs = list(iter_documents([tmp_path], on_warning=warnings.append, on_skip=skipped.append))
    assert (ids(tuple(docs)), warnings) == (["ok.txt"], [])
    assert sorted((os.path.relpath(s.source, tmp_path), s.reason) for s in skipped) == [
        (".git", "hidden"),
        (".hidden.txt", "hidden"),
        ("photo.JPG", "unsupported"),
        ("sheet.xlsx", "unsupported"),
        ("sub/archive.tar.gz", "unsupported"),
    ]


def test_files_without_an_extension_are_sniffed(tmp_path: Path) -> None:
    write(tmp_path / "README", "一篇没有扩展名的讲话")
    write(tmp_path / "page", "<!DOCTYPE html><html><body><p>网页里的讲话正文</p></body></html>")
    write(tmp_path / "2023.05.01 讲话", "日期里有点的文件名")
    write(tmp_path / "program", b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    docs, warnings = read_corpus([tmp_path])
    assert [(d.id, d.encoding) for d in docs] == [
        ("2023.05.01 讲话", "utf-8"),
        ("README", "utf-8"),
        ("page", "html:utf-8"),
    ]
    assert docs[2].text == "网页里的讲话正文"
    assert warnings == (ScanWarning(str(tmp_path / "program"), "binary file (an ELF executable), not text"),)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + bytes(200), "binary file (an ELF executable), not text"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR", "binary file (a PNG image), not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary file (a JPEG image), not text"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "binary file (a Windows executable), not text"),
        (b"GIF89a\x01\x00\x01\x00", "binary file (a GIF image), not text"),
        (b"text\x00with a NUL", "binary file (contains NUL bytes)"),
        (bytes(range(1, 9)) * 50, "binary file (100% control characters), not text"),
        (b"\xef\xbb\xbf", "file holds only a byte-order mark: no text to scan"),
        (b"\xff\xfe", "file holds only a byte-order mark: no text to scan"),
        (b" \t\r\n", "file contains only whitespace: no text to scan"),
        (" \u200b\n\u3000\xa0\u2060 ".encode(), "file contains only whitespace: no text to scan"),  # invisible too
        (b"", "empty file: no text to scan"),
    ],
)
def test_files_that_are_not_text_are_skipped_with_one_warning(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path / "speech.txt", data)
    docs, warnings = read_corpus([tmp_path])
    assert docs == ()
    assert [w.source for w in warnings] == [str(path)]
    assert warnings[0].message.startswith(message)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [GB_SPEECH, BIG5_SPEECH, "Remarks at the annual meeting.\nThank you all.\n", "关于安全生产工作的报告各位代表"],
)
def test_utf16_without_a_byte_order_mark_is_detected(codec: str, text: str) -> None:
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_invalid_bytes_are_replaced_counted_and_warned(tmp_path: Path) -> None:
    gb = write(tmp_path / "gb.txt", GB_SPEECH.encode("gb18030") * 2 + b"\xff\x80\xff" + GB_SPEECH.encode("gb18030"))
    utf8 = write(tmp_path / "utf8.txt", GB_SPEECH.encode() + b"\xc3" + GB_SPEECH.encode())
    docs, warnings = read_corpus([tmp_path])
    assert [(d.id, d.encoding, d.text.count("\ufffd")) for d in docs] == [
        ("gb.txt", "gb18030", 3),
        ("utf8.txt", "utf-8", 1),
    ]
    assert docs[1].text == GB_SPEECH + "\ufffd" + GB_SPEECH
    assert warnings == (
        ScanWarning(
            str(gb), "3 invalid byte sequences replaced with U+FFFD (decoded as gb18030); the rest of the text is read"
        ),
        ScanWarning(
            str(utf8), "1 invalid byte sequence replaced with U+FFFD (decoded as utf-8); the rest of the text is read"
        ),
    )


def test_mostly_invalid_bytes_are_not_read_as_garbage() -> None:
    data = GB_SPEECH.encode("gb18030")
    damaged = bytes(b if i % 20 else 0xFF for i, b in enumerate(data))  # 5 % of the bytes
    with pytest.raises(DecodeError, match="cannot detect the text encoding"):
        decode_bytes(damaged)


def test_texts_over_the_character_limit_are_skipped(tmp_path: Path) -> None:
    config = IngestConfig(max_text_chars=100)
    write(tmp_path / "long.txt", "长" * 101)
    write(tmp_path / "huge.txt", "x" * 401)  # more than 4 bytes a character allows: refused before decoding
    write(tmp_path / "ok.txt", "短" * 100)
    write(tmp_path / "r.jsonl", jsonl({"id": "a", "text": "长" * 101}, {"id": "b", "text": "短"}))
    write(tmp_path / "r.csv", f"id,text\nc,{'长' * 101}\nd,短\n")
    docs, warnings = read_corpus([tmp_path], config=config)
    assert ids(docs) == ["ok.txt", "d", "b"]
    messages = by_source(warnings, tmp_path)
    assert messages == {
        "huge.txt": "file is 0.0 MiB of text, over the --max-text-chars limit of 100 characters",
        "long.txt": "text is 101 characters, over the --max-text-chars limit of 100",
        "r.csv:2": "text is 101 characters, over the --max-text-chars limit of 100",
        "r.jsonl:1": "text is 101 characters, over the --max-text-chars limit of 100",
    }


def test_jsonl_records_with_ids_that_are_not_strings(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.jsonl",
        jsonl(
            {"id": 12, "text": "甲"},
            {"id": None, "text": "乙"},
            {"id": {"k": 1}, "text": "丙"},
            {"id": True, "text": "丁"},
            {"id": [1], "text": "戊"},
            {"id": 1.5, "text": "己"},
            {"text": "庚"},
            {"id": "ok", "text": None},
            {"id": "ok", "text": {"p": "x"}},
            "null",
            "42",
            '"just a string"',
        ),
    )
    docs, warnings = read_corpus([path])
    assert ids(docs) == ["12", "d.jsonl:2", "d.jsonl:3", "d.jsonl:4", "d.jsonl:5", "d.jsonl:6", "d.jsonl:7"]
    assert [(w.source.rsplit(":", 1)[1], w.message) for w in warnings] == [
        ("1", "'id' field is a number, not a string; the record is named '12'"),
        ("2", "'id' field is null, not a string; the record is named by its line"),
        ("3", "'id' field is an object, not a string; the record is named by its line"),
        ("4", "'id' field is a boolean, not a string; the record is named by its line"),
        ("5", "'id' field is an array, not a string; the record is named by its line"),
        ("6", "'id' field is a number, not a string; the record is named by its line"),
        ("8", "'text' field is null, not a string"),
        ("9", "'text' field is an object, not a string"),
        ("10", "record is a JSON null, not an object; put each record in {...}"),
        ("11", "record is a JSON number, not an object; put each record in {...}"),
        ("12", "record is a JSON string, not an object; put each record in {...}"),
    ]


def test_jsonl_lone_surrogate_escapes_become_replacement_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "d.jsonl", '{"id": "a\\udc80", "text": "前\\ud800后\\ud83d\\ude00", "k\\udfff": "v"}\n')
    (doc,), warnings = read_corpus([path])
    assert (doc.id, doc.text, dict(doc.meta)) == ("a\ufffd", "前\ufffd后\U0001f600", {"k\ufffd": "v"})
    assert warnings == (ScanWarning(f"{path}:1", "3 lone surrogate escapes (\\ud800-\\udfff) replaced with U+FFFD"),)
    json.dumps(doc.text, ensure_ascii=False).encode("utf-8")  # any UTF-8 output takes it


@pytest.mark.parametrize(
    ("codec", "raw"), [("utf-7", b"hello +2AA- world"), ("unicode_escape", b"hello \\ud800 world")]
)
def test_a_forced_codec_that_makes_lone_surrogates_gets_replacement_characters(codec: str, raw: bytes) -> None:
    from dupdetect.read.decode import decode_text

    assert decode_text(raw, encoding=codec)[::2] == ("hello \ufffd world", 1)


def test_a_jsonl_record_with_a_lone_surrogate_from_its_codec_is_read(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"id": "a", "text": "hello +2AA- world"}\n{"id": "b", "text": "x"}\n')
    docs, _ = read_corpus([path], config=IngestConfig(encoding="utf-7"))
    assert [d.text for d in docs] == ["hello \ufffd world", "x"]


def test_jsonl_malformed_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "text": "甲"}',
        "[" * 100_000,
        '{"id": "b", "text": "乙"',
        "\x00",
        '{"id": "c", "text": "丙"}',
    ]
    path = write(tmp_path / "d.jsonl", "\n".join(lines).encode().replace(b"\x00", b"\xff"))
    docs, warnings = read_corpus([path])
    assert ids(docs) == ["a", "c"]
    assert [w.source for w in warnings] == [str(path), f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "1 invalid byte sequence replaced" in warnings[0].message
    assert all(w.message.startswith("invalid JSON") for w in warnings[1:])


def test_csv_bom_quoted_newlines_short_and_long_rows(tmp_path: Path) -> None:
    rows = 'id,text,speaker\r\na,"第一行\r\n第二行, 还有逗号",张\r\nb,短行\r\n'
    rows += 'c,长行,李,多余,更多\r\nd,"引号""内""的字",王\r\n'
    path = write(tmp_path / "d.csv", codecs.BOM_UTF8 + rows.encode())
    docs, warnings = read_corpus([path])
    assert [(d.id, d.text, dict(d.meta)) for d in docs] == [
        ("a", "第一行\r\n第二行, 还有逗号", {"speaker": "张"}),
        ("b", "短行", {}),
        ("c", "长行", {"speaker": "李"}),
        ("d", '引号"内"的字', {"speaker": "王"}),
    ]
    assert warnings == (
        ScanWarning(f"{path}:3", "row has 2 fields, the header 3; the missing fields are taken as empty"),
        ScanWarning(f"{path}:4", "row has 5 fields, the header 3; the fields after column 3 are ignored"),
    )


def test_csv_field_over_the_csv_limit_skips_the_row_not_the_file(tmp_path: Path) -> None:
    body = "长" * 200_000
    path = write(tmp_path / "d.csv", f"id,text\na,{body}\nb,短\n")
    docs, warnings = read_corpus([path], config=IngestConfig(max_text_chars=1000))
    assert ids(docs) == ["b"]
    assert [w.source for w in warnings] == [f"{path}:2"]
    assert "over the --max-text-chars limit" in warnings[0].message or "csv field over" in warnings[0].message
    docs, warnings = read_corpus([path])
    assert ([len(d.text) for d in docs], warnings) == ([200_000, 1], ())


def test_reading_asks_for_the_files_size_not_the_limit(tmp_path: Path) -> None:
    from dupdetect.read.ingest import _read_upto

    class Handle(io.BytesIO):
        def __init__(self, data: bytes) -> None:
            super().__init__(data)
            self.asked: list[int] = []

        def read(self, size: int | None = -1) -> bytes:
            self.asked.append(-1 if size is None else size)
            return super().read(size)

    data = b"x" * 1000
    handle = Handle(data)
    assert _read_upto(handle, 1000, 16 * 2**30) == data and max(handle.asked) == 1001
    grown = Handle(data + b"y" * 500)  # the file grew after it was measured
    assert _read_upto(grown, 1000, 1200) == (data + b"y" * 500)[:1201]
    assert _read_upto(Handle(data + b"y" * 500), 1000, None) == data + b"y" * 500


def _read_all(paths: list[str]) -> tuple[list[tuple[object, ...]], list[tuple[str, str]]]:
    problems: list[ScanWarning] = []
    docs = [
        (d.id, d.source, d.text, d.span, d.encoding, d.title, dict(d.meta), d.page)
        for d in iter_documents(paths, on_warning=problems.append)
    ]
    return docs, sorted((w.source, w.message) for w in problems)


def test_a_large_jsonl_file_read_a_line_at_a_time_gives_what_reading_it_whole_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dupdetect.read.ingest as ingest

    records = [
        json.dumps({"id": "a", "text": "第一篇讲话。\n同志们：今天开会。"}, ensure_ascii=False),
        "",
        "   ",
        json.dumps({"id": "b", "text": "second\r\nline", "title": "标题"}, ensure_ascii=False) + "\r",
        '{"id": "c", "text": "lone \\ud800 surrogate"}',
        "[1, 2]",
        json.dumps({"html": "<html><head><title>页</title></head><body><h1>标题</h1><p>正文很长。</p></body></html>"}),
    ]
    body = "\n".join(records).encode("utf-8")
    files = {
        "plain.jsonl": body + b"\n",
        "bom.jsonl": b"\xef\xbb\xbf" + body,
        "bad-bytes.jsonl": body + b'\n{"id": "d", "text": "bad \xff\xfe bytes"}\n',
        "blank.jsonl": b"\n   \n\n",
        "gb.jsonl": "\n".join(records).encode("gb18030"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / name) for name in files] + [str(ROOT / "benchmarks" / "realpages" / "corpus.jsonl")]
    whole = _read_all(paths)
    monkeypatch.setattr(ingest, "STREAM_FROM", 0)
    streamed = _read_all(paths)
    assert streamed == whole
    assert len(whole[0]) > 250 and any("replaced with U+FFFD" in m for _, m in whole[1])
