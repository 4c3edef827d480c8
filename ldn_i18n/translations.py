"""gettext over one catalog for the templates: :class:`Translations`.

What it returns is escaped, checked data: a translation is never trusted
markup. Used by the editions (:mod:`ldn_i18n.edition`), the index and the
plain-language figures (:mod:`ldn_i18n.readability`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from markupsafe import Markup, escape

from .errors import LdnError
from .pofiles import forms_of, msgstr_line, translated
from .text import CONVERSION, format_problem, placeholders


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
