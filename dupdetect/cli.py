"""The ``dupdetect`` command line: options -> config -> library call -> render.

Data goes to stdout, messages to stderr. Exit codes: 0 success, 1 an error
dupdetect could not work around, 2 a usage error, 3 some inputs were skipped
(the report is still written and lists them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import inspect
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn, TextIO

import typer
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from dupdetect.engine.pipeline import align_pair, scanning, with_skips
from dupdetect.engine.pipeline import detect as dupdetect_detect
from dupdetect.model.config import Config
from dupdetect.model.errors import ConfigError, DupdetectError, InputError, LabelsError
from dupdetect.model.evaluate import check_labels, evaluate, evaluation_to_dict, labelled_ids
from dupdetect.model.report import tool_version
from dupdetect.model.serialize import dumps, load_report, report_json, report_to_dict, write_json_list
from dupdetect.model.types import Document, Report, ScanWarning, Span
from dupdetect.model.words import counted, some
from dupdetect.read.decode import decode_text
from dupdetect.read.ingest import Skipped, iter_documents
from dupdetect.views.diff import render_diff
from dupdetect.views.files import write_atomically
from dupdetect.views.html import HtmlOptions, write_html
from dupdetect.views.marks import find_pair, pair_view, reread_texts, resolve_document
from dupdetect.views.sheets import Sheet, fill_sheets, report_sheets, write_workbook
from dupdetect.views.tables import (
    FAMILY_COLUMNS,
    FILL_COLUMNS,
    PAIR_COLUMNS,
    Row,
    family_rows,
    fill_rows,
    pair_rows,
    render_pairs,
    write_csv,
)
from dupdetect.views.terminal import (
    render_evaluation,
    render_families,
    render_scan,
    render_slots,
    render_template,
    render_warnings,
    safe,
)

if TYPE_CHECKING:
    from dupdetect.index.store import SavedIndex

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3

app = typer.Typer(
    name="dupdetect",
    help="Find template plagiarism in collections of speeches: reused passages, template families, mosaics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_DEFAULTS = Config()
_READ_TYPES = (*_DEFAULTS.ingest.extensions, *_DEFAULTS.ingest.jsonl_extensions, *_DEFAULTS.ingest.csv_extensions)
_HTML_DEFAULTS = HtmlOptions()


class OutputFormat(StrEnum):
    """How ``scan`` prints its result on stdout."""

    table = "table"
    json = "json"


class Engine(StrEnum):
    local = "local"
    dask = "dask"


_ENGINE_HELP = (
    "local: worker processes of this machine; dask: tasks of a Dask cluster (--scheduler, else a local one of "
    "--jobs workers). The result does not depend on it."
)
_SCHEDULER_HELP = "With --engine dask: the address of a running Dask scheduler (tcp://host:8786)."


def _engine(engine: Engine, scheduler: str | None, jobs: int | None) -> contextlib.AbstractContextManager[Any]:
    """Where a scan's chunks run: here (forked workers), or on a Dask cluster (engine/cluster.py)."""
    if engine is Engine.local:
        if scheduler is not None:
            raise ConfigError("--scheduler is for --engine dask")
        return contextlib.nullcontext()
    from dupdetect.engine.cluster import dask_engine

    return dask_engine(scheduler, workers=jobs)


class ListFormat(StrEnum):
    """How ``families``, ``pairs``, ``slots`` and ``template`` give their rows: on stdout, or ``--out`` FILE."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


_LIST_HELP = (
    "table; json; csv (UTF-8 with a byte-order mark, so Excel reads the Chinese); xlsx (an Excel workbook, with --out)."
)


class GraphFormat(StrEnum):
    """The family graph's file format."""

    graphml = "graphml"
    gexf = "gexf"


def _one_of(kind: type[StrEnum]) -> dict[str, Any]:
    """An option's ``parser`` and ``metavar`` for a choice of ``kind``'s values: a wrong value is named in
    plain words (``'xml' is not one of table, json, csv``), not in a validation library's."""
    names = [k.value for k in kind]

    def parse(value: object) -> StrEnum:
        if isinstance(value, kind):
            return value
        try:
            return kind(str(value).strip().lower())
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}") from None

    return {"parser": parse, "metavar": "[" + "|".join(names) + "]"}


def _command(group: typer.Typer, name: str | None = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command whose ``--help`` is its docstring with each paragraph as one line, for the terminal
    to wrap (typer keeps a docstring's line breaks)."""

    def register(command: Callable[..., None]) -> Callable[..., None]:
        paragraphs = inspect.cleandoc(command.__doc__ or "").split("\n\n")
        text = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        return group.command(name, help=text)(command)

    return register


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dupdetect {tool_version()}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Find template plagiarism in collections of speeches."""


@_command(app)
def scan(
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            help=f"Files ({' '.join(_DEFAULTS.ingest.extensions)}; "
            f"{' '.join(_DEFAULTS.ingest.jsonl_extensions + _DEFAULTS.ingest.csv_extensions)} with a document a "
            "line or row) and folders of them (read recursively).",
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write report.json and families.graphml into this folder.")
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", "-f", help="table: a report for people; json: report.json on stdout.", **_one_of(OutputFormat)
        ),
    ] = OutputFormat.table,
    threshold: Annotated[
        float,
        typer.Option(
            min=0.01, max=1.0, help="LSH Jaccard threshold for candidate paragraphs. Lower = more recall, slower."
        ),
    ] = _DEFAULTS.candidates.threshold,
    min_chars: Annotated[
        int,
        typer.Option(
            min=1, help="Shortest reused passage reported, in normalised characters. Lower = more recall, more noise."
        ),
    ] = _DEFAULTS.align.min_chars,
    encoding: Annotated[
        str | None, typer.Option(help="Decode every file with this codec (e.g. gb18030, big5) instead of detecting it.")
    ] = None,
    text_field: Annotated[
        str, typer.Option(help="JSONL key / CSV column that holds each document's text.")
    ] = _DEFAULTS.ingest.text_field,
    id_field: Annotated[
        str, typer.Option(help="JSONL key / CSV column that holds each document's id.")
    ] = _DEFAULTS.ingest.id_field,
    max_file_size: Annotated[
        float, typer.Option(min=0.001, help="Skip (with a warning) files larger than this many MiB.")
    ] = (_DEFAULTS.ingest.max_file_bytes or 0) / 2**20,
    max_corpus_size: Annotated[
        float, typer.Option(min=0.001, help="Skip (with a warning) JSONL/CSV corpus files larger than this many MiB.")
    ] = (_DEFAULTS.ingest.max_corpus_bytes or 0) / 2**20,
    keep_chrome: Annotated[
        bool,
        typer.Option(help="Match page chrome too (navigation, footers, page markers); by default it is left out."),
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write the HTML report (one self-contained file) here.", dir_okay=False),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="Score the result against these labels (docs/LABELS.md)."),
    ] = None,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Follow symbolic links whose target stays inside a scanned folder.")
    ] = False,
    max_text_chars: Annotated[
        int, typer.Option(min=1, help="Skip (with a warning) documents whose text is longer than this.")
    ] = _DEFAULTS.ingest.max_text_chars or 2_000_000,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list the hidden and unsupported files left out.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: every core). The result does not depend on it."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no warnings on stderr.")] = False,
    work: Annotated[
        Path | None,
        typer.Option(
            "--work",
            file_okay=False,
            help="Keep each stage's results in this folder; a rerun with the same inputs and settings "
            "(after Ctrl-C, a kill) starts after the last stage that finished.",
        ),
    ] = None,
    index: Annotated[
        Path | None,
        typer.Option(
            "--index",
            file_okay=False,
            help="Also keep a saved index of the corpus in this folder (as `dupdetect index` builds one).",
        ),
    ] = None,
    engine: Annotated[Engine, typer.Option("--engine", help=_ENGINE_HELP, **_one_of(Engine))] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)] = None,
) -> None:
    """Find reused passages and template families in a corpus of speeches.

    The summary counts documents, pairs (two documents that share passages), families (documents built on
    one template) and mosaics (documents drawn from two or more families). Stock-phrase shingles are the
    genre's set phrases, seen in many documents in different surroundings: they are not counted as reuse,
    so speeches that share only them are no family. In the families table, role says which member is the
    template and which are copies (at least half the template's text), partials (less) and mosaics; reused
    is the largest share of a member's text that one other document also holds.
    """
    err = Console(stderr=True)
    if index is not None and work is not None:
        raise _fail(err, "--index keeps its own work folder: give --work or --index, not both", EXIT_USAGE)
    if out is not None:  # (where the outputs go is checked before the corpus is read, not after)
        _ready_folder(err, out, "--out")
    if html is not None:
        _ready_file(err, html, "--html")
    try:
        config = _DEFAULTS.with_overrides(
            candidates={"threshold": threshold},
            align={"min_chars": min_chars},
            ingest={
                "encoding": encoding,
                "text_field": text_field,
                "id_field": id_field,
                "max_file_bytes": int(max_file_size * 2**20),
                "max_corpus_bytes": int(max_corpus_size * 2**20),
                "max_text_chars": max_text_chars,
                "follow_links": follow_links,
            },
            clean={"chrome": not keep_chrome, "repeated_lines": not keep_chrome},
        )
        scanned = _run_scan(
            [str(p) for p in paths],
            config,
            err,
            show_progress=not quiet,
            jobs=jobs,
            verbose=verbose and not quiet,
            work=work,
            index=index,
            engine=_engine(engine, scheduler, jobs),
        )
        with scanned as (report, texts):  # (the texts are read from their file until the block ends)
            # the files first, then what the run prints is laid out (and printed once both are done)
            from dupdetect.views.files import write_outputs  # (networkx: imported where a graph is written)

            paths_written = dict(write_outputs(report, out)) if out else {}
            if html is not None:
                write_html(report, texts, html)
                paths_written["html"] = html
            shown = _render(report, texts, output_format, err, quiet=quiet)
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _said(exc)) from None
    _show(shown, err)
    for path in paths_written.values():
        err.print(Text(f"wrote {path}"), highlight=False, soft_wrap=True)
    if labels is not None:
        err.print(render_evaluation(evaluate(report, _read_labels(labels, err))), highlight=False)
    if report.counts.get("inputs_skipped", 0):
        raise typer.Exit(EXIT_SKIPPED)


@contextlib.contextmanager
def _run_scan(
    paths: list[str],
    config: Config,
    err: Console,
    *,
    show_progress: bool,
    jobs: int | None = None,
    verbose: bool = False,
    work: Path | None = None,
    index: Path | None = None,
    engine: contextlib.AbstractContextManager[Any] | None = None,
) -> Iterator[tuple[Report, Mapping[str, str]]]:
    """Ingest and detect, with a progress bar on stderr when it is a terminal: the report, and the texts of
    its documents (readable until the block ends). With ``index``, the scan is a saved index's build."""
    warnings: list[ScanWarning] = []  # (filled as the documents are read)
    skipped: list[Skipped] = []
    docs = iter_documents(paths, config=config.ingest, on_warning=warnings.append, on_skip=skipped.append)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=err, transient=True) if show_progress and err.is_terminal else None
    with contextlib.ExitStack() as stack:
        stack.enter_context(engine or contextlib.nullcontext())  # (where the chunks run: until the texts are let go)
        with bar or contextlib.nullcontext():  # (the bars go once the scan is done; the texts stay readable)
            on_progress = _bars(bar) if bar is not None else _no_progress
            if index is not None:
                from dupdetect.index.store import build_index

                built, report = build_index(
                    docs, index, config=config, warnings=warnings, on_progress=on_progress, jobs=jobs
                )
                stack.callback(built.close)
                kept = built.texts()
                stack.callback(kept.close)
                texts: Mapping[str, str] = kept
            else:
                scanned = scanning(
                    docs, config=config, warnings=warnings, on_progress=on_progress, jobs=jobs, work=work
                )
                report, texts = stack.enter_context(scanned)
        reasons: Counter[str] = Counter(str(s.reason) for s in skipped)
        left_out = ", ".join(f"{n} {why}" for why, n in sorted(reasons.items()))
        left_out += " file" if sum(reasons.values()) == 1 else " files"
        if not report.documents:  # (an empty folder, a folder of images, /dev/null: said, not an empty report)
            unread = (
                f" ({len(warnings)} could not be read, e.g. {safe(warnings[0].source)}: {warnings[0].message})"
                if warnings
                else ""
            )
            raise InputError(
                f"nothing readable: no document was read from {', '.join(paths)}"
                + (f"; left out: {left_out}" if reasons else "")
                + unread
                + f"; dupdetect reads {', '.join(_READ_TYPES)} files and folders of them"
            )
        if reasons and show_progress:
            err.print(Text(f"left out: {left_out}"), soft_wrap=True)
        if verbose:
            for s in skipped:
                err.print(Text(f"  {s.reason}: {safe(s.source)}"), highlight=False, soft_wrap=True)
        yield with_skips(report, skipped), texts


def _bars(progress: Progress) -> Callable[[str, int, int], None]:
    """An ``on_progress`` that shows each stage as a bar of ``progress``."""
    tasks: dict[str, Any] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return on_progress


def _no_progress(stage: str, done: int, total: int) -> None:
    """The ``on_progress`` of a scan that shows none."""


class _Rendered(NamedTuple):
    """What a scan prints, rendered: the warnings for stderr and the report for stdout."""

    warnings: str
    report: str


def _render(
    report: Report, texts: Mapping[str, str], output_format: OutputFormat, err: Console, *, quiet: bool
) -> _Rendered:
    """Lay out what :func:`_show` prints (the slow part of printing it), as each console would print it."""
    warnings = ""
    if report.warnings and not quiet:
        with err.capture() as captured:
            err.print(render_warnings(report.warnings), highlight=False, soft_wrap=True)
        warnings = captured.get()
    if output_format is OutputFormat.json:
        return _Rendered(warnings, report_json(report))
    out = Console()
    with out.capture() as captured:
        out.print(render_scan(report, texts), highlight=False)
    return _Rendered(warnings, captured.get())


def _show(rendered: _Rendered, err: Console) -> None:
    """Print a rendered scan; a reader that went away (``| head``) ends the run quietly, with status 1."""
    if rendered.warnings:
        err.file.write(rendered.warnings)
    try:
        sys.stdout.write(rendered.report)
        sys.stdout.flush()
    except BrokenPipeError:  # (run() drops what is left in the buffer, as for every command)
        raise typer.Exit(1) from None


_ROOT = typer.Option(
    "--root",
    file_okay=False,
    help="Folder a saved report's relative source paths start from (default: here, then the report's folder).",
)
_SOURCES = typer.Argument(
    exists=True, help="A report.json written by 'scan --out' (or '--format json'), or files and folders to scan."
)


EXIT_NO_MATCH = 1  # query: nothing indexed shares a substantial passage with the speeches
EXIT_BAD_INPUT = 2  # query: the index or a speech could not be read


@_command(app, "index")
def index_command(
    index: Annotated[Path, typer.Option("--index", file_okay=False, help="The index folder.")],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(exists=True, help="The collection to index: files and folders, as `scan` reads them."),
    ] = None,
    show_info: Annotated[
        bool, typer.Option("--info", help="Show what the index holds: documents, families, sizes, format.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--verify", help="Read every file of the index and check it against its checksum.")
    ] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json (--info).", **_one_of(OutputFormat))
    ] = (OutputFormat.table),
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: every core). The index does not depend on it."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no warnings on stderr.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help=_ENGINE_HELP, **_one_of(Engine))] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)] = None,
) -> None:
    """Build a saved index of a collection (`dupdetect query` then checks new speeches against it, `dupdetect add`
    grows it), or with --info / --verify, describe or check one."""
    err = Console(stderr=True)
    if show_info or check:
        if paths:
            raise _fail(err, "--info and --verify read an index: give no files to index with them", EXIT_USAGE)
        _describe_index(index, show_info=show_info, check=check, as_json=output_format is OutputFormat.json)
        return
    if not paths:
        raise _fail(err, "nothing to index: give the collection's files or folders (or --info, --verify)", EXIT_USAGE)
    from dupdetect.index.store import build_index

    warnings: list[ScanWarning] = []

    def build() -> tuple[SavedIndex, Report]:
        docs = iter_documents([str(p) for p in paths or ()], config=_DEFAULTS.ingest, on_warning=warnings.append)
        with _engine(engine, scheduler, jobs):
            return build_index(docs, index, config=_DEFAULTS, warnings=warnings, jobs=jobs)

    built, report = _written(build, err, quiet)
    typer.echo(
        f"indexed {built.documents} documents ({len(report.families)} families, {len(built.keys)} units "
        f"with band keys) in {built.path}"
    )


def _describe_index(index: Path, *, show_info: bool, check: bool, as_json: bool) -> None:
    """``index --info`` and ``--verify``: exit 1 when a file is not as written."""
    from dupdetect.index.store import info, verify

    err = Console(stderr=True)
    try:
        if show_info:
            described = info(index)
            if as_json:
                _print_json(described)
            else:
                size = described["bytes"]
                rows = [(k, str(v)) for k, v in described.items() if k != "bytes"]
                rows += [(f"bytes ({k})", f"{v:,}") for k, v in size.items()]
                width = max(len(k) for k, _ in rows)
                typer.echo("\n".join(f"{k:<{width}}  {v}" for k, v in rows))
        if check:
            verified = verify(index)
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc))) from None
    if not check:
        return
    for problem in verified.problems:
        err.print(Text(f"damaged: {problem}"), highlight=False, soft_wrap=True)
    if verified.problems:
        raise _fail(err, f"{_escape(str(index))}: the index is damaged; build it again with `dupdetect index`")
    typer.echo(f"verified {verified.files} files, {verified.bytes:,} bytes: every checksum as written")


@_command(app)
def add(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Speeches to add: files and folders.")],
    index: Annotated[Path, typer.Option("--index", file_okay=False, help="An index `dupdetect index` built.")],
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: every core). The index does not depend on it."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No warnings on stderr.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help=_ENGINE_HELP, **_one_of(Engine))] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)] = None,
) -> None:
    """Add speeches to a saved index: its families, roles and slots are then those a scan of everything gives.
    Queries meanwhile see the index as it was; an add that is stopped leaves it so."""
    from dupdetect.index.store import add_documents

    warnings: list[ScanWarning] = []
    added = Counter[str]()

    def read(config: Config, taken: frozenset[str]) -> Iterator[Document]:  # (named as a scan of everything)
        docs = iter_documents([str(p) for p in paths], config=config.ingest, on_warning=warnings.append, taken=taken)
        return _counted(docs, added)

    def grow() -> tuple[SavedIndex, Report]:
        with _engine(engine, scheduler, jobs):
            return add_documents(read, index, warnings=warnings, jobs=jobs)

    built, report = _written(grow, Console(stderr=True), quiet)
    typer.echo(
        f"added {added['documents']} documents: {built.path} holds {built.documents} speeches in "
        f"{len(report.families)} families ({built.generation})"
    )


def _written(write: Callable[[], tuple[SavedIndex, Report]], err: Console, quiet: bool) -> tuple[SavedIndex, Report]:
    """``index`` and ``add``: the index written (and let go of), its scan's warnings shown unless ``quiet``."""
    try:
        built, report = write()
        built.close()
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc))) from None
    if not quiet:
        err.print(render_warnings(report.warnings), highlight=False, soft_wrap=True)
    return built, report


@_command(app)
def serve(
    index: Annotated[Path, typer.Option("--index", file_okay=False, help="An index `dupdetect index` built.")],
    host: Annotated[str, typer.Option(help="The address to listen on (this machine only, by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port (0: any free one).")] = 8765,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", min=0.01, help="The largest speech or file a request may bring.")
    ] = 20,
) -> None:
    """A local web page to ask the index from: paste or drop a speech and see its answer as `query --html`
    shows it; search the indexed families and open their side-by-side views. Stop it with Ctrl-C."""
    from dupdetect.index.serve import LOOPBACK, server

    err = Console(stderr=True)
    if host not in LOOPBACK:
        err.print(
            Text(
                f"warning: listening on {host}: anyone who can reach this machine there can read the indexed "
                "speeches and send the page speeches; the page has no password"
            ),
            highlight=False,
            soft_wrap=True,
        )
    try:
        running = server(index, host, port, max_upload=int(max_upload_mb * 2**20))
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc))) from None
    shown = f"[{host}]" if ":" in host else host
    err.print(Text(f"dupdetect serve: http://{shown}:{running.port}/ (Ctrl-C stops it)"), highlight=False)
    try:
        running.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        running.server_close()


def _counted(docs: Iterator[Document], counter: Counter[str]) -> Iterator[Document]:
    for doc in docs:
        counter["documents"] += 1
        yield doc


@_command(app)
def query(
    paths: Annotated[list[str], typer.Argument(help="New speeches: files, folders, or - for standard input.")],
    index: Annotated[Path, typer.Option("--index", file_okay=False, help="An index `dupdetect index` built.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.", **_one_of(OutputFormat))
    ] = OutputFormat.table,
    html: Annotated[
        Path | None,
        typer.Option("--html", dir_okay=False, help="Also write the answers as one HTML page, side by side."),
    ] = None,
) -> None:
    """Check new speeches against a saved index: the families each joins, its fills, the documents it shares
    passages with. Exit status 0 when something matched, 1 when nothing did, 2 on bad input."""
    from dupdetect.index.query import Searcher
    from dupdetect.index.store import SavedIndex
    from dupdetect.model.answer import answer_to_dict
    from dupdetect.views.answer import render_answers
    from dupdetect.views.answer_page import render_answers_page

    err = Console(stderr=True)
    warnings: list[ScanWarning] = []
    if html is not None:
        _ready_file(err, html, "--html")
    try:
        searcher = Searcher(SavedIndex.open(index))
        answers = list(searcher.ask(_query_documents(paths, searcher.config, warnings)))
        if html is not None:
            about = f"index {index} ({searcher.index.documents} documents)"
            page = render_answers_page(answers, searcher.shown(answers), about=about)
            html.write_bytes(page.encode("utf-8", "replace"))
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc)), EXIT_BAD_INPUT) from None
    except Exception as exc:  # (a bug: still not the status of "nothing matched")
        message = f"internal error ({type(exc).__name__}: {exc}); please report it"
        raise _fail(err, _escape(message), EXIT_BAD_INPUT) from None
    for w in warnings:
        err.print(Text(f"{safe(w.source)}: {safe(w.message)}"), highlight=False, soft_wrap=True)
    if output_format is OutputFormat.json:
        typer.echo(dumps([answer_to_dict(a) for a in answers]), nl=False)
    else:
        Console().print(render_answers(answers))
    if not answers:  # (nothing readable was given: an empty folder, unreadable files)
        raise typer.Exit(EXIT_BAD_INPUT)
    if not any(a.matched for a in answers):
        raise typer.Exit(EXIT_NO_MATCH)


def _query_documents(paths: list[str], config: Config, warnings: list[ScanWarning]) -> Iterator[Document]:
    """The speeches to check: standard input (``-``) as one document, the rest read as `scan` reads them."""
    for path in paths:
        if path == "-":  # (bytes: decoded as a file is, whatever the terminal's locale)
            decoded = decode_text(sys.stdin.buffer.read(), encoding=config.ingest.encoding)
            text, codec = decoded.text, decoded.encoding
            yield Document(id="(stdin)", source="(stdin)", text=text, span=Span(0, len(text)), encoding=codec)
            continue
        if not Path(path).exists():
            raise InputError(f"{path}: no such file or folder")
        yield from iter_documents([path], config=config.ingest, on_warning=warnings.append)


@_command(app, "evaluate")
def evaluate_command(
    report_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A report.json of a scan.")],
    labels: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Labels (docs/LABELS.md).")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.", **_one_of(OutputFormat))
    ] = OutputFormat.table,
    errors: Annotated[bool, typer.Option("--errors", help="Also list the family pairs it got wrong.")] = False,
) -> None:
    """Score a report against ground truth: families, pairs, slot fills, per kind, Traditional members."""
    err = Console(stderr=True)
    try:
        report = load_report(report_path)
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc))) from None
    gold = _read_labels(labels, err)
    named = labelled_ids(gold)
    if not named & {d.id for d in report.documents}:
        err.print(
            _escape(
                f"warning: none of the {len(named)} documents {labels.name} names is in {report_path.name} "
                "(labels of another corpus, or ids written another way?): the scores below say nothing"
            ),
            highlight=False,
            soft_wrap=True,
        )
    result = evaluate(report, gold)
    if output_format is OutputFormat.json:
        _print_json(evaluation_to_dict(result))
        return
    Console().print(render_evaluation(result, errors=errors), highlight=False)


def _read_labels(path: Path, err: Console) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(err, _escape(f"{path}: not readable labels ({exc})"), EXIT_USAGE) from None
    try:
        return dict(check_labels(data))
    except LabelsError as exc:
        raise _fail(err, _escape(f"{path}: {exc}"), EXIT_USAGE) from None


def _report_from(sources: list[Path], err: Console) -> Report:
    """Load a saved report, or scan the given corpus with the default settings."""
    try:
        if len(sources) == 1 and sources[0].is_file() and sources[0].suffix.lower() == ".json":
            return load_report(sources[0])
        report, _ = _scan_now(sources, err, texts=False)
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc))) from None
    return report


def _report_for(sources: list[Path], family: str | None) -> Report:
    """The report of ``sources``; exit with a usage error if it has no family ``family``."""
    err = Console(stderr=True)
    report = _report_from(sources, err)
    if family is not None and family not in {f.id for f in report.families}:
        known = ", ".join(f.id for f in report.families) or "none"
        raise _fail(err, _escape(f"no family {family!r} in this report (families: {known})"), EXIT_USAGE)
    return report


def _print_json(data: object) -> None:
    sys.stdout.write(dumps(data))


_LIST_OUT = typer.Option(
    "--out", "-o", help="Write the json, csv or xlsx here instead of stdout (xlsx needs it).", dir_okay=False
)


@_command(app)
def slots(
    sources: Annotated[list[Path], _SOURCES],
    family: Annotated[str | None, typer.Option("--family", help="Only this family (F1, F2, ...).")] = None,
    output_format: Annotated[
        ListFormat | None, typer.Option("--format", "-f", help=_LIST_HELP, **_one_of(ListFormat))
    ] = None,
    out: Annotated[Path | None, _LIST_OUT] = None,
) -> None:
    """Each family's slots: the template's text there and what every member filled in.

    csv and xlsx give a row per slot and member (its title, site, date and fill); xlsx adds a sheet per
    family with a row per member and a column per slot.
    """
    output_format = _ready_rows(output_format, out)
    report = _report_for(sources, family)
    _emit(
        output_format,
        out,
        table=lambda: render_slots(report, family),
        data=lambda: [s for s in report_to_dict(report)["slots"] if family in (None, s["family"])],
        rows=lambda: (fill_rows(report, family), FILL_COLUMNS),
        sheets=lambda: fill_sheets(report, family),
    )


@_command(app)
def template(
    family: Annotated[str, typer.Argument(help="The family, as the scan numbered it (F1, F2, ...).")],
    sources: Annotated[list[Path], _SOURCES],
    output_format: Annotated[
        ListFormat | None, typer.Option("--format", "-f", help=_LIST_HELP, **_one_of(ListFormat))
    ] = None,
    out: Annotated[Path | None, _LIST_OUT] = None,
) -> None:
    """A family's template rebuilt with numbered slots {1}, {2}, ..., each member's fills and its other edits.

    csv gives the fills (a row per slot and member); xlsx the fills, a sheet with a row per member and a
    column per slot, and the template's text.
    """
    output_format = _ready_rows(output_format, out)
    report = _report_for(sources, family)

    def data() -> object:
        whole = report_to_dict(report)
        return {
            "template": next((t for t in whole["templates"] if t["family"] == family), None),
            "slots": [s for s in whole["slots"] if s["family"] == family],
            "edits": [e for e in whole["edits"] if e["family"] == family],
        }

    def sheets() -> list[Sheet]:
        text = next((t for t in report.templates if t.family == family), None)
        rows = [{"family": family, "document": text.doc, "text": text.text}] if text else []
        return [*fill_sheets(report, family), Sheet("template", ("family", "document", "text"), rows)]

    _emit(
        output_format,
        out,
        table=lambda: render_template(report, family),
        data=data,
        rows=lambda: (fill_rows(report, family), FILL_COLUMNS),
        sheets=sheets,
    )


def _ready_rows(output_format: ListFormat | None, out: Path | None) -> ListFormat:
    """The format to give (``--out rows.xlsx`` alone says xlsx), once ``--format`` and ``--out`` are found to
    agree and ``--out`` can be written: checked before anything is read."""
    err = Console(stderr=True)
    by_suffix = {".json": ListFormat.json, ".csv": ListFormat.csv, ".xlsx": ListFormat.xlsx}
    named = by_suffix.get(out.suffix.lower()) if out is not None else None
    if output_format is None:
        if out is not None and named is None:
            message = "--out writes json, csv or xlsx: give --format, or a file name ending .json, .csv or .xlsx"
            raise _fail(err, message, EXIT_USAGE)
        output_format = named or ListFormat.table
    elif output_format is ListFormat.table and out is not None:
        raise _fail(err, "--format table prints on the terminal: give --out with json, csv or xlsx", EXIT_USAGE)
    elif named is not None and named is not output_format:
        message = f"--format {output_format.value} but --out {out}: the file's name says {named.value}"
        raise _fail(err, _escape(message), EXIT_USAGE)
    if output_format is ListFormat.xlsx and out is None:
        raise _fail(
            err, "--format xlsx writes a workbook: give the file with --out (say --out families.xlsx)", EXIT_USAGE
        )
    if out is not None:
        _ready_file(err, out, "--out")
    return output_format


def _emit(
    output_format: ListFormat,
    out: Path | None,
    *,
    table: Callable[[], RenderableType],
    data: Callable[[], object],
    rows: Callable[[], tuple[Iterable[Row], tuple[str, ...]]],
    sheets: Callable[[], list[Sheet]],
) -> None:
    """Give a command's result as ``output_format`` asks: a table on stdout, else JSON, CSV or a workbook,
    on stdout or into ``out`` (written through a temporary name). CSV rows are written as they are made."""
    if output_format is ListFormat.table:
        Console().print(table(), highlight=False)
        return
    if output_format is ListFormat.xlsx:
        assert out is not None  # (_ready_rows)
        _write_out(out, lambda tmp: write_workbook(tmp, sheets()))
        return

    def write(handle: TextIO) -> None:
        if output_format is ListFormat.csv:
            write_csv(*rows(), handle)
            return
        given = data()
        if isinstance(given, Iterator):  # rows made as they are written
            write_json_list(given, handle)
        else:
            handle.write(dumps(given))

    if out is None:
        sys.stdout.flush()
        handle = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            write(handle)
            handle.flush()
        finally:
            handle.detach()  # (stdout stays open)
    else:
        _write_out(out, lambda tmp: _write_text(tmp, write))


def _write_text(path: Path, write: Callable[[TextIO], None]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write(handle)


def _write_out(out: Path, write: Callable[[Path], object]) -> None:
    err = Console(stderr=True)
    try:
        write_atomically(out, write)
    except OSError as exc:
        said = _said(exc) if exc.filename is not None else f"could not write {_escape(str(out))}: {_said(exc)}"
        raise _fail(err, said) from None
    err.print(f"wrote {out}", highlight=False, markup=False, soft_wrap=True)


# --------------------------------------------------------------------------
# views: diff, families, pairs, report, export graph


def _fail(err: Console, message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print one error line on stderr; the caller raises what this returns."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)  # (one line)
    return typer.Exit(code)


def _said(exc: BaseException) -> str:
    """An error in words: a system error as its file and its reason (not ``[Errno 2] ...``)."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return _escape(f"{where}{exc.strerror.lower()}")
    return _escape(str(exc))


def _ready_folder(err: Console, folder: Path, option: str) -> None:
    """An output folder, made now with its parents (before any input is read): one line if it cannot be."""
    if folder.exists() and not folder.is_dir():
        raise _fail(
            err, _escape(f"{option} {folder}: that is a file; give a folder (the outputs go in it)"), EXIT_USAGE
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(err, _escape(f"{option} {folder}: cannot make this folder ({_said(exc)})"), EXIT_USAGE) from None


def _ready_file(err: Console, path: Path, option: str) -> None:
    """An output file's folder, made now with its parents (before any input is read): one line if it cannot
    be, or if a folder stands where the file is to go."""
    if path.is_dir():
        raise _fail(err, _escape(f"{option} {path}: that is a folder; give a file name"), EXIT_USAGE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = "a file is in the way" if isinstance(exc, FileExistsError | NotADirectoryError) else _said(exc)
        raise _fail(err, _escape(f"{option} {path}: cannot make its folder ({why})"), EXIT_USAGE) from None


def _with_texts(sources: list[Path], err: Console, root: Path | None = None) -> tuple[Report, dict[str, str]]:
    """A saved report with its texts read again from their sources, or a scan of ``sources``."""
    try:
        if len(sources) == 1 and sources[0].is_file() and sources[0].suffix.lower() == ".json":
            report = load_report(sources[0])
            texts, problems = reread_texts(report, root=root, report_dir=sources[0].resolve().parent)
            if problems:
                err.print(render_warnings(problems), highlight=False, soft_wrap=True)
            return report, texts
        return _scan_now(sources, err)
    except (DupdetectError, OSError) as exc:
        raise _fail(err, _escape(str(exc))) from None


def _scan_now(sources: list[Path], err: Console, *, texts: bool = True) -> tuple[Report, dict[str, str]]:
    """A scan of ``sources`` with the default settings for a view, with every text held (a view of a large
    corpus is better drawn from its saved report, whose texts are read only when shown)."""
    with _run_scan([str(p) for p in sources], _DEFAULTS, err, show_progress=True) as (report, found):
        return report, dict(found) if texts else {}


def _escape(text: str) -> str:
    """Text printed with markup on: its square brackets shown, not read as styles."""
    return escape(text)


@_command(app)
def diff(
    a: Annotated[str, typer.Argument(help="A file, or (with --in) a document id or path of that report or corpus.")],
    b: Annotated[str, typer.Argument(help="The other file or document.")],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--in",
            "-i",
            exists=True,
            help="A report.json (or files and folders to scan) holding A and B. Without it A and B are two files.",
        ),
    ] = None,
    root: Annotated[Path | None, _ROOT] = None,
) -> None:
    """Two documents side by side: shared passages numbered and coloured alike, fills and placeholders marked."""
    err = Console(stderr=True)
    report, texts, ids = _diff_inputs(a, b, sources, err, root)
    missing = [i for i in ids if i not in texts]
    if missing:
        raise _fail(err, f"cannot show {_escape(', '.join(missing))}: the text could not be read again")
    out = Console()
    pair = find_pair(report, *ids) or align_pair(report, texts, *ids)
    view = pair_view(report, texts, ids[0], ids[1], pair=pair)
    out.print(render_diff(view, color=not out.no_color), highlight=False)


def _diff_inputs(
    a: str, b: str, sources: list[Path] | None, err: Console, root: Path | None
) -> tuple[Report, dict[str, str], tuple[str, str]]:
    """The report, texts and ids of A and B: named in ``sources``, or two files scanned on their own."""
    if sources:
        report, texts = _with_texts(sources, err, root)
        return report, texts, (_document_id(report, a, err), _document_id(report, b, err))
    for name in (a, b):
        if not Path(name).is_file():
            hint = "; to name a document of a scan, pass --in REPORT.json (or the corpus)"
            raise _fail(err, f"{_escape(name)}: no such file{hint}", EXIT_USAGE)
    docs = [_single_document(Path(a), a, err), _single_document(Path(b), b if b != a else f"{b}~2", err)]
    try:
        report = dupdetect_detect(docs, config=_DEFAULTS.with_overrides(clean={"split": False}))
    except DupdetectError as exc:
        raise _fail(err, _escape(str(exc))) from None
    return report, {d.id: d.text for d in docs}, (docs[0].id, docs[1].id)


def _single_document(path: Path, doc_id: str, err: Console) -> Document:
    """The one document a file holds, named by the path as given."""
    problems: list[ScanWarning] = []
    docs = list(iter_documents([str(path)], config=_DEFAULTS.ingest, on_warning=problems.append))
    if problems and not docs:
        raise _fail(err, _escape(f"{problems[0].source}: {problems[0].message}"))
    if len(docs) != 1:
        message = f"{path} holds {len(docs)} documents; scan it and pass --in with document ids"
        raise _fail(err, _escape(message), EXIT_USAGE)
    return dataclasses.replace(docs[0], id=doc_id)


def _document_id(report: Report, name: str, err: Console) -> str:
    found = resolve_document(report, name)
    if found is not None:
        return found
    ending = [d.id for d in report.documents if d.id.endswith(name)]
    if len(ending) > 1:  # (a name several ids end in: which one is meant is not guessed)
        message = f"{counted(len(ending), 'document')} match {name!r}: {some(ending, len(ending))}; give more of the id"
        raise _fail(err, _escape(message), EXIT_USAGE)
    close = difflib.get_close_matches(name, [d.id for d in report.documents], n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else "; 'dupdetect families' lists them"
    raise _fail(err, _escape(f"no document {name!r} in this report{hint}"), EXIT_USAGE)


@_command(app)
def families(
    sources: Annotated[list[Path], _SOURCES],
    output_format: Annotated[
        ListFormat | None, typer.Option("--format", "-f", help=_LIST_HELP, **_one_of(ListFormat))
    ] = None,
    out: Annotated[Path | None, _LIST_OUT] = None,
) -> None:
    """The families: one row per member with its family, title, role and reused share (csv, json and xlsx add
    its site and date).

    reused: the largest share of the member's text that one other document also holds.
    """
    output_format = _ready_rows(output_format, out)
    report = _report_for(sources, None)
    _emit(
        output_format,
        out,
        table=lambda: render_families(report, members=None),
        data=lambda: family_rows(report),
        rows=lambda: (family_rows(report), FAMILY_COLUMNS),
        sheets=lambda: [Sheet("families", FAMILY_COLUMNS, family_rows(report))],
    )


@_command(app)
def pairs(
    sources: Annotated[list[Path], _SOURCES],
    output_format: Annotated[
        ListFormat | None, typer.Option("--format", "-f", help=_LIST_HELP, **_one_of(ListFormat))
    ] = None,
    out: Annotated[Path | None, _LIST_OUT] = None,
) -> None:
    """The pairs of documents that share passages, with their titles, similarity and each side's reused share.

    sim: how alike the shared passages are (1.00: the same characters); A % / B %: the share of each
    document's text that the other also holds; shared: the characters they share.
    """
    output_format = _ready_rows(output_format, out)
    report = _report_for(sources, None)
    _emit(
        output_format,
        out,
        table=lambda: render_pairs(report),
        data=lambda: pair_rows(report),
        rows=lambda: (pair_rows(report), PAIR_COLUMNS),
        sheets=lambda: [Sheet("pairs", PAIR_COLUMNS, pair_rows(report), total=len(report.pairs))],
    )


@_command(app, "report")
def html_report(
    sources: Annotated[list[Path], _SOURCES],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.", dir_okay=False)],
    max_pairs: Annotated[
        int, typer.Option(min=0, help="Show this many pairs side by side, the most similar first (all are listed).")
    ] = _HTML_DEFAULTS.max_pairs,
    min_chars: Annotated[
        int, typer.Option(min=0, help="Start with matches shorter than this many characters hidden.")
    ] = _HTML_DEFAULTS.min_chars,
    max_families: Annotated[
        int, typer.Option(min=0, help="Draw this many families as sections, the largest first (all are listed).")
    ] = _HTML_DEFAULTS.max_families,
    root: Annotated[Path | None, _ROOT] = None,
) -> None:
    """Write the report as one self-contained HTML file: overview, families, pairs side by side."""
    err = Console(stderr=True)
    _ready_file(err, out, "--out")
    report, texts = _with_texts(sources, err, root)
    try:
        options = HtmlOptions(max_pairs=max_pairs, min_chars=min_chars, max_families=max_families)
        write_html(report, texts, out, options=options)
    except OSError as exc:
        raise _fail(err, _said(exc)) from None
    err.print(f"wrote {out}", highlight=False, markup=False, soft_wrap=True)
    if len(texts) < len(report.documents):
        raise typer.Exit(EXIT_SKIPPED)


export_app = typer.Typer(help="Write a report's data in other formats.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@_command(export_app, "graph")
def export_graph(
    sources: Annotated[list[Path], _SOURCES],
    graph_format: Annotated[
        GraphFormat,
        typer.Option(
            "--format", "-f", help="graphml (Gephi, Cytoscape, networkx) or gexf (Gephi).", **_one_of(GraphFormat)
        ),
    ] = GraphFormat.graphml,
    directed: Annotated[
        bool,
        typer.Option(
            "--directed",
            help="Who was copied from whom: from each template (or the member aligned against) to each member.",
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.", dir_okay=False)
    ] = None,
) -> None:
    """The family graph: documents as nodes (title, site, date, role, families), pairs as edges weighted by
    similarity; with --directed, edges that say who was copied from whom (docs/FORMATS.md)."""
    err = Console(stderr=True)
    if out is not None:
        _ready_file(err, out, "--out")
    report = _report_for(sources, None)
    from dupdetect.views.graph import graph_bytes

    data = graph_bytes(report, fmt=graph_format.value, directed=directed)
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise _fail(err, _escape(str(exc))) from None
    err.print(f"wrote {out}", highlight=False, markup=False, soft_wrap=True)


@_command(export_app, "xlsx")
def export_xlsx(
    sources: Annotated[list[Path], _SOURCES],
    out: Annotated[Path, typer.Option("--out", "-o", help="The workbook to write (.xlsx).", dir_okay=False)],
) -> None:
    """The whole report as one Excel workbook: sheets of documents, families, pairs and slot fills, and one
    sheet per family (the largest 100) with a row per member and a column per slot."""
    _ready_file(Console(stderr=True), out, "--out")
    report = _report_for(sources, None)
    _write_out(out, lambda tmp: write_workbook(tmp, report_sheets(report)))


def run() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    try:
        app()
    except SystemExit as done:  # how every finished command ends (click's standalone mode)
        _leave(done.code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, not a traceback
        sys.stderr.write(f"error: internal error ({type(exc).__name__}: {exc}); please report it\n")
        sys.exit(EXIT_ERROR)


def _leave(code: object) -> NoReturn:
    """End the process with ``sys.exit``'s status for ``code``, without tearing the interpreter down.

    Teardown frees every object one at a time: seconds for a large corpus's
    results (6 s at 100k documents), after all output is written. Here the
    outputs are complete (files written through temporary names, worker pools
    shut), so the streams are flushed and the system takes the memory back at once.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message goes to stderr, the status is 1
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away (`| head`), or the stream is closed
            pass
        except OSError as exc:  # a full disk, say: the output is incomplete, and the status says so
            if stream is sys.stdout:
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.write(f"error: could not write the output ({exc.strerror or exc})\n")
                    sys.stderr.flush()
                status = status or 120  # what Python itself exits with when flushing fails at shutdown
    os._exit(status)
