"""Benchmark: accord's vectorised forecast models against straightforward Python loops.

The workload is a generated stakeholder table (``--actors`` × ``--issues``, positions
on 0..100, seeded). Each model runs twice:

* **accord** — ``accord.forecast.expected_utility`` / ``exchange_model`` (numpy arrays,
  every round's work as array operations);
* **loop** — the same model written the obvious way, one actor (or one candidate
  exchange) at a time in plain Python, defined in this file. Like the reference
  drivers it caches what it can per round (the probability denominator), but it is
  O(n³) per round for the expected-utility model (the reference code is O(n⁶)), and
  it keeps Decide's list of exchanges, sorted again before every realisation.

Both run the same rounds on the same data and must agree (positions to 1e-9); the
script then prints times and the ratio. The loops are far too slow for the full
workload, so they run on the slice given by ``--loop-*`` and the ratio compares the
time per issue-round (expected utility) or per round (exchange) on that slice.

Defaults: 200 actors × 10 issues × 100 rounds for both models; the loops run 2 rounds
on one issue (expected utility, 200 actors) and on 40 actors × 10 issues (exchange).
Run::

    .venv/bin/python bench/forecast.py                      # about 7 minutes on 2 cores
    .venv/bin/python bench/forecast.py --exchange-rounds 5  # about a minute
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from itertools import combinations
from typing import Any

import numba
import numpy as np

from accord.forecast import StakeholderTable, exchange_model, expected_utility


def generate(actors: int, issues: int, seed: int) -> StakeholderTable:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (actors, issues)).round(1)
    s = rng.uniform(0.05, 1.0, (actors, issues)).round(2)
    c = np.repeat(rng.uniform(0.05, 1.0, (actors, 1)).round(2), issues, axis=1)
    return StakeholderTable(
        tuple(f"actor{k:03d}" for k in range(actors)),
        tuple(f"issue{d}" for d in range(issues)),
        x,
        s,
        c,
        np.zeros(issues),
        np.full(issues, 100.0),
        source="generated",
    )


# --- the expected-utility model, one actor at a time ------------------------------------


class LoopScholz:
    """Scholz, Calbert & Smith's reading of Bueno de Mesquita's model, per actor."""

    def __init__(self, x: list[float], c: list[float], s: list[float]) -> None:
        self.x, self.c, self.s = list(x), c, s
        self.n = len(x)
        self.delta = max(x) - min(x)

    def loss(self, k: int, at: float, r: list[float]) -> float:
        return self.c[k] * self.s[k] * (abs(self.x[k] - at) / self.delta) ** r[k]

    def probabilities(self, r: list[float]) -> list[list[float]]:
        n, x = self.n, self.x
        losses = [[self.loss(k, x[a], r) for a in range(n)] for k in range(n)]
        total = 0.0
        for k in range(n):
            row = losses[k]
            for m in range(n):
                for o in range(n):
                    total += abs(row[o] - row[m])
        table = [[0.0] * n for _ in range(n)]
        for a in range(n):
            for b in range(n):
                if x[a] != x[b]:
                    votes = 0.0
                    for k in range(n):
                        votes += max(0.0, losses[k][b] - losses[k][a])
                    table[a][b] = votes / total
        return table

    def eu(self, p: list[list[float]], r: float, i: int, j: int) -> float:
        d = abs(self.x[i] - self.x[j]) / self.delta
        success = 2 - 4 * (0.5 - 0.5 * d) ** r
        failure = 2 - 4 * (0.5 + 0.5 * d) ** r
        prob = p[i][j]
        return (
            self.s[j] * (prob * success + (1 - prob) * failure)
            + (1 - self.s[j]) * success
            - (2 - 4 * 0.5**r)
        )

    def step(self) -> list[float]:
        n, x = self.n, self.x
        ones = [1.0] * n
        p = self.probabilities(ones)
        security = [sum(self.eu(p, 1.0, j, i) for j in range(n) if j != i) for i in range(n)]
        high, low = max(security), min(security)
        r = []
        for value in security:
            big = (2 * value - high - low) / (high - low)
            r.append(min(2.0, max(0.5, (1 - big / 3) / (1 + big / 3))))
        p = self.probabilities(r)
        new = list(x)
        for i in range(n):
            conflict, compromise = None, None
            for j in range(n):
                if x[j] == x[i]:
                    continue
                a, b = self.eu(p, r[i], i, j), self.eu(p, r[i], j, i)
                if b > a > 0:
                    key = (abs(x[i] - x[j]), j)
                    if conflict is None or key < conflict[0]:
                        conflict = (key, x[j])
                elif b > 0 > a and b > abs(a):
                    key2 = ((abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b)), j)
                    if compromise is None or key2 < compromise[0]:
                        compromise = (key2, x[i] + (x[j] - x[i]) * abs(a / b))
            if conflict is not None:
                new[i] = conflict[1]
            elif compromise is not None:
                new[i] = compromise[1]
        self.x = new
        return new


def loop_eu(table: StakeholderTable, issues: int, rounds: int) -> list[list[float]]:
    finals = []
    for d in range(issues):
        model = LoopScholz(
            table.position[:, d].tolist(),
            table.capability[:, d].tolist(),
            table.salience[:, d].tolist(),
        )
        for _ in range(rounds):
            model.step()
        finals.append(model.x)
    return finals


# --- the exchange model, one candidate at a time -----------------------------------------


class Side:
    def __init__(self, actor: int, supply: int, demand: int, x: list[list[float]]) -> None:
        self.actor, self.supply, self.demand = actor, supply, demand
        self.xs, self.xd, self.start = x[actor][supply], x[actor][demand], x[actor][supply]
        self.moves: list[float] = []
        self.move = self.y = 0.0


class LoopExchange:
    """Stokman's Equal Gain model with Decide's bookkeeping, one candidate at a time."""

    def __init__(self, x: list[list[float]], s: list[list[float]], c: list[list[float]]) -> None:
        self.x, self.s, self.c = x, s, c
        self.n, self.m = len(x), len(x[0])

    def nbs(self, d: int, updates: dict[int, float], actor: int, position: float) -> float:
        top = 0.0
        for a in range(self.n):
            at = position if a == actor else updates.get(a, self.x[a][d])
            top += self.c[a][d] * self.s[a][d] * at
        return top / self.w[d]

    def valid(self, side: Side) -> bool:
        size = abs(side.move)
        if size > 100 or size <= 1e-10 or not -1e-9 <= side.y <= 100 + 1e-9:
            return False
        if sum(side.moves) > 100 + 1e-9:
            return False
        return all(v < 0 for v in side.moves) or all(v > 0 for v in side.moves)

    def place(
        self, cand: dict[str, Any], side: Side, size: float, target: float, full: bool
    ) -> None:
        side.move = -size if side.xs > target else size
        side.y = target if full else side.xs + side.move
        if side.moves:
            side.moves[-1] = side.move
        else:
            side.moves.append(side.move)

    def calculate(self, cand: dict[str, Any]) -> None:
        i, j = cand["i"], cand["j"]
        s, c, w = self.s, self.c, self.w
        p, q = j.supply, i.supply
        cs_i, cs_j = c[i.actor][q] * s[i.actor][q], c[j.actor][p] * s[j.actor][p]
        full_j, full_i = abs(i.xd - j.xs), abs(j.xd - i.xs)
        dp = full_j * cs_j / w[p]
        dq = dp * (s[j.actor][p] + s[i.actor][p]) / (s[j.actor][q] + s[i.actor][q])
        move_i, move_j = dq * w[q] / cs_i, full_j
        over = move_i > full_i
        if over:
            dq = full_i * cs_i / w[q]
            dp = dq * (s[i.actor][q] + s[j.actor][q]) / (s[i.actor][p] + s[j.actor][p])
            move_i, move_j = full_i, dp * w[p] / cs_j
        i.moves.append(0.0)
        j.moves.append(0.0)
        self.place(cand, i, move_i, j.xd, over)
        self.place(cand, j, move_j, i.xd, not over)
        cand["gain"] = abs(dq * s[i.actor][q] - dp * s[i.actor][p])
        cand["valid"] = self.valid(i) and self.valid(j) and cand["gain"] >= 1e-10
        if cand["valid"]:
            for a, b in ((i, j), (j, i)):
                self.cap(cand, a, b)
            cand["valid"] = self.valid(i) and self.valid(j)

    def cap(self, cand: dict[str, Any], a: Side, b: Side) -> None:
        """Decide's ``check_nbs``: an NBS on the partner's position (within 1e-9) is
        left alone; the shrunk shift is measured with the supplier where the partner
        last saw it (Decide's ``updates`` override its own position there)."""
        d = a.supply
        updates = cand["updates"].get(d, {})
        nbs0 = self.nbs(d, updates, a.actor, a.xs)
        nbs1 = self.nbs(d, updates, a.actor, a.y)
        if abs(b.xd - nbs0) <= 1e-9 or (b.xd - nbs0) * (b.xd - nbs1) >= 0:
            return
        s, c, w = self.s, self.c, self.w
        ratio_a = abs(b.xd - self.nbs(d, updates, a.actor, updates.get(a.actor, a.xs)))
        ratio_b = (
            ratio_a
            * (s[a.actor][d] + s[b.actor][d])
            / (s[a.actor][b.supply] + s[b.actor][b.supply])
        )
        self.place(cand, a, ratio_a * w[d] / (c[a.actor][d] * s[a.actor][d]), b.xd, False)
        e = b.supply
        self.place(cand, b, ratio_b * w[e] / (c[b.actor][e] * s[b.actor][e]), a.xd, False)
        cand["gain"] = abs(ratio_b * s[b.actor][e] - ratio_a * s[b.actor][d])

    def candidates(self, left: list[list[bool]]) -> list[dict[str, Any]]:
        found = []
        for p, q in combinations(range(self.m), 2):
            group = [int(left[a][p]) + 2 * int(left[a][q]) for a in range(self.n)]
            for g1, g2 in ((0, 3), (1, 2)):
                for first in [k for k in range(self.n) if group[k] == g1]:
                    for second in [k for k in range(self.n) if group[k] == g2]:
                        s = self.s
                        a, b = first, second
                        if s[a][p] / s[a][q] < s[b][p] / s[b][q]:
                            a, b = b, a
                        found.append(
                            {
                                "i": Side(a, q, p, self.x),
                                "j": Side(b, p, q, self.x),
                                "updates": {},
                                "gain": 0.0,
                                "valid": False,
                            }
                        )
        return found

    def recalculate(self, cand: dict[str, Any], done: dict[str, Any]) -> None:
        changed = False
        for side in (cand["i"], cand["j"]):
            for other in (done["i"], done["j"]):
                if (side.actor, side.supply) == (other.actor, other.supply):
                    side.xs = other.y
                    side.moves.append(side.moves[-1])  # keep the current move
                    changed = True
        for demander, supplier in ((done["j"], done["i"]), (done["i"], done["j"])):
            if any(
                (s.actor, s.demand) == (demander.actor, demander.demand)
                for s in (cand["i"], cand["j"])
            ):
                seen = cand["updates"].setdefault(demander.demand, {})
                old = seen.get(supplier.actor)
                if old is None:
                    seen[supplier.actor] = supplier.y
                elif supplier.start <= old:
                    seen[supplier.actor] = min(old, supplier.y)
                else:
                    seen[supplier.actor] = max(old, supplier.y)
                changed = True
        if changed:
            for side in (cand["i"], cand["j"]):
                side.moves.pop()
            self.calculate(cand)

    def step(self) -> list[list[float]]:
        n, m, x, s, c = self.n, self.m, self.x, self.s, self.c
        self.w = [sum(c[a][d] * s[a][d] for a in range(n)) for d in range(m)]
        nbs = [sum(c[a][d] * s[a][d] * x[a][d] for a in range(n)) / self.w[d] for d in range(m)]
        left = [[x[a][d] <= nbs[d] for d in range(m)] for a in range(n)]
        alive = self.candidates(left)
        for cand in alive:
            self.calculate(cand)
        alive = [cand for cand in alive if cand["valid"]]
        done = []
        while alive:
            alive.sort(key=lambda cand: cand["gain"], reverse=True)
            best = alive.pop(0)
            done.append(best)
            for cand in alive:
                self.recalculate(cand, best)
            alive = [cand for cand in alive if cand["valid"]]
        following = [row[:] for row in x]
        for best in done:
            for side in (best["i"], best["j"]):
                weight = (1 - s[side.actor][side.supply]) * 0.4 + 0.1
                following[side.actor][side.supply] = (
                    weight * side.y + (1 - weight) * x[side.actor][side.supply]
                )
        self.x = following
        return following


def loop_exchange(table: StakeholderTable, rounds: int) -> list[list[float]]:
    model = LoopExchange(
        table.scaled().tolist(), table.salience.tolist(), table.capability.tolist()
    )
    for _ in range(rounds):
        model.step()
    return model.x


# --- the run ------------------------------------------------------------------------------


CPU: dict[str, float] = {}


def timed(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Wall time; the process CPU time of the call is kept in ``CPU["last"]``."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    CPU["last"] = time.process_time() - cpu
    return result, time.perf_counter() - start


def bench_eu(args: argparse.Namespace) -> list[str]:
    table = generate(args.actors, args.issues, args.seed)
    full, full_time = timed(expected_utility, table, rounds=args.eu_rounds)
    full_cpu = CPU["last"]
    part = generate(args.actors, args.loop_issues, args.seed)
    ours, ours_time = timed(expected_utility, part, rounds=args.loop_rounds)
    loops, loop_time = timed(loop_eu, part, args.loop_issues, args.loop_rounds)
    worst = max(
        abs(a - b)
        for issue, final in zip(ours.issues, loops, strict=True)
        for a, b in zip(issue.rounds[-1].positions.values(), final, strict=True)
    )
    assert worst <= 1e-9, f"expected-utility results differ by {worst}"
    per_ours = ours_time / (args.loop_issues * args.loop_rounds)
    per_loop = loop_time / (args.loop_issues * args.loop_rounds)
    moves = sum(len(r.moves) for i in full.issues for r in i.rounds)
    return [
        f"| expected utility | {args.actors}×{args.issues}×{args.eu_rounds} | "
        f"{full_time:.2f} s wall, {full_cpu:.2f} s CPU ({moves:,} moves) | — | — |",
        f"| expected utility, per issue-round | {args.actors}×{args.loop_issues}×"
        f"{args.loop_rounds} | {per_ours * 1e3:.1f} ms | {per_loop:.2f} s | "
        f"{per_loop / per_ours:,.0f}× (max |Δx| {worst:.1e}) |",
    ]


def bench_exchange(args: argparse.Namespace) -> list[str]:
    # The realisation loop is compiled by Numba: load (or on a fresh install, compile)
    # it before timing, as any long-running use would have.
    exchange_model(generate(6, 3, args.seed), rounds=1, variant="rex", random_ties=True)
    table = generate(args.actors, args.issues, args.seed)
    full, full_time = timed(exchange_model, table, rounds=args.exchange_rounds)
    full_cpu = CPU["last"]
    realised = sum(r.n_realized_exchanges for r in full.rounds)
    part = generate(args.loop_actors, args.issues, args.seed)
    ours, ours_time = timed(exchange_model, part, rounds=args.loop_rounds)
    loops, loop_time = timed(loop_exchange, part, args.loop_rounds)
    last = ours.rounds[-1].positions_after_round
    worst = max(
        abs(last[issue][actor] - loops[a][d])
        for d, issue in enumerate(part.issues)
        for a, actor in enumerate(part.actors)
    )
    assert worst <= 1e-9, f"exchange results differ by {worst}"
    per_ours, per_loop = ours_time / args.loop_rounds, loop_time / args.loop_rounds
    return [
        f"| exchange (Equal Gain) | {args.actors}×{args.issues}×{args.exchange_rounds} | "
        f"{full_time:.2f} s wall, {full_cpu:.2f} s CPU ({realised:,} exchanges) | — | — |",
        f"| exchange, per round | {args.loop_actors}×{args.issues}×{args.loop_rounds} | "
        f"{per_ours * 1e3:.0f} ms | {per_loop:.2f} s | "
        f"{per_loop / per_ours:,.0f}× (max |Δx| {worst:.1e}) |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--issues", type=int, default=10)
    parser.add_argument("--eu-rounds", type=int, default=100)
    parser.add_argument("--exchange-rounds", type=int, default=100)
    parser.add_argument("--loop-rounds", type=int, default=2)
    parser.add_argument("--loop-issues", type=int, default=1, help="expected utility")
    parser.add_argument("--loop-actors", type=int, default=40, help="exchange")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--models", nargs="+", default=["eu", "exchange"])
    args = parser.parse_args()
    print(
        f"# accord forecast benchmark — Python {platform.python_version()}, numpy "
        f"{np.__version__}, numba {numba.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    print("| model | actors×issues×rounds | accord | loop | loop ÷ accord |")
    print("|---|---|---|---|---|")
    for model in args.models:
        for line in bench_eu(args) if model == "eu" else bench_exchange(args):
            print(line, flush=True)


if __name__ == "__main__":
    main()
