"""Scenario schema of the usage signal and the trigger engine (§6, §2.3, §15.1).

Every live customer carries a monthly usage signal; thresholds on it raise triggers (usage
drop, inactivity, expansion) and an ACV crossing at renewal raises the dedicated-CSM trigger.
Human follow-ups are tasks for CSMs; the days a risk trigger waits for its answer raise the
customer's churn odds at the next renewal (§6.3: every day of delay raises churn probability).
The engine is off by default, so scenarios without a ``triggers`` section are unchanged.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.base import Model


class UsageSignal(Model):
    """Monthly usage of each live customer: a random walk in log usage (assumption, §15.3).

    Usage is relative to the customer's own healthy level (1 at its first monthly observation
    after go-live). Each month ``x <- x + drift - risk_loading x θ + volatility x z`` with
    z ~ N(0, 1) and θ the customer's latent churn probability, so customers likely to churn
    drift down and cross the risk thresholds more often: the signal is informative about churn.
    """

    volatility: float = Field(0.2, ge=0, le=5)
    """Standard deviation of the monthly change in log usage (assumption)."""
    drift: float = Field(0.02, ge=-1, le=1)
    """Monthly drift of log usage of a customer with θ = 0 (assumption: healthy accounts grow
    their usage by about 2% a month)."""
    risk_loading: float = Field(1.0, ge=0, le=10)
    """Monthly drift lost per unit of θ (assumption: θ = 0.3 drifts down about 25% a month)."""


class UsageDropTrigger(Model):
    """At-risk outreach when usage falls sharply month over month (§6.1, §6.3)."""

    enabled: bool = True
    """Whether the trigger fires."""
    threshold: float = Field(0.5, gt=0, lt=1)
    """Fires when usage falls by at least this share from one month to the next (§6.1: 50%
    month over month; §6.3 uses 40%+ against the prior period)."""


class InactivityTrigger(Model):
    """Re-engagement when a customer goes inactive: automated first, then human (§6.1, §5.4)."""

    enabled: bool = True
    """Whether the trigger fires."""
    inactive_level: float = Field(0.1, gt=0, lt=1)
    """A month with usage below this share of the healthy level counts as 30 days inactive
    (assumption); the trigger fires when usage first falls below it."""
    automated_days: float = Field(7.0, ge=0)
    """Days the automated re-engagement sequence runs before a human steps in (assumption;
    §5.4 sequences run day 1-14)."""
    automated_success: float = Field(0.25, ge=0, le=1)
    """Probability that the automated sequence re-engages the customer, so no human is needed
    (assumption)."""
    automated_effect: float = Field(1.0, gt=0, le=1)
    """Churn-odds multiplier of a successful automated re-engagement (assumption: 1, it only
    stops the delay clock)."""


class DedicatedCsmTrigger(Model):
    """An account whose ACV crosses the threshold at renewal gets a dedicated CSM (§6.1).

    Here *dedicated* means a named owning CSM from the CSM pool that owns the account's tier,
    who takes its scheduled touches and trigger work. Every account of an owned tier already
    has one; the trigger records the crossing and assigns an owner if the account has none.
    A tier edge at the threshold (the §4.2 scheme) moves the account to that tier's cadence.
    """

    enabled: bool = True
    """Whether the trigger fires."""
    acv_threshold: float = Field(50000.0, gt=0)
    """ACV (USD per year) whose upward crossing at a renewal fires the trigger (§6.1: $50K)."""


class ExpansionTrigger(Model):
    """An expansion opportunity when usage grows fast, routed by size (§6.2).

    The opportunity's size is the account's ACV when the signal fires (assumption: the deal
    size is only known at renewal). Under ``inside_sales_from`` it is an automated in-app
    upsell; up to ``account_executive_from`` inside sales; above, an account executive. A sales
    route needs the owning CSM's handoff (§6.2: the CSM introduces the AE); accounts without a
    CSM go to sales directly. The lift applies at the next renewal if the opportunity was
    routed (and handed off) by then; one opportunity per renewal cycle.
    """

    enabled: bool = True
    """Whether the trigger fires."""
    growth_threshold: float = Field(0.5, gt=0)
    """Fires when usage grows by at least this share month over month (§6.2: 50%+)."""
    inside_sales_from: float = Field(25000.0, gt=0)
    """ACV from which the opportunity goes to inside sales instead of in-app (§6.2: $25K)."""
    account_executive_from: float = Field(100000.0, gt=0)
    """ACV from which the opportunity goes to an account executive (§6.2: $100K)."""
    in_app_lift: float = Field(0.1, ge=0, le=1)
    """Share of the renewals that would otherwise keep their ACV that expand instead, after an
    in-app upsell (assumption)."""
    inside_sales_lift: float = Field(0.3, ge=0, le=1)
    """The same after inside-sales outreach (assumption)."""
    account_executive_lift: float = Field(0.4, ge=0, le=1)
    """The same after account-executive engagement (assumption)."""
    handoff_hours: float = Field(1.0, ge=0)
    """Owning-CSM hours to hand a sales-routed opportunity to sales (assumption)."""

    @model_validator(mode="after")
    def _routes_ordered(self) -> ExpansionTrigger:
        if self.account_executive_from <= self.inside_sales_from:
            raise ValueError(f"account_executive_from = {self.account_executive_from:g}: must "
                             f"exceed inside_sales_from ({self.inside_sales_from:g})")
        return self


class Triggers(Model):
    """Usage signal and trigger-based interventions (§6; off by default).

    Each human follow-up of a risk trigger (usage drop; inactivity after a failed automated
    sequence) is a task of ``outreach_hours`` for the account's owning CSM, or for the overflow
    CSM pool of a tech-touch tier (``overflow_tiers``); CSMs do these tasks after onboardings
    and paced renewal work and before scheduled touches. At the next renewal the churn odds are
    multiplied, per risk trigger of the cycle, by ``risk_delay_per_day ** days`` from the
    trigger to its answer (to the renewal if unanswered) and by ``outreach_effect`` if a human
    answered it.
    """

    enabled: bool = False
    """Whether the usage signal and the trigger engine run (off: no usage draws, no triggers,
    every factor 1)."""
    usage: UsageSignal = UsageSignal()
    """The monthly usage signal."""
    usage_drop: UsageDropTrigger = UsageDropTrigger()
    """Usage drop -> at-risk outreach."""
    inactivity: InactivityTrigger = InactivityTrigger()
    """30 days inactive -> automated re-engagement, then human."""
    dedicated_csm: DedicatedCsmTrigger = DedicatedCsmTrigger()
    """ACV over $50K -> dedicated CSM."""
    expansion: ExpansionTrigger = ExpansionTrigger()
    """Usage growth -> expansion opportunity routed by size."""
    outreach_hours: float = Field(2.0, gt=0)
    """CSM hours of one human at-risk outreach, preparation included (assumption)."""
    risk_delay_per_day: float = Field(1.002, ge=1, le=1.1)
    """Churn odds x this ** (days a risk trigger waited for its answer) at the next renewal
    (§6.3 direction; size assumption: 1.002 is +6% a month, x2 over a year unanswered)."""
    outreach_effect: float = Field(0.7, gt=0, le=1)
    """Churn odds x this for each risk trigger a CSM answered before the renewal
    (assumption)."""
    task_pace_weeks: float = Field(52 / 12, gt=0)
    """In a CSM's weekly pressure (burnout), open trigger tasks count as demand spread over
    this many weeks (assumption: a month, the period of the usage signal, so that a month's
    signals arriving on one day do not read as a one-week spike)."""
    share_overflow_tasks: bool = True
    """An overflow task its holder has no hours for this week is done by the colleague of the
    overflow pool with the most hours left, if it fits (false: it waits for its holder while
    they are on staff; assumption: the team shares an unowned queue)."""
