"""The audit log's hash chain: append-only, each entry hashing the one before.

Every state change of a case is one entry ``{seq, at, actor, action, detail, prev,
hash}``; ``hash`` is the SHA-256 of the canonical JSON (sorted keys, no spaces) of the
entry without ``hash``, and ``prev`` is the previous entry's hash (64 zeros for the
first). This is the linked timestamping of Haber & Stornetta (1991): changing,
removing or reordering any entry breaks every hash after it, so an exported log can be
verified offline (``accord audit verify FILE``), and a log a delegation saved earlier
must be a prefix of any later one. The chain proves integrity relative to what one
has seen, not that the server recorded everything: see ``docs/how-to/serve.md``.

This module is pure (standard library only), so verifying needs no web stack.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["AUDIT_FORMAT", "GENESIS", "ChainCheck", "entry_hash", "verify_chain", "verify_export"]

AUDIT_FORMAT = "accord/audit/1"
GENESIS = "0" * 64
_FIELDS = ("case", "seq", "at", "actor", "action", "detail", "prev")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``entry``'s chained fields."""
    body = {name: entry.get(name) for name in _FIELDS}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    problem: str | None = None
    """The first break found: which entry, and what does not match."""
    head: str = GENESIS


def verify_chain(entries: Sequence[Mapping[str, Any]]) -> ChainCheck:
    """Check sequence numbers, links and hashes of ``entries`` in order."""
    prev = GENESIS
    for position, entry in enumerate(entries, start=1):
        where = f"entry {position}"
        if not isinstance(entry, Mapping):
            return ChainCheck(False, len(entries), f"{where}: expected a mapping")
        if entry.get("seq") != position:
            return ChainCheck(
                False,
                len(entries),
                f"{where}: sequence number {entry.get('seq')!r}, "
                f"expected {position} (an entry was removed or reordered)",
            )
        if entry.get("prev") != prev:
            return ChainCheck(False, len(entries), f"{where}: does not link to the entry before it")
        if entry.get("hash") != entry_hash(entry):
            return ChainCheck(
                False, len(entries), f"{where}: hash does not match its content (altered)"
            )
        prev = str(entry["hash"])
    return ChainCheck(True, len(entries), None, prev)


def verify_export(data: Any, earlier: Any = None) -> ChainCheck:
    """Verify an exported log (``GET /api/cases/{case}/audit``), and optionally that an
    ``earlier`` export of the same case is a prefix of it (nothing rewritten since)."""
    entries = _entries(data)
    if isinstance(entries, str):
        return ChainCheck(False, 0, entries)
    check = verify_chain(entries)
    if not check.ok or earlier is None:
        return check
    old = _entries(earlier)
    if isinstance(old, str):
        return ChainCheck(False, 0, f"earlier export: {old}")
    if len(old) > len(entries) or any(
        a.get("hash") != b.get("hash") for a, b in zip(old, entries, strict=False)
    ):
        return ChainCheck(False, check.entries, "the earlier export is not a prefix of this one")
    return check


def _entries(data: Any) -> list[Mapping[str, Any]] | str:
    if not isinstance(data, Mapping) or data.get("format") != AUDIT_FORMAT:
        return f"not an accord audit export (expected format {AUDIT_FORMAT!r})"
    entries = data.get("entries")
    if not isinstance(entries, list):
        return "expected a list of entries"
    case = data.get("case")
    if any(isinstance(e, Mapping) and e.get("case") != case for e in entries):
        return "an entry belongs to another case"
    return entries
