"""Churn: a customer leaves, before go-live (abandon) or at a renewal."""

from __future__ import annotations

from sim.core.world import World
from sim.customers.book import CHURNED
from sim.work.renewals import close_task
from sim.work.touches import release_owner


def churn(world: World, customer: int, kind: str) -> None:
    """The customer leaves: before go-live (``abandon``) or at a renewal (``churn``)."""
    book = world.book
    tier = int(book.tier[customer])
    book.state[customer] = CHURNED
    book.churn_day[customer] = world.now
    book.abandoned[customer] = kind == "abandon"
    world.tier_counters.add("churned_customers", tier)
    world.tier_counters.add("arr_churned", tier, float(book.acv[customer]))
    if kind == "abandon":
        world.tier_counters.add("abandoned_customers", tier)
        world.tier_counters.add("arr_abandoned", tier, float(book.acv[customer]))
    world.paying_level.change(tier, -1, world.now)
    world.record(kind, customer, int(book.owner[customer]), tier, acv=float(book.acv[customer]))
    close_task(world, customer)
    release_owner(world, customer)
    process = world.journeys.pop(customer, None)
    if process is not None and process.is_alive:
        process.interrupt("churned")
