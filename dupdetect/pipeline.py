"""The stages composed: documents in, a :class:`~dupdetect.types.Report` out.

``detect`` only calls the public stage functions in order and counts what
each one kept and dropped; every decision lives in the stage modules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

import numpy as np

from dupdetect.align import align_documents
from dupdetect.candidates import candidate_pairs, stock_shingles
from dupdetect.clean import find_chrome, kept_lines, removal_counts, repeated_lines
from dupdetect.config import CleanConfig, Config
from dupdetect.families import find_families, reuse_graph
from dupdetect.fingerprint import drop_hashes, shingle, signatures
from dupdetect.ingest import iter_documents
from dupdetect.metadata import describe
from dupdetect.normalize import normalize
from dupdetect.report import build_report
from dupdetect.segment import segment
from dupdetect.slots import FamilySlots, MemberText, family_slots
from dupdetect.split import Part, split_document
from dupdetect.types import (
    Cleaned,
    DocPair,
    Document,
    Family,
    Normalized,
    Paragraph,
    Passage,
    Report,
    ScanWarning,
    Span,
)

Progress = Callable[[str, int, int], None]
"""``on_progress(stage, done, total)``: called as each stage advances."""


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True, slots=True)
class _Corpus:
    """Per-document results of the streaming stages, indexed like ``docs``."""

    docs: tuple[Document, ...]
    cleaned: tuple[Cleaned, ...]
    norms: tuple[Normalized, ...]
    units: tuple[tuple[Paragraph, ...], ...]
    duplicate_of: dict[int, int]


def clean_document(doc: Document, *, config: CleanConfig = CleanConfig()) -> tuple[Cleaned, ...]:
    """Find one page's chrome, split it into its speeches and describe each.

    Per-document work only: safe to run in worker processes.
    """
    removals = find_chrome(doc.text) if config.chrome else ()
    parts = split_document(doc, removals) if config.split else (Part(doc, removals),)
    page = doc.text if len(parts) > 1 else ""
    cleaned = []
    for part in parts:
        info = describe(part.doc.text, part.removals, title_hint=part.title_hint, page_text=page)
        title = part.doc.meta.get("title") or info.title or part.doc.title
        cleaned.append(Cleaned(replace(part.doc, title=title), part.removals, info))
    return tuple(cleaned)


def clean_corpus(documents: Iterable[Document], *, config: CleanConfig = CleanConfig()) -> tuple[Cleaned, ...]:
    """:func:`clean_document` for every document, then each site's repeated lines (sorted by id)."""
    pieces = sorted((c for doc in documents for c in clean_document(doc, config=config)), key=lambda c: c.doc.id)
    if not config.repeated_lines:
        return tuple(pieces)
    learned = repeated_lines(
        [kept_lines(c.doc.text, c.removals) for c in pieces],
        [_site_key(c) for c in pieces],
        max_chars=config.repeated_max_chars,
        min_docs=config.repeated_min_docs,
        min_share=config.repeated_min_share,
    )
    return tuple(
        replace(c, removals=tuple(sorted((*c.removals, *extra), key=lambda r: (r.span, r.rule))))
        for c, extra in zip(pieces, learned, strict=True)
    )


def _site_key(cleaned: Cleaned) -> str:
    """Which documents count as one source: the named site, else the page, else the folder."""
    if cleaned.info.site:
        return f"site:{cleaned.info.site}"
    if "part_of" in cleaned.doc.meta:
        return f"page:{cleaned.doc.meta['part_of']}"
    return f"folder:{PurePath(cleaned.doc.source).parent}"


def scan(paths: Sequence[str], *, config: Config = Config(), on_progress: Progress = _silent) -> Report:
    """Read files, folders and JSONL corpora and find their template families."""
    warnings: list[ScanWarning] = []
    docs = list(iter_documents(paths, config=config.ingest, on_warning=warnings.append))
    return detect(docs, config=config, warnings=warnings, on_progress=on_progress)


def detect(
    documents: Iterable[Document],
    *,
    config: Config = Config(),
    warnings: Sequence[ScanWarning] = (),
    on_progress: Progress = _silent,
) -> Report:
    """Find reused passages and template families in ``documents``.

    Args:
        documents: the corpus; ids must be unique.
        config: every stage's settings.
        warnings: problems met before this call (unreadable inputs), kept on the report.
        on_progress: progress callback.
    """
    corpus = _prepare(clean_corpus(documents, config=config.clean), config, on_progress)
    counts: dict[str, int] = {"documents": len(corpus.docs), "inputs_skipped": len(warnings)}
    counts["exact_duplicates"] = len(corpus.duplicate_of)
    pairs = _find_pairs(corpus, config, counts, on_progress)
    ids = [d.id for d in corpus.docs]
    duplicate_ids = {ids[d]: ids[r] for d, r in corpus.duplicate_of.items()}
    graph = reuse_graph(ids, pairs, config=config.families)
    families = find_families(
        graph,
        placeholders={d.id: n.placeholders for d, n in zip(corpus.docs, corpus.norms, strict=True)},
        key_lengths={d.id: len(n.key) for d, n in zip(corpus.docs, corpus.norms, strict=True)},
        duplicate_of=duplicate_ids,
        dates={c.doc.id: c.info.date for c in corpus.cleaned if c.info.date},
        seed=config.fingerprint.seed,
        config=config.families,
    )
    counts["families"] = len(families.families)
    counts["mosaics"] = sum(1 for r in families.role_of.values() if r == "mosaic")
    found = _find_slots(corpus, families.families, pairs, config)
    counts["slots"] = sum(len(f.slots) for f in found)
    counts["edits"] = sum(len(f.edits) for f in found)
    on_progress("report", 1, 1)
    counts.update(_chrome_counts(corpus.cleaned))
    return build_report(
        corpus.cleaned,
        corpus.norms,
        pairs=pairs,
        families=families,
        slots=found,
        duplicate_of=duplicate_ids,
        config=config,
        counts=counts,
        warnings=(*warnings, *families.warnings),
    )


def _prepare(cleaned: tuple[Cleaned, ...], config: Config, on_progress: Progress) -> _Corpus:
    """Normalise and segment every document; find exact duplicates."""
    docs = tuple(c.doc for c in cleaned)
    norms = []
    units = []
    first_with_key: dict[str, int] = {}
    duplicate_of: dict[int, int] = {}
    for i, (doc, piece) in enumerate(zip(docs, cleaned, strict=True)):
        norm = normalize(doc.text, drop=[r.span for r in piece.removals], config=config.normalize)
        norms.append(norm)
        units.append(segment(i, doc.text, norm, config=config.segment))
        if len(norm.key) >= config.align.min_chars:  # shorter texts hold no passage
            original = first_with_key.setdefault(norm.key, i)
            if original != i:
                duplicate_of[i] = original
        on_progress("normalize", i + 1, len(docs))
    return _Corpus(docs, cleaned, tuple(norms), tuple(units), duplicate_of)


def _find_slots(
    corpus: _Corpus, families: Sequence[Family], pairs: Sequence[DocPair], config: Config
) -> list[FamilySlots]:
    """Slots, fills and edits of every family with a template."""
    index = {doc.id: i for i, doc in enumerate(corpus.docs)}

    def member(doc_id: str) -> MemberText:
        i = index[doc_id]
        return MemberText(corpus.docs[i].text, corpus.norms[i], corpus.cleaned[i].removals)

    by_doc: dict[str, list[DocPair]] = defaultdict(list)
    for p in pairs:
        by_doc[p.a].append(p)
        by_doc[p.b].append(p)
    return [
        family_slots(f, by_doc[f.template], {m: member(m) for m in f.members}, config=config.slots)
        for f in families
        if f.template is not None
    ]


def _chrome_counts(cleaned: Sequence[Cleaned]) -> dict[str, int]:
    """Corpus totals: speeches cut from compilation pages, and chrome removed by each rule."""
    counts = {"parts": sum(1 for c in cleaned if "part_of" in c.doc.meta)}
    for c in cleaned:
        for rule, n in removal_counts(c.removals).items():
            counts[f"chrome_{rule}"] = counts.get(f"chrome_{rule}", 0) + n
    return counts


def _find_pairs(corpus: _Corpus, config: Config, counts: dict[str, int], on_progress: Progress) -> list[DocPair]:
    """Shingle, hash, band and align: every pair of documents that share passages."""
    shingles = [shingle(n, u, config=config.fingerprint) for n, u in zip(corpus.norms, corpus.units, strict=True)]
    originals = [s for i, s in enumerate(shingles) if i not in corpus.duplicate_of]
    stock = stock_shingles(originals, config=config.candidates)
    shingles = [drop_hashes(s, stock) for s in shingles]
    on_progress("fingerprint", 1, 2)
    sigs = np.concatenate([signatures(s, config=config.fingerprint) for s in shingles] or [np.zeros((0, 1), np.uint32)])
    flat_units = [u for doc_units in corpus.units for u in doc_units]
    unit_doc = np.array([-1 if u.doc in corpus.duplicate_of else u.doc for u in flat_units], dtype=np.int64)
    on_progress("fingerprint", 2, 2)
    candidates = candidate_pairs(sigs, unit_doc, config=config.candidates, fingerprint=config.fingerprint)
    by_docs: dict[tuple[int, int], list[tuple[Paragraph, Paragraph]]] = defaultdict(list)
    for c in candidates:
        ua, ub = flat_units[c.a], flat_units[c.b]
        by_docs[(ua.doc, ub.doc)].append((ua, ub))
    pairs = _align_all(corpus, by_docs, config, on_progress)
    pairs.extend(_duplicate_pair(corpus, d, o) for d, o in sorted(corpus.duplicate_of.items()))
    counts.update(
        units=len(flat_units),
        units_without_shingles=int(sum(int((np.diff(s.bounds) == 0).sum()) for s in shingles)),
        stock_shingles=len(stock),
        candidate_unit_pairs=len(candidates),
        candidate_document_pairs=len(by_docs),
        pairs=len(pairs),
        passages=sum(len(p.passages) for p in pairs),
    )
    return sorted(pairs, key=lambda p: (p.a, p.b))


def _align_all(
    corpus: _Corpus,
    by_docs: dict[tuple[int, int], list[tuple[Paragraph, Paragraph]]],
    config: Config,
    on_progress: Progress,
) -> list[DocPair]:
    pairs = []
    for done, ((da, db), unit_pairs) in enumerate(sorted(by_docs.items()), start=1):
        ids = (corpus.docs[da].id, corpus.docs[db].id)
        pair = align_documents(ids, (corpus.norms[da], corpus.norms[db]), unit_pairs, config=config.align)
        if pair is not None:
            pairs.append(pair)
        on_progress("align", done, len(by_docs))
    return pairs


def _duplicate_pair(corpus: _Corpus, dup: int, original: int) -> DocPair:
    """The pair of an exact duplicate and the document it repeats: all of it is shared."""
    a, b = sorted((original, dup), key=lambda i: corpus.docs[i].id)
    na, nb = corpus.norms[a], corpus.norms[b]
    n = len(na.key)
    passage = Passage(
        a=na.to_span(0, n), b=nb.to_span(0, n), key_a=Span(0, n), key_b=Span(0, n), matched=n, similarity=1.0
    )
    return DocPair(
        a=corpus.docs[a].id,
        b=corpus.docs[b].id,
        similarity=1.0,
        coverage_a=1.0,
        coverage_b=1.0,
        shared_chars=n,
        passages=(passage,),
        duplicate=True,
    )
