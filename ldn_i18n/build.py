"""Stage 5, build: :func:`build` writes ``dist/<lang>/<handout>.html`` and ``.pdf`` for every edition.

English comes from the source itself; every locale with a catalog gets an
edition. An edition whose inputs did not change since the last build is not
made again (``dist/editions.json``); the others are composed here and their
PDFs rendered in parallel (:mod:`ldn_i18n.engine`). A broken catalog fails
only its own editions. Files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .edition import Edition, Translations, compose
from .engine import PdfJob, default_jobs, render_pdfs
from .errors import LdnError
from .files import write_atomic
from .gate import CatalogStatus, edition_gate
from .languages import language
from .manifest import BuildRecord, Fingerprints
from .pofiles import ProjectCatalog, read_catalog
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Clinic, Project
from .references import (
    Library, Reference, check_keys, citation_order, format_references, load_library,
    single_link_citations,
)
from .render import render_html, render_index
from .source import Handout, read_handout

log = logging.getLogger(__name__)
FORMATS = ("html", "pdf")


@dataclass(slots=True)
class EditionResult:
    """What became of one edition (handout x locale)."""

    handout: str
    """Handout slug."""
    locale: str
    """Babel locale identifier."""
    outputs: list[Path] = field(default_factory=list)
    """Files written or already up to date."""
    error: str | None = None
    """Why the edition failed; None when it was built."""
    draft: bool = False
    """Whether the edition is marked DRAFT."""
    skipped: list[str] = field(default_factory=list)
    """Why a release build did not publish the edition; empty when published."""
    pages: int = 0
    """Pages of the PDF, when one was made."""
    warnings: list[str] = field(default_factory=list)
    """Problems that do not stop the edition, e.g. overflowing its page budget."""
    reused: bool = False
    """True when the inputs had not changed and nothing was made again."""
    inputs: str = ""
    """Hash of the edition's inputs."""

    @property
    def key(self) -> str:
        return f"{self.locale}/{self.handout}"

    @property
    def state(self) -> str:
        if self.error:
            return "failed"
        return "not released" if self.skipped else "draft" if self.draft else "final"


@dataclass(slots=True)
class BuildReport:
    """The outcome of a build."""

    results: list[EditionResult]
    """One entry per edition, in build order."""
    seconds: float = 0.0
    """Wall time of the build."""

    @property
    def failed(self) -> list[EditionResult]:
        return [r for r in self.results if r.error]

    @property
    def skipped(self) -> list[EditionResult]:
        return [r for r in self.results if r.skipped and not r.error]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped

    def summary(self) -> str:
        built = len(self.results) - len(self.failed) - len(self.skipped)
        drafts = sum(r.draft for r in self.results if not r.error and not r.skipped)
        text = f"{built} editions built ({drafts} drafts), {len(self.failed)} failed"
        text += f", {len(self.skipped)} not released" if self.skipped else ""
        reused = sum(r.reused for r in self.results)
        return text + (f"; {reused} up to date" if reused else "") + f" in {self.seconds:.1f} s"


def created_date(handout: Handout) -> str:
    """The date stamped into an edition: SOURCE_DATE_EPOCH, else the handout's edition date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return str(handout.meta.get("edition") or "2000-01-01")


def _catalog(project: Project, locale: str, domain: str) -> ProjectCatalog | None:
    path = project.po_path(locale, domain)
    return read_catalog(path, locale) if path.is_file() else None


@dataclass
class _Run:
    """What one build shares across handouts (loaded only when something is rebuilt)."""

    project: Project
    selected: list[str]
    formats: tuple[str, ...]
    release: bool
    record: BuildRecord
    _clinic: Clinic | None = None
    _library: Library | None = None
    ui: dict[str, ProjectCatalog | None | LdnError] = field(default_factory=dict)
    gates: dict[tuple[str, str], CatalogStatus | None] = field(default_factory=dict)

    @property
    def clinic(self) -> Clinic:
        if self._clinic is None:
            self._clinic = self.project.load_clinic()
        return self._clinic

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = load_library(self.project.references_path)
        return self._library

    def ui_catalog(self, locale: str) -> ProjectCatalog | None:
        if locale not in self.ui:
            try:
                self.ui[locale] = None if locale == SOURCE_LOCALE else _catalog(self.project, locale, TEMPLATES_DOMAIN)
            except LdnError as exc:
                self.ui[locale] = exc
        found = self.ui[locale]
        if isinstance(found, LdnError):
            raise found
        return found


def build(project: Project, locales: list[str] | None = None,
          formats: tuple[str, ...] = FORMATS, release: bool = False, *,
          jobs: int | None = None, force: bool = False,
          on_result: Callable[[EditionResult], None] | None = None) -> BuildReport:
    """Build every edition of every handout in ``locales`` (default: all) and the index.

    Editions whose inputs did not change are kept unless ``force``; PDFs render
    on ``jobs`` processes (default: every core). With ``release``, only final
    editions are written; drafts are reported as skipped, with their reasons,
    and their old output files are removed. ``on_result`` hears of each edition
    as it is finished.
    """
    started = time.perf_counter()
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise LdnError(f"unknown format {sorted(unknown)[0]!r} (use html, pdf)")
    available = [SOURCE_LOCALE] + project.locales()
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    selected = [loc for loc in available if not locales or loc in locales]
    run = _Run(project, selected, formats, release, BuildRecord.load(project))
    prints = Fingerprints(project, selected, formats, release)
    emit = on_result or (lambda result: None)

    results: list[EditionResult] = []
    pdf_jobs: list[PdfJob] = []
    index: list[dict[str, object]] = []
    for path in project.handout_paths():
        try:
            handout = read_handout(path)
        except LdnError as exc:
            for loc in selected:
                results.append(EditionResult(path.stem, loc, error=str(exc)))
                emit(results[-1])
            continue
        stale = []
        for locale in selected:
            result = EditionResult(handout.slug, locale, inputs=prints.edition(path, locale))
            old = None if force else run.record.fresh(result.key, result.inputs, project)
            if old is None:
                stale.append(result)
            else:
                _reuse(result, old, project)
                emit(result)
            results.append(result)
        if stale:
            pdf_jobs += _make(run, handout, stale, emit)
        index.append(_index_entry(handout, [r for r in results if r.handout == handout.slug], formats))

    by_key = {r.key: r for r in results}
    budgets = {p.stem: read_handout(p).pages for p in project.handout_paths() if any(
        j.key.endswith("/" + p.stem) for j in pdf_jobs)}
    for done in render_pdfs(pdf_jobs, jobs or default_jobs()):
        result = by_key[done.key]
        result.error, result.pages = done.error, done.pages
        if not done.error:
            result.outputs.append(project.dist_dir / language(result.locale).tag / f"{result.handout}.pdf")
            budget = budgets.get(result.handout)
            if budget and result.pages > budget:
                result.warnings.append(f"{result.pages} pages; the handout allows {budget} "
                                       "(pages: in its front matter)")
        emit(result)

    write_atomic(project.dist_dir / "index.html", render_index(project.templates_dir, index))
    _remember(run.record, project, results)
    return BuildReport(results, time.perf_counter() - started)


def _reuse(result: EditionResult, old: dict[str, object], project: Project) -> None:
    """Fill ``result`` from the record of an edition whose inputs did not change."""
    result.reused = True
    result.draft = old.get("state") == "draft"
    result.skipped = list(old.get("reasons", [])) if old.get("state") == "not released" else []  # type: ignore[call-overload]
    result.pages = int(old.get("pages", 0))  # type: ignore[call-overload]
    result.warnings = list(old.get("warnings", []))  # type: ignore[call-overload]
    result.outputs = [project.dist_dir / name for name in old.get("outputs", [])]  # type: ignore[attr-defined]


def _make(run: _Run, handout: Handout, stale: list[EditionResult],
          emit: Callable[[EditionResult], None]) -> list[PdfJob]:
    """Compose and write the HTML of the stale editions of ``handout``; return their PDF jobs."""
    project, formats = run.project, run.formats
    jobs: list[PdfJob] = []
    try:
        check_keys(handout, run.library)
    except LdnError as exc:
        for result in stale:
            result.error = str(exc)
            emit(result)
        return jobs
    keys = citation_order(handout)
    references: dict[str, list[Reference]] = {}
    for result in stale:
        try:
            edition, ui = _compose(run, handout, result.locale, keys, references)
        except LdnError as exc:
            result.error = str(exc)
            emit(result)
            continue
        result.draft = edition.is_draft
        out_dir = project.dist_dir / edition.lang
        if run.release and edition.is_draft:
            result.skipped = (edition.gate.reasons() if edition.gate else []) or ["draft"]
            for suffix in formats:
                (out_dir / f"{handout.slug}.{suffix}").unlink(missing_ok=True)
            emit(result)
            continue
        html = render_html(project.templates_dir, edition, run.clinic, ui)
        if "html" in formats:
            target = out_dir / f"{handout.slug}.html"
            write_atomic(target, html)
            result.outputs.append(target)
        if "pdf" in formats:
            printed = single_link_citations(html) if edition.direction == "rtl" else html
            jobs.append(PdfJob(result.key, printed, out_dir / f"{handout.slug}.pdf", project.root))
        else:
            emit(result)
    return jobs


def _compose(run: _Run, handout: Handout, locale: str, keys: list[str],
             references: dict[str, list[Reference]]) -> tuple[Edition, Translations]:
    """One edition of ``handout``, with its release gate and links to the other editions."""
    project = run.project
    ui = Translations(run.ui_catalog(locale))
    catalog = None
    if locale != SOURCE_LOCALE:  # no catalog for this handout yet: all in English
        catalog = _catalog(project, locale, handout.slug) or ProjectCatalog(locale=locale)
    if locale not in references:
        references[locale] = format_references(run.library, keys, locale)
    edition = compose(handout, locale, catalog, references[locale])
    if locale != SOURCE_LOCALE:
        edition.gate = edition_gate(project, locale, handout.slug, run.gates)
    edition.created = created_date(handout)
    edition.others = [
        {"lang": other.tag, "name": other.name, "direction": other.direction,
         "href": f"../{other.tag}/{handout.slug}.html"}
        for other in map(language, run.selected) if other.locale != locale
    ]
    return edition, ui


def _index_entry(handout: Handout, results: list[EditionResult], formats: tuple[str, ...]) -> dict[str, object]:
    editions = []
    for result in results:
        if result.error or result.skipped:
            continue
        lang = language(result.locale)
        editions.append({
            "lang": lang.tag, "name": lang.name, "direction": lang.direction, "draft": result.draft,
            "html": f"{lang.tag}/{handout.slug}.html" if "html" in formats else "",
            "pdf": f"{lang.tag}/{handout.slug}.pdf" if "pdf" in formats else "",
        })
    return {"title": handout.title, "editions": editions}


def _remember(record: BuildRecord, project: Project, results: list[EditionResult]) -> None:
    """Record what this run made in ``dist/editions.json`` (reused entries stay as they were)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for result in results:
        if result.reused:
            continue
        record.editions[result.key] = {
            "inputs": result.inputs if not result.error else "", "state": result.state,
            "built": stamp, "pages": result.pages, "warnings": result.warnings,
            "reasons": result.skipped or ([result.error] if result.error else []),
            "outputs": [str(p.relative_to(project.dist_dir)) for p in result.outputs],
        }
    record.save(project)
