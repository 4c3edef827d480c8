"""The workbench application: :func:`make_app` (a project -> a Starlette app) and :func:`page`.

Routes come from one module per kind of page (:mod:`.catalogs` for translators,
:mod:`.review` for reviewers, :mod:`.staff` for the clinic's staff, :mod:`.preview` for the
preview and the change feed); every one calls the library as the CLI does. Pages are Jinja2
templates of this package with autoescape on, and each page is read back by the build's
guard (:func:`~ldn_i18n.guard.check_page`) before it is sent, so catalog text stays text.
:class:`~.security.Guard` stands in front of everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import LdnError
from ..guard import check_page
from ..project import Project
from ..templating import Templates
from .preview import Feed, Previewer
from .security import Guard
from .workbench import Conflict, NotFound, Workbench

LOG = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
TEMPLATES = Templates((HERE / "templates",))
#: Links the workbench's own pages may carry: paths of this server, never another site.
OWN_LINKS = re.compile(r"/(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)?/?(?:\?[A-Za-z0-9=&_.%-]*)?(?:#[\w-]+)?")


@cache
def environment() -> Environment:
    """The Jinja2 environment of the workbench's pages (autoescape on, undefined is an error)."""
    env = Environment(
        loader=FileSystemLoader([str(folder) for folder in TEMPLATES.folders]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(name: str, **context: Any) -> str:
    """A workbench template rendered and read back by the guard (nothing it did not write)."""
    html = environment().get_template(name).render(**context)
    check_page(html, TEMPLATES, f"workbench/{name}", OWN_LINKS)
    return html


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """An HTML response of a workbench template."""
    return HTMLResponse(render(name, **context), status_code=status, headers=_NO_STORE)


_NO_STORE = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


#: The largest form a page sends (a reviewer's page of every row with comments fits well within it).
MAX_FORM = 4 * 1024 * 1024


async def form_of(request: Request) -> FormData:
    """The fields of a page's form (``application/x-www-form-urlencoded``, all our pages send)."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise LdnError(f"the form is larger than {MAX_FORM // 1024 // 1024} MB")
    fields: list[tuple[str, str | UploadFile]] = []
    fields += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return FormData(fields)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, Conflict):
        status = 409
    else:
        status = 400
    text = exc.message if isinstance(exc, LdnError) else str(exc)
    if isinstance(exc, LdnError) and exc.path is not None and not isinstance(exc, (NotFound, Conflict)):
        text = str(exc.relative_to(request.app.state.workbench.project.root))
    if _wants_json(request):
        body: dict[str, Any] = {"error": text}
        if isinstance(exc, Conflict):
            body.update(disk=list(exc.disk), version=exc.version)
        return JSONResponse(body, status_code=status, headers=_NO_STORE)
    return page("error.html.j2", status=status, title="Not found" if status == 404 else "Refused", error=text)


def make_app(
    project: Project,
    token: str,
    host: str = "127.0.0.1",
    port: int = 0,
    watch: bool = True,
    key: Path | None = None,
    signing: bool = True,
) -> Guard:
    """The workbench of ``project`` behind its guard; ``watch`` runs the file watcher while it serves;
    ``key`` signs the reviewer's sign-offs (default: ssh-agent); ``signing`` False refuses to sign
    (:func:`~ldn_i18n.serve.serve` on a network address)."""
    from . import catalogs, review, staff
    from .preview import events, preview

    workbench = Workbench(project, key, signing=signing)
    previewer = Previewer(workbench)
    feed = Feed(workbench)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        feed.loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        task = asyncio.create_task(_watch(workbench, stop)) if watch else None
        try:
            yield
        finally:
            stop.set()
            feed.close()
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    routes = [
        *staff.ROUTES,
        *catalogs.ROUTES,
        *review.ROUTES,
        Route("/preview/{locale}/{name}", preview),
        Route("/events", events),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={LdnError: _error, ValueError: _error},
    )
    app.state.workbench = workbench
    app.state.previewer = previewer
    app.state.feed = feed
    app.state.token = token
    app.state.builds = staff.Builds()
    return Guard(app, token, host, port)


async def _watch(workbench: Workbench, stop: asyncio.Event) -> None:
    """Tell the workbench of every file changed under ``locale/``, ``source/`` and the templates."""
    from watchfiles import awatch

    project = workbench.project
    watched = (project.locale_dir, project.root / "source", *project.templates.folders)
    folders = [p for p in watched if p.is_dir()]

    def interesting(_change: object, path: str) -> bool:
        return not Path(path).name.startswith(".")  # write_atomic's temporary files, editors' locks

    async for changes in awatch(*folders, stop_event=stop, watch_filter=interesting, debounce=200, step=50):
        paths = [Path(path) for _, path in changes]
        try:
            await asyncio.to_thread(workbench.changed, paths)
        except Exception:  # a bug must not stop the watcher: the pages would silently go stale
            LOG.exception("the workbench could not take in a change of %s", ", ".join(map(str, paths)))
