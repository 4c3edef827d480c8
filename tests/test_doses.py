"""Doses as the patient reads them (issue 24): a rate or frequency, a fraction or "one" in words,
a mark on a digit, in each catalog language, forward and back; the dose table; units in words.

Golden catalogs in tests/fixtures/doses/<locale>.po state their findings (`# expect:` lines, as
tests/fixtures/check/); the Spanish ones are tests/fixtures/check/{rates,fractions,digits}.po.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ldn_i18n.check import Rules, check_back_numbers, check_catalog, check_numbers, check_units
from ldn_i18n.check.rates import check_rates
from ldn_i18n.doses import dose_table
from ldn_i18n.project import Project
from ldn_i18n.quantities import FORM, TIMES, read_doses

from .conftest import edit_catalog, expected, run_cli

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "doses").glob("*.po"))
FORWARD = (check_numbers, check_units, check_rates)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_catalog_per_language(path: Path) -> None:
    found = check_catalog(path, Rules(path.stem))
    shown = [(f.line, f.level if f.counts else "suppressed", f.code) for f in found]
    assert shown == expected(path), "\n".join(map(str, found))


def codes(source: str, target: str, locale: str) -> list[str]:
    return sorted(code for check in FORWARD for code, _ in check(source, target, Rules(locale)))


DAY = "typically 1.5 to 4.5 mg per day"


@pytest.mark.parametrize(
    ("source", "target", "locale", "found"),
    [
        # the attacks: a rate per day read per week or month, in words or as a unit
        (DAY, "de 1,5 a 4,5 mg al día", "es", []),
        (DAY, "de 1,5 a 4,5 mg por semana", "es", ["rates"]),
        (DAY, "de 1,5 a 4,5 mg/semana", "es", ["rates"]),
        (DAY, "de 1,5 a 4,5 mg por mes", "es", ["rates"]),
        (DAY, "de 1,5 a 4,5 mg semanales", "es", ["rates"]),
        (DAY, "通常每周1.5至4.5毫克", "zh_Hans", ["rates"]),
        (DAY, "通常每天1.5至4.5毫克", "zh_Hans", []),
        (DAY, "通常每日1.5至4.5毫克", "zh_Hant", []),
        (DAY, "通常每週1.5至4.5毫克", "zh_Hant", ["rates"]),
        (DAY, "عادةً من 1.5 إلى 4.5 ملغ في الأسبوع", "ar", ["rates"]),
        (DAY, "عادةً من 1.5 إلى 4.5 ملغ يوميًا", "ar", []),
        (DAY, "geralmente de 1,5 a 4,5 mg por semana", "pt_BR", ["rates"]),
        (DAY, "thường từ 1,5 đến 4,5 mg mỗi tháng", "vi", ["rates"]),
        (DAY, "anjeneral 1,5 rive 4,5 mg pa mwa", "ht", ["rates"]),
        (DAY, "de 1,5 à 4,5 mg par semaine", "fr", ["rates"]),
        (DAY, "1,5 bis 4,5 mg pro Woche", "de", ["rates"]),  # a notice language: CLDR's own words
        (DAY, "1,5 bis 4,5 mg pro Tag", "de", []),
        # a frequency
        ("Take it 3 times a day.", "Tómela tres veces por semana.", "es", ["rates"]),
        ("Take it 3 times a day.", "Tómela 3 veces al día.", "es", []),
        ("Take it twice a day.", "Tómela dos veces a la semana.", "es", ["rates"]),
        ("Take LDN daily.", "Tome LDN cada semana.", "es", ["rates"]),
        ("Take it every 8 hours.", "Tómela cada 8 días.", "es", ["rates", "rates", "units"]),
        ("Take it every 8 hours.", "Tómela durante 8 horas.", "es", ["rates"]),
        ("Take it 3 times a day.", "每天三粒。", "zh_Hans", ["rates"]),  # 3 times became 3 capsules
        # every other day: an interval of 2 days, however it is written
        ("Take it every other day.", "Tómela cada dos días.", "es", []),
        ("Take it every other day.", "Tómela en días alternos.", "es", []),
        ("Take it every other day.", "隔天服用。", "zh_Hans", []),
        ("Take it every other day.", "تناوله كل يومين.", "ar", []),
        ("Take it daily.", "Tómela en días alternos.", "es", ["numbers", "rates", "rates"]),
        ("Take it every other day.", "Tómela todos los días.", "es", ["numbers", "rates", "rates"]),
        # "one" before a dose form is the number 1 (natural wording raises nothing)
        ("Take 1 capsule 3 times a day.", "Tome una cápsula tres veces al día.", "es", []),
        ("Take 1 capsule 3 times a day.", "تناول كبسولة واحدة ثلاث مرات في اليوم.", "ar", []),
        ("Take 1 capsule 3 times a day.", "每天三次，每次一粒。", "zh_Hans", []),
        ("Take 1 capsule.", "Tome dos cápsulas.", "es", ["numbers", "numbers"]),
        ("Take a capsule once a day.", "Tome una cápsula una vez al día.", "es", []),
        ("Once you start, take it daily.", "Una vez que empiece, tómela a diario.", "es", []),
        ("Wait a week.", "Espere una semana.", "es", []),
        ("The next day, take 3 mg.", "Al día siguiente, tome 3 mg.", "es", []),
        ("Take it at bedtime.", "Tómela a la hora de acostarse.", "es", []),
        ("If you miss a dose, skip it.", "إذا فاتتك جرعة، فتخطها.", "ar", []),  # "a" is an article
        ("Take 1.5 mg daily.", "Tome 1,5 mg una vez al día.", "es", []),  # "once a day" is "daily"
        ("Take LDN once a day.", "每天睡前服用一次LDN。", "zh_Hans", []),
        ("Take LDN once a day.", "Uống LDN mỗi ngày một lần.", "vi", []),
        ("Take 1 capsule 3 times a day.", "Uống một viên nang, ngày ba lần.", "vi", []),
        ("Take it daily for 2 weeks.", "تناوله يوميًا لمدة أسبوعين.", "ar", []),  # a dual is 2
        ("About 1 in 3 people.", "Aproximadamente una de cada tres personas.", "es", []),
        ("Take a capsule once a day.", "Tome dos cápsulas una vez al día.", "es", ["numbers"]),
        ("Take 1 to 2 tablets.", "Tome de uno a dos comprimidos.", "es", []),  # "one" opening a range
        ("Take 1 to 2 tablets.", "服用一至两片。", "zh_Hans", []),
        ("Take 4.5 mg once a day.", "每天服用4.5毫克，一天一次。", "zh_Hans", []),  # "per day" said twice
        # the same periods on other numbers
        (
            "Take 1 capsule a day and 2 capsules a week.",
            "Tome 1 cápsula a la semana y 2 cápsulas al día.",
            "es",
            ["rates", "rates"],
        ),
        # fractions and multipliers in words
        ("Take 2 tablets.", "Tome 2 comprimidos y medio.", "es", ["numbers", "numbers"]),
        ("Take 2 tablets.", "Tome medio comprimido 2 veces.", "es", ["numbers", "rates"]),
        ("Take half a tablet.", "Tome un comprimido.", "es", ["numbers"]),  # 0.5 missing; "un" an article
        ("Take half a tablet.", "Tome medio comprimido.", "es", []),
        ("Take 2½ tablets.", "Tome dos comprimidos y medio.", "es", []),
        ("Take 2 tablets.", "服用两片半。", "zh_Hans", ["numbers", "numbers"]),
        ("Take half a tablet.", "服用半片。", "zh_Hans", []),
        ("Take 1.5 tablets.", "服用一片半。", "zh_Hans", []),
        ("Take half a tablet.", "تناول نصف قرص.", "ar", []),
        ("Take 2 tablets.", "تناول قرصين.", "ar", []),
        ("Take 2 tablets.", "تناول قرصين ونصف.", "ar", ["numbers", "numbers"]),
        ("Take a double dose.", "Tome una dosis doble.", "es", []),
        ("Take 2¼ tablets.", "Tome dos comprimidos y un cuarto.", "es", []),
        ("Take 2 tablets.", "Tome dos comprimidos y un cuarto.", "es", ["numbers", "numbers"]),
        ("Take a quarter of a tablet.", "服用四分之一片。", "zh_Hans", []),
        ("Take half a tablet.", "Prenez un demi-comprimé.", "fr", []),
        ("Take half a tablet.", "تناول ربع قرص.", "ar", ["numbers", "numbers"]),
        ("Take a dose.", "Tome una dosis doble.", "es", ["numbers"]),
        ("Its half-life is short.", "Su vida media es corta.", "es", []),
        # a mark on a digit, a number in two digit systems
        ("Take 2 mg.", "Tome 2\u0336 mg.", "es", ["numbers", "units"]),
        ("Take 25 mg.", "تناول \u0662\u06f5 ملغ.", "ar", ["numbers", "numbers", "numbers", "numbers"]),
        ("Take 25 mg.", "تناول \u0662\u0665 ملغ.", "ar", []),
    ],
)
def test_rates_fractions_and_words_forward(source: str, target: str, locale: str, found: list[str]) -> None:
    assert codes(source, target, locale) == sorted(found), [
        message for check in FORWARD for _, message in check(source, target, Rules(locale))
    ]


@pytest.mark.parametrize(
    ("source", "back", "found"),
    [
        ("Take 1.5 to 4.5 mg per day.", "Take 1.5 to 4.5 mg per day.", 0),
        ("Take 1.5 to 4.5 mg per day.", "Take 1.5 to 4.5 mg a week.", 1),
        ("Take 1.5 to 4.5 mg per day.", "Take 1.5 to 4.5 mg/week.", 1),
        ("Take 1.5 to 4.5 mg per day.", "Take 1.5 to 4.5 mg monthly.", 1),
        ("Take 1 capsule 3 times a day.", "Take one capsule three times a day.", 0),
        ("Take 1 capsule 3 times a day.", "Take 1 capsule 3 times a week.", 1),
        ("Take it every 8 hours.", "Take it for 8 hours.", 1),
        ("Take 2 tablets.", "Take 2 and a half tablets.", 1),
        ("Take 2 tablets.", "Take half a tablet twice.", 1),
        ("Take half a tablet.", "Take a tablet.", 1),
        ("Take half a tablet.", "Take ½ tablet.", 0),
        ("Take 2 mg.", "Take 2\u0336 mg.", 2),  # the mark, and "mg" no longer after a number
    ],
)
def test_rates_fractions_and_words_back(source: str, back: str, found: int) -> None:
    messages = [message for _, message in check_back_numbers(source, back, Rules("es"))]
    assert len(messages) == found, messages


def test_messages_name_units_in_words() -> None:
    [(_, message)] = check_units("Take it for 8 hours.", "Tómela durante 8.", Rules("es"))
    assert message == "the unit of 8 horas (8 hours) is missing: the translation has 8 alone"
    [(_, message)] = check_units("Take 4.5 mg.", "Tome 4,5 g.", Rules("es"))
    assert message == "the dose 4,5 miligramos (4.5 milligrams) is written 4,5 gramos (4.5 grams)"
    [(_, message)] = check_rates("Take 3 mg a day.", "Tome 3 mg por semana.", Rules("es"))
    assert message == (
        "the rate reads 3 miligramos a la semana (3 milligrams per week) where the English has "
        "3 milligrams per day"
    )
    for locale, target in [("ar", "خذه لمدة 8"), ("zh_Hans", "服用8"), ("vi", "dùng 8"), ("ht", "pran 8")]:
        for _, message in check_units("Take it for 8 hours.", target, Rules(locale)):
            assert not re.search(r"[a-z]+-[a-z]+", message), message  # never 'duration-hour'


def test_reading_a_dose_and_a_frequency() -> None:
    reading = read_doses("Take 1 capsule 3 times a day, or 1.5 to 4.5 mg/day, every 8 hours.", "en")
    shown = [(q.value, q.unit, q.per, q.every) for q in reading.quantities]
    assert shown == [
        (Decimal(1), FORM, None, False),
        (Decimal(3), TIMES, "duration-day", False),
        (Decimal("1.5"), "mass-milligram", "duration-day", False),
        (Decimal("4.5"), "mass-milligram", "duration-day", False),
        (Decimal(8), "duration-hour", None, True),
    ]
    assert reading.periods == ("duration-day", "duration-day")


def test_dose_table_pairs_what_was_read() -> None:
    rows = dose_table("Take 1 capsule 3 times a day.", "Tome una cápsula tres veces por semana.", "es")
    shown = [(r.english and r.english.words, r.translation and r.translation.words, r.same) for r in rows]
    assert shown == [
        ("1 tablet", "1 comprimido", True),
        ("3 times per day", "3 veces a la semana", False),
    ]
    assert rows[1].translation is not None and rows[1].translation.written == "tres veces por semana"
    assert dose_table("No numbers here.", "Aquí no hay números.", "es") == []


def test_units_need_no_private_babel_api() -> None:
    """Unit spellings and rate words come through babel.units' public functions (no `Locale._data`),
    so the package needs no upper bound on Babel; they still find CLDR's spellings."""
    from ldn_i18n.quantities import unit_spellings

    package = Path(__file__).parent.parent / "ldn_i18n"
    for path in package.rglob("*.py"):
        assert not re.search(r"\._data\b", path.read_text(encoding="utf-8")), path
    spellings = unit_spellings("es")
    assert spellings["miligramos"] == "mass-milligram" and spellings["horas"] == "duration-hour"
    assert unit_spellings("zh_Hans")["毫克"] == "mass-milligram"


@pytest.mark.slow
def test_a_changed_rate_fails_check_on_its_catalog(project: Project) -> None:
    """The repository's Spanish catalog with "al día" read "por semana": one rates error, at its line."""
    po = project.po_path("es", "ldn-overview")
    [line] = edit_catalog(po, replace=("4,5 mg al día", "4,5 mg por semana"))
    result = run_cli(project, "check", "--locale", "es", check=1, via="module")
    errors = re.findall(r"^(\S+): error: (\S+) ", result.out, re.M)
    assert errors == [(f"locale/es/LC_MESSAGES/ldn-overview.po:{line}", "rates")], result.out
