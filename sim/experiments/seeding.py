"""Seeds of a sweep, all from one ``numpy.random.SeedSequence`` of the sweep's base seed.

Replicate ``r`` of every plan runs ``sim.run(scenario, replicate_seed(base_seed, r))``: the seed
depends on the base seed and the replicate number only, never on the plan, the batch or the
worker, so every plan sees the same customers in replicate ``r`` (common random numbers) and
results do not depend on how the work was spread. The Latin hypercube of a design draws from a
separate branch of the same sequence.
"""

from __future__ import annotations

import numpy as np

_REPLICATES = 0
_DESIGN = 1
SEEDING = ("replicate r of every plan runs sim.run(scenario, seed_r) with seed_r from numpy "
           f"SeedSequence(base_seed, spawn_key=({_REPLICATES}, r))")
"""How replicate seeds are made, as written into a sweep's manifest."""


def replicate_seed(base_seed: int, replicate: int) -> int:
    """The ``sim.run`` seed of replicate ``replicate`` (a 63-bit integer, fits an int64 column).

    ``cssim run SCENARIO --seed <this seed>`` reproduces the replicate on its own.
    """
    if base_seed < 0 or replicate < 0:
        raise ValueError(f'"base_seed" and "replicate" must be >= 0, got {base_seed}, {replicate}')
    sequence = np.random.SeedSequence(base_seed, spawn_key=(_REPLICATES, replicate))
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))


def design_rng(base_seed: int) -> np.random.Generator:
    """The generator of the experimental design (the Latin hypercube)."""
    return np.random.default_rng(np.random.SeedSequence(base_seed, spawn_key=(_DESIGN,)))
