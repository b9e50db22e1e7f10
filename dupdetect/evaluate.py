"""Score a report against ground truth.

Slot fills are compared as in the labels format of ``docs/`` (``type:
fill`` entries with ``placeholder``, ``filler``, ``placeholder_in`` and
``filler_in``): a gold fill is found when the report pairs that placeholder
of that template with that fill in that copy. Both texts are compared after
NFKC, Traditional->Simplified and whitespace removal, and without the text
they share at their ends (``xx市`` / ``绥化市`` is ``xx`` / ``绥化``), so
a slot drawn a character wider or narrower than the gold one still counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dupdetect.normalize import to_simplified
from dupdetect.types import Report

FillKey = tuple[str, str, str, str]  # template doc, copy doc, placeholder core, fill core


@dataclass(frozen=True, slots=True)
class Score:
    """Precision and recall of one kind of finding."""

    found: int
    expected: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def fold(text: str) -> str:
    """The comparison form of a fill: NFKC, simplified script, no white space, lower case."""
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", text))).lower()


def core(placeholder: str, fill: str) -> tuple[str, str]:
    """Placeholder and fill without the text they share at their ends."""
    p, f = fold(placeholder), fold(fill)
    while p and f and p[0] == f[0]:
        p, f = p[1:], f[1:]
    while p and f and p[-1] == f[-1]:
        p, f = p[:-1], f[:-1]
    return p, f


def report_fills(report: Report) -> list[FillKey]:
    """Every (template, copy, placeholder, fill) the report states."""
    templates = {f.id: f.template for f in report.families}
    return [
        (templates[s.family] or "", doc, *core(s.template_text, fill))
        for s in report.slots
        for doc, fill in s.fills.items()
    ]


def gold_fills(labels: Iterable[Mapping[str, str]]) -> list[FillKey]:
    """The ``type: fill`` entries of a labels file as comparable keys."""
    return [
        (g["placeholder_in"], g["filler_in"], *core(g["placeholder"], g["filler"]))
        for g in labels
        if g.get("type", "fill") == "fill"
    ]


def score_fills(report: Report, labels: Iterable[Mapping[str, str]]) -> Score:
    """Precision and recall of the report's slot fills, for the templates the labels cover."""
    gold = Counter(gold_fills(labels))
    covered = {key[0] for key in gold}
    found = Counter(key for key in report_fills(report) if key[0] in covered)
    matched = sum((gold & found).values())
    return Score(found=sum(found.values()), expected=sum(gold.values()), matched=matched)
