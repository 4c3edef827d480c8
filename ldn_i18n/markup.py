"""Inline markup of one message: emphasis and Pandoc citations, and nothing else.

Entry points: :func:`render_inline` (message text -> safe HTML) and
:func:`inspect_inline` (message text -> :class:`InlineMarkers`, for checks);
and :func:`number_html`, the one markup of a clinic's phone, fax or TTY number
wherever a page prints one (the header, the notice): whole on one line, left to right.

The text of every message is what the translator edits: ``**bold**``,
``*italic*`` and citation groups ``[@key1; @key2]``. Everything else is plain
text: raw HTML, links, images, autolinks and character references are switched
off, so a translation can never inject markup, fetch anything or print a
character it does not hold (``&#x202E;`` prints as those eight characters); it
is escaped like any text.

Given a locale, pairs of ASCII double quotes print as the language's
quotation marks (:func:`~ldn_i18n.typography.quote_pairs`), paired across
emphasis (``"**off-label**"``) before the text is escaped; a quote written
``\\"`` stays straight. Without one (extraction, checks) the text is as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape

from .typography import quote_marks, quote_pairs

#: What keeps a number whole: no line break inside it, in any script (CSS, so the text itself
#: and what a screen reader or a copy gets are the number as the clinic wrote it).
UNBREAKABLE = "white-space: nowrap"

#: A citation group: ``[@key]`` or ``[@key1; @key2]`` (Pandoc syntax, no locators).
CITATION_RE = re.compile(r"\[\s*(@[^\[\]]*?)\s*\]")
KEY_RE = re.compile(r"@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)")

#: Renders one citation group (its keys, in order) to HTML.
CiteRenderer = Callable[[Sequence[str]], str]


def parse_citation(inner: str) -> list[str] | None:
    """The keys of a group's inside (``@a; @b``), or None when it is not one."""
    keys = []
    for part in inner.split(";"):
        match = KEY_RE.fullmatch(part.strip())
        if not match:
            return None
        keys.append(match.group(1))
    return keys


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or state.src[state.pos + 1 : state.pos + 2] != "@":
        return False
    match = CITATION_RE.match(state.src, state.pos)
    if not match:
        return False
    keys = parse_citation(match.group(1))
    if keys is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"keys": keys}
        token.markup = match.group(0)
    state.pos = match.end()
    return True


def _render_citation(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
    cite: CiteRenderer | None = env.get("cite")
    keys = tokens[idx].meta["keys"]
    return cite(keys) if cite else tokens[idx].markup


def _render_text(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
    content = tokens[idx].content
    following = tokens[idx + 1] if idx + 1 < len(tokens) else None
    if following is not None and following.type == "citation" and env.get("cite"):
        content = content.rstrip()  # a superscript sits right after the word
    return escapeHtml(content)


def _quotes_rule(state: StateCore) -> None:
    """Curls the paired ASCII double quotes of each inline block, for ``env["locale"]``.

    Runs before ``text_join``, so an escaped ``\\"`` (a ``text_special`` token)
    is still apart: it counts as a symbol beside a quote and stays straight.
    """
    locale = state.env.get("locale")
    if locale:
        opening, closing = quote_marks(locale)
        for block in state.tokens:
            _curl(block.children or [], opening, closing)


def _curl(children: list[Token], opening: str, closing: str) -> None:
    """Replaces the quotes that pair up across ``children``'s text tokens (emphasis between them)."""
    text: list[str] = []
    owners: list[tuple[int, int] | None] = []  # per character of ``text``: (token, offset), or None
    for index, token in enumerate(children):
        if token.type == "text":
            text.append(token.content)
            owners.extend((index, offset) for offset in range(len(token.content)))
        elif token.type in ("softbreak", "hardbreak", "text_special"):
            text.append("\ufffc" if token.type == "text_special" else "\n")
            owners.append(None)
    changes: dict[int, dict[int, str]] = {}
    for start, end in quote_pairs("".join(text)):
        for at, mark in ((start, opening), (end, closing)):
            owner = owners[at]  # a quote is always a text token's character
            if owner is not None:
                changes.setdefault(owner[0], {})[owner[1]] = mark
    for index, marks in changes.items():
        token = children[index]
        token.content = "".join(marks.get(offset, ch) for offset, ch in enumerate(token.content))


@cache
def inline_parser() -> MarkdownIt:
    """The one inline parser used for extraction, checks and rendering."""
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    # No "entity" rule: "&#x202E;" or "&#49;" must print as the characters the
    # catalog holds, never as what they decode to (the checks read the text as written).
    md.enable(["emphasis", "escape", "newline"])
    md.inline.ruler.before("emphasis", "citation", _citation_rule)
    md.core.ruler.before("text_join", "quotes", _quotes_rule)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("text", _render_text)
    return md


def render_inline(text: str, cite: CiteRenderer | None = None, locale: str | None = None) -> str:
    """Safe HTML of one message; citation groups go through ``cite``, quotes are ``locale``'s."""
    return inline_parser().renderInline(text, {"cite": cite, "locale": locale})


@dataclass(slots=True)
class InlineMarkers:
    """What a message's markup holds, for comparing a translation to its source."""

    citations: list[list[str]] = field(default_factory=list)
    """Each citation group's keys, in text order."""
    strong: int = 0
    """Number of ``**bold**`` spans."""
    em: int = 0
    """Number of ``*italic*`` spans."""
    unbalanced: list[str] = field(default_factory=list)
    """Emphasis delimiters left as literal text (an unclosed ``**``)."""
    text: str = ""
    """The plain text, without markers."""


@lru_cache(maxsize=16384)
def inspect_inline(text: str, locale: str | None = None) -> InlineMarkers:
    """Markers and plain text of one message, quotes as ``locale`` prints them (cached: read-only)."""
    found = InlineMarkers()
    plain: list[str] = []
    for block in inline_parser().parseInline(text, {"locale": locale}):
        for token in block.children or []:
            if token.type == "citation":
                found.citations.append(list(token.meta["keys"]))
            elif token.type == "strong_open":
                found.strong += 1
            elif token.type == "em_open":
                found.em += 1
            elif token.type == "text":
                plain.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                plain.append(" ")
    found.text = "".join(plain)
    found.unbalanced = re.findall(r"\*+", found.text)
    return found


def plain_text(text: str, locale: str | None = None) -> str:
    """A message without its markers, e.g. for a PDF title (quotes as ``locale`` prints them)."""
    return inspect_inline(text, locale).text.strip()


def number_html(value: str, href: str = "") -> Markup:
    """A clinic's number (``813 333 5080``, ``(813) 333-5080``, ``711``) as a page prints it.

    Escaped, isolated left to right (``<bdi dir="ltr">``: in a right-to-left line ``813-333-5080``
    would otherwise print as ``5080-333-813``, its digit groups taken as separate numbers), and
    never broken across lines at its spaces, hyphens or parentheses (:data:`UNBREAKABLE`), in the
    HTML and in the PDF. With ``href`` (a ``tel:`` link) the number is also a link.
    """
    text = escape(value)
    if href:
        text = Markup('<a href="{}">{}</a>').format(href, text)
    return Markup('<bdi dir="ltr" style="{}">{}</bdi>').format(UNBREAKABLE, text)
