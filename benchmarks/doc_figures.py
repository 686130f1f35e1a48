"""The figures docs/model.md quotes for shipped scenarios, re-measured on this checkout.

Runs seeds 1-10 (``--seeds``) with ``sim.run`` and prints, as means over the seeds unless said:

- ``org_pods.yaml`` as shipped and with ``org.allow_pod_borrowing: true``: the enterprise
  backlog's peak in weeks (median over seeds), the enterprise customers' mean onboarding wait,
  abandons per run, last trailing GRR, onboardings lent between pods (per lender and tier);
- ``org_geographic.yaml``: each region's share of tickets breaching their SLA, the months APAC
  is below the minimum scale, the APAC CSMs' utilisation (median and interquartile range over
  every period of every seed);
- ``triggers_tech_touch.yaml`` with triggers on, off (``triggers: {enabled: false}``) and on
  with no overflow CSMs: risk triggers, automated re-engagements, CSM answers and their mean
  response, overflow CSM utilisation, triggers left unanswered, churned customers, last
  trailing GRR / NRR and CS cost, with the paired differences on against off;
- stages 3 and 4: percentiles of the CSMs' CS Ops productivity gain over periods and seeds.

Asserts nothing. From the checkout's root:

    python benchmarks/doc_figures.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import run
from sim.outputs.results import RunResult
from sim.scenario.schema import parse_scenario, read_yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
Edit = Callable[[dict[str, Any]], None]


def runs(name: str, seeds: int, edit: Edit | None = None) -> list[RunResult]:
    """Run a shipped scenario (after ``edit`` of its YAML data) on seeds 1..seeds."""
    data = copy.deepcopy(read_yaml(SCENARIOS / f"{name}.yaml"))
    if edit is not None:
        edit(data)
    scenario = parse_scenario(data, source=f"{name}.yaml")
    return [run(scenario, seed) for seed in range(1, seeds + 1)]


def summary(results: list[RunResult]) -> pd.DataFrame:
    """The summary rows of the runs, one per seed."""
    return pd.concat([result.summary for result in results], ignore_index=True)


def pod_figures(results: list[RunResult]) -> dict[str, float]:
    """Enterprise backlog, wait, abandons, borrowed onboardings and GRR of org_pods runs."""
    peaks, waits, borrowed = [], [], []
    lent: dict[str, list[int]] = {}
    for result in results:
        series = result.timeseries.query("tier == 'enterprise'")
        peaks.append(series.onboarding_backlog_weeks.max())
        enterprise = result.customers.query("initial_tier == 'enterprise'")
        waits.append(enterprise.wait_days.mean())
        loans = result.events.query("kind == 'borrowed'")
        borrowed.append(len(loans))
        for (pool, tier), count in loans.groupby(["pool", "tier"], observed=True).size().items():
            lent.setdefault(f"  {tier} onboardings by {pool}", []).append(int(count))
    table = summary(results)
    return {"enterprise backlog peak, weeks (median)": float(np.median(peaks)),
            "enterprise onboarding wait, days": float(np.mean(waits)),
            "abandons per run": table.abandoned_customers.mean(),
            "GRR ttm last": table.grr_ttm_last.mean(),
            "borrowed onboardings per run": float(np.mean(borrowed)),
            # a lender/tier pair absent in a seed counts 0 there
            **{key: sum(counts) / len(results) for key, counts in sorted(lent.items())}}


def borrowing(data: dict[str, Any]) -> None:
    """org_pods with pods lending idle onboarding capacity."""
    data["org"]["allow_pod_borrowing"] = True


def geographic_figures(results: list[RunResult]) -> dict[str, float]:
    """SLA breach share per region, APAC months below minimum scale, APAC CSM utilisation."""
    shares: dict[str, list[float]] = {}
    below, regions_below, utilisation = [], [], []
    for result in results:
        tickets = result.customers.groupby("region")[["tickets", "sla_breaches"]].sum()
        for region, row in tickets.iterrows():
            shares.setdefault(f"SLA breach share {region}", []).append(
                row.sla_breaches / row.tickets)
        below.append(apac_months_below(result))
        regions_below.append(result.timeseries.query("tier == 'all'").regions_below_min_scale.sum())
        apac = result.workforce.query("region == 'apac' and role == 'csm'")
        utilisation.extend(apac.utilisation_mean.dropna())
    figures = {key: float(np.mean(values)) for key, values in shares.items()}
    figures.update({f"{key} min over seeds": float(np.min(values))
                    for key, values in shares.items()})
    figures.update({f"{key} max over seeds": float(np.max(values))
                    for key, values in shares.items()})
    low, median, high = np.percentile(utilisation, [25, 50, 75])
    figures.update({"APAC months below minimum scale": float(np.mean(below)),
                    "region-months below minimum scale": float(np.mean(regions_below)),
                    "APAC CSM utilisation median": median,
                    "APAC CSM utilisation p25": low, "APAC CSM utilisation p75": high})
    return figures


def apac_months_below(result: RunResult, minimum: int = 50) -> int:
    """Period ends at which APAC has fewer customers under contract than the minimum."""
    customers = result.customers.query("region == 'apac'")
    ends = result.timeseries.query("tier == 'all'").day
    months = 0
    for day in ends:
        under = (customers.arrival_day <= day) & ~(customers.churn_day <= day)
        months += int(under.sum() < minimum)
    return months


def trigger_figures(results: list[RunResult]) -> dict[str, float]:
    """Trigger counts, answers, response time and overflow utilisation of triggered runs."""
    rows = []
    for result in results:
        series = result.timeseries.query("tier == 'all'")
        overflow = result.workforce.query("pool == 'csm_overflow'")
        hours = overflow.hours_available.sum()
        rows.append({
            "risk triggers": series.triggers_usage_drop.sum() + series.triggers_inactivity.sum(),
            "re-engaged by automation": series.reengaged_automated.sum(),
            "answered by a CSM": series.outreach_done.sum(),
            "response days (mean of answered)": np.average(
                series.trigger_response_days_mean.fillna(0), weights=series.outreach_done)
            if series.outreach_done.sum() else np.nan,
            "unanswered at a renewal": series.outreach_unanswered.sum(),
            "overflow CSM utilisation": overflow.hours_worked.sum() / hours if hours else np.nan,
            "overflow CSM utilisation_mean": overflow.utilisation_mean.mean(),
        })
    return pd.DataFrame(rows).mean().to_dict()


def triggers_off(data: dict[str, Any]) -> None:
    """triggers_tech_touch with the trigger engine off."""
    data["triggers"] = {"enabled": False}


def no_overflow(data: dict[str, Any]) -> None:
    """triggers_tech_touch with nobody in the overflow CSM pool."""
    for pool in data["pools"]:
        if pool["name"] == "csm_overflow":
            pool["headcount"] = 0
            pool.pop("staffing_plan", None)


def outcome(results: list[RunResult]) -> pd.DataFrame:
    """Churned customers, last trailing GRR / NRR and CS cost per seed."""
    table = summary(results)
    return table[["churned_customers", "grr_ttm_last", "nrr_ttm_last", "total_cs_cost",
                  "cs_cost_pct_arr_ttm"]]


def productivity_gain(name: str, seeds: int) -> np.ndarray:
    """Percentiles 0, 10, 50, 90, 100 of the CSMs' CS Ops gain over periods and seeds."""
    gains = pd.concat([result.workforce.query("role == 'csm'")
                       .groupby("period").productivity_gain.mean()
                       for result in runs(name, seeds)])
    return np.percentile(gains, [0, 10, 50, 90, 100])


def show(title: str, figures: dict[str, float]) -> None:
    """Print one block of figures."""
    print(title)
    for key, value in figures.items():
        print(f"  {key:<44} {value:,.4g}")


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    seeds = parser.parse_args().seeds
    show("org_pods.yaml", pod_figures(runs("org_pods", seeds)))
    show("org_pods.yaml, allow_pod_borrowing: true",
         pod_figures(runs("org_pods", seeds, borrowing)))
    show("org_geographic.yaml", geographic_figures(runs("org_geographic", seeds)))
    triggered = runs("triggers_tech_touch", seeds)
    show("triggers_tech_touch.yaml, triggers on", trigger_figures(triggered))
    show_paired(outcome(triggered), outcome(runs("triggers_tech_touch", seeds, triggers_off)))
    alone = runs("triggers_tech_touch", seeds, no_overflow)
    show("triggers_tech_touch.yaml, no overflow CSMs", trigger_figures(alone))
    show("  outcome", outcome(alone).mean().to_dict())
    print(f"  customers at the end (triggers on): {summary(triggered).customers_end.mean():,.0f}")
    for stage in ("stage3_scaled_ops", "stage4_mature"):
        gain = productivity_gain(stage, seeds)
        print(f"{stage}.yaml: CSM productivity gain per period, min / p10 / median / p90 / max: "
              + " / ".join(f"{value:.1%}" for value in gain))


def show_paired(on: pd.DataFrame, off: pd.DataFrame) -> None:
    """Means with triggers on and off, and the paired difference's mean and sd over seeds."""
    print("triggers_tech_touch.yaml, on against off (same seeds)")
    difference = on - off
    for column in on.columns:
        print(f"  {column:<22} on {on[column].mean():>14,.4g}  off {off[column].mean():>14,.4g}"
              f"  paired {difference[column].mean():>+12,.4g} sd {difference[column].std():,.3g}")


if __name__ == "__main__":
    main()
