"""Plural forms: which ``Plural-Forms`` header a catalog may carry for its language.

:func:`syntax_problem` says what is malformed in a header value; :func:`language_problem`
what is wrong with it for the catalog's language; :func:`plural_forms_for` is what a new
catalog gets. The formulas a language accepts come from ``data/plural-forms.json`` (GNU
gettext's table, which msginit and Poedit write; Weblate's; Unicode CLDR's, which Babel
2.19 and later write; the Mozilla localization guide's; see ``scripts/plural-forms.py``),
so a catalog is judged the same whichever Babel is installed. A language that table does
not know takes CLDR's rule from the installed Babel. Formulas are compared by what they
do, for every n of :data:`SAMPLE`, not by their spelling: Spanish may have the 2 forms
msginit writes or the 3 CLDR has, never ``plural=(n == 1)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: The counts a formula is tried on: 0..1000, and millions (CLDR's "many" in Spanish, French,
#: Italian, Portuguese and Catalan is "1000000 de ...").
SAMPLE: tuple[int, ...] = (*range(1001), 1_000_000, 1_000_001, 2_000_000, 10_000_000)

#: The most plural forms any language has in CLDR (Arabic, Welsh: zero, one, two, few, many, other).
MAX_PLURALS = 6


@dataclass(frozen=True, slots=True)
class PluralRule:
    """One ``Plural-Forms`` value a language may carry, and who writes it."""

    plural_forms: str
    """The header value, ``nplurals=N; plural=EXPR;``."""
    sources: tuple[str, ...]
    """Who writes it: ``gettext``, ``weblate``, ``cldr``, ``l10n-guide``; ``babel``: the installed CLDR."""

    @property
    def nplurals(self) -> int:
        """How many forms it has."""
        return _parse(self.plural_forms)[0]


def _fields(value: str) -> tuple[dict[str, str], str | None]:
    """A header value's ``name=value`` fields (the first of each name), and the first part that is none."""
    fields: dict[str, str] = {}
    stray = None
    for part in value.split(";"):
        name, sep, field = part.partition("=")
        if sep:
            fields.setdefault(name.strip().lower(), field.strip())
        elif part.strip() and stray is None:
            stray = part.strip()
    return fields, stray


def _parse(value: str) -> tuple[int, str]:
    """``(nplurals, plural expression)`` of a well-formed header value."""
    fields, _ = _fields(value)
    return int(fields.get("nplurals", "0") or 0), fields.get("plural", "")


def syntax_problem(value: str) -> str | None:
    """What is wrong with a ``Plural-Forms`` header value (``nplurals=N; plural=EXPR;``), or None.

    N must be an integer from 1 to :data:`MAX_PLURALS`, EXPR a C expression :func:`gettext.c2py`
    accepts, giving an index in ``0..N-1`` for every n of :data:`SAMPLE`.
    """
    fields, stray = _fields(value)
    if stray is not None:
        return f"Plural-Forms has {stray[:40]!r} where nplurals=N; plural=EXPR; is expected"
    count = fields.get("nplurals")
    if count is None:
        return "Plural-Forms has no nplurals=N"
    if not count.isdigit() or int(count) < 1:
        return f"nplurals must be an integer >= 1, not {count[:40]!r}"
    if int(count) > MAX_PLURALS:  # Babel would allocate every form
        return f"nplurals={count[:20]} is more than any language has (CLDR's most is {MAX_PLURALS})"
    nplurals = int(count)
    expr = fields.get("plural")
    if not expr:
        return "Plural-Forms has no plural=EXPR"
    try:
        rule = _compiled(expr)
    except Exception as exc:  # c2py raises ValueError, SyntaxError, RecursionError...
        return f"plural={expr[:60]} is not a valid C plural expression ({exc})"
    for n in SAMPLE:
        try:
            index = rule(n)
        except ZeroDivisionError:
            return f"plural={expr[:60]} divides by zero for n={n}"
        except Exception as exc:  # c2py's own code raises nothing else, but its input is data
            return f"plural={expr[:60]} fails for n={n} ({type(exc).__name__})"
        if not 0 <= index < nplurals:
            allowed = f"0..{nplurals - 1}"
            return f"plural={expr[:60]} gives form {index} for n={n}; nplurals={nplurals} allows {allowed}"
    return None


def _compiled(expr: str):  # type: ignore[no-untyped-def]
    import gettext

    return gettext.c2py(expr)  # type: ignore[attr-defined]


@cache
def behaviour(value: str) -> tuple[int, tuple[int, ...]]:
    """``(nplurals, the form chosen for each n of SAMPLE)`` of a well-formed header value."""
    nplurals, expr = _parse(value)
    rule = _compiled(expr)
    return nplurals, tuple(int(rule(n)) for n in SAMPLE)


@cache
def _table() -> dict[str, tuple[PluralRule, ...]]:
    data = json.loads(resources.files("ldn_i18n").joinpath("data/plural-forms.json").read_text("utf-8"))
    return {
        code: tuple(PluralRule(e["plural_forms"], tuple(e["sources"])) for e in entries)
        for code, entries in data["languages"].items()
    }


@cache
def accepted(locale: str) -> tuple[PluralRule, ...]:
    """The ``Plural-Forms`` values a catalog of ``locale`` may carry, the preferred first.

    The table's entry for the locale (``pt_BR``), else for its language (``pt``); a
    language the table lacks, or a pseudo-locale (``en_XA``: English's), takes the
    installed Babel's CLDR rule.
    """
    from .languages import language

    cldr = language(locale).cldr
    table = _table()
    for code in (locale, cldr, cldr.split("_")[0]):
        if code in table:
            return table[code]
    from babel.messages.plurals import get_plural

    return (PluralRule(get_plural(cldr).plural_forms, ("babel",)),)


def plural_forms_for(locale: str) -> str:
    """The ``Plural-Forms`` a new catalog of ``locale`` gets: the table's first (GNU gettext's, if any)."""
    return accepted(locale)[0].plural_forms


def language_problem(value: str, locale: str) -> str | None:
    """Why a well-formed ``Plural-Forms`` value is wrong for ``locale``, or None when a source writes it."""
    from babel import Locale

    from .languages import language

    rules = accepted(locale)
    nplurals, chosen = behaviour(value)
    if any(behaviour(rule.plural_forms) == (nplurals, chosen) for rule in rules):
        return None
    name = Locale.parse(language(locale).cldr).english_name or locale
    usable = " or ".join(f"{rule.plural_forms} ({', '.join(rule.sources)})" for rule in rules)
    same_count = [rule for rule in rules if rule.nplurals == nplurals]
    if not same_count:
        return f"nplurals={nplurals} is not a plural form count for {name} ({locale}): use {usable}"
    _, right = behaviour(same_count[0].plural_forms)
    at = next(i for i, (a, b) in enumerate(zip(chosen, right, strict=True)) if a != b)
    n = SAMPLE[at]
    return f"plural= gives form {chosen[at]} for n={n}, where {name} takes form {right[at]}: use {usable}"
