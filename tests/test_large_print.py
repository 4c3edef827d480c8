"""The large-print PDF of every edition: written by a plain build, 18 pt and up, no capitals, aligned."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from ldn_i18n.editions import LARGE_PRINT_PAGES, build
from ldn_i18n.languages import language
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project

from .conftest import REPO, assert_in_its_script, embedded_fonts, handout_fonts, handout_pages, unglyphed
from .test_scripts import LOCALES, pdf_of

SLUG = "ldn-overview"
PDFTOTEXT = shutil.which("pdftotext")


def large_of(project: Project, locale: str) -> Path:
    return project.dist_dir / language(locale).tag / f"{SLUG}.large.pdf"


def runs(path: Path) -> list[tuple[float, str]]:
    """Every run of text in the PDF with its size in points (the text and page matrices applied)."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]) * abs(cm[0] * cm[3] - cm[1] * cm[2]))
            found.append((size * scale, text))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return found


def lines(path: Path) -> list[tuple[float, float, str]]:
    """Each line of text as poppler lays it out: ``(x min, x max, text)`` in points."""
    assert PDFTOTEXT, "poppler-utils is not installed (scripts/setup.sh installs it)"
    xml = subprocess.run(
        [PDFTOTEXT, "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for x_min, x_max, body in re.findall(
        r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>', xml, re.S
    ):
        words = re.findall(r">([^<]*)</word>", body)
        found.append((float(x_min), float(x_max), " ".join(words)))
    return found


def test_a_plain_build_writes_the_large_print_next_to_the_regular_pdf(built: Project) -> None:
    record = json.loads((built.dist_dir / "editions.json").read_text())["editions"]
    for locale in LOCALES:
        tag = language(locale).tag
        assert pdf_of(built, locale).is_file() and large_of(built, locale).is_file(), locale
        assert f"{tag}/{SLUG}.large.pdf" in record[f"{locale}/{SLUG}"]["outputs"]
        assert record[f"{locale}/{SLUG}"]["large_pages"] == len(PdfReader(large_of(built, locale)).pages)


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh_Hans"])
def test_every_text_is_at_least_18_points_and_headings_larger(built: Project, locale: str) -> None:
    sizes = runs(large_of(built, locale))
    small = [(round(size, 1), text) for size, text in sizes if size < 17.99]
    assert not small, small[:5]  # body, header, references, page numbers and citation numbers alike
    title = max(size for size, _ in sizes)
    assert title >= 24 and sum(size >= 21.9 for size, _ in sizes) > 5  # the title and each heading
    regular = [size for size, _ in runs(pdf_of(built, locale))]
    assert min(regular) < 12  # the regular edition's are not: the test sees the difference


@pytest.mark.parametrize("locale", ["en", "es", "vi"])
def test_no_text_is_turned_into_capitals(built: Project, locale: str) -> None:
    text = " ".join(text for _, text in runs(large_of(built, locale)))
    for name in ("Tampa", "Brandon", "Sun City Center", "Lakewood Ranch", "Venice"):
        assert name in text and name.upper() not in text
    regular = PdfReader(pdf_of(built, locale)).pages[0].extract_text()
    assert "SUN CITY CENTER" in regular  # the regular edition still shows them in capitals
    page = (built.dist_dir / language(locale).tag / f"{SLUG}.html").read_text()
    written = set(re.findall(r"[^\W\d_]+", re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)))
    capitals = {w for w in re.findall(r"[^\W\d_]{2,}", text) if w.isupper()}
    assert capitals and capitals <= written  # LDN, FDA, JAMA, DRAFT: only as the text writes them


@pytest.mark.parametrize("locale", LOCALES)
def test_every_character_has_a_glyph_in_an_embedded_font(built: Project, locale: str) -> None:
    assert unglyphed(large_of(built, locale)) == []


@pytest.mark.parametrize("locale", ["ar", "zh_Hans", "vi", "es"])
def test_text_is_in_its_script_with_the_translated_title(built: Project, locale: str) -> None:
    pages = PdfReader(large_of(built, locale)).pages
    first = pages[0].extract_text()
    title = read_catalog(built.po_path(locale, SLUG), locale)["Low-Dose Naltrexone Overview"].string
    assert title and " ".join(title.split()) in " ".join(first.split())  # logical order, also Arabic
    assert_in_its_script(pages[1].extract_text(), locale)


def test_a_sans_serif_face_in_every_script(built: Project) -> None:
    arabic = handout_fonts(large_of(built, "ar"))
    assert any(name.startswith("Noto-Sans-Arabic") for name in arabic), arabic
    assert not any("Naskh" in name or "Serif" in name for name in embedded_fonts(large_of(built, "ar"))), (
        arabic
    )
    assert all(name.startswith("Noto-Sans-CJK-SC") for name in handout_fonts(large_of(built, "zh_Hans")))
    for locale in ("en", "vi"):  # no italics either
        assert set(handout_fonts(large_of(built, locale))) <= {"Noto-Sans", "Noto-Sans-Bold"}, locale


def test_arabic_is_right_aligned_and_english_left_aligned(built: Project) -> None:
    width = float(PdfReader(large_of(built, "ar")).pages[0].mediabox.width)
    arabic = [
        line for line in lines(large_of(built, "ar")) if len(re.findall("[\u0600-\u06ff]", line[2])) > 8
    ]
    english = [line for line in lines(large_of(built, "en")) if len(line[2]) > 20]
    margin = 72.0  # 1 inch
    assert len(arabic) > 30 and len(english) > 30
    start, end = margin, width - margin
    assert sum(x_max > end - 40 for _, x_max, _ in arabic) / len(arabic) > 0.9  # flush right (lists indent)
    assert sum(x_min > start + 30 for x_min, _, _ in arabic) / len(arabic) > 0.3  # ragged left
    assert min(x_min for x_min, _, _ in english) >= start - 1.5
    assert sum(x_min < start + 40 for x_min, _, _ in english) / len(english) > 0.9  # flush left
    assert sum(x_max < end - 30 for _, x_max, _ in english) / len(english) > 0.3  # ragged right


def test_no_hyphenation_where_the_regular_edition_hyphenates(built: Project) -> None:
    hyphenated = [t for _, _, t in lines(large_of(built, "es")) if re.search(r"[^\W\d_]-$", t)]
    assert not hyphenated, hyphenated


@pytest.mark.slow
def test_page_budget_scales_with_the_variant(project: Project) -> None:
    budget = int(re.search(r"^pages: (\d+)", (REPO / "source/handouts/ldn-overview.md").read_text(), re.M)[1])
    report = build(project, ["en"], ("pdf", "large"))
    result = report.results[0]
    regular, large = (len(handout_pages(path)) for path in (pdf_of(project, "en"), large_of(project, "en")))
    assert regular <= budget < large <= math.ceil(budget * LARGE_PRINT_PAGES)
    assert result.pages == regular + 1 and result.large_pages > large  # then the notice
    assert result.warnings == []
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text().replace(f"pages: {budget}", "pages: 1"))
    result = build(project, ["en"], ("pdf", "large")).results[0]
    allowed = math.ceil(LARGE_PRINT_PAGES)
    before = "before the language-assistance notice"
    assert result.warnings == [
        f"{regular} pages {before}; the handout allows 1 (pages: in its front matter)",
        f"large print: {large} pages {before}; the handout allows {allowed} "
        f"({LARGE_PRINT_PAGES} x pages: in its front matter)",
    ]


@pytest.mark.slow
def test_leaving_out_the_large_print_removes_it_and_comes_back_incrementally(project: Project) -> None:
    assert not build(project, ["en"]).failed
    large = large_of(project, "en")
    assert large.is_file()
    assert not build(project, ["en"], ("html", "pdf")).failed
    assert not large.exists() and pdf_of(project, "en").is_file()
    report = build(project, ["en"])
    assert [r.reused for r in report.results] == [False] and large.is_file()
    assert [r.reused for r in build(project, ["en"]).results] == [True]
    large.unlink()
    assert [r.reused for r in build(project, ["en"]).results] == [False] and large.is_file()
    # The stylesheet is an input like every template.
    css = project.templates.path("large-print.css.j2")
    css.write_text(css.read_text() + "\n")
    assert [r.reused for r in build(project, ["en"]).results] == [False]
