"""A short human summary of one run: headline figures and one line per staff pool.

The figures come from the run's ``summary`` table (one row) and ``workforce`` table. GRR, NRR,
utilisation and the shares are fractions, printed as percentages; ``cs_cost_pct_arr_ttm``
is already a percentage; burnout is on its 0..1 scale. Missing values print as ``n/a``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from rich import box
from rich.console import Console, Group
from rich.table import Table

from sim.core.calendar import month_label
from sim.outputs.results import RunResult
from sim.outputs.terminal import PipeAwareConsole

NOT_AVAILABLE = "n/a"
POOL_WIDTH = 24
"""Pool names up to this long stay on one line at 80 columns; longer ones fold."""


def summary_table(result: RunResult) -> Table:
    """Headline figures of a run: customers, ARR, retention, backlog, service and cost."""
    table = Table(title=_title(result.manifest), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    for label, value in headline_rows(_summary_row(result.summary)):
        table.add_row(label, value)
    return table


def pools_table(result: RunResult) -> Table:
    """One row per staff pool: headcount, peak utilisation and burnout, hires, departures.

    Peak utilisation and peak burnout are the highest pool means over the periods; worst
    burnout is the highest of any one person.
    """
    rows = [(_two_lines(row[0]), *row[1:]) for row in pool_rows(result.workforce)]
    longest = max((len(line) for row in rows for line in row[0].splitlines()), default=8)
    table = Table(title="Staff pools", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Pool", min_width=min(longest, POOL_WIDTH), overflow="fold")
    headers = ("Headcount", "Peak\nutil.", "Peak\nburnout", "Worst\nburnout", "Hires",
               "Depar-\ntures")
    for index, header in enumerate(headers, start=1):
        widest = max([*(len(line) for line in header.splitlines()),
                      *(len(row[index]) for row in rows)])
        table.add_column(header, justify="right", no_wrap=True, min_width=widest)
    for row in rows:
        table.add_row(*row)
    return table


def print_summary(result: RunResult, console: Console | None = None) -> None:
    """Print the summary; colour only when the console is a terminal (rich decides)."""
    (console or PipeAwareConsole()).print(Group(summary_table(result), pools_table(result)))


def format_summary(result: RunResult, width: int = 100) -> str:
    """The summary as plain text, without colour codes."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False,
                      highlight=False)
    print_summary(result, console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def headline_rows(row: Mapping[str, object]) -> list[tuple[str, str]]:
    """Label and formatted value of each headline figure, from the summary row."""
    return [
        ("Customers (start -> end)",
         f"{_count(row.get('customers_start'))} -> {_count(row.get('customers_end'))}"),
        ("Churned / abandoned before go-live",
         f"{_count(row.get('churned_customers'))} / {_count(row.get('abandoned_customers'))}"),
        ("ARR (start -> end)", f"{_money(row.get('arr_start'))} -> {_money(row.get('arr_end'))}"),
        ("GRR, last 12 months", _percent(row.get("grr_ttm_last"))),
        ("ARR lost before go-live, whole run", _money(row.get("arr_lost_before_golive"))),
        ("NRR, last 12 months", _percent(row.get("nrr_ttm_last"))),
        ("Peak onboarding backlog",
         f"{_number(row.get('onboarding_backlog_weeks_peak'))} weeks "
         f"({_count(row.get('onboarding_backlog_peak'))} customers)"),
        ("Missed renewals", _count(row.get("missed_renewals"))),
        ("Touches missed / SLA breaches",
         f"{_percent(row.get('touches_missed_share'))} / "
         f"{_percent(row.get('sla_breach_share'))}"),
        ("Work priority: touches / support",
         f"{_text(row.get('touch_priority'))} / {_text(row.get('support_priority'))}"),
        ("Peak utilisation / burnout (any person)",
         f"{_percent(row.get('utilisation_peak'))} / {_number(row.get('burnout_peak'), 2)}"),
        ("Hires / departures", f"{_count(row.get('hires'))} / {_count(row.get('departures'))}"),
        ("CS cost, whole run", _money(row.get("total_cs_cost"))),
        ("CS cost % of mean ARR, last 12 months",
         _percent(row.get("cs_cost_pct_arr_ttm"), scale=1.0)),
    ]


def pool_rows(workforce: pd.DataFrame) -> list[tuple[str, ...]]:
    """Formatted figures per staff pool, in the order the pools first appear."""
    if workforce.empty:
        return []
    rows: list[tuple[str, ...]] = []
    for pool, periods in workforce.groupby("pool", sort=False):
        periods = periods.sort_values("day")
        headcount = periods["headcount"]
        rows.append((
            _pool_label(str(pool), str(periods["role"].iloc[0])),
            f"{_count(headcount.iloc[0])} -> {_count(headcount.iloc[-1])}",
            _percent(periods["utilisation_mean"].max()),
            _number(periods["burnout_mean"].max(), 2),
            _number(periods["burnout_max"].max(), 2),
            _count(periods["hires"].sum(min_count=1)),
            _count(periods["departures"].sum(min_count=1)),
        ))
    return rows


def _two_lines(label: str) -> str:
    """A long ``pool (role)`` label with the role on a second line."""
    return label.replace(" (", "\n(", 1) if len(label) > POOL_WIDTH else label


def _pool_label(pool: str, role: str) -> str:
    return pool if role in pool else f"{pool} ({role})"


def _summary_row(summary: pd.DataFrame) -> Mapping[str, object]:
    return summary.iloc[0].to_dict() if len(summary) else {}


def _title(manifest: Mapping[str, object]) -> str:
    """Scenario and seed, and the calendar months covered when the scenario has a start date."""
    scenario = manifest.get("scenario")
    scenario = scenario if isinstance(scenario, Mapping) else {}
    title = f"Run summary: {scenario.get('name', '?')}, seed {manifest.get('seed', '?')}"
    start, months = scenario.get("start_date"), scenario.get("horizon_months")
    if isinstance(start, str) and isinstance(months, int):
        title += f", {month_label(0, start)} to {month_label(months - 1, start)}"
    return title


def _as_float(value: object) -> float | None:
    """The value as a float, or None when it is missing (None, NaN, NA)."""
    if value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return None
    return float(value)  # type: ignore[arg-type]  # numbers and numpy scalars


def _text(value: object) -> str:
    """A text column's value; missing or empty (a run without CSM pools) as ``n/a``."""
    if value is None or value == "" or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return NOT_AVAILABLE
    return str(value)


def _count(value: object) -> str:
    number = _as_float(value)
    return NOT_AVAILABLE if number is None else f"{round(number):,}"


def _number(value: object, digits: int = 1) -> str:
    number = _as_float(value)
    return NOT_AVAILABLE if number is None else f"{number:,.{digits}f}"


def _percent(value: object, scale: float = 100.0) -> str:
    number = _as_float(value)
    return NOT_AVAILABLE if number is None else f"{number * scale:.1f}%"


def _money(value: object) -> str:
    amount = _as_float(value)
    if amount is None:
        return NOT_AVAILABLE
    return f"{'-' if amount < 0 else ''}${abs(amount):,.0f}"
