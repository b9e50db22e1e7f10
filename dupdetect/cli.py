"""The ``dupdetect`` command line: options -> config -> library call -> render.

Data goes to stdout, messages to stderr. Exit codes: 0 success, 1 an error
dupdetect could not work around, 2 a usage error, 3 some inputs were skipped
(the report is still written and lists them).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dupdetect.config import Config
from dupdetect.errors import DupdetectError
from dupdetect.export import load_report, report_json, report_to_dict, write_outputs
from dupdetect.ingest import iter_documents
from dupdetect.pipeline import detect
from dupdetect.render import render_scan, render_slots, render_template, render_warnings
from dupdetect.report import tool_version
from dupdetect.types import Document, Report, ScanWarning

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
    max_file_size: Annotated[
        float, typer.Option(min=0.001, help="Skip (with a warning) files larger than this many MiB.")
    ] = (_DEFAULTS.ingest.max_file_bytes or 0) / 2**20,
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
            ingest={
                "encoding": encoding,
                "text_field": text_field,
                "id_field": id_field,
                "max_file_bytes": int(max_file_size * 2**20),
            },
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


_SOURCES = typer.Argument(
    exists=True, help="A report.json written by 'scan --out' (or '--format json'), or files and folders to scan."
)


def _report_from(sources: list[Path], err: Console) -> Report:
    """Load a saved report, or scan the given corpus with the default settings."""
    try:
        if len(sources) == 1 and sources[0].is_file() and sources[0].suffix.lower() == ".json":
            return load_report(sources[0])
        report, _ = _run_scan([str(p) for p in sources], _DEFAULTS, err, show_progress=True)
    except (DupdetectError, OSError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from None
    return report


def _report_for(sources: list[Path], family: str | None) -> Report:
    """The report of ``sources``; exit with a usage error if it has no family ``family``."""
    err = Console(stderr=True)
    report = _report_from(sources, err)
    if family is not None and family not in {f.id for f in report.families}:
        known = ", ".join(f.id for f in report.families) or "none"
        err.print(f"[bold red]error:[/] no family {family!r} in this report (families: {known})", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    return report


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


@app.command()
def slots(
    sources: Annotated[list[Path], _SOURCES],
    family: Annotated[str | None, typer.Option("--family", help="Only this family (F1, F2, ...).")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
) -> None:
    """Each family's slots: the template's text there and what every member filled in."""
    report = _report_for(sources, family)
    if output_format is OutputFormat.json:
        _print_json([s for s in report_to_dict(report)["slots"] if family in (None, s["family"])])
        return
    Console().print(render_slots(report, family), highlight=False)


@app.command()
def template(
    family: Annotated[str, typer.Argument(help="The family, as the scan numbered it (F1, F2, ...).")],
    sources: Annotated[list[Path], _SOURCES],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
) -> None:
    """A family's template rebuilt with numbered slots {1}, {2}, ... and each member's fills."""
    report = _report_for(sources, family)
    if output_format is OutputFormat.json:
        data = report_to_dict(report)
        _print_json(
            {
                "template": next((t for t in data["templates"] if t["family"] == family), None),
                "slots": [s for s in data["slots"] if s["family"] == family],
            }
        )
        return
    Console().print(render_template(report, family), highlight=False)


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
