"""The human summary of a run."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pandas as pd
from rich.console import Console

from sim.report import format_summary, headline_rows, pool_rows, print_summary
from sim.results import RunResult


def test_headline_figures(run_result: RunResult) -> None:
    rows = dict(headline_rows(run_result.summary.iloc[0].to_dict()))
    assert rows["Customers (start -> end)"] == "50 -> 57"
    assert rows["ARR (start -> end)"] == "$1,250,000 -> $1,410,500"
    assert rows["GRR, last 12 months"] == "91.3%"
    assert rows["NRR, last 12 months"] == "n/a"
    assert rows["Peak onboarding backlog"] == "6.5 weeks (12 customers)"
    assert rows["CS cost % of mean ARR, last 12 months"] == "12.4%"


def test_pool_rows(run_result: RunResult) -> None:
    assert pool_rows(run_result.workforce) == [
        ("csm_mid", "1 -> 2", "95.0%", "0.25", "0.50", "1", "0"),
        ("support", "1 -> 1", "60.0%", "0.10", "0.10", "0", "1"),
    ]


def test_missing_values_print_as_not_available(run_result: RunResult) -> None:
    summary = run_result.summary.copy()
    summary.loc[0, ["arr_end", "customers_end", "onboarding_backlog_weeks_peak"]] = np.nan
    workforce = run_result.workforce.assign(utilisation_mean=np.nan)
    result = dataclasses.replace(run_result, summary=summary, workforce=workforce)
    rows = dict(headline_rows(result.summary.iloc[0].to_dict()))
    assert rows["ARR (start -> end)"] == "$1,250,000 -> n/a"
    assert rows["Customers (start -> end)"] == "50 -> n/a"
    assert rows["Peak onboarding backlog"] == "n/a weeks (12 customers)"
    assert all(row[2] == "n/a" for row in pool_rows(result.workforce))


def test_empty_tables(run_result: RunResult) -> None:
    result = dataclasses.replace(run_result, summary=pd.DataFrame(),
                                 workforce=run_result.workforce.iloc[0:0])
    text = format_summary(result)
    assert "Customers (start -> end)" in text
    assert "n/a -> n/a" in text


def test_plain_text_has_no_colour_codes(run_result: RunResult) -> None:
    text = format_summary(run_result, width=80)
    assert "\x1b[" not in text
    assert "Run summary: base, seed 7" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert all(line == line.rstrip() for line in text.splitlines())


def test_print_summary_to_a_pipe_has_no_colour_codes(run_result: RunResult) -> None:
    buffer = io.StringIO()
    print_summary(run_result, Console(file=buffer, width=100))
    assert "\x1b[" not in buffer.getvalue()
    assert "csm_mid" in buffer.getvalue()
