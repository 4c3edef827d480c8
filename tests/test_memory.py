"""The translation memory (issue 20): a second handout, written here, reuses sentences of the
first word for word, nearly, and not at all; ``update`` fills its catalogs from the first's."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from ldn_i18n.catalogs import catalog_status
from ldn_i18n.extract import extract
from ldn_i18n.memory import THRESHOLD, Memory, similarity, tokens
from ldn_i18n.pofiles import read_catalog
from ldn_i18n.project import Project
from ldn_i18n.review.pack import compose_pack, render_pack
from ldn_i18n.serve.workbench import Workbench
from ldn_i18n.status import as_dict, as_table, project_status
from ldn_i18n.update import update
from tests.conftest import edit_catalog, msgfmt_check, needs_msgfmt, run_cli, sign_as

#: Sentences of source/handouts/ldn-overview.md taken as they are.
SAME = "Always talk with a healthcare provider before starting or stopping any medication, including LDN."
SAME_HEADING = "Is LDN safe?"
#: One sentence of the first handout with one word changed (one of 13 tokens: 92%).
FIRST = "LDN is not a cure, but it may help manage symptoms."
CLOSE = "LDN is not a cure, but it may help control symptoms."
NEW = "Keep your tablets in a dry place away from children."

SECOND = f"""---
title: Starting LDN
pages: 1
edition: 2026-12-01
---

## {SAME_HEADING}

{NEW}

- {CLOSE}

{SAME}
"""


def _second(project: Project, text: str = SECOND, slug: str = "second") -> None:
    (project.handouts_dir / f"{slug}.md").write_text(text, encoding="utf-8")
    extract(project)


def _messages(project: Project, locale: str, domain: str) -> dict[str, Message]:
    return {str(m.id): m for m in read_catalog(project.po_path(locale, domain), locale) if m.id}


def _translation(project: Project, locale: str, domain: str, msgid: str) -> str:
    return str(_messages(project, locale, domain)[msgid].string)


@pytest.mark.slow
@needs_msgfmt
@pytest.mark.parametrize("locale", ["es", "ar"])
def test_identical_close_and_new_sentences_of_a_second_handout(small: Project, locale: str) -> None:
    _second(small)
    report = update(small)
    path = small.po_path(locale, "second")
    assert report.from_memory[path] == 3  # the heading, the sentence, the close list item
    found = _messages(small, locale, "second")
    for english in (SAME, SAME_HEADING):
        message = found[english]
        assert message.string == _translation(small, locale, "ldn-overview", english)
        assert message.fuzzy and not message.previous_id
        assert message.user_comments == ["memory: identical English, from ldn-overview.po"]
    close = found[CLOSE]
    assert close.string == _translation(small, locale, "ldn-overview", FIRST)
    assert close.fuzzy and close.previous_id == [FIRST]
    assert close.user_comments == ["memory: 92% similar English, from ldn-overview.po"]
    assert not found[NEW].string and not found[NEW].fuzzy
    assert msgfmt_check(path).returncode == 0
    assert f'#| msgid "{FIRST}"' in path.read_text(encoding="utf-8")
    # Nothing else moved: the first handout's catalog is as it was.
    assert small.po_path(locale, "ldn-overview") not in report.written
    # A second run changes nothing.
    again = update(small)
    assert path in again.unchanged and not again.from_memory


@pytest.mark.slow
def test_no_memory_leaves_the_new_catalog_empty_and_the_cli_says_what_it_filled(small: Project) -> None:
    _second(small)
    result = run_cli(small, "update", "--no-memory", check=0)
    assert "translation memory" not in result.out
    assert all(not m.string for m in _messages(small, "es", "second").values())
    assert "--no-memory" in run_cli(small, "update", "--help", check=0).out
    result = run_cli(small, "update", check=0)
    assert "locale/es/LC_MESSAGES/second.po: 3 messages from the translation memory" in result.out


@pytest.mark.slow
def test_an_unconfirmed_match_never_feeds_another_and_a_confirmed_one_does(small: Project) -> None:
    _second(small)
    update(small)
    # A third handout has the second's close sentence word for word: the second's translation of it
    # is a match nobody confirmed, so the third gets the first's translation, as a close match.
    _second(small, SECOND.replace("Starting LDN", "Third"), "third")
    update(small, ["es"])
    third = _messages(small, "es", "third")[CLOSE]
    assert third.previous_id == [FIRST]
    assert third.user_comments == ["memory: 92% similar English, from ldn-overview.po"]
    # Confirmed by the translator (fuzzy cleared), it is an entry of its own: identical for a fourth.
    edit_catalog(small.po_path("es", "second"), CLOSE, fuzzy=False, previous=[])
    _second(small, SECOND.replace("Starting LDN", "Fourth"), "fourth")
    update(small, ["es"])
    fourth = _messages(small, "es", "fourth")[CLOSE]
    assert fourth.user_comments == ["memory: identical English, from second.po"]
    assert fourth.previous_id == [] and fourth.fuzzy


def test_a_translation_a_reviewer_sent_back_is_not_offered(small: Project) -> None:
    edit_catalog(small.po_path("es", "ldn-overview"), SAME, comment="review: say 'medicamento'")
    _second(small)
    update(small, ["es"])
    assert not _messages(small, "es", "second")[SAME].string


@pytest.mark.slow
def test_a_match_carries_no_sign_off_and_status_pack_and_workbench_show_it(small: Project) -> None:
    signed, refused = sign_as(small, "es", "ldn-overview", messages="all")
    assert signed and not refused
    _second(small)
    update(small, ["es"])
    status = catalog_status(small, "es", "second")
    assert status is not None
    assert (status.memory, status.fuzzy, status.untranslated) == (3, 3, 2)  # title and NEW are empty
    assert status.review.signed == 0
    whole = project_status(small)
    row = next(r for r in as_dict(whole, small)["catalogs"] if (r["locale"], r["domain"]) == ("es", "second"))
    assert row["memory"] == 3 and row["signed"] == 0
    assert "memory" in as_table(whole).splitlines()[0]
    # Confirmed by the translator, it is translated, counted apart no more, and still unsigned here.
    edit_catalog(small.po_path("es", "second"), SAME, fuzzy=False)
    status = catalog_status(small, "es", "second")
    assert status is not None and status.memory == 2 and status.review.signed == 0
    pack = compose_pack(small, "es", "second", all_rows=True)
    origins = {row.origin for row in pack.rows}
    expected = {"identical English, from ldn-overview.po", "92% similar English, from ldn-overview.po"}
    assert origins == {"", *expected}
    assert all(row.signed is None for row in pack.rows)
    html = render_pack(small.templates, pack)
    assert "From the translation memory: 92% similar English, from ldn-overview.po" in html
    rows = {row["msgid"]: row for row in Workbench(small, signing=False).rows("es", "second")}
    assert rows[CLOSE]["origin"] == "92% similar English, from ldn-overview.po"
    assert rows[NEW]["origin"] == "" and not any(c.startswith("memory:") for c in rows[SAME]["comments"])


@pytest.mark.slow
def test_a_changed_sentence_matched_to_its_own_old_translation_loses_its_memory_comment(
    small: Project,
) -> None:
    _second(small)
    update(small, ["es"])
    edit_catalog(small.po_path("es", "second"), NEW, msgstr="Guarde sus tabletas en un lugar seco.")
    _second(small, SECOND.replace("in a dry place", "in a cool, dry place"))
    update(small, ["es"])
    changed = _messages(small, "es", "second")[NEW.replace("in a dry place", "in a cool, dry place")]
    assert changed.fuzzy and changed.previous_id == [NEW] and changed.user_comments == []


# --- the similarity and its index -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (FIRST, FIRST, 1.0),
        (FIRST, CLOSE, 1 - 1 / 13),  # 13 tokens (commas and the full stop count), one substituted
        ("Take 1.5 mg.", "Take 4.5 mg.", 1 - 1 / 6),
        ("Take it at night.", "At night, take it.", 1 - 5 / 6),  # 2 deleted, 3 inserted
        ("", "Take it.", 0.0),
    ],
)
def test_similarity_is_word_level_levenshtein(a: str, b: str, expected: float) -> None:
    assert similarity(tokens(a), tokens(b)) == pytest.approx(expected)


@pytest.mark.slow
def test_the_index_finds_what_comparing_every_pair_finds() -> None:
    """The prefix filter of :meth:`Memory._close` loses no match: the same result as comparing all."""
    rng = random.Random(20)
    words = [
        "take",
        "ldn",
        "at",
        "night",
        "with",
        "water",
        "pain",
        "may",
        "help",
        "the",
        "dose",
        "of",
        "mg",
        "1",
        "4",
        "5",
        ".",
        ",",
        "not",
    ]
    sentences = list(dict.fromkeys(" ".join(rng.choices(words, k=rng.randint(3, 14))) for _ in range(400)))
    memory = Memory()
    catalog = Catalog(locale="es")
    for text in sentences:
        catalog.add(text, "x")
    memory.add("es", "other", catalog)
    for query in sentences[:60] + ["take ldn at night", "pain"]:
        scores = {t: similarity(tokens(query), tokens(t)) for t in sentences if t != query}
        brute = sorted((-s, t) for t, s in scores.items() if s >= THRESHOLD)
        assert sorted((-s, t) for s, t in memory._close(query)) == brute


@pytest.mark.slow
def test_update_parses_each_catalog_once(small: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory is built from the catalogs the merge reads anyway: each file is parsed once."""
    import ldn_i18n.update as update_module

    _second(small)
    update(small)
    reads: list[Path] = []
    real = update_module.read_catalog

    def counting(path: Path, locale: str | None = None) -> object:
        reads.append(path)
        return real(path, locale)

    monkeypatch.setattr(update_module, "read_catalog", counting)
    update(small)
    po = [p for p in reads if p.suffix == ".po"]
    assert po and len(po) == len(set(po))
