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
    from ..references import check_keys, citation_order, printed_page
    from ..render import page_kind, render_html
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

    printed = printed_page(html, edition.direction)
    out_dir = project.dist_dir / edition.lang
    label, kind = f"{edition.lang}/{slug}", page_kind("regular", run.clinic)
    data = render_pdf(printed, out_dir, project.root, label, project.templates, ANCHOR, kind)
    return html, data.data


def lay_out_taglines(run: Shared, locale: str, slug: str, formats: set[str]) -> None:
    """Lay out the notice's taglines once for the PDFs of ``formats`` (the regular and the large
    print), from the page of ``slug`` in ``locale``, in this process: a build does it in the
    parent before the workers fork, so they share one layout (:mod:`ldn_i18n.taglines`)."""
    from ..pdf import share_taglines
    from ..references import citation_order, printed_page
    from ..render import page_kind, render_html
    from ..source import read_handout

    project = run.project
    handout = run.handouts.get(slug) or read_handout(project.handouts_dir / f"{slug}.md")
    edition, ui = _compose(run, handout, locale, citation_order(handout), [])
    for variant, wanted in (("regular", "pdf"), ("large", "large")):
        if wanted in formats:
            html = render_html(project.templates, edition, run.clinic, ui, variant=variant, notice=run.notice)
            printed = printed_page(html, edition.direction)
            kind = page_kind(variant, run.clinic)
            share_taglines(printed, project.dist_dir / edition.lang, project.root, project.templates, kind)
