"""One catalog model: every stage reads a .po through :func:`ldn_i18n.pofiles.parse_catalog`,
once per build, and polib is only the tests' oracle."""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

import polib
import pytest

from ldn_i18n import pofiles
from ldn_i18n.check import check_catalog, load_rules
from ldn_i18n.editions import build
from ldn_i18n.poscan import scan_entries, syntax_errors
from ldn_i18n.project import Project

from .conftest import REPO

#: Every catalog the repository holds, its own and its tests' fixtures.
CATALOGS = sorted({*REPO.glob("locale/**/*.po"), *REPO.glob("locale/*.pot"), *REPO.glob("tests/**/*.po")})


def _readable(path: Path) -> str | None:
    """The text of a catalog both readers should read alike, or None (not UTF-8, not PO syntax)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if syntax_errors(data) else text


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_entries_read_as_polib_reads_them(path: Path) -> None:
    text = _readable(path)
    if text is None:
        pytest.skip("not a catalog polib and the scanner both read")
    oracle = polib.pofile(text, wrapwidth=0)
    entries, metadata = scan_entries(text)
    assert metadata == dict(oracle.metadata)
    assert len(entries) == len(oracle)
    lines = text.splitlines()
    for ours, theirs in zip(entries, oracle, strict=True):
        for name in ("msgid", "msgctxt", "msgid_plural", "msgstr", "msgstr_plural", "flags", "tcomment"):
            assert getattr(ours, name) == getattr(theirs, name), (theirs.linenum, name)
        for name in ("comment", "previous_msgid", "previous_msgid_plural", "linenum"):
            assert getattr(ours, name) == getattr(theirs, name), (theirs.linenum, name)
        assert ours.obsolete == bool(theirs.obsolete)
        if not theirs.obsolete:  # the line a finding cites: the entry's first msgstr
            assert lines[ours.msgstr_line - 1].startswith("msgstr"), theirs.linenum
            assert ours.msgstr_line >= theirs.linenum


def test_the_catalogs_cover_what_the_scanner_reads() -> None:
    texts = [t for t in map(_readable, CATALOGS) if t is not None]
    assert len(texts) > 50
    every = "\n".join(texts)
    for written in ("#| msgid", "#~ msgid", "msgid_plural", "msgctxt", "#, fuzzy", "#.", "# noqa"):
        assert written in every, written


def test_no_module_of_the_package_imports_polib() -> None:
    sources = sorted((REPO / "ldn_i18n").rglob("*.py"))
    importing = [
        p.name for p in sources if re.search(r"(?m)^\s*(import|from)\s+polib\b", p.read_text("utf-8"))
    ]
    assert importing == []
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    runtime = pyproject.split("[project.optional-dependencies]")[0]
    assert "polib" not in runtime


def test_a_translation_of_spaces_is_untranslated_in_check_too(project: Project) -> None:
    path = project.po_path("es", "ldn-overview")
    text = path.read_text(encoding="utf-8")
    first = re.search(r'(?m)^msgid "(?=[^"])[^\n]*\nmsgstr "([^"\n]+)"$', text)
    assert first is not None
    line = text[: first.start(1)].count("\n") + 1
    path.write_text(text[: first.start(1)] + "   " + text[first.end(1) :], encoding="utf-8")
    catalog = pofiles.read_catalog(path, "es")
    message = next(
        m for m in catalog if m.id and m.lineno and pofiles.msgstr_line(catalog.lines, m.lineno) == line
    )
    assert pofiles.translation_of(message) == "untranslated"  # what status and the build count
    findings = [f for f in check_catalog(catalog, load_rules(project, "es"), project.root) if f.line == line]
    assert [f.code for f in findings] == ["untranslated"]
    assert [f.code for f in check_catalog(path, load_rules(project, "es")) if f.line == line] == [
        "untranslated"
    ]


@pytest.mark.slow
def test_a_cold_build_parses_each_catalog_once(small: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDN_I18N_NO_CACHE", "1")
    parses: collections.Counter[Path] = collections.Counter()
    parse = pofiles.parse_catalog

    def counted(path: Path, locale: str | None = None) -> pofiles.ProjectCatalog:
        parses[path.resolve()] += 1
        return parse(path, locale)

    for module in list(sys.modules.values()):  # wherever it was imported by name
        if (
            module is not None
            and module.__name__.startswith("ldn_i18n")
            and getattr(module, "parse_catalog", None) is parse
        ):
            monkeypatch.setattr(module, "parse_catalog", counted)
    report = build(small, ["es", "ar"], formats=("html",), jobs=1)
    assert not report.failed
    wanted = {
        p.resolve()
        for locale in ("es", "ar")
        for p in (small.locale_dir / locale / "LC_MESSAGES").glob("*.po")
    }
    assert wanted <= set(parses), "every catalog the editions print is parsed"
    assert {p: n for p, n in parses.items() if n != 1} == {}


@pytest.mark.parametrize(
    ("locale", "why"),
    [
        ("pt_br", "'pt_br' is not a usable locale: CLDR writes it 'pt_BR'"),
        ("es-MX", "'es-MX' is not a locale identifier (write '_', not '-')"),
        ("xx", "'xx' is not a locale CLDR knows"),
    ],
)
def test_one_locale_check_for_folders_update_and_the_policy(project: Project, locale: str, why: str) -> None:
    from ldn_i18n.errors import LdnError
    from ldn_i18n.languages import locale_problem
    from ldn_i18n.update import update

    assert (locale_problem(locale) or "").startswith(why)
    with pytest.raises(LdnError) as refused:  # update never makes a folder the build would refuse
        update(project, [locale])
    assert refused.value.message.startswith(why)
    assert not (project.locale_dir / locale).exists()
    folder = project.locale_dir / locale / "LC_MESSAGES"
    folder.mkdir(parents=True)
    problem = project.locale_problem(locale)
    assert problem is not None and problem.message.startswith(f"locale folder {why}")


def test_flags_without_a_space_read_as_msgfmt_reads_them(project: Project) -> None:
    """``#,python-format`` is a flags line to GNU gettext and Babel; polib alone cannot read it,
    so while check read catalogs with polib it was a po-syntax error the build did not see."""
    import shutil
    import subprocess

    path = project.po_path("es", "templates")
    path.write_text(
        path.read_text(encoding="utf-8").replace("#, python-format", "#,python-format", 1), "utf-8"
    )
    catalog = pofiles.read_catalog(path, "es")
    flagged = [e for e in catalog.entries if "python-format" in e.flags]
    assert flagged and all("python-format" in catalog[e.msgid].flags for e in flagged)
    assert [f for f in check_catalog(catalog, load_rules(project, "es")) if f.level == "error"] == []
    if shutil.which("msgfmt"):
        assert (
            subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=False).returncode == 0
        )


def test_a_bare_obsolete_mark_is_an_empty_line(project: Project) -> None:
    path = project.po_path("es", "templates")
    path.write_text(path.read_text(encoding="utf-8") + '\n#~\n#~ msgid "Gone"\n#~ msgstr "Ido"\n', "utf-8")
    catalog = pofiles.read_catalog(path, "es")
    assert [e.msgstr for e in catalog.entries if e.obsolete and e.msgid == "Gone"] == ["Ido"]
    assert "Gone" in [m.id for m in catalog.obsolete.values()]
