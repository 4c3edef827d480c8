"""What was built from what: :class:`Fingerprints` hash inputs, :class:`BuildRecord` remembers.

``dist/editions.json`` records, per edition, the hash of every input it was
built from (handout, its catalogs, the shared library, clinic file, rules,
templates, the tool's and renderer's versions, the build options, and the
other editions its page links to) with its state and files. An edition whose
inputs hash the same and whose files are all there is not built again.
Each entry also holds the SHA-256 of each of its files (:func:`file_digests`).
The record of a shard's build (``build --shard K/N``) also says which
editions are that shard's (:class:`ShardEntry`), for the merge, which checks
every file against it.
:func:`build_lock` keeps two builds of one tree from running at once, so
neither loses what the other recorded.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict, cast

from .errors import LdnError
from .files import source_date, write_atomic
from .project import NOTICE_DOMAIN, TEMPLATES_DOMAIN, Project, records_path

RECORD = "editions.json"
#: What became of an edition: built final or as a draft, not released (a release build's draft), failed.
EditionState = Literal["final", "draft", "not released", "failed"]
#: The states of an edition whose files are in ``dist/``.
PUBLISHED: tuple[EditionState, ...] = ("final", "draft")
#: Held (``flock``) by a build from before it reads the record until it has written it.
LOCK = ".build.lock"


def _versions() -> str:
    """Every version an edition's look can depend on (:func:`~ldn_i18n.versions.dependency_versions`)."""
    from .versions import dependency_versions

    return ";".join(f"{name}={version}" for name, version in sorted(dependency_versions().items()))


class Fingerprints:
    """Hashes of an edition's inputs; each file is read and hashed once per run.

    :meth:`edition` hashes what the edition's content is made from (``content``
    in the record); :meth:`linked` adds the other editions its page links to,
    which is what decides whether it is made again (``inputs``).
    """

    def __init__(self, project: Project, release: bool):
        self.project = project
        self._files: dict[Path, str] = {}
        shared = [project.references_path, project.clinic_path, project.root / "source" / "terms.yaml"]
        # Every other shared file of source/ (the clinic's logo among them), but the handouts.
        shared += sorted(
            p for p in (project.root / "source").glob("*") if p.is_file() and p.name != "handouts"
        )
        shared.append(project.root / "source" / "policy.yaml")
        shared.append(project.root / "source" / "reviewers")  # whose signatures count
        # The language-assistance notice every edition prints: its source, taglines and sign-offs.
        notices = sorted(project.locale_dir.glob(f"*/LC_MESSAGES/{NOTICE_DOMAIN}.po"))
        shared += [project.notice_path, *notices, *(records_path(path) for path in notices)]
        shared += project.templates.files()
        self._shared = self._digest(
            _versions(),
            str(release),
            str(source_date() or ""),
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

    def edition(self, handout: Path, locale: str, formats: Sequence[str]) -> str:
        """The hash of everything the edition of ``handout`` in ``locale`` is made from, but its links."""
        project = self.project
        catalogs = [project.po_path(locale, handout.stem), project.po_path(locale, TEMPLATES_DOMAIN)]
        own = [
            *catalogs,
            *(records_path(catalog) for catalog in catalogs),  # who signed which message
            project.locale_dir / locale / "back" / f"{handout.stem}.po",
            project.locale_dir / locale / "glossary.yaml",
        ]
        return self._digest(
            self._shared, ",".join(formats), locale, self.file(handout), *(self.file(p) for p in own)
        )

    @classmethod
    def linked(cls, content: str, links: Iterable[str]) -> str:
        """The inputs of an edition: its ``content`` hash and the files its page links to."""
        return cls._digest(content, *links)

    def notice(self, files: Iterable[str]) -> str:
        """The hash of the notice's ``files`` in ``dist/``: the shared inputs, the notice among them."""
        return self._digest(self._shared, "notice", *files)

    def index(self, handouts: Iterable[Path], editions: Iterable[str]) -> str:
        """The hash of ``dist/index.html``: the handouts' sources and what is listed of each edition."""
        return self._digest(self._shared, *(self.file(p) for p in handouts), "|", *editions)


class EditionEntry(TypedDict, total=False):
    """One edition's entry in ``dist/editions.json`` (paths relative to ``dist/``)."""

    content: str
    """Hash of what the edition is made from, without its links."""
    inputs: str
    """Hash of its content and its links; empty when it failed."""
    state: EditionState
    built: str
    """When it was last made (UTC, minutes)."""
    seconds: float
    """How long making it took, in its worker."""
    pages: int
    large_pages: int
    bilingual_pages: int
    warnings: list[str]
    reasons: list[str]
    """Why it was not released, or why it failed."""
    outputs: list[str]
    sha256: dict[str, str]
    """The SHA-256 of each of its ``outputs`` as written, by name: what ``merge`` checks a shard's
    files against."""
    links: list[str]
    """The other editions its page links to."""
    title: str
    """Its title in its language, as its page prints it."""
    notice: str
    """Why it is a draft, in its language; empty when final."""
    release: bool
    """Whether a release build made it (one that was not prints draft taglines in its notice)."""
    fonts: list[dict[str, str]]
    """The fonts its PDFs embed, each ``{"font", "version", "file"}``: why two machines' PDFs differ."""
    record: list[str]
    """Its release record, ``records/<lang>/<handout>/<date>.json`` and ``.html`` (from the project)."""


class ShardEntry(TypedDict, total=False):
    """What a shard's build (``build --shard K/N``) made, in its ``dist/editions.json``."""

    part: list[int]
    """``[K, N]``: the build's share K of N."""
    editions: list[str]
    """The keys of its share: the editions whose entries and files are this shard's."""
    locales: list[str] | None
    """The locales the build selected (``--locale``), or None for every one."""
    formats: list[str]
    """The formats it made (``--format``)."""
    release: bool
    """Whether it was a release (``--release``)."""
    with_pseudo: bool
    """Whether its index is to list pseudo- and test locales (``--with-pseudo``)."""


def file_digests(dist: Path, names: Iterable[str]) -> dict[str, str]:
    """The SHA-256 of each file ``names`` in ``dist``, by name (an unreadable one is left out)."""
    digests = {}
    for name in names:
        try:
            digests[name] = hashlib.sha256((dist / name).read_bytes()).hexdigest()
        except OSError:
            continue
    return digests


@dataclass
class BuildRecord:
    """The last build of every edition, keyed ``<locale>/<handout>``."""

    editions: dict[str, EditionEntry] = field(default_factory=dict)
    """Per edition, what it was made from and what became of it."""
    index: str = ""
    """The hash ``dist/index.html`` was last written from."""
    notice: dict[str, Any] = field(default_factory=dict)
    """``inputs`` (hash) and ``warnings`` of the last ``dist/notice.html`` and ``.pdf``."""
    shard: ShardEntry = field(default_factory=lambda: ShardEntry())
    """When the last build was a shard of one, which it was; empty after a whole build."""

    @classmethod
    def load(cls, project: Project) -> BuildRecord:
        """The record in ``dist/``, or an empty one when there is none or it is unreadable."""
        try:
            return cls.read(project.dist_dir / RECORD)
        except LdnError:
            return cls()

    @classmethod
    def read(cls, path: Path) -> BuildRecord:
        """The record in the file ``path``; raises :class:`LdnError` when it is missing or unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            editions: dict[str, EditionEntry] = {
                str(k): cast(EditionEntry, v)
                for k, v in dict(data["editions"]).items()
                if isinstance(v, dict)
            }
            index = data.get("index", "")
            notice = data.get("notice", {})
            shard = data.get("shard", {})
            return cls(
                editions,
                index if isinstance(index, str) else "",
                notice if isinstance(notice, dict) else {},
                cast(ShardEntry, shard) if isinstance(shard, dict) else ShardEntry(),
            )
        except OSError as exc:
            raise LdnError(f"cannot read the build record: {exc.strerror or exc}", path) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise LdnError(f"not a build record: {type(exc).__name__}: {exc}", path) from None

    def fresh(self, key: str, inputs: str, project: Project) -> EditionEntry | None:
        """The record of ``key`` when it was built from ``inputs`` and its files are still there."""
        entry = self.editions.get(key)
        if not entry or entry.get("inputs") != inputs or entry.get("state") == "failed":
            return None
        return entry if self.outputs_exist(entry, project) else None

    @staticmethod
    def outputs_exist(entry: EditionEntry, project: Project) -> bool:
        """Whether every file the entry lists is in ``dist/``."""
        outputs = entry.get("outputs", [])
        if not isinstance(outputs, list):
            return False
        return all(isinstance(name, str) and (project.dist_dir / name).is_file() for name in outputs)

    def save(self, project: Project) -> None:
        data: dict[str, Any] = {"version": 1, "editions": dict(sorted(self.editions.items()))}
        if self.index:
            data["index"] = self.index
        if self.notice:
            data["notice"] = self.notice
        if self.shard:
            data["shard"] = self.shard
        write_atomic(project.dist_dir / RECORD, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """Hold ``dist/.build.lock`` while a build reads, makes and records its editions.

    A second build of the same tree waits (and says so once on stderr) instead
    of interleaving with the first and overwriting what it recorded.
    """
    path = project.dist_dir / LOCK
    try:
        project.dist_dir.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115  (closed by the with below)
    except OSError as exc:
        reason = (
            "Not a directory" if project.dist_dir.exists() and not project.dist_dir.is_dir() else exc.strerror
        )
        raise LdnError(f"cannot write: {reason}", project.dist_dir) from None
    with handle:
        if sys.platform == "win32":  # no flock: builds are not serialised there
            yield
            return
        import fcntl

        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"waiting for another build of {project.dist_dir} to finish ({path.name})",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
