"""Stage 5b, PDF/UA: :func:`accessible_finisher` closes what WeasyPrint 70's ``pdf/ua-1`` variant
leaves open, on the PDF objects before they are written (deterministic, about a millisecond).

It sets ``/Lang`` on each structure element whose text is in another language than its
parent's (reference entries are English), ``/ActualText`` where glyphs drawn right to left
would read back reversed, a description (``/Contents``) on each link annotation, turns the page
footer and draft mark in the page margins into pagination artifacts instead of orphaned marked
content, and adds ``dc:language`` to the XMP metadata. What it needs from the layout is recorded
(:class:`Layout`) by wrapping one WeasyPrint 70 internal (:func:`recording`); another WeasyPrint
fails the page with a clear error rather than a false claim. :func:`~ldn_i18n.pdf.render_pdf`
uses it for every PDF.
"""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from .errors import LdnError

#: WeasyPrint's errors for content it cannot tag as PDF/UA requires (``pdf/tags.py``).
UNTAGGABLE = ('required "lang"', "no required alt")


@dataclass
class Layout:
    """What the finisher needs from the laid-out page that WeasyPrint 70 does not keep in the PDF."""

    labels: dict[str, str]
    """Each ``id`` of the page and the name of the labelled region around it (:func:`region_labels`)."""
    boxes: dict[int, Any] = field(default_factory=dict)
    """The layout box behind each structure element, by the element's object number."""
    marks: dict[int, dict[int, Any]] = field(default_factory=dict)
    """Per page index, the layout box drawn in each marked-content sequence, by MCID."""


@contextmanager
def recording(layout: Layout) -> Iterator[None]:
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


def region_labels(root: Any) -> dict[str, str]:
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


def accessible_finisher(layout: Layout) -> Callable[[Any, Any], None]:
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


def _pagination(element: Any, get: Callable[[Any], Any], layout: Layout, height: float) -> str:
    """``/Header`` or ``/Footer``: the page margin a structure element's box is drawn in."""
    while element.number not in layout.boxes and "P" in element:
        element = get(element["P"])
    box = layout.boxes.get(element.number)
    return "/Header" if box is not None and box.position_y < height / 2 else "/Footer"
