"""Benchmark of the workbench's live preview against cold builds, printing medians and ratios.

    .venv/bin/python bench/serve.py               # 5 repetitions, memory over 500 saves
    .venv/bin/python bench/serve.py --reps 3 --saves 100

Everything is measured in one run on this machine, on a copy of the real project:

1. cold: ``ldn-i18n build --locale es --format html`` (then ``--format pdf``) as a new process,
   with ``--force``, no ``dist/`` and no kept catalog statuses (``LDN_I18N_NO_CACHE=1``);
2. warm: ``ldn-i18n serve`` started in this process (warmed once, as it warms itself at start),
   then, per repetition, a ``PUT`` of a changed Spanish translation followed by the ``GET`` of
   the edition's preview (HTML, then PDF), timed from the save to the last byte of the
   preview, and the change checked to be in it;
3. memory: this process's resident size over ``--saves`` saves, each followed by the HTML
   preview a page would load.

The issue asks for the HTML preview >= 10x sooner than the cold HTML build, the PDF >= 3x.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from ldn_i18n.project import load_project  # noqa: E402
from ldn_i18n.serve import serve, stop  # noqa: E402

DOSE = "de 1,5 a 4,5 mg al día"


def cold(root: Path, fmt: str) -> float:
    shutil.rmtree(root / "dist", ignore_errors=True)
    env = {**os.environ, "CI": "true", "LDN_I18N_NO_CACHE": "1"}
    argv = [sys.executable, "-m", "ldn_i18n", "--root", str(root), "build", "--locale", "es"]
    start = time.perf_counter()
    subprocess.run([*argv, "--format", fmt, "--force"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Client:
    def __init__(self, url: str) -> None:
        self.base, self.token = url.split("/?token=")

    def call(self, method: str, path: str, body: object = None) -> bytes:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.read()  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ldn-bench-serve-"))
    root = tmp / "project"
    for folder in ("source", "locale", "templates"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("en_XA"))
    try:
        cold_html = [cold(root, "html") for _ in range(args.reps)]
        cold_pdf = [cold(root, "pdf") for _ in range(args.reps)]
        out, ready = io.StringIO(), threading.Event()
        thread = threading.Thread(
            target=serve, args=(load_project(root), "127.0.0.1", 0, False, out, ready, False), daemon=True
        )
        thread.start()
        assert ready.wait(60)
        client = Client(out.getvalue().splitlines()[0])
        rows = json.loads(client.call("GET", "/api/catalogs/es/ldn-overview"))["messages"]
        row = next(r for r in rows if DOSE in r["msgstr"])
        client.call("GET", "/preview/es/ldn-overview.pdf")  # what `serve` does once at start

        counter = iter(range(1_000_000))

        def save_then(fmt: str) -> float:
            mark = f"Nota {next(counter)}: cuando"
            start = time.perf_counter()
            key = row["key"]
            client.call(
                "PUT",
                f"/api/catalogs/es/ldn-overview/{key}",
                {"msgstr": row["msgstr"].replace("Cuando", mark)},
            )
            page = client.call("GET", f"/preview/es/ldn-overview.{fmt}")
            seconds = time.perf_counter() - start
            if fmt == "html":
                assert mark.encode() in page, "the preview does not show the save"
            else:
                assert page.startswith(b"%PDF")
            return seconds

        warm_html = [save_then("html") for _ in range(args.reps)]
        warm_pdf = [save_then("pdf") for _ in range(args.reps)]
        memory = [(0, rss_mib())]
        for n in range(1, args.saves + 1):
            save_then("html")
            if n % max(args.saves // 5, 1) == 0:
                memory.append((n, rss_mib()))
        stop()
        thread.join(15)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(values: list[float]) -> float:
        return statistics.median(values)

    print(f"{'what':58} {'median s':>9}")
    print(f"{'cold `build --locale es --format html` (new process)':58} {med(cold_html):9.3f}")
    print(f"{'warm save + HTML preview':58} {med(warm_html):9.3f}")
    print(f"{'  ratio (>= 10x asked)':58} {med(cold_html) / med(warm_html):8.1f}x")
    print(f"{'cold `build --locale es --format pdf` (new process)':58} {med(cold_pdf):9.3f}")
    print(f"{'warm save + PDF preview':58} {med(warm_pdf):9.3f}")
    print(f"{'  ratio (>= 3x asked)':58} {med(cold_pdf) / med(warm_pdf):8.1f}x")
    print("resident memory (MiB) after N saves: " + ", ".join(f"{n}: {mib:.0f}" for n, mib in memory))
    print(f"({args.reps} repetitions; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
