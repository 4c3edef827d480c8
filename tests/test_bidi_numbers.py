"""The clinic's numbers print left to right inside right-to-left text, whatever their punctuation.

An Arabic edition of a clinic whose phone is ``813–333–5080``, fax ``(813)773-7717`` and TTY
``7-1-1`` (none with a space): each prints in its own order in the header and in the
language-assistance notice. Read back from the PDF as drawn: the glyphs in the order they sit
on the line (poppler, with the ``/ActualText`` that gives screen readers the logical text set
aside, since it would read right even over reversed glyphs); and from the HTML, each number
isolated in a ``<bdi dir="ltr">`` (:func:`ldn_i18n.markup.number_html`).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ldn_i18n.project import Project

from .conftest import copy_project, run_cli

PHONE, FAX, TTY = "813–333–5080", "(813)773-7717", "7-1-1"
SLUG = "ldn-overview"
NUMBER = '<bdi dir="ltr" style="white-space: nowrap">'


def arabic_project(target: Path, phone: str = PHONE) -> Project:
    project = copy_project(target)
    clinic = project.root / "source" / "clinic.yaml"
    text = clinic.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^phone: .*$", f'phone: "{phone}"', text)
    text = re.sub(r"(?m)^fax: .*$", f'fax: "{FAX}"', text)
    text = re.sub(r"(?m)^tty: .*$", f'tty: "{TTY}"', text)
    clinic.write_text(text, encoding="utf-8")
    return project


def drawn_lines(path: Path, page: int) -> list[str]:
    """The lines of one page (0-based) as its glyphs are drawn, by poppler, ``/ActualText`` ignored."""
    reader = PdfReader(path)
    writer = PdfWriter()
    writer.add_page(reader.pages[page])
    contents = writer.pages[0].get_contents()
    assert contents is not None
    contents.set_data(contents.get_data().replace(b"/ActualText", b"/ActualTexx"))
    writer.pages[0].replace_contents(contents)
    buffer = io.BytesIO()
    writer.write(buffer)
    run = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=buffer.getvalue(), capture_output=True
    )
    return run.stdout.decode("utf-8").splitlines()


def arabic(line: str) -> bool:
    return bool(re.search("[\u0600-\u06ff]", line))


@pytest.mark.slow
def test_numbers_print_left_to_right_in_arabic_header_and_notice(tmp_path: Path) -> None:
    project = arabic_project(tmp_path / "project")
    run_cli(project, "build", "--locale", "ar", "--format", "html,pdf", check=0)
    path = project.dist_dir / "ar" / f"{SLUG}.pdf"
    header = [line for line in drawn_lines(path, 0) if arabic(line) and re.search(r"\d{3}", line)]
    assert any(PHONE in line for line in header) and any(FAX in line for line in header), header
    last = len(PdfReader(path).pages) - 1
    tagline = [line for line in drawn_lines(path, last) if arabic(line) and TTY in line]
    assert len(tagline) == 1 and PHONE in tagline[0] and TTY in tagline[0], tagline
    insert = [
        line for line in drawn_lines(project.dist_dir / "notice.pdf", 0) if arabic(line) and TTY in line
    ]
    assert len(insert) == 1 and PHONE in insert[0] and TTY in insert[0], insert
    page = (project.dist_dir / "ar" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert f'{NUMBER}<a href="tel:+18133335080">{PHONE}</a></bdi>' in page
    assert f"{NUMBER}{FAX}</bdi>" in page
    item = page[page.index('<li lang="ar" dir="rtl">') :]
    item = item[: item.index("</li>")]
    assert f"{NUMBER}{PHONE}</bdi>" in item and f"{NUMBER}{TTY}</bdi>" in item
