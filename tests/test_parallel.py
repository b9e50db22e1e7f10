from __future__ import annotations

import os

import numpy as np
import pytest

from dupdetect.engine.local import MIN_ITEMS, pmap


def _square_plus(shared: int, item: int) -> tuple[int, int]:
    return item * item + shared, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2])
def test_pmap_keeps_order_and_reports_progress_to_the_end(jobs: int) -> None:
    items = list(range(MIN_ITEMS * 3))
    seen: list[tuple[int, int]] = []
    out = pmap(_square_plus, items, shared=5, jobs=jobs, on_done=lambda done, total: seen.append((done, total)))
    assert [value for value, _ in out] == [i * i + 5 for i in items]
    assert seen[-1] == (len(items), len(items))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    workers = {pid for _, pid in out}
    assert (os.getpid() in workers) == (jobs == 1)


def test_chunks_by_cost_send_an_expensive_item_alone_and_keep_the_results_in_order() -> None:
    from dupdetect.engine.local import MAX_CHUNK, _chunk_bounds

    costs = [6000, 5000, 4000] + [2] * 3000 + [900] + [1] * 500
    bounds = _chunk_bounds(len(costs), 2, costs)
    assert [lo for lo, _ in bounds] == [0] + [hi for _, hi in bounds[:-1]] and bounds[-1][1] == len(costs)
    assert bounds[:3] == [(0, 1), (1, 2), (2, 3)]  # the three big ones alone
    assert all(0 < hi - lo <= MAX_CHUNK for lo, hi in bounds)
    assert _chunk_bounds(0, 2, []) == [] and _chunk_bounds(5, 2, [0] * 5) == [(0, 5)]
    items = list(range(len(costs)))
    out = pmap(_square_plus, items, shared=1, jobs=2, costs=costs)
    assert [value for value, _ in out] == [i * i + 1 for i in items]
    assert os.getpid() not in {pid for _, pid in out}  # (run by the workers)


def test_settled_blocks_freeze_what_exists_and_hand_it_back_when_the_outermost_ends() -> None:
    import gc

    from dupdetect.engine.local import settle, settled

    gc.collect()
    before = gc.get_freeze_count()
    with settled():
        kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() > before  # what existed on entry
        frozen = gc.get_freeze_count()
        settle()
        assert gc.get_freeze_count() >= frozen + len(kept)  # ... and what settle() was asked to freeze
        with settled():
            pass
        assert gc.get_freeze_count() >= frozen + len(kept)  # an inner block hands nothing back
    assert gc.get_freeze_count() == before
    settle()  # outside a block: nothing is frozen
    assert gc.get_freeze_count() == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_pmap_leaves_the_collector_as_it_found_it(jobs: int) -> None:
    import gc

    before = gc.get_freeze_count()
    pmap(_square_plus, list(range(MIN_ITEMS * 2)), shared=0, jobs=jobs)
    assert gc.isenabled() and gc.get_freeze_count() == before
    gc.disable()
    try:
        pmap(_square_plus, list(range(MIN_ITEMS * 2)), shared=0, jobs=jobs)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _write_square(shared: object, item: int) -> None:
    out = shared
    assert isinstance(out, np.ndarray)
    out[item] = item * item


@pytest.mark.parametrize("jobs", [1, 2])
def test_what_workers_write_into_a_shared_array_the_parent_sees(jobs: int) -> None:
    from dupdetect.engine.local import shared_array

    out = shared_array((MIN_ITEMS * 2,), np.int64)
    assert not out.any()
    pmap(_write_square, list(range(len(out))), shared=out, jobs=jobs)
    assert out.tolist() == [i * i for i in range(len(out))]


def _collector_on(shared: object, item: int) -> bool:
    import gc

    return gc.isenabled()


def test_workers_collect_their_own_garbage_while_the_parent_pauses() -> None:
    assert all(pmap(_collector_on, list(range(MIN_ITEMS * 2)), shared=None, jobs=2))


def _slow_pid(shared: object, item: int) -> int:
    import time

    time.sleep(0.001)
    return os.getpid()


def _batch_of_squares(shared: int, batch: list[int]) -> list[tuple[int, int, int]]:
    return [(item * item + shared, len(batch), os.getpid()) for item in batch]


@pytest.mark.parametrize("jobs", [1, 2])
def test_pmap_batches_calls_once_per_chunk_and_keeps_order(jobs: int) -> None:
    from dupdetect.engine.local import MAX_CHUNK, pmap_batches

    items = list(range(MAX_CHUNK * 3 + 5))
    seen: list[tuple[int, int]] = []
    out = pmap_batches(_batch_of_squares, items, shared=1, jobs=jobs, on_done=lambda d, t: seen.append((d, t)))
    assert [value for value, _, _ in out] == [i * i + 1 for i in items]
    assert all(1 < size <= MAX_CHUNK for _, size, _ in out)  # called on chunks, not item by item
    assert seen[-1] == (len(items), len(items)) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert (os.getpid() in {pid for _, _, pid in out}) == (jobs == 1)
