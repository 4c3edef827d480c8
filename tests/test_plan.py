"""The build's planner (:class:`ldn_i18n.editions.plan.Plan`) alone: no WeasyPrint, no worker."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ldn_i18n.editions.plan import Plan, select_locales
from ldn_i18n.project import Project

from .conftest import REPO

PLAN = """
import json, sys
from ldn_i18n.editions.plan import Plan, select_locales
from ldn_i18n.project import load_project
project = load_project(sys.argv[1])
available, selected = select_locales(project, None)
plan = Plan(project, available, selected, ("html", "pdf"), False, False, None)
plan.plan()
stale = plan.decide()
loaded = [name for name in ("weasyprint", "ldn_i18n.pdf", "ldn_i18n.render") if name in sys.modules]
print(json.dumps({"stale": sorted(r.key for r in stale), "loaded": loaded}))
"""


@pytest.mark.slow
def test_a_plan_is_made_without_weasyprint_or_workers(project: Project) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PLAN, str(project.root)], capture_output=True, text=True, check=True, cwd=REPO
    )
    planned = json.loads(run.stdout)
    available, _ = select_locales(project, None)
    slugs = [path.stem for path in project.handout_paths()]
    assert planned["stale"] == sorted(f"{loc}/{slug}" for slug in slugs for loc in available)
    assert planned["loaded"] == []


def test_shards_plan_every_edition_once_and_link_to_the_others_as_expected(project: Project) -> None:
    available, selected = select_locales(project, None)
    keys = {f"{loc}/{path.stem}" for path in project.handout_paths() for loc in selected}
    mine = []
    for part in (1, 2, 3):
        plan = Plan(project, available, selected, ("html",), False, False, None, shard=(part, 3))
        plan.plan()
        assert plan.mine | plan.elsewhere == keys
        assert not plan.mine & plan.elsewhere
        # Nothing is in dist/: another shard's edition is expected there, as a whole build expects it.
        assert all(plan.there(key) for key in plan.elsewhere)
        assert {r.key for r in plan.decide()} == plan.mine
        mine.append(plan.mine)
    assert set().union(*mine) == keys
    assert sum(len(share) for share in mine) == len(keys)
