"""check: each failure class as a fixture catalog stating the exact findings, plus the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ldn_i18n.check import CODES, Rules, check_catalog, numbers_in
from ldn_i18n.project import Project

from .conftest import edit_catalog, expected, run_cli

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "check").glob("*.po"))
RULES = Rules("es", do_not_translate=["LDN", "FDA"], glossary={"fibromyalgia": "fibromialgia"})


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_catalog(path: Path) -> None:
    found = check_catalog(path, RULES)
    shown = [(f.line, f.level if f.counts else "suppressed", f.code) for f in found]
    assert shown == expected(path), "\n".join(map(str, found))
    for finding in found:
        assert CODES[finding.code][0] == finding.level
        level = finding.level if finding.counts else f"suppressed {finding.level}"
        assert str(finding).startswith(f"{path}:{finding.line}: {level}: {finding.code} ")


def test_every_code_is_exercised_or_documented() -> None:
    exercised = {code for path in FIXTURES for _, _, code in expected(path)}
    exercised |= {code for _, _, code in expected(Path(__file__).parent / "fixtures" / "back" / "back.po")}
    readme = (Path(__file__).parent.parent / "docs" / "checks.md").read_text()
    for code in CODES:
        assert f"`{code}`" in readme, f"docs/checks.md does not document {code}"
    exercised |= {"reading-level", "long-sentence", "length", "harder-sentence"}  # test_plain_language.py
    assert exercised >= set(CODES) - {"msgfmt", "source"}


@pytest.mark.parametrize(
    ("text", "locale", "numbers", "invalid"),
    [
        ("1,5 a 4,5 mg", "es", ["1.5", "4.5"], []),
        ("1.5 a 4,5 mg", "es", ["4.5"], ["1.5"]),
        ("15 a 45 mg", "es", ["15", "45"], []),
        ("1.5 to 4.5 mg, 1,000 people", "en", ["1.5", "4.5", "1000"], []),
    ],
)
def test_numbers_are_read_in_the_locale_notation(
    text: str, locale: str, numbers: list[str], invalid: list[str]
) -> None:
    found, bad = numbers_in(text, locale)
    assert sorted(str(n) for n in found.elements()) == sorted(numbers)
    assert bad == invalid


def break_dose(project: Project) -> Path:
    po = project.po_path("es", "ldn-overview")
    edit_catalog(po, replace=("de 1,5 a 4,5 mg", "de 15 a 45 mg"))
    return po


@pytest.mark.slow
def test_repository_catalogs_are_clean(project: Project) -> None:
    """No finding on any catalog; the English's plain-language warnings (issue 12 keeps its wording)."""
    result = run_cli(project, "check", check=0, via="module")
    assert result.err.strip() == "0 errors, 4 warnings, 0 suppressed", result.out
    codes = re.findall(r"^source/handouts/ldn-overview\.md:\d+: warning: ([\w-]+) ", result.out, re.M)
    assert codes == ["reading-level", "long-sentence", "long-sentence", "long-sentence"], result.out


@pytest.mark.slow
def test_changed_dose_fails_check_with_file_and_line(project: Project) -> None:
    po = break_dose(project)
    result = run_cli(project, "check", check=1, via="module")
    match = re.search(
        r"^locale/es/LC_MESSAGES/ldn-overview.po:(\d+): error: numbers "
        r"missing number 1,5, 4,5 \(as written in es\)",
        result.out,
        re.M,
    )
    assert match, result.out
    lines = po.read_text().splitlines()
    msgstr_at = int(match.group(1))
    assert lines[msgstr_at - 1].startswith("msgstr")
    strings = [
        line.split('"', 1)[1].rsplit('"', 1)[0]
        for line in lines[msgstr_at - 1 : msgstr_at + 12]
        if line.startswith(("msgstr", '"'))
    ]
    assert "de 15 a 45 mg" in "".join(strings)


@pytest.mark.slow
def test_json_and_github_formats(project: Project) -> None:
    break_dose(project)
    data = json.loads(run_cli(project, "check", "--format", "json", "--locale", "es", via="module").out)
    assert data["version"] == 1 and data["summary"]["errors"] >= 1
    finding = data["findings"][0]
    assert set(finding) == {"path", "line", "level", "code", "message", "msgid", "suppressed"}
    github = run_cli(project, "check", "--format", "github", "--locale", "es", via="module").out.splitlines()
    assert github[0].startswith("::warning file=source/handouts/ldn-overview.md,line=2,title=reading-level::")
    error = next(line for line in github if line.startswith("::error"))
    assert error.startswith("::error file=locale/es/LC_MESSAGES/ldn-overview.po,line=")
    assert ",title=numbers::" in error


@pytest.mark.slow
def test_unknown_locale_is_unusable_input(project: Project) -> None:
    run_cli(project, "check", "--locale", "sv", check=2, via="module")


@pytest.mark.slow
def test_source_errors_are_findings(project: Project) -> None:
    source = project.handouts_dir / "ldn-overview.md"
    source.write_text(source.read_text().replace("@sikora2019]", "@nobody]"))
    result = run_cli(project, "check", check=1, via="module")
    assert "source/handouts/ldn-overview.md:12: error: source citation key @nobody" in result.out
