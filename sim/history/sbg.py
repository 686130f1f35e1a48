"""The shifted-beta-geometric (sBG) retention model and its maximum-likelihood fit.

Fader & Hardie (2007, "How to project customer retention", J. Interactive Marketing 21(1)):
each customer has a churn probability θ per renewal, θ ~ Beta(α, β) across customers, so

    P(T = t) = B(α + 1, β + t − 1) / B(α, β)    (lost at the t-th renewal, t = 1, 2, ...)
    S(t)     = B(α, β + t) / B(α, β)             (still a customer after t renewals)

Data are *lifetimes*: ``lost[t]`` customers lost at renewal t and ``survived[s]`` customers
still active after s renewals when observation stopped (right-censored). The log-likelihood is
Σ lost[t] log P(t) + Σ survived[s] log S(s) (Fader & Hardie's equation 6, for any mix of
cohort ages). α and β are estimated on the log scale with scipy's L-BFGS-B; 95% intervals come
from the profile likelihood (the values at which the profile log-likelihood falls 1.92 below
the maximum, χ²₁ / 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize, minimize_scalar
from scipy.special import betaln

PROFILE_DROP = 1.920729
"""Half the 95% quantile of χ² with one degree of freedom: the profile-likelihood CI's drop."""
LOG_BOUND = math.log(1e4)
"""Search α and β within [1e-4, 1e4]; an interval that reaches a bound is open (inf or 0)."""


@dataclass(frozen=True)
class Lifetimes:
    """Counts of lifetimes in contract years: lost at renewal t, or still active after s."""

    lost: np.ndarray
    """``lost[t]``: customers lost at their t-th renewal (index 0 unused, always 0)."""
    survived: np.ndarray
    """``survived[s]``: customers observed active after s renewals, observation then stopped."""

    @classmethod
    def of(cls, lost: dict[int, float], survived: dict[int, float]) -> Lifetimes:
        """Build from sparse counts."""
        years = max([0, *lost, *survived]) + 1
        lost_array, survived_array = np.zeros(years), np.zeros(years)
        for year, count in lost.items():
            lost_array[year] += count
        for year, count in survived.items():
            survived_array[year] += count
        return cls(lost_array, survived_array)

    @property
    def customers(self) -> int:
        """Customers in the data."""
        return int(round(self.lost.sum() + self.survived.sum()))

    @property
    def years(self) -> int:
        """Renewals the data reach (the last year with anyone at risk)."""
        return len(self.lost) - 1

    def at_risk(self) -> np.ndarray:
        """``at_risk[t]``: customers who reached their t-th renewal.

        Those lost there or later, and those seen active after it.
        """
        return np.cumsum((self.lost + self.survived)[::-1])[::-1]

    def observed_survival(self) -> np.ndarray:
        """Product-limit (Kaplan–Meier) survival after t renewals, t = 0 .. years."""
        risk = self.at_risk()
        hazard = np.divide(self.lost, risk, out=np.zeros_like(self.lost), where=risk > 0)
        hazard[0] = 0.0
        return np.cumprod(1.0 - hazard)


def survival(alpha: float, beta: float, renewals: np.ndarray | int) -> np.ndarray:
    """S(t) = B(α, β + t) / B(α, β): share still a customer after t renewals."""
    t = np.asarray(renewals, dtype=float)
    return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))


def log_likelihood(alpha: float, beta: float, data: Lifetimes) -> float:
    """The sBG log-likelihood of the lifetimes (Fader & Hardie 2007, eq. 6)."""
    t = np.arange(len(data.lost), dtype=float)
    base = betaln(alpha, beta)
    log_lost = betaln(alpha + 1.0, beta + t[1:] - 1.0) - base
    log_survived = betaln(alpha, beta + t) - base
    return float(np.dot(data.lost[1:], log_lost) + np.dot(data.survived, log_survived))


@dataclass(frozen=True)
class Fit:
    """Maximum-likelihood α and β with 95% profile-likelihood intervals."""

    alpha: float
    beta: float
    alpha_ci: tuple[float, float]
    beta_ci: tuple[float, float]
    log_likelihood: float
    customers: int
    years: int

    @property
    def first_year_churn(self) -> float:
        """Mean churn at the first renewal, α / (α + β)."""
        return self.alpha / (self.alpha + self.beta)


def fit(data: Lifetimes) -> Fit:
    """Maximum-likelihood α, β and their 95% profile-likelihood intervals.

    Raises:
        ValueError: no customer reached a renewal, or none was lost, or none survived one
            (the likelihood then has no interior maximum).
    """
    if data.lost[1:].sum() <= 0:
        raise ValueError("no customer was lost at a renewal: churn cannot be estimated")
    if data.at_risk()[1] <= data.lost[1] and data.survived[1:].sum() + data.lost[2:].sum() <= 0:
        raise ValueError("no customer survived a renewal: churn cannot be estimated")

    def negative(point: np.ndarray) -> float:
        return -log_likelihood(math.exp(point[0]), math.exp(point[1]), data)

    churn = float(data.lost[1] / max(data.at_risk()[1], 1.0))
    start = np.log([max(churn, 0.01), max(1.0 - churn, 0.01)])
    bounds = [(-LOG_BOUND, LOG_BOUND)] * 2
    best = minimize(negative, start, method="L-BFGS-B", bounds=bounds)
    polished = minimize(negative, best.x, method="Nelder-Mead",
                        options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    point = polished.x if polished.fun <= best.fun else best.x
    top = -float(min(polished.fun, best.fun))
    alpha, beta = math.exp(point[0]), math.exp(point[1])
    return Fit(alpha, beta, _profile_interval(data, point, top, 0),
               _profile_interval(data, point, top, 1), top, data.customers, data.years)


def _profile(data: Lifetimes, index: int, value: float, guess: float) -> float:
    """Profile log-likelihood: the parameter ``index`` fixed at exp(value), the other at best."""

    def negative(other: float) -> float:
        point = [value, other] if index == 0 else [other, value]
        return -log_likelihood(math.exp(point[0]), math.exp(point[1]), data)

    low, high = max(-LOG_BOUND, guess - 15.0), min(LOG_BOUND, guess + 15.0)
    result = minimize_scalar(negative, bounds=(low, high), method="bounded",
                             options={"xatol": 1e-9})
    return -float(result.fun)


def _profile_interval(data: Lifetimes, point: np.ndarray, top: float,
                      index: int) -> tuple[float, float]:
    """Where the profile log-likelihood of one parameter drops PROFILE_DROP below the top."""
    centre, other = float(point[index]), float(point[1 - index])

    def gap(value: float) -> float:
        guess = other + (value - centre)  # α and β move together when the mean is pinned
        return _profile(data, index, value, guess) - (top - PROFILE_DROP)

    ends = []
    for direction in (-1.0, 1.0):
        step, inside = 0.05, centre
        found = math.nan
        while abs(inside - centre) < 2 * LOG_BOUND:
            candidate = centre + direction * step
            if abs(candidate) > LOG_BOUND:
                break
            if gap(candidate) < 0:
                found = brentq(gap, inside, candidate, xtol=1e-8)
                break
            inside, step = candidate, step * 1.6
        ends.append(math.exp(found) if not math.isnan(found)
                    else (0.0 if direction < 0 else math.inf))
    return ends[0], ends[1]
