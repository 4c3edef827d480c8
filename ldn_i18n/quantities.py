"""Numbers, doses and rates as a patient reads them: :func:`read_doses` (text, locale -> :class:`Reading`).

A dose is a quantity, a unit and a period (``4.5 mg per day``); a frequency a
count and a period (``3 times a day``), or an interval (``every 8 hours``).
Numbers are read in the locale's notation (CLDR through Babel: ``1,5`` in
Spanish is the English ``1.5``), in its digits and number words
(:mod:`ldn_i18n.numerals`), in vulgar fractions (``2½``) and in the words of
:mod:`ldn_i18n.rates`: multipliers (``double``), halves (``medio
comprimido`` 0.5, ``2 comprimidos y medio`` 2.5, ``两片半``), and "one" as a
word where it stands before a dose form, a unit or a count (``una
cápsula``, ``一粒``, ``كبسولة واحدة``), "once" next to a rate. Units
(:mod:`ldn_i18n.units`) become canonical CLDR ids, so ``4,5 miligramos`` is
the same dose as ``4.5 mg`` and ``4,5 g`` is not; a dose form is :data:`FORM`,
a count of times :data:`TIMES`. A unit divided by a mass or volume (``mg/kg``)
is its own unit; divided by a duration (``mg/semana``) it is a rate. In a
range (``1.5 to 4.5 mg``, ``1,5 a 4,5 mg``) the first number takes the unit
and period of the second, joined by a dash or one of the language's range
words (:data:`~ldn_i18n.numerals.RANGE_WORDS`). Every period written is
counted once in :attr:`Reading.periods`, whether it rates a number or stands
alone (``take it daily``). A minus sign is part of its number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache

from babel.numbers import NumberFormatError, parse_decimal

from .numerals import ascii_digits, digits, number_words, range_words
from .rates import pattern, terms
from .units import DIVIDED, SPACES, unit_pattern, unit_spellings

#: A dose form (tablet, capsule, drop...): what a count counts.
FORM = "form"
#: The count of a frequency ("3 times", "tres veces", "三次").
TIMES = "times"
_FRACTIONS = "½¼¾⅓⅔⅛"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a text, with its unit and its period when it has them."""

    value: Decimal | None
    """The number; None when the token is not a number in the locale's notation."""
    unit: str | None
    """Canonical CLDR unit id (``mass-milligram``), :data:`FORM`, :data:`TIMES`, or None."""
    token: str
    """The number as written."""
    start: int
    """Where the token starts in the text."""
    end: int = 0
    """Where the number, or the range it opens, ends with its unit and period (0 when it has neither)."""
    per: str | None = None
    """The period it is a rate of, a CLDR duration id (``duration-day`` for ``per day``, ``al día``)."""
    every: bool = False
    """Whether it is the interval of a repetition (``every 8 hours``: 8 ``duration-hour``)."""
    optional: bool = False
    """Whether the other text may leave this 1 out: an article read as one (``a dose``, ``una
    cápsula``), or a lone "once" (``once a day`` is ``daily``)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What a text says in numbers."""

    quantities: tuple[Quantity, ...]
    """Every number, in text order."""
    periods: tuple[str, ...]
    """Every period written (``per day``, ``daily``, ``mg/semana``), once each, in text order."""


@cache
def _number_pattern(locale: str) -> re.Pattern[str]:
    d = re.escape(digits(locale))
    return re.compile(rf"[{d}](?:[{d}.,\u00a0\u202f\u066b\u066c]*[{d}])?[{_FRACTIONS}]?|[{_FRACTIONS}]")


@cache
def _gap_pattern(locale: str) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(range_words(locale), key=len, reverse=True))
    return re.compile(rf"\s*(?:[-\u2010-\u2015~\u301c\uff5e]|(?:{words})(?!\w))\s*", re.IGNORECASE)


def _value(token: str, locale: str) -> Decimal | None:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    fraction = terms(locale).fractions.get(token[-1], Decimal(0))
    number = token[:-1] if fraction else token
    if not number:
        return fraction
    plain = ascii_digits(number)
    if plain != number:  # native digits: their own separators
        plain = plain.replace("\u066b", get_decimal_symbol(locale)).replace(
            "\u066c", get_group_symbol(locale)
        )
    try:
        return parse_decimal(plain, locale=locale, strict=True) + fraction
    except (NumberFormatError, ValueError):
        return None


#: Minus signs: hyphen-minus, the minus sign and the dashes a word processor turns it into.
_MINUS = "-\u2212\u2010\u2011\u2012\u2013\ufe63\uff0d"


def _signed(text: str, start: int) -> bool:
    """Whether the number at ``start`` is negative: a minus sign before it that is not a range dash."""
    return start > 0 and text[start - 1] in _MINUS and (start < 2 or not text[start - 2].isalnum())


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in SPACES:
        at += 1
    return at


def _at(locale: str, field: str, text: str, at: int) -> re.Match[str] | None:
    """The word of ``field`` that starts at ``at``, after spaces."""
    words = pattern(locale, field)
    return words.match(text, _skip(text, at)) if words else None


def _ends_at(locale: str, field: str, text: str, at: int) -> re.Match[str] | None:
    """The word of ``field`` that ends at ``at``, before spaces."""
    words = pattern(locale, field)
    while at > 0 and text[at - 1] in SPACES:
        at -= 1
    if words is None:
        return None
    found = [m for m in words.finditer(text, max(0, at - 30), at) if m.end() == at]
    return max(found, key=lambda m: m.end() - m.start()) if found else None


def _unit_after(text: str, end: int, locale: str) -> tuple[str, int, str | None] | None:
    """The unit right after ``end`` (``mg``, ``mg/kg``, a dose form, a count word), its end, and the
    period when it is divided by a duration (``mg/semana``)."""
    spellings = unit_spellings(locale)
    after = unit_pattern(locale).match(text, end)
    if not after:
        for field, unit in (("forms", FORM), ("times", TIMES)):
            word = _at(locale, field, text, end)
            if word:
                return unit, word.end(), None
        return None
    unit = spellings[after.group(0).lstrip(SPACES)]
    divided = DIVIDED.match(text, after.end())
    if divided:
        divisor = unit_pattern(locale).match(text, divided.end())
        denominator = spellings[divisor.group(0).lstrip(SPACES)] if divisor else ""
        if divisor and denominator.startswith(("mass-", "volume-")):  # "mg/kg" is not "mg"
            return f"{unit}/{denominator}", divisor.end(), None
        if divisor and denominator in _PERIODS:  # "mg/semana" is a rate
            return unit, divisor.end(), denominator
    return unit, after.end(), None


_PERIODS = ("duration-hour", "duration-day", "duration-week", "duration-month", "duration-year")


def _period_after(text: str, at: int, locale: str) -> tuple[str, int] | None:
    """The period written right after ``at`` (``per day``, ``al día``), and its end."""
    word = _at(locale, "per", text, at)
    if not word:
        return None
    found = terms(locale)
    spelled = _spelled(word.group(0))
    if spelled in found.attached and _at(locale, "not_after", text, word.end()):
        return None  # "al día siguiente" is a day, not a rate
    return found.per[spelled], word.end()


def _period_before(text: str, at: int, locale: str) -> tuple[str, int] | None:
    """The period written right before ``at`` where the language puts it there (``每天 1.5 毫克``)."""
    if not terms(locale).before:
        return None
    word = _ends_at(locale, "per", text, at)
    if not word:
        return None
    return terms(locale).per[_spelled(word.group(0))], word.start()


_COUNTED = (FORM, TIMES, "mass-", "volume-", "international-unit")


def _tokens(text: str, locale: str) -> list[tuple[int, str, Decimal | None, str]]:
    """Every candidate number: ``(start, token, value, kind)``; kind says when it counts."""
    found: list[tuple[int, str, Decimal | None, str]] = [
        (m.start(), m.group(0).rstrip(".,"), None, "digits") for m in _number_pattern(locale).finditer(text)
    ]
    found += [(start, word, Decimal(value), "word") for value, start, word in number_words(text, locale)]
    words = terms(locale)
    for field, table, kind in (
        ("multipliers", words.multipliers, "word"),
        ("form_counts", words.form_counts, "form"),
        ("dual_units", {w: Decimal(2) for w in words.dual_units}, "dual"),
        ("counts", words.counts, "count"),
        ("counts_after", words.counts_after, "after"),
        ("once", None, "once"),
        ("parts", words.parts, "half"),
        ("every_other", {w: Decimal(2) for w in words.every_other}, "other"),
    ):
        compiled = pattern(locale, field)
        for match in compiled.finditer(text) if compiled else ():
            value = table[_spelled(match.group(0))] if table is not None else Decimal(1)
            found.append((match.start(), match.group(0), value, kind))
    # the longest candidate first where two start together ("una vez" before "una")
    return sorted(found, key=lambda t: (t[0], -len(t[1])))


def _spelled(words: str) -> str:
    """A term as its table keys it: lower case, single spaces."""
    return re.sub(rf"[{SPACES}]+", " ", words.lower())


def _counted(unit: str | None) -> bool:
    return unit is not None and unit.startswith(_COUNTED)


def _amount(
    text: str, start: int, token: str, value: Decimal | None, kind: str, locale: str
) -> tuple[Decimal | None, str | None, int, str | None] | None:
    """A candidate's value, unit, end and the period its unit is divided by; None when it is no number."""
    at = start + len(token)
    if kind == "once":
        return value, TIMES, at, None
    if kind == "dual":  # "أسبوعين": two weeks
        return value, terms(locale).dual_units[_spelled(token)], at, None
    if kind == "after":  # "كبسولة واحدة": counts what stands before it
        if _ends_at(locale, "forms", text, start):
            return value, FORM, at, None
        return (value, TIMES, at, None) if _ends_at(locale, "times", text, start) else None
    if kind == "other":  # "every other day", "días alternos": every 2 days
        return value, terms(locale).every_other[_spelled(token)], at, None
    if kind == "half":  # "half a tablet", "medio comprimido", "半片"
        joiner = _at(locale, "part_joiners", text, at)
        after = _unit_after(text, joiner.end() if joiner else at, locale) or _unit_after(text, at, locale)
        return (value, after[0], after[1], after[2]) if after else None
    unit: str | None = FORM if kind == "form" else None
    parts = terms(locale).and_parts
    half = _at(locale, "and_parts", text, at)  # "2 and a half tablets"
    if half and value is not None:
        value, at = value + parts[_spelled(half.group(0))], half.end()
    after = None if unit else _unit_after(text, at, locale)
    if after and not half:
        half = _at(locale, "and_parts", text, after[1])  # "2 comprimidos y medio", "两片半"
        if half and value is not None:
            value, after = value + parts[_spelled(half.group(0))], (after[0], half.end(), after[2])
    return (value, after[0], after[1], after[2]) if after else (value, unit, at, None)


def _range_unit(text: str, at: int, locale: str) -> str | None:
    """The unit of the number whose range ``at`` opens (``a dos comprimidos``), if one does."""
    gap = _gap_pattern(locale)
    for start, token, _, kind in _tokens(text, locale):
        if start > at and kind in ("digits", "word") and gap.fullmatch(text, at, start):
            after = _unit_after(text, start + len(token), locale)
            return after[0] if after else None
    return None


@lru_cache(maxsize=4096)
def read_doses(text: str, locale: str) -> Reading:
    """Every number of ``text`` with its unit and period, and every period written (see the module)."""
    found: list[Quantity] = []
    ends: list[int] = []
    rated: dict[int, tuple[int, str]] = {}  # the periods that rate a number: start -> (end, period)
    covered = 0
    for start, token, word_value, kind in _tokens(text, locale):
        if start < covered:
            continue
        value = word_value
        if kind == "digits":
            value = _value(token, locale)
            if value is not None and _signed(text, start):
                value = -value
        read = _amount(text, start, token, value, kind, locale)
        if read is None:
            continue
        value, unit, at, divided = read
        if kind == "count" and unit is None:
            unit = _range_unit(text, at, locale)  # "uno a dos comprimidos", "一至两片"
        if kind in ("count", "half") and not _counted(unit):
            continue  # "una semana", "la mitad de los pacientes": not a dose
        if kind == "count" and _at(locale, "multipliers", text, at):
            continue  # "una dosis doble": an article; the multiplier is the number
        mine: dict[int, tuple[int, str]] = {}  # the periods rating this number: start -> (end, period)
        per = divided
        if divided:
            mine[at - 1] = (at, divided)
        else:
            after = _period_after(text, at, locale)
            before = _period_before(text, start, locale)
            if after:
                per, mine[_skip(text, at)], at = after[0], (after[1], after[0]), after[1]
            elif before:
                per, mine[before[1]] = before[0], (start, before[0])
        counting_one = kind == "once" or (kind == "count" and unit == TIMES)
        if counting_one and per is None and not _at(locale, "every", text, at):
            continue  # "once you start", "una vez que empiece": not a count
        every = kind == "other" or (
            _ends_at(locale, "every", text, start) is not None and (unit or "").startswith("duration-")
        )
        end = start + len(token)
        optional = counting_one or (kind == "count" and token.lower() in terms(locale).articles)
        found.append(Quantity(value, unit, token, start, at if at > end else 0, per, every, optional))
        ends.append(end)
        rated.update(mine)
        covered = max(end, at)
    gap = _gap_pattern(locale)
    for i in range(len(found) - 2, -1, -1):  # ranges: "1.5 to 4.5 mg", "每天 1.5 至 4.5 mg"
        current, following = found[i], found[i + 1]
        if current.unit is None and following.unit and gap.fullmatch(text, ends[i], following.start):
            shared = current.per or following.per
            found[i] = replace(
                current, unit=following.unit, end=following.end, per=shared, every=following.every
            )
            found[i + 1] = replace(following, per=shared)
    return Reading(tuple(found), tuple(_periods(text, locale, found, rated)))


def _periods(text: str, locale: str, found: list[Quantity], rated: dict[int, tuple[int, str]]) -> list[str]:
    """Each period written once: those that rate a number (``rated``: start -> end, period), and
    those alone (``take it daily``); an attached-only term (``al día``) alone is not a rate."""
    written = {start: period for start, (_, period) in rated.items()}
    spans = [(q.start, q.end or q.start + len(q.token)) for q in found]
    spans += [(start, end) for start, (end, _) in rated.items()]
    words, known = pattern(locale, "per"), terms(locale)
    for match in words.finditer(text) if words else ():
        spelled = _spelled(match.group(0))
        inside = any(s <= match.start() < e for s, e in spans)
        if not inside and spelled not in known.attached:
            written[match.start()] = known.per[spelled]
    return [written[start] for start in sorted(written)]


def quantities(text: str, locale: str) -> list[Quantity]:
    """Every number of ``text`` in ``locale``'s notation or words, each with its unit (ranges share one)."""
    return list(read_doses(text, locale).quantities)


def number_spans(text: str, locale: str) -> list[tuple[int, int]]:
    """Where each number ``check`` compares is written: with its unit, a range whole (``1.5 to
    4.5 mg``), a number word (``three``) alone. What a translation keeps; what ``pseudo`` keeps."""
    return [(q.start, q.end or q.start + len(q.token)) for q in quantities(text, locale)]


def optional_ones(text: str, locale: str) -> int:
    """How many of the 1s of ``text`` another text may leave out (:attr:`Quantity.optional`)."""
    return sum(1 for q in quantities(text, locale) if q.optional)


def numbers_in(text: str, locale: str) -> tuple[Counter[Decimal], list[str]]:
    """Numbers of ``text`` read in ``locale``'s notation, and tokens that are not valid there."""
    values: Counter[Decimal] = Counter()
    invalid = []
    for quantity in quantities(text, locale):
        if quantity.value is None:
            invalid.append(quantity.token)
        else:
            values[quantity.value] += 1
    return values, invalid


def doses(text: str, locale: str) -> Counter[tuple[Decimal, str]]:
    """The ``(number, unit)`` pairs of ``text``: each dose, percent, volume or duration with its CLDR unit."""
    return Counter(
        (q.value, q.unit)
        for q in quantities(text, locale)
        if q.value is not None and q.unit is not None and q.unit not in (FORM, TIMES)
    )
