"""Hostile input ends in one line naming the file and field, exit code 2, nothing written.

One test per class of input that used to pass validation and then hang, blow up memory, fail
late or be silently changed: alias bombs, devices and FIFOs, huge files, duplicate keys, deep
nesting, NaN and infinity, booleans and nulls taken for numbers, steps after the horizon,
out-of-range seeds and overrides, long names, bad plan ids, too many plans, work over a
ceiling, and output folders that are not cssim's.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from sweep_support import fast

from sim.cli import main
from sim.core.errors import ScenarioError, short_repr
from sim.scenario.schema import load_scenario, parse_scenario
from sim.scenario.work_estimate import CEILINGS, check_work
from sim.scenario.yaml_input import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

BOMB = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{chr(98 + level)}: &{chr(98 + level)} [" + ",".join([f"*{chr(97 + level)}"] * 9)
                  + "]\n" for level in range(8)))


def _cli(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments))


def _refused(result: Result, *fragments: str) -> None:
    """Exit 2, one line on stderr holding every fragment, nothing on stdout."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def scenario_file(base_scenario: dict, tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(fast(base_scenario), sort_keys=False))
    return path


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    with pytest.raises(ScenarioError, match=f"more than {MAX_NODES:,} values once aliases"):
        load_scenario(path)  # refused from the node graph, before any value is built


def test_an_alias_bomb_in_a_plans_file_is_refused(scenario_file: Path, tmp_path: Path) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text(BOMB + "p1: {hiring.lead_time_days: 30}\n")
    _refused(_cli("sweep", str(scenario_file), "--plans", str(plans), "--out",
                  str(tmp_path / "out")), "plans.yaml", "aliases")
    assert not (tmp_path / "out").exists()


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("name: &x [1, *x]\n")
    with pytest.raises(ScenarioError, match="refers to a value that contains it"):
        load_scenario(path)


@pytest.mark.parametrize(("special", "kind"), [("/dev/zero", "character device"),
                                               ("/dev/urandom", "character device"),
                                               ("fifo", "FIFO"), ("folder", "directory")])
def test_only_regular_files_are_read(tmp_path: Path, special: str, kind: str) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif special == "folder":
        path = tmp_path
    _refused(_cli("validate", str(path)), str(path), kind, "not a regular file")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * MAX_FILE_BYTES + "\nname: x\n")
    _refused(_cli("validate", str(path)), "huge.yaml", f"{MAX_FILE_BYTES:,} bytes")


def test_a_duplicate_key_is_refused_naming_both_lines(scenario_file: Path) -> None:
    text = scenario_file.read_text()
    scenario_file.write_text(text + "horizon_months: 2\n")
    first = 1 + text.splitlines().index("horizon_months: 3")
    last = len(text.splitlines()) + 1
    _refused(_cli("validate", str(scenario_file)), "duplicate key 'horizon_months'",
             f"first at line {first}, again at line {last}")


def test_a_duplicate_plan_id_is_refused(scenario_file: Path, tmp_path: Path) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text("lean: {pools.csm_mid.headcount: 1}\nlean: {pools.csm_mid.headcount: 2}\n")
    _refused(_cli("sweep", str(scenario_file), "--plans", str(plans)),
             "duplicate key 'lean' (first at line 1, again at line 2)")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 1000 + "]" * 1000 + "\n")
    _refused(_cli("validate", str(path)), "deep.yaml", f"nested more than {MAX_DEPTH} levels")


def _error(data: dict) -> str:
    with pytest.raises(ScenarioError) as error:
        parse_scenario(data, source="s.yaml")
    return str(error.value)


def _set(data: dict, path: str, value: object) -> dict:
    data = copy.deepcopy(data)
    keys = [int(key) if key.isdigit() else key for key in path.split(".")]
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[keys[-1]] = value
    return data


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize("path", ["pools.0.annual_cost", "tiers.0.acv.mean",
                                  "support.hours_per_ticket.T1", "hiring.lead_time_days",
                                  "growth.arrivals.0.customers_per_month",
                                  "strategies.review_days"])
def test_nan_and_infinity_are_refused(base_scenario: dict, path: str, value: float) -> None:
    message = _error(_set(base_scenario, path, value))
    assert message.startswith("s.yaml: ") and path.split(".")[-1] in message


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_nan_strategy_threshold_is_refused(value: float) -> None:
    """It used to disable its rule silently (no comparison with NaN is ever true)."""
    shipped = Path(__file__).resolve().parents[2] / "scenarios/strategies/specialise_at_150.yaml"
    data = yaml.safe_load(shipped.read_text())
    data["strategies"]["rules"][0]["when"]["at_least"] = value
    assert "strategies.rules[0].when.at_least" in _error(data)


@pytest.mark.parametrize("path", ["horizon_months", "pools.0.annual_cost", "pools.0.headcount",
                                  "tiers.0.acv.mean", "growth.initial_customers.smb",
                                  "support.hours_per_ticket.T2"])
def test_booleans_are_not_numbers(base_scenario: dict, path: str) -> None:
    message = _error(_set(base_scenario, path, True))
    assert "a boolean where a number is expected" in message
    assert path.split(".")[-1] in message or path.split(".")[-2] in message


def test_null_in_a_numeric_field_is_refused_unless_it_means_the_default(
        base_scenario: dict) -> None:
    message = _error(_set(base_scenario, "tiers.0.tickets_per_month", None))
    assert "tiers[0].tickets_per_month = None" in message
    touch_default = parse_scenario(_set(base_scenario, "tiers.1.touch_hours", None))
    assert touch_default.tiers[1].touch_hours == 2.0  # null = the touch model's default


@pytest.mark.parametrize(("path", "value", "fragment"), [
    ("growth.arrivals", [{"from_month": 0, "customers_per_month": 5},
                         {"from_month": 6, "customers_per_month": 9}],
     "growth.arrivals[1].from_month = 6: at or after the end of the run"),
    ("pools.0.staffing_plan", [{"month": 7, "headcount": 2}],
     "pools[0].staffing_plan[0].month = 7: at or after the end of the run"),
])
def test_steps_after_the_horizon_are_refused(base_scenario: dict, path: str, value: object,
                                             fragment: str) -> None:
    assert fragment in _error(_set(base_scenario, path, value))


@pytest.mark.parametrize(("path", "value", "fragment"), [
    ("growth.arrivals.0.customers_per_month", 1e7, "less than or equal to 100000"),
    ("pools.0.headcount", 10**5, "less than or equal to 10000"),
    ("pools.0.headcount", 10**30, "beyond ±1e+12"),
    ("pools.0.annual_cost", 1e308, "beyond ±1e+12"),
    ("tiers.0.acv.mean", 1e300, "beyond ±1e+12"),
    ("triggers.usage.drift", -1e300, "beyond ±1e+12"),
    ("support.complexity_multiplier.high", 1e5, "less than or equal to 10"),
    ("tiers.0.tickets_per_month", 1e6, "less than or equal to 100"),
    ("hiring.review_days", 1e-9, "greater than or equal to 1"),
    ("tiers.1.touch_interval_days", 1e-9, "greater than or equal to 1"),
    ("growth.initial_customers.smb", 10**7, "less than or equal to 1000000"),
    ("triggers.risk_delay_per_day", 1.5, "less than or equal to 1.1"),
    ("name", "a" * 300, "at most 64 characters"),
])
def test_counts_and_rates_that_drive_work_are_bounded(base_scenario: dict, path: str,
                                                      value: object, fragment: str) -> None:
    assert fragment in _error(_set(base_scenario, path, value))


def test_ten_thousand_tiers_are_refused(base_scenario: dict) -> None:
    tiers = [{**base_scenario["tiers"][1], "name": f"t{index}"} for index in range(10_000)]
    assert "at most 50 items" in _error(_set(base_scenario, "tiers", tiers))


def test_a_huge_bad_value_is_reported_in_a_short_line_at_once(base_scenario: dict) -> None:
    value: object = ["lol"] * 9
    for _ in range(8):  # 9**9 leaves, shared: cheap to build, ruinous to render whole
        value = [value] * 9
    message = _error(_set(base_scenario, "unknown_field", value))
    assert len(message) < 300 and "unknown_field" in message
    assert len(short_repr("x" * 10**7)) <= 60 and "digits" in short_repr(10**5000)


@pytest.mark.parametrize("command", ["run", "sweep"])
@pytest.mark.parametrize("seed", [str(2**63), str(2**64), "-1"])
def test_seeds_outside_the_signed_64_bit_range_are_refused(scenario_file: Path, tmp_path: Path,
                                                           command: str, seed: str) -> None:
    out = tmp_path / "out"
    _refused(_cli(command, str(scenario_file), "--seed", seed, "--out", str(out)), "--seed")
    assert not out.exists()


def test_an_override_out_of_bounds_is_refused_before_writing(scenario_file: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    _refused(_cli("sweep", str(scenario_file), "--vary", f"pools.0.headcount={10**29}",
                  "--out", str(out)), "pools[0].headcount")
    assert not out.exists()


@pytest.mark.parametrize("plan_id", ["abc\n", "a" * 65, "9lives", "a/b"])
def test_plan_ids_are_checked_whole(scenario_file: Path, tmp_path: Path, plan_id: str) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text(yaml.safe_dump({plan_id: {"hiring.lead_time_days": 30}}))
    _refused(_cli("sweep", str(scenario_file), "--plans", str(plans), "--out",
                  str(tmp_path / "out")), "plan id")
    assert not (tmp_path / "out").exists()


def test_more_named_plans_than_the_cap_are_refused(scenario_file: Path, tmp_path: Path) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text("".join(f"p{index}: {{}}\n" for index in range(10_001)))
    _refused(_cli("sweep", str(scenario_file), "--plans", str(plans)), "10001 plans",
             "at most 10000")


def test_a_run_over_a_work_ceiling_is_refused_unless_allowed(base_scenario: dict,
                                                             tmp_path: Path) -> None:
    data = _set(fast(base_scenario), "growth.arrivals.0.customers_per_month", 100_000)
    data = _set(data, "horizon_months", 240)
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    ceiling = f"{CEILINGS['customer_months']:,.0f}"
    _refused(_cli("run", str(path), "--out", str(out)), "big.yaml", "customer-months",
             f"ceiling {ceiling}", "--allow-large")
    _refused(_cli("sweep", str(path), "--out", str(out)), "plan base", "--allow-large")
    assert not out.exists()
    work = check_work(parse_scenario(data), "big.yaml", allow_large=True)
    assert work.customer_months == pytest.approx(100_000 * 240**2 / 2 + 50 * 240)


def test_the_shipped_scenarios_are_within_the_ceilings() -> None:
    for path in sorted(Path(__file__).resolve().parents[2].glob("scenarios/**/*.yaml")):
        check_work(load_scenario(path), str(path))


def test_out_dot_is_refused(scenario_file: Path, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.txt").write_text("keep")
    _refused(_cli("run", str(scenario_file), "--out", "."), "working directory")
    _refused(_cli("run", str(scenario_file), "--out", ".."), "working directory")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.txt", "scenario.yaml"]


def test_a_folder_with_the_users_own_manifest_is_not_replaced(scenario_file: Path,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"my": "own"}')
    (folder / "summary.parquet").write_text("not a table")
    _refused(_cli("run", str(scenario_file), "--out", str(folder)), "not outputs of a cssim run")
    assert (folder / "manifest.json").read_text() == '{"my": "own"}'


def test_overwrite_never_deletes_the_users_files_in_a_sweep_folder(scenario_file: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    assert _cli("sweep", str(scenario_file), "--replications", "2", "--jobs", "1", "--out",
                str(out)).exit_code == 0
    (out / "notes.md").write_text("mine")
    _refused(_cli("sweep", str(scenario_file), "--replications", "2", "--jobs", "1", "--seed",
                  "5", "--out", str(out), "--overwrite"), "notes.md", "did not write")
    assert (out / "notes.md").read_text() == "mine"
    (out / "notes.md").unlink()
    assert _cli("sweep", str(scenario_file), "--replications", "2", "--jobs", "1", "--seed",
                "5", "--out", str(out), "--overwrite").exit_code == 0
