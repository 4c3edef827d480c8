"""The command line: same bytes as the library, clear one-line errors, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ldn_i18n.editions import build
from ldn_i18n.extract import extract
from ldn_i18n.project import Project, load_project
from ldn_i18n.update import update

from .conftest import copy_project, run_cli

#: Every run here is the real command, a process of its own, with this fixed time stamp.
EPOCH = {"SOURCE_DATE_EPOCH": "1764028800"}


@pytest.mark.slow
def test_cli_and_library_give_the_same_bytes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    by_cli = copy_project(tmp_path / "cli")
    by_api = copy_project(tmp_path / "api")
    for command in ("extract", "update", "build"):
        run_cli(by_cli, command, check=0, via="module", env=EPOCH)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    extract(by_api)
    update(by_api)
    assert not build(by_api).failed
    for folder in ("locale", "dist"):
        cli_files = sorted(
            p.relative_to(by_cli.root) for p in (by_cli.root / folder).rglob("*") if p.is_file()
        )
        api_files = sorted(
            p.relative_to(by_api.root) for p in (by_api.root / folder).rglob("*") if p.is_file()
        )
        assert cli_files == api_files
        for name in cli_files:
            if name.suffix == ".pot" or name.name == "editions.json":  # times of the run
                continue
            assert (by_cli.root / name).read_bytes() == (by_api.root / name).read_bytes(), name


@pytest.mark.slow
def test_current_directory_is_the_default_root(project: Project) -> None:
    run_cli(None, "extract", check=0, via="module", cwd=project.root, env=EPOCH)


@pytest.mark.slow
def test_bad_front_matter_is_one_line_with_file_and_line(project: Project) -> None:
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text().replace("pages: 2", "pages: [2"))
    result = run_cli(project, "extract", check=2, via="module", env=EPOCH)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert (
        lines[0].startswith(f"{source.relative_to(project.root)}:")
        and ": error: invalid front matter" in lines[0]
    )


def test_not_a_project(tmp_path: Path) -> None:
    run_cli(tmp_path, "build", check=2)


@pytest.mark.slow
def test_failed_edition_gives_exit_1_and_summary(project: Project) -> None:
    extract(project)
    update(project)
    po = project.po_path("es", "templates")
    po.write_text(po.read_text() + '\nmsgid "x"\nmsgstr "broken\n')
    result = run_cli(
        project, "build", "--format", "html", "--locale", "en", "--locale", "es", via="module", env=EPOCH
    )
    assert result.code == 1
    assert "1 editions built (0 drafts), 1 failed" in result.err
    assert "templates.po:" in result.err and "Traceback" not in result.err
    assert (project.dist_dir / "en" / "ldn-overview.html").is_file()


def test_console_script_installed() -> None:
    assert run_cli(None, "--version", via="script").out.startswith("ldn-i18n ")


def test_load_project_uses_packaged_templates_when_project_has_none(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "p")
    shutil.rmtree(proj.root / "templates")
    assert load_project(proj.root).templates.path("handout.html.j2").is_file()
