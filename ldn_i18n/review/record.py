"""The record a clinic files for a released edition: :func:`edition_record` -> dict, :func:`record_page`
-> HTML, :func:`write_record` -> ``records/<lang>/<handout>/<edition date>.json`` and ``.html``.

The record is kept in the repository, never in ``dist/`` and never removed by
a build: commit it with the release. It holds nothing that changes between two
builds of the same inputs (no build time), so a second identical release
leaves it byte for byte as it was; a new edition date adds a file beside it.

It lists who translated and back-translated each catalog, each message's
reviewer, credential, date and whether her signature verified, the notice's
taglines printed (with their reviewers) and those left out (with why), every
check finding a ``# noqa`` silenced (with its reason), the attestation the
reviewers signed, the source commit, and the SHA-256 of every file released.
:func:`record_page` renders it for a compliance officer: formatted text (bold,
superscript citation numbers, never raw ``**`` or ``[@...]``), every value escaped.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LdnError
from ..files import relative, write_atomic
from ..pofiles import ProjectCatalog, forms_of
from ..project import TEMPLATES_DOMAIN, Project, records_path
from .signatures import ATTESTATION
from .signoff import content_hash, load_records, message_reviews

if TYPE_CHECKING:
    from ..catalogs import CatalogStatus
    from ..notice import Notice
    from ..source import Handout

#: Version of the record's JSON.
RECORD_VERSION = 2
#: The folder of the project that keeps the records (committed, never built over).
RECORDS_FOLDER = "records"
#: The record page's template (the packaged one when a project's own folder lacks it).
TEMPLATE = "record.html.j2"
#: The rule the attestation answers.
LAW = (
    "45 CFR 92.201(c)(3) (Section 1557 of the Affordable Care Act: "
    "machine translation reviewed by a qualified human translator)"
)


def record_paths(project: Project, tag: str, handout: Handout) -> tuple[Path, Path]:
    """``records/<tag>/<handout>/<edition date>.json`` and ``.html``; the edition date must be a date."""
    edition = str(handout.meta.get("edition") or "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", edition):
        raise LdnError(
            "a released edition needs `edition: YYYY-MM-DD` in its front matter (its record is filed by it)",
            handout.path,
        )
    folder = project.root / RECORDS_FOLDER / tag / handout.slug
    return folder / f"{edition}.json", folder / f"{edition}.html"


def source_commit(root: Path) -> dict[str, Any]:
    """The last git commit of the project's sources (source/, locale/, templates/: committing a
    record changes nothing), and whether those folders match it."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("log", "-1", "--format=%H", "--", "source", "locale", "templates")  # not records/
    if not commit:
        return {"commit": None, "clean": None}
    changes = git("status", "--porcelain", "--", "source", "locale", "templates")
    return {"commit": commit, "clean": changes == "" if changes is not None else None}


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _catalog_entry(
    project: Project, locale: str, domain: str, catalog: ProjectCatalog, status: CatalogStatus
) -> dict[str, Any]:
    path = project.po_path(locale, domain)
    messages = []
    for review in message_reviews(catalog, load_records(project, locale, domain)):
        signed = review.signed if not review.pending else None
        messages.append(
            {
                "key": review.key,
                "english": [
                    str(f)
                    for f in (
                        review.message.id
                        if isinstance(review.message.id, (list, tuple))
                        else [review.message.id]
                    )
                ],
                "translation": list(forms_of(review.message)),
                "reviewer": signed.reviewer if signed else None,
                "credential": signed.credential if signed else None,
                "date": signed.date if signed else None,
                "signature": signed.signature if signed else None,
                "pair": signed.pair if signed else None,
            }
        )
    back = status.back
    return {
        "domain": domain,
        "path": relative(path, project.root),
        "revision": content_hash(catalog),
        "sha256": _sha256(path),
        "translator": catalog.last_translator or "",
        "signoffs": {
            "path": relative(records_path(path), project.root),
            "sha256": _sha256(records_path(path)),
        },
        "back": None
        if back is None or not back.exists
        else {
            "path": relative(back.path, project.root),
            "translator": back.translator,
            "revision": back.revision,
            "sha256": _sha256(back.path),
            "done": back.done,
            "of": back.needed,
        },
        "suppressed": [
            {"line": f.line, "code": f.code, "message": f.message, "reason": f.suppressed}
            for f in status.suppressed
        ],
        "messages": messages,
    }


def edition_record(
    project: Project,
    locale: str,
    handout: Handout,
    catalogs: Mapping[str, ProjectCatalog],
    statuses: Mapping[str, CatalogStatus],
    notice: Notice | None,
    notice_statuses: Mapping[str, CatalogStatus | None],
    *,
    title: str,
    version: str,
    content: str,
    inputs: str,
    outputs: dict[Path, bytes],
) -> dict[str, Any]:
    """The record of one released edition (module docstring).

    ``catalogs`` and ``statuses`` are the edition's catalogs and their statuses
    by domain (the handout's and the templates'); ``notice`` is the notice it
    prints, ``notice_statuses`` the status of each tagline's catalog by locale;
    ``outputs`` the files released, with their bytes.
    """
    from ..policy import read_policy

    entries = [_catalog_entry(project, locale, d, c, statuses[d]) for d, c in catalogs.items()]
    printed, left_out = [], []
    if notice is not None:
        for tagline in notice.taglines:
            state = notice_statuses.get(tagline.locale)
            printed.append(
                {
                    "locale": tagline.locale,
                    "name": tagline.name,
                    "draft": tagline.draft,
                    "reviewers": list(state.review.reviewers) if state is not None else [],
                }
            )
        left_out = [{"locale": where, "why": why} for where, why in notice.left_out]
    return {
        "version": RECORD_VERSION,
        "edition": f"{locale}/{handout.slug}",
        "locale": locale,
        "handout": handout.slug,
        "title": title,
        "edition_date": str(handout.meta.get("edition") or ""),
        "ldn_i18n_version": version,
        "content": content,
        "inputs": inputs,
        "source": source_commit(project.root),
        "policy": read_policy(project).for_locale(locale).as_dict(),
        "attestation": {"text": ATTESTATION, "law": LAW},
        "outputs": [
            {"path": relative(path, project.root), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in outputs.items()
        ],
        "catalogs": entries,
        "notice": {"printed": printed, "left_out": left_out},
    }


def record_page(record: dict[str, Any], project: Project, handout: Handout, direction: str = "ltr") -> str:
    """The record as a readable English page, checked by :func:`~ldn_i18n.guard.check_page`.

    Messages print as the edition prints them (bold, italics, superscript
    citation numbers); ``direction`` is that of the translations quoted.
    """
    from ..guard import check_page
    from ..project import SOURCE_LOCALE, default_templates_dir
    from ..references import citation_order
    from ..render import environment
    from .pack import _printed

    templates_dir = project.templates_dir
    if not (templates_dir / TEMPLATE).is_file():
        templates_dir = default_templates_dir()
    numbers = {key: n for n, key in enumerate(citation_order(handout), 1)}
    shown = []
    for catalog in record["catalogs"]:
        cites = None if catalog["domain"] == TEMPLATES_DOMAIN else numbers
        rows = [
            {
                **message,
                "english_html": _printed(tuple(message["english"]), cites, SOURCE_LOCALE),
                "translation_html": _printed(tuple(message["translation"]), cites, record["locale"]),
            }
            for message in catalog["messages"]
        ]
        shown.append({**catalog, "messages": rows})
    tag = record["locale"].replace("_", "-")
    page = (
        environment(templates_dir)
        .get_template(TEMPLATE)
        .render(record=record, catalogs=shown, tag=tag, direction=direction)
    )
    check_page(page, templates_dir, f"{RECORDS_FOLDER}/{tag}/{record['handout']}.html")
    return page


def write_record(project: Project, record: dict[str, Any], handout: Handout, direction: str) -> list[Path]:
    """Write ``record`` and its page under ``records/`` (unchanged files are not rewritten); the two paths."""
    json_path, html_path = record_paths(project, record["locale"].replace("_", "-"), handout)
    write_atomic(json_path, json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    write_atomic(html_path, record_page(record, project, handout, direction))
    return [json_path, html_path]
