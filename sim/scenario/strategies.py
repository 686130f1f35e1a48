"""Schema of strategies: rules that change the org model or tiers' touch models during a run.

A rule fires once, when its condition holds at a monthly review, no other change is under way and
the previous change has been in force for the commitment period (§12.3: commit for
12-18 months). The change then follows the roadmap of §12: design, a pilot on a share of
the customers, and a rollout to the rest, with a one-off cost.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import MAX_HEADCOUNT, MAX_NAME_LENGTH, MIN_INTERVAL_DAYS, NAME_PATTERN, Model
from sim.scenario.tiers import TOUCH_DEFAULTS
from sim.scenario.vocabulary import ChangeableOrgModel, TouchModel

StrategyMetric = Literal["customers", "backlog_weeks", "missed_renewals", "cs_cost_pct_arr",
                         "accounts_per_csm"]


class Condition(Model):
    """When a rule fires: a company-level metric at or beyond a threshold.

    Metrics, measured at each review: ``customers`` under contract (waiting, onboarding or live);
    ``backlog_weeks``, the longest onboarding queue in weeks of all its team's slots;
    ``missed_renewals`` in the trailing ``window_days``; ``cs_cost_pct_arr``, the run-rate CS
    cost (staff on payroll, derived leadership layers, per-account, fixed and running
    strategy costs, a year's worth) as % of ARR;
    ``accounts_per_csm``, live accounts with a CSM per CSM on staff.
    """

    metric: StrategyMetric
    """The metric watched."""
    at_least: float | None = None
    """Fire when the metric is at least this."""
    at_most: float | None = None
    """Fire when the metric is at most this."""
    window_days: float = Field(91.0, gt=0)
    """Trailing window of ``missed_renewals`` (assumption: a quarter)."""

    @model_validator(mode="after")
    def _one_bound(self) -> Condition:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError(f"when = {self.model_dump(exclude_defaults=True)}: give exactly one "
                             "of at_least or at_most")
        return self


class TouchChange(Model):
    """A tier's new service model after the change.

    A new touch model brings its own value of every field that follows the touch model (touch
    interval, hours per touch and per renewal, the share of human onboarding), as in a tier,
    except those the change itself sets; the tier's current values of those fields belong to the
    old model. Without a new touch model, unset fields keep the tier's current value.
    """

    touch_model: TouchModel | None = None
    """New touch model of the tier."""
    coverage: Literal["dedicated", "pooled"] | None = None
    """New coverage (dedicated or pooled CSMs)."""
    touch_interval_days: float | None = Field(None, ge=MIN_INTERVAL_DAYS)
    """New days between scheduled touches."""
    touch_hours: float | None = Field(None, ge=0)
    """New CSM hours per touch."""
    renewal_hours: float | None = Field(None, ge=0)
    """New owner hours per renewal."""
    human_onboarding_share: float | None = Field(None, ge=0, le=1)
    """Share of the customers who sign once the change is complete that a person onboards; the
    rest self-serve. Null: follow the new touch model (tech-touch: 0, every customer
    self-serves; the others: 1), or keep the tier's share when the touch model is unchanged.
    Customers who signed before keep the onboarding they started."""
    fixed_cost_per_month: float = Field(0.0, ge=0)
    """Extra fixed cost of serving the tier this way from the pilot on, USD per month (e.g. the
    automation and content of tech-touch, §2.3)."""

    def applied(self, field: str, current: float) -> float:
        """A touch-model field's value after the change, from its value before."""
        value = getattr(self, field)
        if value is not None:
            return float(value)
        if self.touch_model is not None:
            return TOUCH_DEFAULTS[self.touch_model][field]
        return current


class Transition(Model):
    """How a change is carried out (§12.1-12.2)."""

    design_days: float = Field(28.0, ge=0)
    """Design phase (weeks 1-4): costs money, changes nothing yet."""
    pilot_days: float = Field(56.0, ge=0)
    """Pilot (weeks 5-12): the pilot customers are served the new way."""
    pilot_share: float = Field(0.25, ge=0, le=1)
    """Share of customers in the pilot (20-30%, representative: drawn at random)."""
    rollout_days: float = Field(91.0, ge=0)
    """Rollout (months 4-6): the other customers move, spread evenly over this period."""
    cost: float = Field(0.0, ge=0)
    """One-off cost of the change, USD, spread evenly over design, pilot and rollout
    (assumption: the sources give no figure)."""

    @property
    def total_days(self) -> float:
        """Days from the decision to the end of the rollout."""
        return self.design_days + self.pilot_days + self.rollout_days


class StrategyRule(Model):
    """One change of organisation, made when a condition holds."""

    name: str = Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)
    """Rule name, used in the outputs."""
    when: Condition
    """The condition that triggers the change."""
    org_model: ChangeableOrgModel | None = None
    """New org model (None: unchanged)."""
    touch_models: dict[str, TouchChange] = {}
    """New service model per tier name."""
    hire: dict[str, Annotated[int, Field(le=MAX_HEADCOUNT)]] = {}
    """Pool name -> headcount to reach: requisitions open at the decision, so the new team can
    arrive (after the hiring lead time) during design and pilot."""
    transfer: dict[str, dict[str, Annotated[int, Field(le=MAX_HEADCOUNT)]]] = {}
    """Implementation pool name -> {pool name: people}: staff who move to other implementation
    pools once the rollout is over (e.g. a shared team split into pods). Each waits until the
    old pool's queue is empty and they hold no onboarding, so no customer is left behind; the
    pools they join serve the new model's customers from the pilot on (hire into them to
    staff the pilot)."""
    transition: Transition = Transition()
    """Timeline and cost of the change."""

    @model_validator(mode="after")
    def _changes_something(self) -> StrategyRule:
        if (self.org_model is None and not self.touch_models and not self.hire
                and not self.transfer):
            raise ValueError(f"strategies rule {self.name!r}: changes nothing (give org_model, "
                             "touch_models, hire or transfer)")
        for pool, headcount in self.hire.items():
            if headcount < 0:
                raise ValueError(f"hire.{pool} = {headcount}: must be >= 0")
        for source, moves in self.transfer.items():
            for target, people in moves.items():
                if people < 0:
                    raise ValueError(f"transfer.{source}.{target} = {people}: must be >= 0")
                if target == source:
                    raise ValueError(f"transfer.{source}.{target}: a pool cannot transfer to "
                                     "itself")
        return self


class Strategies(Model):
    """Rules that change the organisation as the company grows (§10, §12)."""

    rules: tuple[StrategyRule, ...] = Field((), max_length=100)
    """Rules, considered in order at each review; each fires at most once."""
    commitment_months: float = Field(12.0, ge=0)
    """Months a change must be fully in force before the next may start (12-18, §12.3)."""
    review_days: float = Field(30.4375, ge=MIN_INTERVAL_DAYS)
    """Days between reviews of the rules (monthly)."""
