"""The project's YAML files: one safe loader (:func:`parse_yaml`) and typed readers.

Entry points: :func:`parse_yaml` (YAML text -> :class:`YamlDoc`), :func:`read_yaml_doc`
and :func:`read_yaml` (a YAML file), and the typed readers of the shared files:
:func:`read_terms` (``source/terms.yaml``), :func:`read_glossary`
(``locale/<LL>/glossary.yaml``) and :func:`read_clinic` (``source/clinic.yaml`` ->
:class:`Clinic`). :func:`read_text` reads any UTF-8 source file.

Every YAML file (the clinic file, ``source/terms.yaml``, the glossaries and a
handout's front matter) is read by :func:`parse_yaml`: YAML's safe subset
without anchors and aliases (an alias-expansion bomb is refused at its first
anchor), duplicate keys or nesting deeper than :data:`MAX_YAML_DEPTH`; every
error names the file and line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import LdnError
from .text import hidden_characters

#: Deepest nesting a YAML file may have (the shared files need 3).
MAX_YAML_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Location:
    """One clinic location, as printed in the header."""

    name: str
    """The label printed above the address, e.g. ``Tampa``."""
    street: str
    """Street line, e.g. ``3102 W Cypress St``."""
    city: str = ""
    """City, when it differs from the label or should be printed."""
    state: str = ""
    """Two-letter state code."""
    postal_code: str = ""
    """ZIP code, when known."""


@dataclass(frozen=True, slots=True)
class Clinic:
    """The clinic's shared details (``source/clinic.yaml``)."""

    phone: str
    """Main phone number as printed."""
    fax: str
    """Fax number as printed."""
    locations: tuple[Location, ...]
    """Every location, in print order."""
    name: str = ""
    """The clinic's name; empty when not given."""
    tty: str = "711"
    """The number deaf and hard-of-hearing patients call through (``tty:``; 711 is the US relay service)."""
    notice_languages: tuple[str, ...] = ()
    """Locales of the language-assistance notice's taglines (``notice-languages:``), in print order."""
    notice_errors: tuple[LdnError, ...] = ()
    """Why each entry of ``notice-languages:`` that is not a translation's locale is left out (its line)."""
    bilingual: bool = False
    """Whether a build makes the bilingual editions unless told its formats (``bilingual: true``)."""


#: The 15 languages most spoken in Florida by people with limited English, as the U.S. Department
#: of Health and Human Services' Office for Civil Rights listed them per state for the Section 1557
#: taglines (its "Top 15 Non-English Languages by State" table, 2016; the 2024 rule, 45 CFR 92.11,
#: keeps the 15-language threshold), in its order: Spanish, French Creole, Vietnamese, Portuguese,
#: Chinese, French, Tagalog, Russian, Arabic, Italian, German, Korean, Polish, Gujarati, Thai.
#: Written as CLDR locales: Chinese in Traditional characters as OCR's sample taglines are, Tagalog
#: as ``fil`` (CLDR's identifier for it), Portuguese as Brazilian. Transcribed, not fetched: the
#: clinic confirms the list against OCR's current table and sets its own in ``notice-languages:``.
FLORIDA_NOTICE_LANGUAGES = (
    "es",
    "ht",
    "vi",
    "pt_BR",
    "zh_Hant",
    "fr",
    "fil",
    "ru",
    "ar",
    "it",
    "de",
    "ko",
    "pl",
    "gu",
    "th",
)


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML document and where each of its parts is in the file."""

    data: Any
    """The document as Python data (None for an empty file)."""
    path: Path
    """The file (for errors)."""
    node: Any = None
    """The composed ``yaml.Node`` the data was made from (None for an empty file)."""
    first_line: int = 1
    """File line of the text's first line (2 for front matter after ``---``)."""

    def _walk(self, keys: tuple[Any, ...]) -> tuple[int, Any, Any]:
        """``(0-based line, key node or None, value node)`` of the part at ``keys`` or its nearest parent."""
        node, data, key_node = self.node, self.data, None
        line = node.start_mark.line
        for key in keys:
            # Keys are unique and there are no merge keys, so the data's order is the nodes'.
            if isinstance(data, dict) and key in data:
                key_node, node = node.value[list(data).index(key)]
                line, data = key_node.start_mark.line, data[key]
            elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
                key_node, node, data = None, node.value[key], data[key]
                line = node.start_mark.line
            else:
                break
        return int(line), key_node, node

    def line(self, *keys: Any) -> int:
        """1-based file line of the part at ``keys`` (mapping keys, list indices) of :attr:`data`.

        For a mapping key it is the key's line, for a list index the item's;
        a part that does not exist gives the line of its nearest parent.
        """
        return self.first_line if self.node is None else self._walk(keys)[0] + self.first_line

    def written(self, *keys: Any, key: bool = False) -> str | None:
        """The scalar at ``keys`` (its mapping key with ``key=True``) as written in the file, or None."""
        if self.node is None:
            return None
        _, key_node, node = self._walk(keys)
        chosen = key_node if key else node
        return chosen.value if chosen is not None and isinstance(chosen.value, str) else None

    def error(self, message: str, *keys: Any) -> LdnError:
        """An error at the line of ``keys`` in this file."""
        return LdnError(message, self.path, self.line(*keys))


@cache
def _loader_class() -> type:
    """``yaml.SafeLoader`` without anchors, aliases, duplicate keys or deep nesting.

    The pure-Python loader (not libyaml's) is used, because its composer is
    where aliases are refused: the first ``&anchor`` stops the parse, so an
    alias-expansion bomb costs no more than reading its first lines.
    """
    import yaml
    from yaml.constructor import ConstructorError
    from yaml.error import MarkedYAMLError

    class Refused(MarkedYAMLError):
        pass

    class SafeLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise Refused(
                    problem="YAML anchors and aliases (&name, *name) are not allowed: write the value out",
                    problem_mark=event.start_mark,
                )
            self.depth += 1
            try:
                if self.depth > MAX_YAML_DEPTH:
                    raise Refused(
                        problem=f"YAML nested more than {MAX_YAML_DEPTH} levels deep",
                        problem_mark=event.start_mark,
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError) as exc:  # e.g. the date 2024-02-30
                value = node.value if isinstance(node.value, str) else ""
                shown = value if len(value) <= 40 else value[:37] + "..."
                raise ConstructorError(
                    problem=f"invalid value {shown!r}: {str(exc).partition(';')[0]}",
                    problem_mark=node.start_mark,
                ) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        raise Refused(
                            problem="YAML merge keys (<<) are not allowed: write the keys out",
                            problem_mark=key_node.start_mark,
                        )
                    key = self.construct_object(key_node, deep=True)
                    try:
                        duplicate = key in seen
                    except TypeError:
                        continue  # unhashable: the base class says so
                    if duplicate:
                        raise ConstructorError(
                            problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                        )
                    seen.add(key)
            return super().construct_mapping(node, deep)

    return SafeLoader


def parse_yaml(text: str, path: Path, first_line: int = 1, what: str = "invalid YAML") -> YamlDoc:
    """Parse YAML text safely (see the module's docstring); errors read ``path:line: error: what: ...``.

    ``first_line`` is the file line of the text's first line, so that YAML
    embedded in a larger file (front matter) reports the file's lines.
    """
    import yaml

    loader = None
    try:
        loader = _loader_class()(text)  # checks every character first
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else first_line
        problem = exc.problem or exc.context or "cannot parse"
        raise LdnError(f"{what}: {problem}", path, line) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        raise LdnError(f"{what}: character U+{exc.character:04X} is not allowed", path, line) from None
    except yaml.YAMLError as exc:
        raise LdnError(f"{what}: {exc}", path, first_line) from None
    except RecursionError:
        raise LdnError(f"{what}: nested too deeply", path, first_line) from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(data, path, node, first_line)


def read_text(path: Path) -> str:
    """A UTF-8 text file, normalised to Unicode NFC; unreadable or not UTF-8 is an error naming it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LdnError(f"cannot read: {exc.strerror}", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LdnError(f"not UTF-8 text ({exc.reason})", path, line) from None
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


def read_yaml_doc(path: Path) -> YamlDoc:
    """A YAML file parsed safely, with the lines of its parts."""
    return parse_yaml(read_text(path), path)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; a syntax error, alias or duplicate key names its line."""
    return read_yaml_doc(path).data


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shown(value: Any, written: str | None = None) -> str:
    """A wrong value as an error shows it (as ``written`` in the file), with the fix for a scalar."""
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    if isinstance(value, str):
        return "empty text"
    if value is None:
        return "nothing"
    shown = written if written is not None else repr(value)
    kind = (
        "true/false"
        if isinstance(value, bool)
        else "a number"
        if isinstance(value, (int, float))
        else "a date"
    )
    return f"{shown}, which YAML reads as {kind}, not text (put it in quotes)"


def read_terms(path: Path) -> list[str]:
    """``source/terms.yaml``: a mapping whose ``do_not_translate:`` lists terms (strings).

    An empty file gives no terms; any other shape is an error naming the line.
    """
    doc = read_yaml_doc(path)
    data = doc.data
    if data is None:
        return []
    if not isinstance(data, dict):
        raise doc.error("the terms file must be a mapping with a `do_not_translate:` list of terms")
    for key in data:
        if key != "do_not_translate":
            raise doc.error(f"unknown key {key!r} in the terms file (expected `do_not_translate:`)", key)
    terms = data.get("do_not_translate")
    if terms is None:
        return []
    if not isinstance(terms, list):
        raise doc.error(
            "`do_not_translate:` must be a list of terms (one `- term` a line)", "do_not_translate"
        )
    for index, term in enumerate(terms):
        if not _text(term):
            shown = _shown(term, doc.written("do_not_translate", index))
            raise doc.error(
                f"every do-not-translate term must be text; got {shown}",
                "do_not_translate",
                index,
            )
    return [term.strip() for term in terms]


def read_glossary(path: Path) -> dict[str, str]:
    """``locale/<LL>/glossary.yaml``: English term -> approved translation, both non-empty text.

    An empty file gives an empty glossary; any other shape is an error naming the line.
    """
    doc = read_yaml_doc(path)
    data = doc.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise doc.error("a glossary maps English terms to approved translations (`term: translation`)")
    glossary: dict[str, str] = {}
    for key, value in data.items():
        if not _text(key):
            raise doc.error(
                f"a glossary term must be text; got {_shown(key, doc.written(key, key=True))}", key
            )
        if not _text(value):
            raise doc.error(
                f"the approved translation of {key!r} must be text; got {_shown(value, doc.written(key))}",
                key,
            )
        glossary[key.strip()] = value.strip()
    return glossary


_CLINIC_FIELDS = ("phone", "fax", "tty", "locations", "name", "notice-languages", "bilingual")
_LOCATION_FIELDS = ("name", "street", "city", "state", "postal_code")


def read_clinic(path: Path, language_problem: Callable[[str], str | None] | None = None) -> Clinic:
    """The clinic file: ``phone``, ``fax`` and ``locations`` (each with ``name`` and ``street``).

    Every missing, unknown or mistyped field is an error naming its line.
    """
    doc = read_yaml_doc(path)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("the clinic file must be a mapping with phone, fax and locations")

    def text(container: dict[Any, Any], key: str, *where: str | int, required: bool = True) -> str:
        value = container.get(key)
        if value is None and not required:
            return ""
        if value is None:
            raise doc.error(f"{'location needs' if where else 'clinic file needs'} `{key}:`", *where)
        if not _text(value):
            raise doc.error(
                f"`{key}:` must be text; got {_shown(value, doc.written(*where, key))}", *where, key
            )
        hidden = hidden_characters(str(value))
        if hidden:  # printed on every page: what is read must be what is seen
            raise doc.error(
                f"`{key}:` holds a {hidden[0]}: it changes what is printed without being seen", *where, key
            )
        return str(value).strip()

    for key in data:
        if key not in _CLINIC_FIELDS:
            raise doc.error(
                f"unknown field {key!r} in the clinic file (use {', '.join(_CLINIC_FIELDS)})", key
            )
    phone, fax = text(data, "phone"), text(data, "fax")
    name = text(data, "name", required=False)
    raw_tty = data.get("tty")
    if isinstance(raw_tty, int) and not isinstance(raw_tty, bool):  # as written: 0711 is not octal 457
        tty = doc.written("tty") or str(raw_tty)
    else:
        tty = text(data, "tty", required=False) or "711"
    bilingual = data.get("bilingual", False)
    if not isinstance(bilingual, bool):
        raise doc.error(
            f"`bilingual:` must be true or false; got {bilingual!r}",
            "bilingual",
        )
    languages = data.get("notice-languages", list(FLORIDA_NOTICE_LANGUAGES))
    if not isinstance(languages, list):
        raise doc.error(
            "`notice-languages:` must be a list of locale identifiers such as es, ht, zh_Hant",
            "notice-languages",
        )
    for index, item in enumerate(languages):
        if not _text(item) or any(c.isspace() for c in str(item).strip()):
            raise doc.error(
                f"`notice-languages:` holds locale identifiers such as es or zh_Hant; got "
                f"{_shown(item, doc.written('notice-languages', index))}",
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
        tty=tty,
        notice_languages=tuple(notice_languages),
        notice_errors=tuple(notice_errors),
        bilingual=bilingual,
    )
