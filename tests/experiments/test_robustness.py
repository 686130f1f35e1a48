"""Robustness across uncertainty, and what sensitivity and robustness studies share: the CLI,
identical results on every backend, resuming."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from study_support import ISHIGAMI_PATHS, ISHIGAMI_RANGE, ishigami_engine, winner_engine
from sweep_support import fast, write_scenario

from sim.cli import main
from sim.experiments.robustness import best_split
from sim.experiments.studies import robustness, sensitivity
from sim.scenario.schema import Scenario, parse_scenario

UNCERTAIN = {"staff.productivity_loss": [0.2, 1.0]}


def _strategy(base_scenario: dict, name: str) -> Scenario:
    return parse_scenario({**base_scenario, "name": name, "horizon_months": 1})


@pytest.fixture
def strategies(base_scenario: dict) -> list[Scenario]:
    return [_strategy(base_scenario, name) for name in ("a", "b", "c")]


def test_robustness_recovers_where_a_strategy_wins(strategies: list[Scenario]) -> None:
    # a scores the productivity loss x ~ U(0.2, 1), b 0.5, c 0.4: a is best exactly for x > 0.5.
    # The 40 Latin-hypercube strata of 0.02 put exactly 25 points above 0.5.
    result = robustness(strategies, UNCERTAIN, samples=40, replications=2, jobs=1,
                        engine=winner_engine)
    summary = result.summary.set_index("strategy")
    assert summary["wins"].to_dict() == {"a": 25, "b": 15, "c": 0}
    # The wobble is common to the strategies (same seeds): every lead is exact, hence clear.
    assert summary["clear_wins"].to_dict() == {"a": 25, "b": 15, "c": 0}
    assert summary.loc["a", "share_best"] == pytest.approx(25 / 40)
    low, high = summary.loc["a", ["share_ci_low", "share_ci_high"]]
    assert low < 25 / 40 < high
    # Regret of a: 0.5 - x below 0.5, mean (0.3^2 / 2) / 0.8, worst 0.3 at x = 0.2; of b:
    # x - 0.5 above, mean (0.5^2 / 2) / 0.8, worst 0.5; of c: max(x, 0.5) - 0.4.
    # One point per 0.02 stratum: the means are within ~0.02^2, the worst within one stratum.
    assert summary.loc["a", "mean_regret"] == pytest.approx(0.045 / 0.8, abs=0.002)
    assert summary.loc["b", "mean_regret"] == pytest.approx(0.125 / 0.8, abs=0.002)
    assert summary.loc["c", "mean_regret"] == pytest.approx((0.15 + 0.375) / 0.8 - 0.4,
                                                            abs=0.002)
    assert 0.28 <= summary.loc["a", "worst_regret"] <= 0.3
    assert 0.48 <= summary.loc["b", "worst_regret"] <= 0.5
    flips = result.flips.set_index("strategy")
    rule = flips.loc["a"]
    assert rule["parameter"] == "staff.productivity_loss"
    assert abs(rule["threshold"] - 0.5) < 0.02
    assert (rule["share_best_below"], rule["share_best_above"], rule["accuracy"]) == (0, 1, 1)
    assert flips.loc["b", "threshold"] == rule["threshold"]
    assert flips.loc["c", "parameter"] == ""  # never best: nothing flips
    best = result.points.set_index("point")
    assert ((best["staff.productivity_loss"] > 0.5) == (best["best"] == "a")).all()


def test_minimising_turns_the_ranking_round(strategies: list[Scenario]) -> None:
    result = robustness(strategies, UNCERTAIN, kpi="grr", maximise=False, samples=40,
                        replications=1, jobs=1, engine=winner_engine)
    wins = result.summary.set_index("strategy")["wins"].to_dict()
    assert wins == {"a": 10, "b": 0, "c": 30}  # c's 0.4 is lowest unless x < 0.4 (10 points)
    assert (result.summary["clear_wins"] == 0).all()  # one replicate: noise not measurable
    rule = result.flips.set_index("strategy").loc["a"]
    assert abs(rule["threshold"] - 0.4) < 0.02 and rule["share_best_below"] == 1


def test_a_lead_within_the_noise_is_not_a_clear_win(base_scenario: dict) -> None:
    # All strategies score 0.5 plus noise independent between them: some strategy is best at
    # every point, but its lead over the runner-up is noise. A 95% paired interval excludes 0 by
    # chance at ~5% of the 20 points (at least 5 of 20: probability 3e-4). (Picking the best of
    # three and the runner-up makes the pair less alike than two random ones; the bound holds.)
    tied = [parse_scenario({**base_scenario, "name": name, "description": "tie",
                            "horizon_months": 1}) for name in ("a", "b", "c")]
    result = robustness(tied, UNCERTAIN, samples=20, replications=4, jobs=1,
                        engine=winner_engine)
    assert result.summary["wins"].sum() == 20
    assert result.summary["clear_wins"].sum() <= 4


def test_best_split_prefers_the_parameter_that_separates() -> None:
    rng = np.random.default_rng(0)
    values = pd.DataFrame({"noise": rng.uniform(size=60), "signal": rng.uniform(size=60)})
    labels = (values["signal"] < 0.3).to_numpy()
    rule = best_split(values, labels)
    assert rule["parameter"] == "signal" and rule["accuracy"] == 1
    assert rule["share_best_below"] == 1 and rule["share_best_above"] == 0


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _noisy(base_scenario: dict) -> Scenario:
    return parse_scenario({**base_scenario, "description": "0.5", "horizon_months": 1})


def test_results_are_identical_on_one_two_processes_and_dask(
        base_scenario: dict, strategies: list[Scenario], dask_scheduler: str) -> None:
    params = {path: ISHIGAMI_RANGE for path in ISHIGAMI_PATHS}
    backends = ({"jobs": 1}, {"jobs": 2}, {"scheduler": dask_scheduler})
    studies = [sensitivity(_noisy(base_scenario), params, samples=3, replications=2,
                           engine=ishigami_engine, **where) for where in backends]
    for study in studies[1:]:
        for name in ("indices", "tornado", "noise", "points"):
            pd.testing.assert_frame_equal(getattr(study, name), getattr(studies[0], name))
    robust = [robustness(strategies, UNCERTAIN, samples=6, replications=2,
                         engine=winner_engine, **where) for where in backends]
    for study in robust[1:]:
        pd.testing.assert_frame_equal(study.summary, robust[0].summary)
        pd.testing.assert_frame_equal(study.points, robust[0].points)


def test_a_study_resumes_where_it_stopped(base_scenario: dict, tmp_path: Path) -> None:
    params = {path: ISHIGAMI_RANGE for path in ISHIGAMI_PATHS}
    out = tmp_path / "study"
    whole = sensitivity(_noisy(base_scenario), params, samples=3, replications=2, jobs=1,
                        engine=ishigami_engine, out=out)
    parts = sorted((out / "replicates").glob("plan=*/part-*.parquet"))
    for part in parts[::2]:  # as if killed: half the batches never stored
        part.unlink()
    resumed = sensitivity(_noisy(base_scenario), params, samples=3, replications=2, jobs=1,
                          engine=ishigami_engine, out=out)
    pd.testing.assert_frame_equal(resumed.indices, whole.indices)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indices.parquet"), whole.indices)


def test_cli_sensitivity_versus_writes_its_tables(base_scenario: dict, tmp_path: Path) -> None:
    first = write_scenario(fast(base_scenario), tmp_path / "first.yaml")
    other = fast(base_scenario)
    # a second CSM: more accounts touched, so the difference in customers varies by replicate
    other["pools"][0]["headcount"] = 2
    second = write_scenario(other, tmp_path / "second.yaml")
    params = tmp_path / "params.yaml"
    params.write_text("service_effects.under_service: null\nhiring.ramp_days: [30, 120]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sensitivity", str(first), "--versus", str(second),
                                       "--params", str(params), "--samples", "2",
                                       "--kpi", "customers_end", "--kpi", "total_cost",
                                       "--replications", "2", "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "morris sensitivity of" in result.output and "minus" in result.output
    assert "Replicate noise" in result.output
    for name in ("indices", "tornado", "noise", "points"):
        assert (out / f"{name}.parquet").exists()
    indices = pd.read_parquet(out / "indices.parquet")
    assert set(indices["kpi"]) == {"customers_end", "total_cost"} and len(indices) == 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sensitivity" and manifest["sensitivity"]["versus"] == "fast"
    # total cost: the second scenario has one more support engineer all along, so the paired
    # difference first - second is negative at every point.
    assert (pd.read_parquet(out / "points.parquet")["total_cost"] < 0).all()


def test_cli_sobol_prints_first_and_total_order(base_scenario: dict, tmp_path: Path) -> None:
    scenario = write_scenario(fast(base_scenario), tmp_path / "fast.yaml")
    params = tmp_path / "params.yaml"
    params.write_text("hiring.ramp_days: null\npools.support.headcount: [1, 3]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sensitivity", str(scenario), "--params", str(params),
                                       "--method", "sobol", "--samples", "2", "--kpi",
                                       "total_cost", "--replications", "1", "--jobs", "1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "S1" in result.output and "ST" in result.output
    assert "replicate noise not measured" in result.output
    points = pd.read_parquet(out / "points.parquet")
    assert len(points) == 2 * (2 + 2)  # Saltelli: N (k + 2)
    assert set(points["pools.support.headcount"]) <= {1, 2, 3}  # an integer field


def test_cli_lists_the_parameters_with_their_ranges(base_scenario: dict,
                                                   tmp_path: Path) -> None:
    first = write_scenario(fast(base_scenario), tmp_path / "first.yaml")
    result = CliRunner().invoke(main, ["sensitivity", str(first), "--list-params"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()[1:]}
    assert lines["hiring.ramp_days"][1:5] == ["45", "-", "180", "90"]
    assert lines["tiers.mid.tickets_per_month"][1:4] == ["0.25", "-", "1"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--uncertain", "{params}", "--samples", "1"], "Invalid value for '--samples'"),
    (["--maximise", "grr"], "--samples, --maximise and --minimise need --uncertain FILE"),
    (["--samples", "5"], "--samples, --maximise and --minimise need --uncertain FILE"),
    (["--uncertain", "{params}", "--maximise", "grr", "--minimise", "grr"], "give one"),
    (["--uncertain", "{params}", "--minimise", "nope"], "objective KPI 'nope'"),
    (["--uncertain", "{missing}"], "missing.yaml: cannot read file"),
])
def test_cli_compare_uncertain_rejects_bad_input_in_one_line(
        base_scenario: dict, tmp_path: Path, arguments: list[str], message: str) -> None:
    first = write_scenario(fast(base_scenario), tmp_path / "first.yaml")
    params = tmp_path / "params.yaml"
    params.write_text("staff.productivity_loss: null\n", encoding="utf-8")
    out = tmp_path / "out"
    filled = [item.format(params=params, missing=tmp_path / "missing.yaml")
              for item in arguments]
    result = CliRunner().invoke(main, ["compare", str(first), str(first), *filled,
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_cli_compare_uncertain_reports_every_strategy(base_scenario: dict,
                                                      tmp_path: Path) -> None:
    first = write_scenario(fast(base_scenario), tmp_path / "first.yaml")
    other = fast(base_scenario)
    other["pools"][0]["headcount"] = 3
    second = write_scenario(other, tmp_path / "second.yaml")
    params = tmp_path / "params.yaml"
    params.write_text("staff.productivity_loss: null\nhiring.ramp_days: null\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(first), str(second), "--uncertain",
                                       str(params), "--samples", "3", "--minimise",
                                       "total_cost", "--replications", "1", "--jobs", "1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Robustness over 3 Latin-hypercube points (minimise total_cost" in result.output
    summary = pd.read_parquet(out / "robustness.parquet").set_index("strategy")
    # Two more CSMs cost more at every point: the first strategy is always the cheaper.
    assert summary["wins"].to_dict() == {"first": 3, "second": 0}
    assert summary.loc["second", "worst_regret"] > 0
