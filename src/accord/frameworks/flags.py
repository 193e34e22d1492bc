"""Red-line flags: every party's red lines, checked on every proposal.

Agreement means that the parties who must accept (the principals, or the parties the
user names) accept. The others can still wreck a deal: a guarantor or a host walks away
from a text that crosses its red line. So amendments, mediated drafts and reviews check
the red lines of *every* party in the scenario and flag each one a proposal crosses,
naming the party, the red line (numbered from 1, the number ``--lift PARTY:N`` takes)
and its reason. A flag informs; it is not a constraint.

A red line is a conjunction of per-issue option sets (:class:`~accord.engine.compiled.
Condition`), so on a draft with open issues it is decided without enumerating the
completions: it is crossed by *some* completion when each of its issues is either
settled inside its set or open with an option inside it, and by *every* completion
when moreover each of its open issues has all its options inside the set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.engine.compiled import CompiledModel, Condition
from accord.errors import AccordError
from accord.model.checks import suggest
from accord.model.scenario import Party, Scenario

__all__ = ["RedLineFlag", "flag_data", "red_line_flags", "required_parties"]


@dataclass(frozen=True)
class RedLineFlag:
    party: str
    red_line: int
    """The red line's number among the party's red lines, from 1 (as ``--lift`` takes it)."""
    text: str
    """The red line's reason, as the scenario states it."""
    certain: bool
    """True when every completion of the open issues crosses it; False when only some do."""

    def describe(self, names: Mapping[str, str]) -> str:
        """One line for reports: who, which red line, why, and whether only possibly."""
        maybe = "" if self.certain else ", if the open issues are settled that way"
        name = names.get(self.party, self.party)
        return f"{name}'s red line {self.red_line} ({self.text.rstrip('.')}){maybe}"


def red_line_flags(
    model: CompiledModel,
    scenario: Scenario,
    settled: Mapping[int, int],
    original: Scenario | None = None,
) -> tuple[RedLineFlag, ...]:
    """Every red line of every party that the draft ``settled`` crosses (or may cross).

    ``settled`` maps issue indices to option indices; the issues it leaves out are open.
    ``original`` is the scenario before any red line was lifted
    (:func:`accord.model.whatif.lift_red_lines`), so that the numbers stay those of the
    scenario file.
    """
    flags: list[RedLineFlag] = []
    for party in scenario.parties:
        if party.preferences is None:
            continue
        p = model.party_index(party.id)
        own = [line for line in model.red_lines if line.party == p]
        numbers = _numbers(party, original)
        for n, (spec, line) in enumerate(zip(party.preferences.red_lines, own, strict=True)):
            possible, certain = _crossing(line, settled)
            if possible:
                text = " ".join(spec.reason.split())
                flags.append(RedLineFlag(party.id, numbers[n], text, certain))
    return tuple(flags)


def _crossing(line: Condition, settled: Mapping[int, int]) -> tuple[bool, bool]:
    """(some completion crosses ``line``, every completion does)."""
    possible = certain = True
    for issue, allowed in zip(line.issues, line.allowed, strict=True):
        if issue in settled:
            if not allowed[settled[issue]]:
                return False, False
        else:
            certain &= bool(allowed.all())
            possible &= bool(allowed.any())
    return possible, certain and possible


def _numbers(party: Party, original: Scenario | None) -> list[int]:
    """The number (from 1) in the original scenario of each of ``party``'s red lines.

    Lifting keeps the remaining red-line objects themselves, so identity finds them.
    """
    lines = party.preferences.red_lines if party.preferences else ()
    before = original.party(party.id).preferences if original is not None else None
    if before is None:
        return list(range(1, len(lines) + 1))
    position = {id(line): n for n, line in enumerate(before.red_lines, start=1)}
    return [position.get(id(line), n) for n, line in enumerate(lines, start=1)]


def flag_data(flags: Sequence[RedLineFlag]) -> list[dict[str, object]]:
    """Flags as JSON-ready dictionaries: ``{party, red_line, text, certain}``."""
    return [
        {"party": f.party, "red_line": f.red_line, "text": f.text, "certain": f.certain}
        for f in flags
    ]


def required_parties(
    scenario: Scenario, model: CompiledModel, parties: Sequence[str] | None
) -> list[int]:
    """Indices of the parties who must accept: ``parties``, or the principals by default."""
    if parties is None:
        parties = [p.id for p in scenario.principals() if p.preferences is not None]
        if not parties:
            raise AccordError("the scenario has no principals with preferences")
    if list(parties) == ["all"]:
        parties = list(model.party_ids)
    known = [p.id for p in scenario.parties]
    chosen: list[int] = []
    for party in parties:
        if party not in known:
            hint = suggest(party, known) or f"parties are: {', '.join(known)}"
            raise AccordError(f"--parties: unknown party {party!r}; {hint}")
        if party not in model.party_ids:
            raise AccordError(f"--parties: {party!r} has no preferences in this scenario")
        if model.party_index(party) in chosen:
            raise AccordError(f"--parties: {party!r} is named twice")
        chosen.append(model.party_index(party))
    return chosen
