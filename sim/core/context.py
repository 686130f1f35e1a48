"""The run context: the clock, the scenario, the named streams and the ledger of one run.

It holds nothing else. Each layer above extends it with what that layer owns, built before the
run starts (``sim.customers.run``, ``sim.org.run``, ``sim.work.run``, ``sim.policies.run``), so a
function's type says which layers it may see. The scenario is a type parameter: this layer
imports nothing from the rest of ``sim``, and the customer layer binds it to
``sim.scenario.schema.Scenario``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import simpy

from sim.core.event_log import EventLog
from sim.core.ledger import NO_VALUE, Ledger, PoolWeek
from sim.core.monitors import Counters, LevelMonitor
from sim.core.streams import Streams

ScenarioT = TypeVar("ScenarioT")


@dataclass(eq=False, kw_only=True)
class RunContext(Generic[ScenarioT]):
    """Clock, scenario, streams and ledger of one run."""

    env: simpy.Environment
    scenario: ScenarioT
    streams: Streams
    horizon: float
    """Last simulated day."""
    ledger: Ledger

    @property
    def now(self) -> float:
        """Current simulated day."""
        return self.env.now

    def record(self, kind: str, customer: int = -1, staff: int = -1, tier: int = -1,
               pool: int = -1, **value: float) -> None:
        """Append one event: its kind (``sim.core.events``), who it concerns and its value.

        The value, if the kind carries one, is given by its column's name, e.g.
        ``world.record("arrival", customer, tier=tier, acv=acv)``; the event keeps the column's
        name and the number in the log's columns (``sim.core.event_log``).

        Raises:
            ValueError: more than one value (a kind has at most one value column).
        """
        if len(value) > 1:
            raise ValueError(f"event {kind!r} has values {sorted(value)}: a kind has at most "
                             "one value column in sim.core.events")
        column, number = next(iter(value.items())) if value else NO_VALUE
        self.ledger.events.add(self.env.now, kind, customer, staff, tier, pool, column, number)

    @property
    def events(self) -> EventLog:
        """The event log (``Ledger.events``)."""
        return self.ledger.events

    @property
    def tier_counters(self) -> Counters:
        """Per-tier counters of the current output period."""
        return self.ledger.tier_counters

    @property
    def pool_counters(self) -> Counters:
        """Per-pool counters of the current output period."""
        return self.ledger.pool_counters

    @property
    def waiting_level(self) -> LevelMonitor:
        """Customers waiting for an onboarding, by tier."""
        return self.ledger.waiting_level

    @property
    def paying_level(self) -> LevelMonitor:
        """Customers under contract, by tier."""
        return self.ledger.paying_level

    @property
    def headcount_level(self) -> LevelMonitor:
        """People on staff, by pool."""
        return self.ledger.headcount_level

    @property
    def costs_over_time(self) -> list[tuple[float, float, float, int]]:
        """Costs outside staff and per-account costs (``Ledger.costs_over_time``)."""
        return self.ledger.costs_over_time

    @property
    def weeks(self) -> list[PoolWeek]:
        """Every pool's accounted weeks."""
        return self.ledger.weeks
