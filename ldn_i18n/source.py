"""Stage 1, source: :func:`read_handout` turns ``source/handouts/<slug>.md`` into a :class:`Handout`.

A handout is YAML front matter (at least ``title``) and Markdown made of
headings, paragraphs and lists. Each block keeps its raw inline Markdown (the
text a translator will edit) and its 1-based line in the file, like
markdown-it-py's ``inline`` token with its ``map``.

The text is read in Unicode NFC. Raw HTML (blocks, inline tags, comments) is
parsed as CommonMark defines it and refused with its line, so ``a < b`` or
``<5 mg`` stay ordinary text. The front matter is read by the project's one
safe YAML loader (:func:`~ldn_i18n.yamlfiles.parse_yaml`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from .errors import LdnError
from .project import slug_problem
from .yamlfiles import parse_yaml, read_text

#: The reading grade a handout aims at when its front matter sets no ``reading-grade:``: US health
#: literacy guidance asks for patient material at a 6th to 8th grade level, and 8 is its upper end.
DEFAULT_READING_GRADE = 8
#: The highest ``reading-grade:`` a handout may set (a US school grade; 16 is a college graduate).
MAX_READING_GRADE = 16

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
    """Front matter as parsed (``title``, ``pages``, ``edition``, ``reading-grade``, ...)."""
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

    @property
    def reading_grade(self) -> float:
        """The US school grade the English should not exceed: ``reading-grade:``, default 8."""
        value = self.meta.get("reading-grade")
        return float(value) if value is not None else float(DEFAULT_READING_GRADE)


@cache
def _block_parser() -> MarkdownIt:
    # HTML is parsed (not disabled) so that real tags and comments become
    # html_block / html_inline tokens, which are refused; text such as "a < b" stays text.
    md = MarkdownIt("commonmark", {"html": True})
    md.disable(["image", "reference", "lheading"])
    return md.use(front_matter_plugin)


def _html_error(html: str, path: Path, line: int) -> LdnError:
    shown = " ".join(html.split())
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    what = "an HTML comment" if shown.startswith("<!--") else "HTML"
    return LdnError(
        f"raw HTML is not allowed in a handout ({what} `{shown}`); "
        "use Markdown: **bold**, *italic*, headings, paragraphs and lists",
        path,
        line,
    )


def _refuse_inline_html(children: list[Token] | None, path: Path, line: int) -> None:
    """Raise for the first inline HTML tag or comment; its line counts the breaks before it."""
    for child in children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "html_inline":
            raise _html_error(child.content, path, line)


def _front_matter(path: Path, content: str, first_line: int) -> tuple[dict[str, Any], int]:
    """Front matter (its text starting at file line ``first_line``) as a dict, and its ``title:`` line."""
    doc = parse_yaml(content, path, first_line, what="invalid front matter")
    meta = doc.data if doc.data is not None else {}
    if not isinstance(meta, dict):
        raise LdnError("front matter must be `key: value` lines with a `title:`", path, doc.line())
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise LdnError("front matter needs a `title:` string", path, doc.line("title"))
    title_line = doc.line("title")
    _refuse_inline_html(_block_parser().parseInline(title)[0].children, path, title_line)
    pages = meta.get("pages", 1)
    if isinstance(pages, bool) or not isinstance(pages, int) or pages <= 0:
        raise LdnError("front matter `pages:` must be a whole number of pages", path, doc.line("pages"))
    bilingual = meta.get("bilingual-pages", 1)
    if isinstance(bilingual, bool) or not isinstance(bilingual, int) or bilingual <= 0:
        raise LdnError(
            "front matter `bilingual-pages:` must be a whole number of pages",
            path,
            doc.line("bilingual-pages"),
        )
    grade = meta.get("reading-grade", DEFAULT_READING_GRADE)
    if isinstance(grade, bool) or not isinstance(grade, (int, float)) or not 1 <= grade <= MAX_READING_GRADE:
        raise LdnError(
            f"front matter `reading-grade:` must be a US school grade from 1 to {MAX_READING_GRADE}, "
            "such as 8",
            path,
            doc.line("reading-grade"),
        )
    edition = meta.get("edition")
    if isinstance(edition, bool) or not isinstance(edition, (str, int, dt.date, type(None))):
        raise LdnError("front matter `edition:` must be a date (YYYY-MM-DD)", path, doc.line("edition"))
    if isinstance(edition, dt.datetime):
        edition = edition.date()
    if isinstance(edition, (int, dt.date)):
        meta["edition"] = str(edition) if isinstance(edition, int) else edition.isoformat()
    return meta, title_line


def one_line(content: str) -> str:
    """Inline Markdown folded onto one line, as it appears in the msgid."""
    return " ".join(part.strip() for part in content.splitlines() if part.strip())


def parse_handout(text: str, path: Path) -> Handout:
    """Parse handout Markdown (in NFC); unsupported blocks and raw HTML are errors naming their line."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    tokens = _block_parser().parse(text)
    meta: dict[str, Any] | None = None
    blocks: list[Block] = []
    stack: list[str] = []
    lists = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else 0
        if token.type == "front_matter":
            meta, title_line = _front_matter(path, token.content, line + 1)
            blocks.append(Block("title", one_line(meta["title"]), title_line))
        elif token.type == "html_block":
            raise _html_error(token.content, path, line)
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
            _refuse_inline_html(token.children, path, line)
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
    """Read (UTF-8, normalised to NFC) and parse one handout file; its name must be a usable slug."""
    problem = slug_problem(path)
    if problem:
        raise LdnError(problem, path)
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve().parent.parent):
        raise LdnError("the handout is a link to a file outside the project: copy the file in instead", path)
    return parse_handout(read_text(path), path)
