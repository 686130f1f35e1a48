"""Run a sweep into its directory: resume, batch, execute, store, and add rounds for precision.

``run_sweep`` maps ``sim.run`` over (plan, replicate) pairs. It holds no results: each batch is
written as it arrives, and what is already on disk is skipped, so re-running after Ctrl-C or a
kill completes the sweep without losing or repeating a pair.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from sim.experiments.backends import Backend, execute, open_backend
from sim.experiments.design import Plan
from sim.experiments.seeding import SEEDING
from sim.experiments.stats import MIN_REPLICATIONS, look_ahead, precision_report
from sim.experiments.store import FORMAT, SweepStore, definition_id, read_replicates
from sim.experiments.tasks import FAILED, Batch, Engine
from sim.outputs.locks import output_lock
from sim.version import __version__

MAX_BATCH = 25
PRECISION = "precision.parquet"
BATCHES_PER_WORKER = 4


@dataclass(frozen=True)
class Precision:
    """Add replications until the relative CI half-width of a KPI is at most ``target``.

    Attributes:
        target: the relative half-width to reach for every plan (0.02 = ±2% of the mean).
        kpi: the KPI it applies to.
        max_replications: stop there even if the target is not reached.
    """

    target: float
    kpi: str = "arr_end"
    max_replications: int = 500


@dataclass(frozen=True)
class Execution:
    """How to run: local processes (``jobs``; 1 = this process) or a Dask scheduler.

    Attributes:
        jobs: local worker processes; None = one per core.
        scheduler: address of a Dask scheduler (``tcp://host:8786``); overrides ``jobs``.
        batch_size: replicates per task; None = sized to give each worker several tasks.
        engine: the function run per replicate (None = ``sim.run``); see ``tasks.Batch``.
    """

    jobs: int | None = None
    scheduler: str | None = None
    batch_size: int | None = None
    engine: Engine | None = None


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep computes, and the description that goes into its manifest.

    Attributes:
        kind: ``sweep`` or ``compare``.
        plans: the validated plans; the first is the default baseline.
        replications: replicates per plan.
        seed: the base seed (see ``seeding``).
        info: further manifest fields (scenario, design, command).
    """

    kind: str
    plans: tuple[Plan, ...]
    replications: int
    seed: int = 0
    info: Mapping[str, Any] = field(default_factory=dict)


class Progress(Protocol):
    """Receives the progress of a sweep."""

    def start(self, total: int, done: int, failed: int) -> None:
        """A round starts: ``total`` pairs, of which ``done`` (``failed``) are on disk."""

    def advance(self, done: int, failed: int) -> None:
        """A batch of ``done`` pairs (``failed`` of them failed) has been stored."""


class Silent:
    """Progress that shows nothing."""

    def start(self, total: int, done: int, failed: int) -> None:
        """Ignore."""

    def advance(self, done: int, failed: int) -> None:
        """Ignore."""


@dataclass(frozen=True)
class Outcome:
    """How a sweep ended.

    Attributes:
        root: the sweep directory.
        replications: replicates per plan at the end.
        precision: the precision report of the last round (None without a target).
    """

    root: Path
    replications: int
    precision: pd.DataFrame | None = None


def definition(spec: SweepSpec) -> dict[str, Any]:
    """What determines the results: kind, plans (overrides and scenario), seed, version."""
    return {"format": FORMAT, "kind": spec.kind, "version": __version__, "base_seed": spec.seed,
            "plans": [{"id": plan.id, "overrides": dict(plan.overrides),
                       "scenario": plan.scenario.model_dump(mode="json")}
                      for plan in spec.plans]}


def manifest(spec: SweepSpec) -> dict[str, Any]:
    """The manifest of a sweep (``replications`` is raised, never lowered, on re-runs)."""
    return {"definition": definition_id(definition(spec)), "format": FORMAT, "kind": spec.kind,
            "version": __version__, "base_seed": spec.seed, "replications": spec.replications,
            "plans": [plan.id for plan in spec.plans],
            "seeding": SEEDING,
            **spec.info}


def plans_frame(plans: Sequence[Plan]) -> pd.DataFrame:
    """One row per plan: id, source, overrides as JSON, and one column per overridden path."""
    frame = pd.DataFrame({
        "plan": [plan.id for plan in plans],
        "source": [plan.source for plan in plans],
        "scenario_name": [plan.scenario.name for plan in plans],
        "overrides": [json.dumps(dict(plan.overrides), default=str) for plan in plans],
    })
    paths = list(dict.fromkeys(path for plan in plans for path in plan.overrides))
    for path in paths:
        values = [plan.overrides.get(path) for plan in plans]
        frame[path] = (values if _scalar_column(values)
                       else [json.dumps(value, default=str) for value in values])
    return frame


def _scalar_column(values: list[Any]) -> bool:
    kinds = {type(value) for value in values if value is not None}
    return kinds <= {int, float} or kinds in ({str}, {bool})


def run_sweep(spec: SweepSpec, out: Path, execution: Execution | None = None,
              overwrite: bool = False, progress: Progress | None = None,
              precision: Precision | None = None, wait: bool = False) -> Outcome:
    """Run (or resume) a sweep into ``out``, holding its lock (``sim.outputs.locks``) throughout.

    Raises:
        FileExistsError: ``out`` holds something else (see ``SweepStore.check``).
        LockedError: another process writes ``out`` and ``wait`` is false.
    """
    execution = execution or Execution()
    sweep_manifest = manifest(spec)
    with output_lock(out, wait, _say):
        SweepStore.check(out, sweep_manifest["definition"], overwrite)
        return _locked_sweep(spec, out, execution, overwrite, progress, precision,
                             sweep_manifest)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _locked_sweep(spec: SweepSpec, out: Path, execution: Execution, overwrite: bool,
                  progress: Progress | None, precision: Precision | None,
                  sweep_manifest: dict[str, Any]) -> Outcome:
    with open_backend(execution.jobs, execution.scheduler) as backend:
        store = SweepStore.open(out, sweep_manifest, plans_frame(spec.plans), overwrite)
        try:
            return _rounds(spec, store, backend, execution, progress or Silent(), precision)
        finally:
            store.write_failures()


def _rounds(spec: SweepSpec, store: SweepStore, backend: Backend, execution: Execution,
            progress: Progress, precision: Precision | None) -> Outcome:
    replications = (spec.replications if precision is None
                    else max(MIN_REPLICATIONS, spec.replications))
    while True:
        _record_replications(store, replications)
        _run_round(spec, store, backend, execution, progress, replications)
        if precision is None:
            return Outcome(store.root, replications)
        columns = ["plan", "replicate", "status", precision.kpi]
        report = precision_report(read_replicates(store.root, columns=columns), precision.kpi,
                                  precision.target)
        store.write_table(PRECISION, report)
        if report["converged"].all() or replications >= precision.max_replications:
            return Outcome(store.root, replications, report)
        replications = next_replications(report, replications, precision.max_replications)


def next_replications(report: pd.DataFrame, replications: int, cap: int) -> int:
    """The next round's replicates per plan, for the plans that have not converged.

    The count the current mean and spread suggest plus the look-ahead, but at most double the
    current count (an estimate from a few replicates is unreliable) and at least the look-ahead
    more; never beyond ``cap``.
    """
    estimates = report.loc[~report["converged"], "replications_estimate"].astype(float)
    suggested = estimates.max() if len(estimates) else 0.0
    if math.isfinite(suggested):
        suggested = int(suggested) + look_ahead(int(suggested))
    wanted = max(replications + look_ahead(replications), min(suggested, 2 * replications))
    return int(min(cap, wanted))


def _record_replications(store: SweepStore, replications: int) -> None:
    current = store.manifest()
    if replications > current.get("replications", 0):
        store.write_manifest({**current, "replications": replications})


def _run_round(spec: SweepSpec, store: SweepStore, backend: Backend, execution: Execution,
               progress: Progress, replications: int) -> None:
    done = read_replicates(store.root, columns=["plan", "replicate", "status"])
    done = done[done["replicate"] < replications]
    finished = {str(plan): set(group["replicate"])
                for plan, group in done.groupby("plan", observed=True)}
    pending = {plan.id: [replicate for replicate in range(replications)
                         if replicate not in finished.get(plan.id, set())]
               for plan in spec.plans}
    progress.start(len(spec.plans) * replications, len(done),
                   int((done["status"] == FAILED).sum()))
    waiting = sum(len(replicates) for replicates in pending.values())
    size = execution.batch_size or batch_size(waiting, backend.workers)
    with closing(execute(backend, _batches(spec, pending, size, execution.engine))) as results:
        for result in results:
            store.write_batch(result)
            progress.advance(len(result.replicates), result.failed)


def batch_size(pending: int, workers: int) -> int:
    """Replicates per task: about four tasks per worker, at most ``MAX_BATCH``."""
    return max(1, min(MAX_BATCH, math.ceil(pending / (BATCHES_PER_WORKER * max(1, workers)))))


def _batches(spec: SweepSpec, pending: Mapping[str, list[int]], size: int,
             engine: Engine | None) -> Iterator[Batch]:
    """Batches of consecutive pending replicates, taking the plans in turn."""
    chunks = {plan_id: [tuple(replicates[start:start + size])
                        for start in range(0, len(replicates), size)]
              for plan_id, replicates in pending.items()}
    for index in range(max((len(batches) for batches in chunks.values()), default=0)):
        for plan in spec.plans:
            if index < len(chunks[plan.id]):
                yield Batch(plan.id, plan.scenario, chunks[plan.id][index], spec.seed, engine)
