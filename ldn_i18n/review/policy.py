"""What a release requires per locale (:func:`read_policy` -> :class:`Policy`), and the record of it.

``source/policy.yaml`` (optional) says, per locale, whether a release needs a
blind back-translation (:func:`back_status` says how far it is) and a
credential for each reviewer's sign-off; a qualified reviewer's sign-off of
every message is always required. Without the file, back-translation and
credential are optional::

    default: {back_translation: optional, credential: optional}
    locales:
      es: {back_translation: required, credential: required}

A locale's entry overrides the default field by field. Unknown keys, values
other than ``required``/``optional``, locale names that are not locale
identifiers, and YAML anchors or aliases are errors naming the file and line.

:func:`edition_record` is what a clinic files for a released edition (who
translated, back-translated and reviewed each message, with the hashes of what
was released); :func:`record_page` renders it as a readable English page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from ..errors import LdnError
from ..files import relative
from ..pofiles import ProjectCatalog, read_catalog, translated
from ..project import NOTICE_DOMAIN, TEMPLATES_DOMAIN, Project, records_path
from ..text import nfc
from .signoff import content_hash, message_key, message_reviews

#: Where a project keeps its release policy.
POLICY_FILE = ("source", "policy.yaml")
#: What a policy may say of one requirement.
LEVELS = {"required": True, "optional": False}
#: The requirements a policy sets per locale (sign-off is always required).
FIELDS = ("back_translation", "credential")
#: Version of ``dist/<tag>/<handout>.record.json``.
RECORD_VERSION = 1


@dataclass(frozen=True, slots=True)
class LocalePolicy:
    """What a release of one locale requires besides every message signed off."""

    back_translation: bool = False
    """A current blind back-translation of every translated handout message."""
    credential: bool = False
    """A reviewer's credential on every sign-off."""

    def as_dict(self) -> dict[str, str]:
        """The policy as the file writes it (``required``/``optional``), sign-off included."""
        word = {True: "required", False: "optional"}
        return {
            "sign_off": "required",
            "back_translation": word[self.back_translation],
            "credential": word[self.credential],
        }


@dataclass(frozen=True, slots=True)
class Policy:
    """The release policy of a project (``source/policy.yaml``)."""

    default: LocalePolicy = LocalePolicy()
    """What every locale without an entry of its own requires."""
    locales: dict[str, LocalePolicy] = field(default_factory=dict)
    """Per locale, what it requires (missing fields taken from :attr:`default`)."""
    path: Path | None = None
    """The file it was read from; None when the project has none."""

    def for_locale(self, locale: str) -> LocalePolicy:
        """What a release of ``locale`` requires."""
        return self.locales.get(locale, self.default)


def policy_path(project: Project) -> Path:
    """``source/policy.yaml`` of ``project``."""
    return project.root.joinpath(*POLICY_FILE)


def read_policy(project: Project) -> Policy:
    """The project's release policy; the defaults when it has no policy file.

    Raises :class:`~ldn_i18n.errors.LdnError` naming the file and line for anything it cannot use.
    """
    from ..yamlfiles import read_yaml_doc

    path = policy_path(project)
    if not path.is_file():
        if path.exists() or path.is_symlink():  # a folder or a broken link is no policy at all
            raise LdnError("the release policy is not a readable file", path)
        return Policy()
    doc = read_yaml_doc(path)
    data = doc.data
    if data is None:
        return Policy(path=path)
    if not isinstance(data, dict):
        raise doc.error("the policy file must be a mapping with `default:` and `locales:`")
    for key in data:
        if key not in ("default", "locales"):
            raise doc.error(f"unknown key {key!r} in the policy file (use default, locales)", key)

    def requirements(value: Any, base: LocalePolicy, *where: Any) -> LocalePolicy:
        if value is None:
            return base
        if not isinstance(value, dict):
            raise doc.error(
                "give the requirements as a mapping, e.g. {back_translation: required, credential: optional}",
                *where,
            )
        found = {}
        for name, level in value.items():
            if name not in FIELDS:
                hint = " (a reviewer's sign-off is always required)" if name == "sign_off" else ""
                raise doc.error(f"unknown requirement {name!r} (use {', '.join(FIELDS)}){hint}", *where, name)
            if not isinstance(level, str) or level not in LEVELS:
                shown = doc.written(*where, name) or repr(level)
                raise doc.error(f"`{name}:` must be required or optional, not {shown}", *where, name)
            found[name] = LEVELS[level]
        return LocalePolicy(
            back_translation=found.get("back_translation", base.back_translation),
            credential=found.get("credential", base.credential),
        )

    default = requirements(data.get("default"), LocalePolicy(), "default")
    raw = data.get("locales")
    if raw is not None and not isinstance(raw, dict):
        raise doc.error("`locales:` must map locale identifiers (es, pt_BR) to requirements", "locales")
    locales = {}
    for locale, value in (raw or {}).items():
        problem = _locale_problem(locale)
        if problem:
            raise doc.error(problem, "locales", locale)
        locales[locale] = requirements(value, default, "locales", locale)
    return Policy(default, locales, path)


def _locale_problem(locale: Any) -> str | None:
    """Why ``locale`` cannot name a locale in the policy file (it would silently apply to none)."""
    from babel.core import Locale, UnknownLocaleError

    from ..languages import PSEUDO_LOCALES

    if not isinstance(locale, str):
        return f"{locale!r} is not a locale identifier (use es, pt_BR, zh_Hans...)"
    if locale in PSEUDO_LOCALES:
        return None
    try:
        found = str(Locale.parse(locale.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return f"{locale!r} is not a locale CLDR knows (use an identifier such as es, pt_BR, zh_Hans)"
    if found != locale:
        return f"write the locale {locale!r} as its folder is named: {found!r}"
    return None


# --- back-translation --------------------------------------------------------------------------


def back_path(project: Project, locale: str, domain: str) -> Path:
    """``locale/<LL>/back/<domain>.po``, the blind back-translation of a handout catalog."""
    return project.locale_dir / locale / "back" / f"{domain}.po"


@dataclass(frozen=True, slots=True)
class BackStatus:
    """How far the blind back-translation of one handout catalog is."""

    path: Path
    """The back catalog (which may not exist yet)."""
    exists: bool
    """Whether the back catalog exists."""
    needed: int
    """Translated, non-fuzzy messages of the forward catalog: each needs a back-translation."""
    done: int
    """Of those, messages whose back entry is of the current translation, translated and not fuzzy."""
    translator: str = ""
    """The back catalog's ``Last-Translator``: the back-translator ('' when there is none)."""
    revision: str = ""
    """A hash of the back catalog's content ('' when there is none)."""
    errors: int = 0
    """Check errors of the back catalog (``back-numbers``...), as ``check`` reports them."""

    @property
    def missing(self) -> int:
        """Messages without a current back-translation."""
        return self.needed - self.done

    @property
    def complete(self) -> bool:
        return self.done == self.needed


def back_status(project: Project, locale: str, domain: str, forward: Catalog) -> BackStatus | None:
    """The back-translation of ``forward`` (``domain`` in ``locale``); None for the templates and the
    notice (their short labels and tagline are checked by the reviewer, not back-translated).

    A back catalog that cannot be read raises :class:`~ldn_i18n.errors.LdnError` naming it.
    """
    if domain in (TEMPLATES_DOMAIN, NOTICE_DOMAIN):
        return None
    path = back_path(project, locale, domain)
    exists = path.is_file()
    back = read_catalog(path, "en") if exists else None
    current: set[tuple[str, str]] = set()
    for entry in back or ():
        if entry.context and isinstance(entry.id, str) and entry.id and translated(entry):
            current.add((entry.context, nfc(entry.id)))
    needed = done = 0
    for message in forward:
        if not message.id or isinstance(message.id, (list, tuple)) or not translated(message):
            continue
        needed += 1
        done += (message_key(message.context, message.id), nfc(str(message.string))) in current
    errors = 0
    if back is not None:
        from ..check import check_back_catalog, load_rules

        findings = check_back_catalog(path, project.po_path(locale, domain), load_rules(project, locale))
        errors = sum(f.level == "error" and f.counts for f in findings)
    return BackStatus(
        path=path,
        exists=exists,
        needed=needed,
        done=done,
        translator=(back.last_translator or "") if back is not None else "",
        revision=content_hash(back) if back is not None else "",
        errors=errors,
    )


# --- the record of a released edition ----------------------------------------------------------


def _forms(value: Any) -> tuple[str, ...]:
    """A msgid or msgstr as its forms (one, or one per plural form)."""
    return tuple(str(v or "") for v in value) if isinstance(value, (list, tuple)) else (str(value or ""),)


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def edition_record(
    project: Project,
    locale: str,
    handout: str,
    catalogs: Mapping[str, ProjectCatalog],
    *,
    title: str,
    built: str,
    version: str,
    content: str,
    inputs: str,
    outputs: dict[Path, bytes],
) -> dict[str, Any]:
    """The translation record of one released edition (``record.json``, version 1).

    ``catalogs`` are the edition's parsed catalogs by domain (the handout's and
    the templates'); ``outputs`` the files released, with their bytes. Every
    path is relative to the project (catalogs) or to ``dist/`` (outputs).
    """
    policy = read_policy(project).for_locale(locale)
    entries = []
    for domain, catalog in catalogs.items():
        path = project.po_path(locale, domain)
        back = back_status(project, locale, domain, catalog)
        messages = []
        for review in message_reviews(catalog):
            signed = review.signed if not review.pending else None
            messages.append(
                {
                    "key": review.key,
                    "english": list(_forms(review.message.id)),
                    "translation": [nfc(form) for form in _forms(review.message.string)],
                    "reviewer": signed.reviewer if signed else None,
                    "credential": signed.credential if signed else None,
                    "date": signed.date if signed else None,
                    "pair": signed.pair if signed else None,
                }
            )
        entries.append(
            {
                "domain": domain,
                "path": relative(path, project.root),
                "revision": content_hash(catalog),
                "sha256": _sha256(path),
                "translator": catalog.last_translator or "",
                "signoffs": {
                    "path": relative(records_path(path), project.root),
                    "sha256": _sha256(records_path(path)),
                },
                "back": None
                if back is None or not back.exists
                else {
                    "path": relative(back.path, project.root),
                    "translator": back.translator,
                    "revision": back.revision,
                    "sha256": _sha256(back.path),
                    "done": back.done,
                    "of": back.needed,
                },
                "messages": messages,
            }
        )
    return {
        "version": RECORD_VERSION,
        "edition": f"{locale}/{handout}",
        "locale": locale,
        "handout": handout,
        "title": title,
        "built": built,
        "ldn_i18n_version": version,
        "content": content,
        "inputs": inputs,
        "policy": policy.as_dict(),
        "outputs": [
            {"path": relative(path, project.dist_dir), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in outputs.items()
        ],
        "catalogs": entries,
    }


def record_page(record: dict[str, Any], templates_dir: Path, direction: str = "ltr") -> str:
    """The record as a readable English page, checked by :func:`~ldn_i18n.guard.check_page`.

    ``templates_dir`` without ``record.html.j2`` (a project's own templates
    from before it existed) uses the packaged one. ``direction`` is that of the
    translations quoted on the page.
    """
    from ..guard import check_page
    from ..project import default_templates_dir
    from ..render import environment

    if not (templates_dir / "record.html.j2").is_file():
        templates_dir = default_templates_dir()
    template = environment(templates_dir).get_template("record.html.j2")
    tag = record["locale"].replace("_", "-")
    page = template.render(record=record, tag=tag, direction=direction)
    check_page(page, templates_dir, f"{tag}/{record['handout']}.record.html")
    return page
