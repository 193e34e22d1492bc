"""Benchmark: accord's Pareto frontier against NegMAS 0.16's ``pareto_frontier``.

For each generated additive domain (``--sizes`` outcomes, ``--parties`` parties) the
same random weights and option values are given to both libraries, and the whole
frontier of the fully enumerated outcome space is computed:

* accord: ``compile_scenario(scenario)``, then every chunk of ``model.chunks()``
  through ``model.utilities(options)``, then ``pareto_mask(utilities, 1e-12)``.
  Timed from the validated ``Scenario`` to the frontier's outcome indices; best of
  ``--repeat`` runs. Peak memory is measured in one further, untimed run under
  :mod:`tracemalloc` (traced allocations made during the run, numpy buffers included).
* NegMAS: ``enumerate_issues(issues)`` then ``pareto_frontier(ufuns, outcomes=...)``
  with its defaults (``sort_by_welfare=True``, ``eps=1e-12``); this evaluates every
  ufun on every outcome and extracts the frontier. Timed from the constructed
  ``LinearAdditiveUtilityFunction`` objects to the frontier; best of up to
  ``--repeat`` runs, stopping early once ``--negmas-budget`` seconds (default 60)
  have been spent on a cell.

The frontiers are compared first as sets of outcomes (both libraries enumerate in
``itertools.product`` order, the first issue varying slowest); when they differ,
as sets of distinct utility vectors rounded to 1e-9 (NegMAS keeps one outcome per
utility vector, accord keeps every tied outcome).

NegMAS is AGPL and a benchmark-only dependency: it is imported here, never in ``src/``.

Run with an environment that has the ``bench`` extra, e.g. ``make bench`` or::

    python bench/pareto.py --sizes 1000 10000 100000 1000000 --parties 2 4
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.table import Table

from accord.analysis.pareto import pareto_mask
from accord.engine.compiled import CompiledModel, compile_scenario
from accord.model.scenario import Scenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

OPTIONS_PER_ISSUE = 10
TOLERANCE = 1e-12
ROUND_DECIMALS = 9
MIB = 1 << 20


@dataclass(frozen=True)
class Domain:
    """Additive preferences as plain numbers, shared by both libraries."""

    weights: FloatArray
    """``weights[p, i]``: party p's weight of issue i (each row sums to 1)."""
    values: FloatArray
    """``values[p, i, o]``: party p's value in [0, 1) of option o of issue i."""

    @property
    def n_parties(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_issues(self) -> int:
        return int(self.weights.shape[1])

    @property
    def n_options(self) -> int:
        return int(self.values.shape[2])

    @property
    def n_outcomes(self) -> int:
        return int(self.n_options**self.n_issues)


@dataclass
class Frontier:
    """A frontier as outcome indices (product order) and their utility vectors."""

    indices: IntArray
    utilities: FloatArray


@dataclass(frozen=True)
class Timing:
    """Best wall-clock and best process-CPU seconds over ``runs`` runs."""

    wall: float
    cpu: float
    runs: int


@dataclass
class Cell:
    """One row of the results table."""

    outcomes: int
    parties: int
    accord: Timing
    accord_peak_bytes: int
    accord_frontier: int
    negmas: Timing | None = None
    negmas_frontier: int | None = None
    same: str = "-"
    max_utility_difference: float | None = None
    notes: list[str] = field(default_factory=list)


def issue_id(i: int) -> str:
    return f"i{i}"


def option_id(o: int) -> str:
    return f"o{o}"


def generate_domain(outcomes: int, parties: int, rng: np.random.Generator) -> Domain:
    """Random additive preferences over ``log10(outcomes)`` issues of 10 options each."""
    n_issues = round(math.log(outcomes, OPTIONS_PER_ISSUE))
    if n_issues < 1 or OPTIONS_PER_ISSUE**n_issues != outcomes:
        raise ValueError(f"size {outcomes} is not a power of {OPTIONS_PER_ISSUE} (≥ 10)")
    weights = rng.dirichlet(np.ones(n_issues), size=parties)
    values = rng.random((parties, n_issues, OPTIONS_PER_ISSUE))
    return Domain(weights=weights, values=values)


def build_scenario(domain: Domain) -> Scenario:
    """The domain as an accord scenario; salience is used as given (already sums to 1)."""
    issues = [
        {
            "id": issue_id(i),
            "options": [{"id": option_id(o)} for o in range(domain.n_options)],
        }
        for i in range(domain.n_issues)
    ]
    parties = [
        {
            "id": f"p{p}",
            "name": f"Party {p}",
            "role": "principal",
            "preferences": {
                "salience": {
                    issue_id(i): float(domain.weights[p, i]) for i in range(domain.n_issues)
                },
                "values": {
                    issue_id(i): {
                        option_id(o): float(domain.values[p, i, o]) for o in range(domain.n_options)
                    }
                    for i in range(domain.n_issues)
                },
            },
        }
        for p in range(domain.n_parties)
    ]
    return Scenario.model_validate(
        {
            "id": "bench",
            "title": f"Benchmark: {domain.n_outcomes} outcomes, {domain.n_parties} parties",
            "utility": {"normalize_salience": False},
            "parties": parties,
            "issues": issues,
        }
    )


def build_negmas(domain: Domain) -> tuple[list[Any], list[Any]]:
    """The domain as NegMAS issues and ``LinearAdditiveUtilityFunction`` objects."""
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [
        make_issue(values=[option_id(o) for o in range(domain.n_options)], name=issue_id(i))
        for i in range(domain.n_issues)
    ]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={
                issue_id(i): {
                    option_id(o): float(domain.values[p, i, o]) for o in range(domain.n_options)
                }
                for i in range(domain.n_issues)
            },
            weights={issue_id(i): float(domain.weights[p, i]) for i in range(domain.n_issues)},
            issues=issues,
        )
        for p in range(domain.n_parties)
    ]
    return issues, ufuns


def accord_frontier(scenario: Scenario) -> Frontier:
    """accord's full path: compile, evaluate every outcome chunk by chunk, keep the frontier."""
    model = compile_scenario(scenario)
    utilities = np.empty((model.n_outcomes, len(model.party_ids)), dtype=np.float64)
    for indices, options in model.chunks():
        utilities[indices[0] : indices[-1] + 1] = model.utilities(options)
    frontier = np.flatnonzero(pareto_mask(utilities, TOLERANCE))
    return Frontier(indices=frontier, utilities=utilities[frontier])


def negmas_frontier(issues: Sequence[Any], ufuns: Sequence[Any]) -> Frontier:
    """NegMAS's path: enumerate the outcome space, then ``pareto_frontier`` at defaults."""
    from negmas.outcomes import enumerate_issues
    from negmas.preferences import pareto_frontier

    outcomes = enumerate_issues(issues)
    points, indices = pareto_frontier(ufuns, outcomes=outcomes)
    return Frontier(
        indices=_flat_indices([outcomes[int(i)] for i in indices]),
        utilities=np.asarray(points, dtype=np.float64).reshape(len(indices), len(ufuns)),
    )


def _flat_indices(outcomes: Sequence[Sequence[str]]) -> IntArray:
    """NegMAS outcome tuples (``("o3", "o0", ...)``) → flat indices in product order."""
    result = np.zeros(len(outcomes), dtype=np.int64)
    for row, outcome in enumerate(outcomes):
        index = 0
        for option in outcome:
            index = index * OPTIONS_PER_ISSUE + int(option[1:])
        result[row] = index
    return result


def best_time(
    run: Callable[[], Frontier], repeat: int, budget: float = math.inf
) -> tuple[Timing, Frontier]:
    """Best times of up to ``repeat`` runs (fewer once ``budget`` wall seconds are spent).

    Wall-clock time is the headline; process CPU time is kept too because it is less
    disturbed by other work on a shared machine (both sides are single-threaded).
    """
    wall = cpu = math.inf
    spent = 0.0
    runs = 0
    result: Frontier | None = None
    while runs < max(1, repeat):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        wall, cpu = min(wall, elapsed), min(cpu, elapsed_cpu)
        spent += elapsed
        runs += 1
        if spent >= budget:
            break
    assert result is not None
    return Timing(wall=wall, cpu=cpu, runs=runs), result


def traced_peak(run: Callable[[], Frontier]) -> int:
    """Peak bytes allocated (and traced by tracemalloc) during one run."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def rounded_points(utilities: FloatArray) -> set[tuple[float, ...]]:
    return {tuple(row) for row in np.round(utilities, ROUND_DECIMALS).tolist()}


def compare(cell: Cell, ours: Frontier, theirs: Frontier, model: CompiledModel) -> None:
    """Fill ``cell.same``: equal outcome sets, else equal sets of utility points."""
    ours_set = set(ours.indices.tolist())
    theirs_set = set(theirs.indices.tolist())
    if len(theirs.indices):
        recomputed = model.utilities(model.decode(theirs.indices))
        cell.max_utility_difference = float(np.max(np.abs(recomputed - theirs.utilities)))
    if ours_set == theirs_set:
        cell.same = "yes (outcomes)"
        return
    if theirs_set <= ours_set and rounded_points(ours.utilities) == rounded_points(
        theirs.utilities
    ):
        cell.same = "yes (points)"
        cell.notes.append(
            f"NegMAS kept {len(theirs_set)} of accord's {len(ours_set)} outcomes, "
            "one per distinct utility vector; the utility-vector sets are equal"
        )
        return
    if rounded_points(ours.utilities) == rounded_points(theirs.utilities):
        cell.same = "yes (points)"
        cell.notes.append("outcome sets differ but the sets of utility vectors are equal")
        return
    cell.same = "NO"
    only_ours = sorted(ours_set - theirs_set)[:5]
    only_theirs = sorted(theirs_set - ours_set)[:5]
    cell.notes.append(f"only accord: {only_ours} …; only NegMAS: {only_theirs} …")


def negmas_available() -> str | None:
    """NegMAS's version, or None when it cannot be imported."""
    try:
        import negmas
    except ImportError:
        return None
    return str(getattr(negmas, "__version__", "?"))


def run_benchmark(args: argparse.Namespace, console: Console) -> list[Cell]:
    rng = np.random.default_rng(args.seed)
    cells: list[Cell] = []
    slow_from: dict[int, int] = {}  # parties → smallest size where NegMAS exceeded the limit
    for size in sorted(args.sizes):
        for parties in args.parties:
            domain = generate_domain(size, parties, rng)
            scenario = build_scenario(domain)
            model = compile_scenario(scenario)

            def run_accord(scenario: Scenario = scenario) -> Frontier:
                return accord_frontier(scenario)

            timing, ours = best_time(run_accord, args.repeat)
            peak = traced_peak(run_accord)
            cell = Cell(
                outcomes=size,
                parties=parties,
                accord=timing,
                accord_peak_bytes=peak,
                accord_frontier=len(ours.indices),
            )
            cells.append(cell)
            console.print(
                f"[dim]{size:>9,} outcomes, {parties} parties: accord {timing.wall:.3f} s, "
                f"frontier {len(ours.indices)}, peak {peak / MIB:.1f} MiB[/dim]"
            )
            if args.skip_negmas:
                continue
            if parties in slow_from and size > slow_from[parties]:
                cell.notes.append(
                    f"NegMAS skipped: it took over {args.max_negmas_seconds:g} s "
                    f"at {slow_from[parties]:,} outcomes"
                )
                console.print(f"[dim]  {cell.notes[-1]}[/dim]")
                continue
            issues, ufuns = build_negmas(domain)

            def run_negmas(issues: list[Any] = issues, ufuns: list[Any] = ufuns) -> Frontier:
                return negmas_frontier(issues, ufuns)

            cell.negmas, theirs = best_time(run_negmas, args.repeat, args.negmas_budget)
            cell.negmas_frontier = len(theirs.indices)
            compare(cell, ours, theirs, model)
            del theirs
            gc.collect()
            if cell.negmas.wall > args.max_negmas_seconds:
                slow_from.setdefault(parties, size)
            console.print(
                f"[dim]  NegMAS {cell.negmas.wall:.3f} s (best of {cell.negmas.runs}), "
                f"frontier {cell.negmas_frontier}, same: {cell.same}[/dim]"
            )
    return cells


def _ratio(cell: Cell, cpu: bool = False) -> str:
    if cell.negmas is None:
        return "-"
    if cpu:
        return f"{cell.negmas.cpu / cell.accord.cpu:,.1f}×"
    return f"{cell.negmas.wall / cell.accord.wall:,.1f}×"


def _frontier(cell: Cell) -> str:
    if cell.negmas_frontier is None or cell.negmas_frontier == cell.accord_frontier:
        return f"{cell.accord_frontier:,}"
    return f"{cell.accord_frontier:,} (NegMAS {cell.negmas_frontier:,})"


def table_rows(cells: Sequence[Cell]) -> list[list[str]]:
    return [
        [
            f"{cell.outcomes:,}",
            str(cell.parties),
            _frontier(cell),
            f"{cell.accord.wall:.3f}",
            "-" if cell.negmas is None else f"{cell.negmas.wall:.3f} ({cell.negmas.runs})",
            _ratio(cell),
            _ratio(cell, cpu=True),
            cell.same,
            f"{cell.accord_peak_bytes / MIB:,.1f}",
        ]
        for cell in cells
    ]


HEADERS = [
    "outcomes",
    "parties",
    "frontier",
    "accord s",
    "NegMAS s (runs)",
    "NegMAS/accord",
    "ratio, CPU time",
    "same frontier",
    "accord peak MiB",
]


def print_table(cells: Sequence[Cell], console: Console) -> None:
    table = Table(title="Pareto frontier of the full outcome space")
    for header in HEADERS:
        table.add_column(header, justify="left" if header == "same frontier" else "right")
    for row in table_rows(cells):
        table.add_row(*row)
    console.print(table)


def markdown_table(cells: Sequence[Cell]) -> str:
    align = ["---|" if header == "same frontier" else "---:|" for header in HEADERS]
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "".join(align)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(cells)]
    return "\n".join(lines)


def environment(negmas_version: str | None) -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"negmas {negmas_version or 'not used'}, {os.cpu_count()} CPUs ({cpu}), "
        f"{platform.system()} {platform.machine()}, {_load()}"
    )


def _load() -> str:
    """The 1-minute load average: other work on the machine skews the timings."""
    try:
        return f"load average {os.getloadavg()[0]:.2f}"
    except OSError:
        return "load average ?"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1_000, 10_000, 100_000, 1_000_000],
        help="outcome-space sizes, powers of 10 (10 options per issue)",
    )
    parser.add_argument("--parties", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--seed", type=int, default=0, help="numpy Generator seed")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per cell (best kept)")
    parser.add_argument("--skip-negmas", action="store_true", help="time accord only")
    parser.add_argument(
        "--max-negmas-seconds",
        type=float,
        default=120.0,
        help="skip NegMAS at larger sizes once one size took longer than this",
    )
    parser.add_argument(
        "--negmas-budget",
        type=float,
        default=60.0,
        help="stop repeating NegMAS on a cell once this many seconds were spent on it",
    )
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = parser.parse_args(argv)
    if any(p < 2 for p in args.parties):
        parser.error("--parties must be at least 2")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    negmas_version = None
    if not args.skip_negmas:
        negmas_version = negmas_available()
        if negmas_version is None:
            print(
                "error: NegMAS is not importable from this Python "
                f"({sys.executable}). Install the benchmark extra "
                "(pip install -e '.[bench]', e.g. via `make bench`) or pass --skip-negmas.",
                file=sys.stderr,
            )
            return 2
    try:
        for size in args.sizes:
            generate_domain(size, 2, np.random.default_rng(0))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    console.print(environment(negmas_version))
    cells = run_benchmark(args, console)
    console.print(f"finished, {_load()}")
    print_table(cells, console)
    for cell in cells:
        extra = list(cell.notes)
        if cell.max_utility_difference is not None:
            extra.append(
                f"max |u_accord - u_NegMAS| on NegMAS's frontier: {cell.max_utility_difference:.1e}"
            )
        for note in extra:
            console.print(f"{cell.outcomes:,} outcomes, {cell.parties} parties: {note}")
    if args.markdown:
        print()
        print(markdown_table(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
