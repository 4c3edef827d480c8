"""Stage 4, check: :func:`check_catalog` (one .po -> findings) and :func:`check_project`.

Each check is a small function over one message with a stable code (listed in
:data:`CODES` and the README). It returns findings; it never prints. A
translator silences a check for one message with a comment ``# noqa: CODE``
(or ``#. noqa: CODE``) above it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import polib
from babel.core import Locale
from babel.numbers import NumberFormatError, parse_decimal

from .errors import LdnError
from .files import relative
from .languages import language
from .markup import inspect_inline
from .pofiles import syntax_errors
from .project import Project, read_yaml

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
    "units": ("error", "a unit of a dose (mg, mL, %...) is missing"),
    "placeholders": ("error", "a %(name)s placeholder is missing or invented"),
    "do-not-translate": ("error", "a do-not-translate term (source/terms.yaml) is not kept"),
    "unsafe-markup": ("error", "HTML, a URL or template syntax in the translation that the source lacks"),
    "glossary": ("warning", "an approved glossary translation is not used"),
    "untranslated": ("warning", "no translation yet: the English is printed"),
    "fuzzy": ("warning", "translation marked fuzzy: not printed until reviewed"),
    "obsolete": ("warning", "obsolete entries kept at the end of the file"),
}

_NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")
_UNIT = re.compile(r"(?<=\d)\s?(mg|mcg|µg|g|kg|mL|ml|L|IU|%)(?![\w])")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
_UNSAFE = re.compile(
    r"<\s*/?\s*[a-zA-Z!]|javascript:|data:|vbscript:|https?://|www\.|\{\{|\{%|\$\{", re.IGNORECASE
)
_NOQA = re.compile(r"noqa(?::\s*([\w\-, ]+))?", re.IGNORECASE)


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

    def __str__(self) -> str:
        excerpt = f' [msgid "{self.msgid}"]' if self.msgid else ""
        return f"{self.path}:{self.line}: {self.level}: {self.code} {self.message}{excerpt}"

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


def load_rules(project: Project, locale: str) -> Rules:
    """The do-not-translate list and the locale's glossary; both files optional."""
    rules = Rules(locale)
    terms = project.root / "source" / "terms.yaml"
    if terms.is_file():
        data = read_yaml(terms) or {}
        rules.do_not_translate = [str(t) for t in data.get("do_not_translate", [])]
    glossary = project.locale_dir / locale / "glossary.yaml"
    if glossary.is_file():
        data = read_yaml(glossary) or {}
        if not isinstance(data, dict):
            raise LdnError("a glossary maps English terms to approved translations", glossary)
        rules.glossary = {str(k): str(v) for k, v in data.items()}
    return rules


# --- number notation -------------------------------------------------------------------------


def numbers_in(text: str, locale: str) -> tuple[Counter[Decimal], list[str]]:
    """Numbers of ``text`` read in ``locale``'s notation, and tokens that are not valid there."""
    found: Counter[Decimal] = Counter()
    invalid = []
    for token in _NUMBER.findall(text):
        token = token.rstrip(".,")
        try:
            found[parse_decimal(token, locale=locale, strict=True)] += 1
        except (NumberFormatError, ValueError):
            invalid.append(token)
    return found, invalid


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


#: CLDR unit of each dose symbol, so a translation may use the language's own symbol.
_CLDR_UNITS = {
    "mg": "mass-milligram",
    "g": "mass-gram",
    "kg": "mass-kilogram",
    "mL": "volume-milliliter",
    "ml": "volume-milliliter",
    "L": "volume-liter",
    "mcg": "mass-microgram",
    "µg": "mass-microgram",
}


@cache
def unit_spellings(unit: str, locale: str) -> tuple[str, ...]:
    """``unit`` and its CLDR short symbol in ``locale`` (``mg`` and ``مغم`` in Arabic)."""
    spellings = [unit]
    if unit in _CLDR_UNITS:
        from babel.units import format_unit

        shown = format_unit(7, _CLDR_UNITS[unit], length="short", locale=locale)
        spellings.append(shown.replace("7", "").strip(" \u00a0\u202f"))
    return tuple(dict.fromkeys(s for s in spellings if s))


def check_units(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    for unit, count in Counter(_UNIT.findall(source)).items():
        kept = sum(target.count(s) for s in unit_spellings(unit, language(rules.locale).cldr))
        if kept < count:
            yield "units", f"unit {unit!r} of a dose is missing"


def check_placeholders(source: str, target: str, rules: Rules) -> Iterator[tuple[str, str]]:
    if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
        yield "placeholders", "placeholders differ from the source's: keep each %(name)s"


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
    check_do_not_translate,
    check_unsafe,
    check_glossary,
]


# --- one catalog ---------------------------------------------------------------------------


def _silenced(entry: polib.POEntry) -> set[str] | None:
    """Codes silenced for an entry (an empty set silences everything); None when none."""
    for comment in (entry.tcomment or "", entry.comment or ""):
        match = _NOQA.search(comment)
        if match:
            return {c.strip() for c in (match.group(1) or "").split(",") if c.strip()}
    return None


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
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [Finding(where, line, "error", "po-syntax", f"not valid UTF-8 ({exc.reason})")]
    problems = syntax_errors(data)
    if problems:
        return [Finding(where, line, "error", "po-syntax", problem) for line, problem in problems[:1]]
    catalog = polib.pofile(text, wrapwidth=0)
    lines = text.splitlines()
    findings = _header_checks(catalog, where, rules, lines)
    seen: dict[tuple[str | None, str], int] = {}
    obsolete = 0
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
    if not any(f.level == "error" for f in findings):  # the oracle, for what our checks missed
        findings += _msgfmt(path, where)
    return sorted(findings, key=lambda f: (f.line, f.code))


def _entry_findings(entry: polib.POEntry, line: int, where: str, rules: Rules) -> list[Finding]:
    silenced = _silenced(entry)
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
                raw.extend(check(source, target, rules))
    found = []
    for code, message in dict.fromkeys(raw):
        if silenced is not None and (not silenced or code in silenced):
            continue
        found.append(Finding(where, line, CODES[code][0], code, message, excerpt))
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
    if match and int(match.group(1)) != expected:
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


def check_sources(project: Project) -> list[Finding]:
    """The English sources: every handout parses and cites only keys the library holds."""
    from .references import check_keys, load_library
    from .source import read_handout

    findings = []
    try:
        library = load_library(project.references_path)
    except LdnError as exc:
        return [
            Finding(
                relative(Path(exc.path or "."), project.root), exc.line or 1, "error", "source", exc.message
            )
        ]
    for path in project.handout_paths():
        try:
            check_keys(read_handout(path), library)
        except LdnError as exc:
            findings.append(
                Finding(relative(path, project.root), exc.line or 1, "error", "source", exc.message)
            )
    return findings


def check_project(project: Project, locales: list[str] | None = None) -> list[Finding]:
    """Findings for the sources and every catalog of ``locales`` (default: every locale)."""
    available = project.locales()
    for locale in locales or []:
        if locale not in available:
            raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    findings = check_sources(project)
    for locale in locales or available:
        rules = load_rules(project, locale)
        for path in sorted((project.locale_dir / locale / "LC_MESSAGES").glob("*.po")):
            findings += check_catalog(path, rules, project.root)
    return findings
