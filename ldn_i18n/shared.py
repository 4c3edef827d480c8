"""Translations every clinic shares, shipped in the package: :func:`seed_catalog` and :func:`shared_locales`.

The templates' own strings (page labels, page numbering, the draft note) and
the language-assistance notice's taglines are the same for every clinic that
keeps the package's templates and notice. Their machine drafts ship in
``ldn_i18n/data/shared/<locale>/<domain>.po``, so that a new clinic does not
start from nothing: when ``ldn-i18n update`` creates a clinic's catalog of the
``templates`` or ``notice`` domain, each message whose msgid (and context) is
the shared catalog's gets its translation, as a draft. The catalog still names
no translator (``Last-Translator`` is the draft placeholder) and has no
sign-off, so the release gate treats it as any other unreviewed draft: a
qualified reviewer of the clinic signs it off message by message.

A catalog that exists is never touched: the clinic's own work is its own.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from .project import NOTICE_DOMAIN, TEMPLATES_DOMAIN

#: Where the shared drafts are, one folder per locale.
SHARED_DIR = Path(__file__).resolve().parent / "data" / "shared"
#: The domains that have shared translations.
SHARED_DOMAINS = (TEMPLATES_DOMAIN, NOTICE_DOMAIN)
#: What a seeded catalog's header comment says of where its translations came from.
SEEDED_NOTE = (
    "# Started from the machine drafts shipped with ldn-i18n (ldn_i18n/data/shared/): "
    "not reviewed by a qualified translator."
)


def shared_path(locale: str, domain: str) -> Path | None:
    """The package's shared catalog of ``domain`` in ``locale``, or None when there is none."""
    if domain not in SHARED_DOMAINS:
        return None
    path = SHARED_DIR / locale / f"{domain}.po"
    return path if path.is_file() else None


def shared_locales(domain: str) -> list[str]:
    """The locales the package has shared drafts of ``domain`` for, sorted."""
    return sorted(folder.name for folder in SHARED_DIR.iterdir() if (folder / f"{domain}.po").is_file())


def seed_catalog(catalog: Catalog, locale: str, domain: str) -> int:
    """Fill the untranslated messages of a new ``catalog`` from the shared drafts; how many were filled.

    A message is filled only from a shared message with the same msgid, plural and context; a
    shared message marked fuzzy stays fuzzy. The translator comments come along, the
    template's extracted comments and locations stay the template's.
    """
    from .pofiles import read_catalog

    path = shared_path(locale, domain)
    if path is None:
        return 0
    shared = read_catalog(path, locale)
    filled = 0
    for message in catalog:
        if not message.id or any(message.string if isinstance(message.string, tuple) else [message.string]):
            continue
        source = shared.get(message.id, message.context)
        if source is None or source.id != message.id:  # a singular where a plural is wanted, or the reverse
            continue
        strings = source.string if isinstance(source.string, (list, tuple)) else (source.string,)
        if not all(strings):
            continue
        message.string = tuple(source.string) if isinstance(source.string, (list, tuple)) else source.string
        if source.fuzzy:
            message.flags.add("fuzzy")
        message.user_comments = list(source.user_comments)
        filled += 1
    if filled:
        catalog.header_comment = (catalog.header_comment.rstrip("\n") + "\n" + SEEDED_NOTE).lstrip("\n")
    return filled
