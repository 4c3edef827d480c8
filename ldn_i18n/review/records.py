"""The stored sign-offs: :func:`read_records` / :func:`load_records` (a records file -> :class:`Records`),
:func:`write_records`, and what each record holds (:class:`SignOff`) and how it is checked.

``locale/<LL>/review/<domain>.json`` (version 2) is a list of batches, each
``{"signed": {...}, "signature": "-----BEGIN SSH SIGNATURE-----..." | null}``;
``signed`` holds the namespace, the attestation, locale, domain, reviewer,
credential, date and the messages (key, msgctxt, English, translation,
comments, flags), and the signature covers its
:func:`~.signatures.canonical` bytes. A later batch's sign-off of a message
replaces an earlier one's; every batch stays, so ``git log`` shows who signed
what. Version 1 files (unsigned messages of earlier versions) are read as
unsigned batches. :mod:`.signoff` says where a catalog stands from these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import LdnError
from ..files import write_atomic
from ..memory import from_memory
from ..pofiles import ProjectCatalog, message_key
from ..policy import read_policy
from ..project import Project, records_path
from .people import check_credential, check_reviewer
from .signatures import NAMESPACE, Trust, canonical, read_reviewers, verify_payload

#: How a sign-off that counts was made: signed with a key in source/reviewers, or unsigned
#: (counts only where the policy says ``signatures: optional``).
Signature = Literal["verified", "unsigned"]
#: Version of the sign-off records file (1: unsigned messages of earlier versions, read as unsigned).
RECORDS_VERSION = 2


def pair_hash(
    context: str | None,
    english: Collection[str],
    translation: Collection[str],
    comments: Collection[str] = (),
    flags: Collection[str] = (),
) -> str:
    """A short hash of all a sign-off of one message covers."""
    payload = json.dumps(
        [context or "", list(english), list(translation), list(comments), list(flags)], ensure_ascii=False
    )
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
    """The reviewer's credential as signed ('' when none)."""
    date: str
    """ISO date of the sign-off (a real date, not in the future)."""
    comments: tuple[str, ...] = ()
    """The message's comments when signed (``#`` then ``#.``)."""
    flags: tuple[str, ...] = ()
    """The message's flags when signed, sorted."""
    signature: Signature = "unsigned"
    """``verified`` (signed with the reviewer's key in source/reviewers) or ``unsigned``."""
    attestation: str = ""
    """What the reviewer attested by signing (:data:`~.signatures.ATTESTATION` when she signed it)."""

    @property
    def pair(self) -> str:
        return pair_hash(self.context, self.english, self.translation, self.comments, self.flags)


class Records(dict[str, SignOff]):
    """The sign-offs that count in one catalog by message key (the latest batch wins), the
    batches as stored, and which message follows which.

    ``follows`` maps the key of a message whose English changed to the key it
    had before, as ``update`` saw it (``#|``): an editor that drops the ``#|``
    line when the translator clears the fuzzy flag (Poedit does) must not
    make a changed message look new.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.follows: dict[str, str] = {}
        self.batches: list[dict[str, Any]] = []
        self.unsigned: dict[str, SignOff] = {}

    def earlier(self, key: str) -> SignOff | None:
        """The sign-off of the message ``key`` was before its English changed (any number of times)."""
        seen = set()
        while key in self.follows and key not in seen:
            seen.add(key)
            key = self.follows[key]
            if key in self:
                return self[key]
        return None


def read_records(path: Path, locale: str, domain: str, trust: Trust) -> Records:
    """The sign-offs of ``locale``'s catalog ``domain`` stored in ``path`` (none when it does not exist).

    Every batch is checked (module docstring); a problem raises :class:`LdnError` naming the file and line.
    """
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
        if data.get("version") == 1:  # unsigned messages of earlier versions
            batches = [_v1_batch(key, entry, locale, domain) for key, entry in data["messages"].items()]
        elif data.get("version") == RECORDS_VERSION:
            batches = list(data["batches"])
        else:
            raise LdnError(
                f"sign-off records of version {data.get('version')!r} (this version reads 1 and 2)"
            )
    except json.JSONDecodeError as exc:
        raise LdnError(f"sign-off records are not valid JSON: {exc.msg}", path, exc.lineno) from None
    except RecursionError:
        raise LdnError("sign-off records are nested too deeply to be a record", path) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise LdnError(f"sign-off records do not have the expected shape ({exc})", path) from None
    except LdnError as exc:
        raise LdnError(exc.message, path, 1) from None
    records.batches = batches
    at = 0
    for batch in batches:
        at = max(text.find('"signature"', at + 1), at)
        try:
            signoffs = _batch(batch, locale, domain, trust)
        except LdnError as exc:
            raise LdnError(exc.message, path, text.count("\n", 0, max(at, 0)) + 1) from None
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            line = text.count("\n", 0, max(at, 0)) + 1
            raise LdnError(f"a sign-off batch does not have the expected shape ({exc})", path, line) from None
        for signoff in signoffs:
            target = records if signoff.signature == "verified" or not trust.required else records.unsigned
            target[signoff.key] = signoff
            if target is records:
                records.unsigned.pop(signoff.key, None)
    return records


def load_records(project: Project, locale: str, domain: str) -> Records:
    """The sign-offs that count in ``locale``'s catalog ``domain``, checked against the project's
    reviewers and policy (:func:`~.signatures.trust`); errors name the file and line."""

    path = records_path(project.po_path(locale, domain))
    return read_records(path, locale, domain, trust(project, locale))


def _v1_batch(key: str, entry: dict[str, Any], locale: str, domain: str) -> dict[str, Any]:
    """A message of a version 1 file as an unsigned batch of its own."""
    message = {k: entry.get(k) for k in ("context", "english", "translation")}
    fields = {k: entry.get(k) for k in ("reviewer", "credential", "date")}
    signed = {"namespace": NAMESPACE, "attestation": "", "locale": locale, "domain": domain, **fields}
    return {"signature": None, "signed": {**signed, "messages": [{"key": key, **message}]}}


def _text_list(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LdnError(f"{what} must be a list of text")
    return tuple(value)


def check_date(date: object) -> str:
    """``date`` when it is a real ``YYYY-MM-DD`` date not after today (UTC, a day's grace for time
    zones), else :class:`LdnError`."""
    text = str(date)
    try:
        day = dt.date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        raise LdnError(f"date {text[:20]!r} is not a real date written YYYY-MM-DD")
    if day > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1):
        raise LdnError(f"date {text} is in the future")
    return text


def _batch(batch: dict[str, Any], locale: str, domain: str, trust: Trust) -> list[SignOff]:
    """The sign-offs of one stored batch, every field checked; its signature verified when it has one."""
    signed, signature = batch["signed"], batch["signature"]
    if signed.get("namespace") != NAMESPACE:
        raise LdnError(
            f"a sign-off batch of namespace {str(signed.get('namespace'))[:40]!r}, not {NAMESPACE}"
        )
    if (signed["locale"], signed["domain"]) != (locale, domain):
        raise LdnError(
            f"a sign-off batch of {str(signed['locale'])[:20]}/{str(signed['domain'])[:60]} "
            f"in the records of {locale}/{domain}: sign-offs are not copied between catalogs"
        )
    reviewer = check_reviewer(str(signed["reviewer"]))
    credential = check_credential(str(signed.get("credential") or ""))
    date = check_date(signed["date"])
    state: Signature = "unsigned"
    if signature is not None:
        if not isinstance(signature, str):
            raise LdnError("a signature must be the text ssh-keygen -Y sign wrote")
        email = reviewer.rsplit("<", 1)[1].rstrip(">")
        problem = verify_payload(canonical(signed), signature, trust.reviewers, email)
        if problem:
            raise LdnError(f"the sign-off batch of {reviewer} ({date}) does not verify: {problem}")
        listed = trust.reviewers.find(email)
        if listed is not None and locale not in listed.languages:
            raise LdnError(
                f"{email} may sign off {', '.join(listed.languages)} only, not {locale} "
                f"(source/reviewers:{listed.line})"
            )
        state = "verified"
    signoffs = []
    for message in signed["messages"]:
        english = _text_list(message["english"], "english")
        context = message.get("context")
        if context is not None and not isinstance(context, str):
            raise LdnError("context must be text")
        key = str(message["key"])
        if message_key(context, english) != key:
            raise LdnError(f"message {key[:20]}: its key is not the key of the English it names")
        signoffs.append(
            SignOff(
                key,
                context,
                english,
                _text_list(message["translation"], "translation"),
                reviewer,
                credential,
                date,
                _text_list(message.get("comments", []), "comments"),
                _text_list(message.get("flags", []), "flags"),
                state,
                str(signed.get("attestation") or ""),
            )
        )
    return signoffs


def write_records(path: Path, records: Records) -> bool:
    """Write the batches of ``records`` and what follows what to ``path``; True when the file changed."""
    data: dict[str, object] = {"version": RECORDS_VERSION, "batches": records.batches}
    if records.follows:
        data["follows"] = dict(sorted(records.follows.items()))
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return write_atomic(path, text + "\n")


def follow_changes(catalog: ProjectCatalog, po_path: Path) -> bool:
    """Remember, for each message whose English just changed (``#|``), the key it had.

    Called by ``update`` after a merge; only catalogs with sign-offs are
    touched (the file's batches are kept as they are). True when the file changed.
    """
    path = records_path(po_path)
    if not path.is_file():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        follows: dict[str, str] = dict(data.get("follows", {}))
        known = {m["key"] for b in data.get("batches", []) for m in b["signed"]["messages"]}
        known |= set(data.get("messages", {}))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False  # status and build report the file
    before = dict(follows)
    for message in catalog:
        if message.id and message.previous_id and not from_memory(message):  # a match's #| is not its history
            key = message_key(message.context, message.id)
            old = message_key(message.context, list(message.previous_id))
            if old != key and key not in known and (old in known or old in follows):
                follows[key] = old
    if follows == before:
        return False
    data["follows"] = dict(sorted(follows.items()))
    return write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def trust(project: Project, locale: str) -> Trust:
    """What makes a sign-off of ``locale`` count: the reviewers, and whether signatures are required."""
    reviewers = read_reviewers(project)
    required = read_policy(project).for_locale(locale).signatures
    return Trust(reviewers, reviewers.exists if required is None else required)
