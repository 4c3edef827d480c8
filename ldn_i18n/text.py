"""What the text of a message may hold: :func:`format_problem`, :func:`hidden_characters`, :func:`nfc`.

One definition, used both by ``check`` (to report) and by rendering (to
refuse), so the two can never disagree:

- Template strings are Python ``%`` format strings (Jinja2's newstyle gettext
  always formats them): a ``%`` that does not start a valid conversion, or a
  placeholder the program does not fill, is an error.
- Characters that change what a patient reads without being seen: bidi
  overrides, embeddings and isolates, C0 and C1 controls (NUL included), and
  anything that takes no visible room between two digits (zero-width and
  format characters, combining marks, thin spaces), which would make
  ``2`` and ``5`` read as ``25``.
- Text is compared and printed in Unicode NFC.
"""

from __future__ import annotations

import re
import unicodedata

#: One ``%`` conversion: ``%%``, ``%s``, ``%(name)s``, ``%5.2f``...
CONVERSION = re.compile(r"%(?:\((?P<name>[^()]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>.)?")
_VALID_TYPES = set("diouxXeEfFgGcrsa%")
#: What a locale identifier may be made of (CLDR's, written with '_'): it names folders and files.
LOCALE_RE = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")

#: Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Spaces that may separate the digits of one number as a thousands separator (CLDR's group symbols).
GROUP_SPACES = frozenset(" \u00a0\u202f")
#: Characters a number may hold besides digits: decimal and group separators (Latin and Arabic).
_NUMBER_PUNCTUATION = frozenset(".,\u066b\u066c")


def _unseen(char: str) -> bool:
    """Whether ``char`` takes no visible room between two digits: it would join them to the eye.

    Format characters (zero-width, joiners, invisible operators, tags), combining
    and enclosing marks (variation selectors, CGJ), controls, unassigned and
    private-use code points, and every space narrower than a normal one.
    """
    category = unicodedata.category(char)
    return category in ("Cf", "Mn", "Me", "Cc", "Co", "Cn", "Cs") or (
        category == "Zs" and char not in GROUP_SPACES
    )


def _inside_number(text: str) -> list[tuple[int, str]]:
    """``(position, char)`` of each unseen character between two digits (separators allowed)."""
    found = []
    for index, char in enumerate(text):
        if not _unseen(char):
            continue
        left = index - 1
        while left >= 0 and (_unseen(text[left]) or text[left] in _NUMBER_PUNCTUATION):
            left -= 1
        right = index + 1
        while right < len(text) and (_unseen(text[right]) or text[right] in _NUMBER_PUNCTUATION):
            right += 1
        if left >= 0 and right < len(text) and text[left].isdecimal() and text[right].isdecimal():
            found.append((index, char))
    return found


def placeholders(text: str) -> list[str]:
    """The conversions of ``text`` in order (``%(name)s``, ``%s``), ``%%`` left out."""
    return [m.group(0) for m in CONVERSION.finditer(text) if m.group("type") in _VALID_TYPES - {"%"}]


#: The only conversions a template string may hold: ``%(name)s``, ``%(name)d``, ``%s``, ``%d``, ``%%``.
_PLAIN = re.compile(r"%(?:\((?P<name>\w+)\))?[sd]|%%")


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Where each placeholder a translation keeps is (``%(name)s``, ``%s``, ``%%``), never ``50% of``."""
    return [m.span() for m in _PLAIN.finditer(text)]


def format_problem(text: str) -> str | None:
    """Why ``text`` is not a valid template format string, or None when it is.

    Only the plain conversions of :data:`_PLAIN`: no flags, width or
    precision (``%(page)*s``), no other type (``%(page)r``, ``%c``).
    """
    for match in CONVERSION.finditer(text):
        if _PLAIN.fullmatch(match.group(0)):
            continue
        kind = match.group("type")
        if kind is None or kind not in _VALID_TYPES:
            shown = match.group(0) if kind is not None else "%"
            where = match.start() + 1
            return f"{shown!r} at character {where} is not a placeholder: write %% for a percent sign"
        if match.group("name") is not None and not re.fullmatch(r"\w+", match.group("name")):
            return f"{match.group(0)!r} is not a placeholder: a name is letters, digits and _"
        return f"{match.group(0)!r} is not a placeholder a template fills: keep %(name)s as in the English"
    return None


def _name(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def hidden_characters(text: str) -> list[str]:
    """A sentence for each character of ``text`` that changes what is read without being seen."""
    problems = []
    for index, char in enumerate(text):
        if char in BIDI_CONTROLS:
            problems.append(f"bidi control {_name(char)} at character {index + 1}")
        elif unicodedata.category(char) == "Cc" and char not in "\n\t":
            problems.append(f"control character {_name(char)} at character {index + 1}")
        elif unicodedata.category(char) in ("Zl", "Zp"):
            problems.append(f"line separator {_name(char)} at character {index + 1}")
    for index, char in _inside_number(text):
        if char not in BIDI_CONTROLS and unicodedata.category(char) != "Cc":
            problems.append(f"invisible {_name(char)} inside a number at character {index + 1}")
    return problems


def nfc(text: str) -> str:
    """``text`` in Unicode Normalization Form C, the form compared and printed."""
    return unicodedata.normalize("NFC", text)
