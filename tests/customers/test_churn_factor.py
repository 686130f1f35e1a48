"""The service-effect factor on a customer's churn odds, read directly from a built world.

Each case sets one cycle counter of one customer and checks the factor against the scenario's
parameters: shares are capped at 1 (a ticket opened before the last renewal may breach after
it), and the onboarding wait counts only the wait actually experienced.
"""

from __future__ import annotations

import pytest

from sim import parse_scenario
from sim.core.calendar import MONTH_DAYS
from sim.customers.book import WAITING
from sim.customers.renewal import churn_factor
from sim.model import build
from sim.policies.run import PolicyRun

EFFECTS = {"onboarding_wait_per_month": 1.15, "under_service": 2.0, "sla_breaches": 1.5,
           "csm_change": 1.0, "missed_renewal": 1.0}


def one_book() -> dict:
    return {
        "name": "one_book", "horizon_months": 3,
        "tiers": [{"name": "mid", "acv_min": 0, "acv": {"kind": "fixed", "value": 30000},
                   "touch_model": "low", "mix": 1.0, "churn": {"alpha": 1.0, "beta": 9.0},
                   "tickets_per_month": 0.0}],
        "growth": {"initial_customers": {"mid": 1}, "initial_backlog": {"mid": 1}},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["mid"], "annual_cost": 120000,
                   "headcount": 0}],
        "service_effects": EFFECTS,
    }


@pytest.fixture
def world() -> PolicyRun:
    return build(parse_scenario(one_book()), seed=1)


@pytest.mark.parametrize(("breaches", "tickets", "share"), [(1, 4, 0.25), (4, 4, 1.0),
                                                              (6, 4, 1.0)])
def test_the_breach_share_is_capped_at_one(
        world: PolicyRun, breaches: int, tickets: int, share: float) -> None:
    live = 0  # the initial book's customer
    world.book.cycle_tickets[live] = tickets
    world.book.cycle_breaches[live] = breaches
    assert churn_factor(world, live, False) == pytest.approx(1.5**share)


def test_a_customer_still_waiting_is_charged_the_wait_since_it_signed(
        world: PolicyRun) -> None:
    waiting = 1  # the initial backlog's customer, signed on day 0
    world.book.state[waiting] = WAITING
    world.env.run(until=90.0)
    world.book.state[waiting] = WAITING  # nobody can onboard it: still in the queue
    assert churn_factor(world, waiting, False) == pytest.approx(1.15 ** (90.0 / MONTH_DAYS))
