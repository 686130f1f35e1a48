"""The small array operations of the hot loops give what numpy's general ones give."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.arrays import FEW, add_one_each


@pytest.mark.parametrize("size", [0, 1, 3, FEW, FEW + 1, 500])
def test_add_one_each_counts_a_repeated_index_each_time_like_np_add_at(size: int) -> None:
    """Few indices (the loop) or many (np.add.at): the same counts, repeats included."""
    rng = np.random.default_rng(size)
    index = rng.integers(0, 7, size)  # 7 cells: repeats are certain beyond 7 indices
    expected = rng.integers(0, 5, 7)
    got = expected.copy()
    np.add.at(expected, index, 1)
    add_one_each(got, index)
    assert got.tolist() == expected.tolist()
    assert got.sum() - expected.sum() == 0
