"""The package's layers (docs/architecture.md), kept by import-linter, and the size of its modules.

import-linter (with grimp) is the oracle: it reads every import, those inside
functions included, and fails a module that imports from a layer above it.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "ldn_i18n"
#: No module of the package grows past this many lines (one job per module).
MAX_LINES = 500


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the package and contract in ``root``."""
    tool = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(tool), "--no-cache", "--config", str(root / ".importlinter")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def modules() -> list[str]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def layered() -> set[str]:
    """The modules and packages the layers contract names."""
    config = configparser.ConfigParser()
    config.read(REPO / ".importlinter", encoding="utf-8")
    text = config["importlinter:contract:layers"]["layers"]
    names = text.replace(":", "|").replace("\n", "|").split("|")
    return {name.strip() for name in names if name.strip()}


@pytest.mark.slow
def test_the_package_keeps_its_layers() -> None:
    run = lint_imports(REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def lint_with(tmp_path: Path, module: str, added: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over a copy of the package whose ``module`` (a path inside it) ends with
    ``added``."""
    shutil.copytree(PACKAGE, tmp_path / "ldn_i18n", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(REPO / ".importlinter", tmp_path)
    path = tmp_path / "ldn_i18n" / module
    path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
    return lint_imports(tmp_path)


@pytest.mark.slow
def test_an_import_inside_a_function_that_goes_up_a_layer_is_refused(tmp_path: Path) -> None:
    run = lint_with(tmp_path, "languages.py", "\n\ndef _up() -> None:\n    from .edition import compose\n")
    assert run.returncode != 0
    assert "ldn_i18n.languages is not allowed to import ldn_i18n.edition" in run.stdout


@pytest.mark.slow
def test_an_import_circle_inside_a_stage_is_refused(tmp_path: Path) -> None:
    circle = "\n\ndef _circle() -> None:\n    from .messages import Check\n"
    run = lint_with(tmp_path, "check/codes.py", circle)
    assert run.returncode != 0
    assert "No import circle inside a stage's package BROKEN" in run.stdout


@pytest.mark.parametrize("name", modules())
def test_every_module_has_a_layer(name: str) -> None:
    named = layered()
    # A package whose modules stand in layers of their own (ldn_i18n.review) holds no code.
    spread = any(layer.startswith(name + ".") for layer in named)
    assert name == "ldn_i18n" or spread or any(name == ly or name.startswith(ly + ".") for ly in named), (
        f"{name} is in no layer of .importlinter: add it to the layer of what it imports"
    )


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        str(path.relative_to(REPO)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"
