"""``cssim sweep``: bad input is one line and exit 2 with nothing written; the dataset layout."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sweep_support import fast, write_scenario

from sim.cli import main
from sim.experiments import read_replicates

VARY = ["--vary", "pools.csm_mid.headcount=1,2"]


@pytest.fixture
def scenario_file(scenario_factory: Callable[[], dict], tmp_path: Path) -> Path:
    return write_scenario(fast(scenario_factory()), tmp_path / "fast.yaml")


def _sweep(*arguments: str) -> object:
    return CliRunner().invoke(main, ["sweep", *arguments])


@pytest.mark.parametrize(("arguments", "message"), [
    (["--vary", "pools.ghost.headcount=1,2"],
     "error: --vary: pools.ghost.headcount = '1,2': pools has no item named 'ghost' "
     "(names: csm_mid, implementation, support; or use an index)"),
    (["--vary", "pools.9.headcount=1"],
     "error: --vary: pools.9.headcount = '1': pools has 3 items; index 9 is out of range"),
    (["--vary", "hiring.lead_time=30,60"],
     "error: --vary: hiring.lead_time = '30,60': hiring has no field 'lead_time'"),
    (["--vary", "pools.csm_mid.headcount=2,-1"],
     "error: --vary: plan p02 (pools.csm_mid.headcount=-1): pools[0].headcount = -1: "
     "Input should be greater than or equal to 0"),
    (["--vary", "hiring.lead_time_days=30,soon"],
     "error: --vary: plan p02 (hiring.lead_time_days=\"soon\"): hiring.lead_time_days = "
     "'soon': Input should be a valid number"),
    (["--vary", "pools.csm_mid.headcount=1:3"],
     "error: --vary: pools.csm_mid.headcount = 1:3: a LOW:HIGH range needs --design lhs"),
    ([*VARY, "--require", "backlog<=6"], "error: --require 'backlog<=6': unknown KPI 'backlog'"),
    ([*VARY, "--baseline", "p07"], "error: --baseline = 'p07': not a plan of the sweep"),
    ([*VARY, "--target-precision", "0.1", "--precision-kpi", "arr"],
     "error: --precision-kpi: unknown KPI 'arr'"),
])
def test_invalid_sweeps_fail_in_one_line_before_anything_is_written(
        scenario_file: Path, tmp_path: Path, arguments: list[str], message: str) -> None:
    out = tmp_path / "never"
    result = _sweep(str(scenario_file), "--jobs", "1", "--out", str(out), *arguments)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one line
    assert result.stderr.strip().startswith(message)
    assert not out.exists()


def test_an_invalid_plans_file_names_the_plan_path_and_value(scenario_file: Path,
                                                             tmp_path: Path) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text("ok: {}\nbad:\n  pools.support.skill: T9\n", encoding="utf-8")
    result = _sweep(str(scenario_file), "--plans", str(plans), "--out", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(
        f"error: {plans}: plan bad (pools.support.skill=\"T9\"): pools[2].skill = 'T9': "
        "Input should be 'T1', 'T2' or 'T3'")
    assert not (tmp_path / "x").exists()


def test_sweep_writes_the_dataset_and_prints_the_tables(scenario_file: Path,
                                                        tmp_path: Path) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text("lean: {}\nstaffed:\n  pools.implementation.headcount: 2\n",
                     encoding="utf-8")
    out = tmp_path / "sweep"
    result = _sweep(str(scenario_file), "--plans", str(plans), "--replications", "4",
                    "--jobs", "1", "--out", str(out), "--require", "backlog_weeks_max<=6",
                    "--require", "cs_cost_pct_arr<=40", "--baseline", "staffed")
    assert result.exit_code == 0, result.output
    for text in ("pools.implementation.headcount=2", "Δ = paired difference vs staffed",
                 "backlog_weeks_max<=6 and cs_cost_pct_arr<=40", f"wrote {out.resolve()}"):
        assert text in result.stdout
    assert sorted(path.name for path in out.iterdir()) == [
        "comparison.parquet", "differences.parquet", "failures.parquet", "manifest.json",
        "plans.parquet", "replicates", "requirements.parquet", "stats.parquet", "timeseries"]
    assert sorted(path.name for path in (out / "replicates").iterdir()) == [
        "plan=lean", "plan=staffed"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"scenario", "base_seed", "version", "command", "replications", "plans",
            "definition"} <= set(manifest)
    assert (manifest["replications"], manifest["plans"]) == (4, ["lean", "staffed"])
    differences = pd.read_parquet(out / "differences.parquet")
    assert set(differences["plan"]) == {"lean"}
    assert set(differences["baseline"]) == {"staffed"}


def test_the_default_directory_is_found_again_by_the_same_command(
        scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = [str(scenario_file), *VARY, "--replications", "2", "--jobs", "1"]
    first = _sweep(*arguments)
    assert first.exit_code == 0, first.output
    folders = list((tmp_path / "results" / "fast").glob("sweep-*"))
    assert len(folders) == 1
    again = _sweep(*arguments[:-4], "--replications", "3", "--jobs", "1")
    assert again.exit_code == 0, again.output
    assert list((tmp_path / "results" / "fast").glob("sweep-*")) == folders
    assert len(read_replicates(folders[0])) == 6


def test_another_sweep_in_the_same_directory_needs_overwrite(scenario_file: Path,
                                                             tmp_path: Path) -> None:
    out = str(tmp_path / "shared")
    assert _sweep(str(scenario_file), *VARY, "--replications", "2", "--jobs", "1",
                  "--out", out).exit_code == 0
    other = [str(scenario_file), "--vary", "pools.csm_mid.headcount=1,3", "--replications", "2",
             "--jobs", "1", "--out", out]
    refused = _sweep(*other)
    assert refused.exit_code == 2
    assert "holds a different sweep" in refused.stderr and "--overwrite" in refused.stderr
    assert _sweep(*other, "--overwrite").exit_code == 0


def test_the_precision_cap_is_reported_when_reached(scenario_file: Path, tmp_path: Path) -> None:
    result = _sweep(str(scenario_file), *VARY, "--jobs", "1", "--out", str(tmp_path / "cap"),
                    "--replications", "3", "--target-precision", "0.000001",
                    "--precision-kpi", "arr_end", "--max-replications", "6")
    assert result.exit_code == 0, result.output
    assert "precision: stopped at 6 replicates per plan (cap 6) without reaching" in result.stdout
    precision = pd.read_parquet(tmp_path / "cap" / "precision.parquet")
    assert not precision["converged"].any()


def test_the_dataset_reads_with_duckdb(scenario_file: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "duck"
    assert _sweep(str(scenario_file), *VARY, "--replications", "3", "--jobs", "1",
                  "--out", str(out)).exit_code == 0
    rows = duckdb.sql(
        f"SELECT plan, count(*) AS n, avg(arr_end) AS arr_end "
        f"FROM read_parquet('{out}/replicates/*/*.parquet', hive_partitioning = true) "
        "WHERE status = 'ok' GROUP BY plan ORDER BY plan").fetchall()
    expected = read_replicates(out).groupby("plan")["arr_end"].agg(["size", "mean"])
    assert [(plan, n) for plan, n, _ in rows] == [("p01", 3), ("p02", 3)]
    assert [mean for _, _, mean in rows] == pytest.approx(expected["mean"].tolist())
