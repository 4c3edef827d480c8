"""The workbench's live preview of one edition, in its own process: :func:`preview_edition`.

The edition is composed as a build composes it (:mod:`.make`), from what the
workbench's :class:`~.make.Shared` keeps (catalogs, statuses, fonts, the
notice), and nothing is written.
"""

from __future__ import annotations

from ..notice import ANCHOR
from .make import Shared, _compose


def preview_edition(run: Shared, locale: str, slug: str, pdf: bool = False) -> tuple[str, bytes | None]:
    """The page of ``slug`` in ``locale`` as a plain build would print it now, and its PDF when
    ``pdf``; nothing is written. What ``run`` keeps (catalogs, statuses, fonts, the notice) is
    reused: the workbench's live preview (:mod:`ldn_i18n.serve.preview`)."""
    from ..references import check_keys, citation_order, single_link_citations
    from ..render import render_html
    from ..source import read_handout

    project = run.project
    if slug not in run.handouts:
        run.handouts[slug] = read_handout(project.handouts_dir / f"{slug}.md")
    handout = run.handouts[slug]
    check_keys(handout, run.library)
    edition, ui = _compose(run, handout, locale, citation_order(handout), [])
    html = render_html(project.templates, edition, run.clinic, ui, notice=run.notice)
    if not pdf:
        return html, None
    from ..pdf import render_pdf

    printed = single_link_citations(html) if edition.direction == "rtl" else html
    out_dir = project.dist_dir / edition.lang
    data = render_pdf(printed, out_dir, project.root, f"{edition.lang}/{slug}", project.templates, ANCHOR)
    return html, data.data
