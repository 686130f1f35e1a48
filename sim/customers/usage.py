"""The usage signal: every live customer's monthly product usage, moved by one monthly event.

Log usage x is relative to the customer's healthy level: 0 (usage 1) at its first monthly
observation after go-live (day 0 for the initial book). Each month one vectorised event draws a
standard normal z and a uniform u for every customer of the run from the ``usage`` stream (a
fixed number of draws whatever happens, so variants run with the same seed see the same
shocks) and moves every live customer: x <- x + drift - risk_loading x θ + volatility x z.
The thresholds of the triggers are then read off the month's change and level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.scenario.triggers import Triggers, UsageSignal


@dataclass(frozen=True)
class Signals:
    """One month's triggers: customers crossing each threshold, and their usage change."""

    drop: np.ndarray
    inactive: np.ndarray
    growth: np.ndarray
    ratio: np.ndarray
    """Usage this month / usage last month, per customer (NaN where not observed twice)."""


@dataclass
class UsageWalk:
    """Every customer's log usage (NaN until first observed live)."""

    drift: np.ndarray
    volatility: float
    log_usage: np.ndarray
    history: list[tuple[float, np.ndarray]] | None = field(default=None)
    """Each month's (day, log usage of every customer) when kept (for checks; off by default)."""

    @classmethod
    def of(cls, spec: UsageSignal, theta: np.ndarray) -> UsageWalk:
        """A walk for a book whose customers have latent churn probabilities ``theta``."""
        return cls(drift=spec.drift - spec.risk_loading * theta, volatility=spec.volatility,
                   log_usage=np.full(len(theta), np.nan))

    def step(self, live: np.ndarray, shocks: np.ndarray, day: float) -> np.ndarray:
        """Move live customers by one month; first observations start at 0.

        Returns:
            Last month's log usage of every customer (NaN where there was none).
        """
        previous = self.log_usage.copy()
        seen = live & ~np.isnan(previous)
        self.log_usage[seen] += self.drift[seen] + self.volatility * shocks[seen]
        self.log_usage[live & np.isnan(previous)] = 0.0
        previous[~live] = np.nan
        if self.history is not None:
            self.history.append((day, self.log_usage.copy()))
        return previous

    def drop(self, customers: np.ndarray) -> np.ndarray:
        """Fall of each customer's usage below its healthy level: 1 − usage, at least 0.

        0 where usage is not observed (not live yet, or the walk does not run).
        """
        fall = -np.expm1(self.log_usage[customers])
        return np.where(fall > 0, fall, 0.0)


def detect(previous: np.ndarray, current: np.ndarray, spec: Triggers) -> Signals:
    """Which customers cross a trigger threshold between two monthly observations.

    A usage drop is a fall of at least ``usage_drop.threshold`` (a ratio at or below
    1 - threshold), growth a rise of at least ``expansion.growth_threshold``; inactivity fires
    when usage falls below ``inactivity.inactive_level`` from at or above it.
    """
    observed = ~np.isnan(previous)
    change = current - previous
    drop = observed & (change <= math.log1p(-spec.usage_drop.threshold))
    growth = observed & (change >= math.log1p(spec.expansion.growth_threshold))
    level = math.log(spec.inactivity.inactive_level)
    inactive = observed & (current < level) & (previous >= level)
    return Signals(
        drop=np.flatnonzero(drop & spec.usage_drop.enabled),
        inactive=np.flatnonzero(inactive & spec.inactivity.enabled),
        growth=np.flatnonzero(growth & spec.expansion.enabled),
        ratio=np.exp(change),
    )
