#!/usr/bin/env python3
"""Writes ldn_i18n/data/plural-forms.json: the Plural-Forms each language may carry (ldn_i18n/plurals.py).

The formulas come from four tables that Weblate's language-data repository keeps
side by side (github.com/WeblateOrg/language-data, MIT licence), one per tool a
translator's catalog may have been made with:

- ``gettext.csv``: GNU gettext's own table (``gettext-tools/src/plural-table.c``),
  what ``msginit`` and Poedit write;
- ``languages.csv``: what Weblate writes for a new translation;
- ``cldr.csv``: Unicode CLDR's rules turned into C formulas, what Babel 2.19 and
  later write (CLDR added a third "many" form to Spanish, French, Italian,
  Portuguese and Catalan: 1000000 de ...);
- ``l10n-guide.csv``: the Mozilla localization guide's table.

Formulas that do the same for every n (:data:`ldn_i18n.plurals.SAMPLE`) are one
entry, listing every source that writes it, in the order above: the first entry
of a language is what ``update`` writes into a new catalog. Regenerate from a
checkout of that repository (its commit goes into the file):

    python scripts/plural-forms.py /path/to/language-data

then run ``tests/test_plurals.py``.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ldn_i18n.plurals import behaviour, syntax_problem  # noqa: E402

#: Table file -> source name, in order of preference for a new catalog.
TABLES = {
    "gettext.csv": "gettext",
    "languages.csv": "weblate",
    "cldr.csv": "cldr",
    "l10n-guide.csv": "l10n-guide",
}


def main(folder: Path) -> None:
    languages: dict[str, list[dict[str, object]]] = {}
    for table, source in TABLES.items():
        with (folder / table).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                value = f"nplurals={row['nplurals']}; plural={row['formula'].strip()};"
                if syntax_problem(value):
                    print(f"skipped {table} {row['code']}: {syntax_problem(value)}", file=sys.stderr)
                    continue
                entries = languages.setdefault(row["code"], [])
                does = behaviour(value)
                same = next((e for e in entries if behaviour(str(e["plural_forms"])) == does), None)
                if same is None:
                    entries.append({"plural_forms": value, "sources": [source]})
                elif source not in same["sources"]:  # type: ignore[operator]
                    same["sources"].append(source)  # type: ignore[union-attr]
    commit = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    out = {
        "source": f"WeblateOrg/language-data at {commit or 'an unknown commit'}: "
        + ", ".join(f"{table} ({name})" for table, name in TABLES.items()),
        "generated_by": "scripts/plural-forms.py (its docstring says how to regenerate)",
        "license": "MIT (LICENSE-weblate-language-data beside this file)",
        "sources": {
            "gettext": "GNU gettext's table of plural formulas, written by msginit and Poedit",
            "weblate": "Weblate's formula for a new translation",
            "cldr": "Unicode CLDR's plural rules as a C formula, written by Babel 2.19 and later",
            "l10n-guide": "the Mozilla localization guide's table",
        },
        "languages": dict(sorted(languages.items())),
    }
    head = {key: value for key, value in out.items() if key != "languages"}
    text = json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "languages": {\n'
    text += ",\n".join(
        f"    {json.dumps(code)}: {json.dumps(entries, ensure_ascii=False)}"
        for code, entries in languages_sorted(out)
    )
    text += "\n  }\n}\n"
    target = ROOT / "ldn_i18n" / "data" / "plural-forms.json"
    target.write_text(text, encoding="utf-8")
    license_text = (folder / "LICENSE").read_text(encoding="utf-8")
    (target.parent / "LICENSE-weblate-language-data").write_text(license_text, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {len(languages)} languages")


def languages_sorted(out: dict[str, object]) -> list[tuple[str, object]]:
    return sorted(out["languages"].items())  # type: ignore[attr-defined]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
