"""The sections of a scenario and its fields, without the cross-field rules.

``ScenarioFields`` is every field of a scenario; ``sim.scenario.schema.Scenario`` adds the
cross-field rules (``sim.scenario.rules``), which read a ``ScenarioFields``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.core.calendar import START_DATE_PATTERN
from sim.core.distributions import Distribution, Gamma
from sim.scenario.base import (
    MAX_NAME_LENGTH,
    MAX_PLAN_STEPS,
    NAME_PATTERN,
    Model,
    check_shares,
    check_unique,
    plausible,
    plausible_scale,
)
from sim.scenario.hiring import CsOps, Leadership
from sim.scenario.organisation import Organisation
from sim.scenario.service import ServiceEffects, WorkPriority, direction
from sim.scenario.staff import Hiring, StaffDynamics, StaffPool
from sim.scenario.strategies import Strategies
from sim.scenario.tiers import Tier
from sim.scenario.triggers import Triggers
from sim.scenario.vocabulary import (
    COMPLEXITIES,
    GENERALIST,
    TICKET_LEVELS,
    Complexity,
    OrgModel,
    TicketLevel,
)

MAX_CUSTOMERS = 1_000_000
"""Most initial customers (and most waiting for onboarding) of one tier."""
MAX_ARRIVALS_PER_MONTH = 100_000.0
"""Highest arrival rate of new customers per month."""
MAX_TIERS = 50
"""Most customer tiers."""
MAX_POOLS = 200
"""Most staff pools."""
MAX_COMPLEXITY_MULTIPLIER = 10.0
"""Largest ticket-rate multiplier of a complexity."""


class ArrivalStep(Model):
    """One piece of the growth plan: from this month on, new customers arrive at this rate."""

    from_month: float = Field(ge=0)
    """Month (from the start of the run) at which this rate starts."""
    customers_per_month: float = Field(ge=0, le=MAX_ARRIVALS_PER_MONTH)
    """Mean new customers per month (Poisson arrivals)."""
    mix: dict[str, float] | None = None
    """Optional tier mix for this piece, overriding each tier's `mix`."""


class Growth(Model):
    """The book at the start and the arrival schedule of new customers."""

    initial_customers: dict[str, Annotated[int, Field(ge=0, le=MAX_CUSTOMERS)]] = {}
    """Live, onboarded customers per tier at day 0; renewal dates spread over the year."""
    initial_backlog: dict[str, Annotated[int, Field(ge=0, le=MAX_CUSTOMERS)]] = {}
    """Signed customers per tier waiting for onboarding at day 0."""
    initial_book: str | None = Field(None, min_length=1, max_length=4096)
    """A file of the real accounts at day 0 (CSV or parquet; a path relative to the scenario
    file), instead of ``initial_customers`` and ``initial_backlog``; needs ``start_date``.
    Columns: account_id, acv, start_date, optional renewal_date, tier, owner, region, status,
    complexity, onboarding_started (docs/own_company.md)."""
    initial_tenure_years_max: int = Field(3, ge=0)
    """Initial customers have survived 0..this many renewals (uniform); their θ is drawn from
    the posterior Beta(α, β + renewals survived)."""
    arrivals: tuple[ArrivalStep, ...] = Field((), max_length=MAX_PLAN_STEPS)
    """Piecewise-constant schedule of new-customer arrivals."""

    @model_validator(mode="after")
    def _ordered(self) -> Growth:
        months = [step.from_month for step in self.arrivals]
        if months != sorted(set(months)):
            raise ValueError(f"arrivals from_month = {months}: must be strictly increasing")
        for where, counts in (("initial_customers", self.initial_customers),
                              ("initial_backlog", self.initial_backlog)):
            for tier, count in counts.items():
                if count < 0:
                    raise ValueError(f"growth.{where}.{tier} = {count}: must be >= 0")
        return self


class OnboardingDurations(Model):
    """Onboarding work duration at full productivity, by complexity (§7.1: 4-8 weeks average)."""

    low: Distribution = Gamma(mean=14.0, cv=0.5)
    """Low complexity, days."""
    medium: Distribution = Gamma(mean=42.0, cv=0.5)
    """Medium complexity, days."""
    high: Distribution = Gamma(mean=84.0, cv=0.5)
    """High complexity (weeks to months), days."""


class Abandonment(Model):
    """Churn before go-live: patience ~ Weibull(shape, scale); hazard grows with wait if shape > 1.

    The sources say a 3+ month backlog makes customers churn before they are onboarded (§7.1);
    the functional form is an assumption.
    """

    enabled: bool = True
    """Whether waiting customers can abandon."""
    shape: float = Field(2.0, gt=0, json_schema_extra=plausible(1.2, 3.0))
    """Weibull shape; above 1 the hazard grows with the wait."""
    scale_days: float = Field(240.0, gt=0, json_schema_extra=plausible(120.0, 400.0))
    """Weibull scale in days (with shape 2: 13% abandon by 90 days of waiting)."""


class Onboarding(Model):
    """How customers get from signature to go-live."""

    durations: OnboardingDurations = OnboardingDurations()
    """Work duration by complexity; stretched by 1 / productivity of the person doing it."""
    hours_per_week: float = Field(2.9, ge=0, json_schema_extra=plausible(2.0, 4.0))
    """Hours of the onboarder's week one onboarding takes (assumption: 10 full slots x 2.9 h =
    29 h, 85% of a 40-hour week after 15% admin)."""
    abandonment: Abandonment = Abandonment()
    """Abandonment while waiting in the queue."""


class Support(Model):
    """Support ticket handling (§6.7: route by ticket complexity, not account value)."""

    hours_per_ticket: dict[TicketLevel, float] = Field(
        {"T1": 0.5, "T2": 2.0, "T3": 6.0}, json_schema_extra=plausible_scale(0.5, 2.0))
    """Engineer hours per ticket by level (assumption)."""
    complexity_multiplier: dict[Complexity,
                                Annotated[float, Field(le=MAX_COMPLEXITY_MULTIPLIER)]] = {
        "low": 0.5, "medium": 1.0, "high": 2.0}
    """Ticket-rate multiplier by customer complexity (assumption)."""
    backlog_clear_weeks: float = Field(2.0, gt=0, json_schema_extra=plausible(1.0, 4.0))
    """Weekly pressure on engineers counts the new work plus the backlog at the start of the
    week spread over this many weeks (assumption)."""

    @model_validator(mode="after")
    def _complete(self) -> Support:
        for key, values, names in (("hours_per_ticket", self.hours_per_ticket, TICKET_LEVELS),
                                   ("complexity_multiplier", self.complexity_multiplier,
                                    COMPLEXITIES)):
            missing = [name for name in names if name not in values]
            if missing:
                raise ValueError(f"support.{key} = {values}: missing {missing}")
            if any(value <= 0 for value in values.values()):
                raise ValueError(f"support.{key} = {values}: values must be > 0")
        return self


class Renewals(Model):
    """Renewal work."""

    window_days: float = Field(90.0, gt=0, json_schema_extra=plausible(60.0, 120.0))
    """Renewal work can be done in this many days before the renewal date (assumption)."""
    new_hire_share: float = Field(0.5, ge=0, le=1, allow_inf_nan=False)
    """A renewals specialist who joins takes over open renewal work from the most loaded
    colleagues of the pool (their latest dates first) until holding this share of the pool's
    open renewal hours per person (0: only new work; 1: an equal share; assumption: half,
    while ramping up)."""
    specialist_hours_share: float = Field(0.75, gt=0, le=1,
                                          json_schema_extra=direction(0.5, 1.0, "§9.1"))
    """Hours a renewals specialist needs for a renewal, as a share of the tier's
    ``renewal_hours`` (those of a CSM): §9.1, specialists "refine their stage week after week;
    generalists start over with each customer", and 120 renewals by one specialist cost less
    than three CSMs doing 40 each (the share itself is an assumption)."""
    rebalance_threshold: float | None = Field(1.0, gt=0, allow_inf_nan=False)
    """Each week a renewals specialist whose renewal work due at pace exceeds this multiple of
    their hours available hands their latest-dated tasks to the colleague of the pool with the
    most room below the same limit (null: work stays with its holder; assumption: the team
    lead moves what cannot be done on time)."""


class Costs(Model):
    """Non-staff costs (§3.1)."""

    shared_cost_per_account: float = Field(0.0, ge=0)
    """Shared-resource allocation per account per year not modelled as staff, USD (§3.1 uses
    $600 when onboarding and support are not modelled separately)."""


class ScenarioFields(Model):
    """A CS organisation over time: customers, tiers, growth plan, team and costs."""

    name: str = Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)
    """Scenario name (lower-case identifier), used for output folders."""
    description: str = ""
    """Free text."""
    horizon_months: int = Field(gt=0, le=240)
    """Simulated months."""
    start_date: str | None = Field(None, pattern=START_DATE_PATTERN,
                                   json_schema_extra={"required_for": "an initial_book"})
    """Calendar month of day 0, ``YYYY-MM`` (e.g. ``2025-01``): the period tables gain a
    ``month`` column and reports label periods by calendar month; null: periods are labelled
    month 1, month 2, ... (no effect on the simulation)."""
    output_period: Literal["monthly", "weekly"] = "monthly"
    """Granularity of the time series."""
    org_model: OrgModel = GENERALIST
    """generalist: CSMs onboard and renew their own accounts; specialist: implementation team
    onboards then hands off, renewals specialists renew; pod: the specialist roles grouped in
    pods by tier, with shared renewals and support; geographic: the specialist roles by region
    (§9; see `org`)."""
    tiers: tuple[Tier, ...] = Field(min_length=1, max_length=MAX_TIERS)
    """Customer tiers; ACV bands must be contiguous, without gaps or overlaps."""
    growth: Growth
    """Initial book and arrivals."""
    pools: tuple[StaffPool, ...] = Field(min_length=1, max_length=MAX_POOLS)
    """Staff pools."""
    hiring: Hiring = Hiring()
    """Lead time, ramp and backfill."""
    staff: StaffDynamics = StaffDynamics()
    """Burnout and attrition."""
    onboarding: Onboarding = Onboarding()
    """Onboarding durations, effort and abandonment."""
    support: Support = Support()
    """Ticket effort and rates."""
    renewals: Renewals = Renewals()
    """Renewal work window."""
    service_effects: ServiceEffects = ServiceEffects()
    """Service delivered against need: effects on churn, expansion and contraction."""
    work_priority: WorkPriority = WorkPriority()
    """Order of the work a pool cannot all do."""
    costs: Costs = Costs()
    """Non-staff costs."""
    strategies: Strategies = Strategies()
    """Rules that change the org model or touch models during the run (none by default)."""
    cs_ops: CsOps = CsOps()
    """CS Ops productivity gain on CSMs (§7.1)."""
    leadership: Leadership = Leadership()
    """Leadership layers derived from spans of control (§7.3)."""
    triggers: Triggers = Triggers()
    """Usage signal and trigger-based interventions (off by default)."""
    org: Organisation = Organisation()
    """Handoffs, pods and regions of the organisation models."""

    def tier_index(self, name: str) -> int:
        """Position of a tier by name."""
        return [tier.name for tier in self.tiers].index(name)


def check_tier_bands(tiers: tuple[Tier, ...]) -> None:
    """Tier names are unique, mixes sum to 1 and ACV bands are contiguous, the top one open."""
    check_unique([tier.name for tier in tiers], "tiers")
    check_shares({tier.name: tier.mix for tier in tiers}, "tiers[*].mix")
    order = sorted(range(len(tiers)), key=lambda i: tiers[i].acv_min)
    for previous, current in zip(order, order[1:], strict=False):
        upper = tiers[previous].acv_max
        lower = tiers[current].acv_min
        if upper is None or upper > lower:
            raise ValueError(
                f"tiers[{current}].acv_min = {lower:g}: overlaps the band of tier "
                f"{tiers[previous].name!r} (acv_max "
                f"{'null' if upper is None else format(upper, 'g')})")
        if upper < lower:
            raise ValueError(
                f"tiers[{current}].acv_min = {lower:g}: leaves a gap after tier "
                f"{tiers[previous].name!r} (acv_max {upper:g})")
    top = tiers[order[-1]]
    if top.acv_max is not None:
        raise ValueError(f"tiers[{order[-1]}].acv_max = {top.acv_max:g}: the highest band must "
                         "be open-ended (null)")
