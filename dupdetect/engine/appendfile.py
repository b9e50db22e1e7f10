"""Files any process appends to and reads back by byte range: the corpus's texts, and workers' partial arrays.

Each process opens the file for appending itself (a forked worker its own
descriptor), so the byte range a write lands at is the writer's to learn:
``O_APPEND`` moves the descriptor's offset to the end before each write, and
the write ends where the offset is left (a local file system appends one
write whole; over NFS, appends from several machines may interleave). An append
holds the file locked (``flock``): one that takes more than one write is not split by
another process's, and learns where it ended. Reading back is a ``pread``; the
file's pages are the kernel's cache, in no process's memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dupdetect.model.stage import Part, StoredArray

_ONE_WRITE = 1 << 30  # bytes appended by one write (Linux writes at most about 2 GB at a time)


class AppendFile:
    """One file that any process appends bytes to, and reads back by their byte range."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.touch()
        self._fd: tuple[int, int] | None = None  # (pid, descriptor): a forked process opens its own
        self._closer: weakref.finalize[Any, Any] | None = None

    def append(self, data: bytes | memoryview) -> tuple[int, int]:
        """Append ``data``: its byte range in the file."""
        size = len(data) if isinstance(data, bytes) else data.nbytes
        if not size:
            return 0, 0
        fd, view = self._descriptor(), memoryview(data).cast("B")
        # locked: no other process appends between the writes of a large append, nor before its end is read
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            done = 0
            while done < size:
                n = os.write(fd, view[done : done + _ONE_WRITE])
                if n <= 0:
                    raise OSError(f"{self.path}: wrote {done} of {size} bytes")
                done += n
            end = os.lseek(fd, 0, os.SEEK_CUR)  # (O_APPEND: this descriptor's own write just ended here)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return end - size, end

    def pread(self, start: int, end: int) -> bytes:
        """The bytes ``start:end``."""
        if end <= start:
            return b""
        data = os.pread(self._descriptor(), end - start, start)
        if len(data) != end - start:
            raise OSError(f"{self.path}: read {len(data)} of {end - start} bytes at {start}")
        return data

    def pread_into(self, buffer: memoryview, start: int) -> None:
        """Fill ``buffer`` (bytes) with the file's bytes from ``start`` on."""
        fd, done = self._descriptor(), 0
        while done < buffer.nbytes:  # (one read returns at most about 2 GB)
            n = os.preadv(fd, [buffer[done:]], start + done)
            if n <= 0:
                raise OSError(f"{self.path}: read {done} of {buffer.nbytes} bytes at {start}")
            done += n

    def _descriptor(self) -> int:
        pid = os.getpid()
        if self._fd is None or self._fd[0] != pid:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
            self._fd = (pid, fd)
            # (closed when this object goes: a copy sent to a Dask worker, one per map, closes its own)
            self._closer = weakref.finalize(self, _close_if_mine, pid, fd)
        return self._fd[1]

    def __getstate__(self) -> dict[str, Any]:
        """Sent to another process (a Dask worker), it goes without this process's descriptor: a pid can repeat
        on another machine, and a descriptor number means nothing there."""
        return {**self.__dict__, "_fd": None, "_closer": None}

    def move(self, path: Path) -> None:
        """Move the file to ``path`` (a rename: descriptors already open stay good; a process that opens
        one later opens it there)."""
        os.replace(self.path, path)
        self.path = path

    def close(self) -> None:
        """Close this process's descriptor (the file stays)."""
        if self._closer is not None:
            self._closer()  # (once: the finalizer is then dead)
        self._fd, self._closer = None, None


def _close_if_mine(pid: int, fd: int) -> None:
    if os.getpid() == pid:  # (a forked child holds the finalizer too: the descriptor is its parent's)
        with contextlib.suppress(OSError):
            os.close(fd)


class ArrayFile(AppendFile):
    """A :class:`~dupdetect.model.stage.PartStore` on disk: workers append their arrays, the caller reads
    back a slice of one at a time (a ``pread`` of just those bytes). As a context (``with ArrayFile(path) as
    parts:``) it is a passing file, removed when the block ends."""

    def __enter__(self) -> ArrayFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def put(self, values: npt.NDArray[Any]) -> Part:
        flat = np.ascontiguousarray(values).reshape(-1)
        start, _ = self.append(flat.data.cast("B"))
        return StoredArray(start, len(flat), flat.dtype.str)

    def get(self, part: Part, lo: int = 0, hi: int | None = None) -> npt.NDArray[Any]:
        if not isinstance(part, StoredArray):
            return part[lo:hi]
        lo, hi, _ = slice(lo, hi).indices(part.length)
        out = np.empty(max(0, hi - lo), dtype=np.dtype(part.dtype))
        if len(out):
            self.pread_into(out.data.cast("B"), part.offset + lo * out.itemsize)
        return out
