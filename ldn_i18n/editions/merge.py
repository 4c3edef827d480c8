"""Putting the shards of a build together: :func:`merge` (shard ``dist/`` folders -> :class:`MergeReport`).

``build --shard K/N`` on N machines (a CI matrix) leaves N ``dist/`` folders,
each holding the files of its share of the editions and their entries in its
``editions.json``, whose ``shard`` field names the share and the build's
options (:class:`~ldn_i18n.manifest.ShardEntry`). :func:`merge` checks them
(each is a shard's, all were made with the same options, no two give one
edition differently; every file is one its record lists, with the SHA-256
it records, and none is a symbolic link), copies each share's files into the project's
``dist/`` and its entries into the record there, then runs the ordinary
build over it with the same options: an edition whose inputs match is kept;
a page whose links differ (an edition of another shard failed, or a release
left a draft out) is made again, as a single machine's second pass does; an
edition no shard gave is made here; the index and the notice are written.
An edition a shard found failed or not released is taken as it is, not
tried again. Last come ``dist/status.json`` and ``status.html``
(:mod:`ldn_i18n.status`). All of it holds the build lock
(:func:`~ldn_i18n.manifest.build_lock`); every file is written atomically.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LdnError
from ..files import write_atomic
from ..manifest import LOCK, RECORD, BuildRecord, EditionEntry, Fingerprints, build_lock
from ..project import Project
from .builder import Builder
from .plan import check_formats, edition_file_names, select_locales
from .results import BuildReport, EditionResult

#: What may differ between two shards' entries of one edition made from the same inputs.
_TIMES = ("built", "seconds")


@dataclass(frozen=True, slots=True)
class ShardOutput:
    """One shard's ``dist/``, as its record describes it."""

    folder: Path
    """The folder given: a shard's ``dist/`` (e.g. a downloaded CI artifact)."""
    part: tuple[int, int]
    """``(K, N)``: it holds share K of N."""
    editions: tuple[str, ...]
    """The keys of its share: the entries and files taken from it."""
    locales: tuple[str, ...] | None
    """The locales its build selected, or None for every one."""
    formats: tuple[str, ...]
    """The formats its build made."""
    release: bool
    """Whether its build was a release."""
    with_pseudo: bool
    """Whether the index is to list pseudo- and test locales."""
    record: BuildRecord
    """Its ``editions.json``."""

    def outputs(self, key: str) -> list[str]:
        """The files of edition ``key`` in this shard, relative to its folder."""
        value = self.record.editions[key].get("outputs", [])
        return [str(name) for name in value] if isinstance(value, list) else []


@dataclass(slots=True)
class MergeReport:
    """The outcome of a merge."""

    build: BuildReport
    """The build over the merged ``dist/``: every edition (kept, made again, failed), the shared outputs."""
    shards: list[Path] = field(default_factory=list)
    """The shards' folders, as given."""
    copied: list[Path] = field(default_factory=list)
    """The edition files taken from the shards into ``dist/``."""
    status: list[Path] = field(default_factory=list)
    """``dist/status.json`` and ``dist/status.html``."""
    warnings: list[str] = field(default_factory=list)
    """What the merge made that the shards should have (a shard not given, other inputs)."""
    errors: list[str] = field(default_factory=list)
    """What the status met that it cannot use (a locale folder, a shared file), ``path: error: ...``."""

    @property
    def ok(self) -> bool:
        return self.build.ok and not self.errors

    def summary(self) -> str:
        return f"merged {len(self.shards)} shards: {self.build.summary()}"


def merge(
    project: Project,
    folders: Sequence[Path],
    *,
    jobs: int | None = None,
    on_result: Callable[[EditionResult], None] | None = None,
) -> MergeReport:
    """Put the shards' ``dist/`` ``folders`` together in the project's ``dist/`` and finish the build there.

    The result is what one ``build`` with the shards' options and then
    ``status`` would have left, but for the times in the record. ``jobs`` and
    ``on_result`` are as for :func:`~ldn_i18n.editions.build`.

    Raises :class:`LdnError`, before writing anything, when a folder is not
    a shard's ``dist/``, when the shards were made with other options, when
    two give one edition differently, or when a shard holds a symbolic link,
    a file its record does not list or one whose SHA-256 is not the recorded one.
    """
    started = time.perf_counter()
    if not folders:
        raise LdnError("give the dist/ folder of each shard to merge")
    shards = [read_shard(Path(folder)) for folder in folders]
    for shard in shards[1:]:
        _same_options(shards[0], shard)
    claims = _claims(shards)
    first = shards[0]
    available, selected = select_locales(project, list(first.locales) if first.locales else None)
    warnings = _missing(shards) + _other_inputs(project, claims, available, first)
    with build_lock(project):
        copied = _copy(project, claims)
        record = BuildRecord.load(project)
        record.editions.update({key: shard.record.editions[key] for key, shard in claims.items()})
        record.shard = {}
        record.save(project)
        builder = Builder(project, available, selected, first.formats, first.release, False, jobs, on_result)
        builder.plan.with_pseudo = first.with_pseudo
        builder.plan.settled = set(claims)
        results = builder.run()
        built = BuildReport(
            results, time.perf_counter() - started, builder.plan.errors, builder.plan.warnings
        )
        from ..status import project_status, write_status

        status = project_status(project)
        written = write_status(project, status)
    return MergeReport(
        built,
        [shard.folder for shard in shards],
        copied,
        written,
        warnings,
        [str(problem.relative_to(project.root)) for problem in status.problems],
    )


def read_shard(folder: Path) -> ShardOutput:
    """The shard whose ``dist/`` is ``folder``; raises :class:`LdnError` naming what is wrong with it."""
    path = folder / RECORD
    if path.is_symlink():
        raise LdnError("a symbolic link in a shard's dist/: refusing to merge it", path)
    if not path.is_file():
        what = f"no {RECORD}" if folder.is_dir() else "not a folder" if folder.exists() else "no such folder"
        raise LdnError(f"not a shard's dist/: {what} (made by `ldn-i18n build --shard K/N`)", folder)
    record = BuildRecord.read(path)
    entry = record.shard
    part, keys, locales = entry.get("part"), entry.get("editions"), entry.get("locales")
    formats, release, with_pseudo = entry.get("formats"), entry.get("release"), entry.get("with_pseudo")
    if not (
        isinstance(part, list)
        and len(part) == 2
        and all(type(n) is int for n in part)
        and 1 <= part[0] <= part[1]
        and isinstance(keys, list)
        and all(isinstance(key, str) for key in keys)
        and (locales is None or (isinstance(locales, list) and all(isinstance(x, str) for x in locales)))
        and isinstance(formats, list)
        and all(isinstance(x, str) for x in formats)
        and isinstance(release, bool)
        and isinstance(with_pseudo, bool)
    ):
        raise LdnError(
            "not a shard's dist/: its record names no shard (made by `ldn-i18n build --shard K/N`; "
            "a whole build's dist/ needs no merge)",
            path,
        )
    try:
        checked = check_formats(tuple(formats))
    except LdnError as exc:
        raise LdnError(exc.message, path) from None
    shard = ShardOutput(
        folder,
        (part[0], part[1]),
        tuple(keys),
        tuple(locales) if locales is not None else None,
        checked,
        release,
        with_pseudo,
        record,
    )
    for key in shard.editions:
        _check_entry(shard, key)
    _check_folder(shard)
    return shard


def _check_entry(shard: ShardOutput, key: str) -> None:
    """Raise :class:`LdnError` unless the shard has an entry for ``key`` and every file it lists.

    A file must be one its edition may have (:func:`.plan.edition_file_names`), so nothing
    from a shard is written outside its edition's folder; and it must be a regular file (not a
    link) whose SHA-256 is the one the entry records, so nothing changed since the shard made it.
    """
    where = shard.folder / RECORD
    locale, _, slug = key.partition("/")
    plain = all(part and part not in (".", "..") and "\\" not in part for part in (locale, slug))
    if not plain or "/" in slug or key not in shard.record.editions:
        raise LdnError(f"the shard's edition {key!r} has no entry", where)
    allowed = set(edition_file_names(key))
    digests = shard.record.editions[key].get("sha256")
    for name in shard.outputs(key):
        if name not in allowed:
            raise LdnError(f"{key}: {name!r} is not a file of this edition", where)
        path = shard.folder / name
        if path.is_symlink():
            raise LdnError(f"{key}: {name} is a symbolic link, not a file the shard made", path)
        if not path.is_file():
            raise LdnError(f"{key}: its file {name} is missing", shard.folder)
        recorded = digests.get(name) if isinstance(digests, dict) else None
        if not isinstance(recorded, str):
            raise LdnError(
                f"{key}: the record gives no SHA-256 of {name} (a shard of this version records it)", where
            )
        if _sha256(path) != recorded:
            raise LdnError(
                f"{key}: {name} is not the file the shard made (its SHA-256 differs from the record's)", path
            )


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise LdnError(f"cannot read: {exc.strerror or exc}", path) from None


def _check_folder(shard: ShardOutput) -> None:
    """Raise :class:`LdnError` naming the first link, or file its record does not list, in the shard."""
    from ..clinic import LOGO_FILES

    # The logo each shard copied for its pages: the merge's own build copies it from source/.
    listed = {name for key in shard.editions for name in shard.outputs(key)} | {RECORD, LOCK, *LOGO_FILES}
    for top, folders, names in os.walk(shard.folder):
        for name in sorted(folders + names):
            path = Path(top) / name
            relative = path.relative_to(shard.folder).as_posix()
            if path.is_symlink():
                raise LdnError("a symbolic link in a shard's dist/: refusing to merge it", path)
            if name in names and relative not in listed:
                raise LdnError("a file the shard's editions.json does not list: refusing to merge it", path)


def _same_options(first: ShardOutput, other: ShardOutput) -> None:
    """Raise :class:`LdnError` naming ``other`` unless it is a share of the same build as ``first``."""
    for what, mine, theirs in (
        ("a split into", first.part[1], other.part[1]),
        ("--locale", first.locales, other.locales),
        ("--format", first.formats, other.formats),
        ("--release", first.release, other.release),
        ("--with-pseudo", first.with_pseudo, other.with_pseudo),
    ):
        if mine != theirs:
            raise LdnError(
                f"not a share of the same build as {first.folder}: {what} {_shown(theirs)} "
                f"against {_shown(mine)}",
                other.folder,
            )


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    return "every locale" if value is None else str(value)


def _claims(shards: list[ShardOutput]) -> dict[str, ShardOutput]:
    """The shard each edition is taken from; raises :class:`LdnError` when two give one differently."""
    claims: dict[str, ShardOutput] = {}
    for shard in shards:
        for key in shard.editions:
            first = claims.setdefault(key, shard)
            if first is not shard and not _same_edition(first, shard, key):
                raise LdnError(f"{key} is also given by {first.folder}, differently", shard.folder)
    return claims


def _same_edition(first: ShardOutput, other: ShardOutput, key: str) -> bool:
    """Whether two shards give edition ``key`` alike: the same entry (but its times) and files."""

    def entry(shard: ShardOutput) -> dict[str, object]:
        found: EditionEntry = shard.record.editions[key]
        return {name: value for name, value in found.items() if name not in _TIMES}

    if entry(first) != entry(other):
        return False
    return all(
        (first.folder / name).read_bytes() == (other.folder / name).read_bytes()
        for name in first.outputs(key)
    )


def _missing(shards: list[ShardOutput]) -> list[str]:
    """A warning for each share of the split that no folder gives: the merge makes its editions."""
    count = shards[0].part[1]
    given = {shard.part[0] for shard in shards}
    return [
        f"shard {part}/{count} was not given: its editions are made here"
        for part in range(1, count + 1)
        if part not in given
    ]


def _other_inputs(
    project: Project, claims: dict[str, ShardOutput], available: list[str], first: ShardOutput
) -> list[str]:
    """A warning when editions of the shards were made from other inputs than this project's."""
    prints = Fingerprints(project, first.release)
    handouts = {path.stem: path for path in project.handout_paths()}
    other = []
    for key, shard in sorted(claims.items()):
        locale, _, slug = key.partition("/")
        if slug in handouts and locale in available:
            content = shard.record.editions[key].get("content")
            if content != prints.edition(handouts[slug], locale, first.formats):
                other.append(key)
    if not other:
        return []
    return [
        f"{len(other)} editions of the shards ({', '.join(other[:3])}{', ...' if len(other) > 3 else ''}) "
        "were made from other inputs than this checkout's (another commit, catalogs `update` "
        "rewrote, SOURCE_DATE_EPOCH or package versions): they are made again here"
    ]


def _copy(project: Project, claims: dict[str, ShardOutput]) -> list[Path]:
    """Copy each edition's files from the shard that gives it into ``dist/``; the files."""
    copied = []
    for key, shard in sorted(claims.items()):
        for name in shard.outputs(key):
            source = shard.folder / name
            try:
                data = source.read_bytes()
            except OSError as exc:
                raise LdnError(f"cannot read: {exc.strerror or exc}", source) from None
            if hashlib.sha256(data).hexdigest() != shard.record.editions[key]["sha256"][name]:
                raise LdnError(f"{key}: {name} changed while it was merged", source)
            write_atomic(project.dist_dir / name, data)
            copied.append(project.dist_dir / name)
    return copied
