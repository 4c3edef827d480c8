"""Negations in the translation itself, per language, and the draft mark (ldn_i18n/data/*.json).

Each catalog language's data entry is exercised by one instruction kept negated (no finding)
and the same instruction with its negation lost (a `negation` error); the draft mark translated
as anything but a stated word for draft is a `draft-mark` error and never reaches the page.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from ldn_i18n.check import Rules
from ldn_i18n.check.draft import check_draft_mark, draft_words
from ldn_i18n.check.negation import base_language, check_negation, negations, table
from ldn_i18n.project import Project

from .conftest import FLORIDA, edit_catalog, run_cli

ENGLISH = "Do not take LDN with opioids."
#: Per catalog language: the instruction kept negated, and with its negation lost.
PAIRS = {
    "es": ("No tome LDN con opioides.", "Tome LDN con opioides."),
    "ht": ("Pa pran LDN ak opyoyid.", "Pran LDN ak opyoyid."),
    "vi": ("Không uống LDN cùng với opioid.", "Uống LDN cùng với opioid."),
    "pt_BR": ("Não tome LDN com opioides.", "Tome LDN com opioides."),
    "zh_Hans": ("不要与阿片类药物同服LDN。", "与阿片类药物同服LDN。"),
    "zh_Hant": ("請勿與鴉片類藥物同服LDN。", "請與鴉片類藥物同服LDN。"),
    "ar": ("لا تتناول LDN مع المواد الأفيونية.", "تناول LDN مع المواد الأفيونية."),
    "fr": ("Ne prenez pas la LDN avec des opioïdes.", "Prenez la LDN avec des opioïdes."),
    "fil": ("Huwag inumin ang LDN kasama ng opioids.", "Inumin ang LDN kasama ng opioids."),
    "ru": ("Не принимайте LDN с опиоидами.", "Принимайте LDN с опиоидами."),
    "it": ("Non prenda LDN con gli oppioidi.", "Prenda LDN con gli oppioidi."),
    "de": ("Nehmen Sie LDN nicht mit Opioiden ein.", "Nehmen Sie LDN mit Opioiden ein."),
    "ko": ("오피오이드와 함께 LDN을 복용하지 마십시오.", "오피오이드와 함께 LDN을 복용하십시오."),
    "pl": ("Nie przyjmuj LDN z opioidami.", "Przyjmuj LDN z opioidami."),
    "gu": ("ઓપિયોઇડ્સ સાથે LDN ન લો.", "ઓપિયોઇડ્સ સાથે LDN લો."),
    "th": ("อย่ารับประทาน LDN ร่วมกับยาโอปิออยด์", "รับประทาน LDN ร่วมกับยาโอปิออยด์"),
}


def catalog_locales() -> list[str]:
    return sorted(p.name for p in (FLORIDA / "locale").iterdir() if (p / "LC_MESSAGES").is_dir())


def test_every_catalog_language_has_its_words_with_a_source() -> None:
    """And no entry negates in one list while another says it does not (compared as read: NFKC)."""
    assert set(PAIRS) == set(catalog_locales())
    for code, entry in table().items():
        kinds: dict[str, set[str]] = {}
        for kind in ("words", "affixes", "concord", "flexible", "not_negation"):
            for text in entry.get(kind, []):
                kinds.setdefault(unicodedata.normalize("NFKC", text).casefold(), set()).add(kind)
        for text, found in kinds.items():
            assert not (found & {"words", "affixes"} and found & {"flexible", "not_negation"}), (code, text)
    for locale in catalog_locales():
        entry = table()[base_language(locale)]
        assert entry["words"] and len(entry["source"]) > 20, locale
        assert draft_words(locale), locale


@pytest.mark.parametrize("locale", sorted(PAIRS))
def test_a_lost_negation_is_an_error_in_every_language(locale: str) -> None:
    kept, lost = PAIRS[locale]
    assert list(check_negation(ENGLISH, kept, Rules(locale))) == []
    assert [code for code, _ in check_negation(ENGLISH, lost, Rules(locale))] == ["negation"]
    assert [code for code, _ in check_negation("Take LDN at night.", kept, Rules(locale))] == ["negation"]


@pytest.mark.parametrize(
    ("english", "locale", "translation", "found"),
    [
        ("Never take two doses.", "es", "No tome nunca dos dosis.", []),  # negative concord: one
        ("Never take two doses.", "es", "Tome siempre dos dosis.", ["negation"]),
        ("Take LDN only at night.", "ar", "لا تتناول LDN إلا في الليل.", []),  # la ... illa is "only"
        ("What is LDN?", "ar", "ما هو LDN؟", []),  # ma is "what" here
        ("Some may have stomach upset.", "zh_Hans", "有些人可能会出现胃部不适。", []),
        ("However, it may help.", "zh_Hans", "不过，它可能有帮助。", []),
        ("Do not take LDN with opioids.", "zh_Hans", "禁止与阿片类药物同服LDN。", []),  # a prohibition
        ("Take LDN at night.", "zh_Hans", "禁止在晚上服用LDN。", ["negation"]),
        ("Do not stop taking LDN suddenly.", "zh_Hans", "请突然停用LDN。", ["negation"]),
        ("Avoid alcohol.", "es", "No beba alcohol.", []),  # negates by meaning: either way
        ("Take 1.5 mg per day.", "ht", "Pran 1,5 mg pa jou.", []),  # pa jou is "per day"
        ("Are you taking opioids?", "vi", "Bạn có đang dùng opioid không?", []),  # a question
        ("Do not take it.", "es", "N\u200bo lo tome.", []),  # an invisible character hides nothing
    ],
)
def test_what_negates_and_what_only_looks_like_it(
    english: str, locale: str, translation: str, found: list[str]
) -> None:
    assert [code for code, _ in check_negation(english, translation, Rules(locale))] == found


def test_a_language_without_words_is_not_compared() -> None:
    assert negations("Ne pas prendre.", "sv") is None
    assert list(check_negation(ENGLISH, "Ta LDN med opioider.", Rules("sv"))) == []


@pytest.mark.slow
def test_the_draft_mark_says_draft_and_the_page_prints_nothing_else(project: Project) -> None:
    templates = Rules("es", formatted=True)
    assert list(check_draft_mark("DRAFT", "BORRADOR", templates)) == []
    assert [c for c, _ in check_draft_mark("DRAFT", "VERSIÓN FINAL", templates)] == ["draft-mark"]
    assert [c for c, _ in check_draft_mark("DRAFT", "BORRADOR APROBADO", templates)] == ["draft-mark"]
    assert [c for c, _ in check_draft_mark("DRAFT", "草稿", Rules("sv", formatted=True))] == ["draft-mark"]
    po = project.po_path("es", "templates")
    [line] = edit_catalog(po, "DRAFT", msgstr="VERSIÓN FINAL")
    out = run_cli(project, "check", "--locale", "es", check=1).out
    assert (
        f"locale/es/LC_MESSAGES/templates.po:{line}: error: draft-mark 'VERSIÓN FINAL' does not say draft"
        in out
    )
    run_cli(project, "build", "--locale", "es", "--format", "html", check=0)
    page = (project.dist_dir / "es" / "ldn-overview.html").read_text(encoding="utf-8")
    assert "VERSIÓN FINAL" not in page and '<span lang="en">DRAFT</span>: ' in page


def test_a_combining_mark_and_only_a_mark_continues_a_word() -> None:
    from ldn_i18n.check.negation import _word_class

    word = re.compile(_word_class())
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters
        expected = char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")
        assert bool(word.fullmatch(char)) == expected, f"U+{code:04X} {unicodedata.name(char, '?')}"
