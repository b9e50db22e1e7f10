from __future__ import annotations

from dupdetect.model.config import SegmentConfig
from dupdetect.stages.normalize import normalize
from dupdetect.stages.segment import segment

PARAGRAPH = (
    "各级各部门要切实提高政治站位,把安全生产工作摆在更加突出的位置,层层压实责任,确保各项措施落到实处,"
    "坚决防范遏制重特大事故发生。"
)


def _units(text: str, config: SegmentConfig = SegmentConfig()):  # type: ignore[no-untyped-def]
    return segment(0, text, normalize(text), config=config)


def test_each_paragraph_is_a_unit_with_its_original_span() -> None:
    text = f"{PARAGRAPH}\n\n{PARAGRAPH[::-1]}\n"
    units = _units(text)
    assert [text[u.span.start : u.span.end] for u in units] == [PARAGRAPH, PARAGRAPH[::-1]]


def test_short_lines_join_the_next_paragraph() -> None:
    text = f"同志们:\n{PARAGRAPH}"
    (unit,) = _units(text)
    assert text[unit.span.start : unit.span.end] == text


def test_long_run_on_text_is_cut_into_sentence_windows() -> None:
    text = PARAGRAPH * 20
    units = _units(text, SegmentConfig(max_chars=300, window_chars=120))
    assert len(units) > 5
    assert all(len(u.span) <= 2 * 120 + len(PARAGRAPH) for u in units)
    assert all(text[u.span.end - 1] == "。" for u in units)
    assert units[0].span.start == 0 and units[-1].span.end == len(text)


def test_a_sentence_without_an_end_is_still_cut() -> None:
    text = "安" * 2000
    units = _units(text, SegmentConfig(max_chars=300, window_chars=100))
    assert max(len(u.span) for u in units) <= 200
    assert sum(len(u.span) for u in units) == 2000
