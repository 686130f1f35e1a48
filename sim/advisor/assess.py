"""Score the six factors from what was given, what a scenario tells and documented defaults.

Each factor comes from one source, in this order:

1. **given**: a value the caller passed (a command-line flag) — always wins;
2. **derived**: from the scenario (see :mod:`sim.advisor.facts`), or, without a scenario, the
   segment from the given ACV (§2.1–2.3 pair SMB with <$10K, mid-market with $10K–$100K and
   enterprise with $100K+);
3. **default**: margin 60% and "match the market", both scoring the neutral 3, so that a factor
   nobody stated does not push the recommendation either way.

ACV, complexity and the growth stage have no default: without a scenario they must be given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sim.advisor.choice import Recommendation, TierAcv, recommend
from sim.advisor.facts import ScenarioFacts
from sim.advisor.scoring import (
    COMPLEXITY_SCORES,
    SEGMENT_SCORES,
    Competition,
    Complexity,
    Scored,
    Segment,
    score_acv,
    score_competition,
    score_complexity,
    score_customers,
    score_margin,
    score_mix,
    score_segment,
    score_stage,
    segment_of_acv,
)
from sim.outputs.stages import CHOOSING_MODEL, stage_number

Source = Literal["given", "derived", "default"]
FACTORS = ("acv", "complexity", "segment", "margin", "competition", "growth_stage")
"""The six factors of §11.1, in order."""
FACTOR_LABELS = {"acv": "ACV", "complexity": "complexity", "segment": "segment",
                 "margin": "margin", "competition": "competition",
                 "growth_stage": "growth stage"}
"""How each factor is named in text."""
DEFAULT_MARGIN = 0.60
"""Assumption: gross margin when not given — the middle of §11.2's 50–70% band (scores 3)."""
DEFAULT_COMPETITION: Competition = "match"
"""Assumption: positioning when not given — matching the market, the safe choice of §11.1."""


@dataclass(frozen=True)
class AdviceRequest:
    """What the caller states; ``None`` = not stated."""

    acv: float | None = None
    """Average ACV, USD per year."""
    complexity: Complexity | None = None
    """Product complexity."""
    segment: Segment | None = None
    """Customer segment."""
    margin: float | None = None
    """Gross margin, share of revenue (0.65 for 65%)."""
    competition: Competition | None = None
    """Competitive positioning."""
    customers: float | None = None
    """Customer count."""
    stage: str | None = None
    """Growth stage, a §10.3 name (startup, early-scaling, growth, scale)."""


@dataclass(frozen=True)
class FactorScore:
    """One factor: its input, score, reason and where the input came from."""

    factor: str
    """Factor name (one of :data:`FACTORS`)."""
    value: float | str | dict[str, float]
    """The input the score was computed from."""
    shown: str
    """The input as printed."""
    score: int
    """1–5."""
    reason: str
    """Why this score."""
    source: Source
    """given, derived or default."""
    basis: str = ""
    """How a derived or default input was obtained."""


@dataclass(frozen=True)
class Advice:
    """Six factor scores, their total and the recommended model."""

    factors: tuple[FactorScore, ...]
    """The six factors, in :data:`FACTORS` order."""
    recommendation: Recommendation
    """The model and why."""
    scenario: str | None = None
    """Name of the scenario the inputs were derived from, if any."""

    @property
    def total(self) -> int:
        """Sum of the six scores (6–30)."""
        return sum(factor.score for factor in self.factors)


def request_from_flags(flags: Mapping[str, Any]) -> AdviceRequest:
    """A request from command-line flags by name (``None`` = not given)."""
    return AdviceRequest(**flags)


def advise(request: AdviceRequest, facts: ScenarioFacts | None = None) -> Advice:
    """Score the six factors and recommend a model.

    Raises:
        ValueError: a factor without default is neither given nor derivable, or a value is
            out of range (the message names it).
    """
    acv_usd, acv = _acv(request, facts)
    margin = DEFAULT_MARGIN if request.margin is None else request.margin
    factors = (acv, _complexity(request, facts), _segment(request, facts, acv_usd),
               _margin(request), _competition(request), _growth_stage(request, facts))
    tiers = () if facts is None else tuple(
        TierAcv(tier.name, tier.share, tier.mean_acv) for tier in facts.tiers)
    scores = {FACTOR_LABELS[factor.factor]: factor.score for factor in factors}
    return Advice(factors, recommend(scores, acv_usd, margin, tiers),
                  None if facts is None else facts.name)


def _factor(factor: str, value: float | str | dict[str, float], shown: str, scored: Scored,
            source: Source, basis: str = "") -> FactorScore:
    return FactorScore(factor, value, shown, scored.score, scored.reason, source, basis)


def _acv(request: AdviceRequest, facts: ScenarioFacts | None) -> tuple[float, FactorScore]:
    """The ACV in USD and its factor score."""
    if request.acv is not None:
        acv = request.acv
        return acv, _factor("acv", acv, _usd(acv), score_acv(acv), "given")
    facts = _needed(facts, "acv", "--acv")
    acv = facts.mean_acv
    terms = " + ".join(f"{tier.share:.0%} x {_usd(tier.mean_acv)}" for tier in facts.tiers)
    return acv, _factor("acv", acv, _usd(acv), score_acv(acv), "derived",
                        f"mix-weighted mean of the tiers' ACV means: {terms}")


def _complexity(request: AdviceRequest, facts: ScenarioFacts | None) -> FactorScore:
    if request.complexity is not None:
        return _factor("complexity", request.complexity, request.complexity,
                       score_complexity(request.complexity), "given")
    shares = _needed(facts, "complexity", "--complexity").complexity_shares()
    return _factor("complexity", shares, _mix(shares),
                   score_mix(shares, COMPLEXITY_SCORES, "complexity"), "derived",
                   "the tiers' complexity mixes weighted by their share of new customers; "
                   "low 1, medium 3, high 5")


def _segment(request: AdviceRequest, facts: ScenarioFacts | None,
             acv_usd: float) -> FactorScore:
    if request.segment is not None:
        return _factor("segment", request.segment, request.segment,
                       score_segment(request.segment), "given")
    if facts is None:
        segment = segment_of_acv(acv_usd)
        return _factor("segment", segment, segment, score_segment(segment), "derived",
                       f"the segment the sources pair with an ACV of {_usd(acv_usd)} "
                       f"(§2.1–2.3)")
    shares = facts.segment_shares()
    named = ", ".join(f"{tier.name}: {tier.segment} by "
                      f"{'name' if tier.segment_by_name else 'mean ACV'}" for tier in facts.tiers)
    return _factor("segment", shares, _mix(shares),
                   score_mix(shares, SEGMENT_SCORES, "segment"), "derived",
                   f"tiers' segments ({named}) weighted by share of new customers; "
                   f"SMB 1, mid-market 3, enterprise 5")


def _margin(request: AdviceRequest) -> FactorScore:
    margin = DEFAULT_MARGIN if request.margin is None else request.margin
    source: Source = "default" if request.margin is None else "given"
    basis = "" if source == "given" else "not given; the middle of the 50–70% band"
    return _factor("margin", margin, f"{margin:.0%}", score_margin(margin), source, basis)


def _competition(request: AdviceRequest) -> FactorScore:
    position = request.competition or DEFAULT_COMPETITION
    source: Source = "default" if request.competition is None else "given"
    basis = "" if source == "given" else "not given; matching the market is the safe choice"
    return _factor("competition", position, position, score_competition(position), source,
                   basis)


def _growth_stage(request: AdviceRequest, facts: ScenarioFacts | None) -> FactorScore:
    customers, stage = request.customers, request.stage
    if customers is not None:
        scored = score_customers(customers)
        if stage is not None:
            _check_stage_holds(stage, customers)
        return _factor("growth_stage", customers, f"{customers:,.0f} customers", scored,
                       "given")
    if stage is not None:
        return _factor("growth_stage", stage, stage, score_stage(stage), "given")
    facts = _needed(facts, "growth_stage", "--customers or --stage")
    return _factor("growth_stage", facts.customers, f"{facts.customers:,.0f} customers",
                   score_customers(facts.customers), "derived",
                   f"customers the growth plan reaches by month {facts.horizon_months}: "
                   f"{facts.initial_customers} at the start (live and waiting) + "
                   f"{facts.expected_arrivals:,.1f} expected arrivals; churn not subtracted")


def _check_stage_holds(stage: str, customers: float) -> None:
    start, end = CHOOSING_MODEL.bounds(stage_number(stage, CHOOSING_MODEL))
    if not start <= customers < end:
        upper = f"{end:,.0f}" if end != float("inf") else "no limit"
        raise ValueError(f"stage = {stage!r} holds {start:,}–{upper} customers (§10.3), "
                         f"not customers = {customers:g}")


def _needed(facts: ScenarioFacts | None, factor: str, flags: str) -> ScenarioFacts:
    if facts is None:
        raise ValueError(f"{factor} is unknown: give {flags}, or a scenario to derive it from")
    return facts


def _usd(amount: float) -> str:
    return f"${amount:,.0f}"


def _mix(shares: dict[str, float]) -> str:
    return " / ".join(f"{name} {share:.0%}" for name, share in shares.items())
