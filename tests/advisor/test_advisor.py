"""The six-factor advisor (§11): cut points, the model rules, scenarios and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.advisor import FACTORS, AdviceRequest, advice_json, advise, scenario_facts, scoring
from sim.advisor.choice import TierAcv, band_model, recommend, spread_tiers
from sim.advisor.facts import expected_arrivals
from sim.cli import main
from sim.scenario.schema import ArrivalStep, load_scenario, parse_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").rglob("*.yaml"))
LABELS = ("ACV", "complexity", "segment", "margin", "competition", "growth stage")


def scores_of(*values: int) -> dict[str, int]:
    return dict(zip(LABELS, values, strict=True))


# --- cut points of each factor ---------------------------------------------------------------

@pytest.mark.parametrize(("acv", "score"), [
    (0, 1), (9_999, 1), (9_999.99, 1), (10_000, 2), (24_999, 2), (25_000, 3), (49_999, 3),
    (50_000, 4), (99_999, 4), (100_000, 5), (5_000_000, 5)])
def test_acv_cut_points(acv: float, score: int) -> None:
    assert scoring.score_acv(acv).score == score


@pytest.mark.parametrize(("margin", "score"), [
    (-0.2, 1), (0.0, 1), (0.4999, 1), (0.50, 2), (0.5499, 2), (0.55, 3), (0.60, 3),
    (0.6499, 3), (0.65, 4), (0.6999, 4), (0.70, 5), (1.0, 5)])
def test_margin_cut_points(margin: float, score: int) -> None:
    assert scoring.score_margin(margin).score == score


@pytest.mark.parametrize(("customers", "score"), [
    (0, 5), (99, 5), (100, 4), (499, 4), (500, 3), (999, 3), (1_000, 2), (1_999, 2),
    (2_000, 1), (100_000, 1)])
def test_growth_stage_cut_points(customers: float, score: int) -> None:
    assert scoring.score_customers(customers).score == score


@pytest.mark.parametrize(("stage", "score"), [
    ("startup", 5), ("early-scaling", 4), ("growth", 3), ("scale", 1)])
def test_a_stage_alone_scores_as_its_first_customer_count(stage: str, score: int) -> None:
    assert scoring.score_stage(stage).score == score


def test_categories_score_on_the_anchors() -> None:
    assert [scoring.score_complexity(level).score
            for level in ("low", "medium", "high")] == [1, 3, 5]
    assert [scoring.score_segment(segment).score
            for segment in ("smb", "mid-market", "enterprise")] == [1, 3, 5]
    assert [scoring.score_competition(position).score
            for position in ("value", "match", "premium")] == [1, 3, 5]


@pytest.mark.parametrize(("acv", "segment"), [
    (9_999, "smb"), (10_000, "mid-market"), (99_999, "mid-market"), (100_000, "enterprise")])
def test_segment_of_acv(acv: float, segment: str) -> None:
    assert scoring.segment_of_acv(acv) == segment


@pytest.mark.parametrize(("shares", "score"), [
    ({"low": 1.0, "medium": 0.0, "high": 0.0}, 1),
    ({"low": 0.25, "medium": 0.75, "high": 0.0}, 3),    # mean 2.50 rounds up
    ({"low": 0.255, "medium": 0.745, "high": 0.0}, 2),  # mean 2.49
    ({"low": 0.0, "medium": 0.75, "high": 0.25}, 4),    # mean 3.50 rounds up
    ({"low": 0.0, "medium": 0.5, "high": 0.5}, 4),
    ({"low": 0.0, "medium": 0.0, "high": 1.0}, 5)])
def test_a_mix_scores_its_weighted_mean_rounded_half_up(shares: dict, score: int) -> None:
    assert scoring.score_mix(shares, scoring.COMPLEXITY_SCORES, "complexity").score == score


def test_round_half_up() -> None:
    values = (1.5, 2.5, 3.5, 2.4999999, 4.49)
    assert [scoring.round_half_up(value) for value in values] == [2, 3, 4, 2, 4]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: scoring.score_acv(-1), "acv = -1"),
    (lambda: scoring.score_acv(float("nan")), "acv = nan"),
    (lambda: scoring.score_margin(65), "write 0.65 for 65%"),
    (lambda: scoring.score_customers(-3), "customers = -3"),
    (lambda: scoring.score_acv(float("inf")), "acv = inf"),
    (lambda: scoring.score_margin(float("-inf")), "margin = -inf"),
    (lambda: scoring.score_customers(float("inf")), "customers = inf"),
    (lambda: scoring.score_stage("seed"), "stage = 'seed'")])
def test_out_of_range_inputs_are_rejected(call: Callable, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- from scores to a model -------------------------------------------------------------------

@pytest.mark.parametrize(("scores", "model"), [
    ((5, 5, 5, 5, 5, 5), "high-touch"),
    ((3, 3, 3, 3, 3, 3), "low-touch"),
    ((1, 1, 1, 1, 1, 1), "tech-touch"),
    ((3, 3, 3, 3, 3, 2), "low-touch"),   # 17
    ((3, 3, 3, 3, 4, 5), "high-touch"),  # 21
    ((1, 1, 1, 3, 3, 2), "tech-touch"),  # 11
    ((2, 2, 2, 2, 2, 3), "low-touch"),   # 13
])
def test_totals_inside_a_band(scores: tuple, model: str) -> None:
    assert band_model(sum(scores), acv_score=scores[0]).model == model


@pytest.mark.parametrize(("scores", "model"), [
    # 20: high-touch only with ACV $100K+ (score 5).
    ((5, 3, 3, 3, 3, 3), "high-touch"),
    ((3, 3, 3, 3, 4, 4), "low-touch"),
    ((4, 4, 3, 3, 3, 3), "low-touch"),
    # 12: low-touch only with ACV $10K+ (score 2 or more).
    ((2, 2, 2, 2, 2, 2), "low-touch"),
    ((3, 3, 3, 1, 1, 1), "low-touch"),
    ((1, 3, 3, 3, 1, 1), "tech-touch"),
    ((1, 2, 2, 2, 2, 3), "tech-touch"),
])
def test_band_edges_follow_the_acv_rule(scores: tuple, model: str) -> None:
    assert sum(scores) in (12, 20)
    recommendation = band_model(sum(scores), acv_score=scores[0])
    assert recommendation.model == model
    assert "edge" in recommendation.reason


@pytest.mark.parametrize("scores", [(5, 1, 3, 3, 3, 3), (3, 3, 3, 4, 3, 2), (5, 5, 5, 5, 5, 2)])
def test_factor_scores_at_both_ends_are_not_hybrid(scores: tuple) -> None:
    # One factor high and another low is one product pulled two ways, not customers in two
    # zones (§11.2): only tiers make a hybrid.
    recommendation = recommend(scores_of(*scores), acv=150_000, margin=0.8)
    assert recommendation.model != "hybrid"
    assert recommendation.model == recommendation.scored_model


@pytest.mark.parametrize(("revenue_high", "customers_low", "spread"), [
    (0.10, 0.10, True), (0.10, 0.09, False), (0.09, 0.50, False), (0.5, 0.5, True)])
def test_tiers_spread_needs_ten_percent_of_revenue_high_and_of_customers_low(
        revenue_high: float, customers_low: float, spread: bool) -> None:
    # A $100K top tier, a $30K middle and a $5K tail; the top tier's share of new customers is
    # set so that it brings `revenue_high` of the revenue.
    middle_and_top = 1 - customers_low
    rest = customers_low * 5_000
    # top * 100K = revenue_high * (top * 100K + (middle_and_top - top) * 30K + rest)
    top = revenue_high * (middle_and_top * 30_000 + rest) / (
        100_000 - revenue_high * (100_000 - 30_000))
    tiers = [TierAcv("top", top, 100_000), TierAcv("middle", middle_and_top - top, 30_000),
             TierAcv("tail", customers_low, 5_000)]
    assert bool(spread_tiers(tiers)) is spread


def test_a_small_top_tier_counts_by_its_revenue() -> None:
    # org_pods: enterprise signs 7% of new customers but brings 53% of the revenue.
    tiers = [TierAcv("smb", 0.70, 5_000), TierAcv("midmarket", 0.23, 30_000),
             TierAcv("enterprise", 0.07, 170_000)]
    assert "53% of the revenue" in spread_tiers(tiers)
    assert recommend(scores_of(2, 2, 2, 3, 3, 1), 29_000, 0.6, tiers).model == "hybrid"


def test_a_long_tail_counts_by_its_customers() -> None:
    # 10% of customers at $12K bring 1% of the revenue, but serving them like $120K customers
    # would cost more than they pay (§13): the tiers differ.
    tiers = [TierAcv("tail", 0.10, 12_000), TierAcv("enterprise", 0.90, 120_000)]
    assert spread_tiers(tiers)
    assert not spread_tiers([TierAcv("tail", 0.09, 12_000), TierAcv("enterprise", 0.91,
                                                                      120_000)])


def test_two_small_tiers_add_up_to_a_zone() -> None:
    tiers = [TierAcv("a", 0.05, 60_000), TierAcv("b", 0.05, 150_000), TierAcv("c", 0.9, 12_000)]
    assert spread_tiers(tiers)
    assert recommend(scores_of(3, 3, 3, 3, 3, 3), 21_000, 0.6, tiers).model == "hybrid"


def test_a_total_outside_6_to_30_is_rejected() -> None:
    with pytest.raises(ValueError, match="total = 36"):
        recommend(scores_of(6, 6, 6, 6, 6, 6), acv=1e6, margin=0.8)


# --- the request: given, derived, default ------------------------------------------------------

def test_all_anchors_end_to_end() -> None:
    high = advise(AdviceRequest(acv=150_000, complexity="high", segment="enterprise",
                                margin=0.8, competition="premium", customers=50))
    middle = advise(AdviceRequest(acv=30_000, complexity="medium", segment="mid-market",
                                  margin=0.6, competition="match", customers=700))
    low = advise(AdviceRequest(acv=5_000, complexity="low", segment="smb", margin=0.3,
                               competition="value", customers=5_000))
    assert (high.total, high.recommendation.model) == (30, "high-touch")
    assert (middle.total, middle.recommendation.model) == (18, "low-touch")
    assert (low.total, low.recommendation.model) == (6, "tech-touch")
    assert [factor.factor for factor in high.factors] == list(FACTORS)


def test_sources_without_a_scenario() -> None:
    advice = advise(AdviceRequest(acv=120_000, complexity="medium", stage="growth"))
    sources = {factor.factor: factor.source for factor in advice.factors}
    assert sources == {"acv": "given", "complexity": "given", "segment": "derived",
                       "margin": "default", "competition": "default", "growth_stage": "given"}
    by_name = {factor.factor: factor for factor in advice.factors}
    assert by_name["segment"].value == "enterprise"
    assert (by_name["margin"].value, by_name["margin"].score) == (0.6, 3)
    assert (by_name["competition"].value, by_name["competition"].score) == ("match", 3)


@pytest.mark.parametrize(("request_", "message"), [
    (AdviceRequest(complexity="low", customers=10), "acv is unknown"),
    (AdviceRequest(acv=5_000, customers=10), "complexity is unknown"),
    (AdviceRequest(acv=5_000, complexity="low"), "growth_stage is unknown"),
    (AdviceRequest(acv=5_000, complexity="low", customers=600, stage="startup"),
     "stage = 'startup' holds 0–100 customers"),
    (AdviceRequest(acv=5_000, complexity="low", customers=2_000, stage="growth"),
     "not customers = 2000")])
def test_missing_or_contradictory_inputs(request_: AdviceRequest, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        advise(request_)


def test_customers_and_a_matching_stage() -> None:
    advice = advise(AdviceRequest(acv=5_000, complexity="low", customers=1_500, stage="growth"))
    assert advice.factors[-1].score == 2


# --- from a scenario -------------------------------------------------------------------------

def test_expected_arrivals_of_a_piecewise_schedule() -> None:
    steps = (ArrivalStep(from_month=0, customers_per_month=2),
             ArrivalStep(from_month=6, customers_per_month=4),
             ArrivalStep(from_month=30, customers_per_month=100))
    assert expected_arrivals(steps, 12) == pytest.approx(2 * 6 + 4 * 6)
    assert expected_arrivals(steps[1:], 12) == pytest.approx(4 * 6)
    assert expected_arrivals((), 12) == 0


def test_facts_of_the_base_scenario(base_scenario: dict) -> None:
    base_scenario["growth"]["initial_backlog"] = {"mid": 3}
    facts = scenario_facts(parse_scenario(base_scenario))
    assert facts.mean_acv == pytest.approx(0.7 * 8_000 + 0.3 * 45_000)
    assert facts.customers == pytest.approx(40 + 10 + 3 + 5 * 6)
    assert facts.segment_shares() == pytest.approx({"smb": 0.7, "mid-market": 0.3})
    assert facts.complexity_shares() == pytest.approx({"low": 0.3, "medium": 0.5, "high": 0.2})


def test_segment_by_mean_acv_when_the_name_says_nothing(base_scenario: dict) -> None:
    base_scenario["tiers"][0]["name"] = "long_tail"
    base_scenario["tiers"][1]["name"] = "core"
    base_scenario["tiers"][1]["acv"]["mean"] = 150_000
    base_scenario["growth"]["initial_customers"] = {"long_tail": 40, "core": 10}
    base_scenario["pools"][0]["tiers"] = ["core"]
    facts = scenario_facts(parse_scenario(base_scenario))
    assert facts.segment_shares() == pytest.approx({"smb": 0.7, "enterprise": 0.3})


def test_a_scenario_spread_over_both_acv_zones_is_hybrid(base_scenario: dict) -> None:
    # Tiers at $8K (score 1) and $60K (score 4), half each: the mean, $34K, scores 3.
    base_scenario["tiers"][0]["mix"] = base_scenario["tiers"][1]["mix"] = 0.5
    base_scenario["tiers"][1]["acv"]["mean"] = 60_000
    facts = scenario_facts(parse_scenario(base_scenario))
    advice = advise(AdviceRequest(segment="mid-market", customers=700), facts)
    assert [factor.score for factor in advice.factors] == [3, 3, 3, 3, 3, 3]
    assert advice.recommendation.model == "hybrid"
    assert advice.recommendation.reason.startswith("customers spread over the ACV zones")
    base_scenario["tiers"][1]["acv"]["mean"] = 45_000  # score 3: no longer spread
    facts = scenario_facts(parse_scenario(base_scenario))
    advice = advise(AdviceRequest(segment="mid-market", customers=700), facts)
    assert advice.recommendation.model == "low-touch"


def test_flags_win_over_the_scenario(base_scenario: dict) -> None:
    facts = scenario_facts(parse_scenario(base_scenario))
    advice = advise(AdviceRequest(acv=60_000, customers=3_000), facts)
    by_name = {factor.factor: factor for factor in advice.factors}
    assert (by_name["acv"].source, by_name["acv"].score) == ("given", 4)
    assert (by_name["growth_stage"].source, by_name["growth_stage"].score) == ("given", 1)
    assert by_name["complexity"].source == "derived"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_advice_from_every_shipped_scenario(path: Path) -> None:
    result = CliRunner().invoke(main, ["advise", "--scenario", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    facts = scenario_facts(load_scenario(path))
    assert result.stdout.rstrip("\n") == advice_json(advise(AdviceRequest(), facts))
    advice = json.loads(result.stdout)
    assert advice["scenario"] == path.stem
    assert advice["model"] in {"high-touch", "medium-touch", "low-touch", "tech-touch",
                               "hybrid"}
    assert advice["total"] == sum(factor["score"] for factor in advice["factors"])
    sources = {factor["factor"]: factor["source"] for factor in advice["factors"]}
    assert sources == {"acv": "derived", "complexity": "derived", "segment": "derived",
                       "margin": "default", "competition": "default",
                       "growth_stage": "derived"}
    text = CliRunner().invoke(main, ["advise", "--scenario", str(path)])
    assert text.exit_code == 0
    assert f"Recommended model: {advice['model']}" in text.stdout


# --- the command -----------------------------------------------------------------------------

def test_advise_prints_scores_model_and_rules() -> None:
    result = CliRunner().invoke(main, ["advise", "--acv", "45000", "--complexity", "medium",
                                       "--segment", "mid-market", "--margin", "0.65",
                                       "--customers", "180"])
    assert result.exit_code == 0, result.output
    assert "Recommended model: low-touch (total 20 is on the low-touch/high-touch edge" \
        in result.stdout
    assert "competition (default)" in result.stdout
    assert "exactly 12 or 20" in result.stdout
    assert result.stderr == ""


def test_advise_json() -> None:
    result = CliRunner().invoke(main, ["advise", "--acv", "5000", "--complexity", "high",
                                       "--stage", "startup", "--format", "json"])
    assert result.exit_code == 0, result.output
    advice = json.loads(result.stdout)
    assert (advice["scored_model"], advice["model"]) == ("low-touch", "low-touch")
    assert [factor["score"] for factor in advice["factors"]] == [1, 5, 1, 3, 3, 5]
    assert advice["affordability"]["budget"] == pytest.approx(0.15 / 0.7 * 0.6 * 5_000)
    assert "raise prices" in advice["affordability"]["note"]
    assert set(advice["rules"]) == {"spread", "tie_break", "affordability"}


@pytest.mark.parametrize(("args", "message"), [
    (["--acv", "45000"], "complexity is unknown"),
    (["--acv", "lots", "--complexity", "low", "--customers", "5"], "'--acv'"),
    (["--acv", "5", "--complexity", "extreme", "--customers", "5"], "'--complexity'"),
    (["--acv", "5", "--complexity", "low", "--stage", "seed"], "'--stage'"),
    (["--acv", "5", "--complexity", "low", "--customers", "5", "--margin", "65"],
     "margin = 65"),
    (["--acv", "-5", "--complexity", "low", "--customers", "5"], "acv = -5"),
    (["--acv", "5", "--complexity", "low", "--customers", "600", "--stage", "startup"],
     "stage = 'startup'"),
    (["--acv", "5", "--complexity", "low", "--customers", "5", "--format", "xml"],
     "'--format'"),
    (["--bogus"], "--bogus"),
    (["--scenario", "missing.yaml"], "missing.yaml: cannot read file"),
])
def test_bad_flags_give_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["advise", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]


def test_an_invalid_scenario_gives_one_line(base_scenario: dict, write_yaml: Callable) -> None:
    base_scenario["tiers"][0]["mix"] = 0.9
    result = CliRunner().invoke(main, ["advise", "--scenario",
                                       str(write_yaml(base_scenario, "bad.yaml"))])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "bad.yaml" in result.stderr
