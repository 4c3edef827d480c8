"""A second clinic adopts the tool (issue 23): `init`, no silent compliance defaults, missing files
that say what belongs in them, template overrides file by file, and the shared translations.

Every project here is made by ``ldn-i18n init``, never copied from the repository's Florida clinic.
The clinic's look (page size, accent, logo, locations) is tested in test_look.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ldn_i18n import __version__
from ldn_i18n.clinic import HHS_LANGUAGES_URL
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project, load_project
from ldn_i18n.shared import SEEDED_NOTE, SHARED_DIR, shared_locales
from ldn_i18n.update import DRAFT_TRANSLATOR

from .conftest import REPO, SAMPLE, edit_catalog, msgfmt_check, needs_msgfmt, pdf_text, run_cli, set_clinic

#: The files `init` writes besides the catalogs.
STARTER_FILES = [
    "source/clinic.yaml",
    "source/notice.md",
    "source/references.json",
    "source/terms.yaml",
    "source/policy.yaml",
    f"source/handouts/{SAMPLE}.md",
    ".gitignore",
    ".github/workflows/handouts.yml",
]


# --- 1. init ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_init_writes_a_project_that_builds_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "houston"
    result = run_cli(None, "init", str(folder), check=0)
    for name in STARTER_FILES:
        assert (folder / name).is_file(), name
        assert f"wrote {name}" in result.out
    assert "next: edit source/clinic.yaml" in result.out
    # The notice's language starts from the package's shared draft tagline.
    assert (folder / "locale" / "es" / "LC_MESSAGES" / "notice.po").is_file()
    workflow = (folder / ".github/workflows/handouts.yml").read_text(encoding="utf-8")
    assert f'LDN_I18N: "ldn-i18n=={__version__}"' in workflow  # the version this project was started with
    built = run_cli(folder, "build", "--format", "html,pdf", check=0)
    assert "1 editions built (0 drafts), 0 failed" in built.out
    assert (folder / "dist" / "en" / f"{SAMPLE}.pdf").is_file()
    notice = (folder / "dist" / "notice.html").read_text(encoding="utf-8")
    assert 'lang="es"' in notice and "ATENCIÓN" in notice  # the Spanish tagline, a draft
    # Again into the same folder: nothing is overwritten.
    again = run_cli(None, "init", str(folder), check=2)
    assert again.err.startswith(f"{folder / 'source' / 'clinic.yaml'}: error: already there: init writes")


def test_init_in_the_current_folder(tmp_path: Path) -> None:
    result = run_cli(None, "init", cwd=tmp_path, check=0)
    assert "wrote source/clinic.yaml" in result.out
    assert "`ldn-i18n build`" in result.out  # no --root to give: it is the current folder
    assert load_project(tmp_path).handout_paths() == [tmp_path / "source" / "handouts" / f"{SAMPLE}.md"]


def test_the_help_of_init_and_templates_is_complete() -> None:
    init = run_cli(None, "init", "--help", check=0).out
    for word in ("clinic.yaml", "notice.md", "policy.yaml", ".gitignore", "handouts.yml", "Never overwrites"):
        assert word in init, word
    templates = run_cli(None, "templates", "--help", check=0).out
    assert "file by file" in templates and "export NAME" in templates


@pytest.mark.slow
@pytest.mark.parametrize(
    ("remove", "shown", "what"),
    [
        ("source/clinic.yaml", "source/clinic.yaml: error: missing: create it with the clinic file", "keys"),
        (
            "source/references.json",
            "source/references.json: error: missing: create it with the reference library",
            "write [] while no handout cites anything",
        ),
    ],
)
def test_a_missing_file_says_what_belongs_in_it(started: Project, remove: str, shown: str, what: str) -> None:
    (started.root / remove).unlink()
    result = run_cli(started, "build", "--format", "html", check=1)
    line = next(line for line in result.err.splitlines() if line.startswith(remove))
    assert line.startswith(shown) and what in line
    assert "`ldn-i18n init NEW-FOLDER` writes a commented example (docs/new-clinic.md)" in line
    assert "No such file" not in result.err


def test_a_folder_without_handouts_points_to_init(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "build", check=2)
    assert "no source/handouts/ folder (start one with `ldn-i18n init FOLDER`" in result.err


# --- 2. no silent compliance defaults -----------------------------------------------------------


def test_notice_languages_is_required_and_says_where_hhs_lists_each_state(started: Project) -> None:
    text = started.clinic_path.read_text(encoding="utf-8")
    started.clinic_path.write_text(text.split("notice-languages:")[0], encoding="utf-8")
    result = run_cli(started, "build", "--format", "html", check=1)
    needs = re.compile(r"(en/first-handout: )?source/clinic\.yaml:\d+: error: clinic file needs `notice-lang")
    first = next(line for line in result.err.splitlines() if needs.match(line))
    assert HHS_LANGUAGES_URL in first and "15 languages" in first


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("Spanish", "'Spanish' is written es"),
        ("Vietnamese", "'Vietnamese' is written vi"),
        (
            "Chinese",
            "'Chinese' is written zh_Hant (Traditional characters, as HHS's sample taglines) "
            "or zh_Hans (Simplified)",
        ),
        ("Tagalog", "'Tagalog' is written fil"),
        ("French Creole", "'French Creole' is written ht (Haitian Creole)"),
    ],
)
def test_an_english_language_name_gets_its_locale(started: Project, written: str, suggested: str) -> None:
    line = set_clinic(started, "  - es\n", f"  - es\n  - {written}\n") + 1
    result = run_cli(started, "build", "--format", "html", check=1)
    assert (
        f"source/clinic.yaml:{line}: error: `notice-languages:` holds locale identifiers, not language "
        f"names: {suggested}"
    ) in result.err


def test_fewer_than_fifteen_languages_is_a_warning_naming_the_line(started: Project) -> None:
    line = started.clinic_path.read_text(encoding="utf-8").splitlines().index("notice-languages:") + 1
    result = run_cli(started, "build", "--format", "html", check=0)
    assert (
        f"warning: source/clinic.yaml:{line}: `notice-languages:` lists 1 language; Section 1557 asks for "
        "at least the 15 most spoken in your state"
    ) in result.err


@pytest.mark.slow
def test_a_missing_notice_warns_and_fails_a_release(started: Project) -> None:
    started.notice_path.unlink()
    draft = run_cli(started, "build", "--format", "html", check=0)
    assert "warning: source/notice.md: no language-assistance notice: Section 1557" in draft.err
    release = run_cli(started, "build", "--format", "html", "--release", check=1)
    assert "source/notice.md: error: no language-assistance notice" in release.err
    assert release.err.count("a release needs it") == 1


# --- 4. template overrides, file by file --------------------------------------------------------


@pytest.mark.slow
def test_a_templates_folder_overrides_only_the_files_it_holds(started: Project) -> None:
    exported = run_cli(started, "templates", "export", "handout.css.j2", check=0)
    assert exported.out == "wrote templates/handout.css.j2\n"
    css = started.root / "templates" / "handout.css.j2"
    css.write_text(css.read_text(encoding="utf-8").replace("h1 { font-size: 18pt;", "h1 { font-size: 21pt;"))
    listed = run_cli(started, "templates", "list", check=0).out.splitlines()
    assert "handout.css.j2\ttemplates/handout.css.j2" in listed
    assert "handout.html.j2\tpackage" in listed
    run_cli(started, "build", "--format", "html", check=0)
    page = (started.dist_dir / "en" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    assert "h1 { font-size: 21pt;" in page  # the clinic's stylesheet
    assert 'class="skip-link"' in page  # and the package's page around it


@pytest.mark.slow
def test_an_unknown_file_in_templates_is_a_warning(started: Project) -> None:
    (started.root / "templates").mkdir()
    (started.root / "templates" / "handout.htm.j2").write_text("<p>never rendered</p>")
    warning = "templates/handout.htm.j2: warning: overrides no template of the package and is never rendered"
    assert warning in run_cli(started, "extract", check=0).err
    assert (
        f"warning: {warning.replace(': warning:', ':')}" in run_cli(started, "build", "--format", "html").err
    )


def test_export_refuses_an_unknown_name_and_an_existing_file(started: Project) -> None:
    unknown = run_cli(started, "templates", "export", "header.j2", check=2)
    assert (
        "error: no template 'header.j2' in the package (its templates: "
        "bilingual.css.j2, bilingual.html.j2, draft.j2, handout.css.j2" in unknown.err
    )
    run_cli(started, "templates", "export", "index.html.j2", check=0)
    again = run_cli(started, "templates", "export", "index.html.j2", check=2)
    assert "templates/index.html.j2: error: already there" in again.err


# --- 5. shared translations ---------------------------------------------------------------------


@pytest.mark.slow
def test_a_new_language_starts_from_the_shared_drafts(started: Project) -> None:
    run_cli(started, "update", "--locale", "vi", check=0)
    catalog = read_catalog(started.po_path("vi", "templates"))
    assert catalog.last_translator == DRAFT_TRANSLATOR  # a draft: no translator, no reviewer
    comment = " ".join(str(catalog.header_comment).replace("#", "").split())
    assert " ".join(SEEDED_NOTE.replace("#", "").split()) in comment
    strings = {str(m.id): m.string for m in catalog if m.id and isinstance(m.id, str)}
    assert strings["Phone number"] == "Số điện thoại" and strings["Website"] == "Trang web"
    handout = read_catalog(started.po_path("vi", SAMPLE))
    assert not any(m.string for m in handout if m.id)  # the clinic's own text: nothing shared
    built = run_cli(started, "build", "--locale", "vi", "--format", "html", check=0)
    assert f"vi/{SAMPLE}: draft" in built.out
    release = run_cli(started, "build", "--locale", "vi", "--format", "html", "--release", check=1)
    assert f"vi/{SAMPLE}: not released" in release.err


def test_an_existing_catalog_is_never_seeded(started: Project) -> None:
    run_cli(started, "update", "--locale", "es", check=0)
    path = started.po_path("es", "templates")
    text = path.read_text(encoding="utf-8").replace('msgstr "Sitio web"', 'msgstr ""')
    path.write_text(text, encoding="utf-8")
    run_cli(started, "update", "--locale", "es", check=0)
    assert 'msgid "Website"\nmsgstr ""' in path.read_text(encoding="utf-8")


@needs_msgfmt
@pytest.mark.parametrize("locale", shared_locales("templates"))
def test_the_shared_labels_translate_every_template_string_as_drafts(started: Project, locale: str) -> None:
    """A template string added without its shared drafts would reach a new clinic in English."""
    path = SHARED_DIR / locale / "templates.po"
    assert msgfmt_check(path).returncode == 0
    shared = read_catalog(path, locale)
    assert shared.last_translator == DRAFT_TRANSLATOR
    template = read_catalog(started.pot_path("templates"))
    for message in template:
        if message.id:
            found = shared.get(message.id, message.context)
            assert found is not None and all(
                found.string if isinstance(found.string, tuple) else [found.string]
            ), message.id


@needs_msgfmt
@pytest.mark.parametrize("locale", shared_locales("notice"))
def test_the_shared_taglines_translate_the_starter_notice_as_drafts(started: Project, locale: str) -> None:
    path = SHARED_DIR / locale / "notice.po"
    assert msgfmt_check(path).returncode == 0
    shared = read_catalog(path, locale)
    assert "Unreviewed draft" in str(shared.last_translator)
    for message in read_catalog(started.pot_path("notice")):
        if message.id:
            found = shared.get(message.id)
            assert found is not None and found.string and not found.fuzzy, message.id


# --- the package alone ----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_alone_starts_and_builds_a_clinic(tmp_path: Path) -> None:
    """`pip install .` ships the templates, the starter project and the shared translations: the
    wheel, unpacked and imported ahead of this checkout, starts a clinic and builds it."""
    uv = REPO / ".uv" / "bin" / "uv"
    if not uv.is_file():
        pytest.skip("uv is installed by scripts/setup.sh")
    done = subprocess.run(
        [str(uv), "build", "--wheel", "--offline", "-o", str(tmp_path / "wheel"), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        # uv's own cache (the tests point XDG_CACHE_HOME elsewhere), where setup.sh left hatchling
        env={
            **os.environ,
            "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv")),
        },
    )
    if done.returncode != 0 and "network was disabled" in done.stderr:
        pytest.skip(f"hatchling is not in uv's cache: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in (
        "ldn_i18n/default_templates/handout.html.j2",
        "ldn_i18n/starter/source/clinic.yaml",
        "ldn_i18n/starter/workflows/handouts.yml",
        "ldn_i18n/data/shared/es/templates.po",
        "ldn_i18n/data/shared/zh_Hant/notice.po",
    ):
        assert name in names, name
    env = {"PYTHONPATH": str(tmp_path / "site")}
    where = run_cli(None, "--version", via="module", env=env, cwd=tmp_path, check=0)
    assert where.out.startswith("ldn-i18n ")
    code = "import ldn_i18n, sys; print(ldn_i18n.__file__)"
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, cwd=tmp_path
    )
    assert shown.stdout.startswith(str(tmp_path / "site")), shown
    run_cli(None, "init", "clinic", via="module", env=env, cwd=tmp_path, check=0)
    run_cli(tmp_path / "clinic", "update", "--locale", "es", via="module", env=env, cwd=tmp_path, check=0)
    built = run_cli(tmp_path / "clinic", "build", "--format", "html", via="module", env=env, cwd=tmp_path)
    assert built.code == 0, built
    page = (tmp_path / "clinic" / "dist" / "es" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    assert "Número de teléfono" in page  # the shared label, from the wheel's data
    shutil.rmtree(tmp_path / "site")


# --- the adoption, end to end -------------------------------------------------------------------

HOUSTON = """\
name: Bayou Pediatric Asthma Clinic
phone: 713 555 0100
tty: "711"
look:
  page-size: Letter
  accent: "#0b6e4f"
locations:
  - name: Midtown
    street: 2400 Main St
    city: Houston
    state: TX
    hours: Mon-Fri 8am-5pm
  - name: Pasadena
    street: 900 Spencer Hwy
    city: Pasadena
    state: TX
    phone: 713 555 0200
notice-languages:
  - es
  - vi
  - zh_Hant
"""
INHALER = """\
---
title: Using Your Inhaler
pages: 1
edition: 2026-12-01
---

Shake the inhaler before each puff.

Take **2 puffs** every 4 hours when you need them. Do not take more than 8 puffs a day.
"""
#: Machine drafts of the handout, test data (each marked as such by its catalog's header).
DRAFTS = {
    "es": {
        "Using Your Inhaler": "Cómo usar su inhalador",
        "Shake the inhaler before each puff.": "Agite el inhalador antes de cada inhalación.",
        "Take **2 puffs** every 4 hours when you need them. Do not take more than 8 puffs a day.": (
            "Use **2 inhalaciones** cada 4 horas cuando las necesite. No use más de 8 inhalaciones al día."
        ),
    },
    "vi": {
        "Using Your Inhaler": "Cách dùng ống hít của bạn",
        "Shake the inhaler before each puff.": "Lắc ống hít trước mỗi lần hít.",
        "Take **2 puffs** every 4 hours when you need them. Do not take more than 8 puffs a day.": (
            "Hít **2 nhát** mỗi 4 giờ khi cần. Không hít quá 8 nhát mỗi ngày."
        ),
    },
}


@pytest.mark.slow
def test_a_second_clinic_adopts_the_tool_end_to_end(tmp_path: Path) -> None:
    """Houston's pediatric asthma clinic: init, its clinic file, its handout, Spanish and Vietnamese
    editions, the notice in three languages, a build; nothing of Florida's is printed."""
    root = tmp_path / "houston"
    run_cli(None, "init", str(root), check=0)
    (root / "source" / "clinic.yaml").write_text(HOUSTON, encoding="utf-8")
    (root / "source" / "handouts" / f"{SAMPLE}.md").unlink()
    (root / "source" / "handouts" / "inhaler.md").write_text(INHALER, encoding="utf-8")
    run_cli(root, "extract", check=0)
    run_cli(root, "update", "--locale", "es", "--locale", "vi", check=0)
    run_cli(root, "update", check=0)  # and the notice's third language, Chinese
    project = load_project(root)
    for locale, drafts in DRAFTS.items():
        for english, translation in drafts.items():
            edit_catalog(project.po_path(locale, "inhaler"), english, msgstr=translation)
    assert (
        project.po_path("zh_Hant", "notice").is_file() and not project.po_path("zh_Hant", "inhaler").exists()
    )
    checked = run_cli(root, "check", check=0)
    assert "0 errors" in checked.err
    built = run_cli(root, "build", check=0)
    assert "3 editions built (2 drafts), 0 failed" in built.out
    text = pdf_text(root / "dist" / "es" / "inhaler.pdf")
    assert "Bayou Pediatric Asthma Clinic" in text and "2400 Main St, Houston, TX" in text
    assert "Use 2 inhalaciones cada 4 horas" in text
    assert "Tampa" not in text and "813" not in text  # nothing of the Florida clinic
    notice = (root / "dist" / "notice.html").read_text(encoding="utf-8")
    assert all(f'lang="{tag}"' in notice for tag in ("es", "vi", "zh-Hant"))
    index = (root / "dist" / "index.html").read_text(encoding="utf-8")
    assert "Bayou Pediatric Asthma Clinic: Patient handouts" in index
    assert {"en/inhaler.html", "es/inhaler.html", "vi/inhaler.html"} <= set(
        re.findall(r'href="([^"]+)"', index)
    )
    assert "Section 1557 asks for at least the 15" in built.err  # three languages: said, not hidden
