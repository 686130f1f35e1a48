"""The refactor check (benchmarks/identical_tables.py) on tables of a real run.

Copies of the shipped stage-1 scenario's tables with one planted change must be reported as
differing at that column and row; unchanged copies (NaN included) as identical.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import load_scenario, parse_scenario, run
from sim.core.events import KIND_COLUMN, VALUE_COLUMNS
from sim.outputs.results import RunResult

ROOT = Path(__file__).resolve().parents[2]
STAGE1 = "scenarios/stage1_startup.yaml"


def _load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("identical_tables",
                                                  ROOT / "benchmarks" / "identical_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


check = _load_check()


@pytest.fixture(scope="module")
def result() -> RunResult:
    return run(load_scenario(ROOT / STAGE1), seed=1)


def test_a_copy_of_every_table_is_identical(result: RunResult) -> None:
    assert result.customers["churn_day"].isna().any()  # NaN in the same places is no difference
    for table in check.TABLES:
        frame = getattr(result, table)
        assert check.first_difference(frame, frame.copy()) is None


def test_a_changed_value_is_found_at_its_column_and_row(result: RunResult) -> None:
    before = result.timeseries
    after = before.copy()
    after.loc[9, "cs_cost"] = np.nextafter(before.loc[9, "cs_cost"], np.inf)  # one ulp
    message = check.first_difference(before, after, ("main", "checkout"))
    assert message is not None and message.startswith("column 'cs_cost', row 9: main ")
    after.loc[40, "grr_ttm"] = 0.5  # an earlier column, a later row: reported first
    message = check.first_difference(before, after, ("main", "checkout"))
    assert message == (f"column 'grr_ttm', row 40: main {float(before.loc[40, 'grr_ttm'])!r}, "
                       "checkout 0.5")


def test_a_value_turned_missing_is_a_difference(result: RunResult) -> None:
    before = result.customers
    after = before.copy()
    row = int(np.flatnonzero(before["golive_day"].notna())[3])
    after.loc[row, "golive_day"] = np.nan
    message = check.first_difference(before, after)
    assert message is not None and message.startswith(f"column 'golive_day', row {row}:")


def test_rows_columns_and_dtypes_that_differ_are_named(result: RunResult) -> None:
    events = result.events
    message = check.first_difference(events, events.iloc[:-1], ("main", "checkout"))
    assert message == f"{len(events)} rows in main, {len(events) - 1} in checkout"
    renamed = check.first_difference(events, events.rename(columns={"acv": "amount"}))
    assert renamed == "columns only in before: ['acv'], only in after: ['amount']"
    widened = check.first_difference(events, events.astype({"customer": float}))
    assert widened == "column 'customer': dtype before int64, after float64"
    reordered = check.first_difference(events, events[["kind", "time", *events.columns[2:]]])
    assert reordered is not None and reordered.startswith("columns in another order from "
                                                          "position 0")


def test_renames_are_parsed_per_table_and_bad_ones_refused() -> None:
    assert check.parse_renames(["workforce.role=pool", "workforce.role_kind=role",
                                "events.amount=acv"]) == {
        "workforce": {"role": "pool", "role_kind": "role"}, "events": {"amount": "acv"}}
    for bad in ("role=pool", "workforce.role", "ledger.role=pool", "workforce.=pool"):
        with pytest.raises(ValueError, match="TABLE.COLUMN=NEW"):
            check.parse_renames([bad])


@pytest.fixture(scope="module")
def ran_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[tuple[bool, str]]]:
    """Both sides run this checkout's code, each in its own process."""
    plan = check.Plan(before=check.Side("first", ROOT), after=check.Side("second", ROOT),
                      seeds=(1,), renames={}, out=tmp_path_factory.mktemp("tables"))
    return plan, check.check_scenario(plan, STAGE1)


def test_a_scenario_run_twice_in_subprocesses_gives_identical_tables(
        ran_twice: tuple[Any, list[tuple[bool, str]]]) -> None:
    plan, lines = ran_twice
    assert [same for same, _ in lines] == [True] * len(check.TABLES), lines
    written = sorted(path.name for path in plan.out.rglob("*.parquet"))
    assert written == sorted(2 * [f"seed1-{table}.parquet" for table in check.TABLES])


def test_renames_apply_to_the_ref_and_must_name_its_columns(
        ran_twice: tuple[Any, list[tuple[bool, str]]]) -> None:
    plan, _ = ran_twice
    renamed = dataclasses.replace(plan, renames={"workforce": {"pool": "team"}})
    same, line = check.compare_table(renamed, STAGE1, 1, "workforce")
    assert not same and line.endswith("columns only in first: ['team'], only in second: ['pool']")
    typo = dataclasses.replace(plan, renames={"workforce": {"rol": "pool"}})
    same, line = check.compare_table(typo, STAGE1, 1, "workforce")
    assert not same and "--rename names ['rol']" in line


def test_each_side_runs_its_own_tree(tmp_path: Path) -> None:
    """A copy of the code whose churn formula drops the odds form must give other tables."""
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "sim", tree / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "scenarios").mkdir()
    shutil.copy(ROOT / STAGE1, tree / STAGE1)
    renewal = tree / "sim" / "customers" / "renewal.py"
    source = renewal.read_text(encoding="utf-8")
    formula = "return theta * factor / (1.0 + theta * (factor - 1.0))"
    assert formula in source
    renewal.write_text(source.replace(formula, "return min(1.0, theta * factor)"),
                       encoding="utf-8")
    plan = check.Plan(before=check.Side("changed", tree), after=check.Side("checkout", ROOT),
                      seeds=(1,), renames={}, out=tmp_path / "tables")
    lines = check.check_scenario(plan, STAGE1)
    assert len(lines) == len(check.TABLES), lines
    assert all(not same and ": differs: " in line for same, line in lines), lines


def _legacy(events: pd.DataFrame, tiers: list[str], pools: list[str]) -> pd.DataFrame:
    """A new-layout event table written the legacy way: each kind's value in ``amount``."""
    amount = np.zeros(len(events))
    for column in VALUE_COLUMNS:
        rows = (events["kind"].map(KIND_COLUMN) == column.name).to_numpy()
        values = events[column.name]
        if column.type in ("tier", "pool"):
            index = {name: float(i) for i, name in enumerate(tiers if column.type == "tier"
                                                                else pools)}
            values = values.map(index)
        amount[rows] = values.to_numpy(dtype=float)[rows]
    legacy = events.drop(columns=[column.name for column in VALUE_COLUMNS])
    legacy.insert(legacy.columns.get_loc("pool"), "amount", amount)
    return legacy


def test_legacy_events_convert_to_the_named_columns_value_for_value() -> None:
    data = yaml.safe_load((ROOT / "scenarios" / "org_pods.yaml").read_text(encoding="utf-8"))
    scenario = parse_scenario(data)
    events = run(scenario, seed=1).events
    tiers, pools = [t.name for t in scenario.tiers], [p.name for p in scenario.pools]
    legacy = _legacy(events, tiers, pools)
    assert list(legacy.columns[:7]) == ["time", "kind", "customer", "staff", "tier", "amount",
                                        "pool"]
    assert check.first_difference(check.legacy_events(legacy, tiers, pools), events) is None
    moved = legacy.copy()  # a migration from another tier than recorded: found at its row
    row = int(np.flatnonzero(legacy["kind"] == "migration")[0])
    moved.loc[row, "amount"] = (moved.loc[row, "amount"] + 1) % len(tiers)
    message = check.first_difference(check.legacy_events(moved, tiers, pools), events)
    assert message is not None and message.startswith(f"column 'from_tier', row {row}:")
    stray = legacy.copy()  # a value on a kind that carries none is refused
    stray.loc[int(np.flatnonzero(legacy["kind"] == "hire")[0]), "amount"] = 1.0
    with pytest.raises(ValueError, match="'hire' event with amount 1.0"):
        check.legacy_events(stray, tiers, pools)
