"""Syllables of one word, per language: :func:`syllable_counter` -> a function ``word -> int``.

- **English**: rules over spelling (vowel groups, silent final *e*, *-ed*,
  *-es*, *-le*, vowel pairs said as two syllables) and a short list of
  exceptions; acronyms (``LDN``) are spelled out letter by letter. Measured
  against the CMU Pronouncing Dictionary in ``tests/test_readability.py``.
- **Spanish** and **Portuguese**: the spelling's vowel nuclei, joining
  diphthongs (a weak vowel *i*, *u* next to another vowel, unless accented)
  and splitting hiatus (two strong vowels *a*, *e*, *o*); *u* is silent in
  *que*, *qui*, *gue*, *gui*.
- **French**: vowel groups, less a final mute *e* (*-e*, *-es*, and *-ent*
  after a consonant).
- Other languages with a pyphen hyphenation dictionary: hyphenation points
  plus one (an undercount where the dictionary will not split one letter off).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

#: A syllable counter for one word.
Counter = Callable[[str], int]

# --- English ----------------------------------------------------------------

#: Words the English rules get wrong, with their syllables (checked against the CMU dictionary).
ENGLISH_EXCEPTIONS = {
    "area": 3,
    "being": 2,
    "business": 2,
    "create": 2,
    "created": 3,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "idea": 3,
    "ideas": 3,
    "people": 2,
    "poem": 2,
    "quiet": 2,
    "real": 1,
    "really": 2,
    "science": 2,
    "someone": 2,
    "something": 2,
    "sometimes": 2,
    "somewhere": 2,
    "there": 1,
    "where": 1,
    "whether": 2,
    "whole": 1,
    "wholly": 2,
    "going": 2,
    "doing": 2,
    "seeing": 2,
    "naltrexone": 3,
    "fibromyalgia": 5,
    "lichen": 2,
    "planopilaris": 5,
    "neuropathy": 4,
    "widespread": 2,
    # Units read aloud, as SMOG's rules ask of abbreviations.
    "mg": 3,
    "mcg": 3,
    "ml": 3,
    "kg": 3,
}
#: Syllables of each letter's English name, for acronyms read letter by letter (``W`` is "double-u").
_LETTER_NAMES = {"w": 3}
_VOWELS = "aeiouy"
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
#: Vowel pairs said as two syllables: di-al, vi-o-lent, me-di-um, u-su-al, vi-de-o, qui-et.
_SPLIT = re.compile(
    r"(?<![tcsgxh])ia|(?<![tcsgxhln])io|iu|eo(?!us)|(?<![qg])ua|(?<![qg])uo"
    r"|(?<![tcsq])ie(?=n?t|ty|nce)|[aeiouy]ing$|(?<![dh])[^aeiouy]ier$|ism$"
)


#: A silent e before an ending: lone-ly, care-ful, base-ment, hope-less.
_SILENT_E = re.compile(r"[^aeiouy]e(?:ly|ful|ness|less|ment|some|like|way|ways|work|where|wife|ball|foot)$")


#: Syllables of the English number words: 0-19, then the tens.
_UNITS = (2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2)
_TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)


def english_number_syllables(number: str) -> int:
    """Syllables of a number read aloud in English: ``1.5`` "one point five" is 3, ``250`` is 5."""
    whole, _, decimals = number.replace(",", "").partition(".")
    count = sum(_UNITS[int(d)] for d in decimals) + (1 if decimals else 0)  # "point" and each digit
    value = int(whole) if whole.isdigit() else 0
    if len(whole) > 9:  # an identifier rather than a quantity: digit by digit
        return count + sum(_UNITS[int(d)] for d in whole if d.isdigit())
    for scale, syllables in ((1_000_000, 2), (1000, 2)):  # million, thousand
        if value >= scale:
            count += english_number_syllables(str(value // scale)) + syllables
            value %= scale
    if value >= 100:
        count += _UNITS[value // 100] + 2  # "hundred"
        value %= 100
    if value >= 20:
        count += _TENS[value // 10] + (_UNITS[value % 10] if value % 10 else 0)
    elif value or not count:
        count += _UNITS[value]
    return count


def english_syllables(word: str) -> int:
    """Syllables of an English word by spelling rules; a number as read aloud (0 for no letters or digits)."""
    letters = "".join(ch for ch in word if ch.isalpha())
    if not letters:
        return english_number_syllables(word) if any(ch.isdigit() for ch in word) else 0
    if len(letters) > 1 and letters.isupper():
        return sum(_LETTER_NAMES.get(ch, 1) for ch in letters.lower())
    w = letters.lower()
    if w in ENGLISH_EXCEPTIONS:
        return ENGLISH_EXCEPTIONS[w]
    count = len(_VOWEL_GROUP.findall(w))
    if re.search(r"[^aeiouy]n['’]t$", word.lower()):
        count += 1  # is-n't, could-n't (but don't, can't)
    if count > 1 and len(w) > 2:
        if w.endswith("e") and w[-2] not in _VOWELS and not (w.endswith("le") and w[-3] not in _VOWELS):
            count -= 1  # make, shape (but table, free)
        elif (
            w.endswith("es") and w[-3] not in _VOWELS and not re.search(r"(?:[sxzcg]|ch|sh|[^aeiouy]l)es$", w)
        ):
            count -= 1  # makes, nerves (but boxes, places, tables)
        elif w.endswith("ed") and w[-3] not in _VOWELS and w[-3] not in "td":
            count -= 1  # helped, used (but wanted, needed)
        if _SILENT_E.search(w):
            count -= 1
        if re.search(r"^(?:every|some)[^aeiouy]|(?<=[aeiou]|n)gue$", w):
            count -= 1  # every-body, some-how, fa-tigue
    count += len(_SPLIT.findall(w))
    return max(count, 1)


# --- Spanish and Portuguese ---------------------------------------------------

_STRONG = set("aeoáéóíúàâêôãõ")  # accented i/u are strong: they break a diphthong (dí-a, ba-ú-l)
_WEAK = set("iuüy")


def _iberian_syllables(word: str, *, portuguese: bool) -> int:
    w = unicodedata.normalize("NFC", word.lower())
    w = re.sub(r"(?<=[qg])u(?=[eiéíêõ])", "", w)  # que, qui, gue, gui: the u is silent
    w = re.sub(r"y(?=[aeiouáéíóú])", "j", w)  # consonantal y: "ya", "mayo"
    if portuguese:
        w = re.sub(r"ão|ãe|õe", "ã", w)
    count = 0
    previous = ""
    for ch in w:
        if ch in _STRONG:
            if not previous or previous == "consonant":
                count += 1
            elif previous == "strong":
                count += 1  # hiatus: le-er, ve-o
            # weak then strong: diphthong (ia, ue): already counted
            previous = "strong"
        elif ch in _WEAK:
            if ch == "y" and previous != "consonant" and previous:
                previous = "weak"
                continue
            if not previous or previous == "consonant":
                count += 1
            previous = "weak" if previous != "strong" else "weak-after-strong"
            if previous == "weak-after-strong":
                previous = "weak"
        else:
            previous = "consonant" if ch.isalpha() else ""
    return max(count, 1) if any(c.isalpha() for c in w) else 0


def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word: its vowel nuclei, diphthongs joined and hiatus split."""
    return _iberian_syllables(word, portuguese=False)


def portuguese_syllables(word: str) -> int:
    """Syllables of a Portuguese word: vowel nuclei, with nasal diphthongs (ão, ãe, õe) as one."""
    return _iberian_syllables(word, portuguese=True)


# --- French ---------------------------------------------------------------------

_FRENCH_VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]+")


def french_syllables(word: str) -> int:
    """Syllables of a French word as written: vowel groups, less a final mute e."""
    w = word.lower()
    if not any(c.isalpha() for c in w):
        return 0
    count = len(_FRENCH_VOWELS.findall(w))
    if count > 1 and re.search(r"[^aeiouyéèêàâîôû](?:e|es|ent)$", w):
        count -= 1
    return max(count, 1)


# --- Choosing a counter -----------------------------------------------------------

_OWN = {"en": english_syllables, "es": spanish_syllables, "pt": portuguese_syllables, "fr": french_syllables}


@cache
def syllable_counter(locale: str) -> Counter | None:
    """The syllable counter for ``locale``'s language, or None where there is none."""
    base = locale.split("_")[0]
    if base in _OWN:
        return _OWN[base]
    try:
        import pyphen
    except ImportError:  # pragma: no cover - pyphen is a dependency
        return None
    if not pyphen.language_fallback(locale):
        return None
    dictionary = pyphen.Pyphen(lang=locale)

    def count(word: str) -> int:
        return len(dictionary.positions(word.lower())) + 1 if any(c.isalpha() for c in word) else 0

    return count
