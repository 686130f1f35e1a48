"""Terminal polish: tables within 80 columns, units and cues in compare, --version, pipes,
and the ``report`` command's own errors and output."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sweep_support import fast, write_scenario

from sim.cli import main
from sim.version import __version__

ROOT = Path(__file__).resolve().parents[2]
NARROW = {"COLUMNS": "80", "LINES": "50"}


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"cssim {__version__}\n"


def test_the_staff_pools_of_a_pod_organisation_fit_80_columns(tmp_path: Path) -> None:
    """org_pods has the longest pool labels of the shipped scenarios."""
    result = CliRunner(env=NARROW).invoke(main, ["run", str(ROOT / "scenarios/org_pods.yaml"),
                                                 "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines) and "…" not in result.output
    start = lines.index(next(line for line in lines if line.startswith("Staff pools")))
    header = " ".join(lines[start + 2:start + 4]).split()
    assert header == ["Peak", "Peak", "Worst", "Depar-", "Pool", "Headcount", "util.",
                      "burnout", "burnout", "Hires", "tures"]
    rows = [line.split() for line in lines[start + 5:] if "->" in line]
    assert len(rows) == 12 and all(row[-7] == "->" for row in rows)  # a -> b, five figures


@pytest.fixture
def strategies(scenario_factory: Callable[[], dict], tmp_path: Path) -> list[Path]:
    lean = write_scenario(fast(scenario_factory()), tmp_path / "lean.yaml")
    staffed = fast(scenario_factory())
    staffed["pools"][1]["headcount"] = 3
    return [lean, write_scenario(staffed, tmp_path / "staffed_with_two_more.yaml")]


def test_compare_prints_units_points_and_cues_within_80_columns(strategies: list[Path],
                                                                 tmp_path: Path) -> None:
    result = CliRunner(env=NARROW).invoke(main, [
        "compare", *map(str, strategies), "--replications", "4", "--jobs", "1", "--out",
        str(tmp_path / "comparison")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines) and "…" not in result.stdout
    cost = _row_after(lines, "CS cost, whole run", "staffed_with_two_more")
    assert "$" in cost and cost.rstrip().endswith("worse")  # two more people cost more
    share = _row_after(lines, "CS cost % of mean ARR", "staffed_with_two_more")
    assert share.split()[1].endswith("%") and share.count("pts") == 3
    grr = _row_after(lines, "GRR, last 12 months", "lean")
    assert "n/a ± n/a (n=0)" in grr  # no GRR within three months: said, not hidden
    assert sum("higher is better" in line for line in lines) >= 3


def _row_after(lines: list[str], label: str, plan: str) -> str:
    start = next(index for index, line in enumerate(lines) if line.strip().startswith(label))
    return next(line for line in lines[start:] if line.split()[:1] == [plan])


@pytest.mark.parametrize("arguments", [["schema"], ["run", "scenarios/stage1_startup.yaml"]])
def test_a_closed_pipe_ends_quietly(arguments: list[str], tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path / "run")] if arguments[0] == "run" else []
    process = subprocess.Popen([sys.executable, "-m", "sim.cli", *arguments, *extra], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before anything is written
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) in (0, 141)
    assert error == ""


def test_report_writes_where_asked_and_refuses_what_is_not_a_result(real_run_dir: Path,
                                                                    tmp_path: Path) -> None:
    target = tmp_path / "deck" / "cfo.html"
    result = CliRunner().invoke(main, ["report", str(real_run_dir), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = CliRunner().invoke(main, ["report", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert missing.stderr == (f"error: {tmp_path / 'nowhere'}: not a directory (expected a "
                              "run, sweep or compare directory)\n")


def test_a_run_directory_with_its_report_can_be_run_into_again(real_run_dir: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "again"
    arguments = ["run", str(ROOT / "scenarios/stage1_startup.yaml"), "--out", str(out),
                 "--report"]
    assert CliRunner().invoke(main, arguments).exit_code == 0
    assert CliRunner().invoke(main, ["export", str(out)]).exit_code == 0
    again = CliRunner().invoke(main, arguments)
    assert again.exit_code == 0, again.output
    assert sorted(path.name for path in out.iterdir()) == [
        "customers.parquet", "events.parquet", "manifest.json", "report.html",
        "summary.parquet", "timeseries.parquet", "workforce.parquet"]
