"""Translation memory: :class:`Memory` indexes every catalog of a language, :func:`fill` fills the
empty messages of one catalog from it; :func:`memory_origin` says where a message came from.

``update`` builds one :class:`Memory` per run, from the catalogs it has parsed anyway (every
handout, the templates and the notice of each language), before any of them is merged. Only a
message that is translated (:func:`~ldn_i18n.pofiles.translation_state`: not fuzzy, every form
written), singular, and not sent back by a reviewer (``# review:``) is an entry: a match nobody
confirmed is fuzzy, so it never feeds another.

A message still empty after the merge gets, from another catalog of its language:

- an **identical** English (same msgid and msgctxt): the same translation, marked ``fuzzy``, with
  the translator comment ``memory: identical English, from <domain>.po``;
- else a **close** English: the closest translation whose English is at least
  :data:`THRESHOLD` similar by word-level Levenshtein (:func:`similarity`), marked ``fuzzy`` with
  ``#| msgid`` giving the English it was made for and ``memory: 82% similar English, from ...``.

Fuzzy is never printed and never released: the translator confirms it (clears fuzzy), the
reviewer signs it in this catalog. A match carries no sign-off (sign-offs live per catalog).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from babel.messages.catalog import Catalog, Message

from .pofiles import entry_key, translation_of
from .text import nfc

#: The lowest word-level similarity a close match needs (70%: the lowest "fuzzy match" band
#: translation-memory tools commonly offer).
THRESHOLD = 0.7
#: Tokens the index reads beyond the fewest that guarantee a close text is found (:meth:`Memory._close`).
EXTRA = 2
#: Every translator comment written here starts with this; :func:`memory_origin` reads it back.
PREFIX = "memory:"
#: A reviewer's "needs change" comment (:mod:`ldn_i18n.serve.signoffs`): such a translation is no entry.
REVIEW_PREFIX = "review:"
_TOKEN = re.compile(r"\w+|[^\w\s]+")


def tokens(text: str) -> tuple[str, ...]:
    """The words and punctuation runs of ``text``, lower-cased: what :func:`similarity` compares."""
    return tuple(_TOKEN.findall(text.lower()))


def similarity(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """``1 - d / max(len(a), len(b))`` where ``d`` is the Levenshtein distance counted in words
    (insert, delete or substitute one token), the measure translation-memory tools call a fuzzy
    match percentage. 1.0 for identical token lists."""
    if not a or not b:
        return 1.0 if len(a) == len(b) else 0.0
    longest = max(len(a), len(b))
    distance = _distance(a, b, longest)
    return 1.0 - (longest if distance is None else distance) / longest


def _distance(a: Sequence[Hashable], b: Sequence[Hashable], limit: int) -> int | None:
    """The Levenshtein distance of two token lists, or None as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, token in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (token != other)))
        if min(current) > limit:  # every later row is at least this far
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


@dataclass(frozen=True, slots=True)
class Entry:
    """One translated message of a catalog, offered to the others of its language."""

    english: str
    """Its msgid."""
    context: str | None
    """Its msgctxt."""
    translation: str
    """Its msgstr (NFC)."""
    domain: str
    """The catalog it is in (handout slug, ``templates`` or ``notice``)."""


@dataclass(frozen=True, slots=True)
class Match:
    """What :meth:`Memory.lookup` found for one message."""

    entry: Entry
    """The translation offered and where it is."""
    similarity: float
    """1.0 for an identical English (msgid and msgctxt), else :func:`similarity` of the two."""
    identical: bool
    """Whether the English is the very same (msgid and msgctxt)."""

    def comment(self) -> str:
        """The translator comment that marks the message, naming where it came from."""
        kind = (
            "identical English" if self.identical else f"{math.floor(self.similarity * 100)}% similar English"
        )
        return f"{PREFIX} {kind}, from {self.entry.domain}.po"


@dataclass(slots=True)
class Memory:
    """The entries of every language, and one English index they share (most sentences are in
    every language's catalogs, so each English is compared once per run, not once per language)."""

    exact: dict[str, dict[str | tuple[str, str], list[Entry]]] = field(default_factory=dict)
    """Per locale, the entries by :func:`~ldn_i18n.pofiles.entry_key`, in the order added."""
    postings: dict[str, set[str]] = field(default_factory=dict)
    """For each token, the English texts (without msgctxt) that contain it."""
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The tokens of each English text in :attr:`postings`."""
    bags: dict[str, frozenset[tuple[str, int]]] = field(default_factory=dict)
    """The tokens of each English text of :attr:`postings` as a set (:func:`_bag`), to count the
    words two texts have in common by a set intersection."""
    rank: dict[str, int] = field(default_factory=dict)
    """The order in which each English text of :attr:`words` was added (ties go to the first)."""
    close_cache: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    """Per English looked up, its close English texts, most similar first (computed once)."""

    def add(self, locale: str, domain: str, catalog: Catalog) -> None:
        """Offer every usable message of ``catalog`` (a catalog of ``locale`` as read, before merging)."""
        entries = self.exact.setdefault(locale, {})
        for message in catalog:
            english, string = message.id, message.string
            if not isinstance(english, str) or not isinstance(string, str) or not string.strip():
                continue  # a plural message, an empty one
            if not usable(message):  # the header too
                continue
            entry = Entry(english, message.context, nfc(string), domain)
            entries.setdefault(entry_key(english, message.context), []).append(entry)
            if message.context is None and english not in self.words:
                self.rank[english] = len(self.words)
                self.words[english] = words = tokens(english)
                self.bags[english] = _bag(words)
                for token in set(words):
                    self.postings.setdefault(token, set()).add(english)
        self.close_cache.clear()

    def lookup(self, locale: str, domain: str, english: str, context: str | None) -> Match | None:
        """The best translation for ``english`` from another catalog of ``locale``: identical first,
        else the most similar at or above :data:`THRESHOLD` (ties: the first catalog added)."""
        entries = self.exact.get(locale)
        if not entries:
            return None
        found = _other(entries.get(entry_key(english, context), []), domain)
        if found is not None:
            return Match(found, 1.0, identical=True)
        if context is not None:
            return None
        for score, other in self._close(english):
            found = _other(entries.get(other, []), domain)
            if found is not None:
                return Match(found, score, identical=False)
        return None

    def _close(self, english: str) -> list[tuple[float, str]]:
        """English texts at least :data:`THRESHOLD` similar to ``english``, most similar first.

        Prefix filtering keeps this fast. A text that similar has at least ``THRESHOLD * n`` of
        the ``n`` tokens of ``english`` in common (a Levenshtein alignment matches that many), so
        it holds at least ``k - (n - THRESHOLD * n)`` of any ``k`` of them. Taking ``k`` rarest
        tokens (:data:`EXTRA` more than the fewest that guarantee one), only the texts their
        postings name that often (counted at C speed), then those of a length and an exact count
        of words in common that allow the threshold, are compared in full.
        """
        cached = self.close_cache.get(english)
        if cached is not None:
            return cached
        query = tokens(english)
        found: list[tuple[float, str]] = []
        if query:
            spare = len(query) - THRESHOLD * len(query) + 1e-9  # tokens that may find no match
            rarest = sorted(query, key=lambda token: (len(self.postings.get(token, ())), token))
            prefix = rarest[: min(len(query), math.floor(spare) + 1 + EXTRA)]
            need = len(prefix) - spare
            shared = Counter(chain.from_iterable(self.postings.get(token, ()) for token in prefix))
            wanted = _bag(query)
            for other, count in shared.items():
                if count < need or other == english:
                    continue
                words = self.words[other]
                longest = max(len(words), len(query))
                if min(len(words), len(query)) < THRESHOLD * longest - 1e-9:
                    continue
                if len(wanted & self.bags[other]) < THRESHOLD * longest - 1e-9:
                    continue  # too few words in common
                distance = _distance(query, words, math.floor((1 - THRESHOLD) * longest + 1e-9))
                if distance is not None:
                    found.append((1.0 - distance / longest, other))
        found.sort(key=lambda item: (-item[0], self.rank[item[1]]))
        self.close_cache[english] = found
        return found


def _bag(words: tuple[str, ...]) -> frozenset[tuple[str, int]]:
    """``words`` as a set of ``(token, n)``, the n-th occurrence of each token: the intersection of two
    such sets has as many items as the two lists have tokens in common, repeats counted."""
    seen: Counter[str] = Counter()
    items = []
    for token in words:
        seen[token] += 1
        items.append((token, seen[token]))
    return frozenset(items)


def _other(entries: list[Entry], domain: str) -> Entry | None:
    return next((entry for entry in entries if entry.domain != domain), None)


def usable(message: Message) -> bool:
    """Whether ``message`` may be offered to other catalogs: translated (not fuzzy), singular, and
    not sent back by a reviewer."""
    return (
        bool(message.id)
        and isinstance(message.id, str)
        and translation_of(message) == "translated"
        and not any(comment.startswith(REVIEW_PREFIX) for comment in message.user_comments)
    )


def memory_origin(message: Message) -> str:
    """Where ``message``'s translation came from when the memory filled it (the comment's text after
    ``memory:``), else ''."""
    return next((c[len(PREFIX) :].strip() for c in message.user_comments if c.startswith(PREFIX)), "")


def from_memory(message: Message) -> bool:
    """Whether ``message`` is a memory match nobody confirmed yet (still fuzzy, with its comment)."""
    return bool(message.fuzzy and memory_origin(message))


def fill(catalog: Catalog, memory: Memory, locale: str, domain: str, changed: set[object]) -> int:
    """Fill every message of ``catalog`` still empty after the merge from ``memory``; the number filled.

    ``changed`` holds the keys (:func:`~ldn_i18n.pofiles.entry_key`) of the messages that are new
    or changed in this merge: one of those that the merge matched to its own old translation loses
    a ``memory:`` comment it carried over, which would name a match it no longer is.
    """
    filled = 0
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        string = message.string
        written = bool(
            string.strip() if isinstance(string, str) else any(f and f.strip() for f in string or ())
        )
        if written and message.user_comments and entry_key(message.id, message.context) in changed:
            message.user_comments = [c for c in message.user_comments if not c.startswith(PREFIX)]
        if written:
            continue
        match = memory.lookup(locale, domain, message.id, message.context)
        if match is None:
            continue
        message.string = match.entry.translation
        message.flags.add("fuzzy")
        message.previous_id = [] if match.identical else [match.entry.english]
        kept = [c for c in message.user_comments if not c.startswith(PREFIX)]
        message.user_comments = [*kept, match.comment()]
        filled += 1
    return filled
