"""Stage 5a, HTML: :func:`render_html` (Edition -> standalone page) and :func:`render_index`.

Jinja2 with autoescape on: every string from a source, catalog or reference
is data, escaped in HTML and quoted in CSS. Template strings are translated
through Jinja2's i18n extension over the locale's ``templates`` catalog, with
our own gettext callables (:class:`~ldn_i18n.edition.Translations`): Jinja2's
newstyle gettext would mark every translation as safe HTML. A "label: value"
is written ``_("Phone number") | label(edition.locale)``: the colon stays out
of the msgid and the filter adds the language's own (:mod:`ldn_i18n.typography`); a clinic's
number is written ``clinic.fax | number`` (:func:`~ldn_i18n.markup.number_html`: whole on one
line, left to right), as the notice prints its numbers.
Each page is then checked by :func:`~ldn_i18n.guard.check_page`, so nothing the
templates did not write can reach an output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import __version__
from .clinic import Clinic
from .edition import Edition
from .markup import number_html
from .notice import Notice
from .templating import JINJA_EXTENSIONS, Templates
from .translations import Translations
from .typography import label_punctuation

#: Stand-ins for the page counters inside the translated "Page %(page)s of %(pages)s".
PAGE, PAGES = "\ue000", "\ue001"


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that cannot close its rule or the <style>."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;()!?-'%/" or ord(ch) > 127 else f"\\{ord(ch):x} "
        for ch in str(text)
    )
    return Markup(f'"{escaped}"')


def css_counters(text: str) -> Markup:
    """A translated page-number label as CSS ``content`` with the page counters."""
    plain = text.unescape() if isinstance(text, Markup) else str(text)  # gettext escaped it for HTML
    parts = re.split(f"({PAGE}|{PAGES})", plain)
    out = []
    for part in parts:
        if part == PAGE:
            out.append("counter(page)")
        elif part == PAGES:
            out.append("counter(pages)")
        elif part:
            out.append(css_string(part))
    return Markup(" ".join(out))


def tel(number: str) -> str:
    """A US phone number as a ``tel:`` target (+1 and digits)."""
    digits = re.sub(r"\D", "", number)
    return f"+1{digits}" if len(digits) == 10 else digits


def label(text: str, locale: str) -> Markup:
    """A translated label followed by its language's punctuation (``电话号码：``), for "label: value"."""
    return escape(text) + label_punctuation(locale)


def fallback_attrs(node: dict[str, Any]) -> Markup:
    """Attributes marking a block shown in English for want of a translation."""
    return Markup(' class="untranslated" lang="en" dir="ltr"') if node.get("fallback") else Markup("")


@cache
def environment(templates: Templates) -> Environment:
    """The Jinja2 environment for one project's templates (its own folder over the package's)."""
    env = Environment(
        loader=FileSystemLoader([str(folder) for folder in templates.folders]),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=list(JINJA_EXTENSIONS),
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        css_string=css_string,
        css_counters=css_counters,
        tel=tel,
        fallback_attrs=fallback_attrs,
        label=label,
        number=number_html,
    )
    env.globals.update(PAGE=PAGE, PAGES=PAGES, version=__version__)
    return env


#: Variants of an edition's page: the regular one, and the large print printed as ``.large.pdf``.
VARIANTS = ("regular", "large")


def page_kind(variant: str, clinic: Clinic) -> str:
    """What pages styled alike have in common: the variant (``regular``, ``large``,
    ``bilingual``) and the clinic's look. Pages of one kind share one layout of the notice's
    taglines (:mod:`ldn_i18n.taglines`)."""
    return f"{variant} {clinic.look!r}"


def render_html(
    templates: Templates,
    edition: Edition,
    clinic: Clinic,
    ui: Translations,
    variant: str = "regular",
    notice: Notice | None = None,
    bilingual: bool = False,
) -> str:
    """The standalone HTML page of one edition (``variant="large"`` adds the large-print styles),
    ending with the language-assistance ``notice`` when the project has one, and linking to its
    ``bilingual`` edition (``<handout>.bilingual.html`` beside it) when one is made."""
    from .guard import check_page

    assert variant in VARIANTS, variant
    env = environment(templates)
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=False)  # type: ignore[attr-defined]
    page = env.get_template("handout.html.j2").render(
        edition=edition, clinic=clinic, variant=variant, notice=notice, bilingual=bilingual
    )
    check_page(page, templates, f"{edition.lang}/{edition.handout.slug}.html")
    return page


def render_notice(templates: Templates, notice: Notice, created: str, clinic: Clinic) -> str:
    """``dist/notice.html``: the language-assistance notice alone, the one-page insert, in the
    clinic's page size and accent colour."""
    return _english_page(
        templates, "notice.html.j2", "notice.html", notice=notice, created=created, clinic=clinic
    )


def _english_page(templates: Templates, template: str, name: str, **context: Any) -> str:
    """A page of ``dist/`` in English (``name``), read back by the guard like every page."""
    from .guard import check_page

    env = environment(templates)
    english = Translations(None)
    env.install_gettext_callables(english.gettext, english.ngettext, newstyle=False)  # type: ignore[attr-defined]
    page = env.get_template(template).render(**context)
    check_page(page, templates, name)
    return page


def draft_notice(templates: Templates, edition: Edition) -> str:
    """Why ``edition`` is a draft, as plain text in its language (the page's draft note).

    Call it after :func:`render_html`, whose gettext it uses.
    """
    env = environment(templates)
    module = env.get_template("draft.j2").make_module({"edition": edition})
    text = getattr(module, "draft_text")(edition)  # noqa: B009  (a template macro: mypy cannot see it)
    return " ".join(Markup(text).striptags().split())


def render_index(
    templates: Templates,
    handouts: list[dict[str, Any]],
    notice: Sequence[str] = (),
    clinic: Clinic | None = None,
) -> str:
    """``dist/index.html``: the clinic's name and logo, every edition of every handout by the
    language's own name (in the face its PDFs use), and a link to each of the language-assistance
    notice's files in ``notice`` (``notice.html``, ``notice.pdf``). ``clinic`` is None when its
    file cannot be read (every edition then says why)."""
    languages: dict[str, dict[str, Any]] = {}
    for handout in handouts:
        for edition in handout["editions"]:
            languages.setdefault(edition["lang"], edition)
    return _english_page(
        templates,
        "index.html.j2",
        "index.html",
        handouts=handouts,
        notice=notice,
        clinic=clinic,
        languages=list(languages.values()),
    )
