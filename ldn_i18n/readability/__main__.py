"""``python -m ldn_i18n.readability [--root DIR]``: the readability table of every handout and locale.

One row per handout and locale (English first, then each catalog's locale;
pseudo-locales are left out), as Markdown, the table the README shows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import LdnError
from ..languages import PSEUDO_LOCALES
from ..pofiles import read_catalog
from ..project import SOURCE_LOCALE, load_project
from ..source import read_handout
from . import Figures, handout_figures


def _row(slug: str, figures: Figures) -> str:
    syllables = (
        f"{figures.syllables / figures.words:.2f}" if figures.syllables is not None and figures.words else "-"
    )
    unit = "characters" if figures.language in ("zh", "ja") else "words"
    return (
        f"| {slug} | `{figures.locale}` | {figures.sentences} | {figures.words} {unit} | "
        f"{figures.words_per_sentence:.1f} | {figures.longest_sentence} | {syllables} | {figures.summary} |"
    )


def table(root: str = ".") -> list[str]:
    """The Markdown table's lines for the project at ``root``."""
    project = load_project(root)
    lines = [
        "| handout | locale | sentences | length | per sentence | longest sentence "
        "| syllables per word | figures |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for path in project.handout_paths():
        handout = read_handout(path)
        lines.append(_row(handout.slug, handout_figures(handout, SOURCE_LOCALE)))
        for locale in project.locales():
            po = project.po_path(locale, handout.slug)
            if locale in PSEUDO_LOCALES or project.locale_problem(locale) or not po.is_file():
                continue
            lines.append(_row(handout.slug, handout_figures(handout, locale, read_catalog(po, locale))))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ldn_i18n.readability", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--root", default=".", help="the project folder (default: the current directory)")
    args = parser.parse_args(argv)
    try:
        lines = table(args.root)
    except LdnError as exc:
        print(exc, file=sys.stderr)
        return 2 if "not an ldn_i18n project" in str(exc) else 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
