"""Readability of a handout as printed, per language: :func:`handout_figures` -> :class:`Figures`.

Each language gets only the formulas published and validated for it
(:data:`FORMULAS`): Flesch-Kincaid, SMOG and Flesch Reading Ease for English,
Fernández-Huerta and Szigriszt-Pazos on the INFLESZ scale for Spanish, Flesch
as Martins et al. (1996) adapted it for Portuguese, Kandel-Moles for French,
Gulpease for Italian. A language with none (Vietnamese, Chinese, Arabic,
Haitian Creole...) gets its sentence and word (or character) lengths, said as
such, never a grade.

The text is the one printed: each block's translation (or the English shown
in its place), without emphasis markers or citation groups. The title and
headings are left out, as SMOG's and Flesch's instructions ask ("skip titles
and headings"); every other block ends a sentence, so a list item without a
full stop counts as one sentence, and a lead-in ending in a colon as another.
Sentences, words and syllables: :mod:`.segment` and :mod:`.syllables`;
the formulas: :mod:`.formulas`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog

from ..markup import plain_text
from ..messages import handout_messages
from ..pofiles import forms_of, translated
from ..source import Handout
from .formulas import FORMULA_TABLE, FORMULAS, GRADE_FORMULA, Counts, band, scores
from .segment import letters, sentences, words
from .syllables import syllable_counter

__all__ = [
    "CHARACTER_LANGUAGES",
    "FORMULAS",
    "HEADING_KINDS",
    "Figures",
    "figures",
    "handout_figures",
    "printed_blocks",
    "sentences",
]

#: Block kinds left out of the figures unless headings are asked for.
HEADING_KINDS = ("title", "heading")
#: Languages that write no spaces between words: their lengths are in characters.
CHARACTER_LANGUAGES = ("zh", "ja")


@dataclass(frozen=True, slots=True)
class Figures:
    """The readability figures of one text in one language."""

    locale: str
    """The locale measured (``es``, ``zh_Hans``)."""
    sentences: int
    """Sentences counted (see :func:`sentences`)."""
    words: int
    """Words counted; in Chinese and Japanese, characters (each Han or kana character is one)."""
    syllables: int | None
    """Syllables of all the words; None where the language has no syllable counter."""
    characters: int
    """Letters of all the words (Han characters included; digits and punctuation not)."""
    scores: dict[str, float] = field(default_factory=dict)
    """Formula id -> score, rounded to one decimal: only the language's validated ones (:data:`FORMULAS`)."""
    band: str | None = None
    """The label on a published scale (INFLESZ ``normal``, Flesch ``fairly difficult``), or None."""
    grade: float | None = None
    """A US school grade where the language's formula gives one (English: Flesch-Kincaid), else None."""
    polysyllables: int | None = None
    """Words of three syllables or more (SMOG's count); None without a syllable counter."""
    longest_sentence: int = 0
    """Words (characters in Chinese) of the longest sentence."""

    @property
    def language(self) -> str:
        """The base language (``pt`` for ``pt_BR``)."""
        return self.locale.split("_")[0]

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def letters_per_word(self) -> float:
        return self.characters / self.words if self.words else 0.0

    @property
    def summary(self) -> str:
        """One plain line: the scores and scale label, or the lengths where no formula is validated."""
        if self.scores:
            parts = [f"{FORMULA_TABLE[fid].name} {value:.1f}" for fid, value in self.scores.items()]
            return ", ".join(parts) + (f" ({self.band})" if self.band else "")
        if self.language in CHARACTER_LANGUAGES:
            lengths = f"{self.words_per_sentence:.1f} characters per sentence"
        else:
            lengths = (
                f"{self.words_per_sentence:.1f} words per sentence, "
                f"{self.letters_per_word:.1f} letters per word"
            )
        if FORMULAS.get(self.language):
            return f"too short for a formula: {lengths}"
        return f"no validated formula for {self.locale}: {lengths}"


def figures(texts: Sequence[str], locale: str) -> Figures:
    """The figures of ``texts`` (printed blocks, markers removed) in ``locale``; a block ends a sentence."""
    language = locale.split("_")[0]
    count = syllable_counter(locale)
    n_sentences = n_words = n_letters = n_syllables = n_poly = longest = 0
    for text in texts:
        for sentence in sentences(text, locale):
            found = words(sentence, locale)
            n_sentences += 1
            n_words += len(found)
            longest = max(longest, len(found))
            n_letters += sum(letters(word) for word in found)
            if count is not None:
                per_word = [max(count(word), 1) for word in found]
                n_syllables += sum(per_word)
                n_poly += sum(1 for s in per_word if s >= 3)
    counts = Counts(n_sentences, n_words, n_syllables, n_poly, n_letters)
    if count is None:
        usable = {fid for fid in FORMULAS.get(language, ()) if not FORMULA_TABLE[fid].needs_syllables}
        found_scores = {k: v for k, v in scores(language, counts).items() if k in usable}
    else:
        found_scores = scores(language, counts)
    grade_id = GRADE_FORMULA.get(language)
    return Figures(
        locale=locale,
        sentences=n_sentences,
        words=n_words,
        syllables=n_syllables if count is not None else None,
        characters=n_letters,
        scores=found_scores,
        band=band(language, found_scores),
        grade=found_scores.get(grade_id) if grade_id else None,
        polysyllables=n_poly if count is not None else None,
        longest_sentence=longest,
    )


def printed_blocks(handout: Handout, catalog: Catalog | None = None, *, headings: bool = False) -> list[str]:
    """The plain text of each block as printed with ``catalog`` (English where it has no usable translation).

    The title and headings are left out unless ``headings`` is true.
    """
    blocks = []
    for message in handout_messages(handout):
        if message.block.kind in HEADING_KINDS and not headings:
            continue
        entry = catalog.get(message.msgid) if catalog is not None else None
        found = forms_of(entry)[0] if entry is not None and translated(entry) else None
        blocks.append(plain_text(found if found is not None else message.msgid))
    return blocks


def handout_figures(
    handout: Handout, locale: str, catalog: Catalog | None = None, *, headings: bool = False
) -> Figures:
    """The figures of ``handout`` as printed in ``locale`` (headings left out unless ``headings``)."""
    return figures(printed_blocks(handout, catalog, headings=headings), locale)
