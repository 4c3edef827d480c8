"""Review sign-off: :func:`sign_off` records it in a catalog's header; :func:`review_state` reads it.

A qualified reviewer signs off a catalog's exact content: the header gets
``X-Reviewed-By``, ``X-Reviewed-Date`` and ``X-Reviewed-Content`` (a hash of
every msgid and msgstr). When the English or a translation changes the hash no
longer matches, so the sign-off no longer counts, and ``update`` removes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from .errors import LdnError
from .files import write_atomic
from .pofiles import ProjectCatalog, catalog_bytes, now, read_catalog

REVIEWED_BY = "X-Reviewed-By"
REVIEWED_DATE = "X-Reviewed-Date"
REVIEWED_CONTENT = "X-Reviewed-Content"
REVIEW_HEADERS = (REVIEWED_BY, REVIEWED_DATE, REVIEWED_CONTENT)


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
    if "@" not in reviewer or not reviewer.strip():
        raise LdnError("give the reviewer as 'Name <email>'")
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
    catalog.set_header(REVIEWED_BY, reviewer.strip())
    catalog.set_header(REVIEWED_DATE, now().strftime("%Y-%m-%d"))
    catalog.set_header(REVIEWED_CONTENT, content_hash(catalog))
    write_atomic(path, catalog_bytes(catalog))
