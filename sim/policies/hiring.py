"""Hiring policies: one review process that opens requisitions when a pool's trigger fires.

Every ``hiring.review_days`` (from day 0, after everything else due at that instant) the review
reads each pool's trigger (§7.1, §8) as a *load* in the trigger's own units:

=============== ================================================ ============================
role            load                                             metric = load / (n x unit)
=============== ================================================ ============================
csm             live accounts of the pool's counted tiers        accounts per CSM
implementation  days of onboarding work queued for the pool      backlog months
support         ticket hours routed to the pool per week over    share of the engineers'
                the rate window + open ticket hours / (the       productive hours (or, with
                backlog-clear weeks + the lead time)             tickets_per_engineer_day,
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

from collections import deque
from collections.abc import Generator

import simpy

from sim.core.clock import LAST, OrderedTimeout
from sim.org.pools import Pool
from sim.work.readings import TOLERANCE, Reading, TriggerState
from sim.work.roles import role_of
from sim.work.run import WorkRun
from sim.work.staffing import open_requisition


def hiring_review(world: WorkRun) -> Generator[simpy.Event, None, None]:
    """The review process of the proactive and reactive policies."""
    reviewed = [(pool, TriggerState()) for pool in world.pools
                if role_of(pool).reading is not None and pool.spec.hiring_trigger.enabled]
    every = world.scenario.hiring.review_days
    review = 0
    while review * every < world.horizon - TOLERANCE:
        yield OrderedTimeout(world.env, review * every - world.now, LAST)
        for pool, state in reviewed:
            review_pool(world, pool, state)
        review += 1


def team_exists(pool: Pool) -> bool:
    """Someone on staff or a requisition under way; CS Ops is founded by its own trigger."""
    return bool(pool.members) or pool.open_requisitions > 0 or role_of(pool).founded_by_trigger


def review_pool(world: WorkRun, pool: Pool, state: TriggerState) -> None:
    """Read one pool's trigger and open the requisitions its policy calls for."""
    reading = role_of(pool).read(world, pool, state)
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
