"""The clinic staff's pages: ``GET /`` (every catalog, with links to its translator and reviewer
pages), ``GET /staff`` (where every catalog stands, :func:`~ldn_i18n.status.project_status`),
``POST /staff/build`` (a build or release, run as ``ldn-i18n build`` itself, its progress pushed
line by line through ``/events``), ``GET /dist/...`` (the editions, records and notice it
wrote) and ``GET /guide/reviewers`` (docs/reviewers.md).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..languages import language
from .pages import form_of, page
from .workbench import NotFound, Workbench

#: The reviewers' guide: docs/reviewers.md in a checkout, packaged beside the code in a wheel.
GUIDE_NAMES = ("docs/reviewers.md",)


def _workbench(request: Request) -> Workbench:
    return request.app.state.workbench  # type: ignore[no-any-return]


async def home(request: Request) -> Response:
    """Every locale and its catalogs."""
    workbench = _workbench(request)

    def listing() -> list[dict[str, Any]]:
        return [
            {"locale": loc, "lang": language(loc), "domains": workbench.domains(loc)}
            for loc in workbench.locales()
        ]

    return page("home.html.j2", title="All catalogs", locales=await run_in_threadpool(listing))


class Builds:
    """The one build the workbench runs at a time, and what it printed so far."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.running = False
        self.code: int | None = None
        self.lock = threading.Lock()

    def start(self, workbench: Workbench, release: bool, web_only: bool = False) -> bool:
        """Start ``ldn-i18n build`` (``--release``; ``--format html`` when ``web_only``) in the
        background; False when one is running."""
        with self.lock:
            if self.running:
                return False
            self.running, self.lines, self.code = True, [], None
        argv = [sys.executable, "-m", "ldn_i18n", "--root", str(workbench.project.root), "build"]
        argv += ["--release"] if release else []
        argv += ["--format", "html"] if web_only else []
        threading.Thread(target=self._run, args=(workbench, argv), daemon=True).start()
        return True

    def _run(self, workbench: Workbench, argv: list[str]) -> None:
        try:
            process = subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8"
            )
            assert process.stdout is not None
            for raw in process.stdout:
                self._say(workbench, raw.rstrip("\n"))
            self.code = process.wait()
            self._say(workbench, f"build finished (exit {self.code})")
        finally:
            self.running = False

    def _say(self, workbench: Workbench, line: str) -> None:
        self.lines.append(line)
        workbench.announce({"kind": "build", "locale": "", "domain": "", "keys": [], "line": line})


async def staff(request: Request) -> Response:
    """Where every catalog stands, the last build, and the build and release buttons."""
    from ..status import project_status

    workbench = _workbench(request)
    report = await run_in_threadpool(project_status, workbench.project)
    builds: Builds = request.app.state.builds
    dist = workbench.project.dist_dir
    editions = sorted(
        (key, entry) for key, entry in report.builds.items() if isinstance(entry.get("outputs"), list)
    )
    return page(
        "staff.html.j2",
        title="Staff: status, build and release",
        report=report,
        editions=editions,
        records=report.records(),
        notice=[name for name in ("notice.html", "notice.pdf") if (dist / name).is_file()],
        index=(dist / "index.html").is_file(),
        builds=builds,
        root=workbench.project.root,
    )


async def start_build(request: Request) -> Response:
    """Start a build (``release`` in the form: a release) and go back to the staff page."""
    form = await form_of(request)
    builds: Builds = request.app.state.builds
    builds.start(
        _workbench(request), release=form.get("release") is not None, web_only=form.get("web") is not None
    )
    return RedirectResponse("/staff#progress", status_code=303)


async def dist_file(request: Request) -> Response:
    """A file the build wrote under ``dist/`` (never outside it)."""
    dist = _workbench(request).project.dist_dir.resolve()
    target = (dist / request.path_params["path"]).resolve()
    if dist not in target.parents or not target.is_file():
        raise NotFound(f"no file {request.path_params['path']!r} in dist/")
    return FileResponse(target, headers={"cache-control": "no-store"})


def guide_path() -> Path | None:
    """docs/reviewers.md of a checkout, or the copy packaged with the wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "docs" / "reviewers.md", here / "docs" / "reviewers.md"):
        if candidate.is_file():
            return candidate
    return None


async def guide(request: Request) -> Response:
    """The reviewers' guide, as HTML (Markdown with raw HTML off)."""
    from markdown_it import MarkdownIt

    path = guide_path()
    if path is None:
        raise NotFound("the reviewers' guide (docs/reviewers.md) is not installed")
    body = MarkdownIt("commonmark", {"html": False}).render(path.read_text(encoding="utf-8"))
    return page("guide.html.j2", title="Guide for reviewers", body=Markup(body))


ROUTES = [
    Route("/", home),
    Route("/staff", staff),
    Route("/staff/build", start_build, methods=["POST"]),
    Route("/dist/{path:path}", dist_file),
    Route("/guide/reviewers", guide),
]
