"""Work in parallel: :func:`run_parallel` (function, tasks -> results, as each finishes), and
:func:`start_aside` (one task in a process of its own while this one goes on).

A process pool with one worker per core. On Linux the workers are forked
from the parent, so what the parent loaded before (WeasyPrint, fonts, the
project's shared files) is loaded once and shared; elsewhere each worker runs
``initializer`` once. With one worker, or one task, everything stays in this
process.

No worker does more than :data:`TASKS_PER_WORKER` tasks: WeasyPrint's native
memory (Pango, HarfBuzz) grows by about 0.25 MiB per document and Python's
garbage collector cannot return it, so a long build goes on with fresh
workers, forked again from the warm parent.

A worker never outlives the build: each one first asks the kernel to send it
SIGTERM when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``), then checks
that its parent is still the process that started it, in case the parent died
before that request took effect. Where ``prctl`` is missing, a daemon thread
in the worker watches the parent id instead.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
#: Documents one process renders before it is replaced (bounds its memory).
TASKS_PER_WORKER = 100
#: ``PR_SET_PDEATHSIG`` from <linux/prctl.h>.
_PR_SET_PDEATHSIG = 1
#: Seconds between checks of the parent where the kernel cannot signal its death.
_WATCH_INTERVAL = 1.0


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _ask_for_death_signal() -> bool:
    """Have the kernel send this process SIGTERM when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Leave as soon as the parent is gone (a daemon thread, where prctl is missing)."""
    while os.getppid() == parent:
        time.sleep(_WATCH_INTERVAL)
    os._exit(1)


def _start_worker(parent: int, initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """Every worker's first step: die with ``parent``, then run ``initializer`` (if any)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a handler forked from the parent must not keep it alive
    if not _ask_for_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="ldn-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def _frozen() -> Iterator[None]:
    """Processes forked in the block find every object that exists now out of reach of Python's
    collector (``gc.freeze``): a worker's collections then never write to the objects it
    inherited, so their memory pages stay shared with the parent instead of being copied into
    each worker on its first collection (about 0.4 s of a clean build's 5 on two cores). This
    process collects them again after the block."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_parallel(
    function: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[R]:
    """``function(task)`` for every task on up to ``workers`` processes, yielded as each ends.

    ``meanwhile`` runs once in this process after the workers have started (forked) and
    before their results are awaited: work of the parent's own that overlaps theirs.

    Call it from the thread that lives as long as the workers (the kernel's
    parent-death signal follows the thread that started them).
    """
    workers = max(1, min(workers, len(tasks)))
    if workers == 1 and len(tasks) <= TASKS_PER_WORKER:
        if meanwhile is not None:
            meanwhile()
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
            initializer=_start_worker,
            initargs=(os.getpid(), None, ()) if forked else (os.getpid(), initializer, initargs),
        )
        try:
            with _frozen():  # the first submit forks every worker
                pending = {pool.submit(function, task) for task in batch}
            if meanwhile is not None:  # the workers are forked: this process does its own part
                meanwhile()
                meanwhile = None
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class Aside:
    """One task running in a process of its own (:func:`start_aside`)."""

    def __init__(self, process: Any, connection: Any):
        self._process = process
        self._connection = connection

    def result(self) -> Any:
        """Wait for the task's result; raises :class:`ChildProcessError` when its process died."""
        try:
            outcome, value = self._connection.recv()
        except EOFError:
            outcome, value = "died", None
        finally:
            self._connection.close()
            self._process.join()
        if outcome == "died":
            raise ChildProcessError(f"the process ended with exit code {self._process.exitcode}")
        if outcome == "raised":
            raise value
        return value


def _run_aside(
    connection: Any,
    parent: int,
    function: Callable[[Any], Any],
    task: Any,
    initializer: Callable[..., Any] | None,
    initargs: tuple[Any, ...],
) -> None:
    _start_worker(parent, initializer, initargs)
    try:
        connection.send(("returned", function(task)))
    except Exception as exc:
        connection.send(("raised", exc))
    connection.close()


def start_aside(
    function: Callable[[T], R],
    task: T,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Aside:
    """``function(task)`` in one process of its own, started (forked) now, while this process
    goes on with its own work; :meth:`Aside.result` waits for it. The process ends with its
    task, and with this process. No thread is left running here: a pool forked later is safe."""
    import multiprocessing

    forked = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forked else "spawn")
    receiving, sending = context.Pipe(duplex=False)
    setup = (None, ()) if forked else (initializer, initargs)
    process = context.Process(  # type: ignore[attr-defined]
        target=_run_aside, args=(sending, os.getpid(), function, task, *setup), daemon=True
    )
    with _frozen():
        process.start()
    sending.close()
    return Aside(process, receiving)
