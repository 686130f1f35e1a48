"""Hiring policies: one review process that opens requisitions when a pool's trigger fires.

Every ``hiring.review_days`` (from day 0, after everything else due at that instant) the review
reads each pool's trigger (§7.1, §8) as a *load* in the trigger's own units:

=============== ================================================ ============================
role            load                                             metric = load / (n x unit)
=============== ================================================ ============================
csm             live accounts of the pool's counted tiers        accounts per CSM
implementation  days of onboarding work queued for the pool      backlog months
support         tickets routed to the pool per working day,      tickets per engineer per
                over the days since the last review              working day
renewals        customers under contract in tiers with renewal   renewals (12 months) per
                work (each renews once in the next 12 months)    specialist
cs_ops          CSMs on staff                                    CSMs per CS Ops person
=============== ================================================ ============================

with n the headcount. The target headcount is the smallest n with metric <= threshold (none
for CS Ops below its first-hire CSM count), capped by ``max_headcount``; requisitions open so
that headcount + open requisitions reach it. *proactive* uses the load forecast one hiring lead
time ahead: load now + (load now - load at the oldest review within ``trend_window_days``) /
(days between them) x ``lead_time_days``. *reactive* decides on the load now, and only once
the metric has been above the threshold at every review for ``reactive_delay_days``; after
each decision the clock restarts. Each requisition's event carries the metric (the forecast
one for proactive) as its amount.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import numpy as np
import simpy

from sim.calendar import MONTH_DAYS, WEEK_DAYS, WORKING_DAYS_PER_WEEK
from sim.clock import LAST, OrderedTimeout
from sim.customers.book import ACTIVE
from sim.leadership import csm_headcount
from sim.organisation import Pool
from sim.routing import csm_pool_indices
from sim.schema_hiring import CSM_TRIGGER_DEFAULTS
from sim.staffing import open_requisition
from sim.world import World

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

    def target(self, load: float) -> int:
        """The smallest headcount whose metric at this load is at or below the threshold."""
        if load <= 0 or load < self.first_at - TOLERANCE:
            return 0
        return math.ceil(load / (self.unit * self.threshold) - TOLERANCE)

    def metric(self, load: float, headcount: int) -> float:
        """The trigger metric at a load with a headcount (inf with nobody and some load)."""
        if headcount == 0:
            return math.inf if load > 0 else 0.0
        return load / (headcount * self.unit)


@dataclass
class TriggerState:
    """What the review remembers about one pool between reviews."""

    history: deque[tuple[float, float]] = field(default_factory=deque)
    """(day, load) at past reviews within the trend window."""
    exceeded_since: float | None = None
    """Reactive: the first review of the current run of reviews above the threshold."""
    tickets_seen: int = 0
    """Support: tickets routed to the pool up to the last review."""
    last_review: float | None = None
    """Day of the last review (None before the first)."""


def hiring_review(world: World) -> Generator[simpy.Event, None, None]:
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


def review_pool(world: World, pool: Pool, state: TriggerState) -> None:
    """Read one pool's trigger and open the requisitions its policy calls for."""
    reading = READINGS[pool.role](world, pool, state)
    now = world.now
    state.last_review = now
    if reading is None:
        return
    hiring = world.scenario.hiring
    history = state.history
    while history and history[0][0] < now - hiring.trend_window_days - TOLERANCE:
        history.popleft()
    if hiring.policy == "proactive":
        load, due = forecast(history, now, reading.load, hiring.lead_time_days), True
    else:
        load, due = reading.load, reactive_due(state, reading, len(pool.members), now,
                                               hiring.reactive_delay_days)
    history.append((now, reading.load))
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
    """Whether the metric has been above its threshold for the delay (then restart the clock)."""
    if reading.target(reading.load) <= headcount:
        state.exceeded_since = None
        return False
    if state.exceeded_since is None:
        state.exceeded_since = now
    if now - state.exceeded_since < delay - TOLERANCE:
        return False
    state.exceeded_since = now
    return True


def hire_up_to(world: World, pool: Pool, reading: Reading, load: float) -> None:
    """Open requisitions until headcount + open requisitions reach the target for a load."""
    target = reading.target(load)
    limit = pool.spec.hiring_trigger.max_headcount
    if limit is not None:
        target = min(target, limit)
    metric = reading.metric(load, len(pool.members))
    for _ in range(target - len(pool.members) - pool.open_requisitions):
        if not open_requisition(world, pool, metric):
            return


def _csm_reading(world: World, pool: Pool, state: TriggerState) -> Reading | None:
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


def _implementation_reading(world: World, pool: Pool, state: TriggerState) -> Reading:
    """Queued onboarding work; the metric is months of it at the pool's slot capacity."""
    desk = world.desks.get(pool.index)
    work = desk.queued_work() if desk is not None else 0.0
    return Reading(work, pool.spec.slots_per_person * MONTH_DAYS,
                   pool.spec.hiring_trigger.threshold("backlog_months"))


def _support_reading(world: World, pool: Pool, state: TriggerState) -> Reading:
    """Tickets routed to the pool per working day since the last review (0 at the first)."""
    opened = world.support_desk.queues[pool.index].opened
    days = 0.0 if state.last_review is None else world.now - state.last_review
    working_days = days * WORKING_DAYS_PER_WEEK / WEEK_DAYS
    rate = (opened - state.tickets_seen) / working_days if working_days > 0 else 0.0
    state.tickets_seen = opened
    return Reading(rate, 1.0, pool.spec.hiring_trigger.threshold("tickets_per_engineer_day"))


def _renewals_reading(world: World, pool: Pool, state: TriggerState) -> Reading:
    """Customers under contract in tiers with renewal work: the next 12 months' renewals."""
    book = world.book
    due = book.paying() & (world.profiles.renewal_hours[book.profile, book.tier] > 0)
    return Reading(float(due.sum()), 1.0,
                   pool.spec.hiring_trigger.threshold("renewals_per_specialist"))


def _cs_ops_reading(world: World, pool: Pool, state: TriggerState) -> Reading:
    """CSMs on staff: the first CS Ops hire at a CSM count, then one per so many CSMs."""
    trigger = pool.spec.hiring_trigger
    return Reading(float(csm_headcount(world)), 1.0, trigger.threshold("csms_per_cs_ops"),
                   first_at=trigger.threshold("first_cs_ops_at_csms"))


READINGS: dict[str, Callable[[World, Pool, TriggerState], Reading | None]] = {
    "csm": _csm_reading,
    "implementation": _implementation_reading,
    "support": _support_reading,
    "renewals": _renewals_reading,
    "cs_ops": _cs_ops_reading,
}
"""How each role's trigger is read; leader pools have none."""
