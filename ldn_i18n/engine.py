"""Work in parallel: :func:`run_parallel` (function, tasks -> results, as each finishes).

A process pool with one worker per core. On Linux the workers are forked
from the parent, so what the parent loaded before (WeasyPrint, fonts, the
project's shared files) is loaded once and shared; elsewhere each worker runs
``initializer`` once. With one worker, or one task, everything stays in this
process.

No worker does more than :data:`TASKS_PER_WORKER` tasks: WeasyPrint's native
memory (Pango, HarfBuzz) grows by about 0.25 MiB per document and Python's
garbage collector cannot return it, so a long build goes on with fresh
workers, forked again from the warm parent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
#: Documents one process renders before it is replaced (bounds its memory).
TASKS_PER_WORKER = 100


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_parallel(
    function: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``function(task)`` for every task on up to ``workers`` processes, yielded as each ends."""
    workers = max(1, min(workers, len(tasks)))
    if workers == 1 and len(tasks) <= TASKS_PER_WORKER:
        for task in tasks:
            yield function(task)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    forked = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forked else "spawn")
    share = workers * TASKS_PER_WORKER
    for start in range(0, len(tasks), share):  # a fresh pool per share of tasks
        batch = tasks[start : start + share]
        pool = ProcessPoolExecutor(
            max_workers=min(workers, len(batch)),
            mp_context=context,
            initializer=None if forked else initializer,
            initargs=() if forked else initargs,
        )
        try:
            pending = {pool.submit(function, task) for task in batch}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
