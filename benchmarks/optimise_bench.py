"""Optimisation benchmark: evaluations per minute, replicates per second, overhead. Asserts nothing.

    python benchmarks/optimise_bench.py [--budget 8] [--replications 6]

``cssim optimise`` on ``growth_100_to_500`` with two levers (support and CSM headcount), a
chance constraint and the cost objective, run whole (search, local search, fresh-seed
re-evaluation, outputs) on 1 process and on 2 worker processes. Replicates per plan are fixed
(``--max-replications`` = ``--replications``) so both runs do the same work. Then the same
(plan, seed) pairs are run bare, ``sim.run`` in a loop in this process: the difference between
the 1-process optimisation and that bare time is the optimiser's overhead (sampling, judging,
storing, writing), shown per evaluation and as a share of the replicate time; the 1-process run
also times its own ``sim.run`` calls, which gives the same overhead measured in one run (immune
to the machine's load changing between runs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import load_scenario, run  # noqa: E402
from sim.experiments.design import build_plans  # noqa: E402
from sim.experiments.optimise import run_optimisation, settings_from  # noqa: E402
from sim.experiments.store import read_replicates  # noqa: E402
from sim.outputs.results import RunResult  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402

SCENARIO = ROOT / "scenarios" / "growth_100_to_500.yaml"
LEVERS = ["pools.support.headcount=2..8", "pools.csm.headcount=8..30"]


ENGINE_SECONDS = [0.0]
"""Seconds spent inside ``sim.run`` by :func:`timed_run` in this process."""


def timed_run(scenario: Scenario, seed: int) -> RunResult:
    """``sim.run``, timed (used with jobs=1, where replicates run in this process)."""
    start = time.perf_counter()
    result = run(scenario, seed)
    ENGINE_SECONDS[0] += time.perf_counter() - start
    return result


def optimise_once(jobs: int, budget: int, replications: int, out: Path) -> tuple[float, int, int]:
    """Wall seconds, plans evaluated and replicates run by one whole optimisation."""
    base = load_scenario(SCENARIO)
    settings = settings_from(base, LEVERS, "total_cost", None, ["backlog_weeks_max<=6@0.9"],
                             budget=budget, replications=replications,
                             max_replications=replications, finalists=2,
                             final_replications=replications)
    start = time.perf_counter()
    optimum = run_optimisation(base, settings, out, jobs=jobs,
                               engine=timed_run if jobs == 1 else None)
    seconds = time.perf_counter() - start
    plans = int((optimum.evaluations["stage"] == "search").sum())
    return seconds, plans, len(read_replicates(out))


def bare(out: Path) -> float:
    """Seconds to run the optimisation's (plan, seed) pairs with ``sim.run`` in a loop."""
    base = load_scenario(SCENARIO)
    pairs = read_replicates(out, columns=["plan", "seed"])
    evaluations = pd.read_parquet(out / "evaluations.parquet")
    overrides = {row.plan: json.loads(row.overrides)
                 for row in evaluations.drop_duplicates("plan").itertuples()}
    scenarios = {plan.id: plan.scenario
                 for plan in build_plans(base, list(overrides.items()), "bench")}
    start = time.perf_counter()
    for row in pairs.itertuples():
        run(scenarios[row.plan], int(row.seed))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=8)
    parser.add_argument("--replications", type=int, default=6)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    import optuna  # noqa: F401  (imported once, before timing: a fixed cost, not per evaluation)

    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for jobs in (1, 2):
            seconds, plans, replicates = optimise_once(jobs, args.budget, args.replications,
                                                       Path(folder) / f"jobs{jobs}")
            results[jobs] = seconds
            print(f"jobs={jobs}: {plans} plans, {replicates} replicates in {seconds:.1f} s: "
                  f"{plans / seconds * 60:.1f} evaluations/min, "
                  f"{replicates / seconds:.2f} replicates/s")
        inside = results[1] - ENGINE_SECONDS[0]
        print(f"jobs=1: {ENGINE_SECONDS[0]:.1f} s inside sim.run, {inside:.1f} s outside it = "
              f"{inside / plans:.2f} s per evaluation = {inside / ENGINE_SECONDS[0]:.1%} of the "
              "replicate time (measured in the same run)")
        bare_seconds = bare(Path(folder) / "jobs1")
        overhead = results[1] - bare_seconds
        print(f"bare sim.run of the same {replicates} replicates: {bare_seconds:.1f} s "
              f"({bare_seconds / replicates:.3f} s each)")
        print(f"overhead of the optimiser (jobs=1 minus bare): {overhead:.1f} s = "
              f"{overhead / plans:.2f} s per evaluation = {overhead / bare_seconds:.1%} of the "
              "replicate time")
        print(f"speed-up on 2 processes: {results[1] / results[2]:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
