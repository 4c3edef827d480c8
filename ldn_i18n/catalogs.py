"""Where one catalog stands: :func:`catalog_status` -> :class:`CatalogStatus`.

Its counts (by the one definition of a translated message,
:func:`~ldn_i18n.pofiles.translation_state`), everything ``check`` finds in
it, its reviewers' sign-offs and its blind back-translation: what the release
gate (:mod:`ldn_i18n.gate`), ``status`` and the build read, computed once per
catalog and build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import Finding, check_catalog, load_rules
from .pofiles import ProjectCatalog, read_catalog, translation_of
from .project import Project, records_path
from .review.policy import BackStatus, back_status
from .review.signoff import ReviewState, message_reviews, read_records, review_state


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
    """Messages with a translation that is printed (:func:`~ldn_i18n.pofiles.translation_state`)."""
    fuzzy: int
    """Messages with a translation marked fuzzy (not printed)."""
    untranslated: int
    """Messages with no translation, or a plural form without one."""
    obsolete: int
    """Obsolete entries kept at the end."""
    findings: tuple[Finding, ...]
    """Everything ``check`` reports for the file."""
    review: ReviewState
    """The reviewer's sign-off."""
    uncredentialed: int = 0
    """Signed messages whose sign-off gives no reviewer's credential."""
    back: BackStatus | None = None
    """The blind back-translation of a handout catalog; None for the templates catalog."""

    @property
    def errors(self) -> int:
        """Check errors of the catalog and of its back-translation."""
        own = sum(f.level == "error" and f.counts for f in self.findings)
        return own + (self.back.errors if self.back is not None else 0)

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
    records = read_records(records_path(path))
    signed = [r.signed for r in message_reviews(catalog, records) if not r.pending and r.signed]
    live = [m for m in catalog if m.id]
    states = [translation_of(m) for m in live]
    return CatalogStatus(
        locale=locale,
        domain=domain,
        path=path,
        messages=len(live),
        translated=states.count("translated"),
        fuzzy=states.count("fuzzy"),
        untranslated=states.count("untranslated"),
        obsolete=len(catalog.obsolete),
        findings=findings,
        review=review_state(catalog, records),
        uncredentialed=sum(not s.credential for s in signed),
        back=back_status(project, locale, domain, catalog),
    )
