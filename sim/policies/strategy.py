"""Strategies: change the org model or tiers' touch models when a condition holds.

A monthly review checks the rules in order. A rule fires once, when its condition holds, no change
is under way and the previous change has been fully in force for ``commitment_months``. The
change follows the roadmap of §12: nothing changes during design; at the pilot the pilot
customers (a random ``pilot_share``, drawn from the rule's own stream) move to the new service
profile; during the rollout the others move, each on a day spread evenly over the rollout; from
the end of the rollout new customers start on the new profile. The one-off cost is spread over
the transition; the requisitions of ``hire`` open at the decision. After the rollout the
people of ``transfer`` move to their new pools as they become free.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.calendar import MONTH_DAYS, WEEK_DAYS
from sim.customers.book import ACTIVE
from sim.org.budget import headcount_cost_pct_arr
from sim.org.headcount import csm_headcount
from sim.org.pools import Person, Pool
from sim.org.routing import csm_renews
from sim.policies.run import Change, PolicyRun
from sim.scenario.strategies import Condition, StrategyRule
from sim.work.desks import desk_for, onboarding_backlog_weeks
from sim.work.onboarding import OnboardingDesk
from sim.work.renewals import hand_task, renewal_holder_for
from sim.work.staffing import open_requisition, transfer
from sim.work.touches import assign_owner, in_handoff, release_owner

__all__ = ["Change", "metric", "move", "review", "run_rate_cost_pct_arr"]


def review(world: PolicyRun) -> Generator[simpy.Event, None, None]:
    """Check the rules at every review until the horizon; start the first that fires."""
    strategies = world.scenario.strategies
    if not strategies.rules:
        return
    missed_history: list[tuple[float, int]] = []
    while world.now + strategies.review_days < world.horizon:
        yield world.env.timeout(strategies.review_days)
        missed_history.append((world.now, int(world.book.renewals_missed.sum())))
        if not _free_to_change(world):
            continue
        fired = {change.rule.name for change in world.changes}
        for index, rule in enumerate(strategies.rules):
            if rule.name in fired:
                continue
            value = metric(world, rule.when, missed_history)
            if _holds(rule.when, value):
                _decide(world, index, rule, value)
                break


def _free_to_change(world: PolicyRun) -> bool:
    """No change under way, and the last one in force for the commitment period."""
    if not world.changes:
        return True
    commitment = world.scenario.strategies.commitment_months * MONTH_DAYS
    return world.now >= world.changes[-1].done_day + commitment


def _holds(condition: Condition, value: float) -> bool:
    if condition.at_least is not None:
        return value >= condition.at_least
    return value <= float(condition.at_most)  # type: ignore[arg-type]


def metric(world: PolicyRun, condition: Condition,
           missed_history: list[tuple[float, int]] | None = None) -> float:
    """The value of a condition's metric now (see ``Condition``)."""
    book = world.book
    if condition.metric == "customers":
        return float(book.paying().sum())
    if condition.metric == "backlog_weeks":
        return float(onboarding_backlog_weeks(world).max(initial=0.0))
    if condition.metric == "missed_renewals":
        return _trailing_missed(world, condition.window_days, missed_history or [])
    if condition.metric == "cs_cost_pct_arr":
        return run_rate_cost_pct_arr(world)
    csms = csm_headcount(world)
    owned = int(np.sum((book.owner >= 0) & (book.state == ACTIVE)))
    return owned / csms if csms else float("inf") if owned else 0.0


def _trailing_missed(world: PolicyRun, window_days: float,
                     history: list[tuple[float, int]]) -> float:
    now_total = int(world.book.renewals_missed.sum())
    before = [total for day, total in history if day <= world.now - window_days + 1e-9]
    return float(now_total - (before[-1] if before else 0))


def run_rate_cost_pct_arr(world: PolicyRun) -> float:
    """A year of today's CS cost as % of ARR.

    Staff on payroll and the derived leadership layers of today's CSM headcount at their annual
    cost, the per-account and fixed costs of today's customers, and the strategy costs running
    today (``sim.org.budget.headcount_cost_pct_arr``).
    """
    return headcount_cost_pct_arr(world, [len(pool.members) for pool in world.pools])


def _decide(world: PolicyRun, index: int, rule: StrategyRule, value: float) -> None:
    """Start a change: profile, requisitions, costs and the transition process."""
    scenario = world.scenario
    changes = {scenario.tier_index(name): change for name, change in rule.touch_models.items()}
    profile = world.profiles.add(rule.name, rule.org_model, changes)
    change = Change(rule, profile, world.now)
    world.changes.append(change)
    world.record("strategy_decision", metric=value)
    for pool_name, headcount in rule.hire.items():
        pool = world.pool_named(pool_name)
        for _ in range(max(0, headcount - len(pool.members) - pool.open_requisitions)):
            open_requisition(world, pool)
    _book_costs(world, change, changes)
    draws = world.streams.keyed("strategy", index).uniform(0.0, 1.0, (world.book.size, 2))
    world.env.process(_transition(world, change, draws))


def _book_costs(world: PolicyRun, change: Change, changes: dict) -> None:
    transition = change.rule.transition
    if transition.cost > 0:
        days = max(transition.total_days, 1.0)
        world.costs_over_time.append((change.decided, change.decided + days,
                                      transition.cost / days, -1))
    for tier, touch in changes.items():
        if touch.fixed_cost_per_month > 0:
            world.costs_over_time.append((change.pilot_day, np.inf,
                                          touch.fixed_cost_per_month / MONTH_DAYS, tier))


def _transition(world: PolicyRun, change: Change,
                draws: np.ndarray) -> Generator[simpy.Event, None, None]:
    """Move customers to the new profile: the pilot, then the rollout, then everyone."""
    transition = change.rule.transition
    pilot = draws[:, 0] < transition.pilot_share
    move_day = np.where(pilot, change.pilot_day,
                        change.rollout_day + draws[:, 1] * transition.rollout_days)
    if change.pilot_day > world.now:
        yield world.env.timeout(change.pilot_day - world.now)
    world.record("strategy_pilot", customers_drawn=int(pilot.sum()))
    while world.now < change.done_day and world.now < world.horizon:
        _move_due(world, change.profile, move_day <= world.now + 1e-9)
        yield world.env.timeout(min(WEEK_DAYS, change.done_day - world.now))
    _move_due(world, change.profile, np.ones(world.book.size, dtype=bool))
    world.profiles.for_new = change.profile
    world.record("strategy_done", profile=change.profile)
    for source, moves in change.rule.transfer.items():
        targets = [world.pool_named(name) for name, people in moves.items()
                   for _ in range(people)]
        world.env.process(_transfer_when_free(world, world.pool_named(source), targets))


def _transfer_when_free(world: PolicyRun, source: Pool,
                        targets: list[Pool]) -> Generator[simpy.Event, None, None]:
    """Move people out of a pool, one per target, as they become free (``_free_to_move``).

    Checked whenever the pool's onboarding queue dispatches, which every change that could
    free somebody does; somebody who leaves meanwhile is simply not there to move, and whoever
    is on staff then (a backfill too) moves instead.
    """
    desk = desk_for(world, source)
    for target in targets:
        while (person := _free_to_move(desk)) is None:
            yield desk.next_dispatch()
        transfer(world, person, target)


def _free_to_move(desk: OnboardingDesk) -> Person | None:
    """Who may leave a pool now: once its queue is empty, the first hired holding no onboarding.

    None while customers wait in the pool's queue or everybody holds an onboarding, so no
    customer is left behind.
    """
    if desk.waiting:
        return None
    return min((person for person in desk.pool.members if not person.onboardings),
               key=lambda person: person.id, default=None)


def _move_due(world: PolicyRun, profile: int, due: np.ndarray) -> None:
    book = world.book
    movers = np.flatnonzero(due & book.paying() & (book.profile < profile))
    for customer in movers:
        move(world, int(customer), profile)


def move(world: PolicyRun, customer: int, profile: int) -> None:
    """Serve a customer on another profile from now: touches, owner and renewal holder."""
    book = world.book
    book.profile[customer] = profile
    if book.state[customer] != ACTIVE:
        return
    tier = int(book.tier[customer])
    profiles = world.profiles
    touches = profiles.hours[profile, tier] > 0
    if touches:  # re-timed from now, or from the end of a handoff under way
        start = float(book.handoff_day[customer]) if in_handoff(world, customer) else world.now
        interval = profiles.interval[profile, tier]
        book.next_touch[customer] = start + interval * book.touch_phase[customer]
    owner_work = touches or (csm_renews(world, customer)
                             and profiles.renewal_hours[profile, tier] > 0)
    if not owner_work:
        release_owner(world, customer)
    elif book.owner[customer] < 0:
        assign_owner(world, customer)
    if customer in world.renewal_tasks:
        hand_task(world, customer, renewal_holder_for(world, customer))
