"""The work layer's run: the organisation layer's plus the desks and tasks where staff meet."""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field

import simpy

from sim.core.agenda import Agenda
from sim.org.pools import Person
from sim.org.run import OrgRun
from sim.work.onboarding import OnboardingDesk
from sim.work.support import SupportDesk, TicketCandidates


@dataclass(eq=False)
class RenewalTask:
    """Renewal work owed before a customer's renewal date (``sim.work.renewals``)."""

    customer: int
    due_day: float
    remaining_hours: float
    holder: Person | None = None


@dataclass(eq=False, kw_only=True)
class WorkRun(OrgRun):
    """Everything the work layer knows of a run.

    Built with the run: an onboarding desk in front of every pool (a queue nobody joins costs
    nothing) and the support desk with the run's candidate tickets.
    """

    candidates: InitVar[TicketCandidates]
    renewal_tasks: dict[int, RenewalTask] = field(default_factory=dict)
    """Open renewal work by customer."""
    journeys: dict[int, simpy.Process] = field(default_factory=dict)
    """Journeys to go-live under way, by customer (``sim.work.lifecycle``)."""
    desks: dict[int, OnboardingDesk] = field(init=False)
    """Onboarding queues by pool index."""
    support: SupportDesk = field(init=False)
    calendar: Agenda = field(init=False)
    """Every customer's renewal cycle: its start, window openings and dates
    (``sim.work.renewal_calendar``)."""

    def __post_init__(self, candidates: TicketCandidates) -> None:
        super().__post_init__()
        self.desks = {}
        for pool in self.pools:
            self.desks[pool.index] = OnboardingDesk(self, pool, self.desks)
        self.support = SupportDesk(self, candidates)
        self.calendar = Agenda(self.env)

    def renewal_hours_held(self, person: Person) -> float:
        """Hours of renewal work a person holds and has still to do (their renewal load)."""
        held = person.held_hours
        if held is None:
            held = person.held_hours = sum(self.renewal_tasks[customer].remaining_hours
                                           for customer in person.renewal_tasks)
        return held
