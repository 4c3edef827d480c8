"""``ldn-i18n serve``, the workbench: :func:`serve` (a project -> a local web server until stopped).

A thin web layer over the library the CLI uses (as Datasette is over sqlite-utils' data):
translators edit a catalog beside the live preview of its edition (:mod:`.catalogs`,
:mod:`.preview`), reviewers sign off row by row (:mod:`.review`, through the one adapter
:mod:`.signoffs`), staff see where every catalog stands and build (:mod:`.staff`). What is kept
warm between requests is :mod:`.workbench`'s; who may ask is :mod:`.security`'s; the
application is put together in :mod:`.app`.
"""

from __future__ import annotations

import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import TextIO

from ..project import Project

#: The port tried when none is given.
DEFAULT_PORT = 8470


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port); :class:`OSError` when taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int, token: str) -> str:
    """The address to open: the bound host (this machine's name when bound to every interface)."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/?token={token}"


def serve(
    project: Project,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    out: TextIO = sys.stdout,
    ready: threading.Event | None = None,
    warm: bool = True,
    key: Path | None = None,
) -> int:
    """Serve the workbench of ``project`` until interrupted; print its URL (with a fresh token) first.

    ``ready`` is set once the server accepts requests (tests); ``warm`` loads WeasyPrint, the
    fonts and the notice in the background at start; ``key`` is the reviewer's private key that
    signs her sign-offs (default: ssh-agent).
    """
    import uvicorn

    from .app import make_app
    from .security import is_loopback, new_token

    token = new_token()
    sock = bind(host, port)
    port = sock.getsockname()[1]
    url = url_of(host, port, token)
    print(url, file=out, flush=True)
    app = make_app(project, token, host, port, key=key, signing=is_loopback(host))
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, lifespan="on")
    feed = app.app.state.feed  # type: ignore[attr-defined]

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            feed.close()  # the pages' event streams end, so the server need not wait for them
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    server = Server(config)
    if warm:
        previewer = app.app.state.previewer  # type: ignore[attr-defined]
        threading.Thread(target=previewer.warm, daemon=True).start()
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    if ready is not None:
        watcher = threading.Thread(target=_announce_ready, args=(server, ready), daemon=True)
        watcher.start()
    _SERVERS.append(server)
    try:
        server.run(sockets=[sock])
    finally:
        _SERVERS.remove(server)
        sock.close()
    return 0


#: Servers running in this process (tests stop them through :func:`stop`).
_SERVERS: list[object] = []


def stop() -> None:
    """Ask every workbench running in this process to stop."""
    import signal

    for server in list(_SERVERS):
        server.handle_exit(signal.SIGINT, None)  # type: ignore[attr-defined]


def _announce_ready(server: object, ready: threading.Event) -> None:
    import time

    while not getattr(server, "started", False):
        time.sleep(0.02)
    ready.set()
