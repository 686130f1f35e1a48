"""Time-weighted level monitors and per-period counters."""

from __future__ import annotations

import numpy as np


class LevelMonitor:
    """Integrates levels over time (e.g. customers waiting, headcount) for time averages.

    Args:
        size: number of levels tracked side by side (e.g. one per tier).
    """

    def __init__(self, size: int) -> None:
        # Each level integrates on its own, so a change costs O(1) whatever the size.
        self.level = [0.0] * size
        self.area = [0.0] * size
        self.since = [0.0] * size

    def change(self, index: int, delta: float, now: float) -> None:
        """Move one level by ``delta`` at time ``now``."""
        self._advance(index, now)
        self.level[index] += delta

    def take_area(self, now: float) -> np.ndarray:
        """Level x time accumulated since the last call, per level; then start afresh."""
        for index in range(len(self.level)):
            self._advance(index, now)
        area = np.array(self.area)
        self.area = [0.0] * len(self.level)
        return area

    def _advance(self, index: int, now: float) -> None:
        since = self.since[index]
        if now > since:
            self.area[index] += self.level[index] * (now - since)
            self.since[index] = now


class Counters:
    """Named per-period counters, one value per index (tier or pool), reset at each period end.

    Args:
        names: the counter names.
        size: number of indices per counter.
    """

    def __init__(self, names: tuple[str, ...], size: int) -> None:
        self._size = size
        # Plain lists: one event adds to one cell, and list cells are much cheaper than numpy's.
        self._values: dict[str, list[float]] = {name: [0.0] * size for name in names}

    def add(self, name: str, index: int, amount: float = 1.0) -> None:
        """Add to one counter at one index."""
        self._values[name][index] += amount

    def add_many(self, name: str, amounts: np.ndarray) -> None:
        """Add an array of amounts (one per index)."""
        values = self._values[name]
        for index, amount in enumerate(amounts.tolist()):
            values[index] += amount

    def take(self) -> dict[str, np.ndarray]:
        """The counters of the period now ending; then reset them."""
        taken = {name: np.array(values) for name, values in self._values.items()}
        for name in self._values:
            self._values[name] = [0.0] * self._size
        return taken
