"""Review sign-off: :func:`sign_off` records it in a catalog's header; :func:`review_state` reads it.

A qualified reviewer signs off a catalog's exact content: the header gets
``X-Reviewed-By``, ``X-Reviewed-Date`` and ``X-Reviewed-Content`` (a hash of
every msgid and msgstr). When the English or a translation changes the hash no
longer matches, so the sign-off no longer counts, and ``update`` removes it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..errors import LdnError
from ..files import write_atomic
from ..pofiles import ProjectCatalog, catalog_bytes, now, read_catalog

REVIEWED_BY = "X-Reviewed-By"
REVIEWED_DATE = "X-Reviewed-Date"
REVIEWED_CONTENT = "X-Reviewed-Content"
REVIEW_HEADERS = (REVIEWED_BY, REVIEWED_DATE, REVIEWED_CONTENT)
#: Longest reviewer (``Name <email>``) accepted: 100 for the name, 254 for the address (RFC 5321).
MAX_REVIEWER = 360
#: ``Name <local@domain.tld>``: a name without angle brackets or "@", one address, nothing after it.
_REVIEWER = re.compile(
    r"(?P<name>[^<>@\s](?:[^<>@]*[^<>@\s])?) "
    r"<(?P<email>[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]+(?:\.[\w-]+)+)>"
)
#: Invisible format characters that reorder or hide text (bidi controls and the like).
#: ZWNJ and ZWJ (U+200C, U+200D) are allowed: names in Persian or Indic scripts need them.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def _unsafe_character(text: str) -> str | None:
    """The first character that has no place in a header value, as U+XXXX, else None.

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
    bad = _unsafe_character(reviewer)
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


def _set_header(catalog: ProjectCatalog, name: str, value: str) -> None:
    """Set a header field, refusing anything that could end its line and start another."""
    bad = _unsafe_character(name + value)
    if bad or ":" in name:
        raise LdnError(f"refusing to write header {name!r}: it contains {bad or 'a colon in its name'}")
    catalog.set_header(name, value)


@dataclass(frozen=True, slots=True)
class ReviewState:
    """Where a catalog stands with its qualified reviewer."""

    state: str
    """``reviewed``, ``outdated`` (content changed since sign-off) or ``unreviewed``."""
    reviewer: str | None
    """Who signed off, when anyone did."""
    date: str | None
    """When they signed off."""
    revision: str | None
    """The content hash they signed off."""
    translator: str
    """The catalog's ``Last-Translator``."""


def message_key(context: str | None, msgid: str | tuple[str, ...] | list[str]) -> str:
    """An opaque, stable key for one source message (its msgctxt and English msgid).

    The same English always gives the same key; the key does not reveal the
    English (a back-translator sees only the key).
    """
    singular = msgid[0] if isinstance(msgid, (tuple, list)) else msgid
    digest = hashlib.sha256(f"{context or ''}\x04{singular}".encode())
    return digest.hexdigest()[:16]


def content_hash(catalog: Catalog) -> str:
    """A short hash of every live msgid and msgstr, fuzzy flags included."""
    digest = hashlib.sha256()
    for message in sorted((m for m in catalog if m.id), key=lambda m: (str(m.context), str(m.id))):
        for part in (message.context or "", message.id, message.string, message.fuzzy):
            digest.update(repr(part).encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def review_state(catalog: ProjectCatalog) -> ReviewState:
    """The sign-off recorded in ``catalog``, checked against its current content."""
    reviewer = catalog.header(REVIEWED_BY) or None
    revision = catalog.header(REVIEWED_CONTENT) or None
    if reviewer is None:
        state = "unreviewed"
    else:
        state = "reviewed" if revision == content_hash(catalog) else "outdated"
    return ReviewState(
        state, reviewer, catalog.header(REVIEWED_DATE), revision, catalog.last_translator or ""
    )


def clear_outdated(catalog: ProjectCatalog) -> bool:
    """Drop a sign-off whose content changed; True when one was dropped."""
    if review_state(catalog).state != "outdated":
        return False
    catalog.extra_headers = [(k, v) for k, v in catalog.extra_headers if k not in REVIEW_HEADERS]
    return True


def sign_off(path: Path, locale: str, reviewer: str) -> None:
    """Record ``reviewer``'s sign-off of the catalog at ``path`` as it is now."""
    reviewer = check_reviewer(reviewer)
    catalog = read_catalog(path, locale)
    incomplete = [
        m
        for m in catalog
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    if incomplete:
        raise LdnError(
            f"{len(incomplete)} messages are untranslated or fuzzy: "
            "a reviewer signs off complete catalogs only",
            path,
        )
    _set_header(catalog, REVIEWED_BY, reviewer)
    _set_header(catalog, REVIEWED_DATE, now().strftime("%Y-%m-%d"))
    _set_header(catalog, REVIEWED_CONTENT, content_hash(catalog))
    data = catalog_bytes(catalog)
    if _read_back_headers(data, locale) != catalog.extra_headers:
        raise LdnError("the review header would not read back as written; catalog left unchanged", path)
    write_atomic(path, data)


def _read_back_headers(data: bytes, locale: str) -> list[tuple[str, str]]:
    """The extra header fields of the catalog ``data``, as the next reader will see them."""
    import io

    from babel.messages.pofile import PoFileParser

    catalog = ProjectCatalog(locale=locale)
    PoFileParser(catalog, abort_invalid=True).parse(io.BytesIO(data))
    return catalog.extra_headers
