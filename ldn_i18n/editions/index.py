"""What ``dist/index.html`` shows of each edition: :func:`index_entry`.

The index itself is rendered by :func:`ldn_i18n.render.render_index`; the
build decides when it must be written again (:mod:`.plan`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import LdnError
from ..project import SOURCE_LOCALE, TEMPLATES_DOMAIN
from .make import Shared
from .results import BILINGUAL_SUFFIXES, EditionResult, format_of


def index_entry(run: Shared, result: EditionResult, dist: Path) -> dict[str, Any]:
    """What the index shows of one edition: its language, title, files and draft notice.

    The link labels are translated here, through the locale's templates catalog;
    the title and the notice come from the edition as its page printed them.
    """
    from ..fonts import font_stack
    from ..languages import language
    from ..translations import Translations

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
    both = {
        suffix: str(p.relative_to(dist))
        for p in result.outputs
        for suffix in BILINGUAL_SUFFIXES
        if p.name.endswith(suffix)
    }
    return {
        "lang": lang.tag,
        "name": lang.name,
        "fonts": font_stack(lang.locale),  # the face its PDFs print it in
        "direction": lang.direction,
        "draft": result.draft,
        "title": result.title
        or (run.handouts[result.handout].title if result.handout in run.handouts else ""),
        "notice": result.notice,
        # no page: the title links to a PDF, else to the bilingual page
        "html": html or pdf or files.get("large", "") or both.get(BILINGUAL_SUFFIXES[0], ""),
        "pdf": pdf if html else "",
        "large": files.get("large", "") if html or pdf else "",
        "bilingual": both.get(BILINGUAL_SUFFIXES[0], ""),
        "bilingual_pdf": both.get(BILINGUAL_SUFFIXES[1], ""),
        "gettext": gettext,
    }
