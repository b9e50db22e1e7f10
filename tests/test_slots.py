"""Slots and fills: measured against fixtures/expected_slots.json, and on the seed excerpts."""

from __future__ import annotations

import json
from pathlib import Path

from dupdetect import Report, detect, scan
from dupdetect.model.evaluate import core, score_fills
from tests.conftest import make_doc

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = (
    "同志们:\n今天,我们在这里召开xx安全生产工作会议,主要任务是深入贯彻落实上级关于安全生产工作的决策部署,"
    "总结20xx年全省安全生产工作,分析当前面临的形势。刚才,xxx同志通报了全省安全生产情况,讲得都很实在。\n"
    "过去一年,全省各级各部门坚持人民至上、生命至上,全年共排查整改各类隐患***处,事故起数实现双下降。\n"
    "今年要紧盯危险化学品、道路交通、建筑施工等重点行业领域,深入开展安全生产大检查,对发现的问题实行清单化管理,"
    "做到整改一项、销号一项,坚决防范遏制重特大事故发生。\n"
)


def test_fill_precision_and_recall_on_the_fixtures(fixture_report: Report) -> None:
    labels = json.loads((ROOT / "fixtures" / "expected_slots.json").read_text(encoding="utf-8"))["slots"]
    score = score_fills(fixture_report, labels)
    assert score.expected >= 100
    assert score.precision >= 0.9, score
    assert score.recall >= 0.9, score


def test_a_fill_longer_than_its_placeholder_is_read_whole() -> None:
    copy = (
        TEMPLATE.replace("xx安全", "黑龙江省安全", 1)
        .replace("20xx", "2023", 1)
        .replace("xxx同志", "副省长王建国同志", 1)
        .replace("***", "12476", 1)
    )
    report = detect([make_doc("a-template.txt", TEMPLATE), make_doc("b-copy.txt", copy)])
    fills = {s.template_text: s.fills.get("b-copy.txt") for s in report.slots}
    assert fills == {"xx": "黑龙江省", "20xx": "2023", "xxx": "副省长王建国", "***": "12476"}
    assert all(s.kind == "explicit" for s in report.slots)


def test_the_template_is_rebuilt_with_numbered_slots() -> None:
    copy = TEMPLATE.replace("xx安全", "黑龙江省安全", 1).replace("20xx", "2023", 1)
    report = detect([make_doc("a.txt", TEMPLATE), make_doc("b.txt", copy)])
    (template,) = report.templates
    assert template.doc == "a.txt"
    assert "召开{1}安全生产工作会议" in template.text and "总结{2}年全省" in template.text
    assert "{4}处" in template.text


def test_reworded_phrases_are_edits_not_slots() -> None:
    copy = TEMPLATE.replace("讲得都很实在", "讲得很好").replace("坚持人民至上", "始终坚持人民至上")
    report = detect([make_doc("a.txt", TEMPLATE), make_doc("b.txt", copy)])
    assert {e.text for e in report.edits} >= {"始终", "好"}
    assert all(s.kind == "explicit" for s in report.slots)


def test_seed_fills_of_004_part_3_in_part_4() -> None:
    report = scan([str(ROOT / "fixtures" / "seeds")])
    stem = "004_f8dd9b243d2243c2.txt#"
    family = next(f for f in report.families if f"{stem}3" in f.members)
    assert family.template == f"{stem}3"
    fills = [s.fills.get(f"{stem}4") for s in report.slots if s.family == family.id]
    expected = ["西安", "鄭州", "寧波", "天津", "20"]
    assert any(fills[i : i + 5] == expected for i in range(len(fills)))


def test_core_strips_what_placeholder_and_fill_share() -> None:
    assert core("xx市", "绥化市") == ("xx", "绥化")
    assert core("x月底", "5月底") == ("x", "5")
    assert core("X書記", "黃书记") == ("x", "黄")


def test_each_fill_says_where_it_stands_in_its_members_text(  # type: ignore[no-untyped-def]
    fixture_report: Report, speeches_dir, tmp_path
) -> None:
    from dupdetect import read_corpus
    from dupdetect.model.serialize import load_report, report_json

    docs, _ = read_corpus([speeches_dir])
    texts = {d.id: d.text for d in docs}
    fills = [(s, m) for s in fixture_report.slots for m in s.fills]
    assert len(fills) >= 100 and all(set(s.fill_spans) == set(s.fills) for s in fixture_report.slots)
    for slot, member in fills:
        span = slot.fill_spans[member]
        assert texts[member][span.start : span.end] == slot.fills[member]
    saved = tmp_path / "report.json"  # a round trip through report.json keeps them
    saved.write_text(report_json(fixture_report), encoding="utf-8")
    assert [s.fill_spans for s in load_report(saved).slots] == [s.fill_spans for s in fixture_report.slots]
    assert "fill_spans" in json.loads(saved.read_text(encoding="utf-8"))["slots"][0]
