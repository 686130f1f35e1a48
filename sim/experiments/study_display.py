"""What ``cssim sensitivity`` and ``cssim compare --uncertain`` print when they end."""

from __future__ import annotations

import math

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from sim.experiments.display import _percent
from sim.experiments.stats import LEVEL
from sim.experiments.studies import RobustnessResult, SensitivityResult

MAX_ROWS = 40


def _number(value: float, signed: bool = False) -> str:
    """A short figure: 18.03M, 452k, 0.861, 12.4 (n/a when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    sign = "+" if signed and value > 0 else ""
    if math.isinf(value):
        return f"{sign}{value}"
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{sign}{value / scale:.3g}{suffix}"
    return f"{sign}{value:.3g}"


def print_sensitivity(result: SensitivityResult, method: str, title: str,
                      console: Console) -> None:
    """Per KPI: the ranked indices, the tornado swings and the share of replicate noise."""
    for kpi in dict.fromkeys(result.indices["kpi"]):
        indices = result.indices[result.indices["kpi"] == kpi]
        tornado = result.tornado[result.tornado["kpi"] == kpi].set_index("parameter")
        noise = result.noise[result.noise["kpi"] == kpi].iloc[0]
        console.print(f"\n{title}: {kpi}", soft_wrap=True)
        console.print(_indices_table(indices, tornado, method))
        console.print(_noise_line(noise, indices, method), soft_wrap=True)


def _indices_table(indices: pd.DataFrame, tornado: pd.DataFrame, method: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    headers = (["mu*", f"± {LEVEL:.0%}", "mu", "sigma", "noise"] if method == "morris"
               else ["S1", f"± {LEVEL:.0%}", "ST", f"± {LEVEL:.0%}"])
    for header in ["#", "Parameter", "Range", *headers, "Lower half", "Upper half"]:
        table.add_column(header, justify="left" if header in ("Parameter", "Range") else "right")
    for row in indices.head(MAX_ROWS).itertuples():
        values = ([row.mu_star, row.mu_star_conf, row.mu, row.sigma, row.noise_floor]
                  if method == "morris"
                  else [row.S1, row.S1_conf, row.ST, row.ST_conf])
        swing = tornado.loc[row.parameter]
        table.add_row(str(row.rank), str(row.parameter), f"{row.low:g} - {row.high:g}",
                      *(_number(float(value)) for value in values),
                      _number(float(swing["y_low"])), _number(float(swing["y_high"])))
    return table


def _noise_line(noise: pd.Series, indices: pd.DataFrame, method: str) -> str:
    points, replications = int(noise["points"]), noise["replications"]
    if math.isnan(noise["noise_share"]):
        return (f"{points} points x {replications:g} replicate(s): replicate noise not measured "
                "(needs --replications 2 or more)")
    text = (f"{points} points x {replications:g} replicates. Replicate noise: "
            f"{_percent(noise['noise_share'])} of the variance of single runs, "
            f"{_percent(noise['noise_share_of_means'])} of the variance of the point means "
            "(an upper bound under common random numbers)")
    if method == "morris":
        below = int((indices["mu_star"] <= 2 * indices["noise_floor"]).sum())
        text += (". Column noise: the mu* replicate noise alone would give a parameter without "
                 f"effect; {below} of {len(indices)} parameters have mu* under twice their noise "
                 "(not resolved at this sample size)")
    return text + "."


def print_robustness(result: RobustnessResult, objective: str, console: Console) -> None:
    """Per strategy: share of points where it is best, regrets, and where its rank flips."""
    summary = result.summary.set_index("strategy")
    flips = result.flips.set_index("strategy")
    points = int(summary["points"].iloc[0])
    console.print(f"\nRobustness over {points} Latin-hypercube points ({objective}; regret in "
                  "the KPI's units, against the best strategy of each point)", soft_wrap=True)
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("Strategy", "Best at", f"{LEVEL:.0%} CI", "Clear", "Mean regret",
                   "Worst regret", "Where it wins (one split)"):
        table.add_column(header, justify="left" if header[0] in "SW" else "right")
    for strategy, row in summary.iterrows():
        table.add_row(str(strategy), f"{_percent(row['share_best'])} ({row['wins']}/{points})",
                      f"{_percent(row['share_ci_low'])} - {_percent(row['share_ci_high'])}",
                      str(row["clear_wins"]),
                      _number(row["mean_regret"]), _number(row["worst_regret"]),
                      _rule(flips.loc[strategy]))
    console.print(table)
    console.print("Clear: wins whose lead over the runner-up is beyond replicate noise (paired "
                  f"{LEVEL:.0%} CI excludes 0).", soft_wrap=True)


def _rule(flip: pd.Series) -> str:
    if not flip["parameter"]:
        return "-"
    return (f"{flip['parameter']} <= {flip['threshold']:.3g}: best at "
            f"{_percent(flip['share_best_below'])} of {flip['n_below']} points; above: "
            f"{_percent(flip['share_best_above'])} of {flip['n_above']} "
            f"(split right for {_percent(flip['accuracy'])})")
