"""``cssim export``: the workbook and CSV files read back to the parquet tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.experiments.store import read_timeseries
from sim.outputs.io import read_run
from sim.report_html.export import MONEY_FORMAT, PERCENT_FORMAT, SHARE_FORMAT, column_format, export


def _same(sheet: pd.DataFrame, table: pd.DataFrame) -> None:
    """Equal values; an infinite value or empty text is an empty cell in a workbook."""
    expected = table.replace([np.inf, -np.inf, ""], np.nan).reset_index(drop=True)
    pd.testing.assert_frame_equal(sheet[expected.columns.tolist()], expected, check_dtype=False,
                                  check_exact=False, rtol=1e-12)


@pytest.fixture(scope="module")
def run_workbook(real_run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("export") / "run.xlsx"
    result = CliRunner().invoke(main, ["export", str(real_run_dir), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {target}"
    return target


def test_the_run_workbook_reads_back_to_the_parquet_tables(run_workbook: Path,
                                                           real_run_dir: Path) -> None:
    sheets = pd.read_excel(run_workbook, sheet_name=None)
    tables = read_run(real_run_dir)
    assert list(sheets) == ["summary", "monthly", "economics", "workforce"]
    _same(sheets["summary"], tables["summary"])
    series = tables["timeseries"]
    _same(sheets["monthly"], series[series["tier"] == "all"])
    _same(sheets["workforce"], tables["workforce"])
    assert sheets["monthly"]["month"].iloc[:3].tolist() == ["2025-11", "2025-12", "2026-01"]


def test_the_economics_sheet_allocates_the_whole_cost(run_workbook: Path,
                                                      real_run_dir: Path) -> None:
    economics = pd.read_excel(run_workbook, sheet_name="economics").set_index("tier")
    tiers = economics.drop(index="all")
    assert tiers["annual_cs_cost"].sum() == pytest.approx(economics.loc["all", "annual_cs_cost"])
    assert (economics["cost_per_customer"] * economics["customers_mean"]).to_numpy() == \
        pytest.approx(economics["annual_cs_cost"].to_numpy())


def test_money_and_shares_are_formatted(run_workbook: Path) -> None:
    sheet = openpyxl.load_workbook(run_workbook)["monthly"]
    formats = {cell.value: sheet.cell(row=sheet.max_row, column=cell.column).number_format
               for cell in sheet[1]}
    assert formats["arr"] == MONEY_FORMAT and formats["cs_cost"] == MONEY_FORMAT
    assert formats["grr_ttm"] == SHARE_FORMAT and formats["cs_cost_pct_arr"] == PERCENT_FORMAT
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(("name", "expected"), [
    ("arr_end", MONEY_FORMAT), ("total_cs_cost", MONEY_FORMAT), ("acv_initial", MONEY_FORMAT),
    ("nrr_ttm_last", SHARE_FORMAT), ("touches_missed_share", SHARE_FORMAT),
    ("cs_cost_pct_arr_ttm", PERCENT_FORMAT), ("customers_end", None), ("period", None)])
def test_column_formats_follow_the_names(name: str, expected: str | None) -> None:
    assert column_format(name) == expected


def test_the_sweep_workbook_has_the_statistics_and_the_fans(real_sweep_dir: Path,
                                                            tmp_path: Path) -> None:
    target = export(real_sweep_dir, "xlsx", tmp_path / "sweep.xlsx")
    sheets = pd.read_excel(target, sheet_name=None)
    assert list(sheets) == ["kpis", "differences", "requirements", "plans", "replicates",
                            "monthly"]
    for sheet, table in (("kpis", "comparison"), ("differences", "differences"),
                         ("requirements", "requirements")):
        _same(sheets[sheet], pd.read_parquet(real_sweep_dir / f"{table}.parquet"))
    series = read_timeseries(real_sweep_dir)
    medians = series.groupby(["plan", "period"])["arr"].median().reset_index()
    monthly = sheets["monthly"].merge(medians, on=["plan", "period"])
    assert len(monthly) == len(medians)
    np.testing.assert_allclose(monthly["arr_q50"], monthly["arr"])
    assert sheets["monthly"]["month"].iloc[0] == "month 1"


def test_csv_writes_one_file_per_table(real_compare_dir: Path, tmp_path: Path) -> None:
    folder = export(real_compare_dir, "csv", tmp_path / "csv")
    assert (folder / ".cssim-export").is_file()
    assert sorted(path.name for path in folder.iterdir()) == [
        ".cssim-export", "differences.csv", "kpis.csv", "monthly.csv", "plans.csv",
        "replicates.csv"]
    _same(pd.read_csv(folder / "kpis.csv"),
          pd.read_parquet(real_compare_dir / "comparison.parquet"))


def test_csv_refuses_a_folder_of_other_files(real_run_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(real_run_dir), "--format", "csv", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"error: {tmp_path}: holds other files (notes.txt); "
                                     "not writing CSV files into it")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_export_of_a_folder_that_is_not_a_result_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'manifest.json'}: cannot read")
    assert result.stderr.count("\n") == 1
