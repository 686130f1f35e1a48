"""Directions a CS leader insists on, under common random numbers (issue: service must matter).

Each comparison runs the same customers with the same draws (same seeds) in two variants, so
the paired difference isolates the change. Tolerances come from the replicate count: a direction
must hold beyond twice the standard error of the mean paired difference.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import parse_scenario, run
from sim.experiments.paths import apply_overrides
from sim.outputs.results import RunResult
from sim.scenario.schema import read_yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (1, 2, 3, 4, 5, 6)
CADENCE_GRR_BOUND = 0.01
"""Doubling the cadence of a tier already served beyond its need moves its GRR by less than one
point: extra coverage lowers churn odds by at most under_service ** (b(inf) - 1) (4.7% at the
defaults), under a point of churn at the tier's θ."""


def tier(name: str, acv: float, touch_model: str, mix: float, beta: float, **extra) -> dict:
    return {"name": name, "acv_min": 0, "acv": {"kind": "lognormal", "mean": acv, "cv": 0.3},
            "touch_model": touch_model, "mix": mix, "churn": {"alpha": 1.0, "beta": beta},
            "tickets_per_month": 0.0, "tooling_cost_per_account": 0.0, **extra}


def mixed_book(csms: int, smb_acv: float = 12000.0) -> dict:
    """SMB, mid-market and enterprise on one CSM pool; no tickets, no onboarding queue."""
    tiers = [tier("smb", smb_acv, "low", 0.5, 6.0, human_onboarding_share=0.0),
             tier("mid", 45000, "low", 0.35, 9.0, human_onboarding_share=0.0),
             tier("enterprise", 150000, "high", 0.15, 14.0, human_onboarding_share=0.0)]
    tiers[0]["acv_max"], tiers[1]["acv_min"] = 25000, 25000
    tiers[1]["acv_max"], tiers[2]["acv_min"] = 100000, 100000
    return {
        "name": "mixed_book", "horizon_months": 30,
        "tiers": tiers,
        "growth": {"initial_customers": {"smb": 100, "mid": 70, "enterprise": 30},
                   "arrivals": [{"from_month": 0, "customers_per_month": 4}]},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["smb", "mid", "enterprise"],
                   "annual_cost": 120000, "headcount": csms}],
        "staff": {"base_attrition_per_year": 0.0, "burnout_gain_per_week": 0.0},
    }


def runs(data: dict, overrides: dict | None = None) -> list[RunResult]:
    varied = apply_overrides(data, overrides or {})
    scenario = parse_scenario(varied)
    return [run(scenario, seed) for seed in SEEDS]


def last(result: RunResult, tier_name: str, column: str) -> float:
    rows = result.timeseries[result.timeseries.tier == tier_name]
    return float(rows[column].iloc[-1])


def paired(base: list[RunResult], variant: list[RunResult], tier_name: str,
           column: str) -> tuple[float, float]:
    """Mean paired difference (variant - base) of a tier's last value and its standard error."""
    diff = np.array([last(b, tier_name, column) - last(a, tier_name, column)
                     for a, b in zip(base, variant, strict=True)])
    return float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(len(diff)))


@pytest.mark.statistical
def test_moving_enterprise_to_tech_touch_lowers_its_grr_and_nrr() -> None:
    data = mixed_book(csms=10)
    high = runs(data)
    tech = runs(data, {"tiers.enterprise.touch_model": "tech"})
    for column in ("grr_ttm", "nrr_ttm"):
        mean, error = paired(high, tech, "enterprise", column)
        assert mean + 2 * error < 0, (column, mean, error)
    churned = np.array([churned_from(b, "enterprise") - churned_from(a, "enterprise")
                        for a, b in zip(high, tech, strict=True)])
    assert churned.mean() - 2 * churned.std(ddof=1) / math.sqrt(len(churned)) > 0


def churned_from(result: RunResult, tier_name: str) -> int:
    """Customers that signed in (or started in) a tier and churned at a renewal."""
    customers = result.customers
    return int(((customers.initial_tier == tier_name) & (customers.state == "churned")).sum())


@pytest.mark.statistical
def test_doubling_the_cadence_of_a_5k_tier_costs_more_and_barely_moves_its_grr() -> None:
    data = mixed_book(csms=14, smb_acv=5000.0)
    data["tiers"][0]["touch_interval_days"] = 30.0
    # served exactly at its need (a 2-hour touch a month), so doubling goes beyond it
    data["tiers"][0]["need"] = {"human_hours_per_year": 24.3, "automatable_share": 0.0}
    monthly = runs(data)
    faster = copy.deepcopy(data)
    faster["tiers"][0]["touch_interval_days"] = 15.0
    twice = runs(faster)
    for a, b in zip(monthly, twice, strict=True):
        cost = [r.timeseries.query("tier == 'smb'").cs_cost.sum() for r in (a, b)]
        assert cost[1] > cost[0]
    mean, error = paired(monthly, twice, "smb", "grr_ttm")
    assert abs(mean) < CADENCE_GRR_BOUND + 2 * error, (mean, error)


def regional(delay_hours: float) -> dict:
    data = read_yaml(ROOT / "scenarios" / "org_geographic.yaml")
    assert isinstance(data, dict)
    data["org"]["uncovered_response_delay_hours"] = delay_hours
    return data


def region_outcome(result: RunResult, region: str) -> tuple[float, float, float]:
    """Breach share, churned customers and ARR kept of one region's customers."""
    customers: pd.DataFrame = result.customers[result.customers.region == region]
    breach = customers.sla_breaches.sum() / max(1, customers.tickets.sum())
    churned = float((customers.state == "churned").sum())
    return breach, churned, float(customers.acv[customers.state != "churned"].sum())


@pytest.mark.statistical
def test_a_region_whose_tickets_mostly_breach_retains_worse_than_with_covered_tickets() -> None:
    apac = "apac"
    late = runs(regional(50.0))  # answered two business days late: past every SLA
    covered = runs(regional(0.0))
    outcomes = [(region_outcome(a, apac), region_outcome(b, apac))
                for a, b in zip(late, covered, strict=True)]
    assert np.mean([o[0][0] for o in outcomes]) > 0.5
    assert np.mean([o[1][0] for o in outcomes]) < 0.2
    churned = np.array([o[0][1] - o[1][1] for o in outcomes])
    assert churned.mean() - 2 * churned.std(ddof=1) / math.sqrt(len(churned)) > 0


@pytest.mark.statistical
def test_value_first_touches_miss_fewer_enterprise_touches_than_smb_in_an_overloaded_book(
) -> None:
    data = mixed_book(csms=3)
    for priority in ("value", "least_recent"):
        data["work_priority"] = {"touches": priority}
        shares = {}
        for result in runs(data)[:3]:
            for name, group in result.customers.groupby("tier"):
                due, missed = shares.get(name, (0, 0))
                shares[name] = (due + group.touches_due.sum(), missed + group.touches_missed.sum())
        missed_share = {name: missed / due for name, (due, missed) in shares.items()}
        assert missed_share["smb"] > 0.2  # the book is overloaded
        if priority == "value":
            assert missed_share["enterprise"] < missed_share["smb"] - 0.1
        else:  # the least recently touched first: enterprise's biweekly touches queue behind
            assert missed_share["enterprise"] >= missed_share["smb"] - 0.05


def usage_book() -> dict:
    """One low-touch tier on three stretched CSMs, with the usage signal and triggers on."""
    return {
        "name": "usage_book", "horizon_months": 18,
        "tiers": [tier("mid", 30000, "low", 1.0, 6.0, human_onboarding_share=0.0)],
        "growth": {"initial_customers": {"mid": 200},
                   "arrivals": [{"from_month": 0, "customers_per_month": 4}]},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["mid"], "annual_cost": 120000,
                   "headcount": 3}],
        "staff": {"base_attrition_per_year": 0.0, "burnout_gain_per_week": 0.0},
        "triggers": {"enabled": True},
    }


def dropping_missed_share(priority: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per seed: share of touches missed by the accounts whose usage ended below half its
    healthy level, and by all accounts."""
    data = usage_book()
    data["work_priority"] = priority
    dropping, overall = [], []
    for result in runs(data):
        customers = result.customers
        fallen = customers[customers.usage < 0.5]
        dropping.append(fallen.touches_missed.sum() / fallen.touches_due.sum())
        overall.append(customers.touches_missed.sum() / customers.touches_due.sum())
    return np.array(dropping), np.array(overall)


@pytest.mark.statistical
def test_risk_first_touches_spare_the_accounts_whose_usage_fell() -> None:
    """The usage walk does not depend on service, so the same accounts fall in every variant."""
    risk, overall = dropping_missed_share({"touches": "risk"})
    assert overall.mean() > 0.1  # the book is overloaded
    for other in ({"touches": "least_recent"}, {"touches": "risk", "usage_drop_weight": 0.0}):
        baseline, _ = dropping_missed_share(other)
        gain = baseline - risk
        assert gain.mean() - 2 * gain.std(ddof=1) / math.sqrt(len(gain)) > 0, other


def activity_book() -> dict:
    """Tier A uses CSMs and support; tier B is tech-touch, raises no tickets, costs nothing else."""
    data = mixed_book(csms=4)
    data["tiers"] = [tier("a", 40000, "low", 0.5, 9.0, tickets_per_month=1.0, acv_max=20000),
                     tier("b", 8000, "tech", 0.5, 6.0)]
    data["tiers"][0]["acv_min"], data["tiers"][0]["acv_max"] = 20000, None
    data["tiers"][1]["acv_max"] = 20000
    data["growth"] = {"initial_customers": {"a": 60, "b": 200},
                      "arrivals": [{"from_month": 0, "customers_per_month": 6}]}
    data["pools"] = [
        {"name": "csm", "role": "csm", "tiers": ["a"], "annual_cost": 120000, "headcount": 2},
        {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
         "headcount": 2},
        {"name": "cs_ops", "role": "cs_ops", "annual_cost": 110000, "headcount": 1},
        {"name": "head", "role": "leader", "annual_cost": 200000, "headcount": 1}]
    return data


def test_activity_cost_sums_to_the_staff_cost_and_spares_a_tier_that_uses_no_support() -> None:
    result = run(parse_scenario(activity_book()), seed=3)
    series, workforce = result.timeseries, result.workforce
    by_tier = series[series.tier != "all"].pivot(index="period", columns="tier",
                                                 values="cs_cost")
    staff = workforce.groupby("period").cost.sum()
    assert np.allclose(by_tier.sum(axis=1), staff.loc[by_tier.index], rtol=1e-12, atol=1e-6)
    assert (by_tier["b"] == 0).all()
    assert (by_tier["a"] > 0).all()


def support_book(priority: str) -> dict:
    """Two tiers raising tickets at the same rate on one stretched support engineer."""
    data = activity_book()
    data["tiers"][0].update(sla_response_hours=8.0)
    data["tiers"][1].update(tickets_per_month=1.0, sla_response_hours=48.0)
    data["pools"] = [pool for pool in data["pools"] if pool["role"] != "cs_ops"]
    data["pools"][1]["headcount"] = 2
    data["horizon_months"] = 12
    data["work_priority"] = {"support": priority}
    return data


def test_tier_priority_support_breaches_the_tight_sla_less_than_first_come_first_served() -> None:
    shares = {}
    for priority in ("fcfs", "tier"):
        tickets = breaches = 0
        for seed in (1, 2):
            customers = run(parse_scenario(support_book(priority)), seed=seed).customers
            tight = customers[customers.tier == "a"]
            tickets += tight.tickets.sum()
            breaches += tight.sla_breaches.sum()
        shares[priority] = breaches / tickets
    assert shares["fcfs"] > 0.2  # the desk is stretched
    assert shares["tier"] < shares["fcfs"] - 0.1
