"""dist/index.html, the page a clinic links to: every language by its own name, its files, its drafts."""

from __future__ import annotations

import re
import shutil

import pytest

from ldn_i18n.editions import build, is_test_locale
from ldn_i18n.languages import language
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.pseudo import write_pseudo

from .conftest import needs_chromium, releasable, run_cli, signer_args
from .pages import links, read_page, text_of
from .test_scripts import LOCALES

SLUG = "ldn-overview"
LISTED = [loc for loc in LOCALES if loc != "en_XA"]
REVIEWER = "Ana Pérez <ana.perez@example.org>"


def entries(project: Project) -> list[dict[str, object]]:
    """Each ``<li lang dir>`` of the index: its attributes, its links and its text."""
    index = read_page(project.dist_dir / "index.html")
    listed = [li for li in index.iter("li") if "lang" in li.attrib]
    return [{**li.attrib, "links": links(li), "text": text_of(li)} for li in listed]


def test_each_language_by_its_own_name_with_its_translated_title_and_files(built: Project) -> None:
    page = (built.dist_dir / "index.html").read_text()
    assert "<main>" in page and page.count("<h1>") == 1
    found = {str(entry["lang"]): entry for entry in entries(built)}
    assert list(found) == ["en", "ar", "es", "ht", "pt-BR", "vi", "zh-Hans"]  # English first
    for locale in LISTED:
        lang = language(locale)
        entry = found[lang.tag]
        assert entry["dir"] == lang.direction
        assert str(entry["text"]).startswith(lang.name), entry["text"]
        if locale != "en":
            title = read_catalog(built.po_path(locale, SLUG), locale)["Low-Dose Naltrexone Overview"].string
            assert title in str(entry["text"])
        assert entry["links"] == [
            f"{lang.tag}/{SLUG}.html",
            f"{lang.tag}/{SLUG}.pdf",
            f"{lang.tag}/{SLUG}.large.pdf",
        ]
        for href in entry["links"]:  # type: ignore[attr-defined]
            assert (built.dist_dir / href).is_file(), href
    assert "العربية" in found["ar"]["text"] and "中文 (简体)" in found["zh-Hans"]["text"]
    assert found["ar"]["dir"] == "rtl" and "بخط كبير (PDF)" in str(found["ar"]["text"])
    assert "Letra grande (PDF)" in str(found["es"]["text"])


def test_a_draft_notice_in_each_draft_language(built: Project) -> None:
    found = {str(entry["lang"]): str(entry["text"]) for entry in entries(built)}
    assert "DRAFT" not in found["en"]
    notices = {
        "es": "BORRADOR: traducción aún no revisada por un traductor médico calificado",
        "zh-Hans": "草稿",
        "ar": "مسودة",
    }
    for tag, notice in notices.items():
        assert "DRAFT · " in found[tag] and notice in found[tag], found[tag]
    for locale in LISTED[1:]:
        assert "DRAFT" in found[language(locale).tag], locale


def test_the_pseudo_locale_is_listed_only_when_asked(built: Project) -> None:
    assert is_test_locale("en_XA") and is_test_locale("ar_XB") and is_test_locale("qaa")
    assert not any(is_test_locale(loc) for loc in LISTED) and not is_test_locale("es_419")
    assert (built.dist_dir / "en-XA" / f"{SLUG}.large.pdf").is_file()  # built all the same
    index = (built.dist_dir / "index.html").read_text()
    assert "en-XA" not in index and "pseudo" not in index


@pytest.mark.slow
def test_with_pseudo_lists_it(small: Project) -> None:
    shutil.rmtree(small.locale_dir / "ar")
    write_pseudo(small)
    run_cli(small, "build", "--format", "html", check=0)
    assert [entry["lang"] for entry in entries(small)] == ["en", "es"]
    run_cli(small, "build", "--format", "html", "--with-pseudo", check=0)
    assert [entry["lang"] for entry in entries(small)] == ["en", "en-XA", "es"]


@pytest.mark.slow
def test_a_release_index_lists_released_editions_only(small: Project) -> None:
    releasable(small)
    run_cli(small, "review", "--locale", "es", *signer_args(small, REVIEWER), check=0)
    report = build(small, formats=("html",), release=True)
    assert [r.key for r in report.skipped] == [f"ar/{SLUG}"]
    found = {str(entry["lang"]): str(entry["text"]) for entry in entries(small)}
    assert list(found) == ["en", "es"]
    assert not any("DRAFT" in text for text in found.values())


@needs_chromium
def test_the_index_reads_on_a_phone(built: Project, chromium) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page = chromium.new_page(viewport={"width": 320, "height": 640}, device_scale_factor=2)
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("request", lambda r: problems.append(r.url) if not r.url.startswith("file:") else None)
    page.goto((built.dist_dir / "index.html").as_uri(), wait_until="load")
    shot = built.dist_dir / "screenshots" / "index-320.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= 16
    for link in page.locator("main a").all():  # targets a finger can hit (WCAG 2.5.8: 24 px)
        box = link.bounding_box()
        assert box and box["height"] >= 24, link.inner_text()
    arabic = page.locator('li[lang="ar"] .title a').bounding_box()
    english = page.locator('li[lang="en"] .title a').bounding_box()
    assert arabic and english
    assert arabic["x"] + arabic["width"] > 320 - 20 and english["x"] < 20  # each from its own side
    page.close()
    assert problems == []
    assert re.match(rb"\x89PNG", shot.read_bytes()[:4])
