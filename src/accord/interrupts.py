"""Stopping long work on SIGTERM and SIGHUP exactly as on Ctrl-C.

Python turns only SIGINT into :class:`KeyboardInterrupt`; SIGTERM (``kill``, service
managers, ``timeout``) and SIGHUP (a closed terminal) kill the process at once, losing
finished work and orphaning worker processes. Inside :func:`signals_as_interrupts` all
three raise :class:`Interrupted`, a ``KeyboardInterrupt`` that carries the signal, so
every place that keeps finished work on Ctrl-C (tournament rows, the best answers of an
interrupted structured solve) does the same on the other two. The process then exits
with the shell's convention, 128 + the signal number: 130 (SIGINT), 129 (SIGHUP),
143 (SIGTERM).

Worker processes ignore all three (:func:`ignore_in_worker`): their parent decides,
stops them and keeps what they finished.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = [
    "HANDLED_SIGNALS",
    "Interrupted",
    "exit_status",
    "first_report",
    "ignore_in_worker",
    "received",
    "shielded_children",
    "signal_name",
    "signals_as_interrupts",
]

HANDLED_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """The user (or the system) asked the process to stop, by ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum


_state: dict[str, int | None] = {"depth": 0, "received": None, "reported": 0}


def received() -> int | None:
    """The first signal received inside :func:`signals_as_interrupts`, if any."""
    return _state["received"]


def first_report() -> bool:
    """True the first time it is called inside the outermost
    :func:`signals_as_interrupts` block: a stop is announced once, though a command's
    own handling and the entry point's may both see it."""
    if _state["reported"]:
        return False
    _state["reported"] = 1
    return True


def exit_status(error: BaseException | None = None) -> int:
    """128 + the signal that stopped the work (SIGINT when none was recorded)."""
    signum = getattr(error, "signum", None) or received() or signal.SIGINT
    return 128 + int(signum)


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    if _state["received"] is None:
        _state["received"] = signum
    raise Interrupted(signum)


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted` inside this block (main
    thread only; nested blocks share the outermost one's record)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outermost = _state["depth"] == 0
    previous = {signum: signal.getsignal(signum) for signum in HANDLED_SIGNALS}
    if outermost:
        _state["received"] = None
        _state["reported"] = 0
    _state["depth"] = (_state["depth"] or 0) + 1
    for signum in HANDLED_SIGNALS:
        signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        _state["depth"] = (_state["depth"] or 1) - 1
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler not installed from Python
                signal.signal(signum, handler)


@contextmanager
def shielded_children() -> Iterator[None]:
    """Processes started inside this block (worker pools, multiprocessing's fork server
    and resource tracker) never see a stop signal sent to the whole process group (a
    closed terminal, ``kill -- -PGID``): the signals are blocked while they start, and a
    blocked signal stays blocked across fork and exec. This process receives the ones
    that arrive meanwhile as soon as the block ends, then stops its workers itself."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_in_worker(owner: int | None = None) -> None:
    """In a worker process: leave every stop signal to the parent, which ends the worker
    itself; and die with ``owner`` (the process that runs the pool), so that an owner
    killed outright (SIGKILL) leaves no orphan computing on.

    The fork server's workers are children of the fork server, not of the owner, and
    hold the fork server's "alive" pipe open, so neither the fork server nor the
    parent-death signal notices the owner's end: a watchdog thread does."""
    for signum in HANDLED_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    _die_with_parent()
    if owner is not None:
        threading.Thread(target=_watch, args=(owner,), daemon=True, name="owner-watch").start()


def _watch(owner: int) -> None:
    import os
    import time

    while True:
        time.sleep(0.5)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pragma: no cover - a pid reused by another user
            os._exit(1)


def _die_with_parent() -> None:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: best effort
        return
