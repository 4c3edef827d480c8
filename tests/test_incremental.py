"""Build engine: parallel rendering gives the same bytes; unchanged editions are not rebuilt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ldn_i18n.editions import build
from ldn_i18n.project import Project

from .conftest import break_catalog, edit_catalog, made, run_cli

LOCALES = ["en", "es", "ar"]


def outputs(project: Project) -> dict[str, bytes]:
    return {
        str(p.relative_to(project.dist_dir)): p.read_bytes()
        for p in sorted(project.dist_dir.rglob("*.*"))
        if p.suffix in (".pdf", ".html")
    }


@pytest.mark.slow
def test_parallel_and_serial_builds_give_the_same_files(project: Project, tmp_path: Path) -> None:
    serial = build(project, LOCALES, jobs=1)
    first = outputs(project)
    parallel = build(project, LOCALES, jobs=2, force=True)
    assert not serial.failed and not parallel.failed
    assert made(parallel) == ["ar/ldn-overview", "en/ldn-overview", "es/ldn-overview"]
    assert outputs(project) == first
    assert {r.pages for r in parallel.results} == {3}  # the 2-page handout, then the notice's page


@pytest.mark.slow
def test_nothing_changed_means_nothing_rendered(project: Project) -> None:
    build(project, LOCALES)
    pdf = project.dist_dir / "es" / "ldn-overview.pdf"
    stamp = pdf.stat().st_mtime_ns
    code = (
        "import sys; from ldn_i18n.editions import build; from ldn_i18n.project import load_project; "
        f"r = build(load_project({str(project.root)!r}), {LOCALES!r}); "
        "print(all(x.reused for x in r.results), 'weasyprint' in sys.modules, r.summary())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("True False 3 editions built (2 drafts), 0 failed; 3 up to date"), out
    assert pdf.stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_a_catalog_edit_rebuilds_only_that_locale(project: Project) -> None:
    build(project, LOCALES)
    edit_catalog(project.po_path("es", "ldn-overview"), "Is LDN safe?", msgstr="¿La LDN es segura?")
    report = build(project, LOCALES)
    assert made(report) == ["es/ldn-overview"]
    assert "¿La LDN es segura?" in (project.dist_dir / "es" / "ldn-overview.html").read_text()


@pytest.mark.slow
def test_shared_inputs_rebuild_everything(project: Project) -> None:
    build(project, LOCALES, formats=("html",))
    clinic = project.root / "source" / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("813 773 7717", "813 773 7718"))
    assert made(build(project, LOCALES, formats=("html",))) == [
        f"{loc}/ldn-overview" for loc in sorted(LOCALES)
    ]
    css = project.root / "templates" / "handout.css.j2"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert len(made(build(project, LOCALES, formats=("html",)))) == 3


@pytest.mark.slow
def test_force_and_missing_outputs_rebuild(project: Project) -> None:
    build(project, LOCALES, formats=("html",))
    assert made(build(project, LOCALES, formats=("html",), force=True)) == sorted(
        f"{loc}/ldn-overview" for loc in LOCALES
    )
    (project.dist_dir / "ar" / "ldn-overview.html").unlink()
    assert made(build(project, LOCALES, formats=("html",))) == ["ar/ldn-overview"]


@pytest.mark.slow
def test_failed_edition_is_retried(project: Project) -> None:
    po = project.po_path("es", "ldn-overview")
    good = po.read_text()
    break_catalog(project, "es")
    assert [r.key for r in build(project, LOCALES, formats=("html",)).failed] == ["es/ldn-overview"]
    po.write_text(good)
    # Spanish is made again; English and Arabic too, since their pages link to it again.
    assert made(build(project, LOCALES, formats=("html",))) == [
        "ar/ldn-overview",
        "en/ldn-overview",
        "es/ldn-overview",
    ]


@pytest.mark.slow
def test_ci_log_has_one_line_per_edition_and_a_summary(project: Project) -> None:
    locales = [arg for locale in LOCALES for arg in ("--locale", locale)]
    result = run_cli(
        project, "build", "--format", "html", "--jobs", "2", *locales, via="module", env={"CI": "true"}
    )
    lines = result.out.strip().splitlines()
    assert sorted(lines[:-1]) == [
        "ar/ldn-overview: draft",
        "en/ldn-overview: final",
        "es/ldn-overview: draft",
    ]
    assert lines[-1].startswith("3 editions built (2 drafts), 0 failed in ")
