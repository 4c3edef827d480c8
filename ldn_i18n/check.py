"""Stage 4, check: :func:`check_catalog` (one .po -> findings) and :func:`check_project`.

Each check is a small function over one message with a stable code (listed in
:data:`CODES` and the README). It returns findings; it never prints. The plain
language checks (:func:`check_plain_source` for the English, :func:`check_length`
and :func:`check_harder_sentences` across a catalog) measure text with
:mod:`ldn_i18n.readability`. A
translator silences a check for one message with a comment ``# noqa: CODE``
(or ``#. noqa: CODE``) above it.
"""

from __future__ import annotations

import math
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import polib
from babel.core import Locale

from .errors import LdnError
from .files import relative
from .languages import language
from .markup import inspect_inline, plain_text
from .numerals import foreign_numerals
from .pofiles import plural_forms_problem, syntax_errors
from .project import SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from .quantities import doses, numbers_in, show_unit
from .source import Handout
from .text import format_problem, hidden_characters, nfc, placeholders
from .yamlfiles import read_glossary, read_terms

#: Every code, its level and what it means (the README's table is made from this).
CODES = {
    "source": ("error", "a handout or the reference library cannot be used (front matter, citation key...)"),
    "po-syntax": ("error", "the file is not valid PO syntax (quoting, keywords, charset)"),
    "msgfmt": ("error", "GNU msgfmt --check rejects the file"),
    "duplicate": ("error", "the same msgid (and msgctxt) appears twice"),
    "plural-forms": ("error", "Plural-Forms or a plural entry disagrees with CLDR's count for the language"),
    "citations": ("error", "the translation does not cite exactly the source's references"),
    "markup": ("error", "bold/italic markers lost, invented or unbalanced"),
    "numbers": ("error", "a number or dose is missing, changed or not in the language's notation"),
    "units": ("error", "a dose's unit (mg, mL, %...) is missing or changed, ranges included"),
    "placeholders": (
        "error",
        "a %(name)s placeholder is missing or invented, or a stray % in a template string",
    ),
    "hidden-characters": (
        "error",
        "a bidi control, control character or invisible character inside a number",
    ),
    "do-not-translate": ("error", "a do-not-translate term (source/terms.yaml) is not kept"),
    "unsafe-markup": ("error", "HTML, a URL or template syntax in the translation that the source lacks"),
    "glossary": ("warning", "an approved glossary translation is not used"),
    "untranslated": ("warning", "no translation yet: the English is printed"),
    "fuzzy": ("warning", "translation marked fuzzy: not printed until reviewed"),
    "obsolete": ("warning", "obsolete entries kept at the end of the file"),
    "back-numbers": ("error", "a back-translation's numbers or doses differ from the English source's"),
    "back-negation": (
        "warning",
        "a negation (not, no, never...) is in the back-translation or the English only",
    ),
    "reading-level": (
        "warning",
        "a handout's English is above its reading grade (front matter `reading-grade:`, default 8)",
    ),
    "long-sentence": ("warning", "a sentence of a handout's English has more than 25 words"),
    "harder-sentence": (
        "warning",
        "a translation's longest sentence is much longer than its English's, for that catalog",
    ),
    "length": (
        "warning",
        "a translation much shorter or longer than the catalog's usual ratio to the English: "
        "an omission or addition?",
    ),
}

_UNSAFE = re.compile(
    r"<\s*/?\s*[a-zA-Z!]|javascript:|data:|vbscript:|https?://|www\.|\{\{|\{%|\$\{", re.IGNORECASE
)
#: A citation group right after a digit ("4[@k] mg" prints as "4¹ mg": 41) or right before one.
_CITE_AT_DIGIT = re.compile(r"\d\s*\[\s*@[^\]]*\]|\[\s*@[^\]]*\]\d")
#: A named placeholder, the only kind that can appear in a handout's text.
_NAMED = re.compile(r"%\(\w+\)[sd]")
#: A ``noqa`` comment line: ``noqa[: CODE, CODE] [-- reason]``, alone on its line.
_NOQA = re.compile(
    r"^[ \t]*noqa(?::[ \t]*(?P<codes>[\w\-, \t]+?))?[ \t]*(?:(?:--|\u2014)[ \t]*(?P<reason>.*?))?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: Error-level codes that guard what a patient takes: silenced only by name and with a reason.
SAFETY_CODES = frozenset(
    {"citations", "numbers", "units", "placeholders", "unsafe-markup", "hidden-characters", "back-numbers"}
)
#: Codes about the file itself: never silenced.
FILE_CODES = frozenset({"source", "po-syntax", "msgfmt", "duplicate", "plural-forms"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a catalog."""

    path: str
    """The catalog, relative to the project when inside it."""
    line: int
    """1-based line of the msgstr (or of the problem)."""
    level: str
    """``error`` or ``warning``."""
    code: str
    """Stable code from :data:`CODES`."""
    message: str
    """What is wrong, in a sentence."""
    msgid: str = ""
    """Excerpt of the source text concerned."""
    suppressed: str | None = None
    """The reason given next to the ``# noqa`` that silenced it; None when it is not silenced."""

    @property
    def counts(self) -> bool:
        """Whether the finding counts against the catalog (it is not silenced)."""
        return self.suppressed is None

    def __str__(self) -> str:
        excerpt = f' [msgid "{self.msgid}"]' if self.msgid else ""
        level = self.level if self.suppressed is None else f"suppressed {self.level}"
        why = f" (noqa: {self.suppressed})" if self.suppressed else ""
        return f"{self.path}:{self.line}: {level}: {self.code} {self.message}{excerpt}{why}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class Rules:
    """Project and locale rules the checks apply."""

    locale: str
    """Target locale (number notation, plural count)."""
    do_not_translate: list[str] = field(default_factory=list)
    """Terms that must appear unchanged (``source/terms.yaml``)."""
    glossary: dict[str, str] = field(default_factory=dict)
    """Approved translations of source terms (``locale/<LL>/glossary.yaml``)."""
    formatted: bool = False
    """Whether the catalog's strings are ``%`` format strings (the templates catalog)."""


def load_rules(project: Project, locale: str) -> Rules:
    """The do-not-translate list and the locale's glossary; both files optional, errors located."""
    rules = Rules(locale)
    if project.terms_path.is_file():
        rules.do_not_translate = read_terms(project.terms_path)
    if project.glossary_path(locale).is_file():
        rules.glossary = read_glossary(project.glossary_path(locale))
    return rules


# --- number notation -------------------------------------------------------------------------


def _show(number: Decimal, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(number, locale=locale, group_separator=False)


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
    for problem in foreign_numerals(target, language(rules.locale).cldr):
        yield "numbers", problem
    if len(_CITE_AT_DIGIT.findall(target)) > len(_CITE_AT_DIGIT.findall(source)):
        yield "numbers", "a citation touching a number prints as a superscript that reads as a digit: move it"
    for token in invalid:
        yield "numbers", f"{token!r} is not a number in {rules.locale} notation"
    missing = want - got
    extra = got - want
    if missing:
        shown = ", ".join(_show(n, language(rules.locale).cldr) for n in sorted(missing))
        yield "numbers", f"missing number {shown} (as written in {rules.locale})"
    if extra and not invalid:
        shown = ", ".join(_show(n, language(rules.locale).cldr) for n in sorted(extra))
        yield "numbers", f"number {shown} is not in the source"


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
        shown = f"{_show(value, locale)} {show_unit(unit, locale)}"
        others = [u for v, u in got - want if v == value and u != unit]
        if others:
            yield "units", f"the dose {shown} is written with unit {show_unit(others[0], locale)!r}"
        elif target_values[value]:
            yield "units", f"the unit {show_unit(unit, locale)!r} of {shown} is missing"
        reported.add(value)
    for value, unit in sorted(got - want):
        if value not in reported and source_values[value]:
            shown = f"{_show(value, locale)} {show_unit(unit, locale)}"
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
    check_placeholders,
    check_hidden,
    check_do_not_translate,
    check_unsafe,
    check_glossary,
]


# --- one catalog ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suppression:
    """A ``# noqa`` above one message: which codes it names and why."""

    codes: frozenset[str]
    """The codes named; empty for a bare ``# noqa``."""
    reason: str
    """The words after ``--`` on the same line ('' when none)."""

    def silences(self, code: str) -> bool:
        """The rule (README, "Silencing a check"): see :data:`SAFETY_CODES` and :data:`FILE_CODES`."""
        if code in FILE_CODES:
            return False
        if CODES[code][0] == "error" and code not in self.codes:
            return False  # a bare noqa silences warnings only
        if code in SAFETY_CODES and len(re.findall(r"[^\W\d_]{2,}", self.reason)) < 2:
            return False  # a dose, citation or markup check needs a reason of a few words
        return not self.codes or code in self.codes


def suppression(entry: polib.POEntry) -> Suppression | None:
    """The ``# noqa`` of an entry (translator or extracted comment), or None."""
    for comment in (entry.tcomment or "", entry.comment or ""):
        match = _NOQA.search(comment)
        if match:
            codes = frozenset(c.strip() for c in (match.group("codes") or "").split(",") if c.strip())
            return Suppression(codes, (match.group("reason") or "").strip())
    return None


def _parse(path: Path, where: str) -> tuple[polib.POFile, str] | Finding:
    """A catalog parsed for checking, with its text; or the one po-syntax finding that stops it."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        return Finding(where, 1, "error", "po-syntax", f"cannot read: {exc.strerror}")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Finding(where, line, "error", "po-syntax", f"not valid UTF-8 ({exc.reason})")
    problems = syntax_errors(data)
    if problems:
        line, problem = problems[0]
        return Finding(where, line, "error", "po-syntax", problem)
    try:
        return read_po_entries(text), text
    except LdnError as exc:
        return Finding(where, exc.line or 1, "error", "po-syntax", exc.message)


def read_po_entries(text: str) -> polib.POFile:
    """The catalog ``text`` parsed by polib (which keeps line numbers); its syntax errors are LdnError."""
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:  # polib raises OSError for syntax it cannot read
        found = re.search(r"line (\d+)", str(exc))
        raise LdnError(f"unreadable PO syntax: {exc}", None, int(found.group(1)) if found else None) from None


def _msgstr_line(lines: list[str], entry: polib.POEntry) -> int:
    for number in range(max(entry.linenum - 1, 0), len(lines)):
        if lines[number].startswith("msgstr"):
            return number + 1
    return entry.linenum


def _excerpt(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def check_catalog(path: Path, rules: Rules, root: Path | None = None) -> list[Finding]:
    """Every finding for one catalog; a file that cannot be parsed gives one po-syntax finding."""
    where = relative(path, root) if root else str(path)
    rules = replace(rules, formatted=path.stem == TEMPLATES_DOMAIN)
    parsed = _parse(path, where)
    if isinstance(parsed, Finding):
        return [parsed]
    catalog, text = parsed
    lines = text.splitlines()
    findings = _header_checks(catalog, where, rules, lines)
    seen: dict[tuple[str | None, str], int] = {}
    obsolete = 0
    usable: list[tuple[polib.POEntry, int]] = []  # compared with each other (plain language)
    for entry in catalog:
        if entry.obsolete:
            obsolete += 1
            continue
        line = _msgstr_line(lines, entry)
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            findings.append(
                Finding(
                    where,
                    line,
                    "error",
                    "duplicate",
                    f"the same msgid is already at line {seen[key]}",
                    _excerpt(entry.msgid),
                )
            )
        seen[key] = line
        findings += _entry_findings(entry, line, where, rules)
        if entry.msgstr and "fuzzy" not in entry.flags and not entry.msgid_plural:
            usable.append((entry, line))
    if not rules.formatted:
        findings += _plain_language(usable, where, rules)
    if obsolete:
        findings.append(
            Finding(
                where,
                len(lines),
                "warning",
                "obsolete",
                f"{obsolete} obsolete entries (kept for reference; delete when unneeded)",
            )
        )
    if not any(f.level == "error" and f.counts for f in findings):  # the oracle, for what we missed
        findings += _msgfmt(path, where)
    return sorted(findings, key=lambda f: (f.line, f.code))


def _entry_findings(entry: polib.POEntry, line: int, where: str, rules: Rules) -> list[Finding]:
    noqa = suppression(entry)
    excerpt = _excerpt(entry.msgid)
    pairs = [(entry.msgid, entry.msgstr)]
    if entry.msgid_plural:
        strings = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        pairs = [(entry.msgid if i == 0 else entry.msgid_plural, s) for i, s in enumerate(strings)]
    raw: list[tuple[str, str]] = []
    if not any(target for _, target in pairs):
        raw.append(("untranslated", "not translated yet"))
    elif "fuzzy" in entry.flags:
        raw.append(("fuzzy", "fuzzy: check the translation against the changed English, then unmark"))
    else:
        for source, target in pairs:
            for check in MESSAGE_CHECKS:
                raw.extend(check(nfc(source), nfc(target), rules))
    found = []
    for code, message in dict.fromkeys(raw):
        level = CODES[code][0]
        if noqa is not None and noqa.silences(code):
            found.append(Finding(where, line, level, code, message, excerpt, suppressed=noqa.reason))
            continue
        if noqa is not None and code in SAFETY_CODES and code in noqa.codes:
            message += " (a noqa silences this check only with a reason: `# noqa: CODE -- why`)"
        found.append(Finding(where, line, level, code, message, excerpt))
    return found


def _header_line(lines: list[str], field_name: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(f'"{field_name}:')), 1)


def _header_checks(catalog: polib.POFile, where: str, rules: Rules, lines: list[str]) -> list[Finding]:
    from babel.messages.plurals import get_plural

    expected = get_plural(Locale.parse(language(rules.locale).cldr)).num_plurals
    header = catalog.metadata.get("Plural-Forms", "")
    match = re.search(r"nplurals\s*=\s*(\d+)", header)
    findings = []
    charset = re.search(r"charset=([\w-]+)", catalog.metadata.get("Content-Type", ""))
    if not charset or charset.group(1).lower() not in ("utf-8", "utf8"):
        findings.append(
            Finding(
                where,
                _header_line(lines, "Content-Type"),
                "error",
                "po-syntax",
                "declare charset=UTF-8 in Content-Type (the file must be UTF-8)",
            )
        )
    wrong = plural_forms_problem(header) if header else None
    if wrong:
        findings.append(Finding(where, _header_line(lines, "Plural-Forms"), "error", "plural-forms", wrong))
    elif match and int(match.group(1)) != expected:
        findings.append(
            Finding(
                where,
                _header_line(lines, "Plural-Forms"),
                "error",
                "plural-forms",
                f"Plural-Forms says nplurals={match.group(1)}; CLDR has {expected} for {rules.locale}",
            )
        )
    for entry in catalog:
        if entry.msgid_plural and not entry.obsolete and len(entry.msgstr_plural) != expected:
            findings.append(
                Finding(
                    where,
                    entry.linenum,
                    "error",
                    "plural-forms",
                    f"{len(entry.msgstr_plural)} plural forms; {rules.locale} needs {expected}",
                    _excerpt(entry.msgid),
                )
            )
    return findings


def _msgfmt(path: Path, where: str) -> list[Finding]:
    """GNU msgfmt --check as the oracle, when installed."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return []
    findings = []
    for line in result.stderr.splitlines():
        match = re.match(rf"{re.escape(str(path))}:(\d+): (.*)", line)
        if match and "warning" not in match.group(2):
            findings.append(Finding(where, int(match.group(1)), "error", "msgfmt", match.group(2)))
    return findings or [Finding(where, 1, "error", "msgfmt", result.stderr.strip().splitlines()[-1])]


def _as_finding(exc: LdnError, project: Project, code: str = "source") -> Finding:
    return Finding(relative(Path(exc.path or "."), project.root), exc.line or 1, "error", code, exc.message)


def check_sources(project: Project) -> list[Finding]:
    """The English sources and shared files: each handout, the reference library, the clinic file.

    A reference item that cannot be used is listed once, at its line in the
    library; a handout citing a key the library lacks is listed at its line.
    Each handout's English is also measured (:func:`check_plain_source`).
    """
    from .library import load_library
    from .references import check_keys
    from .source import read_handout

    findings = []
    try:
        project.load_clinic()
    except LdnError as exc:
        findings.append(_as_finding(exc, project))
    try:
        library = load_library(project.references_path)
    except LdnError as exc:
        return findings + [_as_finding(exc, project)]
    findings += [_as_finding(problem, project) for problem in library.problems.values()]
    for path in project.handout_paths():
        try:
            handout = read_handout(path)
        except LdnError as exc:
            findings.append(_as_finding(exc, project))
            continue
        try:
            check_keys(handout, library)
        except LdnError as exc:
            if exc not in library.problems.values():  # a bad item is listed once, above
                findings.append(_as_finding(exc, project))
        findings += check_plain_source(handout, project.root)
    return findings


def check_project(project: Project, locales: list[str] | None = None) -> list[Finding]:
    """Findings for the sources and every catalog of ``locales`` (default: every locale).

    A locale folder that is not a usable locale, or whose glossary cannot be
    read, is one finding naming the file; the other locales are still checked.
    """
    available = project.locales()
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    findings = check_sources(project)
    for locale in locales or available:
        problem = project.locale_problem(locale)
        if problem is not None:
            findings.append(_as_finding(problem, project, "po-syntax"))
            continue
        try:
            rules = load_rules(project, locale)
        except LdnError as exc:
            findings.append(_as_finding(exc, project))
            continue
        for path in sorted((project.locale_dir / locale / "LC_MESSAGES").glob("*.po")):
            findings += check_catalog(path, rules, project.root)
        for path in sorted((project.locale_dir / locale / "back").glob("*.po")):  # ldn-i18n back
            findings += check_back_catalog(path, project.po_path(locale, path.stem), rules, project.root)
    return findings


# --- plain language: the English's reading level, and each translation against its English --------
#
# The English source gets ``reading-level`` (the handout above its reading grade) and
# ``long-sentence`` (one sentence over LONG_SENTENCE_WORDS words). A handout catalog's translations
# are compared with the rest of the same catalog, which is what that language usually needs for
# this English (Spanish runs about 1.2 times the English's characters, Chinese about 0.35): a
# message far outside it by robust statistics (median and MAD of the log ratios, Iglewicz and
# Hoaglin's modified z-score) is a ``length`` finding (an omission or an addition), and one whose
# longest sentence is far longer than usual is a ``harder-sentence``. Neither fixed factor nor a
# table of languages: each catalog is its own yardstick.

#: A sentence of the English with more words than this is a ``long-sentence``. Plain-language
#: guidance (plainlanguage.gov's federal guidelines; NIH's Clear & Simple) asks for 15 to 20 words
#: on average; a single sentence past 25 is where readers at grade 8 lose the thread.
LONG_SENTENCE_WORDS = 25
#: Messages whose English (plain text) is shorter are not compared by length: in headings and
#: short list items one word more or less moves the ratio more than any omission does.
LENGTH_MIN_CHARACTERS = 40
#: Fewer comparable messages than this in a catalog give no robust centre: nothing is compared.
MIN_SAMPLE = 8
#: Iglewicz and Hoaglin's cut-off for the modified z-score ``0.6745 (x - median) / MAD``.
OUTLIER_Z = 3.5
#: The MAD of the log ratios is taken as at least this (5%), so a catalog of very even
#: translations does not flag a message a little off its median.
MIN_MAD = 0.05
#: A ``length`` finding also needs this many characters more or fewer than expected, counted in
#: the English's characters: about five words, a clause. A word or two is style, not omission.
LENGTH_MIN_DIFFERENCE = 30
#: A ``harder-sentence`` also needs the translation's longest sentence this many times longer
#: than the catalog's usual ratio predicts, and longer than :data:`LONG_SENTENCE_WORDS` converted
#: by that ratio (a sentence a reader would find long, not only longer than usual); the
#: English's longest sentence needs :data:`HARDER_MIN_WORDS` words to be compared at all.
HARDER_FACTOR = 1.5
HARDER_MIN_WORDS = 8
#: A Latin-letter word (a name, an abbreviation) kept as in the English.
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]")


def check_plain_source(handout: Handout, root: Path | None = None) -> list[Finding]:
    """``reading-level`` at the title's line and ``long-sentence`` at the line of each long one's block."""
    from .readability import figures, handout_figures, sentences

    where = relative(handout.path, root) if root else str(handout.path)
    findings = []
    overall = handout_figures(handout, SOURCE_LOCALE)
    target = handout.reading_grade
    if overall.grade is not None and overall.grade > target:
        findings.append(
            Finding(
                where,
                handout.blocks[0].line,
                "warning",
                "reading-level",
                f"the English reads at grade {overall.grade:.1f}, above its target {target:g} "
                f"(front matter `reading-grade:`): {overall.summary}",
                _excerpt(handout.title),
            )
        )
    for block in handout.blocks:
        for sentence in sentences(plain_text(block.text), SOURCE_LOCALE):
            words = figures([sentence], SOURCE_LOCALE).words
            if words > LONG_SENTENCE_WORDS:
                message = (
                    f"{words} words in one sentence (plain language: at most {LONG_SENTENCE_WORDS}): split it"
                )
                findings.append(
                    Finding(where, block.line, "warning", "long-sentence", message, _excerpt(sentence))
                )
    return findings


def _robust(values: list[float]) -> list[tuple[float, float, float]]:
    """Per value: the median of the others, their MAD (at least :data:`MIN_MAD`), its modified z-score."""
    out = []
    for index, value in enumerate(values):
        rest = values[:index] + values[index + 1 :]
        centre = statistics.median(rest)
        mad = max(statistics.median(abs(v - centre) for v in rest), MIN_MAD)
        out.append((centre, mad, 0.6745 * (value - centre) / mad))
    return out


def _measured_lengths(source: str, target: str, locale: str) -> tuple[int, int]:
    """Characters of the plain English and translation, spaces folded.

    In a language not written in Latin letters, the Latin words the translation
    keeps from the English (``Hailey-Hailey``, ``LDN``) are counted on neither
    side: they take many more characters than the same words in Han or Arabic.
    """
    english, translated = " ".join(plain_text(source).split()), " ".join(plain_text(target).split())
    if language(locale).script != "Latn":
        kept = set(_LATIN_WORD.findall(english)) & set(_LATIN_WORD.findall(translated))
        for word in kept:
            pattern = rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
            english, translated = re.sub(pattern, "", english), re.sub(pattern, "", translated)
    return len(english), len(translated)


@lru_cache(maxsize=4096)
def _longest_sentence(text: str, locale: str) -> tuple[int, str]:
    """Words of the longest sentence of a message's plain text (as that language counts them), and it."""
    from .readability import figures, sentences

    found = [(figures([s], locale).words, s) for s in sentences(plain_text(text), locale)]
    return max(found, default=(0, ""))


def check_length(pairs: list[tuple[str, str]], locale: str) -> dict[int, tuple[str, str]]:
    """``length`` findings by index in ``pairs`` (English, translation): omissions and additions."""
    rows = [
        (index, *_measured_lengths(source, target, locale))
        for index, (source, target) in enumerate(pairs)
        if len(plain_text(source)) >= LENGTH_MIN_CHARACTERS
    ]
    rows = [row for row in rows if row[1] and row[2]]
    if len(rows) < MIN_SAMPLE:
        return {}
    found = {}
    for (index, english, translated), (centre, _, z) in zip(
        rows, _robust([math.log(t / e) for _, e, t in rows]), strict=True
    ):
        usual = math.exp(centre)
        expected = english * usual
        if abs(z) > OUTLIER_Z and abs(translated - expected) / usual >= LENGTH_MIN_DIFFERENCE:
            what = "left out" if translated < expected else "added"
            found[index] = (
                "length",
                f"{translated} characters where this catalog's other translations suggest about "
                f"{expected:.0f} ({translated / english:.2f} times the English; usually {usual:.2f}): "
                f"is a clause {what}?",
            )
    return found


def check_harder_sentences(pairs: list[tuple[str, str]], locale: str) -> dict[int, tuple[str, str]]:
    """``harder-sentence`` findings by index in ``pairs``: a longest sentence far longer than usual."""
    from .readability import figures

    rows = []
    for index, (source, target) in enumerate(pairs):
        english, translated = _longest_sentence(source, SOURCE_LOCALE), _longest_sentence(target, locale)
        if english[0] >= HARDER_MIN_WORDS and translated[0]:
            rows.append((index, english, translated))
    if len(rows) < MIN_SAMPLE:
        return {}
    found = {}
    for (index, english, translated), (centre, _, z) in zip(
        rows, _robust([math.log(t[0] / e[0]) for _, e, t in rows]), strict=True
    ):
        usual = math.exp(centre)
        long = translated[0] > LONG_SENTENCE_WORDS * usual
        if z > OUTLIER_Z and translated[0] >= HARDER_FACTOR * usual * english[0] and long:
            scores = figures([translated[1]], locale).summary
            found[index] = (
                "harder-sentence",
                f"its longest sentence has {translated[0]} words where the English's has {english[0]} "
                f"(this catalog's translations usually have {usual:.2f} times as many; {scores}): "
                "split it as the English does",
            )
    return found


def _plain_language(entries: list[tuple[polib.POEntry, int]], where: str, rules: Rules) -> list[Finding]:
    """``length`` and ``harder-sentence`` findings of a handout catalog's usable translations."""
    pairs = [(nfc(entry.msgid), nfc(entry.msgstr)) for entry, _ in entries]
    found: dict[int, list[tuple[str, str]]] = {}
    for check in (check_length, check_harder_sentences):
        for index, finding in check(pairs, rules.locale).items():
            found.setdefault(index, []).append(finding)
    findings = []
    for index, raw in sorted(found.items()):
        entry, line = entries[index]
        findings += _back_findings(entry, line, where, raw)
    return findings


# --- blind back-translations (locale/<LL>/back/<domain>.po, written by ``ldn-i18n back``) ------

#: Negation words, whole words in any case; any ``...n't`` contraction counts too.
#: ``avoid``, ``unless`` and ``stop`` are left out: they negate by meaning, not by form.
NEGATIONS = (
    "not",
    "no",
    "never",
    "none",
    "nothing",
    "nobody",
    "nowhere",
    "neither",
    "nor",
    "without",
    "cannot",
)
_NEGATION = re.compile(rf"\b(?:{'|'.join(NEGATIONS)}|\w+n['\u2019]t)\b", re.IGNORECASE)


def check_back_numbers(source: str, back: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """Every number and dose of the English source, and no other, in its back-translation."""
    want, _ = numbers_in(inspect_inline(source).text, "en")
    got, invalid = numbers_in(inspect_inline(back).text, "en")
    for token in invalid:
        yield "back-numbers", f"{token!r} is not a number in English notation"
    missing = ", ".join(_show(n, "en") for n in sorted((want - got).elements()))
    extra = ", ".join(_show(n, "en") for n in sorted((got - want).elements()))
    if missing and extra:
        yield "back-numbers", f"the back-translation reads {extra} where the English has {missing}"
    elif missing:
        yield "back-numbers", f"the back-translation lacks {missing}, which the English has"
    elif extra and not invalid:
        yield "back-numbers", f"the back-translation has {extra}, which the English does not"
    else:
        for _, message in check_units(source, back, Rules("en")):
            yield "back-numbers", f"in the back-translation, {message}"


def check_back_negation(source: str, back: str, rules: Rules) -> Iterator[tuple[str, str]]:
    """As many negations in the back-translation as in the English (one in one and none in the other)."""
    want = [m.group(0).lower() for m in _NEGATION.finditer(inspect_inline(source).text)]
    got = [m.group(0).lower() for m in _NEGATION.finditer(inspect_inline(back).text)]
    if len(want) != len(got):
        shown = lambda words: f"{len(words)} ({', '.join(words)})" if words else "none"  # noqa: E731
        yield "back-negation", f"negations: the English has {shown(want)}, the back-translation {shown(got)}"


#: The comparisons of a back-translation with its English source.
BACK_CHECKS: list[Check] = [check_back_numbers, check_back_negation, check_hidden]


def _forward_sources(path: Path) -> dict[str, polib.POEntry] | None:
    """Live forward entries by :func:`message_key`; None when the catalog cannot be read."""
    from .review.signoff import message_key

    try:
        data = path.read_bytes()
        if syntax_errors(data):
            return None
        catalog = polib.pofile(data.decode("utf-8"), wrapwidth=0)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return {message_key(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}


def check_back_catalog(
    path: Path, forward_path: Path, rules: Rules, root: Path | None = None
) -> list[Finding]:
    """Every finding for one back catalog: each back-translation against its English source.

    The source is the message of ``forward_path`` whose key is the entry's
    msgctxt. An entry whose forward message is fuzzy or untranslated is not
    compared (the forward catalog's own check reports it); one whose message or
    translation changed since ``ldn-i18n back`` ran is a warning, as is an
    empty or fuzzy back-translation. A forward catalog that cannot be read is
    reported by its own check; the back catalog is then checked on its own.
    """
    where = relative(path, root) if root else str(path)
    parsed = _parse(path, where)
    if isinstance(parsed, Finding):
        return [parsed]
    catalog, text = parsed
    lines = text.splitlines()
    findings = _header_checks(catalog, where, Rules("en"), lines)
    forward = _forward_sources(forward_path) if forward_path.is_file() else {}
    rerun = f"run `ldn-i18n back --locale {rules.locale}`"
    seen: dict[str, int] = {}
    for entry in (e for e in catalog if not e.obsolete):
        line = _msgstr_line(lines, entry)
        raw: list[tuple[str, str]] = []
        source = forward.get(entry.msgctxt or "") if forward is not None else None
        if entry.msgctxt in seen:
            raw.append(("duplicate", f"the same source key is already at line {seen[entry.msgctxt]}"))
        seen.setdefault(entry.msgctxt or "", line)
        if forward is not None and source is None:
            raw.append(("obsolete", f"no message of {forward_path.name} has this key any more: {rerun}"))
        elif source is not None and nfc(source.msgstr) != nfc(entry.msgid) and source.msgstr:
            raw.append(("fuzzy", f"the translation changed since this back-translation: {rerun}"))
        elif not entry.msgstr:
            raw.append(("untranslated", "not back-translated yet"))
        elif "fuzzy" in entry.flags:
            raw.append(("fuzzy", "fuzzy: back-translate the changed translation again, then unmark"))
        elif source is not None and source.msgstr and "fuzzy" not in source.flags:
            for check in BACK_CHECKS:
                raw.extend(check(nfc(source.msgid), nfc(entry.msgstr), rules))
        findings += _back_findings(entry, line, where, raw)
    obsolete = sum(1 for e in catalog if e.obsolete)
    if obsolete:
        message = f"{obsolete} obsolete entries (kept for reference; delete when unneeded)"
        findings.append(Finding(where, len(lines), "warning", "obsolete", message))
    if not any(f.level == "error" and f.counts for f in findings):
        findings += _msgfmt(path, where)
    return sorted(findings, key=lambda f: (f.line, f.code))


def _back_findings(entry: polib.POEntry, line: int, where: str, raw: list[tuple[str, str]]) -> list[Finding]:
    """Findings of one back entry, silenced by its ``# noqa`` as in a forward catalog."""
    noqa = suppression(entry)
    found = []
    for code, message in dict.fromkeys(raw):
        level = CODES[code][0]
        if noqa is not None and noqa.silences(code):
            found.append(Finding(where, line, level, code, message, _excerpt(entry.msgid), noqa.reason))
            continue
        if noqa is not None and code in SAFETY_CODES and code in noqa.codes:
            message += " (a noqa silences this check only with a reason: `# noqa: CODE -- why`)"
        found.append(Finding(where, line, level, code, message, _excerpt(entry.msgid)))
    return found
