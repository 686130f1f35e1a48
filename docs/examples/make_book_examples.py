"""Write the example files of docs/own_company.md into scenarios/books/.

    PYTHONPATH=$PWD python docs/examples/make_book_examples.py

- ``example_accounts.csv``: a CRM-like export of 400 accounts at January 2025 (the generator of
  the initial-book tests, seed 11).
- ``example_history.csv``: six years of account history (start date, end date or blank, tier;
  2019 to 2024) simulated by the engine itself, every service effect neutral, with known churn
  per tier: smb α = 1.0, β = 3.0; mid α = 0.8, β = 4.0; ent α = 0.5, β = 5.0.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from book_support import known_accounts  # noqa: E402
from retention_support import cohort_scenario, engine_history  # noqa: E402

TRUE_CHURN = {"smb": (1.0, 3.0, 40.0), "mid": (0.8, 4.0, 20.0), "ent": (0.5, 5.0, 6.0)}
"""Tier: α, β and new customers a month of the simulated history."""


def main() -> None:
    """Write both files."""
    folder = ROOT / "scenarios" / "books"
    folder.mkdir(parents=True, exist_ok=True)
    known_accounts(400, seed=11).to_csv(folder / "example_accounts.csv", index=False)
    parts = []
    with tempfile.TemporaryDirectory() as scratch:
        for seed, (tier, (alpha, beta, per_month)) in enumerate(TRUE_CHURN.items(), start=1):
            scenario = cohort_scenario(alpha, beta, per_month, 72, 72)
            path, _ = engine_history(scenario, seed, Path(scratch))
            history = pd.read_csv(path, dtype=str, keep_default_na=False)
            parts.append(history.assign(tier=tier, **{column: _year_earlier(history[column])
                                                      for column in ("start_date", "end_date")}))
    history = pd.concat(parts, ignore_index=True)
    history.to_csv(folder / "example_history.csv", index=False)
    print(f"wrote {folder / 'example_accounts.csv'} and {folder / 'example_history.csv'} "
          f"({len(history)} accounts signed from 2019-01-01, seen on 2024-12-31)")


def _year_earlier(dates: pd.Series) -> pd.Series:
    """The simulated history (from 2020-01-01) moved a year earlier, to end with 2024."""
    moved = pd.to_datetime(dates.replace("", None)) - pd.DateOffset(years=1)
    return moved.dt.strftime("%Y-%m-%d").fillna("")


if __name__ == "__main__":
    main()
