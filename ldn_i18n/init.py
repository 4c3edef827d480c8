"""Starting a new clinic's project: :func:`init_project` (folder -> the files written).

``ldn-i18n init [DIR]`` copies the starter project shipped in ``ldn_i18n/starter/``
(a commented ``clinic.yaml``, the notice, an empty reference library, one
sample handout, a commented ``policy.yaml``, ``.gitignore`` and the CI
workflow), then extracts its messages and creates the catalogs of the
notice's languages from the package's shared translations
(:mod:`ldn_i18n.shared`), so that ``ldn-i18n build`` works at once. It never
overwrites a file: a folder that already holds one of them is an error naming it.

:func:`missing_file` is the one error for a project file that is not there: it
says what belongs in it, and that ``init`` makes a commented one.
"""

from __future__ import annotations

from pathlib import Path

from . import __version__
from .errors import LdnError
from .files import write_atomic

#: The starter project, shipped in the package.
STARTER = Path(__file__).resolve().parent / "starter"
#: Each starter file and where it goes in the new project.
FILES = {
    "source/clinic.yaml": "source/clinic.yaml",
    "source/notice.md": "source/notice.md",
    "source/references.json": "source/references.json",
    "source/terms.yaml": "source/terms.yaml",
    "source/policy.yaml": "source/policy.yaml",
    "source/handouts/first-handout.md": "source/handouts/first-handout.md",
    "gitignore.txt": ".gitignore",
    "workflows/handouts.yml": ".github/workflows/handouts.yml",
}


def init_project(root: Path) -> list[Path]:
    """Write the starter project into ``root`` (made if needed), extract its messages and create
    the notice's catalogs; the files written, in order. A file already there is an error."""
    from .extract import extract
    from .project import load_project
    from .update import update

    root = root.resolve()
    taken = [root / target for target in FILES.values() if (root / target).exists()]
    if taken:
        raise LdnError(
            "already there: init writes a new project and never overwrites a file; "
            "choose an empty folder (ldn-i18n init NEW-FOLDER)",
            taken[0],
        )
    written = []
    for source, target in FILES.items():
        text = (STARTER / source).read_text(encoding="utf-8").replace("__VERSION__", __version__)
        write_atomic(root / target, text)
        written.append(root / target)
    project = load_project(root)
    written += extract(project)
    report = update(project)
    if report.failed:
        raise next(iter(report.failed.values()))
    written += report.written
    return written
