"""Renewals decided together give the values and decisions of renewals decided one by one.

Real runs are stopped part-way (a tech-touch book with usage triggers and risk outreach; a
mature book with handoffs, CSM changes, tickets and onboarding waits), and every customer still
under contract is given a renewal instant of its own within the next day. ``decide_batch`` over
all of them must give, to the last bit, the coverage (``customer_coverage``), the churn
probability (``churn_factor`` and ``churn_probability``) and the decision that the scalar code
gives each customer with the clock at its instant.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario
from sim.customers.book import ACTIVE, CHURNED, WAITING
from sim.customers.coverage import customer_coverage
from sim.customers.renewal import churn_factor, churn_probability
from sim.customers.renewal_batch import decide_batch
from sim.model import build
from sim.work.contracts import renewal_missed


@pytest.mark.parametrize(("scenario", "day"), [("scenarios/triggers_tech_touch.yaml", 500.0),
                                               ("scenarios/stage4_mature.yaml", 400.0),
                                               ("scenarios/org_pods.yaml", 300.0)])
def test_batch_equals_one_by_one_to_the_last_bit(scenario: str, day: float) -> None:
    world = build(load_scenario(scenario), 1)
    world.env.run(until=day)
    book = world.book
    customers = np.flatnonzero((book.state >= WAITING) & (book.state != CHURNED))
    rng = np.random.default_rng(5)
    instants = np.sort(day + rng.uniform(0.0, 1.0, len(customers)))
    missed = np.array([renewal_missed(world, int(customer)) for customer in customers])
    missed |= rng.random(len(customers)) < 0.2
    decision = decide_batch(world, customers, instants, missed)
    scalar = []
    for index, customer in enumerate(customers.tolist()):
        world.env._now = float(instants[index])
        coverage = customer_coverage(world, customer)
        factor = churn_factor(world, customer, bool(missed[index]), coverage)
        probability = churn_probability(float(book.theta[customer]), factor)
        slot = int(book.renewals_done[customer])
        scalar.append((coverage, probability, bool(book.renewal_u[customer, slot] < probability)))
    assert len(customers) > 300
    assert (book.state[customers] == ACTIVE).sum() > 300
    for index, (coverage, probability, churns) in enumerate(scalar):
        assert decision.coverage(index) == coverage, index
        assert decision.probability[index] == probability, index
        assert bool(decision.churns[index]) == churns, index
    # the checked customers really differ in what the factors see
    assert len(set(decision.probability.tolist())) > 0.9 * len(customers)
