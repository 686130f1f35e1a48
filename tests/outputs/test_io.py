"""Run directories: parquet and manifest round trip, metadata, all-or-nothing writes."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sim.outputs.atomic
import sim.outputs.io
from sim.outputs.io import (
    MANIFEST_FILE,
    TABLES,
    read_manifest,
    read_metadata,
    read_run,
    write_run,
)
from sim.outputs.results import RunResult

EXPECTED_FILES = sorted([*(f"{stem}.parquet" for stem in TABLES), MANIFEST_FILE])


def fail_on_call(monkeypatch: pytest.MonkeyPatch, failing_call: int,
                 error: BaseException) -> None:
    """Make the parquet writer raise ``error`` on its ``failing_call``-th call."""
    real_write = sim.outputs.io._write_table
    calls = []

    def write(*args: object) -> None:
        calls.append(args)
        if len(calls) == failing_call:
            raise error
        real_write(*args)

    monkeypatch.setattr(sim.outputs.io, "_write_table", write)


def test_round_trip(run_result: RunResult, tmp_path: Path) -> None:
    out_dir = write_run(run_result, tmp_path / "runs" / "seed-7")
    assert out_dir == tmp_path / "runs" / "seed-7"
    assert sorted(path.name for path in out_dir.iterdir()) == EXPECTED_FILES
    tables = read_run(out_dir)
    assert list(tables) == list(TABLES)
    for stem, frame in run_result.tables().items():
        pd.testing.assert_frame_equal(tables[stem], frame)
    assert read_manifest(out_dir) == run_result.manifest


def test_manifest_is_sorted_indented_json(run_result: RunResult, tmp_path: Path) -> None:
    out_dir = write_run(run_result, tmp_path / "run")
    text = (out_dir / MANIFEST_FILE).read_text(encoding="utf-8")
    assert text == json.dumps(run_result.manifest, indent=2, sort_keys=True) + "\n"


def test_every_parquet_file_carries_the_metadata(run_result: RunResult, tmp_path: Path) -> None:
    out_dir = write_run(run_result, tmp_path / "run")
    for stem in TABLES:
        path = out_dir / f"{stem}.parquet"
        raw = pq.read_schema(path).metadata
        assert {b"cssim.scenario", b"cssim.seed", b"cssim.version", b"pandas"} <= set(raw)
        assert read_metadata(path) == {key: run_result.manifest[key]
                                       for key in ("scenario", "seed", "version")}
        assert read_metadata(path)["seed"] == 7


def test_empty_tables_round_trip(run_result: RunResult, tmp_path: Path) -> None:
    empty_events = run_result.events.iloc[0:0]
    result = dataclasses.replace(run_result, events=empty_events)
    tables = read_run(write_run(result, tmp_path / "run"))
    assert tables["events"].empty
    assert list(tables["events"].columns) == list(empty_events.columns)


def test_numpy_values_in_the_manifest(run_result: RunResult, tmp_path: Path) -> None:
    manifest = {**run_result.manifest, "seed": np.int64(3), "horizon": np.float64(6.0)}
    out_dir = write_run(dataclasses.replace(run_result, manifest=manifest), tmp_path / "run")
    assert read_manifest(out_dir)["seed"] == 3
    assert read_metadata(out_dir / "summary.parquet")["seed"] == 3


def test_manifest_without_required_keys_writes_nothing(run_result: RunResult,
                                                       tmp_path: Path) -> None:
    manifest = {key: value for key, value in run_result.manifest.items() if key != "seed"}
    with pytest.raises(ValueError, match=r"manifest is missing \['seed'\]"):
        write_run(dataclasses.replace(run_result, manifest=manifest), tmp_path / "a" / "run")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()],
                         ids=["oserror", "ctrl-c"])
def test_failure_midway_leaves_nothing(run_result: RunResult, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       error: BaseException) -> None:
    fail_on_call(monkeypatch, 3, error)
    with pytest.raises(type(error)):
        write_run(run_result, tmp_path / "results" / "base" / "seed-7")
    assert list(tmp_path.iterdir()) == []  # no run, no temporary folder, no parents


def test_existing_run_replaced_only_on_success(run_result_factory: Callable[..., RunResult],
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out_dir = tmp_path / "seed-1"
    write_run(run_result_factory(seed=1), out_dir)
    with monkeypatch.context() as patch:
        fail_on_call(patch, 3, OSError("disk full"))
        with pytest.raises(OSError, match="disk full"):
            write_run(run_result_factory(seed=2), out_dir)
    assert read_manifest(out_dir)["seed"] == 1
    assert sorted(path.name for path in out_dir.iterdir()) == EXPECTED_FILES
    write_run(run_result_factory(seed=2), out_dir)
    assert read_manifest(out_dir)["seed"] == 2
    assert read_metadata(out_dir / "events.parquet")["seed"] == 2
    assert [path.name for path in tmp_path.iterdir()] == ["seed-1"]


def test_failed_final_rename_restores_the_previous_run(  # without an atomic exchange
        run_result_factory: Callable[..., RunResult], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out_dir = tmp_path / "run"
    write_run(run_result_factory(seed=1), out_dir)
    real_replace = os.replace
    calls = []

    def replace(source: object, target: object) -> None:
        calls.append((source, target))
        if len(calls) == 2:  # the staging folder onto the target
            raise OSError("rename failed")
        real_replace(source, target)

    monkeypatch.setattr(sim.outputs.atomic, "rename_exchange", lambda first, second: False)
    monkeypatch.setattr(sim.outputs.io.os, "replace", replace)
    with pytest.raises(OSError, match="rename failed"):
        write_run(run_result_factory(seed=2), out_dir)
    monkeypatch.undo()
    assert read_manifest(out_dir)["seed"] == 1
    assert [path.name for path in tmp_path.iterdir()] == ["run"]


def test_refuses_to_replace_a_folder_of_other_files(run_result: RunResult,
                                                    tmp_path: Path) -> None:
    out_dir = tmp_path / "documents"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"notes\.txt.*not replacing it"):
        write_run(run_result, out_dir)
    assert [path.name for path in out_dir.iterdir()] == ["notes.txt"]
    assert [path.name for path in tmp_path.iterdir()] == ["documents"]


def test_refuses_a_file_as_out_dir(run_result: RunResult, tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not a directory"):
        write_run(run_result, target)
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_empty_existing_folder_is_used(run_result: RunResult, tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    out_dir = write_run(run_result, tmp_path / "run")
    assert sorted(path.name for path in out_dir.iterdir()) == EXPECTED_FILES


def test_relative_out_dir(run_result: RunResult, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out_dir = write_run(run_result, Path("results/base/seed-7"))
    assert out_dir == tmp_path / "results" / "base" / "seed-7"
    assert out_dir.is_dir()


def test_read_metadata_of_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), path)
    with pytest.raises(ValueError, match="not a run output file"):
        read_metadata(path)


def test_a_run_folder_holding_its_report_and_exports_can_be_replaced(tmp_path: Path) -> None:
    """The report, workbook and CSV folder cssim derived from a run are its outputs too."""
    from sim import load_scenario, run
    from sim.outputs.io import check_replaceable, write_run
    from sim.report_html import write_report
    from sim.report_html.export import export

    out = tmp_path / "run"
    write_run(run(load_scenario("scenarios/stage1_startup.yaml"), 1), out)
    write_report(out)
    export(out, "xlsx")
    export(out, "csv")
    check_replaceable(out)  # nothing foreign
    (out / "notes.html").write_text("<html>my own notes</html>", encoding="utf-8")
    (out / "csv" / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"\(csv, notes.html\)"):
        check_replaceable(out)
