"""The words of a dose's rate, count and fraction in each language: :func:`terms` (locale -> :class:`Terms`).

A dose is a quantity, a unit and a period (``4.5 mg per day``); a frequency a
count and a period (``3 times a day``, ``every 8 hours``). What writes each,
per base language, is one data file, ``data/rates.json`` (its ``source`` and
``fields`` say where the words come from and what each list means), plus
CLDR's per-unit patterns (``por día``, ``mg/d``, ``في اليوم``, ``/天``) read
through Babel's public :func:`babel.units.format_compound_unit`, so every
locale has at least those. :func:`words_pattern` compiles a word list with
the boundaries each script needs (none for Han).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from .units import SPACES

#: The periods a rate may be per: CLDR duration units.
PERIODS = ("duration-hour", "duration-day", "duration-week", "duration-month", "duration-year")
#: A CLDR unit id that Babel printed in place of a missing pattern ("每duration-day7毫克").
_UNIT_ID = re.compile(r"[a-z]+-[a-z]+")


@dataclass(frozen=True, slots=True)
class Terms:
    """What writes a rate, a count and a fraction in one language (``data/rates.json`` and CLDR)."""

    per: dict[str, str]
    """Each spelling of 'per <period>' (lower case) -> its period, a CLDR duration unit id."""
    per_words: dict[str, str]
    """Each period -> how a message writes it (the first spelling of the data file, else CLDR's)."""
    attached: frozenset[str]
    """Per terms that are a rate only right next to a number, unit or count (``al día``)."""
    not_after: tuple[str, ...]
    """Words after an attached term that show it is not a rate (``al día siguiente``)."""
    before: bool
    """Whether a per term may come before the number it rates (``每天 1.5 毫克``)."""
    every: tuple[str, ...]
    """'every' before a number and a duration (``cada 8 horas``)."""
    times: tuple[str, ...]
    """Count words of a frequency after a number (``veces``)."""
    once: tuple[str, ...]
    """Words that are a count of 1 by themselves, a number only next to a rate (``once``)."""
    counts: dict[str, Decimal]
    """Words that are a number only right before a dose form, unit or count word (``una`` 1)."""
    articles: frozenset[str]
    """The words of :attr:`counts` that are also the indefinite article (``a``, ``una``)."""
    dual_units: dict[str, str]
    """Words that are the number 2 and a unit at once (``أسبوعين`` two weeks) -> the unit."""
    counts_after: dict[str, Decimal]
    """Words that are a number only right after a dose form, unit or count word (``واحدة`` 1)."""
    parts: dict[str, Decimal]
    """A part before a dose form or unit (``medio`` 0.5, ``un cuarto de`` 0.25, ``半`` 0.5)."""
    part_joiners: tuple[str, ...]
    """What may join a part word to its dose form (``half a tablet``)."""
    and_parts: dict[str, Decimal]
    """'and a half' after a number or its dose form: adds its value (``y medio`` 0.5)."""
    every_other: dict[str, str]
    """'every other <period>' -> the period (``días alternos``): an interval of 2."""
    multipliers: dict[str, Decimal]
    """Words that are a number by themselves (``double`` 2, ``una de cada`` 1)."""
    forms: tuple[str, ...]
    """Dose forms: what is counted (``tablet``, ``cápsula``, ``粒``)."""
    form_counts: dict[str, Decimal]
    """Words that are a count and a dose form at once (``كبسولتين`` 2)."""
    fractions: dict[str, Decimal]
    """Vulgar fraction characters (``½``), in every language."""
    names: dict[str, tuple[str, str]]
    """How a message names a dose form and a count (``form``, ``times``): for 1, and for other numbers."""


@cache
def _data() -> dict[str, Any]:
    return json.loads(files("ldn_i18n").joinpath("data", "rates.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _han(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def words_pattern(words: object) -> re.Pattern[str] | None:
    """One pattern for every word of ``words``, longest first, each a whole word (Han needs no boundary)."""
    listed = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    if not listed:
        return None
    parts = []
    for word in listed:
        start = r"(?<!\w)" if word[0].isalnum() and not _han(word[0]) else ""
        end = r"(?!\w)" if word[-1].isalnum() and not _han(word[-1]) else ""
        parts.append(start + re.escape(word).replace(r"\ ", rf"[{SPACES}]+") + end)
    return re.compile("|".join(parts), re.IGNORECASE)


def _cldr_per(locale: str) -> dict[str, str]:
    """CLDR's 'per <period>' in ``locale`` (long, short, narrow), through Babel's public API."""
    from babel.core import UnknownLocaleError
    from babel.units import UnknownUnitError, format_compound_unit, format_unit

    found: dict[str, str] = {}
    for period in PERIODS:
        for length in ("long", "short", "narrow"):
            try:
                whole = format_compound_unit(
                    7, "mass-milligram", denominator_unit=period, length=length, locale=locale
                )
                plain = format_unit(7, "mass-milligram", length=length, locale=locale)
            except (UnknownUnitError, UnknownLocaleError, ValueError, LookupError):
                continue
            if not whole or not plain:
                continue
            if whole.startswith(plain):
                term = whole[len(plain) :]
            elif whole.endswith(plain):
                term = whole[: -len(plain)]
            else:
                continue
            term = term.strip(SPACES)
            if term and not _UNIT_ID.search(term) and (len(term) > 1 or not term.isalpha()):
                found.setdefault(term, period)
    return found


@cache
def terms(locale: str) -> Terms:
    """The rate, count and fraction words of ``locale`` (its base language's, and CLDR's per terms)."""
    data = _data()
    stated: dict[str, Any] = data["languages"].get(locale.split("_")[0], {})
    written = [(t, period) for period, spellings in stated.get("per", {}).items() for t in spellings]
    written += [(t, period) for t, period in _cldr_per(locale).items()]
    per: dict[str, str] = {}
    shown: dict[str, str] = {}
    for term, period in written:
        per.setdefault(term.lower(), period)
        if term[0] != "/":
            shown.setdefault(period, term)
    number = lambda table: {w.lower(): Decimal(str(v)) for w, v in table.items()}  # noqa: E731
    one = {w.lower(): Decimal(1) for w in stated.get("one", [])}
    slashed = [t for t in per if t[0] == "/"]  # "/d", "/a" ("mg/d"): a rate only after a unit, not "</a>"
    return Terms(
        per=per,
        per_words=shown,
        attached=frozenset([*(t.lower() for t in stated.get("attached", [])), *slashed]),
        not_after=tuple(stated.get("not_after", [])),
        before=bool(stated.get("before", False)),
        every=tuple(stated.get("every", [])),
        times=tuple(stated.get("times", [])),
        once=tuple(stated.get("once", [])),
        counts={**one, **number(stated.get("counts", {}))},
        articles=frozenset(w.lower() for w in stated.get("articles", [])),
        dual_units={w.lower(): unit for w, unit in stated.get("dual_units", {}).items()},
        counts_after={w.lower(): Decimal(1) for w in stated.get("one_after", [])},
        parts=number(stated.get("parts", {})),
        part_joiners=tuple(stated.get("part_joiners", [])),
        and_parts=number(stated.get("and_parts", {})),
        every_other={w.lower(): period for w, period in stated.get("every_other", {}).items()},
        multipliers={
            **number(stated.get("multipliers", {})),
            **{w.lower(): Decimal(1) for w in stated.get("one_phrases", [])},
        },
        forms=tuple(stated.get("forms", [])),
        form_counts=number(stated.get("form_counts", {})),
        fractions={ch: Decimal(str(v)) for ch, v in data["fractions"].items()},
        names={kind: (pair[0], pair[1]) for kind, pair in stated.get("names", {}).items()},
    )


@cache
def pattern(locale: str, field: str) -> re.Pattern[str] | None:
    """The compiled words of one field of :func:`terms` (``per``, ``forms``, ``every``...)."""
    return words_pattern(getattr(terms(locale), field))
