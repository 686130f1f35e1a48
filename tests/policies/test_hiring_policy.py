"""Hiring policies: triggers fire at the reviews their rules say, the budget cap blocks, the
fixed policy changes nothing, and bad policy definitions give one clear line.

The mechanism scenarios are deterministic: no arrivals, practically no churn (θ ~ Beta(1e-6, 1)),
no attrition, fixed onboarding durations and no abandonment, so every trigger load is known at
every review and the expected requisition days follow from the rules by hand.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from sim import parse_scenario, run
from sim.core.calendar import MONTH_DAYS
from sim.outputs.results import RunResult
from sim.scenario.tiers import Tier

TABLES = ("timeseries", "workforce", "events", "customers", "summary")


def book(**changes: object) -> dict:
    """130 live low-touch accounts on 10 CSMs (13 each, trigger at 12); nothing else moves."""
    scenario = {
        "name": "hiring", "horizon_months": 6, "org_model": "specialist",
        "tiers": [{"name": "book", "acv_min": 0, "acv": {"kind": "fixed", "value": 20000},
                   "touch_model": "low", "mix": 1.0, "tickets_per_month": 0.0,
                   "renewal_hours": 0, "complexity_mix": {"low": 1.0, "medium": 0.0, "high": 0.0},
                   "churn": {"alpha": 1e-6, "beta": 1.0},
                   "renewal_change": {"expansion_probability": 0.0,
                                      "contraction_probability": 0.0}}],
        "growth": {"initial_customers": {"book": 130}},
        "pools": [
            {"name": "csm", "role": "csm", "tiers": ["book"], "annual_cost": 120000,
             "headcount": 10, "hiring_trigger": {"accounts_per_csm": 12}},
            {"name": "implementation", "role": "implementation", "annual_cost": 100000,
             "headcount": 1, "onboarding_slots": 10, "hiring_trigger": {"enabled": False}},
        ],
        "onboarding": {"durations": {"low": {"kind": "fixed", "value": 14.0}},
                       "abandonment": {"enabled": False}},
        "staff": {"base_attrition_per_year": 0.0},
        "hiring": {"lead_time_days": 28.0, "review_days": 7.0},
    }
    scenario.update(changes)
    return scenario


def with_hiring(data: dict, **hiring: object) -> dict:
    data["hiring"] = {**data["hiring"], **hiring}
    return data


def requisitions(result: RunResult, pool: str | None = None) -> pd.DataFrame:
    events = result.events
    chosen = events[events.kind == "requisition"]
    return chosen if pool is None else chosen[chosen.pool == pool]


def growing_book(**hiring: object) -> dict:
    """100 live accounts and 40 signed: 10 go live every 14 days (days 14, 28, 42, 56)."""
    data = book()
    data["growth"] = {"initial_customers": {"book": 100}, "initial_backlog": {"book": 40}}
    return with_hiring(data, trend_window_days=28.0, **hiring)


def test_proactive_hires_at_the_first_review_with_a_forecast_above_the_threshold() -> None:
    # Day 0: 13 accounts per CSM > 12 and no trend yet: the target is ceil(130 / 12) = 11.
    result = run(parse_scenario(with_hiring(book(), policy="proactive")), seed=1)
    opened = requisitions(result)
    assert opened.time.tolist() == [0.0]
    assert opened.metric.tolist() == [13.0]


def test_proactive_follows_the_trend_one_lead_time_ahead() -> None:
    """Load L at reviews 0, 7, ... is 100, 100, 110, 110, 120, 120, 130, 130, 140, ...

    The trend is forecast only once the trigger has been read for a whole 28-day window (before,
    the forecast is L: at day 14, 110 accounts need no 11th CSM). From day 28 the forecast is
    L + (L - L_then) / (now - then) x 28 with `then` the oldest review in the window: day 28 ->
    140 (target 12, two requisitions), day 42 -> 150 (13), day 56 -> 160 (14); every other
    review's target is already covered by headcount + open requisitions.
    """
    result = run(parse_scenario(growing_book(policy="proactive")), seed=1)
    opened = requisitions(result)
    assert opened.time.tolist() == [28.0, 28.0, 42.0, 56.0]
    # Metric = forecast accounts / CSMs on staff (the day-28 hires arrive on day 56).
    np.testing.assert_allclose(opened.metric, [140 / 10, 140 / 10, 150 / 10, 160 / 12])
    hires = result.events.query("kind == 'hire'").time
    np.testing.assert_allclose(hires, opened.time + 28.0)


def test_reactive_waits_until_the_metric_has_stayed_above_the_threshold_for_the_delay() -> None:
    # Above 12 per CSM from day 0; the first review at least 60 days later is day 63.
    result = run(parse_scenario(with_hiring(book(), policy="reactive",
                                            reactive_delay_days=60.0)), seed=1)
    opened = requisitions(result)
    assert opened.time.tolist() == [63.0]
    assert opened.metric.tolist() == [13.0]


def test_reactive_counts_the_delay_from_the_first_review_above_the_threshold() -> None:
    """130 live accounts from day 42 (13 per CSM): the clock starts at 42, the decision at 63
    opens ceil(140 / 12) - 10 = 2; at day 84 the two are still under way, so that decision opens
    none, and from day 91 the metric is 140 / 12 <= 12."""
    result = run(parse_scenario(growing_book(policy="reactive", reactive_delay_days=21.0)),
                 seed=1)
    opened = requisitions(result)
    assert opened.time.tolist() == [63.0, 63.0]
    assert opened.metric.tolist() == [14.0, 14.0]


def test_max_headcount_caps_what_a_policy_hires() -> None:
    data = with_hiring(book(), policy="proactive")
    data["pools"][0]["hiring_trigger"]["max_headcount"] = 10
    assert requisitions(run(parse_scenario(data), seed=1)).empty


def test_regional_csm_pools_count_only_the_accounts_routed_to_them() -> None:
    """Two regional CSM pools of 5 share the book's tier: each reads the live accounts of its own
    region (not all 130), so at day 0 it opens max(0, ceil(n / 12) - 5) with metric n / 5."""
    data = with_hiring(book(org_model="geographic",
                            org={"regions": [{"name": "east", "share": 0.5},
                                             {"name": "west", "share": 0.5}]}),
                       policy="proactive")
    csm = data["pools"].pop(0)
    data["pools"][:0] = [{**csm, "name": f"csm_{region}", "region": region, "headcount": 5}
                         for region in ("east", "west")]
    result = run(parse_scenario(data), seed=1)
    customers = result.customers
    for region in ("east", "west"):
        live = int((customers.region == region).sum())
        opened = requisitions(result, f"csm_{region}")
        assert len(opened) == max(0, math.ceil(live / 12) - 5)
        assert (opened.time == 0.0).all()
        np.testing.assert_allclose(opened.metric, live / 5)
    assert not requisitions(result).empty


def test_staffing_plans_still_apply_under_a_policy() -> None:
    data = with_hiring(book(), policy="proactive")
    data["pools"][0]["staffing_plan"] = [{"month": 1, "headcount": 12}]
    opened = requisitions(run(parse_scenario(data), seed=1))
    # Day 0: the trigger (its metric); month 1: the plan tops 11 up to 12 (metric 0).
    np.testing.assert_allclose(opened.time, [0.0, MONTH_DAYS])
    assert opened.metric.tolist() == [13.0, 0.0]


def test_implementation_hires_on_backlog_months() -> None:
    """100 signed, 1 specialist with 5 slots: 95 x 14 = 1,330 days queued, 8.7 months at 5
    slots; ceil(1330 / (5 x 365/12 x 3)) = 3 specialists."""
    data = book(growth={"initial_customers": {"book": 1}, "initial_backlog": {"book": 100}})
    data["pools"][0]["hiring_trigger"] = {"enabled": False}
    data["pools"][1].update(onboarding_slots=5, hiring_trigger={})
    result = run(parse_scenario(with_hiring(data, policy="proactive")), seed=1)
    opened = requisitions(result, "implementation")
    assert opened.time.tolist() == [0.0, 0.0]
    np.testing.assert_allclose(opened.metric, 95 * 14 / 5 / MONTH_DAYS)


def renewals_book(headcount: int = 2, **trigger: object) -> dict:
    """250 live accounts with 16 renewal hours each, a renewals pool, only its trigger on."""
    data = book(growth={"initial_customers": {"book": 250}})
    data["tiers"][0]["renewal_hours"] = 16.0
    data["pools"][0]["hiring_trigger"] = {"enabled": False}
    data["pools"].append({"name": "renewals", "role": "renewals", "annual_cost": 100000,
                          "headcount": headcount, "hiring_trigger": trigger})
    return with_hiring(data, policy="proactive")


SPECIALIST_YEAR_HOURS = 40 * 0.85 * 365 / 7
"""Productive hours of a specialist a year: 40 h a week less 15% admin (schema defaults)."""


def test_renewals_hire_on_the_hours_of_the_next_twelve_months_of_renewals() -> None:
    # 250 x 16 = 4,000 renewal hours on 2 specialists: 1.13 of their hours; at 0.8 of them
    # the target is ceil(4000 / (0.8 x 1,773)) = 3: one more.
    opened = requisitions(run(parse_scenario(renewals_book()), seed=1), "renewals")
    assert opened.time.tolist() == [0.0]
    np.testing.assert_allclose(opened.metric, 4000 / (2 * SPECIALIST_YEAR_HOURS))
    # The same work filling 0.56 of three specialists' hours needs nobody more.
    assert requisitions(run(parse_scenario(renewals_book(headcount=3)), seed=1)).empty


def test_renewals_read_only_the_work_routed_to_the_pool() -> None:
    """In the generalist model the CSMs renew: the renewals pool has no work to hire for. With
    a renewals pool per region, each reads its own region's renewal hours (about half of
    4,000: target 2 on 1 specialist), not the whole book's (target 3)."""
    generalist = renewals_book()
    generalist["org_model"] = "generalist"
    assert requisitions(run(parse_scenario(generalist), seed=1)).empty
    data = renewals_book(headcount=1)
    data.update(org_model="geographic", org={"regions": [{"name": "east", "share": 0.5},
                                                         {"name": "west", "share": 0.5}]})
    renewals = data["pools"].pop()
    data["pools"] += [{**renewals, "name": f"renewals_{region}", "region": region}
                      for region in ("east", "west")]
    result = run(parse_scenario(data), seed=1)
    for region in ("east", "west"):
        hours = 16.0 * int((result.customers.region == region).sum())
        opened = requisitions(result, f"renewals_{region}")
        assert len(opened) == math.ceil(hours / (0.8 * SPECIALIST_YEAR_HOURS)) - 1 == 1
        np.testing.assert_allclose(opened.metric, hours / SPECIALIST_YEAR_HOURS)


def test_renewals_count_renewals_when_renewals_per_specialist_is_set() -> None:
    # 250 renewals in the next 12 months on 2 specialists: 125 each > 100 -> a third one.
    opened = requisitions(run(parse_scenario(renewals_book(renewals_per_specialist=100)),
                              seed=1), "renewals")
    assert opened.time.tolist() == [0.0]
    assert opened.metric.tolist() == [125.0]


def test_no_requisition_for_a_team_that_does_not_exist_yet() -> None:
    """An empty renewals pool is not hired into until its plan puts a requisition under way
    (month 1); the next review (day 35) then tops it up to the target of 3."""
    data = renewals_book(headcount=0)
    assert requisitions(run(parse_scenario(data), seed=1)).empty
    data["pools"][-1]["staffing_plan"] = [{"month": 1, "headcount": 1}]
    opened = requisitions(run(parse_scenario(data), seed=1))
    np.testing.assert_allclose(opened.time, [MONTH_DAYS, 35.0, 35.0])
    assert opened.metric.tolist() == [0.0, math.inf, math.inf]


def support_book(engineers: int = 1, **trigger: object) -> dict:
    """The book raising T1 tickets (0.5 h each) for one support pool; only its trigger on."""
    data = book(output_period="weekly")
    data["tiers"][0].update(tickets_per_month=6.0,  # x 0.5 for low complexity
                            ticket_mix={"T1": 1.0, "T2": 0.0, "T3": 0.0})
    data["pools"][0]["hiring_trigger"] = {"enabled": False}
    data["pools"].append({"name": "support", "role": "support", "skill": "T3",
                          "annual_cost": 90000, "headcount": engineers,
                          "hiring_trigger": trigger})
    return with_hiring(data, policy="reactive", reactive_delay_days=0.0)


ENGINEER_WEEK_HOURS = 40 * 0.85
"""Productive hours of an engineer a week (schema defaults)."""


def first_window(result: RunResult) -> tuple[int, int]:
    """Tickets opened in the first four weekly periods, and open at the end of the fourth."""
    weeks = result.timeseries.query("tier == 'all' and period <= 4")
    return int(weeks.tickets_opened.sum()), int(weeks.tickets_open.iloc[-1])


def test_support_reads_ticket_hours_and_backlog_against_the_engineers_hours() -> None:
    """No reading before the 28-day rate window; then the load is the ticket hours a week over
    the window plus the open ticket hours over the 2 backlog-clear weeks and the 4 weeks of lead
    time, against 0.8 of the engineers' productive hours."""
    result = run(parse_scenario(support_book()), seed=1)
    opened = requisitions(result, "support")
    assert opened.time.min() == 28.0
    tickets, still_open = first_window(result)
    load = 0.5 * tickets / 4 + 0.5 * still_open / (2 + 28 / 7)
    decision = opened[opened.time == 28.0]
    np.testing.assert_allclose(decision.metric, load / ENGINEER_WEEK_HOURS, rtol=0.02)
    assert len(decision) == math.ceil(load / (0.8 * ENGINEER_WEEK_HOURS)) - 1
    # Enough engineers for the load from the start: none is hired.
    engineers = len(decision) + 2
    assert requisitions(run(parse_scenario(support_book(engineers)), seed=1)).empty


def test_support_hires_on_tickets_per_engineer_per_working_day_when_set() -> None:
    result = run(parse_scenario(support_book(tickets_per_engineer_day=10.0)), seed=1)
    opened = requisitions(result, "support")
    tickets, still_open = first_window(result)
    rate = tickets / 20 + still_open / (5 * (2 + 28 / 7))
    assert rate > 10
    assert opened.time.min() == 28.0
    decision = opened[opened.time == 28.0]
    np.testing.assert_allclose(decision.metric, rate, rtol=0.02)
    assert len(decision) == math.ceil(rate / 10) - 1


def slow_tickets(**trigger: object) -> dict:
    """Light volume (~35% of one engineer's hours) of 6-hour T3 tickets with an 8-hour SLA:
    tickets wait behind each other and many answers come late."""
    data = support_book(**trigger)
    data["tiers"][0].update(tickets_per_month=0.45, sla_response_hours=8.0,
                            ticket_mix={"T1": 0.0, "T2": 0.0, "T3": 1.0})
    data["growth"] = {"initial_customers": {"book": 40}}
    return data


def test_support_hires_when_slas_slip_whatever_the_volume() -> None:
    result = run(parse_scenario(slow_tickets()), seed=1)
    opened = requisitions(result, "support")
    assert not opened.empty
    # Each decision adds one engineer to those on staff, at a volume below the threshold.
    assert (opened.metric < 0.8).all()
    assert len(opened) == opened.time.nunique()
    # With a breach share it tolerates, the same volume opens nothing.
    quiet = run(parse_scenario(slow_tickets(sla_breach_share=1.0)), seed=1)
    assert requisitions(quiet).empty


def test_breaches_of_the_uncovered_region_delay_alone_hire_nobody() -> None:
    """Light T1 volume from two regions on one head-office pool: the far region's tickets all
    answer 14 hours after opening, past the 8-hour SLA, though none waits in the queue. More
    engineers in this pool would not shorten that, so the SLA trigger does not fire."""
    data = support_book()
    data.update(org_model="geographic",
                org={"regions": [{"name": "home", "share": 0.5, "global_hours_overlap": True},
                                 {"name": "far", "share": 0.5}],
                     "uncovered_response_delay_hours": 14.0})
    data["tiers"][0].update(tickets_per_month=0.2, sla_response_hours=8.0)
    data["pools"][-1]["hiring_trigger"] = {"first_response_hours": 10.0}
    data["org"]["regions"][0]["share"] = 0.1
    data["org"]["regions"][1]["share"] = 0.9
    result = run(parse_scenario(data), seed=1)
    assert result.summary.sla_breach_share.item() > 0.5
    responses = result.timeseries.query("tier == 'all'").ticket_response_hours_mean
    assert responses.mean() > 10.0
    assert requisitions(result).empty


def test_tickets_still_waiting_past_their_sla_count_as_breaches() -> None:
    """Ticket work 30% over one engineer's hours, with the volume trigger out of reach: the
    queue grows and tickets wait days. Those breach while still waiting, and the SLA trigger
    hires once the first rate window has been counted."""
    data = support_book(tickets_per_engineer_day=1000.0)
    result = run(parse_scenario(data), seed=1)
    first_weeks = result.timeseries.query("tier == 'all' and period <= 4")
    assert first_weeks.tickets_open.iloc[-1] > first_weeks.tickets_opened.iloc[-1] / 2
    assert requisitions(result).time.min() == 28.0


def test_support_hires_when_mean_first_response_exceeds_its_trigger() -> None:
    data = slow_tickets(sla_breach_share=1.0)
    data["tiers"][0]["sla_response_hours"] = 1000.0
    assert requisitions(run(parse_scenario(data), seed=1)).empty
    data["pools"][-1]["hiring_trigger"]["first_response_hours"] = 2.0
    opened = requisitions(run(parse_scenario(data), seed=1), "support")
    assert not opened.empty and (opened.metric < 0.8).all()


def test_cs_ops_hires_first_at_eight_csms() -> None:
    data = with_hiring(book(), policy="reactive", reactive_delay_days=0.0, lead_time_days=0.0)
    data["pools"][0].update(headcount=7, hiring_trigger={"enabled": False},
                            staffing_plan=[{"month": 1, "headcount": 8}])
    data["pools"].append({"name": "cs_ops", "role": "cs_ops", "annual_cost": 110000,
                          "headcount": 0})
    result = run(parse_scenario(data), seed=1)
    opened = requisitions(result, "cs_ops")
    # The eighth CSM joins on day 30.4; the next review (day 35) opens the first CS Ops hire.
    assert opened.time.tolist() == [35.0]
    assert opened.metric.tolist() == [math.inf]


def cost_pct_with_one_more_csm(leadership: float = 0.0) -> float:
    """11 CSMs, 1 specialist, the tier's default tooling for 130 accounts of $20,000 and any
    leadership cost."""
    tooling = Tier.model_fields["tooling_cost_per_account"].default
    return 100 * (11 * 120000 + 100000 + leadership + 130 * tooling) / (130 * 20000)


def test_budget_cap_blocks_a_requisition_that_would_exceed_it() -> None:
    share = cost_pct_with_one_more_csm()
    blocked = run(parse_scenario(with_hiring(book(), policy="proactive",
                                             budget_cap_pct_arr=share - 0.01)), seed=1)
    assert requisitions(blocked).empty
    events = blocked.events.query("kind == 'hire_blocked'")
    assert events.time.iloc[0] == 0.0 and set(events.pool) == {"csm"}
    np.testing.assert_allclose(events.cost_pct_arr, share)
    allowed = run(parse_scenario(with_hiring(book(), policy="proactive",
                                             budget_cap_pct_arr=share + 0.01)), seed=1)
    assert requisitions(allowed).time.tolist() == [0.0]
    assert allowed.events.query("kind == 'hire_blocked'").empty


def test_budget_cap_counts_the_leadership_layers_of_the_new_csm_headcount() -> None:
    # Derived layers for 11 CSMs: ceil(11 / 4) = 3 team leads and ceil(11 / 8) = 2 managers.
    share = cost_pct_with_one_more_csm(leadership=3 * 140000 + 2 * 170000)
    cap = share - 0.01
    assert cap > cost_pct_with_one_more_csm()
    derived = run(parse_scenario(with_hiring(book(leadership={"derive": True}),
                                             policy="proactive", budget_cap_pct_arr=cap)), seed=1)
    assert requisitions(derived).empty
    np.testing.assert_allclose(derived.events.query("kind == 'hire_blocked'").cost_pct_arr, share)
    plain = run(parse_scenario(with_hiring(book(), policy="proactive",
                                           budget_cap_pct_arr=cap)), seed=1)
    assert requisitions(plain).time.tolist() == [0.0]


def test_budget_cap_counts_the_strategy_costs_running_today() -> None:
    """A change decided at the first review costs $130,000 over 365 days, a year of it running
    when the plan's month-2 requisition is checked: 5 points of ARR on top."""
    strategy = 100 * 130000 / (130 * 20000)
    cap = cost_pct_with_one_more_csm() + strategy / 2
    rule = {"name": "x", "when": {"metric": "customers", "at_least": 0},
            "touch_models": {"book": {"touch_interval_days": 20}},
            "transition": {"design_days": 0, "pilot_days": 365, "rollout_days": 0,
                           "cost": 130000}}
    results = {}
    for label, rules in (("with", [rule]), ("without", [])):
        data = with_hiring(book(strategies={"rules": rules}), budget_cap_pct_arr=cap)
        data["pools"][0]["staffing_plan"] = [{"month": 2, "headcount": 11}]
        results[label] = run(parse_scenario(data), seed=1)
    assert requisitions(results["without"]).time.tolist() == [pytest.approx(2 * MONTH_DAYS)]
    assert requisitions(results["with"]).empty
    blocked = results["with"].events.query("kind == 'hire_blocked'")
    np.testing.assert_allclose(blocked.cost_pct_arr, cost_pct_with_one_more_csm() + strategy)


def test_budget_cap_also_blocks_staffing_plan_requisitions() -> None:
    data = with_hiring(book(), budget_cap_pct_arr=cost_pct_with_one_more_csm() - 0.01)
    data["pools"][0]["staffing_plan"] = [{"month": 1, "headcount": 13}]
    result = run(parse_scenario(data), seed=1)
    assert requisitions(result).empty
    blocked = result.events.query("kind == 'hire_blocked'")
    np.testing.assert_allclose(blocked.time, [MONTH_DAYS])  # the plan stops at the first


def test_fixed_policy_ignores_triggers_and_review_settings(base_scenario: dict) -> None:
    variant = copy.deepcopy(base_scenario)
    variant["hiring"] = {"policy": "fixed", "review_days": 3.0, "trend_window_days": 10.0,
                         "reactive_delay_days": 5.0}
    variant["pools"][0]["hiring_trigger"] = {"accounts_per_csm": 1.0, "max_headcount": 50}
    variant["pools"][1]["hiring_trigger"] = {"backlog_months": 0.01}
    variant["pools"][2]["hiring_trigger"] = {"tickets_per_engineer_day": 0.1}
    default = run(parse_scenario(base_scenario), seed=3)
    fixed = run(parse_scenario(variant), seed=3)
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(fixed, table), getattr(default, table))


def test_same_seed_same_tables_under_a_policy() -> None:
    data = growing_book(policy="proactive", budget_cap_pct_arr=60.0)
    first, second = (run(parse_scenario(data), seed=4) for _ in range(2))
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table))


# (id, change to the `book()` scenario, fragments the one-line error must contain)
BAD_CASES = [
    ("unknown-policy", lambda d: d["hiring"].update(policy="eager"),
     ["hiring.policy = 'eager'", "'fixed', 'proactive' or 'reactive'"]),
    ("negative-threshold", lambda d: d["pools"][0]["hiring_trigger"].update(accounts_per_csm=-1),
     ["pools[0].hiring_trigger.accounts_per_csm = -1", "greater than 0"]),
    ("zero-backlog-months", lambda d: d["pools"][1]["hiring_trigger"].update(backlog_months=0),
     ["pools[1].hiring_trigger.backlog_months = 0"]),
    ("trigger-of-another-role",
     lambda d: d["pools"][1]["hiring_trigger"].update(accounts_per_csm=12),
     ["pools[1].hiring_trigger.accounts_per_csm = 12", "implementation pool has no such",
      "only csm pools"]),
    ("trigger-on-a-leader",
     lambda d: d["pools"].append({"name": "head", "role": "leader", "annual_cost": 200000,
                                  "headcount": 1, "hiring_trigger": {"backlog_months": 3}}),
     ["pools[2].hiring_trigger.backlog_months = 3", "leader pool has no such trigger"]),
    ("max-headcount-on-a-leader",
     lambda d: d["pools"].append({"name": "head", "role": "leader", "annual_cost": 200000,
                                  "headcount": 1, "hiring_trigger": {"max_headcount": 2}}),
     ["pools[2].hiring_trigger.max_headcount = 2", "leader pools have no hiring trigger"]),
    ("max-headcount-below-start",
     lambda d: d["pools"][0]["hiring_trigger"].update(max_headcount=9),
     ["pools[0].hiring_trigger.max_headcount = 9", "starting headcount (10)"]),
    ("unknown-trigger", lambda d: d["pools"][0]["hiring_trigger"].update(hire_at=3),
     ["pools[0].hiring_trigger.hire_at = 3", "Extra inputs"]),
    ("first-cs-ops-at-zero",
     lambda d: d["pools"].append({"name": "ops", "role": "cs_ops", "annual_cost": 1,
                                  "headcount": 0, "hiring_trigger": {"first_cs_ops_at_csms": 0}}),
     ["pools[2].hiring_trigger.first_cs_ops_at_csms = 0"]),
    ("review-every-zero-days", lambda d: d["hiring"].update(review_days=0),
     ["hiring.review_days = 0"]),
    ("negative-delay", lambda d: d["hiring"].update(reactive_delay_days=-5),
     ["hiring.reactive_delay_days = -5"]),
    ("zero-trend-window", lambda d: d["hiring"].update(trend_window_days=0),
     ["hiring.trend_window_days = 0"]),
    ("zero-budget-cap", lambda d: d["hiring"].update(budget_cap_pct_arr=0),
     ["hiring.budget_cap_pct_arr = 0"]),
    ("zero-rate-window", lambda d: d["hiring"].update(rate_window_days=0),
     ["hiring.rate_window_days = 0"]),
    ("nan-rate-window", lambda d: d["hiring"].update(rate_window_days=float("nan")),
     ["hiring.rate_window_days = nan"]),
    ("utilisation-above-one",
     lambda d: d["pools"].append({"name": "help", "role": "support", "skill": "T1",
                                  "annual_cost": 1, "headcount": 1,
                                  "hiring_trigger": {"target_utilisation": 1.5}}),
     ["pools[2].hiring_trigger.target_utilisation = 1.5", "less than or equal to 1"]),
    ("utilisation-on-a-csm-pool",
     lambda d: d["pools"][0]["hiring_trigger"].update(target_utilisation=0.8),
     ["pools[0].hiring_trigger.target_utilisation = 0.8", "only support or renewals pools"]),
    ("zero-breach-share",
     lambda d: d["pools"].append({"name": "help", "role": "support", "skill": "T1",
                                  "annual_cost": 1, "headcount": 1,
                                  "hiring_trigger": {"sla_breach_share": 0}}),
     ["pools[2].hiring_trigger.sla_breach_share = 0"]),
    ("negative-first-response",
     lambda d: d["pools"].append({"name": "help", "role": "support", "skill": "T1",
                                  "annual_cost": 1, "headcount": 1,
                                  "hiring_trigger": {"first_response_hours": -2}}),
     ["pools[2].hiring_trigger.first_response_hours = -2"]),
    ("breach-share-on-renewals",
     lambda d: d["pools"].append({"name": "renew", "role": "renewals", "annual_cost": 1,
                                  "headcount": 1, "hiring_trigger": {"sla_breach_share": 0.1}}),
     ["pools[2].hiring_trigger.sla_breach_share = 0.1", "only support pools"]),
]


@pytest.mark.parametrize(("change", "fragments"), [pytest.param(c, f, id=i)
                                                   for i, c, f in BAD_CASES])
def test_bad_policy_definitions_give_one_clear_line(change, fragments: list[str],
                                                    one_line_error) -> None:
    data = book()
    change(data)
    line = one_line_error(data)
    assert all(fragment in line for fragment in fragments), line
