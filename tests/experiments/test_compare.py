"""``cssim compare`` and ``sim.compare``: strategies side by side on the same seeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sweep_support import fast, write_scenario

from sim import compare
from sim.cli import main
from sim.experiments import KPIS, read_replicates


@pytest.fixture
def strategies(scenario_factory: Callable[[], dict], tmp_path: Path) -> list[Path]:
    lean = write_scenario(fast(scenario_factory()), tmp_path / "lean.yaml")
    staffed_data = fast(scenario_factory())
    staffed_data["pools"][1]["headcount"] = 3
    staffed = write_scenario(staffed_data, tmp_path / "staffed.yaml")
    return [lean, staffed]


def test_compare_prints_and_stores_the_side_by_side_table(strategies: list[Path],
                                                          tmp_path: Path) -> None:
    out = tmp_path / "comparison"
    result = CliRunner().invoke(main, ["compare", *map(str, strategies), "--replications", "4",
                                       "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Δ = paired difference vs lean" in result.stdout
    assert str(strategies[1]) in result.stdout  # the plans table shows each source file
    table = pd.read_parquet(out / "comparison.parquet")
    assert list(dict.fromkeys(table["plan"])) == ["lean", "staffed"]
    assert set(table["kpi"]) == set(KPIS)
    assert table.loc[table["plan"] == "lean", "difference"].isna().all()
    cost = table.set_index(["plan", "kpi"]).loc[("staffed", "total_cost")]
    assert cost["difference"] > 0 and cost["difference_ci_low"] > 0  # two more people cost more
    replicates = read_replicates(out)
    seeds = replicates.groupby("plan")["seed"].apply(list)
    assert seeds["lean"] == seeds["staffed"]  # common random numbers


def test_identical_strategies_differ_by_exactly_zero(strategies: list[Path],
                                                     tmp_path: Path) -> None:
    table = compare([strategies[0], strategies[0]], 3, jobs=1, out=tmp_path / "same")
    assert list(dict.fromkeys(table["plan"])) == ["lean", "lean-2"]
    means = table.set_index(["kpi", "plan"])["mean"].unstack()
    pd.testing.assert_series_equal(means["lean-2"], means["lean"], check_names=False)
    same = table[table["plan"] == "lean-2"].dropna(subset=["mean"])
    assert len(same) > 0
    assert (same["difference"] == 0).all()
    assert (same["difference_ci_low"] == 0).all() and (same["difference_ci_high"] == 0).all()


@pytest.mark.parametrize(("files", "message"), [
    (["lean.yaml"], "error: compare needs at least two scenarios"),
    (["lean.yaml", "missing.yaml"], "missing.yaml: cannot read file"),
])
def test_bad_comparisons_fail_in_one_line(strategies: list[Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, files: list[str],
                                          message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["compare", *files, "--out", "never"])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "never").exists()
