"""The M/M/c onboarding-only scenario and Erlang C, shared by the theory and optimisation tests."""

from __future__ import annotations

import math

from sim.scenario.service import NEUTRAL_EFFECTS

NEUTRAL = dict(NEUTRAL_EFFECTS)
STEADY_STAFF = {"burnout_gain_per_week": 0.0, "base_attrition_per_year": 0.0}


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (offered load a = λ/μ)."""
    top = offered_load**servers / math.factorial(servers) * servers / (servers - offered_load)
    bottom = sum(offered_load**k / math.factorial(k) for k in range(servers)) + top
    return top / bottom


def onboarding_only(slots: int, mean_days: float, per_month: float, months: int) -> dict:
    exponential = {"kind": "exponential", "mean": mean_days}
    return {
        "name": "mmc", "horizon_months": months, "org_model": "specialist",
        "tiers": [{"name": "all_customers", "acv_min": 0, "acv": {"kind": "fixed", "value": 5000},
                   "touch_model": "tech", "mix": 1.0, "tickets_per_month": 0.0,
                   "human_onboarding_share": 1.0, "churn": {"alpha": 1.0, "beta": 5.0}}],
        "growth": {"arrivals": [{"from_month": 0, "customers_per_month": per_month}]},
        "pools": [{"name": "implementation", "role": "implementation", "annual_cost": 100000,
                   "headcount": 1, "onboarding_slots": slots}],
        "onboarding": {"durations": {"low": exponential, "medium": exponential,
                                     "high": exponential},
                       "abandonment": {"enabled": False}},
        "staff": STEADY_STAFF, "service_effects": NEUTRAL,
    }
