"""Check that a refactor preserved behaviour: identical tables before and after.

Runs every shipped scenario (``scenarios/*.yaml`` and ``scenarios/strategies/*.yaml``) on seeds
1 and 2 twice: with the code of this checkout (its working tree, uncommitted changes included)
and with the code of a git ref (``main`` by default), extracted with ``git archive`` into a
temporary directory. Each side runs in its own Python process with ``PYTHONPATH`` pointing at its
tree and reads its own copy of the scenario file. The five tables of each run are written to
parquet and compared with ``pandas.testing.assert_frame_equal(check_exact=True)``, after renaming
the ref's columns given with ``--rename table.column=new``. With ``--legacy-events`` the ref's
event table in the legacy layout (one ``amount`` column whose meaning depends on the kind) is
first converted to the named value columns of this checkout (``sim.core.events``: ``acv``,
``wait_days``, ``from_tier``, ...), so every value must reappear in its column and every other
value column must be missing. One line per scenario, seed and table; the exit status is 1 if
anything differs or fails to run.

    python benchmarks/identical_tables.py [--against main] [--jobs 2]
        [--rename workforce.role=pool ...] [--legacy-events] [--seed 1 --seed 2] [--out DIR]
        [SCENARIO ...]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("timeseries", "workforce", "events", "customers", "summary")
SCENARIO_GLOBS = ("scenarios/*.yaml", "scenarios/strategies/*.yaml")
RUNNER = """
import json
import sys
from pathlib import Path

tree, scenario_path, out = Path(sys.argv[1]).resolve(), sys.argv[2], Path(sys.argv[3])
import sim

if not Path(sim.__file__).resolve().is_relative_to(tree):
    raise SystemExit(f"sim was imported from {sim.__file__}, not from {tree}")
scenario = sim.load_scenario(scenario_path)
names = {"tiers": [tier.name for tier in scenario.tiers],
         "pools": [pool.name for pool in scenario.pools]}
(out / "names.json").write_text(json.dumps(names))
for seed in map(int, sys.argv[4:]):
    result = sim.run(scenario, seed)
    for table in ("timeseries", "workforce", "events", "customers", "summary"):
        getattr(result, table).to_parquet(out / f"seed{seed}-{table}.parquet")
"""
"""Runs one scenario on the given seeds with the ``sim`` of one tree; writes its five tables."""


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a label and the tree whose code and scenarios it runs."""

    label: str
    tree: Path


@dataclass(frozen=True)
class Plan:
    """What every worker needs: both sides, the seeds, renames and where tables go."""

    before: Side
    after: Side
    seeds: tuple[int, ...]
    renames: dict[str, dict[str, str]]
    out: Path
    legacy_events: bool = False


def parse_renames(items: list[str]) -> dict[str, dict[str, str]]:
    """``["workforce.role=pool"]`` -> ``{"workforce": {"role": "pool"}}``, checked."""
    renames: dict[str, dict[str, str]] = {}
    for item in items:
        old, equals, new = item.partition("=")
        table, dot, column = old.partition(".")
        if not (equals and dot and column and new) or table not in TABLES:
            raise ValueError(f"--rename {item!r}: expected TABLE.COLUMN=NEW with TABLE one of "
                             f"{', '.join(TABLES)}")
        renames.setdefault(table, {})[column] = new
    return renames


def legacy_events(frame: pd.DataFrame, tiers: list[str], pools: list[str]) -> pd.DataFrame:
    """A legacy event table (one ``amount`` column) in this checkout's layout.

    Each row's amount moves to the value column its kind names in ``sim.core.events``, as that
    column stores it (a float; a whole number; a tier or pool index written as its name); the
    other value columns are missing (NaN, −1 or ``""``). A kind without a value column must
    have amount 0, the legacy default.

    Raises:
        ValueError: a kind unknown to ``sim.core.events``, a non-zero amount on a kind without
            a value column, or a fractional amount where a whole number or an index belongs.
    """
    from sim.core.events import KIND_COLUMN, VALUE_COLUMNS

    unknown = sorted(set(frame["kind"]) - set(KIND_COLUMN))
    if unknown:
        raise ValueError(f"legacy events of kinds not in sim.core.events: {unknown}")
    amount = frame["amount"].to_numpy(dtype=float)
    column_of = np.array([KIND_COLUMN[kind] or "" for kind in frame["kind"]], dtype=object)
    stray = (column_of == "") & (amount != 0)
    if stray.any():
        raise ValueError(f"legacy {frame['kind'].iloc[int(stray.argmax())]!r} event with amount "
                         f"{float(amount[stray.argmax()])!r}, but its kind has no value column")
    result = frame.drop(columns="amount")
    names = {"tier": np.array([*tiers, ""], dtype=object),
             "pool": np.array([*pools, ""], dtype=object)}
    for column in VALUE_COLUMNS:
        rows = column_of == column.name
        if column.type == "float":
            result[column.name] = np.where(rows, amount, np.nan)
            continue
        whole = np.where(rows, amount, -1.0)
        if (whole != np.round(whole)).any():
            raise ValueError(f"legacy amount {float(whole[whole != np.round(whole)][0])!r} in the "
                             f"whole-number column {column.name!r}")
        indices = whole.astype(np.int64)
        result[column.name] = (indices if column.type == "int"
                               else pd.Series(names[column.type][indices]).astype(str).array)
    return result


def first_difference(before: pd.DataFrame, after: pd.DataFrame,
                     labels: tuple[str, str] = ("before", "after")) -> str | None:
    """None if the frames are identical (exactly), else where they first differ, in words."""
    try:
        pd.testing.assert_frame_equal(before, after, check_exact=True)
        return None
    except AssertionError as error:
        fallback = str(error).strip().splitlines()[0]
    if list(before.columns) != list(after.columns):
        return _column_difference(list(before.columns), list(after.columns), labels)
    if len(before) != len(after):
        where = _first_cell(before.head(len(after)), after.head(len(before)), labels)
        return (f"{len(before)} rows in {labels[0]}, {len(after)} in {labels[1]}"
                + (f"; {where}" if where else ""))
    if not before.index.equals(after.index):
        return "the row index differs"
    return _first_cell(before, after, labels) or fallback


def _column_difference(before: list, after: list, labels: tuple[str, str]) -> str:
    only_before = [name for name in before if name not in after]
    only_after = [name for name in after if name not in before]
    if only_before or only_after:
        return f"columns only in {labels[0]}: {only_before}, only in {labels[1]}: {only_after}"
    position = next(index for index, (old, new) in enumerate(zip(before, after, strict=True))
                    if old != new)
    return (f"columns in another order from position {position}: {labels[0]} "
            f"{before[position]!r}, {labels[1]} {after[position]!r}")


def _first_cell(before: pd.DataFrame, after: pd.DataFrame,
                labels: tuple[str, str]) -> str | None:
    """The first column (in order) holding a different value or dtype, and its first row."""
    for column in before.columns:
        old, new = before[column].reset_index(drop=True), after[column].reset_index(drop=True)
        if old.dtype != new.dtype:
            return f"column {column!r}: dtype {labels[0]} {old.dtype}, {labels[1]} {new.dtype}"
        same = old.eq(new).fillna(False).astype(bool) | (old.isna() & new.isna())
        if not same.all():
            row = int((~same).to_numpy().argmax())
            label = before.index[row]
            return (f"column {column!r}, row {row}" + ("" if label == row else f" ({label!r})")
                    + f": {labels[0]} {_plain(old.iloc[row])!r}, "
                    f"{labels[1]} {_plain(new.iloc[row])!r}")
    return None


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (for a readable repr)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def compare_table(plan: Plan, scenario: str, seed: int, table: str) -> tuple[bool, str]:
    """Compare one table of one run; returns (identical, the line to print)."""
    name = f"seed{seed}-{table}.parquet"
    before = pd.read_parquet(run_dir(plan, plan.before, scenario) / name)
    after = pd.read_parquet(run_dir(plan, plan.after, scenario) / name)
    prefix = f"{scenario} seed {seed} {table}: "
    if table == "events" and plan.legacy_events and "amount" in before.columns:
        names = json.loads((run_dir(plan, plan.before, scenario) / "names.json").read_text())
        try:
            before = legacy_events(before, names["tiers"], names["pools"])
        except ValueError as error:
            return False, prefix + f"differs: {error}"
    renames = plan.renames.get(table, {})
    missing = [column for column in renames if column not in before.columns]
    if missing:
        return False, prefix + f"differs: --rename names {missing}, not columns of " \
                               f"{plan.before.label}'s {table} table"
    difference = first_difference(before.rename(columns=renames), after,
                                  (plan.before.label, plan.after.label))
    if difference is None:
        return True, prefix + f"identical ({len(after)} rows x {len(after.columns)} columns)"
    return False, prefix + "differs: " + difference


def run_dir(plan: Plan, side: Side, scenario: str) -> Path:
    """Where one side's tables of one scenario go."""
    return plan.out / ("before" if side == plan.before else "after") / scenario.replace("/", "__")


def run_side(plan: Plan, side: Side, scenario: str) -> str | None:
    """Run one scenario on every seed with one side's code; None if it ran, else the error."""
    path = side.tree / scenario
    if not path.exists():
        return f"{scenario} is missing from {side.label}"
    out = run_dir(plan, side, scenario)
    out.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "PYTHONPATH": str(side.tree)}
    completed = subprocess.run(
        [sys.executable, "-c", RUNNER, str(side.tree), str(path), str(out),
         *map(str, plan.seeds)],
        cwd=side.tree, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        lines = (completed.stderr or completed.stdout).strip().splitlines() or ["no output"]
        return f"{scenario} failed with {side.label}'s code: {lines[-1]}"
    return None


def check_scenario(plan: Plan, scenario: str) -> list[tuple[bool, str]]:
    """Run one scenario on both sides and compare its tables (one pool task)."""
    for side in (plan.before, plan.after):
        error = run_side(plan, side, scenario)
        if error is not None:
            return [(False, f"{scenario}: error: {error}")]
    return [compare_table(plan, scenario, seed, table)
            for seed in plan.seeds for table in TABLES]


def shipped_scenarios(*trees: Path) -> list[str]:
    """Paths (relative to the tree) of the shipped scenarios of either tree."""
    return sorted({str(path.relative_to(tree)) for tree in trees
                   for pattern in SCENARIO_GLOBS for path in tree.glob(pattern)})


def extract(ref: str, into: Path) -> str:
    """Write the tree of a git ref under ``into``; returns its short commit hash."""
    commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit is None:
        raise ValueError(f"--against {ref!r}: not a commit of {ROOT}")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return commit[:10]


def _git(*arguments: str) -> str | None:
    completed = subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True,
                               text=True, check=False)
    return completed.stdout.strip() if completed.returncode == 0 else None


def compare_all(plan: Plan, scenarios: list[str], jobs: int) -> int:
    """Run and compare every scenario on a pool of ``jobs`` processes; prints; returns a status."""
    identical = differ = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for lines in pool.map(partial(check_scenario, plan), scenarios):
            for same, line in lines:
                print(line, flush=True)
                identical, differ = identical + same, differ + (not same)
    print(f"{identical} identical, {differ} differ or failed "
          f"({plan.before.label} vs {plan.after.label}, seeds {list(plan.seeds)})")
    return 1 if differ else 0


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                        help="scenario files relative to the repository root "
                             "(default: every shipped scenario)")
    parser.add_argument("--against", default="main", help="git ref to compare with (main)")
    parser.add_argument("--rename", action="append", default=[], metavar="TABLE.COLUMN=NEW",
                        help="a column the ref calls COLUMN and this checkout NEW (repeatable)")
    parser.add_argument("--legacy-events", action="store_true",
                        help="convert the ref's legacy events (one amount column) to this "
                             "checkout's named value columns before comparing")
    parser.add_argument("--seed", action="append", type=int, dest="seeds",
                        help="seed to run (repeatable; default 1 and 2)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="scenarios run at once, each in its own processes (CPU count)")
    parser.add_argument("--out", type=Path,
                        help="keep the parquet tables under this directory (default: a "
                             "temporary directory, removed)")
    return parser.parse_args()


def main() -> int:
    """Compare this checkout with ``--against``; exit status 0 only if every table is identical."""
    options = arguments()
    try:
        renames = parse_renames(options.rename)
        if options.jobs < 1:
            raise ValueError(f"--jobs must be at least 1, got {options.jobs}")
        with tempfile.TemporaryDirectory(prefix="identical_tables_") as temporary:
            ref_tree = Path(temporary) / "ref"
            commit = extract(options.against, ref_tree)
            out = options.out.resolve() if options.out else Path(temporary) / "tables"
            plan = Plan(before=Side(options.against, ref_tree),
                        after=Side("checkout", ROOT), seeds=tuple(options.seeds or (1, 2)),
                        renames=renames, out=out, legacy_events=options.legacy_events)
            scenarios = options.scenarios or shipped_scenarios(ref_tree, ROOT)
            print(f"{ROOT} (working tree) vs {options.against} ({commit}): "
                  f"{len(scenarios)} scenarios, seeds {list(plan.seeds)}", flush=True)
            return compare_all(plan, scenarios, options.jobs)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
