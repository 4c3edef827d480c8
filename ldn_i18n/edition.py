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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog
from markupsafe import Markup

from .errors import LdnError
from .fonts import font_stack
from .gate import Gate
from .languages import Language, language
from .markup import inspect_inline, plain_text, render_inline
from .messages import handout_messages
from .pofiles import translation_of
from .project import SOURCE_LOCALE
from .references import CiteLabel, Reference, cite_html, name_citations
from .source import Handout
from .translations import Translations
from .typography import format_date


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
    font_stack = property(lambda self: font_stack(self.locale), doc="CSS font-family list for the script.")
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
