"""What a saved index says of new speeches (:class:`~dupdetect.model.answer.Answer`) -> rich renderables."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dupdetect.model.answer import Answer, Joined
from dupdetect.model.types import DocPair, Span
from dupdetect.views.terminal import safe

_FILL_STYLE = "green"
_PLACEHOLDER_STYLE = "bold magenta"


def render_answers(answers: Sequence[Answer]) -> RenderableType:
    """Each speech: the families it joins with its fills, and the indexed documents it shares passages with."""
    if not answers:
        return Text("No speech was read.")
    return Group(*(render_answer(a) for a in answers))


def render_answer(answer: Answer) -> RenderableType:
    """One speech's answer."""
    head = Text(safe(answer.query), style="bold")
    if not answer.matched:
        head.append(": shares no substantial passage with the indexed documents", style="")
        return Group(head, _page_matches(answer)) if answer.page_matches else head
    duplicates = [m.doc for m in answer.matches if m.duplicate]
    head.append(f": {len(answer.matches)} indexed documents share passages with it", style="")
    if duplicates:
        head.append(f"; an exact copy of {safe(duplicates[0])}", style="bold red")
    parts: list[RenderableType] = [head]
    parts.extend(_family(answer, j) for j in answer.families)
    parts.append(_matches(answer))
    if answer.page_matches:
        parts.append(_page_matches(answer))
    return Group(*parts)


def _page_matches(answer: Answer) -> RenderableType:
    said = ", ".join(
        f"{safe(m.doc)} ({'an exact copy' if m.duplicate else f'{_coverage(m.pair, answer.query):.0%} of the speech'})"
        for m in answer.page_matches
    )
    return Text(f"  on the same page, it shares passages with {said}")


def _family(answer: Answer, joined: Joined) -> RenderableType:
    name = joined.family or "a new family"
    if joined.template == answer.query:
        title = Text(
            f"{name}: the speech is the template of the {joined.size} documents it matches (it holds more "
            "placeholders than any of them); what they filled in"
        )
    else:
        title = Text(f"{name}: template {safe(joined.template or '(none)')}")
    if joined.family:
        title.append(f", {joined.size} indexed members")
    if joined.pair is not None:
        title.append(f"; the template covers {_coverage(joined.pair, answer.query):.0%} of the speech")
    if not joined.fills:
        fuller = any(j.template == answer.query for j in answer.families)
        cleared = fuller and joined.template not in (None, answer.query) and joined.pair is not None
        said = "the speech holds more placeholders than this template: its own slots follow" if cleared else "no slots"
        return Group(title, Text(f"  {said}", style="dim"))
    table = Table()
    table.add_column("slot", justify="right")
    table.add_column("template text")
    shown = fillers(answer, joined)[:MEMBER_COLUMNS]
    for who in shown:
        table.add_column(Text("the speech's fill" if who == answer.query else safe(who)), overflow="fold")
    for s in joined.fills:
        label = Text(str(s.slot)) if s.kind == "explicit" else Text(f"{s.slot}*", style="italic")
        cells = [
            Text(safe(fill), style=_FILL_STYLE) if (fill := s.fills.get(who)) is not None else Text("—", style="dim")
            for who in shown
        ]
        table.add_row(label, Text(safe(s.template_text), style=_PLACEHOLDER_STYLE), *cells)
    return Group(title, table)


MEMBER_COLUMNS = 4
"""The indexed documents whose fills a terminal shows beside a speech that is their template."""


def fillers(answer: Answer, joined: Joined) -> list[str]:
    """Whose fills a joined family's slots show: the speech's, or when the speech is the template, those of
    the documents it matches (the most text shared first)."""
    if joined.template != answer.query:
        return [answer.query]
    filled = {who for s in joined.fills for who in s.fills}
    return [m.doc for m in answer.matches if m.doc in filled]


def _matches(answer: Answer) -> RenderableType:
    table = Table(title="Indexed documents sharing passages", title_justify="left")
    table.add_column("document", overflow="fold")
    table.add_column("family")
    table.add_column("shared chars", justify="right")
    table.add_column("of the speech", justify="right")
    table.add_column("passages [speech offsets]", overflow="fold")
    for m in answer.matches:
        table.add_row(
            Text(safe(m.doc)),
            Text(", ".join(m.families)),
            str(m.pair.shared_chars),
            f"{_coverage(m.pair, answer.query):.0%}",
            Text(", ".join(f"[{s.start}, {s.end})" for s in _speech_spans(m.pair, answer.query))),
        )
    return table


def _coverage(pair: DocPair, query: str) -> float:
    return pair.coverage_a if pair.a == query else pair.coverage_b


def _speech_spans(pair: DocPair, query: str) -> list[Span]:
    return [p.a if pair.a == query else p.b for p in pair.passages]
