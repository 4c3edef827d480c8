"""Every script: right fonts, no missing glyph, text read back in its script and order.

The real project's editions (the session's ``built``) and a one-page handout
in fifteen languages of fourteen scripts (``tests/fixtures/scripts``), built
once for this module; the fonts chosen through fontconfig, tried against
configurations that hold only some of the installed fonts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from ldn_i18n import fonts
from ldn_i18n.editions import build
from ldn_i18n.languages import language
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project, load_project
from ldn_i18n.pseudo import pseudo_text

from .conftest import (
    REPO,
    assert_in_its_script,
    embedded_fonts,
    handout_fonts,
    handout_pages,
    missing_glyphs,
    run_cli,
    unglyphed,
)

LOCALES = ["en", "es", "ht", "vi", "pt_BR", "zh_Hans", "ar", "en_XA"]


def pdf_of(project: Project, locale: str) -> Path:
    return project.dist_dir / language(locale).tag / "ldn-overview.pdf"


def test_the_script_tests_cover_every_edition_built(built: Project) -> None:
    """LOCALES is every locale the build made a PDF of: a new language gets these tests too."""
    record = json.loads((built.dist_dir / "editions.json").read_text(encoding="utf-8"))
    printed = {
        key.partition("/")[0]
        for key, entry in record["editions"].items()
        if any(name.endswith(".pdf") for name in entry["outputs"])
    }
    assert printed == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_character_has_a_glyph_in_an_embedded_font(built: Project, locale: str) -> None:
    assert unglyphed(pdf_of(built, locale)) == []
    assert not missing_glyphs(pdf_of(built, locale))


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_text_is_in_its_script_with_the_translated_title(built: Project, locale: str) -> None:
    first = PdfReader(pdf_of(built, locale)).pages[0].extract_text()
    title = read_catalog(built.po_path(locale, "ldn-overview"), locale)["Low-Dose Naltrexone Overview"].string
    assert title and title in first  # logical order, also for Arabic
    assert_in_its_script(first, locale)


def test_fonts_are_chosen_per_script(built: Project) -> None:
    chinese = handout_fonts(pdf_of(built, "zh_Hans"))
    assert chinese and all(name.startswith("Noto-Sans-CJK-SC") for name in chinese), chinese
    arabic = handout_fonts(pdf_of(built, "ar"))
    assert any(name.startswith("Noto-Sans-Arabic") for name in arabic), arabic
    everything = embedded_fonts(pdf_of(built, "ar"))  # the notice included
    assert not any("DejaVu" in name or "Naskh" in name or "Serif" in name for name in everything), arabic


def test_vietnamese_diacritics_come_from_one_family(built: Project) -> None:
    names = set(handout_fonts(pdf_of(built, "vi")))
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
    assert '<bdi dir="ltr" style="white-space: nowrap"><a href="tel:+18133335080">' in page
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


def test_pseudo_text_keeps_what_check_compares() -> None:
    """The same patterns as check (issue 10: pseudo's own copy lacked µg and %)."""
    from ldn_i18n.check.codes import Rules
    from ldn_i18n.check.messages import MESSAGE_CHECKS

    source = "Take 10 µg or 250 mcg, 50% of it, three times a day; 2 mL/kg; %(num)s of %(total)s."
    pseudo = pseudo_text(source)
    for kept in ("10 µg", "250 mcg", "50%", "three", "2 mL/kg", "%(num)s", "%(total)s"):
        assert kept in pseudo, kept
    assert "öƒ" in pseudo  # "50% of" is a percent, not a placeholder: the word is accented
    rules = Rules(locale="en")
    problems = [found for check in MESSAGE_CHECKS for found in check(source, pseudo, rules)]
    assert problems == []


def test_pseudo_locale_passes_check(built: Project) -> None:
    from ldn_i18n.check import check_project

    assert [f for f in check_project(built, ["en_XA"]) if f.level == "error"] == []


@pytest.mark.slow
def test_page_budget_overflow_is_reported(project: Project) -> None:
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text().replace("pages: 2", "pages: 1"))
    report = build(project, ["en"], ("pdf",))
    assert report.results[0].warnings == [
        "2 pages before the language-assistance notice; the handout allows 1 (pages: in its front matter)"
    ]


def test_pseudo_edition_shows_whether_longer_text_fits(built: Project) -> None:
    budget = int(re.search(r"^pages: (\d+)", (REPO / "source/handouts/ldn-overview.md").read_text(), re.M)[1])
    pages = len(handout_pages(pdf_of(built, "en_XA")))  # the pages before the notice
    english = len(handout_pages(pdf_of(built, "en")))
    assert pages >= english
    record = (built.dist_dir / "editions.json").read_text()
    assert '"en_XA/ldn-overview"' in record
    assert (pages > budget) == ("allows" in record.split('"en_XA/ldn-overview"')[1].split("}")[0])


# --- One handout in every script ---------------------------------------------------------------

#: A one-page handout (title, heading, paragraph with bold, list) and its catalogs.
SCRIPTS_FIXTURE = Path(__file__).parent / "fixtures" / "scripts"
SCRIPTS_HANDOUT = "medicine"
#: Each edition of the fixture: the face of its script, and its direction.
EDITIONS = {
    "en": ("Noto Sans", "ltr"),
    "vi": ("Noto Sans", "ltr"),
    "ru": ("Noto Sans", "ltr"),
    "el": ("Noto Sans", "ltr"),
    "ar": ("Noto Sans Arabic", "rtl"),
    "he": ("Noto Sans Hebrew", "rtl"),
    "hi": ("Noto Sans Devanagari", "ltr"),
    "gu": ("Noto Sans Gujarati", "ltr"),
    "bn": ("Noto Sans Bengali", "ltr"),
    "zh_Hans": ("Noto Sans CJK SC", "ltr"),
    "zh_Hant": ("Noto Sans CJK TC", "ltr"),
    "ko": ("Noto Sans CJK KR", "ltr"),
    "ja": ("Noto Sans CJK JP", "ltr"),
    "th": ("Noto Sans Thai", "ltr"),
    "am": ("Noto Sans Ethiopic", "ltr"),
}
TRANSLATED = [locale for locale in EDITIONS if locale != "en"]


@pytest.fixture(scope="module")
def scripts_built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixture project built once, HTML and PDF, in every language of :data:`EDITIONS`."""
    root = tmp_path_factory.mktemp("scripts") / "project"
    shutil.copytree(SCRIPTS_FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    project = load_project(root)
    assert sorted(project.locales()) == sorted(TRANSLATED)
    report = build(project, formats=("html", "pdf"))
    assert not report.failed, report.summary()
    return project


def edition_of(project: Project, locale: str, suffix: str = ".pdf") -> Path:
    return project.dist_dir / language(locale).tag / f"{SCRIPTS_HANDOUT}{suffix}"


def translations(project: Project, locale: str) -> list[str]:
    """The handout's translated texts in ``locale``, without Markdown's bold markers."""
    catalog = read_catalog(project.po_path(locale, SCRIPTS_HANDOUT), locale)
    return [str(message.string).replace("**", "") for message in catalog if message.id]


def letters(text: str) -> str:
    """Only the letters and marks of ``text``, in order (what logical order is judged on)."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LM")


@pytest.mark.parametrize("locale", EDITIONS)
def test_the_stack_names_the_script_face_then_noto_sans(locale: str) -> None:
    face = EDITIONS[locale][0]
    expected = '"Noto Sans", sans-serif' if face == "Noto Sans" else f'"{face}", "Noto Sans", sans-serif'
    assert fonts.font_stack(locale) == expected
    assert fonts.font_problem(locale) is None


@pytest.mark.parametrize("locale", EDITIONS)
def test_every_character_is_drawn_by_a_real_glyph(scripts_built: Project, locale: str) -> None:
    path = edition_of(scripts_built, locale)
    assert not unglyphed(path)
    assert not missing_glyphs(path)


@pytest.mark.parametrize("locale", EDITIONS)
def test_only_the_script_face_and_noto_sans_are_embedded(scripts_built: Project, locale: str) -> None:
    face = EDITIONS[locale][0].replace(" ", "-")
    names = set(embedded_fonts(edition_of(scripts_built, locale)))
    assert face in names, names  # the script's face draws the text
    assert names <= {face, f"{face}-Bold", "Noto-Sans", "Noto-Sans-Bold"}, names
    assert not any("Serif" in name for name in names), names  # never serif beside sans in a line


@pytest.mark.parametrize("locale", EDITIONS)
def test_the_page_has_the_script_direction(scripts_built: Project, locale: str) -> None:
    page = edition_of(scripts_built, locale, ".html").read_text(encoding="utf-8")
    assert f'<html lang="{language(locale).tag}" dir="{EDITIONS[locale][1]}">' in page


@pytest.mark.parametrize("locale", [loc for loc in TRANSLATED if EDITIONS[loc][1] == "rtl"])
def test_right_to_left_text_reads_back_in_logical_order(scripts_built: Project, locale: str) -> None:
    path = edition_of(scripts_built, locale)
    read = letters("".join(page.extract_text() or "" for page in PdfReader(path).pages))
    for text in translations(scripts_built, locale):
        assert letters(text) in read, text  # reversed, or out of order, it would not be found


@pytest.mark.parametrize("locale", [loc for loc in TRANSLATED if EDITIONS[loc][1] == "ltr"])
def test_left_to_right_text_reads_back_as_written(scripts_built: Project, locale: str) -> None:
    """Read by poppler, which honours /ActualText (pypdf reads ToUnicode alone)."""
    path = edition_of(scripts_built, locale)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    read = re.sub(r"\s+", "", done.stdout)
    lost = [text for text in translations(scripts_built, locale) if re.sub(r"\s+", "", text) not in read]
    assert not lost


@pytest.mark.parametrize(
    ("locale", "installed", "face"),
    [
        ("gu", ["Noto Serif Gujarati", "Noto Sans Gujarati"], "Noto Sans Gujarati"),
        ("gu", ["Noto Serif Gujarati"], "Noto Serif Gujarati"),  # any face before none
        ("th", ["Noto Looped Thai", "Noto Serif Thai", "Noto Sans Thai"], "Noto Sans Thai"),
        (
            "ar",
            ["Noto Naskh Arabic", "Noto Kufi Arabic", "Noto Sans Arabic", "DejaVu Sans"],
            "Noto Sans Arabic",
        ),
        ("gu", ["Noto Sans", "Noto Sans Gujarati"], "Noto Sans Gujarati"),
        ("am", ["Noto Serif Ethiopic", "Noto Sans Ethiopic"], "Noto Sans Ethiopic"),
        ("hi", ["Noto Sans", "Noto Sans Gujarati"], None),  # nothing covers Devanagari: the generic
    ],
)
def test_the_face_is_the_best_installed_one(
    fontconfig: Callable[..., None], locale: str, installed: list[str], face: str | None
) -> None:
    fontconfig(*installed)
    stack = fonts.font_stack(locale)
    assert stack == (f'"{face}", "Noto Sans", sans-serif' if face else '"Noto Sans", sans-serif')
    assert (fonts.font_problem(locale) is None) == (face is not None)


def test_without_fonts_the_problem_names_the_script_and_the_package(fontconfig: Callable[..., None]) -> None:
    fontconfig()  # a configuration with no font folder at all
    assert fonts.font_problem("gu") == (
        "no installed font covers Gujarati (script Gujr) for locale 'gu' (Gujarati): "
        "install the Debian package fonts-noto-core (apt-get install fonts-noto-core)"
    )
    assert fonts.font_problem("he") == (
        "no installed font covers Hebrew (script Hebr) for locale 'he' (Hebrew): "
        "install the Debian package fonts-noto-core (apt-get install fonts-noto-core)"
    )
    assert fonts.font_problem("zh_Hant") == (
        "Noto Sans CJK TC, the face for Traditional Han (script Hant), is not installed for locale "
        "'zh_Hant' (Chinese): install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)"
    )
    assert fonts.font_problem("ru") == (
        "Noto Sans, the face for Cyrillic (script Cyrl), is not installed for locale 'ru' (Russian): "
        "install the Debian package fonts-noto-core (apt-get install fonts-noto-core)"
    )
    assert fonts.font_stack("gu") == '"Noto Sans", sans-serif'
    assert fonts.font_stack("ja") == '"Noto Sans CJK JP", "Noto Sans", sans-serif'  # named: no lookup


def test_the_cjk_faces_alone_leave_other_scripts_a_problem(fontconfig: Callable[..., None]) -> None:
    fontconfig("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR")
    assert [fonts.font_problem(loc) for loc in ("zh_Hans", "zh_Hant", "ja", "ko")] == [None] * 4
    assert "fonts-noto-core" in (fonts.font_problem("am") or "")


@pytest.fixture
def fc_list_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A file that gets a line each time anything runs fc-list (which still answers)."""
    calls = tmp_path / "fc-list-calls"
    real = shutil.which("fc-list")
    assert real
    spy = tmp_path / "bin" / "fc-list"
    spy.parent.mkdir()
    spy.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{real}" "$@"\n')
    spy.chmod(0o755)
    monkeypatch.setenv("PATH", f"{spy.parent}{os.pathsep}{os.environ['PATH']}")
    fonts.clear_cache()
    yield calls
    fonts.clear_cache()


@pytest.mark.slow
def test_fonts_are_looked_up_on_first_use_only(fc_list_calls: Path) -> None:
    code = (
        "from ldn_i18n.languages import language; from ldn_i18n import fonts; "
        "assert language('gu').script == 'Gujr'; import pathlib, sys; "
        "print(pathlib.Path(sys.argv[1]).exists()); "
        "print(fonts.font_stack('gu')); print(fonts.font_stack('hi'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fc_list_calls)], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [
        "False",  # importing, and every other fact of the language, runs no fc-list
        '"Noto Sans Gujarati", "Noto Sans", sans-serif',
        '"Noto Sans Devanagari", "Noto Sans", sans-serif',
    ]
    assert len(fc_list_calls.read_text().splitlines()) == 1  # once per process


def test_a_build_with_nothing_to_do_runs_no_fc_list(scripts_built: Project, fc_list_calls: Path) -> None:
    report = build(scripts_built, formats=("html", "pdf"))
    assert not report.failed and report.results
    assert not fc_list_calls.exists()


@pytest.mark.slow
def test_update_names_the_package_when_no_installed_font_prints_the_script(
    project: Project, tmp_path: Path
) -> None:
    """`ldn-i18n update --locale gu` on a machine whose fonts do not cover Gujarati says what to install."""
    empty = tmp_path / "no-fonts.conf"
    empty.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "c"}</cachedir></fontconfig>\n'
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(empty)}
    run_cli(project, "extract", check=0)
    result = run_cli(project, "update", "--locale", "gu", check=0, via="module", env=env)
    assert (
        "warning: no installed font covers Gujarati (script Gujr) for locale 'gu' (Gujarati): "
        "install the Debian package fonts-noto-core (apt-get install fonts-noto-core)"
    ) in result.err.splitlines()
    assert project.po_path("gu", "ldn-overview").is_file()  # the catalogs are made all the same
    fine = run_cli(project, "update", "--locale", "gu", check=0, via="module")  # the real fonts
    assert "warning" not in fine.err


@pytest.mark.parametrize(
    ("locale", "installed", "face"),
    [
        ("ar", ["Noto Naskh Arabic", "DejaVu Sans"], "DejaVu Sans"),  # a sans face before any face
        ("he", ["Noto Serif Hebrew", "Noto Rashi Hebrew", "DejaVu Sans"], "DejaVu Sans"),
        ("ur", ["Noto Nastaliq Urdu", "DejaVu Sans"], "DejaVu Sans"),
        ("fa", ["Noto Nastaliq Urdu", "Noto Naskh Arabic", "DejaVu Sans"], "DejaVu Sans"),
    ],
)
def test_a_face_not_designed_for_the_script_prints_it_with_a_warning(
    fontconfig: Callable[..., None], locale: str, installed: list[str], face: str
) -> None:
    """Urdu and Persian without Noto Sans Arabic fell back to DejaVu Sans mixed with Noto Nastaliq
    Urdu (overlapping glyphs) and nothing was said: the face prints, and the problem says so."""
    fontconfig(*installed)
    assert fonts.font_stack(locale) == f'"{face}", "Noto Sans", sans-serif'
    problem = fonts.font_problem(locale) or ""
    script = "Hebrew" if locale == "he" else "Arabic"
    assert problem.startswith(f"Noto Sans {script}, the face designed for {script} (script ")
    assert f"{face} would print it" in problem
    assert problem.endswith("install the Debian package fonts-noto-core (apt-get install fonts-noto-core)")
