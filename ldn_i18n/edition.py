"""One edition = one handout in one language: :func:`compose` -> :class:`Edition`.

This is where translations are applied. Each block's msgid comes from the
same :func:`~ldn_i18n.messages.handout_messages` that extraction uses; a block
whose translation is not printed (missing, incomplete or fuzzy:
:func:`~ldn_i18n.pofiles.translation_state`) falls back to English and is
marked as such. An :class:`Edition` is made whole by :func:`compose` and not
changed after. Nothing here reads or writes files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from markupsafe import Markup, escape

from .errors import LdnError
from .gate import Gate
from .languages import Language, language
from .markup import inspect_inline, plain_text, render_inline
from .messages import handout_messages
from .pofiles import forms_of, msgstr_line, translated, translation_of
from .project import SOURCE_LOCALE
from .references import CiteLabel, Reference, cite_html, name_citations
from .source import Handout
from .text import CONVERSION, format_problem, placeholders
from .typography import format_date


@cache
def _plural_rule(expr: str) -> Callable[[int], int]:
    import gettext

    return gettext.c2py(expr)  # type: ignore[attr-defined,no-any-return]


class Translations:
    """gettext over one catalog, for the templates: what it returns is escaped, checked data.

    A translation is never trusted markup: it is escaped, then its ``%``
    placeholders are filled (the values escaped too). A translation that is
    not a valid format string, or names a placeholder the template does not
    give, fails the edition with the catalog's file and line. Fuzzy or empty
    entries give the English, and so does a draft mark that is not a stated word for draft
    (:func:`.check.draft.draft_word`).
    """

    def __init__(self, catalog: Catalog | None, path: Path | None = None):
        self.catalog = catalog
        self.path = (
            path if path is not None else getattr(catalog, "source_path", None)
        )  # a Babel Catalog has none

    def lookup(self, msgid: str) -> str | None:
        """The translation of ``msgid`` in NFC when it is printed (:func:`.pofiles.translated`), or None."""
        message = self.catalog.get(msgid) if self.catalog is not None else None
        if message is None or not translated(message):
            return None
        return forms_of(message)[0]

    def where(self, msgid: str) -> int | None:
        """The line of ``msgid``'s msgstr in the catalog file, when known."""
        message = self.catalog.get(msgid) if self.catalog is not None else None
        if message is None or self.path is None:
            return None
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        return msgstr_line(lines, message.lineno)

    def _format(self, text: str, msgid: str, translated: bool, variables: dict[str, Any]) -> Markup:
        problem = format_problem(text)
        if problem is None:
            for spec in placeholders(text):
                name = CONVERSION.match(spec).group("name") if spec.startswith("%(") else None  # type: ignore[union-attr]
                if name is None:
                    problem = f"{spec!r} is a positional placeholder: use the %(name)s form of the English"
                elif name not in variables:
                    problem = f"{spec!r} is not a placeholder of this message (it has {_names(variables)})"
                if problem:
                    break
        if problem:
            if translated:
                raise LdnError(f"translation of {msgid[:50]!r}: {problem}", self.path, self.where(msgid))
            raise LdnError(f"template string {msgid[:50]!r}: {problem}")
        try:
            return Markup(escape(text)) % variables
        except (TypeError, ValueError, KeyError) as exc:  # a placeholder of the wrong type
            where = (self.path, self.where(msgid)) if translated else (None, None)
            raise LdnError(f"translation of {msgid[:50]!r} cannot be filled in: {exc}", *where) from None

    def gettext(self, msgid: str, **variables: Any) -> Markup:
        found = self.lookup(msgid)
        shown = self._format(found if found is not None else msgid, msgid, found is not None, variables)
        if found is not None and msgid == "DRAFT":  # the draft mark prints only as a stated word for draft
            from .check.draft import DRAFT_MARK, draft_word

            locale = getattr(self.catalog, "locale_identifier", None)
            if draft_word(found, str(locale) if locale else None) == DRAFT_MARK:
                return self._format(msgid, msgid, False, variables)
        return shown

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", n)
        message = self.catalog.get(singular) if self.catalog is not None else None
        if message is not None and isinstance(message.string, tuple) and translated(message):
            index = self._plural_index(n)
            if 0 <= index < len(message.string):
                return self._format(forms_of(message)[index], singular, True, variables)
        return self._format(singular if n == 1 else plural, singular, False, variables)

    def _plural_index(self, n: int) -> int:
        """Which plural form ``n`` takes (``read_catalog`` has refused a malformed Plural-Forms)."""
        return int(_plural_rule(self.catalog.plural_expr)(n))  # type: ignore[union-attr]


def _names(variables: dict[str, Any]) -> str:
    return ", ".join(f"%({name})s" for name in sorted(variables)) or "no placeholders"


@dataclass(frozen=True, slots=True)
class Edition:
    """Everything the template needs for one handout in one language, made by :func:`compose`."""

    handout: Handout
    """The source handout."""
    language: Language
    """The edition's language: locale, tag, direction, own name, script, fonts."""
    title_html: Markup
    """Rendered title."""
    title_text: str
    """Title without markup (HTML ``<title>``, PDF metadata)."""
    nodes: list[dict[str, Any]]
    """Headings, paragraphs and lists with rendered HTML, in order."""
    references: list[Reference]
    """The reference list, same articles and numbers in every edition."""
    untranslated: int = 0
    """Blocks shown in English because they have no translation."""
    fuzzy: int = 0
    """Blocks shown in English because their translation is fuzzy."""
    gate: Gate | None = None
    """The release gate of a translated edition; None for the source language."""
    created: str = ""
    """ISO date stamped into the HTML and PDF metadata."""
    others: tuple[dict[str, str], ...] = ()
    """The other editions of the handout: ``lang``, ``name``, ``href``, ``direction``."""
    title_fallback: bool = False
    """Whether the title is shown in English for want of a translation (marked like any block)."""

    locale = property(lambda self: self.language.locale, doc="Babel locale identifier (``pt_BR``).")
    lang = property(lambda self: self.language.tag, doc="BCP 47 tag for ``lang=`` and dist/ (``pt-BR``).")
    direction = property(lambda self: self.language.direction, doc="``ltr`` or ``rtl``.")
    name = property(lambda self: self.language.name, doc="The language's own name (``Español``).")
    font_stack = property(lambda self: self.language.fonts, doc="CSS font-family list for the script.")
    hyphenate = property(lambda self: self.language.hyphenate, doc="CSS ``hyphens: auto`` or not.")

    @property
    def is_draft(self) -> bool:
        """A translation that is incomplete, fuzzy, failing checks or not signed off."""
        return self.gate is not None and (not self.gate.final or bool(self.untranslated or self.fuzzy))

    def cited(self, html: str, label: CiteLabel) -> Markup:
        """Rendered ``html`` with each citation link named by ``label`` (a template's macro)."""
        return Markup(name_citations(html, label))

    @property
    def edition_date(self) -> str:
        """The handout's edition date as the language writes it (:func:`.typography.format_date`), or ''."""
        value = self.handout.meta.get("edition")
        if not value:
            return ""
        try:
            return format_date(dt.date.fromisoformat(str(value)), self.language.locale)
        except ValueError:
            return str(value)


def compose(
    handout: Handout,
    locale: str,
    catalog: Catalog | None,
    references: list[Reference],
    *,
    gate: Gate | None = None,
    created: str = "",
    others: Sequence[dict[str, str]] = (),
) -> Edition:
    """The edition of ``handout`` in ``locale``: ``catalog`` (None for the source language)
    applied, with its release ``gate``, the date it is stamped with and the ``others`` it links to.

    A translation citing a reference the handout does not cite fails the
    edition with the catalog's file and line (``check`` reports it first).
    """
    numbers = {ref.key: ref.number for ref in references}

    def cite(keys: Sequence[str]) -> str:
        return cite_html(keys, numbers)

    tr = Translations(catalog)
    untranslated = fuzzy = 0
    rendered: list[dict[str, Any]] = []
    for message in handout_messages(handout):
        text = message.msgid
        fallback = False
        if catalog is not None:
            found = tr.lookup(message.msgid)
            entry = catalog.get(message.msgid)
            state = translation_of(entry) if entry is not None else "untranslated"
            fuzzy += state == "fuzzy"
            untranslated += state == "untranslated"
            if found is None:
                fallback = True
            else:
                text = found
                unknown = [k for group in inspect_inline(text).citations for k in group if k not in numbers]
                if unknown:
                    raise LdnError(
                        f"the translation cites @{unknown[0]}, which the English handout does not cite",
                        tr.path,
                        tr.where(message.msgid),
                    )
        block = message.block
        rendered.append(
            {
                "kind": block.kind,
                "level": block.level,
                "list_id": block.list_id,
                "ordered": block.ordered,
                "fallback": fallback,
                "text": text,
                # English shown for want of a translation keeps English quotation marks.
                "html": Markup(render_inline(text, cite, SOURCE_LOCALE if fallback else locale)),
            }
        )
    title = rendered[0]
    edition = Edition(
        handout=handout,
        language=language(locale),
        title_html=title["html"],
        title_text=plain_text(title["text"], SOURCE_LOCALE if title["fallback"] else locale),
        nodes=group_lists(rendered[1:]),
        references=references,
        untranslated=untranslated,
        fuzzy=fuzzy,
        gate=gate,
        created=created,
        others=tuple(others),
        title_fallback=title["fallback"],
    )
    return edition


def group_lists(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive items of the same list become one ``list`` node."""
    nodes: list[dict[str, Any]] = []
    for block in blocks:
        if block["kind"] != "item":
            nodes.append(block)
        elif nodes and nodes[-1]["kind"] == "list" and nodes[-1]["list_id"] == block["list_id"]:
            nodes[-1]["items"].append(block)
        else:
            nodes.append(
                {"kind": "list", "list_id": block["list_id"], "ordered": block["ordered"], "items": [block]}
            )
    return nodes
