"""Cost arithmetic shared by the budget cap, the leadership layers and the output tables."""

from __future__ import annotations

import numpy as np

from sim.core.calendar import MONTH_DAYS, YEAR_DAYS
from sim.scenario.schema import Scenario


def allocate_to_tiers(amount: float, weights: np.ndarray) -> np.ndarray:
    """Share an amount among tiers in proportion to weights (equal shares when all are 0)."""
    if weights.sum() <= 0:
        weights = np.ones(len(weights))
    return amount * weights / weights.sum()


def other_costs(scenario: Scenario, customer_days: np.ndarray, days: float) -> np.ndarray:
    """Tooling, shared and fixed automation cost of a period by tier."""
    tooling = np.array([tier.tooling_cost_per_account for tier in scenario.tiers])
    fixed = np.array([tier.fixed_cost_per_month for tier in scenario.tiers])
    per_account = tooling + scenario.costs.shared_cost_per_account
    return customer_days * per_account / YEAR_DAYS + fixed * days / MONTH_DAYS
