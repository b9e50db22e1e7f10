"""A report's files written at once: the views write them, the engine runs the writers on worker processes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from dupdetect.engine.local import pmap
from dupdetect.model.types import Report
from dupdetect.views.files import output_paths, write_output


def write_outputs(
    report: Report, out_dir: Path, *, jobs: int | None = 1, meanwhile: Callable[[], object] | None = None
) -> Mapping[str, Path]:
    """Write ``report.json``, ``families.graphml`` and ``families-directed.graphml`` into ``out_dir``.

    With ``jobs`` above 1 (None: every core) the three files are written by worker processes at once,
    while this process calls ``meanwhile()`` (laying out a terminal report, say); with one, it is called after.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = output_paths(out_dir)
    try:
        pmap(_write, list(paths.items()), shared=report, jobs=jobs, min_items=2, meanwhile=meanwhile)
    except BaseException:  # a worker that was killed leaves its temporary file behind
        for path in paths.values():
            for tmp in out_dir.glob(f".{path.name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        raise
    return paths


def _write(report: Report, item: tuple[str, Path]) -> None:
    """Worker: write one of the outputs."""
    write_output(report, *item)
