"""Each language's own typography: :func:`quotes`, :func:`smart_quotes`, :func:`label`, :func:`format_date`.

Each takes a catalog's locale (``pt_BR``, ``zh_Hans``, ``en_XA``) and gives
text as the language prints it. The data is CLDR's, looked up along Babel's
chain of parent locales (:func:`cldr_chain`: ``pt_BR`` -> ``pt``, ``zh_TW``
-> ``zh_Hant_TW`` -> ``zh_Hant``), except where a stated table says otherwise:

- Quotation marks: CLDR's delimiters (``data/quotes.json``, written by
  ``scripts/cldr-quotes.py``). CLDR says nothing of a space inside the marks;
  a locale whose CLDR key-value pattern puts a no-break space before the colon
  (French: U+202F, Canadian French: U+00A0) puts the same space inside « ».
- Label punctuation: what CLDR's ``localeKeyTypePattern`` puts between a key
  and its value (``data/labels.json``): ``": "``, French ``"\\u202f: "``,
  Chinese ``"："``; :data:`LABEL_PUNCTUATION` states where we differ (Japanese,
  Haitian Creole).
- Dates: CLDR's long date through Babel, but with the month names of
  :data:`MONTH_NAMES` where CLDR gives a locale another language's
  (:func:`borrowed_months`: Haitian Creole gets French months through its
  CLDR parent ``fr_HT``), and as ISO 8601 where no table covers such a gap.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from babel.core import Locale, get_global, parse_locale
from babel.dates import format_date as babel_format_date
from babel.dates import tokenize_pattern, untokenize_pattern
from babel.localedata import load

from .languages import language

#: Month names a locale's CLDR data lacks, by CLDR locale; used in its long-date pattern.
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    # Haitian Creole, lower case as in running text. CLDR 47 (Babel 2.18) gives ht the French
    # names of its parent fr_HT; CLDR 49 (Babel 2.19) makes root its parent and gives none (M11).
    "ht": (
        "janvye", "fevriye", "mas", "avril", "me", "jen",
        "jiyè", "out", "septanm", "oktòb", "novanm", "desanm",
    ),
}  # fmt: skip

#: Long-date patterns a locale's CLDR data lacks, by CLDR locale (CLDR's pattern syntax).
DATE_PATTERNS = {
    # Haitian Creole writes the day, the month, the year: 25 novanm 2026. CLDR 47 gives ht that
    # order through fr_HT; CLDR 49 gives it root's "y MMMM d".
    "ht": "d MMMM y",
}

#: Locales whose month names rightly come from a parent of another language code.
SHARED_MONTHS = {
    "nb": "Norwegian Bokmål shares the month names of Norwegian (no), its macrolanguage",
    "nn": "Norwegian Nynorsk shares the month names of Norwegian (no), its macrolanguage",
    "hi_Latn": "Hindi in Latin script writes the months in English (CLDR's parent en_IN)",
}

#: What follows a label where we differ from CLDR's key-value pattern, by CLDR locale.
LABEL_PUNCTUATION = {
    # CLDR's ja pattern is "{0}: {1}"; a Japanese label takes the fullwidth colon with no
    # space after it, as CLDR's Chinese pattern does ("{0}：{1}").
    "ja": "\uff1a",
    # CLDR 48 gives ht French's "{0}\u202f: {1}" (and CLDR 47 through fr_HT); Haitian Creole print
    # writes no space before the colon ("ATANSYON:", "Nimewo telefòn: "), as our taglines do.
    "ht": ": ",
}

#: The pattern fields of a month's full name (``MMMM``, stand-alone ``LLLL``).
MONTH_FIELDS = (("field", ("M", 4)), ("field", ("L", 4)))

#: Spaces that keep a French-style colon (and guillemets) on the line of their word.
NO_BREAK_SPACES = "\u00a0\u202f"


@dataclass(frozen=True, slots=True)
class Quotes:
    """A language's quotation marks (CLDR ``delimiters``)."""

    start: str
    """Opening mark of a quotation (``quotationStart``: “ in English, « in French)."""
    end: str
    """Closing mark of a quotation (``quotationEnd``)."""
    alternate_start: str
    """Opening mark of a quotation inside a quotation (``alternateQuotationStart``)."""
    alternate_end: str
    """Closing mark of a quotation inside a quotation (``alternateQuotationEnd``)."""
    space: str = ""
    """No-break space set inside the marks (French ``«\\u202fmot\\u202f»``), or ''."""


@cache
def _table(name: str) -> dict[str, Any]:
    text = files("ldn_i18n").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)["locales"]  # type: ignore[no-any-return]


def _parent(name: str) -> str:
    """The CLDR locale ``name`` inherits from, as Babel's ``localedata.load`` finds it."""
    exception = get_global("parent_exceptions").get(name)
    if exception:
        return str(exception)
    lang, territory, script, variant, *rest = parse_locale(name)
    if script and not (territory or variant or rest):
        likely = get_global("likely_subtags").get(lang)
        if likely and parse_locale(likely)[2] != script:
            return "root"  # CLDR's nonlikelyScript rule: sr_Latn does not inherit sr's Cyrillic
    return name.rsplit("_", 1)[0] if "_" in name else "root"


@cache
def cldr_chain(locale: str) -> tuple[str, ...]:
    """The CLDR locales whose data ``locale`` uses, most specific first, ending with ``root``."""
    name = str(Locale.parse(language(locale).cldr))  # likely subtags: zh_TW -> zh_Hant_TW
    chain = [name]
    while name != "root":
        name = _parent(name)
        chain.append(name)
    return tuple(chain)


def _lookup(locale: str, table: dict[str, Any], stated: dict[str, Any] | None = None) -> Any:
    for name in cldr_chain(locale):
        if stated and name in stated:
            return stated[name]
        if name in table:
            return table[name]
    raise KeyError(locale)  # root is in every table


@cache
def label_punctuation(locale: str) -> str:
    """What follows a label before its value: ``": "``, French ``"\\u202f: "``, Chinese ``"："``."""
    return str(_lookup(locale, _table("labels.json"), LABEL_PUNCTUATION))


def label(text: str, locale: str) -> str:
    """``text`` as a label in ``locale``: ``Phone number: ``, ``电话号码：``, ``Téléphone\\u202f: ``."""
    return text + label_punctuation(locale)


@cache
def quotes(locale: str) -> Quotes:
    """The quotation marks of ``locale`` (CLDR), with French-style inner spaces where CLDR's colon
    has one (CLDR's, not :data:`LABEL_PUNCTUATION`'s: Haitian Creole's « » keep CLDR's spaces)."""
    start, end, alternate_start, alternate_end = _lookup(locale, _table("quotes.json"))
    before_colon = str(_lookup(locale, _table("labels.json"))).partition(":")[0]
    space = before_colon if start == "«" and before_colon and before_colon in NO_BREAK_SPACES else ""
    return Quotes(start, end, alternate_start, alternate_end, space)


def _is_space(ch: str | None) -> bool:
    return ch is None or ch.isspace()


def _is_punctuation(ch: str | None) -> bool:
    return ch is not None and unicodedata.category(ch)[0] in "PS"


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """Positions of the ASCII double quotes that pair up as a quotation's opening and closing marks.

    A quote opens when a word follows it, and closes when a word precedes it
    (CommonMark's flanking rules, which also pair quotes between Chinese
    characters); a closing quote pairs with the pending opening one. An
    unpaired quote (an inch mark, a typo) is left out.
    """
    pairs = []
    opening: int | None = None
    for at, ch in enumerate(text):
        if ch != '"':
            continue
        before = text[at - 1] if at else None
        after = text[at + 1] if at + 1 < len(text) else None
        can_open = not _is_space(after) and (
            not _is_punctuation(after) or _is_space(before) or _is_punctuation(before)
        )
        can_close = not _is_space(before) and (
            not _is_punctuation(before) or _is_space(after) or _is_punctuation(after)
        )
        if can_close and opening is not None:
            pairs.append((opening, at))
            opening = None
        elif can_open:
            opening = at
    return pairs


def quote_marks(locale: str) -> tuple[str, str]:
    """What replaces a pair's opening and closing ASCII quotes in ``locale``, spaces included."""
    marks = quotes(locale)
    return marks.start + marks.space, marks.space + marks.end


def smart_quotes(text: str, locale: str) -> str:
    """``text`` with each pair of ASCII double quotes as ``locale``'s quotation marks.

    Marks a translator typed (« », “ ”, 「 」) are kept as they are; single
    quotes are apostrophes and stay.
    """
    opening, closing = quote_marks(locale)
    replaced = {}
    for start, end in quote_pairs(text):
        replaced[start], replaced[end] = opening, closing
    return "".join(replaced.get(at, ch) for at, ch in enumerate(text))


def _months(name: str) -> dict[int, str]:
    return dict(load(name)["months"]["format"]["wide"])


@cache
def borrowed_months(locale: str) -> str | None:
    """The CLDR locale of another language (or ``root``) whose month names CLDR gives ``locale``.

    None when the month names are the language's own, or stated in
    :data:`SHARED_MONTHS` as rightly shared. ``ht`` gives ``fr_HT`` (CLDR 47)
    or ``root`` (CLDR 49); a language CLDR has no month names for gives
    ``root`` (``M01``...).
    """
    chain = cldr_chain(locale)
    if any(name in SHARED_MONTHS for name in chain):
        return None
    lang = parse_locale(chain[0])[0]
    own = _months(chain[0])
    for name in chain[1:]:
        if name == "root" or parse_locale(name)[0] != lang:
            return name if _months(name) == own else None
    return None


def _month_names(locale: str) -> tuple[str, ...] | None:
    return next((MONTH_NAMES[name] for name in cldr_chain(locale) if name in MONTH_NAMES), None)


def long_date_pattern(locale: str) -> str:
    """The long-date pattern of ``locale``: :data:`DATE_PATTERNS` where stated, else CLDR's."""
    stated = next((DATE_PATTERNS[name] for name in cldr_chain(locale) if name in DATE_PATTERNS), None)
    return stated or str(Locale.parse(language(locale).cldr).date_formats["long"].pattern)


def format_date(date: dt.date, locale: str) -> str:
    """``date`` written out in ``locale``: CLDR's long date, with :data:`MONTH_NAMES` where stated.

    A locale whose CLDR month names are another language's (or missing:
    ``M11``) and that no table covers gets the ISO 8601 date (``2026-11-25``).
    """
    cldr = language(locale).cldr
    pattern = long_date_pattern(locale)
    names = _month_names(locale)
    if names is not None:
        month = ("chars", names[date.month - 1])
        tokens = [month if token in MONTH_FIELDS else token for token in tokenize_pattern(pattern)]
        pattern = untokenize_pattern(tokens)
    elif borrowed_months(locale):
        return date.isoformat()
    return str(babel_format_date(date, pattern, locale=cldr))
