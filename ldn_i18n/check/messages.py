"""The message checks: :data:`MESSAGE_CHECKS`, each ``(source, translation, rules) -> [(code, message)]``.

One small function per code: :func:`check_citations`, :func:`check_markup`,
:func:`check_numbers`, :func:`check_units`, :func:`check_placeholders`,
:func:`check_hidden`, :func:`check_do_not_translate`, :func:`check_unsafe`,
:func:`check_glossary`; and, each in a module of its own,
:func:`.negation.check_negation`, :func:`.sentences.check_sentences` and
:func:`.draft.check_draft_mark`. Doses are read by :mod:`ldn_i18n.quantities` and
:mod:`ldn_i18n.numerals`; placeholders and hidden characters by :mod:`ldn_i18n.text`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from ..languages import language
from ..markup import inspect_inline
from ..numerals import digit_marks, foreign_numerals
from ..quantities import doses, numbers_in, optional_ones
from ..text import format_problem, hidden_characters, placeholders
from ..units import show_number, unit_words
from .codes import Rules
from .draft import check_draft_mark
from .negation import check_negation
from .rates import check_rates
from .sentences import check_sentences

_UNSAFE = re.compile(
    r"<\s*/?\s*[a-zA-Z!]|javascript:|data:|vbscript:|https?://|www\.|\{\{|\{%|\$\{", re.IGNORECASE
)
#: A citation group right after a digit ("4[@k] mg" prints as "4¹ mg": 41) or right before one.
_CITE_AT_DIGIT = re.compile(r"\d\s*\[\s*@[^\]]*\]|\[\s*@[^\]]*\]\d")
#: A named placeholder, the only kind that can appear in a handout's text.
_NAMED = re.compile(r"%\(\w+\)[sd]")


# --- number notation -------------------------------------------------------------------------


def _show(number: Decimal, locale: str) -> str:
    return show_number(number, locale)


def _unit(value: Decimal, unit: str, locale: str) -> str:
    """A dose in the words of ``locale`` and, where they differ, of English: ``8 horas (8 hours)``."""
    words, english = unit_words(value, unit, locale), unit_words(value, unit, "en")
    return words if words == english else f"{words} ({english})"


# --- the checks, one function each: (source, translation, rules) -> [(code, message)] --------

Check = Callable[[str, str, Rules], Iterable[tuple[str, str]]]


def check_citations(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    want = sorted(sorted(group) for group in inspect_inline(source).citations)
    got = sorted(sorted(group) for group in inspect_inline(target).citations)
    if want != got:
        fmt = lambda groups: " ".join("[" + "; ".join("@" + k for k in g) + "]" for g in groups) or "none"  # noqa: E731
        yield "citations", f"cites {fmt(got)} but the source cites {fmt(want)}"


def check_markup(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    want, got = inspect_inline(source), inspect_inline(target)
    if got.unbalanced:
        yield "markup", f"unbalanced emphasis marker {got.unbalanced[0]!r}"
    elif (want.strong, want.em) != (got.strong, got.em):
        yield (
            "markup",
            (
                f"{got.strong} bold and {got.em} italic spans; the source has "
                f"{want.strong} bold and {want.em} italic"
            ),
        )


def check_numbers(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    want, _ = numbers_in(inspect_inline(source).text, "en")
    got, invalid = numbers_in(inspect_inline(target).text, language(rules.locale).cldr)
    for problem in foreign_numerals(target, language(rules.locale).cldr) + digit_marks(target):
        yield "numbers", problem
    if len(_CITE_AT_DIGIT.findall(target)) > len(_CITE_AT_DIGIT.findall(source)):
        yield "numbers", "a citation touching a number prints as a superscript that reads as a digit: move it"
    for token in invalid:
        yield "numbers", f"{token!r} is not a number in {rules.locale} notation"
    missing = want - got
    extra = got - want
    _forgive_ones(missing, optional_ones(inspect_inline(source).text, "en"))
    _forgive_ones(extra, optional_ones(inspect_inline(target).text, language(rules.locale).cldr))
    if missing:
        shown = ", ".join(_show(n, language(rules.locale).cldr) for n in sorted(missing))
        yield "numbers", f"missing number {shown} (as written in {rules.locale})"
    if extra and not invalid:
        shown = ", ".join(_show(n, language(rules.locale).cldr) for n in sorted(extra))
        yield "numbers", f"number {shown} is not in the source"


def _forgive_ones(numbers: Counter[Decimal], optional: int) -> None:
    """Leave out of ``numbers`` the 1s that were articles or a lone "once" (``a dose``, ``جرعة``)."""
    numbers[Decimal(1)] -= min(numbers[Decimal(1)], optional)
    if not numbers[Decimal(1)]:
        del numbers[Decimal(1)]


def check_units(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Each dose as a (number, unit) pair: a unit dropped, changed or added to a number is an error."""
    locale = language(rules.locale).cldr
    source_text, target_text = inspect_inline(source).text, inspect_inline(target).text
    want, got = doses(source_text, "en"), doses(target_text, locale)
    if want == got:
        return
    target_values, _ = numbers_in(target_text, locale)
    source_values, _ = numbers_in(source_text, "en")
    reported = set()
    for value, unit in sorted(want - got):
        shown = _unit(value, unit, locale)
        others = [u for v, u in got - want if v == value and u != unit]
        if others:
            yield "units", f"the dose {shown} is written {_unit(value, others[0], locale)}"
        elif target_values[value]:
            yield "units", f"the unit of {shown} is missing: the translation has {_show(value, locale)} alone"
        reported.add(value)
    for value, unit in sorted(got - want):
        if value not in reported and source_values[value]:
            shown = _unit(value, unit, locale)
            yield "units", f"{shown}: the source gives {_show(value, locale)} without this unit"


def check_placeholders(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Placeholders kept exactly; in a template string, every % a valid conversion.

    A handout's text is never formatted, so there only named placeholders
    (``%(name)s``) count: ``0,5 % crema`` is a percent sign, not ``% c``.
    """
    if rules.formatted:
        problem = format_problem(target)
        if problem:
            yield "placeholders", problem
            return
        want, got = placeholders(source), placeholders(target)
    else:
        want, got = _NAMED.findall(source), _NAMED.findall(target)
    if sorted(want) != sorted(got):
        yield "placeholders", "placeholders differ from the source's: keep each %(name)s"
    elif rules.ordered and want != got:
        order = ", ".join(want)
        yield (
            "placeholders",
            f"placeholders out of the source's order ({order}): each prints where the other belongs",
        )


def check_hidden(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Bidi controls, control characters and invisible characters inside numbers."""
    known = set(hidden_characters(source))
    for problem in hidden_characters(target):
        if problem not in known:
            yield "hidden-characters", f"{problem}: it changes what is read without being seen"
            return


def check_do_not_translate(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    for term in rules.do_not_translate:
        pattern = rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])"  # Han text has no spaces
        if len(re.findall(pattern, source)) > len(re.findall(pattern, target)):
            yield "do-not-translate", f"keep {term!r} unchanged"


def check_unsafe(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    allowed = {m.group(0).lower() for m in _UNSAFE.finditer(source)}
    for match in _UNSAFE.finditer(target):
        if match.group(0).lower() not in allowed:
            yield "unsafe-markup", f"{match.group(0)!r} is markup, a URL or template syntax: write plain text"
            return


def check_glossary(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    for term, approved in rules.glossary.items():
        if (
            re.search(rf"(?<![A-Za-z]){re.escape(term)}", source, re.IGNORECASE)
            and approved.lower() not in target.lower()
        ):
            yield "glossary", f"{term!r} should be translated as {approved!r}"


#: The message checks, in the order findings are reported.
MESSAGE_CHECKS: list[Check] = [
    check_citations,
    check_markup,
    check_numbers,
    check_units,
    check_rates,
    check_placeholders,
    check_hidden,
    check_do_not_translate,
    check_unsafe,
    check_glossary,
    check_negation,
    check_sentences,
    check_draft_mark,
]
