"""The customer layer's run: the context plus the book, the service profiles and the triggers."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.core.context import RunContext
from sim.customers.book import CustomerBook
from sim.customers.profiles import ServiceProfiles, TierTable
from sim.customers.triggers import TriggerEngine
from sim.scenario.schema import Scenario


@dataclass(eq=False, kw_only=True)
class CustomerRun(RunContext[Scenario]):
    """Everything the customer layer knows of a run.

    The trigger engine is built with the run (it holds no draws; with triggers off it stays
    empty, so every churn-odds factor it gives is exactly 1).
    """

    book: CustomerBook
    profiles: ServiceProfiles
    tiers: TierTable
    triggers: TriggerEngine = field(init=False)

    def __post_init__(self) -> None:
        self.triggers = TriggerEngine(self, self.book)

    def touch_interval(self, customer: int) -> float:
        """Days between a customer's scheduled touches on its service profile."""
        return float(self.profiles.interval[self.book.profile[customer], self.book.tier[customer]])

    def renewal_hours(self, customer: int) -> float:
        """Owner hours a customer's renewal needs on its service profile."""
        return float(self.profiles.renewal_hours[self.book.profile[customer],
                                                 self.book.tier[customer]])
