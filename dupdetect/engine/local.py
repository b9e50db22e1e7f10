"""Per-item work spread over processes, results in input order.

``pmap(fn, items, shared=..., jobs=...)`` calls ``fn(shared, item)`` for
every item. Worker processes are forked after ``shared`` is set, so a large
read-only context (the corpus's match keys, say) reaches them without being
pickled; only items and results cross process boundaries. ``fn`` must be a
module-level function. With ``jobs <= 1``, few items, or no ``fork`` on this
platform, everything runs in this process, the same way.

:func:`settled` keeps Python's cyclic garbage collector off a run's results.
A scan builds millions of small acyclic objects (spans, passages, pairs) that
live until the report is written; left to the collector, each full pass walks
all of them again (a third of the parent's time at 100k documents). Inside
``settled()``, what exists is frozen (never walked, still freed by reference
counting), and ``pmap`` freezes the results it collects.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import mmap
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from dupdetect.model.errors import DupdetectError, WorkerError
from dupdetect.model.stage import Mapper, in_process

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")

MIN_ITEMS = 64  # fewer items are not worth a process pool
MAX_CHUNK = 256  # items sent to a worker at once

Executor = Callable[[Callable[..., Any], list[Sequence[Any]], Any, str, Callable[[int], None]], list[Any]]
"""Runs chunks elsewhere: ``(fn, chunks, shared, mode, on_chunk)`` -> each chunk's results laid end to end, in
order (:func:`run_chunk` of each); ``on_chunk(items)`` as each chunk's results come back, in order."""

_EXECUTOR: Executor | None = None  # set by engine/cluster.py's dask_engine(): the chunks go to a Dask cluster
_SHARED: Any = None
_FN: Any = None
_MODE = "each"  # _FN takes an item ("each"), a chunk for a result per item ("batch"), a chunk for one result ("chunk")
_SETTLED = 0  # how many settled() blocks are open


@contextmanager
def settled() -> Iterator[None]:
    """Freeze the objects that exist now, and those :func:`settle` is asked to freeze, until the block ends.

    Frozen objects are left out of the collector's passes (reference counting still
    frees them); when the outermost block ends, they are handed back to it. Blocks nest.
    """
    global _SETTLED
    gc.freeze()
    _SETTLED += 1
    try:
        yield
    finally:
        _SETTLED -= 1
        if not _SETTLED:
            gc.unfreeze()


def settle() -> None:
    """Inside :func:`settled`: freeze what exists now (a stage's long-lived results).

    Cyclic garbage made since the last freeze (a stage's graph) is collected first: frozen, it
    would be kept to the end. The pass walks only what is not frozen yet.
    """
    if _SETTLED:
        gc.collect()
        gc.freeze()
    _trim()


def _trim() -> None:
    """Hand the heap's free memory back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    The memory a stage freed (its workers' results, once joined into arrays) otherwise stays in
    this process, counted in its size, and is copied into every worker forked after it.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        return libc
    except (OSError, AttributeError):  # not glibc
        return None


_LIBC = _libc()
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # (glibc's mallopt parameters)
_TUNED = False


def tune_malloc() -> None:
    """In a worker that was not forked from a scan (a Dask worker), let glibc keep freed memory for the next
    allocation: Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which fixes the mmap
    threshold at 128 KiB too, so every large numpy temporary is mapped and unmapped again (signing the
    units of 2,000 speeches: 1.7 s against 0.5 s). Once per process; elsewhere than glibc nothing."""
    global _TUNED
    if not _TUNED and _LIBC is not None:
        _LIBC.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        _LIBC.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    _TUNED = True


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pmap(
    fn: Callable[[S, T], R],
    items: Sequence[T],
    *,
    shared: S,
    jobs: int | None = None,
    on_done: Callable[[int, int], None] | None = None,
    min_items: int | None = None,
    costs: Sequence[int] | None = None,
) -> list[R]:
    """``[fn(shared, item) for item in items]``, over ``jobs`` processes.

    ``on_done(done, total)`` is called as items are finished (by chunks).
    Fewer than ``min_items`` items (default :data:`MIN_ITEMS`) run in this process.
    ``costs``: each item's share of the work, when items differ by orders of magnitude
    (a family of 6,000 members and one of two): chunks then hold about equal work, so an
    expensive item goes out alone and its result comes back alone.
    """
    return _map(fn, items, shared, jobs, on_done, min_items, mode="each", costs=costs)


def mapper(jobs: int | None) -> Mapper:
    """The :class:`~dupdetect.model.stage.Mapper` a stage is handed: :func:`pmap` over ``jobs`` processes."""
    if jobs == 1:
        return in_process

    def run(fn: Callable[[S, T], R], items: Sequence[T], *, shared: S, min_items: int | None = None) -> list[R]:
        return pmap(fn, items, shared=shared, jobs=jobs, min_items=min_items)

    return run


def pmap_batches(
    fn: Callable[[S, Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    shared: S,
    jobs: int | None = None,
    on_done: Callable[[int, int], None] | None = None,
) -> list[R]:
    """:func:`pmap` of a function that takes a batch of items and returns one result per item.

    For work whose fixed cost per call (numpy's, say) exceeds its cost per
    item: ``fn`` is called once per chunk of up to :data:`MAX_CHUNK` items.
    """
    return _map(fn, items, shared, jobs, on_done, None, mode="batch")


def pmap_chunks(
    fn: Callable[[S, Sequence[T]], R],
    items: Sequence[T],
    *,
    shared: S,
    jobs: int | None = None,
    on_done: Callable[[int, int], None] | None = None,
    costs: Sequence[int] | None = None,
) -> list[R]:
    """:func:`pmap` of a function that takes a chunk of consecutive items and returns one result for it.

    The results, one per chunk of up to :data:`MAX_CHUNK` items in order, are what a caller joins:
    a few arrays a chunk cross the pipe and stay in memory, not a few objects an item.
    ``costs`` as for :func:`pmap`.
    """
    return _map(fn, items, shared, jobs, on_done, None, mode="chunk", costs=costs)


def _map(
    fn: Callable[..., Any],
    items: Sequence[Any],
    shared: Any,
    jobs: int | None,
    on_done: Callable[[int, int], None] | None,
    min_items: int | None,
    *,
    mode: str,
    costs: Sequence[int] | None = None,
) -> list[Any]:
    jobs = default_jobs() if jobs is None else jobs
    report = on_done or _quiet
    least = MIN_ITEMS if min_items is None else min_items
    if _EXECUTOR is not None and len(items) >= least:
        chunks = [items[lo:hi] for lo, hi in _chunk_bounds(len(items), jobs, costs)]
        finished = 0

        def counted(n: int) -> None:
            nonlocal finished
            finished += n
            report(finished, len(items))

        # (the collector paused here too: the client's own traffic sets off its passes, which would walk the
        # results fetched so far again and again)
        with _gathering():
            return _EXECUTOR(fn, chunks, shared, mode, counted)
    if jobs <= 1 or len(items) < least or "fork" not in multiprocessing.get_all_start_methods():
        out: list[Any] = []
        step = MAX_CHUNK if mode != "each" else max(1, len(items) // 100)
        for lo in range(0, len(items), step):
            batch = items[lo : lo + step]
            out.extend(run_chunk(fn, shared, mode, batch))
            report(lo + len(batch), len(items))
        return out
    global _SHARED, _FN, _MODE
    _SHARED, _FN, _MODE = shared, fn, mode
    try:
        with _gathering() as collecting:
            # many chunks of at most MAX_CHUNK items: results come back in modest messages, and a worker
            # that finishes early waits for one small chunk at the end, not one sixteenth of the work
            chunks = [items[lo:hi] for lo, hi in _chunk_bounds(len(items), jobs, costs)]
            results: list[Any] = []
            fork = multiprocessing.get_context("fork")
            # a worker collects its own garbage (what it inherits stays frozen): only the parent pauses
            with ProcessPoolExecutor(jobs, fork, initializer=_start_worker, initargs=(collecting,)) as pool:
                done = pool.map(_run_chunk, chunks)  # every chunk is submitted (the workers fork) here
                finished = 0
                for sent, chunk in zip(chunks, done, strict=True):
                    results.extend(chunk)
                    finished += len(sent)
                    report(finished, len(items))
        return results
    finally:
        _SHARED, _FN, _MODE = None, None, "each"


@contextmanager
def _gathering() -> Iterator[bool]:
    """While a map's results come in: what exists frozen (workers share the parent's objects copy-on-write:
    frozen, the collector never touches, so never copies, them) and the collector paused (the parent only
    unpickles results, whose passes would grow with them); the results frozen at the end (cheaper than one
    pass of the collector over them). Yields whether the collector was on."""
    collecting = gc.isenabled()
    settle()  # inside settled(), what is frozen now stays frozen: cyclic garbage goes first
    gc.disable()
    try:
        with settled():
            yield collecting
            gc.freeze()
    finally:
        if collecting:
            gc.enable()


def _chunk_bounds(n: int, jobs: int, costs: Sequence[int] | None) -> list[tuple[int, int]]:
    """Where the chunks of ``n`` items begin and end: ``jobs * 32`` of about equal size (equal cost with
    ``costs``), at most :data:`MAX_CHUNK` items each."""
    if costs is None:
        size = max(1, min(n // (jobs * 32), MAX_CHUNK))
        return [(lo, min(lo + size, n)) for lo in range(0, n, size)]
    if len(costs) != n:
        raise ValueError(f"{len(costs)} costs for {n} items")
    total = np.cumsum(np.asarray(costs, dtype=np.int64))
    step = max(1, int(total[-1]) // (jobs * 32)) if n else 1
    bounds: list[tuple[int, int]] = []
    lo = 0
    while lo < n:
        # the chunk ends where its cost reaches a step (at least one item, at most MAX_CHUNK)
        before = int(total[lo - 1]) if lo else 0
        hi = int(np.searchsorted(total, before + step, side="left")) + 1
        hi = max(lo + 1, min(hi, lo + MAX_CHUNK, n))
        bounds.append((lo, hi))
        lo = hi
    return bounds


def shared_array(shape: tuple[int, ...], dtype: npt.DTypeLike, file: Path | None = None) -> npt.NDArray[Any]:
    """A zeroed array in memory shared with the workers :func:`pmap` forks after it is made.

    What a worker writes into it, the parent sees: a large result (the corpus's
    signatures) is written in place rather than pickled back and copied. The
    memory is returned when the last array viewing it is gone. With an executor set
    (:func:`executing`: workers that are not forked), it is the ``file`` mapped, and
    pickles as the file's name: a worker maps the same file.
    """
    count = int(np.prod(shape))
    if _EXECUTOR is not None:
        if file is None:
            raise ValueError("an array workers write into needs a file when they are not forked")
        with file.open("wb") as handle:
            handle.truncate(max(1, count * np.dtype(dtype).itemsize))
        return FileArray.map(file, np.dtype(dtype), shape)
    buffer = mmap.mmap(-1, max(1, count * np.dtype(dtype).itemsize))  # anonymous, MAP_SHARED: kept across fork
    return np.frombuffer(buffer, dtype=dtype, count=count).reshape(shape)


def by_file(folder: Path) -> Callable[[npt.NDArray[Any]], npt.NDArray[Any]]:
    """What a large array of a map's context is made so that workers that are not forked (an executor's) read
    it from a file rather than receive it: under :func:`executing`, the array written to a file in
    ``folder`` and mapped read-only (a :class:`FileArray`, which pickles as the file's name); else, or when
    small, the array itself."""

    def share(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
        if _EXECUTOR is None or isinstance(array, FileArray) or array.nbytes < _BY_VALUE:
            return array
        path = folder / f"shared-{os.getpid()}-{next(_SHARED_FILES)}.raw"
        np.ascontiguousarray(array).tofile(path)
        return FileArray.map(path, array.dtype, array.shape, "r")

    return share


_BY_VALUE = 1 << 16  # bytes of an array that go by value all the same
_SHARED_FILES = itertools.count()


class FileArray(np.memmap):
    """A file mapped as an array that pickles as the file's name, not its values: a worker of another process
    maps the same file (and, mapped to write, writes where its parent reads). A view of it (another shape or
    start) pickles by value, as any array."""

    _whole: tuple[str, str, tuple[int, ...], Literal["r", "r+"], int, int] | None = None

    @classmethod
    def map(
        cls, path: Path, dtype: np.dtype[Any], shape: tuple[int, ...], mode: Literal["r", "r+"] = "r+", offset: int = 0
    ) -> FileArray:
        """``shape`` values of ``dtype`` from byte ``offset`` of ``path``, mapped (``mode`` ``r+`` or ``r``)."""
        array = cls(path, dtype=dtype, mode=mode, shape=shape, offset=offset)
        array._whole = (str(path), dtype.str, tuple(shape), mode, offset, array.ctypes.data)
        return array

    def __reduce__(self) -> Any:
        whole = self._whole
        same = whole is not None and whole[1:3] == (self.dtype.str, self.shape) and whole[5] == self.ctypes.data
        if same and whole is not None and self.flags.c_contiguous:
            return _mapped_file, whole[:5]
        return np.asarray(self).copy().__reduce__()

    def __array_wrap__(self, array: Any, context: Any = None, return_scalar: bool = False) -> Any:
        """What a ufunc or a reduction of it makes is a plain array (or a number), not a mapped one."""
        out = np.asarray(array)
        return out[()] if return_scalar and out.ndim == 0 else out


def _mapped_file(path: str, dtype: str, shape: tuple[int, ...], mode: Literal["r", "r+"], offset: int) -> FileArray:
    return FileArray.map(Path(path), np.dtype(dtype), shape, mode, offset)


def _quiet(done: int, total: int) -> None:
    """The default ``on_done``: says nothing."""


def _start_worker(collecting: bool) -> None:
    """Worker side, once: the garbage collector as the caller had it."""
    if collecting:
        gc.enable()


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    """Worker side: the forked copy of ``_FN`` applied to one chunk (to each of its items, or to it whole)."""
    return run_chunk(_FN, _SHARED, _MODE, chunk)


def run_chunk(fn: Callable[..., Any], shared: Any, mode: str, chunk: Sequence[Any]) -> list[Any]:
    """``fn`` applied to one chunk: to each of its items (``each``), to it whole for a result per item
    (``batch``), or to it whole for one result (``chunk``). An error it did not mean to raise comes back
    as a :class:`~dupdetect.model.errors.WorkerError` naming the stage and the documents."""
    if mode != "each":
        try:
            return [fn(shared, chunk)] if mode == "chunk" else list(fn(shared, chunk))
        except (DupdetectError, MemoryError, OSError):  # (said on purpose, or the machine's: not a bug)
            raise
        except Exception as exc:
            raise _failed(fn, shared, _culprit(fn, shared, chunk), exc) from exc
    out: list[Any] = []
    for item in chunk:
        try:
            out.append(fn(shared, item))
        except (DupdetectError, MemoryError, OSError):
            raise
        except Exception as exc:
            raise _failed(fn, shared, [item], exc) from exc
    return out


def _culprit(fn: Callable[..., Any], shared: Any, chunk: Sequence[Any]) -> Sequence[Any]:
    """The first item of a chunk that fails alone, or the whole chunk when none does (a chunk's work gives
    the same results run again: what it appends to a shared file again is never read)."""
    for at in range(len(chunk)):
        try:
            fn(shared, chunk[at : at + 1])
        except Exception:
            return chunk[at : at + 1]
    return chunk


def _aligned(item: Any) -> bool:
    """An alignment's work item: two document indices and an array of their unit pairs."""
    return isinstance(item, tuple) and len(item) == 3 and all(isinstance(n, int) for n in item[:2])


def _failed(fn: Callable[..., Any], shared: Any, items: Sequence[Any], exc: Exception) -> WorkerError:
    """The one line that says which stage failed on which documents, and how."""
    stage = fn.__name__.strip("_").removesuffix("_task").replace("_", " ")
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return WorkerError(
        f"{stage} failed on {_documents(shared, items)}: {type(exc).__name__}: {exc}{where} "
        "(an internal error: please report it with that document)"
    )


def _documents(shared: Any, items: Sequence[Any]) -> str:
    """The documents ``items`` stand for, named as their ids when the shared context says which: items are
    document indices (or pairs of them) into its corpus's ids, or into its documents as read."""
    parts = shared if isinstance(shared, tuple) else (shared, getattr(shared, "corpus", None))
    names: Sequence[Any] | None = None
    for part in parts:
        ids = getattr(part, "ids", None)
        table = getattr(part, "table", None)  # (a table of cleaned documents, columns.Rows)
        if isinstance(ids, Sequence) and not isinstance(ids, str):  # (a list; a Dask worker's id column)
            names = ids
        elif table is not None and "id" in getattr(table, "column_names", ()):
            names = table.column("id").to_pylist()
        elif isinstance(part, list) and part and hasattr(part[0], "source") and hasattr(part[0], "id"):
            names = [d.id for d in part]  # (the documents as read: the cleaning stage's)
        if names is not None:
            break
    found: list[str] = []
    for item in items:
        # a document's index, or an alignment's (two documents and their unit pairs); not a range of them
        numbers = [item] if isinstance(item, int) else list(item[:2]) if _aligned(item) else []
        if names is not None and numbers and all(0 <= n < len(names) for n in numbers):
            found.append(" / ".join(str(names[n]) for n in numbers))
        elif numbers:
            found.append(" / ".join(f"document #{n}" for n in numbers))
    if not found:
        return f"items {str(items[0])[:60]} to {str(items[-1])[:60]}" if len(items) > 1 else str(items[0])[:120]
    return found[0] if len(found) == 1 else f"one of {found[0]} ... {found[-1]} ({len(found)} documents)"


def check_folder(folder: Path) -> None:
    """Under an executor whose workers may run on other machines, that each of them reads a file written to
    ``folder`` (the run's files are there): a :class:`~dupdetect.model.errors.ConfigError` naming the first
    that cannot. Elsewhere nothing (forked workers share this machine's files)."""
    check = getattr(_EXECUTOR, "check_folder", None)
    if check is not None:
        check(folder)


def distributed() -> bool:
    """Whether the maps now go to an executor (:func:`executing`: workers that are not forked, which read what
    the parent shares through pickles and files)."""
    return _EXECUTOR is not None


@contextmanager
def executing(executor: Executor) -> Iterator[None]:
    """Inside the block, :func:`pmap` and its kin hand their chunks to ``executor`` (not to forked workers):
    the same chunks, the same results in the same order."""
    global _EXECUTOR
    if _EXECUTOR is not None:
        raise RuntimeError("an executor is already set")
    _EXECUTOR = executor
    try:
        yield
    finally:
        _EXECUTOR = None
