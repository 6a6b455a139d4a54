"""The child processes of a build, and how every one of them ends with it.

Each child a build starts (MkDocs per language, the Pagefind runs, the drawing ahead and its
workers) gets its own process group, so that ending it ends whatever it started in turn (the
Pagefind binary under its wrapper, the drawing workers): `end` sends SIGTERM to the whole group,
then SIGKILL to what is left. Each child also asks Linux to end it when its parent dies
(PR_SET_PDEATHSIG), so that not even a SIGKILL of the build leaves one running. The build itself
turns SIGTERM, SIGINT and SIGHUP into `Stopped` (`stop_on_signals`), which runs every cleanup on
the way out like any other failure.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

GRACE_SECONDS = 3.0  # between SIGTERM and SIGKILL: MkDocs and Pagefind need no longer to stop
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


def _find_prctl() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


_prctl = _find_prctl()  # looked up once, in the parent: a child between fork and exec only calls it


class Stopped(BaseException):
    """The build received a signal that asks it to stop (a BaseException, as KeyboardInterrupt is:
    `except Exception` must not swallow it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process ended by that signal


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `signum` to this process when its parent dies (Linux; elsewhere nothing).

    Called in the child before it runs anything; if the parent has died already, the child ends now.
    """
    parent = os.getppid()
    if _prctl is None:
        return
    _prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent:  # the parent died between fork and prctl
        os._exit(128 + signum)


def _child_setup() -> None:
    die_with_parent()


def start(cmd: Sequence[str], **popen: Any) -> subprocess.Popen[str]:
    """Popen in a process group of its own that dies with this process.

    PR_SET_PDEATHSIG fires when the *thread* that started the child ends, so it is asked only from
    the main thread; `serve` starts its long-lived workers from others.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    # preexec_fn only calls prctl, looked up before the fork: no lock another thread could hold.
    setup = _child_setup if in_main_thread else None
    return subprocess.Popen(list(cmd), process_group=0, text=True, preexec_fn=setup, **popen)  # noqa: PLW1509


def run(cmd: Sequence[str], **popen: Any) -> tuple[int, str]:
    """Run to the end and return (exit code, stdout); the child's whole group is ended if this is
    interrupted (a signal, an exception in another thread's `communicate`)."""
    proc = start(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen)
    try:
        output, _ = proc.communicate()
    except BaseException:
        end(proc)
        raise
    return proc.returncode, output


def end(proc: subprocess.Popen[Any] | Any, grace: float = GRACE_SECONDS) -> None:
    """End a child and every process of its group: SIGTERM, then SIGKILL after `grace` seconds.

    Works for a Popen and a multiprocessing.Process alike (both have .pid; the group id is the pid,
    since each was started as the leader of its own group).
    """
    pid = getattr(proc, "pid", None)
    if pid is None:
        return
    _signal_group(pid, signal.SIGTERM)
    if not _wait(proc, grace):
        _signal_group(pid, signal.SIGKILL)
        _wait(proc, None)
    # The leader may be gone while others of its group still run (a wrapper killed before its child).
    _signal_group(pid, signal.SIGKILL)
    _wait_group_gone(pid)


def _wait_group_gone(pgid: int, timeout: float = 5.0) -> None:
    """Until no live process is left in the group: a SIGKILL is delivered when its target next runs, so
    a binary under a wrapper could still finish a write into the folder the build is about to remove.
    Zombies do not count (they write nothing; their reaper may be slow in a container)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _group_alive(pgid):
        time.sleep(0.01)


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:  # state, ppid, pgrp
            return True
    return False


def end_all(procs: Sequence[Any], grace: float = GRACE_SECONDS) -> None:
    for proc in procs:
        _signal_group(proc.pid, signal.SIGTERM)
    for proc in procs:
        end(proc, grace)


def _signal_group(pgid: int, signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _wait(proc: Any, timeout: float | None) -> bool:
    if isinstance(proc, subprocess.Popen):
        try:
            proc.communicate(timeout=timeout) if proc.stdout else proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        except ValueError:  # its pipe was closed already
            proc.wait(timeout)
        return True
    proc.join(timeout)
    return proc.exitcode is not None


def pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that die with the process that made them (the drawing ahead)."""
    return ProcessPoolExecutor(max_workers=workers, initializer=default_signals)


def default_signals() -> None:
    """In a forked child: the stop signals do what they do by default (the parent's `Stopped`
    handlers are its own), and the child dies with its parent."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    die_with_parent()


_received: list[int] = []  # the stop signal received within stop_on_signals, if any


def received() -> int | None:
    """The stop signal received within the current stop_on_signals block, if any."""
    return _received[0] if _received else None


def raise_if_stopped() -> None:
    """Raise Stopped if a stop signal came: the pipeline asks at each stage and before it publishes,
    since the handler's own raise is lost where Python ignores exceptions (a finaliser, an at-fork
    hook), and a build must never publish after it was asked to stop."""
    if _received:
        raise Stopped(_received[0])


def _ignore_unraisable(_unraisable: Any) -> None:
    return None


@contextmanager
def stop_on_signals(signals: Sequence[int] = STOP_SIGNALS, quiet: bool = True) -> Iterator[None]:
    """Within the block, each of `signals` raises Stopped in the main thread (so `finally` blocks
    run: children ended, temporary folders removed); outside it, the handlers are as they were.
    With `quiet`, once a stop came, what a library's finaliser fails to close while the work unwinds
    ("Exception ignored in …", sys.unraisablehook) is not printed: the user asked to stop."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        for other in signals:  # a second signal must not cut the cleanup short
            signal.signal(other, signal.SIG_IGN)
        _received.append(signum)
        if quiet:
            sys.unraisablehook = _ignore_unraisable
        raise Stopped(signum)

    before = {signum: signal.signal(signum, stop) for signum in signals}
    _received.clear()
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        _received.clear()
