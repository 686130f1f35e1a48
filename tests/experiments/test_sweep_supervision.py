"""Sweep workers die with the sweep, and a worker killed mid-replicate costs only that replicate.

The sweeps run in a subprocess (``sweep_child.py``) so that the test can kill its main process
with SIGTERM or SIGKILL and then look for survivors among the processes it had started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sweep_support import KILLER, PID_FOLDER, SLEEPER, fast, killer_engine

from sim.experiments.api import sweep
from sim.experiments.supervision import process_alive
from sim.scenario.schema import parse_scenario

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
GRACE_SECONDS = 15.0


def test_a_worker_killed_mid_replicate_is_recorded_as_failed(base_scenario: dict,
                                                            tmp_path: Path) -> None:
    data = {**fast(base_scenario), "description": KILLER}
    frame = sweep(parse_scenario(data), 6, jobs=2, batch_size=2, out=tmp_path / "sweep",
                  engine=killer_engine)
    assert frame["replicate"].tolist() == list(range(6))
    failed = frame[frame["status"] == "failed"]
    assert failed["replicate"].tolist() == [3]
    assert "worker process died" in failed["error"].iloc[0]
    assert (frame.loc[frame["replicate"] != 3, "status"] == "ok").all()


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def _start_sleeping_sweep(base_scenario: dict, tmp_path: Path) -> tuple[subprocess.Popen,
                                                                          set[int]]:
    pids = tmp_path / "pids"
    pids.mkdir()
    scenario = tmp_path / "scenario.yaml"
    import yaml

    scenario.write_text(yaml.safe_dump({**fast(base_scenario), "description": SLEEPER}))
    env = {**os.environ, PID_FOLDER: str(pids),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    child = subprocess.Popen([sys.executable, str(TESTS / "sweep_child.py"), str(scenario),
                              str(tmp_path / "sweep")], env=env, cwd=tmp_path)
    deadline = time.monotonic() + 120
    while len(list(pids.iterdir())) < 2:  # both workers are inside a replicate
        assert child.poll() is None, "the sweep ended early"
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.1)
    return child, _descendants(child.pid)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_killing_the_sweep_leaves_no_worker_alive(base_scenario: dict, tmp_path: Path,
                                                  signum: int) -> None:
    child, started = _start_sleeping_sweep(base_scenario, tmp_path)
    workers = {int(path.name) for path in (tmp_path / "pids").iterdir()}
    assert workers <= started and len(started) >= 3  # workers, forkserver, resource tracker
    child.send_signal(signum)
    child.wait(timeout=60)
    deadline = time.monotonic() + GRACE_SECONDS
    while any(process_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in started if process_alive(pid)] == []
