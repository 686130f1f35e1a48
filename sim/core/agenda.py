"""An agenda: many scheduled steps kept in one sorted structure, walked by one pending event.

SimPy holds every pending event in one heap, keyed (instant, priority, order), where the order is
a count taken when the event is scheduled. A model with one pending timeout per customer keeps
that heap as large as its book and pays SimPy's handling of each timeout. An ``Agenda`` keeps
such steps in a heap of its own, keyed the same way and taking its order from the same count at
the same moment a timeout would have, and keeps in SimPy's heap only one wake-up event, under
the key of its earliest step. When that event comes up, the agenda's ``walk`` takes steps in key
order for as long as the earliest one comes before SimPy's next event: every step is handled at
the instant, and in the place among all other events, that its own timeout would have had.

Entries are plain tuples ``(instant, priority, order, item, step, value, extra)``: the key, then
what the walker needs (e.g. a customer, which of its steps, a date and a length of time).

This module is the one place that reaches into SimPy's environment (its heap, its count of
scheduled events and its clock), all in the small functions at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heapify, heappop, heappush

import simpy

Entry = tuple[float, int, int, int, int, float, float]
"""(instant, priority, order, item, step, value, extra)."""


class Agenda:
    """Scheduled steps walked in SimPy's order by one pending wake-up event.

    The entries of the earliest day that has any are a heap (``current``, with any entry added
    since for that day or before it); those of later days wait unsorted in a list per whole day
    (``later``) until their day comes, when the list is made a heap. Pushing and popping work on
    one day's entries rather than on the whole run's.

    Args:
        env: the environment whose clock and event order the agenda follows.
    """

    __slots__ = ("env", "current", "today", "later", "days", "size", "armed", "walk")

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.current: list[Entry] = []
        """A heap of the entries of day ``today`` and before."""
        self.today = -1
        self.later: dict[int, list[Entry]] = {}
        """The entries of each later day, unsorted."""
        self.days: list[int] = []
        """A heap of the days in ``later``."""
        self.size = 0
        """Entries held."""
        self.armed: set[int] = set()
        """Orders of the entries with a wake-up event in SimPy's heap."""
        self.walk: Callable[[Agenda], None] = _unset
        """Handles the steps that are due (``take`` them) when a wake-up event comes up."""

    def add(self, delay: float, priority: int, item: int, step: int, value: float = 0.0,
            extra: float = 0.0) -> None:
        """Schedule a step ``delay`` days from now, as ``env.timeout(delay)`` would be.

        Its instant is ``now + delay`` (the same sum SimPy forms) and its order is taken now.
        """
        env = self.env
        entry = (env._now + delay, priority, next(env._eid), item, step, value, extra)
        self._push(entry)
        if self.first() is entry:
            self._arm(entry)

    def first(self) -> Entry | None:
        """The earliest entry (None if there is none)."""
        if not self.current:
            if not self.days:
                return None
            self.today = heappop(self.days)
            self.current = self.later.pop(self.today)
            heapify(self.current)
        return self.current[0]

    def due(self) -> Entry | None:
        """The earliest entry if it comes before every event in SimPy's heap, else None."""
        entry = self.first()
        if entry is None:
            return None
        queue = self.env._queue
        if queue and not _precedes(entry, queue[0]):
            return None
        return entry

    def take(self) -> Entry:
        """Remove the earliest entry (``first`` or ``due`` found it) and move the clock to it."""
        entry = heappop(self.current)
        self.size -= 1
        self.env._now = entry[0]
        return entry

    def take_run(self) -> list[Entry]:
        """Remove the earliest entry and every due entry of the same step that follows it.

        The clock moves to the first; ``handle_run`` handles them, each at its own instant.
        """
        run = [self.take()]
        step = run[0][4]
        while (entry := self.due()) is not None and entry[4] == step:
            run.append(heappop(self.current))
            self.size -= 1
        return run

    def handle_run(self, run: list[Entry], handle: Callable[[int, Entry], None]) -> None:
        """Handle a run of entries in order, each with the clock at its instant.

        Should handling one schedule an event (or an entry) that comes before the next, the
        rest go back to the agenda, to come in their turn.
        """
        env = self.env
        for index, entry in enumerate(run):
            if index and not self._comes_next(entry):
                for rest in run[index:]:
                    self._push(rest)
                self._arm(run[index])
                return
            env._now = entry[0]
            handle(index, entry)

    def _comes_next(self, entry: Entry) -> bool:
        """Whether an entry taken out of turn still comes before everything else pending.

        Only SimPy's heap need be read: every entry left in the agenda comes after the run,
        and an entry added since that comes before it was the agenda's earliest when added,
        so its wake-up event is in SimPy's heap.
        """
        queue = self.env._queue
        return not queue or _precedes(entry, queue[0])

    def _push(self, entry: Entry) -> None:
        self.size += 1
        day = int(entry[0])
        if day <= self.today:
            heappush(self.current, entry)
            return
        bucket = self.later.get(day)
        if bucket is None:
            self.later[day] = [entry]
            heappush(self.days, day)
        else:
            bucket.append(entry)

    def _arm(self, entry: Entry) -> None:
        """Put a wake-up event in SimPy's heap under the entry's key (once per entry)."""
        order = entry[2]
        if order in self.armed:
            return
        self.armed.add(order)
        event = simpy.Event(self.env)
        event.callbacks = [self._wake]
        event._ok = True
        event._value = order
        queue: list = self.env._queue
        heappush(queue, (entry[0], entry[1], order, event))

    def _wake(self, event: simpy.Event) -> None:
        self.armed.discard(event._value)
        entry = self.first()
        if entry is not None and entry[2] == event._value:
            self.walk(self)
            entry = self.first()
        if entry is not None:
            self._arm(entry)


def _precedes(entry: tuple, other: tuple) -> bool:
    """Whether ``entry``'s key (instant, priority, order) comes before ``other``'s."""
    return entry[:3] < other[:3]


def _unset(_: Agenda) -> None:
    raise RuntimeError("an agenda woke before its walker was set")
