"""Helpers of the retention tests: an engine cohort with known α, β, written as a history file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.model import run
from sim.scenario.schema import parse_scenario

DAY0 = pd.Timestamp("2020-01-01")


def cohort_scenario(alpha: float, beta: float, customers: float, signing_months: float,
                    horizon_months: int) -> dict:
    """One tech-touch tier, every service effect neutral: churn is exactly sBG(α, β).

    ``customers`` sign per month during the first ``signing_months`` (1: one cohort, observed
    for the whole horizon; the horizon: cohorts of every age, the younger right-censored).
    """
    neutral = {"onboarding_wait_per_month": 1.0, "under_service": 1.0, "sla_breaches": 1.0,
               "csm_change": 1.0, "missed_renewal": 1.0}
    return {
        "name": "cohort", "horizon_months": horizon_months,
        "tiers": [{"name": "all", "acv_min": 0, "acv_max": None,
                   "acv": {"kind": "fixed", "value": 10000}, "touch_model": "tech", "mix": 1.0,
                   "churn": {"alpha": alpha, "beta": beta}, "tickets_per_month": 0,
                   "renewal_change": {"expansion_probability": 0,
                                      "contraction_probability": 0}}],
        "growth": {"arrivals": [{"from_month": 0, "customers_per_month": customers},
                                {"from_month": signing_months, "customers_per_month": 0}]},
        "pools": [{"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
                   "headcount": 1}],
        "service_effects": neutral,
        "onboarding": {"abandonment": {"enabled": False}},
    }


def engine_history(scenario: dict, seed: int, folder: Path) -> tuple[Path, str]:
    """Run the engine; write its customers as an account history. Returns (file, as-of date)."""
    if scenario["growth"]["arrivals"][1]["from_month"] >= scenario["horizon_months"]:
        scenario["growth"]["arrivals"] = scenario["growth"]["arrivals"][:1]
    parsed = parse_scenario(scenario)
    customers = run(parsed, seed).customers
    horizon = parsed.horizon_months * 365.0 / 12

    def dates(days: pd.Series) -> pd.Series:
        return (DAY0 + pd.to_timedelta(days.round(), unit="D")).dt.strftime("%Y-%m-%d")

    churned = customers["churn_day"].notna()
    frame = pd.DataFrame({"start_date": dates(customers["arrival_day"]),
                          "end_date": np.where(churned, dates(customers["churn_day"]), "")})
    path = folder / "history.csv"
    frame.to_csv(path, index=False)
    as_of = (DAY0 + pd.Timedelta(days=int(horizon))).strftime("%Y-%m-%d")
    return path, as_of
