"""Bad scenario input: one clear line naming the file, the field path and the bad value."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.cli import main
from sim.core.errors import ScenarioError
from sim.scenario.schema import load_scenario, parse_scenario
from sim.scenario.tiers import ComplexityMix

DELETE = object()

# (id, location in the base scenario, new value, fragments the error line must contain)
FIELD_CASES = [
    ("unknown-top-level-key", "colour", "red", ["colour = 'red'", "Extra inputs"]),
    ("unknown-tier-key", "tiers.0.colour", "red", ["tiers[0].colour = 'red'"]),
    ("unknown-nested-key", "tiers.1.churn.gamma", 2, ["tiers[1].churn.gamma = 2"]),
    ("unknown-pool-key", "pools.2.skills", "T3", ["pools[2].skills = 'T3'"]),
    ("string-for-int", "horizon_months", "six", ["horizon_months = 'six'", "integer"]),
    ("string-for-headcount", "pools.0.headcount", "two", ["pools[0].headcount = 'two'"]),
    ("string-for-number", "tiers.0.acv_max", "lots", ["tiers[0].acv_max = 'lots'"]),
    ("mapping-for-list", "tiers", {"smb": 1}, ["tiers = {'smb': 1}"]),
    ("bad-literal", "tiers.0.touch_model", "ultra", ["tiers[0].touch_model = 'ultra'"]),
    ("bad-distribution-kind", "tiers.0.acv.kind", "weird", ["tiers[0].acv", "'weird'"]),
    ("missing-field", "growth", DELETE, ["growth: Field required"]),
    ("weekly-hours-zero", "pools.0.weekly_hours", 0, ["pools[0].weekly_hours = 0"]),
    ("onboarding-slots-zero", "pools.1.onboarding_slots", 0, ["pools[1].onboarding_slots = 0"]),
    ("accounts-per-csm-zero", "tiers.1.accounts_per_csm", 0, ["tiers[1].accounts_per_csm = 0"]),
    ("annual-cost-negative", "pools.2.annual_cost", -1, ["pools[2].annual_cost = -1"]),
    ("headcount-negative", "pools.0.headcount", -1, ["pools[0].headcount = -1"]),
    ("second-implementation-pool", "pools.3",
     {"name": "onboarding_team", "role": "implementation", "annual_cost": 100000,
      "headcount": 1},
     ["pools[3].role = 'implementation'", "one implementation pool"]),
    ("distribution-parameter", "tiers.0.acv.cv", -0.5, ["tiers[0].acv.cv = -0.5"]),
    ("band-overlap", "tiers.1.acv_min", 15000, ["tiers[1].acv_min = 15000", "overlaps"]),
    ("band-gap", "tiers.1.acv_min", 25000, ["tiers[1].acv_min = 25000", "gap"]),
    ("band-inverted", "tiers.0.acv_min", 30000, ["tiers[0].acv_max = 20000", "30000"]),
    ("top-band-closed", "tiers.1.acv_max", 500000, ["tiers[1].acv_max = 500000", "open-ended"]),
    ("tier-mix-sum", "tiers.1.mix", 0.5, ["tiers[*].mix = ", "'mid': 0.5", "sum to 1.2"]),
    ("complexity-mix-sum", "tiers.0.complexity_mix", {"low": 0.5, "medium": 0.5, "high": 0.2},
     ["tiers[0].complexity_mix = ", "'high': 0.2", "sum to 1.2"]),
    ("ticket-mix-sum", "tiers.1.ticket_mix", {"T1": 0.5, "T2": 0.2, "T3": 0.1},
     ["tiers[1].ticket_mix = ", "'T1': 0.5", "sum to 0.8"]),
    ("share-above-one", "tiers.0.complexity_mix", {"low": 0, "medium": 0, "high": 1.5},
     ["tiers[0].complexity_mix.high = 1.5"]),
    ("distribution-rule", "tiers.0.acv", {"kind": "uniform", "low": 10, "high": 5},
     ["tiers[0].acv.high = 5", "greater than low"]),
    ("key-named-like-a-tag", "growth.initial_customers.gamma", "x",
     ["growth.initial_customers.gamma = 'x'"]),
    ("unknown-tier-in-pool", "pools.0.tiers", ["large"], ["pools[0].tiers = ['large']"]),
    ("unknown-tier-initial", "growth.initial_customers.large", 3,
     ["growth.initial_customers.large", "'large'"]),
    ("unknown-tier-backlog", "growth.initial_backlog", {"big": 2},
     ["growth.initial_backlog.big", "'big'"]),
    ("unknown-tier-arrival-mix", "growth.arrivals.0.mix", {"smb": 0.5, "large": 0.5},
     ["growth.arrivals[0].mix.large", "'large'"]),
    ("negative-initial", "growth.initial_customers.smb", -1,
     ["growth.initial_customers.smb = -1"]),
    ("skill-on-csm-pool", "pools.0.skill", "T1", ["pools[0].skill = T1"]),
    ("csm-pool-without-tiers", "pools.0.tiers", [], ["pools[0].tiers = []"]),
    ("specialist-without-renewals", "org_model", "specialist",
     ["org_model = 'specialist'", "renewals"]),
    ("new-hire-share-above-one", "renewals", {"new_hire_share": 1.5},
     ["renewals.new_hire_share = 1.5"]),
    ("new-hire-share-nan", "renewals", {"new_hire_share": math.nan},
     ["renewals.new_hire_share = nan"]),
    ("rebalance-threshold-zero", "renewals", {"rebalance_threshold": 0},
     ["renewals.rebalance_threshold = 0"]),
    ("rebalance-threshold-infinite", "renewals", {"rebalance_threshold": math.inf},
     ["renewals.rebalance_threshold = inf"]),
    ("csm-book-share-negative", "hiring", {"csm_book_share": -0.1},
     ["hiring.csm_book_share = -0.1"]),
    ("share-overflow-tasks-not-bool", "triggers", {"share_overflow_tasks": "often"},
     ["triggers.share_overflow_tasks = 'often'"]),
]

# (id, file content or None for a missing file, fragments the error line must contain)
FILE_CASES = [
    ("unclosed-yaml", "tiers: [unclosed\n", ["unreadable YAML", "line 2"]),
    ("bad-indentation", "name: base\n  horizon_months: 6\n", ["unreadable YAML", "line 2"]),
    ("list-not-mapping", "- name: base\n- horizon_months: 6\n", ["must hold a mapping"]),
    ("scalar-not-mapping", "just text\n", ["must hold a mapping"]),
    ("empty-file", "", ["must hold a mapping"]),
    ("binary-file", b"\xff\xfe\x00name", ["not a UTF-8 text file"]),
    ("missing-file", None, ["cannot read file", "No such file"]),
]


def set_at(data: dict, location: str, value: object) -> dict:
    """Set (or delete, with ``DELETE``) the value at a dotted location like ``tiers.0.mix``; an
    index one past the end of a list appends."""
    *parents, last = [int(part) if part.isdigit() else part for part in location.split(".")]
    target = data
    for part in parents:
        target = target[part]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list) and last == len(target):
        target.append(value)  # one past the end: a new item
    else:
        target[last] = value
    return data


@pytest.fixture
def bad_file(request: pytest.FixtureRequest, base_scenario: dict, write_yaml: Callable,
             tmp_path: Path) -> tuple[Path, list[str]]:
    """The scenario file of a FIELD_CASES or FILE_CASES entry and its expected fragments."""
    kind, case = request.param
    if kind == "field":
        _, location, value, fragments = case
        return write_yaml(set_at(base_scenario, location, value), "bad.yaml"), fragments
    _, content, fragments = case
    path = tmp_path / "bad.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    return path, fragments


ALL_CASES = [pytest.param(("field", case), id=case[0]) for case in FIELD_CASES] + [
    pytest.param(("file", case), id=case[0]) for case in FILE_CASES]


def assert_one_clear_line(result: Result, path: Path, fragments: list[str]) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"error: {path}: ")
    for fragment in fragments:
        assert fragment in line
    assert "Traceback" not in line
    return line


def test_base_scenario_is_valid(base_scenario: dict, write_yaml: Callable) -> None:
    scenario = load_scenario(write_yaml(base_scenario))
    assert [tier.name for tier in scenario.tiers] == ["smb", "mid"]


@pytest.mark.parametrize(("case_id", "location", "value", "fragments"), FIELD_CASES,
                         ids=[case[0] for case in FIELD_CASES])
def test_parse_scenario_rejects(base_scenario: dict, case_id: str, location: str,
                                value: object, fragments: list[str]) -> None:
    pattern = "^scenario.yaml: .*" + ".*".join(re.escape(fragment) for fragment in fragments)
    with pytest.raises(ScenarioError, match=pattern) as caught:
        parse_scenario(set_at(base_scenario, location, value), source="scenario.yaml")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("bad_file", [case for case in ALL_CASES if case.id != "binary-file"],
                         indirect=True)
def test_load_scenario_rejects(bad_file: tuple[Path, list[str]]) -> None:
    path, fragments = bad_file
    with pytest.raises(ScenarioError, match=f"^{re.escape(str(path))}: ") as caught:
        load_scenario(path)
    assert all(fragment in str(caught.value) for fragment in fragments)


def test_load_scenario_rejects_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(ScenarioError, match=f"^{re.escape(str(path))}: not a UTF-8 text file"):
        load_scenario(path)


@pytest.mark.parametrize("bad_file", ALL_CASES, indirect=True)
def test_validate_prints_one_line(bad_file: tuple[Path, list[str]]) -> None:
    path, fragments = bad_file
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert_one_clear_line(result, path, fragments)


@pytest.mark.parametrize("bad_file", ALL_CASES, indirect=True)
def test_run_prints_one_line_and_writes_nothing(bad_file: tuple[Path, list[str]],
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path, fragments = bad_file
    out_dir = tmp_path / "out" / "seed-0"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out_dir)])
    assert_one_clear_line(result, path, fragments)
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("command", ["validate", "run"])
def test_debug_shows_the_traceback(base_scenario: dict, write_yaml: Callable, tmp_path: Path,
                                   command: str) -> None:
    path = write_yaml(set_at(base_scenario, "pools.0.weekly_hours", 0), "bad.yaml")
    extra = ["--out", str(tmp_path / "out")] if command == "run" else []
    result = CliRunner().invoke(main, ["--debug", command, str(path), *extra])
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "ScenarioError" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"error: {path}: pools[0].weekly_hours = 0")
    assert not (tmp_path / "out").exists()


def test_validate_ok(base_scenario: dict, write_yaml: Callable) -> None:
    path = write_yaml(base_scenario)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: ok (base, 2 tiers, 3 pools, 6 months)\n"


shares = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(st.tuples(shares, shares, shares).filter(lambda weights: sum(weights) > 1e-3))
def test_normalised_complexity_mix_validates(scenario_factory: Callable[[], dict],
                                             weights: tuple[float, float, float]) -> None:
    total = sum(weights)
    mix = dict(zip(("low", "medium", "high"), (weight / total for weight in weights), strict=True))
    assert ComplexityMix(**mix).model_dump() == pytest.approx(mix)
    parse_scenario(set_at(scenario_factory(), "tiers.0.complexity_mix", mix))


unit = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(st.tuples(unit, unit, unit).filter(lambda values: not math.isclose(sum(values), 1,
                                                                           abs_tol=1e-5)))
def test_complexity_mix_not_summing_to_one_fails(scenario_factory: Callable[[], dict],
                                                 values: tuple[float, float, float]) -> None:
    mix = dict(zip(("low", "medium", "high"), values, strict=True))
    with pytest.raises(ValidationError, match="shares must sum to 1"):
        ComplexityMix(**mix)
    with pytest.raises(ScenarioError, match=r"tiers\[1\]\.complexity_mix = .*sum to 1"):
        parse_scenario(set_at(scenario_factory(), "tiers.1.complexity_mix", mix))
