"""Named random streams, each keyed by its name, spawned from one ``SeedSequence`` per run.

Two runs with the same seed see the same draws on every stream, whatever else differs between
them (common random numbers). A stream's seed is derived from the run's seed and a hash of the
stream's name, never from its position in a list, so adding a stream changes no other stream's
draws. Each staff member gets a stream of their own, keyed by their id, so adding a person to one
variant does not shift anybody else's draws.
"""

from __future__ import annotations

import hashlib

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
"""The streams the engine draws from. A new stream is one more name here; no other moves."""


def name_key(name: str) -> int:
    """A stable 64-bit key of a stream name (the first 8 bytes of its SHA-256 digest)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


class Streams:
    """Random generators by name for one run.

    Args:
        seed: the run's seed (a non-negative integer).
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f'"seed" must be >= 0, got {seed}')
        self.seed = seed
        self._generators = {name: self._spawn(name_key(name)) for name in STREAM_NAMES}

    def _spawn(self, *key: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def __getitem__(self, name: str) -> np.random.Generator:
        """The generator of one named stream."""
        try:
            return self._generators[name]
        except KeyError:
            raise KeyError(f"no random stream named {name!r}; add it to STREAM_NAMES") from None

    def keyed(self, name: str, key: int) -> np.random.Generator:
        """A generator of its own for one item of a named stream (e.g. one strategy rule)."""
        if name not in self._generators:
            raise KeyError(f"no random stream named {name!r}; add it to STREAM_NAMES")
        return self._spawn(name_key(name), key)

    def for_person(self, person_id: int) -> np.random.Generator:
        """A generator of a staff member's own (attrition) draws."""
        return self.keyed("attrition", person_id)
