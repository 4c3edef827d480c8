"""Stage 5, build: :func:`build` writes ``dist/<lang>/<handout>.html``, ``.pdf`` and ``.large.pdf``.

English comes from the source itself; every locale with a catalog gets an
edition. An edition whose inputs did not change since the last build is not
made again (``dist/editions.json``); each of the others is composed, written
as HTML and printed to PDF by a worker process (:mod:`ldn_i18n.engine`).
Files are written atomically.

The large-print PDF (format ``large``, :data:`LARGE_SUFFIX`) is a second
layout of the same page with ``templates/large-print.css.j2`` added: an
output of its edition like the others, with a page budget of
:data:`LARGE_PRINT_PAGES` times the handout's ``pages:``.

Bad input fails only its own edition: a broken catalog or handout, a locale
folder that is not a locale, even a bug met while making one edition. The
others are still built, and the index and the record are still written.

Whatever subset a build makes (``--locale``), ``dist/`` holds exactly the
editions the record describes, the index lists each of them, and every page
links to every other edition of its handout that is there: the links are part
of an edition's inputs, so a page whose set of links changed is made again,
also in a locale that was not selected. Files of editions that no longer
exist, failed or (with ``--release``) are drafts are removed. Two builds of
one tree take turns (:func:`~ldn_i18n.manifest.build_lock`).

On several machines (a CI matrix), ``build(shard=(K, N))`` makes share K of
the N shares of the editions (:func:`~.plan.assign`) and
:func:`~.merge.merge` puts the shards' ``dist/`` folders together into one,
as if one machine had built everything.

A released translation (``--release``, final) also gets its release record,
``records/<tag>/<handout>/<edition date>.json`` and ``.html``
(:mod:`ldn_i18n.review.record`): kept in the repository, outside ``dist/``, so
no build removes it. A release of an edition whose language-assistance notice
lacks a language fails unless the policy says ``notice: signed-only``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..errors import LdnError
from ..manifest import PUBLISHED, build_lock
from ..project import Project, is_test_locale
from .builder import Builder
from .make import created_date, make_edition
from .merge import MergeReport, merge
from .plan import assign, assignment, check_formats, check_shard, parse_shard, select_locales
from .results import (
    DEFAULT_FORMATS,
    FORMATS,
    KEPT_FOLDERS,
    LARGE_PRINT_PAGES,
    LARGE_SUFFIX,
    RECORD_SUFFIX,
    BuildReport,
    EditionResult,
    format_of,
    href_of,
    is_record,
)

__all__ = [
    "FORMATS",
    "KEPT_FOLDERS",
    "LARGE_PRINT_PAGES",
    "LARGE_SUFFIX",
    "PUBLISHED",
    "RECORD_SUFFIX",
    "BuildReport",
    "EditionResult",
    "MergeReport",
    "assign",
    "assignment",
    "build",
    "created_date",
    "format_of",
    "href_of",
    "is_record",
    "is_test_locale",
    "make_edition",
    "merge",
    "parse_shard",
]


def default_formats(project: Project) -> tuple[str, ...]:
    """What a build makes unless told: :data:`DEFAULT_FORMATS`, and ``bilingual`` when the clinic
    file says ``bilingual: true`` (a clinic file that cannot be read: its editions report it)."""
    try:
        bilingual = project.load_clinic().bilingual
    except LdnError:
        bilingual = False
    return DEFAULT_FORMATS + (("bilingual",) if bilingual else ())


def build(
    project: Project,
    locales: list[str] | None = None,
    formats: tuple[str, ...] | None = None,
    release: bool = False,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_result: Callable[[EditionResult], None] | None = None,
    with_pseudo: bool = False,
    shard: tuple[int, int] | None = None,
) -> BuildReport:
    """Build every edition of every handout in ``locales`` (default: all) and the index.

    Editions whose inputs did not change are kept unless ``force``; the others
    are made on ``jobs`` processes (default: every core). With ``release``,
    only final editions are written; drafts are reported as skipped, with
    their reasons, and no draft of any locale is left in ``dist/``. Editions
    of other locales are made again only when the set of editions their
    page links to changed. ``on_result`` hears of each edition as it is
    finished (an edition made twice, because an edition it linked to failed,
    is heard of twice). The index leaves out pseudo- and test locales
    (:func:`is_test_locale`) unless ``with_pseudo``; their editions are built
    all the same.

    With ``shard=(K, N)`` only share K of the N shares of the selected editions
    is made and recorded (:func:`assign`, by the seconds each took at its last
    build, else an estimate), each page linking to every edition of the whole
    build that is expected in ``dist/``; the index and the notice are left to
    :func:`merge`, which assembles the N shares.

    Raises :class:`LdnError` only for unusable options (an unknown format or
    locale, a shard that is not K/N with 1 <= K <= N); bad input of one
    edition fails that edition in the report.
    """
    started = time.perf_counter()
    formats = check_formats(formats if formats is not None else default_formats(project))
    if shard is not None:
        check_shard(shard)
    available, selected = select_locales(project, locales)
    with build_lock(project):
        builder = Builder(project, available, selected, formats, release, force, jobs, on_result, shard)
        builder.plan.with_pseudo = with_pseudo
        results = builder.run()
    return BuildReport(results, time.perf_counter() - started, builder.plan.errors, builder.plan.warnings)
