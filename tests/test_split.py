from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dupdetect.stages import split
from dupdetect.stages.clean import find_chrome
from dupdetect.stages.split import chinese_number, split_document
from tests.conftest import make_doc

SPEECH = "同志们:\n" + "今天我们召开全县安全生产工作会议,主要任务是总结工作,部署任务,确保全年目标顺利实现。\n" * 6


def test_chinese_numbers() -> None:
    assert [chinese_number(x) for x in ["一", "十", "十七", "二十三", "12", "一百零五", "两"]] == [
        1,
        10,
        17,
        23,
        12,
        105,
        2,
    ]


def test_compilation_page_splits_into_numbered_parts_without_its_intro() -> None:
    text = "精选讲话稿,供参考。\n" + "".join(
        f"{heading}\n{SPEECH}" for heading in ["讲话稿范文(3篇)篇一", "【篇二】", "第三篇"]
    )
    parts = split_document(make_doc("page.txt", text))
    assert [p.doc.id for p in parts] == ["page.txt#1", "page.txt#2", "page.txt#3"]
    for p in parts:
        assert p.doc.text == SPEECH
        assert text[p.doc.span.start : p.doc.span.end] == p.doc.text
        assert p.doc.meta["part_of"] == "page.txt"
    assert parts[0].title_hint == "讲话稿范文(3篇)"


def test_headings_out_of_order_are_not_a_compilation() -> None:
    text = f"篇二\n{SPEECH}篇一\n{SPEECH}"
    assert len(split_document(make_doc("x.txt", text))) == 1


def test_a_run_on_second_speech_is_split_at_its_title() -> None:
    second = "县长在全县安全生产工作会议上的讲话"
    text = SPEECH.replace("\n", "") * 2 + second + "8月10日," + SPEECH.replace("\n", "") * 2
    parts = split_document(make_doc("two.txt", text))
    assert [p.doc.id for p in parts] == ["two.txt#1", "two.txt#2"]
    assert parts[1].doc.text.startswith(second)
    assert parts[1].title_hint == second


def test_a_title_near_the_top_is_not_a_second_speech() -> None:
    text = "县委书记在全县安全生产工作会议上的讲话\n" + SPEECH
    assert len(split_document(make_doc("one.txt", text))) == 1


def test_removals_move_into_part_coordinates() -> None:
    text = f"篇一\n版权所有:范文网\n{SPEECH}篇二\n{SPEECH}版权所有:范文网\n"
    parts = split_document(make_doc("p.txt", text), find_chrome(text))
    for p in parts:
        assert [p.doc.text[r.span.start : r.span.end] for r in p.removals] == ["版权所有:范文网"]


_PIECES = ["在", "于", "市委", "全市", "会议", "大会", "会", "上", "的", "讲话", "发言", "报告", "致辞", "主持词"]
_PIECES += ["。", "！", "?", "\n", " ", "\u3000", "，", "同志们", "2023年", "5月6日", "(1", "x"]
_PIECES += ["市委书记在全市工作会议上的讲话", "县长于安全生产大会的发言", "在座谈会上的讲话\n"] * 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80))
def test_speech_titles_are_the_pattern_tried_everywhere(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [(m.span(), m.group("title")) for m in split._SPEECH_TITLE_RE.finditer(text)]
    assert [(m.span(), m.group("title")) for m in split.speech_titles(text)] == expected
