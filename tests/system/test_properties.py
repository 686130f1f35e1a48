"""Property-based checks: random valid scenarios keep the conservation laws; distributions
have the means they claim."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import parse_scenario, run
from sim.core.distributions import Exponential, Fixed, Gamma, LogNormal, Uniform

TOUCH = ("high", "low", "tech")


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    """Small random scenarios: 1-3 tiers, either org model, a few pools, short horizons."""
    n_tiers = draw(st.integers(1, 3))
    edges = sorted(draw(st.lists(st.integers(2, 200), min_size=n_tiers - 1,
                                 max_size=n_tiers - 1, unique=True)))
    bounds = [0, *[edge * 1000 for edge in edges], None]
    mix = np.array(draw(st.lists(st.integers(1, 5), min_size=n_tiers, max_size=n_tiers)), float)
    tiers = []
    for index in range(n_tiers):
        low, high = bounds[index], bounds[index + 1]
        mean = (low + (high if high else low + 100_000)) / 2 or 5_000
        tiers.append({
            "name": f"tier{index}", "acv_min": low, "acv_max": high,
            "acv": {"kind": "lognormal", "mean": mean, "cv": draw(st.floats(0.1, 1.5))},
            "touch_model": draw(st.sampled_from(TOUCH)), "mix": float(mix[index] / mix.sum()),
            "churn": {"alpha": draw(st.floats(0.2, 3)), "beta": draw(st.floats(0.5, 20))},
            "tickets_per_month": draw(st.floats(0, 3)),
            "renewal_change": {"expansion_probability": 0.3, "expansion_mean": 2.0,
                               "contraction_probability": 0.3, "contraction_mean": 0.5},
        })
    org = draw(st.sampled_from(("generalist", "specialist")))
    names = [tier["name"] for tier in tiers]
    pools = [
        {"name": "csm", "role": "csm", "tiers": names, "annual_cost": 120000,
         "headcount": draw(st.integers(0, 4)),
         "staffing_plan": [{"month": 2, "headcount": draw(st.integers(0, 5))}]},
        {"name": "implementation", "role": "implementation", "annual_cost": 100000,
         "headcount": draw(st.integers(0, 2)), "onboarding_slots": draw(st.integers(1, 8))},
        {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
         "headcount": draw(st.integers(0, 3))},
        {"name": "renewals", "role": "renewals", "annual_cost": 100000,
         "headcount": draw(st.integers(0, 2))},
    ]
    return {
        "name": "random", "horizon_months": draw(st.integers(3, 15)), "org_model": org,
        "output_period": draw(st.sampled_from(("monthly", "weekly"))),
        "tiers": tiers, "pools": pools,
        "growth": {"initial_customers": {name: draw(st.integers(0, 30)) for name in names},
                   "initial_backlog": {names[0]: draw(st.integers(0, 5))},
                   "arrivals": [{"from_month": 0, "customers_per_month": draw(st.floats(0, 15))}]},
        "hiring": {"lead_time_days": draw(st.floats(0, 90)), "backfill": draw(st.booleans())},
        "staff": {"base_attrition_per_year": draw(st.floats(0, 1.5)),
                  "burnout_gain_per_week": draw(st.floats(0, 1))},
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_random_scenarios_keep_the_conservation_laws(data: dict, seed: int) -> None:
    result = run(parse_scenario(data), seed)
    series = result.timeseries
    total = series[series.tier == "all"]
    start = sum(data["growth"]["initial_customers"].values()) + sum(
        data["growth"]["initial_backlog"].values())
    signed = start + total.new_customers.cumsum()
    held = (total.onboarding_backlog + total.customers_onboarding + total.customers_active
            + total.churned_customers.cumsum())
    assert (signed == held).all()
    bridge = (series.arr_start + series.arr_new + series.arr_expansion - series.arr_contraction
              - series.arr_churned + series.arr_migration_net)
    assert (bridge == series.arr).all()
    workforce = result.workforce
    assert (workforce.hours_worked <= workforce.hours_available + 1e-6).all()
    assert workforce.burnout_max.dropna().between(0, 1).all()
    again = run(parse_scenario(data), seed)
    pd.testing.assert_frame_equal(result.timeseries, again.timeseries)


SPECS = st.one_of(
    st.builds(Fixed, value=st.floats(0, 1e6)),
    st.builds(Exponential, mean=st.floats(0.01, 1e6)),
    st.builds(LogNormal, mean=st.floats(0.01, 1e6), cv=st.floats(0.05, 1.0)),
    st.builds(Gamma, mean=st.floats(0.01, 1e6), cv=st.floats(0.05, 2.0)),
    st.builds(lambda low, width: Uniform(low=low, high=low + width),
              low=st.floats(0, 1e5), width=st.floats(0.01, 1e5)),
)


@settings(max_examples=60, deadline=None)
@given(spec=SPECS, seed=st.integers(0, 2**32 - 1))
def test_distributions_have_their_analytic_mean(spec, seed: int) -> None:
    size = 20_000
    draws = spec.sample(np.random.default_rng(seed), size)
    assert len(draws) == size and (draws >= 0).all()
    standard_error = draws.std() / math.sqrt(size)
    if standard_error == 0:
        # a constant: the sample mean of n equal floats may differ from it in the last bit
        assert draws.mean() == pytest.approx(spec.mean, rel=1e-12)
    else:
        # 5 standard errors; the cv <= 1 log-normal keeps the sample variance well behaved.
        assert abs(draws.mean() - spec.mean) <= 5 * standard_error + 1e-9 * spec.mean
