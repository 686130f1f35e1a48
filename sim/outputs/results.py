"""The result of one run: tidy tables as pandas DataFrames."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class RunResult:
    """Tables produced by ``sim.run(scenario, seed)``.

    Attributes:
        timeseries: one row per (period, tier), plus tier ``all``.
        workforce: one row per (period, staff pool).
        events: one row per recorded event (time, kind, customer, staff, tier, pool and the
            value columns of ``sim.core.events``).
        customers: one row per customer, final state.
        summary: one row of headline KPIs.
        manifest: the normalised scenario, seed and package version.
    """

    timeseries: pd.DataFrame
    workforce: pd.DataFrame
    events: pd.DataFrame
    customers: pd.DataFrame
    summary: pd.DataFrame
    manifest: dict

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by output file stem."""
        return {
            "timeseries": self.timeseries,
            "workforce": self.workforce,
            "events": self.events,
            "customers": self.customers,
            "summary": self.summary,
        }
