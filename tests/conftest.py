"""Shared fixtures: a small valid scenario, a way to write variants of it, a real run of it."""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sim import parse_scenario, run
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
             "headcount": 1, "onboarding_slots": 3},  # explicit: the CSMs onboard mid
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


@functools.cache
def _real_run(name: str, seed: int) -> RunResult:
    data = _base_scenario()
    data["name"] = name
    return run(parse_scenario(data), seed)


def make_run_result(name: str = "base", seed: int = 7) -> RunResult:
    """A real run of the small base scenario (six months), for I/O, report and CLI tests.

    Each call returns its own copy of the tables, so a test may change them.
    """
    result = _real_run(name, seed)
    return dataclasses.replace(
        result, **{name: frame.copy() for name, frame in result.tables().items()},
        manifest=copy.deepcopy(result.manifest))


@pytest.fixture
def run_result_factory() -> Callable[..., RunResult]:
    """Real run results of the base scenario: ``factory(name="base", seed=7)``."""
    return make_run_result


@pytest.fixture
def run_result() -> RunResult:
    """A real run result of the base scenario."""
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
