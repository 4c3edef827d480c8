"""The bilingual edition (issue 20): ``build --format bilingual`` writes ``<handout>.bilingual.html``
and ``.pdf``, English and the language block by block; the Spanish and Arabic PDFs are read back
(text, and each block's ``/Lang`` in the structure tree)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ldn_i18n.bilingual import layout_of, page_budget
from ldn_i18n.editions import build, default_formats
from ldn_i18n.errors import LdnError
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.source import read_handout

from .conftest import copy_project, needs_chromium, printed, releasable, run_cli, signer_args, squeezed
from .pages import classes, read_page, text_of
from .test_pdfua import Element, pdfua_checker, read_tagged  # noqa: F401  (a fixture)
from .test_taglines import grafts  # noqa: F401  (a fixture)

FORMATS = ("html", "pdf", "bilingual")
SLUG = "ldn-overview"


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """English, Spanish and Arabic built with the bilingual format; the handout allows its bilingual
    edition 2 pages before the notice (``bilingual-pages: 2``), one fewer than it takes."""
    project = copy_project(tmp_path_factory.mktemp("bilingual") / "project")
    source = project.handouts_dir / f"{SLUG}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("pages: 2\n", "pages: 2\nbilingual-pages: 2\n"), encoding="utf-8")
    report = build(project, ["en", "es", "ar"], FORMATS)
    assert not report.failed, report.summary()
    return project


def _messages(project: Project, locale: str) -> list[tuple[str, str]]:
    catalog = read_catalog(project.po_path(locale, SLUG), locale)
    return [(str(m.id), str(m.string)) for m in catalog if m.id and m.string and not m.fuzzy]


def _words(text: str) -> str:
    """Text squeezed, without quotation marks (each language prints its own)."""
    return re.sub(r"[«»“”„\"'‘’]", "", squeezed(text))


def _blocks(root: Element, lang: str) -> list[str]:
    """The text of each structure element that says it is in ``lang`` (its own ``/Lang``), in order."""
    return [_words(e.full_text()) for e in root.walk() if e.lang == lang]


@pytest.mark.slow
def test_files_of_each_translation_and_none_for_english(bilingual: Project) -> None:
    dist = bilingual.dist_dir
    for lang in ("es", "ar"):
        assert (dist / lang / f"{SLUG}.bilingual.html").is_file()
        assert (dist / lang / f"{SLUG}.bilingual.pdf").read_bytes().startswith(b"%PDF")
    assert not list((dist / "en").glob("*.bilingual.*"))
    record = json.loads((dist / "editions.json").read_text(encoding="utf-8"))["editions"]
    assert record[f"es/{SLUG}"]["bilingual_pages"] == 4
    # The page budget: bilingual-pages: 2 in the front matter, reported like the others.
    warning = "bilingual: 3 pages before the language-assistance notice; the handout allows 2"
    assert warning in " ".join(record[f"es/{SLUG}"]["warnings"])


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_pdf_reads_back_each_block_in_english_then_the_language_each_tagged(
    bilingual: Project, lang: str
) -> None:
    tagged = read_tagged(bilingual.dist_dir / lang / f"{SLUG}.bilingual.pdf")
    assert str(tagged.pdf.Root.Lang) == lang
    english, translated = _blocks(tagged.root, "en"), _blocks(tagged.root, lang)
    pairs = _messages(bilingual, lang)
    assert len(pairs) == 20
    for msgid, msgstr in pairs:
        ours, theirs = _words(printed(msgid)), _words(printed(msgstr))
        assert any(ours[:60] in text for text in english), msgid  # an element of its own, /Lang en
        assert any(theirs[:12] in text for text in translated), msgstr  # /Lang es or ar
    # Reading order: each block in English, then the same block in the language.
    order = [(e.lang, _words(e.full_text())) for e in tagged.root.walk() if e.lang in ("en", lang)]
    blocks = [(tag, t) for tag, t in order if t and not t.startswith("DRAFT")]
    title = _words(printed(pairs[0][0]))
    first_en = next(i for i, (tag, t) in enumerate(blocks) if tag == "en" and title in t)
    assert blocks[first_en + 1][0] == lang and _words(printed(pairs[0][1]))[:12] in blocks[first_en + 1][1]


def test_rtl_page_is_mirrored_and_every_block_has_its_lang_and_dir(bilingual: Project) -> None:
    page = (bilingual.dist_dir / "ar" / f"{SLUG}.bilingual.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<body class="layout-columns">' in page
    assert page.count('class="block english" lang="en" dir="ltr"') == 20
    assert page.count('class="block" lang="ar" dir="rtl"') == 20
    assert '[dir="rtl"] .pair > .english { grid-column: 2; }' in page  # English on the right


def test_header_references_and_notice_once_and_the_draft_in_both_languages(bilingual: Project) -> None:
    page = (bilingual.dist_dir / "es" / f"{SLUG}.bilingual.html").read_text(encoding="utf-8")
    assert page.count('<header class="clinic">') == 1
    assert page.count('<section class="references"') == 1
    assert page.count('id="ref-1"') == 1
    assert page.count("ATTENTION: Free language assistance services") == 1
    [draft] = [text_of(aside) for aside in read_page(page).iter("aside") if "draft" in classes(aside)]
    assert "translation not yet reviewed by a qualified medical translator" in draft
    assert "traducción aún no revisada por un traductor médico calificado" in draft
    tagged = read_tagged(bilingual.dist_dir / "es" / f"{SLUG}.bilingual.pdf")
    margin = squeezed(" ".join(text for page in tagged.artifacts for _, text in page))
    assert (
        squeezed("translation not yet reviewed") in margin
        and squeezed("traducción aún no revisada") in margin
    )


def test_index_and_edition_link_it_labelled_in_both_languages(bilingual: Project) -> None:
    index = (bilingual.dist_dir / "index.html").read_text(encoding="utf-8")
    label = '<span lang="en" dir="ltr">English</span> + Español'
    assert f'<a href="es/{SLUG}.bilingual.html" hreflang="es">{label}</a>' in index
    pdf = f'<a href="es/{SLUG}.bilingual.pdf" hreflang="es" type="application/pdf">{label} (PDF)</a>'
    assert pdf in index
    edition = (bilingual.dist_dir / "es" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert f'<a href="../es/{SLUG}.bilingual.html" hreflang="es">{label}</a>' in edition
    assert "bilingual" not in (bilingual.dist_dir / "en" / f"{SLUG}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_pdfua_checker_finds_nothing(bilingual: Project, lang: str, pdfua_checker: Any) -> None:  # noqa: F811
    report = pdfua_checker(str(bilingual.dist_dir / lang / f"{SLUG}.bilingual.pdf"))
    assert [(f.rule_id, f.message) for f in report.findings] == []


@needs_chromium
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_no_axe_violations(chromium: Any, bilingual: Project, lang: str) -> None:
    from .test_accessibility import open_page, violations

    page = open_page(chromium, bilingual.dist_dir / lang / f"{SLUG}.bilingual.html")
    assert violations(page) == []
    page.context.close()


@pytest.mark.slow
def test_a_release_ships_only_the_bilingual_editions_of_what_it_releases(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    releasable(project)
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    result = run_cli(project, "build", "--release", "--locale", "es", "--locale", "ar", "--format=bilingual")
    assert result.code == 1  # the Arabic draft is not released
    assert (project.dist_dir / "es" / f"{SLUG}.bilingual.pdf").is_file()
    assert (project.dist_dir / "es" / f"{SLUG}.bilingual.html").is_file()
    assert not (project.dist_dir / "ar").exists()
    page = (project.dist_dir / "es" / f"{SLUG}.bilingual.html").read_text(encoding="utf-8")
    assert 'class="draft"' not in page


def test_default_formats_follow_the_clinic_file(project: Project) -> None:
    assert default_formats(project) == ("html", "pdf", "large")
    clinic = project.clinic_path
    clinic.write_text(clinic.read_text(encoding="utf-8") + "bilingual: true\n", encoding="utf-8")
    assert default_formats(project) == ("html", "pdf", "large", "bilingual")
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(text.replace("bilingual: true", "bilingual: often"), encoding="utf-8")
    wrong = r"clinic.yaml:\d+: error: `bilingual:` must be true or false; got 'often'"
    with pytest.raises(LdnError, match=wrong):
        project.load_clinic()
    assert "bilingual" in run_cli(project, "build", "--help", check=0).out


def test_page_budget_is_twice_the_handouts_and_one_unless_it_says(project: Project) -> None:
    handout = read_handout(project.handouts_dir / f"{SLUG}.md")
    assert page_budget(handout.pages, handout.meta) == 5
    assert page_budget(2, {"bilingual-pages": 3}) == 3
    bad = project.handouts_dir / "bad.md"
    bad.write_text("---\ntitle: Bad\nbilingual-pages: 0\n---\n\nText.\n", encoding="utf-8")
    wrong = r"bad.md:3: error: front matter `bilingual-pages:` must be a whole number"
    with pytest.raises(LdnError, match=wrong):
        read_handout(bad)


def test_layout_rule() -> None:
    assert [layout_of(s) for s in ("Latn", "Arab", "Hans", "Cyrl", "Hang")] == ["columns"] * 5
    assert [layout_of(s) for s in ("Thai", "Gujr", "Deva")] == ["alternating"] * 3


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_bilingual_pdf_shares_the_taglines_and_is_the_page_laid_out_whole(
    bilingual: Project,
    lang: str,
    grafts: list[bool],  # noqa: F811  (the fixture imported above)
) -> None:
    """The bilingual pages share one layout of the notice's taglines (ldn_i18n.taglines), and
    print the same bytes as the page laid out whole."""
    from ldn_i18n.notice import ANCHOR
    from ldn_i18n.pdf import render_pdf
    from ldn_i18n.references import printed_page
    from ldn_i18n.render import page_kind

    html = (bilingual.dist_dir / lang / f"{SLUG}.bilingual.html").read_text(encoding="utf-8")
    html = printed_page(html, "rtl" if lang == "ar" else "ltr")
    kind = page_kind("bilingual", bilingual.load_clinic())

    def pdf(kind: str | None) -> bytes:
        return render_pdf(
            html, bilingual.dist_dir / lang, bilingual.root, lang, bilingual.templates, ANCHOR, kind
        ).data

    assert pdf(kind) == pdf(None)
    assert grafts == [True]
