"""Handout blocks as gettext messages: :func:`handout_messages` (Handout -> :class:`Message` list).

The one function that says which text is a message. Extraction
(:func:`ldn_i18n.extract.babel_extract`) writes these to the .pot; the build
(:func:`ldn_i18n.edition.compose`) looks the same msgids up in the .po, so the
two can never disagree (Sphinx shares its extraction the same way). The
review pack and the readability figures read handouts through it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .files import relative
from .markup import inspect_inline
from .source import Block, Handout

_KIND_NOTES = {
    "title": "Handout title (also the PDF title).",
    "heading": "Section heading.",
    "paragraph": "Paragraph.",
    "item": "List item.",
}
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Message:
    """One translatable message of a handout."""

    msgid: str
    """The block's inline Markdown, exactly as the translator sees it."""
    block: Block
    """The source block it comes from."""
    location: tuple[str, int]
    """``(path, 1-based line)`` for ``#:``: the path relative to ``root``, or the file name without one."""
    comment: str
    """The ``#.`` note: what the block is and how to treat its markers."""


def translator_note(text: str, kind: str) -> str:
    """What a translator needs to know about one message's markers."""
    markers = inspect_inline(text)
    notes = [_KIND_NOTES[kind]]
    if markers.strong or markers.em:
        notes.append(
            "Keep the **...** (bold) or *...* (italic) markers around the words that carry the same meaning."
        )
    if markers.citations:
        notes.append(
            "Keep every citation group [@...] with the same keys; you may move a "
            "group within the sentence, but do not translate, drop or split it."
        )
    if _DIGIT.search(markers.text):
        notes.append(
            "Keep every number and dose, written in your language's number style (1.5 is 1,5 in Spanish)."
        )
    return " ".join(notes)


def handout_messages(handout: Handout, root: Path | None = None) -> list[Message]:
    """Every message of ``handout`` in reading order (duplicates included), one per block."""
    where = relative(handout.path, root) if root is not None else handout.path.name
    return [
        Message(block.text, block, (where, block.line), translator_note(block.text, block.kind))
        for block in handout.blocks
    ]
