"""Trigger-based interventions (§6): when triggers fire, who answers, what it does.

Small deterministic books; statements about churn are made under common random numbers (the
same seed gives every variant the same customers, usage shocks and renewal draws).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim import parse_scenario, run
from sim.cli import main
from sim.core.calendar import MONTH_DAYS, WEEK_DAYS
from sim.core.errors import ScenarioError
from sim.customers.renewal import churn_factor
from sim.customers.triggers import (
    Intervention,
    TriggerEngine,
    expansion_route,
    lifted_expansion,
    work_order,
)
from sim.model import build, simulate
from sim.outputs.tables import events_table
from sim.policies.run import PolicyRun
from sim.scenario.service import NEUTRAL_EFFECTS
from sim.scenario.tiers import RenewalChange
from sim.scenario.triggers import ExpansionTrigger
from sim.work.interventions import held_tasks, trigger_week
from sim.work.staffing import depart

ROOT = Path(__file__).resolve().parents[2]
NEUTRAL = dict(NEUTRAL_EFFECTS)
RISK_KINDS = ("usage_drop", "inactivity")
ADDED = ["triggers_usage_drop", "triggers_inactivity", "triggers_dedicated_csm",
         "triggers_expansion", "reengaged_automated", "outreach_done", "outreach_unanswered",
         "outreach_open"]
"""New time-series counts; each adds up over tiers."""


def tech_book(overflow: int | None = 2, customers: int = 600, months: int = 18,
              **triggers: object) -> dict:
    """A tech-touch book with an overflow CSM pool of ``overflow`` people (None: no pool).

    Nothing else feeds back into churn: no tickets, no onboarding, no attrition, neutral
    service effects; the only staffing-dependent effect is the trigger engine's.
    """
    spec = {"enabled": True, "dedicated_csm": {"enabled": False},
            "usage": {"volatility": 0.25, "drift": 0.0, "risk_loading": 1.5}}
    spec.update(triggers)
    pools = [{"name": "renewals", "role": "renewals", "annual_cost": 100000, "headcount": 1}]
    if overflow is not None:
        pools.append({"name": "overflow", "role": "csm", "overflow_tiers": ["tech"],
                      "annual_cost": 100000, "headcount": overflow})
    return {
        "name": "tech_book", "horizon_months": months, "org_model": "specialist",
        "tiers": [{"name": "tech", "acv_min": 0,
                   "acv": {"kind": "lognormal", "mean": 4000, "cv": 0.5},
                   "touch_model": "tech", "mix": 1.0, "tickets_per_month": 0.0,
                   "human_onboarding_share": 0.0, "churn": {"alpha": 1.0, "beta": 3.0}}],
        "growth": {"initial_customers": {"tech": customers},
                   "arrivals": [{"from_month": 0, "customers_per_month": 10}]},
        "pools": pools,
        "staff": {"base_attrition_per_year": 0.0},
        "service_effects": NEUTRAL,
        "triggers": spec,
    }


def simulated(data: dict, seed: int, history: bool = False) -> PolicyRun:
    world = build(parse_scenario(data), seed)
    if history:
        world.triggers.walk.history = [(0.0, world.triggers.walk.log_usage.copy())]
    simulate(world)
    return world


def events_of(world: PolicyRun) -> pd.DataFrame:
    return events_table(world.events, world.scenario)


# --- when triggers fire ----------------------------------------------------------------------

@pytest.mark.parametrize("threshold", [0.5, 0.4])
def test_triggers_fire_exactly_when_thresholds_are_crossed(threshold: float) -> None:
    """Recompute every month's triggers from the recorded usage; the engine agrees exactly."""
    world = simulated(tech_book(months=12, usage_drop={"threshold": threshold}), seed=4,
                      history=True)
    spec = world.scenario.triggers
    assert world.triggers is not None and world.triggers.walk.history is not None
    expected: set[tuple[float, str, int]] = set()
    history = world.triggers.walk.history
    level = math.log(spec.inactivity.inactive_level)
    for (_, before), (day, after) in zip(history, history[1:], strict=False):
        live = (world.book.golive_day <= day) & ~(world.book.churn_day <= day)
        before = np.where(live, before, np.nan)
        change = after - before
        rules = {"usage_drop": change <= math.log(1 - threshold),
                 "expansion": change >= math.log(1 + spec.expansion.growth_threshold),
                 "inactivity": (after < level) & (before >= level)}
        for kind, fired in rules.items():
            expected |= {(day, kind, int(c)) for c in np.flatnonzero(fired)}
    events = events_of(world)
    raised = events[events.kind.str.startswith("trigger_")]
    actual = {(float(row.time), row.kind.removeprefix("trigger_"), int(row.customer))
              for row in raised.itertuples()}
    assert len(expected) > 50
    assert {kind for _, kind, _ in expected} == {"usage_drop", "expansion", "inactivity"}
    assert actual == expected
    drops = raised[raised.kind == "trigger_usage_drop"]
    assert (drops.usage_ratio <= 1 - threshold + 1e-12).all()


def test_triggers_are_counted_by_tier_and_in_the_event_log() -> None:
    result = run(parse_scenario(tech_book(months=12)), seed=2)
    everyone = result.timeseries[result.timeseries.tier == "all"]
    tech = result.timeseries[result.timeseries.tier == "tech"]
    events = result.events
    for kind in (*RISK_KINDS, "expansion"):
        column = f"triggers_{kind}"
        assert everyone[column].sum() == (events.kind == f"trigger_{kind}").sum() > 0
        np.testing.assert_array_equal(everyone[column], tech[column])
    assert everyone.outreach_done.sum() == (events.kind == "outreach").sum()
    done = events[events.kind == "outreach"]
    assert everyone.trigger_response_days_mean.notna().any()
    total = (everyone.trigger_response_days_mean * everyone.outreach_done).sum()
    assert total == pytest.approx(done.wait_days.sum())
    per_customer = result.customers.set_index("customer").triggers
    counted = events[events.kind.str.startswith("trigger_")].customer.value_counts()
    np.testing.assert_array_equal(per_customer[counted.index], counted)


def test_every_risk_trigger_is_reengaged_answered_expired_or_open() -> None:
    """With an instant automated step, each risk trigger ends in exactly one of four states."""
    data = tech_book(overflow=1, inactivity={"automated_days": 0.0})
    series = run(parse_scenario(data), seed=6).timeseries.query("tier == 'all'")
    raised = series.triggers_usage_drop.sum() + series.triggers_inactivity.sum()
    settled = (series.reengaged_automated.sum() + series.outreach_done.sum()
               + series.outreach_unanswered.sum() + series.outreach_open.iloc[-1])
    assert raised == settled
    assert series.outreach_unanswered.sum() > 0 and series.reengaged_automated.sum() > 0


def test_disabled_engine_gives_identical_tables(base_scenario: dict) -> None:
    """Off, nothing of the section matters: no usage draws, no triggers, every factor 1."""
    plain = run(parse_scenario(base_scenario), seed=3)
    tweaked = copy.deepcopy(base_scenario)
    tweaked["triggers"] = {"enabled": False, "usage": {"volatility": 2.0, "drift": -1.0},
                           "usage_drop": {"threshold": 0.1}, "outreach_hours": 30.0,
                           "risk_delay_per_day": 1.1, "outreach_effect": 0.1}
    off = run(parse_scenario(tweaked), seed=3)
    for name in ("timeseries", "workforce", "events", "customers", "summary"):
        pd.testing.assert_frame_equal(getattr(plain, name), getattr(off, name))
    assert (plain.timeseries[ADDED] == 0).all().all()
    assert plain.timeseries.trigger_response_days_mean.isna().all()
    assert not plain.events.kind.str.contains("trigger|outreach|expansion_").any()


def test_disabled_factor_is_exactly_one(base_scenario: dict) -> None:
    world = build(parse_scenario(base_scenario), seed=1)
    world.env.run(until=100.0)
    assert not world.triggers.enabled
    assert world.triggers.odds_factor(0) == 1.0
    assert world.triggers.settle(0) == 0.0


# --- who answers, and what the answer does ---------------------------------------------------

def test_overflow_pool_answers_tech_touch_risk_triggers() -> None:
    result = run(parse_scenario(tech_book(overflow=2)), seed=1)
    events = result.events
    done = events[events.kind == "outreach"]
    assert len(done) > 20
    assert set(done.pool) == {"overflow"}
    hires = result.workforce[result.workforce.pool == "overflow"]
    assert hires.headcount.iloc[0] == 2
    assert (done.wait_days >= 0).all()
    without = run(parse_scenario(tech_book(overflow=None)), seed=1)
    series = without.timeseries.query("tier == 'all'")
    assert series.outreach_done.sum() == 0
    assert series.outreach_unanswered.sum() > 0


def test_an_odds_factor_per_risk_trigger_of_the_cycle() -> None:
    world = build(parse_scenario(tech_book(overflow=0, months=6)), seed=1)
    world.env.run(until=100.0)
    engine = world.triggers
    assert engine is not None
    customer = 0
    engine.cycle[customer] = [
        Intervention(customer, "usage_drop", raised=40.0, hours=2.0, effect=0.7,
                     answered=50.0),
        Intervention(customer, "inactivity", raised=60.0, hours=2.0, effect=0.7),
        Intervention(customer, "usage_drop", raised=70.0, hours=2.0, effect=0.7,
                     answered=130.0),
    ]
    delay = world.scenario.triggers.risk_delay_per_day
    expected = delay**10 * 0.7 * delay**40 * delay**30
    assert world.triggers.odds_factor(customer) == pytest.approx(expected, rel=1e-12)
    with_effects = churn_factor(world, customer, missed_renewal=False)
    assert with_effects == pytest.approx(expected, rel=1e-12)


def test_faster_response_never_raises_churn_under_common_random_numbers() -> None:
    """Nobody answering is the worst case for every customer.

    The usage paths, renewal draws and so the triggers of a customer are the same in both
    runs while it is live in both. Unanswered, a risk trigger multiplies the odds by
    delay ** (days to the renewal); answered, by delay ** (days to the answer) x effect, which
    is smaller. So each renewal's churn probability is no higher with overflow CSMs, and
    everybody who churns with them also churns without them.
    """
    for seed in (1, 2):
        nobody = run(parse_scenario(tech_book(overflow=0)), seed=seed).customers
        staffed = run(parse_scenario(tech_book(overflow=2)), seed=seed).customers
        lost_nobody = set(nobody.customer[nobody.state == "churned"])
        lost_staffed = set(staffed.customer[staffed.state == "churned"])
        assert lost_staffed <= lost_nobody
        assert len(lost_staffed) < len(lost_nobody)


def test_more_overflow_capacity_answers_faster_and_loses_fewer() -> None:
    """One overflow CSM falls behind (tasks wait weeks or expire); four answer within days.

    Populations diverge after the first differing churn, so this is a statement about totals
    over three seeds, with a strong delay effect (x1.02 a day) to make the difference large
    next to the noise left after common random numbers.
    """
    totals = {}
    for people in (1, 4):
        lost, days, answered = 0, 0.0, 0
        for seed in (1, 2, 3):
            data = tech_book(overflow=people, risk_delay_per_day=1.02, outreach_hours=6.0)
            series = run(parse_scenario(data), seed=seed).timeseries.query("tier == 'all'")
            lost += int(series.churned_customers.sum())
            days += float((series.trigger_response_days_mean * series.outreach_done).sum())
            answered += int(series.outreach_done.sum())
        totals[people] = (lost, days / answered)
    assert totals[4][1] < totals[1][1] / 2
    assert totals[4][0] < totals[1][0]


def test_trigger_tasks_come_before_scheduled_touches() -> None:
    """Overbooked CSMs (60 accounts touched weekly for 2 h each, ~120 h a week) miss most
    touches but answer the risk triggers, most of them in the week after they fire."""
    data = tech_book(overflow=None)
    data["tiers"][0]["touch_model"] = "low"
    data["tiers"][0]["touch_interval_days"] = 7.0
    data["pools"].append({"name": "csm", "role": "csm", "tiers": ["tech"],
                          "annual_cost": 100000, "headcount": 10})
    result = run(parse_scenario(data), seed=2)
    series = result.timeseries.query("tier == 'all'")
    assert series.touches_missed.sum() > 0.5 * series.touches_due.sum()
    done = result.events[result.events.kind == "outreach"]
    assert len(done) > 20 and set(done.pool) == {"csm"}
    assert done.wait_days.quantile(0.9) < 14.0
    # Only tasks raised in the last days before a renewal expire unanswered.
    expired = result.events[result.events.kind == "outreach_unanswered"]
    assert len(expired) < 0.02 * len(done) and (expired.wait_days < 14.0).all()


def owned_and_tech_book() -> dict:
    """The tech-touch book with a second, owned tier served by a one-person CSM pool."""
    data = tech_book(overflow=2, months=6)
    data["tiers"][0]["acv_max"] = 10000
    data["tiers"].append({"name": "owned", "acv_min": 10000,
                          "acv": {"kind": "fixed", "value": 20000}, "touch_model": "low",
                          "mix": 0.0, "tickets_per_month": 0.0, "human_onboarding_share": 0.0,
                          "churn": {"alpha": 1.0, "beta": 3.0}})
    data["growth"]["initial_customers"]["owned"] = 5
    data["pools"].append({"name": "csm", "role": "csm", "tiers": ["owned"],
                          "annual_cost": 100000, "headcount": 1})
    return data


def engine_of(world: PolicyRun) -> TriggerEngine:
    return world.triggers


def test_tasks_go_to_the_owner_or_are_spread_over_the_overflow_pool() -> None:
    """Owned accounts' tasks go to the owning CSM. Overflow risk tasks, in work order, keep a
    holder still on staff and otherwise go to the member holding the fewest (ties: lower id);
    an overflow account's sales handoff is nobody's."""
    world = build(parse_scenario(owned_and_tech_book()), seed=1)
    engine, book = engine_of(world), world.book
    overflow, csm = world.pool_named("overflow"), world.pool_named("csm")
    first, second = overflow.members
    tech, owned = np.flatnonzero(book.tier == 0)[:5], int(np.flatnonzero(book.tier == 1)[0])
    owner = int(book.owner[owned])
    assert owner == csm.members[0].id
    kept = Intervention(int(tech[0]), "usage_drop", raised=1.0, hours=2.0, holder=second.id)
    new = [Intervention(int(customer), "inactivity", raised=2.0 + step, hours=2.0)
           for step, customer in enumerate(tech[1:4])]
    handoff = Intervention(int(tech[4]), "expansion", raised=0.0, hours=1.0)
    owned_task = Intervention(owned, "usage_drop", raised=0.5, hours=2.0)
    engine.tasks = sorted([*new, handoff, kept, owned_task], key=work_order)
    expected = {first.id: [new[0], new[1]], second.id: [kept, new[2]]}
    assert held_tasks(world, overflow) == expected
    assert [item.holder for item in new] == [first.id, first.id, second.id]
    assert held_tasks(world, overflow) == expected  # holders are kept week to week
    assert held_tasks(world, csm) == {owner: [owned_task]}
    depart(world, first)
    assert held_tasks(world, overflow) == {second.id: [kept, *new]}


def test_a_week_of_tasks_is_done_whole_in_order_at_an_even_pace() -> None:
    """After 5 of 10 hours, two 2-hour tasks fit (done when 7 and 9 of the 10 hours are
    spent, i.e. 7/10 and 9/10 into the week) and the third waits, the colleague having no hours
    left either; demand is the held hours spread over ``task_pace_weeks``."""
    world = build(parse_scenario(owned_and_tech_book()), seed=1)
    engine = engine_of(world)
    overflow = world.pool_named("overflow")
    first, second = overflow.members
    items = [Intervention(customer, "usage_drop", raised=1.0, hours=2.0, holder=first.id)
             for customer in (0, 1, 2)]
    engine.tasks = list(items)
    start = 7.0
    available = {first.id: 10.0, second.id: 10.0}
    demanded, done = trigger_week(world, overflow, overflow.members, available,
                                  {first.id: 5.0, second.id: 10.0}, start)
    pace = world.scenario.triggers.task_pace_weeks
    assert demanded == {first.id: pytest.approx(6.0 / pace), second.id: 0.0}
    assert done == {first.id: 4.0, second.id: 0.0}
    days = [start + WEEK_DAYS * 0.7, start + WEEK_DAYS * 0.9]
    assert [item.answered for item in items[:2]] == pytest.approx(days)
    assert engine.tasks == [items[2]] and math.isinf(items[2].answered)
    outreach = events_of(world).query("kind == 'outreach'")
    assert list(outreach.customer) == [0, 1] and set(outreach.staff) == {first.id}
    np.testing.assert_allclose(outreach.wait_days, np.array(days) - 1.0)


@pytest.mark.parametrize("share", [True, False])
def test_an_overflow_task_its_holder_has_no_hours_for_is_done_by_a_colleague(
        share: bool) -> None:
    """The holder has 5 of 10 hours left: two 2-hour tasks fit, the third goes to the colleague
    with the most hours left (4 of 10 left: done 8/10 into the week; the one with 3 left is not
    chosen) and counts in that colleague's demand. Switched off, it waits for its holder."""
    data = owned_and_tech_book()
    next(pool for pool in data["pools"] if pool["name"] == "overflow")["headcount"] = 3
    data["triggers"]["share_overflow_tasks"] = share
    world = build(parse_scenario(data), seed=1)
    engine = engine_of(world)
    overflow = world.pool_named("overflow")
    first, second, third = overflow.members
    items = [Intervention(customer, "usage_drop", raised=1.0, hours=2.0, holder=first.id)
             for customer in (0, 1, 2)]
    engine.tasks = list(items)
    start = 7.0
    available = {first.id: 10.0, second.id: 10.0, third.id: 10.0}
    worked = {first.id: 5.0, second.id: 6.0, third.id: 7.0}
    demanded, done = trigger_week(world, overflow, overflow.members, available, worked, start)
    pace = world.scenario.triggers.task_pace_weeks
    if not share:
        assert done == {first.id: 4.0, second.id: 0.0, third.id: 0.0}
        assert engine.tasks == [items[2]] and items[2].holder == first.id
        return
    assert done == {first.id: 4.0, second.id: 2.0, third.id: 0.0}
    assert demanded == {first.id: pytest.approx(4.0 / pace),
                        second.id: pytest.approx(2.0 / pace), third.id: 0.0}
    assert engine.tasks == [] and items[2].holder == second.id
    assert items[2].answered == pytest.approx(start + WEEK_DAYS * 0.8)
    outreach = events_of(world).query("kind == 'outreach'")
    assert list(outreach.staff) == [first.id, first.id, second.id]


# --- expansion and the dedicated CSM ---------------------------------------------------------

@pytest.mark.parametrize(("acv", "route"), [(0, "in_app"), (24999, "in_app"),
                                            (25000, "inside_sales"), (99999, "inside_sales"),
                                            (100000, "ae"), (2_000_000, "ae")])
def test_expansion_route_boundaries(acv: float, route: str) -> None:
    assert expansion_route(acv, ExpansionTrigger()) == route


def growth_book() -> dict:
    """Four fixed-ACV tiers around the §6.2 routing edges; usage grows 65% every month."""
    values = [("small", 0, 24999), ("edge_sales", 25000, 25000), ("upper", 25001, 99999),
              ("edge_ae", 100000, 100000)]
    tiers = []
    for index, (name, low, value) in enumerate(values):
        upper = values[index + 1][1] if index + 1 < len(values) else None
        tiers.append({"name": name, "acv_min": low, "acv_max": upper,
                      "acv": {"kind": "fixed", "value": value}, "touch_model": "tech",
                      "mix": 0.25, "tickets_per_month": 0.0, "human_onboarding_share": 0.0,
                      "churn": {"alpha": 1.0, "beta": 20.0},
                      "renewal_change": {"expansion_probability": 0.0,
                                         "contraction_probability": 0.0}})
    tiers[1]["touch_model"] = "low"  # owned: its sales route needs the CSM's handoff
    return {
        "name": "growth_book", "horizon_months": 14, "org_model": "generalist",
        "tiers": tiers,
        "growth": {"initial_customers": {tier["name"]: 30 for tier in tiers}},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["edge_sales"],
                   "annual_cost": 100000, "headcount": 1, "onboarding_slots": 0}],
        "triggers": {"enabled": True, "dedicated_csm": {"enabled": False},
                     "usage": {"volatility": 0.0, "drift": 0.5, "risk_loading": 0.0},
                     "expansion": {"in_app_lift": 1.0, "inside_sales_lift": 1.0,
                                   "account_executive_lift": 1.0}},
    }


def test_expansion_opportunities_are_routed_by_size_once_a_cycle() -> None:
    result = run(parse_scenario(growth_book()), seed=1)
    events = result.events
    routed = events[events.kind.str.startswith("expansion_routed_")]
    spec = ExpansionTrigger()
    expected = routed.acv.map(lambda acv: f"expansion_routed_{expansion_route(acv, spec)}")
    assert (routed.kind == expected).all()
    by_tier = routed.groupby("tier").kind.unique()
    assert list(by_tier["small"]) == ["expansion_routed_in_app"]
    assert list(by_tier["edge_sales"]) == ["expansion_routed_inside_sales"]
    assert list(by_tier["upper"]) == ["expansion_routed_inside_sales"]
    assert list(by_tier["edge_ae"]) == ["expansion_routed_ae"]
    renewals = events[events.kind == "renewal"]
    for customer, group in routed.groupby("customer"):
        cuts = renewals.time[renewals.customer == customer].tolist()
        cycles = np.searchsorted(cuts, group.time.to_numpy())
        assert len(set(cycles)) == len(cycles), customer
    handoffs = events[events.kind == "expansion_handoff"]
    assert len(handoffs) > 0 and set(handoffs.tier) == {"edge_sales"}
    csm = set(events.staff[(events.kind == "hire")]) | {0}
    assert set(handoffs.staff) <= csm


def test_a_routed_opportunity_turns_flat_renewals_into_expansions() -> None:
    """With a lift of 1 and no expansion or contraction of their own, a renewal expands exactly
    when its cycle's opportunity was routed before the date: after the first monthly signal
    (usage grows 65% a month, so every cycle has one), and, for the owned tier's sales route,
    once the CSM's handoff was done (8 hours each for one CSM: some are done after the date)."""
    data = growth_book()
    data["triggers"]["expansion"]["handoff_hours"] = 8.0  # the one CSM falls behind: some late
    events = run(parse_scenario(data), seed=2).events
    renewals = events[events.kind == "renewal"]
    expanded = set(zip(*(events[events.kind == "expansion"][key] for key in ("customer",
                                                                              "time")),
                       strict=True))
    routed = events[events.kind.str.startswith("expansion_routed_")]
    handoffs = events[events.kind == "expansion_handoff"]
    assert routed.time.min() == pytest.approx(365 / 12)
    late = 0
    for row in renewals.itertuples():
        mine = renewals.time[(renewals.customer == row.customer) & (renewals.time < row.time)]
        start = mine.max() if len(mine) else 0.0
        in_cycle = routed[(routed.customer == row.customer) & (routed.time > start)
                          & (routed.time <= row.time)]
        due = len(in_cycle) == 1
        if due and in_cycle.tier.iloc[0] == "edge_sales":  # owned: the handoff must be done
            handed = handoffs[(handoffs.customer == row.customer) & (handoffs.time > start)]
            # A handoff counts once the week's work that did it has been accounted (its event's
            # time), which may be after the renewal even when the work fell before it.
            due = bool((handed.time <= row.time).any())
            late += not due
        assert ((row.customer, row.time) in expanded) == due, row
    assert len(expanded) > 50 and late > 0


def test_lifted_expansion_converts_only_the_no_change_band() -> None:
    change = RenewalChange(expansion_probability=0.2, contraction_probability=0.1)
    assert not lifted_expansion(0.1, change, 0.5)        # already an expansion
    assert not lifted_expansion(0.25, change, 0.5)       # contraction stays a contraction
    assert lifted_expansion(0.31, change, 0.5)           # the flat band starts at 0.3
    assert lifted_expansion(0.64, change, 0.5)           # 0.3 + 0.5 x 0.7 = 0.65
    assert not lifted_expansion(0.66, change, 0.5)
    assert not lifted_expansion(0.5, change, 0.0)


@pytest.mark.parametrize("book", [lambda: tech_book(overflow=1), growth_book],
                         ids=["overflow-backlog", "sales-handoffs"])
def test_the_task_list_is_exactly_the_waiting_tasks_in_work_order(
        book: Callable[[], dict]) -> None:
    """Done and expired tasks leave the list at once; every task still waiting is on it.

    Checked half a day after each monthly signal, while the month's new tasks wait.
    """
    world = build(parse_scenario(book()), seed=3)
    engine = engine_of(world)
    seen = 0
    for month in range(1, world.scenario.horizon_months):
        world.env.run(until=month * MONTH_DAYS + 0.5)
        waiting = [item for items in engine.cycle.values() for item in items if item.waiting]
        waiting += [item for item in engine.opportunity.values() if item.waiting]
        assert {id(item) for item in engine.tasks} == {id(item) for item in waiting}
        assert len(engine.tasks) == len(waiting)
        keys = [work_order(item) for item in engine.tasks]
        assert keys == sorted(keys)
        risk = [item.customer for item in waiting if item.risk]
        np.testing.assert_array_equal(
            engine.open_outreach(),
            np.bincount(world.book.tier[risk], minlength=len(world.scenario.tiers)))
        seen += len(waiting)
    assert seen > 20


def dedicated_book() -> dict:
    """Pooled $10K-50K accounts that expand 60% of renewals by ~+60%; dedicated from $50K."""
    return {
        "name": "dedicated_book", "horizon_months": 26, "org_model": "specialist",
        "tiers": [
            {"name": "pooled", "acv_min": 0, "acv_max": 50000,
             "acv": {"kind": "fixed", "value": 40000}, "touch_model": "low", "mix": 1.0,
             "tickets_per_month": 0.0, "churn": {"alpha": 1.0, "beta": 30.0},
             "human_onboarding_share": 0.0,
             "renewal_change": {"expansion_probability": 0.6, "expansion_mean": 0.6,
                                "contraction_probability": 0.0}},
            {"name": "dedicated", "acv_min": 50000, "acv": {"kind": "fixed", "value": 80000},
             "touch_model": "high", "mix": 0.0, "tickets_per_month": 0.0,
             "human_onboarding_share": 0.0, "churn": {"alpha": 1.0, "beta": 30.0},
             "renewal_change": {"contraction_probability": 0.0}},
        ],
        "growth": {"initial_customers": {"pooled": 80}},
        "pools": [
            {"name": "csm_pooled", "role": "csm", "tiers": ["pooled"], "annual_cost": 110000,
             "headcount": 2},
            {"name": "csm_dedicated", "role": "csm", "tiers": ["dedicated"],
             "annual_cost": 140000, "headcount": 3},
            {"name": "renewals", "role": "renewals", "annual_cost": 100000, "headcount": 2},
        ],
        "staff": {"base_attrition_per_year": 0.0},
        "triggers": {"enabled": True, "usage_drop": {"enabled": False},
                     "inactivity": {"enabled": False}, "expansion": {"enabled": False}},
    }


def test_crossing_50k_at_renewal_gives_a_dedicated_csm() -> None:
    result = run(parse_scenario(dedicated_book()), seed=3)
    events = result.events
    expansions = events[events.kind == "expansion"]
    acv_after = events[events.kind == "renewal"].set_index(["customer", "time"]).acv
    keys = list(zip(expansions.customer, expansions.time, strict=True))
    new = acv_after.loc[keys].to_numpy()
    old = new - expansions.acv_change.to_numpy()
    crossing = {key for key, before, after in zip(keys, old, new, strict=True)
                if before < 50000 <= after}
    triggered = events[events.kind == "trigger_dedicated_csm"]
    assert len(crossing) > 5
    assert set(zip(triggered.customer, triggered.time, strict=True)) == crossing
    dedicated_staff = set(events.staff[events.pool == "csm_dedicated"]) | set(range(2, 5))
    assert set(triggered.staff) <= dedicated_staff
    assert (triggered.acv >= 50000).all()
    final = result.customers.set_index("customer")
    assert (final.loc[triggered.customer, "owner"].isin(range(2, 5))
            | (final.loc[triggered.customer, "state"] == "churned")).all()


# --- bad definitions -------------------------------------------------------------------------

def overflow_pool(tiers: list[str], role: str = "csm") -> dict:
    return {"name": "overflow", "role": role, "overflow_tiers": tiers, "annual_cost": 90000,
            "headcount": 1}


BAD = [
    ("drop-threshold-one", {"triggers": {"usage_drop": {"threshold": 1.0}}},
     "triggers.usage_drop.threshold = 1.0: Input should be less than 1"),
    ("drop-threshold-zero", {"triggers": {"usage_drop": {"threshold": 0}}},
     "triggers.usage_drop.threshold = 0: Input should be greater than 0"),
    ("inactive-level", {"triggers": {"inactivity": {"inactive_level": 1.5}}},
     "triggers.inactivity.inactive_level = 1.5: Input should be less than 1"),
    ("automated-success", {"triggers": {"inactivity": {"automated_success": -0.1}}},
     "triggers.inactivity.automated_success = -0.1: Input should be greater than or equal to 0"),
    ("growth-threshold", {"triggers": {"expansion": {"growth_threshold": 0}}},
     "triggers.expansion.growth_threshold = 0: Input should be greater than 0"),
    ("routes-inverted", {"triggers": {"expansion": {"account_executive_from": 20000}}},
     "triggers.expansion.account_executive_from = 20000: must exceed inside_sales_from (25000)"),
    ("lift-above-one", {"triggers": {"expansion": {"in_app_lift": 1.2}}},
     "triggers.expansion.in_app_lift = 1.2: Input should be less than or equal to 1"),
    ("delay-below-one", {"triggers": {"risk_delay_per_day": 0.99}},
     "triggers.risk_delay_per_day = 0.99: Input should be greater than or equal to 1"),
    ("effect-above-one", {"triggers": {"outreach_effect": 1.5}},
     "triggers.outreach_effect = 1.5: Input should be less than or equal to 1"),
    ("outreach-hours", {"triggers": {"outreach_hours": 0}},
     "triggers.outreach_hours = 0: Input should be greater than 0"),
    ("volatility", {"triggers": {"usage": {"volatility": -1}}},
     "triggers.usage.volatility = -1: Input should be greater than or equal to 0"),
    ("unknown-trigger", {"triggers": {"premium_exploration": {"enabled": True}}},
     "triggers.premium_exploration = {'enabled': True}: Extra inputs are not permitted"),
    ("enabled-not-bool", {"triggers": {"enabled": "sometimes"}},
     "triggers.enabled = 'sometimes': Input should be a valid boolean"),
    ("overflow-not-csm", {"pool": overflow_pool(["smb"], role="cs_ops")},
     "pools[3].overflow_tiers = ['smb']: only csm pools take overflow work"),
    ("overflow-unknown", {"pool": overflow_pool(["large"])},
     "pools[3].overflow_tiers = ['large']: unknown tier 'large'"),
    ("overflow-owned", {"pool": overflow_pool(["mid"])},
     "pools[3].overflow_tiers = ['mid']: tier 'mid' is owned by pool 'csm_mid'; overflow "
     "pools serve tiers without an owning csm pool"),
    ("dedicated-unowned", {"triggers": {"enabled": True,
                                        "dedicated_csm": {"acv_threshold": 10000}}},
     "triggers.dedicated_csm.acv_threshold = 10000: tier 'smb' holds ACVs at or above it"),
]


@pytest.mark.parametrize(("change", "message"), [case[1:] for case in BAD],
                         ids=[case[0] for case in BAD])
def test_bad_trigger_definitions_give_one_clear_line(base_scenario: dict, change: dict,
                                                     message: str) -> None:
    data = copy.deepcopy(base_scenario)
    if "pool" in change:
        data["pools"].append(change["pool"])
    if "triggers" in change:
        data["triggers"] = change["triggers"]
    with pytest.raises(ScenarioError, match="^scenario.yaml: " + re.escape(message)) as caught:
        parse_scenario(data, source="scenario.yaml")
    assert "\n" not in str(caught.value)


def test_a_tier_overflows_to_one_pool_only(base_scenario: dict) -> None:
    data = copy.deepcopy(base_scenario)
    data["pools"] += [overflow_pool(["smb"]), {**overflow_pool(["smb"]), "name": "second"}]
    with pytest.raises(ScenarioError, match=re.escape(
            "pools[4].overflow_tiers = ['smb']: tier 'smb' already overflows to pool "
            "'overflow'")):
        parse_scenario(data)


def test_an_overflow_only_pool_is_a_valid_csm_pool(base_scenario: dict) -> None:
    data = copy.deepcopy(base_scenario)
    data["pools"].append(overflow_pool(["smb"]))
    parse_scenario(data)


# --- the shipped example -----------------------------------------------------------------------

def test_the_example_scenario_runs_from_the_cli(tmp_path: Path) -> None:
    path = ROOT / "scenarios" / "triggers_tech_touch.yaml"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--seed", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    series = pd.read_parquet(out / "timeseries.parquet").query("tier == 'all'")
    assert series.outreach_done.sum() > 0
    events = pd.read_parquet(out / "events.parquet")
    assert "overflow" in " ".join(events.pool[events.kind == "outreach"].unique())
    table = pd.read_parquet(out / "timeseries.parquet")
    by_tier = table[table.tier != "all"].groupby("period")[ADDED].sum()
    pd.testing.assert_frame_equal(by_tier, series.set_index("period")[ADDED])


def test_same_seed_same_tables_with_triggers_on() -> None:
    scenario = parse_scenario(tech_book(months=8))
    first, second = run(scenario, seed=9), run(scenario, seed=9)
    for name in ("timeseries", "workforce", "events", "customers", "summary"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
