"""The clinic's look is data (issue 23): page size, accent colour (WCAG AA), logo, any number of
locations with optional numbers, city and state without a ZIP code, and an index with the clinic's
name, logo, translated title and each language's face. Every project is made by ``ldn-i18n init``.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from pypdf import PdfReader

from ldn_i18n.clinic import contrast
from ldn_i18n.errors import LdnError
from ldn_i18n.fonts import font_stack
from ldn_i18n.guard import check_page
from ldn_i18n.languages import language
from ldn_i18n.project import Project

from .conftest import SAMPLE, pdf_text, run_cli, set_clinic

#: The starter's look block, as `init` writes it.
LOOK = """  page-size: Letter
  # Headings, rules and links."""
ACCENT = 'accent: "#1d4f91"'
LOGO = "  # logo: logo.png\n  # logo-alt: Example Community Clinic"
LOCATION = "  - name: Main clinic\n    street: 100 Main St\n    city: Springfield\n    state: TX\n"


def png(width: int = 60, height: int = 20, rgb: tuple[int, int, int] = (11, 110, 79)) -> bytes:
    """A plain PNG image (one colour), written by hand: no imaging library needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def page(project: Project, locale: str = "en") -> str:
    return (project.dist_dir / language(locale).tag / f"{SAMPLE}.html").read_text(encoding="utf-8")


def test_contrast_is_wcag_s() -> None:
    assert round(contrast("#000000"), 1) == 21.0
    assert round(contrast("#1d4f91"), 1) == 8.1
    assert round(contrast("#767676"), 2) == 4.54  # the lightest grey that passes AA on white


@pytest.mark.slow
def test_page_size_and_accent_reach_every_page(started: Project) -> None:
    set_clinic(started, "page-size: Letter", "page-size: A4")
    set_clinic(started, ACCENT, 'accent: "#0b6e4f"')
    run_cli(started, "build", "--format", "html,pdf", check=0)
    box = PdfReader(started.dist_dir / "en" / f"{SAMPLE}.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    box = PdfReader(started.dist_dir / "notice.pdf").pages[0].mediabox
    assert round(float(box.height)) == 842
    html = page(started)
    assert "size: A4;" in html and "#0b6e4f" in html and "#1d4f91" not in html
    notice = (started.dist_dir / "notice.html").read_text(encoding="utf-8")
    assert "#0b6e4f" in notice and "#1d4f91" not in notice
    index = (started.dist_dir / "index.html").read_text(encoding="utf-8")
    assert "#0b6e4f" in index and "#1d4f91" not in index


@pytest.mark.parametrize(
    ("accent", "message"),
    [
        (
            '"#7fb3ff"',
            "`accent:` #7fb3ff has a contrast of 2.1:1 on white; headings and links need at least 4.5:1 "
            "(WCAG 2.1 AA): choose a darker colour",
        ),
        ("blue", "`accent:` is a colour written #rrggbb (in quotes: \"#1d4f91\"); got 'blue'"),
    ],
)
def test_an_accent_without_contrast_is_an_error_at_its_line(
    started: Project, accent: str, message: str
) -> None:
    line = set_clinic(started, ACCENT, f"accent: {accent}")
    result = run_cli(started, "build", "--format", "html", check=1)
    assert f"source/clinic.yaml:{line}: error: {message}" in result.err


def test_the_page_size_is_letter_or_a4(started: Project) -> None:
    line = set_clinic(started, "page-size: Letter", "page-size: Legal")
    result = run_cli(started, "build", "--format", "html", check=1)
    assert f"source/clinic.yaml:{line}: error: `page-size:` is Letter or A4; got 'Legal'" in result.err


@pytest.mark.slow
def test_the_logo_is_copied_into_dist_and_printed_with_its_text(started: Project) -> None:
    (started.root / "source" / "logo.png").write_bytes(png())
    set_clinic(started, LOGO, "  logo: logo.png\n  logo-alt: Bayou Asthma Clinic")
    run_cli(started, "build", "--format", "html,pdf", check=0)
    assert (started.dist_dir / "clinic-logo.png").read_bytes() == png()
    assert '<img class="logo" src="../clinic-logo.png" alt="Bayou Asthma Clinic">' in page(started)
    index = (started.dist_dir / "index.html").read_text(encoding="utf-8")
    assert '<img class="logo" src="clinic-logo.png" alt="Bayou Asthma Clinic">' in index
    reader = PdfReader(started.dist_dir / "en" / f"{SAMPLE}.pdf")
    images = reader.pages[0].images
    assert len(images) == 1 and images[0].image.size == (60, 20)
    # The guard lets the logo through, and only it: another image is refused.
    other = page(started).replace("../clinic-logo.png", "../source/logo.png")
    with pytest.raises(LdnError, match="refused to write a page carrying a link or fetch src="):
        check_page(other, started.templates, "en/x.html")
    # No logo any more: its copy leaves dist/ too.
    set_clinic(started, "  logo: logo.png\n  logo-alt: Bayou Asthma Clinic", "")
    run_cli(started, "build", "--format", "html", check=0)
    assert not (started.dist_dir / "clinic-logo.png").exists()
    assert "<img" not in page(started)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("look", "data", "message"),
    [
        ("  logo: logo.png\n", png(), "a logo needs `logo-alt:`, what it shows for people who cannot see it"),
        ("  logo: logo.png\n  logo-alt: X\n", b"GIF89a...", "`logo:` 'logo.png' is not a PNG or JPEG image"),
        ("  logo: ../clinic.png\n  logo-alt: X\n", png(), "`logo:` '../clinic.png' is not a file in source/"),
        ("  logo: missing.png\n  logo-alt: X\n", png(), "`logo:` 'missing.png' is not a file in source/"),
        ("  logo-alt: X\n", png(), "`logo-alt:` without `logo:`: name the logo file, or remove it"),
    ],
)
def test_a_logo_needs_its_text_and_a_picture_in_source(
    started: Project, look: str, data: bytes, message: str
) -> None:
    (started.root / "source" / "logo.png").write_bytes(data)
    (started.root / "clinic.png").write_bytes(png())
    line = set_clinic(started, LOGO + "\n", look)
    result = run_cli(started, "build", "--format", "html", check=1)
    assert f"source/clinic.yaml:{line}: error: {message}" in result.err


@pytest.mark.slow
@pytest.mark.parametrize(("count", "columns"), [(1, 1), (2, 2), (5, 5), (7, 4), (11, 4)])
def test_locations_are_laid_out_to_fit(started: Project, count: int, columns: int) -> None:
    extra = "".join(f"  - name: Site {n}\n    street: {n} Oak Ave\n" for n in range(2, count + 1))
    set_clinic(started, LOCATION, LOCATION + extra)
    run_cli(started, "build", "--format", "html", check=0)
    html = page(started)
    assert f"grid-template-columns: repeat({columns}, minmax(0, 1fr));" in html
    assert html.count("<li><strong>") == count


@pytest.mark.slow
def test_a_location_prints_what_it_gives_and_nothing_else(started: Project) -> None:
    set_clinic(
        started,
        LOCATION,
        LOCATION
        + "    phone: 713 555 0102\n    hours: Mon-Fri 8am-5pm\n"
        + "  - name: Pearland\n    street: 200 Oak Ave\n    city: Pearland\n    state: TX\n"
        + '    postal_code: "77581"\n    fax: 713 555 0199\n    website: example.org/pearland\n',
    )
    set_clinic(started, "# website: example.org", "website: example.org")
    run_cli(started, "update", "--locale", "es", check=0)
    run_cli(started, "build", "--format", "html,pdf", check=0)
    text = pdf_text(started.dist_dir / "es" / f"{SAMPLE}.pdf")
    assert "100 Main St, Springfield, TX Número de teléfono: 713 555 0102 Horario: Mon-Fri 8am-5pm" in text
    assert (
        "200 Oak Ave, Pearland, TX 77581 Número de fax: 713 555 0199 Sitio web: example.org/pearland" in text
    )
    assert "Sitio web: example.org" in text
    header = page(started).split('<ul class="locations">')[0]
    assert "Número de fax" not in header  # the clinic gives no main fax: no empty label


@pytest.mark.slow
def test_the_index_has_the_clinic_its_title_in_each_language_and_each_language_s_face(
    started: Project,
) -> None:
    for locale in ("es", "zh_Hans"):
        run_cli(started, "update", "--locale", locale, check=0)
    run_cli(started, "build", "--format", "html", check=0)
    index = (started.dist_dir / "index.html").read_text(encoding="utf-8")
    assert "<title>Example Community Clinic: Patient handouts</title>" in index
    assert '<p class="clinic-name">Example Community Clinic</p>' in index
    assert '<span lang="es" dir="ltr">Folletos para pacientes</span>' in index
    assert '<span lang="zh-Hans" dir="ltr">患者资料</span>' in index
    assert f'[lang="zh-Hans"] {{ font-family: {font_stack("zh_Hans")}; }}' in index
    assert '[lang="es"] { font-family: "Noto Sans", sans-serif; }' in index
