"""Benchmark: accord's structured solvers, 10^4 to 10^18 outcomes, against enumeration and NegMAS.

All in one run, on generated scenarios (``--seed``):

* **scale**: *full* scenarios — ``n`` issues of 4 options, 5 principals, 20 interaction
  terms and 10 red lines, reservation values 0.5 — from 4^7 (1.6·10^4) to 4^30
  (1.2·10^18) outcomes. For each: accord's enumerating ``analyze`` where the space is
  at most ``--enumerate-max`` outcomes; the structured zone of agreement plus the four
  bargaining solutions (the 10^18 target: under 10 s); the whole structured
  ``analyze`` (adds best/worst outcomes, the frontier and trades). Where both methods
  run, their solutions are compared (same outcomes).
* **negmas**: *additive* domains (no interactions or red lines, which NegMAS's
  ``LinearAdditiveUtilityFunction`` cannot express) of 10^4 and 10^6 outcomes for 2 and
  4 parties: NegMAS 0.16 enumerates the space and computes the Pareto frontier, Nash,
  Kalai–Smorodinsky and maximum-welfare points (skipped beyond ``--negmas-limit``
  seconds); accord computes the exact frontier and the four solutions, enumerating and
  structured. Target: structured at least 100× faster than NegMAS on 10^6.
* **frontier**: the exact 2-party frontier of additive domains of 30 and 40 issues
  (4 options; 40 × 10 options too). Target: 40 issues in under 5 s.
* **threshold**: the whole ``analyze``, enumerating versus structured, on full
  scenarios of 4^5 to 4^11 outcomes: where the structured path becomes faster is
  ``AUTO_ENUMERATE_MAX`` (:mod:`accord.analysis.structured.method`).
* **solvers**: HiGHS against OR-Tools CP-SAT (when installed) on the 4^30 instance:
  the utilitarian optimum over acceptable outcomes.

NegMAS is AGPL and a benchmark-only dependency (``pip install -e '.[bench]'``): it is
imported here, never in ``src/``. Run::

    python bench/scale.py            # everything (about 10 minutes on 2 cores)
    python bench/scale.py --quick    # smaller sizes, no NegMAS at 10^6
"""

from __future__ import annotations

import argparse
import gc
import math
import multiprocessing
import os
import platform
import queue as queue_module
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from accord import Scenario, analyze, compile_scenario
from accord.analysis.pareto import pareto_mask
from accord.analysis.structured.bargaining import (
    bargaining_solutions,
    ideal_gains,
    solutions_on_frontier,
)
from accord.analysis.structured.dominance import prune
from accord.analysis.structured.encoding import Encoding
from accord.analysis.structured.frontier import pareto_frontier
from accord.analysis.structured.program import Interrupt, Program, solve
from accord.analysis.structured.search import Search
from accord.analysis.structured.zone import zone_examples
from accord.engine.compiled import CompiledModel

OPTIONS = 4


def generate(
    n_issues: int,
    *,
    n_options: int = OPTIONS,
    n_parties: int = 5,
    n_interactions: int = 20,
    n_red_lines: int = 10,
    reservation: float = 0.5,
    seed: int = 0,
) -> Scenario:
    """Random weights (Dirichlet), option values in [0, 1), interaction bonuses in
    [−0.1, 0.1] over two issues, red lines over two issues; terms dealt out in turn."""
    rng = np.random.default_rng(seed)
    issues = [
        {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(n_options)]}
        for i in range(n_issues)
    ]

    def condition() -> dict[str, list[str]]:
        chosen = rng.choice(n_issues, size=min(2, n_issues), replace=False)
        return {
            f"i{i}": [
                f"o{o}"
                for o in sorted(
                    rng.choice(n_options, size=int(rng.integers(1, n_options)), replace=False)
                )
            ]
            for i in chosen
        }

    parties = []
    for p in range(n_parties):
        weights = rng.dirichlet(np.ones(n_issues))
        values = rng.random((n_issues, n_options))
        prefs = {
            "salience": {f"i{i}": float(weights[i]) for i in range(n_issues)},
            "values": {
                f"i{i}": {f"o{o}": float(values[i, o]) for o in range(n_options)}
                for i in range(n_issues)
            },
            "reservation": {"value": reservation},
            "interactions": [
                {"when": condition(), "value": float(rng.uniform(-0.1, 0.1))}
                for _ in range(n_interactions // n_parties + (p < n_interactions % n_parties))
            ],
            "red_lines": [
                {"when": condition(), "reason": f"red line {n}"}
                for n in range(n_red_lines // n_parties + (p < n_red_lines % n_parties))
            ],
        }
        parties.append({"id": f"p{p}", "name": f"P{p}", "role": "principal", "preferences": prefs})
    return Scenario.model_validate(
        {
            "id": f"scale-{n_issues}x{n_options}-{n_parties}p",
            "title": "generated",
            "utility": {"normalize_salience": False},
            "parties": parties,
            "issues": issues,
        }
    )


def warm_up() -> None:
    """Load the compiled kernels: Numba's first call in a process takes about half a
    second, paid once, like the imports NegMAS's timings leave out."""
    prune(np.zeros((3, 3)))
    pareto_mask(np.random.default_rng(0).random((2048, 3)))  # the compiled n-party filter


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def zone_and_solutions(model: CompiledModel) -> dict[str, Any]:
    """The structured zone check plus the four bargaining solutions (the 10 s target)."""
    chosen = list(range(len(model.party_ids)))
    search = Search(Encoding(model, chosen), Interrupt())
    examples = zone_examples(search, count=1)
    if not examples:
        return {}
    d = model.reservations[chosen]
    ideal, rows = ideal_gains(search, d)
    return dict(bargaining_solutions(search, d, ideal, examples + rows))


def frontier_and_solutions(model: CompiledModel, limit: int) -> Any:
    """What NegMAS computes: the exact frontier and the bargaining solutions (read off
    the frontier when there are no red lines, as ``analyze`` does; else solved)."""
    parties = list(range(len(model.party_ids)))
    rows = pareto_frontier(model, parties, limit)
    picks = solutions_on_frontier(model, parties, rows)
    return rows, picks if picks is not None else zone_and_solutions(model)


def _same_solutions(a: Any, b: Any) -> str:
    same = all(
        (x is None and y is None)
        or (x is not None and y is not None and x.point.index == y.point.index)
        for x, y in zip(a.solutions.values(), b.solutions.values(), strict=True)
    )
    return "yes" if same else "NO"


def scale_rows(args: argparse.Namespace, console: Console) -> list[list[str]]:
    rows = []
    for n in args.scale_issues:
        scenario = generate(n, seed=args.seed)
        model = compile_scenario(scenario)
        enumerated = None
        enum_s = "-"
        if model.n_outcomes <= args.enumerate_max:
            seconds, enumerated = timed(lambda s=scenario: analyze(s, method="enumerate"))
            enum_s = f"{seconds:.2f}"
        zs_s, _ = timed(lambda m=model: zone_and_solutions(m))
        full_s, structured = timed(lambda s=scenario: analyze(s, method="structured"))
        same = _same_solutions(enumerated, structured) if enumerated is not None else "-"
        zone = "empty" if structured.zopa.empty else "non-empty"
        info = structured.pareto_frontier_info
        frontier = f"{len(structured.pareto_frontier):,}" + ("" if info and info.exact else "*")
        rows.append(
            [
                f"4^{n} = {model.n_outcomes:.1e}",
                zone,
                enum_s,
                f"{zs_s:.2f}",
                f"{full_s:.2f}",
                frontier,
                same,
            ]
        )
        console.print(f"[dim]scale {n} issues: {rows[-1]}[/dim]")
    return rows


def build_negmas(scenario: Scenario) -> tuple[list[Any], list[Any]]:
    """The additive scenario as NegMAS issues and ``LinearAdditiveUtilityFunction`` s."""
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue(values=list(i.option_ids()), name=i.id) for i in scenario.issues]
    ufuns = []
    for party in scenario.parties:
        prefs = party.preferences
        assert prefs is not None
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values={
                    i: {o: v.value for o, v in vals.items()} for i, vals in prefs.values.items()
                },
                weights={i: w.value for i, w in prefs.salience.items()},
                issues=issues,
                reserved_value=prefs.reservation.value,
            )
        )
    return issues, ufuns


def negmas_analysis(issues: list[Any], ufuns: list[Any]) -> Any:
    """NegMAS's path: enumerate, frontier, then Nash, Kalai–Smorodinsky and welfare points."""
    from negmas.outcomes import enumerate_issues
    from negmas.preferences import kalai_points, max_welfare_points, nash_points, pareto_frontier

    outcomes = enumerate_issues(issues)
    frontier, _ = pareto_frontier(ufuns, outcomes=outcomes)
    # ``issues=`` (not ``outcomes=``) lets linear ufuns find their ranges analytically,
    # NegMAS's fast path (it warns that passing the outcomes is much slower).
    return (
        len(frontier),
        nash_points(ufuns, frontier, issues=issues),
        kalai_points(ufuns, frontier, issues=issues),
        max_welfare_points(ufuns, frontier, issues=issues),
    )


def _negmas_child(scenario: Scenario, queue: Any) -> None:
    issues, ufuns = build_negmas(scenario)
    seconds, result = timed(lambda: negmas_analysis(issues, ufuns))
    nash = [tuple(float(u) for u in point[0]) for point in result[1]]
    queue.put((seconds, (result[0], nash)))


def negmas_within(scenario: Scenario, limit: float) -> tuple[float, Any]:
    """NegMAS's analysis in a child process, stopped after ``limit`` seconds (None)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_negmas_child, args=(scenario, queue))
    child.start()
    try:
        seconds, result = queue.get(timeout=limit + 30)
    except queue_module.Empty:
        child.terminate()
        child.join()
        return limit, None
    child.join()
    if seconds > limit:
        return seconds, None
    return seconds, result


def negmas_rows(args: argparse.Namespace, console: Console) -> list[list[str]]:
    rows = []
    skip_from: dict[int, int] = {}
    for n_issues, n_options in args.negmas_domains:
        for parties in (2, 4):
            scenario = generate(
                n_issues,
                n_options=n_options,
                n_parties=parties,
                n_interactions=0,
                n_red_lines=0,
                reservation=0.3,
                seed=args.seed,
            )
            size = n_options**n_issues
            enum_s, enumerated = timed(lambda s=scenario: analyze(s, method="enumerate"))
            limit = max(args.frontier_limit, 200_000)
            model = compile_scenario(scenario)
            struct_s, _ = timed(lambda m=model, lim=limit: frontier_and_solutions(m, lim))
            full_s, structured = timed(
                lambda s=scenario, lim=limit: analyze(s, method="structured", frontier_limit=lim)
            )
            exact = (
                structured.pareto_frontier_info is not None
                and structured.pareto_frontier_info.exact
            )
            negmas_s, negmas_front, nash, ratio = "-", "-", "-", "-"
            if not args.skip_negmas and not (parties in skip_from and size > skip_from[parties]):
                seconds, result = negmas_within(scenario, args.negmas_limit)
                if result is None:
                    skip_from[parties] = size
                    negmas_s = f"> {args.negmas_limit:g} (stopped)"
                    ratio = f"> {args.negmas_limit / struct_s:,.0f}×"
                else:
                    negmas_s, negmas_front = f"{seconds:.2f}", f"{result[0]:,}"
                    nash = _same_nash(structured, result[1])
                    ratio = f"{seconds / struct_s:,.0f}×"
            rows.append(
                [
                    f"{n_issues}×{n_options} = {size:.1e}",
                    str(parties),
                    f"{len(structured.pareto_frontier):,}" + ("" if exact else "*"),
                    negmas_front,
                    f"{enum_s:.2f}",
                    f"{struct_s:.3f}",
                    f"{full_s:.3f}",
                    negmas_s,
                    ratio,
                    _same_solutions(enumerated, structured),
                    nash,
                ]
            )
            console.print(f"[dim]negmas {rows[-1]}[/dim]")
    return rows


def _same_nash(structured: Any, points: Any) -> str:
    """Does NegMAS's (first) Nash point have accord's Nash utilities (1e-9)?"""
    solution = structured.solutions["nash"]
    if solution is None or not points:
        return "-"
    ours = np.asarray(list(solution.point.utilities.values()))
    return "yes" if np.allclose(np.asarray(points[0]), ours, atol=1e-9) else "NO"


def frontier_rows(args: argparse.Namespace, console: Console) -> list[list[str]]:
    rows = []
    for n_issues, n_options in ((30, 4), (40, 4), (40, 10)):
        scenario = generate(
            n_issues,
            n_options=n_options,
            n_parties=2,
            n_interactions=0,
            n_red_lines=0,
            seed=args.seed,
        )
        model = compile_scenario(scenario)
        seconds, front = timed(lambda m=model: pareto_frontier(m, [0, 1]))
        rows.append(
            [
                f"{n_issues}×{n_options} = {model.n_outcomes:.1e}",
                f"{len(front):,}",
                f"{seconds:.3f}",
            ]
        )
        console.print(f"[dim]frontier {rows[-1]}[/dim]")
    return rows


def threshold_rows(args: argparse.Namespace, console: Console) -> list[list[str]]:
    rows = []
    for n in args.threshold_issues:
        enum, struct = [], []
        for seed in range(args.threshold_seeds):
            scenario = generate(n, seed=args.seed + seed)
            enum.append(timed(lambda s=scenario: analyze(s, method="enumerate"))[0])
            struct.append(timed(lambda s=scenario: analyze(s, method="structured"))[0])
        e, s = statistics.median(enum), statistics.median(struct)
        rows.append(
            [
                f"4^{n} = {OPTIONS**n:,}",
                f"{e:.3f}",
                f"{s:.3f}",
                "enumerate" if e <= s else "structured",
            ]
        )
        console.print(f"[dim]threshold {rows[-1]}[/dim]")
    return rows


def solver_rows(args: argparse.Namespace, console: Console) -> list[list[str]]:
    """Utilitarian optimum over acceptable outcomes of the 4^30 instance: HiGHS and CP-SAT."""
    model = compile_scenario(generate(30, seed=args.seed))
    chosen = list(range(len(model.party_ids)))
    rows = []
    for seed in range(3):
        model = compile_scenario(generate(30, seed=args.seed + seed))
        encoding = Encoding(model, chosen)
        objective = encoding.objective(dict.fromkeys(encoding.capped, 1.0))
        highs_s, solved = timed(
            lambda e=encoding, o=objective: solve(
                e.program, o, maximise=True, interrupt=Interrupt()
            )
        )
        cpsat = cpsat_time(encoding.program, objective)
        rows.append(
            [
                str(args.seed + seed),
                f"{highs_s:.3f}",
                f"{solved.objective:.9f}",
                "-" if cpsat is None else f"{cpsat[0]:.3f}",
                "-" if cpsat is None else f"{cpsat[1]:.9f}",
            ]
        )
        console.print(f"[dim]solvers {rows[-1]}[/dim]")
    return rows


def cpsat_time(program: Program, objective: Any, scale: float = 1e7) -> tuple[float, float] | None:
    """The same program in CP-SAT, coefficients scaled by ``scale`` and rounded."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    model = cp_model.CpModel()
    columns = []
    for n, (low, high, integer) in enumerate(
        zip(program.lower, program.upper, program.integer, strict=True)
    ):
        if integer:
            columns.append(model.NewIntVar(int(low), int(high), f"x{n}"))
        else:
            bound = 10**9
            low_i = -bound if math.isinf(low) else math.floor(low * scale)
            high_i = bound if math.isinf(high) else math.ceil(high * scale)
            columns.append(model.NewIntVar(low_i, high_i, f"v{n}"))
    for idx, values, low, high in program.rows:
        _cpsat_row(model, columns, program, idx, values, low, high, scale)
    model.Maximize(sum(round(c * scale) * columns[n] for n, c in enumerate(objective) if c))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    seconds, _ = timed(lambda: solver.Solve(model))
    return seconds, solver.ObjectiveValue() / scale / scale


def _cpsat_row(
    model: Any,
    columns: list[Any],
    program: Program,
    idx: Any,
    values: Any,
    low: float,
    high: float,
    scale: float,
) -> None:
    continuous = [not program.integer[int(c)] for c in idx]
    factor = (
        scale if not any(continuous) and not all(float(v).is_integer() for v in values) else 1.0
    )
    terms = []
    for c, v, cont in zip(idx, values, continuous, strict=True):
        coefficient = v * (1.0 if cont else scale) if any(continuous) else v * factor
        terms.append(round(coefficient) * columns[int(c)])
    expression = sum(terms)
    rhs = scale if any(continuous) else factor
    if not math.isinf(low):
        model.Add(expression >= math.floor(low * rhs))
    if not math.isinf(high):
        model.Add(expression <= math.ceil(high * rhs))


def print_table(console: Console, title: str, headers: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title)
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def markdown(title: str, headers: list[str], rows: list[list[str]]) -> str:
    lines = [f"**{title}**", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def machine() -> str:
    from importlib.metadata import version

    try:
        import negmas

        negmas_version = str(negmas.__version__)
    except ImportError:
        negmas_version = "not installed"
    return (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"numpy {np.__version__}, highspy {version('highspy')}, NegMAS {negmas_version}"
    )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="smaller sizes; no NegMAS at 10^6")
    parser.add_argument("--skip-negmas", action="store_true")
    parser.add_argument("--negmas-limit", type=float, default=120.0)
    parser.add_argument("--enumerate-max", type=int, default=20_000_000)
    parser.add_argument("--frontier-limit", type=int, default=20_000)
    parser.add_argument("--threshold-seeds", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print Markdown tables")
    parser.add_argument(
        "--sections", nargs="*", default=["scale", "negmas", "frontier", "threshold", "solvers"]
    )
    args = parser.parse_args(argv)
    args.scale_issues = [7, 10, 20, 30] if args.quick else [7, 10, 12, 20, 30]
    args.negmas_domains = [(7, 4)] if args.quick else [(7, 4), (10, 4), (6, 10)]
    args.threshold_issues = [5, 7, 9] if args.quick else [5, 6, 7, 8, 9, 10, 11]
    return args


SECTIONS: list[tuple[str, list[str], Callable[[argparse.Namespace, Console], list[list[str]]]]] = [
    (
        "Full scenarios (5 principals, 20 interactions, 10 red lines): seconds",
        [
            "outcomes",
            "zone",
            "enumerate analyze",
            "structured zone + 4 solutions",
            "structured analyze",
            "frontier",
            "same solutions",
        ],
        scale_rows,
    ),
    (
        "Additive domains against NegMAS 0.16: seconds",
        [
            "outcomes",
            "parties",
            "frontier",
            "NegMAS frontier",
            "accord enumerate analyze",
            "accord structured frontier + solutions",
            "accord structured analyze",
            "NegMAS frontier + solutions",
            "NegMAS / structured",
            "same solutions",
            "NegMAS Nash = accord",
        ],
        negmas_rows,
    ),
    (
        "Exact 2-party frontier of additive domains: seconds",
        ["outcomes", "frontier", "structured"],
        frontier_rows,
    ),
    (
        "Whole analyze, enumerate vs structured (median of seeds): seconds",
        ["outcomes", "enumerate", "structured", "faster"],
        threshold_rows,
    ),
    (
        "Solver choice: utilitarian optimum over acceptable outcomes, 4^30 instance",
        ["seed", "HiGHS s", "HiGHS optimum", "CP-SAT s (2 workers)", "CP-SAT optimum"],
        solver_rows,
    ),
]


SECTION_NAMES = ["scale", "negmas", "frontier", "threshold", "solvers"]


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    console = Console()
    console.print(f"[bold]accord structured solvers at scale[/bold] — {machine()}")
    warm_up()
    output = []
    for (title, headers, run), name in zip(SECTIONS, SECTION_NAMES, strict=True):
        if name not in args.sections:
            continue
        rows = run(args, console)
        print_table(console, title, headers, rows)
        output.append(markdown(title, headers, rows))
    if args.markdown:
        console.print("\n".join(output), markup=False, highlight=False)


if __name__ == "__main__":
    main()
