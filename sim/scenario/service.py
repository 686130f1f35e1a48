"""Service need and service effects: what each tier needs, and what delivering it changes.

Service delivered against the need moves churn, expansion and contraction at renewal.
A tier's *need* is stated independently of the touch model the company runs: the human attention
over a contract year that keeps its customers healthy, the share of it automated touches can
stand in for, and how well they do. The support response a tier expects is its
``sla_response_hours``. Without a ``need`` a tier takes the need the sources give for its
ACV (``default_need``, §11: the ACV decides the model the customers need).
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import Field, model_validator

from sim.scenario.base import SHARE_TOLERANCE, Model, plausible
from sim.scenario.vocabulary import CSM, SUPPORT

Band = TypeVar("Band")


class RenewalChange(Model):
    """What a fully served customer does to its contract value at renewal (assumption).

    Sizes are log-normal with the given mean and coefficient of variation, so that one
    pre-drawn normal variate per renewal serves whichever tier the customer is in then.
    """

    expansion_probability: float = Field(0.25, ge=0, le=1)
    """Probability that a renewing customer expands."""
    expansion_mean: float = Field(0.25, gt=0)
    """Mean relative ACV increase on expansion (0.25 = +25%)."""
    expansion_cv: float = Field(0.6, ge=0)
    """Coefficient of variation of the expansion size."""
    contraction_probability: float = Field(0.08, ge=0, le=1)
    """Probability that a renewing customer contracts."""
    contraction_mean: float = Field(0.2, gt=0, lt=1)
    """Mean relative ACV decrease on contraction."""
    contraction_cv: float = Field(0.5, ge=0)
    """Coefficient of variation of the contraction size."""
    max_contraction: float = Field(0.9, gt=0, lt=1)
    """Largest relative decrease one contraction can make."""

    @model_validator(mode="after")
    def _probabilities(self) -> RenewalChange:
        total = self.expansion_probability + self.contraction_probability
        if total > 1 + SHARE_TOLERANCE:
            raise ValueError(
                f"expansion_probability + contraction_probability = {total:g}: must be at most 1"
            )
        return self


class ServiceNeed(Model):
    """Service a tier's customers need over a contract year (independent of the touch model)."""

    human_hours_per_year: float = Field(ge=0)
    """CSM touch hours a year (preparation included) that keep a customer of the tier healthy:
    0 = the customers need no human attention."""
    automatable_share: float = Field(ge=0, le=1)
    """Largest share of that need automated touches (in-app guidance, email programmes, the
    knowledge base) can stand in for."""
    automation_efficacy: float = Field(1.0, ge=0, le=1)
    """How much of that share the automated programme delivers (1 = all of it)."""


NEED_BANDS: tuple[tuple[float, ServiceNeed], ...] = (
    # §2.3: ACV $1K-10K, tech-touch "the only viable route"; automation covers the need
    (0.0, ServiceNeed(human_hours_per_year=4.0, automatable_share=1.0)),
    # §2.2: $10K-50K, touchpoints "monthly or quarterly", digital-first: a quarterly 3-hour
    # touch, half of it automatable
    (10_000.0, ServiceNeed(human_hours_per_year=12.0, automatable_share=0.5)),
    # §4.2: $50K-100K, a dedicated CSM with QBRs and monthly check-ins (3 h)
    (50_000.0, ServiceNeed(human_hours_per_year=36.0, automatable_share=0.3)),
    # §5.1: monthly calls for $100K+ (5 h with preparation); §11 step 3: enterprise does not
    # accept automation-only service. §2.1's weekly or biweekly check-ins are more than the need.
    (100_000.0, ServiceNeed(human_hours_per_year=60.0, automatable_share=0.2)),
)
"""Default need by mean ACV of the tier's new customers: the least service the sources give
the touch model they recommend at that ACV (§11 step 1, §2.1-2.3, §4.2, §5.1). Hours are a
cadence times hours per touch; the automatable shares are assumptions."""


CHANGE_BANDS: tuple[tuple[float, RenewalChange], ...] = (
    # §2.3: "expansion and advocacy are harder"; §6.2: $0-25K expansion is routed in-app
    (0.0, RenewalChange(expansion_probability=0.15, expansion_mean=0.3,
                        contraction_probability=0.08, contraction_mean=0.3)),
    (10_000.0, RenewalChange(expansion_probability=0.3, expansion_mean=0.3,
                             contraction_probability=0.1, contraction_mean=0.2)),
    # §4.2: "proactive expansion planning" in the $50-100K tier
    (50_000.0, RenewalChange(expansion_probability=0.45, expansion_mean=0.3,
                             contraction_probability=0.1, contraction_mean=0.2)),
    # §2.1: high-touch NRR 120%+ (with the churn of GRR 95%+)
    (100_000.0, RenewalChange(expansion_probability=0.55, expansion_mean=0.4,
                              contraction_probability=0.08, contraction_mean=0.15)),
)
"""Default expansion and contraction of a fully served customer by the tier's mean ACV: sized so
that a fully served high-touch tier reaches the NRR of §2.1 and a tech-touch tier expands
little (§2.3); the values are assumptions, the same as the stage scenarios state."""


def default_change(mean_acv: float) -> RenewalChange:
    """Expansion and contraction of a tier whose new customers have this mean ACV."""
    return _band(CHANGE_BANDS, mean_acv)


def default_need(mean_acv: float) -> ServiceNeed:
    """The need of a tier whose new customers have this mean ACV (``NEED_BANDS``)."""
    return _band(NEED_BANDS, mean_acv)


def _band(bands: tuple[tuple[float, Band], ...], mean_acv: float) -> Band:
    """The value of the highest band whose lowest ACV is at most ``mean_acv``."""
    value = bands[0][1]
    for lowest, band_value in bands:
        if mean_acv >= lowest:
            value = band_value
    return value


def direction(low: float, high: float, anchor: str) -> dict[str, Any]:
    """Plausible-range metadata of an effect: its direction from a source, its size assumed."""
    return plausible(low, high, f"{anchor} (direction); size: assumption")


TouchPriority = Literal["least_recent", "value", "risk"]
"""How a CSM (or a pooled team) orders the touches due when not all fit in the week."""


class WorkPriority(Model):
    """How work is ordered when a pool cannot do all of it (a pool may override it)."""

    touches: TouchPriority = "value"
    """value: the highest ACV first (§4.1: human touch goes where the revenue is; §2.4: the top
    tier "drives retention and expansion"); risk: the largest risk first, the coverage deficit
    so far this cycle plus ``usage_drop_weight`` x the usage drop (§2.2: "assignment is dynamic
    by need and health score"); least_recent: the least recently touched first. Ties go to the
    least recently touched."""
    usage_drop_weight: float = Field(1.0, ge=0,
                                     json_schema_extra=direction(0.5, 2.0, "§6.3"))
    """``risk`` only: the risk of an account is its coverage deficit plus this x its usage
    drop, the fall of its usage below its healthy level (1 − usage, 0 when usage is at or above
    it or not modelled: ``triggers`` off). 1: a customer whose usage halved counts like one
    that missed half its service this cycle (§6.3: a usage fall is a risk signal; the weight
    is an assumption)."""
    support: Literal["fcfs", "tier"] = "fcfs"
    """fcfs: tickets in order of opening (§6.7: route by ticket complexity, not account value);
    tier: tickets waiting since before the day in order of their tier's SLA, the tightest first
    (§4.2: priority support response for the upper tiers), then by age."""

    def of_pool(self, role: str, touch_priority: TouchPriority | None) -> str:
        """The order a pool works in, as the workforce table shows it.

        A CSM pool orders its touches by its own ``touch_priority``, else by ``touches``; a
        support desk its tickets by ``support``; other roles: ``""``.
        """
        if role == CSM:
            return touch_priority or self.touches
        return self.support if role == SUPPORT else ""


class ServiceEffects(Model):
    """How service delivered moves a customer's churn odds, expansion and contraction at renewal.

    Churn probability = θF / (1 − θ + θF) with F the product of the factors below; with every
    factor at its neutral value (1; ``expansion_floor`` 1 and the lifts 0 for the contract)
    the model is exactly shifted-beta-geometric, θ being the churn of a fully served customer.
    Coverage c is service delivered over the cycle divided by the need (``sim.customers.coverage``);
    its benefit b(c) = (1 − e^(−λc)) / (1 − e^(−λ)) is 0 without service, 1 at full coverage and
    rises with diminishing returns (at most 1 / (1 − e^(−λ)) however much is delivered).
    The forms are assumptions (§15.1: "[not in sources]"); the directions are the sources' (§13).
    """

    onboarding_wait_per_month: float = Field(1.15, gt=0,
                                            json_schema_extra=direction(1.0, 1.3, "§7.1"))
    """First renewal only: odds x this ** (months waited for a human onboarding; 0 for
    self-serve). §7.1: a 3+ month backlog makes customers churn before they are onboarded."""
    under_service: float = Field(2.5, ge=1, json_schema_extra=direction(1.5, 4.0, "§13"))
    """Odds x this ** (1 − b(c)): the churn-odds multiplier of a customer that received none of
    the service its tier needs (§2.3: "churn can be higher without proactive intervention";
    §13: enterprise given tech-touch churns). Service beyond the need lowers the odds a little
    (down to this ** (1 − b(∞)))."""
    coverage_curvature: float = Field(3.0, gt=0, json_schema_extra=plausible(1.0, 6.0))
    """λ of b(c): how fast the benefit of service saturates (large: the first hours matter
    most; assumption)."""
    sla_breaches: float = Field(1.5, gt=0, json_schema_extra=plausible(1.1, 2.5))
    """Odds x this ** (share of tickets that breached the tier's expected response time since
    the last renewal; assumption)."""
    csm_change: float = Field(1.2, gt=0, json_schema_extra=direction(1.0, 1.5, "§2.1"))
    """Odds x this ** (changes of CSM since the last renewal; §2.1: a CSM who leaves is a single
    point of failure)."""
    missed_renewal: float = Field(2.0, gt=0, json_schema_extra=plausible(1.2, 3.0))
    """Odds x this when the renewal work was not done before the date (assumption)."""
    expansion_floor: float = Field(0.5, ge=0, le=1, json_schema_extra=direction(0.2, 1.0, "§2.3"))
    """Expansion probability at zero coverage as a share of the tier's ``renewal_change``
    probability, which is that of a fully served customer (x floor + (1 − floor) · min(b(c), 1));
    §2.3: with tech-touch "expansion and advocacy are harder"."""
    csm_led_expansion: float = Field(0.5, ge=0, le=1, json_schema_extra=direction(0.2, 0.8, "§2.1"))
    """Share of a tier's expansions that are CS-led: the expansion probability x (1 − this ·
    (1 − e)), e the share of the human-only part of the need met by CSM hours (§2.1: the
    high-touch CSM holds "proactive expansion conversations"; the share is an assumption)."""
    csm_led_size: float = Field(0.3, ge=0, le=1, json_schema_extra=plausible(0.0, 0.6))
    """CS-led expansions are larger: the mean expansion size x (1 − this · (1 − e))
    (assumption)."""
    contraction_under_service: float = Field(2.0, ge=1, json_schema_extra=plausible(1.0, 3.0))
    """Contraction probability x this ** (1 − min(b(c), 1)): an under-served customer cuts
    seats (assumption)."""


NEUTRAL_EFFECTS: dict[str, float] = {
    "onboarding_wait_per_month": 1.0, "under_service": 1.0, "sla_breaches": 1.0,
    "csm_change": 1.0, "missed_renewal": 1.0, "expansion_floor": 1.0,
    "csm_led_expansion": 0.0, "csm_led_size": 0.0, "contraction_under_service": 1.0}
"""Service effects under which service changes nothing: churn is exactly shifted-beta-geometric
and every renewal expands or contracts with the tier's own probabilities."""
