"""What ``cssim init`` proposes: tiers from a book's ACVs (or flags) and a team at source ratios.

Tiers follow §4.1 by default ($0-10K tech-touch, $10K-100K low-touch, $100K+ high-touch);
a book's own ``tier`` column wins, its bands then cut at each tier's lowest ACV. Each tier's
ACV distribution is a log-normal with the book's mean and coefficient of variation. The team:
a CSM pool per human-touch tier at the touch model's accounts per CSM (12 / 40 / 50, §7.1,
§4.2); support engineers at 100 customers each (§7.1: 50-200); in the specialist model
implementation specialists at 35 new customers a year each (§7.1: 25-45) and renewals
specialists at 100 renewals a year (§7.1); a CS Ops person per 8 CSMs from 8 CSMs on (§7.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.core.table_input import Problems, read_table
from sim.scenario.tiers import TOUCH_DEFAULTS

DEFAULT_TIERS = (("smb", 0.0, "tech"), ("mid_market", 10_000.0, "low"),
                 ("enterprise", 100_000.0, "high"))
"""§4.1's three tiers: tech-touch below $10K, low-touch $10K-$100K, high-touch $100K+."""
DEFAULT_MIX = {"tech": 0.6, "low": 0.3, "medium": 0.2, "high": 0.1}
"""Share of new customers per touch model without a book (assumption; normalised)."""
DEFAULT_ACV = {"tech": 5_000.0, "low": 40_000.0, "medium": 70_000.0, "high": 200_000.0}
"""Mean ACV per touch model without a book (assumption, inside §4.1's and §4.2's bands)."""
DEFAULT_ACV_CV = 0.5
"""Coefficient of variation of ACV without a book (assumption)."""
ANNUAL_CHURN = {"tech": 0.25, "low": 0.15, "medium": 0.12, "high": 0.08}
"""First-year logo churn per touch model until ``cssim fit retention`` gives yours
(assumption: lower for the higher touch models)."""
CUSTOMERS_PER_SUPPORT_ENGINEER = 100
"""§7.1: 50-200 customers per support engineer (about 200 simple, about 50 complex)."""
ONBOARDINGS_PER_SPECIALIST_YEAR = 35
"""§7.1: an implementation specialist completes about 25-45 onboardings a year."""
RENEWALS_PER_SPECIALIST_YEAR = 100
"""§7.1: headcount ≈ renewals in the next 12 months / 100."""
CSMS_PER_CS_OPS = 8
"""§7.1: first CS Ops hire at about 8-10 CSMs, then 1 per 5-10."""
MONTHLY_GROWTH = 0.02
"""New customers a month as a share of today's customers, without ``--arrivals`` (assumption)."""
COSTS = {"csm_high": 150_000, "csm": 120_000, "implementation": 110_000, "support": 95_000,
         "renewals": 110_000, "cs_ops": 120_000}
"""Fully-loaded annual cost per person (CSMs §15.3, §3.1; the other roles assumptions as in the
shipped scenarios)."""


@dataclass(frozen=True)
class TierPlan:
    """One proposed tier."""

    name: str
    acv_min: float
    acv_max: float | None
    touch: str
    accounts: int
    mix: float
    acv_mean: float
    acv_cv: float
    from_book: bool


@dataclass(frozen=True)
class PoolPlan:
    """One proposed staff pool and why it has this headcount."""

    name: str
    role: str
    headcount: int
    annual_cost: int
    why: str
    tiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class BookFacts:
    """What ``init`` reads from a book: ACVs, tiers given, the latest date."""

    acv: np.ndarray
    tier: np.ndarray | None
    latest: str | None


def read_book_facts(path: Path) -> BookFacts:
    """ACVs, the tier column (if any) and the latest date of a book file."""
    frame = read_table(path)
    problems = Problems(path, frame)
    problems.require(["acv", "start_date"])
    problems.raise_any()
    acv = problems.numbers("acv", minimum=1)
    starts = problems.dates("start_date")
    problems.raise_any()
    tier = problems.text("tier").to_numpy(dtype=object) if "tier" in frame else None
    if tier is not None and (tier == "").all():
        tier = None
    latest = np.nanmax(starts)
    month = np.datetime64(int(latest), "D").astype("datetime64[M]") + 1
    return BookFacts(acv, tier, str(month))


def parse_tiers(spec: str) -> list[tuple[str, float, str]]:
    """``smb:0:tech,mid:10000:low,ent:100000:high`` as (name, acv_min, touch model)."""
    tiers = []
    for item in spec.split(","):
        parts = item.strip().split(":")
        if len(parts) != 3 or parts[2] not in TOUCH_DEFAULTS:
            raise ValueError(f"--tiers {item!r}: expected NAME:ACV_MIN:TOUCH with TOUCH one of "
                             f"{', '.join(TOUCH_DEFAULTS)} (e.g. smb:0:tech,ent:100000:high)")
        try:
            tiers.append((parts[0], float(parts[1]), parts[2]))
        except ValueError:
            raise ValueError(f"--tiers {item!r}: ACV_MIN {parts[1]!r} is not a number") from None
    tiers.sort(key=lambda tier: tier[1])
    if not tiers or tiers[0][1] != 0:
        raise ValueError(f"--tiers {spec!r}: the lowest tier must start at ACV 0")
    return tiers


def touch_for(acv: float) -> str:
    """§4.1's touch model for an ACV."""
    return "high" if acv >= 100_000 else "low" if acv >= 10_000 else "tech"


def plan_tiers(book: BookFacts | None, spec: list[tuple[str, float, str]] | None,
               customers: int) -> list[TierPlan]:
    """The tiers: the book's own, or bands (flags, else §4.1) filled with the book's ACVs."""
    if book is not None and book.tier is not None and spec is None:
        spec = _bands_of_named_tiers(book)
    bands = spec or list(DEFAULT_TIERS)
    lows = [low for _, low, _ in bands]
    plans = []
    for index, (name, low, touch) in enumerate(bands):
        high = lows[index + 1] if index + 1 < len(bands) else None
        if book is None:
            count, mean, cv = customers, DEFAULT_ACV[touch], DEFAULT_ACV_CV
            plans.append(TierPlan(name, low, high, touch, 0, DEFAULT_MIX[touch],
                                  _inside(mean, low, high), cv, False))
            continue
        members = (book.acv >= low) & (book.acv < (high or math.inf))
        if book.tier is not None:  # named, or left blank and in the band
            members = (book.tier == name) | ((book.tier == "") & members)
        values = book.acv[members]
        count = int(members.sum())
        mean = float(values.mean()) if count else _inside(DEFAULT_ACV[touch], low, high)
        cv = float(values.std() / values.mean()) if count > 1 else DEFAULT_ACV_CV
        plans.append(TierPlan(name, low, high, touch, count, count / len(book.acv), mean,
                              min(max(cv, 0.05), 2.0), count > 0))
    if book is None:
        total = sum(plan.mix for plan in plans)
        plans = [_with(plan, mix=plan.mix / total,
                       accounts=round(customers * plan.mix / total)) for plan in plans]
    elif not any(plan.mix for plan in plans):
        raise ValueError("the book's accounts fall in none of the tiers")
    return plans


def _with(plan: TierPlan, **changes: object) -> TierPlan:
    from dataclasses import replace

    return replace(plan, **changes)  # type: ignore[arg-type]


def _inside(mean: float, low: float, high: float | None) -> float:
    if high is None:
        return max(mean, 2 * low)
    return mean if low <= mean < high else (low + high) / 2


def _bands_of_named_tiers(book: BookFacts) -> list[tuple[str, float, str]]:
    assert book.tier is not None
    names = sorted(set(book.tier) - {""},
                   key=lambda name: float(np.median(book.acv[book.tier == name])))
    bands, previous = [], 0.0
    for index, name in enumerate(names):
        values = book.acv[book.tier == name]
        low = 0.0 if index == 0 else max(float(values.min()), previous + 1)
        bands.append((str(name), low, touch_for(float(np.median(values)))))
        previous = low
    return bands


def plan_team(tiers: list[TierPlan], org_model: str, arrivals: float) -> list[PoolPlan]:
    """Pools sized at the source ratios for the book (or customer count) and the arrivals."""
    pools, csms, human = [], 0, 0
    for tier in tiers:
        if tier.touch == "tech":
            continue
        ratio = TOUCH_DEFAULTS[tier.touch]["accounts_per_csm"]
        headcount = max(1, math.ceil(tier.accounts / ratio))
        csms += headcount
        human += tier.accounts
        cost = COSTS["csm_high"] if tier.touch == "high" else COSTS["csm"]
        pools.append(PoolPlan(f"csm_{tier.name}", "csm", headcount, cost,
                              f"{tier.accounts} accounts / {ratio:g} per {tier.touch}-touch CSM "
                              "(§7.1, §4.2)", (tier.name,)))
    customers = sum(tier.accounts for tier in tiers)
    if org_model == "specialist":
        pools.append(PoolPlan("implementation", "implementation", max(1, math.ceil(
            arrivals * 12 / ONBOARDINGS_PER_SPECIALIST_YEAR)), COSTS["implementation"],
            f"{arrivals * 12:.0f} new customers a year / {ONBOARDINGS_PER_SPECIALIST_YEAR} "
            "onboardings per specialist (§7.1: 25-45)"))
        pools.append(PoolPlan("renewals", "renewals", max(1, math.ceil(
            human / RENEWALS_PER_SPECIALIST_YEAR)), COSTS["renewals"],
            f"{human} renewals a year / {RENEWALS_PER_SPECIALIST_YEAR} per specialist (§7.1)"))
    pools.append(PoolPlan("support", "support", max(1, math.ceil(
        customers / CUSTOMERS_PER_SUPPORT_ENGINEER)), COSTS["support"],
        f"{customers} customers / {CUSTOMERS_PER_SUPPORT_ENGINEER} per engineer (§7.1: 50-200)"))
    if csms >= CSMS_PER_CS_OPS:
        pools.append(PoolPlan("cs_ops", "cs_ops", math.ceil(csms / CSMS_PER_CS_OPS),
                              COSTS["cs_ops"], f"{csms} CSMs / {CSMS_PER_CS_OPS} per CS Ops "
                              "person (§7.1)"))
    return pools
