"""Evaluations of an optimisation: run a plan's replicates once, keep them, and assess them.

Every replicate goes into a sweep store (``replicates/plan=<id>/...``) as soon as its batch ends,
and into a cache in memory. A plan's id is a fingerprint of its overrides, so a plan proposed
twice, or again after a restart, finds its replicates instead of running them again; replicate
``r`` of every plan runs on the same seed (common random numbers).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.backends import Backend, execute
from sim.experiments.design import Plan
from sim.experiments.goals import (
    INTERVAL,
    MET,
    VIOLATED,
    Constraint,
    Judgement,
    Objective,
    all_met_share,
    judge,
    overall,
)
from sim.experiments.kpis import RECORDED_KPIS
from sim.experiments.stats import LEVEL, mean_ci, successful, wilson_interval
from sim.experiments.store import SweepStore, read_replicates
from sim.experiments.tasks import Batch, BatchResult, Engine

TASKS_PER_WORKER = 4
"""Replicates of a round are cut into about this many tasks per worker."""


def plan_id(overrides: Mapping[str, Any]) -> str:
    """``c`` and 12 hex digits of the overrides' fingerprint: one id per distinct plan."""
    text = json.dumps(overrides, sort_keys=True, separators=(",", ":"), default=str)
    return "c" + hashlib.sha256(text.encode()).hexdigest()[:12]


class Evaluator:
    """Runs replicates of plans on a backend, stores them, and remembers them."""

    def __init__(self, store: SweepStore, backend: Backend, seed: int,
                 engine: Engine | None = None,
                 on_batch: Callable[[BatchResult], None] | None = None) -> None:
        self.store = store
        self.backend = backend
        self.seed = seed
        self.engine = engine
        self.on_batch = on_batch
        self.cache: dict[str, list[pd.DataFrame]] = {}
        stored = read_replicates(store.root)
        for plan, rows in stored.groupby("plan", sort=True, observed=True):
            self.cache[str(plan)] = [rows.drop(columns="plan").reset_index(drop=True)]

    def stored(self, plan: str) -> set[int]:
        """Replicate numbers of ``plan`` already run."""
        return {int(number) for frame in self.cache.get(plan, []) for number in frame["replicate"]}

    def ensure(self, wanted: Sequence[tuple[Plan, range]]) -> None:
        """Run every (plan, replicate) of ``wanted`` not yet run; store each batch as it ends."""
        pending = [(plan, [number for number in numbers if number not in self.stored(plan.id)])
                   for plan, numbers in wanted]
        pending = [(plan, numbers) for plan, numbers in pending if numbers]
        total = sum(len(numbers) for _, numbers in pending)
        if not total:
            return
        size = max(1, math.ceil(total / (TASKS_PER_WORKER * max(1, self.backend.workers))))
        with closing(execute(self.backend, self._batches(pending, size))) as results:
            for result in results:
                self.store.write_batch(result)
                self.cache.setdefault(result.plan, []).append(result.replicates)
                if self.on_batch is not None:
                    self.on_batch(result)

    def _batches(self, pending: Sequence[tuple[Plan, list[int]]], size: int) -> Iterator[Batch]:
        for plan, numbers in pending:
            for start in range(0, len(numbers), size):
                yield Batch(plan.id, plan.scenario, tuple(numbers[start:start + size]),
                            self.seed, self.engine)

    def rows(self, plan: str, numbers: range) -> pd.DataFrame:
        """The replicates of ``plan`` numbered in ``numbers`` (failed ones too), sorted."""
        frames = self.cache.get(plan, [])
        if not frames:
            return pd.DataFrame(columns=["replicate", "status", *RECORDED_KPIS])
        rows = pd.concat(frames, ignore_index=True)
        rows = rows[(rows["replicate"] >= numbers.start) & (rows["replicate"] < numbers.stop)]
        return rows.sort_values("replicate").reset_index(drop=True)


@dataclass(frozen=True)
class Assessment:
    """A plan's replicates judged against the goals.

    Attributes:
        n: successful replicates.
        mean: the objective KPI's mean.
        low: its lower one-sided bound.
        high: its upper one-sided bound.
        judgements: one per constraint.
        status: ``met``, ``violated`` or ``undecided`` over all constraints.
        row: the plan's row of ``evaluations.parquet`` (without plan id and levers).
    """

    n: int
    mean: float
    low: float
    high: float
    judgements: tuple[Judgement, ...]
    status: str
    row: dict[str, Any]

    @property
    def shortfall(self) -> float:
        """How far from meeting the constraints: the sum of the constraints' shortfalls."""
        return float(sum(judgement.shortfall for judgement in self.judgements))

    def constraint_values(self, constraints: Sequence[Constraint]) -> list[float]:
        """One number per constraint, <= 0 exactly when it is met (for the sampler)."""
        values = []
        for constraint, judgement in zip(constraints, self.judgements, strict=True):
            if constraint.probability is not None:
                missing = constraint.probability - judgement.low
                values.append(missing if judgement.status == MET
                              else max(missing, 1e-9) + judgement.shortfall)
                continue
            requirement = constraint.requirement
            scale = abs(requirement.value) or 1.0
            upper = requirement.operator in ("<=", "<")
            bound = judgement.high if upper else judgement.low
            signed = (bound - requirement.value) if upper else (requirement.value - bound)
            values.append(signed / scale if math.isfinite(signed) else 1e9)
        return [value if math.isfinite(value) else 1e9 for value in values]


def assess(rows: pd.DataFrame, objective: Objective,
           constraints: Sequence[Constraint]) -> Assessment:
    """Judge a plan's replicates: objective estimate, each constraint, every KPI's estimate."""
    done = successful(rows)
    estimate = mean_ci(done[objective.kpi].to_numpy(dtype=float), INTERVAL)
    judgements = tuple(judge(constraint, done[constraint.requirement.kpi].to_numpy(dtype=float))
                       for constraint in constraints)
    status = overall(judgements) if len(done) else VIOLATED
    row: dict[str, Any] = {"n": len(done), "failed": len(rows) - len(done), "status": status}
    share, met = all_met_share(constraints, done)
    low, high = wilson_interval(met, len(done), LEVEL)
    row.update({"p_all_met": share, "p_all_met_ci_low": low, "p_all_met_ci_high": high})
    for constraint, judgement in zip(constraints, judgements, strict=True):
        row.update(_constraint_columns(str(constraint), judgement))
    for kpi in RECORDED_KPIS:
        kpi_estimate = mean_ci(done[kpi].to_numpy(dtype=float), LEVEL)
        row.update({kpi: kpi_estimate.mean, f"{kpi}_ci_low": kpi_estimate.ci_low,
                    f"{kpi}_ci_high": kpi_estimate.ci_high})
    return Assessment(estimate.n, estimate.mean, estimate.ci_low, estimate.ci_high, judgements,
                      status, row)


def _constraint_columns(label: str, judgement: Judgement) -> dict[str, Any]:
    return {f"{label} estimate": judgement.estimate, f"{label} low": judgement.low,
            f"{label} high": judgement.high, f"{label} status": judgement.status,
            f"{label} quantile": judgement.quantile}


def frontier(evaluations: pd.DataFrame, objective: Objective) -> pd.DataFrame:
    """The plans no other plan beats on both the objective and ``p_all_met`` (cost–service).

    Sorted from the best objective to the worst; each plan on it has a higher chance of meeting
    every constraint than the plans before it.
    """
    frame = evaluations.dropna(subset=["objective", "p_all_met"])
    frame = frame.sort_values(["objective", "p_all_met"],
                              ascending=[not objective.maximise, False], kind="stable")
    best_share, keep = -np.inf, []
    for index, share in frame["p_all_met"].items():
        if share > best_share:
            keep.append(index)
            best_share = share
    return frame.loc[keep].reset_index(drop=True)

