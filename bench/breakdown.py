"""Where the time of a clean build goes: imports, then each step of making the editions.

    .venv/bin/python bench/breakdown.py            # the real project, 8 editions, html and pdf

Two measurements, printed as the table of the README's "Where the time goes":

1. imports: ``python -X importtime`` of what a build imports (the CLI, the build, WeasyPrint
   and the rest it loads when it makes editions), the time of each top-level package's own
   modules;
2. the work: cProfile of one clean build in one process (``jobs=1``: a worker's code path,
   every edition in turn), on a fresh copy of the real project and its pseudo-locale, as a
   first build (no catalog status kept from a build before: ``LDN_I18N_NO_CACHE``). Each
   step is the cumulative time of the function that does it, summed over the editions.

cProfile adds its own overhead (roughly 1.5x on pure-Python code): read the shares, not the
seconds. ``bench/run.py`` measures the real wall times.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: What a build imports when it makes editions (the CLI loads the rest lazily, as a build does).
IMPORTS = (
    "import ldn_i18n.cli, ldn_i18n.editions, ldn_i18n.editions.make, ldn_i18n.edition, ldn_i18n.render, "
    "ldn_i18n.gate, ldn_i18n.references, ldn_i18n.pdf, ldn_i18n.notice, weasyprint"
)
#: The steps of making editions: (label, module path suffix, function name).
STEPS = (
    ("catalog statuses (check, sign-offs), once per catalog", "ldn_i18n/catalogs.py", "catalog_status"),
    ("language-assistance notice composed (once)", "ldn_i18n/editions/make.py", "_compose_notice"),
    ("editions composed (gate, translations, references)", "ldn_i18n/editions/make.py", "_compose"),
    ("  of which references formatted (citeproc-py)", "ldn_i18n/references.py", "format_references"),
    ("pages rendered (Jinja2) and read back by the guard", "ldn_i18n/render.py", "render_html"),
    ("  of which the guard", "ldn_i18n/guard.py", "check_page"),
    ("PDFs printed", "ldn_i18n/pdf.py", "render_pdf"),
    ("  of which WeasyPrint's layout", "weasyprint/document.py", "_render"),
    ("  of which WeasyPrint's PDF writing", "weasyprint/document.py", "write_pdf"),
    ("    of which our PDF/UA finisher", "ldn_i18n/pdfua.py", "finish"),
    (
        "  of which the notice's taglines laid out alone (once per kind of page)",
        "ldn_i18n/taglines.py",
        "_alone",
    ),
    (
        "  of which fonts subset (once per font file and glyphs)",
        "weasyprint/pdf/fonts.py",
        "_harfbuzz_subset",
    ),
    ("  of which the notice's own page and PDF (dist/notice.*)", "ldn_i18n/editions/make.py", "make_notice"),
    ("files written (atomic)", "ldn_i18n/files.py", "write_atomic"),
    ("the index page", "ldn_i18n/editions/publish.py", "write_index"),
)


def import_times() -> list[tuple[str, float]]:
    """Each top-level package's import time (its modules' own times), in seconds, largest first."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", IMPORTS],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    found: dict[str, float] = {}
    for line in run.stderr.splitlines():  # each module's own time, summed per top-level package
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| (.*)$", line)
        if match:
            name = match.group(2).strip().split(".")[0]
            found[name] = found.get(name, 0.0) + int(match.group(1)) / 1e6
    return sorted(found.items(), key=lambda item: -item[1])


def profile_build(root: Path) -> tuple[float, dict[str, float]]:
    """The build's total time under cProfile and each step's cumulative time."""
    from ldn_i18n.editions import build
    from ldn_i18n.project import load_project
    from ldn_i18n.pseudo import write_pseudo

    project = load_project(root)
    write_pseudo(project)
    profiler = cProfile.Profile()
    profiler.enable()
    report = build(project, formats=("html", "pdf"), jobs=1, force=True)
    profiler.disable()
    assert not report.failed, report.summary()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(entry[3] for entry in stats.values())
    steps = {}
    for label, path, name in STEPS:
        steps[label] = sum(
            entry[3]
            for (file, _line, function), entry in stats.items()
            if file.endswith(path) and function == name and not _recursive(stats, (file, _line, function))
        )
    return total, steps


def _recursive(stats: dict, key: tuple) -> bool:  # type: ignore[type-arg]
    """Whether every call of ``key`` came from itself (counted once at its outermost call)."""
    callers = stats[key][4]
    return bool(callers) and all(caller == key for caller in callers)


def main() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764028800")
    os.environ["LDN_I18N_NO_CACHE"] = "1"  # a first build: every catalog checked
    print("## Imports (python -X importtime), per top-level package\n")
    print("| package | seconds |\n| --- | --- |")
    times = import_times()
    for name, seconds in times[:12]:
        print(f"| {name} | {seconds:.3f} |")
    print(f"| all | {sum(seconds for _, seconds in times):.3f} |")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for folder in ("source", "locale", "templates"):
            shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("en_XA"))
        total, steps = profile_build(root)
    print(f"\n## One clean build in one process (cProfile), {total:.2f} s in all\n")
    print("| step | seconds | share |\n| --- | --- | --- |")
    for label, seconds in steps.items():
        print(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f}% |")


if __name__ == "__main__":
    main()
