"""Named random streams spawned from one ``SeedSequence`` per run.

Two runs with the same seed see the same draws on every stream, whatever else differs between
them (common random numbers). Each staff member gets a stream of their own, keyed by their id,
so adding a person to one variant does not shift anybody else's draws.
"""

from __future__ import annotations

import numpy as np

STREAM_NAMES = (
    "arrivals",
    "acv",
    "onboarding",
    "churn",
    "renewal",
    "tickets",
    "engagement",
    "attrition",
    "strategy",
    "usage",
    "region",
)


class Streams:
    """Random generators by name for one run.

    Args:
        seed: the run's seed (a non-negative integer).
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f'"seed" must be >= 0, got {seed}')
        self.seed = seed
        self._generators = {
            name: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
            for index, name in enumerate(STREAM_NAMES)
        }

    def __getitem__(self, name: str) -> np.random.Generator:
        """The generator of one named stream."""
        return self._generators[name]

    def keyed(self, name: str, key: int) -> np.random.Generator:
        """A generator of its own for one item of a named stream (e.g. one strategy rule)."""
        spawn_key = (STREAM_NAMES.index(name), key)
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=spawn_key))

    def for_person(self, person_id: int) -> np.random.Generator:
        """A generator of a staff member's own (attrition) draws."""
        key = (STREAM_NAMES.index("attrition"), person_id)
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))
