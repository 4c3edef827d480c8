"""Benchmark of the build engine, printing a table of medians and ratios.

    .venv/bin/python bench/run.py            # full: real project and a 24-handout corpus
    .venv/bin/python bench/run.py --quick    # fewer repetitions, 8-handout corpus
    .venv/bin/python bench/run.py --small    # the real project's floor, clean build and naive peer only

Everything is measured in one run on this machine, each figure the median of
--reps runs (default 3):

1. floor: WeasyPrint alone rendering the final HTML files to PDF, one warm
   process per core (imports and fonts loaded before the clock starts);
2. clean build: `ldn-i18n build --force` from scratch (no `dist/`), a new process, as staff
   run it: the catalogs' statuses kept by the build before (`ldn_i18n.catalogs`, outside
   `dist/`), and once more without them (`LDN_I18N_NO_CACHE=1`), as a fresh machine runs it;
3. naive peer: one `weasyprint` command per edition, as a Makefile would run it;
4. no-op rebuild and a one-catalog edit;
5. a CI matrix of 3 machines: each `build --shard K/3` timed on a copy of its
   own (one after another here, each with every core), then `merge`; the
   critical path (slowest shard + merge) against the one-machine clean build;
6. scale: a corpus synthesised from the real handout and catalogs (N handouts x
   every locale): wall time, editions per second, peak memory, 1 vs 2 workers,
   and memory of one process across 100 renders.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from ldn_i18n.engine import TASKS_PER_WORKER  # noqa: E402

PYTHON = sys.executable
WEASYPRINT = str(Path(PYTHON).parent / "weasyprint")


#: The formats the floor and the naive peer make: the large-print PDF is measured on its own line.
SAME_AS_FLOOR = ("--format", "html,pdf")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Linux {platform.release()}, "
        f"Python {platform.python_version()}, WeasyPrint {version('weasyprint')}"
    )


def make_project(target: Path, handouts: int = 1) -> Path:
    """A copy of the real project; with handouts > 1, synthesised copies of the handout and catalogs."""
    for folder in ("source", "locale", "templates"):
        shutil.copytree(REPO / folder, target / folder, ignore=shutil.ignore_patterns("en_XA"))
    source = target / "source" / "handouts" / "ldn-overview.md"
    text = source.read_text()
    head, body = text.split("\n---\n", 1)
    sections = re.split(r"(?m)^(?=## )", body)
    for n in range(2, handouts + 1):
        # Rotate the sections so each handout lays out differently; every msgid stays translated.
        turn = n % (len(sections) - 1)
        rotated = [sections[0]] + sections[1:][turn:] + sections[1:][:turn]
        (source.parent / f"handout-{n:02d}.md").write_text(head + "\n---\n" + "".join(rotated))
        for po in (target / "locale").glob("*/LC_MESSAGES/ldn-overview.po"):
            shutil.copy(po, po.with_name(f"handout-{n:02d}.po"))
    return target


def cli(root: Path, *args: str, cold: bool = False) -> subprocess.CompletedProcess[str]:
    """``ldn-i18n --root ROOT ARGS`` as a new process; ``cold``: without the status cache."""
    env = {**os.environ, "CI": "true", **({"LDN_I18N_NO_CACHE": "1"} if cold else {})}
    return subprocess.run(
        [PYTHON, "-m", "ldn_i18n", "--root", str(root), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )


def timed(
    action: Callable[[], object], reps: int, before: Callable[[], object] = lambda: None
) -> list[float]:
    times = []
    for _ in range(reps):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def clean(root: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(root / "dist", ignore_errors=True)


# --- the floor: WeasyPrint alone, warm, one process per core --------------------------------


def _render(job: tuple[str, str]) -> None:
    from weasyprint import HTML

    HTML(filename=job[0]).write_pdf(job[1], pdf_tags=True)


def _warm(sample: str) -> None:
    from weasyprint import HTML

    HTML(filename=sample).write_pdf()  # fonts and caches loaded before the clock starts


def floor(html_files: list[Path], out: Path, reps: int) -> list[float]:
    import weasyprint  # noqa: F401  (forked workers inherit it: the processes are warm)

    jobs = [(str(f), str(out / f"{i}.pdf")) for i, f in enumerate(html_files)]
    context = multiprocessing.get_context("fork")
    with context.Pool(os.cpu_count(), initializer=_warm, initargs=(jobs[0][0],)) as pool:
        pool.map(_render, jobs[: os.cpu_count()], chunksize=1)  # every worker warmed
        return timed(
            lambda: pool.map(_render, sorted(jobs, key=lambda j: -os.path.getsize(j[0])), chunksize=1), reps
        )


def naive(html_files: list[Path], out: Path, reps: int) -> list[float]:
    def run() -> None:
        for i, f in enumerate(html_files):
            subprocess.run([WEASYPRINT, str(f), str(out / f"n{i}.pdf")], check=True, capture_output=True)

    return timed(run, reps)


def final_html(root: Path) -> list[Path]:
    """Every page the build prints to PDF (built now): each edition's, and the notice's."""
    cli(root, "build", "--format", "html", "--force")
    return pages_of(root)


def pages_of(root: Path) -> list[Path]:
    """The pages in ``dist/`` that a build prints to PDF: each edition's, and the notice's."""
    notice = root / "dist" / "notice.html"
    return sorted((root / "dist").glob("*/*.html")) + ([notice] if notice.is_file() else [])


def sharded(tmp: Path, name: str, handouts: int, reps: int, count: int = 3) -> list[tuple[float, float]]:
    """Per run: the slowest of ``count`` shards (``build --shard K/N``, each on a copy of its own,
    as a CI machine would run it) and the ``merge`` of their dist/ into another copy."""
    machines = [make_project(tmp / f"{name}-shard-{k}", handouts) for k in range(1, count + 1)]
    merged = make_project(tmp / f"{name}-merged", handouts)
    for project in [*machines, merged]:
        if handouts > 1:
            cli(project, "extract")
        cli(project, "pseudo")
    runs = []
    for _ in range(reps):
        for project in [*machines, merged]:
            clean(project)()
        slowest = max(
            timed(lambda k=k, m=m: cli(m, "build", *SAME_AS_FLOOR, "--shard", f"{k}/{count}"), 1)[0]
            for k, m in enumerate(machines, 1)
        )
        merge = timed(lambda: cli(merged, "merge", *(str(m / "dist") for m in machines)), 1)[0]
        runs.append((slowest, merge))
    return runs


def matrix_row(runs: list[tuple[float, float]], one_machine: list[float]) -> tuple[list[float], str]:
    """The critical path of each run, and the note comparing it with ``one_machine``."""
    med = statistics.median
    critical = [slowest + merge for slowest, merge in runs]
    note = (
        f"{med(one_machine) / med(critical):.2f}x the speed of one machine (slowest shard "
        f"{med([s for s, _ in runs]):.2f} s + merge {med([m for _, m in runs]):.2f} s, status included); "
        "the shards ran one after another here, on a real matrix they run at once on separate machines"
    )
    return critical, note


def peak_child_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def memory_drift(html: Path, renders: int = 300) -> list[float]:
    """RSS (MiB) of one bare WeasyPrint process after 10, 100 and ``renders`` renders of a page."""
    code = f"""
import resource
from weasyprint import HTML
rss = []
for i in range({renders}):
    HTML(filename={str(html)!r}).write_pdf(pdf_tags=True)
    if i + 1 in (10, 100, {renders}):
        rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(*rss)
"""
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return [float(x) for x in out]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 repetition where costly, 8 handouts")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--handouts", type=int, default=24, help="handouts in the scale corpus")
    parser.add_argument("--small", action="store_true", help="only the floor, clean build and naive peer")
    args = parser.parse_args()
    reps = args.reps
    corpus = 8 if args.quick else args.handouts
    rows: list[tuple[str, str, str]] = []
    med = statistics.median

    def row(name: str, seconds: list[float] | str, note: str = "") -> None:
        shown = seconds if isinstance(seconds, str) else f"{med(seconds):.2f} s"
        runs = (
            ""
            if isinstance(seconds, str)
            else f" (n={len(seconds)}: " + ", ".join(f"{s:.2f}" for s in seconds) + ")"
        )
        rows.append((name, shown + runs, note))
        print(f"{name:<48} {shown + runs:<40} {note}", flush=True)

    print(machine(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        real = make_project(tmp_path / "real")
        cli(real, "pseudo")
        html = final_html(real)
        out = tmp_path / "out"
        out.mkdir()
        editions = sum(page.name != "notice.html" for page in html)
        t_floor = floor(html, out, reps)
        row(
            f"floor: WeasyPrint alone, {len(html)} PDFs",
            t_floor,
            f"{os.cpu_count()} warm processes; {editions} editions and the notice",
        )
        t_clean = timed(lambda: cli(real, "build", *SAME_AS_FLOOR, "--force"), reps, clean(real))
        row(
            "clean build (ldn-i18n build, new process)",
            t_clean,
            f"{med(t_clean) / med(t_floor):.2f}x floor (target <= 1.2x)",
        )
        if args.small:
            t_naive = naive(html, out, reps)
            row(
                "naive peer: one weasyprint CLI per edition",
                t_naive,
                f"ours is {med(t_naive) / med(t_clean):.1f}x faster (target >= 3x)",
            )
            print_table(rows)
            return
        t_cold = timed(lambda: cli(real, "build", *SAME_AS_FLOOR, "--force", cold=True), reps, clean(real))
        row(
            "clean build, no kept catalog statuses",
            t_cold,
            f"{med(t_cold) / med(t_floor):.2f}x floor: a first build, every catalog checked",
        )
        critical, note = matrix_row(sharded(tmp_path, "real", 1, reps), t_clean)
        row("3 shards (CI matrix): slowest shard + merge", critical, note)
        t_large = timed(lambda: cli(real, "build", "--force"), reps, clean(real))
        row(
            "clean build, default formats (large print too)",
            t_large,
            f"{med(t_large) / med(t_clean):.2f}x the html,pdf build",
        )
        t_naive = naive(html, out, 1 if args.quick else reps)
        row(
            "naive peer: one weasyprint CLI per edition",
            t_naive,
            f"ours is {med(t_naive) / med(t_clean):.1f}x faster (target >= 3x)",
        )
        cli(real, "build", *SAME_AS_FLOOR)  # back to the floor's formats: the no-op's starting point
        t_noop = timed(lambda: cli(real, "build", *SAME_AS_FLOOR), reps)
        row(
            "no-op rebuild (new process)",
            t_noop,
            f"{100 * med(t_noop) / med(t_clean):.1f}% of clean (target < 5%)",
        )
        po = real / "locale" / "es" / "LC_MESSAGES" / "ldn-overview.po"
        original = po.read_text()

        def edit_es() -> None:  # alternate between two wordings, so every run is an edit
            current = po.read_text()
            po.write_text(
                original
                if current != original
                else original.replace("¿Es segura la LDN?", "¿La LDN es segura?")
            )

        rebuilt: list[int] = []

        def one_edit() -> None:
            result = cli(real, "build", *SAME_AS_FLOOR)
            rebuilt.append(sum("(up to date)" not in line for line in result.stdout.splitlines()[:-1]))

        t_edit = timed(one_edit, reps, edit_es)
        row("one-catalog edit (es)", t_edit, f"re-rendered {max(rebuilt)} of {editions} editions")

        big = make_project(tmp_path / "big", corpus)
        cli(big, "extract")
        cli(big, "pseudo")
        big_editions = sum(page.name != "notice.html" for page in final_html(big))
        before = peak_child_rss_mib()
        t_big2 = timed(lambda: cli(big, "build", *SAME_AS_FLOOR, "--force", "--jobs", "2"), reps, clean(big))
        peak = peak_child_rss_mib()
        row(
            f"scale: {corpus} handouts x {big_editions // corpus} locales, 2 workers",
            t_big2,
            f"{big_editions / med(t_big2):.1f} editions/s; peak RSS of a build process "
            f"{max(peak, before):.0f} MiB",
        )
        critical, note = matrix_row(sharded(tmp_path, "big", corpus, 1 if args.quick else reps), t_big2)
        row(f"scale: 3 shards (CI matrix) of {big_editions} editions", critical, note)
        t_big_noop = timed(lambda: cli(big, "build", *SAME_AS_FLOOR, "--jobs", "2"), reps)
        row(
            "scale: no-op rebuild",
            t_big_noop,
            f"{100 * med(t_big_noop) / med(t_big2):.1f}% of clean (target < 5%)",
        )
        t_big1 = timed(
            lambda: cli(big, "build", *SAME_AS_FLOOR, "--force", "--jobs", "1"),
            1 if args.quick else reps,
            clean(big),
        )
        row(
            "scale: same corpus, 1 worker",
            t_big1,
            f"speed-up 1 -> 2 workers: {med(t_big1) / med(t_big2):.2f}x",
        )
        half = make_project(tmp_path / "half", corpus // 2)
        cli(half, "extract")
        cli(half, "pseudo")
        t_half = timed(
            lambda: cli(half, "build", *SAME_AS_FLOOR, "--force", "--jobs", "2"), reps, clean(half)
        )
        row(
            f"scale: {corpus // 2} handouts, 2 workers",
            t_half,
            f"doubling the corpus costs {med(t_big2) / med(t_half):.2f}x (linear: 2x)",
        )
        big_html = pages_of(big)  # the last build's pages (html,pdf): what the floor prints
        t_floor_big = floor(big_html, out, 1 if args.quick else reps)
        row(
            f"scale floor: WeasyPrint alone, {len(big_html)} PDFs",
            t_floor_big,
            f"clean build is {med(t_big2) / med(t_floor_big):.2f}x floor (target <= 1.15x)",
        )
        t_naive_big = naive(big_html, out, 1)
        row(
            "scale naive peer: one weasyprint CLI per edition",
            t_naive_big,
            f"ours is {med(t_naive_big) / med(t_big2):.1f}x faster (target >= 4x)",
        )
        renders = 160 if args.quick else 300  # past 100: the growth once caches are warm
        rss = memory_drift(html[0], renders)
        per_doc = (rss[2] - rss[1]) / (renders - 100)
        row(
            f"bare WeasyPrint process: RSS after 10/100/{renders} renders",
            " -> ".join(f"{x:.0f}" for x in rss) + " MiB",
            f"native growth {per_doc:.2f} MiB/document: build workers are replaced every "
            f"{TASKS_PER_WORKER} documents",
        )
    print_table(rows)


def print_table(rows: list[tuple[str, str, str]]) -> None:
    """The rows as the Markdown table of docs/performance.md."""
    print()
    print("| measure | median (runs) | result |")
    print("| --- | --- | --- |")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
