"""Numbers and doses in a language's notation: :func:`quantities` (text, locale -> [Quantity]).

A dose is a ``(number, unit)`` pair. Numbers are read in the locale's
notation (CLDR through Babel: ``1,5`` in Spanish is the English ``1.5``).
Units are matched in every spelling CLDR gives the locale (``mg``,
``miligramos``, ``毫克``, ``مغم``), in the international symbols, and in a
small table of common spellings CLDR lacks (:data:`EXTRA_SPELLINGS`); each
becomes its canonical CLDR unit, so ``4,5 miligramos`` is the same dose as
``4.5 mg`` and ``4,5 g`` is not. In a range such as ``1.5 to 4.5 mg`` or
``1,5 a 4,5 mg`` the first number takes the unit of the second: a number
with no unit of its own, followed by a dash or one short word and then a
number with a unit, shares that unit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import NumberFormatError, parse_decimal

NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")

#: The CLDR units a handout's doses use, by canonical id.
UNITS = (
    "mass-milligram",
    "mass-microgram",
    "mass-gram",
    "mass-kilogram",
    "volume-milliliter",
    "volume-liter",
    "concentr-percent",
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
    "international-unit": ("IU", "UI"),
}
#: Spellings in common use that CLDR does not list, by base language (stated, not guessed).
EXTRA_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {"mass-milligram": ("ملغ", "ملجم"), "mass-microgram": ("مكغ", "ميكروجرام"), "mass-gram": ("جم",)},
    "es": {"international-unit": ("unidades internacionales", "unidad internacional")},
    "pt": {"international-unit": ("unidades internacionais", "unidade internacional")},
    "en": {"international-unit": ("international units", "international unit")},
}
#: What may stand between the two numbers of a range: a dash, a tilde or one short word.
_RANGE_GAP = re.compile(r"\s*(?:[-\u2010-\u2015~\u301c\uff5e]|[^\W\d_]{1,5})\s*")
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


@cache
def unit_spellings(locale: str) -> dict[str, str]:
    """Every spelling of a dose unit in ``locale`` (CLDR long, short and narrow forms) -> unit id."""
    from babel import Locale

    found: dict[str, str] = {}
    for unit, symbols in SYMBOLS.items():
        for symbol in symbols:
            found[symbol] = unit
    language = locale.split("_")[0]
    for unit, spellings in EXTRA_SPELLINGS.get(language, {}).items():
        for spelling in spellings:
            found[spelling] = unit
    try:
        patterns = Locale.parse(locale)._data["unit_patterns"]
    except (ValueError, LookupError):
        return found
    for unit in UNITS:
        for forms in patterns.get(unit, {}).values():
            for form, pattern in forms.items():
                if form == "per" or not isinstance(pattern, str):
                    continue
                spelling = pattern.replace("{0}", "").strip(_SPACES)
                if spelling and "{" not in spelling:
                    found.setdefault(spelling, unit)
    return found


@cache
def _unit_pattern(locale: str) -> re.Pattern[str]:
    spellings = sorted(unit_spellings(locale), key=len, reverse=True)
    parts = []
    for spelling in spellings:
        # A unit ends at a non-letter; Han and percent signs need no boundary.
        boundary = "" if not spelling[-1].isalpha() or "\u3400" <= spelling[-1] <= "\u9fff" else r"(?!\w)"
        parts.append(re.escape(spelling) + boundary)
    return re.compile(f"[{_SPACES}]?(?:" + "|".join(parts) + ")")


def _value(token: str, locale: str) -> Decimal | None:
    try:
        return parse_decimal(token, locale=locale, strict=True)
    except (NumberFormatError, ValueError):
        return None


def quantities(text: str, locale: str) -> list[Quantity]:
    """Every number of ``text`` in ``locale``'s notation, each with its unit (ranges share one)."""
    pattern = _unit_pattern(locale)
    spellings = unit_spellings(locale)
    found: list[Quantity] = []
    ends: list[int] = []
    for match in NUMBER.finditer(text):
        token = match.group(0).rstrip(".,")
        end = match.start() + len(token)
        unit = None
        after = pattern.match(text, end)
        if after:
            unit = spellings[after.group(0).lstrip(_SPACES)]
            end = after.end()
        elif text[max(match.start() - 1, 0) : match.start()] in ("%", "٪") and match.start() > 0:
            unit = "concentr-percent"
        found.append(Quantity(_value(token, locale), unit, token, match.start()))
        ends.append(match.start() + len(token))
    for i in range(len(found) - 2, -1, -1):  # ranges: "1.5 to 4.5 mg"
        current, following = found[i], found[i + 1]
        if current.unit is None and following.unit is not None:
            gap = text[ends[i] : following.start]
            if _RANGE_GAP.fullmatch(gap):
                found[i] = Quantity(current.value, following.unit, current.token, current.start)
    return found


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
    symbols = SYMBOLS.get(unit)
    return symbols[0] if symbols else unit
