"""The notice's taglines laid out once per kind of page (ldn_i18n.taglines): every edition's PDF
is byte for byte the PDF of its page laid out whole, and a page where sharing is not sure is
laid out whole."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ldn_i18n import taglines
from ldn_i18n.editions import build
from ldn_i18n.notice import ANCHOR
from ldn_i18n.pdf import render_pdf
from ldn_i18n.project import Project, load_project
from ldn_i18n.references import single_link_citations
from ldn_i18n.render import page_kind
from ldn_i18n.templating import Templates

from .conftest import copy_project, pdf_text, squeezed

pytestmark = pytest.mark.slow


@pytest.fixture
def grafts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each page asked to share the taglines got them (True) or was laid out whole."""
    seen: list[bool] = []
    original = taglines.lay_out

    def spy(render: Callable[[list[Any]], Any], shared: taglines.SharedTaglines) -> Any:
        document = original(render, shared)
        seen.append(document is not None)
        return document

    monkeypatch.setattr(taglines, "lay_out", spy)
    monkeypatch.setattr(taglines, "_SHARED", {})
    yield seen


def printed_pages(project: Project) -> dict[str, str]:
    """Each regular edition's page as its PDF is printed from it (RTL citations split)."""
    pages = {}
    for path in sorted(project.dist_dir.glob("*/ldn-overview.html")):
        html = path.read_text(encoding="utf-8")
        pages[path.parent.name] = single_link_citations(html) if 'dir="rtl"' in html[:400] else html
    return pages


def pdf_of(project: Project, lang: str, html: str, kind: str | None) -> bytes:
    folder = project.dist_dir / lang
    return render_pdf(html, folder, project.root, lang, project.templates, ANCHOR, kind).data


def test_every_edition_prints_the_pdf_its_page_laid_out_whole_gives(
    built: Project, grafts: list[bool]
) -> None:
    pages = printed_pages(built)
    assert {"en", "es", "ar", "zh-Hans", "vi", "ht", "pt-BR", "en-XA"} <= set(
        pages
    )  # every script and direction
    kind = page_kind("regular", built.load_clinic())
    for lang, html in pages.items():
        assert pdf_of(built, lang, html, kind) == pdf_of(built, lang, html, None), lang
    assert grafts == [True] * len(pages)  # each one shared the layout, none fell back to its own
    assert len(taglines._SHARED) == 1  # one layout of the taglines for every edition


def test_a_list_pushed_off_its_headings_page_is_laid_out_whole(built: Project, grafts: list[bool]) -> None:
    html = printed_pages(built)["es"]
    kind = page_kind("regular", built.load_clinic())
    pdf_of(built, "es", html, kind)  # the taglines laid out, as the editions share them
    # Ten more lines under the notice's heading: the list no longer fits on its page.
    note = '<p class="drafts" lang="en" dir="ltr">An extra line above the taglines.</p>'
    pushed = html.replace('<ul class="taglines">', note * 10 + '<ul class="taglines">', 1)
    shared, whole = pdf_of(built, "es", pushed, kind), pdf_of(built, "es", pushed, None)
    assert grafts == [True, False]
    assert shared == whole
    path = built.root / "pushed.pdf"
    path.write_bytes(shared)
    text = squeezed(pdf_text(path))
    for tagline in ("ATTENTION: Free language assistance", "ATENCIÓN: si habla español"):
        assert squeezed(tagline) in text


def test_the_large_print_lays_out_its_longer_list_in_each_page(built: Project, grafts: list[bool]) -> None:
    """In 18 pt the taglines take more than a page: the large print cannot share them."""
    from ldn_i18n.editions.make import Shared
    from ldn_i18n.editions.preview import lay_out_taglines

    clinic = built.load_clinic()
    html = printed_pages(built)["es"]
    regular = taglines.taglines_key(html, page_kind("regular", clinic))
    lay_out_taglines(Shared(built, release=False), "es", "ldn-overview", {"pdf", "large"})
    assert regular is not None and taglines._SHARED[regular] is not None
    assert [shared for key, shared in taglines._SHARED.items() if key != regular] == [None]


def test_a_clinics_own_page_styles_turn_sharing_off(tmp_path: Path) -> None:
    package = Templates((Path(taglines.__file__).parent.parent / "templates",))
    own = tmp_path / "templates"
    own.mkdir()
    clinic = Templates((own, *package.folders))
    assert taglines.shareable(package)
    assert taglines.shareable(clinic)  # no override at all
    shutil.copy(package.path("handout.css.j2"), own / "handout.css.j2")
    assert taglines.shareable(clinic)  # a copy of the package's styles changes nothing
    with (own / "handout.css.j2").open("a", encoding="utf-8") as css:
        css.write(":lang(es) .notice li { font-size: 14pt; }\n")
    assert not taglines.shareable(clinic)  # the notice may differ edition by edition now


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_lays_the_taglines_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """On one process, or in the parent before two workers fork: never once per edition."""

    project = copy_project(tmp_path / "project")
    log = tmp_path / "laid-out"  # a file: the workers' calls count too
    original = taglines._alone

    def counted(render: Callable[[list[Any]], Any]) -> Any:
        with log.open("a") as out:
            out.write("x")
        return original(render)

    monkeypatch.setattr(taglines, "_alone", counted)
    monkeypatch.setattr(taglines, "_SHARED", {})
    report = build(load_project(project.root), formats=("pdf",), jobs=jobs)
    assert not report.failed, report.summary()
    assert sum(1 for r in report.results if r.pages) >= 7
    assert log.read_text() == "x"


def test_a_font_is_subset_once_for_the_same_glyphs_and_the_pdf_is_the_same(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notice's faces are the same subset in every edition: made once, the bytes unchanged."""
    from weasyprint.pdf import fonts

    from ldn_i18n import pdf

    made: list[str] = []
    original = fonts.Font._harfbuzz_subset

    def counted(self: Any, to_unicode: Any, hinting: bool) -> None:  # WeasyPrint's parameters
        made.append(self.family)
        original(self, to_unicode, hinting)

    monkeypatch.setattr(fonts.Font, "_harfbuzz_subset", counted)
    monkeypatch.setattr(pdf, "_SUBSETS", {})
    monkeypatch.setattr(pdf, "_FILES", {})
    pages = printed_pages(built)
    first = pdf_of(built, "es", pages["es"], None)
    subsets_of_es = len(made)
    assert subsets_of_es >= 10  # a face per script of the notice, and the handout's own
    pdf_of(built, "vi", pages["vi"], None)
    assert 0 < len(made) - subsets_of_es < subsets_of_es  # the notice's faces were not subset again
    made.clear()
    assert pdf_of(built, "es", pages["es"], None) == first
    assert made == []  # every face of the Spanish edition reused
