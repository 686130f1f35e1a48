"""The registry of roles: one row per role, complete, and every role's pool at work.

A role added to the vocabulary without its rows must stop the program at import with one line
naming it; a pool of any role that has work must do hours of it (a role whose week of work is
missing would be costed but idle).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.model import run
from sim.scenario.roles import ROLE_FACTS, TRIGGER_FIELDS, MissingRoleError, check_complete
from sim.scenario.schema import load_scenario, parse_scenario
from sim.scenario.vocabulary import ROLES
from sim.work.roles import ROLE_ROWS

ROOT = Path(__file__).resolve().parents[2]


def test_every_role_has_one_row_in_each_table() -> None:
    assert set(ROLE_FACTS) == set(ROLES)
    assert set(ROLE_ROWS) == set(ROLES)
    for role in ROLES:
        assert ROLE_ROWS[role].facts is ROLE_FACTS[role]


def test_a_role_without_a_row_is_named_in_one_line() -> None:
    with pytest.raises(MissingRoleError) as error:
        check_complete(ROLE_FACTS, "the facts", (*ROLES, "sales_engineer"))
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("role 'sales_engineer' has no row in the facts")


def _import_with_new_role(patch: str) -> subprocess.CompletedProcess[str]:
    """Import the registries again after adding a role to the vocabulary (and ``patch``)."""
    code = ("import importlib, sim.scenario.vocabulary as v, sim.scenario.roles as r\n"
            "v.ROLES = (*v.ROLES, 'sales_engineer')\n" + patch)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def test_a_role_without_its_schema_row_fails_at_import() -> None:
    done = _import_with_new_role("importlib.reload(r)\n")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "sim.scenario.roles.MissingRoleError: role 'sales_engineer' has no row in "
        "sim.scenario.roles.ROLE_FACTS: add one (docs/development.md, adding a role)")


def test_a_role_without_its_engine_row_fails_at_import() -> None:
    done = _import_with_new_role(
        "r.ROLE_FACTS['sales_engineer'] = r.RoleFacts('sales engineer')\n"
        "import sim.work.roles as o\nimportlib.reload(o)\n")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].endswith(
        "role 'sales_engineer' has no row in sim.work.roles.ROLE_ROWS: add one "
        "(docs/development.md, adding a role)")


def test_trigger_fields_are_those_of_the_trigger_model() -> None:
    from sim.scenario.hiring import HiringTrigger

    assert set(TRIGGER_FIELDS) == set(HiringTrigger.model_fields) - {"enabled", "max_headcount"}


def test_every_pool_with_work_does_hours() -> None:
    """stage3 has a pool of every role; each works hours in its first quarter."""
    scenario = load_scenario(ROOT / "scenarios" / "stage3_scaled_ops.yaml")
    scenario = scenario.model_copy(update={"horizon_months": 3})
    assert {pool.role for pool in scenario.pools} == set(ROLES)
    workforce = run(scenario, seed=1).workforce
    worked = workforce.groupby("pool")["hours_worked"].sum()
    for pool in scenario.pools:
        assert worked[pool.name] > 0, f"{pool.name} ({pool.role}) did no work"


def test_support_work_is_counted_in_the_week_it_is_done(base_scenario: dict) -> None:
    """Support answers tickets day by day; the week's hours are tallied at its end, not later."""
    base_scenario.update(horizon_months=1, output_period="weekly")
    base_scenario["tiers"][1]["tickets_per_month"] = 8.0
    workforce = run(parse_scenario(base_scenario), seed=2).workforce
    support = workforce[(workforce["pool"] == "support") & (workforce["day"] <= 28)]
    assert len(support) == 4  # the four whole weeks of the month
    assert (support["hours_worked"] > 0).all()


def test_slot_defaults_are_the_documented_ones() -> None:
    """The reference documents the onboarding slot defaults; a pool without slots takes them."""
    from sim.scenario.staff import StaffPool

    documented = StaffPool.model_fields["onboarding_slots"].description or ""
    for role in ROLES:
        pool = StaffPool(name="p", role=role, annual_cost=1.0, headcount=0,
                         tiers=("t",) if ROLE_FACTS[role].needs_tiers else (),
                         skill="T1" if ROLE_FACTS[role].skilled else None)
        assert pool.slots_per_person == ROLE_FACTS[role].onboarding_slots
        if pool.slots_per_person:
            assert f"default {pool.slots_per_person}" in documented, role
