"""What a build says of, and does with, the project's shared inputs before it makes anything:
:func:`input_findings` and :func:`place_logo`.

Nothing a clinic must have is left to a silent default: a project without the
language-assistance notice (``source/notice.md``) is an error for a release and
a warning otherwise, and a file of the clinic's ``templates/`` that overrides no
template of the package (a misspelt name) is a warning, since it is never rendered.
The clinic's logo is copied into ``dist/`` before any page that shows it is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..files import relative
from ..project import Project

if TYPE_CHECKING:
    from ..clinic import Clinic

#: What a project without ``source/notice.md`` is told.
NO_NOTICE = (
    "no language-assistance notice: Section 1557 (45 CFR 92.11) asks every covered clinic to print "
    "one with its handouts, in English and its state's languages; create this file (`ldn-i18n init "
    "NEW-FOLDER` writes one to copy; docs/new-clinic.md)"
)


def input_findings(project: Project, release: bool) -> tuple[list[str], list[str]]:
    """``(errors, warnings)`` about the project's shared inputs, each ``path: level: message``."""
    errors: list[str] = []
    warnings: list[str] = []
    if not project.notice_path.is_file():
        where = relative(project.notice_path, project.root)
        if release:
            errors.append(f"{where}: error: {NO_NOTICE}; a release needs it")
        else:
            warnings.append(f"{where}: {NO_NOTICE}")
    for path in project.templates.unknown():
        warnings.append(
            f"{relative(path, project.root)}: overrides no template of the package and is never "
            "rendered (`ldn-i18n templates list` shows the names)"
        )
    return errors, warnings


def place_logo(project: Project, clinic: Clinic) -> None:
    """Copy the clinic's logo into ``dist/`` (``clinic-logo.png`` or ``.jpg``), where every page
    links to it, unless it is there already; remove a logo of the other kind, or one no longer named."""
    from ..clinic import LOGO_FILES
    from ..files import write_atomic

    dist = project.dist_dir
    wanted = clinic.look.logo_name
    for name in LOGO_FILES:
        if name != wanted:
            (dist / name).unlink(missing_ok=True)
    if clinic.look.logo is not None:
        write_atomic(dist / wanted, clinic.look.logo.read_bytes())  # unchanged bytes are not rewritten
