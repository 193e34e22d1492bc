"""Where the read-only reference material lives: ``$ACCORD_SHARED``, or ``../shared``
beside the repository (CI always has it; a user's clone may not)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["shared_dir"]


def shared_dir(*parts: str) -> Path:
    """A path under the shared folder (it may not exist: callers skip with a reason)."""
    override = os.environ.get("ACCORD_SHARED")
    base = Path(override) if override else Path(__file__).resolve().parents[2] / "shared"
    return base.joinpath(*parts)
