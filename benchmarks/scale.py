"""How cssim scales, in one run: CPU time and peak memory against the goals of docs/performance.md.

    PYTHONPATH=$PWD python benchmarks/scale.py [--quick] [--repeats N]

Prints, asserting nothing (every figure is CPU time, ``time.process_time``, so that other work
on a shared machine inflates it less than wall time; medians over ``--repeats`` seeds):

1. ``scenarios/growth_100_to_500.yaml`` scaled x1 / x10 / x30 / x100 (initial book, arrivals and
   every headcount multiplied, as ``scale_stage4.scaled``): CPU time of ``sim.run``, peak RSS
   and the slopes of log(time) against log(factor).
2. A tech-touch book of 1,000 / 10,000 / 100,000 customers over 36 months
   (``run_benchmarks.tech_touch_data``) against ``floor``, a numpy daily-step model of the same
   book written for this benchmark; and memory per customer (peak RSS less the RSS after
   imports, over the customers in the book).
3. cssim against Ciw (``pip install ciw``, the ``bench`` extra; skipped with a message if it is
   not installed) on the same M/M/4 onboarding queue at utilisation 0.8 (the queue of
   ``tests/system/test_theory.py``): CPU time per simulated customer.
4. The cost of one replicate of ``growth_100_to_500`` inside a sweep (``run_batch``, one process)
   with the KPI-only run (the default) and with full tables (``engine=sim.run``).

Each case runs in a fresh subprocess, so one case's memory cannot inflate another's.
``--quick`` leaves out x100 and the 100,000-customer book.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "benchmarks", ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import numpy as np  # noqa: E402

GROWTH = ROOT / "scenarios" / "growth_100_to_500.yaml"
FACTORS = (1, 10, 30, 100)
TECH_SIZES = (1_000, 10_000, 100_000)
MONTH_DAYS = 365.0 / 12
MMC = {"servers": 4, "mean_days": 0.25, "utilisation": 0.8, "months": 11}


def peak_mb() -> float:
    """Peak resident set size of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident set size of this process, MB."""
    with open("/proc/self/statm", encoding="ascii") as status:
        return int(status.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# ---------------------------------------------------------------------------------------------
# Cases, each run in a child process: ``scale.py --child KIND ARG SEED``
# ---------------------------------------------------------------------------------------------


def growth_case(factor: float, seed: int) -> dict:
    """One run of the growth scenario scaled by ``factor``."""
    import scale_stage4

    from sim.model import run
    from sim.scenario.schema import parse_scenario

    scale_stage4.SCENARIO = GROWTH
    scenario = parse_scenario(scale_stage4.scaled(factor, 24, 1.0, None))
    started = time.process_time()
    result = run(scenario, seed)
    return {"cpu": time.process_time() - started, "customers": len(result.customers)}


def tech_case(customers: int, seed: int, kpi_only: bool = False) -> dict:
    """One run of the tech-touch book (full, or KPI-only), with its memory per customer."""
    from run_benchmarks import tech_touch_data

    import sim
    from sim.model import run, run_headline

    scenario = sim.parse_scenario(tech_touch_data(customers), source="bench")
    baseline = rss_mb()
    started = time.process_time()
    (run_headline if kpi_only else run)(scenario, seed)
    cpu, peak = time.process_time() - started, peak_mb()
    book = _book_size(scenario, seed)
    return {"cpu": cpu, "book": book, "peak_mb": peak,
            "kb_per_customer": (peak - baseline) * 1024 / book}


def tech_kpi_case(customers: int, seed: int) -> dict:
    """``tech_case`` with the KPI-only run."""
    return tech_case(customers, seed, kpi_only=True)


def _book_size(scenario: object, seed: int) -> int:
    """Customers in the book of a run (initial and signing during the run)."""
    from sim.core.streams import Streams
    from sim.customers.book import draw_book

    return len(draw_book(scenario, Streams(seed)).state)  # type: ignore[arg-type]


def floor_case(customers: int, seed: int) -> dict:
    """The numpy daily-step model of the tech-touch book (the floor)."""
    started = time.process_time()
    floor(customers, seed)
    return {"cpu": time.process_time() - started}


def floor(customers: int, seed: int) -> dict[str, np.ndarray]:
    """The tech-touch book of ``run_benchmarks.tech_touch_data`` stepped day by day in numpy.

    The same book: ``customers`` live at day 0 with up to 2 years of tenure, half as many again
    signing over 36 months, live after 14 days; ACV log-normal (mean $5K, cv 0.5); at each
    yearly renewal a churn draw at the customer's shifted-beta-geometric probability (theta ~
    Beta(1, 6)), else expansion (25%, +25% mean) or contraction (8%, -20% mean); 0.2 tickets a
    month per live customer (T1/T2/T3 60/30/10% at 0.5/2/6 hours), served first come first
    served by one support engineer per 200 customers (40 h x 0.85 a week); monthly ARR,
    customers, churn and mean first-response hours. Each day: who is live, who renews, the
    day's tickets, the support queue.
    """
    rng = np.random.default_rng(seed)
    days = int(36 * MONTH_DAYS)
    signed = rng.poisson(customers / 36 * 0.5 * 36)
    count = customers + signed
    live_day = np.r_[np.zeros(customers), np.sort(rng.uniform(0, days, signed)) + 14.0]
    renewal = np.r_[rng.uniform(0, 365, customers), live_day[customers:] + 365.0]
    sigma = math.sqrt(math.log(1 + 0.5**2))
    acv = rng.lognormal(math.log(5000) - sigma**2 / 2, sigma, count)
    theta = rng.beta(1.0, 6.0, count)
    alive = np.zeros(count, dtype=bool)
    churned = np.zeros(count, dtype=bool)
    rate = max(1, customers // 200) * 40 * 0.85 / 7  # support hours a day
    hours = np.array([0.5, 2.0, 6.0])
    queue_open, queue_hours = np.zeros(0), np.zeros(0)
    months = {name: [] for name in ("arr", "customers", "churned", "response_hours")}
    month_churn, responses = 0, []
    for day in range(days):
        alive = (live_day <= day) & ~churned
        due = np.flatnonzero(alive & (renewal <= day))
        if len(due):
            lost = rng.random(len(due)) < theta[due]
            churned[due[lost]] = True
            kept = due[~lost]
            draw = rng.random(len(kept))
            change = np.where(draw < 0.25, 1 + rng.exponential(0.25, len(kept)),
                              np.where(draw < 0.33, 1 - rng.exponential(0.2, len(kept)), 1.0))
            acv[kept] *= np.clip(change, 0.0, None)
            renewal[kept] += 365.0
            month_churn += int(lost.sum())
        opened = rng.poisson(alive.sum() * 0.2 / MONTH_DAYS)
        level = np.searchsorted([0.6, 0.9], rng.random(opened))
        queue_open = np.r_[queue_open, day + np.sort(rng.random(opened))]
        queue_hours = np.r_[queue_hours, hours[level]]
        starts = day + (np.cumsum(queue_hours) - queue_hours) / rate
        served = int(np.searchsorted(starts, day + 1.0))
        responses.append((starts[:served] - queue_open[:served]).clip(0) * 24)
        queue_open, queue_hours = queue_open[served:], queue_hours[served:]
        if int((day + 1) / MONTH_DAYS) > int(day / MONTH_DAYS):
            answered = np.concatenate(responses)
            months["arr"].append(float(acv[alive & ~churned].sum()))
            months["customers"].append(int((alive & ~churned).sum()))
            months["churned"].append(month_churn)
            months["response_hours"].append(float(answered.mean()) if len(answered) else 0.0)
            month_churn, responses = 0, []
    return {name: np.array(values) for name, values in months.items()}


def cssim_mmc(kpi_only: int, seed: int) -> dict:
    """cssim on the M/M/4 onboarding queue of tests/system/test_theory.py (full or KPI-only)."""
    from theory_support import onboarding_only

    from sim.model import run, run_headline
    from sim.scenario.schema import parse_scenario

    rate = MMC["utilisation"] * MMC["servers"] / MMC["mean_days"]
    scenario = parse_scenario(onboarding_only(MMC["servers"], MMC["mean_days"],
                                              rate * 365 / 12, MMC["months"]))
    started = time.process_time()
    (run_headline if kpi_only else run)(scenario, seed)
    return {"cpu": time.process_time() - started, "customers": _book_size(scenario, seed)}


def ciw_mmc(seed: int) -> dict:
    """Ciw on the same M/M/4 queue over the same horizon."""
    import ciw

    rate = MMC["utilisation"] * MMC["servers"] / MMC["mean_days"]
    started = time.process_time()
    network = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=rate)],
                                 service_distributions=[ciw.dists.Exponential(
                                     rate=1 / MMC["mean_days"])],
                                 number_of_servers=[MMC["servers"]])
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(MMC["months"] * MONTH_DAYS)
    records = simulation.get_all_records()
    return {"cpu": time.process_time() - started, "customers": len(records)}


def sweep_case(kpi_only: int, seed: int) -> dict:
    """One sweep batch of growth replicates in this process: CPU time per replicate."""
    import sim
    from sim.experiments.tasks import Batch, run_batch

    scenario = sim.load_scenario(GROWTH)
    replicates = tuple(range(seed))
    engine = None if kpi_only else sim.run
    run_batch(Batch("warm", scenario, (0,), 1, engine))
    started = time.process_time()
    run_batch(Batch("p", scenario, replicates, 1, engine))
    return {"cpu": (time.process_time() - started) / len(replicates)}


CASES = {"growth": growth_case, "tech": tech_case, "tech_kpi": tech_kpi_case,
         "floor": floor_case, "cssim_mmc": cssim_mmc, "ciw_mmc": ciw_mmc, "sweep": sweep_case}


def child(kind: str, argument: str, seed: int) -> dict:
    """Run one case in a fresh interpreter; its figures and peak RSS."""
    command = [sys.executable, __file__, "--child", kind, argument, str(seed)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(kind: str, argument: str, seeds: int) -> dict:
    """Medians of each figure over seeds 1..``seeds``."""
    runs = [child(kind, argument, seed) for seed in range(1, seeds + 1)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def slope(small: tuple[float, float], large: tuple[float, float]) -> float:
    """Slope of log(time) against log(size) between two (size, time) points."""
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def growth_section(factors: tuple[int, ...], repeats: int) -> None:
    print("1. growth_100_to_500 scaled (CPU time of sim.run, peak RSS of the process)")
    times = {}
    for factor in factors:
        figures = median_of("growth", str(factor), repeats if factor <= 10 else 1)
        times[factor] = figures["cpu"]
        print(f"   x{factor:<4} {figures['customers']:>8,.0f} customers  "
              f"{figures['cpu']:7.2f} s  peak {figures['peak_mb']:6.0f} MB")
    pairs = [(a, b) for a, b in ((1, 10), (10, 30), (1, 100), (10, 100))
             if a in times and b in times]
    print("   slopes: " + ", ".join(f"x{a}->x{b} {slope((a, times[a]), (b, times[b])):.2f}"
                                    for a, b in pairs))


def tech_section(sizes: tuple[int, ...], repeats: int) -> None:
    print("2. tech-touch book, 36 months: cssim (full run) vs the numpy daily-step floor")
    for size in sizes:
        seeds = repeats if size <= 10_000 else 1
        cssim, lean = median_of("tech", str(size), seeds), median_of("tech_kpi", str(size), seeds)
        floor_run = median_of("floor", str(size), seeds)
        print(f"   {size:>7,} customers ({cssim['book']:,.0f} in the book): floor "
              f"{floor_run['cpu']:5.2f} s; cssim {cssim['cpu']:6.2f} s "
              f"({cssim['cpu'] / floor_run['cpu']:4.1f}x), KPI-only {lean['cpu']:6.2f} s "
              f"({lean['cpu'] / floor_run['cpu']:4.1f}x)")
        print(f"   {'':>7}  peak {cssim['peak_mb']:.0f} MB = {cssim['kb_per_customer']:.2f} kB per "
              f"customer above the imports; KPI-only {lean['peak_mb']:.0f} MB = "
              f"{lean['kb_per_customer']:.2f} kB")


def ciw_section(repeats: int) -> None:
    print(f"3. M/M/{MMC['servers']} queue at utilisation {MMC['utilisation']}, "
          f"{MMC['months']} months: CPU per simulated customer")
    if importlib.util.find_spec("ciw") is None:
        print("   skipped: Ciw is not installed (pip install ciw, or the 'bench' extra)")
        return
    theirs = median_of("ciw_mmc", "", repeats)
    per_theirs = theirs["cpu"] / theirs["customers"] * 1e6
    print(f"   Ciw {per_theirs:5.0f} us ({theirs['customers']:.0f} customers, "
          f"{theirs['cpu']:.3f} s)")
    for label, kpi_only in (("cssim, full run", "0"), ("cssim, KPI-only", "1")):
        ours = median_of("cssim_mmc", kpi_only, repeats)
        per_ours = ours["cpu"] / ours["customers"] * 1e6
        print(f"   {label} {per_ours:5.0f} us ({ours['customers']:.0f} customers, "
              f"{ours['cpu']:.3f} s): {per_ours / per_theirs:.2f}x Ciw")


def sweep_section(replicates: int) -> None:
    print(f"4. growth_100_to_500 in a sweep batch ({replicates} replicates, one process)")
    lean, full = child("sweep", "1", replicates), child("sweep", "0", replicates)
    print(f"   KPI-only {lean['cpu'] * 1000:5.0f} ms per replicate; full tables "
          f"{full['cpu'] * 1000:5.0f} ms; ratio {full['cpu'] / lean['cpu']:.2f}x")


def main() -> None:
    """Run every section and print its figures."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, argument, seed = sys.argv[2], sys.argv[3], int(sys.argv[4])
        case = CASES[kind]
        figures = case(int(argument), seed) if argument else case(seed)  # type: ignore[operator]
        print(json.dumps({"peak_mb": peak_mb(), **figures}))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out x100 and 100,000")
    parser.add_argument("--repeats", type=int, default=3, help="seeds per small case")
    options = parser.parse_args()
    load = os.getloadavg()
    print(f"cssim scale benchmark; {os.cpu_count()} cores, load average {load[0]:.1f} "
          f"(CPU times; a loaded machine inflates them too)")
    growth_section(FACTORS[:-1] if options.quick else FACTORS, options.repeats)
    tech_section(TECH_SIZES[:-1] if options.quick else TECH_SIZES, options.repeats)
    ciw_section(options.repeats)
    sweep_section(5 * options.repeats)


if __name__ == "__main__":
    main()
