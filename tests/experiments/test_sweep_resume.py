"""A sweep killed (SIGKILL) or interrupted (Ctrl-C) resumes: every pair exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sweep_support import fast, sorted_frame, write_scenario

from sim.cli import main
from sim.experiments import read_replicates, read_timeseries, sweep
from sim.scenario.schema import load_scenario

REPO = Path(__file__).resolve().parents[2]
REPLICATIONS = 20
VARY = "pools.csm_mid.headcount=1,2"
PATIENCE_SECONDS = 180


def _arguments(scenario_file: Path, out: Path, jobs: int) -> list[str]:
    return ["sweep", str(scenario_file), "--replications", str(REPLICATIONS), "--vary", VARY,
            "--batch-size", "2", "--jobs", str(jobs), "--out", str(out)]


def _as_from_a_terminal() -> None:
    """In the child before it starts: Ctrl-C handled as a terminal's shell leaves it.

    A test run started in the background of a non-interactive shell (``pytest &``) ignores
    SIGINT, and the command would inherit that and never see the stop.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start(arguments: list[str], cwd: Path) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    # A session of its own: the stop signal goes to the whole process group, workers included,
    # as Ctrl-C in a terminal does.
    return subprocess.Popen([sys.executable, "-m", "sim.cli", *arguments], cwd=cwd,
                            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=_as_from_a_terminal)


def _batches(out: Path) -> int:
    return len(list((out / "replicates").rglob("part-*.parquet")))


def _stop_after_batches(process: subprocess.Popen, out: Path, batches: int,
                        stop: signal.Signals) -> None:
    """Send ``stop`` once ``batches`` batches are stored; fail if the sweep ends first."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    try:
        while _batches(out) < batches:
            assert process.poll() is None, "the sweep ended before it could be stopped"
            assert time.monotonic() < deadline, "no batches stored in time"
            time.sleep(0.005)
        os.killpg(process.pid, stop)
        process.wait(timeout=PATIENCE_SECONDS)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def scenario_file(scenario_factory: Callable[[], dict],
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("resume")
    # A year per run, so that a busy machine cannot finish the sweep before it is stopped.
    return write_scenario({**fast(scenario_factory()), "horizon_months": 12},
                          folder / "fast.yaml")


@pytest.fixture(scope="module")
def reference(scenario_file: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The uninterrupted sweep."""
    out = scenario_file.parent / "reference"
    sweep(load_scenario(scenario_file), REPLICATIONS, vary=[VARY], jobs=1, out=out)
    return (sorted_frame(read_replicates(out), ["plan", "replicate"]),
            sorted_frame(read_timeseries(out), ["plan", "replicate", "period"]))


def _resume(scenario_file: Path, out: Path) -> None:
    """Re-run the command (here in one process: the number of jobs is not part of a sweep)."""
    result = CliRunner().invoke(main, _arguments(scenario_file, out, jobs=1))
    assert result.exit_code == 0, result.output


def _check_resumed(out: Path, reference: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    replicates = sorted_frame(read_replicates(out), ["plan", "replicate"])
    timeseries = sorted_frame(read_timeseries(out), ["plan", "replicate", "period"])
    pairs = list(zip(replicates["plan"], replicates["replicate"], strict=True))
    assert pairs == [(plan, replicate) for plan in ("p01", "p02")
                     for replicate in range(REPLICATIONS)]
    assert not timeseries.duplicated(["plan", "replicate", "period"]).any()
    pd.testing.assert_frame_equal(replicates, reference[0])
    pd.testing.assert_frame_equal(timeseries, reference[1])
    assert not [path for path in out.rglob("*") if ".tmp-" in path.name]


def _interrupted(scenario_file: Path, out: Path, jobs: int, batches: int,
                 stop: signal.Signals) -> tuple[int, str]:
    """Run the sweep in a subprocess and stop it part-way; its exit code and stderr."""
    process = _start(_arguments(scenario_file, out, jobs), out.parent)
    _stop_after_batches(process, out, batches, stop)
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert batches <= _batches(out) < REPLICATIONS, (  # part-way: 2 x 20 pairs in batches of 2
        f"exit {process.returncode}, {_batches(out)} batches; stderr: {stderr[-600:]}")
    return process.returncode, stderr


def test_a_killed_sweep_resumes_to_the_uninterrupted_result(
        scenario_file: Path, reference: tuple[pd.DataFrame, pd.DataFrame],
        tmp_path: Path) -> None:
    out = tmp_path / "killed"
    code, _ = _interrupted(scenario_file, out, jobs=1, batches=3, stop=signal.SIGKILL)
    assert code == -signal.SIGKILL
    _resume(scenario_file, out)
    _check_resumed(out, reference)


def test_ctrl_c_stops_the_workers_and_the_sweep_resumes(
        scenario_file: Path, reference: tuple[pd.DataFrame, pd.DataFrame],
        tmp_path: Path) -> None:
    out = tmp_path / "interrupted"
    code, stderr = _interrupted(scenario_file, out, jobs=2, batches=2, stop=signal.SIGINT)
    assert code == 130, stderr
    assert "run the same command again to resume" in stderr
    assert stderr.strip().splitlines()[-1] == "error: interrupted"
    _resume(scenario_file, out)
    _check_resumed(out, reference)
