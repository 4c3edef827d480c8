"""Each HTML edition in a real browser: Debian's Chromium, driven by Playwright, headless."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ldn_i18n.languages import language
from ldn_i18n.project import Project

from .conftest import needs_chromium
from .test_scripts import LOCALES

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser(chromium) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A context of the shared browser (:func:`~tests.conftest.chromium`) with this module's window."""
    context = chromium.new_context(viewport={"width": 900, "height": 1200})
    yield context
    context.close()


def open_edition(browser, project: Project, locale: str):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith("file:") else None
    )
    path = project.dist_dir / language(locale).tag / "ldn-overview.html"
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


@pytest.mark.parametrize("locale", LOCALES)
def test_edition_loads_cleanly_and_screenshots(browser, built: Project, locale: str) -> None:  # type: ignore[no-untyped-def]
    page, problems = open_edition(browser, built, locale)
    shot = built.dist_dir / "screenshots" / f"{language(locale).tag}.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert page.title() and page.locator("main h1").inner_text().strip()
    assert page.locator(".references li").count() == 9
    assert problems == []
    page.close()


def edges(page, selector: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    box = page.locator(selector).first.bounding_box()
    return box["x"], box["x"] + box["width"]


@pytest.mark.parametrize(("locale", "direction"), [("ar", "rtl"), ("en", "ltr"), ("zh_Hans", "ltr")])
def test_text_aligns_with_the_reading_direction(browser, built: Project, locale: str, direction: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = open_edition(browser, built, locale)
    assert page.evaluate("getComputedStyle(document.querySelector('main p')).direction") == direction
    main_left, main_right = edges(page, "main")
    # A heading's text hugs the start side: measure the text itself with a Range.
    left, right = page.evaluate("""() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('main h2'));
        const r = range.getBoundingClientRect();
        return [r.left, r.right];
    }""")
    if direction == "rtl":
        assert abs(right - main_right) < 2 and left > main_left + 50
        ref_dir = page.evaluate("getComputedStyle(document.querySelector('.references li')).direction")
        assert ref_dir == "ltr"  # English titles and DOIs inside the RTL page
    else:
        assert abs(left - main_left) < 2 and right < main_right - 50
    page.close()


#: The face each script's tagline must be drawn with in the browser, as Chromium names it.
NOTICE_FACES = {
    "ar": "Noto Sans Arabic",
    "zh-Hant": "Noto Sans CJK TC",
    "ko": "Noto Sans CJK KR",
    "gu": "Noto Sans Gujarati",
    "th": "Noto Sans Thai",
    "ru": "Noto Sans",
    "vi": "Noto Sans",
}


def test_the_notice_page_draws_every_tagline_in_its_scripts_face(browser, built: Project) -> None:  # type: ignore[no-untyped-def]
    """Chromium's own account (DevTools CSS.getPlatformFontsForNode) of the fonts each tagline used."""
    page = browser.new_page()
    page.goto((built.dist_dir / "notice.html").as_uri(), wait_until="load")
    shot = built.dist_dir / "screenshots" / "notice.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    seen = {}
    for lang, face in NOTICE_FACES.items():
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'li[lang="{lang}"]'})["nodeId"]
        assert node, lang
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = {font["familyName"] for font in used}
        seen[lang] = families
        assert face in families, (lang, families)
        assert not any("Serif" in family or "DejaVu" in family for family in families), (lang, families)
    assert page.locator('li[lang="ar"]').get_attribute("dir") == "rtl"
    align = page.evaluate("getComputedStyle(document.querySelector('li[lang=\"ar\"]')).direction")
    assert align == "rtl"
    page.close()
