"""Parties that share a ``bloc`` count once, unless the user asks to count members.

In the Berlin scenario Germany, France and the United Kingdom share one bloc and one
profile; analysed together with ``--parties all`` they would otherwise enter the Nash
product three times, and a forecast would count Europe's capability three times.

Counted once (the default), each of a bloc's k analysed members weighs 1/k:

* Nash: the asymmetric Nash product, maximising Σ_i w_i log(u_i − d_i) (Nash 1950;
  asymmetric bargaining power: Kalai 1977, Roth 1979), so the bloc's members together
  weigh as one party;
* Kalai–Smorodinsky (Kalai & Smorodinsky 1975) and egalitarian (Kalai 1977): the bloc
  is one coordinate, the smallest normalised gain among its members (its worst-off
  member); the minimum over blocs of these is the minimum over all parties, so the
  chosen outcome is the same as when members are counted, except for ties, which are
  broken by the weighted total gain;
* utilitarian (Harsanyi 1955): members weigh 1/k in the sum.

Counted as members (``count_bloc_members=True``, ``--count-bloc-members``) every party
weighs 1, as if blocs were not there. Either way every output says which was done
(:class:`BlocCount`, in JSON under ``blocs``).
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.analysis.results import MEMBERS, ONCE, BlocCount
from accord.model.scenario import Scenario

__all__ = ["BlocCount", "bloc_count"]


def bloc_count(
    scenario: Scenario, parties: Sequence[str], count_members: bool = False
) -> BlocCount:
    """The blocs of ``parties`` (ids, in the order given) in ``scenario``."""
    groups: dict[str, list[str]] = {}
    for party_id in parties:
        bloc = scenario.party(party_id).bloc
        if bloc is not None:
            groups.setdefault(bloc, []).append(party_id)
    counted = MEMBERS if count_members else ONCE
    return BlocCount(counted, {bloc: tuple(members) for bloc, members in groups.items()})
