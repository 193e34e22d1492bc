"""The scenario schema: parties, issues, preferences, red lines, channels and evidence.

A :class:`Scenario` is the validated, immutable description of one negotiation
(DESIGN §3). It is a pydantic model so that the file format, the JSON Schema
(``accord schema``) and the Python API are one definition.

Utility model (multi-attribute additive value with interaction terms, Raiffa 1982;
Keeney & Raiffa 1976): for party *p* and outcome *o*::

    u_p(o) = Σ_i w_pi · v_pi(o_i)  +  Σ_k b_pk · [o matches interaction k]

where ``w_pi`` is the party's salience of issue *i* (normalised to sum to 1 unless
``utility.normalize_salience`` is false), ``v_pi`` its value in [0, 1] for the option
chosen, and ``b_pk`` the bonus (or malus) of interaction *k*. An outcome is
*acceptable* to *p* when it crosses none of p's red lines and ``u_p(o)`` is at least
p's reservation value (the value of no agreement, Fisher & Ury's BATNA).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from accord.render.safe import refuse_invisible

__all__ = [
    "Bloc",
    "Channel",
    "Channels",
    "Citation",
    "Condition",
    "Distribution",
    "Estimate",
    "Evidenced",
    "FrozenModel",
    "Interaction",
    "Issue",
    "Option",
    "Party",
    "Preferences",
    "RedLine",
    "Reference",
    "Reservation",
    "Role",
    "Scenario",
    "Source",
    "Uncertain",
    "UtilitySettings",
]


def _coerce_id(value: Any) -> Any:
    """YAML reads ``10`` or ``1.5`` as numbers; as ids they are the strings written."""
    if isinstance(value, bool):
        return value  # left for pydantic to reject: `yes`/`no` are never meant as ids
    if isinstance(value, int | float):
        return str(value)
    return value


Id = Annotated[
    str,
    BeforeValidator(_coerce_id),
    StringConstraints(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$"),
    AfterValidator(refuse_invisible),
]
"""Ids refuse control and invisible formatting characters (ESC, bidirectional
overrides, zero-width marks): they are echoed to terminals and matched by eye."""
Text = Annotated[str, StringConstraints(max_length=20_000)]

MAX_NUMBER = 1e6
"""Largest magnitude of any number in a scenario (weights, values, capabilities,
reservation values, the cap). Utilities are sums of weights times values in [0, 1];
bounding each number keeps every sum, product and square the analyses form finite
(docs/limits.md)."""


class FrozenModel(BaseModel):
    """Immutable, and strict about keys: an unknown key is a mistake, not an extension."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(FrozenModel):
    """A source a number or position rests on, with the words it rests on."""

    source: Id = Field(description="Id of an entry in the scenario's `sources`.")
    quote: Text | None = Field(default=None, description="The sentence relied on.")
    note: Text | None = None


class Evidenced(FrozenModel):
    """Anything that can cite sources or be marked as a modelling assumption."""

    evidence: tuple[Citation, ...] = Field(
        default=(), description="Sources this rests on, each with its quote."
    )
    assumed: Text | None = Field(
        default=None,
        description="Set when this is a modelling assumption: a one-line rationale.",
    )


class Distribution(StrEnum):
    """How an uncertain number is drawn from its range (``accord robustness``)."""

    UNIFORM = "uniform"
    TRIANGULAR = "triangular"


Bound = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]


class Uncertain(Evidenced):
    """A number that may carry the range of readings it could take.

    ``value`` stays the point estimate every command uses; ``range`` (``[low, high]``,
    containing ``value``) and ``distribution`` (uniform on the range, or triangular
    with its mode at ``value``) are read only by ``accord robustness`` (Monte Carlo
    over the readings, as in SMAA, Lahdelma & Salminen 2001).
    """

    value: float = Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)
    range: tuple[Bound, Bound] | None = Field(
        default=None, description="The readings this number could take, as [low, high]."
    )
    distribution: Distribution = Field(
        default=Distribution.UNIFORM,
        description="uniform on the range, or triangular with its mode at `value`.",
    )

    @model_validator(mode="after")
    def _range_contains_value(self) -> Uncertain:
        if self.range is None:
            if self.distribution != Distribution.UNIFORM:
                raise PydanticCustomError(
                    "distribution_without_range", "a distribution needs a `range`"
                )
            return self
        low, high = self.range
        if low > high:
            raise PydanticCustomError(
                "range_order",
                "range [{low}, {high}] must be written [low, high]",
                {"low": f"{low:g}", "high": f"{high:g}"},
            )
        if not low <= self.value <= high:
            raise PydanticCustomError(
                "range_value",
                "range [{low}, {high}] does not contain the value {value}",
                {"low": f"{low:g}", "high": f"{high:g}", "value": f"{self.value:g}"},
            )
        return self


def _coerce_estimate(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": value}
    if isinstance(value, Mapping | BaseModel):
        return value
    # Without this, pydantic says "a valid dictionary or instance of Estimate".
    raise PydanticCustomError("number_type", "expected a number, or a mapping with a `value`")


class Estimate(Uncertain):
    """A number with its provenance (and perhaps its range). In files a bare number is
    shorthand for ``{value: x}``."""

    @model_serializer(mode="wrap")
    def _serialise(self, handler: Any) -> Any:
        if not self.evidence and self.assumed is None and self.range is None:
            return self.value
        return handler(self)


Number = Annotated[Estimate, BeforeValidator(_coerce_estimate)]


def _coerce_condition(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: [v] if not isinstance(v, list | tuple) else v for k, v in value.items()}
    return value


Condition = Annotated[
    dict[Id, Annotated[tuple[Id, ...], Field(min_length=1)]],
    BeforeValidator(_coerce_condition),
    Field(min_length=1),
]
"""A combination of options: ``{issue: option}`` or ``{issue: [option, ...]}``.

It matches an outcome when, for every issue named, the outcome picks one of the
options listed (a conjunction of disjunctions)."""


class Role(StrEnum):
    PRINCIPAL = "principal"
    MEDIATOR = "mediator"
    GUARANTOR = "guarantor"
    OBSERVER = "observer"
    HOST = "host"


class Source(FrozenModel):
    id: Id
    title: Text
    publisher: Text | None = None
    date: Text | None = None
    file: Text | None = None
    url: Text | None = None


class Option(Evidenced):
    """One possible answer to an issue; ``evidence``/``assumed`` say whether a source
    names it or the modeller added it to complete the scale."""

    id: Id
    label: Text | None = None
    description: Text | None = None


class Issue(Evidenced):
    """A question with options. ``evidence``/``assumed`` here cover the issue and every
    option that carries none of its own."""

    id: Id
    title: Text | None = None
    description: Text | None = None
    ordered: bool = Field(
        default=False, description="True when the options are listed from one end of a scale."
    )
    options: tuple[Option, ...] = Field(min_length=1)

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


class Interaction(Uncertain):
    """Extra value (positive or negative) when a combination of options occurs together."""

    when: Condition
    value: float = Field(ge=-1.0, le=1.0, allow_inf_nan=False)
    reason: Text | None = None


class RedLine(Evidenced):
    """A combination of options that makes an outcome unacceptable to the party."""

    when: Condition
    reason: Text
    holds: float = Field(
        default=1.0,
        gt=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Probability that the red line is absolute (a demand may be an "
        "opening position); read by `accord robustness`.",
    )


class Reservation(Uncertain):
    """The value of no agreement (the BATNA), on the party's utility scale."""

    label: Text = "No agreement"


class Preferences(Evidenced):
    """A party's preferences. ``evidence``/``assumed`` here cover every number inside
    that does not carry its own."""

    salience: dict[Id, Annotated[Number, Field()]] = Field(
        description="Issue weights (non-negative, not all zero). Issues left out weigh 0."
    )
    values: dict[Id, dict[Id, Number]] = Field(
        description="For each salient issue, the value in [0, 1] of every option."
    )
    interactions: tuple[Interaction, ...] = ()
    red_lines: tuple[RedLine, ...] = ()
    reservation: Reservation = Field(default_factory=lambda: Reservation(value=0.0))


class Party(Evidenced):
    """A party to the talks. ``evidence``/``assumed`` here are what its ``role`` and
    ``also`` rest on (a role read from reporting rather than stated is ``assumed``);
    its numbers carry their own provenance."""

    id: Id
    name: Text
    role: Role
    also: tuple[Role, ...] = Field(default=(), description="Further roles, e.g. guarantor.")
    bloc: Text | None = None
    capability: Number | None = Field(default=None, description="Power or clout in [0, 1].")
    description: Text | None = None
    preferences: Preferences | None = None
    knows_preferences: bool = Field(
        default=False,
        description="For a mediator: it knows the principals' preferences (full-information "
        "single-text mediation); otherwise it sees only their criticism.",
    )

    def has_role(self, role: Role) -> bool:
        return self.role == role or role in self.also


class Bloc(FrozenModel):
    """A coalition named by parties' ``bloc``: what the bloc has as one actor.

    Parties sharing a bloc count once in analyses and forecasts unless the user asks
    to count members; a forecast's bloc actor takes this ``capability`` when given,
    else its members' mean capability.
    """

    name: Text = Field(description="The bloc, exactly as its members' `bloc` spells it.")
    capability: Number | None = Field(
        default=None, description="The bloc's power or clout as one actor, in [0, 1]."
    )
    description: Text | None = None


class Channel(Evidenced):
    between: tuple[Id, Id]
    direct: bool
    note: Text | None = None


class Channels(Evidenced):
    """Who talks directly. ``evidence``/``assumed`` here are what ``default`` rests on;
    each pair carries its own."""

    default: bool = Field(default=True, description="Do pairs not listed talk directly?")
    pairs: tuple[Channel, ...] = ()


class Reference(Evidenced):
    """A named outcome that analysis measures trades from (a draft, the status quo)."""

    label: Text
    outcome: dict[Id, Id]


class UtilitySettings(FrozenModel):
    normalize_salience: bool = Field(
        default=True, description="Divide each party's salience by its sum."
    )
    cap: float | None = Field(
        default=None,
        allow_inf_nan=False,
        ge=-MAX_NUMBER,
        le=MAX_NUMBER,
        description="Clamp utilities above this (GENIUS clamps at 1).",
    )


class Scenario(FrozenModel):
    accord: int = Field(default=1, ge=1, le=1, description="Format version.")
    id: Id
    title: Text
    description: Text | None = None
    date: Text | None = None
    utility: UtilitySettings = Field(default_factory=UtilitySettings)
    sources: tuple[Source, ...] = ()
    parties: tuple[Party, ...] = Field(min_length=1)
    issues: tuple[Issue, ...] = Field(min_length=1)
    channels: Channels = Field(default_factory=Channels)
    reference: Reference | None = None
    blocs: tuple[Bloc, ...] = Field(
        default=(), description="Optional facts about blocs as actors (their capability)."
    )

    def party(self, party_id: str) -> Party:
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)

    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    def principals(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role == Role.PRINCIPAL)

    def talks_directly(self, a: str, b: str) -> bool:
        for channel in self.channels.pairs:
            if set(channel.between) == {a, b}:
                return channel.direct
        return self.channels.default
