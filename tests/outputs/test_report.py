"""The terminal summary of a run, on a real run of the shipped stage-1 scenario."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from sim.outputs.io import read_manifest, read_run
from sim.outputs.results import RunResult
from sim.outputs.text_report import format_summary, headline_rows, pool_rows, print_summary


@pytest.fixture(scope="module")
def real_result(real_run_dir: Path) -> RunResult:
    return RunResult(**read_run(real_run_dir), manifest=read_manifest(real_run_dir))


def test_headline_figures_are_the_summary_row_formatted(real_result: RunResult) -> None:
    summary = real_result.summary.iloc[0]
    rows = dict(headline_rows(summary.to_dict()))
    assert rows["Customers (start -> end)"] == (f"{summary['customers_start']:,} -> "
                                                f"{summary['customers_end']:,}")
    assert rows["ARR (start -> end)"] == (f"${summary['arr_start']:,.0f} -> "
                                          f"${summary['arr_end']:,.0f}")
    assert rows["GRR, last 12 months"] == f"{100 * summary['grr_ttm_last']:.1f}%"
    assert rows["CS cost % of mean ARR, last 12 months"] == f"{summary['cs_cost_pct_arr_ttm']:.1f}%"
    assert rows["Peak onboarding backlog"].startswith(
        f"{summary['onboarding_backlog_weeks_peak']:.1f} weeks")
    assert rows["Work priority: touches / support"] == (f"{summary['touch_priority']} / "
                                                        f"{summary['support_priority']}")


def test_one_pool_row_per_pool_from_first_to_last_period(real_result: RunResult) -> None:
    workforce = real_result.workforce
    rows = pool_rows(workforce)
    assert [row[0].split(" (")[0] for row in rows] == list(dict.fromkeys(workforce["pool"]))
    for row in rows:
        periods = workforce[workforce["pool"] == row[0].split(" (")[0]].sort_values("period")
        assert row[1] == f"{periods['headcount'].iloc[0]} -> {periods['headcount'].iloc[-1]}"
        assert row[5] == str(int(periods["hires"].sum()))


def test_missing_values_print_as_not_available(real_result: RunResult) -> None:
    summary = real_result.summary.copy()
    summary.loc[0, ["arr_end", "customers_end", "onboarding_backlog_weeks_peak"]] = np.nan
    summary.loc[0, "touch_priority"] = ""  # no CSM pool
    workforce = real_result.workforce.assign(utilisation_mean=np.nan)
    rows = dict(headline_rows(summary.iloc[0].to_dict()))
    assert rows["ARR (start -> end)"].endswith("-> n/a")
    assert rows["Customers (start -> end)"].endswith("-> n/a")
    assert rows["Peak onboarding backlog"].startswith("n/a weeks")
    assert rows["Work priority: touches / support"].startswith("n/a / ")
    assert all(row[2] == "n/a" for row in pool_rows(workforce))


def test_empty_tables(real_result: RunResult) -> None:
    result = dataclasses.replace(real_result, summary=pd.DataFrame(),
                                 workforce=real_result.workforce.iloc[0:0])
    text = format_summary(result)
    assert "Customers (start -> end)" in text and "n/a -> n/a" in text


def test_plain_text_fits_80_columns_and_names_the_calendar_months(real_result: RunResult) -> None:
    text = format_summary(real_result, width=80)
    assert "\x1b[" not in text and "…" not in text
    assert "Run summary: stage1_startup, seed 0, Nov 2025 to Oct 2027" in text
    assert all(len(line) <= 80 and line == line.rstrip() for line in text.splitlines())


def test_print_summary_to_a_pipe_has_no_colour_codes(real_result: RunResult) -> None:
    buffer = io.StringIO()
    print_summary(real_result, Console(file=buffer, width=100))
    assert "\x1b[" not in buffer.getvalue()
    assert "csm" in buffer.getvalue()
