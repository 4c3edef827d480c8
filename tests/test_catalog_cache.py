"""Catalog statuses kept between builds by the hash of all they are computed from (ldn_i18n.catalogs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_i18n import catalogs
from ldn_i18n.catalogs import cache_dir, cached_status, catalog_status, keep_status, status_key
from ldn_i18n.editions import build
from ldn_i18n.pofiles import ProjectCatalog
from ldn_i18n.project import Project

from .conftest import calls_of, edit_catalog


def test_a_kept_status_is_the_status_and_any_input_changes_its_key(project: Project) -> None:
    # A dose changed: the status holds an error finding, with its line, code and msgid.
    edit_catalog(project.po_path("es", "ldn-overview"), replace=("1,5 a 4,5 mg", "2,5 a 4,5 mg"))
    status = catalog_status(project, "es", "ldn-overview")
    assert status is not None and status.errors and status.findings
    key = status_key(project, "es", "ldn-overview")
    keep_status(project, key, status)
    assert cached_status(project, "es", "ldn-overview", key) == status
    keys = {key}
    edit_catalog(project.po_path("es", "ldn-overview"), "Is LDN safe?", msgstr="¿La LDN es segura?")
    keys.add(status_key(project, "es", "ldn-overview"))
    glossary = project.glossary_path("es")
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    keys.add(status_key(project, "es", "ldn-overview"))
    records = project.locale_dir / "es" / "review" / "ldn-overview.json"
    records.parent.mkdir()
    records.write_text("{}", encoding="utf-8")
    keys.add(status_key(project, "es", "ldn-overview"))
    assert len(keys) == 4  # catalog, glossary, sign-offs: each one changes what is kept


def test_an_unreadable_entry_is_computed_again(project: Project) -> None:
    key = status_key(project, "es", "templates")
    folder = cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.json").write_text('{"messages": "many"', encoding="utf-8")
    assert cached_status(project, "es", "templates", key) is None


def test_no_cache_when_asked(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDN_I18N_NO_CACHE", "1")
    assert cache_dir() is None
    key = status_key(project, "vi", "templates")
    status = catalog_status(project, "vi", "templates")
    assert status is not None
    keep_status(project, key, status)
    assert cached_status(project, "vi", "templates", key) is None


@pytest.mark.slow
def test_a_second_clean_build_checks_no_catalog_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = calls_of(monkeypatch, catalogs, "check_catalog")  # jobs=1: this process checks

    def checked() -> list[Path]:
        return [c[0].source_path if isinstance(c[0], ProjectCatalog) else c[0] for c in calls]

    monkeypatch.setenv("XDG_CACHE_HOME", str(project.root.parent / "cache"))
    assert not build(project, ["es"], ("html",), jobs=1).failed
    assert project.po_path("es", "ldn-overview") in checked()
    calls.clear()
    first = (project.dist_dir / "es" / "ldn-overview.html").read_bytes()
    assert not build(project, ["es"], ("html",), jobs=1, force=True).failed
    assert checked() == []  # every status kept: nothing checked again
    assert (project.dist_dir / "es" / "ldn-overview.html").read_bytes() == first
    edit_catalog(project.po_path("es", "ldn-overview"), "Is LDN safe?", msgstr="¿La LDN es segura?")
    assert not build(project, ["es"], ("html",), jobs=1).failed
    assert checked() == [project.po_path("es", "ldn-overview")]  # the edited catalog alone
