"""The workbench application: :func:`make_app` (a project -> a Starlette app).

Routes come from one module per kind of page (:mod:`.catalogs` for translators,
:mod:`.review` for reviewers, :mod:`.staff` for the clinic's staff, :mod:`.preview` for the
preview and the change feed); every one calls the library as the CLI does and renders its
pages through :mod:`.pages`, whose guard keeps catalog text text.
:class:`~.security.Guard` stands in front of everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import LdnError
from ..project import Project
from .pages import NO_STORE, TEMPLATES, page
from .preview import Feed, Previewer
from .security import Guard
from .workbench import Conflict, NotFound, Workbench

LOG = logging.getLogger(__name__)


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
        return JSONResponse(body, status_code=status, headers=NO_STORE)
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
        Mount("/static", StaticFiles(directory=str(TEMPLATES.parent / "static")), name="static"),
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
    folders = [p for p in (project.locale_dir, project.root / "source", project.templates_dir) if p.is_dir()]

    def interesting(_change: object, path: str) -> bool:
        return not Path(path).name.startswith(".")  # write_atomic's temporary files, editors' locks

    async for changes in awatch(*folders, stop_event=stop, watch_filter=interesting, debounce=200, step=50):
        paths = [Path(path) for _, path in changes]
        try:
            await asyncio.to_thread(workbench.changed, paths)
        except Exception:  # a bug must not stop the watcher: the pages would silently go stale
            LOG.exception("the workbench could not take in a change of %s", ", ".join(map(str, paths)))
