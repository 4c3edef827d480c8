"""Stage 3, update: :func:`update` creates or merges ``locale/<LL>/LC_MESSAGES/<domain>.po``.

Babel's catalog machinery does the merge: a changed source string keeps its
old translation as fuzzy with the previous msgid (``#|``), a removed one
becomes obsolete (``#~``) and is never deleted, and Language and Plural-Forms
come from CLDR. A run with no source change writes no byte.
"""

from __future__ import annotations

from pathlib import Path

from babel.core import Locale

from .errors import LdnError
from .files import write_atomic
from .languages import language
from .pofiles import ProjectCatalog, catalog_bytes, now, read_catalog
from .project import Project
from .review import clear_outdated

#: Header put on a new catalog until a translator signs it with their name.
DRAFT_TRANSLATOR = "Unreviewed draft, not yet checked by a qualified medical translator"


def check_locale(locale: str) -> str:
    """A locale identifier Babel (CLDR) knows, e.g. ``es``, ``pt_BR``, ``zh_Hans``, or ``en_XA``."""
    language(locale)
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


def update_catalog(template_path: Path, po_path: Path, locale: str) -> bool:
    """Create or merge one catalog; True when the file changed."""
    template = read_catalog(template_path)
    if po_path.is_file():
        catalog = read_catalog(po_path, locale)
        previous = {m.id: m.previous_id for m in catalog if m.id and m.previous_id}
        catalog.update(template, update_creation_date=True)
        for message in catalog:  # Babel drops a still-fuzzy entry's #| on the next merge
            if message.fuzzy and message.id and not message.previous_id and message.id in previous:
                message.previous_id = previous[message.id]
        clear_outdated(catalog)  # the reviewer signed off other text
    else:
        catalog = new_catalog(template, locale)
    return write_atomic(po_path, catalog_bytes(catalog))


class CatalogErrors(LdnError):
    """Catalogs that could not be merged (each left untouched); the others were."""

    def __init__(self, errors: list[LdnError], written: list[Path]):
        super().__init__(errors[0].message, errors[0].path, errors[0].line)
        self.errors = errors
        self.written = written

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def update(project: Project, locales: list[str] | None = None) -> list[Path]:
    """Merge every template into the catalogs of ``locales`` (default: every existing one).

    A catalog that cannot be read is left as it is and the others are still
    merged; :class:`CatalogErrors` then lists every such catalog.
    """
    targets = [check_locale(loc) for loc in locales] if locales else project.locales()
    written: list[Path] = []
    errors: list[LdnError] = []
    for domain in project.domains():
        template_path = project.pot_path(domain)
        if not template_path.is_file():
            raise LdnError("no template; run `ldn-i18n extract` first", template_path)
        for locale in targets:
            po_path = project.po_path(locale, domain)
            try:
                if update_catalog(template_path, po_path, locale):
                    written.append(po_path)
            except LdnError as exc:
                errors.append(exc)
    if errors:
        raise CatalogErrors(errors, written)
    return written
