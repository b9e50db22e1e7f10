"""A saved index on disk: a finished scan's work folder, its LSH band keys, and a manifest.

Layout of an index folder (docs/FORMATS.md)::

    index.json     the manifest, written last: format, tool version, the generation it names, the scan's
                   settings, sizes, and every file's size and checksum
    g000001/       a generation: what one scan of the whole collection left
      work/        the files of that scan's work folder (dupdetect.engine.work) a query or an add reads
      lookup/      band_keys.npy, band_units.npy, band_fences.npy (dupdetect.index.bands.BandKeys)
      catalog.sqlite  its documents, families and slots, to list and search (dupdetect.index.catalog)
      .lock        a reader holds it shared while it reads the generation; a writer removes a generation
                   the manifest no longer names only once it holds its lock exclusively
    .writer        held by the one process writing a generation (``index``, ``add``)

Nothing here runs a server: a query memory-maps the arrays and reads the tables it needs. A build or an
add writes a new generation beside the one the manifest names, then rewrites the manifest (through a
temporary name): a query sees the index before or after, never half of it, and a writer killed midway
leaves the index as it was (the next writer removes its generation, or resumes its scan).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from dupdetect.engine.pipeline import Progress, detect, kept_inputs, kept_signatures, kept_texts
from dupdetect.engine.texts import TextTable
from dupdetect.engine.work import WorkDir, scratch
from dupdetect.index.bands import BandKeys
from dupdetect.index.catalog import CATALOG, Catalog, write_catalog
from dupdetect.model import columns
from dupdetect.model.config import Config
from dupdetect.model.errors import InputError
from dupdetect.model.report import tool_version
from dupdetect.model.types import Document, Report, ScanWarning
from dupdetect.stages.candidates import bands_and_rows

INDEX_FORMAT = 5
MANIFEST = "index.json"
WORK, LOOKUP, ANCHORS = "work", "lookup", "anchors"
LOCK, WRITER = ".lock", ".writer"
QUERIED = frozenset(
    {
        "manifest.json",
        "inputs.parquet",
        "documents.parquet",
        "texts.utf16",
        "text_ranges.npy",
        "norm_lengths.npy",
        "unit_offsets.npy",
        "units.npy",
        "stock.npy",
        "read_warnings.parquet",
        "site_chrome.parquet",
        "families.parquet",
        "family_places.parquet",
        "slots.parquet",
    }
)
"""The files of the scan's work folder an index keeps: those a query reads (it makes a candidate's match
key again from its text; the candidates, pairs, edits and templates are the scan's), and the documents
as read (``inputs``) with what reading them met (``read_warnings``), which ``add`` scans again with the
new ones."""

CHECKED_ON_OPEN = 16 << 20
"""Files of up to this many bytes are checked against their checksum whenever the index is opened (but for
the :data:`UNCHECKED`: at 100k speeches the small arrays, 5 MB); ``--verify`` checks every file."""

UNCHECKED = (".parquet", f"/{CATALOG}")
"""Files opening the index does not check against their checksums: the tables check each page they read
against its own checksum (``WorkDir.read_table``), and a query does not read the catalogue
(``--verify`` checks them all)."""

_GENERATION = re.compile(r"g(\d{6})")
_DIGEST = "blake2b"


@dataclass(frozen=True)
class SavedIndex:
    """An index folder, opened: where it is, its generation, the settings its scan used, and its band keys
    (memory-mapped). It holds the folder's lock shared until :meth:`close` (or until it is collected): the
    generation it reads is not removed under it."""

    path: Path
    generation: str
    config: Config
    keys: BandKeys
    documents: int
    manifest: dict[str, Any] = field(repr=False, compare=False)
    held: _Held = field(repr=False, compare=False)
    anchors: BandKeys | None = field(default=None, repr=False, compare=False)  # the sentence anchors' keys

    @property
    def work(self) -> Path:
        """The work folder of the scan that built the index's generation."""
        return self.path / self.generation / WORK

    def ids(self) -> frozenset[str]:
        """The ids of the documents the index was given (as read: a compilation page is one)."""
        try:
            table = WorkDir.open(self.work, through="prepare").read_table("inputs", columns=["id"])
            return frozenset(table.column("id").to_pylist())
        except DAMAGED as exc:
            raise damaged(self.path, exc) from None

    def texts(self) -> _Texts:
        """The indexed speeches' texts by id, each read from the texts' file when asked for (``close()`` lets
        the file go)."""
        store = WorkDir.open(self.work, through="prepare")
        try:
            ids = store.read_table("documents", columns=["id"]).column("id").to_pylist()
            return _Texts({doc: i for i, doc in enumerate(ids)}, kept_texts(store))
        except DAMAGED as exc:
            raise damaged(self.path, exc) from None

    def catalog(self) -> Catalog:
        """The generation's catalogue of documents, families and slots (SQLite, read-only)."""
        try:
            return Catalog(self.path / self.generation / CATALOG)
        except DAMAGED as exc:
            raise damaged(self.path, exc) from None

    def close(self) -> None:
        """Let go of the generation's lock (a writer may then remove it once the manifest names another)."""
        self.held.close()

    def __enter__(self) -> SavedIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def open(cls, path: Path) -> SavedIndex:
        """The index in ``path``; an :class:`InputError` says in one line what is wrong with a folder that
        holds none, one another format of dupdetect wrote, or one whose files are not as written (missing,
        of another size, or a small one changed: :data:`CHECKED_ON_OPEN`; :func:`verify` reads every byte)."""
        manifest, held = _held_generation(path)
        try:
            return cls._checked(path, manifest, held)
        except DAMAGED as exc:
            held.close()
            raise damaged(path, exc) from None
        except BaseException:
            held.close()
            raise

    @classmethod
    def _checked(cls, path: Path, manifest: dict[str, Any], held: _Held, *, digests: bool = True) -> SavedIndex:
        """The index, once its files agree with its manifest (a ValueError says where they do not)."""
        generation = str(manifest["generation"])
        for name, (size, digest) in manifest["files"].items():
            found = (path / name).stat().st_size
            if found != size:
                raise ValueError(f"{name} holds {found} bytes, not the {size} written")
            unchecked = UNCHECKED if manifest.get("page_checksums") else (f"/{CATALOG}",)  # (older: whole files)
            if digests and size <= CHECKED_ON_OPEN and not name.endswith(unchecked) and _digest(path / name) != digest:
                raise ValueError(f"{name} changed since it was written")
        config = Config.from_dict(manifest["config"])
        bands, rows = int(manifest["bands"]), int(manifest["rows"])
        if (bands, rows) != bands_and_rows(config.candidates.threshold, config.fingerprint.num_perm):
            raise ValueError(f"{bands} bands of {rows} rows do not follow from its settings")
        keys = BandKeys.open(path / generation / LOOKUP, rows)
        found = path / generation / LOOKUP / ANCHORS
        anchors = BandKeys.open(found, 0) if found.is_dir() else None
        for name, array in (("keys", keys.keys), ("units", keys.units)):
            if array.dtype != np.uint32 or array.shape != (bands, int(manifest["units"])):
                wanted = (bands, manifest["units"])
                raise ValueError(f"its band {name} are {array.dtype} {array.shape}, not uint32 {wanted}")
        if WorkDir.open(path / generation / WORK, through="slots").key != manifest["work_key"]:
            raise ValueError(f"{path / generation / WORK} holds another scan than the one indexed")
        return cls(path, generation, config, keys, int(manifest["documents"]), manifest, held, anchors)


class _Texts(Mapping[str, str]):
    def __init__(self, position: dict[str, int], texts: TextTable) -> None:
        self.position, self.table = position, texts

    def close(self) -> None:
        self.table.file.close()

    def __getitem__(self, doc: str) -> str:
        return self.table[self.position[doc]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.position)

    def __len__(self) -> int:
        return len(self.position)


class _Held:
    """A lock held through an open descriptor (let go once, or when collected)."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    @classmethod
    def take(cls, lock: Path, how: int) -> _Held | None:
        """``lock`` held (``fcntl.LOCK_SH``, or ``LOCK_EX | LOCK_NB``: None when another holds it); a missing
        lock file is held by nobody (a generation a writer is still making, or one being removed)."""
        try:
            fd = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            return cls(None)
        try:
            fcntl.flock(fd, how)
        except OSError:
            os.close(fd)
            return None
        return cls(fd)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:
        self.close()


def _held_generation(path: Path) -> tuple[dict[str, Any], _Held]:
    """The manifest, and the lock of the generation it names held shared: read again once the lock is held,
    so the generation is the one named then (a writer removes a generation only after naming another, and
    only holding its lock exclusively)."""
    for _ in range(1000):
        manifest = _manifest(path)
        generation = manifest.get("generation")
        if not isinstance(generation, str) or not _GENERATION.fullmatch(generation):
            raise damaged(path, ValueError(f"it names no generation ({generation!r})"))
        held = _Held.take(path / generation / LOCK, fcntl.LOCK_SH)
        assert held is not None  # (a shared lock waits)
        if current_generation(path) == generation:
            return manifest, held
        held.close()
    raise InputError(f"{path}: the index changed a thousand times while it was being opened; try again")


DAMAGED = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    OSError,
    sqlite3.DatabaseError,
    pa.ArrowException,
)
"""What reading a damaged index's files raises (a missing key, a file cut short, bytes that are not a table)."""


def damaged(path: Path, exc: BaseException) -> InputError:
    """The one-line error of an index whose files are not as written."""
    return InputError(
        f"{path}: a damaged index ({exc}): `dupdetect index --index {path} --verify` checks every file; "
        "build it again with `dupdetect index`"
    )


def _manifest(path: Path) -> dict[str, Any]:
    """The index folder's manifest, read; an :class:`InputError` when there is none, or not of this format."""
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
    return manifest


def build_index(
    documents: Iterable[Document],
    path: Path,
    *,
    config: Config = Config(),
    warnings: list[ScanWarning] | None = None,
    on_progress: Progress | None = None,
    jobs: int | None = None,
) -> tuple[SavedIndex, Report]:
    """Scan ``documents`` into the index folder ``path`` (a new one, or one to replace) and keep what a query
    and an add read: the scan's work folder and every unit's band keys. Returns the index and the scan's
    report.

    The scan goes to a new generation; the manifest names it once it is whole. A build that is killed
    leaves the index as it was, and a second build of the same documents resumes its scan. A folder that
    holds anything but a dupdetect index is refused (nothing in it is touched).
    """
    with _writing(path, create=True):
        return _write_generation(documents, path, config, warnings if warnings is not None else [], on_progress, jobs)


def add_documents(
    documents: Iterable[Document] | Callable[[Config, frozenset[str]], Iterable[Document]],
    path: Path,
    *,
    warnings: list[ScanWarning] | None = None,
    on_progress: Progress | None = None,
    jobs: int | None = None,
) -> tuple[SavedIndex, Report]:
    """Add ``documents`` to the index in ``path``: its families, roles and slots are then those a scan of
    every document, the index's and these after them, gives with the index's settings (it is one: the
    index's documents are read back as they were first read, then these). Their ids must be new; or
    ``documents`` is a function of the index's settings and ids giving them, called once this add holds
    the index (``lambda config, taken: iter_documents(paths, config=config.ingest, taken=taken, ...)``
    names them as a scan of everything would). The index's settings are used.

    Like :func:`build_index`, it writes a new generation: until it has finished, queries see the index as
    it was, and a killed add leaves it so.
    """
    with _writing(path, create=False):
        with SavedIndex.open(path) as index:
            config, before = index.config, index.work
            taken = index.ids()
        added = _new_ids(documents(config, taken) if callable(documents) else documents, taken)
        store = WorkDir.open(before, through="prepare")
        try:
            kept = store.read_table("read_warnings").to_pydict() if store.has("read_warnings.parquet") else {}
            read = [ScanWarning(s, m) for s, m in zip(kept.get("source", ()), kept.get("message", ()), strict=True)]
        except DAMAGED as exc:
            raise damaged(path, exc) from None
        every = _then(chain(kept_inputs(store), added), lambda: read.extend(warnings if warnings is not None else ()))
        return _write_generation(every, path, config, read, on_progress, jobs)


def _then(documents: Iterable[Document], done: Callable[[], None]) -> Iterator[Document]:
    """``documents``, then ``done()`` once they are all read (a scan reads its warnings after its documents)."""
    yield from documents
    done()


def _new_ids(documents: Iterable[Document], taken: frozenset[str]) -> Iterator[Document]:
    for doc in documents:
        if doc.id in taken:
            raise InputError(f"{doc.source}: the index already holds a document '{doc.id}'")
        yield doc


def _write_generation(
    documents: Iterable[Document],
    path: Path,
    config: Config,
    warnings: list[ScanWarning],
    on_progress: Progress | None,
    jobs: int | None,
) -> tuple[SavedIndex, Report]:
    """Scan ``documents`` into the folder's next generation, name it in the manifest, remove the others."""
    current = current_generation(path)
    generation = f"g{(int(current[1:]) if current else 0) + 1:06d}"
    _retire(path, keep={current, generation})  # (one a reader held; one newer, never named: a killed writer's)
    work = path / generation / WORK
    if (work / "texts.utf16").exists() and not (work / "keys.utf16").exists():
        shutil.rmtree(work)  # a finished generation's scan, its work trimmed: no scan can resume from it
    work.mkdir(parents=True, exist_ok=True)
    (path / generation / LOCK).touch()
    on_progress = on_progress or _silent
    try:
        report = detect(
            documents,
            config=config,
            warnings=warnings,
            on_progress=on_progress,
            jobs=jobs,
            work=work,
            keep_signatures=True,
        )
    except Exception:  # (an error, unlike a kill or ^C, leaves nothing to resume)
        _remove(path, generation)
        raise
    on_progress("band keys", 0, 1)
    with scratch(work) as folder:
        sigs = kept_signatures(work, config, folder, jobs)
        keys = BandKeys.build(sigs, sigs.bands, sigs.rows)
    (path / generation / LOOKUP).mkdir(exist_ok=True)
    keys.save(path / generation / LOOKUP)
    store = WorkDir.open(work, through="slots")
    if store.has("anchor_hashes.npy"):  # (sentence anchors on: a query looks its own up)
        anchors = BandKeys.of_anchors(np.asarray(store.read_array("anchor_hashes")), store.read_array("anchor_units"))
        (path / generation / LOOKUP / ANCHORS).mkdir(exist_ok=True)
        anchors.save(path / generation / LOOKUP / ANCHORS)
    for entry in work.iterdir():
        if entry.is_file() and entry.name not in QUERIED:
            entry.unlink()
    on_progress("band keys", 1, 1)
    store.write_table(
        "read_warnings",
        pa.table(
            {"source": [w.source for w in warnings], "message": [w.message for w in warnings]}, schema=columns.WARNINGS
        ),
    )
    written = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    write_catalog(path / generation, report, {"generation": generation, "tool": tool_version(), "written": written})
    manifest: dict[str, Any] = {
        "format": INDEX_FORMAT,
        "tool": tool_version(),
        "written": written,
        "generation": generation,
        "config": config.to_dict(),
        "inputs": store.read_table("inputs", columns=["id"]).num_rows,
        "documents": len(report.documents),
        "families": len(report.families),
        "units": len(keys),
        "bands": keys.bands,
        "rows": keys.rows,
        "work_key": store.key,
        "page_checksums": True,  # (its tables check each page as it is read: opening does not hash them)
        "files": _files(path, generation),
    }
    _atomic_write(path / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    _retire(path, keep={generation})
    for legacy in (WORK, LOOKUP):  # (an index of format 3 kept its files there)
        shutil.rmtree(path / legacy, ignore_errors=True)
    return SavedIndex.open(path), report


def current_generation(path: Path) -> str | None:
    """The generation the folder's manifest names (None: no index yet, or one of another format)."""
    try:
        generation = json.loads((path / MANIFEST).read_text(encoding="utf-8")).get("generation")
    except (OSError, ValueError, AttributeError):
        return None
    return generation if isinstance(generation, str) and _GENERATION.fullmatch(generation) else None


def _generations(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.is_dir() and _GENERATION.fullmatch(p.name)}


def _retire(path: Path, *, keep: set[str | None]) -> None:
    """Remove the generations not in ``keep`` that no reader holds: one the manifest never named (newer than
    the one it names: a killed writer's) at once, an older one once its lock is held exclusively (else the
    next writer tries again)."""
    current = current_generation(path)
    for old in sorted(_generations(path) - keep):
        if current is not None and old > current:
            shutil.rmtree(path / old, ignore_errors=True)
            continue
        held = _Held.take(path / old / LOCK, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if held is not None:
            try:
                shutil.rmtree(path / old, ignore_errors=True)
            finally:
                held.close()


def _remove(path: Path, generation: str) -> None:
    shutil.rmtree(path / generation, ignore_errors=True)


@contextlib.contextmanager
def _writing(path: Path, *, create: bool) -> Iterator[None]:
    """The folder's :data:`WRITER` lock, held by this process alone while the block runs (``create``: the
    folder is made if missing; one holding anything but a dupdetect index is refused)."""
    if not path.is_dir() and not create:
        raise InputError(f"{path}: no dupdetect index here (no {MANIFEST}); make one with `dupdetect index`")
    _refuse_foreign(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path / WRITER, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"{path}: cannot write an index there ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError(
                f"{path}: another dupdetect is writing this index; try again once it has finished"
            ) from None
        yield
    finally:
        os.close(fd)


def _refuse_foreign(path: Path) -> None:
    """An :class:`InputError` when ``path`` holds anything an index does not (a user's folder, say)."""
    if not path.is_dir():
        return
    ours = _is_manifest(path / MANIFEST)
    for entry in path.iterdir():
        name = entry.name
        if name in (MANIFEST, WRITER, LOCK) or _GENERATION.fullmatch(name) or name.startswith(f".{MANIFEST}."):
            if name != MANIFEST or ours:
                continue
        elif ours and name in (WORK, LOOKUP):  # (an index of format 3)
            continue
        raise InputError(f"{path}: not a dupdetect index and not empty (it holds {name}); give a new or empty folder")


def _is_manifest(file: Path) -> bool:
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "format" in manifest and "work_key" in manifest


def _files(path: Path, generation: str) -> dict[str, list[Any]]:
    """Every file of a generation (its path from the index folder): its size and checksum."""
    out: dict[str, list[Any]] = {}
    for file in sorted(p for p in (path / generation).rglob("*") if p.is_file() and p.name != LOCK):
        out[file.relative_to(path).as_posix()] = [file.stat().st_size, _digest(file, sync=True)]
    return out


def _digest(file: Path, *, sync: bool = False) -> str:
    """``file``'s checksum (``sync``: its bytes on disk first, before a manifest names them)."""
    with file.open("rb") as handle:
        if sync:
            os.fsync(handle.fileno())
        return hashlib.file_digest(handle, _DIGEST).hexdigest()


@dataclass(frozen=True)
class Verified:
    """What :func:`verify` found: the files and bytes it read, and what is wrong (a line each; none: sound)."""

    files: int
    bytes: int
    problems: tuple[str, ...]


def verify(path: Path) -> Verified:
    """Every file of the index read and checked against the size and checksum its manifest records, and the
    index opened as a query opens it. An :class:`InputError` when there is no index of this format."""
    manifest, held = _held_generation(path)
    try:
        problems: list[str] = []
        files = size_read = 0
        try:
            recorded = sorted((str(k), int(v[0]), str(v[1])) for k, v in manifest["files"].items())
        except DAMAGED as exc:
            return Verified(0, 0, (f"{path / MANIFEST}: no list of files and checksums ({exc})",))
        for name, size, digest in recorded:
            file = path / name
            try:
                found = file.stat().st_size
            except OSError as exc:
                problems.append(f"{file}: missing ({exc.strerror or exc})")
                continue
            files += 1
            size_read += found
            if found != size:
                problems.append(f"{file}: {found} bytes, not the {size} written")
            elif _digest(file) != digest:
                problems.append(f"{file}: changed since it was written (its checksum differs)")
        if not problems:
            try:
                SavedIndex._checked(path, manifest, _Held(None), digests=False)
            except (*DAMAGED, InputError) as exc:
                problems.append(f"{path}: {exc}")
        return Verified(files, size_read, tuple(problems))
    finally:
        held.close()


def info(path: Path) -> dict[str, Any]:
    """What the index holds, from its manifest: format, tool, when written, generation, inputs (as given),
    documents (speeches), families, units, files, and the bytes of its work folder, its band keys, its
    catalogue and in all.
    An :class:`InputError` when there is no index of this format."""
    manifest = _manifest(path)
    try:
        sizes = {str(k): int(v[0]) for k, v in manifest["files"].items()}
        generation = str(manifest["generation"])
        part = {
            name: sum(v for k, v in sizes.items() if k.startswith(f"{generation}/{name}/")) for name in (WORK, LOOKUP)
        }
        part["catalog"] = sizes.get(f"{generation}/{CATALOG}", 0)
        keys = ("format", "tool", "written", "generation", "inputs", "documents", "families", "units")
        return {
            "path": str(path),
            **{k: manifest[k] for k in keys},
            "files": len(sizes),
            "bytes": {**part, "total": sum(sizes.values())},
        }
    except DAMAGED as exc:
        raise damaged(path, exc) from None


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # (the rename itself on disk)
        finally:
            os.close(folder)
    finally:
        tmp.unlink(missing_ok=True)
