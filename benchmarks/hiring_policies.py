"""How the hiring policies staff support on the shipped hiring scenarios, seed by seed.

For each scenario and seed: support engineers at months 6, 12, 24 and 36, the day of the first
support requisition and of the first support hire, the month-36 open tickets and mean first
response, the run's SLA breach share, the last trailing GRR, the whole run's CS cost, and the
day of the first renewals requisition and the renewals headcount at the end. Prints a table;
asserts nothing.

    python benchmarks/hiring_policies.py [--seeds 5] [scenario.yaml ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sim import load_scenario, run
from sim.outputs.results import RunResult

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "scenarios" / "strategies" / f"{name}.yaml"
           for name in ("proactive_hiring", "reactive_hiring")]
MONTHS = (6, 12, 24, 36)


def support_figures(result: RunResult) -> dict[str, object]:
    """The support figures of one run."""
    workforce = result.workforce.query("pool == 'support'")
    support = workforce.groupby("period").headcount.sum()
    events = result.events.query("pool == 'support'")
    first_req = events.query("kind == 'requisition'").time.min()
    first_hire = events.query("kind == 'hire'").time.min()
    renewals = result.events.query("pool == 'renewals' and kind == 'requisition'")
    last = result.timeseries.query("tier == 'all'").iloc[-1]
    summary = result.summary.iloc[0]
    return {
        "support": "/".join(str(int(support.get(month, np.nan))) for month in MONTHS),
        "first_req": first_req, "first_hire": first_hire,
        "open_m36": int(last.tickets_open), "resp_h_m36": last.ticket_response_hours_mean,
        "sla": summary.sla_breach_share, "grr": summary.grr_ttm_last,
        "cost_m": summary.total_cs_cost / 1e6,
        "renewals_first": renewals.time.min(),
        "renewals_end": int(result.workforce.query("pool == 'renewals'").headcount.iloc[-1]),
    }


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("scenarios", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    print("scenario            seed  support m6/12/24/36  first req  first hire  open m36  "
          "resp h m36   SLA breach  GRR     cost $M  renewals: first req, m36")
    for path in args.scenarios:
        scenario = load_scenario(path)
        rows = [support_figures(run(scenario, seed)) for seed in range(1, args.seeds + 1)]
        for seed, row in enumerate(rows, start=1):
            print_row(path.stem, str(seed), row)
        means = {key: np.mean([row[key] for row in rows]) for key in rows[0] if key != "support"}
        ends = [int(row["support"].split("/")[-1]) for row in rows]  # type: ignore[union-attr]
        print_row(path.stem, "mean", {**means, "support": f"m36: {np.mean(ends):.1f}"})


def print_row(name: str, seed: str, row: dict[str, object]) -> None:
    """One line of the table."""
    print(f"{name:<19} {seed:>4}  {row['support']:>19}  {row['first_req']:>9.0f}  "
          f"{row['first_hire']:>10.0f}  {row['open_m36']:>8.0f}  {row['resp_h_m36']:>10.1f}"
          f"   {row['sla']:>10.1%}  {row['grr']:.1%}  {row['cost_m']:>7.2f}"
          f"  {row['renewals_first']:>15.0f}  {row['renewals_end']:>3.1f}")


if __name__ == "__main__":
    main()
