"""The reviewer's page and the review API.

- ``GET /review/{locale}``: the pack, online: every catalog of the language (handout, labels,
  notice) with its rows as :func:`~ldn_i18n.review.pack.compose_pack` composes them for the
  printed pack (English and translation as printed, back-translation and its differences,
  findings, what changed since the last sign-off), the clinic's real phone and TTY numbers in
  place of their placeholders, and per row Accept / Needs change / Still correct;
- ``POST /review/{locale}``: the page's form (name, email and credential typed once);
- ``POST /api/review/{locale}/{domain}``: the JSON contract.

Every decision goes through :mod:`.signoffs`, the one adapter to the sign-off library.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import LdnError
from ..languages import language
from ..review.pack import Row, compose_pack
from .pages import form_of, page
from .signoffs import Decisions, decide, reviewer_of
from .workbench import COMMENT_PREFIX, Workbench, review_comment

#: Findings a reviewer reads first: what changes a number or a meaning.
FIRST = ("back-numbers", "numbers", "units", "back-negation")


def _workbench(request: Request) -> Workbench:
    return request.app.state.workbench  # type: ignore[no-any-return]


def _with_values(text: Markup, values: dict[str, str]) -> Markup:
    """``text`` with each ``%(name)s`` of the clinic file shown as the number the patient reads."""
    for name, value in values.items():
        text = Markup(
            str(text).replace(f"%({name})s", str(Markup('<span class="value">{}</span>').format(value)))
        )
    return text


def _rows(workbench: Workbench, locale: str) -> list[dict[str, Any]]:
    """Every catalog of ``locale`` and its rows, numbered through the page."""
    project = workbench.project
    try:
        clinic = project.load_clinic()
        values = {"phone": clinic.phone, "tty": clinic.tty}
    except LdnError:
        values = {}
    sections, number = [], 0
    for domain in workbench.domains(locale):
        loaded = workbench.load(locale, domain)
        messages = loaded.messages()
        pack = compose_pack(project, locale, domain, all_rows=True)
        rows = []
        for row in pack.rows:
            number += 1
            message = messages.get(row.key)
            if message is None:
                continue
            rows.append(_row(row, number, row.shown, values))  # the hash of the very text shown
        sections.append({"domain": domain, "pack": pack, "rows": rows})
    return sections


def _row(row: Row, number: int, shown: str, values: dict[str, str]) -> dict[str, Any]:
    findings = sorted(row.findings, key=lambda f: (f.code not in FIRST, f.line))
    errors = [f for f in findings if f.level == "error" and f.counts]
    return {
        "number": number,
        "row": row,
        "key": row.key,
        "shown": shown,
        "english": _with_values(row.english, values),
        "translation": _with_values(row.translation, values),
        "findings": findings,
        "blocked": "; ".join(f"{f.code}: {f.message}" for f in errors) or row.unusable,
        "reviewer_comment": review_comment(list(row.comments)),
        "comments": [c for c in row.comments if not c.startswith(COMMENT_PREFIX)],
    }


async def reviewer_page(
    request: Request, results: dict[str, Decisions] | None = None, error: str = ""
) -> Response:
    """The reviewer's page of one language."""
    workbench = _workbench(request)
    locale = request.path_params["locale"]
    sections = await run_in_threadpool(_rows, workbench, locale)
    lang = language(locale)
    return page(
        "reviewer.html.j2",
        title=f"Review: {lang.name} ({locale})",
        locale=locale,
        lang=lang,
        sections=sections,
        results=results,
        error=error,
        form=getattr(request.state, "form", {}),
    )


async def reviewer(request: Request) -> Response:
    return await reviewer_page(request)


async def sign_form(request: Request) -> Response:
    """The page's form: each catalog's decisions, then the page again with what was done."""
    workbench = _workbench(request)
    locale = request.path_params["locale"]
    form = await form_of(request)
    request.state.form = {k: str(form.get(k, "")) for k in ("name", "email", "credential")}
    domains = workbench.domains(locale)
    try:
        reviewer = reviewer_of(str(form.get("name", "")), str(form.get("email", "")))
    except LdnError as exc:
        return await reviewer_page(request, error=exc.message)
    results: dict[str, Decisions] = {}
    for domain in domains:
        accept, comments, still = {}, {}, {}
        prefix = f"decision-{domain}-"
        for name, value in form.multi_items():
            if not name.startswith(prefix):
                continue
            key = name[len(prefix) :]
            shown = str(form.get(f"shown-{domain}-{key}", ""))
            if value == "accept":
                accept[key] = shown
            elif value == "still":
                still[key] = shown
            elif value == "change":
                comments[key] = str(form.get(f"comment-{domain}-{key}", "")) or "needs change"
        if accept or comments or still:
            credential = str(form.get("credential", ""))
            try:
                results[domain] = await run_in_threadpool(
                    decide, workbench, locale, domain, reviewer, credential, accept, comments, still
                )
            except LdnError as exc:
                return await reviewer_page(request, results, error=f"{domain}: {exc.message}")
    return await reviewer_page(request, results)


async def api_review(request: Request) -> Response:
    """``POST /api/review/{locale}/{domain}`` with ``{"reviewer", "credential", "accept": [keys],
    "comments": {key: text}, "still_correct"?: [keys], "shown": {key: version}}``: ``shown`` gives,
    for every accepted row, the version the reviewer read (``GET /api/catalogs/...``'s ``shown``)."""
    workbench = _workbench(request)
    locale, domain = request.path_params["locale"], request.path_params["domain"]
    workbench.load(locale, domain)  # an unknown locale or domain: 404 before the body
    body = await request.json()
    if not isinstance(body, dict):
        raise LdnError('send {"reviewer": "Name <email>", "accept": [keys], ...}')
    accept, still = body.get("accept", []), body.get("still_correct", [])
    comments, shown = body.get("comments", {}), body.get("shown", {})
    for value, kind in ((accept, list), (still, list), (comments, dict), (shown, dict)):
        if not isinstance(value, kind) or not all(isinstance(v, str) for v in value):
            raise LdnError("accept and still_correct are lists of keys; comments and shown map keys to text")
    if not all(isinstance(v, str) for v in [*comments.values(), *shown.values()]):
        raise LdnError("comments and shown map keys to text")
    unseen = [key for key in [*accept, *still] if key not in shown]
    if unseen:  # a sign-off covers what the reviewer read: its hash, as GET gave it ("shown")
        raise LdnError(
            f'give the version the reviewer read of every accepted row in "shown" (none for {unseen[0]!r}): '
            'the "shown" of each message of GET /api/catalogs/..., or the review page\'s'
        )

    def version(key: str) -> str:
        return str(shown[key])

    done = await run_in_threadpool(
        decide,
        workbench,
        locale,
        domain,
        str(body.get("reviewer", "")),
        str(body.get("credential", "") or ""),
        {key: version(key) for key in accept},
        dict(comments),
        {key: version(key) for key in still},
    )
    return JSONResponse(
        {
            "signed": done.signed,
            "refused": done.refused,
            "commented": done.commented,
            "silenced": done.silenced,
        }
    )


ROUTES = [
    Route("/review/{locale}", reviewer, methods=["GET"]),
    Route("/review/{locale}", sign_form, methods=["POST"]),
    Route("/api/review/{locale}/{domain}", api_review, methods=["POST"]),
]
