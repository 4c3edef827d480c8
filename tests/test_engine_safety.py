"""Workers never outlive the build: a killed parent takes its worker processes with it."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ldn_i18n import engine

from .conftest import cli_command, copy_project

linux_proc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/self/stat").is_file(),
    reason="inspects processes through Linux /proc",
)


def _stat(pid: int) -> tuple[str, int] | None:
    """``(state, parent pid)`` of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = text.rsplit(")", 1)[1].split()[:2]
    return state, int(ppid)


def _running(pid: int) -> bool:
    """Alive: neither gone nor a zombie waiting for a parent (e.g. a container's init) to reap it."""
    found = _stat(pid)
    return found is not None and found[0] not in ("Z", "X")


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def _forked_children(parent: int) -> set[int]:
    """Children of ``parent`` running its own command line: the workers it forked (not msgfmt & co)."""
    own = _cmdline(parent)
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[1] == parent and stat[0] != "Z" and _cmdline(int(entry)) == own:
                found.add(int(entry))
    return found


def _wait_until(condition, timeout: float, interval: float = 0.02) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def _kill_leftovers(pids: set[int], cmdline: bytes | None) -> None:
    """Clean up after a failure: only the processes this test started."""
    for pid in pids:
        if _running(pid) and _cmdline(pid) == cmdline:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.mark.slow
@linux_proc
def test_killed_build_leaves_no_worker_behind(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project.handouts_dir / "ldn-overview.md"
    for n in range(5):  # enough editions that the build is still running when it is killed
        shutil.copy(source, project.handouts_dir / f"copy-{n}.md")
    log = tmp_path / "build.log"
    with log.open("wb") as output:  # a file, not a pipe nobody reads that could fill and stall the build
        build = subprocess.Popen(
            cli_command(project, "build", "--force", "--jobs", "2"),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    workers: set[int] = set()
    cmdline = None

    def two_seen() -> bool:  # two children running at once, kept from that one look
        running = _forked_children(build.pid)
        if len(running) >= 2:
            workers.update(running)
        return build.poll() is not None or len(workers) >= 2

    try:
        assert _wait_until(two_seen, timeout=120)
        if build.poll() is not None:
            text = log.read_text(errors="replace")
            pytest.fail(f"build ended (exit {build.returncode}) before its workers were seen: {text}")
        cmdline = _cmdline(build.pid)
        assert len(workers) >= 2
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        gone = _wait_until(lambda: not any(_running(pid) for pid in workers), timeout=30)
        survivors = {pid: _stat(pid) for pid in workers if _running(pid)}
        assert gone, f"workers outlived their killed parent: {survivors}"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        _kill_leftovers(workers, cmdline)


def test_worker_whose_parent_already_died_exits(tmp_path: Path) -> None:
    """The race: the parent dies before the worker asked to be signalled; the worker sees it and leaves."""
    code = (
        "from ldn_i18n import engine\n"
        "engine._start_worker(engine.os.getppid() + 1_000_000, None, ())\n"  # not this worker's parent
        "print('survived')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
    )
    assert result.returncode != 0
    assert "survived" not in result.stdout


@linux_proc
def test_watchdog_where_the_kernel_cannot_signal(tmp_path: Path) -> None:
    """Without prctl a worker notices its parent is gone by itself."""
    code = (
        "import os, time\n"
        "from ldn_i18n import engine\n"
        "engine._ask_for_death_signal = lambda: False\n"
        "engine._WATCH_INTERVAL = 0.05\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    null = os.open(os.devnull, os.O_WRONLY)\n"  # let the test's pipes close with the parent
        "    os.dup2(null, 1)\n"
        "    os.dup2(null, 2)\n"
        "    engine._start_worker(parent, None, ())\n"
        "    time.sleep(120)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "os._exit(0)\n"  # the parent dies, the worker stays behind
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
    )
    assert result.returncode == 0, result.stderr
    child = int(result.stdout.strip())
    cmdline = _cmdline(child)
    try:
        assert _wait_until(lambda: not _running(child), timeout=30), "worker outlived its parent"
    finally:
        _kill_leftovers({child}, cmdline)


def _tag(n: int) -> tuple[int, int, str | None]:
    return n, os.getpid(), os.environ.get("LDN_TEST_INITIALIZED")


def _initialize(value: str) -> None:
    os.environ["LDN_TEST_INITIALIZED"] = value


@pytest.mark.slow
def test_spawned_workers_run_the_initializer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is missing, workers are spawned: the death guard and the initializer both run."""
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(engine, "TASKS_PER_WORKER", 2)
    results = list(engine.run_parallel(_tag, list(range(6)), 2, _initialize, ("yes",)))
    assert sorted(n for n, _, _ in results) == list(range(6))
    assert {flag for _, _, flag in results} == {"yes"}
    assert os.getpid() not in {pid for _, pid, _ in results}
