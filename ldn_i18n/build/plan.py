"""Planning and running one build: :class:`Builder`; sharing it out between machines: :func:`assign`.

The builder plans every edition of the build (and the editions of other
locales already in ``dist/``), decides which must be made again from their
fingerprints (:mod:`ldn_i18n.manifest`), has them made on the workers
(:mod:`.make`, :mod:`ldn_i18n.engine`), makes again the pages whose links
changed, removes what is no longer an edition's output, writes the index and
records the build in ``dist/editions.json``.

A shard of a build (``build --shard K/N``, one machine of N) makes only its
share of the editions (:func:`assign`, the same on every machine with the
same project and record) and their record entries. It plans the other
shards' editions too, each expected in ``dist/`` as a whole build would
expect it at first, so its pages link as that build's first pass would;
what another shard then finds (an edition that failed, or a draft a release
leaves out) is put right by :func:`ldn_i18n.build.merge.merge`, which also
writes the index and the notice. A shard writes neither.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ..engine import default_jobs, run_parallel
from ..errors import LdnError
from ..files import write_atomic
from ..manifest import PUBLISHED, BuildRecord, EditionEntry, Fingerprints, file_digests
from ..project import SOURCE_LOCALE, Project, is_test_locale
from .index import index_entry
from .make import NoticeJob, Shared, fail, internal_error, make, reuse, serving, start_worker
from .results import (
    BILINGUAL_SUFFIXES,
    FORMATS,
    KEPT_FOLDERS,
    LARGE_SUFFIX,
    RECORD_SUFFIX,
    EditionResult,
    folder_of,
    format_of,
    href_of,
    is_record,
)

_SHARD = re.compile(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` as ``(2, 3)``: share K of N, with 1 <= K <= N; anything else raises :class:`LdnError`."""
    found = _SHARD.fullmatch(text)
    shard = (int(found[1]), int(found[2])) if found else (0, 0)
    check_shard(shard, text)
    return shard


def check_shard(shard: tuple[int, int], given: str | None = None) -> None:
    """Raise :class:`LdnError` unless ``shard`` is ``(K, N)`` with 1 <= K <= N."""
    part, count = shard
    if not 1 <= part <= count:
        shown = given if given is not None else f"{part}/{count}"
        raise LdnError(
            f"--shard {shown!r}: give K/N, this machine's share K of N shares "
            "(1 <= K <= N), e.g. --shard 1/3 --shard 2/3 --shard 3/3 on three machines"
        )


def assign(seconds: Mapping[str, float], count: int) -> list[list[str]]:
    """Split editions into ``count`` shares of about equal time, given how long each takes.

    Longest processing time first: the editions, by seconds (longest first) and
    then key, go each to the share with the least time so far (the lowest
    number on a tie). The same figures give the same shares on every machine.
    """
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for key in sorted(seconds, key=lambda key: (-seconds[key], key)):
        share = min(range(count), key=lambda n: (loads[n], n))
        shares[share].append(key)
        loads[share] += seconds[key]
    return shares


def expected_seconds(record: BuildRecord, key: str) -> float:
    """How long the edition ``key`` took at its last build; with no record of it, an estimate:
    1 s in Chinese or Arabic script (more glyphs, font subsetting, shaping), else 0.5 s."""
    try:
        seconds = float(record.editions.get(key, {})["seconds"])
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    except (KeyError, TypeError, ValueError):
        pass
    try:
        from ..languages import language

        return 1.0 if language(key.partition("/")[0]).script in ("Hans", "Hant", "Arab") else 0.5
    except Exception:
        return 0.5


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """``formats`` in their order in :data:`FORMATS`; raises :class:`LdnError` for none or an unknown one."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise LdnError(f"unknown format {sorted(unknown)[0]!r} (use {', '.join(FORMATS)})")
    formats = tuple(f for f in FORMATS if f in formats)
    if not formats:
        raise LdnError(f"no output format given (use {', '.join(FORMATS)})")
    return formats


def select_locales(project: Project, locales: list[str] | None) -> tuple[list[str], list[str]]:
    """The project's edition locales (English first) and those of them a build selects.

    Raises :class:`LdnError` for a locale with no catalogs.
    """
    available = [SOURCE_LOCALE] + [loc for loc in project.edition_locales() if loc != SOURCE_LOCALE]
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    return available, [loc for loc in available if not locales or loc in locales]


def assignment(project: Project, count: int, locales: list[str] | None = None) -> list[list[str]]:
    """The editions of a build of ``locales`` (default: all) in ``count`` shares, as
    ``build --shard K/N`` on this project, with its record, would share them (:func:`assign`)."""
    _, selected = select_locales(project, locales)
    record = BuildRecord.load(project)
    keys = [f"{loc}/{path.stem}" for path in project.handout_paths() for loc in selected]
    return assign({key: expected_seconds(record, key) for key in keys}, count)


def edition_file_names(key: str) -> list[str]:
    """Every file, relative to ``dist/``, an edition may have: page, PDFs, translation record."""
    locale, _, slug = key.partition("/")
    suffixes = (
        ".html",
        ".pdf",
        LARGE_SUFFIX,
        *BILINGUAL_SUFFIXES,
        f"{RECORD_SUFFIX}.json",
        f"{RECORD_SUFFIX}.html",
    )
    return [f"{folder_of(locale)}/{slug}{suffix}" for suffix in suffixes]


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
        shard: tuple[int, int] | None = None,
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
        #: This machine's share ``(K, N)`` of the build (``--shard K/N``), or None for all of it.
        self.shard = shard
        #: Keys of the selected editions this build makes: all of them, or its shard's share.
        self.mine: set[str] = set()
        #: Keys of the selected editions other shards make: planned only to link to, as expected.
        self.elsewhere: set[str] = set()
        #: Keys whose record entry a shard made in this build (:mod:`.merge`): one that failed or
        #: was not released from today's inputs is taken as it is, not made again.
        self.settled: set[str] = set()
        #: Keys of the editions the report gives (selected ones, and others made again).
        self.reported: set[str] = set()
        #: Record entries to replace (or drop, None) for editions of other locales that are gone.
        self.retired: dict[str, EditionEntry | None] = {}
        self._problems: dict[str, LdnError | None] = {}
        self._run: Shared | None = None
        #: Whether the index lists pseudo- and test locales too.
        self.with_pseudo = False
        #: Whether WeasyPrint and the fonts are loaded in this process (:meth:`_warm_up`).
        self._warm = False
        #: Problems of the build's shared outputs (the notice page), as ``path: error: ...`` lines.
        self.errors: list[str] = []
        #: What the build says of its shared outputs without failing (taglines left out).
        self.warnings: list[str] = []

    # --- plan ------------------------------------------------------------------------------

    def run(self) -> list[EditionResult]:
        self._plan()
        stale = self._decide()
        self._make_all(stale, self._notice_job() if self.shard is None else None)
        # Pages that link to an edition that failed (or was not released) unexpectedly, or
        # miss one that came back: made again until every link set matches dist/. Each round
        # only makes editions that are in dist/, so the set can only shrink and this ends.
        # A shard makes again only its own pages, and counts on the others' as expected.
        for _ in range(len(self.editions) + 1):
            again = [
                (result, links)
                for result in self.editions.values()
                if result.published
                and (self.shard is None or result.key in self.mine)
                and (links := self._links(result, self._there)) != result.links
            ]
            if not again:
                break
            self._make_all([self._again(result, links) for result, links in again])
        try:
            self._tidy()
            if self.shard is None:  # the shared outputs: the merge of the shards writes them
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
        selected = [
            f"{loc}/{slug}" for slug in self.handouts for loc in self.available if loc in self.selected
        ]
        self.mine = set(selected)
        if self.shard is not None:
            part, count = self.shard
            seconds = {key: expected_seconds(self.record, key) for key in selected}
            self.mine = set(assign(seconds, count)[part - 1])
            self.elsewhere = set(selected) - self.mine
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
            if result.key in self.mine:
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
        if self.release and (state == "draft" or not old.get("release")):
            # A build that was not a release prints draft taglines in the notice of every page,
            # even in an edition whose own translation is final: a release leaves none.
            why = "draft" if state == "draft" else "made by a build that was not a release"
            self.retired[key] = {
                **old,
                "inputs": "",
                "state": "not released",
                "reasons": [f"{why}: removed by a release build (build it with --release)"],
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
        path = self.handouts.get(slug)
        if path is not None and result.content != self.prints.edition(path, locale, result.formats):
            self.warnings.append(
                f"{key}: out of date: what it is made from changed since it was built (a catalog, "
                f"the clinic file, a template...); build it again: ldn-i18n build --locale {locale}"
            )

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

    def _there(self, key: str) -> bool:
        """Whether edition ``key`` is in dist/ now; another shard's, whether it is expected to be."""
        if key in self.elsewhere:
            return self.expected.get(key, False)
        return self.editions[key].published

    def _decide(self) -> list[EditionResult]:
        """The editions to make: their inputs (content and links) changed or their files are gone."""
        stale: list[EditionResult] = []
        for key, result in list(self.editions.items()):
            if result.error or key in self.elsewhere:
                continue
            links = self._links(result, lambda k: self.expected.get(k, False))
            if key in self.mine:
                result.links = links
                result.inputs = Fingerprints.linked(result.content, [href for _, href in links])
                if self._settled(result):
                    continue
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
            elif self.shard is None:  # a shard leaves the other locales' pages to the merge
                stale.append(self._again(result, links))
        return stale

    def _settled(self, result: EditionResult) -> bool:
        """Take, as it is, an edition a shard of this build found failed or not released from
        the same inputs (content); whether it was one (then it is reported, not made again)."""
        old = self.record.editions.get(result.key)
        if result.key not in self.settled or old is None or old.get("content") != result.content:
            return False
        state = old.get("state")
        if state not in ("failed", "not released"):
            return False
        reuse(result, old, self.project)
        if state == "failed":
            reasons = old.get("reasons")
            fail(result, "\n".join(str(r) for r in reasons) if isinstance(reasons, list) else "failed")
        self._report(result)
        return True

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
            self._run.prepare(tasks, self.jobs or default_jobs(), lambda: self._warm_up(tasks))
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

    def _warm_up(self, tasks: list[EditionResult]) -> None:
        """Load WeasyPrint and the fonts the PDFs need, once, in the parent: the workers forked
        after share them. Done while the catalogs' statuses are computed on the workers."""
        if (
            self._warm
            or (self.jobs or default_jobs()) < 2
            or not {"pdf", "large", "bilingual"} & set(self.formats)
        ):
            return
        self._warm = True
        from ..languages import language
        from ..pdf import warm_up

        locales = [task.locale for task in tasks]
        if self.project.notice_path.is_file():  # every page ends with the notice: every tagline's face
            try:
                locales += self._shared().clinic.notice_languages
            except LdnError:
                pass  # each edition reports the clinic file
        stacks = set()
        for locale in dict.fromkeys(locales):
            try:
                stacks.add(language(locale).fonts)
            except LdnError:
                pass  # not a locale: its edition, or the notice, says so
        try:
            warm_up(stacks)
        except Exception:
            pass  # only a head start: the workers load what they need

    def _expected_seconds(self, task: EditionResult) -> float:
        """How long the edition took last time; on a first build, longer for CJK and Arabic."""
        return expected_seconds(self.record, task.key)

    # --- tidy, index, record ---------------------------------------------------------------

    def _tidy(self) -> None:
        """Remove every edition file of dist/ that is not an output of an edition in dist/.

        A shard removes only files of its own editions: the rest is the merge's to tidy.
        """
        keep = {path for result in self.editions.values() if result.published for path in result.outputs}
        dist = self.project.dist_dir
        if self.shard is not None:
            for key in sorted(self.mine):
                for name in edition_file_names(key):
                    if (dist / name) not in keep and (dist / name).is_file():
                        (dist / name).unlink(missing_ok=True)
            return
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
        odd = [name for name in NOTICE_FILES if (dist / name).exists() and not (dist / name).is_file()]
        if odd:  # a folder (or worse) where the notice goes: not ours to remove
            self.errors.append(f"dist/{odd[0]}: error: not a file: remove it, then build again")
            return None
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
        """The notice's files dist/ holds after the build: its page when an edition has one
        (``html``), its PDF when an edition has a PDF (``pdf`` or ``large``)."""
        from ..notice import NOTICE_FILES

        # The formats of every edition dist/ will hold: a --locale build keeps the others' files.
        formats = set(self.formats) | {fmt for result in self.editions.values() for fmt in result.formats}
        html, pdf = NOTICE_FILES
        return ([html] if "html" in formats else []) + (
            [pdf] if {"pdf", "large", "bilingual"} & formats else []
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
        """Record what this build made and removed in ``dist/editions.json``.

        A shard records its own editions only, and which they are (``shard``), for the merge.
        """
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        if self.shard is None:
            self.record.shard = {}
            for key, entry in self.retired.items():
                if entry is None:
                    self.record.editions.pop(key, None)
                else:
                    self.record.editions[key] = {**entry, "built": stamp}
        else:
            everything = len(self.selected) == len(self.available)
            self.record.shard = {
                "part": list(self.shard),
                "editions": sorted(self.mine),
                "locales": None if everything else [loc for loc in self.available if loc in self.selected],
                "formats": list(self.formats),
                "release": self.release,
                "with_pseudo": self.with_pseudo,
            }
        dist = self.project.dist_dir
        for key in self.reported:
            result = self.editions[key]
            if result.reused:
                kept = self.record.editions.get(key)
                if kept is not None and (self.shard is not None or "sha256" not in kept):
                    kept["sha256"] = file_digests(dist, [str(p.relative_to(dist)) for p in result.outputs])
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
                "sha256": file_digests(dist, [str(p.relative_to(dist)) for p in result.outputs]),
                "links": [href for _, href in result.links] if result.published else [],
                "large_pages": result.large_pages,
                "bilingual_pages": result.bilingual_pages,
                "title": result.title,
                "notice": result.notice,
                "release": self.release,
                "fonts": result.fonts,
                "record": result.record,
            }
        self.record.save(self.project)
