"""The trigger engine: usage thresholds and ACV crossings raise interventions (§6).

Risk triggers (a usage drop; inactivity, after an automated re-engagement sequence that did
not work) become CSM tasks (``sim.work.interventions``). Expansion signals open one
opportunity per renewal cycle, routed by the account's ACV to in-app, inside sales or an
account executive. At the renewal the cycle is settled: each risk trigger multiplies the churn
odds by ``risk_delay_per_day ** days waited`` (and by the answer's effect when answered), tasks
still open expire unanswered, and a routed opportunity lifts the expansion probability.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

from sim.core.context import RunContext
from sim.customers.book import ACTIVE, CustomerBook
from sim.customers.usage import Signals, UsageWalk
from sim.scenario.schema import Scenario
from sim.scenario.tiers import RenewalChange
from sim.scenario.triggers import ExpansionTrigger


@dataclass(eq=False)
class Intervention:
    """One trigger's follow-up within a customer's renewal cycle."""

    customer: int
    kind: str
    """``usage_drop``, ``inactivity`` or ``expansion``."""
    raised: float
    hours: float = 0.0
    """CSM hours of the follow-up (0: automated, or no CSM involved)."""
    effect: float = 1.0
    """Risk: churn-odds multiplier once answered. Expansion: the lift of the route."""
    answered: float = math.inf
    holder: int = -1
    """Staff id of the overflow CSM holding the task (-1: none yet; ``sim.work.interventions``)."""
    closed: bool = False

    @property
    def risk(self) -> bool:
        """Whether this follows a risk trigger (usage drop or inactivity)."""
        return self.kind != "expansion"

    @property
    def waiting(self) -> bool:
        """A CSM task not done yet and not expired."""
        return self.hours > 0 and math.isinf(self.answered) and not self.closed


class TriggerEngine:
    """Triggers, their follow-ups and the open CSM tasks of one run.

    Args:
        world: the run's context.
        book: its customers.
    """

    def __init__(self, world: RunContext[Scenario], book: CustomerBook) -> None:
        self.world = world
        self.book = book
        self.spec = world.scenario.triggers
        self.walk = UsageWalk.of(self.spec.usage, book.theta)
        self.cycle: dict[int, list[Intervention]] = {}
        self.opportunity: dict[int, Intervention] = {}
        self.tasks: list[Intervention] = []
        """The CSM tasks waiting, in the order they are worked (``work_order``)."""
        self.fired = np.zeros(book.size, dtype=np.int64)

    @property
    def enabled(self) -> bool:
        """Whether the scenario turns triggers on (off: the engine stays empty)."""
        return self.spec.enabled

    def start(self) -> None:
        """Day 0, once the initial book is live: its usage starts at the healthy level."""
        self.walk.log_usage[self.book.state == ACTIVE] = 0.0

    def fire(self, customer: int, kind: str, column: str, value: float, staff: int = -1) -> None:
        """Count and record one trigger, its value in ``column`` (``sim.core.events``)."""
        tier = int(self.book.tier[customer])
        self.world.tier_counters.add(f"triggers_{kind}", tier)
        self.world.record(f"trigger_{kind}", customer, staff, tier, -1, **{column: value})
        self.fired[customer] += 1

    def month(self, signals: Signals, uniforms: np.ndarray) -> None:
        """Act on one month's usage signals."""
        for customer in signals.drop.tolist():
            self.fire(customer, "usage_drop", "usage_ratio", float(signals.ratio[customer]))
            item = Intervention(customer, "usage_drop", self.world.now)
            self.cycle.setdefault(customer, []).append(item)
            self._add_task(item)
        for customer in signals.inactive.tolist():
            self.fire(customer, "inactivity", "usage", math.exp(self.walk.log_usage[customer]))
            success = bool(uniforms[customer] < self.spec.inactivity.automated_success)
            self._reengage(customer, success)
        for customer in signals.growth.tolist():
            self.fire(customer, "expansion", "usage_ratio", float(signals.ratio[customer]))
            self._open_opportunity(customer)

    def _add_task(self, item: Intervention) -> None:
        """Make a risk follow-up of the cycle a human outreach task."""
        item.hours, item.effect = self.spec.outreach_hours, self.spec.outreach_effect
        bisect.insort(self.tasks, item, key=work_order)

    def _reengage(self, customer: int, success: bool) -> None:
        item = Intervention(customer, "inactivity", self.world.now,
                            effect=self.spec.inactivity.automated_effect)
        self.cycle.setdefault(customer, []).append(item)
        self.world.env.process(self._sequence(item, success))

    def _sequence(self, item: Intervention,
                  success: bool) -> Generator[simpy.Event, None, None]:
        """The automated re-engagement; a human outreach follows if the customer is still out."""
        world = self.world
        yield world.env.timeout(self.spec.inactivity.automated_days)
        if item.closed:
            return
        customer = item.customer
        back = self.walk.log_usage[customer] >= math.log(self.spec.inactivity.inactive_level)
        if success or back:
            item.answered = world.now
            tier = int(self.book.tier[customer])
            world.tier_counters.add("reengaged_automated", tier)
            world.record("reengaged", customer, tier=tier, wait_days=world.now - item.raised)
            return
        self._add_task(item)

    def _open_opportunity(self, customer: int) -> None:
        """Route the cycle's first expansion signal by the account's ACV (§6.2)."""
        if customer in self.opportunity:
            return
        world, spec = self.world, self.spec.expansion
        acv = float(self.book.acv[customer])
        route = expansion_route(acv, spec)
        world.record(f"expansion_routed_{route}", customer, tier=int(self.book.tier[customer]),
                     acv=acv)
        lift = {"in_app": spec.in_app_lift, "inside_sales": spec.inside_sales_lift,
                "ae": spec.account_executive_lift}[route]
        item = Intervention(customer, "expansion", world.now, effect=lift)
        if route != "in_app" and self.book.owner[customer] >= 0 and spec.handoff_hours > 0:
            item.hours = spec.handoff_hours
            bisect.insort(self.tasks, item, key=work_order)
        else:
            item.answered = world.now
        self.opportunity[customer] = item

    def odds_factor(self, customer: int, now: float | None = None) -> float:
        """Churn-odds multiplier of the risk triggers of the customer's current cycle.

        At ``now`` if given (a renewal decided with others, ``sim.customers.renewal_batch``),
        else at the run's current instant.
        """
        delay = self.spec.risk_delay_per_day
        if now is None:
            now = self.world.now
        factor = 1.0
        for item in self.cycle.get(customer, ()):
            if item.answered <= now:
                factor *= delay ** (item.answered - item.raised) * item.effect
            else:
                factor *= delay ** (now - item.raised)
        return factor

    def settle(self, customer: int) -> float:
        """Close the customer's cycle at its renewal; returns the expansion lift earned."""
        world = self.world
        tier = int(self.book.tier[customer])
        for item in self.cycle.pop(customer, ()):
            if item.waiting:
                world.tier_counters.add("outreach_unanswered", tier)
                world.record("outreach_unanswered", customer, tier=tier,
                             wait_days=world.now - item.raised)
                self.remove_task(item)
            item.closed = True
        opportunity = self.opportunity.pop(customer, None)
        if opportunity is None:
            return 0.0
        if opportunity.waiting:
            self.remove_task(opportunity)
        opportunity.closed = True
        return opportunity.effect if opportunity.answered <= world.now else 0.0

    def remove_task(self, item: Intervention) -> None:
        """Take a task off the waiting list (done, or expired at the renewal)."""
        index = bisect.bisect_left(self.tasks, work_order(item), key=work_order)
        while self.tasks[index] is not item:
            index += 1
        del self.tasks[index]

    def open_outreach(self) -> np.ndarray:
        """Risk tasks waiting for a CSM, per tier."""
        waiting = [item.customer for item in self.tasks if item.risk]
        return np.bincount(self.book.tier[waiting].astype(np.int64),
                           minlength=len(self.world.scenario.tiers)).astype(float)


def work_order(item: Intervention) -> tuple[bool, float, int]:
    """Order of CSM work: risk tasks before handoffs to sales, then oldest trigger first."""
    return (not item.risk, item.raised, item.customer)


def expansion_route(acv: float, spec: ExpansionTrigger) -> str:
    """Route of an expansion opportunity by size (§6.2; bands include their lower edge)."""
    if acv < spec.inside_sales_from:
        return "in_app"
    if acv < spec.account_executive_from:
        return "inside_sales"
    return "ae"


def lifted_expansion(draw: float, change: RenewalChange, lift: float) -> bool:
    """Whether a renewal that would keep its ACV expands thanks to a routed opportunity.

    The lift turns that share of the no-change band [p + c, 1) of the renewal draw into
    expansions; the expansion band [0, p) and contraction band [p, p + c) are unchanged.
    """
    flat = change.expansion_probability + change.contraction_probability
    return lift > 0 and flat <= draw < flat + lift * (1.0 - flat)
