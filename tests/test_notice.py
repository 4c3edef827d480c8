"""The language-assistance notice (Section 1557): source, catalogs, gate, every edition, the insert.

Oracles: the PDF's text read back with poppler's ``pdftotext``, GNU ``msgfmt --check`` on every
notice catalog, the page count of the file, and the HTML parsed for ``lang``/``dir``.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ldn_i18n.clinic import HHS_LANGUAGES_URL, read_clinic
from ldn_i18n.editions import build
from ldn_i18n.errors import LdnError
from ldn_i18n.extract import extract
from ldn_i18n.languages import language
from ldn_i18n.project import NOTICE_DOMAIN, Project
from ldn_i18n.update import update

from .conftest import (
    FLORIDA,
    copy_project,
    edit_catalog,
    embedded_fonts,
    missing_glyphs,
    releasable,
    run_cli,
    sign_as,
    signer_args,
    squeezed,
    unglyphed,
)
from .pages import classes, read_page, text_of

REPO = Path(__file__).resolve().parent.parent
SLUG = "ldn-overview"
PHONE, TTY = "813 333 5080", "711"
#: How the pages print a clinic's number: isolated left to right, never broken (markup.number_html).
NUMBER = '<bdi dir="ltr" style="white-space: nowrap">'
#: Right-to-left taglines: each right-to-left run reads back in logical order (``/ActualText``),
#: but the runs of a line mixing directions come in visual order, so their letters are compared.
RIGHT_TO_LEFT = {"ar"}
#: The 15 languages HHS's Office for Civil Rights lists for Florida, as the Florida clinic's
#: source/clinic.yaml writes them (the repository's own content, not a default of the code).
FLORIDA_NOTICE_LANGUAGES = (
    "es",
    "ht",
    "vi",
    "pt_BR",
    "zh_Hant",
    "fr",
    "fil",
    "ru",
    "ar",
    "it",
    "de",
    "ko",
    "pl",
    "gu",
    "th",
)
READ_BACK = [locale for locale in FLORIDA_NOTICE_LANGUAGES if locale not in RIGHT_TO_LEFT]


def arabic_letters(text: str) -> str:
    return "".join(re.findall(r"[\u0621-\u064a]", text))


def last_page_pypdf(path: Path) -> str:
    """The last page as pypdf reads it (poppler reverses right-to-left runs a second time)."""
    from pypdf import PdfReader

    return PdfReader(path).pages[-1].extract_text() or ""


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, as poppler reads it back from the file."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def tagline(locale: str, span: bool = False) -> str:
    """The committed translation of the notice's paragraph, the clinic's numbers filled in
    (with ``span``, as the HTML writes them: each number isolated left to right)."""
    with (FLORIDA / "locale" / locale / "LC_MESSAGES" / "notice.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    text = next(str(m.string) for m in catalog if m.id and "%(phone)s" in str(m.id))
    phone, tty = (f"{NUMBER}{n}</bdi>" for n in (PHONE, TTY)) if span else (PHONE, TTY)
    return text.replace("%(phone)s", phone).replace("%(tty)s", tty)


@pytest.mark.repo_content
def test_the_clinic_lists_floridas_fifteen_languages_and_each_has_a_catalog() -> None:
    clinic = read_clinic(REPO / "source" / "clinic.yaml")
    assert clinic.notice_languages == FLORIDA_NOTICE_LANGUAGES
    assert len(set(FLORIDA_NOTICE_LANGUAGES)) == 15 and clinic.tty == TTY
    for locale in FLORIDA_NOTICE_LANGUAGES:
        path = REPO / "locale" / locale / "LC_MESSAGES" / "notice.po"
        run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True)
        assert run.returncode == 0, run.stderr.decode()
        text = path.read_text(encoding="utf-8")
        assert "Unreviewed draft" in text, f"{locale}: a machine draft says so"
        assert not (REPO / "locale" / locale / "review").exists(), "no sign-off is ever committed"


def test_without_a_list_the_clinic_file_is_an_error_and_a_bad_entry_names_its_line(tmp_path: Path) -> None:
    """No state's list is a default: a clinic file without one says where HHS publishes each state's."""
    clinic = (FLORIDA / "source" / "clinic.yaml").read_text(encoding="utf-8")
    plain = clinic.split("notice-languages:")[0]
    path = tmp_path / "clinic.yaml"
    path.write_text(plain, encoding="utf-8")
    with pytest.raises(LdnError) as missing:
        read_clinic(path)
    assert missing.value.message.startswith("clinic file needs `notice-languages:`")
    assert HHS_LANGUAGES_URL in missing.value.message and "Section 1557" in missing.value.message
    path.write_text(plain + "notice-languages:\n  - es\n  - [ht]\n", encoding="utf-8")
    with pytest.raises(LdnError) as caught:
        read_clinic(path)
    assert caught.value.line == plain.count("\n") + 3
    assert "notice-languages" in caught.value.message


@pytest.mark.slow
def test_a_language_only_in_the_notice_has_its_catalog_and_no_edition(project: Project) -> None:
    assert "fr" in project.locales() and "fr" not in project.edition_locales()
    assert project.domains_of("fr") == [NOTICE_DOMAIN]
    assert NOTICE_DOMAIN in project.domains_of("es") and NOTICE_DOMAIN not in project.domains_of("zh_Hans")
    (project.locale_dir / "fr" / "LC_MESSAGES" / "notice.po").unlink()
    (project.locale_dir / "fr").rename(project.root / "fr-gone")
    extract(project)
    report = update(project)
    assert report.ok
    assert report.created == [project.po_path("fr", NOTICE_DOMAIN)], "the missing tagline catalog only"
    assert not project.po_path("fr", SLUG).exists()
    ko = update(project, ["ko"])  # a new language for the editions: every catalog
    assert {p.name for p in ko.created} == {f"{SLUG}.po", "templates.po"}
    assert "ko" in project.edition_locales()


def test_extraction_explains_the_tagline_to_translators() -> None:
    text = (FLORIDA / "locale" / "notice.pot").read_text(encoding="utf-8")
    assert "#: source/notice.md:5" in text
    note = " ".join(line[3:] for line in text.splitlines() if line.startswith("#. "))
    assert "Begin with your language's name" in note and "HHS Office for Civil Rights" in note
    assert "#, python-format" in text


@pytest.fixture(scope="module")
def noticed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project, English and Arabic built (HTML and PDF), with the notice."""
    project = copy_project(tmp_path_factory.mktemp("notice") / "project")
    report = build(project, ["en", "ar"], ("html", "pdf"))
    assert not report.failed and not report.errors, report.summary()
    return project


def test_every_edition_prints_the_notice_last_on_one_page(noticed: Project) -> None:
    for tag in ("en", "ar"):
        pages = pdf_pages(noticed.dist_dir / tag / f"{SLUG}.pdf")
        last, before = squeezed(pages[-1]), squeezed(" ".join(pages[:-1]))
        assert squeezed("ATTENTION: Free language assistance") in last and "ATTENTION" not in before
        for locale in READ_BACK:
            assert squeezed(tagline(locale)) in last, f"{tag}: {locale} tagline not on the last page"
        read = last_page_pypdf(noticed.dist_dir / tag / f"{SLUG}.pdf")
        assert arabic_letters(tagline("ar")) in arabic_letters(read)
        assert len(pages) == 3, "the 2-page handout, then the notice's own page"


def test_the_notice_page_and_pdf_stand_alone_with_every_language_tagged(noticed: Project) -> None:
    dist = noticed.dist_dir
    pages = pdf_pages(dist / "notice.pdf")
    assert len(pages) == 1, "the insert is one page"
    for locale in READ_BACK:
        assert squeezed(tagline(locale)) in squeezed(pages[0]), locale
    assert arabic_letters(tagline("ar")) in arabic_letters(last_page_pypdf(dist / "notice.pdf"))
    listed = [li for li in read_page(dist / "notice.html").iter("li") if "lang" in li.attrib]
    items = {li.get("lang"): li.get("dir") for li in listed}
    expected = {locale.replace("_", "-") for locale in FLORIDA_NOTICE_LANGUAGES} | {"en"}
    assert set(items) == expected
    assert items["ar"] == "rtl" and all(d == "ltr" for lang, d in items.items() if lang != "ar")
    html = (dist / "notice.html").read_text(encoding="utf-8")
    for locale in FLORIDA_NOTICE_LANGUAGES:
        assert squeezed(tagline(locale, span=True)) in squeezed(html), locale
    assert "DRAFT" in html, "unreviewed taglines are marked"
    index = (dist / "index.html").read_text(encoding="utf-8")
    assert 'href="notice.html"' in index and 'href="notice.pdf"' in index


@pytest.mark.slow
def test_a_release_prints_only_signed_taglines_and_names_the_others(project: Project) -> None:
    releasable(project, ("es", "fr"))
    signed, refused = sign_as(project, "fr", NOTICE_DOMAIN, "Marie Curie <mc@example.org>", "ATA-certified")
    assert len(signed) == 2 and not refused
    report = build(project, ["en"], ("html", "pdf"), release=True)
    assert [r.state for r in report.results] == ["final"]
    left = {w.split(" tagline")[0].removeprefix("language-assistance notice: no ") for w in report.warnings}
    assert left == set(FLORIDA_NOTICE_LANGUAGES) - {"fr"}
    text = squeezed(pdf_pages(project.dist_dir / "en" / f"{SLUG}.pdf")[-1])
    assert squeezed(tagline("fr")) in text and squeezed(tagline("es")) not in text
    assert "DRAFT" not in (project.dist_dir / "notice.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_tagline_that_loses_a_placeholder_or_a_language_clinics_cannot_use_stays_out(
    project: Project,
) -> None:
    po = project.po_path("de", NOTICE_DOMAIN)
    po.write_text(po.read_text(encoding="utf-8").replace("%(phone)s", "<b>Nummer</b>"), encoding="utf-8")
    clinic = project.clinic_path
    clinic.write_text(clinic.read_text(encoding="utf-8") + "  - xx_YY\n", encoding="utf-8")
    report = build(project, ["en"], ("html",))
    assert not report.failed and not report.errors
    assert any(
        w.startswith("language-assistance notice: source/clinic.yaml:") and "'xx_YY'" in w
        for w in report.warnings
    ), report.warnings
    assert any(w.startswith("language-assistance notice: no de tagline") for w in report.warnings), (
        report.warnings
    )
    page = (project.dist_dir / "en" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "<b>Nummer</b>" not in page and 'lang="de"' not in page


@pytest.mark.slow
def test_a_notice_too_long_for_one_page_is_reported(project: Project) -> None:
    source = project.notice_path
    text = source.read_text(encoding="utf-8")
    paragraph = text.split("---\n", 2)[2].strip()
    source.write_text(text + "\n" + "\n\n".join([paragraph] * 12) + "\n", encoding="utf-8")
    report = build(project, ["en"], ("pdf",))
    result = report.results[0]
    assert any("the language-assistance notice takes" in w for w in result.warnings), result.warnings
    assert any("dist/notice.pdf takes" in w for w in report.warnings), report.warnings


def test_the_notice_source_is_a_title_and_paragraphs(project: Project) -> None:
    source = project.notice_path
    source.write_text(source.read_text(encoding="utf-8") + "\n## A heading\n", encoding="utf-8")
    report = build(project, ["en"], ("html",))
    assert report.errors and report.errors[0].startswith("source/notice.md:7: error:"), report.errors
    assert [r.state for r in report.results] == ["failed"]
    assert not (project.dist_dir / "notice.html").exists()


#: The face each tagline's script is drawn with (fonts.py: the script's Noto Sans, CJK by region).
FACES = {
    "ar": "Noto-Sans-Arabic",
    "zh_Hant": "Noto-Sans-CJK-TC",
    "ko": "Noto-Sans-CJK-KR",
    "gu": "Noto-Sans-Gujarati",
    "th": "Noto-Sans-Thai",
}


def test_the_fifteen_languages_on_one_page_are_each_drawn_by_their_scripts_sans_face(
    noticed: Project,
) -> None:
    for path in (noticed.dist_dir / "notice.pdf", noticed.dist_dir / "en" / f"{SLUG}.pdf"):
        assert unglyphed(path) == [], path
        assert not missing_glyphs(path), path
        fonts = embedded_fonts(path)
        names = set(fonts)
        for locale, face in FACES.items():
            drawn = set().union(*(chars for name, chars in fonts.items() if name.startswith(face)))
            script = {ch for ch in tagline(locale) if ord(ch) > 0x2FF and unicodedata.category(ch)[0] in "LM"}
            # A compatibility composite (Thai ำ, drawn as ํ and า) has no ToUnicode entry of its own;
            # missing_glyphs above proves every glyph drawn is in its font.
            lost = [ch for ch in script if ch not in drawn and unicodedata.normalize("NFKD", ch) == ch]
            assert len(script) > 10 and not lost, f"{locale}: {lost} not drawn by {face}"
        assert not any("Serif" in name or "DejaVu" in name for name in names), names


def test_a_fuzzy_tagline_is_left_out_not_printed_in_english(project: Project) -> None:
    po = project.po_path("it", NOTICE_DOMAIN)
    edit_catalog(po, lambda message: "%(phone)s" in str(message.id), fuzzy=True)
    report = build(project, ["en"], ("html",))
    assert "language-assistance notice: no it tagline (not fully translated, or fuzzy)" in report.warnings
    page = (project.dist_dir / "en" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert 'lang="it"' not in page and page.count("ATTENTION: Free language assistance") == 1


# --- what a hostile translator, a careless clinic file or a crashing machine do (red team) -------

REVIEWER = "Ana Pérez <ana.perez@example.org>"


def add_notice_language(project: Project, entry: str) -> None:
    clinic = project.clinic_path
    clinic.write_text(clinic.read_text(encoding="utf-8") + f"  - {entry}\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("es@/../../../OUTSIDE", "is not a locale identifier"),  # a path, not a language
        ("sr@latin", "sr_Latn"),
        ("en", "English is the notice's own text"),
        ("en_XA", "pseudo- or test locale"),
        ("xx", "not a locale CLDR knows"),
        ("'es-MX'", "is not a locale identifier"),
    ],
)
def test_a_notice_language_is_a_locale_or_an_error_on_its_line(
    project: Project, entry: str, says: str
) -> None:
    add_notice_language(project, entry)
    line = project.clinic_path.read_text(encoding="utf-8").count("\n")
    clinic = project.load_clinic()
    assert len(clinic.notice_languages) == 15  # the entry is no language: never a path, never printed
    [error] = clinic.notice_errors
    assert error.line == line and says in error.message, error
    extract(project)
    report = update(project)  # the entry is named; every catalog is merged
    assert list(report.failed) == [project.clinic_path] and not report.created
    assert not (project.root.parent / "OUTSIDE").exists()
    result = build(project, ["en"], ("html",))
    assert [r.state for r in result.results] == ["final"]  # the editions still build
    assert f"source/clinic.yaml:{line}: error: `notice-languages:` " in "\n".join(result.warnings)


def test_a_locale_on_the_command_line_never_names_a_path(project: Project) -> None:
    result = run_cli(project, "update", "--locale", "es@/../../../OUTSIDE", check=2)
    assert "is not a locale identifier" in result.err
    assert not (project.root.parent / "OUTSIDE").exists()


def test_a_hidden_character_in_the_phone_number_is_refused_on_its_line(project: Project) -> None:
    clinic = project.clinic_path
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(
        text.replace("phone: 813 333 5080", 'phone: "\u202e813 333 5080\u202c"'), encoding="utf-8"
    )
    with pytest.raises(LdnError) as caught:
        project.load_clinic()
    assert caught.value.line == 5 and "RIGHT-TO-LEFT OVERRIDE" in caught.value.message


def test_the_tty_number_is_printed_as_written(project: Project) -> None:
    clinic = project.clinic_path
    clinic.write_text(clinic.read_text(encoding="utf-8").replace('tty: "711"', "tty: 0711"), encoding="utf-8")
    assert project.load_clinic().tty == "0711"  # YAML 1.1 would read 457 (octal)


def test_a_citation_in_the_notice_is_an_error_on_its_line(project: Project) -> None:
    source = project.notice_path
    source.write_text(source.read_text(encoding="utf-8").replace("(TTY", "[@kim2020] (TTY"), encoding="utf-8")
    report = build(project, ["en"], ("html",))
    assert report.errors == [
        "source/notice.md:5: error: the notice cites no references: remove the [@...] citation"
    ]
    assert "internal error" not in str(report.results[0].error)


@pytest.mark.slow
def test_a_release_removes_editions_a_plain_build_made_with_draft_taglines(project: Project) -> None:
    """An English edition is final, but a plain build printed the 15 draft taglines on its last page."""
    releasable(project)
    assert not build(project, ["en", "es"], ("html",)).failed
    run_cli(project, "review", "--locale", "es", *signer_args(project, REVIEWER), check=0)
    report = build(project, ["es"], ("html",), release=True)
    assert [r.state for r in report.results] == ["final"]
    assert not (project.dist_dir / "en" / f"{SLUG}.html").exists()
    record = (project.dist_dir / "editions.json").read_text(encoding="utf-8")
    assert "made by a build that was not a release" in record
    page = (project.dist_dir / "es" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "DRAFT" not in page and 'lang="es"' in page  # its own tagline, signed with it
    assert 'href="../en/' not in page


@pytest.mark.slow
def test_an_edition_of_a_locale_not_selected_says_it_is_out_of_date(project: Project) -> None:
    assert not build(project, ["en", "es"], ("html",)).failed
    clinic = project.clinic_path
    clinic.write_text(
        clinic.read_text(encoding="utf-8").replace("813 333 5080", "813 333 5081"), encoding="utf-8"
    )
    report = build(project, ["es"], ("html",))
    assert any(w.startswith("en/ldn-overview: out of date") for w in report.warnings), report.warnings


@pytest.mark.slow
def test_a_folder_where_the_notice_goes_fails_the_notice_alone(project: Project) -> None:
    (project.dist_dir / "notice.pdf").mkdir(parents=True)
    report = build(project, ["en"], ("html", "pdf"))
    assert [r.state for r in report.results] == ["final"]
    assert report.errors == ["dist/notice.pdf: error: not a file: remove it, then build again"]


def test_a_catalog_in_another_charset_is_left_as_it_is(project: Project) -> None:
    po = project.po_path("ru", NOTICE_DOMAIN)
    before = po.read_text(encoding="utf-8").replace("charset=utf-8", "charset=ISO-8859-1")
    po.write_text(before, encoding="utf-8")
    extract(project)
    report = update(project)
    assert "declares charset=ISO-8859-1" in str(report.failed[po])
    assert po.read_text(encoding="utf-8") == before  # not garbled: the translator's work is there


def test_a_language_only_in_the_notice_is_reviewed_like_any_other(project: Project) -> None:
    result = run_cli(project, "review", "--locale", "fr", *signer_args(project, REVIEWER), check=0)
    assert result.out.splitlines() == [f"signed 2 messages of fr/notice for {REVIEWER}"]
    zh = run_cli(project, "review", "--locale", "zh_Hans", *signer_args(project, REVIEWER), check=0)
    assert "zh_Hans/notice" not in zh.out and "zh_Hans/ldn-overview" in zh.out


@pytest.mark.slow
def test_a_tagline_no_installed_font_prints_is_left_out_naming_the_package(
    project: Project, tmp_path: Path
) -> None:
    """Gujarati's faces hidden from fontconfig: the other taglines and every edition still print."""
    listing = subprocess.run(["fc-list", "-f", "%{file}\n"], capture_output=True, text=True, check=True)
    folder = tmp_path / "fonts"
    folder.mkdir()
    for file in sorted(set(listing.stdout.split())):
        if "Gujarati" not in file:
            (folder / Path(file).name).symlink_to(file)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir>'
        f"<cachedir>{tmp_path / 'c'}</cachedir></fontconfig>\n"
    )
    result = run_cli(
        project,
        "build",
        "--locale",
        "en",
        "--format",
        "html",
        via="module",
        env={"FONTCONFIG_FILE": str(config)},
    )
    assert result.code == 0, result
    assert (
        "no gu tagline (no installed font covers Gujarati" in result.err and "fonts-noto-core" in result.err
    )
    page = (project.dist_dir / "en" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert 'lang="gu"' not in page and 'lang="th"' in page


def test_a_tagline_with_the_phone_and_tty_numbers_swapped_is_a_check_error(project: Project) -> None:
    """'Call 711 (TTY: 813 333 5080)' would send a deaf patient's call to the front desk."""
    from ldn_i18n.check import check_project

    def swapped(message: object) -> str:
        text = str(getattr(message, "string"))  # noqa: B009
        return text.replace("%(phone)s", "\0").replace("%(tty)s", "%(phone)s").replace("\0", "%(tty)s")

    po = project.po_path("es", NOTICE_DOMAIN)
    [line] = edit_catalog(po, lambda m: "%(phone)s" in str(m.id), msgstr=swapped)
    found = [f for f in check_project(project, ["es"]) if f.path.endswith("notice.po")]
    assert [(f.code, f.level) for f in found] == [("placeholders", "error")], found
    assert "out of the source's order" in found[0].message and found[0].line == line
    assert not [f for f in check_project(project, ["fr"]) if f.level == "error"]  # in order: fine


def test_back_translation_of_a_language_only_in_the_notice_says_why_there_is_nothing(
    project: Project,
) -> None:
    result = run_cli(project, "back", "--locale", "fr", check=2)
    assert "only the language-assistance notice's catalog, which is not back-translated" in result.err


@pytest.mark.slow
def test_the_draft_banner_names_languages_and_each_edition_says_what_draft_means(project: Project) -> None:
    report = build(project, None, ("html",))
    assert not report.failed and not report.errors, report.summary()
    notice = (project.dist_dir / "notice.html").read_text(encoding="utf-8")
    banner = notice.split("@top-center {")[1].split(";")[0]  # a CSS string: css_string keeps ( ) and ,
    for name in ("Spanish", "Haitian Creole", "Portuguese (Brazil)", "Chinese (Traditional)", "Thai"):
        assert name in banner, (name, banner)
    assert not re.search(r"\b(es|ht|pt_BR|zh_Hant|fil)\b", banner), banner
    note = "Taglines marked DRAFT are machine drafts that a qualified translator has not yet reviewed."
    assert notice.count('<p class="drafts"') == 1 and note in notice, "the English page: English only"
    for locale in project.edition_locales():
        tag = locale.replace("_", "-")
        page = read_page(project.dist_dir / tag / f"{SLUG}.html")
        notes = [
            (p.get("lang"), p.get("dir"), text_of(p)) for p in page.iter("p") if classes(p) == ["drafts"]
        ]
        if locale == "en":
            assert notes == [("en", "ltr", note)], notes
            continue
        assert notes[0] == ("en", "ltr", note), (locale, notes)
        assert len(notes) == 2 and notes[1][:2] == (tag, language(locale).direction), (locale, notes)
        assert notes[1][2] != note and "DRAFT" in notes[1][2], (locale, notes)
