"""Tournament specifications: YAML in, a checked :class:`~accord.tournament.plan.Plan` out.

A spec names strategies, protocols, scenarios (built-in names, scenario files or
GENIUS folders, relative to the spec's folder), repetitions, the deadline and the costs
of delay. Every mistake is reported with its file, line and column::

    name: anac-style
    seed: 2025
    repetitions: 3
    rounds: 100
    protocols: [alternating]
    strategies: [boulware, linear, conceder, tit-for-tat, hardliner, principled, random]
    pairing: all            # every assignment of strategies to negotiators; or: self
    time:                   # defaults for every scenario
      reservation_drift: {all: -0.001}
    scenarios:
      - berlin-2025
      - scenario: berlin-2025
        label: berlin-us-ukraine
        parties: [ukraine, united-states]
        delay_cost: {ukraine: 0.002}
      - scenario: ../shared/data/genius/Laptop
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from accord.errors import Location, Problem, ScenarioError
from accord.io.scenario_file import validate_document
from accord.io.yaml_source import MAX_FILE_BYTES, SourceMap, decode_text, parse_yaml
from accord.protocols.spec import MAX_RATE, MAX_ROUNDS
from accord.render.safe import refuse_invisible

__all__ = ["ScenarioEntry", "TimeSettings", "TournamentSpec", "read_spec"]

Rates = dict[str, Annotated[float, Field(allow_inf_nan=False, ge=-MAX_RATE, le=MAX_RATE)]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeSettings(_Strict):
    """Costs of delay, per party id or ``all`` (see :mod:`accord.protocols.spec`)."""

    delay_cost: Rates = Field(default_factory=dict)
    reservation_drift: Rates = Field(default_factory=dict)
    discount: Rates = Field(default_factory=dict)


def _entry(value: Any) -> Any:
    return {"scenario": value} if isinstance(value, str) else value


class ScenarioEntry(TimeSettings):
    """One scenario of the tournament; its rates override the spec's ``time``."""

    scenario: str = Field(min_length=1, description="Built-in name, scenario file or folder.")
    label: Annotated[str, AfterValidator(refuse_invisible)] | None = Field(
        default=None, min_length=1, pattern=r"^[^/\s]+$"
    )
    parties: list[str] | None = Field(default=None, min_length=2)
    mediator: str | None = None


class TournamentSpec(_Strict):
    name: Annotated[str, AfterValidator(refuse_invisible)] | None = None
    seed: int = Field(default=0, ge=0, lt=2**63)
    repetitions: int = Field(default=1, ge=1, le=100_000)
    rounds: int = Field(default=100, ge=1, le=MAX_ROUNDS)
    protocols: list[str] = Field(default_factory=lambda: ["alternating"], min_length=1)
    strategies: list[str] = Field(min_length=1)
    pairing: Literal["all", "self"] = "all"
    mediator_knows_preferences: bool = True
    time: TimeSettings = Field(default_factory=TimeSettings)
    scenarios: list[Annotated[ScenarioEntry, BeforeValidator(_entry)]] = Field(min_length=1)


def read_spec(path: str | Path) -> tuple[TournamentSpec, SourceMap]:
    """Read and validate a tournament spec file (located errors)."""
    path = Path(path)
    file = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problem = Problem(f"cannot read: {exc.strerror or exc}", location=Location(file))
        raise ScenarioError([problem]) from None
    data, source_map = parse_yaml(decode_text(raw, file), file)
    return validate_document(TournamentSpec, data, source_map), source_map
