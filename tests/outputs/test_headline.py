"""The KPI-only run (``sim.model.run_headline``) that sweeps, optimisation and sensitivity use
gives exactly the KPIs and per-period figures read from the full tables of the same run.

Real runs of shipped scenarios chosen to cover every path of the figures: derived leadership
rows (stage 4), regions, pods, a strategy change, a tech-touch book with triggers, a run with
an onboarding backlog over six weeks; two seeds each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, run
from sim.experiments.kpis import headline_frame, headline_values, kpi_values, period_frame
from sim.experiments.tasks import Batch, run_batch
from sim.model import run_headline

SCENARIOS = ("growth_100_to_500", "stage4_mature", "org_geographic", "org_pods",
             "triggers_tech_touch", "strategies/specialise_at_150")


@pytest.mark.parametrize("name", SCENARIOS)
def test_kpi_only_run_equals_the_figures_of_the_full_tables(name: str) -> None:
    """Every recorded KPI and every period figure, bit for bit (NaN where the tables have NaN)."""
    scenario = load_scenario(f"scenarios/{name}.yaml")
    for seed in (1, 2):
        full, lean = run(scenario, seed), run_headline(scenario, seed)
        expected, got = kpi_values(full), headline_values(lean)
        assert list(got) == list(expected)
        for kpi, value in expected.items():
            assert got[kpi] == value or (np.isnan(got[kpi]) and np.isnan(value)), kpi
        pd.testing.assert_frame_equal(headline_frame(lean, 3), period_frame(full, 3),
                                      check_exact=True)


def test_a_sweep_batch_stores_the_same_rows_with_and_without_tables() -> None:
    """The default (KPI-only) batch and one run through ``sim.run`` store identical rows."""
    scenario = load_scenario("scenarios/stage2_early_scale.yaml")
    lean = run_batch(Batch("p", scenario, (0, 1), base_seed=5))
    full = run_batch(Batch("p", scenario, (0, 1), base_seed=5, engine=run))
    pd.testing.assert_frame_equal(lean.replicates, full.replicates, check_exact=True)
    pd.testing.assert_frame_equal(lean.periods, full.periods, check_exact=True)
