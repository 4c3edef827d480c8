"""Reading and writing gettext files through Babel without losing anything.

Entry points: :func:`read_catalog` (path -> :class:`ProjectCatalog`) and
:func:`catalog_bytes` (catalog -> the exact bytes we write).

Babel's ``Catalog`` forgets header fields it does not know (``X-Generator``,
Poedit's settings, our review fields); :class:`ProjectCatalog` keeps them, so a
catalog round-trips through ``update`` with the translator's header intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from textwrap import TextWrapper
from typing import Literal

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, normalize, write_po

from .errors import LdnError
from .plurals import syntax_problem
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
    """A Babel catalog that keeps header fields Babel itself does not manage."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        #: The file it was read from (:func:`read_catalog`), for errors that name a line.
        self.source_path: Path | None = None
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


_KEYWORD_LINE = re.compile(r'(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])\s+(".*)$')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')


#: Characters Python and polib split lines on but GNU gettext does not: a catalog holding
#: one raw would be read differently by the check and by the build.
_OTHER_LINE_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _order_problem(state: str, keyword: str, index: str | None) -> str | None:
    """Why ``keyword`` cannot come after an entry's ``state``, or None."""
    if keyword == "msgctxt" and state not in ("start", "msgstr"):
        return "msgctxt inside an entry: an entry is [msgctxt] msgid [msgid_plural] msgstr"
    if keyword == "msgid" and state in ("msgid", "msgid_plural"):
        return "msgid without a msgstr before it"
    if keyword == "msgid_plural" and state != "msgid":
        return "msgid_plural must follow its msgid"
    if keyword == "msgstr" and index is None and state == "msgstr":
        return "a second msgstr in one entry"
    if keyword == "msgstr" and state in ("start", "msgctxt"):
        return "msgstr without a msgid"
    return None


def syntax_errors(data: bytes) -> list[tuple[int, str]]:
    """``(line, problem)`` for each line that is not valid PO syntax (what Babel lets pass).

    Besides quoting and keywords, each entry's structure: ``[msgctxt] msgid
    [msgid_plural] msgstr``, one msgstr, no comment inside; ``msgstr[N]`` only
    after a ``msgid_plural``, never a plain ``msgstr`` after one, and the
    indices ``0, 1, 2...`` in order. Babel, polib and GNU gettext read such
    files differently, so none is let through.
    """
    problems = []
    plural = False  # the current entry has a msgid_plural
    expected = 0  # the msgstr[N] index the current entry needs next
    after_context = False  # a msgctxt opened the current entry; its msgid belongs to it
    state = "start"  # where the current entry is: start, msgctxt, msgid, msgid_plural, msgstr
    opened = 0  # the line of the current entry's first keyword
    for number, raw in enumerate(data.split(b"\n"), 1):
        line = raw.decode("utf-8", "replace").strip()
        breaks = [c for c in line if c in _OTHER_LINE_BREAKS]
        if breaks:  # a line break for some PO readers (polib, Python) and not for others (msgfmt)
            problems.append((number, f"raw U+{ord(breaks[0]):04X} (a line break to some tools): remove it"))
            continue
        if line.startswith("#~"):
            line = line[2:].strip()
            if line.startswith("|"):  # "#~| msgid ...": an obsolete entry's previous msgid
                continue
        if line.startswith("#") and state in ("msgctxt", "msgid", "msgid_plural"):
            problems.append((number, "a comment inside an entry: comments go before its msgid"))
            continue
        if not line or line.startswith("#"):
            continue
        match = _KEYWORD_LINE.match(line)
        string = match.group(3) if match else line
        if not (match or line.startswith('"')):
            problems.append((number, f"unexpected text: {line[:40]!r}"))
            continue
        if not _STRING.match(string):
            problems.append((number, "unterminated or badly quoted string"))
        if not match:
            continue
        keyword, index = match.group(1), match.group(2)
        order = _order_problem(state, keyword, index)
        if order:
            problems.append((number, order))
        if keyword in ("msgctxt", "msgid") and state in ("start", "msgstr"):
            opened = number
        state = {"msgctxt": "msgctxt", "msgid": "msgid", "msgid_plural": "msgid_plural"}.get(
            keyword, "msgstr"
        )
        if keyword == "msgctxt" or (keyword == "msgid" and not after_context):
            plural, expected = False, 0
        after_context = keyword == "msgctxt"
        if keyword == "msgid_plural":
            plural = True
        elif keyword == "msgstr" and plural:
            problems.append((number, "msgid_plural needs msgstr[0], msgstr[1]..., not a plain msgstr"))
        elif index is not None:
            if not plural:
                problems.append((number, f"msgstr[{index}] without msgid_plural"))
            elif int(index) != expected:
                problems.append((number, f"msgstr[{index}] out of order: msgstr[{expected}] expected"))
            expected = int(index) + 1
    if state in ("msgctxt", "msgid", "msgid_plural"):
        problems.append((opened, "the entry has no msgstr"))
    return problems


#: Where one message's translation stands: the one definition every stage uses.
Translation = Literal["translated", "fuzzy", "untranslated"]


def translation_state(forms: Sequence[str], fuzzy: bool) -> Translation:
    """``translated`` when every form holds text (not only spaces) and it is not fuzzy; ``fuzzy``
    when some form holds text and it is marked fuzzy; else ``untranslated`` (a plural message
    with a form left empty included). Only a translated message is printed and can be signed."""
    written = [form for form in forms if form.strip()]
    if not written:
        return "untranslated"
    if fuzzy:
        return "fuzzy"
    return "translated" if len(written) == len(forms) else "untranslated"


def forms_of(message: Message) -> tuple[str, ...]:
    """A message's translation(s) in NFC (a plural message has one per form)."""
    string = message.string
    forms = string if isinstance(string, (tuple, list)) else (string,)
    return tuple(nfc(str(form or "")) for form in forms)


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


def header_field(data: bytes, name: str) -> tuple[int, str] | None:
    """``(line, value)`` of a header field (case-insensitive) in a .po file's bytes, or None.

    The line is where ``Name:`` starts; the value is unescaped and may
    continue over several quoted lines.
    """
    lines = data.split(b"\n")
    start = next((i for i, raw in enumerate(lines) if raw.strip() == b'msgid ""'), None)
    if start is None or start + 1 >= len(lines) or not lines[start + 1].strip().startswith(b"msgstr"):
        return None
    pieces: list[tuple[int, str]] = []  # (line, text) for every string of the header's msgstr
    for number in range(start + 1, len(lines)):
        text = lines[number].decode("utf-8", "replace").strip()
        if number > start + 1 and not text.startswith('"'):
            break
        quoted = text[len("msgstr") :].strip() if number == start + 1 else text
        if _STRING.match(quoted):
            pieces.append((number + 1, _unescape(quoted.strip()[1:-1])))
    header = ""
    starts: list[tuple[int, int]] = []  # (offset in header, line)
    for line, text in pieces:
        starts.append((len(header), line))
        header += text
    offset = 0
    for field in header.split("\n"):
        key, sep, value = field.partition(":")
        if sep and key.strip().lower() == name.lower():
            line = max(ln for at, ln in starts if at <= offset) if starts else start + 2
            return line, value.strip()
        offset += len(field) + 1
    return None


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


def _previous_ids(data: bytes) -> dict[tuple[str, str | None], list[str]]:
    """``#|`` previous msgids by (msgid, msgctxt), obsolete entries' too; Babel's parser skips them."""
    import polib

    found = {}
    for entry in polib.pofile(data.decode("utf-8", "replace"), wrapwidth=WIDTH):
        if entry.previous_msgid:
            previous = [entry.previous_msgid]
            if entry.previous_msgid_plural:
                previous.append(entry.previous_msgid_plural)
            found[(entry.msgid, entry.msgctxt)] = previous
    return found


def entry_key(msgid: str | Sequence[str], context: str | None) -> str | tuple[str, str]:
    """Where a message is filed in a catalog: its msgid (a plural's first), with its msgctxt if any."""
    first = msgid if isinstance(msgid, str) else msgid[0]
    return first if context is None else (first, context)


def read_catalog(path: Path, locale: str | None = None) -> ProjectCatalog:
    """Parse a .po/.pot strictly; a syntax error names the file and line.

    A malformed ``Plural-Forms`` header is an error naming its line, since
    every plural lookup of the catalog would fail on it.
    """
    catalog = ProjectCatalog(locale=locale, domain=path.stem)
    catalog.source_path = path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LdnError(f"cannot read catalog: {exc.strerror}", path) from None
    problems = syntax_errors(data)
    if problems:
        line, problem = problems[0]
        raise LdnError(f"malformed catalog: {problem}", path, line)
    plural_forms = header_field(data, "Plural-Forms")
    if plural_forms is not None:
        wrong = syntax_problem(plural_forms[1])
        if wrong:
            raise LdnError(f"malformed catalog: {wrong}", path, plural_forms[0])
    content_type = header_field(data, "Content-Type")
    charset = re.search(r"charset=([\w-]+)", content_type[1]) if content_type is not None else None
    if content_type is not None and charset and charset.group(1).lower() not in ("utf-8", "utf8", "charset"):
        # Read in its declared charset and written back, UTF-8 text would be garbled for good.
        raise LdnError(
            f"the catalog declares charset={charset.group(1)}: catalogs are UTF-8; "
            "save it as UTF-8 with charset=UTF-8 in its Content-Type header",
            path,
            content_type[0],
        )
    # "#~| msgid ..." (an obsolete entry's previous msgid) stops Babel's parser; as
    # "#| ..." it reads as a comment, dropped below, and polib reads it.
    data = re.sub(rb"(?m)^#~\|", b"#|", data)
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
    try:
        previous_ids = _previous_ids(data) if b"#|" in data else {}
    except (OSError, ValueError) as exc:  # polib's reading of what Babel let through
        raise LdnError(f"malformed catalog: {exc}", path) from None
    obsolete = {entry_key(m.id, m.context): m for m in catalog.obsolete.values()}
    for (msgid, context), previous in previous_ids.items():
        found = catalog.get(msgid, context) or obsolete.get(entry_key(msgid, context))
        if found is not None:
            found.previous_id = previous
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
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def message_key(context: str | None, msgid: str | tuple[str, ...] | list[str]) -> str:
    """An opaque, stable key for one source message (its msgctxt and English msgid).

    The same English always gives the same key; the key does not reveal the
    English (a back-translator sees only the key).
    """
    singular = msgid[0] if isinstance(msgid, (tuple, list)) else msgid
    digest = hashlib.sha256(f"{context or ''}\x04{singular}".encode())
    return digest.hexdigest()[:16]
