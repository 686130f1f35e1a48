"""Engagement: account ownership and scheduled CSM touches.

A live customer in a tier with human touches belongs to one CSM of its pool (least-loaded
assignment; the pool of its tier, pod or region, see ``sim.org.routing``), from go-live or from the
end of its handoff. Touches fall due every ``touch_interval_days``. Each week every CSM spends
the hours left after onboarding and renewal work on the touches due, in the order of the pool's
touch priority (``work_priority``: highest ACV, highest risk — coverage deficit plus weighted
usage drop — or least recently touched first; ties to the least recently touched); touches
that do not fit are missed.
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import WEEK_DAYS
from sim.customers.book import ACTIVE
from sim.customers.coverage import touch_risk
from sim.org.pools import Person, Pool
from sim.org.routing import csm_pool_for, csm_pool_indices, csm_renews
from sim.work.activity import log_hours
from sim.work.renewals import hand_task
from sim.work.run import WorkRun


def assign_owner(world: WorkRun, customer: int, preferred: Person | None = None) -> None:
    """Give a customer a CSM from its pool (none if the pool is empty or during a handoff)."""
    book = world.book
    if in_handoff(world, customer):
        return
    pool = csm_pool_for(world, customer)
    person = None
    if pool is not None:
        usable = preferred is not None and preferred.active and preferred.pool is pool
        person = preferred if usable else pool.least_loaded()
    release_owner(world, customer)
    if person is None:
        return
    book.owner[customer] = person.id
    person.accounts += 1
    person.pool.by_accounts.moved(person)
    task = world.renewal_tasks.get(customer)
    if task is not None and csm_renews(world, customer):
        hand_task(world, customer, person)


def in_handoff(world: WorkRun, customer: int) -> bool:
    """Whether the customer is between go-live and its handoff to a CSM (``sim.work.handoff``)."""
    return bool(world.book.handoff_day[customer] > world.now)


def change_owner(world: WorkRun, customer: int, to: Person | None = None) -> None:
    """Move a customer to another CSM (``to``, else the least-loaded), counting a change of CSM."""
    book = world.book
    tier = int(book.tier[customer])
    book.csm_changes[customer] += 1
    book.cycle_csm_changes[customer] += 1
    world.tier_counters.add("csm_changes", tier)
    world.record("csm_change", customer, int(book.owner[customer]), tier)
    assign_owner(world, customer, to)


def reassign(world: WorkRun, customer: int, to: Person | None = None) -> None:
    """Give a customer another CSM (``to``, else the least-loaded).

    A change of CSM unless its coverage is pooled.
    """
    book = world.book
    if world.profiles.pooled[book.profile[customer], book.tier[customer]]:
        assign_owner(world, customer, to)
    else:
        change_owner(world, customer, to)


def take_accounts(world: WorkRun, newcomer: Person) -> None:
    """A CSM who joins takes over a share of the pool's accounts (``hiring.csm_book_share``).

    From the colleague owning the most accounts, their most recently live account each time,
    until the newcomer owns that share of the pool's accounts per CSM (the share is at most 1,
    so the colleague always keeps more than the newcomer). Each move is a change of CSM
    (``reassign``).
    """
    members = newcomer.pool.members
    target = world.scenario.hiring.csm_book_share * sum(
        person.accounts for person in members) / len(members)
    book = world.book
    while newcomer.accounts + 1 <= target + 1e-9:
        giver = max((person for person in members if person is not newcomer),
                    key=lambda person: (person.accounts, -person.id), default=None)
        if giver is None:
            return
        owned = np.flatnonzero(book.owner == giver.id)
        newest = owned[np.lexsort((owned, book.golive_day[owned]))[-1]]
        reassign(world, int(newest), newcomer)


def release_owner(world: WorkRun, customer: int) -> None:
    """Take a customer off its CSM's book (if it has one)."""
    owner = int(world.book.owner[customer])
    if owner >= 0:
        person = world.people[owner]
        person.accounts -= 1
        person.pool.by_accounts.moved(person)
        world.book.owner[customer] = -1


def adopt_orphans(world: WorkRun, pool: Pool) -> None:
    """Give live customers served by the pool that have no CSM to its least-loaded CSMs."""
    book = world.book
    orphans = np.flatnonzero((book.owner < 0) & (book.state == ACTIVE))
    for customer in orphans[csm_pool_indices(world, orphans) == pool.index]:
        assign_owner(world, int(customer))


def touches_week(world: WorkRun, pool: Pool, week_end: float,
                 capacity: dict[int, float]) -> tuple[dict[int, float], dict[int, float]]:
    """Do one week of touches for one CSM pool.

    Args:
        world: the run.
        pool: the CSM pool.
        week_end: the day the week ends.
        capacity: hours each member (by id) has left for touches this week.

    Returns:
        Hours of touches demanded and hours worked, by member id.
    """
    book, profiles = world.book, world.profiles
    due = _due_accounts(world, pool, week_end)
    if len(due) == 0:
        return {}, {}
    profile, tier = book.profile[due], book.tier[due]
    interval = profiles.interval[profile, tier]
    count = np.floor((week_end - book.next_touch[due]) / interval).astype(np.int64) + 1
    book.next_touch[due] += count * interval
    hours = count * profiles.hours[profile, tier]
    pooled = profiles.pooled[profile, tier]
    owners = np.where(pooled, -1, book.owner[due])
    first = touch_order(world, pool, due)
    served = _serve(owners, book.last_touch[due], hours, capacity, first)
    demanded = _sum_by_owner(owners, hours)
    worked = _sum_by_owner(owners[served], hours[served])
    if pooled.any():
        served[pooled] = _serve_pooled(book.last_touch[due[pooled]], hours[pooled], capacity,
                                       demanded, worked,
                                       None if first is None else first[pooled])
    _count_touches(world, due, tier, count, served, week_end)
    book.cycle_human_hours[due[served]] += hours[served]
    log_hours(world.ledger, pool.index, tier[served], hours[served])
    return demanded, worked


def _due_accounts(world: WorkRun, pool: Pool, week_end: float) -> np.ndarray:
    """Live accounts of the pool with human touches falling due before ``week_end``.

    Accounts still in their handoff are left out: their touches wait for the CSM.
    """
    book, profiles = world.book, world.profiles
    handing_off = book.handoff_day > week_end - WEEK_DAYS
    candidates = np.flatnonzero((book.state == ACTIVE) & (book.next_touch < week_end)
                                & ~handing_off)
    touched = candidates[profiles.hours[book.profile[candidates], book.tier[candidates]] > 0]
    return touched[csm_pool_indices(world, touched) == pool.index]


def touch_order(world: WorkRun, pool: Pool, due: np.ndarray) -> np.ndarray | None:
    """Sort key of the due accounts by the pool's touch priority, smallest first.

    None for ``least_recent`` (the last touch alone decides).
    """
    priority = world.scenario.work_priority.of_pool(pool.role, pool.spec.touch_priority)
    if priority == "value":
        return -world.book.acv[due].astype(float)
    if priority == "risk":
        return -touch_risk(world, due)
    return None


def _serve_pooled(last_touch: np.ndarray, hours: np.ndarray, capacity: dict[int, float],
                  demanded: dict[int, float], worked: dict[int, float],
                  first: np.ndarray | None) -> np.ndarray:
    """Serve pooled accounts on the hours the pool's members have left.

    In priority order (``touch_order``); hours demanded and worked are shared among
    members in proportion to the hours they had left.
    """
    left = {member: max(0.0, hours_free - worked.get(member, 0.0))
            for member, hours_free in capacity.items()}
    total = sum(left.values())
    served = _serve(np.zeros(len(hours), dtype=np.int64), last_touch, hours, {0: total}, first)
    if total <= 0:
        share = {member: 1.0 / len(left) for member in left} if left else {}
    else:
        share = {member: free / total for member, free in left.items()}
    for member, fraction in share.items():
        demanded[member] = demanded.get(member, 0.0) + fraction * float(hours.sum())
        worked[member] = worked.get(member, 0.0) + fraction * float(hours[served].sum())
    return served


def _serve(owners: np.ndarray, last_touch: np.ndarray, hours: np.ndarray,
           capacity: dict[int, float], first: np.ndarray | None = None) -> np.ndarray:
    """Which due accounts get their touches.

    Per owner, the smallest ``first`` key first (if given), then the least recently touched.
    """
    recency = np.where(np.isnan(last_touch), -np.inf, last_touch)  # never touched: first
    order = np.lexsort((recency, owners) if first is None else (recency, first, owners))
    sorted_owners, sorted_hours = owners[order], hours[order]
    cumulative = sorted_hours.cumsum()
    new_owner = np.empty(len(order), dtype=bool)  # where each owner's accounts start
    new_owner[0] = True
    np.not_equal(sorted_owners[1:], sorted_owners[:-1], out=new_owner[1:])
    starts = np.flatnonzero(new_owner)
    group_of = new_owner.cumsum() - 1
    before = (cumulative - sorted_hours)[starts]
    within = cumulative - before[group_of]
    limit = np.array([capacity.get(owner, 0.0) for owner in sorted_owners[starts].tolist()])
    served_sorted = (within <= limit[group_of] + 1e-9) & (sorted_owners >= 0)
    served = np.empty(len(order), dtype=bool)
    served[order] = served_sorted
    return served


def _count_touches(world: WorkRun, due: np.ndarray, tier: np.ndarray, count: np.ndarray,
                   served: np.ndarray, week_end: float) -> None:
    book = world.book
    missed = np.where(served, 0, count)
    book.touches_due[due] += count
    book.cycle_touches_due[due] += count
    book.touches_missed[due] += missed
    book.cycle_touches_missed[due] += missed
    book.last_touch[due[served]] = week_end
    size = len(world.scenario.tiers)
    world.tier_counters.add_many("touches_due", np.bincount(tier, count, size))
    world.tier_counters.add_many("touches_missed", np.bincount(tier, missed, size))


def _sum_by_owner(owners: np.ndarray, hours: np.ndarray) -> dict[int, float]:
    if len(owners) == 0:
        return {}
    # Owners are staff ids (-1: none), so a count per id finds them without sorting.
    shifted = owners + 1
    sums = np.bincount(shifted, hours)
    present = np.flatnonzero(np.bincount(shifted)[1:])
    return dict(zip(present.tolist(), sums[present + 1].tolist(), strict=True))
