"""Stage 4, check: :func:`check_project`, :func:`check_catalog` (one .po -> findings),
:func:`check_back_catalog` and :func:`check_sources`.

Each check is a small function over one message with a stable code (listed in
:data:`CODES` and the README). It returns findings; it never prints. The plain
language checks (:func:`check_plain_source` for the English, :func:`check_length`
and :func:`check_harder_sentences` across a catalog) measure text with
:mod:`ldn_i18n.readability`. A translator silences a check for one message with a
comment ``# noqa: CODE`` (or ``#. noqa: CODE``) above it.

One module per concern, this package re-exporting their public names:

- :mod:`.codes`: :data:`CODES`, :class:`Finding`, :class:`Rules`, :func:`load_rules`;
- :mod:`.messages`: :data:`MESSAGE_CHECKS`, one function per code;
- :mod:`.noqa`: :func:`suppression`, :class:`Suppression`, :data:`SAFETY_CODES`, :data:`FILE_CODES`;
- :mod:`.reading`: the catalog to check (parsed once, :func:`~ldn_i18n.pofiles.parse_catalog`), the
  header checks and the msgfmt oracle;
- :mod:`.catalog`: :func:`check_catalog`, :func:`check_message`, :func:`check_sources`, :func:`check_project`;
- :mod:`.back`: :func:`check_back_catalog`, :data:`BACK_CHECKS`;
- :mod:`.plain`: :func:`check_plain_source`, :func:`check_length`, :func:`check_harder_sentences`;
- :mod:`.output`: :func:`format_findings` (text, json, github) and :func:`tally`, for ``ldn-i18n check``.
"""

from __future__ import annotations

from ..quantities import numbers_in
from .back import BACK_CHECKS, NEGATIONS, check_back_catalog, check_back_negation, check_back_numbers
from .catalog import check_catalog, check_message, check_project, check_sources
from .codes import CODES, Finding, Rules, load_rules
from .messages import (
    MESSAGE_CHECKS,
    Check,
    check_citations,
    check_do_not_translate,
    check_glossary,
    check_hidden,
    check_markup,
    check_numbers,
    check_placeholders,
    check_units,
    check_unsafe,
)
from .noqa import FILE_CODES, SAFETY_CODES, Suppression, suppression
from .output import OUTPUT_FORMATS, Tally, format_findings, tally
from .plain import (
    HARDER_FACTOR,
    HARDER_MIN_WORDS,
    LENGTH_MIN_CHARACTERS,
    LENGTH_MIN_DIFFERENCE,
    LONG_SENTENCE_WORDS,
    MIN_MAD,
    MIN_SAMPLE,
    OUTLIER_Z,
    check_harder_sentences,
    check_length,
    check_plain_source,
)

__all__ = [
    "BACK_CHECKS",
    "CODES",
    "FILE_CODES",
    "HARDER_FACTOR",
    "HARDER_MIN_WORDS",
    "LENGTH_MIN_CHARACTERS",
    "LENGTH_MIN_DIFFERENCE",
    "LONG_SENTENCE_WORDS",
    "MESSAGE_CHECKS",
    "MIN_MAD",
    "MIN_SAMPLE",
    "NEGATIONS",
    "OUTLIER_Z",
    "OUTPUT_FORMATS",
    "SAFETY_CODES",
    "Check",
    "Finding",
    "Rules",
    "Suppression",
    "Tally",
    "check_back_catalog",
    "check_back_negation",
    "check_back_numbers",
    "check_catalog",
    "check_citations",
    "check_do_not_translate",
    "check_glossary",
    "check_harder_sentences",
    "check_hidden",
    "check_length",
    "check_markup",
    "check_message",
    "check_numbers",
    "check_placeholders",
    "check_plain_source",
    "check_project",
    "check_sources",
    "check_units",
    "check_unsafe",
    "format_findings",
    "load_rules",
    "numbers_in",
    "suppression",
    "tally",
]
