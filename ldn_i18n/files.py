"""Writing output: :func:`write_atomic` is the only way the pipeline writes a file.

A temporary file in the same folder is renamed over the target, so a killed
run leaves the previous good file and never a truncated one; content that did
not change is not rewritten (its mtime stays, like Sphinx's ``should_write``).
A write the system refuses (read-only or full disk, a file where a folder
should be) is an :class:`~ldn_i18n.errors.LdnError` naming the target and the
reason, and leaves no temporary file behind.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
from pathlib import Path

from .errors import LdnError


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, or None when it is unset or not a number: the one
    reading of the variable that makes what a build stamps (dates, headers) reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else None


def write_atomic(path: Path, data: bytes | str) -> bool:
    """Write ``data`` to ``path`` atomically; return False when it was already there.

    Raises :class:`LdnError` (``cannot write: <reason>``, located at ``path``)
    when the folder cannot be made or the file cannot be written or renamed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == payload:
            return False
    except OSError:
        pass
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            try:
                Path(tmp).unlink(missing_ok=True)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise LdnError(f"cannot write: {_reason(exc, path, tmp)}", path) from exc
        raise
    return True


def _reason(exc: OSError, path: Path, tmp: str | None) -> str:
    """What the system said, and which other file it was about (e.g. the folder)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    about = exc.filename
    if exc.errno == errno.EEXIST and about is not None and Path(about) in path.parents:
        reason = os.strerror(errno.ENOTDIR)  # mkdir(exist_ok=True) met a file where a folder goes
    if about is not None and str(about) not in (str(path), tmp):
        reason += f" ({about})"
    return reason


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, for messages a person reads."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
