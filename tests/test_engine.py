"""The pool: every task runs once, results come back, pools are replaced after their share."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from ldn_i18n import engine


def whoami(n: int) -> tuple[int, int]:
    return n, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
def test_every_task_once_and_workers_recycled(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    monkeypatch.setattr(engine, "TASKS_PER_WORKER", 3)
    results = list(engine.run_parallel(whoami, list(range(13)), workers))
    assert sorted(n for n, _ in results) == list(range(13))
    per_process = Counter(pid for _, pid in results)
    assert os.getpid() not in per_process  # more tasks than one worker may do: none ran in the parent
    assert max(per_process.values()) <= workers * 3  # each pool lives for one share only


def test_small_jobs_stay_in_process() -> None:
    assert {pid for _, pid in engine.run_parallel(whoami, [1, 2, 3], 1)} == {os.getpid()}


def fails(n: int) -> int:
    raise ValueError(f"bad task {n}")


def dies(n: int) -> int:
    os._exit(3)


def test_a_task_aside_runs_in_its_own_process_while_this_one_goes_on() -> None:
    aside = engine.start_aside(whoami, 7)
    n, pid = aside.result()
    assert n == 7 and pid != os.getpid()


def test_a_task_aside_gives_back_its_error_or_its_death() -> None:
    with pytest.raises(ValueError, match="bad task 2"):
        engine.start_aside(fails, 2).result()
    with pytest.raises(ChildProcessError, match="exit code 3"):
        engine.start_aside(dies, 0).result()


def frozen_objects(n: int) -> int:
    import gc

    return gc.get_freeze_count()


def test_workers_leave_what_they_inherited_to_the_parent_s_memory() -> None:
    import gc

    in_workers = list(engine.run_parallel(frozen_objects, [1, 2, 3], 2))
    assert min(in_workers) > 1000  # the collector of a worker never walks (writes) them
    assert engine.start_aside(frozen_objects, 0).result() > 1000
    assert gc.get_freeze_count() == 0  # this process collects them again
