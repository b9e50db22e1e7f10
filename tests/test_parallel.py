from __future__ import annotations

import os

import pytest

from dupdetect.parallel import MIN_ITEMS, pmap


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
