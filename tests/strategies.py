"""Hypothesis strategies shared by the tests: random small, valid scenarios.

``scenarios()`` draws scenarios that :func:`accord.model.checks.check_scenario`
accepts: unique ids, non-negative salience with at least one positive weight, a
value in [0, 1] for every option of every salient issue, interaction values in
[-1, 1], reservation values in [0, 0.8], conditions and citations that name real
issues, options and sources. At least one party is a principal with preferences.

Ids and texts include strings YAML would read as something else when unquoted
(``yes``, ``10``, ``null``, ``2025-01-01``, ``a: b`` …), so that writing and reading
a scenario is tested on them too.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from accord.model.scenario import (
    Channel,
    Channels,
    Citation,
    Estimate,
    Interaction,
    Issue,
    Option,
    Party,
    Preferences,
    RedLine,
    Reference,
    Reservation,
    Role,
    Scenario,
    Source,
    UtilitySettings,
)

__all__ = ["ids", "scenarios", "texts"]

_TRICKY = [
    "yes",
    "No",
    "on",
    "off",
    "true",
    "null",
    "~",
    "10",
    "007",
    "1.5",
    "-3",
    "1e3",
    ".inf",
    ".nan",
    "0x1F",
    "2025-01-01",
    "2025-01-01 10:00:00",
    "a: b",
    "#hash",
    "- dash",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`tick",
    "'single'",
    '"double"',
    "[list]",
    "{map}",
    "Ukraïna",
    "北京",
    "x y",
]

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."


def ids() -> st.SearchStrategy[str]:
    """Valid ids: no leading or trailing whitespace, 1–200 characters."""
    return _IDS


def texts() -> st.SearchStrategy[str]:
    """Free text, including line breaks, quotes, YAML punctuation and non-ASCII letters."""
    return _TEXTS


# Strategies are built once: building them on every draw makes generation slow.
_IDS = st.sampled_from(_TRICKY) | st.text(_PLAIN, min_size=1, max_size=12)
_TEXTS = st.sampled_from(_TRICKY) | st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Co", "Cn")), max_size=30
)
_MAYBE_TEXT = st.none() | _TEXTS
_COUNT = st.integers(0, 2)
_ROLES = st.sampled_from(list(Role))
_SALIENCE = st.sampled_from([0.0, 1.0, 2.5, 5.0]) | st.floats(0.0, 5.0)
_UNIT = st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0.0, 1.0)
_BONUS = st.sampled_from([-1.0, 0.0, 1.0]) | st.floats(-1.0, 1.0)
_RESERVATION = st.sampled_from([0.0, 0.8]) | st.floats(0.0, 0.8)


def _unique_ids(draw: st.DrawFn, min_size: int, max_size: int) -> list[str]:
    return draw(st.lists(_IDS, min_size=min_size, max_size=max_size, unique=True))


def _provenance(draw: st.DrawFn, source_ids: list[str]) -> dict[str, Any]:
    """``evidence`` and ``assumed`` keyword arguments (either, both or neither)."""
    evidence: tuple[Citation, ...] = ()
    if source_ids:
        evidence = tuple(
            Citation(
                source=draw(st.sampled_from(source_ids)),
                quote=draw(_MAYBE_TEXT),
                note=draw(_MAYBE_TEXT),
            )
            for _ in range(draw(_COUNT))
        )
    return {"evidence": evidence, "assumed": draw(_MAYBE_TEXT)}


def _estimate(draw: st.DrawFn, values: st.SearchStrategy[float], source_ids: list[str]) -> Estimate:
    """A number; half the time with its provenance (written ``{value, assumed, …}``)."""
    value = draw(values)
    if draw(st.booleans()):
        return Estimate(value=value)
    return Estimate(value=value, **_provenance(draw, source_ids))


def _condition(draw: st.DrawFn, issues: list[Issue]) -> dict[str, tuple[str, ...]]:
    """``{issue: (option, ...)}`` over 1–2 distinct issues."""
    chosen = draw(st.lists(st.sampled_from(issues), min_size=1, max_size=2, unique_by=id))
    return {
        issue.id: tuple(
            draw(st.lists(st.sampled_from(issue.option_ids()), min_size=1, max_size=3, unique=True))
        )
        for issue in chosen
    }


def _preferences(draw: st.DrawFn, issues: list[Issue], source_ids: list[str]) -> Preferences:
    weighed = draw(st.lists(st.sampled_from(issues), min_size=1, unique_by=id))
    salience = {issue.id: _estimate(draw, _SALIENCE, source_ids) for issue in weighed}
    if all(w.value <= 0 for w in salience.values()):
        first = weighed[0].id
        salience[first] = Estimate(value=1.0, assumed=salience[first].assumed)
    # every salient issue needs a value for every option; others may have them or not
    valued = [i for i in issues if i.id in salience or draw(st.booleans())]
    values = {
        issue.id: {option: _estimate(draw, _UNIT, source_ids) for option in issue.option_ids()}
        for issue in valued
    }
    interactions = tuple(
        Interaction(
            when=_condition(draw, issues),
            value=draw(_BONUS),
            reason=draw(_MAYBE_TEXT),
            **_provenance(draw, source_ids),
        )
        for _ in range(draw(_COUNT))
    )
    red_lines = tuple(
        RedLine(when=_condition(draw, issues), reason=draw(_TEXTS), **_provenance(draw, source_ids))
        for _ in range(draw(_COUNT))
    )
    reservation = Reservation(
        value=draw(_RESERVATION),
        label=draw(st.just("No agreement") | _TEXTS),
        **_provenance(draw, source_ids),
    )
    return Preferences(
        salience=salience,
        values=values,
        interactions=interactions,
        red_lines=red_lines,
        reservation=reservation,
        **_provenance(draw, source_ids),
    )


def _party(
    draw: st.DrawFn, party_id: str, role: Role, issues: list[Issue], source_ids: list[str]
) -> Party:
    with_preferences = role is Role.PRINCIPAL or draw(st.booleans())
    capability = _estimate(draw, _UNIT, source_ids) if draw(st.booleans()) else None
    return Party(
        id=party_id,
        name=draw(_TEXTS),
        role=role,
        also=tuple(draw(st.lists(_ROLES, max_size=2, unique=True))),
        bloc=draw(_MAYBE_TEXT),
        capability=capability,
        description=draw(_MAYBE_TEXT),
        preferences=_preferences(draw, issues, source_ids) if with_preferences else None,
    )


def _issue(draw: st.DrawFn, issue_id: str, max_options: int) -> Issue:
    return Issue(
        id=issue_id,
        title=draw(_MAYBE_TEXT),
        description=draw(_MAYBE_TEXT),
        ordered=draw(st.booleans()),
        options=tuple(
            Option(id=option_id, label=draw(_MAYBE_TEXT))
            for option_id in _unique_ids(draw, 1, max_options)
        ),
    )


def _channel(draw: st.DrawFn, party_ids: list[str], source_ids: list[str]) -> Channel:
    first, second = draw(st.lists(st.sampled_from(party_ids), min_size=2, max_size=2, unique=True))
    return Channel(
        between=(first, second),
        direct=draw(st.booleans()),
        note=draw(_MAYBE_TEXT),
        **_provenance(draw, source_ids),
    )


@st.composite
def scenarios(
    draw: st.DrawFn, max_parties: int = 4, max_issues: int = 4, max_options: int = 4
) -> Scenario:
    """A random valid scenario of 1–``max_parties`` parties and 1–``max_issues`` issues
    of 1–``max_options`` options; the first party is a principal with preferences."""
    sources = tuple(
        Source(
            id=source_id,
            title=draw(_TEXTS),
            publisher=draw(_MAYBE_TEXT),
            date=draw(st.none() | st.sampled_from(["2025-12-15", "December 2025"])),
            url=draw(st.none() | st.just("https://example.org/report")),
        )
        for source_id in _unique_ids(draw, 0, 3)
    )
    source_ids = [source.id for source in sources]
    issues = [_issue(draw, issue_id, max_options) for issue_id in _unique_ids(draw, 1, max_issues)]
    party_ids = _unique_ids(draw, 1, max_parties)
    roles = [Role.PRINCIPAL] + [draw(_ROLES) for _ in party_ids[1:]]
    parties = tuple(
        _party(draw, party_id, role, issues, source_ids)
        for party_id, role in zip(party_ids, roles, strict=True)
    )
    pairs: tuple[Channel, ...] = ()
    if len(party_ids) >= 2:
        pairs = tuple(_channel(draw, party_ids, source_ids) for _ in range(draw(_COUNT)))
    reference = None
    if draw(st.booleans()):
        reference = Reference(
            label=draw(_TEXTS),
            outcome={issue.id: draw(st.sampled_from(issue.option_ids())) for issue in issues},
            **_provenance(draw, source_ids),
        )
    return Scenario(
        id=draw(_IDS),
        title=draw(_TEXTS),
        description=draw(_MAYBE_TEXT),
        date=draw(st.none() | st.sampled_from(["2025-12-15", "2025-12-15T09:30:00"]) | _TEXTS),
        utility=UtilitySettings(
            normalize_salience=draw(st.booleans()),
            cap=draw(st.none() | st.just(1.0) | st.floats(0.5, 2.0)),
        ),
        sources=sources,
        parties=parties,
        issues=tuple(issues),
        channels=Channels(default=draw(st.booleans()), pairs=pairs),
        reference=reference,
    )
