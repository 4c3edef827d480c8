"""The published readability formulas, on counts: :data:`FORMULAS` and :func:`scores`.

Every formula takes the text's counts (sentences, words, syllables,
polysyllables, letters) and returns the published score, unrounded. Sources:

- ``flesch-reading-ease``: Flesch (1948), 206.835 - 1.015 W/S - 84.6 Sy/W.
- ``flesch-kincaid``: Kincaid et al. (1975), grade = 0.39 W/S + 11.8 Sy/W - 15.59.
- ``smog``: McLaughlin (1969), grade = 1.0430 sqrt(polysyllables x 30/S) + 3.1291,
  polysyllables being words of three or more syllables; the 30/S factor
  scales a text of any length to McLaughlin's 30-sentence sample.
- ``fernandez-huerta``: Fernández Huerta (1959) in its corrected form
  (Law, 2011): 206.84 - 60 Sy/W - 1.02 W/S.
- ``szigriszt-pazos``: Szigriszt Pazos (1993) perspicuity, 206.835 - 62.3 Sy/W - W/S,
  read on the INFLESZ scale (Barrio-Cantalejo et al., 2008).
- ``flesch-martins``: Flesch adapted for Brazilian Portuguese (Martins et al., 1996),
  248.835 - 1.015 W/S - 84.6 Sy/W.
- ``kandel-moles``: Flesch adapted for French (Kandel & Moles, 1958), 207 - 1.015 W/S - 73.6 Sy/W.
- ``gulpease``: Italian (Lucisano & Piemontese, 1988), 89 + (300 S - 10 letters)/W.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Counts:
    """What the formulas read from a text."""

    sentences: int
    """Sentences (at least one where there are words)."""
    words: int
    """Words."""
    syllables: int
    """Syllables of all the words (0 where the language has no counter)."""
    polysyllables: int
    """Words of three syllables or more."""
    letters: int
    """Letters of all the words."""


def flesch_reading_ease(c: Counts) -> float:
    return 206.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words


def flesch_kincaid(c: Counts) -> float:
    return 0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59


def smog(c: Counts) -> float:
    return 1.0430 * math.sqrt(c.polysyllables * 30 / c.sentences) + 3.1291


def fernandez_huerta(c: Counts) -> float:
    return 206.84 - 60 * c.syllables / c.words - 1.02 * c.words / c.sentences


def szigriszt_pazos(c: Counts) -> float:
    return 206.835 - 62.3 * c.syllables / c.words - c.words / c.sentences


def flesch_martins(c: Counts) -> float:
    return 248.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words


def kandel_moles(c: Counts) -> float:
    return 207 - 1.015 * c.words / c.sentences - 73.6 * c.syllables / c.words


def gulpease(c: Counts) -> float:
    return 89 + (300 * c.sentences - 10 * c.letters) / c.words


@dataclass(frozen=True, slots=True)
class Formula:
    """One published formula."""

    name: str
    """How the summary names it (``Flesch-Kincaid grade``)."""
    compute: Callable[[Counts], float]
    """The formula on a text's counts."""
    needs_syllables: bool = True
    """Whether it reads syllables (all but Gulpease)."""
    min_sentences: int = 1
    """Fewest sentences it is published for (SMOG: 10, McLaughlin's shorter-passage table)."""


#: Every formula by id.
FORMULA_TABLE: dict[str, Formula] = {
    "flesch-kincaid": Formula("Flesch-Kincaid grade", flesch_kincaid),
    "smog": Formula("SMOG", smog, min_sentences=10),
    "flesch-reading-ease": Formula("Flesch Reading Ease", flesch_reading_ease),
    "fernandez-huerta": Formula("Fernández-Huerta", fernandez_huerta),
    "szigriszt-pazos": Formula("Szigriszt-Pazos", szigriszt_pazos),
    "flesch-martins": Formula("Flesch (Martins et al. 1996)", flesch_martins),
    "kandel-moles": Formula("Kandel-Moles", kandel_moles),
    "gulpease": Formula("Gulpease", gulpease, needs_syllables=False),
}

#: Base language -> the formulas published and validated for it (empty: none; only lengths are given).
FORMULAS: dict[str, tuple[str, ...]] = {
    "en": ("flesch-kincaid", "smog", "flesch-reading-ease"),
    "es": ("fernandez-huerta", "szigriszt-pazos"),
    "pt": ("flesch-martins",),
    "fr": ("kandel-moles",),
    "it": ("gulpease",),
    "vi": (),
    "zh": (),
    "ar": (),
    "ht": (),
}

#: The score whose published scale labels the text, per base language, with that scale's bands
#: (lowest score first: (upper bound, label)).
SCALES: dict[str, tuple[str, tuple[tuple[float, str], ...]]] = {
    # Flesch (1949), The Art of Readable Writing.
    "en": (
        "flesch-reading-ease",
        (
            (30, "very difficult"),
            (50, "difficult"),
            (60, "fairly difficult"),
            (70, "standard"),
            (80, "fairly easy"),
            (90, "easy"),
            (math.inf, "very easy"),
        ),
    ),
    # INFLESZ (Barrio-Cantalejo et al., 2008) on Szigriszt-Pazos perspicuity.
    "es": (
        "szigriszt-pazos",
        (
            (40, "muy difícil"),
            (55, "algo difícil"),
            (65, "normal"),
            (80, "bastante fácil"),
            (math.inf, "muy fácil"),
        ),
    ),
    # Martins et al. (1996).
    "pt": (
        "flesch-martins",
        ((25, "muito difícil"), (50, "difícil"), (75, "fácil"), (math.inf, "muito fácil")),
    ),
}

#: The formula that gives a US school grade, per base language.
GRADE_FORMULA = {"en": "flesch-kincaid"}


def scores(language: str, counts: Counts) -> dict[str, float]:
    """Each of ``language``'s formulas on ``counts``, rounded to one decimal; none for an empty text."""
    if counts.words == 0 or counts.sentences == 0:
        return {}
    found = {}
    for formula_id in FORMULAS.get(language, ()):
        formula = FORMULA_TABLE[formula_id]
        if counts.sentences >= formula.min_sentences:
            found[formula_id] = round(formula.compute(counts), 1)
    return found


def band(language: str, found: dict[str, float]) -> str | None:
    """The published scale's label for ``found`` scores, where the language has one."""
    if language not in SCALES:
        return None
    formula_id, bands = SCALES[language]
    if formula_id not in found:
        return None
    value = found[formula_id]
    return next(label for upper, label in bands if value < upper)
