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

import datetime as dt
import math
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine import default_jobs, run_parallel
from .errors import LdnError
from .files import write_atomic
from .manifest import BuildRecord, Fingerprints, build_lock
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from .yamlfiles import Clinic

if TYPE_CHECKING:  # the rest loads only when an edition has to be made
    from .edition import Edition, Translations
    from .gate import CatalogStatus
    from .library import Library
    from .pofiles import ProjectCatalog
    from .review.policy import Policy
    from .source import Handout

FORMATS = ("html", "pdf", "large")
#: How the large-print PDF of an edition ends its file name (format ``large``).
LARGE_SUFFIX = ".large.pdf"
#: The large print's page budget per page of the handout's ``pages:`` (rounded up): 18 pt text
#: with 1.5 line spacing on 1 inch margins. Measured on the 2-page ldn-overview: 5 pages in
#: Chinese, 6 in English, Arabic, Haitian Creole and Vietnamese, 7 in Spanish, Portuguese and
#: the 35% longer pseudo-locale (2.5x to 3.5x).
LARGE_PRINT_PAGES = 3.5
#: Folders of ``dist/`` that hold no editions and are never tidied.
KEPT_FOLDERS = frozenset({"review"})
#: Record states of an edition whose files are in ``dist/``.
PUBLISHED = ("final", "draft")
#: How the translation record of a released edition ends its file names (before .json, .html).
RECORD_SUFFIX = ".record"


def format_of(name: str | Path) -> str | None:
    """The format an edition file was written as (``html``, ``pdf``, ``large``), or None."""
    text = str(name)
    if text.endswith(LARGE_SUFFIX):
        return "large"
    if is_record(text):
        return None
    return {".html": "html", ".pdf": "pdf"}.get(Path(text).suffix)


def is_test_locale(locale: str) -> bool:
    """Whether ``locale`` is a pseudo- or test locale (a private-use code: ``en_XA``, ``qaa``, ``x_ZZ``).

    ISO 639 reserves ``qaa``-``qtz`` and ISO 3166 ``AA``, ``QM``-``QZ``, ``XA``-``XZ`` and
    ``ZZ`` for private use; CLDR's pseudo-locales (``en_XA``, ``ar_XB``) use them. Told
    from the name alone, so a build with nothing to do loads no CLDR.
    """
    language, *rest = locale.replace("-", "_").split("_")
    if len(language) == 3 and "qaa" <= language.lower() <= "qtz":
        return True
    return any(
        len(part) == 2 and part.isupper() and (part in ("AA", "ZZ") or part[0] == "X" or "QM" <= part <= "QZ")
        for part in rest
    )


def is_record(name: str | Path) -> bool:
    """Whether ``name`` is a translation record (``<handout>.record.json`` or ``.record.html``)."""
    path = Path(name)
    return path.suffix in (".json", ".html") and path.stem.endswith(RECORD_SUFFIX)


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
    """Hash of the edition's inputs: its content and its links."""
    seconds: float = 0.0
    """Time it took to make the edition (in its worker)."""
    formats: tuple[str, ...] = FORMATS
    """The files the edition is made as (``html``, ``pdf``, ``large``)."""
    content: str = ""
    """Hash of what the edition is made from, without its links to other editions."""
    links: list[tuple[str, str]] = field(default_factory=list)
    """The other editions its page links to: ``(locale, file relative to dist/)``."""
    large_pages: int = 0
    """Pages of the large-print PDF, when one was made."""
    title: str = ""
    """The edition's title in its language, as its page prints it (for the index)."""
    notice: str = ""
    """Why the edition is a draft, in its language, as its page says it; empty when final."""

    @property
    def key(self) -> str:
        return f"{self.locale}/{self.handout}"

    @property
    def state(self) -> str:
        if self.error:
            return "failed"
        return "not released" if self.skipped else "draft" if self.draft else "final"

    @property
    def published(self) -> bool:
        """Whether the edition's files are in ``dist/`` after the build."""
        return not self.error and not self.skipped and bool(self.outputs)


@dataclass(slots=True)
class BuildReport:
    """The outcome of a build."""

    results: list[EditionResult]
    """One entry per edition made or checked, in build order (handout, then locale)."""
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


def _tag(locale: str) -> str:
    """The edition's folder in dist/: :attr:`Language.tag`, computed the same way without loading CLDR."""
    return locale.replace("_", "-")


def _href(result: EditionResult) -> str:
    """The file another page links to for ``result``: its page, else its PDF, else its large print."""
    suffix = next(
        (suffix for fmt, suffix in (("html", ".html"), ("pdf", ".pdf")) if fmt in result.formats),
        LARGE_SUFFIX,
    )
    return f"{_tag(result.locale)}/{result.handout}{suffix}"


@dataclass
class _Run:
    """What the editions of one build share; loaded once, before the workers fork."""

    project: Project
    release: bool
    handouts: dict[str, Handout] = field(default_factory=dict)
    _clinic: Clinic | None = None
    _library: Library | None = None
    _policy: Policy | LdnError | None = None
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
            from .library import load_library

            self._library = load_library(self.project.references_path)
        return self._library

    @property
    def policy(self) -> Policy:
        """The release policy, read once per process; a bad file raises its error each time asked."""
        if self._policy is None:
            from .review.policy import read_policy

            try:
                self._policy = read_policy(self.project)
            except LdnError as exc:
                self._policy = exc
        if isinstance(self._policy, LdnError):
            raise self._policy
        return self._policy

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


def _start_worker(root: str, release: bool) -> None:
    """Where workers are spawned rather than forked: load the run once per worker."""
    global _RUN
    from .project import load_project

    _RUN = _Run(load_project(root), release)


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
    available = [SOURCE_LOCALE] + [loc for loc in project.locales() if loc != SOURCE_LOCALE]
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    selected = [loc for loc in available if not locales or loc in locales]
    with build_lock(project):
        builder = _Builder(project, available, selected, formats, release, force, jobs, on_result)
        builder.with_pseudo = with_pseudo
        results = builder.run()
    return BuildReport(results, time.perf_counter() - started)


class _Builder:
    """One build, run while holding the tree's lock: plan, make, make again what links changed, tidy."""

    def __init__(
        self,
        project: Project,
        available: list[str],
        selected: list[str],
        formats: tuple[str, ...],
        release: bool,
        force: bool,
        jobs: int | None,
        on_result: Callable[[EditionResult], None] | None,
    ):
        self.project = project
        self.available = available
        self.selected = set(selected)
        self.formats = formats
        self.release = release
        self.force = force
        self.jobs = jobs
        self.emit = on_result or (lambda result: None)
        self.record = BuildRecord.load(project)
        self.prints = Fingerprints(project, release)
        self.handouts = {path.stem: path for path in project.handout_paths()}
        #: Every edition this build selected, plus those of other locales that are in dist/.
        self.editions: dict[str, EditionResult] = {}
        #: Whether an edition is expected to be in dist/ after the build (what pages link to at first).
        self.expected: dict[str, bool] = {}
        #: Keys of the editions the report gives (selected ones, and others made again).
        self.reported: set[str] = set()
        #: Record entries to replace (or drop, None) for editions of other locales that are gone.
        self.retired: dict[str, dict[str, Any] | None] = {}
        self._problems: dict[str, LdnError | None] = {}
        self._run: _Run | None = None
        #: Whether the index lists pseudo- and test locales too.
        self.with_pseudo = False

    # --- plan ------------------------------------------------------------------------------

    def run(self) -> list[EditionResult]:
        self._plan()
        stale = self._decide()
        self._make_all(stale)
        # Pages that link to an edition that failed (or was not released) unexpectedly, or
        # miss one that came back: made again until every link set matches dist/. Each round
        # only makes editions that are in dist/, so the set can only shrink and this ends.
        for _ in range(len(self.editions) + 1):
            again = [
                (result, links)
                for result in self.editions.values()
                if result.published and (links := self._links(result, self._published)) != result.links
            ]
            if not again:
                break
            self._make_all([self._again(result, links) for result, links in again])
        try:
            self._tidy()
            self._write_index()
        finally:
            self._remember()
        return [
            self.editions[key]
            for key in (f"{loc}/{slug}" for slug in self.handouts for loc in self.available)
            if key in self.reported
        ]

    def _plan(self) -> None:
        """Every edition of the build, and whether it is expected in dist/ afterwards."""
        for slug, path in self.handouts.items():
            for locale in self.available:
                key = f"{locale}/{slug}"
                old = self.record.editions.get(key)
                if locale in self.selected:
                    self._plan_selected(slug, path, locale, old)
                elif old is not None:
                    self._plan_other(slug, locale, old)
        for key in self.record.editions:
            locale, _, slug = key.partition("/")
            if slug not in self.handouts or locale not in self.available:
                self.retired[key] = None  # a handout or locale that is no longer in the project

    def _plan_selected(self, slug: str, path: Path, locale: str, old: dict[str, Any] | None) -> None:
        result = EditionResult(slug, locale, formats=self.formats)
        result.content = self.prints.edition(path, locale, self.formats)
        self.editions[result.key] = result
        problem = self._locale_problem(locale)
        if problem is not None:
            result.error = str(problem)
            self.expected[result.key] = False
            self._report(result)
            return
        # Same inputs as an edition that failed or was not released last time: the same again.
        same = old is not None and old.get("content") == result.content
        self.expected[result.key] = not (same and old is not None and old.get("state") not in PUBLISHED)

    def _plan_other(self, slug: str, locale: str, old: dict[str, Any]) -> None:
        """An edition of a locale not selected: kept as it is, unless it must go."""
        key = f"{locale}/{slug}"
        state = old.get("state")
        if state not in PUBLISHED:
            return  # failed or not released: nothing of it is in dist/, and its entry says so
        if self.release and state == "draft":
            self.retired[key] = {
                **old,
                "inputs": "",
                "state": "not released",
                "reasons": ["draft: removed by a release build"],
                "outputs": [],
                "links": [],
            }
            return
        if not BuildRecord.outputs_exist(old, self.project):
            self.retired[key] = None  # its files are gone
            return
        outputs = [str(name) for name in old.get("outputs", [])]
        result = EditionResult(
            slug,
            locale,
            formats=tuple(f for f in FORMATS if any(format_of(name) == f for name in outputs)),
        )
        _reuse(result, old, self.project)
        result.content = str(old.get("content", ""))
        result.inputs = str(old.get("inputs", ""))
        self.editions[key] = result
        self.expected[key] = result.published

    def _locale_problem(self, locale: str) -> LdnError | None:
        """Why ``locale/<locale>/`` cannot be used (naming the folder), or None.

        A locale one of whose editions was built from the same inputs is known
        to be fine, so a build with nothing to do does not load CLDR.
        """
        if locale == SOURCE_LOCALE:
            return None
        if locale not in self._problems:
            known = any(
                key.partition("/")[0] == locale
                and entry.get("state") != "failed"
                and entry.get("content")
                and entry.get("content")
                == self.prints.edition(
                    self.handouts.get(key.partition("/")[2], Path("-")), locale, self.formats
                )
                for key, entry in self.record.editions.items()
            )
            try:
                self._problems[locale] = None if known else self.project.locale_problem(locale)
            except Exception as exc:  # a bug in the check: this locale fails, the others go on
                self._problems[locale] = LdnError(
                    f"internal error: {type(exc).__name__}: {exc}", self.project.locale_dir / locale
                )
        return self._problems[locale]

    def _links(self, result: EditionResult, there: Callable[[str], bool]) -> list[tuple[str, str]]:
        """What the page of ``result`` links to: every other edition of its handout ``there``."""
        links = []
        for locale in self.available:
            other = self.editions.get(f"{locale}/{result.handout}")
            if locale != result.locale and other is not None and there(other.key):
                links.append((locale, _href(other)))
        return links

    def _published(self, key: str) -> bool:
        return self.editions[key].published

    def _decide(self) -> list[EditionResult]:
        """The editions to make: their inputs (content and links) changed or their files are gone."""
        stale: list[EditionResult] = []
        for key, result in list(self.editions.items()):
            if result.error:
                continue
            links = self._links(result, lambda k: self.expected.get(k, False))
            if result.locale in self.selected:
                result.links = links
                result.inputs = Fingerprints.linked(result.content, [href for _, href in links])
                old = None if self.force else self.record.fresh(key, result.inputs, self.project)
                if old is None:
                    stale.append(result)
                else:
                    _reuse(result, old, self.project)
                    self._report(result)
            elif result.content and result.inputs == Fingerprints.linked(
                result.content, [href for _, href in links]
            ):
                result.links = links  # another locale's edition, still linking to what is there
            else:
                stale.append(self._again(result, links))
        return stale

    def _again(self, result: EditionResult, links: list[tuple[str, str]]) -> EditionResult:
        """A task making ``result``'s edition again, from today's inputs, with ``links``."""
        content = self.prints.edition(self.handouts[result.handout], result.locale, result.formats)
        task = EditionResult(
            result.handout,
            result.locale,
            formats=result.formats,
            content=content,
            links=links,
            inputs=Fingerprints.linked(content, [href for _, href in links]),
        )
        self.editions[task.key] = task
        return task

    def _report(self, result: EditionResult) -> None:
        self.editions[result.key] = result
        self.reported.add(result.key)
        self.emit(result)

    # --- make ------------------------------------------------------------------------------

    def _shared(self, tasks: list[EditionResult] | None = None) -> _Run:
        """The run's shared inputs, loaded once (the handouts; with ``tasks``, the rest too)."""
        if self._run is None:
            self._run = _Run(self.project, self.release)
            from .source import read_handout

            for slug, path in self.handouts.items():
                try:
                    self._run.handouts[slug] = read_handout(path)
                except Exception:
                    pass  # each of its editions reports the error
        if tasks:
            try:
                self._run.clinic, self._run.library  # noqa: B018  (loaded now, shared by the workers)
            except Exception:
                pass  # each edition reports the error
            try:
                self._run.policy  # noqa: B018  (read now, shared by the workers)
            except Exception:
                pass  # each translated edition reports the error
        return self._run

    def _make_all(self, tasks: list[EditionResult]) -> None:
        """Make ``tasks`` on the workers; a task that does not come back fails alone."""
        global _RUN
        if not tasks:
            return
        run = self._shared(tasks)
        workers = min(self.jobs or default_jobs(), len(tasks))
        tasks.sort(key=self._expected_seconds, reverse=True)  # longest first: no core idles at the end
        if workers > 1 and any("pdf" in task.formats for task in tasks):
            try:
                from .languages import language
                from .pdf import warm_up

                warm_up({language(task.locale).fonts for task in tasks if "pdf" in task.formats})
            except Exception:
                pass  # only a head start: the workers load what they need
        _RUN = run
        done: set[str] = set()
        try:
            made_tasks = run_parallel(
                make_edition, tasks, workers, _start_worker, (str(self.project.root), self.release)
            )
            while True:
                try:
                    made = next(made_tasks)
                except StopIteration:
                    break
                except Exception as exc:  # a worker died: what it had not returned fails
                    for task in tasks:
                        if task.key not in done:
                            _fail(task, _internal_error(task, exc))
                            done.add(task.key)
                            self._report(task)
                    break
                done.add(made.key)
                self._report(made)
        finally:
            _RUN = None

    def _expected_seconds(self, task: EditionResult) -> float:
        """How long the edition took last time; on a first build, longer for CJK and Arabic."""
        try:
            return float(self.record.editions.get(task.key, {})["seconds"])
        except (KeyError, TypeError, ValueError):
            pass
        try:
            from .languages import language

            return 1.0 if language(task.locale).script in ("Hans", "Hant", "Arab") else 0.5
        except Exception:
            return 0.5

    # --- tidy, index, record ---------------------------------------------------------------

    def _tidy(self) -> None:
        """Remove every edition file of dist/ that is not an output of an edition in dist/."""
        keep = {path for result in self.editions.values() if result.published for path in result.outputs}
        dist = self.project.dist_dir
        folders = sorted(dist.iterdir()) if dist.is_dir() else []
        for folder in folders:
            if folder.name in KEPT_FOLDERS or folder.name.startswith(".") or not folder.is_dir():
                continue
            removed = False
            for path in sorted(folder.iterdir()):
                edition_file = format_of(path) is not None or is_record(path)
                if edition_file and path.is_file() and path not in keep:
                    path.unlink(missing_ok=True)
                    removed = True
            if removed:
                try:
                    folder.rmdir()  # only when empty
                except OSError:
                    pass

    def _listed(self) -> list[EditionResult]:
        """The editions the index lists: those in dist/, by handout, then locale (English first).

        Pseudo- and test locales are left out unless the build was asked for them.
        """
        return [
            result
            for slug in self.handouts
            for locale in self.available
            if (result := self.editions.get(f"{locale}/{slug}")) is not None
            and result.published
            and (self.with_pseudo or not is_test_locale(locale))
        ]

    def _write_index(self) -> None:
        """``dist/index.html``: every listed edition of every handout, unless already so."""
        dist = self.project.dist_dir
        listed = self._listed()
        digest = self.prints.index(
            self.handouts.values(),
            [
                "\t".join(
                    (
                        f"{r.key}:{r.draft}:{r.content}",
                        r.title,
                        r.notice,
                        ",".join(str(p.relative_to(dist)) for p in r.outputs),
                    )
                )
                for r in listed
            ]
            + [f"with_pseudo={self.with_pseudo}"],
        )
        if digest == self.record.index and (dist / "index.html").is_file():
            return
        from .render import render_index

        run = self._shared()
        entries = []
        for slug in self.handouts:
            handout = run.handouts.get(slug)
            editions = [_index_entry(run, result, dist) for result in listed if result.handout == slug]
            if handout is not None or editions:
                entries.append(
                    {"title": handout.title if handout is not None else slug, "editions": editions}
                )
        write_atomic(dist / "index.html", render_index(self.project.templates_dir, entries))
        self.record.index = digest

    def _remember(self) -> None:
        """Record what this build made and removed in ``dist/editions.json``."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        for key, entry in self.retired.items():
            if entry is None:
                self.record.editions.pop(key, None)
            else:
                self.record.editions[key] = {**entry, "built": stamp}
        dist = self.project.dist_dir
        for key in self.reported:
            result = self.editions[key]
            if result.reused:
                continue
            self.record.editions[key] = {
                "content": result.content,
                "inputs": result.inputs if not result.error else "",
                "state": result.state,
                "built": stamp,
                "seconds": result.seconds,
                "pages": result.pages,
                "warnings": result.warnings,
                "reasons": result.skipped or ([result.error] if result.error else []),
                "outputs": [str(p.relative_to(dist)) for p in result.outputs],
                "links": [href for _, href in result.links] if result.published else [],
                "large_pages": result.large_pages,
                "title": result.title,
                "notice": result.notice,
            }
        self.record.save(self.project)


def _index_entry(run: _Run, result: EditionResult, dist: Path) -> dict[str, Any]:
    """What the index shows of one edition: its language, title, files and draft notice.

    The link labels are translated here, through the locale's templates catalog;
    the title and the notice come from the edition as its page printed them.
    """
    from .edition import Translations
    from .languages import language

    lang = language(result.locale)
    files = {format_of(p): str(p.relative_to(dist)) for p in result.outputs if format_of(p)}
    catalog = None
    if result.locale != SOURCE_LOCALE:
        try:
            catalog = run.catalog(result.locale, TEMPLATES_DOMAIN)
        except LdnError:
            catalog = None  # the edition was built, so this cannot happen; English labels then
    ui = Translations(catalog, run.project.po_path(result.locale, TEMPLATES_DOMAIN))

    def gettext(msgid: str, **variables: Any) -> Any:
        try:
            return ui.gettext(msgid, **variables)
        except LdnError:  # a translation `check` reports: the English label, not a failed index
            return Translations(None).gettext(msgid, **variables)

    html = files.get("html", "")
    pdf = files.get("pdf", "")
    return {
        "lang": lang.tag,
        "name": lang.name,
        "direction": lang.direction,
        "draft": result.draft,
        "title": result.title
        or (run.handouts[result.handout].title if result.handout in run.handouts else ""),
        "notice": result.notice,
        "html": html or pdf or files.get("large", ""),  # no page: the title links to a PDF
        "pdf": pdf if html else "",
        "large": files.get("large", "") if html or pdf else "",
        "gettext": gettext,
    }


# --- in the workers ----------------------------------------------------------------------------


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
        result = _fail(task, str(exc.relative_to(_RUN.project.root)))
    except Exception as exc:
        result = _fail(task, _internal_error(task, exc))
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _fail(result: EditionResult, error: str) -> EditionResult:
    result.error = error
    result.outputs = []
    result.skipped = []
    return result


def _internal_error(task: EditionResult, exc: BaseException) -> str:
    """The error text of a bug met while making one edition."""
    text = f"{task.key}: error: internal error: {type(exc).__name__}: {exc}"
    if os.environ.get("LDN_I18N_DEBUG"):
        return text + "\n" + traceback.format_exc().rstrip()
    return text + " (set LDN_I18N_DEBUG=1 for the traceback and report it)"


def _make(run: _Run, result: EditionResult) -> EditionResult:
    """Compose and render the edition, then write its files (none when any step fails)."""
    from .references import check_keys, citation_order, single_link_citations
    from .render import draft_notice, render_html
    from .source import read_handout

    project, formats = run.project, result.formats
    handout = run.handouts.get(result.handout) or read_handout(project.handouts_dir / f"{result.handout}.md")
    check_keys(handout, run.library)
    edition, ui = _compose(run, handout, result.locale, citation_order(handout), result.links)
    result.draft = edition.is_draft
    if run.release and edition.is_draft:
        result.skipped = (edition.gate.reasons() if edition.gate else []) or ["draft"]
        return result  # build() removes its old files
    out_dir = project.dist_dir / edition.lang
    html = render_html(project.templates_dir, edition, run.clinic, ui)
    result.title = edition.title_text
    result.notice = draft_notice(project.templates_dir, edition) if edition.is_draft else ""
    files: list[tuple[Path, str | bytes]] = []
    if "html" in formats:
        files.append((out_dir / f"{handout.slug}.html", html))

    def printed(page: str) -> str:
        return single_link_citations(page) if edition.direction == "rtl" else page

    if "pdf" in formats:
        from .pdf import render_pdf

        pdf, result.pages = render_pdf(
            printed(html), out_dir, project.root, result.key, project.templates_dir
        )
        files.append((out_dir / f"{handout.slug}.pdf", pdf))
        if handout.pages and result.pages > handout.pages:
            result.warnings.append(
                f"{result.pages} pages; the handout allows {handout.pages} (pages: in its front matter)"
            )
    if "large" in formats:
        from .pdf import render_pdf

        large = render_html(project.templates_dir, edition, run.clinic, ui, variant="large")
        label = f"{result.key}{LARGE_SUFFIX}"
        pdf, result.large_pages = render_pdf(
            printed(large), out_dir, project.root, label, project.templates_dir
        )
        files.append((out_dir / f"{handout.slug}{LARGE_SUFFIX}", pdf))
        budget = math.ceil(handout.pages * LARGE_PRINT_PAGES) if handout.pages else 0
        if budget and result.large_pages > budget:
            result.warnings.append(
                f"large print: {result.large_pages} pages; the handout allows {budget} "
                f"({LARGE_PRINT_PAGES} x pages: in its front matter)"
            )
    for target, content in files:
        write_atomic(target, content)
    result.outputs = [target for target, _ in files]
    if run.release and edition.gate is not None:  # a released translation: what a clinic files
        result.outputs += _write_record(run, result, handout, edition, files)
    return result


def _write_record(
    run: _Run,
    result: EditionResult,
    handout: Handout,
    edition: Edition,
    files: list[tuple[Path, str | bytes]],
) -> list[Path]:
    """Write the translation record of a released edition (JSON and its page); the files."""
    import json

    from . import __version__
    from .review.policy import edition_record, record_page

    catalogs = {
        domain: catalog
        for domain in (handout.slug, TEMPLATES_DOMAIN)
        if (catalog := run.catalog(result.locale, domain)) is not None
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch and epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    record = edition_record(
        run.project,
        result.locale,
        handout.slug,
        catalogs,
        title=edition.title_text,
        built=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        version=__version__,
        content=result.content,
        inputs=result.inputs,
        outputs={path: data.encode("utf-8") if isinstance(data, str) else data for path, data in files},
    )
    out_dir = run.project.dist_dir / edition.lang
    targets = [
        out_dir / f"{handout.slug}{RECORD_SUFFIX}.json",
        out_dir / f"{handout.slug}{RECORD_SUFFIX}.html",
    ]
    write_atomic(targets[0], json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    write_atomic(targets[1], record_page(record, run.project.templates_dir, edition.direction))
    return targets


def _reuse(result: EditionResult, old: dict[str, Any], project: Project) -> None:
    """Fill ``result`` from the record of an edition whose inputs did not change."""

    def texts(name: str) -> list[str]:
        value = old.get(name)
        return [str(item) for item in value] if isinstance(value, list) else []

    result.reused = True
    result.draft = old.get("state") == "draft"
    result.skipped = (texts("reasons") or ["draft"]) if old.get("state") == "not released" else []
    try:
        result.pages = int(old.get("pages", 0) or 0)
    except (TypeError, ValueError):
        result.pages = 0
    result.warnings = texts("warnings")
    result.outputs = [project.dist_dir / name for name in texts("outputs")]
    try:
        result.large_pages = int(old.get("large_pages", 0) or 0)
    except (TypeError, ValueError):
        result.large_pages = 0
    result.title = str(old.get("title") or "")
    result.notice = str(old.get("notice") or "")


def _compose(
    run: _Run, handout: Handout, locale: str, keys: list[str], links: list[tuple[str, str]]
) -> tuple[Edition, Translations]:
    """One edition of ``handout``, with its release gate and links to the other editions."""
    from .edition import Translations, compose
    from .gate import edition_gate
    from .languages import language
    from .pofiles import ProjectCatalog
    from .references import format_references

    ui = Translations(
        None if locale == SOURCE_LOCALE else run.catalog(locale, TEMPLATES_DOMAIN),
        run.project.po_path(locale, TEMPLATES_DOMAIN),
    )
    catalog = None
    if locale != SOURCE_LOCALE:  # no catalog for this handout yet: all in English
        catalog = run.catalog(locale, handout.slug) or ProjectCatalog(locale=locale)
    edition = compose(handout, locale, catalog, format_references(run.library, keys, locale))
    if locale != SOURCE_LOCALE:
        parsed = {
            handout.slug: run.catalog(locale, handout.slug),
            TEMPLATES_DOMAIN: run.catalog(locale, TEMPLATES_DOMAIN),
        }
        edition.gate = edition_gate(run.project, locale, handout.slug, run.gates, parsed, run.policy)
        if edition.gate.broken:  # a catalog tools read differently is never printed, not even as a draft
            first = edition.gate.broken[0]
            raise LdnError(f"{first.code}: {first.message}", run.project.root / first.path, first.line)
    edition.created = created_date(handout)
    edition.others = [
        {"lang": other.tag, "name": other.name, "direction": other.direction, "href": f"../{path}"}
        for other, path in ((language(loc), path) for loc, path in links)
    ]
    return edition, ui
