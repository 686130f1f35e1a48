"""Leadership layers derived from the CSM headcount by spans of control (§7.3).

The counts follow every change of the CSM headcount (``sim.org.headcount.follow_csm_headcount``
is called when somebody joins or leaves a CSM pool), so each layer's person-days, and with them
its cost, are time-weighted like a staff pool's. The cost is shared over all tiers in proportion to
customer-days, like every staff pool that does not own accounts.
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import YEAR_DAYS
from sim.core.monitors import LevelMonitor
from sim.org.costs import allocate_to_tiers
from sim.scenario.hiring import LAYERS, Leadership


class LeadershipLevels:
    """Headcount of each derived layer over time.

    Args:
        spec: the scenario's leadership section.
    """

    def __init__(self, spec: Leadership) -> None:
        self.spec = spec
        self.level = LevelMonitor(len(LAYERS))

    @property
    def derived(self) -> bool:
        """Whether the scenario derives the layers (``leadership.derive``); else they stay 0."""
        return self.spec.derive

    @property
    def counts(self) -> tuple[int, ...]:
        """Headcount of each layer now, in the order of ``LAYERS``."""
        return tuple(int(count) for count in self.level.level)

    def follow(self, csms: int, now: float) -> None:
        """Move the layers to the counts a CSM headcount calls for."""
        for index, (before, after) in enumerate(zip(self.counts, self.spec.counts(csms),
                                                    strict=True)):
            if after != before:
                self.level.change(index, after - before, now)

    def close(self, now: float, period: int,
              weights: np.ndarray) -> tuple[np.ndarray, list[dict]]:
        """A period's leadership cost by tier (shared by ``weights``) and its workforce rows."""
        person_days = self.level.take_area(now)
        costs = np.array(self.spec.costs()) * person_days / YEAR_DAYS
        rows = [dict(period=period, day=now, pool=layer, role="leadership", work_priority="",
                     region="", headcount=count, hires=0, departures=0, transfers_in=0,
                     transfers_out=0, burnout_mean=np.nan, burnout_max=np.nan,
                     cost=float(cost), open_requisitions=0, productivity_gain=0.0)
                for layer, count, cost in zip(LAYERS, self.counts, costs, strict=True)]
        return allocate_to_tiers(float(costs.sum()), weights), rows
