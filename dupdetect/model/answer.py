"""What a saved index says of a new speech (:mod:`dupdetect.index.query`): typed values, and their JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dupdetect.model.serialize import pair_to_dict
from dupdetect.model.types import DocPair, Removal, Slot


@dataclass(frozen=True)
class Match:
    """An indexed document a speech shares substantial passages with."""

    doc: str
    pair: DocPair  # the speech and the document aligned (``a < b`` by id: the speech is either side)
    family: str | None  # the indexed document's family
    duplicate: bool  # the same match key: an exact copy
    families: tuple[str, ...] = ()  # every family it is in (a mosaic is in each it borrows from)


@dataclass(frozen=True)
class Joined:
    """A family a speech joins: its template, the speech's pair with it, and the speech's fills."""

    family: str  # "" for the family the speech makes with one indexed document in none
    template: str | None
    size: int  # indexed members
    pair: DocPair | None  # the speech and the template aligned (None: no template, nothing shared, or the speech is it)
    fills: tuple[Slot, ...]  # the template's slots, each with the speech's fill (none where it left it); when
    # the template is the speech (it holds more placeholders than anything it matches), the matches' fills


@dataclass(frozen=True)
class Answer:
    """What the index says of one speech."""

    query: str  # the speech's id
    source: str
    matches: tuple[Match, ...]  # most shared text first
    families: tuple[Joined, ...]  # the family of its best match first
    text: str = ""  # the speech (a part of a compilation page: that part), for the side-by-side views
    title: str = ""
    chrome: tuple[Removal, ...] = ()  # its page chrome, left out of the comparison
    page_matches: tuple[Match, ...] = ()  # the other speeches of its page (a compilation) it shares passages with

    @property
    def matched(self) -> bool:
        """Whether the speech shares a substantial passage with anything indexed."""
        return bool(self.matches)


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """An answer as JSON-ready data: every passage with its offsets in both texts (``a`` and ``b`` as in
    report.json's pairs: the two ids in order, the speech's being ``query``)."""
    return {
        "query": answer.query,
        "source": answer.source,
        "matched": answer.matched,
        "matches": [
            {
                "doc": m.doc,
                "family": m.family,
                "families": list(m.families),
                "duplicate": m.duplicate,
                "pair": pair_to_dict(m.pair),
            }
            for m in answer.matches
        ],
        "page_matches": [
            {"doc": m.doc, "duplicate": m.duplicate, "pair": pair_to_dict(m.pair)} for m in answer.page_matches
        ],
        "families": [
            {
                "family": j.family or None,
                "template": j.template,
                "template_is_query": j.template == answer.query,
                "size": j.size,
                "pair": pair_to_dict(j.pair) if j.pair is not None else None,
                "slots": [
                    {
                        "slot": s.slot,
                        "kind": s.kind,
                        "template_text": s.template_text,
                        "span": s.span.as_list(),
                        "fill": s.fills.get(answer.query),
                        "fill_span": s.fill_spans[answer.query].as_list() if answer.query in s.fill_spans else None,
                        "fills": dict(s.fills),  # (when the speech is the template: the matched documents')
                        "fill_spans": {k: v.as_list() for k, v in s.fill_spans.items()},
                    }
                    for s in j.fills
                ],
            }
            for j in answer.families
        ],
    }
