"""How each language writes a number: :func:`digits`, :func:`number_words`, :func:`foreign_numerals`.

- **Digits**: ASCII digits, and the digits of the locale's default and native
  numbering systems in CLDR (``٠``-``٩`` for Arabic); any other digit (a
  Bengali ``৪`` that looks like an 8, a full-width ``１``) or numeric sign
  (``⑩``, ``Ⅹ``, ``¹⁰``) is refused, since no check could compare it.
- **Number words** (:data:`NUMBER_WORDS`): a stated table, 2 and up, of the
  words that name a number in the languages the clinic prints, so a dose
  frequency written out (``tres veces``, ``三次``) is compared like digits.
  Words that also mean something else are left out and listed in
  :data:`AMBIGUOUS` (Haitian Creole ``de`` "two" and "of", Vietnamese ``năm``
  "five" and "year"...). "One" is left out: it is also an article; it counts
  only before a dose form or unit (``una cápsula``), by :mod:`ldn_i18n.rates`.
- **Marks on digits** (:func:`digit_marks`): a combining mark on a digit, or
  one number written in two digit systems, is refused too.
- **Range words** (:data:`RANGE_WORDS`): what may join the two numbers of a
  range (``1.5 to 4.5 mg``, ``1,5 a 4,5 mg``), per language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Code point of the digit zero of each CLDR numbering system with decimal digits we may meet.
DIGIT_ZEROS = {
    "latn": 0x30,
    "arab": 0x660,
    "arabext": 0x6F0,
    "deva": 0x966,
    "beng": 0x9E6,
    "guru": 0xA66,
    "gujr": 0xAE6,
    "orya": 0xB66,
    "tamldec": 0xBE6,
    "telu": 0xC66,
    "knda": 0xCE6,
    "mlym": 0xD66,
    "thai": 0xE50,
    "laoo": 0xED0,
    "tibt": 0xF20,
    "mymr": 0x1040,
    "khmr": 0x17E0,
    "fullwide": 0xFF10,
}


def _words(spec: str) -> dict[str, int]:
    found = {}
    for part in spec.split(","):
        word, _, value = part.strip().rpartition(" ")
        found[word] = int(value)
    return found


#: Number words per base language (lower case, whole words), each with its value.
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": _words(
        "two 2, three 3, four 4, five 5, six 6, seven 7, eight 8, nine 9, ten 10, eleven 11, twelve 12,"
        " thirteen 13, fourteen 14, fifteen 15, sixteen 16, seventeen 17, eighteen 18, nineteen 19,"
        " twenty 20, thirty 30, forty 40, fifty 50, sixty 60, hundred 100, thousand 1000, twice 2,"
        " thrice 3, dozen 12"
    ),
    "es": _words(
        "dos 2, tres 3, cuatro 4, cinco 5, seis 6, siete 7, ocho 8, nueve 9, diez 10, once 11, doce 12,"
        " trece 13, catorce 14, quince 15, dieciséis 16, diecisiete 17, dieciocho 18, diecinueve 19,"
        " veinte 20, veintiuno 21, veintiún 21, veintidós 22, veintitrés 23, veinticuatro 24,"
        " veinticinco 25, treinta 30, cuarenta 40, cincuenta 50, sesenta 60, cien 100, ciento 100,"
        " mil 1000, docena 12"
    ),
    "pt": _words(
        "dois 2, duas 2, três 3, quatro 4, cinco 5, seis 6, sete 7, oito 8, nove 9, dez 10, onze 11,"
        " doze 12, treze 13, catorze 14, quatorze 14, quinze 15, dezesseis 16, dezessete 17, dezoito 18,"
        " dezenove 19, vinte 20, trinta 30, quarenta 40, cinquenta 50, sessenta 60, cem 100, cento 100,"
        " mil 1000, dúzia 12"
    ),
    "fr": _words(
        "deux 2, trois 3, quatre 4, cinq 5, six 6, sept 7, huit 8, neuf 9, dix 10, onze 11, douze 12,"
        " treize 13, quatorze 14, quinze 15, seize 16, vingt 20, trente 30, quarante 40, cinquante 50,"
        " soixante 60, cent 100, mille 1000, douzaine 12"
    ),
    "ht": _words("twa 3, kat 4, senk 5, sis 6, sèt 7, uit 8, dis 10, onz 11, douz 12, ven 20, trant 30"),
    "vi": _words("hai 2, bốn 4, sáu 6, bảy 7, tám 8, chín 9, mười 10, trăm 100"),
    "ar": _words(
        "اثنان 2, اثنين 2, اثنتان 2, اثنتين 2, مرتين 2, مرتان 2, ثلاث 3, ثلاثة 3, أربع 4, أربعة 4,"
        " خمس 5, خمسة 5, ست 6, ستة 6, سبع 7, سبعة 7, ثماني 8, ثمانية 8, تسع 9, تسعة 9, عشر 10,"
        " عشرة 10, عشرين 20, عشرون 20"
    ),
}
#: Words left out of :data:`NUMBER_WORDS` because they also mean something else.
AMBIGUOUS = {
    "ht": "de (two; of), nèf (nine; new), san (hundred; without), en (one; a)",
    "vi": "ba (three; father), năm (five; year), một (one; a)",
}
#: Han numerals (common and financial forms), counted only before a measure word, since
#: they also occur inside words (一些 "some", 一起 "together").
_HAN_DIGITS = {
    **dict.fromkeys("零〇", 0), **dict.fromkeys("一壹", 1), **dict.fromkeys("二两俩贰貳", 2),
    **dict.fromkeys("三叁參", 3), **dict.fromkeys("四肆", 4), **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆陸", 6), **dict.fromkeys("七柒", 7), **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}  # fmt: skip
_HAN_UNITS = {**dict.fromkeys("十拾", 10), **dict.fromkeys("百佰", 100), **dict.fromkeys("千仟", 1000)}
_HAN_TENS = {"廿": 20, "卅": 30, "卌": 40}
_HAN_NUMBER = re.compile(
    "([" + "".join([*_HAN_DIGITS, *_HAN_UNITS, *_HAN_TENS]) + "]+)"
    "(?=次|倍|片|粒|天|日|周|星期|个|個|年|岁|歲|小时|小時|分钟|分鐘|毫克|克|毫升|颗|顆|滴)"
)
#: What may join the two numbers of a range, per base language (besides a dash or tilde).
RANGE_WORDS = {
    "en": ("to", "through", "and", "or"),
    "es": ("a", "hasta", "y", "o"),
    "pt": ("a", "até", "e", "ou"),
    "fr": ("à", "et", "ou"),
    "de": ("bis", "und", "oder"),
    "it": ("a", "e", "o"),
    "ht": ("a", "jiska", "rive", "ak", "oswa"),
    "vi": ("đến", "tới", "và", "hoặc"),
    "zh": ("至", "到", "和", "或"),
    "ar": ("إلى", "الى", "و", "أو"),
}


@cache
def digits(locale: str) -> str:
    """The digits ``locale`` may write: ASCII and its CLDR default and native numbering systems."""
    from babel import Locale

    systems = {"latn"}
    try:
        parsed = Locale.parse(locale)
        systems.add(parsed.default_numbering_system)
        systems.update(dict(parsed.other_numbering_systems).values())
    except (ValueError, LookupError):
        pass
    return "".join(
        chr(DIGIT_ZEROS[system] + i) for system in sorted(systems) if system in DIGIT_ZEROS for i in range(10)
    )


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit written as an ASCII digit."""
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in text)


def foreign_numerals(text: str, locale: str) -> list[str]:
    """A sentence for each digit or numeric sign of ``text`` that ``locale`` does not write."""
    allowed = set(digits(locale)) | set(_READ_FRACTIONS)
    problems = []
    for ch in dict.fromkeys(text):
        category = unicodedata.category(ch)
        if ch in allowed:
            continue
        if (category == "Nd" and ch not in allowed) or category in ("No", "Nl"):
            if category != "Nd" and unicodedata.numeric(ch, None) is None:
                continue
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            problems.append(f"{ch!r} ({name}) is a number the checks cannot compare: write it in digits")
    return problems


#: Vulgar fractions read as numbers (``½`` 0.5: :mod:`ldn_i18n.rates`), not refused.
_READ_FRACTIONS = "½¼¾⅓⅔⅛"
#: A run of digits of any system, with what may join them inside one number.
_DIGIT_RUN = re.compile(r"\d(?:[\d.,\u066b\u066c]*\d)?")


def _system(ch: str) -> int:
    """The code point of the zero of ``ch``'s digit system."""
    return ord(ch) - unicodedata.decimal(ch)


def digit_marks(text: str) -> list[str]:
    """A sentence for each combining mark on a digit (``2\u0336`` reads as a struck 2) and each number
    whose digits mix systems (Arabic-Indic ``٣`` with Eastern Arabic-Indic ``۴``)."""
    problems = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in ("Mn", "Mc", "Me") and i and unicodedata.category(text[i - 1]) == "Nd":
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            problems.append(
                f"the digit {text[i - 1]!r} carries a combining mark U+{ord(ch):04X} ({name}): "
                "it changes how the number reads; remove it"
            )
    for match in _DIGIT_RUN.finditer(text):
        systems = {_system(ch) for ch in match.group(0) if ch.isdecimal()}
        if len(systems) > 1:
            problems.append(
                f"the number {match.group(0)!r} mixes digits of {len(systems)} systems: "
                "write it in one system"
            )
    return problems


@cache
def _word_pattern(language: str) -> re.Pattern[str] | None:
    words = NUMBER_WORDS.get(language)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def number_words(text: str, locale: str) -> list[tuple[int, int, str]]:
    """``(value, position, word)`` of every number written as a word in ``text``."""
    language = locale.split("_")[0]
    found = []
    pattern = _word_pattern(language)
    if pattern is not None:
        for match in pattern.finditer(text):
            found.append((NUMBER_WORDS[language][match.group(0).lower()], match.start(), match.group(0)))
    if language in ("zh", "ja"):
        for match in _HAN_NUMBER.finditer(text):  # a measure word follows
            value = _han_value(match.group(1))
            if value is not None:
                found.append((value, match.start(), match.group(1)))
    return sorted(found, key=lambda item: item[1])


def _han_value(numeral: str) -> int | None:
    """A Han numeral's value: 二 2, 十二 12, 二十五 25, 一百零五 105, 廿 20, 壹拾 10 (None for a bare 一)."""
    total = current = 0
    for ch in numeral:
        if ch in _HAN_DIGITS:
            current = _HAN_DIGITS[ch]
        elif ch in _HAN_UNITS:
            total += (current or 1) * _HAN_UNITS[ch]
            current = 0
        else:
            total += _HAN_TENS[ch]
    value = total + current
    return value if value >= 2 else None  # "一" (one) is also "a", as everywhere


def range_words(locale: str) -> tuple[str, ...]:
    """What may join the two numbers of a range in ``locale`` (besides a dash or tilde)."""
    return RANGE_WORDS.get(locale.split("_")[0], RANGE_WORDS["en"])
