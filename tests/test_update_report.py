"""``update`` returns an :class:`UpdateReport`; the CLI prints it and picks the exit code.

Also: the light imports the thin CLI relies on (``extract`` loads neither the
renderer nor the checks), and the check output formats the CLI prints.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ldn_i18n import update as update_module
from ldn_i18n.check import Finding, format_findings, tally
from ldn_i18n.cli import main
from ldn_i18n.errors import LdnError
from ldn_i18n.extract import extract
from ldn_i18n.project import Project
from ldn_i18n.update import UpdateReport, update

from .conftest import break_catalog

SOURCE_SENTENCE = "A new closing sentence."


def add_sentence(project: Project) -> None:
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{SOURCE_SENTENCE}\n", encoding="utf-8")


def test_report_lists_written_created_and_unchanged(project: Project) -> None:
    extract(project)
    first = update(project, ["es", "sv"])
    assert isinstance(first, UpdateReport) and first.ok
    assert first.failed == {} and first.warnings == []
    new = [project.po_path("sv", domain) for domain in project.edition_domains()]
    assert first.created == new  # sv had no catalog: made from the templates (it is not in the notice)
    assert set(first.created) <= set(first.written)
    every = {project.po_path("sv", domain) for domain in project.edition_domains()}
    every |= {project.po_path("es", domain) for domain in project.domains()}
    assert set(first.written) | set(first.unchanged) == every
    again = update(project, ["es", "sv"])
    assert (again.written, again.created) == ([], [])
    assert set(again.unchanged) == every


def test_malformed_catalog_is_reported_untouched_and_the_others_merged(project: Project) -> None:
    po, line = break_catalog(project)
    before = po.read_bytes()
    add_sentence(project)
    extract(project)
    report = update(project)
    assert not report.ok
    assert list(report.failed) == [po]
    error = report.failed[po]
    assert isinstance(error, LdnError) and (error.path, error.line) == (str(po), line)
    assert po.read_bytes() == before
    other = project.po_path("pt_BR", "ldn-overview")
    assert other in report.written and po not in report.written + report.unchanged
    assert f'msgid "{SOURCE_SENTENCE}"' in other.read_text(encoding="utf-8")


def test_cli_prints_the_report_and_exits_1_on_a_failed_catalog(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    po, line = break_catalog(project)
    add_sentence(project)
    extract(project)
    capsys.readouterr()
    assert main(["--root", str(project.root), "update"]) == 1
    out, err = capsys.readouterr()
    where = po.relative_to(project.root)
    assert f"wrote {project.po_path('pt_BR', 'ldn-overview').relative_to(project.root)}" in out.splitlines()
    assert f"wrote {where}" not in out
    first, *rest = err.splitlines()
    assert first.startswith(f"{where}:{line}: error: "), err  # named relative to the project
    assert rest == ["1 catalogs left unchanged"]


def test_cli_prints_each_warning_and_a_warning_alone_exits_0(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = update_module.update

    def with_warning(project: Project, locales: list[str] | None = None, memory: bool = True) -> UpdateReport:
        report = real(project, locales, memory=memory)
        report.warnings.append("no font for the Ethiopic script: install Noto Sans Ethiopic")
        return report

    monkeypatch.setattr(update_module, "update", with_warning)
    extract(project)
    capsys.readouterr()
    assert main(["--root", str(project.root), "update", "--locale", "es"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == ["warning: no font for the Ethiopic script: install Noto Sans Ethiopic"]


def test_missing_template_is_refused_before_any_catalog_is_touched(project: Project) -> None:
    extract(project)
    project.pot_path("templates").unlink()
    before = {p: p.read_bytes() for p in project.locale_dir.rglob("*.po")}
    add_sentence(project)
    with pytest.raises(LdnError, match="no template"):
        update(project)
    assert {p: p.read_bytes() for p in project.locale_dir.rglob("*.po")} == before


@pytest.mark.slow
def test_extract_loads_neither_the_renderer_nor_the_checks() -> None:
    code = (
        "import sys\n"
        "import ldn_i18n.extract\n"
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['ldn_i18n', 'render'], ['ldn_i18n', 'check'], ['ldn_i18n', 'edition'])))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


FINDINGS = [
    Finding("locale/es/LC_MESSAGES/h.po", 12, "error", "numbers", "1.5 became 15", "Take 1.5 mg"),
    Finding("locale/es/LC_MESSAGES/h.po", 20, "warning", "glossary", "use 'dosis'", "dose"),
    Finding("locale/es/LC_MESSAGES/h.po", 31, "error", "units", "100%\nmg", "", suppressed="a list"),
]


def test_check_formats() -> None:
    assert str(tally(FINDINGS)) == "1 errors, 1 warnings, 1 suppressed"
    assert format_findings(FINDINGS) == "\n".join(str(f) for f in FINDINGS)
    assert format_findings(FINDINGS, "github").splitlines() == [
        "::error file=locale/es/LC_MESSAGES/h.po,line=12,title=numbers::1.5 became 15 [msgid: Take 1.5 mg]",
        "::warning file=locale/es/LC_MESSAGES/h.po,line=20,title=glossary::use 'dosis' [msgid: dose]",
        "::notice file=locale/es/LC_MESSAGES/h.po,line=31,title=units::"
        "suppressed by noqa (a list): 100%25%0Amg",
    ]
    document = json.loads(format_findings(FINDINGS, "json"))
    assert document["version"] == 1
    assert document["summary"] == {"errors": 1, "warnings": 1, "suppressed": 1}
    assert [f["code"] for f in document["findings"]] == ["numbers", "glossary", "units"]
    assert format_findings([], "text") == format_findings([], "github") == ""
    with pytest.raises(LdnError, match="unknown check output format"):
        format_findings(FINDINGS, "xml")
