"""A known set of accounts written as an initial-book CSV, and a scenario that loads it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

OWNERS = {"mid": ["ana", "ben", "chloe"], "ent": ["dev", "eli"]}
"""Named CSMs per tier (each within its pool's headcount)."""


def book_scenario(book: str) -> dict:
    """Three tiers, a CSM pool for mid and one for ent, an implementation pool, no arrivals."""
    return {
        "name": "book", "horizon_months": 12, "start_date": "2025-01",
        "tiers": [
            {"name": "smb", "acv_min": 0, "acv_max": 20000,
             "acv": {"kind": "lognormal", "mean": 8000, "cv": 0.5}, "touch_model": "tech",
             "mix": 0.6, "churn": {"alpha": 1.0, "beta": 6.0}},
            {"name": "mid", "acv_min": 20000, "acv_max": 100000,
             "acv": {"kind": "lognormal", "mean": 45000, "cv": 0.4}, "touch_model": "low",
             "mix": 0.3, "churn": {"annual_churn": 0.1}},
            {"name": "ent", "acv_min": 100000, "acv_max": None,
             "acv": {"kind": "lognormal", "mean": 200000, "cv": 0.4}, "touch_model": "high",
             "mix": 0.1, "churn": {"alpha": 1.0, "beta": 12.0}},
        ],
        "growth": {"initial_book": book},
        "pools": [
            {"name": "csm_mid", "role": "csm", "tiers": ["mid"], "annual_cost": 120000,
             "headcount": 4, "onboarding_slots": 0},
            {"name": "csm_ent", "role": "csm", "tiers": ["ent"], "annual_cost": 150000,
             "headcount": 2, "onboarding_slots": 0},
            {"name": "implementation", "role": "implementation", "annual_cost": 110000,
             "headcount": 3},
            {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
             "headcount": 2},
        ],
        "onboarding": {"abandonment": {"enabled": False}},
    }


def known_accounts(n: int, seed: int = 0) -> pd.DataFrame:
    """n accounts with every column: ACVs in each band, owners, statuses, dates."""
    rng = np.random.default_rng(seed)
    tier = rng.choice(["smb", "mid", "ent"], size=n, p=[0.5, 0.35, 0.15])
    low = {"smb": 1000, "mid": 20000, "ent": 100000}
    high = {"smb": 19999, "mid": 99999, "ent": 600000}
    acv = np.array([rng.integers(low[t], high[t]) for t in tier])
    start = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2555, n), unit="D")
    status = rng.choice(["active", "onboarding", "waiting"], size=n, p=[0.85, 0.07, 0.08])
    recent = status != "active"
    start = start.where(~recent, pd.Timestamp("2024-12-31")
                        - pd.to_timedelta(rng.integers(0, 60, n), unit="D"))
    owner = np.array([rng.choice(OWNERS[t]) if t in OWNERS and s == "active" else ""
                      for t, s in zip(tier, status, strict=True)], dtype=object)
    renewal = pd.Series([""] * n, dtype=object)
    explicit = rng.uniform(size=n) < 0.5
    dates = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    renewal[explicit] = dates[explicit].strftime("%Y-%m-%d")
    began = pd.Series([""] * n, dtype=object)
    onboarding = status == "onboarding"
    began[onboarding] = start[onboarding].strftime("%Y-%m-%d")
    return pd.DataFrame({
        "account_id": [f"A{index:05d}" for index in range(n)], "acv": acv,
        "start_date": start.strftime("%Y-%m-%d"), "renewal_date": renewal,
        "tier": np.where(rng.uniform(size=n) < 0.5, tier, ""), "owner": owner,
        "status": status, "complexity": rng.choice(["low", "medium", "high", ""], size=n),
        "onboarding_started": began,
    })


def write_book(folder: Path, accounts: pd.DataFrame, name: str = "accounts.csv") -> Path:
    """Write the accounts as a CSV (or parquet, by the name's suffix)."""
    path = folder / name
    if path.suffix == ".parquet":
        accounts.to_parquet(path, index=False)
    else:
        accounts.to_csv(path, index=False)
    return path
