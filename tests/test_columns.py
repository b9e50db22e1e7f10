"""Slot finding's results as columns: read back as the values that went in, in order."""

from __future__ import annotations

import pickle

import pytest

from dupdetect.model.columns import Rows, SlotColumns
from dupdetect.model.types import Edit, FamilySlots, Slot, Span, TemplateText


def _family(n: int, slots: int) -> FamilySlots:
    fid = f"F{n}"
    return FamilySlots(
        slots=tuple(
            Slot(fid, k, "xx", {"a": f"地{k}", "b": ""}, Span(k, k + 2), "explicit", {"a": Span(k, k + 2)})
            for k in range(1, slots + 1)
        ),
        edits=(Edit(fid, "b", Span(0, 1), "一", Span(0, 0), ""),),
        template=TemplateText(fid, "a", "{1}" * slots) if slots else None,
    )


FOUND = [_family(1, 3), _family(2, 0), _family(3, 1)]


def test_tables_read_back_as_the_values_in_the_families_order() -> None:
    parts = [SlotColumns.of(FOUND[:2]), SlotColumns.of([]), SlotColumns.of(FOUND[2:])]
    joined = SlotColumns.join(parts)
    assert list(joined.slot_rows()) == [s for f in FOUND for s in f.slots]
    assert list(joined.edit_rows()) == [e for f in FOUND for e in f.edits]
    assert list(joined.template_rows()) == [f.template for f in FOUND if f.template is not None]
    # a fill without a span stays without one; the fills keep their order
    first = joined.slot_rows()[0]
    assert list(first.fills) == ["a", "b"] and dict(first.fill_spans) == {"a": Span(1, 3)}


def test_no_families_give_empty_tables_of_their_schema() -> None:
    empty = SlotColumns.join([])
    assert len(empty.slot_rows()) == len(empty.edit_rows()) == len(empty.template_rows()) == 0
    assert empty.slot_rows() == () and empty.slots.schema.equals(SlotColumns.of([]).slots.schema)


def test_rows_are_a_sequence() -> None:
    values = [s for f in FOUND for s in f.slots]
    rows = SlotColumns.of(FOUND).slot_rows()
    assert len(rows) == 4 and rows[-1] == values[-1] and rows[1] == values[1]
    assert list(rows[1:3]) == values[1:3] and list(rows[::2]) == values[::2] and list(rows[5:]) == []
    assert rows == tuple(values) and tuple(values) == rows and rows != tuple(values[:3])
    assert rows != [*values[:-1], values[0]]
    assert values[2] in rows and rows.index(values[2]) == 2
    with pytest.raises(IndexError):
        rows[4]
    with pytest.raises(IndexError):
        rows[-5]
    back = pickle.loads(pickle.dumps(rows))
    assert isinstance(back, Rows) and back == rows
