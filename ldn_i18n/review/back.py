"""Blind back-translation: :func:`update_back` creates or merges ``locale/<LL>/back/<domain>.po``.

A back catalog translates one locale's handout back into English, for someone
who has not seen the English: its msgids are the translations (NFC), its
msgstrs the back-translations, and nothing in it shows the English source (no
extracted comments, no ``#:`` locations, no translator comments of the forward
catalog). Each entry's msgctxt is :func:`~.signoff.message_key` of its source
message, so it follows that message and ``check`` can compare the
back-translation with the English (``back-numbers``, ``back-negation``).

Merging keeps the back-translator's work as ``update`` keeps the translator's:
an edited translation makes its entry fuzzy with the previous translation as
``#| msgid``; a changed English sentence is followed through the forward
catalog's ``#|`` previous msgid (fuzzy too); an entry whose message is gone
becomes obsolete (``#~``) and comes back when the message does. Only
translated, non-fuzzy, singular forward messages get a new entry; a fuzzy one
keeps the entry it already had. A run with no change writes no byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.core import Locale
from babel.messages.catalog import Catalog, Message

from ..check import check_back_catalog, load_rules
from ..errors import LdnError
from ..languages import language
from ..pofiles import (
    ProjectCatalog,
    catalog_bytes,
    entry_key,
    message_key,
    now,
    read_catalog,
    translated,
    write_catalog,
)
from ..project import NOTICE_DOMAIN, TEMPLATES_DOMAIN, Project
from ..text import nfc
from .signoff import content_hash

#: The language every back catalog is written in.
BACK_LANGUAGE = "en"
#: ``Last-Translator`` of a new back catalog, until the back-translator signs it.
UNFILLED_BACK_TRANSLATOR = "Unfilled: to be back-translated by someone who has not seen the English"


@dataclass(frozen=True, slots=True)
class Source:
    """One forward message as the back catalog sees it."""

    key: str
    """:func:`message_key` of its msgctxt and English msgid: the back entry's msgctxt."""
    previous_key: str | None
    """The key of the English it was translated from, when the forward entry is fuzzy with ``#|``."""
    translation: str
    """The forward msgstr in NFC: the back entry's msgid."""
    fuzzy: bool
    """Whether the forward translation is fuzzy (it then gets no new back entry)."""


def sources(forward: ProjectCatalog) -> list[Source]:
    """The translated singular messages of a forward catalog, in its order.

    Plural messages are skipped: a handout's messages are blocks of text and
    never plural (only the templates domain has plurals, and it has no back
    catalog).
    """
    found = []
    for message in forward:
        if not message.id or isinstance(message.id, (list, tuple)):
            continue
        translation = nfc(message.string) if isinstance(message.string, str) else ""
        if not translation:
            continue
        previous = message.previous_id[0] if message.fuzzy and message.previous_id else None
        found.append(
            Source(
                message_key(message.context, message.id),
                message_key(message.context, previous) if previous is not None else None,
                translation,
                message.fuzzy,
            )
        )
    return found


def new_back_catalog(forward: ProjectCatalog, locale: str, domain: str) -> ProjectCatalog:
    """An empty back catalog of ``domain`` for ``locale``: English, for a blind back-translator."""
    name = Locale.parse(language(locale).cldr).english_name
    return ProjectCatalog(
        locale=BACK_LANGUAGE,
        domain=domain,
        project=forward.project,
        version=forward.version,
        copyright_holder=forward.copyright_holder,
        msgid_bugs_address=forward.msgid_bugs_address,
        creation_date=now(),
        revision_date=now(),
        fuzzy=False,
        last_translator=UNFILLED_BACK_TRANSLATOR,
        language_team=f"Back-translation of {name} ({locale})",
        header_comment=(
            f"# Blind back-translation of the {name} ({locale}) translation of {domain}.\n"
            "# Translate each msgid back into English without looking at the English handout.\n"
            f"# `ldn-i18n back --locale {locale}` merges changes to the translation."
        ),
    )


def merge_back(catalog: ProjectCatalog, found: list[Source]) -> None:
    """Make ``catalog``'s entries those of ``found``, keeping every back-translation.

    Entries are matched by key (msgctxt), live or obsolete: exact keys first,
    then a fuzzy source's previous key. A changed msgid or key keeps the
    back-translation, marked fuzzy with the msgid it was made from as ``#|``.
    What is left becomes obsolete, older obsolete entries first.
    """
    old: dict[str, Message] = {}
    for message in [*catalog.obsolete.values(), *(m for m in catalog if m.id)]:
        old[_entry_key(message)] = message  # a live entry wins over an obsolete twin
    old_obsolete = [_entry_key(m) for m in catalog.obsolete.values()]
    matched: dict[str, tuple[Message, bool]] = {}  # source key -> (old entry, followed a changed key)
    for source in found:
        if source.key in old:
            matched[source.key] = (old.pop(source.key), False)
    for source in found:
        if source.key not in matched and source.previous_key in old:
            matched[source.key] = (old.pop(source.previous_key or ""), True)

    for message in [m for m in catalog if m.id]:
        catalog.delete(message.id, message.context)
    catalog.obsolete.clear()
    for source in found:
        previous, moved = matched.get(source.key, (None, False))
        if previous is None:
            if not source.fuzzy:
                catalog.add(source.translation, "", context=source.key)
            continue
        catalog[source.translation] = _carried(previous, source, moved)
    for key in [k for k in old_obsolete if k in old] + [k for k in old if k not in old_obsolete]:
        message = old[key]
        message.locations, message.auto_comments = [], []
        catalog.obsolete[entry_key(message.id, message.context)] = message


def _entry_key(message: Message) -> str:
    """A back entry's key: its msgctxt; an entry without one (added by hand) matches no source."""
    return message.context or f"\0{message.id!r}"


def _carried(previous: Message, source: Source, moved: bool) -> Message:
    """The old entry under ``source``'s key and translation, fuzzy when either changed."""
    string = previous.string if isinstance(previous.string, str) else ""
    made_from = previous.id if isinstance(previous.id, str) else previous.id[0]
    flags = set(previous.flags)
    previous_id = list(previous.previous_id) if previous.fuzzy else []
    if string and (moved or made_from != source.translation):
        flags.add("fuzzy")
        previous_id = previous_id or [made_from]
    if not string or "fuzzy" not in flags:
        previous_id = []
    return Message(
        source.translation,
        string,
        flags=flags,
        user_comments=list(previous.user_comments),
        previous_id=previous_id,
        context=source.key,
    )


def back_domains(project: Project) -> list[str]:
    """The handout domains (the templates domain has no back catalog)."""
    return [domain for domain in project.domains() if domain not in (TEMPLATES_DOMAIN, NOTICE_DOMAIN)]


def back_bytes(project: Project, locale: str, domain: str) -> bytes | None:
    """The merged back catalog of one handout, or None when the locale has no catalog for it.

    A forward or back catalog that cannot be read raises :class:`LdnError` naming it.
    """
    from ..update import merge_problems

    forward_path = project.po_path(locale, domain)
    if not forward_path.is_file():
        return None
    forward = read_catalog(forward_path, locale)
    path = project.back_path(locale, domain)
    catalog = read_catalog(path, BACK_LANGUAGE) if path.is_file() else None
    if catalog is None:
        catalog = new_back_catalog(forward, locale, domain)
    merge_back(catalog, sources(forward))
    data = catalog_bytes(catalog)
    problems = merge_problems(data)
    if problems:
        line, problem = problems[0]
        raise LdnError(f"merging would write an invalid back catalog: {problem}", path, line)
    return data


def update_back(project: Project, locale: str) -> list[Path]:
    """Create or merge every back catalog of ``locale``; the files written.

    Every catalog is read and merged before any is written, so a forward or
    back catalog that cannot be read leaves every back catalog untouched.
    """
    from ..update import check_locale

    check_locale(locale)
    if locale not in project.locales():
        raise LdnError(f"no catalogs for locale {locale!r}; run `ldn-i18n update --locale {locale}` first")
    if not project.is_edition_locale(locale):  # only in the notice: a tagline is not back-translated
        raise LdnError(
            f"locale {locale!r} has only the language-assistance notice's catalog, which is not "
            "back-translated (its reviewer checks it): nothing to do"
        )
    merged = {}
    for domain in back_domains(project):
        data = back_bytes(project, locale, domain)
        if data is not None:
            merged[project.back_path(locale, domain)] = data
    return [path for path, data in merged.items() if write_catalog(path, data)]


def keep_back(
    project: Project, locale: str, domain: str, old_key: str, new_key: str, translation: str
) -> bool:
    """The back-translation of a message whose English changed (``old_key`` -> ``new_key``) but
    whose translation a reviewer found still correct: when it was made from ``translation`` it
    follows the message to ``new_key``, no longer fuzzy. True when the back catalog changed."""
    path = project.back_path(locale, domain)
    if not path.is_file():
        return False
    catalog = read_catalog(path)
    translation = nfc(translation)
    entries = [*(m for m in catalog if m.id), *catalog.obsolete.values()]
    found = next((m for m in entries if m.context == new_key and nfc(str(m.id)) == translation), None)
    found = found or next(
        (m for m in entries if m.context == old_key and nfc(str(m.id)) == translation), None
    )
    if found is None or not found.string:
        return False
    made = _carried(found, Source(new_key, None, translation, False), moved=False)
    made.flags.discard("fuzzy")
    made.previous_id = []
    for message in entries:
        if message.context in (old_key, new_key):
            catalog.obsolete.pop(entry_key(message.id, message.context), None)
            if catalog.get(message.id, message.context) is not None:
                catalog.delete(message.id, message.context)
    catalog[translation] = made
    return write_catalog(path, catalog_bytes(catalog))


@dataclass(frozen=True, slots=True)
class BackStatus:
    """How far the blind back-translation of one handout catalog is."""

    path: Path
    """The back catalog (which may not exist yet)."""
    exists: bool
    """Whether the back catalog exists."""
    needed: int
    """Translated, non-fuzzy messages of the forward catalog: each needs a back-translation."""
    done: int
    """Of those, messages whose back entry is of the current translation, translated and not fuzzy."""
    translator: str = ""
    """The back catalog's ``Last-Translator``: the back-translator ('' when there is none)."""
    revision: str = ""
    """A hash of the back catalog's content ('' when there is none)."""
    errors: int = 0
    """Check errors of the back catalog (``back-numbers``...), as ``check`` reports them."""

    @property
    def missing(self) -> int:
        """Messages without a current back-translation."""
        return self.needed - self.done

    @property
    def complete(self) -> bool:
        return self.done == self.needed


def back_status(project: Project, locale: str, domain: str, forward: Catalog) -> BackStatus | None:
    """The back-translation of ``forward`` (``domain`` in ``locale``); None for the templates and the
    notice (their short labels and tagline are checked by the reviewer, not back-translated).

    A back catalog that cannot be read raises :class:`~ldn_i18n.errors.LdnError` naming it.
    """
    if domain in (TEMPLATES_DOMAIN, NOTICE_DOMAIN):
        return None
    path = project.back_path(locale, domain)
    exists = path.is_file()
    back = read_catalog(path, "en") if exists else None
    current: set[tuple[str, str]] = set()
    for entry in back or ():
        if entry.context and isinstance(entry.id, str) and entry.id and translated(entry):
            current.add((entry.context, nfc(entry.id)))
    needed = done = 0
    for message in forward:
        if not message.id or isinstance(message.id, (list, tuple)) or not translated(message):
            continue
        needed += 1
        done += (message_key(message.context, message.id), nfc(str(message.string))) in current
    errors = 0
    if back is not None:
        forward_path = project.po_path(locale, domain)
        forward_source: ProjectCatalog | Path = forward_path
        if isinstance(forward, ProjectCatalog) and forward.source_path == forward_path:
            forward_source = forward  # parsed once, by the caller
        findings = check_back_catalog(back, forward_source, load_rules(project, locale))
        errors = sum(f.level == "error" and f.counts for f in findings)
    return BackStatus(
        path=path,
        exists=exists,
        needed=needed,
        done=done,
        translator=(back.last_translator or "") if back is not None else "",
        revision=content_hash(back) if back is not None else "",
        errors=errors,
    )
