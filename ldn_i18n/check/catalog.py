"""Stage 4, check: :func:`check_catalog` (one .po -> findings), :func:`check_message` and
:func:`check_project`.

:func:`check_project` checks the sources (:func:`check_sources`) and every
catalog of the chosen locales, forward (:func:`check_catalog`) and back
(:func:`ldn_i18n.check.back.check_back_catalog`). Each message is run through
:data:`ldn_i18n.check.messages.MESSAGE_CHECKS`, silenced by its ``# noqa``
(:mod:`ldn_i18n.check.noqa`); a handout catalog's translations are also
compared with each other (:mod:`ldn_i18n.check.plain`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from babel.messages.catalog import Message

from ..errors import LdnError
from ..files import relative
from ..pofiles import ProjectCatalog, written_forms
from ..poscan import Entry
from ..project import NOTICE_DOMAIN, TEMPLATES_DOMAIN, Project
from ..text import nfc
from .back import check_back_catalog
from .codes import CODES, Finding, Rules, _excerpt, load_rules
from .messages import MESSAGE_CHECKS
from .noqa import SAFETY_CODES, suppression
from .plain import _plain_language, check_plain_source
from .reading import _header_checks, _msgfmt, _parse, source_path


def check_catalog(source: Path | ProjectCatalog, rules: Rules, root: Path | None = None) -> list[Finding]:
    """Every finding for one catalog, a path or the catalog already parsed
    (:func:`~ldn_i18n.pofiles.parse_catalog`); a file that cannot be parsed gives one po-syntax finding."""
    path = source_path(source)
    where = relative(path, root) if root else str(path)
    rules = replace(rules, formatted=path.stem == TEMPLATES_DOMAIN, ordered=path.stem == NOTICE_DOMAIN)
    catalog = _parse(source, where)
    if isinstance(catalog, Finding):
        return [catalog]
    lines = catalog.lines
    findings = _header_checks(catalog, where, rules)
    seen: dict[tuple[str | None, str], int] = {}
    obsolete = 0
    usable: list[tuple[Entry, int]] = []  # compared with each other (plain language)
    for entry in catalog.entries:
        if entry.obsolete:
            obsolete += 1
            continue
        line = entry.msgstr_line
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            findings.append(
                Finding(
                    where,
                    line,
                    "error",
                    "duplicate",
                    f"the same msgid is already at line {seen[key]}",
                    _excerpt(entry.msgid),
                )
            )
        seen[key] = line
        findings += _entry_findings(entry, line, where, rules)
        if written_forms([entry.msgstr]) and "fuzzy" not in entry.flags and not entry.msgid_plural:
            usable.append((entry, line))
    if not rules.formatted:
        findings += _plain_language(usable, where, rules)
    if obsolete:
        findings.append(
            Finding(
                where,
                len(lines),
                "warning",
                "obsolete",
                f"{obsolete} obsolete entries (kept for reference; delete when unneeded)",
            )
        )
    if not any(f.level == "error" and f.counts for f in findings):  # the oracle, for what we missed
        findings += _msgfmt(path, where)
    return sorted(findings, key=lambda f: (f.line, f.code))


def check_message(
    message: Message, forms: Sequence[str], domain: str, rules: Rules, where: str = "", line: int = 0
) -> list[Finding]:
    """The findings of ``message`` of catalog ``domain`` if its translation were ``forms``, as
    :func:`check_catalog` reports them at ``where:line``: the same checks and ``# noqa``, without
    the comparisons across a catalog (length, harder sentence) and the msgfmt oracle."""
    rules = replace(rules, formatted=domain == TEMPLATES_DOMAIN, ordered=domain == NOTICE_DOMAIN)
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    entry = Entry(
        msgid=str(ids[0]),
        msgctxt=message.context,
        tcomment="\n".join(message.user_comments),
        comment="\n".join(message.auto_comments),
        flags=sorted(message.flags),
        msgstr_line=line,
    )
    if len(ids) > 1:
        entry.msgid_plural = str(ids[1])
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = forms[0] if forms else ""
    return _entry_findings(entry, line, where, rules)


def _entry_findings(entry: Entry, line: int, where: str, rules: Rules) -> list[Finding]:
    noqa = suppression(entry)
    excerpt = _excerpt(entry.msgid)
    strings = entry.forms
    pairs = [(entry.msgid if i == 0 else entry.msgid_plural, s) for i, s in enumerate(strings)]
    raw: list[tuple[str, str]] = []
    if not written_forms(strings):  # nothing but spaces is untranslated, as everywhere
        raw.append(("untranslated", "not translated yet"))
    elif "fuzzy" in entry.flags:
        raw.append(("fuzzy", "fuzzy: check the translation against the changed English, then unmark"))
    else:
        for source, target in pairs:
            for check in MESSAGE_CHECKS:
                raw.extend(check(nfc(source), nfc(target), rules))
    found = []
    for code, message in dict.fromkeys(raw):
        level = CODES[code][0]
        if noqa is not None and noqa.silences(code):
            found.append(Finding(where, line, level, code, message, excerpt, suppressed=noqa.reason))
            continue
        if noqa is not None and code in SAFETY_CODES and code in noqa.codes:
            message += " (a noqa silences this check only with a reason: `# noqa: CODE -- why`)"
        found.append(Finding(where, line, level, code, message, excerpt))
    return found


def _as_finding(exc: LdnError, project: Project, code: str = "source") -> Finding:
    return Finding(relative(Path(exc.path or "."), project.root), exc.line or 1, "error", code, exc.message)


def check_sources(project: Project) -> list[Finding]:
    """The English sources and shared files: each handout, the reference library, the clinic file.

    A reference item that cannot be used is listed once, at its line in the
    library; a handout citing a key the library lacks is listed at its line.
    Each handout's English is also measured (:func:`check_plain_source`).
    """
    from ..library import load_library
    from ..references import check_keys
    from ..source import read_handout

    findings = []
    try:
        project.load_clinic()
    except LdnError as exc:
        findings.append(_as_finding(exc, project))
    try:
        library = load_library(project.references_path)
    except LdnError as exc:
        return findings + [_as_finding(exc, project)]
    findings += [_as_finding(problem, project) for problem in library.problems.values()]
    for path in project.handout_paths():
        try:
            handout = read_handout(path)
        except LdnError as exc:
            findings.append(_as_finding(exc, project))
            continue
        try:
            check_keys(handout, library)
        except LdnError as exc:
            if exc not in library.problems.values():  # a bad item is listed once, above
                findings.append(_as_finding(exc, project))
        findings += check_plain_source(handout, project.root)
    return findings


def check_project(project: Project, locales: list[str] | None = None) -> list[Finding]:
    """Findings for the sources and every catalog of ``locales`` (default: every locale).

    A locale folder that is not a usable locale, or whose glossary cannot be
    read, is one finding naming the file; the other locales are still checked.
    """
    available = project.locales()
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    findings = check_sources(project)
    for locale in locales or available:
        problem = project.locale_problem(locale)
        if problem is not None:
            findings.append(_as_finding(problem, project, "po-syntax"))
            continue
        try:
            rules = load_rules(project, locale)
        except LdnError as exc:
            findings.append(_as_finding(exc, project))
            continue
        for path in sorted((project.locale_dir / locale / "LC_MESSAGES").glob("*.po")):
            findings += check_catalog(path, rules, project.root)
        for path in sorted((project.locale_dir / locale / "back").glob("*.po")):  # ldn-i18n back
            findings += check_back_catalog(path, project.po_path(locale, path.stem), rules, project.root)
    return findings
