"""`ldn-i18n serve`: who may ask (token, Host, same origin) and the HTTP contract, through
Starlette's TestClient; the server itself started in-process on a loopback port for the start."""

from __future__ import annotations

import io
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from ldn_i18n.check import check_project
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project, records_path
from ldn_i18n.review.signoff import load_records, message_key, review_state
from ldn_i18n.serve import serve, stop
from ldn_i18n.serve.app import make_app

from .conftest import edit_catalog, msgfmt_check, needs_msgfmt, run_cli, signer_args

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"token {TOKEN}"}
DOSE = "de 1,5 a 4,5 mg al día"


#: The reviewer of these tests: listed in source/reviewers with a throw-away key the workbench signs with.
REVIEWER = "Siobhán O'Neill <siobhan@example.org>"
CREDENTIAL = "CoreCHI-P, Spanish"


@pytest.fixture
def client(small: Project) -> Iterator[TestClient]:
    key = Path(signer_args(small, REVIEWER, CREDENTIAL)[3])
    app = make_app(small, TOKEN, "testserver", 80, watch=False, key=key)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def po(project: Project, domain: str = "ldn-overview") -> Path:
    return project.po_path("es", domain)


def messages(client: TestClient, domain: str = "ldn-overview") -> list[dict[str, Any]]:
    response = client.get(f"/api/catalogs/es/{domain}", headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()["messages"]  # type: ignore[no-any-return]


def shown(client: TestClient, keys: list[str], domain: str = "ldn-overview") -> dict[str, str]:
    """What the reviewer read of each of ``keys``: the ``shown`` that GET gives, as a page sends it."""
    return {m["key"]: m["shown"] for m in messages(client, domain) if m["key"] in keys}


def dose_row(client: TestClient) -> dict[str, Any]:
    return next(m for m in messages(client) if DOSE in m["msgstr"])


# --- start and access ----------------------------------------------------------------------------


@pytest.mark.slow
def test_serve_prints_the_url_with_a_fresh_token_first_and_answers_only_with_it(small: Project) -> None:
    out, ready = io.StringIO(), threading.Event()
    thread = threading.Thread(
        target=serve, args=(small, "127.0.0.1", 0, False, out, ready, False), daemon=True
    )
    thread.start()
    try:
        assert ready.wait(30), "the server did not start"
        first = out.getvalue().splitlines()[0]
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]{40,})", first)
        assert match, first
        port, token = match.groups()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/catalogs/es/ldn-overview", timeout=10)
        assert refused.value.code == 403
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/catalogs/es/ldn-overview",
            headers={"Authorization": f"token {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
    finally:
        stop()
        thread.join(15)
    assert not thread.is_alive()


def test_every_request_needs_the_token_and_the_url_token_becomes_a_strict_cookie(client: TestClient) -> None:
    assert client.get("/").status_code == 403
    wrong = {"Authorization": "token wrong"}
    assert client.get("/api/catalogs/es/ldn-overview", headers=wrong).status_code == 403
    assert client.get("/static/htmx.min.js").status_code == 403
    opened = client.get(f"/catalogs/es/ldn-overview?token={TOKEN}", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"] == "/catalogs/es/ldn-overview"  # the token leaves the address bar
    cookie = opened.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN in cookie
    assert client.get(f"//evil.example/?token={TOKEN}", follow_redirects=False).headers["location"] == "/"
    assert client.get("/").status_code == 200  # the cookie now


def test_a_request_for_another_host_name_is_refused(client: TestClient) -> None:
    """DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own Host."""
    answer = client.get("/api/catalogs/es/ldn-overview", headers={**AUTH, "Host": "evil.example"})
    assert answer.status_code == 421


def test_a_change_from_another_origin_is_refused_and_writes_nothing(
    client: TestClient, small: Project
) -> None:
    row = dose_row(client)
    client.cookies.set("ldn-i18n-token-80", TOKEN)
    before = po(small).read_bytes()
    url = f"/catalogs/es/ldn-overview/{row['key']}"
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {}):
        answer = client.post(url, data={"msgstr": "x", "version": row["version"]}, headers=headers)
        assert answer.status_code == 403, headers
    assert po(small).read_bytes() == before
    same = client.post(
        url,
        data={"msgstr": row["msgstr"] + " ", "version": row["version"]},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 200 and po(small).read_bytes() != before


# --- the catalogs' contract -----------------------------------------------------------------------


def test_get_gives_each_message_with_its_sign_off_key_findings_and_comments(
    client: TestClient, small: Project
) -> None:
    rows = messages(client)
    catalog = read_catalog(po(small), "es")
    assert [r["key"] for r in rows] == [message_key(m.context, m.id) for m in catalog if m.id]
    for row in rows:
        assert {"key", "msgid", "msgstr", "fuzzy", "findings", "signed", "comments"} <= set(row)
    assert any(r["notes"] for r in rows)  # the #. notes for the translator


@pytest.mark.slow
@needs_msgfmt
def test_put_writes_only_that_message_losslessly_and_reports_checks_findings(
    client: TestClient, small: Project
) -> None:
    row = dose_row(client)
    # The stamp of the Babel that wrote it aside (a file written now gets the installed one's).
    before = [x for x in po(small).read_text(encoding="utf-8").splitlines() if "Generated-By" not in x]
    wrong = row["msgstr"].replace("4,5 mg", "45 mg")
    answer = client.put(f"/api/catalogs/es/ldn-overview/{row['key']}", json={"msgstr": wrong}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert "numbers" in {f["code"] for f in answer.json()["findings"]}
    after = [x for x in po(small).read_text(encoding="utf-8").splitlines() if "Generated-By" not in x]
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(before) == len(after) and len(changed) == 1 and "45 mg" in after[changed[0]]
    assert msgfmt_check(po(small)).returncode == 0
    cli = [f for f in check_project(small, ["es"]) if f.path.endswith("es/LC_MESSAGES/ldn-overview.po")]
    assert {(f.code, f.line) for f in cli if f.code == "numbers"} == {
        (f["code"], f["line"]) for f in answer.json()["findings"] if f["code"] == "numbers"
    }


def test_a_change_on_disk_to_another_message_is_kept(client: TestClient, small: Project) -> None:
    rows = messages(client)
    mine, other = rows[3], rows[5]
    edit_catalog(po(small), other["msgid"], msgstr=other["msgstr"] + " (Poedit)")
    answer = client.put(
        f"/api/catalogs/es/ldn-overview/{mine['key']}",
        json={"msgstr": mine["msgstr"] + " (web)", "version": mine["version"]},
        headers=AUTH,
    )
    assert answer.status_code == 200, answer.text
    saved = {m.id: m.string for m in read_catalog(po(small), "es")}
    assert saved[mine["msgid"]].endswith(" (web)") and saved[other["msgid"]].endswith(" (Poedit)")


def test_a_change_on_disk_to_the_same_message_is_a_409_and_neither_side_is_lost(
    client: TestClient, small: Project
) -> None:
    row = dose_row(client)
    edit_catalog(po(small), row["msgid"], msgstr=row["msgstr"] + " (Poedit)")
    on_disk = po(small).read_bytes()
    answer = client.put(
        f"/api/catalogs/es/ldn-overview/{row['key']}",
        json={"msgstr": row["msgstr"] + " (web)", "version": row["version"]},
        headers=AUTH,
    )
    assert answer.status_code == 409
    assert answer.json()["disk"] == [row["msgstr"] + " (Poedit)"]
    assert "changed on disk" in answer.json()["error"]
    assert po(small).read_bytes() == on_disk
    page = client.post(
        f"/catalogs/es/ldn-overview/{row['key']}",
        data={"msgstr": row["msgstr"] + " (web)", "version": row["version"]},
        headers={**AUTH, "Origin": "http://testserver"},
    )
    assert "Not saved" in page.text and "(web)" in page.text and "(Poedit)" in page.text


def test_plural_forms_are_saved_as_a_list(client: TestClient, small: Project) -> None:
    plural = next(m for m in messages(client, "templates") if isinstance(m["msgid"], list))
    forms = [f"{form} " for form in plural["msgstr"]]
    answer = client.put(f"/api/catalogs/es/templates/{plural['key']}", json={"msgstr": forms}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    again = next(m for m in messages(client, "templates") if m["key"] == plural["key"])
    assert again["msgstr"] == [f.rstrip(" ") + " " for f in plural["msgstr"]]
    wrong = client.put(f"/api/catalogs/es/templates/{plural['key']}", json={"msgstr": "one"}, headers=AUTH)
    assert wrong.status_code == 400


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/api/catalogs/xx/ldn-overview"),
        ("get", "/api/catalogs/es/nope"),
        ("get", "/api/catalogs/es/..%2F..%2Fsource%2Fclinic"),
        ("get", "/api/catalogs/..%2Fes/ldn-overview"),
        ("put", "/api/catalogs/es/ldn-overview/0000000000000000"),
        ("put", "/api/catalogs/es/..%2Fback%2Fldn-overview/0000000000000000"),
        ("put", "/api/catalogs/../../etc/passwd"),
        ("get", "/preview/es/..%2F..%2Fetc%2Fpasswd.html"),
        ("get", "/preview/xx/ldn-overview.html"),
        ("get", "/dist/..%2Fsource%2Fclinic.yaml"),
        ("post", "/api/review/xx/ldn-overview"),
        ("post", "/api/review/es/nope"),
    ],
)
def test_unknown_names_and_path_tricks_get_4xx_and_write_nothing(
    client: TestClient, small: Project, method: str, url: str
) -> None:
    before = {p: p.read_bytes() for p in small.root.rglob("*") if p.is_file()}
    body = {"msgstr": "x", "reviewer": "A B <a@example.org>", "accept": []}
    answer = getattr(client, method)(url, headers=AUTH, **({} if method == "get" else {"json": body}))
    assert 400 <= answer.status_code < 500, answer.text
    assert {p: p.read_bytes() for p in small.root.rglob("*") if p.is_file()} == before


def test_the_findings_endpoint_checks_the_text_as_typed(client: TestClient) -> None:
    row = dose_row(client)
    url = f"/catalogs/es/ldn-overview/{row['key']}/findings"
    headers = {**AUTH, "Origin": "http://testserver"}
    wrong = client.post(url, data={"msgstr": row["msgstr"].replace("4,5", "45")}, headers=headers)
    assert 'data-code="numbers"' in wrong.text
    right = client.post(url, data={"msgstr": row["msgstr"]}, headers=headers)
    assert 'data-code="numbers"' not in right.text and "No finding" in right.text


@pytest.mark.slow
def test_the_preview_shows_a_save_at_once(client: TestClient) -> None:
    row = dose_row(client)
    first = client.get("/preview/es/ldn-overview.html", headers=AUTH)
    assert first.status_code == 200 and "Dosis de prueba" not in first.text
    changed = row["msgstr"].replace("Cuando", "Dosis de prueba: cuando")
    client.put(f"/api/catalogs/es/ldn-overview/{row['key']}", json={"msgstr": changed}, headers=AUTH)
    assert "Dosis de prueba" in client.get("/preview/es/ldn-overview.html", headers=AUTH).text
    pdf = client.get("/preview/es/ldn-overview.pdf", headers=AUTH)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.slow
def test_hostile_catalog_text_stays_text_on_every_page(client: TestClient, small: Project) -> None:
    row = dose_row(client)
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> {{ 7*7 }}'
    edit_catalog(po(small), row["msgid"], msgstr=hostile)
    for url in ("/catalogs/es/ldn-overview", "/review/es", f"/catalogs/es/ldn-overview/{row['key']}"):
        page = client.get(url, headers=AUTH)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text and "<img" not in page.text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, url


# --- the review's contract ------------------------------------------------------------------------


@pytest.mark.slow
def test_review_signs_the_accepted_rows_keeps_the_comment_and_the_cli_sees_it(
    client: TestClient, small: Project
) -> None:
    rows = messages(client)
    keys = [r["key"] for r in rows]
    answer = client.post(
        "/api/review/es/ldn-overview",
        json={
            "reviewer": REVIEWER,
            "credential": CREDENTIAL,
            "accept": keys[:-1],
            "shown": shown(client, keys[:-1]),
            "comments": {keys[-1]: "Use «consulte» here"},
        },
        headers=AUTH,
    )
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["signed"]) == sorted(keys[:-1]) and not answer.json()["refused"]
    records = load_records(small, "es", "ldn-overview")
    assert set(records) == set(keys[:-1])
    assert {r.reviewer for r in records.values()} == {REVIEWER}
    state = review_state(read_catalog(po(small), "es"), records)
    assert (state.signed, state.pending, state.state) == (len(keys) - 1, 1, "pending")
    commented = next(m for m in messages(client) if m["key"] == keys[-1])
    assert any("Use «consulte» here" in c and c.startswith("review:") for c in commented["comments"])
    status = run_cli(small, "status")
    line = next(x for x in status.out.splitlines() if x.split()[:2] == ["es", "ldn-overview"])
    assert f"{len(keys) - 1} of {len(keys)}" in line, line


@pytest.mark.slow
def test_review_refuses_a_row_with_an_error_and_a_row_changed_since_shown(
    client: TestClient, small: Project
) -> None:
    rows = messages(client)
    row = dose_row(client)
    client.put(
        f"/api/catalogs/es/ldn-overview/{row['key']}",
        json={"msgstr": row["msgstr"].replace("4,5 mg", "45 mg")},
        headers=AUTH,
    )
    other = next(r for r in rows if r["key"] != row["key"] and r["msgstr"])
    page = client.get("/review/es", headers=AUTH).text
    seen = re.search(rf'name="shown-ldn-overview-{other["key"]}" value="(\w+)"', page)
    assert seen
    edit_catalog(po(small), other["msgid"], msgstr=other["msgstr"] + " editado")
    answer = client.post(
        "/api/review/es/ldn-overview",
        json={
            "reviewer": REVIEWER,
            "accept": [row["key"], other["key"]],
            "shown": {row["key"]: shown(client, [row["key"]])[row["key"]], other["key"]: seen.group(1)},
        },
        headers=AUTH,
    )
    refused = answer.json()["refused"]
    assert "numbers" in refused[row["key"]]
    assert "changed since it was shown" in refused[other["key"]]
    assert not records_path(po(small)).is_file()


@pytest.mark.slow
def test_still_correct_signs_a_changed_english_without_a_fuzzy_step_and_keeps_the_back_translation(
    client: TestClient, small: Project
) -> None:
    from ldn_i18n.extract import extract
    from ldn_i18n.review.back import update_back
    from ldn_i18n.update import update

    from .conftest import fill_back_translation

    update_back(small, "es")
    fill_back_translation(small)
    keys = [r["key"] for r in messages(client)]
    signed = client.post(
        "/api/review/es/ldn-overview",
        json={"reviewer": REVIEWER, "accept": keys, "shown": shown(client, keys)},
        headers=AUTH,
    )
    assert sorted(signed.json()["signed"]) == sorted(keys)
    handout = small.handouts_dir / "ldn-overview.md"
    handout.write_text(handout.read_text().replace("LDN is thought to help", "LDN is believed to help"))
    extract(small)
    update(small, ["es"])
    update_back(small, "es")
    row = next(r for r in messages(client) if r["msgid"].startswith("LDN is believed"))
    assert row["fuzzy"] and row["review"] == "changed"
    translation = row["msgstr"]
    page = client.get("/review/es", headers=AUTH).text
    assert f'id="s-{row["key"]}-still"' in page  # the choice is offered on the changed row
    other = next(k for k in keys if k != row["key"])
    wrong = client.post(
        "/api/review/es/ldn-overview",
        json={"reviewer": REVIEWER, "still_correct": [other], "shown": shown(client, [other])},
        headers=AUTH,
    )
    assert "did not change" in wrong.json()["refused"][other]
    answer = client.post(
        "/api/review/es/ldn-overview",
        json={"reviewer": REVIEWER, "still_correct": [row["key"]], "shown": shown(client, [row["key"]])},
        headers=AUTH,
    )
    assert answer.json()["signed"] == [row["key"]], answer.text
    catalog = read_catalog(po(small), "es")
    message = next(m for m in catalog if m.id == row["msgid"])
    assert not message.fuzzy and message.string == translation
    assert review_state(catalog, load_records(small, "es", "ldn-overview")).state == "reviewed"
    back = next(m for m in read_catalog(small.back_path("es", "ldn-overview")) if m.context == row["key"])
    assert back.string and not back.fuzzy and back.id == translation


@pytest.mark.parametrize(
    "bound,host,allowed",
    [
        ("127.0.0.1", "127.0.0.1:8470", True),
        ("127.0.0.1", "localhost:8470", True),
        ("127.0.0.1", "[::1]:8470", True),
        ("127.0.0.1", "127.0.0.1:9999", False),
        ("127.0.0.1", "evil.example:8470", False),
        ("127.0.0.1", "127.0.0.1.evil.example:8470", False),
        ("127.0.0.1", "", False),
        ("0.0.0.0", "192.168.1.20:8470", True),
        ("0.0.0.0", "evil.example:8470", False),
    ],
)
def test_the_host_header_must_name_this_server(bound: str, host: str, allowed: bool) -> None:
    from ldn_i18n.serve.security import host_allowed

    assert host_allowed(host, bound, 8470) is allowed


def test_serve_on_a_taken_port_is_one_clear_error(small: Project) -> None:
    from ldn_i18n.serve import bind

    taken = bind("127.0.0.1", 0)
    try:
        result = run_cli(small, "serve", "--no-browser", "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert result.code == 2 and "cannot listen on 127.0.0.1:" in result.err and "Traceback" not in result.err


@pytest.mark.slow
def test_staff_builds_with_progress_and_links_what_it_wrote(client: TestClient, small: Project) -> None:
    import time

    heard: list[str] = []
    workbench = client.app.app.state.workbench  # type: ignore[attr-defined]
    workbench.listeners.append(lambda change: heard.append(change.get("line", "")))
    page = client.get("/staff", headers=AUTH)
    assert "es/ldn-overview" in page.text and "Build every edition" in page.text
    started = client.post("/staff/build", data={"web": "1"}, headers={**AUTH, "Origin": "http://testserver"})
    assert started.status_code == 200  # the redirect to /staff followed
    builds = client.app.app.state.builds  # type: ignore[attr-defined]
    deadline = time.monotonic() + 300
    while builds.running and time.monotonic() < deadline:
        time.sleep(0.2)
    assert builds.code == 0, builds.lines
    assert any(line.startswith("es/ldn-overview: draft") for line in heard), heard
    assert heard[-1] == "build finished (exit 0)"
    page = client.get("/staff", headers=AUTH).text
    assert 'href="/dist/es/ldn-overview.html"' in page
    assert "DRAFT" in client.get("/dist/es/ldn-overview.html", headers=AUTH).text


def test_a_long_review_comment_stays_one_comment_and_never_silences_a_check(
    client: TestClient, small: Project
) -> None:
    row = dose_row(client)
    wrong = row["msgstr"].replace("4,5 mg", "45 mg")
    client.put(f"/api/catalogs/es/ldn-overview/{row['key']}", json={"msgstr": wrong}, headers=AUTH)
    text = " ".join(f"word{n}" for n in range(40)) + " noqa: numbers -- the dose is right for this clinic"
    answer = client.post(
        "/api/review/es/ldn-overview",
        json={"reviewer": REVIEWER, "comments": {row["key"]: text}},
        headers=AUTH,
    )
    assert answer.json()["commented"] == [row["key"]]
    saved = next(m for m in messages(client) if m["key"] == row["key"])
    assert all(line.startswith("review: ") for line in saved["comments"]) and len(saved["comments"]) > 1
    assert saved["reviewer_comment"].startswith(text)
    numbers = [f for f in saved["findings"] if f["code"] == "numbers"]
    assert numbers and all(f["suppressed"] is None for f in numbers)
    assert "numbers" in {f.code for f in check_project(small, ["es"]) if f.counts}


def test_a_broken_catalog_is_one_clear_error_and_the_others_still_work(
    client: TestClient, small: Project
) -> None:
    path = po(small)
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "\\q', 1), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "dangling"\n', encoding="utf-8")
    answer = client.get("/api/catalogs/es/ldn-overview", headers=AUTH)
    assert answer.status_code == 400
    assert re.match(
        r"locale/es/LC_MESSAGES/ldn-overview\.po:\d+: error: malformed catalog", answer.json()["error"]
    )
    page = client.get("/catalogs/es/ldn-overview", headers=AUTH)
    assert page.status_code == 400 and "Traceback" not in page.text and "malformed catalog" in page.text
    assert client.get("/api/catalogs/es/templates", headers=AUTH).status_code == 200


def test_the_workbench_and_the_cli_write_the_same_sign_off_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .conftest import copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")
    by_cli, by_web = copy_project(tmp_path / "cli"), copy_project(tmp_path / "web")
    signer = signer_args(by_cli, REVIEWER, CREDENTIAL)  # one key (tmp_path/keys), listed in both
    run_cli(by_cli, "review", "--locale", "es", "--domain", "ldn-overview", *signer, check=0)
    key = Path(signer_args(by_web, REVIEWER, CREDENTIAL)[3])
    with TestClient(
        make_app(by_web, TOKEN, "testserver", 80, watch=False, key=key), base_url="http://testserver"
    ) as web:
        keys = [m["key"] for m in messages(web)]
        answer = web.post(
            "/api/review/es/ldn-overview",
            json={"reviewer": REVIEWER, "credential": CREDENTIAL, "accept": keys, "shown": shown(web, keys)},
            headers=AUTH,
        )
    assert len(answer.json()["signed"]) == len(keys)
    cli_records = records_path(by_cli.po_path("es", "ldn-overview")).read_bytes()
    assert records_path(by_web.po_path("es", "ldn-overview")).read_bytes() == cli_records


# --- what a hostile translator tried against the review (red team, issue 17 x issue 18) ----------

FORM = {"Cookie": f"ldn-i18n-token-80={TOKEN}", "Origin": "http://testserver"}


def _set(project: Project, key: str, change: Any) -> None:
    """A translator's editor saving one message of the Spanish handout catalog."""
    from ldn_i18n.pofiles import catalog_bytes

    catalog = read_catalog(po(project), "es")
    for message in catalog:
        if message.id and message_key(message.context, message.id) == key:
            change(message)
    po(project).write_bytes(catalog_bytes(catalog))


def _english_changed(client: TestClient, small: Project) -> dict[str, Any]:
    """Every row signed, then one English sentence changed: that row is fuzzy, its Spanish still right."""
    from ldn_i18n.extract import extract
    from ldn_i18n.review.back import update_back
    from ldn_i18n.update import update

    from .conftest import fill_back_translation

    update_back(small, "es")
    fill_back_translation(small)
    keys = [r["key"] for r in messages(client)]
    client.post(
        "/api/review/es/ldn-overview",
        json={"reviewer": REVIEWER, "accept": keys, "shown": shown(client, keys)},
        headers=AUTH,
    )
    handout = small.handouts_dir / "ldn-overview.md"
    handout.write_text(handout.read_text().replace("LDN is thought to help", "LDN is believed to help"))
    extract(small)
    update(small, ["es"])
    update_back(small, "es")
    return next(r for r in messages(client) if r["msgid"].startswith("LDN is believed"))


def _page_shown(page: str, key: str) -> str:
    found = re.search(rf'name="shown-ldn-overview-{key}" value="(\w+)"', page)
    assert found, key
    return found.group(1)


@pytest.mark.slow
def test_the_page_s_shown_version_is_of_the_very_text_it_shows(
    client: TestClient, small: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save between the page's reads, then put back: the reviewer signs only what she read."""
    import ldn_i18n.serve.review as review_module

    row = next(m for m in messages(client) if "medicamento" in m["msgstr"])
    _set(small, row["key"], lambda m: setattr(m, "string", m.string.replace("medicamento", "veneno")))
    bad = po(small).read_bytes()
    original = review_module.compose_pack

    def saved_meanwhile(project: Project, locale: str, domain: str, **kw: Any) -> Any:
        if domain == "ldn-overview":
            _set(
                small,
                row["key"],
                lambda m: setattr(m, "string", m.string.replace("veneno", "medicamento seguro")),
            )
        return original(project, locale, domain, **kw)

    monkeypatch.setattr(review_module, "compose_pack", saved_meanwhile)
    page = client.get("/review/es", headers=AUTH).text
    monkeypatch.setattr(review_module, "compose_pack", original)
    po(small).write_bytes(bad)  # ...and put back
    assert "medicamento seguro" in page and "veneno" not in page
    form = {"name": "Siobhán O'Neill", "email": "siobhan@example.org"}
    form |= {
        f"decision-ldn-overview-{row['key']}": "accept",
        f"shown-ldn-overview-{row['key']}": _page_shown(page, row["key"]),
    }
    client.post("/review/es", data=form, headers=FORM)
    records = load_records(small, "es", "ldn-overview")
    assert row["key"] not in records


@pytest.mark.slow
def test_still_correct_signs_what_was_shown_not_what_is_on_disk_after_its_save(
    client: TestClient, small: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldn_i18n.serve.signoffs as signoffs_module

    row = _english_changed(client, small)
    seen = _page_shown(client.get("/review/es", headers=AUTH).text, row["key"])
    original = signoffs_module.keep_back

    def saved_meanwhile(*args: Any, **kwargs: Any) -> bool:
        done = original(*args, **kwargs)
        _set(small, row["key"], lambda m: setattr(m, "string", m.string.replace("ayuda", "empeora")))
        return done

    monkeypatch.setattr(signoffs_module, "keep_back", saved_meanwhile)
    answer = client.post(
        "/api/review/es/ldn-overview",
        json={"reviewer": REVIEWER, "still_correct": [row["key"]], "shown": {row["key"]: seen}},
        headers=AUTH,
    )
    assert "changed since it was shown" in answer.json()["refused"][row["key"]], answer.text
    assert row["key"] not in load_records(small, "es", "ldn-overview")


@pytest.mark.slow
def test_still_correct_by_someone_who_may_not_sign_changes_nothing(
    client: TestClient, small: Project
) -> None:
    row = _english_changed(client, small)
    seen = _page_shown(client.get("/review/es", headers=AUTH).text, row["key"])
    before = po(small).read_bytes()
    for who in ("Mallory <mallory@evil.example>", REVIEWER):
        body = {"reviewer": who, "still_correct": [row["key"]], "shown": {row["key"]: seen}}
        if who == REVIEWER:
            body["credential"] = "ATA certified"  # not the credential source/reviewers gives her
        answer = client.post("/api/review/es/ldn-overview", json=body, headers=AUTH)
        assert answer.status_code == 400, answer.text
        assert po(small).read_bytes() == before  # fuzzy flag, #| and back-translation as they were


def test_an_accepted_row_without_the_version_read_is_refused(client: TestClient, small: Project) -> None:
    keys = [m["key"] for m in messages(client)]
    answer = client.post(
        "/api/review/es/ldn-overview", json={"reviewer": REVIEWER, "accept": keys}, headers=AUTH
    )
    assert answer.status_code == 400 and '"shown"' in answer.json()["error"]
    assert not records_path(po(small)).is_file()


def test_a_workbench_on_the_network_signs_nothing(small: Project) -> None:
    """With --host 0.0.0.0 anyone given the address could sign with the reviewer's key: it never signs."""
    key = Path(signer_args(small, REVIEWER, CREDENTIAL)[3])
    app = make_app(small, TOKEN, "testserver", 80, watch=False, key=key, signing=False)
    with TestClient(app, base_url="http://testserver") as remote:
        keys = [m["key"] for m in messages(remote)]
        answer = remote.post(
            "/api/review/es/ldn-overview",
            json={"reviewer": REVIEWER, "accept": keys, "shown": shown(remote, keys)},
            headers=AUTH,
        )
    assert answer.status_code == 400 and "own machine" in answer.json()["error"]
    assert not records_path(po(small)).is_file()
