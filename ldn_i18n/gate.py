"""The release gate: :func:`catalog_status` (one catalog) and :func:`edition_gate` (one edition).

An edition is final only when its catalogs are complete, not fuzzy,
check-clean and signed off by a qualified reviewer; otherwise it is a draft,
and ``build --release`` skips it. The reasons are data: the template words
them in the edition's language, the CLI in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .check import Finding, check_catalog, load_rules
from .pofiles import ProjectCatalog, read_catalog
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from .review.signoff import ReviewState, review_state


@dataclass(frozen=True, slots=True)
class CatalogStatus:
    """Counts, check results and review state of one catalog."""

    locale: str
    """Babel locale identifier."""
    domain: str
    """Handout slug or ``templates``."""
    path: Path
    """The .po file."""
    messages: int
    """Live messages (not obsolete)."""
    translated: int
    """Messages with a usable (non-fuzzy, complete) translation."""
    fuzzy: int
    """Messages marked fuzzy."""
    untranslated: int
    """Messages with no translation."""
    obsolete: int
    """Obsolete entries kept at the end."""
    findings: tuple[Finding, ...]
    """Everything ``check`` reports for the file."""
    review: ReviewState
    """The reviewer's sign-off."""

    @property
    def errors(self) -> int:
        return sum(f.level == "error" and f.counts for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.level == "warning" and f.counts for f in self.findings)

    @property
    def suppressed(self) -> list[Finding]:
        """Findings silenced by a ``# noqa`` (each with its reason), shown to the reviewer."""
        return [f for f in self.findings if not f.counts]

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.messages if self.messages else 100.0


def catalog_status(
    project: Project, locale: str, domain: str, catalog: ProjectCatalog | None = None
) -> CatalogStatus | None:
    """The status of ``locale/<locale>/LC_MESSAGES/<domain>.po``; None when it does not exist.

    ``catalog`` is the file already parsed, when the caller has it.
    """
    path = project.po_path(locale, domain)
    if not path.is_file():
        return None
    findings = tuple(check_catalog(path, load_rules(project, locale), project.root))
    catalog = catalog if catalog is not None else read_catalog(path, locale)
    live = [m for m in catalog if m.id]
    strings = [m.string if isinstance(m.string, tuple) else (m.string,) for m in live]
    untranslated = sum(not any(s) for s in strings)
    fuzzy = sum(m.fuzzy and any(s) for m, s in zip(live, strings, strict=True))
    return CatalogStatus(
        locale=locale,
        domain=domain,
        path=path,
        messages=len(live),
        translated=len(live) - untranslated - fuzzy,
        fuzzy=fuzzy,
        untranslated=untranslated,
        obsolete=len(catalog.obsolete),
        findings=findings,
        review=review_state(catalog),
    )


@dataclass(slots=True)
class Gate:
    """Whether one edition may be published, and why not."""

    locale: str
    """Babel locale identifier."""
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

    @property
    def final(self) -> bool:
        return not (
            self.untranslated or self.fuzzy or self.errors or self.unreviewed or self.recheck or self.missing
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
        return reasons


def edition_gate(
    project: Project,
    locale: str,
    handout: str,
    cache: dict[tuple[str, str], CatalogStatus | None] | None = None,
    catalogs: dict[str, ProjectCatalog | None] | None = None,
) -> Gate:
    """The gate of ``handout`` in ``locale``; the source language always passes.

    ``cache`` keeps catalog statuses between calls; ``catalogs`` (by domain)
    are the catalogs already parsed.
    """
    gate = Gate(locale)
    if locale == SOURCE_LOCALE:
        return gate
    cache = {} if cache is None else cache
    for domain in (handout, TEMPLATES_DOMAIN):
        if (locale, domain) not in cache:
            cache[(locale, domain)] = catalog_status(project, locale, domain, (catalogs or {}).get(domain))
        status = cache[(locale, domain)]
        if status is None:
            gate.missing.append(domain)
            continue
        gate.untranslated += status.untranslated
        gate.fuzzy += status.fuzzy
        gate.errors += status.errors
        if status.review.state == "unreviewed":
            gate.unreviewed.append(f"{domain}.po (unreviewed)")
        elif status.review.state == "pending":
            gate.recheck += max(status.review.pending - status.untranslated - status.fuzzy, 0)
    return gate
