"""References: the AMA list against the seed handout, locale terms, numbering, escaping."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from ldn_i18n.errors import LdnError
from ldn_i18n.library import load_library
from ldn_i18n.project import Project
from ldn_i18n.references import (
    check_keys,
    citation_order,
    cite_html,
    csl_locale,
    format_references,
)
from ldn_i18n.source import parse_handout, read_handout

from .conftest import FLORIDA

SEED_REF = re.compile(
    r"^(\d+)\. \[(?P<title>.+?)\]\(#\) (?P<authors>.+?)\. \*(?P<journal>.+?)\*\. "
    r"(?P<cite>\d{4};[^ ]+?)\.(?: doi:(?P<doi>\S+?)\.)?$",
    re.M,
)


def text_of(entry_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", entry_html))


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(FLORIDA / "source" / "references.json")


@pytest.fixture(scope="module")
def keys() -> list[str]:
    return citation_order(read_handout(FLORIDA / "source" / "handouts" / "ldn-overview.md"))


def test_english_list_matches_the_seed(library, keys, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    seed = [m.groupdict() for m in SEED_REF.finditer(seed_text)]
    assert len(seed) == 9
    entries = format_references(library, keys, "en")
    assert [e.number for e in entries] == list(range(1, 10))
    for expected, entry in zip(seed, entries, strict=True):
        text = text_of(entry.html)
        assert expected["title"].rstrip(".") in text
        assert text.startswith(expected["authors"] + ".")  # includes "et al." where the seed has it
        assert f"{expected['journal']}. {expected['cite']}" in text
        if expected["doi"]:
            assert f"doi:{expected['doi']}" in text
            assert f'href="https://doi.org/{expected["doi"]}"' in entry.html


def test_full_author_lists_are_kept_in_the_library(library) -> None:  # type: ignore[no-untyped-def]
    assert len(library.items["poliwoda2023"]["author"]) == 7
    assert len(library.items["soin2021"]["author"]) == 10


def test_spanish_list_same_articles_in_the_same_order(library, keys) -> None:  # type: ignore[no-untyped-def]
    english = format_references(library, keys, "en")
    spanish = format_references(library, keys, "es")
    assert [e.key for e in spanish] == [e.key for e in english]
    assert csl_locale("es") == "es-MX"
    for en, es in zip(english, spanish, strict=True):
        title = library.items[en.key]["title"]
        assert title.split(":")[0] in text_of(es.html)  # titles stay in English
    assert "et al." in text_of(spanish[2].html).replace("\xa0", " ")  # es-MX: et\u00a0al.
    assert "382–389" in text_of(spanish[0].html)  # es-MX page-range delimiter


def test_numbering_follows_first_citation() -> None:
    handout = parse_handout("---\ntitle: T\n---\n\nA [@c; @a]\n\nB [@b; @a]\n", Path("h.md"))
    assert citation_order(handout) == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("numbers", "shown"),
    [
        ([1, 2, 3], "1-3"),
        ([2, 1], "1,2"),
        ([1, 3, 5, 6, 7, 8], "1,3,5-8"),
        ([4], "4"),
    ],
)
def test_superscripts_collapse_ranges(numbers: list[int], shown: str) -> None:
    mapping = {f"k{n}": n for n in numbers}
    rendered = cite_html(list(mapping), mapping)
    assert text_of(rendered) == shown
    for n in (numbers[0], numbers[-1]):
        assert f'href="#ref-{n}"' in rendered


def test_unknown_key_names_file_and_line(library) -> None:  # type: ignore[no-untyped-def]
    handout = parse_handout("---\ntitle: T\n---\n\nOne.\n\nTwo [@nobody2020].\n", Path("h.md"))
    with pytest.raises(LdnError) as info:
        check_keys(handout, library)
    assert (info.value.path, info.value.line) == ("h.md", 7)
    assert "@nobody2020" in str(info.value)


def test_reference_text_is_escaped(tmp_path: Path) -> None:
    items = [
        {
            "id": "x",
            "type": "article-journal",
            "title": "<script>alert(1)</script> & <b>",
            "author": [{"family": "O'Neil", "given": "A."}],
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
            "DOI": '10.1234/x"onmouseover="y',
        }
    ]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items))
    entry = format_references(load_library(path), ["x"], "en")[0]
    assert "<script>" not in entry.html and "<b>" not in entry.html
    assert "&lt;script&gt;" in entry.html
    assert 'onmouseover="' not in entry.html


@pytest.mark.parametrize(
    "doi", ["javascript:alert(1)", "https://doi.org/10.1002/x", "10.1/x", "10.1002/ x", 4]
)
def test_a_doi_that_is_not_one_is_a_problem_of_its_item(tmp_path: Path, doi: object) -> None:
    items = [{"id": "x", "type": "article-journal", "title": "T", "DOI": doi}]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items))
    problem = load_library(path).problems["x"]
    assert "`DOI` must be a DOI such as 10.1002/pds.4201" in str(problem)


def test_bad_library_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"id": "a", "type": "book", "title": "T"},\n  {"id": }\n]\n')
    with pytest.raises(LdnError) as info:
        load_library(path)
    assert info.value.line == 3


def test_duplicate_id_is_an_error(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "refs.json"
    item = {"id": "a", "type": "book", "title": "T"}
    path.write_text(json.dumps([item, item], indent=1))
    with pytest.raises(LdnError, match="duplicate reference id 'a'"):
        load_library(path)
