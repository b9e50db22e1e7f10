"""The HTML report as a file: self-contained, escaped, a strict CSP, the views it promises."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from dupdetect import Report, detect, scan
from dupdetect.model.types import Document, DocumentInfo, Family, Role, Span
from dupdetect.read.ingest import iter_documents
from dupdetect.views import html_lists
from dupdetect.views.html import CSS, JS, HtmlOptions, csp_hash, render_html
from dupdetect.views.marks import document_texts
from tests.conftest import make_doc, make_info

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [str(ROOT / "fixtures" / "speeches"), str(ROOT / "fixtures" / "views" / "inject")]
TEMPLATE, REORDERED = "famA-template-placeholders.txt", "famA-copy-edited-reordered.txt"


@pytest.fixture(scope="module")
def report() -> Report:
    return scan(CORPUS)


@pytest.fixture(scope="module")
def page(report: Report) -> str:
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


# --------------------------------------------------------------------------
# navigation (issue 20, point 8): titles, sites and dates, lists to find in, families opened one by one


def _rows(tree: HTMLParser, table: str) -> list[list[Node]]:
    return [row.css("td") for row in tree.css(f"table#{table} tbody tr")]


def _text(cell: Node) -> str:
    return " ".join(cell.text(separator=" ").split())


def _labels(page: str) -> list[list[str]]:
    """The node labels of each family graph, in drawing order."""
    return [[t.text() for t in svg.css("text.lbl")] for svg in HTMLParser(page).css("svg.graph")]


def _cut_around_ellipsis(label: str, whole: str) -> bool:
    """Whether ``label`` is ``whole``, or its start and end with a "…" between (a start of 4 or more)."""
    head, cut, tail = label.partition("…")
    return label == whole or (bool(cut) and len(head) >= 4 and whole.startswith(head) and whole.endswith(tail))


_LONG = "mine/pingjiang-2024-gongzuo-huiyi-jianghua-"  # the case: ids that differ only near their end


def _template_and_copy(copy_title: str | None = None) -> list[Document]:
    speeches = ROOT / "fixtures" / "speeches"
    template = (speeches / TEMPLATE).read_text(encoding="utf-8")
    copy = (speeches / "famA-copy-filled.txt").read_text(encoding="utf-8")
    if copy_title is not None:
        copy = copy_title + copy[copy.index("\n") :]
    return [make_doc(f"{_LONG}template.txt", template), make_doc(f"{_LONG}copy.txt", copy)]


def test_graph_nodes_are_labelled_by_title_distinct_for_template_and_copy() -> None:
    docs = _template_and_copy()
    report = detect(docs, jobs=1)
    (family,) = report.families
    assert family.template == f"{_LONG}template.txt"
    ((template_label, copy_label),) = _labels(render_html(report, {d.id: d.text for d in docs}))
    assert template_label != copy_label
    assert _cut_around_ellipsis(template_label, docs[0].title) and _cut_around_ellipsis(copy_label, docs[1].title)


def test_graph_nodes_of_one_title_fall_back_to_their_ids_cut_in_the_middle() -> None:
    docs = _template_and_copy(copy_title="在xx市20xx年安全生产工作会议上的讲话")
    assert docs[0].title == docs[1].title
    report = detect(docs, jobs=1)
    ((template_label, copy_label),) = _labels(render_html(report, {d.id: d.text for d in docs}))
    assert template_label != copy_label
    assert _cut_around_ellipsis(template_label, docs[0].id) and _cut_around_ellipsis(copy_label, docs[1].id)
    assert template_label.endswith("plate.txt") and copy_label.endswith("-copy.txt")  # where the ids differ


def test_every_document_is_listed_by_title_with_its_site_date_and_family(report: Report, page: str) -> None:
    tree = HTMLParser(page)
    rows = {_text(cells[0].css_first(".id")): cells for cells in _rows(tree, "document-table")}
    assert set(rows) == {d.id for d in report.documents}
    assert any(d.family is None for d in report.documents)  # those in no family are listed too
    assert any(d.site for d in report.documents) and any(d.date for d in report.documents)
    numbers = {f.id: i for i, f in enumerate(report.families, start=1)}
    for d in report.documents:
        cells = rows[d.id]
        assert _text(cells[0].css_first(".t")) == d.title.strip()
        assert cells[0].css_first(".t").attributes["title"] == d.id  # the id as the title's tooltip
        assert _text(cells[1]) == (d.site or "—") and _text(cells[2]) == (d.date or "—")
        link = cells[3].css_first("a")
        assert (
            (link.attributes["href"], link.text()) == (f"#family-{numbers[d.family]}", d.family)
            if d.family
            else (link is None and _text(cells[3]) == "none")
        )


def test_families_are_listed_by_their_templates_title_and_open_one_by_one(report: Report, page: str) -> None:
    tree = HTMLParser(page)
    titles = {d.id: d.title.strip() for d in report.documents}
    rows = _rows(tree, "family-table")
    assert len(rows) == len(report.families) > 1
    for family, cells in zip(report.families, rows, strict=True):
        href = cells[0].css_first("a").attributes["href"]
        assert cells[0].css_first("a").text() == family.id and href is not None
        assert family.template is not None
        assert _text(cells[1].css_first(".t")) == titles[family.template]
        section = tree.css_first(f"details.family#{href[1:]}")  # the link leads to the family's own section
        assert section is not None and "open" not in section.attributes  # closed until it is opened
        assert _text(section.css_first("summary h3")) == titles[family.template]
        assert len(section.css("svg.graph")) == 1
    assert tree.css_first("input#find[type=search]") is not None
    for table in ("document-table", "family-table", "site-table", "pair-table"):
        heads = tree.css(f"table#{table} thead th")
        assert sum(1 for th in heads if th.css_first("button.sort")) >= len(heads) - 1, table  # headers sort
    assert {t.attributes["id"] for t in tree.css("table.find")} == {"document-table", "family-table"}


def _info(doc_id: str, site: str, date: str, family: str | None = None, role: Role | None = None) -> DocumentInfo:
    return make_info(
        doc_id, span=Span(0, 0), title=f"标题{doc_id}", chars=100, family=family, role=role, site=site, date=date
    )


A, B, C = "甲网", "乙网", "<i>丙网</i>"  # (a site's name is data: escaped like the rest)


def _family(fid: str, template: str | None, members: dict[str, Role]) -> Family:
    roles: dict[str, Role] = dict(members)
    if template is not None:
        roles[template] = "template"
    return Family(id=fid, members=tuple(sorted(roles)), template=template, roles=roles)


@pytest.fixture
def sites_report(fixture_report: Report) -> Report:
    docs = [
        _info("t1", A, "2019-03-01"),
        _info("c1", B, "2020-05-01"),
        _info("c2", B, "2021-01-01"),
        _info("c3", B, ""),
        _info("m1", C, "2022-02-02"),
        _info("s1", A, "2019-04-01"),
        _info("t2", B, ""),
        _info("c4", A, "2018-12-31"),
        _info("c5", A, ""),
        _info("t3", C, "2017-01-01"),
        _info("c6", B, "2019-09-09"),
        _info("n1", A, "2015-01-01"),
        _info("n2", B, "2015-01-01"),
        _info("t5", "", "2016-01-01"),
        _info("c7", B, "2023-03-03"),
        _info("t6", A, "2018-01-01"),
        _info("c8", B, ""),
        _info("alone", C, "2010-10-10"),
        _info("t7", "", "2012-01-01"),
        _info("c9", "", "2013-01-01"),
    ]
    families = (
        _family("F1", "t1", {"c1": "copy", "c2": "copy", "c3": "partial", "m1": "mosaic", "s1": "copy"}),
        _family("F2", "t2", {"c4": "copy", "c5": "copy"}),
        _family("F3", "t3", {"c6": "copy"}),
        _family("F4", None, {"n1": "copy", "n2": "copy"}),  # no template: no direction to count
        _family("F5", "t5", {"c7": "copy"}),
        _family("F6", "t6", {"c8": "copy"}),
        _family("F7", "t7", {"c9": "copy"}),  # neither site known: nothing said of sites, no row
    )
    family_of = {m: f for f in families for m in f.members}
    docs = [
        replace(d, family=family_of[d.id].id, role=family_of[d.id].roles[d.id]) if d.id in family_of else d
        for d in docs
    ]
    return replace(
        fixture_report,
        documents=tuple(docs),
        families=families,
        pairs=(),
        slots=(),
        edits=(),
        templates=(),
        warnings=(),
    )


def test_sites_copying_from_sites_are_counted_template_site_to_copy_site(sites_report: Report) -> None:
    page = render_html(sites_report, {})
    assert "<i>" not in page and "&lt;i&gt;丙网&lt;/i&gt;" in page
    rows = [[_text(c) for c in cells] for cells in _rows(HTMLParser(page), "site-table")]
    assert rows == [
        # template's site, copy's site, copies, families, earliest template, earliest copy
        [A, B, "4", "2", "2018-01-01", "2020-05-01"],  # F1's copies, partial; F6's copy
        [B, A, "2", "1", "—", "2018-12-31"],
        [A, f"{A} (the same site)", "1", "1", "2019-03-01", "2019-04-01"],  # then by the earliest copy
        [C, B, "1", "1", "2017-01-01", "2019-09-09"],
        [A, C, "1", "1", "2019-03-01", "2022-02-02"],  # a mosaic counts
        ["—", B, "1", "1", "2016-01-01", "2023-03-03"],  # a template with no site found
    ]
    documents = {_text(cells[0].css_first(".id")) for cells in _rows(HTMLParser(page), "document-table")}
    assert "alone" in documents and len(documents) == len(sites_report.documents)


def test_long_listings_are_cut_and_say_how_many_rows_were_left_out(
    sites_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_lists, "TABLE_ROWS", 4)
    page = render_html(sites_report, {})
    tree = HTMLParser(page)
    assert [len(_rows(tree, t)) for t in ("site-table", "family-table", "document-table")] == [4, 4, 4]
    assert "and 2 more site pairs." in page and "and 3 more families" in page
    assert f"and {len(sites_report.documents) - 4} more documents" in page
    shown = [_text(cells[0].css_first(".id")) for cells in _rows(tree, "document-table")]
    assert shown == ["t1", "c1", "c2", "s1"]  # those in families first: the first family's template first


def test_only_the_largest_families_get_a_section_and_the_rest_say_how_to_see_them(sites_report: Report) -> None:
    page = render_html(sites_report, {}, options=HtmlOptions(max_families=2))
    tree = HTMLParser(page)
    sections = [node.attributes["id"] for node in tree.css("details.family")]
    assert sections == ["family-1", "family-2"]  # the first (largest) two
    links = {
        a.attributes["href"]
        for a in tree.css("#family-table a, #document-table a")
        if "family-" in (a.attributes.get("href") or "")
    }
    assert links == {"#family-1", "#family-2"}  # no link to a section that is not there
    left = len(sites_report.families) - 2
    assert f"The {left} smaller families have no section here" in page
    assert "dupdetect template F3 REPORT.json" in page  # where a family without a section is named
    whole = render_html(sites_report, {})
    assert (
        len(HTMLParser(whole).css("details.family")) == len(sites_report.families) and "smaller families" not in whole
    )
