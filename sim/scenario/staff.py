"""The staff side of a scenario: pools, staffing plans, hiring and staff dynamics.

What each role may hold is read from ``sim.scenario.roles``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.base import (
    MAX_HEADCOUNT,
    MAX_NAME_LENGTH,
    MAX_PLAN_STEPS,
    MIN_INTERVAL_DAYS,
    NAME_PATTERN,
    Model,
    plausible,
)
from sim.scenario.hiring import HiringTrigger
from sim.scenario.roles import (
    ROLE_FACTS,
    TRIGGER_FIELDS,
    listing,
    roles_where,
    roles_with_trigger,
)
from sim.scenario.service import TouchPriority
from sim.scenario.vocabulary import TICKET_LEVELS, Role, TicketLevel


class PlanStep(Model):
    """A step of a staffing plan: from this month on, hire up to this headcount."""

    month: float = Field(ge=0)
    """Month (from the start of the run) at which requisitions are opened."""
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT)
    """Target headcount; hires arrive after the hiring lead time and then ramp up."""


class StaffPool(Model):
    """A pool of staff in one role (e.g. the CSMs serving the enterprise tier)."""

    name: str = Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)
    """Pool name (lower-case identifier), used as `pool` in the workforce table."""
    role: Role
    """What the pool does (§7)."""
    tiers: tuple[str, ...] = Field((), json_schema_extra={"required_for": "csm pools"})
    """CSM pools: tiers whose accounts this pool owns. Implementation pools (optional): tiers
    whose customers this pool onboards; without it, every tier no other implementation pool
    names (in a pod: the pod's tiers)."""
    skill: TicketLevel | None = Field(None, json_schema_extra={"required_for": "support pools"})
    """Support pools only: the highest ticket level the pool handles."""
    touch_priority: TouchPriority | None = None
    """CSM pools only: order of the touches due (null: ``work_priority.touches``)."""
    annual_cost: float = Field(gt=0)
    """Fully-loaded cost per person per year, USD (CSM $100K-$180K, §2; other roles assumed)."""
    weekly_hours: float = Field(40.0, gt=0)
    """Contracted hours per person per week."""
    admin_share: float = Field(0.15, ge=0, lt=1)
    """Share of hours taken by meetings and admin (assumption)."""
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT)
    """Headcount at the start of the run (fully ramped)."""
    onboarding_slots: int | None = Field(None, ge=0, le=1000)
    """Concurrent onboardings per person: implementation default 10 (8-15, §7.1), must be > 0;
    CSMs in the generalist model default 3 (assumption), 0 = they leave onboarding to an
    implementation pool."""
    fixed_load: float = Field(0.85, ge=0)
    """cs_ops and leader pools: share of available hours demanded by work not modelled here."""
    staffing_plan: tuple[PlanStep, ...] = Field((), max_length=MAX_PLAN_STEPS)
    """Headcount targets by month; requisitions open at the step's month."""
    hiring_trigger: HiringTrigger = HiringTrigger()
    """When a hiring policy (`hiring.policy`) adds to this pool; defaults by role (§7.1, §8)."""
    overflow_tiers: tuple[str, ...] = ()
    """CSM pools only: tiers without an owning CSM pool (tech-touch) whose at-risk trigger work
    this pool takes (§2.3: overflow CSMs for at-risk accounts); see `triggers`."""
    region: str | None = None
    """Geographic model: the region this pool serves (one of `org.regions`); null = global,
    serving the regions that have no pool of their own for the work (§9.2)."""

    @model_validator(mode="after")
    def _role_fields(self) -> StaffPool:
        facts, role = ROLE_FACTS[self.role], self.role
        if self.tiers and not facts.names_tiers:
            raise ValueError(f"tiers = {list(self.tiers)}: only "
                             f"{listing(roles_where('names_tiers'), 'and')} pools name tiers")
        if facts.needs_tiers and not self.tiers and not self.overflow_tiers:
            raise ValueError(f"tiers = []: {_a(role)} {role} pool must name the tiers it serves")
        if self.skill is not None and not facts.skilled:
            raise ValueError(f"skill = {self.skill}: only "
                             f"{listing(roles_where('skilled'), 'and')} pools have a skill")
        if facts.skilled and self.skill is None:
            levels = f"{', '.join(TICKET_LEVELS[:-1])} or {TICKET_LEVELS[-1]}"
            raise ValueError(f"skill = None: {_a(role)} {role} pool needs a skill ({levels})")
        if facts.needs_slots and self.onboarding_slots == 0:
            raise ValueError(f"onboarding_slots = 0: {_a(role)} {role} pool needs slots (> 0)")
        months = [step.month for step in self.staffing_plan]
        if months != sorted(set(months)):
            raise ValueError(f"staffing_plan months = {months}: must be strictly increasing")
        self._check_trigger()
        return self

    def _check_trigger(self) -> None:
        """Only the trigger fields of the pool's role; a cap at or above the headcount."""
        trigger, own = self.hiring_trigger, ROLE_FACTS[self.role].triggers
        for name in TRIGGER_FIELDS:
            value = getattr(trigger, name)
            if value is not None and name not in own:
                where = listing(roles_with_trigger(name), "or")
                raise ValueError(f"hiring_trigger.{name} = {value:g}: a {self.role} pool has "
                                 f"no such trigger (only {where} pools)")
        limit = trigger.max_headcount
        if limit is not None and not own:
            raise ValueError(f"hiring_trigger.max_headcount = {limit}: {self.role} pools have "
                             "no hiring trigger")
        if limit is not None and limit < self.headcount:
            raise ValueError(f"hiring_trigger.max_headcount = {limit}: below the pool's "
                             f"starting headcount ({self.headcount})")

    @property
    def slots_per_person(self) -> int:
        """Concurrent onboardings per person (0 for roles that do not onboard)."""
        if self.onboarding_slots is not None:
            return self.onboarding_slots
        return ROLE_FACTS[self.role].onboarding_slots


def _a(word: str) -> str:
    """The indefinite article of a word."""
    return "an" if word[0] in "aeiou" else "a"


class Hiring(Model):
    """How hires arrive and what opens requisitions (§8; lead time, ramp: assumptions)."""

    lead_time_days: float = Field(60.0, ge=0, json_schema_extra=plausible(30.0, 120.0))
    """Days from opening a requisition to the hire's first day."""
    ramp_days: float = Field(90.0, ge=0, json_schema_extra=plausible(45.0, 180.0))
    """Days for a new hire to reach full productivity."""
    ramp_start_productivity: float = Field(0.3, gt=0, le=1,
                                          json_schema_extra=plausible(0.2, 0.5))
    """Productivity on the first day; rises linearly to 1 over `ramp_days`."""
    backfill: bool = True
    """Whether each departure opens a requisition for a replacement."""
    csm_book_share: float = Field(0.0, ge=0, le=1, allow_inf_nan=False)
    """A CSM who joins takes over accounts from the CSMs of the pool owning the most (their most
    recently live first) until owning this share of the pool's accounts per CSM; each move is a
    change of CSM (0: a hire's book fills with new and unowned accounts only; 1: an equal book;
    assumption: 0, books stay with their CSM)."""
    policy: Literal["fixed", "proactive", "reactive"] = "fixed"
    """fixed: only staffing plans and backfill open requisitions; proactive: a review every
    `review_days` hires when a pool's trigger metric, forecast one lead time ahead, exceeds its
    threshold; reactive: hires once the current metric has exceeded it for
    `reactive_delay_days` (§8: "hire proactively, not reactively")."""
    review_days: float = Field(7.0, ge=MIN_INTERVAL_DAYS)
    """Days between hiring reviews of the proactive and reactive policies (assumption)."""
    trend_window_days: float = Field(90.0, gt=0)
    """proactive: the trend of a trigger's load is measured over the reviews of this many past
    days, and only once the trigger has been read for that long (before: no trend; plausible
    60-180; assumption: a quarter)."""
    rate_window_days: float = Field(28.0, gt=0)
    """Rates a trigger reads (support: tickets and their hours routed to the pool, SLA
    breaches, first responses) are counted over the reviews of this many past days; no reading
    before the run has lasted that long (plausible 14-91; assumption: four weeks smooth the
    day-to-day noise of ticket arrivals)."""
    reactive_delay_days: float = Field(60.0, ge=0)
    """reactive: days a trigger metric must stay above its threshold before a hire decision
    (assumption; §8 "by the time a CSM is drowning, accounts are already lost")."""
    budget_cap_pct_arr: float | None = Field(None, gt=0)
    """No requisition (plan, backfill or policy) opens if the annualised CS cost including it
    would exceed this % of current ARR (null: no cap; §3.2, §15.3 target 5-15%)."""


class StaffDynamics(Model):
    """Burnout and attrition (assumptions; the sources only flag the 70-hour week, §10.1)."""

    overload_threshold: float = Field(1.0, gt=0, json_schema_extra=plausible(0.9, 1.2))
    """Pressure (hours demanded / hours available) above which burnout builds."""
    burnout_gain_per_week: float = Field(0.3, ge=0, json_schema_extra=plausible(0.1, 0.6))
    """Burnout added per week per unit of pressure above the threshold (burnout is 0..1)."""
    recovery_per_week: float = Field(0.04, ge=0, json_schema_extra=plausible(0.02, 0.1))
    """Burnout shed per week at or below the threshold."""
    productivity_loss: float = Field(0.3, ge=0, le=1,
                                    json_schema_extra=plausible(0.1, 0.5))
    """Share of productivity lost at burnout 1 (linear in burnout)."""
    base_attrition_per_year: float = Field(0.13, ge=0,
                                          json_schema_extra=plausible(0.08, 0.25))
    """Annual quit hazard of a person with no burnout."""
    burnout_attrition_multiplier: float = Field(3.0, ge=0,
                                               json_schema_extra=plausible(1.0, 5.0))
    """Quit hazard = base x (1 + multiplier x burnout)."""
