"""What a sweep shows: a progress bar on stderr while it runs, summary tables when it ends."""

from __future__ import annotations

import json
import math
from types import TracebackType

import numpy as np
import pandas as pd
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from sim.experiments.analysis import Analysis
from sim.experiments.design import describe
from sim.experiments.stats import LEVEL
from sim.outputs.formats import better_text, kpi_change, kpi_spread, kpi_unit, kpi_value, verdict

MAX_LISTED_PLANS = 40
CUE_STYLES = {"better": "green", "worse": "red"}


class ProgressBar:
    """A rich progress bar: pairs done of the total, failed, elapsed time and ETA.

    Drawn on stderr, and only when stderr is a terminal.
    """

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("failed {task.fields[failed]}"), TimeElapsedColumn(),
                            TextColumn("ETA"), TimeRemainingColumn(), console=self.console,
                            disable=not self.console.is_terminal)
        self.task: TaskID | None = None
        self.failed = 0

    def __enter__(self) -> ProgressBar:
        self.bar.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.bar.stop()

    def start(self, total: int, done: int, failed: int) -> None:
        """Show a round: ``done`` of ``total`` pairs already on disk."""
        self.failed = failed
        if self.task is None:
            self.task = self.bar.add_task("replicates", total=total, completed=done,
                                          failed=failed)
        else:
            self.bar.update(self.task, total=total, completed=done, failed=failed)

    def advance(self, done: int, failed: int) -> None:
        """Count a stored batch."""
        self.failed += failed
        if self.task is not None:
            self.bar.update(self.task, advance=done, failed=self.failed)


def print_analysis(analysis: Analysis, console: Console) -> None:
    """Print the plans, KPI means with CIs and paired differences, and requirement odds."""
    console.print(_plans_table(analysis.plans, analysis.kind == "compare"))
    console.print(f"\nKPI means ± {LEVEL:.0%} CI half-width; Δ = paired difference vs "
                  f"{analysis.baseline}, better or worse when its CI excludes 0; shares in %, "
                  "their differences in percentage points (pts)", soft_wrap=False)
    console.print(_kpi_table(analysis))
    if analysis.requirements is not None:
        label = analysis.requirements["requirement"].iloc[0]
        console.print(f"Probability of meeting {label} ({LEVEL:.0%} Wilson CI)")
        console.print(_requirements_table(analysis.requirements))
    if np.isinf(analysis.comparison["mean"]).any():
        console.print("inf: some replicate's value is infinite (e.g. an onboarding queue with "
                      "nobody on staff to serve it at a period end); its CI is undefined (n/a)")
    failed = int(analysis.counts["failed"].sum())
    if failed:
        console.print(f"{failed} of {int(analysis.counts['replicates'].sum())} replicates "
                      "failed (see failures.parquet)")


def _plans_table(plans: pd.DataFrame, files: bool) -> Table | str:
    """Each plan's changes to the base scenario, or (comparing files) its scenario file."""
    if len(plans) > MAX_LISTED_PLANS:
        return f"{len(plans)} plans; their overrides are in plans.parquet"
    table = Table(title="Plans", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Plan", no_wrap=True)
    table.add_column("Scenario file" if files else "Changes to the base scenario",
                     overflow="fold")
    for row in plans.itertuples():
        overrides = json.loads(str(row.overrides))
        table.add_row(str(row.plan), str(row.source) if files else describe(overrides, 90))
    return table


def _kpi_table(analysis: Analysis) -> Table:
    """A heading row per KPI (meaning, short name, better direction), then a row per plan.

    The caption gives the replicates per plan; a figure resting on fewer says its own n.
    """
    counts = analysis.counts.set_index("plan")
    done = counts["replicates"] - counts["failed"]
    common = int(done.max()) if len(done) else 0
    table = Table(box=box.SIMPLE_HEAD, caption=f"n = {common} replicates per plan unless shown",
                  caption_justify="left")
    table.add_column("KPI / plan", overflow="fold")
    table.add_column(f"Mean ± {LEVEL:.0%} CI", justify="right")
    table.add_column(f"Δ vs {analysis.baseline}", justify="right", overflow="fold")
    rows = analysis.comparison.set_index(["kpi", "plan"])
    pairs = analysis.differences.set_index(["kpi", "plan"])["n"]
    plans = [str(plan) for plan in dict.fromkeys(analysis.comparison["plan"])]
    for kpi in dict.fromkeys(analysis.comparison["kpi"]):
        table.add_row(Text(kpi_unit(kpi).label or kpi, style="bold"), Text(kpi, style="dim"),
                      better_text(kpi))
        for plan in plans:
            baseline = plan == analysis.baseline
            table.add_row(f"  {plan}{_fewer(done[plan], common)}",
                          *_cells(kpi, rows.loc[(kpi, plan)], done[plan],
                                  None if baseline else pairs[(kpi, plan)]))
        table.add_section()
    return table


def _cells(kpi: str, row: pd.Series, column_n: int, pairs: int | None) -> tuple[str, Text]:
    """Mean ± half-width; unless ``pairs`` is None (the baseline), the difference and its cue."""
    mean = (f"{kpi_value(kpi, row['mean'], compact=True)} ± "
            f"{kpi_spread(kpi, (row['ci_high'] - row['ci_low']) / 2, compact=True)}"
            f"{_fewer(int(row['n']), column_n)}")
    if pairs is None:
        return mean, Text("baseline", style="dim")
    half = (row["difference_ci_high"] - row["difference_ci_low"]) / 2
    change = (f"{kpi_change(kpi, row['difference'], compact=True)} ± "
              f"{kpi_spread(kpi, half, compact=True)}{_fewer(int(pairs), column_n)}")
    cue = verdict(kpi, row["difference_ci_low"], row["difference_ci_high"])
    text = Text(change)
    text.append(f" {cue}" if cue else "", style=CUE_STYLES.get(cue, ""))
    return mean, text


def _fewer(n: int, column_n: int) -> str:
    """`` (n=3)`` when a figure rests on fewer replicates than the plan's row says."""
    return f" (n={n})" if n != column_n else ""


def _requirements_table(requirements: pd.DataFrame) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("Plan", "P(met)", f"{LEVEL:.0%} CI", "Met / n"):
        table.add_column(header, justify="left" if header == "Plan" else "right")
    for row in requirements.itertuples():
        table.add_row(str(row.plan), _percent(row.probability),
                      f"{_percent(row.ci_low)} - {_percent(row.ci_high)}", f"{row.met} / {row.n}")
    return table


def print_precision(report: pd.DataFrame, replications: int, cap: int, console: Console) -> None:
    """Say whether every plan reached the target precision, or that the cap stopped the sweep."""
    kpi, target = report["kpi"].iloc[0], float(report["target"].iloc[0])
    worst = report["relative_half_width"].max()
    if report["converged"].all():
        needed = int(report["replications_needed"].max())
        console.print(f"precision: ±{target:.2%} on {kpi} reached and held for every plan "
                      f"after {replications} replicates per plan (Hoad-Robinson-Davies: "
                      f"{needed} needed; worst now ±{worst:.2%})", soft_wrap=True)
        return
    short = report.loc[~report["converged"], "plan"].tolist()
    console.print(f"precision: stopped at {replications} replicates per plan (cap {cap}) "
                  f"without reaching and holding ±{target:.2%} on {kpi} for "
                  f"{', '.join(short[:8])}{' ...' if len(short) > 8 else ''} "
                  f"(worst now ±{worst:.2%})", soft_wrap=True)


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0%}"
