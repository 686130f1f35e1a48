"""Calendar dates as days since 1970-01-01 (floats, NaN for none), vectorised."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.core.calendar import MONTH_DAYS

EPOCH = pd.Timestamp("1970-01-01")


def epoch_day(date: str) -> float:
    """Days since 1970-01-01 of an ISO date (``YYYY-MM-DD`` or ``YYYY-MM``, the 1st)."""
    if len(date) == 7:
        date += "-01"
    return float((dt.date.fromisoformat(date) - dt.date(1970, 1, 1)).days)


def anniversaries(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Anniversaries of each start date on or before each end date (0 if the end comes first)."""
    first = pd.DatetimeIndex(pd.to_datetime(start, unit="D"))
    last = pd.DatetimeIndex(pd.to_datetime(end, unit="D"))
    before = (last.month < first.month) | ((last.month == first.month) & (last.day < first.day))
    return np.maximum(0, np.asarray(last.year - first.year) - np.asarray(before, dtype=int))


def shift_years(days: np.ndarray, years: np.ndarray) -> np.ndarray:
    """The dates ``years`` years after ``days`` (29 February becomes 28 February)."""
    result = np.full(len(days), np.nan)
    known = np.isfinite(days)
    dates = pd.DatetimeIndex(pd.to_datetime(days[known], unit="D"))
    month, day = np.asarray(dates.month), np.asarray(dates.day)
    day = np.where((month == 2) & (day == 29), 28, day)
    parts = pd.DataFrame({"year": np.asarray(dates.year) + years[known].astype(int),
                          "month": month, "day": day})
    result[known] = (pd.to_datetime(parts) - EPOCH).dt.days.to_numpy(dtype=float)
    return result


def clock_days(days: np.ndarray, start_date: str) -> np.ndarray:
    """Dates (days since 1970-01-01) on the simulation clock of a run starting ``start_date``.

    The clock's months are ``MONTH_DAYS`` long; a date maps into the clock month of its
    calendar month at the same fraction of the month (the middle of its day), so that a date's
    calendar month is the run's month (a renewal on 31 January falls in the run's first month,
    one on 1 March in its third, never on the boundary between two) and a date a year later is
    exactly ``YEAR_DAYS`` later.
    """
    result = np.full(len(days), np.nan)
    known = np.isfinite(days)
    dates = pd.DatetimeIndex(pd.to_datetime(days[known], unit="D"))
    year, month = (int(part) for part in start_date.split("-"))
    months = (np.asarray(dates.year) - year) * 12 + np.asarray(dates.month) - month
    within = (np.asarray(dates.day) - 0.5) / np.asarray(dates.days_in_month)
    result[known] = (months + within) * MONTH_DAYS
    return result
