"""How many times a cold build reads and parses each catalog.

    .venv/bin/python bench/parses.py            # the real project, a clean build

Runs ``ldn-i18n build`` in this process, on a fresh copy of the real project, as a first
build (``LDN_I18N_NO_CACHE``), with every reading of a ``.po`` file's bytes and every PO
parser counted (in the forked workers too: each event is appended to a log file). Prints,
per catalog, the reads and the parses, and the totals.
"""

from __future__ import annotations

import collections
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _log(log: Path, kind: str, where: object) -> None:
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"{kind}\t{where}\n")


def main() -> int:
    os.environ["LDN_I18N_NO_CACHE"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        skipped = shutil.ignore_patterns(".venv", ".uv", ".git", "dist", "tests", "bench")
        shutil.copytree(REPO, root, ignore=skipped)
        log = Path(tmp) / "events.log"
        read_bytes = Path.read_bytes

        def counted_read(self: Path) -> bytes:
            data = read_bytes(self)
            if self.suffix == ".po":
                _log(log, "read", self.relative_to(root) if self.is_relative_to(root) else self)
            return data

        Path.read_bytes = counted_read  # type: ignore[method-assign]
        from babel.messages import pofile

        babel_parse = pofile.PoFileParser.parse

        def counted_babel(self: pofile.PoFileParser, fileobj: object) -> None:
            _log(log, "parse", "babel")
            babel_parse(self, fileobj)  # type: ignore[arg-type]

        pofile.PoFileParser.parse = counted_babel  # type: ignore[method-assign]
        try:
            import polib

            polib_parse = polib.pofile

            def counted_polib(*args: object, **kwargs: object) -> object:
                _log(log, "parse", "polib")
                return polib_parse(*args, **kwargs)  # type: ignore[arg-type]

            polib.pofile = counted_polib  # type: ignore[assignment]
        except ImportError:
            pass
        from ldn_i18n import pofiles

        scan = pofiles.syntax_errors if hasattr(pofiles, "syntax_errors") else None
        if scan is not None:

            def counted_scan(data: bytes) -> object:
                _log(log, "parse", "scanner")
                return scan(data)  # type: ignore[misc]

            pofiles.syntax_errors = counted_scan  # type: ignore[assignment]
            for module in list(sys.modules.values()):
                ours = getattr(module, "__name__", "").startswith("ldn_i18n")
                if ours and getattr(module, "syntax_errors", None) is scan:
                    module.syntax_errors = counted_scan  # type: ignore[attr-defined]
        from ldn_i18n.cli import main as cli

        os.chdir(root)
        code = cli(["build"])
        events = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    reads = collections.Counter(where for kind, where in events if kind == "read")
    parses = collections.Counter(where for kind, where in events if kind == "parse")
    catalogs = len(reads)
    print(f"build exit {code}; {catalogs} catalogs read")
    for path, count in sorted(reads.items()):
        print(f"  {count:3d} reads  {path}")
    print(f"reads:  {sum(reads.values())} ({sum(reads.values()) / max(catalogs, 1):.1f} per catalog)")
    for parser, count in sorted(parses.items()):
        print(f"parses by {parser}: {count} ({count / max(catalogs, 1):.1f} per catalog)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
