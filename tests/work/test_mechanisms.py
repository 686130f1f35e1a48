"""Single mechanisms in small, deterministic settings: hiring, ramp, burnout, attrition,
abandonment, missed renewals, SLA breaches and the direction of service effects."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import parse_scenario, run
from sim.core.calendar import MONTH_DAYS
from sim.model import build
from sim.org.pools import update_burnout, weekly_quit_probability
from sim.scenario.service import NEUTRAL_EFFECTS
from sim.scenario.staff import StaffDynamics

NEUTRAL = dict(NEUTRAL_EFFECTS)


def test_burnout_builds_above_the_threshold_and_recovers_below() -> None:
    dynamics = StaffDynamics(overload_threshold=1.0, burnout_gain_per_week=0.5,
                             recovery_per_week=0.1)
    assert update_burnout(0.0, 1.4, dynamics) == pytest.approx(0.2)
    assert update_burnout(0.5, 0.9, dynamics) == pytest.approx(0.4)
    assert update_burnout(0.95, 3.0, dynamics) == 1.0
    assert update_burnout(0.05, 0.0, dynamics) == 0.0


def test_quit_probability_follows_the_annual_hazard() -> None:
    dynamics = StaffDynamics(base_attrition_per_year=0.2, burnout_attrition_multiplier=3.0)
    assert weekly_quit_probability(0.0, dynamics) == pytest.approx(1 - math.exp(-0.2 * 7 / 365))
    assert weekly_quit_probability(1.0, dynamics) == pytest.approx(1 - math.exp(-0.8 * 7 / 365))


def small(**changes: object) -> dict:
    scenario = {
        "name": "small", "horizon_months": 12, "org_model": "specialist",
        "tiers": [{"name": "book", "acv_min": 0, "acv": {"kind": "fixed", "value": 20000},
                   "touch_model": "low", "mix": 1.0, "tickets_per_month": 0.0,
                   "churn": {"alpha": 1.0, "beta": 9.0}}],
        "growth": {"initial_customers": {"book": 40},
                   "arrivals": [{"from_month": 0, "customers_per_month": 4}]},
        "pools": [
            {"name": "csm", "role": "csm", "tiers": ["book"], "annual_cost": 120000,
             "headcount": 2},
            {"name": "implementation", "role": "implementation", "annual_cost": 100000,
             "headcount": 1},
            {"name": "renewals", "role": "renewals", "annual_cost": 100000, "headcount": 1},
        ],
        "staff": {"base_attrition_per_year": 0.0},
    }
    scenario.update(changes)
    return scenario


def test_plan_opens_requisitions_and_hires_arrive_after_the_lead_time() -> None:
    data = small(hiring={"lead_time_days": 45.0})
    data["pools"][0]["staffing_plan"] = [{"month": 1, "headcount": 4}]
    events = run(parse_scenario(data), seed=1).events
    opened = events[events.kind == "requisition"]
    hired = events[events.kind == "hire"]
    assert len(opened) == 2 and len(hired) == 2
    assert np.allclose(opened.time, MONTH_DAYS)
    assert np.allclose(hired.time, MONTH_DAYS + 45.0)
    assert set(hired.pool) == {"csm"}


def test_a_hire_ramps_up_from_its_first_day() -> None:
    data = small(hiring={"lead_time_days": 0.0, "ramp_days": 70.0,
                         "ramp_start_productivity": 0.3})
    data["pools"][0]["staffing_plan"] = [{"month": 1, "headcount": 3}]
    result = run(parse_scenario(data), seed=1)
    hire_day = result.events.query("kind == 'hire'").time.iloc[0]
    world = build(parse_scenario(data), 1)
    world.env.run(until=hire_day + 35.0)
    newcomer = world.pools[0].members[-1]
    assert newcomer.ramp(hire_day, world.scenario.hiring) == pytest.approx(0.3)
    assert newcomer.ramp(hire_day + 35.0, world.scenario.hiring) == pytest.approx(0.65)
    assert newcomer.ramp(hire_day + 70.0, world.scenario.hiring) == 1.0


@pytest.mark.parametrize("backfill", [True, False])
def test_departures_move_accounts_and_backfill_only_when_asked(backfill: bool) -> None:
    data = small(staff={"base_attrition_per_year": 3.0},
                 hiring={"backfill": backfill, "lead_time_days": 30.0})
    result = run(parse_scenario(data), seed=2)
    events = result.events
    departures = events[events.kind == "departure"]
    assert len(departures) > 0
    requisitions = events[events.kind == "requisition"]
    assert len(requisitions) == (len(departures) if backfill else 0)
    csm_departures = departures[departures.pool == "csm"]
    changes = events[events.kind == "csm_change"]
    assert set(changes.staff) <= set(csm_departures.staff)


def test_customers_abandon_when_nobody_onboards_them() -> None:
    data = small(onboarding={"abandonment": {"shape": 2.0, "scale_days": 30.0}})
    data["pools"][1]["headcount"] = 0
    customers = run(parse_scenario(data), seed=3).customers
    new = customers[~customers.initial_book]
    gone = new[new.state == "churned"]
    assert len(new) > 0 and gone.abandoned.all()
    assert (new.state.isin(["waiting", "churned"])).all()
    # Those who left had waited their whole patience; with scale 30 days nearly all are gone.
    assert len(gone) / len(new) > 0.7


def test_renewals_are_missed_without_renewals_staff() -> None:
    data = small()
    data["pools"][2]["headcount"] = 0
    series = run(parse_scenario(data), seed=4).timeseries.query("tier == 'all'")
    assert series.renewals_due.sum() > 0
    assert (series.renewals_missed == series.renewals_due).all()


def test_every_ticket_breaches_its_sla_without_support_staff() -> None:
    data = small()
    data["tiers"][0]["tickets_per_month"] = 2.0
    data["pools"].append({"name": "support", "role": "support", "skill": "T3",
                          "annual_cost": 90000, "headcount": 0})
    series = run(parse_scenario(data), seed=5).timeseries.query("tier == 'all'")
    opened, breached = series.tickets_opened.sum(), series.sla_breaches.sum()
    assert opened > 0 and series.tickets_resolved.sum() == 0
    # Every ticket breaches once its SLA (24 h) has passed, i.e. all but the last day's.
    assert opened - breached <= series.tickets_open.iloc[-1]
    assert breached >= 0.95 * opened


def test_service_effects_only_ever_raise_churn_under_common_random_numbers() -> None:
    """With no CSMs every touch is missed; a missed-touch factor > 1 raises every churn
    probability, so under the same draws nobody who churns without it survives with it."""
    data = small(horizon_months=30)
    data["pools"][0]["headcount"] = 0
    neutral = run(parse_scenario({**data, "service_effects": NEUTRAL}), seed=6).customers
    harsh = run(parse_scenario({**data, "service_effects": {**NEUTRAL,
                                                           "under_service": 3.0}}),
                seed=6).customers
    churned_neutral = set(neutral.customer[neutral.state == "churned"])
    churned_harsh = set(harsh.customer[harsh.state == "churned"])
    assert churned_neutral <= churned_harsh
    assert len(churned_harsh) > len(churned_neutral)


def test_renewal_work_left_without_a_holder_goes_to_the_next_renewals_hire() -> None:
    data = small(hiring={"lead_time_days": 0.0})
    data["pools"][2]["headcount"] = 0
    data["pools"][2]["staffing_plan"] = [{"month": 2, "headcount": 1}]
    series = run(parse_scenario(data), seed=7).timeseries.query("tier == 'all'")
    before, after = series[series.period <= 2], series[series.period >= 4]
    assert before.renewals_due.sum() > 0
    assert (before.renewals_missed == before.renewals_due).all()
    assert after.renewals_missed.sum() < after.renewals_due.sum()


def test_in_the_generalist_model_renewals_stay_with_the_account_owner() -> None:
    """A renewals hire does not pick up the renewal work of accounts that have no CSM."""
    data = small(org_model="generalist", hiring={"lead_time_days": 0.0})
    data["pools"][0]["headcount"] = 0
    data["pools"][2]["headcount"] = 0
    data["pools"][2]["staffing_plan"] = [{"month": 1, "headcount": 1}]
    series = run(parse_scenario(data), seed=7).timeseries.query("tier == 'all'")
    assert series.renewals_due.sum() > 0
    assert (series.renewals_missed == series.renewals_due).all()
