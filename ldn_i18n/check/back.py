"""Blind back-translations: :func:`check_back_catalog` (one back catalog -> findings).

Each back-translation is compared with its English source by :data:`BACK_CHECKS`:
:func:`check_back_numbers`, :func:`check_back_negation` (each negation paired with what it
negates, by :mod:`.negation`; an error when the release policy requires a back-translation,
:attr:`.codes.Rules.back_required`) and :func:`ldn_i18n.check.messages.check_hidden`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..files import relative
from ..markup import inspect_inline
from ..numerals import digit_marks
from ..pofiles import ProjectCatalog, UnreadableCatalog, message_key, parse_catalog, written_forms
from ..poscan import Entry
from ..quantities import numbers_in, optional_ones
from ..text import nfc
from .codes import Finding, Rules
from .messages import Check, _forgive_ones, _show, check_hidden, check_units
from .negation import table, unpaired_negations
from .noqa import _back_findings
from .rates import check_rates
from .reading import _header_checks, _msgfmt, _parse, source_path

# --- blind back-translations (locale/<LL>/back/<domain>.po, written by ``ldn-i18n back``) ------

#: The English negation words (``ldn_i18n/data/negation.json``); any ``...n't`` contraction counts too.
#: ``avoid``, ``unless`` and ``stop`` negate by meaning: they may pair a negation, never require one.
NEGATIONS = tuple(str(w) for w in table()["en"]["words"] if "'" not in w and "\u2019" not in w)


def check_back_numbers(source: str, back: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Every number and dose of the English source, and no other, in its back-translation."""
    want, _ = numbers_in(inspect_inline(source).text, "en")
    got, invalid = numbers_in(inspect_inline(back).text, "en")
    for token in invalid:
        yield "back-numbers", f"{token!r} is not a number in English notation"
    for problem in digit_marks(back):
        yield "back-numbers", problem
    lacking, adding = want - got, got - want
    _forgive_ones(lacking, optional_ones(inspect_inline(source).text, "en"))
    _forgive_ones(adding, optional_ones(inspect_inline(back).text, "en"))
    missing = ", ".join(_show(n, "en") for n in sorted(lacking.elements()))
    extra = ", ".join(_show(n, "en") for n in sorted(adding.elements()))
    if missing and extra:
        yield "back-numbers", f"the back-translation reads {extra} where the English has {missing}"
    elif missing:
        yield "back-numbers", f"the back-translation lacks {missing}, which the English has"
    elif extra and not invalid:
        yield "back-numbers", f"the back-translation has {extra}, which the English does not"
    else:
        for _, message in check_units(source, back, Rules("en")):
            yield "back-numbers", f"in the back-translation, {message}"
    for _, message in check_rates(source, back, Rules("en")):
        yield "back-numbers", f"in the back-translation, {message}"


def check_back_negation(source: str, back: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Each negation of the English paired with one of the back-translation bearing on the same words.

    Not a count: "taken with opioids, not alone" has the one negation of "not
    taken with opioids", on other words (:func:`.negation.unpaired_negations`).
    """
    lost, added = unpaired_negations(source, back)
    shown = lambda n: f"{n.word!r} ({', '.join(n.scope) or 'nothing after it'})"  # noqa: E731
    for negation in lost:
        yield "back-negation", f"the English's {shown(negation)} is not negated in the back-translation"
    for negation in added:
        yield "back-negation", f"the back-translation's {shown(negation)} negates what the English does not"


#: The comparisons of a back-translation with its English source.
BACK_CHECKS: list[Check] = [check_back_numbers, check_back_negation, check_hidden]


def _forward_sources(forward: Path | ProjectCatalog) -> dict[str, Entry] | None:
    """Live forward entries by :func:`message_key`; None when the catalog cannot be read."""
    try:
        catalog = forward if isinstance(forward, ProjectCatalog) else parse_catalog(forward)
    except UnreadableCatalog:
        return None
    return {message_key(e.msgctxt, e.msgid): e for e in catalog.entries if not e.obsolete}


def check_back_catalog(
    back: Path | ProjectCatalog,
    forward_source: Path | ProjectCatalog,
    rules: Rules,
    root: Path | None = None,
) -> list[Finding]:
    """Every finding for one back catalog: each back-translation against its English source.

    The source is the message of ``forward_path`` whose key is the entry's
    msgctxt. An entry whose forward message is fuzzy or untranslated is not
    compared (the forward catalog's own check reports it); one whose message or
    translation changed since ``ldn-i18n back`` ran is a warning, as is an
    empty or fuzzy back-translation. A forward catalog that cannot be read is
    reported by its own check; the back catalog is then checked on its own. Either catalog may
    be given already parsed (:func:`~ldn_i18n.pofiles.parse_catalog`).
    """
    path, forward_path = source_path(back), source_path(forward_source)
    where = relative(path, root) if root else str(path)
    catalog = _parse(back, where)
    if isinstance(catalog, Finding):
        return [catalog]
    lines = catalog.lines
    findings = _header_checks(catalog, where, Rules("en"))
    exists = isinstance(forward_source, ProjectCatalog) or forward_path.is_file()
    forward = _forward_sources(forward_source) if exists else {}
    rerun = f"run `ldn-i18n back --locale {rules.locale}`"
    levels = {"back-negation": "error"} if rules.back_required else {}
    seen: dict[str, int] = {}
    for entry in (e for e in catalog.entries if not e.obsolete):
        line = entry.msgstr_line
        raw: list[tuple[str, str]] = []
        source = forward.get(entry.msgctxt or "") if forward is not None else None
        if entry.msgctxt in seen:
            raw.append(("duplicate", f"the same source key is already at line {seen[entry.msgctxt]}"))
        seen.setdefault(entry.msgctxt or "", line)
        if forward is not None and source is None:
            raw.append(("obsolete", f"no message of {forward_path.name} has this key any more: {rerun}"))
        elif source is not None and nfc(source.msgstr) != nfc(entry.msgid) and written_forms([source.msgstr]):
            raw.append(("fuzzy", f"the translation changed since this back-translation: {rerun}"))
        elif not written_forms([entry.msgstr]):
            raw.append(("untranslated", "not back-translated yet"))
        elif "fuzzy" in entry.flags:
            raw.append(("fuzzy", "fuzzy: back-translate the changed translation again, then unmark"))
        elif source is not None and written_forms([source.msgstr]) and "fuzzy" not in source.flags:
            for check in BACK_CHECKS:
                raw.extend(check(nfc(source.msgid), nfc(entry.msgstr), rules))
        findings += _back_findings(entry, line, where, raw, levels)
    obsolete = sum(1 for e in catalog.entries if e.obsolete)
    if obsolete:
        message = f"{obsolete} obsolete entries (kept for reference; delete when unneeded)"
        findings.append(Finding(where, len(lines), "warning", "obsolete", message))
    if not any(f.level == "error" and f.counts for f in findings):
        findings += _msgfmt(path, where)
    return sorted(findings, key=lambda f: (f.line, f.code))
