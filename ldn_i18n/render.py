"""Stage 5a, HTML: :func:`render_html` (Edition -> standalone page) and :func:`render_index`.

Jinja2 with autoescape on: every string from a source, catalog or reference
is data, escaped in HTML and quoted in CSS. Template strings are translated
through Jinja2's i18n extension over the locale's ``templates`` catalog, with
our own gettext callables (:class:`~ldn_i18n.edition.Translations`): Jinja2's
newstyle gettext would mark every translation as safe HTML. A "label: value"
is written ``_("Phone number") | label(edition.locale)``: the colon stays out
of the msgid and the filter adds the language's own (:mod:`ldn_i18n.typography`).
Each page is then checked by :func:`~ldn_i18n.guard.check_page`, so nothing the
templates did not write can reach an output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import __version__
from .edition import Edition
from .notice import Notice
from .templating import JINJA_EXTENSIONS
from .translations import Translations
from .typography import label_punctuation
from .yamlfiles import Clinic

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
def environment(templates_dir: Path) -> Environment:
    """The Jinja2 environment for one templates folder."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=list(JINJA_EXTENSIONS),
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        css_string=css_string, css_counters=css_counters, tel=tel, fallback_attrs=fallback_attrs, label=label
    )
    env.globals.update(PAGE=PAGE, PAGES=PAGES, version=__version__)
    return env


#: Variants of an edition's page: the regular one, and the large print printed as ``.large.pdf``.
VARIANTS = ("regular", "large")


def render_html(
    templates_dir: Path,
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
    env = environment(templates_dir)
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=False)  # type: ignore[attr-defined]
    page = env.get_template("handout.html.j2").render(
        edition=edition, clinic=clinic, variant=variant, notice=notice, bilingual=bilingual
    )
    check_page(page, templates_dir, f"{edition.lang}/{edition.handout.slug}.html")
    return page


def render_notice(templates_dir: Path, notice: Notice, created: str) -> str:
    """``dist/notice.html``: the language-assistance notice alone, the one-page insert."""
    return _english_page(templates_dir, "notice.html.j2", "notice.html", notice=notice, created=created)


def _english_page(templates_dir: Path, template: str, name: str, **context: Any) -> str:
    """A page of ``dist/`` in English (``name``), read back by the guard like every page."""
    from .guard import check_page

    env = environment(templates_dir)
    english = Translations(None)
    env.install_gettext_callables(english.gettext, english.ngettext, newstyle=False)  # type: ignore[attr-defined]
    page = env.get_template(template).render(**context)
    check_page(page, templates_dir, name)
    return page


def draft_notice(templates_dir: Path, edition: Edition) -> str:
    """Why ``edition`` is a draft, as plain text in its language (the page's draft note).

    Call it after :func:`render_html`, whose gettext it uses.
    """
    env = environment(templates_dir)
    module = env.get_template("draft.j2").make_module({"edition": edition})
    text = getattr(module, "draft_text")(edition)  # noqa: B009  (a template macro: mypy cannot see it)
    return " ".join(Markup(text).striptags().split())


def render_index(templates_dir: Path, handouts: list[dict[str, Any]], notice: Sequence[str] = ()) -> str:
    """``dist/index.html``: every edition of every handout, by the language's own name, and a link
    to each of the language-assistance notice's files in ``notice`` (``notice.html``, ``notice.pdf``)."""
    return _english_page(templates_dir, "index.html.j2", "index.html", handouts=handouts, notice=notice)
