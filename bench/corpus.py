"""How much of a labelled corpus `check` catches: :func:`measure` (corpus catalogs -> :class:`Report`).

    .venv/bin/python bench/corpus.py                          # tests/fixtures/corpus/*.po
    .venv/bin/python bench/corpus.py --pofilter /tmp/ttk/bin/pofilter   # Translate Toolkit beside it
    .venv/bin/python bench/corpus.py --json                   # the same, for a machine

Each corpus catalog (``tests/fixtures/corpus/<locale>.po``) holds English ->
translation pairs, each labelled in its extracted comments with ``class:``
(rates, fractions, negation, omitted, numbers), ``label:`` (``dangerous``: one
error a patient could act on; ``correct``: a natural wording, often one that
looks like an error) and ``what:``. The catalog is run through the real
``check`` (:func:`ldn_i18n.check.check_catalog`, every message check and the
catalog-wide ones, with the project's do-not-translate terms ``LDN`` and
``FDA``): a dangerous pair is *caught* when it has an error-level finding, a
correct pair is a *false alarm* when it has one. Warnings count for neither.

With ``--pofilter``, Translate Toolkit's ``pofilter`` (every default test, the
language given) is run on the same catalogs: a pair it lists is caught
(dangerous) or a false alarm (correct). Install it apart from the project
(``python3 -m venv /tmp/ttk && /tmp/ttk/bin/pip install translate-toolkit``):
it is no dependency of ours.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ldn_i18n.check import Rules, check_catalog  # noqa: E402 (after the path above)
from ldn_i18n.pofiles import msgstr_line  # noqa: E402

CORPUS = REPO / "tests" / "fixtures" / "corpus"
CLASSES = ("rates", "fractions", "negation", "omitted", "numbers")


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair and what a checker found in it."""

    id: str
    """Its msgctxt, e.g. ``es-negation-03``."""
    locale: str
    cls: str
    """Its class: one of :data:`CLASSES`."""
    dangerous: bool
    """True for a dangerous translation, False for a correct one."""
    what: str
    english: str
    translation: str
    found: tuple[str, ...]
    """The codes (``check``) or test names (``pofilter``) flagged on it, at error level for ``check``."""

    @property
    def flagged(self) -> bool:
        return bool(self.found)


@dataclass(slots=True)
class Report:
    """A checker's result on the whole corpus."""

    checker: str
    pairs: list[Pair] = field(default_factory=list)

    def caught(self, cls: str | None = None) -> tuple[int, int]:
        """(caught, dangerous) over one class or all."""
        rows = [p for p in self.pairs if p.dangerous and cls in (None, p.cls)]
        return sum(p.flagged for p in rows), len(rows)

    def false_alarms(self, cls: str | None = None) -> tuple[int, int]:
        """(flagged, correct) over one class or all."""
        rows = [p for p in self.pairs if not p.dangerous and cls in (None, p.cls)]
        return sum(p.flagged for p in rows), len(rows)

    def missed(self) -> list[Pair]:
        return [p for p in self.pairs if p.dangerous and not p.flagged]

    def alarms(self) -> list[Pair]:
        return [p for p in self.pairs if not p.dangerous and p.flagged]


def _labels(entry: polib.POEntry) -> dict[str, str]:
    return dict(re.findall(r"^(class|label|what): (.*)$", entry.comment or "", re.M))


def corpus_paths(folder: Path = CORPUS) -> list[Path]:
    return sorted(folder.glob("*.po"))


def _entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path), wrapwidth=0) if not e.obsolete and e.msgid]


def _pair(path: Path, entry: polib.POEntry, found: list[str]) -> Pair:
    labels = _labels(entry)
    if labels.get("class") not in CLASSES or labels.get("label") not in ("dangerous", "correct"):
        raise SystemExit(f"{path}:{entry.linenum}: error: each pair needs `#. class:` and `#. label:`")
    return Pair(
        entry.msgctxt or "",
        path.stem,
        labels["class"],
        labels["label"] == "dangerous",
        labels.get("what", ""),
        entry.msgid,
        entry.msgstr,
        tuple(dict.fromkeys(found)),
    )


def measure(paths: list[Path]) -> Report:
    """``check`` over each corpus catalog: the error codes each pair gets."""
    report = Report("ldn-i18n check")
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        rules = Rules(path.stem, do_not_translate=["LDN", "FDA"])
        by_line: dict[int, list[str]] = {}
        for finding in check_catalog(path, rules):
            if finding.level == "error" and finding.counts:
                by_line.setdefault(finding.line, []).append(finding.code)
        for entry in _entries(path):
            report.pairs.append(_pair(path, entry, by_line.get(msgstr_line(lines, entry.linenum), [])))
    return report


def measure_pofilter(paths: list[Path], pofilter: str) -> Report:
    """Translate Toolkit's ``pofilter`` (default tests) over each corpus catalog."""
    report = Report("pofilter")
    for path in paths:
        language = path.stem.split("_")[0]
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "out.po"
            subprocess.run(
                [pofilter, f"--language={language}", "--progress=none", "-i", str(path), "-o", str(out)],
                check=True,
                capture_output=True,
            )
            flagged: dict[str, list[str]] = {}
            if out.exists():
                for entry in polib.pofile(str(out), wrapwidth=0):
                    tests = re.findall(r"\(pofilter\) ([\w-]+):", entry.tcomment or "")
                    flagged.setdefault(entry.msgctxt or "", []).extend(tests)
        for entry in _entries(path):
            report.pairs.append(_pair(path, entry, flagged.get(entry.msgctxt or "", [])))
    return report


def table(reports: list[Report]) -> str:
    """A Markdown table: per class, caught at error level and false alarms, for each checker."""
    head = (
        "| class | " + " | ".join(f"{r.checker}: caught | {r.checker}: false alarms" for r in reports) + " |"
    )
    rows = [head, "| --- |" + " --- | --- |" * len(reports)]
    for cls in (*CLASSES, None):
        cells = []
        for report in reports:
            caught, dangerous = report.caught(cls)
            alarms, correct = report.false_alarms(cls)
            cells += [f"{caught} of {dangerous}", f"{alarms} of {correct}"]
        rows.append(f"| {cls or '**all**'} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, help="corpus catalogs (default: tests/fixtures/corpus)"
    )
    parser.add_argument(
        "--pofilter", help="path of Translate Toolkit's pofilter, to run it on the same corpus"
    )
    parser.add_argument("--json", action="store_true", help="every pair and what flagged it, as JSON")
    args = parser.parse_args(argv)
    paths = args.paths or corpus_paths()
    reports = [measure(paths)]
    if args.pofilter:
        reports.append(measure_pofilter(paths, args.pofilter))
    if args.json:
        print(
            json.dumps(
                [{"checker": r.checker, "pairs": [asdict(p) for p in r.pairs]} for r in reports], indent=1
            )
        )
        return 0
    print(table(reports))
    for report in reports:
        caught, dangerous = report.caught()
        alarms, _ = report.false_alarms()
        print(
            f"\n{report.checker}: caught {caught} of {dangerous} ({100 * caught / dangerous:.0f}%), "
            f"{alarms} false alarms"
        )
        for pair in report.missed():
            print(f"  missed {pair.id}: {pair.what}")
        for pair in report.alarms():
            print(f"  false alarm {pair.id} ({', '.join(pair.found)}): {pair.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
