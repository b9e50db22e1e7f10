"""The exception tree of dupdetect.

::

    DupdetectError            every error the library raises on purpose
    ├── ConfigError           a setting is out of range or inconsistent
    ├── InputError            an input cannot be read or decoded
    │   └── DecodeError       the bytes are in no encoding we can recognise
    └── WorkerError           a stage's work failed on an item (a bug): which stage, which document

Per-file input problems never abort a scan: ``ingest`` turns them into
:class:`~dupdetect.model.types.ScanWarning` records and skips the file. The CLI turns a
``DupdetectError`` that does escape into one line on stderr and an exit code.
"""

from __future__ import annotations


class DupdetectError(Exception):
    """Base class of every error dupdetect raises on purpose."""


class ConfigError(DupdetectError, ValueError):
    """A configuration value is out of range or inconsistent with another."""


class LabelsError(DupdetectError, ValueError):
    """A labels file is not in the labels format (docs/LABELS.md): the message says what is wrong where."""


class InputError(DupdetectError):
    """An input file or record cannot be read."""


class DecodeError(InputError):
    """The bytes of an input are in no encoding dupdetect can recognise."""


class WorkerError(DupdetectError):
    """A stage's per-item work raised an error it did not mean to (a bug, not bad input): the message names
    the stage and the document it was working on, in whichever process (a worker, a Dask worker) it ran."""
