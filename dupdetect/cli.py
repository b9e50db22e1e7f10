"""The ``dupdetect`` command line: options -> config -> library call -> render.

Data goes to stdout, messages to stderr. Exit codes: 0 success, 1 an error
dupdetect could not work around, 2 a usage error, 3 some inputs were skipped
(the report is still written and lists them).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dupdetect.config import Config
from dupdetect.errors import DupdetectError
from dupdetect.export import report_json, write_outputs
from dupdetect.ingest import iter_documents
from dupdetect.pipeline import detect
from dupdetect.render import render_scan, render_warnings
from dupdetect.report import tool_version
from dupdetect.types import Document, Report, ScanWarning

EXIT_ERROR = 1
EXIT_SKIPPED = 3

app = typer.Typer(
    name="dupdetect",
    help="Find template plagiarism in collections of speeches: reused passages, template families, mosaics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_DEFAULTS = Config()


class OutputFormat(StrEnum):
    """How ``scan`` prints its result on stdout."""

    table = "table"
    json = "json"


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


@app.command()
def scan(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Files (.txt, .md, .jsonl) and folders (read recursively)."),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write report.json and families.graphml into this folder.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table: a report for people; json: report.json on stdout.")
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
    keep_chrome: Annotated[
        bool,
        typer.Option(help="Match page chrome too (navigation, footers, page markers); by default it is left out."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no warnings on stderr.")] = False,
) -> None:
    """Find reused passages and template families in a corpus of speeches."""
    err = Console(stderr=True)
    try:
        config = _DEFAULTS.with_overrides(
            candidates={"threshold": threshold},
            align={"min_chars": min_chars},
            ingest={"encoding": encoding, "text_field": text_field, "id_field": id_field},
            clean={"chrome": not keep_chrome, "repeated_lines": not keep_chrome},
        )
        report, texts = _run_scan([str(p) for p in paths], config, err, show_progress=not quiet)
        paths_written = write_outputs(report, out) if out else {}
    except (DupdetectError, OSError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from None
    _emit(report, texts, output_format, err, quiet=quiet)
    for path in paths_written.values():
        err.print(f"wrote {path}", highlight=False)
    if report.counts.get("inputs_skipped", 0):
        raise typer.Exit(EXIT_SKIPPED)


def _run_scan(paths: list[str], config: Config, err: Console, *, show_progress: bool) -> tuple[Report, dict[str, str]]:
    """Ingest and detect, with a progress bar on stderr when it is a terminal."""
    warnings: list[ScanWarning] = []
    docs: list[Document] = list(iter_documents(paths, config=config.ingest, on_warning=warnings.append))
    texts = {d.id: d.text for d in docs}
    if not (show_progress and err.is_terminal):
        return detect(docs, config=config, warnings=warnings), texts
    columns: list[Any] = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        return detect(docs, config=config, warnings=warnings, on_progress=on_progress), texts


def _emit(report: Report, texts: dict[str, str], output_format: OutputFormat, err: Console, *, quiet: bool) -> None:
    if report.warnings and not quiet:
        err.print(render_warnings(report.warnings), highlight=False)
    if output_format is OutputFormat.json:
        sys.stdout.write(report_json(report))
        return
    Console().print(render_scan(report, texts), highlight=False)


def run() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, not a traceback
        sys.stderr.write(f"error: internal error ({type(exc).__name__}: {exc}); please report it\n")
        sys.exit(EXIT_ERROR)
