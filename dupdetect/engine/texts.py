"""The corpus's texts on disk, read back one at a time: never all of them in a process's memory.

A million speeches are about six gigabytes of Python strings; a scan needs
each text only when a worker cleans, normalises or reads the slots of its
document, and the views only for the documents they show. So the engine
writes every text to one file of its scratch folder as it reads the corpus
(UTF-16, two bytes a Chinese character, against three in UTF-8) and keeps
three integers a text: where it starts and ends in the file, and its length
in characters. Reading one back is a ``pread`` and a decode (microseconds);
the file's pages are the kernel's cache, in no process's memory.

Any process may add texts (a cleaning worker adds the speeches it cuts out of
a compilation page): it is an :class:`~dupdetect.engine.appendfile.AppendFile`.
Layout: docs/FORMATS.md.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

import numpy as np

from dupdetect.engine.appendfile import AppendFile
from dupdetect.engine.columnar import Table
from dupdetect.model.types import IntArray

_CODEC = "utf-16-le"


class TextFile(AppendFile):
    """One file texts are appended to, by any process, and read back by their byte range."""

    def add(self, text: str) -> tuple[int, int]:
        """Append ``text``: its byte range in the file."""
        return self.append(text.encode(_CODEC, "surrogatepass"))

    def read(self, start: int, end: int) -> str:
        """The text at bytes ``start:end``."""
        return self.pread(start, end).decode(_CODEC, "surrogatepass")


class TextTable(Table[str]):
    """Texts of a :class:`TextFile` by index: ``table[i]`` reads text ``i`` from the file.

    Three ``int64`` arrays: each text's byte range and its length in characters.
    """

    def __init__(self, file: TextFile, starts: IntArray, ends: IntArray, lengths: IntArray) -> None:
        self.file = file
        self.starts, self.ends, self._lengths = starts, ends, lengths

    @classmethod
    def of(cls, file: TextFile, texts: Iterable[str]) -> TextTable:
        """``texts`` appended to ``file``, a table of them (each read once, none kept)."""
        builder = TextTableBuilder(file)
        for text in texts:
            builder.add(text)
        return builder.table()

    def __len__(self) -> int:
        return len(self._lengths)

    def _item(self, i: int) -> str:
        return self.file.read(int(self.starts[i]), int(self.ends[i]))

    def lengths(self) -> IntArray:
        """Every text's length in characters, without reading one."""
        return self._lengths

    def shared(self, share: Callable[[IntArray], IntArray]) -> TextTable:
        """The same table, its arrays made by ``share`` (``local.by_file``: files a Dask worker maps by name)."""
        return TextTable(self.file, share(self.starts), share(self.ends), share(self._lengths))

    def subset(self, which: Iterable[int]) -> TextTable:
        """The texts ``which``, in that order, as a table over the same file."""
        index = np.fromiter(which, dtype=np.int64)
        return TextTable(self.file, self.starts[index], self.ends[index], self._lengths[index])


class TextTableBuilder:
    """A :class:`TextTable` made a text at a time (its ranges in compact arrays until it is done)."""

    def __init__(self, file: TextFile) -> None:
        self.file = file
        self._starts, self._ends, self._lengths = array("q"), array("q"), array("q")

    def add(self, text: str) -> int:
        """Append ``text`` to the file: its index in the table."""
        start, end = self.file.add(text)
        return self.place(start, end, len(text))

    def place(self, start: int, end: int, length: int) -> int:
        """A text already in the file (at bytes ``start:end``, ``length`` characters): its index in the table."""
        self._starts.append(start)
        self._ends.append(end)
        self._lengths.append(length)
        return len(self._lengths) - 1

    def table(self) -> TextTable:
        """The texts added so far."""
        starts, ends, lengths = (np.array(a, dtype=np.int64) for a in (self._starts, self._ends, self._lengths))
        return TextTable(self.file, starts, ends, lengths)
