"""Running a build's editions on the workers: :class:`Runner`.

What the editions share (:class:`~.make.Shared`: handouts, clinic, references,
policy, catalogs with their statuses, the notice) is loaded once in the parent,
while WeasyPrint and the fonts are loaded there too (:meth:`Runner.warm_up`);
the workers forked after inherit it (:mod:`ldn_i18n.engine`). Each result goes
back to the plan (:meth:`~.plan.Plan.report`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import default_jobs, run_parallel
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

    def shared(self, tasks: list[EditionResult] | None = None) -> Shared:
        """The run's shared inputs, loaded once (the handouts; with ``tasks``, even none, the rest
        too, and the catalogs the tasks and the notice need, each with its status)."""
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
            self._run.prepare(tasks, self.jobs or default_jobs(), lambda: self.warm_up(tasks))
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
        run = self.shared(tasks)
        tasks.sort(key=self.expected_seconds, reverse=True)  # longest first: no core idles at the end
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
        try:
            warm_up(stacks)
        except Exception:
            pass  # only a head start: the workers load what they need
        first = next((task for task in tasks if PDF_FORMATS.intersection(task.formats)), None)
        if first is not None and self.plan.project.notice_path.is_file():
            from .preview import lay_out_taglines

            try:  # the notice's taglines, laid out once for every worker (ldn_i18n.taglines)
                lay_out_taglines(self.shared(), first.locale, first.handout, set(first.formats))
            except Exception:
                pass  # its edition reports what went wrong

    def expected_seconds(self, task: EditionResult) -> float:
        """How long the edition took last time; on a first build, longer for CJK and Arabic."""
        return expected_seconds(self.plan.record, task.key)
