"""Dose units in each language: :func:`unit_spellings` (locale -> spelling -> unit id) and
:func:`unit_words` (a number and unit id -> plain words: ``8 horas``, ``1,5 miligramos``).

Units are matched in every spelling CLDR gives the locale (``mg``,
``miligramos``, ``毫克``, ``مغم``), read through Babel's public
:func:`babel.units.format_unit` over sample numbers of every plural form, in
the international symbols (:data:`SYMBOLS`), and in a small table of common
spellings CLDR lacks (:data:`EXTRA_SPELLINGS`); each becomes its canonical
CLDR unit. Messages name a unit in the same CLDR words, never by its id.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

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
        "duration-hour": ("è", "èdtan"),
        "duration-day": ("jou",),
        "duration-week": ("semèn",),
        "duration-month": ("mwa",),
    },
    # Vietnamese says an hour both ways; CLDR 47 (Babel 2.18) spells it giờ, CLDR 49 (Babel 2.19) tiếng.
    "vi": {"duration-hour": ("giờ", "tiếng")},
    "zh": {"mass-kilogram": ("公斤", "千克")},
}
#: What joins a unit to the unit it is divided by ("mg/kg", "mg per kg", "mg por kg").
DIVIDED = re.compile(r"\s*(?:/|per\b|por\b|par\b|pou\b|mỗi\b|trên\b)\s*", re.IGNORECASE)
SPACES = "\u00a0\u202f\u200e\u200f "


#: Sample numbers that reach every plural form CLDR gives a unit's spelling (one, two, few, many...).
_SAMPLES = (0, 1, 2, 3, 4, 5, 6, 9, 11, 21, 100, 102, Decimal("1.5"))
#: A CLDR unit id that Babel printed in place of a spelling it lacks ("8 duration-day").
_UNIT_ID = re.compile(r"[a-z]+-[a-z]+")


@cache
def unit_spellings(locale: str) -> dict[str, str]:
    """Every spelling of a dose unit in ``locale`` (CLDR long, short and narrow forms) -> unit id.

    CLDR's spellings come through Babel's public :func:`babel.units.format_unit`,
    over sample numbers of every plural form.
    """
    from babel.core import Locale, UnknownLocaleError
    from babel.numbers import format_decimal
    from babel.units import UnknownUnitError, format_unit

    found: dict[str, str] = {}
    for unit, symbols in SYMBOLS.items():
        for symbol in symbols:
            found[symbol] = unit
    language = locale.split("_")[0]
    for unit, spellings in EXTRA_SPELLINGS.get(language, {}).items():
        for spelling in spellings:
            found[spelling] = unit
    try:
        plural = Locale.parse(locale).plural_form
    except (UnknownLocaleError, ValueError):
        return found
    samples = {plural(sample): sample for sample in reversed(_SAMPLES)}.values()  # one per plural form
    for unit in UNITS:
        for length in ("long", "short", "narrow"):
            for sample in samples:
                try:
                    written = format_unit(sample, unit, length=length, locale=locale)
                    number = format_decimal(sample, locale=locale)
                except (UnknownUnitError, UnknownLocaleError, ValueError, LookupError):
                    break
                # A form with no number in it ("يومان", two days) is a spelling of its own.
                spelling = written.replace(number, "", 1).strip(SPACES)
                # One Latin letter ("a", "d", "m") is a word as often as a unit: only the symbols above.
                one_letter = len(spelling) == 1 and spelling.isascii() and spelling.isalpha()
                if spelling and not _UNIT_ID.search(spelling) and not one_letter:
                    found.setdefault(spelling, unit)
    return found


@cache
def unit_pattern(locale: str) -> re.Pattern[str]:
    """Any spelling of :func:`unit_spellings`, with one optional space before it."""
    spellings = sorted(unit_spellings(locale), key=len, reverse=True)
    parts = []
    for spelling in spellings:
        # A unit ends at a non-letter; Han and percent signs need no boundary.
        boundary = "" if not spelling[-1].isalpha() or "\u3400" <= spelling[-1] <= "\u9fff" else r"(?!\w)"
        parts.append(re.escape(spelling) + boundary)
    return re.compile(f"[{SPACES}]?(?:" + "|".join(parts) + ")")


def show_number(number: Decimal, locale: str) -> str:
    """``number`` in ``locale``'s notation (``1,5`` in Spanish), with no grouping."""
    from babel.numbers import format_decimal

    return format_decimal(number, locale=locale, group_separator=False)


def unit_words(value: Decimal, unit: str, locale: str) -> str:
    """``value`` with its CLDR unit in ``locale``'s words (``8 horas``; ``1,5 mg/kg`` for a unit
    divided by another); CLDR's shorter forms, then English, where the long one is missing."""
    from babel.core import UnknownLocaleError
    from babel.units import UnknownUnitError, format_compound_unit, format_unit

    numerator, _, denominator = unit.partition("/")
    for where in (locale, "en"):
        for length in ("long", "short"):
            try:
                if denominator:
                    written = format_compound_unit(
                        value, numerator, denominator_unit=denominator, length=length, locale=where
                    )
                else:
                    written = format_unit(value, unit, length=length, locale=where)
            except (UnknownUnitError, UnknownLocaleError, ValueError, LookupError):
                continue
            if written and not _UNIT_ID.search(written):
                return written
    symbols = "/".join(SYMBOLS.get(part, (part,))[0] for part in unit.split("/"))
    return f"{show_number(value, locale)} {symbols}"
