"""Touch hours summed per owner: the same sums, in the same order, as a grouping by unique owner."""

from __future__ import annotations

import numpy as np

from sim.work.touches import _sum_by_owner


def test_hours_summed_by_owner_equal_a_grouping_by_unique_owner() -> None:
    """Every owner present (one with 0 hours too), pooled (-1) left out, sums in input order."""
    rng = np.random.default_rng(3)
    owners = rng.choice(np.array([-1, 0, 2, 5, 9]), 200)
    hours = rng.choice(np.array([0.0, 0.25, 1.5, 0.1]), 200)
    hours[owners == 9] = 0.0
    ids, inverse = np.unique(owners, return_inverse=True)
    sums = np.bincount(inverse, hours)
    expected = {int(owner): float(total) for owner, total in zip(ids, sums, strict=True)
                if owner >= 0}
    got = _sum_by_owner(owners, hours)
    assert list(got.items()) == list(expected.items())
    assert got[9] == 0.0
    assert _sum_by_owner(owners[:0], hours[:0]) == {}
