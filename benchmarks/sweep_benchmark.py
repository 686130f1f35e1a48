"""Sweep benchmark: throughput, per-task overhead and parent memory. Prints; asserts nothing.

    python benchmarks/sweep_benchmark.py [--replicates 40] [--tasks 200]

1. Replicates per second of ``growth_100_to_500`` (one plan) with ``jobs=1`` (in process) and
   ``jobs=2`` (two worker processes): whole sweeps (worker start-up and writing included) and
   the same replicates on workers already started.
2. Wall time per task of one trivial replicate (an engine that returns a tiny ready-made
   result) in process, on the local pool and on a two-worker Dask ``LocalCluster``, through
   the sweep backends without writing: the cost of shipping a task and its result.
3. Peak RSS of the parent process for 200 and 2,000 replicates of a one-month cut of
   ``growth_100_to_500`` (``jobs=2``, each in a fresh process).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import load_scenario, parse_scenario  # noqa: E402
from sim.experiments import sweep  # noqa: E402
from sim.experiments.backends import execute, open_backend  # noqa: E402
from sim.experiments.kpis import PERIOD_KPIS, RECORDED_KPIS  # noqa: E402
from sim.experiments.tasks import Batch  # noqa: E402
from sim.outputs.results import RunResult  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402

SCENARIO = ROOT / "scenarios" / "growth_100_to_500.yaml"


def tiny_scenario() -> Scenario:
    data = load_scenario(SCENARIO).model_dump(mode="json")
    return parse_scenario({**data, "name": "growth_one_month", "horizon_months": 1})


def trivial_engine(scenario: Scenario, seed: int) -> RunResult:
    """A ready-made one-period result: the task costs only its shipping and bookkeeping.

    It has every column a sweep keeps, so the replicate succeeds (a missing column would make
    every task take the failure path, traceback and all).
    """
    frame = pd.DataFrame({"period": [0], "day": [30.0], "tier": ["all"],
                          **{column: [1.0] for column in PERIOD_KPIS.values()}})
    summary = pd.DataFrame({column: [float(seed % 1000)] for column in RECORDED_KPIS.values()})
    workforce = pd.DataFrame({"period": [0], "headcount": [1], "burnout_max": [0.0]})
    return RunResult(timeseries=frame, workforce=workforce, events=frame, customers=frame,
                     summary=summary, manifest={})


def throughput(replicates: int) -> None:
    scenario = load_scenario(SCENARIO)
    whole, warm = {}, {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            sweep(scenario, replicates, jobs=jobs, out=Path(folder) / "sweep")
            whole[jobs] = replicates / (time.perf_counter() - start)
        batches = [Batch("growth", scenario, (replicate,), 0) for replicate in range(replicates)]
        with open_backend(jobs=jobs) as backend:
            list(execute(backend, batches[:jobs]))  # start the workers
            start = time.perf_counter()
            list(execute(backend, batches))
            warm[jobs] = replicates / (time.perf_counter() - start)
        print(f"  jobs={jobs}: whole sweep {whole[jobs]:.2f} replicates/s; "
              f"workers already started {warm[jobs]:.2f} replicates/s ({replicates} replicates)")
    print(f"  speed-up jobs=2 / jobs=1: whole sweep {whole[2] / whole[1]:.2f}x, "
          f"workers already started {warm[2] / warm[1]:.2f}x")


def overhead(tasks: int) -> None:
    from distributed import LocalCluster

    scenario = tiny_scenario()
    batches = [Batch("noop", scenario, (replicate,), 0, trivial_engine)
               for replicate in range(tasks)]
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        for label, options in (("in process", {"jobs": 1}), ("local pool, 2 processes",
                               {"jobs": 2}), ("Dask LocalCluster, 2 workers",
                               {"scheduler": cluster.scheduler_address})):
            with open_backend(**options) as backend:
                list(execute(backend, batches[:4]))  # warm the workers up
                start = time.perf_counter()
                results = list(execute(backend, batches))
                elapsed = time.perf_counter() - start
            failed = sum(result.failed for result in results)
            if failed:
                raise RuntimeError(f"{label}: {failed} of {tasks} trivial tasks failed")
            print(f"  {label}: {1000 * elapsed / tasks:.2f} ms per task ({tasks} tasks)")


def memory_child(replicates: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sweep(tiny_scenario(), replicates, jobs=2, out=Path(folder) / "sweep")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(peak_kib)


def memory() -> None:
    for replicates in (200, 2000):
        start = time.perf_counter()
        output = subprocess.run([sys.executable, __file__, "--memory-child", str(replicates)],
                                check=True, capture_output=True, text=True).stdout
        elapsed = time.perf_counter() - start
        print(f"  {replicates} replicates: parent peak RSS {int(output.split()[-1]) / 1024:.0f} "
              f"MiB ({elapsed:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.memory_child:
        memory_child(arguments.memory_child)
        return
    print(f"cores available: {len(os.sched_getaffinity(0))}; load average at start: "
          f"{', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"1. throughput, {SCENARIO.name}:")
    throughput(arguments.replicates)
    print("2. per-task overhead (one trivial replicate per task):")
    overhead(arguments.tasks)
    print("3. parent memory, one-month growth scenario, jobs=2:")
    memory()
    print(f"load average at end: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
