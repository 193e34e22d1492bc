"""Request bodies. Strict: a wrong type is a 422, never silently coerced."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = ["CaseIn", "CriticismIn", "DisclosureIn", "DraftIn", "InvitationIn", "ResponseIn"]

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Words = Annotated[str, StringConstraints(max_length=5_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class CaseIn(_Strict):
    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    scenario: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="A built-in scenario name, or scenario YAML text."
    )


class InvitationIn(_Strict):
    party: Name
    expires_in_days: int = Field(default=30, ge=1, le=365)


class DisclosureIn(_Strict):
    level: Literal["private", "mediator", "all"] = Field(
        description="private (default), mediator or all"
    )


class DraftIn(_Strict):
    suggest: bool = Field(
        default=False, description="Compute the next single-text draft on the private data."
    )
    title: Annotated[str, StringConstraints(max_length=500)] | None = None
    points: list[dict[str, Any]] | None = Field(
        default=None, max_length=500, description="Points as in the framework format."
    )


class CriticismIn(_Strict):
    issue: Name
    option: Name | None = None
    text: Words | None = None


class ResponseIn(_Strict):
    accept: bool
    criticism: list[CriticismIn] = Field(default_factory=list, max_length=100)
