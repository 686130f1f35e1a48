"""Scheduled CSM touches: when hours run short, the least recently touched account goes first.

Two live accounts of one CSM fall due in the same week with hours for only one touch; the one
touched longest ago (or never) must get it and the other must be counted as missed, whichever
customer id it has and whether the tier's coverage is dedicated or pooled.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import parse_scenario
from sim.customers.book import ACTIVE
from sim.model import build
from sim.work.touches import touches_week

TOUCH_HOURS = 2.0


def two_accounts(coverage: str) -> dict:
    """One CSM and two live low-touch accounts (no arrivals, nothing else to do)."""
    return {
        "name": "two_accounts", "horizon_months": 3,
        "tiers": [{"name": "mid", "acv_min": 0, "acv": {"kind": "fixed", "value": 30000},
                   "touch_model": "low", "touch_hours": TOUCH_HOURS, "coverage": coverage,
                   "mix": 1.0, "tickets_per_month": 0.0, "churn": {"alpha": 1.0, "beta": 9.0}}],
        "growth": {"initial_customers": {"mid": 2}},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["mid"], "annual_cost": 120000,
                   "headcount": 1}],
    }


@pytest.mark.parametrize("coverage", ["dedicated", "pooled"])
@pytest.mark.parametrize(("last_touches", "longest_ago"),
                         [((10.0, 40.0), 0), ((40.0, 10.0), 1), ((math.nan, 40.0), 0),
                          ((40.0, math.nan), 1)])
def test_one_touch_of_hours_goes_to_the_account_touched_longest_ago(
        coverage: str, last_touches: tuple[float, float], longest_ago: int) -> None:
    world = build(parse_scenario(two_accounts(coverage)), seed=1)
    book, pool = world.book, world.pools[0]
    (csm,) = pool.members
    week_end = 60.0
    accounts = np.array([0, 1])
    assert (book.state[accounts] == ACTIVE).all()  # both live from day 0
    book.next_touch[accounts] = week_end - 1.0
    book.last_touch[accounts] = last_touches  # NaN: never touched
    demanded, worked = touches_week(world, pool, week_end, {csm.id: TOUCH_HOURS})
    assert demanded[csm.id] == pytest.approx(2 * TOUCH_HOURS)
    assert worked[csm.id] == pytest.approx(TOUCH_HOURS)
    assert book.last_touch[longest_ago] == week_end
    assert book.touches_missed[longest_ago] == 0
    assert book.touches_missed[1 - longest_ago] == 1
    assert book.last_touch[1 - longest_ago] == pytest.approx(last_touches[1 - longest_ago],
                                                             nan_ok=True)
