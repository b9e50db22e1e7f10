"""A saved index on disk: a finished scan's work folder, its LSH band keys, and a manifest.

Layout of an index folder (docs/FORMATS.md)::

    index.json     the manifest: format, tool version, the scan's settings, sizes, and each file's size
    work/          the work folder of the scan that built it (dupdetect.engine.work): texts, keys, units,
                   families, pairs, slots
    lookup/        band_keys.npy, band_units.npy (dupdetect.index.bands.BandKeys)

Nothing here runs a server: a query memory-maps the arrays and reads the tables it needs. The
manifest is written last, through a temporary name, so a folder without one holds no index.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dupdetect.engine.pipeline import Progress, detect, kept_signatures
from dupdetect.engine.work import WorkDir, scratch
from dupdetect.index.bands import BandKeys
from dupdetect.model.config import Config
from dupdetect.model.errors import InputError
from dupdetect.model.report import tool_version
from dupdetect.model.types import Document, Report, ScanWarning
from dupdetect.stages.candidates import bands_and_rows

INDEX_FORMAT = 3
MANIFEST = "index.json"
WORK, LOOKUP = "work", "lookup"
QUERIED = frozenset(
    {
        "manifest.json",
        "documents.parquet",
        "texts.utf16",
        "text_ranges.npy",
        "norm_lengths.npy",
        "unit_offsets.npy",
        "units.npy",
        "stock.npy",
        "families.parquet",
        "family_places.parquet",
        "slots.parquet",
    }
)
"""The files of the scan's work folder a query reads: the index keeps these alone (a query makes a
candidate's match key again from its text; the candidates, pairs, edits and templates are the scan's)."""


@dataclass(frozen=True)
class SavedIndex:
    """An index folder, opened: where it is, the settings its scan used, and its band keys (memory-mapped)."""

    path: Path
    config: Config
    keys: BandKeys
    documents: int

    @property
    def work(self) -> Path:
        """The work folder of the scan that built the index."""
        return self.path / WORK

    @classmethod
    def open(cls, path: Path) -> SavedIndex:
        """The index in ``path``; an :class:`InputError` says what is wrong with a folder that holds none,
        or one another format of dupdetect wrote."""
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            missing = f"{path}: no dupdetect index here (no {MANIFEST}); make one with `dupdetect index`"
            raise InputError(missing) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{path / MANIFEST}: cannot read the index's manifest ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != INDEX_FORMAT:
            found = manifest.get("format") if isinstance(manifest, dict) else None
            raise InputError(
                f"{path}: an index of format {found}, this dupdetect reads format {INDEX_FORMAT}: "
                "build it again with `dupdetect index`"
            )
        try:
            return cls._checked(path, manifest)
        except (KeyError, TypeError, ValueError, OSError) as exc:
            raise InputError(f"{path}: a damaged index ({exc}): build it again with `dupdetect index`") from None

    @classmethod
    def _checked(cls, path: Path, manifest: dict[str, Any]) -> SavedIndex:
        """The index, once its files agree with its manifest (a ValueError says where they do not)."""
        config = Config.from_dict(manifest["config"])
        bands, rows = int(manifest["bands"]), int(manifest["rows"])
        if (bands, rows) != bands_and_rows(config.candidates.threshold, config.fingerprint.num_perm):
            raise ValueError(f"{bands} bands of {rows} rows do not follow from its settings")
        keys = BandKeys.open(path / LOOKUP, rows)
        for name, array in (("keys", keys.keys), ("units", keys.units)):
            if array.dtype != np.uint32 or array.shape != (bands, int(manifest["units"])):
                wanted = (bands, manifest["units"])
                raise ValueError(f"its band {name} are {array.dtype} {array.shape}, not uint32 {wanted}")
        if WorkDir.open(path / WORK, through="slots").key != manifest["work_key"]:
            raise ValueError(f"{path / WORK} holds another scan than the one indexed")
        return cls(path, config, keys, int(manifest["documents"]))


def build_index(
    documents: Iterable[Document],
    path: Path,
    *,
    config: Config = Config(),
    warnings: list[ScanWarning] | None = None,
    on_progress: Progress | None = None,
    jobs: int | None = None,
) -> tuple[SavedIndex, Report]:
    """Scan ``documents`` into the index folder ``path`` and keep what a query reads: the scan's work folder
    and every unit's band keys. Returns the index and the scan's report.

    A build that is killed leaves no manifest (it is written last): the folder holds no index, and a
    second build resumes the scan from its work folder. Once the manifest is written, the work folder's
    files no query reads are removed (:data:`QUERIED`): the 100k index 2.1 -> 1.3 GB.
    """
    path.mkdir(parents=True, exist_ok=True)
    (path / MANIFEST).unlink(missing_ok=True)  # (the folder holds no index until this build has finished)
    work = path / WORK
    if (work / "texts.utf16").exists() and not (work / "keys.utf16").exists():
        shutil.rmtree(work)  # an index built before, its scan's work trimmed: no scan can resume from it
    on_progress = on_progress or _silent
    report = detect(documents, config=config, warnings=warnings or (), on_progress=on_progress, jobs=jobs, work=work)
    on_progress("band keys", 0, 1)
    with scratch(work) as folder:
        sigs = kept_signatures(work, config, folder, jobs)
        keys = BandKeys.build(sigs, sigs.bands, sigs.rows)
    (path / LOOKUP).mkdir(exist_ok=True)
    keys.save(path / LOOKUP)
    on_progress("band keys", 1, 1)
    manifest: dict[str, Any] = {
        "format": INDEX_FORMAT,
        "tool": tool_version(),
        "config": config.to_dict(),
        "documents": len(report.documents),
        "units": len(keys),
        "bands": keys.bands,
        "rows": keys.rows,
        "work_key": WorkDir.open(work, through="slots").key,
    }
    _atomic_write(path / MANIFEST, lambda: json.dumps(manifest, ensure_ascii=False, indent=1))
    for entry in work.iterdir():  # (a kill in between leaves an index that still answers: these go unread)
        if entry.is_file() and entry.name not in QUERIED:
            entry.unlink()
    return SavedIndex.open(path), report


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _atomic_write(path: Path, text: Callable[[], str]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text(), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
