"""The scan on a Dask cluster (``dupdetect scan --engine dask``): the same stages, their chunks run as Dask tasks.

Every stage already hands its per-item work to :func:`~dupdetect.engine.local.pmap` and its kin, in chunks
whose results come back in input order and do not depend on who runs them. Inside :func:`dask_engine` those
chunks become tasks of a ``dask.distributed`` client: each map's shared context is scattered to the workers
once (broadcast), each chunk is a task (:func:`~dupdetect.engine.local.run_chunk`), and the results are
gathered in order, so the report is the local engine's. The shared context reaches a worker pickled, not by
fork: the engine's files (texts, match keys, signatures, workers' partial arrays) are opened again by name
(they must be on a path every worker sees: the work folder or ``TMPDIR`` on a shared file system), and the
arrays workers write into are files mapped by both sides (``local.FileArray``).

Dask is an optional extra (``pip install dupdetect[dask]``): nothing imports it unless this module's
:func:`dask_engine` is entered.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from dupdetect.engine.local import default_jobs, executing, run_chunk, tune_malloc
from dupdetect.model.errors import ConfigError


@contextmanager
def dask_engine(scheduler: str | None = None, *, workers: int | None = None) -> Iterator[Any]:
    """Run the scans inside the block on a Dask cluster: the one at ``scheduler`` (``tcp://host:8786``), else
    a ``LocalCluster`` of ``workers`` processes (default: every core) with one thread each. Yields the client."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("--engine dask needs Dask: pip install 'dupdetect[dask]'") from None
    with ExitStack() as stack:
        if scheduler is None:
            n = workers or default_jobs()
            local = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
            cluster = stack.enter_context(local)
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        else:
            try:
                # (waits as long as Dask's distributed.comm.timeouts.connect says: 30 s unless set)
                client = stack.enter_context(Client(scheduler))  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError) as exc:  # (ValueError: not an address)
                raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        stack.enter_context(executing(_Chunks(client)))
        yield client


class _Chunks:
    """The executor :func:`~dupdetect.engine.local.executing` is handed: a map's chunks as Dask tasks."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def check_folder(self, folder: Path) -> None:
        """That every worker reads a file written to ``folder``; else one line naming the first that does not."""
        if not self.client.scheduler_info().get("workers"):  # (a cluster whose workers are still starting)
            self.client.wait_for_workers(1)
        token = secrets.token_hex(8)
        probe = folder / f"worker-probe-{token}.txt"
        probe.write_text(token, encoding="utf-8")
        try:
            seen = self.client.run(_read_probe, str(probe))
        finally:
            probe.unlink(missing_ok=True)
        for worker, said in sorted(seen.items()):
            if said != token:
                why = said.removeprefix("error: ") if said.startswith("error: ") else "it reads another file there"
                raise ConfigError(
                    f"the Dask worker {worker} cannot read this run's folder {folder} ({why}): put --work, or "
                    "TMPDIR, on a file system every worker mounts at the same path"
                )

    def __call__(
        self,
        fn: Callable[..., Any],
        chunks: list[Sequence[Any]],
        shared: Any,
        mode: str,
        on_chunk: Callable[[int], None],
    ) -> list[Any]:
        client = self.client
        # (one object: a tuple or dict would be scattered as its items, arrays by Dask's own serializer)
        [context] = client.scatter([shared], broadcast=True, hash=False)
        # a window of chunks in flight, a few a worker: a worker holds the results of at most that many chunks
        # the client has not fetched yet, whatever the number of chunks (a chunk's memory is its partition's)
        window = max(2, AHEAD * sum(client.nthreads().values()))
        futures: list[Any] = []
        try:
            out: list[Any] = []
            for at, chunk in enumerate(chunks):  # (in order, whoever ran what)
                while len(futures) < min(len(chunks), at + window):
                    futures.append(client.submit(_task, fn, context, mode, chunks[len(futures)], pure=False))
                out.extend(futures[at].result())
                futures[at] = None  # (its result let go of on the worker: workers hold only what is not fetched)
                on_chunk(len(chunk))
            return out
        finally:
            client.cancel([context, *(f for f in futures if f is not None)])


AHEAD = 4
"""Chunks in flight a worker thread: enough that no worker waits for the client, few enough that the results
a worker holds stay a few chunks' worth."""


def _read_probe(path: str) -> str:
    """Worker side: what the probe file holds, or why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        return f"error: {exc.strerror or exc}"


def _task(fn: Callable[..., Any], shared: Any, mode: str, chunk: Sequence[Any]) -> list[Any]:
    """Worker side: one chunk (glibc's allocator set for numpy's large temporaries first)."""
    tune_malloc()
    return run_chunk(fn, shared, mode, chunk)
