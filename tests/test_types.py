from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from dupdetect.model import types
from dupdetect.model.types import (
    Cleaned,
    DocPair,
    Document,
    Edit,
    Family,
    FamilySlots,
    Normalized,
    PageInfo,
    Passage,
    Removal,
    Slot,
    Span,
    TemplateText,
)
from dupdetect.stages.fingerprint import Shingles


def _round_trip(value: object) -> object:
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


PASSAGE = Passage(a=Span(0, 9), b=Span(3, 12), key_a=Span(0, 8), key_b=Span(1, 9), matched=8, similarity=0.9)
DOC = Document(id="a", source="a.txt", text="正文", span=Span(0, 2), encoding="utf-8", title="t", meta={"k": "v"})
VALUES = [
    Span(2, 5),
    Removal(Span(0, 4), "footer"),
    DOC,
    Cleaned(DOC, (Removal(Span(0, 1), "blurb"),), PageInfo("t", "", "x")),
    DocPair(a="a", b="b", similarity=0.9, coverage_a=0.5, coverage_b=0.4, shared_chars=8, passages=(PASSAGE,)),
    Family(id="F1", members=("a", "b"), template="a", roles={"a": "template", "b": "copy"}),
    FamilySlots(
        slots=(Slot("F1", 1, "xx", {"b": "西安"}, Span(1, 3)),),
        edits=(Edit("F1", "b", Span(0, 1), "一", Span(0, 1), "二"),),
        template=TemplateText("F1", "a", "{1}"),
    ),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_stage_results_survive_pickling_as_constructor_calls(value: object) -> None:
    assert type(value).__reduce__ is not object.__reduce__  # the fast path, not the dataclass default
    assert _round_trip(value) == value


def test_arrays_inside_results_survive_pickling() -> None:
    norm = Normalized.from_offsets("ab", [0, 1], [1, 2], (Span(0, 1),), cjk=True)
    back = _round_trip(norm)
    assert isinstance(back, Normalized)
    assert (back.key, back.placeholders, back.cjk) == (norm.key, norm.placeholders, norm.cjk)
    assert np.array_equal(back.runs, norm.runs)
    sh = Shingles(np.array([7, 8], dtype=np.uint32), np.array([0, 2]))
    back_sh = _round_trip(sh)
    assert isinstance(back_sh, Shingles) and np.array_equal(back_sh.hashes, sh.hashes)


def test_every_stage_dataclass_pickles_as_a_constructor_call() -> None:
    classes = [
        c
        for c in vars(types).values()
        if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == types.__name__
    ]
    assert classes and all(c.__reduce__ is not object.__reduce__ for c in classes)
