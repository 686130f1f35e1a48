"""An optimisation gives the same result on every backend, and after a kill and a re-run."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from optimise_support import staffing_engine

from sim.experiments.optimise import optimise
from sim.experiments.store import read_replicates
from sim.scenario.schema import Scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
LEVERS = ["pools.csm_mid.headcount=0..15", "pools.implementation.headcount=0..10"]
OPTIONS = {"minimise": "total_cost", "require": ["backlog_weeks_max<=2@0.9"], "budget": 10,
           "replications": 4, "max_replications": 16, "final_replications": 16,
           "finalists": 2}

KILLED_RUN = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from conftest import _base_scenario
    from optimise_support import staffing_engine
    from sim.experiments.optimise import run_optimisation, settings_from
    from sim.scenario.schema import parse_scenario

    base = parse_scenario(_base_scenario())
    settings = settings_from(base, {levers!r}, "total_cost", None,
                             ["backlog_weeks_max<=2@0.9"], budget=10, replications=4,
                             max_replications=16, final_replications=16, finalists=2)
    batches = []

    def kill_after(result):
        batches.append(result)
        if len(batches) == {batches}:
            os.kill(os.getpid(), signal.SIGKILL)

    run_optimisation(base, settings, {out!r}, jobs=1, engine=staffing_engine,
                     on_batch=kill_after)
""")


@pytest.fixture(scope="module")
def scenario(scenario_factory: Callable[[], dict]) -> Scenario:
    return parse_scenario(scenario_factory())


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _run(scenario: Scenario, out: Path, **options: object) -> pd.DataFrame:
    optimise(scenario, LEVERS, out=out, engine=staffing_engine,
             **{**OPTIONS, **options})  # type: ignore[arg-type]
    return pd.read_parquet(out / "evaluations.parquet")


def test_jobs_one_two_and_dask_give_the_same_result(scenario: Scenario, tmp_path: Path,
                                                    dask_scheduler: str) -> None:
    one = _run(scenario, tmp_path / "one", jobs=1)
    two = _run(scenario, tmp_path / "two", jobs=2)
    dask = _run(scenario, tmp_path / "dask", scheduler=dask_scheduler)
    assert len(one) >= OPTIONS["budget"]
    pd.testing.assert_frame_equal(two, one)
    pd.testing.assert_frame_equal(dask, one)
    chosen = json.loads((tmp_path / "one" / "manifest.json").read_text())["result"]["file"]
    for name in (chosen, chosen.replace(".yaml", "-diff.yaml")):
        assert (tmp_path / "two" / name).read_text() == (tmp_path / "one" / name).read_text()


def test_a_killed_optimisation_resumes_to_the_uninterrupted_result(scenario: Scenario,
                                                                   tmp_path: Path) -> None:
    whole = _run(scenario, tmp_path / "whole", jobs=1)
    out = tmp_path / "killed"
    script = KILLED_RUN.format(tests=str(ROOT / "tests"), levers=LEVERS, batches=5,
                               out=str(out))
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment,
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert not (out / "evaluations.parquet").exists()
    partial = read_replicates(out)
    assert 0 < len(partial) < len(read_replicates(tmp_path / "whole"))
    resumed = _run(scenario, out, jobs=1)
    pd.testing.assert_frame_equal(resumed, whole)
    stored = read_replicates(out)
    assert not stored.duplicated(["plan", "replicate"]).any()
    assert len(stored) == len(read_replicates(tmp_path / "whole"))
