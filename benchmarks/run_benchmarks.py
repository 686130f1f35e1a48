"""Performance figures for cssim: wall time, event throughput, scaling and peak memory.

Usage::

    python benchmarks/run_benchmarks.py [--quick] [--repeats N] [--large-repeats N]
    python benchmarks/run_benchmarks.py --case growth        # one replicate (e.g. under cProfile)
    python benchmarks/run_benchmarks.py --case tech:10000    # one tech-touch replicate
    python benchmarks/run_benchmarks.py --case growth --profile   # profile of sim.run only

The script prints figures and asserts nothing. Every figure is the median of ``--repeats`` runs
made one after another in this process; peak memory is measured in a fresh subprocess per
case and per method, so one measurement cannot inflate another.

Sections:

1. Wall time of one replicate of ``scenarios/growth_100_to_500.yaml``; the time to load the
   file is reported apart from the run. Repeat ``i`` uses seed ``i`` (1, 2, ...).
2. Scheduled events per second of that run against a bare SimPy loop scheduling the same
   number of timeouts, in the same process.
3. Wall time of a tech-touch book of 1,000 / 10,000 / 100,000 customers over 36 months, and
   the scaling exponent fitted as the slope of log(time) against log(customers).
4. Peak resident set size and tracemalloc peak of one replicate of each case.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from itertools import pairwise
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import simpy  # noqa: E402
from simpy.core import NORMAL  # noqa: E402

import sim  # noqa: E402
from sim.model import build, simulate, tabulate  # noqa: E402

GROWTH_FILE = ROOT / "scenarios" / "growth_100_to_500.yaml"
TECH_SIZES = (1_000, 10_000, 100_000)
TECH_MONTHS = 36
BARE_PROCESSES = 100
MEMORY_SEED = 1
GOAL_OVERHEAD = 3.0
GOAL_100K_SECONDS = 60.0
GOAL_EXPONENT = 1.1


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


def growth_file() -> tuple[Path, str]:
    """The growth scenario file, or the first scenario file with a note if it is missing."""
    if GROWTH_FILE.exists():
        return GROWTH_FILE, ""
    fallback = sorted((ROOT / "scenarios").glob("*.yaml"))[0]
    return fallback, f"{GROWTH_FILE.name} not found; using {fallback.name} instead"


def tech_touch_data(customers: int) -> dict:
    """A one-tier tech-touch book of ``customers`` growing by half its size over 36 months."""
    tier = {
        "name": "smb", "touch_model": "tech", "acv_min": 0, "mix": 1,
        "acv": {"kind": "lognormal", "mean": 5000, "cv": 0.5},
        "churn": {"alpha": 1, "beta": 6}, "tickets_per_month": 0.2,
        "human_onboarding_share": 0.0,
    }
    growth = {
        "initial_customers": {"smb": customers}, "initial_tenure_years_max": 2,
        "arrivals": [{"from_month": 0, "customers_per_month": customers / TECH_MONTHS * 0.5}],
    }
    pools = [
        {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
         "headcount": max(1, customers // 200)},
        {"name": "cs_ops", "role": "cs_ops", "annual_cost": 100000, "headcount": 1},
    ]
    return {"name": f"tech_touch_{customers}", "horizon_months": TECH_MONTHS,
            "tiers": [tier], "growth": growth, "pools": pools}


def load_case(case: str) -> sim.Scenario:
    """The scenario of a case named ``growth`` or ``tech:<customers>``."""
    if case == "growth":
        return sim.load_scenario(growth_file()[0])
    kind, _, size = case.partition(":")
    if kind != "tech" or not size.isdigit():
        raise ValueError(f"case = {case!r}: expected 'growth' or 'tech:<customers>'")
    return sim.parse_scenario(tech_touch_data(int(size)), source=case)


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """Median, minimum and maximum of repeated measurements."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """Summarise a list of measurements."""
        return cls(statistics.median(values), min(values), max(values), len(values))


@dataclass(frozen=True)
class PhasedRun:
    """One replicate run step by step: seconds per phase and the events it scheduled."""

    build: float
    simulate: float
    tabulate: float
    scheduled: int
    processed: int

    @property
    def total(self) -> float:
        """Seconds for the whole replicate."""
        return self.build + self.simulate + self.tabulate


class ScheduleCounter:
    """Counts the events an environment schedules by wrapping its ``schedule`` method.

    Events already in the queue when the counter is installed (the processes ``build`` started)
    are counted as well.

    Args:
        env: the environment; its instance attribute ``schedule`` is replaced.
    """

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.scheduled = len(env._queue)
        original = env.schedule

        def schedule(event: simpy.Event, priority: int = NORMAL, delay: float = 0) -> None:
            self.scheduled += 1
            original(event, priority, delay)

        env.schedule = schedule

    @property
    def processed(self) -> int:
        """Scheduled events the run has handled (the rest are still queued past the end)."""
        return self.scheduled - len(self.env._queue)


def time_call(function: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = perf_counter()
    function()
    return perf_counter() - start


def phased_run(scenario: sim.Scenario, seed: int, count: bool) -> PhasedRun:
    """One replicate following the steps of ``sim.model.run``, timed per phase.

    With ``count`` the environment's ``schedule`` is wrapped to count events, which adds one
    Python call per event to the simulate phase.
    """
    start = perf_counter()
    world = build(scenario, seed)
    built = perf_counter()
    counter = ScheduleCounter(world.env) if count else None
    recorder = simulate(world)
    simulated = perf_counter()
    tabulate(world, recorder, seed)
    finished = perf_counter()
    scheduled = counter.scheduled if counter else 0
    processed = counter.processed if counter else 0
    return PhasedRun(built - start, simulated - built, finished - simulated, scheduled, processed)


def ticker(env: simpy.Environment, timeouts: int,
           delay: float) -> Generator[simpy.Event, None, None]:
    """A bare process: ``timeouts`` timeouts of ``delay`` one after another."""
    for _ in range(timeouts):
        yield env.timeout(delay)


def bare_loop(events: int, processes: int = BARE_PROCESSES) -> float:
    """Seconds ``env.run`` takes for ``processes`` tickers scheduling ``events`` events in all.

    Each process schedules its start and its end as well as its timeouts, so the processes
    yield ``events - 2 * processes`` timeouts between them. Delays differ per process so
    the event queue interleaves them.
    """
    env = simpy.Environment()
    timeouts = max(events - 2 * processes, processes)
    for index in range(processes):
        share = timeouts // processes + (index < timeouts % processes)
        env.process(ticker(env, share, 1.0 + index / processes))
    start = perf_counter()
    env.run()
    return perf_counter() - start


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def progress(message: str) -> None:
    """One progress line on stderr, so that stdout holds only the results."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def growth_section(repeats: int) -> dict:
    """Sections 1 and 2: the growth replicate and its event throughput against bare SimPy."""
    path, note = growth_file()
    loads, runs, phased, counted, bare = [], [], [], [], []
    for seed in range(1, repeats + 1):
        progress(f"growth: repeat {seed}/{repeats} (seed {seed})")
        loads.append(time_call(partial(sim.load_scenario, path)))
        scenario = sim.load_scenario(path)
        runs.append(time_call(partial(sim.run, scenario, seed)))
        phased.append(phased_run(scenario, seed, count=False))
        counted.append(phased_run(scenario, seed, count=True))
        bare.append(bare_loop(counted[-1].scheduled))
    return {
        "path": path, "note": note, "load": Spread.of(loads), "run": Spread.of(runs),
        "phases": {name: Spread.of([getattr(run, name) for run in phased])
                   for name in ("build", "simulate", "tabulate")},
        "scheduled": Spread.of([run.scheduled for run in counted]),
        "processed": Spread.of([run.processed for run in counted]),
        "model_per_event": Spread.of([run.simulate / count.scheduled
                                      for run, count in zip(phased, counted, strict=True)]),
        "bare_per_event": Spread.of([seconds / count.scheduled
                                     for seconds, count in zip(bare, counted, strict=True)]),
        "ratio": Spread.of([run.simulate / seconds
                            for run, seconds in zip(phased, bare, strict=True)]),
    }


def tech_section(sizes: Sequence[int], repeats: int, large_repeats: int) -> dict:
    """Section 3: tech-touch books of several sizes, seeds 1..repeats, and the scaling fit."""
    rows = {}
    for size in sizes:
        scenario = load_case(f"tech:{size}")
        count = large_repeats if size >= 100_000 else repeats
        times = []
        for seed in range(1, count + 1):
            progress(f"tech-touch {size:,}: repeat {seed}/{count} (seed {seed})")
            times.append(time_call(partial(sim.run, scenario, seed)))
        progress(f"tech-touch {size:,}: counting events (seed 1)")
        rows[size] = {"run": Spread.of(times), "counted": phased_run(scenario, 1, count=True)}
    return {"rows": rows, "fit": scaling_fit({size: row["run"].median
                                              for size, row in rows.items()})}


def scaling_fit(seconds: dict[int, float]) -> dict:
    """Least-squares slope of log(seconds) against log(customers), and slopes between sizes."""
    sizes = sorted(seconds)
    if len(sizes) < 2:
        return {"exponent": math.nan, "pairs": []}
    slope = np.polyfit(np.log(sizes), np.log([seconds[size] for size in sizes]), 1)[0]
    pairs = [(low, high, math.log(seconds[high] / seconds[low]) / math.log(high / low))
             for low, high in pairwise(sizes)]
    return {"exponent": float(slope), "pairs": pairs}


def memory_section(cases: Sequence[str]) -> dict:
    """Section 4: peak memory of one replicate per case, one fresh subprocess per method."""
    results = {}
    for case in cases:
        results[case] = {}
        for method in ("rss", "tracemalloc"):
            progress(f"memory: {case} ({method}, fresh subprocess)")
            results[case][method] = measure_in_subprocess(case, method)
    return results


def measure_in_subprocess(case: str, method: str) -> dict:
    """Run one replicate of a case in a fresh interpreter and read its JSON report."""
    command = [sys.executable, str(Path(__file__).resolve()), "--case", case, "--memory", method]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# One case in this process (memory subprocesses, profiling)
# ---------------------------------------------------------------------------------------------


def status_mb(field: str) -> float | None:
    """A memory field of ``/proc/self/status`` (Linux) in MB, or None where there is none."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 2**10
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    On Linux this is ``VmHWM``: the ``ru_maxrss`` of a child process also carries the peak of
    the process that started it (the kernel keeps it across fork and exec), so the parent's
    size would leak into the figure. Elsewhere ``ru_maxrss`` is used.
    """
    high_water = status_mb("VmHWM")
    if high_water is not None:
        return high_water
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def run_case(case: str, method: str | None) -> dict:
    """One replicate of a case (seed 1), measuring memory by ``method`` if given."""
    scenario = load_case(case)
    report = {"case": case, "seed": MEMORY_SEED,
              "rss_before_run_mb": status_mb("VmRSS") or peak_rss_mb()}
    if method == "tracemalloc":
        tracemalloc.start()
    report["seconds"] = time_call(partial(sim.run, scenario, MEMORY_SEED))
    if method == "tracemalloc":
        report["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    report["rss_peak_mb"] = peak_rss_mb()
    return report


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def profile_case(case: str, lines: int = 30) -> None:
    """Print the cProfile of one replicate's ``sim.run`` (imports and parsing left out)."""
    scenario = load_case(case)
    profiler = cProfile.Profile()
    profiler.runcall(sim.run, scenario, MEMORY_SEED)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines // 2)


def machine_info() -> list[str]:
    """CPU, platform and package versions."""
    import pandas
    import pydantic

    return [
        f"platform   {platform.platform()} ({platform.machine()})",
        f"cpus       {os.cpu_count()}  ({platform.processor() or 'unknown processor'})",
        f"python     {platform.python_version()} ({platform.python_implementation()})",
        f"numpy      {np.__version__}   simpy {simpy.__version__}   pandas {pandas.__version__}"
        f"   pydantic {pydantic.__version__}   cssim {sim.__version__}",
    ]


def seconds_text(spread: Spread) -> str:
    """``median s  [min - max]`` with a sensible number of digits."""
    return f"{spread.median:9.4f} s  [{spread.low:.4f} - {spread.high:.4f}]"


def growth_lines(growth: dict, repeats: int) -> list[str]:
    """Lines of sections 1 and 2."""
    phases = growth["phases"]
    lines = [f"1. One replicate of {growth['path'].relative_to(ROOT)}  "
             f"(median [min - max] of {repeats}; repeat i uses seed i)"]
    if growth["note"]:
        lines.append(f"   NOTE: {growth['note']}")
    lines += [
        f"   load_scenario (YAML + validation)   {seconds_text(growth['load'])}",
        f"   sim.run (build + simulate + tables) {seconds_text(growth['run'])}",
        *(f"     {name:<33} {seconds_text(phases[name])}" for name in phases),
        "",
    ]
    return lines + throughput_lines(growth)


def throughput_lines(growth: dict) -> list[str]:
    """Lines of section 2."""
    events = growth["scheduled"].median
    model, bare = growth["model_per_event"].median, growth["bare_per_event"].median
    ratio = growth["ratio"]
    verdict = "meets" if ratio.median <= GOAL_OVERHEAD else "misses"
    return [
        "2. Scheduled events per second (simulate phase = env.run only; same seeds as 1)",
        f"   {'':<34}{'events':>10}{'seconds':>10}{'events/s':>12}{'us/event':>10}",
        f"   {'model (growth run)':<34}{events:>10,.0f}{model * events:>10.4f}"
        f"{1 / model:>12,.0f}{model * 1e6:>10.2f}",
        f"   {f'bare SimPy, {BARE_PROCESSES} timeout processes':<34}{events:>10,.0f}"
        f"{bare * events:>10.4f}{1 / bare:>12,.0f}{bare * 1e6:>10.2f}",
        f"   processed events (scheduled minus still queued at the horizon): "
        f"{growth['processed'].median:,.0f}",
        f"   overhead, model time / bare time per event: {ratio.median:.2f}x  "
        f"[{ratio.low:.2f} - {ratio.high:.2f}]  (goal <= {GOAL_OVERHEAD:g}x: {verdict})",
        "",
    ]


def tech_lines(tech: dict, sizes: Sequence[int]) -> list[str]:
    """Lines of section 3."""
    lines = [
        f"3. Tech-touch book over {TECH_MONTHS} months (sim.run wall time; repeat i uses seed i;"
        " events and phases from one counted run, seed 1)",
        f"   {'customers':>10}{'repeats':>8}{'median s':>10}{'min s':>9}{'max s':>9}"
        f"{'events':>12}{'us/event':>10}{'build s':>9}{'sim s':>9}{'tables s':>9}",
    ]
    for size in sizes:
        run, counted = tech["rows"][size]["run"], tech["rows"][size]["counted"]
        lines.append(
            f"   {size:>10,}{run.count:>8}{run.median:>10.3f}{run.low:>9.3f}{run.high:>9.3f}"
            f"{counted.scheduled:>12,}{counted.simulate / counted.scheduled * 1e6:>10.2f}"
            f"{counted.build:>9.3f}{counted.simulate:>9.3f}{counted.tabulate:>9.3f}")
    return lines + fit_lines(tech, sizes)


def fit_lines(tech: dict, sizes: Sequence[int]) -> list[str]:
    """Lines with the scaling exponent and the goals."""
    fit = tech["fit"]
    verdict = "meets" if fit["exponent"] <= GOAL_EXPONENT else "misses"
    lines = [f"   scaling exponent (least squares, log time vs log customers, "
             f"{len(sizes)} sizes): {fit['exponent']:.3f}  (goal <= {GOAL_EXPONENT}: {verdict})"]
    lines += [f"     slope {low:,} -> {high:,}: {slope:.3f}" for low, high, slope in fit["pairs"]]
    if 100_000 in tech["rows"]:
        seconds = tech["rows"][100_000]["run"].median
        verdict = "meets" if seconds <= GOAL_100K_SECONDS else "misses"
        lines.append(f"   100,000 customers: {seconds:.1f} s  "
                     f"(goal <= {GOAL_100K_SECONDS:g} s: {verdict})")
    else:
        lines.append("   100,000 customers: skipped (--quick)")
    return lines + [""]


def memory_lines(memory: dict) -> list[str]:
    """Lines of section 4."""
    lines = [
        f"4. Peak memory of one replicate (seed {MEMORY_SEED}); each figure from its own fresh "
        "subprocess",
        f"   {'case':<14}{'RSS before run MB':>19}{'peak RSS MB':>13}{'run s':>8}"
        f"{'tracemalloc peak MB':>21}{'run s (traced)':>16}",
    ]
    for case, result in memory.items():
        rss, traced = result["rss"], result["tracemalloc"]
        if "error" in rss or "error" in traced:
            lines.append(f"   {case:<14} failed: {rss.get('error') or traced.get('error')}")
            continue
        lines.append(
            f"   {case:<14}{rss['rss_before_run_mb']:>19.1f}{rss['rss_peak_mb']:>13.1f}"
            f"{rss['seconds']:>8.2f}{traced['tracemalloc_peak_mb']:>21.1f}"
            f"{traced['seconds']:>16.2f}")
    lines += [
        "   RSS before run: interpreter, imports and the parsed scenario. Peak RSS: VmHWM of the",
        "   subprocess (ru_maxrss would carry over this process's peak into the child).",
        "   tracemalloc: Python and numpy allocations made during the run only.",
    ]
    return lines


def report(growth: dict, tech: dict, memory: dict, options: argparse.Namespace,
           sizes: Sequence[int]) -> str:
    """The results table."""
    rule = "=" * 100
    lines = [rule, "cssim benchmarks", rule, *machine_info(), "",
             f"repeats {options.repeats} (100,000 customers: {options.large_repeats}); "
             f"{'quick run, 100,000 skipped' if options.quick else 'full run'}", ""]
    lines += growth_lines(growth, options.repeats)
    lines += tech_lines(tech, sizes)
    lines += memory_lines(memory)
    return "\n".join([*lines, rule])


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-customer book")
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--large-repeats", type=int, default=None,
                        help="runs for 100,000 customers (default: --repeats)")
    parser.add_argument("--case", help="run one replicate of 'growth' or 'tech:<customers>'")
    parser.add_argument("--memory", choices=("rss", "tracemalloc"), help="with --case")
    parser.add_argument("--profile", action="store_true",
                        help="with --case: print the cProfile of sim.run")
    options = parser.parse_args(argv)
    if options.repeats < 1:
        parser.error(f"--repeats = {options.repeats}: must be >= 1")
    if options.large_repeats is None:
        options.large_repeats = options.repeats
    return options


def main(argv: Sequence[str] | None = None) -> None:
    """Run every section and print the table (or one case with ``--case``)."""
    options = parse_arguments(argv)
    if options.case and options.profile:
        profile_case(options.case)
        return
    if options.case:
        print(json.dumps(run_case(options.case, options.memory)))
        return
    sizes = [size for size in TECH_SIZES if not (options.quick and size >= 100_000)]
    growth = growth_section(options.repeats)
    tech = tech_section(sizes, options.repeats, options.large_repeats)
    memory = memory_section(["growth", *(f"tech:{size}" for size in sizes)])
    print(report(growth, tech, memory, options, sizes))


if __name__ == "__main__":
    main()
