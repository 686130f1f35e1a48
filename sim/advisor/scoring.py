"""The six factors of §11 scored 1 to 5, as pure functions of plain inputs.

The sources define only the 1/3/5 anchors (§11.2). The 2 and 4 intermediates follow one
principle: **the 1 and 5 anchors keep the sources' edges, and the band of the 3 anchor is split
so that its two ends lean toward their neighbours** (2 toward tech-touch, 4 toward high-touch).
Whatever the sources score 1 or 5 still scores 1 or 5; only their "3" is refined. The cut points
inside the 3 band come from the sources where they give one:

=============  ======  ============  ============  ============  ======
factor         1       2             3             4             5
=============  ======  ============  ============  ============  ======
ACV            <$10K   $10K–$25K     $25K–$50K     $50K–$100K    $100K+
gross margin   <50%    50–55%        55–65%        65–70%        70%+
customers      2,000+  1,000–2,000   500–1,000     100–500       <100
=============  ======  ============  ============  ============  ======

Every band is ``[start, next start)``: a value on a cut point scores as the band above it.
Complexity, segment and competition are categories (1 / 3 / 5); a *mix* of complexities or
segments, as a scenario holds, scores the mix-weighted mean of the category scores, rounded half
up, which is where their 2 and 4 come from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

from sim.outputs.stages import CHOOSING_MODEL, stage_number
from sim.scenario.schema import Complexity

Segment = Literal["smb", "mid-market", "enterprise"]
Competition = Literal["value", "match", "premium"]
SEGMENTS: tuple[Segment, ...] = ("smb", "mid-market", "enterprise")
COMPETITIONS: tuple[Competition, ...] = ("value", "match", "premium")
STAGE_NAMES = CHOOSING_MODEL.names
"""The §10.3 stage names the growth-stage factor takes."""


class Scored(NamedTuple):
    """A factor's score and the reason for it."""

    score: int
    reason: str


LOW_TOUCH_ACV = 10_000.0
"""§11.1: $10K–$100K → low-touch; below $10K tech-touch is the only viable route (anchor 1)."""
MEDIUM_TOUCH_ACV = 25_000.0
"""§4.2 CSM ratio guide: $10K–$25K accounts get low-touch (50–100 per CSM, email-based),
$25K–$100K medium-touch; below it the low-touch band leans to tech-touch (score 2)."""
DEDICATED_CSM_ACV = 50_000.0
"""§4.2, §4.3: an account crossing $50K gets a dedicated CSM; low-touch needs $10K–$50K to be
justified (business-models, §14); above it the band leans to high-touch (score 4)."""
HIGH_TOUCH_ACV = 100_000.0
"""§11.1, §11.2: ACV $100K+ → high-touch (anchor 5)."""

ACV_BANDS: tuple[tuple[float, Scored], ...] = (
    (0.0, Scored(1, "under $10K: tech-touch is the only viable route (§11.1)")),
    (LOW_TOUCH_ACV, Scored(2, "$10K–$25K: low end of the low-touch band, 50–100 accounts "
                              "per CSM (§4.2)")),
    (MEDIUM_TOUCH_ACV, Scored(3, "$25K–$50K: low-touch, pooled CSMs (§11.1, §4.2)")),
    (DEDICATED_CSM_ACV, Scored(4, "$50K–$100K: a dedicated CSM from $50K (§4.2, §4.3)")),
    (HIGH_TOUCH_ACV, Scored(5, "$100K+: high-touch (§11.1)")),
)
"""ACV score by band start (USD per year)."""

MARGIN_LOW_TOUCH = 0.50
"""§11.2: gross margin below 50% → 1; 50–70% → 3."""
MARGIN_BAND_LOW_END = 0.55
"""Assumption: the lowest 5 points of the 50–70% band lean to tech-touch (score 2)."""
MARGIN_BAND_HIGH_END = 0.65
"""Assumption: the highest 5 points of the 50–70% band lean to high-touch (score 4)."""
MARGIN_HIGH_TOUCH = 0.70
"""§11.2: margins 70%+ → 5; high-touch needs gross margin above 70% (§2.1)."""

MARGIN_BANDS: tuple[tuple[float, Scored], ...] = (
    (-math.inf, Scored(1, "under 50%: no room for human touch (§11.2; §3.1: 40% margin "
                          "cannot carry 20% CS cost)")),
    (MARGIN_LOW_TOUCH, Scored(2, "50–55%: low end of the 50–70% low-touch band (§11.2)")),
    (MARGIN_BAND_LOW_END, Scored(3, "55–65%: low-touch margins (§11.2)")),
    (MARGIN_BAND_HIGH_END, Scored(4, "65–70%: high end of the 50–70% low-touch band (§11.2)")),
    (MARGIN_HIGH_TOUCH, Scored(5, "70%+: high-touch can be afforded (§11.2, §2.1)")),
)
"""Gross-margin score by band start (share of revenue)."""

TECH_TOUCH_CUSTOMERS = 1_000
"""§2.3: tech-touch fits 1,000 to 100,000+ customers; from here growth leans to it (score 2)."""
_EARLY_SCALING, _GROWTH, _SCALE = CHOOSING_MODEL.starts[1:]

CUSTOMER_BANDS: tuple[tuple[float, Scored], ...] = (
    (0.0, Scored(5, "under 100: startup, high-touch for all by necessity (§10.3)")),
    (_EARLY_SCALING, Scored(4, "100–500: early scaling; high-touch sustains up to ~500 "
                               "accounts (§10.3, §2.1)")),
    (_GROWTH, Scored(3, "500–1,000: growth, ratios of 1:50; low-touch fits 200–2,000 "
                        "(§10.3, §2.2)")),
    (TECH_TOUCH_CUSTOMERS, Scored(2, "1,000–2,000: growth; tech-touch fits from 1,000 "
                                     "(§10.3, §2.3)")),
    (_SCALE, Scored(1, "2,000+: scale, ratios of 1:500+ (§10.3, §11.2)")),
)
"""Growth-stage score by customer count (the §10.3 bands, growth split at 1,000)."""

COMPLEXITY_SCORES: dict[str, Scored] = {
    "low": Scored(1, "set-up in hours to days: tech-touch (§11.1)"),
    "medium": Scored(3, "days to weeks of implementation: low-touch or hybrid (§11.1)"),
    "high": Scored(5, "weeks to months of implementation: high-touch, never pure tech-touch "
                      "(§11.1)"),
}
SEGMENT_SCORES: dict[str, Scored] = {
    "smb": Scored(1, "SMB (< 100 employees): self-service preferred (§11.1)"),
    "mid-market": Scored(3, "mid-market (100–1,000 employees): low-touch or hybrid (§11.1)"),
    "enterprise": Scored(5, "enterprise (1,000+ employees): high-touch is a baseline (§11.1)"),
}
COMPETITION_SCORES: dict[str, Scored] = {
    "value": Scored(1, "value positioning: automation, tech-touch even at moderate ACV "
                       "(§11.1)"),
    "match": Scored(3, "match the market's service standard (§11.1)"),
    "premium": Scored(5, "premium positioning: high-touch even if economics are tight (§11.1)"),
}


def band_score(value: float, bands: Sequence[tuple[float, Scored]]) -> Scored:
    """The score of the band ``[start, next start)`` that holds ``value``."""
    chosen = bands[0][1]
    for start, scored in bands:
        if value >= start:
            chosen = scored
    return chosen


def score_acv(acv: float) -> Scored:
    """Factor 1, ACV in USD per year (>= 0)."""
    _require(math.isfinite(acv) and acv >= 0, f"acv = {acv:g}: must be a finite number >= 0 "
                                               f"(USD per year)")
    return band_score(acv, ACV_BANDS)


def score_margin(margin: float) -> Scored:
    """Factor 4, gross margin as a share of revenue (0.65 for 65%)."""
    _require(math.isfinite(margin) and margin <= 1,
             f"margin = {margin:g}: a finite share of revenue, at most 1 (write 0.65 for 65%)")
    return band_score(margin, MARGIN_BANDS)


def score_customers(customers: float) -> Scored:
    """Factor 6 from a customer count (>= 0)."""
    _require(math.isfinite(customers) and customers >= 0,
             f"customers = {customers:g}: must be a finite number >= 0")
    return band_score(customers, CUSTOMER_BANDS)


def score_stage(stage: str) -> Scored:
    """Factor 6 from a §10.3 stage name alone: the score of the stage's first customer count."""
    start, end = CHOOSING_MODEL.bounds(stage_number(stage, CHOOSING_MODEL))
    scored = band_score(start, CUSTOMER_BANDS)
    return Scored(scored.score, f"stage {stage} scored at its first count ({start:,}): "
                                f"{scored.reason}")


def score_complexity(level: Complexity) -> Scored:
    """Factor 2 from one complexity level."""
    return COMPLEXITY_SCORES[level]


def score_segment(segment: Segment) -> Scored:
    """Factor 3 from one segment."""
    return SEGMENT_SCORES[segment]


def score_competition(position: Competition) -> Scored:
    """Factor 5 from the competitive positioning."""
    return COMPETITION_SCORES[position]


def segment_of_acv(acv: float) -> Segment:
    """The segment the sources pair with an ACV.

    SMB under $10K (§2.3), mid-market $10K–$100K (§2.2), enterprise $100K+ (§2.1).
    """
    if acv < LOW_TOUCH_ACV:
        return "smb"
    return "mid-market" if acv < HIGH_TOUCH_ACV else "enterprise"


def score_mix(shares: Mapping[str, float], scores: Mapping[str, Scored], what: str) -> Scored:
    """Score a mix of categories: the share-weighted mean of their scores, rounded half up.

    Args:
        shares: Share of each category; they must sum to more than 0 (they are normalised).
        scores: Score of each category.
        what: What the categories are, for the reason (e.g. "complexity").
    """
    total = sum(shares.values())
    _require(total > 0, f"{what} shares = {dict(shares)}: must sum to more than 0")
    mean = sum(share * scores[name].score for name, share in shares.items()) / total
    return Scored(round_half_up(mean), f"mix-weighted mean {what} score {mean:.2f}, "
                                       f"rounded half up")


def round_half_up(value: float) -> int:
    """Round to the nearest integer, halves up (2.5 → 3), within 1e-9 of a half."""
    return math.floor(round(value, 9) + 0.5)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
