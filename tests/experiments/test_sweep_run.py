"""Running sweeps: common random numbers, identical results on every backend, failures, resume."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from sweep_support import BROKEN, FLAKY, fast, flaky_engine, sorted_frame

from sim.experiments import (
    Precision,
    analyse,
    kpi_summary,
    parse_requirement,
    read_replicates,
    read_timeseries,
    sweep,
)
from sim.experiments.display import print_analysis
from sim.experiments.kpis import RECORDED_KPIS
from sim.experiments.seeding import replicate_seed
from sim.experiments.store import FAILURES, MANIFEST, PLANS, read_batch_metadata
from sim.model import run
from sim.scenario.schema import Scenario, parse_scenario

VARY = ["pools.csm_mid.headcount=1,2"]


@pytest.fixture(scope="module")
def scenario(scenario_factory: Callable[[], dict]) -> Scenario:
    return parse_scenario(fast(scenario_factory()))


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _dataset(root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (sorted_frame(read_replicates(root), ["plan", "replicate"]),
            sorted_frame(read_timeseries(root), ["plan", "replicate", "period"]))


def test_replicate_r_of_every_plan_uses_the_same_seed(scenario: Scenario,
                                                      tmp_path: Path) -> None:
    replicates = sweep(scenario, 4, plans={"same": {}, "again": {}, "other": {
        "pools.csm_mid.headcount": 3}}, jobs=1, out=tmp_path / "crn")
    by_plan = {plan: group.drop(columns="plan").reset_index(drop=True)
               for plan, group in replicates.groupby("plan")}
    assert by_plan["same"]["seed"].tolist() == [replicate_seed(0, r) for r in range(4)]
    assert by_plan["other"]["seed"].tolist() == by_plan["same"]["seed"].tolist()
    pd.testing.assert_frame_equal(by_plan["same"], by_plan["again"])  # identical plans
    assert not by_plan["same"].equals(by_plan["other"])


def test_a_replicate_is_the_run_of_its_seed(scenario: Scenario, tmp_path: Path) -> None:
    """``cssim run SCENARIO --seed <seed of replicate r>`` gives the replicate's KPIs."""
    out = tmp_path / "alone"
    replicates = sweep(scenario, 3, seed=5, jobs=1, out=out)
    row = replicates.set_index("replicate").loc[2]
    result = run(scenario, replicate_seed(5, 2))
    summary = result.summary.iloc[0]
    for name, column in RECORDED_KPIS.items():
        assert row[name] == pytest.approx(float(summary[column]), nan_ok=True), name
    periods = read_timeseries(out).query("replicate == 2").reset_index(drop=True)
    everyone = result.timeseries[result.timeseries["tier"] == "all"].reset_index(drop=True)
    assert periods["arr"].tolist() == everyone["arr"].astype(float).tolist()
    headcount = result.workforce.groupby("period")["headcount"].sum()
    assert periods["headcount"].tolist() == headcount.astype(float).tolist()


def test_local_processes_and_dask_give_identical_datasets(scenario: Scenario, tmp_path: Path,
                                                          dask_scheduler: str) -> None:
    runs = {"one": {"jobs": 1}, "two": {"jobs": 2, "batch_size": 1},
            "dask": {"scheduler": dask_scheduler, "batch_size": 3}}
    datasets = {}
    for name, options in runs.items():
        sweep(scenario, 5, vary=VARY, out=tmp_path / name, **options)
        datasets[name] = _dataset(tmp_path / name)
    replicates, timeseries = datasets["one"]
    assert len(replicates) == 10 and (replicates["status"] == "ok").all()
    assert len(timeseries) == 10 * 3  # three monthly periods per replicate
    for name in ("two", "dask"):
        pd.testing.assert_frame_equal(datasets[name][0], replicates)
        pd.testing.assert_frame_equal(datasets[name][1], timeseries)
    # Batching differs (files), contents do not.
    files = {name: sorted(p.name for p in (tmp_path / name / "replicates").rglob("*.parquet"))
             for name in runs}
    assert len(files["two"]) == 10 and len(files["one"]) < 10


def test_every_batch_file_names_its_sweep(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "named"
    sweep(scenario, 2, vary=VARY, out=out, jobs=1)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    files = sorted(out.rglob("part-*.parquet"))
    assert len(files) >= 4  # replicates and timeseries of two plans
    for path in files:
        metadata = read_batch_metadata(path)
        assert metadata == {"kind": "sweep", "definition": manifest["definition"],
                            "base_seed": str(manifest["base_seed"]),
                            "version": manifest["version"],
                            "scenario_name": scenario.name,
                            "plan": path.parent.name.removeprefix("plan=")}


def test_failing_replicates_are_recorded_and_the_sweep_goes_on(scenario: Scenario,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "flaky"
    replicates = sweep(scenario, 6, plans={"steady": {}, "shaky": {"description": FLAKY}},
                       jobs=2, batch_size=2, engine=flaky_engine, out=out)
    status = replicates.set_index(["plan", "replicate"])["status"]
    assert (status["steady"] == "ok").all()
    assert status["shaky"].to_dict() == {r: "failed" if r % 2 else "ok" for r in range(6)}
    failures = pd.read_parquet(out / FAILURES)
    assert failures[["plan", "replicate"]].values.tolist() == [["shaky", 1], ["shaky", 3],
                                                              ["shaky", 5]]
    assert failures["error"].str.startswith("RuntimeError: injected failure").all()
    assert failures["traceback"].str.contains("flaky_engine").all()
    timeseries = read_timeseries(out)
    assert sorted(set(timeseries.loc[timeseries["plan"] == "shaky", "replicate"])) == [0, 2, 4]
    # The failed replicates are done: a re-run does not repeat them (sim.run would not fail).
    again = sweep(scenario, 6, plans={"steady": {}, "shaky": {"description": FLAKY}},
                  jobs=1, out=out)
    pd.testing.assert_frame_equal(again, replicates)


def test_a_figure_on_fewer_replicates_than_its_column_shows_its_n(scenario: Scenario,
                                                                  tmp_path: Path) -> None:
    """The baseline fails on odd replicates: the other plan's column has 4, its Δ only 2 pairs."""
    out = tmp_path / "fewer"
    sweep(scenario, 4, plans={"shaky": {"description": FLAKY}, "steady": {}}, jobs=1,
          engine=flaky_engine, out=out)
    analysis = analyse(out, kpis=["arr_end"])
    assert analysis.differences["n"].tolist() == [2]
    console = Console(width=120, record=True, file=io.StringIO())
    print_analysis(analysis, console)
    lines = console.export_text().splitlines()
    assert "n = 4 replicates per plan unless shown" in [line.strip() for line in lines]
    shaky = next(line for line in lines if line.strip().startswith("shaky") and "$" in line)
    assert shaky.split()[:2] == ["shaky", "(n=2)"] and "baseline" in shaky
    steady = next(line for line in lines if line.strip().startswith("steady") and "$" in line)
    mean, difference = steady.split("$", 1)[1].split("  ", 1)
    assert "(n=" not in mean and "(n=2)" in difference


def test_a_plan_that_always_fails_is_reported_not_fatal(scenario: Scenario,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "broken"
    sweep(scenario, 3, plans={"steady": {}, "broken": {"description": BROKEN}}, jobs=1,
          engine=flaky_engine, out=out)
    analysis = analyse(out, requirements=[parse_requirement("backlog_weeks_max<=6")])
    broken = analysis.stats[analysis.stats["plan"] == "broken"]
    assert (broken["n"] == 0).all() and broken["mean"].isna().all()
    assert analysis.counts.set_index("plan")["failed"].to_dict() == {"steady": 0, "broken": 3}
    console = Console(width=120, record=True, file=io.StringIO())
    print_analysis(analysis, console)
    assert "3 of 6 replicates failed" in console.export_text()


def test_target_precision_adds_replicates_until_reached(scenario: Scenario,
                                                        tmp_path: Path) -> None:
    precision = Precision(target=0.03, kpi="total_cost", max_replications=80)
    replicates = sweep(scenario, 3, vary=VARY, jobs=1, precision=precision,
                       out=tmp_path / "precise")
    counts = replicates.groupby("plan").size()
    assert (counts == counts.iloc[0]).all() and counts.iloc[0] > 3
    summary = kpi_summary(replicates, ["total_cost"])
    assert (summary["relative_half_width"] <= 0.03).all()
    manifest = json.loads((tmp_path / "precise" / MANIFEST).read_text())
    assert manifest["replications"] == counts.iloc[0] < 80


def test_rerun_extends_and_skips_what_is_done(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "grow"
    sweep(scenario, 4, vary=VARY, jobs=1, batch_size=2, out=out)
    first = {path: path.stat().st_mtime_ns for path in (out / "replicates").rglob("*.parquet")}
    replicates = sweep(scenario, 6, vary=VARY, jobs=1, batch_size=2, out=out)
    assert replicates.groupby("plan")["replicate"].apply(list).tolist() == [list(range(6))] * 2
    for path, stamp in first.items():
        assert path.stat().st_mtime_ns == stamp  # completed batches are not rewritten
    fresh = sweep(scenario, 6, vary=VARY, jobs=1, out=tmp_path / "fresh")
    pd.testing.assert_frame_equal(replicates, fresh)


def test_leftovers_of_a_kill_are_tidied_on_reopen(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "left"
    sweep(scenario, 2, vary=VARY, jobs=1, batch_size=1, out=out)
    (out / "replicates" / "plan=p01" / "part-0000001-0000001.parquet").unlink()
    orphan = out / "timeseries" / "plan=p01" / "part-0000001-0000001.parquet"
    temporary = out / "replicates" / "plan=p02" / ".part-0000009-0000009.parquet.tmp-abcd"
    temporary.write_bytes(b"half a file")
    assert orphan.exists()
    sweep(scenario, 2, vary=VARY, jobs=1, batch_size=1, out=out)
    assert not temporary.exists()
    replicates, timeseries = _dataset(out)
    assert len(replicates) == 4 and not timeseries.duplicated(["plan", "replicate",
                                                               "period"]).any()


def test_a_directory_of_another_sweep_is_refused(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "taken"
    sweep(scenario, 2, vary=VARY, jobs=1, out=out)
    with pytest.raises(FileExistsError, match="holds a different sweep"):
        sweep(scenario, 2, vary=["pools.csm_mid.headcount=1,3"], jobs=1, out=out)
    with pytest.raises(FileExistsError, match="holds a different sweep"):
        sweep(scenario, 2, vary=VARY, seed=1, jobs=1, out=out)
    replaced = sweep(scenario, 2, vary=["pools.csm_mid.headcount=1,3"], jobs=1, out=out,
                     overwrite=True)
    assert len(replaced) == 4
    plans = pd.read_parquet(out / PLANS)
    assert plans["pools.csm_mid.headcount"].tolist() == [1, 3]
    assert plans["overrides"].tolist() == ['{"pools.csm_mid.headcount": 1}',
                                           '{"pools.csm_mid.headcount": 3}']


def test_a_folder_of_other_files_is_never_written(scenario: Scenario, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not a sweep directory"):
        sweep(scenario, 2, jobs=1, out=tmp_path, overwrite=True)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
