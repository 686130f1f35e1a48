"""The shipped strategy scenarios: one common growth path, and the trade-offs the sources name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim import load_scenario, parse_scenario, run
from sim.scenario.schema import Scenario

FOLDER = Path(__file__).resolve().parents[2] / "scenarios" / "strategies"
FILES = sorted(FOLDER.glob("*.yaml"))
COMMON = ("horizon_months", "output_period", "tiers", "growth")


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_strategy_scenario_shares_one_growth_path() -> None:
    assert len(FILES) >= 3
    first = _raw(FILES[0])
    for path in FILES[1:]:
        data = _raw(path)
        for key in COMMON:
            assert data[key] == first[key], f"{path.name}: {key} differs from {FILES[0].name}"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_strategy_scenarios_validate(path: Path) -> None:
    assert load_scenario(path).name == path.stem


def _summary(name: str, seed: int) -> dict:
    return run(load_scenario(FOLDER / f"{name}.yaml"), seed).summary.iloc[0].to_dict()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_specialising_shortens_the_backlog_that_generalists_build(seed: int) -> None:
    """§9.2/§10.1: generalists past 50-100 accounts build an onboarding backlog and miss
    renewals; an onboarding and a renewals team relieve both (same customers, CRN).

    The backlog is compared by its sustained measures (mean wait, weeks over 6), not by its
    peak: one implementation specialist leaving can spike the peak of either run.
    """
    generalist = _summary("stay_generalist", seed)
    specialist = _summary("specialise_at_150", seed)
    assert specialist["onboarding_wait_days_mean"] < generalist["onboarding_wait_days_mean"]
    assert specialist["weeks_backlog_over_6"] < generalist["weeks_backlog_over_6"]
    assert specialist["missed_renewals"] <= generalist["missed_renewals"]
    assert specialist["total_cs_cost"] > generalist["total_cs_cost"]


@pytest.mark.parametrize("seed", [1, 2])
def test_tiering_the_tail_relieves_the_csms(seed: int) -> None:
    """§10.2 stage 3: moving the long tail to tech-touch frees CSM hours (fewer misses)."""
    generalist = _summary("stay_generalist", seed)
    hybrid = _summary("hybrid_tiers_at_200", seed)
    assert hybrid["touches_missed_share"] < generalist["touches_missed_share"]


@pytest.mark.parametrize("seed", [1, 2])
def test_reactive_hiring_lets_the_ticket_backlog_build(seed: int) -> None:
    """§8: hiring only after the pain shows up as SLA breaches and lower retention."""
    proactive = _summary("proactive_hiring", seed)
    reactive = _summary("reactive_hiring", seed)
    assert reactive["sla_breach_share"] > proactive["sla_breach_share"]
    assert reactive["hires"] < proactive["hires"]


def _without_pods() -> Scenario:
    """pods_at_400 with its pods rule, pods and pod pools taken out: it stays specialist."""
    data = _raw(FOLDER / "pods_at_400.yaml")
    data["strategies"]["rules"] = data["strategies"]["rules"][:1]
    data["org"] = {}
    data["pools"] = [pool for pool in data["pools"] if not pool["name"].startswith("impl_")]
    return parse_scenario(data)


@pytest.mark.parametrize("seed", [1, 2])
def test_pods_duplicate_implementation_staff(seed: int) -> None:
    """§9.2 pods con: each pod needs its own capacity, so forming pods costs more than staying
    specialist with one shared onboarding team (same customers, CRN)."""
    pods = _summary("pods_at_400", seed)
    specialist = run(_without_pods(), seed).summary.iloc[0].to_dict()
    assert pods["total_cs_cost"] > specialist["total_cs_cost"]
    assert pods["hires"] > specialist["hires"]
