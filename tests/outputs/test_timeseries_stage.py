"""The time series carries the company's §10.1 stage and breaking points every period."""

from __future__ import annotations

import numpy as np

from sim import load_scenario, run


def test_stage_follows_the_team_structure_bands() -> None:
    result = run(load_scenario("scenarios/growth_100_to_500.yaml"), seed=1)
    frame = result.timeseries
    total = frame[frame["tier"] == "all"]
    # §10.1: 0-50 startup, 50-200 early scale, 200-500 scaled, 500+ mature
    expected = 1 + np.searchsorted([50, 200, 500], total["customers_total"].to_numpy(),
                                   side="right")
    assert (total["stage"].to_numpy() == expected).all()
    assert set(total["stage"]) >= {2, 3}
    for _period, group in frame.groupby("period"):
        assert group["stage"].nunique() == 1 and group["breaking_points"].nunique() == 1


def test_breaking_points_name_what_fired() -> None:
    result = run(load_scenario("scenarios/growth_100_to_500.yaml"), seed=1)
    total = result.timeseries[result.timeseries["tier"] == "all"]
    stage2 = total[total["stage"] == 2]
    fired_150 = stage2["breaking_points"].str.contains("customers_150")
    assert (fired_150 == (stage2["customers_total"] >= 150)).all()
    stage3 = total[total["stage"] == 3]
    fired_400 = stage3["breaking_points"].str.contains("customers_400")
    assert (fired_400 == (stage3["customers_total"] >= 400)).all()
