"""A day's tickets reach the queues of their pools: the one-pool shortcut equals pool by pool."""

from __future__ import annotations

import numpy as np
import pytest

from sim.work.ticket_queue import TicketQueue, route_tickets


def _state(queue: TicketQueue) -> tuple[object, ...]:
    return (queue.open_day.tolist(), queue.customer.tolist(), queue.hours.tolist(),
            queue.breached.tolist(), queue.tallies, queue.week_arrived)


def _pool_by_pool(queues: dict[int, TicketQueue], pools: np.ndarray, open_day: np.ndarray,
                  customer: np.ndarray, hours: np.ndarray) -> None:
    """The general rule: each queue takes the tickets of its pool, in their order."""
    for index, queue in queues.items():
        mine = pools == index
        queue.push(open_day[mine], customer[mine], hours[mine])


@pytest.mark.parametrize("targets", [(0,), (1,), (0, 1), (2,), (0, 2)])
def test_routing_equals_pushing_pool_by_pool(targets: tuple[int, ...]) -> None:
    """Several days of tickets, all to one pool, to several, or to a pool without a queue (2)."""
    rng = np.random.default_rng(len(targets))
    fast = {0: TicketQueue(), 1: TicketQueue()}
    general = {0: TicketQueue(), 1: TicketQueue()}
    for day in range(30):
        count = int(rng.integers(1, 25))
        pools = rng.choice(np.array(targets), count)
        open_day = np.sort(day + rng.uniform(0.0, 1.0, count))
        customer = rng.integers(0, 100, count)
        hours = rng.choice(np.array([0.5, 2.0, 6.0]), count)
        route_tickets(fast, pools, open_day, customer, hours)
        _pool_by_pool(general, pools, open_day, customer, hours)
        for queue in (*fast.values(), *general.values()):
            queue.pop(min(len(queue.hours), 3))
    for index in fast:
        assert _state(fast[index]) == _state(general[index])
    routed = sum(queue.tallies.tickets for queue in fast.values())
    assert (routed > 0) == any(target in fast for target in targets)
