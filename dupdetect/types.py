"""Frozen dataclasses that cross stage boundaries.

Every offset is a half-open Python string index. Offsets named ``span`` point
into the *original* text of a document (``Document.text``); offsets into the
normalised match key are named ``key_*`` and are only used between the
normalise, segment, fingerprint and align stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

Role = Literal["template", "copy", "partial", "mosaic"]
SlotKind = Literal["explicit", "implicit"]
IntArray = npt.NDArray[np.int64]
I32Array = npt.NDArray[np.int32]
U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]


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


@dataclass(frozen=True, slots=True)
class Removal:
    """A span of a document's text left out of matching, and the rule that found it."""

    span: Span
    rule: str


@dataclass(frozen=True, slots=True)
class ScanWarning:
    """Something a stage could not do, named by the input it concerns."""

    source: str
    message: str


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


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Title, date (ISO ``YYYY-MM-DD``) and site of a page, or empty strings."""

    title: str
    date: str
    site: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A speech ready for matching: its document, its chrome and what its page says of it."""

    doc: Document
    removals: tuple[Removal, ...]
    info: PageInfo


@dataclass(frozen=True, slots=True)
class Normalized:
    """A document's match key with a map back to its original text.

    Key character ``i`` was produced by ``text[starts[i]:ends[i]]``. Both
    arrays are non-decreasing, so a key range maps to one original span.
    """

    key: str
    starts: I32Array
    ends: I32Array
    placeholders: tuple[Span, ...]
    cjk: bool

    def to_span(self, key_start: int, key_end: int) -> Span:
        """Original-text span of the key range ``[key_start, key_end)``."""
        if key_end <= key_start:
            pos = int(self.starts[key_start]) if key_start < len(self.starts) else 0
            return Span(pos, pos)
        return Span(int(self.starts[key_start]), int(self.ends[key_end - 1]))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A unit of matching: a paragraph or a sentence window of one document."""

    doc: int
    index: int
    span: Span
    key_start: int
    key_end: int


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """Two paragraphs (global indices, ``a < b``) that LSH put in one bucket."""

    a: int
    b: int

    def __post_init__(self) -> None:
        if not self.a < self.b:
            raise ValueError("candidate pairs are ordered: a < b")


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


@dataclass(frozen=True, slots=True)
class Family:
    """Documents built on one template."""

    id: str
    members: tuple[str, ...]
    template: str | None
    roles: Mapping[str, Role]


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


@dataclass(frozen=True, slots=True)
class Edit:
    """A difference between a member and its template that is not a slot (rewording, added text)."""

    family: str
    doc: str
    template_span: Span
    template_text: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class TemplateText:
    """A family's template rebuilt: the template's text with its slots as ``{1}``, ``{2}`` ..."""

    family: str
    doc: str
    text: str


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


@dataclass(frozen=True, slots=True)
class Report:
    """The result of a scan: pure data, with its provenance."""

    tool_version: str
    config: Mapping[str, object]
    documents: tuple[DocumentInfo, ...]
    families: tuple[Family, ...]
    pairs: tuple[DocPair, ...]
    slots: tuple[Slot, ...]
    counts: Mapping[str, int]
    warnings: tuple[ScanWarning, ...]
    edits: tuple[Edit, ...] = ()
    templates: tuple[TemplateText, ...] = ()
