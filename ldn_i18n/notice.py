"""The language-assistance notice: :func:`read_notice` and :func:`compose_notice` -> :class:`Notice`.

Section 1557 (45 CFR 92.11, 2024) asks a covered clinic to tell patients, in
English and in at least the 15 languages most spoken by people with limited
English in its state, that language help and aids for people with
disabilities are free. The clinic writes the notice once, in English, in
``source/notice.md`` (a title and a paragraph, Markdown like a handout), with
``%(phone)s`` and ``%(tty)s`` where its numbers go: they come from
``source/clinic.yaml``, as does the list of languages (``notice-languages:``,
by default :data:`~ldn_i18n.yamlfiles.FLORIDA_NOTICE_LANGUAGES`).

The notice is translated through its own gettext domain (``notice``): each
language's translation is its tagline. Every edition prints the notice last,
on a page of its own (English first, then each tagline in its own language,
script, direction and typeface), and the build writes it alone as
``dist/notice.html`` and ``dist/notice.pdf``.

A tagline is printed when its catalog translates the whole notice. It is
gated like every translation: a build marks the taglines that are drafts,
and a release build prints only final ones (complete, check-clean, signed off
by a qualified reviewer) and says which it left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .errors import LdnError
from .project import SOURCE_LOCALE, Project

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

    from .gate import Gate
    from .source import Handout
    from .yamlfiles import Clinic

#: The placeholders the notice's text may hold, filled from ``source/clinic.yaml``.
PLACEHOLDERS = ("phone", "tty")
_PLACEHOLDER = re.compile(r"%\((" + "|".join(PLACEHOLDERS) + r")\)s")
#: What extraction tells the notice's translators about its paragraph.
TRANSLATOR_NOTE = (
    "Language-assistance notice (Section 1557 tagline), printed on the last page of every handout. "
    'Write the name of your language in place of "English" (as in "ATENCIÓN: si habla español"). '
    "Keep %(phone)s and %(tty)s as they are: the clinic's phone number and its TTY number go there."
)
#: The id of the notice's section in every page: the PDF's page count for the handout stops there.
ANCHOR = "language-assistance"
#: The notice alone, in ``dist/``: its page and its one-page PDF insert.
NOTICE_FILES = ("notice.html", "notice.pdf")


@dataclass(frozen=True, slots=True)
class Tagline:
    """The notice in one language, ready to print."""

    locale: str
    """Babel locale identifier (``zh_Hant``)."""
    lang: str
    """BCP 47 tag for ``lang=`` (``zh-Hant``)."""
    name: str
    """The language's own name (``中文 (繁體)``)."""
    direction: str
    """``ltr`` or ``rtl``."""
    fonts: str
    """CSS font-family list for the language's script."""
    title: Markup
    """The notice's title in the language."""
    text: Markup
    """The notice's paragraph in the language, the clinic's numbers filled in."""
    draft: bool = False
    """Whether the translation is not final (not reviewed, fuzzy, failing a check)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """What every edition prints last, and ``dist/notice.pdf`` alone."""

    english: Tagline
    """The notice in English, printed first."""
    taglines: tuple[Tagline, ...]
    """The taglines printed, in the clinic's order."""
    left_out: tuple[tuple[str, str], ...] = ()
    """``(locale, why)`` of each language of the list whose tagline is not printed (an entry
    that is no locale: ``(its error line, "")``)."""

    @property
    def drafts(self) -> list[str]:
        """The locales whose printed tagline is a draft."""
        return [tagline.locale for tagline in self.taglines if tagline.draft]

    def heading(self, locale: str) -> Tagline:
        """The tagline whose title heads the notice in an edition of ``locale`` (else English)."""
        return next((t for t in self.taglines if t.locale == locale), self.english)

    def problems(self) -> list[str]:
        """The languages of the clinic's list the notice does not print, and why (in English); an
        entry that is no language at all is its error line (``source/clinic.yaml:LINE: error: ...``)."""
        return [f"no {locale} tagline ({why})" if why else locale for locale, why in self.left_out]


def read_notice(project: Project) -> Handout | None:
    """``source/notice.md`` parsed like a handout, or None when the project has no notice."""
    from .source import parse_handout
    from .yamlfiles import read_text

    path = project.notice_path
    if not path.is_file():
        return None
    notice = parse_handout(read_text(path), path)
    from .markup import inspect_inline

    for block in notice.blocks[1:]:
        if block.kind != "paragraph":
            raise LdnError("the notice is a title and paragraphs: no headings or lists", path, block.line)
    for block in notice.blocks:
        if inspect_inline(block.text).citations:
            raise LdnError("the notice cites no references: remove the [@...] citation", path, block.line)
    if len(notice.blocks) < 2:
        raise LdnError("the notice needs a paragraph after its front matter", path, 1)
    return notice


def fill(html: str, clinic: Clinic) -> Markup:
    """The notice's rendered ``html`` with the clinic's numbers in place of its placeholders.

    Values are escaped, and each is isolated left to right (``<bdi dir="ltr">``), whatever its
    punctuation: in a right-to-left line ``813–333–5080`` or ``(813)333-5080`` would otherwise
    print as ``5080–333–813``, its digit groups taken as separate numbers. Any other ``%`` text
    is printed as written (``check`` reports a placeholder the English lacks).
    """
    values = {"phone": clinic.phone, "tty": clinic.tty}

    def shown(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        text = str(escape(value))
        return f'<bdi dir="ltr">{text}</bdi>'

    # One pass over the text: a value that holds a placeholder is not filled again.
    return Markup(_PLACEHOLDER.sub(shown, str(html)))  # str: Markup.sub would escape the span


def compose_notice(
    notice: Handout,
    clinic: Clinic,
    catalogs: Mapping[str, Catalog | LdnError | None],
    gates: Mapping[str, Gate],
    release: bool,
) -> Notice:
    """The notice in English and in each of ``clinic.notice_languages``.

    ``catalogs`` are the languages' ``notice`` catalogs (None when missing, the
    error when unreadable) and ``gates`` their release gates
    (:func:`~ldn_i18n.gate.notice_gate`). A language is left out, with why, when
    its catalog is missing, unreadable, read differently by gettext tools or does
    not translate the whole notice, when it is not a locale CLDR knows, and with
    ``release`` when its gate is not final.
    """
    from .fonts import font_problem

    english = _tagline(notice, SOURCE_LOCALE, None, clinic)
    taglines: list[Tagline] = []
    left_out: list[tuple[str, str]] = []
    for locale in clinic.notice_languages:
        catalog = catalogs.get(locale)
        gate = gates.get(locale)
        if catalog is None:
            left_out.append((locale, f"no catalog locale/{locale}/LC_MESSAGES/notice.po"))
            continue
        if isinstance(catalog, LdnError):
            left_out.append((locale, str(catalog)))
            continue
        if gate is not None and gate.broken:
            first = gate.broken[0]
            left_out.append((locale, f"{first.path}:{first.line}: {first.code}: {first.message}"))
            continue
        try:
            missing_font = font_problem(locale)  # one language without a face must not stop every page
            tagline = None if missing_font else _tagline(notice, locale, catalog, clinic)
        except LdnError as exc:
            left_out.append((locale, str(exc)))
            continue
        if missing_font:
            left_out.append((locale, missing_font))
            continue
        if tagline is None:
            left_out.append((locale, "not fully translated, or fuzzy"))
            continue
        final = gate is not None and gate.final
        if release and not final:
            why = "; ".join(gate.reasons()) if gate is not None else "no release gate"
            left_out.append((locale, f"not released: {why}"))
            continue
        taglines.append(replace(tagline, draft=not final))
    assert english is not None  # the source language needs no catalog
    return Notice(english, tuple(taglines), tuple(left_out))


def _tagline(notice: Handout, locale: str, catalog: Catalog | None, clinic: Clinic) -> Tagline | None:
    """``notice`` in ``locale`` (English with no catalog); None when a message is not translated."""
    from .edition import compose
    from .fonts import font_stack

    edition = compose(notice, locale, catalog, [])
    if edition.untranslated or edition.fuzzy:  # English in its place would not be a tagline
        return None
    text = Markup(" ").join(node["html"] for node in edition.nodes if node["kind"] == "paragraph")
    language = edition.language
    return Tagline(
        locale=locale,
        lang=language.tag,
        name=language.name,
        direction=language.direction,
        fonts=font_stack(locale),
        title=fill(edition.title_html, clinic),
        text=fill(text, clinic),
    )
