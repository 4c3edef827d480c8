"""Where every locale stands: :func:`project_status` -> :class:`ProjectStatus`, and its three renderings.

One row per catalog (locale x handout, plus each locale's templates
catalog): counts, check results, the translator, each step a release needs
(translated, checks, back-translation, credential, signed; :func:`steps`,
with what the release policy requires), the reviewer's sign-off and the last
build of the edition, and its reading level. Written as a text table,
``dist/status.json`` and ``dist/status.html`` (a bar per locale, a link to the
translation record of every released edition, and per handout the reading
figures of each language with its five hardest sentences: :func:`readability`). The
release record of each released edition is linked from both (``records/``, kept in the repository).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from .catalogs import CatalogStatus, cached_status, catalog_status, keep_status, status_key
from .errors import LdnError
from .files import relative, write_atomic
from .languages import language
from .manifest import BuildRecord, EditionEntry
from .markup import plain_text
from .pofiles import forms_of, read_catalog, translated
from .policy import Policy, read_policy
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from .readability import HEADING_KINDS, Figures, figures, handout_figures, sentences
from .source import Handout, read_handout
from .templating import Templates

#: How many of its hardest sentences each language shows per handout.
HARDEST = 5


@dataclass(frozen=True, slots=True)
class HardSentence:
    """One sentence of a handout as printed in one language, with its figures."""

    text: str
    """The sentence, plain text."""
    line: int
    """1-based line, in the handout's Markdown, of the block it belongs to."""
    figures: Figures
    """The sentence's own figures (words, the language's scores and grade)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """How one handout reads in one language: as printed (English where a translation is unusable)."""

    handout: str
    """Handout slug."""
    locale: str
    """``en`` or a catalog's locale."""
    target: float
    """The handout's reading grade (front matter ``reading-grade:``)."""
    figures: Figures
    """The figures of the whole handout as printed in that language."""
    hardest: tuple[HardSentence, ...]
    """Its :data:`HARDEST` hardest sentences, hardest first: by grade where the language's formula
    gives one (English), else by words (characters in Chinese); title and headings left out."""


@dataclass(frozen=True, slots=True)
class ProjectStatus:
    """Every catalog's status and the last build of every edition."""

    catalogs: list[CatalogStatus]
    """One per locale x domain, sorted."""
    builds: dict[str, EditionEntry]
    """Last build per ``<locale>/<handout>``, from ``dist/editions.json``."""
    problems: list[LdnError]
    """Locale folders or shared files that could not be used (each names its file)."""
    policy: Policy = field(default_factory=Policy)
    """The release policy (the defaults when ``source/policy.yaml`` is absent or unusable)."""
    readings: list[Reading] = field(default_factory=list)
    """Each readable handout in English and in every language with a catalog of it."""

    def reading(self, locale: str, domain: str) -> Reading | None:
        """The reading figures of ``domain`` in ``locale``; None for the templates catalog."""
        return next((r for r in self.readings if (r.locale, r.handout) == (locale, domain)), None)

    def records(self) -> list[tuple[str, str]]:
        """``(edition, record page relative to dist/)`` of every released edition with a record
        (the page is kept in the repository's ``records/``, beside ``dist/``)."""
        found = []
        for key, entry in sorted(self.builds.items()):
            record = entry.get("record")
            if entry.get("state") != "final" or not isinstance(record, list):
                continue
            page = next((str(o) for o in record if str(o).endswith(".html")), None)
            if page:
                found.append((key, f"../{page}"))
        return found


def project_status(project: Project) -> ProjectStatus:
    """The status of every catalog of every usable locale; the others are listed as problems."""
    rows = []
    problems = []
    try:
        policy = read_policy(project)
    except LdnError as exc:
        problems.append(exc)
        policy = Policy()
    for locale in project.locales():
        problem = project.locale_problem(locale)
        if problem is not None:
            problems.append(problem)
            continue
        for domain in project.domains():
            try:
                status = _status(project, locale, domain)
            except LdnError as exc:
                problems.append(exc)
                break
            if status is not None:
                rows.append(status)
    locales = [SOURCE_LOCALE] + sorted({row.locale for row in rows})
    return ProjectStatus(
        rows, BuildRecord.load(project).editions, problems, policy, readability(project, locales)
    )


def _status(project: Project, locale: str, domain: str) -> CatalogStatus | None:
    """One catalog's status: kept from a build before with the same inputs, or computed (and kept)."""
    if not project.po_path(locale, domain).is_file():
        return None
    key = status_key(project, locale, domain)
    status = cached_status(project, locale, domain, key)
    if status is None:
        status = catalog_status(project, locale, domain)
        if status is not None:
            keep_status(project, key, status)
    return status


def _printed(handout: Handout, catalog: Catalog | None) -> list[tuple[str, int]]:
    """Each block's text as printed (English where the translation is unusable) and its line."""
    printed = []
    for block in handout.blocks:
        if block.kind in HEADING_KINDS:  # left out, as the figures leave them out
            continue
        message = catalog.get(block.text) if catalog is not None else None
        printed.append(
            (forms_of(message)[0] if message is not None and translated(message) else block.text, block.line)
        )
    return printed


def _hardness(sentence: HardSentence) -> tuple[float, int]:
    return (sentence.figures.grade if sentence.figures.grade is not None else 0.0, sentence.figures.words)


def readability(project: Project, locales: list[str]) -> list[Reading]:
    """Every readable handout in each of ``locales`` that has a catalog of it (English always)."""
    readings = []
    for path in project.handout_paths():
        try:
            handout = read_handout(path)
        except LdnError:
            continue  # ``check`` reports it
        for locale in locales:
            po = project.po_path(locale, handout.slug)
            if locale != SOURCE_LOCALE and not po.is_file():
                continue
            try:
                catalog = read_catalog(po, locale) if locale != SOURCE_LOCALE else None
                hard = [
                    HardSentence(sentence, line, figures([sentence], locale))
                    for text, line in _printed(handout, catalog)
                    for sentence in sentences(plain_text(text), locale)
                ]
            except LdnError:
                continue  # an unreadable catalog is listed with its row
            hard.sort(key=_hardness, reverse=True)
            whole = handout_figures(handout, locale, catalog)
            readings.append(
                Reading(handout.slug, locale, handout.reading_grade, whole, tuple(hard[:HARDEST]))
            )
    return readings


def figures_dict(found: Figures) -> dict[str, Any]:
    """Figures as ``dist/status.json`` writes them."""
    return {
        "sentences": found.sentences,
        "words": found.words,
        "syllables": found.syllables,
        "characters": found.characters,
        "words_per_sentence": round(found.words / found.sentences, 1) if found.sentences else None,
        "scores": {name: round(value, 1) for name, value in found.scores.items()},
        "band": found.band,
        "grade": round(found.grade, 1) if found.grade is not None else None,
        "summary": found.summary,
    }


def _readings_dict(status: ProjectStatus) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for reading in status.readings:
        entry = out.setdefault(reading.handout, {"target_grade": reading.target, "languages": {}})
        entry["languages"][reading.locale] = {
            "figures": figures_dict(reading.figures),
            "hardest": [
                {"sentence": hard.text, "line": hard.line, **figures_dict(hard.figures)}
                for hard in reading.hardest
            ],
        }
    return out


def _level(status: ProjectStatus, row: CatalogStatus) -> str:
    reading = status.reading(row.locale, row.domain)
    return reading.figures.summary if reading is not None else "-"


def steps(status: ProjectStatus, row: CatalogStatus) -> dict[str, Any]:
    """Each step a release of ``row``'s catalog needs, how far it is, and whether the policy requires it.

    ``back_translation`` is None for the templates catalog (it has none).
    """
    rule = status.policy.for_locale(row.locale)
    signed = row.review.signed
    back = row.back
    return {
        "translated": {"done": row.translated, "of": row.messages},
        "checks": {"errors": row.errors, "warnings": row.warnings},
        "back_translation": None
        if back is None
        else {
            "required": rule.back_translation,
            "done": back.done,
            "of": back.needed,
            "translator": back.translator,
        },
        "credential": {"required": rule.credential, "done": signed - row.uncredentialed, "of": signed},
        "signed": {"done": signed, "of": row.messages},
    }


def _count(step: dict[str, Any] | None) -> str:
    """A step as a cell: ``n/a``, ``-`` (nothing to do yet), ``done`` or ``k of n``.

    ``(required)`` follows a step the policy requires while it is not done.
    """
    if step is None:
        return "n/a"
    if not step["of"]:
        return "-"
    done = step["done"] == step["of"]
    text = "done" if done else f"{step['done']} of {step['of']}"
    return text + (" (required)" if step.get("required") and not done else "")


def _review_text(row: CatalogStatus) -> str:
    review = row.review
    if review.state == "reviewed":
        return f"reviewed by {', '.join(review.reviewers)} on {review.date} (rev {review.revision})"
    if review.state == "pending":
        return (
            f"{review.signed} signed by {', '.join(review.reviewers) or review.reviewer}, "
            f"{review.pending} pending ({review.recheck} to re-check)"
        )
    if review.unsigned:
        return f"not reviewed ({review.unsigned} unsigned sign-offs do not count: signatures required)"
    return "not reviewed"


def _last_build(status: ProjectStatus, row: CatalogStatus) -> str:
    record = status.builds.get(f"{row.locale}/{row.domain}")
    return f"{record['state']} {record['built']}" if record else "-"


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def as_dict(status: ProjectStatus, project: Project) -> dict[str, Any]:
    """The stable JSON schema of ``dist/status.json`` (version 1)."""
    return {
        "version": 1,
        "catalogs": [
            {
                "locale": row.locale,
                "domain": row.domain,
                "path": relative(row.path, project.root),
                "messages": row.messages,
                "translated": row.translated,
                "percent": round(row.percent, 1),
                "fuzzy": row.fuzzy,
                "memory": row.memory,
                "untranslated": row.untranslated,
                "obsolete": row.obsolete,
                "errors": row.errors,
                "warnings": row.warnings,
                "suppressed": [
                    {"line": f.line, "code": f.code, "message": f.message, "reason": f.suppressed}
                    for f in row.suppressed
                ],
                "translator": row.review.translator,
                "review": row.review.state,
                "reviewer": row.review.reviewer,
                "reviewed_on": row.review.date,
                "reviewed_revision": row.review.revision,
                "reviewers": list(row.review.reviewers),
                "signed": row.review.signed,
                "pending": row.review.pending,
                "recheck": row.review.recheck,
                "steps": steps(status, row),
                "last_build": status.builds.get(f"{row.locale}/{row.domain}"),
                "reading_level": _level(status, row) if row.domain != TEMPLATES_DOMAIN else None,
            }
            for row in status.catalogs
        ],
        "policy": {
            "path": relative(status.policy.path, project.root) if status.policy.path else None,
            "default": status.policy.default.as_dict(),
            "locales": {locale: rule.as_dict() for locale, rule in status.policy.locales.items()},
        },
        "records": [{"edition": key, "page": page} for key, page in status.records()],
        "readability": _readings_dict(status),
    }


HEADER = (
    "locale",
    "catalog",
    "messages",
    "translated",
    "fuzzy",
    "memory",
    "untranslated",
    "errors",
    "warnings",
    "suppressed",
    "back-translation",
    "credential",
    "signed",
    "translator",
    "review",
    "last build",
    "reading level",
)


def _cells(status: ProjectStatus, row: CatalogStatus) -> tuple[str, ...]:
    done = steps(status, row)
    return (
        row.locale,
        row.domain,
        str(row.messages),
        f"{row.percent:.0f}%",
        str(row.fuzzy),
        str(row.memory),
        str(row.untranslated),
        str(row.errors),
        str(row.warnings),
        str(len(row.suppressed)),
        *(_count(step) for step in (done["back_translation"], done["credential"], done["signed"])),
        row.review.translator,
        _review_text(row),
        _last_build(status, row),
        _level(status, row),
    )


def as_table(status: ProjectStatus) -> str:
    """A plain text table for a terminal or a CI log (short headings, translator abridged)."""
    short = (
        "locale",
        "catalog",
        "msgs",
        "done",
        "fuzzy",
        "memory",
        "untr.",
        "err",
        "warn",
        "noqa",
        "back",
        "cred.",
        "signed",
        "translator",
        "review",
        "last build",
        "reading level",
    )
    rows = [short] + [
        tuple(
            _short(cell) if i == HEADER.index("translator") else cell
            for i, cell in enumerate(_cells(status, row))
        )
        for row in status.catalogs
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(short))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def as_html(status: ProjectStatus, templates: Templates) -> str:
    """``dist/status.html``: a bar per locale, then the table."""
    from .render import environment

    by_locale: dict[str, list[CatalogStatus]] = {}
    for row in status.catalogs:
        by_locale.setdefault(row.locale, []).append(row)
    bars = []
    for locale, rows in by_locale.items():
        total = sum(r.messages for r in rows) or 1
        bars.append(
            {
                "locale": locale,
                "done": 100.0 * sum(r.translated for r in rows) / total,
                "fuzzy": 100.0 * sum(r.fuzzy for r in rows) / total,
                "errors": sum(r.errors for r in rows),
                "reviewed": all(r.review.state == "reviewed" for r in rows),
            }
        )
    cells = [_cells(status, row) for row in status.catalogs]
    silenced = [f for row in status.catalogs for f in row.suppressed]
    template = environment(templates).get_template("status.html.j2")
    readings: dict[str, list[tuple[Reading, Any]]] = {}
    for reading in status.readings:
        readings.setdefault(reading.handout, []).append((reading, language(reading.locale)))
    return template.render(
        bars=bars,
        header=HEADER,
        rows=cells,
        suppressed=silenced,
        records=status.records(),
        readings=readings,
    )


def write_status(project: Project, status: ProjectStatus) -> list[Path]:
    """Write ``dist/status.json`` and ``dist/status.html``."""
    targets = [project.dist_dir / "status.json", project.dist_dir / "status.html"]
    write_atomic(targets[0], json.dumps(as_dict(status, project), indent=2, ensure_ascii=False) + "\n")
    write_atomic(targets[1], as_html(status, project.templates))
    return targets
