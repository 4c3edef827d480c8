"""The ``ldn-i18n`` command: :func:`main` (argv -> exit code), one library call per command.

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
from .errors import LdnError

if TYPE_CHECKING:
    from .build import EditionResult
    from .project import Project


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ldn-i18n",
        description=("Multilingual patient handouts: extract messages, update catalogs, build HTML and PDF."),
    )
    parser.add_argument("--version", action="version", version=f"ldn-i18n {__version__}")
    parser.add_argument("--root", default=".", help="project folder (default: current directory)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write locale/<domain>.pot from handouts and templates")
    update = commands.add_parser("update", help="create or merge locale/<LL>/LC_MESSAGES/*.po")
    update.add_argument(
        "--locale",
        action="append",
        metavar="LL",
        help="locale to create or update (repeatable; default: every existing one)",
    )
    commands.add_parser("pseudo", help="generate the en_XA pseudo-locale (accented, 35%% longer)")
    check = commands.add_parser("check", help="find what breaks a medical handout in translation")
    check.add_argument("--locale", action="append", metavar="LL", help="check only this locale (repeatable)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    commands.add_parser("status", help="table of every locale x handout; writes dist/status.{html,json}")
    review = commands.add_parser("review", help="record a qualified reviewer's sign-off, message by message")
    review.add_argument("--locale", required=True, metavar="LL")
    review.add_argument("--reviewer", required=True, metavar="'NAME <EMAIL>'")
    review.add_argument(
        "--credential", metavar="TEXT", help="the reviewer's qualification, as it should be recorded"
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
    pack = commands.add_parser(
        "review-pack", help="write the reviewer's bilingual pack dist/review/<lang>/<handout>.pdf and .html"
    )
    pack.add_argument("--locale", required=True, metavar="LL", help="the translation to review")
    pack.add_argument(
        "--handout", metavar="H", help="only this handout (or templates; default: every one, and templates)"
    )
    pack.add_argument("--all", action="store_true", help="every message, not only those pending review")
    back = commands.add_parser("back", help="create or merge blind back-translations locale/<LL>/back/*.po")
    back.add_argument("--locale", required=True, metavar="LL", help="the translation to back-translate")
    build = commands.add_parser("build", help="write dist/<lang>/<handout>.html, .pdf and .large.pdf")
    build.add_argument(
        "--locale",
        action="append",
        metavar="LL",
        help="build only this locale (repeatable; en is the source)",
    )
    build.add_argument(
        "--format",
        default="html,pdf,large",
        help="comma-separated: html, pdf, large (the large-print PDF); default: all three",
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
    return parser


def _run(args: argparse.Namespace) -> int:
    from .project import load_project

    project = load_project(args.root)
    if args.command == "extract":
        from .extract import extract

        for path in extract(project):
            print(f"wrote {path.relative_to(project.root)}")
        return 0
    if args.command == "update":
        from .update import CatalogErrors, update

        try:
            written, failed = update(project, args.locale), None
        except CatalogErrors as exc:
            written, failed = exc.written, exc
        for path in written:
            print(f"wrote {path.relative_to(project.root)}")
        if failed:
            print(f"{failed}\n{len(failed.errors)} catalogs left unchanged", file=sys.stderr)
            return 1
        return 0
    if args.command == "pseudo":
        from .pseudo import write_pseudo

        for path in write_pseudo(project):
            print(f"wrote {path.relative_to(project.root)}")
        return 0
    if args.command == "check":
        return _check(project, args)
    if args.command == "status":
        from .status import as_table, project_status, write_status

        status = project_status(project)
        print(as_table(status))
        for path in write_status(project, status):
            print(f"wrote {path.relative_to(project.root)}")
        for problem in status.problems:
            print(problem.relative_to(project.root), file=sys.stderr)
        return 1 if status.problems else 0
    if args.command == "review":
        return _review(project, args)
    if args.command == "back":
        return _back(project, args)
    if args.command == "review-pack":
        return _review_pack(project, args)
    return _build(project, args)


def _build(project: Project, args: argparse.Namespace) -> int:
    from .build import build

    formats = tuple(part.strip() for part in args.format.split(",") if part.strip())
    total = len(project.handout_paths()) * (len(args.locale) if args.locale else 1 + len(project.locales()))
    with _progress(total) as show:
        outcome = build(
            project,
            args.locale,
            formats,
            release=args.release,
            jobs=args.jobs,
            force=args.force,
            on_result=lambda result: show(_result_lines(result)),
            with_pseudo=args.with_pseudo,
        )
    print(outcome.summary(), file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


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
def _progress(total: int) -> Iterator[Callable[[list[tuple[str, bool]]], None]]:
    """A progress bar on a terminal; one plain line per edition anywhere else (CI logs).

    The callable takes the lines of one finished edition.
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


def _check(project: Project, args: argparse.Namespace) -> int:
    import json

    from .check import check_project

    findings = check_project(project, args.locale)
    errors = sum(f.level == "error" and f.counts for f in findings)
    warnings = sum(f.level == "warning" and f.counts for f in findings)
    suppressed = len(findings) - errors - warnings
    if args.format == "json":
        print(
            json.dumps(
                {
                    "version": 1,
                    "findings": [f.as_dict() for f in findings],
                    "summary": {"errors": errors, "warnings": warnings, "suppressed": suppressed},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    elif args.format == "github":
        for f in findings:
            text = f"{f.message} [msgid: {f.msgid}]" if f.msgid else f.message
            if not f.counts:
                text = f"suppressed by noqa ({f.suppressed or 'no reason'}): {text}"
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            level = f.level if f.counts else "notice"
            print(f"::{level} file={f.path},line={f.line},title={f.code}::{text}")
    else:
        for f in findings:
            print(f)
        print(f"{errors} errors, {warnings} warnings, {suppressed} suppressed", file=sys.stderr)
    return 1 if errors else 0


def _review(project: Project, args: argparse.Namespace) -> int:
    from .check import check_catalog, load_rules
    from .files import relative
    from .review.signoff import sign

    domains = args.domain or project.domains()
    paths = [project.po_path(args.locale, domain) for domain in domains]
    for domain, path in zip(domains, paths, strict=True):
        if not path.is_file():
            raise LdnError(f"no catalog {domain}.po for locale {args.locale!r}")
    if args.revision:  # the reviewer signs what the pack showed them, nothing edited since
        from .pofiles import read_catalog
        from .review.signoff import content_hash

        for path in paths:
            current = content_hash(read_catalog(path, args.locale))
            if current not in args.revision:
                raise LdnError(
                    f"the catalog changed since the review pack was made (content hash {current}, "
                    f"pack {', '.join(args.revision)}): make a new pack with `ldn-i18n review-pack`",
                    path,
                )
    rules = load_rules(project, args.locale)
    refused_any = False
    for domain, path in zip(domains, paths, strict=True):
        findings = check_catalog(path, rules, project.root)
        errors: dict[int, list[str]] = {}
        for finding in findings:
            if finding.level == "error" and finding.counts:
                errors.setdefault(finding.line, []).append(finding.code)
            elif not finding.counts:  # the reviewer signs these off knowingly
                print(f"{finding}: confirm this reason before signing", file=sys.stderr)
        file_errors = [f for f in findings if f.level == "error" and f.counts and not f.msgid]
        if file_errors:
            raise LdnError(f"{file_errors[0].code}: {file_errors[0].message}", path, file_errors[0].line)
        signed, refused = sign(path, args.locale, args.reviewer, args.credential or "", args.messages, errors)
        where = relative(path, project.root)
        for refusal in refused:
            excerpt = str(refusal.review.message.id)[:60]
            print(
                f"{where}:{refusal.line}: error: not signed ({refusal.reason}) [msgid {excerpt!r}]",
                file=sys.stderr,
            )
        refused_any = refused_any or bool(refused)
        print(f"signed {len(signed)} messages of {args.locale}/{domain} for {args.reviewer}")
    return 1 if refused_any else 0


def _back(project: Project, args: argparse.Namespace) -> int:
    from .review.back import update_back

    for path in update_back(project, args.locale):
        print(f"wrote {path.relative_to(project.root)}")
    return 0


def _review_pack(project: Project, args: argparse.Namespace) -> int:
    from .review.pack import write_pack

    written = write_pack(project, args.locale, args.handout, args.all)
    for path in written:
        print(f"wrote {path.relative_to(project.root)}")
    if not written:
        print(f"no message of {args.locale} is pending review (--all gives every message)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
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
