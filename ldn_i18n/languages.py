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
    script = _script(cldr)
    return Language(
        locale=locale,
        cldr=cldr,
        tag=locale.replace("_", "-"),
        name=name[:1].upper() + name[1:],
        script=script,
        direction="rtl" if parsed.character_order == "right-to-left" else "ltr",
        hyphenate=not pseudo_name and _has_hyphenation(cldr),
    )


def locale_problem(locale: Any) -> str | None:
    """Why ``locale`` cannot name a locale (a policy entry or a reviewer's language would silently
    apply to none), or None: the one check of a locale identifier written by hand."""
    from babel.core import Locale, UnknownLocaleError

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
