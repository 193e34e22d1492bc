"""Benchmark: does the criticism-only one-text mediator reach a text every principal accepts?

The criticism-only mediator (:mod:`accord.frameworks.criticism`) sees only the
delegations' ranked requests and yes/no answers. When a zone of agreement exists it
should end on a text every principal accepts in the great majority of cases. This
script measures how often it does, and in how many drafts, on random additive
scenarios (seeded):

* 2–5 principals, 3–8 issues of 2–5 options; salience and option values uniform;
* 0–2 red lines per principal, each over 1–2 issues and a random proper subset of
  their options;
* each reservation value at a random quantile (10–60 %) of the principal's utilities;
* a starting draft that settles each issue with probability 1/2 at a random option.

Scenarios whose zone of agreement holds at least 1 % of the packages are the main
sample; those with a smaller non-empty zone are reported separately, and those with an
empty zone are skipped. Each run allows at most ``--drafts`` drafts (50). Success means
the last draft is accepted by every principal (a final text). Drafts are counted from
the first (draft 0). The informed mediator runs on the same cases for reference.

Run::

    .venv/bin/python bench/mediation.py                 # 300 scenarios of each kind
    .venv/bin/python bench/mediation.py --scenarios 50  # quicker
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord import Scenario, compile_scenario
from accord.engine.compiled import CompiledModel
from accord.frameworks.mediation import mediate_text

BIG_ZONE = 0.01


@dataclass
class Run:
    success: bool
    drafts: int
    reason: str
    principals: int


def generate(rng: np.random.Generator) -> Scenario:
    """One random additive scenario; reservations are set afterwards by :func:`with_zone`."""
    n_parties, n_issues = int(rng.integers(2, 6)), int(rng.integers(3, 9))
    sizes = [int(rng.integers(2, 6)) for _ in range(n_issues)]
    issues = [
        {"id": f"i{i}", "options": [{"id": f"o{o}"} for o in range(k)]} for i, k in enumerate(sizes)
    ]
    parties = []
    for p in range(n_parties):
        prefs: dict[str, Any] = {
            "salience": {f"i{i}": float(rng.uniform(0.1, 1.0)) for i in range(n_issues)},
            "values": {
                f"i{i}": {f"o{o}": float(rng.uniform()) for o in range(k)}
                for i, k in enumerate(sizes)
            },
            "red_lines": [_red_line(rng, sizes) for _ in range(int(rng.integers(0, 3)))],
            "reservation": {"value": 0.0},
        }
        parties.append({"id": f"p{p}", "name": f"P{p}", "role": "principal", "preferences": prefs})
    return Scenario.model_validate(
        {"id": "random", "title": "random", "parties": parties, "issues": issues}
    )


def _red_line(rng: np.random.Generator, sizes: list[int]) -> dict[str, Any]:
    chosen = rng.choice(len(sizes), size=int(rng.integers(1, 3)), replace=False)
    when = {}
    for i in sorted(int(c) for c in chosen):
        count = int(rng.integers(1, sizes[i]))
        when[f"i{i}"] = [f"o{o}" for o in sorted(rng.choice(sizes[i], count, replace=False))]
    return {"when": when, "reason": "random red line"}


def with_zone(scenario: Scenario, rng: np.random.Generator) -> tuple[CompiledModel, float]:
    """The compiled model with reservations at random quantiles, and its zone's share."""
    model = compile_scenario(scenario)
    rows = model.decode(np.arange(model.n_outcomes, dtype=np.int64))
    evaluation = model.evaluate(rows)
    quantiles = rng.uniform(0.1, 0.6, len(model.party_ids))
    reservations = np.array(
        [np.quantile(evaluation.utilities[:, p], q) for p, q in enumerate(quantiles)]
    )
    model = CompiledModel(
        model.issue_ids,
        model.option_ids,
        model.party_ids,
        model.tables,
        model.interactions,
        model.red_lines,
        reservations,
        model.cap,
    )
    ok = ~evaluation.crossed & (evaluation.utilities >= reservations - 1e-12)
    return model, float(ok.all(axis=1).mean())


def mediate(model: CompiledModel, rng: np.random.Generator, drafts: int, informed: bool) -> Run:
    settled = {
        i: int(rng.integers(size)) for i, size in enumerate(model.radix) if rng.uniform() < 0.5
    }
    principals = list(range(len(model.party_ids)))
    result = mediate_text(model, principals, settled, drafts - 1, rng, informed)
    return Run(result.final, len(result.drafts), result.stop_reason, len(principals))


def summary(label: str, runs: list[Run]) -> str:
    if not runs:
        return f"| {label} | 0 | – | – | – |"
    won = [r.drafts for r in runs if r.success]
    rate = 100 * len(won) / len(runs)
    median = f"{np.median(won):.0f}" if won else "–"
    p90 = f"{np.quantile(won, 0.9):.0f}" if won else "–"
    return f"| {label} | {len(runs)} | {rate:.1f} % | {median} | {p90} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=300, help="kept scenarios of each kind")
    parser.add_argument("--drafts", type=int, default=50, help="at most this many drafts")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    runs: dict[tuple[str, bool], list[Run]] = {}
    drawn = Counter[str]()
    started = time.perf_counter()
    while min(len(runs.get((k, False), [])) for k in ("big", "small")) < args.scenarios:
        model, share = with_zone(generate(rng), rng)
        kind = "empty" if share == 0 else ("big" if share >= BIG_ZONE else "small")
        drawn[kind] += 1
        if kind == "empty" or len(runs.get((kind, False), [])) >= args.scenarios:
            continue
        seed = int(rng.integers(2**32))
        for informed in (False, True):
            run = mediate(model, np.random.default_rng(seed), args.drafts, informed)
            runs.setdefault((kind, informed), []).append(run)
    elapsed = time.perf_counter() - started
    print(f"seed {args.seed}; scenarios drawn: {dict(drawn)}; {elapsed:.0f} s")
    print(
        "| mediator, zone of agreement | scenarios | final text reached | drafts (median) "
        "| drafts (p90) |"
    )
    print("|---|---|---|---|---|")
    for kind, label in (("big", "≥ 1 % of packages"), ("small", "< 1 % (non-empty)")):
        print(summary(f"criticism only, {label}", runs[(kind, False)]))
        print(summary(f"informed, {label}", runs[(kind, True)]))
    for n in range(2, 6):
        by_size = [r for r in runs[("big", False)] if r.principals == n]
        print(summary(f"criticism only, ≥ 1 %, {n} principals", by_size))
    for kind in ("big", "small"):
        failures = Counter(r.reason for r in runs[(kind, False)] if not r.success)
        for reason, count in failures.most_common():
            print(f"criticism only, {kind} zone, not final ({count}): {reason}")


if __name__ == "__main__":
    main()
