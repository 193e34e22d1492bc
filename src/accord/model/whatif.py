"""What-if variants of a scenario: lift named red lines and see what opens up.

When the zone of agreement is empty, analysts ask which concession would open it.
Lifting a red line gives a new scenario (the original is immutable), so the same
analysis runs on both and the difference is the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.errors import AccordError
from accord.model.scenario import Scenario

__all__ = ["lift_red_lines", "parse_lift"]


def parse_lift(text: str) -> tuple[str, int]:
    """``"russia:3"`` → ``("russia", 3)`` (red lines are numbered from 1)."""
    party, sep, number = text.rpartition(":")
    if not sep or not party or not number.isdigit() or int(number) < 1:
        raise AccordError(f"--lift: expected PARTY:N (a red line number from 1), found {text!r}")
    return party, int(number)


def lift_red_lines(
    scenario: Scenario, lifts: Sequence[tuple[str, int]]
) -> tuple[Scenario, list[str]]:
    """A copy of ``scenario`` without the given red lines, and a sentence for each."""
    removed: dict[str, set[int]] = {}
    described = []
    for party_id, number in lifts:
        try:
            party = scenario.party(party_id)
        except KeyError:
            known = ", ".join(p.id for p in scenario.parties)
            raise AccordError(f"--lift: unknown party {party_id!r}; parties are: {known}") from None
        lines = party.preferences.red_lines if party.preferences else ()
        if not 1 <= number <= len(lines):
            raise AccordError(
                f"--lift: {party.name} has {len(lines)} red line(s); there is no number {number}"
            )
        removed.setdefault(party_id, set()).add(number - 1)
        described.append(f"Lifted {party.name}'s red line {number}: {lines[number - 1].reason}")
    parties = []
    for party in scenario.parties:
        if party.id in removed and party.preferences is not None:
            kept = tuple(
                line
                for n, line in enumerate(party.preferences.red_lines)
                if n not in removed[party.id]
            )
            prefs = party.preferences.model_copy(update={"red_lines": kept})
            party = party.model_copy(update={"preferences": prefs})
        parties.append(party)
    return scenario.model_copy(update={"parties": tuple(parties)}), described
