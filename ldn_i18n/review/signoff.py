"""Sign-off per message: :func:`sign` adds a batch, :func:`review_state` says where a catalog stands
(the stored records are :mod:`.records`').

A qualified reviewer signs off messages, not files, in batches: one run of
``ldn-i18n review`` (or one press in the workbench) is one batch, kept whole in
``locale/<LL>/review/<domain>.json`` beside the catalog and signed with the
reviewer's OpenSSH key (:mod:`.signatures`). A batch binds its locale and
domain, the attestation she signed, the reviewer, her credential, a real
date (not in the future), and for each message its key (:func:`message_key`),
msgctxt, English, translation, every comment (``#`` and ``#.``: a ``# noqa``
added later voids it) and every flag. The record lives outside the .po file,
so nothing that rewrites a catalog can lose or forge it, and a plain
``git diff`` shows who signed what.

A message is *signed* while all it bound is unchanged; when the English
changes (its key changes; the old sign-off is found through the catalog's
``#|`` previous msgid) or anything else it bound is edited, that message alone
is pending again. A catalog is reviewed when every message is signed. A
signature that does not verify, a batch of another locale or domain, or a
reviewer who may not sign this language is an error naming the file and
line; an unsigned batch counts only where the policy says ``signatures:
optional``. The catalog-level sign-off of earlier versions (``X-Reviewed-*``
headers) counts nowhere: ``update`` removes it once, saying so, and a catalog
that still has one is an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from babel.messages.catalog import Catalog, Message

from ..errors import LdnError
from ..pofiles import ProjectCatalog, forms_of, header_field, message_key, msgstr_line, translated
from ..project import Project
from .people import MAX_CREDENTIAL, MAX_REVIEWER, check_credential, check_reviewer, same_person
from .records import (
    Records,
    SignOff,
    check_date,
    follow_changes,
    load_records,
    pair_hash,
    read_records,
    write_records,
)
from .signatures import ATTESTATION, NAMESPACE, canonical

#: What callers may take from here as before the records moved to :mod:`.records`.
__all__ = [
    "MAX_CREDENTIAL",
    "MAX_REVIEWER",
    "Records",
    "SignOff",
    "check_credential",
    "check_date",
    "check_reviewer",
    "follow_changes",
    "load_records",
    "message_key",
    "pair_hash",
    "read_records",
    "same_person",
    "write_records",
]

REVIEWED_BY = "X-Reviewed-By"
REVIEWED_DATE = "X-Reviewed-Date"
REVIEWED_CONTENT = "X-Reviewed-Content"
#: The catalog-level sign-off of earlier versions: counts nowhere (``update`` removes it once).
REVIEW_HEADERS = (REVIEWED_BY, REVIEWED_DATE, REVIEWED_CONTENT)
MessageState = Literal["signed", "new", "changed", "edited"]


def content_hash(catalog: Catalog) -> str:
    """A short hash of every live message: msgid, msgstr, comments and flags (a ``# noqa`` too)."""
    digest = hashlib.sha256()
    for message in sorted((m for m in catalog if m.id), key=lambda m: (str(m.context), str(m.id))):
        for part in (message.context or "", message.id, message.string, *bound(message)[3:]):
            digest.update(repr(part).encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def _english(message: Message) -> tuple[str, ...]:
    msgid = message.id
    return tuple(str(part) for part in (msgid if isinstance(msgid, (tuple, list)) else (msgid,)))


def bound(
    message: Message,
) -> tuple[str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What a sign-off of ``message`` binds: msgctxt, English, translation (NFC), comments, flags.

    Comments are the translator's (``#``) then the extracted ones (``#.``); flags are sorted.
    """
    comments = tuple(str(c) for c in (*message.user_comments, *message.auto_comments))
    return message.context, _english(message), forms_of(message), comments, tuple(sorted(message.flags))


@dataclass(frozen=True, slots=True)
class MessageReview:
    """Where one live message stands with its reviewer."""

    message: Message
    """The catalog message (English, translation, comments, location)."""
    key: str
    """:func:`message_key` of the message."""
    state: MessageState
    """``signed``; ``new`` (never signed); ``changed`` (English changed since its sign-off);
    ``edited`` (translation, comment or flag changed since its sign-off)."""
    signed: SignOff | None
    """The sign-off it has (signed) or had (changed, edited); None when new."""

    @property
    def pending(self) -> bool:
        return self.state != "signed"


@dataclass(frozen=True, slots=True)
class ReviewState:
    """Where a catalog stands with its qualified reviewers: a view of its messages' sign-offs."""

    state: str
    """``reviewed`` (every message signed), ``pending`` (some signed, some not) or ``unreviewed``."""
    signed: int
    """Messages whose current English and translation are signed."""
    pending: int
    """Messages still to sign: never signed, or changed or edited since their sign-off."""
    recheck: int
    """Of those, messages signed once and changed since (what a reviewer re-checks)."""
    reviewer: str | None
    """Who signed most recently, when anyone did."""
    reviewers: tuple[str, ...]
    """Everyone whose sign-off still counts, in order of their latest sign-off."""
    date: str | None
    """The latest sign-off date."""
    revision: str
    """A hash of the catalog's content (:func:`content_hash`)."""
    translator: str
    """The catalog's ``Last-Translator``."""
    unsigned: int = 0
    """Messages whose only sign-off is unsigned where signatures are required: they do not count."""


def refuse_review_headers(catalog: ProjectCatalog) -> None:
    """:class:`LdnError` at the header's line when ``catalog`` has a catalog-level sign-off of earlier
    versions: it counts nowhere, and ``update`` removes it."""
    for name in REVIEW_HEADERS:
        if catalog.header(name) is not None:
            path = getattr(catalog, "source_path", None)
            found = header_field(path.read_bytes(), name) if path is not None and path.is_file() else None
            raise LdnError(
                f"{name}: a catalog-level sign-off counts nowhere; run `ldn-i18n update` to remove it, "
                "then the reviewer signs each message with `ldn-i18n review`",
                path,
                found[0] if found else None,
            )


def message_reviews(catalog: ProjectCatalog, records: Records) -> list[MessageReview]:
    """Every live message of ``catalog`` with its review state, in file order."""
    refuse_review_headers(catalog)
    reviews = []
    for message in catalog:
        if not message.id:
            continue
        key = message_key(message.context, message.id)
        record = records.get(key)
        if record is not None:
            same = translated(message) and record.pair == pair_hash(*bound(message))
            reviews.append(MessageReview(message, key, "signed" if same else "edited", record))
            continue
        previous = message.previous_id
        old = None
        if previous:
            old = records.get(message_key(message.context, list(previous)))
        if old is None:
            old = records.earlier(key)
        reviews.append(MessageReview(message, key, "changed" if old else "new", old))
    return reviews


def review_state(catalog: ProjectCatalog, records: Records) -> ReviewState:
    """Where ``catalog`` stands: all messages signed, some, or none."""
    reviews = message_reviews(catalog, records)
    signed = [r for r in reviews if not r.pending]
    pending = len(reviews) - len(signed)
    recheck = sum(r.state in ("changed", "edited") for r in reviews)
    latest = sorted((r.signed for r in signed if r.signed), key=lambda s: s.date)
    reviewers = tuple(dict.fromkeys(s.reviewer for s in reversed(latest)))
    if not pending and reviews:
        state = "reviewed"
    elif signed or recheck:
        state = "pending"
    else:
        state = "unreviewed"
    return ReviewState(
        state=state,
        signed=len(signed),
        pending=pending,
        recheck=recheck,
        reviewer=latest[-1].reviewer if latest else None,
        reviewers=reviewers,
        date=latest[-1].date if latest else None,
        revision=content_hash(catalog),
        translator=catalog.last_translator or "",
        unsigned=sum(r.pending and r.key in records.unsigned for r in reviews),
    )


def catalog_review(project: Project, locale: str, domain: str) -> ReviewState:
    """Where ``locale``'s catalog ``domain`` stands, read now (a web page's or a test's one call)."""
    from ..pofiles import read_catalog

    catalog = read_catalog(project.po_path(locale, domain), locale)
    return review_state(catalog, load_records(project, locale, domain))


def migrate_legacy(catalog: ProjectCatalog) -> str | None:
    """Remove a catalog-level sign-off of earlier versions (``X-Reviewed-*`` headers) from ``catalog``.

    It counts nowhere, so nothing is recorded from it: what ``update`` says
    (returned, None when there was none) tells the reviewer to sign each message.
    """
    if not any(catalog.header(name) is not None for name in REVIEW_HEADERS):
        return None
    named = catalog.header(REVIEWED_BY) or "someone"
    legacy = {name.lower() for name in REVIEW_HEADERS}
    catalog.extra_headers = [(k, v) for k, v in catalog.extra_headers if k.lower() not in legacy]
    return (
        f"removed the catalog-level sign-off by {named[:80]} (X-Reviewed-* headers): it counts nowhere; "
        "the reviewer signs each message with `ldn-i18n review`"
    )


@dataclass(frozen=True, slots=True)
class Refusal:
    """A message a reviewer cannot sign yet, and why."""

    review: MessageReview
    """The message."""
    line: int
    """Its msgstr line in the catalog."""
    reason: str
    """``untranslated``, ``fuzzy`` or the check errors it has (``back-numbers`` included)."""


def sign(
    catalog: ProjectCatalog,
    lines: list[str],
    records: Records,
    batch: dict[str, str],
    signer: Callable[[bytes], str | None],
    messages: Literal["pending", "all"] = "pending",
    errors: dict[str, list[str]] | None = None,
    only: Collection[str] | None = None,
    shown: Mapping[str, str] | None = None,
) -> tuple[list[MessageReview], list[Refusal]]:
    """Add to ``records`` one batch signing the pending (or all) messages of ``catalog``.

    ``catalog`` and ``lines`` are the one snapshot the reviewer was shown;
    ``batch`` gives ``locale``, ``domain``, ``reviewer``, ``credential`` and ``date``;
    ``signer`` turns the batch's :func:`~.signatures.canonical` bytes into a
    signature (None: unsigned). ``errors`` maps a message key to the check
    errors it has; such a message, and an untranslated or fuzzy one, is
    refused (and named) while the others are signed; ``only`` limits the batch
    to those message keys. ``shown`` (message key -> the :func:`pair_hash` of
    what the reviewer read, as the workbench sends it) signs exactly those
    messages, each only while it is still what was shown; one changed since is
    refused with that reason. The caller writes ``records``. Returns what was
    signed and what was refused.
    """
    signed, refused, entries = [], [], []
    for review in message_reviews(catalog, records):
        if shown is not None:
            if review.key not in shown:
                continue
        elif (messages == "pending" and not review.pending) or (only is not None and review.key not in only):
            continue
        message = review.message
        line = msgstr_line(lines, message.lineno)
        reason = ""
        if shown is not None and shown[review.key] != pair_hash(*bound(message)):
            reason = "changed since it was shown to the reviewer: read it again"
        elif not all(forms_of(message)):
            reason = "untranslated"
        elif message.fuzzy:
            reason = "fuzzy"
        elif errors and errors.get(review.key):
            reason = "check errors: " + "; ".join(errors[review.key])
        if reason:
            refused.append(Refusal(review, line, reason))
            continue
        context, english, translation, comments, flags = bound(message)
        entries.append(
            {
                "key": review.key,
                "context": context,
                "english": list(english),
                "translation": list(translation),
                "comments": list(comments),
                "flags": list(flags),
            }
        )
        signed.append(review)
    if entries:
        payload = {"namespace": NAMESPACE, "attestation": ATTESTATION, **batch, "messages": entries}
        records.batches.append({"signature": signer(canonical(payload)), "signed": payload})
    return signed, refused
