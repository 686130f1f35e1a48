"""The HTML reports opened in headless Chromium: offline, error-free, every chart drawn from
the tables on disk, cards equal to the summary table, calendar months on the axes."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from browser_support import ARTEFACTS, OpenedReport, launch, open_report, require_browser

from sim.experiments.store import read_timeseries
from sim.outputs.io import read_run


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    playwright, browser = launch()
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def run_report(browser: Any, real_run_dir: Path) -> OpenedReport:
    return open_report(browser, real_run_dir / "report.html", ARTEFACTS / "report-run.png")


@pytest.fixture(scope="module")
def sweep_report(browser: Any, real_sweep_dir: Path) -> OpenedReport:
    return open_report(browser, real_sweep_dir / "report.html", ARTEFACTS / "report-sweep.png")


@pytest.fixture(scope="module")
def compare_report(browser: Any, real_compare_dir: Path) -> OpenedReport:
    return open_report(browser, real_compare_dir / "report.html",
                       ARTEFACTS / "report-compare.png")


@pytest.mark.parametrize("kind", ["run", "sweep", "compare"])
def test_the_report_is_offline_error_free_and_every_chart_is_drawn(
        kind: str, request: pytest.FixtureRequest) -> None:
    report: OpenedReport = request.getfixturevalue(f"{kind}_report")
    assert report.console_errors == []
    assert [url for url in report.requests if not url.startswith("file:")] == []
    assert len(report.charts) >= 4
    for chart in report.charts:
        assert re.search(r"\(.+\)", chart["title"]), f"{chart['id']}: no unit in its title"
        _assert_every_trace_drawn(chart)
    assert (ARTEFACTS / f"report-{kind}.png").stat().st_size > 10_000


def _assert_every_trace_drawn(chart: dict[str, Any]) -> None:
    """Markers and bars: one element per value present; lines: a drawn path.

    A series with no value at all is allowed only where the chart says why (``n/a: ...``).
    """
    rendered = {item["index"]: item for item in chart["rendered"] if item["index"] is not None}
    for trace in chart["traces"]:
        values = trace["x"] if trace["type"] == "scatter" and _horizontal(trace) else trace["y"]
        present = sum(value is not None and not _nan(value) for value in values)
        drawn = rendered[trace["index"]]
        where = f"{chart['id']} / {trace['name']}"
        if trace["type"] in ("bar", "waterfall"):
            assert drawn["bars"] == present, where
        elif "markers" in trace["mode"]:
            assert present > 0 or any(note.startswith("n/a") for note in chart["notes"]), where
            assert drawn["points"] == present, where
        elif present >= 2:
            assert drawn["drawn"], where


def test_run_charts_show_the_tables_by_calendar_month(run_report: OpenedReport,
                                                      real_run_dir: Path) -> None:
    tables = read_run(real_run_dir)
    series = tables["timeseries"]
    everyone = series[series["tier"] == "all"].sort_values("period")
    months = [_month(index) for index in range(len(everyone))]
    customers = run_report.trace("chart-customers", "all tiers")
    assert customers["x"] == months
    assert customers["y"] == everyone["customers_total"].tolist()
    assert run_report.trace("chart-arr", "all tiers")["y"] == everyone["arr"].tolist()
    # A period with nobody to onboard has an infinite backlog: a gap in the chart.
    shown = [np.nan if value is None else value
             for value in run_report.trace("chart-backlog", "weeks of work")["y"]]
    expected = everyone["onboarding_backlog_weeks"].replace([np.inf, -np.inf], np.nan)
    np.testing.assert_allclose(shown, expected, rtol=1e-12)
    workforce = tables["workforce"]
    for pool, rows in workforce.groupby("pool"):
        assert run_report.trace("chart-headcount", pool)["y"] == rows["headcount"].tolist()
        hired = [trace for trace in run_report.chart("chart-headcount")["traces"]
                 if trace["name"].startswith(f"{pool} hires")]
        marked = len(hired[0]["x"]) if hired else 0
        assert marked == int((rows["hires"] > 0).sum())


def _month(index: int) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    absolute = 2025 * 12 + 10 + index  # November 2025 is month 0
    return f"{names[absolute % 12]} {absolute // 12}"


def test_the_arr_bridge_adds_up_to_the_end_arr(run_report: OpenedReport,
                                               real_run_dir: Path) -> None:
    summary = read_run(real_run_dir)["summary"].iloc[0]
    bridge = run_report.chart("chart-bridge")["traces"][0]
    start, *steps, end = bridge["y"]
    assert (start, end) == (summary["arr_start"], summary["arr_end"])
    assert start + sum(steps) == pytest.approx(end, abs=0.5)


def test_kpi_cards_equal_the_summary_table(run_report: OpenedReport,
                                           real_run_dir: Path) -> None:
    summary = read_run(real_run_dir)["summary"].iloc[0]
    cards = {card["key"]: card["value"] for card in run_report.cards}
    assert set(cards) == {"customers_end", "arr_end", "grr_ttm_last", "nrr_ttm_last",
                          "onboarding_backlog_weeks_peak", "cs_cost_pct_arr_ttm", "hires",
                          "departures"}
    for key, text in cards.items():
        shown, tolerance = _parse(text)
        if key in ("grr_ttm_last", "nrr_ttm_last"):
            shown /= 100
            tolerance /= 100
        if math.isinf(shown) or math.isinf(float(summary[key])):
            assert shown == float(summary[key]), (key, text, summary[key])
            continue
        assert abs(shown - float(summary[key])) <= tolerance, (key, text, summary[key])


def _parse(text: str) -> tuple[float, float]:
    """A displayed figure and half its last digit: ``$1.23M`` -> (1.23e6, 5e3); ``∞`` -> inf."""
    if text.strip().startswith("∞"):
        return math.inf, 0.0
    match = re.match(r"^\$?(-?[\d,]*\.?\d+)([kMB]?)", text.strip())
    assert match, text
    digits, suffix = match.group(1).replace(",", ""), match.group(2)
    scale = {"": 1.0, "k": 1e3, "M": 1e6, "B": 1e9}[suffix]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits) * scale, 0.5 * 10 ** -decimals * scale + 1e-9


def test_the_story_is_written_from_the_run(run_report: OpenedReport,
                                           real_run_dir: Path) -> None:
    tables = read_run(real_run_dir)
    summary = tables["summary"].iloc[0]
    story = run_report.text.split("What happened", 2)[2].split("Customers and ARR")[0]
    assert f"from Nov 2025 to Oct 2027, customers went from {summary['customers_start']:.0f} " \
           f"to {summary['customers_end']:.0f}" in story
    series = tables["timeseries"]
    everyone = series[series["tier"] == "all"].sort_values("period")
    over = everyone[everyone["onboarding_backlog_weeks"] > 2]
    first = _month(int(over["period"].iloc[0]) - 1)
    assert f"first exceeded 2 weeks of work in {first}" in story
    workforce = tables["workforce"]
    burned = workforce[workforce["burnout_mean"] >= 0.5].sort_values(["period", "pool"])
    month = _month(int(burned["period"].iloc[0]) - 1)
    assert f"{burned['pool'].iloc[0]} was the first pool to burn out" in story
    assert f"in {month})" in story
    assert f"{100 * summary['touches_missed_share']:.1f}% of scheduled touches" in story


def test_sweep_fans_are_the_replicates_quantiles(sweep_report: OpenedReport,
                                                 real_sweep_dir: Path) -> None:
    series = read_timeseries(real_sweep_dir)
    for plan, rows in series.groupby("plan"):
        for kpi in ("customers", "arr", "grr"):
            median = rows.groupby("period")[kpi].median()
            shown = sweep_report.trace(f"chart-fan-{kpi}", plan)["y"]
            np.testing.assert_allclose([np.nan if value is None else value for value in shown],
                                       median.to_numpy(dtype=float), rtol=1e-9)


def test_sweep_forest_and_requirements_show_the_statistics(sweep_report: OpenedReport,
                                                           real_sweep_dir: Path) -> None:
    differences = pd.read_parquet(real_sweep_dir / "differences.parquet")
    forest = {trace["name"]: trace for trace in sweep_report.chart("chart-forest")["traces"]}
    for kpi, rows in differences.groupby("kpi"):
        scale = 100.0 if kpi in ("grr", "nrr") else 1.0
        shown = dict(zip(forest[kpi]["y"], forest[kpi]["x"], strict=True))
        for row in rows.itertuples():
            expected = row.mean_difference * scale
            assert shown[row.plan] is None if not math.isfinite(expected) else \
                shown[row.plan] == pytest.approx(expected)
    required = pd.read_parquet(real_sweep_dir / "requirements.parquet")
    points = sweep_report.chart("chart-requirements")["traces"][0]
    assert points["x"] == required["plan"].tolist()
    assert points["y"] == pytest.approx(required["probability"].tolist())
    assert points["error_y"] == pytest.approx((required["ci_high"]
                                               - required["probability"]).tolist())


def test_compare_scatter_places_each_strategy_at_its_means(compare_report: OpenedReport,
                                                           real_compare_dir: Path) -> None:
    comparison = pd.read_parquet(real_compare_dir / "comparison.parquet").set_index(
        ["kpi", "plan"])["mean"]
    traces = compare_report.chart("chart-cost-retention")["traces"]
    assert [trace["name"] for trace in traces] == ["stage1_startup", "three_csms"]
    for trace in traces:
        assert trace["x"] == [pytest.approx(comparison[("cs_cost_pct_arr", trace["name"])])]
        assert trace["y"] == [pytest.approx(comparison[("grr", trace["name"])])]
    table = compare_report.tables["table-kpis"]
    assert table[0] == ["KPI", "stage1_startup", "three_csms"]
    cost = next(row for row in table if row[0] == "CS cost, whole run")
    assert "worse" in cost[2]  # a third CSM costs more on every seed


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _horizontal(trace: dict[str, Any]) -> bool:
    return trace["error_x"] is not None and trace["error_y"] is None
