"""The workbench in a real browser: Debian's Chromium driven by Playwright against `ldn-i18n serve`
started in-process on a loopback port; axe-core on every page; a translator's and a reviewer's walk."""

from __future__ import annotations

import io
import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review.signoff import load_records, review_state

from .conftest import edit_catalog, needs_chromium, run_cli, signer_args

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)
pytestmark = needs_chromium
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DOSE = "de 1,5 a 4,5 mg al día"
WAIT = 20_000  # ms: the longest a page may take to show a change


@pytest.fixture
def server(small: Project) -> Iterator[str]:
    """The workbench of a throw-away project; its printed URL (with the token)."""
    from ldn_i18n.serve import serve, stop

    out, ready = io.StringIO(), threading.Event()
    args = (small, "127.0.0.1", 0, False, out, ready, False)
    # The reviewer of these walks, listed in source/reviewers; the workbench signs with her key.
    key = Path(signer_args(small, "Siobhán O'Neill <siobhan@example.org>", "CoreCHI-P, Spanish")[3])
    thread = threading.Thread(target=serve, args=args, kwargs={"key": key}, daemon=True)
    thread.start()
    try:
        assert ready.wait(30), "the workbench did not start"
        yield out.getvalue().splitlines()[0]
    finally:
        stop()
        thread.join(15)


def api(url: str, path: str) -> dict:  # type: ignore[type-arg]
    base, token = url.split("/?token=")
    request = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]


def open_workbench(chromium, url: str, path: str):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url, wait_until="load")  # the token becomes the cookie
    page.goto(url.split("/?token=")[0] + path, wait_until="load")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    found = axe_playwright.Axe().run(page, options=options).response["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']]}" for v in found]


PAGES = [
    "/",
    "/catalogs/es/ldn-overview",
    "/catalogs/ar/ldn-overview",
    "/catalogs/es/templates",
    "/catalogs/es/notice",
    "/review/es",
    "/review/ar",
    "/staff",
    "/guide/reviewers",
]


def test_every_workbench_page_has_no_axe_violations(chromium, server: str) -> None:  # type: ignore[no-untyped-def]
    found = {}
    for path in PAGES:
        page = open_workbench(chromium, server, path)
        assert page.title() and "Refused" not in page.title() and "Not found" not in page.title(), path
        found[path] = violations(page)
        assert not page.errors, (path, page.errors)
        page.context.close()
    assert found == {path: [] for path in PAGES}


def test_a_translator_sees_the_finding_fixes_it_saves_and_the_preview_and_a_poedit_save_show(  # type: ignore[no-untyped-def]
    chromium, server: str, small: Project
) -> None:
    rows = api(server, "/api/catalogs/es/ldn-overview")["messages"]
    row = next(r for r in rows if DOSE in r["msgstr"])
    other = next(r for r in rows if r["key"] != row["key"] and r["msgstr"] and r["number"] > 2)
    page = open_workbench(chromium, server, "/catalogs/es/ldn-overview")
    box = page.locator(f"#t-{row['key']}-0")
    findings = page.locator(f"#findings-{row['key']}")
    box.fill(row["msgstr"].replace("4,5 mg", "45 mg"))  # a wrong dose
    findings.locator('[data-code="numbers"]').first.wait_for(timeout=WAIT)
    fixed = row["msgstr"].replace("Cuando", "Atención: cuando")
    box.fill(fixed)
    findings.get_by_text("No finding in what you typed").wait_for(timeout=WAIT)
    page.locator(f"#row-{row['key']}").get_by_role("button", name=f"Save row {row['number']}").click()
    page.locator(f"#row-{row['key']} .saved").wait_for(timeout=WAIT)
    assert fixed in {m.string for m in read_catalog(small.po_path("es", "ldn-overview"), "es")}
    page.frame_locator("#preview").get_by_text("Atención: cuando", exact=False).wait_for(timeout=WAIT)

    edit_catalog(small.po_path("es", "ldn-overview"), other["msgid"], msgstr=other["msgstr"] + " (Poedit)")
    page.wait_for_function(
        "([id, text]) => document.getElementById(id) && document.getElementById(id).value.endsWith(text)",
        arg=[f"t-{other['key']}-0", " (Poedit)"],
        timeout=WAIT,
    )
    assert not page.errors, page.errors


def test_a_reviewer_accepts_every_row_but_one_comments_on_it_and_the_cli_sees_it(  # type: ignore[no-untyped-def]
    chromium, server: str, small: Project
) -> None:
    rows = api(server, "/api/catalogs/es/ldn-overview")["messages"]
    held = rows[-1]
    page = open_workbench(chromium, server, "/review/es")
    accepts = page.locator('input[type="radio"][value="accept"]')
    assert accepts.count() > len(rows) and page.locator('input[value="accept"][disabled]').count() == 0
    for index in range(accepts.count()):
        radio = accepts.nth(index)
        if radio.get_attribute("name") != f"decision-ldn-overview-{held['key']}":
            radio.check()
    page.locator(f"#c-{held['key']}").check()
    page.locator(f"#m-{held['key']}").fill("Please say «consulte a su médico» here")
    page.get_by_label("Your name").fill("Siobhán O'Neill")
    page.get_by_label("Your email").fill("siobhan@example.org")
    page.get_by_label("Your credential (e.g. CoreCHI-P, Spanish)").fill("CoreCHI-P, Spanish")
    page.get_by_role("button", name="Record my decisions").click()
    page.locator("#results-title").wait_for(timeout=WAIT)
    assert violations(page) == []

    po = small.po_path("es", "ldn-overview")
    records = load_records(small, "es", "ldn-overview")
    state = review_state(read_catalog(po, "es"), records)
    assert (state.signed, state.pending) == (len(rows) - 1, 1)
    assert {r.reviewer for r in records.values()} == {"Siobhán O'Neill <siobhan@example.org>"}
    status = run_cli(small, "status")
    line = next(x for x in status.out.splitlines() if x.split()[:2] == ["es", "ldn-overview"])
    assert f"{len(rows) - 1} of {len(rows)}" in line, line
    templates = next(x for x in status.out.splitlines() if x.split()[:2] == ["es", "templates"])
    assert "reviewed" in templates and "not reviewed" not in templates, templates

    translator = open_workbench(chromium, server, "/catalogs/es/ldn-overview")
    comment = translator.locator(f"#row-{held['key']} .review-comment")
    assert "consulte a su médico" in comment.inner_text()
