"""NegMAS is AGPL: it may be used by the benchmarks, never imported by the library."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "accord"


def test_library_never_imports_negmas() -> None:
    pattern = re.compile(r"^\s*(import|from)\s+negmas\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
