"""A fork that replaces the Florida clinic's content with its own keeps a green suite (issue 23).

The suite builds its projects from fixtures of its own (tests/fixtures/florida, tests/fixtures/scripts,
projects ``ldn-i18n init`` makes) and reads the repository's own ``source/`` and ``locale/`` only in
tests that are about that content (marked ``repo_content``, skipped when ``source/`` is another
clinic's) or that hold for any clinic's content (its catalogs pass msgfmt, its .pot files are up to
date). The first test below proves the second kind green, and the first skipped, in a copy of the
repository whose content ``init`` replaced; the second keeps every other test off that content.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, run_cli

#: The tests that read the repository's own source/ or locale/: about its content, or about any.
READERS = [
    "tests/test_notice.py::test_the_clinic_lists_floridas_fifteen_languages_and_each_has_a_catalog",
    "tests/test_review_path.py::test_the_committed_catalogs_stay_unreviewed_drafts",
    "tests/test_readability.py::test_command_prints_the_readme_table",
    "tests/test_extract.py::test_repo_pot_is_up_to_date",
    "tests/test_update.py::test_committed_catalogs_pass_msgfmt_check",
    "tests/test_update.py::test_every_locale_folder_has_its_catalogs_checked",
]
#: What the fork copies of the repository (the package itself is the installed one).
COPIED = ("tests", "templates", "docs", "README.md", "pyproject.toml")


@pytest.mark.slow
def test_a_fork_with_another_clinic_runs_the_tests_that_read_its_content_green(tmp_path: Path) -> None:
    fork = tmp_path / "fork"
    for name in COPIED:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, fork / name)
    run_cli(None, "init", str(tmp_path / "clinic"), check=0)
    for folder in ("source", "locale"):
        shutil.copytree(tmp_path / "clinic" / folder, fork / folder)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *READERS],
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    # The three about Florida's content skip (6 + 1 + 1 cases); the others pass on the fork's content.
    assert "8 skipped" in summary and "failed" not in summary and "error" not in summary, summary
    assert "no longer holds (repo_content: docs/new-clinic.md)" in done.stdout
    passed = int(summary.split(" passed")[0].split()[-1])
    assert passed >= 4, summary  # the .pot check and msgfmt over each of the fork's catalogs


@pytest.mark.slow
def test_no_other_test_reads_the_repository_s_source_or_locale() -> None:
    """Every ``REPO / "source"`` or ``REPO / "locale"`` of the tests is in a test of :data:`READERS`
    (or a helper only they use): the rest of the suite runs on fixtures, whatever a fork holds."""
    allowed = {reader.split("::")[1] for reader in READERS} | {"all_catalogs"}
    found = []
    for path in sorted((REPO / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name not in allowed:
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.BinOp)
                        and isinstance(inner.left, ast.Name)
                        and inner.left.id == "REPO"
                        and isinstance(inner.right, ast.Constant)
                        and inner.right.value in ("source", "locale")
                    ):
                        found.append(f"{path.name}:{inner.lineno} in {node.name}")
        for node in tree.body:  # module level: a constant made of the repository's content
            if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                text = ast.unparse(node)
                if 'REPO / "source"' in text or 'REPO / "locale"' in text:
                    found.append(f"{path.name}:{node.lineno}")
    assert not found, found
