"""Forecasting where positions settle: stakeholder models over issue scales.

* :func:`expected_utility` — Bueno de Mesquita's expected-utility model (1994, 2002,
  2011), in the Scholz, Calbert & Smith (2011) reading by default;
* :func:`exchange_model` — Stokman's exchange model, Equal Gain and randomised
  (Stokman & Van Oosten 1994; Stokman & Van den Bos 1992);
* :func:`table_baselines` — the weighted and unweighted means and medians every
  forecast is compared with (Thomson et al. 2006).

Inputs are :class:`StakeholderTable` objects, read from CSV or Decide files
(:func:`read_forecast_input`) or mapped from a scenario (:func:`table_from_scenario`)::

    from accord.forecast import forecast, load_forecast_input
    result = forecast(load_forecast_input("berlin-2025"), "exchange", rounds=10)
    result.forecast  # {issue: voting NBS after the last round}
"""

from __future__ import annotations

from accord.forecast.baselines import table_baselines, weighted_mean, weighted_median
from accord.forecast.data import StakeholderTable
from accord.forecast.eu import EU_VARIANTS, expected_utility, median_voter
from accord.forecast.exchange import EXCHANGE_VARIANTS, exchange_model
from accord.forecast.from_scenario import table_from_scenario
from accord.forecast.inputs import parse_decide, parse_stakeholder_csv, read_forecast_input
from accord.forecast.plot import plot_forecast
from accord.forecast.render import (
    forecast_report,
    forecast_to_csv,
    forecast_to_data,
    forecast_to_json,
)
from accord.forecast.results import (
    Baselines,
    EuForecast,
    EuIssueForecast,
    EuMove,
    EuRound,
    ExchangeForecast,
    ExchangeRound,
    MoveType,
    Outcome,
    OutcomeKind,
    RealizedExchange,
)
from accord.forecast.run import MODELS, forecast, load_forecast_input

__all__ = [
    "EU_VARIANTS",
    "EXCHANGE_VARIANTS",
    "MODELS",
    "Baselines",
    "EuForecast",
    "EuIssueForecast",
    "EuMove",
    "EuRound",
    "ExchangeForecast",
    "ExchangeRound",
    "MoveType",
    "Outcome",
    "OutcomeKind",
    "RealizedExchange",
    "StakeholderTable",
    "exchange_model",
    "expected_utility",
    "forecast",
    "forecast_report",
    "forecast_to_csv",
    "forecast_to_data",
    "forecast_to_json",
    "load_forecast_input",
    "median_voter",
    "parse_decide",
    "parse_stakeholder_csv",
    "plot_forecast",
    "read_forecast_input",
    "table_baselines",
    "table_from_scenario",
    "weighted_mean",
    "weighted_median",
]
