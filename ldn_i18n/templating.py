"""What extraction and rendering agree on about the Jinja2 templates: :data:`JINJA_EXTENSIONS`
and :class:`Templates` (which file renders as each template name).

A module of its own, importing nothing of the pipeline, so that :mod:`ldn_i18n.extract`
reads the templates with the same extensions as :mod:`ldn_i18n.render`
without loading the renderer (and, through it, the edition and check stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The Jinja2 extensions every template may use: gettext calls (``i18n``) and ``{% do %}``.
JINJA_EXTENSIONS = ("jinja2.ext.i18n", "jinja2.ext.do")


@dataclass(frozen=True, slots=True)
class Templates:
    """The Jinja2 templates a project renders with: its own ``templates/`` over the package's.

    A clinic's ``templates/`` folder overrides the package's templates file by file: each
    name is looked up in :attr:`folders` in order, so a folder holding only
    ``handout.css.j2`` changes the styles and keeps every other template the package's.
    """

    folders: tuple[Path, ...]
    """Where templates are looked up, first match wins: the clinic's folder (when it has one),
    then the package's."""

    def path(self, name: str) -> Path:
        """The file that renders as template ``name`` (the first folder's that has it)."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name

    def names(self) -> list[str]:
        """Every template name of every folder, sorted."""
        return sorted({p.name for folder in self.folders for p in folder.glob("*.j2") if p.is_file()})

    def files(self) -> list[Path]:
        """The file of each template name (:meth:`path`), in name order."""
        return [self.path(name) for name in self.names()]

    def unknown(self) -> list[Path]:
        """Files of the clinic's own folder that override nothing: a misspelt name is ignored
        otherwise (only the package's names are rendered). Empty when there is no own folder."""
        if len(self.folders) < 2:
            return []
        own, package = self.folders[0], self.folders[-1]
        return sorted(
            p for p in own.iterdir() if not p.name.startswith(".") and not (package / p.name).is_file()
        )


def export_template(templates: Templates, name: str, folder: Path) -> Path:
    """Copy the package's template ``name`` into ``folder`` (the clinic's ``templates/``) to start
    an override from; an unknown name or a file already there is an error. The copy's path."""
    from .errors import LdnError
    from .files import write_atomic

    package = templates.folders[-1]
    if "/" in name or "\\" in name or not (package / name).is_file():
        known = ", ".join(sorted(p.name for p in package.glob("*.j2")))
        raise LdnError(f"no template {name!r} in the package (its templates: {known})")
    target = folder / name
    if target.exists():
        raise LdnError("already there: edit it, or remove it to export the package's again", target)
    write_atomic(target, (package / name).read_bytes())
    return target
