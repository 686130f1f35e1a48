"""What the hiring policy reads of each role's pool: its trigger as a load in the trigger's units.

One reading function per role that a policy hires into (``sim.work.roles`` names each role's);
the table of loads and metrics is in ``sim.policies.hiring``.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from sim.core.calendar import MONTH_DAYS, WEEK_DAYS, WORKING_DAYS_PER_WEEK, YEAR_DAYS
from sim.customers.book import ACTIVE
from sim.org.headcount import csm_headcount
from sim.org.pools import Pool
from sim.org.routing import csm_pool_indices, renewals_shares
from sim.scenario.hiring import CSM_TRIGGER_DEFAULTS, HiringTrigger
from sim.work.desks import desk_for
from sim.work.run import WorkRun
from sim.work.ticket_queue import SupportTallies

TOLERANCE = 1e-9
"""Slack in float comparisons of days, and of loads and metrics with their thresholds."""


@dataclass(frozen=True)
class Reading:
    """A pool's trigger at a review: target headcount = ceil(load / (unit x threshold))."""

    load: float
    unit: float
    threshold: float
    first_at: float = 0.0
    """No target below this load (the first CS Ops hire)."""
    floor: int = 0
    """No target below this headcount (support: one more than on staff while SLAs slip)."""
    backlog: float = 0.0
    """The part of ``load`` that is work already queued (support: the open tickets spread over
    the backlog-clear weeks and the lead time). The proactive policy extrapolates the trend of
    the rest (the rate at which work arrives) and adds this part as it is: a backlog is cleared
    once, it does not grow with the book."""

    def target(self, load: float) -> int:
        """The smallest headcount whose metric at this load is at or below the threshold."""
        if load <= 0 or load < self.first_at - TOLERANCE:
            return self.floor
        return max(self.floor, math.ceil(load / (self.unit * self.threshold) - TOLERANCE))

    def metric(self, load: float, headcount: int) -> float:
        """The trigger metric at a load with a headcount (inf with nobody and some load)."""
        if headcount == 0:
            return math.inf if load > 0 else 0.0
        return load / (headcount * self.unit)


@dataclass
class TriggerState:
    """What the review remembers about one pool between reviews."""

    history: deque[tuple[float, float]] = field(default_factory=deque)
    """(day, load arriving, without any backlog) at past reviews within the trend window."""
    read_since: float | None = None
    """The first review of the current unbroken run of readings of an existing team."""
    exceeded_since: float | None = None
    """Reactive: the first review of the current run of reviews above the threshold."""
    tallies: deque[tuple[float, SupportTallies]] = field(default_factory=deque)
    """Support: (day, the queue's running totals) at past reviews back to the rate window."""


def productive_week_hours(pool: Pool) -> float:
    """Hours a fully ramped, rested member of the pool works a week (after admin)."""
    return pool.spec.weekly_hours * (1.0 - pool.spec.admin_share)


def csm_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading | None:
    """Live accounts the pool serves; each tier against its threshold (set, else default)."""
    set_threshold = pool.spec.hiring_trigger.accounts_per_csm
    book, tiers = world.book, world.scenario.tiers
    active = np.flatnonzero(book.state == ACTIVE)
    served = active[csm_pool_indices(world, active) == pool.index]
    live = np.bincount(book.tier[served], minlength=len(tiers))
    counted = [(float(live[tier]), set_threshold or CSM_TRIGGER_DEFAULTS[tiers[tier].touch_model])
               for tier in pool.tier_indices
               if set_threshold or tiers[tier].touch_model in CSM_TRIGGER_DEFAULTS]
    if not counted:
        return None
    accounts = sum(count for count, _ in counted)
    needed = sum(count / threshold for count, threshold in counted)
    threshold = accounts / needed if needed > 0 else min(value for _, value in counted)
    return Reading(accounts, 1.0, threshold)


def implementation_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading:
    """Queued onboarding work; the metric is months of it at the pool's slot capacity."""
    work = desk_for(world, pool).queued_work()
    return Reading(work, pool.spec.slots_per_person * MONTH_DAYS,
                   pool.spec.hiring_trigger.threshold("backlog_months"))


def support_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading | None:
    """The pool's ticket work against its engineers' hours (or in tickets).

    Work per week: the ticket hours routed over the rate window plus the open ticket hours
    spread over the backlog-clear weeks and the lead time; at least one more engineer while SLAs
    slip.
    """
    queue = world.support.queues[pool.index]
    window = over_rate_window(state.tallies, world.now, queue.tallies,
                              world.scenario.hiring.rate_window_days)
    if window is None:
        return None
    weeks, counted = window[0] / WEEK_DAYS, window[1]
    trigger = pool.spec.hiring_trigger
    # A hire opened now starts after the lead time: the backlog it is for is spread over the
    # lead time as well as the backlog-clear weeks, so that a backlog that piles up while the
    # hires are on the way does not become a permanent team sized to clear it in two weeks.
    clear_weeks = (world.scenario.support.backlog_clear_weeks
                   + world.scenario.hiring.lead_time_days / WEEK_DAYS)
    floor = len(pool.members) + 1 if slas_slipping(counted, trigger) else 0
    per_day = trigger.optional("tickets_per_engineer_day")
    if per_day is not None:
        backlog = len(queue.hours) / clear_weeks / WORKING_DAYS_PER_WEEK
        rate = counted.tickets / weeks / WORKING_DAYS_PER_WEEK
        return Reading(rate + backlog, 1.0, per_day, floor=floor, backlog=backlog)
    backlog = queue.outstanding_hours() / clear_weeks
    return Reading(counted.hours / weeks + backlog, productive_week_hours(pool),
                   trigger.threshold("target_utilisation"), floor=floor, backlog=backlog)


def over_rate_window(past: deque[tuple[float, SupportTallies]], now: float,
                     totals: SupportTallies, window: float
                     ) -> tuple[float, SupportTallies] | None:
    """Record today's totals and return the totals over the rate window.

    Returns:
        The days back to the latest past review at least ``window`` ago and the totals since
        then; None if no review is that old.
    """
    past.append((now, totals))
    while len(past) > 1 and past[1][0] <= now - window + TOLERANCE:
        past.popleft()
    day, then = past[0]
    if now - day < window - TOLERANCE:
        return None
    return now - day, totals.since(then)


def slas_slipping(counted: SupportTallies, trigger: HiringTrigger) -> bool:
    """Whether the SLA breach share, or the mean first response if read, is above its trigger."""
    share = trigger.threshold("sla_breach_share")
    if counted.tickets > 0 and counted.breaches > share * counted.tickets + TOLERANCE:
        return True
    response = trigger.optional("first_response_hours")
    return (response is not None and counted.answered > 0
            and counted.response_hours > response * counted.answered + TOLERANCE)


def renewals_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading:
    """Renewal hours due in the next 12 months against the specialists' hours a year.

    Every customer under contract renews once in the next 12 months; only the work routed to
    the pool counts (none that CSMs do in the generalist model; a region's work split evenly
    over the pools serving it). With ``renewals_per_specialist`` set, renewals are counted
    instead of hours.
    """
    book = world.book
    trigger = pool.spec.hiring_trigger
    shares = renewals_shares(world, pool) * book.paying()
    hours = world.profiles.renewal_hours[book.profile, book.tier] * shares
    per_specialist = trigger.optional("renewals_per_specialist")
    if per_specialist is not None:
        return Reading(float(shares[hours > 0].sum()), 1.0, per_specialist)
    return Reading(float(hours.sum()), productive_week_hours(pool) * YEAR_DAYS / WEEK_DAYS,
                   trigger.threshold("target_utilisation"))


def cs_ops_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading:
    """CSMs on staff: the first CS Ops hire at a CSM count, then one per so many CSMs."""
    trigger = pool.spec.hiring_trigger
    return Reading(float(csm_headcount(world)), 1.0, trigger.threshold("csms_per_cs_ops"),
                   first_at=trigger.threshold("first_cs_ops_at_csms"))
