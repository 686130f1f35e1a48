"""Hours of work are logged against the pool that did them and the tier of the customer served."""

from __future__ import annotations

import numpy as np

from sim.core.ledger import Ledger
from sim.work.activity import log_customer_hours, log_hours, log_one_customer_hours, take_hours


class Book:
    """The one field the hours log reads: each customer's tier."""

    tier = np.array([0, 2, 1, 2])


def test_hours_for_one_customer_add_up_in_its_tier_and_pool() -> None:
    ledger, book = Ledger.of(n_tiers=3, n_pools=2), Book()
    log_one_customer_hours(ledger, book, 1, 1, 2.5)  # type: ignore[arg-type]
    log_one_customer_hours(ledger, book, 1, 3, 0.25)  # type: ignore[arg-type]
    log_one_customer_hours(ledger, book, 0, 2, 0.0)  # type: ignore[arg-type]
    np.testing.assert_array_equal(take_hours(ledger), [[0, 0, 0], [0, 0, 2.75]])
    assert not ledger.work_hours.any()  # taken: the next period starts afresh


def test_one_customer_logs_the_same_sums_as_the_general_path() -> None:
    general, single, book = Ledger.of(3, 2), Ledger.of(3, 2), Book()
    for pool, customer, hours in [(0, 1, 1.1), (0, 1, 2.2), (1, 0, 0.3), (0, 2, 0.7)]:
        log_customer_hours(general, book, pool, (customer,), hours)  # type: ignore[arg-type]
        log_one_customer_hours(single, book, pool, customer, hours)  # type: ignore[arg-type]
    assert general.work_hours.tobytes() == single.work_hours.tobytes()


def test_hours_shared_among_customers_log_the_same_sums_as_the_array_path() -> None:
    """Equal shares summed per tier in the customers' order, as ``log_hours`` sums them.

    Six shares of 1.3 / 6 added one by one make 1.3000000000000003, six times a share 1.3.
    """
    shared, arrays = Ledger.of(3, 2), Ledger.of(3, 2)
    book = Book()
    book.tier = np.array([0, 2, 1, 2, 2, 0, 2, 2, 1, 2])
    cases = [(0, [1, 3, 4, 6, 7, 0, 2], 0.7), (1, [8, 0], 2.9), (0, [6, 7, 1, 3, 4], 1.3),
             (1, [1, 3, 4, 6, 7, 9], 1.3), (1, [], 1.0), (0, [2], 0.0)]
    for pool, customers, hours in cases:
        log_customer_hours(shared, book, pool, customers, hours)  # type: ignore[arg-type]
        if customers and hours > 0:
            ids = np.array(customers)
            log_hours(arrays, pool, book.tier[ids], np.full(len(ids), hours / len(ids)))
    assert shared.work_hours.tobytes() == arrays.work_hours.tobytes()
    assert shared.work_hours.any()
