"""A run that replaces another, killed at every file-system step: never both runs lost.

The writer runs in a forked child that ``os._exit``s at the N-th call of a step that changes
the file system (a table written, a rename, the atomic exchange, a folder removed), for every N
until the write completes. After each kill the target must hold a complete run, the old one or
the new one with every table carrying that run's seed (with the two-rename swap: once the next
writer has recovered it), and the next write must tidy everything the killed one left. Both
swaps are exercised: the atomic exchange, and the two-rename swap used where it is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import sim.outputs.atomic
import sim.outputs.io
from sim.outputs.io import TABLES, read_manifest, read_metadata, write_run
from sim.outputs.results import RunResult

KILLED = 77
COMPLETED = 0


def _killing(real: Callable[..., Any], counter: list[int], point: int) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        counter[0] += 1
        if counter[0] == point:
            os._exit(KILLED)
        return real(*args, **kwargs)

    return step


def _write_in_child(result: RunResult, out_dir: Path, point: int, exchange: bool) -> int:
    """Fork; the child writes and dies at step ``point``. Returns the child's exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            counter = [0]
            os.replace = _killing(os.replace, counter, point)  # type: ignore[assignment]
            os.rename = _killing(os.rename, counter, point)  # type: ignore[assignment]
            shutil.rmtree = _killing(shutil.rmtree, counter, point)  # type: ignore[assignment]
            pq.write_table = _killing(pq.write_table, counter, point)
            sim.outputs.atomic.rename_exchange = (  # type: ignore[assignment]
                _killing(sim.outputs.atomic.rename_exchange, counter, point) if exchange
                else (lambda first, second: False))
            write_run(result, out_dir)
            os._exit(COMPLETED)
        except BaseException:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _complete_run_seed(out_dir: Path) -> int:
    """The seed of the complete run at ``out_dir`` (every table and the manifest agree)."""
    seed = read_manifest(out_dir)["seed"]
    assert {read_metadata(out_dir / f"{stem}.parquet")["seed"] for stem in TABLES} == {seed}
    return seed


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_kill_at_any_step_keeps_the_old_or_the_new_run(
        run_result_factory: Callable[..., RunResult], tmp_path: Path, exchange: bool) -> None:
    out_dir = tmp_path / "run"
    write_run(run_result_factory(seed=1), out_dir)
    old_seed, kills, point = 1, 0, 1
    while True:
        new_seed = old_seed + 1
        code = _write_in_child(run_result_factory(seed=new_seed), out_dir, point, exchange)
        assert code in (KILLED, COMPLETED)
        if code == COMPLETED:
            break
        kills += 1
        if not exchange and not out_dir.exists():  # between the two renames
            sim.outputs.atomic.recover(out_dir)  # what the next writer does first, under the lock
        assert _complete_run_seed(out_dir) in (old_seed, new_seed)
        write_run(run_result_factory(seed=100 + point), out_dir)  # the next run tidies up
        assert [path.name for path in tmp_path.iterdir()] == ["run"]
        assert _complete_run_seed(out_dir) == 100 + point
        old_seed, point = 100 + point, point + 1
    assert _complete_run_seed(out_dir) == new_seed
    assert [path.name for path in tmp_path.iterdir()] == ["run"]
    print(f"run replacement ({'exchange' if exchange else 'two renames'}): killed at {kills} "
          "steps, none lost both runs")
    assert kills >= len(TABLES) + (1 if exchange else 2)  # every table, then each swap step


def test_the_two_rename_swap_killed_between_renames_is_recovered(
        run_result_factory: Callable[..., RunResult], tmp_path: Path) -> None:
    """The one window where the target is missing: the next writer restores the old run."""
    out_dir = tmp_path / "run"
    write_run(run_result_factory(seed=1), out_dir)
    # kill at the second rename: the old run is aside, the new one still in staging
    code = _write_in_child(run_result_factory(seed=2), out_dir, len(TABLES) + 2, exchange=False)
    assert code == KILLED
    assert not out_dir.exists()
    assert len(sim.outputs.atomic.siblings(out_dir, sim.outputs.atomic.OLD)) == 1
    sim.outputs.io.check_replaceable(out_dir)  # what the next writer does first
    assert _complete_run_seed(out_dir) == 1
    assert [path.name for path in tmp_path.iterdir()] == ["run"]


def test_leftovers_of_earlier_versions_are_recovered(
        run_result_factory: Callable[..., RunResult], tmp_path: Path) -> None:
    """Earlier versions left ``.old-<name>-<hex>`` (the run set aside) and ``.tmp-<name>-<hex>``."""
    out_dir = tmp_path / "run"
    write_run(run_result_factory(seed=1), out_dir)
    out_dir.rename(tmp_path / ".old-run-0123456789ab")
    (tmp_path / ".tmp-run-abcdef012345").mkdir()
    (tmp_path / ".tmp-other-abcdef012345").mkdir()  # another target's: not touched
    sim.outputs.io.check_replaceable(out_dir)
    assert _complete_run_seed(out_dir) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == [".tmp-other-abcdef012345", "run"]
