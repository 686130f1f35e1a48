"""Hours of work each pool did for each tier: the drivers of activity-based cost.

Every place where staff hours turn into work for a customer logs them here, against the pool of
the person who did it and the customer's tier at the time: onboarding, renewal work, touches,
answered trigger tasks and support tickets. The period recorder takes the hours of each period
and shares each pool's cost over the tiers by them (``sim.outputs.activity_cost``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from sim.core.ledger import Ledger
from sim.customers.book import CustomerBook


def log_hours(ledger: Ledger, pool: int, tiers: np.ndarray, hours: np.ndarray) -> None:
    """Add hours pool ``pool`` worked for customers of ``tiers`` (arrays of equal length)."""
    ledger.work_hours[pool] += np.bincount(tiers, hours, ledger.work_hours.shape[1])


def log_one_customer_hours(ledger: Ledger, book: CustomerBook, pool: int, customer: int,
                           hours: float) -> None:
    """Add ``hours`` pool ``pool`` worked for one customer (the same sums as ``log_hours``)."""
    if hours > 0:
        ledger.work_hours[pool, book.tier[customer]] += hours


def log_customer_hours(ledger: Ledger, book: CustomerBook, pool: int, customers: Iterable[int],
                       hours: float) -> None:
    """Share ``hours`` of pool ``pool`` equally among ``customers`` (none: nothing is logged).

    The same sums as ``log_hours`` of the equal shares (each tier's shares added up in the
    customers' order, then to the pool's row), without arrays: a person has a few customers.
    """
    ids = list(customers)
    if not ids or hours <= 0:
        return
    share = hours / len(ids)
    sums: dict[int, float] = {}
    for customer in ids:
        tier = int(book.tier[customer])
        sums[tier] = sums.get(tier, 0.0) + share
    row = ledger.work_hours[pool]
    for tier, total in sums.items():
        row[tier] += total


def take_hours(ledger: Ledger) -> np.ndarray:
    """Hours by pool (rows) and tier (columns) since the last call; then start afresh."""
    taken = ledger.work_hours.copy()
    ledger.work_hours[:] = 0.0
    return taken
