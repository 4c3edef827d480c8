"""Who may use the workbench: :class:`Guard`, an ASGI middleware in front of every route.

As Jupyter Server does: the server binds 127.0.0.1 unless told otherwise and prints one URL
with a fresh random token (:func:`new_token`). Every request needs that token: the URL's
``?token=`` sets a cookie (HttpOnly, SameSite=Strict) and redirects to the same page without
it; an API client sends ``Authorization: token T``. A request whose ``Host`` is not the bound
host is refused (a DNS-rebinding page cannot pass for us); a request that changes something
(any method but GET, HEAD, OPTIONS) must come from our own origin (``Sec-Fetch-Site``,
``Origin``) unless it carries the token in its header.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Methods that only read.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Names a loopback server answers to besides its address.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def cookie_name(port: int) -> str:
    """The token cookie's name: one per port, so two workbenches on one machine do not clash."""
    return f"ldn-i18n-token-{port}"


def split_host(header: str) -> tuple[str, str]:
    """A ``Host`` header's name and port (``[::1]:80`` -> ``("::1", "80")``; no port: ``""``)."""
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header[1:].partition("]")
        return name, rest[1:] if rest.startswith(":") else rest
    if header.count(":") == 1:
        name, _, port = header.partition(":")
        return name, port
    return header, ""


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_loopback(bound: str) -> bool:
    """Whether a server bound to ``bound`` is reachable from this machine only."""
    return bound in LOOPBACK_NAMES or (_is_ip(bound) and ipaddress.ip_address(bound).is_loopback)


def allowed_hosts(bound: str) -> frozenset[str] | None:
    """The names a request's ``Host`` may give: the bound address (and ``localhost`` on loopback);
    None when bound to every interface, where an IP address or this machine's own name is allowed."""
    if bound in ("0.0.0.0", "::", ""):
        return None
    if is_loopback(bound):
        return LOOPBACK_NAMES | {bound}
    return frozenset({bound})


def host_allowed(header: str, bound: str, port: int) -> bool:
    """Whether a request's ``Host`` header names this server (DNS rebinding gives another name)."""
    name, given = split_host(header)
    if given not in ("", str(port)):
        return False
    hosts = allowed_hosts(bound)
    if hosts is None:
        return _is_ip(name) or name in {socket.gethostname().lower(), socket.getfqdn().lower(), "localhost"}
    return name in hosts


class Guard:
    """Token, Host and same-origin checks before any route runs."""

    def __init__(self, app: ASGIApp, token: str, host: str, port: int) -> None:
        self.app = app
        self.token = token
        self.host = host
        self.port = port
        self.cookie = cookie_name(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not host_allowed(headers.get("host", ""), self.host, self.port):
            await _refuse(send, 421, "This workbench answers only at the address it printed.")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given is not None and self._valid(given) and scope["method"] in SAFE_METHODS:
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            path = str(scope.get("path") or "/")
            path = "/" if path.startswith("//") or "\\" in path else path  # never to another site
            location = path + (f"?{rest}" if rest else "")
            await _redirect(send, location, f"{self.cookie}={self.token}; HttpOnly; SameSite=Strict; Path=/")
            return
        header_token = _authorization(headers.get("authorization", ""))
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no token
            cookies = SimpleCookie()
        from_cookie = cookies[self.cookie].value if self.cookie in cookies else None
        if not (self._valid(header_token) or self._valid(from_cookie)):
            await _refuse(
                send, 403, "Open the workbench with the address `ldn-i18n serve` printed (it has the token)."
            )
            return
        changes = scope["method"] not in SAFE_METHODS
        if changes and not self._valid(header_token) and not self._same_origin(headers):
            await _refuse(send, 403, "Refused: this change did not come from a workbench page.")
            return
        await self.app(scope, receive, send)

    def _valid(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token).encode(), self.token.encode())

    def _same_origin(self, headers: dict[str, str]) -> bool:
        """Whether a browser says the request comes from one of our own pages: ``Sec-Fetch-Site:
        same-origin`` when it sends it, and an ``Origin`` that is ours (or ``null``, which a
        browser sends for a form of a page that sends no referrer) when it sends one."""
        site = headers.get("sec-fetch-site")
        if site is not None and site != "same-origin":
            return False
        origin = headers.get("origin")
        if origin is None or origin == "null":
            return site == "same-origin"
        return origin.lower() == f"http://{headers.get('host', '').lower()}"


def _authorization(value: str) -> str | None:
    scheme, _, credentials = value.strip().partition(" ")
    return credentials.strip() if scheme.lower() == "token" else None


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, cookie: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1", "replace")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"content-length", b"0"),
                (b"cache-control", b"no-store"),
                (b"referrer-policy", b"no-referrer"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
