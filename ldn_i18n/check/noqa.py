"""The ``# noqa`` rule: :func:`suppression` (one entry -> :class:`Suppression` or None).

A translator silences a check for one message with a comment ``# noqa: CODE``
(or ``#. noqa: CODE``) above it; :meth:`Suppression.silences` applies the rule
(:data:`SAFETY_CODES` need a name and a reason; :data:`FILE_CODES` are never
silenced). :func:`_back_findings` turns an entry's raw ``(code, message)``
pairs into findings under that rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..poscan import Entry
from .codes import CODES, Finding, _excerpt

#: A ``noqa`` comment line: ``noqa[: CODE, CODE] [-- reason]``, alone on its line.
_NOQA = re.compile(
    r"^[ \t]*noqa(?::[ \t]*(?P<codes>[\w\-, \t]+?))?[ \t]*(?:(?:--|\u2014)[ \t]*(?P<reason>.*?))?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: Error-level codes that guard what a patient takes: silenced only by name and with a reason.
SAFETY_CODES = frozenset(
    {"citations", "numbers", "units", "rates", "placeholders", "unsafe-markup", "hidden-characters"}
    | {"back-numbers", "negation", "sentences", "draft-mark", "back-negation"}
)
#: Codes about the file itself: never silenced.
FILE_CODES = frozenset({"source", "po-syntax", "msgfmt", "duplicate", "plural-forms"})


@dataclass(frozen=True, slots=True)
class Suppression:
    """A ``# noqa`` above one message: which codes it names and why."""

    codes: frozenset[str]
    """The codes named; empty for a bare ``# noqa``."""
    reason: str
    """The words after ``--`` on the same line ('' when none)."""

    def silences(self, code: str, level: str | None = None) -> bool:
        """The rule (README, "Silencing a check"): see :data:`SAFETY_CODES` and :data:`FILE_CODES`.

        ``level`` is the finding's when it is not its code's (a ``back-negation`` the policy makes an error).
        """
        if code in FILE_CODES:
            return False
        if (level or CODES[code][0]) == "error" and code not in self.codes:
            return False  # a bare noqa silences warnings only
        if code in SAFETY_CODES and len(re.findall(r"[^\W\d_]{2,}", self.reason)) < 2:
            return False  # a dose, citation or markup check needs a reason of a few words
        return not self.codes or code in self.codes


def suppression(entry: Entry) -> Suppression | None:
    """The ``# noqa`` of an entry (translator or extracted comment), or None."""
    for comment in (entry.tcomment or "", entry.comment or ""):
        match = _NOQA.search(comment)
        if match:
            codes = frozenset(c.strip() for c in (match.group("codes") or "").split(",") if c.strip())
            return Suppression(codes, (match.group("reason") or "").strip())
    return None


def _back_findings(
    entry: Entry,
    line: int,
    where: str,
    raw: list[tuple[str, str]],
    levels: dict[str, str] | None = None,
) -> list[Finding]:
    """Findings of one back entry, silenced by its ``# noqa`` as in a forward catalog.

    ``levels`` gives a code another level than its own (``back-negation`` when the policy
    requires a back-translation).
    """
    noqa = suppression(entry)
    found = []
    for code, message in dict.fromkeys(raw):
        level = (levels or {}).get(code, CODES[code][0])
        if noqa is not None and noqa.silences(code, level):
            found.append(Finding(where, line, level, code, message, _excerpt(entry.msgid), noqa.reason))
            continue
        if noqa is not None and code in SAFETY_CODES and code in noqa.codes:
            message += " (a noqa silences this check only with a reason: `# noqa: CODE -- why`)"
        found.append(Finding(where, line, level, code, message, _excerpt(entry.msgid)))
    return found
