"""The codes, the finding and the rules every check shares: :data:`CODES`, :class:`Finding`,
:class:`Rules` and :func:`load_rules` (a project and locale -> :class:`Rules`).

Each check reports a stable code listed in :data:`CODES` (the README's table is
made from it) and returns :class:`Finding` objects; it never prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import LdnError
from ..project import Project
from ..yamlfiles import read_glossary, read_terms

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
    "rates": (
        "error",
        "a dose's or frequency's period (per day, weekly, 3 times a day, every 8 hours) changed",
    ),
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
    "negation": (
        "error",
        "a negation (no, nunca, 不, لا, pa...) lost or added: the translation says the opposite",
    ),
    "sentences": ("error", "fewer sentences than the English: a sentence (a warning) left out"),
    "draft-mark": (
        "error",
        "the draft mark is not translated as a stated word for draft (never final or approved)",
    ),
    "glossary": ("warning", "an approved glossary translation is not used"),
    "untranslated": ("warning", "no translation yet: the English is printed"),
    "fuzzy": ("warning", "translation marked fuzzy: not printed until reviewed"),
    "obsolete": ("warning", "obsolete entries kept at the end of the file"),
    "back-numbers": (
        "error",
        "a back-translation's numbers, doses or rates differ from the English source's",
    ),
    "back-negation": (
        "warning",
        "a negation (not, no, never...) of the English or the back-translation bears on nothing the "
        "other negates (an error when the policy requires a back-translation)",
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
    ordered: bool = False
    """Whether placeholders must keep the source's order (the notice: a phone number and a TTY
    number swapped would print each where the other belongs)."""
    back_required: bool = False
    """Whether the release policy requires a back-translation (``back-negation`` is then an error)."""


def load_rules(project: Project, locale: str) -> Rules:
    """The do-not-translate list and the locale's glossary; both files optional, errors located."""
    rules = Rules(locale)
    if project.terms_path.is_file():
        rules.do_not_translate = read_terms(project.terms_path)
    if project.glossary_path(locale).is_file():
        rules.glossary = read_glossary(project.glossary_path(locale))
    from ..policy import read_policy

    try:
        rules.back_required = read_policy(project).for_locale(locale).back_translation
    except LdnError:  # the policy's own error fails the editions; until fixed, hold to the strictest
        rules.back_required = True
    return rules


def _excerpt(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
