"""Making one edition, in a worker process: :func:`make_edition`; :func:`~.preview.preview_edition` for the
workbench's preview, in its own process.

A worker composes the edition (:mod:`ldn_i18n.edition`), renders its page and
prints its PDFs (:mod:`ldn_i18n.render`, :mod:`ldn_i18n.pdf`) and writes its
files atomically; with ``--release`` a final edition also gets its release
record in ``records/`` (:mod:`ldn_i18n.review.record`). What the editions of
one build share (:class:`Shared`: handouts, clinic, references, policy,
catalogs) is loaded once in the parent before the workers fork (:func:`serving`).
"""

from __future__ import annotations

import math
import os
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clinic import Clinic
from ..errors import LdnError
from ..files import write_atomic
from ..notice import ANCHOR
from ..project import NOTICE_DOMAIN, SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from .results import LARGE_PRINT_PAGES, LARGE_SUFFIX, EditionResult, fail, page_budget

if TYPE_CHECKING:  # the rest loads only when an edition has to be made
    from ..catalogs import CatalogStatus
    from ..edition import Edition
    from ..gate import Gate
    from ..library import Library
    from ..notice import Notice
    from ..pdf import Printed
    from ..pofiles import ProjectCatalog
    from ..policy import Policy
    from ..source import Handout
    from ..translations import Translations


def created_date(handout: Handout) -> str:
    """The date stamped into an edition: SOURCE_DATE_EPOCH, else the handout's edition date."""
    from ..files import source_date

    stamp = source_date()
    return stamp.date().isoformat() if stamp else str(handout.meta.get("edition") or "2000-01-01")


@dataclass
class Shared:
    """What the editions of one build share; loaded once, before the workers fork."""

    project: Project
    release: bool
    handouts: dict[str, Handout] = field(default_factory=dict)
    _clinic: Clinic | None = None
    _library: Library | None = None
    _policy: Policy | LdnError | None = None
    catalogs: dict[tuple[str, str], Any] = field(default_factory=dict)
    gates: dict[tuple[str, str], CatalogStatus | None] = field(default_factory=dict)
    _notice: Notice | LdnError | None | bool = False

    @property
    def clinic(self) -> Clinic:
        if self._clinic is None:
            self._clinic = self.project.load_clinic()
        return self._clinic

    @property
    def library(self) -> Library:
        if self._library is None:
            from ..library import load_library

            self._library = load_library(self.project.references_path)
        return self._library

    @property
    def policy(self) -> Policy:
        """The release policy, read once per process; a bad file raises its error each time asked."""
        if self._policy is None:
            from ..policy import read_policy

            try:
                self._policy = read_policy(self.project)
            except LdnError as exc:
                self._policy = exc
        if isinstance(self._policy, LdnError):
            raise self._policy
        return self._policy

    @property
    def notice(self) -> Notice | None:
        """The language-assistance notice every edition prints, composed once per build (in the
        parent, before the workers fork); None when the project has none. A notice file or clinic
        file that cannot be used raises its error each time asked; a tagline that cannot be used
        is left out of the notice, with why."""
        if self._notice is False:
            try:
                self._notice = self._compose_notice()
            except LdnError as exc:
                self._notice = exc
        if isinstance(self._notice, LdnError):
            raise self._notice
        return self._notice  # type: ignore[return-value]

    def _compose_notice(self) -> Notice | None:
        from ..gate import notice_gate
        from ..notice import compose_notice, read_notice

        source = read_notice(self.project)
        if source is None:
            return None
        catalogs: dict[str, ProjectCatalog | LdnError | None] = {}
        gates = {}
        for locale in self.clinic.notice_languages:
            try:
                catalogs[locale] = catalog = self.catalog(locale, NOTICE_DOMAIN)
                if catalog is not None:
                    gates[locale] = notice_gate(self.project, locale, self.gates, catalog, self.policy)
            except LdnError as exc:
                catalogs[locale] = exc.relative_to(self.project.root)
        notice = compose_notice(source, self.clinic, catalogs, gates, self.release)
        unusable = [(str(e.relative_to(self.project.root)), "") for e in self.clinic.notice_errors]
        return replace(notice, left_out=(*notice.left_out, *unusable))

    def prepare(
        self,
        tasks: list[EditionResult],
        jobs: int,
        meanwhile: Callable[[], object] | None = None,
        early: Callable[[], object] | None = None,
    ) -> None:
        """Read every catalog the build needs (the tasks' and the notice's) and compute each
        one's status once, on ``jobs`` processes, unless a build before kept the status of the
        same inputs (:func:`~ldn_i18n.catalogs.cached_status`); the parent keeps both, and the
        workers that make the editions, forked after, inherit them. A catalog that cannot be
        read is left for its editions to report. ``meanwhile`` is the parent's own work while
        it waits; ``early`` runs first when every status was kept (work that needs them all)."""
        from ..engine import run_parallel

        keys = [
            (task.locale, domain)
            for task in tasks
            if task.locale != SOURCE_LOCALE
            for domain in (task.handout, TEMPLATES_DOMAIN)
        ]
        if self.project.notice_path.is_file():
            try:
                keys += [(locale, NOTICE_DOMAIN) for locale in self.clinic.notice_languages]
            except LdnError:
                pass  # every edition reports the clinic file
        from ..catalogs import cached_status, keep_status, status_key

        wanted = []
        hashes = {}
        for key in dict.fromkeys(keys):
            if key in self.gates or not self.project.po_path(*key).is_file():
                continue
            hashes[key] = status_key(self.project, *key)
            kept = cached_status(self.project, *key, hashes[key])
            if kept is not None:  # the same catalog, sign-offs, rules and code as a build before
                self.gates[key] = kept
            else:
                wanted.append(key)
        with serving(self):
            if early is not None and not wanted:
                early()
            for key, catalog, status in run_parallel(
                read_status, wanted, jobs, start_worker, (str(self.project.root), self.release), meanwhile
            ):
                if status is not None:
                    self.catalogs[key], self.gates[key] = catalog, status
                    keep_status(self.project, hashes[key], status)

    def gate(self, locale: str, handout: str) -> Gate:
        """The release gate of ``handout`` in ``locale``, from catalog statuses computed once
        (by :meth:`prepare` in the parent, before the workers fork)."""
        from ..gate import edition_gate

        parsed = {domain: self.catalog(locale, domain) for domain in (handout, TEMPLATES_DOMAIN)}
        return edition_gate(self.project, locale, handout, self.gates, parsed, self.policy)

    def catalog(self, locale: str, domain: str) -> ProjectCatalog | None:
        """A catalog, read once per process; a broken one raises its error each time asked."""
        from ..pofiles import read_catalog

        key = (locale, domain)
        if key not in self.catalogs:
            path = self.project.po_path(locale, domain)
            try:
                self.catalogs[key] = read_catalog(path, locale) if path.is_file() else None
            except LdnError as exc:
                self.catalogs[key] = exc
        found = self.catalogs[key]
        if isinstance(found, LdnError):
            raise found
        return found  # type: ignore[no-any-return]


def read_status(key: tuple[str, str]) -> tuple[tuple[str, str], Any, CatalogStatus | None]:
    """One catalog (``(locale, domain)``) read and its status computed, in a worker; the status
    is None when the catalog cannot be read (its editions report why)."""
    from ..catalogs import catalog_status

    assert _RUN is not None, "read_status runs inside build()"
    try:
        catalog = _RUN.catalog(*key)
        return key, catalog, catalog_status(_RUN.project, key[0], key[1], catalog)
    except LdnError:
        return key, None, None


#: The run the workers serve; set in the parent before they fork (or by _start_worker).
_RUN: Shared | None = None


def start_worker(root: str, release: bool) -> None:
    """Where workers are spawned rather than forked: load the run once per worker."""
    global _RUN
    from ..project import load_project

    _RUN = Shared(load_project(root), release)


@contextmanager
def serving(run: Shared) -> Iterator[None]:
    """Make ``run`` what :func:`make_edition` serves while the block runs (workers fork inside it)."""
    global _RUN
    _RUN = run
    try:
        yield
    finally:
        _RUN = None


@dataclass(slots=True)
class NoticeJob:
    """Making the language-assistance notice alone (``dist/notice.html``, ``.pdf``) on a worker."""

    files: list[str]
    """The notice's files to write, by name in ``dist/``."""
    inputs: str
    """The hash they are made from (:meth:`~ldn_i18n.manifest.Fingerprints.notice`)."""
    warnings: list[str] = field(default_factory=list)
    """What the build says of the notice: taglines left out, a notice longer than a page."""
    error: str | None = None
    """Why the notice could not be made, as ``path:line: error: ...``; None when it was."""


def make(job: EditionResult | NoticeJob) -> EditionResult | NoticeJob:
    """Make one edition, or the notice's own files (in a worker process, or in this one)."""
    return make_notice(job) if isinstance(job, NoticeJob) else make_edition(job)


def make_notice(job: NoticeJob) -> NoticeJob:
    """Write the notice's files; bad input or a bug is the job's error, never raised."""
    from ..notice import ANCHOR, NOTICE_FILES, read_notice
    from ..render import render_notice

    assert _RUN is not None, "make_notice runs inside build()"
    run, dist = _RUN, _RUN.project.dist_dir
    try:
        notice, source = run.notice, read_notice(run.project)
        if notice is None or source is None:  # removed while building
            raise LdnError("the notice is gone", run.project.notice_path)
        page = render_notice(run.project.templates, notice, created_date(source), run.clinic)
        job.warnings = [f"language-assistance notice: {problem}" for problem in notice.problems()]
        for warning in run.clinic.notice_warnings:  # fewer languages than Section 1557 asks
            warning.relative_to(run.project.root)
            job.warnings.append(f"{warning.path}:{warning.line}: {warning.message}")
        html, pdf_name = NOTICE_FILES
        if pdf_name in job.files:
            from ..pdf import render_pdf

            pdf = render_pdf(page, dist, run.project.root, pdf_name, run.project.templates, ANCHOR)
            write_atomic(dist / pdf_name, pdf.data)
            if pdf.pages > 1:
                job.warnings.append(
                    f"language-assistance notice: dist/{pdf_name} takes {pdf.pages} pages; it must fit on one"
                )
        if html in job.files:
            write_atomic(dist / html, page)
    except LdnError as exc:
        job.error = str(exc.relative_to(run.project.root))
    except Exception as exc:
        job.error = f"notice: error: internal error: {type(exc).__name__}: {exc}"
    return job


def make_edition(task: EditionResult) -> EditionResult:
    """Make one edition's files (in a worker process, or in this one); never raises for one edition.

    Bad input (:class:`LdnError`) fails the edition with its message; any other
    exception is a bug, reported as ``internal error`` for this edition only.
    """
    assert _RUN is not None, "make_edition runs inside build()"
    started = time.perf_counter()
    try:
        result = _make(_RUN, task)
    except LdnError as exc:
        result = fail(task, str(exc.relative_to(_RUN.project.root)))
    except Exception as exc:
        result = fail(task, internal_error(task, exc))
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def internal_error(task: EditionResult, exc: BaseException) -> str:
    """The error text of a bug met while making one edition."""
    text = f"{task.key}: error: internal error: {type(exc).__name__}: {exc}"
    if os.environ.get("LDN_I18N_DEBUG"):
        return text + "\n" + traceback.format_exc().rstrip()
    return text + " (set LDN_I18N_DEBUG=1 for the traceback and report it)"


def _make(run: Shared, result: EditionResult) -> EditionResult:
    """Compose and render the edition, then write its files (none when any step fails)."""
    from ..references import check_keys, citation_order, printed_page
    from ..render import draft_notice, page_kind, render_html
    from ..source import read_handout

    project, formats = run.project, result.formats
    handout = run.handouts.get(result.handout) or read_handout(project.handouts_dir / f"{result.handout}.md")
    check_keys(handout, run.library)
    edition, ui = _compose(run, handout, result.locale, citation_order(handout), result.links)
    result.draft = edition.is_draft
    if run.release and edition.is_draft:
        result.skipped = (edition.gate.reasons() if edition.gate else []) or ["draft"]
        return result  # build() removes its old files
    out_dir = project.dist_dir / edition.lang
    notice = run.notice
    if run.release and edition.gate is not None:  # where its record goes, before any file is written
        from ..review.record import record_paths

        record_paths(project, edition.lang, handout)
    if (
        run.release
        and notice is not None
        and notice.left_out
        and run.policy.for_locale(result.locale).notice == "all"
    ):
        missing = ", ".join(locale for locale, _ in notice.left_out)
        result.skipped = [
            f"the language-assistance notice lacks {len(notice.left_out)} of its languages: {missing} "
            "(policy notice: all; `notice: signed-only` prints what is signed and records the rest)"
        ]
        return result
    from ..fonts import font_problem

    missing_face = font_problem(result.locale)  # a fallback face is said, never silent
    if missing_face:
        result.warnings.append(missing_face)
    bilingual = "bilingual" in formats and result.locale != SOURCE_LOCALE
    html = render_html(project.templates, edition, run.clinic, ui, notice=notice, bilingual=bilingual)
    result.title = edition.title_text
    result.notice = draft_notice(project.templates, edition) if edition.is_draft else ""
    files: list[tuple[Path, str | bytes]] = []
    if "html" in formats:
        files.append((out_dir / f"{handout.slug}.html", html))

    printed_pdfs: list[Printed] = []
    if "pdf" in formats:
        from ..pdf import render_pdf

        kind = page_kind("regular", run.clinic)
        printed = printed_page(html, edition.direction)
        pdf = render_pdf(printed, out_dir, project.root, result.key, project.templates, ANCHOR, kind)
        files.append((out_dir / f"{handout.slug}.pdf", pdf.data))
        printed_pdfs.append(pdf)
        result.pages = pdf.pages
        result.warnings += page_budget(pdf.before, pdf.pages, handout.pages or 0, notice)
    if "large" in formats:
        from ..pdf import render_pdf

        page = render_html(project.templates, edition, run.clinic, ui, variant="large", notice=notice)
        label = f"{result.key}{LARGE_SUFFIX}"
        kind = page_kind("large", run.clinic)
        printed = printed_page(page, edition.direction)
        large = render_pdf(printed, out_dir, project.root, label, project.templates, ANCHOR, kind)
        files.append((out_dir / f"{handout.slug}{LARGE_SUFFIX}", large.data))
        printed_pdfs.append(large)
        result.large_pages = large.pages
        budget = math.ceil(handout.pages * LARGE_PRINT_PAGES) if handout.pages else 0
        result.warnings += page_budget(
            large.before,
            large.pages,
            budget,
            notice,
            "large print: ",
            f"{LARGE_PRINT_PAGES} x pages: in its front matter",
            one_page=False,  # the notice in 18 pt takes what it takes
        )
    if bilingual:  # English and the language block by block (ldn_i18n.bilingual)
        from ..bilingual import BUDGET_RULE, make_bilingual

        english, _ = _compose(run, handout, SOURCE_LOCALE, citation_order(handout), [])
        made, both, budget = make_bilingual(project, english, edition, run.clinic, ui, notice)
        files, printed_pdfs, result.bilingual_pages = files + made, [*printed_pdfs, both], both.pages
        result.warnings += page_budget(both.before, both.pages, budget, notice, "bilingual: ", BUDGET_RULE)
    embedded = {font.font: font._asdict() for pdf in printed_pdfs for font in pdf.fonts}
    result.fonts = [embedded[name] for name in sorted(embedded)]
    for target, content in files:
        write_atomic(target, content)
    result.outputs = [target for target, _ in files]
    if run.release and edition.gate is not None:  # a released translation: what a clinic files
        result.record = [
            str(p.relative_to(project.root)) for p in _write_record(run, result, handout, edition, files)
        ]
    return result


def _write_record(
    run: Shared,
    result: EditionResult,
    handout: Handout,
    edition: Edition,
    files: list[tuple[Path, str | bytes]],
) -> list[Path]:
    """Write the record of a released edition under ``records/`` (JSON and its page); the files."""
    from .. import __version__
    from ..catalogs import catalog_status
    from ..review.record import edition_record, write_record

    project, locale = run.project, result.locale
    catalogs = {
        domain: catalog
        for domain in (handout.slug, TEMPLATES_DOMAIN)
        if (catalog := run.catalog(locale, domain)) is not None
    }
    statuses = {}
    for domain, catalog in catalogs.items():
        status = run.gates.get((locale, domain)) or catalog_status(project, locale, domain, catalog)
        if status is None:
            raise LdnError(f"no catalog {domain}.po", project.po_path(locale, domain))
        statuses[domain] = status
    notice = run.notice
    taglines = {
        t.locale: run.gates.get((t.locale, NOTICE_DOMAIN)) for t in (notice.taglines if notice else ())
    }
    record = edition_record(
        project,
        locale,
        handout,
        catalogs,
        statuses,
        notice,
        taglines,
        title=edition.title_text,
        version=__version__,
        content=result.content,
        inputs=result.inputs,
        outputs={path: data.encode("utf-8") if isinstance(data, str) else data for path, data in files},
    )
    return write_record(project, record, handout, edition.direction)


def _compose(
    run: Shared, handout: Handout, locale: str, keys: list[str], links: list[tuple[str, str]]
) -> tuple[Edition, Translations]:
    """One edition of ``handout``, with its release gate and links to the other editions."""
    from ..edition import compose
    from ..languages import language
    from ..pofiles import ProjectCatalog
    from ..references import format_references
    from ..translations import Translations

    ui = Translations(
        None if locale == SOURCE_LOCALE else run.catalog(locale, TEMPLATES_DOMAIN),
        run.project.po_path(locale, TEMPLATES_DOMAIN),
    )
    catalog = gate = None
    if locale != SOURCE_LOCALE:  # no catalog for this handout yet: all in English
        catalog = run.catalog(locale, handout.slug) or ProjectCatalog(locale=locale)
        gate = run.gate(locale, handout.slug)
        if gate.broken:  # a catalog tools read differently is never printed, not even as a draft
            first = gate.broken[0]
            raise LdnError(f"{first.code}: {first.message}", run.project.root / first.path, first.line)
    others = [
        {"lang": other.tag, "name": other.name, "direction": other.direction, "href": f"../{path}"}
        for other, path in ((language(loc), path) for loc, path in links)
    ]
    references = format_references(run.library, keys, locale)
    edition = compose(
        handout, locale, catalog, references, gate=gate, created=created_date(handout), others=others
    )
    return edition, ui
