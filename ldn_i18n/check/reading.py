"""Reading one catalog for checking, shared by forward and back catalogs: :func:`read_po_entries`.

:func:`_parse` gives the parsed catalog and its text, or the one ``po-syntax``
finding that stops it; :func:`_header_checks` checks the charset and
Plural-Forms; :func:`_msgfmt` runs GNU ``msgfmt --check`` as the oracle;
:func:`~ldn_i18n.pofiles.msgstr_line` locates an entry's msgstr.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib

from ..errors import LdnError
from ..plurals import behaviour, language_problem, plural_forms_for, syntax_problem
from ..pofiles import syntax_errors
from .codes import Finding, Rules, _excerpt


def _parse(path: Path, where: str) -> tuple[polib.POFile, str] | Finding:
    """A catalog parsed for checking, with its text; or the one po-syntax finding that stops it."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        return Finding(where, 1, "error", "po-syntax", f"cannot read: {exc.strerror}")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Finding(where, line, "error", "po-syntax", f"not valid UTF-8 ({exc.reason})")
    problems = syntax_errors(data)
    if problems:
        line, problem = problems[0]
        return Finding(where, line, "error", "po-syntax", problem)
    try:
        return read_po_entries(text), text
    except LdnError as exc:
        return Finding(where, exc.line or 1, "error", "po-syntax", exc.message)


def read_po_entries(text: str) -> polib.POFile:
    """The catalog ``text`` parsed by polib (which keeps line numbers); its syntax errors are LdnError."""
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:  # polib raises OSError for syntax it cannot read
        found = re.search(r"line (\d+)", str(exc))
        raise LdnError(f"unreadable PO syntax: {exc}", None, int(found.group(1)) if found else None) from None


def _header_line(lines: list[str], field_name: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(f'"{field_name}:')), 1)


def _header_checks(catalog: polib.POFile, where: str, rules: Rules, lines: list[str]) -> list[Finding]:
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
    for entry in catalog:
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
