"""The one error type every stage raises for bad input: :class:`LdnError`.

It carries the file and 1-based line so the CLI can print
``path:line: error: message`` and never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LdnError(Exception):
    """Bad input or a failed stage, located at ``path:line`` when known."""

    def __init__(
        self, message: str, path: str | Path | None = None, line: int | None = None, level: str = "error"
    ):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        #: ``error``, or ``warning`` for a finding that is reported and does not stop anything.
        self.level = level

    def relative_to(self, root: Path) -> LdnError:
        """This error with its path shown relative to ``root`` when it lies inside it."""
        if self.path:
            try:
                self.path = str(Path(self.path).resolve().relative_to(root.resolve()))
            except (ValueError, OSError):
                pass
        return self

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.level}: {self.message}"


#: What each shared project file holds, for the error when it is missing.
WHAT_BELONGS = {
    "clinic.yaml": (
        "the clinic file (name, phone, locations, look and the notice's languages; "
        "docs/new-clinic.md lists its keys)"
    ),
    "references.json": (
        "the reference library the handouts cite, CSL-JSON as Zotero exports it; "
        "write [] while no handout cites anything"
    ),
    "notice.md": (
        "the language-assistance notice (Section 1557) every edition prints last: a title and "
        "a paragraph with %(phone)s and %(tty)s"
    ),
    "handouts": "the handouts, one Markdown file each",
}


def missing_file(path: Path) -> LdnError:
    """The error for a project file that is not there: what belongs in it, and how to start one."""
    what = WHAT_BELONGS.get(path.name)
    if what is None:
        return LdnError("no such file", path)
    return LdnError(
        f"missing: create it with {what}; `ldn-i18n init NEW-FOLDER` writes a commented example "
        "(docs/new-clinic.md)",
        path,
    )
