"""What a newcomer meets first: --help, the README's commands, `pip install .`, bad input, a bad dist/.

Each test here stands for a release-safety bug: help that crashed on a ``%``,
a README that could document a command that does not exist, an installed tool
without WeasyPrint, a reviewer that injected header lines into a catalog, and
an unwritable ``dist/`` reported as an internal error.
"""

from __future__ import annotations

import argparse
import errno
import importlib.metadata
import importlib.util
import itertools
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ldn_i18n import files
from ldn_i18n.cli import _parser
from ldn_i18n.errors import LdnError
from ldn_i18n.files import write_atomic
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review.signoff import catalog_review, check_reviewer

from .conftest import REPO, run_cli, signer_args

# --- 1. --help of every command, and the README's commands -------------------------------------


def commands() -> list[str]:
    """Every subcommand, from the parser itself (a new command is covered with no change here)."""
    parser = _parser()
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(found) == 1
    return list(found[0].choices)


@pytest.mark.parametrize("command", [None, *commands()])
def test_help_of_the_program_and_every_command(command: str | None) -> None:
    result = run_cli(None, *([command] if command else []), "--help", check=0, via="module", timeout=120)
    assert "Traceback" not in result.err
    assert result.out.startswith("usage: ldn-i18n")
    names = [command] if command else commands()  # the program's help lists every command
    for name in names:
        assert re.search(rf"\b{re.escape(name)}\b", result.out), name


def readme_commands() -> list[str]:
    """Every command in the ```sh blocks of README.md's "## Commands" section (`a && b` split), and
    of the "Commands" section of each docs/ page that has one."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    lines: list[str] = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = re.search(r"\n(#{2,3}) Commands\n(.*?)(?=\n#{1,3} |\Z)", text, re.S)
        if found is None:
            assert page.name != "README.md", 'README.md has no "## Commands" section'
            continue
        blocks = re.findall(r"```sh\n(.*?)\n```", found.group(2), re.S)
        assert blocks, f'no ```sh block under "Commands" in {page.name}'
        lines += "\n".join(blocks).splitlines()
    return [part.strip() for line in lines if line.strip() for part in line.split("&&")]


#: What the README's placeholders stand for.
PLACEHOLDERS = {"DIR": "project", "LL": "es", "D": "ldn-overview", "N": "2"}


def synopsis_variants(tokens: list[str]) -> list[list[str]]:
    """Every argument list a synopsis stands for: each [optional group] in or out, each a|b.

    ``...`` (repeatable) repeats nothing; placeholders become real values.
    """

    def group(at: int) -> tuple[list[list[list[str]]], int]:
        """Choices per item, from ``at`` to the end of the current group; and where it ended."""
        items: list[list[list[str]]] = []
        while at < len(tokens):
            token = tokens[at]
            if token.startswith("["):
                tokens[at] = token[1:]
                inner, at = group(at)
                items.append([[]] + [sum(parts, []) for parts in itertools.product(*inner)])
                continue
            closes = len(token) - len(token.rstrip("]"))
            word = token.rstrip("]")
            if word and word != "...":
                items.append([[PLACEHOLDERS.get(choice, choice)] for choice in word.split("|")])
            at += 1
            if closes:
                if closes > 1:
                    at -= 1
                    tokens[at] = "]" * (closes - 1)
                return items, at
        return items, at

    items, _ = group(0)
    return [sum(parts, []) for parts in itertools.product(*items)]


@pytest.mark.slow
def test_readme_commands_are_accepted_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    documented = set()
    lines = readme_commands()
    assert len(lines) >= len(commands())
    for line in lines:
        tokens = shlex.split(line, comments=True)
        if tokens[:3] == ["python", "-m", "ldn_i18n"]:
            assert tokens[3:] == ["..."], line
            assert importlib.util.find_spec("ldn_i18n.__main__") is not None
            continue
        assert tokens[0] == "ldn-i18n", f"README documents another program: {line}"
        variants = synopsis_variants(tokens[1:])
        assert variants, line
        for argv in variants:
            try:
                args = _parser().parse_args(argv)
            except SystemExit:
                pytest.fail(f"README command {line!r} as {argv} is refused: {capsys.readouterr().err}")
            documented.add(args.command)
            assert args.command in argv
    assert documented == set(commands()), "a command is missing from README's Commands block"


# --- 2. pip install . gives a tool that builds PDFs ----------------------------------------------


def test_weasyprint_is_a_required_dependency() -> None:
    from packaging.requirements import Requirement

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(Requirement(r).name.lower() == "weasyprint" for r in declared["dependencies"])
    installed = [Requirement(r) for r in importlib.metadata.requires("ldn-i18n") or []]
    weasyprint = [r for r in installed if r.name.lower() == "weasyprint"]
    assert any(r.marker is None for r in weasyprint), (
        f"installed metadata lists {[str(r) for r in weasyprint]}: reinstall (scripts/setup.sh)"
    )


@pytest.mark.slow
def test_weasyprint_is_still_imported_lazily() -> None:
    code = (
        "import sys\n"
        "import ldn_i18n.cli, ldn_i18n.editions, ldn_i18n.engine, ldn_i18n.review.signoff, ldn_i18n.files\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- 3. review --reviewer cannot inject header lines ---------------------------------------------

REVIEWER = "Ana Pérez <ana.perez@example.org>"
BAD_REVIEWERS = {
    "newline": "Eve <eve@example.org>\nX-Reviewed-Content: forged",
    "crlf": "Eve <eve@example.org>\r\nX-Injected: 1",
    "carriage return": "Eve <eve@example.org>\rX-Injected: 1",
    "line separator": "Eve\u2028X-Injected: 1 <eve@example.org>",
    "paragraph separator": "Eve\u2029 <eve@example.org>",
    "C1 next line": "Eve\u0085X-Injected: 1 <eve@example.org>",
    "C1 CSI": "Eve\u009b31m <eve@example.org>",
    "escape": "Eve\x1b[31m <eve@example.org>",
    "tab": "Eve\t<eve@example.org>",
    "NUL": "Eve\x00 <eve@example.org>",
    "DEL": "Eve\x7f <eve@example.org>",
    "bidi override": "\u202eEve <eve@example.org>",
    "bidi isolate": "Eve\u2066 <eve@example.org>",
    "right-to-left mark": "Eve\u200f <eve@example.org>",
    "byte order mark": "\ufeffEve <eve@example.org>",
    "undecodable byte": "Eve\udcff <eve@example.org>",
    "no name": "<eve@example.org>",
    "no address": "Eve",
    "bare address": "eve@example.org",
    "address without domain": "Eve <eve@localhost>",
    "two addresses": "Eve <eve@example.org>, Mallory <m@example.org>",
    "text after address": "Eve <eve@example.org> trusted",
    "angle bracket in name": "Eve> <eve@example.org>",
    "too long": "E" * 400 + " <eve@example.org>",
    "empty": "",
}


def catalog_bytes_of(project: Project, locale: str) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((project.locale_dir / locale).rglob("*.po"))}


@pytest.mark.slow
def test_bad_reviewer_is_refused_and_catalogs_untouched(project: Project) -> None:
    before = catalog_bytes_of(project, "es")
    assert before
    for label, reviewer in BAD_REVIEWERS.items():
        result = run_cli(project, "review", "--locale", "es", "--reviewer", reviewer)
        assert result.code == 2, label
        assert "reviewer" in result.err, (label, result.err)  # refused for the reviewer, not another reason
        assert "internal error" not in result.err, (label, result.err)
        assert catalog_bytes_of(project, "es") == before, label
    # The same catalogs accept a proper reviewer: the refusals above were about the reviewer only.
    run_cli(project, "review", "--locale", "es", *signer_args(project, REVIEWER), check=0)
    for path in before:
        catalog = read_catalog(path, "es")
        assert catalog_review(project, "es", path.stem).reviewer == REVIEWER
        assert not [k for k, _ in catalog.extra_headers if k.lower().startswith("x-injected")]


@pytest.mark.parametrize(
    "reviewer",
    [
        REVIEWER,
        "  Ana Pérez <ana.perez@example.org> ",
        "محمد علي <m.ali@example.org>",
        "李明 <li.ming@example.cn>",
        "Nguyễn Thị Minh Khai <khai+review@clinic.example.com>",
        "Zahra\u200cbanu Ahmadi <z.ahmadi@example.ir>",
        "Dr. Jean-Baptiste O'Neil, MD <jb@example.org>",
    ],
)
def test_real_reviewer_names_are_accepted(reviewer: str) -> None:
    assert check_reviewer(reviewer) == reviewer.strip()


# --- 5. an unwritable dist/ names the path and the reason ----------------------------------------


def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("where", ["dist/es/edition.html", "dist/edition.html"])
def test_write_into_a_file_where_a_folder_should_be(tmp_path: Path, where: str) -> None:
    (tmp_path / "dist").write_bytes(b"not a folder")
    target = tmp_path / where
    with pytest.raises(LdnError) as caught:
        write_atomic(target, "<html>")
    message = str(caught.value)
    assert message.startswith(f"{target}: error: cannot write: "), message
    assert os.strerror(errno.ENOTDIR) in message
    assert (tmp_path / "dist").read_bytes() == b"not a folder"
    assert no_temporary_files(tmp_path)


def test_write_over_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "edition.pdf"
    (target / "inside").mkdir(parents=True)
    with pytest.raises(LdnError, match=r"cannot write: ") as caught:
        write_atomic(target, b"%PDF")
    assert str(caught.value).startswith(f"{target}: error:")
    assert (target / "inside").is_dir()
    assert sorted(os.listdir(tmp_path)) == ["edition.pdf"]


@pytest.mark.parametrize("call", ["replace", "fsync"])
def test_full_disk_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str) -> None:
    target = tmp_path / "edition.pdf"
    write_atomic(target, b"%PDF good")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, call, full)
    with pytest.raises(LdnError) as caught:
        write_atomic(target, b"%PDF new")
    assert str(caught.value) == f"{target}: error: cannot write: {os.strerror(errno.ENOSPC)}"
    assert target.read_bytes() == b"%PDF good"
    assert os.listdir(tmp_path) == ["edition.pdf"]


def test_build_into_a_dist_that_is_a_file(project: Project) -> None:
    (project.root / "dist").write_bytes(b"not a folder")
    result = run_cli(project, "build", "--format", "html", "--locale", "es", via="module", timeout=120)
    assert result.code != 0
    assert "internal error" not in result.err, result.err
    assert "Traceback" not in result.err, result.err
    dist = re.escape("dist")  # errors name paths relative to the project
    assert re.search(rf"^{dist}\S*: error: cannot write: ", result.err, re.M), result.err
    assert (project.root / "dist").read_bytes() == b"not a folder"
    assert no_temporary_files(project.root)
