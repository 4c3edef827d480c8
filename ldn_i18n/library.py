"""The shared reference library: :func:`load_library` (CSL-JSON -> :class:`Library`), validated item by item.

``source/references.json`` is CSL-JSON (what Zotero exports); it is formatted
by :mod:`ldn_i18n.references`.

Each item's fields are checked by their CSL type (:func:`item_problem`) before
citeproc-py sees them (it fails deep inside on, say, ``"author": "Smith"``). A
bad item does not make the library unusable: it is kept out of
:attr:`Library.items`, its error is in :attr:`Library.problems`, and only a
handout that cites it fails (:func:`~ldn_i18n.references.check_keys`). Only a
file that is not a JSON array of items, or that holds one ``id`` twice, fails
as a whole.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LdnError


@dataclass(frozen=True, slots=True)
class Library:
    """The parsed reference library."""

    path: Path
    """The CSL-JSON file."""
    items: dict[str, dict[str, Any]]
    """The usable CSL-JSON items by ``id``."""
    problems: dict[str, LdnError] = field(default_factory=dict)
    """Why each unusable item is left out, by ``id`` (``#3`` for a 3rd item without one).

    ``check`` lists every one; a handout citing one fails with it (:func:`~ldn_i18n.references.check_keys`).
    """
    lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each item (usable or not) in the file, by ``id``."""


# --- CSL-JSON field types (CSL 1.0.2 specification, appendix IV) ---------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Item types; anything else (e.g. ``journal-article``) is refused rather than formatted oddly.
CSL_TYPES = _words(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter classic "
    "collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic "
    "hearing interview legal_case legislation manuscript map motion_picture musical_score pamphlet "
    "paper-conference patent performance periodical personal_communication post post-weblog "
    "regulation report review review-book software song speech standard thesis treaty webpage"
)
#: Name variables: a list of ``{"family", "given", ...}`` or ``{"literal"}`` objects.
NAME_VARIABLES = _words(
    "author chair collection-editor compiler composer container-author contributor curator director "
    "editor editorial-director executive-producer guest host illustrator interviewer narrator "
    "organizer original-author performer producer recipient reviewed-author script-writer "
    "series-creator translator"
)
#: Date variables: ``{"date-parts": [[y, m, d]]}`` (a second list for a range) or ``{"raw"|"literal": text}``.
DATE_VARIABLES = _words("accessed available-date event-date issued original-date submitted container")
#: Name parts citeproc-py prints; each must be text.
NAME_PARTS = ("family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle")
#: Fields of any JSON shape that citeproc-py never reads.
FREE_FIELDS = frozenset({"custom"})
_DATE_PART = re.compile(r"-?\d{1,6}")
_DATE_SHAPE = '{"date-parts": [[2020, 5, 17]]}'

#: A problem found in an item: the message and the JSON path (in the item) of the offending value.
Problem = tuple[str, tuple[str | int, ...]]


def _kind(value: Any) -> str:
    kinds = ((bool, "true/false"), (dict, "an object"), (list, "a list"), (str, "text"), (type(None), "null"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "a number")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_scalar(value: Any) -> bool:
    """Text or a finite number: what a standard or number variable may be."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (str, int)) or (isinstance(value, float) and math.isfinite(value))


def _date_part(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DATE_PART.fullmatch(value.strip()):
        return int(value)
    return None


def _name_problem(name: str, value: Any) -> Problem | None:
    if not isinstance(value, list):
        example = '[{"family": "Smith", "given": "J."}]'
        return f"`{name}` must be a list of names such as {example}, not {_kind(value)}", (name,)
    for index, person in enumerate(value):
        where: tuple[str | int, ...] = (name, index)
        if not isinstance(person, dict):
            return f"`{name}` item {index + 1} must be an object (family, given), not {_kind(person)}", where
        for part in NAME_PARTS:
            if part in person and not isinstance(person[part], str):
                return f"`{name}` item {index + 1}: `{part}` must be text, not {_kind(person[part])}", (
                    *where,
                    part,
                )
        if not any(_is_text(person.get(part)) for part in ("family", "given", "literal")):
            return f"`{name}` item {index + 1} needs a `family` (and `given`) or a `literal` name", where
    return None


def _date_problem(name: str, value: Any) -> Problem | None:
    if not isinstance(value, dict):
        return f"`{name}` must be a date object such as {_DATE_SHAPE}, not {_kind(value)}", (name,)
    for key in ("raw", "literal"):
        if key in value and not isinstance(value[key], str):
            return f"`{name}`: `{key}` must be text, not {_kind(value[key])}", (name, key)
    if "season" in value and not _is_scalar(value["season"]):
        return f"`{name}`: `season` must be text or a number, not {_kind(value['season'])}", (name, "season")
    if "date-parts" not in value:
        if any(_is_text(value.get(key)) for key in ("raw", "literal")):
            return None
        return f"`{name}` needs `date-parts` (e.g. {_DATE_SHAPE}), `raw` or `literal`", (name,)
    parts = value["date-parts"]
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        message = f"`{name}`: `date-parts` must be a list of one date (two for a range), e.g. {_DATE_SHAPE}"
        return message, (name, "date-parts")
    for index, date in enumerate(parts):
        where: tuple[str | int, ...] = (name, "date-parts", index)
        if not isinstance(date, list) or not 1 <= len(date) <= 3:
            return (
                f"`{name}`: each date in `date-parts` must be a list [year, month, day] of 1 to 3 numbers",
                where,
            )
        numbers = [_date_part(part) for part in date]
        if None in numbers:
            bad = json.dumps(date[numbers.index(None)])
            return f"`{name}`: date parts must be whole numbers [year, month, day], not {bad}", where
        for number, (high, label) in zip(numbers[1:], ((24, "month"), (31, "day")), strict=False):
            if number is not None and not 1 <= number <= high:
                return f"`{name}`: {label} {number} is out of range", where
    return None


#: A DOI as CSL-JSON holds it: the 10.NNNN prefix, a slash and a suffix without spaces.
_DOI = re.compile(r"10\.\d{4,9}/[^\s\x00-\x1f]+")


def item_problem(item: dict[str, Any]) -> Problem | None:
    """The first thing wrong with one CSL-JSON item (its ``id`` known good), and where, or None."""
    kind = item.get("type")
    if not _is_text(kind):
        what = (
            "needs a `type` (e.g. article-journal)"
            if kind in (None, "")
            else f"`type` must be text, not {_kind(kind)}"
        )
        return what, ("type",)
    if kind not in CSL_TYPES:
        return f"unknown CSL type {kind!r} (e.g. article-journal, book, chapter, webpage)", ("type",)
    title = item.get("title")
    if not _is_text(title):
        return ("needs a `title`" if title in (None, "") else f"`title` must be text, not {_kind(title)}"), (
            "title",
        )
    for name, value in item.items():
        if name in ("id", "type") or name in FREE_FIELDS:
            continue
        if name in NAME_VARIABLES:
            found = _name_problem(name, value)
        elif name in DATE_VARIABLES:
            found = _date_problem(name, value)
        elif name == "DOI":
            found = (
                None
                if isinstance(value, str) and _DOI.fullmatch(value.strip())
                else (f"`DOI` must be a DOI such as 10.1002/pds.4201, not {str(value)[:40]!r}", (name,))
            )
        elif name == "language":
            found = (
                None
                if isinstance(value, str)
                else (f"`language` must be text such as en, not {_kind(value)}", (name,))
            )
        else:
            found = (
                None
                if _is_scalar(value)
                else (f"`{name}` must be text or a number, not {_kind(value)}", (name,))
            )
        if found:
            return found
    return None


# --- locating a value in the JSON text -----------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _members(text: str, pos: int) -> Iterator[tuple[str | int, int, int]]:
    """``(key or index, start, end)`` of each member of the JSON object or array at ``pos`` (valid JSON)."""
    decoder = json.JSONDecoder()
    is_object = text[pos] == "{"
    pos = _skip(text, pos + 1)
    index = 0
    while text[pos] not in "]}":
        key: str | int = index
        if is_object:
            key, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, _skip(text, pos) + 1)  # the colon
        start = pos
        _, pos = decoder.raw_decode(text, pos)
        yield key, start, pos
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
        index += 1


def _locate(text: str, pos: int, path: Sequence[str | int]) -> int:
    """Offset of the value at ``path`` inside the JSON value at ``pos``, or of its nearest parent."""
    for step in path:
        if text[pos] not in "[{":
            break
        found = next((start for key, start, _ in _members(text, pos) if key == step), None)
        if found is None:
            break
        pos = found
    return pos


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it held twice (JSON keeps the last)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                obj.duplicates += (key,)
            seen.add(key)
    return obj


def _duplicate(value: Any, path: tuple[str | int, ...] = ()) -> Problem | None:
    """The first key held twice by an object anywhere in ``value``."""
    if isinstance(value, _Object) and value.duplicates:
        return f"field `{value.duplicates[0]}` appears twice", (*path, value.duplicates[0])
    children = (
        value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    )
    for key, child in children:
        found = _duplicate(child, (*path, key))
        if found:
            return found
    return None


def load_library(path: Path) -> Library:
    """Read the CSL-JSON library; errors name the file and line.

    Raises :class:`LdnError` only when the file as a whole is unusable (cannot
    be read, is not JSON, is not an array, holds an ``id`` twice). A bad item
    is left out of :attr:`Library.items` with its error in :attr:`Library.problems`.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
        data = json.loads(text, object_pairs_hook=_object)
    except FileNotFoundError:
        from .errors import missing_file

        raise missing_file(path) from None
    except OSError as exc:
        raise LdnError(f"cannot read reference library: {exc.strerror}", path) from None
    except UnicodeDecodeError as exc:
        raise LdnError(f"the reference library is not UTF-8 text ({exc.reason})", path) from None
    except json.JSONDecodeError as exc:
        raise LdnError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    except ValueError as exc:  # e.g. a number too long for Python's int
        raise LdnError(f"invalid JSON: {str(exc).partition(';')[0]}", path) from None
    except RecursionError:
        raise LdnError("invalid JSON: nested too deeply", path) from None
    if not isinstance(data, list):
        raise LdnError("the reference library must be a CSL-JSON array of items", path, 1)

    def line_at(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    items: dict[str, dict[str, Any]] = {}
    problems: dict[str, LdnError] = {}
    lines: dict[str, int] = {}
    for number, (item, (_, start, _end)) in enumerate(
        zip(data, _members(text, _skip(text, 0)), strict=True), 1
    ):
        key = item.get("id") if isinstance(item, dict) else None
        if not isinstance(key, str) or not key.strip():
            what = (
                "is not an object" if not isinstance(item, dict) else "needs a text `id` (its citation key)"
            )
            where = start if not isinstance(item, dict) else _locate(text, start, ["id"])
            problems[f"#{number}"] = LdnError(
                f"reference {number} in the library {what}", path, line_at(where)
            )
            continue
        if key in lines:
            raise LdnError(f"duplicate reference id {key!r}", path, line_at(_locate(text, start, ["id"])))
        lines[key] = line_at(start)
        found = _duplicate(item) or item_problem(item)
        if found:
            message, where_in_item = found
            problems[key] = LdnError(
                f"reference {key!r}: {message}", path, line_at(_locate(text, start, where_in_item))
            )
        else:
            items[key] = item
    return Library(path=path, items=items, problems=problems, lines=lines)
