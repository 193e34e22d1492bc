"""The four bargaining criteria as programs over the capped utilities ``v_p``.

Gains are measured from the disagreement point d (the reservation values). Each
criterion gives its exact value on evaluated outcomes (as
:mod:`accord.analysis.solutions` computes it, so ties are decided identically) and
its program: an objective to maximise, and rows for "the criterion is at least θ".

Each party p has a weight w_p (default 1; a bloc of k members counted once gives each
1/k, :mod:`accord.analysis.blocs`).

* Utilitarian (Harsanyi 1955): Σ_p w_p (v_p − d_p), linear.
* Egalitarian (Kalai 1977): max z with z ≤ v_p − d_p for every p (max-min).
* Kalai–Smorodinsky (Kalai & Smorodinsky 1975) in its max-min form: max z with
  z ≤ (v_p − d_p)/I_p, I_p the best gain party p gets among acceptable outcomes; a
  party with I_p = 0 does not constrain the others.
* Nash (Nash 1950; asymmetric: Kalai 1977, Roth 1979): maximise
  Σ_p w_p log(v_p − d_p). The logarithm is concave, so its
  tangents over-estimate it: t_p ≤ log a + (g_p − a)/a for every cut point a.
  Maximising Σ w_p t_p is a relaxation whose optimum bounds the true one from above;
  each outcome it proposes adds tangents at its own gains, which make its
  approximation exact (outer approximation, Duran & Grossmann 1986; Kelley 1960).
  The loop stops when the bound and the best exact value agree within
  ``NASH_GAP`` (1e-9 in log, i.e. the product to 1e-9 relative); these solves run at
  HiGHS's tightest feasibility tolerance (1e-10), so that the bound is that precise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from accord.analysis.solutions import nash_product, weighted_total
from accord.analysis.structured.encoding import SLACK, Encoding

__all__ = [
    "NASH_GAP",
    "NASH_TOLERANCE",
    "Criterion",
    "Egalitarian",
    "KalaiSmorodinsky",
    "Nash",
    "Utilitarian",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

NASH_GAP = 1e-9
TANGENT_FLOOR = 1e-6
NASH_TOLERANCE = 1e-10
FLAT = 1e-12
"""An ideal gain at most this is zero (as in :mod:`accord.analysis.solutions`)."""


def _slack(theta: float) -> float:
    return SLACK * max(1.0, abs(theta))


class Criterion:
    """Base: utilitarian-style helpers shared by the four criteria."""

    name = ""

    def __init__(
        self, encoding: Encoding, disagreement: FloatArray, weights: FloatArray | None = None
    ) -> None:
        self.encoding = encoding
        self.d = disagreement
        self.w = np.ones(len(disagreement)) if weights is None else np.asarray(weights, float)

    def gains(self, rows: IntArray) -> FloatArray:
        utilities = self.encoding.model.utilities(np.atleast_2d(rows), self.encoding.parties)
        return np.maximum(utilities - self.d, 0.0)

    def exact(self, gains: FloatArray) -> FloatArray:
        raise NotImplementedError

    def value(self, row: IntArray) -> float:
        return float(self.exact(self.gains(row))[0])

    def prepare(self) -> None:
        """Add the criterion's own columns and rows (inside a program scope)."""

    def objective(self) -> dict[int, float]:
        raise NotImplementedError

    def at_least(self, theta: float) -> None:
        raise NotImplementedError

    def refine(self, row: IntArray) -> None:
        """Cut off ``row`` when the relaxation over-estimated it (Nash only)."""

    def total(self, gains: FloatArray) -> FloatArray:
        """The weighted total gain of each row (the tie-break after the criterion)."""
        return weighted_total(gains, self.w)

    def total_objective(self) -> dict[int, float]:
        return {column: float(w) for column, w in zip(self.encoding.capped, self.w, strict=True)}

    def total_at_least(self, theta: float) -> None:
        floor = theta + float(self.w @ self.d) - _slack(theta)
        self.encoding.add_linear(self.total_objective(), lower=floor)


class Utilitarian(Criterion):
    name = "utilitarian"

    def exact(self, gains: FloatArray) -> FloatArray:
        return self.total(gains)

    def objective(self) -> dict[int, float]:
        return self.total_objective()

    def at_least(self, theta: float) -> None:
        self.total_at_least(theta)


class _MaxMin(Criterion):
    """max z subject to z ≤ (v_p − d_p)/scale_p for the parties that constrain."""

    def scales(self) -> list[tuple[int, float]]:
        return [(j, 1.0) for j in range(len(self.d))]

    def prepare(self) -> None:
        self.z = self.encoding.program.add_columns(1, -math.inf, math.inf, False)
        for j, scale in self.scales():
            column = self.encoding.capped[j]
            self.encoding.add_linear({self.z: scale, column: -1.0}, upper=-float(self.d[j]))

    def objective(self) -> dict[int, float]:
        return {self.z: 1.0} if self.scales() else {}

    def at_least(self, theta: float) -> None:
        for j, scale in self.scales():
            floor = float(self.d[j]) + scale * theta - _slack(theta)
            self.encoding.add_linear({self.encoding.capped[j]: 1.0}, lower=floor)


class Egalitarian(_MaxMin):
    name = "egalitarian"

    def exact(self, gains: FloatArray) -> FloatArray:
        return np.asarray(gains.min(axis=1), dtype=np.float64)


class KalaiSmorodinsky(_MaxMin):
    name = "kalai_smorodinsky"

    def __init__(
        self,
        encoding: Encoding,
        disagreement: FloatArray,
        ideal: FloatArray,
        weights: FloatArray | None = None,
    ) -> None:
        super().__init__(encoding, disagreement, weights)
        self.ideal = ideal

    def scales(self) -> list[tuple[int, float]]:
        return [(j, float(i)) for j, i in enumerate(self.ideal) if i > FLAT]

    def exact(self, gains: FloatArray) -> FloatArray:
        span = self.ideal.copy()
        flat = span <= FLAT
        span[flat] = 1.0
        shares = gains / span
        shares[:, flat] = 1.0
        return np.asarray(shares.min(axis=1), dtype=np.float64)


class Nash(Criterion):
    """Outer approximation of Σ log gains; needs a positive product ``floor`` known."""

    name = "nash"

    def __init__(
        self,
        encoding: Encoding,
        disagreement: FloatArray,
        ideal: FloatArray,
        floor: float,
        weights: FloatArray | None = None,
    ) -> None:
        super().__init__(encoding, disagreement, weights)
        self.ideal = ideal
        self.floor = floor
        self.t: int | None = None

    def exact(self, gains: FloatArray) -> FloatArray:
        return nash_product(gains, self.w)

    def least_gains(self, product: float) -> FloatArray:
        """Smallest gain each party can have in an outcome whose product is ``product``:
        g_j^{w_j} ≥ product / Π_{i≠j} I_i^{w_i}, every gain at most its ideal I_i."""
        powered = self.ideal**self.w
        others = np.array([np.prod(np.delete(powered, j)) for j in range(len(self.ideal))])
        with np.errstate(divide="ignore"):
            least = (product / others) ** (1.0 / self.w)
        return np.asarray(least * (1 - 1e-9), dtype=np.float64)

    def prepare(self) -> None:
        program = self.encoding.program
        low = self.least_gains(self.floor)
        self.t = program.add_columns(len(self.d), -math.inf, math.inf, False)
        for j in range(len(self.d)):
            column = self.encoding.capped[j]
            self.encoding.add_linear({column: 1.0}, lower=float(self.d[j] + low[j]) - SLACK)
            for point in np.geomspace(max(low[j], 1e-300), self.ideal[j], 8):
                self._tangent(j, float(point))

    def _tangent(self, j: int, point: float) -> None:
        """t_j ≤ log a − 1 + (v_j − d_j)/a: the tangent of log at a (Kelley 1960).

        A tangent anywhere over-estimates the logarithm, so points are raised to at
        least ``TANGENT_FLOOR`` times the largest ideal gain to keep the coefficients
        (1/a) well scaled; looser cuts there only admit candidates that the exact check
        then rejects.
        """
        if self.t is None or not math.isfinite(point):
            return
        point = max(point, TANGENT_FLOOR * float(self.ideal.max()))
        if point <= 0:
            return
        constant = math.log(point) - 1.0 - float(self.d[j]) / point
        self.encoding.add_linear(
            {self.t + j: 1.0, self.encoding.capped[j]: -1.0 / point}, upper=constant
        )

    def objective(self) -> dict[int, float]:
        if self.t is None:  # not prepared: every product ties at 0, the total decides
            return self.total_objective()
        return {self.t + j: float(self.w[j]) for j in range(len(self.d))}

    def at_least(self, theta: float) -> None:
        if theta <= 0 or self.t is None:
            return
        low = self.least_gains(theta)
        for j in range(len(self.d)):
            column = self.encoding.capped[j]
            self.encoding.add_linear({column: 1.0}, lower=float(self.d[j] + low[j]) - SLACK)
        self.encoding.add_linear(self.objective(), lower=math.log(theta) - SLACK)

    def refine(self, row: IntArray) -> None:
        for j, gain in enumerate(self.gains(row)[0]):
            self._tangent(j, float(gain))


def criteria_names() -> Sequence[str]:
    return ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
