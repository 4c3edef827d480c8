"""One build, run while holding the tree's lock: :class:`Builder`.

Plan (:class:`~.plan.Plan`), make (:class:`~.run.Runner`), make again what
links changed (:func:`~.relink.relink`), then tidy, index and record
(:class:`~.publish.Publisher`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..project import Project
from .plan import Plan
from .publish import Publisher
from .relink import relink
from .results import EditionResult
from .run import Runner


class Builder:
    """One build: its :attr:`plan`, :attr:`runner` and :attr:`publisher`."""

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
        self.plan = Plan(project, available, selected, formats, release, force, on_result, shard)
        self.runner = Runner(self.plan, jobs)
        self.publisher = Publisher(self.plan)

    def run(self) -> list[EditionResult]:
        """Make the build; the editions it reports."""
        from ..clinic import read_clinic
        from ..errors import LdnError
        from .inputs import input_findings, place_logo

        plan, runner, publisher = self.plan, self.runner, self.publisher
        errors, warnings = input_findings(plan.project, plan.release)
        plan.errors += errors
        plan.warnings += warnings
        try:
            place_logo(plan.project, read_clinic(plan.project.clinic_path))  # no CLDR: only the look
        except LdnError:
            pass  # a clinic file that cannot be read: every edition reports it
        plan.plan()
        stale = plan.decide()
        notice = publisher.notice_job() if plan.shard is None else None
        runner.make_all(stale, notice, publisher.notice_made)
        relink(plan, runner)
        try:
            publisher.tidy()
            if plan.shard is None:  # the shared outputs: the merge of the shards writes them
                publisher.write_index(runner.shared())
        finally:
            publisher.remember()
        return plan.results()
