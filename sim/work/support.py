"""Support: tickets from live customers, routed by complexity level to skilled engineers.

Ticket candidates are drawn for every customer at the start of the run (a Poisson process at the
highest rate any tier could give it, thinned on the day by the rate of the tier the customer is
in then), so every variant run with the same seed sees the same tickets. Each day, the tickets
opened that day join the queue of the least-skilled pool that can handle their level (§6.7: by
question complexity, not account value; in the geographic model the customer's regional pools
first, then the global ones, see ``sim.scenario.routes``). Each pool works its queue first come
first
served as a single fluid server whose rate is its engineers' productive hours per day; the
first-response time of a ticket is the time from opening to the start of its work (for a ticket
from a region whose hours the pool does not cover, no less than the uncovered-region delay).
"""

from __future__ import annotations

import heapq
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

from sim.core.arrays import add_one_each
from sim.core.calendar import DAY_HOURS, MONTH_DAYS, WEEK_DAYS
from sim.core.clock import FIRST, OrderedTimeout
from sim.customers.book import ACTIVE
from sim.org.pools import Person, Pool
from sim.org.routing import earliest_answers, support_routes
from sim.org.run import OrgRun
from sim.scenario.schema import Scenario
from sim.scenario.vocabulary import COMPLEXITIES, SUPPORT, TICKET_LEVELS
from sim.work.activity import log_hours
from sim.work.ticket_queue import SupportTallies, TicketQueue, route_tickets, started

__all__ = ["SupportDesk", "SupportTallies", "TicketCandidates", "TicketQueue",
           "draw_ticket_candidates"]


@dataclass
class TicketCandidates:
    """Possible tickets of the run, sorted by opening time."""

    day: np.ndarray
    customer: np.ndarray
    accept_u: np.ndarray
    level_u: np.ndarray


def draw_ticket_candidates(scenario: Scenario, arrival_day: np.ndarray, complexity: np.ndarray,
                           rng: np.random.Generator) -> TicketCandidates:
    """Candidate tickets per customer from signature to the horizon."""
    horizon = scenario.horizon_months * MONTH_DAYS
    top_rate = max(tier.tickets_per_month for tier in scenario.tiers) / MONTH_DAYS
    multiplier = np.array([scenario.support.complexity_multiplier[name]
                           for name in COMPLEXITIES])[complexity]
    exposure = np.maximum(horizon - arrival_day, 0.0)
    counts = rng.poisson(top_rate * multiplier * exposure)
    customer = np.repeat(np.arange(len(arrival_day)), counts)
    day = arrival_day[customer] + rng.uniform(0.0, 1.0, len(customer)) * exposure[customer]
    order = np.argsort(day, kind="stable")
    return TicketCandidates(day[order], customer[order],
                            rng.uniform(0.0, 1.0, len(day))[order],
                            rng.uniform(0.0, 1.0, len(day))[order])


class SupportDesk:
    """All support queues of a run, served day by day.

    Args:
        world: the run.
        candidates: the run's candidate tickets.
    """

    def __init__(self, world: OrgRun, candidates: TicketCandidates) -> None:
        scenario = world.scenario
        self.world = world
        self.candidates = candidates
        self.next_candidate = 0
        rates = np.array([tier.tickets_per_month for tier in scenario.tiers])
        self.accept_share = rates / rates.max() if rates.max() > 0 else rates
        mix = np.array([[tier.ticket_mix.model_dump()[level] for level in TICKET_LEVELS]
                        for tier in scenario.tiers])
        self.level_edges = np.cumsum(mix, axis=1)[:, :-1]
        self.hours = np.array([scenario.support.hours_per_ticket[level]
                               for level in TICKET_LEVELS])
        self.pools = world.pools_with_role(SUPPORT)
        self.queues = {pool.index: TicketQueue() for pool in self.pools}
        self.route = support_routes(world)
        """(region, level): the least-skilled pool able to answer, the region's own first."""
        self.rates: dict[int, tuple[tuple[int, int], float]] = {}
        self.tier_count = len(scenario.tiers)
        self.sla_days = world.tiers.sla_hours / DAY_HOURS

    def run(self) -> Generator[simpy.Event, None, None]:
        """The daily process: open the day's tickets, then let every pool work its queue."""
        day = 0.0
        while day + 1.0 <= self.world.horizon + 1e-9:
            yield OrderedTimeout(self.world.env, day + 1.0 - self.world.now, FIRST)
            self._open_tickets(day + 1.0)
            for pool in self.pools:
                self._serve(pool, day, day + 1.0)
            day += 1.0

    def _open_tickets(self, day_end: float) -> None:
        candidates, book = self.candidates, self.world.book
        stop = int(candidates.day.searchsorted(day_end, side="left"))
        window = slice(self.next_candidate, stop)
        self.next_candidate = stop
        if stop == window.start:
            return
        customer = candidates.customer[window]
        tier = book.tier[customer]
        keep = (book.state[customer] == ACTIVE) & (
            candidates.accept_u[window] < self.accept_share[tier])
        customer, tier = customer[keep], tier[keep]
        if not len(customer):
            return
        level_u = candidates.level_u[window][keep]
        level = (level_u[:, None] >= self.level_edges[tier]).sum(axis=1)
        opened = candidates.day[window][keep]
        add_one_each(book.tickets, customer)
        add_one_each(book.cycle_tickets, customer)
        self.world.tier_counters.add_many("tickets_opened",
                                          np.bincount(tier, minlength=self.tier_count))
        route_tickets(self.queues, self.route[book.region[customer], level], opened, customer,
                      self.hours[level])

    def _serve(self, pool: Pool, day_start: float, day_end: float) -> None:
        queue = self.queues[pool.index]
        rate = self._rate(pool, day_start)
        served = 0
        if rate > 0 and len(queue.hours):
            if self.world.scenario.work_priority.support == "tier":
                start = self._by_tier(queue, rate, day_start, day_end)
                served = int(start.searchsorted(day_end, side="left"))
            else:
                served, start = started(queue, rate, day_start, day_end)
        if served:
            finish = start[served - 1] + queue.hours[served - 1] / rate
            new_carry = max(0.0, finish - day_end) * rate
            opened, customer, hours, flagged = queue.pop(served)
            log_hours(self.world.ledger, pool.index, self.world.book.tier[customer], hours)
            queue.week_worked += queue.carry_hours + float(hours.sum()) - new_carry
            queue.carry_hours = new_carry
            answered = earliest_answers(self.world, pool, customer, opened, start[:served])
            self._respond(queue, opened, customer, (start[:served], answered), flagged)
        elif rate > 0:
            done = min(queue.carry_hours, rate)
            queue.week_worked += done
            queue.carry_hours -= done
        self._flag_overdue(queue, day_end)

    def _by_tier(self, queue: TicketQueue, rate: float, day_start: float,
                 day_end: float) -> np.ndarray:
        """Serve the day by tier priority: the tightest SLA first, then the oldest ticket.

        Whenever the desk is free, the open ticket whose tier has the tightest SLA goes next.
        Reorders the queue: the tickets started today first, in the order they were started,
        then the rest in order of opening. Returns the start of work of each ticket (infinite
        for those not started today).
        """
        rank = self.world.tiers.sla_hours[self.world.book.tier[queue.customer]]
        now = day_start + queue.carry_hours / rate
        ready: list[tuple[float, float, int]] = []
        order: list[int] = []
        starts: list[float] = []
        following = 0
        while now < day_end:
            while following < len(rank) and queue.open_day[following] <= now:
                heapq.heappush(ready, (rank[following], queue.open_day[following], following))
                following += 1
            if not ready:
                if following == len(rank):
                    break
                now = float(queue.open_day[following])
                continue
            ticket = heapq.heappop(ready)[2]
            order.append(ticket)
            starts.append(now)
            now += queue.hours[ticket] / rate
        started = np.zeros(len(rank), dtype=bool)
        started[order] = True
        queue.reorder(np.concatenate([np.array(order, dtype=np.int64),
                                      np.flatnonzero(~started)]))
        return np.concatenate([np.array(starts), np.full(len(rank) - len(order), np.inf)])

    def _rate(self, pool: Pool, day: float) -> float:
        """Productive hours per day of the pool as of the start of the week.

        Like every role's weekly hours; recomputed when someone joins or leaves.
        """
        week = int(day // WEEK_DAYS)
        key = (week, pool.changes)
        cached = self.rates.get(pool.index)
        if cached is None or cached[0] != key:
            start = week * WEEK_DAYS
            scenario = self.world.scenario
            rate = sum(person.hours_available(max(start, person.hired_day), scenario.hiring,
                                              scenario.staff)
                       for person in pool.members) / WEEK_DAYS
            cached = (key, rate)
            self.rates[pool.index] = cached
        return cached[1]

    def _respond(self, queue: TicketQueue, opened: np.ndarray, customer: np.ndarray,
                 started: tuple[np.ndarray, np.ndarray], flagged: np.ndarray) -> None:
        """Record first responses; ``started`` is (work starts, first responses)."""
        book, counters, size = self.world.book, self.world.tier_counters, self.tier_count
        tier = book.tier[customer]
        queued_hours = (started[0] - opened) * DAY_HOURS
        response_hours = (queued_hours if started[1] is started[0]
                          else (started[1] - opened) * DAY_HOURS)
        resolved = np.bincount(tier, minlength=size)
        counters.add_many("tickets_resolved", resolved)
        counters.add_many("response_hours_sum", np.bincount(tier, response_hours, size))
        sla = self.world.tiers.sla_hours[tier]
        late, queued_late = response_hours > sla, queued_hours > sla
        if flagged.any():  # tickets already counted as breaches count neither late nor met
            fresh = ~flagged
            late &= fresh
            queued_late &= fresh
            met = np.bincount(tier[~late & fresh], minlength=size)
        else:
            met = np.bincount(tier[~late], minlength=size) if late.any() else resolved
        queue.count(answered=len(customer), response_hours=float(queued_hours.sum()),
                    breaches=int(np.count_nonzero(queued_late)))
        counters.add_many("tickets_sla_met", met)
        if late.any():
            self._breach(customer[late], tier[late])

    def _flag_overdue(self, queue: TicketQueue, day_end: float) -> None:
        if not len(queue.open_day):
            return
        tier = self.world.book.tier[queue.customer]
        overdue = ~queue.breached & (queue.open_day + self.sla_days[tier] < day_end)
        if not overdue.any():
            return
        flagged = queue.breached
        flagged |= overdue
        queue.count(breaches=int(np.count_nonzero(overdue)))
        self._breach(queue.customer[overdue], tier[overdue])

    def _breach(self, customer: np.ndarray, tier: np.ndarray) -> None:
        if not len(customer):
            return
        book = self.world.book
        add_one_each(book.breaches, customer)
        add_one_each(book.cycle_breaches, customer)
        self.world.tier_counters.add_many("sla_breaches",
                                          np.bincount(tier, minlength=self.tier_count))

    def week_for(self, pool: Pool, members: list[Person],
                 available: dict[int, float]) -> tuple[dict[int, float], dict[int, float]]:
        """Close a support pool's week; split demand and work by each person's hours."""
        queue = self.queues[pool.index]
        clear_weeks = self.world.scenario.support.backlog_clear_weeks
        demanded = queue.week_backlog / clear_weeks + queue.week_arrived
        worked = queue.week_worked
        queue.week_arrived = queue.week_worked = 0.0
        queue.week_backlog = queue.outstanding_hours()
        total = sum(available[person.id] for person in members)
        shares = {person.id: available[person.id] / total if total else 0.0
                  for person in members}
        return ({pid: demanded * share for pid, share in shares.items()},
                {pid: min(worked * share, available[pid]) for pid, share in shares.items()})

    def open_tickets(self) -> np.ndarray:
        """Tickets waiting per tier."""
        size = len(self.world.scenario.tiers)
        counts = np.zeros(size)
        for queue in self.queues.values():
            counts += np.bincount(self.world.book.tier[queue.customer], minlength=size)
        return counts
