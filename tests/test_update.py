"""Catalog merging: msgfmt --check as the oracle, no-op reruns, fuzzy and obsolete entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_i18n.errors import LdnError
from ldn_i18n.extract import extract
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.update import update

from .conftest import REPO, break_catalog, msgfmt_check, needs_msgfmt


def all_catalogs(root: Path) -> list[Path]:
    return sorted((root / "locale").glob("*.pot")) + sorted((root / "locale").glob("*/LC_MESSAGES/*.po"))


def test_every_locale_folder_has_its_catalogs_checked() -> None:
    """The parametrized check below runs on every committed catalog: none is left out by the glob."""
    found = all_catalogs(REPO)
    for folder in sorted(p for p in (REPO / "locale").iterdir() if p.is_dir()):
        assert any(path.is_relative_to(folder) for path in found), f"no catalog of {folder.name} is checked"
    assert any(path.suffix == ".pot" for path in found)


@needs_msgfmt
@pytest.mark.parametrize("path", all_catalogs(REPO), ids=lambda p: str(p.relative_to(REPO)))
def test_committed_catalogs_pass_msgfmt_check(path: Path) -> None:
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr
    if path.suffix == ".po":  # a template's header is a placeholder by design
        assert result.stderr == ""


@pytest.mark.slow
@needs_msgfmt
def test_written_catalogs_pass_msgfmt_check(project: Project) -> None:
    extract(project)
    update(project, ["es", "fr", "pt_BR", "ar"])
    for path in all_catalogs(project.root):
        result = msgfmt_check(path)
        assert result.returncode == 0, (path, result.stderr)


def test_new_catalog_headers_from_cldr(project: Project) -> None:
    extract(project)
    update(project, ["ar"])
    catalog = read_catalog(project.po_path("ar", "ldn-overview"), "ar")
    assert str(catalog.locale) == "ar"
    assert catalog.num_plurals == 6
    text = project.po_path("ar", "ldn-overview").read_text()
    assert '"Language: ar\\n"' in text
    assert "Unreviewed draft" in text


@pytest.mark.slow
def test_update_twice_changes_no_byte(project: Project) -> None:
    extract(project)
    update(project)
    before = {p: p.read_bytes() for p in all_catalogs(project.root)}
    assert extract(project) == []
    assert update(project).written == []
    assert {p: p.read_bytes() for p in all_catalogs(project.root)} == before


@pytest.mark.slow
def test_edited_sentence_becomes_fuzzy_with_previous_msgid(project: Project) -> None:
    extract(project)
    update(project)
    source = project.handouts_dir / "ldn-overview.md"
    old = "LDN is not a cure, but it may help manage symptoms."
    new = "LDN is not a cure, but it may help you manage symptoms."
    source.write_text(source.read_text().replace(old, new))
    extract(project)
    update(project)
    po = project.po_path("es", "ldn-overview")
    catalog = read_catalog(po, "es")
    message = catalog[new]
    assert message.fuzzy
    assert message.previous_id == [old]
    assert "no es una cura" in message.string  # the translator's work is kept
    text = po.read_text()
    assert f'#| msgid "{old}"' in text
    assert update(project).written == []  # the fuzzy entry and its #| survive the next merge
    assert po.read_text() == text


@pytest.mark.slow
def test_removed_sentence_becomes_obsolete_not_deleted(project: Project) -> None:
    extract(project)
    update(project)
    source = project.handouts_dir / "ldn-overview.md"
    gone = "Always talk with a healthcare provider before starting or stopping any medication, including LDN."
    source.write_text(source.read_text().replace(gone, "Call us with any question."))
    extract(project)
    update(project)
    po = project.po_path("es", "ldn-overview")
    text = po.read_text()
    assert '#~ msgid ""' in text or f'#~ msgid "{gone[:20]}' in text
    assert "#~ msgstr" in text
    assert "Siempre hable" in text


@pytest.mark.slow
def test_translator_header_fields_survive(project: Project) -> None:
    extract(project)
    po = project.po_path("es", "ldn-overview")
    text = po.read_text().replace('"Generated-By:', '"X-Generator: Poedit 3.4\\n"\n"Generated-By:')
    po.write_text(text)
    update(project)
    assert '"X-Generator: Poedit 3.4\\n"' in po.read_text()


@pytest.mark.slow
def test_malformed_catalog_names_file_and_line_and_is_not_overwritten(project: Project) -> None:
    extract(project)
    po, line = break_catalog(project)
    before = po.read_bytes()
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text() + "\nA new closing sentence.\n")
    extract(project)
    report = update(project)
    assert list(report.failed) == [po]
    assert report.failed[po].path == str(po)
    assert report.failed[po].line == line
    assert po.read_bytes() == before
    other = project.po_path("pt_BR", "ldn-overview")  # the other catalogs were still merged
    assert other in report.written
    assert 'msgid "A new closing sentence."' in other.read_text()


def test_unknown_locale_is_refused(project: Project) -> None:
    extract(project)
    with pytest.raises(LdnError, match="not a locale CLDR knows"):
        update(project, ["xx_NOPE"])
