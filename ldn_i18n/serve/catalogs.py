"""The translator's pages and the catalogs' HTTP contract.

- ``GET /catalogs/{locale}/{domain}``: the page, English and translation side by side, with
  the live preview of the edition beside it;
- ``POST /catalogs/{locale}/{domain}/{key}/findings``: what ``check`` says of the text as typed
  (htmx asks on input, debounced), an HTML fragment;
- ``POST /catalogs/{locale}/{domain}/{key}``: the page's save, answering with the row again
  (or the conflict), ``GET`` of the same path the row as it is now;
- ``GET /api/catalogs/{locale}/{domain}`` and ``PUT /api/catalogs/{locale}/{domain}/{key}``: the
  JSON contract (README, "The workbench").

Everything is :class:`~.workbench.Workbench`'s: no check or write happens here.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import LdnError
from ..project import NOTICE_DOMAIN, TEMPLATES_DOMAIN
from .pages import form_of, page, render
from .workbench import Conflict, Workbench, finding_dict


def _workbench(request: Request) -> Workbench:
    return request.app.state.workbench  # type: ignore[no-any-return]


def _where(request: Request) -> tuple[str, str]:
    return request.path_params["locale"], request.path_params["domain"]


def preview_handout(workbench: Workbench, domain: str) -> str | None:
    """The handout whose edition shows ``domain``: itself, or the first handout for the labels
    and the notice (every edition prints both); None when the project has none."""
    handouts = [d for d in workbench.project.edition_domains() if d != TEMPLATES_DOMAIN]
    if domain in handouts:
        return domain
    return handouts[0] if handouts else None


async def translator(request: Request) -> Response:
    """The translator's page of one catalog."""
    workbench = _workbench(request)
    locale, domain = _where(request)
    rows = await run_in_threadpool(workbench.rows, locale, domain)
    editions = locale in workbench.project.edition_locales()
    from ..languages import language

    lang = language(locale)
    return page(
        "translator.html.j2",
        title=f"{lang.name} ({locale}): {domain}",
        locale=locale,
        domain=domain,
        lang=lang,
        rows=rows,
        handout=preview_handout(workbench, domain) if editions else None,
        label={TEMPLATES_DOMAIN: "page labels", NOTICE_DOMAIN: "language-assistance notice"}.get(
            domain, "handout"
        ),
    )


def _row_html(workbench: Workbench, locale: str, domain: str, key: str, **extra: Any) -> str:
    from ..languages import language

    row = next((r for r in workbench.rows(locale, domain) if r["key"] == key), None)
    if row is None:
        raise LdnError(f"no message {key!r} in {locale}/{domain}")
    context: dict[str, Any] = {"conflict": None, "saved": False, **extra}
    return render("row.html.j2", row=row, locale=locale, domain=domain, lang=language(locale), **context)


async def row(request: Request) -> Response:
    """One row as it is on disk now (the page asks after a change on disk)."""
    workbench = _workbench(request)
    locale, domain = _where(request)
    html = await run_in_threadpool(_row_html, workbench, locale, domain, request.path_params["key"])
    return HTMLResponse(html, headers={"cache-control": "no-store"})


async def findings(request: Request) -> Response:
    """What ``check`` says of the message as typed: the findings fragment."""
    workbench = _workbench(request)
    locale, domain = _where(request)
    key = request.path_params["key"]
    form = await form_of(request)
    forms = [str(value) for value in form.getlist("msgstr")]
    found = await run_in_threadpool(workbench.findings, locale, domain, key, forms)
    html = render("findings.html.j2", findings=[finding_dict(f) for f in found], key=key, typed=True)
    return HTMLResponse(html, headers={"cache-control": "no-store"})


async def save_form(request: Request) -> Response:
    """The page's save: the row again, saved, or with the conflict shown and nothing written."""
    workbench = _workbench(request)
    locale, domain = _where(request)
    key = request.path_params["key"]
    form = await form_of(request)
    forms = [str(value) for value in form.getlist("msgstr")]
    expected = str(form.get("version") or "") or None
    fuzzy = form.get("fuzzy") is not None

    def save() -> str:
        try:
            workbench.save(locale, domain, key, forms, expected, fuzzy=fuzzy)
        except Conflict as exc:
            return _row_html(workbench, locale, domain, key, conflict={"message": exc.message, "mine": forms})
        return _row_html(workbench, locale, domain, key, saved=True)

    html = await run_in_threadpool(save)
    return HTMLResponse(html, headers={"cache-control": "no-store"})


async def api_catalog(request: Request) -> Response:
    """``GET /api/catalogs/{locale}/{domain}``: every message, its findings and sign-off."""
    workbench = _workbench(request)
    locale, domain = _where(request)
    rows = await run_in_threadpool(workbench.rows, locale, domain)
    return JSONResponse({"locale": locale, "domain": domain, "messages": rows})


async def api_save(request: Request) -> Response:
    """``PUT /api/catalogs/{locale}/{domain}/{key}`` with ``{"msgstr": text or [forms], "version"?,
    "fuzzy"?}``: 200 with the message's findings once written, 409 on a conflict."""
    workbench = _workbench(request)
    locale, domain = _where(request)
    key = request.path_params["key"]
    workbench.message(locale, domain, key)  # an unknown catalog or key: 404 before reading the body
    body = await request.json()
    if not isinstance(body, dict) or "msgstr" not in body:
        raise LdnError('send {"msgstr": "..."} (a list of strings for a plural message)')
    value = body["msgstr"]
    forms = [value] if isinstance(value, str) else value
    if not (isinstance(forms, list) and all(isinstance(form, str) for form in forms)):
        raise LdnError("msgstr must be a string, or a list of strings for a plural message")
    expected = body.get("version")
    fuzzy = body.get("fuzzy")
    if expected is not None and not isinstance(expected, str):
        raise LdnError("version must be the string the catalog's GET gave")
    if fuzzy is not None and not isinstance(fuzzy, bool):
        raise LdnError("fuzzy must be true or false")

    def save() -> dict[str, Any]:
        workbench.save(locale, domain, key, forms, expected, fuzzy=fuzzy)
        row = next(r for r in workbench.rows(locale, domain) if r["key"] == key)
        return {"key": key, "findings": row["findings"], "version": row["version"], "fuzzy": row["fuzzy"]}

    return JSONResponse(await run_in_threadpool(save))


ROUTES = [
    Route("/catalogs/{locale}/{domain}", translator),
    Route("/catalogs/{locale}/{domain}/{key}", row, methods=["GET"]),
    Route("/catalogs/{locale}/{domain}/{key}", save_form, methods=["POST"]),
    Route("/catalogs/{locale}/{domain}/{key}/findings", findings, methods=["POST"]),
    Route("/api/catalogs/{locale}/{domain}", api_catalog),
    Route("/api/catalogs/{locale}/{domain}/{key}", api_save, methods=["PUT"]),
]
