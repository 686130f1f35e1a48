"""The monthly usage event driving the triggers, and the trigger columns of the customers table."""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np
import pandas as pd
import simpy

from sim.core.calendar import MONTH_DAYS
from sim.customers.book import ACTIVE
from sim.customers.run import CustomerRun
from sim.customers.usage import Signals, UsageWalk, detect


def start_triggers(world: CustomerRun) -> None:
    """Start the engine and its monthly usage event, if the scenario turns triggers on."""
    if not world.triggers.enabled:
        return
    engine = world.triggers
    engine.start()
    world.env.process(usage_months(world, engine.walk, engine.month))


def usage_months(world: CustomerRun, walk: UsageWalk,
                 on_month: Callable[[Signals, np.ndarray], None],
                 ) -> Generator[simpy.Event, None, None]:
    """The monthly usage event: draw the month's shocks, move the walk, report the signals.

    Args:
        world: the run.
        walk: the customers' usage.
        on_month: called with (signals, uniforms) after each month's move.
    """
    rng, book = world.streams["usage"], world.book
    month = 1
    while month * MONTH_DAYS < world.horizon - 1e-9:
        yield world.env.timeout(month * MONTH_DAYS - world.now)
        shocks = rng.standard_normal(book.size)
        uniforms = rng.uniform(0.0, 1.0, book.size)
        previous = walk.step(book.state == ACTIVE, shocks, world.now)
        signals = detect(previous, walk.log_usage, world.scenario.triggers)
        on_month(signals, uniforms)
        month += 1


def with_trigger_columns(customers: pd.DataFrame, world: CustomerRun) -> pd.DataFrame:
    """Add each customer's trigger count and last observed usage to the customers table."""
    ids = customers["customer"].to_numpy()
    engine = world.triggers
    frame = customers.copy()
    frame["triggers"] = engine.fired[ids] if engine.enabled else np.zeros(len(ids), np.int64)
    frame["usage"] = (np.exp(engine.walk.log_usage[ids]) if engine.enabled
                      else np.full(len(ids), np.nan))
    return frame
