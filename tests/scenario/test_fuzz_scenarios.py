"""Fuzz: mutated shipped scenarios either run or fail in clean lines, one per problem.

``fuzz_support`` makes the cases (seeded: the same cases every time). For each, ``cssim
validate`` must either accept the file, and then the scenario must pass the work check of
``cssim run`` and run (two months, in process, when small enough for this test), or exit with
code 2 and print one line ``error: FILE: ...`` on stderr, with no traceback and no file written.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from fuzz_support import cases

from sim.cli import main
from sim.core.errors import ScenarioError
from sim.model import run
from sim.scenario.schema import load_scenario
from sim.scenario.work_estimate import check_work

SEED = 20261206
CASES = 300
RUN_BUDGET_CUSTOMER_MONTHS = 60_000
"""Accepted cases over this estimate are validated only, to keep the test fast."""
RUNS = 40
"""Accepted cases run in full (the first ones); the rest are validated and work-checked."""


def check_case(content: str | bytes, folder: Path, simulate: bool = True) -> str:
    """Validate one case; returns ``refused``, ``over_ceiling`` (refused by the work check of
    ``cssim run``), ``ran`` or ``accepted`` (validated, too large to run in this test).

    Raises:
        AssertionError: the case failed in any other way than clean error lines (one per
            problem) with exit code 2.
    """
    path = folder / "case.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert sorted(folder.iterdir()) == [path], "validate wrote a file"
    if result.exit_code == 2:
        assert result.stdout == ""
        # every problem found, one clean line each
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(f"error: {path}: ") for line in lines)
        assert "Traceback" not in result.stderr
        return "refused"
    assert result.exit_code == 0, result.stderr
    scenario = load_scenario(path)
    try:
        work = check_work(scenario, str(path))
    except ScenarioError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
        return "over_ceiling"
    if work.customer_months > RUN_BUDGET_CUSTOMER_MONTHS or not simulate:
        return "accepted"
    run(scenario, seed=1)
    return "ran"


def test_mutated_scenarios_run_or_fail_in_clean_lines(tmp_path: Path) -> None:
    outcomes: Counter[str] = Counter()
    for case, content in cases(SEED, CASES):
        folder = tmp_path / f"case-{case.number}"
        folder.mkdir()
        try:
            outcomes[check_case(content, folder, simulate=outcomes["ran"] < RUNS)] += 1
        except AssertionError as error:
            raise AssertionError(f"case {case.number} ({case.source}: {case.mutation}): "
                                 f"{error}") from error
    print(f"fuzz: {CASES} cases, {outcomes['refused']} refused in one line, "
          f"{outcomes['over_ceiling']} over a work ceiling, {outcomes['ran']} accepted and run, "
          f"{outcomes['accepted']} accepted (validated and work-checked only)")
    assert sum(outcomes.values()) == CASES
    assert outcomes["refused"] > CASES // 3 and outcomes["ran"] == RUNS  # both kinds seen
