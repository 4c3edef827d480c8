"""How ``ldn-i18n check`` shows its findings: :func:`format_findings` (findings, format -> text).

Three formats (:data:`OUTPUT_FORMATS`): ``text``, one ``path:line: level: code
message`` line per finding for a person; ``json``, a stable document
(version 1) for machines; ``github``, GitHub Actions workflow commands that
annotate the pull request. :func:`tally` counts what the summary line
(:class:`Tally`) and the exit code are made from. Nothing here prints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import LdnError
from .codes import Finding

#: The formats :func:`format_findings` writes, the first the default.
OUTPUT_FORMATS = ("text", "json", "github")


@dataclass(frozen=True, slots=True)
class Tally:
    """How many findings of a run count as errors or warnings, and how many a ``# noqa`` silenced."""

    errors: int
    """Errors not silenced: any makes ``check`` exit 1."""
    warnings: int
    """Warnings not silenced."""
    suppressed: int
    """Findings silenced by a ``# noqa``, of either level."""

    def __str__(self) -> str:
        return f"{self.errors} errors, {self.warnings} warnings, {self.suppressed} suppressed"


def tally(findings: Sequence[Finding]) -> Tally:
    """The errors, warnings and silenced findings among ``findings``."""
    errors = sum(f.level == "error" and f.counts for f in findings)
    warnings = sum(f.level == "warning" and f.counts for f in findings)
    return Tally(errors, warnings, len(findings) - errors - warnings)


def as_json(findings: Sequence[Finding]) -> str:
    """The JSON document of ``check --format json``: version 1, every finding, and the tally."""
    counts = tally(findings)
    document = {
        "version": 1,
        "findings": [f.as_dict() for f in findings],
        "summary": {"errors": counts.errors, "warnings": counts.warnings, "suppressed": counts.suppressed},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def github_annotation(finding: Finding) -> str:
    """One GitHub Actions workflow command (``::error file=...,line=...,title=CODE::text``).

    A silenced finding becomes a ``notice`` that gives the reason of its ``# noqa``;
    ``%``, CR and LF in the text are escaped as the workflow command syntax requires.
    """
    text = f"{finding.message} [msgid: {finding.msgid}]" if finding.msgid else finding.message
    if not finding.counts:
        text = f"suppressed by noqa ({finding.suppressed or 'no reason'}): {text}"
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    level = finding.level if finding.counts else "notice"
    return f"::{level} file={finding.path},line={finding.line},title={finding.code}::{text}"


def format_findings(findings: Sequence[Finding], fmt: str = "text") -> str:
    """What ``check --format fmt`` writes on stdout, without a final newline ('' when nothing).

    The ``text`` format leaves the summary line (``str(tally(findings))``) to the caller,
    which shows it apart (the CLI on stderr); ``json`` includes it.
    """
    if fmt == "json":
        return as_json(findings)
    if fmt == "github":
        return "\n".join(github_annotation(f) for f in findings)
    if fmt == "text":
        return "\n".join(str(f) for f in findings)
    raise LdnError(f"unknown check output format {fmt!r}: give one of {', '.join(OUTPUT_FORMATS)}")
