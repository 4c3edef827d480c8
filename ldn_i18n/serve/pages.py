"""The workbench's pages: :func:`render`, :func:`page` and :func:`form_of`, shared by every page module.

Pages are Jinja2 templates of this package with autoescape on, and each page is
read back by the build's guard (:func:`~ldn_i18n.guard.check_page`) before it is
sent, so catalog text stays text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..errors import LdnError
from ..guard import check_page

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
#: Links the workbench's own pages may carry: paths of this server, never another site.
OWN_LINKS = re.compile(r"/(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)?/?(?:\?[A-Za-z0-9=&_.%-]*)?(?:#[\w-]+)?")


@cache
def environment() -> Environment:
    """The Jinja2 environment of the workbench's pages (autoescape on, undefined is an error)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
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
    return HTMLResponse(render(name, **context), status_code=status, headers=NO_STORE)


NO_STORE = {
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
