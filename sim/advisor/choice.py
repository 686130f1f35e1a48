"""From six factor scores to a touch model (§11.2), with the rules the sources leave open.

The bands: tech-touch 6–12, low-touch 12–20, high-touch 20–30; hybrid when the customers are
spread. Three rules make the choice unique and keep it within what the customers pay for:

- **Spread customers → hybrid.** §11.2's "mixed scores" are customers "spread over several
  zones → tier by ACV, apply a model per tier" (§2.4, §11.1: ACVs from $1K to $200K). One
  factor scoring high and another low is not a spread: a $15K product with a 6-week
  implementation needs one model, not two tiers. So hybrid needs a scenario whose tiers really
  differ: tiers with ACVs scoring 4–5 bring at least 10% of the revenue (what under-serving them
  puts at risk, §13) and tiers with ACVs scoring 1–2 hold at least 10% of the customers (what
  over-serving them costs is per head, §13). Each tier then gets the most touch its own ACV
  pays for (see :mod:`sim.advisor.affordability`).
- **Band edges.** A total of exactly 12 or 20 lies in two bands. It goes to the model with more
  human touch only if the ACV scores in that model's §11.1 band ($10K+ for low-touch at 12,
  $100K+ for high-touch at 20), otherwise to the model with less: when the six factors balance
  exactly, the money decides, and less touch is the cheaper mistake to undo (§13).
- **Affordability.** The model the total calls for must be paid for: stepping down
  high → medium → low → tech-touch to the first whose cost per customer fits the CS budget of
  margin × ACV (:mod:`sim.advisor.affordability`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.advisor.affordability import (
    BUDGET_SHARE_OF_GROSS_PROFIT,
    CS_COST_CEILING_SHARE,
    MODEL_COSTS,
    REFERENCE_MARGIN,
    Affordability,
    TouchModel,
    afford,
)
from sim.advisor.scoring import DEDICATED_CSM_ACV, HIGH_TOUCH_ACV, LOW_TOUCH_ACV, score_acv
from sim.scenario.base import SHARE_TOLERANCE

MIN_SCORE, MAX_SCORE = 1, 5
"""Each factor scores 1–5 (§11.2)."""
MIN_TOTAL, MAX_TOTAL = 6, 30
"""Six factors of 1–5 (§11.2)."""
LOW_TOUCH_MIN_TOTAL = 12
"""§11.2: low-touch 12–20, tech-touch 6–12 (the edge 12 is in both)."""
HIGH_TOUCH_MIN_TOTAL = 20
"""§11.2: high-touch 20–30, low-touch 12–20 (the edge 20 is in both)."""
HIGH_ZONE_MIN = 4
"""ACV scores 4–5 lean to high-touch ($50K+: a dedicated CSM, §4.2)."""
LOW_ZONE_MAX = 2
"""ACV scores 1–2 lean to tech-touch (under $25K)."""
SPREAD_MIN_SHARE = 0.10
"""A zone counts toward a spread from 10%: of revenue for the high-ACV tiers, of customers for
the low-ACV ones (§4.1: the top tier is "the top 10–20% of revenue"; plausible range
0.05–0.20)."""
LOW_TOUCH_EDGE_ACV_SCORE = score_acv(LOW_TOUCH_ACV).score
"""At a total of 12, low-touch needs an ACV scoring at least this ($10K+, §11.1)."""
HIGH_TOUCH_EDGE_ACV_SCORE = score_acv(HIGH_TOUCH_ACV).score
"""At a total of 20, high-touch needs an ACV scoring at least this ($100K+, §11.1)."""

_HIGH_ZONE = f"{HIGH_ZONE_MIN}–{MAX_SCORE}"
_LOW_ZONE = f"{MIN_SCORE}–{LOW_ZONE_MAX}"
_MIN_SHARE = f"{SPREAD_MIN_SHARE:.0%}"

SPREAD_RULE = (f"Hybrid only from a scenario whose tiers are spread: tiers with ACVs scoring "
               f"{_HIGH_ZONE} bring >= {_MIN_SHARE} of the revenue and tiers with ACVs scoring "
               f"{_LOW_ZONE} hold >= {_MIN_SHARE} of the customers; each tier then gets the most "
               f"touch its own ACV pays for.")
TIE_BREAK_RULE = (f"A total of exactly {LOW_TOUCH_MIN_TOTAL} or {HIGH_TOUCH_MIN_TOTAL} goes to "
                  f"the model with more touch only if the ACV can pay for it "
                  f"({LOW_TOUCH_MIN_TOTAL}: ACV ${LOW_TOUCH_ACV / 1000:,.0f}K+ -> low-touch, "
                  f"else tech-touch; {HIGH_TOUCH_MIN_TOTAL}: ACV "
                  f"${HIGH_TOUCH_ACV / 1000:,.0f}K+ -> high-touch, else low-touch).")
AFFORDABILITY_RULE = (
    f"The model must fit a CS budget of {BUDGET_SHARE_OF_GROSS_PROFIT:.1%} of margin x ACV "
    f"({CS_COST_CEILING_SHARE:.0%} of ACV at a {REFERENCE_MARGIN:.0%} margin): else step down "
    f"high -> medium (ACV ${DEDICATED_CSM_ACV / 1000:,.0f}K+) -> low -> tech-touch. Cost per "
    f"customer: " + ", ".join(f"{model} ${cost.usd:,.0f}" for model, cost in MODEL_COSTS.items())
    + ". A complex product (complexity 4-5) is never left on tech-touch.")


@dataclass(frozen=True)
class TierAcv:
    """One tier of a scenario as the spread rule sees it."""

    name: str
    """Tier name."""
    share: float
    """Share of new customers signing in the tier."""
    mean_acv: float
    """Mean ACV of the tier, USD per year."""

    @property
    def acv_score(self) -> int:
        """ACV score of the tier's mean ACV."""
        return score_acv(self.mean_acv).score


@dataclass(frozen=True)
class Recommendation:
    """The recommended model and why."""

    model: TouchModel
    """high-touch, medium-touch, low-touch, tech-touch or hybrid."""
    reason: str
    """Which rule decided, in words."""
    scored_model: TouchModel
    """The model the six-factor total calls for, before the affordability check (or hybrid)."""
    affordability: Affordability | None = None
    """The budget and the models weighed (not for hybrid: see ``tier_models``)."""
    tier_models: tuple[tuple[str, Affordability], ...] = ()
    """For hybrid: each tier's name and the most touch its own ACV pays for."""


def recommend(scores: Mapping[str, int], acv: float, margin: float,
              tiers: Sequence[TierAcv] = ()) -> Recommendation:
    """Pick the model for six factor scores, then check the ACV pays for it.

    Args:
        scores: Score (1–5) of each factor, by factor label ("ACV", "complexity", ...).
        acv: The ACV, USD per year (its score is ``scores["ACV"]``).
        margin: Gross margin, share of revenue.
        tiers: The scenario's tiers, for the spread rule (empty without a scenario).
    """
    total = sum(scores.values())
    if not MIN_TOTAL <= total <= MAX_TOTAL:
        raise ValueError(f"total = {total}: six scores of {MIN_SCORE}–{MAX_SCORE} sum to "
                         f"{MIN_TOTAL}–{MAX_TOTAL}")
    complexity = scores["complexity"]
    spread = spread_tiers(tiers)
    if spread:
        per_tier = tuple((tier.name, afford("high-touch", tier.mean_acv, margin, complexity))
                         for tier in tiers)
        return Recommendation("hybrid", spread, "hybrid", tier_models=per_tier)
    banded = band_model(total, scores["ACV"])
    checked = afford(banded.model, acv, margin, complexity)
    return Recommendation(checked.model, f"{banded.reason}; {checked.summary()}", banded.model,
                          checked)


def spread_tiers(tiers: Sequence[TierAcv]) -> str:
    """Why the tiers are spread over both ACV zones, or ``""`` if they are not."""
    revenue = sum(tier.share * tier.mean_acv for tier in tiers)
    if revenue <= 0:
        return ""
    high = [tier for tier in tiers if tier.acv_score >= HIGH_ZONE_MIN]
    low = [tier for tier in tiers if tier.acv_score <= LOW_ZONE_MAX]
    high_revenue = sum(tier.share * tier.mean_acv for tier in high) / revenue
    low_customers = sum(tier.share for tier in low)
    if min(high_revenue, low_customers) < SPREAD_MIN_SHARE - SHARE_TOLERANCE:
        return ""
    return (f"customers spread over the ACV zones: tiers with ACV scoring {_HIGH_ZONE} "
            f"({_names(high)}) bring {high_revenue:.0%} of the revenue, tiers scoring "
            f"{_LOW_ZONE} ({_names(low)}) hold {low_customers:.0%} of the customers")


def band_model(total: int, acv_score: int) -> Recommendation:
    """The model of the §11.2 band holding ``total``; the edges 12 and 20 by the ACV rule."""
    if total == LOW_TOUCH_MIN_TOTAL:
        return _edge(total, acv_score, LOW_TOUCH_EDGE_ACV_SCORE, "low-touch", "tech-touch")
    if total == HIGH_TOUCH_MIN_TOTAL:
        return _edge(total, acv_score, HIGH_TOUCH_EDGE_ACV_SCORE, "high-touch", "low-touch")
    if total < LOW_TOUCH_MIN_TOTAL:
        return _banded("tech-touch", f"total {total} in the tech-touch band "
                                     f"{MIN_TOTAL}–{LOW_TOUCH_MIN_TOTAL}")
    if total < HIGH_TOUCH_MIN_TOTAL:
        return _banded("low-touch", f"total {total} in the low-touch band "
                                    f"{LOW_TOUCH_MIN_TOTAL}–{HIGH_TOUCH_MIN_TOTAL}")
    return _banded("high-touch", f"total {total} in the high-touch band "
                                 f"{HIGH_TOUCH_MIN_TOTAL}–{MAX_TOTAL}")


def _banded(model: TouchModel, reason: str) -> Recommendation:
    return Recommendation(model, reason, model)


def _edge(total: int, acv_score: int, needed: int, more: TouchModel,
          less: TouchModel) -> Recommendation:
    pays = acv_score >= needed
    return _banded(more if pays else less,
                   f"total {total} is on the {less}/{more} edge; ACV scores {acv_score}, "
                   f"{'at least' if pays else 'below'} the {needed} that {more} needs")


def _names(tiers: Sequence[TierAcv]) -> str:
    return ", ".join(tier.name for tier in tiers)
