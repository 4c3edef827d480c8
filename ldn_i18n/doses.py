"""Doses in plain words, side by side: :func:`dose_table` (English, translation, locale -> [:class:`DoseRow`])
and :func:`describe` (a :class:`~ldn_i18n.quantities.Quantity` -> ``1,5 miligramos al día``).

What the checks read in a message (:func:`ldn_i18n.quantities.read_doses`),
shown so a reviewer verifies it: each quantity of the English beside the one
of the translation it matches (same number, unit and period first, then same
number), in the words of each language. The reviewer's pack prints the table
for every message with a number; the messages of ``check`` name units with
:func:`describe` and :func:`~ldn_i18n.units.unit_words`, never by their ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .quantities import FORM, TIMES, Quantity, read_doses
from .rates import terms
from .units import show_number, unit_words


def _han(word: str) -> bool:
    return bool(word) and "\u2e80" <= word[0] <= "\u9fff"


def _join(first: str, second: str) -> str:
    return first + second if _han(first[-1:]) or _han(second) else f"{first} {second}"


def _named(kind: str, value: Decimal, locale: str) -> str:
    pair = terms(locale).names.get(kind) or terms("en").names[kind]
    return _join(show_number(value, locale), pair[0] if value == 1 else pair[1])


def amount(value: Decimal, unit: str | None, locale: str) -> str:
    """A number and its unit in ``locale``'s words: ``8 horas``, ``3 veces``, ``2 comprimidos``, ``50 %``."""
    if unit is None:
        return show_number(value, locale)
    if unit in (FORM, TIMES):
        return _named(unit, value, locale)
    return unit_words(value, unit, locale)


def period_words(period: str, locale: str) -> str:
    """'per <period>' in ``locale``'s words (``al día``, ``每天``), as its rate list writes it first."""
    return terms(locale).per_words.get(period) or terms("en").per_words[period]


def describe(quantity: Quantity, locale: str) -> str:
    """A quantity as ``locale`` says it: ``1,5 miligramos al día``, ``cada 8 horas``, ``每天 3次``."""
    if quantity.value is None:
        return quantity.token
    words = amount(quantity.value, quantity.unit, locale)
    if quantity.every:
        return _join(terms(locale).every[0] if terms(locale).every else "every", words)
    if quantity.per:
        per = period_words(quantity.per, locale)
        return _join(per, words) if terms(locale).before else _join(words, per)
    return words


@dataclass(frozen=True, slots=True)
class DoseReading:
    """One quantity as the checks read it."""

    written: str
    """The text it was read from (``1,5 a 4,5 mg al día`` for the range's first number)."""
    words: str
    """What was read, in the language's words (:func:`describe`)."""
    value: Decimal | None
    """The number; None when it is not a number in the language's notation."""
    unit: str | None
    """CLDR unit id, ``form`` or ``times``; None for a bare number."""
    per: str | None
    """The period it is a rate of (``duration-day``), or None."""
    every: bool
    """Whether it is an interval (``every 8 hours``)."""


@dataclass(frozen=True, slots=True)
class DoseRow:
    """One line of the table: an English quantity beside the translation's."""

    english: DoseReading | None
    """What was read in the English; None when the translation has a quantity the English lacks."""
    translation: DoseReading | None
    """What was read in the translation; None when it lacks the English's."""
    same: bool
    """Whether both read the same number, unit and period."""


def _reading(quantity: Quantity, text: str, locale: str) -> DoseReading:
    end = quantity.end or quantity.start + len(quantity.token)
    return DoseReading(
        text[quantity.start : end],
        describe(quantity, locale),
        quantity.value,
        quantity.unit,
        quantity.per,
        quantity.every,
    )


def _key(q: Quantity) -> tuple[Decimal | None, str | None, str | None, bool]:
    return (q.value, q.unit, q.per, q.every)


def dose_table(english: str, translation: str, locale: str) -> list[DoseRow]:
    """The quantities of ``english`` and of ``translation`` (in ``locale``) side by side, in English order.

    Pairs a quantity first with one that reads the same, then with one of the
    same number; the rest stand alone. Empty when neither has a number.
    """
    source = read_doses(english, "en").quantities
    target = read_doses(translation, locale).quantities if translation else []
    left = list(range(len(target)))
    pairs: list[tuple[int, int | None]] = []
    for i, q in enumerate(source):
        match = next((j for j in left if _key(target[j]) == _key(q)), None)
        if match is None:
            match = next((j for j in left if target[j].value == q.value), None)
        if match is not None:
            left.remove(match)
        pairs.append((i, match))
    rows = []
    for i, j in pairs:
        other = target[j] if j is not None else None
        rows.append(
            DoseRow(
                _reading(source[i], english, "en"),
                _reading(other, translation, locale) if other else None,
                other is not None and _key(other) == _key(source[i]),
            )
        )
    rows += [DoseRow(None, _reading(target[j], translation, locale), False) for j in left]
    return rows
