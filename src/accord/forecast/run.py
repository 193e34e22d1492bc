"""One entry point for both forecast models and every kind of input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from accord.errors import AccordError
from accord.forecast.data import Progress, StakeholderTable
from accord.forecast.eu import EU_VARIANTS, expected_utility
from accord.forecast.exchange import EXCHANGE_VARIANTS, exchange_model
from accord.forecast.from_scenario import table_from_scenario
from accord.forecast.inputs import read_forecast_input
from accord.forecast.results import EuForecast, ExchangeForecast

__all__ = ["MODELS", "forecast", "load_forecast_input"]

MODELS = ("eu", "exchange")
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
    published runs used (``scholz``; ``equal-gain``). Bad settings raise
    :class:`~accord.errors.AccordError`. ``progress(done, total)`` reports rounds done.
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


def _check_variant(variant: str | None, known: tuple[str, ...]) -> None:
    if variant is not None and variant not in known:
        raise AccordError(f"unknown variant {variant!r}; expected one of {', '.join(known)}")
