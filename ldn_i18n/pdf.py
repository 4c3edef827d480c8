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
document language, ``DisplayDocTitle`` and the XMP identification).
:func:`accessible_finisher` closes what WeasyPrint 70 leaves open, on the
PDF objects before they are written (deterministic, about a millisecond):
``/Lang`` on each structure element whose text is in another language than
its parent's (reference entries are English), ``/ActualText`` where glyphs
drawn right to left would read back reversed, a description (``/Contents``)
on each link annotation, the page footer and draft mark in the page margins
as pagination artifacts instead of orphaned marked content, and
``dc:language`` in the XMP metadata. What it needs from the layout is
recorded by wrapping one WeasyPrint 70 internal (:func:`_recording`); another
WeasyPrint fails the page with a clear error rather than a false claim.
A page without ``lang``, or an image without ``alt``, fails it too.
"""

from __future__ import annotations

import inspect
import logging
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from struct import error as struct_error
from typing import Any, NamedTuple
from urllib.parse import unquote, urlparse
from xml.sax.saxutils import escape

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


def warm_up(font_stacks: set[str]) -> None:
    """Load WeasyPrint, fontconfig and the given fonts now (before worker processes fork)."""
    HTML = weasyprint().HTML

    body = "".join(  # the stacks quote their families with ": the attribute with '
        f"<p style='font-family: {stack}'>Aa <b>Bb</b> <i>Cc</i> 1</p>" for stack in sorted(font_stacks)
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

    HTML = weasyprint().HTML
    allow = allowances(templates or package_templates())
    refused: list[str] = []
    base_url = base_dir.as_uri() + "/"
    with _weasyprint_warnings() as warnings:
        page = HTML(
            string=html, base_url=base_url, url_fetcher=project_fetcher(root, base_url, allow, refused)
        )
        document = _lay_out(page, html, templates or package_templates(), kind)
        problem = _link_problem(document, base_dir, allow)
        if problem is None and not refused:
            layout = _Layout(labels=_region_labels(page.etree_element))
            with _recording(layout):
                data: bytes = document.write_pdf(
                    pdf_variant="pdf/ua-1", uncompressed_pdf=False, finisher=accessible_finisher(layout)
                )
    if refused:
        raise LdnError(f"refused to fetch {refused[0]}", label)
    if problem:
        raise LdnError(f"refused to write a PDF carrying {problem}; no template wrote it", label)
    notdef = [w for w in warnings.records if ".notdef" in w]
    if notdef:
        raise LdnError(f"missing glyphs, install a font for this script: {notdef[0]}", label)
    inaccessible = [w for w in warnings.records if any(e in w for e in _UNTAGGABLE)]
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
    they can be shared. Nothing is written; a page that fails here fails in its own edition."""
    from .guard import allowances

    base_url = base_dir.as_uri() + "/"
    fetcher = project_fetcher(root, base_url, allowances(templates), [])
    page = weasyprint().HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    with _weasyprint_warnings():
        return _shared(page, html, templates, kind) is not None


#: WeasyPrint's errors for content it cannot tag as PDF/UA requires (``pdf/tags.py``).
_UNTAGGABLE = ('required "lang"', "no required alt")


@dataclass
class _Layout:
    """What the finisher needs from the laid-out page that WeasyPrint 70 does not keep in the PDF."""

    labels: dict[str, str]
    """Each ``id`` of the page and the name of the labelled region around it (:func:`_region_labels`)."""
    boxes: dict[int, Any] = field(default_factory=dict)
    """The layout box behind each structure element, by the element's object number."""
    marks: dict[int, dict[int, Any]] = field(default_factory=dict)
    """Per page index, the layout box drawn in each marked-content sequence, by MCID."""


@contextmanager
def _recording(layout: _Layout) -> Iterator[None]:
    """Record, while the PDF is written, which box is behind each structure element and MCID.

    WeasyPrint 70 keeps neither link, so its recursive ``pdf.tags._build_box_tree``
    is wrapped. Its first call for a page sees all the page's marked boxes
    before they are consumed; the innermost call records an element first, so
    a box that passes its children's elements up (``html``, ``body``) never
    takes them over.
    """
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    known = ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"]
    if original is None or list(inspect.signature(original).parameters) != known:
        raise LdnError(
            "this WeasyPrint tags PDFs in a way ldn_i18n does not know; PDF/UA needs WeasyPrint 70"
        )

    def build(
        box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, marked: Any
    ) -> Iterator[Any]:
        if page_number not in layout.marks:
            layout.marks[page_number] = {mark["mcid"]: marked_box for marked_box, mark in marked.items()}
        for element in original(box, parent, pdf, page_number, nums, annotations, marked):
            layout.boxes.setdefault(element.number, box)
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _region_labels(root: Any) -> dict[str, str]:
    """Each ``id`` in the page and the name of the region around it (``aria-labelledby``, ``aria-label``)."""
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    labels: dict[str, str] = {}

    def walk(element: Any, label: str) -> None:
        named = element.get("aria-labelledby")
        if named:
            label = " ".join(_text(ids[i]) for i in named.split() if i in ids) or label
        elif element.get("aria-label"):
            label = element.get("aria-label")
        if element.get("id") and label:
            labels[element.get("id")] = label
        for child in element:
            walk(child, label)

    walk(root, "")
    return labels


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_description(box: Any, kind: str, target: str, labels: dict[str, str]) -> str:
    """What a link says to a screen reader: its label, or its text with the region it leads to."""
    element = box.element
    text = _text(element) if element is not None else ""
    for attribute in ("aria-label", "title"):
        if element is not None and element.get(attribute, "").strip():
            return " ".join(element.get(attribute).split())
    if kind == "internal" and labels.get(target):
        return f"{labels[target]} {text}".strip()
    return text or target


def _needs_actual_text(text: str, rtl_document: bool) -> bool:
    """Whether drawn glyphs cannot give back ``text``: right-to-left runs are drawn in visual
    order, a mirrored glyph (``(`` drawn as ``)``) has one ToUnicode entry for both, and a
    combining mark (a Devanagari, Bengali, Gujarati or Thai vowel sign) is drawn apart from, or
    before, the consonant it follows in the text."""
    return any(
        unicodedata.bidirectional(c) in ("R", "AL")
        or (rtl_document and unicodedata.mirrored(c))
        or unicodedata.category(c) in ("Mn", "Mc")
        for c in text
    )


def _is_block(element: Any) -> bool:
    """Whether ``element`` is one language's side of a bilingual block (``class="block"`` with its
    own ``lang``): its ``/Lang`` is written even where the page has the same language."""
    return bool(element.get("lang")) and "block" in (element.get("class") or "").split()


def accessible_finisher(layout: _Layout) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher closing WeasyPrint 70's PDF/UA-1 gaps on the PDF objects before writing.

    Sets ``/Lang`` where an element's language differs from its parent's,
    ``/ActualText`` on marked content whose glyphs do not give its text back
    in logical order, a description on each link annotation, turns the
    page-margin content WeasyPrint leaves out of the structure tree into
    pagination artifacts, and adds ``dc:language`` to the XMP metadata.
    """

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        def get(reference: Any) -> Any:
            return pdf.objects[int(reference.split()[0])] if isinstance(reference, bytes) else reference

        lang = document.metadata.lang or ""
        structure_root = get(pdf.catalog["StructTreeRoot"])
        reachable: set[int] = set()

        def walk(element: Any, inherited: str, above: Any) -> None:
            reachable.add(element.number)
            box = layout.boxes.get(element.number)
            own = (box.style["lang"] or inherited) if box is not None else inherited
            html = box.element if box is not None else None
            if own != inherited or (html is not None and html is not above and _is_block(html)):
                element["Lang"] = pydyf.String(own)
            for kid in element.get("K", ()):
                child = get(kid)
                if isinstance(child, pydyf.Dictionary) and child.get("Type") != "/OBJR":
                    walk(child, own, html)

        for kid in structure_root["K"]:
            walk(get(kid), lang, None)

        rtl = any(box.style["direction"] == "rtl" for page in layout.marks.values() for box in page.values())
        numbers = get(structure_root["ParentTree"])["Nums"]
        for index, (page, reference) in enumerate(zip(document.pages, pdf.page_references, strict=True)):
            parents = numbers[2 * index + 1]
            # Margin boxes: WeasyPrint marks their text but leaves it out of the tree.
            orphans = {}
            for mcid, parent in enumerate(parents):
                if get(parent).number not in reachable:
                    orphans[mcid] = _pagination(get(parent), get, layout, page.height)
                    parents[mcid] = "null"
            stream = get(get(reference)["Contents"]).stream
            for i in range(len(stream) - 2):
                properties = stream[i + 1]
                if stream[i + 2] != b"BDC" or not isinstance(properties, pydyf.Dictionary):
                    continue
                mcid = properties.get("MCID")
                if mcid in orphans:
                    stream[i] = "/Artifact"
                    stream[i + 1] = pydyf.Dictionary({"Type": "/Pagination", "Subtype": orphans.pop(mcid)})
                    continue
                text = getattr(layout.marks.get(index, {}).get(mcid), "text", None)
                if text and _needs_actual_text(text, rtl):
                    properties["ActualText"] = pydyf.String(text)
            if orphans:
                raise LdnError(f"page {index + 1}: untagged margin content not found in its stream")

        for page in document.pages:
            for kind, target, _rect, box in page.links:
                annotation = getattr(box, "link_annotation", None)
                if annotation is not None:
                    annotation["Contents"] = pydyf.String(_link_description(box, kind, target, layout.labels))

        metadata = get(pdf.catalog["Metadata"])
        language = (
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
            "</rdf:Description></rdf:RDF>"
        ).encode()
        packet = b"".join(metadata.stream)
        if packet.count(b"</rdf:RDF>") != 1:
            raise LdnError("unexpected XMP metadata from WeasyPrint: cannot add dc:language")
        metadata.stream = [packet.replace(b"</rdf:RDF>", language)]

    return finish


def _pagination(element: Any, get: Callable[[Any], Any], layout: _Layout, height: float) -> str:
    """``/Header`` or ``/Footer``: the page margin a structure element's box is drawn in."""
    while element.number not in layout.boxes and "P" in element:
        element = get(element["P"])
    box = layout.boxes.get(element.number)
    return "/Header" if box is not None and box.position_y < height / 2 else "/Footer"
