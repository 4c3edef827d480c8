"""Stage 3, update: :func:`update` creates or merges ``locale/<LL>/LC_MESSAGES/<domain>.po``.

It returns an :class:`UpdateReport`: the catalogs written, created and left
unchanged, those that could not be merged (each left untouched) with their
errors, and warnings.

Babel's catalog machinery does the merge, with GNU msgmerge's rules where
Babel differs (:func:`merge`): a changed source string keeps its old
translation as fuzzy with the previous msgid (``#|``), a removed one becomes
obsolete (``#~``) and is never deleted, and one that comes back gets its
obsolete translation, comments and fuzzy flag back, never beside an obsolete
twin. Language and Plural-Forms come from CLDR. A run with no source change
writes no byte, and a merge msgfmt --check would reject writes nothing.

After the merge, a message still empty is filled from the translation memory of its language
(:mod:`ldn_i18n.memory`, built once per run from the catalogs read for the merge), unless
``memory=False`` (``update --no-memory``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.core import Locale
from babel.messages.catalog import Catalog, Message

from .errors import LdnError
from .languages import language, locale_problem
from .memory import Memory, fill
from .plurals import plural_forms_for
from .pofiles import ProjectCatalog, catalog_bytes, entry_key, now, read_catalog, syntax_errors, write_catalog
from .poscan import scan_entries
from .project import Project
from .review.signoff import follow_changes, migrate_legacy

#: Header put on a new catalog until a translator signs it with their name.
DRAFT_TRANSLATOR = "Unreviewed draft, not yet checked by a qualified medical translator"


def check_locale(locale: str) -> str:
    """A locale identifier Babel (CLDR) knows, written as its folder is named, e.g. ``es``,
    ``pt_BR``, ``zh_Hans``, or ``en_XA`` (:func:`~ldn_i18n.languages.locale_problem`)."""
    problem = locale_problem(locale)
    if problem:
        raise LdnError(problem)
    return locale


def new_catalog(template: ProjectCatalog, locale: str) -> ProjectCatalog:
    """A fresh catalog for ``locale`` from a template, header from CLDR."""
    catalog = ProjectCatalog(
        locale=locale,
        domain=template.domain,
        project=template.project,
        version=template.version,
        copyright_holder=template.copyright_holder,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=now(),
        fuzzy=False,
        last_translator=DRAFT_TRANSLATOR,
        language_team=Locale.parse(language(locale).cldr).english_name,
        header_comment=(
            f"# {Locale.parse(language(locale).cldr).english_name} translation of {template.domain}.\n"
            "# Edit in Poedit or Weblate; `ldn-i18n update` merges source changes."
        ),
    )
    # Plural-Forms from the table every tool agrees with (GNU gettext's where it has the language),
    # not from the installed Babel, whose CLDR may change from one release to the next.
    catalog.mime_headers = [
        (name, plural_forms_for(locale) if name == "Plural-Forms" else value)
        for name, value in catalog.mime_headers
    ]
    for message in template:
        if message.id:
            catalog.add(
                message.id,
                None,
                locations=message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                context=message.context,
            )
    return catalog


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return any(strings)


def _plural_id(message: Message) -> str | None:
    return message.id[1] if isinstance(message.id, (list, tuple)) else None


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def merge(catalog: ProjectCatalog, template: Catalog) -> None:
    """Merge ``template`` into ``catalog`` as GNU ``msgmerge --previous`` does.

    Babel's :meth:`Catalog.update` does the matching, but it looks only at live
    messages: a message that comes back would get an empty entry beside its
    obsolete ``#~`` twin (a duplicate msgfmt rejects) and lose its translation.
    Here, as in msgmerge, obsolete entries are definitions too: an exact
    msgid+msgctxt match restores the translation, translator comments and
    fuzzy flag, and an obsolete translation can be a fuzzy match (it is then
    used up, as a live one is). A message whose msgid_plural changed becomes
    fuzzy, a fuzzy message keeps the previous msgid its translation was made
    from, and format flags (``python-format``) are the template's.
    A live message and an obsolete one never share a key afterwards.
    """
    live: dict[str | tuple[str, str], Message] = {}
    for message in catalog:
        if message.id:
            live[entry_key(message.id, message.context)] = message
    old_obsolete = {entry_key(message.id, message.context): message for message in catalog.obsolete.values()}
    for key, old in old_obsolete.items():  # a twin left by an earlier merge: keep the translated one
        if key in live and _translated(old) and not _translated(live[key]):
            live[key].string, live[key].flags = old.string, set(old.flags)
            live[key].user_comments, live[key].previous_id = list(old.user_comments), list(old.previous_id)
    definitions = dict(live)
    for key, old in old_obsolete.items():
        definitions.setdefault(key, old)
    catalog.obsolete.clear()
    for key, message in definitions.items():
        if key not in live:
            catalog[message.id] = message  # an obsolete definition, matched like a live one
    by_id = {_ids(m)[0]: m for m in reversed(definitions.values())}
    catalog.update(template, update_creation_date=True)

    for message in catalog:
        if not message.id:
            continue
        key = entry_key(message.id, message.context)
        reference = template.get(message.id, message.context)
        if reference is None:
            continue
        fuzzy = message.fuzzy
        exact = definitions.get(key)
        if exact is not None:  # same msgid and msgctxt: Babel kept no previous msgid
            if _plural_id(exact) != _plural_id(reference) and _translated(message):
                fuzzy = True
                message.previous_id = _ids(exact)
            elif fuzzy and exact.previous_id:
                message.previous_id = list(exact.previous_id)
        elif message.previous_id:  # a fuzzy match: msgmerge shows what the translation was made from
            source = by_id.get(message.previous_id[0])
            if source is not None and source.fuzzy and source.previous_id:
                message.previous_id = list(source.previous_id)
        # The translator's flags (no-wrap...) stay; format flags are the template's, as in msgmerge.
        formats = {flag for flag in reference.flags if flag.endswith("-format")}
        message.flags = {flag for flag in message.flags if not flag.endswith("-format")} | formats
        if fuzzy:
            message.flags.add("fuzzy")
        if not fuzzy or not _translated(message):
            message.previous_id = []

    # Obsolete entries: those that were obsolete first, in their order, then the newly removed.
    remaining = {entry_key(message.id, message.context): message for message in catalog.obsolete.values()}
    catalog.obsolete.clear()
    for key in [k for k in remaining if k in old_obsolete] + [k for k in remaining if k not in old_obsolete]:
        message = remaining[key]
        message.locations, message.auto_comments = [], []
        catalog.obsolete[key] = message
    for key, message in list(catalog.obsolete.items()):
        if catalog.get(message.id, message.context) is not None:  # never a live and an obsolete twin
            del catalog.obsolete[key]


def merge_problems(data: bytes) -> list[tuple[int, str]]:
    """``(line, problem)`` in merged bytes that msgfmt --check would reject: syntax, duplicate keys."""
    problems = syntax_errors(data)
    if problems:
        return problems
    seen: dict[tuple[str | None, str], int] = {}
    entries, _ = scan_entries(data.decode("utf-8", "replace"))
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            problems.append((entry.linenum, f"duplicate of the entry at line {seen[key]}"))
        seen.setdefault(key, entry.linenum)
    return problems


def update_catalog(
    template_path: Path,
    po_path: Path,
    locale: str,
    notes: list[str] | None = None,
    *,
    current: ProjectCatalog | LdnError | None = None,
    memory: Memory | None = None,
    filled: dict[Path, int] | None = None,
) -> bool:
    """Create or merge one catalog; True when the file changed. A new catalog of the templates or
    the notice starts from the package's shared drafts (:mod:`ldn_i18n.shared`).

    A catalog-level sign-off of earlier versions (``X-Reviewed-*`` headers) is
    removed, and what was removed is added to ``notes``. ``current`` is the file
    as already read (or the error reading it gave), when the caller has it.
    With ``memory``, the messages still empty are filled from it
    (:func:`ldn_i18n.memory.fill`) and their number is put in ``filled``.

    A merge whose result would be rejected by msgfmt --check raises
    :class:`LdnError` and writes nothing.
    """
    if isinstance(current, LdnError):
        raise current
    template = read_catalog(template_path)
    changed: set[object] = set()
    if po_path.is_file():
        catalog = current if current is not None else read_catalog(po_path, locale)
        removed = migrate_legacy(catalog)  # it counts nowhere: removed once, saying so
        if removed and notes is not None:
            notes.append(f"{po_path}: {removed}")
        before = {entry_key(m.id, m.context) for m in [*catalog, *catalog.obsolete.values()] if m.id}
        merge(catalog, template)
        follow_changes(catalog, po_path)  # a changed message keeps its sign-off history
        changed = {key for m in catalog if m.id and (key := entry_key(m.id, m.context)) not in before}
    else:
        from .shared import seed_catalog

        catalog = new_catalog(template, locale)
        seed_catalog(catalog, locale, po_path.stem)  # the labels and taglines every clinic shares
    if memory is not None:  # after follow_changes: a match's #| never ties it to a sign-off here
        count = fill(catalog, memory, locale, po_path.stem, changed)
        if count and filled is not None:
            filled[po_path] = count
    data = catalog_bytes(catalog)
    problems = merge_problems(data)
    if problems:
        line, problem = problems[0]
        raise LdnError(
            f"merging {template_path.name} would write an invalid catalog: {problem}", po_path, line
        )
    return write_catalog(po_path, data)


@dataclass(slots=True)
class UpdateReport:
    """What :func:`update` did to each catalog of the locales it was asked for."""

    written: list[Path] = field(default_factory=list)
    """Catalogs written (created or changed by the merge), in the order they were made."""
    created: list[Path] = field(default_factory=list)
    """Of those, the catalogs that did not exist and were made from their template."""
    unchanged: list[Path] = field(default_factory=list)
    """Catalogs the merge left byte for byte as they were."""
    failed: dict[Path, LdnError] = field(default_factory=dict)
    """Catalogs that could not be merged, each left untouched, with the error naming file and line."""
    warnings: list[str] = field(default_factory=list)
    """Problems that do not stop the update; the CLI prints each as ``warning: ...``."""
    from_memory: dict[Path, int] = field(default_factory=dict)
    """Per catalog, the messages the translation memory filled in this run (each fuzzy)."""

    @property
    def ok(self) -> bool:
        """Whether every catalog was merged."""
        return not self.failed


def font_warnings(locales: list[str]) -> list[str]:
    """For each locale whose script no installed font prints, what to install (:mod:`ldn_i18n.fonts`)."""
    from .fonts import font_problem

    warnings = []
    for locale in locales:
        try:
            problem = font_problem(locale)
        except LdnError:
            continue  # not a locale: the build names the folder
        if problem:
            warnings.append(problem)
    return warnings


def read_memory(project: Project, locales: list[str]) -> tuple[Memory, dict[Path, ProjectCatalog | LdnError]]:
    """The translation memory of ``locales`` from every catalog they have (all handouts, the
    templates, the notice), and each catalog as read (or the error reading it gave), for the merge."""
    memory = Memory()
    parsed: dict[Path, ProjectCatalog | LdnError] = {}
    for locale in locales:
        for domain in project.domains():
            path = project.po_path(locale, domain)
            if not path.is_file():
                continue
            try:
                catalog = read_catalog(path, locale)
            except LdnError as exc:
                parsed[path] = exc
                continue
            parsed[path] = catalog
            memory.add(locale, domain, catalog)
    return memory, parsed


def update(project: Project, locales: list[str] | None = None, *, memory: bool = True) -> UpdateReport:
    """Merge every template into the catalogs of ``locales`` (default: every locale with editions,
    and every language of the language-assistance notice for its catalog).

    A language named in ``notice-languages:`` of the clinic file that has no edition gets only
    its ``notice`` catalog; a locale named in ``locales`` (a language the clinic adds) and every
    locale with editions get a catalog of every handout and the templates too.

    A catalog that cannot be merged is left as it is and listed in
    :attr:`UpdateReport.failed`; the others are still merged. An unknown
    locale or a missing template raises :class:`LdnError` before any catalog
    is touched.

    With ``memory`` (the default), a message still empty after the merge is filled from the
    other catalogs of its language (:mod:`ldn_i18n.memory`); :attr:`UpdateReport.from_memory`
    counts them.
    """
    failed: dict[Path, LdnError] = {}
    notice: tuple[str, ...] = ()
    try:
        if project.notice_path.is_file():
            clinic = project.load_clinic()
            notice = clinic.notice_languages
            if clinic.notice_errors:  # an entry that is no locale: named, and no path made of it
                failed[project.clinic_path] = clinic.notice_errors[0]
    except LdnError as exc:  # a bad clinic file: the notice's catalogs wait, the others are merged
        failed[project.clinic_path] = exc
    if locales:
        targets = [check_locale(loc) for loc in locales]
    else:
        targets = list(dict.fromkeys([*project.edition_locales(), *notice]))
    templates = {domain: project.pot_path(domain) for domain in project.domains()}
    for template_path in templates.values():
        if not template_path.is_file():
            raise LdnError("no template; run `ldn-i18n extract` first", template_path)
    report = UpdateReport(failed=failed, warnings=font_warnings(targets))
    # A language only in the notice has its notice catalog and no editions, unless named.
    wanted = {
        locale: project.domains_of(
            locale,
            edition=bool(locales) or project.is_edition_locale(locale) or locale not in notice,
            notice=notice,
        )
        for locale in targets
    }
    index, parsed = read_memory(project, targets) if memory else (None, {})
    for domain, template_path in templates.items():
        for locale in targets:
            if domain not in wanted[locale]:
                continue
            po_path = project.po_path(locale, domain)
            existed = po_path.is_file()
            try:
                changed = update_catalog(
                    template_path,
                    po_path,
                    locale,
                    report.warnings,
                    current=parsed.pop(po_path, None),
                    memory=index,
                    filled=report.from_memory,
                )
            except LdnError as exc:
                report.failed[po_path] = exc
                continue
            if changed:
                report.written.append(po_path)
                if not existed:
                    report.created.append(po_path)
            else:
                report.unchanged.append(po_path)
    return report
