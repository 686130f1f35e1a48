"""Time and peak memory of one run of ``scenarios/stage4_mature.yaml`` scaled up: the figures
behind the work ceilings of ``sim.scenario.work_estimate`` (see docs/limits.md).

    python benchmarks/scale_stage4.py K HORIZON [TICKETS_PER_MONTH]

K multiplies the initial customers, the arrival rates and every headcount (staffing plans and
hiring caps included); the environment variable STAFF multiplies the headcounts once more.
TICKETS_PER_MONTH, if given, replaces every tier's rate. Prints the work estimate, the wall time
of ``sim.run`` and the peak resident memory of this process; asserts nothing.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import yaml

from sim.model import run
from sim.scenario.schema import parse_scenario
from sim.scenario.work_estimate import estimate

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "stage4_mature.yaml"


def scaled(factor: float, horizon: int, staff: float, tickets: float | None) -> dict:
    """The stage 4 scenario with its book and team scaled."""
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    data["horizon_months"] = horizon
    growth = data["growth"]
    for key in ("initial_customers", "initial_backlog"):
        growth[key] = {tier: int(count * factor) for tier, count in growth.get(key, {}).items()}
    for step in growth["arrivals"]:
        step["customers_per_month"] *= factor
    for pool in data["pools"]:
        if pool["headcount"]:
            pool["headcount"] = max(1, int(pool["headcount"] * factor * staff))
        for step in pool.get("staffing_plan", []):
            step["headcount"] = int(step["headcount"] * factor * staff)
        trigger = pool.get("hiring_trigger", {})
        if trigger.get("max_headcount"):
            trigger["max_headcount"] = int(trigger["max_headcount"] * factor)
    if tickets is not None:
        for tier in data["tiers"]:
            tier["tickets_per_month"] = tickets
    return data


def main() -> None:
    """Run the scaled scenario once and print its figures."""
    factor, horizon = float(sys.argv[1]), int(sys.argv[2])
    tickets = float(sys.argv[3]) if len(sys.argv) > 3 else None
    staff = float(os.environ.get("STAFF", "1"))
    scenario = parse_scenario(scaled(factor, horizon, staff, tickets))
    work = estimate(scenario)
    started = time.perf_counter()
    run(scenario, 1)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"x{factor:g}, {horizon} months: {work.customers:,.0f} customers, "
          f"{work.customer_months:,.0f} customer-months, {work.tickets:,.0f} tickets, "
          f"{work.person_weeks:,.0f} person-weeks estimated; {elapsed:.1f} s, "
          f"peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
