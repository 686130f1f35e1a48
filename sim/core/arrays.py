"""Small array operations the daily and weekly loops use many times over."""

from __future__ import annotations

import numpy as np

FEW = 32
"""Up to this many indices, a loop over plain integers beats ``np.add.at``'s setup."""


def add_one_each(counts: np.ndarray, index: np.ndarray) -> None:
    """Add 1 to an integer array at each index, an index given twice counting twice.

    The same as ``np.add.at(counts, index, 1)``: with few indices a plain loop does it.
    """
    if len(index) > FEW:
        np.add.at(counts, index, 1)
        return
    for position in index.tolist():
        counts[position] += 1
