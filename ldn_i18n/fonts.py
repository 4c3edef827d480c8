"""Which installed typeface prints each script: :func:`font_stack` and :func:`font_problem`.

``font_stack(locale)`` is the CSS ``font-family`` list of an edition: the face
of the locale's script, then ``"Noto Sans"`` (Latin words, digits and
punctuation in the same line) and ``sans-serif``. The scripts in
:data:`NAMED_FACES` get the face named there; for every other script the face
is looked up among the installed fonts through fontconfig (``fc-list``), in
this order: the plain Noto Sans family of the script (``Noto Sans Gujarati``,
never a Serif, Looped, Mono, Display or UI variant when a plain one exists),
another plain sans face, any face, and the generic family alone when nothing
covers the script. A family covers the script when it has every letter of
the language's own name (CLDR's ``ગુજરાતી``), or, for a name without one,
when it covers fontconfig's orthography of the language (``:lang=gu``).
Within each rank a family that covers that orthography comes first, then one
with Regular and Bold, then the shortest name.

``font_problem(locale)`` says, in one sentence naming the Debian package to
install, why no installed font prints the locale's script, or that the face
found is not the Noto face designed for it (DejaVu Sans for Urdu or Persian
when Noto Sans Arabic is missing: the letters and styles it lacks would come
from another face, with glyphs that do not match or overlap); ``ldn-i18n
update`` and every build of the locale's editions report it.

Nothing runs at import time. ``fc-list`` runs once per process, the first
time a stack or a problem needs the list of installed fonts (a build with
nothing to make never does); stacks are remembered per process too, until
:func:`clear_cache`.
"""

from __future__ import annotations

import logging
import re
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel.core import Locale

from .languages import language

log = logging.getLogger(__name__)

#: The face that ends every stack: Latin text, digits and punctuation beside any script.
LATIN_FACE = "Noto Sans"

#: Scripts whose face is named rather than looked up, each with its reason.
NAMED_FACES = {
    # Han and Kana forms differ by region, and `fc-list :lang=zh-cn` lists the JP, KR, SC and TC
    # faces of the Noto Sans CJK collection alike (a Japanese face would print Chinese).
    "Hans": "Noto Sans CJK SC",
    "Hant": "Noto Sans CJK TC",
    "Jpan": "Noto Sans CJK JP",
    "Kore": "Noto Sans CJK KR",
    "Hang": "Noto Sans CJK KR",
    # Noto Sans itself covers Latin, Cyrillic and Greek; `:lang=` would offer sixty faces.
    "Latn": LATIN_FACE,
    "Cyrl": LATIN_FACE,
    "Grek": LATIN_FACE,
}

#: The Debian package with the Noto face of a script, where it is not :data:`DEFAULT_PACKAGE`.
DEBIAN_PACKAGES = dict.fromkeys(["Hans", "Hant", "Jpan", "Kore", "Hang"], "fonts-noto-cjk")
#: fonts-noto-core (Debian 12) has Noto Sans for Latin, Cyrillic, Greek and a Noto Sans face for
#: most other scripts (a few, Tibetan among them, only as Noto Serif).
DEFAULT_PACKAGE = "fonts-noto-core"

#: English names of the scripts whose CLDR name says too little in a sentence ("Simplified").
SCRIPT_NAMES = {
    "Hans": "Simplified Han",
    "Hant": "Traditional Han",
    "Jpan": "Japanese Han and Kana",
    "Kore": "Korean Hangul and Han",
}

#: Words of a family name that mark a variant rather than the plain face of a script.
VARIANT_WORDS = frozenset(
    {"Serif", "Mono", "Looped", "Display", "UI", "Slanted", "Unjoined", "Condensed", "SemiCondensed"}
    | {"Kufi", "Naskh", "Nastaliq", "Rashi", "Math", "Symbols", "Symbols2", "Music"}
)

#: fontconfig's weights of the two faces every script needs (its FC_WEIGHT_REGULAR and _BOLD).
REGULAR, BOLD = 80.0, 200.0

_FORMAT = "%{family[0]}\t%{weight}\t%{slant}\t%{width}\t%{lang}\t%{charset}\t%{postscriptname}\t%{file}\n"


@dataclass(frozen=True, slots=True)
class Face:
    """One installed font (a file, or one face of a collection) as ``fc-list`` lists it."""

    family: str
    """Its first family name (``Noto Sans Gujarati``)."""
    weights: tuple[float, float]
    """The lowest and highest fontconfig weight it draws (80 Regular, 200 Bold; a range if variable)."""
    upright: bool
    """Whether it is roman at normal width: not italic, oblique or condensed."""
    languages: frozenset[str]
    """fontconfig's tags of the orthographies it covers (``gu``, ``zh-cn``)."""
    charset: str
    """fontconfig's hexadecimal ranges of the characters it has (``20-7e a0 a81-a83``)."""
    postscript_name: str = ""
    """Its PostScript name (``NotoSans-Regular``), which the font embedded in a PDF keeps."""
    file: str = ""
    """The font file it is in."""

    def draws(self, weight: float) -> bool:
        """Whether this upright face draws text of fontconfig ``weight``."""
        return self.upright and self.weights[0] <= weight <= self.weights[1]


@dataclass(frozen=True, slots=True)
class _Family:
    """The installed faces of one family, seen from one locale."""

    name: str
    """The family name."""
    covers_language: bool
    """Whether one of its faces covers fontconfig's orthography of the locale's language."""
    regular_and_bold: bool
    """Whether it has an upright Regular and an upright Bold (or a variable face with both)."""

    def rank(self) -> tuple[int, bool, bool, int, str]:
        """Sort key, best first: Noto Sans, other plain sans, any face; then language, weights, length."""
        words = self.name.split()
        plain = "Sans" in words and not VARIANT_WORDS.intersection(words)
        kind = 0 if plain and words[0] == "Noto" else 1 if plain else 2
        return (kind, not self.covers_language, not self.regular_and_bold, len(self.name), self.name)


#: A font family name that can be written in CSS as it is, between double quotes.
_PLAIN_FAMILY = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]*")


@cache
def font_stack(locale: str) -> str:
    """The CSS ``font-family`` list for ``locale``: its script's face, ``"Noto Sans"``, ``sans-serif``."""
    script = language(locale).script
    face = NAMED_FACES.get(script) or _looked_up(locale)
    # An installed family's name goes into CSS: only a plain one (letters, digits, spaces, - _ .).
    faces = [face] if face and face != LATIN_FACE and _PLAIN_FAMILY.fullmatch(face) else []
    return ", ".join([*(f'"{name}"' for name in faces), f'"{LATIN_FACE}"', "sans-serif"])


def font_problem(locale: str) -> str | None:
    """Why no installed font prints ``locale``'s script, naming the Debian package to install; or None.

    For a script of :data:`NAMED_FACES`, that the named face is not installed.
    """
    lang = language(locale)
    installed = _installed()
    if installed is None:
        return (
            f"cannot tell which installed font prints locale {locale!r}: fc-list does not run; "
            "install the Debian package fontconfig (apt-get install fontconfig)"
        )
    english = Locale("en")
    script = SCRIPT_NAMES.get(lang.script) or english.scripts.get(lang.script, lang.script)
    language_name = english.languages.get(Locale.parse(lang.cldr).language, lang.cldr)
    package = DEBIAN_PACKAGES.get(lang.script, DEFAULT_PACKAGE)
    where = f"for locale {locale!r} ({language_name}): install the Debian package {package}"
    where += f" (apt-get install {package})"
    named = NAMED_FACES.get(lang.script)
    if named is None:
        face = _looked_up(locale)
        if face is None:
            return f"no installed font covers {script} (script {lang.script}) {where}"
        if face.split()[0] == "Noto":  # a face of the Noto family made for the script
            return None
        return (
            f"Noto Sans {script}, the face designed for {script} (script {lang.script}), is not "
            f"installed: {face} would print it, and another face the letters it lacks, with glyphs "
            f"that do not match or overlap, {where}"
        )
    if any(face.family == named for face in installed):
        return None
    return f"{named}, the face for {script} (script {lang.script}), is not installed {where}"


def clear_cache() -> None:
    """Forget the installed fonts and the stacks chosen: the next call asks fontconfig again."""
    _installed.cache_clear()
    font_stack.cache_clear()


def font_file(postscript_name: str) -> str | None:
    """The installed file of the face named ``postscript_name`` (``NotoSans-Regular``), or None."""
    return next((f.file for f in _installed() or () if f.postscript_name == postscript_name), None)


def _looked_up(locale: str) -> str | None:
    """The best installed family for ``locale``'s script (see the module docstring), or None."""
    lang = language(locale)
    sample = _sample(lang.name)
    tag = Locale.parse(lang.cldr).language
    by_family: dict[str, list[Face]] = {}
    for face in _installed() or ():
        by_family.setdefault(face.family, []).append(face)
    found = [
        _Family(
            name,
            covers_language=any(_speaks(face, tag) for face in faces),
            regular_and_bold=any(f.draws(REGULAR) for f in faces) and any(f.draws(BOLD) for f in faces),
        )
        for name, faces in by_family.items()
        if any(_has(face.charset, sample) if sample else _speaks(face, tag) for face in faces)
    ]
    return min(found, key=_Family.rank).name if found else None


def _sample(own_name: str) -> str:
    """The letters and marks of the language's own name (CLDR) that are not Latin: its script's."""
    return "".join(
        ch
        for ch in own_name
        if unicodedata.category(ch)[0] in "LM"
        and not ch.isascii()
        and not unicodedata.name(ch, "").startswith("LATIN")
    )


def _speaks(face: Face, tag: str) -> bool:
    """Whether ``face`` covers fontconfig's orthography of language ``tag`` (in any territory)."""
    return any(code == tag or code.startswith(tag + "-") for code in face.languages)


def _has(charset: str, text: str) -> bool:
    """Whether fontconfig's ``charset`` ranges hold every character of ``text``."""
    starts, ends = _ranges(charset)
    for ch in text:
        index = bisect_right(starts, ord(ch)) - 1
        if index < 0 or ord(ch) > ends[index]:
            return False
    return True


@cache
def _ranges(charset: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for part in charset.split():
        first, _, last = part.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return starts, ends


@cache
def _installed() -> tuple[Face, ...] | None:
    """Every font fontconfig lists (``FONTCONFIG_FILE`` is honoured); None when fc-list cannot run."""
    try:
        done = subprocess.run(["fc-list", "-f", _FORMAT], capture_output=True, text=True, check=False)
    except OSError as exc:
        log.warning("fc-list cannot run (%s): install the Debian package fontconfig", exc)
        return None
    if done.returncode != 0:
        log.warning("fc-list failed: %s", done.stderr.strip())
        return None
    return tuple(_parse(done.stdout.splitlines()))


def _parse(lines: Iterable[str]) -> Iterable[Face]:
    for line in lines:
        fields = line.split("\t")
        if len(fields) != 8 or not fields[0]:
            continue
        family, weight, slant, width, langs, charset, postscript_name, file = fields
        wide = _span(width or "100")
        yield Face(
            family=family,
            weights=_span(weight or str(REGULAR)),
            upright=_span(slant or "0")[0] == 0 and wide[0] <= 100 <= wide[1],
            languages=frozenset(langs.split("|")),
            charset=charset,
            postscript_name=postscript_name,
            file=file,
        )


def _span(value: str) -> tuple[float, float]:
    """fontconfig's number or ``[low high]`` range (a variable font's axis) as (low, high)."""
    numbers = [float(n) for n in value.strip("[]").split()]
    return min(numbers), max(numbers)
