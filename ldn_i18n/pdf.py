"""Stage 5b, PDF: :func:`render_pdfs` turns edition HTML into PDF bytes with WeasyPrint.

WeasyPrint is imported here only, so commands that make no PDF never pay for
it; a build imports it once and its workers render every document. Fetching is restricted to
``data:`` and ``file:`` URLs inside the project (WeasyPrint's default would
follow http, ftp and any local path), and a missing glyph fails the edition.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import LdnError


def project_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` and project files, nothing else."""
    from weasyprint.urls import URLFetcher

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not path.is_relative_to(root.resolve()):
                    raise ValueError(f"blocked file outside the project: {url}")
            elif parsed.scheme != "data":
                raise ValueError(f"blocked {parsed.scheme or 'relative'} URL: {url}")
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
    from weasyprint import HTML

    body = "".join(
        f'<p style="font-family: {stack}">Aa <b>Bb</b> <i>Cc</i> 1</p>' for stack in sorted(font_stacks)
    )
    HTML(string=f"<!DOCTYPE html><html><body>{body}</body></html>").write_pdf()


def render_pdf(html: str, base_dir: Path, root: Path, label: str) -> tuple[bytes, int]:
    """PDF bytes and page count of one edition's HTML.

    A missing glyph or a blocked fetch raises :class:`LdnError`.
    """
    from weasyprint import HTML

    with _weasyprint_warnings() as warnings:
        document = HTML(
            string=html, base_url=base_dir.as_uri() + "/", url_fetcher=project_fetcher(root)
        ).render()
        data: bytes = document.write_pdf(pdf_tags=True, uncompressed_pdf=False)
    notdef = [w for w in warnings.records if ".notdef" in w]
    if notdef:
        raise LdnError(f"{label}: missing glyphs, install a font for this script: {notdef[0]}")
    blocked = [w for w in warnings.records if "blocked" in w]
    if blocked:
        raise LdnError(f"{label}: {blocked[0]}")
    return data, len(document.pages)
