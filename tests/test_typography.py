"""Each language's own typography (issue 13): quotation marks, label punctuation and dates.

The expected marks are written out here as CLDR 48 gives them
(``ldn_i18n/data/quotes.json``, ``labels.json``), not read from the module
under test, so a regenerated table that changes a language's marks fails here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.dates import tokenize_pattern
from babel.localedata import locale_identifiers

from ldn_i18n.editions import build
from ldn_i18n.markup import inspect_inline, plain_text, render_inline
from ldn_i18n.pofiles import catalog_bytes, read_catalog
from ldn_i18n.project import Project
from ldn_i18n.render import label as label_filter
from ldn_i18n.typography import (
    MONTH_NAMES,
    borrowed_months,
    cldr_chain,
    format_date,
    label,
    long_date_pattern,
    quote_pairs,
    quotes,
    smart_quotes,
)

from .conftest import FLORIDA, copy_project

NNBSP, NBSP = "\u202f", "\u00a0"
EDITION = dt.date(2026, 11, 25)

# -- quotation marks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "text", "printed"),
    [
        ("en", 'it is considered "off-label," meaning', "it is considered “off-label,” meaning"),
        (
            "es",
            'se considera un uso "fuera de indicación", lo',
            "se considera un uso “fuera de indicación”, lo",
        ),
        ("pt_BR", 'de uso "off-label" (fora da bula)', "de uso “off-label” (fora da bula)"),
        ("vi", 'dùng "ngoài chỉ định", nghĩa là', "dùng “ngoài chỉ định”, nghĩa là"),
        ("fr", 'dit "hors AMM", c’est-à-dire', f"dit «{NNBSP}hors AMM{NNBSP}», c’est-à-dire"),
        ("fr_CA", 'dit "hors indication".', f"dit «{NBSP}hors indication{NBSP}»."),
        ("de", 'gilt als "Off-Label-Use", das', "gilt als „Off-Label-Use“, das"),
        ("zh_Hans", '这种用法被视为"超说明书"用药', "这种用法被视为“超说明书”用药"),
        ("ja", 'いわゆる"適応外"使用です', "いわゆる「適応外」使用です"),
        ("ar", 'يُعَدّ استخدامه "خارج دواعي الاستعمال" أي', "يُعَدّ استخدامه ”خارج دواعي الاستعمال“ أي"),
    ],
)
def test_ascii_quotes_print_as_the_languages_marks(locale: str, text: str, printed: str) -> None:
    assert smart_quotes(text, locale) == printed


@pytest.mark.parametrize(
    ("locale", "marks"),
    [
        ("pt_BR", ("“", "”", "‘", "’")),  # pt_BR -> pt: Brazilian is CLDR's pt
        ("pt_PT", ("«", "»", "“", "”")),  # its own CLDR entry, not its parent's
        ("zh_Hans", ("“", "”", "‘", "’")),
        ("zh_TW", ("「", "」", "『", "』")),  # likely subtags: zh_TW is zh_Hant_TW
        ("en_XA", ("“", "”", "‘", "’")),  # the pseudo-locale prints as English
        ("fil", ("“", "”", "‘", "’")),
        ("ht", ("«", "»", "«", "»")),  # through CLDR's parent fr_HT
    ],
)
def test_marks_are_found_along_babels_parent_chain(locale: str, marks: tuple[str, ...]) -> None:
    found = quotes(locale)
    assert (found.start, found.end, found.alternate_start, found.alternate_end) == marks


def test_the_parent_chain_is_babels() -> None:
    assert cldr_chain("pt_BR") == ("pt_BR", "pt", "root")
    assert cldr_chain("zh_TW") == ("zh_Hant_TW", "zh_Hant", "root")  # not zh: nonlikely script
    # CLDR 47 (Babel 2.18) has ht inherit fr_HT; CLDR 49 (Babel 2.19) makes root its parent.
    assert cldr_chain("ht") in (("ht", "fr_HT", "fr", "root"), ("ht", "root"))


@pytest.mark.parametrize(
    "text",
    [
        "« déjà là »",  # typed guillemets
        "“ya escritas”",  # typed curly quotes
        "「すでに」",
        'a 3" gauze pad',  # an inch mark: no pair
        "Crohn's disease",  # apostrophes stay
        'one " alone',
    ],
)
def test_marks_a_translator_typed_and_unpaired_quotes_are_kept(text: str) -> None:
    assert smart_quotes(text, "fr") == text
    assert smart_quotes(text, "es") == text


def test_quotes_pair_by_their_neighbours() -> None:
    assert quote_pairs('a "b" and "c d" e') == [(2, 4), (10, 14)]
    assert quote_pairs('at 3" then "x"') == [(11, 13)]  # the inch mark opens nothing
    assert quote_pairs('"(x)"') == [(0, 4)]


def test_quotes_pair_across_emphasis_and_leave_markup_alone() -> None:
    def cite(keys: list[str]) -> str:
        return f'<sup class="cite"><a href="#ref-1" aria-label="ref {keys[0]}">1</a></sup>'

    html = render_inline('it is "**off-label**" [@kim2020]', cite, "es")
    assert html == "it is “<strong>off-label</strong>”" + cite(["kim2020"])  # the link as cite wrote it
    assert render_inline('say "*oui*"', None, "fr") == f"say «{NNBSP}<em>oui</em>{NNBSP}»"


def test_an_escaped_quote_stays_straight() -> None:
    assert render_inline(r"a \"b\" c", None, "es") == "a &quot;b&quot; c"
    assert render_inline(r'"a \" b"', None, "es") == "“a &quot; b”"


def test_without_a_locale_the_text_is_as_written() -> None:
    """Extraction and checks compare the msgid and msgstr as the translator wrote them."""
    assert render_inline('"off-label"') == "&quot;off-label&quot;"
    assert inspect_inline('"off-label"').text == '"off-label"'
    assert plain_text('"off-label"', "de") == "„off-label“"


# -- labels --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "text", "printed"),
    [
        ("en", "Phone number", "Phone number: "),
        ("es", "Número de teléfono", "Número de teléfono: "),
        ("zh_Hans", "电话号码", "电话号码："),
        ("ja", "電話番号", "電話番号："),  # stated: CLDR's ja pattern has ": "
        ("fr", "Numéro de téléphone", f"Numéro de téléphone{NNBSP}: "),
        ("fr_CA", "Numéro de téléphone", f"Numéro de téléphone{NBSP}: "),
        ("ar", "رقم الهاتف", "رقم الهاتف: "),
    ],
)
def test_a_label_takes_its_languages_punctuation(locale: str, text: str, printed: str) -> None:
    assert label(text, locale) == printed


def test_the_label_filter_escapes_the_label() -> None:
    assert label_filter("<b>Tél</b>", "fr") == f"&lt;b&gt;Tél&lt;/b&gt;{NNBSP}: "


# -- dates ---------------------------------------------------------------------

#: Haitian Creole month names, written out (not read from MONTH_NAMES).
HAITIAN_MONTHS = [
    "janvye", "fevriye", "mas", "avril", "me", "jen",
    "jiyè", "out", "septanm", "oktòb", "novanm", "desanm",
]  # fmt: skip


@pytest.mark.parametrize(("month", "name"), list(enumerate(HAITIAN_MONTHS, start=1)))
def test_haitian_creole_dates_have_creole_months(month: int, name: str) -> None:
    assert format_date(dt.date(2026, month, 25), "ht") == f"25 {name} 2026"


@pytest.mark.parametrize(
    ("locale", "printed"),
    [
        ("en", "November 25, 2026"),
        ("es", "25 de noviembre de 2026"),
        ("pt_BR", "25 de novembro de 2026"),
        ("zh_Hans", "2026年11月25日"),
        ("ar", "25 نوفمبر 2026"),
    ],
)
def test_other_dates_are_cldrs_long_date(locale: str, printed: str) -> None:
    assert format_date(EDITION, locale) == printed


def test_the_haitian_pattern_has_no_other_words() -> None:
    """The table gives month names only: the borrowed pattern must hold nothing else to translate."""
    pattern = long_date_pattern("ht")
    assert {value[0] for kind, value in tokenize_pattern(pattern) if kind == "field"} == {"d", "M", "y"}


def test_borrowed_month_names_are_detected() -> None:
    # CLDR 47: ht inherits fr_HT's French months; CLDR 49: none (root's M01...). Either way, stated.
    assert borrowed_months("ht") in ("fr_HT", "root")
    for own in ("en", "es", "pt_BR", "vi", "zh_Hans", "ar", "fil", "fr_HT"):
        assert borrowed_months(own) is None, own
    assert borrowed_months("nb") is None  # stated: Norwegian Bokmål shares Norwegian's
    assert borrowed_months("smj") == "root"  # CLDR has no month names for Lule Sami: M01...
    assert format_date(EDITION, "smj") == "2026-11-25"  # an unambiguous date, not "M11"


@pytest.mark.slow
def test_every_cldr_locale_with_another_languages_months_is_covered() -> None:
    """A CLDR update that gives a locale its parent language's months (as ht) fails here."""
    uncovered = []
    for locale in locale_identifiers():
        source = borrowed_months(locale)
        if source not in (None, "root") and not any(name in MONTH_NAMES for name in cldr_chain(locale)):
            uncovered.append(f"{locale} ({source})")
    assert not uncovered, f"add their month names to typography.MONTH_NAMES: {uncovered}"


def test_every_project_locale_prints_its_own_month_names() -> None:
    """A locale added to locale/ whose CLDR months are not its own fails here."""
    locales = sorted(p.name for p in (FLORIDA / "locale").iterdir() if (p / "LC_MESSAGES").is_dir())
    assert {"es", "ht", "zh_Hans"} <= set(locales)
    for locale in locales:
        assert borrowed_months(locale) is None or any(name in MONTH_NAMES for name in cldr_chain(locale)), (
            locale
        )


# -- end to end ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The real project's en, es, zh_Hans and ht pages (HTML only)."""
    project = copy_project(tmp_path_factory.mktemp("typography") / "project")
    report = build(project, locales=["en", "es", "zh_Hans", "ht"], formats=("html",))
    assert not report.failed, report.summary()
    return {
        tag: (project.dist_dir / tag / "ldn-overview.html").read_text()
        for tag in ("en", "es", "zh-Hans", "ht")
    }


def main_text(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page.split("<main>")[1].split("</main>")[0])


def test_pages_print_the_languages_quotation_marks(pages: dict[str, str]) -> None:
    assert "it is considered “off-label,” meaning" in main_text(pages["en"])
    assert "se considera un uso “fuera de indicación”" in main_text(pages["es"])
    assert f"itilizasyon «{NNBSP}andeyò etikèt{NNBSP}»" in main_text(pages["ht"])
    assert "被视为“超说明书”用药" in main_text(pages["zh-Hans"])  # typed by the translator
    for page in pages.values():
        assert "&quot;" not in main_text(page) and '"' not in main_text(page)
        # attributes and citation links are as before
        assert '<bdi dir="ltr" style="white-space: nowrap"><a href="tel:+18133335080">' in page
        assert '<a href="#ref-1" aria-label="' in page


def test_pages_print_the_languages_label_punctuation(pages: dict[str, str]) -> None:
    assert "<span>电话号码：<bdi dir=" in pages["zh-Hans"] and "<span>传真号码：<bdi dir=" in pages["zh-Hans"]
    assert "本资料还有以下语言版本：<a href=" in pages["zh-Hans"]
    assert (
        "<span>Número de teléfono: <bdi dir=" in pages["es"]
        and "También disponible en: <a href=" in pages["es"]
    )
    assert "<span>Phone number: <bdi dir=" in pages["en"]
    assert '<span lang="en">DRAFT</span> · 草稿：' in pages["zh-Hans"]
    assert '<span lang="en">DRAFT</span> · BORRADOR: traducción' in pages["es"]
    # Haitian Creole print puts no space before the colon (LABEL_PUNCTUATION), unlike CLDR's French
    assert "<span>Nimewo telefòn: <bdi dir=" in pages["ht"] and "<span>Nimewo faks: <bdi dir=" in pages["ht"]
    assert '<span lang="en">DRAFT</span> · BOUYON: ' in pages["ht"]
    assert "Disponib tou an: <a href=" in pages["ht"]
    header = pages["ht"].split("<header")[1].split("</header>")[0]
    banner = pages["ht"].split('<aside class="draft"')[1].split("</aside>")[0]
    assert not re.search(f"[{NNBSP}\u00a0]:", header + banner), "no space before a Creole colon"
    for page in pages.values():
        assert ": :" not in page and "：:" not in page


def test_pages_print_the_languages_dates(pages: dict[str, str]) -> None:
    assert '<p class="edition-date">Edisyon 25 novanm 2026</p>' in pages["ht"]
    assert "novembre" not in pages["ht"]
    assert '<p class="edition-date">Edición del 25 de noviembre de 2026</p>' in pages["es"]
    assert '<p class="edition-date">2026年11月25日版</p>' in pages["zh-Hans"]
    # Chinese sets no space between two Han characters, so none between the date and its label
    label = pages["zh-Hans"].split('<p class="edition-date">')[1].split("</p>")[0]
    assert not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", label), label
    assert '<p class="edition-date">Edition of November 25, 2026</p>' in pages["en"]


@pytest.mark.slow
def test_english_shown_for_want_of_a_translation_keeps_english_marks(tmp_path: Path) -> None:
    project: Project = copy_project(tmp_path / "project")
    path = project.po_path("ht", "ldn-overview")
    catalog = read_catalog(path, "ht")
    for message in catalog:
        if "When used at low doses" in str(message.id):
            message.string = ""
    path.write_bytes(catalog_bytes(catalog))
    assert not build(project, locales=["ht"], formats=("html",)).failed
    page = (project.dist_dir / "ht" / "ldn-overview.html").read_text()
    fallback = page.split('<p class="untranslated" lang="en" dir="ltr">')[1].split("</p>")[0]
    assert "considered “off-label,” meaning" in fallback and "«" not in fallback
