"""Release safety: bad input fails only its edition; dist/, the index, the links and the record agree.

Each test builds a copy of the real project cut to three languages (English,
Spanish, Arabic), HTML only unless PDFs are the point, and then asserts
exactly which edition files are in dist/, what the index and each page's
"Also available in" links point to, and the state recorded per edition.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time

import pytest

from ldn_i18n.editions import build
from ldn_i18n.editions import make as build_module
from ldn_i18n.notice import NOTICE_FILES
from ldn_i18n.project import Project

from . import pages
from .conftest import break_catalog, cli_command, made, releasable, run_cli, signer_args
from .pages import links, read_page

SLUG = "ldn-overview"
REVIEWER = "Ana Pérez <ana.perez@example.org>"


def edition_files(project: Project) -> list[str]:
    """Every edition file in dist/, relative to it (translation records are tested in test_policy.py)."""
    dist = project.dist_dir
    return sorted(
        str(p.relative_to(dist))
        for p in dist.glob("*/*")
        if p.suffix in (".html", ".pdf") and not p.stem.endswith(".record")
    )


def index_links(project: Project) -> list[str]:
    """The index's links to editions (its links to the notice are tested in test_notice.py)."""
    return [href for href in links(read_page(project.dist_dir / "index.html")) if href not in NOTICE_FILES]


def also_available(project: Project, page: str) -> list[str]:
    """The links of a page's "Also available in" line."""
    return pages.also_available(project.dist_dir / page)


def states(project: Project) -> dict[str, str]:
    record = json.loads((project.dist_dir / "editions.json").read_text(encoding="utf-8"))
    return {key: entry["state"] for key, entry in record["editions"].items()}


ALL_HTML = [f"ar/{SLUG}.html", f"en/{SLUG}.html", f"es/{SLUG}.html"]


@pytest.mark.slow
def test_full_build_links_every_edition(small: Project) -> None:
    run_cli(small, "build", "--format", "html", check=0)
    assert edition_files(small) == ALL_HTML
    assert index_links(small) == [f"en/{SLUG}.html", f"ar/{SLUG}.html", f"es/{SLUG}.html"]
    assert also_available(small, f"en/{SLUG}.html") == [f"../ar/{SLUG}.html", f"../es/{SLUG}.html"]
    assert also_available(small, f"es/{SLUG}.html") == [f"../en/{SLUG}.html", f"../ar/{SLUG}.html"]
    assert also_available(small, f"ar/{SLUG}.html") == [f"../en/{SLUG}.html", f"../es/{SLUG}.html"]
    assert states(small) == {f"en/{SLUG}": "final", f"es/{SLUG}": "draft", f"ar/{SLUG}": "draft"}


@pytest.mark.slow
def test_stray_locale_folder_fails_only_its_editions(small: Project) -> None:
    stray = small.locale_dir / "es-MX"
    shutil.copytree(small.locale_dir / "es", stray)
    err = run_cli(small, "build", "--format", "html", check=1).err
    assert f"{stray}: error: " in err and "internal error" not in err and "Traceback" not in err
    assert "3 editions built (2 drafts), 1 failed" in err
    assert edition_files(small) == ALL_HTML
    assert index_links(small) == [f"en/{SLUG}.html", f"ar/{SLUG}.html", f"es/{SLUG}.html"]
    assert also_available(small, f"en/{SLUG}.html") == [f"../ar/{SLUG}.html", f"../es/{SLUG}.html"]
    assert states(small) == {
        f"en/{SLUG}": "final",
        f"es/{SLUG}": "draft",
        f"ar/{SLUG}": "draft",
        f"es-MX/{SLUG}": "failed",
    }
    record = json.loads((small.dist_dir / "editions.json").read_text())
    assert record["editions"][f"es-MX/{SLUG}"]["reasons"][0].startswith(f"{stray}: error: ")
    # Building only Spanish does not touch the stray folder.
    run_cli(small, "build", "--format", "html", "--locale", "es", check=0)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_in_one_edition_fails_only_that_edition(
    small: Project, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    compose = build_module._compose

    def buggy(run, handout, locale, keys, links):  # type: ignore[no-untyped-def]
        if locale == "ar":
            raise ZeroDivisionError("in the Arabic edition")
        return compose(run, handout, locale, keys, links)

    monkeypatch.setattr(build_module, "_compose", buggy)  # forked workers inherit it
    err = run_cli(small, "build", "--format", "html", "--jobs", jobs, check=1).err
    assert f"ar/{SLUG}: error: internal error: ZeroDivisionError: in the Arabic edition" in err
    assert "2 editions built (1 drafts), 1 failed" in err
    assert edition_files(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    assert index_links(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    # English and Spanish were first made linking to Arabic, then again without it.
    assert also_available(small, f"en/{SLUG}.html") == [f"../es/{SLUG}.html"]
    assert also_available(small, f"es/{SLUG}.html") == [f"../en/{SLUG}.html"]
    assert states(small) == {f"en/{SLUG}": "final", f"es/{SLUG}": "draft", f"ar/{SLUG}": "failed"}


@pytest.mark.slow
def test_failed_edition_removes_its_old_files_and_links(small: Project) -> None:
    run_cli(small, "build", check=0)
    assert (small.dist_dir / "es" / f"{SLUG}.pdf").is_file()
    po, line = break_catalog(small, "es")
    err = run_cli(small, "build", "--locale", "es", check=1).err
    assert f"{po.relative_to(small.root)}:{line}: error: " in err
    assert edition_files(small) == [
        f"ar/{SLUG}.html",
        f"ar/{SLUG}.large.pdf",
        f"ar/{SLUG}.pdf",
        f"en/{SLUG}.html",
        f"en/{SLUG}.large.pdf",
        f"en/{SLUG}.pdf",
    ]
    assert index_links(small) == [
        f"en/{SLUG}.html",
        f"en/{SLUG}.pdf",
        f"en/{SLUG}.large.pdf",
        f"ar/{SLUG}.html",
        f"ar/{SLUG}.pdf",
        f"ar/{SLUG}.large.pdf",
    ]
    assert also_available(small, f"en/{SLUG}.html") == [f"../ar/{SLUG}.html"]
    assert also_available(small, f"ar/{SLUG}.html") == [f"../en/{SLUG}.html"]
    assert states(small) == {f"en/{SLUG}": "final", f"es/{SLUG}": "failed", f"ar/{SLUG}": "draft"}


@pytest.mark.slow
def test_partial_build_keeps_the_index_and_links_whole(small: Project) -> None:
    assert made(build(small, ["en", "es"], ("html",))) == [f"en/{SLUG}", f"es/{SLUG}"]
    assert index_links(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    # Arabic alone: the English and Spanish pages now link to it, though not selected.
    report = build(small, ["ar"], ("html",))
    assert made(report) == [f"ar/{SLUG}", f"en/{SLUG}", f"es/{SLUG}"]
    assert not report.failed
    assert edition_files(small) == ALL_HTML
    assert index_links(small) == [f"en/{SLUG}.html", f"ar/{SLUG}.html", f"es/{SLUG}.html"]
    assert also_available(small, f"en/{SLUG}.html") == [f"../ar/{SLUG}.html", f"../es/{SLUG}.html"]
    assert also_available(small, f"es/{SLUG}.html") == [f"../en/{SLUG}.html", f"../ar/{SLUG}.html"]
    assert also_available(small, f"ar/{SLUG}.html") == [f"../en/{SLUG}.html", f"../es/{SLUG}.html"]
    # The selection is not an input: a full build, then Spanish alone, have nothing to do.
    assert made(build(small, formats=("html",))) == []
    assert made(build(small, ["es"], ("html",))) == []
    assert index_links(small) == [f"en/{SLUG}.html", f"ar/{SLUG}.html", f"es/{SLUG}.html"]
    assert states(small) == {f"en/{SLUG}": "final", f"es/{SLUG}": "draft", f"ar/{SLUG}": "draft"}


@pytest.mark.slow
def test_a_failure_predicted_from_the_record_costs_no_rebuild(small: Project) -> None:
    break_catalog(small, "ar")
    first = build(small, formats=("html",))
    assert [r.key for r in first.failed] == [f"ar/{SLUG}"]
    again = build(small, formats=("html",))
    assert made(again) == [f"ar/{SLUG}"]  # retried, and failing again as expected: nothing relinked
    assert also_available(small, f"en/{SLUG}.html") == [f"../es/{SLUG}.html"]


@pytest.mark.slow
def test_renamed_handout_leaves_no_old_files(small: Project) -> None:
    run_cli(small, "build", "--format", "html", check=0)
    (small.handouts_dir / f"{SLUG}.md").rename(small.handouts_dir / "ldn-guide.md")
    run_cli(small, "build", "--format", "html", "--locale", "es", check=0)
    assert edition_files(small) == ["es/ldn-guide.html"]
    assert index_links(small) == ["es/ldn-guide.html"]
    assert also_available(small, "es/ldn-guide.html") == []
    assert states(small) == {"es/ldn-guide": "draft"}
    run_cli(small, "build", "--format", "html", check=0)
    assert edition_files(small) == ["ar/ldn-guide.html", "en/ldn-guide.html", "es/ldn-guide.html"]
    assert also_available(small, "es/ldn-guide.html") == ["../en/ldn-guide.html", "../ar/ldn-guide.html"]


@pytest.mark.slow
def test_removed_locale_leaves_no_files_or_links(small: Project) -> None:
    run_cli(small, "build", "--format", "html", check=0)
    shutil.rmtree(small.locale_dir / "ar")
    run_cli(small, "build", "--format", "html", "--locale", "es", check=0)
    assert edition_files(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    assert not (small.dist_dir / "ar").exists()
    assert index_links(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    assert also_available(small, f"en/{SLUG}.html") == [f"../es/{SLUG}.html"]  # English was not selected
    assert also_available(small, f"es/{SLUG}.html") == [f"../en/{SLUG}.html"]
    assert states(small) == {f"en/{SLUG}": "final", f"es/{SLUG}": "draft"}


@pytest.mark.slow
def test_release_after_draft_build_publishes_only_final_editions(small: Project) -> None:
    releasable(small)
    run_cli(small, "build", "--format", "html", check=0)
    assert edition_files(small) == ALL_HTML
    # Releasing English alone removes the drafts of every locale and every link to them.
    run_cli(small, "build", "--format", "html", "--release", "--locale", "en", check=0)
    assert edition_files(small) == [f"en/{SLUG}.html"]
    assert index_links(small) == [f"en/{SLUG}.html"]
    assert also_available(small, f"en/{SLUG}.html") == []
    assert states(small) == {
        f"en/{SLUG}": "final",
        f"es/{SLUG}": "not released",
        f"ar/{SLUG}": "not released",
    }
    # A draft build brings them back; a signed-off Spanish is then released, Arabic is not.
    run_cli(small, "build", "--format", "html", check=0)
    assert edition_files(small) == ALL_HTML
    run_cli(small, "review", "--locale", "es", *signer_args(small, REVIEWER), check=0)
    err = run_cli(small, "build", "--format", "html", "--release", check=1).err
    assert f"ar/{SLUG}: not released: " in err
    assert edition_files(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    assert index_links(small) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]
    assert also_available(small, f"en/{SLUG}.html") == [f"../es/{SLUG}.html"]
    assert also_available(small, f"es/{SLUG}.html") == [f"../en/{SLUG}.html"]
    assert states(small) == {f"en/{SLUG}": "final", f"es/{SLUG}": "final", f"ar/{SLUG}": "not released"}
    assert 'class="draft"' not in (small.dist_dir / "es" / f"{SLUG}.html").read_text()


@pytest.mark.slow
def test_release_removes_drafts_in_every_format(small: Project) -> None:
    releasable(small)
    assert not build(small, ["en", "es"]).failed
    assert (small.dist_dir / "es" / f"{SLUG}.pdf").is_file()
    report = build(small, ["en", "es"], ("html",), release=True)
    assert [r.key for r in report.skipped] == [f"es/{SLUG}"]
    assert edition_files(small) == [f"en/{SLUG}.html"]  # no draft PDF left, nor the old English PDF
    assert index_links(small) == [f"en/{SLUG}.html"]


@pytest.mark.slow
def test_index_of_a_pdf_only_edition_links_its_pdf(small: Project) -> None:
    assert not build(small, ["en"], ("pdf",)).failed
    assert edition_files(small) == [f"en/{SLUG}.pdf"]
    assert index_links(small) == [f"en/{SLUG}.pdf"]


def test_review_folder_and_status_files_are_left_alone(small: Project) -> None:
    (small.dist_dir / "review").mkdir(parents=True)
    (small.dist_dir / "review" / "notes.html").write_text("kept")
    (small.dist_dir / "status.html").write_text("kept")
    shutil.rmtree(small.locale_dir / "ar")
    assert not build(small, formats=("html",)).failed
    assert (small.dist_dir / "review" / "notes.html").read_text() == "kept"
    assert (small.dist_dir / "status.html").read_text() == "kept"


def start_html_build(project: Project, locale: str) -> subprocess.Popen[str]:
    """``ldn-i18n build --format html --locale <locale>`` started as a process of its own, as in CI."""
    return subprocess.Popen(
        cli_command(project, "build", "--format", "html", "--locale", locale),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CI": "true"},
    )


@pytest.mark.slow
def test_concurrent_builds_keep_both_records(small: Project) -> None:
    first, second = start_html_build(small, "es"), start_html_build(small, "ar")
    outcomes = [process.communicate(timeout=120) for process in (first, second)]
    for process, (_, err) in zip((first, second), outcomes, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err and "internal error" not in err
    assert states(small) == {f"es/{SLUG}": "draft", f"ar/{SLUG}": "draft"}
    assert edition_files(small) == [f"ar/{SLUG}.html", f"es/{SLUG}.html"]
    assert index_links(small) == [f"ar/{SLUG}.html", f"es/{SLUG}.html"]
    assert also_available(small, f"es/{SLUG}.html") == [f"../ar/{SLUG}.html"]
    assert also_available(small, f"ar/{SLUG}.html") == [f"../es/{SLUG}.html"]


@pytest.mark.slow
def test_a_build_waits_for_the_one_holding_the_lock(small: Project) -> None:
    small.dist_dir.mkdir()
    with open(small.dist_dir / ".build.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = start_html_build(small, "en")
        assert waiting.stderr is not None
        ready, _, _ = select.select([waiting.stderr], [], [], 60)
        assert ready, "the build did not say it is waiting"
        assert waiting.stderr.readline().startswith(f"waiting for another build of {small.dist_dir}")
        time.sleep(0.2)
        assert waiting.poll() is None  # still waiting
        assert not (small.dist_dir / "editions.json").exists()
        fcntl.flock(lock, fcntl.LOCK_UN)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "waiting" not in err  # said once
    assert states(small) == {f"en/{SLUG}": "final"}


@pytest.mark.slow
def test_nothing_to_do_loads_no_cldr(small: Project) -> None:
    build(small, formats=("html",))
    code = (
        "import sys; from ldn_i18n.editions import build; from ldn_i18n.project import load_project; "
        f"r = build(load_project({str(small.root)!r}), formats=('html',)); "
        "print(all(x.reused for x in r.results), any(m.startswith('babel') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]
