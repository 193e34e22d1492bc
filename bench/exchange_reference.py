"""Reference figures for the exchange model on data with tied gains.

Runs the reference implementation of Stokman's exchange model — the Decide software,
``decide-exchange-model`` 2025.3.x, Equal Gain with deterministic ties
(``EqualGainModel.ALLOW_RANDOM = False``) — on many stakeholder tables whose exchanges
tie, and writes its figures as test fixtures: one JSON file per table in
``tests/conformance/fixtures/exchange_ties/``, holding the table itself (in Decide's
input format, so that both programs parse the same text) and, for every round, the NBS
of the start positions, the voting NBS and the realised exchanges in order. The suite
(``tests/conformance/test_exchange_ties.py``) compares accord against them without
needing this environment.

The tables (:func:`tables`), all deterministic:

* the shared datasets (``../shared/data/forecast``: COP21 short, toll) with one actor
  duplicated — placed right after the original, at the end or at the start — and
  with two actors duplicated; duplicates have identical data, so every exchange one of
  them can make its twin can make too, with the same gain (as LDCs and AOSIS in the
  full COP21 data);
* random tables (seeded) of 3–9 actors on 2–5 issues with one to three actors
  duplicated, half of them on coarse grids (positions in steps of 25, saliences and
  powers in steps of 0.25), where unrelated exchanges tie as well.

The reference needs Python 3.13 and pins its own numpy, matplotlib, typer and Qt, so
it cannot share accord's environment; its Equal Gain model needs only ``typesystem``
and ``peewee`` besides the standard library. The environment used (pyenv's 3.13.0)::

    ~/.pyenv/versions/3.13.0/bin/python -m venv /work/py313-venv
    /work/py313-venv/bin/pip install --no-deps 'decide-exchange-model==2025.3.*' \\
        typesystem==0.2.5 peewee==3.14.4

and then, from the repository root::

    /work/py313-venv/bin/python bench/exchange_reference.py            # writes the fixtures
    /work/py313-venv/bin/python bench/exchange_reference.py --check    # only reports

It prints, per table, how many rounds were kept and how many realisation steps in them
were decided by a tie. Decide computes in ``Decimal`` (28 digits) and compares gains
exactly, so some of its choices rest on rounding: two gains that are equal in exact
arithmetic differ in the 27th digit, and the stable sort puts the larger first — now or,
through the list order, at a later tie (on the full COP21 data of the reference's
repository this happens in round 1); or the overshoot cap fires because an NBS that
stands exactly on a demander's position is off by a rounding error. No float program
can follow such a choice, so a table's rounds are kept up to the first round in which
one occurs (a gain difference within 1e-12 relative, an NBS within 1e-9 of the
position); tables with no tie left are skipped. This file imports nothing from accord
and runs under any Python with the reference installed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "forecast"
FIXTURES = ROOT / "tests" / "conformance" / "fixtures" / "exchange_ties"
SHARED_SETS = ("decide_cop21_short", "decide_sample_toll")
ROUNDS = 10
NEAR = Decimal("1e-12")
"""Gains closer than this (relative) but not equal count as a rounding-decided tie."""
AT_TARGET = Decimal("1e-9")
"""An NBS this close to a position (0..100 scale) is on it (accord's ``EDGE``)."""


@dataclass
class Table:
    """A stakeholder table: actors, issues with bounds and ``#D`` rows as text."""

    name: str
    origin: str
    actors: list[str]
    issues: list[tuple[str, str, str]]  # name, lower, upper
    rows: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)

    def decide_text(self) -> str:
        lines = [f"#A;{a};{a};" for a in self.actors]
        for name, lower, upper in self.issues:
            lines += [f"#P;{name};{name};", f"#M;{name};{lower};", f"#M;{name};{upper};"]
        for actor in self.actors:
            for name, _, _ in self.issues:
                if (actor, name) in self.rows:
                    position, salience, power = self.rows[actor, name]
                    lines.append(f"#D;{actor};{name};{position};{salience};{power}")
        return "\n".join(lines) + "\n"

    def duplicate(self, actor: str, at: int, name: str) -> Table:
        """A copy of the table with ``actor``'s twin ``name`` inserted at index ``at``."""
        actors = list(self.actors)
        actors.insert(at, name)
        rows = dict(self.rows)
        for issue, _, _ in self.issues:
            if (actor, issue) in rows:
                rows[name, issue] = rows[actor, issue]
        return Table(self.name, self.origin, actors, list(self.issues), rows)


def shared_table(dataset: str) -> Table:
    """A shared dataset from its long CSV (``actor,issue,position,salience,power,
    issue_lower,issue_upper``), actors and issues in order of appearance."""
    path = SHARED / dataset / "input.csv"
    table = Table(dataset, f"shared:{dataset}", [], [])
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["actor"] not in table.actors:
                table.actors.append(row["actor"])
            bounds = (row["issue"], row["issue_lower"], row["issue_upper"])
            if bounds not in table.issues:
                table.issues.append(bounds)
            table.rows[row["actor"], row["issue"]] = (
                row["position"],
                row["salience"],
                row["power"],
            )
    return table


def derived_tables() -> list[Table]:
    """Shared datasets with duplicated actors (after the original, last, first; pairs)."""
    out: list[Table] = []
    for dataset in SHARED_SETS:
        base = shared_table(dataset)
        short = dataset.removeprefix("decide_")
        for k, actor in enumerate(base.actors):
            where = (k + 1, len(base.actors), 0)[k % 3]
            label = ("after", "last", "first")[k % 3]
            table = base.duplicate(actor, where, f"{actor}_twin")
            table.name = f"{short}-twin-{actor}-{label}"
            out.append(table)
        rng = random.Random(dataset)
        for n in range(3):
            first, second = rng.sample(base.actors, 2)
            table = base.duplicate(first, len(base.actors), f"{first}_twin")
            table = table.duplicate(second, rng.randrange(len(table.actors) + 1), f"{second}_twin")
            table.name = f"{short}-twins-{n}"
            out.append(table)
    return out


def random_table(seed: int) -> Table:
    """A seeded random table with one to three duplicated actors; odd seeds use coarse
    grids so that exchanges between different actors tie too."""
    rng = random.Random(seed)
    coarse = seed % 2 == 1
    n_actors, n_issues = rng.randint(3, 9), rng.randint(2, 5)
    actors = [f"a{k}" for k in range(n_actors)]
    issues = [(f"i{d}", "0", "100") for d in range(n_issues)]
    if rng.random() < 0.3:
        issues[0] = ("i0", "0", "10")
    table = Table(f"random-{seed:03d}", f"random:{seed}", actors, issues)
    for actor in actors:
        power = _grid(rng, coarse, 0.25, 0.05)
        for name, lower, upper in issues:
            if n_issues > 2 and rng.random() < 0.05:
                continue  # takes no part in this issue
            top = float(upper) - float(lower)
            step = top / 4 if coarse else top / 100
            position = float(lower) + step * rng.randint(0, round(top / step))
            table.rows[actor, name] = (
                _fmt(position),
                _fmt(_grid(rng, coarse, 0.25, 0.05)),
                _fmt(power),
            )
    for n in range(rng.randint(1, 3)):
        original = rng.choice(table.actors)
        twin = f"{original}_t{n}"
        table = table.duplicate(original, rng.randrange(len(table.actors) + 1), twin)
    return table


def _grid(rng: random.Random, coarse: bool, coarse_step: float, fine_step: float) -> float:
    step = coarse_step if coarse else fine_step
    return step * rng.randint(1, round(1 / step))


def _fmt(value: float) -> str:
    return f"{round(value, 6):g}"


def tables(n_random: int) -> list[Table]:
    return derived_tables() + [random_table(seed) for seed in range(n_random)]


# --- running the reference -----------------------------------------------------------


def _reference() -> Any:
    """The reference classes (imported here: this module is also read without them)."""
    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model.base import AbstractExchangeActor
    from decide.model.equalgain import EqualGainModel
    from decide.model.utils import ModelLoop

    class TieCountingModel(EqualGainModel):  # type: ignore[misc]
        """Decide's Equal Gain model, counting the realisations decided by a tie.

        Decide sorts its list of candidates by gain before every realisation, with a
        stable sort, so among equal gains the one ahead in the previous order wins:
        by the gains at the latest earlier step where they differed, else by
        generation order. A choice is *rounding-decided* (``near``) when the best
        gain is within ``NEAR`` of the next different one, or when that earlier
        difference was."""

        ties = 0
        near = 0

        def highest_gain(self) -> Any:
            self.sort_exchanges()
            for exchange in self.exchanges:
                exchange.__dict__.setdefault("gain_history", []).append(exchange.gain)
            if self.exchanges and self.exchanges[0].is_valid:
                self._classify(self.exchanges[0], [e for e in self.exchanges[1:] if e.is_valid])
            return super().highest_gain()

        def _classify(self, best: Any, rest: list[Any]) -> None:
            tied = [e for e in rest if e.gain == best.gain]
            following = rest[len(tied)] if len(rest) > len(tied) else None
            noise = following is not None and _close(best.gain, following.gain)
            if tied:
                self.ties += 1
                noise = noise or any(_ordered_by_rounding(best, e) for e in tied)
            self.near += noise

    EqualGainModel.ALLOW_RANDOM = False
    if not hasattr(AbstractExchangeActor, "unwatched_check_nbs"):
        AbstractExchangeActor.unwatched_check_nbs = AbstractExchangeActor.check_nbs
        AbstractExchangeActor.check_nbs = _watched_check_nbs
    return ModelFactory, InputDataFile, TieCountingModel, ModelLoop


def _watched_check_nbs(side: Any) -> None:
    """Decide's overshoot cap (``check_nbs``), counting a cap decided by rounding as
    ``near``: the NBS before the shift lies within ``AT_TARGET`` of the partner's
    position without being equal, and the shift would carry it past — in exact
    arithmetic the NBS is on the position and Decide leaves the shift alone."""
    target = side.opposite_actor.demand.position
    before = side.adjust_nbs(side.supply.position)
    after = side.adjust_nbs(side.y)
    if 0 < abs(target - before) <= AT_TARGET and (target - before) * (target - after) < 0:
        side.model.near += 1
    side.unwatched_check_nbs()


def _close(a: Decimal, b: Decimal) -> bool:
    return a != b and abs(a - b) <= NEAR * max(abs(a), abs(b))


def _ordered_by_rounding(a: Any, b: Any) -> bool:
    """Whether the order of two tied candidates rests on a rounding-sized difference
    between their gains at the latest earlier step where these differed."""
    for gain_a, gain_b in zip(
        reversed(a.gain_history[:-1]), reversed(b.gain_history[:-1]), strict=True
    ):
        if gain_a != gain_b:
            return _close(gain_a, gain_b)
    return False


class _Recorder:
    """The observer ModelLoop reports to; keeps the realised exchanges of a round."""

    def __init__(self) -> None:
        self.realized: list[Any] = []

    def after_loop(self, realized: list[Any], **_: Any) -> None:
        self.realized = list(realized)

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def run_reference(table: Table, rounds: int) -> dict[str, Any]:
    """Run Decide for ``rounds`` rounds; per round the start and voting NBS by issue
    (on the issues' own scales) and the realised exchanges as ``[i, i_supply, j,
    j_supply, i_y, j_y, gain]`` (actor and issue indices; scaled 0..100 positions)."""
    model_factory, input_file, model_class, model_loop = _reference()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_text(table.decide_text())
        model = model_factory(input_file.open(path))(model_klass=model_class)
    recorder = _Recorder()
    loop = model_loop(model, recorder, 0)
    issues = {name: model.issues[name] for name, _, _ in table.issues}
    actor_index = {actor: k for k, actor in enumerate(table.actors)}
    issue_index = {name: d for d, (name, _, _) in enumerate(table.issues)}
    records = []
    for _ in range(rounds):
        model.calc_nbs()
        start = [float(issue.de_normalize(model.nbs[issue])) for issue in issues.values()]
        ties, near = model.ties, model.near
        model.exchanges = []
        loop.loop()
        voting = [float(issue.de_normalize(model.nbs[issue])) for issue in issues.values()]
        realized = [
            [
                actor_index[e.i.actor.actor_id],
                issue_index[e.i.supply.issue.name],
                actor_index[e.j.actor.actor_id],
                issue_index[e.j.supply.issue.name],
                round(float(e.i.y), 9),
                round(float(e.j.y), 9),
                round(float(e.gain), 12),
            ]
            for e in recorder.realized
        ]
        records.append(
            {
                "nbs_start": start,
                "nbs_voting": voting,
                "realized": realized,
                "ties": model.ties - ties,
                "near_ties": model.near - near,
            }
        )
    return {"rounds": records}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--random", type=int, default=40, help="random tables (default 40)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--out", type=Path, default=FIXTURES)
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args()
    try:
        reference = version("decide-exchange-model")
    except PackageNotFoundError:
        print(
            "decide-exchange-model is not installed here: see this file's docstring",
            file=sys.stderr,
        )
        return 2
    missing = [d for d in SHARED_SETS if not (SHARED / d / "input.csv").is_file()]
    if missing:
        print(f"shared datasets not found under {SHARED}: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
        for old in args.out.glob("*.json"):
            old.unlink()
    started = time.perf_counter()
    kept = [
        fixture
        for table in tables(args.random)
        if (fixture := _fixture(table, args.rounds, reference)) is not None
    ]
    for fixture in kept if not args.check else []:
        text = json.dumps(fixture, separators=(",", ":"))
        (args.out / f"{fixture['name']}.json").write_text(text + "\n")
    ties = sum(r["ties"] for fixture in kept for r in fixture["rounds"])
    print(
        f"{len(kept)} tables with {ties} tied steps kept ({len(tables(args.random)) - len(kept)} "
        f"without a tie before the first rounding-decided choice); "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


def _fixture(table: Table, rounds: int, reference: str) -> dict[str, Any] | None:
    """The table and its reference rounds up to the first rounding-decided choice, or
    None when no tie is left in them."""
    records = run_reference(table, rounds)["rounds"]
    rounding = [k for k, r in enumerate(records) if r["near_ties"]]
    cut = rounding[0] if rounding else len(records)
    ties = sum(r["ties"] for r in records[:cut])
    print(f"{table.name:40s} rounds {cut:3d}  ties {ties:4d}", flush=True)
    if not ties:
        return None
    return {
        "name": table.name,
        "origin": table.origin,
        "reference": f"decide-exchange-model {reference}, EqualGainModel.ALLOW_RANDOM = False",
        "python": sys.version.split()[0],
        "first_rounding_decided_round": cut + 1 if rounding else None,
        "actors": table.actors,
        "issues": [name for name, _, _ in table.issues],
        "decide_input": table.decide_text(),
        "rounds": records[:cut],
    }


if __name__ == "__main__":
    raise SystemExit(main())
