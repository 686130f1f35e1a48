"""``run(scenario, seed)``: build the run, wire the processes, simulate, tabulate.

See ``docs/architecture.md`` for the layers each step draws on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import simpy

from sim.core.calendar import MONTH_DAYS
from sim.core.event_log import Muted
from sim.core.ledger import Ledger
from sim.core.streams import Streams
from sim.customers.book import draw_book
from sim.customers.profiles import ServiceProfiles, TierTable
from sim.customers.usage_events import start_triggers, with_trigger_columns
from sim.org.leadership import LeadershipLevels
from sim.org.pools import pools_of
from sim.org.routing import routes_by_model
from sim.outputs.headline import Headline, headline
from sim.outputs.recorder import Recorder
from sim.outputs.results import RunResult
from sim.outputs.tables import customers_table, events_table, summary_table, with_month
from sim.policies.hiring import hiring_review
from sim.policies.run import PolicyRun
from sim.policies.strategy import review
from sim.scenario.book_file import load_book
from sim.scenario.schema import Scenario
from sim.version import __version__
from sim.work.borrowing import enable_borrowing
from sim.work.lifecycle import arrivals, open_book
from sim.work.roles import role_of
from sim.work.staffing import staff_up
from sim.work.support import draw_ticket_candidates
from sim.work.week import weekly_accounting


def run(scenario: Scenario, seed: int = 0) -> RunResult:
    """Simulate one replication of a scenario.

    Args:
        scenario: a validated scenario.
        seed: the replication's seed; the same scenario and seed give identical tables.

    Returns:
        The run's tables as pandas DataFrames.
    """
    with _collector_paused():
        world = build(scenario, seed)
        return tabulate(world, simulate(world), seed)


def run_headline(scenario: Scenario, seed: int = 0) -> Headline:
    """Simulate one replication and compute only what a sweep keeps (no tables).

    The figures equal those read from ``run(scenario, seed)``'s tables (``sim.outputs.headline``).
    """
    with _collector_paused():
        world = build(scenario, seed)
        world.ledger.events = Muted()
        return headline(world, simulate(world))


def simulate(world: PolicyRun) -> Recorder:
    """Run a built and wired run to its horizon; returns the recorder holding the period rows."""
    recorder = Recorder(world)
    recorder.start()
    done = world.env.process(recorder.run())
    with _collector_paused():
        world.env.run(until=done)
    return recorder


def tabulate(world: PolicyRun, recorder: Recorder, seed: int) -> RunResult:
    """The run's tables from a simulated run."""
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
    """Pause Python's cyclic garbage collector while a run builds, simulates and tabulates.

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


def build(scenario: Scenario, seed: int) -> PolicyRun:
    """A run ready to simulate: every part built (``assemble``), every process wired (``wire``)."""
    world = assemble(scenario, seed)
    wire(world)
    return world


def assemble(scenario: Scenario, seed: int) -> PolicyRun:
    """Draw the customers and build every part of the run before anything happens.

    The context (clock, scenario, streams, ledger), the customer book and service profiles, the
    staff pools, the routing tables of every organisation model the run can use, the
    leadership layers, an onboarding desk per pool, the support desk with its candidate
    tickets and the trigger engine. Nobody is on staff and no process runs yet (``wire``).
    """
    streams = Streams(seed)
    book = draw_book(scenario, streams)
    candidates = draw_ticket_candidates(scenario, book.arrival_day, book.complexity,
                                        streams["tickets"])
    return PolicyRun(
        env=simpy.Environment(), scenario=scenario, streams=streams,
        horizon=scenario.horizon_months * MONTH_DAYS,
        ledger=Ledger.of(len(scenario.tiers), len(scenario.pools)),
        book=book, profiles=ServiceProfiles.of(scenario), tiers=TierTable.of(scenario),
        pools=pools_of(scenario), routes=routes_by_model(scenario),
        leadership=LeadershipLevels(scenario.leadership), candidates=candidates,
    )


def wire(world: PolicyRun) -> None:
    """Day 0: put the staff in place, open the book and start every process (nothing runs yet).

    The order is part of the model: processes started at the same instant run in this order.
    """
    scenario = world.scenario
    staff_up(world)
    enable_borrowing(world)
    open_book(world)
    start_triggers(world)
    env = world.env
    env.process(arrivals(world))
    env.process(world.support.run())
    env.process(review(world))
    for pool in world.pools:
        row = role_of(pool)
        env.process(weekly_accounting(world, pool, row.week, row.week_at_end))
    if scenario.hiring.policy != "fixed":
        env.process(hiring_review(world))


def manifest(scenario: Scenario, seed: int) -> dict:
    """What produced a run: the normalised scenario, the seed and the package version."""
    record = {
        "scenario": scenario.model_dump(mode="json"),
        "seed": seed,
        "version": __version__,
    }
    initial = load_book(scenario)
    if initial is not None:
        record["initial_book_sha256"] = initial.digest
    return record
