"""One home for output columns, event kinds and counters, checked against real runs.

The column registry (``sim.outputs.columns``) must list exactly the columns a run produces, in
order, with and without a start date; ``docs/outputs.md`` must be the one generated from it;
every event fills exactly the value column its kind names; and the counters the engine keeps are
the ones the counter registry lists.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import RunResult, parse_scenario, run
from sim.core import counters
from sim.core.event_log import EventLog
from sim.core.events import KIND_COLUMN, KINDS, VALUE_COLUMNS
from sim.core.ledger import NO_VALUE
from sim.model import build
from sim.outputs.columns import TABLE_COLUMNS, column_names, with_outputs_reference
from sim.outputs.tables import events_table

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ROOT / "docs" / "outputs.md"
MISSING = {"float": np.nan, "int": -1, "tier": "", "pool": ""}


def _data(name: str) -> dict:
    return yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pods() -> RunResult:
    """Pods borrow onboarding slots, migrate tiers, hire and lose people: many kinds of event."""
    return run(parse_scenario(_data("org_pods")), seed=1)


@pytest.fixture(scope="module")
def triggered() -> RunResult:
    data = _data("triggers_tech_touch")
    data["start_date"] = "2026-03"
    return run(parse_scenario(data), seed=1)


def test_the_outputs_doc_is_generated_from_the_registry() -> None:
    text = OUTPUTS.read_text(encoding="utf-8")
    assert with_outputs_reference(text) == text, "run: python -m sim.outputs.columns " \
                                                 "docs/outputs.md"


def test_every_column_a_run_produces_is_registered_and_every_registered_one_produced(
        pods: RunResult, triggered: RunResult) -> None:
    for result, start_date in ((pods, False), (triggered, True)):
        for table in TABLE_COLUMNS:
            produced = list(getattr(result, table).columns)
            assert produced == column_names(table, start_date), (table, start_date)


def test_each_event_fills_its_kinds_value_column_and_no_other(
        pods: RunResult, triggered: RunResult) -> None:
    events = pd.concat([pods.events, triggered.events.drop(columns="month")], ignore_index=True)
    assert len(set(events["kind"])) >= 20  # most kinds, both value-less and valued ones
    for column in VALUE_COLUMNS:
        mine = (events["kind"].map(KIND_COLUMN) == column.name).to_numpy()
        values = events[column.name]
        missing = values.isna() if column.type == "float" else values == MISSING[column.type]
        assert not missing[mine].any(), column.name
        assert missing[~mine].all(), column.name


def test_values_land_where_their_meaning_says(pods: RunResult) -> None:
    events, customers = pods.events, pods.customers.set_index("customer")
    arrivals = events[events["kind"] == "arrival"].set_index("customer")
    np.testing.assert_array_equal(arrivals["acv"], customers.loc[arrivals.index, "acv_initial"])
    starts = events[events["kind"] == "onboarding_start"].set_index("customer")
    np.testing.assert_allclose(starts["wait_days"], customers.loc[starts.index, "wait_days"])
    migrations = events[events["kind"] == "migration"]
    assert len(migrations) > 0 and (migrations["from_tier"] != migrations["tier"]).all()
    tiers = set(customers["tier"])
    assert set(migrations["from_tier"]) <= tiers
    lives = events[(events["kind"] == "go_live") & (events["staff"] >= 0)].set_index("customer")
    handoffs = events[events["kind"] == "handoff"].set_index("customer")
    assert len(handoffs) > 50  # each from the person who onboarded the customer
    np.testing.assert_array_equal(handoffs["onboarder"], lives.loc[handoffs.index, "staff"])
    burnout = events.loc[events["kind"] == "departure", "burnout"]
    assert len(burnout) > 0 and burnout.between(0, 1).all()


def log_of(*events: tuple) -> EventLog:
    log = EventLog()
    for event in events:
        log.add(*event)
    return log


def test_an_event_of_an_unknown_kind_or_the_wrong_value_column_is_refused() -> None:
    scenario = parse_scenario(_data("stage1_startup"))
    with pytest.raises(ValueError, match="'signed' is not in sim.core.events"):
        events_table(log_of((1.0, "signed", 3, -1, 0, -1, *NO_VALUE)), scenario)
    with pytest.raises(ValueError, match="'arrival' recorded with value 'wait_days'"):
        events_table(log_of((1.0, "arrival", 3, -1, 0, -1, "wait_days", 2.0)), scenario)
    with pytest.raises(ValueError, match="'arrival' recorded with value None"):
        events_table(log_of((1.0, "arrival", 3, -1, 0, -1, *NO_VALUE)), scenario)
    world = build(scenario, seed=1)
    with pytest.raises(ValueError, match=r"'hire' has values \['acv', 'usage'\]"):
        world.record("hire", 3, acv=2.0, usage=1.0)
    assert len(KINDS) == len(KIND_COLUMN)  # no kind listed twice


def test_the_engine_keeps_the_registered_counters() -> None:
    world = build(parse_scenario(_data("stage1_startup")), seed=1)
    assert tuple(world.tier_counters.take()) == counters.names("tier")
    assert tuple(world.pool_counters.take()) == counters.names("pool")
    assert len(counters.BY_NAME) == len(counters.COUNTERS)
    shown = set(column_names("timeseries")) | set(column_names("workforce"))
    for counter in counters.COUNTERS:
        netted = counter.name.startswith("arr_migration_")
        assert (counter.name in shown) == (counter.aggregation == "count" and not netted), \
            counter.name
