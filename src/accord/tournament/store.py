"""Results files that never lose work: each is written with a *manifest* beside it
(``results.csv`` → ``results.csv.manifest.json``) that records the fingerprint of the
tournament that made it.

The fingerprint is the SHA-256 of the canonical spec: the validated spec and the
scenario of every arena (their sources left out: titles and file paths change no
result), as JSON with sorted keys. With it, ``accord tournament SPEC --resume`` reads
the results file back, keeps every run that finished (a run is its cell's key, and
finished when the file has a row for each of its negotiators), runs only the others,
and writes the union in the tournament's own order: since every cell's seed is derived
from its key alone (:func:`~accord.tournament.plan.run_seed`), the file is the one an
uninterrupted run writes. A results file made from another spec is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from accord.errors import AccordError
from accord.io.outputs import Outputs, check_output
from accord.tournament.plan import Plan
from accord.tournament.readback import read_rows
from accord.tournament.results import Row, write_rows
from accord.tournament.spec import TournamentSpec

__all__ = [
    "CHECKPOINT_SECONDS",
    "MANIFEST_FORMAT",
    "Checkpoint",
    "Manifest",
    "default_results_path",
    "fingerprint",
    "finished_runs",
    "manifest_path",
    "manifest_target",
    "merged_rows",
    "read_manifest",
    "refuse_replacing_whole",
    "remaining",
    "save_results",
]

MANIFEST_FORMAT = "accord/tournament-results/1"

_UNSAFE_IN_NAMES = re.compile(r"[^\w.+=-]+")
"""Characters a cell key may hold that do not belong in a file name (``/``, spaces)."""


def fingerprint(spec: TournamentSpec, plan: Plan) -> str:
    """SHA-256 (hex) of the canonical spec and the scenarios it names."""
    scenarios = {
        label: arena.scenario.model_dump(mode="json", exclude={"sources"})
        for label, arena in plan.arenas.items()
    }
    canonical = {"spec": spec.model_dump(mode="json"), "scenarios": scenarios}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What a results file holds: which tournament (``spec_sha256``), how many runs the
    whole tournament has, and the replayed cell when it is a replay (``--only``)."""

    spec_sha256: str
    name: str
    runs: int
    only: str | None = None

    def to_json(self) -> str:
        return json.dumps({"format": MANIFEST_FORMAT, **asdict(self)}, indent=2) + "\n"


def manifest_path(results: Path) -> Path:
    """Beside the file ``results`` names, after following links (so a link to the
    results and the file itself share one manifest)."""
    resolved = Path(os.path.realpath(results))
    return resolved.with_name(resolved.name + ".manifest.json")


def manifest_target(results: Path) -> Path | None:
    """Where the manifest of ``results`` goes; None when the results go to a device or
    a FIFO (``/dev/stdout``), which cannot be resumed from."""
    return None if check_output(results).in_place else manifest_path(results)


def default_results_path(name: str, only: str | None) -> Path:
    """``NAME-results.csv``, or for a replay ``NAME-cell-KEY.csv`` (never the former)."""
    if only is None:
        return Path(f"{name}-results.csv")
    return Path(f"{name}-cell-{_UNSAFE_IN_NAMES.sub('_', only)}.csv")


def read_manifest(results: Path) -> Manifest | None:
    """The manifest beside ``results`` (None when there is none); AccordError when it
    cannot be read or is not one."""
    path = manifest_path(results)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AccordError(f"{path}: cannot read the results manifest ({error})") from None
    if not isinstance(data, dict) or data.pop("format", None) != MANIFEST_FORMAT:
        raise AccordError(f"{path}: not an accord tournament results manifest")
    try:
        return Manifest(**data)
    except TypeError:
        raise AccordError(f"{path}: not an accord tournament results manifest") from None


def save_results(rows: Sequence[Row], path: Path, manifest: Manifest) -> None:
    """Write ``rows`` and the manifest in one transaction (:class:`Outputs`: both whole,
    the results renamed into place first). A manifest of another tournament is removed
    before, so that it never describes these rows."""
    beside = manifest_target(path)
    try:
        old = read_manifest(path) if beside is not None else None
    except AccordError:
        old = None
    if beside is not None and (old is None or old.spec_sha256 != manifest.spec_sha256):
        beside.unlink(missing_ok=True)
    with Outputs(path, beside) as outputs:
        with outputs.open(path) as handle:
            write_rows(rows, path, handle)
        if beside is not None:
            outputs.write_text(beside, manifest.to_json())


def refuse_replacing_whole(path: Path, manifest: Manifest) -> None:
    """A replay (``--only``) never replaces the results of a whole tournament."""
    if not path.exists():
        return
    old = read_manifest(path)
    if old is not None and old.only is None and manifest.only is not None:
        default = default_results_path(manifest.name, manifest.only)
        raise AccordError(
            f"{path} holds the results of the whole tournament {old.name!r} ({old.runs} "
            f"runs); a replay of one cell would replace them. Leave out -o (the replay "
            f"then goes to {default}) or choose another file"
        )


def finished_runs(path: Path, plan: Plan, manifest: Manifest) -> dict[str, list[Row]]:
    """The rows of every finished run in the results file ``path``, by cell key (empty
    when there is no file yet). AccordError when the file was made from another spec,
    has no manifest, or holds rows this tournament cannot have made."""
    if not path.exists():
        return {}
    old = read_manifest(path)
    if old is None:
        raise AccordError(
            f"{path}: no manifest ({manifest_path(path).name}) says which tournament made "
            "these results, so they cannot be resumed; run without --resume to start again"
        )
    if old.spec_sha256 != manifest.spec_sha256:
        raise AccordError(
            f"{path} was made from a different tournament spec (fingerprint "
            f"{old.spec_sha256[:12]}…, this spec {manifest.spec_sha256[:12]}…); refusing to "
            "mix their results. Resume with the spec that made it, or write to another "
            "file (-o) without --resume"
        )
    return _complete_runs(path, plan, read_rows(path))


def _complete_runs(path: Path, plan: Plan, rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Rows grouped by cell; a cell missing some of its negotiators' rows (a file cut
    short) counts as unfinished and runs again."""
    cells = {cell.key: cell for cell in plan.cells}
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        cell = cells.get(row["cell"])
        if cell is None or row["run"] != cell.index:
            raise AccordError(
                f"{path}: run {row['run']} ({row['cell']!r}) is not a run of this "
                "tournament; refusing to resume from it"
            )
        grouped.setdefault(cell.key, []).append(row)
    return {
        key: group
        for key, group in grouped.items()
        if [r["party"] for r in group] == list(plan.arenas[cells[key].arena].parties)
    }


def remaining(plan: Plan, done: Mapping[str, object]) -> Plan:
    """``plan`` without the cells in ``done``."""
    cells = tuple(cell for cell in plan.cells if cell.key not in done)
    return Plan(plan.name, plan.seed, plan.arenas, cells)


def merged_rows(plan: Plan, done: Mapping[str, list[Row]], new: Sequence[Row]) -> list[Row]:
    """Finished and new rows in the tournament's order (by run, then negotiator)."""
    by_cell: dict[str, list[Row]] = {key: list(rows) for key, rows in done.items()}
    for row in new:
        by_cell.setdefault(row["cell"], []).append(row)
    return [row for cell in plan.cells for row in by_cell.get(cell.key, ())]


CHECKPOINT_SECONDS = 60.0
"""Least time between two checkpoint writes of a running tournament's results."""


class Checkpoint:
    """Rewrites the results file (and its manifest) now and then while a tournament
    runs, so that a process killed without the chance to write on its way out loses at
    most the runs of the last interval: ``--resume`` continues from the checkpoint.

    Call it with each finished batch's rows (the runner's ``on_rows``). The interval is
    :data:`CHECKPOINT_SECONDS`, or twenty times the last write's duration if longer, so
    that rewriting a large file never takes more than a twentieth of the time.
    """

    def __init__(
        self,
        plan: Plan,
        done: Mapping[str, list[Row]],
        path: Path,
        manifest: Manifest,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._plan, self._done, self._path, self._manifest = plan, done, path, manifest
        self._clock = clock
        self._rows: list[Row] = []
        self._last = clock()
        self._interval = CHECKPOINT_SECONDS

    def __call__(self, rows: Sequence[Row], runs: int) -> None:
        self._rows += rows
        start = self._clock()
        if start - self._last < self._interval:
            return
        save_results(merged_rows(self._plan, self._done, self._rows), self._path, self._manifest)
        self._last = self._clock()
        self._interval = max(CHECKPOINT_SECONDS, 20 * (self._last - start))
