"""The shipped hiring scenarios staff support to its load, as a support manager would.

Ten seeds of each of `proactive_hiring` and `reactive_hiring`: no requisition before the
tickets of a whole rate window have been counted (there is no trend from nothing); support
headcount runs on average at most 1.5 engineers, and never more than 3, ahead of what the busiest
month's tickets need at the trigger's utilisation (a backlog after a run of departures and the
burnout it causes may call for an engineer or two more, never a team sized to clear it within a
lead time); the ticket queue does not run away (at the end, no more open tickets than a week of
arrivals, and over the last quarter the engineers are asked for less than their hours: a crisis
late in the run may still be clearing in the last year); and reading SLA breaches keeps them
fewer than the same policy blind to them.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pytest
import yaml

from sim import load_scenario, parse_scenario, run
from sim.core.calendar import MONTH_DAYS, WEEK_DAYS
from sim.outputs.results import RunResult
from sim.scenario.hiring import TRIGGER_DEFAULTS
from sim.scenario.schema import Scenario
from sim.scenario.vocabulary import TICKET_LEVELS

STRATEGIES = Path(__file__).resolve().parents[2] / "scenarios" / "strategies"
SEEDS = (1, 2, 3)
HEADCOUNT_SEEDS = tuple(range(1, 11))


@functools.cache
def shipped(name: str, seed: int) -> RunResult:
    """A run of a shipped strategy file (each is needed by both tests)."""
    return run(load_scenario(STRATEGIES / f"{name}.yaml"), seed)


def ticket_hours(scenario: Scenario) -> float:
    """Mean hours of a ticket (the same ticket mix in every tier of these files)."""
    means = {sum(getattr(tier.ticket_mix, level) * scenario.support.hours_per_ticket[level]
                 for level in TICKET_LEVELS) for tier in scenario.tiers}
    assert len(means) == 1
    return means.pop()


@pytest.mark.statistical
@pytest.mark.parametrize("name", ["proactive_hiring", "reactive_hiring"])
def test_support_headcount_follows_the_ticket_load(name: str) -> None:
    scenario = load_scenario(STRATEGIES / f"{name}.yaml")
    support = next(pool for pool in scenario.pools if pool.role == "support")
    week_hours = support.weekly_hours * (1 - support.admin_share)
    capacity = TRIGGER_DEFAULTS["target_utilisation"] * week_hours
    ahead = []
    for seed in HEADCOUNT_SEEDS:
        result = shipped(name, seed)
        # Triggered requisitions (a backfill or the plan records no trigger metric).
        opened = result.events.query("pool == 'support' and kind == 'requisition' and metric > 0")
        first = opened.time.min()
        assert first >= scenario.hiring.rate_window_days, (seed, first)
        total = result.timeseries.query("tier == 'all'")
        weekly = total.tickets_opened * ticket_hours(scenario) / (MONTH_DAYS / WEEK_DAYS)
        need = max(math.ceil(hours / capacity) for hours in weekly)
        staff = result.workforce.query("pool == 'support'")
        ahead.append(int(staff.headcount.max()) - need)
        assert total.tickets_open.iloc[-1] <= total.tickets_opened.iloc[-1] * WEEK_DAYS / MONTH_DAYS
        last_quarter = staff[staff.period > staff.period.max() - 3]
        assert last_quarter.hours_demanded.sum() < last_quarter.hours_available.sum(), seed
    assert max(ahead) <= 3, ahead
    assert sum(ahead) / len(ahead) <= 1.5, ahead


@pytest.mark.parametrize("name", ["proactive_hiring", "reactive_hiring"])
def test_reading_sla_breaches_hires_before_they_pile_up(name: str) -> None:
    """Under common random numbers, the same policy blind to SLA breaches (a breach share of 1
    tolerated) breaches more SLAs: the breach trigger opens hires that the volume alone would
    not."""
    data = yaml.safe_load((STRATEGIES / f"{name}.yaml").read_text())
    support = next(pool for pool in data["pools"] if pool["role"] == "support")
    support["hiring_trigger"] = {"sla_breach_share": 1.0}
    blind = parse_scenario(data)
    reading = [shipped(name, seed).summary.sla_breach_share.item() for seed in SEEDS]
    ignoring = [run(blind, seed).summary.sla_breach_share.item() for seed in SEEDS]
    assert sum(reading) < sum(ignoring), (reading, ignoring)
