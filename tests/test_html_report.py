"""The HTML report as a file: self-contained, escaped, a strict CSP, the views it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dupdetect import Report, detect, scan
from dupdetect.read.ingest import iter_documents
from dupdetect.views.html import CSS, JS, HtmlOptions, csp_hash, render_html
from dupdetect.views.marks import document_texts
from tests.conftest import make_doc

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [str(ROOT / "fixtures" / "speeches"), str(ROOT / "fixtures" / "views" / "inject")]
TEMPLATE, REORDERED = "famA-template-placeholders.txt", "famA-copy-edited-reordered.txt"


@pytest.fixture(scope="module")
def page() -> str:
    report = scan(CORPUS)
    return render_html(report, document_texts(report, iter_documents(CORPUS, on_warning=lambda w: None)))


def _pair_section(page: str, a: str, b: str) -> str:
    start = page.index(f'<span class="id ids">{a} ↔ {b}</span>')
    return page[start : page.index("</section>", start)]


def test_the_page_brings_its_own_script_and_style_and_nothing_else(page: str) -> None:
    assert page.count("<script") == 1 and page.count("<style") == 1
    assert not re.search(r"<(?:link|iframe|object|embed|img|base|form|meta http-equiv=\"refresh)", page, re.I)
    assert not re.search(r"<[^>]*\s(?:src|srcset|action|formaction|xlink:href)=", page)
    assert set(re.findall(r'href="([^"#][^"]*)"', page)) == set()
    assert "url(http" not in page and "@import" not in page


def test_the_csp_allows_only_the_hashes_of_the_pages_own_script_and_style(page: str) -> None:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert match is not None
    policy = match[1].replace("&#x27;", "'")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script is not None and style is not None
    assert directives["script-src"] == csp_hash(script[1]) == csp_hash(JS)
    assert directives["style-src"] == csp_hash(style[1]) == csp_hash(CSS)
    assert "unsafe" not in policy and "http" not in policy and "*" not in policy


def test_no_inline_style_attributes_or_event_handlers(page: str) -> None:
    assert not re.search(r"<[^>]+\sstyle=", page)
    assert not re.search(r"<[^>]+\son[a-z]+=", page, re.I)


def test_injected_markup_in_a_speech_is_shown_as_text(page: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;加粗&lt;/b&gt; &amp;amp; &amp;lt;不是标签&amp;gt;" in page
    assert "<script>alert" not in page and "<b>加粗" not in page


def test_ids_titles_warnings_and_fills_from_the_data_are_escaped() -> None:
    body = "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务。" * 3
    evil = '"><svg onload=alert(1)>'
    docs = [make_doc(f"{evil}a.txt", f"<img src=x onerror=alert(2)>标题\n{body}"), make_doc("b.txt", f"标题\n{body}")]
    from dupdetect.model.types import ScanWarning

    report = detect(docs, warnings=[ScanWarning(f"{evil}.txt", "<script>alert(3)</script>")])
    page = render_html(report, {d.id: d.text for d in docs})
    assert "<svg onload" not in page and "<img" not in page and "<script>alert" not in page
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;a.txt" in page


def test_a_known_pair_has_its_passages_numbered_in_both_panes(page: str) -> None:
    section = _pair_section(page, TEMPLATE, REORDERED)
    panes = section.split('<div class="pane"')[1:]
    assert len(panes) == 2
    for pane in panes:
        assert sorted(int(n) for n in re.findall(r'<a class="num c\d"[^>]*>(\d+)', pane)) == [1, 2, 3, 4, 5, 6]
    assert 'lang="zh-Hans"' in panes[0] and "moved: 2nd" in panes[1]
    assert re.search(r'class="[^"]*fill[^"]*"[^>]*>九江<', panes[1])
    assert re.search(r'class="[^"]*ph[^"]*"[^>]*>×××<', panes[0])


def test_panes_say_their_language(page: str) -> None:
    section = _pair_section(page, TEMPLATE, "famA-copy-traditional.txt")
    assert re.findall(r'<div class="pane" lang="([^"]+)"', section) == ["zh-Hans", "zh-Hant"]


def test_overview_families_and_controls_are_there(page: str) -> None:
    assert '<section id="overview">' in page and 'class="hist"' in page
    assert page.count('<details class="family"') == 5 and page.count('class="graph"') == 5
    assert 'id="minlen"' in page and "@media print" in page and "line-break:strict" in page
    assert '<span class="slot" title="slot 1">{1}</span>' in page


def test_pairs_beyond_the_limit_are_listed_but_not_drawn() -> None:
    report = scan(CORPUS[:1])
    page = render_html(report, {}, options=HtmlOptions(max_pairs=2))
    assert page.count('<section class="pair"') == 2
    assert f"2 of {len(report.pairs)} pairs are shown side by side" in page
    assert "The text is not available" in page


def test_the_same_report_gives_the_same_bytes(fixture_report: Report) -> None:
    assert render_html(fixture_report, {}) == render_html(fixture_report, {})
