"""The whole path from machine draft to released edition, as a reviewer and the clinic's staff walk it.

draft -> blind back-translation (filled here) -> reviewer's pack -> sign-off ->
release; then one English edit -> exactly one pending row -> sign-off ->
release again. Every step goes through the command line, on a copy of the
real project (the committed catalogs stay unreviewed drafts).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ldn_i18n.cli import main
from ldn_i18n.extract import extract
from ldn_i18n.files import write_atomic
from ldn_i18n.markup import plain_text
from ldn_i18n.pofiles import catalog_bytes, read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review.signoff import message_key, read_records, review_state
from ldn_i18n.update import update

from .conftest import pdf_text

REVIEWER = "Ana Pérez <ana.perez@example.org>"
CREDENTIAL = "CoreCHI-P, Spanish"
OLD_EN = "Some may experience trouble sleeping, vivid dreams, or mild stomach upset."
NEW_EN = "Some people may have trouble sleeping, vivid dreams, or a mild stomach upset."


def run(project: Project, *args: str) -> int:
    return main(["--root", str(project.root), *args])


def fill_back_translation(project: Project) -> Path:
    """A back-translator's work: each translation rendered back into English (here: faithfully)."""
    forward = read_catalog(project.po_path("es", "ldn-overview"), "es")
    english = {message_key(m.context, m.id): str(m.id) for m in forward if m.id}
    path = project.locale_dir / "es" / "back" / "ldn-overview.po"
    back = read_catalog(path, "en")
    for entry in back:
        if entry.id:
            entry.string = plain_text(english[str(entry.context)])
            entry.flags.discard("fuzzy")
            entry.previous_id = []
    back.last_translator = "Luis Gómez <luis@example.org>"
    write_atomic(path, catalog_bytes(back))
    return path


def pack_rows(project: Project) -> int:
    html = (project.dist_dir / "review" / "es" / "ldn-overview.html").read_text(encoding="utf-8")
    return len(re.findall(r'<tr class="state-', html))


def test_from_machine_draft_to_release_and_one_change_later(project: Project, capsys) -> None:  # type: ignore[no-untyped-def]
    (project.root / "source" / "policy.yaml").write_text(
        "locales:\n  es: {back_translation: required, credential: required}\n", encoding="utf-8"
    )
    # 1. The machine draft: a draft edition that a release refuses.
    assert run(project, "build", "--release", "--locale", "es") == 1
    assert "es/ldn-overview: not released" in capsys.readouterr().err

    # 2. Blind back-translation, filled by someone who never saw the English.
    assert run(project, "back", "--locale", "es") == 0
    back = fill_back_translation(project)
    assert "Most people do not have" not in back.read_text(encoding="utf-8").split("msgstr", 1)[0]
    assert run(project, "check", "--locale", "es") == 0

    # 3. The reviewer's pack: every message is pending.
    messages = len([m for m in read_catalog(project.po_path("es", "ldn-overview"), "es") if m.id])
    assert run(project, "review-pack", "--locale", "es") == 0
    assert pack_rows(project) == messages
    revision = review_state(read_catalog(project.po_path("es", "ldn-overview"), "es")).revision

    # 4. The sign-off, of exactly what the pack showed, then the release.
    capsys.readouterr()
    code = run(
        project, "review", "--locale", "es", "--reviewer", REVIEWER, "--credential", CREDENTIAL,
        "--domain", "ldn-overview", "--revision", revision,
    )  # fmt: skip
    assert code == 0
    assert run(project, "review", "--locale", "es", "--reviewer", REVIEWER, "--credential", CREDENTIAL) == 0
    assert run(project, "build", "--release", "--locale", "es") == 0
    pdf = project.dist_dir / "es" / "ldn-overview.pdf"
    assert "DRAFT" not in pdf_text(pdf)
    record = json.loads((project.dist_dir / "es" / "ldn-overview.record.json").read_text(encoding="utf-8"))
    assert REVIEWER in json.dumps(record, ensure_ascii=False) and CREDENTIAL in json.dumps(
        record, ensure_ascii=False
    )

    # 5. One English sentence changes; the translator updates its translation in Poedit,
    #    which drops the "#|" previous msgid when the fuzzy flag is cleared.
    source = project.handouts_dir / "ldn-overview.md"
    assert OLD_EN in source.read_text(encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace(OLD_EN, NEW_EN), encoding="utf-8")
    extract(project)
    update(project)
    po = project.po_path("es", "ldn-overview")
    catalog = read_catalog(po, "es")
    changed = [m for m in catalog if m.id and m.fuzzy]
    assert [NEW_EN in str(m.id) for m in changed] == [True]
    changed[0].string = str(changed[0].string).replace(
        "malestar estomacal leve", "un malestar estomacal leve"
    )
    changed[0].flags.discard("fuzzy")
    changed[0].previous_id = []
    write_atomic(po, catalog_bytes(catalog))
    assert run(project, "back", "--locale", "es") == 0
    fill_back_translation(project)

    state = review_state(read_catalog(po, "es"))
    assert (state.state, state.pending, state.recheck) == ("pending", 1, 1)
    capsys.readouterr()
    assert run(project, "build", "--release", "--locale", "es") == 1
    assert "es/ldn-overview: not released: 1 translation to re-check" in capsys.readouterr().err
    assert not pdf.exists()

    # 6. The pack shows that one row, with what changed; signing it releases again.
    assert run(project, "review-pack", "--locale", "es") == 0
    assert pack_rows(project) == 1
    html = (project.dist_dir / "review" / "es" / "ldn-overview.html").read_text(encoding="utf-8")
    assert "<ins>" in html and "<del>" in html
    capsys.readouterr()
    assert run(project, "review", "--locale", "es", "--reviewer", REVIEWER, "--credential", CREDENTIAL) == 0
    assert "signed 1 messages of es/ldn-overview" in capsys.readouterr().out
    assert run(project, "build", "--release", "--locale", "es") == 0
    assert pdf.is_file() and "DRAFT" not in pdf_text(pdf)
    records = read_records(project.locale_dir / "es" / "review" / "ldn-overview.json")
    assert len(records) == messages + 1  # the old sign-off stays in the record, beside the new one


def test_review_refuses_a_catalog_edited_since_its_pack(project: Project, capsys) -> None:  # type: ignore[no-untyped-def]
    po = project.po_path("es", "ldn-overview")
    revision = review_state(read_catalog(po, "es")).revision
    catalog = read_catalog(po, "es")
    message = next(m for m in catalog if m.id == "Is LDN safe?")
    message.string = "¿La LDN es segura?"
    write_atomic(po, catalog_bytes(catalog))
    code = run(
        project,
        "review",
        "--locale",
        "es",
        "--reviewer",
        REVIEWER,
        "--domain",
        "ldn-overview",
        "--revision",
        revision,
    )
    assert code == 2
    assert "the catalog changed since the review pack was made" in capsys.readouterr().err
    assert not (project.locale_dir / "es" / "review" / "ldn-overview.json").exists()


def test_a_catalog_level_sign_off_of_earlier_versions_is_migrated(project: Project) -> None:
    from ldn_i18n.review.signoff import REVIEWED_BY, REVIEWED_CONTENT, REVIEWED_DATE, content_hash

    po = project.po_path("es", "templates")
    catalog = read_catalog(po, "es")
    catalog.set_header(REVIEWED_BY, REVIEWER)
    catalog.set_header(REVIEWED_DATE, "2026-11-01")
    catalog.set_header(REVIEWED_CONTENT, content_hash(catalog))
    write_atomic(po, catalog_bytes(catalog))
    assert review_state(read_catalog(po, "es")).state == "reviewed"  # it keeps working
    update(project)
    migrated = read_catalog(po, "es")
    assert migrated.header(REVIEWED_BY) is None
    state = review_state(migrated)
    assert (state.state, state.reviewer, state.date) == ("reviewed", REVIEWER, "2026-11-01")
    records = read_records(project.locale_dir / "es" / "review" / "templates.json")
    assert len(records) == len([m for m in migrated if m.id])


@pytest.mark.parametrize("locale", ["es", "ar", "ht", "pt_BR", "vi", "zh_Hans"])
def test_the_committed_catalogs_stay_unreviewed_drafts(locale: str) -> None:
    repo = Path(__file__).resolve().parent.parent
    assert not (repo / "locale" / locale / "review").exists(), "no sign-off is ever committed here"
    for po in (repo / "locale" / locale / "LC_MESSAGES").glob("*.po"):
        assert "X-Reviewed-By" not in po.read_text(encoding="utf-8")
        assert "Unreviewed draft" in (read_catalog(po, locale).last_translator or "")
