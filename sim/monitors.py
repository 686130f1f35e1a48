"""Time-weighted level monitors and per-period counters."""

from __future__ import annotations

import numpy as np


class LevelMonitor:
    """Integrates levels over time (e.g. customers waiting, headcount) for time averages.

    Args:
        size: number of levels tracked side by side (e.g. one per tier).
    """

    def __init__(self, size: int) -> None:
        self.level = np.zeros(size)
        self.area = np.zeros(size)
        self.since = 0.0

    def change(self, index: int, delta: float, now: float) -> None:
        """Move one level by ``delta`` at time ``now``."""
        self._advance(now)
        self.level[index] += delta

    def take_area(self, now: float) -> np.ndarray:
        """Level x time accumulated since the last call, per level; then start afresh."""
        self._advance(now)
        area = self.area.copy()
        self.area[:] = 0.0
        return area

    def _advance(self, now: float) -> None:
        if now > self.since:
            self.area += self.level * (now - self.since)
            self.since = now


class Counters:
    """Named per-period counters, one value per index (tier or pool), reset at each period end.

    Args:
        names: the counter names.
        size: number of indices per counter.
    """

    def __init__(self, names: tuple[str, ...], size: int) -> None:
        self._values = {name: np.zeros(size) for name in names}

    def add(self, name: str, index: int, amount: float = 1.0) -> None:
        """Add to one counter at one index."""
        self._values[name][index] += amount

    def add_many(self, name: str, amounts: np.ndarray) -> None:
        """Add an array of amounts (one per index)."""
        self._values[name] += amounts

    def take(self) -> dict[str, np.ndarray]:
        """The counters of the period now ending; then reset them."""
        taken = {name: values.copy() for name, values in self._values.items()}
        for values in self._values.values():
            values[:] = 0.0
        return taken
