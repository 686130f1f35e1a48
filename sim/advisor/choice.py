"""From six factor scores to a touch model (§11.2), with the rules the sources leave open.

The bands: tech-touch 6–12, low-touch 12–20, high-touch 20–30, hybrid for mixed scores. Two
rules make the choice unique:

- **Mixed scores → hybrid.** The scores are mixed when at least one factor is in the high zone
  (4–5) and at least one in the low zone (1–2): the factors pull toward both ends, which an
  average hides. From a scenario the customers themselves can be spread (§2.4, §11.2: "customers
  spread over several zones → tier by ACV"): the scores are also mixed when tiers holding at
  least 10% of new customers (the smallest tier share of §4.1) have ACVs in the high zone and
  tiers holding at least 10% have ACVs in the low zone. Mixed wins over the total.
- **Band edges.** A total of exactly 12 or 20 lies in two bands. It goes to the model with more
  human touch only if the ACV can pay for that touch — the ACV scores in that model's §11.1 band
  ($10K+ for low-touch at 12, $100K+ for high-touch at 20) — otherwise to the model with less.
  The post-sale model is "an economic decision first" (§1) and ACV is the factor that pays for
  touch; when the six factors balance exactly, the money decides. It also errs toward less touch
  when ACV is in doubt, the cheaper mistake to undo (§13: cutting service later makes customers
  revolt, adding it does not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sim.advisor.scoring import HIGH_TOUCH_ACV, LOW_TOUCH_ACV, score_acv
from sim.schema_parts import SHARE_TOLERANCE

TouchModel = Literal["high-touch", "low-touch", "tech-touch", "hybrid"]

MIN_SCORE, MAX_SCORE = 1, 5
"""Each factor scores 1–5 (§11.2)."""
MIN_TOTAL, MAX_TOTAL = 6, 30
"""Six factors of 1–5 (§11.2)."""
LOW_TOUCH_MIN_TOTAL = 12
"""§11.2: low-touch 12–20, tech-touch 6–12 (the edge 12 is in both)."""
HIGH_TOUCH_MIN_TOTAL = 20
"""§11.2: high-touch 20–30, low-touch 12–20 (the edge 20 is in both)."""
HIGH_ZONE_MIN = 4
"""Scores 4–5 lean to high-touch (the 5 anchor and its intermediate)."""
LOW_ZONE_MAX = 2
"""Scores 1–2 lean to tech-touch (the 1 anchor and its intermediate)."""
TIER_ZONE_MIN_SHARE = 0.10
"""Smallest share of new customers that makes a tier count toward a spread: §4.1's top tier
holds 10–20%."""
LOW_TOUCH_EDGE_ACV_SCORE = score_acv(LOW_TOUCH_ACV).score
"""At a total of 12, low-touch needs an ACV scoring at least this ($10K+, §11.1)."""
HIGH_TOUCH_EDGE_ACV_SCORE = score_acv(HIGH_TOUCH_ACV).score
"""At a total of 20, high-touch needs an ACV scoring at least this ($100K+, §11.1)."""

_HIGH_ZONE = f"{HIGH_ZONE_MIN}–{MAX_SCORE}"
_LOW_ZONE = f"{MIN_SCORE}–{LOW_ZONE_MAX}"
_MIN_SHARE = f"{TIER_ZONE_MIN_SHARE:.0%}"

MIXED_RULE = (f"Mixed scores -> hybrid: at least one factor scores {_HIGH_ZONE} and at least one "
              f"{_LOW_ZONE}; from a scenario also when tiers with >= {_MIN_SHARE} of new "
              f"customers have ACVs scoring {_HIGH_ZONE} and tiers with >= {_MIN_SHARE} have "
              f"ACVs scoring {_LOW_ZONE}.")
TIE_BREAK_RULE = (f"A total of exactly {LOW_TOUCH_MIN_TOTAL} or {HIGH_TOUCH_MIN_TOTAL} goes to "
                  f"the model with more touch only if the ACV can pay for it "
                  f"({LOW_TOUCH_MIN_TOTAL}: ACV ${LOW_TOUCH_ACV / 1000:,.0f}K+ -> low-touch, "
                  f"else tech-touch; {HIGH_TOUCH_MIN_TOTAL}: ACV "
                  f"${HIGH_TOUCH_ACV / 1000:,.0f}K+ -> high-touch, else low-touch).")


@dataclass(frozen=True)
class TierAcv:
    """One tier of a scenario as the spread rule sees it."""

    name: str
    """Tier name."""
    share: float
    """Share of new customers signing in the tier."""
    acv_score: int
    """ACV score of the tier's mean ACV."""


@dataclass(frozen=True)
class Recommendation:
    """The recommended model and why."""

    model: TouchModel
    """high-touch, low-touch, tech-touch or hybrid."""
    reason: str
    """Which rule decided, in words."""


def recommend(scores: Mapping[str, int], acv_score: int,
              tiers: Sequence[TierAcv] = ()) -> Recommendation:
    """Pick the model for six factor scores.

    Args:
        scores: Score (1–5) of each factor, by factor name.
        acv_score: The ACV factor's score, for the band-edge rule.
        tiers: The scenario's tiers, for the spread rule (empty without a scenario).
    """
    total = sum(scores.values())
    if not MIN_TOTAL <= total <= MAX_TOTAL:
        raise ValueError(f"total = {total}: six scores of {MIN_SCORE}–{MAX_SCORE} sum to "
                         f"{MIN_TOTAL}–{MAX_TOTAL}")
    mixed = mixed_scores(scores) or spread_tiers(tiers)
    if mixed:
        return Recommendation("hybrid", mixed)
    return band_model(total, acv_score)


def mixed_scores(scores: Mapping[str, int]) -> str:
    """Why the factor scores are mixed, or ``""`` if they are not."""
    high = [name for name, score in scores.items() if score >= HIGH_ZONE_MIN]
    low = [name for name, score in scores.items() if score <= LOW_ZONE_MAX]
    if not (high and low):
        return ""
    return (f"mixed scores: {', '.join(high)} in the high zone ({_HIGH_ZONE}), "
            f"{', '.join(low)} in the low zone ({_LOW_ZONE})")


def spread_tiers(tiers: Sequence[TierAcv]) -> str:
    """Why the tiers' customers are spread over both ACV zones, or ``""`` if they are not."""
    high = [tier for tier in tiers if tier.acv_score >= HIGH_ZONE_MIN]
    low = [tier for tier in tiers if tier.acv_score <= LOW_ZONE_MAX]
    high_share, low_share = (sum(tier.share for tier in group) for group in (high, low))
    if min(high_share, low_share) < TIER_ZONE_MIN_SHARE - SHARE_TOLERANCE:
        return ""
    return (f"customers spread over the ACV zones: tiers with ACV scoring {_HIGH_ZONE} sign "
            f"{_shares(high)} of new customers, tiers scoring {_LOW_ZONE} sign {_shares(low)}")


def band_model(total: int, acv_score: int) -> Recommendation:
    """The model of the §11.2 band holding ``total``; the edges 12 and 20 by the ACV rule."""
    if total == LOW_TOUCH_MIN_TOTAL:
        return _edge(total, acv_score, LOW_TOUCH_EDGE_ACV_SCORE, "low-touch", "tech-touch")
    if total == HIGH_TOUCH_MIN_TOTAL:
        return _edge(total, acv_score, HIGH_TOUCH_EDGE_ACV_SCORE, "high-touch", "low-touch")
    if total < LOW_TOUCH_MIN_TOTAL:
        return Recommendation("tech-touch", f"total {total} in the tech-touch band "
                                            f"{MIN_TOTAL}–{LOW_TOUCH_MIN_TOTAL}")
    if total < HIGH_TOUCH_MIN_TOTAL:
        return Recommendation("low-touch", f"total {total} in the low-touch band "
                                           f"{LOW_TOUCH_MIN_TOTAL}–{HIGH_TOUCH_MIN_TOTAL}")
    return Recommendation("high-touch", f"total {total} in the high-touch band "
                                        f"{HIGH_TOUCH_MIN_TOTAL}–{MAX_TOTAL}")


def _edge(total: int, acv_score: int, needed: int, more: TouchModel,
          less: TouchModel) -> Recommendation:
    pays = acv_score >= needed
    return Recommendation(
        more if pays else less,
        f"total {total} is on the {less}/{more} edge; ACV scores {acv_score}, "
        f"{'at least' if pays else 'below'} the {needed} that {more} needs")


def _shares(tiers: Sequence[TierAcv]) -> str:
    names = ", ".join(f"{tier.name} {tier.share:.0%}" for tier in tiers)
    return f"{sum(tier.share for tier in tiers):.0%} ({names})"
