"""Blind back-translation: `ldn-i18n back` writes a catalog with no English in it, and `check`
compares each back-translation with its English source (back-numbers, back-negation).

Every step runs GNU msgfmt --check on every catalog. The "faithful" back-translation is the
English itself (as plain text), so a test that changes one reads as the meaning flip it checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from ldn_i18n.check import CODES, Rules, check_back_catalog
from ldn_i18n.extract import extract
from ldn_i18n.project import Project
from ldn_i18n.review.back import UNFILLED_BACK_TRANSLATOR, update_back
from ldn_i18n.review.signoff import message_key
from ldn_i18n.update import update

from .conftest import (
    break_catalog,
    copy_project,
    edit_catalog,
    expected,
    fill_back_translation,
    msgfmt_check,
    needs_msgfmt,
    run_cli,
)

FIXTURES = Path(__file__).parent / "fixtures" / "back"
pytestmark = needs_msgfmt
DOMAIN = "ldn-overview"
DOSE = "1.5 to 4.5 mg"
HEADING = "How does LDN work?"


def assert_msgfmt_clean(project: Project) -> None:
    """msgfmt --check accepts every forward and back catalog, with no warning."""
    paths = sorted(project.locale_dir.glob("*/LC_MESSAGES/*.po")) + sorted(
        project.locale_dir.glob("*/back/*.po")
    )
    for path in paths:
        result = msgfmt_check(path)
        assert result.returncode == 0 and not result.stderr, f"{path}: {result.stderr}"


def back_path(project: Project) -> Path:
    return project.back_path("es", DOMAIN)


def forward(project: Project) -> polib.POFile:
    return polib.pofile(str(project.po_path("es", DOMAIN)), wrapwidth=0)


def english_by_key(project: Project) -> dict[str, str]:
    return {message_key(e.msgctxt, e.msgid): e.msgid for e in forward(project) if not e.obsolete}


def back_entry(project: Project, english: str) -> polib.POEntry:
    """The live back entry whose source is the forward message holding ``english``."""
    source = next(e for e in forward(project) if english in e.msgid and not e.obsolete)
    key = message_key(source.msgctxt, source.msgid)
    return next(e for e in polib.pofile(str(back_path(project)), wrapwidth=0) if e.msgctxt == key)


def fill_unfaithfully(project: Project, old: str, new: str) -> int:
    """Back-translate every entry as its English source, but with ``old`` read as ``new`` in one.

    Returns the line of that entry's msgstr.
    """
    fill_back_translation(project)
    [line] = edit_catalog(back_path(project), replace=(old, new))
    return line


# --- writing the back catalog --------------------------------------------------------------------


def test_back_writes_a_blind_catalog_with_no_english(project: Project) -> None:
    assert run_cli(project, "back", "--locale", "es", check=0).out == f"wrote locale/es/back/{DOMAIN}.po\n"
    assert not (project.locale_dir / "es" / "back" / "templates.po").exists()
    assert_msgfmt_clean(project)

    text = back_path(project).read_text(encoding="utf-8")
    catalog = polib.pofile(text, wrapwidth=0)
    assert catalog.metadata["Language"] == "en"
    assert catalog.metadata["Last-Translator"] == UNFILLED_BACK_TRANSLATOR
    assert catalog.header.startswith("Blind back-translation of the Spanish (es) translation")
    sources = [e for e in forward(project) if e.msgstr and not e.fuzzy and not e.obsolete]
    assert [e.msgctxt for e in catalog] == [message_key(s.msgctxt, s.msgid) for s in sources]
    assert [e.msgid for e in catalog] == [s.msgstr for s in sources]
    assert all(e.msgstr == "" for e in catalog)
    # Blind: no English sentence, comment or location.
    for source in sources:
        if source.msgid != source.msgstr:
            assert source.msgid not in text
            assert source.msgid[:30] not in text
        for comment in filter(None, source.comment.splitlines()):
            assert comment not in text
    assert not re.search(r"^#[.:]", text, re.M)
    assert HEADING not in text and DOSE not in text

    assert run_cli(project, "back", "--locale", "es", check=0).out == ""  # nothing changed: nothing written
    assert update_back(project, "es") == []


def test_back_translator_comments_and_header_are_kept(project: Project) -> None:
    update_back(project, "es")
    catalog = polib.pofile(str(back_path(project)), wrapwidth=0)
    catalog.metadata["Last-Translator"] = "Back Translator <bt@example.org>"
    catalog.metadata["X-Generator"] = "Poedit 3.4"
    catalog[0].tcomment = "a heading in the original"
    catalog[0].msgstr = "Overview of naltrexone in low doses"
    catalog.save()
    update_back(project, "es")  # polib wraps lines its own way: the file is written once
    assert update_back(project, "es") == []
    catalog = polib.pofile(str(back_path(project)), wrapwidth=0)
    assert catalog.metadata["Last-Translator"] == "Back Translator <bt@example.org>"
    assert catalog.metadata["X-Generator"] == "Poedit 3.4"
    assert (catalog[0].tcomment, catalog[0].msgstr) == (
        "a heading in the original",
        "Overview of naltrexone in low doses",
    )


def test_unknown_locale_and_unreadable_forward_catalog_leave_back_files_untouched(project: Project) -> None:
    run_cli(project, "back", "--locale", "xx", check=2)
    assert "no catalogs for locale 'sv'" in run_cli(project, "back", "--locale", "sv", check=2).err
    update_back(project, "es")
    fill_back_translation(project)
    before = back_path(project).read_bytes()
    po, line = break_catalog(project, "es", HEADING, DOMAIN)
    err = run_cli(project, "back", "--locale", "es", check=2).err
    assert f"{po.relative_to(project.root)}:{line}: error: malformed catalog" in err, err
    assert back_path(project).read_bytes() == before


# --- check: the back-translation against the English ---------------------------------------------


@pytest.mark.slow
def test_faithful_back_translation_checks_clean(project: Project) -> None:
    update_back(project, "es")
    out = run_cli(project, "check", "--locale", "es", check=0).out
    assert out.count(f"locale/es/back/{DOMAIN}.po:") == len(english_by_key(project))
    assert "warning: untranslated not back-translated yet" in out

    fill_back_translation(project)
    assert_msgfmt_clean(project)
    assert "/back/" not in run_cli(project, "check", "--locale", "es", check=0).out


@pytest.mark.slow
def test_changed_dose_in_the_back_translation_is_an_error(project: Project) -> None:
    update_back(project, "es")
    line = fill_unfaithfully(project, DOSE, "15 to 45 mg")
    assert_msgfmt_clean(project)
    out = run_cli(project, "check", "--locale", "es", check=1).out
    assert (
        f"locale/es/back/{DOMAIN}.po:{line}: error: back-numbers "
        "the back-translation reads 15, 45 where the English has 1.5, 4.5"
    ) in out
    assert [row for row in out.splitlines() if "/back/" in row and ": error:" in row] == [
        row for row in out.splitlines() if f":{line}: error: back-numbers" in row
    ]


def test_dropped_negation_in_the_back_translation_is_a_warning(project: Project) -> None:
    update_back(project, "es")
    line = fill_unfaithfully(project, "should not be taken", "should be taken")
    out = run_cli(project, "check", "--locale", "es", check=0).out  # a warning: the reviewer looks
    assert (
        f"locale/es/back/{DOMAIN}.po:{line}: warning: back-negation "
        "the English's 'not' (taken, opioid, pain, medications) is not negated in the back-translation"
    ) in out


@pytest.mark.slow
def test_back_negation_is_an_error_when_the_policy_requires_a_back_translation(project: Project) -> None:
    """The same count of negations on other words ("not alone") is found, and fails the check."""
    update_back(project, "es")
    line = fill_unfaithfully(
        project,
        "should not be taken with opioid pain medications",
        "should be taken with opioid pain medications, not alone",
    )
    (project.root / "source" / "policy.yaml").write_text("locales:\n  es: {back_translation: required}\n")
    out = run_cli(project, "check", "--locale", "es", check=1).out
    assert f"locale/es/back/{DOMAIN}.po:{line}: error: back-negation the English's 'not' (taken" in out
    assert (
        f"locale/es/back/{DOMAIN}.po:{line}: error: back-negation the back-translation's 'not' (alone)" in out
    )
    (project.root / "source" / "policy.yaml").write_text("locales:\n  es: {back_translation: optional}\n")
    assert f"{line}: warning: back-negation" in run_cli(project, "check", "--locale", "es", check=0).out


@pytest.mark.parametrize(
    "back", ["Most people don't have serious side effects.", "Most people do not have serious side effects."]
)
def test_negation_spellings_are_the_same_negation(back: str) -> None:
    from ldn_i18n.check import check_back_negation

    assert list(check_back_negation("Most people do not have serious side effects.", back, Rules("es"))) == []
    assert list(check_back_negation("Nothing is known.", "Something is known.", Rules("es")))


def test_fixture_back_catalog() -> None:
    """tests/fixtures/back/back.po states its findings against forward.po (`# expect:` lines)."""
    path = FIXTURES / "back.po"
    found = check_back_catalog(path, FIXTURES / "forward.po", Rules("es"))
    assert [(f.line, f.level if f.counts else "suppressed", f.code) for f in found] == expected(path)
    assert {"back-numbers", "back-negation"} <= {f.code for f in found}
    for finding in found:
        assert CODES[finding.code][0] == finding.level
        assert str(finding).startswith(f"{path}:{finding.line}: ")


# --- merging: the back entry follows its message ---------------------------------------------------


@pytest.mark.slow
def test_edited_translation_makes_the_back_entry_fuzzy(project: Project) -> None:
    update_back(project, "es")
    fill_back_translation(project)
    old = next(e for e in forward(project) if e.msgid == HEADING).msgstr
    edit_catalog(project.po_path("es", DOMAIN), HEADING, msgstr="¿Cómo actúa la LDN?")
    assert update_back(project, "es") == [back_path(project)]
    assert_msgfmt_clean(project)
    back = back_entry(project, HEADING)
    assert (back.msgid, back.msgstr, back.fuzzy, back.previous_msgid) == (
        "¿Cómo actúa la LDN?",
        HEADING,
        True,
        old,
    )

    # A second edit keeps the translation the back-translation was made from.
    edit_catalog(project.po_path("es", DOMAIN), HEADING, msgstr="¿De qué manera actúa la LDN?")
    update_back(project, "es")
    back = back_entry(project, HEADING)
    assert (back.msgid, back.fuzzy, back.previous_msgid) == ("¿De qué manera actúa la LDN?", True, old)
    assert_msgfmt_clean(project)


@pytest.mark.slow
def test_changed_english_carries_the_back_entry_over(project: Project) -> None:
    update_back(project, "es")
    fill_back_translation(project)
    old_key = back_entry(project, HEADING).msgctxt
    translation = back_entry(project, HEADING).msgid
    handout = project.handouts_dir / f"{DOMAIN}.md"
    new_heading = "How does LDN work in the body?"
    handout.write_text(handout.read_text(encoding="utf-8").replace(HEADING, new_heading), encoding="utf-8")
    extract(project)
    update(project)
    assert_msgfmt_clean(project)
    assert update_back(project, "es") == [back_path(project)]
    assert_msgfmt_clean(project)

    back = back_entry(project, new_heading)
    assert back.msgctxt == message_key(None, new_heading) != old_key
    assert (back.msgid, back.msgstr, back.fuzzy, back.previous_msgid) == (
        translation,
        HEADING,
        True,
        translation,
    )
    text = back_path(project).read_text(encoding="utf-8")
    assert old_key not in text  # carried over, not left behind as obsolete
    assert new_heading not in text and HEADING not in text.replace(f'msgstr "{HEADING}"', "")


@pytest.mark.slow
def test_removed_message_becomes_obsolete_and_comes_back(project: Project) -> None:
    update_back(project, "es")
    fill_back_translation(project)
    handout = project.handouts_dir / f"{DOMAIN}.md"
    original = handout.read_text(encoding="utf-8")
    key = back_entry(project, HEADING).msgctxt
    handout.write_text(original.replace(f"## {HEADING}\n\n", ""), encoding="utf-8")
    extract(project)
    update(project)
    update_back(project, "es")
    assert_msgfmt_clean(project)
    gone = [e for e in polib.pofile(str(back_path(project)), wrapwidth=0) if e.msgctxt == key]
    assert [(e.obsolete, e.msgstr) for e in gone] == [(1, HEADING)]

    handout.write_text(original, encoding="utf-8")
    extract(project)
    update(project)
    update_back(project, "es")
    assert_msgfmt_clean(project)
    back = back_entry(project, HEADING)
    assert (back.msgctxt, back.msgstr, back.fuzzy, back.obsolete) == (key, HEADING, False, 0)
    assert not [e for e in polib.pofile(str(back_path(project)), wrapwidth=0) if e.obsolete]


def test_cli_and_api_write_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    by_cli, by_api = copy_project(tmp_path / "cli"), copy_project(tmp_path / "api")
    run_cli(by_cli, "back", "--locale", "es", check=0)
    assert update_back(by_api, "es") == [back_path(by_api)]
    assert back_path(by_cli).read_bytes() == back_path(by_api).read_bytes()


def test_malformed_back_catalog_is_named_and_left_alone(project: Project) -> None:
    update_back(project, "es")
    path = back_path(project)
    path.write_bytes(path.read_bytes() + b'\nmsgctxt "x"\nmsgid "sin cierre\n')
    before = path.read_bytes()
    assert f"locale/es/back/{DOMAIN}.po:" in run_cli(project, "back", "--locale", "es", check=2).err
    assert path.read_bytes() == before
