"""Every script: right fonts, no missing glyph, text read back in its script and order."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from ldn_i18n.build import build
from ldn_i18n.languages import language
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.pseudo import pseudo_text

from .conftest import REPO

LOCALES = ["en", "es", "ht", "vi", "pt_BR", "zh_Hans", "ar", "en_XA"]
SCRIPT_OF = {"ar": "ARABIC", "zh_Hans": "CJK"}
#: Characters that are layout, not text: pypdf may report them without any glyph.
INVISIBLE = set(" \n\t\u00a0\u202f\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def pdf_of(project: Project, locale: str) -> Path:
    return project.dist_dir / language(locale).tag / "ldn-overview.pdf"


def embedded_fonts(path: Path) -> dict[str, set[str]]:
    """Each embedded font's name and the characters its real glyphs (not .notdef) draw.

    Read from the font's ToUnicode map: a subset font's cmap lacks characters
    drawn only through shaped forms (Arabic), and CFF fonts have no cmap.
    """
    fonts: dict[str, set[str]] = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "font not embedded"
            name = str(descriptor["/FontName"]).split("+", 1)[-1]
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            drawn = fonts.setdefault(name, set())
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for gid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    if int(gid, 16) != 0:
                        drawn.update(bytes.fromhex(text).decode("utf-16-be"))
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for line in block.strip().splitlines():
                    start, end, first = (int(h, 16) for h in re.findall(r"<([0-9a-fA-F]+)>", line)[:3])
                    drawn.update(chr(first + i) for i in range(end - start + 1) if start + i != 0)
    return fonts


def test_every_locale_was_built(built: Project) -> None:
    for locale in LOCALES:
        assert pdf_of(built, locale).is_file(), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_every_character_has_a_glyph_in_an_embedded_font(built: Project, locale: str) -> None:
    path = pdf_of(built, locale)
    covered = set().union(*embedded_fonts(path).values())
    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    missing = {ch for ch in text if ch not in INVISIBLE and ch not in covered}
    assert not missing, [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in sorted(missing)]


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_text_is_in_its_script_with_the_translated_title(built: Project, locale: str) -> None:
    first = PdfReader(pdf_of(built, locale)).pages[0].extract_text()
    title = read_catalog(built.po_path(locale, "ldn-overview"), locale)["Low-Dose Naltrexone Overview"].string
    assert title and title in first  # logical order, also for Arabic
    letters = [ch for ch in first if ch.isalpha()]
    script = SCRIPT_OF.get(locale, "LATIN")
    share = sum(unicodedata.name(ch, "").startswith(script) for ch in letters) / len(letters)
    assert share > (0.6 if script != "LATIN" else 0.95), share


def test_fonts_are_chosen_per_script(built: Project) -> None:
    chinese = embedded_fonts(pdf_of(built, "zh_Hans"))
    assert chinese and all(name.startswith("Noto-Sans-CJK-SC") for name in chinese), chinese
    assert any(name.startswith("Noto-Naskh-Arabic") for name in embedded_fonts(pdf_of(built, "ar")))
    assert not any("DejaVu" in name for name in embedded_fonts(pdf_of(built, "ar")))


def test_vietnamese_diacritics_come_from_one_family(built: Project) -> None:
    names = set(embedded_fonts(pdf_of(built, "vi")))
    assert names <= {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic"}, names


def test_chinese_lines_never_start_with_closing_punctuation(built: Project) -> None:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf_of(built, "zh_Hans")).pages)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 20
    bad = [line for line in lines if line[0] in "，。、；：？！）」』》〉】"]
    assert not bad, bad


def test_arabic_page_is_right_to_left_with_ltr_references(built: Project) -> None:
    page = (built.dist_dir / "ar" / "ldn-overview.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page
    assert page.count('lang="en" dir="ltr">') >= 9  # every reference entry
    assert 'href="tel:+18133335080" dir="ltr"' in page
    assert "1-3" in " ".join(PdfReader(pdf_of(built, "ar")).pages[0].extract_text().split())


@pytest.mark.parametrize(
    ("locale", "hyphens"),
    [
        ("en", "auto"),
        ("es", "auto"),
        ("pt_BR", "auto"),
        ("ar", "manual"),
        ("zh_Hans", "manual"),
        ("ht", "manual"),
    ],
)
def test_hyphenation_only_with_a_dictionary(built: Project, locale: str, hyphens: str) -> None:
    page = (built.dist_dir / language(locale).tag / "ldn-overview.html").read_text()
    assert f"hyphens: {hyphens};" in page


def test_every_edition_links_the_others_by_their_own_names(built: Project) -> None:
    tags = [language(loc) for loc in LOCALES]
    for lang in tags:
        page = (built.dist_dir / lang.tag / "ldn-overview.html").read_text()
        for other in tags:
            if other is lang:
                continue
            assert (
                f'<a href="../{other.tag}/ldn-overview.html" lang="{other.tag}" '
                f'hreflang="{other.tag}" dir="{other.direction}">{other.name}</a>'
            ) in page
    assert "العربية" in page and "中文 (简体)" in page and "Tiếng Việt" in page


def test_pseudo_text_keeps_markers_and_grows() -> None:
    source = "LDN is **generally well tolerated** at 1.5 to 4.5 mg. Page %(page)s [@kim2020; @bray2024]"
    pseudo = pseudo_text(source)
    for kept in ("LDN", "**", "1.5", "4.5 mg", "%(page)s", "[@kim2020; @bray2024]"):
        assert kept in pseudo
    assert "generally" not in pseudo and "ĝéñéŕàĺĺý" in pseudo
    assert 1.3 <= len(pseudo) / len(source) <= 1.45


def test_pseudo_locale_passes_check(built: Project) -> None:
    from ldn_i18n.check import check_project

    assert [f for f in check_project(built, ["en_XA"]) if f.level == "error"] == []


def test_page_budget_overflow_is_reported(project: Project) -> None:
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text().replace("pages: 2", "pages: 1"))
    report = build(project, ["en"], ("pdf",))
    assert report.results[0].warnings == ["2 pages; the handout allows 1 (pages: in its front matter)"]


def test_pseudo_edition_shows_whether_longer_text_fits(built: Project) -> None:
    budget = int(re.search(r"^pages: (\d+)", (REPO / "source/handouts/ldn-overview.md").read_text(), re.M)[1])
    pages = len(PdfReader(pdf_of(built, "en_XA")).pages)
    english = len(PdfReader(pdf_of(built, "en")).pages)
    assert pages >= english
    record = (built.dist_dir / "editions.json").read_text()
    assert '"en_XA/ldn-overview"' in record
    assert (pages > budget) == ("allows" in record.split('"en_XA/ldn-overview"')[1].split("}")[0])
