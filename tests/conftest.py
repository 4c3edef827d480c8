"""Shared fixtures: a throw-away copy of the real project, and one full build of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ldn_i18n.build import build
from ldn_i18n.extract import extract
from ldn_i18n.project import Project, load_project
from ldn_i18n.pseudo import write_pseudo
from ldn_i18n.update import update

REPO = Path(__file__).resolve().parent.parent
#: The clinic's original handout, copied from shared/seed/ so the oracle is always here.
SEED = Path(__file__).parent / "fixtures" / "seed-ldn-overview.txt"
SHARED_SEED = REPO.parent / "shared" / "seed" / "ldn-overview-handout.txt"


def copy_project(target: Path) -> Project:
    """The repository's source, locale and templates folders copied under ``target``."""
    for folder in ("source", "locale", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return load_project(target)


def pdf_text(path: Path) -> str:
    """The text of a PDF as read back from the file, whitespace folded."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project extracted, updated and built (en and es, HTML and PDF) once."""
    proj = copy_project(tmp_path_factory.mktemp("built") / "project")
    extract(proj)
    update(proj)
    write_pseudo(proj)
    report = build(proj)
    assert not report.failed, report.summary()
    return proj


@pytest.fixture(scope="session")
def seed_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    if SHARED_SEED.is_file():
        assert SHARED_SEED.read_text(encoding="utf-8") == text, "tests/fixtures seed copy is stale"
    return text
