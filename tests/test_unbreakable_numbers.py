"""The clinic's phone, fax and TTY numbers never break across lines, in any script.

Built for real (HTML and PDF) with two sets of clinic numbers: the clinic's own (``813 333 5080``,
TTY ``711``), and longer ones with the parentheses and hyphens a line may also break at
(``+1 (813) 333-5080``, TTY ``1-800-955-8771``). Read back from the PDFs with poppler's
``pdftotext -layout``, line by line: every number the page prints is whole on one line, in the
clinic header of each edition (regular and large print) and in the notice's English and each of
its 15 taglines (the notice alone, ``dist/notice.pdf``, and the notice every edition prints last,
in both prints); and where a tagline puts a space before a number, the number does not start a
line apart from what the tagline writes before it ("(TTY: / 711)", "電 / 813 333 5080"). In the
HTML, each number is the one unbreakable element (:func:`ldn_i18n.markup.number_html`:
``white-space: nowrap``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ldn_i18n.clinic import read_clinic
from ldn_i18n.editions import build
from ldn_i18n.project import Project

from .conftest import FLORIDA, copy_project

SLUG = "ldn-overview"
#: Editions whose header and last page are read back: left to right, right to left, Han.
EDITIONS = ("en", "es", "ar", "zh_Hans")
#: Right-to-left taglines: poppler gives their lines in visual order, so only the number is compared.
RIGHT_TO_LEFT = {"ar"}
#: How the notice's English line begins.
ENGLISH = "ATTENTION:"
NUMBERS = {
    "clinic": {"phone": "813 333 5080", "fax": "813 773 7717", "tty": "711"},
    "long": {"phone": "+1 (813) 333-5080", "fax": "+1 (813) 773-7717", "tty": "1-800-955-8771"},
}


def with_numbers(target: Path, numbers: dict[str, str]) -> Project:
    project = copy_project(target)
    clinic = project.clinic_path
    text = clinic.read_text(encoding="utf-8")
    for key, value in numbers.items():
        text = re.sub(rf"(?m)^{key}: .*$", f'{key}: "{value}"', text)
    clinic.write_text(text, encoding="utf-8")
    return project


def layout_pages(path: Path) -> list[list[str]]:
    """Each page's lines as poppler lays them out, whitespace runs made one space."""
    run = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    pages = run.stdout.decode("utf-8").split("\f")[:-1]
    return [[" ".join(line.split()) for line in page.splitlines()] for page in pages]


def notice_lines(path: Path) -> list[str]:
    """The lines of the notice's pages: from the page of its English line (the large print's
    notice runs over several pages) to the end."""
    pages = layout_pages(path)
    first = next(at for at, lines in enumerate(pages) if any(ENGLISH in line for line in lines))
    return [line for lines in pages[first:] for line in lines]


def whole(lines: list[str], number: str) -> int:
    """How many times ``number`` is printed whole on one line."""
    return sum(line.count(number) for line in lines)


def broken(lines: list[str], number: str) -> list[str]:
    """The pairs of lines where ``number`` runs from one onto the next (for the failure message)."""
    squeezed = number.replace(" ", "")
    pairs = []
    for first, second in zip(lines, lines[1:], strict=False):
        joined = (first + second).replace(" ", "")
        if joined.count(squeezed) > first.replace(" ", "").count(squeezed) + second.replace(" ", "").count(
            squeezed
        ):
            pairs.append(f"{first!r} / {second!r}")
    return pairs


def char_before(locale: str, placeholder: str) -> str | None:
    """The last character a tagline (``en``: the English) writes before ``%(placeholder)s`` when
    a space separates them, else None."""
    po_locale = "es" if locale == "en" else locale  # any catalog holds the English as its msgid
    with (FLORIDA / "locale" / po_locale / "LC_MESSAGES" / "notice.po").open("rb") as po:
        catalog = read_po(po, locale=po_locale)
    message = next(m for m in catalog if m.id and "%(phone)s" in str(m.id))
    text = str(message.id if locale == "en" else message.string)
    before = text.split(f"%({placeholder})s")[0]
    if not before or not before[-1].isspace():
        return None
    return before.split()[-1][-1]  # Chinese may break between any two of a word's characters


@pytest.fixture(scope="module", params=sorted(NUMBERS))
def numbered(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Project, dict[str, str]]:
    numbers = NUMBERS[request.param]
    project = with_numbers(tmp_path_factory.mktemp(request.param) / "project", numbers)
    report = build(project, list(EDITIONS), ("html", "pdf", "large"))
    assert not report.failed and not report.errors, report.summary()
    return project, numbers


@pytest.mark.slow
def test_the_pdfs_print_each_number_whole_in_the_header_and_in_every_language(
    numbered: tuple[Project, dict[str, str]],
) -> None:
    project, numbers = numbered
    for locale in EDITIONS:
        tag = locale.replace("_", "-")
        for path in (project.dist_dir / tag / f"{SLUG}.pdf", project.dist_dir / tag / f"{SLUG}.large.pdf"):
            header = layout_pages(path)[0]
            for key in ("phone", "fax"):
                number = numbers[key]
                assert whole(header, number) >= 1, (path.name, tag, key, broken(header, number))
    pages = [("notice.pdf", notice_lines(project.dist_dir / "notice.pdf"))]
    for locale in EDITIONS:
        tag = locale.replace("_", "-")
        for name in (f"{SLUG}.pdf", f"{SLUG}.large.pdf"):
            pages.append((f"{tag}/{name}", notice_lines(project.dist_dir / tag / name)))
    languages = read_clinic(project.clinic_path).notice_languages
    printed = 1 + len(languages)  # English, then each tagline
    for name, lines in pages:
        for key in ("phone", "tty"):
            number = numbers[key]
            assert whole(lines, number) == printed, (name, key, broken(lines, number))
        for locale in ["en", *languages]:
            if locale in RIGHT_TO_LEFT:
                continue
            for key in ("phone", "tty"):
                word = char_before(locale, key)
                if word is None:
                    continue
                glued = f"{word} {numbers[key]}"
                assert any(glued in line.replace("\u00a0", " ") for line in lines), (name, locale, glued)


def test_the_html_marks_every_number_unbreakable(numbered: tuple[Project, dict[str, str]]) -> None:
    project, numbers = numbered
    pages = [project.dist_dir / "notice.html"]
    pages += [project.dist_dir / locale.replace("_", "-") / f"{SLUG}.html" for locale in EDITIONS]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for key, number in numbers.items():
            shown = html.count(f">{number}<")
            if shown == 0:
                continue
            kept = len(
                re.findall(
                    rf'<bdi dir="ltr" style="white-space: nowrap">(?:<a [^>]*>)?{re.escape(number)}<', html
                )
            )
            assert kept == shown, (path.name, key, kept, shown)
