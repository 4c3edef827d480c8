"""Planning one build: :class:`Plan` (pure: no WeasyPrint, no worker); sharing it out between
machines: :func:`assign`.

The plan holds every edition of the build (and the editions of other locales
already in ``dist/``) and decides which must be made again from their
fingerprints (:mod:`ldn_i18n.manifest`). :mod:`.run` has them made on the
workers, :func:`.relink.relink` makes again the pages whose links changed, and
:mod:`.publish` tidies ``dist/``, writes the index and records the build;
:class:`.builder.Builder` runs the four in turn.

A shard of a build (``build --shard K/N``, one machine of N) makes only its
share of the editions (:func:`assign`, the same on every machine with the
same project and record) and their record entries. It plans the other
shards' editions too, each expected in ``dist/`` as a whole build would
expect it at first, so its pages link as that build's first pass would;
what another shard then finds (an edition that failed, or a draft a release
leaves out) is put right by :func:`ldn_i18n.editions.merge.merge`, which also
writes the index and the notice. A shard writes neither.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import LdnError
from ..manifest import PUBLISHED, BuildRecord, EditionEntry, Fingerprints
from ..project import SOURCE_LOCALE, Project, is_test_locale
from .results import (
    BILINGUAL_SUFFIXES,
    FORMATS,
    LARGE_SUFFIX,
    RECORD_SUFFIX,
    EditionResult,
    fail,
    folder_of,
    format_of,
    href_of,
    reuse,
)

_SHARD = re.compile(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` as ``(2, 3)``: share K of N, with 1 <= K <= N; anything else raises :class:`LdnError`."""
    found = _SHARD.fullmatch(text)
    shard = (int(found[1]), int(found[2])) if found else (0, 0)
    check_shard(shard, text)
    return shard


def check_shard(shard: tuple[int, int], given: str | None = None) -> None:
    """Raise :class:`LdnError` unless ``shard`` is ``(K, N)`` with 1 <= K <= N."""
    part, count = shard
    if not 1 <= part <= count:
        shown = given if given is not None else f"{part}/{count}"
        raise LdnError(
            f"--shard {shown!r}: give K/N, this machine's share K of N shares "
            "(1 <= K <= N), e.g. --shard 1/3 --shard 2/3 --shard 3/3 on three machines"
        )


def assign(seconds: Mapping[str, float], count: int) -> list[list[str]]:
    """Split editions into ``count`` shares of about equal time, given how long each takes.

    Longest processing time first: the editions, by seconds (longest first) and
    then key, go each to the share with the least time so far (the lowest
    number on a tie). The same figures give the same shares on every machine.
    """
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for key in sorted(seconds, key=lambda key: (-seconds[key], key)):
        share = min(range(count), key=lambda n: (loads[n], n))
        shares[share].append(key)
        loads[share] += seconds[key]
    return shares


def expected_seconds(record: BuildRecord, key: str) -> float:
    """How long the edition ``key`` took at its last build; with no record of it, an estimate:
    1 s in Chinese or Arabic script (more glyphs, font subsetting, shaping), else 0.5 s."""
    try:
        seconds = float(record.editions.get(key, {})["seconds"])
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    except (KeyError, TypeError, ValueError):
        pass
    try:
        from ..languages import language

        return 1.0 if language(key.partition("/")[0]).script in ("Hans", "Hant", "Arab") else 0.5
    except Exception:
        return 0.5


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """``formats`` in their order in :data:`FORMATS`; raises :class:`LdnError` for none or an unknown one."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise LdnError(f"unknown format {sorted(unknown)[0]!r} (use {', '.join(FORMATS)})")
    formats = tuple(f for f in FORMATS if f in formats)
    if not formats:
        raise LdnError(f"no output format given (use {', '.join(FORMATS)})")
    return formats


def select_locales(project: Project, locales: list[str] | None) -> tuple[list[str], list[str]]:
    """The project's edition locales (English first) and those of them a build selects.

    Raises :class:`LdnError` for a locale with no catalogs.
    """
    available = [SOURCE_LOCALE] + [loc for loc in project.edition_locales() if loc != SOURCE_LOCALE]
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    return available, [loc for loc in available if not locales or loc in locales]


def assignment(project: Project, count: int, locales: list[str] | None = None) -> list[list[str]]:
    """The editions of a build of ``locales`` (default: all) in ``count`` shares, as
    ``build --shard K/N`` on this project, with its record, would share them (:func:`assign`)."""
    _, selected = select_locales(project, locales)
    record = BuildRecord.load(project)
    keys = [f"{loc}/{path.stem}" for path in project.handout_paths() for loc in selected]
    return assign({key: expected_seconds(record, key) for key in keys}, count)


def edition_file_names(key: str) -> list[str]:
    """Every file, relative to ``dist/``, an edition may have: page, PDFs, translation record."""
    locale, _, slug = key.partition("/")
    suffixes = (
        ".html",
        ".pdf",
        LARGE_SUFFIX,
        *BILINGUAL_SUFFIXES,
        *(f"{RECORD_SUFFIX}.{x}" for x in ("json", "html")),
    )
    return [f"{folder_of(locale)}/{slug}{suffix}" for suffix in suffixes]


class Plan:
    """The editions of one build and what becomes of each: the state the runner, the relinker and
    the publisher share. Planning reads only the project and ``dist/editions.json``."""

    def __init__(
        self,
        project: Project,
        available: list[str],
        selected: list[str],
        formats: tuple[str, ...],
        release: bool,
        force: bool,
        on_result: Callable[[EditionResult], None] | None,
        shard: tuple[int, int] | None = None,
    ):
        self.project = project
        self.available = available
        self.selected = set(selected)
        self.formats = formats
        self.release = release
        self.force = force
        self.emit = on_result or (lambda result: None)
        self.record = BuildRecord.load(project)
        self.prints = Fingerprints(project, release)
        self.handouts = {path.stem: path for path in project.handout_paths()}
        #: Every edition this build selected, plus those of other locales that are in dist/.
        self.editions: dict[str, EditionResult] = {}
        #: Whether an edition is expected to be in dist/ after the build (what pages link to at first).
        self.expected: dict[str, bool] = {}
        #: This machine's share ``(K, N)`` of the build (``--shard K/N``), or None for all of it.
        self.shard = shard
        #: Keys of the selected editions this build makes: all of them, or its shard's share.
        self.mine: set[str] = set()
        #: Keys of the selected editions other shards make: planned only to link to, as expected.
        self.elsewhere: set[str] = set()
        #: Keys whose record entry a shard made in this build (:mod:`.merge`): one that failed or
        #: was not released from today's inputs is taken as it is, not made again.
        self.settled: set[str] = set()
        #: Keys of the editions the report gives (selected ones, and others made again).
        self.reported: set[str] = set()
        #: Record entries to replace (or drop, None) for editions of other locales that are gone.
        self.retired: dict[str, EditionEntry | None] = {}
        self._problems: dict[str, LdnError | None] = {}
        #: Whether the index lists pseudo- and test locales too.
        self.with_pseudo = False
        #: Problems of the build's shared outputs (the notice page), as ``path: error: ...`` lines.
        self.errors: list[str] = []
        #: What the build says of its shared outputs without failing (taglines left out).
        self.warnings: list[str] = []

    def plan(self) -> None:
        """Every edition of the build, and whether it is expected in dist/ afterwards."""
        selected = [
            f"{loc}/{slug}" for slug in self.handouts for loc in self.available if loc in self.selected
        ]
        self.mine = set(selected)
        if self.shard is not None:
            part, count = self.shard
            seconds = {key: expected_seconds(self.record, key) for key in selected}
            self.mine = set(assign(seconds, count)[part - 1])
            self.elsewhere = set(selected) - self.mine
        for slug, path in self.handouts.items():
            for locale in self.available:
                key = f"{locale}/{slug}"
                old = self.record.editions.get(key)
                if locale in self.selected:
                    self._plan_selected(slug, path, locale, old)
                elif old is not None:
                    self._plan_other(slug, locale, old)
        for key in self.record.editions:
            locale, _, slug = key.partition("/")
            if slug not in self.handouts or locale not in self.available:
                self.retired[key] = None  # a handout or locale that is no longer in the project

    def _plan_selected(self, slug: str, path: Path, locale: str, old: EditionEntry | None) -> None:
        result = EditionResult(slug, locale, formats=self.formats)
        result.content = self.prints.edition(path, locale, self.formats)
        self.editions[result.key] = result
        problem = self._locale_problem(locale)
        if problem is not None:
            result.error = str(problem)
            self.expected[result.key] = False
            if result.key in self.mine:
                self.report(result)
            return
        # Same inputs as an edition that failed or was not released last time: the same again.
        same = old is not None and old.get("content") == result.content
        self.expected[result.key] = not (same and old is not None and old.get("state") not in PUBLISHED)

    def _plan_other(self, slug: str, locale: str, old: EditionEntry) -> None:
        """An edition of a locale not selected: kept as it is, unless it must go."""
        key = f"{locale}/{slug}"
        state = old.get("state")
        if state not in PUBLISHED:
            return  # failed or not released: nothing of it is in dist/, and its entry says so
        if self.release and (state == "draft" or not old.get("release")):
            # A build that was not a release prints draft taglines in the notice of every page,
            # even in an edition whose own translation is final: a release leaves none.
            why = "draft" if state == "draft" else "made by a build that was not a release"
            self.retired[key] = {
                **old,
                "inputs": "",
                "state": "not released",
                "reasons": [f"{why}: removed by a release build (build it with --release)"],
                "outputs": [],
                "links": [],
            }
            return
        if not BuildRecord.outputs_exist(old, self.project):
            self.retired[key] = None  # its files are gone
            return
        outputs = [str(name) for name in old.get("outputs", [])]
        result = EditionResult(
            slug,
            locale,
            formats=tuple(f for f in FORMATS if any(format_of(name) == f for name in outputs)),
        )
        reuse(result, old, self.project)
        result.content = str(old.get("content", ""))
        result.inputs = str(old.get("inputs", ""))
        self.editions[key] = result
        self.expected[key] = result.published
        path = self.handouts.get(slug)
        if path is not None and result.content != self.prints.edition(path, locale, result.formats):
            self.warnings.append(
                f"{key}: out of date: what it is made from changed since it was built (a catalog, "
                f"the clinic file, a template...); build it again: ldn-i18n build --locale {locale}"
            )

    def _locale_problem(self, locale: str) -> LdnError | None:
        """Why ``locale/<locale>/`` cannot be used (naming the folder), or None.

        A locale one of whose editions was built from the same inputs is known
        to be fine, so a build with nothing to do does not load CLDR.
        """
        if locale == SOURCE_LOCALE:
            return None
        if locale not in self._problems:
            known = any(
                key.partition("/")[0] == locale
                and entry.get("state") != "failed"
                and entry.get("content")
                and entry.get("content")
                == self.prints.edition(
                    self.handouts.get(key.partition("/")[2], Path("-")), locale, self.formats
                )
                for key, entry in self.record.editions.items()
            )
            try:
                self._problems[locale] = None if known else self.project.locale_problem(locale)
            except Exception as exc:  # a bug in the check: this locale fails, the others go on
                self._problems[locale] = LdnError(
                    f"internal error: {type(exc).__name__}: {exc}", self.project.locale_dir / locale
                )
        return self._problems[locale]

    def links(self, result: EditionResult, there: Callable[[str], bool]) -> list[tuple[str, str]]:
        """What the page of ``result`` links to: every other edition of its handout ``there``."""
        links = []
        for locale in self.available:
            other = self.editions.get(f"{locale}/{result.handout}")
            if locale != result.locale and other is not None and there(other.key):
                links.append((locale, href_of(other)))
        return links

    def there(self, key: str) -> bool:
        """Whether edition ``key`` is in dist/ now; another shard's, whether it is expected to be."""
        if key in self.elsewhere:
            return self.expected.get(key, False)
        return self.editions[key].published

    def decide(self) -> list[EditionResult]:
        """The editions to make: their inputs (content and links) changed or their files are gone."""
        stale: list[EditionResult] = []
        for key, result in list(self.editions.items()):
            if result.error or key in self.elsewhere:
                continue
            links = self.links(result, lambda k: self.expected.get(k, False))
            if key in self.mine:
                result.links = links
                result.inputs = Fingerprints.linked(result.content, [href for _, href in links])
                if self._settled(result):
                    continue
                old = None if self.force else self.record.fresh(key, result.inputs, self.project)
                if old is None:
                    stale.append(result)
                else:
                    reuse(result, old, self.project)
                    self.report(result)
            elif result.content and result.inputs == Fingerprints.linked(
                result.content, [href for _, href in links]
            ):
                result.links = links  # another locale's edition, still linking to what is there
            elif self.shard is None:  # a shard leaves the other locales' pages to the merge
                stale.append(self.again(result, links))
        return stale

    def _settled(self, result: EditionResult) -> bool:
        """Take, as it is, an edition a shard of this build found failed or not released from
        the same inputs (content); whether it was one (then it is reported, not made again)."""
        old = self.record.editions.get(result.key)
        if result.key not in self.settled or old is None or old.get("content") != result.content:
            return False
        state = old.get("state")
        if state not in ("failed", "not released"):
            return False
        reuse(result, old, self.project)
        if state == "failed":
            reasons = old.get("reasons")
            fail(result, "\n".join(str(r) for r in reasons) if isinstance(reasons, list) else "failed")
        self.report(result)
        return True

    def again(self, result: EditionResult, links: list[tuple[str, str]]) -> EditionResult:
        """A task making ``result``'s edition again, from today's inputs, with ``links``."""
        content = self.prints.edition(self.handouts[result.handout], result.locale, result.formats)
        task = EditionResult(
            result.handout,
            result.locale,
            formats=result.formats,
            content=content,
            links=links,
            inputs=Fingerprints.linked(content, [href for _, href in links]),
        )
        self.editions[task.key] = task
        return task

    def report(self, result: EditionResult) -> None:
        self.editions[result.key] = result
        self.reported.add(result.key)
        self.emit(result)

    def results(self) -> list[EditionResult]:
        """The editions the build reports, by handout, then locale (English first)."""
        return [
            self.editions[key]
            for key in (f"{loc}/{slug}" for slug in self.handouts for loc in self.available)
            if key in self.reported
        ]

    def listed(self) -> list[EditionResult]:
        """The editions the index lists: those in dist/, by handout, then locale (English first).

        Pseudo- and test locales are left out unless the build was asked for them.
        """
        return [
            result
            for slug in self.handouts
            for locale in self.available
            if (result := self.editions.get(f"{locale}/{slug}")) is not None
            and result.published
            and (self.with_pseudo or not is_test_locale(locale))
        ]
