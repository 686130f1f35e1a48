"""The renewal calendar: every date decided once, in order, each at its instant, in batches or not.

- Every customer under contract has each anniversary before the horizon decided exactly once
  (a renewal or a churn), on its date, until it churns; a customer that migrates to another
  tier or changes CSM keeps its dates (nothing is lost from the calendar).
- The work of a renewal whose window opens before the horizon is open at the end of the run
  even when its date falls after the horizon; a window opening after the horizon opens nothing.
- Dates at the same instant (a real book's whole-day dates) are decided in the order they were
  scheduled: the first renewals of live accounts of the initial book that need no renewal work
  were all scheduled on day 0 in account order, so at a shared instant they come in that order.
- Deciding dates in batches or one by one gives identical tables, on a generated book and on a
  real book whose dates tie.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from book_support import book_scenario, known_accounts, write_book

import sim.model as model
import sim.work.lifecycle as lifecycle
import sim.work.renewal_calendar as calendar
from sim import load_scenario, parse_scenario, run
from sim.core.agenda import Agenda
from sim.core.calendar import YEAR_DAYS
from sim.customers.book import ACTIVE, CHURNED
from sim.model import build, simulate
from sim.scenario.schema import Scenario, read_yaml


def _book_run_scenario(folder: Path) -> Scenario:
    data = book_scenario(str(write_book(folder, known_accounts(1500, seed=4))))
    data["horizon_months"] = 24
    return parse_scenario(data)


def _decisions(events: list[tuple]) -> dict[int, list[float]]:
    """Instants of each customer's renewal decisions (renewals and churns at a renewal)."""
    found: dict[int, list[float]] = {}
    for event in events:
        if event[1] in ("renewal", "churn"):
            found.setdefault(event[2], []).append(event[0])
    return found


def _without_renewal_work(path: str) -> Scenario:
    """The scenario with no renewal hours: every date is on the calendar from signature on."""
    data = read_yaml(Path(path))
    for tier in data["tiers"]:
        tier["renewal_hours"] = 0
    return parse_scenario(data)


@pytest.mark.parametrize(("scenario", "abandons"), [("scenarios/stage4_mature.yaml", False),
                                                    ("scenarios/triggers_tech_touch.yaml", False),
                                                    ("scenarios/growth_100_to_500.yaml", True),
                                                    ("no renewal work", True)])
def test_every_anniversary_is_decided_once_on_its_date(scenario: str, abandons: bool) -> None:
    """Also for customers that abandoned the onboarding queue: no decision after they left, and
    no renewal work left open for anyone who churned. Without renewal work a customer's date is
    on the calendar from its signature, so one that abandons the queue before its first date
    leaves a date behind that must not be decided."""
    world = build(_without_renewal_work("scenarios/growth_100_to_500.yaml")
                  if scenario == "no renewal work" else load_scenario(scenario), 2)
    simulate(world)
    book, decided = world.book, _decisions(world.events)
    migrated = {event[2] for event in world.events if event[1] in ("migration", "csm_change")}
    checked = moved = left = 0
    for customer in range(book.size):
        if np.isnan(book.arrival_day[customer]) or book.state[customer] < 1:
            continue  # never signed within the run
        dates = book.first_renewal_day[customer] + YEAR_DAYS * np.arange(4)
        dates = dates[dates < world.horizon]
        churned_at = book.churn_day[customer]
        if book.abandoned[customer]:
            left += bool(len(dates))
            dates = dates[dates < churned_at]
        elif book.state[customer] == CHURNED:
            dates = dates[dates <= churned_at]
        got = decided.get(customer, [])
        assert len(got) == len(dates) and np.allclose(got, dates, rtol=0, atol=1e-9), customer
        checked += len(dates)
        moved += customer in migrated and len(dates) > 1
    assert checked > 300
    assert moved > 20
    assert not [customer for customer in world.renewal_tasks if book.state[customer] == CHURNED]
    assert (left > 5) == abandons


def test_window_opening_before_the_horizon_opens_the_work(tmp_path: Path) -> None:
    world = build(load_scenario("scenarios/stage4_mature.yaml"), 1)
    simulate(world)
    book, window = world.book, world.scenario.renewals.window_days
    due_after = opened = 0
    for customer in np.flatnonzero(book.state == ACTIVE).tolist():
        due = book.first_renewal_day[customer] + YEAR_DAYS * book.renewals_done[customer]
        task = world.renewal_tasks.get(customer)
        if due < world.horizon or world.renewal_hours(customer) <= 0:
            continue
        due_after += 1
        if due - window < world.horizon:
            assert task is not None and task.due_day == pytest.approx(due, abs=1e-9), customer
            opened += 1
        else:
            assert task is None, customer
    assert opened > 50
    assert due_after > opened


def test_dates_at_one_instant_come_in_the_order_they_were_scheduled(tmp_path: Path) -> None:
    world = build(_book_run_scenario(tmp_path), 1)
    simulate(world)
    book = world.book
    hours = world.profiles.renewal_hours[book.profile, book.initial_tier]
    day_zero = set(np.flatnonzero(book.initial_live & (hours <= 0)).tolist())
    first: dict[float, list[int]] = {}
    for event in world.events:
        if event[1] in ("renewal", "churn") and event[2] in day_zero and event[0] < YEAR_DAYS:
            first.setdefault(event[0], []).append(event[2])
    shared = [customers for customers in first.values() if len(customers) > 1]
    assert sum(len(customers) for customers in shared) > 100
    assert all(customers == sorted(customers) for customers in shared)


def _tables(scenario: Scenario, batch_min: int, monkeypatch: pytest.MonkeyPatch,
            sizes: Counter) -> dict[str, pd.DataFrame]:
    decide = calendar._decide

    def counted(world, batch):  # noqa: ANN001, ANN202 - a spy on the module's function
        sizes[len(batch)] += 1
        return decide(world, batch)

    monkeypatch.setattr(calendar, "BATCH_MIN", batch_min)
    monkeypatch.setattr(calendar, "_decide", counted)
    result = run(scenario, 1)
    return {name: getattr(result, name) for name in ("timeseries", "workforce", "events",
                                                     "customers", "summary")}


@pytest.mark.parametrize("source", ["scenarios/triggers_tech_touch.yaml", "book"])
def test_batches_and_one_by_one_give_identical_tables(source: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = (_book_run_scenario(tmp_path) if source == "book" else load_scenario(source))
    sizes: Counter = Counter()
    alone = _tables(scenario, 10**9, monkeypatch, sizes)
    assert not sizes
    together = _tables(scenario, 1, monkeypatch, sizes)
    assert sum(count for size, count in sizes.items() if size >= 4) > 20
    for name, table in alone.items():
        pd.testing.assert_frame_equal(together[name], table, check_exact=True, obj=name)



def _journeys_as_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every self-serve journey as a SimPy process (``journey`` takes its self-serve
    branch for a customer that needs no person) instead of as the calendar's entries."""
    add = Agenda.add

    def add_or_start(agenda: Agenda, delay: float, priority: int, item: int, step: int,
                     *rest: float) -> None:
        if step != calendar.SELF_SERVE_START:
            add(agenda, delay, priority, item, step, *rest)
            return
        world = current["world"]
        world.journeys[item] = world.env.process(lifecycle.journey(world, item))

    current: dict = {}
    build_world = lifecycle.open_book

    def open_book(world) -> None:  # noqa: ANN001 - the module's signature
        current["world"] = world
        build_world(world)

    monkeypatch.setattr(Agenda, "add", add_or_start)
    monkeypatch.setattr(model, "open_book", open_book)


@pytest.mark.parametrize("source", ["scenarios/triggers_tech_touch.yaml",
                                    "scenarios/stage4_mature.yaml", "book"])
def test_self_serve_journeys_on_the_calendar_equal_journeys_as_processes(
        source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The calendar's self-serve start and go-live give the tables a SimPy process per journey
    gives (its start and its timeout keyed alike: same instants, same order among events),
    also on a real book whose whole-day dates tie."""
    scenario = _book_run_scenario(tmp_path) if source == "book" else load_scenario(source)
    calendar_run = run(scenario, 1)
    _journeys_as_processes(monkeypatch)
    process_run = run(scenario, 1)
    assert (process_run.customers["wait_days"] == 0).sum() > 100
    for name in ("timeseries", "workforce", "events", "customers", "summary"):
        pd.testing.assert_frame_equal(getattr(process_run, name), getattr(calendar_run, name),
                                      check_exact=True, obj=name)
