"""The rate of a dose or frequency: :func:`check_rates` ``(source, translation, rules) -> [(code, message)]``.

Every period the English writes (``per day``, ``daily``, ``3 times a week``,
``mg/day``) must be in the translation, and no other (``al día`` read as ``por
semana``, ``每周``, ``في الأسبوع`` is an error); every interval (``every 8
hours``) too; a count of times is not a count of doses (``3 times`` -> ``三粒``).
Read by :func:`ldn_i18n.quantities.read_doses`; each named in
the words of the translation's language and of English
(:func:`ldn_i18n.doses.describe`). The back-translation checks run it on the
back-translation, in English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..doses import amount, describe, period_words
from ..languages import language
from ..markup import inspect_inline
from ..quantities import FORM, TIMES, Reading, read_doses
from .codes import Rules


def _rates(reading: Reading, periods: Counter[str], locale: str) -> str:
    """The quantities that carry ``periods`` (or the period alone), in ``locale``'s words."""
    shown = []
    for period, count in sorted(periods.items()):
        rated = [describe(q, locale) for q in reading.quantities if q.per == period]
        shown += rated or [period_words(period, locale)] * count
    return ", ".join(dict.fromkeys(shown))


def _both(english: str, words: str) -> str:
    return words if words == english else f"{words} ({english})"


def _counts(want: Reading, got: Reading, locale: str) -> Iterator[tuple[str, str]]:
    """A count of times read as a count of doses, or the reverse (``3 times a day`` -> ``每天三粒``)."""
    kinds = lambda reading: Counter((q.value, q.unit) for q in reading.quantities if q.unit in (FORM, TIMES))  # noqa: E731
    lost, added = kinds(want) - kinds(got), kinds(got) - kinds(want)
    for value, unit in sorted(lost, key=str):
        other = TIMES if unit == FORM else FORM
        if value is not None and (value, other) in added:
            english = f"{amount(value, unit, 'en')} is written {amount(value, other, 'en')}"
            yield "rates", f"{english}: {amount(value, other, locale)}"


def _swapped(want: Reading, got: Reading, locale: str) -> Iterator[tuple[str, str]]:
    """The same periods on other numbers (``1 a day and 2 a week`` -> ``1 a week and 2 a day``)."""
    rated = {(q.value, q.per) for q in want.quantities if q.per}
    for q in got.quantities:
        english = [e for e in want.quantities if e.per and e.value == q.value]
        if q.per and english and (q.value, q.per) not in rated:
            shown = _both(describe(q, "en"), describe(q, locale))
            yield "rates", f"{describe(english[0], 'en')} reads {shown}: the period moved to another number"


def check_rates(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Each period of a dose or frequency, and each interval, kept: changed, lost or added is an error."""
    locale = language(rules.locale).cldr
    want = read_doses(inspect_inline(source).text, "en")
    got = read_doses(inspect_inline(target).text, locale)
    # each period once: a translation may say "per day" twice ("每天服用4.5毫克，一天一次")
    missing = Counter(set(want.periods) - set(got.periods))
    extra = Counter(set(got.periods) - set(want.periods))
    if not missing and not extra:
        yield from _swapped(want, got, locale)
    if missing or extra:
        english = _rates(want, missing, "en")
        found = _both(_rates(got, extra, "en"), _rates(got, extra, locale))
        if missing and extra:
            yield "rates", f"the rate reads {found} where the English has {english}"
        elif missing:
            yield "rates", f"the rate {_both(english, _rates(want, missing, locale))} is missing"
        else:
            yield "rates", f"the rate {found} is not in the English"
    yield from _counts(want, got, locale)
    want_every = Counter((q.value, q.unit) for q in want.quantities if q.every)
    got_every = Counter((q.value, q.unit) for q in got.quantities if q.every)
    for value, unit in sorted((want_every - got_every).elements(), key=str):
        if value is not None and unit is not None:
            shown = _both(f"every {amount(value, unit, 'en')}", amount(value, unit, locale))
            yield "rates", f"the interval {shown} is not written as an interval ('every')"
    for value, unit in sorted((got_every - want_every).elements(), key=str):
        if value is not None and unit is not None:
            shown = _both(f"every {amount(value, unit, 'en')}", amount(value, unit, locale))
            yield "rates", f"the interval {shown} is not an interval in the English"
