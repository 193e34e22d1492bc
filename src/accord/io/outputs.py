"""Every file accord writes goes through here: checked before the work starts, staged,
then committed together, whole or not at all (DESIGN §8).

The rules (stated for users in ``docs/limits.md``):

- A **regular file** (or a name that does not exist yet) is written whole or not at all:
  the content goes to a hidden temporary file beside it (``.NAME.*.tmp``), which is
  renamed over the target only once complete. The target keeps its permission bits.
- A **character device** or a **FIFO** (``/dev/null``, ``/dev/stdout``, a named pipe) is
  written in place, as a shell redirection would: it is never renamed over or replaced.
- A **symbolic link** is followed; its final target is treated by these same rules (a
  link to a missing file creates that file). The link itself stays.
- A **folder**, a **socket** or a **block device** (a disk) is refused.

One command's outputs form one :class:`Outputs` transaction: every path is checked
before any long work (:meth:`Outputs.__init__`), each output is staged
(:meth:`Outputs.open`), and all are committed when the ``with`` block ends normally, or
all discarded when it ends by an exception, an interrupt or SIGTERM/SIGHUP. Every
``OSError`` becomes an :class:`~accord.errors.AccordError` naming the path and the reason.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_hex
from types import FrameType, TracebackType
from typing import IO, Any, cast

from accord.errors import AccordError

__all__ = [
    "BinaryTarget",
    "OutputTarget",
    "Outputs",
    "binary_output",
    "check_output",
    "write_bytes",
    "write_text",
]

_SPOOL_BYTES = 16 * 1024 * 1024
"""Content for a device or FIFO is held in memory up to this size, then in a temporary
file of the system's temporary folder."""

_LIVE_TEMPORARIES: set[str] = set()
"""Temporary files staged and not yet renamed, removed by the signal handler."""

_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@dataclass(frozen=True)
class OutputTarget:
    """A checked output path: ``given`` as the user wrote it, ``resolved`` with every
    symbolic link followed; ``in_place`` for a device or FIFO (written directly)."""

    given: Path
    resolved: Path
    in_place: bool
    existed: bool
    mode: int | None = None  # permission bits of an existing regular file


def _describe(path: Path, resolved: Path) -> str:
    if path.is_symlink():
        return f"{path} (a link to {resolved})"
    return str(path)


def _refuse(path: Path, resolved: Path, reason: str) -> AccordError:
    return AccordError(f"{_describe(path, resolved)}: cannot write: {reason}")


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_output(path: Path) -> OutputTarget:
    """Check that ``path`` can be written by the rules above, before any work is done;
    :class:`AccordError` (path and reason) when it cannot."""
    path = Path(path)
    try:
        status: os.stat_result | None = os.stat(path)  # through every link
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise _refuse(path, path, _os_reason(error)) from None
    if status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        # Opened by the name given, so the kernel follows links such as /dev/stdout,
        # whose final names (/proc/self/fd/pipe:[N]) cannot be opened.
        if not os.access(path, os.W_OK):
            raise _refuse(path, path, "permission denied")
        return OutputTarget(path, path, in_place=True, existed=True)
    resolved = Path(os.path.realpath(path))
    if status is None:
        _check_folder(path, resolved)
        return OutputTarget(path, resolved, in_place=False, existed=False)
    if not stat.S_ISREG(status.st_mode):
        raise _refuse(path, resolved, _kind_refused(status.st_mode))
    if not os.access(resolved, os.W_OK):
        raise _refuse(path, resolved, "the file is read-only")
    _check_folder(path, resolved)
    return OutputTarget(path, resolved, False, True, stat.S_IMODE(status.st_mode))


def _kind_refused(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder (name a file inside it)"
    if stat.S_ISSOCK(mode):
        return "it is a socket (accord writes regular files, devices and FIFOs)"
    if stat.S_ISBLK(mode):
        return "it is a block device (accord never writes to disks directly)"
    return "it is not a regular file, a device or a FIFO"


def _check_folder(path: Path, resolved: Path) -> None:
    folder = resolved.parent
    if Path(os.path.realpath(path.parent)) == folder:
        folder = path.parent if str(path.parent) else Path(".")  # as the user wrote it
    if not os.path.lexists(folder):
        raise _refuse(path, resolved, f"folder {folder} does not exist")
    if not folder.is_dir():
        raise _refuse(path, resolved, f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(
            path,
            resolved,
            f"folder {folder} is not writable (a temporary file is written beside the "
            "target, then renamed over it)",
        )


@dataclass
class _Staged:
    target: OutputTarget
    handle: IO[bytes]
    temporary: str | None  # None for in-place targets (spooled in memory)
    done: bool = field(default=False)


class Outputs:
    """The output files of one command, committed together or not at all.

    ``Outputs(result_path, plot_path)`` checks every path at once (``None`` entries are
    skipped) before the long work starts; use it as a context manager::

        with Outputs(output, plot) as outputs:
            ...  # the work
            outputs.write_text(output, text)
            with outputs.open(plot) as handle:
                figure.savefig(handle, format="png")

    On normal exit every staged output is committed; on any exception, interrupt or
    SIGTERM/SIGHUP, every temporary file is removed and no target is touched.
    """

    def __init__(self, *paths: Path | None) -> None:
        self._targets: dict[Path, OutputTarget] = {}
        self._staged: list[_Staged] = []
        self._previous_handlers: dict[int, Any] = {}
        for path in paths:
            if path is None:
                continue
            target = check_output(Path(path))
            same = self._targets.get(target.resolved)
            if same is not None and not target.in_place:
                raise AccordError(f"{same.given} and {path} name the same file")
            self._targets[target.resolved] = target

    def __enter__(self) -> Outputs:
        if threading.current_thread() is threading.main_thread():
            for signum in _CLEANUP_SIGNALS:
                previous = signal.getsignal(signum)
                if previous is not None:
                    self._previous_handlers[signum] = previous
                    signal.signal(signum, self._on_signal)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self.commit()
            else:
                self.discard()
        finally:
            for signum, previous in self._previous_handlers.items():
                signal.signal(signum, previous)
            self._previous_handlers.clear()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """Remove staged temporaries, then do what the signal did before (by default:
        end the process with that signal)."""
        _remove_live_temporaries()
        previous = self._previous_handlers.get(signum, signal.SIG_DFL)
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    @contextmanager
    def open(self, path: Path) -> Iterator[IO[bytes]]:
        """A binary handle to write the output ``path`` to; staged until commit."""
        target = check_output(Path(path))  # again: the disk may have changed since
        staged = self._stage(target)
        try:
            yield staged.handle
            staged.handle.flush()
        except OSError as error:
            self._drop(staged)
            raise _refuse(target.given, target.resolved, _os_reason(error)) from None
        except BaseException:
            self._drop(staged)
            raise

    def write_bytes(self, path: Path, data: bytes) -> None:
        with self.open(path) as handle:
            handle.write(data)

    def write_text(self, path: Path, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def _stage(self, target: OutputTarget) -> _Staged:
        for earlier in [s for s in self._staged if s.target.resolved == target.resolved]:
            self._drop(earlier)  # written twice: the last content wins
        if target.in_place:
            spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
            staged = _Staged(target, cast(IO[bytes], spool), None)
        else:
            staged = _Staged(target, *_temporary_beside(target))
        self._staged.append(staged)
        return staged

    def commit(self) -> None:
        """Write every staged output: devices and FIFOs first, then the renames."""
        pending = [s for s in self._staged if not s.done]
        renamed: list[_Staged] = []
        try:
            for staged in pending:
                _finish(staged)
            for staged in pending:
                if staged.target.in_place:
                    _copy_in_place(staged)
            for staged in pending:
                if not staged.target.in_place:
                    _rename(staged)
                    renamed.append(staged)
        except BaseException:
            for staged in renamed:  # a new file must not stay when a later one failed
                if not staged.target.existed:
                    staged.target.resolved.unlink(missing_ok=True)
            self.discard()
            raise
        self._staged.clear()

    def discard(self) -> None:
        """Remove every staged output that is not committed; touch no target."""
        for staged in list(self._staged):
            if not staged.done:
                self._drop(staged)
        self._staged.clear()

    def _drop(self, staged: _Staged) -> None:
        staged.done = True
        staged.handle.close()
        if staged.temporary is not None:
            Path(staged.temporary).unlink(missing_ok=True)
            _LIVE_TEMPORARIES.discard(staged.temporary)
        if staged in self._staged:
            self._staged.remove(staged)


def _temporary_beside(target: OutputTarget) -> tuple[IO[bytes], str]:
    """A new hidden file beside the target, ``.NAME.XXXXXXXX.tmp`` (the name shortened
    to fit the file system's limit), with the target's permissions or, for a new file,
    the usual ones (0666 less the umask, applied by the kernel: no umask is changed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = str(target.resolved.parent / f".{target.resolved.name[:200]}.{token_hex(4)}.tmp")
        _LIVE_TEMPORARIES.add(name)  # before it exists: a signal may come at any moment
        try:
            descriptor = os.open(name, flags, 0o666)
            break
        except FileExistsError:
            _LIVE_TEMPORARIES.discard(name)  # someone else's file: never removed
        except OSError as error:
            _LIVE_TEMPORARIES.discard(name)
            raise _refuse(target.given, target.resolved, _os_reason(error)) from None
    else:
        raise _refuse(target.given, target.resolved, "no free temporary name beside it")
    try:
        if target.mode is not None:
            os.fchmod(descriptor, target.mode)
        return os.fdopen(descriptor, "wb"), name
    except BaseException:
        os.close(descriptor)
        Path(name).unlink(missing_ok=True)
        _LIVE_TEMPORARIES.discard(name)
        raise


def _finish(staged: _Staged) -> None:
    """Flush a staged regular file to disk so the rename publishes complete content."""
    if staged.temporary is None:
        return
    try:
        staged.handle.flush()
        os.fsync(staged.handle.fileno())
        staged.handle.close()
    except OSError as error:
        target = staged.target
        raise _refuse(target.given, target.resolved, _os_reason(error)) from None


def _copy_in_place(staged: _Staged) -> None:
    """Write a device or FIFO directly (a FIFO waits for its reader, as ``cat`` does)."""
    target = staged.target
    source = staged.handle
    try:
        source.seek(0)
        descriptor = os.open(target.resolved, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "wb") as sink:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
    except OSError as error:
        raise _refuse(target.given, target.resolved, _os_reason(error)) from None
    finally:
        source.close()
    staged.done = True


def _rename(staged: _Staged) -> None:
    target = staged.target
    assert staged.temporary is not None
    try:
        os.replace(staged.temporary, target.resolved)
    except OSError as error:
        raise _refuse(target.given, target.resolved, _os_reason(error)) from None
    _LIVE_TEMPORARIES.discard(staged.temporary)
    staged.done = True


def _remove_live_temporaries() -> None:
    for name in list(_LIVE_TEMPORARIES):
        with suppress(OSError):
            os.unlink(name)
        _LIVE_TEMPORARIES.discard(name)


def write_bytes(path: Path, data: bytes) -> None:
    """Write one file by the rules above (whole or nothing for a regular file)."""
    with Outputs(path) as outputs:
        outputs.write_bytes(path, data)


def write_text(path: Path, text: str) -> None:
    """Write one UTF-8 text file by the rules above."""
    write_bytes(path, text.encode("utf-8"))


BinaryTarget = str | os.PathLike[str] | IO[bytes]
"""Where a renderer writes: a path (its own one-file transaction) or a handle staged by
a command's :class:`Outputs`."""


@contextmanager
def binary_output(target: BinaryTarget) -> Iterator[IO[bytes]]:
    """A handle for ``target``: a handle is used as it is; a path is written by the
    rules above, committed when the block ends normally."""
    if isinstance(target, str | os.PathLike):
        path = Path(target)
        with Outputs(path) as outputs, outputs.open(path) as handle:
            yield handle
    else:
        yield target
