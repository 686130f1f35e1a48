"""Calibration figures: mean GRR / NRR of the shipped stage scenarios over many seeds.

Compares each stage scenario's last trailing-12-month GRR and NRR, averaged over seeds, with the
ranges of domain.md §10.1. Prints a table; asserts nothing.

    python benchmarks/stage_calibration.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from sim import load_scenario, run

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {  # domain.md §10.1 (team-structure article)
    "stage1_startup": ((0.70, 0.85), None),
    "stage2_early_scale": ((0.85, 0.92), (0.90, 1.00)),
    "stage3_scaled_ops": ((0.90, 0.95), (1.05, 1.15)),
    "stage4_mature": ((0.93, 0.97), (1.15, 1.30)),
}


def measure(name: str, seeds: int) -> dict:
    """Mean and 95% CI half-width of the last GRR / NRR, and other headline figures."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    rows = [run(scenario, seed).summary.iloc[0] for seed in range(seeds)]
    figures = {}
    for key in ("grr_ttm_last", "nrr_ttm_last", "customers_end", "cs_cost_pct_arr_ttm",
                "onboarding_backlog_weeks_peak", "burnout_peak", "touches_missed_share"):
        values = np.array([row[key] for row in rows], dtype=float)
        figures[key] = (values.mean(), 1.96 * values.std(ddof=1) / math.sqrt(len(values)))
    return figures


def band(limits: tuple[float, float] | None) -> str:
    """A target band as text."""
    return f"{limits[0]:.0%}-{limits[1]:.0%}" if limits else "-"


def verdict(value: float, band: tuple[float, float] | None) -> str:
    """'in', 'low' or 'high' against a target band."""
    if band is None:
        return "-"
    return "in" if band[0] <= value <= band[1] else ("low" if value < band[0] else "high")


def main() -> None:
    """Print the calibration table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    seeds = parser.parse_args().seeds
    print(f"{'scenario':20} {'GRR mean ± 95%':>16} {'target':>11} {'':4} "
          f"{'NRR mean ± 95%':>16} {'target':>11} {'':4} {'customers':>9} {'CS%ARR':>7} "
          f"{'backlog wk':>10} {'burnout':>7} {'missed':>6}")
    for name, (grr_band, nrr_band) in TARGETS.items():
        figures = measure(name, seeds)
        grr, grr_hw = figures["grr_ttm_last"]
        nrr, nrr_hw = figures["nrr_ttm_last"]
        print(f"{name:20} {grr:>9.1%} ± {grr_hw:.1%} {band(grr_band):>11} "
              f"{verdict(grr, grr_band):4} {nrr:>9.1%} ± {nrr_hw:.1%} {band(nrr_band):>11} "
              f"{verdict(nrr, nrr_band):4} {figures['customers_end'][0]:>9.0f} "
              f"{figures['cs_cost_pct_arr_ttm'][0]:>6.1f}% "
              f"{figures['onboarding_backlog_weeks_peak'][0]:>10.1f} "
              f"{figures['burnout_peak'][0]:>7.2f} {figures['touches_missed_share'][0]:>6.1%}")
    print(f"({seeds} seeds per scenario; GRR/NRR = last trailing-12-month values)")


if __name__ == "__main__":
    main()
