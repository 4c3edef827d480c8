"""A fresh machine, today and next year: the lock, honest ranges, statuses keyed by what makes them,
the canary, a test run that tested nothing, and the fonts each PDF embedded.
"""

from __future__ import annotations

import ast
import importlib.metadata
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from ldn_i18n import catalogs, versions
from ldn_i18n.catalogs import status_key
from ldn_i18n.init import STARTER
from ldn_i18n.manifest import BuildRecord
from ldn_i18n.project import Project

from .conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
UV = REPO / ".uv" / "bin" / "uv"
needs_uv = pytest.mark.skipif(not UV.is_file(), reason="scripts/setup.sh installs uv into .uv/")


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported_top_level(folder: Path) -> set[str]:
    """Every top-level module ``folder``'s code imports, inside functions too, but its own."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"ldn_i18n", "__future__"}


@pytest.mark.slow
def test_every_package_the_code_imports_is_declared() -> None:
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    missing = {
        module: providers.get(module)
        for module in _imported_top_level(REPO / "ldn_i18n")
        if not {_name(d) for d in providers.get(module, [module])} & declared
    }
    assert missing == {}, "imported but not in pyproject.toml's dependencies"


def test_a_private_weasyprint_api_has_an_upper_bound() -> None:
    """pdfua.py wraps weasyprint.pdf.tags._build_box_tree, pdf.py weasyprint.pdf.fonts.Font's
    _harfbuzz_subset: the next major release may drop them."""
    assert "_build_box_tree" in (REPO / "ldn_i18n" / "pdfua.py").read_text(encoding="utf-8")
    assert "_harfbuzz_subset" in (REPO / "ldn_i18n" / "pdf.py").read_text(encoding="utf-8")
    weasyprint = next(r for r in PYPROJECT["project"]["dependencies"] if _name(r) == "weasyprint")
    assert "<" in weasyprint


def test_no_private_babel_api_is_used() -> None:
    """Babel is declared without an upper bound, so the code may use only its public API."""
    private = re.compile(r"\._(messages|key_for|data)\b")
    uses = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "ldn_i18n").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line)
    ]
    babel = next(r for r in PYPROJECT["project"]["dependencies"] if _name(r) == "babel")
    assert uses == [] or "<" in babel, uses


def test_the_lock_pins_every_runtime_and_test_dependency() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    pinned = {p["name"] for p in lock["package"]}
    wanted = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    assert {_name(r) for r in wanted} - pinned == set()
    for package in lock["package"]:
        if package.get("source", {}).get("registry"):  # every download is checked against its hash
            files = [package.get("sdist", {}), *package.get("wheels", [])]
            assert files and all(f.get("hash", "").startswith("sha256:") for f in files if f), package["name"]


@pytest.mark.slow
def test_every_test_dependency_imports() -> None:
    """A test extra that installs but does not import (textstat without pkg_resources) would skip
    the tests it is the oracle of, silently."""
    providers = importlib.metadata.packages_distributions()
    wanted = {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    modules = sorted(
        module
        for module, dists in providers.items()
        if {_name(d) for d in dists} & wanted and module.isidentifier() and not module.startswith("_")
    )
    assert {"textstat", "pikepdf", "pypdf", "playwright"} <= set(modules)
    for module in modules:
        importlib.import_module(module)


@needs_uv
def test_the_lock_is_in_step_with_pyproject() -> None:
    done = subprocess.run(
        [str(UV), "lock", "--check", "--offline"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
@needs_uv
def test_setup_refuses_a_lock_older_than_pyproject(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "scripts", tmp_path / "scripts")
    (tmp_path / ".uv").symlink_to(REPO / ".uv")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"babel>=2.16",', '"babel>=2.16",\n    "six>=1.16",'),
        encoding="utf-8",
    )
    done = subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert "uv.lock is out of date with pyproject.toml" in done.stderr
    assert "scripts/lock.sh" in done.stderr
    assert not (tmp_path / ".venv").exists()  # nothing resolved on its own


@pytest.mark.slow
@needs_uv
def test_setup_again_keeps_the_environment_and_every_module_imports_compiled(tmp_path: Path) -> None:
    # Where PYTHONDONTWRITEBYTECODE is set (CI images often set it) nothing caches bytecode at
    # import: setup.sh compiles it at install, and a second run must neither make .venv again
    # (uv did, on every run, when handed pyenv's shim) nor lose it.
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(REPO / name, tmp_path / name)
    for folder in ("scripts", "ldn_i18n", "templates", "docs"):
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / ".uv").symlink_to(REPO / ".uv")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for run in range(2):
        done = subprocess.run(
            ["bash", "scripts/setup.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr
        if run == 0:
            (tmp_path / ".venv" / "made-once").touch()
    assert (tmp_path / ".venv" / "made-once").exists(), "the second set-up made .venv again"
    python = tmp_path / ".venv" / "bin" / "python"
    imported = subprocess.run(
        [python, "-v", "-c", "import weasyprint, ldn_i18n.cli, ldn_i18n.editions"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    loaded = re.findall(r"^# code object from '?(.+?)'?$", imported, re.M)
    mine = [path for path in loaded if path.startswith(str(tmp_path))]
    assert any("/weasyprint/" in path for path in mine) and any("/ldn_i18n/" in path for path in mine)
    compiled_now = [path for path in mine if path.endswith(".py")]
    assert not compiled_now, f"compiled at import, not at install: {compiled_now[:5]}"


@pytest.mark.slow
def test_test_sh_fails_when_pytest_collected_nothing(tmp_path: Path) -> None:
    # test.sh in a checkout of its own whose set-up has nothing to do (setup.sh is tested above):
    # running it in the repository would make the .venv again under the suite that is running.
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "test.sh", tmp_path / "scripts" / "test.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("#!/usr/bin/env bash\n", encoding="utf-8")
    (tmp_path / "scripts" / "setup.sh").chmod(0o755)
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_one.py").write_text("def test_one() -> None:\n    pass\n", encoding="utf-8")
    done = subprocess.run(
        ["bash", "scripts/test.sh", "-q", "-p", "no:cacheprovider", "tests", "-k", "no_such"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert done.returncode == 5, done.stdout + done.stderr
    assert "collected no tests" in done.stderr


def test_ci_runs_the_readme_s_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test.sh" in ci
    assert "./scripts/test.sh" in (REPO / "README.md").read_text(encoding="utf-8")


# --- statuses kept between builds, keyed by what makes them -----------------------------------


def test_another_babel_or_cldr_is_another_status_key(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = status_key(project, "es", "templates")
    real = versions.dependency_versions()
    assert {"babel", "cldr", "python", "unicode", "msgfmt"} <= set(real)
    assert "polib" not in real  # a test oracle only: ldn_i18n parses catalogs itself
    for changed in ({"babel": "2.99.0"}, {"cldr": "99"}, {"msgfmt": "9.9"}):
        monkeypatch.setattr(versions, "dependency_versions", lambda changed=changed: {**real, **changed})
        catalogs._code_digest.cache_clear()
        try:
            assert status_key(project, "es", "templates") != key, changed
        finally:
            catalogs._code_digest.cache_clear()
    monkeypatch.undo()
    assert status_key(project, "es", "templates") == key


def test_every_runtime_dependency_is_in_the_versions() -> None:
    """Read from the installed metadata: a dependency added to pyproject.toml needs no code change."""
    found = versions.dependency_versions()
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert found.get(_name(requirement), "-") != "-", requirement


# --- the canary --------------------------------------------------------------------------------


def test_the_canary_workflow_runs_weekly_and_prints_what_differs() -> None:
    text = (REPO / ".github" / "workflows" / "canary.yml").read_text(encoding="utf-8")
    assert re.search(r"schedule:\s*\n\s*- cron: \"\d+ \d+ \* \* \d\"", text)
    assert "scripts/canary.sh" in text and "--unbounded" in text
    script = (REPO / "scripts" / "canary.sh").read_text(encoding="utf-8")
    assert "--upgrade" in script and "scripts/lock_diff.py" in script and "pytest" in script


CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
#: The repository's workflows, and the one `ldn-i18n init` writes into a new clinic's project.
WORKFLOWS = [*sorted((REPO / ".github" / "workflows").glob("*.yml")), STARTER / "workflows" / "handouts.yml"]


@pytest.mark.slow
@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema is a test dependency (in the lock)")
@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_github_actions_accepts_the_workflow(workflow: Path, tmp_path: Path) -> None:
    """Validated against the GitHub workflow schema check-jsonschema ships (no network)."""
    command = [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", "--no-cache"]
    done = subprocess.run([*command, str(workflow)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    # The oracle refuses what GitHub refuses: a job with no steps and no reusable workflow.
    broken = tmp_path / workflow.name
    broken.write_text(re.sub(r"(?m)^    steps:$", "    stepz:", workflow.read_text(encoding="utf-8")))
    assert subprocess.run([*command, str(broken)], capture_output=True, timeout=120).returncode != 0


def test_lock_diff_names_each_package_that_differs(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    pytest_version = importlib.metadata.version("pytest")
    lock.write_text(
        "version = 1\n"
        '[[package]]\nname = "pytest"\nversion = "0.0.1"\nsource = { registry = "https://pypi.org/simple" }\n'
        '[[package]]\nname = "no-such-package"\nversion = "1.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        '[[package]]\nname = "ldn-i18n"\nversion = "0.1.0"\nsource = { editable = "." }\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "lock_diff.py"), str(lock)], capture_output=True, text=True
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"pytest: 0.0.1 in uv.lock, {pytest_version} installed" in lines
    assert not any(line.startswith("no-such-package") for line in lines)  # another platform's
    assert "pluggy: not in uv.lock, " + importlib.metadata.version("pluggy") + " installed" in lines
    assert not any(line.startswith("ldn-i18n") for line in lines)


def test_lock_diff_is_silent_for_the_lock_this_environment_was_made_from() -> None:
    if (REPO / ".venv").resolve() != Path(sys.prefix).resolve():
        pytest.skip("this Python is not the project's .venv, which setup.sh makes from uv.lock")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "lock_diff.py")], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stdout


# --- the fonts a PDF embedded ------------------------------------------------------------------


def _embedded_programs(pdf: Path) -> dict[str, str]:
    """PostScript name -> revision of each font program embedded in ``pdf``, read back with pypdf."""
    found = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            program = TTFont(io.BytesIO(stream.get_object().get_data()), lazy=True)
            found[program["name"].getDebugName(6)] = f"{program['head'].fontRevision:.3f}"
    return found


def test_the_record_names_each_font_file_a_pdf_embedded_and_its_version(built: Project) -> None:
    record = BuildRecord.load(built)
    entry = record.editions["es/ldn-overview"]
    fonts = entry["fonts"]
    embedded: dict[str, str] = {}
    for name in entry["outputs"]:
        if name.endswith(".pdf"):  # the edition and its large print
            embedded |= _embedded_programs(built.dist_dir / name)
    assert embedded and {font["font"]: font["version"] for font in fonts} == embedded
    for font in fonts:
        assert os.path.isfile(font["file"]), font
        installed = TTFont(font["file"], lazy=True, fontNumber=0)
        assert f"{installed['head'].fontRevision:.3f}" == font["version"]
