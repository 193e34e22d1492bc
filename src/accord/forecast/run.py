"""One entry point for both forecast models and every kind of input."""

from __future__ import annotations

import dataclasses
import math
import secrets
from pathlib import Path

from accord.errors import AccordError
from accord.forecast.data import Progress, StakeholderTable
from accord.forecast.eu import EU_VARIANTS, expected_utility
from accord.forecast.exchange import EXCHANGE_VARIANTS, exchange_model
from accord.forecast.from_scenario import table_from_scenario
from accord.forecast.inputs import read_forecast_input
from accord.forecast.results import EuForecast, ExchangeForecast

__all__ = [
    "MAX_EU_ACTORS",
    "MAX_EXCHANGE_PAIRS",
    "MAX_ROUNDS",
    "MAX_SEED",
    "MODELS",
    "forecast",
    "load_forecast_input",
]

MODELS = ("eu", "exchange")
MAX_ROUNDS = 100_000
"""Most rounds a forecast runs (the published models converge within a few dozen)."""
MAX_SEED = 2**63 - 1
MAX_EU_ACTORS = 2_000
"""Most actors on one issue for the expected-utility model, whose rounds hold (n × n)
matrices: 2,000 actors take about 0.7 GB and 10 s a round here, 5,000 take 3.6 GB
and 45 s (docs/limits.md)."""
MAX_EXCHANGE_PAIRS = 15_000_000
"""Most candidate exchanges (actor pairs × issue pairs) for the exchange model: 800
actors on 10 issues (14.4 million) take about 2.2 GB and 40 s a round here."""
_SCENARIO_SUFFIXES = (".yaml", ".yml")


def load_forecast_input(spec: str | Path, count_bloc_members: bool = False) -> StakeholderTable:
    """A stakeholder table from a CSV or Decide file, or from a scenario (a built-in
    name, a scenario YAML file or a GENIUS folder) mapped to issue scales, where
    parties sharing a bloc are one actor unless ``count_bloc_members``."""
    path = Path(spec)
    if path.is_file() and path.suffix.lower() not in _SCENARIO_SUFFIXES:
        return read_forecast_input(path)
    from accord.io.load import load_scenario

    return table_from_scenario(load_scenario(spec), count_bloc_members)


def forecast(
    table: StakeholderTable,
    model: str = "eu",
    *,
    rounds: int = 10,
    variant: str | None = None,
    seed: int | None = None,
    q: float = 1.0,
    shock_probability: float = 0.0,
    p: float | None = None,
    random_ties: bool = False,
    progress: Progress | None = None,
) -> EuForecast | ExchangeForecast:
    """Run ``model`` (``"eu"``: Bueno de Mesquita's expected-utility model; ``"exchange"``:
    Stokman's exchange model) on ``table``. ``variant`` defaults to the one the
    published runs used (``scholz``; ``equal-gain``). Bad settings (NaN or infinite
    numbers among them) raise :class:`~accord.errors.AccordError`. A run that draws
    random numbers without a ``seed`` draws one and reports it in the result.
    ``progress(done, total)`` reports rounds done.
    The result says how the table counted blocs (``blocs``; None for tables not built
    from a scenario)."""
    result = _run_model(
        table,
        model,
        rounds=rounds,
        variant=variant,
        seed=seed,
        q=q,
        shock_probability=shock_probability,
        p=p,
        random_ties=random_ties,
        progress=progress,
    )
    return dataclasses.replace(result, blocs=table.blocs)


def _run_model(
    table: StakeholderTable,
    model: str = "eu",
    *,
    rounds: int = 10,
    variant: str | None = None,
    seed: int | None = None,
    q: float = 1.0,
    shock_probability: float = 0.0,
    p: float | None = None,
    random_ties: bool = False,
    progress: Progress | None = None,
) -> EuForecast | ExchangeForecast:
    """:func:`forecast` without the bloc record."""
    if model not in MODELS:
        raise AccordError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    _check_settings(rounds, seed, q=q, shock_probability=shock_probability, p=p)
    _check_size(table, model)
    if seed is None and _draws_at_random(model, variant, shock_probability, random_ties):
        seed = secrets.randbelow(MAX_SEED + 1)  # reported in the result: the run replays
    try:
        if model == "eu":
            _check_variant(variant, EU_VARIANTS)
            if p is not None or random_ties:
                raise AccordError("--p and --random-ties apply to the exchange model only")
            return expected_utility(
                table,
                rounds=rounds,
                variant=variant or "scholz",
                q=q,
                shock_probability=shock_probability,
                seed=seed,
                progress=progress,
            )
        _check_variant(variant, EXCHANGE_VARIANTS)
        if q != 1.0 or shock_probability:
            raise AccordError("--q and --shocks apply to the expected-utility model only")
        return exchange_model(
            table,
            rounds=rounds,
            variant=variant or "equal-gain",
            p=p,
            random_ties=random_ties,
            seed=seed,
            progress=progress,
        )
    except ValueError as error:
        raise AccordError(str(error)) from None


def _check_settings(rounds: int, seed: int | None, **numbers: float | None) -> None:
    """Refuse what no model can use: NaN or infinite numbers, rounds beyond
    :data:`MAX_ROUNDS`, seeds outside 0..2^63−1 (they reach compiled code)."""
    for name, value in numbers.items():
        if value is not None and not math.isfinite(value):
            raise AccordError(f"{name} must be a finite number, found {value!r}")
    if not 0.0 <= numbers["q"] <= 1.0:  # type: ignore[operator]
        raise AccordError(f"q is a probability in [0, 1], found {numbers['q']!r}")
    if isinstance(rounds, bool) or not 0 <= rounds <= MAX_ROUNDS:
        raise AccordError(f"rounds must be in 0..{MAX_ROUNDS:,}, found {rounds!r}")
    if seed is not None and (isinstance(seed, bool) or not 0 <= seed <= MAX_SEED):
        raise AccordError(f"seed must be in 0..2^63-1, found {seed!r}")


def _check_size(table: StakeholderTable, model: str) -> None:
    """Refuse a table the model could not finish in memory, before any work."""
    n, issues = len(table.actors), len(table.issues)
    if model == "eu":
        most = int(table.present.sum(axis=0).max()) if issues else 0
        if most > MAX_EU_ACTORS:
            raise AccordError(
                f"{most:,} actors on one issue; the expected-utility model is limited to "
                f"{MAX_EU_ACTORS:,} (its rounds compare every pair of actors)"
            )
        return
    pairs = n * (n - 1) // 2 * (issues * (issues - 1) // 2)
    if pairs > MAX_EXCHANGE_PAIRS:
        raise AccordError(
            f"{n:,} actors on {issues} issues make {pairs:,} candidate exchanges; the "
            f"exchange model is limited to {MAX_EXCHANGE_PAIRS:,}"
        )


def _draws_at_random(
    model: str, variant: str | None, shock_probability: float, random_ties: bool
) -> bool:
    """Does this run draw random numbers (and so need a seed to be replayed)?"""
    if model == "eu":
        return shock_probability > 0
    return random_ties or variant == "rex"


def _check_variant(variant: str | None, known: tuple[str, ...]) -> None:
    if variant is not None and variant not in known:
        raise AccordError(f"unknown variant {variant!r}; expected one of {', '.join(known)}")
