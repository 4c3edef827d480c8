"""Shared fixtures and helpers: a throw-away copy of the real project, one full build of it,
the command line (:func:`run_cli`), catalog edits (:func:`edit_catalog`), and the oracles that
read our output back (msgfmt, PDF text, embedded fonts).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from unittest import mock

import pikepdf
import polib
import pytest
from babel.messages.catalog import Message
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from ldn_i18n import fonts
from ldn_i18n.editions import BuildReport, build
from ldn_i18n.extract import extract
from ldn_i18n.files import write_atomic
from ldn_i18n.markup import plain_text
from ldn_i18n.pofiles import catalog_bytes, read_catalog
from ldn_i18n.project import Project, load_project
from ldn_i18n.pseudo import write_pseudo
from ldn_i18n.review.signoff import message_key
from ldn_i18n.text import nfc
from ldn_i18n.update import update

REPO = Path(__file__).resolve().parent.parent
# Catalog statuses kept between builds (ldn_i18n.catalogs) go to this run's own folder, never to
# the home of whoever runs the tests; subprocesses inherit it.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ldn-i18n-test-cache-")
#: The clinic's original handout, copied from shared/seed/ so the oracle is always here.
SEED = Path(__file__).parent / "fixtures" / "seed-ldn-overview.txt"
SHARED_SEED = REPO.parent / "shared" / "seed" / "ldn-overview-handout.txt"

MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (scripts/setup.sh installs it)"
)
#: How every browser test starts Chromium: headless, offline, with nothing of its own running.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless and offline (:data:`CHROMIUM_FLAGS`), driven by Playwright: the
    one browser every browser test uses, launched once per run. Each test opens its pages in a
    context of its own (``chromium.new_context()``, or ``new_page()``, which makes one), which starts
    with no cookies, storage or cache of another's. Skips where Chromium or Playwright is not
    installed."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it)")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


# --- the project ---------------------------------------------------------------------------------


#: The Florida clinic's project, frozen for the tests (tests/fixtures/florida/README.md): the suite
#: copies it, never the repository's own source/ and locale/, which a clinic's fork replaces.
FLORIDA = Path(__file__).parent / "fixtures" / "florida"
#: Whether the repository's source/ is still the Florida clinic's (the LDN handout): the tests
#: about the repository's own content (marked ``repo_content``) run only then.
FLORIDA_CONTENT = (REPO / "source" / "handouts" / "ldn-overview.md").is_file()


#: Fixtures whose set-up builds editions, opens a browser or serves the workbench: every test that
#: uses one is marked ``slow``; tests that build or run a command end to end in their own body are
#: marked ``slow`` where they are written. ``scripts/test.sh -m "not slow"`` is the fast suite.
SLOW_FIXTURES = frozenset(
    {
        "bilingual",
        "browser",
        "built",
        "chromium",
        "matrix",
        "merged",
        "noticed",
        "numbered",
        "pages",
        "pdfua_checker",
        "released",
        "scripts_built",
        "server",
        "zoom",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "repo_content: about the repository's own source/ and locale/ (the Florida clinic's); "
        "skipped in a fork whose source/ holds another clinic's handouts",
    )
    config.addinivalue_line(
        "markers",
        "slow: builds editions, opens a browser or runs a command end to end; "
        '`scripts/test.sh -m "not slow"` runs the rest in under a minute',
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if FLORIDA_CONTENT:
        return
    skip = pytest.mark.skip(
        reason="about the Florida clinic's content, which this repository's source/ no longer holds "
        "(repo_content: docs/new-clinic.md)"
    )
    for item in items:
        if "repo_content" in item.keywords:
            item.add_marker(skip)


def copy_project(target: Path, source: Path = FLORIDA) -> Project:
    """The source and locale folders of ``source`` (default: the frozen Florida clinic) copied under
    ``target``, with its templates folder, or the package's templates when it has none."""
    for folder in ("source", "locale"):
        shutil.copytree(source / folder, target / folder)
    templates = source / "templates" if (source / "templates").is_dir() else REPO / "templates"
    shutil.copytree(templates, target / "templates")
    return load_project(target)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture
def small(project: Project) -> Project:
    """The Florida project with English, Spanish and Arabic only."""
    for locale in ("ht", "pt_BR", "vi", "zh_Hans"):
        shutil.rmtree(project.locale_dir / locale)
    return project


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole run: with pytest-xdist (``-n``), the one every worker's
    own folder (``popen-gw0``...) is in; else the run's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder ``name`` made once per run, however many xdist workers ask for it: yields the folder
    and whether this caller must make it, holding a lock meanwhile, which the others wait for."""
    folder = run_folder(tmp_path_factory) / name
    with open(run_folder(tmp_path_factory) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / ".made"
        yield folder, not done.exists()
        folder.mkdir(exist_ok=True)
        done.touch()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The Florida project extracted, updated and built (every language, HTML and PDF, and the
    pseudo-locale) once per run and shared by every xdist worker: tests only read it (their
    screenshots go to its dist/screenshots/, each under a name of its own)."""
    with once_per_run(tmp_path_factory, "built") as (folder, make):
        if not make:
            return load_project(folder / "project")
        proj = copy_project(folder / "project")
        extract(proj)
        update(proj)
        write_pseudo(proj)
        report = build(proj)
        assert not report.failed, report.summary()
        return proj


#: What the sample handout of ``ldn-i18n init``'s starter project is called.
SAMPLE = "first-handout"


@pytest.fixture
def started(tmp_path: Path) -> Project:
    """A new clinic's project, as ``ldn-i18n init`` leaves it (none of the repository's content)."""
    run_cli(None, "init", str(tmp_path / "clinic"), check=0)
    return load_project(tmp_path / "clinic")


def set_clinic(project: Project, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the clinic file; the 1-based line where ``new`` starts."""
    text = project.clinic_path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    project.clinic_path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


@pytest.fixture(scope="session")
def seed_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    if SHARED_SEED.is_file():
        assert SHARED_SEED.read_text(encoding="utf-8") == text, "tests/fixtures seed copy is stale"
    return text


# --- the command line ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What one run of ``ldn-i18n`` gave back."""

    code: int
    """The exit code."""
    out: str
    """Everything it wrote to standard output."""
    err: str
    """Everything it wrote to standard error."""

    def __str__(self) -> str:  # what an assertion message shows
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


Via = Literal["main", "module", "script"]


def _argv(root: Project | Path | None, args: tuple[str, ...]) -> list[str]:
    if root is None:
        return list(args)
    return ["--root", str(root.root if isinstance(root, Project) else root), *args]


def cli_command(root: Project | Path | None, *args: str, via: Via = "module") -> list[str]:
    """The command line of ``ldn-i18n [--root ROOT] ARGS`` as a new process runs it.

    ``via="module"`` is ``python -m ldn_i18n``; ``via="script"`` the console script
    installed next to this Python (and a failure when it is not installed).
    """
    argv = _argv(root, args)
    if via == "script":
        script = shutil.which("ldn-i18n", path=str(Path(sys.executable).parent))
        assert script, "the ldn-i18n console script is not installed next to this Python"
        return [script, *argv]
    return [sys.executable, "-m", "ldn_i18n", *argv]


def run_cli(
    root: Project | Path | None,
    *args: str,
    check: int | None = None,
    via: Via = "main",
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> Result:
    """Run ``ldn-i18n [--root ROOT] ARGS`` and return its exit code and output.

    ``via="main"`` calls :func:`ldn_i18n.cli.main` in this process, and echoes what it
    printed to this process's streams, where pytest shows it on a failure. ``"module"``
    and ``"script"`` run it as a real process (:func:`cli_command`), with no terminal
    and an empty stdin: for what only a process shows, such as ``sys.exit`` from
    ``--help``, the installed entry point or a traceback that escapes ``main``.
    ``env`` is added to the environment and ``cwd`` is the working folder, either way;
    ``check`` asserts the exit code.
    """
    if via == "main":
        from ldn_i18n.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch.dict(os.environ, env or {}))
            if cwd is not None:
                stack.enter_context(contextlib.chdir(cwd))
            stack.enter_context(contextlib.redirect_stdout(out))
            stack.enter_context(contextlib.redirect_stderr(err))
            try:
                code = main(_argv(root, args))
            except SystemExit as exc:  # argparse: --help, --version, a usage error
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        sys.stdout.write(out.getvalue())
        sys.stderr.write(err.getvalue())
        result = Result(code, out.getvalue(), err.getvalue())
    else:
        done = subprocess.run(
            cli_command(root, *args, via=via),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            timeout=timeout,
        )
        result = Result(done.returncode, done.stdout, done.stderr)
    if check is not None:
        assert result.code == check, result
    return result


# --- catalogs ------------------------------------------------------------------------------------


def edit_catalog(
    path: Path,
    msgid: str | Callable[[Message], bool] | None = None,
    *,
    msgstr: str | Callable[[Message], str] | None = None,
    replace: tuple[str, str] | None = None,
    fuzzy: bool | None = None,
    previous: list[str] | None = None,
    comment: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> list[int]:
    """Edit a .po file as a translator's editor does (read, change, write); the msgstr lines edited.

    The messages edited are the live ones whose msgid is ``msgid``, or that ``msgid``
    accepts; without ``msgid``, those whose translation contains ``replace[0]``. At
    least one must be found. For each, ``msgstr`` sets the translation (or makes it
    from the message), ``replace=(old, new)`` changes part of it, ``fuzzy`` sets or
    clears the flag, ``previous`` sets the ``#|`` previous msgid (``[]`` drops it, as
    Poedit does on clearing the flag) and ``comment`` the translator comment.
    ``headers`` sets header fields (``Last-Translator`` or extra ones). The lines are
    1-based, in file order, read back with polib (:func:`_msgstr_line`).
    """
    catalog = read_catalog(path)
    live = [m for m in catalog if m.id]
    if isinstance(msgid, str):
        chosen = [m for m in live if (m.id if isinstance(m.id, str) else m.id[0]) == msgid]
    elif msgid is not None:
        chosen = [m for m in live if msgid(m)]
    elif replace is not None:
        chosen = [m for m in live if isinstance(m.string, str) and replace[0] in m.string]
    else:
        chosen = []
    if msgid is None and replace is None:
        edits = (msgstr, fuzzy, previous, comment)
        assert all(edit is None for edit in edits), "which messages? give msgid or replace"
    else:
        assert chosen, f"{path}: no message {msgid or replace!r}"
    for message in chosen:
        if msgstr is not None:
            message.string = msgstr(message) if callable(msgstr) else msgstr
        if replace is not None:
            assert isinstance(message.string, str) and replace[0] in message.string, (message.id, replace)
            message.string = message.string.replace(*replace)
        if fuzzy is not None:
            (message.flags.add if fuzzy else message.flags.discard)("fuzzy")
        if previous is not None:
            message.previous_id = previous
        if comment is not None:
            message.user_comments = [comment]
    for name, value in (headers or {}).items():
        if name.lower() == "last-translator":
            catalog.last_translator = value
        else:
            catalog.set_header(name, value)
    write_atomic(path, catalog_bytes(catalog))
    return [_msgstr_line(path, m.id if isinstance(m.id, str) else m.id[0], msgctxt=m.context) for m in chosen]


def _msgstr_line(path: Path, msgid: str, msgctxt: str | None = None) -> int:
    """The 1-based line of the msgstr of the live entry ``msgid`` (in ``msgctxt``): what errors cite.

    Read with polib, not with the code under test.
    """
    entry = next(
        e
        for e in polib.pofile(str(path), wrapwidth=0)
        if e.msgid == msgid and e.msgctxt == msgctxt and not e.obsolete
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i in range(entry.linenum - 1, len(lines)) if lines[i].startswith("msgstr"))


def break_catalog(
    project: Project, locale: str = "es", msgid: str = "Is LDN safe?", domain: str = "ldn-overview"
) -> tuple[Path, int]:
    """Make ``locale``'s catalog ``domain`` unreadable, as a careless hand edit does: the msgstr of
    ``msgid`` loses its closing quote. The catalog and the 1-based line of that msgstr, which is
    where its error must point."""
    po = project.po_path(locale, domain)
    line = _msgstr_line(po, msgid)
    lines = po.read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].endswith('"'), lines[line - 1]
    lines[line - 1] = lines[line - 1][:-1]
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return po, line


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """GNU ``msgfmt --check`` of one catalog (the oracle for every catalog we write)."""
    return subprocess.run(
        [MSGFMT or "msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )


def fill_back_translation(project: Project, locale: str = "es", domain: str = "ldn-overview") -> Path:
    """A back-translator's work, done faithfully: each back entry is its English source as plain text.

    No entry is left fuzzy, and the back-translator signs the catalog.
    """
    english = {
        message_key(m.context, m.id): str(m.id) for m in read_catalog(project.po_path(locale, domain)) if m.id
    }
    path = project.back_path(locale, domain)
    edit_catalog(
        path,
        lambda message: True,
        msgstr=lambda message: plain_text(english[str(message.context)]),
        fuzzy=False,
        previous=[],
        headers={"Last-Translator": "Luis Gómez <luis@example.org>"},
    )
    return path


# --- reading our output back ---------------------------------------------------------------------


def calls_of(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[Any, ...]]:
    """The positional arguments of every call to ``owner.name`` in this process from now on
    (calls in a worker forked later stay in the worker); the function still runs."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return calls


def pdf_text(path: Path) -> str:
    """The text of a PDF as read back from the file, whitespace folded."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def made(report: BuildReport) -> list[str]:
    """The keys of the editions a build made (not reused from the build before), sorted."""
    return sorted(r.key for r in report.results if not r.reused)


def expected(path: Path) -> list[tuple[int, str, str]]:
    """The findings a golden catalog states for itself: its ``# expect: LINE LEVEL CODE`` lines."""
    text = path.read_bytes().decode("utf-8", "replace")
    return [
        (int(line), level, code)
        for line, level, code in re.findall(r"^# expect: (\d+) (\w+) ([\w-]+)$", text, re.M)
    ]


def squeezed(text: str) -> str:
    """Text without whitespace or hyphens: line breaks and hyphenation fall anywhere."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def printed(text: str) -> str:
    """A message's text as an edition prints it, squeezed: NFC, no citation group, no Markdown markers."""
    return squeezed(plain_text(re.sub(r"\s*\[@[^\]]*\]", "", nfc(text))))


#: Characters that are layout, not text: pypdf may report them without any glyph.
INVISIBLE = set(" \n\t\u00a0\u202f\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: The script of each locale's letters, as their Unicode names begin; LATIN for the others.
SCRIPT_OF = {"ar": "ARABIC", "zh_Hans": "CJK"}


#: How the language-assistance notice's English starts (source/notice.md): its page is the last.
NOTICE_OPENING = "ATTENTION: Free language assistance"


def handout_pages(path: Path) -> range:
    """The pages of an edition's PDF before the language-assistance notice (every page without one)."""
    pages = PdfReader(path).pages
    start = next(
        (
            n
            for n, page in enumerate(pages)
            if squeezed(NOTICE_OPENING) in squeezed(page.extract_text() or "")
        ),
        len(pages),
    )
    return range(start)


def fonts_drawn_with(path: Path, page: int) -> set[str]:
    """The resource names (``/F1``) of the fonts page ``page`` (0-based) draws text with."""
    with pikepdf.open(path) as pdf:
        return {
            str(operands[0])
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[page])
            if str(operator) == "Tf"
        }


def handout_fonts(path: Path) -> dict[str, set[str]]:
    """The fonts of an edition's own pages (the notice after them prints every script's face)."""
    return embedded_fonts(path, handout_pages(path))


def embedded_fonts(path: Path, pages: range | None = None) -> dict[str, set[str]]:
    """Each embedded font's name and the characters its real glyphs (not .notdef) draw, on
    ``pages`` (default: all).

    Read from the font's ToUnicode map: a subset font's cmap lacks characters
    drawn only through shaped forms (Arabic), and CFF fonts have no cmap.
    """
    fonts: dict[str, set[str]] = {}
    reader = PdfReader(path)
    for number, page in enumerate(reader.pages):
        if pages is not None and number not in pages:
            continue
        # WeasyPrint gives every page the document's fonts: those a page draws with are in its text.
        used = fonts_drawn_with(path, number) if pages is not None else None
        for key, font in page["/Resources"]["/Font"].items():
            if used is not None and key not in used:
                continue
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "font not embedded"
            name = str(descriptor["/FontName"]).split("+", 1)[-1]
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            drawn = fonts.setdefault(name, set())
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for gid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    if int(gid, 16) != 0:
                        drawn.update(bytes.fromhex(text).decode("utf-16-be"))
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for line in block.strip().splitlines():
                    start, end, first = (int(h, 16) for h in re.findall(r"<([0-9a-fA-F]+)>", line)[:3])
                    drawn.update(chr(first + i) for i in range(end - start + 1) if start + i != 0)
    return fonts


def unglyphed(path: Path) -> list[str]:
    """Each character of a PDF's text, read back, that no embedded font draws: ``U+XXXX NAME``."""
    covered = set().union(*embedded_fonts(path).values())
    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    missing = {ch for ch in text if ch not in INVISIBLE and ch not in covered}
    return [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in sorted(missing)]


def assert_in_its_script(text: str, locale: str) -> None:
    """Most letters of ``text`` are in the locale's script: over 95 % Latin, or 60 % of another."""
    letters = [ch for ch in text if ch.isalpha()]
    script = SCRIPT_OF.get(locale, "LATIN")
    share = sum(unicodedata.name(ch, "").startswith(script) for ch in letters) / len(letters)
    assert share > (0.6 if script != "LATIN" else 0.95), (locale, share)


def missing_glyphs(path: Path) -> list[str]:
    """Glyphs the PDF draws that its embedded font lacks: page, font and glyph id.

    WeasyPrint draws a character no font has as a glyph id past the end of the
    font (a viewer shows the .notdef box), and its ToUnicode map still names the
    character: only the font program itself tells.
    """
    found = []
    drawn = 0
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            sizes = {}
            for key, font in page.Resources.Font.items():
                descriptor = font.DescendantFonts[0].FontDescriptor
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                glyphs = TTFont(io.BytesIO(program.read_bytes()))["maxp"].numGlyphs
                sizes[str(key)] = (str(descriptor.FontName), glyphs)
            name, glyphs = "", 0
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    name, glyphs = sizes[str(operands[0])]
                elif str(operator) in ("Tj", "TJ"):
                    parts = operands[0] if str(operator) == "TJ" else [operands[0]]
                    codes = b"".join(bytes(part) for part in parts if isinstance(part, pikepdf.String))
                    for i in range(0, len(codes), 2):
                        glyph = int.from_bytes(codes[i : i + 2], "big")
                        drawn += 1
                        if not 0 < glyph < glyphs:
                            found.append(f"page {number}: {name} glyph {glyph}")
    assert drawn, "no glyph drawn in the pages' own content"  # else this would prove nothing
    return found


@pytest.fixture
def fontconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Point fontconfig at a configuration holding only the installed files of the given families."""
    listing = subprocess.run(
        ["fc-list", "-f", "%{family[0]}\t%{file}\n"], capture_output=True, text=True, check=True
    ).stdout
    installed = [line.split("\t") for line in listing.splitlines()]

    def use(*families: str) -> None:
        folder = tmp_path / "fonts"
        folder.mkdir()
        for file in sorted({file for family, file in installed if family in families}):
            (folder / Path(file).name).symlink_to(file)  # a collection (.ttc) holds several families
        assert not families or any(folder.iterdir()), families
        config = tmp_path / "fonts.conf"
        config.write_text(
            f'<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir>'
            f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
        )
        monkeypatch.setenv("FONTCONFIG_FILE", str(config))
        fonts.clear_cache()

    yield use
    fonts.clear_cache()


# --- reviewers and their keys --------------------------------------------------------------------


def add_reviewer(
    project: Project,
    email: str = "ana@example.org",
    name: str = "Ana Pérez",
    languages: tuple[str, ...] = ("es",),
    credential: str = "CoreCHI-P, Spanish",
) -> Path:
    """A throw-away ed25519 key made with ssh-keygen and listed in the project's source/reviewers,
    as a pull request would add it; the private key's path (outside the project)."""
    folder = project.root.parent / "keys"
    folder.mkdir(exist_ok=True)
    key = folder / email.replace("@", "_at_")
    if not key.exists():
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key)], check=True
        )
    kind, blob = Path(f"{key}.pub").read_text(encoding="utf-8").split()[:2]
    entry = (
        f"# name: {name}\n# languages: {', '.join(languages)}\n# credential: {credential}\n"
        f'{email} namespaces="ldn-i18n-signoff" {kind} {blob}\n'
    )
    path = project.root / "source" / "reviewers"
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")
    return key


def signer_args(
    project: Project, reviewer: str = "Ana Pérez <ana@example.org>", credential: str = "CoreCHI-P, Spanish"
) -> list[str]:
    """``--reviewer EMAIL --key PATH`` of ``reviewer`` (``Name <email>``), listed in source/reviewers
    with a throw-away key for every locale the project has, if not yet."""
    name, email = reviewer.rstrip(">").split(" <")
    key = project.root.parent / "keys" / email.replace("@", "_at_")
    listed = (project.root / "source" / "reviewers").read_text(encoding="utf-8")
    if f"\n{email} " not in listed:
        locales = tuple(sorted(p.name for p in project.locale_dir.iterdir() if (p / "LC_MESSAGES").is_dir()))
        key = add_reviewer(project, email, name, locales, credential)
    return ["--reviewer", email, "--key", str(key)]


def releasable(project: Project, locales: tuple[str, ...] = ("es",)) -> None:
    """What a release needs besides sign-offs, for tests of other things: each catalog of ``locales``
    names its translator, and the notice prints what is signed (``notice: signed-only``)."""
    policy = project.root / "source" / "policy.yaml"
    if not policy.exists():
        policy.write_text("default: {notice: signed-only}\n", encoding="utf-8")
    for locale in locales:
        name_translator(project, locale)


def name_translator(
    project: Project, locale: str = "es", translator: str = "Tomás Ruiz <tomas@example.org>"
) -> None:
    """Every catalog of ``locale`` names its (human) translator, as the policy requires for a release."""
    for po in (project.locale_dir / locale / "LC_MESSAGES").glob("*.po"):
        edit_catalog(po, headers={"Last-Translator": translator})


def sign_as(
    project: Project,
    locale: str,
    domain: str,
    reviewer: str = "Ana Pérez <ana@example.org>",
    credential: str = "CoreCHI-P, Spanish",
    messages: str = "pending",
) -> tuple[list[object], list[object]]:
    """``reviewer`` (listed with a key if not yet) signs ``locale``'s catalog ``domain``, through the
    library's one entry point; ``(signed, refused)``."""
    from ldn_i18n.review.signing import sign_catalogs

    args = signer_args(project, reviewer, credential)
    report = sign_catalogs(project, locale, args[1], messages=messages, domains=[domain], key=Path(args[3]))
    return list(report.catalogs[0].signed), list(report.catalogs[0].refused)
