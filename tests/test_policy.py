"""Release policy (source/policy.yaml): what a release of each locale requires, and the record of it.

Every test works on a copy of the real project; no sign-off is ever recorded in the
repository's own locale/ folder. The "faithful" back-translation is the English itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldn_i18n.errors import LdnError
from ldn_i18n.files import write_atomic
from ldn_i18n.pofiles import ProjectCatalog, catalog_bytes, read_catalog
from ldn_i18n.policy import LocalePolicy, read_policy
from ldn_i18n.project import TEMPLATES_DOMAIN, Project
from ldn_i18n.review.back import back_status
from ldn_i18n.review.signoff import message_key

from .conftest import releasable, run_cli, sign_as

REVIEWER = "Ana Pérez <ana@example.org>"
CREDENTIAL = "CoreCHI-P Spanish"
BACK_TRANSLATOR = "Luis Gómez <luis@example.org>"
DOMAIN = "ldn-overview"
REQUIRED = (
    "default: {notice: signed-only}\nlocales:\n  es: {back_translation: required, credential: required}\n"
)
RECORD = ("records", "es", DOMAIN, "2026-11-25")


def write_policy(project: Project, text: str) -> Path:
    path = project.root / "source" / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def sign_all(project: Project, credential: str = CREDENTIAL) -> None:
    """The reviewer signs every message of both Spanish catalogs."""
    for domain in (DOMAIN, TEMPLATES_DOMAIN):
        signed, refused = sign_as(project, "es", domain, REVIEWER, credential)
        assert signed and not refused, refused


def write_back(project: Project, skip: int = 0) -> Path:
    """A complete back catalog of the Spanish handout, written by hand (minus its first ``skip`` entries)."""
    forward = read_catalog(project.po_path("es", DOMAIN), "es")
    back = ProjectCatalog(locale="en", domain=DOMAIN, last_translator=BACK_TRANSLATOR, fuzzy=False)
    for message in [m for m in forward if m.id][skip:]:
        back.add(message.string, message.id, context=message_key(message.context, message.id))
    path = project.back_path("es", DOMAIN)
    write_atomic(path, catalog_bytes(back))
    return path


def test_no_policy_file_gives_the_documented_defaults(project: Project) -> None:
    policy = read_policy(project)
    assert policy.path is None
    assert policy.for_locale("es") == LocalePolicy(
        back_translation=False,
        credential=False,
        signatures=None,
        translator=True,
        independent=True,
        notice="all",
    )


def test_a_locale_overrides_the_default_field_by_field(project: Project) -> None:
    write_policy(
        project,
        "default: {back_translation: optional, credential: required}\n"
        "locales:\n  es: {back_translation: required, notice: signed-only}\n  zh_Hans:\n",
    )
    policy = read_policy(project)
    assert policy.for_locale("es") == LocalePolicy(
        back_translation=True, credential=True, notice="signed-only"
    )
    assert policy.for_locale("zh_Hans") == LocalePolicy(back_translation=False, credential=True)
    assert policy.for_locale("vi") == LocalePolicy(back_translation=False, credential=True)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("default: {}\nrelease: strict\n", 2, "unknown key 'release' in the policy file"),
        ("locales:\n  es:\n    back_translaton: required\n", 3, "unknown requirement 'back_translaton'"),
        ("locales:\n  es: {sign_off: optional}\n", 2, "a reviewer's sign-off is always required"),
        ("default:\n  credential: yes\n", 2, "`credential:` must be required or optional, not yes"),
        ("default:\n  notice: some\n", 2, "`notice:` must be all or signed-only, not some"),
        ("default:\n  signatures: never\n", 2, "`signatures:` must be required or optional, not never"),
        ("default: &d {credential: required}\nlocales:\n  es: *d\n", 1, "anchors and aliases"),
        (
            "locales:\n  es-MX: {credential: required}\n",
            2,
            "'es-MX' is not a locale identifier (write '_', not '-'): write it 'es_MX'",
        ),
        ("locales:\n  sp: {credential: required}\n", 2, "'sp' is not a locale CLDR knows"),
        ("- es\n", 1, "the policy file must be a mapping"),
    ],
)
def test_a_bad_policy_names_its_file_and_line(project: Project, text: str, line: int, message: str) -> None:
    write_policy(project, text)
    with pytest.raises(LdnError) as caught:
        read_policy(project)
    assert str(caught.value).startswith(f"{project.root / 'source' / 'policy.yaml'}:{line}: error: ")
    assert message in str(caught.value)


def test_back_translation_counts_only_current_entries(project: Project) -> None:
    forward = project.po_path("es", DOMAIN)
    write_back(project, skip=2)
    state = back_status(project, "es", DOMAIN, read_catalog(forward, "es"))
    assert state is not None and (state.done, state.needed, state.translator) == (18, 20, BACK_TRANSLATOR)
    text = forward.read_text(encoding="utf-8")
    forward.write_text(text.replace("¿Cómo funciona la LDN?", "¿Cómo actúa la LDN?"), encoding="utf-8")
    state = back_status(project, "es", DOMAIN, read_catalog(forward, "es"))
    assert state is not None and state.missing == 3  # an edited translation needs a new back-translation
    templates = read_catalog(project.po_path("es", TEMPLATES_DOMAIN), "es")
    assert back_status(project, "es", TEMPLATES_DOMAIN, templates) is None


@pytest.mark.slow
def test_release_requires_the_back_translation_then_records_who_did_what(project: Project) -> None:
    write_policy(project, REQUIRED)
    releasable(project)
    sign_all(project)
    run_cli(project, "build", "--locale", "es", "--format", "html", check=0)
    page = (project.dist_dir / "es" / f"{DOMAIN}.html").read_text(encoding="utf-8")
    assert "BORRADOR: traducción aún no revisada por un traductor médico calificado" in page

    err = run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=1).err
    assert (
        "es/ldn-overview: not released: 20 messages without a current back-translation "
        "(policy: required for es)"
    ) in err
    assert not (project.dist_dir / "es" / f"{DOMAIN}.html").exists()
    assert not (project.root / "records").exists()

    back = write_back(project)
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)
    html = project.dist_dir / "es" / f"{DOMAIN}.html"
    assert "BORRADOR" not in html.read_text(encoding="utf-8")
    kept = project.root.joinpath(*RECORD)
    record = json.loads(kept.with_suffix(".json").read_text(encoding="utf-8"))
    assert (record["version"], record["edition"], record["locale"]) == (2, "es/ldn-overview", "es")
    assert record["policy"] == {
        "sign_off": "required",
        "back_translation": "required",
        "credential": "required",
        "signatures": "required when source/reviewers exists",
        "translator": "required",
        "independent": "required",
        "notice": "signed-only",
    }
    assert record["ldn_i18n_version"] and record["inputs"] and record["content"]
    import hashlib

    assert record["outputs"] == [
        {"path": "dist/es/ldn-overview.html", "sha256": hashlib.sha256(html.read_bytes()).hexdigest()}
    ]
    handout, templates = record["catalogs"]
    assert (handout["domain"], templates["domain"]) == (DOMAIN, TEMPLATES_DOMAIN)
    assert handout["path"] == "locale/es/LC_MESSAGES/ldn-overview.po"
    assert handout["translator"] == "Tomás Ruiz <tomas@example.org>"
    assert handout["back"]["translator"] == BACK_TRANSLATOR
    assert handout["back"]["sha256"] == hashlib.sha256(back.read_bytes()).hexdigest()
    assert (handout["back"]["done"], handout["back"]["of"]) == (20, 20)
    assert templates["back"] is None
    for catalog in record["catalogs"]:
        assert catalog["revision"] and catalog["sha256"] and catalog["messages"]
        for message in catalog["messages"]:
            assert (message["reviewer"], message["credential"]) == (REVIEWER, CREDENTIAL)
            assert (
                message["date"] and message["pair"] and message["key"] and message["signature"] == "verified"
            )
    page = kept.with_suffix(".html").read_text(encoding="utf-8")
    assert "Ana Pérez &lt;ana@example.org&gt;" in page and CREDENTIAL in page
    assert "Luis Gómez &lt;luis@example.org&gt;" in page and handout["back"]["revision"] in page
    assert 'href="../../../dist/es/ldn-overview.html"' in page

    out = run_cli(project, "status", check=0).out
    header, *rows = out.splitlines()
    assert header.split()[9:13] == ["noqa", "back", "cred.", "signed"]
    es = next(row for row in rows if row.startswith("es ") and " ldn-overview " in row)
    assert es.split()[9:13] == ["0", "done", "done", "done"]
    es_templates = next(row for row in rows if row.startswith("es ") and " templates " in row)
    assert es_templates.split()[10:13] == ["n/a", "done", "done"]
    data = json.loads((project.dist_dir / "status.json").read_text(encoding="utf-8"))
    row = next(r for r in data["catalogs"] if (r["locale"], r["domain"]) == ("es", DOMAIN))
    assert row["steps"]["back_translation"] == {
        "required": True,
        "done": 20,
        "of": 20,
        "translator": BACK_TRANSLATOR,
    }
    assert row["steps"]["signed"] == {"done": 20, "of": 20}
    page_link = f"../{'/'.join(RECORD)}.html"
    assert data["records"] == [{"edition": "es/ldn-overview", "page": page_link}]
    status_page = (project.dist_dir / "status.html").read_text(encoding="utf-8")
    assert f'<a href="{page_link}">es/ldn-overview</a>' in status_page

    run_cli(project, "build", "--locale", "es", "--format", "html", check=0)
    assert html.is_file()
    assert kept.with_suffix(".json").is_file() and kept.with_suffix(".html").is_file()  # never removed


@pytest.mark.slow
def test_a_required_credential_refuses_a_sign_off_without_one(project: Project) -> None:
    write_policy(project, "default: {credential: required, notice: signed-only, signatures: optional}\n")
    releasable(project)
    for domain in (DOMAIN, TEMPLATES_DOMAIN):  # no credential: an unsigned sign-off, where the policy allows
        run_cli(
            project,
            "review",
            "--locale",
            "es",
            "--reviewer",
            "Bea Díaz <bea@example.org>",
            "--domain",
            domain,
            check=0,
        )
    err = run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=1).err
    assert "sign-offs without a reviewer's credential (policy: required for es)" in err
    assert "without a current back-translation" not in err  # optional by default
    es = next(
        r for r in run_cli(project, "status", check=0).out.splitlines() if r.startswith("es ") and DOMAIN in r
    )
    assert "0 of 20 (required)" in es

    hostile = "CoreCHI-P <script>alert(1)</script> & ATA"
    for domain in (DOMAIN, TEMPLATES_DOMAIN):  # the reviewer signs again, giving a credential
        sign_as(project, "es", domain, "Ana Pérez <ana2@example.org>", hostile, messages="all")
    run_cli(project, "build", "--release", "--locale", "es", "--format", "html", check=0)
    kept = project.root.joinpath(*RECORD)
    page = kept.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "CoreCHI-P &lt;script&gt;alert(1)&lt;/script&gt; &amp; ATA" in page
    record = json.loads(kept.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["catalogs"][0]["back"] is None


@pytest.mark.slow
def test_a_bad_policy_fails_the_translations_and_english_still_builds(project: Project) -> None:
    path = write_policy(
        project, "default: {credential: required}\nlocales:\n  es: {backtranslation: required}\n"
    )
    err = run_cli(project, "build", "--locale", "en", "--locale", "es", "--format", "html", check=1).err
    assert f"{path.relative_to(project.root)}:3: error: unknown requirement 'backtranslation'" in err
    assert (project.dist_dir / "en" / f"{DOMAIN}.html").is_file()
    assert not (project.dist_dir / "es" / f"{DOMAIN}.html").exists()
    err = run_cli(project, "status", check=1).err
    assert f"{path.relative_to(project.root)}:3: error: unknown requirement" in err
