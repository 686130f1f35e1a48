"""Robustness of strategies across uncertainty: who wins where, and what the others lose.

Every strategy (a scenario file) is run at the same Latin-hypercube sample of the uncertain
parameters, over the same common-random-number replicates (one sweep directory, resumable, any
backend). At each sample point the strategy with the best mean KPI wins; per strategy:

* ``share_best``: the share of sample points where it is best (ties count for every tied
  strategy), with a Wilson interval (the points are a stratified sample of the uncertainty, so
  the interval is conservative); ``clear_wins``: how many of those wins are beyond replicate
  noise (the paired difference with the runner-up has a 95% CI that excludes 0);
* ``mean_regret`` and ``worst_regret``: how far its mean KPI falls short of the best strategy of
  each point (KPI units; 0 where it is best), on average and at worst, and the point where the
  worst happens;
* the flip rule: the single split ``parameter <= threshold`` that best separates the points
  where it wins from those where it does not (a one-split classification tree).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.core.errors import ScenarioError
from sim.experiments.design import MAX_PLANS, Plan, build_plans
from sim.experiments.kpis import RECORDED_KPIS
from sim.experiments.parameters import Parameter, parameters_table
from sim.experiments.runner import SweepSpec
from sim.experiments.seeding import design_rng
from sim.experiments.sensitivity import point_id
from sim.experiments.stats import mean_ci, wilson_interval
from sim.experiments.tasks import OK


@dataclass(frozen=True)
class Objective:
    """What makes a strategy best: the highest (``maximise``) or lowest mean of a KPI."""

    kpi: str = "grr"
    maximise: bool = True

    def check(self) -> None:
        """Raise ``ScenarioError`` for an unknown KPI."""
        if self.kpi not in RECORDED_KPIS:
            raise ScenarioError(f"objective KPI {self.kpi!r}: expected one of "
                                f"{', '.join(RECORDED_KPIS)}")

    @property
    def label(self) -> str:
        """``maximise grr``."""
        return f"{'maximise' if self.maximise else 'minimise'} {self.kpi}"


def lhs_unit(parameters: Sequence[Parameter], samples: int, seed: int) -> np.ndarray:
    """A Latin hypercube of ``samples`` points in 0..1 of each parameter's range."""
    if not 2 <= samples <= MAX_PLANS:
        raise ScenarioError(f"--samples = {samples}: must be between 2 and {MAX_PLANS}")
    if not parameters:
        raise ScenarioError("no uncertain parameters to sample")
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=len(parameters), rng=design_rng(seed)).random(samples)


def robustness_spec(strategies: Sequence[Plan], parameters: Sequence[Parameter], samples: int,
                    replications: int, objective: Objective, seed: int = 0,
                    command: str | None = None) -> SweepSpec:
    """The sweep of a robustness study: every strategy at every sample point.

    Raises:
        ScenarioError: a path does not resolve in a strategy's scenario, or a value makes it
            invalid; the message names the strategy, the point, the path and the value.
    """
    objective.check()
    if replications < 1:
        raise ScenarioError(f"--replications = {replications}: must be >= 1")
    unit = lhs_unit(parameters, samples, seed)
    entries = [(point_id(row), {item.path: item.scaled(float(value))
                                for item, value in zip(parameters, unit[row], strict=True)})
               for row in range(samples)]
    plans: list[Plan] = []
    for strategy in strategies:
        named = [(f"{strategy.id}-{point}", overrides) for point, overrides in entries]
        plans += build_plans(strategy.scenario, named, strategy.source)
    info = {"strategies": [{"plan": item.id, "source": item.source, "name": item.scenario.name}
                           for item in strategies],
            "robustness": {"samples": samples, "objective": objective.label,
                           "parameters": parameters_table(list(parameters))},
            "command": command}
    return SweepSpec("robustness", tuple(plans), replications, seed, info)


def outcomes(replicates: pd.DataFrame, strategies: Sequence[str], samples: int,
             kpi: str) -> pd.DataFrame:
    """Mean KPI per sample point (rows, ``p0001``...) and strategy (columns).

    Raises:
        ScenarioError: a strategy has no successful replicate at some point.
    """
    done = replicates[replicates["status"] == OK].astype({"plan": str})
    means = done.groupby("plan")[kpi].mean()
    points = [point_id(row) for row in range(samples)]
    table = pd.DataFrame({strategy: [means.get(f"{strategy}-{point}", math.nan)
                                     for point in points] for strategy in strategies},
                         index=pd.Index(points, name="point"))
    if table.isna().any().any():
        strategy = table.columns[table.isna().any()][0]
        raise ScenarioError(f"{strategy}: no successful replicate (or an undefined mean) at "
                            f"{int(table[strategy].isna().sum())} sample point(s); see "
                            "failures.parquet")
    return table


def clear_wins(replicates: pd.DataFrame, table: pd.DataFrame, kpi: str,
               maximise: bool) -> pd.Series:
    """Per point: whether its best strategy beats the runner-up beyond replicate noise.

    The paired differences best - runner-up over the replicates both completed (common random
    numbers) have a 95% Student-t interval that excludes 0. False with fewer than 2 pairs.
    """
    done = replicates[replicates["status"] == OK].astype({"plan": str})
    values = done.set_index(["plan", "replicate"])[kpi]
    order = table.rank(axis=1, ascending=not maximise, method="first")
    clear = {}
    for point, ranks in order.iterrows():
        best, second = ranks.idxmin(), ranks.loc[ranks == 2].index[0]
        pairs = (values.loc[f"{best}-{point}"] - values.loc[f"{second}-{point}"]).dropna()
        estimate = mean_ci(pairs.to_numpy())
        clear[point] = bool(estimate.ci_low > 0 or estimate.ci_high < 0)
    return pd.Series(clear, name="clear_win").rename_axis("point")


def regrets(table: pd.DataFrame, maximise: bool) -> pd.DataFrame:
    """How far each strategy's mean falls short of the best at each point (0 for the best)."""
    if maximise:
        return table.max(axis=1).to_numpy()[:, None] - table
    return table - table.min(axis=1).to_numpy()[:, None]


def summary(table: pd.DataFrame, maximise: bool, clear: pd.Series) -> pd.DataFrame:
    """Per strategy: share of points where it is best (Wilson CI), mean and worst regret.

    ``clear_wins``: the points where it is best and its lead is beyond replicate noise (see
    :func:`clear_wins`).
    """
    regret = regrets(table, maximise)
    best = regret <= 0
    rows = []
    for strategy in table.columns:
        wins, points = int(best[strategy].sum()), len(table)
        low, high = wilson_interval(wins, points)
        rows.append({"strategy": strategy, "wins": wins, "points": points,
                     "clear_wins": int((best[strategy] & clear.reindex(table.index)).sum()),
                     "share_best": wins / points, "share_ci_low": low, "share_ci_high": high,
                     "mean_regret": float(regret[strategy].mean()),
                     "worst_regret": float(regret[strategy].max()),
                     "worst_point": str(regret[strategy].idxmax())})
    return pd.DataFrame(rows)


def flip_rules(table: pd.DataFrame, values: pd.DataFrame, maximise: bool) -> pd.DataFrame:
    """Per strategy: the one split of one parameter that best separates where it wins.

    ``values`` holds the parameter values, one column per path, rows aligned with ``table``.
    A strategy that wins everywhere or nowhere has no rule (empty parameter).
    """
    best = regrets(table, maximise) <= 0
    rows = []
    for strategy in table.columns:
        wins = best[strategy].to_numpy(dtype=bool)
        rule: dict[str, Any] = {"strategy": strategy, "parameter": "", "threshold": math.nan,
                                "share_best_below": math.nan, "share_best_above": math.nan,
                                "n_below": 0, "n_above": 0, "accuracy": math.nan}
        if 0 < wins.sum() < len(wins):
            rule.update(best_split(values, wins))
        rows.append(rule)
    return pd.DataFrame(rows)


def best_split(values: pd.DataFrame, labels: np.ndarray) -> dict[str, Any]:
    """The split ``column <= threshold`` with the fewest misclassified labels.

    Each side predicts its majority; ties go to the earlier column, then the split with the
    widest gap between the two sides' shares. The threshold is halfway between the two values
    that the split falls between.
    """
    chosen: tuple[float, float] | None = None
    result: dict[str, Any] = {}
    for column in values.columns:
        order = np.argsort(values[column].to_numpy(dtype=float), kind="stable")
        x = values[column].to_numpy(dtype=float)[order]
        y = labels[order].astype(float)
        for split in np.nonzero(np.diff(x) > 0)[0] + 1:
            below, above = y[:split], y[split:]
            errors = (min(below.sum(), len(below) - below.sum())
                      + min(above.sum(), len(above) - above.sum()))
            gap = abs(below.mean() - above.mean())
            if chosen is None or (errors, -gap) < chosen:
                chosen = (errors, -gap)
                threshold = float((x[split - 1] + x[split]) / 2)
                result = {"parameter": str(column), "threshold": threshold,
                          "share_best_below": float(below.mean()),
                          "share_best_above": float(above.mean()),
                          "n_below": int(split), "n_above": int(len(y) - split),
                          "accuracy": 1 - float(errors) / len(y)}
    return result
