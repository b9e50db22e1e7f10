"""The stages composed: documents in, a :class:`~dupdetect.model.types.Report` out.

``detect`` only calls the public stage functions in order and counts what
each one kept and dropped; every decision lives in the stage modules.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path, PurePath
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from dupdetect.engine.appendfile import ArrayFile
from dupdetect.engine.columnar import (
    BandFile,
    KeySlots,
    NormTable,
    Prepared,
    RowTable,
    Table,
    WorkTable,
    joined_offsets,
)
from dupdetect.engine.components import components, components_in_parts, page_edges
from dupdetect.engine.local import (
    by_file,
    check_folder,
    distributed,
    mapper,
    pmap,
    pmap_batches,
    pmap_chunks,
    settle,
    settled,
)
from dupdetect.engine.texts import TextFile, TextTable, TextTableBuilder
from dupdetect.engine.work import SIGNATURES, ScanKey, WorkDir, scratch
from dupdetect.model import columns
from dupdetect.model.columns import Rows, SlotColumns
from dupdetect.model.config import CleanConfig, Config, FingerprintConfig
from dupdetect.model.errors import ConfigError
from dupdetect.model.report import build_report
from dupdetect.model.stage import StageResult
from dupdetect.model.types import (
    Cleaned,
    Decided,
    DocPair,
    Document,
    Families,
    Family,
    I32Array,
    IntArray,
    Normalized,
    Paragraph,
    Passage,
    Removal,
    Report,
    ScanWarning,
    Span,
    U32Array,
    U64Array,
)
from dupdetect.model.words import counted, some
from dupdetect.read.ingest import Skipped, iter_documents
from dupdetect.stages.align import align_documents
from dupdetect.stages.candidates import (
    anchor_candidates,
    band_candidates,
    bands_and_rows,
    shared_unit_pairs,
    stock_phrases,
    stock_shingles,
    unique_pairs,
)
from dupdetect.stages.clean import REPEATED, chrome_removals, find_chrome, kept_lines, site_chrome
from dupdetect.stages.families import find_families, is_substantial, reuse_graph
from dupdetect.stages.fingerprint import (
    Shingles,
    concat,
    drop_hashes,
    sentence_anchors,
    shingle_many,
    shingle_ranges,
    signatures,
)
from dupdetect.stages.metadata import describe
from dupdetect.stages.normalize import normalize
from dupdetect.stages.plan import AlignmentPlan
from dupdetect.stages.segment import segment_rows
from dupdetect.stages.slots import MemberText, family_slots
from dupdetect.stages.split import Part, split_document

Progress = Callable[[str, int, int], None]
"""``on_progress(stage, done, total)``: called as each stage advances."""


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


def _stage(on_progress: Progress, stage: str) -> Callable[[int, int], None]:
    """``on_progress`` bound to one stage."""
    return lambda done, total: on_progress(stage, done, total)


@dataclass(frozen=True, slots=True)
class _Source:
    """The documents as read: their texts and pages in a file (:mod:`dupdetect.engine.texts`), the rest
    in memory, and the scan key of them all (:class:`~dupdetect.engine.work.ScanKey`)."""

    docs: list[Document]  # (with empty texts and pages; emptied once the corpus is prepared)
    texts: TextTable
    pages: TextTable
    key: str

    @classmethod
    def read(cls, documents: Iterable[Document], folder: Path, config: Config, decided: Decided | None) -> _Source:
        """``documents`` read once, each text written to ``folder`` as it comes (none are kept)."""
        file = TextFile(folder / "texts.utf16")
        texts, pages = TextTableBuilder(file), TextTableBuilder(file)
        key = ScanKey(config, decided)
        docs = []
        for doc in documents:
            key.add(doc)
            texts.add(doc.text)
            pages.add(doc.page)
            docs.append(replace(doc, text="", page=""))
        return cls(docs, texts.table(), pages.table(), key.hexdigest())


@dataclass(frozen=True, slots=True)
class Corpus:
    """The prepared corpus: per document (by index, documents sorted by id) its cleaned speech, text, match
    key and units, as tables read on demand; and its exact duplicates."""

    ids: Sequence[str]  # the documents' ids, sorted (a list; a worker's: read from the table when asked for)
    cleaned: Rows[Cleaned]  # the cleaned documents' table, each made when read (texts empty: they are in ``texts``)
    texts: TextTable
    norms: NormTable  # (keys in a file: workers read them without copying pages)
    units: RowTable  # per document, a row per unit: span start, end, key start, key end (one flat array)
    duplicate_of: dict[int, int]
    position: Mapping[str, int]  # document id -> index (a dict; a worker's: a binary search in ``ids``)

    @classmethod
    def of(
        cls,
        cleaned: Rows[Cleaned],
        texts: TextTable,
        norms: NormTable,
        units: RowTable,
        duplicate_of: dict[int, int],
    ) -> Corpus:
        """The corpus of these speeches and their tables (their ids and ids' positions derived)."""
        ids: list[str] = cleaned.table.column("id").to_pylist()
        return cls(ids, cleaned, texts, norms, units, duplicate_of, {doc: i for i, doc in enumerate(ids)})

    def mapped(self, path: Path) -> Corpus:
        """The corpus with its cleaned documents' table in ``path``, mapped (:meth:`Rows.mapped`), and its
        texts' ranges in files beside it: what goes to a Dask worker then is the files' names and a few
        small arrays, not its table, ids and their positions (a worker reads an id from the table, and
        finds one by binary search in them)."""
        cleaned = self.cleaned if self.cleaned.file is not None else self.cleaned.mapped(path)
        return replace(self, cleaned=cleaned, texts=self.texts.shared(by_file(path.parent)))

    def __reduce__(self) -> Any:
        if self.cleaned.file is None:
            return (
                Corpus,
                (self.ids, self.cleaned, self.texts, self.norms, self.units, self.duplicate_of, self.position),
            )
        return (_worker_corpus, (self.cleaned, self.texts, self.norms, self.units, self.duplicate_of))


def _worker_corpus(
    cleaned: Rows[Cleaned], texts: TextTable, norms: NormTable, units: RowTable, duplicate_of: dict[int, int]
) -> Corpus:
    """A corpus as a Dask worker unpickles it: ids and positions read from its mapped table when asked for."""
    ids = columns.IdColumn(cleaned.table.column("id"))
    return Corpus(ids, cleaned, texts, norms, units, duplicate_of, columns.SortedIds(ids))


def clean_document(doc: Document, *, config: CleanConfig = CleanConfig()) -> tuple[Cleaned, ...]:
    """Find one page's chrome, split it into its speeches and describe each.

    Per-document work only: safe to run in worker processes.
    """
    removals = find_chrome(doc.text) if config.chrome else ()
    parts = split_document(doc, removals) if config.split else (Part(doc, removals),)
    page = doc.text if len(parts) > 1 else doc.page  # where a date and site are looked for, failing the text
    cleaned = []
    for part in parts:
        info = describe(part.doc.text, part.removals, title_hint=part.title_hint, page_text=page)
        title = part.doc.meta.get("title") or info.title or part.doc.title
        cleaned.append(Cleaned(replace(part.doc, title=title), part.removals, info))
    return tuple(cleaned)


def clean_corpus(
    documents: Iterable[Document],
    *,
    config: CleanConfig = CleanConfig(),
    jobs: int | None = 1,
    on_done: Callable[[int, int], None] | None = None,
) -> tuple[Cleaned, ...]:
    """:func:`clean_document` for every document, then each site's repeated lines (sorted by id).

    ``on_done(done, total)`` is told as documents are cleaned. The cleaned documents hold their
    texts; their pages (``Document.page``, only metadata are looked for there) are left out.
    """
    with scratch(None) as folder:
        source = _Source.read(documents, folder, Config(), None)
        try:
            cleaned, texts, _ = _clean_source(source, config, jobs, on_done)
            return tuple(replace(c, doc=replace(c.doc, text=t)) for c, t in zip(cleaned, texts, strict=True))
        finally:
            source.texts.file.close()


def _clean_source(
    source: _Source,
    config: CleanConfig,
    jobs: int | None,
    on_done: Callable[[int, int], None] | None,
    chrome: Mapping[str, frozenset[str]] | None = None,
    docs: Sequence[Document] | None = None,
) -> tuple[Rows[Cleaned], TextTable, Mapping[str, frozenset[str]]]:
    """:func:`clean_corpus` of documents whose texts are in a file: the cleaned documents (sorted by id, texts
    left out; a table, each made when read), their texts (a speech cut out of a compilation page is added
    to the file), and each site's chrome (its repeated lines: learnt, or ``chrome`` when given). ``docs``:
    the documents as read, as the workers are to read them (default ``source.docs``)."""
    shared = (config, source.docs if docs is None else docs, source.texts, source.pages)
    chunks = pmap_chunks(_clean_task, range(len(source.docs)), shared=shared, jobs=jobs, on_done=on_done)
    every = pa.concat_tables([columns.CLEANED.empty_table(), *(chunk.cleaned for chunk in chunks)])
    order = pc.sort_indices(every, sort_keys=[("id", "ascending")]).to_numpy()  # (stable: as sorted() by id)
    table = every.take(order)
    del every
    placed = np.concatenate([np.zeros((0, 3), np.int64), *(chunk.placed for chunk in chunks)])[order]
    texts = TextTable(source.texts.file, placed[:, 0].copy(), placed[:, 1].copy(), placed[:, 2].copy())
    if not config.repeated_lines:
        return columns.cleaned_rows(table), texts, {}
    lines, sites = _LinesByDoc(chunks, order), _site_keys(table)
    if chrome is None:
        chrome = site_chrome(
            lines,
            sites,
            max_chars=config.repeated_max_chars,
            min_docs=config.repeated_min_docs,
            min_share=config.repeated_min_share,
        )
    learned = chrome_removals(lines, sites, chrome)
    return columns.cleaned_rows(_with_removals(table, learned)), texts, chrome


def _with_removals(table: pa.Table, learned: Sequence[Sequence[Removal]]) -> pa.Table:
    """The cleaned documents' table with each one's ``learned`` removals too, every document's sorted by span."""
    every = table.column("removals").to_pylist()
    changed = False
    for i, extra in enumerate(learned):
        old = every[i]
        new = sorted(
            [*old, *({"start": r.span.start, "end": r.span.end, "rule": r.rule} for r in extra)],
            key=lambda x: (x["start"], x["end"], x["rule"]),
        )
        if new != old:
            every[i], changed = new, True
    if not changed:
        return table
    where = table.schema.get_field_index("removals")
    return table.set_column(where, table.schema.field(where), pa.array(every, type=table.schema.field(where).type))


@dataclass(frozen=True, slots=True)
class _CleanedChunk:
    """What a cleaning worker sends back for consecutive pages: their speeches (texts left out), where
    each speech's text is in the texts' file, and the short lines repeated-line learning looks at,
    packed: a few objects a chunk, not several a speech (at 100k, the lines as tuples took about
    0.5 GB of the parent's heap, which it then kept)."""

    cleaned: pa.Table  # (columns.CLEANED)
    placed: IntArray  # (speeches, 3): byte range in the file, length in characters
    keys: str  # every line's match key, one after another
    lines: I32Array  # (lines, 6): speech (in the chunk), start, end, place, key start, key end; by speech


def _clean_task(
    shared: tuple[CleanConfig, Sequence[Document], TextTable, TextTable], indices: Sequence[int]
) -> _CleanedChunk:
    """Worker: consecutive pages cleaned, with their short lines.

    A page's text is read from the file; each speech goes back without its text, with where
    the file holds it (a speech cut out of the page is added to the file here).
    """
    config, docs, texts, pages = shared
    cleaned: list[Cleaned] = []
    placed: list[tuple[int, int, int]] = []
    keys: list[str] = []
    rows: list[tuple[int, int, int, int, int, int]] = []
    at = 0
    for index in indices:
        text = texts[index]
        doc = replace(docs[index], text=text, page=pages[index])
        for c in clean_document(doc, config=config):
            if config.repeated_lines:
                for a, b, key, place in kept_lines(c.doc.text, c.removals, max_chars=config.repeated_max_chars):
                    rows.append((len(cleaned), a, b, place, at, at + len(key)))
                    keys.append(key)
                    at += len(key)
            if c.doc.text is text:
                placed.append((int(texts.starts[index]), int(texts.ends[index]), len(text)))
            else:
                placed.append((*texts.file.add(c.doc.text), len(c.doc.text)))
            cleaned.append(replace(c, doc=replace(c.doc, text="", page="")))
    return _CleanedChunk(
        columns.cleaned_table(cleaned),
        np.array(placed, dtype=np.int64).reshape(-1, 3),
        "".join(keys),
        np.array(rows, dtype=np.int32).reshape(-1, 6),
    )


class _LinesByDoc(Table[list[tuple[int, int, str, int]]]):
    """Every speech's kept lines, unpacked from its chunk when read (see :class:`_CleanedChunk`);
    speech ``i`` is the ``order[i]``-th of the chunks' speeches laid end to end."""

    def __init__(self, chunks: Sequence[_CleanedChunk], order: Sequence[int]) -> None:
        self._chunks = chunks
        sizes = np.array([len(c.cleaned) for c in chunks], dtype=np.int64)
        firsts = np.concatenate([[0], np.cumsum(sizes)])
        where = np.asarray(order, dtype=np.int64)
        self._chunk = (np.searchsorted(firsts, where, side="right") - 1).astype(np.int32)
        self._local = (where - firsts[self._chunk]).astype(np.int32)
        # per chunk, where each speech's lines start
        self._bounds = [np.searchsorted(c.lines[:, 0], np.arange(len(c.cleaned) + 1)) for c in chunks]

    def __len__(self) -> int:
        return len(self._chunk)

    def _item(self, i: int) -> list[tuple[int, int, str, int]]:
        k, local = int(self._chunk[i]), int(self._local[i])
        chunk, bounds = self._chunks[k], self._bounds[k]
        rows = chunk.lines[bounds[local] : bounds[local + 1]].tolist()
        return [(a, b, chunk.keys[ks:ke], place) for _, a, b, place, ks, ke in rows]


def _site_keys(table: pa.Table) -> list[str]:
    """Per cleaned document (a row of ``table``), which documents count as one source with it: the named
    site, else the page, else the folder."""
    columns_ = (table.column(name).to_pylist() for name in ("info_site", "meta", "source"))
    return [
        _site_key(site, json.loads(meta).get("part_of") if '"part_of"' in meta else None, source)
        for site, meta, source in zip(*columns_, strict=True)
    ]


def site_key(cleaned: Cleaned) -> str:
    """Which documents count as one source with a cleaned speech (whose repeated lines are its chrome): the
    site it names, else the page it was cut from, else the folder it was read from."""
    return _site_key(cleaned.info.site, cleaned.doc.meta.get("part_of"), cleaned.doc.source)


def _site_key(site: str, part_of: str | None, source: str) -> str:
    return (
        f"site:{site}" if site else f"page:{part_of}" if part_of is not None else _folder_key(os.path.dirname(source))
    )


def without_site_chrome(cleaned: Cleaned, chrome: Mapping[str, AbstractSet[str]], config: CleanConfig) -> Cleaned:
    """A speech without the lines its site repeats (``chrome``: each site's, as a scan learnt them, the work
    folder's ``site_chrome``), as a scan of it with the site's pages would have cleaned it."""
    key = site_key(cleaned)
    known = chrome.get(key) if key.startswith("site:") else None  # (a folder key says nothing of text pasted in)
    if not known:
        return cleaned
    lines = kept_lines(cleaned.doc.text, cleaned.removals, max_chars=config.repeated_max_chars)
    extra = [Removal(Span(a, b), REPEATED) for a, b, key, _ in lines if key in known]
    if not extra:
        return cleaned
    every = sorted([*cleaned.removals, *extra], key=lambda r: (r.span.start, r.span.end, r.rule))
    return replace(cleaned, removals=tuple(every))


@lru_cache(maxsize=1024)
def _folder_key(folder: str) -> str:
    """The site key of the documents read from one folder (many share it: a path is parsed once)."""
    return f"folder:{PurePath(folder)}"


def scan(
    paths: Sequence[str],
    *,
    config: Config = Config(),
    on_progress: Progress = _silent,
    jobs: int | None = None,
    work: Path | None = None,
) -> Report:
    """Read files, folders and JSONL corpora and find their template families (``work``: see :func:`detect`).

    The folder entries left out on purpose (hidden, an unsupported format) are counted in the
    report (``skipped_hidden``, ``skipped_unsupported``), as ``dupdetect scan`` counts them.
    """
    warnings: list[ScanWarning] = []  # (filled as the documents are read)
    skipped: list[Skipped] = []
    docs = iter_documents(paths, config=config.ingest, on_warning=warnings.append, on_skip=skipped.append)
    report = detect(docs, config=config, warnings=warnings, on_progress=on_progress, jobs=jobs, work=work)
    return with_skips(report, skipped)


def with_skips(report: Report, skipped: Iterable[Skipped]) -> Report:
    """The report with the folder entries left out on purpose counted (``skipped_hidden``, ...)."""
    reasons = Counter(str(s.reason) for s in skipped)
    extra = {f"skipped_{why}": n for why, n in reasons.items()}
    return replace(report, counts=dict(sorted({**report.counts, **extra}.items()))) if extra else report


def detect(
    documents: Iterable[Document],
    *,
    config: Config = Config(),
    warnings: Sequence[ScanWarning] = (),
    on_progress: Progress = _silent,
    jobs: int | None = None,
    work: Path | None = None,
    keep_signatures: bool = False,
    decided: Decided | None = None,
) -> Report:
    """Find reused passages and template families in ``documents``.

    Args:
        documents: the corpus; ids must be unique. Read once, as they come (an iterator is fine):
            their texts go to a file of the run's scratch folder, not to memory.
        config: every stage's settings.
        warnings: problems met reading the documents (unreadable inputs), kept on the report
            (read once the documents are).
        on_progress: progress callback.
        jobs: worker processes for per-document and per-pair work (None: every core).
            The result does not depend on it.
        work: a work folder (:mod:`dupdetect.engine.work`): each stage's results are kept
            there, and a run over the same documents with the same settings starts after
            the last stage that finished (a run that was killed, say). None: a temporary
            one, removed when the run ends.
        keep_signatures: keep every unit's MinHash signature in ``work`` too (``signatures.bands``,
            :func:`kept_signatures`): a saved index makes its band keys of them. Half a kilobyte a unit,
            on disk from the candidates stage on (1.2 GB at 100k speeches).
        decided: the decisions taken over the whole corpus (each site's chrome, the stock shingles), given
            instead of learnt (:class:`~dupdetect.model.types.Decided`): a scan of part of a corpus with the
            whole's decisions finds the whole's results for that part, when the part holds whole candidate
            components.
    """
    scanned = scanning(
        documents,
        config=config,
        warnings=warnings,
        on_progress=on_progress,
        jobs=jobs,
        work=work,
        keep_signatures=keep_signatures,
        decided=decided,
    )
    with scanned as (report, _texts):
        return report


@contextmanager
def scanning(
    documents: Iterable[Document],
    *,
    config: Config = Config(),
    warnings: Sequence[ScanWarning] = (),
    on_progress: Progress = _silent,
    jobs: int | None = None,
    work: Path | None = None,
    keep_signatures: bool = False,
    decided: Decided | None = None,
) -> Iterator[tuple[Report, Mapping[str, str]]]:
    """:func:`detect`, with the texts of the report's documents (by id) readable until the block ends.

    The texts are read from their file as they are asked for (a view reads those it shows): in the
    run's scratch folder, removed when the block ends, or in the work folder that keeps them.
    """
    work = work.resolve() if work is not None else None  # (files go to workers by name: absolute names)
    with scratch(work) as folder, contextlib.ExitStack() as files:
        folder = folder.resolve()
        check_folder(folder)  # (workers of another machine must see it: said before anything is read)
        with settled():  # the run's results are kept out of the garbage collector's passes
            source = _Source.read(documents, folder, config, decided)
            files.callback(source.texts.file.close)
            # without a work folder of the caller's, the stages' results go to one in the scratch folder
            store = WorkDir(work if work is not None else folder / "work", source.key)
            kept = store if keep_signatures else None
            report, corpus = _detect(source, config, warnings, on_progress, jobs, folder, store, kept, decided)
            texts = _ById(corpus.position, corpus.texts.__getitem__)  # each read from the file when asked for
            files.callback(corpus.texts.file.close)  # (another file when the prepared corpus was read back)
            del corpus, source
        yield report, texts


STAGES = ("prepare", "candidates", "align", "families", "slots")
"""The stages whose results a work folder keeps, in order (``prepare`` = clean, normalise, segment)."""


T = TypeVar("T")
WorkItem = tuple[int, int, IntArray]
"""Two documents to align (indices into the corpus) and their candidate unit pairs (``int64[k, 2]``)."""


@dataclass(frozen=True, slots=True)
class _Aligned:
    """The alignment stage's results: the pairs found, and the candidates its plan deferred."""

    pairs: list[DocPair]
    deferred: WorkTable


@dataclass(frozen=True, slots=True)
class _Grouped:
    """The family stage's results: the families, and every pair once members met their templates (a row
    each, :data:`~dupdetect.model.columns.PAIRS`: the slots' workers and the report read them from columns)."""

    families: Families
    pairs: pa.Table


def _detect(
    source: _Source,
    config: Config,
    warnings: Sequence[ScanWarning],
    on_progress: Progress,
    jobs: int | None,
    folder: Path,
    store: WorkDir,
    signatures: WorkDir | None = None,
    decided: Decided | None = None,
) -> tuple[Report, Corpus]:
    """:func:`detect` as its list of stages. Each returns its results with its counts and warnings
    (:class:`~dupdetect.model.stage.StageResult`); :class:`_Run` records them, freezes the results for
    the garbage collector, and keeps them in the work folder, or reads back a stage it already holds.
    ``folder`` is the run's scratch folder (:func:`~dupdetect.engine.work.scratch`); ``signatures``: where
    the candidates stage keeps the signatures (none: removed once banded); ``decided``: the corpus-wide
    decisions, given (none: learnt)."""
    if decided is not None and (config.candidates.max_bucket is not None or config.families.giant_min is not None):
        raise ConfigError("a scan given the corpus's decisions cannot cap buckets or split giant families")
    run = _Run(store, config)
    chrome = decided.site_chrome if decided is not None else None
    corpus = run.stage("prepare", partial(_prepare_stage, source, config, jobs, on_progress, store, chrome, folder))
    source.docs.clear()  # (the speeches hold what the later stages need of them)
    if distributed():  # (a corpus read back from the work folder: its table goes to workers as a file too)
        corpus = corpus.mapped(folder / "documents.arrow")
    stock = decided.stock if decided is not None else None
    candidates = run.stage(
        "candidates", partial(_candidates_stage, corpus, config, jobs, on_progress, folder, signatures, stock)
    )
    aligned = run.stage("align", partial(_align_stage, corpus, candidates.work, config, jobs, on_progress))
    del candidates
    before = run.counts.get("aligned_document_pairs", 0)
    on_progress("families", 0, 1)
    grouped = run.stage("families", partial(_families_stage, corpus, aligned, config, jobs, before, folder))
    on_progress("families", 1, 1)
    del aligned
    found = run.stage("slots", partial(_slots_stage, corpus, grouped, config, jobs, on_progress, folder))
    sources = set(corpus.cleaned.table.column("source").unique().to_pylist())  # (every document read gave a speech)
    skipped = {w.source for w in warnings} - sources  # warnings about inputs that were still read do not count
    counts = {**run.counts, "inputs_skipped": len(skipped)}
    on_progress("report", 1, 1)
    families = grouped.families
    notes = (*warnings, *run.notes, *families.warnings)
    return _report(corpus, grouped.pairs, families, found, config, counts, notes), corpus


class _Run:
    """One run of the stages: the counts and warnings so far, and the work folder."""

    def __init__(self, store: WorkDir, config: Config) -> None:
        self.store = store
        self.config = config
        self.counts: dict[str, int] = {}
        self.notes: list[ScanWarning] = []
        self.done = _finished(store)

    def stage(self, name: str, compute: Callable[[], StageResult[T]]) -> T:
        """The results of stage ``name``: read back from the work folder when it holds them, else computed
        (then recorded and kept there). A stage whose next one is held is not read back (it is not needed)."""
        load, save = _KEPT[name]
        if name in self.done:
            self.counts, self.notes = self.store.state(name)
            following = STAGES[STAGES.index(name) + 1] if name != STAGES[-1] else None
            needed = following not in self.done or name in _ALWAYS_NEEDED
            return load(self.store, self) if needed else _NOT_NEEDED[name]  # type: ignore[no-any-return]
        result = compute()
        self.counts.update(result.counts)
        self.notes.extend(result.warnings)
        settle()  # its lasting results are left out of the garbage collector's passes
        kept = save(self.store, result.results)  # (a saver may give back the results as the folder holds them)
        self.store.finish(name, self.counts, self.notes)
        return result.results if kept is None else kept


def _prepare_stage(
    source: _Source,
    config: Config,
    jobs: int | None,
    on_progress: Progress,
    store: WorkDir,
    chrome: Mapping[str, frozenset[str]] | None,
    folder: Path,
) -> StageResult[Corpus]:
    """Clean every document (chrome, compilation parts, metadata, repeated lines), normalise and segment it;
    find the exact duplicates. The documents as read are kept in the work folder too (``inputs``: a saved
    index scans them again with the documents ``dupdetect add`` brings), and each site's chrome as learnt
    (``site_chrome``; or as given: ``chrome``)."""
    inputs = columns.inputs_table(source.docs, _ranges(source.texts), _ranges(source.pages))
    store.write_table("inputs", inputs)
    # workers that are not forked read the documents as read, then the cleaned ones, from a file: not pickled
    docs = None
    if distributed():
        docs = columns.input_rows(inputs).mapped(folder / "inputs.arrow")
        share = by_file(folder)
        source = replace(source, texts=source.texts.shared(share), pages=source.pages.shared(share))
    del inputs
    cleaned, texts, learnt = _clean_source(source, config.clean, jobs, _stage(on_progress, "clean"), chrome, docs)
    store.write_table("site_chrome", columns.site_chrome_table(learnt))
    if distributed():
        cleaned, texts = cleaned.mapped(folder / "documents.arrow"), texts.shared(by_file(folder))
    settle()
    corpus = _prepare(cleaned, texts, config, on_progress, jobs)
    counts, notes = _corpus_counts(corpus, config)
    return StageResult(corpus, counts, tuple(notes))


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The candidates stage's results: the candidate pairs to align, and the stock shingles MinHash left
    out (kept for the saved index, which signs new speeches the same way)."""

    work: WorkTable
    stock: U32Array


def _candidates_stage(
    corpus: Corpus,
    config: Config,
    jobs: int | None,
    on_progress: Progress,
    folder: Path,
    keep: WorkDir | None,
    stock: U32Array | None,
) -> StageResult[_Candidates]:
    """Stock phrases, sentence anchors, MinHash signatures and LSH bands: the candidate pairs to align.

    The signatures are written to a file in ``folder``, band-major, and removed once banded, or taken into
    the work folder ``keep`` (with which units have no shingle). ``stock``: the stock shingles, given (none:
    found)."""
    counts: dict[str, int] = {}
    notes: list[ScanWarning] = []
    units = _unit_table(corpus)
    sigs, anchored, stock = _minhash(corpus, units, config, counts, jobs, on_progress, folder, keep, stock)
    on_progress("bands", 0, 1)
    work = _candidate_work(units, sigs, anchored, config, counts, notes, jobs)
    on_progress("bands", 1, 1)
    if keep is not None:
        keep.write_array("signature_empty", np.asarray(sigs.empties))
        keep.adopt(SIGNATURES, sigs.path, partial(os.replace, sigs.path))
    else:
        sigs.path.unlink()
    return StageResult(_Candidates(work, stock), counts, tuple(notes))


def _align_stage(
    corpus: Corpus, work: WorkTable, config: Config, jobs: int | None, on_progress: Progress
) -> StageResult[_Aligned]:
    """The candidate pairs the alignment plan picks, aligned round by round."""
    counts: dict[str, int] = {}
    pairs, deferred = _align_pairs(corpus, work, config, counts, jobs, on_progress)
    return StageResult(_Aligned(pairs, deferred), counts)


def _families_stage(
    corpus: Corpus, aligned: _Aligned, config: Config, jobs: int | None, aligned_before: int, folder: Path
) -> StageResult[_Grouped]:
    """Families, templates and roles, every member aligned against its template (``folder``: the run's
    scratch folder)."""
    counts = {"aligned_document_pairs": aligned_before}
    families, pairs = _families(corpus, aligned.pairs, config, counts, jobs, aligned.deferred, folder)
    # (the families' graph is cyclic garbage: not frozen)
    return StageResult(_Grouped(families, columns.pairs_table(pairs).combine_chunks()), counts)


def _slots_stage(
    corpus: Corpus, grouped: _Grouped, config: Config, jobs: int | None, on_progress: Progress, folder: Path
) -> StageResult[SlotColumns]:
    """Each family's slots, fills and edits (``folder``: the run's scratch folder)."""
    found = _find_slots(corpus, grouped.families.families, grouped.pairs, config, jobs, on_progress, folder)
    return StageResult(found, {"slots": len(found.slots), "edits": len(found.edits)})


def _corpus_counts(corpus: Corpus, config: Config) -> tuple[dict[str, int], list[ScanWarning]]:
    """What the first stages kept, and a note on the texts too short to share a passage."""
    counts: dict[str, int] = {"documents": len(corpus.ids), "inputs_skipped": 0}
    counts["exact_duplicates"] = len(corpus.duplicate_of)
    notes: list[ScanWarning] = []
    short = np.flatnonzero(corpus.norms.key_lengths() < config.align.min_chars)
    if len(short):
        named = some([corpus.ids[int(i)] for i in short[:3]], len(short))
        holds = "holds" if len(short) == 1 else "hold"
        notes.append(
            ScanWarning(
                "(corpus)",
                f"{counted(len(short), 'document')} ({named}) {holds} fewer than {config.align.min_chars} "
                "characters of text after cleaning and can share no passage (lower --min-chars to compare them)",
            )
        )
    counts["too_short"] = len(short)
    return counts, notes


# --------------------------------------------------------------------------
# the work folder: each stage's results kept, and read back by a later run


def _finished(store: WorkDir) -> list[str]:
    """The stages a work folder holds, from the first on without a gap."""
    out: list[str] = []
    for stage in STAGES:
        if not store.done(stage):
            break
        out.append(stage)
    return out


def _save_corpus(store: WorkDir, corpus: Corpus) -> Corpus:
    """The prepared corpus: its texts' and keys' files taken in whole, the rest as arrays and one table.

    Returns the corpus as the folder now holds it: its normalisation arrays and units memory-mapped from
    their files (read from the page cache as the stages' workers ask for them, not held in this process:
    at a million documents, 1.1 GB), its cleaned documents as they were."""
    store.write_table("documents", corpus.cleaned.table)
    texts = corpus.texts
    store.adopt("texts.utf16", texts.file.path, texts.file.move)
    store.write_array("text_ranges", _ranges(texts))
    slots = corpus.norms.slots
    if slots.path is None:
        raise ValueError("a corpus whose keys are in a temporary file cannot be kept")
    store.adopt("keys.utf16", slots.path, slots.move)
    store.write_array("key_slots", slots.starts)
    for name, array in corpus.norms.arrays().items():
        store.write_array(f"norm_{name}", array)
    overflow = corpus.norms.overflow()
    store.write_table("key_overflow", pa.table({"doc": list(overflow), "key": list(overflow.values())}))
    store.write_array("duplicates", np.array(sorted(corpus.duplicate_of.items()), dtype=np.int64).reshape(-1, 2))
    offsets, rows = corpus.units.arrays()
    store.write_array("unit_offsets", offsets)
    store.write_array("units", rows)
    norms, units = _mapped(store, corpus.norms.slots, corpus.norms.overflow())
    return replace(corpus, norms=norms, units=units)


def _load_corpus(store: WorkDir, run: _Run | None = None) -> Corpus:
    cleaned = columns.cleaned_rows(store.read_table("documents"))
    texts = kept_texts(store)
    slots = KeySlots.open(store.path / "keys.utf16", np.array(store.read_array("key_slots")))
    overflow = store.read_table("key_overflow").to_pydict()
    norms, units = _mapped(store, slots, dict(zip(overflow["doc"], overflow["key"], strict=True)))
    duplicate_of = {int(d): int(o) for d, o in np.array(store.read_array("duplicates")).tolist()}
    return Corpus.of(cleaned, texts, norms, units, duplicate_of)


def _mapped(store: WorkDir, slots: KeySlots, overflow: Mapping[int, str]) -> tuple[NormTable, RowTable]:
    """The kept normalisation arrays and units, memory-mapped (read-only), with the keys' file ``slots``."""
    norms = NormTable.from_arrays(
        slots, {name: store.read_array(f"norm_{name}") for name in NormTable.ARRAYS}, overflow
    )
    return norms, kept_units(store)


def _ranges(texts: TextTable) -> IntArray:
    """``int64 [texts, 3]``: each text's byte range in its file and its length in characters."""
    return np.stack([texts.starts, texts.ends, texts.lengths()], axis=1)


def kept_components(store: WorkDir) -> IntArray:
    """Per document of a work folder whose candidates stage finished, its candidate component's smallest
    document index (:mod:`dupdetect.engine.components`: the candidate pairs, the exact duplicates, the
    speeches of one page)."""
    table = store.read_table("documents", columns=["id", "meta"])
    ids, metas = table.column("id").to_pylist(), table.column("meta").to_pylist()
    candidates = np.array(store.read_array("candidates_docs")).reshape(-1, 2)
    duplicates = np.array(store.read_array("duplicates")).reshape(-1, 2)
    return components(len(ids), [candidates, duplicates, page_edges(ids, metas)])


def kept_inputs(store: WorkDir) -> Iterator[Document]:
    """The documents a work folder's scan read, as it read them (texts and pages read from its file as
    they come): scanned again with others, they give the same results as their first scan did."""
    file = TextFile(store.path / "texts.utf16")
    try:
        yield from columns.input_documents(store.read_table("inputs"), file.read)
    finally:
        file.close()


def kept_texts(store: WorkDir) -> TextTable:
    """The texts a work folder keeps, each read from its file when asked for."""
    ranges = np.array(store.read_array("text_ranges"))
    return TextTable(TextFile(store.path / "texts.utf16"), ranges[:, 0], ranges[:, 1], ranges[:, 2])


def kept_units(store: WorkDir) -> RowTable:
    """Every document's units a work folder keeps, memory-mapped."""
    return RowTable(np.array(store.read_array("unit_offsets")), store.read_array("units"))


def _save_work(store: WorkDir, name: str, work: WorkTable) -> None:
    docs, offsets, units = work.arrays()
    store.write_array(f"{name}_docs", docs)
    store.write_array(f"{name}_offsets", offsets)
    store.write_array(f"{name}_units", units)


def _load_work(store: WorkDir, name: str) -> WorkTable:
    docs, offsets, units = (np.array(store.read_array(f"{name}_{part}")) for part in ("docs", "offsets", "units"))
    return WorkTable(docs.reshape(-1, 2), offsets, units.reshape(-1, 2))


def _save_candidates(store: WorkDir, found: _Candidates) -> None:
    _save_work(store, "candidates", found.work)
    store.write_array("stock", found.stock)


def _load_candidates(store: WorkDir, run: _Run) -> _Candidates:
    return _Candidates(_load_work(store, "candidates"), np.array(store.read_array("stock")))


def _save_aligned(store: WorkDir, aligned: _Aligned) -> None:
    store.write_batches("align_pairs", columns.PAIRS, columns.pairs_batches(aligned.pairs))
    _save_work(store, "deferred", aligned.deferred)


def _load_aligned(store: WorkDir, run: _Run) -> _Aligned:
    return _Aligned(columns.pairs_from(store.read_table("align_pairs")), _load_work(store, "deferred"))


def _save_grouped(store: WorkDir, grouped: _Grouped) -> None:
    rows, places = columns.families_tables(grouped.families)
    store.write_table("families", rows, group_rows=columns.BATCH_ROWS)  # (a query reads a family's rows alone)
    store.write_table("family_places", places)
    store.write_table("family_warnings", columns.warnings_table(grouped.families.warnings))
    store.write_table("families_pairs", grouped.pairs)


def _load_grouped(store: WorkDir, run: _Run) -> _Grouped:
    warnings = columns.warnings_from(store.read_table("family_warnings"))
    families = columns.families_from(store.read_table("families"), store.read_table("family_places"), warnings)
    return _Grouped(families, store.read_table("families_pairs").combine_chunks())  # (taken from by family)


def _save_slots(store: WorkDir, found: SlotColumns) -> None:
    store.write_table("slots", found.slots, group_rows=columns.BATCH_ROWS)
    store.write_table("edits", found.edits)
    store.write_table("templates", found.templates)


def _load_slots(store: WorkDir, run: _Run) -> SlotColumns:
    return SlotColumns(store.read_table("slots"), store.read_table("edits"), store.read_table("templates"))


_KEPT: dict[str, tuple[Callable[[WorkDir, _Run], Any], Callable[[WorkDir, Any], Any]]] = {
    "prepare": (_load_corpus, _save_corpus),
    "candidates": (_load_candidates, _save_candidates),
    "align": (_load_aligned, _save_aligned),
    "families": (_load_grouped, _save_grouped),
    "slots": (_load_slots, _save_slots),
}
"""How each stage's results are read back from a work folder, and written there."""

_ALWAYS_NEEDED = ("prepare", "families")  # the report is made of them
_NOT_NEEDED: dict[str, Any] = {
    "candidates": _Candidates(WorkTable.of([]), np.zeros(0, dtype=np.uint32)),
    "align": _Aligned([], WorkTable.of([])),
}
"""What stands for a stage's results when the stage after it is read back (so they are never used)."""


def _families(
    corpus: Corpus,
    pairs: list[DocPair],
    config: Config,
    counts: dict[str, int],
    jobs: int | None = 1,
    deferred: Sequence[tuple[int, int, IntArray]] | None = None,
    folder: Path | None = None,
) -> tuple[Families, list[DocPair]]:
    """The reuse graph of the pairs and its families, with each member's role (:func:`_found_families`);
    every member aligned against its family's template (the pairs that adds are returned with the others).

    The candidates the plan ``deferred`` are aligned once the families are known, unless both
    documents are in one family of more than ``star_above`` members: a small family keeps all its
    pairs, and two families a mosaic joins keep the pairs between them.

    A family of 5,000 copies was joined by about 5,000 alignments (:mod:`dupdetect.stages.plan`), not all
    of them with its template; here each member is aligned against the template directly, on every
    unit pair that shares shingles (containment: a unit whose shingles are all stock phrases, or
    that LSH missed, is still aligned), and that pair replaces a candidates' pair that found less:
    one alignment per member, linear in the family (a member whose pair with the template already
    covers nearly all of both is not aligned again). The template is chosen again on the larger
    graph (the one chosen before is kept where it can be), at most a few passes.
    """
    duplicates = _duplicate_ids(corpus)
    tried: set[tuple[str, str]] = set()
    preferred: frozenset[str] = frozenset()
    counts["template_alignments"] = 0
    waiting = deferred if isinstance(deferred, WorkTable) else WorkTable.of(deferred or [])
    for attempt in range(_TEMPLATE_PASSES + 1):
        families = _found_families(corpus, pairs, config, duplicates, preferred, jobs, folder)
        # a member whose text its pair with the template already covers has its fills there
        covered = {(p.a, p.b): (p.coverage_a, p.coverage_b) for p in pairs}
        wanted = {
            (f.template, m)
            for f in families.families
            if f.template is not None
            for m in f.members
            if m != f.template and m not in duplicates
        }
        # by template, so a worker reuses a template's shingles for the members that follow it
        missing = sorted(w for w in wanted if (min(w), max(w)) not in tried and _member_share(covered, *w) < _WHOLE)
        held = _in_one_big_family(waiting.docs, corpus.position, families.families, config.candidates.star_above)
        now = waiting.subset(np.flatnonzero(~held))
        waiting = waiting.subset(np.flatnonzero(held))
        if (not missing and not now) or attempt == _TEMPLATE_PASSES:
            break
        tried.update((min(w), max(w)) for w in missing)
        counts["template_alignments"] += len(missing)
        counts["aligned_document_pairs"] = counts.get("aligned_document_pairs", 0) + len(now)
        at = corpus.position
        items = [(at[t], at[m]) for t, m in missing]
        found = pmap(_direct_align_task, items, shared=(corpus, config), jobs=jobs)
        found += pmap(_align_task, list(now), shared=(corpus, config), jobs=jobs)
        by_ids = {(p.a, p.b): p for p in pairs}
        for p in found:  # the direct alignment replaces a candidates' one that found less
            if p and ((p.a, p.b) not in by_ids or by_ids[p.a, p.b].shared_chars < p.shared_chars):
                by_ids[p.a, p.b] = p
        pairs = sorted(by_ids.values(), key=lambda p: (p.a, p.b))
        preferred = frozenset(f.template for f in families.families if f.template is not None)
    _LAST_TEMPLATE.clear()  # (filled in this process when the alignments ran here)
    counts["families"] = len(families.families)
    counts["mosaics"] = sum(1 for r in families.role_of.values() if r == "mosaic")
    counts.update(pairs=len(pairs), passages=sum(len(p.passages) for p in pairs))
    return families, pairs


def _found_families(
    corpus: Corpus,
    pairs: Sequence[DocPair],
    config: Config,
    duplicates: Mapping[str, str],
    preferred: frozenset[str],
    jobs: int | None,
    folder: Path | None,
) -> Families:
    """:func:`~dupdetect.stages.families.find_families` of the reuse graph of ``pairs``, found a connected
    component of it at a time, the components spread over ``jobs`` workers (a task per component, the
    largest alone), and joined as one graph's families are (numbered by size, then first member).

    Everything ``find_families`` decides lies inside a component (a mosaic is a cut vertex of one, a
    giant's split and every role look at its members only), and a component's graph has the nodes and edges
    of the whole in their order, so the families are the whole graph's (tests/test_families.py). The
    components are found from the substantial pairs' documents as arrays (:func:`_edge_components`); a
    worker makes its component's pairs from the pairs it shares (forked) or from their table's file
    (``folder``, for workers that are not forked).
    """
    substantial = np.array([i for i, p in enumerate(pairs) if is_substantial(p, config.families)], dtype=np.int64)
    at = corpus.position
    ends = np.array([(at[pairs[i].a], at[pairs[i].b]) for i in substantial.tolist()], dtype=np.int64).reshape(-1, 2)
    label = _edge_components(len(corpus.ids), ends, jobs, folder)
    component = label[ends[:, 0]]
    order = np.argsort(component, kind="stable")  # (by component, each one's pairs in the pairs' order)
    rows, component = substantial[order], component[order]
    cuts = np.flatnonzero(np.r_[True, component[1:] != component[:-1], True]) if len(rows) else np.zeros(1, np.int64)
    items = [rows[lo:hi] for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)]
    source: Sequence[DocPair] | Rows[dict[str, Any]] = pairs
    if distributed() and folder is not None:
        # (a file a pass: a worker may still map the last one's)
        source = Rows(columns.pairs_table(pairs), dict).mapped(folder / f"family-pairs-{next(_PAIR_FILES)}.arrow")
    shared = _FamilyWork(corpus, config, source, duplicates, preferred)
    found = pmap(_families_task, items, shared=shared, jobs=jobs, costs=[len(r) for r in items])
    return _joined_families(found)


_PAIR_FILES = itertools.count()


@dataclass(frozen=True, slots=True)
class _FamilyWork:
    """What the family tasks share: the corpus, the settings, the pairs (a list, or their table's rows), the
    exact duplicates (by id), and the templates to keep where they can be."""

    corpus: Corpus
    config: Config
    pairs: Sequence[DocPair] | Rows[dict[str, Any]]
    duplicates: Mapping[str, str]
    preferred: frozenset[str]


def _families_task(shared: _FamilyWork, rows: IntArray) -> Families:
    """Worker: the families of one connected component of the reuse graph (``rows``: its pairs)."""
    corpus, config = shared.corpus, shared.config
    source = shared.pairs
    pairs = columns.pairs_from(source.table.take(rows)) if isinstance(source, Rows) else [source[i] for i in rows]
    lengths = corpus.norms.key_lengths()
    dates = columns.one_chunk(corpus.cleaned.table.column("info_date"))
    return find_families(
        # (only documents with a pair: the rest are alone; the corpus's size sets the giant guard's scale)
        reuse_graph(None, pairs, config=config.families, documents=len(corpus.ids)),
        placeholders=_ById(corpus.position, corpus.norms.placeholders),  # (read for the members asked about)
        key_lengths=_ById(corpus.position, lambda i: int(lengths[i])),
        duplicate_of=shared.duplicates,
        dates=_ById(corpus.position, lambda i: dates[i].as_py()),  # (None or "" where a page gives no date)
        seed=config.fingerprint.seed,
        preferred=shared.preferred,
        config=config.families,
    )


def _joined_families(parts: Sequence[Families]) -> Families:
    """The families of the components, as one graph's: numbered by size, then first member, each member's
    family and role as its component said (a family's id renumbered), the warnings by their document."""
    every = sorted(
        ((f, k) for k, part in enumerate(parts) for f in part.families),
        key=lambda fk: (-len(fk[0].members), fk[0].members[0]),
    )
    number = {(k, f.id): f"F{n}" for n, (f, k) in enumerate(every, start=1)}
    families = tuple(replace(f, id=number[k, f.id]) for f, k in every)
    family_of = {m: number[k, fid] for k, part in enumerate(parts) for m, fid in part.family_of.items()}
    role_of = {m: r for part in parts for m, r in part.role_of.items()}
    warnings = tuple(sorted((w for part in parts for w in part.warnings), key=lambda w: w.source))
    return Families(families, family_of, role_of, warnings)


def _edge_components(n: int, ends: IntArray, jobs: int | None, folder: Path | None) -> IntArray:
    """Per document, the smallest document of its connected component of the reuse graph (``ends``: its
    edges as document indices): :func:`~dupdetect.engine.components.components` here, or, when the edges
    are more than :data:`CLIENT_EDGES`, over the workers a part of the edges at a time
    (:func:`~dupdetect.engine.components.components_in_parts`)."""
    if len(ends) <= CLIENT_EDGES or folder is None:
        return components(n, [ends])
    with ArrayFile(folder / "family-edges.parts") as store:
        parts = [store.put(ends[lo : lo + EDGE_PART].ravel()) for lo in range(0, len(ends), EDGE_PART)]
        return components_in_parts(n, parts, store=store, run=mapper(jobs), share=by_file(folder))


CLIENT_EDGES = 1 << 26
"""Reuse-graph edges whose components are found in this process (1 GB of them); more go to the workers, a
part of :data:`EDGE_PART` edges a task, round by round."""
EDGE_PART = 1 << 22


class _ById(Mapping[str, T]):
    """A value per document id, made when asked for from the document's index (not a dict of a million)."""

    def __init__(self, position: Mapping[str, int], value: Callable[[int], T]) -> None:
        self._position, self._value = position, value

    def __getitem__(self, doc: str) -> T:
        return self._value(self._position[doc])

    def __iter__(self) -> Iterator[str]:
        return iter(self._position)

    def __len__(self) -> int:
        return len(self._position)


def _in_one_big_family(
    pairs: IntArray, position: Mapping[str, int], families: Sequence[Family], big: int
) -> npt.NDArray[np.bool_]:
    """Per row of ``pairs`` (two document indices), whether both documents are in one family of more than
    ``big`` members. An array test (at 1M, 12 M pairs); a document in several big families (a mosaic)
    is looked at on its own."""
    first = np.full(len(position), -1, dtype=np.int64)
    others: dict[int, set[int]] = defaultdict(set)  # the big families a document is in besides its first
    for k, f in enumerate(families):
        if len(f.members) > big:
            for m in f.members:
                d = position[m]
                if first[d] < 0:
                    first[d] = k
                else:
                    others[d].add(k)
    a, b = pairs[:, 0], pairs[:, 1]
    held: npt.NDArray[np.bool_] = (first[a] >= 0) & (first[a] == first[b])
    if others:

        def big_families(d: int) -> set[int]:
            return {int(first[d]), *others.get(d, ())} if first[d] >= 0 else set()

        several = np.fromiter(others, dtype=np.int64, count=len(others))
        for row in np.flatnonzero(np.isin(a, several) | np.isin(b, several)).tolist():
            held[row] = bool(big_families(int(a[row])) & big_families(int(b[row])))
    return held


def _member_share(covered: Mapping[tuple[str, str], tuple[float, float]], template: str, member: str) -> float:
    """The share of ``member`` its pair with ``template`` covers (0 without a pair)."""
    a, b = sorted((template, member))
    both = covered.get((a, b))
    return 0.0 if both is None else both[1] if member == b else both[0]


_TEMPLATE_PASSES = 3  # rounds of aligning members against newly chosen templates
_WHOLE = 0.95  # a member this much covered by its pair with the template is not aligned against it again


def _direct_align_task(shared: tuple[Corpus, Config], item: tuple[int, int]) -> DocPair | None:
    """Worker: a template and a member of the corpus aligned directly (no LSH).

    Stock-phrase shingles count here: a title line of formulas with a fill in it is still paired.
    """
    corpus, config = shared
    template, member = item
    known = {template: _template_shingles(corpus, config, template), member: _shingles(corpus, config, member)}
    da, db = sorted(item)
    ids = (corpus.ids[da], corpus.ids[db])
    norms, units = (corpus.norms[da], corpus.norms[db]), (corpus.units[da], corpus.units[db])
    return align_direct(ids, norms, units, config=config, shingles=(known[da], known[db]))


_LAST_TEMPLATE: list[tuple[Corpus, int, Shingles]] = []  # the last template's shingles (a worker's, or this run's)


def _template_shingles(corpus: Corpus, config: Config, doc: int) -> Shingles:
    """:func:`_shingles` of a template, kept from one call to the next (the items come sorted by template)."""
    if _LAST_TEMPLATE and _LAST_TEMPLATE[0][0] is corpus and _LAST_TEMPLATE[0][1] == doc:
        return _LAST_TEMPLATE[0][2]
    found = _shingles(corpus, config, doc)
    _LAST_TEMPLATE[:] = [(corpus, doc, found)]
    return found


def _shingles(corpus: Corpus, config: Config, doc: int) -> Shingles:
    """A document's unit shingles."""
    return _unit_shingles(corpus.norms[doc], corpus.units[doc], config)


def _unit_shingles(norm: Normalized, units: I32Array, config: Config) -> Shingles:
    """The shingles of each unit of a document (its rows: span start, end, key start, end)."""
    return shingle_ranges(norm, units[:, 2:], config=config.fingerprint)


def align_direct(
    ids: tuple[str, str],
    norms: tuple[Normalized, Normalized],
    units: tuple[I32Array, I32Array],
    *,
    config: Config = Config(),
    shingles: tuple[Shingles, Shingles] | None = None,
) -> DocPair | None:
    """Two given documents aligned on every pair of their units that shares shingles (no LSH).

    Args:
        ids: the two document ids, ``ids[0] < ids[1]``.
        norms: their match keys, in the same order.
        units: their units as :func:`~dupdetect.stages.segment.segment_rows` gives them.
        config: the fingerprint and alignment settings.
        shingles: their units' shingles, when already made.
    """
    sa, sb = shingles or (_unit_shingles(norms[0], units[0], config), _unit_shingles(norms[1], units[1], config))
    local = shared_unit_pairs(sa, sb)
    ua, ub = _paragraphs(0, units[0], local[:, 0].tolist()), _paragraphs(1, units[1], local[:, 1].tolist())
    return align_documents(ids, norms, [(ua[i], ub[j]) for i, j in local.tolist()], config=config.align)


def align_pair(report: Report, texts: Mapping[str, str], a: str, b: str) -> DocPair | None:
    """Two members of one family of a saved report aligned now, with the report's settings.

    A big family's report holds each member's pair with its template, not every
    two members' pair; a view that is asked for one gets it here (None when the
    two are not in one family, a text is missing, or they share nothing).
    """
    docs = {d.id: d for d in report.documents}
    if a == b or a not in docs or b not in docs or texts.get(a) is None or texts.get(b) is None:
        return None
    if not any(a in f.members and b in f.members for f in report.families):
        return None
    config = report.config
    low, high = sorted((a, b))
    norms = tuple(
        normalize(texts[d], drop=[r.span for r in docs[d].chrome], config=config.normalize) for d in (low, high)
    )
    units = tuple(segment_rows(texts[d], n, config=config.segment) for d, n in zip((low, high), norms, strict=True))
    return align_direct((low, high), (norms[0], norms[1]), (units[0], units[1]), config=config)


def _duplicate_ids(corpus: Corpus) -> dict[str, str]:
    """Exact duplicates by id: duplicate -> the document it repeats."""
    return {corpus.ids[d]: corpus.ids[r] for d, r in corpus.duplicate_of.items()}


def _report(
    corpus: Corpus,
    pairs: pa.Table,
    families: Families,
    slots: SlotColumns,
    config: Config,
    counts: dict[str, int],
    warnings: Sequence[ScanWarning],
) -> Report:
    """Everything found, as one report."""
    counts.update(_chrome_counts(corpus.cleaned.table))
    return build_report(
        corpus.cleaned,
        corpus.norms.placeholder_spans(),
        corpus.norms.key_lengths().tolist(),
        chars=corpus.texts.lengths().tolist(),
        pairs=columns.pair_rows(pairs),
        families=families,
        slots=slots,
        duplicate_of=_duplicate_ids(corpus),
        config=config,
        root=os.getcwd(),
        counts=counts,
        warnings=warnings,
    )


def _prepare(
    cleaned: Rows[Cleaned], texts: TextTable, config: Config, on_progress: Progress, jobs: int | None
) -> Corpus:
    """Normalise and segment every document; find exact duplicates.

    The workers write each match key into its slot of a file (:mod:`dupdetect.engine.columnar`): the keys
    never exist as strings in this process, so no later worker copies their pages. Shingles are not
    kept: they are made again, a chunk of documents at a time in the workers, by each pass that
    reads them (:class:`_LazyShingles`), so the corpus's largest per-unit data never sits in one
    process nor crosses a pipe.
    """
    slots = KeySlots(texts.lengths(), texts.file.path.parent)
    chunks = pmap_chunks(
        _prepare_task,
        range(len(cleaned)),
        shared=(config, cleaned, texts, slots),
        jobs=jobs,
        on_done=_stage(on_progress, "normalize"),
    )
    table = NormTable(slots, [prepared for prepared, _ in chunks])
    digests = np.concatenate([np.zeros((0, 16), np.uint8), *(prepared.digests for prepared, _ in chunks)])
    has_digest = np.concatenate([np.zeros(0, bool), *(prepared.has_digest for prepared, _ in chunks)])
    offsets = joined_offsets([units.arrays()[0] for _, units in chunks])
    rows = np.concatenate([np.zeros((0, 4), np.int32), *(units.arrays()[1] for _, units in chunks)])
    del chunks
    return _corpus_of(cleaned, texts, table, digests, has_digest, RowTable(offsets, rows))


def _assemble(
    cleaned: Sequence[Cleaned], norms: Sequence[Normalized], units: Sequence[I32Array], config: Config, folder: Path
) -> Corpus:
    """The corpus of speeches holding their texts, with their keys and units made one by one (the
    benchmark's stage-by-stage run): texts and keys written to files in ``folder``."""
    texts = TextTable.of(TextFile(folder / "texts.utf16"), [c.doc.text for c in cleaned])
    table, prepared = NormTable.of(norms, texts, config.align.min_chars, folder)
    bare = columns.cleaned_rows(columns.cleaned_table(cleaned))  # (the table leaves the texts out)
    return _corpus_of(bare, texts, table, prepared.digests, prepared.has_digest, RowTable.of(units))


def _corpus_of(
    cleaned: Rows[Cleaned],
    texts: TextTable,
    norms: NormTable,
    digests: npt.NDArray[np.uint8],
    has_digest: npt.NDArray[np.bool_],
    units: Sequence[I32Array],
) -> Corpus:
    """The per-document results as one corpus, with its exact duplicates found.

    Documents are exact duplicates when their keys are the same (their digests, ``Prepared.of``): each
    is a duplicate of the first document with its digest.
    A text too short to hold a passage is compared by its own text: it is still an exact duplicate of
    the same text (10,000 copies of a 47-character notice are one group), but makes no pair and no
    family (:func:`_align_pairs`).
    """
    duplicate_of: dict[int, int] = {}
    valid = np.flatnonzero(has_digest)
    if len(valid):
        values = np.ascontiguousarray(digests[valid]).view(np.uint64).reshape(-1, 2)
        _, first, group = np.unique(values, axis=0, return_index=True, return_inverse=True)
        original = valid[first[group.ravel()]]
        again = original != valid
        duplicate_of = dict(zip(valid[again].tolist(), original[again].tolist(), strict=True))
    rows = units if isinstance(units, RowTable) else RowTable.of(units)
    return Corpus.of(cleaned, texts, norms, rows, duplicate_of)


def _prepare_task(
    shared: tuple[Config, Rows[Cleaned], TextTable, KeySlots], indices: Sequence[int]
) -> tuple[Prepared, RowTable]:
    """Worker: consecutive documents' match keys (written into the slots) and the rest of them as arrays,
    and their units (as rows: span start, end, key start, end)."""
    config, corpus, texts, slots = shared
    chunk = [texts[index] for index in indices]
    cleaned = corpus[indices[0] : indices[-1] + 1]  # (consecutive: read as one batch)
    norms = [
        normalize(text, drop=[r.span for r in c.removals], config=config.normalize)
        for c, text in zip(cleaned, chunk, strict=True)
    ]
    rows = RowTable.of([segment_rows(t, n, config=config.segment) for t, n in zip(chunk, norms, strict=True)])
    return Prepared.of(slots, indices[0], norms, chunk, config.align.min_chars), rows


class _LazyShingles(Sequence[Shingles]):
    """The unit shingles of some documents of the corpus, made when a slice of them is read.

    Hashing is fast (tens of millions of characters a second); keeping every shingle of a large
    corpus is not (four bytes a character). Each pass that needs them (stock phrases, signatures)
    reads slices of this in its workers, which make them from the keys they fork with.
    """

    def __init__(self, corpus: Corpus, indices: Sequence[int], config: FingerprintConfig) -> None:
        self._corpus, self._indices, self._config = corpus, indices, config

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, at: int) -> Shingles: ...
    @overload
    def __getitem__(self, at: slice) -> list[Shingles]: ...
    def __getitem__(self, at: int | slice) -> Shingles | list[Shingles]:
        if isinstance(at, int):
            return self[at : at + 1 or None][0]
        which = self._indices[at]
        norms, units = self._corpus.norms, self._corpus.units
        return shingle_many([norms[i] for i in which], [units[i][:, 2:] for i in which], config=self._config)

    def key_chars(self) -> int:
        """How many key characters the documents' units hold (about as many shingles)."""
        return int(sum(int((u[:, 3] - u[:, 2]).sum()) for u in (self._corpus.units[i] for i in self._indices)))


def _paragraphs(doc: int, rows: I32Array, which: Iterable[int]) -> dict[int, Paragraph]:
    """Some units of a document rebuilt from their rows (units are kept and sent as one array)."""
    wanted = sorted(set(which))
    return {
        k: Paragraph(doc=doc, index=k, span=Span(a, b), key_start=c, key_end=d)
        for k, (a, b, c, d) in zip(wanted, rows[wanted].tolist(), strict=True)
    }


def _find_slots(
    corpus: Corpus,
    families: Sequence[Family],
    pairs: pa.Table,
    config: Config,
    jobs: int | None,
    on_progress: Progress = _silent,
    folder: Path | None = None,
) -> SlotColumns:
    """Slots, fills and edits of every family with a template, from the pairs' table (``pairs``, a row
    each: :data:`~dupdetect.model.columns.PAIRS`). ``folder``: where the table is written for workers that
    are not forked."""
    work = [f for f in families if f.template is not None]
    # the workers read the pairs' table from the memory they fork with (or its file), each family's pairs with
    # its template as it comes: only families go to them, and their results come back as columns
    table = Rows(pairs, dict)
    if distributed() and folder is not None:
        table = table.mapped(folder / "pairs.arrow")
    shared = (corpus, config, table, _rows_with(pairs, {f.template for f in work if f.template is not None}))
    # chunks of about equal work: a family of 6,000 members goes out (and its slots come back) alone
    costs = [len(f.members) for f in work]
    on_done = _stage(on_progress, "slots")
    return SlotColumns.join(pmap_chunks(_slots_task, work, shared=shared, jobs=jobs, on_done=on_done, costs=costs))


def _rows_with(pairs: pa.Table, docs: set[str]) -> dict[str, IntArray]:
    """For each document of ``docs``, the rows of ``pairs`` it is in, in the table's order."""
    wanted = pa.array(sorted(docs), type=pa.string())
    a, b = pairs.column("a"), pairs.column("b")
    rows = np.flatnonzero(pc.or_(pc.is_in(a, wanted), pc.is_in(b, wanted)).to_numpy(zero_copy_only=False))
    found: dict[str, list[int]] = defaultdict(list)
    for row, x, y in zip(rows.tolist(), a.take(rows).to_pylist(), b.take(rows).to_pylist(), strict=True):
        for doc in (x, y):
            if doc in docs:
                found[doc].append(row)
    return {doc: np.array(at, dtype=np.int64) for doc, at in found.items()}


def _slots_task(
    shared: tuple[Corpus, Config, Rows[dict[str, Any]], dict[str, IntArray]], families: Sequence[Family]
) -> SlotColumns:
    """Worker: some families' slots."""
    corpus, config, every, rows = shared
    table = every.table
    at = corpus.position
    found = []
    for family in families:
        taken = rows.get(family.template) if family.template is not None else None
        pairs = columns.pairs_from(table.take(taken)) if taken is not None else []
        cleaned = corpus.cleaned.take([at[m] for m in family.members])  # (one batch for the family)
        members = {
            m: MemberText(corpus.texts[at[m]], corpus.norms[at[m]], c.removals)
            for m, c in zip(family.members, cleaned, strict=True)
        }
        found.append(family_slots(family, pairs, members, config=config.slots))
    return SlotColumns.of(found)


def _chrome_counts(table: pa.Table) -> dict[str, int]:
    """Corpus totals, from the cleaned documents' table: speeches cut from compilation pages, and chrome
    removed by each rule."""
    parts = sum(1 for meta in table.column("meta").to_pylist() if '"part_of"' in meta and "part_of" in json.loads(meta))
    counts = {"parts": parts}
    rules = Counter(table.column("removals").combine_chunks().flatten().field("rule").to_pylist())
    counts.update((f"chrome_{rule}", n) for rule, n in sorted(rules.items()))
    return counts


def _minhash(
    corpus: Corpus,
    units: _UnitTable,
    config: Config,
    counts: dict[str, int],
    jobs: int | None,
    on_progress: Progress,
    folder: Path,
    keep: WorkDir | None = None,
    given: U32Array | None = None,
) -> tuple[BandFile, IntArray, U32Array]:
    """Stock phrases (``given``: these); the unit pairs that share a sentence anchor (none when anchors are
    off); then the MinHash signature of every unit, in corpus order (stock shingles left out), in a file in
    ``folder``; and the stock shingles.

    The anchors are paired and dropped before the signature matrix is made: the two never sit in memory together
    (``keep``: they are kept in that work folder too, for a saved index).
    """
    on_progress("stock phrases", 0, 1)  # (the steps without a count of their own: begun, then done)
    stock = _stock(corpus, config, jobs, folder) if given is None else np.asarray(given, dtype=np.uint32)
    length = config.candidates.sentence_anchor
    anchored = np.zeros((0, 2), dtype=np.int64)
    on_progress("stock phrases", 1, 1)
    if length is not None:
        on_progress("anchors", 0, 1)
        hashes, anchor_unit = _anchors(corpus, units.first, length, stock, config.fingerprint.char_k, jobs)
        if keep is not None:  # (a saved index looks a new speech's anchors up in them)
            keep.write_array("anchor_hashes", hashes)
            keep.write_array("anchor_units", anchor_unit)
        anchored = anchor_candidates(
            hashes, anchor_unit, units.doc, rank=units.rank, star_above=config.candidates.star_above
        )
        del hashes, anchor_unit
        counts.update(anchor_unit_pairs=len(anchored))
        on_progress("anchors", 1, 1)
    sigs, empty = sign_units(corpus, units.first, stock, config, folder, jobs, on_progress)
    counts.update(units_without_shingles=empty, stock_shingles=len(stock))
    return sigs, anchored, stock


def _stock(corpus: Corpus, config: Config, jobs: int | None, folder: Path) -> U32Array:
    """The stock shingles of the corpus's originals: its stock phrases, and the opt-in count cap's."""
    originals = _LazyShingles(
        corpus, [i for i in range(len(corpus.ids)) if i not in corpus.duplicate_of], config.fingerprint
    )
    with ArrayFile(folder / "stock-phrases.parts") as parts:  # (the chunks' codes: gigabytes at a million documents)
        found = stock_phrases(
            originals, config=config.candidates, run=mapper(jobs), size=originals.key_chars(), store=parts
        )
    capped = stock_shingles(originals, config=config.candidates, run=mapper(jobs))  # the opt-in count cap
    return np.union1d(found, capped).astype(np.uint32)


def kept_signatures(work: Path, config: Config, folder: Path, jobs: int | None = None) -> BandFile:
    """The MinHash signature of every unit of the corpus a finished scan kept in ``work``, signed as that
    scan signed them (its stock shingles left out): what a saved index keeps the band keys of. The scan's
    own file when it kept it (``detect(keep_signatures=True)``), else signed again into a file in ``folder``.
    ``config`` must be the scan's."""
    store = WorkDir.open(work, through="candidates")
    bands, rows = bands_and_rows(config.candidates.threshold, config.fingerprint.num_perm)
    if store.has(SIGNATURES) and store.has("signature_empty.npy"):
        empties = np.asarray(store.read_array("signature_empty"))
        if len(empties) == int(kept_units(store).arrays()[0][-1]):
            with contextlib.suppress(ValueError):  # (a file of another size: signed again)
                return BandFile.kept(work / SIGNATURES, empties, bands, rows)
    corpus = _load_corpus(store)
    stock = np.array(store.read_array("stock"))
    sigs, _ = sign_units(corpus, _unit_table(corpus).first, stock, config, folder, jobs)
    return sigs


def sign_units(
    corpus: Corpus,
    first_unit: IntArray,
    stock: U32Array,
    config: Config,
    folder: Path,
    jobs: int | None,
    on_progress: Progress = _silent,
) -> tuple[BandFile, int]:
    """The MinHash signature of every unit, in corpus order (``stock`` shingles left out), in a file in
    ``folder`` (``signatures.bands``, band-major); and how many units have no shingle.

    ``first_unit``: each document's first unit, and the count of units last."""
    # the workers write their rows to a file, band by band: nothing is pickled back or held
    bands, rows = bands_and_rows(config.candidates.threshold, config.fingerprint.num_perm)
    sigs = BandFile(folder / "signatures.bands", int(first_unit[-1]), bands, rows)
    every = _LazyShingles(corpus, range(len(corpus.ids)), config.fingerprint)
    empty = pmap_batches(  # a chunk of documents shingled and signed as one batch: fewer numpy calls
        _signature_task,
        range(len(every)),
        shared=_SignatureWork(config.fingerprint, stock, every, first_unit, sigs),
        jobs=jobs,
        on_done=_stage(on_progress, "minhash"),
    )
    return sigs, int(sum(empty))


@dataclass(frozen=True, slots=True)
class _UnitTable:
    """Per unit of the corpus: its document (-1 for an exact duplicate's), its index there, its hub rank;
    per document, its first unit (and the number of units at the end)."""

    doc: IntArray
    index: IntArray
    rank: IntArray
    first: IntArray


def _unit_table(corpus: Corpus) -> _UnitTable:
    sizes = corpus.units.sizes()
    unit_doc = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    unit_index = np.arange(len(unit_doc), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    if corpus.duplicate_of:
        unit_doc[np.isin(unit_doc, list(corpus.duplicate_of))] = -1
    # the hub of a big bucket: a unit of the document with the most placeholders (likely the template)
    rank = np.repeat(-corpus.norms.placeholder_counts(), sizes)
    return _UnitTable(unit_doc, unit_index, rank, np.concatenate([[0], np.cumsum(sizes)]))


def _candidate_work(
    units: _UnitTable,
    sigs: BandFile,
    anchored: IntArray,
    config: Config,
    counts: dict[str, int],
    warnings: list[ScanWarning],
    jobs: int | None = 1,
) -> WorkTable:
    """Band the signatures: the candidate unit pairs of every document pair (with the ``anchored`` ones).

    Each band's pairs go to a file beside the signatures' while the bands are run."""
    unit_doc, unit_index, rank = units.doc, units.index, units.rank
    with ArrayFile(sigs.path.with_name("band-pairs.parts")) as parts:  # (each band's pairs: gigabytes at 1M)
        candidates = band_candidates(
            sigs,
            unit_doc,
            config=config.candidates,
            fingerprint=config.fingerprint,
            rank=rank,
            run=mapper(jobs),
            store=parts,
            share=by_file(sigs.path.parent),
        )
    if candidates.skipped_buckets:
        warnings.append(
            ScanWarning(
                "(corpus)",
                f"{candidates.skipped_buckets} LSH buckets held more than {config.candidates.max_bucket} paragraphs "
                "(boilerplate found everywhere) and were skipped; raise max_bucket to pair them",
            )
        )
    skipped = candidates.skipped_buckets
    pairs = unique_pairs([candidates.pairs, anchored]) if len(anchored) else candidates.pairs
    del candidates
    work = _by_document_pair(pairs, unit_doc, unit_index)
    counts.update(
        units=len(unit_doc),
        candidate_unit_pairs=len(pairs),
        skipped_buckets=skipped,
        candidate_document_pairs=len(work),
    )
    return work


def _align_pairs(
    corpus: Corpus,
    work: WorkTable,
    config: Config,
    counts: dict[str, int],
    jobs: int | None,
    on_progress: Progress = _silent,
) -> tuple[list[DocPair], WorkTable]:
    """Align the candidate document pairs :class:`~dupdetect.stages.plan.AlignmentPlan` picks, round by round:
    the pairs that share passages, exact duplicates included, and the candidates deferred (their
    documents already joined), for :func:`_families` to align or not once the families are known."""
    plan = AlignmentPlan(work.docs, strength=work.sizes())
    progress = _stage(on_progress, "align")
    done = 0

    def align(indices: list[int]) -> list[DocPair | None]:
        nonlocal done
        base = done
        # in the work's order (by document pair): a chunk's pairs follow one another by their first document,
        # which its worker reads once (_align_task); the results in the round's order
        order = sorted(indices)
        out = pmap_batches(
            _align_batch,
            [work[i] for i in order],
            shared=(corpus, config),
            jobs=jobs,
            on_done=lambda n, _total: progress(base + n, len(work)),
        )
        done += len(indices)
        found = dict(zip(order, out, strict=True))
        return [found[i] for i in indices]

    aligned: dict[int, DocPair] = {}
    while picked := plan.next_round():
        found = align(picked)
        plan.joined([i for i, p in zip(picked, found, strict=True) if p and is_substantial(p, config.families)])
        aligned.update((i, p) for i, p in zip(picked, found, strict=True) if p)
    progress(len(work), len(work))
    pairs = list(aligned.values())
    lengths = corpus.norms.key_lengths()
    pairs.extend(  # a text shorter than a passage shares none, even with its duplicate
        _duplicate_pair(corpus, d, o)
        for d, o in sorted(corpus.duplicate_of.items())
        if lengths[d] >= config.align.min_chars
    )
    counts.update(aligned_document_pairs=done, pairs=len(pairs), passages=sum(len(p.passages) for p in pairs))
    return sorted(pairs, key=lambda p: (p.a, p.b)), work.subset(plan.deferred())


@dataclass(frozen=True, slots=True)
class _SignatureWork:
    """What the signature workers share: the settings, the stock shingles left out, every document's
    shingles (made on demand), each document's first unit, and the file they write into."""

    config: FingerprintConfig
    stock: U32Array
    shingles: Sequence[Shingles]
    first_unit: IntArray
    sigs: BandFile


def _signature_task(shared: _SignatureWork, indices: Sequence[int]) -> list[int]:
    """Worker: the unit signatures of consecutive documents, stock shingles left out, written in place;
    how many units of each document have no shingle.

    The shingles are made here from the keys the worker forked with; only counts are sent back.
    """
    lo, hi = indices[0], indices[-1] + 1
    chunk = shared.shingles[lo:hi]
    signed = signatures(drop_hashes(concat(chunk), shared.stock), config=shared.config)
    shared.sigs.write(int(shared.first_unit[lo]), signed)
    return [int((np.diff(s.bounds) == 0).sum()) for s in chunk]


def _anchors(
    corpus: Corpus, first_unit: IntArray, length: int, stock: U32Array, k: int, jobs: int | None
) -> tuple[U64Array, IntArray]:
    """The sentence anchors (:func:`~dupdetect.stages.fingerprint.sentence_anchors`) of every unit of the corpus.

    Each worker sends back one pair of arrays per chunk of documents, numbered over the corpus's units
    (a few large arrays, not two small ones per document).
    """
    chunks = [(lo, min(lo + _ANCHOR_DOCS, len(corpus.ids))) for lo in range(0, len(corpus.ids), _ANCHOR_DOCS)]
    parts = pmap(_anchor_task, chunks, shared=_AnchorWork(corpus, length, stock, k, first_unit), jobs=jobs)
    hashes = np.concatenate([np.zeros(0, dtype=np.uint64), *(h for h, _ in parts)])
    units = np.concatenate([np.zeros(0, dtype=np.int32), *(u for _, u in parts)])
    return hashes, units


_ANCHOR_DOCS = 512  # documents whose anchors a worker finds in one numpy pass


@dataclass(frozen=True, slots=True)
class _AnchorWork:
    """What the anchor workers share: the corpus, the anchor length, the stock shingles, the shingle
    size, and each document's first unit."""

    corpus: Corpus
    length: int
    stock: U32Array
    k: int
    first_unit: IntArray


def _anchor_task(shared: _AnchorWork, chunk: tuple[int, int]) -> tuple[U64Array, IntArray]:
    """Worker: the sentence anchors of consecutive documents, their units numbered over the corpus."""
    lo, hi = chunk
    corpus = shared.corpus
    rows = [u[:, 2:] for u in corpus.units[lo:hi]]
    hashes, units = sentence_anchors(corpus.norms[lo:hi], rows, length=shared.length, stock=shared.stock, k=shared.k)
    return hashes, (units + shared.first_unit[lo]).astype(np.int32)


def _by_document_pair(pairs: IntArray, unit_doc: IntArray, unit_index: IntArray) -> WorkTable:
    """Candidate unit pairs (sorted rows, as :func:`~dupdetect.stages.candidates.unique_pairs` gives them)
    grouped by document pair: ``(doc a, doc b, rows of (unit in a, unit in b))``."""
    if not len(pairs):
        return WorkTable.of([])
    da, db = unit_doc[pairs[:, 0]], unit_doc[pairs[:, 1]]
    # a stable sort by document pair keeps each one's unit pairs in their (sorted) order: one key, not
    # four (np.lexsort over 36 M rows at a million documents)
    order = np.argsort(da * (int(unit_doc.max()) + 1) + db, kind="stable")
    da, db = da[order], db[order]
    local = np.stack([unit_index[pairs[order, 0]], unit_index[pairs[order, 1]]], axis=1).astype(np.int64, copy=False)
    del order
    starts = np.flatnonzero(np.r_[True, (da[1:] != da[:-1]) | (db[1:] != db[:-1])])
    offsets = np.r_[starts, len(da)].astype(np.int64)
    return WorkTable(np.stack([da[starts], db[starts]], axis=1).astype(np.int64, copy=False), offsets, local)


def _align_batch(shared: tuple[Corpus, Config], items: Sequence[tuple[int, int, IntArray]]) -> list[DocPair | None]:
    """Worker: :func:`_align_task` of consecutive pairs, a pair's first document read once for the pairs that
    follow with it (a template and its copies)."""
    corpus, _ = shared
    out: list[DocPair | None] = []
    first: tuple[int, str, Normalized, I32Array] | None = None
    for item in items:
        if first is None or first[0] != item[0]:
            first = (item[0], corpus.ids[item[0]], corpus.norms[item[0]], corpus.units[item[0]])
        out.append(_align_task(shared, item, first[1:]))
    return out


def _align_task(
    shared: tuple[Corpus, Config],
    item: tuple[int, int, IntArray],
    first: tuple[str, Normalized, I32Array] | None = None,
) -> DocPair | None:
    """Worker: the passages two documents share (``first``: the first document's id, key and units, read)."""
    corpus, config = shared
    da, db, local = item
    id_a, norm_a, units_a = first if first is not None else (corpus.ids[da], corpus.norms[da], corpus.units[da])
    ua, ub = (
        _paragraphs(da, units_a, local[:, 0].tolist()),
        _paragraphs(db, corpus.units[db], local[:, 1].tolist()),
    )
    unit_pairs = [(ua[i], ub[j]) for i, j in local.tolist()]
    return align_documents((id_a, corpus.ids[db]), (norm_a, corpus.norms[db]), unit_pairs, config=config.align)


def _duplicate_pair(corpus: Corpus, dup: int, original: int) -> DocPair:
    """The pair of an exact duplicate and the document it repeats: all of it is shared."""
    a, b = sorted((original, dup), key=lambda i: corpus.ids[i])
    na, nb = corpus.norms[a], corpus.norms[b]
    n = len(na.key)
    passage = Passage(
        a=na.to_span(0, n), b=nb.to_span(0, n), key_a=Span(0, n), key_b=Span(0, n), matched=n, similarity=1.0
    )
    return DocPair(
        a=corpus.ids[a],
        b=corpus.ids[b],
        similarity=1.0,
        coverage_a=1.0,
        coverage_b=1.0,
        shared_chars=n,
        passages=(passage,),
        duplicate=True,
        longest_run=n,
    )
