"""Inline markup of one message: emphasis and Pandoc citations, and nothing else.

Entry points: :func:`render_inline` (message text -> safe HTML) and
:func:`inspect_inline` (message text -> :class:`InlineMarkers`, for checks).

The text of every message is what the translator edits: ``**bold**``,
``*italic*`` and citation groups ``[@key1; @key2]``. Everything else is plain
text: raw HTML, links, images, autolinks and character references are switched
off, so a translation can never inject markup, fetch anything or print a
character it does not hold (``&#x202E;`` prints as those eight characters); it
is escaped like any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

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


@cache
def inline_parser() -> MarkdownIt:
    """The one inline parser used for extraction, checks and rendering."""
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    # No "entity" rule: "&#x202E;" or "&#49;" must print as the characters the
    # catalog holds, never as what they decode to (the checks read the text as written).
    md.enable(["emphasis", "escape", "newline"])
    md.inline.ruler.before("emphasis", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("text", _render_text)
    return md


def render_inline(text: str, cite: CiteRenderer | None = None) -> str:
    """Safe HTML of one message; citation groups go through ``cite``."""
    return inline_parser().renderInline(text, {"cite": cite})


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
def inspect_inline(text: str) -> InlineMarkers:
    """Markers and plain text of one message (cached: treat the result as read-only)."""
    found = InlineMarkers()
    plain: list[str] = []
    for block in inline_parser().parseInline(text):
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


def plain_text(text: str) -> str:
    """A message without its markers, e.g. for a PDF title."""
    return inspect_inline(text).text.strip()
