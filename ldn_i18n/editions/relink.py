"""Making again the pages whose links changed: :func:`relink`.

Every page links to every other edition of its handout that is in ``dist/``;
the links are part of an edition's inputs. A page that links to an edition
that failed (or was not released) unexpectedly, or misses one that came back,
is made again until every page's links match ``dist/``.
"""

from __future__ import annotations

from .plan import Plan
from .run import Runner


def relink(plan: Plan, runner: Runner) -> None:
    """Make again, with ``runner``, every page of ``plan`` whose links no longer match ``dist/``.

    Each round only makes editions that are in ``dist/``, so the set of pages
    to make can only shrink and this ends. A shard makes again only its own
    pages, and counts on the others' as expected.
    """
    for _ in range(len(plan.editions) + 1):
        again = [
            (result, links)
            for result in plan.editions.values()
            if result.published
            and (plan.shard is None or result.key in plan.mine)
            and (links := plan.links(result, plan.there)) != result.links
        ]
        if not again:
            return
        runner.make_all([plan.again(result, links) for result, links in again])
