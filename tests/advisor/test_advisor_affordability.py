"""The affordability check of the advisor: the CS budget and the step down between models (§3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.advisor import MODEL_COSTS, AdviceRequest, advise, cs_budget
from sim.advisor.affordability import TouchModel, afford


def test_the_budget_is_a_share_of_gross_profit() -> None:
    # §3.2: 15% of revenue at the 70% margin high-touch needs; proportional to margin x ACV.
    assert cs_budget(100_000, 0.70) == pytest.approx(15_000)
    assert cs_budget(100_000, 0.35) == pytest.approx(7_500)
    assert cs_budget(100_000, -0.2) == 0


@pytest.mark.parametrize(("wanted", "acv", "margin", "model"), [
    ("high-touch", 120_000, 0.80, "high-touch"),    # $20.6K budget
    ("high-touch", 60_000, 0.75, "medium-touch"),   # $9.6K: a dedicated CSM at $3K
    ("high-touch", 45_000, 0.75, "low-touch"),      # no dedicated CSM under $50K
    ("high-touch", 8_000, 0.75, "tech-touch"),      # $1.3K budget
    ("low-touch", 200_000, 0.80, "low-touch"),      # never more touch than the scores call for
    ("tech-touch", 200_000, 0.80, "tech-touch"),
])
def test_affordability_steps_down_to_the_first_model_that_fits(
        wanted: TouchModel, acv: float, margin: float, model: str) -> None:
    checked = afford(wanted, acv, margin, complexity_score=3)
    assert checked.model == model
    assert [item.model for item in checked.checks][0] == wanted
    assert checked.checks[-1].fits


def test_even_tech_touch_can_exceed_the_budget() -> None:
    checked = afford("low-touch", 1_000, 0.5, complexity_score=1)
    assert checked.model == "tech-touch"
    assert "even tech-touch" in checked.note


@pytest.mark.parametrize(("complexity_score", "model"), [(3, "tech-touch"), (4, "low-touch"),
                                                         (5, "low-touch")])
def test_a_complex_product_is_never_left_on_tech_touch(complexity_score: int,
                                                      model: str) -> None:
    checked = afford("high-touch", 8_000, 0.6, complexity_score)
    assert checked.model == model
    if model == "low-touch":
        assert "raise prices or improve usability" in checked.note


@given(acv=st.floats(0, 1e6), margin=st.floats(-0.5, 1.0),
       complexity=st.sampled_from(["low", "medium", "high"]),
       customers=st.floats(0, 1e5))
def test_the_model_fits_the_budget_or_says_why(acv: float, margin: float, complexity: str,
                                               customers: float) -> None:
    advice = advise(AdviceRequest(acv=acv, margin=margin, complexity=complexity,
                                  customers=customers))
    recommendation = advice.recommendation
    assert recommendation.model != "hybrid"
    checked = recommendation.affordability
    assert checked is not None
    order = ["high-touch", "medium-touch", "low-touch", "tech-touch"]
    assert order.index(recommendation.model) >= order.index(recommendation.scored_model) or \
        recommendation.model == "low-touch"
    if recommendation.model == "medium-touch":
        assert acv >= 50_000
    if MODEL_COSTS[recommendation.model].usd > checked.budget:
        assert checked.note
    if complexity == "high":
        assert recommendation.model != "tech-touch"
