"""End to end: extract, update, build en and es; the PDFs read back; safety of rendering."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from ldn_i18n.editions import build
from ldn_i18n.errors import LdnError
from ldn_i18n.extract import extract
from ldn_i18n.markup import plain_text
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.update import update

from .conftest import calls_of, copy_project, folded, pdf_text, squeezed


def seed_sentences(seed: str) -> list[str]:
    body = seed.split("Low-Dose Naltrexone Overview", 1)[1].split("\nReferences", 1)[0]
    body = re.sub(r"\^\{[^}]*\}|\*\*|^- ", "", body, flags=re.M)
    return [s.strip() for s in re.split(r"(?<=[.?:]) +|\n+", body) if len(s.strip()) > 25]


def test_english_pdf_has_the_seed_sentences(built: Project, seed_text: str) -> None:
    text = squeezed(pdf_text(built.dist_dir / "en" / "ldn-overview.pdf"))
    # The seed's one pair of straight quotes prints as CLDR's English marks “ ” (issue 13).
    sentences = [s.replace('"off-label,"', "“off-label,”") for s in seed_sentences(seed_text)]
    assert len(sentences) >= 20
    assert not any('"' in sentence for sentence in sentences)
    assert squeezed("it is considered “off-label,” meaning") in text
    for sentence in sentences:
        assert squeezed(sentence) in text, sentence
    assert "Page 1 of 3" in pdf_text(built.dist_dir / "en" / "ldn-overview.pdf")


def test_spanish_pdf_has_the_translation(built: Project) -> None:
    text = folded(pdf_text(built.dist_dir / "es" / "ldn-overview.pdf"))
    catalog = read_catalog(built.po_path("es", "ldn-overview"), "es")
    # The catalog's one pair of straight quotes prints as CLDR's Spanish marks “ ” (issue 13).
    translated = [
        plain_text(m.string).replace('"fuera de indicación"', "“fuera de indicación”")
        for m in catalog
        if m.id and m.string
    ]
    assert len(translated) == 20
    assert not any('"' in sentence for sentence in translated)
    assert "“fuera de indicación”" in text
    for sentence in translated:
        assert squeezed(sentence) in squeezed(text), sentence
    assert "1,5 a 4,5 mg" in text
    assert "Página 1 de 3" in text  # two pages of handout, then the notice
    assert "BORRADOR" in text  # an unreviewed draft says so on the page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_has_clinic_header_and_all_references(built: Project, lang: str) -> None:
    text = squeezed(pdf_text(built.dist_dir / lang / "ldn-overview.pdf"))
    for needle in (
        "8133335080",
        "8137737717",
        "3102WCypressSt",
        "613MedicalCareDr",
        "938CypressVillageBlvd",
        "6310HealthParkWay#130",
        "411CommercialCt",
    ):
        assert needle in text
    library = (built.root / "source" / "references.json").read_text()
    dois = re.findall(r'"DOI": "([^"]+)"', library)
    titles = re.findall(r'"title": "([^"]+)"', library)
    assert len(dois) == 8 and len(titles) == 9
    for doi in dois:
        assert squeezed(f"doi:{doi}") in text
    for title in titles:
        assert squeezed(title.replace("\\", "")) in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_metadata_fonts_and_tags(built: Project, lang: str) -> None:
    reader = PdfReader(built.dist_dir / lang / "ldn-overview.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    title = reader.metadata.title
    assert title == (
        "Low-Dose Naltrexone Overview"
        if lang == "en"
        else "Información general sobre la naltrexona en dosis bajas"
    )
    assert (reader.pages[0].mediabox.width, reader.pages[0].mediabox.height) == (612, 792)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert (
                "/FontFile2" in descendant["/FontDescriptor"] or "/FontFile3" in descendant["/FontDescriptor"]
            )


def test_html_edition(built: Project) -> None:
    page = (built.dist_dir / "es" / "ldn-overview.html").read_text()
    assert '<html lang="es" dir="ltr">' in page
    assert "<title>Información general sobre la naltrexona en dosis bajas</title>" in page
    assert 'href="tel:+18133335080"' in page
    assert page.count('<li id="ref-') == 9
    assert 'href="https://doi.org/10.1002/phar.2086"' in page
    assert (
        '<sup class="cite" dir="ltr"><a href="#ref-1" aria-label="referencias 1 a 3">1</a>-'
        '<a href="#ref-3" aria-label="referencia 3">3</a></sup>'
    ) in page
    assert '<meta name="viewport"' in page and "@media print" in page
    assert 'hreflang="en"' in page and ">English</a>" in page
    index = (built.dist_dir / "index.html").read_text()
    assert '<li lang="es" dir="ltr">' in index and ">Español</p>" in index and ">English</p>" in index


def test_same_input_gives_identical_files(built: Project, tmp_path: Path) -> None:
    again = copy_project(tmp_path / "again", built.root)
    build(again)
    for lang in ("en", "es"):
        for suffix in ("html", "pdf"):
            name = f"{lang}/ldn-overview.{suffix}"
            assert (again.dist_dir / name).read_bytes() == (built.dist_dir / name).read_bytes(), name


def with_es_heading(project: Project, msgstr_line: str) -> Path:
    """The Spanish catalog with "How does LDN work?" translated by ``msgstr_line`` (raw PO text)."""
    extract(project)
    update(project)
    po = project.po_path("es", "ldn-overview")
    po.write_text(po.read_text().replace('msgstr "¿Cómo funciona la LDN?"', msgstr_line))
    return po


@pytest.mark.slow
def test_broken_catalog_fails_only_its_editions(project: Project) -> None:
    po = with_es_heading(project, 'msgstr "¿Cómo funciona')
    report = build(project, ["en", "es"], formats=("html",))
    failed = {r.locale: r.error for r in report.failed}
    assert list(failed) == ["es"]
    assert re.match(
        rf"{re.escape(str(po.relative_to(project.root)))}:\d+: error: malformed catalog", failed["es"]
    )
    assert (project.dist_dir / "en" / "ldn-overview.html").is_file()
    assert not (project.dist_dir / "es").exists()
    assert not list(project.dist_dir.rglob("*.tmp"))


@pytest.mark.slow
def test_hostile_translation_is_inert(project: Project) -> None:
    hostile = (
        "<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }} "
        "[clic](javascript:alert(3)) </style>"
    )
    with_es_heading(project, f'msgstr "{hostile}"')
    build(project, ["en", "es"])
    page = (project.dist_dir / "es" / "ldn-overview.html").read_text()
    assert "<script>" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page  # template syntax in a translation is not evaluated
    text = folded(pdf_text(project.dist_dir / "es" / "ldn-overview.pdf"))
    assert "<script>alert(1)</script>" in text  # shown as text, not run


def test_fetcher_serves_only_what_a_template_writes_inside_the_project(project: Project) -> None:
    from ldn_i18n.guard import Allowances
    from ldn_i18n.pdf import project_fetcher

    written = {
        "../../source/clinic.yaml",
        "data:text/plain,ok",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://x/y",
        "file:///etc/hostname",
        "../../../x",
    }
    allow = Allowances(frozenset(), frozenset(written), False, 0, 0)
    base = (project.dist_dir / "es").as_uri() + "/"
    refused: list[str] = []
    fetcher = project_fetcher(project.root, base, allow, refused)
    assert fetcher.fetch((project.root / "source" / "clinic.yaml").as_uri()).read()
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    for url, reason in (
        ("http://127.0.0.1:9/x.png", "never fetched"),
        ("https://example.org/x.css", "never fetched"),
        ("ftp://x/y", "never fetched"),
        ("file:///etc/hostname", "outside the project"),
        ((project.root / ".." / "x").resolve().as_uri(), "outside the project"),
        ((project.root / "source" / "references.json").as_uri(), "no template writes this URL"),
        ("data:text/plain,other", "no template writes this URL"),
    ):
        with pytest.raises(ValueError, match=reason):
            fetcher.fetch(url)
    assert len(refused) == 7


@pytest.mark.slow
def test_template_that_fetches_outside_fails_the_edition(project: Project) -> None:
    template = project.root / "templates" / "handout.html.j2"
    template.write_text(
        template.read_text().replace("<main>", '<main><img src="file:///etc/hostname" alt="">', 1)
    )
    report = build(project, ["en"], ("pdf",))
    assert report.failed
    assert (
        "error: refused to fetch file:///etc/hostname (the file is outside the project)"
        in report.failed[0].error
    )


@pytest.mark.slow
def test_missing_glyph_fails_the_edition(project: Project) -> None:
    with_es_heading(project, 'msgstr "\U000f0000 ¿Cómo?"')
    report = build(project, ["en", "es"], formats=("pdf",))
    failed = {r.locale: r.error for r in report.failed}
    assert list(failed) == ["es"] and "missing glyphs" in failed["es"]
    assert not (project.dist_dir / "es" / "ldn-overview.pdf").exists()


def test_unknown_citation_key_is_reported_with_line(project: Project) -> None:
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text().replace("[@kim2020; @sikora2019]", "[@kim2020; @nobody]"))
    report = build(project, ["en"], ("html",))
    assert "ldn-overview.md:12: error: citation key @nobody" in report.failed[0].error


@pytest.mark.slow
def test_html_only_build_does_not_import_weasyprint(project: Project) -> None:
    code = (
        "import sys; from ldn_i18n.cli import main; "
        f"rc = main(['--root', {str(project.root)!r}, 'build', '--format', 'html']); "
        "print(rc, 'weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["0", "False"]


def test_unknown_locale_for_build(project: Project) -> None:
    with pytest.raises(LdnError, match="no catalogs for locale 'sv'"):
        build(project, ["sv"])


@pytest.mark.slow
def test_the_notice_is_made_aside_while_the_workers_warm_up_and_its_death_fails_it_alone(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_i18n.editions import make, run

    started = calls_of(monkeypatch, run, "start_aside")
    first = build(project, ["es"], ("html", "pdf"), jobs=2)  # the catalogs' statuses kept after it
    assert not first.failed and not first.errors
    started.clear()
    made_in_the_pool = (project.dist_dir / "notice.pdf").read_bytes()
    (project.dist_dir / "notice.pdf").unlink()
    again = build(project, ["es"], ("html", "pdf"), jobs=2)  # every status kept: the notice aside
    assert not again.failed and not again.errors and len(started) == 1
    assert (project.dist_dir / "notice.pdf").read_bytes() == made_in_the_pool

    (project.dist_dir / "notice.pdf").unlink()
    monkeypatch.setattr(make, "make_notice", lambda job: os._exit(9))  # its process dies
    died = build(project, ["es"], ("html", "pdf"), jobs=2)
    assert len(started) == 2
    assert not died.failed  # the editions are made all the same
    assert any("notice: error: internal error: ChildProcessError" in e for e in died.errors), died.errors
    assert not (project.dist_dir / "notice.pdf").exists()
