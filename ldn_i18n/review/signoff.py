"""Sign-off per message: :func:`sign` records it; :func:`review_state` says where a catalog stands.

A qualified reviewer signs off messages, not files. Each sign-off records the
English and the translation it covers (and a hash of the pair), the reviewer,
their credential and the date, in ``locale/<LL>/review/<domain>.json`` beside
the catalog, keyed by :func:`message_key` (the message's msgctxt and English).
The record lives outside the .po file, so nothing that rewrites a catalog
(``update``, Poedit, Weblate, ``msgcat`` rewrapping) can lose or forge it,
and a plain ``git diff`` shows who signed what.

A message is *signed* while its English and translation are those signed;
when the English changes (its key changes; the old sign-off is found through
the catalog's ``#|`` previous msgid) or the translation is edited, that
message alone is pending again. A catalog is reviewed when every message is
signed. A catalog-level sign-off written by earlier versions
(``X-Reviewed-*`` headers) still counts while the content it hashed is
unchanged, and ``update`` migrates it to per-message records.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message

from ..errors import LdnError
from ..files import write_atomic
from ..pofiles import ProjectCatalog, msgstr_line, now, translated
from ..project import records_path
from ..text import nfc

REVIEWED_BY = "X-Reviewed-By"
REVIEWED_DATE = "X-Reviewed-Date"
REVIEWED_CONTENT = "X-Reviewed-Content"
#: The catalog-level sign-off of earlier versions (read, then migrated by ``update``).
REVIEW_HEADERS = (REVIEWED_BY, REVIEWED_DATE, REVIEWED_CONTENT)
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

MessageState = Literal["signed", "new", "changed", "edited"]


def _unsafe_character(text: str) -> str | None:
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


def check_credential(credential: str) -> str:
    """``credential`` as it will be recorded, or :class:`LdnError` (control characters, too long)."""
    bad = _unsafe_character(credential)
    if bad:
        raise LdnError(f"the credential contains a control or invisible character ({bad})")
    value = " ".join(credential.split())
    if len(value) > MAX_CREDENTIAL:
        raise LdnError(f"the credential is longer than {MAX_CREDENTIAL} characters")
    return value


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


def _strings(message: Message) -> tuple[str, ...]:
    """A message's translation(s) in NFC (a plural message has one per form)."""
    string = message.string
    forms = string if isinstance(string, (tuple, list)) else (string,)
    return tuple(nfc(str(form or "")) for form in forms)


def _english(message: Message) -> tuple[str, ...]:
    msgid = message.id
    return tuple(str(part) for part in (msgid if isinstance(msgid, (tuple, list)) else (msgid,)))


def pair_hash(context: str | None, english: Iterable[str], translation: Iterable[str]) -> str:
    """A short hash of one message's English and translation: what a sign-off covers."""
    payload = json.dumps([context or "", list(english), list(translation)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class SignOff:
    """One reviewer's sign-off of one message."""

    key: str
    """:func:`message_key` of the message."""
    context: str | None
    """The message's msgctxt."""
    english: tuple[str, ...]
    """The English signed (msgid, and msgid_plural for a plural message)."""
    translation: tuple[str, ...]
    """The translation signed (one string per plural form), NFC."""
    reviewer: str
    """``Name <email>`` of the qualified reviewer."""
    credential: str
    """The reviewer's credential as they gave it ('' when none)."""
    date: str
    """ISO date of the sign-off."""

    @property
    def pair(self) -> str:
        return pair_hash(self.context, self.english, self.translation)


@dataclass(frozen=True, slots=True)
class MessageReview:
    """Where one live message stands with its reviewer."""

    message: Message
    """The catalog message (English, translation, comments, location)."""
    key: str
    """:func:`message_key` of the message."""
    state: MessageState
    """``signed``; ``new`` (never signed); ``changed`` (English changed since its sign-off);
    ``edited`` (translation changed since its sign-off)."""
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
    """A hash of the catalog's content (every msgid and msgstr)."""
    translator: str
    """The catalog's ``Last-Translator``."""


class Records(dict[str, SignOff]):
    """The sign-offs of one catalog by message key, and which message follows which.

    ``follows`` maps the key of a message whose English changed to the key it
    had before, as ``update`` saw it (``#|``): an editor that drops the ``#|``
    line when the translator clears the fuzzy flag (Poedit does) must not
    make a changed message look new.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.follows: dict[str, str] = {}

    def earlier(self, key: str) -> SignOff | None:
        """The sign-off of the message ``key`` was before its English changed (any number of times)."""
        seen = set()
        while key in self.follows and key not in seen:
            seen.add(key)
            key = self.follows[key]
            if key in self:
                return self[key]
        return None


def read_records(path: Path) -> Records:
    """The sign-offs in ``path`` by key (none when the file does not exist); errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Records()
    except (OSError, UnicodeDecodeError) as exc:
        raise LdnError(f"cannot read sign-off records: {exc}", path) from None
    try:
        data = json.loads(text)
        records = Records()
        records.follows = {str(k): str(v) for k, v in data.get("follows", {}).items()}
        for key, entry in data["messages"].items():
            try:
                record = _record(str(key), entry)
            except LdnError as exc:
                line = text[: text.find(json.dumps(str(key)))].count("\n") + 1
                raise LdnError(f"sign-off of message {key}: {exc.message}", path, line) from None
            records[record.key] = record
        return records
    except json.JSONDecodeError as exc:
        raise LdnError(f"sign-off records are not valid JSON: {exc.msg}", path, exc.lineno) from None
    except RecursionError:
        raise LdnError("sign-off records are nested too deeply to be a record", path) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise LdnError(f"sign-off records do not have the expected shape ({exc})", path) from None


def _record(key: str, entry: dict[str, object]) -> SignOff:
    """One stored sign-off, every field checked as ``review`` checks what it records."""
    english, translation = entry["english"], entry["translation"]
    if not (isinstance(english, list) and isinstance(translation, list)):
        raise LdnError("english and translation must be lists of text")
    if not all(isinstance(t, str) for t in [*english, *translation]):
        raise LdnError("english and translation must be lists of text")
    context = entry.get("context")
    if context is not None and not isinstance(context, str):
        raise LdnError("context must be text")
    if message_key(context, english) != key:
        raise LdnError("its key is not the key of the English it names")
    date = str(entry["date"])
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise LdnError(f"date {date[:20]!r} is not YYYY-MM-DD")
    return SignOff(
        key=key,
        context=context,
        english=tuple(english),
        translation=tuple(translation),
        reviewer=check_reviewer(str(entry["reviewer"])),
        credential=check_credential(str(entry.get("credential", ""))),
        date=date,
    )


def write_records(path: Path, records: dict[str, SignOff]) -> bool:
    """Write ``records`` (sorted, one message per entry, and what follows what) to ``path``.

    True when the file changed.
    """
    entries = {}
    for key in sorted(records):
        entry = asdict(records[key])
        del entry["key"]
        entry["english"], entry["translation"] = list(entry["english"]), list(entry["translation"])
        entries[key] = entry
    data: dict[str, object] = {"version": 1, "messages": entries}
    follows = getattr(records, "follows", {})
    if follows:
        data["follows"] = dict(sorted(follows.items()))
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return write_atomic(path, text + "\n")


def _legacy(catalog: ProjectCatalog) -> tuple[str, str] | None:
    """The catalog-level sign-off of earlier versions, when its content is unchanged."""
    reviewer = catalog.header(REVIEWED_BY)
    if reviewer and catalog.header(REVIEWED_CONTENT) == content_hash(catalog):
        return reviewer, catalog.header(REVIEWED_DATE) or ""
    return None


def _records_of(catalog: ProjectCatalog) -> Records:
    path = getattr(catalog, "source_path", None)
    return read_records(records_path(path)) if path is not None else Records()


def message_reviews(
    catalog: ProjectCatalog, records: dict[str, SignOff] | None = None
) -> list[MessageReview]:
    """Every live message of ``catalog`` with its review state, in file order."""
    records = _records_of(catalog) if records is None else records
    legacy = _legacy(catalog)
    reviews = []
    for message in catalog:
        if not message.id:
            continue
        key = message_key(message.context, message.id)
        english, translation = _english(message), _strings(message)
        record = records.get(key)
        if record is None and legacy is not None and translated(message):
            record = SignOff(key, message.context, english, translation, legacy[0], "", legacy[1])
        if record is not None:
            same = translated(message) and record.pair == pair_hash(message.context, english, translation)
            reviews.append(MessageReview(message, key, "signed" if same else "edited", record))
            continue
        previous = message.previous_id
        old = None
        if previous:
            old = records.get(message_key(message.context, list(previous)))
        if old is None and isinstance(records, Records):
            old = records.earlier(key)
        reviews.append(MessageReview(message, key, "changed" if old else "new", old))
    return reviews


def review_state(catalog: ProjectCatalog, records: dict[str, SignOff] | None = None) -> ReviewState:
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
    )


def follow_changes(catalog: ProjectCatalog, po_path: Path) -> bool:
    """Remember, for each message whose English just changed (``#|``), the key it had.

    Called by ``update`` after a merge; only catalogs with sign-offs are
    touched. True when the records file changed.
    """
    path = records_path(po_path)
    if not path.is_file():
        return False
    records = read_records(path)
    before = dict(records.follows)
    for message in catalog:
        if message.id and message.previous_id:
            key = message_key(message.context, message.id)
            old = message_key(message.context, list(message.previous_id))
            if old != key and key not in records and (old in records or old in records.follows):
                records.follows[key] = old
    return records.follows != before and write_records(path, records)


def migrate_legacy(catalog: ProjectCatalog, po_path: Path) -> bool:
    """Turn an earlier catalog-level sign-off into per-message records; drop its headers.

    A sign-off whose content still matches becomes one record per usable
    message; one whose content changed is dropped. True when headers changed.
    """
    if not catalog.header(REVIEWED_BY) and not catalog.header(REVIEWED_CONTENT):
        return False
    if _legacy(catalog) is not None:
        path = records_path(po_path)
        records = read_records(path)
        for review in message_reviews(catalog, records):
            if review.state == "signed" and review.key not in records and review.signed:
                records[review.key] = review.signed
        write_records(path, records)
    catalog.extra_headers = [(k, v) for k, v in catalog.extra_headers if k not in REVIEW_HEADERS]
    return True


@dataclass(frozen=True, slots=True)
class Refusal:
    """A message a reviewer cannot sign yet, and why."""

    review: MessageReview
    """The message."""
    line: int
    """Its msgstr line in the catalog."""
    reason: str
    """``untranslated``, ``fuzzy`` or the check errors it has."""


def sign(
    po_path: Path,
    locale: str,
    reviewer: str,
    credential: str = "",
    messages: Literal["pending", "all"] = "pending",
    errors: dict[int, list[str]] | None = None,
    shown: dict[str, str] | None = None,
) -> tuple[list[MessageReview], list[Refusal]]:
    """Record ``reviewer``'s sign-off of the catalog's pending (or all) messages.

    ``errors`` maps a msgstr line to the check errors found there; such a
    message, and an untranslated or fuzzy one, is refused (and named) while the
    others are signed. With ``shown`` (message key -> :func:`pair_hash` of the
    English and translation the reviewer read), only those messages are signed,
    each only while it is still exactly the text shown; one changed since is
    refused with that reason. Returns what was signed and what was refused.
    """
    from ..pofiles import read_catalog

    reviewer = check_reviewer(reviewer)
    credential = check_credential(credential)
    catalog = read_catalog(po_path, locale)
    lines = po_path.read_text(encoding="utf-8").splitlines()
    path = records_path(po_path)
    records = read_records(path)
    signed, refused = [], []
    today = now().strftime("%Y-%m-%d")
    reviews = message_reviews(catalog, records)
    for review in reviews:  # an earlier catalog-level sign-off becomes records first
        if review.state == "signed" and review.signed and review.key not in records:
            records[review.key] = review.signed
    for review in reviews:
        if shown is not None and review.key not in shown:
            continue
        if shown is None and messages == "pending" and not review.pending:
            continue
        message = review.message
        line = msgstr_line(lines, message.lineno)
        reason = ""
        if shown is not None and shown[review.key] != pair_hash(
            message.context, _english(message), _strings(message)
        ):
            reason = "changed since it was shown to the reviewer: read it again"
        elif not all(_strings(message)):
            reason = "untranslated"
        elif message.fuzzy:
            reason = "fuzzy"
        elif errors and errors.get(line):
            reason = "check errors: " + "; ".join(errors[line])
        if reason:
            refused.append(Refusal(review, line, reason))
            continue
        records[review.key] = SignOff(
            review.key, message.context, _english(message), _strings(message), reviewer, credential, today
        )
        signed.append(review)
    if signed:
        write_records(path, records)
    return signed, refused
