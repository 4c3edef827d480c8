"""The ``ldn-i18n`` command: :func:`main` (argv -> exit code), one library call per command.

Exit codes: 0 success, 1 a stage reported errors (e.g. an edition failed),
2 unusable input or usage. Errors print as ``path:line: error: message``;
no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import LdnError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ldn-i18n", description=(
        "Multilingual patient handouts: extract messages, update catalogs, build HTML and PDF."))
    parser.add_argument("--version", action="version", version=f"ldn-i18n {__version__}")
    parser.add_argument("--root", default=".", help="project folder (default: current directory)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write locale/<domain>.pot from handouts and templates")
    update = commands.add_parser("update", help="create or merge locale/<LL>/LC_MESSAGES/*.po")
    update.add_argument("--locale", action="append", metavar="LL",
                        help="locale to create or update (repeatable; default: every existing one)")
    build = commands.add_parser("build", help="write dist/<lang>/<handout>.html and .pdf")
    build.add_argument("--locale", action="append", metavar="LL",
                       help="build only this locale (repeatable; en is the source)")
    build.add_argument("--format", default="html,pdf", help="comma-separated: html, pdf")
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
        from .update import update

        for path in update(project, args.locale):
            print(f"wrote {path.relative_to(project.root)}")
        return 0
    from .build import build

    formats = tuple(part.strip() for part in args.format.split(",") if part.strip())
    report = build(project, args.locale, formats)
    for result in report.results:
        if result.error:
            print(result.error, file=sys.stderr)
        else:
            state = "draft" if result.draft else "final"
            print(f"{result.locale}/{result.handout}: {state}")
    print(report.summary(), file=sys.stderr if report.failed else sys.stdout)
    return 1 if report.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except LdnError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: one line unless debugging
        if os.environ.get("LDN_I18N_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} "
              "(set LDN_I18N_DEBUG=1 for the traceback and report it)", file=sys.stderr)
        return 2
