"""A build stopped at any stage leaves nothing behind (issue 15): no process of it still runs, no
temporary folder stays beside the site, and the published site keeps every byte.

Each case starts the real `python -m generator build --rebuild` over a copy of the real catalog and a
published site, waits until the stage is really under way (seen in the process table: the drawing
process forked while the pages are written, MkDocs, the Pagefind binary), sends the signal, and then
looks at the process table and the folder. Before the fix the Pagefind binary outlived its wrapper
and wrote into the abandoned .site-new-* folder; MkDocs and the drawing workers outlived a SIGTERM or
SIGKILL of the build.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, copy_catalog
from test_trust_reproducible import snapshot

from generator import pipeline, publish
from generator.outputs import plugins, search
from generator.problems import BuildFailed

pytestmark = pytest.mark.slow

Proc = tuple[int, int, str]  # pid, start time (clock ticks since boot), command line


def _table() -> dict[int, tuple[int, int, str, str]]:
    """pid -> (parent pid, start time, state, command line) of every process."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        found[int(entry)] = (int(fields[1]), int(fields[19]), fields[0], cmdline.strip())
    return found


def descendants(root: int) -> set[Proc]:
    table = _table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            _ppid, start, _state, cmdline = table[child]
            found.add((child, start, cmdline))
            todo.append(child)
    return found


def alive(procs: set[Proc]) -> set[Proc]:
    """Those of procs that still run (the same pid and start time; a zombie has ended)."""
    table = _table()
    return {p for p in procs if p[0] in table and table[p[0]][1] == p[1] and table[p[0]][2] != "Z"}


def _drawing(build_cmdline: str) -> Callable[[set[Proc]], bool]:
    # The drawing ahead is a fork of the build: the same command line, started while the pages are written.
    return lambda procs: any(cmd == build_cmdline for _pid, _start, cmd in procs)


def _mkdocs(procs: set[Proc]) -> bool:
    return any(" mkdocs build " in f" {cmd} " for _pid, _start, cmd in procs)


def _pagefind(procs: set[Proc]) -> bool:
    return any(Path(cmd.split(" ")[0]).name.startswith("pagefind") for _pid, _start, cmd in procs)


STAGES = {"pages": None, "mkdocs": _mkdocs, "search": _pagefind}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A catalog and the site a complete build of it published."""
    root = tmp_path_factory.mktemp("kill")
    catalog = copy_catalog(root / "projects_catalog")
    pipeline.build(catalog, root / "site", root / "build")
    return root, catalog


def _settle(procs: set[Proc], seconds: float = 1.0) -> set[Proc]:
    deadline = time.monotonic() + seconds
    while (left := alive(procs)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _debris(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((publish.NEW_PREFIX, publish.OLD_PREFIX)))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_build_stopped_at_any_stage_leaves_no_process_and_the_site_as_it_was(published, stage, signum):
    root, catalog = published
    site = root / "site"
    before = snapshot(site)
    cmd = [sys.executable, "-m", "generator", "build", "--rebuild", "--catalog", str(catalog),
           "--site-dir", str(site), "--build-dir", str(root / "build")]
    shutil.rmtree(root / "build" / "cache", ignore_errors=True)  # a cold build: every stage has work
    build = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    reached = STAGES[stage] or _drawing(" ".join(cmd))
    seen: set[Proc] = set()
    deadline = time.monotonic() + 120
    while not reached(seen):
        assert build.poll() is None, f"the build ended before its {stage} stage:\n{build.communicate()[0]}"
        assert time.monotonic() < deadline, f"the {stage} stage was not seen within 120 s"
        seen |= descendants(build.pid)
        time.sleep(0.01)
    seen |= descendants(build.pid)
    os.kill(build.pid, signum)
    output, _ = build.communicate(timeout=60)
    seen_after = seen | set()  # what ran when the signal came; nothing new can start from a dead build

    assert _settle(seen_after) == set(), "processes of the stopped build still run"
    if signum == signal.SIGKILL:
        assert build.returncode == -signal.SIGKILL
        # The build could not clean up: what it left is named by its id, and sweep removes it.
        left = _debris(root)
        assert all(name.startswith(f"{publish.NEW_PREFIX}{build.pid}-") for name in left), left
        assert sorted(p.name for p in publish.sweep(site)) == left
    else:
        assert build.returncode == 128 + signum, output
        assert "Traceback" not in output
        assert f"收到 {signum.name}，已停止" in output and f"Stopped by {signum.name}" in output, output
        assert "site/ 保持原样" in output and "site/ is left as it was" in output
        assert _debris(root) == []
    assert snapshot(site) == before
    # Nothing of it writes into the folder any more (the Pagefind binary used to, seconds later).
    listing = sorted(str(p) for p in root.rglob("*") if publish.NEW_PREFIX in str(p))
    time.sleep(1.0)
    assert sorted(str(p) for p in root.rglob("*") if publish.NEW_PREFIX in str(p)) == listing


def test_the_next_build_removes_what_a_killed_build_left(published):
    """A SIGKILL cannot be cleaned up after by the build itself: the staging folder stays, named with
    the dead build's id; the next build removes it (and only folders whose build has ended)."""
    root, catalog = published
    stale = root / f"{publish.NEW_PREFIX}{_ended_pid()}-abc" / "site"
    stale.mkdir(parents=True)
    (stale / "index.html").write_text("half a site", encoding="utf-8")
    running = root / f"{publish.NEW_PREFIX}{os.getppid()}-def"  # its owner runs (pytest's parent)
    running.mkdir()
    pipeline.build(catalog, root / "site", root / "build")
    assert _debris(root) == [running.name]
    running.rmdir()


def _ended_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_failure_while_pagefind_runs_ends_the_binary_under_its_wrapper(published, monkeypatch, tmp_path):
    """Search starts Pagefind as soon as MkDocs' pages are assembled, and the build then waits for the
    drawing ahead; when that fails, abandon must end the Pagefind binary too, not only the Python
    wrapper that runs it."""
    root, catalog = published
    site = root / "site"
    before = snapshot(site)
    seen: set[Proc] = set()
    # What ran before this build is not its to end (e.g. multiprocessing's fork server, which an
    # earlier test's incremental build started and which lives as long as this process).
    earlier = descendants(os.getpid())
    # Without the cache Pagefind must run: an unchanged site would reuse the last build's search bundle.
    shutil.rmtree(root / "build" / "cache", ignore_errors=True)
    wrappers: list[subprocess.Popen[str]] = []
    start = search.start
    monkeypatch.setattr(search, "start", lambda *args: wrappers.append(start(*args)) or wrappers[-1])

    def fail_once_pagefind_runs(self):
        deadline = time.monotonic() + 60
        while not _pagefind(seen) and time.monotonic() < deadline:
            seen.update(descendants(os.getpid()) - earlier)
            time.sleep(0.01)
        # If the wrapper ended without running Pagefind, what it printed says why.
        ended = [(w.returncode, w.communicate()[0]) for w in wrappers if w.poll() is not None]
        assert _pagefind(seen), f"Pagefind was not running while the build waited for the drawing: {ended}"
        self.stop()
        raise BuildFailed("a brochure could not be drawn (test)")

    monkeypatch.setattr(plugins.Preparation, "wait", fail_once_pagefind_runs)
    with pytest.raises(BuildFailed, match="test"):
        pipeline.build(catalog, site, root / "build")
    assert _settle(seen) == set(), "Pagefind (or its wrapper) still runs after the build failed"
    assert _debris(root) == []
    assert snapshot(site) == before
