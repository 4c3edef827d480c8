"""What a build reports: :class:`EditionResult` per edition, :class:`BuildReport` for the whole build.

Also what names an edition's files in ``dist/`` (:data:`FORMATS`, :func:`format_of`,
:func:`is_record`, :func:`href_of`) and which locales are for testing
(:func:`is_test_locale`). Nothing here loads CLDR or WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..manifest import EditionEntry, EditionState
from ..project import Project

FORMATS = ("html", "pdf", "large", "bilingual")
#: The formats a build makes unless told (``bilingual`` too when the clinic file asks: ``bilingual: true``).
DEFAULT_FORMATS = ("html", "pdf", "large")
#: The formats that print a PDF.
PDF_FORMATS = frozenset({"pdf", "large", "bilingual"})
#: How the files of a bilingual edition (format ``bilingual``) end: ``.bilingual.html``, ``.bilingual.pdf``.
BILINGUAL_SUFFIXES = (".bilingual.html", ".bilingual.pdf")
#: How the large-print PDF of an edition ends its file name (format ``large``).
LARGE_SUFFIX = ".large.pdf"
#: The large print's page budget per page of the handout's ``pages:`` (rounded up): 18 pt text
#: with 1.5 line spacing on 1 inch margins. Measured on the 2-page ldn-overview: 5 pages in
#: Chinese, 6 in English, Arabic, Haitian Creole and Vietnamese, 7 in Spanish, Portuguese and
#: the 35% longer pseudo-locale (2.5x to 3.5x).
LARGE_PRINT_PAGES = 3.5
#: Folders of ``dist/`` that hold no editions and are never tidied.
KEPT_FOLDERS = frozenset({"review"})
#: How the translation record of a released edition ended its file names in ``dist/`` in earlier
#: versions (before .json, .html): such files are tidied away (records now live in ``records/``).
RECORD_SUFFIX = ".record"


def format_of(name: str | Path) -> str | None:
    """The format an edition file was written as (``html``, ``pdf``, ``large``, ``bilingual``), or None."""
    text = str(name)
    if text.endswith(LARGE_SUFFIX):
        return "large"
    if text.endswith(BILINGUAL_SUFFIXES):
        return "bilingual"
    if is_record(text):
        return None
    return {".html": "html", ".pdf": "pdf"}.get(Path(text).suffix)


def is_record(name: str | Path) -> bool:
    """Whether ``name`` is a translation record (``<handout>.record.json`` or ``.record.html``)."""
    path = Path(name)
    return path.suffix in (".json", ".html") and path.stem.endswith(RECORD_SUFFIX)


@dataclass(slots=True)
class EditionResult:
    """What became of one edition (handout x locale)."""

    handout: str
    """Handout slug."""
    locale: str
    """Babel locale identifier."""
    outputs: list[Path] = field(default_factory=list)
    """Files written or already up to date."""
    error: str | None = None
    """Why the edition failed; None when it was built."""
    draft: bool = False
    """Whether the edition is marked DRAFT."""
    skipped: list[str] = field(default_factory=list)
    """Why a release build did not publish the edition; empty when published."""
    pages: int = 0
    """Pages of the PDF, when one was made."""
    warnings: list[str] = field(default_factory=list)
    """Problems that do not stop the edition, e.g. overflowing its page budget."""
    reused: bool = False
    """True when the inputs had not changed and nothing was made again."""
    inputs: str = ""
    """Hash of the edition's inputs: its content and its links."""
    seconds: float = 0.0
    """Time it took to make the edition (in its worker)."""
    formats: tuple[str, ...] = FORMATS
    """The files the edition is made as (``html``, ``pdf``, ``large``)."""
    content: str = ""
    """Hash of what the edition is made from, without its links to other editions."""
    links: list[tuple[str, str]] = field(default_factory=list)
    """The other editions its page links to: ``(locale, file relative to dist/)``."""
    large_pages: int = 0
    """Pages of the large-print PDF, when one was made."""
    bilingual_pages: int = 0
    """Pages of the bilingual PDF, when one was made."""
    title: str = ""
    """The edition's title in its language, as its page prints it (for the index)."""
    notice: str = ""
    """Why the edition is a draft, in its language, as its page says it; empty when final."""
    fonts: list[dict[str, str]] = field(default_factory=list)
    """The fonts its PDFs embed: ``font`` (PostScript name), ``version`` (revision), ``file``."""
    record: list[str] = field(default_factory=list)
    """The release record written for it (``records/<lang>/<handout>/<date>.json``, ``.html``,
    relative to the project); empty when the build was no release."""

    @property
    def key(self) -> str:
        return f"{self.locale}/{self.handout}"

    @property
    def state(self) -> EditionState:
        if self.error:
            return "failed"
        return "not released" if self.skipped else "draft" if self.draft else "final"

    @property
    def published(self) -> bool:
        """Whether the edition's files are in ``dist/`` after the build."""
        return not self.error and not self.skipped and bool(self.outputs)


@dataclass(slots=True)
class BuildReport:
    """The outcome of a build."""

    results: list[EditionResult]
    """One entry per edition made or checked, in build order (handout, then locale)."""
    seconds: float = 0.0
    """Wall time of the build."""
    errors: list[str] = field(default_factory=list)
    """Problems of the build's shared outputs (the notice page), each ``path: error: ...``."""
    warnings: list[str] = field(default_factory=list)
    """What the build says of its shared outputs without failing (taglines left out of the notice)."""

    @property
    def failed(self) -> list[EditionResult]:
        return [r for r in self.results if r.error]

    @property
    def skipped(self) -> list[EditionResult]:
        return [r for r in self.results if r.skipped and not r.error]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped and not self.errors

    def summary(self) -> str:
        built = len(self.results) - len(self.failed) - len(self.skipped)
        drafts = sum(r.draft for r in self.results if not r.error and not r.skipped)
        text = f"{built} editions built ({drafts} drafts), {len(self.failed)} failed"
        text += f", {len(self.skipped)} not released" if self.skipped else ""
        reused = sum(r.reused for r in self.results)
        return text + (f"; {reused} up to date" if reused else "") + f" in {self.seconds:.1f} s"


def folder_of(locale: str) -> str:
    """The edition's folder in dist/: :attr:`Language.tag`, computed the same way without loading CLDR."""
    return locale.replace("_", "-")


def href_of(result: EditionResult) -> str:
    """The file another page links to for ``result``: its page, else its PDF, else its large print,
    else its bilingual page."""
    choices = (("html", ".html"), ("pdf", ".pdf"), ("large", LARGE_SUFFIX))
    suffix = next((suffix for fmt, suffix in choices if fmt in result.formats), BILINGUAL_SUFFIXES[0])
    return f"{folder_of(result.locale)}/{result.handout}{suffix}"


def fail(result: EditionResult, error: str) -> EditionResult:
    """``result`` as failed with ``error``: no outputs, nothing skipped."""
    result.error = error
    result.outputs = []
    result.skipped = []
    return result


def reuse(result: EditionResult, old: EditionEntry, project: Project) -> None:
    """Fill ``result`` from the record of an edition whose inputs did not change."""

    def texts(name: str) -> list[str]:
        value = old.get(name)
        return [str(item) for item in value] if isinstance(value, list) else []

    result.reused = True
    result.draft = old.get("state") == "draft"
    result.skipped = (texts("reasons") or ["draft"]) if old.get("state") == "not released" else []
    try:
        result.pages = int(old.get("pages", 0) or 0)
    except (TypeError, ValueError):
        result.pages = 0
    result.warnings = texts("warnings")
    result.outputs = [project.dist_dir / name for name in texts("outputs")]
    try:
        result.large_pages = int(old.get("large_pages", 0) or 0)
        result.bilingual_pages = int(old.get("bilingual_pages", 0) or 0)
    except (TypeError, ValueError):
        result.large_pages = result.bilingual_pages = 0
    result.title = str(old.get("title") or "")
    result.notice = str(old.get("notice") or "")
    result.record = texts("record")


def page_budget(
    before: int,
    pages: int,
    budget: int,
    notice: object | None,
    prefix: str = "",
    rule: str = "pages: in its front matter",
    one_page: bool = True,
) -> list[str]:
    """What is wrong with a PDF's length: ``before`` pages of handout (then the notice, when
    ``notice``) against the ``budget`` of its front matter's ``pages:``; the notice fits on one."""
    problems = []
    if budget and before > budget:
        what = " before the language-assistance notice" if notice is not None and before < pages else ""
        unit = "page" if before == 1 else "pages"
        problems.append(f"{prefix}{before} {unit}{what}; the handout allows {budget} ({rule})")
    if notice is not None and one_page and pages - before > 1:
        problems.append(
            f"{prefix}the language-assistance notice takes {pages - before} pages; it must fit on one "
            "(shorten source/notice.md or the taglines, or list fewer notice-languages in source/clinic.yaml)"
        )
    return problems
