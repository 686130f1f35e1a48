"""``run(scenario, seed)``: build the world, wire the processes, simulate, tabulate."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sim.core.streams import Streams
from sim.core.world import World
from sim.customers.book import draw_book
from sim.customers.journey import arrivals, open_book
from sim.customers.triggers import start_triggers, with_trigger_columns
from sim.org.leadership import LeadershipLevels
from sim.org.staffing import staff_up, weekly_accounting
from sim.outputs.recorder import Recorder
from sim.outputs.results import RunResult
from sim.outputs.tables import customers_table, events_table, summary_table, with_month
from sim.policies.hiring import hiring_review
from sim.policies.strategy import review
from sim.scenario.schema import Scenario
from sim.version import __version__
from sim.work.borrowing import enable_borrowing
from sim.work.support import SupportDesk, draw_ticket_candidates


def run(scenario: Scenario, seed: int = 0) -> RunResult:
    """Simulate one replication of a scenario.

    Args:
        scenario: a validated scenario.
        seed: the replication's seed; the same scenario and seed give identical tables.

    Returns:
        The run's tables as pandas DataFrames.
    """
    world = build(scenario, seed)
    return tabulate(world, simulate(world), seed)


def simulate(world: World) -> Recorder:
    """Run a built world to its horizon; returns the recorder holding the period rows."""
    recorder = Recorder(world)
    recorder.start()
    done = world.env.process(recorder.run())
    with _collector_paused():
        world.env.run(until=done)
    return recorder


def tabulate(world: World, recorder: Recorder, seed: int) -> RunResult:
    """The run's tables from a simulated world."""
    scenario = world.scenario
    timeseries = recorder.timeseries()
    workforce = recorder.workforce()
    customers = with_trigger_columns(customers_table(world.book, scenario), world)
    return RunResult(
        timeseries=with_month(timeseries, scenario),
        workforce=with_month(workforce, scenario),
        events=with_month(events_table(world.events, scenario), scenario),
        customers=customers,
        summary=summary_table(timeseries, workforce, customers, scenario, seed),
        manifest=manifest(scenario, seed),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the simulation runs.

    A large run keeps hundreds of thousands of pending events and generators alive; repeated
    cyclic collections over them cost up to a quarter of the run time and make run time grow
    faster than linearly. Reference counting still frees everything; the previous state of the
    collector is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(scenario: Scenario, seed: int) -> World:
    """Draw the customers, put the staff in place and start every process (nothing runs yet)."""
    streams = Streams(seed)
    book = draw_book(scenario, streams)
    world = World.create(scenario, streams, book)
    candidates = draw_ticket_candidates(scenario, book.arrival_day, book.complexity,
                                        streams["tickets"])
    world.support = SupportDesk(world, candidates)
    if scenario.leadership.derive:
        world.leadership = LeadershipLevels(scenario.leadership)
    staff_up(world)
    enable_borrowing(world)
    open_book(world)
    start_triggers(world)
    env = world.env
    env.process(arrivals(world))
    env.process(world.support.run())
    env.process(review(world))
    for pool in world.pools:
        env.process(weekly_accounting(world, pool))
    if scenario.hiring.policy != "fixed":
        env.process(hiring_review(world))
    return world


def manifest(scenario: Scenario, seed: int) -> dict:
    """What produced a run: the normalised scenario, the seed and the package version."""
    return {
        "scenario": scenario.model_dump(mode="json"),
        "seed": seed,
        "version": __version__,
    }
