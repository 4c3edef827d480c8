"""Building on several machines: ``build --shard K/N`` on three copies of the project, then ``merge``.

Each shard builds from a copy of its own, as three CI machines would from one
checkout, with the same SOURCE_DATE_EPOCH; the merge goes into a fourth copy,
and is compared with one whole build (and ``status``) of a fifth. Then: a
broken catalog in one shard, a release, ``--locale``, bad ``--shard`` values
and folders ``merge`` must refuse, and the CI workflow that runs all this.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ldn_i18n.cli import _parser
from ldn_i18n.editions import assign, assignment, build
from ldn_i18n.errors import LdnError
from ldn_i18n.project import Project

from .conftest import REPO, Result, break_catalog, copy_project, run_cli
from .test_build_integrity import also_available, edition_files, index_links

SLUG = "ldn-overview"
EPOCH = {"SOURCE_DATE_EPOCH": "1764028800"}
#: Faster than the default formats, and still every kind of output that can differ: pages and PDFs.
FORMATS = ("--format", "html,pdf")
EVERY_EDITION = {f"{loc}/{SLUG}" for loc in ("en", "ar", "es", "ht", "pt_BR", "vi", "zh_Hans")}
SMALL = ("ht", "pt_BR", "vi", "zh_Hans")  # left out of the three-language project (en, es, ar)
WORKFLOW = REPO / ".github" / "workflows" / "editions.yml"


def small_copy(target: Path) -> Project:
    """A copy of the real project with English, Spanish and Arabic only."""
    project = copy_project(target)
    for locale in SMALL:
        shutil.rmtree(project.locale_dir / locale)
    return project


def record(project: Project | Path) -> dict[str, Any]:
    dist = project.dist_dir if isinstance(project, Project) else project
    data: dict[str, Any] = json.loads((dist / "editions.json").read_text(encoding="utf-8"))
    return data


def untimed(data: dict[str, Any]) -> dict[str, Any]:
    """A record without what differs between two builds of the same inputs: when, and how long."""
    for entry in data["editions"].values():
        entry.pop("built")
        entry.pop("seconds")
    return data


def untimed_status(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project.dist_dir / "status.json").read_text(encoding="utf-8"))
    for row in data["catalogs"]:
        for name in ("built", "seconds"):
            (row["last_build"] or {}).pop(name, None)
    return data


def files(project: Project) -> dict[str, bytes]:
    """Every file of dist/ (but the lock) by its path in dist/."""
    dist = project.dist_dir
    return {
        str(path.relative_to(dist)): path.read_bytes()
        for path in sorted(dist.rglob("*"))
        if path.is_file() and path.name != ".build.lock"
    }


STAMP = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")


def assert_same_as_one_build(merged: Project, whole: Project) -> None:
    """Same files, byte for byte (the record and status: but for times); the same record."""
    ours, theirs = files(merged), files(whole)
    assert sorted(ours) == sorted(theirs)
    for name in ours:
        if name == "editions.json":
            assert untimed(record(merged)) == untimed(record(whole))
        elif name == "status.json":
            assert untimed_status(merged) == untimed_status(whole)
        elif name == "status.html":  # the last build of each edition, to the minute
            assert STAMP.sub(b"-", ours[name]) == STAMP.sub(b"-", theirs[name])
        else:
            assert ours[name] == theirs[name], name


def shard(project: Project, part: str, *options: str, check: int | None = 0) -> Result:
    return run_cli(project, "build", *options, "--shard", part, env=EPOCH, check=check)


# --- three shards of the real project, merged, against one build --------------------------------


@dataclass
class Matrix:
    """Three shards of one build, their merge, and one build of the same project."""

    shards: list[Project]
    """The three machines' copies, each with its shard's dist/."""
    planned: list[list[list[str]]]
    """What each machine's :func:`assignment` was before it built."""
    outputs: list[Result]
    """What each shard's build printed."""
    merged: Project
    """A fourth copy, into which the shards' dist/ were merged."""
    merge: Result
    """What the merge printed."""
    whole: Project
    """A fifth copy, built whole on one machine, then ``status``."""


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    root = tmp_path_factory.mktemp("matrix")
    machines = [copy_project(root / f"machine-{n}") for n in (1, 2, 3)]
    planned = [assignment(machine, 3) for machine in machines]
    outputs = [shard(machine, f"{n}/3", *FORMATS) for n, machine in enumerate(machines, 1)]
    merged = copy_project(root / "merged")
    merge = run_cli(merged, "merge", *(str(m.dist_dir) for m in machines), env=EPOCH, check=0)
    whole = copy_project(root / "whole")
    run_cli(whole, "build", *FORMATS, env=EPOCH, check=0)
    run_cli(whole, "status", env=EPOCH)
    return Matrix(machines, planned, outputs, merged, merge, whole)


@pytest.mark.slow
def test_shards_are_disjoint_and_cover_every_edition(matrix: Matrix) -> None:
    shares = [record(machine)["shard"] for machine in matrix.shards]
    assert [share["part"] for share in shares] == [[1, 3], [2, 3], [3, 3]]
    keys = [set(share["editions"]) for share in shares]
    assert sum(len(k) for k in keys) == len(EVERY_EDITION) and set().union(*keys) == EVERY_EDITION
    for machine, mine, output in zip(matrix.shards, keys, matrix.outputs, strict=True):
        assert set(record(machine)["editions"]) == mine  # its own entries only
        folders = {key.replace("_", "-") for key in mine}  # dist/pt-BR/ holds pt_BR's files
        assert {name.rsplit(".", 1)[0] for name in edition_files(machine)} == folders
        assert not (machine.dist_dir / "index.html").exists()  # the merge writes the shared pages
        assert not (machine.dist_dir / "notice.html").exists()
        assert f"{len(mine)} editions built" in output.out


def test_every_machine_assigns_alike(matrix: Matrix) -> None:
    first = matrix.planned[0]
    assert all(planned == first for planned in matrix.planned)
    assert [sorted(share) for share in first] == [
        sorted(record(machine)["shard"]["editions"]) for machine in matrix.shards
    ]
    # A first build has no times: Chinese and Arabic are reckoned 1 s, the others 0.5 s.
    assert first == [
        [f"ar/{SLUG}", f"ht/{SLUG}"],
        [f"zh_Hans/{SLUG}", f"pt_BR/{SLUG}"],
        [f"en/{SLUG}", f"es/{SLUG}", f"vi/{SLUG}"],
    ]


def test_assign_is_longest_first_to_the_least_loaded_share() -> None:
    seconds = {"en/a": 0.5, "ar/a": 1.0, "es/a": 0.5, "zh/a": 2.0, "vi/a": 0.5, "ht/a": 0.5}
    assert assign(seconds, 2) == [["zh/a", "ht/a"], ["ar/a", "en/a", "es/a", "vi/a"]]
    assert assign(seconds, 3) == [["zh/a"], ["ar/a", "ht/a"], ["en/a", "es/a", "vi/a"]]
    assert assign(seconds, 8)[6:] == [[], []]  # more shares than editions: some have none
    assert assign(dict(reversed(seconds.items())), 3) == assign(seconds, 3)  # whatever the order given


def test_merged_shards_are_one_build(matrix: Matrix) -> None:
    assert_same_as_one_build(matrix.merged, matrix.whole)
    assert "shard" not in record(matrix.merged)
    assert "merged 3 shards: 7 editions built (6 drafts), 0 failed; 7 up to date" in matrix.merge.out
    assert "wrote dist/status.json" in matrix.merge.out
    assert index_links(matrix.merged)[:3] == [f"en/{SLUG}.html", f"en/{SLUG}.pdf", f"ar/{SLUG}.html"]


def test_after_a_merge_a_build_has_nothing_to_do(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    before = files(matrix.merged)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    report = build(matrix.merged, formats=("html", "pdf"))
    assert report.ok and all(result.reused for result in report.results)
    assert files(matrix.merged) == before


# --- a failure, a release, --locale --------------------------------------------------------------


@pytest.mark.slow
def test_a_failed_edition_is_reported_by_its_shard_and_unlinked_by_the_merge(tmp_path: Path) -> None:
    machines = [small_copy(tmp_path / f"machine-{n}") for n in (1, 2, 3)]
    for machine in machines:  # one checkout, so the same broken catalog on every machine
        break_catalog(machine, "ar")
    po = f"locale/ar/LC_MESSAGES/{SLUG}.po:"
    assert assignment(machines[0], 3) == [[f"ar/{SLUG}"], [f"en/{SLUG}"], [f"es/{SLUG}"]]
    failed = shard(machines[0], "1/3", "--format", "html", check=1)
    assert po in failed.err and ": error: " in failed.err
    assert "0 editions built (0 drafts), 1 failed" in failed.err
    shard(machines[1], "2/3", "--format", "html")
    shard(machines[2], "3/3", "--format", "html")
    # English cannot know that Arabic failed on another machine: it links as a whole build first does.
    assert also_available(machines[1], f"en/{SLUG}.html") == [f"../ar/{SLUG}.html", f"../es/{SLUG}.html"]

    merged = small_copy(tmp_path / "merged")
    break_catalog(merged, "ar")
    merge = run_cli(merged, "merge", *(str(m.dist_dir) for m in machines), env=EPOCH, check=1)
    assert po in merge.err  # reported again, not tried again
    assert "2 editions built (1 drafts), 1 failed; 1 up to date" in merge.err
    assert also_available(merged, f"en/{SLUG}.html") == [f"../es/{SLUG}.html"]
    assert also_available(merged, f"es/{SLUG}.html") == [f"../en/{SLUG}.html"]
    assert index_links(merged) == [f"en/{SLUG}.html", f"es/{SLUG}.html"]

    whole = small_copy(tmp_path / "whole")
    break_catalog(whole, "ar")
    run_cli(whole, "build", "--format", "html", env=EPOCH, check=1)
    run_cli(whole, "status", env=EPOCH)
    assert_same_as_one_build(merged, whole)


def signed_only(project: Project) -> Project:
    """The notice prints what is signed (no tagline is, here): English can be released."""
    (project.root / "source" / "policy.yaml").write_text("default: {notice: signed-only}\n", encoding="utf-8")
    return project


@pytest.mark.slow
def test_a_release_in_shards_leaves_out_the_drafts_as_one_release(tmp_path: Path) -> None:
    machines = [signed_only(small_copy(tmp_path / f"machine-{n}")) for n in (1, 2, 3)]
    codes = [
        shard(m, f"{n}/3", "--format", "html", "--release", check=None).code
        for n, m in enumerate(machines, 1)
    ]
    assert codes == [1, 0, 1]  # Arabic and Spanish are drafts: not released
    merged = signed_only(small_copy(tmp_path / "merged"))
    run_cli(merged, "merge", *(str(m.dist_dir) for m in machines), env=EPOCH, check=1)
    assert edition_files(merged) == [f"en/{SLUG}.html"]
    assert also_available(merged, f"en/{SLUG}.html") == []
    whole = signed_only(small_copy(tmp_path / "whole"))
    run_cli(whole, "build", "--format", "html", "--release", env=EPOCH, check=1)
    run_cli(whole, "status", env=EPOCH)
    assert_same_as_one_build(merged, whole)


def test_with_locale_the_shares_are_of_the_selected_editions(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shares = assignment(project, 2, ["es", "vi", "zh_Hans"])
    assert shares == [[f"zh_Hans/{SLUG}"], [f"es/{SLUG}", f"vi/{SLUG}"]]
    shard(project, "1/2", "--format", "html", "--locale", "es", "--locale", "vi", "--locale", "zh_Hans")
    assert record(project)["shard"]["editions"] == [f"zh_Hans/{SLUG}"]
    assert record(project)["shard"]["locales"] == ["es", "vi", "zh_Hans"]  # the merge selects them too
    assert also_available(project, f"zh-Hans/{SLUG}.html") == [f"../es/{SLUG}.html", f"../vi/{SLUG}.html"]


# --- what is refused -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0/3", "4/3", "x", "1/0", "3", "1/3/3", "-1/3", "1.5/3", ""])
def test_a_bad_shard_is_a_usage_error(small: Project, value: str) -> None:
    result = run_cli(small, "build", f"--shard={value}", check=2)
    assert result.err.splitlines() == [
        f"error: --shard {value!r}: give K/N, this machine's share K of N shares (1 <= K <= N), "
        "e.g. --shard 1/3 --shard 2/3 --shard 3/3 on three machines"
    ]
    assert not small.dist_dir.exists()
    with pytest.raises(LdnError, match="--shard '0/3'"):
        build(small, shard=(0, 3))


def test_merge_refuses_what_is_not_a_shard(matrix: Matrix, tmp_path: Path) -> None:
    target = small_copy(tmp_path / "target")

    def refused(*folders: Path) -> str:
        result = run_cli(target, "merge", *map(str, folders), check=2)
        assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
        assert not target.dist_dir.exists()  # nothing written
        return result.err

    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        refused(empty)
        == f"{empty}: error: not a shard's dist/: no editions.json (made by `ldn-i18n build --shard K/N`)\n"
    )
    assert "its record names no shard" in refused(matrix.whole.dist_dir)
    # Two shards that give one edition differently: the second is named, and the edition.
    first, second = tmp_path / "shard-1", tmp_path / "shard-1-again"
    shutil.copytree(matrix.shards[0].dist_dir, first)
    shutil.copytree(matrix.shards[0].dist_dir, second)
    page = second / "ar" / f"{SLUG}.html"
    page.write_text(page.read_text().replace("</main>", "<p>changed</p></main>"))
    data = record(second)  # each shard consistent with its own record
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    data["editions"][f"ar/{SLUG}"]["sha256"][f"ar/{SLUG}.html"] = digest
    (second / "editions.json").write_text(json.dumps(data))
    assert refused(first, second) == f"{second}: error: ar/{SLUG} is also given by {first}, differently\n"
    # A record that lists a file outside its edition's folder.
    data = record(second)
    data["editions"][f"ar/{SLUG}"]["outputs"].append("../../escape.html")
    (second / "editions.json").write_text(json.dumps(data))
    assert "is not a file of this edition" in refused(first, second)
    # Shards of another build: other formats.
    data["editions"][f"ar/{SLUG}"]["outputs"].pop()
    data["shard"]["formats"] = ["html"]
    (second / "editions.json").write_text(json.dumps(data))
    assert "not a share of the same build as" in refused(first, second)


def test_merge_trusts_no_file_it_did_not_check(matrix: Matrix, tmp_path: Path) -> None:
    """Each shard file matches the SHA-256 its record gives; no link, no file the record does not list."""
    target = small_copy(tmp_path / "target")
    assert all(
        set(entry["sha256"]) == set(entry["outputs"])
        for m in matrix.shards
        for entry in record(m)["editions"].values()
    )

    def refused(folder: Path) -> str:
        others = [m.dist_dir for m in matrix.shards[:2]]
        result = run_cli(target, "merge", *map(str, [*others, folder]), check=2)
        assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
        assert not target.dist_dir.exists()  # nothing written
        return result.err

    def shard_copy(name: str) -> Path:
        folder = tmp_path / name
        shutil.copytree(matrix.shards[2].dist_dir, folder, symlinks=True)
        assert record(folder)["shard"]["editions"] == [f"en/{SLUG}", f"es/{SLUG}", f"vi/{SLUG}"]
        return folder

    # A page edited after the shard made it: the dose of 1.5 to 4.5 mg made 45 mg.
    edited = shard_copy("edited")
    page = edited / "es" / f"{SLUG}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("4,5 mg", "45 mg"), encoding="utf-8")
    assert refused(edited) == (
        f"{page}: error: es/{SLUG}: es/{SLUG}.html is not the file the shard made "
        "(its SHA-256 differs from the record's)\n"
    )
    # A PDF replaced by a link to a system file outside the project.
    linked = shard_copy("linked")
    pdf = linked / "vi" / f"{SLUG}.pdf"
    pdf.unlink()
    pdf.symlink_to("/etc/hostname")
    assert (
        refused(linked)
        == f"{pdf}: error: vi/{SLUG}: vi/{SLUG}.pdf is a symbolic link, not a file the shard made\n"
    )
    # A file the record does not list, and a linked folder.
    extra = shard_copy("extra")
    (extra / "index.html").write_text("<p>not the merge's index</p>", encoding="utf-8")
    unlisted = "a file the shard's editions.json does not list: refusing to merge it"
    assert refused(extra) == f"{extra / 'index.html'}: error: {unlisted}\n"
    folder = shard_copy("folder")
    (folder / "etc").symlink_to("/etc", target_is_directory=True)
    assert (
        refused(folder)
        == f"{folder / 'etc'}: error: a symbolic link in a shard's dist/: refusing to merge it\n"
    )
    # The record itself a link (to a record of another build).
    relinked = shard_copy("relinked")
    (relinked / "editions.json").rename(relinked.parent / "elsewhere.json")
    (relinked / "editions.json").symlink_to(relinked.parent / "elsewhere.json")
    assert refused(relinked) == (
        f"{relinked / 'editions.json'}: error: a symbolic link in a shard's dist/: refusing to merge it\n"
    )
    # A record that gives no SHA-256 (a shard of an older version).
    older = shard_copy("older")
    data = record(older)
    del data["editions"][f"en/{SLUG}"]["sha256"]
    (older / "editions.json").write_text(json.dumps(data), encoding="utf-8")
    assert "the record gives no SHA-256 of en/" in refused(older)


# --- the CI workflow -----------------------------------------------------------------------------


def workflow_commands(job: dict[str, Any], shard_value: str = "1") -> list[list[str]]:
    """Every command a job runs (each line of its ``run:`` steps) as an argument list,
    ``${{ matrix.shard }}`` given ``shard_value``."""
    return [
        shlex.split(line.replace("${{ matrix.shard }}", shard_value))
        for step in job["steps"]
        if "run" in step
        for line in step["run"].splitlines()
        if line.strip()
    ]


def ldn_commands(job: dict[str, Any], shard_value: str = "1") -> list[list[str]]:
    """The ``ldn-i18n`` argument lists a job runs (:func:`workflow_commands`)."""
    return [argv[1:] for argv in workflow_commands(job, shard_value) if argv[0] == ".venv/bin/ldn-i18n"]


@pytest.mark.slow
def test_the_workflow_runs_commands_that_exist() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    assert set(jobs) == {"shard", "merge"} and jobs["merge"]["needs"] == "shard"
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    # As scripts/build-editions.sh: set-up, then its commands before `build`, in both jobs.
    script = (REPO / "scripts" / "build-editions.sh").read_text(encoding="utf-8").splitlines()
    prepare = [shlex.split(line)[1:] for line in script if line.startswith(".venv/bin/ldn-i18n")][:-1]
    assert prepare == [["extract"], ["update"], ["pseudo"]]
    for name, job in jobs.items():
        assert workflow_commands(job)[0] == ["./scripts/setup.sh"], name
        assert ldn_commands(job)[: len(prepare)] == prepare, name
    assert ldn_commands(jobs["shard"])[len(prepare) :] == [["build", "--shard", f"1/{len(shards)}"]]
    assert ldn_commands(jobs["merge"])[len(prepare) :] == [["merge", "shards/*"]]
    download = next(s for s in jobs["merge"]["steps"] if "download-artifact" in s.get("uses", ""))
    upload = next(s for s in jobs["shard"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "editions-shard-${{ matrix.shard }}"
    assert download["with"]["pattern"] == "editions-shard-*" and download["with"]["path"] == "shards"
    used = set()
    for job in jobs.values():
        for value in map(str, shards):
            for argv in ldn_commands(job, value):
                args = _parser().parse_args(argv)  # every option as the CLI takes it
                used.add(args.command)
                if args.command == "build":
                    assert args.shard == f"{value}/{len(shards)}"
    for command in sorted(used):
        assert run_cli(None, command, "--help", check=0, via="module", timeout=120).out.startswith(
            f"usage: ldn-i18n {command}"
        )
