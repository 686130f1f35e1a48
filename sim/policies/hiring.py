"""Hiring policies: one review process that opens requisitions when a pool's trigger fires.

Every ``hiring.review_days`` (from day 0, after everything else due at that instant) the review
reads each pool's trigger (§7.1, §8) as a *load* in the trigger's own units:

=============== ================================================ ============================
role            load                                             metric = load / (n x unit)
=============== ================================================ ============================
csm             live accounts of the pool's counted tiers        accounts per CSM
implementation  days of onboarding work queued for the pool      backlog months
support         ticket hours routed to the pool per week over    share of the engineers'
                the rate window + open ticket hours / the        productive hours (or, with
                support backlog-clear weeks                      tickets_per_engineer_day,
                                                                 the same in tickets per
                                                                 working day)
renewals        renewal hours due in the next 12 months          share of the specialists'
                (customers under contract)                       productive hours a year (or,
                                                                 with renewals_per_specialist,
                                                                 renewals per specialist)
cs_ops          CSMs on staff                                    CSMs per CS Ops person
=============== ================================================ ============================

with n the headcount. The target headcount is the smallest n with metric <= threshold (none
for CS Ops below its first-hire CSM count); for support, while the SLA breach share (or the mean
first response, if set) over the rate window is above its trigger, at least one more than on
staff. It is capped by ``max_headcount``; requisitions open so that headcount + open
requisitions reach it. Rates are counted between the review now and the latest review at least
``rate_window_days`` ago: there is no reading before. A pool with nobody on staff and no
requisition under way is a team that does not exist (yet): it is read but not hired into (CS
Ops excepted, whose first hire is its trigger). *proactive* uses the load forecast one hiring
lead time ahead: load now + (load now - load at the oldest review within ``trend_window_days``)
/ (days between them) x ``lead_time_days``, once the pool has been read for a whole trend window
(before: the load now). *reactive* decides on the load now, and only once the target has been
above the headcount at every review for ``reactive_delay_days``; after each decision the clock
restarts. Each requisition's event carries the metric (the forecast one for proactive) in its
``metric`` column.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import numpy as np
import simpy

from sim.core.calendar import MONTH_DAYS, WEEK_DAYS, WORKING_DAYS_PER_WEEK, YEAR_DAYS
from sim.core.clock import LAST, OrderedTimeout
from sim.customers.book import ACTIVE
from sim.org.headcount import csm_headcount
from sim.org.pools import Pool
from sim.org.routing import csm_pool_indices, renewals_shares
from sim.scenario.hiring import CSM_TRIGGER_DEFAULTS, HiringTrigger
from sim.work.desks import desk_for
from sim.work.run import WorkRun
from sim.work.staffing import open_requisition
from sim.work.support import SupportTallies

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
    the backlog-clear weeks). The proactive policy extrapolates the trend of the rest (the rate
    at which work arrives) and adds this part as it is: a backlog is cleared once, it does not
    grow with the book."""

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


def hiring_review(world: WorkRun) -> Generator[simpy.Event, None, None]:
    """The review process of the proactive and reactive policies."""
    reviewed = [(pool, TriggerState()) for pool in world.pools
                if pool.role in READINGS and pool.spec.hiring_trigger.enabled]
    every = world.scenario.hiring.review_days
    review = 0
    while review * every < world.horizon - TOLERANCE:
        yield OrderedTimeout(world.env, review * every - world.now, LAST)
        for pool, state in reviewed:
            review_pool(world, pool, state)
        review += 1


def team_exists(pool: Pool) -> bool:
    """Someone on staff or a requisition under way; CS Ops is founded by its own trigger."""
    return bool(pool.members) or pool.open_requisitions > 0 or pool.role == "cs_ops"


def review_pool(world: WorkRun, pool: Pool, state: TriggerState) -> None:
    """Read one pool's trigger and open the requisitions its policy calls for."""
    reading = READINGS[pool.role](world, pool, state)
    now = world.now
    if reading is None or not team_exists(pool):
        state.read_since = state.exceeded_since = None
        return
    hiring = world.scenario.hiring
    if state.read_since is None:
        state.read_since = now
    history = state.history
    while history and history[0][0] < now - hiring.trend_window_days - TOLERANCE:
        history.popleft()
    rate = reading.load - reading.backlog
    if hiring.policy == "proactive":
        trended = now - state.read_since >= hiring.trend_window_days - TOLERANCE
        load = reading.load
        if trended:
            load = forecast(history, now, rate, hiring.lead_time_days) + reading.backlog
        due = True
    else:
        load, due = reading.load, reactive_due(state, reading, len(pool.members), now,
                                               hiring.reactive_delay_days)
    history.append((now, rate))
    if due:
        hire_up_to(world, pool, reading, load)


def forecast(history: deque[tuple[float, float]], now: float, load: float,
             lead_time: float) -> float:
    """The load one lead time ahead on the trend since the oldest past review in ``history``."""
    if not history:
        return load
    day, value = history[0]
    return load + (load - value) / (now - day) * lead_time


def reactive_due(state: TriggerState, reading: Reading, headcount: int, now: float,
                 delay: float) -> bool:
    """Whether the target has been above the headcount for the delay (then restart the clock)."""
    if reading.target(reading.load) <= headcount:
        state.exceeded_since = None
        return False
    if state.exceeded_since is None:
        state.exceeded_since = now
    if now - state.exceeded_since < delay - TOLERANCE:
        return False
    state.exceeded_since = now
    return True


def hire_up_to(world: WorkRun, pool: Pool, reading: Reading, load: float) -> None:
    """Open requisitions until headcount + open requisitions reach the target for a load."""
    target = reading.target(load)
    limit = pool.spec.hiring_trigger.max_headcount
    if limit is not None:
        target = min(target, limit)
    metric = reading.metric(load, len(pool.members))
    for _ in range(target - len(pool.members) - pool.open_requisitions):
        if not open_requisition(world, pool, metric):
            return


def productive_week_hours(pool: Pool) -> float:
    """Hours a fully ramped, rested member of the pool works a week (after admin)."""
    return pool.spec.weekly_hours * (1.0 - pool.spec.admin_share)


def _csm_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading | None:
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


def _implementation_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading:
    """Queued onboarding work; the metric is months of it at the pool's slot capacity."""
    work = desk_for(world, pool).queued_work()
    return Reading(work, pool.spec.slots_per_person * MONTH_DAYS,
                   pool.spec.hiring_trigger.threshold("backlog_months"))


def _support_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading | None:
    """The pool's ticket work against its engineers' hours (or in tickets).

    Work per week: the ticket hours routed over the rate window plus the open ticket hours
    spread over the backlog-clear weeks; at least one more engineer while SLAs slip.
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


def _renewals_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading:
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


def _cs_ops_reading(world: WorkRun, pool: Pool, state: TriggerState) -> Reading:
    """CSMs on staff: the first CS Ops hire at a CSM count, then one per so many CSMs."""
    trigger = pool.spec.hiring_trigger
    return Reading(float(csm_headcount(world)), 1.0, trigger.threshold("csms_per_cs_ops"),
                   first_at=trigger.threshold("first_cs_ops_at_csms"))


READINGS: dict[str, Callable[[WorkRun, Pool, TriggerState], Reading | None]] = {
    "csm": _csm_reading,
    "implementation": _implementation_reading,
    "support": _support_reading,
    "renewals": _renewals_reading,
    "cs_ops": _cs_ops_reading,
}
"""How each role's trigger is read; leader pools have none."""
