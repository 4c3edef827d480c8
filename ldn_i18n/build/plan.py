"""Planning and running one build: :class:`Builder`.

The builder plans every edition of the build (and the editions of other
locales already in ``dist/``), decides which must be made again from their
fingerprints (:mod:`ldn_i18n.manifest`), has them made on the workers
(:mod:`.make`, :mod:`ldn_i18n.engine`), makes again the pages whose links
changed, removes what is no longer an edition's output, writes the index and
records the build in ``dist/editions.json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..engine import default_jobs, run_parallel
from ..errors import LdnError
from ..files import write_atomic
from ..manifest import PUBLISHED, BuildRecord, EditionEntry, Fingerprints
from ..project import SOURCE_LOCALE, Project
from .index import index_entry
from .make import NoticeJob, Shared, fail, internal_error, make, reuse, serving, start_worker
from .results import (
    FORMATS,
    KEPT_FOLDERS,
    EditionResult,
    format_of,
    href_of,
    is_record,
    is_test_locale,
)


class Builder:
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
        self.retired: dict[str, EditionEntry | None] = {}
        self._problems: dict[str, LdnError | None] = {}
        self._run: Shared | None = None
        #: Whether the index lists pseudo- and test locales too.
        self.with_pseudo = False
        #: Problems of the build's shared outputs (the notice page), as ``path: error: ...`` lines.
        self.errors: list[str] = []
        #: What the build says of its shared outputs without failing (taglines left out).
        self.warnings: list[str] = []

    # --- plan ------------------------------------------------------------------------------

    def run(self) -> list[EditionResult]:
        self._plan()
        stale = self._decide()
        self._make_all(stale, self._notice_job())
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

    def _plan_selected(self, slug: str, path: Path, locale: str, old: EditionEntry | None) -> None:
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

    def _plan_other(self, slug: str, locale: str, old: EditionEntry) -> None:
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
        reuse(result, old, self.project)
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
                links.append((locale, href_of(other)))
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
                    reuse(result, old, self.project)
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

    def _shared(self, tasks: list[EditionResult] | None = None) -> Shared:
        """The run's shared inputs, loaded once (the handouts; with ``tasks``, even none, the rest
        too, and the catalogs the tasks and the notice need, each with its status)."""
        if self._run is None:
            self._run = Shared(self.project, self.release)
            from ..source import read_handout

            for slug, path in self.handouts.items():
                try:
                    self._run.handouts[slug] = read_handout(path)
                except Exception:
                    pass  # each of its editions reports the error
        if tasks is not None:
            try:
                self._run.clinic, self._run.library  # noqa: B018  (loaded now, shared by the workers)
            except Exception:
                pass  # each edition reports the error
            try:
                self._run.policy  # noqa: B018  (read now, shared by the workers)
            except Exception:
                pass  # each translated edition reports the error
            self._run.prepare(tasks, self.jobs or default_jobs())
            try:
                self._run.notice  # noqa: B018  (composed now, shared by the workers)
            except Exception:
                pass  # each edition reports the error
        return self._run

    def _make_all(self, tasks: list[EditionResult], notice: NoticeJob | None = None) -> None:
        """Make ``tasks`` (and the ``notice``'s files) on the workers; a task that does not come
        back fails alone."""
        if not tasks and notice is None:
            return
        run = self._shared(tasks)
        tasks.sort(key=self._expected_seconds, reverse=True)  # longest first: no core idles at the end
        jobs: list[EditionResult | NoticeJob] = [*([notice] if notice else []), *tasks]  # the notice: long
        workers = min(self.jobs or default_jobs(), len(jobs))
        if workers > 1 and any("pdf" in task.formats for task in tasks):
            try:
                from ..languages import language
                from ..pdf import warm_up

                warm_up({language(task.locale).fonts for task in tasks if "pdf" in task.formats})
            except Exception:
                pass  # only a head start: the workers load what they need
        done: set[str] = set()
        with serving(run):
            made_jobs = run_parallel(
                make, jobs, workers, start_worker, (str(self.project.root), self.release)
            )
            while True:
                try:
                    made = next(made_jobs)
                except StopIteration:
                    break
                except Exception as exc:  # a worker died: what it had not returned fails
                    for task in tasks:
                        if task.key not in done:
                            fail(task, internal_error(task, exc))
                            done.add(task.key)
                            self._report(task)
                    if notice is not None and "notice" not in done:
                        notice.error = f"notice: error: internal error: {type(exc).__name__}: {exc}"
                        self._notice_made(notice)
                    break
                if isinstance(made, NoticeJob):
                    done.add("notice")
                    self._notice_made(made)
                else:
                    done.add(made.key)
                    self._report(made)

    def _expected_seconds(self, task: EditionResult) -> float:
        """How long the edition took last time; on a first build, longer for CJK and Arabic."""
        try:
            return float(self.record.editions.get(task.key, {})["seconds"])
        except (KeyError, TypeError, ValueError):
            pass
        try:
            from ..languages import language

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

    def _notice_job(self) -> NoticeJob | None:
        """The job making ``dist/notice.html`` and ``.pdf`` (as the build's formats ask) when
        their inputs changed; None when they are up to date (or the project has no notice)."""
        from ..notice import NOTICE_FILES

        dist = self.project.dist_dir
        wanted = self._notice_files() if self.project.notice_path.is_file() else []
        for name in set(NOTICE_FILES) - set(wanted):
            (dist / name).unlink(missing_ok=True)
        if not wanted:
            self.record.notice = {}
            return None
        digest = self.prints.notice(wanted)
        if self.record.notice.get("inputs") == digest and all((dist / name).is_file() for name in wanted):
            self.warnings += [str(w) for w in self.record.notice.get("warnings", [])]
            return None
        self.record.notice = {}
        return NoticeJob(wanted, digest)

    def _notice_made(self, job: NoticeJob) -> None:
        """Record what became of the notice's job: its warnings, or its error (and no files)."""
        if job.error:
            for name in job.files:
                (self.project.dist_dir / name).unlink(missing_ok=True)
            self.errors.append(job.error)
            return
        self.warnings += job.warnings
        self.record.notice = {"inputs": job.inputs, "warnings": job.warnings}

    def _notice_files(self) -> list[str]:
        """The notice's files this build writes: its page with ``html``, its PDF with ``pdf`` or ``large``."""
        from ..notice import NOTICE_FILES

        html, pdf = NOTICE_FILES
        return ([html] if "html" in self.formats else []) + (
            [pdf] if {"pdf", "large"} & set(self.formats) else []
        )

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
            + [f"with_pseudo={self.with_pseudo}", f"notice={','.join(self._notice_listed())}"],
        )
        if digest == self.record.index and (dist / "index.html").is_file():
            return
        from ..render import render_index

        run = self._shared()
        entries = []
        for slug in self.handouts:
            handout = run.handouts.get(slug)
            editions = [index_entry(run, result, dist) for result in listed if result.handout == slug]
            if handout is not None or editions:
                entries.append(
                    {"title": handout.title if handout is not None else slug, "editions": editions}
                )
        page = render_index(self.project.templates_dir, entries, self._notice_listed())
        write_atomic(dist / "index.html", page)
        self.record.index = digest

    def _notice_listed(self) -> list[str]:
        """The notice's files the index links to: those in dist/, unless something failed them."""
        from ..notice import NOTICE_FILES

        dist = self.project.dist_dir
        return [] if self.errors else [name for name in NOTICE_FILES if (dist / name).is_file()]

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
