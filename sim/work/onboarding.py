"""Onboarding: a first-come-first-served queue per onboarding team, served by people with slots.

Implementation specialists (of the customer's pod or region where there are such pools) or the
tier's CSMs (generalist model) each run up to ``onboarding_slots`` onboardings at once; which queue
a customer joins is decided in ``sim.org.routing`` (``sim.work.desks``). A waiting customer is
handed to the person with the most free slots (ties: earliest hire). Work takes
``onboarding_work / productivity`` days, the productivity of the person when the work starts.
When that person leaves, the remaining work goes back to the front of the queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterator
from typing import cast

import simpy

from sim.customers.book import CHURNED, ONBOARDING, WAITING
from sim.customers.run import CustomerRun
from sim.org.pools import Person, Pool

Entry = tuple[int, simpy.Event]
"""A waiting customer and the event that fires with its onboarder."""


class WaitingLine:
    """Waiting customers in order, with any customer's removal in O(1).

    A removed customer's entry stays in the deque, marked by its absence from ``live``, until it
    reaches the front.
    """

    def __init__(self) -> None:
        self.line: deque[Entry] = deque()
        self.live: dict[int, Entry] = {}

    def append(self, entry: Entry) -> None:
        """Join at the back."""
        self.line.append(entry)
        self.live[entry[0]] = entry

    def appendleft(self, entry: Entry) -> None:
        """Join at the front."""
        self.line.appendleft(entry)
        self.live[entry[0]] = entry

    def popleft(self) -> Entry:
        """Take the first waiting customer off the line."""
        self._drop_removed()
        entry = self.line.popleft()
        del self.live[entry[0]]
        return entry

    def remove(self, customer: int) -> bool:
        """Take a customer off the line; False if it is not waiting."""
        return self.live.pop(customer, None) is not None

    def __getitem__(self, index: int) -> Entry:
        if index != 0:
            raise IndexError("only the first waiting customer can be read")
        self._drop_removed()
        return self.line[0]

    def __len__(self) -> int:
        return len(self.live)

    def __iter__(self) -> Iterator[Entry]:
        live = self.live
        return (entry for entry in self.line if live.get(entry[0]) is entry)

    def _drop_removed(self) -> None:
        line, live = self.line, self.live
        while line and live.get(line[0][0]) is not line[0]:
            line.popleft()


class OnboardingDesk:
    """The queue in front of one pool of onboarders.

    Args:
        world: the run.
        pool: the pool whose members onboard customers.
        desks: every pool's desk by pool index (a lent slot frees up in its own pool's desk).
    """

    def __init__(self, world: CustomerRun, pool: Pool, desks: dict[int, OnboardingDesk]) -> None:
        self.world = world
        self.pool = pool
        self.desks = desks
        self.waiting = WaitingLine()
        self.after_dispatch: Callable[[], None] | None = None
        """Called after each dispatch (pods that lend free slots, ``sim.work.borrowing``)."""
        self._dispatched: simpy.Event | None = None

    def request(self, customer: int, front: bool = False) -> simpy.Event:
        """Join the queue; the returned event fires with the assigned person."""
        granted = self.world.env.event()
        entry = (customer, granted)
        if front:
            self.waiting.appendleft(entry)
        else:
            self.waiting.append(entry)
        self.world.book.state[customer] = WAITING
        self._set_waiting(customer, +1)
        self.dispatch()
        return granted

    def withdraw(self, customer: int) -> None:
        """Leave the queue without being served."""
        if self.waiting.remove(customer):
            self._set_waiting(customer, -1)

    def dispatch(self) -> None:
        """Hand waiting customers to free slots, first come first served."""
        while self.waiting:
            person = self.freest()
            if person is None or person.free_slots() <= 0:
                break
            self.grant_next(person)
        if self.after_dispatch is not None:
            self.after_dispatch()
        if self._dispatched is not None and not self._dispatched.triggered:
            self._dispatched.succeed()

    def next_dispatch(self) -> simpy.Event:
        """An event that fires after the desk's next dispatch.

        Every change that can free a slot or empty the queue (a request, a finished or handed
        back onboarding, a join or transfer into the pool) dispatches, so a process waiting for
        either waits on this instead of polling.
        """
        if self._dispatched is None or self._dispatched.triggered:
            self._dispatched = self.world.env.event()
        return self._dispatched

    def freest(self) -> Person | None:
        """The member with the most free slots (ties: earliest hire); None if nobody."""
        return self.pool.freest()

    def grant_next(self, person: Person) -> int | None:
        """Hand the first waiting customer to a person's free slot.

        Returns the customer, or None if it churned at a renewal this instant (its journey is
        being stopped).
        """
        customer, granted = self.waiting.popleft()
        self._set_waiting(customer, -1)
        if self.world.book.state[customer] == CHURNED:
            return None
        self.world.book.state[customer] = ONBOARDING
        person.onboardings.add(customer)
        person.pool.by_onboardings.moved(person)
        granted.succeed(person)
        return customer

    def finish(self, person: Person, customer: int) -> None:
        """Free the slot a customer used (a lent slot goes back to its own pool's queue)."""
        person.onboardings.discard(customer)
        person.pool.by_onboardings.moved(person)
        self.dispatch()
        home = self.desks[person.pool.index]
        if home is not self:
            home.dispatch()

    def queued_work(self) -> float:
        """Days of onboarding work (at full productivity) waiting in the queue."""
        work = self.world.book.onboarding_work
        return float(sum(work[customer] for customer, _ in self.waiting))

    def total_slots(self) -> int:
        """Slots of everyone currently on staff."""
        return self.pool.slots * len(self.pool.members)

    def _set_waiting(self, customer: int, delta: int) -> None:
        tier = int(self.world.book.tier[customer])
        self.world.waiting_level.change(tier, delta, self.world.now)


def onboard(world: CustomerRun, desk: OnboardingDesk,
            customer: int) -> Generator[simpy.Event, object, tuple[bool, Person | None]]:
    """Wait for a slot, then do the onboarding work. Returns (went live, last onboarder)."""
    env, book = world.env, world.book
    remaining = float(book.onboarding_work[customer])
    first = True
    while True:
        granted = desk.request(customer, front=not first)
        try:
            person = yield from _wait_for_slot(world, desk, customer, granted, first)
        except simpy.Interrupt:
            if granted.triggered:
                desk.finish(cast(Person, granted.value), customer)
            else:
                desk.withdraw(customer)
            return False, None
        if person is None:
            return False, None
        if first:
            _record_start(world, customer)
        first = False
        speed = person.productivity(env.now, world.scenario.hiring, world.scenario.staff)
        started = env.now
        try:
            yield env.timeout(remaining / speed)
        except simpy.Interrupt as interrupt:
            desk.finish(person, customer)
            if interrupt.cause == "churned" or book.state[customer] == CHURNED:
                return False, None
            remaining = max(0.0, remaining - (env.now - started) * speed)
            continue
        desk.finish(person, customer)
        return True, person


def _wait_for_slot(world: CustomerRun, desk: OnboardingDesk, customer: int, granted: simpy.Event,
                   first: bool) -> Generator[simpy.Event, object, Person | None]:
    """Wait in the queue; on the first wait the customer may abandon (None)."""
    book = world.book
    if not first:
        return cast(Person, (yield granted))
    patience_ends = book.arrival_day[customer] + book.patience[customer]
    if patience_ends >= world.horizon:
        return cast(Person, (yield granted))
    yield granted | world.env.timeout(max(0.0, patience_ends - world.now))
    if granted.triggered:
        return granted.value
    desk.withdraw(customer)
    return None


def _record_start(world: CustomerRun, customer: int) -> None:
    book = world.book
    wait = max(0.0, world.now - book.arrival_day[customer])
    book.onboarding_start_day[customer] = world.now
    book.wait_days[customer] = wait
    tier = int(book.tier[customer])
    world.tier_counters.add("onboarding_starts", tier)
    world.tier_counters.add("onboarding_wait_sum", tier, wait)
    world.record("onboarding_start", customer, tier=tier, wait_days=wait)
