"""The ``cssim`` commands: output, exit codes and nothing half-written on failure."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.outputs.io
from sim.cli import main
from sim.outputs.io import read_manifest
from sim.outputs.results import RunResult


@pytest.fixture
def scenario_file(base_scenario: dict, write_yaml: Callable) -> Path:
    return write_yaml(base_scenario, "base.yaml")


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch,
                run_result_factory: Callable[..., RunResult]) -> list[tuple[str, int]]:
    """Replace ``sim.model`` by a stub whose ``run`` returns a tiny result; record the calls."""
    calls: list[tuple[str, int]] = []

    def run(scenario: object, seed: int) -> RunResult:
        calls.append((scenario.name, seed))
        return run_result_factory(name=scenario.name, seed=seed)

    monkeypatch.setitem(sys.modules, "sim.model", types.SimpleNamespace(run=run))
    return calls


def failing_engine(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def run(scenario: object, seed: int) -> RunResult:
        raise error

    monkeypatch.setitem(sys.modules, "sim.model", types.SimpleNamespace(run=run))


def test_schema_prints_json() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"tiers", "pools", "growth", "horizon_months"} <= set(schema["properties"])


def test_run_writes_to_the_default_folder(scenario_file: Path, fake_engine: list,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert fake_engine == [("base", 3)]
    out_dir = tmp_path / "results" / "base" / "seed-3"
    assert read_manifest(out_dir)["seed"] == 3
    assert "Run summary: base, seed 3" in result.stdout
    assert result.stdout.rstrip().endswith(f"wrote {out_dir}")
    assert "\x1b[" not in result.stdout
    assert result.stderr == ""


def test_run_with_out(scenario_file: Path, fake_engine: list, tmp_path: Path) -> None:
    out_dir = tmp_path / "elsewhere"
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert fake_engine == [("base", 0)]
    assert (out_dir / "summary.parquet").is_file()


def test_negative_seed_is_a_usage_error(scenario_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--seed", "-1",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("error", "code", "message"), [
    (ValueError("seed too large"), 2, "error: seed too large"),
    (OSError("disk on fire"), 2, "error: disk on fire"),
    (RuntimeError("boom"), 1, "error: unexpected RuntimeError: boom (rerun with --debug"),
    (KeyboardInterrupt(), 130, "error: interrupted"),
], ids=["value-error", "os-error", "unexpected", "ctrl-c"])
def test_engine_failure(scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        error: BaseException, code: int, message: str) -> None:
    failing_engine(monkeypatch, error)
    out_dir = tmp_path / "out" / "seed-0"
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--out", str(out_dir)])
    assert result.exit_code == code
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message)
    assert not (tmp_path / "out").exists()


def test_debug_traceback_for_unexpected_error(scenario_file: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    failing_engine(monkeypatch, RuntimeError("boom"))
    result = CliRunner().invoke(main, ["--debug", "run", str(scenario_file),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.splitlines()[-1] == "error: unexpected RuntimeError: boom"


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError("disk full")],
                         ids=["ctrl-c", "disk-full"])
def test_failure_while_writing_leaves_nothing(scenario_file: Path, fake_engine: list,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              error: BaseException) -> None:
    real_write = sim.outputs.io._write_table
    calls = []

    def write(*args: object) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise error
        real_write(*args)

    monkeypatch.setattr(sim.outputs.io, "_write_table", write)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", str(scenario_file)])
    assert result.exit_code == (130 if isinstance(error, KeyboardInterrupt) else 2)
    assert len(result.stderr.splitlines()) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["base.yaml"]


def test_missing_engine(scenario_file: Path, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sim.model", None)
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the simulation engine sim.model cannot be imported")
    assert not (tmp_path / "o").exists()


def test_out_dir_holding_other_files_is_refused(scenario_file: Path, fake_engine: list,
                                                tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not replacing it" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["base.yaml"]


def test_run_with_the_engine(scenario_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("sim.model")
    out_dir = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(scenario_file), "--seed", "1",
                                       "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert read_manifest(out_dir)["seed"] == 1
    assert "GRR, last 12 months" in result.stdout
