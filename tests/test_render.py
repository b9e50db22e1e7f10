"""The terminal never interprets what documents and file names hold."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from dupdetect import detect
from dupdetect.model.types import Family, Report, ScanWarning
from dupdetect.views.terminal import render_families, render_scan, render_warnings, safe
from tests.conftest import make_doc

BODY = (
    "今天我们召开全市安全生产工作会议,主要任务是总结去年工作,分析当前形势,部署今年任务,确保全年目标顺利实现。"
    "各级各部门要切实提高政治站位,把安全生产摆在更加突出的位置,层层压实责任,确保各项措施落到实处。"
    "要深入开展隐患排查治理,对排查出的问题建立台账,明确整改时限和责任人,做到整改闭环,坚决防范遏制重特大事故发生。"
)


def _render(renderable: object) -> str:
    out = StringIO()
    Console(file=out, width=120, color_system=None, force_terminal=False).print(renderable)
    return out.getvalue()


def test_escape_sequences_and_markup_in_names_and_text_stay_inert() -> None:
    evil = "[bold red]\x1b]0;pwned\x07\u202eevil.txt"
    docs = [make_doc(evil, "\x1b[31m" + BODY), make_doc("plain.txt", BODY)]
    report = detect(docs)
    text = {evil: "\x1b[31m" + BODY, "plain.txt": BODY}
    shown = _render(render_scan(report, text)) + _render(render_warnings((ScanWarning(evil, "bad \x1b[2J"),)))
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "[bold red]" in shown and "\\x1b" in shown


def test_safe_keeps_text_and_newlines() -> None:
    assert safe("同志们:\n\t今天") == "同志们:\n\t今天"


def test_the_scan_summary_shows_the_largest_families_and_says_what_it_left_out() -> None:
    families = tuple(
        Family(id=f"F{i}", members=tuple(f"d{i}-{j}" for j in range(20 if i == 1 else 2)), template=None, roles={})
        for i in range(1, 41)
    )
    report = Report(
        tool_version="0",
        config={},
        documents=(),
        families=families,
        pairs=(),
        slots=(),
        counts={},
        warnings=(),
    )
    console = Console(width=200, record=True)
    console.print(render_families(report, limit=30))
    shown = console.export_text()
    assert "F30 " in shown and "F31 " not in shown
    assert "10 more families (20 members)" in shown
    assert "d1-11" in shown and "d1-12" not in shown and "8 more members" in shown
    console = Console(width=200, record=True)
    console.print(render_families(report, members=None))
    everything = console.export_text()
    assert "d1-19" in everything and "F40 " in everything
