"""The unit of work of a sweep: a batch of replicates of one plan, run where a worker is.

A batch carries its plan's validated scenario and the replicate numbers; the worker derives each
replicate's seed, runs the engine and sends back only the KPI row and the per-period KPIs of each
replicate. A replicate that raises is recorded as failed (error line and traceback) and the batch
goes on.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.experiments.kpis import (
    PERIOD_SCHEMA,
    RECORDED_KPIS,
    headline_frame,
    headline_values,
    kpi_values,
    period_frame,
)
from sim.experiments.seeding import replicate_seed
from sim.outputs.headline import Headline
from sim.outputs.results import RunResult
from sim.scenario.schema import Scenario

Engine = Callable[[Scenario, int], RunResult]
"""A function with the signature of ``sim.run``."""

OK = "ok"
FAILED = "failed"


@dataclass(frozen=True)
class Batch:
    """Replicates of one plan to run together.

    Attributes:
        plan: the plan id.
        scenario: the plan's validated scenario.
        replicates: replicate numbers, ascending.
        base_seed: the sweep's base seed.
        engine: the function run for each replicate; None means ``sim.run`` in its KPI-only
            form (``sim.model.run_headline``: the same KPIs, no tables). It must be
            importable by the workers (a module-level function); tests pass one that fails on
            chosen replicates.
    """

    plan: str
    scenario: Scenario
    replicates: tuple[int, ...]
    base_seed: int
    engine: Engine | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a worker sends back for a batch.

    Attributes:
        plan: the plan id.
        replicates: one row per replicate (``replicate``, ``seed``, ``status``, ``error``,
            ``traceback`` and the KPIs).
        periods: one row per (replicate, period) of the successful replicates.
    """

    plan: str
    replicates: pd.DataFrame
    periods: pd.DataFrame

    @property
    def failed(self) -> int:
        """Number of failed replicates."""
        return int((self.replicates["status"] == FAILED).sum())


def run_batch(batch: Batch) -> BatchResult:
    """Run every replicate of a batch; failures are recorded, not raised."""
    rows, frames = [], []
    for replicate in batch.replicates:
        seed = replicate_seed(batch.base_seed, replicate)
        try:
            if batch.engine is None:
                figures = _headline_engine()(batch.scenario, seed)
                kpis = headline_values(figures)
                frames.append(headline_frame(figures, replicate))
            else:
                result = batch.engine(batch.scenario, seed)
                kpis = kpi_values(result)
                frames.append(period_frame(result, replicate))
        except Exception as error:
            rows.append(_failure_row(replicate, seed, error))
        else:
            rows.append({"replicate": replicate, "seed": seed, "status": OK, "error": None,
                         "traceback": None, **kpis})
    periods = pd.concat(frames, ignore_index=True) if frames else _empty_periods()
    return BatchResult(plan=batch.plan, replicates=pd.DataFrame(rows), periods=periods)


def failed_batch(batch: Batch, reason: str) -> BatchResult:
    """A batch whose every replicate is recorded as failed for ``reason`` (nothing ran)."""
    rows = [{"replicate": replicate, "seed": replicate_seed(batch.base_seed, replicate),
             "status": FAILED, "error": reason, "traceback": None,
             **dict.fromkeys(RECORDED_KPIS, np.nan)} for replicate in batch.replicates]
    return BatchResult(plan=batch.plan, replicates=pd.DataFrame(rows), periods=_empty_periods())


def _failure_row(replicate: int, seed: int, error: Exception) -> dict[str, object]:
    message = " ".join(str(error).split())
    return {"replicate": replicate, "seed": seed, "status": FAILED,
            "error": f"{type(error).__name__}: {message}" if message else type(error).__name__,
            "traceback": traceback.format_exc(),
            **dict.fromkeys(RECORDED_KPIS, np.nan)}


def _empty_periods() -> pd.DataFrame:
    return PERIOD_SCHEMA.empty_table().to_pandas()


def _headline_engine() -> Callable[[Scenario, int], Headline]:
    from sim.model import run_headline

    return run_headline
