"""The draft mark says draft, and nothing else: :func:`check_draft_mark` and :func:`draft_word`.

The templates' mark ``_("DRAFT")`` (:data:`DRAFT_MARK`) prints beside the
English DRAFT on every page of an edition that is not final. Its translation
must be one of the words ``ldn_i18n/data/draft.json`` states for the language
(``borrador``, ``草稿``, ``مسودة``): ``VERSIÓN FINAL`` is a ``draft-mark``
error, and :func:`draft_word` (which the pages print through) never prints it,
whatever ``check`` says, so a silenced finding cannot change the page either.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources

from ..project import is_test_locale
from .codes import Rules

#: The msgid of the draft mark in the templates (``templates/draft.j2``, ``index.html.j2``).
DRAFT_MARK = "DRAFT"


@cache
def _table() -> dict[str, frozenset[str]]:
    text = resources.files("ldn_i18n").joinpath("data", "draft.json").read_text(encoding="utf-8")
    languages = json.loads(text)["languages"]
    return {code: frozenset(_folded(w) for w in entry["words"]) for code, entry in languages.items()}


def _folded(text: str) -> str:
    """Case, spacing, invisible characters and end punctuation aside."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.casefold().split()).strip(" .:!·-–—")


def draft_words(locale: str) -> frozenset[str] | None:
    """What "draft" may be in ``locale``'s language; None when the data file does not say."""
    from .negation import base_language

    return _table().get(base_language(locale))


def draft_word(translation: str, locale: str | None) -> str:
    """``translation`` of the mark when it is a stated word for draft in ``locale``, else ``DRAFT``."""
    if locale and is_test_locale(locale):  # en_XA shows which text goes through the catalogs
        return translation
    words = draft_words(locale) if locale else None
    return translation if words and _folded(translation) in words else DRAFT_MARK


def check_draft_mark(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """The translation of the draft mark is a stated word for draft in the language."""
    if source != DRAFT_MARK or not rules.formatted or is_test_locale(rules.locale):
        return
    words = draft_words(rules.locale)
    if words is None:
        yield (
            "draft-mark",
            f"no word for draft is stated for {rules.locale} (ldn_i18n/data/draft.json): leave the mark "
            "untranslated (the English DRAFT prints alone) or add the word there with its source",
        )
    elif _folded(target) not in words:
        stated = ", ".join(sorted(words))
        yield (
            "draft-mark",
            f"{target!r} does not say draft in {rules.locale} (stated: {stated}): the mark must never "
            "read as final, approved or reviewed",
        )
