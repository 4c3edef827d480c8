"""Who may appear in a sign-off: :func:`check_reviewer`, :func:`check_credential`, :func:`same_person`.

The one place that says what a reviewer's ``Name <email>`` and credential may
hold (no control or invisible characters, bounded lengths), used by the
reviewers file (:mod:`.signatures`) and the records (:mod:`.records`).
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import LdnError

#: Longest reviewer (``Name <email>``) accepted: 100 for the name, 254 for the address (RFC 5321).
MAX_REVIEWER = 360
#: Longest credential accepted (e.g. "CoreCHI-P, Spanish; ATA-certified ES>EN").
MAX_CREDENTIAL = 200
#: ``Name <local@domain.tld>``: a name without angle brackets or "@", one address, nothing after it.
_REVIEWER = re.compile(
    r"(?P<name>[^<>@\s](?:[^<>@]*[^<>@\s])?) "
    r"<(?P<email>[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]+(?:\.[\w-]+)+)>"
)
#: Invisible format characters that reorder or hide text (bidi controls and the like).
#: ZWNJ and ZWJ (U+200C, U+200D) are allowed: names in Persian or Indic scripts need them.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def unsafe_character(text: str) -> str | None:
    """The first character that has no place in a record, as U+XXXX, else None.

    Control characters (C0, DEL, C1 such as NEL), line and paragraph separators,
    bidi controls and other invisible format characters, and lone surrogates
    (undecodable bytes on the command line).
    """
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp", "Cs", "Co", "Cn") or (
            category == "Cf" and char not in _ALLOWED_FORMAT
        ):
            return f"U+{ord(char):04X}"
    return None


def check_reviewer(reviewer: str) -> str:
    """``reviewer`` as it will be recorded, or :class:`LdnError` when it is not a plain ``Name <email>``."""
    bad = unsafe_character(reviewer)
    if bad:
        raise LdnError(f"the reviewer contains a control or invisible character ({bad}): give 'Name <email>'")
    value = reviewer.strip(" ")
    if len(value) > MAX_REVIEWER:
        raise LdnError(f"the reviewer is longer than {MAX_REVIEWER} characters: give 'Name <email>'")
    match = _REVIEWER.fullmatch(value)
    if not match or len(match["name"]) > 100:
        raise LdnError(
            f"give the reviewer as 'Name <email>', e.g. 'Ana Pérez <ana@example.org>' (not {value!r})"
        )
    return value


def same_person(one: str, other: str) -> bool:
    """Whether two ``Name <email>`` texts name the same person: the same address, or the same name
    (case, accents and spacing aside)."""

    def parts(text: str) -> tuple[str, str]:
        match = re.fullmatch(r"\s*(.*?)\s*<\s*([^<>]*?)\s*>\s*", text)
        name, email = (match[1], match[2]) if match else (text, "")
        plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        return " ".join(plain.casefold().split()), email.casefold()

    (name, email), (other_name, other_email) = parts(one), parts(other)
    return bool((email and email == other_email) or (name and name == other_name))


def check_credential(credential: str) -> str:
    """``credential`` as it will be recorded, or :class:`LdnError` (control characters, too long)."""
    bad = unsafe_character(credential)
    if bad:
        raise LdnError(f"the credential contains a control or invisible character ({bad})")
    value = " ".join(credential.split())
    if len(value) > MAX_CREDENTIAL:
        raise LdnError(f"the credential is longer than {MAX_CREDENTIAL} characters")
    return value
