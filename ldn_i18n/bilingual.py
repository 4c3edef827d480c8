"""The bilingual edition: :func:`pair_editions` (English and translated editions -> :class:`Bilingual`),
:func:`render_bilingual` (-> the standalone page) and :func:`make_bilingual` (-> its files'
content, ``<handout>.bilingual.html`` and ``.pdf``).

A clinician points at the English while the patient reads their own language: each block of the
handout (title, heading, paragraph, list item) is printed in English, then in the language, side by
side in two columns, or one under the other (:func:`layout_of`). The clinic's header, the reference
list and the language-assistance notice are printed once; a draft is marked in both languages. The
page's direction is the language's, so a right-to-left language mirrors the page (English on the
right, the first column in its reading direction). Each block carries its ``lang`` (and its
``/Lang`` in the PDF's structure tree: :mod:`ldn_i18n.pdf` tags every element of class ``block``).

Both editions come from :func:`ldn_i18n.edition.compose`, so their blocks are the same messages in
the same order; nothing here writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from .clinic import Clinic
from .edition import Edition
from .notice import ANCHOR, Notice
from .project import SOURCE_LOCALE, Project
from .templating import Templates
from .translations import Translations

if TYPE_CHECKING:
    from .pdf import Printed

#: How the file names of a bilingual edition end, before ``.html`` or ``.pdf``.
SUFFIX = ".bilingual"
#: What a bilingual PDF longer than :func:`page_budget` is told to change.
BUDGET_RULE = "2 x pages: + 1, or bilingual-pages:, in its front matter"
#: Scripts printed one block under the other rather than in a column of half the page (about 40
#: Latin characters): those Pango breaks into lines by dictionary, with no spaces between words
#: (Thai, Lao, Khmer, Myanmar), and the Indic scripts, whose stacked marks and long words need the
#: full measure at the same type size.
ALTERNATING_SCRIPTS = frozenset(
    {
        "Thai",
        "Laoo",
        "Khmr",
        "Mymr",
        "Deva",
        "Beng",
        "Gujr",
        "Guru",
        "Orya",
        "Taml",
        "Telu",
        "Knda",
        "Mlym",
        "Sinh",
    }
)

Layout = Literal["columns", "alternating"]


def layout_of(script: str) -> Layout:
    """``alternating`` for a script of :data:`ALTERNATING_SCRIPTS`, else ``columns``."""
    return "alternating" if script in ALTERNATING_SCRIPTS else "columns"


def page_budget(pages: int | None, meta: dict[str, Any]) -> int:
    """The bilingual edition's page budget: ``bilingual-pages:`` of the front matter, else twice
    ``pages:`` and one more (each block printed twice, and the header and references once)."""
    own = meta.get("bilingual-pages")
    if isinstance(own, int) and not isinstance(own, bool) and own > 0:
        return own
    return 2 * pages + 1 if pages else 0


@dataclass(frozen=True, slots=True)
class Pair:
    """One block of the handout in both languages."""

    kind: str
    """``heading``, ``paragraph`` or ``list``."""
    english: dict[str, Any]
    """The English edition's node (:attr:`Edition.nodes`)."""
    translated: dict[str, Any]
    """The translated edition's node: the same message, printed as the edition prints it."""

    @property
    def items(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """A list's items in both languages."""
        return list(zip(self.english["items"], self.translated["items"], strict=True))


@dataclass(frozen=True, slots=True)
class Bilingual:
    """What the bilingual page shows: two editions of one handout, block by block."""

    english: Edition
    """The handout in English (no catalog, no gate)."""
    edition: Edition
    """The handout in the language, with its gate: its draft state is the bilingual edition's."""
    pairs: tuple[Pair, ...]
    """Every block after the title, in order."""
    layout: Layout
    """How each pair is set (:func:`layout_of` the language's script)."""


def pair_editions(english: Edition, edition: Edition) -> Bilingual:
    """The bilingual edition of two editions of the same handout."""
    assert english.locale == SOURCE_LOCALE and english.handout.slug == edition.handout.slug
    if len(english.nodes) != len(edition.nodes):  # both are composed from the same handout's messages
        raise ValueError(f"{edition.handout.slug}: the two editions have different blocks")
    pairs = tuple(
        Pair(ours["kind"], ours, theirs) for ours, theirs in zip(english.nodes, edition.nodes, strict=True)
    )
    return Bilingual(english, edition, pairs, layout_of(edition.language.script))


def render_bilingual(
    templates: Templates, bilingual: Bilingual, clinic: Clinic, ui: Translations, notice: Notice | None = None
) -> str:
    """The standalone bilingual page (``templates/bilingual.html.j2``), read back by the guard.

    The draft note is written twice: in English (the template's strings untranslated) and in the
    language (through ``ui``, the language's templates catalog).
    """
    from .guard import check_page
    from .render import environment

    env = environment(templates)
    edition = bilingual.edition
    english_draft = Markup("")
    if edition.is_draft:
        english = Translations(None)
        env.install_gettext_callables(english.gettext, english.ngettext, newstyle=False)  # type: ignore[attr-defined]
        module = env.get_template("draft.j2").make_module({"edition": edition})
        as_english = replace(edition, language=bilingual.english.language)  # English punctuation
        english_draft = Markup(getattr(module, "draft_text")(as_english))  # noqa: B009  (a template macro)
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=False)  # type: ignore[attr-defined]
    page = env.get_template("bilingual.html.j2").render(
        bilingual=bilingual,
        edition=edition,
        english=bilingual.english,
        english_draft=english_draft,
        clinic=clinic,
        notice=notice,
        variant="regular",
    )
    check_page(page, templates, f"{edition.lang}/{edition.handout.slug}{SUFFIX}.html")
    return page


def make_bilingual(
    project: Project,
    english: Edition,
    edition: Edition,
    clinic: Clinic,
    ui: Translations,
    notice: Notice | None = None,
) -> tuple[list[tuple[Path, str | bytes]], Printed, int]:
    """The bilingual edition's files, ``dist/<lang>/<handout>.bilingual.html`` and ``.pdf`` (not
    written: the build writes every file of an edition at once), the PDF as printed, and its
    :func:`page_budget`."""
    from .pdf import render_pdf
    from .references import printed_page
    from .render import page_kind

    page = render_bilingual(project.templates, pair_editions(english, edition), clinic, ui, notice)
    folder = project.dist_dir / edition.lang
    name = f"{edition.handout.slug}{SUFFIX}"
    printed = printed_page(page, edition.direction)
    label, kind = f"{edition.lang}/{name}.pdf", page_kind("bilingual", clinic)
    pdf = render_pdf(printed, folder, project.root, label, project.templates, ANCHOR, kind)
    budget = page_budget(edition.handout.pages, edition.handout.meta)
    return [(folder / f"{name}.html", page), (folder / f"{name}.pdf", pdf.data)], pdf, budget
