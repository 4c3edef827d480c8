"""Stage 5b, PDF: :func:`render_pdf` turns one page's HTML into PDF bytes with WeasyPrint.

The page is an edition's (``build``) or a reviewer's pack (``review-pack``).
WeasyPrint is imported here only (:func:`weasyprint`), so commands that make
no PDF never pay for it. A build with several workers loads it once, with
the fonts, before the workers fork (:func:`warm_up`), so they share it;
otherwise it is loaded at the first PDF. A fetch is a URL written literally
in a template and inside the project, nothing else: WeasyPrint's default
would follow http, ftp and any local path, and would attach any file a
``rel="attachment"`` link names. A refused fetch, an attachment, an external
link that no template or our code wrote, or a missing glyph fails the page
(:class:`~ldn_i18n.errors.LdnError`), and so its edition or pack.

Every PDF is PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant: tagged, with the
document language, ``DisplayDocTitle`` and the XMP identification), finished by
:func:`~ldn_i18n.pdfua.accessible_finisher`. A page without ``lang``, or an
image without ``alt``, fails it.

Work two PDFs share is done once per process: the notice's taglines are laid
out once per kind of page (:mod:`ldn_i18n.taglines`), and a font is subset
once for the same glyphs (:func:`_subsetting_once`: the faces only the notice
prints are the same subset in every edition).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from struct import error as struct_error
from typing import Any, NamedTuple
from urllib.parse import unquote, urlparse

from . import pdfua
from .errors import LdnError
from .guard import Allowances, allowed_link
from .templating import Templates


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
    """A WeasyPrint URL fetcher that serves only what a template names literally, and the clinic's
    logo in ``dist/``, inside ``root``.

    Every refused URL is appended to ``refused`` (WeasyPrint itself only logs
    a failed fetch, at debug level for fonts).
    """
    from urllib.parse import urljoin

    from weasyprint.urls import URLFetcher

    from .clinic import LOGO_FILES

    written = {urljoin(base_url, url) for url in allow.urls}
    # The clinic's logo, which the build copies into dist/ before any page is made.
    written |= {urljoin(base_url, prefix + name) for name in LOGO_FILES for prefix in ("", "../")}

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


def warm_up(font_stacks: set[str], write: bool = True) -> None:
    """Load WeasyPrint, fontconfig and the given fonts now (before worker processes fork), and
    with ``write`` the PDF writer too."""
    HTML = weasyprint().HTML

    body = "".join(  # the stacks quote their families with ": the attribute with '
        f"<p style='font-family: {stack}'>Aa <b>Bb</b> <i>Cc</i> 1</p>" for stack in sorted(font_stacks)
    )
    document = HTML(string=f"<!DOCTYPE html><html><body>{body}</body></html>").render()
    if write:
        document.write_pdf()


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


#: How every PDF is written: PDF/UA-1, compressed. One set, so the taglines' PDF written in the
#: parent (:func:`share_taglines`) subsets the fonts as every edition's PDF does.
WRITE_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}


class Printed(NamedTuple):
    """A PDF and where its pages go."""

    data: bytes
    """The PDF file's bytes."""
    pages: int
    """How many pages it has."""
    before: int
    """Pages before the one holding the element of ``id`` ``anchor`` (all when there is none)."""
    fonts: tuple[EmbeddedFont, ...] = ()
    """The fonts it embeds, by PostScript name."""


class EmbeddedFont(NamedTuple):
    """A font a PDF embeds: what explains two machines' PDFs differing."""

    font: str
    """Its PostScript name (``NotoSans-Regular``)."""
    version: str
    """Its revision (the ``head`` table's, ``2.004``), as embedded."""
    file: str
    """The installed file it came from, as fontconfig lists it (``?`` when none lists that name)."""


def _embedded(document: Any) -> tuple[EmbeddedFont, ...]:
    """Name and revision read back from each font program the written ``document`` embedded."""
    import io

    from fontTools.ttLib import TTFont, TTLibError

    from .fonts import font_file

    found = {}
    for font in document.fonts.values():
        try:
            program = TTFont(io.BytesIO(font.file_content), fontNumber=0, lazy=True)
            name = program["name"].getDebugName(6) or ""
            version = f"{program['head'].fontRevision:.3f}"
        except (TTLibError, KeyError, AssertionError, ValueError, struct_error):
            continue  # a bitmap or Type 3 font: nothing to name
        if name:
            found[name] = EmbeddedFont(name, version, font_file(name) or "?")
    return tuple(found[name] for name in sorted(found))


def render_pdf(
    html: str,
    base_dir: Path,
    root: Path,
    label: str,
    templates: Templates | None = None,
    anchor: str | None = None,
    kind: str | None = None,
) -> Printed:
    """The PDF of one page's HTML (an edition's, the notice's or a review pack's), its page count,
    and the pages before ``anchor``. Pages of one ``kind`` (same styles and page size: the
    editions' regular pages, say) share one layout of the notice's taglines
    (:mod:`ldn_i18n.taglines`); None lays each page out whole.

    A missing glyph, a refused fetch, an attachment, a link no template
    wrote or content PDF/UA cannot tag raises :class:`LdnError`.
    """
    from .guard import allowances
    from .project import package_templates

    allow = allowances(templates or package_templates())
    refused: list[str] = []
    with _weasyprint_warnings() as warnings:
        page = _page(html, base_dir, root, allow, refused)
        document = _lay_out(page, html, templates or package_templates(), kind)
        problem = _link_problem(document, base_dir, allow)
        if problem is None and not refused:
            layout = pdfua.Layout(labels=pdfua.region_labels(page.etree_element))
            with pdfua.recording(layout), _subsetting_once():
                data: bytes = document.write_pdf(**WRITE_OPTIONS, finisher=pdfua.accessible_finisher(layout))
    if refused:
        raise LdnError(f"refused to fetch {refused[0]}", label)
    if problem:
        raise LdnError(f"refused to write a PDF carrying {problem}; no template wrote it", label)
    notdef = [w for w in warnings.records if ".notdef" in w]
    if notdef:
        raise LdnError(f"missing glyphs, install a font for this script: {notdef[0]}", label)
    inaccessible = [w for w in warnings.records if any(e in w for e in pdfua.UNTAGGABLE)]
    if inaccessible:
        raise LdnError(f"the PDF would not be accessible (PDF/UA-1): {inaccessible[0]}", label)
    pages = len(document.pages)
    before = next(
        (
            number
            for number, page in enumerate(document.pages)
            if anchor is not None and anchor in page.anchors
        ),
        pages,
    )
    return Printed(data, pages, before, _embedded(document))


def _page(html: str, base_dir: Path, root: Path, allow: Allowances, refused: list[str]) -> Any:
    """WeasyPrint's ``HTML`` of a page in ``base_dir``, fetching only what the project serves
    (each refused URL goes to ``refused``)."""
    base_url = base_dir.as_uri() + "/"
    return weasyprint().HTML(
        string=html, base_url=base_url, url_fetcher=project_fetcher(root, base_url, allow, refused)
    )


def _lay_out(page: Any, html: str, templates: Templates, kind: str | None) -> Any:
    """``page`` laid out, with the taglines other pages of its ``kind`` laid out when they can be."""
    from . import taglines

    shared = _shared(page, html, templates, kind)
    if shared is not None:
        document = taglines.lay_out(lambda sheets: page.render(stylesheets=sheets), shared)
        if document is not None:
            return document
    return page.render()


def _shared(page: Any, html: str, templates: Templates, kind: str | None) -> Any:
    """The taglines of pages of ``kind`` (:func:`~ldn_i18n.taglines.shared_taglines`), laid out
    from ``page`` the first time; None when they cannot be shared."""
    from . import taglines

    key = taglines.taglines_key(html, kind) if kind and taglines.shareable(templates) else None
    if key is None:
        return None
    return taglines.shared_taglines(key, lambda sheets: page.render(stylesheets=sheets))


def share_taglines(html: str, base_dir: Path, root: Path, templates: Templates, kind: str) -> bool:
    """Lay out the notice's taglines of pages of ``kind`` now, from ``html`` (one such page), for
    every later :func:`render_pdf` of that kind in this process and in workers it forks; whether
    they can be shared. The taglines' own PDF is written too, in memory only, so that their
    faces are subset here once for every PDF (:func:`_subsetting_once`). No file is written; a
    page that fails here fails in its own edition."""
    from .guard import allowances

    with _weasyprint_warnings():
        shared = _shared(_page(html, base_dir, root, allowances(templates), []), html, templates, kind)
        if shared is not None:
            with _subsetting_once():
                shared.document.write_pdf(**WRITE_OPTIONS)
        return shared is not None


#: Font files met in this process, one copy each, by length and first and last bytes.
_FILES: dict[tuple[int, bytes, bytes], list[bytes]] = {}
#: Font subsets made in this process (:func:`_subsetting_once`): by the font file (the identity
#: of its one copy in :data:`_FILES`), face index, glyphs kept and flags.
_SUBSETS: dict[tuple[int, int, tuple[int, ...], bool, bool], bytes] = {}
#: How many subsets a process keeps: a face per script, a few glyph sets each.
_SUBSETS_KEPT = 64


def _one_copy(whole: bytes) -> bytes:
    """The copy of font file ``whole`` this process keeps (compared byte for byte: a hash of a
    20 MB CJK collection costs more than the comparison)."""
    same_size = _FILES.setdefault((len(whole), whole[:64], whole[-64:]), [])
    for kept in same_size:
        if kept == whole:
            return kept
    same_size.append(whole)
    return whole


@contextmanager
def _subsetting_once() -> Iterator[None]:
    """While the block writes PDFs, subset each font file for the same glyphs once per process.

    The faces only the notice prints (Chinese, Korean, Arabic, Thai...) are subset to the same
    glyphs in every edition; WeasyPrint 70 subsets them again for each PDF, which was a third of
    writing one. ``weasyprint.pdf.fonts.Font._harfbuzz_subset`` is wrapped: a subset is reused
    only for the same whole font file, face index, glyphs kept and flags, so the bytes written
    are the same. Another WeasyPrint, whose method differs, subsets every time, as it does itself.
    """
    from weasyprint.pdf import fonts

    original = getattr(fonts.Font, "_harfbuzz_subset", None)
    if original is None or list(inspect.signature(original).parameters) != ["self", "to_unicode", "hinting"]:
        yield
        return

    def subset(font: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
        if len(_SUBSETS) >= _SUBSETS_KEPT:
            _SUBSETS.clear()
            _FILES.clear()
        whole = _one_copy(font.file_content)
        key = (id(whole), font.index, tuple(sorted(to_unicode)), bool(hinting), bool(font.missing))
        kept = _SUBSETS.get(key)
        if kept is not None:
            font.file_content = kept
            return
        font.file_content = whole
        original(font, to_unicode, hinting)
        if font.file_content is not whole:  # subset (a failure keeps the whole file, and says so)
            _SUBSETS[key] = font.file_content

    fonts.Font._harfbuzz_subset = subset
    try:
        yield
    finally:
        fonts.Font._harfbuzz_subset = original
