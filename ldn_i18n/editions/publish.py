"""What a build leaves in ``dist/`` besides the editions: :class:`Publisher`.

It removes every edition file that is no longer an output of an edition in
``dist/`` (a shard only its own), makes the notice's job when its inputs
changed, writes ``dist/index.html`` and records the build in
``dist/editions.json``.
"""

from __future__ import annotations

import datetime as dt

from ..errors import LdnError
from ..files import write_atomic
from ..manifest import file_digests
from .index import index_entry
from .make import NoticeJob, Shared
from .plan import Plan, edition_file_names
from .results import KEPT_FOLDERS, PDF_FORMATS, format_of, is_record


class Publisher:
    """Publishes what ``plan`` made."""

    def __init__(self, plan: Plan):
        self.plan = plan

    def tidy(self) -> None:
        """Remove every edition file of dist/ that is not an output of an edition in dist/.

        A shard removes only files of its own editions: the rest is the merge's to tidy.
        """
        keep = {path for result in self.plan.editions.values() if result.published for path in result.outputs}
        dist = self.plan.project.dist_dir
        if self.plan.shard is not None:
            for key in sorted(self.plan.mine):
                for name in edition_file_names(key):
                    if (dist / name) not in keep and (dist / name).is_file():
                        (dist / name).unlink(missing_ok=True)
            return
        folders = sorted(dist.iterdir()) if dist.is_dir() else []
        for folder in folders:
            if folder.name in KEPT_FOLDERS or folder.name.startswith(".") or not folder.is_dir():
                continue
            removed = False
            for path in sorted(folder.iterdir()):
                edition_file = format_of(path) is not None or is_record(path)
                if edition_file and path.is_file() and path not in keep:
                    path.unlink(missing_ok=True)
                    removed = True
            if removed:
                try:
                    folder.rmdir()  # only when empty
                except OSError:
                    pass

    def notice_job(self) -> NoticeJob | None:
        """The job making ``dist/notice.html`` and ``.pdf`` (as the build's formats ask) when
        their inputs changed; None when they are up to date (or the project has no notice)."""
        from ..notice import NOTICE_FILES

        dist = self.plan.project.dist_dir
        wanted = self.notice_files() if self.plan.project.notice_path.is_file() else []
        odd = [name for name in NOTICE_FILES if (dist / name).exists() and not (dist / name).is_file()]
        if odd:  # a folder (or worse) where the notice goes: not ours to remove
            self.plan.errors.append(f"dist/{odd[0]}: error: not a file: remove it, then build again")
            return None
        for name in set(NOTICE_FILES) - set(wanted):
            (dist / name).unlink(missing_ok=True)
        if not wanted:
            self.plan.record.notice = {}
            return None
        digest = self.plan.prints.notice(wanted)
        if self.plan.record.notice.get("inputs") == digest and all(
            (dist / name).is_file() for name in wanted
        ):
            self.plan.warnings += [str(w) for w in self.plan.record.notice.get("warnings", [])]
            return None
        self.plan.record.notice = {}
        return NoticeJob(wanted, digest)

    def notice_made(self, job: NoticeJob) -> None:
        """Record what became of the notice's job: its warnings, or its error (and no files)."""
        if job.error:
            for name in job.files:
                (self.plan.project.dist_dir / name).unlink(missing_ok=True)
            self.plan.errors.append(job.error)
            return
        self.plan.warnings += job.warnings
        self.plan.record.notice = {"inputs": job.inputs, "warnings": job.warnings}

    def notice_files(self) -> list[str]:
        """The notice's files dist/ holds after the build: its page when an edition has one
        (``html``), its PDF when an edition has a PDF (``pdf``, ``large`` or ``bilingual``)."""
        from ..notice import NOTICE_FILES

        # The formats of every edition dist/ will hold: a --locale build keeps the others' files.
        formats = set(self.plan.formats) | {
            fmt for result in self.plan.editions.values() for fmt in result.formats
        }
        html, pdf = NOTICE_FILES
        return ([html] if "html" in formats else []) + ([pdf] if PDF_FORMATS & formats else [])

    def write_index(self, shared: Shared) -> None:
        """``dist/index.html``: every listed edition of every handout, unless already so."""
        dist = self.plan.project.dist_dir
        listed = self.plan.listed()
        digest = self.plan.prints.index(
            self.plan.handouts.values(),
            [
                "\t".join(
                    (
                        f"{r.key}:{r.draft}:{r.content}",
                        r.title,
                        r.notice,
                        ",".join(str(p.relative_to(dist)) for p in r.outputs),
                    )
                )
                for r in listed
            ]
            + [f"with_pseudo={self.plan.with_pseudo}", f"notice={','.join(self.notice_listed())}"],
        )
        if digest == self.plan.record.index and (dist / "index.html").is_file():
            return
        from ..render import render_index

        run = shared
        entries = []
        for slug in self.plan.handouts:
            handout = run.handouts.get(slug)
            editions = [index_entry(run, result, dist) for result in listed if result.handout == slug]
            if handout is not None or editions:
                entries.append(
                    {"title": handout.title if handout is not None else slug, "editions": editions}
                )
        try:
            clinic = run.clinic
        except LdnError:
            clinic = None  # every edition says why
        page = render_index(self.plan.project.templates, entries, self.notice_listed(), clinic)
        write_atomic(dist / "index.html", page)
        self.plan.record.index = digest

    def notice_listed(self) -> list[str]:
        """The notice's files the index links to: those in dist/, unless something failed them."""
        from ..notice import NOTICE_FILES

        dist = self.plan.project.dist_dir
        return [] if self.plan.errors else [name for name in NOTICE_FILES if (dist / name).is_file()]

    def remember(self) -> None:
        """Record what this build made and removed in ``dist/editions.json``.

        A shard records its own editions only, and which they are (``shard``), for the merge.
        """
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        if self.plan.shard is None:
            self.plan.record.shard = {}
            for key, entry in self.plan.retired.items():
                if entry is None:
                    self.plan.record.editions.pop(key, None)
                else:
                    self.plan.record.editions[key] = {**entry, "built": stamp}
        else:
            everything = len(self.plan.selected) == len(self.plan.available)
            self.plan.record.shard = {
                "part": list(self.plan.shard),
                "editions": sorted(self.plan.mine),
                "locales": None
                if everything
                else [loc for loc in self.plan.available if loc in self.plan.selected],
                "formats": list(self.plan.formats),
                "release": self.plan.release,
                "with_pseudo": self.plan.with_pseudo,
            }
        dist = self.plan.project.dist_dir
        for key in self.plan.reported:
            result = self.plan.editions[key]
            if result.reused:
                kept = self.plan.record.editions.get(key)
                if kept is not None and (self.plan.shard is not None or "sha256" not in kept):
                    kept["sha256"] = file_digests(dist, [str(p.relative_to(dist)) for p in result.outputs])
                continue
            self.plan.record.editions[key] = {
                "content": result.content,
                "inputs": result.inputs if not result.error else "",
                "state": result.state,
                "built": stamp,
                "seconds": result.seconds,
                "pages": result.pages,
                "warnings": result.warnings,
                "reasons": result.skipped or ([result.error] if result.error else []),
                "outputs": [str(p.relative_to(dist)) for p in result.outputs],
                "sha256": file_digests(dist, [str(p.relative_to(dist)) for p in result.outputs]),
                "links": [href for _, href in result.links] if result.published else [],
                "large_pages": result.large_pages,
                "bilingual_pages": result.bilingual_pages,
                "title": result.title,
                "notice": result.notice,
                "release": self.plan.release,
                "fonts": result.fonts,
                "record": result.record,
            }
        self.plan.record.save(self.plan.project)
