"""How much work a run is, estimated before it starts, and the ceilings on it.

The schema bounds each number on its own; a scenario can still combine allowed values into a
run that takes hours and gigabytes (a million customers for twenty years). The estimate is an
upper bound computed from the scenario alone: every customer who arrives stays to the end of
the run (churn only lowers it), and every customer raises tickets at the highest rate of any
tier and complexity. A run over a ceiling is refused unless the user says ``--allow-large``.
The ceilings and the time and memory they bound are measured in ``docs/limits.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.errors import ScenarioError
from sim.scenario.book_file import initial_count
from sim.scenario.schema import Scenario

WEEKS_PER_MONTH = 52 / 12

CEILINGS = {"customer_months": 2_000_000.0, "tickets": 4_000_000.0, "person_weeks": 500_000.0}
"""Largest work of one run without ``--allow-large``: customer-months simulated, support tickets
raised, person-weeks of staff simulated (see docs/limits.md for what each costs)."""

_UNITS = {"customer_months": "customer-months", "tickets": "support tickets",
          "person_weeks": "person-weeks of staff"}


@dataclass(frozen=True)
class WorkEstimate:
    """An upper bound of the work of one run.

    Attributes:
        customers: customers at the start plus the expected arrivals over the horizon.
        customer_months: months lived by those customers within the run (no churn).
        tickets: support tickets they would raise at the highest rate of any tier.
        person_weeks: the largest headcount each pool is planned to have, times the weeks.
    """

    customers: float
    customer_months: float
    tickets: float
    person_weeks: float


def estimate(scenario: Scenario) -> WorkEstimate:
    """The work estimate of one run of ``scenario``."""
    horizon = float(scenario.horizon_months)
    growth = scenario.growth
    initial = initial_count(scenario)
    arrivals, arrival_months = 0.0, 0.0
    steps = growth.arrivals
    for index, step in enumerate(steps):
        start = min(step.from_month, horizon)
        end = steps[index + 1].from_month if index + 1 < len(steps) else horizon
        end = min(end, horizon)
        arrivals += step.customers_per_month * (end - start)
        # a customer arriving at t lives horizon - t months of the run
        arrival_months += step.customers_per_month * ((horizon - start) ** 2
                                                      - (horizon - end) ** 2) / 2
    customer_months = initial * horizon + arrival_months
    worst_rate = max(tier.tickets_per_month for tier in scenario.tiers)
    worst_rate *= max(scenario.support.complexity_multiplier.values())
    people = sum(max([pool.headcount, *(step.headcount for step in pool.staffing_plan)])
                 for pool in scenario.pools)
    return WorkEstimate(customers=initial + arrivals, customer_months=customer_months,
                        tickets=customer_months * worst_rate,
                        person_weeks=people * horizon * WEEKS_PER_MONTH)


def check_work(scenario: Scenario, source: str, allow_large: bool = False) -> WorkEstimate:
    """The estimate of ``scenario``; refuse it over a ceiling unless ``allow_large``.

    Raises:
        ScenarioError: one line naming ``source``, the figure, the ceiling and the way out.
    """
    work = estimate(scenario)
    if allow_large:
        return work
    for key, ceiling in CEILINGS.items():
        figure = getattr(work, key)
        if figure > ceiling:
            raise ScenarioError(
                f"{source}: the run would simulate up to {figure:,.0f} {_UNITS[key]} (ceiling "
                f"{ceiling:,.0f}; {work.customers:,.0f} customers over "
                f"{scenario.horizon_months} months); use --allow-large to run it anyway")
    return work
