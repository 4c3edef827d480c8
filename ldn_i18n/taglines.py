"""Stage 5b, PDF: the language-assistance notice's taglines laid out once per process and kind of
page (:func:`shared_taglines`), then put into each PDF that prints them (:func:`lay_out`).

Every edition ends with the same notice, and laying out its list of taglines (15 languages in
7 scripts) was about a third of an edition's layout. So the first page of a kind (the regular
editions, the large print, the bilingual ones) lays the list out alone: the same page, with
everything but the notice hidden. Every page of that kind is then laid out with an empty list
of the same height in its place, and a copy of the laid-out tagline boxes, moved to where the
list stands, goes into it. WeasyPrint makes the PDF's text, structure tree, ``/Lang`` and links
from the boxes when it writes the file, as for any page, so the PDF is byte for byte the one
the page laid out whole gives (``tests/test_taglines.py`` compares them for every edition).

Shared only where that is sure; otherwise the page is laid out whole, as before:

- the package's own page templates (:func:`shareable`): a clinic's override may style the
  notice differently in each edition;
- a list that fits on one page when laid out alone (the large print's does not);
- an empty list that stands, whole, on the page of the notice's heading, as wide as the list
  laid out alone (a heading one line longer in one language can push it on).

A build lays the list out in the parent before its workers fork (:func:`prepare`), so the
workers share one layout; the workbench keeps it between previews.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .templating import Templates

#: How the notice's list of taglines opens in a page (``templates/notice.j2``); tagline text is
#: escaped data, so the first ``</ul>`` after it closes the list.
OPENING = '<ul class="taglines">'

#: The templates that write or style an edition's page: overriding any of them turns sharing off.
PAGE_TEMPLATES = (
    "handout.html.j2",
    "handout.css.j2",
    "large-print.css.j2",
    "bilingual.html.j2",
    "bilingual.css.j2",
    "notice.j2",
    "draft.j2",
)

#: The page with everything but the notice hidden: the list laid out alone, as wide as in place.
_ALONE = "body > :not(.notice) { display: none !important; }"
#: The page with the list empty, as high as the list laid out alone.
_EMPTY = (
    ".notice > ul.taglines > li {{ display: none !important; }} "
    ".notice > ul.taglines {{ height: {height!r}px !important; }}"
)
#: Layouts kept per process (kinds of page times notices): a workbench meets a handful.
_KEPT = 8


@dataclass(frozen=True)
class SharedTaglines:
    """The notice's taglines laid out once, for every page of one kind."""

    items: tuple[Any, ...]
    """The laid-out boxes of the list's items (WeasyPrint's), copied into each page."""
    x: float
    """Where the list's content starts across the page, in CSS pixels."""
    y: float
    """Where it starts down the page, in CSS pixels."""
    width: float
    """The list's content width: a page whose list is not as wide lays its list out itself."""
    height: float
    """The list's content height, which the empty list in each page takes."""
    document: Any
    """The document the list was laid out in, kept alive: its fonts draw the boxes."""


_SHARED: dict[str, SharedTaglines | None] = {}


def shareable(templates: Templates) -> bool:
    """Whether pages made with ``templates`` may share one layout of the taglines: only with the
    package's own page templates (or copies of them), whose notice looks the same in every
    edition (tested)."""
    package = templates.folders[-1]
    for name in PAGE_TEMPLATES:
        used = templates.path(name)
        if used.parent != package and used.read_bytes() != (package / name).read_bytes():
            return False
    return True


def taglines_key(html: str, kind: str) -> str | None:
    """What a page's list of taglines is laid out from: the ``kind`` of page (its styles and size)
    and the list's HTML; None when the page prints no notice."""
    start = html.find(OPENING)
    end = html.find("</ul>", start)
    if start < 0 or end < 0:
        return None
    return hashlib.sha256(f"{kind}\n{html[start:end]}".encode()).hexdigest()


def shared_taglines(key: str, render: Callable[[list[Any]], Any]) -> SharedTaglines | None:
    """The taglines of pages alike (``key``, :func:`taglines_key`), laid out the first time asked
    in this process by ``render`` (the page laid out with extra stylesheets); None when the list
    does not fit on one page alone."""
    if key not in _SHARED:
        if len(_SHARED) >= _KEPT:
            _SHARED.clear()
        _SHARED[key] = _alone(render)
    return _SHARED[key]


def _alone(render: Callable[[list[Any]], Any]) -> SharedTaglines | None:
    from weasyprint import CSS

    document = render([CSS(string=_ALONE)])
    found = [(page, box) for page in document.pages for box in _lists(page._page_box)]
    if len(found) != 1:  # no notice, or a list split over pages
        return None
    _page, box = found[0]
    return SharedTaglines(
        tuple(box.children), box.content_box_x(), box.content_box_y(), box.width, box.height, document
    )


def lay_out(render: Callable[[list[Any]], Any], shared: SharedTaglines) -> Any | None:
    """The page laid out by ``render`` with its list of taglines empty, then the ``shared``
    boxes moved into it; None when the empty list does not stand whole on the page of the
    notice's heading, or is not as wide (lay the page out whole then)."""
    from weasyprint import CSS
    from weasyprint.document import Page

    document = render([CSS(string=_EMPTY.format(height=shared.height))])
    found = [(number, box) for number, page in enumerate(document.pages) for box in _lists(page._page_box)]
    if len(found) != 1:
        return None
    number, empty = found[0]
    page_box = document.pages[number]._page_box
    bottom = page_box.content_box_y() + page_box.height
    if (
        empty.children
        or empty.width != shared.width
        or empty.height != shared.height
        or empty.content_box_y() + empty.height > bottom
        or not _heads_page(page_box)
    ):
        return None
    dx, dy = empty.content_box_x() - shared.x, empty.content_box_y() - shared.y
    items = []
    for item in shared.items:
        moved = item.deepcopy()
        moved.translate(dx, dy)
        items.append(moved)
    empty.children = items
    document.pages[number] = Page(page_box)  # links and anchors gathered again, the items' too
    return document


def _lists(box: Any) -> list[Any]:
    """The boxes of the notice's list of taglines in ``box`` (the outermost box of each piece)."""
    element = getattr(box, "element", None)
    if (
        getattr(box, "element_tag", None) == "ul"
        and element is not None
        and "taglines" in (element.get("class") or "").split()
    ):
        return [box]
    return [found for child in getattr(box, "children", ()) for found in _lists(child)]


def _heads_page(page_box: Any) -> bool:
    """Whether the notice's heading is on this page too (so the list was not pushed on alone)."""

    def walk(box: Any) -> bool:
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == "notice-title":
            return True
        return any(walk(child) for child in getattr(box, "children", ()))

    return walk(page_box)
