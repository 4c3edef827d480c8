"""What the translation memory costs an ``update``: the lookup for 1,000 new handout messages in
16 languages, against the whole update (target: under 5%).

    .venv/bin/python bench/memory.py              # 5 runs; --reps N to change

The project, synthesised in a temporary folder from the real one's source (clinic, notice,
templates): 10 handouts of 100 sentences (8 to 22 words drawn from the real handout's and notice's
text, so with the word frequencies of patient text), translated in each of the 16 languages of the
repository's ``locale/`` (the translation is the English in capitals: only its length matters),
then 10 new handouts of 100 sentences each: a third the same as a sentence of the first ten,
a third one word changed, a third new. Each run restores ``locale/`` as it was and times
``update`` of every language with the memory on, and the memory's own work inside it (building the
index, :meth:`Memory.add`, and :func:`fill`, which looks every empty message up); then the same
update with ``memory=False`` (the two interleaved). Printed: the medians, and the memory's share
of the update with it (the figure the target is about: both measured in the same runs).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
import ldn_i18n.update as update_module  # noqa: E402
from ldn_i18n.extract import extract  # noqa: E402
from ldn_i18n.files import write_atomic  # noqa: E402
from ldn_i18n.memory import Memory  # noqa: E402
from ldn_i18n.pofiles import catalog_bytes, read_catalog  # noqa: E402
from ldn_i18n.project import Project, load_project  # noqa: E402

LOCALES = sorted(p.name for p in (REPO / "locale").iterdir() if p.is_dir())
HANDOUTS, SENTENCES = 10, 100
#: The words of the clinic's real handout and notice, each as often as it occurs there: sentences drawn
#: from them have the word frequencies of real patient text (the rare words are what the index uses).
WORDS = [
    word.lower()
    for path in (REPO / "source" / "handouts" / "ldn-overview.md", REPO / "source" / "notice.md")
    for word in re.findall(r"[A-Za-z][A-Za-z'-]*", path.read_text(encoding="utf-8"))
]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def handout(title: str, sentences: list[str]) -> str:
    body = "\n\n".join(sentences)
    return f"---\ntitle: {title}\npages: 9\nedition: 2026-12-01\n---\n\n{body}\n"


def make_project(folder: Path) -> tuple[Project, Path]:
    """The project with its first ten handouts translated and the ten new ones extracted; and a
    copy of its ``locale/`` as it is before the update being measured."""
    for name in ("source", "templates"):
        shutil.copytree(REPO / name, folder / name)
    for old in (folder / "source" / "handouts").glob("*.md"):
        old.unlink()
    project = load_project(folder)
    rng = random.Random(20)
    first: list[str] = []
    for n in range(HANDOUTS):
        texts = [sentence(rng) for _ in range(SENTENCES)]
        first += texts
        (project.handouts_dir / f"old{n:02}.md").write_text(handout(f"Old {n}", texts), encoding="utf-8")
    extract(project)
    update_module.update(project, LOCALES, memory=False)
    for locale in LOCALES:
        for domain in project.domains():
            path = project.po_path(locale, domain)
            if not path.is_file():  # a language without the notice
                continue
            catalog = read_catalog(path, locale)
            for message in catalog:
                if message.id and isinstance(message.id, str):
                    message.string = message.id.upper()
            write_atomic(path, catalog_bytes(catalog))
    for n in range(HANDOUTS):
        texts = []
        for i in range(SENTENCES):
            kind = i % 3
            if kind == 0:
                texts.append(rng.choice(first))
            elif kind == 1:
                words = rng.choice(first).rstrip(".").split()
                words[rng.randrange(len(words))] = rng.choice(WORDS)
                texts.append(" ".join(words) + ".")
            else:
                texts.append(sentence(rng))
        (project.handouts_dir / f"new{n:02}.md").write_text(handout(f"New {n}", texts), encoding="utf-8")
    extract(project)
    snapshot = folder / "locale-before"
    shutil.copytree(project.locale_dir, snapshot)
    return project, snapshot


def timed(clock: list[float], function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            clock[0] += time.perf_counter() - start

    return wrapper


def run(project: Project, snapshot: Path, memory: bool) -> tuple[float, float, int]:
    """``(update's seconds, the memory's seconds in it, messages filled)`` of one run."""
    shutil.rmtree(project.locale_dir)
    shutil.copytree(snapshot, project.locale_dir)
    clock = [0.0]
    real_fill, real_add = update_module.fill, Memory.add
    update_module.fill = timed(clock, real_fill)  # type: ignore[assignment]
    Memory.add = timed(clock, real_add)  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        report = update_module.update(project, LOCALES, memory=memory)
        total = time.perf_counter() - start
    finally:
        update_module.fill, Memory.add = real_fill, real_add  # type: ignore[method-assign]
    assert report.ok, report.failed
    return total, clock[0], sum(report.from_memory.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reps", type=int, default=5, help="runs of each update (default 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ldn-memory-bench-") as tmp:
        project, snapshot = make_project(Path(tmp))
        new = HANDOUTS * SENTENCES
        print(f"{len(LOCALES)} languages, {HANDOUTS * SENTENCES} translated messages each, {new} new ones")
        with_memory, without = [], []
        for _ in range(args.reps):  # interleaved: a machine busy for a while slows both alike
            with_memory.append(run(project, snapshot, True))
            without.append(run(project, snapshot, False))
    total = statistics.median(t for t, _, _ in with_memory)
    lookup = statistics.median(m for _, m, _ in with_memory)
    plain = statistics.median(t for t, _, _ in without)
    filled = with_memory[0][2]
    print(f"update with the memory:     {total:8.2f} s (median of {args.reps})")
    print(f"  of which the memory:      {lookup:8.2f} s ({filled} messages filled)")
    print(f"update with --no-memory:    {plain:8.2f} s")
    print(f"memory's share of update:   {100 * lookup / total:8.2f} % (target < 5%)")
    print(f"with / without:             {total / plain:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
