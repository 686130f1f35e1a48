"""The queue of one support pool: its waiting tickets in preallocated columns, and its tallies.

``route_tickets`` adds a day's new tickets to the queues of their pools; ``started`` finds, for a
pool working its queue first come first served as a single fluid server, the tickets whose work
starts within a day (``sim.work.support``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class SupportTallies:
    """Running totals of one support queue since the start of the run (read by hiring)."""

    tickets: int = 0
    """Tickets routed to the queue."""
    hours: float = 0.0
    """Their hours of work."""
    answered: int = 0
    """Tickets whose work started."""
    response_hours: float = 0.0
    """Sum of their hours in the queue: the first response less any uncovered-region delay,
    which hiring into this pool cannot shorten."""
    breaches: int = 0
    """SLA breaches the queue caused: tickets that waited in it past their tier's SLA, or are
    still waiting past it (not those late only by the uncovered-region delay)."""

    def since(self, earlier: SupportTallies) -> SupportTallies:
        """The totals between an earlier reading and this one."""
        return SupportTallies(self.tickets - earlier.tickets, self.hours - earlier.hours,
                              self.answered - earlier.answered,
                              self.response_hours - earlier.response_hours,
                              self.breaches - earlier.breaches)


COLUMNS = (("open_day", np.float64), ("customer", np.int64), ("hours", np.float64),
           ("breached", np.bool_))
"""The columns of a ticket queue and their types."""


@dataclass
class TicketQueue:
    """Waiting tickets of one support pool, oldest first, and its week's tallies.

    The tickets live in preallocated columns (doubled when full); ``open_day``, ``customer``,
    ``hours`` and ``breached`` are views of the waiting ones.
    """

    carry_hours: float = 0.0
    week_arrived: float = 0.0
    week_worked: float = 0.0
    week_backlog: float = 0.0
    tickets: int = 0
    tickets_hours: float = 0.0
    answered: int = 0
    response_hours: float = 0.0
    breaches: int = 0
    """The running totals since the start of the run (``SupportTallies``), as plain numbers:
    they change every day."""
    buffers: dict[str, np.ndarray] = field(default_factory=lambda: {
        name: np.zeros(16, dtype=kind) for name, kind in COLUMNS})
    head: int = 0
    tail: int = 0

    @property
    def open_day(self) -> np.ndarray:
        """Opening day of each waiting ticket."""
        return self.buffers["open_day"][self.head:self.tail]

    @property
    def customer(self) -> np.ndarray:
        """Customer of each waiting ticket."""
        return self.buffers["customer"][self.head:self.tail]

    @property
    def hours(self) -> np.ndarray:
        """Hours of work of each waiting ticket."""
        return self.buffers["hours"][self.head:self.tail]

    @property
    def breached(self) -> np.ndarray:
        """Whether each waiting ticket has already been counted as an SLA breach."""
        return self.buffers["breached"][self.head:self.tail]

    @property
    def tallies(self) -> SupportTallies:
        """Running totals since the start of the run."""
        return SupportTallies(self.tickets, self.tickets_hours, self.answered,
                              self.response_hours, self.breaches)

    def push(self, open_day: np.ndarray, customer: np.ndarray, hours: np.ndarray) -> None:
        """Add newly opened tickets at the back."""
        added = len(open_day)
        if self.head == self.tail:
            self.head = self.tail = 0
        if self.tail + added > len(self.buffers["hours"]):
            waiting = self.tail - self.head
            size = max(16, 2 * (waiting + added))
            for name, kind in COLUMNS:
                grown = np.zeros(size, dtype=kind)
                grown[:waiting] = self.buffers[name][self.head:self.tail]
                self.buffers[name] = grown
            self.head, self.tail = 0, waiting
        new = slice(self.tail, self.tail + added)
        self.buffers["open_day"][new] = open_day
        self.buffers["customer"][new] = customer
        self.buffers["hours"][new] = hours
        self.buffers["breached"][new] = False
        self.tail += added
        arrived = float(hours.sum())
        self.week_arrived += arrived
        self.count(tickets=added, hours=arrived)

    def count(self, tickets: int = 0, hours: float = 0.0, answered: int = 0,
              response_hours: float = 0.0, breaches: int = 0) -> None:
        """Add to the running totals."""
        self.tickets += tickets
        self.tickets_hours += hours
        self.answered += answered
        self.response_hours += response_hours
        self.breaches += breaches

    def pop(self, count: int) -> tuple[np.ndarray, ...]:
        """Take the ``count`` oldest tickets off the queue."""
        buffers = self.buffers
        oldest = slice(self.head, min(self.head + count, self.tail))
        self.head += count
        return (buffers["open_day"][oldest], buffers["customer"][oldest], buffers["hours"][oldest],
                buffers["breached"][oldest])

    def reorder(self, order: np.ndarray) -> None:
        """Put the tickets in this order (a permutation of the queue)."""
        waiting = slice(self.head, self.tail)
        for name, _ in COLUMNS:
            column = self.buffers[name]
            column[waiting] = column[waiting][order]

    def outstanding_hours(self) -> float:
        """Hours of work queued or in progress."""
        return float(self.hours.sum()) + self.carry_hours


def started(queue: TicketQueue, rate: float, day_start: float,
             day_end: float) -> tuple[int, np.ndarray]:
    """Tickets whose work starts before ``day_end``, and the start of each ticket looked at.

    Starts never decrease along the queue, so only a head that grows until it holds a ticket
    starting after the day is looked at (the same figures as over the whole queue).
    """
    waiting = len(queue.hours)
    size = min(waiting, 64)
    while True:
        hours, open_day = queue.hours[:size], queue.open_day[:size]
        before = hours.cumsum() - hours
        offset = before / rate
        free_at = day_start + queue.carry_hours / rate
        start = offset + np.maximum(free_at, np.maximum.accumulate(open_day - offset))
        served = int(start.searchsorted(day_end, side="left"))
        if served < size or size == waiting:
            return served, start
        size = min(waiting, 4 * size)


def route_tickets(queues: dict[int, TicketQueue], pools: np.ndarray, open_day: np.ndarray,
                  customer: np.ndarray, hours: np.ndarray) -> None:
    """Add newly opened tickets to the queues of their pools (``pools``: each one's pool index).

    A queue gets its tickets in their order; a pool without a queue gets none.
    """
    if not len(pools):
        return
    first = int(pools[0])
    if (pools == first).all():  # most days: every ticket goes to one pool
        queue = queues.get(first)
        if queue is not None:
            queue.push(open_day, customer, hours)
        return
    for pool_index, queue in queues.items():
        mine = pools == pool_index
        if mine.any():
            queue.push(open_day[mine], customer[mine], hours[mine])
