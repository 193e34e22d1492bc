"""Whole-or-nothing file writes: a temporary file beside the target, renamed into place.

Interrupted or failed writes leave no half-written output (DESIGN §8).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from accord.errors import AccordError

__all__ = ["atomic_target", "write_text_atomically"]


@contextmanager
def atomic_target(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path to write to; renamed to ``path`` (usual file mode) on success,
    deleted on any failure or interruption."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AccordError(f"{path}: folder {folder} does not exist")
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp creates 0600 files
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    with atomic_target(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
