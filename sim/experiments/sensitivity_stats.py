"""Indices of a sensitivity study from the outputs of its sample points (SALib), noise, tornado.

The output ``Y`` of a point is the mean of its replicates (or of the paired differences).

* Morris (Morris 1991; Campolongo et al. 2007): per parameter ``mu_star`` (mean absolute
  elementary effect) with its bootstrap CI, ``mu`` and ``sigma``. An elementary effect is the
  change of ``Y`` for a step scaled to the whole plausible range, so ``mu_star`` is in the KPI's
  units: what moving the parameter from the low to the high end does, on average.
  ``noise_floor``: the ``mu_star`` replicate noise alone would give this parameter if it had
  no effect. Each elementary effect is a difference of two point means; its noise variance is
  the variance over replicates of the per-replicate differences divided by ``R`` (so the
  correlation common random numbers create between the points is accounted for). Pooled over
  the parameter's effects, ``v``, the floor is ``E|N(0, v)| = sqrt(2 v / pi)`` per step.
* Sobol (Saltelli 2010 / Jansen estimators): ``S1`` and ``ST`` with bootstrap CIs.
* Noise: ``W`` = mean over points (with 2 or more replicates) of the variance between
  replicates of a point; ``noise_share``
  = ``W`` over the variance of single replicates over all points (how much of what one run
  shows is noise); ``noise_share_of_means`` = ``(W / R)`` over the variance of the point means
  (how much of the variance the indices decompose is noise; again an upper bound under common
  random numbers).
* Tornado: per parameter, the mean ``Y`` over the points in the lower half of its range and
  over those in the upper half (the other parameters averaged over the sample; a Morris
  trajectory puts every parameter in both halves).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.core.errors import ScenarioError
from sim.experiments.sensitivity import MORRIS_LEVELS, SensitivityDesign, point_id
from sim.experiments.stats import LEVEL

BOOTSTRAP_RESAMPLES = 1000


def point_outputs(frame: pd.DataFrame, points: int) -> pd.DataFrame:
    """Per sample point (in design order): mean ``y``, variance between replicates, ``n``.

    Raises:
        ScenarioError: a point has no successful replicate, or a non-finite output.
    """
    ids = [point_id(index) for index in range(points)]
    grouped = frame.groupby("point")["y"].agg(["mean", "var", "count"]).reindex(ids)
    missing = grouped.index[grouped["count"].fillna(0) == 0].tolist()
    if missing:
        raise ScenarioError(f"{len(missing)} sample point(s) have no replicate with a value "
                            f"(first {missing[0]}): replicates failed (see failures.parquet) "
                            "or the KPI is undefined (e.g. grr in a run shorter than a year)")
    infinite = grouped.index[~np.isfinite(grouped["mean"])].tolist()
    if infinite:
        raise ScenarioError(f"{len(infinite)} sample point(s) have an infinite or undefined "
                            f"mean (first {infinite[0]}); choose another KPI or narrower ranges")
    return grouped.rename(columns={"mean": "y", "var": "variance", "count": "n"})


def indices(design: SensitivityDesign, unit: np.ndarray, outputs: pd.DataFrame,
            frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Morris or Sobol indices of each parameter, ranked (most influential first).

    ``frame`` (point, replicate, y) gives the Morris noise floors (NaN without it).
    """
    y = outputs["y"].to_numpy(dtype=float)
    seed = design.sample_seed()
    names = [parameter.path for parameter in design.parameters]
    if design.method == "morris":
        from SALib.analyze import morris

        result = morris.analyze(design.problem(), unit, y, num_resamples=BOOTSTRAP_RESAMPLES,
                                conf_level=LEVEL, num_levels=MORRIS_LEVELS, seed=seed)
        table = pd.DataFrame({"parameter": names, "mu_star": result["mu_star"],
                              "mu_star_conf": result["mu_star_conf"], "mu": result["mu"],
                              "sigma": result["sigma"]})
        table["noise_floor"] = (morris_noise_floors(design, unit, frame) if frame is not None
                                else math.nan)
        order = "mu_star"
    else:
        from SALib.analyze import sobol

        result = sobol.analyze(design.problem(), y, calc_second_order=False,
                               num_resamples=BOOTSTRAP_RESAMPLES, conf_level=LEVEL, seed=seed)
        table = pd.DataFrame({"parameter": names, "S1": result["S1"],
                              "S1_conf": result["S1_conf"], "ST": result["ST"],
                              "ST_conf": result["ST_conf"]})
        order = "ST"
    table = _with_ranges(table, design)
    table = table.sort_values(order, ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def morris_noise_floors(design: SensitivityDesign, unit: np.ndarray,
                        frame: pd.DataFrame) -> np.ndarray:
    """Per parameter, the ``mu_star`` replicate noise alone would give (module docstring).

    NaN for a parameter none of whose effects has two replicates on both of its points.
    """
    count = len(design.parameters)
    wide = frame.pivot(index="point", columns="replicate", values="y")
    wide = wide.reindex([point_id(row) for row in range(len(unit))]).to_numpy(dtype=float)
    variances: list[list[float]] = [[] for _ in range(count)]
    for start in range(0, len(unit), count + 1):
        for row in range(start, start + count):
            moved = int(np.argmax(np.abs(unit[row + 1] - unit[row])))
            differences = wide[row + 1] - wide[row]
            differences = differences[np.isfinite(differences)]
            if len(differences) >= 2:
                variances[moved].append(float(np.var(differences, ddof=1)) / len(differences))
    step = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))
    return np.array([math.sqrt(2 * float(np.mean(pooled)) / math.pi) / step if pooled
                     else math.nan for pooled in variances])


def noise(frame: pd.DataFrame, outputs: pd.DataFrame) -> dict[str, float]:
    """Replicate noise against the spread of the outputs (see the module docstring)."""
    replications = float(outputs["n"].mean())
    repeated = outputs.loc[outputs["n"] > 1, "variance"]
    within = float(repeated.mean()) if len(repeated) else math.nan
    total = float(frame["y"].var(ddof=1))
    means = float(outputs["y"].var(ddof=1))
    return {"points": float(len(outputs)), "replications": replications,
            "within_variance": within, "replicate_variance": total,
            "noise_share": _share(within, total),
            "means_variance": means,
            "noise_share_of_means": _share(within / replications, means)}


def _share(part: float, whole: float) -> float:
    if math.isnan(part) or not whole > 0:
        return math.nan
    return min(1.0, part / whole)


def tornado(design: SensitivityDesign, unit: np.ndarray, outputs: pd.DataFrame) -> pd.DataFrame:
    """Mean output with each parameter in the lower and in the upper half of its range."""
    y = outputs["y"].to_numpy(dtype=float)
    rows = []
    for column, parameter in enumerate(design.parameters):
        low = unit[:, column] < 0.5
        high = unit[:, column] > 0.5
        y_low = float(y[low].mean()) if low.any() else math.nan
        y_high = float(y[high].mean()) if high.any() else math.nan
        rows.append({"parameter": parameter.path, "low": parameter.low, "high": parameter.high,
                     "y_low": y_low, "y_high": y_high, "swing": y_high - y_low,
                     "n_low": int(low.sum()), "n_high": int(high.sum())})
    frame = pd.DataFrame(rows)
    order = frame["swing"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _with_ranges(frame: pd.DataFrame, design: SensitivityDesign) -> pd.DataFrame:
    ranges = pd.DataFrame({"parameter": [item.path for item in design.parameters],
                           "low": [item.low for item in design.parameters],
                           "high": [item.high for item in design.parameters]})
    return frame.merge(ranges, on="parameter", how="left")
