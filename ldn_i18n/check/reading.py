"""Reading one catalog for checking, shared by forward and back catalogs: :func:`_parse`.

:func:`_parse` gives the catalog parsed once (:func:`~ldn_i18n.pofiles.parse_catalog`, or the
one the caller has), or the one ``po-syntax`` finding that stops it; :func:`_header_checks`
checks the charset and Plural-Forms; :func:`_msgfmt` runs GNU ``msgfmt --check`` as the
oracle. Each entry carries its msgstr's line (:attr:`~ldn_i18n.poscan.Entry.msgstr_line`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..plurals import behaviour, language_problem, plural_forms_for, syntax_problem
from ..pofiles import ProjectCatalog, UnreadableCatalog, parse_catalog
from .codes import Finding, Rules, _excerpt


def _parse(source: Path | ProjectCatalog, where: str) -> ProjectCatalog | Finding:
    """The catalog to check (``source`` itself when already parsed); or the one po-syntax finding
    that stops it."""
    if isinstance(source, ProjectCatalog):
        return source
    try:
        return parse_catalog(source)
    except UnreadableCatalog as exc:
        line, problem = exc.finding
        return Finding(where, line, "error", "po-syntax", problem)


def source_path(source: Path | ProjectCatalog) -> Path:
    """The file a catalog to check was read from."""
    if isinstance(source, ProjectCatalog):
        assert source.source_path is not None, "a catalog to check is read from a file"
        return source.source_path
    return source


def _header_line(lines: list[str], field_name: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(f'"{field_name}:')), 1)


def _header_checks(catalog: ProjectCatalog, where: str, rules: Rules) -> list[Finding]:
    lines = catalog.lines
    header = catalog.metadata.get("Plural-Forms", "")
    findings = []
    charset = re.search(r"charset=([\w-]+)", catalog.metadata.get("Content-Type", ""))
    if not charset or charset.group(1).lower() not in ("utf-8", "utf8"):
        findings.append(
            Finding(
                where,
                _header_line(lines, "Content-Type"),
                "error",
                "po-syntax",
                "declare charset=UTF-8 in Content-Type (the file must be UTF-8)",
            )
        )
    # No header: gettext and Babel use the language's own rule, the one a new catalog gets.
    header = header or plural_forms_for(rules.locale)
    wrong = syntax_problem(header) or language_problem(header, rules.locale)
    if wrong:
        findings.append(Finding(where, _header_line(lines, "Plural-Forms"), "error", "plural-forms", wrong))
    # Each plural message has the header's count of forms; under a wrong header, the language's.
    expected = behaviour(plural_forms_for(rules.locale) if wrong else header)[0]
    for entry in catalog.entries:
        if entry.msgid_plural and not entry.obsolete and len(entry.msgstr_plural) != expected:
            findings.append(
                Finding(
                    where,
                    entry.linenum,
                    "error",
                    "plural-forms",
                    f"{len(entry.msgstr_plural)} plural forms; {rules.locale} needs {expected}",
                    _excerpt(entry.msgid),
                )
            )
    return findings


def _msgfmt(path: Path, where: str) -> list[Finding]:
    """GNU msgfmt --check as the oracle, when installed."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return []
    findings = []
    for line in result.stderr.splitlines():
        match = re.match(rf"{re.escape(str(path))}:(\d+): (.*)", line)
        if match and "warning" not in match.group(2):
            findings.append(Finding(where, int(match.group(1)), "error", "msgfmt", match.group(2)))
    return findings or [Finding(where, 1, "error", "msgfmt", result.stderr.strip().splitlines()[-1])]
