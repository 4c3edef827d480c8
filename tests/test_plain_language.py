"""Plain language (issue 12): the English against its reading grade, each translation against its catalog."""

from __future__ import annotations

import json
import re

import pytest

from ldn_i18n.check import check_catalog, check_project, check_sources, load_rules
from ldn_i18n.errors import LdnError
from ldn_i18n.project import Project
from ldn_i18n.review.pack import compose_pack, render_pack
from ldn_i18n.source import read_handout
from ldn_i18n.status import as_dict, as_html, as_table, project_status

from .conftest import edit_catalog, run_cli

HANDOUT = "source/handouts/ldn-overview.md"
#: The plain-language warnings of the committed English (above grade 10; three sentences over 25 words).
COMMITTED = [
    (2, "reading-level"),
    (8, "long-sentence"),
    (8, "long-sentence"),
    (26, "long-sentence"),
]
PLAIN_CODES = ("reading-level", "long-sentence", "harder-sentence", "length")
#: A clause of the Spanish ("and lower the release of chemicals that cause inflammation and pain").
CLAUSE = " y disminuir la liberación de sustancias químicas que causan inflamación y dolor"


def plain(findings: list) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return [(f.path, f.line, f.code) for f in findings if f.code in PLAIN_CODES]


def test_the_committed_english_is_above_grade_8_with_three_long_sentences(project: Project) -> None:
    found = check_sources(project)
    assert [(f.line, f.code) for f in found] == COMMITTED
    assert all(f.path == HANDOUT and f.level == "warning" for f in found)
    grade = re.search(r"reads at grade (\d+\.\d), above its target 8 ", found[0].message)
    assert grade and float(grade.group(1)) > 10, found[0].message
    assert [f.message.split()[0] for f in found[1:]] == ["27", "39", "26"]
    assert found[2].msgid.startswith("When used at low doses")


@pytest.mark.slow
def test_nothing_fires_on_the_committed_catalogs(project: Project) -> None:
    found = check_project(project)
    assert [(f.path, f.line, f.code) for f in found] == [(HANDOUT, line, code) for line, code in COMMITTED]
    result = run_cli(project, "check", check=0, via="module")
    assert result.err.strip() == "0 errors, 4 warnings, 0 suppressed", result.out


def test_a_target_in_the_front_matter_is_obeyed(project: Project) -> None:
    path = project.handouts_dir / "ldn-overview.md"
    path.write_text(path.read_text().replace("pages: 2\n", "pages: 2\nreading-grade: 11\n"))
    assert read_handout(path).reading_grade == 11
    below = [(line + 1, code) for line, code in COMMITTED]  # the new front matter line moves the body
    assert [(f.line, f.code) for f in check_sources(project)] == below[1:]
    path.write_text(path.read_text().replace("reading-grade: 11", "reading-grade: 10"))
    assert [(f.line, f.code) for f in check_sources(project)] == [COMMITTED[0]] + below[1:]


@pytest.mark.parametrize("value", ["eight", "0", "17", "true", "[8]"])
def test_a_bad_target_names_its_line(project: Project, value: str) -> None:
    path = project.handouts_dir / "ldn-overview.md"
    path.write_text(path.read_text().replace("pages: 2\n", f"pages: 2\nreading-grade: {value}\n"))
    with pytest.raises(LdnError) as caught:
        read_handout(path)
    assert caught.value.line == 5
    assert "front matter `reading-grade:` must be a US school grade from 1 to 16" in caught.value.message
    assert [(f.line, f.code) for f in check_sources(project)] == [(5, "source")]


def test_a_long_sentence_is_reported_at_the_line_of_its_block(project: Project) -> None:
    path = project.handouts_dir / "ldn-overview.md"
    text = path.read_text().replace(
        "Always talk with a healthcare provider",
        "Always talk with a healthcare provider, a nurse, a pharmacist or another member of the team "
        "who knows your history and your other medicines",
    )
    path.write_text(text)
    line = text.splitlines().index(next(t for t in text.splitlines() if t.startswith("Always"))) + 1
    assert plain(check_sources(project))[-1] == (HANDOUT, line, "long-sentence")


@pytest.mark.slow
def test_a_dropped_clause_is_a_length_warning(project: Project) -> None:
    po = project.po_path("es", "ldn-overview")
    edit_catalog(po, replace=(CLAUSE, ""))
    found = [f for f in check_catalog(po, load_rules(project, "es"), project.root) if f.code in PLAIN_CODES]
    assert [(f.code, f.level) for f in found] == [("length", "warning")]
    lines = po.read_text().splitlines()
    assert lines[found[0].line - 1].startswith("msgstr")
    assert found[0].msgid.startswith("LDN is thought to help")
    assert re.search(r"^195 characters where .* about 283 .*: is a clause left out\?$", found[0].message)
    result = run_cli(project, "check", "--locale", "es", via="module")
    assert f"locale/es/LC_MESSAGES/ldn-overview.po:{found[0].line}: warning: length " in result.out


def test_a_bare_noqa_silences_it(project: Project) -> None:
    po = project.po_path("es", "ldn-overview")
    edit_catalog(po, replace=(CLAUSE, ""))
    text = po.read_text()
    po.write_text(
        text.replace(
            "#: source/handouts/ldn-overview.md:12\n",
            "# noqa -- shorter on purpose\n#: source/handouts/ldn-overview.md:12\n",
        )
    )
    found = [f for f in check_catalog(po, load_rules(project, "es"), project.root) if f.code == "length"]
    assert [(f.counts, f.suppressed) for f in found] == [(False, "shorter on purpose")]


def test_sentences_joined_into_one_are_a_harder_sentence(project: Project) -> None:
    po = project.po_path("es", "ldn-overview")
    edit_catalog(
        po,
        replace=(
            "bien**. La mayoría de las personas no tienen efectos secundarios graves. Algunas",
            "bien**, y la mayoría de las personas no tienen efectos secundarios graves, aunque algunas",
        ),
    )
    edit_catalog(po, replace=("estomacal leve. **La LDN", "estomacal leve, así que **la LDN"))
    found = [f for f in check_catalog(po, load_rules(project, "es"), project.root) if f.code in PLAIN_CODES]
    assert [f.code for f in found] == ["harder-sentence"]
    assert found[0].msgid.startswith("LDN is **generally well tolerated**")
    assert re.match(r"its longest sentence has 4\d words where the English's has 15 ", found[0].message)
    assert "Fernández-Huerta" in found[0].message  # the language's own scores


def test_status_shows_reading_levels_and_the_hardest_sentences(project: Project) -> None:
    status = project_status(project)
    data = as_dict(status, project)
    rows = {(r["locale"], r["domain"]): r for r in data["catalogs"]}
    assert rows[("es", "ldn-overview")]["reading_level"].startswith("Fernández-Huerta ")
    assert rows[("es", "templates")]["reading_level"] is None
    assert rows[("zh_Hans", "ldn-overview")]["reading_level"].endswith("characters per sentence")
    readability = data["readability"]["ldn-overview"]
    assert readability["target_grade"] == 8
    assert sorted(readability["languages"]) == ["ar", "en", "es", "ht", "pt_BR", "vi", "zh_Hans"]
    english = readability["languages"]["en"]
    assert english["figures"]["grade"] > 10
    hardest = english["hardest"]
    assert len(hardest) == 5
    assert hardest[0]["sentence"].startswith("When used at low doses") and hardest[0]["line"] == 8
    grades = [h["grade"] for h in hardest]
    assert grades == sorted(grades, reverse=True)
    spanish = readability["languages"]["es"]["hardest"]
    assert spanish[0]["sentence"].startswith("Cuando se usa en dosis bajas") and spanish[0]["words"] > 40
    assert all(len(readability["languages"][loc]["hardest"]) == 5 for loc in readability["languages"])
    table = as_table(status).splitlines()
    assert table[0].endswith("reading level")
    assert any(line.startswith("es ") and "Fernández-Huerta" in line for line in table)
    page = as_html(status, project.templates)
    assert "<h2>Plain language</h2>" in page and "<th>reading level</th>" in page
    assert '<span lang="ar" dir="rtl">' in page and '<span lang="zh-Hans" dir="ltr">' in page
    assert "Cuando se usa en dosis bajas" in page


def test_status_json_through_the_cli(project: Project) -> None:
    run_cli(project, "status", check=0)
    data = json.loads((project.dist_dir / "status.json").read_text(encoding="utf-8"))
    assert set(data["readability"]["ldn-overview"]["languages"]["vi"]["figures"]) >= {
        "sentences",
        "words",
        "words_per_sentence",
        "scores",
        "grade",
        "summary",
    }
    assert data["readability"]["ldn-overview"]["languages"]["vi"]["figures"]["grade"] is None


def test_the_pack_shows_each_rows_sentence_figures(project: Project) -> None:
    pack = compose_pack(project, "es", "ldn-overview", all_rows=True)
    row = next(r for r in pack.rows if r.location.endswith(":30"))
    assert row.english_figures.startswith("4 sentences, ") and "Flesch-Kincaid grade" in row.english_figures
    assert (
        row.translation_figures.startswith("4 sentences, ") and "Fernández-Huerta" in row.translation_figures
    )
    html = render_pack(project.templates, pack)
    assert html.count('<p class="figures">') == len(pack.rows)
    assert html.count('<p class="figures" lang="en" dir="ltr">') == len(pack.rows)
    chinese = compose_pack(project, "zh_Hans", "ldn-overview", all_rows=True)
    assert all("characters per sentence" in r.translation_figures for r in chinese.rows)
    templates = compose_pack(project, "es", "templates", all_rows=True)
    assert all(r.english_figures == r.translation_figures == "" for r in templates.rows)
