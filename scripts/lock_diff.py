#!/usr/bin/env python3
"""Prints which installed packages differ from uv.lock: what the canary found that a fresh machine
does not have yet.

    python scripts/lock_diff.py [uv.lock]      # run with the Python whose packages to compare

One line per installed package whose version is not the locked one (``babel: 2.18.0 in uv.lock,
2.19.0 installed``) or that the lock does not have; nothing, and exit 0, when they agree. Exit 1
when something differs. A locked package that is not installed is not listed: the lock holds
every platform's (colorama for Windows), and uv installs only this one's. The project itself
(editable) is left out.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def locked(lock: Path) -> dict[str, str]:
    """``name -> version`` of every package uv.lock pins (the project's own entry left out)."""
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    pins = {}
    for package in data.get("package", []):
        source = package.get("source", {})
        if "version" in package and "editable" not in source and "virtual" not in source:
            pins[_normal(package["name"])] = package["version"]
    return pins


def installed() -> dict[str, str]:
    """``name -> version`` of every distribution this Python has."""
    return {_normal(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}


def differences(lock: dict[str, str], have: dict[str, str]) -> list[str]:
    """One line per installed package whose version differs from the lock, then those it lacks."""
    lines = []
    for name in sorted(lock):
        if name in have and have[name] != lock[name]:
            lines.append(f"{name}: {lock[name]} in uv.lock, {have[name]} installed")
    for name in sorted(set(have) - set(lock)):
        if name not in ("pip", "setuptools", "wheel", "ldn-i18n"):
            lines.append(f"{name}: not in uv.lock, {have[name]} installed")
    return lines


def main(argv: list[str]) -> int:
    lock = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "uv.lock"
    lines = differences(locked(lock), installed())
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
