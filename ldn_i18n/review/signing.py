"""What a reviewer may sign: :func:`sign_catalogs` (a locale's catalogs -> :class:`SigningReport`).

The rules of ``ldn-i18n review``, checked before anything is recorded:

- every catalog named exists (default: every handout's and the templates');
- the reviewer is a plain ``Name <email>`` and the credential plain text
  (:func:`~ldn_i18n.review.signoff.check_reviewer`, :func:`~ldn_i18n.review.signoff.check_credential`);
- ``messages`` is ``pending`` (those never signed, or changed since) or ``all``;
- with ``revisions`` (the content hash printed on the review pack), every
  catalog still has one of them: the reviewer signs what the pack showed,
  nothing edited since;
- no catalog has a check error about the file as a whole (syntax, msgfmt...).

Then, catalog by catalog, :func:`~ldn_i18n.review.signoff.sign` records each
message that may be signed and refuses, naming it, one that is untranslated,
fuzzy or has a check error. Findings silenced by a ``# noqa`` do not stop a
sign-off; they are reported so that the reviewer confirms each reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..check import Finding, check_catalog, load_rules
from ..errors import LdnError
from ..pofiles import read_catalog
from ..project import Project
from .signoff import MessageReview, Refusal, check_credential, check_reviewer, content_hash, sign

#: What a reviewer signs: the messages pending review, or every message again.
MESSAGE_CHOICES = ("pending", "all")


@dataclass(frozen=True, slots=True)
class CatalogSigning:
    """What one catalog's sign-off recorded and refused."""

    domain: str
    """Handout slug or ``templates``."""
    path: Path
    """The .po file."""
    signed: list[MessageReview]
    """Messages signed now (as they stood before: ``new``, ``changed``, ``edited`` or ``signed``)."""
    refused: list[Refusal]
    """Messages not signed, each with its msgstr line and why."""
    silenced: list[Finding]
    """Check findings a ``# noqa`` silenced in the catalog: signed knowingly, the reason to confirm."""


@dataclass(frozen=True, slots=True)
class SigningReport:
    """What one ``review`` of a locale did, catalog by catalog."""

    locale: str
    """The locale reviewed."""
    reviewer: str
    """``Name <email>`` as recorded."""
    catalogs: list[CatalogSigning]
    """One entry per catalog, in the order signed."""

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


def check_revision(path: Path, locale: str, revisions: list[str]) -> None:
    """:class:`LdnError` naming ``path`` unless its content hash is one of ``revisions``."""
    current = content_hash(read_catalog(path, locale))
    if current not in revisions:
        raise LdnError(
            f"the catalog changed since the review pack was made (content hash {current}, "
            f"pack {', '.join(revisions)}): make a new pack with `ldn-i18n review-pack`",
            path,
        )


def _line_errors(findings: list[Finding]) -> dict[int, list[str]]:
    """The codes of the check errors that count, by msgstr line: a message with any is refused."""
    errors: dict[int, list[str]] = {}
    for finding in findings:
        if finding.level == "error" and finding.counts:
            errors.setdefault(finding.line, []).append(finding.code)
    return errors


def sign_catalogs(
    project: Project,
    locale: str,
    reviewer: str,
    credential: str = "",
    messages: str = "pending",
    domains: list[str] | None = None,
    revisions: list[str] | None = None,
    shown: dict[str, str] | None = None,
) -> SigningReport:
    """Record ``reviewer``'s sign-off of every message of ``locale`` that may be signed.

    ``domains`` limits it to those catalogs (default: every catalog the locale has),
    ``revisions`` to catalogs whose
    content hash is one of them. ``shown`` (message key -> the pair hash the reviewer read, as
    the workbench sends it) signs only those messages, each while unchanged
    (:func:`~ldn_i18n.review.signoff.sign`). A rule of the module docstring that is broken
    raises :class:`LdnError` and nothing is recorded; a message that cannot be
    signed is refused in the report while the others are signed.
    """
    if not domains:  # every catalog the locale has: a language only in the notice has one
        domains = [domain for domain in project.domains() if project.po_path(locale, domain).is_file()]
        if not domains:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    paths = [project.po_path(locale, domain) for domain in domains]
    for domain, path in zip(domains, paths, strict=True):
        if not path.is_file():
            raise LdnError(f"no catalog {domain}.po for locale {locale!r}")
    if revisions:
        for path in paths:
            check_revision(path, locale, revisions)
    reviewer = check_reviewer(reviewer)
    credential = check_credential(credential)
    which = check_messages(messages)
    rules = load_rules(project, locale)
    findings = [check_catalog(path, rules, project.root) for path in paths]
    for path, found in zip(paths, findings, strict=True):
        whole = [f for f in found if f.level == "error" and f.counts and not f.msgid]
        if whole:
            raise LdnError(f"{whole[0].code}: {whole[0].message}", path, whole[0].line)
    catalogs = []
    for domain, path, found in zip(domains, paths, findings, strict=True):
        signed, refused = sign(path, locale, reviewer, credential, which, _line_errors(found), shown)
        silenced = [f for f in found if not f.counts]
        catalogs.append(CatalogSigning(domain, path, signed, refused, silenced))
    return SigningReport(locale, reviewer, catalogs)
