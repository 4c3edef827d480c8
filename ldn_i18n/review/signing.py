"""What a reviewer may sign: :func:`sign_catalogs` (a locale's catalogs -> :class:`SigningReport`).

The rules of ``ldn-i18n review`` (and of the workbench's sign-off), checked
before anything is recorded:

- every catalog named is a domain of the project (a name, never a path) with a catalog;
- the reviewer is one of ``source/reviewers`` for this language, and signs with
  her key (``key``, or ssh-agent); her name and credential are the file's. Only
  where the policy says ``signatures: optional`` may someone not listed sign,
  unsigned, as a plain ``Name <email>``;
- with the policy's ``independent: required`` (the default), she is neither
  the catalog's translator (``Last-Translator``) nor its back-translator;
- with ``revisions`` (the content hash printed on the review pack), every
  catalog still has one of them: she signs what the pack showed;
- no catalog has a check error about the file as a whole (syntax, msgfmt...).

Everything is read once, under the locale's lock (:func:`locale_lock`), into a
snapshot: the checks, the revision and the batch signed are all of that
snapshot, so a translation saved meanwhile is not signed unseen (it is simply
pending afterwards). A message that is untranslated, fuzzy, or has a check
error (``back-numbers`` of its back-translation included) is refused and named
while the others are signed. Findings silenced by a ``# noqa`` are reported
so that the reviewer confirms each reason; the ``# noqa`` itself is part of
what she signs.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..check import Finding, check_back_catalog, check_catalog, load_rules
from ..errors import LdnError
from ..files import relative
from ..pofiles import ProjectCatalog, msgstr_line, read_catalog
from ..project import Project, records_path
from .records import trust
from .signatures import Reviewer, sign_payload
from .signoff import (
    MessageReview,
    Records,
    Refusal,
    check_credential,
    check_reviewer,
    content_hash,
    message_key,
    read_records,
    same_person,
    sign,
    write_records,
)

#: What a reviewer signs: the messages pending review, or every message again.
MESSAGE_CHOICES = ("pending", "all")


@dataclass(frozen=True, slots=True)
class CatalogSigning:
    """What one catalog's sign-off recorded and refused."""

    domain: str
    """Handout slug, ``templates`` or ``notice``."""
    path: Path
    """The .po file."""
    signed: list[MessageReview]
    """Messages signed now (as they stood before: ``new``, ``changed``, ``edited`` or ``signed``)."""
    refused: list[Refusal]
    """Messages not signed, each with its msgstr line and why."""
    silenced: list[Finding]
    """Check findings a ``# noqa`` silenced in the catalog: signed knowingly, the reason to confirm."""
    changed: bool = False
    """Whether the file changed while it was being signed (what was signed is the snapshot shown)."""


@dataclass(frozen=True, slots=True)
class SigningReport:
    """What one ``review`` of a locale did, catalog by catalog."""

    locale: str
    """The locale reviewed."""
    reviewer: str
    """``Name <email>`` as recorded."""
    catalogs: list[CatalogSigning]
    """One entry per catalog, in the order signed."""
    signature: str = "unsigned"
    """``verified`` when the batches are signed with the reviewer's key, else ``unsigned``."""

    @property
    def refused(self) -> bool:
        """Whether any message was refused (``review`` then exits 1)."""
        return any(catalog.refused for catalog in self.catalogs)


def check_messages(messages: str) -> Literal["pending", "all"]:
    """``messages`` when it is one of :data:`MESSAGE_CHOICES`, else :class:`LdnError`."""
    if messages == "pending":
        return "pending"
    if messages == "all":
        return "all"
    raise LdnError(f"sign the messages 'pending' or 'all', not {messages!r}")


def check_domains(project: Project, locale: str, domains: list[str] | None) -> list[str]:
    """The domains to sign: each one named (a domain name, never a path) or every one with a catalog."""
    known = project.domains()
    for domain in domains or []:
        if domain not in known:
            raise LdnError(f"no domain {domain[:80]!r}: give a domain name, one of {', '.join(known)}")
        if not project.po_path(locale, domain).is_file():
            raise LdnError(f"no catalog {domain}.po for locale {locale!r}")
    found = (
        list(dict.fromkeys(domains))
        if domains
        else [d for d in known if project.po_path(locale, d).is_file()]
    )
    if not found:
        raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    return found


@contextmanager
def locale_lock(project: Project, locale: str) -> Iterator[None]:
    """Hold the lock of ``locale``'s catalogs and sign-offs (``locale/<LL>/review/.lock``) while the
    block runs: a sign-off and anything else that takes it (the workbench's saves) never interleave."""
    folder = records_path(project.po_path(locale, "x")).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LdnError(f"cannot take the sign-off lock: {exc.strerror}", folder) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """One catalog as read once: its bytes, parsed, and its check findings."""

    domain: str
    path: Path
    data: bytes
    catalog: ProjectCatalog
    lines: list[str]
    findings: list[Finding]
    errors: dict[str, list[str]]
    back_translator: str
    back_silenced: list[Finding]


def _snapshot(project: Project, locale: str, domain: str, folder: Path) -> _Snapshot:
    """Copy the catalog (and its back catalog) into ``folder`` once, and read and check that copy."""

    path, back = project.po_path(locale, domain), project.back_path(locale, domain)
    data = path.read_bytes()
    copy = folder / locale / "LC_MESSAGES" / f"{domain}.po"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(data)
    where = relative(path, project.root)
    rules = load_rules(project, locale)
    catalog = read_catalog(copy, locale)
    findings = [replace(f, path=where) for f in check_catalog(catalog, rules)]
    lines = data.decode("utf-8", "replace").splitlines()
    keys = {msgstr_line(lines, m.lineno): message_key(m.context, m.id) for m in catalog if m.id}
    errors: dict[str, list[str]] = {}
    for finding in findings:
        if finding.level == "error" and finding.counts and finding.line in keys:
            errors.setdefault(keys[finding.line], []).append(finding.code)
    translator = ""
    back_silenced: list[Finding] = []
    if back.is_file() and domain in project.edition_domains():
        back_copy = folder / locale / "back" / f"{domain}.po"
        back_copy.parent.mkdir(parents=True, exist_ok=True)
        back_data = back.read_bytes()
        back_copy.write_bytes(back_data)
        back_catalog = read_catalog(back_copy, "en")
        translator = back_catalog.last_translator or ""
        back_lines = back_data.decode("utf-8", "replace").splitlines()
        contexts = {msgstr_line(back_lines, m.lineno): str(m.context) for m in back_catalog if m.id}
        for finding in check_back_catalog(back_catalog, catalog, rules):
            if finding.level == "error" and finding.counts and finding.line in contexts:
                errors.setdefault(contexts[finding.line], []).append(finding.code)
            elif not finding.counts:  # silenced in the back catalog: the reviewer confirms its reason
                back_silenced.append(replace(finding, path=relative(back, project.root)))
    catalog.source_path = path
    return _Snapshot(domain, path, data, catalog, lines, findings, errors, translator, back_silenced)


def _signer(
    project: Project, locale: str, reviewer: str, credential: str | None, key: Path | None
) -> tuple[str, str, Reviewer | None]:
    """``(Name <email>, credential, listed reviewer)`` of who signs; a listed reviewer signs with her key."""
    rules = trust(project, locale)
    email = reviewer.strip().rsplit("<", 1)[-1].rstrip(">").strip()
    listed = rules.reviewers.find(email)
    if listed is None:
        if rules.required or key is not None:
            raise LdnError(
                f"{email[:80]!r} is not a reviewer in source/reviewers, and signatures are required: a "
                "reviewer's key is added to source/reviewers by pull request (docs/review.md)"
            )
        return check_reviewer(reviewer), check_credential(credential or ""), None
    if locale not in listed.languages:
        raise LdnError(
            f"{listed.email} may sign off {', '.join(listed.languages)} only (source/reviewers:{listed.line})"
        )
    if credential and check_credential(credential) != listed.credential:
        raise LdnError(
            f"the credential is the one source/reviewers gives ({listed.credential!r}); leave it out"
        )
    return listed.identity, listed.credential, listed


def check_signer(
    project: Project, locale: str, reviewer: str, credential: str | None = None, key: Path | None = None
) -> str:
    """``Name <email>`` of who would sign ``locale``'s sign-offs (as ``source/reviewers`` names her);
    :class:`LdnError` when she may not (not listed, another language, another credential): what a
    caller checks before it changes anything on her behalf."""
    return _signer(project, locale, reviewer, credential, key)[0]


def sign_catalogs(
    project: Project,
    locale: str,
    reviewer: str,
    credential: str | None = None,
    messages: str = "pending",
    domains: list[str] | None = None,
    revisions: list[str] | None = None,
    *,
    key: Path | None = None,
    only: Collection[str] | None = None,
    shown: Mapping[str, str] | None = None,
) -> SigningReport:
    """Record ``reviewer``'s signed sign-off of every message of ``locale`` that may be signed.

    ``reviewer`` is her e-mail address or ``Name <email>``; ``key`` her private
    key file (default: ssh-agent). ``domains`` limits it to those catalogs
    (default: every catalog the locale has), ``revisions`` to catalogs whose
    content hash is one of them, ``only`` to those message keys; ``shown`` (the workbench's
    message key -> the pair hash the reviewer read) to exactly those, each while unchanged. A rule of the
    module docstring that is broken raises :class:`LdnError` and nothing is
    recorded; a message that cannot be signed is refused in the report while
    the others are signed.
    """
    from ..policy import read_policy

    problem = project.locale_problem(locale)
    if problem is not None:
        raise problem
    which = check_messages(messages)
    domains = check_domains(project, locale, domains)
    identity, credential, listed = _signer(project, locale, reviewer, credential, key)
    rules = trust(project, locale)
    independent = read_policy(project).for_locale(locale).independent
    today = dt.datetime.now(dt.UTC).date().isoformat()
    with locale_lock(project, locale), tempfile.TemporaryDirectory(prefix="ldn-review-") as folder:
        shots = [_snapshot(project, locale, domain, Path(folder)) for domain in domains]
        for shot in shots:
            current = content_hash(shot.catalog)
            if revisions and current not in revisions:
                raise LdnError(
                    f"the catalog changed since the review pack was made (content hash {current}, "
                    f"pack {', '.join(revisions)}): make a new pack with `ldn-i18n review-pack`",
                    shot.path,
                )
            whole = [f for f in shot.findings if f.level == "error" and f.counts and not f.msgid]
            if whole:
                raise LdnError(f"{whole[0].code}: {whole[0].message}", shot.path, whole[0].line)
            for role, person in (
                ("translator", shot.catalog.last_translator),
                ("back-translator", shot.back_translator),
            ):
                if independent and person and same_person(identity, person):
                    raise LdnError(
                        f"{identity} is this catalog's {role} ({person}): the policy requires an independent "
                        "reviewer (independent: required)",
                        shot.path,
                    )
        catalogs: list[CatalogSigning] = []
        written: list[tuple[Path, Records]] = []
        for shot in shots:
            path = records_path(shot.path)
            records = read_records(path, locale, shot.domain, rules)
            batch = {
                "locale": locale,
                "domain": shot.domain,
                "reviewer": identity,
                "credential": credential,
                "date": today,
            }

            def signer(data: bytes, who: Reviewer | None = listed) -> str | None:
                return sign_payload(data, who, rules.reviewers, key) if who is not None else None

            signed, refused = sign(
                shot.catalog, shot.lines, records, batch, signer, which, shot.errors, only, shown
            )
            if signed:
                written.append((path, records))
            changed = shot.path.read_bytes() != shot.data
            silenced = [f for f in shot.findings if not f.counts] + shot.back_silenced
            catalogs.append(CatalogSigning(shot.domain, shot.path, signed, refused, silenced, changed))
        for path, records in written:  # every batch signed before any is written
            write_records(path, records)
    return SigningReport(locale, identity, catalogs, "verified" if listed is not None else "unsigned")
