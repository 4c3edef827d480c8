"""Release safety: hostile or careless translations are escaped, flagged, and never released.

Each test states the exact outcome: the check's code and line, which editions
exist after a build, what the HTML holds (parsed), what the PDF holds (its
bytes and its text read back).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ldn_i18n.check import Rules, check_catalog, suppression
from ldn_i18n.errors import LdnError
from ldn_i18n.guard import check_page
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project, default_templates_dir, package_templates
from ldn_i18n.quantities import doses

from .conftest import edit_catalog, pdf_text, printed, releasable, run_cli, signer_args, squeezed
from .pages import read_page

REVIEWER = "Ana Pérez <ana.perez@example.org>"


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of a page and its attributes, as a browser's parser builds them."""
    return [(str(element.tag), dict(element.attrib)) for element in read_page(html).iter()]


def template_elements() -> set[str]:
    text = "\n".join(p.read_text() for p in default_templates_dir().glob("*.j2"))
    return {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", text)} | {
        "a",
        "sup",
        "strong",
        "em",
        "i",
        "bdi",  # a clinic's number, header and notice (markup.number_html)
    }


# --- 1. every catalog is data ---------------------------------------------------------------

HOSTILE_LABELS = {
    "Phone number": "Teléfono<script>alert(1)</script>",
    "Fax number": '<a rel="attachment" href="../../.git/config">Fax</a>',
    "References": '<object data="../../.git/config"></object>Referencias<img src=x onerror=alert(1)>',
    "Also available in": "<style>@font-face{src:url(../../.git/config)}</style>También en",
}


@pytest.mark.slow
def test_templates_catalog_is_escaped_checked_and_never_attached(project: Project) -> None:
    po = project.po_path("es", "templates")
    lines = {msgid: edit_catalog(po, msgid, msgstr=text)[0] for msgid, text in HOSTILE_LABELS.items()}
    findings = check_catalog(project.po_path("es", "templates"), Rules("es"), project.root)
    unsafe = {(f.line, f.code) for f in findings if f.code == "unsafe-markup"}
    assert unsafe == {(line, "unsafe-markup") for line in lines.values()}

    run_cli(project, "build", "--locale", "es", check=0)  # a draft, flagged, but built
    page = (project.dist_dir / "es" / "ldn-overview.html").read_text()
    assert {tag for tag, _ in elements(page)} <= template_elements()
    assert not any("rel" in attrs and "attachment" in str(attrs["rel"]) for _, attrs in elements(page))
    assert not any(name.startswith("on") for _, attrs in elements(page) for name in attrs)
    pdf = (project.dist_dir / "es" / "ldn-overview.pdf").read_bytes()
    for marker in (b"/EmbeddedFile", b"/JavaScript", b"/Launch", b"/AcroForm", b"git/config"):
        assert marker not in pdf
    text = pdf_text(project.dist_dir / "es" / "ldn-overview.pdf")
    assert "Teléfono<script>alert(1)</script>" in text  # printed as the text it is
    assert "3 problemas encontrados" in text or "problemas encontrados" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("msgid", "text", "message"),
    [
        ("DRAFT", "BORRADOR 100%", "'%' at character 13 is not a placeholder"),
        (
            "Page %(page)s of %(pages)s",
            "Página %(page)s de %(pages)s %(file)s",
            "'%(file)s' is not a placeholder",
        ),
        ("Page %(page)s of %(pages)s", "Página %s de %s", "'%s' is a positional placeholder"),
        ("Page %(page)s of %(pages)s", "Página %(page)*s de %(pages)s", "'%(page)*s' is not a placeholder"),
        ("Page %(page)s of %(pages)s", "Página %(page)r de %(pages)s", "'%(page)r' is not a placeholder"),
    ],
)
def test_bad_template_string_fails_only_its_edition(
    project: Project, msgid: str, text: str, message: str
) -> None:
    [line] = edit_catalog(project.po_path("es", "templates"), msgid, msgstr=text)
    out = run_cli(project, "check", "--locale", "es", check=1).out
    assert f"locale/es/LC_MESSAGES/templates.po:{line}: error: placeholders" in out
    err = run_cli(project, "build", "--format", "html", check=1).err
    assert f"templates.po:{line}: error: translation of {msgid[:50]!r}: {message}" in err
    assert "internal error" not in err
    built = sorted(p.parent.name for p in project.dist_dir.glob("*/ldn-overview.html"))
    assert "es" not in built and {"en", "ar", "ht", "pt-BR", "vi", "zh-Hans"} <= set(built)
    assert (project.dist_dir / "index.html").is_file() and (project.dist_dir / "editions.json").is_file()


@pytest.mark.slow
def test_a_translation_citing_an_unknown_key_fails_only_its_edition(project: Project) -> None:
    msgid = next(
        m.id for m in read_catalog(project.po_path("es", "ldn-overview"), "es") if m.id and "[@" in str(m.id)
    )
    catalog = read_catalog(project.po_path("es", "ldn-overview"), "es")
    original = str(catalog.get(msgid).string)  # type: ignore[union-attr]
    hostile = re.sub(r"\[@[^\]]+\]", "[@nobody2099]", original, count=1)
    [line] = edit_catalog(project.po_path("es", "ldn-overview"), msgid, msgstr=hostile)
    out = run_cli(project, "check", "--locale", "es", check=1).out
    assert f"ldn-overview.po:{line}: error: citations" in out
    err = run_cli(project, "build", "--format", "html", check=1).err
    assert f"ldn-overview.po:{line}: error: the translation cites @nobody2099" in err
    assert (project.dist_dir / "en" / "ldn-overview.html").is_file()


# --- the second line: what the templates did not write is refused --------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "<script>alert(1)</script>",
        '<a rel="attachment" href="../../.git/config">x</a>',
        '<object data="x.pdf"></object>',
        "<embed src=x>",
        "<form action=/x><input></form>",
        '<iframe src="https://example.org"></iframe>',
        '<img src="https://example.org/t.png">',
        '<a href="https://example.org">x</a>',
        '<a href="javascript:alert(1)">x</a>',
        '<span onclick="x()">x</span>',
        '<span style="background: url(https://example.org/t.png)">x</span>',
        "<style>@import 'x.css';</style>",
        "<style>@font-face { font-family: x; src: url(../../.git/config) }</style>",
        '<link rel="attachment" href="../../.git/config">',
    ],
)
def test_guard_refuses_what_no_template_writes(fragment: str) -> None:
    head = "<!DOCTYPE html><html><head><style>p { color: red }</style></head>"
    page = f"{head}<body><p>ok</p>{fragment}</body></html>"
    with pytest.raises(LdnError, match="refused to write a page carrying"):
        check_page(page, package_templates(), "es/x.html")


def test_guard_accepts_every_page_the_build_wrote(built: Project) -> None:
    """Read back by the guard again, every page of a real build passes (links, DOIs, tel:, styles)."""
    pages = sorted(built.dist_dir.glob("*/*.html"))
    assert len(pages) >= 8  # the editions: English, the translations, the pseudo-locale
    for path in pages:
        name = str(path.relative_to(built.dist_dir))
        check_page(path.read_text(encoding="utf-8"), built.templates, name)  # raises on refusal


def test_a_template_may_write_its_own_fetch(project: Project) -> None:
    logo = project.root / "templates" / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    template = project.root / "templates" / "handout.html.j2"
    template.write_text(
        template.read_text().replace("<main>", '<main><img src="../../templates/logo.png" alt="">')
    )
    from ldn_i18n.guard import allowances

    allowances.cache_clear()
    page = '<!DOCTYPE html><html><body><main><img src="../../templates/logo.png" alt=""></main></body></html>'
    check_page(page, project.templates, "es/x.html")
    with pytest.raises(LdnError):
        check_page(page.replace("logo.png", "secret.png"), project.templates, "es/x.html")


def test_pdf_refuses_fetches_and_attachments_no_template_wrote(project: Project) -> None:
    from ldn_i18n.pdf import render_pdf

    out = project.dist_dir / "es"
    for html, reason in [
        (
            '<html><head><link rel="attachment" href="../../source/clinic.yaml"></head><body>x</body></html>',
            "attachment",
        ),
        ('<html><body><a rel="attachment" href="../../source/clinic.yaml">x</a></body></html>', "attachment"),
        (
            "<html><head><style>@font-face{font-family:x;src:url(../../source/clinic.yaml)}"
            "p{font-family:x}</style></head><body><p>x</p></body></html>",
            "fetch",
        ),
        ('<html><body><img src="../../source/clinic.yaml"></body></html>', "fetch"),
        ('<html><body><a href="https://example.org/">x</a></body></html>', "link"),
    ]:
        with pytest.raises(LdnError, match=f"refused to .*{reason}"):
            render_pdf(html, out, project.root, "es/x", project.templates)


# --- 2. doses are (number, unit) pairs ------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "locale", "codes"),
    [
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 mg al día", "es", []),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 mg a 4,5 g al día", "es", ["units"]),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 g a 4,5 mg al día", "es", ["units"]),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 miligramos al día", "es", []),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 microgramos al día", "es", ["units", "units"]),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 al día", "es", ["units", "units"]),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 mL al día", "es", ["units", "units"]),
        ("typically 1.5 to 4.5 mg per day", "通常每天1.5至4.5毫克", "zh_Hans", []),
        ("typically 1.5 to 4.5 mg per day", "通常每天1.5至4.5克", "zh_Hans", ["units", "units"]),
        ("typically 1.5 to 4.5 mg per day", "عادةً من 1.5 إلى 4.5 ملغ في اليوم", "ar", []),
        ("typically 1.5 to 4.5 mg per day", "عادةً من 1.5 إلى 4.5 غ في اليوم", "ar", ["units", "units"]),
        ("typically 1.5 to 4.5 mg per day", "thường từ 1,5 đến 4,5 mg mỗi ngày", "vi", []),
        ("typically 1.5 to 4.5 mg per day", "geralmente de 1,5 a 4,5 g por dia", "pt_BR", ["units", "units"]),
        ("about 50% of patients", "alrededor del 50 % de los pacientes", "es", []),
        ("about 50% of patients", "alrededor de 50 pacientes", "es", ["units"]),
        # a unit divided by another is its own unit
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 mg/kg al día", "es", ["units", "units"]),
        ("typically 1.5 to 4.5 mg per day", "通常每天1.5至4.5毫克/公斤", "zh_Hans", ["units", "units"]),
        ("Take 1.5 mg/kg.", "Tome 1,5 mg/kg.", "es", []),
        # numbers written as words count as numbers
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 mg tres veces al día", "es", ["numbers"]),
        ("typically 1.5 to 4.5 mg per day", "通常每天三次1.5至4.5毫克", "zh_Hans", ["numbers"]),
        ("Take it twice.", "Tómela dos veces.", "es", []),
        # only the language's own range words join a range
        ("typically 1.5 to 4.5 mg per day", "de 1,5 x 4,5 mg al día", "es", ["units"]),
        # digits of another script, and numeric signs, are never read as the digits they look like
        (
            "typically 1.5 to 4.5 mg per day",
            "de 1,5 a \u09ea,5 mg al día",
            "es",
            ["numbers", "numbers", "numbers", "numbers", "units"],  # a Bengali digit; mixed systems
        ),
        ("typically 1.5 to 4.5 mg per day", "de 1,5 a 4,5 mg al día \u2469", "es", ["numbers"]),
        (
            "typically 1.5 to 4.5 mg per day",
            "de 1,5 a 4,5 mg al día\u00b9\u2070",
            "es",
            ["numbers", "numbers"],
        ),
        (
            "typically 1.5 to 4.5 mg per day",
            "\u0639\u0627\u062f\u0629 \u0661.\u0665 \u0625\u0644\u0649 4.5 mg",
            "ar",
            [],
        ),
        ("Take 3 mg.", "Tome 3 mg, 2 veces.", "es", ["numbers"]),
    ],
)
def test_doses_compare_as_number_unit_pairs(source: str, target: str, locale: str, codes: list[str]) -> None:
    from ldn_i18n.check import check_numbers, check_units

    rules = Rules(locale)
    found = [code for check in (check_numbers, check_units) for code, _ in check(source, target, rules)]
    assert sorted(found) == sorted(codes), (found, dict(doses(target, locale)))


# --- 3. invisible characters ----------------------------------------------------------------


@pytest.mark.parametrize(
    "hidden",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\x00",
        "\x1b",
        "\x7f",
        "\x9b",
    ],
)
def test_bidi_and_control_characters_are_errors(hidden: str) -> None:
    from ldn_i18n.check import check_hidden

    found = list(check_hidden("Take 1.5 mg.", f"Tome {hidden}1,5 mg.", Rules("es")))
    assert [code for code, _ in found] == ["hidden-characters"], found


@pytest.mark.parametrize(
    "hidden", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f"]
)
def test_zero_width_inside_a_number_is_an_error(hidden: str) -> None:
    from ldn_i18n.check import check_hidden

    assert [c for c, _ in check_hidden("1.5 mg", f"1,{hidden}5 mg", Rules("es"))] == ["hidden-characters"]
    assert [c for c, _ in check_hidden("1.5 mg", f"1{hidden},5 mg", Rules("es"))] == ["hidden-characters"]


@pytest.mark.slow
def test_decomposed_text_compares_and_prints_as_nfc(project: Project) -> None:
    msgid = "Phone number"
    edit_catalog(project.po_path("es", "templates"), msgid, msgstr="Tele\u0301fono")  # e + combining acute
    assert not [
        f for f in check_catalog(project.po_path("es", "templates"), Rules("es"), project.root) if f.counts
    ]
    run_cli(project, "build", "--locale", "es", "--format", "html", check=0)
    page = (project.dist_dir / "es" / "ldn-overview.html").read_text()
    assert "Teléfono" in page and "Tele\u0301fono" not in page


# --- 4. noqa on a safety check --------------------------------------------------------------

DOSE_MSGID_PART = "1.5 to 4.5 mg"


def _dose_message(project: Project) -> tuple[str, str]:
    catalog = read_catalog(project.po_path("es", "ldn-overview"), "es")
    message = next(m for m in catalog if m.id and DOSE_MSGID_PART in str(m.id))
    return str(message.id), str(message.string)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("comment", "released"),
    [
        ("noqa: numbers", False),
        ("noqa", False),
        ("noqa: numbers -- ok", False),
        ("noqa: numbers -- the prescriber's range for this clinic is 15 to 45 mg", True),
    ],
)
def test_a_silenced_dose_check_needs_a_reason_to_be_released(
    project: Project, comment: str, released: bool
) -> None:
    releasable(project)
    msgid, string = _dose_message(project)
    [line] = edit_catalog(
        project.po_path("es", "ldn-overview"),
        msgid,
        msgstr=string.replace("1,5 a 4,5", "15 a 45"),
        comment=comment,
    )
    checked = run_cli(project, "check", "--locale", "es")
    if released:
        assert checked.code == 0
        assert f"ldn-overview.po:{line}: suppressed error: numbers missing number 1,5, 4,5" in checked.out
        assert "(noqa: the prescriber's range for this clinic is 15 to 45 mg)" in checked.out
    else:
        assert checked.code == 1 and f"ldn-overview.po:{line}: error: numbers" in checked.out
    review = run_cli(project, "review", "--locale", "es", *signer_args(project, REVIEWER))
    assert (review.code == 0) is released
    if released:
        assert "suppressed error: numbers" in review.err and "confirm this reason" in review.err
    release = run_cli(project, "build", "--release", "--locale", "es", "--format", "html")
    assert (release.code == 0) is released
    assert (project.dist_dir / "es" / "ldn-overview.html").is_file() is released
    run_cli(project, "status")
    import json

    rows = json.loads((project.dist_dir / "status.json").read_text())["catalogs"]
    row = next(r for r in rows if (r["locale"], r["domain"]) == ("es", "ldn-overview"))
    assert {s["code"] for s in row["suppressed"]} == ({"numbers"} if released else set())
    assert all(
        s["reason"] == "the prescriber's range for this clinic is 15 to 45 mg" for s in row["suppressed"]
    )


@pytest.mark.parametrize(
    "comment",
    [
        "noqa: numbers\n-- the reason on the next line does not count",
        "noqa: numbers -- -- --",
        "noqa: numbers -- 15 45",
        "do not noqa: numbers -- the word noqa inside a sentence",
    ],
)
def test_a_loose_noqa_silences_no_safety_check(comment: str) -> None:
    import polib

    rule = suppression(polib.POEntry(msgid="x", msgstr="y", tcomment=comment))
    assert rule is None or not rule.silences("numbers")


def test_a_percent_sign_in_handout_text_is_not_a_placeholder() -> None:
    from ldn_i18n.check import check_placeholders

    assert list(check_placeholders("a 0.5% cream", "una crema al 0,5 % diaria", Rules("es"))) == []
    assert list(check_placeholders("%(x)s cream", "crema", Rules("es")))  # a named one still counts


def test_noqa_rule_in_one_table() -> None:
    import polib

    def entry(comment: str) -> polib.POEntry:
        return polib.POEntry(msgid="x", msgstr="y", tcomment=comment)

    rule = suppression(entry("noqa: numbers, units -- spelled out at the prescriber's request"))
    assert rule is not None and rule.codes == {"numbers", "units"}
    assert rule.silences("numbers") and rule.silences("units") and not rule.silences("citations")
    assert not rule.silences("msgfmt") and not rule.silences("po-syntax")
    bare = suppression(entry("noqa"))
    assert bare is not None and bare.silences("glossary") and not bare.silences("numbers")
    assert not bare.silences("markup")  # an error is silenced only by name
    assert suppression(entry("noqa: markup")).silences("markup")  # type: ignore[union-attr]
    assert not suppression(entry("noqa: numbers")).silences("numbers")  # type: ignore[union-attr]


# --- 9. the draft mark ----------------------------------------------------------------------


@pytest.mark.slow
def test_the_draft_mark_cannot_be_translated_away(project: Project) -> None:
    edit_catalog(project.po_path("es", "templates"), "DRAFT", msgstr="VERSIÓN FINAL")
    run_cli(project, "build", "--locale", "es", check=0)
    pdf = project.dist_dir / "es" / "ldn-overview.pdf"
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert pages and all("DRAFT:" in page and "VERSIÓN FINAL" not in page for page in pages)
    html = (project.dist_dir / "es" / "ldn-overview.html").read_text()
    assert '<span lang="en">DRAFT</span>: ' in html and "VERSIÓN FINAL" not in html  # a stated word or none


# --- a released PDF reads exactly as its catalogs ---------------------------------------------


@pytest.mark.slow
def test_released_pdf_reads_as_the_catalog(project: Project) -> None:
    releasable(project)
    run_cli(project, "review", "--locale", "es", *signer_args(project, REVIEWER), check=0)
    run_cli(project, "build", "--release", "--locale", "es", "--format", "pdf", check=0)
    text = squeezed(pdf_text(project.dist_dir / "es" / "ldn-overview.pdf"))
    catalog = read_catalog(project.po_path("es", "ldn-overview"), "es")
    for message in catalog:
        if not message.id:
            continue
        # The catalog's one pair of straight quotes prints as CLDR's Spanish marks “ ” (issue 13).
        expected = printed(str(message.string)).replace('"fueradeindicación"', "“fueradeindicación”")
        assert '"' not in expected, message.id
        assert expected in text, message.id
    assert squeezed("uso “fuera de indicación”") in text
    assert "DRAFT" not in text


# --- the property: many hostile translations, every domain ----------------------------------


def hostile_strings(seed: int, count: int) -> list[tuple[str, str]]:
    """(kind, text) pairs built from a fixed seed: markup, controls, placeholders, doses, long text."""
    import random

    rng = random.Random(seed)
    markup = [
        "<script>alert(1)</script>",
        '<a rel="attachment" href="../../.git/config">x</a>',
        "<img src=x onerror=y>",
        '<object data="../../source/clinic.yaml"></object>',
        "<form action=x><input></form>",
        "<!-- c -->",
        "<style>@import 'x'</style>",
        '"><svg onload=alert(1)>',
        "&lt;b&gt;",
        "{{ 7*7 }}",
        "{% raw %}",
        "javascript:alert(1)",
        "https://example.org/x",
        "data:text/html,<b>x</b>",
        "]]>",
        "\\",
        "</body>",
    ]
    controls = ["\u202e", "\u2066", "\x00", "\x1b", "\u200b", "\x9b", "\x7f"]
    out = []
    for _ in range(count):
        kind = rng.choice(["markup", "control", "placeholder", "dose", "long"])
        if kind == "markup":
            text = f"Texto {rng.choice(markup)} fin"
        elif kind == "control":
            text = f"Tome 1,{rng.choice(controls)}5 mg"
        elif kind == "placeholder":
            text = rng.choice(["100%", "%(file)s", "%s", "%(page)d%%", "% d", "%(", "%%(x)s"]) + " texto"
        elif kind == "dose":
            text = f"Tome {rng.choice(['1,5', '15', '4,5'])} {rng.choice(['g', 'mcg', 'mL', 'kg', '%'])}"
        else:
            text = "Texto " * rng.randint(200, 600)
        out.append((kind, text))
    return out


def _markup_outside_templates(page: str) -> list[str]:
    allowed = template_elements() | {"b", "sub", "span", "br"}
    bad = [tag for tag, _ in elements(page) if tag not in allowed]
    bad += [f"{name}=" for _, attrs in elements(page) for name in attrs if name.startswith("on")]
    bad += [
        str(attrs["href"])
        for _, attrs in elements(page)
        if str(attrs.get("href", "")).startswith(("javascript", "http://", "data:"))
    ]
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("domain", ["ldn-overview", "templates"])
def test_hostile_translations_never_reach_a_page_or_pdf(project: Project, domain: str) -> None:
    po = project.po_path("es", domain)
    singular = [m for m in read_catalog(po, "es") if m.id and not isinstance(m.id, tuple)]
    generated = hostile_strings(seed=len(domain), count=len(singular))
    texts = iter(text for _kind, text in generated)
    lines = edit_catalog(po, lambda m: not isinstance(m.id, tuple), msgstr=lambda m: next(texts))

    findings = check_catalog(po, Rules("es"), project.root)
    flagged = {f.line for f in findings if f.level == "error" and f.counts}
    for line, (kind, text) in zip(lines, generated, strict=True):
        if kind in ("markup", "control", "dose") or (kind == "placeholder" and domain == "templates"):
            assert line in flagged, (kind, text, [str(f) for f in findings if f.line == line])

    result = run_cli(project, "build", "--locale", "es", "--locale", "pt_BR")
    code, err = result.code, result.err
    assert "internal error" not in err and "Traceback" not in err
    assert (project.dist_dir / "pt-BR" / "ldn-overview.pdf").is_file()  # the other edition always builds
    page_path = project.dist_dir / "es" / "ldn-overview.html"
    if code == 0:
        page = page_path.read_text()
        assert _markup_outside_templates(page) == []
        pdf = (project.dist_dir / "es" / "ldn-overview.pdf").read_bytes()
        for marker in (
            b"/EmbeddedFile",
            b"/JavaScript",
            b"/Launch",
            b"/AcroForm",
            b"/URI (http://",
            b"/URI (javascript",
        ):
            assert marker not in pdf
    else:  # a template string that cannot be formatted fails its edition, with file and line
        assert re.search(r"templates\.po:\d+: error: translation of", err), err
        assert not page_path.exists()


def test_generated_doses_are_always_flagged() -> None:
    from ldn_i18n.check import check_numbers, check_units

    rules = Rules("es")
    source = "Take 1.5 mg"  # every generated dose changes its number (numbers) or only its unit (units)
    checked = 0
    for kind, text in hostile_strings(seed=7, count=300):
        if kind != "dose":
            continue
        codes = {code for check in (check_numbers, check_units) for code, _ in check(source, text, rules)}
        assert ("units" if text.startswith("Tome 1,5 ") else "numbers") in codes, text
        checked += 1
    assert checked > 30


# --- the attacks of the first red-team round, each as its family ---------------------------


@pytest.mark.slow
def test_character_references_print_as_written_and_are_checked(project: Project) -> None:
    msgid, string = _dose_message(project)
    hostile = string.replace("1,5 a 4,5 mg", "&#x202E;1,5 a 4,5 mg&#x202C;")
    assert hostile != string
    [line] = edit_catalog(project.po_path("es", "ldn-overview"), msgid, msgstr=hostile)
    findings = check_catalog(project.po_path("es", "ldn-overview"), Rules("es"), project.root)
    assert any(f.line == line and f.level == "error" for f in findings)
    run_cli(project, "build", "--locale", "es", "--format", "html", check=0)
    page = (project.dist_dir / "es" / "ldn-overview.html").read_text()
    assert "\u202e" not in page and "\u202c" not in page
    assert "&amp;#x202E;1,5 a 4,5 mg&amp;#x202C;" in page


BROKEN_CATALOGS = {
    "huge nplurals": lambda text: text.replace(
        "nplurals=2; plural=(n != 1);", "nplurals=99999999999999999999; plural=n;"
    ),
    "two msgstr": lambda text: text.replace('msgstr "BORRADOR"', 'msgstr "BORRADOR"\nmsgstr "FINAL"'),
    "latin-1": lambda text: text.replace("charset=utf-8", "charset=latin-1"),
    "empty": lambda text: "",
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(BROKEN_CATALOGS))
def test_a_broken_catalog_fails_only_its_edition(project: Project, kind: str) -> None:
    po = project.po_path("es", "templates")
    broken = BROKEN_CATALOGS[kind](po.read_text(encoding="utf-8"))
    assert broken != po.read_text(encoding="utf-8")
    po.write_bytes(broken.encode("latin-1", "replace") if kind == "latin-1" else broken.encode())
    checked = run_cli(project, "check", "--locale", "es", check=1)
    assert "locale/es/LC_MESSAGES/templates.po:" in checked.out and "internal error" not in checked.err
    err = run_cli(project, "build", "--format", "html", check=1).err
    assert "templates.po" in err and "internal error" not in err, err
    assert not (project.dist_dir / "es" / "ldn-overview.html").exists()
    assert (project.dist_dir / "pt-BR" / "ldn-overview.html").is_file()
    assert (project.dist_dir / "index.html").is_file()


@pytest.mark.slow
def test_a_footer_label_prints_as_plain_text(project: Project) -> None:
    edit_catalog(
        project.po_path("es", "templates"),
        "Page %(page)s of %(pages)s",
        msgstr="Página %(page)s de %(pages)s (O'Neil & Hijos)",
    )
    run_cli(project, "build", "--locale", "es", "--format", "pdf", check=0)
    assert "(O'Neil & Hijos)" in pdf_text(project.dist_dir / "es" / "ldn-overview.pdf")


# --- the second red-team round ----------------------------------------------------------------

UNSEEN = ["\u034f", "\u17b4", "\u180b", "\u2061", "\u2064", "\u206a", "\ufe00", "\ufe0f", "\U0001d173",
          "\U000e0001", "\u200a", "\u2009", "\u200b", "\u00ad", "\u2060"]  # fmt: skip


@pytest.mark.parametrize("unseen", UNSEEN, ids=[f"U+{ord(c):04X}" for c in UNSEEN])
def test_nothing_unseen_may_join_two_numbers(unseen: str) -> None:
    from ldn_i18n.check import check_hidden

    found = [code for code, _ in check_hidden("Take 2 tablets of 5 mg.", f"Tome 2{unseen}5 mg.", Rules("es"))]
    assert found == ["hidden-characters"]


@pytest.mark.parametrize(
    ("source", "target", "locale", "code"),
    [
        ("Store at -20 °C.", "Guárdelo a 20 °C.", "es", "numbers"),
        ("Store at 20 °C.", "Guárdelo a \u221220 °C.", "es", "numbers"),
        ("Wait 12 hours.", "Espere 12 días.", "es", "units"),
        ("Wait 12 hours.", "等待12天。", "zh_Hans", "units"),
        ("Wait 12 hours.", "Espere 12 minutos.", "es", "units"),
        ("Take 4 mg. [@kim2020]", "Tome 4[@kim2020] mg.", "es", "numbers"),
        ("Take 6.5 mg. [@kim2020]", "Tome 6[@kim2020],5 mg.", "es", "numbers"),
        ("Take it 16 times.", "Tómela dieciséis veces más 16.", "es", "numbers"),
        ("Take it once.", "每天三次。", "zh_Hans", "numbers"),
    ],
)
def test_signs_durations_citations_and_words_are_compared(
    source: str, target: str, locale: str, code: str
) -> None:
    from ldn_i18n.check import check_numbers, check_units

    rules = Rules(locale)
    found = [c for check in (check_numbers, check_units) for c, _ in check(source, target, rules)]
    assert code in found, found
    assert not [c for check in (check_numbers, check_units) for c, _ in check(source, source, Rules("en"))]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reviewer", "Eve\x1b[2J <eve@example.org>", "control or invisible character"),
        ("reviewer", "Eve \u202e<eve@example.org>", "control or invisible character"),
        ("date", '9999-99-99"><img>', "is not a real date written YYYY-MM-DD"),
        ("credential", "CoreCHI\nX-Injected: 1", "control or invisible character"),
        ("english", ["something the catalog never said"], "its key is not the key of the English"),
    ],
)
def test_a_hand_edited_sign_off_is_refused_with_its_file(
    project: Project, field: str, value: object, message: str
) -> None:
    # Unsigned, where the policy allows it: every field is still checked (a signed one would not verify).
    (project.root / "source" / "policy.yaml").write_text(
        "default: {signatures: optional}\n", encoding="utf-8"
    )
    run_cli(project, "review", "--locale", "es", "--reviewer", REVIEWER, "--domain", "templates", check=0)
    path = project.locale_dir / "es" / "review" / "templates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    signed = data["batches"][0]["signed"]
    if field == "english":
        signed["messages"][0][field] = value
    else:
        signed[field] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    err = run_cli(project, "build", "--format", "html", check=1).err
    assert "locale/es/review/templates.json:" in err and message in err and "internal error" not in err
    assert (project.dist_dir / "en" / "ldn-overview.html").is_file()


def test_deeply_nested_sign_off_records_are_an_error_not_a_crash(project: Project) -> None:
    path = project.locale_dir / "es" / "review" / "templates.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "messages": ' + "[" * 100000 + "]" * 100000 + "}", encoding="utf-8")
    assert "nested too deeply" in run_cli(project, "status", check=1).err


def test_a_policy_that_is_not_a_file_is_an_error(project: Project) -> None:
    (project.root / "source" / "policy.yaml").mkdir()
    err = run_cli(project, "build", "--format", "html", "--locale", "es", check=1).err
    assert "source/policy.yaml: error: the release policy is not a readable file" in err


@pytest.mark.slow
def test_a_handout_linking_outside_the_project_is_refused(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n\nThe clinic's private notes.\n", encoding="utf-8")
    (project.handouts_dir / "leak.md").symlink_to(outside)
    err = run_cli(project, "build", "--format", "html", "--locale", "en", check=1).err
    assert "link to a file outside the project" in err
    assert not (project.dist_dir / "en" / "leak.html").exists()
