"""Where every locale stands: :func:`project_status` -> :class:`Status`, and its three renderings.

One row per catalog (locale x handout, plus each locale's templates
catalog): counts, check results, the translator, the reviewer's sign-off and
the last build of the edition. Written as a text table, ``dist/status.json``
and ``dist/status.html`` (a bar per locale).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import relative, write_atomic
from .gate import CatalogStatus, catalog_status
from .manifest import BuildRecord
from .project import Project



@dataclass(frozen=True, slots=True)
class Status:
    """Every catalog's status and the last build of every edition."""

    catalogs: list[CatalogStatus]
    """One per locale x domain, sorted."""
    builds: dict[str, dict[str, Any]]
    """Last build per ``<locale>/<handout>``, from ``dist/editions.json``."""


def project_status(project: Project) -> Status:
    """The status of every catalog of every locale."""
    rows = []
    for locale in project.locales():
        for domain in project.domains():
            status = catalog_status(project, locale, domain)
            if status is not None:
                rows.append(status)
    return Status(rows, BuildRecord.load(project).editions)


def _review_text(row: CatalogStatus) -> str:
    review = row.review
    if review.state == "reviewed":
        return f"reviewed by {review.reviewer} on {review.date} (rev {review.revision})"
    if review.state == "outdated":
        return f"review by {review.reviewer} outdated: content changed since rev {review.revision}"
    return "not reviewed"


def _last_build(status: Status, row: CatalogStatus) -> str:
    record = status.builds.get(f"{row.locale}/{row.domain}")
    return f"{record['state']} {record['built']}" if record else "-"


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def as_dict(status: Status, project: Project) -> dict[str, Any]:
    """The stable JSON schema of ``dist/status.json`` (version 1)."""
    return {
        "version": 1,
        "catalogs": [{
            "locale": row.locale, "domain": row.domain, "path": relative(row.path, project.root),
            "messages": row.messages, "translated": row.translated,
            "percent": round(row.percent, 1), "fuzzy": row.fuzzy, "untranslated": row.untranslated,
            "obsolete": row.obsolete, "errors": row.errors, "warnings": row.warnings,
            "translator": row.review.translator, "review": row.review.state,
            "reviewer": row.review.reviewer, "reviewed_on": row.review.date,
            "reviewed_revision": row.review.revision,
            "last_build": status.builds.get(f"{row.locale}/{row.domain}"),
        } for row in status.catalogs],
    }


def as_table(status: Status) -> str:
    """A plain text table for a terminal or a CI log."""
    head = ("locale", "catalog", "msgs", "done", "fuzzy", "untr.", "err", "warn", "translator",
            "review", "last build")
    rows = [head] + [(
        row.locale, row.domain, str(row.messages), f"{row.percent:.0f}%", str(row.fuzzy),
        str(row.untranslated), str(row.errors), str(row.warnings), _short(row.review.translator),
        _review_text(row),
        _last_build(status, row),
    ) for row in status.catalogs]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def as_html(status: Status) -> str:
    """``dist/status.html``: a bar per locale, then the table."""
    by_locale: dict[str, list[CatalogStatus]] = {}
    for row in status.catalogs:
        by_locale.setdefault(row.locale, []).append(row)
    bars = []
    for locale, rows in by_locale.items():
        total = sum(r.messages for r in rows) or 1
        done = 100.0 * sum(r.translated for r in rows) / total
        fuzzy = 100.0 * sum(r.fuzzy for r in rows) / total
        errors = sum(r.errors for r in rows)
        reviewed = all(r.review.state == "reviewed" for r in rows)
        bars.append(
            f'<div class="locale"><span class="name">{html.escape(locale)}</span>'
            f'<span class="bar" role="img" aria-label="{done:.0f}% translated">'
            f'<span class="done" style="width:{done:.1f}%"></span>'
            f'<span class="fuzzy" style="width:{fuzzy:.1f}%"></span></span>'
            f'<span class="note">{done:.0f}% translated, {errors} errors, '
            f'{"reviewed" if reviewed else "not reviewed"}</span></div>')
    table = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in (
            r.locale, r.domain, r.messages, f"{r.percent:.0f}%", r.fuzzy, r.untranslated,
            r.errors, r.warnings, r.review.translator, _review_text(r), _last_build(status, r))) + "</tr>"
        for r in status.catalogs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Translation status</title>
<style>
body {{ font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 1rem auto; max-width: 60rem; padding: 0 1rem; }}
.locale {{ display: flex; align-items: center; gap: 0.6rem; margin: 0.3rem 0; }}
.name {{ width: 4rem; font-weight: bold; }}
.bar {{ display: flex; width: 20rem; height: 1rem; background: #eee; border: 1px solid #999; }}
.done {{ background: #2e7d32; }} .fuzzy {{ background: #e0a800; }}
table {{ border-collapse: collapse; margin-top: 1rem; font-size: 0.9rem; }}
td, th {{ border: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: left; }}
</style></head><body>
<h1>Translation status</h1>
{''.join(bars)}
<table><thead><tr><th>locale</th><th>catalog</th><th>messages</th><th>translated</th><th>fuzzy</th>
<th>untranslated</th><th>errors</th><th>warnings</th><th>translator</th><th>review</th><th>last build</th></tr></thead>
<tbody>{table}</tbody></table>
</body></html>
"""


def write_status(project: Project, status: Status) -> list[Path]:
    """Write ``dist/status.json`` and ``dist/status.html``."""
    targets = [project.dist_dir / "status.json", project.dist_dir / "status.html"]
    write_atomic(targets[0], json.dumps(as_dict(status, project), indent=2, ensure_ascii=False) + "\n")
    write_atomic(targets[1], as_html(status))
    return targets
