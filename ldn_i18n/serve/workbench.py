"""What the workbench keeps between requests: :class:`Workbench` (a project -> its catalogs, warm).

Each catalog is parsed once, with its status (:func:`~ldn_i18n.catalogs.catalog_status`: the
findings ``check`` reports, the sign-offs), and kept until the file watcher, or a save of
ours, says it changed (a stamp of the file is compared too, so a change the watcher has not
reported yet is never served). Locales and domains are checked against the project's own
lists before they name any path (:meth:`Workbench.catalog_path`).

A save (:meth:`Workbench.save`) merges per message: the catalog is read again from disk, only
the saved message is changed, and the file is written atomically in the form ``update`` writes
(:func:`~ldn_i18n.pofiles.catalog_bytes`). It carries the version of the message as the page
loaded it (:func:`version`); when the message on disk is no longer that version (Poedit saved
it meanwhile) the save is refused with :class:`Conflict` and nothing is written.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from ..catalogs import CatalogStatus, catalog_status
from ..check import Finding, check_message, load_rules
from ..errors import LdnError
from ..files import relative, write_atomic
from ..memory import PREFIX as MEMORY_PREFIX
from ..memory import memory_origin
from ..pofiles import ProjectCatalog, catalog_bytes, forms_of, msgstr_line, read_catalog
from ..project import Project, records_path
from ..review.signoff import bound, load_records, message_key, message_reviews, pair_hash


class NotFound(LdnError):
    """An unknown locale, domain or message key: the request names nothing the project has."""


class Conflict(LdnError):
    """The message changed on disk since the page loaded it: nothing was written."""

    def __init__(self, message: str, disk: tuple[str, ...], version: str) -> None:
        super().__init__(message)
        self.disk = disk
        """The translation now on disk (one string per form)."""
        self.version = version
        """The version of the message now on disk."""


def version(message: Message) -> str:
    """A short hash of one message as loaded (context, English, translation, fuzzy flag, comments):
    what a save carries so that a change made meanwhile on disk is never overwritten."""
    parts = (message.context, message.id, forms_of(message), bool(message.fuzzy), message.user_comments)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Loaded:
    """One catalog as read from disk, with what ``check`` and the sign-offs say of it."""

    path: Path
    """The .po file."""
    stamp: tuple[int, ...]
    """Modification times (ns) and sizes of the file, its sign-offs and back catalog when read."""
    catalog: ProjectCatalog
    """The parsed catalog."""
    status: CatalogStatus
    """Its counts, findings and review state, as ``status`` and the build compute them."""
    lines: list[str] = field(default_factory=list)
    """The file's lines (findings name msgstr lines)."""

    def messages(self) -> dict[str, Message]:
        """The live messages by sign-off key, in file order."""
        return {message_key(m.context, m.id): m for m in self.catalog if m.id}

    def line_of(self, message: Message) -> int:
        """The msgstr line of ``message`` (where its findings point)."""
        return msgstr_line(self.lines, message.lineno)

    def findings_of(self, message: Message) -> list[Finding]:
        """What ``check`` reports for ``message`` in the file as saved."""
        line = self.line_of(message)
        return [f for f in self.status.findings if f.line == line and f.msgid]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)


class Workbench:
    """A project served: its catalogs kept parsed, saves merged per message, changes announced."""

    def __init__(self, project: Project, key: Path | None = None, signing: bool = True) -> None:
        self.project = project
        #: The reviewer's private key that signs sign-offs; None: ssh-agent.
        self.key = key
        #: Whether sign-offs may be signed here: only when the workbench listens on this machine alone.
        self.signing = signing
        self.lock = threading.RLock()
        """Held while a catalog is read, checked, written or rendered: one at a time."""
        self._loaded: dict[tuple[str, str], Loaded] = {}
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        """Called with each change (``{"kind", "locale", "domain", "keys"}``): the preview and the pages."""

    # --- what the project has ------------------------------------------------------------------

    def locales(self) -> list[str]:
        """The usable locales with catalogs, in order."""
        return [loc for loc in self.project.locales() if self.project.locale_problem(loc) is None]

    def domains(self, locale: str) -> list[str]:
        """The catalogs ``locale`` has on disk (handouts, templates, notice), in the project's order."""
        if locale not in self.locales():
            raise NotFound(f"no locale {locale!r} in this project")
        return [d for d in self.project.domains() if self.project.po_path(locale, d).is_file()]

    def catalog_path(self, locale: str, domain: str) -> Path:
        """The .po of ``domain`` in ``locale``; :class:`NotFound` unless both are the project's own."""
        if domain not in self.domains(locale):
            raise NotFound(f"no catalog {domain!r} for locale {locale!r}")
        return self.project.po_path(locale, domain)

    # --- reading -------------------------------------------------------------------------------

    def load(self, locale: str, domain: str) -> Loaded:
        """The catalog, parsed and checked once and kept while it, its sign-offs and its back
        catalog are unchanged."""
        path = self.catalog_path(locale, domain)
        with self.lock:
            kept = self._loaded.get((locale, domain))
            stamp = self._stamp(path)
            if kept is not None and kept.stamp == stamp:
                return kept
            catalog = read_catalog(path, locale)
            status = catalog_status(self.project, locale, domain, catalog)
            if status is None:
                raise NotFound(f"no catalog {domain!r} for locale {locale!r}")
            lines = path.read_text(encoding="utf-8").splitlines()
            loaded = Loaded(path, stamp, catalog, status, lines)
            self._loaded[(locale, domain)] = loaded
            return loaded

    def _stamp(self, path: Path) -> tuple[int, ...]:
        """What says a kept catalog is current: the stamps of the file, its sign-offs, its back catalog."""
        back = path.parent.parent / "back" / path.name
        return (*_stamp(path), *_stamp(records_path(path)), *_stamp(back))

    def message(self, locale: str, domain: str, key: str) -> tuple[Loaded, Message]:
        """One message by its sign-off key; :class:`NotFound` when the catalog has none."""
        loaded = self.load(locale, domain)
        found = loaded.messages().get(key)
        if found is None:
            raise NotFound(f"no message {key!r} in {locale}/{domain}")
        return loaded, found

    def rows(self, locale: str, domain: str) -> list[dict[str, Any]]:
        """Every live message as the HTTP contract gives it (``GET /api/catalogs/...``)."""
        loaded = self.load(locale, domain)
        reviews = {
            r.key: r for r in message_reviews(loaded.catalog, load_records(self.project, locale, domain))
        }
        rows = []
        for number, (key, message) in enumerate(loaded.messages().items(), 1):
            ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
            forms = forms_of(message)
            review = reviews.get(key)
            rows.append(
                {
                    "number": number,
                    "key": key,
                    "context": message.context,
                    "msgid": ids[0] if len(ids) == 1 else list(ids),
                    "msgstr": forms[0] if len(ids) == 1 else list(forms),
                    "fuzzy": bool(message.fuzzy),
                    "findings": [finding_dict(f) for f in loaded.findings_of(message)],
                    "signed": review is not None and review.state == "signed",
                    "review": review.state if review is not None else "new",
                    "comments": [c for c in message.user_comments if not c.startswith(MEMORY_PREFIX)],
                    "origin": memory_origin(message),
                    "reviewer_comment": review_comment(message.user_comments),
                    "notes": [" ".join(message.auto_comments)] if message.auto_comments else [],
                    "previous": list(message.previous_id or []),
                    "line": loaded.line_of(message),
                    "version": version(message),
                    # What a sign-off of it binds, as read now: POST /api/review signs it only as this.
                    "shown": pair_hash(*bound(message)),
                }
            )
        return rows

    def findings(self, locale: str, domain: str, key: str, forms: Sequence[str]) -> list[Finding]:
        """What ``check`` would report for the message if its translation were ``forms`` (as typed)."""
        loaded, message = self.message(locale, domain, key)
        rules = load_rules(self.project, locale)
        where = relative(loaded.path, self.project.root)
        return check_message(message, forms, domain, rules, where, loaded.line_of(message))

    # --- writing -------------------------------------------------------------------------------

    def save(
        self,
        locale: str,
        domain: str,
        key: str,
        forms: Sequence[str],
        expected: str | None,
        fuzzy: bool | None = None,
        comment: Callable[[Message], None] | None = None,
    ) -> Loaded:
        """Write the translation ``forms`` of one message, merged into the catalog now on disk.

        ``expected`` is the :func:`version` the page loaded; a message that is no longer that
        version raises :class:`Conflict`, one that is gone :class:`NotFound`, and nothing is
        written. A changed translation is no longer fuzzy (as Poedit does); ``fuzzy`` sets the
        flag explicitly. ``comment`` may edit the message's translator comments.
        """
        path = self.catalog_path(locale, domain)
        with self.lock:
            catalog = read_catalog(path, locale)
            message = next(
                (m for m in catalog if m.id and message_key(m.context, m.id) == key),
                None,
            )
            if message is None:
                raise NotFound(f"no message {key!r} in {locale}/{domain} (its English changed on disk?)")
            now_on_disk = version(message)
            if expected is not None and expected != now_on_disk:
                raise Conflict(
                    f"{relative(path, self.project.root)}: this message was changed on disk since the "
                    "page loaded it (in Poedit?); nothing was written: compare, then save again",
                    forms_of(message),
                    now_on_disk,
                )
            plural = isinstance(message.id, (list, tuple))
            count = len(forms_of(message))
            if len(forms) != count or (not plural and count != 1):
                raise LdnError(f"this message has {count} form(s); {len(forms)} given")
            changed = tuple(forms) != forms_of(message)
            message.string = tuple(forms) if plural else forms[0]
            if fuzzy is not None or changed:
                message.flags.discard("fuzzy")
                if fuzzy:
                    message.flags.add("fuzzy")
                else:
                    message.previous_id = []
            if comment is not None:
                comment(message)
            write_atomic(path, catalog_bytes(catalog))
            self._loaded.pop((locale, domain), None)
            loaded = self.load(locale, domain)
        self.announce({"kind": "catalog", "locale": locale, "domain": domain, "keys": [key]})
        return loaded

    # --- changes -------------------------------------------------------------------------------

    def changed(self, paths: Sequence[Path]) -> None:
        """The watcher saw ``paths`` change: drop what was kept of them and tell the listeners."""
        seen = set()
        for path in paths:
            where = self._catalog_of(path)
            if where is None:
                seen.add(("project", "", ""))
                continue
            seen.add(("catalog", *where))
        for kind, locale, domain in sorted(seen):
            keys: list[str] = []
            with self.lock:
                before = self._loaded.pop((locale, domain), None) if kind == "catalog" else None
                if kind == "project":
                    self._loaded.clear()
                if before is not None:
                    try:
                        after = self.load(locale, domain)
                        old = {k: version(m) for k, m in before.messages().items()}
                        keys = [k for k, m in after.messages().items() if old.get(k) != version(m)]
                    except LdnError:
                        keys = []
            self.announce({"kind": kind, "locale": locale, "domain": domain, "keys": keys})

    def _catalog_of(self, path: Path) -> tuple[str, str] | None:
        """``(locale, domain)`` of a catalog, its sign-offs or back catalog under ``locale/``; None else."""
        try:
            parts = path.resolve().relative_to(self.project.locale_dir.resolve()).parts
        except ValueError:
            return None
        if len(parts) == 3 and parts[1] in ("LC_MESSAGES", "review", "back"):
            stem = Path(parts[2]).stem
            if stem in self.project.domains():
                return parts[0], stem
        return None

    def announce(self, change: dict[str, Any]) -> None:
        """Tell every listener of ``change``."""
        for listener in list(self.listeners):
            listener(change)


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding as the HTTP contract gives it (``check --format json``'s fields)."""
    return finding.as_dict()


#: How a review comment starts in the catalog (a translator comment line).
COMMENT_PREFIX = "review:"


def review_comment(comments: list[str]) -> str:
    """The reviewer's comment among a message's translator comments, as one text ('' when none)."""
    return " ".join(c[len(COMMENT_PREFIX) :].strip() for c in comments if c.startswith(COMMENT_PREFIX))
