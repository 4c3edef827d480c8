"""Plural-Forms: what every tool writes for a language passes, a wrong formula does not, whichever
Babel is installed; an unchanged project's catalogs are not rewritten for Babel's stamp alone.

GNU gettext's ``msginit`` is the oracle for what msginit and Poedit write; the strings Babel 2.19
(CLDR) writes are shown as they are.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ldn_i18n.check import Rules, check_catalog
from ldn_i18n.extract import extract
from ldn_i18n.plurals import accepted, language_problem, plural_forms_for
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.update import update

MSGINIT = shutil.which("msginit")

#: What Babel 2.19.0 (CLDR 48) writes for a new catalog, copied from its output.
BABEL_2_19 = {
    "es": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "fr": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "it": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "pt_BR": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "ca": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "ar": "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : "
    "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5);",
    "ru": "nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && "
    "(n % 100 < 12 || n % 100 > 14) ? 1 : 2;",
    "pl": "nplurals=3; plural=n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && "
    "(n % 100 < 12 || n % 100 > 14) ? 1 : 2;",
}
#: What Babel 2.16 to 2.18 wrote, correct for these languages.
BABEL_2_18 = {
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}


@pytest.mark.skipif(MSGINIT is None, reason="GNU gettext (msginit) is not installed")
@pytest.mark.parametrize("locale", ["es", "fr", "it", "pt", "pt_BR", "de", "pl", "ru", "ko", "vi", "ja"])
def test_what_msginit_writes_passes(tmp_path: Path, locale: str) -> None:
    pot = tmp_path / "t.pot"
    pot.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr ""\n'
    )
    out = subprocess.run(
        [MSGINIT, "-l", locale, "--no-translator", "-i", str(pot), "-o", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = "".join(re.findall(r'^"(.*)"$', out, re.M)).replace("\\n", "\n")
    value = re.search(r"Plural-Forms: ([^\n]*)", text)
    assert value, out
    assert language_problem(value.group(1), locale) is None


@pytest.mark.parametrize(("locale", "value"), [*BABEL_2_19.items(), *BABEL_2_18.items()])
def test_what_babel_writes_passes(locale: str, value: str) -> None:
    assert language_problem(value, locale) is None


@pytest.mark.parametrize(
    ("locale", "value", "problem"),
    [
        ("es", "nplurals=2; plural=(n == 1);", "plural= gives form 0 for n=0, where Spanish takes form 1"),
        ("es", "nplurals=2; plural=(n > 1);", "plural= gives form 0 for n=0, where Spanish takes form 1"),
        ("es", "nplurals=1; plural=0;", "nplurals=1 is not a plural form count for Spanish (es)"),
        ("es", "nplurals=4; plural=(n == 1 ? 0 : n == 2 ? 1 : n < 5 ? 2 : 3);", "nplurals=4 is not"),
        ("fr", "nplurals=2; plural=(n != 1);", "plural= gives form 1 for n=0, where French takes form 0"),
        (
            "fr",
            # Spanish's, not French's:
            "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
            "plural= gives form 2 for n=0, where French takes form 0",
        ),
        # Babel 2.18's Arabic: 11..99 and 100..102 swapped between "many" and "other".
        (
            "ar",
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
            "n%100>=0 && n%100<=2 ? 4 : 5);",
            "plural= gives form 5 for n=11, where Arabic takes form 4",
        ),
        ("ru", "nplurals=2; plural=(n != 1);", "nplurals=2 is not a plural form count for Russian (ru)"),
    ],
)
def test_a_formula_wrong_for_the_language_is_refused(locale: str, value: str, problem: str) -> None:
    found = language_problem(value, locale)
    assert found is not None and found.startswith(problem), found
    assert "use nplurals=" in found  # and what to write instead


def test_new_catalogs_get_the_table_s_formula_not_the_installed_babel_s() -> None:
    assert plural_forms_for("es") == "nplurals=2; plural=(n != 1);"  # GNU gettext's, as msginit writes
    assert plural_forms_for("pt_BR") == "nplurals=2; plural=(n > 1);"
    assert [rule.sources[0] for rule in accepted("es")] == ["gettext", "cldr"]


def _set_plural_forms(path: Path, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r'"Plural-Forms: [^\n]*\\n"\n', f'"Plural-Forms: {value}\\\\n"\n', text)
    assert count == 1, path
    path.write_text(text, encoding="utf-8")


def _plural_findings(path: Path, locale: str) -> list[str]:
    return [f.message for f in check_catalog(path, Rules(locale=locale)) if f.code == "plural-forms"]


def test_check_takes_a_spanish_catalog_with_cldr_s_three_forms(project: Project) -> None:
    po = project.po_path("es", "templates")
    _set_plural_forms(po, BABEL_2_19["es"])
    # Every plural message needs its three forms now: give each the third ("many") form.
    text = re.sub(
        r'(msgstr\[1\] ("(?:[^"\\]|\\.)*"\n(?:"(?:[^"\\]|\\.)*"\n)*))', r"\1msgstr[2] \2", po.read_text()
    )
    po.write_text(text, encoding="utf-8")
    assert _plural_findings(po, "es") == []
    # Two forms under a three-form header: every plural message is short of one.
    _set_plural_forms(po, BABEL_2_19["es"])
    po.write_text(re.sub(r'msgstr\[2\] "(?:[^"\\]|\\.)*"\n(?:"(?:[^"\\]|\\.)*"\n)*', "", po.read_text()))
    found = _plural_findings(po, "es")
    assert found and all(message == "2 plural forms; es needs 3" for message in found)


def test_check_refuses_plural_n_equals_1_for_spanish(project: Project) -> None:
    po = project.po_path("es", "templates")
    _set_plural_forms(po, "nplurals=2; plural=(n == 1);")
    assert [m.split(":")[0] for m in _plural_findings(po, "es")] == [
        "plural= gives form 0 for n=0, where Spanish takes form 1"
    ]


@pytest.mark.slow
def test_update_keeps_a_catalog_s_accepted_plural_forms(project: Project) -> None:
    po = project.po_path("pt_BR", "ldn-overview")
    _set_plural_forms(po, BABEL_2_19["pt_BR"])
    extract(project)
    update(project)  # may re-wrap the header line, as Babel writes it
    assert read_catalog(po).plural_forms == BABEL_2_19["pt_BR"]
    before = po.read_bytes()
    extract(project)
    update(project)
    assert po.read_bytes() == before


@pytest.mark.slow
def test_an_unchanged_project_is_not_rewritten_for_another_babel_s_stamp(project: Project) -> None:
    """What another Babel release would write differs in Generated-By only: no file is touched."""
    catalogs = sorted(project.locale_dir.rglob("*.po")) + sorted(project.locale_dir.glob("*.pot"))
    for path in catalogs:
        text = path.read_text(encoding="utf-8")
        stamped, count = re.subn(r'"Generated-By: Babel [^"\\]*\\n"', r'"Generated-By: Babel 0.0.1\\n"', text)
        assert count == 1, path
        path.write_text(stamped, encoding="utf-8")
    before = {path: path.read_bytes() for path in catalogs}
    assert extract(project) == []
    report = update(project)
    assert report.written == [] and not report.failed
    assert {path: path.read_bytes() for path in catalogs} == before
    # A real change is still written, with the installed Babel's stamp.
    handout = project.handout_paths()[0]
    handout.write_text(handout.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    assert project.pot_path(handout.stem) in extract(project)
    assert b"Generated-By: Babel 0.0.1" not in project.pot_path(handout.stem).read_bytes()
    assert read_catalog(project.pot_path(handout.stem)).get("A new closing line.") is not None
