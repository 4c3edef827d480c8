"""Running a build's editions on the workers: :class:`Runner`.

What the editions share (:class:`~.make.Shared`: handouts, clinic, references,
policy, catalogs with their statuses, the notice) is loaded once in the parent,
while WeasyPrint and the fonts are loaded there too (:meth:`Runner.warm_up`);
the workers forked after inherit it (:mod:`ldn_i18n.engine`). Each result goes
back to the plan (:meth:`~.plan.Plan.report`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Aside, default_jobs, run_parallel, start_aside
from ..errors import LdnError
from .make import NoticeJob, Shared, internal_error, make, serving, start_worker
from .plan import Plan, expected_seconds
from .results import PDF_FORMATS, EditionResult, fail


class Runner:
    """Makes editions of ``plan`` on ``jobs`` workers (default: one per core)."""

    def __init__(self, plan: Plan, jobs: int | None):
        self.plan = plan
        self.jobs = jobs
        self._run: Shared | None = None
        #: Whether WeasyPrint and the fonts are loaded in this process (:meth:`warm_up`).
        self._warm = False
        #: The notice's own files, made in a process of their own while this one warms up.
        self._notice_aside: Aside | None = None

    def shared(self, tasks: list[EditionResult] | None = None, notice: NoticeJob | None = None) -> Shared:
        """The run's shared inputs, loaded once (the handouts; with ``tasks``, even none, the rest
        too, and the catalogs the tasks and the notice need, each with its status). The
        ``notice``'s PDF, which shares nothing with the editions' PDFs, is started at once on a
        process of its own when every status was kept (:meth:`start_notice`)."""
        if self._run is None:
            self._run = Shared(self.plan.project, self.plan.release)
            from ..source import read_handout

            for slug, path in self.plan.handouts.items():
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
            jobs = self.jobs or default_jobs()
            early = (lambda: self.start_notice(notice)) if notice is not None and jobs >= 2 else None
            self._run.prepare(tasks, jobs, lambda: self.warm_up(tasks), early)
            try:
                self._run.notice  # noqa: B018  (composed now, shared by the workers)
            except Exception:
                pass  # each edition reports the error
        return self._run

    def make_all(
        self,
        tasks: list[EditionResult],
        notice: NoticeJob | None = None,
        on_notice: Callable[[NoticeJob], None] = lambda job: None,
    ) -> None:
        """Make ``tasks`` (and the ``notice``'s files, given to ``on_notice`` when made) on the
        workers; a task that does not come back fails alone."""
        if not tasks and notice is None:
            return
        run = self.shared(tasks, notice)
        tasks.sort(key=self.expected_seconds, reverse=True)  # longest first: no core idles at the end
        aside, self._notice_aside = self._notice_aside, None
        notice_job = notice
        if aside is not None:  # made meanwhile on a process of its own, not by the workers
            notice = None
        jobs: list[EditionResult | NoticeJob] = [*([notice] if notice else []), *tasks]  # the notice: long
        workers = min(self.jobs or default_jobs(), len(jobs))
        done: set[str] = set()
        with serving(run):
            made_jobs = run_parallel(
                make, jobs, workers, start_worker, (str(self.plan.project.root), self.plan.release)
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
                            self.plan.report(task)
                    if notice is not None and "notice" not in done:
                        notice.error = f"notice: error: internal error: {type(exc).__name__}: {exc}"
                        on_notice(notice)
                    break
                if isinstance(made, NoticeJob):
                    done.add("notice")
                    on_notice(made)
                else:
                    done.add(made.key)
                    self.plan.report(made)
        if aside is not None and notice_job is not None:
            try:
                on_notice(aside.result())
            except Exception as exc:  # its process died, or could not send the result back
                notice_job.error = f"notice: error: internal error: {type(exc).__name__}: {exc}"
                on_notice(notice_job)

    def start_notice(self, notice: NoticeJob) -> None:
        """Start making the notice's own files on a process of its own, once every catalog
        status is known: its PDF lays its own list out and shares nothing with the editions'
        PDFs, so it runs on a core that is idle while this process warms up for them."""
        from ..notice import NOTICE_FILES

        if NOTICE_FILES[1] not in notice.files:
            return
        try:
            self.shared().notice  # noqa: B018  (composed now, for the process about to fork)
        except Exception:
            return  # the notice's job on the workers reports it
        root, release = str(self.plan.project.root), self.plan.release
        self._notice_aside = start_aside(make, notice, start_worker, (root, release))

    def warm_up(self, tasks: list[EditionResult]) -> None:
        """Load WeasyPrint and the fonts the PDFs need, once, in the parent: the workers forked
        after share them. Done while the catalogs' statuses are computed on the workers."""
        if self._warm or (self.jobs or default_jobs()) < 2 or not PDF_FORMATS & set(self.plan.formats):
            return
        self._warm = True
        from ..fonts import font_stack
        from ..languages import language
        from ..pdf import warm_up

        locales = [task.locale for task in tasks]
        if self.plan.project.notice_path.is_file():  # every page ends with the notice: every tagline's face
            try:
                locales += self.shared().clinic.notice_languages
            except LdnError:
                pass  # each edition reports the clinic file
        stacks = set()
        for locale in dict.fromkeys(locales):
            try:
                stacks.add(font_stack(language(locale).locale))
            except LdnError:
                pass  # not a locale: its edition, or the notice, says so
        first = next((task for task in tasks if PDF_FORMATS.intersection(task.formats)), None)
        notice = first is not None and self.plan.project.notice_path.is_file()
        try:  # with a notice, its taglines' PDF below loads the PDF writer (and subsets their faces)
            warm_up(stacks, write=not notice)
        except Exception:
            pass  # only a head start: the workers load what they need
        if first is not None and notice:
            from .preview import lay_out_taglines

            try:  # the notice's taglines, laid out once for every worker (ldn_i18n.taglines)
                lay_out_taglines(self.shared(), first.locale, first.handout, set(first.formats))
            except Exception:
                pass  # its edition reports what went wrong

    def expected_seconds(self, task: EditionResult) -> float:
        """How long the edition took last time; on a first build, longer for CJK and Arabic."""
        return expected_seconds(self.plan.record, task.key)
