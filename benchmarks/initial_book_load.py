"""Initial-book benchmark: time to read, check and place a book of real accounts. Asserts nothing.

    PYTHONPATH=$PWD python benchmarks/initial_book_load.py [--accounts 100000] [--repeats 3]

Writes a book of ``--accounts`` accounts with every column (tests/book_support.py) as CSV and
as parquet into a temporary folder, then prints the median of ``--repeats`` timings of:

1. ``load_scenario``: parse the scenario and read and check every row of the book;
2. ``build``: draw the run's customers with the book in place and open it (owners assigned,
   renewal cycles and onboarding journeys started), i.e. everything before the clock runs;
   the book read by ``load_scenario`` is reused, as in ``cssim run``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from book_support import book_scenario, known_accounts, write_book  # noqa: E402

from sim.model import build  # noqa: E402
from sim.scenario import book_file  # noqa: E402
from sim.scenario.schema import load_scenario  # noqa: E402


def _median(repeats: int, action: Callable[[], Any], cold: bool) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        if cold:
            book_file._CACHE.clear()  # time the reading, not the cache
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    accounts = known_accounts(args.accounts, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        for name in ("accounts.csv", "accounts.parquet"):
            write_book(Path(folder), accounts, name)
            scenario_file = Path(folder) / "company.yaml"
            scenario = book_scenario(name)
            for pool in scenario["pools"]:
                pool["headcount"] *= max(1, args.accounts // 1000)
            scenario_file.write_text(yaml.safe_dump(scenario))
            load, loaded = _median(args.repeats, partial(load_scenario, scenario_file), True)
            built, _ = _median(args.repeats, partial(build, loaded, 0), False)
            size = (Path(folder) / name).stat().st_size / 1e6
            print(f"{name}: {args.accounts} accounts ({size:.1f} MB): load_scenario "
                  f"{load:.2f} s, build (book in place, before the clock runs) {built:.2f} s")


if __name__ == "__main__":
    main()
