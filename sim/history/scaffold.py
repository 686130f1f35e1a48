"""``cssim init``: plan the tiers and the team, render the commented YAML, check, then write.

The file is written only once it validates (and, with a book, once every row of the book has
been read against it); an existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sim.core.calendar import START_DATE_PATTERN
from sim.history.scaffold_plan import (
    MONTHLY_GROWTH,
    parse_tiers,
    plan_team,
    plan_tiers,
    read_book_facts,
)
from sim.history.scaffold_text import Outline, scenario_yaml


def write_scaffold(output: Path, book: Path | None, tiers: str | None, customers: int,
                   team: str, arrivals: float | None, horizon: int,
                   start_date: str | None) -> str:
    """Write the scenario; returns what to tell the user.

    Raises:
        ValueError: bad flags, an existing output, a book with bad rows, or (a bug) a
            scenario that does not validate; nothing is written.
    """
    if output.exists():
        raise ValueError(f"{output}: exists; choose another -o or remove it")
    if start_date is not None and not re.fullmatch(START_DATE_PATTERN, start_date):
        raise ValueError(f"--start-date {start_date!r}: expected YYYY-MM")
    facts = read_book_facts(book) if book is not None else None
    plans = plan_tiers(facts, parse_tiers(tiers) if tiers else None, customers)
    today = sum(plan.accounts for plan in plans)
    rate = arrivals if arrivals is not None else round(MONTHLY_GROWTH * today, 2)
    pools = plan_team(plans, team, rate)
    name = re.sub(r"[^a-z0-9_]", "_", output.stem.lower()).lstrip("_0123456789") or "company"
    relative = None
    if book is not None:
        relative = os.path.relpath(book.resolve(), output.resolve().parent)
        start_date = start_date or (facts.latest if facts else None)
    outline = Outline(name, team, horizon, start_date, rate, relative,
                      str(book) if book is not None else f"{customers} customers")
    text = scenario_yaml(outline, plans, pools)
    _check(text, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "x", encoding="utf-8") as handle:
        handle.write(text)
    team_text = ", ".join(f"{pool.headcount} {pool.name}" for pool in pools)
    return (f"wrote {output} ({len(plans)} tiers, {today} customers; team: {team_text})\n"
            f"next: cssim validate {output} && cssim run {output}")


def _check(text: str, output: Path) -> None:
    """Validate the text as if it were the file (the book's path relative to its folder)."""
    from sim.scenario.book_file import load_book
    from sim.scenario.schema import _book_path_resolved, parse_scenario
    from sim.scenario.yaml_input import load_yaml

    data = load_yaml(text, str(output))
    assert isinstance(data, dict)
    scenario = _book_path_resolved(parse_scenario(data, str(output)),
                                   output.resolve().parent)
    load_book(scenario)
