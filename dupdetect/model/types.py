"""Frozen dataclasses that cross stage boundaries.

Every offset is a half-open Python string index. Offsets named ``span`` point
into the *original* text of a document (``Document.text``); offsets into the
normalised match key are named ``key_*`` and are only used between the
normalise, segment, fingerprint and align stages.
"""

from __future__ import annotations

import bisect
import hashlib
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from dupdetect.model.config import Config

Role = Literal["template", "copy", "partial", "mosaic"]
SlotKind = Literal["explicit", "implicit"]
IntArray = npt.NDArray[np.int64]
I32Array = npt.NDArray[np.int32]
U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]

_C = TypeVar("_C", bound=type)


def pickled_as_call(cls: _C) -> _C:
    """Pickle a dataclass's instances as a call of the class with its field values.

    The pickling a ``slots`` dataclass gets by default walks ``dataclasses.fields``
    for every object, both ways (about 7 µs a span); as a constructor call a span
    costs about a seventh of that. Per-document and per-pair results (spans,
    passages, pairs) cross process boundaries by the million. Apply it outside
    ``@dataclass``; every field must be an ``__init__`` argument.
    """
    names = [f.name for f in fields(cls)]
    values: Callable[[Any], Any] = operator.attrgetter(*names)
    if len(names) == 1:

        def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, (values(self),)
    else:

        def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 (mypy refuses to assign to a method)
    return cls


@pickled_as_call
@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into a text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def as_list(self) -> list[int]:
        """The span as the ``[start, end]`` pair used in report.json."""
        return [self.start, self.end]

    def stripped(self, text: str) -> Span:
        """The span without the white space of ``text`` at its ends (a blank span ends empty at its end)."""
        start, end = self.start, self.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Span(start, end)


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Removal:
    """A span of a document's text left out of matching, and the rule that found it."""

    span: Span
    rule: str


@pickled_as_call
@dataclass(frozen=True, slots=True)
class ScanWarning:
    """Something a stage could not do, named by the input it concerns."""

    source: str
    message: str


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Document:
    """One speech: its own text and where it came from.

    ``text`` is exactly ``decoded_source[span.start:span.end]``, where
    ``decoded_source`` is the whole decoded file (or JSONL ``text`` field).
    """

    id: str
    source: str
    text: str
    span: Span
    encoding: str
    title: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)
    page: str = ""  # an HTML page's whole visible text, when ``text`` is its main content: for metadata only


@pickled_as_call
@dataclass(frozen=True, slots=True)
class PageInfo:
    """Title, date (ISO ``YYYY-MM-DD``), site and script of a page, or empty strings."""

    title: str
    date: str
    site: str
    script: str = ""  # zh-Hans, zh-Hant or "" (see normalize.script_of)


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Cleaned:
    """A speech ready for matching: its document, its chrome and what its page says of it."""

    doc: Document
    removals: tuple[Removal, ...]
    info: PageInfo


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Normalized:
    """A document's match key with a map back to its original text.

    Key character ``i`` was produced by ``text[starts[i]:ends[i]]``. Both
    arrays are non-decreasing, so a key range maps to one original span.

    The map is kept as runs, not per character: a run is a stretch of key
    characters that each come from the next original character (one
    ``(key index, start, end)`` row where it begins), so a speech of a few
    thousand characters needs a few dozen rows instead of two integers per
    character. :attr:`starts` and :attr:`ends` expand it.
    """

    key: str
    runs: I32Array  # (n, 3): key index where a run begins, its first character's start and end
    placeholders: tuple[Span, ...]
    cjk: bool

    @classmethod
    def from_offsets(
        cls, key: str, starts: npt.ArrayLike, ends: npt.ArrayLike, placeholders: tuple[Span, ...] = (), cjk: bool = True
    ) -> Normalized:
        """Build from per-key-character original offsets."""
        s = np.asarray(starts, dtype=np.int64)
        e = np.asarray(ends, dtype=np.int64)
        if len(s) != len(key) or len(e) != len(key):
            raise ValueError("one start and one end per key character")
        breaks = np.ones(len(s), dtype=bool)
        np.logical_or(s[1:] != s[:-1] + 1, e[1:] != e[:-1] + 1, out=breaks[1:])
        begins = np.flatnonzero(breaks)
        runs = np.stack([begins, s[begins], e[begins]], axis=1).astype(np.int32)  # texts stay far below 2**31
        return cls(key=key, runs=runs.reshape(-1, 3), placeholders=placeholders, cjk=cjk)

    @property
    def starts(self) -> I32Array:
        """Original start offset of every key character."""
        return self._expand(1)

    @property
    def ends(self) -> I32Array:
        """Original end offset of every key character."""
        return self._expand(2)

    def _expand(self, column: int) -> I32Array:
        n = len(self.key)
        if not n:
            return np.zeros(0, dtype=np.int32)
        lengths = self._lengths()
        within = np.arange(n, dtype=np.int32) - np.repeat(self.runs[:, 0], lengths)
        out: I32Array = np.repeat(self.runs[:, column], lengths) + within
        return out

    def _lengths(self) -> I32Array:
        lengths = np.empty(len(self.runs), dtype=np.int32)
        lengths[:-1] = self.runs[1:, 0] - self.runs[:-1, 0]
        lengths[-1:] = len(self.key) - self.runs[-1:, 0]
        return lengths

    def key_index(self, offsets: npt.ArrayLike) -> IntArray:
        """For each original offset, how many key characters start before it.

        ``numpy.searchsorted(starts, offsets)`` without expanding ``starts``:
        the key index of the first key character at or after each offset.
        """
        x = np.asarray(offsets, dtype=np.int64)
        if not len(self.runs):
            return np.zeros(x.shape, dtype=np.int64)
        run_starts = self.runs[:, 1].astype(np.int64)
        r = np.searchsorted(run_starts, x, side="left") - 1  # the last run starting before each offset
        prev = np.maximum(r, 0)
        # runs before that one lie wholly before the offset (starts never decrease); that one may be cut
        within = np.minimum(x - run_starts[prev], self._lengths()[prev])
        out: IntArray = np.where(r >= 0, self.runs[prev, 0] + within, 0)
        return out

    def key_end_index(self, offsets: npt.ArrayLike) -> IntArray:
        """For each original offset, how many key characters end at or before it.

        ``numpy.searchsorted(ends, offsets, side="right")`` without expanding ``ends``: the runs'
        first ends never decrease, and inside a run each key character ends one later.
        """
        x = np.asarray(offsets, dtype=np.int64)
        if not len(self.runs):
            return np.zeros(x.shape, dtype=np.int64)
        first_ends = self.runs[:, 2].astype(np.int64)
        r = np.searchsorted(first_ends, x, side="right") - 1  # the last run whose first character ends by then
        prev = np.maximum(r, 0)
        within = np.minimum(x - first_ends[prev] + 1, self._lengths()[prev])
        out: IntArray = np.where(r >= 0, self.runs[prev, 0] + within, 0)
        return out

    def spans_of(self, key_ranges: IntArray) -> IntArray:
        """Original ``(start, end)`` of non-empty key ranges (rows ``(key start, key end)``), as rows."""
        ranges = np.asarray(key_ranges, dtype=np.int64).reshape(-1, 2)
        out = np.empty_like(ranges)
        out[:, 0] = self._at(ranges[:, 0], 1)
        out[:, 1] = self._at(ranges[:, 1] - 1, 2)
        return out

    def _at(self, index: IntArray, column: int) -> IntArray:
        row = np.searchsorted(self.runs[:, 0], index, side="right") - 1
        out: IntArray = self.runs[row, column].astype(np.int64) + index - self.runs[row, 0]
        return out

    def _offset(self, i: int, column: int) -> int:
        keys = self.runs[:, 0]
        row = bisect.bisect_right(keys, i) - 1  # on one index, bisect is several times faster than numpy
        return int(self.runs[row, column]) + i - int(keys[row])

    def to_span(self, key_start: int, key_end: int) -> Span:
        """Original-text span of the key range ``[key_start, key_end)``."""
        if key_end <= key_start:
            pos = self._offset(key_start, 1) if key_start < len(self.key) else 0
            return Span(pos, pos)
        return Span(self._offset(key_start, 1), self._offset(key_end - 1, 2))


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A unit of matching: a paragraph or a sentence window of one document."""

    doc: int
    index: int
    span: Span
    key_start: int
    key_end: int


@pickled_as_call
@dataclass(frozen=True, slots=True, eq=False)
class Decided:
    """The decisions a scan takes over its whole corpus, given to a scan instead of learnt by it.

    Each site's chrome (its repeated lines, site key -> line keys) and the stock shingles MinHash leaves out
    (sorted hashes). With the decisions a scan of a whole corpus took, a scan of a union of its candidate
    components (every document sharing a candidate pair, a duplicate or a page with one of them) finds
    what the whole's scan found for them (with the default settings: the opt-in bucket cap and giant split
    are not given, so a scan given decisions refuses them): what an exact incremental add would build on.
    """

    site_chrome: Mapping[str, frozenset[str]]
    stock: U32Array

    def __post_init__(self) -> None:  # (looked up by binary search: sorted, distinct)
        object.__setattr__(self, "stock", np.unique(np.asarray(self.stock, dtype=np.uint32)))

    def digest(self) -> str:
        """What a work folder's key takes of them (a scan with other decisions is another scan)."""
        h = hashlib.sha256()
        for site, keys in sorted(self.site_chrome.items()):
            h.update(repr((site, sorted(keys))).encode("utf-8", "surrogatepass"))
        h.update(np.ascontiguousarray(self.stock, dtype=np.uint32).tobytes())
        return h.hexdigest()


@pickled_as_call
@dataclass(frozen=True, slots=True)
class CandidatePair:
    """Two paragraphs (global indices, ``a < b``) that LSH put in one bucket."""

    a: int
    b: int

    def __post_init__(self) -> None:
        if not self.a < self.b:
            raise ValueError("candidate pairs are ordered: a < b")


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Passage:
    """A reused passage: spans in both original texts and its similarity."""

    a: Span
    b: Span
    key_a: Span
    key_b: Span
    matched: int
    similarity: float
    longest: int = 0  # longest exact run (normalised characters)


@pickled_as_call
@dataclass(frozen=True, slots=True)
class DocPair:
    """All passages two documents share. ``a < b`` by document id."""

    a: str
    b: str
    similarity: float
    coverage_a: float
    coverage_b: float
    shared_chars: int
    passages: tuple[Passage, ...]
    duplicate: bool = False
    longest_run: int = 0  # longest exact run any passage holds (normalised characters)


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Family:
    """Documents built on one template."""

    id: str
    members: tuple[str, ...]
    template: str | None
    roles: Mapping[str, Role]
    aligned_with: Mapping[str, str] = field(default_factory=dict)  # member -> the member it was aligned against


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Slot:
    """A slot of a family's template and what each member filled in.

    ``explicit`` slots are the template's placeholders; ``implicit`` ones are
    spans where members consistently put their own names, places or numbers.
    """

    family: str
    slot: int
    template_text: str
    fills: Mapping[str, str]
    span: Span = Span(0, 0)  # in the template's original text
    kind: SlotKind = "explicit"
    fill_spans: Mapping[str, Span] = field(default_factory=dict)  # member -> where its fill stands in its text


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Edit:
    """A difference between a member and its template that is not a slot (rewording, added text)."""

    family: str
    doc: str
    template_span: Span
    template_text: str
    span: Span
    text: str


@pickled_as_call
@dataclass(frozen=True, slots=True)
class TemplateText:
    """A family's template rebuilt: the template's text with its slots as ``{1}``, ``{2}`` ..."""

    family: str
    doc: str
    text: str


@pickled_as_call
@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the report says about one document."""

    id: str
    source: str
    span: Span
    title: str
    chars: int
    encoding: str
    family: str | None
    role: Role | None
    placeholders: int
    duplicate_of: str | None
    placeholder_density: float = 0.0  # placeholders per 1,000 normalised characters: high on template pages
    script: str = ""  # zh-Hans, zh-Hant, or "" for text that is not Chinese
    date: str = ""
    site: str = ""
    chrome: tuple[Removal, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)
    placeholder_spans: tuple[Span, ...] = ()  # where each placeholder stands in the text (len == placeholders)

    @property
    def removed(self) -> Mapping[str, int]:
        """How many pieces of chrome each rule removed, by rule name."""
        return removal_counts(self.chrome)


def removal_counts(removals: Iterable[Removal]) -> Mapping[str, int]:
    """How many removals each rule made, by rule name.

    >>> removal_counts([Removal(Span(0, 3), "header"), Removal(Span(9, 12), "footer"), Removal(Span(5, 6), "header")])
    {'footer': 1, 'header': 2}
    """
    counts: dict[str, int] = {}
    for r in removals:
        counts[r.rule] = counts.get(r.rule, 0) + 1
    return dict(sorted(counts.items()))


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Families:
    """The families of a corpus and where each document stands."""

    families: tuple[Family, ...]
    family_of: Mapping[str, str]
    role_of: Mapping[str, Role]
    warnings: tuple[ScanWarning, ...]


@pickled_as_call
@dataclass(frozen=True, slots=True)
class FamilySlots:
    """What slot finding (:func:`~dupdetect.stages.slots.family_slots`) finds for one family."""

    slots: tuple[Slot, ...]
    edits: tuple[Edit, ...]
    template: TemplateText | None


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Report:
    """The result of a scan: pure data, with its provenance."""

    tool_version: str
    config: Config
    documents: tuple[DocumentInfo, ...]
    families: tuple[Family, ...]
    pairs: Sequence[DocPair]  # a scan's are Rows (dupdetect.model.columns): made as they are read
    slots: Sequence[Slot]  # a scan's are Rows (dupdetect.model.columns): made as they are read
    counts: Mapping[str, int]
    warnings: tuple[ScanWarning, ...]
    edits: Sequence[Edit] = ()
    templates: Sequence[TemplateText] = ()
    root: str = ""  # the folder the scan ran in: relative sources start there
