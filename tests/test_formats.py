"""Tests of dupdetect.read.formats: sniffing and extracting HTML, DOCX, PDF, legacy Word and RTF."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import stat
import sys
import time
import zipfile
from pathlib import Path

import docx
import hostile
import pypdf
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dupdetect
from dupdetect.model.config import IngestConfig
from dupdetect.model.errors import ConfigError, InputError
from dupdetect.read import formats
from dupdetect.read.formats import Extracted, extract_text, sniff
from dupdetect.read.ingest import read_corpus

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONFIG = IngestConfig()
MiB = 2**20

SAFETY_LINES = [
    "同志们：",
    "今天，我们召开全县安全生产工作会议，主要任务是总结去年以来的安全生产工作，分析当前面临的形势，"
    "安排部署下一阶段的重点任务。刚才，几个部门作了发言，讲得都很好，我完全同意。",
    "过去一年，在县委、县政府的坚强领导下，全县各级各部门认真落实安全生产责任制，深入开展隐患排查治理，"
    "全年未发生较大以上生产安全事故，安全生产形势总体平稳。",
    "我们也要清醒地看到，当前安全生产基础依然薄弱，一些企业主体责任落实不到位，部分行业领域风险隐患仍然突出，"
    "监管力量与工作任务不相适应的矛盾比较明显。",
    "第一，要进一步压实责任。各乡镇、各部门主要负责同志要亲自抓、负总责，把安全生产工作摆上重要议事日程，"
    "做到守土有责、守土负责、守土尽责。",
    "第二，要深入排查隐患。围绕道路交通、建筑施工、危险化学品、消防等重点行业领域，组织开展拉网式排查，"
    "对发现的问题建立台账、限期整改、逐项销号。",
    "第三，要强化应急准备。各地要修订完善应急预案，加强应急队伍建设和物资储备，定期组织演练，"
    "确保一旦发生险情能够快速响应、科学处置。",
    "同志们，安全生产责任重于泰山。让我们以更加务实的作风，扎实做好各项工作，"
    "为全县经济社会高质量发展创造良好的安全环境。谢谢大家！",
]
GOOD_FIXTURES = {
    "mhtml-saved.doc": "mhtml:gb18030",
    "speech.docx": "docx",
    "speech.html": "html:gb18030",
    "speech.pdf": "pdf",
    "web-saved.doc": "html:utf-8",
    "wps-saved.doc": "rtf:gb18030",
}


def extract(name: str, config: IngestConfig = CONFIG) -> Extracted:
    """Extract one fixture file."""
    path = FORMATS / name
    return extract_text(path.read_bytes(), path=path, config=config)


def lines(name: str) -> list[str]:
    return extract(name).text.split("\n")


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The archive ``data`` with some members' contents replaced (or added)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.pop(info.filename, source.read(info)))
        for name, content in replace.items():
            target.writestr(name, content)
    return output.getvalue()


def docx_error(data: bytes, config: IngestConfig = CONFIG) -> str:
    with pytest.raises(InputError) as info:
        extract_text(data, path=Path("speech.docx"), config=config)
    return str(info.value)


@pytest.fixture
def no_converters(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty PATH folder: neither antiword nor catdoc is installed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def fake_tool(folder: Path, name: str, script: str) -> None:
    """A shell script named ``name`` on the PATH folder."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


# --------------------------------------------------------------------------
# sniffing


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n", "speech.doc", "pdf"),
        (b"\n  %PDF-1.4", "speech.txt", "pdf"),
        (b"not a pdf", "speech.pdf", "pdf"),
        (b"PK\x03\x04rest", "speech.doc", "docx"),
        (b"garbage", "speech.docx", "docx"),
        (OLE2 + b"\x00" * 20, "speech.doc", "ole2"),
        (OLE2, "speech.docx", "ole2"),
        (b"{\\rtf1\\ansi hello}", "speech.doc", "rtf"),
        (b"<!DOCTYPE html><p>x</p>", "speech.doc", "html"),
        (b"\xef\xbb\xbf\r\n<HTML><body>x", "speech.txt", "html"),
        (b'<?xml version="1.0"?>\n<!-- saved -->\n<html>', "a.md", "html"),
        ("<html><body>讲话</body></html>".encode("utf-16"), "speech.doc", "html"),
        (b"<head><title>t</title></head>", "speech.doc", "html"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "speech.doc", "mhtml"),
        (b"plain speech", "speech.htm", "html"),
        (b"plain speech", "speech.HTML", "html"),
        ("各位代表：".encode("gbk"), "speech.doc", "text"),
        (b"<p>markdown with html</p>", "notes.md", "text"),
        (b"plain speech", "speech.txt", "text"),
    ],
)
def test_sniff_content_first_then_extension(data: bytes, name: str, expected: str) -> None:
    assert sniff(data, name) == expected


# --------------------------------------------------------------------------
# HTML


def test_html_fixture_is_the_speech_one_paragraph_per_line() -> None:
    extracted = extract("speech.html")
    assert extracted.encoding == "html:gb18030"  # declared gb2312, widened to its superset
    assert extracted.title == "在全县安全生产工作会议上的讲话"  # the page's <h1>; its <title> adds the site
    assert extracted.text.split("\n") == ["在全县安全生产工作会议上的讲话", *SAFETY_LINES]  # the heading heads it
    assert "发布时间：2024-03-05" in extracted.page and "版权所有" in extracted.page  # around the main text


def test_a_government_page_gives_its_title_date_and_site(tmp_path: Path) -> None:
    from dupdetect import scan

    report = scan([str(FORMATS / "speech.html")])
    (doc,) = report.documents
    assert (doc.title, doc.date, doc.site) == ("在全县安全生产工作会议上的讲话", "2024-03-05", "某某县人民政府办公室")


@pytest.mark.parametrize(
    "junk",
    ["hiddenspan42", "jammer8x7qz", "scripttext99", "scripttext98", "stylecss31", "noscripttext77", "hiddenattr55"],
)
def test_html_hidden_jammer_and_script_text_never_appear(junk: str) -> None:
    assert junk not in extract("speech.html").text


@pytest.mark.parametrize("chrome", ["当前位置", "首页", "相关阅读", "版权所有", "浏览次数", "备案号"])
def test_html_page_chrome_is_dropped(chrome: str) -> None:
    assert chrome not in extract("speech.html").text


def test_html_hidden_elements_are_removed_even_where_the_extractor_gives_up() -> None:
    page = (
        "<html><body><p>短文<b>加粗</b>。</p><div>第二段<br>第三行</div>"
        '<span style="VISIBILITY: hidden">gone1</span><font class="jammer">gone2</font><p hidden>gone3</p>'
        "<script>gone4</script></body></html>"
    )
    extracted = extract_text(page.encode(), path=Path("a.html"), config=CONFIG)
    assert extracted.text == "短文加粗。\n第二段\n第三行"
    assert extracted.encoding == "html:utf-8"


def test_html_speech_in_a_layout_table_keeps_its_paragraphs() -> None:
    paragraph = "各级各部门要认真落实安全生产责任制，深入开展隐患排查治理，确保全年安全生产形势总体平稳，" * 2
    body = "".join(f"<p>第{n}段：{paragraph}</p>" for n in range(1, 4))
    data = "<table><tr><td>序号</td><td>单位</td></tr><tr><td>1</td><td>镇安监办</td></tr></table>"
    page = (
        "<html><body><table><tr><td><a href=/>首页</a></td><td>导航</td></tr>"
        f"<tr><td colspan=2>{body}{data}</td></tr></table></body></html>"
    )
    text = extract_text(page.encode(), path=Path("a.html"), config=CONFIG).text.split("\n")
    assert text[:3] == [f"第{n}段：{paragraph}" for n in range(1, 4)]
    assert text[3:] == ["| 序号 | 单位 |", "| 1 | 镇安监办 |"]  # a data table stays a table


_FIRE = [
    "同志们：今天我们召开全县秋冬季森林防火工作会议，主要任务是分析当前形势，安排部署今冬明春森林防火工作。",
    "一、认清形势，切实增强责任感。今年入秋以来，全县降雨偏少，气温偏高，林区可燃物大量积累，森林火险等级持续偏高。",
    "二、突出重点，落实防控措施。要严格野外火源管理，在重点林区路口设立检查站，对进山人员逐一登记，严禁携带火种进山。",
    "三、加强领导，确保落到实处。各乡镇党政主要负责同志是本辖区森林防火第一责任人，要亲自研究部署，亲自督促检查。",
]


def test_html_tag_soup_is_read_as_a_browser_shows_it() -> None:
    """Unclosed <p>, <font><b>…</font></b>, a <div> inside a <p>, a cell without its table: the extractor
    stops after two paragraphs; the page's whole text is read instead and the chrome is left to cleaning."""
    page = (
        "<html><head><title>在全县森林防火工作会议上的讲话_青禾县人民政府</title><body><table><tr><td>"
        "<a href=/>首页</a> | <a href=/x>政务公开</a><font size=4><b>在全县森林防火工作会议上的讲话</font></b>"
        f"<p>发布时间：2023-10-12<div><p>{_FIRE[0]}<p>{_FIRE[1]}</div><font color=#333><p>{_FIRE[2]}<br><br>"
        f"{_FIRE[3]}<td>版权所有：青禾县人民政府办公室"
    )
    extracted = extract_text(page.encode(), path=Path("a.html"), config=CONFIG)
    assert extracted.title == "在全县森林防火工作会议上的讲话"  # the <title>, without the site's name
    text = extracted.text.split("\n")
    assert all(paragraph in text for paragraph in _FIRE)
    assert text.index(_FIRE[0]) < text.index(_FIRE[3])


def test_html_main_text_is_kept_when_it_holds_the_pages_paragraphs() -> None:
    comment = "网友评论：讲得很好，我们村今年也在山口设了检查站，进山的人都要登记，大家的防火意识明显提高了。"
    page = (
        "<html><body><div class=nav>首页 | 政务公开 | 领导讲话</div><article><h1>在全县森林防火工作会议上的讲话</h1>"
        + "".join(f"<p>{p}</p>" for p in _FIRE)
        + f"</article><div class=comments><p>{comment}</p></div><div class=footer>版权所有：青禾县人民政府</div>"
        "</body></html>"
    )
    text = extract_text(page.encode(), path=Path("a.html"), config=CONFIG).text
    assert all(p in text for p in _FIRE) and "政务公开" not in text and "版权所有" not in text


def test_html_wrong_declared_charset_is_not_trusted() -> None:
    page = '<html><head><meta charset="utf-8"><title> 标题 </title></head>'
    page += "<body><p>各位代表：现在我代表县人民政府报告工作。</p>"
    extracted = extract_text(page.encode("gbk"), path=Path("a.htm"), config=CONFIG)
    assert extracted == Extracted("各位代表：现在我代表县人民政府报告工作。", "html:gb18030", "标题")


def test_html_declared_big5_allows_microsoft_extension_characters() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body><p>這裏有碁局。</p>'
    )
    assert extract_text(page.encode("cp950"), path=Path("a.htm"), config=CONFIG).encoding == "html:cp950"


def test_html_forced_encoding_wins_over_the_page() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>各位代表：现在报告工作。</p>'.encode("gbk")
    extracted = extract_text(page, path=Path("a.html"), config=IngestConfig(encoding="gbk"))
    assert (extracted.text, extracted.encoding) == ("各位代表：现在报告工作。", "html:gbk")


def test_html_page_without_text_is_an_error() -> None:
    with pytest.raises(InputError, match="html page has no text"):
        extract_text(b"<html><body><script>x()</script></body></html>", path=Path("a.html"), config=CONFIG)


def test_doc_that_is_word_html() -> None:
    extracted = extract("web-saved.doc")
    assert extracted.encoding == "html:utf-8"
    assert extracted.title == "在全区经济工作会议上的讲话"
    assert extracted.text.split("\n")[:2] == ["在全区经济工作会议上的讲话", "同志们："]
    assert "WordDocument" not in extracted.text
    assert "MsoNormal" not in extracted.text


def test_doc_that_is_an_mhtml_web_archive() -> None:
    extracted = extract("mhtml-saved.doc")
    assert extracted.encoding == "mhtml:gb18030"
    assert extracted.text.split("\n")[2] == SAFETY_LINES[1].replace("全县", "全市")
    assert "Single File Web Page" not in extracted.text


def test_mhtml_without_html_part_is_an_error() -> None:
    data = b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
    with pytest.raises(InputError, match="mhtml web archive has no html part"):
        extract_text(data, path=Path("a.doc"), config=CONFIG)


# --------------------------------------------------------------------------
# DOCX


def test_docx_fixture_paragraphs_tables_and_insertions() -> None:
    text = lines("speech.docx")
    assert text[0] == "在全镇安全生产工作会议上的讲话"
    assert text[1] == "\u3000\u3000同志们："
    assert text[7:10] == ["序号\t重点领域\t责任单位", "1\t道路交通\t镇安监办", "2\t建筑施工"]
    assert text[-1] == "（根据录音整理）"
    assert len(text) == 13
    assert extract("speech.docx").encoding == "docx"


def test_docx_cell_with_several_paragraphs_gives_one_line_each() -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    document.tables[0].cell(0, 1).text = "旁边"
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract_text(buffer.getvalue(), path=Path("a.docx"), config=CONFIG).text == "第一段\n第二段\n旁边"


def test_doc_that_is_really_docx() -> None:
    data = (FORMATS / "speech.docx").read_bytes()
    extracted = extract_text(data, path=Path("speech.doc"), config=CONFIG)
    assert (extracted.encoding, extracted.text) == ("docx", extract("speech.docx").text)


def test_xxe_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret-xxe-content", encoding="utf-8")
    data = docx_bytes("正文第一段。", "PLACE")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    xml = head + "?>" + doctype + rest.replace("PLACE", "前&xxe;后")
    text = extract_text(rezip(data, {"word/document.xml": xml.encode()}), path=Path("a.docx"), config=CONFIG).text
    assert "top-secret" not in text
    assert text.startswith("正文第一段。\n前")


def test_billion_laughs_is_not_expanded() -> None:
    data = docx_bytes("正文。", "PLACE")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    head, rest = xml.split("?>", 1)
    xml = head + f"?><!DOCTYPE w:document [{entities}]>" + rest.replace("PLACE", "&a9;")
    started = time.perf_counter()
    try:
        text = extract_text(rezip(data, {"word/document.xml": xml.encode()}), path=Path("a.docx"), config=CONFIG).text
    except InputError as exc:  # libxml2 refuses: "maximum entity amplification factor exceeded"
        text = str(exc)
    assert "lol" not in text
    assert time.perf_counter() - started < 5


def _never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("python-docx must not see this archive")

    monkeypatch.setattr(docx, "Document", refuse)


def test_zip_bomb_member_over_the_size_cap_is_refused_before_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rezip(docx_bytes("正文。"), {"word/media/zeros.bin": bytes(60 * MiB)})
    assert len(data) < MiB  # 60 MiB of zeros deflate to about 60 KiB
    _never_opened(monkeypatch)
    message = docx_error(data)
    assert "docx member 'word/media/zeros.bin' unpacks to 60.0 MiB, over the limit of 50.0 MiB" in message


def test_zip_bomb_high_compression_ratio_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rezip(docx_bytes("正文。"), {"word/media/zeros.bin": bytes(5 * MiB)})
    _never_opened(monkeypatch)
    assert "is compressed" in docx_error(data)
    assert "zip bomb" in docx_error(data)


def test_zip_member_declaring_a_huge_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(docx_bytes("正文。"))
    central = data.index(b"PK\x01\x02")  # the first central-directory entry
    data[central + 24 : central + 28] = (3 * 2**30).to_bytes(4, "little")
    _never_opened(monkeypatch)
    assert "unpacks to 3072.0 MiB" in docx_error(bytes(data))


def test_zip_total_unpacked_size_cap() -> None:
    data = docx_bytes("正文。")
    assert "docx unpacks to" in docx_error(data, IngestConfig(max_unpacked_bytes=10_000))


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/evil.xml", "word/../../evil.xml", "C:/evil.xml"])
def test_zip_member_with_unsafe_name_is_left_out_and_the_document_read(name: str) -> None:
    data = rezip(docx_bytes("正文。"), {name: b"<x/>"})
    extracted = extract_text(data, path=Path("speech.docx"), config=CONFIG)
    assert extracted.text == "正文。"
    assert len(extracted.notes) == 1 and "unsafe path" in extracted.notes[0] and repr(name) in extracted.notes[0]


def test_zip_that_is_not_a_word_document() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a word .docx file" in docx_error(output.getvalue())


def test_docx_without_text() -> None:
    assert docx_error(docx_bytes()) == "docx has no text"


@pytest.mark.parametrize("cut", [10, 1000, 20000])
def test_truncated_docx_is_one_clear_error(cut: int) -> None:
    message = docx_error((FORMATS / "speech.docx").read_bytes()[:cut])
    assert message.startswith("broken docx")
    assert "\n" not in message


def test_docx_with_a_broken_document_part() -> None:
    data = rezip(docx_bytes("正文。"), {"word/document.xml": b"<w:document><unclosed>"})
    assert docx_error(data).startswith("cannot read docx: ")


# --------------------------------------------------------------------------
# PDF


def test_pdf_fixture_cjk_lines_as_extracted() -> None:
    extracted = extract("speech.pdf")
    assert extracted.encoding == "pdf"
    text = extracted.text.split("\n")
    assert text[:3] == [
        "在全市经济工作会议上的讲话",
        "同志们：",
        "这次会议的主要任务是，认真总结今年以来的经济工作，科学研判当前形势，研究",
    ]
    assert text[-1] == "，奋力完成全年各项目标任务。"  # page 2, hard wraps kept
    assert "" not in text
    assert not any(ch < " " and ch != "\t" for ch in extracted.text.replace("\n", ""))


def test_pdf_with_empty_user_password_is_read() -> None:
    writer = pypdf.PdfWriter(clone_from=FORMATS / "speech.pdf")
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract_text(buffer.getvalue(), path=Path("a.pdf"), config=CONFIG).text == extract("speech.pdf").text


def test_pdf_with_a_password_is_one_clear_error() -> None:
    writer = pypdf.PdfWriter(clone_from=FORMATS / "speech.pdf")
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match=r"^encrypted pdf \(needs a password\)"):
        extract_text(buffer.getvalue(), path=Path("a.pdf"), config=CONFIG)


def test_pdf_without_text_is_an_error() -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match="no extractable text"):
        extract_text(buffer.getvalue(), path=Path("scan.pdf"), config=CONFIG)


def test_broken_pdf_logs_nothing_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match=r"^broken pdf: "):
        extract("broken.pdf")
    assert capfd.readouterr().err == ""


def test_tidy_drops_control_characters_and_blank_lines() -> None:
    assert formats._tidy("甲\x0c乙\x00\r\n\r\n  \n\t丙\x1b\ud800  \r丁") == "甲乙\n\t丙\n丁"


# --------------------------------------------------------------------------
# legacy Word, RTF, plain text in a .doc


@pytest.mark.usefixtures("no_converters")
def test_ole2_doc_without_converter_is_skipped_with_advice() -> None:
    with pytest.raises(InputError) as info:
        extract("legacy.doc")
    assert str(info.value) == "legacy Word .doc; convert it to .docx (or install antiword)"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a shell script")
def test_ole2_doc_is_converted_by_antiword(no_converters: Path) -> None:
    fake_tool(no_converters, "antiword", 'printf "%s\\n" "$*" >&2; printf "同志们：\\n\\n\\t正文第一段。\\n\\f"\n')
    extracted = extract("legacy.doc")
    assert extracted == Extracted("同志们：\n\t正文第一段。", "doc:antiword")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a shell script")
def test_ole2_doc_falls_back_to_catdoc_and_reports_antiwords_complaint(no_converters: Path) -> None:
    fake_tool(no_converters, "antiword", 'echo "$5 is not a Word Document." >&2; exit 1\n')
    fake_tool(no_converters, "catdoc", 'printf "讲话正文。\\n"\n')
    assert extract("legacy.doc") == Extracted("讲话正文。", "doc:catdoc")
    (no_converters / "catdoc").unlink()
    with pytest.raises(InputError) as info:
        extract("legacy.doc")
    assert str(info.value) == "antiword cannot read this .doc (legacy.doc is not a Word Document.); convert it to .docx"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a shell script")
def test_ole2_doc_converter_timeout(no_converters: Path) -> None:
    fake_tool(no_converters, "antiword", f'exec "{sys.executable}" -c "import time; time.sleep(10)"\n')
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"antiword took more than 0\.5 s"):
        extract("legacy.doc", IngestConfig(converter_timeout=0.5))
    assert time.perf_counter() - started < 5


@pytest.mark.skipif(shutil.which("antiword") is None, reason="needs antiword")
def test_real_antiword_rejects_the_junk_fixture() -> None:
    with pytest.raises(InputError, match=r"antiword cannot read this \.doc"):
        extract("legacy.doc")


# fixtures/formats/word97.doc is a real Word 97 file, written by make_fixtures.word97_doc() from these
# paragraphs: the real antiword and catdoc (make test installs them) must give them back line for line.
HEATING_LINES = [
    "在全镇冬季供暖保障工作会议上的讲话",
    "同志们：今天召开全镇冬季供暖保障工作会议，主要是安排部署今冬明春的供暖工作。"
    "各村、各单位要提前检修供热管网，备足燃煤，确保群众温暖过冬。",
    "Heating season plan, written as a Word 97 file for the dupdetect tests.",
]


REAL_CONVERTERS = {tool: shutil.which(tool) for tool in ("antiword", "catdoc")}


@pytest.mark.parametrize("tool", list(REAL_CONVERTERS))
def test_real_converter_reads_the_word97_fixture(tool: str, no_converters: Path) -> None:
    real = REAL_CONVERTERS[tool]
    if real is None:
        pytest.skip(f"{tool} is not installed (make test installs it with apt-get where it can)")
    (no_converters / tool).symlink_to(real)  # the only converter on the PATH: this one is the one run
    assert extract("word97.doc") == Extracted("\n".join(HEATING_LINES), f"doc:{tool}")


def test_word97_fixture_is_read_through_ingest_by_the_first_converter_installed() -> None:
    installed = [tool for tool, real in REAL_CONVERTERS.items() if real]
    if not installed:
        pytest.skip("neither antiword nor catdoc is installed (make test installs them with apt-get where it can)")
    docs, warnings = read_corpus([FORMATS / "word97.doc"])
    assert warnings == ()
    assert [(d.text, d.encoding) for d in docs] == [("\n".join(HEATING_LINES), f"doc:{installed[0]}")]


def test_doc_that_is_rtf() -> None:
    extracted = extract("wps-saved.doc")
    assert extracted.encoding == "rtf:gb18030"
    assert extracted.text.split("\n") == [
        "在全县教育工作会议上的讲话",
        "同志们：今天召开全县教育工作会议，目的是总结成绩、查找不足，部署今后一个时期的教育工作。",
        "教育是国之大计、党之大计。各乡镇各部门要把教育摆在优先发展的战略位置，"
        "在经费投入、师资配备、校舍建设等方面给予有力保障。",
    ]
    for junk in ("宋体", "infotitle63", "authorname64", "WPS", "?"):
        assert junk not in extracted.text


def test_rtf_escapes_and_surrogate_pairs() -> None:
    data = b"{\\rtf1\\ansi{\\*\\unknown skipped}A\\{b\\}\\tab c\\line \\u-10179?\\u-8704?\\emdash\\par}"
    assert extract_text(data, path=Path("a.rtf"), config=CONFIG).text == "A{b}\tc\n\U0001f600—"


def test_doc_that_is_plain_gb_text() -> None:
    text = "各位代表：\n现在我代表县人民政府报告工作。\n"
    extracted = extract_text(text.encode("gbk"), path=Path("speech.doc"), config=CONFIG)
    assert extracted == Extracted(text, "gb18030")  # plain text is kept exactly


def test_doc_with_unrecognised_binary_content() -> None:
    with pytest.raises(InputError, match=r"^unrecognised \.doc content"):
        extract_text(b"\x00\x01binary\x00", path=Path("speech.doc"), config=CONFIG)


PREFIXES = [b"%PDF-1.4\n", b"PK\x03\x04", b"{\\rtf1 ", b"<!DOCTYPE html>", b"MIME-Version: 1.0\r\n", b""]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600), name=st.sampled_from(["a.doc", "a.docx"]))
def test_garbage_is_an_input_error_never_a_crash(prefix: bytes, body: bytes, name: str) -> None:
    assume(prefix + body)  # empty files are ingest's business
    try:
        message = extract_text(prefix + body, path=Path(name), config=CONFIG).text
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message
    assert message


# --------------------------------------------------------------------------
# through ingest


@pytest.mark.usefixtures("no_converters")
def test_fixture_folder_reads_every_good_file_and_warns_once_per_bad_one() -> None:
    docs, warnings = read_corpus([FORMATS])
    assert {d.id: d.encoding for d in docs} == {"c1": "csv:utf-8-sig", "c2": "csv:utf-8-sig", **GOOD_FIXTURES}
    assert [(Path(w.source).name, w.message.split(":")[0]) for w in warnings] == [
        ("broken.docx", "broken docx"),
        ("broken.pdf", "broken pdf"),
        ("corpus.csv:4", "row has no text in the 'text' column"),
        ("legacy.doc", "legacy Word .doc; convert it to .docx (or install antiword)"),
        ("word97.doc", "legacy Word .doc; convert it to .docx (or install antiword)"),
    ]
    titles = {d.id: d.title for d in docs}
    assert titles["speech.html"] == "在全县安全生产工作会议上的讲话"
    assert titles["speech.docx"] == "在全镇安全生产工作会议上的讲话"


def test_scan_end_to_end_finds_the_template_across_formats() -> None:
    report = dupdetect.scan([str(FORMATS)])
    assert {d.id for d in report.documents} >= set(GOOD_FIXTURES)
    families = [set(f.members) for f in report.families]
    assert any({"speech.html", "speech.docx", "mhtml-saved.doc"} <= members for members in families)
    assert any({"speech.pdf", "web-saved.doc"} <= members for members in families)


def test_bad_file_between_good_ones_does_not_stop_the_scan(tmp_path: Path) -> None:
    shutil.copy(FORMATS / "speech.html", tmp_path / "a.html")
    shutil.copy(FORMATS / "broken.pdf", tmp_path / "b.pdf")
    shutil.copy(FORMATS / "speech.docx", tmp_path / "c.docx")
    docs, warnings = read_corpus([tmp_path])
    assert [d.id for d in docs] == ["a.html", "c.docx"]
    assert [w.source for w in warnings] == [str(tmp_path / "b.pdf")]


def test_file_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (3 * MiB // 2))
    (tmp_path / "small.txt").write_text("甲", encoding="utf-8")
    docs, warnings = read_corpus([tmp_path], config=IngestConfig(max_file_bytes=MiB))
    assert [d.id for d in docs] == ["small.txt"]
    assert [(w.source, w.message) for w in warnings] == [
        (str(big), "file is 1.5 MiB, over the --max-file-size limit of 1.0 MiB")
    ]
    assert len(read_corpus([tmp_path], config=IngestConfig(max_file_bytes=None))[0]) == 2


def test_a_corpus_file_has_its_own_size_limit(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(f'{{"id": "d{i}", "text": "{"甲" * 9000}"}}\n' for i in range(60)), encoding="utf-8")
    (tmp_path / "big.txt").write_bytes(b"a" * (3 * MiB // 2))
    docs, warnings = read_corpus([tmp_path], config=IngestConfig(max_file_bytes=MiB))
    assert len(docs) == 60 and [w.message for w in warnings] == [
        "file is 1.5 MiB, over the --max-file-size limit of 1.0 MiB"
    ]
    docs, warnings = read_corpus([corpus], config=IngestConfig(max_corpus_bytes=MiB))
    assert not docs and [w.message for w in warnings] == [
        "file is 1.5 MiB, over the --max-corpus-size limit of 1.0 MiB"
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"max_file_bytes": 0},
        {"max_corpus_bytes": 0},
        {"max_member_bytes": -1},
        {"max_unpacked_bytes": 0},
        {"max_zip_ratio": 0.5},
        {"converter_timeout": 0},
    ],
)
def test_limits_are_validated(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        IngestConfig(**bad)  # type: ignore[arg-type]


def test_empty_docx_file_is_reported_as_empty(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"")
    _, warnings = read_corpus([tmp_path])
    assert [w.message for w in warnings] == ["empty file: no text to scan"]


def test_fixtures_are_what_make_fixtures_writes() -> None:
    pytest.importorskip("reportlab")
    spec = importlib.util.spec_from_file_location("make_fixtures", FORMATS / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build()
    on_disk = {p.name: p.read_bytes() for p in FORMATS.iterdir() if p.suffix != ".py" and p.is_file()}
    assert built == on_disk
    assert os.path.getsize(FORMATS / "speech.docx") < 64 * 1024


# --------------------------------------------------------------------------
# bombs made on the fly (tests/hostile.py)


def test_pdf_filter_chain_longer_than_pypdf_allows_is_refused() -> None:
    data = hostile.pdf(hostile.pdf_text("twenty filters"), filters=20)
    with pytest.raises(InputError, match=r"pdf passes a safety limit \(maximum filter count"):
        extract_text(data, path=Path("chain.pdf"), config=CONFIG)
    assert (
        extract_text(hostile.pdf(hostile.pdf_text("three filters"), filters=3), path=Path("a.pdf"), config=CONFIG).text
        == "three filters"
    )


def test_pdf_stream_inflating_past_the_member_cap_is_refused() -> None:
    data = hostile.pdf_flate_bomb(4 * MiB)
    assert len(data) < 10_000
    with pytest.raises(InputError, match="pdf passes a safety limit"):
        extract_text(data, path=Path("bomb.pdf"), config=IngestConfig(max_member_bytes=MiB))
    assert extract_text(data, path=Path("bomb.pdf"), config=CONFIG).text == "bomb"  # 4 MiB is under 50 MiB


def test_pdf_text_over_the_character_limit_stops_extraction() -> None:
    data = hostile.pdf(hostile.pdf_text("x" * 200))
    with pytest.raises(InputError, match="pdf text is over the --max-text-chars limit of 100 characters"):
        extract_text(data, path=Path("long.pdf"), config=IngestConfig(max_text_chars=100))


def test_docx_member_that_lies_about_its_size_is_read_no_further_than_it_declares() -> None:
    data = hostile.lying_docx(unpacked=8 * MiB, declared=1000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000
    with pytest.raises(InputError, match="bad CRC-32"):
        extract_text(data, path=Path("lying.docx"), config=CONFIG)


def test_hand_made_docx_and_pdf_read_as_their_format() -> None:
    assert extract_text(hostile.docx(["第一段", "第二段"]), path=Path("a"), config=CONFIG) == Extracted(
        "第一段\n第二段", "docx"
    )
    assert extract_text(hostile.pdf(hostile.pdf_text("plain")), path=Path("b"), config=CONFIG).encoding == "pdf"


def test_a_main_text_missing_a_paragraph_before_those_it_kept_gives_way_to_the_page() -> None:
    from dupdetect.read.formats import _left_out

    nav = "首页 | 政务公开 | 领导讲话"
    comment = "网友评论：讲得很实在，我们村今年也在山口设了检查站，进山的人都要登记，大家的防火意识明显提高了。"
    page = "\n".join([nav, *_FIRE, comment])
    assert not _left_out("\n".join(_FIRE), page)  # all the speech: the comment after it is not missed
    assert _left_out("\n".join(_FIRE[1:]), page)  # the first paragraph lost in the tags
    assert _left_out("\n".join([_FIRE[0], *_FIRE[2:]]), page)  # one in the middle
    assert _left_out("", page)
