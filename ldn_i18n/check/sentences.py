"""An omitted sentence: :func:`check_sentences` (code ``sentences``).

A translation with fewer sentences than its English, each counted by its own
language's rules (:func:`ldn_i18n.readability.segment.sentences`: ``.`` and
``?`` followed by a space, ``。`` and ``؟``, abbreviations such as ``U.S.`` and
``EE. UU.``, decimals), is an error: a warning the reader never sees. Citation
groups and emphasis markers are left out first, so ``[@kim2020]`` after a full
stop is no sentence. A list item is one message, so a list is never joined. A
translator who joins two sentences on purpose says so with
``# noqa: sentences -- reason``. More sentences than the English (a long one
split, as plain language asks) is no finding; the ``length`` warning stays
what it is.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..languages import language
from ..markup import inspect_inline
from ..project import is_test_locale
from .codes import Rules

#: Scripts that mark no sentence end with punctuation (Thai ends a sentence with a space):
#: their sentences cannot be counted from the text, so they are not compared.
UNMARKED_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr"})


def sentence_count(text: str, locale: str) -> int:
    """How many sentences the plain text of message ``text`` has in ``locale``'s rules."""
    from ..readability.segment import sentences

    return len(sentences(inspect_inline(text).text, locale))


def check_sentences(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """No fewer sentences in the translation than in the English."""
    if is_test_locale(rules.locale) or language(rules.locale).script in UNMARKED_SCRIPTS:
        return
    want, got = sentence_count(source, "en"), sentence_count(target, rules.locale)
    if got < want:
        yield (
            "sentences",
            f"{got} sentence{'s' if got != 1 else ''} where the English has {want}: is one left out? "
            "(two joined on purpose: say so above the message, `# noqa: sentences -- why`)",
        )
