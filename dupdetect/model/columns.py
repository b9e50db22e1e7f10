"""The model's values as columns: Arrow tables (written as Parquet) and flat numpy arrays.

A scan's work folder (``dupdetect.engine.work``) keeps each stage's results in
these forms, so a later run can start after the last stage that finished, and
the saved index and Dask workers can read them. Every table has a fixed
schema (an empty table reads back like a full one); a value goes in and comes
back equal (tests/test_work.py). Layouts: docs/FORMATS.md.
"""

from __future__ import annotations

import bisect
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from dupdetect.model.types import (
    Cleaned,
    DocPair,
    Document,
    Edit,
    Families,
    Family,
    FamilySlots,
    IntArray,
    PageInfo,
    Passage,
    Removal,
    Role,
    ScanWarning,
    Slot,
    Span,
    TemplateText,
)

_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])
_REMOVAL = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("rule", pa.string())])

_DOCUMENT = [
    ("id", pa.string()),
    ("source", pa.string()),
    ("span", _SPAN),
    ("encoding", pa.string()),
    ("title", pa.string()),
    ("meta", pa.string()),  # a JSON object
]
"""A document's fields other than its text and page (``model.types.Document``)."""

CLEANED = pa.schema(
    [
        *_DOCUMENT,
        ("removals", pa.list_(_REMOVAL)),
        ("info_title", pa.string()),
        ("info_date", pa.string()),
        ("info_site", pa.string()),
        ("info_script", pa.string()),
    ]
)

_PASSAGE = pa.struct(
    [
        ("a", _SPAN),
        ("b", _SPAN),
        ("key_a", _SPAN),
        ("key_b", _SPAN),
        ("matched", pa.int64()),
        ("similarity", pa.float64()),
        ("longest", pa.int64()),
    ]
)

PAIRS = pa.schema(
    [
        ("a", pa.string()),
        ("b", pa.string()),
        ("similarity", pa.float64()),
        ("coverage_a", pa.float64()),
        ("coverage_b", pa.float64()),
        ("shared_chars", pa.int64()),
        ("passages", pa.list_(_PASSAGE)),
        ("duplicate", pa.bool_()),
        ("longest_run", pa.int64()),
    ]
)

_ENTRY = pa.struct([("key", pa.string()), ("value", pa.string())])

FAMILIES = pa.schema(
    [
        ("id", pa.string()),
        ("members", pa.list_(pa.string())),
        ("template", pa.string()),
        ("roles", pa.list_(_ENTRY)),
        ("aligned_with", pa.list_(_ENTRY)),
    ]
)

PLACES = pa.schema([("doc", pa.string()), ("family", pa.string()), ("role", pa.string())])

_FILL = pa.struct([("member", pa.string()), ("text", pa.string()), ("span", _SPAN)])

SLOTS = pa.schema(
    [
        ("family", pa.string()),
        ("slot", pa.int64()),
        ("template_text", pa.string()),
        ("fills", pa.list_(_FILL)),
        ("span", _SPAN),
        ("kind", pa.string()),
    ]
)

EDITS = pa.schema(
    [
        ("family", pa.string()),
        ("doc", pa.string()),
        ("template_span", _SPAN),
        ("template_text", pa.string()),
        ("span", _SPAN),
        ("text", pa.string()),
    ]
)

WARNINGS = pa.schema([("source", pa.string()), ("message", pa.string())])

TEMPLATES = pa.schema([("family", pa.string()), ("doc", pa.string()), ("text", pa.large_string())])


T = TypeVar("T")

BATCH_ROWS = 4096
"""Rows per record batch: a large table is built, written and read back a batch at a time."""


def _batches(schema: pa.Schema, rows: Iterable[dict[str, Any]]) -> Iterator[pa.RecordBatch]:
    """``rows`` as record batches of ``schema``, built a column at a time, :data:`BATCH_ROWS` rows each."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH_ROWS:
            yield _batch(schema, chunk)
            chunk = []
    if chunk:
        yield _batch(schema, chunk)


def _batch(schema: pa.Schema, chunk: Sequence[dict[str, Any]]) -> pa.RecordBatch:
    columns = [_column([row[f.name] for row in chunk], f.type) for f in schema]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _column(values: list[Any], kind: pa.DataType) -> pa.Array:
    """One column of a batch. Texts go through ``str.encode``: Arrow asks CPython for a string's UTF-8,
    which CPython then keeps inside the string for as long as it lives (a second copy of every text)."""
    if kind == pa.large_string():
        return pa.array([v.encode("utf-8") for v in values], type=pa.large_binary()).view(pa.large_string())
    return pa.array(values, type=kind)


def as_table(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> pa.Table:
    """Record batches as one table (an empty one keeps its schema)."""
    return pa.Table.from_batches(list(batches), schema=schema)


def _rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    """A table's rows as dicts, a record batch at a time (never the whole table as Python objects)."""
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        yield from batch.to_pylist()


def _span(s: Span) -> dict[str, int]:
    return {"start": s.start, "end": s.end}


def _unspan(d: Mapping[str, int]) -> Span:
    return Span(int(d["start"]), int(d["end"]))


def _entries(mapping: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in mapping.items()]


def _unentries(rows: Sequence[Mapping[str, str]]) -> dict[str, str]:
    return {r["key"]: r["value"] for r in rows}


# --------------------------------------------------------------------------
# documents


def cleaned_table(cleaned: Sequence[Cleaned]) -> pa.Table:
    """:func:`cleaned_batches` as one table."""
    return as_table(CLEANED, cleaned_batches(cleaned))


def cleaned_batches(cleaned: Iterable[Cleaned]) -> Iterator[pa.RecordBatch]:
    """Cleaned documents (where their texts are from, chrome, what the page says of them), a row each; their
    texts are kept beside the table (docs/FORMATS.md)."""
    return _batches(
        CLEANED,
        (
            {
                "id": c.doc.id,
                "source": c.doc.source,
                "span": _span(c.doc.span),
                "encoding": c.doc.encoding,
                "title": c.doc.title,
                "meta": json.dumps(dict(c.doc.meta), ensure_ascii=False),
                "removals": [{"start": r.span.start, "end": r.span.end, "rule": r.rule} for r in c.removals],
                "info_title": c.info.title,
                "info_date": c.info.date,
                "info_site": c.info.site,
                "info_script": c.info.script,
            }
            for c in cleaned
        ),
    )


INPUTS = pa.schema(
    [
        *_DOCUMENT,
        ("text", pa.list_(pa.int64(), 3)),  # its byte range in the texts' file and its length in characters
        ("page", pa.list_(pa.int64(), 3)),  # the same for Document.page
    ]
)
"""The documents a scan read, as read (before cleaning), in the order it read them; their texts are in the
work folder's texts' file. A saved index reads them back to scan again with more documents (``dupdetect add``)."""


def inputs_table(docs: Sequence[Document], texts: IntArray, pages: IntArray) -> pa.Table:
    """The table of ``docs`` (:data:`INPUTS`); ``texts`` and ``pages``: ``int64 [docs, 3]``, where each
    document's text and page are in the texts' file (byte start, byte end, characters)."""
    return pa.table(
        {
            "id": pa.array([d.id for d in docs], pa.string()),
            "source": pa.array([d.source for d in docs], pa.string()),
            "span": pa.array([_span(d.span) for d in docs], _SPAN),
            "encoding": pa.array([d.encoding for d in docs], pa.string()),
            "title": pa.array([d.title for d in docs], pa.string()),
            "meta": pa.array([json.dumps(dict(d.meta), ensure_ascii=False) for d in docs], pa.string()),
            "text": pa.FixedSizeListArray.from_arrays(pa.array(np.asarray(texts, np.int64).reshape(-1)), 3),
            "page": pa.FixedSizeListArray.from_arrays(pa.array(np.asarray(pages, np.int64).reshape(-1)), 3),
        },
        schema=INPUTS,
    )


def input_documents(table: pa.Table, read: Callable[[int, int], str]) -> Iterator[Document]:
    """The documents of an :func:`inputs_table`, in its order, each text and page read by ``read(start, end)``
    (a byte range of the texts' file) as it comes."""
    for batch in table.to_batches(BATCH_ROWS):
        for r in batch.to_pylist():
            text, page = r["text"], r["page"]
            yield Document(
                id=r["id"],
                source=r["source"],
                text=read(text[0], text[1]),
                span=_unspan(r["span"]),
                encoding=r["encoding"],
                title=r["title"],
                meta=json.loads(r["meta"]),
                page=read(page[0], page[1]),
            )


def input_rows(table: pa.Table) -> Rows[Document]:
    """The documents of an :func:`inputs_table` as rows, each made as it is read, without its text and page
    (:func:`input_documents` reads them)."""
    return Rows(table.combine_chunks(), _bare_input)


def _bare_input(r: dict[str, Any]) -> Document:
    return Document(
        id=r["id"],
        source=r["source"],
        text="",
        span=_unspan(r["span"]),
        encoding=r["encoding"],
        title=r["title"],
        meta=json.loads(r["meta"]),
    )


def cleaned_rows(table: pa.Table) -> Rows[Cleaned]:
    """The cleaned documents of a :func:`cleaned_table`, each made as it is read (texts empty).

    The table is made one chunk (a table read from Parquet comes in several): ``take`` joins the chunks
    on every call otherwise (37.5 ms a call at 600 k rows in 5 chunks, 0.06 ms in one)."""
    return Rows(table.combine_chunks(), _cleaned)


def _cleaned(r: dict[str, Any]) -> Cleaned:
    return Cleaned(
        doc=Document(
            id=r["id"],
            source=r["source"],
            text="",
            span=_unspan(r["span"]),
            encoding=r["encoding"],
            title=r["title"],
            meta=json.loads(r["meta"]),
        ),
        removals=tuple(Removal(Span(x["start"], x["end"]), x["rule"]) for x in r["removals"]),
        info=PageInfo(r["info_title"], r["info_date"], r["info_site"], r["info_script"]),
    )


def ragged(parts: Sequence[np.ndarray[Any, Any]], width: int, dtype: Any) -> tuple[IntArray, np.ndarray[Any, Any]]:
    """Arrays of ``width`` columns as one: ``(offsets, rows)``, part ``i`` being ``rows[offsets[i]:offsets[i+1]]``.

    >>> offsets, rows = ragged([np.zeros((2, 4)), np.ones((1, 4))], 4, np.int32)
    >>> offsets.tolist(), rows.shape
    ([0, 2, 3], (3, 4))
    """
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    rows = np.concatenate([np.asarray(p, dtype=dtype).reshape(-1, width) for p in parts]) if parts else None
    return offsets, rows if rows is not None else np.zeros((0, width), dtype=dtype)


# --------------------------------------------------------------------------
# pairs, families, slots


def pairs_table(pairs: Sequence[DocPair]) -> pa.Table:
    """:func:`pairs_batches` as one table."""
    return as_table(PAIRS, pairs_batches(pairs))


def pairs_batches(pairs: Iterable[DocPair]) -> Iterator[pa.RecordBatch]:
    """Document pairs with their passages (original and key spans), a row each."""
    return _batches(
        PAIRS,
        (
            {
                "a": p.a,
                "b": p.b,
                "similarity": p.similarity,
                "coverage_a": p.coverage_a,
                "coverage_b": p.coverage_b,
                "shared_chars": p.shared_chars,
                "passages": [
                    {
                        "a": _span(x.a),
                        "b": _span(x.b),
                        "key_a": _span(x.key_a),
                        "key_b": _span(x.key_b),
                        "matched": x.matched,
                        "similarity": x.similarity,
                        "longest": x.longest,
                    }
                    for x in p.passages
                ],
                "duplicate": p.duplicate,
                "longest_run": p.longest_run,
            }
            for p in pairs
        ),
    )


def pairs_from(table: pa.Table) -> list[DocPair]:
    """:func:`pairs_table` read back."""
    return list(pair_rows(table))


def pair_rows(table: pa.Table) -> Rows[DocPair]:
    """:func:`pairs_table`'s rows, as values made when read."""
    return Rows(table, _pair)


def _pair(r: dict[str, Any]) -> DocPair:
    return DocPair(
        a=r["a"],
        b=r["b"],
        similarity=r["similarity"],
        coverage_a=r["coverage_a"],
        coverage_b=r["coverage_b"],
        shared_chars=r["shared_chars"],
        passages=tuple(
            Passage(
                a=_unspan(x["a"]),
                b=_unspan(x["b"]),
                key_a=_unspan(x["key_a"]),
                key_b=_unspan(x["key_b"]),
                matched=x["matched"],
                similarity=x["similarity"],
                longest=x["longest"],
            )
            for x in r["passages"]
        ),
        duplicate=r["duplicate"],
        longest_run=r["longest_run"],
    )


def families_tables(families: Families) -> tuple[pa.Table, pa.Table]:
    """The families (a row each) and where each document stands (a row per document in one)."""
    rows = pa.Table.from_pylist(
        [
            {
                "id": f.id,
                "members": list(f.members),
                "template": f.template,
                "roles": _entries(f.roles),
                "aligned_with": _entries(f.aligned_with),
            }
            for f in families.families
        ],
        schema=FAMILIES,
    )
    places = pa.Table.from_pylist(
        [{"doc": d, "family": f, "role": families.role_of.get(d)} for d, f in families.family_of.items()]
        + [{"doc": d, "family": None, "role": r} for d, r in families.role_of.items() if d not in families.family_of],
        schema=PLACES,
    )
    return rows, places


def families_from(rows: pa.Table, places: pa.Table, warnings: Sequence[ScanWarning]) -> Families:
    """:func:`families_tables` read back, with the warnings the family stage gave."""
    family_of: dict[str, str] = {}
    role_of: dict[str, Role] = {}
    for r in places.to_pylist():
        if r["family"] is not None:
            family_of[r["doc"]] = r["family"]
        if r["role"] is not None:
            role_of[r["doc"]] = r["role"]
    return Families(
        families=tuple(
            Family(
                id=r["id"],
                members=tuple(r["members"]),
                template=r["template"],
                roles=_unentries(r["roles"]),  # type: ignore[arg-type]
                aligned_with=_unentries(r["aligned_with"]),
            )
            for r in rows.to_pylist()
        ),
        family_of=family_of,
        role_of=role_of,
        warnings=tuple(warnings),
    )


class Rows(Sequence[T]):
    """A table's rows as values, each made when it is read: a large result stays in columns.

    Iterating makes a record batch's values at a time, ``rows[i]`` one value, ``rows[i:j]`` a view.
    Rows equal any sequence of equal values (the tuple a report read back from report.json holds, say).
    """

    __slots__ = ("_file", "_make", "_table")

    def __init__(self, table: pa.Table, make: Callable[[dict[str, Any]], T]) -> None:
        self._table = table
        self._make = make
        self._file: str | None = None  # (the Arrow file the whole table is mapped from: pickled as its name)

    def mapped(self, path: Path) -> Rows[T]:
        """These rows written to ``path`` (an Arrow IPC file, one record batch) and mapped from it: the rows
        then pickle as the file's name, and a process that unpickles them (a Dask worker) maps the file and
        reads the pages of the rows it asks for, not the whole table. A slice of them pickles by value."""
        table = self._table.combine_chunks()
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        return _mapped_rows(str(path), self._make)

    @property
    def file(self) -> str | None:
        """The file the rows are mapped from (:meth:`mapped`), or None."""
        return self._file

    @property
    def table(self) -> pa.Table:
        """The rows' table."""
        return self._table

    def __len__(self) -> int:
        return int(self._table.num_rows)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Rows[T]: ...

    def __getitem__(self, index: int | slice) -> T | Rows[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return Rows(self._table.slice(start, max(0, stop - start)), self._make)
            return Rows(self._table.take(pa.array(range(start, stop, step), type=pa.int64())), self._make)
        i = operator.index(index)
        i = i + len(self) if i < 0 else i
        if not 0 <= i < len(self):
            raise IndexError("row index out of range")
        return self._make(self._table.slice(i, 1).to_pylist()[0])

    def __iter__(self) -> Iterator[T]:
        return map(self._make, _rows(self._table))

    def dicts(self) -> Iterator[dict[str, Any]]:
        """The rows as the table's dicts (no value made), a record batch at a time."""
        return _rows(self._table)

    def take(self, indices: Sequence[int] | npt.NDArray[np.integer]) -> Rows[T]:
        """The rows at ``indices``, in that order (read as one batch, not one at a time)."""
        return Rows(self._table.take(pa.array(np.asarray(indices, dtype=np.int64))), self._make)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows of {self._make.__name__.strip('_')})"

    def __reduce__(self) -> tuple[Any, tuple[Any, Callable[[dict[str, Any]], T]]]:
        if self._file is not None:
            return (_mapped_rows, (self._file, self._make))
        return (Rows, (self._table, self._make))


def _mapped_rows(path: str, make: Callable[[dict[str, Any]], T]) -> Rows[T]:
    """The rows of an Arrow file :meth:`Rows.mapped` wrote, mapped (their values read from the page cache)."""
    with pa.ipc.open_file(pa.memory_map(path, "r")) as reader:
        table = reader.read_all()
    rows = Rows(table if table.column(0).num_chunks <= 1 else table.combine_chunks(), make)
    rows._file = path
    return rows


def one_chunk(column: pa.ChunkedArray) -> pa.Array:
    """A table's column as one array: its chunk when it has one (no copy), else the chunks joined."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


class IdColumn(Sequence[str]):
    """A string column of a table as a sequence of values, each made when it is read: a worker's view of the
    corpus's ids, not a list of a million strings."""

    __slots__ = ("_array",)

    def __init__(self, column: pa.ChunkedArray | pa.Array) -> None:
        self._array = one_chunk(column) if isinstance(column, pa.ChunkedArray) else column  # (no copy of a million ids)

    def __len__(self) -> int:
        return len(self._array)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [str(v) for v in self._array[index].to_pylist()]
        i = operator.index(index)
        if not -len(self) <= i < len(self):
            raise IndexError("id index out of range")
        return str(self._array[i].as_py())


class SortedIds(Mapping[str, int]):
    """Each id's index in sorted ids (the documents' order in a work folder): a binary search, not a dict of
    every id."""

    __slots__ = ("_ids",)

    def __init__(self, ids: Sequence[str]) -> None:
        self._ids = ids

    def __getitem__(self, doc: str) -> int:
        at = bisect.bisect_left(self._ids, doc)
        if at == len(self._ids) or self._ids[at] != doc:
            raise KeyError(doc)
        return at

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True)
class SlotColumns:
    """What slot finding found for many families, as tables: a row per slot, edit and rebuilt template,
    in the families' order. The report reads them as :class:`Rows`, so a million speeches' fills and
    edits stay in columns (a tenth of the memory their objects take)."""

    slots: pa.Table
    edits: pa.Table
    templates: pa.Table

    @classmethod
    def of(cls, found: Iterable[FamilySlots]) -> SlotColumns:
        """The tables of some families' results, in order."""
        found = list(found)
        slots = as_table(SLOTS, _batches(SLOTS, (_slot_row(s) for f in found for s in f.slots)))
        edits = as_table(EDITS, _batches(EDITS, (_edit_row(e) for f in found for e in f.edits)))
        templates = as_table(
            TEMPLATES,
            _batches(
                TEMPLATES,
                ({"family": t.family, "doc": t.doc, "text": t.text} for t in (f.template for f in found) if t),
            ),
        )
        return cls(slots, edits, templates)

    @classmethod
    def join(cls, parts: Sequence[SlotColumns]) -> SlotColumns:
        """Consecutive families' tables as one."""
        return cls(
            *(
                pa.concat_tables([getattr(p, name) for p in parts]) if parts else schema.empty_table()
                for name, schema in (("slots", SLOTS), ("edits", EDITS), ("templates", TEMPLATES))
            )
        )

    def slot_rows(self) -> Rows[Slot]:
        """The slots, as values."""
        return slot_rows(self.slots)

    def edit_rows(self) -> Rows[Edit]:
        """The edits, as values."""
        return Rows(self.edits, _edit)

    def template_rows(self) -> Rows[TemplateText]:
        """The rebuilt templates, as values."""
        return Rows(self.templates, _template)


def slot_rows(table: pa.Table) -> Rows[Slot]:
    """A table of :data:`SLOTS`' rows (all of :class:`SlotColumns`' or some of them), as values."""
    return Rows(table, _slot)


def _slot_row(s: Slot) -> dict[str, Any]:
    return {
        "family": s.family,
        "slot": s.slot,
        "template_text": s.template_text,
        "fills": [
            {"member": m, "text": t, "span": _span(s.fill_spans[m]) if m in s.fill_spans else None}
            for m, t in s.fills.items()
        ],
        "span": _span(s.span),
        "kind": s.kind,
    }


def _edit_row(e: Edit) -> dict[str, Any]:
    return {
        "family": e.family,
        "doc": e.doc,
        "template_span": _span(e.template_span),
        "template_text": e.template_text,
        "span": _span(e.span),
        "text": e.text,
    }


def _slot(r: dict[str, Any]) -> Slot:
    return Slot(
        family=r["family"],
        slot=r["slot"],
        template_text=r["template_text"],
        fills={f["member"]: f["text"] for f in r["fills"]},
        span=_unspan(r["span"]),
        kind=r["kind"],
        fill_spans={f["member"]: _unspan(f["span"]) for f in r["fills"] if f["span"] is not None},
    )


def _edit(r: dict[str, Any]) -> Edit:
    return Edit(r["family"], r["doc"], _unspan(r["template_span"]), r["template_text"], _unspan(r["span"]), r["text"])


def _template(r: dict[str, Any]) -> TemplateText:
    return TemplateText(r["family"], r["doc"], r["text"])


SITE_CHROME = pa.schema([("site", pa.string()), ("key", pa.string())])
"""Each site's chrome (its repeated lines), a row per site key and line key, sorted."""


def site_chrome_table(chrome: Mapping[str, AbstractSet[str]]) -> pa.Table:
    """Each site's chrome (site key -> line keys), a row per line key."""
    rows = [(site, key) for site in sorted(chrome) for key in sorted(chrome[site])]
    return pa.table({"site": [s for s, _ in rows], "key": [k for _, k in rows]}, schema=SITE_CHROME)


def site_chrome_from(table: pa.Table) -> dict[str, frozenset[str]]:
    """:func:`site_chrome_table` read back."""
    out: dict[str, set[str]] = {}
    for site, key in zip(table.column("site").to_pylist(), table.column("key").to_pylist(), strict=True):
        out.setdefault(site, set()).add(key)
    return {site: frozenset(keys) for site, keys in out.items()}


def warnings_table(warnings: Sequence[ScanWarning]) -> pa.Table:
    """Warnings, a row each."""
    return pa.Table.from_pylist([{"source": w.source, "message": w.message} for w in warnings], schema=WARNINGS)


def warnings_from(table: pa.Table) -> tuple[ScanWarning, ...]:
    """:func:`warnings_table` read back."""
    return tuple(ScanWarning(r["source"], r["message"]) for r in table.to_pylist())
