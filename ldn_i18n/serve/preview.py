"""The live preview and the change feed: ``GET /preview/{locale}/{handout}.html`` and ``.pdf``,
``GET /events`` (server-sent events).

:class:`Previewer` keeps one build run warm (:class:`~ldn_i18n.editions.make.Shared`: the clinic,
the references, the policy, the notice composed once, WeasyPrint and the fonts loaded once in
this process) and renders an edition with the build's own
:func:`~ldn_i18n.editions.preview.preview_edition`, taking each catalog and its status from the
:class:`~.workbench.Workbench` (parsed once). A change (a save, or the watcher seeing a file
change) drops only what it touches, and every open page hears of it through ``/events``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ..editions.make import Shared
from ..editions.preview import preview_edition
from ..errors import LdnError
from ..pofiles import ProjectCatalog
from ..project import NOTICE_DOMAIN, SOURCE_LOCALE, TEMPLATES_DOMAIN
from .workbench import NotFound, Workbench


class _WarmRun(Shared):
    """A build run whose catalogs and statuses are the workbench's."""

    workbench: Workbench | None = None

    def catalog(self, locale: str, domain: str) -> ProjectCatalog | None:
        assert self.workbench is not None
        try:
            loaded = self.workbench.load(locale, domain)
        except NotFound:
            self.gates.pop((locale, domain), None)
            return None
        self.gates[(locale, domain)] = loaded.status
        return loaded.catalog


class Previewer:
    """Editions rendered from what is on disk now, warm between renders.

    Rendering has a lock of its own, so reading and saving catalogs never wait for a PDF;
    a change is noted at once (:meth:`forget`) and applied to the warm run before the next
    render, and a page rendered while a change came in is not kept.
    """

    def __init__(self, workbench: Workbench) -> None:
        self.workbench = workbench
        self.render_lock = threading.Lock()
        """Held while the warm run renders or changes: one render at a time."""
        self._run = self._new_run()
        self._pages: dict[tuple[str, str, str], bytes] = {}
        self._news: list[dict[str, Any]] = []
        self._news_lock = threading.Lock()
        self._generation = 0
        workbench.listeners.append(self.forget)

    def _new_run(self) -> _WarmRun:
        run = _WarmRun(self.workbench.project, release=False)
        run.workbench = self.workbench
        return run

    def forget(self, change: dict[str, Any]) -> None:
        """Note that ``change`` happened: the pages it touches are no longer current."""
        if change["kind"] not in ("catalog", "project"):
            return
        with self._news_lock:
            self._news.append(change)
            self._generation += 1
            self._pages = {}

    def _apply_news(self) -> None:
        """Drop from the warm run what the changes noted since the last render touch."""
        with self._news_lock:
            news, self._news = self._news, []
        for change in news:
            if change["kind"] == "project":
                self._run = self._new_run()
                continue
            self._run.gates.pop((change["locale"], change["domain"]), None)
            if change["domain"] == NOTICE_DOMAIN:
                self._run._notice = False

    def handouts(self) -> list[str]:
        return [d for d in self.workbench.project.edition_domains() if d != TEMPLATES_DOMAIN]

    def page(self, locale: str, slug: str, fmt: str) -> bytes:
        """The edition's HTML or PDF; :class:`NotFound` for a locale or handout the project lacks."""
        if slug not in self.handouts():
            raise NotFound(f"no handout {slug!r}")
        if locale != SOURCE_LOCALE and locale not in self.workbench.project.edition_locales():
            raise NotFound(f"no editions in locale {locale!r}")
        if locale != SOURCE_LOCALE:
            self.workbench.domains(locale)  # a usable locale, or NotFound
        key = (locale, slug, fmt)
        with self.render_lock:
            self._apply_news()
            generation = self._generation
            kept = self._pages.get(key)
            if kept is not None:
                return kept
            html, pdf = preview_edition(self._run, locale, slug, pdf=fmt == "pdf")
            data = pdf if pdf is not None else html.encode("utf-8")
            with self._news_lock:
                if generation == self._generation:
                    self._pages[key] = data
            return data

    def warm(self) -> None:
        """Load WeasyPrint, the fonts and the notice once, before the first person asks."""
        for slug in self.handouts()[:1]:
            try:
                self.page(SOURCE_LOCALE, slug, "pdf")
            except LdnError:
                pass


async def preview(request: Request) -> Response:
    """``GET /preview/{locale}/{handout}.html|.pdf``: the edition as the files on disk print it."""
    previewer: Previewer = request.app.state.previewer
    locale, name = request.path_params["locale"], request.path_params["name"]
    slug, _, fmt = name.rpartition(".")
    if fmt not in ("html", "pdf") or not slug:
        raise NotFound(f"no preview {name!r}: ask for .html or .pdf")
    from starlette.concurrency import run_in_threadpool

    data = await run_in_threadpool(previewer.page, locale, slug, fmt)
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    return Response(data, media_type=media, headers={"cache-control": "no-store"})


class Feed:
    """Every open page's queue of changes; the workbench's listeners put into it from any thread."""

    def __init__(self, workbench: Workbench) -> None:
        self.queues: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        workbench.listeners.append(self.publish)

    def publish(self, change: dict[str, Any]) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self.queues):
            loop.call_soon_threadsafe(queue.put_nowait, change)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self.queues):
            loop.call_soon_threadsafe(queue.put_nowait, None)


async def events(request: Request) -> Response:
    """``GET /events``: one ``change`` event per change (JSON: kind, locale, domain, keys)."""
    feed: Feed = request.app.state.feed
    feed.loop = asyncio.get_running_loop()
    queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
    feed.queues.add(queue)

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 1000\n\n"
            while True:
                try:
                    change = await asyncio.wait_for(queue.get(), timeout=15)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                if change is None:
                    return
                yield f"event: change\ndata: {json.dumps(change)}\n\n"
        finally:
            feed.queues.discard(queue)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"cache-control": "no-store"})
