"""Release safety of the inputs: every bad shared file, handout or reference is one located error.

Each case asserts the exact ``path:line: error: message`` the user reads.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ldn_i18n import references
from ldn_i18n.errors import LdnError
from ldn_i18n.library import load_library
from ldn_i18n.project import Project
from ldn_i18n.references import check_keys, format_references
from ldn_i18n.source import parse_handout, read_handout
from ldn_i18n.yamlfiles import parse_yaml, read_glossary, read_terms, read_yaml

#: The end of the message for a scalar YAML did not read as text.
QUOTE_IT = ", which YAML reads as {}, not text (put it in quotes)"
ALIASES = "invalid YAML: YAML anchors and aliases (&name, *name) are not allowed: write the value out"


def raised(call: Callable[[], Any]) -> LdnError:
    with pytest.raises(LdnError) as info:
        call()
    return info.value


def located(error: LdnError) -> tuple[str | None, int | None, str]:
    return error.path, error.line, error.message


# --- 1. YAML bombs ---------------------------------------------------------------------------


def bomb(levels: int = 12) -> str:
    """Billion laughs: expanded, 9**12 (about 2.8e11) strings, far beyond any machine's memory."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def _clinic(project: Project) -> Path:
    path = project.clinic_path
    path.write_text("# clinic\nphone: 813 333 5080\n" + bomb())
    return path


def _terms(project: Project) -> Path:
    path = project.terms_path
    path.write_text("# terms\ndo_not_translate: [LDN]\n" + bomb())
    return path


def _glossary(project: Project) -> Path:
    path = project.glossary_path("es")
    path.write_text("# glossary\nnaltrexone: naltrexona\n" + bomb())
    return path


def _front_matter(project: Project) -> Path:
    path = project.handouts_dir / "ldn-overview.md"
    path.write_text("---\ntitle: T\n" + bomb() + "---\n\nText.\n")
    return path


BOMBED = {
    "clinic": (_clinic, lambda p, path: p.load_clinic(), ALIASES),
    "terms": (_terms, lambda p, path: read_terms(path), ALIASES),
    "glossary": (_glossary, lambda p, path: read_glossary(path), ALIASES),
    "front-matter": (
        _front_matter,
        lambda p, path: read_handout(path),
        ALIASES.replace("invalid YAML", "invalid front matter"),
    ),
}


@pytest.mark.parametrize("where", list(BOMBED))
def test_yaml_alias_bomb_is_refused_at_its_first_anchor(project: Project, where: str) -> None:
    write, load, message = BOMBED[where]
    path = write(project)
    assert located(raised(lambda: load(project, path))) == (str(path), 3, message)


def test_a_lone_alias_and_a_merge_key_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: *a\n")
    assert located(raised(lambda: read_yaml(path))) == (str(path), 2, ALIASES)
    path.write_text("a: 1\n<<: {b: 2}\n")
    assert located(raised(lambda: read_yaml(path))) == (
        str(path),
        2,
        "invalid YAML: YAML merge keys (<<) are not allowed: write the keys out",
    )


def test_yaml_duplicate_key_names_the_second(project: Project) -> None:
    path = project.clinic_path
    path.write_text(path.read_text().replace("fax: 813 773 7717", "fax: 813 773 7717\nphone: 1"))
    line = path.read_text().splitlines().index("phone: 1") + 1
    assert located(raised(project.load_clinic)) == (str(path), line, "invalid YAML: duplicate key 'phone'")


def test_yaml_deep_nesting_and_bad_values_are_located(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: " + "[" * 100_000 + "\n")
    assert located(raised(lambda: read_yaml(path))) == (
        str(path),
        2,
        "invalid YAML: YAML nested more than 32 levels deep",
    )
    path.write_text("a: 1\nb: 2024-02-30\n")
    assert located(raised(lambda: read_yaml(path))) == (
        str(path),
        2,
        "invalid YAML: invalid value '2024-02-30': day is out of range for month",
    )
    path.write_text("a: 1\nb: \x01\n")
    assert located(raised(lambda: read_yaml(path))) == (
        str(path),
        2,
        "invalid YAML: character U+0001 is not allowed",
    )
    path.write_bytes(b"a: 1\nb: \xff\n")
    assert located(raised(lambda: read_yaml(path))) == (str(path), 2, "not UTF-8 text (invalid start byte)")


def test_front_matter_errors_use_the_file_lines() -> None:
    path = Path("h.md")
    cases = {
        "---\ntitle: T\npages: [2\n---\n\nText.\n": (3, "invalid front matter: expected ',' or ']', but got"),
        "---\ntitle: T\nx: 1\nx: 2\n---\n\nText.\n": (4, "invalid front matter: duplicate key 'x'"),
        "---\n# c\ntitle: [T]\n---\n\nText.\n": (3, "front matter needs a `title:` string"),
        "---\ntitle: T\n\npages: true\n---\n\nText.\n": (4, "front matter `pages:` must be a whole number"),
        "---\ntitle: T\nedition: [1]\n---\n\nText.\n": (3, "front matter `edition:` must be a date"),
        "---\ntitle: T\nedition: 2025-13-01\n---\n\nText.\n": (3, "invalid front matter: invalid value"),
    }
    for text, (line, message) in cases.items():
        error = raised(functools.partial(parse_handout, text, path))
        assert (error.path, error.line) == ("h.md", line), text
        assert error.message.startswith(message), error.message


def test_yaml_lines_offset_by_first_line() -> None:
    doc = parse_yaml("a: 1\nb:\n  - x\n  - y\n", Path("f.yaml"), first_line=10)
    assert (doc.line(), doc.line("a"), doc.line("b"), doc.line("b", 1), doc.line("zz")) == (
        10,
        10,
        11,
        13,
        10,
    )


# --- 2. Typed shared files ---------------------------------------------------------------------


def test_real_terms_and_glossaries_are_read(project: Project) -> None:
    assert read_terms(project.terms_path) == ["LDN", "FDA"]
    for locale in project.edition_locales():
        glossary = read_glossary(project.glossary_path(locale))
        assert glossary and all(isinstance(k, str) and isinstance(v, str) for k, v in glossary.items())


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "# terms\n- LDN\n- FDA\n",
            2,
            "the terms file must be a mapping with a `do_not_translate:` list of terms",
        ),
        (
            "do_not_translate:\n  - LDN\n  - 2020\n",
            3,
            "every do-not-translate term must be text; got 2020" + QUOTE_IT.format("a number"),
        ),
        (
            "do_not_translate:\n  - LDN\n  - [FDA]\n",
            3,
            "every do-not-translate term must be text; got a list",
        ),
        ("do_not_translate: LDN\n", 1, "`do_not_translate:` must be a list of terms (one `- term` a line)"),
        (
            "# x\ndo_not_translte:\n  - LDN\n",
            2,
            "unknown key 'do_not_translte' in the terms file (expected `do_not_translate:`)",
        ),
    ],
)
def test_terms_file_shape_errors(project: Project, text: str, line: int, message: str) -> None:
    project.terms_path.write_text(text)
    error = raised(lambda: read_terms(project.terms_path))
    assert located(error) == (str(project.terms_path), line, message)
    assert str(error) == f"{project.terms_path}:{line}: error: {message}"


def test_empty_terms_and_glossary_are_empty(project: Project) -> None:
    project.terms_path.write_text("# nothing yet\n")
    project.glossary_path("es").write_text("")
    assert read_terms(project.terms_path) == []
    assert read_glossary(project.glossary_path("es")) == {}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "# g\n- naltrexone: naltrexona\n",
            2,
            "a glossary maps English terms to approved translations (`term: translation`)",
        ),
        (
            "naltrexone: naltrexona\nyes: sí\n",
            2,
            "a glossary term must be text; got yes" + QUOTE_IT.format("true/false"),
        ),
        (
            "naltrexone: naltrexona\nopioid:\n",
            2,
            "the approved translation of 'opioid' must be text; got nothing",
        ),
        (
            "naltrexone:\n  - naltrexona\n",
            1,
            "the approved translation of 'naltrexone' must be text; got a list",
        ),
    ],
)
def test_glossary_shape_errors(project: Project, text: str, line: int, message: str) -> None:
    path = project.glossary_path("es")
    path.write_text(text)
    assert located(raised(lambda: read_glossary(path))) == (str(path), line, message)


CLINIC = """\
phone: 813 333 5080
fax: 813 773 7717
locations:
  - name: Tampa
    street: 3102 W Cypress St
  - name: Brandon
    street: 613 Medical Care Dr
notice-languages: [es]
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "phone: 813 333 5080",
            "phone: 8133335080",
            1,
            "`phone:` must be text; got 8133335080" + QUOTE_IT.format("a number"),
        ),
        ("phone: 813 333 5080\n", "", 1, "clinic file needs `phone:`"),
        ("    street: 613 Medical Care Dr\n", "", 6, "location needs `street:`"),
        ("  - name: Brandon", "  - name: [Brandon]", 6, "`name:` must be text; got a list"),
        (
            "    street: 613 Medical Care Dr",
            "    street: 613 Medical Care Dr\n    postal_code: 03102",
            8,
            "`postal_code:` must be text; got 03102" + QUOTE_IT.format("a number"),
        ),
        (
            "    street: 3102 W Cypress St",
            "    street: 3102 W Cypress St\n    zip: '33609'",
            6,
            "unknown field 'zip' in a location "
            "(use name, street, city, state, postal_code, phone, fax, website, hours)",
        ),
        (
            "  - name: Brandon\n    street: 613 Medical Care Dr\n",
            "  - Brandon\n",
            6,
            "each location must be a mapping with `name:` and `street:`",
        ),
        (
            CLINIC[CLINIC.index("locations:") : CLINIC.index("notice-languages:")],
            "locations: Tampa\n",
            3,
            "`locations:` must be a list of locations, each with `name:` and `street:`",
        ),
        (
            "fax:",
            "email: x@y.z\nfax:",
            2,
            "unknown field 'email' in the clinic file "
            "(use name, phone, fax, tty, website, look, locations, notice-languages, bilingual)",
        ),
    ],
)
def test_clinic_type_errors_name_their_line(
    project: Project, old: str, new: str, line: int, message: str
) -> None:
    assert old in CLINIC
    project.clinic_path.write_text(CLINIC.replace(old, new))
    error = raised(project.load_clinic)
    assert located(error) == (str(project.clinic_path), line, message)


def test_real_clinic_file_loads(project: Project) -> None:
    clinic = project.load_clinic()
    assert clinic.phone == "813 333 5080" and len(clinic.locations) == 5
    assert clinic.locations[0].street == "3102 W Cypress St"


# --- 3. Stray locale folders ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("es-MX", "locale folder 'es-MX' is not a locale identifier (write '_', not '-'): rename it 'es_MX'"),
        (
            "zh-Hans",
            "locale folder 'zh-Hans' is not a locale identifier (write '_', not '-'): rename it 'zh_Hans'",
        ),
        (
            "xx",
            "locale folder 'xx' is not a locale CLDR knows (use an identifier such as es, pt_BR, zh_Hans)",
        ),
        ("pt_br", "locale folder 'pt_br' is not a usable locale: CLDR writes it 'pt_BR': rename it"),
    ],
)
def test_stray_locale_folder_is_named(project: Project, folder: str, message: str) -> None:
    catalogs = project.locale_dir / folder / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (catalogs / "templates.po").write_bytes(project.po_path("es", "templates").read_bytes())
    assert folder in project.locales()
    problem = project.locale_problem(folder)
    assert problem is not None
    assert located(problem) == (str(project.locale_dir / folder), None, message)
    assert str(problem) == f"{project.locale_dir / folder}: error: {message}"
    assert all(project.locale_problem(loc) is None for loc in project.locales() if loc != folder)
    assert project.locale_problem("en_XA") is None


# --- 4. Handout source ---------------------------------------------------------------------------

HTML_RULE = "use Markdown: **bold**, *italic*, headings, paragraphs and lists"


@pytest.mark.parametrize(
    ("body", "line", "shown"),
    [
        ("Intro.\n\n<div>\nhidden\n</div>\n", 7, "HTML `<div> hidden </div>`"),
        ("Intro.\n\n<!-- note to self -->\n", 7, "an HTML comment `<!-- note to self -->`"),
        ("Intro with <b>bold</b> text.\n", 5, "HTML `<b>`"),
        ("Intro on one line\nand <span style='x'>two</span>.\n", 6, "HTML `<span style='x'>`"),
        ("Intro <!-- hidden --> text.\n", 5, "an HTML comment `<!-- hidden -->`"),
        ("## Heading <em>x</em>\n", 5, "HTML `<em>`"),
        ("Intro.\n\n- one\n- two <script>alert(1)</script>\n", 8, "HTML `<script>`"),
    ],
)
def test_raw_html_in_a_handout_is_refused(body: str, line: int, shown: str) -> None:
    error = raised(lambda: parse_handout("---\ntitle: T\n---\n\n" + body, Path("h.md")))
    assert located(error) == ("h.md", line, f"raw HTML is not allowed in a handout ({shown}); {HTML_RULE}")


def test_raw_html_in_the_title_is_refused() -> None:
    error = raised(lambda: parse_handout("---\n# c\ntitle: LDN <i>now</i>\n---\n\nText.\n", Path("h.md")))
    assert located(error) == ("h.md", 3, f"raw HTML is not allowed in a handout (HTML `<i>`); {HTML_RULE}")


def test_less_than_in_text_is_not_html() -> None:
    text = "---\ntitle: Doses < 5 mg\n---\n\nTake <5 mg if a < b, or x <= 3 and y<2.\n\n- 1 < 2 > 0\n"
    handout = parse_handout(text, Path("h.md"))
    assert [b.text for b in handout.blocks] == [
        "Doses < 5 mg",
        "Take <5 mg if a < b, or x <= 3 and y<2.",
        "1 < 2 > 0",
    ]


def test_templates_handout_is_reserved(project: Project) -> None:
    path = project.handouts_dir / "templates.md"
    path.write_text("---\ntitle: T\n---\n\nText.\n")
    error = raised(lambda: read_handout(path))
    assert located(error) == (
        str(path),
        None,
        "a handout cannot be called 'templates.md': 'templates' is the templates' gettext domain "
        "(locale/templates.pot); rename the file",
    )
    assert path in project.handout_paths()  # listed, so that reading it reports the error
    assert project.edition_domains() == ["ldn-overview", "templates"]


@pytest.mark.parametrize("name", ["LDN Overview.md", "Overview.md", "-x.md", "café.md", "a.b.md"])
def test_unsafe_handout_file_name_is_refused(project: Project, name: str) -> None:
    path = project.handouts_dir / name
    path.write_text("---\ntitle: T\n---\n\nText.\n")
    error = raised(lambda: read_handout(path))
    assert located(error) == (
        str(path),
        None,
        f"handout file name {name!r} is not allowed: use lowercase letters, digits, '-' and '_', "
        "starting with a letter or digit, then '.md'",
    )
    assert project.edition_domains() == ["ldn-overview", "templates"]


def test_hidden_files_are_not_handouts(project: Project) -> None:
    (project.handouts_dir / "._ldn-overview.md").write_bytes(b"\x00\x05\x16\x07")
    assert [p.name for p in project.handout_paths()] == ["ldn-overview.md"]


def test_handout_text_is_read_in_nfc(project: Project) -> None:
    path = project.handouts_dir / "nfc.md"
    decomposed = unicodedata.normalize("NFD", "Café médico")
    path.write_bytes(f"\ufeff---\ntitle: {decomposed}\n---\n\n{decomposed}.\n".encode())
    handout = read_handout(path)
    assert [(b.line, b.text) for b in handout.blocks] == [(2, "Café médico"), (5, "Café médico.")]
    assert all(unicodedata.is_normalized("NFC", b.text) for b in handout.blocks)


def test_handout_not_utf8_names_line(project: Project) -> None:
    path = project.handouts_dir / "latin.md"
    path.write_bytes(b"---\ntitle: T\n---\n\nCaf\xe9.\n")
    assert located(raised(lambda: read_handout(path))) == (
        str(path),
        5,
        "not UTF-8 text (invalid continuation byte)",
    )


# --- 5. CSL-JSON -------------------------------------------------------------------------------

GOOD = {
    "id": "good2020",
    "type": "article-journal",
    "title": "A good article",
    "author": [{"family": "Smith", "given": "J."}],
    "container-title": "J Pain",
    "issued": {"date-parts": [[2020, 5]]},
    "volume": 3,
    "page": "1-5",
}


def csl_json(items: list[dict[str, Any]]) -> str:
    """A library as Zotero writes it, one field a line."""
    fields = [",\n".join(f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in item.items()) for item in items]
    return "[\n" + ",\n".join("  {\n" + body + "\n  }" for body in fields) + "\n]\n"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "issued",
            {"date-parts": [["abc"]]},
            '`issued`: date parts must be whole numbers [year, month, day], not "abc"',
        ),
        (
            "issued",
            "2020",
            '`issued` must be a date object such as {"date-parts": [[2020, 5, 17]]}, not text',
        ),
        (
            "issued",
            {"date-parts": [2020]},
            "`issued`: each date in `date-parts` must be a list [year, month, day] of 1 to 3 numbers",
        ),
        (
            "issued",
            {"date-parts": [[]]},
            "`issued`: each date in `date-parts` must be a list [year, month, day] of 1 to 3 numbers",
        ),
        (
            "issued",
            {"date-parts": [[2020, 13, 1, 4]]},
            "`issued`: each date in `date-parts` must be a list [year, month, day] of 1 to 3 numbers",
        ),
        ("issued", {"date-parts": [[2020, 30]]}, "`issued`: month 30 is out of range"),
        ("issued", {"literal": 2020}, "`issued`: `literal` must be text, not a number"),
        (
            "issued",
            {},
            '`issued` needs `date-parts` (e.g. {"date-parts": [[2020, 5, 17]]}), `raw` or `literal`',
        ),
        (
            "accessed",
            {"date-parts": [[True]]},
            "`accessed`: date parts must be whole numbers [year, month, day], not true",
        ),
        (
            "author",
            "Smith",
            '`author` must be a list of names such as [{"family": "Smith", "given": "J."}], not text',
        ),
        ("author", ["Smith"], "`author` item 1 must be an object (family, given), not text"),
        ("author", [{"family": "Smith", "given": 5}], "`author` item 1: `given` must be text, not a number"),
        ("editor", [{"suffix": "Jr."}], "`editor` item 1 needs a `family` (and `given`) or a `literal` name"),
        ("title", 5, "`title` must be text, not a number"),
        ("title", "", "needs a `title`"),
        (
            "type",
            "journal-article",
            "unknown CSL type 'journal-article' (e.g. article-journal, book, chapter, webpage)",
        ),
        ("page", {}, "`page` must be text or a number, not an object"),
        ("volume", [3], "`volume` must be text or a number, not a list"),
        ("volume", True, "`volume` must be text or a number, not true/false"),
        ("language", 5, "`language` must be text such as en, not a number"),
    ],
)
def test_mistyped_csl_field_fails_only_its_item(tmp_path: Path, field: str, value: Any, message: str) -> None:
    bad = {**GOOD, "id": "bad2021", field: value}
    path = tmp_path / "refs.json"
    path.write_text(csl_json([GOOD, bad]))
    lines = path.read_text().splitlines()
    start = lines.index("  {", 2)  # the second item, 0-based
    line = next(i for i in range(start, len(lines)) if lines[i].startswith(f'    "{field}"')) + 1
    library = load_library(path)
    assert list(library.items) == ["good2020"]
    assert list(library.problems) == ["bad2021"]
    problem = library.problems["bad2021"]
    assert located(problem) == (str(path), line, f"reference 'bad2021': {message}")
    assert library.lines == {"good2020": 2, "bad2021": start + 1}
    assert "A good article" in format_references(library, ["good2020"], "en")[0].html

    cites_bad = parse_handout("---\ntitle: T\n---\n\nOne [@good2020].\n\nTwo [@bad2021].\n", Path("h.md"))
    assert raised(lambda: check_keys(cites_bad, library)) is problem
    assert raised(lambda: format_references(library, ["bad2021"], "en")) is problem
    check_keys(parse_handout("---\ntitle: T\n---\n\nOne [@good2020].\n", Path("ok.md")), library)


def test_csl_items_without_id_or_not_objects_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(
        '[\n  {"id": "good2020", "type": "book", "title": "T"},\n  {"type": "book", "title": "T"},\n  5,\n'
        '  {"id": "d", "type": "book", "title": "T", "title": "U"}\n]\n'
    )
    library = load_library(path)
    assert list(library.items) == ["good2020"]
    assert [located(e) for e in library.problems.values()] == [
        (str(path), 3, "reference 2 in the library needs a text `id` (its citation key)"),
        (str(path), 4, "reference 3 in the library is not an object"),
        (str(path), 5, "reference 'd': field `title` appears twice"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"id": "a"}\n', 1, "the reference library must be a CSL-JSON array of items"),
        ('[\n  {"id": "a",}\n]\n', 2, "invalid JSON: Expecting property name enclosed in double quotes"),
        ("[" * 100_000, None, "invalid JSON: nested too deeply"),
    ],
)
def test_unusable_library_fails_as_a_whole(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    path = tmp_path / "refs.json"
    path.write_text(text)
    assert located(raised(lambda: load_library(path))) == (str(path), line, message)


def test_citeproc_failure_names_library_item_line_and_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{**GOOD, "id": "crash2020", "note": "unique to this test"}], indent=2))
    library = load_library(path)

    def fail(*args: Any) -> str:
        raise KeyError("year")

    monkeypatch.setattr(references, "_format", fail)
    assert located(raised(lambda: format_references(library, ["crash2020"], "en"))) == (
        str(path),
        2,
        "reference 'crash2020' cannot be formatted (citeproc-py: KeyError: 'year')",
    )


def test_real_library_has_no_problems(project: Project) -> None:
    library = load_library(project.references_path)
    assert not library.problems and len(library.items) == 9
