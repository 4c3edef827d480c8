"""The ``init`` and ``templates`` commands of :mod:`ldn_i18n.cli`: starting a clinic's project.

:func:`add_start_commands` adds their parsers; each command is one library call
(:func:`ldn_i18n.init.init_project`, :func:`ldn_i18n.templating.export_template`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .project import Project


def add_start_commands(commands: Any) -> None:
    """Add ``init`` and ``templates`` to the subcommands of the ``ldn-i18n`` parser."""
    init = commands.add_parser(
        "init",
        help="start a new clinic's project in DIR: clinic.yaml, notice, a sample handout, CI workflow",
        description=(
            "Write a working project for a new clinic into DIR (default: --root, the current folder): "
            "a commented source/clinic.yaml, source/notice.md (the language-assistance notice), an "
            "empty reference library, one sample handout, source/terms.yaml, a commented "
            "source/policy.yaml, .gitignore and .github/workflows/handouts.yml; then extract its "
            "messages and create the notice's catalogs from the package's shared drafts. "
            "`ldn-i18n build` then works at once. Never overwrites a file. See docs/new-clinic.md."
        ),
    )
    init.add_argument("dir", nargs="?", metavar="DIR", help="the new project's folder (made if needed)")
    init.set_defaults(func=_init, needs_project=False)
    templates = commands.add_parser(
        "templates",
        help="list the page templates, or copy one into templates/ to change it (overrides file by file)",
        description=(
            "A project's templates/ folder overrides the package's templates file by file: a file there "
            "replaces the package's file of the same name, every other template stays the package's. "
            "`list` shows each template and where it comes from; `export NAME` copies the package's "
            "NAME into templates/ to start from (never over an existing file)."
        ),
    )
    templates_commands = templates.add_subparsers(dest="action", required=True)
    templates_commands.add_parser("list", help="each template name and whether the project overrides it")
    export = templates_commands.add_parser("export", help="copy the package's template NAME into templates/")
    export.add_argument("name", metavar="NAME", help="a template name, such as handout.css.j2")
    templates.set_defaults(func=_templates)


def _init(root: Path, args: argparse.Namespace) -> int:
    from .files import relative
    from .init import init_project

    folder = Path(args.dir) if args.dir else root
    for path in init_project(folder):
        print(f"wrote {relative(path, folder.resolve())}")
    where = f" --root {args.dir}" if args.dir else ""
    print(
        f"next: edit source/clinic.yaml, then `ldn-i18n{where} build` (docs/new-clinic.md); "
        f"add a language with `ldn-i18n{where} update --locale LL`"
    )
    return 0


def _templates(project: Project, args: argparse.Namespace) -> int:
    from .files import relative
    from .templating import export_template

    if args.action == "list":
        for name in project.templates.names():
            path = project.templates.path(name)
            whose = relative(path, project.root) if path.is_relative_to(project.root) else "package"
            print(f"{name}\t{whose}")
        template_warnings(project)
        return 0
    path = export_template(project.templates, args.name, project.root / "templates")
    print(f"wrote {relative(path, project.root)}")
    return 0


def template_warnings(project: Project) -> None:
    """Print a warning for each file of the clinic's ``templates/`` that overrides nothing."""
    from .files import relative

    for path in project.templates.unknown():
        print(
            f"{relative(path, project.root)}: warning: overrides no template of the package and is "
            "never rendered (`ldn-i18n templates list` shows the names)",
            file=sys.stderr,
        )
