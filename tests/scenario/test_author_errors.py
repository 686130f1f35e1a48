"""Errors and warnings that help a first-time author: every problem at once, with its line,
close matches for unknown keys, required-in-practice fields in the reference, and a warning
when the generalist model leaves an implementation pool idle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim import parse_scenario
from sim.cli import main
from sim.core.errors import ScenarioError
from sim.scenario import schema
from sim.scenario.reference import scenario_reference

BAD = """\
name: first_try
horizon_months: 12
tiers:
  - name: smb
    acv_min: 0
    acv: {kind: fixed, value: 5000}
    touch_model: tech
    mix: 1.0
    churn: {annual_churn: 1.2}
growth:
  initial_customers: {smb: 100}
pools:
  - name: support
    role: support
    skill: T3
    annual_cost: 90000
    head_count: 2
"""


def _lines(tmp_path: Path, text: str, command: str = "validate") -> tuple[int, list[str], Path]:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command == "run" else []
    result = CliRunner().invoke(main, [command, str(path), *extra])
    assert not out.exists()
    return result.exit_code, result.stderr.splitlines(), path


@pytest.mark.parametrize("command", ["validate", "run"])
def test_every_error_at_once_with_its_line_and_a_suggestion(tmp_path: Path, command: str) -> None:
    code, lines, path = _lines(tmp_path, BAD, command)
    assert code == 2
    assert lines == [
        f"error: {path}: tiers[0].churn.annual_churn = 1.2: Input should be less than 1 "
        "(line 9)",
        f"error: {path}: pools[0].headcount: Field required (line 13)",
        f"error: {path}: pools[0].head_count = 2: Extra inputs are not permitted (did you mean "
        "'headcount'?) (line 17)",
    ]


def test_a_suggestion_looks_in_the_right_model(tmp_path: Path) -> None:
    text = BAD.replace("head_count: 2", "headcount: 2").replace("    mix: 1.0",
                                                                "    mix: 1.0\n    touch_hour: 1")
    code, lines, path = _lines(tmp_path, text)
    assert code == 2
    assert f"error: {path}: tiers[0].touch_hour = 1: Extra inputs are not permitted (did you " \
        "mean 'touch_hours'?) (line 9)" in lines


def _generalist(slots: str = "", model: str = "generalist") -> str:
    return f"""\
name: two_pools
horizon_months: 3
org_model: {model}
tiers:
  - name: mid
    acv_min: 0
    acv: {{kind: fixed, value: 40000}}
    touch_model: low
    mix: 1.0
    churn: {{annual_churn: 0.1}}
    tickets_per_month: 0
growth:
  initial_customers: {{mid: 20}}
pools:
  - name: csm
    role: csm
    tiers: [mid]
    annual_cost: 120000
    headcount: 1{slots}
  - name: implementation
    role: implementation
    annual_cost: 110000
    headcount: 1
  - name: renewals
    role: renewals
    annual_cost: 110000
    headcount: 1
"""


def test_csms_onboarding_beside_an_implementation_pool_is_a_warning(tmp_path: Path) -> None:
    code, lines, path = _lines(tmp_path, _generalist())
    assert code == 0
    assert lines == [
        f"warning: {path}: pools[0].onboarding_slots = null (default 3): in the generalist "
        "model the CSMs of 'csm' onboard tier(s) mid, and the implementation pool "
        "'implementation' onboards none of them; set onboarding_slots: 0 to leave onboarding "
        "to it, or org_model: specialist"]
    for fixed in (_generalist("\n    onboarding_slots: 0"),
                  _generalist("\n    onboarding_slots: 2"), _generalist(model="specialist")):
        code, lines, _ = _lines(tmp_path, fixed)
        assert code == 0 and lines == []


def test_the_reference_marks_fields_required_in_practice() -> None:
    reference = scenario_reference()
    assert "| `tiers` | list of string | **required** for csm pools (else `[]`) |" in reference
    assert "| `skill` | \"T1\" / \"T2\" / \"T3\" or null | **required** for support pools" \
        in reference
    assert "**required** unless `annual_churn` is given" in reference


BROKEN_RULES = """\
name: two_rules
horizon_months: 6
leadership: {derive: true}
tiers:
  - name: smb
    acv_min: 0
    acv: {kind: fixed, value: 5000}
    touch_model: tech
    mix: 1.0
    churn: {alpha: 1.0, beta: 6.0}
growth:
  initial_customers: {smb: 10}
  arrivals:
    - {from_month: 0, customers_per_month: 2}
    - {from_month: 9, customers_per_month: 1}
pools:
  - {name: support, role: support, skill: T3, annual_cost: 90000, headcount: 1}
  - {name: boss, role: leader, annual_cost: 200000, headcount: 1}
"""


@pytest.mark.parametrize("command", ["validate", "run"])
def test_every_broken_cross_field_rule_at_once(tmp_path: Path, command: str) -> None:
    """Two independent rules broken (an arrival step after the horizon; a leader pool beside
    derived leadership): one line each, nothing written."""
    code, lines, path = _lines(tmp_path, BROKEN_RULES, command)
    assert code == 2
    assert lines == [
        f"error: {path}: growth.arrivals[1].from_month = 9: at or after the end of the run "
        "(horizon_months = 6)",
        f"error: {path}: pools[1].role = 'leader': with leadership.derive the leadership layers "
        "are derived; a leader pool would count them twice (remove it or set "
        "leadership.derive: false)",
    ]


def _groups(*outcomes: Exception | None) -> Callable[[object], tuple[Callable[[], None], ...]]:
    """Rule groups that raise the given errors in order (None: the group passes)."""
    def group(outcome: Exception | None) -> Callable[[], None]:
        def check() -> None:
            if outcome is not None:
                raise outcome
        return check
    return lambda scenario: tuple(group(outcome) for outcome in outcomes)


def test_a_crashing_rule_group_is_not_taken_for_a_valid_scenario(
        monkeypatch: pytest.MonkeyPatch, base_scenario: dict) -> None:
    """A group failing with anything but a broken rule, before any rule broke, surfaces; after
    one broke, it ends the check (it read what the broken rule refused)."""
    monkeypatch.setattr(schema, "rule_groups", _groups(None, KeyError("pool"), None))
    with pytest.raises(KeyError, match="pool"):
        parse_scenario(base_scenario)
    monkeypatch.setattr(schema, "rule_groups", _groups(ValueError("a = 1: first"),
                                                       KeyError("pool"), ValueError("b = 2: x")))
    with pytest.raises(ScenarioError) as error:
        parse_scenario(base_scenario)
    assert "a = 1: first" in str(error.value) and "b = 2" not in str(error.value)
