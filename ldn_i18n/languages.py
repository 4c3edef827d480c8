"""What the pipeline knows about a language: :func:`language` -> :class:`Language`.

Everything comes from CLDR through Babel (own name, script, direction, plural
rules, number notation); it knows nothing of fonts, which :mod:`ldn_i18n.fonts` finds
among the installed ones on first use (:func:`ldn_i18n.fonts.font_stack`). Pseudo-locales
such as ``en_XA`` borrow their base language's CLDR data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from babel.core import Locale, UnknownLocaleError, get_global

from .errors import LdnError
from .text import LOCALE_RE

#: Pseudo-locales: generated for layout testing, not translated (``ldn-i18n pseudo``).
PSEUDO_LOCALES = {"en_XA": ("en", "English (pseudo-accented)")}


@dataclass(frozen=True, slots=True)
class Language:
    """CLDR facts about one locale, as the build needs them."""

    locale: str
    """The catalog's locale identifier (``pt_BR``, ``zh_Hans``, ``en_XA``)."""
    cldr: str
    """The CLDR locale used for numbers, dates and plurals (``en`` for ``en_XA``)."""
    tag: str
    """BCP 47 tag for ``lang=`` and the output folder (``pt-BR``, ``zh-Hans``)."""
    name: str
    """The language's own name (``Português (Brasil)``, ``中文 (简体)``)."""
    english_name: str
    """The language's name in English (``Portuguese (Brazil)``, ``Chinese (Simplified)``)."""
    script: str
    """ISO 15924 script (``Latn``, ``Arab``, ``Hans``)."""
    direction: str
    """``ltr`` or ``rtl``."""
    hyphenate: bool
    """Whether a hyphenation dictionary (pyphen) exists for the language."""


def _script(cldr: str) -> str:
    parsed = Locale.parse(cldr)
    if parsed.script:
        return parsed.script
    likely = get_global("likely_subtags")
    for key in (str(parsed), parsed.language):
        if key in likely:
            parts = likely[key].split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
    return "Latn"


def _has_hyphenation(cldr: str) -> bool:
    try:
        import pyphen
    except ImportError:
        return False
    language = cldr.split("_")[0]
    return any(code == cldr or code.split("_")[0] == language for code in pyphen.LANGUAGES)


@cache
def language(locale: str) -> Language:
    """The facts about ``locale``; an identifier CLDR does not know is an error."""
    cldr, pseudo_name = PSEUDO_LOCALES.get(locale, (locale, ""))
    try:
        parsed = Locale.parse(cldr)
    except (UnknownLocaleError, ValueError):
        raise LdnError(
            f"unknown locale {locale!r} (use a CLDR identifier such as es, pt_BR, zh_Hans)"
        ) from None
    name = pseudo_name or parsed.get_display_name(parsed) or locale
    english_name = pseudo_name or parsed.get_display_name("en") or locale
    script = _script(cldr)
    return Language(
        locale=locale,
        cldr=cldr,
        tag=locale.replace("_", "-"),
        name=name[:1].upper() + name[1:],
        english_name=english_name,
        script=script,
        direction="rtl" if parsed.character_order == "right-to-left" else "ltr",
        hyphenate=not pseudo_name and _has_hyphenation(cldr),
    )


def identifier_problem(locale: str) -> str | None:
    """Why ``locale`` cannot name a locale's folder (only letters, digits and ``_``), or None."""
    if LOCALE_RE.fullmatch(locale):
        return None
    hint = ""
    if "@" in locale:
        hint = " (a gettext modifier such as sr@latin is written the CLDR way: sr_Latn)"
    elif "-" in locale:
        hint = " (write '_', not '-': pt_BR)"
    return (
        f"{locale!r} is not a locale identifier: letters, digits and '_' only, "
        f"such as es, pt_BR, zh_Hans{hint}"
    )


def locale_problem(locale: Any, action: str = "write it") -> str | None:
    """Why ``locale`` cannot name a locale, or None: the one check of a locale identifier, for a
    locale folder (:meth:`~ldn_i18n.project.Project.locale_problem`), ``update --locale``, a
    policy entry or a reviewer's language (which would otherwise silently apply to none).
    ``action`` says what to do with a wrong spelling (``rename it`` for a folder).

    It must be a CLDR identifier written the CLDR way (``es_MX``, ``zh_Hans``), which names a
    folder (letters, digits and ``_``), or a pseudo-locale (``en_XA``).
    """
    if not isinstance(locale, str):
        return f"{locale!r} is not a locale identifier (use es, pt_BR, zh_Hans...)"
    if locale in PSEUDO_LOCALES:
        return None
    shape = identifier_problem(locale)
    if shape is not None and "-" not in locale:
        return shape

    def canonical(name: str) -> str | None:
        try:
            return str(Locale.parse(name))
        except (UnknownLocaleError, ValueError, TypeError):
            return None

    if "-" in locale:
        fixed = canonical(locale.replace("-", "_"))
        hint = f": {action} {fixed!r}" if fixed else ""
        return f"{locale!r} is not a locale identifier (write '_', not '-'){hint}"
    found = canonical(locale)
    if found is None:
        return f"{locale!r} is not a locale CLDR knows (use an identifier such as es, pt_BR, zh_Hans)"
    if found != locale:
        if found.lower() == locale.lower():
            why = f"CLDR writes it {found!r}: {action}"
        else:
            why = f"CLDR has no such locale and would use {found!r} instead"
        return f"{locale!r} is not a usable locale: {why}"
    try:
        language(locale)
    except LdnError as exc:
        return f"{locale!r}: {exc.message}"
    return None


#: English language names of HHS's per-state lists (Section 1557 taglines) whose locale a name
#: lookup cannot find or should not guess alone: each with the locales to choose from and why.
LIST_NAMES = {
    "chinese": "zh_Hant (Traditional characters, as HHS's sample taglines) or zh_Hans (Simplified)",
    "tagalog": "fil (CLDR's identifier for Tagalog/Filipino)",
    "filipino": "fil",
    "french creole": "ht (Haitian Creole)",
    "haitian creole": "ht",
    "portuguese": "pt_BR (Brazilian) or pt_PT (European)",
    "persian": "fa",
    "farsi": "fa",
    "serbo-croatian": "sr_Latn, hr or bs (ask your patients which)",
    "cantonese": "yue_Hant",
    "mandarin": "zh_Hans or zh_Hant",
    "navajo": "nv has no CLDR data: ask a translator for the tagline and add it to notice.md by hand",
    "pennsylvania dutch": "de (its speakers usually read German)",
}


def suggest_locale(name: str) -> str | None:
    """For an English language name (``Spanish``, ``French Creole``), the locale to write instead,
    as ``'Spanish' is written es``; None when ``name`` is a locale identifier or no language name."""
    from babel import localedata

    written = " ".join(name.split())
    if not written or localedata.exists(written):
        return None
    key = written.lower()
    if key in LIST_NAMES:
        return f"{written!r} is written {LIST_NAMES[key]}"
    names = Locale("en").languages
    found = [code for code, english in names.items() if english.lower() == key and localedata.exists(code)]
    if not found:
        return None
    return f"{written!r} is written {found[0]}"
