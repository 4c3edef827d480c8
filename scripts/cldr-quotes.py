#!/usr/bin/env python3
"""Writes ldn_i18n/data/quotes.json and labels.json from Unicode CLDR (used by ldn_i18n/typography.py).

Babel ships CLDR's dates, numbers and plural rules, but not its quotation
marks nor its "key: value" pattern, so these two small tables come from the
CLDR JSON packages on the npm registry:

- ``quotes.json``: ``main/<locale>/delimiters.json`` of ``cldr-misc-full``:
  quotationStart, quotationEnd, alternateQuotationStart, alternateQuotationEnd.
- ``labels.json``: ``localeDisplayPattern.localeKeyTypePattern`` of
  ``main/<locale>/localeDisplayNames.json`` in ``cldr-localenames-full``
  (``{0}: {1}``, ``{0}\u202f: {1}`` in French, ``{0}：{1}`` in Chinese): the
  text between ``{0}`` and ``{1}`` is what follows a label.

Every CLDR locale is written, one per line (the JSON is resolved: each locale
holds its inherited values too); CLDR's ``und`` is written as Babel's ``root``
and hyphens as underscores (``pt_PT``, ``zh_Hant``). The Unicode license of the
data is copied beside it as ``LICENSE-CLDR``.

Regenerate (needs ``npm``; nothing is installed, the packages are only packed):

    python scripts/cldr-quotes.py                 # CLDR_PACKAGE_VERSION below
    python scripts/cldr-quotes.py --version 49.0.0
    python scripts/cldr-quotes.py --packages DIR  # DIR holds the two .tgz from `npm pack`

then run ``tests/test_typography.py``, which states the marks it expects.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

#: The npm version of the CLDR JSON packages the committed data was made from.
CLDR_PACKAGE_VERSION = "48.2.0"
DATA = Path(__file__).resolve().parent.parent / "ldn_i18n" / "data"
MISC, NAMES = "cldr-misc-full", "cldr-localenames-full"
FIELDS = ["quotationStart", "quotationEnd", "alternateQuotationStart", "alternateQuotationEnd"]


def pack(packages: Path, version: str) -> dict[str, Path]:
    """The two packages' tarballs in ``packages``, packed there by npm when missing."""
    found = {}
    for name in (MISC, NAMES):
        tarball = packages / f"{name}-{version}.tgz"
        if not tarball.is_file():
            subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=packages, check=True)
        found[name] = tarball
    return found


def read_main(tarball: Path, file_name: str) -> tuple[dict[str, dict], dict]:
    """Each locale's ``main/<locale>/<file_name>`` content, and the package.json."""
    by_locale: dict[str, dict] = {}
    with tarfile.open(tarball) as archive:
        package = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
        for member in archive.getmembers():
            parts = member.name.split("/")
            if len(parts) == 4 and parts[1] == "main" and parts[3] == file_name:
                content = json.load(archive.extractfile(member))  # type: ignore[arg-type]
                by_locale[parts[2]] = content["main"][parts[2]]
        license_text = archive.extractfile("package/LICENSE").read().decode("utf-8")  # type: ignore[union-attr]
    package["license_text"] = license_text
    return by_locale, package


def babel_id(cldr_id: str) -> str:
    """CLDR's ``zh-Hant-HK`` as Babel writes it (``zh_Hant_HK``); ``und`` is ``root``."""
    return "root" if cldr_id == "und" else cldr_id.replace("-", "_")


def dumps(value: object) -> str:
    """JSON with every character as itself, except spaces and marks that cannot be seen (``\\u202f``)."""
    text = json.dumps(value, ensure_ascii=False)
    return "".join(
        f"\\u{ord(ch):04x}" if ch != " " and unicodedata.category(ch)[0] in "ZC" else ch for ch in text
    )


def write_table(path: Path, header: dict[str, object], table: dict[str, object]) -> None:
    """``header`` then ``locales``, one locale per line so that a CLDR update reads as a diff."""
    lines = ["{"]
    lines += [f"  {json.dumps(key)}: {dumps(value)}," for key, value in header.items()]
    lines.append('  "locales": {')
    rows = [f"    {json.dumps(k)}: {dumps(v)}" for k, v in sorted(table.items())]
    lines.append(",\n".join(rows))
    lines += ["  }", "}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=CLDR_PACKAGE_VERSION, help="npm version of the CLDR packages")
    parser.add_argument("--packages", type=Path, help="folder holding (or to receive) the packed .tgz files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        tarballs = pack(args.packages or Path(scratch), args.version)
        delimiters, misc = read_main(tarballs[MISC], "delimiters.json")
        names, localenames = read_main(tarballs[NAMES], "localeDisplayNames.json")
    cldr = misc["cldrVersion"]
    if localenames["cldrVersion"] != cldr:
        sys.exit(f"{MISC} is CLDR {cldr} but {NAMES} is CLDR {localenames['cldrVersion']}")

    quotes = {babel_id(loc): [data["delimiters"][f] for f in FIELDS] for loc, data in delimiters.items()}
    labels = {}
    for loc, data in names.items():
        pattern = data["localeDisplayNames"]["localeDisplayPattern"]["localeKeyTypePattern"]
        if not (pattern.startswith("{0}") and pattern.endswith("{1}")):
            sys.exit(f"{loc}: localeKeyTypePattern {pattern!r} does not put the key first")
        labels[babel_id(loc)] = pattern[3:-3]

    generated = "scripts/cldr-quotes.py (its docstring says how to regenerate)"
    DATA.mkdir(exist_ok=True)
    write_table(
        DATA / "quotes.json",
        {
            "source": f"Unicode CLDR {cldr}: npm {MISC} {misc['version']}, main/<locale>/delimiters.json",
            "generated_by": generated,
            "license": "Unicode-3.0 (LICENSE-CLDR beside this file)",
            "fields": FIELDS,
        },
        quotes,
    )
    write_table(
        DATA / "labels.json",
        {
            "source": (
                f"Unicode CLDR {cldr}: npm {NAMES} {localenames['version']}, main/<locale>/"
                "localeDisplayNames.json, localeDisplayPattern.localeKeyTypePattern"
            ),
            "generated_by": generated,
            "license": "Unicode-3.0 (LICENSE-CLDR beside this file)",
            "fields": "the text between {0} and {1}: what follows a label before its value",
        },
        labels,
    )
    (DATA / "LICENSE-CLDR").write_text(misc["license_text"], encoding="utf-8")
    print(f"wrote {len(quotes)} locales' quotation marks and {len(labels)} label separators (CLDR {cldr})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
