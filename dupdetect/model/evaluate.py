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
from typing import Any

from dupdetect.model.errors import LabelsError
from dupdetect.model.types import Report
from dupdetect.text import to_simplified

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


Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How right a report is against labels (see docs/LABELS.md)."""

    families: Score  # every unordered pair of documents in one family is a positive
    pairs: Score  # the report's pairs against the same positives
    fills: Score  # slot fills
    by_kind: Mapping[str, Score]  # family pairs, by the labelled kind of the family
    traditional: Score  # family pairs with a Traditional-script member
    false_pairs: tuple[Pair, ...]  # family pairs the report makes and the labels do not
    missed_pairs: tuple[Pair, ...]  # family pairs the labels have and the report misses


def family_pairs(groups: Iterable[Iterable[str]], *, skip: frozenset[str] = frozenset()) -> set[Pair]:
    """Every unordered pair of documents that share a group (``a < b``)."""
    out: set[Pair] = set()
    for group in groups:
        members = sorted(set(group) - skip)
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def _score(found: set[Pair], expected: set[Pair]) -> Score:
    return Score(found=len(found), expected=len(expected), matched=len(found & expected))


LABEL_KEYS = ("families", "singletons", "ambiguous", "slots", "family_meta")
_FILL_KEYS = ("placeholder", "filler", "placeholder_in", "filler_in")


def check_labels(labels: object) -> Mapping[str, Any]:
    """``labels`` as read from a labels file, if it is one (docs/LABELS.md); else a
    :class:`~dupdetect.model.errors.LabelsError` saying what is wrong and where (the first thing found)."""
    if not isinstance(labels, Mapping):
        raise LabelsError(f"labels are a JSON object, not {_kind(labels)} (docs/LABELS.md)")
    if "schema_version" in labels and "documents" in labels:
        raise LabelsError("this is a report.json, not labels: give the report first and the labels second")
    unknown = sorted(str(k) for k in labels if k not in LABEL_KEYS and not _remark(k, labels[k]))
    if unknown:
        known = ", ".join(LABEL_KEYS)
        raise LabelsError(
            f"not a labels field: {', '.join(unknown)} (a labels file holds {known}, and a note; docs/LABELS.md)"
        )
    if not any(labels.get(k) for k in ("families", "singletons", "slots")):
        raise LabelsError("no families, singletons or slots: nothing to score against (docs/LABELS.md)")
    families = labels.get("families", {})
    if not isinstance(families, Mapping):
        raise LabelsError(f"'families' is an object of family id -> list of document ids, not {_kind(families)}")
    for name, members in families.items():
        _ids(members, f"families[{name!r}]")
    _ids(labels.get("singletons", []), "'singletons'")
    ambiguous = labels.get("ambiguous", [])
    if not isinstance(ambiguous, list | tuple):
        raise LabelsError(f'\'ambiguous\' is a list of {{"ids": [...], "why": ...}}, not {_kind(ambiguous)}')
    for at, group in enumerate(ambiguous):
        if not isinstance(group, Mapping) or "ids" not in group:
            raise LabelsError(f'ambiguous[{at}] is an object with "ids" (and "why"), not {_kind(group)}')
        _ids(group["ids"], f"ambiguous[{at}].ids")
    slots = labels.get("slots", [])
    if not isinstance(slots, list | tuple):
        raise LabelsError(f"'slots' is a list of fills, not {_kind(slots)}")
    for at, fill in enumerate(slots):
        if not isinstance(fill, Mapping):
            raise LabelsError(f"slots[{at}] is an object, not {_kind(fill)}")
        if fill.get("type", "fill") != "fill":
            continue  # (a type a later version writes: skipped)
        missing = [k for k in _FILL_KEYS if not isinstance(fill.get(k), str)]
        if missing:
            raise LabelsError(f"slots[{at}] lacks {', '.join(missing)} (a fill names each as a string)")
    meta = labels.get("family_meta", {})
    if not isinstance(meta, Mapping) or not all(isinstance(v, Mapping) for v in meta.values()):
        raise LabelsError('\'family_meta\' is an object of family id -> {"kind": ..., "note": ...}')
    return labels


def _remark(key: object, value: object) -> bool:
    """A field for people, not scored: ``note`` (or ``notes``, ``comment``) holding text, or any ``_``-key."""
    return (key in ("note", "notes", "comment") and isinstance(value, str)) or str(key).startswith("_")


def _ids(value: object, where: str) -> None:
    if not isinstance(value, list | tuple):
        raise LabelsError(f"{where} is a list of document ids (strings), not {_kind(value)}")
    for at, doc in enumerate(value):
        if not isinstance(doc, str):
            raise LabelsError(f"{where} is a list of document ids (strings); item {at} is {_kind(doc)}")


def _kind(value: object) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


def labelled_ids(labels: Mapping[str, Any]) -> set[str]:
    """Every document id a (checked) labels file names."""
    ids = {d for members in labels.get("families", {}).values() for d in members}
    ids.update(labels.get("singletons", []))
    ids.update(d for group in labels.get("ambiguous", []) for d in group["ids"])
    ids.update(f[k] for f in labels.get("slots", []) if f.get("type", "fill") == "fill" for k in _FILL_KEYS[2:])
    return ids


def evaluate(report: Report, labels: Mapping[str, object]) -> Evaluation:
    """Score ``report`` against ``labels``: families, pairs, fills, per kind, Traditional members.

    Documents listed as ambiguous are left out of every score. Labels that are not in the labels format
    raise :class:`~dupdetect.model.errors.LabelsError` (:func:`check_labels`).
    """
    check_labels(labels)
    ambiguous = frozenset(d for a in _list(labels.get("ambiguous")) for d in _list(_get(a, "ids")))
    # a labelled document the report lacks (not split out, not read) counts as missed, not as absent
    gold_families: dict[str, list[str]] = {
        str(k): [m for m in _list(v) if m not in ambiguous] for k, v in _dict(labels.get("families")).items()
    }
    expected = family_pairs(gold_families.values())
    found = family_pairs((f.members for f in report.families), skip=ambiguous)
    reported = {(p.a, p.b) for p in report.pairs if p.a not in ambiguous and p.b not in ambiguous}
    kinds = {str(k): str(_get(v, "kind") or "template") for k, v in _dict(labels.get("family_meta")).items()}
    by_kind: dict[str, Score] = {}
    for kind in sorted(set(kinds.values()) | {"template"}):
        groups = [m for k, m in gold_families.items() if kinds.get(k, "template") == kind]
        gold = family_pairs(groups)
        if gold:
            by_kind[kind] = Score(found=len(gold), expected=len(gold), matched=len(found & gold))
    hant = {d.id for d in report.documents if d.script == "zh-Hant"}
    with_hant = {p for p in expected | found if p[0] in hant or p[1] in hant}
    fills = [f for f in _list(labels.get("slots")) if isinstance(f, Mapping)]
    return Evaluation(
        families=_score(found, expected),
        pairs=_score(reported, expected),
        fills=score_fills(report, fills),
        by_kind=by_kind,
        traditional=_score(found & with_hant, expected & with_hant),
        false_pairs=tuple(sorted(found - expected)),
        missed_pairs=tuple(sorted(expected - found)),
    )


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _get(value: object, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation as plain JSON-ready data."""

    def score(s: Score) -> dict[str, float | int]:
        return {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
            "found": s.found,
            "expected": s.expected,
            "matched": s.matched,
        }

    return {
        "families": score(evaluation.families),
        "pairs": score(evaluation.pairs),
        "fills": score(evaluation.fills),
        "traditional": score(evaluation.traditional),
        "by_kind": {k: score(v) for k, v in evaluation.by_kind.items()},
        "false_pairs": [list(p) for p in evaluation.false_pairs],
        "missed_pairs": [list(p) for p in evaluation.missed_pairs],
    }
