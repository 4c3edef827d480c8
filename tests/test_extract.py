"""Extraction: fixture cases (markdown-it-py style) and a golden .pot of the real handout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ldn_i18n.errors import LdnError
from ldn_i18n.extract import extract, handout_template
from ldn_i18n.pofiles import catalog_bytes, read_catalog
from ldn_i18n.project import Project
from ldn_i18n.source import parse_handout

from .conftest import REPO

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def read_fixture(path: Path) -> list[tuple[int, str, str, str]]:
    """``(line, title, input, expected)`` cases separated by lines holding a single '.'."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if lines[i].strip() and lines[i + 1] == ".":
            start, title = i + 1, lines[i]
            end_input = lines.index(".", i + 2)
            end_expected = lines.index(".", end_input + 1)
            cases.append(
                (
                    start,
                    title,
                    "\n".join(lines[i + 2 : end_input]) + "\n",
                    "\n".join(lines[end_input + 1 : end_expected]),
                )
            )
            i = end_expected + 1
        else:
            i += 1
    return cases


CASES = read_fixture(FIXTURES / "extract.md")


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"), CASES, ids=[f"extract.md:{c[0]}" for c in CASES]
)
def test_fixture(line: int, title: str, source: str, expected: str) -> None:
    handout = parse_handout(source, Path("fixture.md"))
    got = "\n".join(f"{b.line} {b.kind}: {b.text}" for b in handout.blocks)
    assert got == expected


def normalized_pot(data: bytes) -> str:
    text = re.sub(r'"POT-Creation-Date: [^"]*"', '"POT-Creation-Date: X"', data.decode())
    return re.sub(r'"Generated-By: [^"]*"', '"Generated-By: X"', text)  # which Babel wrote it


def test_golden_pot(project: Project) -> None:
    """The real handout's template; UPDATE_GOLDEN=1 rewrites the snapshot."""
    got = normalized_pot(catalog_bytes(handout_template(project, project.handout_paths()[0])))
    golden = GOLDEN / "ldn-overview.pot"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_every_block_has_location_and_note(project: Project) -> None:
    extract(project)
    catalog = read_catalog(project.pot_path("ldn-overview"))
    messages = [m for m in catalog if m.id]
    assert len(messages) == 20
    for message in messages:
        ((where, line),) = message.locations
        assert where == "source/handouts/ldn-overview.md"
        source_line = (project.root / where).read_text().splitlines()[line - 1]
        assert message.id.split(" ")[0].strip("*") in source_line
        assert message.auto_comments, message.id


def test_citation_markers_explained_where_present(project: Project) -> None:
    catalog = read_catalog(Path(project.root / "locale" / "ldn-overview.pot"))
    for message in catalog:
        note = " ".join(message.auto_comments)
        assert ("[@" in message.id) == ("citation group" in note)
        assert ("**" in message.id) == ("(bold)" in note)


def test_second_extract_writes_nothing(project: Project) -> None:
    extract(project)
    before = project.pot_path("ldn-overview").read_bytes()
    assert extract(project) == []
    assert project.pot_path("ldn-overview").read_bytes() == before


def test_template_strings_extracted_with_comments(project: Project) -> None:
    extract(project)
    catalog = read_catalog(project.pot_path("templates"))
    ids = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    for label in ("Phone number", "Fax number", "References", "Page %(page)s of %(pages)s", "DRAFT"):
        assert label in ids
    assert ids["Phone number"].auto_comments
    assert "python-format" in ids["Page %(page)s of %(pages)s"].flags


def test_unsupported_markdown_names_line() -> None:
    with pytest.raises(LdnError) as info:
        parse_handout("---\ntitle: T\n---\n\ntext\n\n> quoted\n", Path("h.md"))
    assert (info.value.path, info.value.line) == ("h.md", 7)
    assert "block quote" in str(info.value)


def test_missing_title_is_an_error() -> None:
    with pytest.raises(LdnError, match="title"):
        parse_handout("---\npages: 2\n---\n\ntext\n", Path("h.md"))


@pytest.mark.slow
def test_pybabel_with_mapping_file_gives_the_same_messages(project: Project, tmp_path: Path) -> None:
    """The `ldn_handout` entry point makes `pybabel extract` agree with `ldn-i18n extract`."""
    extract(project)
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[ldn_handout: source/handouts/**.md]\n")
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(mapping),
            "-o",
            str(out),
            "--no-wrap",
            ".",
        ],
        cwd=project.root,
        check=True,
        capture_output=True,
    )
    ours = read_catalog(project.pot_path("ldn-overview"))
    theirs = read_catalog(out)
    assert [m.id for m in theirs if m.id] == [m.id for m in ours if m.id]
    assert [m.locations for m in theirs if m.id] == [m.locations for m in ours if m.id]
    assert [m.auto_comments for m in theirs if m.id] == [m.auto_comments for m in ours if m.id]


def test_new_handout_needs_no_code_change(project: Project) -> None:
    """A new file in source/handouts/ is a handout of its own: its domain, and a template of its messages."""
    (project.handouts_dir / "sleep.md").write_text("---\ntitle: Sleep tips\n---\n\nSleep well.\n")
    written = extract(project)
    assert project.pot_path("sleep") in written
    assert project.domains() == ["ldn-overview", "sleep", "templates", "notice"]
    template = read_catalog(project.pot_path("sleep"))
    assert [(m.id, m.locations) for m in template if m.id] == [
        ("Sleep tips", [("source/handouts/sleep.md", 2)]),
        ("Sleep well.", [("source/handouts/sleep.md", 5)]),
    ]


def test_repo_pot_is_up_to_date() -> None:
    """The committed locale/*.pot matches the committed sources (run `ldn-i18n extract`)."""
    from ldn_i18n.project import load_project

    proj = load_project(REPO)
    for path in proj.handout_paths():  # whichever clinic's handouts the repository holds
        committed = normalized_pot(proj.pot_path(path.stem).read_bytes())
        assert committed == normalized_pot(catalog_bytes(handout_template(proj, path))), path.name
