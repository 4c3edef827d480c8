"""The release gate: :func:`edition_gate` (one edition) and :func:`notice_gate` (one tagline).

Each is made from the status of the catalogs it prints (:mod:`ldn_i18n.catalogs`).

An edition is final only when its catalogs are complete, not fuzzy,
check-clean and signed off by a qualified reviewer, and meet what the
project's release policy (``source/policy.yaml``, :mod:`.policy`)
requires of the locale: a current blind back-translation, a credential on
every sign-off; each catalog's ``Last-Translator`` naming a person
(``translator: required``); a reviewer who is neither its translator nor its
back-translator (``independent: required``). Otherwise it is a draft, and
``build --release`` skips it.
The reasons are data: the template words them in the edition's language,
the CLI in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogs import CatalogStatus, catalog_status
from .check import Finding
from .errors import LdnError
from .pofiles import ProjectCatalog
from .policy import LocalePolicy, Policy, read_policy
from .project import NOTICE_DOMAIN, SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from .review.signoff import same_person

#: Check codes after which a catalog is not read the same way by Babel, polib and GNU gettext.
UNREADABLE = frozenset({"po-syntax", "msgfmt", "duplicate"})


@dataclass(slots=True)
class Gate:
    """Whether one edition may be published, and why not."""

    locale: str
    """Babel locale identifier."""
    broken: list[Finding] = field(default_factory=list)
    """Findings that make a catalog unreadable the same way by every tool: the edition fails."""
    untranslated: int = 0
    """Messages shown in English (handout and templates)."""
    fuzzy: int = 0
    """Fuzzy messages (not printed)."""
    errors: int = 0
    """Check errors in the edition's catalogs."""
    unreviewed: list[str] = field(default_factory=list)
    """Catalogs no qualified reviewer has signed any message of."""
    recheck: int = 0
    """Translated messages of partly signed catalogs still to sign (new, or changed since)."""
    missing: list[str] = field(default_factory=list)
    """Catalogs the edition needs that do not exist yet."""
    policy: LocalePolicy = LocalePolicy()
    """What the project's release policy requires of the locale."""
    missing_back: int = 0
    """Translated messages without a current back-translation, when the policy requires one."""
    no_credential: int = 0
    """Signed messages whose sign-off gives no credential, when the policy requires one."""
    no_translator: list[str] = field(default_factory=list)
    """Catalogs whose ``Last-Translator`` names no person, when the policy requires one."""
    not_independent: list[str] = field(default_factory=list)
    """Reviewers who translated or back-translated what they signed, when the policy forbids it."""

    @property
    def policy_missing(self) -> bool:
        """Whether the release policy asks for something the edition lacks."""
        return bool(self.missing_back or self.no_credential or self.no_translator or self.not_independent)

    @property
    def final(self) -> bool:
        return not (
            self.untranslated
            or self.fuzzy
            or self.errors
            or self.unreviewed
            or self.recheck
            or self.missing
            or self.policy_missing
        )

    def reasons(self) -> list[str]:
        """Why the edition is a draft, in English (for logs and reports)."""
        reasons = [f"no catalog {domain}.po" for domain in self.missing]
        if self.untranslated:
            reasons.append(f"{self.untranslated} messages not yet translated")
        if self.fuzzy:
            reasons.append(f"{self.fuzzy} fuzzy messages")
        if self.errors:
            reasons.append(f"{self.errors} check errors")
        if self.recheck:
            reasons.append(f"{self.recheck} translation{'s' if self.recheck > 1 else ''} to re-check")
        if self.unreviewed:
            reasons.append(f"not reviewed: {', '.join(self.unreviewed)}")
        if self.missing_back:
            reasons.append(
                f"{self.missing_back} message{'s' if self.missing_back > 1 else ''} without a current "
                f"back-translation (policy: required for {self.locale})"
            )
        if self.no_credential:
            reasons.append(
                f"{self.no_credential} sign-off{'s' if self.no_credential > 1 else ''} without a "
                f"reviewer's credential (policy: required for {self.locale})"
            )
        if self.no_translator:
            reasons.append(
                f"Last-Translator of {', '.join(self.no_translator)} names no translator "
                f"(give 'Name <email>'; policy: translator required for {self.locale})"
            )
        for problem in self.not_independent:
            reasons.append(f"{problem} (policy: independent required for {self.locale})")
        return reasons


def names_a_person(translator: str) -> bool:
    """Whether a ``Last-Translator`` names a person as ``Name <email>`` (not the draft placeholder,
    not Babel's ``FULL NAME <EMAIL@ADDRESS>``)."""
    from .review.signoff import check_reviewer
    from .update import DRAFT_TRANSLATOR

    try:
        name = check_reviewer(translator).rsplit(" <", 1)[0].casefold()
    except LdnError:
        return False
    return not any(words in name for words in (DRAFT_TRANSLATOR.casefold(), "unreviewed draft", "full name"))


def edition_gate(
    project: Project,
    locale: str,
    handout: str,
    cache: dict[tuple[str, str], CatalogStatus | None] | None = None,
    catalogs: dict[str, ProjectCatalog | None] | None = None,
    policy: Policy | None = None,
) -> Gate:
    """The gate of ``handout`` in ``locale``; the source language always passes.

    ``cache`` keeps catalog statuses between calls; ``catalogs`` (by domain)
    are the catalogs already parsed; ``policy`` is the project's release
    policy, read from ``source/policy.yaml`` when not given (a policy file
    that cannot be used raises :class:`~ldn_i18n.errors.LdnError`).
    """
    if locale == SOURCE_LOCALE:
        return Gate(locale)
    return catalogs_gate(project, locale, (handout, TEMPLATES_DOMAIN), cache, catalogs, policy)


def notice_gate(
    project: Project,
    locale: str,
    cache: dict[tuple[str, str], CatalogStatus | None] | None = None,
    catalog: ProjectCatalog | None = None,
    policy: Policy | None = None,
) -> Gate:
    """The gate of ``locale``'s tagline in the language-assistance notice (its ``notice`` catalog)."""
    return catalogs_gate(project, locale, (NOTICE_DOMAIN,), cache, {NOTICE_DOMAIN: catalog}, policy)


def catalogs_gate(
    project: Project,
    locale: str,
    domains: tuple[str, ...],
    cache: dict[tuple[str, str], CatalogStatus | None] | None = None,
    catalogs: dict[str, ProjectCatalog | None] | None = None,
    policy: Policy | None = None,
) -> Gate:
    """The gate of what is printed from ``locale``'s catalogs of ``domains`` (arguments as above)."""
    gate = Gate(locale)
    gate.policy = (policy if policy is not None else read_policy(project)).for_locale(locale)
    cache = {} if cache is None else cache
    for domain in domains:
        if (locale, domain) not in cache:
            cache[(locale, domain)] = catalog_status(project, locale, domain, (catalogs or {}).get(domain))
        status = cache[(locale, domain)]
        if status is None:
            gate.missing.append(domain)
            continue
        gate.untranslated += status.untranslated
        gate.fuzzy += status.fuzzy
        gate.errors += status.errors
        gate.broken += [f for f in status.findings if f.counts and f.code in UNREADABLE]
        if status.review.state == "unreviewed":
            gate.unreviewed.append(f"{domain}.po (unreviewed)")
        elif status.review.state == "pending":
            gate.recheck += max(status.review.pending - status.untranslated - status.fuzzy, 0)
        if gate.policy.back_translation and status.back is not None:
            gate.missing_back += status.back.missing
        if gate.policy.credential:
            gate.no_credential += status.uncredentialed
        translator = status.review.translator
        if gate.policy.translator and not names_a_person(translator):
            gate.no_translator.append(f"{domain}.po")
        if gate.policy.independent:
            back = status.back.translator if status.back is not None else ""
            for reviewer in status.review.reviewers:
                for role, person in (("translator", translator), ("back-translator", back)):
                    if person and same_person(reviewer, person):
                        gate.not_independent.append(
                            f"{reviewer} signed {domain}.po, of which they are the {role}"
                        )
    return gate
