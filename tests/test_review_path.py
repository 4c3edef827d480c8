"""The whole path from machine draft to released edition, as a reviewer and the clinic's staff walk it.

draft -> blind back-translation (filled here) -> reviewer's pack -> sign-off ->
release; then one English edit -> exactly one pending row -> sign-off ->
release again. Every step goes through the command line, on a copy of the
real project (the committed catalogs stay unreviewed drafts).
"""

from __future__ import annotations

import json

import pytest

from ldn_i18n.extract import extract
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review.signoff import content_hash, load_records, review_state
from ldn_i18n.update import update

from .conftest import (
    REPO,
    edit_catalog,
    fill_back_translation,
    name_translator,
    pdf_text,
    run_cli,
    signer_args,
)
from .test_pack import rows_in

REVIEWER = "Ana Pérez <ana.perez@example.org>"
CREDENTIAL = "CoreCHI-P, Spanish"
SIGNER = {"reviewer": REVIEWER, "credential": CREDENTIAL}
OLD_EN = "Some may experience trouble sleeping, vivid dreams, or mild stomach upset."
NEW_EN = "Some people may have trouble sleeping, vivid dreams, or a mild stomach upset."


def pack_rows(project: Project) -> int:
    return rows_in((project.dist_dir / "review" / "es" / "ldn-overview.html").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_from_machine_draft_to_release_and_one_change_later(project: Project) -> None:
    (project.root / "source" / "policy.yaml").write_text(
        "default: {notice: signed-only}\n"
        "locales:\n  es: {back_translation: required, credential: required}\n",
        encoding="utf-8",
    )
    name_translator(project)
    signer = signer_args(project, **SIGNER)
    # 1. The machine draft: a draft edition that a release refuses.
    err = run_cli(project, "build", "--release", "--locale", "es", check=1).err
    assert "es/ldn-overview: not released" in err

    # 2. Blind back-translation, filled by someone who never saw the English.
    run_cli(project, "back", "--locale", "es", check=0)
    back = read_catalog(fill_back_translation(project))
    shown = [f"{m.context} {m.id}" for m in back if m.id]  # what the back-translator reads: no English
    assert shown and not [text for text in shown if "Most people do not have" in text]
    assert [m for m in back if "Most people do not have" in str(m.string)]  # only what they wrote
    run_cli(project, "check", "--locale", "es", check=0)

    # 3. The reviewer's pack: every message is pending.
    messages = len([m for m in read_catalog(project.po_path("es", "ldn-overview"), "es") if m.id])
    run_cli(project, "review-pack", "--locale", "es", check=0)
    assert pack_rows(project) == messages
    revision = content_hash(read_catalog(project.po_path("es", "ldn-overview"), "es"))

    # 4. The sign-off, of exactly what the pack showed, then the release.
    run_cli(
        project, "review", "--locale", "es", *signer, "--domain", "ldn-overview",
        "--revision", revision, check=0,
    )  # fmt: skip
    run_cli(project, "review", "--locale", "es", *signer, check=0)
    run_cli(project, "build", "--release", "--locale", "es", check=0)
    pdf = project.dist_dir / "es" / "ldn-overview.pdf"
    assert "DRAFT" not in pdf_text(pdf)
    kept = project.root / "records" / "es" / "ldn-overview" / "2026-11-25.json"
    record = json.loads(kept.read_text(encoding="utf-8"))
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
    changed = [m for m in read_catalog(po, "es") if m.id and m.fuzzy]
    assert [NEW_EN in str(m.id) for m in changed] == [True]
    edit_catalog(
        po,
        str(changed[0].id),
        replace=("malestar estomacal leve", "un malestar estomacal leve"),
        fuzzy=False,
        previous=[],
    )
    run_cli(project, "back", "--locale", "es", check=0)
    fill_back_translation(project)

    state = review_state(read_catalog(po, "es"), load_records(project, "es", "ldn-overview"))
    assert (state.state, state.pending, state.recheck) == ("pending", 1, 1)
    err = run_cli(project, "build", "--release", "--locale", "es", check=1).err
    assert "es/ldn-overview: not released: 1 translation to re-check" in err
    assert not pdf.exists()

    # 6. The pack shows that one row, with what changed; signing it releases again.
    run_cli(project, "review-pack", "--locale", "es", check=0)
    assert pack_rows(project) == 1
    html = (project.dist_dir / "review" / "es" / "ldn-overview.html").read_text(encoding="utf-8")
    assert "<ins>" in html and "<del>" in html
    out = run_cli(project, "review", "--locale", "es", *signer, check=0).out
    assert "signed 1 messages of es/ldn-overview" in out
    run_cli(project, "build", "--release", "--locale", "es", check=0)
    assert pdf.is_file() and "DRAFT" not in pdf_text(pdf)
    records = load_records(project, "es", "ldn-overview")
    assert len(records) == messages + 1  # the old sign-off stays in the record, beside the new one
    assert {r.signature for r in records.values()} == {"verified"}


def test_review_refuses_a_catalog_edited_since_its_pack(project: Project) -> None:
    po = project.po_path("es", "ldn-overview")
    revision = content_hash(read_catalog(po, "es"))
    edit_catalog(po, "Is LDN safe?", msgstr="¿La LDN es segura?")
    result = run_cli(
        project, "review", "--locale", "es", *signer_args(project, **SIGNER),
        "--domain", "ldn-overview", "--revision", revision, check=2,
    )  # fmt: skip
    assert "the catalog changed since the review pack was made" in result.err
    assert not (project.locale_dir / "es" / "review" / "ldn-overview.json").exists()


@pytest.mark.slow
def test_a_catalog_level_sign_off_counts_nowhere_and_update_removes_it_once(project: Project) -> None:
    from ldn_i18n.review.signoff import REVIEWED_BY, REVIEWED_CONTENT, REVIEWED_DATE

    po = project.po_path("pt_BR", "templates")
    forged = {REVIEWED_BY: "Mallory <mallory@example.org>", REVIEWED_DATE: "2026-11-01"}
    edit_catalog(po, headers={**forged, REVIEWED_CONTENT: content_hash(read_catalog(po, "pt_BR"))})
    err = run_cli(project, "status", check=1).err
    assert (
        "locale/pt_BR/LC_MESSAGES/templates.po:" in err
        and "X-Reviewed-By: a catalog-level sign-off counts nowhere" in err
    )
    err = run_cli(project, "build", "--release", "--locale", "pt_BR", "--format", "html", check=1).err
    assert "Mallory" not in err.replace("X-Reviewed-By", "") or "counts nowhere" in err
    assert not list((project.dist_dir / "pt-BR").glob("*.html")) and not (project.root / "records").exists()
    report = update(project)
    assert [w for w in report.warnings if "removed the catalog-level sign-off by Mallory" in w]
    migrated = read_catalog(po, "pt_BR")
    assert migrated.header(REVIEWED_BY) is None
    state = review_state(migrated, load_records(project, "pt_BR", "templates"))
    assert (state.state, state.signed) == ("unreviewed", 0)
    assert not (project.locale_dir / "pt_BR" / "review").exists()  # nothing recorded from it


@pytest.mark.repo_content
@pytest.mark.parametrize("locale", ["es", "ar", "ht", "pt_BR", "vi", "zh_Hans"])
def test_the_committed_catalogs_stay_unreviewed_drafts(locale: str) -> None:
    assert not (REPO / "locale" / locale / "review").exists(), "no sign-off is ever committed here"
    for po in (REPO / "locale" / locale / "LC_MESSAGES").glob("*.po"):
        assert "X-Reviewed-By" not in po.read_text(encoding="utf-8")
        assert "Unreviewed draft" in (read_catalog(po, locale).last_translator or "")
