"""The reviewer's pack (``ldn-i18n review-pack``): rows beside each other, diffs, every script, escaped."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from pypdf import PdfReader

from ldn_i18n.extract import extract
from ldn_i18n.files import write_atomic
from ldn_i18n.languages import language
from ldn_i18n.pofiles import catalog_bytes, read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review.pack import word_diff, write_pack
from ldn_i18n.review.signoff import content_hash, message_key
from ldn_i18n.update import update

from .conftest import edit_catalog, embedded_fonts, pdf_text, printed, run_cli, sign_as, squeezed, unglyphed
from .pages import classes, read_page, text_of

REVIEWER = "Ana Pérez <ana.perez@example.org>"
OLD_EN = "It may reduce the activity of certain immune cells"
NEW_EN = "It may lessen the activity of some immune cells"


def pack_paths(project: Project, locale: str, domain: str = "ldn-overview") -> tuple[Path, Path]:
    folder = project.dist_dir / "review" / language(locale).tag
    return folder / f"{domain}.html", folder / f"{domain}.pdf"


def rows_in(html: str) -> int:
    """How many messages a review pack's page lists: its rows ``<tr class="state-...">``."""
    return sum(any(c.startswith("state-") for c in classes(tr)) for tr in read_page(html).iter("tr"))


@pytest.mark.slow
def test_every_row_through_the_cli(project: Project) -> None:
    out = run_cli(project, "review-pack", "--locale", "es", "--all", check=0).out
    html_path, pdf_path = pack_paths(project, "es")
    assert f"wrote {html_path.relative_to(project.root)}" in out
    assert f"wrote {pdf_path.relative_to(project.root)}" in out
    assert all(path.is_file() for path in pack_paths(project, "es", "templates"))
    reader = PdfReader(pdf_path)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)  # US Letter
    pages = [squeezed(page.extract_text() or "") for page in reader.pages]
    catalog = read_catalog(project.po_path("es", "ldn-overview"), "es")
    messages = [m for m in catalog if m.id]
    html = html_path.read_text(encoding="utf-8")
    assert rows_in(html) == len(messages)
    for message in messages:
        # As printed: each language's quotation marks (CLDR's “ ” in English and Spanish).
        english = printed(str(message.id)).replace(
            '"offlabel,"', "“offlabel,”"
        )  # squeezed: no spaces, no hyphens
        spanish = printed(str(message.string)).replace('"fueradeindicación"', "“fueradeindicación”")
        assert '"' not in english + spanish, message.id
        assert any(english in page and spanish in page for page in pages), message.id
    assert "Signoff" in pages[-1] and "Signature" in pages[-1] and "Credential" in pages[-1]
    assert "ldni18nreviewlocaleesdomainldnoverview" in pages[-1]
    assert content_hash(catalog) in html
    assert "Pageof" not in "".join(pages) and "Page1of" in pages[0]
    assert '<table class="rows" dir="ltr">' in html
    assert html.count('<td class="en" lang="en" dir="ltr">') == len(messages)
    assert "source/handouts/ldn-overview.md:8" in html
    assert '<sup class="cite" dir="ltr">1-3</sup>' in html  # the handout's own citation numbers
    templates = pack_paths(project, "es", "templates")[0].read_text(encoding="utf-8")
    assert "%(num)s pasajes aún sin traducir" in templates


@pytest.mark.slow
def test_default_pack_shows_the_changed_row_with_its_diffs(project: Project) -> None:
    extract(project)
    update(project)
    for domain in project.domains():
        signed, refused = sign_as(project, "es", domain, REVIEWER, "CoreCHI", "all")
        assert signed and not refused, refused
    out = run_cli(project, "review-pack", "--locale", "es", check=0).out
    assert "no message of es is pending review" in out
    assert not any(path.exists() for path in pack_paths(project, "es"))

    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text(encoding="utf-8").replace(OLD_EN, NEW_EN), encoding="utf-8")
    extract(project)
    update(project)
    # What a translator does in Poedit: translate the one changed sentence and unmark it.
    fixed = edit_catalog(
        project.po_path("es", "ldn-overview"),
        lambda message: message.fuzzy,
        replace=("reducir la actividad de ciertas", "disminuir la actividad de algunas"),
        fuzzy=False,
    )
    assert len(fixed) == 1
    out = run_cli(project, "review-pack", "--locale", "es", check=0).out
    html_path, pdf_path = pack_paths(project, "es")
    assert f"wrote {pdf_path.relative_to(project.root)}" in out
    assert "templates" not in out  # nothing of the templates is pending
    html = html_path.read_text(encoding="utf-8")
    assert rows_in(html) == 1
    assert '<tr class="state-changed">' in html
    assert "<del>reduce</del> <ins>lessen</ins>" in html
    assert "<del>certain</del> <ins>some</ins>" in html
    assert "<del>reducir</del> <ins>disminuir</ins>" in html
    assert "<del>ciertas</del> <ins>algunas</ins>" in html
    assert "signed off on" in html and REVIEWER.split(" <")[0] in html
    text = pdf_text(pdf_path)
    for word in ("reduce", "lessen", "certain", "reducir", "disminuir", "algunas"):
        assert word in text, word


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["ar", "zh_Hans"])
def test_every_character_of_arabic_and_chinese_packs_has_a_glyph(project: Project, locale: str) -> None:
    written = write_pack(project, locale, "ldn-overview", all_rows=True)
    html_path, pdf_path = pack_paths(project, locale)
    assert written == [html_path, pdf_path]
    assert unglyphed(pdf_path) == []
    text = "".join(page.extract_text() or "" for page in PdfReader(pdf_path).pages)
    script = "ARABIC" if locale == "ar" else "CJK"
    assert sum(unicodedata.name(ch, "").startswith(script) for ch in text) > 300
    html = html_path.read_text(encoding="utf-8")
    lang = language(locale)
    rows = rows_in(html)
    assert html.count(f'<td class="tr" lang="{lang.tag}" dir="{lang.direction}">') == rows
    assert html.count('<td class="en" lang="en" dir="ltr">') == rows  # the English column stays left
    if locale == "ar":
        assert lang.direction == "rtl"
        arabic = embedded_fonts(pdf_path)
        assert any(name.startswith("Noto-Sans-Arabic") for name in arabic), arabic
        assert not any("Naskh" in name or "Serif" in name for name in arabic), arabic
    else:
        assert any(name.startswith("Noto-Sans-CJK-SC") for name in embedded_fonts(pdf_path))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert not [line for line in lines if line[0] in "，。、；：？！）」』》〉】"]  # Han breaks right


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> {{ 7*7 }} [@<b>x</b>]'


@pytest.mark.slow
def test_hostile_translation_comment_and_back_translation_are_escaped(project: Project) -> None:
    heading = "How does LDN work?"
    edit_catalog(
        project.po_path("es", "ldn-overview"),
        heading,
        msgstr=HOSTILE,
        comment="<iframe src=//evil.example></iframe>",
    )
    back = Catalog(locale="en", domain="ldn-overview")
    back.add(HOSTILE, '<object data="x"></object> How does LDN act?', context=message_key(None, heading))
    write_atomic(project.locale_dir / "es" / "back" / "ldn-overview.po", catalog_bytes(back))
    write_pack(project, "es", "ldn-overview", all_rows=True)
    html_path, pdf_path = pack_paths(project, "es")
    html = html_path.read_text(encoding="utf-8")
    for tag in ("script", "img", "iframe", "object"):
        assert f"<{tag}" not in html, tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;iframe src=//evil.example&gt;" in html
    assert "{{ 7*7 }}" in html  # data, not a template
    assert "unsafe-markup" in html  # the check finding is on the row


@pytest.mark.slow
def test_back_translation_column_marks_what_differs_from_the_english(project: Project) -> None:
    catalog = read_catalog(project.po_path("es", "ldn-overview"), "es")
    message = catalog["How does LDN work?"]
    back = Catalog(locale="en", domain="ldn-overview")
    back.add(str(message.string), "How does the LDN act?", context=message_key(None, message.id))
    write_atomic(project.locale_dir / "es" / "back" / "ldn-overview.po", catalog_bytes(back))
    write_pack(project, "es", "ldn-overview", all_rows=True)
    html = pack_paths(project, "es")[0].read_text(encoding="utf-8")
    assert '<th class="bt">Back-translation</th>' in html
    assert "How does <ins>the</ins> LDN <del>work?</del> <ins>act?</ins>" in html
    assert "locale/es/back/ldn-overview.po" in html
    assert "no back-translation of this message yet" in html  # the other rows


def test_word_diff() -> None:
    assert (
        word_diff("take 1.5 mg daily", "take 4.5 mg daily") == "take <del>1.5</del> <ins>4.5</ins> mg daily"
    )
    assert word_diff("每天服用", "每晚服用") == "每<del>天</del><ins>晚</ins>服用"
    assert word_diff("a <b>", "a <i>") == "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins>"
    assert word_diff("Not at night.", "not at NIGHT", loose=True) == "not at NIGHT"
    assert word_diff("same text", "same text") == "same text"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locale", "xx"], "locale"),
        (["--locale", "sv"], "no catalogs for locale 'sv'"),
        (["--locale", "es", "--handout", "nope"], "no handout 'nope'"),
    ],
)
def test_bad_input_is_a_clear_error(project: Project, args: list[str], message: str) -> None:
    err = run_cli(project, "review-pack", *args, check=2).err
    assert message in err and "Traceback" not in err


@pytest.mark.slow
def test_pack_shows_the_doses_the_checks_read(project: Project) -> None:
    """Each message with a number has a table of what the checks read, English beside translation."""
    edit_catalog(project.po_path("es", "ldn-overview"), replace=("4,5 mg al día", "4,5 mg por semana"))
    write_pack(project, "es", "ldn-overview", all_rows=True)
    html = pack_paths(project, "es")[0].read_text(encoding="utf-8")
    [table] = [table for table in read_page(html).iter("table") if classes(table) == ["doses"]]
    cells = [text_of(td) for td in table.iter("td")]
    assert cells == [
        "1.5 milligrams per day",
        "1,5 miligramos a la semana",
        "4.5 milligrams per day",
        "4,5 miligramos a la semana",
    ]
    assert [classes(tr) for tr in table.iter("tr")].count(["differs"]) == 2
