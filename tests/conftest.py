"""Shared fixtures: a small valid scenario, a way to write variants of it, a fake run result."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.outputs.results import RunResult

ScenarioFactory = Callable[[], dict]


def _base_scenario() -> dict:
    """Two tiers, generalist org: a CSM pool for `mid`, implementation, support up to T3."""
    return {
        "name": "base",
        "horizon_months": 6,
        "org_model": "generalist",
        "tiers": [
            {"name": "smb", "acv_min": 0, "acv_max": 20000,
             "acv": {"kind": "lognormal", "mean": 8000, "cv": 0.5},
             "touch_model": "tech", "mix": 0.7, "churn": {"alpha": 1.0, "beta": 6.0},
             "human_onboarding_share": 0.2},
            {"name": "mid", "acv_min": 20000, "acv_max": None,
             "acv": {"kind": "lognormal", "mean": 45000, "cv": 0.4},
             "touch_model": "low", "mix": 0.3, "churn": {"alpha": 1.0, "beta": 9.0}},
        ],
        "growth": {
            "initial_customers": {"smb": 40, "mid": 10},
            "arrivals": [{"from_month": 0, "customers_per_month": 5}],
        },
        "pools": [
            {"name": "csm_mid", "role": "csm", "tiers": ["mid"], "annual_cost": 120000,
             "headcount": 1},
            {"name": "implementation", "role": "implementation", "annual_cost": 110000,
             "headcount": 1},
            {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
             "headcount": 1},
        ],
    }


@pytest.fixture(scope="session")
def scenario_factory() -> ScenarioFactory:
    """Build a fresh copy of the base scenario dict (session-scoped, for hypothesis tests)."""
    return lambda: copy.deepcopy(_base_scenario())


@pytest.fixture
def base_scenario(scenario_factory: ScenarioFactory) -> dict:
    """A fresh, valid scenario dict that a test may mutate."""
    return scenario_factory()


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[dict, str], Path]:
    """Write a dict as a YAML file under the test's temporary directory."""

    def write(data: dict, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


def make_run_result(name: str = "base", seed: int = 7) -> RunResult:
    """A tiny, hand-made result with the engine's columns, for I/O, report and CLI tests."""
    workforce = pd.DataFrame({
        "period": [0, 0, 1, 1], "day": [0.0, 0.0, 30.0, 30.0],
        "pool": ["csm_mid", "support", "csm_mid", "support"],
        "role": ["csm", "support", "csm", "support"],
        "headcount": [1, 1, 2, 1], "hires": [0, 0, 1, 0], "departures": [0, 0, 0, 1],
        "utilisation_mean": [0.8, 0.5, 0.95, 0.6], "utilisation_max": [0.8, 0.5, 1.1, 0.6],
        "burnout_mean": [0.0, 0.0, 0.25, 0.1], "burnout_max": [0.0, 0.0, 0.5, 0.1],
        "hours_demanded": [120.0, 80.0, 150.0, 90.0],
        "hours_available": [150.0, 150.0, 160.0, 150.0],
        "hours_worked": [120.0, 80.0, 150.0, 90.0], "cost": [10000.0, 7500.0, 20000.0, 7500.0],
        "open_requisitions": [1, 0, 0, 1],
    })
    summary = pd.DataFrame([{
        "customers_start": 50, "customers_end": 57, "arr_start": 1_250_000.0,
        "arr_end": 1_410_500.0, "grr_ttm_last": 0.913, "nrr_ttm_last": np.nan,
        "onboarding_backlog_weeks_peak": 6.5, "onboarding_backlog_peak": 12,
        "utilisation_peak": 1.1, "burnout_peak": 0.5, "departures": 1, "hires": 1,
        "cs_cost_pct_arr_ttm": 12.4, "total_cs_cost": 45000.0, "churned_customers": 3,
        "abandoned_customers": 1, "missed_renewals": 0, "touches_missed_share": 0.05,
        "sla_breach_share": 0.02,
    }])
    return RunResult(
        timeseries=pd.DataFrame({"period": [0, 0, 1, 1], "tier": ["smb", "all", "smb", "all"],
                                 "customers": [40, 50, 44, 57],
                                 "arr": [320000.0, 1.25e6, 350000.0, 1.41e6]}),
        workforce=workforce,
        events=pd.DataFrame({"time": [1.5, 3.25], "kind": ["signed", "churned"],
                             "customer": [51, 7], "staff": [pd.NA, pd.NA], "tier": ["mid", "smb"],
                             "acv": [45000.0, np.nan]}).astype({"staff": "Int64"}),
        customers=pd.DataFrame({"customer": [7, 51], "tier": ["smb", "mid"],
                                "status": ["churned", "onboarding"], "acv": [9000.0, 45000.0]}),
        summary=summary,
        manifest={"scenario": {"name": name, "horizon_months": 6}, "seed": seed,
                  "version": "0.1.0", "run_id": f"{name}-{seed}"},
    )


@pytest.fixture
def run_result_factory() -> Callable[..., RunResult]:
    """Build tiny fake run results: ``factory(name="base", seed=7)``."""
    return make_run_result


@pytest.fixture
def run_result() -> RunResult:
    """A tiny fake run result."""
    return make_run_result()


@pytest.fixture
def one_line_error() -> Callable[[dict], str]:
    """Parse a bad scenario dict; return its error, checked to be one line naming the source."""
    from sim.core.errors import ScenarioError
    from sim.scenario.schema import parse_scenario

    def parse(data: dict) -> str:
        with pytest.raises(ScenarioError) as error:
            parse_scenario(data, source="bad.yaml")
        line = str(error.value)
        assert "\n" not in line and line.startswith("bad.yaml: ")
        return line

    return parse


SHIPPED = Path(__file__).resolve().parents[1] / "scenarios"


def _shipped_variant(folder: Path, name: str, start_date: str | None = None,
                     csm_headcount: int | None = None) -> Path:
    """``stage1_startup.yaml`` as shipped, with a calendar start and/or more CSMs."""
    data = yaml.safe_load((SHIPPED / "stage1_startup.yaml").read_text(encoding="utf-8"))
    if start_date is not None:
        data["start_date"] = start_date
    if csm_headcount is not None:
        next(pool for pool in data["pools"] if pool["name"] == "csm")["headcount"] = csm_headcount
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _invoke(arguments: list[str]) -> None:
    from click.testing import CliRunner

    from sim.cli import main

    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def real_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cssim run --report`` of the shipped stage-1 scenario starting in November 2025 with
    one CSM instead of two: on seed 0 its backlog passes 2 weeks, the CSM burns out, leaves and
    is replaced (every sentence of the story has something to say)."""
    folder = tmp_path_factory.mktemp("real-run")
    scenario = _shipped_variant(folder, "stage1_calendar", start_date="2025-11", csm_headcount=1)
    _invoke(["run", str(scenario), "--seed", "0", "--out", str(folder / "run"), "--report"])
    return folder / "run"


@pytest.fixture(scope="session")
def real_sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cssim sweep --report`` of the shipped stage-1 scenario: 1, 2 or 3 CSMs, 3 replicates."""
    folder = tmp_path_factory.mktemp("real-sweep")
    _invoke(["sweep", str(SHIPPED / "stage1_startup.yaml"), "--vary",
             "pools.csm.headcount=1,2,3", "--replications", "3", "--jobs", "1",
             "--require", "backlog_weeks_max<=6", "--out", str(folder / "sweep"), "--report"])
    return folder / "sweep"


@pytest.fixture(scope="session")
def real_compare_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cssim compare --report`` of the shipped stage-1 scenario against one with 3 CSMs."""
    folder = tmp_path_factory.mktemp("real-compare")
    more = _shipped_variant(folder, "three_csms", csm_headcount=3)
    _invoke(["compare", str(SHIPPED / "stage1_startup.yaml"), str(more), "--replications", "3",
             "--jobs", "1", "--out", str(folder / "compare"), "--report"])
    return folder / "compare"
