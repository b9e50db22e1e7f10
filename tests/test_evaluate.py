"""evaluate() on small reports with scores worked out by hand."""

from __future__ import annotations

from dupdetect.model.evaluate import evaluate
from dupdetect.model.types import DocPair, DocumentInfo, Family, Report, Slot
from tests.conftest import make_info


def _doc(doc_id: str, family: str | None = None, script: str = "zh-Hans") -> DocumentInfo:
    return make_info(doc_id, family=family, script=script)


def _report() -> Report:
    docs = (_doc("a", "F1"), _doc("b", "F1"), _doc("c", "F1", "zh-Hant"), _doc("d"), _doc("e"), _doc("x"))
    families = (Family("F1", ("a", "b", "c"), "a", {"a": "template", "b": "copy", "c": "copy"}),)
    pairs = tuple(DocPair(a, b, 0.9, 0.9, 0.9, 100, ()) for a, b in [("a", "b"), ("a", "c"), ("d", "e")])
    slots = (
        Slot("F1", 1, "xx", {"b": "绥化", "c": "漳州"}),
        Slot("F1", 2, "×××", {"b": "周立群"}),
    )
    return Report("0", {}, docs, families, pairs, slots, {}, ())


LABELS = {
    "families": {"G1": ["a", "b"], "G2": ["c", "d"]},
    "singletons": ["e"],
    "ambiguous": [{"ids": ["x"], "why": "not sure"}],
    "family_meta": {"G2": {"kind": "news-reprint"}},
    "slots": [
        {"type": "fill", "placeholder": "xx市", "filler": "绥化市", "placeholder_in": "a", "filler_in": "b"},
        {"type": "fill", "placeholder": "xx", "filler": "漳州", "placeholder_in": "a", "filler_in": "c"},
        {"type": "fill", "placeholder": "×××", "filler": "林志强", "placeholder_in": "a", "filler_in": "b"},
    ],
}


def test_family_pairs_precision_and_recall() -> None:
    result = evaluate(_report(), LABELS)
    # found pairs ab, ac, bc; expected ab, cd: one of three right, one of two found
    assert (result.families.found, result.families.expected, result.families.matched) == (3, 2, 1)
    assert round(result.families.precision, 4) == 0.3333 and result.families.recall == 0.5
    assert result.false_pairs == (("a", "c"), ("b", "c")) and result.missed_pairs == (("c", "d"),)


def test_reported_pairs_are_scored_against_the_same_positives() -> None:
    result = evaluate(_report(), LABELS)
    assert (result.pairs.found, result.pairs.matched) == (3, 1)


def test_scores_per_kind_and_for_traditional_members() -> None:
    result = evaluate(_report(), LABELS)
    assert result.by_kind["template"].recall == 1.0  # G1: a-b found
    assert result.by_kind["news-reprint"].recall == 0.0  # G2: c-d missed
    # pairs with the Traditional document c: found ac, bc; expected cd
    assert (result.traditional.found, result.traditional.expected, result.traditional.matched) == (2, 1, 0)


def test_fills_are_compared_without_shared_ends() -> None:
    result = evaluate(_report(), LABELS)
    # 绥化 (xx市/绥化市) and 漳州 match; 周立群 is not 林志强
    assert (result.fills.found, result.fills.expected, result.fills.matched) == (3, 3, 2)


def test_ambiguous_documents_are_left_out() -> None:
    labels = {**LABELS, "families": {"G1": ["a", "b", "x"], "G2": ["c", "d"]}}
    assert evaluate(_report(), labels).families.expected == 2


def test_a_labelled_document_the_report_lacks_counts_as_missed() -> None:
    labels = {"families": {"G1": ["a", "b"], "G9": ["page#1", "page#2"]}}
    result = evaluate(_report(), labels)
    assert result.families.expected == 2 and ("page#1", "page#2") in result.missed_pairs


def test_labels_that_are_not_labels_are_refused_saying_what_is_wrong() -> None:
    import pytest

    from dupdetect.model.errors import LabelsError
    from dupdetect.model.evaluate import check_labels

    bad = {
        "not an object": ([["a", "b"]], "labels are a JSON object, not a list"),
        "a report": ({"schema_version": 3, "documents": [], "families": []}, "this is a report.json"),
        "another field": ({"a": 1}, "not a labels field: a"),
        "families as lists": ({"families": [["a", "b"]]}, "'families' is an object of family id"),
        "a member not an id": ({"families": {"G1": ["a", 3]}}, "families['G1'] is a list of document ids"),
        "nothing to score": ({"families": {}, "ambiguous": []}, "nothing to score against"),
        "a fill without its copy": (
            {"slots": [{"type": "fill", "placeholder": "xx", "filler": "绥化", "placeholder_in": "a"}]},
            "slots[0] lacks filler_in",
        ),
        "ambiguous without ids": ({"families": {"G": ["a"]}, "ambiguous": [{"why": "?"}]}, "ambiguous[0] is an object"),
    }
    for name, (labels, said) in bad.items():
        with pytest.raises(LabelsError, match=None) as caught:
            check_labels(labels)
        assert said in str(caught.value), name
        with pytest.raises(LabelsError):
            evaluate(_report(), labels)  # type: ignore[arg-type]
    assert check_labels(LABELS) is LABELS
    check_labels({"slots": [{"type": "later-kind"}], "singletons": ["a"]})  # (a type a later version writes)


def test_the_projects_own_labels_files_are_labels() -> None:
    import json

    from dupdetect.model.evaluate import check_labels
    from tests.conftest import ROOT

    for path in (ROOT / "fixtures" / "seeds_labels.json", ROOT / "benchmarks" / "realpages" / "labels.json"):
        check_labels(json.loads(path.read_text(encoding="utf-8")))  # (a note beside the fields is for people)
    check_labels({"families": {"G": ("a", "b")}, "_source": 3})  # (tuples from Python callers; a _-key)
