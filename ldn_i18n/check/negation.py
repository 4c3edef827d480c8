"""Negation, in a translation and in a back-translation: :func:`check_negation` and :func:`negations`.

:func:`negations` reads the negations of a text in one language from the words
of ``ldn_i18n/data/negation.json`` (one entry per language, its grammar named):
how many negations it certainly has (``firm``) and how many words that negate
by meaning or only sometimes (``avoid``, ``unless``, Arabic ``ما``) it has
besides (``flexible``), each a :class:`Negation` with the words it bears on.
Negative concord (``no ... nunca``, ``ne ... pas``, ``не ... никогда``) is one
negation; ``not only`` and ``sin embargo`` none.

:func:`check_negation` (code ``negation``) compares a translation's negations
with its English's, message by message: fewer (a lost ``no``, ``不可`` become
``可``) or more than the English can account for is an error.
:func:`unpaired_negations` pairs each negation of one English text with one of
another that bears on the same words (``back-negation``): a count is not enough,
since "taken with opioids, not alone" has as many negations as "not taken with
opioids".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..languages import language
from ..markup import inspect_inline
from ..project import is_test_locale
from .codes import Rules

#: Punctuation that ends a clause (Latin, Arabic, CJK), besides each language's clause words.
_CLAUSE_MARKS = ",;:.!?…()[]،؛؟。，；：！？、（）—–"
#: Invisible characters (format controls) and Arabic vowel marks and tatweel, ignored when reading.
_IGNORED = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u064b-\u065f\u0670\u0640]")


@dataclass(frozen=True, slots=True)
class Negation:
    """One negation found in a text."""

    word: str
    """The words that negate, as written (lower case)."""
    firm: bool
    """True for a negation; False for a word that negates by meaning or only sometimes (``avoid``)."""
    scope: tuple[str, ...] = ()
    """The content words it bears on, as written: the rest of its clause, or the clause before it
    when it ends the clause (English only)."""


@dataclass(frozen=True, slots=True)
class Negations:
    """What :func:`negations` reads in one text."""

    found: tuple[Negation, ...] = field(default_factory=tuple)
    """Every negation and flexible word, in order."""

    @property
    def firm(self) -> int:
        """How many negations the text certainly has."""
        return sum(1 for n in self.found if n.firm)

    @property
    def flexible(self) -> int:
        """How many words it has that negate by meaning or only sometimes."""
        return len(self.found) - self.firm

    def shown(self) -> str:
        words = [n.word for n in self.found if n.firm]
        return f"{len(words)} ({', '.join(words)})" if words else "none"


@dataclass(frozen=True, slots=True)
class _Language:
    """One language's entry of the data file, compiled."""

    kinds: dict[str, frozenset[str]]
    """Each entry's text -> the lists it is in (words, concord, exceptive, flexible, not_negation, clause)."""
    pattern: re.Pattern[str]
    """Every entry, longest first, each with its word boundaries."""


def _marks() -> str:
    """A character class body of every combining mark (a mark continues the word before it).

    The marks are written as themselves, not as ``\\uXXXX`` escapes: the class is repeated in
    every word's boundaries, compiling the patterns was most of the time a catalog's check
    took, and Python's regex parser reads a character faster than an escape (the 16 languages
    compile in half the time; the compiled patterns are the same)."""
    ranges: list[list[int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


@cache
def _word_class() -> str:
    return rf"[\w{_marks()}]"


@cache
def table() -> dict[str, dict[str, Any]]:
    """The data file's languages (``ldn_i18n/data/negation.json``), by base language code."""
    text = resources.files("ldn_i18n").joinpath("data", "negation.json").read_text(encoding="utf-8")
    languages: dict[str, dict[str, Any]] = json.loads(text)["languages"]
    return languages


def base_language(locale: str) -> str:
    """The data file's key for ``locale`` (``pt_BR`` -> ``pt``, ``zh_Hant`` -> ``zh``)."""
    return language(locale).cldr.split("_")[0].split("-")[0].lower()


@cache
def _compiled(base: str) -> _Language | None:
    entry = table().get(base)
    if entry is None:
        return None
    kinds: dict[str, set[str]] = {}
    for kind in ("words", "concord", "exceptive", "flexible", "not_negation", "clause", "affixes"):
        for text in entry.get(kind, []):
            kinds.setdefault(unicodedata.normalize("NFKC", str(text)).casefold(), set()).add(kind)
    continuous = bool(entry.get("continuous"))
    prefixes = "".join(re.escape(str(p)) for p in entry.get("prefixes", []))
    word = _word_class()
    alternatives: list[str] = []
    for text in sorted(kinds, key=lambda t: (-len(t), t)):
        inside = continuous or "affixes" in kinds[text]
        body = r"\s+".join(re.escape(part) for part in text.split())
        if not inside and re.match(word, text[:1]):
            clitics = f"(?:[{prefixes}]{{1,2}})?" if prefixes else ""
            body = f"(?<!{word}){clitics}(?P<w{len(alternatives)}>{body})"
        else:
            body = f"(?P<w{len(alternatives)}>{body})"
        if not inside and re.match(word, text[-1:]):
            body += f"(?!{word})"
        alternatives.append(body)
    marks = re.escape(_CLAUSE_MARKS)
    pattern = re.compile("|".join([*alternatives, f"(?P<mark>[{marks}]|\\s-\\s)"]))
    return _Language({k: frozenset(v) for k, v in kinds.items()}, pattern)


def _prepared(text: str) -> str:
    plain = inspect_inline(text).text
    return _IGNORED.sub("", unicodedata.normalize("NFKC", plain)).casefold()  # ﻻ is لا, ｎｏ is no


def _events(text: str, compiled: _Language) -> Iterator[tuple[int, int, str]]:
    """``(start, end, entry)`` of every entry in ``text``, or ``(start, end, "")`` for a clause mark."""
    for match in compiled.pattern.finditer(text):
        if match.group("mark") is not None:
            yield match.start(), match.end(), ""
            continue
        name = match.lastgroup or ""
        yield match.start(name), match.end(name), re.sub(r"\s+", " ", match.group(name))


def negations(text: str, locale: str) -> Negations | None:
    """The negations of ``text`` in ``locale``'s language; None for a language the data file lacks."""
    compiled = _compiled(base_language(locale))
    if compiled is None:
        return None
    prepared = _prepared(text)
    found: list[Negation] = []
    clause: list[int] = []  # indexes in ``found`` of the firm negations of the current clause
    clause_start = 0
    bounds: list[tuple[int, int, int]] = []  # (index in found, its end, clause start)
    for _start, end, entry in _events(prepared, compiled):
        kinds = compiled.kinds.get(entry, frozenset()) if entry else frozenset({"mark"})
        if "not_negation" in kinds:
            continue
        if "exceptive" in kinds and clause:
            last = found[clause[-1]]
            found[clause[-1]] = Negation(last.word + " ... " + entry, False)
            clause.pop()
            continue
        if kinds & {"mark", "clause"}:
            clause, clause_start = [], end
            continue
        if "flexible" in kinds:
            found.append(Negation(entry, False))
            bounds.append((len(found) - 1, end, clause_start))
        elif clause and "concord" in kinds:
            continue  # no ... nunca, ne ... pas: one negation
        elif kinds & {"words", "affixes"}:
            clause.append(len(found))
            found.append(Negation(entry, True))
            bounds.append((len(found) - 1, end, clause_start))
    if base_language(locale) == "en":
        found = _with_scopes(prepared, found, bounds, compiled)
    return Negations(tuple(found))


def _with_scopes(
    text: str, found: list[Negation], bounds: list[tuple[int, int, int]], compiled: _Language
) -> list[Negation]:
    """Each English negation with the content words it bears on (its clause after it, else before it)."""
    ends = [
        end for start, end, entry in _events(text, compiled) if not entry or "clause" in compiled.kinds[entry]
    ]
    scoped = list(found)
    for index, end, clause_start in bounds:
        clause_end = min((e for e in ends if e > end), default=len(text))
        after = _content(text[end:clause_end])
        scoped[index] = Negation(
            found[index].word, found[index].firm, after or _content(text[clause_start:end])
        )
    return scoped


def _content(text: str) -> tuple[str, ...]:
    """The content words of English ``text``: none of the data file's ``function_words``."""
    function_words = frozenset(table()["en"]["function_words"])
    words = re.findall(r"[a-z]+(?:['’][a-z]+)?", text)
    return tuple(w for w in words if w not in function_words and not w.endswith(("n't", "n’t")))


def _stem(word: str) -> str:
    """A crude English stem, so that ``taken``, ``takes`` and ``taking`` are one word."""
    for suffix in ("ing", "en", "ed", "es", "s", "e", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def check_negation(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """As many negations in the translation as in the English, words that negate by meaning aside.

    A word that negates by meaning (``avoid``, ``stop``, ``unless``) may stand for a negation of
    the other text, but first for such a word of the other text (``stop`` is ``停用``): so
    "Do not stop LDN" written "停用LDN" has lost its negation.
    """
    if is_test_locale(rules.locale):  # en_XA's accented English is no language to read
        return
    want, got = negations(source, "en"), negations(target, rules.locale)
    if want is None or got is None:
        return
    spare_got = max(0, got.flexible - want.flexible)  # flexible words of one side left to stand for
    spare_want = max(0, want.flexible - got.flexible)  # a negation of the other
    if want.firm > got.firm + spare_got:
        yield (
            "negation",
            f"the English negates {want.shown()}, the translation {got.shown()}: "
            "a negation is lost (the instruction is reversed)",
        )
    elif got.firm > want.firm + spare_want:
        yield (
            "negation",
            f"the translation negates {got.shown()}, the English {want.shown()}: a negation is added",
        )


def unpaired_negations(source: str, other: str) -> tuple[list[Negation], list[Negation]]:
    """The negations of English ``source`` and ``other`` that no negation of the other text pairs.

    Two pair when they bear on a common content word (or both on none). A word
    that negates by meaning (``avoid``) pairs too, but is never required.
    """
    mine = list((negations(source, "en") or Negations()).found)
    theirs = list((negations(other, "en") or Negations()).found)
    unpaired_theirs = list(theirs)
    lost = []
    for negation in sorted(mine, key=lambda n: not n.firm):
        match = next((n for n in unpaired_theirs if _pairs(negation, n)), None)
        if match is not None:
            unpaired_theirs.remove(match)
        elif negation.firm:
            lost.append(negation)
    return lost, [n for n in unpaired_theirs if n.firm]


def _pairs(one: Negation, other: Negation) -> bool:
    mine, theirs = {_stem(w) for w in one.scope}, {_stem(w) for w in other.scope}
    return bool(mine & theirs) or not (mine or theirs)
