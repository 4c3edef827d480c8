"""The workbench's one door to the sign-off library: :func:`decide` (a reviewer's decisions on
one catalog -> :class:`Decisions`), :func:`shown_version` and :func:`reviewer_of`.

Signing is ``ldn-i18n review``'s own :func:`~ldn_i18n.review.signing.sign_catalogs`, with the
pair hash of each row the reviewer read (:func:`~ldn_i18n.review.signoff.pair_hash`), so a row
changed after the page loaded is refused with that reason. Sign-offs are signed with the
reviewer's SSH key (ssh-agent, or ``ldn-i18n serve --key PATH``) and checked against
``source/reviewers`` as ``ldn-i18n review`` does (docs/review.md).

Per row, the reviewer decides one of:

- *accept*: sign it off;
- *needs change*: a comment for the translator, kept in the catalog as a translator comment
  (``# review: ...``), which Poedit and the translator's page show; the row stays pending;
- *still correct*: the English changed and the translation is still right: the fuzzy flag
  ``update`` set is cleared (no trip through Poedit), the back-translation made from that same
  translation follows the message (:func:`~ldn_i18n.review.back.keep_back`), and it is signed.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from babel.messages.catalog import Message

from ..errors import LdnError
from ..pofiles import forms_of, now
from ..review.back import keep_back
from ..review.people import unsafe_character
from ..review.signing import check_signer, sign_catalogs
from ..review.signoff import (
    bound,
    check_credential,
    check_reviewer,
    load_records,
    message_reviews,
    pair_hash,
)
from .workbench import COMMENT_PREFIX

if TYPE_CHECKING:
    from .workbench import Workbench

#: Longest comment kept for the translator.
MAX_COMMENT = 1000
#: Width of each comment line after the prefix (the whole ``# review: ...`` line stays under 76).
COMMENT_WIDTH = 60


@dataclass(slots=True)
class Decisions:
    """What one catalog's decisions did."""

    signed: list[str] = field(default_factory=list)
    """Keys signed off."""
    refused: dict[str, str] = field(default_factory=dict)
    """Keys not signed, each with why (check errors, fuzzy, changed since shown...)."""
    commented: list[str] = field(default_factory=list)
    """Keys whose comment for the translator was written."""
    silenced: list[str] = field(default_factory=list)
    """Check findings a ``# noqa`` silenced in the catalog, for the reviewer to confirm."""


def shown_version(message: Message) -> str:
    """What the reviewer reads of a message: the hash of all a sign-off binds (:func:`bound`)."""
    return pair_hash(*bound(message))


def reviewer_of(name: str, email: str) -> str:
    """``Name <email>`` as ``review`` records it, from the two fields of the page (any quotes welcome)."""
    return check_reviewer(f"{' '.join(name.split())} <{email.strip()}>")


def _comment(text: str, reviewer: str) -> list[str]:
    """A reviewer's comment as translator comment lines, each starting ``review:`` and short
    enough that no editor re-wraps it (so no word of it can start a line, ``noqa`` included)."""
    flat = " ".join(text.split())
    bad = unsafe_character(flat)  # the one rule of what a record may not hold
    if bad:
        raise LdnError(f"the comment contains a control or invisible character ({bad})")
    if len(flat) > MAX_COMMENT:
        raise LdnError(f"a comment is longer than {MAX_COMMENT} characters")
    name = reviewer.split(" <", 1)[0]
    signed = f"{flat} ({name}, {now().strftime('%Y-%m-%d')})"
    return [
        f"{COMMENT_PREFIX} {line}" for line in textwrap.wrap(signed, COMMENT_WIDTH, break_long_words=True)
    ]


def decide(
    workbench: Workbench,
    locale: str,
    domain: str,
    reviewer: str,
    credential: str,
    accept: dict[str, str],
    comments: dict[str, str],
    still_correct: dict[str, str] | None = None,
) -> Decisions:
    """Apply one reviewer's decisions to ``locale``/``domain``; each dict maps a message key to the
    :func:`shown_version` the reviewer read (comments: to the text). Unknown keys raise
    :class:`~.workbench.NotFound` before anything is written."""
    from .workbench import NotFound

    reviewer = check_reviewer(reviewer)
    credential = check_credential(credential)
    still_correct, accept = still_correct or {}, dict(accept)
    loaded = workbench.load(locale, domain)
    messages = loaded.messages()
    for key in [*accept, *comments, *still_correct]:
        if key not in messages:
            raise NotFound(f"no message {key!r} in {locale}/{domain}")
    if (accept or still_correct) and not workbench.signing:
        raise LdnError(
            "sign-offs are signed only on the reviewer's own machine: this workbench listens on the "
            "network (--host), where anyone with its address could sign with her key; run "
            "`ldn-i18n serve` on 127.0.0.1 to sign"
        )
    # Who she is, checked before anything is written on her behalf (comments, still correct).
    reviewer = check_signer(workbench.project, locale, reviewer, credential or None, workbench.key)
    texts = {key: _comment(text, reviewer) for key, text in comments.items() if text.strip()}
    done = Decisions()
    reviews = {
        r.key: r for r in message_reviews(loaded.catalog, load_records(workbench.project, locale, domain))
    }
    for key, shown in still_correct.items():
        message, review = messages[key], reviews[key]
        if shown_version(message) != shown:
            done.refused[key] = "changed since it was shown to the reviewer: read it again"
            continue
        if review.state != "changed" or review.signed is None:
            done.refused[key] = "its English did not change since a sign-off: accept it instead"
            continue
        if review.signed.translation != forms_of(message):
            done.refused[key] = "the translation changed too: read it and accept it"
            continue
        # She signs what she read with the fuzzy flag cleared (a sign-off binds flags): the hash of
        # that, never of the file as it is after the save, which another editor may have changed.
        context, english, forms, notes, flags = bound(message)
        accept[key] = pair_hash(context, english, forms, notes, tuple(f for f in flags if f != "fuzzy"))
        workbench.save(locale, domain, key, forms_of(message), None, fuzzy=False)
        keep_back(workbench.project, locale, domain, review.signed.key, key, forms_of(message)[0])
    for key, text in texts.items():

        def add(message: Message, lines: list[str] = text) -> None:
            kept = [c for c in message.user_comments if not c.startswith(COMMENT_PREFIX)]
            message.user_comments = [*kept, *lines]

        current = workbench.load(locale, domain).messages()[key]
        workbench.save(locale, domain, key, forms_of(current), None, fuzzy=None, comment=add)
        done.commented.append(key)
    wanted = {key: shown for key, shown in accept.items() if key not in done.refused}
    if wanted:
        report = sign_catalogs(
            workbench.project,
            locale,
            reviewer,
            credential or None,
            "all",
            domains=[domain],
            key=workbench.key,
            shown=wanted,
        )
        for catalog in report.catalogs:
            done.signed += [r.key for r in catalog.signed]
            done.refused.update({r.review.key: r.reason for r in catalog.refused})
            done.silenced += [str(f) for f in catalog.silenced]
        workbench.announce({"kind": "catalog", "locale": locale, "domain": domain, "keys": done.signed})
    return done
