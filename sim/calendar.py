"""Time units. The simulation clock counts days from the start of the run."""

from __future__ import annotations

YEAR_DAYS = 365.0
"""Days in a contract year; renewals fall every YEAR_DAYS after signature."""
MONTH_DAYS = YEAR_DAYS / 12
"""Days in a month (365 / 12)."""
WEEK_DAYS = 7.0
"""Days in a week; staff workload is accounted weekly."""
DAY_HOURS = 24.0
"""Hours in a day: ticket response times and SLAs are in hours, the clock in days."""
WORKING_DAYS_PER_WEEK = 5.0
"""Working days in a week: tickets per engineer per *working* day (§7.1)."""


def period_days(output_period: str) -> float:
    """Length of one output period in days."""
    return MONTH_DAYS if output_period == "monthly" else WEEK_DAYS


def periods_per_year(output_period: str) -> int:
    """Number of output periods in a trailing twelve months."""
    return 12 if output_period == "monthly" else 52
