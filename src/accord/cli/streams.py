"""Standard output that fails as Unix tools do.

A pipe closed early by its reader (``accord analyze -f json | head -c 10``) ends the
command quietly with status 141 (128 + SIGPIPE), as ``cat`` or ``yes`` end; any other
failure to write standard output (``> /dev/full``, a closed descriptor ``>&-``) is one
line on standard error, ``error: cannot write to standard output: REASON``, and status 1.

Python ignores SIGPIPE, so a closed pipe surfaces as ``BrokenPipeError`` on a write or
on the final flush; Click would turn it into status 1, and the interpreter would print
"Exception ignored ... BrokenPipeError" at shutdown. The entry point therefore wraps
``sys.stdout`` (:func:`guard_stdout`) so that every failure of standard output is a
:class:`StandardOutputError`, which Click does not intercept, and answers it in
:func:`exit_status` after pointing descriptor 1 at ``/dev/null`` (the Python
documentation's recipe for SIGPIPE, "Note on SIGPIPE", signal module).
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any, TextIO, cast

__all__ = ["EXIT_BROKEN_PIPE", "StandardOutputError", "exit_status", "guard_stdout"]

EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a tool ended by a closed pipe."""


class StandardOutputError(Exception):
    """Standard output cannot be written; ``error`` says why."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _GuardedStdout:
    """``sys.stdout`` (or nothing, when descriptor 1 was closed) whose write and flush
    failures are :class:`StandardOutputError`; everything else is the stream's own."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:
            raise StandardOutputError(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        try:
            return self._stream.write(text)
        except OSError as error:
            raise StandardOutputError(error) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as error:
            raise StandardOutputError(error) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Wrap ``sys.stdout``; when descriptor 1 is closed, hold it on ``/dev/null`` so no
    file opened later takes its number (and output meant for the terminal)."""
    if sys.stdout is None:
        _hold_on_devnull(1)
    sys.stdout = cast(TextIO, _GuardedStdout(sys.stdout))


def _hold_on_devnull(descriptor: int) -> None:
    null = os.open(os.devnull, os.O_WRONLY)
    if null != descriptor:
        os.dup2(null, descriptor)
        os.close(null)


def exit_status(failure: StandardOutputError) -> int:
    """Report ``failure`` (nothing for a closed pipe) and return the exit status; the
    rest of the output goes to ``/dev/null`` so the interpreter's last flush is quiet."""
    with_stream = sys.__stdout__
    if with_stream is not None:
        _hold_on_devnull(with_stream.fileno())
    if failure.error.errno == errno.EPIPE:
        return EXIT_BROKEN_PIPE
    try:
        sys.stderr.write(f"error: cannot write to standard output: {failure}\n")
        sys.stderr.flush()
    except (OSError, AttributeError):
        pass  # standard error is gone too: the status says it
    return 1
