"""What a report or an export is made from: a run, sweep or compare directory, read from disk.

The kind is told by the directory's ``manifest.json``: a sweep or a comparison names its
``kind``; a run's manifest holds the scenario and the seed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core.calendar import period_label
from sim.outputs.io import MANIFEST_FILE, read_run

EXPERIMENT_KINDS = ("sweep", "compare")


@dataclass(frozen=True)
class Calendar:
    """How periods are named: the output period and the optional scenario ``start_date``."""

    output_period: str = "monthly"
    start_date: str | None = None

    def label(self, period: int) -> str:
        """``Mar 2025`` or ``month 3`` (weekly: ``week 9``)."""
        return period_label(int(period), self.output_period, self.start_date)

    def labels(self, periods: pd.Series) -> list[str]:
        """The labels of a column of periods."""
        return [self.label(int(period)) for period in periods]

    @property
    def axis_title(self) -> str:
        """The title of a time axis."""
        return "Month" if self.output_period == "monthly" else "Week"


@dataclass(frozen=True)
class RunSource:
    """A run directory: its tables and manifest."""

    path: Path
    manifest: Mapping[str, Any]
    tables: Mapping[str, pd.DataFrame]
    calendar: Calendar
    kind: str = "run"

    @property
    def scenario(self) -> Mapping[str, Any]:
        """The normalised scenario the run used (as JSON data)."""
        return self.manifest.get("scenario", {})


@dataclass(frozen=True)
class ExperimentSource:
    """A sweep or compare directory: its statistics and per-period replicate data.

    Attributes:
        path: the directory.
        manifest: its manifest.
        kind: ``sweep`` or ``compare``.
        baseline: the plan the differences are against.
        plans: ``plans.parquet``.
        comparison: KPI means and CIs per plan, with the differences alongside.
        requirements: probability of meeting the requirements per plan, or None.
        counts: replicates stored and failed per plan.
        timeseries: the per-period KPIs of every replicate (``plan, replicate, period, ...``).
        calendar: how periods are named.
    """

    path: Path
    manifest: Mapping[str, Any]
    kind: str
    baseline: str
    plans: pd.DataFrame
    comparison: pd.DataFrame
    requirements: pd.DataFrame | None
    counts: pd.DataFrame
    timeseries: pd.DataFrame
    calendar: Calendar

    @property
    def plan_order(self) -> list[str]:
        """The plans in the order of the manifest (the baseline first unless chosen)."""
        return [str(plan) for plan in self.plans["plan"]]


Source = RunSource | ExperimentSource


def load(path: Path) -> Source:
    """Read a run, sweep or compare directory.

    Raises:
        ValueError: ``path`` is not such a directory (the message says why).
    """
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("kind") in EXPERIMENT_KINDS:
        return _experiment(path, manifest)
    if "scenario" in manifest and "seed" in manifest:
        scenario = manifest["scenario"]
        calendar = Calendar(scenario.get("output_period", "monthly"), scenario.get("start_date"))
        return RunSource(path, manifest, read_run(path), calendar)
    raise ValueError(f"{path / MANIFEST_FILE}: not the manifest of a run, sweep or compare "
                     "directory (no kind, scenario or seed)")


def read_manifest(path: Path) -> dict[str, Any]:
    """The ``manifest.json`` of a result directory.

    Raises:
        ValueError: no directory, no manifest, or a manifest that is not a JSON object.
    """
    if not path.is_dir():
        raise ValueError(f"{path}: not a directory (expected a run, sweep or compare directory)")
    file = path / MANIFEST_FILE
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"{file}: cannot read ({error.strerror or error}); expected a run, "
                         "sweep or compare directory") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{file}: not JSON ({error.msg} at line {error.lineno})") from error
    if not isinstance(data, dict):
        raise ValueError(f"{file}: not a JSON object")
    return data


def _experiment(path: Path, manifest: Mapping[str, Any]) -> ExperimentSource:
    from sim.experiments.analysis import analyse
    from sim.experiments.store import read_replicates, read_timeseries
    from sim.experiments.tasks import FAILED

    if not (path / "comparison.parquet").exists():
        analyse(path)
    comparison = pd.read_parquet(path / "comparison.parquet")
    differences = pd.read_parquet(path / "differences.parquet")
    plans = pd.read_parquet(path / "plans.parquet")
    baselines = differences["baseline"].unique() if len(differences) else []
    baseline = str(baselines[0]) if len(baselines) else str(plans["plan"].iloc[0])
    required = path / "requirements.parquet"
    replicates = read_replicates(path, columns=["plan", "replicate", "status"])
    counts = replicates.assign(failed=replicates["status"] == FAILED).groupby(
        "plan", sort=False).agg(replicates=("replicate", "size"), failed=("failed", "sum"))
    return ExperimentSource(
        path, manifest, str(manifest["kind"]), baseline, plans, comparison,
        pd.read_parquet(required) if required.exists() else None, counts.reset_index(),
        read_timeseries(path), _experiment_calendar(manifest))


def _experiment_calendar(manifest: Mapping[str, Any]) -> Calendar:
    """The baseline scenario's calendar (a sweep's base scenario, a comparison's first file)."""
    scenario = manifest.get("scenario") or (manifest.get("scenarios") or [{}])[0]
    return Calendar(scenario.get("output_period") or "monthly", scenario.get("start_date"))
