"""Stage 1, source: :func:`read_handout` turns ``source/handouts/<slug>.md`` into a :class:`Handout`.

A handout is YAML front matter (at least ``title``) and Markdown made of
headings, paragraphs and lists. Each block keeps its raw inline Markdown (the
text a translator will edit) and its 1-based line in the file, like
markdown-it-py's ``inline`` token with its ``map``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from .errors import LdnError

#: Markdown the handouts do not use: an error rather than a silent drop.
UNSUPPORTED = {
    "fence": "code block",
    "code_block": "indented code block",
    "hr": "horizontal rule",
    "blockquote_open": "block quote",
    "table_open": "table",
}


@dataclass(frozen=True, slots=True)
class Block:
    """One translatable block of a handout."""

    kind: str
    """``title``, ``heading``, ``paragraph`` or ``item`` (a list item)."""
    text: str
    """The block's inline Markdown on one line: the msgid."""
    line: int
    """1-based line of the block's first line in the source file."""
    level: int = 0
    """Heading level (2 for ``##``); 0 for other kinds."""
    list_id: int = 0
    """Items of the same list share this number (counted from 1); 0 outside lists."""
    ordered: bool = False
    """Whether the item's list is numbered."""


@dataclass(frozen=True, slots=True)
class Handout:
    """A parsed source handout."""

    slug: str
    """File stem, e.g. ``ldn-overview``: the gettext domain and output name."""
    path: Path
    """The Markdown file."""
    meta: dict[str, Any]
    """Front matter as parsed (``title``, ``pages``, ``edition``, ...)."""
    blocks: tuple[Block, ...] = field(default=())
    """The title first, then every block in reading order."""

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def pages(self) -> int | None:
        """Page budget: how many US Letter pages any edition may take."""
        value = self.meta.get("pages")
        return int(value) if value is not None else None


@cache
def _block_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["html_block", "html_inline", "image", "reference", "lheading"])
    return md.use(front_matter_plugin)


def _front_matter(path: Path, content: str) -> tuple[dict[str, Any], int]:
    """Front matter as a dict and the line of its ``title:``."""
    try:
        meta = yaml.safe_load(content) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise LdnError(f"invalid front matter: {getattr(exc, 'problem', exc)}", path, line) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str) or not meta["title"].strip():
        raise LdnError("front matter needs a `title:` string", path, 1)
    if "pages" in meta and not (isinstance(meta["pages"], int) and meta["pages"] > 0):
        raise LdnError("front matter `pages:` must be a whole number of pages", path, 1)
    if isinstance(meta.get("edition"), dt.date):
        meta["edition"] = meta["edition"].isoformat()
    title_line = next((i + 2 for i, text in enumerate(content.splitlines()) if text.startswith("title:")), 2)
    return meta, title_line


def one_line(content: str) -> str:
    """Inline Markdown folded onto one line, as it appears in the msgid."""
    return " ".join(part.strip() for part in content.splitlines() if part.strip())


def parse_handout(text: str, path: Path) -> Handout:
    """Parse handout Markdown; unsupported blocks are errors naming their line."""
    tokens = _block_parser().parse(text)
    meta: dict[str, Any] | None = None
    blocks: list[Block] = []
    stack: list[str] = []
    lists = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else 0
        if token.type == "front_matter":
            meta, title_line = _front_matter(path, token.content)
            blocks.append(Block("title", one_line(meta["title"]), title_line))
        elif token.type in UNSUPPORTED:
            raise LdnError(
                f"unsupported Markdown ({UNSUPPORTED[token.type]}); use headings, paragraphs and lists",
                path,
                line,
            )
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
            stack.append(f"{token.type}:{lists}")
        elif token.type == "heading_open":
            stack.append(f"heading:{token.tag[1:]}")
        elif token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline":
            blocks.append(_block(stack, token.content, line, path))
    if meta is None:
        raise LdnError("missing YAML front matter with a `title:` (start the file with ---)", path, 1)
    return Handout(slug=path.stem, path=path, meta=meta, blocks=tuple(blocks))


def _block(stack: list[str], content: str, line: int, path: Path) -> Block:
    text = one_line(content)
    parent = stack[-1] if stack else ""
    if parent.startswith("heading:"):
        return Block("heading", text, line, level=int(parent.partition(":")[2]))
    outer = [entry for entry in stack if entry.startswith(("bullet_list_open", "ordered_list_open"))]
    if outer:
        if len(outer) > 1:
            raise LdnError("nested lists are not supported", path, line)
        kind, _, number = outer[-1].partition(":")
        return Block("item", text, line, list_id=int(number), ordered=kind == "ordered_list_open")
    return Block("paragraph", text, line)


def read_handout(path: Path) -> Handout:
    """Read and parse one handout file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LdnError(f"not UTF-8 text ({exc.reason})", path) from None
    except OSError as exc:
        raise LdnError(f"cannot read: {exc.strerror}", path) from None
    return parse_handout(text, path)
