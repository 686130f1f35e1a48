"""``cssim export``: the tables of a run, sweep or compare directory for a spreadsheet.

One workbook (XlsxWriter) with a sheet per table, money as ``$#,##0``, shares as ``0.0%``,
headers frozen; or one CSV file per table in a folder. The tables:

* a run: ``summary`` (one row), ``monthly`` (the time series of all tiers together),
  ``economics`` (per-tier unit economics over the last twelve months), ``workforce``;
* a sweep or comparison: ``kpis`` (mean and 95% CI per plan and KPI, with the paired
  difference against the baseline), ``differences``, ``requirements`` (when set), ``plans``,
  ``replicates`` (one row per replicate) and ``monthly`` (per plan and period, the mean and
  the 5%, 50% and 95% quantiles over the replicates).

Periods carry a ``month`` column: ``YYYY-MM`` with a scenario ``start_date``, else
``month N``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from sim.outputs.io import CSV_MARKER, DERIVED_CREATOR
from sim.report_html.source import Calendar, ExperimentSource, RunSource, load

FORMATS = ("xlsx", "csv")

MONEY = re.compile(r"(^|_)(arr|acv|cost|costs|amount)(_|$)|_usd$")
SHARE = re.compile(r"(^|_)(grr|nrr|share|utilisation|probability)(_|$)")
PERCENT = re.compile(r"_pct_")
MONEY_FORMAT = "$#,##0"
SHARE_FORMAT = "0.0%"
PERCENT_FORMAT = '0.0"%"'
NUMBER_FORMAT = "#,##0.00"


def export(path: Path, output_format: str = "xlsx", out: Path | None = None) -> Path:
    """Write the tables of ``path`` as a workbook or as CSV files; returns what was written.

    Raises:
        ValueError: unknown format, or ``path`` is not a run, sweep or compare directory.
    """
    if output_format not in FORMATS:
        raise ValueError(f"--format = {output_format!r}: expected one of {', '.join(FORMATS)}")
    tables = export_tables(load(Path(path)))
    if output_format == "csv":
        return _write_csv(tables, Path(out) if out else Path(path) / "csv")
    return _write_xlsx(tables, Path(out) if out else Path(path) / "tables.xlsx")


def export_tables(source: RunSource | ExperimentSource) -> dict[str, pd.DataFrame]:
    """The tables to export, by sheet name."""
    if isinstance(source, RunSource):
        return _run_tables(source)
    return _experiment_tables(source)


def _run_tables(source: RunSource) -> dict[str, pd.DataFrame]:
    from sim.report_html.run_economics import economics_rows

    series = source.tables["timeseries"]
    monthly = series[series["tier"] == "all"].reset_index(drop=True)
    economics = economics_rows(source).drop(columns=["range"])
    return {"summary": source.tables["summary"],
            "monthly": with_month_label(monthly, source.calendar),
            "economics": economics,
            "workforce": with_month_label(source.tables["workforce"], source.calendar)}


def _experiment_tables(source: ExperimentSource) -> dict[str, pd.DataFrame]:
    from sim.experiments.store import read_replicates

    tables = {"kpis": source.comparison,
              "differences": pd.read_parquet(source.path / "differences.parquet")}
    if source.requirements is not None:
        tables["requirements"] = source.requirements
    replicates = read_replicates(source.path).drop(columns=["traceback"])
    tables.update({"plans": source.plans, "replicates": replicates,
                   "monthly": trajectory_table(source)})
    return tables


def trajectory_table(source: ExperimentSource) -> pd.DataFrame:
    """Per plan and period: mean, 5%, 50% and 95% quantiles of each per-period KPI."""
    series = source.timeseries.replace([np.inf, -np.inf], np.nan)
    values = [column for column in series.columns
              if column not in ("plan", "replicate", "period", "day")]
    grouped = series.groupby(["plan", "period"], sort=False)[values]
    parts = {"mean": grouped.mean()}
    for level in (0.05, 0.5, 0.95):
        parts[f"q{round(level * 100):02d}"] = grouped.quantile(level)
    frame = pd.concat(parts, axis=1)
    frame.columns = [f"{kpi}_{statistic}" for statistic, kpi in frame.columns]
    frame = frame[[f"{kpi}_{statistic}" for kpi in values for statistic in parts]].reset_index()
    rank = {plan: index for index, plan in enumerate(source.plan_order)}
    frame = frame.sort_values(["plan", "period"], key=lambda column: column.map(rank)
                              if column.name == "plan" else column, kind="stable")
    return with_month_label(frame.reset_index(drop=True), source.calendar)


def with_month_label(frame: pd.DataFrame, calendar: Calendar) -> pd.DataFrame:
    """The table with its ``month`` column (added after ``period`` when the run lacks one)."""
    if "month" in frame.columns or "period" not in frame.columns:
        return frame
    labels = [_month_value(int(period), calendar) for period in frame["period"]]
    result = frame.copy()
    result.insert(int(result.columns.get_loc("period")) + 1, "month", labels)
    return result


def column_format(name: str) -> str | None:
    """The number format of a column, from its name (None: the default)."""
    if PERCENT.search(name) or name in ("cost_pct_acv",):
        return PERCENT_FORMAT
    if SHARE.search(name):
        return SHARE_FORMAT
    if MONEY.search(name):
        return MONEY_FORMAT
    return None


def _month_value(period: int, calendar: Calendar) -> str:
    from sim.core.calendar import month_column, period_month

    month = period_month(period, calendar.output_period)
    return month_column(month, calendar.start_date) if calendar.start_date else f"month {month + 1}"


def _write_xlsx(tables: Mapping[str, pd.DataFrame], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.tmp-{os.getpid()}{target.suffix}")
    try:
        with pd.ExcelWriter(temporary, engine="xlsxwriter") as writer:
            writer.book.set_properties({"author": DERIVED_CREATOR})
            for name, frame in tables.items():
                _write_sheet(writer, name, frame)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame) -> None:
    clean = frame.replace([np.inf, -np.inf], np.nan)
    clean.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
    book, sheet = writer.book, writer.sheets[name]
    formats = {text: book.add_format({"num_format": text})
               for text in (MONEY_FORMAT, SHARE_FORMAT, PERCENT_FORMAT, NUMBER_FORMAT)}
    for index, column in enumerate(clean.columns):
        numeric = pd.api.types.is_float_dtype(clean[column])
        chosen = column_format(str(column)) or (NUMBER_FORMAT if numeric else None)
        width = max(10, min(40, len(str(column)) + 2))
        sheet.set_column(index, index, width, formats[chosen] if chosen else None)
    sheet.autofilter(0, 0, max(len(clean), 1), max(len(clean.columns) - 1, 0))


def _write_csv(tables: Mapping[str, pd.DataFrame], folder: Path) -> Path:
    """One file per table; an existing folder is reused only if it holds nothing else."""
    names = {f"{name}.csv" for name in tables}
    if folder.exists():
        if not folder.is_dir():
            raise FileExistsError(f"{folder}: exists and is not a folder")
        foreign = sorted(entry.name for entry in folder.iterdir()
                         if entry.name not in names | {CSV_MARKER})
        if foreign:
            raise FileExistsError(f"{folder}: holds other files ({', '.join(foreign[:3])}); "
                                  "not writing CSV files into it")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CSV_MARKER).write_text(DERIVED_CREATOR + "\n", encoding="utf-8")
    for name, frame in tables.items():
        target = folder / f"{name}.csv"
        temporary = folder / f".{name}.csv.tmp-{os.getpid()}"
        try:
            frame.to_csv(temporary, index=False)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    return folder
