"""Retention history from a file: a cohort table or an account history, as sBG lifetimes.

A *cohort table* has a row per cohort and contract year: ``year`` (0, 1, 2, ... years since
the cohort signed) and ``alive`` (customers still active at the start of that year), with an
optional ``cohort`` label (several cohorts of different ages: the younger ones are right-
censored) and a tier column. Customers gone between year t−1 and year t were lost at their t-th
renewal; those alive in a cohort's last row are active after that many renewals.

An *account history* has a row per account: ``start_date``, ``end_date`` (blank while still
a customer) and optionally a tier column. Renewals fall on the start date's anniversaries. An
account that ended before its first anniversary, or within ``GRACE_DAYS`` after an
anniversary, was lost at that renewal; otherwise at the next one. An active account has survived
the anniversaries up to the as-of date (default: the latest date in the file).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.dates import anniversaries
from sim.core.table_input import Problems, read_table
from sim.history.sbg import Lifetimes

GRACE_DAYS = 31.0
"""An account ending this many days or fewer after an anniversary was lost at that renewal
(contract end dates recorded a little late; assumption)."""
ALL = "all"
"""The group name when the data are not split by tier."""


def read_lifetimes(path: str | Path, tier_column: str | None = None,
                   as_of: str | None = None) -> dict[str, Lifetimes]:
    """Lifetimes per tier (or one group ``all``) from a cohort table or an account history.

    Raises:
        InputError: every bad row and missing column, one line each.
    """
    frame = read_table(path)
    problems = Problems(path, frame)
    if tier_column is None and "tier" in frame.columns:
        tier_column = "tier"
    if tier_column is not None:
        problems.require([tier_column])
    if "alive" in frame.columns or "year" in frame.columns:
        groups = _cohorts(problems, tier_column)
    elif "start_date" in frame.columns:
        groups = _accounts(problems, tier_column, as_of)
    else:
        problems.lines.append(
            f"{path}: neither a cohort table (columns year, alive) nor an account history "
            f"(columns start_date, end_date); columns found: {', '.join(frame.columns)}")
        groups = {}
    problems.raise_any()
    return groups


def _group_labels(problems: Problems, tier_column: str | None) -> pd.Series:
    if tier_column is None or tier_column not in problems.frame:
        return pd.Series([ALL] * len(problems.frame), dtype=object)
    labels = problems.text(tier_column)
    problems.add_rows(np.flatnonzero((labels == "").to_numpy()), tier_column, "missing")
    return labels


def _cohorts(problems: Problems, tier_column: str | None) -> dict[str, Lifetimes]:
    if not problems.require(["year", "alive"]):
        return {}
    years = problems.numbers("year", minimum=0, integer=True)
    alive = problems.numbers("alive", minimum=0, integer=True)
    cohorts = (problems.text("cohort") if "cohort" in problems.frame
               else pd.Series([""] * len(years)))
    labels = _group_labels(problems, tier_column)
    if problems.lines:
        return {}
    table = pd.DataFrame({"group": labels, "cohort": cohorts, "year": years.astype(int),
                          "alive": alive, "row": np.arange(len(years))})
    counts: dict[str, tuple[dict[int, float], dict[int, float]]] = {}
    for (group, _), rows in table.groupby(["group", "cohort"], sort=True):
        rows = rows.sort_values("year")
        if not _check_cohort(problems, rows):
            continue
        lost, survived = counts.setdefault(str(group), ({}, {}))
        alive_by_year = rows["alive"].to_numpy()
        for year, (before, after) in enumerate(zip(alive_by_year, alive_by_year[1:],
                                                    strict=False), start=1):
            lost[year] = lost.get(year, 0.0) + before - after
        last = len(alive_by_year) - 1
        survived[last] = survived.get(last, 0.0) + alive_by_year[-1]
    return {group: Lifetimes.of(*pair) for group, pair in counts.items()}


def _check_cohort(problems: Problems, rows: pd.DataFrame) -> bool:
    ok = True
    for expected, (row, year) in enumerate(zip(rows["row"], rows["year"], strict=True)):
        if year != expected:
            problems.add(int(row), "year", year, f"years of a cohort must run 0, 1, 2, ... "
                         f"without gaps or repeats (expected {expected})")
            return False
    previous = math.inf
    for row, alive in zip(rows["row"], rows["alive"], strict=True):
        if alive > previous:
            problems.add(int(row), "alive", alive, f"more than the year before ({previous:g}): "
                         "alive must not increase within a cohort")
            ok = False
        previous = alive
    return ok


def _accounts(problems: Problems, tier_column: str | None,
              as_of: str | None) -> dict[str, Lifetimes]:
    if not problems.require(["start_date", "end_date"]):
        return {}
    start = problems.dates("start_date")
    end = problems.dates("end_date", required=False)
    labels = _group_labels(problems, tier_column)
    before = np.flatnonzero(end < start)
    problems.add_rows(before, "end_date", "before the start_date")
    if problems.lines:
        return {}
    last = np.nanmax(np.r_[start, end]) if as_of is None else _as_of_day(as_of)
    late = np.flatnonzero(start > last)
    problems.add_rows(late, "start_date", f"after the as-of date {as_of}")
    if problems.lines:
        return {}
    ended = np.isfinite(end)
    lost_at = anniversaries(start, np.where(ended, end - GRACE_DAYS, last)) + 1
    survived = anniversaries(start, np.full(len(start), last))
    groups: dict[str, Lifetimes] = {}
    for group in sorted(set(labels)):
        members = (labels == group).to_numpy()
        lost = np.bincount(lost_at[members & ended])
        active = np.bincount(survived[members & ~ended])
        groups[str(group)] = Lifetimes.of(dict(enumerate(lost.astype(float))),
                                          dict(enumerate(active.astype(float))))
    return groups


def _as_of_day(as_of: str) -> float:
    return float((pd.Timestamp(as_of) - pd.Timestamp("1970-01-01")).days)
