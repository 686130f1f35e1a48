"""The indexed structures behind staff selection and queue removal answer exactly what a scan
of the members or of the queue would: the least-loaded member (ties: earliest hire), the member
with the most free onboarding slots, and the waiting line in order after any removals.

Each test drives the structure with a long random sequence of joins, departures, transfers, load
changes and queue operations and checks every answer against the plain scan it replaces.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

from sim import load_scenario, run
from sim.org.pools import Person, Pool
from sim.scenario.staff import StaffPool
from sim.work.onboarding import WaitingLine
from sim.work.run import WorkRun
from sim.work.ticket_queue import TicketQueue, started


def _pools() -> list[Pool]:
    return [Pool(index, StaffPool(name=f"impl{index}", role="implementation",
                                  onboarding_slots=3, annual_cost=1.0,
                                  headcount=0), ())
            for index in range(2)]


def _scan_least_loaded(pool: Pool) -> Person | None:
    return min(pool.members, key=lambda person: (person.accounts, person.id), default=None)


def _scan_freest(pool: Pool) -> Person | None:
    return max(pool.members, default=None,
               key=lambda member: (member.free_slots(), -member.id))


def test_load_indexes_agree_with_a_scan_of_the_members() -> None:
    """5,000 random changes over two pools; after each, both indexes of both pools agree with
    the scan (a stale entry, a lost notification or a wrong tie-break would show)."""
    rng = np.random.default_rng(7)
    pools = _pools()
    people: list[Person] = []
    for step in range(5000):
        action = rng.integers(6)
        active = [person for person in people if person.active]
        if action == 0 or not active:
            pool = pools[int(rng.integers(2))]
            person = Person(len(people), pool, float(step), rng)
            people.append(person)
            pool.members.append(person)
            pool.track(person)
        elif action == 1 and len(active) > 3:
            person = active[int(rng.integers(len(active)))]
            person.active = False
            person.pool.members.remove(person)
        elif action == 2:
            person = active[int(rng.integers(len(active)))]
            person.pool.members.remove(person)
            person.pool = pools[1 - person.pool.index]
            person.pool.members.append(person)
            person.pool.track(person)
        elif action == 3:
            person = active[int(rng.integers(len(active)))]
            person.accounts = max(0, person.accounts + int(rng.choice([-1, 1])))
            person.pool.by_accounts.moved(person)
        else:
            person = active[int(rng.integers(len(active)))]
            if person.onboardings and rng.random() < 0.5:
                person.onboardings.discard(min(person.onboardings))
            elif person.free_slots() > 0:
                person.onboardings.add(step)
            person.pool.by_onboardings.moved(person)
        for pool in pools:
            assert pool.least_loaded() is _scan_least_loaded(pool)
            assert pool.freest() is _scan_freest(pool)
    assert all(len(pool.by_accounts.heap) <= 2 * len(pool.members) + 17 for pool in pools)


def test_waiting_line_keeps_order_after_any_removals() -> None:
    """Joins at either end, first-out and removals of any customer: the line equals a deque
    worked the slow way, in order and length, after every operation."""
    rng = np.random.default_rng(3)
    line, reference = WaitingLine(), deque[tuple[int, object]]()
    next_customer = 0
    for _ in range(5000):
        action = rng.integers(4)
        if action <= 1 or not reference:
            entry = (next_customer, object())
            next_customer += 1
            if action == 0:
                line.append(entry)  # type: ignore[arg-type]
                reference.append(entry)
            else:
                line.appendleft(entry)  # type: ignore[arg-type]
                reference.appendleft(entry)
        elif action == 2:
            assert line.popleft() is reference.popleft()
        else:
            entry = reference[int(rng.integers(len(reference)))]
            reference.remove(entry)
            assert line.remove(entry[0])
            assert not line.remove(entry[0])
        assert len(line) == len(reference) and bool(line) == bool(reference)
        if reference:
            assert line[0] is reference[0]
        assert list(line) == list(reference)


def test_indexes_agree_with_the_scan_throughout_real_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every staff choice of real runs (pods lending slots, a specialist org with departures
    and backfills, the growing generalist team) equals the scan's: a missed notification on a
    join, a finished onboarding or a moved account would show."""
    checked = {"freest": 0, "least_loaded": 0}
    freest, least_loaded = Pool.freest, Pool.least_loaded

    def checked_freest(pool: Pool) -> Person | None:
        checked["freest"] += 1
        chosen = freest(pool)
        assert chosen is _scan_freest(pool)
        return chosen

    def checked_least_loaded(pool: Pool) -> Person | None:
        checked["least_loaded"] += 1
        chosen = least_loaded(pool)
        assert chosen is _scan_least_loaded(pool)
        return chosen

    monkeypatch.setattr(Pool, "freest", checked_freest)
    monkeypatch.setattr(Pool, "least_loaded", checked_least_loaded)
    for name in ("org_pods", "triggers_tech_touch", "growth_100_to_500"):
        scenario = load_scenario(f"scenarios/{name}.yaml")
        run(scenario.model_copy(update={"horizon_months": 18}), 1)
    assert checked["freest"] > 1000 and checked["least_loaded"] > 500


def test_the_days_starts_from_the_queue_head_equal_those_over_the_whole_queue() -> None:
    """Long and short queues, slow and fast servers: the tickets started in the day and their
    start times, computed on a growing head of the queue, equal the scan of the whole queue."""
    rng = np.random.default_rng(11)
    for _ in range(300):
        queue = TicketQueue()
        waiting = int(rng.integers(1, 2000))
        queue.push(np.sort(rng.uniform(0.0, 5.0, waiting)), np.arange(waiting),
                   rng.choice([0.5, 2.0, 6.0], waiting))
        queue.carry_hours = float(rng.uniform(0.0, 3.0))
        rate = float(rng.choice([0.5, 8.0, 200.0, 5000.0]))
        before = np.cumsum(queue.hours) - queue.hours
        offset = before / rate
        free_at = 5.0 + queue.carry_hours / rate
        start = offset + np.maximum(free_at, np.maximum.accumulate(queue.open_day - offset))
        served = int(np.searchsorted(start, 6.0, side="left"))
        got, head = started(queue, rate, 5.0, 6.0)
        assert got == served
        assert np.array_equal(head[:served], start[:served])


def test_cached_renewal_loads_equal_a_fresh_sum_throughout_real_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every renewal load read while specialists and CSMs hand on, close and work renewal tasks
    equals the sum over the tasks held at that moment, to the last bit."""
    checked = [0]
    held = WorkRun.renewal_hours_held

    def checked_held(world: WorkRun, person: Person) -> float:
        checked[0] += 1
        value = held(world, person)
        assert value == sum(world.renewal_tasks[customer].remaining_hours
                            for customer in person.renewal_tasks)
        return value

    monkeypatch.setattr(WorkRun, "renewal_hours_held", checked_held)
    for name in ("stage3_scaled_ops", "strategies/specialise_at_150"):
        scenario = load_scenario(f"scenarios/{name}.yaml")
        run(scenario.model_copy(update={"horizon_months": 18}), 1)
    assert checked[0] > 1000


def test_a_customer_who_left_is_owed_no_renewal_work() -> None:
    """Customers who abandon the onboarding queue or churn keep no open renewal task, and no
    one holds work for them (the renewal cycle stops with the customer)."""
    from sim.customers.book import CHURNED
    from sim.model import build, simulate

    for name, seed in (("growth_100_to_500", 1), ("stage3_scaled_ops", 2)):
        world = build(load_scenario(f"scenarios/{name}.yaml"), seed)
        simulate(world)
        left = set(np.flatnonzero(world.book.state == CHURNED).tolist())
        assert len(left) > 10
        assert not left & set(world.renewal_tasks)
        assert not any(left & person.renewal_tasks for person in world.people.values())
