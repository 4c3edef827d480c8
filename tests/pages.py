"""The one reader of the HTML pages we write, for every test that looks inside one.

A page is parsed with tinyhtml5 (WeasyPrint's own parser), which follows the HTML5 parsing
algorithm a browser follows: elements as a browser builds them, implied ones included, attributes
as a browser reads them. It is not the code under test (``ldn_i18n.guard`` reads pages with
``html.parser``). Tests walk the ElementTree it gives back (``root.iter("a")``), with the helpers
below for what several of them ask.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import tinyhtml5

#: Not printed: the document head, and the links to other editions (print CSS hides nav.editions).
UNPRINTED = frozenset({"head", "nav"})


def read_page(page: Path | str) -> Element:
    """The ``<html>`` element of a page (a file, or its text), tags without a namespace."""
    text = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
    return tinyhtml5.parse(text, namespace_html_elements=False)


def classes(element: Element) -> list[str]:
    """The classes of an element, in its ``class`` attribute's order."""
    return (element.get("class") or "").split()


def text_of(element: Element, skip: frozenset[str] = frozenset()) -> str:
    """The text inside an element, whitespace folded; without that of descendants tagged ``skip``."""
    parts: list[str] = []

    def collect(node: Element) -> None:
        parts.append(node.text or "")
        for kid in node:
            if kid.tag not in skip:
                collect(kid)
            parts.append(kid.tail or "")

    collect(element)
    return " ".join("".join(parts).split())


def links(element: Element) -> list[str]:
    """The ``href`` of every link inside an element, in document order."""
    return [a.get("href") or "" for a in element.iter("a")]


def also_available(page: Path) -> list[str]:
    """The links of an edition page's "Also available in" line (``<nav class="editions">``)."""
    root = read_page(page)
    return [href for nav in root.iter("nav") if "editions" in classes(nav) for href in links(nav)]
