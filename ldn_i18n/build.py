"""Stage 5, build: :func:`build` writes ``dist/<lang>/<handout>.html`` and ``.pdf`` for every edition.

English comes from the source itself; every locale with a catalog gets an
edition. An edition whose inputs did not change since the last build is not
made again (``dist/editions.json``); each of the others is composed, written
as HTML and printed to PDF by a worker process (:mod:`ldn_i18n.engine`). A
broken catalog fails only its own editions. Files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine import default_jobs, run_parallel
from .errors import LdnError
from .files import write_atomic
from .manifest import BuildRecord, Fingerprints
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Clinic, Project

if TYPE_CHECKING:  # the rest loads only when an edition has to be made
    from .edition import Edition, Translations
    from .gate import CatalogStatus
    from .pofiles import ProjectCatalog
    from .references import Library
    from .source import Handout

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
    seconds: float = 0.0
    """Time it took to make the edition (in its worker)."""

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
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return str(handout.meta.get("edition") or "2000-01-01")


@dataclass
class _Run:
    """What the editions of one build share; loaded once, before the workers fork."""

    project: Project
    selected: list[str]
    formats: tuple[str, ...]
    release: bool
    handouts: dict[str, Handout] = field(default_factory=dict)
    _clinic: Clinic | None = None
    _library: Library | None = None
    catalogs: dict[tuple[str, str], Any] = field(default_factory=dict)
    gates: dict[tuple[str, str], CatalogStatus | None] = field(default_factory=dict)

    @property
    def clinic(self) -> Clinic:
        if self._clinic is None:
            self._clinic = self.project.load_clinic()
        return self._clinic

    @property
    def library(self) -> Library:
        if self._library is None:
            from .references import load_library

            self._library = load_library(self.project.references_path)
        return self._library

    def catalog(self, locale: str, domain: str) -> ProjectCatalog | None:
        """A catalog, read once per process; a broken one raises its error each time asked."""
        from .pofiles import read_catalog

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


#: The run the workers serve; set in the parent before they fork (or by _start_worker).
_RUN: _Run | None = None


def _start_worker(root: str, selected: list[str], formats: tuple[str, ...], release: bool) -> None:
    """Where workers are spawned rather than forked: load the run once per worker."""
    global _RUN
    from .project import load_project

    _RUN = _Run(load_project(root), selected, formats, release)


def build(
    project: Project,
    locales: list[str] | None = None,
    formats: tuple[str, ...] = FORMATS,
    release: bool = False,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_result: Callable[[EditionResult], None] | None = None,
) -> BuildReport:
    """Build every edition of every handout in ``locales`` (default: all) and the index.

    Editions whose inputs did not change are kept unless ``force``; the others
    are made on ``jobs`` processes (default: every core). With ``release``,
    only final editions are written; drafts are reported as skipped, with
    their reasons, and their old output files are removed. ``on_result`` hears
    of each edition as it is finished.
    """
    global _RUN
    started = time.perf_counter()
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise LdnError(f"unknown format {sorted(unknown)[0]!r} (use html, pdf)")
    available = [SOURCE_LOCALE] + project.locales()
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    selected = [loc for loc in available if not locales or loc in locales]
    record = BuildRecord.load(project)
    prints = Fingerprints(project, selected, formats, release)
    emit = on_result or (lambda result: None)

    results: list[EditionResult] = []
    stale: list[EditionResult] = []
    for path in project.handout_paths():
        for locale in selected:
            result = EditionResult(path.stem, locale, inputs=prints.edition(path, locale))
            old = None if force else record.fresh(result.key, result.inputs, project)
            if old is None:
                stale.append(result)
            else:
                _reuse(result, old, project)
                emit(result)
            results.append(result)

    if stale or not (project.dist_dir / "index.html").is_file():
        run = _Run(project, selected, formats, release)
        workers = min(jobs or default_jobs(), len(stale))
        from .languages import language

        # Longest first (as last time, else by script), so no core idles at the end.
        stale.sort(
            key=lambda r: (
                -record.editions.get(r.key, {}).get(
                    "seconds", 1.0 if language(r.locale).script in ("Hans", "Hant", "Arab") else 0.5
                )
            )
        )
        _prepare(run, stale, warm="pdf" in formats and workers > 1)
        _RUN = run
        try:
            by_key = {r.key: r for r in results}
            for made in run_parallel(
                make_edition, stale, workers, _start_worker, (str(project.root), selected, formats, release)
            ):
                by_key[made.key] = made
                emit(made)
        finally:
            _RUN = None
        results = [by_key[r.key] for r in results]
        _write_index(run, results)
    _remember(record, project, results)
    return BuildReport(results, time.perf_counter() - started)


def _prepare(run: _Run, stale: list[EditionResult], warm: bool) -> None:
    """Load what every edition shares, so forked workers inherit it instead of each loading it."""
    from .source import read_handout

    for path in run.project.handout_paths():
        try:
            run.handouts[path.stem] = read_handout(path)
        except LdnError:
            pass  # each of its editions reports the error
    if stale:
        try:
            run.clinic, run.library  # noqa: B018  (loaded now, shared by the workers)
        except LdnError:
            pass
    if warm:
        from .languages import language
        from .pdf import warm_up

        warm_up({language(r.locale).fonts for r in stale})


def make_edition(task: EditionResult) -> EditionResult:
    """Make one edition's files (in a worker process, or in this one)."""

    assert _RUN is not None, "make_edition runs inside build()"
    started = time.perf_counter()
    result = _make(_RUN, task)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _make(run: _Run, result: EditionResult) -> EditionResult:
    from .references import check_keys, citation_order, single_link_citations
    from .render import render_html
    from .source import read_handout

    project, formats = run.project, run.formats
    try:
        handout = run.handouts.get(result.handout) or read_handout(
            project.handouts_dir / f"{result.handout}.md"
        )
        check_keys(handout, run.library)
        edition, ui = _compose(run, handout, result.locale, citation_order(handout))
    except LdnError as exc:
        result.error = str(exc)
        return result
    result.draft = edition.is_draft
    out_dir = project.dist_dir / edition.lang
    if run.release and edition.is_draft:
        result.skipped = (edition.gate.reasons() if edition.gate else []) or ["draft"]
        for suffix in formats:
            (out_dir / f"{handout.slug}.{suffix}").unlink(missing_ok=True)
        return result
    html = render_html(project.templates_dir, edition, run.clinic, ui)
    if "html" in formats:
        target = out_dir / f"{handout.slug}.html"
        write_atomic(target, html)
        result.outputs.append(target)
    if "pdf" in formats:
        from .pdf import render_pdf

        printed = single_link_citations(html) if edition.direction == "rtl" else html
        try:
            data, result.pages = render_pdf(printed, out_dir, project.root, result.key)
        except LdnError as exc:
            result.error = str(exc)
            return result
        target = out_dir / f"{handout.slug}.pdf"
        write_atomic(target, data)
        result.outputs.append(target)
        if handout.pages and result.pages > handout.pages:
            result.warnings.append(
                f"{result.pages} pages; the handout allows {handout.pages} (pages: in its front matter)"
            )
    return result


def _reuse(result: EditionResult, old: dict[str, Any], project: Project) -> None:
    """Fill ``result`` from the record of an edition whose inputs did not change."""
    result.reused = True
    result.draft = old.get("state") == "draft"
    result.skipped = list(old.get("reasons", [])) if old.get("state") == "not released" else []
    result.pages = int(old.get("pages", 0))
    result.warnings = list(old.get("warnings", []))
    result.outputs = [project.dist_dir / name for name in old.get("outputs", [])]


def _compose(run: _Run, handout: Handout, locale: str, keys: list[str]) -> tuple[Edition, Translations]:
    """One edition of ``handout``, with its release gate and links to the other editions."""
    from .edition import Translations, compose
    from .gate import edition_gate
    from .languages import language
    from .pofiles import ProjectCatalog
    from .references import format_references

    ui = Translations(None if locale == SOURCE_LOCALE else run.catalog(locale, TEMPLATES_DOMAIN))
    catalog = None
    if locale != SOURCE_LOCALE:  # no catalog for this handout yet: all in English
        catalog = run.catalog(locale, handout.slug) or ProjectCatalog(locale=locale)
    edition = compose(handout, locale, catalog, format_references(run.library, keys, locale))
    if locale != SOURCE_LOCALE:
        parsed = {
            handout.slug: run.catalog(locale, handout.slug),
            TEMPLATES_DOMAIN: run.catalog(locale, TEMPLATES_DOMAIN),
        }
        edition.gate = edition_gate(run.project, locale, handout.slug, run.gates, parsed)
    edition.created = created_date(handout)
    edition.others = [
        {
            "lang": other.tag,
            "name": other.name,
            "direction": other.direction,
            "href": f"../{other.tag}/{handout.slug}.html",
        }
        for other in map(language, run.selected)
        if other.locale != locale
    ]
    return edition, ui


def _write_index(run: _Run, results: list[EditionResult]) -> None:
    """``dist/index.html``: every published edition of every handout."""
    from .languages import language
    from .render import render_index

    entries = []
    for slug, handout in run.handouts.items():
        editions = []
        for result in results:
            if result.handout != slug or result.error or result.skipped:
                continue
            lang = language(result.locale)
            editions.append(
                {
                    "lang": lang.tag,
                    "name": lang.name,
                    "direction": lang.direction,
                    "draft": result.draft,
                    "html": f"{lang.tag}/{slug}.html" if "html" in run.formats else "",
                    "pdf": f"{lang.tag}/{slug}.pdf" if "pdf" in run.formats else "",
                }
            )
        entries.append({"title": handout.title, "editions": editions})
    write_atomic(run.project.dist_dir / "index.html", render_index(run.project.templates_dir, entries))


def _remember(record: BuildRecord, project: Project, results: list[EditionResult]) -> None:
    """Record what this run made in ``dist/editions.json`` (reused entries stay as they were)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    for result in results:
        if result.reused:
            continue
        record.editions[result.key] = {
            "inputs": result.inputs if not result.error else "",
            "state": result.state,
            "built": stamp,
            "seconds": result.seconds,
            "pages": result.pages,
            "warnings": result.warnings,
            "reasons": result.skipped or ([result.error] if result.error else []),
            "outputs": [str(p.relative_to(project.dist_dir)) for p in result.outputs],
        }
    record.save(project)
