"""A scan's work folder: each stage's results on disk, so a later run starts after the last one that finished.

The folder holds a ``manifest.json`` and one or more files per finished stage
(Parquet tables through pyarrow, ``.npy`` arrays read back memory-mapped).
Every file is written under a temporary name and renamed into place, and a
stage counts as finished only once the manifest, rewritten the same way,
names it: a run killed mid-stage leaves nothing a later run would trust.

The manifest also holds the scan's *key*: a hash of the tool's version, the
settings and every input document (id, source and a hash of its text). A
folder made for another key is emptied before use, so a run never reuses
results of different inputs or settings. Layout: docs/FORMATS.md.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dupdetect.engine.local import FileArray
from dupdetect.model.config import Config
from dupdetect.model.errors import InputError
from dupdetect.model.report import tool_version
from dupdetect.model.types import Decided, Document, ScanWarning

FORMAT_VERSION = 6
MANIFEST = "manifest.json"
SIGNATURES = "signatures.bands"  # the signatures a scan keeps for a saved index (pipeline.detect's keep_signatures)


def _has(file: pq.ParquetFile, columns: list[str]) -> None:
    """Refuse a table without the columns asked for (ParquetFile.read gives it without them)."""
    missing = [c for c in columns if c not in file.schema_arrow.names]
    if missing:
        raise OSError(f"no column {', '.join(missing)}")


class ScanKey:
    """What a work folder's results depend on: the tool's version, the settings, every document; made a
    document at a time, as the corpus is read."""

    def __init__(self, config: Config, decided: Decided | None = None) -> None:
        self._digest = hashlib.sha256()
        header = {"format": FORMAT_VERSION, "tool": tool_version(), "config": config.to_dict()}
        if decided is not None:  # (a scan given the corpus-wide decisions: another scan than one learning them)
            header["decided"] = decided.digest()
        self._digest.update(json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8"))

    def add(self, doc: Document) -> None:
        """The next document."""
        fields = (doc.id, doc.source, doc.encoding, doc.title, json.dumps(dict(doc.meta), sort_keys=True), doc.page)
        self._digest.update(json.dumps(fields, ensure_ascii=False).encode("utf-8"))
        self._digest.update(hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).digest())
        self._digest.update(f"{doc.span.start},{doc.span.end}".encode())

    def hexdigest(self) -> str:
        """The key of the documents added so far."""
        return self._digest.hexdigest()


SCRATCH = ".scratch-"  # how a scratch folder's name starts inside a work folder


@contextmanager
def scratch(work: Path | None) -> Iterator[Path]:
    """A folder for a run's large files (its texts, keys and signature bands, and without a work folder
    of the caller's, the stages' results), removed when the run ends.

    Inside the work folder when there is one (a killed run's is removed by the next run), else
    in the system's temporary folder (``TMPDIR`` chooses it), named ``dupdetect-*``: there its run
    holds its ``owner`` file locked (``flock``) while it runs, and a later run removes the folders whose
    owner file no lock holds (a killed run's). It needs room for about four times the corpus's text in
    UTF-16 and half a kilobyte a paragraph (25 GB for a million speeches; a saved index's build keeps the
    half kilobyte a paragraph until its band keys are made).
    """
    if work is not None:
        _make(work)
        for old in work.glob(f"{SCRATCH}*"):
            shutil.rmtree(old, ignore_errors=True)
    else:
        _clear_abandoned(Path(tempfile.gettempdir()))
    prefix = SCRATCH if work is not None else TEMP_SCRATCH
    with tempfile.TemporaryDirectory(prefix=prefix, dir=work) as path, ExitStack() as held:
        if work is None:
            held.enter_context(_owned(Path(path)))
        yield Path(path)


TEMP_SCRATCH = "dupdetect-"  # how a scratch folder's name starts in the system's temporary folder
OWNER = "owner"  # the file its run holds locked in a temporary scratch folder (it names the host and process)


@contextmanager
def _owned(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s owner file locked until the block ends (the lock also ends when every process
    holding it is gone). The file appears under its name only once locked, so no sweep finds it free."""
    fd = os.open(folder / f".{OWNER}.tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{socket.gethostname()} {os.getpid()}\n".encode())
        os.replace(folder / f".{OWNER}.tmp", folder / OWNER)
        yield
    finally:
        os.close(fd)


def _clear_abandoned(folder: Path) -> None:
    """Remove the scratch folders in ``folder`` whose owner file no run holds locked."""
    for old in folder.glob(f"{TEMP_SCRATCH}*"):
        try:
            fd = os.open(old / OWNER, os.O_RDONLY)
        except OSError:
            continue  # not one of ours (or not readable): left alone
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its run goes on
        finally:
            os.close(fd)
        shutil.rmtree(old, ignore_errors=True)


class WorkDir:
    """The results of the stages that finished, for one scan key."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        _make(path)
        self._stages: dict[str, dict[str, Any]] = {}
        manifest = self._read_manifest()
        if manifest is not None and manifest.get("key") == key and manifest.get("format") == FORMAT_VERSION:
            self._stages = dict(manifest.get("stages", {}))
        else:
            self._clear(foreign=manifest is None)
            self._write_manifest()

    @classmethod
    def open(cls, path: Path, *, through: str) -> WorkDir:
        """A work folder a finished scan left, read as it is (never emptied): its stages up to ``through``
        must have finished, in this tool's format, else an :class:`InputError` says what to do."""
        store = cls.__new__(cls)
        store.path = path
        manifest = store._read_manifest()
        if manifest is None:
            raise InputError(f"{path}: not a dupdetect work folder (no readable {MANIFEST})")
        if manifest.get("format") != FORMAT_VERSION:
            raise InputError(
                f"{path}: a work folder of format {manifest.get('format')}, this dupdetect reads format "
                f"{FORMAT_VERSION}: scan again with --work to remake it"
            )
        store.key = str(manifest.get("key"))
        store._stages = dict(manifest.get("stages", {}))
        if through not in store._stages:
            raise InputError(f"{path}: the scan that made this work folder did not finish its {through} stage")
        return store

    # ----------------------------------------------------------------------
    # stages

    def done(self, stage: str) -> bool:
        """Whether ``stage`` finished in an earlier run (its files are all in place)."""
        return stage in self._stages

    def finished(self) -> list[str]:
        """The stages that finished, in the order they did."""
        return list(self._stages)

    def finish(self, stage: str, counts: Mapping[str, int], warnings: Sequence[ScanWarning]) -> None:
        """Record ``stage`` as finished, with the counts and warnings of the scan so far (its files written)."""
        self._stages[stage] = {"counts": dict(counts), "warnings": [[w.source, w.message] for w in warnings]}
        self._write_manifest()

    def state(self, stage: str) -> tuple[dict[str, int], list[ScanWarning]]:
        """The counts and warnings recorded when ``stage`` finished."""
        entry = self._stages[stage]
        return dict(entry["counts"]), [ScanWarning(s, m) for s, m in entry["warnings"]]

    # ----------------------------------------------------------------------
    # files

    def write_table(self, name: str, table: pa.Table, *, group_rows: int | None = None) -> None:
        """``name.parquet``, written whole under a temporary name first (``group_rows``: rows per row group,
        so :meth:`read_rows` reads a few of them; None: one group of up to a million rows)."""

        def write(tmp: Any) -> None:
            options: dict[str, Any] = {} if group_rows is None else {"row_group_size": group_rows}
            pq.write_table(table, tmp, compression="zstd", write_page_checksum=True, **options)

        self._atomic(f"{name}.parquet", write)

    def write_batches(self, name: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> None:
        """``name.parquet`` written a record batch at a time (a row group each), under a temporary name first."""

        def write(handle: Any) -> None:
            with pq.ParquetWriter(handle, schema, compression="zstd", write_page_checksum=True) as writer:
                for batch in batches:
                    writer.write_batch(batch)

        self._atomic(f"{name}.parquet", write)

    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """``name.parquet`` (only ``columns``, when given), each page checked against its checksum as it is
        read (a changed byte is an error, not a wrong value)."""
        path = self.path / f"{name}.parquet"
        try:
            # (ParquetFile, not read_table: that imports pyarrow.dataset, 40 ms of a query process's start)
            with pq.ParquetFile(path, memory_map=True, page_checksum_verification=True) as file:
                _has(file, columns or [])
                return file.read(columns=columns)
        except (OSError, pa.ArrowException) as exc:  # (a page whose checksum fails, a footer cut short)
            raise (type(exc) if isinstance(exc, OSError) else OSError)(f"{path.name}: {exc}") from exc

    def read_rows(self, name: str, column: str, value: str) -> pa.Table:
        """The rows of ``name.parquet`` whose ``column`` is ``value``: that column read first, then only the row
        groups holding those rows (a family's slots from a table of every family's)."""
        path = self.path / f"{name}.parquet"
        try:
            with pq.ParquetFile(path, memory_map=True, page_checksum_verification=True) as file:
                _has(file, [column])
                keys = file.read(columns=[column]).column(0)
                rows = pc.indices_nonzero(pc.fill_null(pc.equal(keys, value), False)).to_numpy().astype(np.int64)
                sizes = [file.metadata.row_group(g).num_rows for g in range(file.metadata.num_row_groups)]
                starts = np.cumsum([0, *sizes])
                group = np.searchsorted(starts, rows, side="right") - 1
                groups = sorted(set(group.tolist()))
                if not groups:
                    return file.schema_arrow.empty_table()
                table = file.read_row_groups(groups)
        except (OSError, pa.ArrowException) as exc:
            raise (type(exc) if isinstance(exc, OSError) else OSError)(f"{path.name}: {exc}") from exc
        # where each group read starts in the table read
        at = dict(zip(groups, np.cumsum([0, *(sizes[g] for g in groups[:-1])]).tolist(), strict=True))
        return table.take(rows - starts[group] + np.array([at[g] for g in group.tolist()], dtype=np.int64))

    def write_array(self, name: str, array: np.ndarray[Any, Any]) -> None:
        """``name.npy``, written whole under a temporary name first."""
        self._atomic(f"{name}.npy", lambda tmp: np.save(tmp, np.ascontiguousarray(array), allow_pickle=False))

    def adopt(self, name: str, path: Path, move: Callable[[Path], None]) -> None:
        """Take the file ``path`` (written whole, in the scratch folder) into the folder as ``name``: it is
        synced, then ``move(final path)`` renames it (on one file system, nothing is copied)."""
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
        move(self.path / name)

    def has(self, name: str) -> bool:
        """Whether the folder holds the file ``name`` (an index written before a file was kept has none)."""
        return (self.path / name).is_file()

    def read_array(self, name: str) -> np.ndarray[Any, Any]:
        """``name.npy`` memory-mapped (read-only): random access without reading it all; sent to a worker
        of another process (the Dask engine's), it goes as the file's name (``local.FileArray``)."""
        path = self.path / f"{name}.npy"
        array: np.ndarray[Any, Any] = np.load(path, mmap_mode="r", allow_pickle=False)
        if isinstance(array, np.memmap) and array.size and array.flags.c_contiguous:
            return FileArray.map(path, array.dtype, array.shape, "r", int(array.offset))
        return array

    # ----------------------------------------------------------------------

    def _atomic(self, name: str, write: Any) -> None:
        final = self.path / name
        tmp = self.path / f".{name}.{os.getpid()}.tmp"
        try:
            with tmp.open("wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)

    def _read_manifest(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_manifest(self) -> None:
        data = {"format": FORMAT_VERSION, "key": self.key, "stages": self._stages}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        self._atomic(MANIFEST, lambda handle: handle.write(text.encode("utf-8")))

    def _clear(self, *, foreign: bool) -> None:
        """Empty the folder of an earlier scan's files (only files this module writes)."""
        if foreign:
            others = sorted(p for p in self.path.iterdir() if not _ours(p))
            if others:
                raise InputError(
                    f"{self.path}: not a dupdetect work folder (it holds {others[0].name}); pass an empty or new folder"
                )
        for entry in self.path.iterdir():
            if entry.is_file() and _ours(entry):  # (scratch folders: see scratch())
                entry.unlink()


def _make(path: Path) -> None:
    """Make the work folder ``path`` if it is missing."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path}: cannot use it as a work folder ({exc.strerror or exc})") from None


def _ours(path: Path) -> bool:
    """Whether ``path`` is a file a work folder holds (its manifest, a table, an array, a file being written),
    or a run's scratch folder."""
    if path.is_dir():
        return path.name.startswith(SCRATCH)
    if not path.is_file():
        return False
    return path.name in (MANIFEST, SIGNATURES) or path.suffix in {".parquet", ".npy", ".utf16", ".tmp"}
