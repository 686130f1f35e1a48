"""Numbers for people: units, separators, percentage points and the better/worse cue."""

from __future__ import annotations

import math

import pytest

from sim.experiments.kpis import RECORDED_KPIS
from sim.outputs.formats import (
    KPI_UNITS,
    kpi_change,
    kpi_spread,
    kpi_value,
    money,
    percent,
    verdict,
)


def test_every_recorded_kpi_has_a_unit_and_a_direction() -> None:
    assert set(KPI_UNITS) == set(RECORDED_KPIS)


@pytest.mark.parametrize(("value", "compact", "text"), [
    (17_912_554, False, "$17,912,554"), (17_912_554, True, "$17.9M"), (22_000_000, True, "$22.0M"),
    (452_300, True, "$452k"), (-1234.4, False, "-$1,234"), (950, True, "$950"),
    (math.nan, False, "n/a"), (None, True, "n/a")])
def test_money(value: float | None, compact: bool, text: str) -> None:
    assert money(value, compact) == text


def test_shares_print_as_percent_and_their_differences_as_points() -> None:
    assert percent(0.8624) == "86.2%" and percent(14.3, scale=1.0) == "14.3%"
    assert kpi_value("grr", 0.862) == "86.2%" and kpi_change("grr", 0.0379) == "+3.8 pts"
    assert kpi_value("cs_cost_pct_arr", 8.58) == "8.6%"
    assert kpi_change("cs_cost_pct_arr", -1.87) == "-1.9 pts"
    assert kpi_spread("grr", 0.0223) == "2.2 pts"
    assert kpi_value("backlog_weeks_max", 27.14) == "27.1 wk"
    assert kpi_change("total_cost", 1_230_000, compact=True) == "+$1.23M"
    assert kpi_value("departures", 7.0) == "7" and kpi_value("departures", 5.5) == "5.5"
    assert kpi_value("backlog_weeks_max", math.inf) == "inf wk"


@pytest.mark.parametrize(("kpi", "low", "high", "cue"), [
    ("grr", 0.01, 0.05, "better"), ("grr", -0.05, -0.01, "worse"),
    ("total_cost", 100.0, 900.0, "worse"), ("total_cost", -900.0, -100.0, "better"),
    ("backlog_weeks_max", -3.0, -1.0, "better"), ("grr", -0.01, 0.02, ""),
    ("hires", 1.0, 2.0, "higher"), ("grr", math.nan, math.nan, "")])
def test_the_cue_follows_the_direction_a_cs_leader_wants(kpi: str, low: float, high: float,
                                                         cue: str) -> None:
    assert verdict(kpi, low, high) == cue
