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


START_DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
"""A scenario's ``start_date``: year and month, ``YYYY-MM``."""
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")


def period_month(period: int, output_period: str) -> int:
    """The month (0 = the first) in which an output period starts; periods count from 1."""
    start_day = (period - 1) * period_days(output_period)
    return int(start_day // MONTH_DAYS + 1e-9) if output_period != "monthly" else period - 1


def calendar_month(month: int, start_date: str) -> tuple[int, int]:
    """Year and month (1-12) of the month ``month`` months after ``start_date`` (``YYYY-MM``)."""
    year, first = (int(part) for part in start_date.split("-"))
    index = year * 12 + first - 1 + month
    return index // 12, index % 12 + 1


def month_column(month: int, start_date: str) -> str:
    """The ``month`` value of a table row: ``YYYY-MM``."""
    year, number = calendar_month(month, start_date)
    return f"{year:04d}-{number:02d}"


def month_label(month: int, start_date: str | None) -> str:
    """A month for people: ``Mar 2025`` with a start date, else ``month 3`` (counting from 1)."""
    if start_date is None:
        return f"month {month + 1}"
    year, number = calendar_month(month, start_date)
    return f"{MONTH_NAMES[number - 1]} {year}"


def period_label(period: int, output_period: str, start_date: str | None) -> str:
    """How a report names an output period: its calendar month, or its number.

    A monthly period is its month (``Mar 2025`` or ``month 3``); a weekly period is its week
    number, with the calendar month it starts in when there is a start date.
    """
    month = period_month(period, output_period)
    if output_period == "monthly":
        return month_label(month, start_date)
    return f"week {period}" + (f" ({month_label(month, start_date)})" if start_date else "")
