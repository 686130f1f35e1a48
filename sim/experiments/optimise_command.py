"""The work behind ``cssim optimise``: validate, search with progress, report the decision."""

from __future__ import annotations

import math
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click
import pandas as pd

from sim.experiments.goals import INTERVAL
from sim.experiments.levers import Lever, effective_values
from sim.experiments.optimise import Optimum, manifest, run_optimisation, settings_from
from sim.experiments.search import Candidate, Settings
from sim.experiments.stats import LEVEL
from sim.scenario.schema import Scenario

SHOWN_KPIS = ("total_cost", "arr_end", "grr", "backlog_weeks_max", "sla_breach_share",
              "burnout_max")
"""KPIs the report shows besides the objective's and the constraints'."""
FRONTIER_ROWS = 12


def optimise_command(base: Scenario, source: Path, values: Mapping[str, Any]) -> None:
    """Run ``cssim optimise`` with the command's option values."""
    numbers = ("replications", "max_replications", "budget", "finalists", "final_replications",
               "seed", "parallel")
    settings = settings_from(base, values["lever"], values["minimise"], values["maximise"],
                             values["require"], **{key: values[key] for key in numbers})
    command = "cssim " + " ".join(shlex.quote(argument) for argument in sys.argv[1:])
    out = values["out_dir"] or (Path("results") / base.name /
                                f"optimise-{manifest(base, settings, None)['definition'][:8]}")
    click.echo(f"optimise {source}: {settings.objective}"
               + (f" subject to {', '.join(map(str, settings.constraints))}"
                  if settings.constraints else "") + f"; budget {settings.budget} plans", err=True)
    try:
        optimum = run_optimisation(base, settings, out, jobs=values["jobs"],
                                   scheduler=values["scheduler"], overwrite=values["overwrite"],
                                   command=command, wait=values["wait"],
                                   report=lambda candidate, budget: _progress(
                                       candidate, budget, settings, base))
    except KeyboardInterrupt:
        click.echo(f"interrupted: the replicates run so far are kept in {out}; run the same "
                   "command again to resume", err=True)
        raise
    print_optimum(optimum, settings, base)


def _progress(candidate: Candidate, budget: int, settings: Settings, base: Scenario) -> None:
    assessment = candidate.assessment
    values = effective_values(settings.levers, candidate.values, base)
    head = f"[{candidate.order:>3}/{budget}] {_levers_text(values, settings.levers)}"
    if candidate.plan is None or assessment is None:
        click.echo(f"{head}: invalid ({candidate.error})", err=True)
        return
    line = (f"{head}: {settings.objective.kpi} {_number(assessment.mean)}, "
            f"{assessment.status} ({assessment.n} replicates)")
    click.echo(line, err=True)


def _levers_text(values: Mapping[str, Any], levers: Sequence[Lever]) -> str:
    parts = []
    for lever in levers:
        shown = [_number(float(values[name])) for name in lever.names]
        parts.append(f"{lever.path}={','.join(shown)}")
    return " ".join(parts)


def _number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def print_optimum(optimum: Optimum, settings: Settings, base: Scenario) -> None:
    """The decision: chosen (or closest) plan, KPIs, constraints, runners-up, frontier, calendar."""
    search = optimum.evaluations[optimum.evaluations["stage"] == "search"]
    click.echo(f"searched {len(search)} plans ({int(search['n'].sum()):,} replicates, "
               f"{int(search['n'].min())}-{int(search['n'].max())} per plan); finalists re-run "
               f"on {settings.final_replications} fresh seeds; figures below are those")
    if optimum.plan is None or optimum.finalists.empty:
        click.echo("no plan could be evaluated (every plan failed); see failures.parquet")
        return
    chosen = optimum.finalists.iloc[0]
    if optimum.feasible:
        click.echo(f"\nCHOSEN PLAN {optimum.plan}: meets every constraint on fresh seeds")
    else:
        click.echo(f"\nINFEASIBLE: no plan evaluated was shown to meet the constraints. "
                   f"Closest: {optimum.plan}")
    click.echo(f"  {_levers_text(chosen, settings.levers)}")
    _print_kpis(chosen, settings)
    _print_constraints(chosen, settings, optimum.feasible)
    _print_runners_up(optimum.finalists.iloc[1:], settings)
    _print_frontier(optimum.frontier, settings)
    _print_calendar(optimum.calendar, base, optimum.scenario)
    chosen_file = "best" if optimum.feasible else "closest"
    calendar = ", calendar.parquet" if len(optimum.calendar) else ""
    click.echo(f"\nwrote {optimum.root.resolve()} ({chosen_file}.yaml, {chosen_file}-diff.yaml, "
               f"evaluations.parquet, frontier.parquet{calendar}, manifest.json)")


def _print_kpis(row: pd.Series, settings: Settings) -> None:
    kpis = [settings.objective.kpi,
            *(constraint.requirement.kpi for constraint in settings.constraints), *SHOWN_KPIS]
    click.echo(f"KPIs (mean and {LEVEL:.0%} CI, {int(row['n'])} replicates):")
    for kpi in dict.fromkeys(kpis):
        click.echo(f"  {kpi:<22} {_number(row[kpi]):>12}  [{_number(row[f'{kpi}_ci_low'])}, "
                   f"{_number(row[f'{kpi}_ci_high'])}]")


def _print_constraints(row: pd.Series, settings: Settings, feasible: bool) -> None:
    if not settings.constraints:
        return
    click.echo(f"constraints (estimate and {INTERVAL:.0%} interval; met when the whole interval "
               "is on the right side):")
    for constraint in settings.constraints:
        label = str(constraint)
        estimate, status = row[f"{label} estimate"], row[f"{label} status"]
        what = "P(met)" if constraint.probability is not None else "mean"
        text = (f"  {label:<30} {what} {_number(estimate):>6} [{_number(row[f'{label} low'])}, "
                f"{_number(row[f'{label} high'])}]  {status}")
        if constraint.probability is not None:
            text += (f"; {constraint.probability:.0%} of runs have "
                     f"{constraint.requirement.kpi} {'at most' if '<' in label else 'at least'} "
                     f"{_number(row[f'{label} quantile'])}")
        if not feasible and status != "met":
            text += f"  ({_missing(constraint, row)})"
        click.echo(text)


def _missing(constraint: Any, row: pd.Series) -> str:
    """Why a constraint is not met: short of it, or met by the estimate but not shown."""
    label = str(constraint)
    estimate = row[f"{label} estimate"]
    if constraint.probability is not None and estimate >= constraint.probability:
        return (f"the estimate meets {constraint.probability:g} but the lower bound "
                f"{_number(row[f'{label} low'])} does not: more runs would decide")
    if constraint.probability is None and constraint.requirement.met(pd.Series([estimate])).all():
        return "the mean meets the bound but its interval does not: more runs would decide"
    return f"short by {_shortfall(constraint, row)}"


def _shortfall(constraint: Any, row: pd.Series) -> str:
    label = str(constraint)
    if constraint.probability is not None:
        missing = constraint.probability - row[f"{label} estimate"]
        bound = constraint.requirement.value
        return (f"{max(0.0, missing):.0%} of runs; the bound would have to be "
                f"{_number(row[f'{label} quantile'])} instead of {_number(bound)}")
    value = constraint.requirement.value
    return f"mean {_number(row[f'{label} estimate'])} against {_number(value)}"


def _print_runners_up(rows: pd.DataFrame, settings: Settings) -> None:
    if rows.empty:
        return
    click.echo("runners-up (same fresh seeds):")
    for _, row in rows.iterrows():
        click.echo(f"  {row['plan']} {_levers_text(row, settings.levers)}: "
                   f"{settings.objective.kpi} {_number(row['objective'])}, P(all met) "
                   f"{_number(row['p_all_met'])}, {row['status']}")


def _print_frontier(front: pd.DataFrame, settings: Settings) -> None:
    if front.empty or not settings.constraints:
        return
    click.echo(f"cost-service frontier of the search ({settings.objective.kpi} against the share "
               "of runs meeting every constraint; no plan beats one of these on both):")
    for _, row in front.head(FRONTIER_ROWS).iterrows():
        click.echo(f"  {_number(row['objective']):>12}  P(all met) {row['p_all_met']:.2f} "
                   f"(n={int(row['n'])})  {_levers_text(row, settings.levers)}")
    if len(front) > FRONTIER_ROWS:
        click.echo(f"  ... {len(front) - FRONTIER_ROWS} more in frontier.parquet")


def _print_calendar(calendar: pd.DataFrame, base: Scenario, scenario: Scenario | None) -> None:
    if calendar.empty or scenario is None:
        return
    hiring = scenario.hiring
    click.echo(f"hiring calendar (requisitions open at the month shown; hires start after the "
               f"{hiring.lead_time_days:g}-day lead time and are fully productive after the "
               f"{hiring.ramp_days:g}-day ramp; backfills of leavers come on top):")
    click.echo(f"  {'pool':<14}{'open month':>11}{'requisitions':>14}{'target':>8}"
               f"{'start month':>13}{'productive':>12}")
    for _, row in calendar.iterrows():
        click.echo(f"  {row['pool']:<14}{row['open_month']:>11.1f}{row['requisitions']:>14d}"
                   f"{row['target_headcount']:>8d}{row['starts_month']:>13.1f}"
                   f"{row['productive_month']:>12.1f}")
