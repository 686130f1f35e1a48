"""The advisor against every example of the sources' decision sections (§1, §3, §11).

Each example states some inputs (ACV, margin, segment, complexity); the others take the
advisor's defaults (margin 60%, matching the market). A product complexity the example does not
state is "medium" (the neutral 3); a customer count it does not state is checked at 50, 300 and
800 customers (startup to growth, §10.3), so that no answer hangs on a count the sources never
gave.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.advisor import AdviceRequest, advise, cs_budget, scenario_facts
from sim.advisor.affordability import MODEL_COSTS
from sim.scenario.schema import load_scenario, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
UNSTATED_COUNTS = (50, 300, 800)

# (id: the example and where it is, the inputs it states, the sources' answer)
MODEL_EXAMPLES: list[tuple[str, dict[str, Any], str]] = [
    ("§3.1 choosing-model example 1: enterprise, $120K ACV, 80% margin",
     {"acv": 120_000, "margin": 0.80, "segment": "enterprise"}, "high-touch"),
    ("§3.1 choosing-model example 2: mid-market, $25K ACV, 70% margin",
     {"acv": 25_000, "margin": 0.70, "segment": "mid-market"}, "low-touch"),
    ("§3.1 choosing-model example 3: SMB, $3K ACV, 65% margin",
     {"acv": 3_000, "margin": 0.65, "segment": "smb"}, "tech-touch"),
    ("§11.1 factor 2: a $15K product needing 6 weeks of implementation",
     {"acv": 15_000, "complexity": "high"}, "low-touch"),
    ("§11.1 factor 2: a $15K product with a 2-hour setup",
     {"acv": 15_000, "complexity": "low"}, "tech-touch"),
    ("§1 choosing-model: $50K ACV at 75% margin",
     {"acv": 50_000, "margin": 0.75}, "medium-touch"),
    ("§1 choosing-model: $10K ACV at 45% margin",
     {"acv": 10_000, "margin": 0.45}, "tech-touch"),
    ("§3.1 business-models high-touch: $100K ACV, healthy margin (75%)",
     {"acv": 100_000, "margin": 0.75}, "high-touch"),
    ("§3.1 business-models opening anecdote: $30K ACV is no dedicated-CSM customer",
     {"acv": 30_000, "margin": 0.80, "complexity": "high", "competition": "premium"},
     "low-touch"),
    ("§13 under-investing: a $200K enterprise is not served like a $20K mid-market one",
     {"acv": 200_000, "segment": "enterprise"}, "high-touch"),
    ("§11.2 all five-point anchors",
     {"acv": 150_000, "complexity": "high", "segment": "enterprise", "margin": 0.80,
      "competition": "premium", "customers": 50}, "high-touch"),
    ("§11.2 all three-point anchors",
     {"acv": 30_000, "complexity": "medium", "segment": "mid-market", "margin": 0.60,
      "competition": "match", "customers": 700}, "low-touch"),
    ("§11.2 all one-point anchors",
     {"acv": 5_000, "complexity": "low", "segment": "smb", "margin": 0.30,
      "competition": "value", "customers": 5_000}, "tech-touch"),
]


@pytest.mark.parametrize(("stated", "answer"), [example[1:] for example in MODEL_EXAMPLES],
                         ids=[example[0] for example in MODEL_EXAMPLES])
def test_each_source_example_gives_the_sources_answer(stated: dict[str, Any],
                                                      answer: str) -> None:
    inputs = {"complexity": "medium", **stated}
    counts = (inputs.pop("customers"),) if "customers" in inputs else UNSTATED_COUNTS
    for customers in counts:
        advice = advise(AdviceRequest(customers=customers, **inputs))
        assert advice.recommendation.model == answer, (customers, advice.recommendation.reason)


def test_the_six_week_and_the_two_hour_product_get_different_models() -> None:
    # §11.1: "a $15K product needing 6 weeks of implementation vs a $15K product with a 2-hour
    # setup need different models"; the complex one is never left on tech-touch.
    for customers in UNSTATED_COUNTS:
        complex_, simple = (advise(AdviceRequest(acv=15_000, complexity=level,
                                                 customers=customers)).recommendation
                            for level in ("high", "low"))
        assert complex_.model != simple.model
        assert "raise prices or improve usability" in complex_.reason


def test_mixed_acv_from_1k_to_200k_is_hybrid(base_scenario: dict) -> None:
    # §11.1 factor 1: "Mixed $1K–$200K → hybrid"; §13: high-touch for everyone from a $5K SMB to
    # a $200K enterprise fails at both ends. The enterprise tier signs 15% of new customers.
    base_scenario["tiers"][0]["acv"]["mean"] = 5_000
    base_scenario["tiers"][0].update(mix=0.85, acv_max=100_000)
    base_scenario["tiers"][1].update(name="enterprise", mix=0.15, acv_min=100_000)
    base_scenario["tiers"][1]["acv"]["mean"] = 200_000
    base_scenario["growth"]["initial_customers"] = {"smb": 40, "enterprise": 10}
    base_scenario["pools"][0]["tiers"] = ["enterprise"]
    advice = advise(AdviceRequest(margin=0.75), scenario_facts(parse_scenario(base_scenario)))
    assert advice.recommendation.model == "hybrid"
    per_tier = {name: checked.model for name, checked in advice.recommendation.tier_models}
    assert per_tier == {"smb": "tech-touch", "enterprise": "high-touch"}


def _fits(cost: float, acv: float, margin: float) -> bool:
    return cost <= cs_budget(acv, margin)


# (id, cost per customer, ACV, margin, whether the sources call it affordable)
COST_EXAMPLES: list[tuple[str, float, float, float, bool]] = [
    ("§3.1 choosing-model example 1: $12.5K at $120K, 80% margin, supported", 12_500,
     120_000, 0.80, True),
    ("§3.1 choosing-model example 2: $2.4K at $25K, 70% margin, works", 2_400, 25_000, 0.70,
     True),
    ("§3.1 business-models: $3,200 at $30K, viable if margins allow (75%)", 3_200, 30_000,
     0.75, True),
    ("§3.1 business-models: $3,200 at $30K, not when they do not (40%)", 3_200, 30_000, 0.40,
     False),
    ("§3.1 business-models: $3,200 at $15K, too expensive", 3_200, 15_000, 0.70, False),
    ("§3.1 business-models: $3,200 at $60K, comfortable even at 50% margin", 3_200, 60_000,
     0.50, True),
    ("§3.1 business-models: $12,500 at $100K, workable with a healthy margin", 12_500,
     100_000, 0.70, True),
    ("§3.1 business-models: $12,500 at $100K, not with a thin one (55%)", 12_500, 100_000,
     0.55, False),
    ("§3.1 business-models over-servicing: $3K CSM for $10K customers", 3_000, 10_000, 0.90,
     False),
    ("§3.1 choosing-model over-servicing: $3K CSM for $5K customers", 3_000, 5_000, 0.90,
     False),
    ("§1: $3K to support a $5K customer is a problem", 3_000, 5_000, 0.80, False),
    ("§1: the same $3K on a $500K customer is smart", 3_000, 500_000, 0.50, True),
    ("§3.1 margin mistake: a 40% margin cannot carry 20% CS cost", 0.20 * 50_000, 50_000,
     0.40, False),
]


@pytest.mark.parametrize(("cost", "acv", "margin", "fits"),
                         [example[1:] for example in COST_EXAMPLES],
                         ids=[example[0] for example in COST_EXAMPLES])
def test_each_source_cost_example_is_affordable_as_the_sources_say(
        cost: float, acv: float, margin: float, fits: bool) -> None:
    assert _fits(cost, acv, margin) is fits


def test_no_csm_ratio_makes_human_touch_work_for_the_3k_smb() -> None:
    # §3.1 example 3: a $120K CSM would need some 400 accounts to hit the budget; low-touch
    # stops at 80 accounts (§2.2) and a $120K CSM at 80 accounts costs $1,500.
    budget = cs_budget(3_000, 0.65)
    assert budget < 120_000 / 80
    assert MODEL_COSTS["tech-touch"].usd <= budget


def test_the_four_tier_scheme_gets_a_model_per_tier() -> None:
    # §4.2's four tiers ($0–10K self-service, $10K–50K light-touch, $50K–100K medium-touch,
    # $100K+ high-touch), as the shipped hybrid_four_tier scenario lays them out: each tier gets
    # the model the scheme gives it, from its own ACV and the default margin.
    scenario = load_scenario(SCENARIOS / "hybrid_four_tier.yaml")
    advice = advise(AdviceRequest(), scenario_facts(scenario))
    per_tier = {name: checked.model for name, checked in advice.recommendation.tier_models}
    assert per_tier == {"self_service": "tech-touch", "pooled": "low-touch",
                        "dedicated": "medium-touch", "high_touch": "high-touch"}
