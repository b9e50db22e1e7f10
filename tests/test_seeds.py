"""Excerpts of real scraped pages: chrome removed, pages split, the right families found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dupdetect import Report, normalize, read_corpus, scan
from dupdetect.engine.pipeline import clean_corpus
from dupdetect.model.types import Cleaned
from dupdetect.text import to_simplified

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
CHROME = [
    "当前位置",
    "首页 >",
    "下面是小编",
    "供大家参考",
    "上传人",
    "文档编号",
    "第1页 / 共20页",
    "_第3页",
    "展开阅读全文",
    "该文档总共20页",
    "推荐访问",
    "相关热词搜索",
    "猜你喜欢",
    "版权所有",
    "备案号",
    "Powered by",
    "当前隐藏内容免费查看",
    "(wǎng)",
    "(tǒng)",
    "发布时间",
    "版权声明",
]


@pytest.fixture(scope="module")
def cleaned() -> dict[str, Cleaned]:
    docs, warnings = read_corpus([SEEDS])
    assert warnings == ()
    return {c.doc.id: c for c in clean_corpus(docs)}


@pytest.fixture(scope="module")
def seeds_report() -> Report:
    return scan([str(SEEDS)])


def _match_text(c: Cleaned) -> str:
    """The text that takes part in matching: the document without its chrome."""
    keep = [True] * len(c.doc.text)
    for r in c.removals:
        keep[r.span.start : r.span.end] = [False] * len(r.span)
    return to_simplified("".join(ch for ch, k in zip(c.doc.text, keep, strict=True) if k))


def _key(c: Cleaned) -> str:
    return normalize(c.doc.text, drop=[r.span for r in c.removals]).key


def test_no_chrome_line_survives_in_any_seed(cleaned: dict[str, Cleaned]) -> None:
    for doc_id, c in cleaned.items():
        text = _match_text(c)
        assert not [phrase for phrase in CHROME if to_simplified(phrase) in text], doc_id


def test_page_break_markers_are_removed_and_the_sentence_joins(cleaned: dict[str, Cleaned]) -> None:
    key = _key(cleaned["001_e53c5ec71abedecf.txt#1"])
    assert "否则危害是无穷的.三是危害性" in key
    assert "要领导一出面,就能摆平这事儿,不用别人管了" in key
    assert not re.search(r"[^\d]\d{1,2},(县委书记|好自己|无穷的)", key)


def test_real_list_numbering_is_kept(cleaned: dict[str, Cleaned]) -> None:
    key = _key(cleaned["002_6c7832037c5384b6.txt"])
    assert "一,充分认识抓好疫情防控" in key


def test_injected_text_is_cut_out_and_the_halves_join(cleaned: dict[str, Cleaned]) -> None:
    keys = [_key(c) for doc_id, c in cleaned.items() if doc_id.startswith("004")]
    assert any("精准防控外来人员.二要重点加强大型建筑工地" in k for k in keys)


def test_pinyin_debris_is_dropped(cleaned: dict[str, Cleaned]) -> None:
    key = _key(cleaned["003_556e0d3dcea93b92.txt"])
    assert "要统筹兼顾,稳中求进" in key or "四要统筹兼顾,稳" in key
    assert "wǎng" not in key and "tǒng" not in key


def test_each_document_says_what_was_removed(seeds_report: Report) -> None:
    removed = {d.id: {r.rule for r in d.chrome} for d in seeds_report.documents}
    assert {"navigation", "metadata", "blurb", "call_to_action", "footer"} <= removed["000_44cb1cd131387e94.txt"]
    assert {"pagination", "page_marker", "metadata"} <= removed["001_e53c5ec71abedecf.txt#1"]
    assert "pinyin" in removed["003_556e0d3dcea93b92.txt"]
    assert any("injected" in rules for doc_id, rules in removed.items() if doc_id.startswith("004"))


# The compilation page titles each of its speeches "…范文(17篇)篇一" to "…篇十七": how many parts it holds.
PAGE_PART_TITLE = re.compile(r"^.*范文\(\d+篇\)篇[一二三四五六七八九十]+$", re.MULTILINE)


def test_compilation_gives_exactly_17_parts_numbered_by_the_page(seeds_report: Report) -> None:
    titled = PAGE_PART_TITLE.findall((SEEDS / "004_f8dd9b243d2243c2.txt").read_text(encoding="utf-8"))
    parts = sorted(d.id for d in seeds_report.documents if d.id.startswith("004"))
    assert sorted(parts) == sorted(f"004_f8dd9b243d2243c2.txt#{n}" for n in range(1, len(titled) + 1))
    first = next(d for d in seeds_report.documents if d.id.endswith("#1") and d.id.startswith("004"))
    assert not first.title.startswith("演講稿范文")  # the page's intro is chrome, not a part


def test_run_on_second_speech_is_split_off(seeds_report: Report) -> None:
    titles = {d.id: d.title for d in seeds_report.documents if d.id.startswith("001")}
    assert titles == {
        "001_e53c5ec71abedecf.txt#1": "县委书记在县新冠肺炎疫情防控工作专题会议讲话",
        "001_e53c5ec71abedecf.txt#2": "县长在县新冠肺炎疫情防控工作专题会议上讲话",
    }


def test_titles_dates_and_sites_are_extracted(seeds_report: Report) -> None:
    docs = {d.id: d for d in seeds_report.documents}
    d000 = docs["000_44cb1cd131387e94.txt"]
    assert (d000.title, d000.date, d000.site) == (
        "市委书记在4月份全市疫情防控紧急调度会上讲话",
        "2023-12-19",
        "益聚范文网",
    )
    d003 = docs["003_556e0d3dcea93b92.txt"]
    assert (d003.date, d003.site) == ("2022-03-21", "臨汾新聞網")
    assert docs["002_6c7832037c5384b6.txt"].site == "方远公文网"


def test_seed_families(seeds_report: Report) -> None:
    families = sorted(sorted(f.members) for f in seeds_report.families)
    stem = "004_f8dd9b243d2243c2.txt#"
    assert families == sorted(sorted(f"{stem}{n}" for n in group) for group in ([3, 4, 17], [7, 9], [2, 15]))
    roles = {d.id: d.role for d in seeds_report.documents}
    assert roles[f"{stem}3"] == "template"
    # 17 is a long speech that takes about half of 3 (1,027 of 3's characters when aligned against it
    # directly, more than the copy share of 50 %), and 4 takes most of it
    assert roles[f"{stem}17"] == "copy" and roles[f"{stem}4"] == "copy"


def test_pages_sharing_only_stock_phrases_are_in_no_family(seeds_report: Report) -> None:
    for d in seeds_report.documents:
        if d.id[:3] in ("000", "001", "002", "003"):
            assert d.family is None, d.id
