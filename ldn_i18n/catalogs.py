"""Where one catalog stands: :func:`catalog_status` -> :class:`CatalogStatus`.

Its counts (by the one definition of a translated message,
:func:`~ldn_i18n.pofiles.translation_state`), everything ``check`` finds in
it, its reviewers' sign-offs and its blind back-translation: what the release
gate (:mod:`ldn_i18n.gate`), ``status`` and the build read, computed once per
catalog and build, and kept between builds by the hash of all it is computed
from (:func:`status_key`, :func:`cached_status`), so that a catalog that did
not change is not checked again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from .check import Finding, check_catalog, load_rules
from .errors import LdnError
from .files import write_atomic
from .memory import from_memory
from .pofiles import ProjectCatalog, read_catalog, translation_of
from .project import Project, records_path
from .review.back import BackStatus, back_status
from .review.signoff import ReviewState, load_records, message_reviews, review_state


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
    memory: int = 0
    """Of the fuzzy messages, those the translation memory filled and no translator confirmed yet
    (:func:`~ldn_i18n.memory.from_memory`)."""

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

    ``catalog`` is the file already parsed, when the caller has it: it is not parsed again
    (``check`` reads the same :class:`~ldn_i18n.pofiles.ProjectCatalog`).
    """
    path = project.po_path(locale, domain)
    if not path.is_file():
        return None
    catalog = catalog if catalog is not None else read_catalog(path, locale)
    findings = tuple(check_catalog(catalog, load_rules(project, locale), project.root))
    records = load_records(project, locale, domain)
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
        memory=sum(from_memory(m) for m in live),
    )


# --- kept between builds, by the hash of all a status is computed from ---------------------------

#: Entries the cache keeps (the newest); each is a few kilobytes of JSON.
CACHE_ENTRIES = 2000


def cache_dir() -> Path | None:
    """Where statuses are kept between builds: ``$XDG_CACHE_HOME/ldn-i18n/catalog-status``
    (``~/.cache/...``); None when ``LDN_I18N_NO_CACHE`` is set."""
    if os.environ.get("LDN_I18N_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ldn-i18n" / "catalog-status"


@cache
def _code_digest() -> str:
    """A hash of this package's code and data and of what it runs with (every dependency's version,
    CLDR's, Unicode's, msgfmt's): a status computed by other code is computed again."""
    from .versions import dependency_versions

    digest = hashlib.sha256(json.dumps(dependency_versions(), sort_keys=True).encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *(package / "data").glob("*.json")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def status_key(project: Project, locale: str, domain: str) -> str:
    """The hash of everything the status of one catalog is computed from: the catalog, its
    sign-offs, its back-translation, the rules ``check`` applies (terms, glossary, the release
    policy, which makes ``back-negation`` an error), the reviewers and policy its sign-offs are
    checked against, the code and the versions it runs with (:func:`_code_digest`), and the day
    (a sign-off dated in the future is refused until its day comes)."""
    from .policy import policy_path
    from .review.signatures import reviewers_path

    po = project.po_path(locale, domain)
    inputs: tuple[Path, ...] = (po, records_path(po), project.back_path(locale, domain), project.terms_path)
    inputs = (*inputs, reviewers_path(project), policy_path(project))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    digest = hashlib.sha256("\0".join((_code_digest(), locale, domain, today)).encode())
    for path in (*inputs, project.glossary_path(locale)):
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


def cached_status(project: Project, locale: str, domain: str, key: str) -> CatalogStatus | None:
    """The status kept under ``key``, or None (not kept, or unreadable: computed again)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        back = data["back"]
        return CatalogStatus(
            locale=locale,
            domain=domain,
            path=project.po_path(locale, domain),
            messages=int(data["messages"]),
            translated=int(data["translated"]),
            fuzzy=int(data["fuzzy"]),
            untranslated=int(data["untranslated"]),
            obsolete=int(data["obsolete"]),
            findings=tuple(Finding(**finding) for finding in data["findings"]),
            review=ReviewState(**{**data["review"], "reviewers": tuple(data["review"]["reviewers"])}),
            uncredentialed=int(data["uncredentialed"]),
            back=None if back is None else BackStatus(**{**back, "path": project.root / back["path"]}),
            memory=int(data["memory"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep_status(project: Project, key: str, status: CatalogStatus) -> None:
    """Keep ``status`` under ``key`` for later builds; a cache that cannot be written is skipped."""
    folder = cache_dir()
    if folder is None:
        return
    data = {
        "messages": status.messages,
        "translated": status.translated,
        "fuzzy": status.fuzzy,
        "untranslated": status.untranslated,
        "obsolete": status.obsolete,
        "findings": [finding.as_dict() for finding in status.findings],
        "review": {**asdict(status.review), "reviewers": list(status.review.reviewers)},
        "uncredentialed": status.uncredentialed,
        "memory": status.memory,
        "back": None
        if status.back is None
        else {**asdict(status.back), "path": str(status.back.path.relative_to(project.root))},
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.json", json.dumps(data, ensure_ascii=False))
        entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
        for old in entries[: max(0, len(entries) - CACHE_ENTRIES)]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError, LdnError):
        pass  # only a head start for the next build
