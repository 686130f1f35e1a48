"""Helpers of the sweep tests: a fast scenario and an engine that fails on chosen replicates.

The engine lives in an importable module (not a test file) so that worker processes can unpickle
it by reference.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from sim.experiments.seeding import replicate_seed
from sim.model import run
from sim.outputs.results import RunResult
from sim.scenario.schema import Scenario

FLAKY = "flaky"
"""Scenario description that makes :func:`flaky_engine` fail on odd replicates."""
BROKEN = "broken"
"""Scenario description that makes :func:`flaky_engine` fail on every replicate."""


def fast(data: dict) -> dict:
    """The shared test scenario (``conftest``) cut to three months and named ``fast``.

    A run takes a few hundredths of a second.
    """
    return {**copy.deepcopy(data), "name": "fast", "horizon_months": 3}


def write_scenario(data: dict, path: Path) -> Path:
    """Write a scenario dict as YAML."""
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@cache
def _odd_replicate_seeds() -> frozenset[int]:
    return frozenset(replicate_seed(0, replicate) for replicate in range(1, 200, 2))


def flaky_engine(scenario: Scenario, seed: int) -> RunResult:
    """``sim.run``, failing on odd replicates of a ``flaky`` and all of a ``broken`` scenario."""
    if scenario.description == BROKEN or (scenario.description == FLAKY
                                          and seed in _odd_replicate_seeds()):
        raise RuntimeError(f"injected failure (seed {seed})")
    return run(scenario, seed)


def sorted_frame(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows sorted by ``keys``, a fresh index, plan as plain text."""
    frame = frame.astype({"plan": str})
    return frame.sort_values(keys).reset_index(drop=True)


KILLER = "killer"
"""Scenario description that makes :func:`killer_engine` kill its own worker on replicate 3."""
SLEEPER = "sleeper"
"""Scenario description that makes :func:`killer_engine` note its pid and sleep a minute."""
PID_FOLDER = "CSSIM_TEST_PID_FOLDER"
"""Environment variable naming the folder where a sleeping worker notes its pid."""


def killer_engine(scenario: Scenario, seed: int) -> RunResult:
    """``sim.run``; a ``killer`` scenario's replicate 3 SIGKILLs the worker running it (as the
    out-of-memory killer would), a ``sleeper`` scenario's replicates sleep in the worker."""
    import os
    import signal
    import time

    if scenario.description == KILLER and seed == replicate_seed(0, 3):
        os.kill(os.getpid(), signal.SIGKILL)
    if scenario.description == SLEEPER:
        (Path(os.environ[PID_FOLDER]) / str(os.getpid())).write_text("", encoding="utf-8")
        time.sleep(60)
    return run(scenario, seed)


GATED = "gated"
"""Scenario description that makes :func:`gated_engine` wait for the file named by ``GATE``."""
GATE = "CSSIM_TEST_GATE"
"""Environment variable naming the file a ``gated`` replicate waits for (at most a minute)."""


def gated_engine(scenario: Scenario, seed: int) -> RunResult:
    """``sim.run``; a ``gated`` scenario's replicates first wait for the gate file to exist."""
    import os
    import time

    if scenario.description == GATED:
        deadline = time.monotonic() + 60
        while not Path(os.environ[GATE]).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return run(scenario, seed)
