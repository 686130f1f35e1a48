"""The optional scenario ``start_date``: a ``month`` column, calendar labels, nothing else."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.core.calendar import month_column, month_label, period_label, period_month
from sim.model import run
from sim.scenario.schema import parse_scenario


@pytest.mark.parametrize(("period", "output_period", "start", "label"), [
    (1, "monthly", "2025-11", "Nov 2025"), (3, "monthly", "2025-11", "Jan 2026"),
    (14, "monthly", None, "month 14"), (1, "weekly", "2025-01", "week 1 (Jan 2025)"),
    (5, "weekly", "2025-01", "week 5 (Jan 2025)"), (6, "weekly", "2025-01", "week 6 (Feb 2025)"),
    (9, "weekly", None, "week 9")])
def test_period_labels(period: int, output_period: str, start: str | None, label: str) -> None:
    assert period_label(period, output_period, start) == label


def test_months_roll_over_years() -> None:
    assert [month_column(month, "2025-12") for month in (0, 1, 13)] == [
        "2025-12", "2026-01", "2027-01"]
    assert month_label(24, "2024-02") == "Feb 2026"
    assert period_month(53, "weekly") == 11  # week 53 starts on day 364, in month 12


@pytest.mark.parametrize("bad", ["2025-13", "2025-1", "25-01", "2025-01-01", "January"])
def test_a_bad_start_date_is_one_line_naming_the_field(bad: str, base_scenario: dict,
                                                       one_line_error) -> None:
    base_scenario["start_date"] = bad
    assert one_line_error(base_scenario).startswith(f"bad.yaml: start_date = '{bad}'")


def test_the_start_date_adds_a_month_column_and_changes_nothing_else(base_scenario: dict) -> None:
    plain = run(parse_scenario(base_scenario), seed=4)
    dated = run(parse_scenario({**base_scenario, "start_date": "2026-03"}), seed=4)
    for name in ("timeseries", "workforce", "events"):
        table = getattr(dated, name)
        assert table.columns.get_loc("month") == (1 if name == "events" else 2)
        pd.testing.assert_frame_equal(table.drop(columns="month"), getattr(plain, name))
    months = dated.timeseries.drop_duplicates("period")["month"].tolist()
    assert months == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
    events = dated.events
    assert (events.loc[events["time"] < 365 / 12, "month"] == "2026-03").all()
    pd.testing.assert_frame_equal(dated.summary, plain.summary)
    assert "month" not in plain.timeseries.columns
