"""Every customer's renewal cycle, from one calendar for the whole run.

A customer's cycle has three kinds of step: it starts (the instant it signs or, for the initial
book, day 0), the work of a renewal opens ``renewals.window_days`` before the date
(``sim.work.renewals.open_task``, for a profile whose renewal needs owner hours), and the
renewal is decided on the date (``sim.work.contracts``); a customer that stays goes on to its
next anniversary. The work of a renewal whose window opens before the horizon is opened even if
its date falls after it, so the last months of a run carry the renewal work they really would.

The steps of every customer are entries of the run's one ``sim.core.agenda.Agenda``
(``WorkRun.calendar``), not a SimPy timeout each: an entry takes the instant and the place in
the order of events its timeout would have had (a start comes before ordinary events at its
instant, as SimPy's start of a process), and the agenda hands ``walk`` the entries that are due
in that order. Renewal dates that come one after another with no other event in between
(``BATCH_MIN`` or more) are decided together (``decide_batch``) and carried out one by one in
order, each at its own instant. This gives the one-by-one decisions because a decision reads
only its own customer's state and the clock, and carrying a renewal out changes only its own
customer (counters, contract, tier, owner and renewal work, its triggers' cycle) besides
tallies and staff loads that no decision reads. Should carrying one out schedule an event that
comes before the next (the interrupted journey of a churned customer), the rest of the batch
goes back to the calendar and is decided again when its turn comes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from simpy.core import NORMAL, URGENT

from sim.core.agenda import Agenda, Entry
from sim.core.calendar import YEAR_DAYS
from sim.customers.book import CHURNED
from sim.customers.renewal_batch import BatchDecision, decide_batch
from sim.work.contracts import conclude_renewal, renew, renewal_missed
from sim.work.renewals import open_task
from sim.work.run import WorkRun

START, WINDOW, DATE, SELF_SERVE_START, SELF_SERVE_LIVE = range(5)
"""The steps of a cycle, as entries of the calendar carry them, and the two steps of a journey
that needs no person (``sim.work.lifecycle``: its start, its go-live), handed to ``journey``."""

JourneyStep = Callable[[WorkRun, int, int], None]
"""Handles a journey step of a customer: ``(world, customer, step)``."""

BATCH_MIN = 16
"""Fewest renewal dates in a row decided together; fewer are decided one by one, which is
faster below about 16 (a batch costs some 70 us more, then about 1 us a renewal against 5 us)."""


def start_calendar(world: WorkRun, journey: JourneyStep) -> None:
    """Day 0, before any customer starts its cycle: the calendar's steps are walked here.

    The steps of self-serve journeys go to ``journey``.
    """
    world.calendar.walk = lambda calendar: walk(world, calendar, journey)


def renewal_cycle(world: WorkRun, customer: int) -> None:
    """Start a customer's renewal cycle at this instant (before ordinary events due now)."""
    world.calendar.add(0.0, URGENT, customer, START)


def walk(world: WorkRun, calendar: Agenda, journey: JourneyStep) -> None:
    """Handle the calendar's entries while the earliest comes before every other event."""
    while (entry := calendar.due()) is not None:
        if entry[4] == DATE:
            _dates(world, calendar)
            continue
        instant, _, _, customer, step, due, window = calendar.take()
        if step == START:
            _next_year(world, customer, float(world.book.first_renewal_day[customer]),
                       world.scenario.renewals.window_days)
        elif step >= SELF_SERVE_START:
            journey(world, customer, step)
        elif world.book.state[customer] != CHURNED:
            open_task(world, customer, due)
            _await_date(world, customer, due, window)


def _next_year(world: WorkRun, customer: int, due: float, window: float) -> None:
    opens = due - window
    if opens >= world.horizon:
        return
    now = world.env.now
    if world.renewal_hours(customer) <= 0:
        _await_date(world, customer, due, window)
    elif opens > now:
        world.calendar.add(opens - now, NORMAL, customer, WINDOW, due, window)
    else:
        open_task(world, customer, due)
        _await_date(world, customer, due, window)


def _await_date(world: WorkRun, customer: int, due: float, window: float) -> None:
    if due < world.horizon:
        world.calendar.add(due - world.env.now, NORMAL, customer, DATE, due, window)


def _dates(world: WorkRun, calendar: Agenda) -> None:
    """The renewal dates due in a row: decided one by one, or together from ``BATCH_MIN``."""
    run = calendar.take_run()
    decided = _decide(world, run) if len(run) >= BATCH_MIN else None

    def handle(index: int, entry: Entry) -> None:
        customer, due, window = entry[3], entry[5], entry[6]
        if world.book.state[customer] == CHURNED:
            return
        if decided is None:
            stays = renew(world, customer)
        else:
            missed, churns, decision = decided
            stays = conclude_renewal(world, customer, missed[index], churns[index],
                                     decision.coverage(index))
        if stays:
            _next_year(world, customer, due + YEAR_DAYS, window)

    calendar.handle_run(run, handle)


def _decide(world: WorkRun,
            batch: list[Entry]) -> tuple[list[bool], list[bool], BatchDecision]:
    """Whether each renewal of a batch was missed, whether it churns, and the decision."""
    customers = np.array([entry[3] for entry in batch])
    instants = np.array([entry[0] for entry in batch])
    missed = [renewal_missed(world, customer) for customer in customers.tolist()]
    decision = decide_batch(world, customers, instants, np.array(missed))
    return missed, decision.churns.tolist(), decision
