"""Reading and writing gettext files through Babel without losing anything.

Entry points: :func:`parse_catalog` (path -> :class:`ProjectCatalog`, the one parse of a
file every stage uses), :func:`read_catalog` (the same, refusing what Babel's model cannot
hold) and :func:`catalog_bytes` (catalog -> the exact bytes we write).

Babel's ``Catalog`` forgets header fields it does not know (``X-Generator``,
Poedit's settings, our review fields); :class:`ProjectCatalog` keeps them, so a
catalog round-trips through ``update`` with the translator's header intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from textwrap import TextWrapper
from typing import Literal

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, normalize, write_po

from .errors import LdnError
from .plurals import syntax_problem
from .poscan import Entry, header_field, scan_entries, syntax_errors
from .text import nfc

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
    """A Babel catalog that keeps header fields Babel itself does not manage, and the file as
    written (:attr:`entries`, :attr:`metadata`, :attr:`lines`) for the stages that cite lines."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        #: The file it was read from (:func:`read_catalog`), for errors that name a line.
        self.source_path: Path | None = None
        #: Every entry as written, in order (duplicates and obsolete ones too), with its lines.
        self.entries: list[Entry] = []
        #: The header's fields as written (``Name: value``), whatever Babel makes of them.
        self.metadata: dict[str, str] = {}
        #: The file's lines (what a finding's line number indexes).
        self.lines: list[str] = []
        #: What Babel's model refused in the file (:func:`read_catalog` raises it), or None.
        self.problem: LdnError | None = None
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if self.locale is None and self.locale_identifier:  # a pseudo-locale CLDR lacks
            from .plurals import plural_forms_for

            at = next((i for i, (k, _) in enumerate(headers) if k == "Language-Team"), 0) + 1
            headers.insert(at, ("Plural-Forms", plural_forms_for(self.locale_identifier)))
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


#: Where one message's translation stands: the one definition every stage uses.
Translation = Literal["translated", "fuzzy", "untranslated"]


def written_forms(forms: Sequence[str]) -> list[str]:
    """The forms that hold a translation: text, not only spaces (a form of spaces is untranslated)."""
    return [form for form in forms if form.strip()]


def translation_state(forms: Sequence[str], fuzzy: bool) -> Translation:
    """``translated`` when every form holds text (not only spaces) and it is not fuzzy; ``fuzzy``
    when some form holds text and it is marked fuzzy; else ``untranslated`` (a plural message
    with a form left empty included). Only a translated message is printed and can be signed."""
    written = written_forms(forms)
    if not written:
        return "untranslated"
    if fuzzy:
        return "fuzzy"
    return "translated" if len(written) == len(forms) else "untranslated"


def as_forms(value: object) -> tuple[str, ...]:
    """A msgid or msgstr as its forms (one, or one per plural form), NFC: the one definition."""
    found = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(nfc(str(form or "")) for form in found)


def forms_of(message: Message) -> tuple[str, ...]:
    """A message's translation(s) in NFC (a plural message has one per form)."""
    return as_forms(message.string)


def translation_of(message: Message) -> Translation:
    """:func:`translation_state` of a Babel message."""
    return translation_state(forms_of(message), bool(message.fuzzy))


def translated(message: Message) -> bool:
    """Whether ``message`` is printed and can be signed (:func:`translation_state`)."""
    return translation_of(message) == "translated"


def msgstr_line(lines: list[str], msgid_line: int | None) -> int:
    """The 1-based line of the msgstr of the entry whose msgid is at ``msgid_line`` (what errors cite)."""
    start = max((msgid_line or 1) - 1, 0)
    return next((i + 1 for i in range(start, len(lines)) if lines[i].startswith("msgstr")), msgid_line or 1)


def entry_key(msgid: str | Sequence[str], context: str | None) -> str | tuple[str, str]:
    """Where a message is filed in a catalog: its msgid (a plural's first), with its msgctxt if any."""
    first = msgid if isinstance(msgid, str) else msgid[0]
    return first if context is None else (first, context)


class UnreadableCatalog(LdnError):
    """A catalog that cannot be parsed at all: unreadable, not UTF-8, or not PO syntax.

    Its message is how :func:`read_catalog` words it; ``finding`` is the ``(line,
    message)`` of the one ``po-syntax`` finding ``check`` reports for it.
    """

    def __init__(self, error: LdnError, finding: tuple[int, str]):
        super().__init__(error.message, error.path, error.line)
        self.finding = finding


def _header_problem(data: bytes, path: Path) -> LdnError | None:
    """A malformed ``Plural-Forms`` or a charset other than UTF-8 in the header of ``data``, or None."""
    plural_forms = header_field(data, "Plural-Forms")
    if plural_forms is not None:
        wrong = syntax_problem(plural_forms[1])
        if wrong:
            return LdnError(f"malformed catalog: {wrong}", path, plural_forms[0])
    content_type = header_field(data, "Content-Type")
    charset = re.search(r"charset=([\w-]+)", content_type[1]) if content_type is not None else None
    if content_type is not None and charset and charset.group(1).lower() not in ("utf-8", "utf8", "charset"):
        # Read in its declared charset and written back, UTF-8 text would be garbled for good.
        return LdnError(
            f"the catalog declares charset={charset.group(1)}: catalogs are UTF-8; "
            "save it as UTF-8 with charset=UTF-8 in its Content-Type header",
            path,
            content_type[0],
        )
    return None


def parse_catalog(path: Path, locale: str | None = None) -> ProjectCatalog:
    """The one parse of a .po/.pot file, for every stage: Babel's model and the entries as written.

    Raises :class:`UnreadableCatalog` when the file cannot be read, is not UTF-8 or is not PO
    syntax. A catalog Babel's model cannot hold (a malformed ``Plural-Forms``, another charset,
    more forms than the header allows) is still returned, with its entries and that error as
    :attr:`ProjectCatalog.problem`: ``check`` reports what is wrong with it, message by message;
    :func:`read_catalog` raises it.
    """
    catalog = ProjectCatalog(locale=locale, domain=path.stem)
    catalog.source_path = path
    try:
        data = path.read_bytes()
    except OSError as exc:
        error = LdnError(f"cannot read catalog: {exc.strerror}", path)
        raise UnreadableCatalog(error, (1, f"cannot read: {exc.strerror}")) from None
    problems = syntax_errors(data)
    syntax = LdnError(f"malformed catalog: {problems[0][1]}", path, problems[0][0]) if problems else None
    strict = syntax or _header_problem(data, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        error = strict or LdnError(f"catalog is not in its declared charset: {exc}", path, line)
        raise UnreadableCatalog(error, (line, f"not valid UTF-8 ({exc.reason})")) from None
    if syntax is not None:
        raise UnreadableCatalog(syntax, problems[0])
    catalog.entries, catalog.metadata = scan_entries(text)
    catalog.lines = text.splitlines()
    catalog.problem = strict or _babel_parse(catalog, data)
    return catalog


def _babel_parse(catalog: ProjectCatalog, data: bytes) -> LdnError | None:
    """Fill ``catalog`` (Babel's model) from ``data``; what Babel refuses, or None."""
    path = catalog.source_path
    # "#~| msgid ..." (an obsolete entry's previous msgid) stops Babel's parser; as
    # "#| ..." it reads as a comment, dropped below (the entries keep it).
    data = re.sub(rb"(?m)^#~\|", b"#|", data)
    try:
        PoFileParser(catalog, abort_invalid=True).parse(io.BytesIO(data))
    except PoFileError as exc:
        return LdnError(f"malformed catalog: {exc}", path, exc.lineno)
    except (UnicodeDecodeError, LookupError) as exc:
        return LdnError(f"catalog is not in its declared charset: {exc}", path)
    except ValueError as exc:
        return LdnError(f"malformed catalog: {exc}", path)
    for message in list(catalog) + list(catalog.obsolete.values()):
        # Babel reads "#| msgid ..." as a translator comment "| msgid ..."
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    obsolete = {entry_key(m.id, m.context): m for m in catalog.obsolete.values()}
    for entry in catalog.entries:
        if entry.previous_msgid:
            key = entry_key(entry.msgid, entry.msgctxt)
            found = catalog.get(entry.msgid, entry.msgctxt) or obsolete.get(key)
            if found is not None:
                previous = [entry.previous_msgid]
                if entry.previous_msgid_plural:
                    previous.append(entry.previous_msgid_plural)
                found.previous_id = previous
    return None


def read_catalog(path: Path, locale: str | None = None) -> ProjectCatalog:
    """Parse a .po/.pot strictly (:func:`parse_catalog`); any problem is an error naming the file and line.

    A malformed ``Plural-Forms`` header is an error naming its line, since
    every plural lookup of the catalog would fail on it.
    """
    catalog = parse_catalog(path, locale)
    if catalog.problem is not None:
        raise catalog.problem
    return catalog


def catalog_bytes(catalog: Catalog) -> bytes:
    """The .po/.pot text of ``catalog``: document order, line numbers, previous msgids.

    Obsolete entries are written as GNU msgmerge writes them, which Babel does
    not: their flags (``#, fuzzy``) and previous msgid (``#~| msgid``) are
    kept, so a fuzzy translation that comes back is still fuzzy.
    """
    buffer = io.BytesIO()
    # Babel re-wraps a long previous msgid as comment text, breaking its quoting
    # ("#| msgid_plural \"... the\n#| English\""): previous msgids are written here.
    write_po(buffer, catalog, width=WIDTH, include_previous=False, sort_output=False, ignore_obsolete=True)
    text = _with_previous_ids(buffer.getvalue().decode(catalog.charset), catalog)
    buffer = io.BytesIO(text.encode(catalog.charset, "backslashreplace"))
    buffer.seek(0, io.SEEK_END)
    for message in catalog.obsolete.values():
        buffer.write(
            "".join(_obsolete_lines(message, catalog.num_plurals)).encode(catalog.charset, "backslashreplace")
        )
    return buffer.getvalue()


#: The header line naming the Babel that wrote a catalog, which says nothing of its content.
_STAMP = re.compile(rb'(?m)^"Generated-By: [^"\n]*\\n"\n')


def unchanged(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds ``data`` but for its ``Generated-By`` stamp.

    Another Babel release writes another stamp: rewriting a catalog for that alone would
    make every installed version churn every committed file.
    """
    try:
        old = path.read_bytes()
    except OSError:
        return False
    return without_stamp(old) == without_stamp(data)


def without_stamp(data: bytes) -> bytes:
    """A catalog's bytes without its ``Generated-By`` line: what it says, not which Babel wrote it."""
    return _STAMP.sub(b"", data)


def write_catalog(path: Path, data: bytes) -> bool:
    """Write a catalog's bytes atomically unless :func:`unchanged`; True when written."""
    from .files import write_atomic

    return False if unchanged(path, data) else write_atomic(path, data)


def _with_previous_ids(text: str, catalog: Catalog) -> str:
    """``text`` (written without previous msgids) with each live message's ``#|`` lines, well quoted."""
    live = [m for m in catalog if m.id]
    if not any(m.previous_id for m in live):
        return text
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    entries = iter(live)
    seen_header = False
    for line in lines:
        if line.startswith("msgid "):
            if not seen_header:
                seen_header = True  # write_po writes the header entry first
            else:
                message = next(entries)
                at = len(out)
                while at > 0 and out[at - 1].startswith('"'):  # a wrapped msgctxt
                    at -= 1
                at = at - 1 if at > 0 and out[at - 1].startswith("msgctxt ") else len(out)
                previous = [
                    f"#| {name} {normalize(part, prefix='#| ', width=WIDTH)}\n"
                    for name, part in zip(("msgid", "msgid_plural"), message.previous_id or (), strict=False)
                ]
                out[at:at] = previous
        out.append(line)
    return "".join(out)


def _obsolete_lines(message: Message, num_plurals: int) -> Iterable[str]:
    wrapper = TextWrapper(width=WIDTH, break_long_words=False)
    for comment in message.user_comments:
        for line in wrapper.wrap(comment):
            yield f"# {line.strip()}\n"
    if message.flags:
        yield f"#, {', '.join(sorted(message.flags))}\n"
    names = ("msgid", "msgid_plural")
    for name, previous in zip(names, message.previous_id or (), strict=False):
        yield f"#~| {name} {normalize(previous, prefix='#~| ', width=WIDTH)}\n"
    if message.context:
        yield f"#~ msgctxt {normalize(message.context, prefix='#~ ', width=WIDTH)}\n"
    if isinstance(message.id, (list, tuple)):
        yield f"#~ msgid {normalize(message.id[0], prefix='#~ ', width=WIDTH)}\n"
        yield f"#~ msgid_plural {normalize(message.id[1], prefix='#~ ', width=WIDTH)}\n"
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string or "",)
        for index in range(num_plurals):
            string = strings[index] if index < len(strings) else ""
            yield f"#~ msgstr[{index}] {normalize(string or '', prefix='#~ ', width=WIDTH)}\n"
    else:
        string = message.string if isinstance(message.string, str) else ""
        yield f"#~ msgid {normalize(message.id, prefix='#~ ', width=WIDTH)}\n"
        yield f"#~ msgstr {normalize(string, prefix='#~ ', width=WIDTH)}\n"
    yield "\n"


def now() -> dt.datetime:
    """The time stamp for new headers; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    from .files import source_date

    return source_date() or dt.datetime.now(dt.UTC).replace(microsecond=0)


def message_key(context: str | None, msgid: str | tuple[str, ...] | list[str]) -> str:
    """An opaque, stable key for one source message (its msgctxt and English msgid).

    The same English always gives the same key; the key does not reveal the
    English (a back-translator sees only the key).
    """
    singular = msgid[0] if isinstance(msgid, (tuple, list)) else msgid
    digest = hashlib.sha256(f"{context or ''}\x04{singular}".encode())
    return digest.hexdigest()[:16]
