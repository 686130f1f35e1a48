"""What a scenario tells the advisor: its tiers' ACV, complexity and segment, and its size.

- **ACV**: the mean of each tier's ACV distribution (``acv.mean``), weighted by the tier's
  ``mix`` (its share of new customers). The distributions' analytic means are used as they are;
  the simulator clips draws into the tier's band, which this ignores, and arrival pieces that
  override the mix are not weighted in.
- **Complexity**: the tiers' ``complexity_mix`` weighted by ``mix``.
- **Segment**: the scenario has no company sizes, so a tier's segment is its name when the name
  is a segment (``smb``, ``mid``, ``mid_market``, ``midmarket``, ``enterprise``: the author
  said so), else the segment the sources pair with the tier's mean ACV (SMB under $10K,
  mid-market $10K–$100K, enterprise $100K+; §2.1–2.3). Weighted by ``mix``.
- **Size**: the customers the growth plan reaches by the horizon — the initial book (live and
  waiting for onboarding) plus the expected arrivals of the piecewise-constant schedule. Churn
  and abandonment are not subtracted: it is the number of customers the model has to be able to
  serve, not a forecast of the book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.advisor.scoring import SEGMENTS, Segment, segment_of_acv
from sim.scenario.book_file import initial_count
from sim.scenario.schema import ArrivalStep, Scenario
from sim.scenario.vocabulary import COMPLEXITIES

SEGMENT_BY_TIER_NAME: dict[str, Segment] = {
    "smb": "smb", "mid": "mid-market", "mid_market": "mid-market",
    "midmarket": "mid-market", "enterprise": "enterprise",
}
"""Tier names taken as the segment of the tier (§11.1 segments)."""


@dataclass(frozen=True)
class TierFacts:
    """One tier as the advisor sees it."""

    name: str
    """Tier name."""
    share: float
    """Share of new customers signing in the tier (``mix``)."""
    mean_acv: float
    """Mean of the tier's ACV distribution, USD per year."""
    complexity: dict[str, float]
    """Shares of new customers at low, medium and high complexity."""
    segment: Segment
    """The tier's segment, by name or by mean ACV."""
    segment_by_name: bool
    """Whether the segment comes from the tier's name (else from its mean ACV)."""


@dataclass(frozen=True)
class ScenarioFacts:
    """The facts of a scenario the six factors can use."""

    name: str
    """Scenario name."""
    horizon_months: int
    """Simulated months."""
    tiers: tuple[TierFacts, ...]
    """The tiers."""
    initial_customers: int
    """Customers at day 0: live plus waiting for onboarding."""
    expected_arrivals: float
    """Expected new customers over the horizon."""

    @property
    def customers(self) -> float:
        """Customers the growth plan reaches by the horizon (before churn)."""
        return self.initial_customers + self.expected_arrivals

    @property
    def mean_acv(self) -> float:
        """Mix-weighted mean ACV of the tiers."""
        return sum(tier.share * tier.mean_acv for tier in self.tiers)

    def complexity_shares(self) -> dict[str, float]:
        """Mix-weighted shares of low, medium and high complexity."""
        return {level: sum(tier.share * tier.complexity[level] for tier in self.tiers)
                for level in COMPLEXITIES}

    def segment_shares(self) -> dict[str, float]:
        """Mix-weighted shares of SMB, mid-market and enterprise (segments with a share)."""
        shares = {segment: sum(tier.share for tier in self.tiers if tier.segment == segment)
                  for segment in SEGMENTS}
        return {segment: share for segment, share in shares.items() if share > 0}


def scenario_facts(scenario: Scenario) -> ScenarioFacts:
    """Collect what the advisor uses from a validated scenario."""
    growth = scenario.growth
    initial = initial_count(scenario)
    return ScenarioFacts(
        name=scenario.name,
        horizon_months=scenario.horizon_months,
        tiers=tuple(_tier_facts(tier.name, tier.mix, tier.acv.mean,
                                tier.complexity_mix.model_dump()) for tier in scenario.tiers),
        initial_customers=initial,
        expected_arrivals=expected_arrivals(growth.arrivals, scenario.horizon_months),
    )


def _tier_facts(name: str, share: float, mean_acv: float,
                complexity: dict[str, float]) -> TierFacts:
    named = SEGMENT_BY_TIER_NAME.get(name)
    return TierFacts(name=name, share=share, mean_acv=mean_acv, complexity=complexity,
                     segment=named or segment_of_acv(mean_acv), segment_by_name=bool(named))


def expected_arrivals(steps: Sequence[ArrivalStep], horizon_months: float) -> float:
    """Expected arrivals by ``horizon_months`` of a piecewise-constant schedule.

    Each step's rate holds from its ``from_month`` to the next step's (or the horizon).
    """
    total = 0.0
    for index, step in enumerate(steps):
        end = steps[index + 1].from_month if index + 1 < len(steps) else horizon_months
        months = max(0.0, min(end, horizon_months) - step.from_month)
        total += step.customers_per_month * months
    return total
