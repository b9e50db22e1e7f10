"""Settings of every stage, with their defaults in one place.

Each knob's comment says which way it trades recall for precision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from dupdetect.model.errors import ConfigError

ShingleKind = Literal["auto", "char", "word"]


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """How files are found, decoded and unpacked."""

    encoding: str | None = None  # force one codec for every text, HTML and CSV file; None = detect
    extensions: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", ".doc", ".pdf", ".rtf")
    jsonl_extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    csv_extensions: tuple[str, ...] = (".csv", ".tsv")
    id_field: str = "id"  # JSONL key / CSV column of the document id
    text_field: str = "text"  # JSONL key / CSV column of the document text
    html_field: str = "html"  # JSONL key of a crawled page, read like an .html file when a record has no text field
    max_file_bytes: int | None = 200 * 2**20  # larger files are skipped with a warning; None = no limit
    max_corpus_bytes: int | None = 16 * 2**30  # the same for a JSONL/CSV corpus file (many documents in one)
    max_text_chars: int | None = 2_000_000  # a document with a longer text is skipped with a warning; None = no limit
    max_member_bytes: int = 50 * 2**20  # a DOCX member (or PDF stream) that unpacks to more is refused (bomb)
    max_unpacked_bytes: int = 200 * 2**20  # a DOCX that unpacks to more in all is refused
    max_zip_ratio: float = 100.0  # a DOCX member over 1 MiB compressed more than this is refused
    converter_timeout: float = 60.0  # seconds antiword/catdoc may take on one legacy .doc
    follow_links: bool = False  # follow symbolic links whose target stays inside a scanned folder

    def __post_init__(self) -> None:
        _check(self.max_file_bytes is None or self.max_file_bytes > 0, "max_file_bytes must be positive")
        _check(self.max_corpus_bytes is None or self.max_corpus_bytes > 0, "max_corpus_bytes must be positive")
        _check(self.max_text_chars is None or self.max_text_chars > 0, "max_text_chars must be positive")
        _check(self.max_member_bytes > 0, "max_member_bytes must be positive")
        _check(self.max_unpacked_bytes > 0, "max_unpacked_bytes must be positive")
        _check(self.max_zip_ratio >= 1, "max_zip_ratio must be at least 1")
        _check(self.converter_timeout > 0, "converter_timeout must be positive")


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Page chrome, compilation splitting and per-site repeated lines."""

    chrome: bool = True  # built-in chrome rules (navigation, footers, page markers, ...)
    split: bool = True  # cut compilation pages and run-on speeches into parts
    repeated_lines: bool = True  # learn chrome: short lines repeated across one site's pages
    repeated_max_chars: int = 40  # longer lines are never learned as chrome
    repeated_min_docs: int = 3  # a learned line is in at least this many pages of its site ...
    repeated_min_share: float = 0.3  # ... and in at least this share of them


@dataclass(frozen=True, slots=True)
class NormalizeConfig:
    """How the match key is built from the original text."""

    t2s: bool = True  # fold Traditional script to Simplified (OpenCC t2s)
    mask_placeholders: bool = True  # every placeholder spelling -> one token


@dataclass(frozen=True, slots=True)
class SegmentConfig:
    """How documents are cut into matching units."""

    min_chars: int = 60  # shorter lines are joined to the next (headings, hard-wrapped text)
    max_chars: int = 600  # longer paragraphs are cut into sentence windows
    window_chars: int = 300  # target size of a sentence window


@dataclass(frozen=True, slots=True)
class FingerprintConfig:
    """Shingling and MinHash."""

    shingle: ShingleKind = "auto"  # auto: words for space-delimited text, else chars
    char_k: int = 5  # character n-gram size; smaller = more recall, more noise
    word_k: int = 3  # word n-gram size for space-delimited scripts
    num_perm: int = 128
    seed: int = 1


@dataclass(frozen=True, slots=True)
class CandidateConfig:
    """LSH candidate generation and the stock-phrase cap."""

    threshold: float = 0.3  # LSH Jaccard threshold; lower = more recall, slower
    star_above: int = 16  # a bucket of more units pairs each with one hub, not all with all (linear cost)
    sentence_anchor: int | None = 60  # also pair units holding the same this many chars after a sentence end
    stock_min_docs: int = 5  # a shingle seen this many times ...
    stock_min_share: float = 0.01  # ... or this share of the number of documents (the larger) ...
    stock_context: int = 48  # ... whose shingle this many places before, and after (chars in CJK, words else) ...
    stock_agreement: float = 0.5  # ... is the same in less than this share of its occurrences is a stock phrase
    max_df: int | None = None  # opt-in cap: shingles in more documents than max(max_df, ...)
    max_df_ratio: float = 0.05  # ... and this share of the corpus are left out of MinHash; None = no cap
    max_bucket: int | None = None  # opt-in: an LSH bucket with more units is skipped (with a warning)
    band_partition: int = 1 << 22  # distinct signatures a band task groups at once (more: bands cut by key range)


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """Passage alignment."""

    min_chars: int = 50  # shortest passage kept (normalised chars); lower = more recall
    anchor_chars: int = 4  # shortest exact run that anchors an alignment
    max_gap: int = 40  # longest unmatched stretch inside one passage (slots, edits)
    edge_gap: int = 6  # a passage grows over short exact runs this close to its ends (edge slots)
    min_similarity: float = 0.5  # passages less similar than this are dropped


@dataclass(frozen=True, slots=True)
class FamilyConfig:
    """Which pairs join documents into families."""

    min_shared: int = 150  # shared normalised chars for a family edge ...
    excerpt_min_shared: int = 100  # ... or this many when they cover ...
    excerpt_coverage: float = 0.7  # ... this share of one side (an excerpt of 150-300 chars inside a longer copy)
    min_coverage: float = 0.2  # share of at least one side's text that must be reused
    min_run: int = 60  # longest verbatim run a family pair must hold (wire formulas share only short ones) ...
    reworded_coverage: float = 0.5  # ... unless its passages cover this share of both sides ...
    reworded_similarity: float = 0.8  # ... at this similarity (a copy reworded throughout by a synonym spinner)
    giant_fraction: float = 0.5  # opt-in: a family above this share of the corpus is split ...
    giant_min: int | None = None  # ... if it also has more members than this (None: never split)
    mosaic_min_share: float = 0.15  # share of a document taken from each of 2+ families


@dataclass(frozen=True, slots=True)
class SlotConfig:
    """Which differences between a template and its members are slots."""

    max_fill: int = 40  # longest fill of a placeholder (normalised chars); longer = an edit
    max_implicit: int = 12  # longest difference that can be an implicit slot, on either side
    implicit_min_share: float = 0.2  # share of the members over a place that must differ there for a slot


@dataclass(frozen=True, slots=True)
class Config:
    """All settings of a scan."""

    ingest: IngestConfig = field(default_factory=IngestConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    families: FamilyConfig = field(default_factory=FamilyConfig)
    slots: SlotConfig = field(default_factory=SlotConfig)

    def __post_init__(self) -> None:
        _check(0.0 < self.candidates.threshold <= 1.0, "threshold must be in (0, 1]")
        _check(self.fingerprint.char_k >= 1, "char_k must be at least 1")
        _check(self.fingerprint.word_k >= 1, "word_k must be at least 1")
        _check(self.fingerprint.num_perm >= 16, "num_perm must be at least 16")
        _check(self.align.min_chars >= 1, "min_chars must be at least 1")
        _check(self.candidates.band_partition >= 1, "band_partition must be at least 1")
        _check(self.segment.window_chars >= 20, "window_chars must be at least 20")
        _check(self.segment.max_chars >= self.segment.window_chars, "max_chars must be >= window_chars")

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict of every setting, as recorded in report.json."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Config:
        """The settings :meth:`to_dict` recorded, read back leniently (a report of another version).

        Each section takes the keys this version knows; a section missing,
        or holding what this version cannot take, keeps its defaults.

        >>> Config.from_dict({"align": {"min_chars": 80, "gone": 1}, "slots": "?"}).align.min_chars
        80
        >>> Config.from_dict(Config().to_dict()) == Config()
        True
        """
        sections: dict[str, Any] = {}
        for f in fields(cls):
            default, saved = getattr(cls(), f.name), data.get(f.name)
            if not isinstance(saved, Mapping):
                continue
            known = {k.name for k in fields(default)}
            values = {k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k in known}
            try:
                sections[f.name] = replace(default, **values)
            except (TypeError, ValueError, ConfigError):
                continue
        try:
            return replace(cls(), **sections)
        except ConfigError:  # sections that each hold but not together
            return cls()

    def with_overrides(self, **sections: dict[str, Any]) -> Config:
        """A copy with some fields of some sections replaced.

        >>> Config().with_overrides(align={"min_chars": 80}).align.min_chars
        80
        """
        updated = {name: replace(getattr(self, name), **values) for name, values in sections.items() if values}
        return replace(self, **updated)


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)
