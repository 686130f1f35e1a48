"""One-at-a-time sensitivity of the strategy ranking (docs/strategies.md).

Runs stay_generalist, specialise_at_150, hybrid_tiers_at_200 and proactive_hiring on the same
seeds (common random numbers) at the defaults and with each behavioural parameter below at each
end of its plausible range, and prints the mean paired differences against stay_generalist of
the last trailing GRR and NRR (points), with the best of the three on each. Asserts nothing.

    PYTHONPATH=$PWD python benchmarks/strategy_oat.py [--seeds 2] [--jobs 1]
"""

from __future__ import annotations

import argparse
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from sim import parse_scenario, run
from sim.scenario.schema import read_yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = "stay_generalist"
STRATEGIES = ("specialise_at_150", "hybrid_tiers_at_200", "proactive_hiring")
PARAMETERS = {
    "service_effects.under_service": (1.5, 4.0),
    "service_effects.coverage_curvature": (1.0, 6.0),
    "service_effects.onboarding_wait_per_month": (1.0, 1.3),
    "service_effects.sla_breaches": (1.1, 2.5),
    "service_effects.missed_renewal": (1.2, 3.0),
    "service_effects.expansion_floor": (0.2, 1.0),
    "service_effects.csm_led_expansion": (0.2, 0.8),
    "renewals.specialist_hours_share": (0.5, 1.0),
}
Job = tuple[str, str | None, float | None, int]


def one(job: Job) -> tuple[Job, float, float]:
    """Last trailing GRR and NRR of one strategy with one parameter set (or none)."""
    strategy, path, value, seed = job
    data = read_yaml(ROOT / "scenarios" / "strategies" / f"{strategy}.yaml")
    assert isinstance(data, dict)
    if path is not None:
        section, field = path.split(".")
        data.setdefault(section, {})[field] = value
    summary = run(parse_scenario(data), seed).summary.iloc[0]
    return job, float(summary.grr_ttm_last), float(summary.nrr_ttm_last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    settings: list[tuple[str | None, float | None]] = [(None, None)] + [
        (path, value) for path, ends in PARAMETERS.items() for value in ends]
    jobs = [(strategy, path, value, seed) for path, value in settings
            for strategy in (BASE, *STRATEGIES) for seed in seeds]
    with Pool(args.jobs) as pool:
        results = {job: (grr, nrr) for job, grr, nrr in pool.map(one, jobs)}
    print("| setting | " + " | ".join(f"Δ GRR {s}" for s in STRATEGIES) + " | "
          + " | ".join(f"Δ NRR {s}" for s in STRATEGIES) + " | best GRR | best NRR |")
    for path, value in settings:
        mean = {(s, k): np.mean([results[(s, path, value, seed)][k] for seed in seeds])
                for s in (BASE, *STRATEGIES) for k in (0, 1)}
        cells = [f"{100 * (mean[(s, k)] - mean[(BASE, k)]):+.1f}" for k in (0, 1)
                 for s in STRATEGIES]
        best = [max(STRATEGIES, key=lambda s: mean[(s, 0)]),
                max(STRATEGIES, key=lambda s: mean[(s, 1)])]
        label = "defaults" if path is None else f"`{path}` = {value:g}"
        print(f"| {label} | " + " | ".join(cells) + f" | {best[0]} | {best[1]} |")


if __name__ == "__main__":
    main()
