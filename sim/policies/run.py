"""The policy layer's run: the work layer's plus the strategy changes started so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.scenario.strategies import StrategyRule
from sim.work.run import WorkRun


@dataclass
class Change:
    """A strategy change under way or done."""

    rule: StrategyRule
    profile: int
    decided: float
    pilot_day: float = field(init=False)
    rollout_day: float = field(init=False)
    done_day: float = field(init=False)

    def __post_init__(self) -> None:
        transition = self.rule.transition
        self.pilot_day = self.decided + transition.design_days
        self.rollout_day = self.pilot_day + transition.pilot_days
        self.done_day = self.rollout_day + transition.rollout_days

    def phase(self, day: float) -> str:
        """design, pilot, rollout or done."""
        for name, until in (("design", self.pilot_day), ("pilot", self.rollout_day),
                            ("rollout", self.done_day)):
            if day < until:
                return name
        return "done"


@dataclass(eq=False, kw_only=True)
class PolicyRun(WorkRun):
    """Everything a run knows: what the policies add to the work layer's run."""

    changes: list[Change] = field(default_factory=list)
    """Strategy changes started so far, in order (``sim.policies.strategy``)."""
