"""Work in parallel: :func:`run_parallel` (function, tasks -> results, as each finishes).

A process pool with one worker per core. On Linux the workers are forked
from the parent, so what the parent loaded before (WeasyPrint, fonts, the
project's shared files) is loaded once and shared; elsewhere each worker runs
``initializer`` once. With one worker, or one task, everything stays in this
process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_parallel(function: Callable[[T], R], tasks: Sequence[T], workers: int,
                 initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> Iterator[R]:
    """``function(task)`` for every task on up to ``workers`` processes, yielded as each ends."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield function(task)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    forked = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forked else "spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context,
                               initializer=None if forked else initializer,
                               initargs=() if forked else initargs)
    try:
        pending = {pool.submit(function, task) for task in tasks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
