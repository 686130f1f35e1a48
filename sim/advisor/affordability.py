"""Can the ACV pay for a touch model? Each model's cost per customer against a CS budget.

The post-sale model is "an economic decision first" (§1): the six-factor total says
how much touch the customers call for, the budget says how much of it their ACV and margin pay
for. The budget is a share of the gross profit a customer brings (margin × ACV):

    budget = CS_COST_CEILING_SHARE × ACV × margin / REFERENCE_MARGIN  (= 21.4% of margin × ACV)

that is the §3.2 ceiling of 15% of revenue at the 70% margin high-touch needs, more with
exceptionally high margins, less with tight ones. A model fits when its cost per customer
(:data:`MODEL_COSTS`, the sources' own worked figures) is within the budget. Stepping down from
the model the scores call for, the first that fits is recommended:

    high-touch → medium-touch (only from an ACV of $50K) → low-touch → tech-touch

Tech-touch is the floor; if even it exceeds the budget the advice says so. A genuinely complex
product is never left on tech-touch by economics (§11.1): it gets low-touch and the advice to
raise prices or improve usability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sim.advisor.scoring import DEDICATED_CSM_ACV

TouchModel = Literal["high-touch", "medium-touch", "low-touch", "tech-touch", "hybrid"]

CS_COST_CEILING_SHARE = 0.15
"""§3.2: CS cost should be 5–15% of revenue; above 15% burns cash unless margins are
exceptionally high (choosing-model). Plausible range 0.10–0.20 (§3.1 targets 10%, §3.2's
high-touch multiple of 5–10x allows 20%)."""
REFERENCE_MARGIN = 0.70
"""§2.1, §11.2: high-touch needs a gross margin of 70%+; at this margin the ceiling is the 15%
of revenue §3.2 states. Assumption: the ceiling is a fixed share of gross profit (margin × ACV),
so it grows with exceptionally high margins (§3.2) and shrinks with tight ones (§13: a 40%
margin cannot carry 20% CS cost)."""
BUDGET_SHARE_OF_GROSS_PROFIT = CS_COST_CEILING_SHARE / REFERENCE_MARGIN
"""The budget as a share of margin × ACV: 0.15 / 0.70 ≈ 21.4%."""
COMPLEX_PRODUCT_MIN_SCORE = 4
"""A complexity scoring 4–5 is "genuinely complex": never left on pure tech-touch (§11.1)."""
LADDER: tuple[TouchModel, ...] = ("high-touch", "medium-touch", "low-touch", "tech-touch")
"""The models from most to least human touch."""


@dataclass(frozen=True)
class ModelCost:
    """A model's CS cost per customer and where the figure comes from."""

    usd: float
    """Cost per customer per year, USD."""
    basis: str
    """How the sources arrive at it."""


MODEL_COSTS: dict[TouchModel, ModelCost] = {
    "high-touch": ModelCost(12_500, "$150K CSM / 12 accounts (§3.1 worked examples, §2.1: 8–15)"),
    "medium-touch": ModelCost(3_000, "dedicated CSM, $120K / 40 accounts (§3.1: the sources' "
                                     "dedicated-CSM examples; §4.2: 30–50 accounts)"),
    "low-touch": ModelCost(2_400, "pooled CSM, $120K / 50 accounts (§3.1 choosing-model "
                                  "example 2; §2.2: 40–80)"),
    "tech-touch": ModelCost(240, "$120K CSM / 500 accounts (§2.3, §15.3; inside §11.1's "
                                 "$100–$500)"),
}
"""Cost per customer of each model at the sources' planning ratios (CSM cost only, as in the
choosing-model examples of §3.1; shared resources and technology come on top)."""


@dataclass(frozen=True)
class CostCheck:
    """One model weighed against the budget."""

    model: TouchModel
    """The model checked."""
    cost: float
    """Its cost per customer, USD per year (0 when not eligible)."""
    fits: bool
    """Whether the model can be recommended: eligible and within the budget."""
    why: str
    """The figure that decided, in words."""


@dataclass(frozen=True)
class Affordability:
    """The model the ACV pays for, the budget and every model weighed on the way down."""

    model: TouchModel
    """The recommended model after the check."""
    budget: float
    """CS budget per customer, USD per year."""
    checks: tuple[CostCheck, ...]
    """The models weighed, from the one the scores call for down to the first that fits."""
    note: str = ""
    """Why the chosen model is not the first that fits, or that even it exceeds the budget."""

    def summary(self) -> str:
        """The affordability figures that decided, in one clause."""
        first = self.checks[0]
        if first.fits:
            return f"{first.model} ({_usd(first.cost)}) fits the {_usd(self.budget)} budget"
        text = f"{first.model}: {first.why}"
        fitting = [item for item in self.checks if item.fits]
        if fitting:
            text += f"; {fitting[0].model} ({_usd(fitting[0].cost)}) fits"
        return f"{text}; {self.note}" if self.note else text


def cs_budget(acv: float, margin: float) -> float:
    """CS budget per customer: :data:`BUDGET_SHARE_OF_GROSS_PROFIT` of margin × ACV (USD/year)."""
    return BUDGET_SHARE_OF_GROSS_PROFIT * max(margin, 0.0) * acv


def check(model: TouchModel, acv: float, budget: float) -> CostCheck:
    """Weigh one model: eligible at this ACV, and its cost per customer within ``budget``."""
    if model == "medium-touch" and acv < DEDICATED_CSM_ACV:
        return CostCheck(model, 0.0, False, f"a dedicated CSM starts at an ACV of "
                                            f"{_usd(DEDICATED_CSM_ACV)} (§4.2, §4.3)")
    cost = MODEL_COSTS[model].usd
    fits = cost <= budget
    share = f" ({cost / acv:.1%} of ACV)" if acv > 0 else ""
    return CostCheck(model, cost, fits, f"{_usd(cost)} per customer{share} "
                                        f"{'within' if fits else 'over'} the budget of "
                                        f"{_usd(budget)}")


def afford(wanted: TouchModel, acv: float, margin: float, complexity_score: int) -> Affordability:
    """Step down from ``wanted`` to the first model the budget pays for (see the module doc).

    Args:
        wanted: The model the six-factor scores call for (not hybrid).
        acv: ACV, USD per year.
        margin: Gross margin, share of revenue.
        complexity_score: The complexity factor's score (1–5).
    """
    budget = cs_budget(acv, margin)
    checks: list[CostCheck] = []
    for model in LADDER[LADDER.index(wanted):]:
        checks.append(check(model, acv, budget))
        if checks[-1].fits:
            break
    chosen, note = checks[-1].model, ""
    if not checks[-1].fits:
        note = f"even tech-touch costs more than the {_usd(budget)} budget"
    if chosen == "tech-touch" and complexity_score >= COMPLEX_PRODUCT_MIN_SCORE:
        chosen, note = "low-touch", _complex_note(budget)
    return Affordability(chosen, budget, tuple(checks), note)


def _complex_note(budget: float) -> str:
    low = MODEL_COSTS["low-touch"].usd
    note = ("a complex product must not be left on pure tech-touch (§11.1): low-touch, "
            f"{_usd(low)} per customer")
    if low <= budget:
        return f"{note}, within the {_usd(budget)} budget"
    return f"{note}, over the {_usd(budget)} budget: raise prices or improve usability"


def _usd(amount: float) -> str:
    return f"${amount:,.0f}"
