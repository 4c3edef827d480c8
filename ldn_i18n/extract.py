"""Stage 2, extract: :func:`extract` writes ``locale/<domain>.pot`` for every handout, the templates
and the language-assistance notice.

Handouts go through Babel with our extraction method, :func:`babel_extract`
(also registered as the ``ldn_handout`` entry point, so ``pybabel extract``
with a mapping file gives the same messages), which yields
:func:`~ldn_i18n.messages.handout_messages`: the messages the build looks up.
Templates go through Jinja2's Babel extractor, with the extensions the
renderer uses (:data:`~ldn_i18n.templating.JINJA_EXTENSIONS`), without
loading the renderer. A .pot whose messages did not change keeps its bytes,
creation date included.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as babel_run_extractor
from babel.messages.extract import extract_from_file

from . import __version__
from .files import relative
from .messages import handout_messages
from .pofiles import ProjectCatalog, catalog_bytes, now, read_catalog, unchanged, write_catalog
from .project import NOTICE_DOMAIN, TEMPLATES_DOMAIN, Project
from .source import parse_handout, read_handout
from .templating import JINJA_EXTENSIONS

#: Keywords of the templates' gettext calls (Jinja2's i18n extension).
TEMPLATE_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def babel_extract(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method for handout Markdown: each of :func:`handout_messages`, with its note."""
    name = getattr(fileobj, "name", "handout.md")
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for message in handout_messages(parse_handout(text, Path(name))):
        yield message.location[1], None, message.msgid, [message.comment]


def _new_template(domain: str, project: Project) -> ProjectCatalog:
    catalog = ProjectCatalog(
        domain=domain,
        project=f"ldn_i18n {domain}",
        version=__version__,
        copyright_holder="the clinic",
        msgid_bugs_address="",
        header_comment=(
            f"# Translation template for {domain}.\n"
            "# Made by `ldn-i18n extract` from the English source: do not edit by hand;\n"
            "# translate in locale/<LL>/LC_MESSAGES/ (`ldn-i18n update --locale LL`)."
        ),
        fuzzy=True,
    )
    return catalog


def handout_template(project: Project, path: Path) -> Catalog:
    """The template of one handout, built through Babel's extraction machinery."""
    read_handout(path)  # errors name the file and line before Babel sees it
    catalog = _new_template(path.stem, project)
    where = relative(path, project.root)
    with path.open("rb") as handle:
        # Babel types its extractor callables more narrowly than its own protocol.
        for lineno, message, comments, context in babel_run_extractor(babel_extract, handle):  # type: ignore[arg-type]
            catalog.add(message, locations=[(where, lineno)], auto_comments=comments, context=context)
    return catalog


def notice_template(project: Project) -> Catalog:
    """The template of the language-assistance notice (``source/notice.md``), its paragraph
    explained to translators (:data:`~ldn_i18n.notice.TRANSLATOR_NOTE`)."""
    from .notice import TRANSLATOR_NOTE, read_notice

    notice = read_notice(project)
    assert notice is not None, "extract() asks only when source/notice.md exists"
    catalog = _new_template(NOTICE_DOMAIN, project)
    where = relative(project.notice_path, project.root)
    for block in notice.blocks:
        note = "Title of the language-assistance notice." if block.kind == "title" else TRANSLATOR_NOTE
        catalog.add(block.text, locations=[(where, block.line)], auto_comments=[note])
    return catalog


def templates_template(project: Project) -> Catalog:
    """The template of the Jinja2 templates' own strings."""
    from jinja2.ext import babel_extract as jinja_extract

    catalog = _new_template(TEMPLATES_DOMAIN, project)
    options = {"extensions": ",".join(JINJA_EXTENSIONS), "trimmed": "true", "silent": "false"}
    for path in project.templates.files():
        where = f"templates/{path.name}"  # the clinic's own file or the package's: the name is the same
        for lineno, message, comments, context in extract_from_file(
            jinja_extract,  # type: ignore[arg-type]
            str(path),
            keywords=TEMPLATE_KEYWORDS,
            comment_tags=("Translators:",),
            options=options,
            strip_comment_tags=True,
        ):
            catalog.add(message, locations=[(where, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(path: Path, catalog: Catalog) -> bool:
    """Write a .pot unless only its creation date or Babel's stamp would change; True when written."""
    if path.is_file():
        catalog.creation_date = read_catalog(path).creation_date
        if unchanged(path, catalog_bytes(catalog)):
            return False
    catalog.creation_date = now()
    return write_catalog(path, catalog_bytes(catalog))


def extract(project: Project) -> list[Path]:
    """Write every handout's .pot, the templates' and the notice's; return those that changed."""
    written = []
    templates = [(path.stem, handout_template(project, path)) for path in project.handout_paths()]
    templates.append((TEMPLATES_DOMAIN, templates_template(project)))
    if project.notice_path.is_file():
        templates.append((NOTICE_DOMAIN, notice_template(project)))
    for domain, catalog in templates:
        target = project.pot_path(domain)
        if write_template(target, catalog):
            written.append(target)
    return written
