"""Exact analysis beyond enumeration: solvers that use the structure of the compiled model.

Utilities are additive over issues plus sparse interaction terms, red lines are
forbidden combinations and reservation values are linear constraints, so the
questions of ``accord analyze`` have exact answers without enumerating the space:

* zone of agreement, bargaining solutions, best and worst outcomes, minimal
  amendments: mixed-integer programs solved with HiGHS (:mod:`.encoding`,
  :mod:`.bargaining`, :mod:`.zone`, :mod:`.extremes`, :mod:`.amend`); Nash by outer
  approximation of the logarithm (:mod:`.criteria`);
* the Pareto frontier: issue-by-issue merging with dominance pruning
  (:mod:`.frontier`), or for very large frontiers of three or more parties a
  well-spread approximation with its quality bounded (:mod:`.supported`).

:func:`accord.analysis.analyze.analyze` picks this path automatically for large
spaces (:mod:`.method`); :func:`minimal_amendment` is the entry point for frameworks.
"""

from __future__ import annotations

from accord.analysis.structured.amend import Amendment, MinimalAmendments, minimal_amendment
from accord.analysis.structured.frontier import DEFAULT_FRONTIER_LIMIT
from accord.analysis.structured.method import AUTO_ENUMERATE_MAX, resolve_method
from accord.analysis.structured.program import Interrupt

__all__ = [
    "AUTO_ENUMERATE_MAX",
    "DEFAULT_FRONTIER_LIMIT",
    "Amendment",
    "Interrupt",
    "MinimalAmendments",
    "minimal_amendment",
    "resolve_method",
]
