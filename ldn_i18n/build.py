"""Stage 5, build: :func:`build` writes ``dist/<lang>/<handout>.html`` and ``.pdf`` for every edition.

English comes from the source itself; every locale with a catalog gets an
edition. A broken catalog fails only its own editions: the others are still
built and the report says what failed and why. Files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from .edition import Edition, Translations, compose
from .errors import LdnError
from .files import write_atomic
from .gate import CatalogStatus, edition_gate
from .pofiles import ProjectCatalog, read_catalog
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
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


@dataclass(slots=True)
class BuildReport:
    """The outcome of a build."""

    results: list[EditionResult]
    """One entry per edition, in build order."""

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
        return text + (f", {len(self.skipped)} not released" if self.skipped else "")


def created_date(handout: Handout) -> str:
    """The date stamped into an edition: SOURCE_DATE_EPOCH, else the handout's edition date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return str(handout.meta.get("edition") or "2000-01-01")


def _catalog(project: Project, locale: str, domain: str) -> ProjectCatalog | None:
    path = project.po_path(locale, domain)
    return read_catalog(path, locale) if path.is_file() else None


def build(project: Project, locales: list[str] | None = None,
          formats: tuple[str, ...] = FORMATS, release: bool = False) -> BuildReport:
    """Build every edition of every handout in ``locales`` (default: all) and the index.

    With ``release``, only final editions are written; drafts are reported as
    skipped, with their reasons, and their old output files are removed.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise LdnError(f"unknown format {sorted(unknown)[0]!r} (use html, pdf)")
    available = [SOURCE_LOCALE] + project.locales()
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    selected = [loc for loc in available if not locales or loc in locales]
    clinic = project.load_clinic()
    library = load_library(project.references_path)

    results: list[EditionResult] = []
    pending_pdf: list[tuple[EditionResult, str, Path]] = []
    index: list[dict[str, object]] = []
    budgets: dict[str, int | None] = {}
    ui_catalogs: dict[str, ProjectCatalog | None | LdnError] = {}
    for locale in selected:
        try:
            ui_catalogs[locale] = None if locale == SOURCE_LOCALE else _catalog(project, locale, TEMPLATES_DOMAIN)
        except LdnError as exc:
            ui_catalogs[locale] = exc

    for path in project.handout_paths():
        try:
            handout = read_handout(path)
            check_keys(handout, library)
        except LdnError as exc:
            results.extend(EditionResult(path.stem, loc, error=str(exc)) for loc in selected)
            continue
        budgets[handout.slug] = handout.pages
        entry: dict[str, object] = {"title": handout.title, "editions": []}
        index.append(entry)
        editions = _editions_of(project, handout, library, selected, ui_catalogs, results)
        if release:
            editions = _publishable(project, handout, editions, formats)
        for edition, ui, result in editions:
            edition.others = [
                {"lang": o.lang, "name": o.name, "direction": o.direction,
                 "href": f"../{o.lang}/{handout.slug}.html"}
                for o, _, _ in editions if o is not edition
            ]
            html = render_html(project.templates_dir, edition, clinic, ui)
            out_dir = project.dist_dir / edition.lang
            if "html" in formats:
                target = out_dir / f"{handout.slug}.html"
                write_atomic(target, html)
                result.outputs.append(target)
            if "pdf" in formats:
                printed = single_link_citations(html) if edition.direction == "rtl" else html
                pending_pdf.append((result, printed, out_dir / f"{handout.slug}.pdf"))
            entry["editions"].append({  # type: ignore[union-attr]
                "lang": edition.lang, "name": edition.name, "direction": edition.direction,
                "html": f"{edition.lang}/{handout.slug}.html" if "html" in formats else "",
                "pdf": f"{edition.lang}/{handout.slug}.pdf" if "pdf" in formats else "",
                "draft": edition.is_draft,
            })

    if pending_pdf:
        from .pdf import render_pdf

        for result, html, target in pending_pdf:
            try:
                data, result.pages = render_pdf(html, target.parent, project.root,
                                                f"{result.locale}/{result.handout}")
            except LdnError as exc:
                result.error = str(exc)
                continue
            write_atomic(target, data)
            result.outputs.append(target)
            budget = budgets.get(result.handout)
            if budget and result.pages > budget:
                result.warnings.append(f"{result.pages} pages; the handout allows {budget} (pages: in its front matter)")
    write_atomic(project.dist_dir / "index.html", render_index(project.templates_dir, index))
    _record(project, results)
    return BuildReport(results)


def _record(project: Project, results: list[EditionResult]) -> None:
    """Update ``dist/editions.json``: the state of each edition this run touched, and when."""
    import json

    from .status import BUILD_RECORD, read_build_record

    editions = read_build_record(project)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for result in results:
        state = ("failed" if result.error else "not released" if result.skipped
                 else "draft" if result.draft else "final")
        editions[f"{result.locale}/{result.handout}"] = {
            "state": state, "built": stamp, "pages": result.pages, "warnings": result.warnings,
            "reasons": result.skipped or ([result.error] if result.error else []),
            "outputs": [str(p.relative_to(project.dist_dir)) for p in result.outputs],
        }
    data = {"version": 1, "editions": dict(sorted(editions.items()))}
    write_atomic(project.dist_dir / BUILD_RECORD, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _editions_of(
    project: Project, handout: Handout, library: Library, selected: list[str],
    ui_catalogs: dict[str, ProjectCatalog | None | LdnError], results: list[EditionResult],
) -> list[tuple[Edition, Translations, EditionResult]]:
    """Compose the handout in each selected locale; failures go into ``results``."""
    keys = citation_order(handout)
    references: dict[str, list[Reference]] = {}
    gates: dict[tuple[str, str], CatalogStatus | None] = {}
    editions = []
    for locale in selected:
        result = EditionResult(handout.slug, locale)
        try:
            ui_catalog = ui_catalogs[locale]
            if isinstance(ui_catalog, LdnError):
                raise ui_catalog
            catalog = None
            if locale != SOURCE_LOCALE:  # no catalog for this handout yet: all in English
                catalog = _catalog(project, locale, handout.slug) or ProjectCatalog(locale=locale)
            if locale not in references:
                references[locale] = format_references(library, keys, locale)
            ui = Translations(ui_catalog)
            edition = compose(handout, locale, catalog, references[locale])
            if locale != SOURCE_LOCALE:
                edition.gate = edition_gate(project, locale, handout.slug, gates)
            edition.created = created_date(handout)
        except LdnError as exc:
            result.error = str(exc)
            results.append(result)
            continue
        result.draft = edition.is_draft
        results.append(result)
        editions.append((edition, ui, result))
    return editions


def _publishable(
    project: Project, handout: Handout,
    editions: list[tuple[Edition, Translations, EditionResult]], formats: tuple[str, ...],
) -> list[tuple[Edition, Translations, EditionResult]]:
    """The final editions; drafts are marked skipped and their stale outputs removed."""
    kept = []
    for edition, ui, result in editions:
        if not edition.is_draft:
            kept.append((edition, ui, result))
            continue
        result.skipped = edition.gate.reasons() if edition.gate else ["draft"]
        result.skipped = result.skipped or [f"{edition.untranslated} messages not yet translated"]
        for suffix in formats:
            (project.dist_dir / edition.lang / f"{handout.slug}.{suffix}").unlink(missing_ok=True)
    return kept
