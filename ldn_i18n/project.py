"""Where a project keeps its files: :func:`load_project` -> :class:`Project`.

A project is any folder with ``source/handouts/*.md``; the clinic keeps its
handouts in a repository of its own and points the tool at it with ``--root``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LdnError

#: Gettext domain of the templates' own strings (labels, page numbering).
TEMPLATES_DOMAIN = "templates"
#: The language the handouts are written in.
SOURCE_LOCALE = "en"


@dataclass(frozen=True, slots=True)
class Location:
    """One clinic location, as printed in the header."""

    name: str
    """The label printed above the address, e.g. ``Tampa``."""
    street: str
    """Street line, e.g. ``3102 W Cypress St``."""
    city: str = ""
    """City, when it differs from the label or should be printed."""
    state: str = ""
    """Two-letter state code."""
    postal_code: str = ""
    """ZIP code, when known."""


@dataclass(frozen=True, slots=True)
class Clinic:
    """The clinic's shared details (``source/clinic.yaml``)."""

    phone: str
    """Main phone number as printed."""
    fax: str
    """Fax number as printed."""
    locations: tuple[Location, ...]
    """Every location, in print order."""
    name: str = ""
    """The clinic's name; empty when not given."""


@dataclass(frozen=True, slots=True)
class Project:
    """The folders and shared files of one handout project."""

    root: Path
    """The project folder (``--root``, default the current directory)."""
    templates_dir: Path
    """Jinja2 templates: the project's ``templates/`` or the packaged defaults."""
    dist_dir: Path = field(init=False)
    """Build output, ``dist/``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dist_dir", self.root / "dist")

    @property
    def handouts_dir(self) -> Path:
        return self.root / "source" / "handouts"

    @property
    def references_path(self) -> Path:
        return self.root / "source" / "references.json"

    @property
    def clinic_path(self) -> Path:
        return self.root / "source" / "clinic.yaml"

    @property
    def locale_dir(self) -> Path:
        return self.root / "locale"

    def handout_paths(self) -> list[Path]:
        """Every ``source/handouts/*.md``, sorted; a new file needs no code change."""
        return sorted(self.handouts_dir.glob("*.md"))

    def pot_path(self, domain: str) -> Path:
        return self.locale_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.locale_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def domains(self) -> list[str]:
        """One gettext domain per handout, plus the templates' domain."""
        return [path.stem for path in self.handout_paths()] + [TEMPLATES_DOMAIN]

    def locales(self) -> list[str]:
        """Locales with at least one catalog under ``locale/<LL>/LC_MESSAGES``."""
        if not self.locale_dir.is_dir():
            return []
        return sorted(
            entry.name for entry in self.locale_dir.iterdir() if any((entry / "LC_MESSAGES").glob("*.po"))
        )

    def load_clinic(self) -> Clinic:
        """Read ``source/clinic.yaml``; a missing field names the file."""
        data = read_yaml(self.clinic_path)
        try:
            locations = tuple(Location(**{k: str(v) for k, v in loc.items()}) for loc in data["locations"])
            return Clinic(
                phone=str(data["phone"]),
                fax=str(data["fax"]),
                locations=locations,
                name=str(data.get("name", "")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise LdnError(
                f"clinic file needs phone, fax and locations (name, street): {exc}", self.clinic_path
            ) from None


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; a syntax error names its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LdnError(f"cannot read: {exc.strerror}", path) from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LdnError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path, line) from None


def default_templates_dir() -> Path:
    """The templates shipped with the package (wheel) or beside it (checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "default_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def load_project(root: str | Path = ".") -> Project:
    """The project at ``root``; it must have ``source/handouts/``."""
    root = Path(root).resolve()
    if not (root / "source" / "handouts").is_dir():
        raise LdnError("not an ldn_i18n project: no source/handouts/ folder", root)
    own = root / "templates"
    templates = own if (own / "handout.html.j2").is_file() else default_templates_dir()
    return Project(root=root, templates_dir=templates)
