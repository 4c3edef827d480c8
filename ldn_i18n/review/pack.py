"""The reviewer's bilingual pack: :func:`write_pack` writes ``dist/review/<tag>/<domain>.html`` and ``.pdf``.

One pack per catalog (each handout, and the templates' own strings): one row
per message in handout order with its location, the English and the
translation as printed (bold, superscript citations; the translation in its
script, direction and font), the back-translation when ``ldn-i18n back`` made
one (its differences from the English highlighted), the review state, the
check findings of that message and the translators' comments. By default only
the rows pending review are in it (never signed, or changed or edited since
their sign-off). Each row of a handout's pack gives the sentence-level figures
of its English and of its translation (sentences, words per sentence, the
language's readability scores where it has validated ones). A row signed
once shows word-level diffs of the English and of the translation it had
then, so the reviewer reads exactly what changed.
The last page is a sign-off block for a paper record.

:func:`compose_pack` reads (catalog, sign-offs, checks, back catalog) and
returns a :class:`Pack`; :func:`render_pack` turns it into HTML, checked by
:func:`~ldn_i18n.guard.check_page`; :func:`write_pack` writes HTML and PDF
(through :func:`~ldn_i18n.pdf.render_pdf`, with the same fetch and glyph guards
as the editions). ``build`` leaves ``dist/review/`` alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from babel.messages.catalog import Message
from markupsafe import Markup, escape

from ..check import Finding, check_back_catalog, check_catalog, load_rules
from ..doses import DoseRow, dose_table
from ..errors import LdnError
from ..files import relative, write_atomic
from ..fonts import font_stack
from ..languages import Language, language
from ..markup import CiteRenderer, inspect_inline, render_inline
from ..memory import PREFIX as MEMORY_PREFIX
from ..memory import memory_origin
from ..messages import handout_messages
from ..notice import read_notice
from ..pofiles import ProjectCatalog, as_forms, msgstr_line, read_catalog, translation_of
from ..project import NOTICE_DOMAIN, SOURCE_LOCALE, TEMPLATES_DOMAIN, Project
from ..readability import CHARACTER_LANGUAGES, figures
from ..references import citation_order, cite_html
from ..source import read_handout
from ..templating import Templates
from ..text import nfc
from .signoff import (
    MessageReview,
    MessageState,
    SignOff,
    bound,
    load_records,
    message_reviews,
    pair_hash,
    review_state,
)

#: Folder under ``dist/`` that holds the packs (``build`` leaves it alone).
PACK_FOLDER = "review"
#: The pack's template (taken from the packaged templates when a project's own folder lacks it).
TEMPLATE = "review-pack.html.j2"

#: Han, kana, CJK punctuation and full-width forms: each character is one "word" of a diff.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
#: A diff token: one CJK character or one run of other non-space characters, with the spaces after it.
_TOKEN = re.compile(rf"[{_CJK}]\s*|[^\s{_CJK}]+\s*|\s+")
_CITE_LINK = re.compile(r'<a href="#ref-\d+">(\d+)</a>')


@dataclass(frozen=True, slots=True)
class Row:
    """One message of a pack, as the reviewer reads it."""

    location: str
    """Where the message comes from (``source/handouts/ldn-overview.md:8``; several when repeated)."""
    line: int
    """The msgstr line in the catalog (where ``check`` findings point)."""
    state: MessageState
    """``new``, ``changed``, ``edited`` or ``signed``."""
    english: Markup
    """The English as printed (bold, italics, superscript citation numbers)."""
    translation: Markup
    """The translation as printed; empty when there is none."""
    unusable: str
    """Why the translation is not printed (``not translated``, ``fuzzy``), else ''."""
    english_diff: Markup | None
    """Word diff of the English signed off against the current English, when it changed."""
    translation_diff: Markup | None
    """Word diff of the translation signed off against the current one, when it changed."""
    back: Markup | None
    """The back-translation, words that differ from the English marked; None when there is none."""
    back_note: str
    """Why the back-translation may not fit the current translation ('' when it does)."""
    findings: tuple[Finding, ...]
    """The check findings of this message (forward and back catalogs)."""
    comments: tuple[str, ...]
    """Translators' comments (``#`` lines) of the message."""
    signed: SignOff | None
    """The sign-off it has or had; None when never signed."""
    english_figures: str = ""
    """Sentence-level figures of the English (:func:`sentence_figures`); '' in the templates' pack."""
    translation_figures: str = ""
    """Sentence-level figures of the translation in its language; '' when none is printed."""
    doses: tuple[DoseRow, ...] = ()
    """The numbers the checks read in the English and the translation, side by side (:func:`dose_table`)."""
    key: str = ""
    """The message's sign-off key (:func:`~.signoff.message_key`)."""
    shown: str = ""
    origin: str = ""
    """Where the translation memory took the translation from (``identical English, from x.po``), else ''."""
    """The hash of all a sign-off of the message binds, as this row shows it (:func:`~.signoff.bound`):
    the workbench signs the row only while the message still hashes the same."""


@dataclass(frozen=True, slots=True)
class Pack:
    """Everything the pack template shows for one catalog."""

    language: Language
    """The translation's language: tag, direction, own name."""
    domain: str
    """Handout slug, or ``templates``."""
    catalog: str
    """The catalog's path relative to the project."""
    translator: str
    """The catalog's ``Last-Translator``."""
    revision: str
    """Hash of the catalog's content (:func:`~.signoff.content_hash`): what the reviewer saw."""
    messages: int
    """Live messages in the catalog."""
    signed: int
    """Messages whose current English and translation are signed."""
    pending: int
    """Messages pending review."""
    rows: tuple[Row, ...]
    """The rows shown, in handout order."""
    all_rows: bool
    """Whether every message is shown (``--all``) or only those pending review."""
    back: str | None
    """The back catalog's path relative to the project, when there is one."""
    notes: tuple[str, ...]
    """Findings about the catalog as a whole, and problems reading the back catalog."""
    command: str
    """The command that records the sign-off once the reviewer has signed on paper."""

    @property
    def fonts(self) -> str:
        """CSS font-family list for the translation's script (:func:`~ldn_i18n.fonts.font_stack`)."""
        return font_stack(self.language.locale)


def word_diff(old: str, new: str, loose: bool = False) -> Markup:
    """``new`` with the words of ``old`` it lacks in ``<del>`` and its own new words in ``<ins>``.

    Words are runs of non-space characters; each Han or kana character is a word.
    ``loose`` compares words without case and punctuation (English against a back-translation).
    """
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    key = _loose_key if loose else str.strip
    matcher = SequenceMatcher(None, [key(t) for t in before], [key(t) for t in after], autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(after[j1:j2]))))
            continue
        if i1 < i2:
            out.append(_wrap("del", before[i1:i2], spaced=j1 < j2))
        if j1 < j2:
            out.append(_wrap("ins", after[j1:j2]))
    return Markup("".join(out))


def _loose_key(token: str) -> str:
    word = re.sub(r"[\W_]+", "", token.casefold())
    return word or token.strip()


def _wrap(tag: str, tokens: list[str], spaced: bool = False) -> str:
    """``tokens`` inside ``<tag>``, the spaces after them outside; ``spaced`` keeps a deletion apart."""
    text = "".join(tokens)
    body = text.rstrip()
    if not body:
        return str(escape(text))
    tail = text[len(body) :]
    if spaced and not tail and not re.match(f"[{_CJK}]", body[-1]):
        tail = " "  # "<del>old</del> <ins>new</ins>", not "oldnew" in the PDF's text
    return f"<{tag}>{escape(body)}</{tag}>{escape(tail)}"


def _citer(numbers: dict[str, int]) -> CiteRenderer:
    """Citation groups as printed in the handout's editions: superscript numbers (no links here)."""

    def cite(keys: Sequence[str]) -> str:
        known = [k for k in keys if k in numbers]
        unknown = [k for k in keys if k not in numbers]
        html = _CITE_LINK.sub(r"\1", cite_html(known, numbers)) if known else ""
        if unknown:  # a check error: show the keys as written, marked
            shown = escape("; ".join("@" + k for k in unknown))
            html += f'<sup class="cite unknown" dir="ltr">[{shown}?]</sup>'
        return html

    return cite


def _printed(forms: tuple[str, ...], numbers: dict[str, int] | None, locale: str) -> Markup:
    """Each form as printed in ``locale``: a handout message's markup rendered (its quotation
    marks the language's), a template string escaped."""
    if numbers is None:
        shown = [str(escape(form)) for form in forms]
    else:
        shown = [render_inline(form, _citer(numbers), locale) for form in forms]
    return Markup("<br>".join(shown))


def _plain(forms: tuple[str, ...]) -> str:
    return " | ".join(inspect_inline(form).text for form in forms)


def sentence_figures(text: str, locale: str) -> str:
    """One message's figures: ``2 sentences, 14.5 words per sentence (longest 19); Fernández-Huerta ...``."""
    found = figures([inspect_inline(text).text], locale)
    if not found.sentences:
        return ""
    unit = "characters" if found.language in CHARACTER_LANGUAGES else "words"
    shown = (
        f"{found.sentences} sentence{'s' if found.sentences != 1 else ''}, "
        f"{found.words_per_sentence:.1f} {unit} per sentence (longest {found.longest_sentence})"
    )
    return shown + (f"; {found.summary}" if found.scores else "")


def _back_entries(
    project: Project, locale: str, domain: str, forward: Path
) -> tuple[dict[str, Message], dict[str, list[Finding]], str | None, list[str]]:
    """The back catalog's entries and findings by message key, its path, and problems reading it."""
    path = project.back_path(locale, domain)
    if not path.is_file():
        return {}, {}, None, []
    where = relative(path, project.root)
    try:
        catalog = read_catalog(path)
    except LdnError as exc:
        return {}, {}, where, [str(exc)]
    lines = path.read_text(encoding="utf-8").splitlines()
    entries: dict[str, Message] = {}
    by_line: dict[int, str] = {}
    for message in catalog:
        if message.id and message.context:
            entries[message.context] = message
            by_line[msgstr_line(lines, message.lineno)] = message.context
    findings: dict[str, list[Finding]] = {}
    notes = []
    for finding in check_back_catalog(catalog, forward, load_rules(project, locale), project.root):
        key = by_line.get(finding.line)
        if key is None:
            notes.append(str(finding))
        else:
            findings.setdefault(key, []).append(finding)
    return entries, findings, where, notes


def _back_cell(english: tuple[str, ...], forms: tuple[str, ...], entry: Message | None) -> tuple[Markup, str]:
    if entry is None:
        return Markup(""), "no back-translation of this message yet"
    back = nfc(str(entry.string or ""))
    if not back:
        return Markup(""), "not back-translated yet"
    note = ""
    if entry.fuzzy:
        note = "fuzzy: back-translate the changed translation again"
    elif forms and forms[0] and nfc(str(entry.id)) != forms[0]:
        note = "made from an earlier translation: run ldn-i18n back"
    return word_diff(_plain(english), inspect_inline(back).text, loose=True), note


def compose_pack(project: Project, locale: str, domain: str, all_rows: bool = False) -> Pack:
    """The pack of one catalog: the rows pending review (every row with ``all_rows``), in handout order."""
    path = project.po_path(locale, domain)
    if not path.is_file():
        raise LdnError(f"no catalog {domain}.po for locale {locale!r}", path.parent)
    catalog: ProjectCatalog = read_catalog(path, locale)
    lines = path.read_text(encoding="utf-8").splitlines()
    numbers: dict[str, int] | None = None
    order: dict[str, int] = {}
    if domain != TEMPLATES_DOMAIN:
        if domain == NOTICE_DOMAIN:
            handout = read_notice(project)
            if handout is None:
                raise LdnError("the project has no notice", project.notice_path)
        else:
            handout = read_handout(project.handouts_dir / f"{domain}.md")
        numbers = {key: n for n, key in enumerate(citation_order(handout), 1)}
        for index, message in enumerate(handout_messages(handout)):
            order.setdefault(message.msgid, index)
    found: dict[int, list[Finding]] = {}
    notes: list[str] = []
    for finding in check_catalog(catalog, load_rules(project, locale), project.root):
        found.setdefault(finding.line, []).append(finding)
    backs, back_findings, back_path, back_notes = _back_entries(project, locale, domain, path)
    records = load_records(project, locale, domain)
    reviews = message_reviews(catalog, records)
    state = review_state(catalog, records)
    rows: list[tuple[int, int, Row]] = []
    lines_of_rows = set()
    for position, review in enumerate(reviews):
        line = msgstr_line(lines, review.message.lineno)
        lines_of_rows.add(line)
        if review.pending or all_rows:
            row = _row(review, line, numbers, found.get(line, []), backs, back_findings, back_path, locale)
            rows.append((order.get(str(as_forms(review.message.id)[0]), len(order)), position, row))
    for line, findings in sorted(found.items()):
        if line not in lines_of_rows:
            notes += [str(f) for f in findings]
    command = (
        f"ldn-i18n review --locale {locale} --domain {domain} --reviewer EMAIL [--key PATH] "
        f"--revision {state.revision}" + (" --messages all" if all_rows else "")
    )
    return Pack(
        language=language(locale),
        domain=domain,
        catalog=relative(path, project.root),
        translator=state.translator,
        revision=state.revision,
        messages=len(reviews),
        signed=state.signed,
        pending=state.pending,
        rows=tuple(row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1]))),
        all_rows=all_rows,
        back=back_path,
        notes=tuple(notes + back_notes),
        command=command,
    )


def _row(
    review: MessageReview,
    line: int,
    numbers: dict[str, int] | None,
    findings: list[Finding],
    backs: dict[str, Message],
    back_findings: dict[str, list[Finding]],
    back_path: str | None,
    locale: str,
) -> Row:
    message = review.message
    english, forms = as_forms(message.id), as_forms(message.string)
    state = translation_of(message)
    origin = memory_origin(message)
    unusable = {
        "untranslated": "not translated: the English is printed",
        "fuzzy": "from the translation memory: not printed until the translator confirms it"
        if origin
        else "fuzzy: not printed until reviewed",
    }.get(state, "")
    signed = review.signed
    english_diff = translation_diff = None
    if signed is not None and signed.english != english:
        english_diff = word_diff(" | ".join(signed.english), " | ".join(english))
    if signed is not None and signed.translation != forms and any(forms):
        translation_diff = word_diff(" | ".join(signed.translation), " | ".join(forms))
    back: Markup | None = None
    back_note = ""
    if back_path is not None:
        back, back_note = _back_cell(english, forms, backs.get(review.key))
    return Row(
        location=", ".join(f"{file}:{lineno}" if lineno else file for file, lineno in message.locations),
        line=line,
        state=review.state,
        english=_printed(english, numbers, SOURCE_LOCALE),
        translation=_printed(forms, numbers, locale) if any(forms) else Markup(""),
        unusable=unusable,
        english_diff=english_diff,
        translation_diff=translation_diff,
        back=back,
        back_note=back_note,
        findings=tuple(findings) + tuple(back_findings.get(review.key, [])),
        comments=tuple(str(c) for c in message.user_comments if not c.startswith(MEMORY_PREFIX)),
        signed=signed,
        english_figures=sentence_figures(english[0], SOURCE_LOCALE) if numbers is not None else "",
        translation_figures=sentence_figures(forms[0], locale) if numbers is not None and forms[0] else "",
        doses=tuple(dose_table(inspect_inline(english[0]).text, inspect_inline(forms[0]).text, locale)),
        key=review.key,
        shown=pair_hash(*bound(message)),
        origin=origin,
    )


def render_pack(templates: Templates, pack: Pack) -> str:
    """The pack's standalone HTML page; anything the templates did not write is refused."""
    from ..guard import check_page
    from ..render import environment

    page = environment(templates).get_template(TEMPLATE).render(pack=pack)
    check_page(page, templates, f"{PACK_FOLDER}/{pack.language.tag}/{pack.domain}.html")
    return page


def write_pack(
    project: Project, locale: str, handout: str | None = None, all_rows: bool = False
) -> list[Path]:
    """Write the packs of ``locale`` (every handout and the templates, or one): HTML and PDF each.

    A catalog with no row to show (every message signed, without ``all_rows``)
    gets no pack, and an earlier pack of it is removed so no stale pack is reviewed.
    """
    from ..pdf import render_pdf

    problem = project.locale_problem(locale)
    if problem is not None:
        raise problem
    if locale not in project.locales():
        raise LdnError(f"no catalogs for locale {locale!r} under {project.locale_dir}")
    domains = project.domains()
    if handout is not None and handout not in domains:
        raise LdnError(f"no handout {handout!r} (one of: {', '.join(domains)})")
    templates = project.templates
    folder = project.dist_dir / PACK_FOLDER / language(locale).tag
    written = []
    for domain in [handout] if handout else domains:
        if not project.po_path(locale, domain).is_file():
            continue
        pack = compose_pack(project, locale, domain, all_rows)
        html_path, pdf_path = folder / f"{domain}.html", folder / f"{domain}.pdf"
        if not pack.rows:
            for stale in (html_path, pdf_path):
                stale.unlink(missing_ok=True)
            continue
        html = render_pack(templates, pack)
        data, *_ = render_pdf(html, folder, project.root, relative(pdf_path, project.root), templates)
        write_atomic(html_path, html)
        write_atomic(pdf_path, data)
        written += [html_path, pdf_path]
    return written
