"""What an output may carry: :func:`check_page` (HTML) and :func:`allowed_link` (HTML and PDF links).

Every translation, source and reference is escaped before it reaches a page,
so none of them can write markup. This module is the second line: it reads
each finished page back and refuses anything the templates themselves did
not write (:func:`allowances` reads them): an element of a kind no template
uses (``script``, ``form``, ``object``, ``embed``, ``iframe``, ``img``...),
an event handler, a ``rel="attachment"``, a link or fetch to anywhere but
the page's own anchors, a ``tel:`` number, a DOI, another edition (or, from a
release record, the edition's files in ``dist/``), the clinic's logo in ``dist/``, or a URL
written literally in a template; in the stylesheet, any ``url()``,
``@import`` or ``@font-face`` not written literally in a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from .errors import LdnError
from .templating import Templates

#: Elements our renderers write: emphasis, citations and breaks (markup.py), DOI links and
#: citeproc-py's formatting of reference entries (i, b, sup, sub, small-caps span), the
#: review pack's word diffs (del, ins; review/pack.py) and the clinic's numbers, isolated left to
#: right and unbreakable, in the header and the notice (bdi; markup.number_html).
RENDERER_TAGS = frozenset({"a", "sup", "sub", "strong", "em", "br", "i", "b", "span", "del", "ins", "bdi"})
#: Attributes whose value is a URL that a browser or WeasyPrint may follow or fetch.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "data", "action", "formaction", "poster", "background", "cite", "xlink:href"}
)
#: Links our own code writes: in-page anchors, phone numbers, DOIs, other editions of a handout.
_OWN_LINKS = re.compile(
    r"#[\w\-]+"
    r"|tel:\+?\d{3,15}"
    r"|https://doi\.org/10\.[!-~]+"
    r"|(?:\.\./)?[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*/[a-z0-9][a-z0-9_\-]*\.(?:html|pdf|large\.pdf|bilingual\.html|bilingual\.pdf)"
    # the clinic's logo, copied into dist/ by the build (source/clinic.yaml, look: logo:)
    r"|(?:\.\./)?clinic-logo\.(?:png|jpg)"
    # a release record (records/<lang>/<handout>/<date>.html) links to the files it covers in dist/
    r"|\.\./\.\./\.\./dist/[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*/[a-z0-9][a-z0-9_\-]*\.(?:html|pdf|large\.pdf|bilingual\.html|bilingual\.pdf)"
)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_LITERAL_URL = re.compile(
    r"""(?:\b(?:href|src|data|srcset)\s*=\s*["']([^"'{}]+)["'])|url\(\s*["']?([^"'(){}\s]+)["']?\s*\)"""
)


@dataclass(frozen=True, slots=True)
class Allowances:
    """What the templates write themselves."""

    tags: frozenset[str]
    """Element names the templates (and the inline renderer) write."""
    urls: frozenset[str]
    """URLs written literally in a template (a logo, a font file)."""
    attachments: bool
    """Whether a template itself writes ``rel="attachment"``."""
    font_faces: int
    """How many ``@font-face`` rules the templates write."""
    imports: int
    """How many ``@import`` rules the templates write."""


@cache
def allowances(templates: Templates) -> Allowances:
    """What the templates in ``templates`` write themselves (read once per process)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in templates.files())
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # Jinja comments write nothing
    return Allowances(
        tags=frozenset(t.lower() for t in _TAG.findall(text)) | RENDERER_TAGS,
        urls=frozenset(a or b for a, b in _LITERAL_URL.findall(text)),
        attachments=bool(re.search(r"rel\s*=\s*[\"'][^\"']*\battachment\b", text, re.I)),
        font_faces=len(re.findall(r"@font-face\b", text, re.I)),
        imports=len(re.findall(r"@import\b", text, re.I)),
    )


def allowed_link(url: str, allow: Allowances, own: re.Pattern[str] | None = None) -> bool:
    """Whether ``url`` is a link our code or a template writes (or matches ``own``, the links of
    the pages' own application, such as the workbench's routes)."""
    url = url.strip()
    return url in allow.urls or bool(_OWN_LINKS.fullmatch(url)) or bool(own and own.fullmatch(url))


class _Reader(HTMLParser):
    def __init__(self, allow: Allowances, own: re.Pattern[str] | None = None):
        super().__init__(convert_charrefs=True)
        self.allow = allow
        self.own = own
        self.problems: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.allow.tags:
            self.problems.append(f"a <{tag}> element, which no template writes")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and not allowed_link(value, self.allow, self.own):
                self.problems.append(f"a link or fetch {name}={value[:60]!r} on <{tag}>")
            elif name == "rel" and "attachment" in value.lower().split() and not self.allow.attachments:
                self.problems.append(f'rel="attachment" on <{tag}>, which would embed a file in the PDF')
            elif name == "style":
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _css_problems(css: str, allow: Allowances) -> list[str]:
    """``url()``, ``@import`` and ``@font-face`` in ``css`` that no template wrote (strings are text)."""
    import tinycss2

    problems: list[str] = []
    counts = {"font-face": 0, "import": 0}

    def walk(tokens: list[object]) -> None:
        for token in tokens:
            kind = getattr(token, "type", "")
            if kind == "url" and not allowed_link(str(token.value), allow):  # type: ignore[attr-defined]
                problems.append(f"a stylesheet fetch url({token.value!r})")  # type: ignore[attr-defined]
            elif kind == "function" and token.lower_name in ("url", "src", "image-set"):  # type: ignore[attr-defined]
                strings = [a.value for a in token.arguments if getattr(a, "type", "") == "string"]  # type: ignore[attr-defined]
                if not (strings and all(allowed_link(str(v), allow) for v in strings)):
                    problems.append(f"a stylesheet fetch {token.lower_name}({', '.join(map(repr, strings))})")  # type: ignore[attr-defined]
            elif kind == "at-keyword" and token.lower_value in counts:  # type: ignore[attr-defined]
                counts[token.lower_value] += 1  # type: ignore[attr-defined]
            for part in ("content", "arguments"):
                inner = getattr(token, part, None)
                if isinstance(inner, list):
                    walk(inner)

    walk(tinycss2.parse_component_value_list(css))
    if counts["font-face"] > allow.font_faces:
        problems.append("an @font-face rule, which fetches a font")
    if counts["import"] > allow.imports:
        problems.append("an @import rule, which fetches a stylesheet")
    return problems


def check_page(html: str, templates: Templates, label: str, own: re.Pattern[str] | None = None) -> None:
    """Refuse ``html`` when it carries anything the templates did not write (:class:`LdnError`);
    ``own`` matches the links of the application that serves the page (the workbench's routes)."""
    allow = allowances(templates)
    reader = _Reader(allow, own)
    reader.feed(html)
    reader.close()
    problems = reader.problems + _css_problems("\n".join(reader.styles), allow)
    if problems:
        raise LdnError(f"refused to write a page carrying {problems[0]}; no template wrote it", label)
