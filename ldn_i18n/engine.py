"""PDFs in parallel: :func:`render_pdfs` (jobs -> results, as each finishes).

A process pool with one worker per core; each worker has WeasyPrint imported
once (forked from a parent that imported it, or importing it on start where
fork is not available) and renders many documents, writing each PDF itself,
atomically. With one worker, or one job, everything stays in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from .errors import LdnError


@dataclass(frozen=True, slots=True)
class PdfJob:
    """One PDF to render."""

    key: str
    """The edition, ``<locale>/<handout>``."""
    html: str
    """The page to print."""
    target: Path
    """Where the PDF goes."""
    root: Path
    """The project: the only folder the renderer may read from."""


@dataclass(frozen=True, slots=True)
class PdfDone:
    """What became of one job."""

    key: str
    """The edition, ``<locale>/<handout>``."""
    pages: int = 0
    """Pages of the PDF."""
    error: str | None = None
    """Why it failed; None when the PDF was written."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def render_one(job: PdfJob) -> PdfDone:
    """Render and write one PDF; failures are returned, not raised."""
    from .files import write_atomic
    from .pdf import render_pdf

    try:
        data, pages = render_pdf(job.html, job.target.parent, job.root, job.key)
    except LdnError as exc:
        return PdfDone(job.key, error=str(exc))
    write_atomic(job.target, data)
    return PdfDone(job.key, pages)


def _warm() -> None:
    import weasyprint  # noqa: F401  (a spawned worker pays the import once, up front)


def render_pdfs(jobs: list[PdfJob], workers: int) -> Iterator[PdfDone]:
    """Render every job on up to ``workers`` processes; yield each result as it finishes."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield render_one(job)
        return
    import weasyprint  # noqa: F401  (forked workers inherit it)

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                               initializer=_warm)
    try:
        # Longest pages first, so no core idles at the end waiting on a big one.
        pending = {pool.submit(render_one, job) for job in sorted(jobs, key=lambda j: -len(j.html))}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
