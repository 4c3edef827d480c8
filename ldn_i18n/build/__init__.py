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

A released translation (``--release``, final) also gets its translation
record, ``dist/<tag>/<handout>.record.json`` and ``.record.html``
(:func:`~ldn_i18n.review.policy.edition_record`): outputs of the edition like
its page and PDF, so a later build that is not a release removes them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..errors import LdnError
from ..manifest import PUBLISHED, build_lock
from ..project import SOURCE_LOCALE, Project
from .make import created_date, make_edition
from .plan import Builder
from .results import (
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
    is_test_locale,
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
    "build",
    "created_date",
    "format_of",
    "href_of",
    "is_record",
    "is_test_locale",
    "make_edition",
]


def build(
    project: Project,
    locales: list[str] | None = None,
    formats: tuple[str, ...] = FORMATS,
    release: bool = False,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_result: Callable[[EditionResult], None] | None = None,
    with_pseudo: bool = False,
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

    Raises :class:`LdnError` only for unusable options (an unknown format or
    locale); bad input of one edition fails that edition in the report.
    """
    started = time.perf_counter()
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise LdnError(f"unknown format {sorted(unknown)[0]!r} (use html, pdf, large)")
    formats = tuple(f for f in FORMATS if f in formats)
    if not formats:
        raise LdnError("no output format given (use html, pdf, large)")
    available = [SOURCE_LOCALE] + [loc for loc in project.edition_locales() if loc != SOURCE_LOCALE]
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    selected = [loc for loc in available if not locales or loc in locales]
    with build_lock(project):
        builder = Builder(project, available, selected, formats, release, force, jobs, on_result)
        builder.with_pseudo = with_pseudo
        results = builder.run()
    return BuildReport(results, time.perf_counter() - started, builder.errors, builder.warnings)
