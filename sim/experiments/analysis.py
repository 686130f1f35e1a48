"""Statistics of a sweep directory, computed from the dataset on disk and written beside it.

Writes ``stats.parquet`` (mean, std and CI per plan and KPI), ``differences.parquet`` (paired
differences against the baseline), ``comparison.parquet`` (both side by side, as printed) and,
with requirements, ``requirements.parquet``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.experiments.kpis import KPIS
from sim.experiments.stats import (
    Requirement,
    kpi_summary,
    paired_differences,
    requirement_probability,
)
from sim.experiments.store import PLANS, SweepStore, read_replicates
from sim.experiments.tasks import FAILED


@dataclass(frozen=True)
class Analysis:
    """The statistics of a sweep.

    Attributes:
        baseline: the plan the differences are taken against.
        stats: per plan and KPI: n, mean, std, CI, relative half-width.
        differences: per plan (not the baseline) and KPI: paired difference and CI, p-value.
        comparison: ``stats`` with the differences alongside (missing for the baseline).
        requirements: per plan: probability of meeting every requirement (None without any).
        counts: per plan: replicates stored and how many of them failed.
        plans: the plans table of the sweep (``plans.parquet``).
        kind: ``sweep`` or ``compare``.
    """

    baseline: str
    stats: pd.DataFrame
    differences: pd.DataFrame
    comparison: pd.DataFrame
    requirements: pd.DataFrame | None
    counts: pd.DataFrame
    plans: pd.DataFrame
    kind: str


def analyse(root: Path, baseline: str | None = None, requirements: Sequence[Requirement] = (),
            kpis: Sequence[str] = tuple(KPIS)) -> Analysis:
    """Compute and write the statistics of the sweep in ``root``.

    Raises:
        ValueError: ``baseline`` is not a plan of the sweep.
    """
    store = SweepStore(root)
    manifest = store.manifest()
    order = [str(plan) for plan in manifest.get("plans", [])]
    baseline = check_baseline(baseline, order)
    wanted = list(dict.fromkeys([*kpis, *(requirement.kpi for requirement in requirements)]))
    replicates = _in_plan_order(
        read_replicates(root, columns=["plan", "replicate", "status", *wanted]), order)
    stats = kpi_summary(replicates, kpis)
    differences = paired_differences(replicates, baseline, kpis)
    comparison = comparison_table(stats, differences)
    required = requirement_probability(replicates, requirements) if requirements else None
    for name, frame in (("stats", stats), ("differences", differences),
                        ("comparison", comparison), ("requirements", required)):
        if frame is not None:
            store.write_table(f"{name}.parquet", frame)
    counts = replicates.assign(failed=replicates["status"] == FAILED).groupby(
        "plan", sort=False).agg(replicates=("replicate", "size"), failed=("failed", "sum"))
    return Analysis(baseline, stats, differences, comparison, required, counts.reset_index(),
                    pd.read_parquet(store.root / PLANS), str(manifest.get("kind", "sweep")))


def check_baseline(baseline: str | None, plans: Sequence[str]) -> str:
    """The baseline plan: ``baseline`` if it is a plan, else the first plan.

    Raises:
        ValueError: ``baseline`` is given and is not one of ``plans``.
    """
    if baseline is None:
        if not plans:
            raise ValueError("the sweep has no plans")
        return plans[0]
    if baseline not in plans:
        shown = ", ".join(plans[:10]) + (", ..." if len(plans) > 10 else "")
        raise ValueError(f"--baseline = {baseline!r}: not a plan of the sweep (plans: {shown})")
    return baseline


def comparison_table(stats: pd.DataFrame, differences: pd.DataFrame) -> pd.DataFrame:
    """KPI means with their CIs and, beside them, the paired differences against the baseline."""
    renamed = differences.rename(columns={
        "mean_difference": "difference", "ci_low": "difference_ci_low",
        "ci_high": "difference_ci_high"})
    columns = ["plan", "kpi", "difference", "difference_ci_low", "difference_ci_high", "p_value"]
    merged = stats.drop(columns=["std"]).merge(renamed[columns], on=["plan", "kpi"], how="left")
    return merged


def _in_plan_order(replicates: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Rows sorted by the plans' order in the manifest (then replicate); plan as text."""
    known = [plan for plan in order if plan in set(replicates["plan"])]
    extra = sorted(set(replicates["plan"]) - set(known))
    rank = {plan: index for index, plan in enumerate([*known, *extra])}
    ordered = replicates.assign(_rank=replicates["plan"].map(rank))
    ordered = ordered.sort_values(["_rank", "replicate"], kind="stable")
    return ordered.drop(columns="_rank").reset_index(drop=True)
