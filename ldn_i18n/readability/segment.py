"""Plain text into sentences, words and letters, per script: :func:`sentences`, :func:`words`.

- **Sentences** end at ``.``, ``!``, ``?``, ``…`` followed by a space (or the
  end), at Arabic ``؟`` and Urdu ``۔``, at the Indic danda ``।``/``॥``,
  Ethiopic ``።``/``፧``, Armenian ``։`` and Burmese ``။``, and at the CJK full stops ``。！？``
  (no space follows them). A period does not end a sentence after an
  abbreviation (``U.S.``, ``e.g.``, an initial, Spanish ``EE. UU.``, or one of
  :data:`ABBREVIATIONS`), inside a number (``1.5``) or before a lower-case word.
  Closing quotes and brackets stay with the sentence they close.
- **Words** are runs of letters, marks and digits; a hyphen or apostrophe
  between letters joins (``Hailey-Hailey``, ``Crohn's`` are one word, as SMOG's
  rules say), and so does a decimal point or comma between digits (``1.5``,
  ``1,5``). In Chinese and Japanese, which write no spaces, each Han or kana
  character is one unit. In Vietnamese each space-separated unit is a syllable
  of the language: what the table calls words.
"""

from __future__ import annotations

import re
import unicodedata

#: Words followed by a period that does not end a sentence, per base language (lower case, no period).
ABBREVIATIONS = {
    "en": ("dr", "mr", "mrs", "ms", "vs", "approx", "no", "st", "jr", "sr", "fig"),
    "es": ("dr", "dra", "sr", "sra", "srta", "ud", "uds", "p. ej", "ej", "aprox", "núm"),
    "pt": ("dr", "dra", "sr", "sra", "p. ex", "ex", "aprox", "nº"),
    "fr": ("dr", "m", "mme", "mlle", "p. ex", "env"),
}
#: Marks that end a sentence when a space or the end follows.
_SPACED_ENDS = ".!?…؟۔।॥።፧։။"
#: Marks that end a sentence wherever they stand (full-width CJK and Arabic question mark).
_CLOSED_ENDS = "。！？｡"
_CLOSERS = "\"'”’»)]}）」』】〉》"
_END = re.compile(
    rf"(?P<mark>[{re.escape(_SPACED_ENDS)}]+|[{re.escape(_CLOSED_ENDS)}]+)(?P<close>[{re.escape(_CLOSERS)}]*)"
)
_INITIALISM = re.compile(r"(?:\b[^\W\d_]\.){2,}$|\b[A-Z]$|\b([A-Z])\1$")
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}"  # U.S., e.g.
    rf"|\d+(?:[.,]\d+)*"  # 1.5, 1,5, 1,000
    rf"|[\w{_MARKS}]+(?:['’\-‐][\w{_MARKS}]+)*"
)
_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def _base(locale: str) -> str:
    return locale.split("_")[0].lower()


def _is_abbreviation(before: str, locale: str) -> bool:
    """Whether the text ``before`` a period ends in an abbreviation."""
    tail = before.rstrip()
    if _INITIALISM.search(tail):
        return True
    word = tail.lower()
    return any(
        word.endswith(abbr) and (len(word) == len(abbr) or not word[-len(abbr) - 1].isalnum())
        for abbr in ABBREVIATIONS.get(_base(locale), ())
    )


def sentences(text: str, locale: str) -> list[str]:
    """The sentences of plain ``text`` in ``locale``'s script; a text with no final mark is one sentence."""
    text = unicodedata.normalize("NFC", text)
    found: list[str] = []
    start = 0
    for match in _END.finditer(text):
        mark, end = match.group("mark"), match.end()
        following = text[end:]
        if mark[0] in _SPACED_ENDS:
            if following and not following[0].isspace():
                continue  # 1.5, U.S.A, "?!" inside a word
            if mark == ".":
                nxt = following.lstrip()[:1]
                if nxt.islower() or _is_abbreviation(text[start : match.start()], locale):
                    continue
        found.append(text[start:end])
        start = end
    found.append(text[start:])
    return [part.strip() for part in found if words(part, locale)]


def words(text: str, locale: str) -> list[str]:
    """The words of ``text``; for Chinese and Japanese each Han or kana character is one."""
    found = _WORD.findall(unicodedata.normalize("NFC", text))
    if _base(locale) in ("zh", "ja"):
        split: list[str] = []
        for word in found:
            if _HAN.search(word):
                split.extend(part for part in re.split(f"({_HAN.pattern})", word) if part)
            else:
                split.append(word)
        found = split
    return found


def letters(word: str) -> int:
    """How many letters ``word`` has (Han characters included; digits, marks and joiners not)."""
    return sum(1 for ch in word if unicodedata.category(ch).startswith("L"))
