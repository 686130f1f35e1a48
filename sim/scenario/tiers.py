"""The customer side of a scenario: tiers, their mixes, churn and renewal changes.

Every field carries a docstring; pydantic turns it into the JSON-schema description, so
``cssim schema`` documents the file format. Defaults that the domain sources leave open are
marked *assumption* in their docstring and listed in docs/assumptions.md.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from sim.core.distributions import Distribution, Fixed
from sim.scenario.base import (
    MAX_NAME_LENGTH,
    MIN_INTERVAL_DAYS,
    NAME_PATTERN,
    Model,
    check_shares,
    plausible_scale,
)
from sim.scenario.churn import Churn
from sim.scenario.service import RenewalChange, ServiceNeed, default_change, default_need
from sim.scenario.vocabulary import TouchModel

MAX_TICKETS_PER_MONTH = 100.0
"""Most support tickets per customer per month a tier may raise."""


class Shares(Model):
    """A mix of shares that must sum to 1."""

    label: ClassVar[str] = "shares"

    @model_validator(mode="after")
    def _sums_to_one(self) -> Shares:
        check_shares(self.model_dump(), self.label)
        return self


class ComplexityMix(Shares):
    """Share of a tier's new customers at each implementation complexity."""

    label: ClassVar[str] = "complexity_mix"

    low: float = Field(0.3, ge=0, le=1)
    """Share with low complexity (set-up in hours to days)."""
    medium: float = Field(0.5, ge=0, le=1)
    """Share with medium complexity (days to weeks)."""
    high: float = Field(0.2, ge=0, le=1)
    """Share with high complexity (weeks to months)."""


class TicketMix(Shares):
    """Share of a tier's support tickets at each complexity level (§6.7)."""

    label: ClassVar[str] = "ticket_mix"

    T1: float = Field(0.6, ge=0, le=1)
    """General: how-to, account and billing, first triage."""
    T2: float = Field(0.3, ge=0, le=1)
    """Technical: integration troubleshooting, bug investigation."""
    T3: float = Field(0.1, ge=0, le=1)
    """Solutions engineering: custom implementation, architecture."""




TOUCH_DEFAULTS: dict[str, dict[str, float]] = {
    # Cadence: high-touch weekly/biweekly (§2.1, §5.2), low-touch monthly/quarterly
    # (§2.2); medium-touch (the $50-100K "dedicated" tier of §4.2, 1 CSM per 30-50 accounts) with
    # monthly check-ins and QBRs. Hours per touch and per renewal are assumptions sized so that a
    # CSM's book at the source ratio (12 high-touch, 40 medium, 50 low-touch accounts; §7.1,
    # §4.2) fills about 80-100% of the week. Onboarding: a person onboards every customer of a
    # human-touch tier; tech-touch customers onboard through automated sequences (§2.3, §5.3:
    # "if users can't finish onboarding alone, fix product/flow rather than adding people").
    "high": {"touch_interval_days": 14.0, "touch_hours": 5.0, "renewal_hours": 16.0,
             "accounts_per_csm": 12.0, "human_onboarding_share": 1.0},
    "medium": {"touch_interval_days": 30.0, "touch_hours": 3.0, "renewal_hours": 8.0,
               "accounts_per_csm": 40.0, "human_onboarding_share": 1.0},
    "low": {"touch_interval_days": 30.0, "touch_hours": 2.0, "renewal_hours": 4.0,
            "accounts_per_csm": 50.0, "human_onboarding_share": 1.0},
    "tech": {"touch_interval_days": 30.0, "touch_hours": 0.0, "renewal_hours": 0.0,
             "accounts_per_csm": 500.0, "human_onboarding_share": 0.0},
}
"""Defaults of the fields that follow a tier's touch model. A field the tier (or the change of
touch model: a sweep plan, a strategy's touch change) does not set takes the value of the touch
model in force; see ``TOUCH_DEPENDENT``."""
TOUCH_DEPENDENT: tuple[str, ...] = tuple(TOUCH_DEFAULTS["high"])
"""The tier fields whose defaults follow the touch model."""


class Tier(Model):
    """A customer tier: an ACV band served with one touch model."""

    name: str = Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)
    """Tier name (lower-case identifier), used in outputs."""
    acv_min: float = Field(ge=0)
    """Lowest ACV in the band, inclusive (USD per year). Bands are [acv_min, acv_max)."""
    acv_max: float | None = Field(None, gt=0)
    """ACV upper bound, exclusive; null for the top tier (unbounded)."""
    acv: Distribution
    """ACV distribution of new customers in this tier; draws are clipped into the band."""
    touch_model: TouchModel
    """high = weekly/biweekly 1:1 CSM (§2.1), medium = monthly check-ins and QBRs (§4.2
    $50-100K), low = monthly/quarterly (§2.2), tech = automated, no scheduled human touch (§2.3).
    Sets the defaults of the fields that follow it: accounts_per_csm, touch_interval_days,
    touch_hours, renewal_hours and human_onboarding_share."""
    coverage: Literal["dedicated", "pooled"] = "dedicated"
    """dedicated: each account has its own CSM; when that CSM leaves the account changes CSM
    (a CSM change, see service_effects.csm_change). pooled: the pool shares the tier's touches
    (in the pool's touch priority, on the pool's combined hours, §2.2 "assignment
    is dynamic by need") and a departure is no change of CSM for the account."""
    mix: float = Field(ge=0, le=1)
    """Share of new customers that sign in this tier; shares over tiers sum to 1."""
    complexity_mix: ComplexityMix = ComplexityMix()
    """Implementation complexity mix of new customers."""
    accounts_per_csm: float | None = Field(None, gt=0)
    """Target accounts per CSM (default by touch model high / medium / low / tech: 12 / 40 / 50 /
    500, §7.1, §4.2)."""
    touch_interval_days: float | None = Field(None, ge=MIN_INTERVAL_DAYS)
    """Days between scheduled touches (default by touch model: 14 / 30 / 30 / 30)."""
    touch_hours: float | None = Field(None, ge=0)
    """CSM hours per touch incl. preparation (default 5 / 3 / 2 / 0; assumption). 0 =
    automated."""
    renewal_hours: float | None = Field(None, ge=0)
    """Owner hours needed before a renewal date (default 16 / 8 / 4 / 0; assumption)."""
    churn: Churn
    """Latent churn distribution (shifted-beta-geometric)."""
    renewal_change: RenewalChange | None = None
    """Expansion and contraction at renewal of a fully served customer (null: the default for
    the tier's mean ACV, ``sim.scenario.service.CHANGE_BANDS``)."""
    tickets_per_month: float = Field(0.5, ge=0, le=MAX_TICKETS_PER_MONTH,
                                     json_schema_extra=plausible_scale(0.5, 2.0))
    """Support tickets per live customer per month at medium complexity (assumption)."""
    ticket_mix: TicketMix = TicketMix()
    """Complexity mix of this tier's tickets."""
    sla_response_hours: float = Field(24.0, gt=0)
    """First-response SLA target for this tier's tickets, in calendar hours: the support
    response its customers expect."""
    need: ServiceNeed | None = None
    """Service the tier's customers need whatever the touch model (null: the need of the model
    the sources recommend at the tier's mean ACV, ``sim.scenario.service.NEED_BANDS``)."""
    tooling_cost_per_account: float = Field(200.0, ge=0)
    """Technology cost per account per year, USD (§3.1: $200)."""
    fixed_cost_per_month: float = Field(0.0, ge=0)
    """Fixed automation/content cost of serving this tier, USD per month (tech-touch, §2.3)."""
    human_onboarding_share: float | None = Field(None, ge=0, le=1)
    """Share of new customers needing a human onboarding; the rest self-serve (default by touch
    model: 1 / 1 / 1 / 0, tech-touch onboarding is automated, §2.3, §5.3)."""
    self_serve_onboarding_days: Distribution = Fixed(value=14.0)
    """Time to go live for self-serve customers (onboarding sequence day 1-14, §5.4)."""

    @model_validator(mode="before")
    @classmethod
    def _touch_defaults(cls, data: object) -> object:
        touch_model = data.get("touch_model") if isinstance(data, dict) else None
        defaults = TOUCH_DEFAULTS.get(touch_model) if isinstance(touch_model, str) else None
        if isinstance(data, dict) and defaults is not None:
            # null in a touch field means "the touch model's default"; elsewhere it is refused
            data = {**defaults, **{key: value for key, value in data.items()
                                   if value is not None or key not in defaults}}
        return data

    @model_validator(mode="after")
    def _band(self) -> Tier:
        if self.acv_max is not None and self.acv_max <= self.acv_min:
            raise ValueError(f"acv_max = {self.acv_max:g}: must exceed acv_min ({self.acv_min:g})")
        return self

    def service_need(self) -> ServiceNeed:
        """The tier's stated need, or the default for its mean ACV."""
        return self.need if self.need is not None else default_need(self.acv.mean)

    def contract_change(self) -> RenewalChange:
        """The tier's stated expansion and contraction, or the default for its mean ACV."""
        if self.renewal_change is not None:
            return self.renewal_change
        return default_change(self.acv.mean)

    def contains(self, acv: float) -> bool:
        """Whether an ACV falls in this tier's band."""
        return self.acv_min <= acv and (self.acv_max is None or acv < self.acv_max)
