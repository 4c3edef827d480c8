"""WCAG 2.1 AA for every page the build writes: axe-core in Debian's Chromium, reflow, keyboard, language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ldn_i18n.languages import language
from ldn_i18n.project import Project

from .conftest import (
    copy_project,
    edit_catalog,
    needs_chromium,
    pdf_text,
    releasable,
    run_cli,
    signer_args,
)
from .test_scripts import LOCALES

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)
pytestmark = needs_chromium
#: The issue's rule sets: WCAG 2.0 and 2.1, A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGES = [*(language(locale).tag for locale in LOCALES), "index", "notice", "status", "review-pack", "record"]
#: A 320 CSS px phone, and a 1280 px screen at 200% zoom (640 CSS px at twice the pixels).
VIEWPORTS = {"320px": ({"width": 320, "height": 720}, 1), "200%": ({"width": 640, "height": 800}, 2)}


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy whose Spanish edition is signed off and released: status, record and review pack pages."""
    project = copy_project(tmp_path_factory.mktemp("released") / "project")
    releasable(project)
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)
    run_cli(project, "status", check=0)
    run_cli(project, "review-pack", "--locale", "es", "--all", check=0)
    return project


@pytest.fixture(scope="module")
def pages(built: Project, released: Project) -> dict[str, Path]:
    found = {
        language(locale).tag: built.dist_dir / language(locale).tag / "ldn-overview.html"
        for locale in LOCALES
    }
    found["index"] = built.dist_dir / "index.html"
    found["notice"] = built.dist_dir / "notice.html"
    found["status"] = released.dist_dir / "status.html"
    found["review-pack"] = released.dist_dir / "review" / "es" / "ldn-overview.html"
    found["record"] = next((released.root / "records" / "es" / "ldn-overview").glob("*.html"))
    assert all(path.is_file() for path in found.values()), found
    return found


def open_page(chromium, path: Path, viewport: dict[str, int] | None = None, scale: int = 1):  # type: ignore[no-untyped-def]
    context = chromium.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, device_scale_factor=scale
    )
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return page


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = axe_playwright.Axe().run(page, options=options).response["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']]}" for v in found]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(chromium, pages: dict[str, Path], name: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(chromium, pages[name])
    assert violations(page) == []
    page.context.close()


@pytest.mark.parametrize("zoom", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_reflows_without_horizontal_scrolling(  # type: ignore[no-untyped-def]
    chromium, pages: dict[str, Path], name: str, zoom: str, tmp_path: Path
) -> None:
    viewport, scale = VIEWPORTS[zoom]
    page = open_page(chromium, pages[name], viewport, scale)
    shot = tmp_path / f"{name}-{zoom}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name} is {width} CSS px wide at {zoom}: scrolls sideways"
    page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("locale", "group", "single"),
    [
        ("en", "references 1 to 3", "reference 3"),
        ("es", "referencias 1 a 3", "referencia 3"),
        ("ar", "المراجع من 1 إلى 3", "المرجع 3"),
        ("zh_Hans", "参考文献 1 至 3", "参考文献 3"),
    ],
)
def test_citation_links_say_what_they_are_in_the_page_language(  # type: ignore[no-untyped-def]
    chromium, built: Project, locale: str, group: str, single: str
) -> None:
    path = built.dist_dir / language(locale).tag / "ldn-overview.html"
    page = open_page(chromium, path)
    assert page.get_by_role("link", name=group, exact=True).first.get_attribute("href") == "#ref-1"
    assert page.get_by_role("link", name=single, exact=True).count() >= 1
    names = page.eval_on_selector_all("sup.cite a", "links => links.map(a => a.getAttribute('aria-label'))")
    assert names and all(name and re.search(r"\d", name) for name in names)
    page.context.close()
    # The names are attributes: nothing of them reaches the printed PDF.
    assert group not in pdf_text(path.with_suffix(".pdf")) and single not in pdf_text(
        path.with_suffix(".pdf")
    )


def test_skip_link_comes_first_shows_on_focus_and_leads_to_the_handout(chromium, built: Project) -> None:  # type: ignore[no-untyped-def]
    page = open_page(chromium, built.dist_dir / "es" / "ldn-overview.html")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0  # out of sight until the keyboard reaches it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.inner_text() == "Ir al contenido principal" and skip.bounding_box()["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#draft"  # a draft: its notice is the first thing read
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert focused[0] != "none" and focused[1] >= 2
    page.context.close()


def contrast(page, selector: str, prop: str) -> float:  # type: ignore[no-untyped-def]
    """WCAG contrast ratio of ``prop``'s colour of ``selector`` against the page's white."""
    rgb = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).{prop}")
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_language_changes_are_marked_and_the_untranslated_marking_has_contrast(  # type: ignore[no-untyped-def]
    chromium, project: Project
) -> None:
    edit_catalog(  # the title and a paragraph with citations lose their translation
        project.po_path("es", "ldn-overview"),
        lambda m: str(m.id) == "Low-Dose Naltrexone Overview" or "When used at low doses" in str(m.id),
        msgstr="",
    )
    run_cli(project, "build", "--format", "html", check=0)
    page = open_page(chromium, project.dist_dir / "es" / "ldn-overview.html")
    assert page.evaluate("document.documentElement.lang") == "es"
    fallback = page.locator(".untranslated")
    assert fallback.count() == 2 and page.locator("h1.untranslated[lang=en]").count() == 1
    assert all(lang == "en" for lang in page.eval_on_selector_all(".untranslated", "e => e.map(x => x.lang)"))
    assert all(
        lang == "en" for lang in page.eval_on_selector_all(".references li", "e => e.map(x => x.lang)")
    )
    others = page.eval_on_selector_all("nav.editions a", "e => e.map(a => [a.lang, a.hreflang])")
    assert others and all(lang and lang == hreflang for lang, hreflang in others)
    assert page.locator("aside.draft span[lang=en]").inner_text() == "DRAFT"
    assert contrast(page, ".untranslated", "borderInlineStartColor") >= 3  # a graphic: WCAG 1.4.11
    assert (
        contrast(page, "aside.draft", "color") >= 4.5 and contrast(page, "aside.draft", "borderTopColor") >= 3
    )
    assert violations(page) == []
    page.context.close()


def test_printing_the_web_page_gives_a_readable_page(chromium, built: Project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(chromium, built.dist_dir / "es" / "ldn-overview.html")
    printed = tmp_path / "printed.pdf"
    page.pdf(path=str(printed), format="Letter")
    page.context.close()
    text = pdf_text(printed)
    assert "Información general sobre la naltrexona en dosis bajas" in text
    assert "Referencias" in text and "DRAFT" in text
    assert "Ir al contenido principal" not in text and "También disponible en" not in text  # screen only
    from pypdf import PdfReader

    assert 1 <= len(PdfReader(printed).pages) <= 4
