"""What a saved index says of new speeches as ONE self-contained HTML page (``dupdetect query --html``).

For each speech: the verdict (an exact copy, the families it joins, or nothing), each joined family's
slots with what the speech filled in, the speech and the family's template side by side (their shared
passages numbered and coloured alike, the template's slots and the speech's fills marked), the indexed
documents it shares passages with, and the first of them side by side too. The page is the HTML
report's (:func:`dupdetect.views.html.page`): every piece of text escaped, nothing loaded from anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dupdetect.model.answer import Answer, Joined, Match
from dupdetect.model.types import DocPair, DocumentInfo, Removal, Slot, Span
from dupdetect.views.answer import fillers
from dupdetect.views.html import esc, page, pair_section
from dupdetect.views.marks import Mark, PairView, side_by_side, slot_note

MATCHES_SHOWN = 3
"""Indexed documents shown side by side with a speech beyond its families' templates (all are listed)."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """An indexed document as the page shows it: what the index says of it, and its text."""

    info: DocumentInfo
    text: str


def render_answers_page(
    answers: Sequence[Answer], indexed: Mapping[str, Indexed], *, about: str = "", title: str = "dupdetect query"
) -> str:
    """The page; ``indexed``: the documents the answers name (their templates and matches), by id; ``about``:
    a line on the index asked."""
    return page(title, f"{answers_header(answers, about, title)}<main>{answers_body(answers, indexed)}</main>")


def answers_header(answers: Sequence[Answer], about: str, title: str = "dupdetect query") -> str:
    """The page's header: its title, what was asked, and a link to each speech."""
    links = "".join(f'<a href="#speech-{i}">{esc(a.query)}</a>' for i, a in enumerate(answers, start=1))
    matched = sum(a.matched for a in answers)
    summary = f"{len(answers)} speeches checked, {matched} share passages with the index" + (
        f" · {about}" if about else ""
    )
    return f'<header><h1>{esc(title)}</h1><p class="meta">{esc(summary)}</p><nav>{links}</nav></header>'


def answers_body(answers: Sequence[Answer], indexed: Mapping[str, Indexed]) -> str:
    """A section per speech (ids ``speech-1``, ...)."""
    if not answers:
        return '<p class="muted">No speech was read.</p>'
    return "\n".join(_speech(a, i, indexed) for i, a in enumerate(answers, start=1))


def _speech(answer: Answer, number: int, indexed: Mapping[str, Indexed]) -> str:
    anchor = f"speech-{number}"
    parts = [f'<section class="speech" id="{anchor}"><h2>{esc(answer.query)}</h2>']
    if answer.title:
        parts.append(f'<p class="meta">{esc(answer.title)} · {esc(answer.source)}</p>')
    parts.append(f"<p><b>{esc(_verdict(answer))}</b></p>")
    shown: set[str] = set()
    for j, joined in enumerate(answer.families, start=1):
        parts.append(_family(answer, joined, indexed, f"{anchor}-f{j}"))
        if joined.template is not None and joined.pair is not None:
            shown.add(joined.template)
        elif joined.template == answer.query:  # (the speech beside the first match that filled its slots)
            shown.update(fillers(answer, joined)[:1])
    if answer.page_matches:
        others = ", ".join(esc(m.doc) for m in answer.page_matches)
        parts.append(f"<p>On the same page, it shares passages with {others}.</p>")
    if answer.matches:
        parts.append(_matches(answer))
        more = [m for m in answer.matches if m.doc not in shown and m.doc in indexed][:MATCHES_SHOWN]
        for k, m in enumerate(more, start=1):
            parts.append(pair_section(_view(answer, m.pair, indexed[m.doc], ()), f"{anchor}-m{k}"))
    parts.append("</section>")
    return "".join(parts)


def _verdict(answer: Answer) -> str:
    if not answer.matched:
        return "It shares no substantial passage with the indexed documents."
    copies = [m.doc for m in answer.matches if m.duplicate]
    said = f"{len(answer.matches)} indexed documents share passages with it"
    if copies:
        said += f"; it is an exact copy of {copies[0]}"
    families = [j.family or f"a new family with {j.template}" for j in answer.families if j.template != answer.query]
    if families:
        said += "; it joins " + ", ".join(families)
    if any(j.template == answer.query for j in answer.families):
        said += "; it holds more placeholders than any of them: it is their template"
    return said + "."


def _family(answer: Answer, joined: Joined, indexed: Mapping[str, Indexed], anchor: str) -> str:
    name = joined.family or "A new family"
    size = f", {joined.size} indexed members" if joined.family else ""
    speech_is_template = joined.template == answer.query
    if speech_is_template:
        head = (
            f"<h3>{esc(name)}: the speech is the template of the {joined.size} documents it matches (it holds "
            "more placeholders than any of them)</h3>"
        )
    else:
        head = f"<h3>{esc(name)}: template {esc(joined.template or '(none)')}{esc(size)}</h3>"
    shown = fillers(answer, joined)[:MEMBER_COLUMNS]
    if joined.fills:
        said = "what the documents it matches filled in" if speech_is_template else "what the speech filled in"
        columns = [(who, "the speech" if who == answer.query else who) for who in shown]
        table = f"<h4>The template's slots and {said}</h4>{slots_table(joined.fills, columns)}"
    elif joined.template not in (None, answer.query) and any(j.template == answer.query for j in answer.families):
        table = '<p class="muted">The speech holds more placeholders than this template: its own slots follow.</p>'
    else:
        table = '<p class="muted">The template has no slots.</p>'
    view = ""
    if speech_is_template and shown:
        match = next(m for m in answer.matches if m.doc == shown[0])
        if match.doc in indexed:
            marks, fills = slot_marks(joined.fills), fill_marks(joined.fills, match.doc)
            view = pair_section(_view(answer, match.pair, indexed[match.doc], fills, marks), anchor)
    elif joined.template is not None and joined.template in indexed and joined.pair is not None:
        marks, fills = slot_marks(joined.fills), fill_marks(joined.fills, answer.query)
        view = pair_section(_view(answer, joined.pair, indexed[joined.template], marks, fills), anchor)
    return head + table + view


MEMBER_COLUMNS = 8
"""The indexed documents whose fills a page shows beside a speech that is their template."""


def _families(match: Match) -> str:
    return ", ".join(match.families)


def _matches(answer: Answer) -> str:
    rows = []
    for m in answer.matches:
        mine = m.pair.coverage_a if m.pair.a == answer.query else m.pair.coverage_b
        rows.append(
            f"<tr><td>{esc(m.doc)}</td><td>{esc(_families(m))}</td><td>{'yes' if m.duplicate else ''}</td>"
            f'<td class="num">{m.pair.shared_chars}</td><td class="num">{mine:.0%}</td>'
            f'<td class="num">{m.pair.similarity:.2f}</td></tr>'
        )
    return (
        "<h3>Indexed documents sharing passages with it</h3>"
        '<div class="scroll"><table><thead><tr><th>document</th><th>family</th><th>exact copy</th>'
        '<th class="num">shared characters</th><th class="num">of the speech</th><th class="num">similarity</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _view(
    answer: Answer, pair: DocPair, other: Indexed, other_marks: Sequence[Mark], mine: Sequence[Mark] = ()
) -> PairView:
    """The speech (left) and an indexed document (right), their passages numbered in the speech's order."""
    speech = DocumentInfo(
        id=answer.query,
        source=answer.source,
        span=Span(0, len(answer.text)),
        title=answer.title,
        chars=len(answer.text),
        encoding="",
        family=None,
        role=None,
        placeholders=0,
        duplicate_of=None,
        chrome=answer.chrome,
    )
    return side_by_side(
        pair,
        (speech, answer.text, [*mine, *chrome_marks(speech.chrome)]),
        pane(other, other_marks),
    )


def slots_table(slots: Sequence[Slot], columns: Sequence[tuple[str, str]], *, counted: bool = False) -> str:
    """A template's slots as a table: each slot's number, kind and template text, then the fill of each of
    ``columns`` (a document and its column's heading), and (``counted``) how many members fill it."""
    rows = []
    for s in slots:
        cells = "".join(f"<td>{fill_cell(s.fills.get(who))}</td>" for who, _ in columns)
        if counted:
            cells += f'<td class="num">{sum(v is not None for v in s.fills.values())}</td>'
        rows.append(
            f'<tr><td class="num">{s.slot}</td><td>{esc(s.kind)}</td>'
            f'<td><span class="slot">{esc(s.template_text)}</span></td>{cells}</tr>'
        )
    heads = "".join(f"<th>{esc(head)}</th>" for _, head in columns)
    if counted:
        heads += '<th class="num">members that fill it</th>'
    return (
        '<div class="scroll"><table><thead><tr><th class="num">slot</th><th>kind</th><th>template</th>'
        f"{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def pane(doc: Indexed, marks: Sequence[Mark]) -> tuple[DocumentInfo, str, list[Mark]]:
    """An indexed document as one side of a pair view: with its ``marks`` and its page chrome."""
    return doc.info, doc.text, [*marks, *chrome_marks(doc.info.chrome)]


def fill_cell(fill: str | None) -> str:
    """A table cell's content for a member's fill of a slot (a dash where it left the slot out)."""
    return f'<span class="fill">{esc(fill)}</span>' if fill is not None else '<span class="muted">—</span>'


def slot_marks(slots: Sequence[Slot]) -> list[Mark]:
    """The template's slots as marks on its text."""
    return [Mark("slot", s.span, s.slot, slot_note(s)) for s in slots]


def fill_marks(slots: Sequence[Slot], member: str) -> list[Mark]:
    """What ``member`` filled into the slots, as marks on its text."""
    return [Mark("fill", s.fill_spans[member], s.slot) for s in slots if member in s.fill_spans]


def chrome_marks(chrome: Sequence[Removal]) -> list[Mark]:
    """A document's page chrome as marks (struck through in a pane)."""
    return [Mark("chrome", r.span) for r in chrome]
