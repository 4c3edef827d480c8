"""The clinic file, ``source/clinic.yaml``: :func:`read_clinic` -> :class:`Clinic`.

Everything the printed pages say of the clinic, and how they look, is data in
this file: its name, numbers and locations (:class:`Location`), its look
(:class:`Look`: page size, accent colour, logo) and the languages of its
language-assistance notice (``notice-languages:``, required: there is no
default list, since each state has its own). ``ldn-i18n init`` writes a
commented example; docs/new-clinic.md describes every key.

Every missing, unknown or mistyped field is an error naming its line; a
notice with fewer than :data:`NOTICE_MINIMUM` languages is a warning
(:attr:`Clinic.notice_warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LdnError
from .text import LOCALE_RE, hidden_characters
from .yamlfiles import YamlDoc, is_text, read_yaml_doc, shown

#: Section 1557 (45 CFR 92.11, 2024): taglines in at least the 15 languages most spoken by people
#: with limited English in the state.
NOTICE_MINIMUM = 15
#: Where HHS's Office for Civil Rights publishes each state's list of those languages.
HHS_LANGUAGES_URL = (
    "https://www.hhs.gov/civil-rights/for-individuals/section-1557/translated-resources/index.html"
)
#: What ``notice-languages:`` is, in every error about it.
NOTICE_LANGUAGES_HELP = (
    "list the languages of the language-assistance notice as locale identifiers (es, vi, zh_Hant): "
    f"under Section 1557 (45 CFR 92.11) at least the {NOTICE_MINIMUM} languages most spoken by people "
    "with limited English in your state, which HHS's Office for Civil Rights publishes for each "
    f"state ({HHS_LANGUAGES_URL})"
)
#: Page sizes a clinic may print on, as ``look: page-size:`` writes them, and their CSS name.
PAGE_SIZES = {"letter": "letter", "a4": "A4"}
#: The accent colour when the clinic names none: dark blue, 8.1:1 on white.
DEFAULT_ACCENT = "#1d4f91"
#: WCAG 2.1 AA (1.4.3): the contrast normal-size text needs against its background.
AA_CONTRAST = 4.5
#: Image files a logo may be (read by their first bytes, not their name): PNG and JPEG.
LOGO_KINDS = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
#: The logo's name in ``dist/`` (with its kind's suffix), where every page finds it.
LOGO_STEM = "clinic-logo"
#: Every name the logo may have in ``dist/``: the pages link to it there.
LOGO_FILES = tuple(f"{LOGO_STEM}.{kind}" for kind in LOGO_KINDS.values())
#: The most locations the page header puts side by side; more take further rows.
MOST_COLUMNS = 5
#: A logo larger than this is refused: it is copied beside every build and embedded in every PDF.
LOGO_MAX_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Location:
    """One clinic location, as printed in the header."""

    name: str
    """The label printed above the address, e.g. ``Tampa``."""
    street: str
    """Street line, e.g. ``3102 W Cypress St``."""
    city: str = ""
    """City, printed after the street when given."""
    state: str = ""
    """Two-letter state code, printed after the city when given."""
    postal_code: str = ""
    """ZIP code, printed after the state when given."""
    phone: str = ""
    """The location's own phone number, when it has one."""
    fax: str = ""
    """The location's own fax number, when it has one."""
    website: str = ""
    """The location's web address as printed (``example.org/midtown``), when it has one."""
    hours: str = ""
    """Opening hours as printed (``Mon-Fri 8-5``), when given."""

    @property
    def place(self) -> str:
        """``City, ST 12345`` with whichever parts are given (empty when none)."""
        place = ", ".join(part for part in (self.city, self.state) if part)
        return f"{place} {self.postal_code}".strip() if self.postal_code else place


@dataclass(frozen=True, slots=True)
class Look:
    """How the clinic's pages look (``look:`` of the clinic file)."""

    page_size: str = "letter"
    """The CSS page size: ``letter`` or ``A4``."""
    accent: str = DEFAULT_ACCENT
    """The accent colour of headings, rules and links (``#rrggbb``), at least 4.5:1 on white."""
    logo: Path | None = None
    """The logo file (PNG or JPEG, in ``source/``), or None."""
    logo_alt: str = ""
    """What the logo shows, for people who cannot see it (required with a logo)."""
    logo_name: str = ""
    """The logo's file name in ``dist/`` (``clinic-logo.png`` or ``.jpg``); empty without a logo."""


@dataclass(frozen=True, slots=True)
class Clinic:
    """The clinic's shared details (``source/clinic.yaml``)."""

    phone: str
    """Main phone number as printed."""
    locations: tuple[Location, ...]
    """Every location, in print order."""
    fax: str = ""
    """Main fax number as printed; empty when the clinic gives none."""
    name: str = ""
    """The clinic's name; empty when not given."""
    website: str = ""
    """The clinic's web address as printed; empty when not given."""
    tty: str = "711"
    """The number deaf and hard-of-hearing patients call through (``tty:``; 711 is the US relay service)."""
    look: Look = field(default_factory=Look)
    """Page size, accent colour and logo."""
    notice_languages: tuple[str, ...] = ()
    """Locales of the language-assistance notice's taglines (``notice-languages:``), in print order."""
    notice_errors: tuple[LdnError, ...] = ()
    """Why each entry of ``notice-languages:`` that is not a translation's locale is left out (its line)."""
    notice_warnings: tuple[LdnError, ...] = ()
    """What the build says of the list without failing (fewer than 15 languages), each located."""
    bilingual: bool = False
    """Whether a build makes the bilingual editions unless told its formats (``bilingual: true``)."""

    @property
    def location_columns(self) -> int:
        """How many locations the header puts side by side: all of them up to five, else as
        few rows of five or fewer as fit them, filled evenly (seven: two rows of four and three)."""
        count = max(len(self.locations), 1)
        rows = -(-count // MOST_COLUMNS)
        return -(-count // rows)


def logo_kind(head: bytes) -> str | None:
    """``png`` or ``jpg`` from a file's first bytes, or None for any other kind of file."""
    return next((kind for magic, kind in LOGO_KINDS.items() if head.startswith(magic)), None)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """The WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_CLINIC_FIELDS = (
    "name",
    "phone",
    "fax",
    "tty",
    "website",
    "look",
    "locations",
    "notice-languages",
    "bilingual",
)
_LOCATION_FIELDS = ("name", "street", "city", "state", "postal_code", "phone", "fax", "website", "hours")
_LOOK_FIELDS = ("page-size", "accent", "logo", "logo-alt")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def read_clinic(path: Path, language_problem: Callable[[str], str | None] | None = None) -> Clinic:
    """The clinic file: ``phone``, ``locations`` (each with ``name`` and ``street``) and
    ``notice-languages`` are required, the rest optional (docs/new-clinic.md).

    ``language_problem`` says why an entry of ``notice-languages:`` cannot have a tagline; such
    an entry is left out with its line in :attr:`Clinic.notice_errors`.
    """
    from .errors import missing_file

    if not path.is_file():
        raise missing_file(path)
    doc = read_yaml_doc(path)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("the clinic file must be a mapping with phone, locations and notice-languages")
    text = _Texts(doc)
    for key in data:
        if key not in _CLINIC_FIELDS:
            raise doc.error(
                f"unknown field {key!r} in the clinic file (use {', '.join(_CLINIC_FIELDS)})", key
            )
    phone = text(data, "phone")
    fax, name, website = (text(data, key, required=False) for key in ("fax", "name", "website"))
    raw_tty = data.get("tty")
    if isinstance(raw_tty, int) and not isinstance(raw_tty, bool):  # as written: 0711 is not octal 457
        tty = doc.written("tty") or str(raw_tty)
    else:
        tty = text(data, "tty", required=False) or "711"
    bilingual = data.get("bilingual", False)
    if not isinstance(bilingual, bool):
        raise doc.error(f"`bilingual:` must be true or false; got {bilingual!r}", "bilingual")
    languages, errors, warnings = _notice_languages(doc, language_problem)
    look = _look(doc, path.parent, text)
    raw = data.get("locations")
    if not isinstance(raw, list) or not raw:
        raise doc.error(
            "`locations:` must be a list of locations, each with `name:` and `street:`", "locations"
        )
    locations = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise doc.error("each location must be a mapping with `name:` and `street:`", "locations", index)
        for key in entry:
            if key not in _LOCATION_FIELDS:
                raise doc.error(
                    f"unknown field {key!r} in a location (use {', '.join(_LOCATION_FIELDS)})",
                    "locations",
                    index,
                    key,
                )
        fields = {
            key: text(entry, key, "locations", index, required=key in ("name", "street"))
            for key in _LOCATION_FIELDS
        }
        locations.append(Location(**fields))
    return Clinic(
        phone=phone,
        fax=fax,
        locations=tuple(locations),
        name=name,
        website=website,
        tty=tty,
        look=look,
        notice_languages=languages,
        notice_errors=errors,
        notice_warnings=warnings,
        bilingual=bilingual,
    )


class _Texts:
    """Reads one text field of the clinic file, with its errors."""

    def __init__(self, doc: YamlDoc):
        self.doc = doc

    def __call__(self, container: dict[Any, Any], key: str, *where: str | int, required: bool = True) -> str:
        doc = self.doc
        value = container.get(key)
        if value is None and not required:
            return ""
        if value is None:
            whose = "location needs" if where and where[0] == "locations" else "clinic file needs"
            raise doc.error(f"{whose} `{key}:`", *where)
        if not is_text(value):
            raise doc.error(
                f"`{key}:` must be text; got {shown(value, doc.written(*where, key))}", *where, key
            )
        hidden = hidden_characters(str(value))
        if hidden:  # printed on every page: what is read must be what is seen
            raise doc.error(
                f"`{key}:` holds a {hidden[0]}: it changes what is printed without being seen", *where, key
            )
        return str(value).strip()


def _notice_languages(
    doc: YamlDoc, language_problem: Callable[[str], str | None] | None
) -> tuple[tuple[str, ...], tuple[LdnError, ...], tuple[LdnError, ...]]:
    """``notice-languages:``: the locales, the entries left out (located) and the warnings."""
    data = doc.data
    if "notice-languages" not in data:
        raise doc.error(f"clinic file needs `notice-languages:`: {NOTICE_LANGUAGES_HELP}")
    languages = data.get("notice-languages") or []
    if not isinstance(languages, list):
        raise doc.error(f"`notice-languages:` must be a list: {NOTICE_LANGUAGES_HELP}", "notice-languages")
    for index, item in enumerate(languages):
        suggestion = None
        if isinstance(item, str) and not LOCALE_RE.fullmatch(item.strip()):
            from .languages import suggest_locale  # CLDR: loaded only for what is no identifier

            suggestion = suggest_locale(item)
        if suggestion:
            raise doc.error(
                f"`notice-languages:` holds locale identifiers, not language names: {suggestion}",
                "notice-languages",
                index,
            )
        if not is_text(item) or any(c.isspace() for c in str(item).strip()):
            raise doc.error(
                f"`notice-languages:` holds locale identifiers such as es or zh_Hant; got "
                f"{shown(item, doc.written('notice-languages', index))}",
                "notice-languages",
                index,
            )
    notice_languages: list[str] = []
    notice_errors: list[LdnError] = []
    for index, item in enumerate(languages):
        problem = language_problem(str(item).strip()) if language_problem is not None else None
        if problem:  # that tagline is left out, naming this line; the rest of the notice prints
            notice_errors.append(doc.error(f"`notice-languages:` {problem}", "notice-languages", index))
        elif str(item).strip() not in notice_languages:
            notice_languages.append(str(item).strip())
    warnings = []
    if len(notice_languages) < NOTICE_MINIMUM:
        count = f"{len(notice_languages)} language{'' if len(notice_languages) == 1 else 's'}"
        warnings.append(
            LdnError(
                f"`notice-languages:` lists {count}; Section 1557 asks for at "
                f"least the {NOTICE_MINIMUM} most spoken in your state unless fewer are spoken there "
                f"({HHS_LANGUAGES_URL})",
                doc.path,
                doc.line("notice-languages"),
                level="warning",
            )
        )
    return tuple(notice_languages), tuple(notice_errors), tuple(warnings)


def _look(doc: YamlDoc, source: Path, text: _Texts) -> Look:
    """``look:``: page size, accent colour (contrast checked) and logo (a PNG or JPEG in ``source/``)."""
    raw = doc.data.get("look")
    if raw is None:
        return Look()
    if not isinstance(raw, dict):
        raise doc.error(f"`look:` must be a mapping with {', '.join(_LOOK_FIELDS)}", "look")
    for key in raw:
        if key not in _LOOK_FIELDS:
            raise doc.error(f"unknown field {key!r} in `look:` (use {', '.join(_LOOK_FIELDS)})", "look", key)
    size = text(raw, "page-size", "look", required=False) or "letter"
    if size.lower() not in PAGE_SIZES:
        raise doc.error(f"`page-size:` is Letter or A4; got {size!r}", "look", "page-size")
    accent = text(raw, "accent", "look", required=False) or DEFAULT_ACCENT
    if not _HEX.fullmatch(accent):
        raise doc.error(
            f'`accent:` is a colour written #rrggbb (in quotes: "#1d4f91"); got {accent!r}',
            "look",
            "accent",
        )
    ratio = contrast(accent)
    if ratio < AA_CONTRAST:
        raise doc.error(
            f"`accent:` {accent} has a contrast of {ratio:.1f}:1 on white; headings and links need at "
            f"least {AA_CONTRAST}:1 (WCAG 2.1 AA): choose a darker colour",
            "look",
            "accent",
        )
    logo_file = text(raw, "logo", "look", required=False)
    alt = text(raw, "logo-alt", "look", required=False)
    logo, kind = None, None
    if logo_file:
        logo = (source / logo_file).resolve()
        if not logo.is_relative_to(source.resolve()) or not logo.is_file():
            raise doc.error(
                f"`logo:` {logo_file!r} is not a file in source/: put the logo (PNG or JPEG) there",
                "look",
                "logo",
            )
        data = logo.read_bytes()
        kind = logo_kind(data[:8])
        if kind is None:
            raise doc.error(f"`logo:` {logo_file!r} is not a PNG or JPEG image", "look", "logo")
        if len(data) > LOGO_MAX_BYTES:
            raise doc.error(
                f"`logo:` {logo_file!r} is {len(data) // 1000} kB; keep it under {LOGO_MAX_BYTES // 1000} kB",
                "look",
                "logo",
            )
        if not alt:
            raise doc.error(
                "a logo needs `logo-alt:`, what it shows for people who cannot see it "
                '(often the clinic\'s name: "Bayou Asthma Clinic")',
                "look",
                "logo",
            )
    elif alt:
        raise doc.error("`logo-alt:` without `logo:`: name the logo file, or remove it", "look", "logo-alt")
    name = f"{LOGO_STEM}.{kind}" if logo is not None else ""
    return Look(PAGE_SIZES[size.lower()], accent.lower(), logo, alt, name)
