"""What this ldn_i18n runs with: :func:`dependency_versions`.

Every package it depends on (read from its own metadata, so a new dependency needs no
change here), the Python and Unicode versions, Babel's CLDR and GNU gettext's
``msgfmt``: each can change what ``check`` finds or what an edition looks like, so the
statuses kept between builds (:mod:`ldn_i18n.catalogs`) and the editions' fingerprints
(:mod:`ldn_i18n.manifest`) are keyed by them, and the canary (``scripts/canary.py``)
compares them with the lock.
"""

from __future__ import annotations

import hashlib
import platform
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from importlib import metadata
from pathlib import Path

#: This package's name in its metadata.
DISTRIBUTION = "ldn-i18n"


def _name(requirement: str) -> str:
    """The distribution a requirement names (``weasyprint<71,>=70`` -> ``weasyprint``)."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    return match.group(0).lower().replace("_", "-") if match else requirement


def runtime_requirements() -> list[str]:
    """The distributions ldn_i18n needs at run time (its extras left out), by normalized name."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return []
    return sorted({_name(r) for r in requires if "extra ==" not in r})


@cache
def dependency_versions() -> dict[str, str]:
    """``name -> version`` of ldn_i18n, each runtime dependency, Python, Unicode, CLDR and msgfmt."""
    found: dict[str, str] = {}
    for name in [DISTRIBUTION, *runtime_requirements()]:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    found["python"] = platform.python_version()
    found["unicode"] = unicodedata.unidata_version
    found["cldr"] = _cldr_digest()
    found["msgfmt"] = _msgfmt_version()
    return found


def _cldr_digest() -> str:
    """The CLDR data Babel ships, by the hash of its ``global.dat`` (which holds CLDR's version).

    Read as a file, not through Babel: a build with nothing to do imports no Babel at all.
    """
    try:
        path = Path(str(metadata.distribution("babel").locate_file("babel/global.dat")))
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except (metadata.PackageNotFoundError, OSError):
        return "-"


def _msgfmt_version() -> str:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return "-"
    try:
        done = subprocess.run([msgfmt, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "?"
    first = done.stdout.splitlines()[0] if done.stdout else ""
    return first.rsplit(" ", 1)[-1] or "?"
