"""Numbers and quantities in a language's notation: :func:`quantities` (text, locale -> [Quantity]).

A dose is a ``(number, unit)`` pair. Numbers are read in the locale's
notation (CLDR through Babel: ``1,5`` in Spanish is the English ``1.5``).
Units are matched in every spelling CLDR gives the locale (``mg``,
``miligramos``, ``毫克``, ``مغم``), in the international symbols, and in a
small table of common spellings CLDR lacks (:data:`EXTRA_SPELLINGS`); each
becomes its canonical CLDR unit, so ``4,5 miligramos`` is the same dose as
``4.5 mg`` and ``4,5 g`` is not. In a range such as ``1.5 to 4.5 mg`` or
``1,5 a 4,5 mg`` the first number takes the unit of the second: a number
with no unit of its own, followed by a dash or one of the language's range
words (:data:`~ldn_i18n.numerals.RANGE_WORDS`) and then a number with a unit,
shares that unit. A unit divided by another (``mg/kg``) is its own unit.
Besides doses, durations (``12 horas`` is not ``12 días``) and temperatures
are quantities too, and a minus sign is part of its number.
Numbers are read in the digits the locale writes and in its number words
(:mod:`ldn_i18n.numerals`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import NumberFormatError, parse_decimal

from .numerals import ascii_digits, digits, number_words, range_words

#: The CLDR units a handout's doses use, by canonical id.
UNITS = (
    "mass-milligram",
    "mass-microgram",
    "mass-gram",
    "mass-kilogram",
    "volume-milliliter",
    "volume-liter",
    "concentr-percent",
    "duration-second",
    "duration-minute",
    "duration-hour",
    "duration-day",
    "duration-week",
    "duration-month",
    "duration-year",
    "temperature-celsius",
    "temperature-fahrenheit",
)
#: International symbols, accepted in every language.
SYMBOLS: dict[str, tuple[str, ...]] = {
    "mass-milligram": ("mg",),
    "mass-microgram": ("mcg", "µg", "μg", "ug"),
    "mass-gram": ("g",),
    "mass-kilogram": ("kg",),
    "volume-milliliter": ("mL", "ml"),
    "volume-liter": ("L", "l"),
    "concentr-percent": ("%", "٪"),
    "temperature-celsius": ("°C", "℃", "° C"),
    "temperature-fahrenheit": ("°F", "℉", "° F"),
    "international-unit": ("IU", "UI"),
}
#: Spellings in common use that CLDR does not list, by base language (stated, not guessed).
EXTRA_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {"mass-milligram": ("ملغ", "ملجم"), "mass-microgram": ("مكغ", "ميكروجرام"), "mass-gram": ("جم",)},
    "es": {"international-unit": ("unidades internacionales", "unidad internacional")},
    "pt": {"international-unit": ("unidades internacionais", "unidade internacional")},
    "en": {"international-unit": ("international units", "international unit")},
    "ht": {
        "mass-milligram": ("miligram", "miligram yo"),
        "mass-microgram": ("mikwogram",),
        "mass-gram": ("gram",),
        "volume-milliliter": ("mililit",),
    },
    "zh": {"mass-kilogram": ("公斤", "千克")},
}
#: What joins a unit to the unit it is divided by ("mg/kg", "mg per kg", "mg por kg").
_PER = re.compile(r"\s*(?:/|per\b|por\b|par\b|pou\b|mỗi\b|trên\b)\s*", re.IGNORECASE)
_SPACES = "\u00a0\u202f\u200e\u200f "


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a text, with its unit when it has one."""

    value: Decimal | None
    """The number; None when the token is not a number in the locale's notation."""
    unit: str | None
    """Canonical CLDR unit id (``mass-milligram``), or None."""
    token: str
    """The number as written."""
    start: int
    """Where the token starts in the text."""
    end: int = 0
    """Where the number, or the range it opens, ends with its unit (0 when it has no unit)."""


@cache
def unit_spellings(locale: str) -> dict[str, str]:
    """Every spelling of a dose unit in ``locale`` (CLDR long, short and narrow forms) -> unit id."""

    found: dict[str, str] = {}
    for unit, symbols in SYMBOLS.items():
        for symbol in symbols:
            found[symbol] = unit
    language = locale.split("_")[0]
    for unit, spellings in EXTRA_SPELLINGS.get(language, {}).items():
        for spelling in spellings:
            found[spelling] = unit
    for spelling, unit in _cldr_spellings(locale):
        found.setdefault(spelling, unit)
    return found


#: Counts that bring out every plural form CLDR writes a unit in (one, two, few, many, other; 1.5).
_SAMPLE_COUNTS = (0, 1, 2, 3, 4, 5, 6, 9, 11, 21, 100, 101, 1000000, Decimal("1.5"))


def _cldr_spellings(locale: str) -> Iterator[tuple[str, str]]:
    """``(spelling, unit)`` for each way CLDR writes a unit of :data:`UNITS` in ``locale`` (long,
    short and narrow, every plural form), read through Babel's public ``format_unit``."""
    from babel import Locale
    from babel.numbers import format_decimal
    from babel.units import UnknownUnitError, format_unit

    try:
        cldr = Locale.parse(locale)
    except (ValueError, LookupError):
        return
    numbers = {count: format_decimal(count, locale=cldr) for count in _SAMPLE_COUNTS}
    for unit in UNITS:
        for length in ("long", "short", "narrow"):
            for count in _SAMPLE_COUNTS:
                try:
                    text = format_unit(count, unit, length=length, locale=cldr)
                except (UnknownUnitError, ValueError, LookupError):
                    break
                # Without the number, the word holds its count (Arabic's dual: ساعتان, two hours).
                spelling = text.replace(numbers[count], "", 1).strip(_SPACES)
                # One Latin letter ("a", "d", "m") is a word as often as a unit: only the symbols above.
                one_letter = len(spelling) == 1 and spelling.isascii() and spelling.isalpha()
                if spelling and not one_letter:
                    yield spelling, unit


@cache
def _unit_pattern(locale: str) -> re.Pattern[str]:
    spellings = sorted(unit_spellings(locale), key=len, reverse=True)
    parts = []
    for spelling in spellings:
        # A unit ends at a non-letter; Han and percent signs need no boundary.
        boundary = "" if not spelling[-1].isalpha() or "\u3400" <= spelling[-1] <= "\u9fff" else r"(?!\w)"
        parts.append(re.escape(spelling) + boundary)
    return re.compile(f"[{_SPACES}]?(?:" + "|".join(parts) + ")")


@cache
def _number_pattern(locale: str) -> re.Pattern[str]:
    d = re.escape(digits(locale))
    return re.compile(rf"[{d}](?:[{d}.,\u00a0\u202f\u066b\u066c]*[{d}])?")


@cache
def _gap_pattern(locale: str) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(range_words(locale), key=len, reverse=True))
    return re.compile(rf"\s*(?:[-\u2010-\u2015~\u301c\uff5e]|(?:{words})(?!\w))\s*", re.IGNORECASE)


def _value(token: str, locale: str) -> Decimal | None:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    plain = ascii_digits(token)
    if plain != token:  # native digits: their own separators
        plain = plain.replace("\u066b", get_decimal_symbol(locale)).replace(
            "\u066c", get_group_symbol(locale)
        )
    try:
        return parse_decimal(plain, locale=locale, strict=True)
    except (NumberFormatError, ValueError):
        return None


#: Minus signs: hyphen-minus, the minus sign and the dashes a word processor turns it into.
_MINUS = "-\u2212\u2010\u2011\u2012\u2013\ufe63\uff0d"


def _signed(text: str, start: int) -> bool:
    """Whether the number at ``start`` is negative: a minus sign before it that is not a range dash."""
    return start > 0 and text[start - 1] in _MINUS and (start < 2 or not text[start - 2].isalnum())


def _unit_after(text: str, end: int, locale: str) -> tuple[str, int] | None:
    """The unit written right after position ``end`` (``mg``, or ``mg/kg`` as one unit), and its end."""
    pattern, spellings = _unit_pattern(locale), unit_spellings(locale)
    after = pattern.match(text, end)
    if not after:
        return None
    unit = spellings[after.group(0).lstrip(_SPACES)]
    per = _PER.match(text, after.end())
    if per:
        divisor = pattern.match(text, per.end())
        denominator = spellings[divisor.group(0).lstrip(_SPACES)] if divisor else ""
        if divisor and denominator.startswith(("mass-", "volume-")):  # "mg/kg" is not "mg"
            return f"{unit}/{denominator}", divisor.end()
    return unit, after.end()


def quantities(text: str, locale: str) -> list[Quantity]:
    """Every number of ``text`` in ``locale``'s notation or words, each with its unit (ranges share one)."""
    found: list[Quantity] = []
    ends: list[int] = []
    tokens: list[tuple[int, str, int | None]] = [
        (m.start(), m.group(0).rstrip(".,"), None) for m in _number_pattern(locale).finditer(text)
    ]
    tokens += [(start, word, value) for value, start, word in number_words(text, locale)]
    for start, token, word_value in sorted(tokens, key=lambda t: t[0]):
        end = start + len(token)
        unit = None
        after = _unit_after(text, end, locale)
        if after:
            unit = after[0]
        elif start > 0 and text[start - 1] in ("%", "٪"):
            unit = "concentr-percent"
        value = Decimal(word_value) if word_value is not None else _value(token, locale)
        if value is not None and _signed(text, start):
            value = -value
        found.append(Quantity(value, unit, token, start, after[1] if after else 0))
        ends.append(end)
    gap = _gap_pattern(locale)
    for i in range(len(found) - 2, -1, -1):  # ranges: "1.5 to 4.5 mg"
        current, following = found[i], found[i + 1]
        if (
            current.unit is None
            and following.unit is not None
            and gap.fullmatch(text, ends[i], following.start)
        ):
            found[i] = Quantity(current.value, following.unit, current.token, current.start, following.end)
    return found


def number_spans(text: str, locale: str) -> list[tuple[int, int]]:
    """Where each number ``check`` compares is written: with its unit, a range whole (``1.5 to
    4.5 mg``), a number word (``three``) alone. What a translation keeps; what ``pseudo`` keeps."""
    return [(q.start, q.end or q.start + len(q.token)) for q in quantities(text, locale)]


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
    """The ``(number, unit)`` pairs of ``text``: each dose, percent or volume with its unit."""
    return Counter(
        (q.value, q.unit) for q in quantities(text, locale) if q.value is not None and q.unit is not None
    )


def show_unit(unit: str, locale: str) -> str:
    """The short spelling of a unit id in ``locale`` (for messages)."""
    return "/".join(SYMBOLS[part][0] if part in SYMBOLS else part for part in unit.split("/"))
