"""Benchmark: accord's alternating-offers session against NegMAS 0.16's ``SAOMechanism``.

For each generated domain (``--sizes`` outcomes: issues of 10 options each) two
parties get the same random issue weights and opposed option values (B's value of
every option is 1 − A's, so ``u_A + u_B = 1`` on every outcome), and both reservation
values are 0.6: no outcome is acceptable to both, so no agreement is possible and every
one of the ``--rounds`` rounds runs, each negotiator making one offer per round.

* accord: ``simulate(scenario, "alternating", "boulware", SessionSpec(rounds=N),
  metrics=False)``, timed from the validated ``Scenario`` to the finished result
  (compiling the model, the per-negotiator sorted utility tables, the session, and the
  result with its trace). Best of ``--accord-repeat`` runs.
* NegMAS: ``SAOMechanism(issues=..., n_steps=N)`` with two ``BoulwareTBNegotiator``
  given ``LinearAdditiveUtilityFunction`` objects (``reserved_value=0.6``), timed from
  the constructed utility functions to the end of ``run()``. Best of up to
  ``--repeat`` runs, stopping once ``--negmas-budget`` seconds have been spent on a size.

Both must run all N rounds without agreement (checked). Rounds per second are N over
the whole session's wall time, setup included: that is what a user waits for. The
CPU column compares best process-CPU times, which a busy machine disturbs less.

NegMAS is AGPL and a benchmark-only dependency: it is imported here, never in ``src/``.
Run with an environment that has the ``bench`` extra, e.g.::

    python bench/simulate.py --sizes 1000 10000 100000 1000000 --markdown
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.table import Table

from accord.model.scenario import Scenario
from accord.simulation import SessionSpec, simulate

FloatArray = npt.NDArray[np.float64]

OPTIONS = 10
RESERVATION = 0.6


@dataclass(frozen=True)
class Domain:
    weights: FloatArray
    """``weights[i]``: both parties' weight of issue i (sums to 1)."""
    values: FloatArray
    """``values[i, o]``: party A's value of option o of issue i; B's is 1 − that."""

    @property
    def issues(self) -> int:
        return int(self.weights.shape[0])

    @property
    def outcomes(self) -> int:
        return int(OPTIONS**self.issues)

    def party_values(self, party: int) -> FloatArray:
        return self.values if party == 0 else 1.0 - self.values


@dataclass(frozen=True)
class Timing:
    """Best wall-clock and best process-CPU seconds over ``runs`` runs."""

    seconds: float
    cpu: float
    runs: int
    rounds: int


@dataclass
class Row:
    outcomes: int
    accord: Timing
    negmas: Timing | None = None
    note: str = ""


def generate(outcomes: int, rng: np.random.Generator) -> Domain:
    issues = round(math.log(outcomes, OPTIONS))
    if issues < 1 or OPTIONS**issues != outcomes:
        raise ValueError(f"size {outcomes} is not a power of {OPTIONS}")
    return Domain(weights=rng.dirichlet(np.ones(issues)), values=rng.random((issues, OPTIONS)))


def build_scenario(domain: Domain) -> Scenario:
    def preferences(party: int) -> dict[str, Any]:
        values = domain.party_values(party)
        return {
            "salience": {f"i{i}": float(w) for i, w in enumerate(domain.weights)},
            "values": {
                f"i{i}": {f"o{o}": float(values[i, o]) for o in range(OPTIONS)}
                for i in range(domain.issues)
            },
            "reservation": {"value": RESERVATION},
        }

    return Scenario.model_validate(
        {
            "id": "bench",
            "title": f"Benchmark: {domain.outcomes} outcomes",
            "utility": {"normalize_salience": False},
            "issues": [
                {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(OPTIONS)]}
                for i in range(domain.issues)
            ],
            "parties": [
                {"id": name, "name": name, "role": "principal", "preferences": preferences(p)}
                for p, name in enumerate(("a", "b"))
            ],
        }
    )


def build_negmas(domain: Domain) -> tuple[list[Any], list[Any]]:
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [
        make_issue(values=[f"o{o}" for o in range(OPTIONS)], name=f"i{i}")
        for i in range(domain.issues)
    ]
    ufuns = []
    for party in range(2):
        values = domain.party_values(party)
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values={
                    f"i{i}": {f"o{o}": float(values[i, o]) for o in range(OPTIONS)}
                    for i in range(domain.issues)
                },
                weights={f"i{i}": float(w) for i, w in enumerate(domain.weights)},
                issues=issues,
                reserved_value=RESERVATION,
            )
        )
    return issues, ufuns


def run_accord(scenario: Scenario, rounds: int) -> int:
    result = simulate(
        scenario, "alternating", "boulware", spec=SessionSpec(rounds=rounds), metrics=False
    )
    if result.agreement or len(result.events) != 2 * rounds:
        raise RuntimeError("accord: expected every round to run without agreement")
    return result.round


def run_negmas(issues: list[Any], ufuns: list[Any], rounds: int) -> int:
    from negmas.sao import BoulwareTBNegotiator, SAOMechanism

    mechanism = SAOMechanism(issues=issues, n_steps=rounds)
    mechanism.add(BoulwareTBNegotiator(name="a"), preferences=ufuns[0])
    mechanism.add(BoulwareTBNegotiator(name="b"), preferences=ufuns[1])
    state = mechanism.run()
    if state.agreement is not None or state.step != rounds:
        raise RuntimeError("NegMAS: expected every round to run without agreement")
    return int(state.step)


def best_time(run: Callable[[], int], repeat: int, budget: float = math.inf) -> Timing:
    best, best_cpu, runs, rounds, spent = math.inf, math.inf, 0, 0, 0.0
    while runs < repeat and spent < budget:
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        rounds = run()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        best, best_cpu = min(best, elapsed), min(best_cpu, cpu)
        runs, spent = runs + 1, spent + elapsed
    return Timing(best, best_cpu, runs, rounds)


def negmas_version() -> str | None:
    try:
        import negmas
    except ImportError:
        return None
    return str(negmas.__version__)


def benchmark(args: argparse.Namespace, console: Console) -> list[Row]:
    rng = np.random.default_rng(args.seed)
    version = negmas_version()
    rows = []
    for size in args.sizes:
        domain = generate(size, rng)
        scenario = build_scenario(domain)
        console.print(f"{size:>9,} outcomes: accord …", end="")
        ours = best_time(lambda s=scenario: run_accord(s, args.rounds), args.accord_repeat)
        row = Row(size, ours)
        if version is None:
            row.note = "NegMAS not installed"
        else:
            console.print(" NegMAS …", end="")
            issues, ufuns = build_negmas(domain)
            row.negmas = best_time(
                lambda i=issues, u=ufuns: run_negmas(i, u, args.rounds),
                args.repeat,
                args.negmas_budget,
            )
        console.print(" done")
        rows.append(row)
    return rows


def table_rows(rows: Sequence[Row]) -> list[list[str]]:
    lines = []
    for row in rows:
        ours = row.accord.rounds / row.accord.seconds
        theirs = row.negmas.rounds / row.negmas.seconds if row.negmas else None
        cpu = row.negmas.cpu / row.accord.cpu if row.negmas else None
        lines.append(
            [
                f"{row.outcomes:,}",
                f"{row.accord.seconds * 1000:,.1f} ms",
                f"{ours:,.0f}",
                "—" if row.negmas is None else f"{row.negmas.seconds:,.2f} s",
                "—" if theirs is None else f"{theirs:,.0f}",
                "—" if theirs is None else f"{ours / theirs:,.0f}×",
                "—" if cpu is None else f"{cpu:,.0f}×",
                f"{row.accord.runs} / {row.negmas.runs if row.negmas else 0}",
            ]
        )
    return lines


HEADER = [
    "outcomes",
    "accord session",
    "accord rounds/s",
    "NegMAS session",
    "NegMAS rounds/s",
    "speed-up (wall)",
    "speed-up (CPU)",
    "runs (accord / NegMAS)",
]


def environment() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            cpu = next(line.split(":", 1)[1].strip() for line in stream if "model name" in line)
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy "
        f"{np.__version__}, NegMAS {negmas_version() or 'not installed'}; "
        f"{platform.system()} {platform.machine()}; load average {load:.2f} at start"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="NegMAS: best of this many runs")
    parser.add_argument(
        "--accord-repeat", type=int, default=10, help="accord: best of this many runs"
    )
    parser.add_argument(
        "--negmas-budget", type=float, default=20.0, help="stop repeating NegMAS after this (s)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    console.print(environment(), highlight=False)
    rows = benchmark(args, console)
    table = Table(
        *HEADER, title=f"Alternating offers, two Boulware negotiators, {args.rounds} rounds"
    )
    for line in table_rows(rows):
        table.add_row(*line)
    console.print(table)
    for row in rows:
        if row.note:
            console.print(f"{row.outcomes:,}: {row.note}")
    if args.markdown:
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "---|" * len(HEADER))
        for line in table_rows(rows):
            print("| " + " | ".join(line) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
