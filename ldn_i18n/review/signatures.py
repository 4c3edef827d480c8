"""Reviewers' keys and OpenSSH signatures: :func:`read_reviewers`, :func:`sign_payload`,
:func:`verify_payload`.

A sign-off counts because its reviewer signed it with her own key, the way git
signs commits (``ssh-keygen -Y sign -n ldn-i18n-signoff``). Who may sign is
``source/reviewers``, an OpenSSH *allowed signers* file kept in the repository
and changed only by pull request (docs/review.md). Each reviewer is a key line
(``ssh-keygen`` reads it as it is) after three comment lines that say who she is
(``ssh-keygen`` ignores them)::

    # name: Ana Pérez
    # languages: es, pt_BR
    # credential: CoreCHI-P, Spanish
    ana@example.org namespaces="ldn-i18n-signoff" ssh-ed25519 AAAAC3Nza...

The principal is one e-mail address (no ``*`` pattern), the only option
``namespaces="ldn-i18n-signoff"`` (the key signs sign-offs, nothing else).
Anything else is an error naming the file and line.

What is signed is :func:`canonical` bytes of a batch of sign-offs (built by
:mod:`.signoff`); :func:`verify_payload` checks one batch against the file.
:func:`trust` says, for a locale, whether only signed sign-offs count (the
policy's ``signatures:``; required by default once ``source/reviewers``
exists). Everything here is a small function a web route can call too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LdnError
from ..languages import locale_problem
from ..project import Project
from .people import check_credential, check_reviewer

#: The ``ssh-keygen -Y`` namespace of a sign-off: a key signs it for nothing else (not git commits).
NAMESPACE = "ldn-i18n-signoff"
#: Where a project lists its reviewers, relative to the project.
REVIEWERS_FILE = ("source", "reviewers")
#: Key types a reviewer's line may give (what ``ssh-keygen -t`` makes, security keys included).
KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)
#: What a reviewer attests by signing (it is part of what she signs, and printed in the record).
ATTESTATION = (
    "I am a qualified translator for this language. I read each message listed here, in English and in "
    "translation, with its translator's comments, and I confirm that the translation is accurate and "
    "complete: it keeps every dose, number, warning and negation of the English and adds nothing. "
    "This translation began as a machine draft; I reviewed it as a qualified human translator, as "
    "45 CFR 92.201(c)(3) requires before a machine translation of critical health information is used."
)
_ATTRIBUTE = re.compile(r"#\s*(name|languages|credential):\s*(.*?)\s*$")
#: One e-mail address as an allowed-signers principal: none of ssh's pattern characters (``* ? ! ,``).
_EMAIL = re.compile(r"[\w.#$%&'+/=^`{|}~-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_OPTION = f'namespaces="{NAMESPACE}"'
_VERIFIED: dict[str, bool] = {}  # sha256 of (file, identity, payload, signature) -> verified


@dataclass(frozen=True, slots=True)
class Reviewer:
    """One qualified reviewer as ``source/reviewers`` names her."""

    name: str
    """Her name as records print it (``# name:``)."""
    email: str
    """Her e-mail address: the key line's principal, and who ``ssh-keygen -Y verify -I`` checks."""
    languages: tuple[str, ...]
    """The locales she may sign off (``# languages:``, locale identifiers)."""
    credential: str
    """Her qualification as the clinic recorded it (``# credential:``)."""
    key: str
    """Her public key, ``<type> <base64>``."""
    line: int
    """The key line's 1-based line in the file."""

    @property
    def identity(self) -> str:
        """``Name <email>``, as a sign-off records the reviewer."""
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True)
class Reviewers:
    """Everyone ``source/reviewers`` lets sign, and the file itself."""

    path: Path
    """``source/reviewers`` (which may not exist)."""
    entries: tuple[Reviewer, ...] = ()
    """The reviewers, in file order."""
    exists: bool = False
    """Whether the file exists (then signatures are required unless the policy says otherwise)."""
    text: bytes = b""
    """The file's bytes as read and checked (what ``ssh-keygen -Y verify`` is given)."""

    def find(self, email: str) -> Reviewer | None:
        """The reviewer with this e-mail address (case-insensitive), or None."""
        wanted = email.casefold()
        return next((r for r in self.entries if r.email.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class Trust:
    """What makes a sign-off count in one locale."""

    reviewers: Reviewers
    """Who may sign."""
    required: bool
    """Whether only signed sign-offs count (policy ``signatures: required``)."""


def reviewers_path(project: Project) -> Path:
    """``source/reviewers`` of ``project``."""
    return project.root.joinpath(*REVIEWERS_FILE)


def read_reviewers(project: Project) -> Reviewers:
    """The project's reviewers; none when it has no ``source/reviewers``.

    Raises :class:`LdnError` naming the file and line for a line ``ssh-keygen``
    would read differently from us, a reviewer without name, languages or
    credential, an e-mail or key given twice.
    """
    path = reviewers_path(project)
    if not path.exists() and not path.is_symlink():
        return Reviewers(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LdnError(f"cannot read the reviewers file: {exc}", path) from None
    entries: list[Reviewer] = []
    about: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            match = _ATTRIBUTE.fullmatch(line)
            if match:
                about[match[1]] = (match[2], number)
            continue
        entries.append(_reviewer(line, about, path, number))
        about = {}
        for other in entries[:-1]:
            if other.email.casefold() == entries[-1].email.casefold():
                raise LdnError(f"{other.email} is already listed at line {other.line}", path, number)
            if other.key == entries[-1].key:
                raise LdnError(f"this key is already {other.email}'s (line {other.line})", path, number)
    if about:
        raise LdnError(
            "reviewer details with no key line after them", path, max(n for _, n in about.values())
        )
    return Reviewers(path, tuple(entries), True, data)


def _reviewer(line: str, about: dict[str, tuple[str, int]], path: Path, number: int) -> Reviewer:
    """One key line and the ``# name/languages/credential:`` lines above it."""

    def error(message: str) -> LdnError:
        return LdnError(message, path, number)

    fields = line.split(None, 3)
    if len(fields) < 4:
        raise error(f"give a reviewer as: email {_OPTION} ssh-ed25519 AAAA... (see docs/review.md)")
    principal, option, kind, rest = fields
    blob = rest.split(None, 1)[0]
    if not _EMAIL.fullmatch(principal):
        raise error(
            f"the principal must be one e-mail address (no list or * pattern), not {principal[:60]!r}"
        )
    if option != _OPTION:
        raise error(
            f"the only option allowed is {_OPTION} (the key signs sign-offs only), not {option[:60]!r}"
        )
    if kind not in KEY_TYPES:
        raise error(f"unknown key type {kind[:40]!r} (use an ssh-ed25519 key: ssh-keygen -t ed25519)")
    try:
        decoded = base64.b64decode(blob, validate=True)
    except ValueError:
        decoded = b""
    if decoded[4 : 4 + len(kind)] != kind.encode():
        raise error(f"the key is not a {kind} public key (copy the whole line of the .pub file)")
    for field in ("name", "languages", "credential"):
        if not about.get(field, ("", 0))[0]:
            raise error(f"reviewer {principal} has no '# {field}:' line above the key (see docs/review.md)")
    try:
        name = check_reviewer(f"{about['name'][0]} <{principal}>").rsplit(" <", 1)[0]
        credential = check_credential(about["credential"][0])
    except LdnError as exc:
        raise error(exc.message) from None
    languages = tuple(part for part in re.split(r"[\s,]+", about["languages"][0]) if part)
    for locale in languages:
        problem = locale_problem(locale)
        if problem:
            raise LdnError(problem, path, about["languages"][1])
    return Reviewer(name, principal, languages, credential, f"{kind} {blob}", number)


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes a signature covers: ``payload`` as compact, key-sorted UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _ssh_keygen(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "SSH_AUTH_SOCK", "LANG", "LC_ALL")}
    try:
        return subprocess.run(
            ["ssh-keygen", *args], input=data, capture_output=True, timeout=120, env=env, check=False
        )
    except FileNotFoundError:
        raise LdnError("ssh-keygen is not installed (Debian: apt-get install openssh-client)") from None
    except subprocess.TimeoutExpired:
        raise LdnError("ssh-keygen did not answer within 2 minutes") from None


def sign_payload(data: bytes, reviewer: Reviewer, reviewers: Reviewers, key: Path | None = None) -> str:
    """``reviewer``'s armored OpenSSH signature of ``data``.

    ``key`` is her private key file; without it, ssh-agent signs with the key
    ``source/reviewers`` gives her. The signature is checked against
    ``reviewers`` before it is returned: a key that is not hers raises :class:`LdnError`.
    """
    with tempfile.TemporaryDirectory(prefix="ldn-sign-") as folder:
        if key is None:
            public = Path(folder) / "reviewer.pub"
            public.write_text(reviewer.key + "\n", encoding="utf-8")
            args = ["-Y", "sign", "-n", NAMESPACE, "-U", "-f", str(public)]
        else:
            if not key.is_file():
                raise LdnError("no such key file", key)
            args = ["-Y", "sign", "-n", NAMESPACE, "-f", str(key)]
        done = _ssh_keygen(args, data)
    signature = done.stdout.decode("ascii", "replace")
    if done.returncode != 0 or "BEGIN SSH SIGNATURE" not in signature:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        how = f"with {key}" if key else "through ssh-agent (is the key added? ssh-add -l; or give --key)"
        raise LdnError(f"ssh-keygen could not sign {how}: {said[-1] if said else 'no reason given'}")
    if verify_payload(data, signature, reviewers, reviewer.email) is not None:
        raise LdnError(f"the key {key or 'ssh-agent used'} is not {reviewer.email}'s key in source/reviewers")
    return signature


def verify_payload(data: bytes, signature: str, reviewers: Reviewers, email: str) -> str | None:
    """Why ``signature`` is not ``email``'s signature of ``data`` (``source/reviewers``); None if it is."""
    if not reviewers.exists:
        return "the project has no source/reviewers to check it against"
    listed = reviewers.find(email)
    if listed is None:
        return f"{email} is not a reviewer in source/reviewers"
    email = listed.email  # as the file writes it: ssh-keygen matches principals case by case
    digest = hashlib.sha256(
        b"\0".join([reviewers.text, email.encode(), data, signature.encode()])
    ).hexdigest()
    if digest not in _VERIFIED:
        with tempfile.TemporaryDirectory(prefix="ldn-verify-") as folder:
            allowed, sig = Path(folder) / "allowed_signers", Path(folder) / "batch.sig"
            allowed.write_bytes(reviewers.text)  # what was read and checked is what ssh-keygen reads
            sig.write_text(signature, encoding="ascii", errors="replace")
            args = ["-Y", "verify", "-f", str(allowed), "-I", email, "-n", NAMESPACE, "-s", str(sig)]
            _VERIFIED[digest] = _ssh_keygen(args, data).returncode == 0
    if not _VERIFIED[digest]:
        return f"the signature is not {email}'s key in source/reviewers, or what it signed was changed"
    return None
