"""The engine against queueing and retention theory.

Tolerances come from the sample: a replication-means confidence interval for the queue, a
binomial standard error for survival. Nothing here compares with numbers the code printed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special, stats
from theory_support import NEUTRAL, STEADY_STAFF, erlang_c, onboarding_only

from sim import parse_scenario, run
from sim.core.streams import Streams
from sim.customers.book import _draw_signings


@pytest.mark.statistical
def test_onboarding_queue_matches_erlang_c_and_littles_law() -> None:
    slots, mean_days, months, warmup, replications = 4, 20.0, 120, 365.0, 30
    arrival_rate = 0.8 * slots / mean_days  # per day: utilisation 0.8
    scenario = parse_scenario(onboarding_only(slots, mean_days, arrival_rate * 365 / 12, months))
    horizon = months * 365 / 12
    waits, delayed, backlog, little = [], [], [], []
    for seed in range(replications):
        result = run(scenario, seed)
        customers = result.customers
        window = customers[(customers.arrival_day > warmup)
                           & (customers.arrival_day < horizon - 180)]
        assert window.wait_days.notna().all()
        waits.append(window.wait_days.mean())
        delayed.append((window.wait_days > 0).mean())
        series = result.timeseries[(result.timeseries.tier == "all")
                                   & (result.timeseries.day > warmup + 1)]
        backlog.append(np.average(series.onboarding_backlog_mean, weights=series.period_days))
        observed_rate = len(window) / (horizon - 180 - warmup)
        little.append(backlog[-1] / (observed_rate * waits[-1]))
    load = arrival_rate * mean_days
    p_wait = erlang_c(slots, load)
    mean_wait = p_wait / (slots / mean_days - arrival_rate)
    t = stats.t.ppf(0.999, replications - 1)
    for sample, theory in ((waits, mean_wait), (delayed, p_wait),
                           (backlog, arrival_rate * mean_wait)):
        half_width = t * np.std(sample, ddof=1) / math.sqrt(replications)
        assert abs(np.mean(sample) - theory) <= half_width, (np.mean(sample), theory, half_width)
    half_width = t * np.std(little, ddof=1) / math.sqrt(replications)
    assert abs(np.mean(little) - 1.0) <= half_width


def cohort(alpha: float, beta: float, size: int) -> dict:
    return {
        "name": "cohort", "horizon_months": 96,
        "tiers": [{"name": "book", "acv_min": 0, "acv": {"kind": "fixed", "value": 10000},
                   "touch_model": "tech", "mix": 1.0, "tickets_per_month": 0.0,
                   "human_onboarding_share": 0.0, "churn": {"alpha": alpha, "beta": beta},
                   "renewal_change": {"expansion_probability": 0.0,
                                      "contraction_probability": 0.0}}],
        "growth": {"initial_customers": {"book": size}, "initial_tenure_years_max": 0},
        "pools": [{"name": "leader", "role": "leader", "annual_cost": 200000, "headcount": 1}],
        "staff": STEADY_STAFF, "service_effects": NEUTRAL,
    }


@pytest.mark.statistical
@pytest.mark.parametrize(("alpha", "beta"), [(0.704, 1.182), (0.668, 3.806)])
def test_neutral_service_reduces_to_shifted_beta_geometric(alpha: float, beta: float) -> None:
    size = 20000
    customers = run(parse_scenario(cohort(alpha, beta, size)), seed=7).customers
    assert len(customers) == size
    for renewals in range(1, 8):
        theory = math.exp(special.betaln(alpha, beta + renewals) - special.betaln(alpha, beta))
        observed = (customers.renewals >= renewals).mean()
        standard_error = math.sqrt(theory * (1 - theory) / size)
        assert abs(observed - theory) <= 4 * standard_error, (renewals, observed, theory)


def tenured_book(alpha: float, beta: float, size: int, tenure_max: int) -> dict:
    """An initial book only, whose customers have already renewed 0 to ``tenure_max`` times."""
    scenario = cohort(alpha, beta, size)
    scenario["horizon_months"] = 61  # every customer's 5th renewal falls before the end
    scenario["growth"]["initial_tenure_years_max"] = tenure_max
    return scenario


def test_an_initial_book_of_mixed_tenure_keeps_the_sbg_conditional_survival() -> None:
    """A customer that has already survived t renewals has θ ~ Beta(α, β + t) (the sBG posterior),
    so it survives its next n renewals with probability B(α, β + t + n) / B(α, β + t).

    Each customer's tenure is the run's own draw, read back from its ``arrivals`` stream.
    """
    alpha, beta, size, tenure_max, seed = 0.704, 1.182, 10000, 4, 5
    scenario = parse_scenario(tenured_book(alpha, beta, size, tenure_max))
    customers = run(scenario, seed=seed).customers
    tenure = _draw_signings(scenario, Streams(seed)["arrivals"]).tenure
    assert len(customers) == len(tenure) == size
    assert set(np.unique(tenure)) == set(range(tenure_max + 1))
    renewals = customers.renewals.to_numpy()
    for years in range(tenure_max + 1):
        group = renewals[tenure == years]
        for renewed in range(1, 6):
            theory = math.exp(special.betaln(alpha, beta + years + renewed)
                              - special.betaln(alpha, beta + years))
            observed = (group >= renewed).mean()
            standard_error = math.sqrt(theory * (1 - theory) / len(group))
            assert abs(observed - theory) <= 4 * standard_error, (years, renewed, observed,
                                                                  theory)


def no_onboarders(per_month: float, shape: float, scale_days: float) -> dict:
    scenario = onboarding_only(4, 20.0, per_month, 24)
    scenario["pools"][0]["headcount"] = 0
    scenario["onboarding"]["abandonment"] = {"shape": shape, "scale_days": scale_days}
    return scenario


@pytest.mark.statistical
def test_abandonment_follows_the_weibull_patience() -> None:
    """Nobody onboards, so every customer waits until its patience runs out (or the run ends)."""
    shape, scale = 2.0, 120.0
    customers = run(parse_scenario(no_onboarders(200.0, shape, scale)), seed=11).customers
    horizon = 24 * 365 / 12
    for wait in (30.0, 90.0, 180.0, 300.0):
        exposed = customers[customers.arrival_day < horizon - wait]
        left = (exposed.churn_day - exposed.arrival_day <= wait) & exposed.abandoned
        theory = 1 - math.exp(-((wait / scale) ** shape))
        standard_error = math.sqrt(theory * (1 - theory) / len(exposed))
        assert abs(left.mean() - theory) <= 4 * standard_error, (wait, left.mean(), theory)


def ticket_book(rate: float) -> dict:
    return {
        "name": "tickets", "horizon_months": 12,
        "tiers": [{"name": "book", "acv_min": 0, "acv_max": 1e9,
                   "acv": {"kind": "fixed", "value": 10000},
                   "touch_model": "tech", "mix": 1.0, "tickets_per_month": rate,
                   "human_onboarding_share": 0.0, "churn": {"alpha": 1.0, "beta": 1e6},
                   "complexity_mix": {"low": 0.3, "medium": 0.5, "high": 0.2}},
                  {"name": "big", "acv_min": 1e9, "acv": {"kind": "fixed", "value": 2e9},
                   "touch_model": "tech", "mix": 0.0, "tickets_per_month": 4 * rate,
                   "human_onboarding_share": 0.0,
                   "churn": {"alpha": 1.0, "beta": 9.0}}],
        "growth": {"initial_customers": {"book": 3000}},
        "pools": [{"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
                   "headcount": 30}],
        "staff": STEADY_STAFF, "service_effects": NEUTRAL,
    }


@pytest.mark.statistical
def test_ticket_arrivals_match_the_tier_rate_after_thinning() -> None:
    """Candidates are drawn at the highest tier rate (4x here) and thinned to the book's rate:
    tickets per customer-month must match rate x mean complexity multiplier (Poisson error)."""
    rate = 0.5
    result = run(parse_scenario(ticket_book(rate)), seed=12)
    series = result.timeseries[result.timeseries.tier == "book"]
    customer_months = (series.customers_active * series.period_days / (365 / 12)).sum()
    multiplier = 0.3 * 0.5 + 0.5 * 1.0 + 0.2 * 2.0
    expected = rate * multiplier * customer_months
    observed = series.tickets_opened.sum()
    # Poisson variance, inflated for the spread of customers' complexity multipliers.
    spread = 0.3 * 0.5**2 + 0.5 * 1.0 + 0.2 * 2.0**2
    standard_error = math.sqrt(expected + (rate * 12) ** 2 * 3000 * (spread - multiplier**2))
    assert abs(observed - expected) <= 4 * standard_error, (observed, expected)


def self_serve_signings(per_month: float) -> dict:
    """Tech-touch customers who onboard themselves; only the onboarding-wait effect is on."""
    scenario = cohort(1.0, 9.0, 0)
    scenario["horizon_months"] = 16
    scenario["growth"] = {"arrivals": [{"from_month": 0, "customers_per_month": per_month},
                                       {"from_month": 3, "customers_per_month": 0.0}]}
    scenario["service_effects"] = {**NEUTRAL, "onboarding_wait_per_month": 1.15}
    return scenario


@pytest.mark.statistical
def test_self_serve_customers_churn_at_the_sbg_rate_at_their_first_renewal() -> None:
    """A customer that never queues for a human bears no onboarding-wait penalty (E[θ] = 0.1)."""
    result = run(parse_scenario(self_serve_signings(1500.0)), seed=3)
    customers = result.customers
    renewed_or_churned = customers[customers.arrival_day + 365 < 16 * 365 / 12]
    churned = (renewed_or_churned.renewals == 0) & renewed_or_churned.churn_day.notna()
    theory, size = 1.0 / (1.0 + 9.0), len(renewed_or_churned)
    assert size > 3000
    standard_error = math.sqrt(theory * (1 - theory) / size)
    assert abs(churned.mean() - theory) <= 4 * standard_error, (churned.mean(), theory)
    assert (result.timeseries.onboarding_backlog == 0).all()


@pytest.mark.statistical
def test_a_customer_still_queued_at_its_first_renewal_bears_a_year_of_waiting() -> None:
    """Nobody onboards: each customer waits its whole first year, so its odds rise 1.15^12."""
    scenario = onboarding_only(1, 20.0, 600.0, 15)
    scenario["pools"][0]["headcount"] = 0
    scenario["onboarding"]["abandonment"] = {"enabled": False}
    scenario["service_effects"] = {**NEUTRAL, "onboarding_wait_per_month": 1.15}
    scenario["growth"]["arrivals"].append({"from_month": 2, "customers_per_month": 0.0})
    customers = run(parse_scenario(scenario), seed=5).customers
    factor = 1.15**12
    alpha, beta = 1.0, 5.0
    theory = integrate.quad(lambda theta: theta * factor / (1 + theta * (factor - 1))
                            * stats.beta.pdf(theta, alpha, beta), 0, 1)[0]
    size = len(customers)
    churned = customers.churn_day.notna().mean()
    standard_error = math.sqrt(theory * (1 - theory) / size)
    assert abs(churned - theory) <= 4 * standard_error, (churned, theory, size)
