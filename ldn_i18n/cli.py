"""The ``ldn-i18n`` command: :func:`main` (argv -> exit code), one library call per command.

Each subcommand's parser names its function (``set_defaults(func=...)``);
the function calls the stage's public entry point with the parsed arguments
and prints what it returns. Nothing here decides what a stage does.

Exit codes: 0 success, 1 a stage reported errors (e.g. an edition failed),
2 unusable input or usage. Errors print as ``path:line: error: message``;
no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cli_start import add_start_commands, template_warnings
from .errors import LdnError

if TYPE_CHECKING:
    from .editions import EditionResult
    from .project import Project


def _formats(text: str) -> tuple[str, ...]:
    """``--format html,pdf`` as ``("html", "pdf")``."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ldn-i18n",
        description=("Multilingual patient handouts: extract messages, update catalogs, build HTML and PDF."),
    )
    parser.add_argument("--version", action="version", version=f"ldn-i18n {__version__}")
    parser.add_argument("--root", default=".", help="project folder (default: current directory)")
    commands = parser.add_subparsers(dest="command", required=True)
    add_start_commands(commands)
    extract = commands.add_parser("extract", help="write locale/<domain>.pot from handouts and templates")
    extract.set_defaults(func=_extract)
    update = commands.add_parser("update", help="create or merge locale/<LL>/LC_MESSAGES/*.po")
    update.add_argument(
        "--locale",
        action="append",
        metavar="LL",
        help="locale to create or update (repeatable; default: every existing one)",
    )
    update.add_argument(
        "--no-memory",
        dest="memory",
        action="store_false",
        help="do not fill empty messages from the language's other catalogs (the translation memory: "
        "an identical English gets its translation, a close one (70%% of words) the closest; "
        "both fuzzy, with a 'memory:' comment naming the catalog; see docs/memory.md)",
    )
    update.set_defaults(func=_update)
    pseudo = commands.add_parser("pseudo", help="generate the en_XA pseudo-locale (accented, 35%% longer)")
    pseudo.set_defaults(func=_pseudo)
    check = commands.add_parser("check", help="find what breaks a medical handout in translation")
    check.add_argument("--locale", action="append", metavar="LL", help="check only this locale (repeatable)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.set_defaults(func=_check)
    status = commands.add_parser(
        "status", help="table of every locale x handout; writes dist/status.{html,json}"
    )
    status.set_defaults(func=_status)
    review = commands.add_parser("review", help="record a qualified reviewer's sign-off, message by message")
    review.add_argument("--locale", required=True, metavar="LL")
    review.add_argument(
        "--reviewer", required=True, metavar="EMAIL", help="your e-mail address in source/reviewers"
    )
    review.add_argument(
        "--key",
        type=Path,
        metavar="PATH",
        help="your private SSH key (default: the key ssh-agent holds; docs/review.md)",
    )
    review.add_argument(
        "--credential",
        metavar="TEXT",
        help="only where signatures are optional and you are not in source/reviewers: your qualification",
    )
    review.add_argument(
        "--revision",
        action="append",
        metavar="HASH",
        help="sign only while the catalog's content hash is this (printed on the review pack; repeatable)",
    )
    review.add_argument(
        "--messages",
        choices=("pending", "all"),
        default="pending",
        help="sign the messages pending review (default) or every message again",
    )
    review.add_argument(
        "--domain",
        action="append",
        metavar="DOMAIN",
        help="sign off only this catalog (handout slug or templates; repeatable)",
    )
    review.set_defaults(func=_review)
    pack = commands.add_parser(
        "review-pack", help="write the reviewer's bilingual pack dist/review/<lang>/<handout>.pdf and .html"
    )
    pack.add_argument("--locale", required=True, metavar="LL", help="the translation to review")
    pack.add_argument(
        "--handout", metavar="H", help="only this handout (or templates; default: every one, and templates)"
    )
    pack.add_argument("--all", action="store_true", help="every message, not only those pending review")
    pack.set_defaults(func=_review_pack)
    back = commands.add_parser("back", help="create or merge blind back-translations locale/<LL>/back/*.po")
    back.add_argument("--locale", required=True, metavar="LL", help="the translation to back-translate")
    back.set_defaults(func=_back)
    build = commands.add_parser("build", help="write dist/<lang>/<handout>.html, .pdf and .large.pdf")
    build.add_argument(
        "--locale",
        action="append",
        metavar="LL",
        help="build only this locale (repeatable; en is the source)",
    )
    build.add_argument(
        "--format",
        type=_formats,
        default=None,
        help="comma-separated: html, pdf, large (the large-print PDF), bilingual (English and the language "
        "block by block: <handout>.bilingual.html and .bilingual.pdf, as html and pdf ask; see "
        "docs/bilingual.md); default: html,pdf,large, and bilingual too when source/clinic.yaml says "
        "`bilingual: true`",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="PDF rendering processes (default: the number of cores)",
    )
    build.add_argument("--force", action="store_true", help="rebuild editions whose inputs did not change")
    build.add_argument(
        "--release",
        action="store_true",
        help="publish only complete, reviewed, check-clean editions; exit 1 if any is skipped",
    )
    build.add_argument(
        "--with-pseudo",
        action="store_true",
        help="list the pseudo-locale (en_XA) and test locales in dist/index.html too",
    )
    build.add_argument(
        "--shard",
        metavar="K/N",
        help="build only share K of N of the editions (one machine of N; then `merge` their dist/)",
    )
    build.set_defaults(func=_build)
    merge = commands.add_parser(
        "merge",
        help="put the dist/ of each `build --shard K/N` together into dist/, as one build would leave it",
    )
    merge.add_argument("dirs", nargs="+", metavar="DIR", help="a shard's dist/ (e.g. a CI artifact)")
    merge.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes for what must be made again (default: the number of cores)",
    )
    merge.set_defaults(func=_merge)
    serve = commands.add_parser(
        "serve", help="the workbench: translate, preview, review and build in a web browser (local, token)"
    )
    serve.add_argument(
        "--port", type=int, default=8470, metavar="N", help="port (default 8470; 0: any free one)"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0: the clinic's network)",
    )
    serve.add_argument("--no-browser", action="store_true", help="print the address; do not open a browser")
    serve.add_argument(
        "--key",
        type=Path,
        metavar="PATH",
        help="the reviewer's private SSH key that signs her sign-offs (default: ssh-agent)",
    )
    serve.add_argument("--root", default=argparse.SUPPRESS, help="project folder (as before the command)")
    serve.set_defaults(func=_serve)
    return parser


def _wrote(project: Project, paths: list[Path]) -> None:
    for path in paths:
        print(f"wrote {path.relative_to(project.root)}")


def _extract(project: Project, args: argparse.Namespace) -> int:
    from .extract import extract

    _wrote(project, extract(project))
    template_warnings(project)
    return 0


def _update(project: Project, args: argparse.Namespace) -> int:
    from .update import update

    report = update(project, args.locale, memory=args.memory)
    _wrote(project, report.written)
    for path, count in report.from_memory.items():
        print(
            f"{path.relative_to(project.root)}: {count} message{'s' if count > 1 else ''} from the "
            "translation memory (fuzzy until the translator confirms them)"
        )
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.failed:
        for error in report.failed.values():
            print(error.relative_to(project.root), file=sys.stderr)
        print(f"{len(report.failed)} catalogs left unchanged", file=sys.stderr)
        return 1
    return 0


def _pseudo(project: Project, args: argparse.Namespace) -> int:
    from .pseudo import write_pseudo

    _wrote(project, write_pseudo(project))
    return 0


def _check(project: Project, args: argparse.Namespace) -> int:
    from .check import check_project, format_findings, tally

    findings = check_project(project, args.locale)
    text = format_findings(findings, args.format)
    if text:
        print(text)
    counts = tally(findings)
    if args.format == "text":
        print(counts, file=sys.stderr)
    return 1 if counts.errors else 0


def _status(project: Project, args: argparse.Namespace) -> int:
    from .status import as_table, project_status, write_status

    report = project_status(project)
    print(as_table(report))
    for edition, page in report.records():
        print(f"record of {edition}: {page.removeprefix('../')}")
    _wrote(project, write_status(project, report))
    for problem in report.problems:
        print(problem.relative_to(project.root), file=sys.stderr)
    return 1 if report.problems else 0


def _review(project: Project, args: argparse.Namespace) -> int:
    from .files import relative
    from .review.signing import sign_catalogs

    report = sign_catalogs(
        project,
        args.locale,
        args.reviewer,
        credential=args.credential or "",
        messages=args.messages,
        domains=args.domain,
        revisions=args.revision,
        key=args.key,
    )
    for catalog in report.catalogs:
        if catalog.changed:
            print(
                f"{relative(catalog.path, project.root)}: warning: changed while you signed: "
                "what you signed is what you were shown; the change is pending review",
                file=sys.stderr,
            )
        for finding in catalog.silenced:  # the reviewer signs these off knowingly
            print(f"{finding}: confirm this reason before signing", file=sys.stderr)
        where = relative(catalog.path, project.root)
        for refusal in catalog.refused:
            excerpt = str(refusal.review.message.id)[:60]
            print(
                f"{where}:{refusal.line}: error: not signed ({refusal.reason}) [msgid {excerpt!r}]",
                file=sys.stderr,
            )
        print(
            f"signed {len(catalog.signed)} messages of {report.locale}/{catalog.domain} for {report.reviewer}"
            + (
                " (unsigned: signatures are optional)"
                if report.signature == "unsigned" and catalog.signed
                else ""
            )
        )
    return 1 if report.refused else 0


def _review_pack(project: Project, args: argparse.Namespace) -> int:
    from .review.pack import write_pack

    written = write_pack(project, args.locale, args.handout, args.all)
    _wrote(project, written)
    if not written:
        print(f"no message of {args.locale} is pending review (--all gives every message)")
    return 0


def _back(project: Project, args: argparse.Namespace) -> int:
    from .review.back import update_back

    _wrote(project, update_back(project, args.locale))
    return 0


def _build(project: Project, args: argparse.Namespace) -> int:
    from .editions import build, parse_shard

    shard = parse_shard(args.shard) if args.shard is not None else None
    total = len(project.handout_paths()) * (
        len(args.locale) if args.locale else 1 + len(project.edition_locales())
    )
    with _progress(None if shard else total) as show:
        outcome = build(
            project,
            args.locale,
            args.format,
            release=args.release,
            jobs=args.jobs,
            force=args.force,
            on_result=lambda result: show(_result_lines(result)),
            with_pseudo=args.with_pseudo,
            shard=shard,
        )
    for line in outcome.errors:
        print(line, file=sys.stderr)
    for line in outcome.warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(outcome.summary(), file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


def _merge(project: Project, args: argparse.Namespace) -> int:
    from .editions import merge

    with _progress(None) as show:
        outcome = merge(
            project,
            [Path(folder) for folder in args.dirs],
            jobs=args.jobs,
            on_result=lambda result: show(_result_lines(result)),
        )
    _wrote(project, outcome.status)
    for line in outcome.build.errors + outcome.errors:
        print(line, file=sys.stderr)
    for line in outcome.warnings + outcome.build.warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(outcome.summary(), file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


def _serve(project: Project, args: argparse.Namespace) -> int:
    from .serve import serve

    try:
        return serve(project, args.host, args.port, open_browser=not args.no_browser, key=args.key)
    except OSError as exc:
        raise LdnError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None


def _result_lines(result: EditionResult) -> list[tuple[str, bool]]:
    """What to print for one finished edition: ``(line, goes to stderr)``."""
    if result.error:
        return [(result.error, True)]
    name = result.key
    if result.skipped:
        return [(f"{name}: not released: {'; '.join(result.skipped)}", True)]
    pages = f", {result.pages} pages" if result.pages else ""
    fresh = " (up to date)" if result.reused else ""
    lines = [(f"{name}: {'draft' if result.draft else 'final'}{pages}{fresh}", False)]
    return lines + [(f"{name}: warning: {w}", True) for w in result.warnings]


@contextmanager
def _progress(total: int | None) -> Iterator[Callable[[list[tuple[str, bool]]], None]]:
    """A progress bar on a terminal; one plain line per edition anywhere else (CI logs).

    The callable takes the lines of one finished edition; ``total`` None is a bar with no end.
    """
    if not (sys.stderr.isatty() and not os.environ.get("CI")):

        def plain(lines: list[tuple[str, bool]]) -> None:
            for line, to_stderr in lines:
                print(line, file=sys.stderr if to_stderr else sys.stdout, flush=True)

        yield plain
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("editions", total=total)

        def fancy(lines: list[tuple[str, bool]]) -> None:
            for line, to_stderr in lines:
                bar.console.print(line, style="red" if to_stderr else None, highlight=False)
            bar.advance(task)

        yield fancy


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        from .project import load_project

        if not getattr(args, "needs_project", True):
            return int(args.func(Path(args.root), args))
        command: Callable[[Project, argparse.Namespace], int] = args.func
        return command(load_project(args.root), args)
    except LdnError as exc:
        print(exc.relative_to(Path(args.root)), file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: one line unless debugging
        if os.environ.get("LDN_I18N_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set LDN_I18N_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return 2
