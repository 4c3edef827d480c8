"""Reading and writing gettext files through Babel without losing anything.

Entry points: :func:`read_catalog` (path -> :class:`ProjectCatalog`) and
:func:`catalog_bytes` (catalog -> the exact bytes we write).

Babel's ``Catalog`` forgets header fields it does not know (``X-Generator``,
Poedit's settings, our review fields); :class:`ProjectCatalog` keeps them, so a
catalog round-trips through ``update`` with the translator's header intact.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser, write_po

from .errors import LdnError

_BABEL_HEADERS = {
    "project-id-version",
    "report-msgid-bugs-to",
    "pot-creation-date",
    "po-revision-date",
    "last-translator",
    "language",
    "language-team",
    "plural-forms",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "generated-by",
}
#: Line width of the files we write (Babel's and xgettext's default).
WIDTH = 76


class ProjectCatalog(Catalog):
    """A Babel catalog that keeps header fields Babel itself does not manage."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if self.locale is None and self.locale_identifier:  # a pseudo-locale CLDR lacks
            from babel.messages.plurals import get_plural

            from .languages import language

            rule = get_plural(language(self.locale_identifier).cldr)
            at = next((i for i, (k, _) in enumerate(headers) if k == "Language-Team"), 0) + 1
            headers.insert(at, ("Plural-Forms", rule.plural_forms))
        # Babel ends its header with "Generated-By: ...\n": extras go before it.
        at = next((i for i, (k, _) in enumerate(headers) if k == "Generated-By"), len(headers))
        return headers[:at] + list(self.extra_headers) + headers[at:]

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        super()._set_mime_headers(headers)
        self.extra_headers = [(k, v) for k, v in headers if k.lower() not in _BABEL_HEADERS]

    mime_headers = property(_get_mime_headers, _set_mime_headers)

    def header(self, name: str) -> str | None:
        """An extra header field's value by name (case-insensitive)."""
        return next((v for k, v in self.extra_headers if k.lower() == name.lower()), None)

    def set_header(self, name: str, value: str) -> None:
        """Set or add an extra header field."""
        kept = [(k, v) for k, v in self.extra_headers if k.lower() != name.lower()]
        self.extra_headers = kept + [(name, value)]


_KEYWORD_LINE = re.compile(r'(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(".*)$')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')


def syntax_errors(data: bytes) -> list[tuple[int, str]]:
    """``(line, problem)`` for each line that is not valid PO syntax (what Babel lets pass)."""
    problems = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        line = raw.decode("utf-8", "replace").strip()
        if line.startswith("#~"):
            line = line[2:].strip()
        if not line or line.startswith("#"):
            continue
        match = _KEYWORD_LINE.match(line)
        string = match.group(2) if match else line
        if not (match or line.startswith('"')):
            problems.append((number, f"unexpected text: {line[:40]!r}"))
        elif not _STRING.match(string):
            problems.append((number, "unterminated or badly quoted string"))
    return problems


def _previous_ids(data: bytes) -> dict[tuple[str, str | None], list[str]]:
    """``#|`` previous msgids by (msgid, msgctxt); Babel's parser skips them, polib reads them."""
    import polib

    found = {}
    for entry in polib.pofile(data.decode("utf-8", "replace"), wrapwidth=WIDTH):
        if entry.previous_msgid:
            previous = [entry.previous_msgid]
            if entry.previous_msgid_plural:
                previous.append(entry.previous_msgid_plural)
            found[(entry.msgid, entry.msgctxt)] = previous
    return found


def read_catalog(path: Path, locale: str | None = None) -> ProjectCatalog:
    """Parse a .po/.pot strictly; a syntax error names the file and line."""
    catalog = ProjectCatalog(locale=locale, domain=path.stem)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LdnError(f"cannot read catalog: {exc.strerror}", path) from None
    problems = syntax_errors(data)
    if problems:
        line, problem = problems[0]
        raise LdnError(f"malformed catalog: {problem}", path, line)
    try:
        PoFileParser(catalog, abort_invalid=True).parse(io.BytesIO(data))
    except PoFileError as exc:
        raise LdnError(f"malformed catalog: {exc}", path, exc.lineno) from None
    except (UnicodeDecodeError, LookupError) as exc:
        raise LdnError(f"catalog is not in its declared charset: {exc}", path) from None
    except ValueError as exc:
        raise LdnError(f"malformed catalog: {exc}", path) from None
    for message in list(catalog) + list(catalog.obsolete.values()):
        # Babel reads "#| msgid ..." as a translator comment "| msgid ..."
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    for (msgid, context), previous in (_previous_ids(data) if b"#|" in data else {}).items():
        found = catalog.get(msgid, context)
        if found is not None:
            found.previous_id = previous
    return catalog


def catalog_bytes(catalog: Catalog) -> bytes:
    """The .po/.pot text of ``catalog``: document order, line numbers, previous msgids."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=True, sort_output=False)
    return buffer.getvalue()


def now() -> dt.datetime:
    """The time stamp for new headers; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
