"""Release safety of the catalogs (issue 8).

Every update scenario runs the real pipeline (``extract`` + ``update``) on a
throw-away copy of the project and asserts, after every step, the invariant
that GNU ``msgfmt --check`` accepts every catalog and that no obsolete entry
shares its msgid and msgctxt with a live one, plus the exact outcome. Then
the PO syntax a parser must refuse, and Plural-Forms values.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest

from ldn_i18n.check import Rules, check_catalog
from ldn_i18n.errors import LdnError
from ldn_i18n.extract import extract
from ldn_i18n.plurals import syntax_problem as plural_forms_problem
from ldn_i18n.pofiles import header_field, read_catalog, syntax_errors, without_stamp
from ldn_i18n.project import Project
from ldn_i18n.update import merge_problems, update, update_catalog

from .conftest import REPO, msgfmt_check, needs_msgfmt

pytestmark = needs_msgfmt

HANDOUT = "ldn-overview"
#: A closing paragraph and its Spanish translation as committed.
CLOSING = "Always talk with a healthcare provider before starting or stopping any medication, including LDN."
CLOSING_ES = (
    "Siempre hable con un proveedor de atención médica antes de comenzar o dejar de tomar "
    "cualquier medicamento, incluida la LDN."
)
#: A list item and its Spanish translation as committed.
CURE = "LDN is not a cure, but it may help manage symptoms."
CURE_ES = "La LDN no es una cura, pero puede ayudar a controlar los síntomas."


# -- helpers -----------------------------------------------------------------


def catalogs(project: Project) -> list[Path]:
    return sorted(project.locale_dir.glob("*/LC_MESSAGES/*.po"))


def assert_valid(project: Project) -> None:
    """The invariant: msgfmt --check accepts every catalog; no live entry has an obsolete twin."""
    for path in catalogs(project):
        result = msgfmt_check(path)
        assert result.returncode == 0, (path, result.stderr)
        entries = polib.pofile(str(path))
        live = {(e.msgctxt, e.msgid) for e in entries if not e.obsolete}
        twins = [e.msgid for e in entries.obsolete_entries() if (e.msgctxt, e.msgid) in live]
        assert twins == [], (path, twins)


def edit(project: Project, old: str, new: str) -> None:
    source = project.handouts_dir / f"{HANDOUT}.md"
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def _restore_closing(project: Project) -> None:
    source = project.handouts_dir / f"{HANDOUT}.md"
    text = source.read_text(encoding="utf-8").rstrip("\n")
    source.write_text(text + "\n\n" + CLOSING + "\n", encoding="utf-8")


def step(project: Project) -> list[Path]:
    """extract + update, then the invariant; the catalogs update wrote."""
    extract(project)
    report = update(project)
    assert not report.failed, report.failed
    assert_valid(project)
    return report.written


def entry(project: Project, msgid: str, locale: str = "es", domain: str = HANDOUT) -> polib.POEntry:
    """The one entry (live or obsolete) with ``msgid``."""
    found = [e for e in polib.pofile(str(project.po_path(locale, domain))) if e.msgid == msgid]
    assert len(found) == 1, (msgid, found)
    return found[0]


def obsolete_ids(project: Project, locale: str = "es", domain: str = HANDOUT) -> list[str]:
    return [e.msgid for e in polib.pofile(str(project.po_path(locale, domain))).obsolete_entries()]


def without_pot_date(data: bytes) -> bytes:
    """A catalog's bytes without the template's date nor the stamp of the Babel that wrote it."""
    return without_stamp(re.sub(rb'"POT-Creation-Date: [^"]*"', b"", data))


def snapshot(project: Project) -> dict[Path, bytes]:
    return {path: without_pot_date(path.read_bytes()) for path in catalogs(project)}


@pytest.fixture
def merged(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The project copy after a first extract + update, with reproducible time stamps."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    step(project)
    return project


# -- removing and restoring sentences -------------------------------------------


def test_removed_sentence_restored_gets_its_translation_back_in_every_locale(merged: Project) -> None:
    before = snapshot(merged)
    edit(merged, CLOSING, "")
    step(merged)
    gone = entry(merged, CLOSING)
    assert gone.obsolete and gone.msgstr == CLOSING_ES
    _restore_closing(merged)
    step(merged)
    restored = entry(merged, CLOSING)
    assert not restored.obsolete
    assert restored.msgstr == CLOSING_ES
    assert "fuzzy" not in restored.flags
    assert restored.previous_msgid is None
    assert obsolete_ids(merged) == []
    assert snapshot(merged) == before  # every locale exactly as it was
    assert step(merged) == []  # and a second run writes no byte


def test_catalog_whose_only_change_is_a_restore_is_written(merged: Project) -> None:
    edit(merged, CLOSING, "")
    step(merged)
    po = merged.po_path("es", HANDOUT)
    _restore_closing(merged)
    written = step(merged)
    assert po in written
    assert entry(merged, CLOSING).msgstr == CLOSING_ES
    assert step(merged) == []


def test_sentence_removed_twice_leaves_one_obsolete_entry(merged: Project) -> None:
    for _ in range(2):
        edit(merged, CLOSING, "")
        step(merged)
        assert obsolete_ids(merged) == [CLOSING]
        assert entry(merged, CLOSING).msgstr == CLOSING_ES
        _restore_closing(merged)
        step(merged)
        assert obsolete_ids(merged) == []
        assert entry(merged, CLOSING).msgstr == CLOSING_ES
        assert "fuzzy" not in entry(merged, CLOSING).flags


def test_two_sentences_removed_in_turn_come_back_in_any_order(merged: Project) -> None:
    edit(merged, CLOSING, "")
    step(merged)
    edit(merged, f"- {CURE}\n", "")
    step(merged)
    assert obsolete_ids(merged) == [CLOSING, CURE]  # the older obsolete entry stays first
    edit(merged, "## What else should patients know?\n", f"## What else should patients know?\n\n- {CURE}\n")
    step(merged)
    assert obsolete_ids(merged) == [CLOSING]
    assert entry(merged, CURE).msgstr == CURE_ES and not entry(merged, CURE).obsolete
    _restore_closing(merged)
    step(merged)
    assert obsolete_ids(merged) == []
    assert entry(merged, CLOSING).msgstr == CLOSING_ES


def test_fuzzy_translation_removed_and_restored_is_still_fuzzy(merged: Project) -> None:
    changed = CURE.replace("help manage", "help you manage")
    edit(merged, CURE, changed)
    step(merged)
    fuzzy = entry(merged, changed)
    assert "fuzzy" in fuzzy.flags and fuzzy.previous_msgid == CURE
    edit(merged, f"- {changed}\n", "")
    step(merged)
    gone = entry(merged, changed)
    assert gone.obsolete and "fuzzy" in gone.flags  # Babel alone drops an obsolete entry's flags
    assert '#~| msgid "LDN is not a cure, but it may help manage symptoms."' in merged.po_path(
        "es", HANDOUT
    ).read_text(encoding="utf-8")
    edit(
        merged, "## What else should patients know?\n", f"## What else should patients know?\n\n- {changed}\n"
    )
    step(merged)
    back = entry(merged, changed)
    assert not back.obsolete
    assert "fuzzy" in back.flags  # never printed as final: it translates the old English
    assert back.previous_msgid == CURE
    assert back.msgstr == CURE_ES
    assert step(merged) == []


def test_translator_comment_comes_back_with_the_translation(merged: Project) -> None:
    po = merged.po_path("es", HANDOUT)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace(f'msgid "{CURE}"', f'# Revisado por la Dra. Pérez\nmsgid "{CURE}"'))
    update(merged)
    edit(merged, f"- {CURE}\n", "")
    step(merged)
    assert "# Revisado por la Dra. Pérez\n#~ msgid" in po.read_text(encoding="utf-8")
    edit(merged, "## What else should patients know?\n", f"## What else should patients know?\n\n- {CURE}\n")
    step(merged)
    back = entry(merged, CURE)
    assert back.tcomment == "Revisado por la Dra. Pérez"
    assert back.msgstr == CURE_ES and "fuzzy" not in back.flags


def test_exact_obsolete_match_wins_over_a_fuzzy_live_neighbour(merged: Project) -> None:
    near = CURE.replace("help manage", "help you manage")
    near_es = "La LDN no es una cura, pero puede ayudarle a controlar sus síntomas."
    po = merged.po_path("es", HANDOUT)
    po.write_text(po.read_text(encoding="utf-8") + f'#~ msgid "{near}"\n#~ msgstr "{near_es}"\n')
    assert_valid(merged)
    edit(merged, CURE, near)  # without the obsolete entry this would be a fuzzy match of CURE
    step(merged)
    back = entry(merged, near)
    assert not back.obsolete
    assert back.msgstr == near_es
    assert "fuzzy" not in back.flags and back.previous_msgid is None
    old = entry(merged, CURE)  # the neighbour was not used up: it is obsolete now
    assert old.obsolete and old.msgstr == CURE_ES


def test_new_sentence_close_to_an_obsolete_one_is_a_fuzzy_match_of_it(merged: Project) -> None:
    edit(merged, f"- {CURE}\n", "")
    step(merged)
    near = CURE.replace("help manage", "help you manage")
    edit(merged, "## What else should patients know?\n", f"## What else should patients know?\n\n- {near}\n")
    step(merged)
    new = entry(merged, near)
    assert "fuzzy" in new.flags and new.previous_msgid == CURE and new.msgstr == CURE_ES
    assert obsolete_ids(merged) == []  # used up, as msgmerge does with a live definition


def test_edit_reverted_stays_fuzzy_with_its_previous_msgid(merged: Project) -> None:
    changed = CURE.replace("help manage", "help you manage")
    edit(merged, CURE, changed)
    step(merged)
    edit(merged, changed, CURE)
    step(merged)
    back = entry(merged, CURE)
    # msgmerge's rule: a fuzzy match of a fuzzy entry keeps the msgid its translation was made from
    assert "fuzzy" in back.flags and back.previous_msgid == CURE and back.msgstr == CURE_ES
    assert obsolete_ids(merged) == []


def test_same_sentence_twice_in_a_handout(merged: Project) -> None:
    twice = f"## What else should patients know?\n\n{CLOSING}\n"
    edit(merged, "## What else should patients know?\n", twice)
    step(merged)
    both = entry(merged, CLOSING)
    assert len(both.occurrences) == 2 and both.msgstr == CLOSING_ES
    edit(merged, twice, "## What else should patients know?\n")  # one occurrence removed
    step(merged)
    one = entry(merged, CLOSING)
    assert not one.obsolete and len(one.occurrences) == 1
    edit(merged, CLOSING, "")
    step(merged)
    assert entry(merged, CLOSING).obsolete
    edit(merged, "## What else should patients know?\n", twice)  # back, once
    step(merged)
    back = entry(merged, CLOSING)
    assert not back.obsolete and back.msgstr == CLOSING_ES and "fuzzy" not in back.flags


def test_removed_handout_keeps_its_catalogs_and_gets_them_back(merged: Project, tmp_path: Path) -> None:
    before = {path: path.read_bytes() for path in catalogs(merged)}
    source = merged.handouts_dir / f"{HANDOUT}.md"
    kept = tmp_path / "kept.md"
    shutil.move(source, kept)
    (merged.handouts_dir / "other.md").write_text("---\ntitle: Other\n---\n\nA new handout.\n")
    written = step(merged)
    assert all(path.name == "other.po" for path in written)  # the removed handout's catalogs stay as they are
    assert {path: path.read_bytes() for path in before} == before
    shutil.move(kept, source)
    assert step(merged) == []  # its catalogs still match its template: nothing to write
    assert {path: path.read_bytes() for path in before} == before


def test_twin_left_by_an_earlier_merge_is_repaired(merged: Project) -> None:
    po = merged.po_path("es", HANDOUT)
    text = po.read_text(encoding="utf-8")
    # What the earlier update wrote: an empty live entry beside the translated obsolete one.
    po.write_text(
        text.replace(f'msgstr "{CURE_ES}"', 'msgstr ""') + f'#~ msgid "{CURE}"\n#~ msgstr "{CURE_ES}"\n',
        encoding="utf-8",
    )
    assert msgfmt_check(po).returncode != 0
    assert po in update(merged).written  # the template did not change: the repair alone is written
    assert_valid(merged)
    back = entry(merged, CURE)
    assert back.msgstr == CURE_ES and "fuzzy" not in back.flags
    assert update(merged).written == []


def test_translated_live_entry_wins_over_its_obsolete_twin(merged: Project) -> None:
    po = merged.po_path("es", HANDOUT)
    po.write_text(po.read_text(encoding="utf-8") + f'#~ msgid "{CURE}"\n#~ msgstr "Otra traducción"\n')
    assert po in update(merged).written
    assert_valid(merged)
    assert entry(merged, CURE).msgstr == CURE_ES


def test_malformed_catalog_is_untouched_while_others_restore(merged: Project) -> None:
    edit(merged, CLOSING, "")
    step(merged)
    broken = merged.po_path("pt_BR", HANDOUT)
    text = broken.read_text(encoding="utf-8").replace(
        "Plural-Forms: nplurals=2; plural=(n > 1);", "Plural-Forms: nplurals=2; plural=(n > 1"
    )
    assert text != broken.read_text(encoding="utf-8")
    broken.write_text(text, encoding="utf-8")
    before = broken.read_bytes()
    _restore_closing(merged)
    extract(merged)
    failed = update(merged).failed
    assert list(failed) == [broken]
    assert failed[broken].path == str(broken)
    assert failed[broken].line == next(i for i, ln in enumerate(text.splitlines(), 1) if "Plural-Forms" in ln)
    assert broken.read_bytes() == before
    assert entry(merged, CLOSING).msgstr == CLOSING_ES and not entry(merged, CLOSING).obsolete


def test_merge_guard_finds_a_live_entry_with_an_obsolete_twin() -> None:
    data = (
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        b'msgid "a"\nmsgstr ""\n\n#~ msgid "a"\n#~ msgstr "b"\n'
    )
    assert merge_problems(data) == [(8, "duplicate of the entry at line 5")]
    assert merge_problems(data.replace(b'#~ msgid "a"', b'#~ msgid "c"')) == []


# -- plural messages (the templates' domain) ----------------------------------------------

PROBLEMS = "%(num)s problem found by the automatic checks"
PROBLEMS_PLURAL = "%(num)s problems found by the automatic checks"


def edit_templates(project: Project, old: str, new: str) -> None:
    path = project.templates.path("draft.j2")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_plural_message_removed_and_restored(merged: Project) -> None:
    path = merged.templates.path("draft.j2")
    assert path.is_relative_to(merged.root)
    original = path.read_text(encoding="utf-8")
    line = next(ln for ln in original.splitlines(keepends=True) if PROBLEMS_PLURAL in ln)
    es = entry(merged, PROBLEMS, domain="templates").msgstr_plural
    assert all(es.values())
    path.write_text(original.replace(line, ""), encoding="utf-8")
    step(merged)
    gone = entry(merged, PROBLEMS, domain="templates")
    assert gone.obsolete and gone.msgid_plural == PROBLEMS_PLURAL and gone.msgstr_plural == es
    path.write_text(original, encoding="utf-8")
    step(merged)
    back = entry(merged, PROBLEMS, domain="templates")
    assert not back.obsolete and back.msgstr_plural == es and "fuzzy" not in back.flags
    ar = entry(merged, PROBLEMS, locale="ar", domain="templates")
    assert len(ar.msgstr_plural) == 6


def test_changed_msgid_plural_makes_the_translation_fuzzy(merged: Project) -> None:
    new_plural = "%(num)s problems found by the checks"
    edit_templates(merged, f'"{PROBLEMS_PLURAL}"', f'"{new_plural}"')
    step(merged)
    changed = entry(merged, PROBLEMS, domain="templates")
    assert changed.msgid_plural == new_plural
    assert "fuzzy" in changed.flags  # the same msgid, but the plural English changed
    assert changed.previous_msgid == PROBLEMS and changed.previous_msgid_plural == PROBLEMS_PLURAL
    assert all(changed.msgstr_plural.values())


# -- context, plural and singular changes (catalogs written by hand) -------------------------

POT = """\
msgid ""
msgstr ""
"Project-Id-Version: t 1\\n"
"Content-Type: text/plain; charset=utf-8\\n"

{body}"""

PO = """\
msgid ""
msgstr ""
"Project-Id-Version: t 1\\n"
"Report-Msgid-Bugs-To: \\n"
"POT-Creation-Date: 2026-11-25 00:00+0000\\n"
"PO-Revision-Date: 2026-11-25 00:00+0000\\n"
"Last-Translator: T <t@example.org>\\n"
"Language: es\\n"
"Language-Team: Spanish\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

{body}"""


def merge_by_hand(tmp_path: Path, pot_body: str, po_body: str) -> polib.POFile:
    pot, po = tmp_path / "t.pot", tmp_path / "t.po"
    pot.write_text(POT.format(body=pot_body), encoding="utf-8")
    po.write_text(PO.format(body=po_body), encoding="utf-8")
    update_catalog(pot, po, "es")
    result = msgfmt_check(po)
    assert result.returncode == 0, result.stderr
    before = po.read_bytes()
    assert update_catalog(pot, po, "es") is False and po.read_bytes() == before
    return polib.pofile(str(po))


def test_message_with_context_is_restored_only_for_its_own_context(tmp_path: Path) -> None:
    catalog = merge_by_hand(
        tmp_path,
        'msgctxt "button"\nmsgid "Open"\nmsgstr ""\n\nmsgctxt "state"\nmsgid "Open"\nmsgstr ""\n',
        '#~ msgctxt "button"\n#~ msgid "Open"\n#~ msgstr "Abrir"\n',
    )
    button = catalog.find("Open", msgctxt="button")
    state = catalog.find("Open", msgctxt="state")
    assert button.msgstr == "Abrir" and not button.obsolete and "fuzzy" not in button.flags
    assert state.msgstr == "" or "fuzzy" in state.flags  # another key: never a silent exact match
    assert catalog.obsolete_entries() == []


def test_obsolete_plural_restored_to_a_singular_message_is_fuzzy(tmp_path: Path) -> None:
    catalog = merge_by_hand(
        tmp_path,
        'msgid "one file"\nmsgstr ""\n',
        '#~ msgid "one file"\n#~ msgid_plural "%(n)s files"\n'
        '#~ msgstr[0] "un archivo"\n#~ msgstr[1] "archivos"\n',
    )
    back = catalog.find("one file")
    assert back.msgstr == "un archivo" and "fuzzy" in back.flags and not back.msgid_plural
    assert "python-format" not in back.flags  # format flags are the template's
    assert catalog.obsolete_entries() == []


def test_obsolete_singular_restored_to_a_plural_message_is_fuzzy(tmp_path: Path) -> None:
    catalog = merge_by_hand(
        tmp_path,
        'msgid "one file"\nmsgid_plural "%(n)s files"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        '#~ msgid "one file"\n#~ msgstr "un archivo"\n',
    )
    back = catalog.find("one file")
    assert back.msgstr_plural[0] == "un archivo" and "fuzzy" in back.flags
    assert catalog.obsolete_entries() == []


def test_obsolete_entry_with_previous_msgid_is_read_and_kept(tmp_path: Path) -> None:
    obsolete = '#, fuzzy\n#~| msgid "Old text"\n#~ msgid "Gone text"\n#~ msgstr "Texto ido"\n'
    catalog = merge_by_hand(tmp_path, 'msgid "Kept"\nmsgstr ""\n', obsolete)
    gone = catalog.obsolete_entries()[0]
    assert gone.msgid == "Gone text" and "fuzzy" in gone.flags
    assert obsolete in (tmp_path / "t.po").read_text(encoding="utf-8")


# -- PO syntax ---------------------------------------------------------------------------------

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'  # 4 lines


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ('msgid "a"\nmsgstr[0] "x"\n', 6, "msgstr[0] without msgid_plural"),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n',
            7,
            "msgid_plural needs msgstr[0], msgstr[1]..., not a plain msgstr",
        ),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\nmsgstr[2] "y"\n',
            7,
            "msgstr[1] out of order: msgstr[0] expected",
        ),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "y"\n',
            8,
            "msgstr[2] out of order: msgstr[1] expected",
        ),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[0] "y"\n',
            8,
            "msgstr[0] out of order: msgstr[1] expected",
        ),
        ('msgctxt "c"\nmsgid "a"\nmsgstr[0] "x"\n', 7, "msgstr[0] without msgid_plural"),
        ('#~ msgid "a"\n#~ msgstr[0] "x"\n', 6, "msgstr[0] without msgid_plural"),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n\nmsgid "b"\nmsgstr[0] "z"\n',
            11,
            "msgstr[0] without msgid_plural",
        ),
    ],
)
def test_plural_structure_is_po_syntax(tmp_path: Path, body: str, line: int, problem: str) -> None:
    data = (HEADER + body).encode()
    assert syntax_errors(data) == [(line, problem)]
    path = tmp_path / "es.po"
    path.write_bytes(data)
    with pytest.raises(LdnError) as info:
        read_catalog(path, "es")
    assert (info.value.line, info.value.message) == (line, f"malformed catalog: {problem}")
    found = check_catalog(path, Rules("es"))
    assert [(f.line, f.level, f.code, f.message) for f in found] == [(line, "error", "po-syntax", problem)]


@pytest.mark.parametrize(
    "body",
    [
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
        'msgctxt "c"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n\nmsgid "b"\nmsgstr "z"\n',
        '#, fuzzy\n#| msgid "old"\n#| msgid_plural "olds"\n'
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        '#, fuzzy\n#~| msgid "old"\n#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "x"\n#~ msgstr[1] "y"\n',
    ],
)
def test_valid_plural_structure_passes(body: str) -> None:
    assert syntax_errors((HEADER + body).encode()) == []


# -- Plural-Forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "nplurals=2; plural=(n != 1);",
        "nplurals=1; plural=0;",
        "nplurals=2; plural=n>1",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)",
    ],
)
def test_valid_plural_forms(value: str) -> None:
    assert plural_forms_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("plural=(n != 1);", "Plural-Forms has no nplurals=N"),
        ("nplurals=two; plural=(n != 1);", "nplurals must be an integer >= 1, not 'two'"),
        ("nplurals=0; plural=0;", "nplurals must be an integer >= 1, not '0'"),
        ("nplurals=-1; plural=0;", "nplurals must be an integer >= 1, not '-1'"),
        ("nplurals=2;", "Plural-Forms has no plural=EXPR"),
        ("nplurals=2; plural=;", "Plural-Forms has no plural=EXPR"),
        ("nplurals=2 plural=(n != 1);", "nplurals must be an integer >= 1, not '2 plural=(n != 1)'"),
        (
            "nplurals=2; plural=(n != 1",
            "plural=(n != 1 is not a valid C plural expression (unbalanced parenthesis in plural form)",
        ),
        (
            "nplurals=2; plural=n ! 1;",
            "plural=n ! 1 is not a valid C plural expression (unexpected token in plural form: !)",
        ),
        (
            "nplurals=2; plural=import os;",
            "plural=import os is not a valid C plural expression (invalid token in plural form: import)",
        ),
        ("nplurals=2; plural=n;", "plural=n gives form 2 for n=2; nplurals=2 allows 0..1"),
        ("nplurals=1; plural=(n != 1);", "plural=(n != 1) gives form 1 for n=0; nplurals=1 allows 0..0"),
        ("nplurals=3; plural=n-1;", "plural=n-1 gives form -1 for n=0; nplurals=3 allows 0..2"),
        ("nplurals=2; plural=n%0;", "plural=n%0 divides by zero for n=0"),
        ("nplurals=2; plural=n/0;", "plural=n/0 divides by zero for n=0"),
        (
            "nplurals=2; plural=n>999 ? 2 : 0;",
            "plural=n>999 ? 2 : 0 gives form 2 for n=1000; nplurals=2 allows 0..1",
        ),
        ("nplurals=2; charset=x", "Plural-Forms has no plural=EXPR"),
        ("garbage", "Plural-Forms has 'garbage' where nplurals=N; plural=EXPR; is expected"),
    ],
)
def test_malformed_plural_forms(value: str, problem: str) -> None:
    assert plural_forms_problem(value) == problem


def test_read_catalog_names_the_plural_forms_line(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    path.write_text(
        PO.format(body='msgid "a"\nmsgstr "b"\n').replace("plural=(n != 1);", "plural=(n != 1)) ? 5;")
    )
    with pytest.raises(LdnError) as info:
        read_catalog(path, "es")
    assert info.value.path == str(path)
    assert info.value.line == 10
    assert info.value.message.startswith(
        "malformed catalog: plural=(n != 1)) ? 5 is not a valid C plural expression"
    )


def test_xgettext_placeholder_plural_forms_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.pot"  # Babel cannot read it either (int("INTEGER")); now the line is named
    path.write_text(
        POT.format(body='msgid "a"\nmsgstr ""\n').replace(
            '"Content-Type', '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n"Content-Type'
        )
    )
    with pytest.raises(LdnError) as info:
        read_catalog(path)
    assert (info.value.line, info.value.message) == (
        4,
        "malformed catalog: nplurals must be an integer >= 1, not 'INTEGER'",
    )


def test_plural_forms_split_over_lines_is_found_on_its_first_line() -> None:
    data = (
        b'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; "\n"plural=(n != 1);\\n"\n'
        b'"Content-Type: text/plain; charset=utf-8\\n"\n'
    )
    assert header_field(data, "plural-forms") == (4, "nplurals=2; plural=(n != 1);")
    assert header_field(data, "Content-Type") == (6, "text/plain; charset=utf-8")
    assert header_field(data, "X-Generator") is None


def test_committed_catalogs_have_valid_plural_forms() -> None:
    for path in sorted(REPO.glob("locale/*/LC_MESSAGES/*.po")):
        found = header_field(path.read_bytes(), "Plural-Forms")
        assert found is not None, path
        assert plural_forms_problem(found[1]) is None, path
