"""One writer per output folder: the lock message, --wait, stale locks, concurrent sweeps, and
a sweep folder corrupted by two writers before there was a lock."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from sweep_support import GATE, GATED, fast

from sim.cli import main
from sim.experiments.api import sweep
from sim.experiments.store import REPLICATES, TIMESERIES, read_replicates, read_timeseries
from sim.outputs.locks import LockedError, lock_path, output_lock
from sim.scenario.schema import parse_scenario

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
HOLD = ("import sys, time\nfrom sim.outputs.locks import output_lock\n"
        "with output_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n")


def _holder(folder: Path) -> subprocess.Popen:
    """A process that takes the lock of ``folder`` and keeps it."""
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_a_second_writer_is_told_who_holds_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    child = _holder(folder)
    try:
        with pytest.raises(LockedError) as refused, output_lock(folder):
            pass
        message = str(refused.value)
        assert f"pid {child.pid} on {socket.gethostname()} since " in message
        assert "--wait" in message and "\n" not in message
    finally:
        child.kill()
        child.wait()


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    child = _holder(folder)
    child.kill()  # SIGKILL: no clean-up, the lock file stays with its holder's pid
    child.wait()
    assert str(child.pid) in lock_path(folder).read_text()
    with output_lock(folder):
        assert str(os.getpid()) in lock_path(folder).read_text()
    assert not lock_path(folder).exists()


def test_wait_queues_behind_the_holder(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    child = _holder(folder)
    threading.Timer(1.0, child.kill).start()
    said: list[str] = []
    with output_lock(folder, wait=True, on_wait=said.append):
        assert str(os.getpid()) in lock_path(folder).read_text()
    child.wait()
    assert len(said) == 1 and f"pid {child.pid}" in said[0]


def test_cli_run_into_a_locked_folder_prints_one_line(tmp_path: Path, base_scenario: dict,
                                                      write_yaml: object) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(fast(base_scenario)))
    folder = tmp_path / "out"
    child = _holder(folder)
    try:
        result = CliRunner().invoke(main, ["run", str(scenario), "--out", str(folder)])
    finally:
        child.kill()
        child.wait()
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "in use by another cssim" in result.stderr
    assert not folder.exists()


def test_two_concurrent_sweeps_one_is_refused_the_folder_stays_consistent(
        base_scenario: dict, tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump({**fast(base_scenario), "description": GATED}))
    out, gate = tmp_path / "sweep", tmp_path / "gate"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)]),
           GATE: str(gate)}
    command = [sys.executable, str(TESTS / "sweep_child.py"), str(scenario), str(out)]
    first = subprocess.Popen([*command, "6", "gated"], env=env, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 120
    while not lock_path(out).exists() or "pid" not in lock_path(out).read_text():
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    second = subprocess.run([*command, "8", "gated"], env=env, stderr=subprocess.PIPE,
                            text=True, timeout=120)
    gate.touch()
    assert first.wait(timeout=120) == 0
    assert second.returncode == 2
    assert "in use by another cssim" in second.stderr and f"pid {first.pid}" in second.stderr
    replicates = read_replicates(out)
    assert replicates["replicate"].tolist() == list(range(6))
    assert (replicates["status"] == "ok").all()
    assert not read_timeseries(out).duplicated(["plan", "replicate", "period"]).any()


def test_a_folder_with_overlapping_batches_is_repaired(base_scenario: dict, tmp_path: Path,
                                                       capfd: pytest.CaptureFixture) -> None:
    """Two sweeps that wrote one folder at once (before the lock) left overlapping batches."""
    scenario = parse_scenario(fast(base_scenario))
    clean = sweep(scenario, 4, jobs=1, batch_size=2, out=tmp_path / "clean")
    other = tmp_path / "other"
    sweep(scenario, 4, jobs=1, batch_size=4, out=other)
    corrupted = tmp_path / "corrupted"
    shutil.copytree(tmp_path / "clean", corrupted)
    for kind in (REPLICATES, TIMESERIES):  # the 0-3 batch over the 0-1 and 2-3 ones
        source = other / kind / "plan=base" / "part-0000000-0000003.parquet"
        shutil.copy(source, corrupted / kind / "plan=base" / source.name)
    assert read_replicates(corrupted)["replicate"].duplicated().any()
    repaired = sweep(scenario, 4, jobs=1, batch_size=2, out=corrupted)
    assert "repaired" in capfd.readouterr().err
    columns = [column for column in clean.columns if column != "traceback"]
    pd.testing.assert_frame_equal(repaired[columns], clean[columns])
    assert not read_timeseries(corrupted).duplicated(["plan", "replicate", "period"]).any()


def test_an_optimisation_waits_for_or_refuses_a_held_folder(tmp_path: Path) -> None:
    """``cssim optimise`` writes its --out under the same lock as run, sweep and compare."""
    from click.testing import CliRunner

    from sim.cli import main
    from sim.outputs.locks import output_lock

    out = tmp_path / "opt"
    arguments = ["optimise", "scenarios/stage1_startup.yaml", "--lever",
                 "pools.0.headcount=1..2", "--minimise", "total_cost", "--budget", "2",
                 "--replications", "2", "--final-replications", "2", "--jobs", "1",
                 "--out", str(out)]
    with output_lock(out):
        result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert "in use by another cssim" in result.stderr, result.stderr
    assert not (out / "best.yaml").exists()
