"""The renewal decision's churn formula: service effects multiply the odds of churning.

A customer with latent churn probability θ whose service-effect factors multiply to F churns
with probability θF / (1 + θ(F − 1)): its odds θ / (1 − θ) are multiplied by F exactly, so
F = 1 leaves the shifted-beta-geometric model untouched and no F pushes the probability past 1.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.customers.renewal import churn_probability


def test_doubling_the_odds_of_a_one_in_five_churner_gives_one_in_three() -> None:
    """Odds 1:4 doubled are 2:4, a probability of 2/6 = 1/3 (not 2 × 0.2 = 0.4)."""
    assert churn_probability(0.2, 2.0) == pytest.approx(1.0 / 3.0, rel=1e-12)


@pytest.mark.parametrize("theta", [0.0, 1e-6, 0.05, 0.2, 0.5, 0.93, 1.0])
def test_a_neutral_factor_leaves_the_latent_probability_unchanged(theta: float) -> None:
    assert churn_probability(theta, 1.0) == pytest.approx(theta, rel=1e-12, abs=1e-15)


@given(theta=st.floats(1e-4, 0.99), factor=st.floats(0.01, 100.0))
def test_the_factor_multiplies_the_odds_exactly(theta: float, factor: float) -> None:
    probability = churn_probability(theta, factor)
    assert 0.0 < probability < 1.0
    odds = probability / (1.0 - probability)
    assert odds == pytest.approx(factor * theta / (1.0 - theta), rel=1e-9)
