"""Where a project keeps its files: :func:`load_project` -> :class:`Project`.

A project is any folder with ``source/handouts/*.md``; the clinic keeps its
handouts in a repository of its own and points the tool at it with ``--root``.
Its YAML files are read by :mod:`ldn_i18n.yamlfiles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .clinic import Clinic, read_clinic
from .errors import LdnError
from .templating import Templates

#: Gettext domain of the templates' own strings (labels, page numbering).
TEMPLATES_DOMAIN = "templates"
#: Gettext domain of the language-assistance notice (``source/notice.md``, :mod:`ldn_i18n.notice`).
NOTICE_DOMAIN = "notice"
#: The language the handouts are written in.
SOURCE_LOCALE = "en"
#: Handout file names that collide with another file of the pipeline.
RESERVED_SLUGS = frozenset({TEMPLATES_DOMAIN, NOTICE_DOMAIN})
#: What a handout's file name (without ``.md``) may be: it names the domain and the output files.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
SLUG_RULE = "lowercase letters, digits, '-' and '_', starting with a letter or digit"


def is_test_locale(locale: str) -> bool:
    """Whether ``locale`` is a pseudo- or test locale (a private-use code: ``en_XA``, ``qaa``, ``x_ZZ``).

    ISO 639 reserves ``qaa``-``qtz`` and ISO 3166 ``AA``, ``QM``-``QZ``, ``XA``-``XZ`` and
    ``ZZ`` for private use; CLDR's pseudo-locales (``en_XA``, ``ar_XB``) use them. Told
    from the name alone, so a build with nothing to do loads no CLDR.
    """
    language, *rest = locale.replace("-", "_").split("_")
    if len(language) == 3 and "qaa" <= language.lower() <= "qtz":
        return True
    return any(
        len(part) == 2 and part.isupper() and (part in ("AA", "ZZ") or part[0] == "X" or "QM" <= part <= "QZ")
        for part in rest
    )


def slug_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a handout file (its stem names a domain and output files), or None."""
    slug = path.stem
    if slug in RESERVED_SLUGS:
        whose = "the templates'" if slug == TEMPLATES_DOMAIN else "the language-assistance notice's"
        return (
            f"a handout cannot be called {path.name!r}: {slug!r} is {whose} gettext domain "
            f"(locale/{slug}.pot); rename the file"
        )
    if not SLUG_RE.fullmatch(slug):
        return f"handout file name {path.name!r} is not allowed: use {SLUG_RULE}, then '.md'"
    return None


@dataclass(frozen=True, slots=True)
class Project:
    """The folders and shared files of one handout project."""

    root: Path
    """The project folder (``--root``, default the current directory)."""
    templates: Templates
    """Jinja2 templates: the project's own ``templates/`` file by file over the package's."""
    dist_dir: Path = field(init=False)
    """Build output, ``dist/``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dist_dir", self.root / "dist")

    @property
    def handouts_dir(self) -> Path:
        return self.root / "source" / "handouts"

    @property
    def references_path(self) -> Path:
        return self.root / "source" / "references.json"

    @property
    def clinic_path(self) -> Path:
        return self.root / "source" / "clinic.yaml"

    @property
    def terms_path(self) -> Path:
        return self.root / "source" / "terms.yaml"

    @property
    def notice_path(self) -> Path:
        """The language-assistance notice every edition prints last (optional)."""
        return self.root / "source" / "notice.md"

    @property
    def locale_dir(self) -> Path:
        return self.root / "locale"

    def glossary_path(self, locale: str) -> Path:
        return self._locale_folder(locale) / "glossary.yaml"

    def _locale_folder(self, locale: str) -> Path:
        """``locale/<locale>``; a name that would lead elsewhere (``../x``, ``a/b``) never becomes a
        path. (A folder the project has but that is no locale, ``es-MX``, is :meth:`locale_problem`'s.)"""
        if not locale or locale in (".", "..") or any(c in locale for c in "/\\\0"):
            from .languages import identifier_problem  # CLDR (Babel) is loaded only when needed

            raise LdnError(
                identifier_problem(locale) or f"{locale!r} is not a locale identifier", self.locale_dir
            )
        return self.locale_dir / locale

    def handout_paths(self) -> list[Path]:
        """Every ``source/handouts/*.md`` file, sorted; a new file needs no code change.

        Hidden files (``.#draft.md``, macOS ``._x.md``) are skipped. A file whose
        name cannot be a handout (``templates.md``, ``My Handout.md``) is listed,
        so that reading it reports why (:func:`slug_problem`), but it has no domain.
        """
        return sorted(
            path
            for path in self.handouts_dir.glob("*.md")
            if not path.name.startswith(".") and path.is_file()
        )

    def pot_path(self, domain: str) -> Path:
        return self.locale_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self._locale_folder(locale) / "LC_MESSAGES" / f"{domain}.po"

    def back_path(self, locale: str, domain: str) -> Path:
        """``locale/<LL>/back/<domain>.po``, the blind back-translation of a handout catalog."""
        return self._locale_folder(locale) / "back" / f"{domain}.po"

    def domains(self) -> list[str]:
        """One gettext domain per usable handout file name, the templates' domain, and the notice's
        when the project has ``source/notice.md``."""
        return self.edition_domains() + ([NOTICE_DOMAIN] if self.notice_path.is_file() else [])

    def edition_domains(self) -> list[str]:
        """The domains an edition is made from: one per usable handout file name, plus the templates'."""
        handouts = [path.stem for path in self.handout_paths() if slug_problem(path) is None]
        return handouts + [TEMPLATES_DOMAIN]

    def notice_languages(self) -> tuple[str, ...]:
        """The locales the notice has taglines in (``notice-languages:`` of the clinic file);
        none when the project has no notice. A clinic file that cannot be read raises its error."""
        if not self.notice_path.is_file():
            return ()
        return self.load_clinic().notice_languages

    def domains_of(
        self, locale: str, *, edition: bool | None = None, notice: tuple[str, ...] | None = None
    ) -> list[str]:
        """The catalogs ``locale`` has or should have: an edition's, and the notice's when the
        locale is one of the notice's languages (``notice``, default :meth:`notice_languages`).

        ``edition`` says whether the locale has editions; by default, whether it has a catalog
        of an edition domain already. A locale that is only in the notice has only its notice.
        """
        if edition is None:
            edition = self.is_edition_locale(locale)
        domains = self.edition_domains() if edition else []
        languages = self.notice_languages() if notice is None else notice
        if self.notice_path.is_file() and locale in languages:
            domains.append(NOTICE_DOMAIN)
        return domains

    def is_edition_locale(self, locale: str) -> bool:
        """Whether ``locale`` has editions: a catalog of a handout or of the templates."""
        folder = self.locale_dir / locale / "LC_MESSAGES"  # a folder found there: read, never made
        return any((folder / f"{domain}.po").is_file() for domain in self.edition_domains())

    def locales(self) -> list[str]:
        """Folders with at least one catalog under ``locale/<LL>/LC_MESSAGES``.

        A folder is listed even when its name is not a usable locale; ask
        :meth:`locale_problem` before using one.
        """
        if not self.locale_dir.is_dir():
            return []
        return sorted(
            entry.name for entry in self.locale_dir.iterdir() if any((entry / "LC_MESSAGES").glob("*.po"))
        )

    def edition_locales(self) -> list[str]:
        """The locales with editions (:meth:`is_edition_locale`): those only in the notice have none."""
        return [locale for locale in self.locales() if self.is_edition_locale(locale)]

    def locale_problem(self, locale: str) -> LdnError | None:
        """Why ``locale/<locale>/`` is not a usable locale (naming the folder), or None.

        The folder name must be a CLDR identifier written the CLDR way
        (``es_MX``, ``zh_Hans``) or a pseudo-locale (``en_XA``).
        """
        from .languages import locale_problem  # CLDR (Babel) is loaded only when needed

        problem = locale_problem(locale, "rename it")
        return LdnError(f"locale folder {problem}", self.locale_dir / locale) if problem else None

    def load_clinic(self) -> Clinic:
        """Read ``source/clinic.yaml``; every missing or mistyped field names its file and line.
        A ``notice-languages:`` entry that is not a translation's locale is left out of
        ``notice_languages`` (it never names a path), with its line in ``notice_errors``."""
        return read_clinic(self.clinic_path, self.notice_language_problem)

    def notice_language_problem(self, locale: str) -> str | None:
        """Why ``locale`` cannot have a tagline in the notice, or None."""
        if locale == SOURCE_LOCALE:
            return "English is the notice's own text: list the other languages"
        from .languages import identifier_problem

        problem = identifier_problem(locale)
        if problem is not None:
            return problem
        if is_test_locale(locale):
            return f"{locale!r} is a pseudo- or test locale: patients never read it"
        found = self.locale_problem(locale)
        return found.message.replace("locale folder ", "", 1) if found is not None else None


def records_path(po_path: Path) -> Path:
    """Where the per-message sign-offs of the catalog at ``po_path`` are kept.

    ``locale/<LL>/review/<domain>.json``, beside ``LC_MESSAGES`` (see
    :mod:`ldn_i18n.review.signoff`).
    """
    return po_path.parent.parent / "review" / f"{po_path.stem}.json"


def default_templates_dir() -> Path:
    """The templates shipped with the package (wheel) or beside it (checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "default_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def package_templates() -> Templates:
    """The package's templates alone (what a project without a ``templates/`` folder renders with)."""
    return Templates((default_templates_dir(),))


def load_project(root: str | Path = ".") -> Project:
    """The project at ``root``; it must have ``source/handouts/``. Its ``templates/`` folder, when
    it has one, overrides the package's templates file by file."""
    root = Path(root).resolve()
    if not (root / "source" / "handouts").is_dir():
        raise LdnError(
            "not an ldn_i18n project: no source/handouts/ folder (start one with `ldn-i18n init FOLDER`, "
            "or give the project's folder with --root)",
            root,
        )
    return Project(root=root, templates=project_templates(root))


def project_templates(root: Path) -> Templates:
    """The templates of the project at ``root``: its ``templates/`` (if any), then the package's."""
    own, package = root / "templates", default_templates_dir()
    if own.is_dir() and own.resolve() != package.resolve():
        return Templates((own, package))
    return package_templates()
