"""Conservation laws that hold in every period of every run.

No customer appears or vanishes between the tables, the ARR bridge closes to the dollar, the
tier rows add up to the ``all`` row, nobody works more hours than they have, and the customer
and event tables tell the same story as the time series. Each law is checked on a generalist
and a specialist organisation with three tiers (tech < $10K, low $10K-$100K, high $100K+),
renewals large enough to move customers across both band edges, burnout and attrition on,
support tickets, and an onboarding backlog that builds over the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from sim import RunResult, Scenario, parse_scenario, run
from sim.core import counters

SEEDS = (1, 2, 3)
COUNTED = tuple(name for name in counters.names("tier", "count")
                if not name.startswith("arr_migration_"))
"""The per-tier counters the time series shows as they are (the registry's ``count`` ones; the
migration flows are shown netted)."""
INTEGER_ADDITIVE = (
    "customers_active", "customers_onboarding", "onboarding_backlog", "customers_total",
    "arr_start", "arr_migration_net", "arr", "tickets_open", *COUNTED,
)
FLOAT_ADDITIVE = ("onboarding_backlog_mean", "cs_cost")
ARR_COLUMNS = ("arr_start", "arr_new", "arr_expansion", "arr_contraction", "arr_churned",
               "arr_migration_net", "arr")
SHARE_TOLERANCE = 1e-9
"""Floating-point slack on shares: touch scheduling lets worked hours reach available + 1e-9."""


def _renewal_change() -> dict:
    """Renewals that often cross a band edge: +150% expansions and -50% contractions."""
    return {"expansion_probability": 0.45, "expansion_mean": 1.5, "expansion_cv": 0.8,
            "contraction_probability": 0.25, "contraction_mean": 0.5, "contraction_cv": 0.5}


def _tiers() -> list[dict]:
    change = _renewal_change()
    return [
        {"name": "tech", "acv_min": 0, "acv_max": 10000,
         "acv": {"kind": "lognormal", "mean": 6000, "cv": 0.4}, "touch_model": "tech",
         "mix": 0.5, "churn": {"alpha": 1.0, "beta": 4.0}, "human_onboarding_share": 0.3,
         "renewal_change": change, "tickets_per_month": 0.6},
        {"name": "low", "acv_min": 10000, "acv_max": 100000,
         "acv": {"kind": "lognormal", "mean": 40000, "cv": 0.6}, "touch_model": "low",
         "mix": 0.35, "churn": {"alpha": 1.0, "beta": 6.0}, "renewal_change": change,
         "tickets_per_month": 0.8},
        {"name": "high", "acv_min": 100000, "acv_max": None,
         "acv": {"kind": "lognormal", "mean": 160000, "cv": 0.4}, "touch_model": "high",
         "mix": 0.15, "churn": {"alpha": 1.0, "beta": 9.0}, "renewal_change": change,
         "tickets_per_month": 1.0},
    ]


def _common(name: str, org_model: str, pools: list[dict]) -> dict:
    return {
        "name": name, "horizon_months": 18, "org_model": org_model, "tiers": _tiers(),
        "growth": {"initial_customers": {"tech": 120, "low": 70, "high": 20},
                   "initial_backlog": {"tech": 4, "low": 6, "high": 3},
                   "arrivals": [{"from_month": 0, "customers_per_month": 12},
                                {"from_month": 9, "customers_per_month": 18}]},
        "pools": pools,
        "hiring": {"lead_time_days": 30, "ramp_days": 60},
        "staff": {"base_attrition_per_year": 0.5, "burnout_gain_per_week": 0.4},
    }


def generalist_scenario() -> dict:
    """CSMs onboard and renew their own tiers; an implementation team onboards tech customers."""
    return _common("invariants_generalist", "generalist", [
        {"name": "csm_low", "role": "csm", "tiers": ["low"], "annual_cost": 110000,
         "headcount": 2, "staffing_plan": [{"month": 3, "headcount": 3}]},
        {"name": "csm_high", "role": "csm", "tiers": ["high"], "annual_cost": 150000,
         "headcount": 2},
        {"name": "implementation", "role": "implementation", "annual_cost": 100000,
         "headcount": 1, "onboarding_slots": 4},
        {"name": "support_t1", "role": "support", "skill": "T1", "annual_cost": 80000,
         "headcount": 1},
        {"name": "support_t3", "role": "support", "skill": "T3", "annual_cost": 100000,
         "headcount": 1},
        {"name": "leader", "role": "leader", "annual_cost": 200000, "headcount": 1},
    ])


def specialist_scenario() -> dict:
    """Implementation specialists onboard, renewals specialists renew, CSMs only touch."""
    return _common("invariants_specialist", "specialist", [
        {"name": "csm_low", "role": "csm", "tiers": ["low"], "annual_cost": 110000,
         "headcount": 2},
        {"name": "csm_high", "role": "csm", "tiers": ["high"], "annual_cost": 150000,
         "headcount": 2},
        {"name": "implementation", "role": "implementation", "annual_cost": 110000,
         "headcount": 1, "onboarding_slots": 8, "staffing_plan": [{"month": 6, "headcount": 2}]},
        {"name": "renewals", "role": "renewals", "annual_cost": 100000, "headcount": 1},
        {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
         "headcount": 1},
        {"name": "cs_ops", "role": "cs_ops", "annual_cost": 100000, "headcount": 1},
    ])


SCENARIOS = {"generalist": generalist_scenario, "specialist": specialist_scenario}


@dataclass(frozen=True)
class Case:
    """One simulated run with the dict and the scenario it came from."""

    data: dict
    scenario: Scenario
    result: RunResult

    @property
    def tier_names(self) -> list[str]:
        return [tier.name for tier in self.scenario.tiers]

    def total(self) -> pd.DataFrame:
        """The ``all`` rows of the time series, indexed by period."""
        timeseries = self.result.timeseries
        return timeseries[timeseries["tier"] == "all"].set_index("period")

    def tier(self, name: str) -> pd.DataFrame:
        timeseries = self.result.timeseries
        return timeseries[timeseries["tier"] == name].set_index("period")

    def initial_customers(self) -> int:
        growth = self.data["growth"]
        return sum(growth["initial_customers"].values()) + sum(growth["initial_backlog"].values())


@pytest.fixture(scope="module", params=[(kind, seed) for kind in SCENARIOS for seed in SEEDS],
                ids=lambda param: f"{param[0]}-seed{param[1]}")
def case(request: pytest.FixtureRequest) -> Case:
    kind, seed = request.param
    data = SCENARIOS[kind]()
    scenario = parse_scenario(data)
    return Case(data, scenario, run(scenario, seed))


def test_the_scenarios_exercise_what_the_laws_are_about(case: Case) -> None:
    """Guard against vacuous laws: migrations both ways, churn, departures, tickets, backlog."""
    total = case.total()
    migrations = case.result.events.query("kind == 'migration'")
    rank = {name: index for index, name in enumerate(case.tier_names)}
    new_rank, old_rank = migrations["tier"].map(rank), migrations["from_tier"].map(rank)
    assert (new_rank > old_rank).sum() > 0, "no customer moved up a tier"
    assert (new_rank < old_rank).sum() > 0, "no customer moved down a tier"
    assert total["churned_customers"].sum() > 0
    assert case.result.workforce["departures"].sum() > 0
    assert case.result.workforce["burnout_max"].max() > 0
    assert total["tickets_opened"].sum() > 0
    assert total["onboarding_backlog"].iloc[-1] > total["onboarding_backlog"].iloc[0]


# (a) customers ------------------------------------------------------------------------------

def test_customers_are_conserved_every_period(case: Case) -> None:
    """Initial book + initial backlog + signed so far = waiting + onboarding + live + churned."""
    total = case.total()
    came = case.initial_customers() + total["new_customers"].cumsum()
    are = (total["onboarding_backlog"] + total["customers_onboarding"]
           + total["customers_active"] + total["churned_customers"].cumsum())
    pd.testing.assert_series_equal(came, are, check_names=False)


# (b) ARR bridge ------------------------------------------------------------------------------

@pytest.mark.parametrize("tier", ["tech", "low", "high", "all"])
def test_arr_bridge_closes_exactly(case: Case, tier: str) -> None:
    """Start + new + expansion - contraction - churned + net migration = end, to the dollar."""
    rows = case.tier(tier)
    for name in ARR_COLUMNS:
        assert pd.api.types.is_integer_dtype(rows[name]), name
    bridge = (rows["arr_start"] + rows["arr_new"] + rows["arr_expansion"]
              - rows["arr_contraction"] - rows["arr_churned"] + rows["arr_migration_net"])
    pd.testing.assert_series_equal(bridge, rows["arr"], check_names=False)


@pytest.mark.parametrize("tier", ["tech", "low", "high", "all"])
def test_period_starts_with_the_previous_periods_arr(case: Case, tier: str) -> None:
    """Each period opens where the last one closed; the first opens with the day-0 book."""
    rows = case.tier(tier)
    customers = case.result.customers
    on_day_zero = customers[customers["arrival_day"] == 0]
    if tier != "all":
        on_day_zero = on_day_zero[on_day_zero["initial_tier"] == tier]
    assert rows["arr_start"].iloc[0] == on_day_zero["acv_initial"].sum()
    assert (rows["arr_start"].to_numpy()[1:] == rows["arr"].to_numpy()[:-1]).all()


# (c) tiers add up ----------------------------------------------------------------------------

def test_tier_rows_add_up_to_the_all_row(case: Case) -> None:
    timeseries = case.result.timeseries
    by_tier = timeseries[timeseries["tier"] != "all"].groupby("period")
    total = case.total()
    summed = by_tier[list(INTEGER_ADDITIVE)].sum()
    pd.testing.assert_frame_equal(summed, total[list(INTEGER_ADDITIVE)], check_dtype=False)
    summed = by_tier[list(FLOAT_ADDITIVE)].sum()
    pd.testing.assert_frame_equal(summed, total[list(FLOAT_ADDITIVE)], rtol=1e-9)


def test_migrations_leave_one_tier_for_another(case: Case) -> None:
    total = case.total()
    assert (total["migrations_in"] == total["migrations_out"]).all()
    assert (total["arr_migration_net"] == 0).all()


# (d) workforce ------------------------------------------------------------------------------

def test_nobody_works_more_hours_than_available(case: Case) -> None:
    workforce = case.result.workforce
    over = workforce[workforce["hours_worked"] > workforce["hours_available"] + 1e-6]
    assert over.empty, over[["period", "pool", "hours_worked", "hours_available"]]


@pytest.mark.parametrize("column", ["utilisation_mean", "utilisation_max", "burnout_mean",
                                    "burnout_max"])
def test_utilisation_and_burnout_are_shares(case: Case, column: str) -> None:
    values = case.result.workforce[column].dropna()
    assert values.between(0.0, 1.0 + SHARE_TOLERANCE).all(), values.describe()


def test_headcount_moves_by_hires_departures_and_transfers(case: Case) -> None:
    workforce = case.result.workforce
    for pool in case.scenario.pools:
        rows = workforce[workforce["pool"] == pool.name].set_index("period")
        before = rows["headcount"].shift(1, fill_value=pool.headcount)
        change = rows["headcount"] - before
        moved = (rows["hires"] - rows["departures"]
                 + rows["transfers_in"] - rows["transfers_out"])
        pd.testing.assert_series_equal(change, moved, check_names=False, obj=pool.name)


def test_workforce_counts_match_hire_and_departure_events(case: Case) -> None:
    events, workforce = case.result.events, case.result.workforce
    for kind, column in (("hire", "hires"), ("departure", "departures")):
        logged = events[events["kind"] == kind].groupby("pool").size()
        counted = workforce.groupby("pool")[column].sum()
        assert (logged.reindex(counted.index, fill_value=0) == counted).all(), kind


# (e) customers table --------------------------------------------------------------------------

def test_customer_states_agree_with_their_timestamps(case: Case) -> None:
    customers = case.result.customers
    state = customers["state"]
    assert ((state == "churned") == customers["churn_day"].notna()).all()
    assert customers.loc[state == "active", "golive_day"].notna().all()
    assert customers.loc[state == "onboarding", "onboarding_start_day"].notna().all()
    assert customers.loc[state == "waiting", "golive_day"].isna().all()
    abandoned = customers[customers["abandoned"]]
    assert (abandoned["state"] == "churned").all()
    assert abandoned["golive_day"].isna().all()


def test_only_a_departure_sends_a_started_onboarding_back_to_the_queue(case: Case) -> None:
    """A waiting customer with a start day was handed back when its onboarder left."""
    customers = case.result.customers
    handed_back = customers[(customers["state"] == "waiting")
                            & customers["onboarding_start_day"].notna()]
    departures = case.result.events.query("kind == 'departure'")["time"]
    for row in handed_back.itertuples():
        assert (departures >= row.onboarding_start_day).any(), row.customer


def test_onboarding_never_starts_before_signature(case: Case) -> None:
    customers = case.result.customers
    started = customers.dropna(subset=["onboarding_start_day"])
    assert (started["wait_days"] >= 0).all()
    assert (started["onboarding_start_day"] >= started["arrival_day"]).all()
    np.testing.assert_array_equal(started["wait_days"],
                                  started["onboarding_start_day"] - started["arrival_day"])
    live = started.dropna(subset=["golive_day"])
    assert (live["golive_day"] >= live["onboarding_start_day"]).all()


def test_every_customer_sits_in_the_band_of_its_acv(case: Case) -> None:
    customers = case.result.customers
    assert (customers["acv"] > 0).all()
    assert (customers["acv_initial"] > 0).all()
    bands = {tier.name: (tier.acv_min, tier.acv_max or np.inf) for tier in case.scenario.tiers}
    low = customers["tier"].map(lambda name: bands[name][0])
    high = customers["tier"].map(lambda name: bands[name][1])
    outside = customers[(customers["acv"] < low) | (customers["acv"] >= high)]
    assert outside.empty, outside[["customer", "tier", "acv"]]
    assert (customers["tier"] != customers["initial_tier"]).any()


def test_final_states_match_the_last_period(case: Case) -> None:
    customers = case.result.customers
    for tier in case.tier_names:
        last = case.tier(tier).iloc[-1]
        mine = customers[customers["tier"] == tier]["state"].value_counts()
        assert mine.get("waiting", 0) == last["onboarding_backlog"]
        assert mine.get("onboarding", 0) == last["customers_onboarding"]
        assert mine.get("active", 0) == last["customers_active"]
    total = case.total()
    assert (customers["state"] == "churned").sum() == total["churned_customers"].sum()
    assert customers["abandoned"].sum() == total["abandoned_customers"].sum()


@pytest.mark.parametrize(("customer_column", "series_column"), [
    ("touches_due", "touches_due"), ("touches_missed", "touches_missed"),
    ("tickets", "tickets_opened"), ("sla_breaches", "sla_breaches"),
    ("csm_changes", "csm_changes"), ("renewals_missed", "renewals_missed"),
])
def test_customer_tallies_add_up_to_the_time_series(case: Case, customer_column: str,
                                                    series_column: str) -> None:
    assert case.result.customers[customer_column].sum() == case.total()[series_column].sum()


# (f) events ---------------------------------------------------------------------------------

def test_every_human_go_live_follows_an_onboarding_start(case: Case) -> None:
    events, customers = case.result.events, case.result.customers
    went_live = set(events.loc[events["kind"] == "go_live", "customer"])
    started = set(events.loc[events["kind"] == "onboarding_start", "customer"])
    human = set(customers.loc[customers["human_onboarding"], "customer"])
    initial = set(customers.loc[customers["initial_book"], "customer"])
    assert not went_live & initial, "the initial book is live from day 0"
    assert went_live & human <= started
    assert went_live - human, "no self-serve go-live to check"


def test_churn_and_abandon_events_count_the_churned_customers(case: Case) -> None:
    events = case.result.events
    left = events[events["kind"].isin(["churn", "abandon"])]
    assert len(left) == case.total()["churned_customers"].sum()
    assert left["customer"].is_unique


@pytest.mark.parametrize(("kind", "column"), [
    ("arrival", "new_customers"), ("onboarding_start", "onboarding_starts"),
    ("go_live", "go_lives"), ("abandon", "abandoned_customers"),
    ("migration", "migrations_in"), ("csm_change", "csm_changes"),
    ("renewal_missed", "renewals_missed"),
])
def test_events_per_period_match_the_counters(case: Case, kind: str, column: str) -> None:
    total = case.total()
    events = case.result.events
    times = events.loc[events["kind"] == kind, "time"].to_numpy()
    period = np.searchsorted(total["day"].to_numpy(), times, side="left") + 1
    logged = pd.Series(period).value_counts().reindex(total.index, fill_value=0)
    assert (logged.to_numpy() == total[column].to_numpy()).all()


# A customer who finds a free onboarding slot ------------------------------------------------

def _instant_onboarding_scenario() -> dict:
    """One tier, no tickets, far more onboarding slots than customers: nobody queues."""
    return {
        "name": "instant_onboarding", "horizon_months": 1, "org_model": "specialist",
        "tiers": [{"name": "only", "acv_min": 0, "acv_max": None,
                   "acv": {"kind": "fixed", "value": 20000}, "touch_model": "tech", "mix": 1.0,
                   "churn": {"alpha": 1.0, "beta": 9.0}, "tickets_per_month": 0.0,
                   "human_onboarding_share": 1.0}],
        "growth": {"arrivals": [{"from_month": 0, "customers_per_month": 60}]},
        "pools": [{"name": "implementation", "role": "implementation", "annual_cost": 100000,
                   "headcount": 1, "onboarding_slots": 200}],
    }


def test_a_customer_served_on_signature_waits_no_time() -> None:
    """With a free slot, onboarding starts on the signature day: the wait is zero, not negative."""
    scenario = parse_scenario(_instant_onboarding_scenario())
    negative = []
    for seed in range(5):
        result = run(scenario, seed)
        customers = result.customers
        assert customers["onboarding_start_day"].notna().all(), "somebody queued"
        early = customers[(customers["wait_days"] < 0)
                          | (customers["onboarding_start_day"] < customers["arrival_day"])]
        starts = result.events.query("kind == 'onboarding_start'")
        negative += [(seed, row.customer, row.arrival_day, row.onboarding_start_day, row.wait_days)
                     for row in early.itertuples()]
        negative += [(seed, row.customer, "event wait_days", row.wait_days)
                     for row in starts[starts["wait_days"] < 0].itertuples()]
    assert not negative, negative
