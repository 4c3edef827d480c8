"""A .po file read line by line, as written: :func:`syntax_errors` and :func:`scan_entries`.

:func:`syntax_errors` finds what is not valid PO syntax (what Babel lets pass);
:func:`scan_entries` gives every entry as written (:class:`Entry`: duplicates and
obsolete entries included, each with its lines, flags, comments and previous
msgid) and the header's fields, which Babel's model forgets or merges.
:func:`header_field` finds one header field and its line in a file's bytes.
:func:`ldn_i18n.pofiles.parse_catalog` runs both once per file and keeps what they
find on the :class:`~ldn_i18n.pofiles.ProjectCatalog` it returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    for item in header.split("\n"):
        key, sep, value = item.partition(":")
        if sep and key.strip().lower() == name.lower():
            line = max(ln for at, ln in starts if at <= offset) if starts else start + 2
            return line, value.strip()
        offset += len(item) + 1
    return None


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


@dataclass(slots=True)
class Entry:
    """One entry of a .po file as written (the header entry excepted)."""

    msgid: str = ""
    """The English (a plural message's singular)."""
    msgctxt: str | None = None
    """Its context, or None."""
    msgid_plural: str = ""
    """A plural message's English plural; '' for a singular message."""
    msgstr: str = ""
    """A singular message's translation."""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    """A plural message's translations by form index."""
    flags: list[str] = field(default_factory=list)
    """Its ``#,`` flags (``fuzzy``, ``python-format``...)."""
    tcomment: str = ""
    """Its translator comments (``# ...``), one per line."""
    comment: str = ""
    """Its extracted comments (``#. ...``), one per line."""
    previous_msgid: str | None = None
    """Its ``#|`` previous msgid, or None."""
    previous_msgid_plural: str | None = None
    """Its ``#|`` previous msgid_plural, or None."""
    obsolete: bool = False
    """Written ``#~``: kept for reference, not a message of the catalog."""
    linenum: int = 0
    """The 1-based line the entry starts on (its first comment or keyword)."""
    msgstr_line: int = 0
    """The 1-based line of its (first) msgstr: what a finding about its translation cites."""

    @property
    def forms(self) -> tuple[str, ...]:
        """Its translation(s): one, or one per plural form in index order."""
        if self.msgid_plural:
            return tuple(self.msgstr_plural[k] for k in sorted(self.msgstr_plural))
        return (self.msgstr,)


#: Escapes of a PO string, as Babel, polib and GNU gettext read them.
_ESCAPE = re.compile(r'\\(\\|n|t|r|")')
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}


def _string(quoted: str) -> str:
    quoted = quoted.strip()
    return _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], quoted[1:-1])


def scan_entries(text: str) -> tuple[list[Entry], dict[str, str]]:
    """Every entry of ``text`` (a .po file :func:`syntax_errors` passed) in order, and its header fields.

    The header is the first live entry with an empty msgid; its fields are read as
    ``Name: value`` lines of its msgstr. Trailing comments after the last entry belong to none.
    """
    entries: list[Entry] = []
    entry = Entry()
    started = False  # the current entry has a line yet
    state = ""  # the field a continuation line extends
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.lstrip("\ufeff").strip() if number == 1 else raw.strip()
        if not line:
            continue
        obsolete = False
        if line.startswith("#~|"):
            line = "#|" + line[3:]
        elif line.startswith("#~"):
            line, obsolete = line[2:].strip(), True
            if not line:  # a bare "#~": an empty line of an obsolete entry
                continue
        keyword = line.split(None, 1)[0] if not line.startswith('"') else '"'
        done = state.startswith("msgstr")  # a comment or a new msgctxt/msgid starts the next entry
        if done and (line.startswith("#") or keyword in ("msgctxt", "msgid")):
            entries.append(entry)
            entry, started, state = Entry(), False, ""
        if not started:
            entry.linenum, started = number, True
        if line.startswith("#|"):
            rest = line[2:].strip()
            if rest.startswith('"'):  # a previous msgid's next line
                if state in ("previous_msgid", "previous_msgid_plural"):
                    setattr(entry, state, (getattr(entry, state) or "") + _string(rest))
                continue
            name, _, value = rest.partition(" ")
            if name in ("msgid", "msgid_plural"):
                setattr(entry, f"previous_{name}", _string(value))
                state = f"previous_{name}"
            else:
                state = "previous_msgctxt"
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif line.startswith("#."):
                entry.comment += ("\n" if entry.comment else "") + line[2:].strip()
            elif not line.startswith("#:"):
                text_ = line.lstrip("#")
                entry.tcomment += ("\n" if entry.tcomment else "") + text_.removeprefix(" ")
            continue
        if keyword == '"':
            value = _string(line)
            if state.startswith("msgstr["):
                index = int(state[7:-1])
                entry.msgstr_plural[index] += value
            elif state in ("msgid", "msgid_plural", "msgstr"):
                setattr(entry, state, getattr(entry, state) + value)
            elif state == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            continue
        value = _string(line[len(keyword) :])
        if keyword.startswith("msgstr"):
            if not state.startswith("msgstr") and not obsolete:
                entry.msgstr_line = number
            if keyword == "msgstr":
                entry.msgstr = value
            else:
                entry.msgstr_plural[int(keyword[7:-1])] = value
        elif keyword == "msgctxt":
            entry.msgctxt = value
        else:
            setattr(entry, keyword, value)
            entry.obsolete = obsolete if keyword == "msgid" else entry.obsolete
        state = keyword
    if state.startswith("msgstr"):
        entries.append(entry)
    header = next((e for e in entries if e.msgid == "" and not e.obsolete), None)
    metadata: dict[str, str] = {}
    if header is not None:
        entries.remove(header)
        key = None
        for field_line in header.msgstr.splitlines():
            name, sep, value = field_line.partition(":")
            if sep:
                key = name
                metadata[key] = value.strip()
            elif key is not None:
                metadata[key] += "\n" + field_line.strip()
    return entries, metadata
