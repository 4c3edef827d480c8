"""Sign-offs no one can forge (issue 17): each attack a hostile translator tried, and the release rules.

Every test works on a copy of the real project, whose source/reviewers lists no one: each test
lists a reviewer with a throw-away ed25519 key (``ssh-keygen -t ed25519 -N ''``), as a pull
request would, and signs with it through the command line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ldn_i18n.errors import LdnError
from ldn_i18n.pofiles import ProjectCatalog, read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review import signing
from ldn_i18n.review.signatures import read_reviewers
from ldn_i18n.review.signoff import catalog_review, check_date, content_hash

from .conftest import add_reviewer, edit_catalog, fill_back_translation, releasable, run_cli, signer_args

DOMAIN = "ldn-overview"
DOSE = "Is LDN safe?"


def released(project: Project, locale: str = "es") -> bool:
    return (project.dist_dir / locale.replace("_", "-") / f"{DOMAIN}.html").is_file()


def test_the_committed_reviewers_file_lists_no_one_so_nothing_here_counts_unsigned(project: Project) -> None:
    reviewers = read_reviewers(project)
    assert reviewers.exists and reviewers.entries == ()
    err = run_cli(
        project, "review", "--locale", "es", "--reviewer", "Ana Pérez <ana@example.org>", check=2
    ).err
    assert "is not a reviewer in source/reviewers" in err
    assert not (project.locale_dir / "es" / "review" / f"{DOMAIN}.json").exists()


def test_a_signed_sign_off_verifies_and_an_unsigned_one_never_counts(project: Project) -> None:
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    assert catalog_review(project, "es", DOMAIN).state == "reviewed"
    path = project.locale_dir / "es" / "review" / "templates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["batches"][0]["signature"] = None  # a hand-written (or stripped) sign-off
    path.write_text(json.dumps(data), encoding="utf-8")
    state = catalog_review(project, "es", "templates")
    assert (state.state, state.unsigned) == ("unreviewed", state.pending)


@pytest.mark.slow
def test_an_edited_signed_batch_or_a_rotated_key_is_an_error_naming_the_file(project: Project) -> None:
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    path = project.locale_dir / "es" / "review" / f"{DOMAIN}.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("1,5 a 4,5 mg", "15 a 45 mg"), encoding="utf-8")
    err = run_cli(project, "status", check=1).err
    assert re.search(
        rf"locale/es/review/{DOMAIN}.json:\d+: error: the sign-off batch of .* does not verify", err
    )
    run_cli(project, "build", "--locale", "en", "--locale", "es", "--format", "html", check=1)
    assert (project.dist_dir / "en" / f"{DOMAIN}.html").is_file() and not released(project)
    path.write_text(text, encoding="utf-8")
    reviewers = project.root / "source" / "reviewers"  # Ana's line now holds someone else's key
    other = project.root.parent / "eve"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    eve = Path(f"{other}.pub").read_text(encoding="utf-8").split()[1]
    reviewers.write_text(re.sub(r"(?m)^(ana@\S+ \S+ ssh-ed25519) \S+", rf"\1 {eve}", reviewers.read_text()))
    assert "does not verify" in run_cli(project, "status", check=1).err


def test_a_key_not_in_source_reviewers_cannot_sign(project: Project, tmp_path: Path) -> None:
    signer_args(project)  # Ana is listed, with her key
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    err = run_cli(
        project, "review", "--locale", "es", "--reviewer", "ana@example.org", "--key", str(stranger), check=2
    ).err
    assert "not ana@example.org's key in source/reviewers" in err
    assert not list((project.locale_dir / "es" / "review").glob("*.json"))


def test_a_late_noqa_voids_the_sign_off_and_changes_the_pack_hash(project: Project) -> None:
    po = project.po_path("es", DOMAIN)
    revision = content_hash(read_catalog(po, "es"))
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    edit_catalog(po, DOSE, comment="noqa: numbers, units -- the clinic approved this dose wording")
    assert content_hash(read_catalog(po, "es")) != revision
    state = catalog_review(project, "es", DOMAIN)
    assert (state.state, state.pending, state.recheck) == ("pending", 1, 1)
    err = run_cli(
        project, "review", "--locale", "es", *signer_args(project), "--revision", revision, check=2
    ).err
    assert "the catalog changed since the review pack was made" in err


def test_a_translation_saved_while_review_runs_is_not_signed_unseen(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = project.po_path("es", DOMAIN)
    real = signing.check_catalog

    def meanwhile(path: Path, *args: object, **kwargs: object) -> object:
        found = real(path, *args, **kwargs)  # type: ignore[arg-type]
        checked = path.source_path if isinstance(path, ProjectCatalog) else path  # the catalog, parsed once
        if checked.name == po.name and "45 mg" not in po.read_text(encoding="utf-8"):
            edit_catalog(po, DOSE, msgstr="Sí: tome 45 mg.")  # the translator saves while review runs
        return found

    monkeypatch.setattr(signing, "check_catalog", meanwhile)
    result = run_cli(project, "review", "--locale", "es", *signer_args(project), "--domain", DOMAIN)
    assert "changed while you signed" in result.err
    assert "45 mg" in po.read_text(encoding="utf-8")
    state = catalog_review(project, "es", DOMAIN)
    assert (state.state, state.pending) == ("pending", 1)  # what she signed is what she was shown


@pytest.mark.slow
def test_sign_offs_copied_from_es_into_pt_br_do_not_count(project: Project) -> None:
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    source = project.locale_dir / "es" / "review" / "templates.json"
    target = project.locale_dir / "pt_BR" / "review" / "templates.json"
    target.parent.mkdir()
    shutil.copy(source, target)
    err = run_cli(project, "status", check=1).err
    assert re.search(
        r"locale/pt_BR/review/templates.json:\d+: error: .*sign-offs are not copied between", err
    )
    target.write_text(source.read_text(encoding="utf-8").replace('"locale": "es"', '"locale": "pt_BR"'))
    assert "does not verify" in run_cli(project, "status", check=1).err
    releasable(project, ("es", "pt_BR"))
    err = run_cli(
        project, "build", "--release", "--locale", "es", "--locale", "pt_BR", "--format", "html"
    ).err
    assert "pt_BR" in err and not released(project, "pt_BR") and released(project, "es")


@pytest.mark.parametrize("date", ["2026-02-30", "2999-01-01", "26-1-1", "2026-13-01"])
def test_a_sign_off_date_must_be_real_and_not_in_the_future(date: str) -> None:
    with pytest.raises(LdnError):
        check_date(date)


@pytest.mark.slow
def test_an_unsigned_batch_with_an_impossible_date_is_an_error(project: Project) -> None:
    (project.root / "source" / "policy.yaml").write_text(
        "default: {signatures: optional}\n", encoding="utf-8"
    )
    run_cli(project, "review", "--locale", "es", "--reviewer", "Ana Pérez <ana@example.org>", check=0)
    path = project.locale_dir / "es" / "review" / "templates.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'"date": "[\d-]+"', '"date": "2026-02-30"', text), encoding="utf-8")
    err = run_cli(project, "status", check=1).err
    assert re.search(r"locale/es/review/templates.json:\d+: error: date '2026-02-30' is not a real date", err)


def test_domain_is_a_name_never_a_path(project: Project) -> None:
    run_cli(project, "back", "--locale", "es", check=0)
    err = run_cli(
        project,
        "review",
        "--locale",
        "es",
        *signer_args(project),
        "--domain",
        "../back/ldn-overview",
        check=2,
    ).err
    assert "no domain '../back/ldn-overview'" in err
    assert not list((project.locale_dir / "es" / "review").glob("*.json"))


def test_review_refuses_a_back_numbers_error_and_names_it(project: Project) -> None:
    run_cli(project, "back", "--locale", "es", check=0)
    path = fill_back_translation(project)
    edit_catalog(path, lambda m: "1.5" in str(m.string), replace=("1.5", "15"))
    result = run_cli(project, "review", "--locale", "es", *signer_args(project), "--domain", DOMAIN, check=1)
    assert re.search(r"error: not signed \(check errors: back-numbers\)", result.err), result.err


@pytest.mark.slow
def test_the_reviewer_may_not_be_the_translator_or_back_translator(project: Project) -> None:
    for po in (project.locale_dir / "es" / "LC_MESSAGES").glob("*.po"):
        edit_catalog(po, headers={"Last-Translator": "Ana Perez <ANA@example.org>"})
    err = run_cli(project, "review", "--locale", "es", *signer_args(project), check=2).err
    assert "is this catalog's translator" in err and "independent: required" in err
    releasable(project)  # a human translator named; then Ana signs; then the translator line names her
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    run_cli(project, "back", "--locale", "es", check=0)
    fill_back_translation(project)
    back = project.locale_dir / "es" / "back" / f"{DOMAIN}.po"
    edit_catalog(back, headers={"Last-Translator": "Ana Pérez <ana@example.org>"})
    err = run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=1).err
    assert "of which they are the back-translator (policy: independent required for es)" in err


@pytest.mark.slow
def test_a_release_needs_a_named_translator(project: Project) -> None:
    (project.root / "source" / "policy.yaml").write_text("default: {notice: signed-only}\n", encoding="utf-8")
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    err = run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=1).err
    assert "Last-Translator of ldn-overview.po, templates.po names no translator" in err
    releasable(project)
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)


@pytest.mark.slow
def test_a_release_whose_notice_lacks_languages_fails_unless_signed_only(project: Project) -> None:
    releasable(project)
    (project.root / "source" / "policy.yaml").unlink()  # notice: all, the default
    run_cli(project, "review", "--locale", "es", *signer_args(project), check=0)
    err = run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=1).err
    assert re.search(
        r"es/ldn-overview: not released: the language-assistance notice lacks 14 of its languages: .*pt_BR",
        err,
    )
    assert not released(project)
    (project.root / "source" / "policy.yaml").write_text("default: {notice: signed-only}\n", encoding="utf-8")
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)
    record = json.loads(
        (project.root / "records" / "es" / DOMAIN / "2026-11-25.json").read_text(encoding="utf-8")
    )
    assert [t["locale"] for t in record["notice"]["printed"]] == ["es"]
    assert record["notice"]["printed"][0]["reviewers"] == ["Ana Pérez <ana@example.org>"]
    assert len(record["notice"]["left_out"]) == 14


@pytest.mark.slow
def test_the_record_is_kept_in_the_repository_readable_and_stable(project: Project) -> None:
    releasable(project)
    po = project.po_path("es", DOMAIN)
    edit_catalog(po, DOSE, comment="noqa: length -- a short answer is the clinic's wording")
    run_cli(
        project,
        "review",
        "--locale",
        "es",
        *signer_args(project, credential="CoreCHI-P <b>ES</b> & ATA"),
        check=0,
    )
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)
    folder = project.root / "records" / "es" / DOMAIN
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(kept) == ["2026-11-25.html", "2026-11-25.json"]
    assert not list(project.dist_dir.rglob("*.record.*"))
    record = json.loads(kept["2026-11-25.json"])
    handout = record["catalogs"][0]
    assert handout["translator"] == "Tomás Ruiz <tomas@example.org>"
    assert {m["signature"] for m in handout["messages"]} == {"verified"}
    assert "45 CFR 92.201" in record["attestation"]["law"] and record["source"] == {
        "commit": None,
        "clean": None,
    }
    page = kept["2026-11-25.html"].decode()
    assert "**" not in page and "[@" not in page and "<sup" in page and "<strong>" in page
    assert "CoreCHI-P &lt;b&gt;ES&lt;/b&gt; &amp; ATA" in page and "<b>ES" not in page
    assert "verified against source/reviewers" in page and "qualified" in page
    status = run_cli(project, "status", check=0)
    assert f"record of es/{DOMAIN}: records/es/{DOMAIN}/2026-11-25.html" in status.out
    assert f'href="../records/es/{DOMAIN}/2026-11-25.html"' in (project.dist_dir / "status.html").read_text()
    run_cli(project, "build", "--locale", "es", "--format", "html", check=0)  # a plain build
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", "--force", check=0)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept
    source = project.handouts_dir / f"{DOMAIN}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("edition: 2026-11-25", "edition: 2026-12-01")
    )
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-11-25.html", "2026-11-25.json", "2026-12-01.html", "2026-12-01.json"
    ]  # fmt: skip


KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIPXT8+mv20fKT+bmgL6RjqFbVeVSzj6r7Y9xsefSrPE/"
ABOUT = "# name: A\n# languages: es\n# credential: C\n"
OPTION = 'namespaces="ldn-i18n-signoff"'


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (f"{ABOUT}ana@example.org ssh-ed25519 {KEY} ana\n", 4, "the only option allowed is"),
        (f"{ABOUT}*@example.org {OPTION} ssh-ed25519 {KEY}\n", 4, "one e-mail address"),
        (f"{ABOUT}a@example.org,b@example.org {OPTION} ssh-ed25519 {KEY}\n", 4, "one e-mail address"),
        (f"{ABOUT}a@example.org {OPTION} ssh-ed25519 bm90YWtleQ==\n", 4, "is not a ssh-ed25519 public key"),
        (
            f"# name: A\n# languages: sp\n# credential: C\na@example.org {OPTION} ssh-ed25519 {KEY}\n",
            2,
            "CLDR",
        ),
        (f"# name: A\n# languages: es\na@example.org {OPTION} ssh-ed25519 {KEY}\n", 3, "no '# credential:'"),
        (
            f"{ABOUT}a@example.org {OPTION} ssh-ed25519 {KEY}\n"
            f"{ABOUT}b@example.org {OPTION} ssh-ed25519 {KEY}\n",
            8,
            "this key is already",
        ),
    ],
)
def test_a_malformed_reviewers_file_names_its_line_and_fails_only_the_translations(
    project: Project, text: str, line: int, message: str
) -> None:
    (project.root / "source" / "reviewers").write_text(text, encoding="utf-8")
    with pytest.raises(LdnError) as caught:
        read_reviewers(project)
    assert f"reviewers:{line}: error: " in str(caught.value) and message in str(caught.value)
    err = run_cli(project, "build", "--locale", "en", "--locale", "es", "--format", "html", check=1).err
    assert f"source/reviewers:{line}: error:" in err
    assert (project.dist_dir / "en" / f"{DOMAIN}.html").is_file() and not released(project)


@pytest.mark.slow
def test_a_reviewer_signs_only_the_languages_she_is_listed_for(project: Project) -> None:
    signer = signer_args(project)  # listed for every locale of the project
    run_cli(project, "review", "--locale", "pt_BR", *signer, "--domain", "templates", check=0)
    reviewers = project.root / "source" / "reviewers"
    text = reviewers.read_text(encoding="utf-8")
    reviewers.write_text(re.sub(r"(?m)^# languages: .*$", "# languages: es", text), encoding="utf-8")
    err = run_cli(project, "status", check=1).err
    assert re.search(
        r"locale/pt_BR/review/templates.json:\d+: error: ana@example.org may sign off es only", err
    )
    err = run_cli(project, "review", "--locale", "pt_BR", *signer, "--domain", "templates", check=2).err
    assert "ana@example.org may sign off es only" in err


def test_a_back_numbers_silenced_in_the_back_catalog_is_shown_for_the_reviewer_to_confirm(
    project: Project,
) -> None:
    run_cli(project, "back", "--locale", "es", check=0)
    path = fill_back_translation(project)
    edit_catalog(
        path,
        lambda m: "1.5" in str(m.string),
        replace=("1.5", "15"),
        comment="noqa: back-numbers -- the back-translator misread the decimal comma",
    )
    result = run_cli(project, "review", "--locale", "es", *signer_args(project), "--domain", DOMAIN, check=0)
    assert re.search(
        r"locale/es/back/ldn-overview.po:\d+: suppressed error: back-numbers .*confirm this reason",
        result.err,
    )


@pytest.mark.slow
def test_a_lowercase_legacy_header_is_removed_by_update_too(project: Project) -> None:
    from ldn_i18n.update import update

    po = project.po_path("es", "templates")
    edit_catalog(po, headers={"x-reviewed-by": "Mallory <m@example.org>"})
    assert "counts nowhere" in run_cli(project, "status", check=1).err
    update(project)
    assert "x-reviewed-by" not in po.read_text(encoding="utf-8").lower()
    run_cli(project, "status", check=0)


def test_review_signs_through_ssh_agent_without_a_key_path(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = add_reviewer(project)
    socket = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(socket)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if socket.exists():
                break
            subprocess.run(["sleep", "0.05"], check=True)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(socket))
        err = run_cli(
            project, "review", "--locale", "es", "--reviewer", "ana@example.org", "--domain", DOMAIN
        ).err
        assert "through ssh-agent" in err  # the agent does not hold her key yet
        subprocess.run(["ssh-add", "-q", str(key)], check=True, env={"SSH_AUTH_SOCK": str(socket)})
        run_cli(
            project, "review", "--locale", "es", "--reviewer", "ana@example.org", "--domain", DOMAIN, check=0
        )
    finally:
        agent.terminate()
        agent.wait()
    assert catalog_review(project, "es", DOMAIN).state == "reviewed"
