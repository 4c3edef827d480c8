"""The code stays clean: ruff (lint and format) and mypy, as configured in pyproject.toml.

A missing tool skips these tests on a developer's machine, and fails them in CI
(``CI`` set, as every CI service sets it), where a skip would pass unread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

BIN = Path(sys.executable).parent


def in_ci() -> bool:
    """Whether the environment variable CI says this is a CI run (set, and not 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def tool(name: str) -> str:
    """The tool installed next to this Python; a skip without it, or a failure in CI."""
    found = shutil.which(name, path=str(BIN))
    if found is None:
        reason = f"{name} is not installed next to {sys.executable} (pip install -e '.[test]')"
        if in_ci():
            pytest.fail(f"{reason}: CI must run every check", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(args: list[str]) -> None:
    result = subprocess.run(
        [tool("ruff"), *args, "ldn_i18n", "tests", "bench"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy() -> None:
    result = subprocess.run([tool("mypy"), "ldn_i18n"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [("true", pytest.fail.Exception), ("1", pytest.fail.Exception), ("", pytest.skip.Exception)],
    ids=["CI=true", "CI=1", "no CI"],
)
def test_a_missing_tool_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "BIN", tmp_path)  # a folder with no tool in it
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="ruff is not installed"):
        tool("ruff")
