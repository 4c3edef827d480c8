"""Plain-language checks: :func:`check_plain_source` (one handout's English -> findings),
:func:`check_length` and :func:`check_harder_sentences` (a catalog's pairs -> findings by index).

They measure text with :mod:`ldn_i18n.readability`; :func:`_plain_language`
runs the catalog-wide two over a handout catalog's usable translations.
"""

from __future__ import annotations

import math
import re
import statistics
from functools import lru_cache
from pathlib import Path

from ..files import relative
from ..languages import language
from ..markup import plain_text
from ..poscan import Entry
from ..project import SOURCE_LOCALE
from ..source import Handout
from ..text import nfc
from .codes import Finding, Rules, _excerpt
from .noqa import _back_findings

# --- plain language: the English's reading level, and each translation against its English --------
#
# The English source gets ``reading-level`` (the handout above its reading grade) and
# ``long-sentence`` (one sentence over LONG_SENTENCE_WORDS words). A handout catalog's translations
# are compared with the rest of the same catalog, which is what that language usually needs for
# this English (Spanish runs about 1.2 times the English's characters, Chinese about 0.35): a
# message far outside it by robust statistics (median and MAD of the log ratios, Iglewicz and
# Hoaglin's modified z-score) is a ``length`` finding (an omission or an addition), and one whose
# longest sentence is far longer than usual is a ``harder-sentence``. Neither fixed factor nor a
# table of languages: each catalog is its own yardstick.

#: A sentence of the English with more words than this is a ``long-sentence``. Plain-language
#: guidance (plainlanguage.gov's federal guidelines; NIH's Clear & Simple) asks for 15 to 20 words
#: on average; a single sentence past 25 is where readers at grade 8 lose the thread.
LONG_SENTENCE_WORDS = 25
#: Messages whose English (plain text) is shorter are not compared by length: in headings and
#: short list items one word more or less moves the ratio more than any omission does.
LENGTH_MIN_CHARACTERS = 40
#: Fewer comparable messages than this in a catalog give no robust centre: nothing is compared.
MIN_SAMPLE = 8
#: Iglewicz and Hoaglin's cut-off for the modified z-score ``0.6745 (x - median) / MAD``.
OUTLIER_Z = 3.5
#: The MAD of the log ratios is taken as at least this (5%), so a catalog of very even
#: translations does not flag a message a little off its median.
MIN_MAD = 0.05
#: A ``length`` finding also needs this many characters more or fewer than expected, counted in
#: the English's characters: about five words, a clause. A word or two is style, not omission.
LENGTH_MIN_DIFFERENCE = 30
#: A ``harder-sentence`` also needs the translation's longest sentence this many times longer
#: than the catalog's usual ratio predicts, and longer than :data:`LONG_SENTENCE_WORDS` converted
#: by that ratio (a sentence a reader would find long, not only longer than usual); the
#: English's longest sentence needs :data:`HARDER_MIN_WORDS` words to be compared at all.
HARDER_FACTOR = 1.5
HARDER_MIN_WORDS = 8
#: A Latin-letter word (a name, an abbreviation) kept as in the English.
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]")


def check_plain_source(handout: Handout, root: Path | None = None) -> list[Finding]:
    """``reading-level`` at the title's line and ``long-sentence`` at the line of each long one's block."""
    from ..readability import figures, handout_figures, sentences

    where = relative(handout.path, root) if root else str(handout.path)
    findings = []
    overall = handout_figures(handout, SOURCE_LOCALE)
    target = handout.reading_grade
    if overall.grade is not None and overall.grade > target:
        findings.append(
            Finding(
                where,
                handout.blocks[0].line,
                "warning",
                "reading-level",
                f"the English reads at grade {overall.grade:.1f}, above its target {target:g} "
                f"(front matter `reading-grade:`): {overall.summary}",
                _excerpt(handout.title),
            )
        )
    for block in handout.blocks:
        for sentence in sentences(plain_text(block.text), SOURCE_LOCALE):
            words = figures([sentence], SOURCE_LOCALE).words
            if words > LONG_SENTENCE_WORDS:
                message = (
                    f"{words} words in one sentence (plain language: at most {LONG_SENTENCE_WORDS}): split it"
                )
                findings.append(
                    Finding(where, block.line, "warning", "long-sentence", message, _excerpt(sentence))
                )
    return findings


def _robust(values: list[float]) -> list[tuple[float, float, float]]:
    """Per value: the median of the others, their MAD (at least :data:`MIN_MAD`), its modified z-score."""
    out = []
    for index, value in enumerate(values):
        rest = values[:index] + values[index + 1 :]
        centre = statistics.median(rest)
        mad = max(statistics.median(abs(v - centre) for v in rest), MIN_MAD)
        out.append((centre, mad, 0.6745 * (value - centre) / mad))
    return out


def _measured_lengths(source: str, target: str, locale: str) -> tuple[int, int]:
    """Characters of the plain English and translation, spaces folded.

    In a language not written in Latin letters, the Latin words the translation
    keeps from the English (``Hailey-Hailey``, ``LDN``) are counted on neither
    side: they take many more characters than the same words in Han or Arabic.
    """
    english, translated = " ".join(plain_text(source).split()), " ".join(plain_text(target).split())
    if language(locale).script != "Latn":
        kept = set(_LATIN_WORD.findall(english)) & set(_LATIN_WORD.findall(translated))
        for word in kept:
            pattern = rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
            english, translated = re.sub(pattern, "", english), re.sub(pattern, "", translated)
    return len(english), len(translated)


@lru_cache(maxsize=4096)
def _longest_sentence(text: str, locale: str) -> tuple[int, str]:
    """Words of the longest sentence of a message's plain text (as that language counts them), and it."""
    from ..readability import figures, sentences

    found = [(figures([s], locale).words, s) for s in sentences(plain_text(text), locale)]
    return max(found, default=(0, ""))


def check_length(pairs: list[tuple[str, str]], locale: str) -> dict[int, tuple[str, str]]:
    """``length`` findings by index in ``pairs`` (English, translation): omissions and additions."""
    rows = [
        (index, *_measured_lengths(source, target, locale))
        for index, (source, target) in enumerate(pairs)
        if len(plain_text(source)) >= LENGTH_MIN_CHARACTERS
    ]
    rows = [row for row in rows if row[1] and row[2]]
    if len(rows) < MIN_SAMPLE:
        return {}
    found = {}
    for (index, english, translated), (centre, _, z) in zip(
        rows, _robust([math.log(t / e) for _, e, t in rows]), strict=True
    ):
        usual = math.exp(centre)
        expected = english * usual
        if abs(z) > OUTLIER_Z and abs(translated - expected) / usual >= LENGTH_MIN_DIFFERENCE:
            what = "left out" if translated < expected else "added"
            found[index] = (
                "length",
                f"{translated} characters where this catalog's other translations suggest about "
                f"{expected:.0f} ({translated / english:.2f} times the English; usually {usual:.2f}): "
                f"is a clause {what}?",
            )
    return found


def check_harder_sentences(pairs: list[tuple[str, str]], locale: str) -> dict[int, tuple[str, str]]:
    """``harder-sentence`` findings by index in ``pairs``: a longest sentence far longer than usual."""
    from ..readability import figures

    rows = []
    for index, (source, target) in enumerate(pairs):
        english, translated = _longest_sentence(source, SOURCE_LOCALE), _longest_sentence(target, locale)
        if english[0] >= HARDER_MIN_WORDS and translated[0]:
            rows.append((index, english, translated))
    if len(rows) < MIN_SAMPLE:
        return {}
    found = {}
    for (index, english, translated), (centre, _, z) in zip(
        rows, _robust([math.log(t[0] / e[0]) for _, e, t in rows]), strict=True
    ):
        usual = math.exp(centre)
        long = translated[0] > LONG_SENTENCE_WORDS * usual
        if z > OUTLIER_Z and translated[0] >= HARDER_FACTOR * usual * english[0] and long:
            scores = figures([translated[1]], locale).summary
            found[index] = (
                "harder-sentence",
                f"its longest sentence has {translated[0]} words where the English's has {english[0]} "
                f"(this catalog's translations usually have {usual:.2f} times as many; {scores}): "
                "split it as the English does",
            )
    return found


def _plain_language(entries: list[tuple[Entry, int]], where: str, rules: Rules) -> list[Finding]:
    """``length`` and ``harder-sentence`` findings of a handout catalog's usable translations."""
    pairs = [(nfc(entry.msgid), nfc(entry.msgstr)) for entry, _ in entries]
    found: dict[int, list[tuple[str, str]]] = {}
    for check in (check_length, check_harder_sentences):
        for index, finding in check(pairs, rules.locale).items():
            found.setdefault(index, []).append(finding)
    findings = []
    for index, raw in sorted(found.items()):
        entry, line = entries[index]
        findings += _back_findings(entry, line, where, raw)
    return findings
