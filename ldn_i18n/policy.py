"""What a release requires per locale: :func:`read_policy` -> :class:`Policy`.

``source/policy.yaml`` (optional) says, per locale, what a release needs
besides a qualified reviewer's sign-off of every message (always required).
Each field and its default (in brackets)::

    default:
      back_translation: optional   # [optional] a current blind back-translation of every message
      credential: optional         # [optional] the reviewer's credential on every sign-off
      signatures: required         # [required once source/reviewers exists, else optional]
                                   #   only sign-offs signed with a key of source/reviewers count
      translator: required         # [required] Last-Translator names a person, not the draft placeholder
      independent: required        # [required] the reviewer is neither translator nor back-translator
      notice: all                  # [all] a release fails when its language-assistance notice lacks a
                                   #   language of notice-languages; signed-only prints what is signed
    locales:
      es: {back_translation: required, credential: required}

A locale's entry overrides the default field by field. Unknown keys, values
other than those listed, locale names that are not locale identifiers, and
YAML anchors or aliases are errors naming the file and line (docs/review.md).
The record a release files is :mod:`ldn_i18n.review.record`'s; the back-translation's
status is :mod:`ldn_i18n.review.back`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import LdnError
from .languages import locale_problem
from .project import Project

#: Where a project keeps its release policy.
POLICY_FILE = ("source", "policy.yaml")
#: What a policy may say of each field, and what each word means.
VALUES: dict[str, dict[str, bool | str]] = {
    "back_translation": {"required": True, "optional": False},
    "credential": {"required": True, "optional": False},
    "signatures": {"required": True, "optional": False},
    "translator": {"required": True, "optional": False},
    "independent": {"required": True, "optional": False},
    "notice": {"all": "all", "signed-only": "signed-only"},
}
#: The requirements a policy sets per locale (sign-off is always required).
FIELDS = tuple(VALUES)


@dataclass(frozen=True, slots=True)
class LocalePolicy:
    """What a release of one locale requires besides every message signed off."""

    back_translation: bool = False
    """A current blind back-translation of every translated handout message."""
    credential: bool = False
    """A reviewer's credential on every sign-off."""
    signatures: bool | None = None
    """Whether only signed sign-offs count; None: the default (required once source/reviewers exists)."""
    translator: bool = True
    """Whether each catalog's ``Last-Translator`` must name a person (not the draft placeholder)."""
    independent: bool = True
    """Whether the reviewer must be neither the translator nor the back-translator."""
    notice: str = "all"
    """``all``: a release fails when the notice lacks a language; ``signed-only``: it prints the signed."""

    def as_dict(self) -> dict[str, str]:
        """The policy as the file writes it, sign-off included (``signatures`` as it applies)."""
        word = {True: "required", False: "optional", None: "required when source/reviewers exists"}
        return {
            "sign_off": "required",
            "back_translation": word[self.back_translation],
            "credential": word[self.credential],
            "signatures": word[self.signatures],
            "translator": word[self.translator],
            "independent": word[self.independent],
            "notice": self.notice,
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
    from .yamlfiles import read_yaml_doc

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
        found: dict[str, Any] = {}
        for name, level in value.items():
            if name not in FIELDS:
                hint = " (a reviewer's sign-off is always required)" if name == "sign_off" else ""
                raise doc.error(f"unknown requirement {name!r} (use {', '.join(FIELDS)}){hint}", *where, name)
            if not isinstance(level, str) or level not in VALUES[name]:
                shown = doc.written(*where, name) or repr(level)
                words = " or ".join(VALUES[name])
                raise doc.error(f"`{name}:` must be {words}, not {shown}", *where, name)
            found[name] = VALUES[name][level]
        return replace(base, **found)

    default = requirements(data.get("default"), LocalePolicy(), "default")
    raw = data.get("locales")
    if raw is not None and not isinstance(raw, dict):
        raise doc.error("`locales:` must map locale identifiers (es, pt_BR) to requirements", "locales")
    locales = {}
    for locale, value in (raw or {}).items():
        problem = locale_problem(locale)
        if problem:
            raise doc.error(problem, "locales", locale)
        locales[locale] = requirements(value, default, "locales", locale)
    return Policy(default, locales, path)
