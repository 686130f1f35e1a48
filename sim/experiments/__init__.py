"""Monte Carlo sweeps of plans and side-by-side comparisons of scenarios.

Public API::

    from sim.experiments import sweep, compare, kpi_summary, paired_differences
    replicates = sweep("scenarios/growth_100_to_500.yaml", replications=20,
                       vary=["pools.csm.headcount=8,10"], out="results/sweep-csm")
    kpi_summary(replicates)
"""

from sim.experiments.analysis import Analysis, analyse
from sim.experiments.api import compare, sweep
from sim.experiments.kpis import KPIS, RECORDED_KPIS
from sim.experiments.runner import Precision
from sim.experiments.seeding import replicate_seed
from sim.experiments.stats import (
    kpi_summary,
    mean_ci,
    paired_differences,
    parse_requirement,
    requirement_probability,
    wilson_interval,
)
from sim.experiments.store import read_replicates, read_timeseries

__all__ = [
    "KPIS",
    "RECORDED_KPIS",
    "Analysis",
    "Precision",
    "analyse",
    "compare",
    "kpi_summary",
    "mean_ci",
    "paired_differences",
    "parse_requirement",
    "read_replicates",
    "read_timeseries",
    "replicate_seed",
    "requirement_probability",
    "sweep",
    "wilson_interval",
]
