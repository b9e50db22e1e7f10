"""What the views draw: texts read again for a saved report, passages, placeholders, fills."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dupdetect import Report, scan
from dupdetect.model.errors import InputError
from dupdetect.model.serialize import load_report
from dupdetect.model.types import Span
from dupdetect.read.ingest import iter_documents
from dupdetect.text import text_lang
from dupdetect.views.files import write_outputs
from dupdetect.views.marks import (
    Mark,
    document_marks,
    document_texts,
    moved_passages,
    ordinal,
    pair_view,
    reread_texts,
    resolve_document,
    segments,
    slot_note,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE, REORDERED = "famA-template-placeholders.txt", "famA-copy-edited-reordered.txt"


@pytest.fixture(scope="module")
def texts(fixture_report: Report, speeches_dir: Path) -> dict[str, str]:
    return document_texts(fixture_report, iter_documents([str(speeches_dir)], on_warning=lambda w: None))


def test_a_saved_report_reads_the_same_texts_again(
    fixture_report: Report, texts: dict[str, str], tmp_path: Path
) -> None:
    write_outputs(fixture_report, tmp_path)
    again, warnings = reread_texts(load_report(tmp_path / "report.json"))
    assert warnings == () and again == texts
    assert len(texts) == len(fixture_report.documents)


def test_parts_of_a_compilation_page_are_cut_from_their_page(tmp_path: Path) -> None:
    seeds = [str(ROOT / "fixtures" / "seeds")]
    report = scan(seeds)
    write_outputs(report, tmp_path)
    again, warnings = reread_texts(load_report(tmp_path / "report.json"))
    assert warnings == ()
    assert again == document_texts(report, iter_documents(seeds, on_warning=lambda w: None))
    parts = [d for d in report.documents if "#" in d.id]
    assert len(parts) >= 17 and all(len(again[d.id]) == d.chars for d in parts)


def test_jsonl_records_are_read_again_by_line(tmp_path: Path) -> None:
    body = "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务。"
    lines = [json.dumps({"id": k, "text": f"{k}{body * 3}"}, ensure_ascii=False) for k in ("a", "b")]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    report = scan([str(tmp_path / "c.jsonl")])
    again, warnings = reread_texts(report)
    assert warnings == () and again == {"a": f"a{body * 3}", "b": f"b{body * 3}"}


def test_a_source_changed_since_the_scan_is_left_out_with_a_warning(tmp_path: Path, speeches_dir: Path) -> None:
    for name in (TEMPLATE, REORDERED):
        shutil.copy(speeches_dir / name, tmp_path / name)
    report = scan([str(tmp_path)])
    (tmp_path / TEMPLATE).write_text("改过了", encoding="utf-8")
    (tmp_path / REORDERED).unlink()
    again, warnings = reread_texts(report)
    assert again == {}
    assert {w.source.rsplit("/", 1)[-1] for w in warnings} == {TEMPLATE, REORDERED}
    assert any("changed since the scan" in w.message for w in warnings)
    assert any("not found" in w.message for w in warnings)


def test_relative_sources_start_at_the_folder_the_scan_ran_in(
    tmp_path: Path, speeches_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(speeches_dir, tmp_path / "scan" / "corpus")
    monkeypatch.chdir(tmp_path / "scan")
    report = scan(["corpus"])
    assert report.root == str(tmp_path / "scan") and report.documents[0].source.startswith("corpus/")
    monkeypatch.chdir(ROOT)
    again, warnings = reread_texts(report)  # from anywhere: the report says where the scan ran
    assert warnings == () and len(again) == len(report.documents)
    (tmp_path / "scan").rename(tmp_path / "moved")
    with pytest.raises(InputError, match=r"corpus/\S+ is not under .*scan.*--root"):
        reread_texts(report)
    again, warnings = reread_texts(report, root=tmp_path / "moved")
    assert warnings == () and len(again) == len(report.documents)


def test_every_fill_is_marked_where_the_member_wrote_it(fixture_report: Report, texts: dict[str, str]) -> None:
    marks = document_marks(fixture_report, texts)
    for slot in fixture_report.slots:
        for member, fill in slot.fills.items():
            found = [m for m in marks[member] if m.kind == "fill" and m.note == slot_note(slot)]
            assert len(found) == 1, (slot.family, slot.slot, member)
            assert texts[member][found[0].span.start : found[0].span.end] == fill


def test_template_slots_and_placeholders_are_marked(fixture_report: Report, texts: dict[str, str]) -> None:
    marks = document_marks(fixture_report, texts)
    placeholders = {texts[TEMPLATE][m.span.start : m.span.end] for m in marks[TEMPLATE] if m.kind == "placeholder"}
    assert {"xx", "×××", "__", "***"} <= placeholders
    slots = [m for m in marks[TEMPLATE] if m.kind == "slot"]
    assert len(slots) == sum(1 for s in fixture_report.slots if s.family == "F1")


def test_passages_are_numbered_in_the_order_of_the_left_document(fixture_report: Report, texts: dict[str, str]) -> None:
    view = pair_view(fixture_report, texts, TEMPLATE, REORDERED)
    # 6 passages: a regression pin from the tool's own output, not derived (fixtures/README.md says so)
    assert view.a.info.id == TEMPLATE and len(view.passages) == 6
    assert [p.a.start for p in view.passages] == sorted(p.a.start for p in view.passages)
    flipped = pair_view(fixture_report, texts, REORDERED, TEMPLATE)
    assert sorted((p.b, p.a) for p in flipped.passages) == sorted((p.a, p.b) for p in view.passages)
    assert (view.a.coverage, view.b.coverage) == (flipped.b.coverage, flipped.a.coverage)
    numbered = [m for m in view.b.marks if m.kind == "passage"]
    assert sorted(m.number for m in numbered) == [1, 2, 3, 4, 5, 6]


def test_one_moved_section_moves_one_passage(fixture_report: Report, texts: dict[str, str]) -> None:
    view = pair_view(fixture_report, texts, TEMPLATE, REORDERED)
    assert moved_passages(view) == {5: 2}
    same = pair_view(fixture_report, texts, TEMPLATE, "famA-copy-filled.txt")
    assert moved_passages(same) == {}


def test_documents_without_a_pair_have_no_passages(fixture_report: Report, texts: dict[str, str]) -> None:
    view = pair_view(fixture_report, texts, "en-unrelated.txt", TEMPLATE)
    assert view.pair is None and view.passages == () and view.a.coverage == 0.0


def test_segments_cut_at_every_mark_and_keep_overlaps() -> None:
    marks = [Mark("passage", Span(0, 6), 1), Mark("fill", Span(2, 4), 3)]
    cut = [(s, e, [m.kind for m in ms]) for s, e, ms in segments(8, marks)]
    assert cut == [(0, 2, ["passage"]), (2, 4, ["passage", "fill"]), (4, 6, ["passage"]), (6, 8, [])]


def test_text_lang_tells_scripts_apart(texts: dict[str, str]) -> None:
    assert text_lang(texts[TEMPLATE]) == "zh-Hans"
    assert text_lang(texts["famA-copy-traditional.txt"]) == "zh-Hant"
    assert text_lang(texts["famB-copy-big5.txt"]) == "zh-Hant"
    assert text_lang(texts["en-copy-filled.txt"]) == "en"


def test_documents_are_found_by_id_path_or_unique_ending(fixture_report: Report, speeches_dir: Path) -> None:
    assert resolve_document(fixture_report, TEMPLATE) == TEMPLATE
    assert resolve_document(fixture_report, str(speeches_dir / TEMPLATE)) == TEMPLATE
    assert resolve_document(fixture_report, "edited-reordered.txt") == REORDERED
    assert resolve_document(fixture_report, "template.txt") == "famB-template.txt"
    assert resolve_document(fixture_report, ".txt") is None
    assert resolve_document(fixture_report, "nothing.txt") is None


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
    ]  # fmt: skip


def test_page_chrome_is_marked_with_the_rule_that_removed_it(fixture_report: Report, texts: dict[str, str]) -> None:
    marks = document_marks(fixture_report, texts, only=["famA-copy-in-page-chrome.txt"])
    chrome = [m for m in marks["famA-copy-in-page-chrome.txt"] if m.kind == "chrome"]
    info = next(d for d in fixture_report.documents if d.id == "famA-copy-in-page-chrome.txt")
    assert [m.span for m in chrome] == sorted(r.span for r in info.chrome) and chrome
    assert all("page chrome (" in m.note for m in chrome)
    assert set(marks) == {"famA-copy-in-page-chrome.txt", TEMPLATE}  # its template, for the fills
