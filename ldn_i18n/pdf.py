"""Stage 5b, PDF: :func:`render_pdf` turns one edition's HTML into PDF bytes with WeasyPrint.

WeasyPrint is imported here only (:func:`weasyprint`), so commands that make
no PDF never pay for it; a build imports it once and its workers render
every document. A fetch is a URL written literally in a template and inside
the project, nothing else: WeasyPrint's default would follow http, ftp and
any local path, and would attach any file a ``rel="attachment"`` link names.
A refused fetch, an attachment, an external link that no template or our
code wrote, or a missing glyph fails the edition.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import LdnError
from .guard import Allowances, allowed_link


def weasyprint() -> Any:
    """The WeasyPrint module; a missing system library (Pango) is a clear error, not a traceback."""
    try:
        import weasyprint as module
    except ModuleNotFoundError as exc:
        raise LdnError(
            f"WeasyPrint is not installed ({exc.name}): `pip install weasyprint`, or build with --format html"
        ) from None
    except OSError as exc:  # cffi could not load libpango/libgobject
        raise LdnError(
            "WeasyPrint cannot load a system library it needs "
            f"({exc}): on Debian, `apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0`"
        ) from None
    return module


def project_fetcher(root: Path, base_url: str, allow: Allowances, refused: list[str]) -> Any:
    """A WeasyPrint URL fetcher that serves only what a template names literally, inside ``root``.

    Every refused URL is appended to ``refused`` (WeasyPrint itself only logs
    a failed fetch, at debug level for fonts).
    """
    from urllib.parse import urljoin

    from weasyprint.urls import URLFetcher

    written = {urljoin(base_url, url) for url in allow.urls}

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            reason = ""
            if url not in written:
                reason = "no template writes this URL"
            elif parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not path.is_relative_to(root.resolve()):
                    reason = "the file is outside the project"
            elif parsed.scheme != "data":
                reason = f"{parsed.scheme or 'relative'} URLs are never fetched"
            if reason:
                refused.append(f"{url[:80]} ({reason})")
                raise ValueError(f"blocked fetch of {url[:80]}: {reason}")
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[_Collector]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def warm_up(font_stacks: set[str]) -> None:
    """Load WeasyPrint, fontconfig and the given fonts now (before worker processes fork)."""
    HTML = weasyprint().HTML

    body = "".join(
        f'<p style="font-family: {stack}">Aa <b>Bb</b> <i>Cc</i> 1</p>' for stack in sorted(font_stacks)
    )
    HTML(string=f"<!DOCTYPE html><html><body>{body}</body></html>").write_pdf()


def _link_problem(document: Any, base_dir: Path, allow: Allowances) -> str | None:
    """An attachment or external link in the laid-out document that no template or our code wrote."""
    if document.metadata.attachments and not allow.attachments:
        return "a file attachment"
    base = base_dir.as_uri() + "/"
    for page in document.pages:
        for kind, target, _rect, _box in page.links:
            if kind == "attachment" and not allow.attachments:
                return f"an attachment of {str(target)[:80]}"
            if kind == "external":
                shown = str(target)
                local = (
                    "../" + shown[len(base_dir.parent.as_uri()) + 1 :] if shown.startswith(base) else shown
                )
                if not (allowed_link(shown, allow) or allowed_link(local, allow)):
                    return f"a link to {shown[:80]}"
    return None


def render_pdf(
    html: str, base_dir: Path, root: Path, label: str, templates_dir: Path | None = None
) -> tuple[bytes, int]:
    """PDF bytes and page count of one edition's HTML.

    A missing glyph, a refused fetch, an attachment or a link no template
    wrote raises :class:`LdnError`.
    """
    from .guard import allowances
    from .project import default_templates_dir

    HTML = weasyprint().HTML
    allow = allowances(templates_dir or default_templates_dir())
    refused: list[str] = []
    base_url = base_dir.as_uri() + "/"
    with _weasyprint_warnings() as warnings:
        document = HTML(
            string=html, base_url=base_url, url_fetcher=project_fetcher(root, base_url, allow, refused)
        ).render()
        problem = _link_problem(document, base_dir, allow)
        if problem is None and not refused:
            data: bytes = document.write_pdf(pdf_tags=True, uncompressed_pdf=False)
    if refused:
        raise LdnError(f"refused to fetch {refused[0]}", label)
    if problem:
        raise LdnError(f"refused to write a PDF carrying {problem}; no template wrote it", label)
    notdef = [w for w in warnings.records if ".notdef" in w]
    if notdef:
        raise LdnError(f"missing glyphs, install a font for this script: {notdef[0]}", label)
    return data, len(document.pages)
